/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "core/reel-shot-camera.h"

G_BEGIN_DECLS

/*
 * The set seen from above, as the Set view and exports draw it: the floor, walls with
 * their openings, props as the footprints of their parts, actors' marks with the way
 * they face, the line of action, and every shot's camera as a numbered frustum as wide
 * as its field of view. +X to the right, +Z down the page, as in reel-set.h.
 */

typedef struct
{
  const ReelShotCamera *camera;
  const char *label;          /* the shot number */
} ReelPlanCamera;

/* Where the plan puts the world: pixel = (origin_x + x · scale, origin_y + z · scale).
 * Fits the floor, the props (not the water), the marks and the cameras into @width ×
 * @height with a margin. */
void     reel_set_plan_get_transform (const ReelSet        *set,
                                      const ReelPlanCamera *cameras,
                                      guint                 n_cameras,
                                      double                width,
                                      double                height,
                                      double               *scale,
                                      double               *origin_x,
                                      double               *origin_y);
/* Draws into @cr (already cleared or not) at the transform above; @selected is the index
 * of the highlighted camera or -1. */
void     reel_set_plan_draw          (cairo_t              *cr,
                                      const ReelSet        *set,
                                      const ReelPlanCamera *cameras,
                                      guint                 n_cameras,
                                      double                sensor_width_mm,
                                      double                width,
                                      double                height,
                                      int                   selected);
/* The plan as a PNG (transfer full), NULL with @error. */
GBytes  *reel_set_plan_render_png    (const ReelSet        *set,
                                      const ReelPlanCamera *cameras,
                                      guint                 n_cameras,
                                      double                sensor_width_mm,
                                      int                   width,
                                      int                   height,
                                      int                   selected,
                                      GError              **error);

G_END_DECLS
