/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/app/app.h>
#include <gst/video/video.h>
#include <stdlib.h>
#include <string.h>

#include "media/reel-media.h"
#include "media-test-util.h"
#include "../reel-test-wait.h"

/* Under AddressSanitizer (CI runs the unit suite so), leaks that other libraries make on
 * purpose or cannot avoid, none of them in memory Storyreel owns:
 * - GLib abandons its quark table each time it grows (past 2048, 4096 … interned strings,
 *   which GStreamer's element classes exceed); the first one is allocated by GLib's library
 *   constructor, under _dl_init.
 * - GES 1.22 starts an embedded Python for its project formatters and never stops it.
 * - Pango's fontconfig (captions) keeps its pattern caches for the process's life.
 * - GLib 2.74 allocates an object's data list inside g_object_unref (to freeze
 *   notifications during dispose) and loses it for objects GES's pipeline disposes; only
 *   allocations made inside an unref are excused, not objects never unreffed.
 * - gst-libav 1.22 reads a string option of an encoder (ProRes) with av_opt_get and does
 *   not free the copy it gets back.
 * Seeing those frames needs the full unwinder on malloc (GLib has no frame pointers); a
 * short stack keeps that affordable. */
const char *__lsan_default_suppressions (void);
const char *__asan_default_options (void);

G_GNUC_UNUSED __attribute__ ((visibility ("default"), used)) const char *
__lsan_default_suppressions (void)
{
  return "leak:_dl_init\n"
         "leak:g_intern_string\n"
         "leak:g_intern_static_string\n"
         "leak:g_quark_from_string\n"
         "leak:g_quark_from_static_string\n"
         "leak:libpython3\n"
         "leak:libfontconfig\n"
         "leak:g_object_unref\n"
         "leak:av_opt_get\n";
}

G_GNUC_UNUSED __attribute__ ((visibility ("default"), used)) const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0:malloc_context_size=10";
}

static char *cache_dir;

static void
remove_cache_dir (void)
{
  g_autofree char *storyreel = g_build_filename (cache_dir, "storyreel", NULL);
  g_autofree char *clips = g_build_filename (storyreel, "clips", NULL);

  media_test_remove_dir (clips);
  g_rmdir (storyreel);
  media_test_remove_dir (cache_dir);
  g_clear_pointer (&cache_dir, g_free);
}

void
media_test_init (void)
{
  g_autoptr(GError) error = NULL;

  /* Clip backgrounds are written to the cache: a private one, not the user's. */
  cache_dir = g_dir_make_tmp ("storyreel-cache-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  atexit (remove_cache_dir);

  g_assert_true (reel_media_init (&error));
  g_assert_no_error (error);
}

char *
media_test_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *path = g_dir_make_tmp ("storyreel-media-XXXXXX", &error);

  g_assert_no_error (error);
  return path;
}

void
media_test_remove_dir (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        media_test_remove_dir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
run_to_end (GstElement *pipeline)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) message = NULL;

  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
  message = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = NULL;

      gst_message_parse_error (message, &error, NULL);
      g_error ("Making test footage failed: %s", error->message);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

static const char *
h264_encoder (void)
{
  g_autoptr(GstElementFactory) x264 = gst_element_factory_find ("x264enc");

  if (x264 != NULL)
    return "x264enc speed-preset=ultrafast key-int-max=24";

  return "openh264enc";
}

char *
media_test_make_plate (const char *dir,
                       const char *name,
                       int         width,
                       int         height,
                       int         num,
                       int         den,
                       int         frames)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *video = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;

  video = g_strdup_printf ("videotestsrc pattern=ball background-color=0xff00ff00 "
                           "foreground-color=0xffffffff num-buffers=%d "
                           "! video/x-raw,format=I420,width=%d,height=%d,framerate=%d/%d",
                           frames, width, height, num, den);

  if (g_str_has_suffix (name, ".mp4"))
    description = g_strdup_printf ("%s ! %s ! h264parse ! mp4mux ! filesink location=\"%s\"",
                                   video, h264_encoder (), path);
  else if (g_str_has_suffix (name, ".mkv"))
    description = g_strdup_printf ("%s ! vp8enc deadline=1 ! matroskamux name=mux "
                                   "! filesink location=\"%s\" "
                                   "audiotestsrc num-buffers=%d samplesperbuffer=%d "
                                   "! audio/x-raw,rate=48000 ! audioconvert ! vorbisenc "
                                   "! mux.",
                                   video, path, frames, (int) (48000LL * den / num));
  else
    description = g_strdup_printf ("%s ! vp8enc deadline=1 ! webmmux "
                                   "! filesink location=\"%s\"",
                                   video, path);

  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  gst_object_ref_sink (pipeline);
  run_to_end (pipeline);

  return path;
}

guint32
media_test_counter_color (gint64 index)
{
  static const guint8 levels[] = { 30, 100, 170, 240 };

  index %= MEDIA_TEST_COUNTER_COLORS;
  return ((guint32) levels[index % 4] << 16) | (40 << 8) | levels[index / 4];
}

char *
media_test_make_counter_clip (const char *dir,
                              const char *name,
                              int         width,
                              int         height,
                              int         num,
                              int         den,
                              int         frames)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) source = NULL;
  g_autoptr(GstCaps) caps = NULL;

  g_assert_cmpint (frames, <=, MEDIA_TEST_COUNTER_COLORS);
  description = g_strdup_printf ("appsrc name=source format=time ! videoconvert "
                                 "! video/x-raw,format=I420 ! vp8enc deadline=1 "
                                 "target-bitrate=2000000 keyframe-max-dist=4 ! webmmux "
                                 "! filesink location=\"%s\"", path);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  gst_object_ref_sink (pipeline);
  source = gst_bin_get_by_name (GST_BIN (pipeline), "source");
  caps = gst_caps_new_simple ("video/x-raw",
                              "format", G_TYPE_STRING, "RGB",
                              "width", G_TYPE_INT, width,
                              "height", G_TYPE_INT, height,
                              "framerate", GST_TYPE_FRACTION, num, den,
                              NULL);
  g_object_set (source, "caps", caps, NULL);

  for (int i = 0; i < frames; i++)
    {
      gsize stride = GST_ROUND_UP_4 (width * 3);
      GstBuffer *buffer = gst_buffer_new_allocate (NULL, stride * height, NULL);
      guint32 rgb = media_test_counter_color (i);
      GstMapInfo map;

      g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_WRITE));
      for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
          {
            guint8 *pixel = map.data + y * stride + x * 3;

            pixel[0] = rgb >> 16;
            pixel[1] = (rgb >> 8) & 0xff;
            pixel[2] = rgb & 0xff;
          }
      gst_buffer_unmap (buffer, &map);
      GST_BUFFER_PTS (buffer) = gst_util_uint64_scale (i, (guint64) den * GST_SECOND, num);
      GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (i + 1, (guint64) den * GST_SECOND,
                                                            num)
                                     - GST_BUFFER_PTS (buffer);
      g_assert_cmpint (gst_app_src_push_buffer (GST_APP_SRC (source), buffer), ==, GST_FLOW_OK);
    }
  gst_app_src_end_of_stream (GST_APP_SRC (source));
  run_to_end (pipeline);

  return path;
}

char *
media_test_make_grainy_plate (const char *dir,
                              const char *name,
                              int         width,
                              int         height,
                              int         frames)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;

  /* Sensor-like noise over the ball on green, at a camera's bit rate (about 50 Mbit/s at
   * 1080p24), so decoding costs what it costs with real footage. */
  description = g_strdup_printf ("compositor name=mix sink_1::alpha=0.06 "
                                 "! video/x-raw,format=I420,width=%d,height=%d,framerate=24/1 "
                                 "! x264enc speed-preset=ultrafast pass=quant quantizer=22 "
                                 "key-int-max=24 ! h264parse ! mp4mux "
                                 "! filesink location=\"%s\" "
                                 "videotestsrc pattern=ball background-color=0xff00ff00 "
                                 "num-buffers=%d ! video/x-raw,width=%d,height=%d,framerate=24/1 "
                                 "! mix. "
                                 "videotestsrc pattern=snow num-buffers=%d "
                                 "! video/x-raw,width=%d,height=%d,framerate=24/1 ! mix.",
                                 width, height, path, frames, width, height,
                                 frames, width, height);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  gst_object_ref_sink (pipeline);
  run_to_end (pipeline);

  return path;
}

guint8 *
media_test_decode_frame_rgb (const char *path,
                             int         index,
                             int         width,
                             int         height)
{
  g_autofree char *uri = gst_filename_to_uri (path, NULL);
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) sink = NULL;
  guint8 *rgb = NULL;

  description = g_strdup_printf ("uridecodebin uri=\"%s\" ! videoconvert ! videoscale "
                                 "! video/x-raw,format=RGB,width=%d,height=%d,"
                                 "pixel-aspect-ratio=1/1 "
                                 "! appsink name=sink sync=false",
                                 uri, width, height);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  gst_object_ref_sink (pipeline);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");

  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);

  for (int i = 0; i <= index; i++)
    {
      g_autoptr(GstSample) sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
                                                                 30 * GST_SECOND);
      GstVideoInfo info;
      GstVideoFrame frame;

      g_assert_nonnull (sample);
      if (i < index)
        continue;

      g_assert_true (gst_video_info_from_caps (&info, gst_sample_get_caps (sample)));
      g_assert_true (gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample),
                                          GST_MAP_READ));
      rgb = g_malloc ((gsize) width * height * 3);
      for (int row = 0; row < height; row++)
        memcpy (rgb + (gsize) row * width * 3,
                (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0)
                  + (gsize) row * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0),
                (gsize) width * 3);
      gst_video_frame_unmap (&frame);
    }

  gst_element_set_state (pipeline, GST_STATE_NULL);
  return rgb;
}

cairo_surface_t *
media_test_solid_surface (guint32 rgb,
                          int     width,
                          int     height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0);
  cairo_paint (cr);
  cairo_destroy (cr);

  return surface;
}

guint8 *
media_test_texture_rgb (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint8 *bgra = g_malloc ((gsize) width * height * 4);
  guint8 *rgb = g_malloc ((gsize) width * height * 3);

  /* Downloads as cairo's ARGB32: premultiplied, B G R A in memory on little endian. */
  gdk_texture_download (texture, bgra, (gsize) width * 4);
  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      guint32 pixel = ((guint32 *) bgra)[i];

      rgb[i * 3 + 0] = (pixel >> 16) & 0xff;
      rgb[i * 3 + 1] = (pixel >> 8) & 0xff;
      rgb[i * 3 + 2] = pixel & 0xff;
    }

  return rgb;
}

static gboolean
keep_ticking (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
timed_out (gpointer user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

void
media_test_wait (const gboolean *done,
                 guint           timeout_ms)
{
  gboolean expired = FALSE;
  guint timeout_id;

  /* A busy machine (or a sanitizer build) may be slow; only a stuck test reaches this. */
  timeout_ms = MAX (timeout_ms, REEL_TEST_DEADLINE_MS);
  timeout_id = g_timeout_add (timeout_ms, timed_out, &expired);

  while (!*done && !expired)
    g_main_context_iteration (NULL, TRUE);

  if (!expired)
    g_source_remove (timeout_id);
  if (!*done)
    g_error ("Timed out after %u ms", timeout_ms);
}

void
media_test_wait_until (gboolean (*condition) (gpointer data),
                       gpointer   data,
                       guint      timeout_ms)
{
  gboolean expired = FALSE;
  guint timeout_id;
  guint tick_id;

  timeout_ms = MAX (timeout_ms, REEL_TEST_DEADLINE_MS);
  timeout_id = g_timeout_add (timeout_ms, timed_out, &expired);
  /* Wake up now and then: the condition may change on another thread. At the lowest
   * priority, so that on a slow machine (a check slower than the tick) the tick, always
   * due again, cannot hold back the work it waits for. */
  tick_id = g_timeout_add_full (G_PRIORITY_LOW, 10, keep_ticking, NULL, NULL);

  gboolean met;

  while (!(met = condition (data)) && !expired)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick_id);
  if (!expired)
    g_source_remove (timeout_id);
  if (!met)
    g_error ("Timed out after %u ms", timeout_ms);
}

void
media_test_store_result (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GAsyncResult **store = user_data;

  *store = g_object_ref (result);
}

static gboolean
have_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

GAsyncResult *
media_test_wait_result (GAsyncResult **result,
                        guint          timeout_ms)
{
  media_test_wait_until (have_result, result, timeout_ms);
  return *result;
}

gboolean
media_test_is_color (const guint8 *pixel,
                     guint32       rgb,
                     int           tolerance)
{
  return abs (pixel[0] - (int) ((rgb >> 16) & 0xff)) <= tolerance
         && abs (pixel[1] - (int) ((rgb >> 8) & 0xff)) <= tolerance
         && abs (pixel[2] - (int) (rgb & 0xff)) <= tolerance;
}

typedef struct
{
  ReelPlayback *playback;
  gint64 frame;
} PlaybackWait;

static gboolean
playback_at (gpointer data)
{
  PlaybackWait *wait = data;

  return reel_playback_get_position (wait->playback) == wait->frame;
}

static gboolean
playback_stopped (gpointer data)
{
  return !reel_playback_get_playing (data);
}

static gboolean
playback_restarted (gpointer data)
{
  PlaybackWait *wait = data;

  return reel_playback_get_playing (wait->playback)
         && reel_playback_get_position (wait->playback) < wait->frame;
}

void
media_test_check_playback (ReelPlayback *playback,
                           gint64        duration)
{
  PlaybackWait wait = { playback, 10 };

  g_assert_true (REEL_IS_PLAYBACK (playback));
  g_assert_cmpint (reel_playback_get_duration (playback), ==, duration);
  g_assert_cmpint (reel_playback_get_state (playback), ==, REEL_PLAYBACK_STATE_PAUSED);

  reel_playback_seek_frame (playback, 10);
  media_test_wait_until (playback_at, &wait, 30000);
  reel_playback_step (playback, 1);
  wait.frame = 11;
  media_test_wait_until (playback_at, &wait, 30000);
  reel_playback_step (playback, -1);
  wait.frame = 10;
  media_test_wait_until (playback_at, &wait, 30000);

  /* To the end, not looping: it stops on the last frame. */
  reel_playback_set_loop (playback, FALSE);
  g_assert_false (reel_playback_get_loop (playback));
  wait.frame = duration - 6;
  reel_playback_seek_frame (playback, wait.frame);
  media_test_wait_until (playback_at, &wait, 30000);
  reel_playback_play (playback);
  g_assert_true (reel_playback_get_playing (playback));
  g_assert_cmpint (reel_playback_get_state (playback), ==, REEL_PLAYBACK_STATE_PLAYING);
  media_test_wait_until (playback_stopped, playback, 60000);
  g_assert_cmpint (reel_playback_get_position (playback), ==, duration - 1);
  g_assert_true (reel_playback_get_at_end (playback));
  g_assert_cmpint (reel_playback_get_state (playback), ==, REEL_PLAYBACK_STATE_ENDED);

  /* Play (the space bar) from there starts again at the top. */
  reel_playback_toggle (playback);
  media_test_wait_until (playback_restarted, &wait, 30000);
  reel_playback_pause (playback);
  media_test_wait_until (playback_stopped, playback, 30000);
  g_assert_false (reel_playback_get_at_end (playback));
  g_assert_cmpint (reel_playback_get_state (playback), ==, REEL_PLAYBACK_STATE_PAUSED);
}

static cairo_status_t
append_png_bytes (void                *closure,
                  const unsigned char *data,
                  unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
media_test_surface_png (cairo_surface_t *surface)
{
  GByteArray *png = g_byte_array_new ();

  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_png_bytes, png), ==,
                   CAIRO_STATUS_SUCCESS);
  return g_byte_array_free_to_bytes (png);
}
