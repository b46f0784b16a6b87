/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gdk/gdk.h>
#include <gio/gio.h>
#include <gst/gst.h>

#include "media/reel-playback.h"

G_BEGIN_DECLS

/* Green in the footage the tests make: videotestsrc's background-color. */
#define MEDIA_TEST_GREEN 0x00ff00

/* Initialises GStreamer and Storyreel's elements; fails the test if it cannot. */
void             media_test_init              (void);

/* A fresh temporary folder, removed (with what is in it) by media_test_remove_dir(). */
char            *media_test_make_dir          (void);
void             media_test_remove_dir        (const char *path);

/* A moving white ball on green (videotestsrc pattern=ball), @frames frames at @num/@den
 * fps, @width × @height, in @dir/@name. The extension picks the format: ".webm" (VP8),
 * ".mp4" (H.264, x264enc or openh264enc), ".mkv" (VP8 + Vorbis audio). Returns the path. */
char            *media_test_make_plate        (const char *dir,
                                               const char *name,
                                               int         width,
                                               int         height,
                                               int         num,
                                               int         den,
                                               int         frames);

/* A frame counter: frame i is one solid colour, media_test_counter_color (i), none of them
 * near the key green or white. At most MEDIA_TEST_COUNTER_COLORS frames, VP8 in WebM. */
#define MEDIA_TEST_COUNTER_COLORS 16
guint32          media_test_counter_color     (gint64      index);
char            *media_test_make_counter_clip (const char *dir,
                                               const char *name,
                                               int         width,
                                               int         height,
                                               int         num,
                                               int         den,
                                               int         frames);

/* The same with sensor-like noise, H.264 at a camera's bit rate, 24 fps. Needs x264enc. */
char            *media_test_make_grainy_plate (const char *dir,
                                               const char *name,
                                               int         width,
                                               int         height,
                                               int         frames);

/* Decodes frame @index (counted from 0) of @path as RGB at @width × @height, with
 * GStreamer's own converter: the reference the composite is judged against. */
guint8          *media_test_decode_frame_rgb  (const char *path,
                                               int         index,
                                               int         width,
                                               int         height);

/* An image surface filled with one colour. */
cairo_surface_t *media_test_solid_surface     (guint32     rgb,
                                               int         width,
                                               int         height);

/* @surface as PNG bytes (transfer full). */
GBytes          *media_test_surface_png       (cairo_surface_t *surface);

/* The texture's pixels as tightly packed RGB (transfer full, g_free). */
guint8          *media_test_texture_rgb       (GdkTexture *texture);

/* Runs the default main context until *done, failing the test after @timeout_ms (never
 * less than REEL_TEST_DEADLINE_MS: only a stuck test fails on a busy machine). */
void             media_test_wait              (const gboolean *done,
                                               guint           timeout_ms);
/* Runs the default main context until @condition (@data) holds, with the same deadline. */
void             media_test_wait_until        (gboolean      (*condition) (gpointer data),
                                               gpointer        data,
                                               guint           timeout_ms);
/* Stores a GAsyncResult (user_data is a GAsyncResult **). */
void             media_test_store_result      (GObject       *object,
                                               GAsyncResult  *result,
                                               gpointer       user_data);
GAsyncResult    *media_test_wait_result       (GAsyncResult **result,
                                               guint          timeout_ms);

/* Drives @playback the way the transport does, through ReelPlayback alone: seek, step, play
 * to the end without looping (then at the end, ENDED), play again from the start, pause.
 * @duration is the length it must report, in frames. Fails the test on any difference. */
void             media_test_check_playback    (ReelPlayback  *playback,
                                               gint64         duration);

/* Colour tests on an RGB pixel. */
gboolean         media_test_is_color          (const guint8 *pixel,
                                               guint32       rgb,
                                               int           tolerance);

G_END_DECLS
