/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gio/gio.h>
#include <gst/gst.h>

#include "reel-clip-frames.h"
#include "reel-playback.h"
#include "reel-video-paintable.h"

G_BEGIN_DECLS

#define REEL_TYPE_PREVIEW_PIPELINE (reel_preview_pipeline_get_type ())

G_DECLARE_FINAL_TYPE (ReelPreviewPipeline, reel_preview_pipeline, REEL, PREVIEW_PIPELINE, GObject)

ReelPreviewPipeline *reel_preview_pipeline_new                  (void);

ReelVideoPaintable  *reel_preview_pipeline_get_paintable        (ReelPreviewPipeline *self);
GstElement          *reel_preview_pipeline_get_element          (ReelPreviewPipeline *self);
GFile               *reel_preview_pipeline_get_file             (ReelPreviewPipeline *self);

void                 reel_preview_pipeline_set_frame_rate       (ReelPreviewPipeline *self,
                                                                 int                  numerator,
                                                                 int                  denominator);
void                 reel_preview_pipeline_set_output_size      (ReelPreviewPipeline *self,
                                                                 int                  width,
                                                                 int                  height);
void                 reel_preview_pipeline_get_output_size      (ReelPreviewPipeline *self,
                                                                 int                 *width,
                                                                 int                 *height);
void                 reel_preview_pipeline_set_sync             (ReelPreviewPipeline *self,
                                                                 gboolean             sync);

void                 reel_preview_pipeline_open_async           (ReelPreviewPipeline *self,
                                                                 GFile               *file,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
gboolean             reel_preview_pipeline_open_finish          (ReelPreviewPipeline *self,
                                                                 GAsyncResult        *result,
                                                                 GError             **error);
void                 reel_preview_pipeline_close                (ReelPreviewPipeline *self);

void                 reel_preview_pipeline_play                 (ReelPreviewPipeline *self);
void                 reel_preview_pipeline_pause                (ReelPreviewPipeline *self);
gboolean             reel_preview_pipeline_get_playing          (ReelPreviewPipeline *self);
void                 reel_preview_pipeline_seek_frame           (ReelPreviewPipeline *self,
                                                                 gint64               frame);
void                 reel_preview_pipeline_step                 (ReelPreviewPipeline *self,
                                                                 int                  frames);
gint64               reel_preview_pipeline_get_position         (ReelPreviewPipeline *self);
gint64               reel_preview_pipeline_get_duration         (ReelPreviewPipeline *self);
void                 reel_preview_pipeline_set_loop             (ReelPreviewPipeline *self,
                                                                 gboolean             loop);
gboolean             reel_preview_pipeline_get_loop             (ReelPreviewPipeline *self);
void                 reel_preview_pipeline_set_muted            (ReelPreviewPipeline *self,
                                                                 gboolean             muted);
gboolean             reel_preview_pipeline_get_muted            (ReelPreviewPipeline *self);
gboolean             reel_preview_pipeline_get_has_audio        (ReelPreviewPipeline *self);

void                 reel_preview_pipeline_set_key              (ReelPreviewPipeline *self,
                                                                 guint32              rgb,
                                                                 double               similarity,
                                                                 double               softness,
                                                                 double               spill);
void                 reel_preview_pipeline_set_background       (ReelPreviewPipeline *self,
                                                                 cairo_surface_t     *image);
void                 reel_preview_pipeline_set_background_clip  (ReelPreviewPipeline *self,
                                                                 ReelClipFrames      *clip);
void                 reel_preview_pipeline_set_background_placement (ReelPreviewPipeline *self,
                                                                     double           scale,
                                                                     double           offset_x,
                                                                     double           offset_y);
void                 reel_preview_pipeline_set_plate_placement  (ReelPreviewPipeline *self,
                                                                 double               scale,
                                                                 double               offset_x,
                                                                 double               offset_y);
gboolean             reel_preview_pipeline_pick_color           (ReelPreviewPipeline *self,
                                                                 double               x,
                                                                 double               y,
                                                                 guint32             *rgb);

G_END_DECLS
