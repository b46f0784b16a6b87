/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "core/reel-jobs.h"
#include "core/reel-project.h"

G_BEGIN_DECLS

#define REEL_TYPE_WINDOW (reel_window_get_type ())

G_DECLARE_FINAL_TYPE (ReelWindow, reel_window, REEL, WINDOW, AdwApplicationWindow)

/*
 * ReelWindow: one document. Properties:
 *   "project"         ReelProject: the document (a new window has an untitled
 *                     project with one scene and one shot)
 *   "current-shot"    ReelShot, nullable: the shot the views show
 *   "selected-shots"  GListModel of ReelShot, read-only: what shot actions act on,
 *                     in project order (the selection of the visible view, or the
 *                     current shot)
 *   "file"            GFile, read-only, nullable: where the project is saved
 *   "busy"            boolean, read-only: a load or save is under way
 *
 * Keys that text fields use themselves (bare letters, Delete, Ctrl+C/X/V) are bound
 * to "win.unless-typing::ACTION": it runs ACTION, and stands back (disabled, so the
 * key reaches the field) while the focus is in a text field.
 */

ReelWindow  *reel_window_new                  (AdwApplication *application);
ReelWindow  *reel_window_new_for_project      (AdwApplication *application,
                                               ReelProject    *project);

ReelProject *reel_window_get_project          (ReelWindow     *self);
void         reel_window_set_project          (ReelWindow     *self,
                                               ReelProject    *project);
ReelShot    *reel_window_get_current_shot     (ReelWindow     *self);
void         reel_window_set_current_shot     (ReelWindow     *self,
                                               ReelShot       *shot);
/* The shots actions apply to, in project order (transfer container). */
GPtrArray   *reel_window_get_selected_shots   (ReelWindow     *self);
GFile       *reel_window_get_file             (ReelWindow     *self);
/* Reading or writing the project, or, on the Board, still rendering the shot's panel. */
gboolean     reel_window_get_busy             (ReelWindow     *self);
/* Untitled, unchanged and idle: a file opened now may replace its project. */
gboolean     reel_window_is_pristine          (ReelWindow     *self);

/* Loads @file off the main thread and makes it the window's document; if it fails,
 * the error is shown in a dialog and the window keeps what it had. */
void         reel_window_open_file            (ReelWindow     *self,
                                               GFile          *file);
/* Imports a screenplay (Fountain, or Final Draft .fdx) off the main thread as a new
 * untitled project, into this window when it is pristine, else into a new window; if it
 * fails, the error is shown in a dialog and no window or project is added. */
void         reel_window_import_script        (ReelWindow     *self,
                                               GFile          *file);

/* The generations under way for this window (transfer none): a generation started from
 * the window adds its cancellable, and drops its result when the window has closed. */
ReelJobs    *reel_window_get_jobs             (ReelWindow     *self);
/* Cancels every generation of the window without asking (quitting). */
void         reel_window_cancel_jobs          (ReelWindow     *self);

/* A new project with one scene and one shot. Transfer full. */
ReelProject *reel_window_create_empty_project (void);

G_END_DECLS
