/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-bench-board"

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "core/reel-panel.h"
#include "widgets/reel-canvas-private.h"

#include "test-board-util.h"

/* What a stroke costs on a 4K panel with a busy sketch. The baseline is what a canvas
 * without a cache would do on every pointer event: render the whole panel again. The
 * canvas instead draws the new segment into its live surface and snapshots cached
 * layers; a finished stroke is drawn once onto the cached active layer. */

#define N_EXTRA_STROKES 300
#define N_POINTS 400

static gboolean
canvas_is_idle (gpointer data)
{
  return gtk_widget_get_mapped (data) && !reel_canvas_is_rendering (data);
}

static void
add_busy_sketch (ReelSketch *sketch)
{
  GRand *rand = g_rand_new_with_seed (4096);

  for (guint i = 0; i < N_EXTRA_STROKES; i++)
    {
      ReelStrokePoint points[40];
      ReelColor color = { g_rand_double (rand), g_rand_double (rand), g_rand_double (rand), 1 };
      double x = g_rand_double (rand), y = g_rand_double (rand);
      g_autoptr(ReelStroke) stroke = NULL;

      for (guint p = 0; p < G_N_ELEMENTS (points); p++)
        {
          x += g_rand_double_range (rand, -0.02, 0.02);
          y += g_rand_double_range (rand, -0.02, 0.02);
          points[p] = (ReelStrokePoint) { x, y, g_rand_double_range (rand, 0.3, 1), 0, 0 };
        }

      stroke = reel_stroke_new (i % 3 == 0 ? REEL_TOOL_PENCIL : REEL_TOOL_PEN, &color, 0.004,
                                points, G_N_ELEMENTS (points), NULL);
      reel_sketch_append_stroke (sketch, REEL_LAYER_SKETCH, stroke);
    }

  g_rand_free (rand);
}

static double
snapshot_canvas (GtkWidget *canvas)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  gint64 start = g_get_monotonic_time ();

  GTK_WIDGET_GET_CLASS (canvas)->snapshot (canvas, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_clear_pointer (&node, gsk_render_node_unref);

  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ReelProject) project = board_test_project_new (1, 1);
  ReelShot *shot;
  GtkWindow *window;
  GtkWidget *canvas;
  graphene_rect_t panel;
  cairo_surface_t *surface;
  double full = 0, live_total = 0, live_worst = 0, commit;
  int width, height, visible_width, visible_height;
  gint64 start;

  gtk_init ();
  adw_init ();

  shot = reel_scene_get_shot (reel_project_get_scene (project, 0), 0);
  add_busy_sketch (reel_shot_get_sketch (shot));

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1280, 800);
  canvas = reel_canvas_new ();
  reel_canvas_set_project (REEL_CANVAS (canvas), project);
  reel_canvas_set_shot (REEL_CANVAS (canvas), shot);
  gtk_window_set_child (window, canvas);
  gtk_window_present (window);
  if (!board_test_spin_until (canvas_is_idle, canvas, 60000))
    g_error ("The canvas did not render");

  /* The screen may be small (Xvfb): zoom until the panel is 3840 pixels wide, which
   * gives the cached layers and the live surface the size they have on a 4K screen. */
  reel_canvas_get_panel_bounds (REEL_CANVAS (canvas), &panel);
  reel_canvas_set_zoom (REEL_CANVAS (canvas), reel_canvas_get_zoom (REEL_CANVAS (canvas)) *
                                              3840 / panel.size.width);
  if (!board_test_spin_until (canvas_is_idle, canvas, 60000))
    g_error ("The canvas did not render");
  reel_canvas_get_panel_bounds (REEL_CANVAS (canvas), &panel);
  width = (int) panel.size.width;
  height = (int) panel.size.height;
  g_printerr ("panel: %d × %d pixels, %u strokes\n", width, height,
              reel_sketch_get_n_strokes (reel_shot_get_sketch (shot)));
  visible_width = gtk_widget_get_width (canvas);
  visible_height = gtk_widget_get_height (canvas);

  /* Baseline: the whole panel, as an uncached canvas draws it for every event. */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  for (int i = 0; i < 3; i++)
    {
      cairo_t *cr = cairo_create (surface);

      start = g_get_monotonic_time ();
      reel_panel_render (project, shot, cr, width, height);
      cairo_surface_flush (surface);
      full += (g_get_monotonic_time () - start) / 1000.0;
      cairo_destroy (cr);
    }
  full /= 3;
  cairo_surface_destroy (surface);

  /* A long wavy pen stroke across the part of the panel on screen, one pointer event
   * at a time. */
  reel_canvas_begin_stroke (REEL_CANVAS (canvas), 0.1 * visible_width, 0.5 * visible_height,
                            0.8, 0, 0, FALSE);
  for (int i = 1; i <= N_POINTS; i++)
    {
      double t = (double) i / N_POINTS;
      double x = (0.1 + 0.8 * t) * visible_width;
      double y = (0.5 + 0.4 * sin (t * 6 * G_PI)) * visible_height;
      double cost;

      start = g_get_monotonic_time ();
      reel_canvas_extend_stroke (REEL_CANVAS (canvas), x, y, 0.5 + 0.5 * t, 0, 0, FALSE);
      cost = (g_get_monotonic_time () - start) / 1000.0 + snapshot_canvas (canvas);
      live_total += cost;
      live_worst = MAX (live_worst, cost);
    }

  start = g_get_monotonic_time ();
  reel_canvas_end_stroke (REEL_CANVAS (canvas), TRUE);
  commit = (g_get_monotonic_time () - start) / 1000.0;

  g_print ("canvas-4k-full-redraw-ms: %.2f (baseline)\n", full);
  g_print ("canvas-4k-live-point-ms: %.3f mean, %.3f worst (ratio %.4f of a full redraw)\n",
           live_total / N_POINTS, live_worst, live_total / N_POINTS / full);
  g_print ("canvas-4k-commit-ms: %.2f (ratio %.3f of a full redraw)\n", commit, commit / full);

  gtk_window_destroy (window);
  board_test_settle ();

  return 0;
}
