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
/* What of the plan to draw, bottom to top: a view keeps the set's layer while cameras move
 * over it. */
typedef enum
{
  REEL_PLAN_LAYER_SET     = 1 << 0,   /* floor, water, props, walls, line of action */
  REEL_PLAN_LAYER_CAMERAS = 1 << 1,
  REEL_PLAN_LAYER_MARKS   = 1 << 2,
  REEL_PLAN_LAYER_ALL     = 0x7,
} ReelPlanLayers;

void     reel_set_plan_draw_layers   (cairo_t              *cr,
                                      const ReelSet        *set,
                                      const ReelPlanCamera *cameras,
                                      guint                 n_cameras,
                                      double                sensor_width_mm,
                                      double                scale,
                                      double                origin_x,
                                      double                origin_y,
                                      int                   selected,
                                      ReelPlanLayers        layers);
/* All layers at a transform given by the caller (a view keeps it while a drag moves a
 * camera past the edge of what the plan fitted). */
void     reel_set_plan_draw_at       (cairo_t              *cr,
                                      const ReelSet        *set,
                                      const ReelPlanCamera *cameras,
                                      guint                 n_cameras,
                                      double                sensor_width_mm,
                                      double                scale,
                                      double                origin_x,
                                      double                origin_y,
                                      int                   selected);

typedef enum
{
  REEL_PLAN_HIT_NONE,
  REEL_PLAN_HIT_CAMERA,       /* the lens (the numbered disc): moves the camera */
  REEL_PLAN_HIT_CAMERA_TIP,   /* the far edge of its field of view: pans it */
  REEL_PLAN_HIT_MARK,
  REEL_PLAN_HIT_PROP,
  REEL_PLAN_HIT_WALL,
  REEL_PLAN_HIT_OPENING,      /* a door or window: @index the wall, @sub the opening */
  REEL_PLAN_HIT_CAMERA_END,   /* where a moving camera ends its move */
} ReelPlanHitKind;

typedef struct
{
  ReelPlanHitKind kind;
  guint index;                /* into @cameras, the marks, the props or the walls */
  guint sub;                  /* the opening of the wall */
} ReelPlanHit;

/* What lies under the pixel (@px, @py) of a plan drawn at the transform given, the
 * topmost first as drawn: marks, cameras, their tips, the ends of their moves, walls'
 * openings, walls, then props (the last drawn first). Water is never hit: it lies under
 * everything. */
ReelPlanHit reel_set_plan_hit        (const ReelSet        *set,
                                      const ReelPlanCamera *cameras,
                                      guint                 n_cameras,
                                      double                scale,
                                      double                origin_x,
                                      double                origin_y,
                                      double                px,
                                      double                py);
/* Where the tip of a camera's field of view is drawn on a plan of @scale pixels per metre,
 * in metres on the floor: 3 m ahead, or further when that would be short on screen. */
void     reel_set_plan_camera_tip    (const ReelCameraPose *pose,
                                      double                scale,
                                      double               *x,
                                      double               *z);

/* Where the handles of a picked prop are, in metres on the floor: the one that turns it
 * stands ahead of its front, the one that sizes it on its front-right corner. */
void     reel_set_plan_prop_handles  (const ReelSetProp    *prop,
                                      double                scale,
                                      double               *turn_x,
                                      double               *turn_z,
                                      double               *size_x,
                                      double               *size_z);

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
