/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define REEL_TYPE_HISTORY (reel_history_get_type ())

G_DECLARE_FINAL_TYPE (ReelHistory, reel_history, REEL, HISTORY, GObject)

#define REEL_HISTORY_DEFAULT_MAX_STEPS 500

/*
 * ReelHistory: undo/redo of every edit of a project (reel-edit.h records into
 * it). A step is one command or one group of commands. The history keeps at
 * most "max-steps" steps, dropping the oldest. Recording a new step clears the
 * redo list.
 *
 * Properties (read-only unless noted): "can-undo", "can-redo" (booleans for
 * action states), "undo-label", "redo-label" (translated command names such as
 * "Change Lens", NULL when nothing), "max-steps" (read-write uint).
 */

/* Called to undo or redo a command; the command was already applied (or undone). */
typedef void (*ReelHistoryFunc) (gpointer data);

ReelHistory *reel_history_new             (guint             max_steps);

/* Records a command that has just been performed. @undo reverts it, @redo applies
 * it again; @destroy frees @data when the command leaves the history. While an
 * undo or redo runs, nothing is recorded (the call only frees @data), so plain
 * code paths may safely be shared. @label is translated, e.g. _("Change Lens"). */
void         reel_history_push            (ReelHistory      *self,
                                           const char       *label,
                                           ReelHistoryFunc   undo,
                                           ReelHistoryFunc   redo,
                                           gpointer          data,
                                           GDestroyNotify    destroy);

/* Groups: every command pushed between begin and end is one step named @label
 * (a drag, a multi-shot action). Groups nest; only the outermost label counts.
 * An empty group records nothing. */
void         reel_history_begin_group     (ReelHistory      *self,
                                           const char       *label);
void         reel_history_end_group       (ReelHistory      *self);
gboolean     reel_history_in_group        (ReelHistory      *self);

/* FALSE when there is nothing to undo/redo. Not allowed inside a group. */
gboolean     reel_history_undo            (ReelHistory      *self);
gboolean     reel_history_redo            (ReelHistory      *self);
gboolean     reel_history_can_undo        (ReelHistory      *self);
gboolean     reel_history_can_redo        (ReelHistory      *self);
/* TRUE while an undo or redo runs. */
gboolean     reel_history_is_replaying    (ReelHistory      *self);

/* Nullable translated labels of the next undo/redo step ("Change Lens"). */
const char  *reel_history_get_undo_label  (ReelHistory      *self);
const char  *reel_history_get_redo_label  (ReelHistory      *self);
/* Menu text: "Undo Change Lens", or "Undo" when there is nothing. Transfer full. */
char        *reel_history_dup_undo_menu_label (ReelHistory  *self);
char        *reel_history_dup_redo_menu_label (ReelHistory  *self);

guint        reel_history_get_n_undo      (ReelHistory      *self);
guint        reel_history_get_n_redo      (ReelHistory      *self);
guint        reel_history_get_max_steps   (ReelHistory      *self);
void         reel_history_set_max_steps   (ReelHistory      *self,
                                           guint             max_steps);
/* Forgets every step (e.g. after opening a file). */
void         reel_history_clear           (ReelHistory      *self);

G_END_DECLS
