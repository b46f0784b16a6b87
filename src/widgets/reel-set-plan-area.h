/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define REEL_TYPE_SET_PLAN_AREA (reel_set_plan_area_get_type ())

G_DECLARE_FINAL_TYPE (ReelSetPlanArea, reel_set_plan_area, REEL, SET_PLAN_AREA, GtkWidget)

/*
 * ReelSetPlanArea: where the Set view draws its plan and its gray-box view. Unlike a
 * GtkDrawingArea, its owner snapshots it with render nodes it keeps from frame to frame:
 * the set's layer and what stands still over it stay as they are while a camera is
 * dragged, and only the camera is painted again; a gray-box render arrives as a node made
 * on the worker thread that drew it. It emits "resize" (width, height) as
 * GtkDrawingArea does.
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
