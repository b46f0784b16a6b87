/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk/gdk.h>
#include <gst/gst.h>

G_BEGIN_DECLS

#define REEL_TYPE_VIDEO_PAINTABLE (reel_video_paintable_get_type ())

G_DECLARE_FINAL_TYPE (ReelVideoPaintable, reel_video_paintable, REEL, VIDEO_PAINTABLE, GObject)

ReelVideoPaintable *reel_video_paintable_new             (void);

void                reel_video_paintable_push_frame      (ReelVideoPaintable *self,
                                                          GdkTexture         *texture,
                                                          GstClockTime        pts);
void                reel_video_paintable_set_texture     (ReelVideoPaintable *self,
                                                          GdkTexture         *texture);
void                reel_video_paintable_clear           (ReelVideoPaintable *self);

GdkTexture         *reel_video_paintable_get_texture     (ReelVideoPaintable *self);
GstClockTime        reel_video_paintable_get_pts         (ReelVideoPaintable *self);
guint64             reel_video_paintable_get_n_presented (ReelVideoPaintable *self);
guint64             reel_video_paintable_get_n_dropped   (ReelVideoPaintable *self);

G_END_DECLS
