/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "csv-reader.h"
#include "export-test-util.h"

/*
 * What every format shares: the scope, the private copy of the project, progress,
 * cancellation and failures that leave nothing half-written and say why.
 */

typedef struct
{
  gboolean done;
  GError *error;
  GCancellable *cancel_on_progress;
  GArray *fractions;
} Run;

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  Run *run = user_data;

  g_array_append_val (run->fractions, fraction);
  if (run->cancel_on_progress != NULL)
    g_cancellable_cancel (run->cancel_on_progress);
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  g_assert_false (run->done);
  reel_export_finish (result, &run->error);
  run->done = TRUE;
}

static void
wait_for (Run *run)
{
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_cancel_before_start (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("cancel-before");
  g_autoptr(GFile) output = g_file_get_child (folder, "cut.otio");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(GStrv) names = NULL;
  Run run = { 0 };

  g_cancellable_cancel (cancellable);
  reel_export_async (reel_export_lookup_format ("otio"), project, NULL, options, output,
                     cancellable, NULL, NULL, NULL, done_cb, &run);
  wait_for (&run);

  g_assert_error (run.error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_CANCELLED);
  g_clear_error (&run.error);
  names = export_test_list_folder (folder);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
}

static void
test_cancel_midway_keeps_old_file (void)
{
  g_autoptr(ReelProject) project = export_test_new_large_project (10, 30);
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("cancel-midway");
  g_autoptr(GFile) output = g_file_get_child (folder, "board.pdf");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) names = NULL;
  Run run = { 0 };

  /* Last week's board: a cancelled export must not touch it. */
  g_file_replace_contents (output, "old board", 9, NULL, FALSE, 0, NULL, NULL, &error);
  g_assert_no_error (error);

  run.fractions = g_array_new (FALSE, FALSE, sizeof (double));
  run.cancel_on_progress = cancellable;
  reel_export_async (reel_export_lookup_format ("pdf"), project, NULL, options, output,
                     cancellable, progress_cb, &run, NULL, done_cb, &run);
  wait_for (&run);

  g_assert_error (run.error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_CANCELLED);
  g_assert_nonnull (strstr (run.error->message, "cancelled"));
  g_clear_error (&run.error);
  g_assert_cmpuint (run.fractions->len, >=, 1);
  g_array_unref (run.fractions);

  contents = export_test_read_text (output);
  g_assert_cmpstr (contents, ==, "old board");
  names = export_test_list_folder (folder);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
}

static void
test_cancel_panels (void)
{
  g_autoptr(ReelProject) project = export_test_new_large_project (2, 40);
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("cancel-panels");
  g_autoptr(GFile) output = g_file_get_child (folder, "cut.fcpxml");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(GStrv) names = NULL;
  Run run = { 0 };

  run.fractions = g_array_new (FALSE, FALSE, sizeof (double));
  run.cancel_on_progress = cancellable;
  reel_export_async (reel_export_lookup_format ("fcpxml"), project, NULL, options, output,
                     cancellable, progress_cb, &run, NULL, done_cb, &run);
  wait_for (&run);

  g_assert_error (run.error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_CANCELLED);
  g_clear_error (&run.error);
  g_array_unref (run.fractions);

  /* Neither the file, nor the panels folder, nor any temporary. */
  names = export_test_list_folder (folder);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
}

static void
test_write_error (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GFile) folder = export_test_make_folder ("write-error");
  g_autoptr(GFile) missing = g_file_get_child (folder, "no such folder");
  g_autoptr(GFile) output = g_file_get_child (missing, "shots.csv");
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (output);

  g_assert_false (export_test_run ("csv", project, NULL, output, &error));
  g_assert_error (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_WRITE);
  /* The message names the file the user chose. */
  g_assert_nonnull (strstr (error->message, name));
  g_assert_false (g_file_query_exists (missing, NULL));
}

static void
test_panels_folder_blocked (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GFile) folder = export_test_make_folder ("panels-blocked");
  g_autoptr(GFile) output = g_file_get_child (folder, "cut.otio");
  g_autoptr(GFile) blocker = g_file_get_child (folder, "cut_panels");
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) names = NULL;

  /* A file where the panels folder should go: the export fails late, after writing
   * everything, and must still leave nothing of its own behind. */
  g_file_replace_contents (blocker, "x", 1, NULL, FALSE, 0, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_false (export_test_run ("otio", project, NULL, output, &error));
  g_assert_error (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_WRITE);

  names = export_test_list_folder (folder);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "cut_panels");
  contents = export_test_read_text (blocker);
  g_assert_cmpstr (contents, ==, "x");
}

static void
test_empty_and_missing_scope (void)
{
  g_autoptr(ReelProject) empty = reel_project_new ();
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(ReelProject) other = export_test_new_awkward_project ();
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("empty");
  g_autoptr(GFile) output = g_file_get_child (folder, "out.csv");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  g_assert_false (export_test_run ("csv", empty, NULL, output, &error));
  g_assert_error (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_EMPTY);
  g_clear_error (&error);

  /* The third scene has no shots. */
  reel_export_options_set_scope (options, REEL_EXPORT_SCOPE_SCENE);
  reel_export_options_set_scene (options, reel_project_get_scene (project, 2));
  g_assert_false (export_test_run ("csv", project, options, output, &error));
  g_assert_error (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_EMPTY);
  g_clear_error (&error);

  /* A scene of another project. */
  reel_export_options_set_scene (options, reel_project_get_scene (other, 0));
  g_assert_false (export_test_run ("csv", project, options, output, &error));
  g_assert_error (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Selected shots, but none selected. */
  reel_export_options_set_scope (options, REEL_EXPORT_SCOPE_SHOTS);
  g_assert_false (export_test_run ("csv", project, options, output, &error));
  g_assert_error (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_EMPTY);
  g_clear_error (&error);

  names = export_test_list_folder (folder);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
}

static GPtrArray *
read_csv (GFile *file)
{
  g_autofree char *text = export_test_read_text (file);
  g_autofree char *message = NULL;
  GPtrArray *records;

  /* The shot list starts with the UTF-8 byte-order mark spreadsheets need. */
  g_assert_true (g_str_has_prefix (text, "\xef\xbb\xbf"));
  records = csv_read_strict (text + 3, strlen (text + 3), FALSE, &message);

  g_assert_nonnull (records);
  return records;
}

static void
test_selected_shots (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("selected");
  g_autoptr(GFile) output = g_file_get_child (folder, "out.csv");
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  const char *columns[] = { "shot", "timecode-in", NULL };
  ReelShot *selection[] = {
    g_ptr_array_index (shots, 5), g_ptr_array_index (shots, 0), g_ptr_array_index (shots, 3)
  };

  /* Selected in any order, exported in project order, timed as a sequence of their own. */
  reel_export_options_set_scope (options, REEL_EXPORT_SCOPE_SHOTS);
  reel_export_options_set_shots (options, selection, G_N_ELEMENTS (selection));
  reel_export_options_set_csv_columns (options, columns, NULL);
  export_test_run ("csv", project, options, output, &error);
  g_assert_no_error (error);

  records = read_csv (output);
  g_assert_cmpuint (records->len, ==, 4);
  g_assert_cmpstr (((GStrv) g_ptr_array_index (records, 1))[0], ==, "1A");
  g_assert_cmpstr (((GStrv) g_ptr_array_index (records, 2))[0], ==, "2A");
  g_assert_cmpstr (((GStrv) g_ptr_array_index (records, 3))[0], ==, "2C");
  g_assert_cmpstr (((GStrv) g_ptr_array_index (records, 2))[1], ==, "01:00:02:00");
  g_assert_cmpstr (((GStrv) g_ptr_array_index (records, 3))[1], ==, "01:00:03:06");
}

static void
test_edits_during_export (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("edits");
  g_autoptr(GFile) output = g_file_get_child (folder, "out.csv");
  g_autoptr(GPtrArray) records = NULL;
  const char *columns[] = { "shot", "description", NULL };
  Run run = { 0 };

  reel_export_options_set_csv_columns (options, columns, NULL);
  reel_export_async (reel_export_lookup_format ("csv"), project, NULL, options, output, NULL,
                     NULL, NULL, NULL, done_cb, &run);
  /* The user keeps working while the export runs: it writes the project as it was. */
  reel_shot_set_description (g_ptr_array_index (shots, 0), "changed");
  g_object_unref (reel_scene_remove_shot (reel_project_get_scene (project, 0), 1));
  g_object_unref (reel_project_remove_scene (project, 1));
  reel_export_options_set_scope (options, REEL_EXPORT_SCOPE_SCENE);
  wait_for (&run);
  g_assert_no_error (run.error);

  records = read_csv (output);
  g_assert_cmpuint (records->len, ==, 7);
  g_assert_cmpstr (((GStrv) g_ptr_array_index (records, 1))[1], ==, AWKWARD_QUOTES);
}

static void
test_progress (void)
{
  g_autoptr(ReelProject) project = export_test_new_large_project (4, 50);
  g_autoptr(GFile) folder = export_test_make_folder ("progress");
  g_autoptr(GFile) output = g_file_get_child (folder, "cut.edl");
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  Run run = { 0 };

  reel_export_options_set_panel_width (options, 320);
  run.fractions = g_array_new (FALSE, FALSE, sizeof (double));
  reel_export_async (reel_export_lookup_format ("edl"), project, NULL, options, output, NULL,
                     progress_cb, &run, NULL, done_cb, &run);
  wait_for (&run);
  g_assert_no_error (run.error);

  /* Reported as it goes (not all at the end), never backwards, within 0..1. */
  g_assert_cmpuint (run.fractions->len, >=, 2);
  for (guint i = 0; i < run.fractions->len; i++)
    {
      double fraction = g_array_index (run.fractions, double, i);

      g_assert_cmpfloat (fraction, >, 0);
      g_assert_cmpfloat (fraction, <=, 1);
      if (i > 0)
        g_assert_cmpfloat (fraction, >=, g_array_index (run.fractions, double, i - 1));
    }
  g_array_unref (run.fractions);
}

static void
test_panels_replace_and_keep (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GFile) folder = export_test_make_folder ("panels-again");
  g_autoptr(GFile) output = g_file_get_child (folder, "cut.edl");
  g_autoptr(GFile) panels = g_file_get_child (folder, "cut_panels");
  g_autoptr(GFile) mine = g_file_get_child (panels, "reference.jpg");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  export_test_run ("edl", project, NULL, output, &error);
  g_assert_no_error (error);
  g_file_replace_contents (mine, "jpeg", 4, NULL, FALSE, 0, NULL, NULL, &error);
  g_assert_no_error (error);

  /* Exporting again replaces our panels and keeps what the user put there. */
  export_test_run ("edl", project, NULL, output, &error);
  g_assert_no_error (error);
  export_test_assert_no_temporaries (folder);
  names = export_test_list_folder (panels);
  g_assert_cmpuint (g_strv_length (names), ==, 7);
  g_assert_true (g_strv_contains ((const char * const *) names, "reference.jpg"));
}

static void
test_concurrent_exports (void)
{
  g_autoptr(ReelProject) project = export_test_new_large_project (3, 20);
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("concurrent");
  const char *formats[] = { "pdf", "otio", "json", "csv", "fcpxml", "edl", "png" };
  Run runs[G_N_ELEMENTS (formats)] = { { 0 } };

  reel_export_options_set_panel_width (options, 256);
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *name = g_strdup_printf ("out.%s", formats[i]);
      g_autoptr(GFile) output = g_file_get_child (folder, name);

      reel_export_async (reel_export_lookup_format (formats[i]), project, NULL, options, output,
                         NULL, NULL, NULL, NULL, done_cb, &runs[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      wait_for (&runs[i]);
      g_assert_no_error (runs[i].error);
    }
  export_test_assert_no_temporaries (folder);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/runner/cancel-before-start", test_cancel_before_start);
  g_test_add_func ("/export/runner/cancel-midway-keeps-old-file",
                   test_cancel_midway_keeps_old_file);
  g_test_add_func ("/export/runner/cancel-panels", test_cancel_panels);
  g_test_add_func ("/export/runner/write-error", test_write_error);
  g_test_add_func ("/export/runner/panels-folder-blocked", test_panels_folder_blocked);
  g_test_add_func ("/export/runner/empty-and-missing-scope", test_empty_and_missing_scope);
  g_test_add_func ("/export/runner/selected-shots", test_selected_shots);
  g_test_add_func ("/export/runner/edits-during-export", test_edits_during_export);
  g_test_add_func ("/export/runner/progress", test_progress);
  g_test_add_func ("/export/runner/panels-replace-and-keep", test_panels_replace_and_keep);
  g_test_add_func ("/export/runner/concurrent", test_concurrent_exports);

  return export_test_finish (g_test_run ());
}
