/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-export-fcpxml"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-export-context-private.h"
#include "reel-export-error.h"
#include "reel-export-formats-private.h"
#include "reel-export-provenance-private.h"
#include "reel-export-text-private.h"

/*
 * FCPXML 1.11 (or 1.10) for Final Cut Pro and DaVinci Resolve. Each shot is a clip in the
 * primary storyline of one project: its panel as a still (`video` of a rate-undefined asset)
 * or its plate as an `asset-clip`. Every time on the spine is a rational number of seconds
 * that is a whole number of frames at the project rate; the sequence starts at 01:00:00:00.
 * A plate is probed with GStreamer's discoverer: its asset has a format of its own (frame
 * duration and size, shared by plates alike), its length in its own frames, and audio
 * attributes only when it has audio. A plate clip never runs past its footage: a gap fills
 * the rest of a longer shot. Footage that is missing or unreadable stops the export with an
 * error naming the shot and the file. With the panel-clips option a panel's movie clip takes
 * the place of its still and is described (probed) like footage. Inside a clip
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
      if (reel_generation_record_is_model_made (item->generation))
        {
          append_md (out, indent, "io.github.storyreel.aiProvider", item->generation->provider);
          append_md (out, indent, "io.github.storyreel.aiModel", item->generation->model);
        }
    }
  g_string_append_printf (out, "%s</metadata>\n", indent);
}

/* A movie as the resources describe it (a plate, shared by the shots that use it, or a
 * panel's clip). */
typedef struct
{
  char *asset_id;
  const char *format_id;     /* owned by the formats table */
  ReelFrameRate rate;        /* its own, or the project's when it has none */
  gint64 frames;             /* its length in frames of @rate */
  ReelMediaInfo info;
} PlateAsset;

static void
plate_asset_free (gpointer data)
{
  PlateAsset *plate = data;

  g_free (plate->asset_id);
  g_free (plate);
}

/* Frames of @rate that fit in @frames of @from: a clip in the project's frames never runs
 * past the asset's own, however the two rates divide. */
static gint64
convert_frames_down (gint64        frames,
                     ReelFrameRate from,
                     ReelFrameRate to)
{
  /* frames · from.den / from.num seconds, times to.num / to.den, floored; reduced first
   * and split so that nothing overflows at any rate GStreamer reports. */
  gint64 num = (gint64) from.den * to.num;
  gint64 den = (gint64) from.num * to.den;
  gint64 a = num, b = den;

  while (b != 0)
    {
      gint64 t = a % b;

      a = b;
      b = t;
    }
  num /= a;
  den /= a;

  return (frames / den) * num + (frames % den) * num / den;
}

/* What was rendered, as an editor will read it. */
static gboolean
probe_clip (const ReelExportShot  *item,
            ReelMediaInfo         *info,
            GError               **error)
{
  g_autoptr(GError) local_error = NULL;

  if (reel_media_probe_file (item->clip_render_file, info, NULL, &local_error))
    return TRUE;

  g_set_error (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_RENDER,
               _("Could not render the movie clip of shot %s: %s"),
               reel_shot_get_number (item->shot), local_error->message);
  return FALSE;
}

/* Probes every plate in scope once (or, with @clips, every panel clip once rendered), and gives each distinct rate and size a format. */
static gboolean
collect_plates (ReelExportContext  *context,
                gboolean            clips,
                GString            *out,
                GHashTable         *plates,
                GHashTable         *formats,
                guint              *next_id,
                GError            **error)
{
  ReelFrameRate rate = reel_export_context_get_frame_rate (context);
  ReelExportShot * const *shots;
  guint n_shots;
  int width, height;

  shots = reel_export_context_get_shots (context, &n_shots);
  reel_export_context_get_picture_size (context, &width, &height);

  /* The sequence's own format serves a plate that matches it. */
  if (g_hash_table_size (formats) == 0)
    g_hash_table_insert (formats, g_strdup_printf ("%d/%d %dx%d", rate.num, rate.den, width,
                                                   height), g_strdup ("r1"));

  for (guint i = 0; i < n_shots; i++)
    {
      const ReelExportShot *item = shots[i];
      g_autofree char *uri = NULL;
      g_autofree char *key = NULL;
      PlateAsset *plate;

      if (item->duration == 0 || (clips ? item->clip_file == NULL : item->plate_file == NULL))
        continue;

      uri = g_file_get_uri (item->plate_file != NULL ? item->plate_file : item->clip_file);
      if (g_hash_table_contains (plates, uri))
        continue;

      if (!reel_export_context_check_cancelled (context, error))
        return FALSE;

      plate = g_new0 (PlateAsset, 1);
      if (item->plate_file != NULL
          ? !reel_export_context_probe_plate (context, item, &plate->info, error)
          : !probe_clip (item, &plate->info, error))
        {
          plate_asset_free (plate);
          return FALSE;
        }
      g_hash_table_insert (plates, g_steal_pointer (&uri), plate);

      /* A still or a variable rate has no frame duration of its own: it plays at the
       * project's. */
      plate->rate = plate->info.rate_num > 0
                    && reel_frame_rate_is_valid (REEL_FRAME_RATE_INIT (plate->info.rate_num,
                                                                       plate->info.rate_den))
                    ? REEL_FRAME_RATE_INIT (plate->info.rate_num, plate->info.rate_den)
                    : rate;
      plate->frames = plate->info.duration_ns > 0
                      ? reel_timecode_ns_to_frames (plate->info.duration_ns, plate->rate)
                      : -1;

      key = g_strdup_printf ("%d/%d %dx%d", plate->rate.num, plate->rate.den,
                             plate->info.width, plate->info.height);
      plate->format_id = g_hash_table_lookup (formats, key);
      if (plate->format_id == NULL)
        {
          g_autofree char *frame_duration = reel_export_rational_time (1, plate->rate.num,
                                                                       plate->rate.den);
          char *id = g_strdup_printf ("r%u", (*next_id)++);

          g_string_append_printf (out, "    <format id=\"%s\" frameDuration=\"%s\"", id,
                                  frame_duration);
          if (plate->info.width > 0 && plate->info.height > 0)
            g_string_append_printf (out, " width=\"%d\" height=\"%d\"", plate->info.width,
                                    plate->info.height);
          g_string_append (out, "/>\n");
          g_hash_table_insert (formats, g_steal_pointer (&key), id);
          plate->format_id = id;
        }
    }

  return TRUE;
}

static void
append_plate_asset (GString              *out,
                    const ReelExportShot *item,
                    PlateAsset           *plate,
                    const char           *uri)
{
  g_autofree char *name = g_file_get_basename (item->plate_file != NULL ? item->plate_file
                                                                        : item->clip_file);
  g_autofree char *display = g_filename_display_name (name);

  g_string_append_printf (out, "    <asset id=\"%s\"", plate->asset_id);
  append_attribute (out, "name", display);
  g_string_append (out, " start=\"0s\"");
  /* In the footage's own frames, as its format counts them. */
  if (plate->frames > 0)
    append_time_attribute (out, "duration", plate->frames, plate->rate);
  g_string_append_printf (out, " hasVideo=\"1\" format=\"%s\" videoSources=\"1\"",
                          plate->format_id);
  /* Audio attributes only for footage with sound: an editor would otherwise show (and
   * try to play) a track that is not there. */
  if (plate->info.has_audio)
    {
      g_string_append (out, " hasAudio=\"1\" audioSources=\"1\"");
      if (plate->info.audio_channels > 0)
        g_string_append_printf (out, " audioChannels=\"%u\"", plate->info.audio_channels);
      if (plate->info.audio_rate > 0)
        g_string_append_printf (out, " audioRate=\"%u\"", plate->info.audio_rate);
    }
  g_string_append (out, ">\n      <media-rep kind=\"original-media\"");
  append_attribute (out, "src", uri);
  g_string_append (out, "/>\n");
  /* A panel's clip is the panel's own asset: it says where its pixels came from. */
  if (item->plate_file == NULL)
    append_metadata (out, item, "      ", TRUE);
  g_string_append (out, "    </asset>\n");
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
  g_autoptr(GHashTable) plates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        plate_asset_free);
  g_autoptr(GHashTable) formats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         g_free);
  g_autoptr(GPtrArray) still_ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *frame_duration = reel_export_rational_time (1, rate.num, rate.den);
  g_autofree const char **asset_ids = NULL;
  g_autofree PlateAsset **shot_plates = NULL;
  ReelExportShot * const *shots;
  gint64 start_frame = reel_export_context_get_start_frame (context);
  guint n_shots;
  guint next_id = 3;
  int width, height;
  const char *tc_format = (reel_export_context_get_timecode_flags (context)
                           & REEL_TIMECODE_DROP_FRAME) ? "DF" : "NDF";

  shots = reel_export_context_get_shots (context, &n_shots);
  asset_ids = g_new0 (const char *, n_shots + 1);
  shot_plates = g_new0 (PlateAsset *, n_shots + 1);

  g_string_append (out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE fcpxml>\n");
  g_string_append_printf (out, "<fcpxml version=\"%s\">\n",
                          reel_export_options_get_fcpxml_version (options));
  g_string_append (out, "  <resources>\n");

  /* r1: the sequence at the project rate; r2: stills, rate-undefined; then one format for
   * each rate and size of footage that differs from the sequence's. */
  reel_export_context_get_picture_size (context, &width, &height);
  g_string_append_printf (out, "    <format id=\"r1\" frameDuration=\"%s\" width=\"%d\" "
                          "height=\"%d\"/>\n", frame_duration, width, height);
  g_string_append_printf (out, "    <format id=\"r2\" name=\"FFVideoFormatRateUndefined\" "
                          "width=\"%u\" height=\"%d\"/>\n",
                          reel_export_options_get_panel_width (options),
                          reel_export_context_get_panel_height (
                            context, reel_export_options_get_panel_width (options)));

  /* Footage first: a missing plate stops the export before any panel is drawn. */
  if (!collect_plates (context, FALSE, out, plates, formats, &next_id, error)
      || !reel_export_context_write_media (context, 0.9, error)
      || !collect_plates (context, TRUE, out, plates, formats, &next_id, error))
    return FALSE;

  for (guint i = 0; i < n_shots; i++)
    {
      const ReelExportShot *item = shots[i];
      g_autofree char *uri = NULL;
      char *id;

      if (item->duration == 0)
        continue;

      if (item->plate_file != NULL || item->clip_file != NULL)
        {
          PlateAsset *plate;

          uri = g_file_get_uri (item->plate_file != NULL ? item->plate_file : item->clip_file);
          plate = g_hash_table_lookup (plates, uri);
          g_assert (plate != NULL);
          shot_plates[i] = plate;
          if (plate->asset_id == NULL)
            {
              plate->asset_id = g_strdup_printf ("r%u", next_id++);
              append_plate_asset (out, item, plate, uri);
            }
          asset_ids[i] = plate->asset_id;
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

          g_ptr_array_add (still_ids, id);
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
      PlateAsset *plate = shot_plates[i];
      const char *element = plate != NULL ? "asset-clip" : "video";
      gint64 clip_frames = item->duration;

      if (item->duration == 0)
        continue;

      /* A clip never runs past the end of its footage: a shot longer than its plate plays
       * the whole plate (in whole frames of the project that fit in the asset's own), then
       * a gap for the rest, so the cut keeps its length. */
      if (plate != NULL && plate->frames > 0)
        {
          gint64 plate_frames = convert_frames_down (plate->frames, plate->rate, rate);

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
      /* The clip counts its own timecode as its footage does. */
      if (plate != NULL)
        g_string_append_printf (out, " format=\"%s\" tcFormat=\"%s\"", plate->format_id,
                                reel_frame_rate_is_drop_frame (plate->rate) ? "DF" : "NDF");
      g_string_append (out, ">\n");
      /* Inside a clip, times are the clip's own: a plate's marker counts its frames. */
      append_note_and_marker (out, item, plate != NULL ? plate->rate : rate,
                              "              ");
      /* A plate is shared by shots: each clip of it says which shot it is. */
      if (plate != NULL)
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
             REEL_EXPORT_USES_FCPXML_VERSION | REEL_EXPORT_USES_PANEL_CLIPS,
  .output = REEL_EXPORT_OUTPUT_FILE,
  .writes_panels = TRUE,
  .write = reel_export_fcpxml_write,
};
