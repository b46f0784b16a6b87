/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "core/reel-project.h"

G_BEGIN_DECLS

#define REEL_TYPE_EXPORT_DIALOG (reel_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ReelExportDialog, reel_export_dialog, REEL, EXPORT_DIALOG, AdwWindow)

/*
 * ReelExportDialog: the Export dialog. It lists the formats of the registry, the scope
 * (whole project, a scene, the selected shots), the options of the chosen format and the
 * output; it remembers the last choices in GSettings; while exporting it shows progress
 * and its Cancel button cancels.
 *
 * @project_file (nullable) is where the project is saved: linked footage is found from it
 * and the output goes beside it by default. @current_scene (nullable) is the scene the scene
 * scope starts on; @selected_shots (nullable) are the shots of the "selected shots" scope.
 */
ReelExportDialog *reel_export_dialog_new            (GtkWindow    *parent,
                                                     ReelProject  *project,
                                                     GFile        *project_file,
                                                     ReelScene    *current_scene,
                                                     GPtrArray    *selected_shots);

/* Where the export will be written (transfer none). */
GFile            *reel_export_dialog_get_output     (ReelExportDialog *self);
void              reel_export_dialog_set_output     (ReelExportDialog *self,
                                                     GFile            *output);
/* Starts the export, as the Export button does. */
void              reel_export_dialog_start          (ReelExportDialog *self);

/* The win.export action of ReelWindow: opens the dialog for the window's project. */
void              reel_export_dialog_window_action  (GtkWidget        *window,
                                                     const char       *action_name,
                                                     GVariant         *parameter);

G_END_DECLS
