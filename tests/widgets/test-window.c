/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window as a user meets it: new, open, save, close with and without unsaved
 * changes, autosave recovery, files dropped on it, shots copied between windows, and
 * the keyboard shortcuts. Runs under Xvfb (suite ui). */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "core/reel-core.h"
#include "core/reel-set-edit.h"
#include "reel-test-project.h"
#include "storage/reel-autosave.h"
#include "storage/reel-demo.h"
#include "storage/reel-project-file.h"
#include "widgets/reel-canvas.h"
#include "widgets/reel-clipboard.h"
#include "widgets/reel-generation-panel.h"
#include "widgets/reel-inspector.h"
#include "widgets/reel-shot-list-view.h"
#include "../reel-test-require.h"
#include "window-test-util.h"

static char *tmp_dir;

static GFile *
tmp_file (const char *name)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

  return g_file_new_for_path (path);
}

static GBytes *
read_bytes (GFile *file)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = g_file_load_bytes (file, NULL, NULL, &error);

  g_assert_no_error (error);
  return bytes;
}

static ReelShot *
shot_at (ReelProject *project,
         guint        scene,
         guint        position)
{
  return reel_scene_get_shot (reel_project_get_scene (project, scene), position);
}

static gboolean
window_is_closed (gpointer data)
{
  return !test_util_window_is_open (data);
}

static gboolean
window_is_idle (gpointer data)
{
  return !reel_window_get_busy (data);
}

static gboolean
window_has_dialog (gpointer data)
{
  return test_util_find_dialog (data) != NULL;
}

static const char *
document_title (ReelWindow *window)
{
  AdwWindowTitle *title = ADW_WINDOW_TITLE (test_util_find_widget (GTK_WIDGET (window),
                                                                   ADW_TYPE_WINDOW_TITLE));

  g_assert_nonnull (title);
  return adw_window_title_get_title (title);
}

static void
save_project_to (ReelProject *project,
                 GFile       *file)
{
  g_autoptr(GError) error = NULL;

  reel_project_file_save (project, file, NULL, &error);
  g_assert_no_error (error);
}

static ReelWindow *
open_file_in_new_window (GFile *file)
{
  ReelWindow *window = test_util_open_window (NULL);

  reel_window_open_file (window, file);
  g_assert_true (test_util_wait (window_is_idle, window, 10000));
  g_assert_null (test_util_find_dialog (GTK_WINDOW (window)));

  return window;
}

/* Recovery: a project that was being edited when the program went away comes back
 * at the next start. Runs first: the offer is made once, at the first window. */

static void
saved_cb (ReelAutosave *autosave,
          gboolean     *saved)
{
  *saved = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
app_has_recovery_dialog (gpointer data)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (test_app)); l != NULL; l = l->next)
    if (test_util_find_dialog (l->data) != NULL)
      return TRUE;

  return FALSE;
}

static ReelWindow *
find_window_with_title (const char *description)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (test_app)); l != NULL; l = l->next)
    {
      ReelProject *project;

      if (!REEL_IS_WINDOW (l->data))
        continue;
      project = reel_window_get_project (l->data);
      if (reel_project_get_n_shots (project) > 0 &&
          g_str_equal (reel_shot_get_description (shot_at (project, 0, 0)), description))
        return l->data;
    }

  return NULL;
}

static gboolean
has_window_with_title (gpointer data)
{
  return find_window_with_title (data) != NULL;
}

static void
test_recovery (void)
{
  g_autoptr(ReelProject) lost = reel_window_create_empty_project ();
  g_autoptr(ReelAutosave) autosave = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  AdwMessageDialog *dialog = NULL;
  ReelWindow *restored;
  gboolean saved = FALSE;

  /* A session edits a project, its autosave writes, and the program dies. */
  reel_project_set_title (lost, "The Lighthouse");
  reel_edit_set_string (lost, G_OBJECT (shot_at (lost, 0, 0)), "description",
                        "The beam sweeps the rocks");
  autosave = reel_autosave_new (lost);
  reel_autosave_set_delay (autosave, 10);
  g_signal_connect (autosave, "saved", G_CALLBACK (saved_cb), &saved);
  reel_autosave_schedule (autosave);
  g_assert_true (test_util_wait (is_true, &saved, 10000));
  g_clear_object (&autosave);

  entries = reel_autosave_list_recoverable (NULL);
  g_assert_cmpuint (entries->len, ==, 1);

  /* The next start offers it back. */
  g_application_activate (G_APPLICATION (test_app));
  g_assert_true (test_util_wait (app_has_recovery_dialog, NULL, 10000));
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (test_app)); l != NULL; l = l->next)
    if ((dialog = test_util_find_dialog (l->data)) != NULL)
      break;
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "The Lighthouse"));
  test_util_respond (dialog, "restore");

  /* The work is back (read on a worker thread), still unsaved, and the recovery file
   * stays until it is saved or discarded. */
  g_assert_true (test_util_wait (has_window_with_title, (gpointer) "The beam sweeps the rocks",
                                 10000));
  restored = find_window_with_title ("The beam sweeps the rocks");
  g_assert_nonnull (restored);
  g_assert_true (reel_project_get_modified (reel_window_get_project (restored)));
  g_assert_true (g_str_has_prefix (document_title (restored), "• "));

  /* Closing it asks; discarding deletes the recovery file. */
  gtk_window_close (GTK_WINDOW (restored));
  g_assert_true (test_util_wait (window_has_dialog, restored, 5000));
  test_util_respond (test_util_find_dialog (GTK_WINDOW (restored)), "discard");
  g_assert_true (test_util_wait (window_is_closed, restored, 5000));
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = reel_autosave_list_recoverable (NULL);
  g_assert_cmpuint (entries->len, ==, 0);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (test_app)); l != NULL; )
    {
      GList *next = l->next;

      test_util_discard_window (l->data);
      l = next;
    }
}

/* New */

/* A window of the application that is not in @data (a GList of windows). */
static gboolean
has_new_window (gpointer data)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (test_app)); l != NULL; l = l->next)
    if (g_list_find (data, l->data) == NULL && REEL_IS_WINDOW (l->data))
      return TRUE;

  return FALSE;
}

static void
test_new_project (void)
{
  GList *before = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (test_app)));
  ReelWindow *window = NULL;
  ReelProject *project;

  g_action_group_activate_action (G_ACTION_GROUP (test_app), "new", NULL);
  g_assert_true (test_util_wait (has_new_window, before, TEST_UTIL_DEADLINE_MS));

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (test_app)); l != NULL; l = l->next)
    if (g_list_find (before, l->data) == NULL && REEL_IS_WINDOW (l->data))
      window = l->data;
  g_list_free (before);
  g_assert_nonnull (window);
  test_util_wait_shown (GTK_WIDGET (window));

  /* One scene with one shot, nothing to save, called what it is. */
  project = reel_window_get_project (window);
  g_assert_cmpuint (reel_project_get_n_scenes (project), ==, 1);
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 1);
  g_assert_false (reel_project_get_modified (project));
  g_assert_null (reel_window_get_file (window));
  g_assert_cmpstr (document_title (window), ==, "Untitled Project");
  g_assert_true (reel_window_get_current_shot (window) == shot_at (project, 0, 0));
  g_assert_true (reel_window_is_pristine (window));

  /* A fresh project closes without a question (a question would keep it open). */
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (test_util_wait (window_is_closed, window, 5000));
}

/* The unsaved-changes question: when there are changes, and only then. */

static void
test_unsaved_dialog (void)
{
  g_autoptr(GFile) file = tmp_file ("unsaved.storyreel");
  g_autoptr(ReelProject) original = reel_demo_project_new ();
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  ReelWindow *window;
  ReelProject *project;
  AdwMessageDialog *dialog;

  save_project_to (original, file);
  before = read_bytes (file);

  /* Opened: no changes, no mark, no question. */
  window = open_file_in_new_window (file);
  project = reel_window_get_project (window);
  g_assert_cmpstr (document_title (window), ==, "unsaved.storyreel");
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (test_util_wait (window_is_closed, window, 5000));

  /* An edit marks the title and makes closing ask. */
  window = open_file_in_new_window (file);
  project = reel_window_get_project (window);
  reel_edit_set_string (project, G_OBJECT (shot_at (project, 0, 2)), "description",
                        "She runs to the end of the pier");
  g_assert_cmpstr (document_title (window), ==, "• unsaved.storyreel");

  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (test_util_wait (window_has_dialog, window, 5000));
  dialog = test_util_find_dialog (GTK_WINDOW (window));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "unsaved.storyreel"));
  g_assert_true (adw_message_dialog_has_response (dialog, "save"));

  /* Cancel: the window and the edit stay. */
  test_util_respond (dialog, "cancel");
  g_assert_true (test_util_window_is_open (window));
  g_assert_cmpstr (reel_shot_get_description (shot_at (project, 0, 2)), ==,
                   "She runs to the end of the pier");

  /* Undoing the edit leads back to what the file holds: nothing is unsaved. Redo
   * brings the change back, and closing asks again; Discard closes and leaves
   * the file as it was. */
  reel_history_undo (reel_project_get_history (project));
  g_assert_false (reel_project_get_modified (project));
  g_assert_cmpstr (document_title (window), ==, "unsaved.storyreel");
  reel_history_redo (reel_project_get_history (project));
  g_assert_cmpstr (document_title (window), ==, "• unsaved.storyreel");
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (test_util_wait (window_has_dialog, window, 5000));
  test_util_respond (test_util_find_dialog (GTK_WINDOW (window)), "discard");
  g_assert_true (test_util_wait (window_is_closed, window, 5000));

  after = read_bytes (file);
  g_assert_true (g_bytes_equal (before, after));
}

/* Save, and Save in the close question. */

static void
test_save_and_close (void)
{
  g_autoptr(GFile) file = tmp_file ("save.storyreel");
  g_autoptr(ReelProject) original = reel_demo_project_new ();
  g_autoptr(ReelProject) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  ReelWindow *window;
  ReelProject *project;

  save_project_to (original, file);

  /* win.save writes the change; after it nothing is asked. */
  window = open_file_in_new_window (file);
  project = reel_window_get_project (window);
  reel_edit_set_double (project, G_OBJECT (shot_at (project, 0, 0)), "lens-mm", 18);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  g_assert_true (test_util_wait (window_is_idle, window, 10000));
  g_assert_false (reel_project_get_modified (project));
  g_assert_cmpstr (document_title (window), ==, "save.storyreel");

  reloaded = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (reel_shot_get_lens_mm (shot_at (reloaded, 0, 0)), ==, 18);

  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (test_util_wait (window_is_closed, window, 5000));

  /* Save from the question saves and then closes. */
  window = open_file_in_new_window (file);
  project = reel_window_get_project (window);
  reel_edit_set_string (project, G_OBJECT (shot_at (project, 0, 1)), "notes", "Rain tower");
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (test_util_wait (window_has_dialog, window, 5000));
  test_util_respond (test_util_find_dialog (GTK_WINDOW (window)), "save");
  g_assert_true (test_util_wait (window_is_closed, window, 10000));

  g_clear_object (&reloaded);
  reloaded = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reel_shot_get_notes (shot_at (reloaded, 0, 1)), ==, "Rain tower");
}

/* A file that cannot be opened: its error in a dialog, nothing lost. */

static void
test_open_failure (void)
{
  g_autoptr(GFile) broken = tmp_file ("broken.storyreel");
  g_autoptr(ReelProject) demo = reel_demo_project_new ();
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  static const char garbage[] = "SQLite format 3\0 this is not really a database at all";
  ReelWindow *window;
  ReelProject *project;
  AdwMessageDialog *dialog;

  g_file_replace_contents (broken, garbage, sizeof garbage, NULL, FALSE, G_FILE_CREATE_NONE,
                           NULL, NULL, &error);
  g_assert_no_error (error);
  before = read_bytes (broken);

  /* A window with unsaved work tries to open it. */
  window = test_util_open_window (demo);
  project = reel_window_get_project (window);
  reel_edit_set_string (project, G_OBJECT (shot_at (project, 0, 0)), "cast", "MAYA, TOM");

  reel_window_open_file (window, broken);
  g_assert_true (test_util_wait (window_has_dialog, window, 10000));
  dialog = test_util_find_dialog (GTK_WINDOW (window));
  g_test_message ("%s: %s", adw_message_dialog_get_heading (dialog),
                  adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "broken.storyreel"));

  /* The window still holds its own project and its edit; the file is untouched. */
  g_assert_true (reel_window_get_project (window) == project);
  g_assert_cmpstr (reel_shot_get_cast (shot_at (project, 0, 0)), ==, "MAYA, TOM");
  g_assert_null (reel_window_get_file (window));
  test_util_respond (dialog, "close");

  after = read_bytes (broken);
  g_assert_true (g_bytes_equal (before, after));

  test_util_discard_window (window);
}

/* Opening goes to a pristine window, a file already open is shown rather than opened
 * twice, and opened files are listed as recent. */

static GMenuModel *
recent_menu (ReelWindow *window)
{
  AdwSplitButton *button = ADW_SPLIT_BUTTON (test_util_find_widget (GTK_WIDGET (window),
                                                                    ADW_TYPE_SPLIT_BUTTON));

  g_assert_nonnull (button);
  return adw_split_button_get_menu_model (button);
}

static gboolean
menu_lists (GMenuModel *menu,
            const char *label)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *text = NULL;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &text) &&
          g_str_equal (text, label))
        return TRUE;
    }

  return FALSE;
}

/* The recent files list (written by GtkRecentManager later) shows the opened file. */
static gboolean
lists_recent (gpointer data)
{
  return menu_lists (recent_menu (data), "recent.storyreel");
}

static gboolean
all_windows_idle (gpointer data)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (test_app)); l != NULL; l = l->next)
    if (REEL_IS_WINDOW (l->data) && reel_window_get_busy (l->data))
      return FALSE;

  return TRUE;
}

static void
test_open_reuses_windows (void)
{
  g_autoptr(GFile) file = tmp_file ("recent.storyreel");
  g_autoptr(ReelProject) demo = reel_demo_project_new ();
  ReelWindow *window;
  guint n_windows;

  save_project_to (demo, file);

  window = test_util_open_window (NULL);
  g_assert_true (reel_window_is_pristine (window));
  gtk_window_present (GTK_WINDOW (window));
  n_windows = g_list_length (gtk_application_get_windows (GTK_APPLICATION (test_app)));

  g_application_open (G_APPLICATION (test_app), &file, 1, "");
  test_util_settle ();
  g_assert_true (test_util_wait (all_windows_idle, NULL, 10000));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (test_app))),
                    ==, n_windows);
  g_assert_true (g_file_equal (reel_window_get_file (window), file));
  g_assert_cmpuint (reel_project_get_n_shots (reel_window_get_project (window)), ==,
                    reel_project_get_n_shots (demo));

  /* Again: the same window comes forward. */
  g_application_open (G_APPLICATION (test_app), &file, 1, "");
  test_util_settle ();
  g_assert_true (test_util_wait (all_windows_idle, NULL, 10000));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (test_app))),
                    ==, n_windows);

  /* The Open button's menu lists it. */
  g_assert_true (test_util_wait (lists_recent, window, TEST_UTIL_DEADLINE_MS));

  test_util_discard_window (window);
}

/* Files dropped on the window: a screenplay is imported, a project opened. */

static gboolean
drop_files (ReelWindow *window,
            GFile      *file)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  g_auto(GValue) value = G_VALUE_INIT;
  GtkDropTarget *target = NULL;
  GSList *files = g_slist_prepend (NULL, file);
  gboolean accepted = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller) &&
          g_strcmp0 (gtk_event_controller_get_name (controller), "reel-window-file-drop") == 0)
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);
  g_assert_true (g_type_is_a (GDK_TYPE_FILE_LIST, gtk_drop_target_get_gtypes (target, NULL)[0]));

  /* What GTK hands the target when files from a file manager are dropped. */
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  g_slist_free (files);
  g_signal_emit_by_name (target, "drop", &value, 100.0, 100.0, &accepted);

  return accepted;
}

static void
test_drop_files (void)
{
  static const char script[] =
    "Title: The Harbour\n"
    "Author: A. Writer\n"
    "\n"
    "EXT. HARBOUR - DAWN #1#\n"
    "\n"
    "= Boats rock at their moorings.\n"
    "\n"
    "Gulls wheel over the water.\n"
    "\n"
    "= Maya walks the pier.\n"
    "\n"
    "MAYA\n"
    "He said first light.\n"
    "\n"
    "INT. HARBOUR OFFICE - DAY #2#\n"
    "\n"
    "Tom looks up from the radio.\n";
  g_autoptr(GFile) fountain = tmp_file ("harbour.fountain");
  g_autoptr(GFile) project_file = tmp_file ("dropped.storyreel");
  g_autoptr(ReelProject) demo = reel_demo_project_new ();
  g_autoptr(GError) error = NULL;
  ReelWindow *window;
  ReelProject *project;

  g_file_replace_contents (fountain, script, strlen (script), NULL, FALSE,
                           G_FILE_CREATE_NONE, NULL, NULL, &error);
  g_assert_no_error (error);
  save_project_to (demo, project_file);

  /* Onto a new window: the screenplay becomes its project. */
  window = test_util_open_window (NULL);
  g_assert_true (drop_files (window, fountain));
  g_assert_true (test_util_wait (window_is_idle, window, 10000));
  project = reel_window_get_project (window);
  g_assert_cmpstr (reel_project_get_title (project), ==, "The Harbour");
  g_assert_cmpuint (reel_project_get_n_scenes (project), ==, 2);
  g_assert_cmpuint (reel_scene_get_n_shots (reel_project_get_scene (project, 0)), ==, 2);
  g_assert_cmpstr (reel_shot_get_description (shot_at (project, 0, 1)), ==,
                   "Maya walks the pier.");
  g_assert_null (reel_window_get_file (window));
  g_assert_cmpstr (document_title (window), ==, "The Harbour");

  /* A project dropped on a window that has work opens in a window of its own. */
  reel_edit_set_string (project, G_OBJECT (shot_at (project, 0, 0)), "notes", "Mist");
  g_assert_true (drop_files (window, project_file));
  g_assert_true (test_util_wait (all_windows_idle, NULL, 10000));
  test_util_settle ();
  g_assert_true (reel_window_get_project (window) == project);
  {
    ReelWindow *other = NULL;

    GList *windows = gtk_application_get_windows (GTK_APPLICATION (test_app));

    for (GList *l = windows; l != NULL; l = l->next)
      if (REEL_IS_WINDOW (l->data) && reel_window_get_file (l->data) != NULL &&
          g_file_equal (reel_window_get_file (l->data), project_file))
        other = l->data;
    g_assert_nonnull (other);
    g_assert_true (other != window);
    test_util_discard_window (other);
  }

  /* `storyreel harbour.fountain` (and Open…) import the screenplay too. */
  {
    GList *before = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (test_app)));
    ReelWindow *imported = NULL;

    g_application_open (G_APPLICATION (test_app), &fountain, 1, "");
    g_assert_true (test_util_wait (all_windows_idle, NULL, 10000));
    for (GList *l = gtk_application_get_windows (GTK_APPLICATION (test_app)); l; l = l->next)
      if (REEL_IS_WINDOW (l->data) && g_list_find (before, l->data) == NULL)
        imported = l->data;
    g_list_free (before);
    g_assert_nonnull (imported);
    g_assert_cmpstr (reel_project_get_title (reel_window_get_project (imported)), ==,
                     "The Harbour");
    g_assert_cmpuint (reel_project_get_n_scenes (reel_window_get_project (imported)), ==, 2);
    test_util_discard_window (imported);
  }

  test_util_discard_window (window);
}

/* A Final Draft script is opened, dropped and imported like a Fountain one; one that is
 * not a script leaves an error and nothing else. */

static guint
count_windows (void)
{
  guint n = 0;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (test_app)); l; l = l->next)
    if (REEL_IS_WINDOW (l->data))
      n++;

  return n;
}

static void
test_import_fdx (void)
{
  static const char script[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\" ?>\n"
    "<FinalDraft DocumentType=\"Script\" Template=\"No\" Version=\"5\">\n"
    "  <Content>\n"
    "    <Paragraph Number=\"7\" Type=\"Scene Heading\"><Text>EXT. PIER - NIGHT</Text>"
    "</Paragraph>\n"
    "    <Paragraph Type=\"Action\"><Text>Lanterns </Text><Text>sway.</Text></Paragraph>\n"
    "    <Paragraph Type=\"Character\"><Text>MAYA</Text></Paragraph>\n"
    "    <Paragraph Type=\"Dialogue\"><Text>Too late.</Text></Paragraph>\n"
    "    <Paragraph Type=\"Transition\"><Text>CUT TO:</Text></Paragraph>\n"
    "    <Paragraph Number=\"8\" Type=\"Scene Heading\"><Text>INT. BOATHOUSE - NIGHT</Text>"
    "</Paragraph>\n"
    "    <Paragraph Type=\"Action\"><Text>Tom bolts the door.</Text></Paragraph>\n"
    "  </Content>\n"
    "  <TitlePage><Content>\n"
    "    <Paragraph><Text>The Pier</Text></Paragraph>\n"
    "  </Content></TitlePage>\n"
    "</FinalDraft>\n";
  /* Text, but not Final Draft's XML: what a script renamed by mistake looks like. */
  static const char broken_script[] = "EXT. PIER - NIGHT\n\nLanterns sway.\n";
  g_autoptr(GFile) fdx = tmp_file ("pier.fdx");
  g_autoptr(GFile) broken = tmp_file ("Notes.FDX");
  g_autoptr(GError) error = NULL;
  ReelWindow *window;
  ReelProject *project;
  AdwMessageDialog *dialog;
  guint n_windows;

  g_file_replace_contents (fdx, script, strlen (script), NULL, FALSE, G_FILE_CREATE_NONE,
                           NULL, NULL, &error);
  g_assert_no_error (error);
  g_file_replace_contents (broken, broken_script, strlen (broken_script), NULL, FALSE,
                           G_FILE_CREATE_NONE, NULL, NULL, &error);
  g_assert_no_error (error);

  /* Dropped on a new window: the script becomes its project, scene numbers and all. */
  window = test_util_open_window (NULL);
  g_assert_true (drop_files (window, fdx));
  g_assert_true (test_util_wait (window_is_idle, window, 10000));
  project = reel_window_get_project (window);
  g_assert_cmpstr (reel_project_get_title (project), ==, "The Pier");
  g_assert_cmpuint (reel_project_get_n_scenes (project), ==, 2);
  g_assert_cmpstr (reel_scene_get_number (reel_project_get_scene (project, 0)), ==, "7");
  g_assert_cmpstr (reel_scene_get_number (reel_project_get_scene (project, 1)), ==, "8");
  g_assert_cmpstr (reel_shot_get_description (shot_at (project, 0, 0)), ==, "Lanterns sway.");
  g_assert_null (reel_window_get_file (window));
  g_assert_cmpstr (document_title (window), ==, "The Pier");

  /* A broken script opened from a window with work: an error naming the file on that
   * window, which keeps its project and its edit, and no new window. */
  reel_edit_set_string (project, G_OBJECT (shot_at (project, 0, 0)), "notes", "Wind");
  n_windows = count_windows ();
  gtk_window_present (GTK_WINDOW (window));
  g_application_open (G_APPLICATION (test_app), &broken, 1, "");
  g_assert_true (test_util_wait (window_has_dialog, window, 10000));
  dialog = test_util_find_dialog (GTK_WINDOW (window));
  g_test_message ("%s: %s", adw_message_dialog_get_heading (dialog),
                  adw_message_dialog_get_body (dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                   "Could Not Import the Screenplay");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Notes.FDX"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Final Draft"));
  test_util_respond (dialog, "close");
  g_assert_true (test_util_wait (all_windows_idle, NULL, 10000));
  g_assert_cmpuint (count_windows (), ==, n_windows);
  g_assert_true (reel_window_get_project (window) == project);
  g_assert_cmpstr (reel_shot_get_notes (shot_at (project, 0, 0)), ==, "Wind");

  /* `storyreel pier.fdx` (and Open…) from a window with work: a window of its own. */
  {
    GList *before = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (test_app)));
    ReelWindow *imported = NULL;

    g_application_open (G_APPLICATION (test_app), &fdx, 1, "");
    g_assert_true (test_util_wait (all_windows_idle, NULL, 10000));
    for (GList *l = gtk_application_get_windows (GTK_APPLICATION (test_app)); l; l = l->next)
      if (REEL_IS_WINDOW (l->data) && g_list_find (before, l->data) == NULL)
        imported = l->data;
    g_list_free (before);
    g_assert_nonnull (imported);
    g_assert_cmpuint (count_windows (), ==, n_windows + 1);
    g_assert_cmpuint (reel_project_get_n_scenes (reel_window_get_project (imported)), ==, 2);
    g_assert_cmpstr (reel_project_get_title (reel_window_get_project (imported)), ==,
                     "The Pier");
    test_util_discard_window (imported);
  }

  test_util_discard_window (window);
}

/* Shots copied in one window and pasted in another, sketches and images included. */

static gboolean
has_n_shots (gpointer data)
{
  gpointer *args = data;

  return reel_project_get_n_shots (args[0]) == GPOINTER_TO_UINT (args[1]);
}

static gboolean
clipboard_has_shots (gpointer data)
{
  return reel_clipboard_has_shots (data);
}

static void
test_copy_paste_between_windows (void)
{
  g_autoptr(ReelProject) demo = reel_demo_project_new ();
  g_autoptr(GBytes) png = reel_test_make_png (64, 36, 0x3366ccff);
  g_autoptr(ReelAsset) asset = NULL;
  g_autoptr(GError) error = NULL;
  ReelWindow *source_window, *target_window;
  ReelProject *target;
  GtkSelectionModel *selection;
  ReelShotListView *shot_list;
  ReelShot *copied[2];
  gpointer args[2];

  /* Shot 1C gets a background image so we can see it travel. */
  asset = reel_asset_new_from_bytes (png, &error);
  g_assert_no_error (error);
  reel_edit_add_variant (demo, shot_at (demo, 0, 2), asset);
  reel_edit_set_background (demo, shot_at (demo, 0, 2), reel_asset_get_hash (asset));
  copied[0] = shot_at (demo, 0, 2);
  copied[1] = shot_at (demo, 0, 4);
  g_assert_cmpuint (reel_sketch_get_n_strokes (reel_shot_get_sketch (copied[0])), >, 0);

  /* Select 1C and 1E in the shot list of the first window and copy. */
  source_window = test_util_open_window (demo);
  gtk_widget_activate_action (GTK_WIDGET (source_window), "win.show-view", "s", "shot-list");
  shot_list = REEL_SHOT_LIST_VIEW (test_util_find_widget (GTK_WIDGET (source_window),
                                                          REEL_TYPE_SHOT_LIST_VIEW));
  test_util_wait_shown (GTK_WIDGET (shot_list));
  selection = reel_shot_list_view_get_selection_model (shot_list);
  gtk_selection_model_select_item (selection, 2, TRUE);
  gtk_selection_model_select_item (selection, 4, FALSE);
  {
    g_autoptr(GPtrArray) selected = reel_window_get_selected_shots (source_window);

    g_assert_cmpuint (selected->len, ==, 2);
    g_assert_true (g_ptr_array_index (selected, 0) == copied[0]);
    g_assert_true (g_ptr_array_index (selected, 1) == copied[1]);
  }
  gtk_widget_activate_action (GTK_WIDGET (source_window), "win.copy-shots", NULL);
  /* The images are checked on a worker thread before the clipboard takes the shots. */
  g_assert_true (test_util_wait (clipboard_has_shots,
                                 gtk_widget_get_clipboard (GTK_WIDGET (source_window)),
                                 TEST_UTIL_DEADLINE_MS));
  /* Other programs get the shots as text a spreadsheet can take. */
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (source_window));
    GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

    g_assert_true (gdk_content_formats_contain_mime_type (formats,
                                                          "application/x-storyreel-shots"));
    g_assert_true (gdk_content_formats_contain_mime_type (formats, "text/plain;charset=utf-8"));
  }

  /* Paste into a new project in another window: after its only shot. */
  target_window = test_util_open_window (NULL);
  target = reel_window_get_project (target_window);
  /* Its scene's set is the harbour with everyone sitting down (eyes a metre lower):
   * the pasted cameras, level with the eyes in the demo, now look down on them. */
  {
    g_autoptr(ReelSet) set = reel_set_copy (reel_scene_get_set (reel_project_get_scene (demo, 0)));

    g_assert_cmpuint (set->marks->len, >, 0);
    for (guint i = 0; i < set->marks->len; i++)
      {
        ReelSetMark *mark = &g_array_index (set->marks, ReelSetMark, i);

        mark->eye_height -= 1.0;
      }
    reel_edit_set_scene_set (target, reel_project_get_scene (target, 0), set, NULL);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (target_window), "win.paste-shots", NULL));
  args[0] = target;
  args[1] = GUINT_TO_POINTER (3);
  g_assert_true (test_util_wait (has_n_shots, args, 5000));

  for (guint i = 0; i < 2; i++)
    {
      ReelShot *pasted = shot_at (target, 0, i + 1);

      g_assert_cmpstr (reel_shot_get_description (pasted), ==,
                       reel_shot_get_description (copied[i]));
      g_assert_cmpstr (reel_shot_get_dialogue (pasted), ==, reel_shot_get_dialogue (copied[i]));
      g_assert_true (reel_sketch_equal (reel_shot_get_sketch (pasted),
                                        reel_shot_get_sketch (copied[i])));
      g_assert_cmpstr (reel_shot_get_id (pasted), !=, reel_shot_get_id (copied[i]));
      /* The camera travels, and the shot's fields follow it in the target's set. */
      g_assert_nonnull (reel_shot_get_camera (copied[i]));
      g_assert_true (reel_shot_camera_equal (reel_shot_get_camera (pasted),
                                             reel_shot_get_camera (copied[i])));
      {
        ReelCameraDerived derived;

        g_assert_true (reel_shot_derive_camera (pasted, target, &derived));
        g_assert_nonnull (derived.size_id);
        g_assert_cmpstr (reel_shot_get_size (pasted), ==, derived.size_id);
        g_assert_cmpstr (reel_shot_get_angle (pasted), ==, derived.angle_id);
        g_assert_cmpfloat (reel_shot_get_lens_mm (pasted), ==, derived.lens_mm);
        if (i == 0)
          g_assert_cmpstr (reel_shot_get_angle (copied[i]), !=, derived.angle_id);
      }
    }
  g_assert_cmpstr (reel_shot_get_background (shot_at (target, 0, 1)), ==,
                   reel_asset_get_hash (asset));
  g_assert_nonnull (reel_project_lookup_asset (target, reel_asset_get_hash (asset)));
  g_assert_true (reel_window_get_current_shot (target_window) == shot_at (target, 0, 2));

  /* The source is unchanged; one undo takes the whole paste back. */
  g_assert_cmpuint (reel_project_get_n_shots (reel_window_get_project (source_window)), ==, 8);
  reel_history_undo (reel_project_get_history (target));
  g_assert_cmpuint (reel_project_get_n_shots (target), ==, 1);

  test_util_discard_window (target_window);
  test_util_discard_window (source_window);
}

/* Keys: shot actions by key, except while typing in a field. */

static gboolean
is_editing (gpointer data)
{
  GtkWidget *text = test_util_find_widget (data, GTK_TYPE_TEXT);

  return gtk_widget_has_focus (text);
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_str_equal (gtk_widget_get_name (widget), name) && gtk_widget_get_mapped (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_unless_typing (void)
{
  g_autoptr(ReelProject) demo = reel_demo_project_new ();
  ReelWindow *window = test_util_open_window (demo);
  ReelProject *project = reel_window_get_project (window);
  GtkWidget *shot_list;
  GtkWidget *cell;
  GtkWidget *text;
  int x, y;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "shot-list");
  shot_list = test_util_find_widget (GTK_WIDGET (window), REEL_TYPE_SHOT_LIST_VIEW);
  test_util_wait_shown (shot_list);
  test_util_screen_point (shot_list, 40, 40, &x, &y);
  {
    g_autofree char *sx = g_strdup_printf ("%d", x);
    g_autofree char *sy = g_strdup_printf ("%d", y);

    test_util_xdotool ("mousemove", sx, sy, NULL);
  }
  test_util_focus_window (GTK_WINDOW (window));
  reel_window_set_current_shot (window, shot_at (project, 0, 7));

  /* N adds a shot at the end of the scene, D duplicates, Delete deletes. */
  gtk_widget_grab_focus (shot_list);
  test_util_xdotool ("key", "n", NULL);
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 9);
  g_assert_true (reel_window_get_current_shot (window) == shot_at (project, 0, 8));
  g_assert_cmpstr (reel_shot_get_number (shot_at (project, 0, 8)), ==, "1J");
  test_util_xdotool ("key", "d", NULL);
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 10);
  test_util_xdotool ("key", "Delete", NULL);
  test_util_xdotool ("key", "Delete", NULL);
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 8);
  test_util_xdotool ("key", "Page_Up", NULL);
  g_assert_true (reel_window_get_current_shot (window) == shot_at (project, 0, 6));

  /* In a text field the same keys type: a notes cell, opened with Enter. */
  cell = find_named (shot_list, "notes");
  g_assert_nonnull (cell);
  gtk_widget_grab_focus (cell);
  test_util_xdotool ("key", "Return", NULL);
  g_assert_true (test_util_wait (is_editing, cell, 2000));
  test_util_xdotool ("key", "ctrl+a", "key", "BackSpace", NULL);
  test_util_xdotool ("type", "--delay", "30", "nd", NULL);
  test_util_xdotool ("key", "Delete", "key", "Page_Up", NULL);
  text = test_util_find_widget (cell, GTK_TYPE_TEXT);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (text)), ==, "nd");
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 8);
  test_util_xdotool ("key", "Escape", NULL);

  test_util_discard_window (window);
}

/* Inserting, renumbering, new and deleted scenes, each one undo step. */

static const char *
numbers (ReelProject *project,
         guint        scene)
{
  static char text[256];
  ReelScene *s = reel_project_get_scene (project, scene);

  text[0] = '\0';
  for (guint i = 0; i < reel_scene_get_n_shots (s); i++)
    {
      g_strlcat (text, i > 0 ? " " : "", sizeof text);
      g_strlcat (text, reel_shot_get_number (reel_scene_get_shot (s, i)), sizeof text);
    }

  return text;
}

static void
test_scene_actions (void)
{
  g_autoptr(ReelProject) demo = reel_demo_project_new ();
  ReelWindow *window = test_util_open_window (demo);
  ReelProject *project = reel_window_get_project (window);
  ReelHistory *history = reel_project_get_history (project);
  GtkWidget *shot_list;
  int x, y;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "shot-list");
  shot_list = test_util_find_widget (GTK_WIDGET (window), REEL_TYPE_SHOT_LIST_VIEW);
  test_util_wait_shown (shot_list);
  test_util_screen_point (shot_list, 40, 40, &x, &y);
  {
    g_autofree char *sx = g_strdup_printf ("%d", x);
    g_autofree char *sy = g_strdup_printf ("%d", y);

    test_util_xdotool ("mousemove", sx, sy, NULL);
  }
  test_util_focus_window (GTK_WINDOW (window));

  /* Shift+N after 1A, where 1B exists: 1AA, right after it, and current. */
  reel_window_set_current_shot (window, shot_at (project, 0, 0));
  test_util_xdotool ("key", "shift+n", NULL);
  g_assert_cmpstr (numbers (project, 0), ==, "1A 1AA 1B 1C 1D 1E 1F 1G 1H");
  g_assert_true (reel_window_get_current_shot (window) == shot_at (project, 0, 1));

  /* Ctrl+Shift+R renumbers the scene: 1A 1B … again, skipping I. */
  test_util_xdotool ("key", "ctrl+shift+r", NULL);
  g_assert_cmpstr (numbers (project, 0), ==, "1A 1B 1C 1D 1E 1F 1G 1H 1J");

  /* Ctrl+Shift+N: a new scene 2 after this one, with one shot, current. */
  test_util_xdotool ("key", "ctrl+shift+n", NULL);
  g_assert_cmpuint (reel_project_get_n_scenes (project), ==, 2);
  g_assert_cmpstr (reel_scene_get_number (reel_project_get_scene (project, 1)), ==, "2");
  g_assert_cmpstr (numbers (project, 1), ==, "2A");
  g_assert_true (reel_window_get_current_shot (window) == shot_at (project, 1, 0));

  /* Ctrl+Shift+Delete deletes the current scene; the last scene cannot go. */
  test_util_xdotool ("key", "ctrl+shift+Delete", NULL);
  g_assert_cmpuint (reel_project_get_n_scenes (project), ==, 1);
  g_assert_true (reel_shot_get_scene (reel_window_get_current_shot (window)) ==
                 reel_project_get_scene (project, 0));
  test_util_xdotool ("key", "ctrl+shift+Delete", NULL);
  g_assert_cmpuint (reel_project_get_n_scenes (project), ==, 1);

  /* Four steps, each undone by one Ctrl+Z. */
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, 4);
  for (guint i = 0; i < 4; i++)
    test_util_xdotool ("key", "ctrl+z", NULL);
  g_assert_cmpstr (numbers (project, 0), ==, "1A 1B 1C 1D 1E 1F 1G 1H");
  g_assert_false (reel_history_can_undo (history));

  test_util_discard_window (window);
}

/* Every accelerator is in the Keyboard Shortcuts window, and the Undo button says
 * what it undoes. */

static gboolean
overlay_lists (GPtrArray  *shortcuts,
               const char *action,
               const char *accel)
{
  guint key;
  GdkModifierType mods;

  g_assert_true (gtk_accelerator_parse (accel, &key, &mods));

  for (guint i = 0; i < shortcuts->len; i++)
    {
      g_autofree char *action_name = NULL;
      g_autofree char *accelerator = NULL;
      g_auto(GStrv) keys = NULL;

      g_object_get (shortcuts->pdata[i], "action-name", &action_name,
                    "accelerator", &accelerator, NULL);
      if (action_name != NULL && g_str_equal (action_name, action))
        return TRUE;
      if (accelerator == NULL)
        continue;

      keys = g_strsplit (accelerator, " ", -1);
      for (guint k = 0; keys[k] != NULL; k++)
        {
          guint shown_key;
          GdkModifierType shown_mods;

          if (gtk_accelerator_parse (keys[k], &shown_key, &shown_mods) &&
              shown_key == key && shown_mods == mods)
            return TRUE;
        }
    }

  return FALSE;
}

static void
collect_shortcuts (GtkWidget *widget,
                   GPtrArray *shortcuts)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    g_ptr_array_add (shortcuts, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_shortcuts (child, shortcuts);
}

static void
test_accelerators_listed (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_PREFIX
                                                                 "/help-overlay.ui");
  g_autoptr(GPtrArray) shortcuts = g_ptr_array_new ();
  GtkWidget *overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  const ReelAccelerator *accelerators;
  guint n;

  collect_shortcuts (overlay, shortcuts);
  accelerators = reel_application_get_accelerators (&n);
  g_assert_cmpuint (n, >=, 20);

  for (guint i = 0; i < n; i++)
    for (guint a = 0; accelerators[i].accels[a] != NULL; a++)
      if (!overlay_lists (shortcuts, accelerators[i].action, accelerators[i].accels[a]))
        g_error ("%s (%s) is missing from the Keyboard Shortcuts window",
                 accelerators[i].action, accelerators[i].accels[a]);

  gtk_window_destroy (GTK_WINDOW (overlay));
}

static gboolean
window_not_busy (gpointer data)
{
  return !reel_window_get_busy (data);
}

static gboolean
canvas_busy (GtkWidget *canvas)
{
  gboolean busy;

  g_object_get (canvas, "busy", &busy, NULL);
  return busy;
}

/* What start-up waits for (the first frame of bench-startup, the thumbnails): on the Board,
 * the window stays busy until its canvas has the current shot's panel rendered, not just
 * its thumbnail or grey; on another page, only while it reads or writes its file. */
static void
test_busy_until_panel_drawn (void)
{
  g_autoptr(ReelProject) demo = reel_demo_project_new ();
  ReelWindow *window = reel_window_new_for_project (ADW_APPLICATION (test_app), demo);
  ReelProject *project = reel_window_get_project (window);
  GtkWidget *canvas = test_util_find_widget (GTK_WIDGET (window), REEL_TYPE_CANVAS);

  g_assert_true (reel_canvas_get_shot (REEL_CANVAS (canvas)) == shot_at (project, 0, 0));

  /* Nothing rendered before the canvas has a size. */
  g_assert_true (canvas_busy (canvas));
  g_assert_true (reel_window_get_busy (window));

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (test_util_wait (window_not_busy, window, TEST_UTIL_DEADLINE_MS));
  g_assert_false (canvas_busy (canvas));

  /* Another shot: busy again until its own panel is rendered. */
  reel_window_set_current_shot (window, shot_at (project, 0, 1));
  g_assert_true (canvas_busy (canvas));
  g_assert_true (reel_window_get_busy (window));
  g_assert_true (test_util_wait (window_not_busy, window, TEST_UTIL_DEADLINE_MS));

  /* Off the Board, the canvas does not count. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "shot-list");
  reel_window_set_current_shot (window, shot_at (project, 0, 2));
  g_assert_false (reel_window_get_busy (window));

  test_util_discard_window (window);
}

typedef struct
{
  ReelWindow *window;
  gboolean    painted;
  gboolean    busy;
  gboolean    canvas_mapped;
} FirstPaint;

static void
first_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  FirstPaint *paint = user_data;
  GtkWidget *canvas = test_util_find_widget (GTK_WIDGET (paint->window), REEL_TYPE_CANVAS);

  g_signal_handlers_disconnect_by_func (clock, first_paint_cb, user_data);
  paint->painted = TRUE;
  paint->busy = reel_window_get_busy (paint->window);
  paint->canvas_mapped = gtk_widget_get_mapped (canvas);
}

static void
first_paint_mapped_cb (GtkWidget *widget,
                       gpointer   user_data)
{
  g_signal_handlers_disconnect_by_func (widget, first_paint_mapped_cb, user_data);
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                    G_CALLBACK (first_paint_cb), user_data);
}

static gboolean
first_paint_done (gpointer data)
{
  return ((FirstPaint *) data)->painted;
}

/* The first frame a window paints on the Board has the current shot's panel in it, its
 * background and sketch rendered: no grey or thumbnail that the panel replaces a frame later.
 * Then the next shot's panel is drawn as before, the stand-in showing while it renders. */
static void
test_first_frame_has_panel (void)
{
  g_autoptr(ReelProject) demo = reel_demo_project_new ();
  ReelWindow *window = reel_window_new_for_project (ADW_APPLICATION (test_app), demo);
  ReelProject *project = reel_window_get_project (window);
  GtkWidget *canvas = test_util_find_widget (GTK_WIDGET (window), REEL_TYPE_CANVAS);
  FirstPaint paint = { window, FALSE, TRUE, FALSE };

  g_signal_connect (window, "map", G_CALLBACK (first_paint_mapped_cb), &paint);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (test_util_wait (first_paint_done, &paint, TEST_UTIL_DEADLINE_MS));
  g_assert_true (paint.canvas_mapped);
  g_assert_false (paint.busy);
  g_assert_false (canvas_busy (canvas));
  g_assert_false (reel_canvas_is_rendering (REEL_CANVAS (canvas)));

  /* Later shots are not waited for: the frame shows the stand-in while they render. */
  reel_window_set_current_shot (window, shot_at (project, 0, 1));
  g_assert_true (canvas_busy (canvas));
  g_assert_true (test_util_wait (window_not_busy, window, TEST_UTIL_DEADLINE_MS));

  test_util_discard_window (window);
}

static gboolean
has_lens_spin (gpointer inspector)
{
  return test_util_find_by_tooltip (inspector, GTK_TYPE_SPIN_BUTTON, "Focal length in millimetres") != NULL;
}

static char *
text_view_get_text (GtkWidget *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The inspector's camera and notes groups, below the fold, are built after the window's
 * first frame, without the user scrolling: then they show the current shot's camera and
 * notes, follow it to another shot, and edit it (one undo step). */
static void
test_inspector_groups_after_first_frame (void)
{
  g_autoptr(ReelProject) demo = reel_demo_project_new ();
  ReelShot *first = shot_at (demo, 0, 0);
  ReelShot *second = shot_at (demo, 0, 1);
  ReelWindow *window;
  GtkWidget *inspector, *lens_spin, *notes_view;
  g_autofree char *notes = NULL;
  ReelHistory *history;

  reel_shot_set_lens_mm (first, 85);
  reel_shot_set_notes (first, "Hold on the gull.");
  reel_shot_set_lens_mm (second, 24);
  reel_shot_set_notes (second, "Handheld.");
  reel_project_mark_saved (demo);

  window = test_util_open_window (demo);
  history = reel_project_get_history (reel_window_get_project (window));
  inspector = test_util_find_widget (GTK_WIDGET (window), REEL_TYPE_INSPECTOR);
  g_assert_true (test_util_wait (has_lens_spin, inspector, TEST_UTIL_DEADLINE_MS));
  lens_spin = test_util_find_by_tooltip (inspector, GTK_TYPE_SPIN_BUTTON, "Focal length in millimetres");
  notes_view = test_util_find_by_tooltip (inspector, GTK_TYPE_TEXT_VIEW, "Notes for the crew");
  g_assert_nonnull (notes_view);
  g_assert_true (gtk_widget_is_ancestor (lens_spin, inspector));

  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (lens_spin)), ==, 85);
  notes = text_view_get_text (notes_view);
  g_assert_cmpstr (notes, ==, "Hold on the gull.");

  reel_window_set_current_shot (window, second);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (lens_spin)), ==, 24);
  g_free (notes);
  notes = text_view_get_text (notes_view);
  g_assert_cmpstr (notes, ==, "Handheld.");

  /* Edited from the inspector: the shot changes, and one undo takes it back. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (lens_spin), 50);
  g_assert_cmpfloat (reel_shot_get_lens_mm (second), ==, 50);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes_view)),
                            "Locked off.", -1);
  g_assert_cmpstr (reel_shot_get_notes (second), ==, "Locked off.");
  reel_inspector_end_typing (REEL_INSPECTOR (inspector));
  reel_history_undo (history);
  g_assert_cmpstr (reel_shot_get_notes (second), ==, "Handheld.");
  g_free (notes);
  notes = text_view_get_text (notes_view);
  g_assert_cmpstr (notes, ==, "Handheld.");

  test_util_discard_window (window);
}

static void
collect_toggle_buttons (GtkWidget *widget,
                        GPtrArray *buttons)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_TOGGLE_BUTTON (child) && gtk_widget_get_visible (child))
        g_ptr_array_add (buttons, child);
      collect_toggle_buttons (child, buttons);
    }
}

static gboolean
switcher_bar_revealed (gpointer bar)
{
  return adw_view_switcher_bar_get_reveal (bar) && gtk_widget_get_mapped (bar);
}

/* GtkButton ignores an activation until it is realized: the bar's buttons are drawn in
 * the frame after they are made, which can be late on a busy machine. */
static gboolean
widget_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static gboolean
stack_shows_shot_list (gpointer stack)
{
  return g_strcmp0 (adw_view_stack_get_visible_child_name (stack), "shot-list") == 0;
}

static gboolean
stack_shows_board (gpointer stack)
{
  return g_strcmp0 (adw_view_stack_get_visible_child_name (stack), "board") == 0;
}

static gboolean
switcher_bar_has_stack (gpointer bar)
{
  return adw_view_switcher_bar_get_stack (bar) != NULL;
}

/* The view switcher at the bottom of a narrow window is made when it first shows (a wide
 * window never needs it): then it has a button for each page, and its buttons switch. */
static void
test_switcher_bar_when_narrow (void)
{
  ReelWindow *window = test_util_open_window (NULL);
  GtkWidget *bar = test_util_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_BAR);
  AdwViewStack *stack = ADW_VIEW_STACK (test_util_find_widget (GTK_WIDGET (window),
                                                               ADW_TYPE_VIEW_STACK));
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  guint n_pages = g_list_model_get_n_items (G_LIST_MODEL (adw_view_stack_get_pages (stack)));

  g_assert_nonnull (bar);
  if (!adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (bar)))
    g_assert_null (adw_view_switcher_bar_get_stack (ADW_VIEW_SWITCHER_BAR (bar)));

  /* What a narrow window does: its header bar has no room for the switcher in the title
   * (the title-visible binding). Narrowing the window itself makes libadwaita 1.2 warn
   * about a widget it draws before laying it out. */
  adw_view_switcher_bar_set_reveal (ADW_VIEW_SWITCHER_BAR (bar), TRUE);
  g_assert_true (test_util_wait (switcher_bar_revealed, bar, TEST_UTIL_DEADLINE_MS));
  g_assert_true (test_util_wait (switcher_bar_has_stack, bar, TEST_UTIL_DEADLINE_MS));
  g_assert_true (adw_view_switcher_bar_get_stack (ADW_VIEW_SWITCHER_BAR (bar)) == stack);
  test_util_settle ();

  collect_toggle_buttons (bar, buttons);
  g_assert_cmpuint (buttons->len, ==, n_pages);
  g_assert_cmpuint (n_pages, >=, 3);
  /* A button's activation is a short press, over in a moment. */
  g_assert_true (test_util_wait (widget_mapped, g_ptr_array_index (buttons, 1),
                                 TEST_UTIL_DEADLINE_MS));
  gtk_widget_activate (g_ptr_array_index (buttons, 1));
  g_assert_true (test_util_wait (stack_shows_shot_list, stack, TEST_UTIL_DEADLINE_MS));
  g_assert_true (test_util_wait (widget_mapped, g_ptr_array_index (buttons, 0),
                                 TEST_UTIL_DEADLINE_MS));
  gtk_widget_activate (g_ptr_array_index (buttons, 0));
  g_assert_true (test_util_wait (stack_shows_board, stack, TEST_UTIL_DEADLINE_MS));

  test_util_discard_window (window);
}

static gboolean
has_generation_panel (gpointer window)
{
  return test_util_find_widget (window, REEL_TYPE_GENERATION_PANEL) != NULL;
}

/* The generation panel, below the fold of the inspector, is not built with the window but
 * when the inspector is scrolled down to it; then it follows the current shot. */
static void
test_generation_panel_on_scroll (void)
{
  g_autoptr(ReelProject) demo = reel_demo_project_new ();
  ReelWindow *window = test_util_open_window (demo);
  ReelProject *project = reel_window_get_project (window);
  GtkWidget *inspector = test_util_find_widget (GTK_WIDGET (window), REEL_TYPE_INSPECTOR);
  GtkWidget *scroller = test_util_find_widget (inspector, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment =
    gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  GtkWidget *panel;

  gtk_window_unmaximize (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  g_assert_true (test_util_wait (window_not_busy, window, TEST_UTIL_DEADLINE_MS));
  test_util_settle ();
  /* Where the inspector's groups are taller than one and a half heights of it, as in a
   * window of the default size (not on a very tall screen, where all of them show). */
  if (gtk_adjustment_get_upper (adjustment) > 1.5 * gtk_adjustment_get_page_size (adjustment))
    g_assert_false (has_generation_panel (window));
  else
    g_test_message ("The inspector shows everything: the panel is built at once.");

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  g_assert_true (test_util_wait (has_generation_panel, window, TEST_UTIL_DEADLINE_MS));
  panel = test_util_find_widget (GTK_WIDGET (window), REEL_TYPE_GENERATION_PANEL);
  g_assert_true (reel_generation_panel_get_shot (REEL_GENERATION_PANEL (panel))
                 == reel_window_get_current_shot (window));

  reel_window_set_current_shot (window, shot_at (project, 0, 1));
  g_assert_true (reel_generation_panel_get_shot (REEL_GENERATION_PANEL (panel))
                 == shot_at (project, 0, 1));

  test_util_discard_window (window);
}

static gboolean
overlay_shown (gpointer data)
{
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (data);

  return overlay != NULL && gtk_widget_get_mapped (GTK_WIDGET (overlay));
}

static gboolean
overlay_hidden (gpointer data)
{
  return !gtk_widget_get_visible (GTK_WIDGET (gtk_application_window_get_help_overlay (data)));
}

/* The Keyboard Shortcuts window is built when first asked for, not with every window (which
 * GtkApplication does for a resource at gtk/help-overlay.ui), and Ctrl+? still shows it. */
static void
test_help_overlay_on_demand (void)
{
  g_autoptr(ReelProject) demo = reel_demo_project_new ();
  ReelWindow *window = test_util_open_window (demo);
  GtkShortcutsWindow *overlay;

  g_assert_false (g_resources_get_info (RESOURCE_PREFIX "/gtk/help-overlay.ui",
                                        G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL, NULL));
  test_util_wait_shown (GTK_WIDGET (window));
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  test_util_focus_window (GTK_WINDOW (window));
  test_util_xdotool ("key", "ctrl+question", NULL);
  g_assert_true (test_util_wait (overlay_shown, window, TEST_UTIL_DEADLINE_MS));
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (overlay)) == GTK_WINDOW (window));

  /* Closed, it is kept for the next time. */
  gtk_window_close (GTK_WINDOW (overlay));
  g_assert_true (test_util_wait (overlay_hidden, window, TEST_UTIL_DEADLINE_MS));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  g_assert_true (test_util_wait (overlay_shown, window, TEST_UTIL_DEADLINE_MS));
  g_assert_true (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window))
                 == overlay);
  gtk_window_close (GTK_WINDOW (overlay));

  test_util_discard_window (window);
}

static void
test_undo_labels (void)
{
  g_autoptr(ReelProject) demo = reel_demo_project_new ();
  ReelWindow *window = test_util_open_window (demo);
  ReelProject *project = reel_window_get_project (window);
  GtkWidget *undo = NULL;

  reel_edit_set_double (project, G_OBJECT (shot_at (project, 0, 0)), "lens-mm", 85);
  test_util_settle ();

  /* The window's Undo button, found by its action. */
  {
    g_autoptr(GPtrArray) stack = g_ptr_array_new ();

    g_ptr_array_add (stack, window);
    while (stack->len > 0 && undo == NULL)
      {
        GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

        if (GTK_IS_BUTTON (widget) &&
            g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "win.undo") == 0)
          undo = widget;
        for (GtkWidget *child = gtk_widget_get_first_child (widget);
             child != NULL;
             child = gtk_widget_get_next_sibling (child))
          g_ptr_array_add (stack, child);
      }
  }
  g_assert_nonnull (undo);
  g_assert_true (gtk_widget_is_sensitive (undo));
  {
    ReelHistory *history = reel_project_get_history (project);
    g_autofree char *expected = reel_history_dup_undo_menu_label (history);

    g_assert_cmpstr (gtk_widget_get_tooltip_text (undo), ==, expected);
    g_assert_cmpstr (expected, !=, "Undo");
  }

  /* Undo by key, then redo by both of its keys. */
  test_util_focus_window (GTK_WINDOW (window));
  test_util_xdotool ("key", "ctrl+z", NULL);
  g_assert_cmpfloat (reel_shot_get_lens_mm (shot_at (project, 0, 0)), !=, 85);
  g_assert_false (gtk_widget_is_sensitive (undo));
  test_util_xdotool ("key", "ctrl+shift+z", NULL);
  g_assert_cmpfloat (reel_shot_get_lens_mm (shot_at (project, 0, 0)), ==, 85);
  test_util_xdotool ("key", "ctrl+z", NULL);
  test_util_xdotool ("key", "ctrl+y", NULL);
  g_assert_cmpfloat (reel_shot_get_lens_mm (shot_at (project, 0, 0)), ==, 85);

  test_util_discard_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  test_util_init (&argc, &argv);
  tmp_dir = g_dir_make_tmp ("storyreel-test-window-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/window/recovery", test_recovery);
  g_test_add_func ("/window/new-project", test_new_project);
  g_test_add_func ("/window/unsaved-dialog", test_unsaved_dialog);
  g_test_add_func ("/window/save-and-close", test_save_and_close);
  g_test_add_func ("/window/open-failure", test_open_failure);
  g_test_add_func ("/window/open-reuses-windows", test_open_reuses_windows);
  g_test_add_func ("/window/drop-files", test_drop_files);
  g_test_add_func ("/window/import-fdx", test_import_fdx);
  g_test_add_func ("/window/copy-paste-between-windows", test_copy_paste_between_windows);
  g_test_add_func ("/window/unless-typing", test_unless_typing);
  g_test_add_func ("/window/scene-actions", test_scene_actions);
  g_test_add_func ("/window/accelerators-listed", test_accelerators_listed);
  g_test_add_func ("/window/undo-labels", test_undo_labels);
  g_test_add_func ("/window/help-overlay-on-demand", test_help_overlay_on_demand);
  g_test_add_func ("/window/busy-until-panel-drawn", test_busy_until_panel_drawn);
  g_test_add_func ("/window/first-frame-has-panel", test_first_frame_has_panel);
  g_test_add_func ("/window/switcher-bar-when-narrow", test_switcher_bar_when_narrow);
  g_test_add_func ("/window/inspector-groups-after-first-frame",
                   test_inspector_groups_after_first_frame);
  g_test_add_func ("/window/generation-panel-on-scroll", test_generation_panel_on_scroll);

  status = reel_test_run ();

  g_application_release (G_APPLICATION (test_app));
  g_clear_object (&test_app);
  g_free (tmp_dir);

  return status;
}
