/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gst/video/gstvideofilter.h>

#include "reel-clip-frames.h"

G_BEGIN_DECLS

#define REEL_TYPE_CHROMA_KEY (reel_chroma_key_get_type ())

G_DECLARE_FINAL_TYPE (ReelChromaKey, reel_chroma_key, REEL, CHROMA_KEY, GstVideoFilter)

/* The same defaults as a new ReelPlate. */
#define REEL_CHROMA_KEY_DEFAULT_COLOR      0x00b140  /* chroma-key green */
#define REEL_CHROMA_KEY_DEFAULT_SIMILARITY 0.40
#define REEL_CHROMA_KEY_DEFAULT_SOFTNESS   0.10
#define REEL_CHROMA_KEY_DEFAULT_SPILL      0.50

void       reel_chroma_key_set_key             (ReelChromaKey   *self,
                                                guint32          rgb,
                                                double           similarity,
                                                double           softness,
                                                double           spill);
void       reel_chroma_key_set_background      (ReelChromaKey   *self,
                                                cairo_surface_t *image);
void       reel_chroma_key_set_background_clip (ReelChromaKey   *self,
                                                ReelClipFrames  *clip);
void       reel_chroma_key_set_background_placement (ReelChromaKey *self,
                                                     double         scale,
                                                     double         offset_x,
                                                     double         offset_y);
void       reel_chroma_key_set_plate_placement (ReelChromaKey   *self,
                                                double           scale,
                                                double           offset_x,
                                                double           offset_y);

GstBuffer *reel_chroma_key_recomposite         (ReelChromaKey   *self);
/* The presentation time of the last frame that came in, or GST_CLOCK_TIME_NONE: a
 * recomposite of an older one is out of date. */
GstClockTime reel_chroma_key_get_last_input_pts (ReelChromaKey *self);
gboolean   reel_chroma_key_sample_plate        (ReelChromaKey   *self,
                                                double           x,
                                                double           y,
                                                guint32         *rgb);
guint64    reel_chroma_key_get_n_settings_swaps (ReelChromaKey  *self);

G_END_DECLS
