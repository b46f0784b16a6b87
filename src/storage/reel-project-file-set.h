/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "core/reel-project.h"

G_BEGIN_DECLS

/*
 * Sets and shot cameras in the .storyreel file (format 3): one row per scene with a
 * set (scene_sets) and per shot with a camera (shot_cameras), each the GVariant of
 * reel_set_to_variant() / reel_shot_camera_to_variant(). A set or camera that cannot
 * be read (damaged, or hostile: NaN, huge counts, negative sizes) leaves its scene or
 * shot without one, with a message in reel_project_file_dup_set_errors(); the rest of
 * the project opens, and the unread bytes are written back unchanged on save until the
 * user gives the scene or shot a new set or camera, so nothing is lost.
 */

/* Translated messages, one per scene or shot whose set or camera could not be read
 * when the project was opened; NULL when there were none. Transfer full. */
GStrv    reel_project_file_dup_set_errors        (ReelProject  *project);

/* Loading: after the scenes and shots are in @project. FALSE only when the tables
 * cannot be read at all. */
gboolean reel_project_file_load_sets             (sqlite3      *db,
                                                  GFile        *file,
                                                  ReelProject  *project,
                                                  GError      **error);

/* Saving. What to write for a scene (on the main thread, with the snapshot); NULL for
 * no row. Transfer full. */
GBytes  *reel_project_file_dup_scene_set_data    (ReelScene    *scene);
/* Carries unread camera bytes from the live shot to the snapshot's copy. */
void     reel_project_file_snapshot_camera       (ReelShot     *shot,
                                                  ReelShot     *copy);
/* On the writer's thread, inside its transaction. */
gboolean reel_project_file_write_scene_set       (sqlite3      *db,
                                                  GFile        *file,
                                                  gint64        scene_key,
                                                  GBytes       *data,
                                                  GError      **error);
gboolean reel_project_file_write_shot_camera     (sqlite3      *db,
                                                  GFile        *file,
                                                  gint64        shot_key,
                                                  ReelShot     *shot,
                                                  GError      **error);
gboolean reel_project_file_delete_scene_set      (sqlite3      *db,
                                                  GFile        *file,
                                                  gint64        scene_key,
                                                  GError      **error);

G_END_DECLS
