/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/reel-project.h"

G_BEGIN_DECLS

/*
 * Undoable edits. Each function changes the model and records one step in
 * reel_project_get_history(); undo restores exactly, including deleted objects,
 * which come back as the same objects at the same position. Wrap several edits
 * in reel_history_begin_group()/end_group() to make them one step. An edit that
 * changes nothing (same value, out-of-range position) records nothing and
 * returns FALSE.
 */

/* Sets @property of @target (the project, a scene, a shot, a plate of a shot, …)
 * to @value. The step is named after the property ("Change Lens"). */
gboolean reel_edit_set              (ReelProject        *project,
                                     GObject            *target,
                                     const char         *property,
                                     const GValue       *value);
gboolean reel_edit_set_string       (ReelProject        *project,
                                     GObject            *target,
                                     const char         *property,
                                     const char         *value);
gboolean reel_edit_set_int          (ReelProject        *project,
                                     GObject            *target,
                                     const char         *property,
                                     int                 value);
gboolean reel_edit_set_uint         (ReelProject        *project,
                                     GObject            *target,
                                     const char         *property,
                                     guint               value);
gboolean reel_edit_set_int64        (ReelProject        *project,
                                     GObject            *target,
                                     const char         *property,
                                     gint64              value);
gboolean reel_edit_set_double       (ReelProject        *project,
                                     GObject            *target,
                                     const char         *property,
                                     double              value);
gboolean reel_edit_set_boolean      (ReelProject        *project,
                                     GObject            *target,
                                     const char         *property,
                                     gboolean            value);
gboolean reel_edit_set_enum         (ReelProject        *project,
                                     GObject            *target,
                                     const char         *property,
                                     int                 value);
/* Both parts of the rate as one step. */
gboolean reel_edit_set_frame_rate   (ReelProject        *project,
                                     ReelFrameRate       rate);
/* NULL @value removes the key. */
gboolean reel_edit_set_metadata     (ReelProject        *project,
                                     const char         *key,
                                     const char         *value);

/* Shots. @position past the end appends. */
gboolean reel_edit_insert_shot      (ReelProject        *project,
                                     ReelScene          *scene,
                                     guint               position,
                                     ReelShot           *shot);
gboolean reel_edit_remove_shot      (ReelProject        *project,
                                     ReelShot           *shot);
/* Reorders within a scene or moves to another: @to_position is the shot's index
 * in @to_scene after the move. */
gboolean reel_edit_move_shot        (ReelProject        *project,
                                     ReelShot           *shot,
                                     ReelScene          *to_scene,
                                     guint               to_position);
gboolean reel_edit_renumber_scene   (ReelProject        *project,
                                     ReelScene          *scene,
                                     ReelNumberingStyle  style);

/* Scenes. */
gboolean reel_edit_insert_scene     (ReelProject        *project,
                                     guint               position,
                                     ReelScene          *scene);
gboolean reel_edit_remove_scene     (ReelProject        *project,
                                     ReelScene          *scene);
gboolean reel_edit_move_scene       (ReelProject        *project,
                                     ReelScene          *scene,
                                     guint               to_position);

/* Sketch: a whole stroke is one step. The layer is created if missing. */
gboolean reel_edit_add_stroke       (ReelProject        *project,
                                     ReelShot           *shot,
                                     const char         *layer,
                                     ReelStroke         *stroke);
gboolean reel_edit_remove_stroke    (ReelProject        *project,
                                     ReelShot           *shot,
                                     const char         *layer,
                                     guint               position);
gboolean reel_edit_clear_layer      (ReelProject        *project,
                                     ReelShot           *shot,
                                     const char         *layer);
gboolean reel_edit_set_layer_visible (ReelProject       *project,
                                      ReelShot          *shot,
                                      const char        *layer,
                                      gboolean           visible);
gboolean reel_edit_set_layer_opacity (ReelProject       *project,
                                      ReelShot          *shot,
                                      const char        *layer,
                                      double             opacity);

/* Backgrounds. @hash nullable (no background). */
gboolean reel_edit_set_background   (ReelProject        *project,
                                     ReelShot           *shot,
                                     const char         *hash);
/* Stores @asset in the project (reel_project_add_asset) and appends it to the
 * shot's variants. FALSE when it already is a variant. */
gboolean reel_edit_add_variant      (ReelProject        *project,
                                     ReelShot           *shot,
                                     ReelAsset          *asset);
/* Removes a variant; if it was the active background, the background is cleared
 * in the same step. The asset stays in the store (undo needs it). */
gboolean reel_edit_remove_variant   (ReelProject        *project,
                                     ReelShot           *shot,
                                     const char         *hash);
/* Stores @asset and appends it to the shot's generation history. */
gboolean reel_edit_add_generation   (ReelProject        *project,
                                     ReelShot           *shot,
                                     ReelAsset          *asset);
/* Nullable @plate: the shot takes a reference. Changing one of the plate's own
 * settings is reel_edit_set (project, G_OBJECT (plate), "similarity", …). */
gboolean reel_edit_set_plate        (ReelProject        *project,
                                     ReelShot           *shot,
                                     ReelPlate          *plate);

G_END_DECLS
