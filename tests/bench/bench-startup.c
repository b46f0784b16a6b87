/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-bench-startup"

#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* Cold start to first frame: spawns the built storyreel with STORYREEL_STARTUP_PROBE set to
 * the monotonic time just before the spawn; the application prints `first-frame-ms=…` once
 * GTK has painted a frame of its window in which the project is read and the Board's canvas
 * draws the current shot's rendered panel (its background and sketch at the canvas's size,
 * not the thumbnail or grey that stand in while it renders; ReelWindow:busy), and
 * `phase-NAME-ms=…` as each phase of the start ends, then quits. The shot strip's thumbnails
 * render after that frame. With no project, the window's empty project has one empty shot. The baseline, measured in the same run and in turns
 * with it, is a bare libadwaita window (bare-window.c: a header bar and a status page) with
 * the same report, made by the same code (src/application/reel-startup-probe.h): what a
 * GNOME application cannot start faster than. Each renderer, GL and Cairo, is measured with
 * no project and with the demo project, and the phases both programs report are set side by
 * side (`…-beyond-bare-window-…`), so that the time Storyreel takes beyond the baseline is
 * attributed to a phase.
 *
 * Each is measured as wall-clock time, which is what a user waits but grows with whatever
 * else the machine is doing, and as processor time (user and system, all threads), which
 * does not: to the first frame as the process counts it, and until it exited as this
 * program counts it (which adds quitting).
 *
 * The first run of each series is discarded: it warms the page cache and the shader cache.
 * Needs a display (build-aux/dev bench runs it under Xvfb). */

#define N_RUNS 7
/* At most this many times the bare window's first frame. */
#define GOAL_RATIO 1.2
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

/* The phases the programs report with the probe (reel-startup-probe.h), in the order they
 * end; the bare window reports those marked common. Between them: exec→main is the dynamic
 * loader and the libraries' constructors; main→startup registers the application on D-Bus
 * and initialises GTK and libadwaita; startup→activate is the application's own set-up;
 * activate→window builds the window (and starts loading a project); window→map and
 * map→paint are GTK's layout and first frame; paint→first-frame the project shown. */
static const struct {
  const char *name;
  gboolean common;
} phases[] = {
  { "main", TRUE },
  { "registered", FALSE },
  { "gtk-init", FALSE },
  { "startup", TRUE },
  { "activate", TRUE },
  { "window", TRUE },
  { "map", TRUE },
  { "present", FALSE },
  { "paint", TRUE },
};

typedef struct {
  double wall[N_RUNS];       /* to the first frame (or the exit without the probe) */
  double cpu[N_RUNS];        /* until the exit, as the parent counts it */
  double first_cpu[N_RUNS];  /* to the first frame, as the process counts it */
  double phase[G_N_ELEMENTS (phases)][N_RUNS];
  double phase_cpu[G_N_ELEMENTS (phases)][N_RUNS];
} Series;

static double
read_value (const char *out,
            const char *key)
{
  g_autofree char *line_key = g_strconcat ("\n", key, NULL);
  const char *line;

  /* A whole line: "phase-paint-ms=" must not match inside "phase-paint-cpu-ms=". */
  if (g_str_has_prefix (out, key))
    line = out;
  else if ((line = strstr (out, line_key)) != NULL)
    line++;
  else
    return -1.0;

  return g_ascii_strtod (line + strlen (key), NULL);
}

/* Run @i (-1: the one that warms the caches, not kept) of a series. */
static gboolean
measure_one (const char *exe,
             const char *arg,
             gboolean    probe,
             const char *renderer,
             Series     *series,
             int         i)
{
  Run result = { 0 };
  g_autofree char *out = NULL;

  if (!run (exe, arg, probe, renderer, &result))
    return FALSE;
  out = result.out;

  if (probe && strstr (out, "first-frame-ms=") == NULL)
    {
      g_printerr ("%s did not report its first frame (is another instance running on this "
                  "D-Bus session?)\n", exe);
      return FALSE;
    }
  if (i < 0)
    return TRUE;

  series->wall[i] = probe ? read_value (out, "first-frame-ms=") : result.wall_ms;
  series->cpu[i] = result.cpu_ms;
  series->first_cpu[i] = probe ? read_value (out, "first-frame-cpu-ms=") : result.cpu_ms;
  for (guint p = 0; p < G_N_ELEMENTS (phases); p++)
    {
      g_autofree char *key = g_strdup_printf ("phase-%s-ms=", phases[p].name);
      g_autofree char *cpu_key = g_strdup_printf ("phase-%s-cpu-ms=", phases[p].name);

      series->phase[p][i] = read_value (out, key);
      series->phase_cpu[p][i] = read_value (out, cpu_key);
    }
  return TRUE;
}

/* Medians of a series, so that one run's figures need not be kept apart. */
typedef struct {
  double wall;
  double cpu;
  double first_cpu;
  double phase[G_N_ELEMENTS (phases)];      /* -1 where the program does not report it */
  double phase_cpu[G_N_ELEMENTS (phases)];
} Summary;

static Summary
summarise (Series *series)
{
  Summary summary;

  summary.wall = median (series->wall, N_RUNS);
  summary.cpu = median (series->cpu, N_RUNS);
  summary.first_cpu = median (series->first_cpu, N_RUNS);
  for (guint p = 0; p < G_N_ELEMENTS (phases); p++)
    {
      summary.phase[p] = median (series->phase[p], N_RUNS);
      summary.phase_cpu[p] = median (series->phase_cpu[p], N_RUNS);
    }
  return summary;
}

static void
print_series (const char    *name,
              Series        *series,
              const Summary *summary,
              const Summary *baseline)
{
  double wall_before = 0.0, cpu_before = 0.0;

  printf ("startup-%s-median-ms=%.1f\n", name, summary->wall);
  printf ("startup-%s-min-ms=%.1f\n", name, series->wall[0]);
  printf ("startup-%s-max-ms=%.1f\n", name, series->wall[N_RUNS - 1]);
  printf ("startup-%s-cpu-median-ms=%.1f\n", name, summary->cpu);
  printf ("startup-%s-cpu-to-first-frame-median-ms=%.1f\n", name, summary->first_cpu);
  if (baseline != NULL)
    {
      printf ("startup-%s-vs-bare-window-ratio=%.2f\n", name, summary->wall / baseline->wall);
      printf ("startup-%s-cpu-vs-bare-window-ratio=%.2f\n", name, summary->cpu / baseline->cpu);
      printf ("startup-%s-cpu-to-first-frame-vs-bare-window-ratio=%.2f\n", name,
              summary->first_cpu / baseline->first_cpu);
    }

  /* Each phase as the median time at which it ended, how long it took after the one before
   * (the spawn for the first), wall and processor time. */
  for (guint p = 0; p < G_N_ELEMENTS (phases); p++)
    {
      double ended = summary->phase[p], ended_cpu = summary->phase_cpu[p];

      if (ended < 0)
        continue;
      printf ("startup-%s-phase-%s-end-ms=%.1f\n", name, phases[p].name, ended);
      printf ("startup-%s-phase-%s-ms=%.1f\n", name, phases[p].name, ended - wall_before);
      printf ("startup-%s-phase-%s-cpu-ms=%.1f\n", name, phases[p].name, ended_cpu - cpu_before);
      wall_before = ended;
      cpu_before = ended_cpu;
    }
  printf ("startup-%s-phase-first-frame-ms=%.1f\n", name, summary->wall - wall_before);
  printf ("startup-%s-phase-first-frame-cpu-ms=%.1f\n", name, summary->first_cpu - cpu_before);

  if (baseline == NULL)
    return;

  /* Where the time beyond the bare window's goes: the phases both report, one against the
   * other. */
  {
    double own_wall = 0.0, own_cpu = 0.0, bare_wall = 0.0, bare_cpu = 0.0;

    for (guint p = 0; p <= G_N_ELEMENTS (phases); p++)
      {
        gboolean last = p == G_N_ELEMENTS (phases);
        const char *phase = last ? "first-frame" : phases[p].name;
        double wall = last ? summary->wall : summary->phase[p];
        double cpu = last ? summary->first_cpu : summary->phase_cpu[p];
        double b_wall = last ? baseline->wall : baseline->phase[p];
        double b_cpu = last ? baseline->first_cpu : baseline->phase_cpu[p];

        if (!last && !phases[p].common)
          continue;
        if (wall < 0 || b_wall < 0)
          continue;
        printf ("startup-%s-phase-%s-beyond-bare-window-ms=%.1f\n", name, phase,
                (wall - own_wall) - (b_wall - bare_wall));
        printf ("startup-%s-phase-%s-beyond-bare-window-cpu-ms=%.1f\n", name, phase,
                (cpu - own_cpu) - (b_cpu - bare_cpu));
        own_wall = wall;
        own_cpu = cpu;
        bare_wall = b_wall;
        bare_cpu = b_cpu;
      }
  }
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
    { "gl", "gl" },
    { "cairo", "cairo" },
  };
  const char *exe = g_getenv ("STORYREEL_EXE");
  const char *bare = g_getenv ("STORYREEL_BARE_WINDOW");
  const char *demo = g_getenv ("STORYREEL_DEMO_PROJECT");
  const char *cache = g_getenv ("XDG_CACHE_HOME");
  Series version;

  if (exe == NULL || bare == NULL || demo == NULL)
    {
      g_printerr ("STORYREEL_EXE, STORYREEL_BARE_WINDOW or STORYREEL_DEMO_PROJECT is not set: "
                  "run this through `meson test --benchmark`.\n");
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

  for (int i = -1; i < N_RUNS; i++)
    if (!measure_one (exe, "--version", FALSE, NULL, &version, i))
      return EXIT_FAILURE;
  printf ("startup-version-median-ms=%.1f\n", median (version.wall, N_RUNS));
  printf ("startup-version-cpu-median-ms=%.1f\n", median (version.cpu, N_RUNS));

  for (guint r = 0; r < G_N_ELEMENTS (renderers); r++)
    {
      const char *renderer = renderers[r].renderer;
      Series baseline, empty, project;
      Summary baseline_summary, empty_summary, project_summary;
      g_autofree char *bare_name = g_strdup_printf ("bare-window-%s", renderers[r].name);
      g_autofree char *empty_name = g_strdup_printf ("first-frame-%s", renderers[r].name);
      g_autofree char *demo_name = g_strdup_printf ("first-frame-demo-%s", renderers[r].name);

      /* In turns, so that a change in the machine's load falls on all three alike. */
      for (int i = -1; i < N_RUNS; i++)
        if (!measure_one (bare, NULL, TRUE, renderer, &baseline, i)
            || !measure_one (exe, NULL, TRUE, renderer, &empty, i)
            || !measure_one (exe, demo, TRUE, renderer, &project, i))
          return EXIT_FAILURE;

      baseline_summary = summarise (&baseline);
      empty_summary = summarise (&empty);
      project_summary = summarise (&project);
      print_series (bare_name, &baseline, &baseline_summary, NULL);
      print_series (empty_name, &empty, &empty_summary, &baseline_summary);
      print_series (demo_name, &project, &project_summary, &baseline_summary);
      printf ("startup-first-frame-demo-%s-goal-%.1fx=%s\n", renderers[r].name, GOAL_RATIO,
              project_summary.wall <= GOAL_RATIO * baseline_summary.wall ? "met" : "missed");
      printf ("startup-first-frame-demo-%s-cpu-goal-%.1fx=%s\n", renderers[r].name,
              GOAL_RATIO,
              project_summary.first_cpu <= GOAL_RATIO * baseline_summary.first_cpu
              ? "met" : "missed");
    }

  return EXIT_SUCCESS;
}
