/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "core/reel-set-edit.h"
#include "storage/reel-demo.h"
#include "storage/reel-project-file-private.h"
#include "storage/reel-project-file.h"
#include "widgets/reel-canvas.h"

#include "window-test-util.h"
#include "../reel-test-require.h"

/* A project whose set cannot be read opens without it, and the window says so: a toast
 * naming the scene stays until the user closes it. */

static GtkWidget *
find_label_containing (GtkWidget  *root,
                       const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child)
          && strstr (gtk_label_get_text (GTK_LABEL (child)), text) != NULL)
        return child;
      if ((found = find_label_containing (child, text)) != NULL)
        return found;
    }

  return NULL;
}

static gboolean
window_has_file (gpointer data)
{
  return reel_window_get_file (data) != NULL;
}

static gboolean
toast_is_shown (gpointer data)
{
  return find_label_containing (data, "could not be read") != NULL;
}

static void
test_set_error_toast (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("storyreel-test-set-errors-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "harbour.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelProject) demo = reel_demo_project_new ();
  ReelWindow *window;
  ReelProject *project;
  GtkWidget *label;
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  g_assert_true (reel_project_file_save (demo, file, NULL, &error));
  g_assert_no_error (error);
  /* Once the save's space is given back, and waiting on the file's lock, as a reader would. */
  reel_project_file_wait_compacted (file);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, TEST_UTIL_DEADLINE_MS);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE scene_sets SET data = randomblob(4096)", NULL, NULL,
                                 NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  /* A new window opens the file, as Open does. */
  window = test_util_open_window (NULL);
  reel_window_open_file (window, file);
  g_assert_true (test_util_wait (window_has_file, window, 10000));
  project = reel_window_get_project (window);

  /* The rest of the project is there; the harbour has no set. */
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, reel_project_get_n_shots (demo));
  g_assert_null (reel_scene_get_set (reel_project_get_scene (project, 0)));

  g_assert_true (test_util_wait (toast_is_shown, window, 10000));
  label = find_label_containing (GTK_WIDGET (window), "could not be read");
  g_test_message ("%s", gtk_label_get_text (GTK_LABEL (label)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "EXT. HARBOUR"));

  test_util_discard_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* New Angle, from the shot list's menu: a reverse of a close-up of Maya is a new shot
 * right after it with its own camera, current, one undo step; a shot without a camera
 * offers no angle, and an angle the set cannot give says why and changes nothing. */

static GtkWidget *
find_menu_label (GtkWidget  *root,
                 const char *text,
                 gboolean    in_menu)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gboolean child_in_menu = in_menu || GTK_IS_POPOVER_MENU (child);
      GtkWidget *found;

      if (child_in_menu && GTK_IS_LABEL (child)
          && g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), text) == 0)
        return child;
      if ((found = find_menu_label (child, text, child_in_menu)) != NULL)
        return found;
    }

  return NULL;
}

typedef struct
{
  ReelWindow *window;
  gboolean sensitive;
} MenuState;

static gboolean
reverse_item_is (gpointer data)
{
  MenuState *state = data;
  GtkWidget *label = find_menu_label (GTK_WIDGET (state->window), "Reverse", FALSE);

  return label != NULL && gtk_widget_is_sensitive (label) == state->sensitive;
}

static gboolean
reverse_toast_is_shown (gpointer data)
{
  return find_label_containing (data, "A Reverse needs a second mark on the set") != NULL;
}

static gboolean
no_camera_toast_is_shown (gpointer data)
{
  return find_label_containing (data, "has no camera on the set") != NULL;
}

static void
test_new_angle (void)
{
  g_autoptr(ReelProject) demo = reel_demo_project_new ();
  g_autoptr(ReelSet) without_tom = NULL;
  ReelWindow *window;
  ReelProject *project;
  ReelHistory *history;
  ReelScene *scene;
  ReelShot *close_up, *angle, *bare;
  MenuState state;
  guint n_shots, n_in_scene;

  window = test_util_open_window (demo);
  project = reel_window_get_project (window);
  history = reel_project_get_history (project);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "shot-list");
  state.window = window;

  /* 1E: close on Maya, on the harbour set with Tom's mark. */
  scene = reel_project_get_scene (project, 0);
  g_assert_nonnull (reel_scene_get_set (scene));
  close_up = reel_scene_get_shot (scene, 4);
  g_assert_nonnull (reel_shot_get_camera (close_up));
  reel_window_set_current_shot (window, close_up);
  state.sensitive = TRUE;
  g_assert_true (test_util_wait (reverse_item_is, &state, 10000));

  n_shots = reel_project_get_n_shots (project);
  n_in_scene = reel_scene_get_n_shots (scene);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-angle", "u",
                                             (guint32) REEL_NEW_ANGLE_REVERSE));
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, n_shots + 1);
  g_assert_cmpuint (reel_scene_get_n_shots (scene), ==, n_in_scene + 1);
  angle = reel_scene_get_shot (scene, 5);
  g_assert_true (angle != close_up);
  g_assert_nonnull (reel_shot_get_camera (angle));
  g_assert_cmpstr (reel_shot_get_camera (angle)->subject, ==, "TOM");
  g_assert_cmpstr (reel_shot_get_number (angle), !=, "");
  g_assert_true (reel_window_get_current_shot (window) == angle);
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, "New Angle: Reverse");

  /* One undo takes the whole new angle away. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, n_shots);
  g_assert_cmpuint (reel_scene_get_n_shots (scene), ==, n_in_scene);
  g_assert_true (reel_scene_get_shot (scene, 4) == close_up);

  /* A shot inserted after it has no camera: no angle to propose from, and the toast
   * says why instead of a menu item that does nothing. */
  reel_window_set_current_shot (window, close_up);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.insert-shot", NULL);
  bare = reel_window_get_current_shot (window);
  g_assert_true (bare != close_up);
  g_assert_null (reel_shot_get_camera (bare));
  state.sensitive = TRUE;
  g_assert_true (test_util_wait (reverse_item_is, &state, 10000));
  n_shots = reel_project_get_n_shots (project);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-angle", "u",
                              (guint32) REEL_NEW_ANGLE_REVERSE);
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, n_shots);
  g_assert_true (reel_window_get_current_shot (window) == bare);
  g_assert_true (test_util_wait (no_camera_toast_is_shown, window, 10000));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, n_shots - 1);

  /* Without Tom's mark a reverse has nobody to look back from: a toast says so. */
  without_tom = reel_set_copy (reel_scene_get_set (scene));
  reel_set_remove_mark (without_tom, 1);
  g_assert_true (reel_edit_set_scene_set (project, scene, without_tom, NULL));
  reel_window_set_current_shot (window, close_up);
  state.sensitive = TRUE;
  g_assert_true (test_util_wait (reverse_item_is, &state, 10000));
  n_shots = reel_project_get_n_shots (project);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-angle", "u",
                              (guint32) REEL_NEW_ANGLE_REVERSE);
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, n_shots);
  g_assert_true (reel_window_get_current_shot (window) == close_up);
  g_assert_cmpstr (reel_history_get_undo_label (history), !=, "New Angle: Reverse");
  g_assert_true (test_util_wait (reverse_toast_is_shown, window, 10000));

  test_util_discard_window (window);
}

/* New Angle on the Board, with real input: Ctrl+R adds a reverse after the shot; a right
 * click on the panel opens its menu, whose New Angle section's Reverse does the same. */

static GtkWidget *
find_shown_menu_label (GtkWidget  *root,
                       const char *text,
                       gboolean    in_menu)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gboolean child_in_menu = in_menu || GTK_IS_POPOVER_MENU (child);
      GtkWidget *found;

      if (child_in_menu && GTK_IS_LABEL (child) && gtk_widget_get_mapped (child)
          && g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), text) == 0)
        return child;
      if ((found = find_shown_menu_label (child, text, child_in_menu)) != NULL)
        return found;
    }

  return NULL;
}

typedef struct
{
  ReelWindow *window;
  const char *text;
} MenuLabel;

static gboolean
menu_label_is_shown (gpointer data)
{
  MenuLabel *wanted = data;

  return find_shown_menu_label (GTK_WIDGET (wanted->window), wanted->text, FALSE) != NULL;
}

static void
click_widget (GtkWidget  *widget,
              const char *button)
{
  g_autofree char *sx = NULL, *sy = NULL;
  int x, y;

  test_util_screen_point (widget, gtk_widget_get_width (widget) / 2.0,
                          gtk_widget_get_height (widget) / 2.0, &x, &y);
  sx = g_strdup_printf ("%d", x);
  sy = g_strdup_printf ("%d", y);
  test_util_xdotool ("mousemove", sx, sy, "click", button, NULL);
}

static void
click_menu_label (ReelWindow *window,
                  const char *text)
{
  MenuLabel wanted = { window, text };

  g_assert_true (test_util_wait (menu_label_is_shown, &wanted, 10000));
  click_widget (find_shown_menu_label (GTK_WIDGET (window), text, FALSE), "1");
}

static gboolean
has_n_shots (gpointer data)
{
  ReelProject *project = reel_window_get_project (data);

  return reel_project_get_n_shots (project)
         == GPOINTER_TO_UINT (g_object_get_data (data, "wanted-shots"));
}

static void
test_board_new_angle (void)
{
  g_autoptr(ReelProject) demo = reel_demo_project_new ();
  ReelWindow *window;
  ReelProject *project;
  ReelHistory *history;
  ReelScene *scene;
  ReelShot *close_up, *angle;
  GtkWidget *canvas;
  guint n_shots;

  /* A submenu slides in: no animation, so that a click lands where the item stands. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  window = test_util_open_window (demo);
  project = reel_window_get_project (window);
  history = reel_project_get_history (project);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "board");
  scene = reel_project_get_scene (project, 0);
  close_up = reel_scene_get_shot (scene, 4);
  reel_window_set_current_shot (window, close_up);
  canvas = test_util_find_widget (GTK_WIDGET (window), REEL_TYPE_CANVAS);
  g_assert_nonnull (canvas);
  test_util_wait_shown (canvas);
  test_util_focus_window (GTK_WINDOW (window));

  /* Ctrl+R: a reverse from the keyboard. */
  n_shots = reel_project_get_n_shots (project);
  g_object_set_data (G_OBJECT (window), "wanted-shots", GUINT_TO_POINTER (n_shots + 1));
  test_util_xdotool ("key", "ctrl+r", NULL);
  g_assert_true (test_util_wait (has_n_shots, window, 10000));
  angle = reel_scene_get_shot (scene, 5);
  g_assert_true (reel_window_get_current_shot (window) == angle);
  g_assert_cmpstr (reel_shot_get_camera (angle)->subject, ==, "TOM");
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, "New Angle: Reverse");
  g_assert_true (reel_history_undo (history));
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, n_shots);
  reel_window_set_current_shot (window, close_up);
  test_util_settle ();

  /* The panel's menu: its New Angle section, Reverse. */
  click_widget (canvas, "3");
  {
    MenuLabel title = { window, "New Angle" };

    g_assert_true (test_util_wait (menu_label_is_shown, &title, 10000));
  }
  click_menu_label (window, "Reverse");
  g_object_set_data (G_OBJECT (window), "wanted-shots", GUINT_TO_POINTER (n_shots + 1));
  g_assert_true (test_util_wait (has_n_shots, window, 10000));
  angle = reel_scene_get_shot (scene, 5);
  g_assert_true (reel_window_get_current_shot (window) == angle);
  g_assert_nonnull (reel_shot_get_camera (angle));
  g_assert_cmpstr (reel_shot_get_camera (angle)->subject, ==, "TOM");
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, "New Angle: Reverse");
  test_util_discard_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  test_util_init (&argc, &argv);

  g_test_add_func ("/window/set-error-toast", test_set_error_toast);
  g_test_add_func ("/window/new-angle", test_new_angle);
  g_test_add_func ("/window/board-new-angle", test_board_new_angle);

  status = reel_test_run ();

  g_application_release (G_APPLICATION (test_app));
  g_clear_object (&test_app);
  return status;
}
