/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-storage"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reel-project-file-internal.h"
#include "reel-project-file-set.h"

/* Saving: the snapshot. */

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

void
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

static void
shot_copy_free (gpointer data)
{
  ShotCopy *copy = data;

  g_clear_object (&copy->copy);
  g_free (copy);
}

GHashTable *
shot_copies_new (void)
{
  return g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, shot_copy_free);
}

/* What save_job_new() will diff against, as far as which shots it copies goes. */
guint64
save_job_copy_since (ReelProject *project,
                     const char  *path,
                     guint        flags)
{
  ProjectFileData *file_data = get_file_data (project, TRUE);
  SavedState *base = g_hash_table_lookup (file_data->states, path);
  g_autofree char *document_path = NULL;

  if (base != NULL && base->complete)
    return base->stamp;
  if (!(flags & REEL_PROJECT_FILE_SAVE_REFER_ASSETS) || (flags & SAVE_NO_SEED) ||
      file_data->file == NULL)
    return 0;
  document_path = g_file_get_path (file_data->file);
  base = document_path != NULL ? g_hash_table_lookup (file_data->states, document_path) : NULL;
  return base != NULL && base->complete ? base->stamp : 0;
}

gboolean
shot_copies_step (GHashTable  *copies,
                  ReelProject *project,
                  guint64      since,
                  guint       *scene_index,
                  guint       *shot_index,
                  gint64       budget_us,
                  guint        max_shots)
{
  gint64 deadline = g_get_monotonic_time () + budget_us;
  guint n_scenes = reel_project_get_n_scenes (project);
  guint copied = 0;

  /* The lists may have changed between two steps: a shot skipped or visited twice only
   * costs the snapshot a copy, which it makes itself. */
  for (; *scene_index < n_scenes; (*scene_index)++, *shot_index = 0)
    {
      ReelScene *scene = reel_project_get_scene (project, *scene_index);
      guint n_shots = reel_scene_get_n_shots (scene);

      for (; *shot_index < n_shots; (*shot_index)++)
        {
          ReelShot *shot = reel_scene_get_shot (scene, *shot_index);
          guint64 revision = reel_shot_get_revision (shot);
          ShotCopy *copy;

          if (revision <= since)
            continue;
          copy = g_hash_table_lookup (copies, shot);
          if (copy != NULL && copy->revision == revision)
            continue;
          if (max_shots > 0 ? copied++ == max_shots
                            : (++copied & 15) == 0 && g_get_monotonic_time () >= deadline)
            return FALSE;

          copy = g_new0 (ShotCopy, 1);
          copy->copy = reel_shot_copy (shot);
          copy->revision = revision;
          g_hash_table_replace (copies, g_object_ref (shot), copy);
        }
    }
  return TRUE;
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

SaveJob *
save_job_new (ReelProject *project,
              GFile       *file,
              const char  *path,
              guint        flags,
              GHashTable  *extra_meta,
              gboolean     full,
              GHashTable  *copies)
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
          return save_job_new (project, file, path, flags | SAVE_NO_SEED, extra_meta, TRUE,
                                   copies);
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
              return save_job_new (project, file, path, flags | SAVE_NO_SEED, extra_meta, TRUE,
                                   copies);
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

              ShotCopy *ahead = copies != NULL ? g_hash_table_lookup (copies, shot) : NULL;

              /* Copied between frames before this snapshot, and not changed since. */
              if (ahead != NULL && ahead->revision == reel_shot_get_revision (shot))
                shot_snap->content = g_object_ref (ahead->copy);
              else
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
void
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

gboolean
save_job_is_empty (SaveJob *job)
{
  return job->pending == job->base;
}

gboolean
save_job_has_no_changes (SaveJob *job)
{
  return !job->full && !job->write_project && job->scenes->len == 0 &&
         job->shots->len == 0 && job->deleted_scenes->len == 0 &&
         job->deleted_shots->len == 0 && job->new_assets->len == 0 &&
         job->deleted_assets->len == 0 && job->regenerated_assets->len == 0 &&
         job->extra_meta == NULL;
}
