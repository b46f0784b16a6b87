/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Internals shared by the model's files; not for other layers. */

#include "reel-project.h"
#include "reel-scene.h"
#include "reel-shot.h"

G_BEGIN_DECLS

/* g_set_str() is GLib 2.76. */
static inline gboolean
reel_set_str (char       **field,
              const char  *value)
{
  char *copy;

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  copy = g_strdup (value);
  g_free (*field);
  *field = copy;

  return TRUE;
}

/* A new stamp from the process-wide revision counter. */
guint64  reel_revision_next                 (void);

/* Back pointers, set by the container when it takes a child. */
void     reel_shot_set_scene                (ReelShot    *shot,
                                             ReelScene   *scene);
void     reel_scene_set_project             (ReelScene   *scene,
                                             ReelProject *project);

/* Something inside changed at @stamp: propagate it upwards. */
void     reel_scene_child_changed           (ReelScene   *scene,
                                             guint64      stamp);
void     reel_project_child_changed         (ReelProject *project,
                                             guint64      stamp);

/* The whole title-page metadata at once, in order (undo restores positions). */
GStrv    reel_project_dup_metadata_pairs    (ReelProject *project);
void     reel_project_set_metadata_pairs    (ReelProject *project,
                                             const char * const *pairs);

G_END_DECLS
