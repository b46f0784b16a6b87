/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "reel-test-project.h"

/* Figures of the model: how long building, copying and comparing 10,000 shots
 * take, shot lookup against a plain scan, and what a panel costs to draw
 * against an empty one. One figure per line. */

#define N_SCENES 100
#define SHOTS_PER_SCENE 100
#define STROKES_PER_SHOT 50

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

static ReelShot *
find_by_scan (ReelProject *project,
              const char  *id)
{
  for (guint i = 0; i < reel_project_get_n_scenes (project); i++)
    {
      ReelScene *scene = reel_project_get_scene (project, i);

      for (guint j = 0; j < reel_scene_get_n_shots (scene); j++)
        if (g_str_equal (reel_shot_get_id (reel_scene_get_shot (scene, j)), id))
          return reel_scene_get_shot (scene, j);
    }

  return NULL;
}

static double
time_panels (ReelSketch *sketch,
             int         width,
             int         n)
{
  int height = reel_panel_height_for_width (1.78, width);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  gint64 start = g_get_monotonic_time ();

  for (int i = 0; i < n; i++)
    {
      cairo_t *cr = cairo_create (surface);

      reel_panel_render_parts (NULL, sketch, cr, width, height);
      cairo_destroy (cr);
    }

  cairo_surface_destroy (surface);
  return seconds_since (start) / n;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(ReelProject) copy = NULL;
  g_autoptr(ReelSketch) empty = reel_sketch_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  ReelSketch *sketch;
  double build, copy_time, equal_time, indexed, scanned, empty_panel, small, large, png;
  gint64 start;
  gboolean equal;

  start = g_get_monotonic_time ();
  project = reel_test_project_random (1, N_SCENES, SHOTS_PER_SCENE, STROKES_PER_SHOT);
  build = seconds_since (start);

  start = g_get_monotonic_time ();
  copy = reel_project_copy (project);
  copy_time = seconds_since (start);

  start = g_get_monotonic_time ();
  equal = reel_project_equal (project, copy);
  equal_time = seconds_since (start);
  g_assert_true (equal);

  for (int i = 0; i < 1000; i++)
    {
      ReelScene *scene = reel_project_get_scene (project, g_rand_int_range (rand, 0, N_SCENES));

      g_ptr_array_add (ids, g_strdup (reel_shot_get_id (reel_scene_get_shot (scene,
                                                                             g_rand_int_range (rand, 0, SHOTS_PER_SCENE)))));
    }
  reel_project_find_shot (project, g_ptr_array_index (ids, 0), NULL, NULL);   /* builds the index */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < ids->len; i++)
    g_assert_nonnull (reel_project_find_shot (project, g_ptr_array_index (ids, i), NULL, NULL));
  indexed = seconds_since (start) / ids->len;
  start = g_get_monotonic_time ();
  for (guint i = 0; i < ids->len; i++)
    g_assert_nonnull (find_by_scan (project, g_ptr_array_index (ids, i)));
  scanned = seconds_since (start) / ids->len;

  sketch = reel_shot_get_sketch (reel_scene_get_shot (reel_project_get_scene (project, 0), 0));
  empty_panel = time_panels (empty, 320, 200);
  small = time_panels (sketch, 320, 200);
  large = time_panels (sketch, 1920, 20);

  start = g_get_monotonic_time ();
  for (int i = 0; i < 50; i++)
    g_bytes_unref (reel_panel_render_parts_png (NULL, sketch, 320, 180, NULL));
  png = seconds_since (start) / 50;

  g_print ("model: build %d shots x %d strokes: %.3f s\n",
           N_SCENES * SHOTS_PER_SCENE, STROKES_PER_SHOT, build);
  g_print ("model: copy: %.3f s (%.2fx the build)\n", copy_time, copy_time / build);
  g_print ("model: deep equality: %.3f s (%.2fx the build)\n", equal_time, equal_time / build);
  g_print ("model: find shot by id: %.2f us (%.0fx faster than a scan)\n",
           indexed * 1e6, scanned / indexed);
  g_print ("panel: 320 px, %u strokes: %.2f ms (%.1fx an empty panel)\n",
           reel_sketch_get_n_strokes (sketch), small * 1e3, small / empty_panel);
  g_print ("panel: 1920 px, %u strokes: %.2f ms (%.1fx the 320 px panel)\n",
           reel_sketch_get_n_strokes (sketch), large * 1e3, large / small);
  g_print ("panel: 320 px PNG: %.2f ms (%.1fx drawing it)\n", png * 1e3, png / small);

  reel_panel_clear_cache ();
  return 0;
}
