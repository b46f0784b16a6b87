/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-storage"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reel-project-file-internal.h"
#include "reel-project-file-set.h"

/* Loading. */

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? text : "";
}

static const char *
column_text_or_null (sqlite3_stmt *stmt,
                     int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

typedef struct
{
  ReelShot *shot;
  ReelScene *scene;
  ShotState *state;
  GPtrArray *layer_names;  /* of the file, by layer position */
  GPtrArray *variants;
  GPtrArray *generations;
} LoadingShot;

static void
loading_shot_free (gpointer data)
{
  LoadingShot *loading = data;

  g_clear_object (&loading->shot);
  g_clear_pointer (&loading->layer_names, g_ptr_array_unref);
  g_clear_pointer (&loading->variants, g_ptr_array_unref);
  g_clear_pointer (&loading->generations, g_ptr_array_unref);
  g_free (loading);
}

static gboolean
step_failed (int       rc,
             sqlite3  *db,
             GFile    *file,
             GError  **error)
{
  if (rc == SQLITE_DONE)
    return FALSE;
  reel_project_file_set_sqlite_error (error, file, db, rc, FALSE);
  return TRUE;
}

/* A recovery file's assets that stay in its document (REEL_PROJECT_FILE_SAVE_REFER_ASSETS):
 * what the assets table says of them, and their size, without the bytes. */
const char document_assets_sql[] =
  "CREATE TABLE IF NOT EXISTS document_assets (\n"
  "  hash      TEXT PRIMARY KEY NOT NULL,\n"
  "  position  INTEGER NOT NULL,\n"
  "  mime_type TEXT NOT NULL,\n"
  "  width     INTEGER NOT NULL,\n"
  "  height    INTEGER NOT NULL,\n"
  "  size      INTEGER NOT NULL\n"
  ")";

gboolean
table_exists (sqlite3    *db,
              const char *name)
{
  sqlite3_stmt *stmt = NULL;
  gboolean exists = FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      exists = sqlite3_step (stmt) == SQLITE_ROW;
    }
  sqlite3_finalize (stmt);
  return exists;
}

static gboolean
load_project_row (sqlite3      *db,
                  GFile        *file,
                  ReelProject  *project,
                  GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = prepare (db, "SELECT title, rate_num, rate_den, aspect, sensor, look_phrase, "
                      "look_image FROM project WHERE id = 1", file, FALSE, error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      ReelFrameRate rate = { sqlite3_column_int (stmt, 1), sqlite3_column_int (stmt, 2) };

      reel_project_set_title (project, column_text (stmt, 0));
      if (rate.num > 0 && rate.den > 0)
        reel_project_set_frame_rate (project, rate);
      if (sqlite3_column_double (stmt, 3) > 0)
        reel_project_set_aspect_ratio (project, sqlite3_column_double (stmt, 3));
      reel_project_set_sensor (project, column_text (stmt, 4));
      reel_project_set_look_phrase (project, column_text (stmt, 5));
      reel_project_set_look_image (project, column_text_or_null (stmt, 6));
    }
  else if (step_failed (rc, db, file, error))
    return FALSE;

  g_clear_pointer (&stmt, sqlite3_finalize);
  stmt = prepare (db, "SELECT key, value FROM project_metadata ORDER BY position",
                  file, FALSE, error);
  if (stmt == NULL)
    return FALSE;

  /* A row without a key (a damaged or hand-edited file) has nothing to name. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (*column_text (stmt, 0) != '\0')
      reel_project_set_metadata (project, column_text (stmt, 0), column_text (stmt, 1));

  return !step_failed (rc, db, file, error);
}

/* What a recovery file needs of the document whose assets it names: a source to read
 * them from, and what the document holds now (hash → size), read once at load. */
typedef struct
{
  GFile *file;
  ReelAssetFileSource *source;
  GHashTable *sizes;
  GPtrArray *missing;  /* hashes named but not held */
} DocumentAssets;

static void
document_assets_free (DocumentAssets *document)
{
  g_clear_object (&document->file);
  g_clear_object (&document->source);
  g_clear_pointer (&document->sizes, g_hash_table_unref);
  g_clear_pointer (&document->missing, g_ptr_array_unref);
  g_free (document);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocumentAssets, document_assets_free)

/* For a file with a document_assets table: the document @path names (nullable) and what
 * it holds. A document that is gone or is not a Storyreel project holds nothing. */
static DocumentAssets *
document_assets_new (const char *path)
{
  DocumentAssets *document = g_new0 (DocumentAssets, 1);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  document->sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  document->missing = g_ptr_array_new_with_free_func (g_free);
  if (path == NULL || *path == '\0')
    return document;

  /* Only a file: a name that leads to a pipe or a device (a file made by hand) is not
   * opened, it could block. */
  document->file = g_file_new_for_path (path);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return document;
  document->source = reel_asset_file_source_new (document->file, path);

  /* length() reads a blob's size from its row header, not its pages. */
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      (sqlite3_busy_timeout (db, 5000),
       sqlite3_prepare_v2 (db, "SELECT hash, length(data) FROM assets", -1, &stmt,
                           NULL)) == SQLITE_OK)
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *hash = (const char *) sqlite3_column_text (stmt, 0);
          gint64 *size = g_new (gint64, 1);

          *size = sqlite3_column_int64 (stmt, 1);
          g_hash_table_replace (document->sizes, g_strdup (hash != NULL ? hash : ""), size);
        }
    }
  else
    g_debug ("The assets of %s cannot be read: %s", path,
             db != NULL ? sqlite3_errmsg (db) : "no such file");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return document;
}

/* Whether the document holds @hash with @size bytes (its integrity is checked when read). */
static gboolean
document_assets_hold (DocumentAssets *document,
                      const char     *hash,
                      gint64          size)
{
  gint64 *held = g_hash_table_lookup (document->sizes, hash);

  return document->source != NULL && held != NULL && *held == size;
}

/* Lazy media: the assets' rows without their bytes, which stay in the file (@source)
 * until they are shown. */
static gboolean
load_assets (sqlite3         *db,
             GFile           *file,
             ReelProject     *project,
             SavedState      *state,
             ReelAssetSource *source,
             DocumentAssets  *document,
             GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (
    (GDestroyNotify) reel_generation_record_unref);
  g_autofree char *sql = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *mime_type = NULL;
  int width = 0, height = 0;
  gint64 size = 0;
  gboolean referred = FALSE;
  gboolean format_3 = !table_exists (db, "asset_generations");
  int rc;

  /* length() of a blob reads its size from the row header, not its pages. The order
   * by position sorts rows without their bytes. Format 3 had one generation record
   * per asset, format 4 keeps every one in order: an asset comes as one row per
   * record. */
  sql = g_strdup_printf ("SELECT a.hash, a.mime_type, a.width, a.height, a.size, "
                         "a.position, g.asset, g.kind, g.angle, g.provider, g.model, "
                         "g.endpoint_host, g.prompt, g.negative_prompt, g.seed, g.parameters, "
                         "g.input_hashes, g.created_us, g.duration_ms, a.referred "
                         "FROM (SELECT hash, mime_type, width, height, length(data) AS size, "
                         "position, 0 AS referred FROM assets%s) a "
                         "LEFT JOIN %s g ON g.asset = a.hash "
                         "ORDER BY a.position, a.hash%s",
                         document != NULL ? " UNION ALL SELECT hash, mime_type, width, height, "
                                            "size, position, 1 FROM document_assets" : "",
                         format_3 ? "generations" : "asset_generations",
                         format_3 ? "" : ", g.position");
  stmt = prepare (db, sql, file, FALSE, error);
  if (stmt == NULL)
    return FALSE;

  for (;;)
    {
      g_autoptr(ReelGenerationRecord) record = NULL;
      g_autoptr(ReelAsset) asset = NULL;
      ReelAsset *stored;

      rc = sqlite3_step (stmt);

      /* The rows of one asset have ended: store it. */
      if (hash != NULL &&
          (rc != SQLITE_ROW || g_strcmp0 (hash, column_text (stmt, 0)) != 0))
        {
          /* A file that names no document (made by hand) still has a source to ask,
           * its own, which says what is missing by name. */
          asset = reel_asset_new_lazy (referred && document->source != NULL
                                       ? REEL_ASSET_SOURCE (document->source) : source,
                                       mime_type, width, height, size, hash,
                                       records->len > 0 ? g_ptr_array_index (records, 0) : NULL);
          if (records->len > 1)
            {
              ReelAsset *all = reel_asset_copy_with_generations (
                asset, (ReelGenerationRecord * const *) records->pdata, records->len);

              g_object_unref (asset);
              asset = all;
            }
          /* Named in the document, which no longer holds it: left out of the project (the
           * file keeps the row until the next save). */
          if (referred && !document_assets_hold (document, hash, size))
            {
              g_ptr_array_add (document->missing, g_strdup (hash));
              stored = asset;
            }
          else
            stored = reel_project_add_asset (project, asset);
          g_hash_table_replace (state->assets, g_strdup (hash), g_object_ref (stored));
          g_clear_pointer (&hash, g_free);
          g_clear_pointer (&mime_type, g_free);
          g_ptr_array_set_size (records, 0);
          g_clear_object (&asset);
        }
      if (rc != SQLITE_ROW)
        break;

      if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
        {
          const char *inputs = column_text_or_null (stmt, 16);

          record = reel_generation_record_new ();
          record->kind = g_strdup (column_text_or_null (stmt, 7));
          record->angle_id = g_strdup (column_text_or_null (stmt, 8));
          record->provider = g_strdup (column_text_or_null (stmt, 9));
          record->model = g_strdup (column_text_or_null (stmt, 10));
          record->endpoint_host = g_strdup (column_text_or_null (stmt, 11));
          record->prompt = g_strdup (column_text_or_null (stmt, 12));
          record->negative_prompt = g_strdup (column_text_or_null (stmt, 13));
          record->seed = sqlite3_column_int64 (stmt, 14);
          record->parameters = g_strdup (column_text_or_null (stmt, 15));
          record->input_hashes = inputs == NULL ? NULL
                                 : *inputs == '\0' ? g_new0 (char *, 1)
                                 : g_strsplit (inputs, "\n", -1);
          record->created_us = sqlite3_column_int64 (stmt, 17);
          record->duration_ms = sqlite3_column_int64 (stmt, 18);
        }

      /* The stored hash is trusted now and checked when the image is read: a
       * damaged image is reported by name then, and the rest opens. A row without a
       * hash (a hand-edited file) has no name to be read by. */
      if (*column_text (stmt, 0) == '\0')
        continue;
      if (hash == NULL)
        {
          hash = g_strdup (column_text (stmt, 0));
          mime_type = g_strdup (column_text (stmt, 1));
          width = sqlite3_column_int (stmt, 2);
          height = sqlite3_column_int (stmt, 3);
          size = sqlite3_column_int64 (stmt, 4);
          referred = sqlite3_column_int (stmt, 19) != 0;
        }
      if (record != NULL)
        g_ptr_array_add (records, g_steal_pointer (&record));
      state->next_asset_position = MAX (state->next_asset_position,
                                        sqlite3_column_int64 (stmt, 5) + 1);
    }

  return !step_failed (rc, db, file, error);
}

/* Reads the scenes into @project and the shots into @shots (LoadingShot, in order),
 * not yet in their scenes: their sketches are filled first, which is cheaper before the
 * shots report changes to a scene and a project. */
static gboolean
load_scenes_and_shots (sqlite3      *db,
                       GFile        *file,
                       ReelProject  *project,
                       SavedState   *state,
                       GHashTable   *shots_by_key,
                       GPtrArray    *shots,
                       GError      **error)
{
  g_autoptr(GHashTable) scenes_by_key = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) scene_keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(sqlite3_stmt) stmt = NULL;
  ReelScene *previous_scene = NULL;
  guint shot_position = 0;
  guint position = 0;
  int rc;

  stmt = prepare (db, "SELECT key, uuid, number, int_ext, location, time_of_day, synopsis "
                      "FROM scenes ORDER BY position", file, FALSE, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(ReelScene) scene = reel_scene_new_with_id (column_text (stmt, 1));
      SceneState *scene_state = g_new0 (SceneState, 1);

      reel_scene_set_number (scene, column_text (stmt, 2));
      reel_scene_set_int_ext (scene, reel_int_ext_from_id (column_text (stmt, 3)));
      reel_scene_set_location (scene, column_text (stmt, 4));
      reel_scene_set_time_of_day (scene, column_text (stmt, 5));
      reel_scene_set_synopsis (scene, column_text (stmt, 6));
      reel_project_append_scene (project, scene);

      scene_state->key = sqlite3_column_int64 (stmt, 0);
      scene_state->position = position++;
      g_array_append_val (scene_keys, scene_state->key);
      g_hash_table_replace (state->scenes, g_strdup (reel_scene_get_id (scene)), scene_state);
      state->next_scene_key = MAX (state->next_scene_key, scene_state->key + 1);
    }
  if (step_failed (rc, db, file, error))
    return FALSE;

  /* Indexed once the array of keys has stopped growing (and moving). */
  for (guint i = 0; i < scene_keys->len; i++)
    g_hash_table_insert (scenes_by_key, &g_array_index (scene_keys, gint64, i),
                         reel_project_get_scene (project, i));

  g_clear_pointer (&stmt, sqlite3_finalize);
  stmt = prepare (db, "SELECT key, uuid, scene, number, description, dialogue, notes, "
                      "cast_list, size, framing, angle, movement, lens_mm, camera_height_m, "
                      "duration, status, vfx_notes, background "
                      "FROM shots ORDER BY scene, position", file, FALSE, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 scene_key = sqlite3_column_int64 (stmt, 2);
      ReelScene *scene = g_hash_table_lookup (scenes_by_key, &scene_key);
      g_autoptr(ReelShot) shot = NULL;
      LoadingShot *loading;
      ShotState *shot_state;

      /* A shot of a scene that is not there cannot be shown: the file is damaged. */
      if (scene == NULL)
        {
          set_corrupt_error (error, file);
          return FALSE;
        }

      shot = reel_shot_new_with_id (column_text (stmt, 1));
      reel_shot_set_number (shot, column_text (stmt, 3));
      reel_shot_set_description (shot, column_text (stmt, 4));
      reel_shot_set_dialogue (shot, column_text (stmt, 5));
      reel_shot_set_notes (shot, column_text (stmt, 6));
      reel_shot_set_cast (shot, column_text (stmt, 7));
      reel_shot_set_size (shot, column_text (stmt, 8));
      reel_shot_set_framing (shot, column_text (stmt, 9));
      reel_shot_set_angle (shot, column_text (stmt, 10));
      reel_shot_set_movement (shot, column_text (stmt, 11));
      reel_shot_set_lens_mm (shot, sqlite3_column_double (stmt, 12));
      reel_shot_set_camera_height_m (shot, sqlite3_column_double (stmt, 13));
      reel_shot_set_duration (shot, MAX (sqlite3_column_int64 (stmt, 14), 1));
      reel_shot_set_status (shot, column_text (stmt, 15));
      reel_shot_set_vfx_notes (shot, column_text (stmt, 16));
      reel_shot_set_background (shot, column_text_or_null (stmt, 17));

      if (scene != previous_scene)
        shot_position = 0;
      previous_scene = scene;

      shot_state = g_new0 (ShotState, 1);
      shot_state->key = sqlite3_column_int64 (stmt, 0);
      shot_state->scene_key = scene_key;
      shot_state->position = shot_position++;
      g_hash_table_replace (state->shots, g_strdup (reel_shot_get_id (shot)), shot_state);
      state->next_shot_key = MAX (state->next_shot_key, shot_state->key + 1);

      loading = g_new0 (LoadingShot, 1);
      loading->shot = g_steal_pointer (&shot);
      loading->scene = scene;
      loading->state = shot_state;
      g_hash_table_insert (shots_by_key, &shot_state->key, loading);
      g_ptr_array_add (shots, loading);
    }

  return !step_failed (rc, db, file, error);
}

static gboolean
load_shot_assets (sqlite3     *db,
                  GFile       *file,
                  GHashTable  *shots_by_key,
                  GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GHashTableIter iter;
  LoadingShot *loading;
  int rc;

  stmt = prepare (db, "SELECT shot, role, hash FROM shot_assets ORDER BY shot, role, position",
                  file, FALSE, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 key = sqlite3_column_int64 (stmt, 0);
      GPtrArray **list;

      loading = g_hash_table_lookup (shots_by_key, &key);
      if (loading == NULL)
        continue;

      list = sqlite3_column_int (stmt, 1) == 0 ? &loading->variants : &loading->generations;
      if (*list == NULL)
        *list = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (*list, g_strdup (column_text (stmt, 2)));
    }
  if (step_failed (rc, db, file, error))
    return FALSE;

  g_hash_table_iter_init (&iter, shots_by_key);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &loading))
    {
      if (loading->variants != NULL)
        {
          g_ptr_array_add (loading->variants, NULL);
          reel_shot_set_variants (loading->shot,
                                  (const char * const *) loading->variants->pdata);
        }
      if (loading->generations != NULL)
        {
          g_ptr_array_add (loading->generations, NULL);
          reel_shot_set_generations (loading->shot,
                                     (const char * const *) loading->generations->pdata);
        }
    }

  return TRUE;
}

static gboolean
load_plates (sqlite3     *db,
             GFile       *file,
             GHashTable  *shots_by_key,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = prepare (db, "SELECT shot, path, key_color, similarity, softness, spill, "
                      "background_scale, background_x, background_y, plate_scale, plate_x, "
                      "plate_y, muted, file_size, hash, duration, width, height FROM plates",
                  file, FALSE, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 key = sqlite3_column_int64 (stmt, 0);
      LoadingShot *loading = g_hash_table_lookup (shots_by_key, &key);
      g_autoptr(ReelPlate) plate = NULL;

      if (loading == NULL)
        continue;

      plate = reel_plate_new (column_text (stmt, 1));
      reel_plate_set_key_color (plate, (guint) sqlite3_column_int64 (stmt, 2));
      reel_plate_set_similarity (plate, sqlite3_column_double (stmt, 3));
      reel_plate_set_softness (plate, sqlite3_column_double (stmt, 4));
      reel_plate_set_spill (plate, sqlite3_column_double (stmt, 5));
      reel_plate_set_background_scale (plate, sqlite3_column_double (stmt, 6));
      reel_plate_set_background_offset (plate, sqlite3_column_double (stmt, 7),
                                        sqlite3_column_double (stmt, 8));
      reel_plate_set_plate_scale (plate, sqlite3_column_double (stmt, 9));
      reel_plate_set_plate_position (plate, sqlite3_column_double (stmt, 10),
                                     sqlite3_column_double (stmt, 11));
      reel_plate_set_muted (plate, sqlite3_column_int (stmt, 12) != 0);
      reel_plate_set_file_size (plate, sqlite3_column_int64 (stmt, 13));
      reel_plate_set_hash (plate, column_text_or_null (stmt, 14));
      reel_plate_set_duration (plate, sqlite3_column_int64 (stmt, 15));
      reel_plate_set_size (plate, sqlite3_column_int (stmt, 16), sqlite3_column_int (stmt, 17));
      reel_shot_set_plate (loading->shot, plate);
    }

  return !step_failed (rc, db, file, error);
}

static gboolean
load_sketches (sqlite3     *db,
               GFile       *file,
               GHashTable  *shots_by_key,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree ReelStrokePoint *points = NULL;
  guint capacity = 0;
  LoadingShot *loading = NULL;
  gint64 loading_key = -1;
  int rc;

  stmt = prepare (db, "SELECT shot, position, name, visible, opacity FROM layers "
                      "ORDER BY shot, position", file, FALSE, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 key = sqlite3_column_int64 (stmt, 0);
      const char *name = column_text (stmt, 2);
      ReelSketch *sketch;

      if (key != loading_key)
        {
          loading_key = key;
          loading = g_hash_table_lookup (shots_by_key, &key);
          if (loading == NULL)
            continue;

          /* The file lists every layer of the sketch, in order: start from none. */
          sketch = reel_shot_get_sketch (loading->shot);
          while (reel_sketch_get_n_layers (sketch) > 0)
            reel_sketch_remove_layer (sketch, reel_sketch_get_layer_name (sketch, 0));
          loading->layer_names = g_ptr_array_new_with_free_func (g_free);
        }
      if (loading == NULL)
        continue;

      sketch = reel_shot_get_sketch (loading->shot);
      reel_sketch_add_layer (sketch, name);
      reel_sketch_set_layer_visible (sketch, name, sqlite3_column_int (stmt, 3) != 0);
      reel_sketch_set_layer_opacity (sketch, name, sqlite3_column_double (stmt, 4));
      g_ptr_array_add (loading->layer_names, g_strdup (name));
    }
  if (step_failed (rc, db, file, error))
    return FALSE;

  g_clear_pointer (&stmt, sqlite3_finalize);
  stmt = prepare (db, "SELECT shot, layer, tool, red, green, blue, alpha, width, text, points "
                      "FROM strokes ORDER BY shot, layer, position", file, FALSE, error);
  if (stmt == NULL)
    return FALSE;

  loading = NULL;
  loading_key = -1;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 key = sqlite3_column_int64 (stmt, 0);
      int layer = sqlite3_column_int (stmt, 1);
      ReelColor color = {
        sqlite3_column_double (stmt, 3), sqlite3_column_double (stmt, 4),
        sqlite3_column_double (stmt, 5), sqlite3_column_double (stmt, 6),
      };
      g_autoptr(ReelStroke) stroke = NULL;
      guint n_points;

      if (key != loading_key)
        {
          loading_key = key;
          loading = g_hash_table_lookup (shots_by_key, &key);
        }
      if (loading == NULL || loading->layer_names == NULL ||
          layer < 0 || (guint) layer >= loading->layer_names->len)
        {
          set_corrupt_error (error, file);
          return FALSE;
        }

      if (!reel_stroke_points_decode_into (sqlite3_column_blob (stmt, 9),
                                           sqlite3_column_bytes (stmt, 9), &points,
                                           &capacity, &n_points))
        {
          set_corrupt_error (error, file);
          return FALSE;
        }

      stroke = reel_stroke_new (column_text (stmt, 2), &color, sqlite3_column_double (stmt, 7),
                                points, n_points, column_text_or_null (stmt, 8));
      reel_sketch_append_stroke (reel_shot_get_sketch (loading->shot),
                                 g_ptr_array_index (loading->layer_names, layer), stroke);
    }

  return !step_failed (rc, db, file, error);
}

static ReelProject *
load_from_db (sqlite3         *db,
              GFile           *file,
              SavedState      *state,
              ReelAssetSource *source,
              DocumentAssets  *document,
              GCancellable    *cancellable,
              GError         **error)
{
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(GHashTable) shots_by_key = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                              NULL, loading_shot_free);
  g_autoptr(GPtrArray) shots = g_ptr_array_new ();

  if (!exec_sql (db, "BEGIN", file, FALSE, error))
    return NULL;

  if (!load_project_row (db, file, project, error) ||
      !load_assets (db, file, project, state, source, document, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !load_scenes_and_shots (db, file, project, state, shots_by_key, shots, error) ||
      !load_shot_assets (db, file, shots_by_key, error) ||
      !load_plates (db, file, shots_by_key, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !load_sketches (db, file, shots_by_key, error))
    {
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      return NULL;
    }

  for (guint i = 0; i < shots->len; i++)
    {
      LoadingShot *loading = g_ptr_array_index (shots, i);

      reel_scene_append_shot (loading->scene, loading->shot);
    }

  if (!reel_project_file_load_sets (db, file, project, error))
    {
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      return NULL;
    }
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);

  return g_steal_pointer (&project);
}

/* Whether @hash is among @missing (few: a linear search). */
static gboolean
is_missing (GPtrArray  *missing,
            const char *hash)
{
  return hash != NULL && g_ptr_array_find_with_equal_func (missing, hash, g_str_equal, NULL);
}

/* @hashes without the missing ones, or NULL when none is missing (transfer full). */
static GStrv
without_missing (const char * const *hashes,
                 GPtrArray          *missing)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean dropped = FALSE;

  for (guint i = 0; hashes != NULL && hashes[i] != NULL; i++)
    if (is_missing (missing, hashes[i]))
      dropped = TRUE;
    else
      g_strv_builder_add (builder, hashes[i]);
  return dropped ? g_strv_builder_end (builder) : NULL;
}

/* Takes the assets the document no longer holds out of the shots and the look, and says
 * which by what used them. */
static void
drop_missing_assets (ReelProject    *project,
                     DocumentAssets *document,
                     GError        **error)
{
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) list = g_string_new (NULL);
  g_autofree char *name = NULL;
  guint n_missing = document->missing->len;
  guint listed;

  for (guint s = 0; s < reel_project_get_n_scenes (project); s++)
    {
      ReelScene *scene = reel_project_get_scene (project, s);

      for (guint p = 0; p < reel_scene_get_n_shots (scene); p++)
        {
          ReelShot *shot = reel_scene_get_shot (scene, p);
          g_auto(GStrv) variants = without_missing (reel_shot_get_variants (shot),
                                                    document->missing);
          g_auto(GStrv) generations = without_missing (reel_shot_get_generations (shot),
                                                       document->missing);
          gboolean background = is_missing (document->missing,
                                            reel_shot_get_background (shot));

          if (variants != NULL)
            reel_shot_set_variants (shot, (const char * const *) variants);
          if (generations != NULL)
            reel_shot_set_generations (shot, (const char * const *) generations);
          if (background)
            reel_shot_set_background (shot, NULL);
          if ((variants != NULL || generations != NULL || background) &&
              *reel_shot_get_number (shot) == '\0')
            g_ptr_array_add (users, g_strdup (_("a shot without a number")));
          else if (variants != NULL || generations != NULL || background)
            /* Translators: where an image that could not be restored was used; %s is a
             * shot number such as "12A" */
            g_ptr_array_add (users, g_strdup_printf (_("shot %s"),
                                                     reel_shot_get_number (shot)));
        }
    }
  if (is_missing (document->missing, reel_project_get_look_image (project)))
    {
      reel_project_set_look_image (project, NULL);
      g_ptr_array_add (users, g_strdup (_("the look’s reference image")));
    }

  if (error == NULL)
    return;

  /* A long list helps nobody: the first few, and how many more. */
  listed = MIN (users->len, 8);
  for (guint i = 0; i < listed; i++)
    {
      if (i > 0)
        g_string_append (list, _(", "));
      g_string_append (list, g_ptr_array_index (users, i));
    }
  if (users->len > listed)
    /* Translators: after a list of shots: "shot 1, shot 2, … and 12 more" */
    g_string_append_printf (list, ngettext (" and %u more", " and %u more",
                                            users->len - listed), users->len - listed);

  name = document->file != NULL ? g_file_get_basename (document->file)
                                : g_strdup (_("the project file"));
  if (users->len > 0)
    g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_MISSING_MEDIA,
                 /* Translators: %u is a count of images and clips, the first %s a file name,
                  * the second a list of shots */
                 ngettext ("%u image or clip could not be restored: “%s” no longer holds it "
                           "(the file was deleted or replaced after the autosave). It was "
                           "used by %s. Everything else was restored; add or generate it "
                           "again.",
                           "%u images or clips could not be restored: “%s” no longer holds "
                           "them (the file was deleted or replaced after the autosave). They "
                           "were used by %s. Everything else was restored; add or generate "
                           "them again.", n_missing),
                 n_missing, name, list->str);
  else
    g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_MISSING_MEDIA,
                 /* Translators: %u is a count of images and clips, %s a file name */
                 ngettext ("%u image or clip no shot uses could not be restored: “%s” no "
                           "longer holds it. Everything else was restored.",
                           "%u images or clips no shot uses could not be restored: “%s” no "
                           "longer holds them. Everything else was restored.", n_missing),
                 n_missing, name);
}

static ReelProject *
load_file (GFile         *file,
           gboolean       mark_saved,
           GCancellable  *cancellable,
           GError       **missing,
           GError       **error)
{
  g_autofree char *path = dup_local_path (file, error);
  g_autoptr(GHashTable) meta = NULL;
  g_autoptr(SavedState) state = NULL;
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(GError) load_error = NULL;
  g_autoptr(ReelAssetFileSource) source = NULL;
  g_autoptr(DocumentAssets) document = NULL;
  PageCheck *check = NULL;
  sqlite3 *db;
  int version;

  if (path == NULL)
    return NULL;

  db = open_for_reading (path, file, &meta, &version, &check, error);
  if (db == NULL)
    return NULL;

  state = saved_state_new (path);
  /* Format 3 is upgraded in place by the first save (write_changes()). */
  state->complete = version >= LAZY_READ_VERSION;
  state->token = g_strdup (g_hash_table_lookup (meta, "save_token"));
  if (!get_identity (path, &state->identity))
    state->complete = FALSE;

  source = reel_asset_file_source_new (file, path);
  /* A recovery file names the assets its document holds. */
  if (table_exists (db, "document_assets"))
    document = document_assets_new (g_hash_table_lookup (meta,
                                                         REEL_PROJECT_FILE_META_ASSET_DOCUMENT));
  project = load_from_db (db, file, state, REEL_ASSET_SOURCE (source), document, cancellable,
                          &load_error);
  sqlite3_close (db);

  /* A damaged page is the better explanation of a failed read, too. */
  if (!page_check_finish (check, file, error))
    return NULL;
  if (project == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&load_error));
      return NULL;
    }

  /* Shots that lose a missing asset are newer than what the file holds: the next save
   * writes them. */
  state->stamp = reel_revision_current ();
  if (document != NULL && document->missing->len > 0)
    drop_missing_assets (project, document, missing);
  reel_history_clear (reel_project_get_history (project));
  if (mark_saved)
    reel_project_mark_saved (project);
  reel_project_file_set_file (project, file);
  install_state (project, state);

  return g_steal_pointer (&project);
}

ReelProject *
reel_project_file_load (GFile         *file,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_file (file, TRUE, cancellable, NULL, error);
}

ReelProject *
reel_project_file_load_unsaved (GFile   *file,
                                GError **missing,
                                GError **error)
{
  return load_file (file, FALSE, NULL, missing, error);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  ReelProject *project = load_file (task_data, TRUE, cancellable, NULL, &error);

  if (project == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, project, g_object_unref);
}

void
reel_project_file_load_async (GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_project_file_load_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

ReelProject *
reel_project_file_load_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == reel_project_file_load_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
