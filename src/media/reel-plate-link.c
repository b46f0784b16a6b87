/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-plate-link"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/pbutils/pbutils.h>
#include <string.h>

#include "reel-media-error.h"
#include "reel-media.h"
#include "reel-plate-link.h"

/* Reference footage is linked, never copied: a plate stores the path relative to the
 * project, and the size and a partial hash (reel_plate_compute_file_hash()) so that a
 * moved or renamed file can be recognised again. */

static char *
display_name (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  return g_filename_display_name (basename);
}

/* Linking */

typedef struct
{
  GFile *media;
  GFile *project_file;
} LinkData;

static void
link_data_free (gpointer data)
{
  LinkData *link = data;

  g_clear_object (&link->media);
  g_clear_object (&link->project_file);
  g_free (link);
}

static void
link_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LinkData *link = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = display_name (link->media);
  g_autoptr(ReelPlate) plate = NULL;
  GList *videos;
  gint64 size = -1;

  if (!reel_media_init (&error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  hash = reel_plate_compute_file_hash (link->media, &size, cancellable, &error);
  if (hash == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_task_return_new_error (task, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NOT_FOUND,
                                 _("The video “%s” does not exist"), name);
      else
        g_task_return_new_error (task, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_FAILED,
                                 _("The video “%s” could not be read: %s"),
                                 name, error->message);
      return;
    }

  /* Size and length for the shot list; a file GStreamer cannot read is refused here, so
   * a shot never links something that could only ever show an error. */
  discoverer = gst_discoverer_new (30 * GST_SECOND, &error);
  if (discoverer == NULL)
    {
      g_task_return_new_error (task, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_ELEMENT,
                               _("GStreamer’s media inspector is not available: %s"),
                               error->message);
      return;
    }

  uri = g_file_get_uri (link->media);
  info = gst_discoverer_discover_uri (discoverer, uri, &error);

  switch (info != NULL ? gst_discoverer_info_get_result (info) : GST_DISCOVERER_ERROR)
    {
    case GST_DISCOVERER_OK:
      break;

    case GST_DISCOVERER_MISSING_PLUGINS:
      /* Linked anyway: the preview names the missing codec, and installing it later
       * should not mean attaching the footage again. */
      break;

    case GST_DISCOVERER_TIMEOUT:
    case GST_DISCOVERER_BUSY:
    case GST_DISCOVERER_URI_INVALID:
    case GST_DISCOVERER_ERROR:
    default:
      g_task_return_new_error (task, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NOT_MEDIA,
                               _("“%s” is not a video file Storyreel can read"), name);
      return;
    }

  videos = gst_discoverer_info_get_video_streams (info);
  if (videos == NULL && gst_discoverer_info_get_result (info) == GST_DISCOVERER_OK)
    {
      g_task_return_new_error (task, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NO_VIDEO,
                               _("“%s” has no video: choose a video file as the shot’s "
                                 "reference footage"), name);
      return;
    }

  path = reel_plate_make_relative_path (link->project_file, link->media);
  plate = reel_plate_new (path);
  reel_plate_set_file_size (plate, size);
  reel_plate_set_hash (plate, hash);
  if (GST_CLOCK_TIME_IS_VALID (gst_discoverer_info_get_duration (info)))
    reel_plate_set_duration (plate, gst_discoverer_info_get_duration (info));
  if (videos != NULL)
    {
      GstDiscovererVideoInfo *video = videos->data;

      reel_plate_set_size (plate, gst_discoverer_video_info_get_width (video),
                           gst_discoverer_video_info_get_height (video));
    }
  gst_discoverer_stream_info_list_free (videos);

  g_task_return_pointer (task, g_steal_pointer (&plate), g_object_unref);
}

/**
 * reel_plate_link_async:
 * @media: the video file
 * @project_file: (nullable): where the project is (or will be) saved
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the new plate
 * @user_data: data for @callback
 *
 * Makes a plate for @media: its path relative to @project_file, size, hash, picture size
 * and length. Reads the file on a worker thread.
 */
void
reel_plate_link_async (GFile               *media,
                       GFile               *project_file,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LinkData *link;

  g_return_if_fail (G_IS_FILE (media));
  g_return_if_fail (project_file == NULL || G_IS_FILE (project_file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_plate_link_async);

  link = g_new0 (LinkData, 1);
  link->media = g_object_ref (media);
  link->project_file = project_file != NULL ? g_object_ref (project_file) : NULL;
  g_task_set_task_data (task, link, link_data_free);

  g_task_run_in_thread (task, link_thread);
}

/**
 * reel_plate_link_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError in %REEL_MEDIA_ERROR
 *
 * Returns: (transfer full): the new plate with the default key settings
 */
ReelPlate *
reel_plate_link_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == reel_plate_link_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Relinking */

typedef GQueue FolderQueue;

typedef struct
{
  GFile *file;
  gint64 size;
} Candidate;

static void
candidate_clear (gpointer data)
{
  Candidate *candidate = data;

  g_clear_object (&candidate->file);
}

/* The queue of the search holds folder, depth, folder, depth … */
static void
folder_queue_free (GQueue *folders)
{
  for (GList *l = folders->head; l != NULL; l = l->next->next)
    g_object_unref (l->data);
  g_queue_free (folders);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FolderQueue, folder_queue_free)

static gboolean
hash_matches (GFile        *file,
              const char   *hash,
              GCancellable *cancellable)
{
  g_autofree char *found = reel_plate_compute_file_hash (file, NULL, cancellable, NULL);

  return found != NULL && g_str_equal (found, hash);
}

/**
 * reel_plate_search:
 * @search_root: the folder to look in, with its subfolders
 * @name: the file name the footage had
 * @size: its size in bytes, or -1 if unknown
 * @hash: (nullable): its reel_plate_compute_file_hash()
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Looks for moved footage, nearest folders first, at most %REEL_PLATE_SEARCH_MAX_DEPTH
 * folders deep and %REEL_PLATE_SEARCH_MAX_ENTRIES entries in all; hidden folders and
 * symbolic links to folders are skipped. A file with the same name is taken if its size
 * and hash agree (those that are known); failing that, a renamed file of the same size
 * whose hash agrees. Blocking: call it from a thread.
 *
 * Returns: (transfer full): the footage, or %NULL with %REEL_MEDIA_ERROR_NOT_FOUND
 */
GFile *
reel_plate_search (GFile         *search_root,
                   const char    *name,
                   gint64         size,
                   const char    *hash,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(FolderQueue) folders = g_queue_new ();
  g_autoptr(GArray) by_name = g_array_new (FALSE, TRUE, sizeof (Candidate));
  g_autoptr(GArray) by_size = g_array_new (FALSE, TRUE, sizeof (Candidate));
  g_autofree char *root_name = NULL;
  g_autofree char *shown_name = NULL;
  guint n_entries = 0;

  g_return_val_if_fail (G_IS_FILE (search_root), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  g_array_set_clear_func (by_name, candidate_clear);
  g_array_set_clear_func (by_size, candidate_clear);

  /* Breadth first: the copy next to where it was is likelier than one deep down. */
  g_queue_push_tail (folders, g_object_ref (search_root));
  g_queue_push_tail (folders, GUINT_TO_POINTER (0));

  while (!g_queue_is_empty (folders) && n_entries < REEL_PLATE_SEARCH_MAX_ENTRIES)
    {
      g_autoptr(GFile) folder = g_queue_pop_head (folders);
      guint depth = GPOINTER_TO_UINT (g_queue_pop_head (folders));
      g_autoptr(GFileEnumerator) children = NULL;
      GFileInfo *info;
      GFile *child;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      children = g_file_enumerate_children (folder,
                                            G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                            G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                            G_FILE_ATTRIBUTE_STANDARD_IS_HIDDEN,
                                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                            cancellable, NULL);
      if (children == NULL)
        continue;  /* an unreadable folder is not an error for the search */

      while (n_entries < REEL_PLATE_SEARCH_MAX_ENTRIES
             && g_file_enumerator_iterate (children, &info, &child, cancellable, NULL)
             && info != NULL)
        {
          n_entries++;

          if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
            {
              if (depth + 1 < REEL_PLATE_SEARCH_MAX_DEPTH && !g_file_info_get_is_hidden (info))
                {
                  g_queue_push_tail (folders, g_object_ref (child));
                  g_queue_push_tail (folders, GUINT_TO_POINTER (depth + 1));
                }
            }
          else if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR)
            {
              Candidate candidate = { NULL, g_file_info_get_size (info) };

              if (g_str_equal (g_file_info_get_name (info), name))
                {
                  candidate.file = g_object_ref (child);
                  g_array_append_val (by_name, candidate);
                }
              else if (size >= 0 && hash != NULL && candidate.size == size)
                {
                  candidate.file = g_object_ref (child);
                  g_array_append_val (by_size, candidate);
                }
            }
        }
    }

  for (guint i = 0; i < by_name->len; i++)
    {
      Candidate *candidate = &g_array_index (by_name, Candidate, i);

      if (size >= 0 && candidate->size != size)
        continue;
      if (hash != NULL && !hash_matches (candidate->file, hash, cancellable))
        continue;
      return g_object_ref (candidate->file);
    }

  for (guint i = 0; i < by_size->len; i++)
    {
      Candidate *candidate = &g_array_index (by_size, Candidate, i);

      if (hash_matches (candidate->file, hash, cancellable))
        return g_object_ref (candidate->file);
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  root_name = display_name (search_root);
  shown_name = g_filename_display_name (name);
  g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NOT_FOUND,
               _("No copy of “%s” was found in the folder “%s” or the folders in it. "
                 "Choose the file yourself."),
               shown_name, root_name);
  return NULL;
}

typedef struct
{
  GFile *search_root;
  char *name;
  gint64 size;
  char *hash;
} RelinkData;

static void
relink_data_free (gpointer data)
{
  RelinkData *relink = data;

  g_clear_object (&relink->search_root);
  g_free (relink->name);
  g_free (relink->hash);
  g_free (relink);
}

static void
relink_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RelinkData *relink = task_data;
  GError *error = NULL;
  GFile *found;

  found = reel_plate_search (relink->search_root, relink->name, relink->size, relink->hash,
                             cancellable, &error);
  if (found == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, found, g_object_unref);
}

/**
 * reel_plate_relink_async:
 * @plate: a plate whose file is missing
 * @search_root: the folder to search, usually the project's
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the file found
 * @user_data: data for @callback
 *
 * Runs reel_plate_search() on a worker thread with the plate's name, size and hash.
 */
void
reel_plate_relink_async (ReelPlate           *plate,
                         GFile               *search_root,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RelinkData *relink;
  const char *path;
  const char *separator;

  g_return_if_fail (REEL_IS_PLATE (plate));
  g_return_if_fail (G_IS_FILE (search_root));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_plate_relink_async);

  /* The plate is read here, on the main thread; the thread gets copies. */
  path = reel_plate_get_path (plate);
  separator = strrchr (path, '/');

  relink = g_new0 (RelinkData, 1);
  relink->search_root = g_object_ref (search_root);
  relink->name = g_strdup (separator != NULL ? separator + 1 : path);
  relink->size = reel_plate_get_file_size (plate);
  relink->hash = g_strdup (reel_plate_get_hash (plate));
  g_task_set_task_data (task, relink, relink_data_free);

  g_task_run_in_thread (task, relink_thread);
}

/**
 * reel_plate_relink_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError in %REEL_MEDIA_ERROR
 *
 * Returns: (transfer full): the footage found
 */
GFile *
reel_plate_relink_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == reel_plate_relink_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
