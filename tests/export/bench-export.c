/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <sys/resource.h>

#include "export-test-util.h"

/*
 * Every format at 100 and at 1,000 shots (PDF at 3×2, panels 960 pixels wide), in ten
 * scenes with sketches and shared backgrounds. Prints, per format, the wall-clock time of the
 * 1,000-shot export, and the CPU time per shot at 1,000 as a ratio of the CPU time per shot
 * at 100, measured in this process: about 1 means the cost per shot does not grow with the
 * project. CPU time (every thread of the process) and not wall-clock time for the ratio, so
 * that other programs on a shared machine do not blur it.
 */

#define SCENES 10

typedef struct
{
  double wall_ms;
  double cpu_ms;
} Timing;

static double
cpu_ms_now (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

static Timing
time_export (const char  *format_id,
             ReelProject *project,
             GFile       *folder)
{
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  const ReelExportFormat *format = reel_export_lookup_format (format_id);
  g_autofree char *name = reel_export_format_suggest_name (format, "bench");
  g_autoptr(GFile) output = g_file_get_child (folder, name);
  g_autoptr(GError) error = NULL;
  Timing best = { G_MAXDOUBLE, G_MAXDOUBLE };

  reel_export_options_set_layout (options, REEL_EXPORT_LAYOUT_3X2);
  reel_export_options_set_panel_width (options, 960);

  /* Best of three: the first run also warms the caches (fonts, decoded backgrounds). */
  for (guint run = 0; run < 3; run++)
    {
      gint64 start = g_get_monotonic_time ();
      double cpu_start = cpu_ms_now ();

      export_test_run (format_id, project, options, output, &error);
      g_assert_no_error (error);
      best.wall_ms = MIN (best.wall_ms, (g_get_monotonic_time () - start) / 1000.0);
      best.cpu_ms = MIN (best.cpu_ms, cpu_ms_now () - cpu_start);
    }

  return best;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ReelProject) small = NULL;
  g_autoptr(ReelProject) large = NULL;
  g_autoptr(GFile) folder = NULL;
  /* The formats of src/export; the animatic renders video and is measured in tests/media. */
  const char *ids[] = { "pdf", "csv", "otio", "fcpxml", "edl", "json", "png" };

  g_test_init (&argc, &argv, NULL);

  small = export_test_new_large_project (SCENES, 100 / SCENES);
  large = export_test_new_large_project (SCENES, 1000 / SCENES);
  g_assert_cmpuint (reel_project_get_n_shots (large), ==, 1000);
  folder = export_test_make_folder ("bench");

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      const char *id = ids[i];
      Timing at_100 = time_export (id, small, folder);
      Timing at_1000 = time_export (id, large, folder);

      printf ("export-%s-1000-shots-ms=%.0f\n", id, at_1000.wall_ms);
      printf ("export-%s-cpu-ms-per-shot-at-1000=%.3f\n", id, at_1000.cpu_ms / 1000);
      printf ("export-%s-cpu-per-shot-1000-vs-100=%.2f\n", id,
              (at_1000.cpu_ms / 1000) / (at_100.cpu_ms / 100));
      fflush (stdout);
    }

  return export_test_finish (0);
}
