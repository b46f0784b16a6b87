/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-storage"

#include "config.h"

#include <glib/gi18n.h>
#include <stdarg.h>
#include <string.h>

#include "reel-project-file-internal.h"
#include "reel-project-file-set.h"

/* Saving: writing. */

void
writer_clear (Writer *writer)
{
  g_clear_pointer (&writer->insert_shot, sqlite3_finalize);
  g_clear_pointer (&writer->move_shot, sqlite3_finalize);
  g_clear_pointer (&writer->delete_shot_assets, sqlite3_finalize);
  g_clear_pointer (&writer->insert_shot_asset, sqlite3_finalize);
  g_clear_pointer (&writer->delete_plate, sqlite3_finalize);
  g_clear_pointer (&writer->insert_plate, sqlite3_finalize);
  g_clear_pointer (&writer->delete_layers, sqlite3_finalize);
  g_clear_pointer (&writer->insert_layer, sqlite3_finalize);
  g_clear_pointer (&writer->update_layer, sqlite3_finalize);
  g_clear_pointer (&writer->delete_strokes, sqlite3_finalize);
  g_clear_pointer (&writer->delete_layer_strokes_from, sqlite3_finalize);
  g_clear_pointer (&writer->insert_stroke, sqlite3_finalize);
}

static gboolean
writer_prepare (Writer  *writer,
                GError **error)
{
  struct {
    sqlite3_stmt **stmt;
    const char *sql;
  } statements[] = {
    { &writer->insert_shot,
      "INSERT OR REPLACE INTO shots (key, uuid, scene, position, number, description, "
      "dialogue, notes, cast_list, size, framing, angle, movement, lens_mm, camera_height_m, "
      "duration, status, vfx_notes, background) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" },
    { &writer->move_shot, "UPDATE shots SET scene = ?, position = ? WHERE key = ?" },
    { &writer->delete_shot_assets, "DELETE FROM shot_assets WHERE shot = ?" },
    { &writer->insert_shot_asset,
      "INSERT INTO shot_assets (shot, role, position, hash) VALUES (?, ?, ?, ?)" },
    { &writer->delete_plate, "DELETE FROM plates WHERE shot = ?" },
    { &writer->insert_plate,
      "INSERT INTO plates (shot, path, key_color, similarity, softness, spill, "
      "background_scale, background_x, background_y, plate_scale, plate_x, plate_y, muted, "
      "file_size, hash, duration, width, height) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" },
    { &writer->delete_layers, "DELETE FROM layers WHERE shot = ?" },
    { &writer->insert_layer,
      "INSERT INTO layers (shot, position, name, visible, opacity) VALUES (?, ?, ?, ?, ?)" },
    { &writer->update_layer,
      "UPDATE layers SET visible = ?, opacity = ? WHERE shot = ? AND position = ?" },
    { &writer->delete_strokes, "DELETE FROM strokes WHERE shot = ?" },
    { &writer->delete_layer_strokes_from,
      "DELETE FROM strokes WHERE shot = ? AND layer = ? AND position >= ?" },
    { &writer->insert_stroke,
      "INSERT INTO strokes (shot, layer, position, tool, red, green, blue, alpha, width, "
      "text, points) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      *statements[i].stmt = prepare (writer->db, statements[i].sql, writer->file, TRUE, error);
      if (*statements[i].stmt == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
run (Writer        *writer,
     sqlite3_stmt  *stmt,
     GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      reel_project_file_set_sqlite_error (error, writer->file, writer->db, rc, TRUE);
      return FALSE;
    }
  return TRUE;
}

/* Binds the values after @types (as bind_values()) and runs @stmt once. */
static gboolean
run_with (Writer        *writer,
          sqlite3_stmt  *stmt,
          GError       **error,
          const char    *types,
          ...)
{
  va_list args;

  va_start (args, types);
  bind_values_va (stmt, types, args);
  va_end (args);
  return run (writer, stmt, error);
}

static gboolean
write_stroke (Writer      *writer,
              gint64       shot_key,
              guint        layer,
              guint        position,
              ReelStroke  *stroke,
              GError     **error)
{
  const ReelColor *color = reel_stroke_get_color (stroke);
  const ReelStrokePoint *points;
  g_autoptr(GBytes) blob = NULL;
  guint n_points;
  gsize size;
  gconstpointer data;

  points = reel_stroke_get_points (stroke, &n_points);
  blob = reel_stroke_points_encode (points, n_points);
  data = g_bytes_get_data (blob, &size);

  return run_with (writer, writer->insert_stroke, error, "liitdddddtb", shot_key, (int) layer,
                   (int) position, reel_stroke_get_tool (stroke), color->red, color->green,
                   color->blue, color->alpha, reel_stroke_get_width (stroke),
                   reel_stroke_get_text (stroke), data, size);
}

static gboolean
write_layer_strokes (Writer      *writer,
                     gint64       shot_key,
                     ReelSketch  *sketch,
                     guint        layer,
                     guint        from,
                     GError     **error)
{
  const char *name = reel_sketch_get_layer_name (sketch, layer);
  guint n = reel_sketch_get_layer_n_strokes (sketch, name);

  for (guint i = from; i < n; i++)
    if (!write_stroke (writer, shot_key, layer, i, reel_sketch_get_stroke (sketch, name, i),
                       error))
      return FALSE;
  return TRUE;
}

static gboolean
same_layer_names (ReelSketch *a,
                  ReelSketch *b)
{
  guint n = reel_sketch_get_n_layers (a);

  if (n != reel_sketch_get_n_layers (b))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!g_str_equal (reel_sketch_get_layer_name (a, i), reel_sketch_get_layer_name (b, i)))
      return FALSE;
  return TRUE;
}

/* Writes @sketch, or only how it differs from @old (what the file holds): a stroke
 * added to a sketch of fifty is one row. */
static gboolean
write_sketch (Writer      *writer,
              gint64       shot_key,
              ReelSketch  *sketch,
              ReelSketch  *old,
              gboolean     known,
              GError     **error)
{
  guint n_layers = reel_sketch_get_n_layers (sketch);

  if (old != NULL && same_layer_names (sketch, old))
    {
      for (guint l = 0; l < n_layers; l++)
        {
          const char *name = reel_sketch_get_layer_name (sketch, l);
          guint n_new = reel_sketch_get_layer_n_strokes (sketch, name);
          guint n_old = reel_sketch_get_layer_n_strokes (old, name);
          gboolean visible = reel_sketch_get_layer_visible (sketch, name);
          double opacity = reel_sketch_get_layer_opacity (sketch, name);
          guint common = 0;

          if (visible != reel_sketch_get_layer_visible (old, name) ||
              opacity != reel_sketch_get_layer_opacity (old, name))
            {
              if (!run_with (writer, writer->update_layer, error, "idli", visible, opacity,
                             shot_key, (int) l))
                return FALSE;
            }

          while (common < n_new && common < n_old &&
                 reel_sketch_get_stroke (sketch, name, common) ==
                 reel_sketch_get_stroke (old, name, common))
            common++;

          if (common == n_new && common == n_old)
            continue;

          if (common < n_old)
            {
              if (!run_with (writer, writer->delete_layer_strokes_from, error, "lii", shot_key,
                             (int) l, (int) common))
                return FALSE;
            }
          if (!write_layer_strokes (writer, shot_key, sketch, l, common, error))
            return FALSE;
        }
      return TRUE;
    }

  if (known)
    {
      if (!run_with (writer, writer->delete_layers, error, "l", shot_key) ||
          !run_with (writer, writer->delete_strokes, error, "l", shot_key))
        return FALSE;
    }

  for (guint l = 0; l < n_layers; l++)
    {
      const char *name = reel_sketch_get_layer_name (sketch, l);

      if (!run_with (writer, writer->insert_layer, error, "litid", shot_key, (int) l, name,
                     reel_sketch_get_layer_visible (sketch, name),
                     reel_sketch_get_layer_opacity (sketch, name)) ||
          !write_layer_strokes (writer, shot_key, sketch, l, 0, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_shot_assets (Writer             *writer,
                   gint64              shot_key,
                   int                 role,
                   const char * const *hashes,
                   GError            **error)
{
  for (guint i = 0; hashes != NULL && hashes[i] != NULL; i++)
    {
      if (!run_with (writer, writer->insert_shot_asset, error, "liit", shot_key, role, (int) i,
                     hashes[i]))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_plate (Writer      *writer,
             gint64       shot_key,
             ReelPlate   *plate,
             GError     **error)
{
  return run_with (writer, writer->insert_plate, error, "ltldddddddddiltlii", shot_key,
                   reel_plate_get_path (plate) != NULL ? reel_plate_get_path (plate) : "",
                   (gint64) reel_plate_get_key_color (plate), reel_plate_get_similarity (plate),
                   reel_plate_get_softness (plate), reel_plate_get_spill (plate),
                   reel_plate_get_background_scale (plate), reel_plate_get_background_x (plate),
                   reel_plate_get_background_y (plate), reel_plate_get_plate_scale (plate),
                   reel_plate_get_plate_x (plate), reel_plate_get_plate_y (plate),
                   (int) reel_plate_get_muted (plate), (gint64) reel_plate_get_file_size (plate),
                   reel_plate_get_hash (plate), (gint64) reel_plate_get_duration (plate),
                   (int) reel_plate_get_width (plate), (int) reel_plate_get_height (plate));
}

static gboolean
write_shot (Writer    *writer,
            ShotSnap  *snap,
            gboolean   full,
            GError   **error)
{
  ReelShot *shot = snap->content;
  ReelPlate *plate;

  if (shot == NULL)
    {
    return run_with (writer, writer->move_shot, error, "lil", snap->scene_key,
                     (int) snap->position, snap->key);
    }

  if (!run_with (writer, writer->insert_shot, error, "ltlitttttttttddlttt", snap->key,
                 reel_shot_get_id (shot), snap->scene_key, (int) snap->position,
                 reel_shot_get_number (shot), reel_shot_get_description (shot),
                 reel_shot_get_dialogue (shot), reel_shot_get_notes (shot),
                 reel_shot_get_cast (shot), reel_shot_get_size (shot),
                 reel_shot_get_framing (shot), reel_shot_get_angle (shot),
                 reel_shot_get_movement (shot), reel_shot_get_lens_mm (shot),
                 reel_shot_get_camera_height_m (shot), (gint64) reel_shot_get_duration (shot),
                 reel_shot_get_status (shot), reel_shot_get_vfx_notes (shot),
                 reel_shot_get_background (shot)))
    return FALSE;

  if (!full &&
      (!run_with (writer, writer->delete_shot_assets, error, "l", snap->key) ||
       !run_with (writer, writer->delete_plate, error, "l", snap->key)))
    return FALSE;

  if (!reel_project_file_write_shot_camera (writer->db, writer->file, snap->key, shot, error) ||
      !write_shot_assets (writer, snap->key, 0, reel_shot_get_variants (shot), error) ||
      !write_shot_assets (writer, snap->key, 1, reel_shot_get_generations (shot), error))
    return FALSE;

  plate = reel_shot_get_plate (shot);
  if (plate != NULL && !write_plate (writer, snap->key, plate, error))
    return FALSE;

  return write_sketch (writer, snap->key, reel_shot_get_sketch (shot),
                       full ? NULL : snap->old_sketch, !full && snap->known, error);
}

/* Every generation record of @asset, in order. */
static gboolean
write_generations (Writer        *writer,
                   sqlite3_stmt  *insert_generation,
                   ReelAsset     *asset,
                   GError       **error)
{
  ReelGenerationRecord * const *records;
  guint n_records;

  records = reel_asset_get_generations (asset, &n_records);
  for (guint k = 0; k < n_records; k++)
    {
      ReelGenerationRecord *record = records[k];
      g_autofree char *inputs = NULL;

      if (record->input_hashes != NULL)
        inputs = g_strjoinv ("\n", record->input_hashes);

      if (!run_with (writer, insert_generation, error, "tltttttttlttll",
                     reel_asset_get_hash (asset), (gint64) k, record->kind, record->angle_id,
                     record->provider, record->model, record->endpoint_host, record->prompt,
                     record->negative_prompt, (gint64) record->seed, record->parameters, inputs,
                     (gint64) record->created_us, (gint64) record->duration_ms))
        return FALSE;
    }
  return TRUE;
}

/* Whether @asset may be named rather than copied: the document holds it, as far as
 * this process knows. Checked against the document itself before it is named. */
static gboolean
may_refer_to (SaveJob   *job,
              ReelAsset *asset)
{
  ReelAssetSource *source = reel_asset_get_source (asset);

  if (job->document_state != NULL &&
      g_hash_table_contains (job->document_state->assets, reel_asset_get_hash (asset)))
    return TRUE;
  return source != NULL && REEL_IS_ASSET_FILE_SOURCE (source) &&
         reel_asset_file_source_has_path (REEL_ASSET_FILE_SOURCE (source), job->document_path);
}

/* Whether the document (@find: its assets' sizes by hash) holds @asset's bytes now. */
static gboolean
document_holds (sqlite3_stmt *find,
                ReelAsset    *asset)
{
  gboolean holds;

  sqlite3_bind_text (find, 1, reel_asset_get_hash (asset), -1, SQLITE_TRANSIENT);
  holds = sqlite3_step (find) == SQLITE_ROW &&
          sqlite3_column_int64 (find, 0) == reel_asset_get_size (asset);
  sqlite3_reset (find);
  sqlite3_clear_bindings (find);
  return holds;
}

/* A read-only connection to the document of @job, to check what it holds; NULL when it
 * cannot be read (then every asset is copied). */
static sqlite3 *
open_document (SaveJob       *job,
               sqlite3_stmt **find)
{
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (job->document_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      (sqlite3_busy_timeout (db, 5000),
       sqlite3_prepare_v2 (db, "SELECT length(data) FROM assets WHERE hash = ?", -1, find,
                           NULL)) != SQLITE_OK)
    {
      g_debug ("Not referring to %s: %s", job->document_path,
               db != NULL ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close (db);
      return NULL;
    }
  return db;
}

static gboolean
write_assets (Writer   *writer,
              SaveJob  *job,
              GError  **error)
{
  g_autoptr(sqlite3_stmt) insert_asset = NULL;
  g_autoptr(sqlite3_stmt) delete_asset = NULL;
  g_autoptr(sqlite3_stmt) insert_generation = NULL;
  g_autoptr(sqlite3_stmt) delete_generation = NULL;
  g_autoptr(sqlite3_stmt) insert_reference = NULL;
  g_autoptr(sqlite3_stmt) delete_reference = NULL;
  g_autoptr(sqlite3_stmt) find_in_document = NULL;
  sqlite3 *document_db = NULL;
  gboolean ok = FALSE;

  if (job->new_assets->len == 0 && job->deleted_assets->len == 0 &&
      job->regenerated_assets->len == 0)
    return TRUE;

  /* Assets the document holds are named, not copied (a recovery file). */
  if (job->document_path != NULL && job->new_assets->len > 0)
    {
      document_db = open_document (job, &find_in_document);
      if (document_db != NULL && !exec_sql (writer->db, document_assets_sql, writer->file,
                                            TRUE, error))
        goto out;
    }
  if (table_exists (writer->db, "document_assets"))
    {
      insert_reference = prepare (writer->db, "INSERT OR REPLACE INTO document_assets (hash, "
                                  "position, mime_type, width, height, size) "
                                  "VALUES (?, ?, ?, ?, ?, ?)", writer->file, TRUE, error);
      delete_reference = prepare (writer->db, "DELETE FROM document_assets WHERE hash = ?",
                                  writer->file, TRUE, error);
      if (insert_reference == NULL || delete_reference == NULL)
        goto out;
    }

  insert_asset = prepare (writer->db, "INSERT OR REPLACE INTO assets (hash, position, "
                          "mime_type, width, height, data) VALUES (?, ?, ?, ?, ?, ?)",
                          writer->file, TRUE, error);
  delete_asset = prepare (writer->db, "DELETE FROM assets WHERE hash = ?", writer->file, TRUE,
                          error);
  insert_generation = prepare (writer->db, "INSERT INTO asset_generations (asset, position, "
                               "kind, angle, provider, model, endpoint_host, prompt, "
                               "negative_prompt, seed, parameters, input_hashes, created_us, "
                               "duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               writer->file, TRUE, error);
  delete_generation = prepare (writer->db, "DELETE FROM asset_generations WHERE asset = ?",
                               writer->file, TRUE, error);
  if (insert_asset == NULL || delete_asset == NULL || insert_generation == NULL ||
      delete_generation == NULL)
    goto out;

  for (guint i = 0; i < job->deleted_assets->len; i++)
    {
      const char *hash = g_ptr_array_index (job->deleted_assets, i);

      if (!run_with (writer, delete_asset, error, "t", hash) ||
          !run_with (writer, delete_generation, error, "t", hash) ||
          (delete_reference != NULL && !run_with (writer, delete_reference, error, "t", hash)))
        goto out;
    }

  for (guint i = 0; i < job->new_assets->len; i++)
    {
      ReelAsset *asset = g_ptr_array_index (job->new_assets, i);
      const char *hash = reel_asset_get_hash (asset);
      gint64 position = g_array_index (job->new_asset_positions, gint64, i);
      g_autoptr(GBytes) data = NULL;
      gconstpointer bytes;
      gsize size;

      if (find_in_document != NULL && may_refer_to (job, asset) &&
          document_holds (find_in_document, asset))
        {
          if (!run_with (writer, insert_reference, error, "tltiil", hash, position,
                         reel_asset_get_mime_type (asset), (int) reel_asset_get_width (asset),
                         (int) reel_asset_get_height (asset),
                         (gint64) reel_asset_get_size (asset)) ||
              !run_with (writer, delete_generation, error, "t", hash) ||
              !write_generations (writer, insert_generation, asset, error))
            goto out;
          continue;
        }

      /* A lazy asset is read now, one at a time, and let go once written; its bytes
       * are copied as they are, damaged or not, so the new file loses nothing. */
      if (reel_asset_is_lazy (asset))
        data = reel_asset_source_read (reel_asset_get_source (asset), hash, NULL, error);
      else
        data = g_bytes_ref (reel_asset_get_data (asset));
      if (data == NULL)
        goto out;
      bytes = g_bytes_get_data (data, &size);

      if (!run_with (writer, insert_asset, error, "tltiib", hash, position,
                     reel_asset_get_mime_type (asset), (int) reel_asset_get_width (asset),
                     (int) reel_asset_get_height (asset), bytes != NULL ? bytes : "", size) ||
          !run_with (writer, delete_generation, error, "t", hash))
        goto out;

      if (!write_generations (writer, insert_generation, asset, error))
        goto out;
    }

  /* Bytes the file holds, with records added since (two providers, the same bytes). */
  for (guint i = 0; i < job->regenerated_assets->len; i++)
    {
      ReelAsset *asset = g_ptr_array_index (job->regenerated_assets, i);

      if (!run_with (writer, delete_generation, error, "t", reel_asset_get_hash (asset)) ||
          !write_generations (writer, insert_generation, asset, error))
        goto out;
    }

  ok = TRUE;

out:
  g_clear_pointer (&find_in_document, sqlite3_finalize);
  sqlite3_close (document_db);
  return ok;
}

static gboolean
write_project (Writer   *writer,
               SaveJob  *job,
               GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!job->write_project)
    return TRUE;

  stmt = prepare (writer->db, "INSERT OR REPLACE INTO project (id, title, rate_num, rate_den, "
                  "aspect, sensor, look_phrase, look_image) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                  writer->file, TRUE, error);
  if (stmt == NULL)
    return FALSE;

  if (!run_with (writer, stmt, error, "tiidttt", job->title, (int) job->rate.num,
                 (int) job->rate.den, job->aspect, job->sensor, job->look_phrase,
                 job->look_image))
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!exec_sql (writer->db, "DELETE FROM project_metadata", writer->file, TRUE, error))
    return FALSE;

  stmt = prepare (writer->db, "INSERT INTO project_metadata (position, key, value) "
                  "VALUES (?, ?, ?)", writer->file, TRUE, error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; job->metadata_keys[i] != NULL; i++)
    {
      if (!run_with (writer, stmt, error, "itt", (int) i, job->metadata_keys[i],
                     (const char *) g_ptr_array_index (job->metadata_values, i)))
        return FALSE;
    }

  return TRUE;
}

static gboolean
write_scenes (Writer   *writer,
              SaveJob  *job,
              GError  **error)
{
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) move = NULL;

  insert = prepare (writer->db, "INSERT OR REPLACE INTO scenes (key, uuid, position, number, "
                    "int_ext, location, time_of_day, synopsis) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    writer->file, TRUE, error);
  move = prepare (writer->db, "UPDATE scenes SET position = ? WHERE key = ?", writer->file,
                  TRUE, error);
  if (insert == NULL || move == NULL)
    return FALSE;

  for (guint i = 0; i < job->scenes->len; i++)
    {
      SceneSnap *snap = g_ptr_array_index (job->scenes, i);

      if (snap->write)
        {
          if (!run_with (writer, insert, error, "ltittttt", snap->key, snap->uuid,
                         (int) snap->position, snap->number, snap->int_ext, snap->location,
                         snap->time_of_day, snap->synopsis) ||
              !reel_project_file_write_scene_set (writer->db, writer->file, snap->key,
                                                  snap->set_data, error))
            return FALSE;
        }
      else
        {
          if (!run_with (writer, move, error, "il", (int) snap->position, snap->key))
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
write_deletions (Writer   *writer,
                 SaveJob  *job,
                 GError  **error)
{
  static const char * const shot_tables[] = {
    "DELETE FROM shots WHERE key = ?",
    "DELETE FROM shot_assets WHERE shot = ?",
    "DELETE FROM plates WHERE shot = ?",
    "DELETE FROM layers WHERE shot = ?",
    "DELETE FROM strokes WHERE shot = ?",
    "DELETE FROM shot_cameras WHERE shot = ?",
  };
  g_autoptr(sqlite3_stmt) delete_scene = NULL;

  for (guint t = 0; t < G_N_ELEMENTS (shot_tables) && job->deleted_shots->len > 0; t++)
    {
      g_autoptr(sqlite3_stmt) stmt = prepare (writer->db, shot_tables[t], writer->file, TRUE,
                                              error);

      if (stmt == NULL)
        return FALSE;
      for (guint i = 0; i < job->deleted_shots->len; i++)
        {
          if (!run_with (writer, stmt, error, "l", g_array_index (job->deleted_shots, gint64, i)))
            return FALSE;
        }
    }

  if (job->deleted_scenes->len == 0)
    return TRUE;

  delete_scene = prepare (writer->db, "DELETE FROM scenes WHERE key = ?", writer->file, TRUE,
                          error);
  if (delete_scene == NULL)
    return FALSE;
  for (guint i = 0; i < job->deleted_scenes->len; i++)
    {
      if (!run_with (writer, delete_scene, error, "l",
                     g_array_index (job->deleted_scenes, gint64, i)) ||
          !reel_project_file_delete_scene_set (writer->db, writer->file,
                                               g_array_index (job->deleted_scenes, gint64, i),
                                               error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_meta (Writer   *writer,
            SaveJob  *job,
            GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *writer_name = g_strdup_printf ("Storyreel %s", PACKAGE_VERSION);
  GHashTableIter iter;
  gpointer key, value;

  stmt = prepare (writer->db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                  writer->file, TRUE, error);
  if (stmt == NULL)
    return FALSE;

  if (!run_with (writer, stmt, error, "tt", "save_token", job->token) ||
      !run_with (writer, stmt, error, "tt", "writer", writer_name))
    return FALSE;

  if (job->extra_meta != NULL)
    {
      g_hash_table_iter_init (&iter, job->extra_meta);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          if (!run_with (writer, stmt, error, "tt", (const char *) key, (const char *) value))
            return FALSE;
        }
    }

  return TRUE;
}

gboolean
write_job (Writer        *writer,
           SaveJob       *job,
           GCancellable  *cancellable,
           GError       **error)
{
  if (!writer_prepare (writer, error) ||
      !write_project (writer, job, error) ||
      !write_scenes (writer, job, error) ||
      !write_deletions (writer, job, error))
    return FALSE;

  for (guint i = 0; i < job->shots->len; i++)
    {
      if ((i & 255) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!write_shot (writer, g_ptr_array_index (job->shots, i), job->full, error))
        return FALSE;
    }

  return write_assets (writer, job, error) && write_meta (writer, job, error);
}
