/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gst/video/gstvideosink.h>

#include "reel-video-paintable.h"

G_BEGIN_DECLS

#define REEL_TYPE_VIDEO_SINK (reel_video_sink_get_type ())

G_DECLARE_FINAL_TYPE (ReelVideoSink, reel_video_sink, REEL, VIDEO_SINK, GstVideoSink)

GstElement         *reel_video_sink_new                 (ReelVideoPaintable *paintable);
ReelVideoPaintable *reel_video_sink_get_paintable       (ReelVideoSink      *self);
gboolean            reel_video_sink_present_buffer      (ReelVideoSink      *self,
                                                         GstBuffer          *buffer);
guint64             reel_video_sink_get_n_rendered      (ReelVideoSink      *self);

guint               reel_video_sink_get_n_mapped_frames (void);
gboolean            reel_video_sink_get_frame_tag       (GdkTexture         *texture,
                                                         guint64            *tag);

G_END_DECLS
