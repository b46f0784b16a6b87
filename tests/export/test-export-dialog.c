/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "export-test-util.h"
#include "storage/reel-demo.h"
#include "widgets/reel-export-dialog.h"
#include "../reel-test-require.h"

/* The Export dialog, as a user drives it: the formats of the registry, rows that follow the
 * format, an export with progress, Cancel, and the choices remembered for next time. */

static GObject *
child (ReelExportDialog *dialog,
       const char       *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (dialog), REEL_TYPE_EXPORT_DIALOG,
                                                   name);

  g_assert_nonnull (object);
  return object;
}

static void
select_format (ReelExportDialog *dialog,
               const char       *id)
{
  const ReelExportFormat * const *formats;
  guint n_formats;

  formats = reel_export_get_formats (&n_formats);
  for (guint i = 0; i < n_formats; i++)
    if (g_str_equal (formats[i]->id, id))
      {
        adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, "format_row")), i);
        return;
      }
  g_assert_not_reached ();
}

static gboolean
is_visible (ReelExportDialog *dialog,
            const char       *name)
{
  return gtk_widget_get_visible (GTK_WIDGET (child (dialog, name)));
}

static void
spin_until_idle (ReelExportDialog *dialog,
                 guint             timeout_ms)
{
  /* A deadline only a stuck export reaches, whatever the caller expects. */
  gint64 end = g_get_monotonic_time () + (gint64) MAX (timeout_ms, 120000) * 1000;

  /* Exporting makes the page insensitive; it becomes sensitive again at the end. */
  while (!gtk_widget_get_sensitive (GTK_WIDGET (child (dialog, "page")))
         && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (child (dialog, "page"))));
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *tooltip)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_widget_get_tooltip_text (root), tooltip) == 0)
    return root;

  for (GtkWidget *w = gtk_widget_get_first_child (root); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *found = find_button (w, tooltip);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
destroy (ReelExportDialog *dialog)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static void
test_dialog_formats (void)
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  ReelExportDialog *dialog = reel_export_dialog_new (NULL, project, NULL, NULL, NULL);
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (child (dialog, "format_row")));
  const ReelExportFormat * const *formats;
  g_autofree char *name = NULL;
  guint n_formats;

  gtk_window_present (GTK_WINDOW (dialog));

  /* The registry's formats, in its order, by their translated names. */
  formats = reel_export_get_formats (&n_formats);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_formats);
  for (guint i = 0; i < n_formats; i++)
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), i), ==,
                     formats[i]->name);

  select_format (dialog, "pdf");
  g_assert_true (is_visible (dialog, "pdf_group"));
  g_assert_false (is_visible (dialog, "csv_group"));
  g_assert_false (is_visible (dialog, "panels_group"));
  name = g_file_get_basename (reel_export_dialog_get_output (dialog));
  g_assert_cmpstr (name, ==, "The Kittiwake.pdf");

  select_format (dialog, "csv");
  g_assert_false (is_visible (dialog, "pdf_group"));
  g_assert_true (is_visible (dialog, "csv_group"));
  g_clear_pointer (&name, g_free);
  name = g_file_get_basename (reel_export_dialog_get_output (dialog));
  g_assert_cmpstr (name, ==, "The Kittiwake.csv");

  select_format (dialog, "fcpxml");
  g_assert_true (is_visible (dialog, "panels_group"));
  g_assert_true (is_visible (dialog, "fcpxml_group"));
  g_assert_false (is_visible (dialog, "clips_group"));
  g_assert_true (is_visible (dialog, "panel_clips_row"));

  /* Clip names only where the format names clips. */
  select_format (dialog, "otio");
  g_assert_true (is_visible (dialog, "clips_group"));
  select_format (dialog, "edl");
  g_assert_true (is_visible (dialog, "clips_group"));
  select_format (dialog, "csv");
  g_assert_false (is_visible (dialog, "clips_group"));

  select_format (dialog, "png");
  g_clear_pointer (&name, g_free);
  name = g_file_get_basename (reel_export_dialog_get_output (dialog));
  g_assert_cmpstr (name, ==, "The Kittiwake panels");
  /* Movie clips only for timelines that refer to panels. */
  g_assert_true (is_visible (dialog, "panels_group"));
  g_assert_false (is_visible (dialog, "panel_clips_row"));

  /* The scene row only with the scene scope. */
  g_assert_false (is_visible (dialog, "scene_row"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, "scope_row")),
                              REEL_EXPORT_SCOPE_SCENE);
  g_assert_true (is_visible (dialog, "scene_row"));

  destroy (dialog);
}

static void
test_dialog_export_and_remember (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(GFile) folder = export_test_make_folder ("dialog-export");
  g_autoptr(GFile) output = g_file_get_child (folder, "shots.csv");
  g_autoptr(GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  g_autoptr(GPtrArray) selection = g_ptr_array_new ();
  g_autofree char *text = NULL;
  g_autofree char *folder_setting = NULL;
  g_autofree char *format_setting = NULL;
  g_autofree char *layout_setting = NULL;
  ReelExportDialog *dialog;

  g_ptr_array_add (selection, g_ptr_array_index (shots, 4));
  dialog = reel_export_dialog_new (NULL, project, NULL, reel_project_get_scene (project, 1),
                                   selection);
  gtk_window_present (GTK_WINDOW (dialog));

  /* The ShotGrid preset, the selected shot only, to a file of our choosing. */
  select_format (dialog, "csv");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "export.csv-preset", "s", "shotgrid");
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, "scope_row")),
                              REEL_EXPORT_SCOPE_SHOTS);
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, "layout_row")),
                              REEL_EXPORT_LAYOUT_3X3);
  reel_export_dialog_set_output (dialog, output);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (child (dialog, "export_button"))));
  g_signal_emit_by_name (child (dialog, "export_button"), "clicked");
  spin_until_idle (dialog, 20000);

  text = export_test_read_text (output);
  g_assert_cmpstr (text, ==, "Shot Code,Sequence,Cut In,Cut Out,Cut Duration,Description\r\n"
                             "SC2_SH2B,SC2,1001,1072,72,The kettle whistles. 주전자가 끓는다.\r\n");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (child (dialog, "open_button"))));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (dialog, "status_label"))), ==,
                   "Exported “shots.csv”");

  /* Remembered: format, columns, scope, layout, folder. */
  format_setting = g_settings_get_string (settings, "export-format");
  layout_setting = g_settings_get_string (settings, "export-layout");
  folder_setting = g_settings_get_string (settings, "export-folder");
  g_assert_cmpstr (format_setting, ==, "csv");
  g_assert_cmpstr (layout_setting, ==, "3x3");
  g_assert_cmpstr (folder_setting, ==, g_file_peek_path (folder));
  {
    g_auto(GStrv) columns = g_settings_get_strv (settings, "export-csv-columns");

    g_assert_cmpstrv (columns, reel_export_get_shotgrid_csv_columns ());
  }
  destroy (dialog);

  /* The next dialog opens where this one left off. */
  dialog = reel_export_dialog_new (NULL, project, NULL, NULL, selection);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (dialog, "layout_row"))),
                    ==, REEL_EXPORT_LAYOUT_3X3);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (dialog, "scope_row"))),
                    ==, REEL_EXPORT_SCOPE_SHOTS);
  g_assert_true (is_visible (dialog, "csv_group"));
  g_assert_true (g_file_has_parent (reel_export_dialog_get_output (dialog), folder));
  destroy (dialog);

  /* …but not with a scope that has nothing to take. */
  dialog = reel_export_dialog_new (NULL, project, NULL, NULL, NULL);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (dialog, "scope_row"))),
                    ==, REEL_EXPORT_SCOPE_PROJECT);
  destroy (dialog);
}

/* The switch makes the EDL refer to an MP4 of each panel in NAME_media/, and is kept. */
static void
test_dialog_panel_clips (void)
{
  g_autoptr(ReelProject) project = export_test_new_large_project (1, 2);
  g_autoptr(GFile) folder = export_test_make_folder ("dialog-panel-clips");
  g_autoptr(GFile) edl = g_file_get_child (folder, "cut.edl");
  g_autoptr(GFile) media = g_file_get_child (folder, "cut_media");
  g_autoptr(GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  g_autofree char *text = NULL;
  g_auto(GStrv) names = NULL;
  ReelExportDialog *dialog;

  dialog = reel_export_dialog_new (NULL, project, NULL, NULL, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, "scope_row")),
                              REEL_EXPORT_SCOPE_PROJECT);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (dialog, "panel_width_spin")), 64);
  select_format (dialog, "edl");
  g_assert_true (is_visible (dialog, "panel_clips_row"));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (child (dialog, "panel_clips_switch"))));
  gtk_switch_set_active (GTK_SWITCH (child (dialog, "panel_clips_switch")), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "export-panel-clips"));

  reel_export_dialog_set_output (dialog, edl);
  g_signal_emit_by_name (child (dialog, "export_button"), "clicked");
  spin_until_idle (dialog, 60000);

  names = export_test_list_folder (media);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  text = export_test_read_text (edl);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *line = g_strdup_printf ("* FROM CLIP NAME:  %s\n", names[i]);

      g_assert_true (g_str_has_suffix (names[i], ".mov"));
      g_assert_nonnull (strstr (text, line));
    }
  destroy (dialog);

  g_settings_reset (settings, "export-panel-clips");
}

/* The name of the first clip of an OTIO timeline. */
static char *
first_otio_clip_name (GFile *otio)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *track, *clip;

  json_parser_load_from_file (parser, g_file_peek_path (otio), &error);
  g_assert_no_error (error);
  track = json_array_get_object_element (
    json_object_get_array_member (
      json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                     "tracks"), "children"), 0);
  clip = json_array_get_object_element (json_object_get_array_member (track, "children"), 0);
  return g_strdup (json_object_get_string_member (clip, "name"));
}

/* The Kitsu preset: its shot-import columns in a CSV without a byte-order mark, and the
 * clip names Kitsu's timeline import looks for in the OTIO of the same project. */
static void
test_dialog_kitsu (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GFile) folder = export_test_make_folder ("dialog-kitsu");
  g_autoptr(GFile) csv = g_file_get_child (folder, "kitsu.csv");
  g_autoptr(GFile) otio = g_file_get_child (folder, "kitsu.otio");
  g_autoptr(GFile) otio_codes = g_file_get_child (folder, "codes.otio");
  g_autoptr(GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  g_autofree char *naming = NULL;
  g_auto(GStrv) columns = NULL;
  ReelExportDialog *dialog;
  AdwComboRow *clip_naming_row;

  dialog = reel_export_dialog_new (NULL, project, NULL, NULL, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  clip_naming_row = ADW_COMBO_ROW (child (dialog, "clip_naming_row"));
  g_assert_cmpuint (adw_combo_row_get_selected (clip_naming_row), ==,
                    REEL_EXPORT_CLIP_NAMING_CODE);
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, "scope_row")),
                              REEL_EXPORT_SCOPE_PROJECT);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (dialog, "panel_width_spin")), 64);

  select_format (dialog, "csv");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "export.csv-preset", "s", "kitsu");
  columns = g_settings_get_strv (settings, "export-csv-columns");
  g_assert_cmpstrv (columns, reel_export_get_kitsu_csv_columns ());
  g_assert_cmpuint (adw_combo_row_get_selected (clip_naming_row), ==,
                    REEL_EXPORT_CLIP_NAMING_KITSU);
  naming = g_settings_get_string (settings, "export-clip-naming");
  g_assert_cmpstr (naming, ==, "kitsu");

  reel_export_dialog_set_output (dialog, csv);
  g_signal_emit_by_name (child (dialog, "export_button"), "clicked");
  spin_until_idle (dialog, 20000);
  text = export_test_read_text (csv);
  g_assert_true (g_str_has_prefix (text, "Sequence,Name,Description,Nb Frames,Frame In,"
                                   "Frame Out,FPS,Resolution\r\nSC1,SH1A,"));

  /* ${project_name}_${sequence_name}-${shot_name}, as the CSV named them. */
  select_format (dialog, "otio");
  g_assert_true (is_visible (dialog, "clips_group"));
  reel_export_dialog_set_output (dialog, otio);
  g_signal_emit_by_name (child (dialog, "export_button"), "clicked");
  spin_until_idle (dialog, 20000);
  name = first_otio_clip_name (otio);
  g_assert_cmpstr (name, ==, "Storm \"Test\", take 2: 폭풍 🎬_SC1-SH1A");
  g_clear_pointer (&name, g_free);

  /* Back to shot codes: the row, not the preset, decides. */
  adw_combo_row_set_selected (clip_naming_row, REEL_EXPORT_CLIP_NAMING_CODE);
  reel_export_dialog_set_output (dialog, otio_codes);
  g_signal_emit_by_name (child (dialog, "export_button"), "clicked");
  spin_until_idle (dialog, 20000);
  name = first_otio_clip_name (otio_codes);
  g_assert_cmpstr (name, ==, "SC1_SH1A");
  g_clear_pointer (&naming, g_free);
  naming = g_settings_get_string (settings, "export-clip-naming");
  g_assert_cmpstr (naming, ==, "code");

  destroy (dialog);
}

static void
test_dialog_column_order (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  ReelExportDialog *dialog = reel_export_dialog_new (NULL, project, NULL, NULL, NULL);
  GtkWidget *list = GTK_WIDGET (child (dialog, "columns_list"));
  GtkWidget *first_row;
  GtkWidget *button;
  g_auto(GStrv) columns = NULL;

  select_format (dialog, "csv");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "export.csv-preset", "s", "shotgrid");

  /* Move the second column (Sequence) up: it becomes the first in the file. */
  first_row = gtk_widget_get_next_sibling (gtk_widget_get_first_child (list));
  g_assert_nonnull (first_row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first_row)), ==,
                   "Sequence");
  button = find_button (first_row, "Move “Sequence” Up");
  g_assert_true (GTK_IS_BUTTON (button));
  g_signal_emit_by_name (button, "clicked");

  columns = g_settings_get_strv (settings, "export-csv-columns");
  g_assert_cmpstr (columns[0], ==, "sequence");
  g_assert_cmpstr (columns[1], ==, "shot-code");
  g_assert_cmpuint (g_strv_length (columns), ==, 6);

  destroy (dialog);
}

static void
test_dialog_cancel (void)
{
  g_autoptr(ReelProject) project = export_test_new_large_project (20, 30);
  g_autoptr(GFile) folder = export_test_make_folder ("dialog-cancel");
  g_autoptr(GFile) output = g_file_get_child (folder, "board.pdf");
  ReelExportDialog *dialog = reel_export_dialog_new (NULL, project, NULL, NULL, NULL);
  GtkWidget *cancel = GTK_WIDGET (child (dialog, "cancel_button"));
  g_auto(GStrv) names = NULL;

  gtk_window_present (GTK_WINDOW (dialog));
  select_format (dialog, "pdf");
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, "scope_row")),
                              REEL_EXPORT_SCOPE_PROJECT);
  reel_export_dialog_set_output (dialog, output);
  reel_export_dialog_start (dialog);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (child (dialog, "page"))));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (child (dialog, "status_revealer"))));

  /* Cancel while it runs: the dialog stays, nothing is written, no error is shown. */
  g_signal_emit_by_name (cancel, "clicked");
  spin_until_idle (dialog, 20000);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (child (dialog, "status_revealer"))));
  names = export_test_list_folder (folder);
  if (names[0] != NULL)
    g_error ("left behind: %s", names[0]);

  /* Closing the dialog during an export cancels it too. */
  reel_export_dialog_start (dialog);
  destroy (dialog);
  /* A state, not a time: a generous deadline only a stuck test reaches. */
  for (gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
       g_get_monotonic_time () < deadline;)
    {
      g_strfreev (names);
      names = export_test_list_folder (folder);
      if (g_strv_length (names) == 0)
        break;
      g_usleep (20000);
      g_main_context_iteration (NULL, FALSE);
    }
  if (names[0] != NULL)
    g_error ("left behind after closing: %s", names[0]);
}

int
main (int   argc,
      char *argv[])
{
  reel_test_require_x11 (FALSE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/export/dialog/formats", test_dialog_formats);
  g_test_add_func ("/export/dialog/export-and-remember", test_dialog_export_and_remember);
  g_test_add_func ("/export/dialog/column-order", test_dialog_column_order);
  g_test_add_func ("/export/dialog/kitsu", test_dialog_kitsu);
  g_test_add_func ("/export/dialog/panel-clips", test_dialog_panel_clips);
  g_test_add_func ("/export/dialog/cancel", test_dialog_cancel);

  return export_test_finish (g_test_run ());
}
