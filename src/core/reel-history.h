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
 * "Change Lens", NULL when nothing), "max-steps" (read-write uint), "at-saved"
 * (boolean: undo and redo have led back to the state last marked saved).
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

/* Asset hashes that the command just pushed (or the open group) can bring back
 * by undo or redo: an asset the history holds stays in the file. */
void         reel_history_hold_assets     (ReelHistory        *self,
                                           const char * const *hashes);
/* Adds (g_hash_table_add, g_strdup'd keys) every hash held by a step to @set. */
void         reel_history_collect_assets  (ReelHistory      *self,
                                           GHashTable       *set);

/* Groups: every command pushed between begin and end is one step named @label
 * (a drag, a multi-shot action). Groups nest; only the outermost label counts.
 * An empty group records nothing. */
void         reel_history_begin_group     (ReelHistory      *self,
                                           const char       *label);
void         reel_history_end_group       (ReelHistory      *self);
gboolean     reel_history_in_group        (ReelHistory      *self);
/* Ends every open group now, recording what it holds as one step: a gesture
 * ended without its release (focus lost, a broken grab, a project switch). The
 * end_group() calls still owed by those groups later do nothing. */
void         reel_history_close_groups    (ReelHistory      *self);

/* A widget's gesture (a drag, a slider held down): at most one group open at a
 * time, ended on the history it was opened on, even if the widget has switched
 * projects since. Zero-initialise; end it in dispose. */
typedef struct
{
  ReelHistory *history;
} ReelHistoryGesture;

/* Does nothing when @history is NULL or the gesture is already open. */
void         reel_history_gesture_begin   (ReelHistoryGesture *gesture,
                                           ReelHistory        *history,
                                           const char         *label);
/* Does nothing when the gesture is not open. */
void         reel_history_gesture_end     (ReelHistoryGesture *gesture);
/* Work that finishes later than the gesture that asked for it (a generation, a
 * render): what is pushed between begin and end is one step of its own, named
 * @label, recorded beside a group that may be open rather than inside it. */
void         reel_history_begin_detached  (ReelHistory      *self,
                                           const char       *label);
void         reel_history_end_detached    (ReelHistory      *self);

/* FALSE when there is nothing to undo/redo. An open group is closed first. */
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
/* Forgets every step (e.g. after opening a file), and where the saved state was. */
void         reel_history_clear           (ReelHistory      *self);

/* The state now is the saved one (the project calls this when it is saved). */
void         reel_history_mark_saved      (ReelHistory      *self);
/* The saved state can no longer be reached by undo or redo (an edit that
 * bypassed the history). */
void         reel_history_forget_saved    (ReelHistory      *self);
gboolean     reel_history_get_at_saved    (ReelHistory      *self);

G_END_DECLS
