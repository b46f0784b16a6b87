/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/reel-project.h"

G_BEGIN_DECLS

#define REEL_TYPE_SHOT_LIST_VIEW (reel_shot_list_view_get_type ())

G_DECLARE_FINAL_TYPE (ReelShotListView, reel_shot_list_view, REEL, SHOT_LIST_VIEW, GtkWidget)

/*
 * ReelShotListView: every shot of the project as an editable, sortable table.
 * Properties:
 *   "project"         ReelProject
 *   "current-shot"    ReelShot: follows the selection, and selects its row when set
 *   "selected-shots"  GListModel of ReelShot, read-only: the selected rows (notified
 *                     whenever the selection changes)
 * Edits go through reel-edit.h; sorting the table does not reorder the project.
 */

GtkWidget   *reel_shot_list_view_new              (void);
ReelProject *reel_shot_list_view_get_project      (ReelShotListView *self);
void         reel_shot_list_view_set_project      (ReelShotListView *self,
                                                   ReelProject      *project);
ReelShot    *reel_shot_list_view_get_current_shot (ReelShotListView *self);
void         reel_shot_list_view_set_current_shot (ReelShotListView *self,
                                                   ReelShot         *shot);
/* The rows in table order (transfer none). */
GtkSelectionModel *reel_shot_list_view_get_selection_model (ReelShotListView *self);

G_END_DECLS
