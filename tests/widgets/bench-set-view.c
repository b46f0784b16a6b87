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
 * 1. What one frame costs, in CPU time (a busy machine does not inflate it much): on the
 *    main thread, the edit of one pointer motion (undo step, derived fields) and the plan
 *    at 4K as the view draws it during a drag (the set's layer and what stands still
 *    kept, the dragged camera drawn alone in its box); on the worker, the gray-box render
 *    at the drag's size on every core and its copy scaled to the frame the view shows.
 *    The baseline is the view without a worker or anything kept: the whole plan, the mesh
 *    and a new full-size image on the main thread for every motion.
 * 2. With an X display (run it on a 3840 × 2160 screen: xvfb-run -s "-screen 0
 *    3840x2160x24"), the application's window over the whole screen on its Set view, the
 *    first shot's camera dragged with real input through the X server: frames presented
 *    per second that show the camera somewhere new, gray-box renders shown per second
 *    (wall clock: a loaded machine or a software renderer lowers them, so the load is
 *    printed beside them), and the CPU time of a frame: the main thread's, the process's
 *    (the gray-box worker, a software GL's threads) and the X server's. The baseline,
 *    in the same window: frames that draw every pixel of it again, with no drag.
 *    The window draws with the Cairo renderer unless GSK_RENDERER says otherwise (under
 *    Xvfb the GL renderer is llvmpipe, which draws the whole window for every frame). */

#define PLAN_WIDTH 2200
#define PLAN_HEIGHT 2040
#define FRAME_WIDTH 1949   /* the gray-box view's width in the window at 4K */
#define DRAG_WIDTH 960     /* the render's width while dragging (GREYBOX_DRAG_WIDTH) */
#define N_FRAMES 30

static double
thread_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
process_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
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
  double aspect = reel_project_get_aspect_ratio (project);
  int frame_height = (int) (FRAME_WIDTH / aspect);
  int drag_height = (int) round (frame_height * (double) DRAG_WIDTH / FRAME_WIDTH);
  g_autoptr(ReelSetMesh) mesh = reel_set_mesh_new (set, TRUE);
  g_autoptr(ReelGreyboxImage) image = reel_greybox_image_new (DRAG_WIDTH, drag_height);
  g_autoptr(GArray) cameras = g_array_new (FALSE, FALSE, sizeof (ReelPlanCamera));
  g_autoptr(GArray) still_cameras = g_array_new (FALSE, FALSE, sizeof (ReelPlanCamera));
  cairo_surface_t *plan_surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, PLAN_WIDTH,
                                                              PLAN_HEIGHT);
  cairo_surface_t *plan_cache = cairo_image_surface_create (CAIRO_FORMAT_RGB24, PLAN_WIDTH,
                                                            PLAN_HEIGHT);
  cairo_surface_t *still = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, PLAN_WIDTH,
                                                       PLAN_HEIGHT);
  cairo_t *cache_cr = cairo_create (plan_cache);
  ReelGreyboxOptions options = { "dawn", 24.89, 0 };
  ReelHistory *history = reel_project_get_history (project);
  double edit = 0, plan = 0, plan_whole = 0, plan_set_layer, plan_still_layer;
  double render_wall = 0, render_cpu = 0, to_frame = 0, naive = 0;
  double frame_main, frame_worker, start;
  double scale, ox, oy;
  int dragged = -1;

  for (guint i = 0; i < reel_scene_get_n_shots (scene); i++)
    {
      ReelShot *each = reel_scene_get_shot (scene, i);
      ReelPlanCamera camera = { reel_shot_get_camera (each), reel_shot_get_number (each) };

      if (camera.camera == NULL)
        continue;
      if (each == shot)
        dragged = cameras->len;
      else
        g_array_append_val (still_cameras, camera);
      g_array_append_val (cameras, camera);
    }
  g_assert_cmpint (dragged, >=, 0);
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

  /* What stands still over it while the camera moves, once a drag. */
  start = thread_ms ();
  cache_cr = cairo_create (still);
  reel_set_plan_draw_layers (cache_cr, set, (ReelPlanCamera *) still_cameras->data,
                             still_cameras->len, 24.89, scale, ox, oy, -1,
                             REEL_PLAN_LAYER_CAMERAS | REEL_PLAN_LAYER_MARKS);
  cairo_destroy (cache_cr);
  cairo_surface_flush (still);
  plan_still_layer = thread_ms () - start;

  reel_history_begin_group (history, "Move Camera");
  for (guint frame = 0; frame < N_FRAMES; frame++)
    {
      g_autoptr(ReelShotCamera) moved = reel_shot_camera_copy (reel_shot_get_camera (shot));
      ReelPlanCamera camera;
      cairo_surface_t *box, *node;
      double cx, cy, radius = MAX (3.2 * scale, 52) + 16;
      gint64 wall;
      cairo_t *cr;

      /* Main thread: the motion's edit, then the plan: the camera alone, in its box (the
       * renderer composites the kept layers under it). */
      start = thread_ms ();
      moved->start.x += 0.05;
      moved->start.pan += 0.5;
      reel_edit_set_shot_camera (project, shot, moved);
      edit += thread_ms () - start;

      start = thread_ms ();
      camera = (ReelPlanCamera) { reel_shot_get_camera (shot), reel_shot_get_number (shot) };
      cx = ox + camera.camera->start.x * scale;
      cy = oy + camera.camera->start.z * scale;
      box = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (2 * radius),
                                        (int) ceil (2 * radius));
      cr = cairo_create (box);
      cairo_translate (cr, -floor (cx - radius), -floor (cy - radius));
      reel_set_plan_draw_layers (cr, set, &camera, 1, 24.89, scale, ox, oy, 0,
                                 REEL_PLAN_LAYER_CAMERAS);
      cairo_destroy (cr);
      cairo_surface_flush (box);
      cr = cairo_create (plan_surface);
      cairo_rectangle (cr, floor (cx - radius), floor (cy - radius), ceil (2 * radius),
                       ceil (2 * radius));
      cairo_clip (cr);
      cairo_set_source_surface (cr, plan_cache, 0, 0);
      cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
      cairo_paint (cr);
      cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
      cairo_set_source_surface (cr, still, 0, 0);
      cairo_paint (cr);
      cairo_set_source_surface (cr, box, floor (cx - radius), floor (cy - radius));
      cairo_paint (cr);
      cairo_destroy (cr);
      cairo_surface_destroy (box);
      cairo_surface_flush (plan_surface);
      plan += thread_ms () - start;

      /* The baseline's plan: all of it, every frame. */
      start = thread_ms ();
      cr = cairo_create (plan_surface);
      cairo_set_source_rgb (cr, 0.97, 0.97, 0.96);
      cairo_paint (cr);
      reel_set_plan_draw_at (cr, set, (ReelPlanCamera *) cameras->data, cameras->len, 24.89,
                             scale, ox, oy, dragged);
      cairo_destroy (cr);
      cairo_surface_flush (plan_surface);
      plan_whole += thread_ms () - start;

      /* Worker: the render at the drag's size on every core (wall time, and CPU time of
       * every thread), then its copy scaled to the frame, as the node the view shows. */
      start = process_ms ();
      wall = g_get_monotonic_time ();
      reel_greybox_render_into_threads (image, mesh, &reel_shot_get_camera (shot)->start,
                                        &options, 0);
      render_wall += (g_get_monotonic_time () - wall) / 1000.0;
      render_cpu += process_ms () - start;

      start = thread_ms ();
      node = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, FRAME_WIDTH, frame_height);
      cairo_surface_flush (node);
      reel_greybox_image_copy_to (image, (guint32 *) cairo_image_surface_get_data (node),
                                  FRAME_WIDTH, frame_height,
                                  cairo_image_surface_get_stride (node));
      cairo_surface_mark_dirty (node);
      cairo_surface_destroy (node);
      to_frame += thread_ms () - start;

      /* The baseline: everything again, at the frame's full size, on the main thread. */
      start = thread_ms ();
      {
        g_autoptr(ReelSetMesh) fresh_mesh = reel_set_mesh_new (set, TRUE);
        g_autoptr(ReelGreyboxImage) fresh = reel_greybox_render (fresh_mesh,
                                                                 &reel_shot_get_camera (shot)->start,
                                                                 FRAME_WIDTH, frame_height,
                                                                 &options);
      }
      naive += thread_ms () - start;
    }
  reel_history_end_group (history);

  edit /= N_FRAMES;
  plan /= N_FRAMES;
  plan_whole /= N_FRAMES;
  render_wall /= N_FRAMES;
  render_cpu /= N_FRAMES;
  to_frame /= N_FRAMES;
  naive /= N_FRAMES;
  frame_main = edit + plan;
  frame_worker = render_wall + to_frame;
  printf ("# 1. costs of one drag frame, measured apart (ms of CPU unless it says wall)\n");
  printf ("set_objects=%u\n", mesh->objects->len);
  printf ("plan_pixels=%dx%d\n", PLAN_WIDTH, PLAN_HEIGHT);
  printf ("greybox_frame_pixels=%dx%d\n", FRAME_WIDTH, frame_height);
  printf ("greybox_drag_pixels=%dx%d\n", DRAG_WIDTH, drag_height);
  printf ("edit_ms=%.2f\n", edit);
  printf ("plan_set_layer_ms=%.2f (once per set change)\n", plan_set_layer);
  printf ("plan_still_layer_ms=%.2f (once per drag)\n", plan_still_layer);
  printf ("plan_frame_ms=%.2f\n", plan);
  printf ("baseline_plan_whole_ms=%.2f\n", plan_whole);
  printf ("greybox_drag_render_wall_ms=%.2f (%u cores)\n", render_wall,
          g_get_num_processors ());
  printf ("greybox_drag_render_cpu_ms=%.2f (all threads)\n", render_cpu);
  printf ("greybox_drag_to_frame_ms=%.2f\n", to_frame);
  printf ("baseline_mesh_and_new_full_render_ms=%.2f\n", naive);
  printf ("main_thread_fps=%.1f\n", 1000 / frame_main);
  printf ("greybox_fps=%.1f\n", 1000 / MAX (frame_main, frame_worker));
  printf ("baseline_fps=%.1f\n", 1000 / (edit + plan_whole + naive));
  printf ("fps_ratio_vs_baseline=%.2f\n",
          (edit + plan_whole + naive) / MAX (frame_main, frame_worker));
  printf ("single_undo_step=%s\n", reel_history_get_n_undo (history) == 1 ? "yes" : "no");

  cairo_surface_destroy (plan_surface);
  cairo_surface_destroy (plan_cache);
  cairo_surface_destroy (still);
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
  double paint_start;    /* the main thread's CPU time when this frame's paint began */
  guint paint_renders;   /* renders shown when the last frame was painted */
  double paint_ms[2];    /* the main thread's CPU time in the paint phase (snapshot and
                          * render): frames without, and with, a new gray-box render */
  guint paint_frames[2];
} Drag;

static void
before_paint_cb (GdkFrameClock *clock,
                 Drag          *drag)
{
  drag->paint_start = thread_ms ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Drag          *drag)
{
  double x = reel_shot_get_camera (drag->shot)->start.x;
  guint renders = reel_set_view_get_n_renders (drag->view);
  gboolean new_render = renders != drag->paint_renders;

  drag->paint_renders = renders;
  drag->paint_ms[new_render] += thread_ms () - drag->paint_start;
  drag->paint_frames[new_render]++;
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

  gboolean odd = ++redraw->frames < redraw->wanted && redraw->frames % 2;

  /* A change of what it shows, not only a request: a frame that changes nothing is
   * not drawn at all. A window changes the colour of its background, under everything. */
  if (GTK_IS_WINDOW (redraw->widget) && odd)
    gtk_widget_add_css_class (redraw->widget, "bench-redraw");
  else if (GTK_IS_WINDOW (redraw->widget))
    gtk_widget_remove_css_class (redraw->widget, "bench-redraw");
  else
    gtk_widget_set_opacity (redraw->widget, odd ? 0.9 : 1);
  return redraw->frames >= redraw->wanted ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static gboolean
redraw_done (gpointer data)
{
  Redraw *redraw = data;

  return redraw->frames >= redraw->wanted;
}

typedef struct
{
  double main_thread;   /* CPU ms per frame */
  double process;
  double x_server;      /* -1: unknown */
  double fps;           /* wall */
} RedrawCost;

/* What a frame costs when @widget changes every frame: a widget its opacity, a window
 * the colour of its background (every pixel is drawn again). */
static void
measure_redraw (GtkWidget  *widget,
                RedrawCost *cost)
{
  Redraw redraw = { widget, 0, 30 };
  double start_main = thread_ms (), start_process = process_ms (), start_server = x_server_ms ();
  gint64 start_wall = g_get_monotonic_time ();

  gtk_widget_add_tick_callback (redraw.widget, redraw_tick_cb, &redraw, NULL);
  board_test_spin_until (redraw_done, &redraw, 60000);
  cost->fps = redraw.frames * (double) G_USEC_PER_SEC / (g_get_monotonic_time () - start_wall);
  board_test_settle ();
  cost->main_thread = (thread_ms () - start_main) / redraw.frames;
  cost->process = (process_ms () - start_process) / redraw.frames;
  cost->x_server = start_server >= 0 ? (x_server_ms () - start_server) / redraw.frames : -1;
}

static gboolean
view_is_idle (gpointer data)
{
  return gtk_widget_get_mapped (reel_set_view_get_greybox (data))
         && !reel_set_view_is_rendering (data) && reel_set_view_get_n_renders (data) > 0;
}

/* With STORYREEL_SCREENSHOT_DIR set, the window as it stands mid-drag, pressed on the
 * camera and moved by (@dx, 0) plan pixels, saved as set-view-drag-4k.png there (after
 * the measurements: it changes none of them). */
static void
save_drag_screenshot (GtkWidget   *window,
                      ReelSetView *view,
                      ReelShot    *shot,
                      const char  *xid,
                      double       dx)
{
  const char *dir = g_getenv ("STORYREEL_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  g_autofree char *sx = NULL, *sy = NULL;
  int width = gtk_widget_get_width (window), height = gtk_widget_get_height (window);
  double px, py;
  int x, y;

  if (dir == NULL)
    return;

  reel_set_view_plan_point (view, reel_shot_get_camera (shot)->start.x,
                            reel_shot_get_camera (shot)->start.z, &px, &py);
  board_test_to_surface (reel_set_view_get_plan (view), px, py, &x, &y);
  sx = g_strdup_printf ("%d", x);
  sy = g_strdup_printf ("%d", y);
  board_test_xdotool ((const char *[]) { "mousemove", "--window", xid, sx, sy, "mousedown", "1",
                                         NULL });
  for (int step = 1; step <= 8; step++)
    {
      g_autofree char *mx = NULL;

      board_test_to_surface (reel_set_view_get_plan (view), px + dx * step / 8, py, &x, &y);
      mx = g_strdup_printf ("%d", x);
      board_test_xdotool ((const char *[]) { "mousemove", "--window", xid, mx, sy, NULL });
      board_test_settle ();
    }
  board_test_spin_until (view_is_idle, view, 60000);
  board_test_settle ();

  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, "set-view-drag-4k.png", NULL);
  if (gdk_texture_save_to_png (texture, path))
    printf ("# screenshot mid-drag: %s\n", path);
  board_test_xdotool ((const char *[]) { "mouseup", "1", NULL });
  board_test_settle ();
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
  double px, py, cpu_main, cpu_process, cpu_server, load, seconds, fps;
  RedrawCost floor, full;
  g_autoptr(GtkCssProvider) provider = NULL;
  int sx, sy;
  gulong handler, before;
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

  /* The floor under any frame of this window (a small label changes) and the baseline (every
   * pixel of the window drawn again, no drag). */
  measure_redraw (find_widget (GTK_WIDGET (window), GTK_TYPE_LABEL), &floor);
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, "window.bench-redraw { background-color: #f0f0f0; }",
                                   -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  measure_redraw (GTK_WIDGET (window), &full);

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
  drag.paint_renders = drag.renders;
  before = g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &drag);
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
  g_signal_handler_disconnect (clock, before);
  drag.renders = reel_set_view_get_n_renders (view) - drag.renders;
  seconds = MAX (drag.last - drag.first, 1) / (double) G_USEC_PER_SEC;

  fps = MAX (drag.moved_frames, 1) - 1 > 0 ? (drag.moved_frames - 1) / seconds : 0;
  cpu_main /= MAX (drag.frames, 1);
  cpu_process /= MAX (drag.frames, 1);
  cpu_server = cpu_server >= 0 ? cpu_server / MAX (drag.frames, 1) : -1;

  printf ("# 2. the window at %dx%d, the camera dragged with real input\n", screen.width,
          screen.height);
  printf ("load_average_1min=%.1f\n", load);
  printf ("cpus=%u\n", g_get_num_processors ());
  printf ("window_drag_frames=%u\n", drag.frames);
  printf ("window_drag_frames_moved=%u\n", drag.moved_frames);
  printf ("window_drag_seconds=%.2f\n", seconds);
  /* Wall clock: frames that show the camera somewhere new, gray-box renders shown. */
  printf ("window_frames_per_s=%.1f\n", fps);
  printf ("window_greybox_renders_per_s=%.1f\n", drag.renders / seconds);
  /* CPU time per frame is what a busy machine inflates least: the main thread's, the
   * whole process's (the gray-box worker's threads, a software GL's), the X server's. */
  printf ("window_main_thread_cpu_ms_per_frame=%.1f\n", cpu_main);
  printf ("window_process_cpu_ms_per_frame=%.1f\n", cpu_process);
  if (cpu_server >= 0)
    printf ("window_x_server_cpu_ms_per_frame=%.1f\n", cpu_server);
  /* Of the main thread's time, what painting a frame costs (snapshot and render), for a
   * frame that shows the camera moved on the plan only and one that also shows a new
   * gray-box render. */
  printf ("window_paint_main_thread_cpu_ms_plan_only=%.1f (%u frames)\n",
          drag.paint_ms[0] / MAX (drag.paint_frames[0], 1), drag.paint_frames[0]);
  printf ("window_paint_main_thread_cpu_ms_with_new_greybox=%.1f (%u frames)\n",
          drag.paint_ms[1] / MAX (drag.paint_frames[1], 1), drag.paint_frames[1]);
  printf ("window_frames_per_s_on_idle_cores=%.1f\n",
          1000 / MAX (cpu_main, (cpu_process + MAX (cpu_server, 0)) / g_get_num_processors ()));
  /* The floor under any frame (one small label changes) and the baseline: the same window
   * drawing every pixel again each frame, with no drag. */
  printf ("window_redraw_floor_process_cpu_ms_per_frame=%.1f\n", floor.process);
  if (floor.x_server >= 0)
    printf ("window_redraw_floor_x_server_cpu_ms_per_frame=%.1f\n", floor.x_server);
  printf ("baseline_full_redraw_frames_per_s=%.1f\n", full.fps);
  printf ("baseline_full_redraw_main_thread_cpu_ms_per_frame=%.1f\n", full.main_thread);
  printf ("baseline_full_redraw_process_cpu_ms_per_frame=%.1f\n", full.process);
  if (full.x_server >= 0)
    printf ("baseline_full_redraw_x_server_cpu_ms_per_frame=%.1f\n", full.x_server);
  printf ("window_main_thread_cpu_ratio_vs_full_redraw=%.2f\n",
          cpu_main / MAX (full.main_thread, 1e-3));
  printf ("window_process_cpu_ratio_vs_full_redraw=%.2f\n",
          cpu_process / MAX (full.process, 1e-3));
  printf ("window_fps_ratio_vs_full_redraw=%.2f\n", fps / MAX (full.fps, 1e-3));

  save_drag_screenshot (GTK_WIDGET (window), view, drag.shot, xid, 120);

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

  /* The renderer a 4K screen without a GPU gets, and the one GTK falls back to. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
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
