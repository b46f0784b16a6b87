/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/reel-project.h"

G_BEGIN_DECLS

#define REEL_TYPE_SET_VIEW (reel_set_view_get_type ())

G_DECLARE_FINAL_TYPE (ReelSetView, reel_set_view, REEL, SET_VIEW, GtkWidget)

/*
 * ReelSetView: the current scene's set seen from above, and beside it the current
 * shot's gray-box view, rendered off the main thread while the plan is edited.
 *
 * Properties:
 *   "project"       ReelProject
 *   "current-shot"  ReelShot (read-write: picking a camera on the plan makes its shot current)
 *   "tool"          string: "select" (move and turn things, move and pan cameras), "wall",
 *                   "prop", "mark"
 *   "prop-kind"     string: the preset the prop tool places ("table", …)
 */

GtkWidget   *reel_set_view_new               (void);

ReelProject *reel_set_view_get_project       (ReelSetView *self);
void         reel_set_view_set_project       (ReelSetView *self,
                                              ReelProject *project);
ReelShot    *reel_set_view_get_current_shot  (ReelSetView *self);
void         reel_set_view_set_current_shot  (ReelSetView *self,
                                              ReelShot    *shot);

/* The plan's drawing area and the gray-box view (transfer none). */
GtkWidget   *reel_set_view_get_plan          (ReelSetView *self);
GtkWidget   *reel_set_view_get_greybox       (ReelSetView *self);
/* Where the plan shows the floor point (@x, @z), in the plan widget's coordinates. */
void         reel_set_view_plan_point        (ReelSetView *self,
                                              double       x,
                                              double       z,
                                              double      *plan_x,
                                              double      *plan_y);
/* TRUE while a gray-box render runs or waits: the view does not show the model yet. */
gboolean     reel_set_view_is_rendering      (ReelSetView *self);
/* How many gray-box renders have been shown. */
guint        reel_set_view_get_n_renders     (ReelSetView *self);

G_END_DECLS
