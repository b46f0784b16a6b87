/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "../reel-test-require.h"
#include "csv-reader.h"
#include "export-test-util.h"
#include "storage/reel-demo.h"

/* The CSV shot list, read back by a strict RFC 4180 reader and by LibreOffice. */

static GPtrArray *
export_and_read (ReelProject       *project,
                 ReelExportOptions *options,
                 const char        *name,
                 char             **out_text)
{
  g_autoptr(GFile) folder = export_test_make_folder (name);
  g_autoptr(GFile) output = g_file_get_child (folder, "shots.csv");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;
  GPtrArray *records;

  export_test_run ("csv", project, options, output, &error);
  g_assert_no_error (error);
  export_test_assert_no_temporaries (folder);

  text = export_test_read_text (output);
  /* LibreOffice and Excel need the byte-order mark to read UTF-8; the tracker presets turn
   * it off. Exactly one, at the very start, and nowhere else. */
  if (options == NULL || reel_export_options_get_csv_bom (options))
    {
      g_assert_true (g_str_has_prefix (text, "\xef\xbb\xbf"));
      memmove (text, text + 3, strlen (text + 3) + 1);
    }
  g_assert_null (strstr (text, "\xef\xbb\xbf"));
  records = csv_read_strict (text, strlen (text), FALSE, &message);
  if (records == NULL)
    g_error ("%s is not strict RFC 4180: %s", name, message);

  if (out_text != NULL)
    *out_text = g_steal_pointer (&text);
  return records;
}

static int
column_index (GStrv        header,
              const char  *name)
{
  for (guint i = 0; header[i] != NULL; i++)
    if (g_str_equal (header[i], name))
      return i;

  g_error ("no column %s", name);
  return -1;
}

static const char *
cell (GPtrArray  *records,
      guint       row,
      const char *column)
{
  GStrv header = g_ptr_array_index (records, 0);
  GStrv record = g_ptr_array_index (records, row + 1);

  return record[column_index (header, column)];
}

/* Whether a spreadsheet would run @value: = + - @ after any leading spaces, or TAB or CR
 * first. */
static gboolean
is_formula_like (const char *value)
{
  const char *p = value;

  if (*p == '\t' || *p == '\r')
    return TRUE;
  while (*p == ' ' || *p == '\n')
    p++;
  return *p != '\0' && strchr ("=+-@", *p) != NULL;
}

/* What a text cell must look like: as typed, or with an apostrophe in front when a
 * spreadsheet would run it as a formula. */
static char *
expected_text (const char *value)
{
  if (is_formula_like (value))
    return g_strconcat ("'", value, NULL);
  return g_strdup (value);
}

/* Independent of the exporter: non-drop timecode counting 24 frames a second at 23.976. */
static char *
timecode_at (gint64 frames,
             int    nominal)
{
  return g_strdup_printf ("%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT
                          ":%02" G_GINT64_FORMAT,
                          frames / (nominal * 3600), frames / (nominal * 60) % 60,
                          frames / nominal % 60, frames % nominal);
}

static void
test_csv_awkward (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *text = NULL;
  const char * const *columns = reel_export_get_default_csv_columns ();
  GStrv header;
  gint64 start = 24 * 3600;

  records = export_and_read (project, NULL, "csv-awkward", &text);

  /* A header and one record per shot (after the BOM), CRLF everywhere. */
  g_assert_cmpuint (records->len, ==, shots->len + 1);
  g_assert_true (g_str_has_suffix (text, "\r\n"));
  header = g_ptr_array_index (records, 0);
  g_assert_cmpuint (g_strv_length (header), ==, g_strv_length ((char **) columns));
  for (guint i = 0; columns[i] != NULL; i++)
    g_assert_cmpstr (header[i], ==, reel_export_lookup_csv_column (columns[i])->header);

  for (guint i = 0; i < shots->len; i++)
    {
      ReelShot *shot = g_ptr_array_index (shots, i);
      g_autofree char *description = expected_text (reel_shot_get_description (shot));
      g_autofree char *dialogue = expected_text (reel_shot_get_dialogue (shot));
      g_autofree char *notes = expected_text (reel_shot_get_notes (shot));
      g_autofree char *duration = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                   reel_shot_get_duration (shot));
      g_autofree char *tc_in = timecode_at (start, 24);
      g_autofree char *tc_out = timecode_at (start + reel_shot_get_duration (shot), 24);

      g_assert_cmpstr (cell (records, i, "Shot"), ==, reel_shot_get_number (shot));
      g_assert_cmpstr (cell (records, i, "Scene"), ==,
                       reel_scene_get_number (reel_shot_get_scene (shot)));
      g_assert_cmpstr (cell (records, i, "Scene Heading"), ==,
                       reel_scene_get_heading (reel_shot_get_scene (shot)));
      g_assert_cmpstr (cell (records, i, "Description"), ==, description);
      g_assert_cmpstr (cell (records, i, "Dialogue"), ==, dialogue);
      g_assert_cmpstr (cell (records, i, "Notes"), ==, notes);
      g_assert_cmpstr (cell (records, i, "Duration (frames)"), ==, duration);
      g_assert_cmpstr (cell (records, i, "Timecode In"), ==, tc_in);
      g_assert_cmpstr (cell (records, i, "Timecode Out"), ==, tc_out);
      start += reel_shot_get_duration (shot);
    }

  /* Texts that must survive exactly. */
  g_assert_cmpstr (cell (records, 0, "Description"), ==, AWKWARD_QUOTES);
  g_assert_cmpstr (cell (records, 0, "Dialogue"), ==, AWKWARD_KOREAN);
  g_assert_cmpstr (cell (records, 0, "Scene Heading"), ==, "EXT. " AWKWARD_LOCATION " - DAWN");
  g_assert_cmpstr (cell (records, 2, "Description"), ==, AWKWARD_EMOJI);
  g_assert_cmpstr (cell (records, 0, "Size"), ==, "MCU");
  g_assert_cmpstr (cell (records, 0, "Lens (mm)"), ==, "50");
  /* The model keeps at least one frame; the ten-hour shot ends at 11:00:00:00 and more. */
  g_assert_cmpstr (cell (records, 1, "Duration (frames)"), ==, "1");
  g_assert_cmpstr (cell (records, 2, "Duration (frames)"), ==, "863137");

  /* AI provenance: only 2B's background was generated. */
  for (guint i = 0; i < shots->len; i++)
    {
      gboolean generated = i == 4;

      g_assert_cmpstr (cell (records, i, "AI Generated"), ==, generated ? "yes" : "no");
      g_assert_cmpstr (cell (records, i, "AI Provider"), ==, generated ? AWKWARD_PROVIDER : "");
      g_assert_cmpstr (cell (records, i, "AI Model"), ==, generated ? AWKWARD_MODEL : "");
    }
}

static void
test_csv_formula_injection (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) records = export_and_read (project, NULL, "csv-formula", NULL);

  /* Each dangerous cell starts with an apostrophe; the rest of the text is intact. */
  g_assert_cmpstr (cell (records, 1, "Description"), ==, "'" AWKWARD_FORMULA);
  g_assert_cmpstr (cell (records, 1, "Dialogue"), ==, "'" AWKWARD_PLUS);
  g_assert_cmpstr (cell (records, 1, "Notes"), ==, "'" AWKWARD_AT);
  g_assert_cmpstr (cell (records, 3, "Description"), ==, "'" AWKWARD_DASH);
  /* Numbers are not text and keep their sign-free form; plain text is untouched. */
  g_assert_cmpstr (cell (records, 0, "Description"), ==, AWKWARD_QUOTES);

  for (guint r = 1; r < records->len; r++)
    {
      GStrv record = g_ptr_array_index (records, r);

      for (guint c = 0; record[c] != NULL; c++)
        if (is_formula_like (record[c]))
          g_error ("cell “%s” would run as a formula", record[c]);
    }
}

static void
test_csv_formula_after_spaces (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(GPtrArray) records = NULL;

  /* Spreadsheets trim leading spaces before they look for a formula. */
  reel_shot_set_description (g_ptr_array_index (shots, 0), "   =1+1");
  reel_shot_set_dialogue (g_ptr_array_index (shots, 0), " @SUM(A1:A9)");
  reel_shot_set_notes (g_ptr_array_index (shots, 0), "  keep me  ");
  records = export_and_read (project, NULL, "csv-formula-spaces", NULL);

  g_assert_cmpstr (cell (records, 0, "Description"), ==, "'   =1+1");
  g_assert_cmpstr (cell (records, 0, "Dialogue"), ==, "' @SUM(A1:A9)");
  g_assert_cmpstr (cell (records, 0, "Notes"), ==, "  keep me  ");
}

static void
test_csv_bom (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GPtrArray) with_bom = NULL;
  g_autoptr(GPtrArray) without = NULL;
  g_autofree char *text = NULL;

  /* On by default, for spreadsheets; export_and_read() checks it is there exactly once. */
  g_assert_true (reel_export_options_get_csv_bom (options));
  with_bom = export_and_read (project, options, "csv-bom-on", NULL);

  reel_export_options_set_csv_bom (options, FALSE);
  without = export_and_read (project, options, "csv-bom-off", &text);
  g_assert_true (g_str_has_prefix (text, "Scene,Shot,"));

  /* The same records either way. */
  g_assert_cmpuint (with_bom->len, ==, without->len);
  for (guint r = 0; r < with_bom->len; r++)
    g_assert_true (g_strv_equal ((const char * const *) g_ptr_array_index (with_bom, r),
                                 (const char * const *) g_ptr_array_index (without, r)));

  /* Unless set, the mark follows the columns: off for exactly a tracker's preset, whose
   * importer would read it as part of the first header; on for any other choice. */
  reel_export_options_unset_csv_bom (options);
  g_assert_true (reel_export_options_get_csv_bom (options));
  g_assert_true (reel_export_options_set_csv_columns (options,
                                                      reel_export_get_shotgrid_csv_columns (),
                                                      NULL));
  g_assert_false (reel_export_options_get_csv_bom (options));
  g_assert_true (reel_export_options_set_csv_columns (options,
                                                      reel_export_get_kitsu_csv_columns (),
                                                      NULL));
  g_assert_false (reel_export_options_get_csv_bom (options));
  {
    const char *picked[] = { "name", "description", NULL };

    g_assert_true (reel_export_options_set_csv_columns (options, picked, NULL));
    g_assert_true (reel_export_options_get_csv_bom (options));
  }
  /* Set, it holds whatever the columns. */
  reel_export_options_set_csv_bom (options, TRUE);
  g_assert_true (reel_export_options_set_csv_columns (options,
                                                      reel_export_get_kitsu_csv_columns (),
                                                      NULL));
  g_assert_true (reel_export_options_get_csv_bom (options));
  {
    g_autoptr(ReelExportOptions) copy = reel_export_options_copy (options);

    g_assert_true (reel_export_options_get_csv_bom (copy));
  }
}

/* Kitsu's shot import, by the rules of its documentation: the header names it maps, Name
 * required, UTF-8, Nb Frames the length of Frame In–Frame Out. */
static void
test_csv_kitsu (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *text = NULL;

  g_assert_true (reel_export_options_set_csv_columns (options,
                                                      reel_export_get_kitsu_csv_columns (),
                                                      NULL));
  records = export_and_read (project, options, "csv-kitsu", &text);

  g_assert_true (g_str_has_prefix (text, "Sequence,Name,Description,Nb Frames,Frame In,"
                                   "Frame Out,FPS,Resolution\r\n"));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpuint (records->len, ==, shots->len + 1);

  for (guint i = 0; i < shots->len; i++)
    {
      ReelShot *shot = g_ptr_array_index (shots, i);
      const char *sequence = cell (records, i, "Sequence");
      const char *name = cell (records, i, "Name");
      gint64 frame_in = g_ascii_strtoll (cell (records, i, "Frame In"), NULL, 10);
      gint64 frame_out = g_ascii_strtoll (cell (records, i, "Frame Out"), NULL, 10);
      gint64 frames = g_ascii_strtoll (cell (records, i, "Nb Frames"), NULL, 10);
      g_autofree char *key = g_strconcat (sequence, "/", name, NULL);
      g_autofree char *description = expected_text (reel_shot_get_description (shot));

      /* A shot is found by sequence and name: both there, the pair unique. */
      g_assert_cmpstr (name, !=, "");
      g_assert_cmpstr (sequence, !=, "");
      g_assert_true (g_hash_table_add (names, g_steal_pointer (&key)));
      g_assert_cmpint (frames, ==, reel_shot_get_duration (shot));
      g_assert_cmpint (frame_in, ==, 1001);
      g_assert_cmpint (frame_out - frame_in + 1, ==, frames);
      g_assert_cmpstr (cell (records, i, "FPS"), ==, "23.976");
      /* 2.39:1 on a 1920-pixel line. */
      g_assert_cmpstr (cell (records, i, "Resolution"), ==, "1920x804");
      g_assert_cmpstr (cell (records, i, "Description"), ==, description);
    }
  g_assert_cmpstr (cell (records, 0, "Sequence"), ==, "SC1");
  g_assert_cmpstr (cell (records, 0, "Name"), ==, "SH1A");
  g_assert_cmpstr (cell (records, 4, "Name"), ==, "SH2B");
  /* The shortest shot: one frame, in and out on the same frame, never out before in. */
  g_assert_cmpstr (cell (records, 1, "Nb Frames"), ==, "1");
  g_assert_cmpstr (cell (records, 1, "Frame In"), ==, "1001");
  g_assert_cmpstr (cell (records, 1, "Frame Out"), ==, "1001");
}

static void
test_csv_shotgrid (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *text = NULL;
  GStrv header;

  g_assert_true (reel_export_options_set_csv_columns (options,
                                                      reel_export_get_shotgrid_csv_columns (),
                                                      NULL));
  records = export_and_read (project, options, "csv-shotgrid", &text);

  g_assert_true (g_str_has_prefix (text, "Shot Code,Sequence,Cut In,Cut Out,Cut Duration,"
                                   "Description\r\n"));
  header = g_ptr_array_index (records, 0);
  g_assert_cmpuint (g_strv_length (header), ==, 6);

  for (guint i = 0; i < shots->len; i++)
    {
      ReelShot *shot = g_ptr_array_index (shots, i);
      gint64 duration = reel_shot_get_duration (shot);
      g_autofree char *out = g_strdup_printf ("%" G_GINT64_FORMAT, 1001 + duration - 1);
      g_autofree char *length = g_strdup_printf ("%" G_GINT64_FORMAT, duration);

      /* Inclusive frames from 1001: 48 frames are 1001–1048. */
      g_assert_cmpstr (cell (records, i, "Cut In"), ==, "1001");
      g_assert_cmpstr (cell (records, i, "Cut Out"), ==, out);
      g_assert_cmpstr (cell (records, i, "Cut Duration"), ==, length);
      g_assert_cmpint (g_ascii_strtoll (cell (records, i, "Cut Out"), NULL, 10)
                       - g_ascii_strtoll (cell (records, i, "Cut In"), NULL, 10) + 1, ==, duration);
    }
  g_assert_cmpstr (cell (records, 0, "Cut Out"), ==, "1048");
  /* One frame: out on the in frame, never before it. */
  g_assert_cmpstr (cell (records, 1, "Cut In"), ==, "1001");
  g_assert_cmpstr (cell (records, 1, "Cut Out"), ==, "1001");
  g_assert_cmpstr (cell (records, 0, "Shot Code"), ==, "SC1_SH1A");
  g_assert_cmpstr (cell (records, 0, "Sequence"), ==, "SC1");
  g_assert_cmpstr (cell (records, 4, "Shot Code"), ==, "SC2_SH2B");
}

static void
test_csv_column_order (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  const char *columns[] = { "ai-model", "shot", "ai-generated", "duration-seconds", NULL };
  const char *bad[] = { "shot", "colour", NULL };
  const char *none[] = { NULL };
  GStrv header, row;

  g_assert_false (reel_export_options_set_csv_columns (options, bad, &error));
  g_assert_error (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_INVALID_OPTION);
  g_assert_nonnull (strstr (error->message, "colour"));
  g_clear_error (&error);
  g_assert_false (reel_export_options_set_csv_columns (options, none, &error));
  g_assert_error (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_INVALID_OPTION);
  g_clear_error (&error);

  g_assert_true (reel_export_options_set_csv_columns (options, columns, NULL));
  records = export_and_read (project, options, "csv-order", NULL);

  header = g_ptr_array_index (records, 0);
  g_assert_cmpuint (g_strv_length (header), ==, 4);
  g_assert_cmpstr (header[0], ==, "AI Model");
  g_assert_cmpstr (header[1], ==, "Shot");
  g_assert_cmpstr (header[2], ==, "AI Generated");
  g_assert_cmpstr (header[3], ==, "Duration (s)");
  row = g_ptr_array_index (records, 5);
  g_assert_cmpstr (row[0], ==, AWKWARD_MODEL);
  g_assert_cmpstr (row[1], ==, "2B");
  g_assert_cmpstr (row[2], ==, "yes");
  /* 72 frames at 23.976 are 3.003 s. */
  g_assert_cmpstr (row[3], ==, "3.00");
}

/* A gray-box render of the set is no AI model's work: the shot says "no" and names no
 * provider, while the shot with a generated background still says "yes". */
static void
test_csv_greybox (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GPtrArray) records = NULL;
  const char *columns[] = { "shot", "ai-generated", "ai-provider", "ai-model", NULL };

  export_test_use_greybox_background (project, g_ptr_array_index (shots, 3), NULL);
  g_assert_true (reel_export_options_set_csv_columns (options, columns, NULL));
  records = export_and_read (project, options, "csv-greybox", NULL);

  g_assert_cmpstr (cell (records, 3, "Shot"), ==, "2A");
  g_assert_cmpstr (cell (records, 3, "AI Generated"), ==, "no");
  g_assert_cmpstr (cell (records, 3, "AI Provider"), ==, "");
  g_assert_cmpstr (cell (records, 3, "AI Model"), ==, "");
  g_assert_cmpstr (cell (records, 4, "Shot"), ==, "2B");
  g_assert_cmpstr (cell (records, 4, "AI Generated"), ==, "yes");
  g_assert_cmpstr (cell (records, 4, "AI Provider"), ==, AWKWARD_PROVIDER);
  g_assert_cmpstr (cell (records, 4, "AI Model"), ==, AWKWARD_MODEL);
}

static void
test_csv_scene_scope (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GPtrArray) records = NULL;

  reel_export_options_set_scope (options, REEL_EXPORT_SCOPE_SCENE);
  reel_export_options_set_scene (options, reel_project_get_scene (project, 1));
  records = export_and_read (project, options, "csv-scene", NULL);

  g_assert_cmpuint (records->len, ==, 4);
  g_assert_cmpstr (cell (records, 0, "Shot"), ==, "2A");
  g_assert_cmpstr (cell (records, 2, "Shot"), ==, "2C");
  /* The timeline of a scene export starts at 01:00:00:00 too. */
  g_assert_cmpstr (cell (records, 0, "Timecode In"), ==, "01:00:00:00");
}

/* 29.97: timecodes in drop-frame, the first shot a minute long, so the second starts at
 * 01:01:00;02 (frame numbers 0 and 1 of minute 61 do not exist). */
static void
test_csv_drop_frame (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(GPtrArray) records = NULL;

  reel_project_set_frame_rate (project, REEL_FRAME_RATE_INIT (30000, 1001));
  reel_shot_set_duration (g_ptr_array_index (shots, 0), 1800);
  records = export_and_read (project, NULL, "csv-drop-frame", NULL);

  g_assert_cmpstr (cell (records, 0, "Timecode In"), ==, "01:00:00;00");
  g_assert_cmpstr (cell (records, 0, "Timecode Out"), ==, "01:01:00;02");
  g_assert_cmpstr (cell (records, 1, "Timecode In"), ==, "01:01:00;02");
  g_assert_cmpstr (cell (records, 1, "Timecode Out"), ==, "01:01:00;03");
}

static void
test_csv_demo (void)
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(GPtrArray) records = export_and_read (project, NULL, "csv-demo", NULL);
  gint64 start = 24 * 3600;

  g_assert_cmpuint (records->len, ==, shots->len + 1);
  for (guint i = 0; i < shots->len; i++)
    {
      ReelShot *shot = g_ptr_array_index (shots, i);
      g_autofree char *description = expected_text (reel_shot_get_description (shot));
      g_autofree char *dialogue = expected_text (reel_shot_get_dialogue (shot));
      g_autofree char *tc_in = timecode_at (start, 24);

      g_assert_cmpstr (cell (records, i, "Shot"), ==, reel_shot_get_number (shot));
      g_assert_cmpstr (cell (records, i, "Description"), ==, description);
      g_assert_cmpstr (cell (records, i, "Dialogue"), ==, dialogue);
      g_assert_cmpstr (cell (records, i, "Timecode In"), ==, tc_in);
      start += reel_shot_get_duration (shot);
    }
}

/* LibreOffice */

static char *
convert_with_libreoffice (GFile      *input,
                          const char *target,
                          const char *filter_options,
                          GFile      *folder)
{
  g_autofree char *profile = NULL;
  g_autofree char *profile_uri = NULL;
  g_autofree char *input_path = g_file_get_path (input);
  g_autofree char *folder_path = g_file_get_path (folder);
  g_autofree char *infilter = filter_options != NULL
                              ? g_strdup_printf ("--infilter=CSV:%s", filter_options)
                              : g_strdup ("--headless");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GFile) profile_folder = export_test_make_folder ("libreoffice-profile");
  /* A desktop's UTF-8 locale, whatever the test runs under: LibreOffice takes the character
   * set it falls back on from it. */
  const char *argv[] = {
    "env", "-u", "LC_ALL", "-u", "LC_CTYPE", "LANG=C.UTF-8",
    "soffice", NULL, "--headless", "--norestore", NULL, "--convert-to", target,
    "--outdir", folder_path, input_path, NULL
  };
  int status;

  profile_uri = g_file_get_uri (profile_folder);
  profile = g_strdup_printf ("-env:UserInstallation=%s", profile_uri);
  argv[7] = profile;
  argv[10] = infilter;

  status = export_test_spawn (argv, &out, &err);
  if (status != 0)
    g_error ("soffice failed (%d): %s %s", status, out, err);

  return g_strdup (out);
}

static GPtrArray *
round_trip (GFile      *csv,
            const char *import_options,
            const char *name)
{
  g_autoptr(GFile) xlsx_folder = export_test_make_folder (name);
  g_autofree char *back_name = g_strconcat (name, "-back", NULL);
  g_autoptr(GFile) back_folder = export_test_make_folder (back_name);
  g_autoptr(GFile) xlsx = g_file_get_child (xlsx_folder, "shots.xlsx");
  g_autoptr(GFile) back = g_file_get_child (back_folder, "shots.csv");
  g_autofree char *log1 = NULL;
  g_autofree char *log2 = NULL;
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;
  GPtrArray *records;

  log1 = convert_with_libreoffice (csv, "xlsx", import_options, xlsx_folder);
  g_assert_true (g_file_query_exists (xlsx, NULL));
  /* UTF-8, every text cell quoted, line breaks in cells kept. */
  log2 = convert_with_libreoffice (xlsx, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true,true",
                                   NULL, back_folder);
  g_assert_true (g_file_query_exists (back, NULL));

  text = export_test_read_text (back);
  records = csv_read_strict (text, strlen (text), TRUE, &message);
  if (records == NULL)
    g_error ("LibreOffice's CSV does not parse: %s", message);
  return records;
}

static void
test_csv_libreoffice (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("csv-libreoffice");
  g_autoptr(GFile) output = g_file_get_child (folder, "shots.csv");
  g_autoptr(GPtrArray) ours = NULL;
  g_autoptr(GPtrArray) as_text = NULL;
  g_autoptr(GPtrArray) evaluated = NULL;
  g_autoptr(GString) text_columns = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *import_as_text = NULL;
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;
  guint n_columns;

  if (!export_test_have_program ("soffice"))
    return;

  /* Every column, so that every kind of cell makes the trip. */
  {
    const ReelExportColumn *all = reel_export_get_csv_columns (&n_columns);
    g_autoptr(GPtrArray) ids = g_ptr_array_new ();

    for (guint i = 0; i < n_columns; i++)
      g_ptr_array_add (ids, (gpointer) all[i].id);
    g_ptr_array_add (ids, NULL);
    g_assert_true (reel_export_options_set_csv_columns (options,
                                                        (const char * const *) ids->pdata,
                                                        NULL));
  }

  export_test_run ("csv", project, options, output, &error);
  g_assert_no_error (error);
  text = export_test_read_text (output);
  g_assert_true (g_str_has_prefix (text, "\xef\xbb\xbf"));
  ours = csv_read_strict (text + 3, strlen (text + 3), FALSE, &message);
  g_assert_nonnull (ours);

  /* 1. Columns imported as text: every cell must come back byte for byte. */
  for (guint i = 0; i < n_columns; i++)
    g_string_append_printf (text_columns, "%s%u/2", i > 0 ? "/" : "", i + 1);
  import_as_text = g_strdup_printf ("44,34,76,1,%s,1033,false,false", text_columns->str);
  as_text = round_trip (output, import_as_text, "lo-text");
  g_assert_cmpuint (as_text->len, ==, ours->len);
  for (guint r = 0; r < ours->len; r++)
    {
      GStrv a = g_ptr_array_index (ours, r);
      GStrv b = g_ptr_array_index (as_text, r);

      g_assert_cmpuint (g_strv_length (b), ==, g_strv_length (a));
      for (guint c = 0; a[c] != NULL; c++)
        g_assert_cmpstr (b[c], ==, a[c]);
    }

  /* 2. The dangerous import: types guessed and formulas evaluated. The neutralised cells
   * must still be the same text, not the result of a formula. */
  evaluated = round_trip (output, "44,34,76,1,,1033,false,false,false,false,false,-1,true",
                          "lo-formulas");
  g_assert_cmpuint (evaluated->len, ==, ours->len);
  for (guint r = 1; r < ours->len; r++)
    {
      GStrv a = g_ptr_array_index (ours, r);
      GStrv b = g_ptr_array_index (evaluated, r);

      for (guint c = 0; a[c] != NULL; c++)
        if (a[c][0] == '\'')
          g_assert_cmpstr (b[c], ==, a[c]);
    }
  g_assert_cmpstr (((GStrv) g_ptr_array_index (evaluated, 2))[column_index (
                     g_ptr_array_index (ours, 0), "Description")], ==, "'" AWKWARD_FORMULA);
}

/* LibreOffice's CSV import with the character set left to it (separator and quote given),
 * under a UTF-8 desktop locale: the byte-order mark is taken as the UTF-8 mark it is, not as
 * "ï»¿" in the first header, and "Bird’s Eye" stays "Bird’s Eye".
 *
 * What a user gets is the Text Import dialog of a desktop LibreOffice: with the mark it
 * always preselects UTF-8; without it, the character set last used, else the system's.
 * (Checked by hand on LibreOffice 7.4.7 under Xvfb, fresh profile, C.UTF-8 and C locales.)
 * Headless conversion with no filter options is a different path, fixed to Windows-1252 in
 * LibreOffice 7.4 whatever the file or locale says, so it cannot stand in for the dialog;
 * the desktop packages are too big for CI. */
static void
test_csv_libreoffice_bom (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(GFile) folder = export_test_make_folder ("csv-libreoffice-default");
  g_autoptr(GFile) output = g_file_get_child (folder, "shots.csv");
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;
  GStrv header, first;

  if (!reel_test_require_program ("soffice"))
    return;

  reel_shot_set_angle (g_ptr_array_index (shots, 0), "birds_eye");
  /* Separators the dialog also splits at by default, inside a cell. */
  reel_shot_set_description (g_ptr_array_index (shots, 0),
                             "Boats at their moorings; gulls\tabove the breakwater.");
  export_test_run ("csv", project, NULL, output, &error);
  g_assert_no_error (error);

  /* The separators a fresh Text Import dialog ticks: tab, comma and semicolon. */
  back = round_trip (output, "9/44/59,34", "lo-bom");
  header = g_ptr_array_index (back, 0);
  first = g_ptr_array_index (back, 1);
  /* The header's first cell has no stray mark in front of it. */
  g_assert_cmpstr (header[0], ==, "Scene");
  g_assert_cmpstr (first[column_index (header, "Angle")], ==, "Bird’s Eye");
  g_assert_cmpstr (first[column_index (header, "Dialogue")], ==, AWKWARD_KOREAN);
  g_assert_cmpstr (first[column_index (header, "Description")], ==,
                   "Boats at their moorings; gulls\tabove the breakwater.");
  /* No row split into more columns than the header has. */
  for (guint r = 1; r < back->len; r++)
    g_assert_cmpuint (g_strv_length (g_ptr_array_index (back, r)), ==, g_strv_length (header));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/csv/awkward", test_csv_awkward);
  g_test_add_func ("/export/csv/formula-injection", test_csv_formula_injection);
  g_test_add_func ("/export/csv/formula-after-spaces", test_csv_formula_after_spaces);
  g_test_add_func ("/export/csv/bom", test_csv_bom);
  g_test_add_func ("/export/csv/shotgrid", test_csv_shotgrid);
  g_test_add_func ("/export/csv/kitsu", test_csv_kitsu);
  g_test_add_func ("/export/csv/column-order", test_csv_column_order);
  g_test_add_func ("/export/csv/greybox", test_csv_greybox);
  g_test_add_func ("/export/csv/scene-scope", test_csv_scene_scope);
  g_test_add_func ("/export/csv/drop-frame", test_csv_drop_frame);
  g_test_add_func ("/export/csv/demo", test_csv_demo);
  g_test_add_func ("/export/csv/libreoffice", test_csv_libreoffice);
  g_test_add_func ("/export/csv/libreoffice-bom", test_csv_libreoffice_bom);

  return export_test_finish (g_test_run ());
}
