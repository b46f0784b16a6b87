/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/reel-project.h"

G_BEGIN_DECLS

#define REEL_TYPE_INSPECTOR (reel_inspector_get_type ())

G_DECLARE_FINAL_TYPE (ReelInspector, reel_inspector, REEL, INSPECTOR, GtkWidget)

/*
 * ReelInspector: the fields of the current shot and of its scene, edited in
 * place. Every change is an undoable edit (reel-edit.h); typing into one field is
 * one undo step for as long as the field keeps the focus. Properties:
 *   "project"  ReelProject
 *   "shot"     ReelShot, nullable
 * The box called "generation_box" at the end is where the generation panel goes.
 */

GtkWidget   *reel_inspector_new                (void);
ReelProject *reel_inspector_get_project        (ReelInspector *self);
void         reel_inspector_set_project        (ReelInspector *self,
                                                ReelProject   *project);
ReelShot    *reel_inspector_get_shot           (ReelInspector *self);
void         reel_inspector_set_shot           (ReelInspector *self,
                                                ReelShot      *shot);
/* The empty box at the end of the inspector for the generation panel (transfer none). */
GtkBox      *reel_inspector_get_generation_box (ReelInspector *self);
/* Ends the current typing step, so that the next keystroke starts a new one. */
void         reel_inspector_end_typing         (ReelInspector *self);
/* Builds the camera and notes groups now; the inspector builds them by itself once it is
 * laid out (after the window's first frame) or scrolled. */
void         reel_inspector_ensure_groups      (ReelInspector *self);

G_END_DECLS
