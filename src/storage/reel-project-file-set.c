/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-storage"

#include "config.h"

#include <glib/gi18n.h>

#include "core/reel-set.h"
#include "core/reel-shot-camera.h"
#include "reel-project-file-private.h"
#include "reel-project-file-set.h"

#define SET_ERRORS_KEY        "reel-project-file-set-errors"
#define UNREAD_SET_KEY        "reel-project-file-unread-set"
#define UNREAD_CAMERA_KEY     "reel-project-file-unread-camera"

/* A stored set is small; anything much larger is not ours. */
#define MAX_ROW_BYTES (64 * 1024 * 1024)

static void
add_error (ReelProject *project,
           char        *message)
{
  GPtrArray *errors = g_object_get_data (G_OBJECT (project), SET_ERRORS_KEY);

  g_debug ("%s", message);
  if (errors == NULL)
    {
      errors = g_ptr_array_new_with_free_func (g_free);
      g_object_set_data_full (G_OBJECT (project), SET_ERRORS_KEY, errors,
                              (GDestroyNotify) g_ptr_array_unref);
    }
  g_ptr_array_add (errors, message);
}

static char *
dup_scene_name (ReelProject *project,
                ReelScene   *scene)
{
  guint position = 0;

  reel_project_find_scene_position (project, scene, &position);
  if (*reel_scene_get_heading (scene) != '\0')
    /* Translators: the scene's position in the project and its heading */
    return g_strdup_printf (_("scene %u (%s)"), position + 1, reel_scene_get_heading (scene));
  return g_strdup_printf (_("scene %u"), position + 1);
}

static GBytes *
column_bytes (sqlite3_stmt *stmt,
              int           column)
{
  const void *data = sqlite3_column_blob (stmt, column);
  int size = sqlite3_column_bytes (stmt, column);

  return g_bytes_new (data, MAX (size, 0));
}

static GVariant *
variant_from_bytes (GBytes             *bytes,
                    const GVariantType *type)
{
  /* Not trusted: GVariant reads malformed data as defaults, never out of bounds. */
  return g_variant_ref_sink (g_variant_new_from_bytes (type, bytes, FALSE));
}

static GBytes *
variant_to_bytes (GVariant *variant)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (variant);

  return g_variant_get_data_as_bytes (owned);
}

static gboolean
load_scene_sets (sqlite3      *db,
                 GFile        *file,
                 ReelProject  *project,
                 GHashTable   *scenes,
                 GError      **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT s.uuid, t.data FROM scene_sets t "
                               "JOIN scenes s ON s.key = t.scene", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      reel_project_file_set_sqlite_error (error, file, db, rc, FALSE);
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ReelScene *scene = g_hash_table_lookup (scenes, sqlite3_column_text (stmt, 0));
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GVariant) variant = NULL;
      g_autoptr(ReelSet) set = NULL;
      g_autoptr(GError) set_error = NULL;

      if (scene == NULL)
        continue;

      bytes = column_bytes (stmt, 1);
      if (g_bytes_get_size (bytes) <= MAX_ROW_BYTES)
        {
          variant = variant_from_bytes (bytes, G_VARIANT_TYPE (REEL_SET_VARIANT_TYPE));
          set = reel_set_from_variant (variant, &set_error);
        }
      else
        {
          g_set_error_literal (&set_error, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("It is far larger than any set Storyreel writes."));
        }

      if (set != NULL)
        {
          reel_scene_set_set (scene, set);
        }
      else
        {
          g_autofree char *name = dup_scene_name (project, scene);

          /* Translators: the first %s is "scene 3 (EXT. HARBOUR - DAWN)", the second why */
          add_error (project, g_strdup_printf (_("The set of %s could not be read and was "
                                                 "left out: %s The rest of the project is "
                                                 "intact."), name, set_error->message));
          g_object_set_data_full (G_OBJECT (scene), UNREAD_SET_KEY, g_steal_pointer (&bytes),
                                  (GDestroyNotify) g_bytes_unref);
        }
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      reel_project_file_set_sqlite_error (error, file, db, rc, FALSE);
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_shot_cameras (sqlite3      *db,
                   GFile        *file,
                   ReelProject  *project,
                   GHashTable   *shots,
                   GError      **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT s.uuid, c.data FROM shot_cameras c "
                               "JOIN shots s ON s.key = c.shot", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      reel_project_file_set_sqlite_error (error, file, db, rc, FALSE);
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ReelShot *shot = g_hash_table_lookup (shots, sqlite3_column_text (stmt, 0));
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GVariant) variant = NULL;
      g_autoptr(ReelShotCamera) camera = NULL;
      g_autoptr(GError) camera_error = NULL;

      if (shot == NULL)
        continue;

      bytes = column_bytes (stmt, 1);
      variant = variant_from_bytes (bytes, G_VARIANT_TYPE (REEL_SHOT_CAMERA_VARIANT_TYPE));
      camera = reel_shot_camera_from_variant (variant, &camera_error);
      if (camera != NULL)
        {
          reel_shot_set_camera (shot, camera);
        }
      else
        {
          ReelScene *scene = reel_shot_get_scene (shot);
          g_autofree char *name = scene != NULL ? dup_scene_name (project, scene)
                                                : g_strdup ("?");

          /* Translators: a shot number, then "scene 3 (EXT. HARBOUR - DAWN)", then why */
          add_error (project, g_strdup_printf (_("The camera of shot %s in %s could not be "
                                                 "read and was left out: %s The rest of the "
                                                 "project is intact."),
                                               reel_shot_get_number (shot), name,
                                               camera_error->message));
          g_object_set_data_full (G_OBJECT (shot), UNREAD_CAMERA_KEY, g_steal_pointer (&bytes),
                                  (GDestroyNotify) g_bytes_unref);
        }
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      reel_project_file_set_sqlite_error (error, file, db, rc, FALSE);
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_row (sqlite3     *db,
         GFile       *file,
         const char  *sql,
         gint64       key,
         GBytes      *data,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v3 (db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, key);
      if (data != NULL)
        sqlite3_bind_blob64 (stmt, 2, g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                             SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_OK)
    {
      reel_project_file_set_sqlite_error (error, file, db, rc, TRUE);
      return FALSE;
    }
  return TRUE;
}

/* Public */

GStrv
reel_project_file_dup_set_errors (ReelProject *project)
{
  GPtrArray *errors;
  GStrvBuilder *builder;
  GStrv result;

  g_return_val_if_fail (REEL_IS_PROJECT (project), NULL);

  errors = g_object_get_data (G_OBJECT (project), SET_ERRORS_KEY);
  if (errors == NULL || errors->len == 0)
    return NULL;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < errors->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (errors, i));
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

gboolean
reel_project_file_load_sets (sqlite3      *db,
                             GFile        *file,
                             ReelProject  *project,
                             GError      **error)
{
  g_autoptr(GHashTable) scenes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) shots = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint s = 0; s < reel_project_get_n_scenes (project); s++)
    {
      ReelScene *scene = reel_project_get_scene (project, s);

      g_hash_table_insert (scenes, (gpointer) reel_scene_get_id (scene), scene);
      for (guint p = 0; p < reel_scene_get_n_shots (scene); p++)
        {
          ReelShot *shot = reel_scene_get_shot (scene, p);

          g_hash_table_insert (shots, (gpointer) reel_shot_get_id (shot), shot);
        }
    }

  return load_scene_sets (db, file, project, scenes, error)
         && load_shot_cameras (db, file, project, shots, error);
}

/**
 * reel_project_file_dup_scene_set_data:
 *
 * Returns: (transfer full) (nullable): the row's bytes
 */
GBytes *
reel_project_file_dup_scene_set_data (ReelScene *scene)
{
  GBytes *unread;

  g_return_val_if_fail (REEL_IS_SCENE (scene), NULL);

  if (reel_scene_get_set (scene) != NULL)
    return variant_to_bytes (reel_set_to_variant (reel_scene_get_set (scene)));

  unread = g_object_get_data (G_OBJECT (scene), UNREAD_SET_KEY);
  return unread != NULL ? g_bytes_ref (unread) : NULL;
}

void
reel_project_file_snapshot_camera (ReelShot *shot,
                                   ReelShot *copy)
{
  GBytes *unread = g_object_get_data (G_OBJECT (shot), UNREAD_CAMERA_KEY);

  if (unread != NULL && reel_shot_get_camera (shot) == NULL)
    g_object_set_data_full (G_OBJECT (copy), UNREAD_CAMERA_KEY, g_bytes_ref (unread),
                            (GDestroyNotify) g_bytes_unref);
}

gboolean
reel_project_file_write_scene_set (sqlite3  *db,
                                   GFile    *file,
                                   gint64    scene_key,
                                   GBytes   *data,
                                   GError  **error)
{
  if (data == NULL)
    return reel_project_file_delete_scene_set (db, file, scene_key, error);

  return run_row (db, file, "INSERT OR REPLACE INTO scene_sets (scene, data) VALUES (?, ?)",
                  scene_key, data, error);
}

gboolean
reel_project_file_write_shot_camera (sqlite3  *db,
                                     GFile    *file,
                                     gint64    shot_key,
                                     ReelShot *shot,
                                     GError  **error)
{
  const ReelShotCamera *camera = reel_shot_get_camera (shot);
  g_autoptr(GBytes) data = NULL;

  if (camera != NULL)
    data = variant_to_bytes (reel_shot_camera_to_variant (camera));
  else if (g_object_get_data (G_OBJECT (shot), UNREAD_CAMERA_KEY) != NULL)
    data = g_bytes_ref (g_object_get_data (G_OBJECT (shot), UNREAD_CAMERA_KEY));

  if (data == NULL)
    return run_row (db, file, "DELETE FROM shot_cameras WHERE shot = ?", shot_key, NULL, error);

  return run_row (db, file, "INSERT OR REPLACE INTO shot_cameras (shot, data) VALUES (?, ?)",
                  shot_key, data, error);
}

gboolean
reel_project_file_delete_scene_set (sqlite3  *db,
                                    GFile    *file,
                                    gint64    scene_key,
                                    GError  **error)
{
  return run_row (db, file, "DELETE FROM scene_sets WHERE scene = ?", scene_key, NULL, error);
}
