/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "storage/reel-demo.h"
#include "storage/reel-project-file.h"

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
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
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

int
main (int   argc,
      char *argv[])
{
  int status;

  test_util_init (&argc, &argv);

  g_test_add_func ("/window/set-error-toast", test_set_error_toast);

  status = reel_test_run ();

  g_application_release (G_APPLICATION (test_app));
  g_clear_object (&test_app);
  return status;
}
