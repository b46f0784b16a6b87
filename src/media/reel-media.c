/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-media"

#include "config.h"

#include <glib/gi18n.h>
#include "reel-ges.h"
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>

#include "reel-chroma-key.h"
#include "reel-media-error.h"
#include "reel-media.h"
#include "reel-video-sink.h"

static gboolean
register_elements (void)
{
  /* Static elements (no plugin file): parse_launch and GES effects find them by name. */
  return gst_element_register (NULL, "reelvideosink", GST_RANK_NONE, REEL_TYPE_VIDEO_SINK)
         && gst_element_register (NULL, "reelchromakey", GST_RANK_NONE, REEL_TYPE_CHROMA_KEY);
}

/**
 * reel_media_init:
 * @error: return location for a #GError
 *
 * Initialises GStreamer and registers Storyreel's own elements. Safe to call many times
 * and from any thread; every entry point of src/media calls it.
 *
 * Returns: %TRUE when GStreamer is usable
 */
gboolean
reel_media_init (GError **error)
{
  static gsize initialised = 0;
  static gboolean ok = FALSE;
  static char *failure = NULL;

  if (g_once_init_enter (&initialised))
    {
      g_autoptr(GError) local_error = NULL;

      if (!gst_init_check (NULL, NULL, &local_error))
        failure = g_strdup (local_error->message);
      else if (!register_elements ())
        failure = g_strdup ("element registration failed");
      else
        {
          gst_pb_utils_init ();
          ok = TRUE;
        }

      g_once_init_leave (&initialised, 1);
    }

  if (!ok)
    g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_ELEMENT,
                 /* Translators: %s is GStreamer's own explanation */
                 _("GStreamer, which plays and renders video, could not start: %s"), failure);

  return ok;
}

/**
 * reel_media_init_editing:
 * @error: return location for a #GError
 *
 * Also loads and starts GStreamer Editing Services, for the animatic. Separate because GES
 * 1.22 starts an embedded Python interpreter to look for project formatters: only the
 * animatic pays for it (and for loading GES at all: it is a module, reel-ges.h).
 *
 * Returns: %TRUE when GES is usable
 */
gboolean
reel_media_init_editing (GError **error)
{
  static gsize initialised = 0;
  static gboolean ok = FALSE;
  g_autoptr(GError) missing = NULL;

  if (!reel_media_init (error))
    return FALSE;

  /* GES is a module of its own, loaded here the first time (reel-ges.h). */
  if (!reel_ges_load (&missing))
    {
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_ELEMENT,
                   /* Translators: %s says which file is missing or could not be loaded */
                   _("GStreamer Editing Services, which make the animatic, could not be "
                     "loaded: %s"), missing->message);
      return FALSE;
    }

  if (g_once_init_enter (&initialised))
    {
      ok = ges_init_check (NULL, NULL, NULL);
      g_once_init_leave (&initialised, 1);
    }

  if (!ok)
    g_set_error_literal (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_ELEMENT,
                         _("GStreamer Editing Services, which make the animatic, could not "
                           "start. Install them (libges-1.0) and try again."));

  return ok;
}

/**
 * reel_media_describe_missing_plugins:
 * @descriptions: (element-type utf8): pbutils descriptions of missing plugins
 *
 * Returns: (transfer full): the descriptions joined for a sentence, without duplicates
 */
char *
reel_media_describe_missing_plugins (GPtrArray *descriptions)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < descriptions->len; i++)
    {
      const char *description = g_ptr_array_index (descriptions, i);

      if (!g_hash_table_add (seen, (gpointer) description))
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, description);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
