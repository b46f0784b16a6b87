/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-bench-set-view"

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gdk/x11/gdkx.h>

#include "core/reel-greybox-render.h"
#include "core/reel-optics.h"
#include "core/reel-set-edit.h"
#include "core/reel-set-mesh.h"
#include "core/reel-set-plan.h"
#include "application/reel-application.h"
#include "storage/reel-demo.h"
#include "widgets/reel-window.h"
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
 * 2. With an X display (run it on a 3840 × 2160 screen: xvfb-run -s "-screen 0
 *    3840x2160x24"), the application's window over the whole screen on its Set view, the
 *    first shot's camera dragged with real input through the X server: frames presented
 *    per second that show the camera somewhere new, gray-box renders shown per second
 *    (wall clock: a loaded machine or a software renderer lowers them, so the load is
 *    printed beside them), and the CPU time of a frame: the main thread's, the process's
 *    (the gray-box worker, a software GL's threads) and the X server's. */

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

/* The machine's load over the last minute, as /proc/loadavg has it (-1 elsewhere). */
static double
load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return -1;
  return g_ascii_strtod (text, NULL);
}

static double
process_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The X server's CPU time in ms (user and system), found by the display it serves; -1
 * when it cannot be read. What the server spends putting frames on its screen is part
 * of the cost of a frame. */
static double
x_server_ms (void)
{
  const char *display = g_getenv ("DISPLAY");
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (display == NULL || (dir = g_dir_open ("/proc", 0, NULL)) == NULL)
    return -1;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *cmdline_path = g_build_filename ("/proc", name, "cmdline", NULL);
      g_autofree char *stat_path = g_build_filename ("/proc", name, "stat", NULL);
      g_autofree char *cmdline = NULL;
      g_autofree char *stat = NULL;
      gsize length;
      gboolean server = FALSE, serves = FALSE;
      const char *fields;
      unsigned long utime, stime;

      if (!g_ascii_isdigit (name[0])
          || !g_file_get_contents (cmdline_path, &cmdline, &length, NULL))
        continue;
      for (const char *arg = cmdline; arg < cmdline + length; arg += strlen (arg) + 1)
        {
          server = server || g_str_has_suffix (arg, "Xvfb") || g_str_has_suffix (arg, "Xorg");
          serves = serves || g_str_equal (arg, display);
        }
      if (!server || !serves || !g_file_get_contents (stat_path, &stat, NULL, NULL)
          || (fields = strrchr (stat, ')')) == NULL
          || sscanf (fields + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
                     &utime, &stime) != 2)
        continue;
      return (utime + stime) * 1000.0 / sysconf (_SC_CLK_TCK);
    }
  return -1;
}

typedef struct
{
  ReelShot *shot;
  ReelSetView *view;
  double last_x;
  guint frames;          /* frames presented during the drag */
  guint moved_frames;    /* of them, those that show the camera somewhere new */
  guint renders;         /* gray-box renders shown during the drag */
  gint64 first, last;    /* when the first and the last moved frame were presented */
} Drag;

static void
after_paint_cb (GdkFrameClock *clock,
                Drag          *drag)
{
  double x = reel_shot_get_camera (drag->shot)->start.x;

  drag->frames++;
  if (x != drag->last_x)
    {
      drag->last_x = x;
      drag->moved_frames++;
      drag->last = g_get_monotonic_time ();
      if (drag->first == 0)
        drag->first = drag->last;
    }
}

/* The first widget of @type below @root that is shown on screen. */
static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (!gtk_widget_get_mapped (root))
    return NULL;
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkWidget *widget;
  guint frames;
  guint wanted;
} Redraw;

static gboolean
redraw_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  Redraw *redraw = user_data;

  if (++redraw->frames >= redraw->wanted)
    {
      gtk_widget_set_opacity (redraw->widget, 1);
      return G_SOURCE_REMOVE;
    }
  /* A change of what it shows, not only a request: a frame that changes nothing is
   * not drawn at all. */
  gtk_widget_set_opacity (redraw->widget, redraw->frames % 2 ? 0.9 : 1);
  return G_SOURCE_CONTINUE;
}

static gboolean
redraw_done (gpointer data)
{
  Redraw *redraw = data;

  return redraw->frames >= redraw->wanted;
}

/* What a frame costs the process and the X server when one small label changes:
 * the floor under any frame of this window with this renderer (a renderer that cannot
 * tell what changed draws the whole window). */
static void
measure_floor (GtkWidget *window,
               double    *process,
               double    *server)
{
  Redraw redraw = { find_widget (window, GTK_TYPE_LABEL), 0, 30 };
  double start_process = process_ms (), start_server = x_server_ms ();

  gtk_widget_add_tick_callback (redraw.widget, redraw_tick_cb, &redraw, NULL);
  board_test_spin_until (redraw_done, &redraw, 60000);
  board_test_settle ();
  *process = (process_ms () - start_process) / redraw.frames;
  *server = start_server >= 0 ? (x_server_ms () - start_server) / redraw.frames : -1;
}

static gboolean
view_is_idle (gpointer data)
{
  return gtk_widget_get_mapped (reel_set_view_get_greybox (data))
         && !reel_set_view_is_rendering (data) && reel_set_view_get_n_renders (data) > 0;
}

/* The application's own window on the whole screen, its Set view showing, the first
 * shot's camera dragged with real input (xdotool, through the X server): frames
 * presented per second and what each cost. */
static void
measure_window (ReelProject *project)
{
  g_autoptr(GError) error = NULL;
  ReelApplication *app = reel_application_new ();
  ReelScene *scene = reel_project_get_scene (project, 0);
  GdkDisplay *display = gdk_display_get_default ();
  GdkMonitor *monitor = g_list_model_get_item (gdk_display_get_monitors (display), 0);
  GdkRectangle screen;
  ReelWindow *window;
  ReelSetView *view;
  GdkFrameClock *clock;
  g_autofree char *xid = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  Drag drag = { reel_scene_get_shot (scene, 0), NULL, 0 };
  double px, py, cpu_main, cpu_process, cpu_server, load, seconds;
  double floor_process, floor_server;
  int sx, sy;
  gulong handler;
  const guint steps = 160;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (app));

  gdk_monitor_get_geometry (monitor, &screen);
  g_object_unref (monitor);
  window = reel_window_new_for_project (ADW_APPLICATION (app), project);
  /* Maximised: a window manager would honour the request; without one (Xvfb) the default
   * size covers the screen the same way. */
  gtk_window_set_default_size (GTK_WINDOW (window), screen.width, screen.height);
  gtk_window_maximize (GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "set");
  reel_window_set_current_shot (window, drag.shot);
  board_test_settle ();
  view = REEL_SET_VIEW (find_widget (GTK_WIDGET (window), REEL_TYPE_SET_VIEW));
  g_assert_nonnull (view);
  drag.view = view;
  board_test_spin_until (view_is_idle, view, 60000);
  board_test_settle ();

  printf ("window_renderer=%s\n",
          G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));
  printf ("window_size=%dx%d\n", gtk_widget_get_width (GTK_WIDGET (window)),
          gtk_widget_get_height (GTK_WIDGET (window)));
  printf ("window_plan_size=%dx%d\n", gtk_widget_get_width (reel_set_view_get_plan (view)),
          gtk_widget_get_height (reel_set_view_get_plan (view)));
  printf ("window_greybox_size=%dx%d\n", gtk_widget_get_width (reel_set_view_get_greybox (view)),
          gtk_widget_get_height (reel_set_view_get_greybox (view)));

  measure_floor (GTK_WIDGET (window), &floor_process, &floor_server);

  /* Press on the camera, move right and back in small steps, release: one xdotool, so
   * that the input arrives as fast as the X server takes it. */
  xid = board_test_window_id (GTK_WIDGET (window));
  reel_set_view_plan_point (view, reel_shot_get_camera (drag.shot)->start.x,
                            reel_shot_get_camera (drag.shot)->start.z, &px, &py);
  for (guint i = 0; i <= steps; i++)
    {
      double along = i <= steps / 2 ? i : steps - i;

      board_test_to_surface (reel_set_view_get_plan (view), px + 2 * along, py, &sx, &sy);
      g_ptr_array_add (argv, g_strdup ("mousemove"));
      g_ptr_array_add (argv, g_strdup ("--window"));
      g_ptr_array_add (argv, g_strdup (xid));
      g_ptr_array_add (argv, g_strdup_printf ("%d", sx));
      g_ptr_array_add (argv, g_strdup_printf ("%d", sy));
      if (i == 0)
        {
          g_ptr_array_add (argv, g_strdup ("mousedown"));
          g_ptr_array_add (argv, g_strdup ("1"));
        }
      g_ptr_array_add (argv, g_strdup ("sleep"));
      g_ptr_array_add (argv, g_strdup ("0.01"));
    }
  g_ptr_array_add (argv, g_strdup ("mouseup"));
  g_ptr_array_add (argv, g_strdup ("1"));
  g_ptr_array_add (argv, NULL);

  drag.last_x = reel_shot_get_camera (drag.shot)->start.x;
  drag.renders = reel_set_view_get_n_renders (view);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &drag);
  load = load_average ();
  cpu_main = thread_ms ();
  cpu_process = process_ms ();
  cpu_server = x_server_ms ();
  board_test_xdotool ((const char * const *) argv->pdata);
  board_test_settle ();
  cpu_main = thread_ms () - cpu_main;
  cpu_process = process_ms () - cpu_process;
  cpu_server = cpu_server >= 0 ? x_server_ms () - cpu_server : -1;
  g_signal_handler_disconnect (clock, handler);
  drag.renders = reel_set_view_get_n_renders (view) - drag.renders;
  seconds = MAX (drag.last - drag.first, 1) / (double) G_USEC_PER_SEC;

  printf ("load_average_1min=%.1f\n", load);
  printf ("cpus=%u\n", g_get_num_processors ());
  printf ("window_drag_frames=%u\n", drag.frames);
  printf ("window_drag_frames_moved=%u\n", drag.moved_frames);
  printf ("window_drag_seconds=%.2f\n", seconds);
  printf ("window_frames_per_s=%.1f\n", MAX (drag.moved_frames, 1) - 1 > 0
                                          ? (drag.moved_frames - 1) / seconds : 0);
  printf ("window_greybox_renders_per_s=%.1f\n", drag.renders / seconds);
  /* CPU time per frame is what a busy machine does not inflate: the main thread's, the
   * whole process's (the gray-box worker and a software GL's threads), the X server's. */
  printf ("window_main_thread_cpu_ms_per_frame=%.1f\n", cpu_main / MAX (drag.frames, 1));
  printf ("window_process_cpu_ms_per_frame=%.1f\n", cpu_process / MAX (drag.frames, 1));
  if (cpu_server >= 0)
    printf ("window_x_server_cpu_ms_per_frame=%.1f\n", cpu_server / MAX (drag.frames, 1));
  printf ("window_redraw_floor_process_cpu_ms_per_frame=%.1f\n", floor_process);
  if (floor_server >= 0)
    printf ("window_redraw_floor_x_server_cpu_ms_per_frame=%.1f\n", floor_server);
  printf ("window_frames_per_s_on_idle_cores=%.1f\n",
          1000 / MAX (cpu_main / MAX (drag.frames, 1),
                      (cpu_process + MAX (cpu_server, 0)) / MAX (drag.frames, 1)
                        / g_get_num_processors ()));

  gtk_window_destroy (GTK_WINDOW (window));
  board_test_settle ();
  g_application_release (G_APPLICATION (app));
  g_object_unref (app);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  gboolean display;

  make_busy (project);
  measure_costs (project);

  display = g_getenv ("DISPLAY") != NULL && gtk_init_check ();
  if (!display || !GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      printf ("window_frames_per_s=skipped (no X11 display)\n");
      return 0;
    }
  adw_init ();
  measure_window (project);
  return 0;
}
