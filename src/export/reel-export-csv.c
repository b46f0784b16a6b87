/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-export-csv"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-export-context-private.h"
#include "reel-export-formats-private.h"
#include "reel-export-text-private.h"

/*
 * The CSV shot list: RFC 4180 (CRLF after every record, one width for every row, fields
 * quoted when they hold a comma, semicolon, tab, quote, CR or LF), UTF-8 with a byte-order
 * mark for spreadsheets (LibreOffice and Excel read a CSV as UTF-8 only with one) and without
 * for the trackers' presets (see reel_export_options_get_csv_bom()), a header row of stable
 * English names, the columns the user chose in the order chosen.
 */

#define UTF8_BOM "\xef\xbb\xbf"

/* Cut and frame ranges are inclusive and never run backwards: a shot of no frames is
 * 1001–1001, not 1001–1000. */
static gint64
cut_out (const ReelExportShot *item)
{
  return REEL_EXPORT_CUT_IN + MAX (item->duration, 1) - 1;
}

static char *
cell_for_column (ReelExportContext    *context,
                 const ReelExportShot *item,
                 const char           *column)
{
  ReelShot *shot = item->shot;
  ReelFrameRate rate = reel_export_context_get_frame_rate (context);

  if (g_str_equal (column, "shot-code"))
    return g_strdup (item->code);
  if (g_str_equal (column, "sequence"))
    return g_strdup (item->scene_code);
  if (g_str_equal (column, "scene"))
    return g_strdup (reel_scene_get_number (item->scene));
  if (g_str_equal (column, "scene-heading"))
    return g_strdup (reel_scene_get_heading (item->scene));
  if (g_str_equal (column, "shot"))
    return g_strdup (reel_shot_get_number (shot));
  /* Cut in and out are inclusive: 48 frames from 1001 are 1001–1048. */
  if (g_str_equal (column, "cut-in") || g_str_equal (column, "frame-in"))
    return g_strdup_printf ("%d", REEL_EXPORT_CUT_IN);
  if (g_str_equal (column, "cut-out") || g_str_equal (column, "frame-out"))
    return g_strdup_printf ("%" G_GINT64_FORMAT, cut_out (item));
  if (g_str_equal (column, "cut-duration") || g_str_equal (column, "duration-frames")
      || g_str_equal (column, "nb-frames"))
    return g_strdup_printf ("%" G_GINT64_FORMAT, item->duration);
  if (g_str_equal (column, "name"))
    return g_strdup (item->shot_code);
  if (g_str_equal (column, "fps"))
    return reel_frame_rate_to_string (rate);
  if (g_str_equal (column, "resolution"))
    {
      int width, height;

      reel_export_context_get_picture_size (context, &width, &height);
      return g_strdup_printf ("%dx%d", width, height);
    }
  if (g_str_equal (column, "timecode-in"))
    return reel_export_context_dup_record_timecode (context, item->start);
  if (g_str_equal (column, "timecode-out"))
    return reel_export_context_dup_record_timecode (context, item->start + item->duration);
  if (g_str_equal (column, "duration-seconds"))
    return reel_timecode_format_seconds (item->duration, rate);
  if (g_str_equal (column, "description"))
    return g_strdup (reel_shot_get_description (shot));
  if (g_str_equal (column, "dialogue"))
    return g_strdup (reel_shot_get_dialogue (shot));
  if (g_str_equal (column, "notes"))
    return g_strdup (reel_shot_get_notes (shot));
  if (g_str_equal (column, "cast"))
    return g_strdup (reel_shot_get_cast (shot));
  if (g_str_equal (column, "size"))
    return g_strdup (reel_export_vocab_label (REEL_VOCAB_SIZE, reel_shot_get_size (shot), TRUE));
  if (g_str_equal (column, "framing"))
    return g_strdup (reel_export_vocab_label (REEL_VOCAB_FRAMING, reel_shot_get_framing (shot),
                                              FALSE));
  if (g_str_equal (column, "angle"))
    return g_strdup (reel_export_vocab_label (REEL_VOCAB_ANGLE, reel_shot_get_angle (shot),
                                              FALSE));
  if (g_str_equal (column, "movement"))
    return g_strdup (reel_export_vocab_label (REEL_VOCAB_MOVEMENT, reel_shot_get_movement (shot),
                                              FALSE));
  if (g_str_equal (column, "lens"))
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.4g",
                                        reel_shot_get_lens_mm (shot)));
    }
  if (g_str_equal (column, "camera-height"))
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.2f",
                                        reel_shot_get_camera_height_m (shot)));
    }
  if (g_str_equal (column, "status"))
    return g_strdup (reel_export_vocab_label (REEL_VOCAB_STATUS, reel_shot_get_status (shot),
                                              FALSE));
  if (g_str_equal (column, "vfx-notes"))
    return g_strdup (reel_shot_get_vfx_notes (shot));
  if (g_str_equal (column, "plate"))
    return item->plate_file != NULL ? g_file_get_path (item->plate_file) : g_strdup ("");
  if (g_str_equal (column, "ai-generated"))
    return g_strdup (reel_generation_record_is_model_made (item->generation) ? "yes" : "no");
  if (g_str_equal (column, "ai-provider"))
    return g_strdup (reel_generation_record_is_model_made (item->generation)
                     && item->generation->provider != NULL
                     ? item->generation->provider : "");
  if (g_str_equal (column, "ai-model"))
    return g_strdup (reel_generation_record_is_model_made (item->generation)
                     && item->generation->model != NULL
                     ? item->generation->model : "");

  g_return_val_if_reached (g_strdup (""));
}

static gboolean
reel_export_csv_write (ReelExportContext  *context,
                       GError            **error)
{
  ReelExportOptions *options = reel_export_context_get_options (context);
  const char * const *columns = reel_export_options_get_csv_columns (options);
  g_autoptr(GString) row = g_string_new (NULL);
  ReelExportShot * const *shots;
  guint n_shots;

  shots = reel_export_context_get_shots (context, &n_shots);

  if (reel_export_options_get_csv_bom (options))
    g_string_append (row, UTF8_BOM);

  for (guint c = 0; columns[c] != NULL; c++)
    {
      const ReelExportColumn *column = reel_export_lookup_csv_column (columns[c]);

      if (c > 0)
        g_string_append_c (row, ',');
      reel_export_csv_append_field (row, column->header, FALSE);
    }
  g_string_append (row, "\r\n");

  for (guint i = 0; i < n_shots; i++)
    {
      if (!reel_export_context_check_cancelled (context, error))
        return FALSE;

      for (guint c = 0; columns[c] != NULL; c++)
        {
          const ReelExportColumn *column = reel_export_lookup_csv_column (columns[c]);
          g_autofree char *cell = cell_for_column (context, shots[i], column->id);

          if (c > 0)
            g_string_append_c (row, ',');
          reel_export_csv_append_field (row, cell, column->text);
        }
      g_string_append (row, "\r\n");

      /* Written in pieces so that 10,000 shots never sit in memory twice. */
      if (row->len > 64 * 1024)
        {
          if (!reel_export_context_write (context, row->str, row->len, error))
            return FALSE;
          g_string_truncate (row, 0);
        }

      reel_export_context_progress (context, (double) (i + 1) / n_shots);
    }

  return reel_export_context_write (context, row->str, row->len, error);
}

const ReelExportFormat reel_export_format_csv = {
  .id = "csv",
  .name = N_("CSV Shot List"),
  .extension = "csv",
  .mime_type = "text/csv",
  .options = REEL_EXPORT_USES_SCOPE | REEL_EXPORT_USES_CSV_COLUMNS,
  .output = REEL_EXPORT_OUTPUT_FILE,
  .writes_panels = FALSE,
  .write = reel_export_csv_write,
};
