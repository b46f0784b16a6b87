/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "core/reel-plate.h"
#include "core/reel-shot-camera.h"
#include "core/reel-sketch.h"

G_BEGIN_DECLS

#define REEL_TYPE_SHOT (reel_shot_get_type ())

G_DECLARE_FINAL_TYPE (ReelShot, reel_shot, REEL, SHOT, GObject)

typedef struct _ReelScene ReelScene;

/*
 * ReelShot: one shot of a scene. Properties (read-write unless noted, each
 * notified when it changes; setters are plain and do not record undo steps —
 * use reel-edit.h for user edits):
 *
 *   "id"               string, construct-only: stable UUID, never shown
 *   "number"           string: the editable shot number ("12A", "1-1")
 *   "description"      string: the action
 *   "dialogue"         string
 *   "notes"            string
 *   "cast"             string: characters in the shot, comma separated
 *   "size"             string: id from REEL_VOCAB_SIZE
 *   "framing"          string: id from REEL_VOCAB_FRAMING
 *   "angle"            string: id from REEL_VOCAB_ANGLE
 *   "movement"         string: id from REEL_VOCAB_MOVEMENT
 *   "lens-mm"          double: focal length, default 35
 *   "camera-height-m"  double: default 1.6
 *   "duration"         gint64: frames at the project rate, default 48, >= 1
 *   "status"           string: id from REEL_VOCAB_STATUS
 *   "vfx-notes"        string
 *   "sketch"           ReelSketch, read-only: owned, always present
 *   "background"       string, nullable: hash of the active background asset
 *   "variants"         GStrv: hashes of the background variants, in order
 *   "plate"            ReelPlate, nullable: reference footage
 *   "generations"      GStrv: hashes of every asset generated for this shot, oldest first
 *   "camera"           ReelShotCamera, nullable: the camera in the scene's set; when
 *                      set, reel_edit_set_shot_camera() keeps size, angle, movement,
 *                      lens and height derived from it
 *
 * String properties are never NULL (except "background"); setting NULL stores "".
 */

ReelShot           *reel_shot_new                (void);
/* For loading: keeps @id (a NULL id makes a new one). */
ReelShot           *reel_shot_new_with_id        (const char         *id);
/* Deep copy with the same id (sketch copied, plate copied). */
ReelShot           *reel_shot_copy               (ReelShot           *self);
/* Deep copy with a new id: the "Duplicate Shot" action. */
ReelShot           *reel_shot_duplicate          (ReelShot           *self);
/* Every property, the sketch and the plate. */
gboolean            reel_shot_equal              (ReelShot           *a,
                                                  ReelShot           *b);

const char         *reel_shot_get_id             (ReelShot           *self);
/* The scene holding the shot (transfer none), or NULL. */
ReelScene          *reel_shot_get_scene          (ReelShot           *self);

const char         *reel_shot_get_number         (ReelShot           *self);
void                reel_shot_set_number         (ReelShot           *self,
                                                  const char         *number);
const char         *reel_shot_get_description    (ReelShot           *self);
void                reel_shot_set_description    (ReelShot           *self,
                                                  const char         *description);
const char         *reel_shot_get_dialogue       (ReelShot           *self);
void                reel_shot_set_dialogue       (ReelShot           *self,
                                                  const char         *dialogue);
const char         *reel_shot_get_notes          (ReelShot           *self);
void                reel_shot_set_notes          (ReelShot           *self,
                                                  const char         *notes);
const char         *reel_shot_get_cast           (ReelShot           *self);
void                reel_shot_set_cast           (ReelShot           *self,
                                                  const char         *cast);
const char         *reel_shot_get_size           (ReelShot           *self);
void                reel_shot_set_size           (ReelShot           *self,
                                                  const char         *size_id);
const char         *reel_shot_get_framing        (ReelShot           *self);
void                reel_shot_set_framing        (ReelShot           *self,
                                                  const char         *framing_id);
const char         *reel_shot_get_angle          (ReelShot           *self);
void                reel_shot_set_angle          (ReelShot           *self,
                                                  const char         *angle_id);
const char         *reel_shot_get_movement       (ReelShot           *self);
void                reel_shot_set_movement       (ReelShot           *self,
                                                  const char         *movement_id);
double              reel_shot_get_lens_mm        (ReelShot           *self);
void                reel_shot_set_lens_mm        (ReelShot           *self,
                                                  double              lens_mm);
double              reel_shot_get_camera_height_m (ReelShot          *self);
void                reel_shot_set_camera_height_m (ReelShot          *self,
                                                   double             height_m);
gint64              reel_shot_get_duration       (ReelShot           *self);
void                reel_shot_set_duration       (ReelShot           *self,
                                                  gint64              frames);
const char         *reel_shot_get_status         (ReelShot           *self);
void                reel_shot_set_status         (ReelShot           *self,
                                                  const char         *status_id);
const char         *reel_shot_get_vfx_notes      (ReelShot           *self);
void                reel_shot_set_vfx_notes      (ReelShot           *self,
                                                  const char         *vfx_notes);

/* Transfer none; the shot owns it for its whole life. */
ReelSketch         *reel_shot_get_sketch         (ReelShot           *self);

/* Nullable hash. */
const char         *reel_shot_get_background     (ReelShot           *self);
void                reel_shot_set_background     (ReelShot           *self,
                                                  const char         *hash);

/* NULL-terminated, never NULL (may be empty). Owned by the shot. */
const char * const *reel_shot_get_variants       (ReelShot           *self);
guint               reel_shot_get_n_variants     (ReelShot           *self);
void                reel_shot_set_variants       (ReelShot           *self,
                                                  const char * const *hashes);
/* Inserts @hash at @position (-1 = end) unless present; FALSE if it was present. */
gboolean            reel_shot_insert_variant     (ReelShot           *self,
                                                  int                 position,
                                                  const char         *hash);
/* Position of @hash in the variants, or -1. */
int                 reel_shot_find_variant       (ReelShot           *self,
                                                  const char         *hash);
/* FALSE when @hash is not a variant. Does not touch "background". */
gboolean            reel_shot_remove_variant     (ReelShot           *self,
                                                  const char         *hash);

const char * const *reel_shot_get_generations    (ReelShot           *self);
guint               reel_shot_get_n_generations  (ReelShot           *self);
void                reel_shot_set_generations    (ReelShot           *self,
                                                  const char * const *hashes);
/* Appends (duplicates allowed: the same image can come back). */
void                reel_shot_add_generation     (ReelShot           *self,
                                                  const char         *hash);
/* Removes the LAST occurrence of @hash; FALSE if none. */
gboolean            reel_shot_remove_generation  (ReelShot           *self,
                                                  const char         *hash);

/* Nullable, transfer none. */
ReelPlate          *reel_shot_get_plate          (ReelShot           *self);
void                reel_shot_set_plate          (ReelShot           *self,
                                                  ReelPlate          *plate);

/* Nullable, transfer none. The setter copies (plain: reel_edit_set_shot_camera() for
 * user edits). */
const ReelShotCamera *reel_shot_get_camera       (ReelShot           *self);
void                reel_shot_set_camera         (ReelShot           *self,
                                                  const ReelShotCamera *camera);

/* Horizontal field of view in degrees for this lens on @sensor_id (reel-optics.h). */
double              reel_shot_get_field_of_view  (ReelShot           *self,
                                                  const char         *sensor_id);

/*
 * A stamp that increases whenever the shot changes: any property, a stroke or a
 * layer of its sketch, a property of its plate. Stamps come from one process-wide
 * counter (reel_revision_current() in reel-project.h), so "changed since I saved"
 * is "revision > the stamp I saved at".
 */
guint64             reel_shot_get_revision       (ReelShot           *self);

G_END_DECLS
