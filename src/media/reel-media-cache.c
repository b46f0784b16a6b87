/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-media-cache"

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <utime.h>

#include "reel-media-cache.h"

/* Files in use, by path: how many holders each has. */
static GMutex held_lock;
static GHashTable *held;

typedef struct
{
  char *path;
  gint64 used_us;     /* modification time: the last use */
  guint64 size;
} Entry;

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->path);
  g_free (entry);
}

static int
compare_used (gconstpointer a,
              gconstpointer b)
{
  const Entry *first = *(const Entry * const *) a;
  const Entry *second = *(const Entry * const *) b;

  return first->used_us < second->used_us ? -1 : first->used_us > second->used_us;
}

static gboolean
path_is_held (const char *path)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&held_lock);

  return held != NULL && g_hash_table_contains (held, path);
}

/**
 * reel_media_cache_hold:
 * @file: a file being played (any file: only those in the cache are ever trimmed)
 *
 * Keeps @file from being trimmed until as many reel_media_cache_release() calls. Thread-safe.
 */
void
reel_media_cache_hold (GFile *file)
{
  g_autofree char *path = NULL;
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    return;

  locker = g_mutex_locker_new (&held_lock);
  if (held == NULL)
    held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_insert (held, g_strdup (path),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (held, path))
                                         + 1));
}

void
reel_media_cache_release (GFile *file)
{
  g_autofree char *path = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  guint count;

  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    return;

  locker = g_mutex_locker_new (&held_lock);
  count = held != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (held, path)) : 0;
  g_return_if_fail (count > 0);
  if (count == 1)
    g_hash_table_remove (held, path);
  else
    g_hash_table_insert (held, g_strdup (path), GUINT_TO_POINTER (count - 1));
}

gboolean
reel_media_cache_is_held (GFile *file)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  return path != NULL && path_is_held (path);
}

/**
 * reel_media_cache_touch:
 * @file: a cached file found again
 *
 * Marks @file as used now, so it is trimmed last.
 */
void
reel_media_cache_touch (GFile *file)
{
  g_autofree char *path = NULL;

  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path != NULL && g_utime (path, NULL) != 0)
    g_debug ("%s could not be marked as used", path);
}

/**
 * reel_media_cache_is_partial:
 * @name: the name of a file of the cache
 *
 * Returns: whether @name is a file being written (or left behind by a writer that died)
 */
gboolean
reel_media_cache_is_partial (const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  /* “.part” is the older writers' name, still found in caches they wrote. */
  return g_str_has_suffix (name, ".partial") || g_str_has_suffix (name, ".part");
}

/**
 * reel_media_cache_trim:
 * @folder: a folder of the cache (storyreel/sketch-plates, storyreel/camera-moves)
 * @max_bytes: what the folder may hold
 * @max_age: how long an unused file is kept (0: any time)
 * @grace: how long after its last use a file counts as in use
 *
 * Removes files unused for longer than @max_age, then the least recently used ones until
 * the rest fit in @max_bytes; never a file that is held or was used within @grace, nor one
 * being written by any process (reel_media_cache_is_partial()) unless it was left there
 * longer than %REEL_MEDIA_CACHE_STALE_PARTIAL ago. Blocking: call it on a worker thread.
 *
 * Returns: how many files were removed
 */
guint
reel_media_cache_trim (const char *folder,
                       guint64     max_bytes,
                       GTimeSpan   max_age,
                       GTimeSpan   grace)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (entry_free);
  gint64 now = g_get_real_time ();
  guint64 total = 0;
  guint removed = 0;
  const char *name;

  g_return_val_if_fail (folder != NULL, 0);

  dir = g_dir_open (folder, 0, NULL);
  if (dir == NULL)
    return 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      GStatBuf info;
      Entry *entry;

      if (g_lstat (path, &info) != 0 || !S_ISREG (info.st_mode))
        continue;
      if (reel_media_cache_is_partial (name))
        {
          /* Another writer's, however small @grace is: it renames it when it is whole. */
          if (now - (gint64) info.st_mtime * G_USEC_PER_SEC > REEL_MEDIA_CACHE_STALE_PARTIAL
              && g_unlink (path) == 0)
            removed++;
          continue;
        }
      entry = g_new0 (Entry, 1);
      entry->path = g_steal_pointer (&path);
      entry->used_us = (gint64) info.st_mtime * G_USEC_PER_SEC;
      entry->size = (guint64) info.st_size;
      total += entry->size;
      g_ptr_array_add (entries, entry);
    }

  g_ptr_array_sort (entries, compare_used);
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (entries, i);
      gboolean too_old = max_age > 0 && now - entry->used_us > max_age;

      if (!too_old && total <= max_bytes)
        continue;
      if (now - entry->used_us < grace || path_is_held (entry->path))
        continue;
      if (g_unlink (entry->path) != 0)
        continue;
      g_debug ("Trimmed %s from the cache", entry->path);
      total -= entry->size;
      removed++;
    }

  return removed;
}

/**
 * reel_media_cache_dup_asset_file:
 * @asset: a clip
 * @cancellable: (nullable): a #GCancellable
 * @error: where a failure is told
 *
 * reel_asset_dup_cache_file(), and the cache's rules for storyreel/media: a file found
 * there counts as used now; after a new one is written, the folder is trimmed. Blocking.
 *
 * Returns: (transfer full): the clip as a file, or %NULL with @error set
 */
GFile *
reel_media_cache_dup_asset_file (ReelAsset     *asset,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *folder = NULL;
  gboolean written;

  g_return_val_if_fail (REEL_IS_ASSET (asset), NULL);

  folder = g_build_filename (g_get_user_cache_dir (), "storyreel", "media", NULL);
  {
    g_autofree char *name = g_strconcat (reel_asset_get_hash (asset), ".",
                                         reel_asset_get_extension (asset), NULL);
    g_autofree char *path = g_build_filename (folder, name, NULL);

    written = !g_file_test (path, G_FILE_TEST_IS_REGULAR);
  }

  file = reel_asset_dup_cache_file (asset, cancellable, error);
  if (file == NULL)
    return NULL;

  if (written)
    reel_media_cache_trim (folder, REEL_MEDIA_CACHE_MAX_BYTES, REEL_MEDIA_CACHE_MAX_AGE,
                           REEL_MEDIA_CACHE_GRACE);
  else
    reel_media_cache_touch (file);
  return g_steal_pointer (&file);
}
