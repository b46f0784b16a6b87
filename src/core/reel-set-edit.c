/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-set-edit"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-edit.h"
#include "reel-history.h"
#include "reel-set-edit.h"

static gboolean
set_boxed (ReelProject *project,
           GObject     *target,
           const char  *property,
           GType        type,
           gconstpointer value)
{
  g_auto(GValue) gvalue = G_VALUE_INIT;

  g_value_init (&gvalue, type);
  g_value_set_boxed (&gvalue, value);
  return reel_edit_set (project, target, property, &gvalue);
}

void
reel_edit_apply_shot_camera (ReelProject *project,
                             ReelShot    *shot)
{
  ReelCameraDerived derived;

  if (!reel_shot_derive_camera (shot, project, &derived))
    return;

  if (derived.size_id != NULL)
    reel_edit_set_string (project, G_OBJECT (shot), "size", derived.size_id);
  reel_edit_set_string (project, G_OBJECT (shot), "angle", derived.angle_id);
  reel_edit_set_string (project, G_OBJECT (shot), "movement", derived.movement_id);
  reel_edit_set_double (project, G_OBJECT (shot), "lens-mm", derived.lens_mm);
  reel_edit_set_double (project, G_OBJECT (shot), "camera-height-m", derived.height_m);
}

gboolean
reel_edit_set_scene_set (ReelProject   *project,
                         ReelScene     *scene,
                         const ReelSet *set,
                         const char    *label)
{
  ReelHistory *history;
  gboolean changed;

  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (REEL_IS_SCENE (scene), FALSE);

  history = reel_project_get_history (project);
  reel_history_begin_group (history, label != NULL ? label : _("Change Set"));
  changed = set_boxed (project, G_OBJECT (scene), "set", REEL_TYPE_SET, set);
  if (changed)
    for (guint i = 0; i < reel_scene_get_n_shots (scene); i++)
      reel_edit_apply_shot_camera (project, reel_scene_get_shot (scene, i));
  reel_history_end_group (history);

  return changed;
}

gboolean
reel_edit_set_shot_camera (ReelProject          *project,
                           ReelShot             *shot,
                           const ReelShotCamera *camera)
{
  ReelHistory *history;
  gboolean changed;

  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (REEL_IS_SHOT (shot), FALSE);

  history = reel_project_get_history (project);
  reel_history_begin_group (history, _("Move Camera"));
  changed = set_boxed (project, G_OBJECT (shot), "camera", REEL_TYPE_SHOT_CAMERA, camera);
  if (changed)
    reel_edit_apply_shot_camera (project, shot);
  reel_history_end_group (history);

  return changed;
}

gboolean
reel_shot_derive_camera (ReelShot          *shot,
                         ReelProject       *project,
                         ReelCameraDerived *out)
{
  const ReelShotCamera *camera;
  ReelScene *scene;

  g_return_val_if_fail (REEL_IS_SHOT (shot), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  camera = reel_shot_get_camera (shot);
  if (camera == NULL)
    return FALSE;

  scene = reel_shot_get_scene (shot);
  reel_shot_camera_derive (camera, scene != NULL ? reel_scene_get_set (scene) : NULL,
                           project != NULL ? reel_project_get_sensor (project) : NULL,
                           project != NULL ? reel_project_get_aspect_ratio (project) : 0,
                           out);
  return TRUE;
}

ReelShot *
reel_edit_add_new_angle (ReelProject   *project,
                         ReelShot      *shot,
                         ReelNewAngle   kind,
                         GError       **error)
{
  g_autoptr(ReelShotCamera) camera = NULL;
  g_autoptr(ReelShot) new_shot = NULL;
  ReelScene *scene;
  ReelHistory *history;
  guint position;

  g_return_val_if_fail (REEL_IS_PROJECT (project), NULL);
  g_return_val_if_fail (REEL_IS_SHOT (shot), NULL);

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  scene = reel_shot_get_scene (shot);
  if (scene == NULL || !reel_scene_find_shot (scene, shot, &position)
      || reel_scene_get_set (scene) == NULL)
    {
      g_set_error_literal (error, REEL_NEW_ANGLE_ERROR, REEL_NEW_ANGLE_ERROR_NO_SET,
                           _("The scene has no set: give it one in the Set view."));
      return NULL;
    }
  if (reel_shot_get_camera (shot) == NULL)
    {
      g_set_error (error, REEL_NEW_ANGLE_ERROR, REEL_NEW_ANGLE_ERROR_NO_CAMERA,
                   /* Translators: %s is a shot number */
                   _("Shot %s has no camera on the set: place one in the Set view."),
                   reel_shot_get_number (shot));
      return NULL;
    }
  if (!reel_shot_camera_propose (reel_shot_get_camera (shot), reel_scene_get_set (scene), kind,
                                 &camera, error))
    return NULL;

  new_shot = reel_shot_new ();
  reel_shot_set_description (new_shot, reel_shot_get_description (shot));
  reel_shot_set_cast (new_shot, reel_shot_get_cast (shot));
  reel_shot_set_duration (new_shot, reel_shot_get_duration (shot));
  if (kind == REEL_NEW_ANGLE_OTS)
    reel_shot_set_framing (new_shot, "ots");

  history = reel_project_get_history (project);
  /* Translators: %s is a kind of new angle ("Reverse", "Wider" …) */
  {
    g_autofree char *label = g_strdup_printf (_("New Angle: %s"), reel_new_angle_get_label (kind));

    reel_history_begin_group (history, label);
  }
  reel_edit_insert_shot (project, scene, position + 1, new_shot);
  reel_edit_set_shot_camera (project, new_shot, camera);
  reel_history_end_group (history);

  return new_shot;
}

const char *
reel_scene_get_look_background (ReelScene *scene)
{
  g_return_val_if_fail (REEL_IS_SCENE (scene), NULL);

  for (guint i = 0; i < reel_scene_get_n_shots (scene); i++)
    {
      ReelShot *shot = reel_scene_get_shot (scene, i);

      if (g_strcmp0 (reel_shot_get_framing (shot), "establishing") == 0
          && reel_shot_get_background (shot) != NULL)
        return reel_shot_get_background (shot);
    }

  return NULL;
}

ReelSceneLook
reel_scene_look_of_variant (ReelScene   *scene,
                            ReelProject *project,
                            ReelAsset   *asset)
{
  const char *look_background, *look_image;
  ReelGenerationRecord *record;

  g_return_val_if_fail (REEL_IS_SCENE (scene), REEL_SCENE_LOOK_NONE);
  g_return_val_if_fail (REEL_IS_ASSET (asset), REEL_SCENE_LOOK_NONE);

  look_background = reel_scene_get_look_background (scene);
  if (g_strcmp0 (look_background, reel_asset_get_hash (asset)) == 0)
    return REEL_SCENE_LOOK_IS;

  look_image = project != NULL ? reel_project_get_look_image (project) : NULL;
  record = reel_asset_get_generation (asset);
  for (guint i = 0; record != NULL && record->input_hashes != NULL && record->input_hashes[i];
       i++)
    if (g_strcmp0 (record->input_hashes[i], look_background) == 0
        || g_strcmp0 (record->input_hashes[i], look_image) == 0)
      return REEL_SCENE_LOOK_SHARES;

  return REEL_SCENE_LOOK_NONE;
}

gboolean
reel_shot_crosses_line (ReelShot  *shot,
                        char     **out_reason)
{
  ReelScene *scene;
  guint position;

  g_return_val_if_fail (REEL_IS_SHOT (shot), FALSE);

  if (out_reason != NULL)
    *out_reason = NULL;

  scene = reel_shot_get_scene (shot);
  if (scene == NULL || reel_scene_get_set (scene) == NULL || reel_shot_get_camera (shot) == NULL
      || !reel_scene_find_shot (scene, shot, &position))
    return FALSE;

  for (guint i = position; i > 0; i--)
    {
      ReelShot *previous = reel_scene_get_shot (scene, i - 1);

      if (reel_shot_get_camera (previous) != NULL)
        return reel_shot_camera_crosses_line (reel_shot_get_camera (previous),
                                              reel_shot_get_camera (shot),
                                              reel_scene_get_set (scene), out_reason);
    }

  return FALSE;
}
