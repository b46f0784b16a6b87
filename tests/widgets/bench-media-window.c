/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-bench-media-window"

#include "config.h"

#include <adwaita.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "core/reel-panel.h"
#include "widgets/reel-canvas.h"
#include "widgets/reel-generation-panel.h"
#include "widgets/reel-inspector.h"
#include "widgets/reel-shot-strip.h"

#include "../reel-bench-util.h"
#include "test-board-util.h"
#include "window-test-util.h"

/*
 * Memory of the window with the media a production makes: the project of bench-media
 * (1,000 shots, 4,000 generated 1344×768 images, 20 clips of 50 MB; generated once by
 * running bench-media --generate, the path of which is this program's argument, into
 * $STORYREEL_BENCH_CACHE, else the user cache folder: set it for both to share one).
 *
 * Opens it in a window as a user does (File ▸ Open: loaded off the main thread), scrolls
 * the strip of shots from end to end a page a frame, then goes through a hundred shots
 * one after another, each shown on the board with its backgrounds in the gallery of the
 * side panel, scrolled to its end. Prints the resident memory (VmRSS) after each stage
 * and the peak (VmHWM) against the same window with an empty project (the baseline,
 * measured first in this process). Goal: peak under 300 MB.
 *
 * Under Xvfb GTK draws with OpenGL in software (llvmpipe), which keeps its textures and
 * buffers in the process: about 90 MB for the empty window alone, where a GPU keeps them
 * in its own memory. The same run is then made again in a child process with GTK's Cairo
 * renderer (GSK_RENDERER=cairo), whose figures are printed with the prefix
 * "cairo-renderer-": the application's own memory without the software GPU's.
 *
 * For context, each run first starts the smallest libadwaita window (tests/bench/
 * bare-window, $STORYREEL_BARE_WINDOW) under its renderer and prints what it takes at its
 * first frame (bare-window-…): what GTK, libadwaita and the renderer cost before any of
 * Storyreel. Every stage prints its resident memory split into anonymous memory (heap,
 * textures, the software GPU's buffers) and mapped files (libraries, fonts).
 *
 * The open is timed from File ▸ Open to the first screen drawn, in wall time and in the
 * process's CPU time (with the load average: the machine may be shared).
 * STORYREEL_BENCH_STOP_AFTER=open stops there, to profile the open alone.
 */

#define GALLERY_SHOTS 100

static long
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  return line != NULL ? strtol (line + strlen (field), NULL, 10) : -1;
}

static gboolean
has_generation_panel (gpointer window)
{
  return test_util_find_widget (window, REEL_TYPE_GENERATION_PANEL) != NULL;
}

static void
print_memory (const char *stage)
{
  printf ("%s-rss-mb=%.0f\n", stage, status_kib ("VmRSS:") / 1024.0);
  /* Heap and other private memory, and mapped files (libraries, plugins, fonts). */
  printf ("%s-rss-anonymous-mb=%.0f\n", stage, status_kib ("RssAnon:") / 1024.0);
  printf ("%s-rss-files-mb=%.0f\n", stage, status_kib ("RssFile:") / 1024.0);
  printf ("%s-peak-rss-mb=%.0f\n", stage, status_kib ("VmHWM:") / 1024.0);
}

/* The memory of @pid from its /proc/PID/status, in MB; -1 if it is gone. */
static double
process_status_mb (GPid        pid,
                   const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  return line != NULL ? strtol (line + strlen (field), NULL, 10) / 1024.0 : -1;
}

/* The bare window under this process's renderer: its memory at its first frame, where it
 * is stopped a moment to read it, and its peak when it has quit. */
static void
print_bare_window_memory (void)
{
  const char *bare_window = g_getenv ("STORYREEL_BARE_WINDOW");
  const char *argv[] = { bare_window, NULL };
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  struct rusage usage;
  char line[256];
  double anonymous = -1, files = -1;
  int out_fd, status;
  GPid pid;
  FILE *out;

  if (bare_window == NULL || !g_file_test (bare_window, G_FILE_TEST_IS_EXECUTABLE))
    {
      printf ("bare-window=not built (tests/bench/bare-window)\n");
      return;
    }
  /* It reports its phases and quits at its first frame. */
  envp = g_environ_setenv (envp, "STORYREEL_STARTUP_PROBE", "1", TRUE);
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                 NULL, &pid, NULL, &out_fd, NULL, &error))
    g_error ("%s: %s", bare_window, error->message);

  out = fdopen (out_fd, "r");
  while (fgets (line, sizeof line, out) != NULL)
    if (g_str_has_prefix (line, "first-frame-ms=") && kill (pid, SIGSTOP) == 0)
      {
        anonymous = process_status_mb (pid, "RssAnon:");
        files = process_status_mb (pid, "RssFile:");
        kill (pid, SIGCONT);
      }
  fclose (out);
  if (wait4 (pid, &status, 0, &usage) < 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("%s did not quit normally", bare_window);

  printf ("bare-window-peak-rss-mb=%.0f\n", usage.ru_maxrss / 1024.0);
  if (anonymous >= 0)
    {
      printf ("bare-window-rss-anonymous-mb=%.0f\n", anonymous);
      printf ("bare-window-rss-files-mb=%.0f\n", files);
    }
}

static char *
generate_project (const char *bench_media)
{
  const char *argv[] = { bench_media, "--generate", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, &out,
                     NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("%s --generate: %s", bench_media, error->message);
  return g_strstrip (g_steal_pointer (&out));
}

/* The same benchmark with the Cairo renderer, in a child process; its lines, prefixed. */
static void
run_with_cairo_renderer (const char *self,
                         const char *bench_media)
{
  const char *argv[] = { self, bench_media, NULL };
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  int status = 0;

  envp = g_environ_setenv (envp, "GSK_RENDERER", "cairo", TRUE);
  envp = g_environ_setenv (envp, "STORYREEL_BENCH_RENDERER_CHILD", "1", TRUE);
  if (!g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("%s with the Cairo renderer: %s", self, error->message);

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strchr (lines[i], '=') != NULL && !g_str_has_prefix (lines[i], "project="))
      printf ("cairo-renderer-%s\n", lines[i]);
}

static gboolean
project_opened (gpointer data)
{
  ReelProject *project = reel_window_get_project (data);

  return project != NULL && reel_project_get_n_shots (project) >= 1000;
}

static gboolean
canvas_idle (gpointer data)
{
  return gtk_widget_get_mapped (data) && !reel_canvas_is_rendering (data);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  ReelWindow *window;
  ReelProject *project;
  GtkWidget *strip, *canvas, *side;
  GtkAdjustment *strip_adjustment;
  guint n_pages;
  GtkAdjustment *side_adjustment;
  gint64 start;
  double cpu_start;
  guint n_shots;

  setvbuf (stdout, NULL, _IOLBF, 0);
#ifdef __GLIBC__
  /* What the program's main() sets (src/main.c): this process must use memory as the
   * application does. */
  mallopt (M_MMAP_THRESHOLD, 1024 * 1024);
  mallopt (M_ARENA_MAX, 2);
#endif
  test_util_init (&argc, &argv);
  if (argc < 2)
    g_error ("Usage: %s PATH-OF-bench-media", argv[0]);
  path = generate_project (argv[1]);
  file = g_file_new_for_path (path);
  printf ("project=%s\n", path);

  print_bare_window_memory ();

  /* The baseline: the window, drawn, with the project a new window has. */
  window = test_util_open_window (NULL);
  test_util_settle ();
  printf ("renderer=%s\n",
          G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));
  print_memory ("empty-window");

  reel_bench_print_load ("load-average");
  start = g_get_monotonic_time ();
  cpu_start = reel_bench_process_cpu_ms ();
  reel_window_open_file (window, file);
  g_assert_true (test_util_wait (project_opened, window, 600000));
  canvas = test_util_find_widget (GTK_WIDGET (window), REEL_TYPE_CANVAS);
  g_assert_true (test_util_wait (canvas_idle, canvas, 600000));
  test_util_wait_frame (GTK_WIDGET (window));
  printf ("open-to-first-screen-ms=%.0f\n", (g_get_monotonic_time () - start) / 1000.0);
  printf ("open-to-first-screen-cpu-ms=%.0f\n", reel_bench_process_cpu_ms () - cpu_start);
  printf ("open-to-first-screen-goal-ms=1000\n");
  print_memory ("opened");
  /* For profiling the open alone (perf record). */
  if (g_strcmp0 (g_getenv ("STORYREEL_BENCH_STOP_AFTER"), "open") == 0)
    return 0;

  project = reel_window_get_project (window);
  strip = test_util_find_widget (GTK_WIDGET (window), REEL_TYPE_SHOT_STRIP);
  /* One page a frame, to the end. */
  strip_adjustment = reel_shot_strip_get_hadjustment (REEL_SHOT_STRIP (strip));
  n_pages = board_test_scroll_to_end (strip, strip_adjustment,
                                      gtk_adjustment_get_page_size (strip_adjustment),
                                      1800000);
  test_util_settle ();
  printf ("strip-pages-scrolled=%u\n", n_pages);
  print_memory ("strip-scrolled");

  /* A hundred shots through the project, each on the board with its gallery. The gallery
   * is built when the inspector is scrolled down to it, as a user does. */
  side = test_util_find_widget (test_util_find_widget (GTK_WIDGET (window),
                                                      REEL_TYPE_INSPECTOR),
                                GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (side);
  side_adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (side));
  gtk_adjustment_set_value (side_adjustment, gtk_adjustment_get_upper (side_adjustment));
  g_assert_true (test_util_wait (has_generation_panel, window, 60000));
  n_shots = reel_project_get_n_shots (project);
  for (guint i = 0; i < GALLERY_SHOTS; i++)
    {
      guint index = i * (n_shots / GALLERY_SHOTS);
      ReelScene *scene = reel_project_get_scene (project, index / 100);
      ReelShot *shot = reel_scene_get_shot (scene, index % 100);

      reel_window_set_current_shot (window, shot);
      test_util_wait_frame (GTK_WIDGET (window));
      g_assert_true (test_util_wait (canvas_idle, canvas, 600000));
      gtk_adjustment_set_value (side_adjustment, gtk_adjustment_get_upper (side_adjustment));
      test_util_wait_frame (GTK_WIDGET (window));
      if (g_getenv ("STORYREEL_BENCH_TRACE") != NULL)
        g_printerr ("shot %u (%s): %.0f MB\n", index,
                    reel_shot_get_background (shot) != NULL &&
                    g_str_has_prefix (reel_asset_get_mime_type (
                      reel_project_lookup_asset (project, reel_shot_get_background (shot))),
                      "video/") ? "clip" : "image",
                    status_kib ("VmRSS:") / 1024.0);
    }
  test_util_settle ();
  printf ("gallery-shots-shown=%u\n", GALLERY_SHOTS);
  print_memory ("gallery-scrolled");
  printf ("peak-rss-goal-mb=300\n");

  test_util_discard_window (window);

  if (g_getenv ("STORYREEL_BENCH_RENDERER_CHILD") == NULL)
    {
      g_autofree char *self = g_canonicalize_filename (argv[0], NULL);

      run_with_cairo_renderer (self, argv[1]);
    }
  return 0;
}
