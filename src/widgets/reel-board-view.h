/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/reel-project.h"

G_BEGIN_DECLS

#define REEL_TYPE_BOARD_VIEW (reel_board_view_get_type ())

G_DECLARE_FINAL_TYPE (ReelBoardView, reel_board_view, REEL, BOARD_VIEW, GtkWidget)

/*
 * ReelBoardView: the storyboard page. The current shot large on a ReelCanvas with
 * the drawing tools above it, the ReelShotStrip of every shot below, and the
 * ReelInspector in a sidebar. Properties:
 *   "project"          ReelProject
 *   "current-shot"     ReelShot (the window binds both both ways)
 *   "tool"             the canvas tool (see reel-canvas.h)
 *   "active-layer"     the layer strokes go to
 *   "show-mask", "show-thirds", "show-action-safe", "show-title-safe"  guides
 *   "sketch-visible", "notes-visible"  the current shot's layers (undoable)
 *   "inspector-visible"
 *   "selected-shots"   GListModel of ReelShot, read-only: the cards selected in the strip
 * Its actions ("board.*") have their keys bound on the class: 1–7 tools, [ and ]
 * brush size, Left/Right previous/next shot, M/G/A/T guides, Ctrl+plus/minus/0
 * zoom, F9 the inspector.
 */

ReelProject *reel_board_view_get_project      (ReelBoardView *self);
void         reel_board_view_set_project      (ReelBoardView *self,
                                               ReelProject   *project);
ReelShot    *reel_board_view_get_current_shot (ReelBoardView *self);
void         reel_board_view_set_current_shot (ReelBoardView *self,
                                               ReelShot      *shot);
/* The parts, for tests and for the window (transfer none). */
GtkWidget   *reel_board_view_get_canvas       (ReelBoardView *self);
GtkWidget   *reel_board_view_get_strip        (ReelBoardView *self);
GtkWidget   *reel_board_view_get_inspector    (ReelBoardView *self);

G_END_DECLS
