/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-media-probe"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/pbutils/pbutils.h>

#include "reel-media-error.h"
#include "reel-media.h"
#include "reel-media-probe.h"

/*
 * What a media file holds (rate, size, length, audio), asked of GStreamer's discoverer
 * synchronously: exports call it on their worker thread. Answers are kept per path and
 * modification time, so an editorial export of a hundred shots sharing one plate opens the
 * file once, and a plate rendered again is looked at again.
 */

#define REEL_PROBE_TIMEOUT (30 * GST_SECOND)

typedef struct
{
  gint64 mtime_usec;
  gint64 size;
  ReelMediaInfo info;
} CacheEntry;

static GMutex cache_mutex;
static GHashTable *cache; /* path → CacheEntry, under cache_mutex */

static char *
display_name (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  return g_filename_display_name (basename);
}

static gboolean
cache_lookup (const char    *path,
              gint64         mtime_usec,
              gint64         size,
              ReelMediaInfo *info)
{
  CacheEntry *entry;
  gboolean found = FALSE;

  g_mutex_lock (&cache_mutex);
  entry = cache != NULL ? g_hash_table_lookup (cache, path) : NULL;
  if (entry != NULL && entry->mtime_usec == mtime_usec && entry->size == size)
    {
      *info = entry->info;
      found = TRUE;
    }
  g_mutex_unlock (&cache_mutex);

  return found;
}

static void
cache_store (const char          *path,
             gint64               mtime_usec,
             gint64               size,
             const ReelMediaInfo *info)
{
  CacheEntry *entry = g_new0 (CacheEntry, 1);

  entry->mtime_usec = mtime_usec;
  entry->size = size;
  entry->info = *info;

  g_mutex_lock (&cache_mutex);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_replace (cache, g_strdup (path), entry);
  g_mutex_unlock (&cache_mutex);
}

static void
fill_info (GstDiscovererInfo *discovered,
           ReelMediaInfo     *info)
{
  GList *videos = gst_discoverer_info_get_video_streams (discovered);
  GList *audios = gst_discoverer_info_get_audio_streams (discovered);
  GstClockTime duration = gst_discoverer_info_get_duration (discovered);

  *info = (ReelMediaInfo) { .duration_ns = -1, .rate_den = 1 };

  if (GST_CLOCK_TIME_IS_VALID (duration) && duration > 0)
    info->duration_ns = (gint64) duration;

  if (videos != NULL)
    {
      GstDiscovererVideoInfo *video = videos->data;
      guint num = gst_discoverer_video_info_get_framerate_num (video);
      guint den = gst_discoverer_video_info_get_framerate_denom (video);

      info->has_video = TRUE;
      info->width = (int) gst_discoverer_video_info_get_width (video);
      info->height = (int) gst_discoverer_video_info_get_height (video);
      /* 0/1 is a still or a variable rate: no frame duration to give. */
      if (num > 0 && den > 0 && num <= G_MAXINT && den <= G_MAXINT
          && !gst_discoverer_video_info_is_image (video))
        {
          info->rate_num = (int) num;
          info->rate_den = (int) den;
        }
    }

  if (audios != NULL)
    {
      GstDiscovererAudioInfo *audio = audios->data;

      info->has_audio = TRUE;
      info->audio_channels = gst_discoverer_audio_info_get_channels (audio);
      info->audio_rate = gst_discoverer_audio_info_get_sample_rate (audio);
    }

  gst_discoverer_stream_info_list_free (videos);
  gst_discoverer_stream_info_list_free (audios);
}

/**
 * reel_media_probe_file:
 * @file: a local media file
 * @info: (out caller-allocates): what the file holds
 * @cancellable: (nullable): checked before the file is opened
 * @error: return location for a #GError in %REEL_MEDIA_ERROR
 *
 * Inspects @file with GStreamer's discoverer, or answers from the cache when the file has
 * not changed since. Blocking (up to 30 seconds for a file that will not open): call it
 * from a worker thread.
 *
 * Returns: %TRUE with @info filled; %FALSE with %REEL_MEDIA_ERROR_NOT_FOUND for a file
 *   that is not there, %REEL_MEDIA_ERROR_NOT_MEDIA for one GStreamer cannot read,
 *   %REEL_MEDIA_ERROR_MISSING_CODEC when a plugin to read it is missing
 */
gboolean
reel_media_probe_file (GFile          *file,
                       ReelMediaInfo  *info,
                       GCancellable   *cancellable,
                       GError        **error)
{
  g_autoptr(GFileInfo) file_info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(GstDiscovererInfo) discovered = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;
  GstDiscovererResult result;
  gint64 mtime_usec, size;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  name = display_name (file);
  file_info = g_file_query_info (file,
                                 G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                                 G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC ","
                                 G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                 G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                 G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (file_info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NOT_FOUND,
                     _("The video “%s” does not exist"), name);
      else
        g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_FAILED,
                     _("The video “%s” could not be read: %s"), name, local_error->message);
      return FALSE;
    }

  if (g_file_info_get_file_type (file_info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NOT_MEDIA,
                   _("“%s” is not a video file Storyreel can read"), name);
      return FALSE;
    }

  mtime_usec = (gint64) g_file_info_get_attribute_uint64 (file_info,
                                                          G_FILE_ATTRIBUTE_TIME_MODIFIED)
               * G_USEC_PER_SEC
               + g_file_info_get_attribute_uint32 (file_info,
                                                   G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
  size = g_file_info_get_size (file_info);
  path = g_file_get_path (file);
  if (path != NULL && cache_lookup (path, mtime_usec, size, info))
    return TRUE;

  if (!reel_media_init (error))
    return FALSE;

  discoverer = gst_discoverer_new (REEL_PROBE_TIMEOUT, &local_error);
  if (discoverer == NULL)
    {
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_ELEMENT,
                   _("GStreamer’s media inspector is not available: %s"),
                   local_error->message);
      return FALSE;
    }

  uri = g_file_get_uri (file);
  discovered = gst_discoverer_discover_uri (discoverer, uri, NULL);
  result = discovered != NULL ? gst_discoverer_info_get_result (discovered)
                              : GST_DISCOVERER_ERROR;

  if (result == GST_DISCOVERER_MISSING_PLUGINS)
    {
      const char **details = gst_discoverer_info_get_missing_elements_installer_details (
        discovered);
      g_autoptr(GPtrArray) descriptions = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *missing = NULL;

      /* "gstreamer|1.0|app|H.265 (Main Profile) decoder|decoder-video/x-h265": the
       * fourth field is the plugin's description. */
      for (guint i = 0; details != NULL && details[i] != NULL; i++)
        {
          g_auto(GStrv) fields = g_strsplit (details[i], "|", 5);

          if (g_strv_length (fields) >= 4 && fields[3][0] != '\0')
            g_ptr_array_add (descriptions, g_strdup (fields[3]));
        }
      if (descriptions->len == 0)
        g_ptr_array_add (descriptions, g_strdup (_("a GStreamer plugin")));
      missing = reel_media_describe_missing_plugins (descriptions);
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_CODEC,
                   _("“%s” cannot be read: %s"), name, missing);
      return FALSE;
    }

  if (result != GST_DISCOVERER_OK)
    {
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NOT_MEDIA,
                   _("“%s” is not a video file Storyreel can read"), name);
      return FALSE;
    }

  fill_info (discovered, info);
  if (path != NULL)
    cache_store (path, mtime_usec, size, info);

  return TRUE;
}
