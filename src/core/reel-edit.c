/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-edit"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-core-private.h"
#include "reel-edit.h"

/* Commands hold references to the objects they touch (so a deleted shot can come
 * back as the same object) but only a plain pointer to the project: the project
 * owns the history, and drops it before anything else. */

static gboolean
project_owns_scene (ReelProject *project,
                    ReelScene   *scene)
{
  return scene != NULL && reel_scene_get_project (scene) == project;
}

static gboolean
project_owns_shot (ReelProject *project,
                   ReelShot    *shot)
{
  return shot != NULL && project_owns_scene (project, reel_shot_get_scene (shot));
}

/* Labels */

typedef struct
{
  const char *property;
  const char *label;
} PropertyLabel;

static const PropertyLabel project_labels[] = {
  { "title", N_("Change Title") },
  { "frame-rate-num", N_("Change Frame Rate") },
  { "frame-rate-den", N_("Change Frame Rate") },
  { "aspect-ratio", N_("Change Aspect Ratio") },
  { "sensor", N_("Change Sensor") },
  { "look-phrase", N_("Change Look") },
  { "look-image", N_("Change Look Image") },
  { NULL, NULL }
};

static const PropertyLabel scene_labels[] = {
  { "number", N_("Change Scene Number") },
  { "int-ext", N_("Change Interior/Exterior") },
  { "location", N_("Change Location") },
  { "time-of-day", N_("Change Time of Day") },
  { "synopsis", N_("Change Synopsis") },
  { "set", N_("Change Set") },
  { NULL, NULL }
};

static const PropertyLabel shot_labels[] = {
  { "number", N_("Change Shot Number") },
  { "description", N_("Change Description") },
  { "dialogue", N_("Change Dialogue") },
  { "notes", N_("Change Notes") },
  { "cast", N_("Change Cast") },
  { "size", N_("Change Shot Size") },
  { "framing", N_("Change Framing") },
  { "angle", N_("Change Angle") },
  { "movement", N_("Change Movement") },
  { "lens-mm", N_("Change Lens") },
  { "camera-height-m", N_("Change Camera Height") },
  { "duration", N_("Change Duration") },
  { "status", N_("Change Status") },
  { "vfx-notes", N_("Change VFX Notes") },
  { "background", N_("Change Background") },
  { "variants", N_("Change Variants") },
  { "generations", N_("Change Generations") },
  { "plate", N_("Change Reference Footage") },
  { "camera", N_("Move Camera") },
  { NULL, NULL }
};

static const PropertyLabel plate_labels[] = {
  { "key-color", N_("Change Key Color") },
  { "similarity", N_("Change Key Similarity") },
  { "softness", N_("Change Key Softness") },
  { "spill", N_("Change Spill Suppression") },
  { "background-scale", N_("Scale Background") },
  { "background-x", N_("Move Background") },
  { "background-y", N_("Move Background") },
  { "plate-scale", N_("Scale Footage") },
  { "plate-x", N_("Move Footage") },
  { "plate-y", N_("Move Footage") },
  { "muted", N_("Mute Footage") },
  { NULL, NULL }
};

static const char *
label_for_property (GObject    *target,
                    const char *property)
{
  const PropertyLabel *table = NULL;

  if (REEL_IS_PROJECT (target))
    table = project_labels;
  else if (REEL_IS_SCENE (target))
    table = scene_labels;
  else if (REEL_IS_SHOT (target))
    table = shot_labels;
  else if (REEL_IS_PLATE (target))
    table = plate_labels;

  for (; table != NULL && table->property != NULL; table++)
    if (g_str_equal (table->property, property))
      return _(table->label);

  if (REEL_IS_PLATE (target))
    return _("Change Reference Footage");

  return _("Change Property");
}

/* Assets an edit can bring back */

/* The images @shot refers to stay in the file while the history can restore the
 * shot (or the references) this step changes. */
static void
hold_shot_assets (ReelProject *project,
                  ReelShot    *shot)
{
  ReelHistory *history = reel_project_get_history (project);
  const char *background[] = { reel_shot_get_background (shot), NULL };

  reel_history_hold_assets (history, background);
  reel_history_hold_assets (history, reel_shot_get_variants (shot));
  reel_history_hold_assets (history, reel_shot_get_generations (shot));
}

static void
hold_scene_assets (ReelProject *project,
                   ReelScene   *scene)
{
  guint n_shots = reel_scene_get_n_shots (scene);

  for (guint i = 0; i < n_shots; i++)
    hold_shot_assets (project, reel_scene_get_shot (scene, i));
}

/* Properties whose values are asset hashes. */
static void
hold_value_assets (ReelProject  *project,
                   GParamSpec   *pspec,
                   const GValue *value)
{
  ReelHistory *history = reel_project_get_history (project);

  if (!g_str_equal (pspec->name, "background") && !g_str_equal (pspec->name, "look-image") &&
      !g_str_equal (pspec->name, "variants") && !g_str_equal (pspec->name, "generations"))
    return;

  if (G_VALUE_HOLDS_STRING (value))
    {
      const char *hashes[] = { g_value_get_string (value), NULL };

      reel_history_hold_assets (history, hashes);
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_STRV))
    reel_history_hold_assets (history, g_value_get_boxed (value));
}

/* Set a property */

typedef struct
{
  GObject *target;
  GParamSpec *pspec;
  GValue old_value;
  GValue new_value;
} SetProperty;

static void
set_property_free (SetProperty *command)
{
  g_object_unref (command->target);
  g_param_spec_unref (command->pspec);
  g_value_unset (&command->old_value);
  g_value_unset (&command->new_value);
  g_free (command);
}

static void
set_property_undo (SetProperty *command)
{
  g_object_set_property (command->target, command->pspec->name, &command->old_value);
}

static void
set_property_redo (SetProperty *command)
{
  g_object_set_property (command->target, command->pspec->name, &command->new_value);
}

static gboolean
values_equal (GParamSpec   *pspec,
              const GValue *a,
              const GValue *b)
{
  /* Boxed values compare by address; lists of hashes compare by content. */
  if (pspec->value_type == G_TYPE_STRV)
    {
      const char * const *strv_a = g_value_get_boxed (a);
      const char * const *strv_b = g_value_get_boxed (b);

      if (strv_a == NULL || strv_b == NULL)
        return strv_a == strv_b;
      return g_strv_equal (strv_a, strv_b);
    }
  if (pspec->value_type == REEL_TYPE_SET)
    return reel_set_equal (g_value_get_boxed (a), g_value_get_boxed (b));
  if (pspec->value_type == REEL_TYPE_SHOT_CAMERA)
    return reel_shot_camera_equal (g_value_get_boxed (a), g_value_get_boxed (b));

  return g_param_values_cmp (pspec, a, b) == 0;
}

gboolean
reel_edit_set (ReelProject  *project,
               GObject      *target,
               const char   *property,
               const GValue *value)
{
  SetProperty *command;
  GParamSpec *pspec;

  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (G_IS_OBJECT (target), FALSE);
  g_return_val_if_fail (property != NULL, FALSE);
  g_return_val_if_fail (G_IS_VALUE (value), FALSE);

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (target), property);
  g_return_val_if_fail (pspec != NULL, FALSE);
  g_return_val_if_fail ((pspec->flags & G_PARAM_WRITABLE) != 0
                        && (pspec->flags & G_PARAM_CONSTRUCT_ONLY) == 0, FALSE);

  command = g_new0 (SetProperty, 1);
  command->target = g_object_ref (target);
  command->pspec = g_param_spec_ref (pspec);
  g_value_init (&command->old_value, pspec->value_type);
  g_value_init (&command->new_value, pspec->value_type);
  g_object_get_property (target, pspec->name, &command->old_value);

  g_object_set_property (target, pspec->name, value);

  /* Read back what the setter kept (it may clamp): redo must restore exactly that. */
  g_object_get_property (target, pspec->name, &command->new_value);
  if (values_equal (pspec, &command->old_value, &command->new_value))
    {
      set_property_free (command);
      return FALSE;
    }

  reel_history_push (reel_project_get_history (project),
                     label_for_property (target, pspec->name),
                     (ReelHistoryFunc) set_property_undo,
                     (ReelHistoryFunc) set_property_redo,
                     command, (GDestroyNotify) set_property_free);
  hold_value_assets (project, pspec, &command->old_value);
  hold_value_assets (project, pspec, &command->new_value);
  return TRUE;
}

gboolean
reel_edit_set_string (ReelProject *project,
                      GObject     *target,
                      const char  *property,
                      const char  *value)
{
  g_auto(GValue) gvalue = G_VALUE_INIT;

  g_value_init (&gvalue, G_TYPE_STRING);
  g_value_set_string (&gvalue, value);
  return reel_edit_set (project, target, property, &gvalue);
}

gboolean
reel_edit_set_int (ReelProject *project,
                   GObject     *target,
                   const char  *property,
                   int          value)
{
  g_auto(GValue) gvalue = G_VALUE_INIT;

  g_value_init (&gvalue, G_TYPE_INT);
  g_value_set_int (&gvalue, value);
  return reel_edit_set (project, target, property, &gvalue);
}

gboolean
reel_edit_set_uint (ReelProject *project,
                    GObject     *target,
                    const char  *property,
                    guint        value)
{
  g_auto(GValue) gvalue = G_VALUE_INIT;

  g_value_init (&gvalue, G_TYPE_UINT);
  g_value_set_uint (&gvalue, value);
  return reel_edit_set (project, target, property, &gvalue);
}

gboolean
reel_edit_set_int64 (ReelProject *project,
                     GObject     *target,
                     const char  *property,
                     gint64       value)
{
  g_auto(GValue) gvalue = G_VALUE_INIT;

  g_value_init (&gvalue, G_TYPE_INT64);
  g_value_set_int64 (&gvalue, value);
  return reel_edit_set (project, target, property, &gvalue);
}

gboolean
reel_edit_set_double (ReelProject *project,
                      GObject     *target,
                      const char  *property,
                      double       value)
{
  g_auto(GValue) gvalue = G_VALUE_INIT;

  g_value_init (&gvalue, G_TYPE_DOUBLE);
  g_value_set_double (&gvalue, value);
  return reel_edit_set (project, target, property, &gvalue);
}

gboolean
reel_edit_set_boolean (ReelProject *project,
                       GObject     *target,
                       const char  *property,
                       gboolean     value)
{
  g_auto(GValue) gvalue = G_VALUE_INIT;

  g_value_init (&gvalue, G_TYPE_BOOLEAN);
  g_value_set_boolean (&gvalue, value);
  return reel_edit_set (project, target, property, &gvalue);
}

gboolean
reel_edit_set_enum (ReelProject *project,
                    GObject     *target,
                    const char  *property,
                    int          value)
{
  g_auto(GValue) gvalue = G_VALUE_INIT;
  GParamSpec *pspec;

  g_return_val_if_fail (G_IS_OBJECT (target), FALSE);

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (target), property);
  g_return_val_if_fail (pspec != NULL && G_IS_PARAM_SPEC_ENUM (pspec), FALSE);

  g_value_init (&gvalue, pspec->value_type);
  g_value_set_enum (&gvalue, value);
  return reel_edit_set (project, target, property, &gvalue);
}

/* Frame rate */

typedef struct
{
  ReelProject *project;
  ReelFrameRate old_rate;
  ReelFrameRate new_rate;
} SetFrameRate;

static void
set_frame_rate_undo (SetFrameRate *command)
{
  reel_project_set_frame_rate (command->project, command->old_rate);
}

static void
set_frame_rate_redo (SetFrameRate *command)
{
  reel_project_set_frame_rate (command->project, command->new_rate);
}

gboolean
reel_edit_set_frame_rate (ReelProject   *project,
                          ReelFrameRate  rate)
{
  SetFrameRate *command;
  ReelFrameRate old_rate;

  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (reel_frame_rate_is_valid (rate), FALSE);

  old_rate = reel_project_get_frame_rate (project);
  if (old_rate.num == rate.num && old_rate.den == rate.den)
    return FALSE;

  reel_project_set_frame_rate (project, rate);

  command = g_new0 (SetFrameRate, 1);
  command->project = project;
  command->old_rate = old_rate;
  command->new_rate = rate;
  reel_history_push (reel_project_get_history (project), _("Change Frame Rate"),
                     (ReelHistoryFunc) set_frame_rate_undo,
                     (ReelHistoryFunc) set_frame_rate_redo,
                     command, g_free);
  return TRUE;
}

/* Metadata: the whole list is restored so that keys keep their places. */

typedef struct
{
  ReelProject *project;
  GStrv old_pairs;
  GStrv new_pairs;
} SetMetadata;

static void
set_metadata_free (SetMetadata *command)
{
  g_strfreev (command->old_pairs);
  g_strfreev (command->new_pairs);
  g_free (command);
}

static void
set_metadata_undo (SetMetadata *command)
{
  reel_project_set_metadata_pairs (command->project, (const char * const *) command->old_pairs);
}

static void
set_metadata_redo (SetMetadata *command)
{
  reel_project_set_metadata_pairs (command->project, (const char * const *) command->new_pairs);
}

gboolean
reel_edit_set_metadata (ReelProject *project,
                        const char  *key,
                        const char  *value)
{
  SetMetadata *command;

  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (key != NULL && key[0] != '\0', FALSE);

  if (g_strcmp0 (reel_project_get_metadata (project, key), value) == 0)
    return FALSE;

  command = g_new0 (SetMetadata, 1);
  command->project = project;
  command->old_pairs = reel_project_dup_metadata_pairs (project);
  reel_project_set_metadata (project, key, value);
  command->new_pairs = reel_project_dup_metadata_pairs (project);

  reel_history_push (reel_project_get_history (project), _("Change Title Page"),
                     (ReelHistoryFunc) set_metadata_undo,
                     (ReelHistoryFunc) set_metadata_redo,
                     command, (GDestroyNotify) set_metadata_free);
  return TRUE;
}

/* Insert or remove a shot */

typedef struct
{
  ReelScene *scene;
  ReelShot *shot;
  guint position;
} ShotPlacement;

static void
shot_placement_free (ShotPlacement *command)
{
  g_object_unref (command->scene);
  g_object_unref (command->shot);
  g_free (command);
}

static void
shot_placement_insert (ShotPlacement *command)
{
  reel_scene_insert_shot (command->scene, command->position, command->shot);
}

static void
shot_placement_remove (ShotPlacement *command)
{
  guint position;

  if (reel_scene_find_shot (command->scene, command->shot, &position))
    g_object_unref (reel_scene_remove_shot (command->scene, position));
}

static ShotPlacement *
shot_placement_new (ReelScene *scene,
                    ReelShot  *shot,
                    guint      position)
{
  ShotPlacement *command = g_new0 (ShotPlacement, 1);

  command->scene = g_object_ref (scene);
  command->shot = g_object_ref (shot);
  command->position = position;

  return command;
}

gboolean
reel_edit_insert_shot (ReelProject *project,
                       ReelScene   *scene,
                       guint        position,
                       ReelShot    *shot)
{
  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (project_owns_scene (project, scene), FALSE);
  g_return_val_if_fail (REEL_IS_SHOT (shot), FALSE);
  g_return_val_if_fail (reel_shot_get_scene (shot) == NULL, FALSE);

  position = MIN (position, reel_scene_get_n_shots (scene));
  reel_scene_insert_shot (scene, position, shot);

  reel_history_push (reel_project_get_history (project), _("Add Shot"),
                     (ReelHistoryFunc) shot_placement_remove,
                     (ReelHistoryFunc) shot_placement_insert,
                     shot_placement_new (scene, shot, position),
                     (GDestroyNotify) shot_placement_free);
  hold_shot_assets (project, shot);
  return TRUE;
}

gboolean
reel_edit_remove_shot (ReelProject *project,
                       ReelShot    *shot)
{
  ShotPlacement *command;
  ReelScene *scene;
  guint position;

  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (project_owns_shot (project, shot), FALSE);

  scene = reel_shot_get_scene (shot);
  if (!reel_scene_find_shot (scene, shot, &position))
    return FALSE;

  command = shot_placement_new (scene, shot, position);
  shot_placement_remove (command);

  reel_history_push (reel_project_get_history (project), _("Delete Shot"),
                     (ReelHistoryFunc) shot_placement_insert,
                     (ReelHistoryFunc) shot_placement_remove,
                     command, (GDestroyNotify) shot_placement_free);
  hold_shot_assets (project, shot);
  return TRUE;
}

/* Move a shot */

typedef struct
{
  ReelShot *shot;
  ReelScene *from_scene;
  guint from_position;
  ReelScene *to_scene;
  guint to_position;
} MoveShot;

static void
move_shot_free (MoveShot *command)
{
  g_object_unref (command->shot);
  g_object_unref (command->from_scene);
  g_object_unref (command->to_scene);
  g_free (command);
}

static void
move_shot_between (ReelShot  *shot,
                   ReelScene *from_scene,
                   ReelScene *to_scene,
                   guint      to_position)
{
  guint position;

  if (!reel_scene_find_shot (from_scene, shot, &position))
    g_return_if_reached ();

  if (from_scene == to_scene)
    {
      reel_scene_move_shot (from_scene, position, to_position);
    }
  else
    {
      g_object_unref (reel_scene_remove_shot (from_scene, position));
      reel_scene_insert_shot (to_scene, to_position, shot);
    }
}

static void
move_shot_undo (MoveShot *command)
{
  move_shot_between (command->shot, command->to_scene, command->from_scene,
                     command->from_position);
}

static void
move_shot_redo (MoveShot *command)
{
  move_shot_between (command->shot, command->from_scene, command->to_scene,
                     command->to_position);
}

gboolean
reel_edit_move_shot (ReelProject *project,
                     ReelShot    *shot,
                     ReelScene   *to_scene,
                     guint        to_position)
{
  MoveShot *command;
  ReelScene *from_scene;
  guint from_position;
  guint n_after;

  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (project_owns_shot (project, shot), FALSE);
  g_return_val_if_fail (project_owns_scene (project, to_scene), FALSE);

  from_scene = reel_shot_get_scene (shot);
  if (!reel_scene_find_shot (from_scene, shot, &from_position))
    return FALSE;

  /* The last index the shot can have in the destination after the move. */
  n_after = reel_scene_get_n_shots (to_scene) + (from_scene == to_scene ? 0 : 1);
  to_position = MIN (to_position, n_after - 1);
  if (from_scene == to_scene && from_position == to_position)
    return FALSE;

  command = g_new0 (MoveShot, 1);
  command->shot = g_object_ref (shot);
  command->from_scene = g_object_ref (from_scene);
  command->from_position = from_position;
  command->to_scene = g_object_ref (to_scene);
  command->to_position = to_position;
  move_shot_redo (command);

  reel_history_push (reel_project_get_history (project), _("Move Shot"),
                     (ReelHistoryFunc) move_shot_undo,
                     (ReelHistoryFunc) move_shot_redo,
                     command, (GDestroyNotify) move_shot_free);
  return TRUE;
}

/* Renumber */

typedef struct
{
  GPtrArray *shots;
  GStrv old_numbers;
  GStrv new_numbers;
} Renumber;

static void
renumber_free (Renumber *command)
{
  g_ptr_array_unref (command->shots);
  g_strfreev (command->old_numbers);
  g_strfreev (command->new_numbers);
  g_free (command);
}

static void
apply_numbers (GPtrArray *shots,
               GStrv      numbers)
{
  for (guint i = 0; i < shots->len; i++)
    reel_shot_set_number (g_ptr_array_index (shots, i), numbers[i]);
}

static void
renumber_undo (Renumber *command)
{
  apply_numbers (command->shots, command->old_numbers);
}

static void
renumber_redo (Renumber *command)
{
  apply_numbers (command->shots, command->new_numbers);
}

gboolean
reel_edit_renumber_scene (ReelProject        *project,
                          ReelScene          *scene,
                          ReelNumberingStyle  style)
{
  Renumber *command;
  guint n;
  gboolean changed = FALSE;

  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (project_owns_scene (project, scene), FALSE);

  n = reel_scene_get_n_shots (scene);
  command = g_new0 (Renumber, 1);
  command->shots = g_ptr_array_new_full (n, g_object_unref);
  command->old_numbers = g_new0 (char *, n + 1);
  command->new_numbers = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    {
      ReelShot *shot = reel_scene_get_shot (scene, i);

      g_ptr_array_add (command->shots, g_object_ref (shot));
      command->old_numbers[i] = g_strdup (reel_shot_get_number (shot));
    }

  reel_scene_renumber (scene, style);

  for (guint i = 0; i < n; i++)
    {
      command->new_numbers[i] = g_strdup (reel_shot_get_number (reel_scene_get_shot (scene, i)));
      changed |= !g_str_equal (command->old_numbers[i], command->new_numbers[i]);
    }

  if (!changed)
    {
      renumber_free (command);
      return FALSE;
    }

  reel_history_push (reel_project_get_history (project), _("Renumber Shots"),
                     (ReelHistoryFunc) renumber_undo,
                     (ReelHistoryFunc) renumber_redo,
                     command, (GDestroyNotify) renumber_free);
  return TRUE;
}

/* Scenes */

typedef struct
{
  ReelProject *project;
  ReelScene *scene;
  guint position;
} ScenePlacement;

static void
scene_placement_free (ScenePlacement *command)
{
  g_object_unref (command->scene);
  g_free (command);
}

static void
scene_placement_insert (ScenePlacement *command)
{
  reel_project_insert_scene (command->project, command->position, command->scene);
}

static void
scene_placement_remove (ScenePlacement *command)
{
  guint position;

  if (reel_project_find_scene_position (command->project, command->scene, &position))
    g_object_unref (reel_project_remove_scene (command->project, position));
}

static ScenePlacement *
scene_placement_new (ReelProject *project,
                     ReelScene   *scene,
                     guint        position)
{
  ScenePlacement *command = g_new0 (ScenePlacement, 1);

  command->project = project;
  command->scene = g_object_ref (scene);
  command->position = position;

  return command;
}

gboolean
reel_edit_insert_scene (ReelProject *project,
                        guint        position,
                        ReelScene   *scene)
{
  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (REEL_IS_SCENE (scene), FALSE);
  g_return_val_if_fail (reel_scene_get_project (scene) == NULL, FALSE);

  position = MIN (position, reel_project_get_n_scenes (project));
  reel_project_insert_scene (project, position, scene);

  reel_history_push (reel_project_get_history (project), _("Add Scene"),
                     (ReelHistoryFunc) scene_placement_remove,
                     (ReelHistoryFunc) scene_placement_insert,
                     scene_placement_new (project, scene, position),
                     (GDestroyNotify) scene_placement_free);
  hold_scene_assets (project, scene);
  return TRUE;
}

gboolean
reel_edit_remove_scene (ReelProject *project,
                        ReelScene   *scene)
{
  ScenePlacement *command;
  guint position;

  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (project_owns_scene (project, scene), FALSE);

  if (!reel_project_find_scene_position (project, scene, &position))
    return FALSE;

  command = scene_placement_new (project, scene, position);
  scene_placement_remove (command);

  reel_history_push (reel_project_get_history (project), _("Delete Scene"),
                     (ReelHistoryFunc) scene_placement_insert,
                     (ReelHistoryFunc) scene_placement_remove,
                     command, (GDestroyNotify) scene_placement_free);
  hold_scene_assets (project, scene);
  return TRUE;
}

typedef struct
{
  ReelProject *project;
  ReelScene *scene;
  guint from;
  guint to;
} MoveScene;

static void
move_scene_free (MoveScene *command)
{
  g_object_unref (command->scene);
  g_free (command);
}

static void
move_scene_to (MoveScene *command,
               guint      position)
{
  guint current;

  if (reel_project_find_scene_position (command->project, command->scene, &current))
    reel_project_move_scene (command->project, current, position);
}

static void
move_scene_undo (MoveScene *command)
{
  move_scene_to (command, command->from);
}

static void
move_scene_redo (MoveScene *command)
{
  move_scene_to (command, command->to);
}

gboolean
reel_edit_move_scene (ReelProject *project,
                      ReelScene   *scene,
                      guint        to_position)
{
  MoveScene *command;
  guint from;

  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (project_owns_scene (project, scene), FALSE);

  if (!reel_project_find_scene_position (project, scene, &from))
    return FALSE;

  to_position = MIN (to_position, reel_project_get_n_scenes (project) - 1);
  if (from == to_position)
    return FALSE;

  command = g_new0 (MoveScene, 1);
  command->project = project;
  command->scene = g_object_ref (scene);
  command->from = from;
  command->to = to_position;
  move_scene_redo (command);

  reel_history_push (reel_project_get_history (project), _("Move Scene"),
                     (ReelHistoryFunc) move_scene_undo,
                     (ReelHistoryFunc) move_scene_redo,
                     command, (GDestroyNotify) move_scene_free);
  return TRUE;
}

/* Strokes */

typedef struct
{
  ReelShot *shot;
  char *layer;
  guint position;
  ReelStroke *stroke;
  gboolean created_layer;   /* the edit made the layer: undo takes it away again */
} StrokePlacement;

static void
stroke_placement_free (StrokePlacement *command)
{
  g_object_unref (command->shot);
  g_free (command->layer);
  reel_stroke_unref (command->stroke);
  g_free (command);
}

static void
stroke_placement_insert (StrokePlacement *command)
{
  reel_sketch_insert_stroke (reel_shot_get_sketch (command->shot), command->layer,
                             (int) command->position, command->stroke);
}

static void
stroke_placement_remove (StrokePlacement *command)
{
  ReelSketch *sketch = reel_shot_get_sketch (command->shot);
  int position = reel_sketch_find_stroke (sketch, command->layer, command->stroke);

  if (position >= 0)
    reel_stroke_unref (reel_sketch_remove_stroke (sketch, command->layer, position));

  if (command->created_layer && reel_sketch_get_layer_n_strokes (sketch, command->layer) == 0)
    reel_sketch_remove_layer (sketch, command->layer);
}

static StrokePlacement *
stroke_placement_new (ReelShot   *shot,
                      const char *layer,
                      guint       position,
                      ReelStroke *stroke)
{
  StrokePlacement *command = g_new0 (StrokePlacement, 1);

  command->shot = g_object_ref (shot);
  command->layer = g_strdup (layer);
  command->position = position;
  command->stroke = reel_stroke_ref (stroke);

  return command;
}

gboolean
reel_edit_add_stroke (ReelProject *project,
                      ReelShot    *shot,
                      const char  *layer,
                      ReelStroke  *stroke)
{
  StrokePlacement *command;
  ReelSketch *sketch;

  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (REEL_IS_SHOT (shot), FALSE);
  g_return_val_if_fail (layer != NULL, FALSE);
  g_return_val_if_fail (stroke != NULL, FALSE);

  sketch = reel_shot_get_sketch (shot);
  command = stroke_placement_new (shot, layer, reel_sketch_get_layer_n_strokes (sketch, layer),
                                  stroke);
  command->created_layer = reel_sketch_find_layer (sketch, layer) < 0;
  stroke_placement_insert (command);

  reel_history_push (reel_project_get_history (project), _("Draw"),
                     (ReelHistoryFunc) stroke_placement_remove,
                     (ReelHistoryFunc) stroke_placement_insert,
                     command, (GDestroyNotify) stroke_placement_free);
  return TRUE;
}

gboolean
reel_edit_remove_stroke (ReelProject *project,
                         ReelShot    *shot,
                         const char  *layer,
                         guint        position)
{
  StrokePlacement *command;
  ReelStroke *stroke;

  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (REEL_IS_SHOT (shot), FALSE);

  stroke = reel_sketch_get_stroke (reel_shot_get_sketch (shot), layer, position);
  if (stroke == NULL)
    return FALSE;

  command = stroke_placement_new (shot, layer, position, stroke);
  stroke_placement_remove (command);

  reel_history_push (reel_project_get_history (project), _("Delete Stroke"),
                     (ReelHistoryFunc) stroke_placement_insert,
                     (ReelHistoryFunc) stroke_placement_remove,
                     command, (GDestroyNotify) stroke_placement_free);
  return TRUE;
}

typedef struct
{
  ReelShot *shot;
  char *layer;
  GPtrArray *strokes;
} ClearLayer;

static void
clear_layer_free (ClearLayer *command)
{
  g_object_unref (command->shot);
  g_free (command->layer);
  g_ptr_array_unref (command->strokes);
  g_free (command);
}

static void
clear_layer_undo (ClearLayer *command)
{
  ReelSketch *sketch = reel_shot_get_sketch (command->shot);

  for (guint i = 0; i < command->strokes->len; i++)
    reel_sketch_append_stroke (sketch, command->layer, g_ptr_array_index (command->strokes, i));
}

static void
clear_layer_redo (ClearLayer *command)
{
  reel_sketch_clear_layer (reel_shot_get_sketch (command->shot), command->layer);
}

gboolean
reel_edit_clear_layer (ReelProject *project,
                       ReelShot    *shot,
                       const char  *layer)
{
  ClearLayer *command;
  ReelSketch *sketch;

  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (REEL_IS_SHOT (shot), FALSE);

  sketch = reel_shot_get_sketch (shot);
  if (reel_sketch_get_layer_n_strokes (sketch, layer) == 0)
    return FALSE;

  command = g_new0 (ClearLayer, 1);
  command->shot = g_object_ref (shot);
  command->layer = g_strdup (layer);
  command->strokes = reel_sketch_list_strokes (sketch, layer);
  clear_layer_redo (command);

  reel_history_push (reel_project_get_history (project), _("Clear Layer"),
                     (ReelHistoryFunc) clear_layer_undo,
                     (ReelHistoryFunc) clear_layer_redo,
                     command, (GDestroyNotify) clear_layer_free);
  return TRUE;
}

typedef struct
{
  ReelShot *shot;
  char *layer;
  gboolean is_opacity;
  double old_value;
  double new_value;
} LayerSetting;

static void
layer_setting_free (LayerSetting *command)
{
  g_object_unref (command->shot);
  g_free (command->layer);
  g_free (command);
}

static void
layer_setting_apply (LayerSetting *command,
                     double        value)
{
  ReelSketch *sketch = reel_shot_get_sketch (command->shot);

  if (command->is_opacity)
    reel_sketch_set_layer_opacity (sketch, command->layer, value);
  else
    reel_sketch_set_layer_visible (sketch, command->layer, value != 0);
}

static void
layer_setting_undo (LayerSetting *command)
{
  layer_setting_apply (command, command->old_value);
}

static void
layer_setting_redo (LayerSetting *command)
{
  layer_setting_apply (command, command->new_value);
}

static gboolean
edit_layer_setting (ReelProject *project,
                    ReelShot    *shot,
                    const char  *layer,
                    gboolean     is_opacity,
                    double       value)
{
  LayerSetting *command;
  ReelSketch *sketch;
  double old_value;

  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (REEL_IS_SHOT (shot), FALSE);

  sketch = reel_shot_get_sketch (shot);
  if (reel_sketch_find_layer (sketch, layer) < 0)
    return FALSE;

  old_value = is_opacity ? reel_sketch_get_layer_opacity (sketch, layer)
                         : reel_sketch_get_layer_visible (sketch, layer);
  value = is_opacity ? CLAMP (value, 0.0, 1.0) : (value != 0);
  if (old_value == value)
    return FALSE;

  command = g_new0 (LayerSetting, 1);
  command->shot = g_object_ref (shot);
  command->layer = g_strdup (layer);
  command->is_opacity = is_opacity;
  command->old_value = old_value;
  command->new_value = value;
  layer_setting_redo (command);

  reel_history_push (reel_project_get_history (project),
                     is_opacity ? _("Change Layer Opacity")
                                : value != 0 ? _("Show Layer") : _("Hide Layer"),
                     (ReelHistoryFunc) layer_setting_undo,
                     (ReelHistoryFunc) layer_setting_redo,
                     command, (GDestroyNotify) layer_setting_free);
  return TRUE;
}

gboolean
reel_edit_set_layer_visible (ReelProject *project,
                             ReelShot    *shot,
                             const char  *layer,
                             gboolean     visible)
{
  return edit_layer_setting (project, shot, layer, FALSE, visible ? 1 : 0);
}

gboolean
reel_edit_set_layer_opacity (ReelProject *project,
                             ReelShot    *shot,
                             const char  *layer,
                             double       opacity)
{
  return edit_layer_setting (project, shot, layer, TRUE, opacity);
}

/* Backgrounds */

gboolean
reel_edit_set_background (ReelProject *project,
                          ReelShot    *shot,
                          const char  *hash)
{
  return reel_edit_set_string (project, G_OBJECT (shot), "background", hash);
}

/* Stores an asset for the length of a command: undo takes out what the command
 * put in, so the store is as it was. */
typedef struct
{
  ReelProject *project;
  ReelAsset *asset;
  gboolean added;
} StoredAsset;

static void
stored_asset_store (StoredAsset *stored)
{
  if (stored->added)
    reel_project_add_asset (stored->project, stored->asset);
}

static void
stored_asset_unstore (StoredAsset *stored)
{
  if (stored->added)
    reel_project_remove_asset (stored->project, reel_asset_get_hash (stored->asset));
}

static void
stored_asset_init (StoredAsset *stored,
                   ReelProject *project,
                   ReelAsset   *asset)
{
  stored->project = project;
  stored->added = reel_project_lookup_asset (project, reel_asset_get_hash (asset)) == NULL;
  stored->asset = g_object_ref (reel_project_add_asset (project, asset));
}

typedef struct
{
  StoredAsset stored;
  ReelShot *shot;
  char *hash;
  int position;
  char *old_background;   /* remove_variant: the background it cleared */
  gboolean is_generation;
} VariantChange;

static void
variant_change_free (VariantChange *command)
{
  g_clear_object (&command->stored.asset);
  g_object_unref (command->shot);
  g_free (command->hash);
  g_free (command->old_background);
  g_free (command);
}

static void
variant_add_redo (VariantChange *command)
{
  stored_asset_store (&command->stored);
  if (command->is_generation)
    reel_shot_add_generation (command->shot, command->hash);
  else
    reel_shot_insert_variant (command->shot, command->position, command->hash);
}

static void
variant_add_undo (VariantChange *command)
{
  if (command->is_generation)
    reel_shot_remove_generation (command->shot, command->hash);
  else
    reel_shot_remove_variant (command->shot, command->hash);
  stored_asset_unstore (&command->stored);
}

static gboolean
add_variant_or_generation (ReelProject *project,
                           ReelShot    *shot,
                           ReelAsset   *asset,
                           gboolean     is_generation)
{
  VariantChange *command;

  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (REEL_IS_SHOT (shot), FALSE);
  g_return_val_if_fail (REEL_IS_ASSET (asset), FALSE);

  if (!is_generation && reel_shot_find_variant (shot, reel_asset_get_hash (asset)) >= 0)
    return FALSE;

  command = g_new0 (VariantChange, 1);
  stored_asset_init (&command->stored, project, asset);
  command->shot = g_object_ref (shot);
  command->hash = g_strdup (reel_asset_get_hash (asset));
  command->position = (int) reel_shot_get_n_variants (shot);
  command->is_generation = is_generation;
  variant_add_redo (command);

  reel_history_push (reel_project_get_history (project),
                     is_generation ? _("Generate Background") : _("Add Background Variant"),
                     (ReelHistoryFunc) variant_add_undo,
                     (ReelHistoryFunc) variant_add_redo,
                     command, (GDestroyNotify) variant_change_free);
  {
    const char *hashes[] = { reel_asset_get_hash (asset), NULL };

    reel_history_hold_assets (reel_project_get_history (project), hashes);
  }
  return TRUE;
}

gboolean
reel_edit_add_variant (ReelProject *project,
                       ReelShot    *shot,
                       ReelAsset   *asset)
{
  return add_variant_or_generation (project, shot, asset, FALSE);
}

gboolean
reel_edit_add_generation (ReelProject *project,
                          ReelShot    *shot,
                          ReelAsset   *asset)
{
  return add_variant_or_generation (project, shot, asset, TRUE);
}

static void
variant_remove_redo (VariantChange *command)
{
  reel_shot_remove_variant (command->shot, command->hash);
  if (command->old_background != NULL)
    reel_shot_set_background (command->shot, NULL);
}

static void
variant_remove_undo (VariantChange *command)
{
  reel_shot_insert_variant (command->shot, command->position, command->hash);
  if (command->old_background != NULL)
    reel_shot_set_background (command->shot, command->old_background);
}

gboolean
reel_edit_remove_variant (ReelProject *project,
                          ReelShot    *shot,
                          const char  *hash)
{
  VariantChange *command;
  int position;

  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (REEL_IS_SHOT (shot), FALSE);

  position = reel_shot_find_variant (shot, hash);
  if (position < 0)
    return FALSE;

  command = g_new0 (VariantChange, 1);
  command->shot = g_object_ref (shot);
  command->hash = g_strdup (hash);
  command->position = position;
  if (g_strcmp0 (reel_shot_get_background (shot), hash) == 0)
    command->old_background = g_strdup (hash);
  variant_remove_redo (command);

  reel_history_push (reel_project_get_history (project), _("Remove Background Variant"),
                     (ReelHistoryFunc) variant_remove_undo,
                     (ReelHistoryFunc) variant_remove_redo,
                     command, (GDestroyNotify) variant_change_free);
  {
    /* The command's copy: @hash may have been the shot's, gone with the variant. */
    const char *hashes[] = { command->hash, NULL };

    reel_history_hold_assets (reel_project_get_history (project), hashes);
  }
  return TRUE;
}

gboolean
reel_edit_set_plate (ReelProject *project,
                     ReelShot    *shot,
                     ReelPlate   *plate)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, REEL_TYPE_PLATE);
  g_value_set_object (&value, plate);
  return reel_edit_set (project, G_OBJECT (shot), "plate", &value);
}
