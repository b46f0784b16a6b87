/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "core/reel-asset.h"

G_BEGIN_DECLS

#define REEL_TYPE_CLIP_FRAMES (reel_clip_frames_get_type ())

G_DECLARE_FINAL_TYPE (ReelClipFrames, reel_clip_frames, REEL, CLIP_FRAMES, GObject)

ReelClipFrames  *reel_clip_frames_new_for_bytes   (GBytes          *data);
ReelClipFrames  *reel_clip_frames_new_for_file    (GFile           *file);

gboolean         reel_clip_frames_open            (ReelClipFrames  *self,
                                                   GError         **error);
int              reel_clip_frames_get_width       (ReelClipFrames  *self);
int              reel_clip_frames_get_height      (ReelClipFrames  *self);
gint64           reel_clip_frames_get_n_frames    (ReelClipFrames  *self);
gint64           reel_clip_frames_index_at        (ReelClipFrames  *self,
                                                   gint64           frame,
                                                   int              rate_numerator,
                                                   int              rate_denominator);
cairo_surface_t *reel_clip_frames_get_frame       (ReelClipFrames  *self,
                                                   gint64           index,
                                                   GError         **error);

cairo_surface_t *reel_clip_frames_extract_surface (ReelAsset       *asset,
                                                   gint64           index,
                                                   GError         **error);

/* Lets core's panels (the Board, the strip's thumbnails) show a clip background by its
 * first frame instead of grey: sets reel_panel_set_video_frame_func(). Cheap, idempotent;
 * starts nothing until a clip is drawn. */
void             reel_clip_frames_draw_in_panels  (void);

G_END_DECLS
