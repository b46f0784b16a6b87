/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-export-fcpxml"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-export-context-private.h"
#include "reel-export-formats-private.h"
#include "reel-export-provenance-private.h"
#include "reel-export-text-private.h"

/*
 * FCPXML 1.11 (or 1.10) for Final Cut Pro and DaVinci Resolve. Each shot is a clip in the
 * primary storyline of one project: its panel as a still (`video` of a rate-undefined asset)
 * or its plate as an `asset-clip`. Every time is a rational number of seconds that is a whole
 * number of frames at the project rate; the sequence starts at 01:00:00:00. A plate clip
 * never runs past its footage: a gap fills the rest of a longer shot. Inside a clip
 * the `note` comes before the `marker`, as the DTD orders them. Metadata (`md` keys) name the
 * scene and shot, and on a panel made with a model's pixels, the IPTC Digital Source Type
 * and the model. Shots of zero frames take no
 * time on a timeline and are left out.
 */

static void
append_attribute (GString    *out,
                  const char *name,
                  const char *value)
{
  g_string_append_printf (out, " %s=\"", name);
  reel_export_xml_append_escaped (out, value, TRUE);
  g_string_append_c (out, '"');
}

static void
append_time_attribute (GString       *out,
                       const char    *name,
                       gint64         frames,
                       ReelFrameRate  rate)
{
  g_autofree char *time = reel_export_rational_time (frames, rate.num, rate.den);

  append_attribute (out, name, time);
}

static void
append_note_and_marker (GString              *out,
                        const ReelExportShot *item,
                        ReelFrameRate         rate,
                        const char           *indent)
{
  const char *description = reel_shot_get_description (item->shot);
  g_autofree char *value = g_strdup_printf ("Shot %s", reel_shot_get_number (item->shot));

  if (description[0] != '\0')
    {
      g_string_append_printf (out, "%s<note>", indent);
      reel_export_xml_append_escaped (out, description, FALSE);
      g_string_append (out, "</note>\n");
    }

  g_string_append_printf (out, "%s<marker", indent);
  append_time_attribute (out, "start", 0, rate);
  append_time_attribute (out, "duration", 1, rate);
  append_attribute (out, "value", value);
  if (description[0] != '\0')
    append_attribute (out, "note", description);
  g_string_append (out, "/>\n");
}

static void
append_md (GString    *out,
           const char *indent,
           const char *key,
           const char *value)
{
  if (value == NULL || value[0] == '\0')
    return;
  g_string_append_printf (out, "%s  <md", indent);
  append_attribute (out, "key", key);
  append_attribute (out, "value", value);
  g_string_append (out, "/>\n");
}

/* The shot's metadata; @with_provenance for the panel's own asset. */
static void
append_metadata (GString              *out,
                 const ReelExportShot *item,
                 const char           *indent,
                 gboolean              with_provenance)
{
  const char *source_type = with_provenance ? reel_export_get_digital_source_type (item) : NULL;

  g_string_append_printf (out, "%s<metadata>\n", indent);
  append_md (out, indent, "com.apple.proapps.studio.scene", reel_scene_get_number (item->scene));
  append_md (out, indent, "com.apple.proapps.studio.shot", reel_shot_get_number (item->shot));
  append_md (out, indent, "io.github.storyreel.shotCode", item->code);
  if (source_type != NULL)
    {
      append_md (out, indent, "io.github.storyreel.digitalSourceType", source_type);
      append_md (out, indent, "io.github.storyreel.aiProvider", item->generation->provider);
      append_md (out, indent, "io.github.storyreel.aiModel", item->generation->model);
    }
  g_string_append_printf (out, "%s</metadata>\n", indent);
}

static gboolean
reel_export_fcpxml_write (ReelExportContext  *context,
                          GError            **error)
{
  ReelProject *project = reel_export_context_get_project (context);
  ReelExportOptions *options = reel_export_context_get_options (context);
  ReelFrameRate rate = reel_export_context_get_frame_rate (context);
  const char *title = reel_project_get_title (project);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GHashTable) plate_assets = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                              g_free, g_free);
  g_autofree char *frame_duration = reel_export_rational_time (1, rate.num, rate.den);
  g_autofree char **asset_ids = NULL;
  ReelExportShot * const *shots;
  gint64 start_frame = reel_export_context_get_start_frame (context);
  guint n_shots;
  guint next_id = 3;
  int width, height;
  const char *tc_format = (reel_export_context_get_timecode_flags (context)
                           & REEL_TIMECODE_DROP_FRAME) ? "DF" : "NDF";

  shots = reel_export_context_get_shots (context, &n_shots);
  asset_ids = g_new0 (char *, n_shots + 1);

  if (!reel_export_context_write_panels (context, 0.0, 0.9, error))
    return FALSE;

  g_string_append (out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE fcpxml>\n");
  g_string_append_printf (out, "<fcpxml version=\"%s\">\n",
                          reel_export_options_get_fcpxml_version (options));
  g_string_append (out, "  <resources>\n");

  /* r1: the sequence (and plates) at the project rate; r2: stills, rate-undefined. */
  reel_export_context_get_picture_size (context, &width, &height);
  g_string_append_printf (out, "    <format id=\"r1\" frameDuration=\"%s\" width=\"%d\" "
                          "height=\"%d\"/>\n", frame_duration, width, height);
  g_string_append_printf (out, "    <format id=\"r2\" name=\"FFVideoFormatRateUndefined\" "
                          "width=\"%u\" height=\"%d\"/>\n",
                          reel_export_options_get_panel_width (options),
                          reel_export_context_get_panel_height (
                            context, reel_export_options_get_panel_width (options)));

  for (guint i = 0; i < n_shots; i++)
    {
      const ReelExportShot *item = shots[i];
      g_autofree char *uri = NULL;
      char *id;

      if (item->duration == 0)
        continue;

      if (item->plate_file != NULL)
        {
          ReelPlate *plate = reel_shot_get_plate (item->shot);
          g_autofree char *name = g_file_get_basename (item->plate_file);
          gint64 duration_ns = reel_plate_get_duration (plate);

          uri = g_file_get_uri (item->plate_file);
          id = g_hash_table_lookup (plate_assets, uri);
          if (id != NULL)
            {
              asset_ids[i] = id;
              continue;
            }

          id = g_strdup_printf ("r%u", next_id++);
          g_string_append_printf (out, "    <asset id=\"%s\"", id);
          append_attribute (out, "name", name);
          g_string_append (out, " start=\"0s\"");
          if (duration_ns > 0)
            append_time_attribute (out, "duration", reel_timecode_ns_to_frames (duration_ns, rate),
                                   rate);
          g_string_append (out, " hasVideo=\"1\" hasAudio=\"1\" format=\"r1\" "
                           "videoSources=\"1\">\n");
          g_string_append (out, "      <media-rep kind=\"original-media\"");
          append_attribute (out, "src", uri);
          g_string_append (out, "/>\n    </asset>\n");

          g_hash_table_insert (plate_assets, g_steal_pointer (&uri), id);
          asset_ids[i] = id;
        }
      else
        {
          uri = reel_export_context_dup_panel_uri (context, item);
          id = g_strdup_printf ("r%u", next_id++);
          g_string_append_printf (out, "    <asset id=\"%s\"", id);
          append_attribute (out, "name", item->code);
          g_string_append (out, " start=\"0s\" duration=\"0s\" hasVideo=\"1\" format=\"r2\" "
                           "videoSources=\"1\">\n");
          g_string_append (out, "      <media-rep kind=\"original-media\"");
          append_attribute (out, "src", uri);
          g_string_append (out, "/>\n");
          append_metadata (out, item, "      ", TRUE);
          g_string_append (out, "    </asset>\n");

          /* Kept for the spine; freed with the plate ids below. */
          g_hash_table_insert (plate_assets, g_strdup_printf ("still:%u", i), id);
          asset_ids[i] = id;
        }
    }
  g_string_append (out, "  </resources>\n");

  g_string_append (out, "  <library>\n    <event");
  append_attribute (out, "name", title[0] != '\0' ? title : "Storyreel");
  g_string_append (out, ">\n      <project");
  append_attribute (out, "name", title[0] != '\0' ? title : "Storyreel");
  g_string_append (out, ">\n        <sequence format=\"r1\"");
  append_time_attribute (out, "duration", reel_export_context_get_duration (context), rate);
  append_time_attribute (out, "tcStart", start_frame, rate);
  g_string_append_printf (out, " tcFormat=\"%s\">\n          <spine>\n", tc_format);

  for (guint i = 0; i < n_shots; i++)
    {
      const ReelExportShot *item = shots[i];
      const char *element = item->plate_file != NULL ? "asset-clip" : "video";
      gint64 clip_frames = item->duration;

      if (item->duration == 0)
        continue;

      /* A clip never runs past the end of its footage: a shot longer than its plate plays
       * the whole plate, then a gap for the rest, so the cut keeps its length. */
      if (item->plate_file != NULL)
        {
          gint64 duration_ns = reel_plate_get_duration (reel_shot_get_plate (item->shot));
          gint64 plate_frames = duration_ns > 0 ? reel_timecode_ns_to_frames (duration_ns, rate)
                                                : 0;

          if (plate_frames > 0 && plate_frames < clip_frames)
            clip_frames = plate_frames;
        }

      if (!reel_export_context_check_cancelled (context, error))
        return FALSE;

      g_string_append_printf (out, "            <%s ref=\"%s\"", element, asset_ids[i]);
      append_time_attribute (out, "offset", start_frame + item->start, rate);
      append_attribute (out, "name", item->code);
      g_string_append (out, " start=\"0s\"");
      append_time_attribute (out, "duration", clip_frames, rate);
      if (item->plate_file != NULL)
        g_string_append_printf (out, " format=\"r1\" tcFormat=\"%s\"", tc_format);
      g_string_append (out, ">\n");
      append_note_and_marker (out, item, rate, "              ");
      /* A plate is shared by shots: each clip of it says which shot it is. */
      if (item->plate_file != NULL)
        append_metadata (out, item, "              ", FALSE);
      g_string_append_printf (out, "            </%s>\n", element);
      if (clip_frames < item->duration)
        {
          g_autofree char *gap_name = g_strdup_printf ("%s (after the plate)", item->code);

          g_string_append (out, "            <gap");
          append_attribute (out, "name", gap_name);
          append_time_attribute (out, "offset", start_frame + item->start + clip_frames, rate);
          append_time_attribute (out, "duration", item->duration - clip_frames, rate);
          g_string_append (out, "/>\n");
        }

      if (out->len > 64 * 1024)
        {
          if (!reel_export_context_write (context, out->str, out->len, error))
            return FALSE;
          g_string_truncate (out, 0);
        }
    }

  g_string_append (out, "          </spine>\n        </sequence>\n      </project>\n"
                   "    </event>\n  </library>\n</fcpxml>\n");

  reel_export_context_progress (context, 1.0);

  return reel_export_context_write (context, out->str, out->len, error);
}

const ReelExportFormat reel_export_format_fcpxml = {
  .id = "fcpxml",
  .name = N_("Final Cut Pro XML"),
  .extension = "fcpxml",
  .mime_type = "application/x-fcpxml",
  .options = REEL_EXPORT_USES_SCOPE | REEL_EXPORT_USES_PANEL_WIDTH |
             REEL_EXPORT_USES_FCPXML_VERSION,
  .output = REEL_EXPORT_OUTPUT_FILE,
  .writes_panels = TRUE,
  .write = reel_export_fcpxml_write,
};
