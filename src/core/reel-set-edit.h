/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/reel-project.h"
#include "core/reel-set.h"
#include "core/reel-shot-camera.h"

G_BEGIN_DECLS

/*
 * Undoable edits of sets and shot cameras (one step each, see reel-edit.h). A shot
 * with a camera has its size, angle, movement, lens and camera height derived from
 * it in the same step, so the shot list, the prompt and the picture agree; changing
 * the set re-derives every shot of the scene that has a camera.
 */

/* @set nullable (the scene has no set). @label: the step's name (translated, e.g.
 * _("Move Prop")), NULL for "Change Set". */
gboolean reel_edit_set_scene_set    (ReelProject          *project,
                                     ReelScene            *scene,
                                     const ReelSet        *set,
                                     const char           *label);
/* @camera nullable (the shot keeps its own fields from then on). */
gboolean reel_edit_set_shot_camera  (ReelProject          *project,
                                     ReelShot             *shot,
                                     const ReelShotCamera *camera);
/* Writes the fields derived from @shot's camera as it stands in its scene through the
 * history, inside the caller's group (no step of its own); nothing when it has no
 * camera. For a shot that arrives in a scene with its camera (a paste), whose set may
 * differ from the one it came from. */
void     reel_edit_apply_shot_camera (ReelProject         *project,
                                      ReelShot            *shot);
/* The derivation alone, for @shot as it stands in its scene and project (plain: no
 * undo step). FALSE when the shot has no camera. */
gboolean reel_shot_derive_camera    (ReelShot             *shot,
                                     ReelProject          *project,
                                     ReelCameraDerived    *out);
/* "New angle": a new shot after @shot with the proposed camera, one undo step.
 * Returns the new shot (transfer none), or NULL with @error (REEL_NEW_ANGLE_ERROR)
 * naming what is missing: the set, @shot's camera, a mark in view, a second mark. */
ReelShot *reel_edit_add_new_angle   (ReelProject          *project,
                                     ReelShot             *shot,
                                     ReelNewAngle          kind,
                                     GError              **error);
/* The scene's look: the chosen background of its establishing shot (the first shot
 * framed "establishing" that has one), as an asset hash; NULL when there is none. Every
 * angle of the scene is asked to show that place. */
const char *reel_scene_get_look_background (ReelScene        *scene);

typedef enum
{
  REEL_SCENE_LOOK_NONE,
  REEL_SCENE_LOOK_IS,       /* the establishing shot's chosen background itself */
  REEL_SCENE_LOOK_SHARES,   /* made with it (or the project's look image) as a reference */
} ReelSceneLook;

/* Whether @asset, a variant of a shot of @scene, shows the scene's look: the gallery marks
 * the variants that do. */
ReelSceneLook reel_scene_look_of_variant   (ReelScene   *scene,
                                            ReelProject *project,
                                            ReelAsset   *asset);

/* The 180° rule for @shot against the previous shot of its scene that has a camera;
 * @out_reason as reel_shot_camera_crosses_line(). */
gboolean reel_shot_crosses_line     (ReelShot             *shot,
                                     char                **out_reason);

G_END_DECLS
