/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-storage"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reel-project-file.h"
#include "reel-project-file-internal.h"
#include "reel-project-file-set.h"

/*
 * What a save needs to know about the file it writes to is remembered per project
 * and per file path (a SavedState): which scenes and shots the file holds under
 * which row keys and positions, the sketch each shot had when written, the assets
 * stored, and the revision stamp everything was taken at. Objects whose revision
 * is above the stamp have changed since and are the only ones written.
 *
 * A save first takes a snapshot on the calling thread (copies of the changed shots,
 * the fields of changed scenes and of the project), then writes it on any thread,
 * then installs the new SavedState back on the calling thread.
 */


typedef struct
{
  GFile *file;            /* the document */
  GHashTable *states;     /* path → SavedState */
  guint64 next_sequence;
} ProjectFileData;

static GQuark project_file_quark;

static void
shot_state_free (gpointer data)
{
  ShotState *state = data;

  g_clear_object (&state->sketch);
  g_free (state);
}

SavedState *
saved_state_new (const char *path)
{
  SavedState *state = g_new0 (SavedState, 1);

  g_atomic_ref_count_init (&state->ref_count);
  state->path = g_strdup (path);
  state->complete = TRUE;
  state->shots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, shot_state_free);
  state->scenes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  state->assets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  state->next_shot_key = 1;
  state->next_scene_key = 1;
  return state;
}

SavedState *
saved_state_ref (SavedState *state)
{
  g_atomic_ref_count_inc (&state->ref_count);
  return state;
}

void
saved_state_unref (SavedState *state)
{
  if (state == NULL || !g_atomic_ref_count_dec (&state->ref_count))
    return;

  g_free (state->path);
  g_free (state->token);
  g_hash_table_unref (state->shots);
  g_hash_table_unref (state->scenes);
  g_hash_table_unref (state->assets);
  g_clear_pointer (&state->extra_meta, g_hash_table_unref);
  g_free (state);
}


static void
project_file_data_free (gpointer data)
{
  ProjectFileData *file_data = data;

  g_clear_object (&file_data->file);
  g_clear_pointer (&file_data->states, g_hash_table_unref);
  g_free (file_data);
}

static ProjectFileData *
get_file_data (ReelProject *project,
               gboolean     create)
{
  ProjectFileData *file_data;

  if (project_file_quark == 0)
    project_file_quark = g_quark_from_static_string ("reel-project-file");

  file_data = g_object_get_qdata (G_OBJECT (project), project_file_quark);
  if (file_data == NULL && create)
    {
      file_data = g_new0 (ProjectFileData, 1);
      file_data->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) saved_state_unref);
      file_data->next_sequence = 1;
      g_object_set_qdata_full (G_OBJECT (project), project_file_quark, file_data,
                               project_file_data_free);
    }

  return file_data;
}

GFile *
reel_project_file_get_file (ReelProject *project)
{
  ProjectFileData *file_data;

  g_return_val_if_fail (REEL_IS_PROJECT (project), NULL);

  file_data = get_file_data (project, FALSE);
  return file_data != NULL ? file_data->file : NULL;
}

void
reel_project_file_set_file (ReelProject *project,
                            GFile       *file)
{
  ProjectFileData *file_data = get_file_data (project, TRUE);

  g_set_object (&file_data->file, file);
}

void
install_state (ReelProject *project,
               SavedState  *state)
{
  ProjectFileData *file_data = get_file_data (project, TRUE);
  SavedState *current = g_hash_table_lookup (file_data->states, state->path);

  /* Two saves of the same file may finish out of order: keep the later one. */
  if (current != NULL && current->sequence > state->sequence)
    return;

  g_hash_table_replace (file_data->states, g_strdup (state->path), saved_state_ref (state));
}

/* Saving: the snapshot. */

typedef struct
{
  gint64 key;
  guint position;
  gboolean write;  /* the row's fields */
  gboolean moved;
  char *number;
  char *int_ext;
  char *location;
  char *time_of_day;
  char *synopsis;
  char *uuid;
  GBytes *set_data;
} SceneSnap;

typedef struct
{
  gint64 key;
  gint64 scene_key;
  guint position;
  gboolean moved;
  ReelShot *content;      /* a private copy to write, or NULL when the row is current */
  ReelSketch *old_sketch; /* what the file holds, to write only the difference; or NULL */
  gboolean known;         /* the file has rows of this shot */
} ShotSnap;

typedef struct
{
  GFile *file;
  char *path;
  guint flags;
  gboolean full;
  SavedState *base;       /* what the file holds (NULL when writing it whole) */
  SavedState *pending;    /* what it will hold */
  guint64 stamp;
  char *token;

  gboolean write_project;
  char *title;
  ReelFrameRate rate;
  double aspect;
  char *sensor;
  char *look_phrase;
  char *look_image;
  GStrv metadata_keys;
  GPtrArray *metadata_values;

  GPtrArray *scenes;            /* SceneSnap */
  GPtrArray *shots;             /* ShotSnap */
  GArray *deleted_scenes;       /* gint64 keys */
  GArray *deleted_shots;        /* gint64 keys */
  GPtrArray *new_assets;        /* ReelAsset */
  GArray *new_asset_positions;  /* gint64 */
  GPtrArray *deleted_assets;    /* hash strings */
  GPtrArray *regenerated_assets; /* ReelAsset the file holds, with other generation records */
  GPtrArray *assets;            /* every ReelAsset of the project, until compared */
  GHashTable *extra_meta;

  /* REEL_PROJECT_FILE_SAVE_REFER_ASSETS: the document whose assets the file names
   * instead of copying them (NULL: every asset is copied), and what the document holds
   * as far as this process knows (nullable). With @seed the new file starts as a copy
   * of the document's rows, @base being the document's state. */
  char *document_path;
  SavedState *document_state;
  gboolean seed;

  /* Plates whose path the save made relative to the new location. */
  GPtrArray *plate_updates;     /* PlateUpdate */

  /* Results. */
  gboolean retry_full;
  gboolean document_changed;  /* the document is not what @document_state says */
  FileIdentity identity;
} SaveJob;

typedef struct
{
  ReelPlate *plate;  /* the live plate */
  char *old_path;
  char *new_path;
} PlateUpdate;

static void
scene_snap_free (gpointer data)
{
  SceneSnap *snap = data;

  g_free (snap->number);
  g_free (snap->int_ext);
  g_free (snap->location);
  g_free (snap->time_of_day);
  g_free (snap->synopsis);
  g_free (snap->uuid);
  g_clear_pointer (&snap->set_data, g_bytes_unref);
  g_free (snap);
}

static void
shot_snap_free (gpointer data)
{
  ShotSnap *snap = data;

  g_clear_object (&snap->content);
  g_clear_object (&snap->old_sketch);
  g_free (snap);
}

static void
plate_update_free (gpointer data)
{
  PlateUpdate *update = data;

  g_clear_object (&update->plate);
  g_free (update->old_path);
  g_free (update->new_path);
  g_free (update);
}

static void
save_job_free (SaveJob *job)
{
  g_clear_object (&job->file);
  g_free (job->path);
  g_clear_pointer (&job->base, saved_state_unref);
  g_clear_pointer (&job->pending, saved_state_unref);
  g_free (job->token);
  g_free (job->title);
  g_free (job->sensor);
  g_free (job->look_phrase);
  g_free (job->look_image);
  g_strfreev (job->metadata_keys);
  g_clear_pointer (&job->metadata_values, g_ptr_array_unref);
  g_clear_pointer (&job->scenes, g_ptr_array_unref);
  g_clear_pointer (&job->shots, g_ptr_array_unref);
  g_clear_pointer (&job->deleted_scenes, g_array_unref);
  g_clear_pointer (&job->deleted_shots, g_array_unref);
  g_clear_pointer (&job->new_assets, g_ptr_array_unref);
  g_clear_pointer (&job->new_asset_positions, g_array_unref);
  g_clear_pointer (&job->deleted_assets, g_ptr_array_unref);
  g_clear_pointer (&job->regenerated_assets, g_ptr_array_unref);
  g_clear_pointer (&job->assets, g_ptr_array_unref);
  g_clear_pointer (&job->extra_meta, g_hash_table_unref);
  g_free (job->document_path);
  g_clear_pointer (&job->document_state, saved_state_unref);
  g_clear_pointer (&job->plate_updates, g_ptr_array_unref);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveJob, save_job_free)

/* Internal: a whole new file, not one that starts as a copy of the document. */
#define SAVE_NO_SEED (1u << 30)

static char *
new_save_token (void)
{
  return g_uuid_string_random ();
}

/* The path a plate should have in a file at @target, given the file it is relative
 * to now (@base, nullable), or NULL when it stays. */
static char *
rebase_plate_path (ReelPlate *plate,
                   GFile     *base,
                   GFile     *target)
{
  const char *path = reel_plate_get_path (plate);
  g_autoptr(GFile) media = NULL;
  char *rebased;

  if (path == NULL || *path == '\0')
    return NULL;
  if (base != NULL && g_file_equal (base, target))
    return NULL;
  /* An untitled project has no folder its relative paths could be relative to but
   * the one it is being saved to. */
  if (base == NULL && !g_path_is_absolute (path))
    return NULL;

  media = reel_plate_resolve (plate, base);
  rebased = reel_plate_make_relative_path (target, media);
  if (rebased == NULL || g_str_equal (rebased, path))
    {
      g_free (rebased);
      return NULL;
    }
  return rebased;
}

/* Takes what the save needs from @project. With @full, everything is written into
 * a new file; otherwise only what changed since @base. */
static gboolean
meta_equal (GHashTable *a,
            GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (a == NULL || b == NULL)
    return a == b;
  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (value, g_hash_table_lookup (b, key)) != 0)
      return FALSE;
  return TRUE;
}

static SaveJob *
save_job_new (ReelProject *project,
              GFile       *file,
              const char  *path,
              guint        flags,
              GHashTable  *extra_meta,
              gboolean     full)
{
  ProjectFileData *file_data = get_file_data (project, TRUE);
  g_autoptr(SaveJob) job = g_new0 (SaveJob, 1);
  g_autoptr(GHashTable) seen_shots = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen_scenes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) own_meta = NULL;
  GFile *document = file_data->file;
  SavedState *base = NULL;
  SavedState *pending;
  GHashTableIter iter;
  gpointer key, value;
  guint n_scenes;

  job->file = g_object_ref (file);
  job->path = g_strdup (path);
  job->flags = flags;
  job->stamp = reel_revision_current ();
  job->token = new_save_token ();

  /* A recovery file names the assets its document holds rather than copying them. */
  if ((flags & REEL_PROJECT_FILE_SAVE_REFER_ASSETS) && document != NULL)
    {
      job->document_path = g_file_get_path (document);
      if (job->document_path != NULL && g_str_equal (job->document_path, path))
        g_clear_pointer (&job->document_path, g_free);
    }
  if (job->document_path != NULL)
    {
      SavedState *document_state = g_hash_table_lookup (file_data->states,
                                                        job->document_path);

      if (document_state != NULL)
        job->document_state = saved_state_ref (document_state);

      own_meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      if (extra_meta != NULL)
        {
          g_hash_table_iter_init (&iter, extra_meta);
          while (g_hash_table_iter_next (&iter, &key, &value))
            g_hash_table_replace (own_meta, g_strdup (key), g_strdup (value));
        }
      g_hash_table_replace (own_meta, g_strdup (REEL_PROJECT_FILE_META_ASSET_DOCUMENT),
                            g_strdup (job->document_path));
      extra_meta = own_meta;
    }

  if (!full)
    {
      base = g_hash_table_lookup (file_data->states, path);
      if (base == NULL || !base->complete)
        full = TRUE;
    }
  /* The first recovery file of a project with a document: the worker copies the rows
   * the document holds, and only what changed since it was saved is taken here. */
  if (full && !(flags & SAVE_NO_SEED) && job->document_state != NULL &&
      job->document_state->complete)
    {
      base = job->document_state;
      full = FALSE;
      job->seed = TRUE;
    }
  job->full = full;
  if (!full)
    job->base = saved_state_ref (base);
  else
    base = NULL;

  job->scenes = g_ptr_array_new_with_free_func (scene_snap_free);
  job->shots = g_ptr_array_new_with_free_func (shot_snap_free);
  job->deleted_scenes = g_array_new (FALSE, FALSE, sizeof (gint64));
  job->deleted_shots = g_array_new (FALSE, FALSE, sizeof (gint64));
  job->new_assets = g_ptr_array_new_with_free_func (g_object_unref);
  job->new_asset_positions = g_array_new (FALSE, FALSE, sizeof (gint64));
  job->deleted_assets = g_ptr_array_new_with_free_func (g_free);
  job->regenerated_assets = g_ptr_array_new_with_free_func (g_object_unref);
  job->plate_updates = g_ptr_array_new_with_free_func (plate_update_free);

  /* An asset nothing reaches any more, not even the undo history, leaves the file. Not
   * for a recovery file, which may keep it: that would cost the main thread a walk of
   * the whole project every few seconds. */
  if (!(flags & REEL_PROJECT_FILE_SAVE_REFER_ASSETS))
    reel_project_drop_unused_assets (project);

  /* Nothing changed since the file was written: it only has to be checked. */
  if (base != NULL && !job->seed &&
      reel_project_get_content_revision (project) <= base->stamp &&
      g_hash_table_size (base->assets) == reel_project_get_n_assets (project) &&
      meta_equal (base->extra_meta, extra_meta))
    {
      job->pending = saved_state_ref (base);
      return g_steal_pointer (&job);
    }

  if (extra_meta != NULL && (base == NULL || !meta_equal (base->extra_meta, extra_meta)))
    job->extra_meta = g_hash_table_ref (extra_meta);

  pending = job->pending = saved_state_new (path);
  pending->stamp = job->stamp;
  pending->sequence = file_data->next_sequence++;
  pending->token = g_strdup (job->token);
  if (base != NULL)
    {
      pending->next_shot_key = base->next_shot_key;
      pending->next_scene_key = base->next_scene_key;
      pending->next_asset_position = base->next_asset_position;
    }
  if (extra_meta != NULL)
    pending->extra_meta = g_hash_table_ref (extra_meta);

  job->write_project = full || reel_project_get_revision (project) > base->stamp;
  if (job->write_project)
    {
      job->title = g_strdup (reel_project_get_title (project));
      job->rate = reel_project_get_frame_rate (project);
      job->aspect = reel_project_get_aspect_ratio (project);
      job->sensor = g_strdup (reel_project_get_sensor (project));
      job->look_phrase = g_strdup (reel_project_get_look_phrase (project));
      job->look_image = g_strdup (reel_project_get_look_image (project));
      job->metadata_keys = reel_project_list_metadata_keys (project);
      job->metadata_values = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; job->metadata_keys[i] != NULL; i++)
        g_ptr_array_add (job->metadata_values,
                         g_strdup (reel_project_get_metadata (project, job->metadata_keys[i])));
    }

  n_scenes = reel_project_get_n_scenes (project);
  for (guint s = 0; s < n_scenes; s++)
    {
      ReelScene *scene = reel_project_get_scene (project, s);
      const char *scene_id = reel_scene_get_id (scene);
      SceneState *old_scene = base != NULL ? g_hash_table_lookup (base->scenes, scene_id) : NULL;
      SceneState *new_scene = g_new0 (SceneState, 1);
      SceneSnap *scene_snap = g_new0 (SceneSnap, 1);
      guint n_shots;

      if (!g_hash_table_add (seen_scenes, (gpointer) scene_id))
        {
          g_debug ("Two scenes are called %s: writing the file whole", scene_id);
          /* Two scenes with one id: only a whole new file keeps both apart. */
          g_free (new_scene);
          scene_snap_free (scene_snap);
          g_clear_pointer (&job, save_job_free);
          return save_job_new (project, file, path, flags | SAVE_NO_SEED, extra_meta, TRUE);
        }

      new_scene->key = old_scene != NULL ? old_scene->key : pending->next_scene_key++;
      new_scene->position = s;
      g_hash_table_replace (pending->scenes, g_strdup (scene_id), new_scene);

      scene_snap->key = new_scene->key;
      scene_snap->position = s;
      scene_snap->write = old_scene == NULL || reel_scene_get_revision (scene) > base->stamp;
      scene_snap->moved = old_scene != NULL && old_scene->position != s;
      if (scene_snap->write)
        {
          scene_snap->uuid = g_strdup (scene_id);
          scene_snap->number = g_strdup (reel_scene_get_number (scene));
          scene_snap->int_ext = g_strdup (reel_int_ext_to_id (reel_scene_get_int_ext (scene)));
          scene_snap->location = g_strdup (reel_scene_get_location (scene));
          scene_snap->time_of_day = g_strdup (reel_scene_get_time_of_day (scene));
          scene_snap->synopsis = g_strdup (reel_scene_get_synopsis (scene));
          scene_snap->set_data = reel_project_file_dup_scene_set_data (scene);
        }
      if (scene_snap->write || scene_snap->moved)
        g_ptr_array_add (job->scenes, scene_snap);
      else
        scene_snap_free (scene_snap);

      n_shots = reel_scene_get_n_shots (scene);
      for (guint p = 0; p < n_shots; p++)
        {
          ReelShot *shot = reel_scene_get_shot (scene, p);
          const char *shot_id = reel_shot_get_id (shot);
          ShotState *old_shot = base != NULL ? g_hash_table_lookup (base->shots, shot_id) : NULL;
          ShotState *new_shot = g_new0 (ShotState, 1);
          ShotSnap *shot_snap;
          gboolean changed;

          if (!g_hash_table_add (seen_shots, (gpointer) shot_id))
            {
              g_debug ("Two shots are called %s: writing the file whole", shot_id);
              g_free (new_shot);
              g_clear_pointer (&job, save_job_free);
              return save_job_new (project, file, path, flags | SAVE_NO_SEED, extra_meta, TRUE);
            }

          new_shot->key = old_shot != NULL ? old_shot->key : pending->next_shot_key++;
          new_shot->scene_key = new_scene->key;
          new_shot->position = p;
          g_hash_table_replace (pending->shots, g_strdup (shot_id), new_shot);

          changed = old_shot == NULL || reel_shot_get_revision (shot) > base->stamp;
          if (!changed)
            {
              g_set_object (&new_shot->sketch, old_shot->sketch);
              if (old_shot->scene_key == new_shot->scene_key && old_shot->position == p)
                continue;
            }

          shot_snap = g_new0 (ShotSnap, 1);
          shot_snap->key = new_shot->key;
          shot_snap->scene_key = new_shot->scene_key;
          shot_snap->position = p;
          shot_snap->moved = !changed;
          if (changed)
            {
              ReelPlate *plate = reel_shot_get_plate (shot);

              shot_snap->content = reel_shot_copy (shot);
              reel_project_file_snapshot_camera (shot, shot_snap->content);
              if (old_shot != NULL)
                {
                  shot_snap->known = TRUE;
                  g_set_object (&shot_snap->old_sketch, old_shot->sketch);
                }
              new_shot->sketch = g_object_ref (reel_shot_get_sketch (shot_snap->content));

              if (plate != NULL && !(flags & REEL_PROJECT_FILE_SAVE_KEEP_PLATES))
                {
                  g_autofree char *rebased = rebase_plate_path (plate, document, file);

                  if (rebased != NULL)
                    {
                      PlateUpdate *update = g_new0 (PlateUpdate, 1);

                      reel_plate_set_path (reel_shot_get_plate (shot_snap->content), rebased);
                      update->plate = g_object_ref (plate);
                      update->old_path = g_strdup (reel_plate_get_path (plate));
                      update->new_path = g_steal_pointer (&rebased);
                      g_ptr_array_add (job->plate_updates, update);
                    }
                }
            }
          g_ptr_array_add (job->shots, shot_snap);
        }
    }

  if (base != NULL)
    {
      g_hash_table_iter_init (&iter, base->shots);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (!g_hash_table_contains (seen_shots, key))
          g_array_append_val (job->deleted_shots, ((ShotState *) value)->key);

      g_hash_table_iter_init (&iter, base->scenes);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (!g_hash_table_contains (seen_scenes, key))
          g_array_append_val (job->deleted_scenes, ((SceneState *) value)->key);
    }

  /* Which assets the file gains, loses or holds with other records is worked out by the
   * worker (save_job_diff_assets()): the main thread only takes references. */
  job->assets = reel_project_list_assets (project);

  return g_steal_pointer (&job);
}

/* On the saving thread: the assets of the snapshot against what the file holds. Assets
 * are immutable, and the states are not changed once made. */
static void
save_job_diff_assets (SaveJob *job)
{
  g_autoptr(GHashTable) asset_hashes = NULL;
  g_autoptr(GPtrArray) assets = g_steal_pointer (&job->assets);
  SavedState *base = job->full ? NULL : job->base;
  SavedState *pending = job->pending;
  GHashTableIter iter;
  gpointer key;

  if (assets == NULL || pending == job->base)
    return;

  asset_hashes = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < assets->len; i++)
    {
      ReelAsset *asset = g_ptr_array_index (assets, i);
      const char *hash = reel_asset_get_hash (asset);
      ReelAsset *old_asset = base != NULL ? g_hash_table_lookup (base->assets, hash) : NULL;

      g_hash_table_add (asset_hashes, (gpointer) hash);
      g_hash_table_replace (pending->assets, g_strdup (hash), g_object_ref (asset));
      /* The same bytes the file holds: only the generation records are written. */
      if (old_asset != NULL && old_asset != asset)
        {
          if (!reel_asset_same_generations (old_asset, asset))
            g_ptr_array_add (job->regenerated_assets, g_object_ref (asset));
        }
      else if (old_asset != asset)
        {
          gint64 position = pending->next_asset_position++;

          g_ptr_array_add (job->new_assets, g_object_ref (asset));
          g_array_append_val (job->new_asset_positions, position);
        }
    }

  if (base != NULL)
    {
      g_hash_table_iter_init (&iter, base->assets);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!g_hash_table_contains (asset_hashes, key))
          g_ptr_array_add (job->deleted_assets, g_strdup (key));
    }
}

static gboolean
save_job_is_empty (SaveJob *job)
{
  return job->pending == job->base;
}

static gboolean
save_job_has_no_changes (SaveJob *job)
{
  return !job->full && !job->write_project && job->scenes->len == 0 &&
         job->shots->len == 0 && job->deleted_scenes->len == 0 &&
         job->deleted_shots->len == 0 && job->new_assets->len == 0 &&
         job->deleted_assets->len == 0 && job->regenerated_assets->len == 0 &&
         job->extra_meta == NULL;
}

/* Saving: writing. */

typedef struct
{
  sqlite3 *db;
  GFile *file;
  sqlite3_stmt *insert_shot;
  sqlite3_stmt *move_shot;
  sqlite3_stmt *delete_shot_assets;
  sqlite3_stmt *insert_shot_asset;
  sqlite3_stmt *delete_plate;
  sqlite3_stmt *insert_plate;
  sqlite3_stmt *delete_layers;
  sqlite3_stmt *insert_layer;
  sqlite3_stmt *update_layer;
  sqlite3_stmt *delete_strokes;
  sqlite3_stmt *delete_layer_strokes_from;
  sqlite3_stmt *insert_stroke;
} Writer;

static void
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

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

static gboolean
write_stroke (Writer      *writer,
              gint64       shot_key,
              guint        layer,
              guint        position,
              ReelStroke  *stroke,
              GError     **error)
{
  sqlite3_stmt *stmt = writer->insert_stroke;
  const ReelColor *color = reel_stroke_get_color (stroke);
  const ReelStrokePoint *points;
  g_autoptr(GBytes) blob = NULL;
  guint n_points;
  gsize size;
  gconstpointer data;

  points = reel_stroke_get_points (stroke, &n_points);
  blob = reel_stroke_points_encode (points, n_points);
  data = g_bytes_get_data (blob, &size);

  sqlite3_bind_int64 (stmt, 1, shot_key);
  sqlite3_bind_int (stmt, 2, layer);
  sqlite3_bind_int (stmt, 3, position);
  bind_text (stmt, 4, reel_stroke_get_tool (stroke));
  sqlite3_bind_double (stmt, 5, color->red);
  sqlite3_bind_double (stmt, 6, color->green);
  sqlite3_bind_double (stmt, 7, color->blue);
  sqlite3_bind_double (stmt, 8, color->alpha);
  sqlite3_bind_double (stmt, 9, reel_stroke_get_width (stroke));
  bind_text (stmt, 10, reel_stroke_get_text (stroke));
  sqlite3_bind_blob (stmt, 11, data, size, SQLITE_STATIC);
  return run (writer, stmt, error);
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
              sqlite3_bind_int (writer->update_layer, 1, visible);
              sqlite3_bind_double (writer->update_layer, 2, opacity);
              sqlite3_bind_int64 (writer->update_layer, 3, shot_key);
              sqlite3_bind_int (writer->update_layer, 4, l);
              if (!run (writer, writer->update_layer, error))
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
              sqlite3_bind_int64 (writer->delete_layer_strokes_from, 1, shot_key);
              sqlite3_bind_int (writer->delete_layer_strokes_from, 2, l);
              sqlite3_bind_int (writer->delete_layer_strokes_from, 3, common);
              if (!run (writer, writer->delete_layer_strokes_from, error))
                return FALSE;
            }
          if (!write_layer_strokes (writer, shot_key, sketch, l, common, error))
            return FALSE;
        }
      return TRUE;
    }

  if (known)
    {
      sqlite3_bind_int64 (writer->delete_layers, 1, shot_key);
      if (!run (writer, writer->delete_layers, error))
        return FALSE;
      sqlite3_bind_int64 (writer->delete_strokes, 1, shot_key);
      if (!run (writer, writer->delete_strokes, error))
        return FALSE;
    }

  for (guint l = 0; l < n_layers; l++)
    {
      const char *name = reel_sketch_get_layer_name (sketch, l);

      sqlite3_bind_int64 (writer->insert_layer, 1, shot_key);
      sqlite3_bind_int (writer->insert_layer, 2, l);
      bind_text (writer->insert_layer, 3, name);
      sqlite3_bind_int (writer->insert_layer, 4, reel_sketch_get_layer_visible (sketch, name));
      sqlite3_bind_double (writer->insert_layer, 5, reel_sketch_get_layer_opacity (sketch, name));
      if (!run (writer, writer->insert_layer, error) ||
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
      sqlite3_bind_int64 (writer->insert_shot_asset, 1, shot_key);
      sqlite3_bind_int (writer->insert_shot_asset, 2, role);
      sqlite3_bind_int (writer->insert_shot_asset, 3, i);
      bind_text (writer->insert_shot_asset, 4, hashes[i]);
      if (!run (writer, writer->insert_shot_asset, error))
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
  sqlite3_stmt *stmt = writer->insert_plate;

  sqlite3_bind_int64 (stmt, 1, shot_key);
  bind_text (stmt, 2, reel_plate_get_path (plate) != NULL ? reel_plate_get_path (plate) : "");
  sqlite3_bind_int64 (stmt, 3, reel_plate_get_key_color (plate));
  sqlite3_bind_double (stmt, 4, reel_plate_get_similarity (plate));
  sqlite3_bind_double (stmt, 5, reel_plate_get_softness (plate));
  sqlite3_bind_double (stmt, 6, reel_plate_get_spill (plate));
  sqlite3_bind_double (stmt, 7, reel_plate_get_background_scale (plate));
  sqlite3_bind_double (stmt, 8, reel_plate_get_background_x (plate));
  sqlite3_bind_double (stmt, 9, reel_plate_get_background_y (plate));
  sqlite3_bind_double (stmt, 10, reel_plate_get_plate_scale (plate));
  sqlite3_bind_double (stmt, 11, reel_plate_get_plate_x (plate));
  sqlite3_bind_double (stmt, 12, reel_plate_get_plate_y (plate));
  sqlite3_bind_int (stmt, 13, reel_plate_get_muted (plate));
  sqlite3_bind_int64 (stmt, 14, reel_plate_get_file_size (plate));
  bind_text (stmt, 15, reel_plate_get_hash (plate));
  sqlite3_bind_int64 (stmt, 16, reel_plate_get_duration (plate));
  sqlite3_bind_int (stmt, 17, reel_plate_get_width (plate));
  sqlite3_bind_int (stmt, 18, reel_plate_get_height (plate));
  return run (writer, stmt, error);
}

static gboolean
write_shot (Writer    *writer,
            ShotSnap  *snap,
            gboolean   full,
            GError   **error)
{
  ReelShot *shot = snap->content;
  sqlite3_stmt *stmt = writer->insert_shot;
  ReelPlate *plate;

  if (shot == NULL)
    {
      sqlite3_bind_int64 (writer->move_shot, 1, snap->scene_key);
      sqlite3_bind_int (writer->move_shot, 2, snap->position);
      sqlite3_bind_int64 (writer->move_shot, 3, snap->key);
      return run (writer, writer->move_shot, error);
    }

  sqlite3_bind_int64 (stmt, 1, snap->key);
  bind_text (stmt, 2, reel_shot_get_id (shot));
  sqlite3_bind_int64 (stmt, 3, snap->scene_key);
  sqlite3_bind_int (stmt, 4, snap->position);
  bind_text (stmt, 5, reel_shot_get_number (shot));
  bind_text (stmt, 6, reel_shot_get_description (shot));
  bind_text (stmt, 7, reel_shot_get_dialogue (shot));
  bind_text (stmt, 8, reel_shot_get_notes (shot));
  bind_text (stmt, 9, reel_shot_get_cast (shot));
  bind_text (stmt, 10, reel_shot_get_size (shot));
  bind_text (stmt, 11, reel_shot_get_framing (shot));
  bind_text (stmt, 12, reel_shot_get_angle (shot));
  bind_text (stmt, 13, reel_shot_get_movement (shot));
  sqlite3_bind_double (stmt, 14, reel_shot_get_lens_mm (shot));
  sqlite3_bind_double (stmt, 15, reel_shot_get_camera_height_m (shot));
  sqlite3_bind_int64 (stmt, 16, reel_shot_get_duration (shot));
  bind_text (stmt, 17, reel_shot_get_status (shot));
  bind_text (stmt, 18, reel_shot_get_vfx_notes (shot));
  bind_text (stmt, 19, reel_shot_get_background (shot));
  if (!run (writer, stmt, error))
    return FALSE;

  if (!full)
    {
      sqlite3_bind_int64 (writer->delete_shot_assets, 1, snap->key);
      sqlite3_bind_int64 (writer->delete_plate, 1, snap->key);
      if (!run (writer, writer->delete_shot_assets, error) ||
          !run (writer, writer->delete_plate, error))
        return FALSE;
    }

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

      bind_text (insert_generation, 1, reel_asset_get_hash (asset));
      sqlite3_bind_int64 (insert_generation, 2, k);
      bind_text (insert_generation, 3, record->kind);
      bind_text (insert_generation, 4, record->angle_id);
      bind_text (insert_generation, 5, record->provider);
      bind_text (insert_generation, 6, record->model);
      bind_text (insert_generation, 7, record->endpoint_host);
      bind_text (insert_generation, 8, record->prompt);
      bind_text (insert_generation, 9, record->negative_prompt);
      sqlite3_bind_int64 (insert_generation, 10, record->seed);
      bind_text (insert_generation, 11, record->parameters);
      bind_text (insert_generation, 12, inputs);
      sqlite3_bind_int64 (insert_generation, 13, record->created_us);
      sqlite3_bind_int64 (insert_generation, 14, record->duration_ms);
      if (!run (writer, insert_generation, error))
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

      bind_text (delete_asset, 1, hash);
      bind_text (delete_generation, 1, hash);
      if (!run (writer, delete_asset, error) || !run (writer, delete_generation, error))
        goto out;
      if (delete_reference != NULL)
        {
          bind_text (delete_reference, 1, hash);
          if (!run (writer, delete_reference, error))
            goto out;
        }
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
          bind_text (insert_reference, 1, hash);
          sqlite3_bind_int64 (insert_reference, 2, position);
          bind_text (insert_reference, 3, reel_asset_get_mime_type (asset));
          sqlite3_bind_int (insert_reference, 4, reel_asset_get_width (asset));
          sqlite3_bind_int (insert_reference, 5, reel_asset_get_height (asset));
          sqlite3_bind_int64 (insert_reference, 6, reel_asset_get_size (asset));
          bind_text (delete_generation, 1, hash);
          if (!run (writer, insert_reference, error) || !run (writer, delete_generation, error) ||
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

      bind_text (insert_asset, 1, hash);
      sqlite3_bind_int64 (insert_asset, 2, position);
      bind_text (insert_asset, 3, reel_asset_get_mime_type (asset));
      sqlite3_bind_int (insert_asset, 4, reel_asset_get_width (asset));
      sqlite3_bind_int (insert_asset, 5, reel_asset_get_height (asset));
      sqlite3_bind_blob64 (insert_asset, 6, bytes != NULL ? bytes : "", size, SQLITE_STATIC);
      bind_text (delete_generation, 1, hash);
      if (!run (writer, insert_asset, error) || !run (writer, delete_generation, error))
        goto out;

      if (!write_generations (writer, insert_generation, asset, error))
        goto out;
    }

  /* Bytes the file holds, with records added since (two providers, the same bytes). */
  for (guint i = 0; i < job->regenerated_assets->len; i++)
    {
      ReelAsset *asset = g_ptr_array_index (job->regenerated_assets, i);

      bind_text (delete_generation, 1, reel_asset_get_hash (asset));
      if (!run (writer, delete_generation, error) ||
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

  bind_text (stmt, 1, job->title);
  sqlite3_bind_int (stmt, 2, job->rate.num);
  sqlite3_bind_int (stmt, 3, job->rate.den);
  sqlite3_bind_double (stmt, 4, job->aspect);
  bind_text (stmt, 5, job->sensor);
  bind_text (stmt, 6, job->look_phrase);
  bind_text (stmt, 7, job->look_image);
  if (!run (writer, stmt, error))
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
      sqlite3_bind_int (stmt, 1, i);
      bind_text (stmt, 2, job->metadata_keys[i]);
      bind_text (stmt, 3, g_ptr_array_index (job->metadata_values, i));
      if (!run (writer, stmt, error))
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
          sqlite3_bind_int64 (insert, 1, snap->key);
          bind_text (insert, 2, snap->uuid);
          sqlite3_bind_int (insert, 3, snap->position);
          bind_text (insert, 4, snap->number);
          bind_text (insert, 5, snap->int_ext);
          bind_text (insert, 6, snap->location);
          bind_text (insert, 7, snap->time_of_day);
          bind_text (insert, 8, snap->synopsis);
          if (!run (writer, insert, error) ||
              !reel_project_file_write_scene_set (writer->db, writer->file, snap->key,
                                                  snap->set_data, error))
            return FALSE;
        }
      else
        {
          sqlite3_bind_int (move, 1, snap->position);
          sqlite3_bind_int64 (move, 2, snap->key);
          if (!run (writer, move, error))
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
          sqlite3_bind_int64 (stmt, 1, g_array_index (job->deleted_shots, gint64, i));
          if (!run (writer, stmt, error))
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
      sqlite3_bind_int64 (delete_scene, 1, g_array_index (job->deleted_scenes, gint64, i));
      if (!run (writer, delete_scene, error) ||
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

  bind_text (stmt, 1, "save_token");
  bind_text (stmt, 2, job->token);
  if (!run (writer, stmt, error))
    return FALSE;

  bind_text (stmt, 1, "writer");
  bind_text (stmt, 2, writer_name);
  if (!run (writer, stmt, error))
    return FALSE;

  if (job->extra_meta != NULL)
    {
      g_hash_table_iter_init (&iter, job->extra_meta);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          bind_text (stmt, 1, key);
          bind_text (stmt, 2, value);
          if (!run (writer, stmt, error))
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
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

/* Refuses to replace a file that is not a Storyreel project we can read: another
 * program's database, a newer format, a damaged or unrelated file. */
static gboolean
check_replaceable (const char  *path,
                   GFile       *file,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) meta = NULL;
  g_autofree char *name = NULL;
  struct stat st;
  sqlite3 *db = NULL;
  int version = 0;

  if (stat (path, &st) != 0 || (S_ISREG (st.st_mode) && st.st_size == 0))
    return TRUE;

  recover_hot_journal (path);

  if (check_header (path, file, &local_error) &&
      sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      (meta = read_meta_table (db, file, &local_error)) != NULL &&
      check_format_version (meta, file, &version, &local_error))
    {
      sqlite3_close (db);
      return TRUE;
    }
  sqlite3_close (db);

  name = dup_display_name (file);
  if (g_error_matches (local_error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_NEWER_VERSION))
    g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_EXISTS,
                 _("“%s” was made by a newer Storyreel; saving over it would lose what "
                   "this version cannot read. Save under another name."), name);
  else if (g_error_matches (local_error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_PERMISSION))
    set_errno_error (error, file, EACCES, TRUE);
  else
    g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_EXISTS,
                 _("“%s” exists and is not a Storyreel project this version can read, so "
                   "it was not replaced. Save under another name."), name);
  return FALSE;
}

static gboolean
fsync_path (const char *path,
            gboolean    directory)
{
  int fd = g_open (path, (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = fsync (fd) == 0;
  close (fd);
  return ok;
}

static gboolean
system_sync_file (const char *path)
{
  return fsync_path (path, FALSE);
}

static gboolean
system_sync_directory (const char *path)
{
  return fsync_path (path, TRUE);
}

static const ReelProjectFileSystemOps system_ops = {
  system_sync_file,
  system_sync_directory,
  g_rename,
};

/* The power-loss test replaces these to see every step that makes a save durable. */
static const ReelProjectFileSystemOps *fs_ops = &system_ops;

void
reel_project_file_set_system_ops (const ReelProjectFileSystemOps *ops)
{
  fs_ops = ops != NULL ? ops : &system_ops;
}

/* Temporary files of saves that were killed. A save holds a lock on its temporary
 * file until it is renamed, so one that can be locked belongs to nobody. */
static void
remove_stale_temporary_files (const char *dir,
                              const char *base)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autofree char *prefix = g_strconcat (".", base, ".", NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;
      int fd;

      if (!g_str_has_prefix (name, prefix) || !g_str_has_suffix (name, ".tmp"))
        continue;

      path = g_build_filename (dir, name, NULL);
      fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
      if (fd < 0)
        continue;
      if (flock (fd, LOCK_EX | LOCK_NB) == 0)
        {
          g_debug ("Removing %s, left by a save that did not finish", path);
          g_unlink (path);
        }
      close (fd);
    }
}

static gboolean compaction_explains (const char         *path,
                                     const FileIdentity *saved,
                                     const FileIdentity *now);

/* The tables a recovery file copies from its document, as they are. */
static const char * const seeded_tables[] = {
  "project", "project_metadata", "scenes", "shots", "shot_assets", "layers", "strokes",
  "plates", "scene_sets", "shot_cameras", "asset_generations",
};

/* Fills the new file (in a transaction, the document attached as "document") with the
 * document's rows, and names its assets in document_assets instead of copying their bytes:
 * write_job() then writes what changed since the document was saved, as it would into the
 * document. Sets job->retry_full (and returns FALSE without an error) when the document
 * is not the file job->document_state describes. */
static gboolean
seed_from_document (Writer   *writer,
                    SaveJob  *job,
                    GError  **error)
{
  g_autoptr(sqlite3_stmt) token = NULL;
  FileIdentity identity;
  gboolean same;
  int rc;

  if (!get_identity (job->document_path, &identity) ||
      (!identity_equal (&identity, &job->document_state->identity) &&
       !compaction_explains (job->document_path, &job->document_state->identity, &identity)))
    goto changed;

  rc = sqlite3_prepare_v2 (writer->db, "SELECT value FROM document.meta "
                           "WHERE key = 'save_token'", -1, &token, NULL);
  same = rc == SQLITE_OK && sqlite3_step (token) == SQLITE_ROW &&
         g_strcmp0 ((const char *) sqlite3_column_text (token, 0),
                    job->document_state->token) == 0;
  if (!same)
    goto changed;

  for (guint i = 0; i < G_N_ELEMENTS (seeded_tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO main.%s SELECT * FROM document.%s",
                                              seeded_tables[i], seeded_tables[i]);

      if (!exec_sql (writer->db, sql, job->file, TRUE, error))
        return FALSE;
    }
  return exec_sql (writer->db, document_assets_sql, job->file, TRUE, error) &&
         exec_sql (writer->db, "INSERT INTO main.document_assets (hash, position, mime_type, "
                   "width, height, size) SELECT hash, position, mime_type, width, height, "
                   "length(data) FROM document.assets", job->file, TRUE, error);

changed:
  g_debug ("%s changed since it was saved: the recovery file is written whole",
           job->document_path);
  job->retry_full = TRUE;
  job->document_changed = TRUE;
  return FALSE;
}

/* Attaches the document a new recovery file starts from (before the transaction: SQLite
 * attaches outside one only). */
static gboolean
attach_document (Writer   *writer,
                 SaveJob  *job,
                 GError  **error)
{
  g_autoptr(sqlite3_stmt) attach = NULL;

  sqlite3_busy_timeout (writer->db, 5000);
  attach = prepare (writer->db, "ATTACH DATABASE ? AS document", job->file, TRUE, error);
  if (attach == NULL)
    return FALSE;
  bind_text (attach, 1, job->document_path);
  if (sqlite3_step (attach) != SQLITE_DONE)
    {
      g_debug ("Could not attach %s: %s", job->document_path, sqlite3_errmsg (writer->db));
      job->retry_full = TRUE;
      job->document_changed = TRUE;
      return FALSE;
    }
  return TRUE;
}

/* A whole new file: written beside the target under a temporary name, flushed to
 * disk, then renamed over the target, so the target is always complete. */
static gboolean
write_new_file (SaveJob       *job,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autofree char *dir = g_path_get_dirname (job->path);
  g_autofree char *base = g_path_get_basename (job->path);
  g_autofree char *tmp = NULL;
  Writer writer = { NULL, job->file };
  struct stat target_st;
  gboolean target_exists;
  int saved_errno = 0;
  int rc;
  int fd = -1;

  if (!check_replaceable (job->path, job->file, error))
    return FALSE;
  target_exists = stat (job->path, &target_st) == 0;
  remove_stale_temporary_files (dir, base);

  /* Our own name rather than mkstemp(), so that the umask decides the mode of a new
   * file as it would for any other. */
  for (guint attempt = 0; attempt < 100 && fd < 0; attempt++)
    {
      g_free (tmp);
      tmp = g_strdup_printf ("%s/.%s.%08x.tmp", dir, base, g_random_int ());
      fd = g_open (tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
                   (job->flags & REEL_PROJECT_FILE_SAVE_PRIVATE) ? 0600 : 0666);
      if (fd < 0 && errno != EEXIST)
        break;
    }
  if (fd < 0)
    {
      set_errno_error (error, job->file, errno, TRUE);
      return FALSE;
    }
  if (target_exists && !(job->flags & REEL_PROJECT_FILE_SAVE_PRIVATE) &&
      fchmod (fd, target_st.st_mode & 07777) != 0)
    g_debug ("Could not keep the mode of %s: %s", job->path, g_strerror (errno));
  /* Held until the file is renamed or removed; closed only after SQLite closed it,
   * since closing a descriptor drops the process's POSIX locks on the file. */
  if (flock (fd, LOCK_EX) != 0)
    g_debug ("Could not lock %s: %s", tmp, g_strerror (errno));

  rc = sqlite3_open_v2 (tmp, &writer.db, SQLITE_OPEN_READWRITE, NULL);
  if (rc != SQLITE_OK)
    {
      reel_project_file_set_sqlite_error (error, job->file, writer.db, rc, TRUE);
      goto fail;
    }

  /* Nobody else sees this file until the rename: no journal, one flush at the end. */
  /* Incremental auto-vacuum: a later save that deletes assets gives their pages
   * back to the file system (it can only be chosen before the first table). */
  if (!exec_sql (writer.db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
                 "PRAGMA page_size = 4096; PRAGMA auto_vacuum = INCREMENTAL; "
                 "PRAGMA cache_size = -16384",
                 job->file, TRUE, error) ||
      (job->seed && !attach_document (&writer, job, error)) ||
      !exec_sql (writer.db, "BEGIN", job->file, TRUE, error))
    goto fail;
  if (!reel_project_schema_migrate (writer.db, 0, REEL_PROJECT_FILE_FORMAT_VERSION, NULL))
    {
      reel_project_file_set_sqlite_error (error, job->file, writer.db,
                                          sqlite3_extended_errcode (writer.db), TRUE);
      goto fail;
    }
  if ((job->seed && !seed_from_document (&writer, job, error)) ||
      !write_job (&writer, job, cancellable, error) ||
      !exec_sql (writer.db, "COMMIT", job->file, TRUE, error))
    goto fail;

  writer_clear (&writer);
  rc = sqlite3_close (writer.db);
  writer.db = NULL;
  if (rc != SQLITE_OK)
    {
      reel_project_file_set_sqlite_error (error, job->file, NULL, rc, TRUE);
      goto fail;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto fail;

  /* The content is on disk before the name points to it, and the name before the
   * save says it is done. */
  if (!fs_ops->sync_file (tmp))
    {
      saved_errno = errno;
      set_errno_error (error, job->file, saved_errno, TRUE);
      goto fail;
    }

  if (fs_ops->rename (tmp, job->path) != 0)
    {
      saved_errno = errno;
      set_errno_error (error, job->file, saved_errno, TRUE);
      goto fail;
    }
  /* Only then is the new name on disk. Some file systems cannot sync a folder
   * (EINVAL): there the rename is as durable as they make it. */
  if (!fs_ops->sync_directory (dir) && errno != EINVAL)
    {
      saved_errno = errno;
      set_errno_error (error, job->file, saved_errno, TRUE);
      goto fail_renamed;
    }

  /* A journal left by an older save of the target belongs to a file that is gone. */
  {
    g_autofree char *journal = g_strconcat (job->path, "-journal", NULL);
    g_unlink (journal);
  }

  get_identity (job->path, &job->identity);
  close (fd);
  return TRUE;

fail_renamed:
  close (fd);
  return FALSE;

fail:
  writer_clear (&writer);
  if (writer.db != NULL)
    sqlite3_close (writer.db);
  g_unlink (tmp);
  close (fd);
  return FALSE;
}

/* Giving space back. A save that deleted assets or shots leaves their pages on the
 * file's free list; they go back to the file system afterwards, off the saving thread,
 * in bounded steps (PRAGMA incremental_vacuum(N), each its own small transaction, as
 * crash-safe as a save), so that no save waits for gigabytes of pages to move. A save
 * of the same file stops the steps at the next boundary and starts them again when it
 * is done. */

#define VACUUM_STEP_PAGES 2048  /* 8 MB of 4 KB pages: tens of milliseconds on an idle disk */

typedef struct
{
  GFile *file;
  int saves;          /* saves of this path under way */
  gboolean running;   /* a vacuum thread works on it */
  gboolean stepping;  /* … and is inside a step */
  gboolean again;     /* free pages were left since the thread looked */
  gboolean stopped;   /* a save stopped the thread: start it again after the save */
  sqlite3 *db;        /* the thread's connection, while it has one */
  FileIdentity from;  /* the file as the last save left it */
  FileIdentity to;    /* … and as the steps since left it */
} Compaction;

static GMutex compaction_lock;
static GCond compaction_cond;
static GHashTable *compactions;  /* path → Compaction */

static void
compaction_free (gpointer data)
{
  Compaction *compaction = data;

  g_clear_object (&compaction->file);
  g_free (compaction);
}

/* With compaction_lock held. */
static Compaction *
get_compaction_locked (const char *path,
                       GFile      *file)
{
  Compaction *compaction;

  if (compactions == NULL)
    compactions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, compaction_free);

  compaction = g_hash_table_lookup (compactions, path);
  if (compaction == NULL)
    {
      compaction = g_new0 (Compaction, 1);
      compaction->file = g_object_ref (file);
      g_hash_table_insert (compactions, g_strdup (path), compaction);
    }
  return compaction;
}

/* A save interrupts the step under way (SQLite rolls it back, which takes a moment, not a
 * step's work on a busy disk), and no other starts until the save ends. */
static void
compaction_save_begins (const char *path,
                        GFile      *file)
{
  Compaction *compaction;

  g_mutex_lock (&compaction_lock);
  compaction = get_compaction_locked (path, file);
  compaction->saves++;
  if (compaction->stepping && compaction->db != NULL)
    sqlite3_interrupt (compaction->db);
  while (compaction->stepping)
    g_cond_wait (&compaction_cond, &compaction_lock);
  g_mutex_unlock (&compaction_lock);
}

/* Whether the file at @path, last saved as @saved and now @now, differs only by the
 * steps that gave its space back. */
static gboolean
compaction_explains (const char         *path,
                     const FileIdentity *saved,
                     const FileIdentity *now)
{
  Compaction *compaction;
  gboolean explained = FALSE;

  g_mutex_lock (&compaction_lock);
  compaction = compactions != NULL ? g_hash_table_lookup (compactions, path) : NULL;
  if (compaction != NULL)
    explained = identity_equal (&compaction->from, saved) && identity_equal (&compaction->to, now);
  g_mutex_unlock (&compaction_lock);
  return explained;
}

/* Whether the thread for @path should stop (a save is under way, or nothing is left);
 * when not, a step begins. */
static gboolean
compaction_should_stop (const char *path,
                        gboolean    done)
{
  Compaction *compaction;
  gboolean stop;

  g_mutex_lock (&compaction_lock);
  compaction = g_hash_table_lookup (compactions, path);
  stop = compaction->saves > 0 || (done && !compaction->again);
  compaction->again = FALSE;
  if (stop)
    {
      compaction->stopped = compaction->saves > 0;
      compaction->running = FALSE;
      g_cond_broadcast (&compaction_cond);
    }
  else
    {
      compaction->stepping = TRUE;
    }
  g_mutex_unlock (&compaction_lock);
  return stop;
}

static void
compaction_step_done (const char *path)
{
  Compaction *compaction;
  FileIdentity identity;
  gboolean known = get_identity (path, &identity);

  g_mutex_lock (&compaction_lock);
  compaction = g_hash_table_lookup (compactions, path);
  if (known)
    compaction->to = identity;
  compaction->stepping = FALSE;
  g_cond_broadcast (&compaction_cond);
  g_mutex_unlock (&compaction_lock);
}

static gint64
pragma_int (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* Lets a save interrupt @db's steps (NULL: the thread is about to close it). */
static void
compaction_set_db (const char *path,
                   sqlite3    *db)
{
  g_mutex_lock (&compaction_lock);
  ((Compaction *) g_hash_table_lookup (compactions, path))->db = db;
  g_mutex_unlock (&compaction_lock);
}

static gpointer
compaction_thread (gpointer data)
{
  char *path = data;
  sqlite3 *db = NULL;
  gboolean done = FALSE;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
      /* Each page moved looks its new place up in the free list: with the free-list
       * pages in memory (a 64 MB cache holds those of 16 million free pages) that is
       * a walk in memory, not a read from the file per page. */
      sqlite3_exec (db, "PRAGMA journal_mode = DELETE; PRAGMA synchronous = EXTRA; "
                    "PRAGMA cache_size = -65536", NULL, NULL, NULL) != SQLITE_OK ||
      pragma_int (db, "PRAGMA auto_vacuum") != 2)
    done = TRUE;
  sqlite3_busy_timeout (db, 5000);
  compaction_set_db (path, db);

  while (!compaction_should_stop (path, done))
    {
      g_autofree char *step = g_strdup_printf ("PRAGMA incremental_vacuum(%d)",
                                               VACUUM_STEP_PAGES);
      int rc = sqlite3_exec (db, step, NULL, NULL, NULL);

      compaction_step_done (path);
      /* Interrupted by a save (which starts the steps again when it is done), busy
       * (another program's transaction) or a failure (the next save that frees pages
       * tries again). */
      if (rc != SQLITE_OK)
        {
          g_debug ("Giving space back in %s: %s", path, sqlite3_errmsg (db));
          done = TRUE;
          continue;
        }
      done = pragma_int (db, "PRAGMA freelist_count") <= 0;
    }

  compaction_set_db (path, NULL);
  sqlite3_close (db);
  g_free (path);
  return NULL;
}

/* After a save of @path: gives its free pages back, on a thread of its own. */
static void
compaction_save_ends (const char         *path,
                      GFile              *file,
                      const FileIdentity *saved,
                      gboolean            freed)
{
  Compaction *compaction;

  g_mutex_lock (&compaction_lock);
  compaction = get_compaction_locked (path, file);
  compaction->saves--;
  if (saved != NULL)
    compaction->from = compaction->to = *saved;
  freed = freed || (compaction->stopped && compaction->saves == 0);
  if (compaction->saves == 0)
    compaction->stopped = FALSE;
  if (freed)
    {
      if (compaction->running)
        {
          compaction->again = TRUE;
        }
      else
        {
          compaction->running = TRUE;
          g_thread_unref (g_thread_new ("storyreel-vacuum", compaction_thread, g_strdup (path)));
        }
    }
  g_mutex_unlock (&compaction_lock);
}

void
reel_project_file_wait_compacted (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  Compaction *compaction;

  g_return_if_fail (G_IS_FILE (file));

  g_mutex_lock (&compaction_lock);
  while (path != NULL && compactions != NULL &&
         (compaction = g_hash_table_lookup (compactions, path)) != NULL &&
         compaction->running)
    g_cond_wait (&compaction_cond, &compaction_lock);
  g_mutex_unlock (&compaction_lock);
}

static gboolean
file_has_incremental_vacuum (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gboolean incremental = FALSE;

  if (sqlite3_prepare_v2 (db, "PRAGMA auto_vacuum", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    incremental = sqlite3_column_int (stmt, 0) == 2;
  sqlite3_finalize (stmt);
  return incremental;
}

/* Only what changed, in place, in one transaction; SQLite's rollback journal makes
 * it all or nothing. Sets job->retry_full when the file is not the one we wrote. */
static gboolean
write_changes (SaveJob       *job,
               gboolean      *freed,
               GCancellable  *cancellable,
               GError       **error)
{
  Writer writer = { NULL, job->file };
  FileIdentity identity;
  sqlite3_stmt *stmt = NULL;
  const char *token;
  int rc;

  if (!get_identity (job->path, &identity) ||
      (!identity_equal (&identity, &job->base->identity) &&
       !compaction_explains (job->path, &job->base->identity, &identity)))
    {
      g_debug ("%s changed since it was written: writing it whole", job->path);
      job->retry_full = TRUE;
      return FALSE;
    }

  /* Nothing changed and the file is as we left it. */
  if (save_job_is_empty (job) || save_job_has_no_changes (job))
    {
      job->identity = identity;
      if (job->pending != job->base)
        {
          g_free (job->pending->token);
          job->pending->token = g_strdup (job->base->token);
        }
      return TRUE;
    }

  rc = sqlite3_open_v2 (job->path, &writer.db, SQLITE_OPEN_READWRITE, NULL);
  if (rc != SQLITE_OK)
    {
      reel_project_file_set_sqlite_error (error, job->file, writer.db, rc, TRUE);
      sqlite3_close (writer.db);
      return FALSE;
    }
  sqlite3_busy_timeout (writer.db, 5000);

  /* A file from before incremental auto-vacuum keeps the space of what is deleted
   * forever: it is written whole once (crash-safe, like a save under a new name),
   * which switches it. */
  if (!file_has_incremental_vacuum (writer.db))
    {
      g_debug ("%s has no incremental auto-vacuum: writing it whole", job->path);
      sqlite3_close (writer.db);
      job->retry_full = TRUE;
      return FALSE;
    }

  /* EXTRA: the folder is synced after the journal is deleted, so a save that
   * said it is done survives a power cut (FULL could roll it back). */
  if (!exec_sql (writer.db, "PRAGMA journal_mode = DELETE; PRAGMA synchronous = EXTRA; "
                 "BEGIN IMMEDIATE", job->file, TRUE, error))
    goto fail_closed;

  rc = sqlite3_prepare_v2 (writer.db, "SELECT value FROM meta WHERE key = 'save_token'", -1,
                           &stmt, NULL);
  token = rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW
          ? (const char *) sqlite3_column_text (stmt, 0) : NULL;
  if (g_strcmp0 (token, job->base->token) != 0)
    {
      g_debug ("%s was written by someone else since: writing it whole", job->path);
      sqlite3_finalize (stmt);
      sqlite3_exec (writer.db, "ROLLBACK", NULL, NULL, NULL);
      sqlite3_close (writer.db);
      job->retry_full = TRUE;
      return FALSE;
    }
  sqlite3_finalize (stmt);

  /* A file of format 3 is upgraded in the save's transaction (small tables only). */
  {
    gint64 version = pragma_int (writer.db, "PRAGMA user_version");
    g_autoptr(GError) migrate_error = NULL;

    if (version >= LAZY_READ_VERSION && version < REEL_PROJECT_FILE_FORMAT_VERSION &&
        !reel_project_schema_migrate (writer.db, version, REEL_PROJECT_FILE_FORMAT_VERSION,
                                      &migrate_error))
      {
        g_debug ("%s: %s", job->path, migrate_error->message);
        set_corrupt_error (error, job->file);
        goto fail;
      }
  }

  if (!write_job (&writer, job, cancellable, error))
    goto fail;
  if (!exec_sql (writer.db, "COMMIT", job->file, TRUE, error))
    goto fail;

  /* Freed pages (deleted assets, shots) go back to the file system after the
   * commit, in steps, on a thread of their own. */
  *freed = pragma_int (writer.db, "PRAGMA freelist_count") > 0;
  writer_clear (&writer);
  sqlite3_close (writer.db);
  get_identity (job->path, &job->identity);
  return TRUE;

fail:
  sqlite3_exec (writer.db, "ROLLBACK", NULL, NULL, NULL);
fail_closed:
  writer_clear (&writer);
  sqlite3_close (writer.db);
  return FALSE;
}

static gboolean
save_job_run (SaveJob       *job,
              GCancellable  *cancellable,
              GError       **error)
{
  gboolean freed = FALSE;
  gboolean ok;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  save_job_diff_assets (job);
  compaction_save_begins (job->path, job->file);
  if (job->full || job->seed)
    ok = write_new_file (job, cancellable, error);
  else
    ok = write_changes (job, &freed, cancellable, error);
  compaction_save_ends (job->path, job->file, ok ? &job->identity : NULL, ok && freed);
  return ok;
}

/* Back on the thread that owns the project. */
static void
save_job_complete (ReelProject *project,
                   SaveJob     *job)
{
  gboolean untouched = reel_project_get_content_revision (project) <= job->stamp;

  job->pending->identity = job->identity;
  if (!save_job_is_empty (job))
    install_state (project, job->pending);

  if (job->flags & REEL_PROJECT_FILE_SAVE_COPY)
    return;

  /* Saved under another name: what the old document holds is of no more use. */
  {
    GFile *previous = reel_project_file_get_file (project);
    g_autofree char *previous_path = previous != NULL ? g_file_get_path (previous) : NULL;

    if (previous_path != NULL && !g_str_equal (previous_path, job->path))
      g_hash_table_remove (get_file_data (project, TRUE)->states, previous_path);
  }
  reel_project_file_set_file (project, job->file);

  /* The paths are now relative to the new location. */
  for (guint i = 0; i < job->plate_updates->len; i++)
    {
      PlateUpdate *update = g_ptr_array_index (job->plate_updates, i);

      if (g_strcmp0 (reel_plate_get_path (update->plate), update->old_path) == 0)
        reel_plate_set_path (update->plate, update->new_path);
    }

  /* Edits made while an asynchronous save ran are not in the file. */
  if (untouched)
    {
      if (!save_job_is_empty (job))
        job->pending->stamp = reel_revision_current ();
      reel_project_mark_saved (project);
    }
}

static SaveJob *
save_job_new_for_file (ReelProject  *project,
                       GFile        *file,
                       guint         flags,
                       GHashTable   *extra_meta,
                       gboolean      full,
                       GError      **error)
{
  g_autofree char *path = dup_local_path (file, error);

  if (path == NULL)
    return NULL;
  return save_job_new (project, file, path, flags, extra_meta, full);
}

gboolean
reel_project_file_save_with_meta (ReelProject   *project,
                                  GFile         *file,
                                  guint          flags,
                                  GHashTable    *extra_meta,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  g_autoptr(SaveJob) job = save_job_new_for_file (project, file, flags, extra_meta, FALSE,
                                                  error);

  if (job == NULL)
    return FALSE;

  if (!save_job_run (job, cancellable, error))
    {
      if (!job->retry_full)
        return FALSE;

      if (job->document_changed)
        flags |= SAVE_NO_SEED;
      g_clear_pointer (&job, save_job_free);
      job = save_job_new_for_file (project, file, flags, extra_meta, TRUE, error);
      if (job == NULL || !save_job_run (job, cancellable, error))
        return FALSE;
    }

  save_job_complete (project, job);
  return TRUE;
}

gboolean
reel_project_file_save_full (ReelProject               *project,
                             GFile                     *file,
                             ReelProjectFileSaveFlags   flags,
                             GCancellable              *cancellable,
                             GError                   **error)
{
  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return reel_project_file_save_with_meta (project, file, flags, NULL, cancellable, error);
}

gboolean
reel_project_file_save (ReelProject   *project,
                        GFile         *file,
                        GCancellable  *cancellable,
                        GError       **error)
{
  return reel_project_file_save_full (project, file, REEL_PROJECT_FILE_SAVE_DEFAULT,
                                      cancellable, error);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveJob *job = task_data;
  GError *error = NULL;

  if (save_job_run (job, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else if (job->retry_full)
    g_task_return_boolean (task, FALSE);
  else
    g_task_return_error (task, error);
}

static void save_thread_done (GObject      *source_object,
                              GAsyncResult *result,
                              gpointer      user_data);

static void
start_save_thread (GTask   *outer,
                   SaveJob *job)
{
  GTask *inner = g_task_new (g_task_get_source_object (outer),
                             g_task_get_cancellable (outer), save_thread_done,
                             g_object_ref (outer));

  g_task_set_source_tag (inner, start_save_thread);
  g_task_set_task_data (inner, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (inner, save_thread);
  g_object_unref (inner);
}

static void
save_thread_done (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  ReelProject *project = REEL_PROJECT (source_object);
  SaveJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      save_job_complete (project, job);
      g_task_return_boolean (outer, TRUE);
    }
  else if (error != NULL)
    {
      g_task_return_error (outer, error);
    }
  else
    {
      /* The file was not the one we last wrote: write it whole. */
      SaveJob *full = save_job_new_for_file (project, job->file,
                                             job->flags |
                                             (job->document_changed ? SAVE_NO_SEED : 0),
                                             job->pending->extra_meta, TRUE, &error);

      if (full == NULL)
        g_task_return_error (outer, error);
      else
        start_save_thread (outer, full);
    }

  /* Freed here rather than wherever the task happens to be finalized: the job holds
   * objects of the project's thread. */
  g_task_set_task_data (G_TASK (result), NULL, NULL);
}

void
reel_project_file_save_async (ReelProject              *project,
                              GFile                    *file,
                              ReelProjectFileSaveFlags  flags,
                              GCancellable             *cancellable,
                              GAsyncReadyCallback       callback,
                              gpointer                  user_data)
{
  g_return_if_fail (REEL_IS_PROJECT (project));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  reel_project_file_save_with_meta_async (project, file, flags, NULL, cancellable, callback,
                                          user_data);
}

void
reel_project_file_save_with_meta_async (ReelProject         *project,
                                        GFile               *file,
                                        guint                flags,
                                        GHashTable          *extra_meta,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  SaveJob *job;

  /* The same source tag: reel_project_file_save_finish() finishes both. */
  task = g_task_new (project, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_project_file_save_async);

  job = save_job_new_for_file (project, file, flags, extra_meta, FALSE, &error);
  if (job == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  start_save_thread (task, job);
}

gboolean
reel_project_file_save_finish (ReelProject   *project,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, project), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        reel_project_file_save_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
