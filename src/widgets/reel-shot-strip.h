/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/reel-project.h"
#include "reel-thumbnailer.h"

G_BEGIN_DECLS

#define REEL_TYPE_SHOT_STRIP (reel_shot_strip_get_type ())

G_DECLARE_FINAL_TYPE (ReelShotStrip, reel_shot_strip, REEL, SHOT_STRIP, GtkWidget)

/*
 * ReelShotStrip: every shot of the project as a horizontal strip of cards,
 * grouped by scene behind a heading card. A GtkListView, so only the visible
 * cards exist, and their thumbnails come from a ReelThumbnailer. Properties:
 *   "project"       ReelProject
 *   "current-shot"  ReelShot: a selected card; clicking a card makes it the current shot
 *   "selected-shots" GListModel of ReelShot, read-only: the selected cards (Ctrl and
 *                   Shift select several), in strip order
 * Dragging a card onto another moves the shot there (one undo step).
 */

GtkWidget        *reel_shot_strip_new               (void);
ReelProject      *reel_shot_strip_get_project       (ReelShotStrip *self);
void              reel_shot_strip_set_project       (ReelShotStrip *self,
                                                     ReelProject   *project);
ReelShot         *reel_shot_strip_get_current_shot  (ReelShotStrip *self);
void              reel_shot_strip_set_current_shot  (ReelShotStrip *self,
                                                     ReelShot      *shot);
ReelThumbnailer  *reel_shot_strip_get_thumbnailer   (ReelShotStrip *self);
/* The list of scene headings and shots the strip shows (transfer none). */
GListModel       *reel_shot_strip_get_items         (ReelShotStrip *self);
/* Position of @shot in reel_shot_strip_get_items(), or GTK_INVALID_LIST_POSITION. */
guint             reel_shot_strip_get_position      (ReelShotStrip *self,
                                                     ReelShot      *shot);
/* Transfer none. */
GListModel       *reel_shot_strip_get_selected_shots (ReelShotStrip *self);
GtkAdjustment    *reel_shot_strip_get_hadjustment   (ReelShotStrip *self);

G_END_DECLS
