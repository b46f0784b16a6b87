/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-export-edl"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reel-export-context-private.h"
#include "reel-export-formats-private.h"
#include "reel-export-provenance-private.h"
#include "reel-export-text-private.h"

/*
 * CMX 3600 EDL: one video track, one cut event per shot. Each shot's panel (or its plate, or
 * with the panel-clips option the panel's movie clip, which Resolve can conform where it
 * cannot a still) is the source, from 00:00:00:00 for the shot's length; the record side
 * runs from 01:00:00:00.
 * Out points are exclusive. The rate is not in the file: it is the project's; at 29.97 and
 * 59.94 the list counts drop-frame (FCM: DROP FRAME, ';' before the frames).
 * Shots of zero frames take no time on a timeline and are left out.
 *
 * Event numbers are three digits in CMX 3600 and editors read the fields by column, so past
 * 999 they start again at 001 rather than widen the field. Each event carries a marker in
 * the form DaVinci Resolve reads (|C:colour |M:name |D:frames) and, when its picture was
 * made by a model, a comment saying which.
 */

#define REEL_EVENT_MAX 999

#define REEL_NAME_MAX 8

static char *
make_reel_name (const ReelExportShot *item,
                guint                 event,
                GHashTable           *used)
{
  g_autofree char *joined = g_strdup_printf ("%s_%s", reel_scene_get_number (item->scene),
                                             reel_shot_get_number (item->shot));
  g_autofree char *candidate = reel_export_make_identifier (joined, 0, TRUE, "");

  /* Short enough and unique: "12_12A". Else a numbered reel that always fits. */
  if (candidate[0] == '\0' || strlen (candidate) > REEL_NAME_MAX
      || g_hash_table_contains (used, candidate))
    {
      g_free (candidate);
      candidate = g_strdup_printf ("R%07u", event);
    }

  g_hash_table_add (used, g_strdup (candidate));
  return g_steal_pointer (&candidate);
}

static gboolean
reel_export_edl_write (ReelExportContext  *context,
                       GError            **error)
{
  ReelProject *project = reel_export_context_get_project (context);
  ReelFrameRate rate = reel_export_context_get_frame_rate (context);
  ReelExportOptions *options = reel_export_context_get_options (context);
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *title = reel_export_flatten_line (reel_project_get_title (project));
  ReelExportShot * const *shots;
  guint n_shots;
  guint event = 0;
  gboolean drop_frame;

  shots = reel_export_context_get_shots (context, &n_shots);

  if (!reel_export_context_write_media (context, 0.9, error))
    return FALSE;

  g_string_append_printf (out, "TITLE: %s\n", title[0] != '\0' ? title : "Storyreel");
  drop_frame = (reel_export_context_get_timecode_flags (context) & REEL_TIMECODE_DROP_FRAME) != 0;
  g_string_append (out, drop_frame ? "FCM: DROP FRAME\n" : "FCM: NON-DROP FRAME\n");

  for (guint i = 0; i < n_shots; i++)
    {
      const ReelExportShot *item = shots[i];
      g_autofree char *reel = NULL;
      g_autofree char *source_in = NULL;
      g_autofree char *source_out = NULL;
      g_autofree char *record_in = NULL;
      g_autofree char *record_out = NULL;
      g_autofree char *clip_name = NULL;
      g_autofree char *description = NULL;
      g_autofree char *number = NULL;
      g_autofree char *marker = NULL;

      if (item->duration == 0)
        continue;

      event++;
      reel = make_reel_name (item, event, used);
      marker = reel_export_flatten_line (reel_shot_get_number (item->shot));
      source_in = reel_timecode_format_full (0, rate,
                                             reel_export_context_get_timecode_flags (context));
      source_out = reel_timecode_format_full (item->duration, rate,
                                              reel_export_context_get_timecode_flags (context));
      record_in = reel_export_context_dup_record_timecode (context, item->start);
      record_out = reel_export_context_dup_record_timecode (context,
                                                            item->start + item->duration);
      /* A panel's clip is named as the clip naming says, and its file so too. */
      if (item->clip_file != NULL)
        {
          g_autofree char *basename = g_file_get_basename (item->clip_file);

          clip_name = reel_export_flatten_line (basename);
        }
      else if (reel_export_options_get_clip_naming (options) == REEL_EXPORT_CLIP_NAMING_KITSU)
        clip_name = reel_export_context_dup_clip_name (context, item);
      else if (item->plate_file != NULL)
        {
          /* The movie's file name: Resolve finds the clip in its media pool by it. */
          g_autofree char *basename = g_file_get_basename (item->plate_file);

          clip_name = reel_export_flatten_line (basename);
        }
      else
        clip_name = g_strdup (item->panel_name);
      description = reel_export_flatten_line (reel_shot_get_description (item->shot));
      number = reel_export_flatten_line (reel_shot_get_number (item->shot));

      g_string_append_printf (out, "\n%03u  %-*s V     C        %s %s %s %s\n",
                              (event - 1) % REEL_EVENT_MAX + 1, REEL_NAME_MAX, reel,
                              source_in, source_out, record_in, record_out);
      g_string_append_printf (out, "* FROM CLIP NAME:  %s\n", clip_name);
      g_string_append_printf (out, "* COMMENT: SHOT %s\n", number);
      if (description[0] != '\0')
        g_string_append_printf (out, "* COMMENT: %s\n", description);
      if (item->generation != NULL)
        {
          g_autofree char *origin = reel_export_describe_background (item);
          g_autofree char *line = reel_export_flatten_line (origin);

          g_string_append_printf (out, "* COMMENT: %s\n", line);
        }
      /* A marker on the shot's first frame, as Resolve writes and reads them. */
      g_string_append_printf (out, " |C:ResolveColorRed |M:Shot %s |D:1\n",
                              g_strdelimit (marker, "|", '/'));
    }

  reel_export_context_progress (context, 1.0);

  return reel_export_context_write (context, out->str, out->len, error);
}

const ReelExportFormat reel_export_format_edl = {
  .id = "edl",
  .name = N_("CMX 3600 EDL"),
  .extension = "edl",
  .mime_type = "text/x-edl",
  .options = REEL_EXPORT_USES_SCOPE | REEL_EXPORT_USES_PANEL_WIDTH | REEL_EXPORT_USES_CLIP_NAMING
             | REEL_EXPORT_USES_PANEL_CLIPS,
  .output = REEL_EXPORT_OUTPUT_FILE,
  .writes_panels = TRUE,
  .write = reel_export_edl_write,
};
