/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define REEL_TYPE_SET_PLAN_AREA (reel_set_plan_area_get_type ())

G_DECLARE_FINAL_TYPE (ReelSetPlanArea, reel_set_plan_area, REEL, SET_PLAN_AREA, GtkWidget)

/*
 * ReelSetPlanArea: where the Set view draws its plan. Unlike a GtkDrawingArea, its owner
 * snapshots it: the set's layer goes in as a texture the renderer keeps from frame to
 * frame, and only the part where cameras and marks are drawn is painted again while one
 * of them is dragged.
 */

typedef void (*ReelSetPlanAreaSnapshotFunc) (ReelSetPlanArea *area,
                                             GtkSnapshot     *snapshot,
                                             int              width,
                                             int              height,
                                             gpointer         user_data);

GtkWidget *reel_set_plan_area_new               (void);
void       reel_set_plan_area_set_snapshot_func (ReelSetPlanArea             *self,
                                                 ReelSetPlanAreaSnapshotFunc  func,
                                                 gpointer                     user_data);

G_END_DECLS
