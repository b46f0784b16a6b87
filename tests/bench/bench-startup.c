/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-bench-startup"

#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

/* Cold start to first frame: spawns the built storyreel with STORYREEL_STARTUP_PROBE set to
 * the monotonic time just before the spawn; the application prints `first-frame-ms=…` once
 * GTK has painted its first window, then quits. The baseline, measured in the same run, is
 * `storyreel --version` from spawn to exit: starting the process and loading its libraries,
 * which no change to Storyreel's own start-up can remove.
 *
 * Each is measured twice: as wall-clock time, which is what a user waits but grows with
 * whatever else the machine is doing, and as the processor time the process used (user and
 * system, until it exited), which does not.
 *
 * The first run of each series is discarded: it warms the page cache and the shader cache.
 * Needs a display (build-aux/dev bench runs it under Xvfb). */

#define N_RUNS 10
#define GOAL_MS 300.0
#define RUN_TIMEOUT_S 30

typedef struct {
  char *out;        /* standard output */
  double wall_ms;   /* from just before the spawn to the exit */
  double cpu_ms;    /* user and system time of the process */
} Run;

typedef struct {
  GMainLoop *loop;
  char *out;
  GError *error;
} Communication;

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Communication *c = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &c->out, NULL,
                                        &c->error);
  g_main_loop_quit (c->loop);
}

static gboolean
run_timeout_cb (gpointer user_data)
{
  GSubprocess *process = user_data;

  g_subprocess_force_exit (process);
  return G_SOURCE_REMOVE;
}

static double
children_cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_CHILDREN, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

/* Runs @exe with @arg (or none). With @probe, asks for the first-frame report; a non-NULL
 * @renderer is given to GTK as GSK_RENDERER. Returns FALSE if it failed or hung. */
static gboolean
run (const char *exe,
     const char *arg,
     gboolean    probe,
     const char *renderer,
     Run        *result)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  Communication c = { loop, NULL, NULL };
  g_autofree char *origin = NULL;
  double cpu_before = children_cpu_ms ();
  gint64 spawned_at;
  guint timeout_id;

  if (renderer != NULL)
    g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", renderer, TRUE);
  spawned_at = g_get_monotonic_time ();
  if (probe)
    {
      origin = g_strdup_printf ("%" G_GINT64_FORMAT, spawned_at);
      g_subprocess_launcher_setenv (launcher, "STORYREEL_STARTUP_PROBE", origin, TRUE);
    }
  process = g_subprocess_launcher_spawn (launcher, &error, exe, arg, NULL);
  if (process == NULL)
    {
      g_printerr ("Could not run %s: %s\n", exe, error->message);
      return FALSE;
    }

  timeout_id = g_timeout_add_seconds (RUN_TIMEOUT_S, run_timeout_cb, process);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, &c);
  g_main_loop_run (loop);
  g_subprocess_wait (process, NULL, NULL);
  result->wall_ms = (g_get_monotonic_time () - spawned_at) / 1000.0;
  result->cpu_ms = children_cpu_ms () - cpu_before;
  g_source_remove (timeout_id);

  if (c.error != NULL || !g_subprocess_get_successful (process))
    {
      g_printerr ("%s %s failed%s%s\n", exe, arg ? arg : "",
                  c.error ? ": " : " (or was stopped after " G_STRINGIFY (RUN_TIMEOUT_S) " s)",
                  c.error ? c.error->message : "");
      g_clear_error (&c.error);
      g_free (c.out);
      return FALSE;
    }

  result->out = c.out;
  return TRUE;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Sorts @values. */
static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

typedef struct {
  double wall[N_RUNS];
  double cpu[N_RUNS];
} Series;

/* N_RUNS runs after one that warms the caches. With @probe, the wall time is the one the
 * application reports for its first frame. */
static gboolean
measure (const char *exe,
         const char *arg,
         gboolean    probe,
         const char *renderer,
         Series     *series)
{
  for (int i = -1; i < N_RUNS; i++)
    {
      Run result = { 0 };
      g_autofree char *out = NULL;
      const char *line;

      if (!run (exe, arg, probe, renderer, &result))
        return FALSE;
      out = result.out;

      line = strstr (out, "first-frame-ms=");
      if (probe && line == NULL)
        {
          g_printerr ("storyreel did not report its first frame (is another instance running "
                      "on this D-Bus session?)\n");
          return FALSE;
        }
      if (i < 0)
        continue;

      series->wall[i] = probe ? g_ascii_strtod (line + strlen ("first-frame-ms="), NULL)
                              : result.wall_ms;
      series->cpu[i] = result.cpu_ms;
    }

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  /* GTK's own choice (OpenGL, which under Xvfb is Mesa's software rasteriser), then Cairo,
   * which draws the first frame without compiling shaders: on a machine with a graphics card
   * the first comes close to the second. */
  static const struct {
    const char *name;
    const char *renderer;
  } renderers[] = {
    { "default", NULL },
    { "cairo", "cairo" },
  };
  const char *exe = g_getenv ("STORYREEL_EXE");
  const char *cache = g_getenv ("XDG_CACHE_HOME");
  Series version;
  double version_wall, version_cpu;

  if (exe == NULL)
    {
      g_printerr ("STORYREEL_EXE is not set: run this through `meson test --benchmark`.\n");
      return EXIT_FAILURE;
    }
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("No display: run this under Xvfb (build-aux/dev bench).\n");
      return 77;
    }
  /* Mesa keeps compiled shaders there, as it would in a user's home; the test environment
   * names the directory but does not create it. */
  if (cache != NULL)
    g_mkdir_with_parents (cache, 0700);

  if (!measure (exe, "--version", FALSE, NULL, &version))
    return EXIT_FAILURE;
  version_wall = median (version.wall, N_RUNS);
  version_cpu = median (version.cpu, N_RUNS);
  printf ("startup-version-median-ms=%.1f\n", version_wall);
  printf ("startup-version-cpu-median-ms=%.1f\n", version_cpu);

  for (guint r = 0; r < G_N_ELEMENTS (renderers); r++)
    {
      const char *name = renderers[r].name;
      Series frame;
      double wall, cpu;

      if (!measure (exe, NULL, TRUE, renderers[r].renderer, &frame))
        return EXIT_FAILURE;
      wall = median (frame.wall, N_RUNS);
      cpu = median (frame.cpu, N_RUNS);

      printf ("startup-first-frame-%s-median-ms=%.1f\n", name, wall);
      printf ("startup-first-frame-%s-min-ms=%.1f\n", name, frame.wall[0]);
      printf ("startup-first-frame-%s-max-ms=%.1f\n", name, frame.wall[N_RUNS - 1]);
      printf ("startup-first-frame-%s-vs-version-ratio=%.2f\n", name, wall / version_wall);
      printf ("startup-first-frame-%s-cpu-median-ms=%.1f\n", name, cpu);
      printf ("startup-first-frame-%s-cpu-vs-version-ratio=%.2f\n", name, cpu / version_cpu);
      printf ("startup-first-frame-%s-goal-%.0f-ms=%s\n", name, GOAL_MS,
              wall < GOAL_MS ? "met" : "missed");
    }

  return EXIT_SUCCESS;
}
