/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>

#include "storage-test-util.h"
#include "storage/reel-demo.h"
#include "storage/reel-project-file.h"

/* storyreel info on a project whose set cannot be read: the project is described as
 * usual, and the set that was left out is named, with the reason. */

static char *
run_info (const char *path,
          int        *status)
{
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "LC_ALL", "C.UTF-8", TRUE);
  const char *argv[] = { g_getenv ("STORYREEL_EXE"), "info", path, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int wait_status = 0;

  g_assert_nonnull (argv[0]);
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
  g_assert_true (g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  *status = WEXITSTATUS (wait_status);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", *status, out, err);
  return out;
}

static void
test_info_set_errors (void)
{
  g_autofree char *dir = storage_test_make_dir ("cli-set-errors");
  g_autofree char *path = g_build_filename (dir, "harbour.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelProject) demo = reel_demo_project_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *clean = NULL, *damaged = NULL;
  sqlite3 *db = NULL;
  char *message = NULL;
  int status;

  g_assert_true (reel_project_file_save (demo, file, NULL, &error));
  g_assert_no_error (error);

  /* A sound file says nothing about sets. */
  clean = run_info (path, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_null (strstr (clean, "Unreadable"));

  /* The harbour's set is overwritten with noise behind Storyreel's back. */
  db = storage_test_open_db (path, FALSE);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE scene_sets SET data = randomblob(4096) WHERE scene = "
                                     "(SELECT key FROM scenes WHERE position = 0)",
                                 NULL, NULL, &message), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_free (message);
  sqlite3_close (db);

  damaged = run_info (path, &status);
  g_assert_cmpint (status, ==, 0);
  /* Everything else is described as before … */
  g_assert_true (g_str_has_prefix (damaged, clean));
  /* … then the set that was left out, naming its scene. */
  g_assert_nonnull (strstr (damaged, "Unreadable sets and cameras: 1\n"));
  {
    const char *line = strstr (damaged, "Unreadable sets and cameras: 1\n") +
                       strlen ("Unreadable sets and cameras: 1\n");

    g_assert_true (g_str_has_prefix (line, "  "));
    g_assert_nonnull (strstr (line, "scene 1"));
    g_assert_nonnull (strstr (line, "EXT. HARBOUR"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/info/set-errors", test_info_set_errors);

  return g_test_run ();
}
