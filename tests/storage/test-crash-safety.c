/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reel-test-project.h"
#include "storage-test-util.h"
#include "storage/reel-project-file.h"

/*
 * kill -9 during a save: this program runs itself as a child that saves a large
 * project over an existing file, and kills it with SIGKILL at a random moment of the
 * save. Afterwards the file must open and hold the old or the new project, never a
 * mix and never an error. Both ways of saving are exercised: edits written in place
 * (SQLite's rollback journal) and a whole new project written over the file
 * (temporary file and rename).
 */

#define N_KILLS 60

typedef enum {
  MODE_IN_PLACE,
  MODE_REPLACE,
} Mode;

/* Edits @project into the version a child with @seed saves: the same in parent
 * and child. */
static void
apply_edits (ReelProject *project,
             guint32      seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  storage_test_random_edits (project, rand, 40);
  /* Strokes on every shot, so the transaction touches pages all over the file. */
  for (guint s = 0; s < reel_project_get_n_scenes (project); s++)
    {
      ReelScene *scene = reel_project_get_scene (project, s);

      for (guint i = 0; i < reel_scene_get_n_shots (scene); i++)
        {
          g_autoptr(ReelStroke) stroke = storage_test_freehand_stroke (rand, 30);

          reel_sketch_append_stroke (reel_shot_get_sketch (reel_scene_get_shot (scene, i)),
                                     REEL_LAYER_SKETCH, stroke);
        }
    }
}

/* The project a child with @seed saves over @old. */
static ReelProject *
make_new_version (ReelProject *old,
                  Mode         mode,
                  guint32      seed)
{
  ReelProject *project;

  if (mode == MODE_REPLACE)
    return reel_test_project_random (seed, 5, 30, 25);

  project = reel_project_copy (old);
  apply_edits (project, seed);
  return project;
}

/* The child: load, build the new version, say "ready", save. */
static int
run_child (const char *mode_name,
           const char *path,
           const char *seed_text)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelProject) old = NULL;
  g_autoptr(ReelProject) next = NULL;
  Mode mode = g_str_equal (mode_name, "in-place") ? MODE_IN_PLACE : MODE_REPLACE;
  guint32 seed = (guint32) g_ascii_strtoull (seed_text, NULL, 10);
  const char ready = 'R';
  gint64 start;

  old = reel_project_file_load (file, NULL, &error);
  if (old == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 1;
    }

  /* In place: the loaded project knows what the file holds and writes the
   * difference. Replace: another project, written whole over the file. */
  if (mode == MODE_IN_PLACE)
    {
      apply_edits (old, seed);
      next = g_object_ref (old);
    }
  else
    next = make_new_version (old, mode, seed);

  if (write (STDOUT_FILENO, &ready, 1) != 1)
    return 1;

  start = g_get_monotonic_time ();
  if (!reel_project_file_save (next, file, NULL, &error))
    {
      g_printerr ("child: %s\n", error->message);
      return 1;
    }
  /* How long the save took, for the parent's next kills. */
  g_print ("%" G_GINT64_FORMAT "\n", g_get_monotonic_time () - start);
  return 0;
}

static void
test_kill_during_save (gconstpointer data)
{
  const char *self = data;
  g_autofree char *dir = storage_test_make_dir ("crash");
  g_autofree char *path = g_build_filename (dir, "crash.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (reel_test_seed (7000));
  g_autoptr(ReelProject) current = reel_test_project_random (7000, 5, 30, 25);
  g_autoptr(GError) error = NULL;
  guint n_old = 0, n_new = 0, n_interrupted = 0;
  gint64 save_us[2] = { 0, 0 };

  g_assert_true (reel_project_file_save (current, file, NULL, &error));
  g_assert_no_error (error);

  for (guint round = 0; round < N_KILLS + 2; round++)
    {
      /* Two rounds without a kill measure how long a save takes. */
      gboolean measure = round < 2;
      Mode mode = round % 2 == 0 ? MODE_IN_PLACE : MODE_REPLACE;
      guint32 seed = g_rand_int (rand);
      g_autofree char *seed_text = g_strdup_printf ("%u", seed);
      const char *argv[] = { self, "--child", mode == MODE_IN_PLACE ? "in-place" : "replace",
                             path, seed_text, NULL };
      g_autoptr(ReelProject) expected = make_new_version (current, mode, seed);
      g_autoptr(ReelProject) found = NULL;
      GPid pid;
      int out_fd;
      char ready;
      char took[32] = "";
      int status;

      g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                               G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                               NULL, &out_fd, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (read (out_fd, &ready, 1), ==, 1);

      if (measure)
        {
          g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
          g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
        }
      else
        {
          /* Anywhere in the save (as long as the last one of its kind took), and now
           * and then just after it. */
          g_usleep (g_rand_int_range (rand, 0, MAX (save_us[mode] * 11 / 10, 1000)));
          kill (pid, SIGKILL);
          g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
          if (WIFSIGNALED (status))
            n_interrupted++;
        }
      /* A save that finished says how long it took: the machine may have got faster. */
      if (WIFEXITED (status) && read (out_fd, took, sizeof took - 1) > 0)
        save_us[mode] = g_ascii_strtoll (took, NULL, 10);
      close (out_fd);
      g_spawn_close_pid (pid);

      found = reel_project_file_load (file, NULL, &error);
      if (found == NULL)
        g_error ("Round %u (%s, seed %u): the file does not open after the kill: %s", round,
                 argv[2], seed, error->message);

      /* What nothing refers to is not saved. */
      reel_project_drop_unused_assets (expected);
      reel_project_drop_unused_assets (current);
      if (reel_project_equal (found, expected))
        {
          n_new++;
        }
      else if (reel_project_equal (found, current))
        {
          n_old++;
          g_assert_false (measure);
        }
      else
        {
          g_autofree char *context = g_strdup_printf ("Round %u (%s, seed %u)", round, argv[2],
                                                      seed);

          if (measure)
            storage_test_assert_equal (expected, found, context);
          g_error ("%s: the file holds neither the old nor the new project", context);
        }

      /* The next round starts from what the file holds. */
      g_set_object (&current, found);
    }

  g_test_message ("a save takes %.1f ms in place, %.1f ms whole; %u kills: %u during the "
                  "save; the file held the old version %u times, the new one %u times",
                  save_us[MODE_IN_PLACE] / 1000.0, save_us[MODE_REPLACE] / 1000.0, N_KILLS,
                  n_interrupted, n_old, n_new - 2);
  g_assert_cmpuint (n_old + n_new, ==, N_KILLS + 2);
  /* The kills must really land inside saves, or this test proves nothing. */
  g_assert_cmpuint (n_interrupted, >=, N_KILLS / 3);
  g_assert_cmpuint (n_old, >=, 1);

  /* Temporary files of killed saves are cleaned up by the next whole save. */
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    guint n_temporary = 0;

    while ((name = g_dir_read_name (d)) != NULL)
      if (g_str_has_suffix (name, ".tmp"))
        n_temporary++;
    g_assert_cmpuint (n_temporary, <=, 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *self = NULL;

  if (argc == 5 && g_str_equal (argv[1], "--child"))
    return run_child (argv[2], argv[3], argv[4]);

  self = g_canonicalize_filename (argv[0], NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/crash-safety/kill-during-save", self, test_kill_during_save);

  return g_test_run ();
}
