/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "storage-test-util.h"
#include "storage/reel-project-file.h"

/*
 * Open and save with 100, 1,000 and 10,000 shots, each with a sketch of 50 pen
 * strokes (8 to 32 points each, as a tablet reports them). Prints one figure a
 * line: times, time per shot, the growth of the time per shot from 1,000 to 10,000
 * shots (1.0 is linear), an unchanged save and a one-stroke save against a whole
 * save, and the peak memory of a process that opens the 10,000-shot file.
 */

#define STROKES_PER_SHOT 50
#define SHOTS_PER_SCENE  100

static ReelProject *
make_project (guint n_shots)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (n_shots);
  ReelProject *project = reel_project_new ();

  reel_project_set_title (project, "Benchmark");
  for (guint s = 0; s < n_shots / SHOTS_PER_SCENE; s++)
    {
      g_autoptr(ReelScene) scene = reel_scene_new ();
      g_autofree char *number = g_strdup_printf ("%u", s + 1);

      reel_scene_set_number (scene, number);
      reel_scene_set_location (scene, "HARBOUR");
      reel_scene_set_time_of_day (scene, "DAWN");
      for (guint i = 0; i < SHOTS_PER_SCENE; i++)
        {
          g_autoptr(ReelShot) shot = reel_shot_new ();
          ReelSketch *sketch = reel_shot_get_sketch (shot);

          reel_shot_set_description (shot, "Maya walks the length of the pier, a coil of rope "
                                           "on her shoulder, and stops at the end.");
          reel_shot_set_dialogue (shot, "MAYA: He said first light.");
          reel_shot_set_cast (shot, "MAYA");
          reel_shot_set_size (shot, "ws");
          reel_shot_set_movement (shot, "dolly_in");
          for (guint k = 0; k < STROKES_PER_SHOT; k++)
            {
              g_autoptr(ReelStroke) stroke =
                storage_test_freehand_stroke (rand, g_rand_int_range (rand, 8, 33));

              reel_sketch_append_stroke (sketch, k % 5 == 4 ? REEL_LAYER_NOTES
                                                            : REEL_LAYER_SKETCH, stroke);
            }
          reel_scene_append_shot (scene, shot);
        }
      reel_scene_renumber (scene, REEL_NUMBERING_SCENE_LETTER);
      reel_project_append_scene (project, scene);
    }

  return project;
}

static double
elapsed_ms (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* CPU time of this process in ms: steadier than wall time on a busy machine. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* The peak resident memory of this process (KiB), from /proc: getrusage() of a
 * child counts the parent's pages it had before exec(). */
static long
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");
  return line != NULL ? strtol (line + strlen ("VmHWM:"), NULL, 10) : -1;
}

/* Opens @path in a fresh process and reports that process's peak memory (KiB). */
static long
peak_rss_of_open (const char *self,
                  const char *path,
                  double     *open_ms,
                  double     *open_cpu_ms)
{
  char *end = NULL;
  const char *argv[] = { self, "--open", path, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  struct rusage usage;
  int status;
  GPid pid;
  int out_fd;
  g_autoptr(GIOChannel) channel = NULL;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                 NULL, &pid, NULL, &out_fd, NULL, &error))
    g_error ("%s", error->message);

  channel = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_io_channel_read_to_end (channel, &out, NULL, NULL);
  if (wait4 (pid, &status, 0, &usage) != pid || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("The process that opens %s failed", path);
  g_spawn_close_pid (pid);

  *open_ms = g_ascii_strtod (out, &end);
  *open_cpu_ms = usage.ru_utime.tv_sec * 1000.0 + usage.ru_utime.tv_usec / 1000.0 +
                 usage.ru_stime.tv_sec * 1000.0 + usage.ru_stime.tv_usec / 1000.0;
  return strtol (end, NULL, 10);
}

static int
open_only (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelProject) project = NULL;
  gint64 start = g_get_monotonic_time ();
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  project = reel_project_file_load (file, NULL, &error);
  if (project == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_print ("%s %ld\n", g_ascii_dtostr (buffer, sizeof buffer, elapsed_ms (start)),
           peak_rss_kib ());
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  const guint sizes[] = { 100, 1000, 10000 };
  double open_per_shot[G_N_ELEMENTS (sizes)];
  double save_per_shot[G_N_ELEMENTS (sizes)];
  g_autofree char *self = NULL;
  g_autofree char *dir = NULL;

  if (argc == 3 && g_str_equal (argv[1], "--open"))
    return open_only (argv[2]);

  self = g_canonicalize_filename (argv[0], NULL);
  dir = storage_test_make_dir ("bench");

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      guint n = sizes[i];
      g_autofree char *name = g_strdup_printf ("bench-%u.storyreel", n);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(ReelProject) project = make_project (n);
      g_autoptr(ReelProject) loaded = NULL;
      g_autoptr(ReelStroke) stroke = NULL;
      g_autoptr(GRand) rand = g_rand_new_with_seed (1);
      g_autoptr(GError) error = NULL;
      double save_ms, load_ms, unchanged_ms, one_edit_ms;
      double save_cpu, load_cpu;
      struct stat st;
      gint64 start;

      start = g_get_monotonic_time ();
      save_cpu = cpu_ms ();
      if (!reel_project_file_save (project, file, NULL, &error))
        g_error ("%s", error->message);
      save_ms = elapsed_ms (start);
      save_cpu = cpu_ms () - save_cpu;

      start = g_get_monotonic_time ();
      load_cpu = cpu_ms ();
      loaded = reel_project_file_load (file, NULL, &error);
      if (loaded == NULL)
        g_error ("%s", error->message);
      load_ms = elapsed_ms (start);
      load_cpu = cpu_ms () - load_cpu;

      start = g_get_monotonic_time ();
      if (!reel_project_file_save (loaded, file, NULL, &error))
        g_error ("%s", error->message);
      unchanged_ms = elapsed_ms (start);

      stroke = storage_test_freehand_stroke (rand, 30);
      reel_sketch_append_stroke (reel_shot_get_sketch (reel_scene_get_shot (
                                   reel_project_get_scene (loaded, 0), 0)),
                                 REEL_LAYER_SKETCH, stroke);
      start = g_get_monotonic_time ();
      if (!reel_project_file_save (loaded, file, NULL, &error))
        g_error ("%s", error->message);
      one_edit_ms = elapsed_ms (start);

      g_stat (path, &st);
      open_per_shot[i] = load_cpu / n;
      save_per_shot[i] = save_cpu / n;

      g_print ("%u shots: file %.1f MB (%.1f KB per shot)\n", n, st.st_size / 1e6,
               st.st_size / 1e3 / n);
      g_print ("%u shots: open %.1f ms, %.1f ms of CPU (%.1f us of CPU per shot)\n", n,
               load_ms, load_cpu, 1000 * load_cpu / n);
      g_print ("%u shots: save whole %.1f ms, %.1f ms of CPU (%.1f us of CPU per shot)\n", n,
               save_ms, save_cpu, 1000 * save_cpu / n);
      g_print ("%u shots: save unchanged %.3f ms (%.4fx a whole save)\n", n, unchanged_ms,
               unchanged_ms / save_ms);
      g_print ("%u shots: save after one stroke %.2f ms (%.4fx a whole save)\n", n, one_edit_ms,
               one_edit_ms / save_ms);

      if (n == 10000)
        {
          double child_open_ms = 0;
          double child_cpu_ms = 0;
          long peak_kib = peak_rss_of_open (self, path, &child_open_ms, &child_cpu_ms);

          g_print ("10000 shots: open in a fresh process %.1f ms (goal < 1000 ms); the whole "
                   "process used %.1f ms of CPU\n", child_open_ms, child_cpu_ms);
          g_print ("10000 shots: peak memory of that process %.1f MB\n", peak_kib / 1024.0);
        }
    }

  g_print ("open, CPU time per shot at 1000 vs 100 shots: %.2fx (1.0 is linear)\n",
           open_per_shot[1] / open_per_shot[0]);
  g_print ("open, CPU time per shot at 10000 vs 1000 shots: %.2fx (1.0 is linear)\n",
           open_per_shot[2] / open_per_shot[1]);
  g_print ("save, CPU time per shot at 10000 vs 1000 shots: %.2fx (1.0 is linear)\n",
           save_per_shot[2] / save_per_shot[1]);
  {
    struct rusage usage;

    getrusage (RUSAGE_SELF, &usage);
    g_print ("peak memory of this benchmark (two 10000-shot projects at once): %.1f MB\n",
             usage.ru_maxrss / 1024.0);
  }

  return 0;
}
