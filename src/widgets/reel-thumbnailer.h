/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/reel-project.h"

G_BEGIN_DECLS

#define REEL_TYPE_THUMBNAILER (reel_thumbnailer_get_type ())

G_DECLARE_FINAL_TYPE (ReelThumbnailer, reel_thumbnailer, REEL, THUMBNAILER, GObject)

#define REEL_THUMBNAILER_DEFAULT_CAPACITY 128

/*
 * ReelThumbnailer: panel thumbnails of shots, rendered with reel_panel_render_parts()
 * on worker threads and kept in a least-recently-used cache keyed by shot id.
 * Each entry remembers the shot revision and pixel size it was rendered at, so a
 * lookup can hand back a stale picture to show while the fresh one renders.
 */

ReelThumbnailer *reel_thumbnailer_new            (guint                capacity);

/* The cached thumbnail of @shot (transfer none), or NULL. @out_current (nullable)
 * says whether it shows the shot's current revision at exactly @width × @height.
 * A hit makes the entry the most recently used. */
GdkTexture      *reel_thumbnailer_lookup         (ReelThumbnailer     *self,
                                                  ReelShot            *shot,
                                                  int                  width,
                                                  int                  height,
                                                  gboolean            *out_current);

/* Renders @shot's panel at @width × @height pixels off the main thread (unless
 * the cache already holds it). The parts are copied on the calling (main) thread,
 * so the model may change meanwhile. Requests for the same shot, revision and size
 * share one render; the most recent requests start first, and requests cancelled
 * before they start cost nothing. */
void             reel_thumbnailer_render_async   (ReelThumbnailer     *self,
                                                  ReelProject         *project,
                                                  ReelShot            *shot,
                                                  int                  width,
                                                  int                  height,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
/* Transfer full. */
GdkTexture      *reel_thumbnailer_render_finish  (ReelThumbnailer     *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

guint            reel_thumbnailer_get_n_cached   (ReelThumbnailer     *self);
guint            reel_thumbnailer_get_capacity   (ReelThumbnailer     *self);
/* Number of renders that actually ran (not cache hits, not skipped cancellations). */
guint            reel_thumbnailer_get_n_rendered (ReelThumbnailer     *self);
void             reel_thumbnailer_clear          (ReelThumbnailer     *self);

/* Holds every thumbnailer's renders back until @widget (a window being shown) has painted
 * its first frame while not busy (a window opening a file paints first while it reads it,
 * and the frame the user waits for is the one with the project): on a two-core machine
 * they would slow that frame down. Requests queue meanwhile. Main thread. */
void             reel_thumbnailer_hold_until_painted (GtkWidget       *widget);

/* Copies an ARGB32 cairo image surface into a texture of the same size (transfer full). */
GdkTexture      *reel_texture_new_for_surface    (cairo_surface_t     *surface);

G_END_DECLS
