/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include "storage-test-util.h"
#include "storage/reel-demo.h"
#include "storage/reel-project-file.h"

/* storyreel info and storyreel new, run as a user runs them: the built program,
 * its exit status, what it prints on stdout and on stderr. */

typedef struct
{
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_storyreel (Run *run,
               ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  const char *exe = g_getenv ("STORYREEL_EXE");
  const char *arg;
  int wait_status = 0;
  va_list args;

  g_assert_nonnull (exe);
  g_ptr_array_add (argv, (gpointer) exe);
  va_start (args, run);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  /* English messages, and no display: the commands must not need one. */
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                               &run->out, &run->err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
}

static void
test_info (void)
{
  g_autofree char *dir = storage_test_make_dir ("cli-info");
  g_autofree char *path = g_build_filename (dir, "demo.storyreel", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.storyreel", NULL);
  g_autofree char *noise = g_build_filename (dir, "noise.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_autoptr(GError) error = NULL;
  g_auto(Run) ok = { 0, };
  g_auto(Run) gone = { 0, };
  g_auto(Run) bad = { 0, };
  g_auto(Run) usage = { 0, };
  g_auto(Run) ntsc = { 0, };

  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);

  run_storyreel (&ok, "info", path, NULL);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_cmpstr (ok.out, ==,
                   "Title: The Kittiwake\n"
                   "Frame rate: 24 fps\n"
                   "Scenes: 1\n"
                   "Shots: 8\n"
                   "Duration: 00:00:33:00 (33.00 s)\n");
  g_assert_cmpstr (ok.err, ==, "");

  /* At 23.976 fps the same frames last a little longer. */
  reel_project_set_frame_rate (project, REEL_FRAME_RATE_INIT (24000, 1001));
  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  run_storyreel (&ntsc, "info", path, NULL);
  g_assert_cmpint (ntsc.status, ==, 0);
  g_assert_nonnull (strstr (ntsc.out, "Frame rate: 23.976 fps\n"));
  g_assert_nonnull (strstr (ntsc.out, "Duration: 00:00:33:00 (33.03 s)\n"));

  run_storyreel (&gone, "info", missing, NULL);
  g_assert_cmpint (gone.status, ==, 3);
  g_assert_cmpstr (gone.out, ==, "");
  g_assert_nonnull (strstr (gone.err, missing));
  g_assert_nonnull (strstr (gone.err, "does not exist"));

  g_assert_true (g_file_set_contents (noise, "\x01\x02 not a database at all", -1, NULL));
  run_storyreel (&bad, "info", noise, NULL);
  g_assert_cmpint (bad.status, ==, 3);
  g_assert_nonnull (strstr (bad.err, noise));
  g_assert_nonnull (strstr (bad.err, "not a Storyreel project"));

  run_storyreel (&usage, "info", NULL);
  g_assert_cmpint (usage.status, ==, 2);
  g_assert_nonnull (strstr (usage.err, "storyreel info FILE"));
}

static void
test_new (void)
{
  g_autofree char *dir = storage_test_make_dir ("cli-new");
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "storage", "data",
                                                   "lighthouse.fountain", NULL);
  g_autofree char *output = g_build_filename (dir, "keeper.storyreel", NULL);
  g_autofree char *empty_output = g_build_filename (dir, "empty.storyreel", NULL);
  g_autofree char *notes = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *missing_script = g_build_filename (dir, "missing.fountain", NULL);
  g_autofree char *expected_out = g_strconcat (output, "\n", NULL);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GBytes) notes_bytes = NULL;
  g_auto(Run) created = { 0, };
  g_auto(Run) info = { 0, };
  g_auto(Run) exists = { 0, };
  g_auto(Run) forced = { 0, };
  g_auto(Run) not_project = { 0, };
  g_auto(Run) missing = { 0, };
  g_auto(Run) no_output = { 0, };
  g_auto(Run) empty = { 0, };
  g_auto(Run) empty_info = { 0, };

  run_storyreel (&created, "new", "--from-fountain", script, "-o", output, NULL);
  g_assert_cmpint (created.status, ==, 0);
  g_assert_cmpstr (created.out, ==, expected_out);

  run_storyreel (&info, "info", output, NULL);
  g_assert_cmpint (info.status, ==, 0);
  g_assert_true (g_str_has_prefix (info.out, "Title: The Keeper's Daughter\n"));
  g_assert_nonnull (strstr (info.out, "Scenes: 9\n"));
  g_assert_nonnull (strstr (info.out, "Shots: 11\n"));

  /* An existing file is kept unless --force. */
  before = storage_test_read_bytes (output);
  run_storyreel (&exists, "new", "--from-fountain", script, "-o", output, NULL);
  g_assert_cmpint (exists.status, ==, 1);
  g_assert_nonnull (strstr (exists.err, output));
  g_assert_nonnull (strstr (exists.err, "--force"));
  after = storage_test_read_bytes (output);
  g_assert_true (g_bytes_equal (before, after));

  run_storyreel (&forced, "new", "--force", "--from-fountain", script, "-o", output, NULL);
  g_assert_cmpint (forced.status, ==, 0);

  /* --force replaces projects, never other files. */
  g_assert_true (g_file_set_contents (notes, "my notes, not a project\n", -1, NULL));
  notes_bytes = storage_test_read_bytes (notes);
  run_storyreel (&not_project, "new", "--force", "-o", notes, NULL);
  g_assert_cmpint (not_project.status, ==, 1);
  g_assert_nonnull (strstr (not_project.err, notes));
  g_clear_pointer (&after, g_bytes_unref);
  after = storage_test_read_bytes (notes);
  g_assert_true (g_bytes_equal (notes_bytes, after));

  run_storyreel (&missing, "new", "--from-fountain", missing_script, "-o", empty_output, NULL);
  g_assert_cmpint (missing.status, ==, 3);
  g_assert_nonnull (strstr (missing.err, missing_script));
  g_assert_false (g_file_test (empty_output, G_FILE_TEST_EXISTS));

  run_storyreel (&no_output, "new", "--from-fountain", script, NULL);
  g_assert_cmpint (no_output.status, ==, 2);
  g_assert_nonnull (strstr (no_output.err, "-o"));

  /* Without a screenplay: one scene, one shot. */
  run_storyreel (&empty, "new", "-o", empty_output, NULL);
  g_assert_cmpint (empty.status, ==, 0);
  run_storyreel (&empty_info, "info", empty_output, NULL);
  g_assert_nonnull (strstr (empty_info.out, "Scenes: 1\nShots: 1\n"));
}

/* --from-script takes Fountain and Final Draft alike; a broken .fdx leaves no file. */
static void
test_new_from_script (void)
{
  g_autofree char *dir = storage_test_make_dir ("cli-new-script");
  g_autofree char *fdx = g_test_build_filename (G_TEST_DIST, "storage", "data", "harbour.fdx",
                                                NULL);
  g_autofree char *fountain = g_test_build_filename (G_TEST_DIST, "storage", "data",
                                                     "lighthouse.fountain", NULL);
  g_autofree char *broken = g_build_filename (dir, "broken.fdx", NULL);
  g_autofree char *from_fdx = g_build_filename (dir, "harbour.storyreel", NULL);
  g_autofree char *from_fountain = g_build_filename (dir, "keeper.storyreel", NULL);
  g_autofree char *from_broken = g_build_filename (dir, "broken.storyreel", NULL);
  g_auto(Run) created = { 0, };
  g_auto(Run) info = { 0, };
  g_auto(Run) created_fountain = { 0, };
  g_auto(Run) info_fountain = { 0, };
  g_auto(Run) refused = { 0, };
  g_auto(Run) both = { 0, };

  run_storyreel (&created, "new", "--from-script", fdx, "-o", from_fdx, NULL);
  g_assert_cmpint (created.status, ==, 0);
  run_storyreel (&info, "info", from_fdx, NULL);
  g_assert_true (g_str_has_prefix (info.out, "Title: The Harbour\n"));
  g_assert_nonnull (strstr (info.out, "Scenes: 2\n"));
  g_assert_nonnull (strstr (info.out, "Shots: 2\n"));

  run_storyreel (&created_fountain, "new", "--from-script", fountain, "-o", from_fountain, NULL);
  g_assert_cmpint (created_fountain.status, ==, 0);
  run_storyreel (&info_fountain, "info", from_fountain, NULL);
  g_assert_nonnull (strstr (info_fountain.out, "Scenes: 9\n"));

  g_assert_true (g_file_set_contents (broken, "<FinalDraft><Content><Paragraph Type=\"Action\">"
                                      "<Text>&lol;</Text>", -1, NULL));
  run_storyreel (&refused, "new", "--from-script", broken, "-o", from_broken, NULL);
  g_assert_cmpint (refused.status, ==, 3);
  g_assert_nonnull (strstr (refused.err, broken));
  g_assert_false (g_file_test (from_broken, G_FILE_TEST_EXISTS));

  run_storyreel (&both, "new", "--from-script", fdx, "--from-fountain", fountain, "-o",
                 from_broken, NULL);
  g_assert_cmpint (both.status, ==, 2);
}


/* storyreel info --cameras: each shot's camera as the set holds it, what the shot reads
 * from it, and where a move ends; a shot without one says so. */
static void
test_info_cameras (void)
{
  g_autofree char *dir = storage_test_make_dir ("cli-info-cameras");
  g_autofree char *path = g_build_filename (dir, "demo.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  ReelScene *scene = reel_project_get_scene (project, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelShotCamera) camera = NULL;
  ReelCameraPose pose = { 2, -3, 2.25, 30, -12.5, 4, 40 };
  g_auto(Run) run = { 0, };

  camera = reel_shot_camera_new (&pose);
  camera->moves = TRUE;
  camera->end = pose;
  camera->end.height = 4.5;
  camera->end.tilt = -30;
  reel_shot_set_camera (reel_scene_get_shot (scene, 0), camera);
  reel_shot_set_camera (reel_scene_get_shot (scene, 1), NULL);
  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);

  run_storyreel (&run, "info", "--cameras", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Title: The Kittiwake\n"));
  g_assert_nonnull (strstr (run.out, "Scene 1: EXT. HARBOUR - DAWN\n"));
  g_assert_nonnull (strstr (run.out, "  Shot 1A: (2.00, -3.00) m, 40 mm, 2.25 m high, pan 30.0°, "
                                     "tilt -12.5°, roll 4.0°; "));
  /* Rising while it tilts down: how it moves, then where it ends. */
  g_assert_nonnull (strstr (run.out, " (linear) to (2.00, -3.00) m, 40 mm, 4.50 m high, pan 30.0°, "
                                     "tilt -30.0°, roll 4.0°\n"));
  g_assert_nonnull (strstr (run.out, "  Shot 1B: no camera\n"));
  g_assert_cmpstr (run.err, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/info", test_info);
  g_test_add_func ("/cli/info-cameras", test_info_cameras);
  g_test_add_func ("/cli/new", test_new);
  g_test_add_func ("/cli/new-from-script", test_new_from_script);

  return g_test_run ();
}
