/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-bench-set-view"

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/reel-greybox-render.h"
#include "core/reel-optics.h"
#include "core/reel-set-edit.h"
#include "core/reel-set-mesh.h"
#include "core/reel-set-plan.h"
#include "storage/reel-demo.h"
#include "widgets/reel-set-view.h"

#include "test-board-util.h"

/* The Set view while a camera is dragged on a 4K screen, over a set of 200 objects.
 *
 * 1. What one frame costs, in this thread's CPU time (a busy machine does not inflate it):
 *    on the main thread, the edit of one pointer motion (undo step, derived fields) and the
 *    plan at 4K: the set's layer kept, the cameras and marks drawn over it; on the worker,
 *    the gray-box render into the image it keeps, and the opaque copy the view shows. The
 *    baseline is the view without a worker, a kept image or a kept plan: the whole plan,
 *    the mesh and a new image on the main thread for every motion.
 * 2. With a display, the real view in a 3840 × 2160 window, its camera moved on every frame
 *    for three seconds: frames drawn and gray-box renders shown per second (wall clock: a
 *    loaded machine or a software renderer lowers them), and the main thread's CPU time per
 *    frame. */

#define PLAN_WIDTH 2200
#define PLAN_HEIGHT 2040
#define VIEW_WIDTH 1600
#define VIEW_HEIGHT 900
#define N_FRAMES 30

static double
thread_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The demo's harbour with props added until the mesh has 200 objects. */
static void
make_busy (ReelProject *project)
{
  static const char * const kinds[] = { "box", "chair", "table", "cylinder", "tree", "car",
                                        "lamp_post", "bench", "crate", "stairs" };
  ReelScene *scene = reel_project_get_scene (project, 0);
  g_autoptr(ReelSet) set = reel_set_copy (reel_scene_get_set (scene));
  g_autoptr(GRand) rand = g_rand_new_with_seed (200);

  for (guint i = 0;; i++)
    {
      g_autoptr(ReelSetMesh) mesh = reel_set_mesh_new (set, TRUE);

      if (mesh->objects->len >= 200)
        break;
      reel_set_add_prop (set, reel_set_lookup_preset (kinds[i % G_N_ELEMENTS (kinds)]) != NULL
                                ? kinds[i % G_N_ELEMENTS (kinds)] : "box",
                         g_rand_double_range (rand, -25, 25),
                         g_rand_double_range (rand, -55, -5), g_rand_double_range (rand, 0, 360));
    }
  reel_scene_set_set (scene, set);
}

static void
measure_costs (ReelProject *project)
{
  ReelScene *scene = reel_project_get_scene (project, 0);
  ReelShot *shot = reel_scene_get_shot (scene, 0);
  const ReelSet *set = reel_scene_get_set (scene);
  g_autoptr(ReelSetMesh) mesh = reel_set_mesh_new (set, TRUE);
  g_autoptr(ReelGreyboxImage) image = reel_greybox_image_new (VIEW_WIDTH, VIEW_HEIGHT);
  g_autoptr(GArray) cameras = g_array_new (FALSE, FALSE, sizeof (ReelPlanCamera));
  cairo_surface_t *plan_surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, PLAN_WIDTH,
                                                              PLAN_HEIGHT);
  cairo_surface_t *plan_cache = cairo_image_surface_create (CAIRO_FORMAT_RGB24, PLAN_WIDTH,
                                                            PLAN_HEIGHT);
  cairo_t *cache_cr = cairo_create (plan_cache);
  ReelGreyboxOptions options = { "dawn", 24.89, 0 };
  ReelHistory *history = reel_project_get_history (project);
  double edit = 0, plan = 0, plan_whole = 0, plan_set_layer, render = 0, naive = 0;
  double frame_main, frame_worker, start;
  double scale, ox, oy;

  for (guint i = 0; i < reel_scene_get_n_shots (scene); i++)
    {
      ReelPlanCamera camera = { reel_shot_get_camera (reel_scene_get_shot (scene, i)), "1" };

      if (camera.camera != NULL)
        g_array_append_val (cameras, camera);
    }
  reel_set_plan_get_transform (set, (ReelPlanCamera *) cameras->data, cameras->len, PLAN_WIDTH,
                               PLAN_HEIGHT, &scale, &ox, &oy);

  /* The set's layer, once (again only when the set changes). */
  start = thread_ms ();
  cairo_set_source_rgb (cache_cr, 0.97, 0.97, 0.96);
  cairo_paint (cache_cr);
  reel_set_plan_draw_layers (cache_cr, set, NULL, 0, 24.89, scale, ox, oy, -1,
                             REEL_PLAN_LAYER_SET);
  cairo_surface_flush (plan_cache);
  plan_set_layer = thread_ms () - start;
  cairo_destroy (cache_cr);

  reel_history_begin_group (history, "Move Camera");
  for (guint frame = 0; frame < N_FRAMES; frame++)
    {
      g_autoptr(ReelShotCamera) moved = reel_shot_camera_copy (reel_shot_get_camera (shot));
      gsize n_pixels = (gsize) VIEW_WIDTH * VIEW_HEIGHT;
      g_autofree guint32 *copy = NULL;
      cairo_t *cr;

      /* Main thread: the motion's edit, then the plan. */
      start = thread_ms ();
      moved->start.x += 0.05;
      moved->start.pan += 0.5;
      reel_edit_set_shot_camera (project, shot, moved);
      edit += thread_ms () - start;

      start = thread_ms ();
      cr = cairo_create (plan_surface);
      cairo_set_source_surface (cr, plan_cache, 0, 0);
      cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
      cairo_paint (cr);
      cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
      reel_set_plan_draw_layers (cr, set, (ReelPlanCamera *) cameras->data, cameras->len, 24.89,
                                 scale, ox, oy, 0,
                                 REEL_PLAN_LAYER_CAMERAS | REEL_PLAN_LAYER_MARKS);
      cairo_destroy (cr);
      cairo_surface_flush (plan_surface);
      plan += thread_ms () - start;

      /* The baseline's plan: all of it, every frame. */
      start = thread_ms ();
      cr = cairo_create (plan_surface);
      cairo_set_source_rgb (cr, 0.97, 0.97, 0.96);
      cairo_paint (cr);
      reel_set_plan_draw_at (cr, set, (ReelPlanCamera *) cameras->data, cameras->len, 24.89,
                             scale, ox, oy, 0);
      cairo_destroy (cr);
      cairo_surface_flush (plan_surface);
      plan_whole += thread_ms () - start;

      /* Worker: into the kept image, then the copy the view shows. */
      start = thread_ms ();
      reel_greybox_render_into (image, mesh, &reel_shot_get_camera (shot)->start, &options);
      copy = g_new (guint32, n_pixels);
      for (gsize i = 0; i < n_pixels; i++)
        copy[i] = image->rgb[i] | 0xff000000u;
      render += thread_ms () - start;

      /* The baseline: everything again, on the main thread. */
      start = thread_ms ();
      {
        g_autoptr(ReelSetMesh) fresh_mesh = reel_set_mesh_new (set, TRUE);
        g_autoptr(ReelGreyboxImage) fresh = reel_greybox_render (fresh_mesh,
                                                                 &reel_shot_get_camera (shot)->start,
                                                                 VIEW_WIDTH, VIEW_HEIGHT,
                                                                 &options);
      }
      naive += thread_ms () - start;
    }
  reel_history_end_group (history);

  edit /= N_FRAMES;
  plan /= N_FRAMES;
  plan_whole /= N_FRAMES;
  render /= N_FRAMES;
  naive /= N_FRAMES;
  frame_main = edit + plan;
  frame_worker = render;
  printf ("set_objects=%u\n", mesh->objects->len);
  printf ("plan_pixels=%dx%d\n", PLAN_WIDTH, PLAN_HEIGHT);
  printf ("greybox_pixels=%dx%d\n", VIEW_WIDTH, VIEW_HEIGHT);
  printf ("edit_ms=%.2f\n", edit);
  printf ("plan_set_layer_ms=%.2f\n", plan_set_layer);
  printf ("plan_frame_ms=%.2f\n", plan);
  printf ("baseline_plan_whole_ms=%.2f\n", plan_whole);
  printf ("greybox_render_and_copy_ms=%.2f\n", render);
  printf ("baseline_mesh_and_new_render_ms=%.2f\n", naive);
  printf ("main_thread_fps=%.1f\n", 1000 / frame_main);
  printf ("greybox_fps=%.1f\n", 1000 / MAX (frame_main, frame_worker));
  printf ("baseline_fps=%.1f\n", 1000 / (edit + plan_whole + naive));
  printf ("fps_ratio_vs_baseline=%.2f\n",
          (edit + plan_whole + naive) / MAX (frame_main, frame_worker));
  printf ("single_undo_step=%s\n", reel_history_get_n_undo (history) == 1 ? "yes" : "no");

  cairo_surface_destroy (plan_surface);
  cairo_surface_destroy (plan_cache);
}

typedef struct
{
  ReelProject *project;
  ReelShot *shot;
  guint frames;
  gint64 end;
} Drive;

static gboolean
drive_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  Drive *drive = user_data;
  g_autoptr(ReelShotCamera) moved = reel_shot_camera_copy (reel_shot_get_camera (drive->shot));

  if (g_get_monotonic_time () >= drive->end)
    return G_SOURCE_REMOVE;

  drive->frames++;
  moved->start.x += drive->frames % 120 < 60 ? 0.05 : -0.05;
  reel_edit_set_shot_camera (drive->project, drive->shot, moved);
  return G_SOURCE_CONTINUE;
}

static gboolean
drive_done (gpointer data)
{
  Drive *drive = data;

  return g_get_monotonic_time () >= drive->end;
}

static gboolean
view_is_idle (gpointer data)
{
  return gtk_widget_get_mapped (reel_set_view_get_greybox (data))
         && !reel_set_view_is_rendering (data) && reel_set_view_get_n_renders (data) > 0;
}

static void
measure_view (ReelProject *project)
{
  ReelScene *scene = reel_project_get_scene (project, 0);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  ReelSetView *view;
  Drive drive = { project, reel_scene_get_shot (scene, 0), 0, 0 };
  guint renders;
  double cpu_start;
  const double seconds = 3;

  view = g_object_new (REEL_TYPE_SET_VIEW, "project", project, "current-shot", drive.shot, NULL);
  gtk_window_set_default_size (window, 3840, 2160);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  board_test_spin_until (view_is_idle, view, 60000);
  board_test_settle ();

  printf ("view_plan_size=%dx%d\n", gtk_widget_get_width (reel_set_view_get_plan (view)),
          gtk_widget_get_height (reel_set_view_get_plan (view)));
  printf ("view_greybox_size=%dx%d\n", gtk_widget_get_width (reel_set_view_get_greybox (view)),
          gtk_widget_get_height (reel_set_view_get_greybox (view)));

  renders = reel_set_view_get_n_renders (view);
  reel_history_begin_group (reel_project_get_history (project), "Move Camera");
  drive.end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  cpu_start = thread_ms ();
  gtk_widget_add_tick_callback (reel_set_view_get_plan (view), drive_tick_cb, &drive, NULL);
  board_test_spin_until (drive_done, &drive, 60000);
  reel_history_end_group (reel_project_get_history (project));
  /* The main thread's own time per frame: what the frame rate would be on an idle core. */
  printf ("view_main_thread_cpu_ms_per_frame=%.1f\n",
          (thread_ms () - cpu_start) / MAX (drive.frames, 1));
  printf ("view_frames_per_s=%.1f\n", drive.frames / seconds);
  printf ("view_greybox_renders_per_s=%.1f\n",
          (reel_set_view_get_n_renders (view) - renders) / seconds);

  gtk_window_destroy (window);
  board_test_settle ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  gboolean display;

  make_busy (project);
  measure_costs (project);

  display = gtk_init_check ();
  if (!display)
    {
      printf ("view_frames_per_s=skipped (no display)\n");
      return 0;
    }
  adw_init ();
  measure_view (project);
  return 0;
}
