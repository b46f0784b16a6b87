/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-bench-startup"

#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>

/* Cold start to first frame: spawns the built storyreel with STORYREEL_STARTUP_PROBE set to
 * the monotonic time just before the spawn; the application prints `first-frame-ms=…` once
 * GTK has painted its first window, then quits. The baseline, measured in the same run, is
 * the time `storyreel --version` takes from spawn to exit: the cost of starting the process
 * and loading its libraries, which no change to Storyreel's own start-up can remove.
 *
 * The first run of each series is discarded: it warms the page cache and the shader cache.
 * Needs a display (build-aux/dev bench runs it under Xvfb). */

#define N_RUNS 10
#define GOAL_MS 300.0
#define RUN_TIMEOUT_S 30

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

/* Runs @exe with @arg and returns its standard output, or NULL if it failed or hung. A
 * non-NULL @renderer is given to GTK as GSK_RENDERER. @spawned_at receives the monotonic time
 * just before the spawn, @exited_at the time after the exit. */
static char *
run (const char  *exe,
     const char  *arg,
     gboolean     probe,
     const char  *renderer,
     gint64      *spawned_at,
     gint64      *exited_at)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  Communication c = { loop, NULL, NULL };
  g_autofree char *origin = NULL;
  guint timeout_id;

  if (renderer != NULL)
    g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", renderer, TRUE);
  *spawned_at = g_get_monotonic_time ();
  if (probe)
    {
      origin = g_strdup_printf ("%" G_GINT64_FORMAT, *spawned_at);
      g_subprocess_launcher_setenv (launcher, "STORYREEL_STARTUP_PROBE", origin, TRUE);
    }
  process = g_subprocess_launcher_spawn (launcher, &error, exe, arg, NULL);
  if (process == NULL)
    {
      g_printerr ("Could not run %s: %s\n", exe, error->message);
      return NULL;
    }

  timeout_id = g_timeout_add_seconds (RUN_TIMEOUT_S, run_timeout_cb, process);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, &c);
  g_main_loop_run (loop);
  g_subprocess_wait (process, NULL, NULL);
  *exited_at = g_get_monotonic_time ();
  g_source_remove (timeout_id);

  if (c.error != NULL || !g_subprocess_get_successful (process))
    {
      g_printerr ("%s %s failed%s%s\n", exe, arg ? arg : "",
                  c.error ? ": " : " (or was stopped after " G_STRINGIFY (RUN_TIMEOUT_S) " s)",
                  c.error ? c.error->message : "");
      g_clear_error (&c.error);
      g_free (c.out);
      return NULL;
    }

  return c.out;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* The median time to the first frame over N_RUNS runs, after one run that warms the caches;
 * min and max in @min_ms and @max_ms. Returns a negative number if a run failed. */
static double
measure_first_frame (const char *exe,
                     const char *renderer,
                     double     *min_ms,
                     double     *max_ms)
{
  double ms[N_RUNS];

  for (int i = -1; i < N_RUNS; i++)
    {
      gint64 spawned_at, exited_at;
      g_autofree char *out = run (exe, NULL, TRUE, renderer, &spawned_at, &exited_at);
      const char *line = out ? strstr (out, "first-frame-ms=") : NULL;

      if (line == NULL)
        {
          g_printerr ("storyreel did not report its first frame (is another instance running "
                      "on this D-Bus session?)\n");
          return -1;
        }
      if (i >= 0)
        ms[i] = g_ascii_strtod (line + strlen ("first-frame-ms="), NULL);
    }

  *min_ms = ms[0];
  *max_ms = ms[0];
  for (int i = 1; i < N_RUNS; i++)
    {
      *min_ms = MIN (*min_ms, ms[i]);
      *max_ms = MAX (*max_ms, ms[i]);
    }

  return median (ms, N_RUNS);
}

int
main (int   argc,
      char *argv[])
{
  /* GTK's own choice (OpenGL, which under Xvfb is Mesa's software rasteriser), then Cairo,
   * which draws the first frame without compiling shaders: on a machine with a GPU the first
   * figure comes close to the second. */
  static const struct {
    const char *name;
    const char *renderer;
  } renderers[] = {
    { "default", NULL },
    { "cairo", "cairo" },
  };
  const char *exe = g_getenv ("STORYREEL_EXE");
  const char *cache = g_getenv ("XDG_CACHE_HOME");
  double version[N_RUNS];
  double version_median;

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

  /* The baseline: starting the process and loading its libraries, and no more. */
  for (int i = -1; i < N_RUNS; i++)
    {
      gint64 spawned_at, exited_at;
      g_autofree char *out = run (exe, "--version", FALSE, NULL, &spawned_at, &exited_at);

      if (out == NULL)
        return EXIT_FAILURE;
      if (i >= 0)
        version[i] = (exited_at - spawned_at) / 1000.0;
    }
  version_median = median (version, N_RUNS);
  printf ("startup-version-median-ms=%.1f\n", version_median);

  for (guint r = 0; r < G_N_ELEMENTS (renderers); r++)
    {
      const char *name = renderers[r].name;
      double min_ms, max_ms;
      double median_ms = measure_first_frame (exe, renderers[r].renderer, &min_ms, &max_ms);

      if (median_ms < 0)
        return EXIT_FAILURE;

      printf ("startup-first-frame-%s-median-ms=%.1f\n", name, median_ms);
      printf ("startup-first-frame-%s-min-ms=%.1f\n", name, min_ms);
      printf ("startup-first-frame-%s-max-ms=%.1f\n", name, max_ms);
      printf ("startup-first-frame-%s-vs-version-ratio=%.2f\n", name, median_ms / version_median);
      printf ("startup-first-frame-%s-goal-%.0f-ms=%s\n", name, GOAL_MS,
              median_ms < GOAL_MS ? "met" : "missed");
    }

  return EXIT_SUCCESS;
}
