/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "core/reel-project.h"

G_BEGIN_DECLS

#define REEL_TYPE_BATCH_DIALOG (reel_batch_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ReelBatchDialog, reel_batch_dialog, REEL, BATCH_DIALOG, AdwWindow)

/*
 * ReelBatchDialog: background variants for many shots (a scene, the project) one shot
 * after another, with the overall progress. Each shot's images are kept with it as soon
 * as they arrive, so stopping halfway loses nothing already made.
 */

/* @shots: (element-type ReelShot): the shots, in order. */
GtkWidget *reel_batch_dialog_new         (GtkWindow   *parent,
                                          ReelProject *project,
                                          GPtrArray   *shots,
                                          const char  *provider_id,
                                          guint        variants);
/* Starts as the Generate button does (tests). */
void       reel_batch_dialog_start       (ReelBatchDialog *self);
gboolean   reel_batch_dialog_is_running  (ReelBatchDialog *self);
guint      reel_batch_dialog_get_n_done  (ReelBatchDialog *self);
guint      reel_batch_dialog_get_n_failed (ReelBatchDialog *self);

G_END_DECLS
