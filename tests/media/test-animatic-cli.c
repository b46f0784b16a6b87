/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gst/pbutils/pbutils.h>
#include <string.h>

#include "core/reel-project.h"
#include "storage/reel-project-file.h"
#include "media-test-util.h"

/*
 * `storyreel export FILE --format=mp4|webm [--scene N] -o OUT` run as a server would: the
 * built program, no display, the written path on stdout.
 */

typedef struct
{
  char *dir;
  char *project;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  const gint64 durations[2][3] = { { 24, 30, 0 }, { 18, 12, 6 } };

  fixture->dir = media_test_make_dir ();
  fixture->project = g_build_filename (fixture->dir, "harbour.storyreel", NULL);

  reel_project_set_title (project, "Harbour");
  reel_project_set_frame_rate (project, REEL_FRAME_RATE_INIT (25, 1));
  for (guint s = 0; s < 2; s++)
    {
      g_autoptr(ReelScene) scene = reel_scene_new ();
      g_autofree char *number = g_strdup_printf ("%u", s + 1);

      reel_scene_set_number (scene, number);
      reel_project_append_scene (project, scene);
      for (guint i = 0; i < 3 && durations[s][i] > 0; i++)
        {
          g_autoptr(ReelShot) shot = reel_shot_new ();
          g_autofree char *shot_number = g_strdup_printf ("%u%c", s + 1, 'A' + i);

          reel_shot_set_number (shot, shot_number);
          reel_shot_set_description (shot, "A shot");
          reel_shot_set_duration (shot, durations[s][i]);
          reel_scene_append_shot (scene, shot);
        }
    }

  file = g_file_new_for_path (fixture->project);
  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  media_test_remove_dir (fixture->dir);
  g_free (fixture->project);
  g_free (fixture->dir);
}

static int
run_export (const char * const  *args,
            char               **out)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  g_ptr_array_add (argv, (char *) g_getenv ("STORYREEL_EXE"));
  g_ptr_array_add (argv, (char *) "export");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  /* A server: no display of any kind. */
  env = g_environ_unsetenv (env, "DISPLAY");
  env = g_environ_unsetenv (env, "WAYLAND_DISPLAY");

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                               out, &err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("stderr: %s", err);

  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static GstClockTime
discover_duration (const char *path)
{
  g_autofree char *uri = gst_filename_to_uri (path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstDiscoverer) discoverer = gst_discoverer_new (30 * GST_SECOND, &error);
  g_autoptr(GstDiscovererInfo) info = gst_discoverer_discover_uri (discoverer, uri, &error);

  g_assert_no_error (error);
  g_assert_cmpint (gst_discoverer_info_get_result (info), ==, GST_DISCOVERER_OK);
  return gst_discoverer_info_get_duration (info);
}

static void
test_scene_mp4 (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *output = g_build_filename (fixture->dir, "scene 2.mp4", NULL);
  const char *args[] = { fixture->project, "--format=mp4", "--scene", "2", "-o", output, NULL };
  g_autofree char *out = NULL;

  g_assert_cmpint (run_export (args, &out), ==, 0);
  g_assert_nonnull (strstr (out, "scene 2.mp4"));
  /* Scene 2: 18 + 12 + 6 frames at 25 fps. */
  g_assert_cmpuint (discover_duration (output), ==, 36 * GST_SECOND / 25);
}

static void
test_project_webm (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *output = g_build_filename (fixture->dir, "harbour.webm", NULL);
  const char *args[] = { fixture->project, "--format=webm", "-o", output, NULL };
  g_autofree char *out = NULL;

  g_assert_cmpint (run_export (args, &out), ==, 0);
  /* Everything: 24 + 30 + 18 + 12 + 6 frames. */
  g_assert_cmpuint (discover_duration (output), ==, 90 * GST_SECOND / 25);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  media_test_init ();

  g_test_add ("/media/animatic-cli/scene-mp4", Fixture, NULL, fixture_set_up, test_scene_mp4,
              fixture_tear_down);
  g_test_add ("/media/animatic-cli/project-webm", Fixture, NULL, fixture_set_up,
              test_project_webm, fixture_tear_down);

  return g_test_run ();
}
