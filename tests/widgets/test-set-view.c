/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test-set-view"

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "core/reel-set-plan.h"
#include "core/reel-set-edit.h"
#include "storage/reel-demo.h"
#include "widgets/reel-board-view.h"
#include "widgets/reel-canvas.h"
#include "widgets/reel-generation-panel.h"
#include "widgets/reel-set-view.h"

#include "test-board-util.h"
#include "../reel-test-require.h"

/* The Set view as a user drives it: real pointer input through xdotool on a window under
 * Xvfb, checked against the model, the undo history and the gray-box pixels on screen. */

typedef struct
{
  ReelProject *project;
  GtkWindow   *window;
  ReelSetView *view;
  ReelShot    *shot;
  char        *xid;
} Fixture;

static gboolean
view_is_idle (gpointer data)
{
  ReelSetView *view = data;

  return gtk_widget_get_mapped (reel_set_view_get_greybox (view))
         && !reel_set_view_is_rendering (view);
}

/* The gray-box view shows the model as it stands now, and a frame has drawn it. */
static void
wait_for_view (Fixture *fixture)
{
  board_test_settle ();
  board_test_spin_until (view_is_idle, fixture->view, 10000);
  g_assert_true (view_is_idle (fixture->view));
  board_test_settle ();
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  ReelScene *scene;

  fixture->project = reel_demo_project_new ();
  scene = reel_project_get_scene (fixture->project, 0);
  fixture->shot = reel_scene_get_shot (scene, 0);
  g_assert_nonnull (reel_scene_get_set (scene));
  g_assert_nonnull (reel_shot_get_camera (fixture->shot));

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 1400, 900);
  fixture->view = g_object_new (REEL_TYPE_SET_VIEW, "project", fixture->project,
                                "current-shot", fixture->shot, NULL);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  gtk_window_present (fixture->window);
  /* Run with --cairo (test-set-view-cairo), the window draws with the Cairo renderer. */
  if (g_strcmp0 (g_getenv ("GSK_RENDERER"), "cairo") == 0)
    g_assert_true (GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (GTK_NATIVE (fixture->window))));

  wait_for_view (fixture);
  g_assert_cmpuint (reel_set_view_get_n_renders (fixture->view), >=, 1);
  fixture->xid = board_test_window_id (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  board_test_settle ();
  g_clear_object (&fixture->project);
  g_clear_pointer (&fixture->xid, g_free);
}

static void
pointer_to (Fixture *fixture,
            double   x,
            double   y)
{
  g_autofree char *sx = NULL, *sy = NULL;
  int surface_x, surface_y;

  board_test_to_surface (reel_set_view_get_plan (fixture->view), x, y, &surface_x, &surface_y);
  sx = g_strdup_printf ("%d", surface_x);
  sy = g_strdup_printf ("%d", surface_y);
  board_test_xdotool ((const char *[]) { "mousemove", "--window", fixture->xid, sx, sy, NULL });
}

/* Presses at (@x, @y) of the plan and drags by (@dx, @dy) in steps, then releases. */
static void
drag_on_plan (Fixture *fixture,
              double   x,
              double   y,
              double   dx,
              double   dy)
{
  const guint steps = 12;

  pointer_to (fixture, x, y);
  board_test_xdotool ((const char *[]) { "mousedown", "1", NULL });
  for (guint i = 1; i <= steps; i++)
    {
      pointer_to (fixture, x + dx * i / steps, y + dy * i / steps);
      board_test_settle ();
    }
  board_test_xdotool ((const char *[]) { "mouseup", "1", NULL });
  board_test_settle ();
}

static GdkTexture *
grab_greybox (Fixture *fixture)
{
  wait_for_view (fixture);
  return board_test_render_widget (reel_set_view_get_greybox (fixture->view));
}

static guint
texture_pixels (GdkTexture *texture)
{
  return gdk_texture_get_width (texture) * gdk_texture_get_height (texture);
}

/* Drag the current shot's camera 80 px across the plan: it moves by 80 px in metres, the
 * drag is one undo step, the gray-box view shows the new place; undo brings back the camera
 * and the very picture of before. */
static void
test_drag_camera (Fixture       *fixture,
                  gconstpointer  data)
{
  ReelHistory *history = reel_project_get_history (fixture->project);
  ReelCameraPose before = reel_shot_get_camera (fixture->shot)->start;
  g_autoptr(GdkTexture) picture_before = grab_greybox (fixture);
  g_autoptr(GdkTexture) picture_moved = NULL;
  g_autoptr(GdkTexture) picture_undone = NULL;
  guint n_undo = reel_history_get_n_undo (history);
  double px, py, qx, qy;
  const ReelCameraPose *after;

  reel_set_view_plan_point (fixture->view, before.x, before.z, &px, &py);
  /* How many pixels a metre is on this plan. */
  reel_set_view_plan_point (fixture->view, before.x + 1, before.z, &qx, &qy);
  drag_on_plan (fixture, px, py, 80, 0);

  after = &reel_shot_get_camera (fixture->shot)->start;
  g_assert_cmpfloat_with_epsilon (after->x - before.x, 80 / (qx - px), 2 / (qx - px));
  g_assert_cmpfloat_with_epsilon (after->z, before.z, 2 / (qx - px));
  g_assert_cmpfloat (after->pan, ==, before.pan);
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, n_undo + 1);
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, "Move Camera");

  picture_moved = grab_greybox (fixture);
  g_assert_cmpuint (board_test_count_differences (picture_before, picture_moved, 0, 0, 0, 0), >,
                    texture_pixels (picture_before) / 20);

  g_assert_true (reel_history_undo (history));
  after = &reel_shot_get_camera (fixture->shot)->start;
  g_assert_cmpfloat (after->x, ==, before.x);
  g_assert_cmpfloat (after->z, ==, before.z);
  picture_undone = grab_greybox (fixture);
  g_assert_cmpuint (board_test_count_differences (picture_before, picture_undone, 0, 0, 0, 0), ==,
                    0);
}

/* Pixels of @texture within @radius of (@x, @y) that have the colour (@r, @g, @b), give
 * or take a little (antialiasing, the number drawn on a disc). */
static guint
count_colour_near (GdkTexture *texture,
                   double      x,
                   double      y,
                   double      radius,
                   int         r,
                   int         g,
                   int         b)
{
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  g_autofree guchar *pixels = g_malloc ((gsize) width * height * 4);
  guint count = 0;

  gdk_texture_download (texture, pixels, width * 4);
  for (int py = MAX (0, (int) (y - radius)); py <= MIN (height - 1, (int) (y + radius)); py++)
    for (int px = MAX (0, (int) (x - radius)); px <= MIN (width - 1, (int) (x + radius)); px++)
      {
        const guchar *p = pixels + ((gsize) py * width + px) * 4;   /* B, G, R, A */

        if (hypot (px + 0.5 - x, py + 0.5 - y) <= radius && ABS (p[2] - r) <= 10
            && ABS (p[1] - g) <= 10 && ABS (p[0] - b) <= 10)
          count++;
      }
  return count;
}

/* While the current shot's camera is dragged, the plan shows it where the pointer is and
 * nowhere else (the view redraws the dragged camera on its own over what stands still),
 * and the other cameras stay drawn where they stand. */
static void
test_drag_camera_plan (Fixture       *fixture,
                       gconstpointer  data)
{
  /* The selected camera's disc, and another camera's (reel-set-plan.c). */
  const int selected[3] = { 54, 133, 227 }, other[3] = { 51, 51, 64 };
  ReelScene *scene = reel_shot_get_scene (fixture->shot);
  ReelCameraPose before = reel_shot_get_camera (fixture->shot)->start;
  g_autoptr(GdkTexture) plan_before = NULL;
  g_autoptr(GdkTexture) plan_during = NULL;
  const ReelCameraPose *bystander = NULL;
  double px, py, ox, oy;
  const guint steps = 12;

  /* A camera of another shot, away from the dragged one's path. */
  reel_set_view_plan_point (fixture->view, before.x, before.z, &px, &py);
  for (guint i = 0; i < reel_scene_get_n_shots (scene) && bystander == NULL; i++)
    {
      const ReelShotCamera *camera = reel_shot_get_camera (reel_scene_get_shot (scene, i));

      if (camera == NULL || reel_scene_get_shot (scene, i) == fixture->shot)
        continue;
      reel_set_view_plan_point (fixture->view, camera->start.x, camera->start.z, &ox, &oy);
      if (hypot (ox - px, oy - py) > 60 && hypot (ox - (px + 80), oy - py) > 60)
        bystander = &camera->start;
    }
  g_assert_nonnull (bystander);

  plan_before = board_test_render_widget (reel_set_view_get_plan (fixture->view));
  g_assert_cmpuint (count_colour_near (plan_before, px, py, 9, selected[0], selected[1],
                                       selected[2]), >, 100);
  g_assert_cmpuint (count_colour_near (plan_before, ox, oy, 9, other[0], other[1], other[2]), >,
                    100);

  /* Pressed on the camera and moved 80 px, not let go. */
  pointer_to (fixture, px, py);
  board_test_xdotool ((const char *[]) { "mousedown", "1", NULL });
  for (guint i = 1; i <= steps; i++)
    {
      pointer_to (fixture, px + 80.0 * i / steps, py);
      board_test_settle ();
    }
  plan_during = board_test_render_widget (reel_set_view_get_plan (fixture->view));
  g_assert_cmpuint (count_colour_near (plan_during, px + 80, py, 9, selected[0], selected[1],
                                       selected[2]), >, 100);
  g_assert_cmpuint (count_colour_near (plan_during, px, py, 9, selected[0], selected[1],
                                       selected[2]), <, 10);
  g_assert_cmpuint (count_colour_near (plan_during, ox, oy, 9, other[0], other[1], other[2]), >,
                    100);

  board_test_xdotool ((const char *[]) { "mouseup", "1", NULL });
  board_test_settle ();
  g_assert_cmpfloat (reel_shot_get_camera (fixture->shot)->start.x, >, before.x);
}

/* Dragging the camera's tip pans it towards the pointer, one step. */
static void
test_pan_camera (Fixture       *fixture,
                 gconstpointer  data)
{
  ReelHistory *history = reel_project_get_history (fixture->project);
  ReelCameraPose before = reel_shot_get_camera (fixture->shot)->start;
  g_autoptr(GdkTexture) picture_before = grab_greybox (fixture);
  g_autoptr(GdkTexture) picture_panned = NULL;
  guint n_undo = reel_history_get_n_undo (history);
  double tx, tz, px, py, cx, cy, expected;

  reel_set_view_plan_point (fixture->view, before.x, before.z, &cx, &cy);
  reel_set_view_plan_point (fixture->view, before.x + 1, before.z, &px, &py);
  reel_set_plan_camera_tip (&before, px - cx, &tx, &tz);
  reel_set_view_plan_point (fixture->view, tx, tz, &px, &py);
  /* A quarter turn of the tip round the camera. */
  drag_on_plan (fixture, px, py, -(py - cy) - (px - cx), (px - cx) - (py - cy));

  expected = before.pan + 90;
  expected -= 360 * floor ((expected + 180) / 360);
  g_assert_cmpfloat_with_epsilon (reel_shot_get_camera (fixture->shot)->start.pan, expected, 3);
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, n_undo + 1);
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, "Pan Camera");

  picture_panned = grab_greybox (fixture);
  g_assert_cmpuint (board_test_count_differences (picture_before, picture_panned, 0, 0, 0, 0), >,
                    texture_pixels (picture_before) / 20);
  g_assert_true (reel_history_undo (history));
  g_assert_cmpfloat (reel_shot_get_camera (fixture->shot)->start.pan, ==, before.pan);
}

/* A prop the current camera sees, found on the plan where a click picks it. */
static guint
find_prop_in_view (Fixture *fixture,
                   double  *plan_x,
                   double  *plan_y)
{
  const ReelSet *set = reel_scene_get_set (reel_shot_get_scene (fixture->shot));
  const ReelCameraPose *pose = &reel_shot_get_camera (fixture->shot)->start;
  GtkWidget *plan = reel_set_view_get_plan (fixture->view);
  ReelScene *scene = reel_shot_get_scene (fixture->shot);
  g_autoptr(GArray) cameras = g_array_new (FALSE, FALSE, sizeof (ReelPlanCamera));

  for (guint i = 0; i < reel_scene_get_n_shots (scene); i++)
    {
      ReelPlanCamera camera = { reel_shot_get_camera (reel_scene_get_shot (scene, i)), "1" };

      if (camera.camera != NULL)
        g_array_append_val (cameras, camera);
    }

  for (guint i = 0; i < set->props->len; i++)
    {
      const ReelSetProp *prop = &g_array_index (set->props, ReelSetProp, i);
      graphene_point3d_t centre;
      double x, y, depth, px, py, qx, qy;

      if (g_str_equal (prop->kind, "water"))
        continue;
      graphene_point3d_init (&centre, prop->x, prop->elevation + prop->height / 2, prop->z);
      if (!reel_camera_pose_project (pose, 24.89, 1000, 1000 / 1.78, &centre, &x, &y, &depth)
          || x < 100 || x > 900 || y < 60 || y > 500 || depth > 60)
        continue;

      reel_set_view_plan_point (fixture->view, prop->x, prop->z, &px, &py);
      reel_set_view_plan_point (fixture->view, 0, 0, &qx, &qy);
      if (px < 40 || py < 40 || px > gtk_widget_get_width (plan) - 40
          || py > gtk_widget_get_height (plan) - 40)
        continue;
      /* Not under a mark or a camera of the plan. */
      {
        double scale;

        reel_set_view_plan_point (fixture->view, 1, 0, &scale, &qy);
        scale -= qx;
        if (reel_set_plan_hit (set, (ReelPlanCamera *) cameras->data, cameras->len, scale, qx,
                               qy, px, py).kind
            != REEL_PLAN_HIT_PROP)
          continue;
      }
      *plan_x = px;
      *plan_y = py;
      return i;
    }

  g_assert_not_reached ();
}

/* Drag a prop that the shot sees: it moves, one undo step, the gray-box view changes; undo
 * puts it back and the picture is the one of before. */
static void
test_drag_prop (Fixture       *fixture,
                gconstpointer  data)
{
  ReelHistory *history = reel_project_get_history (fixture->project);
  ReelScene *scene = reel_shot_get_scene (fixture->shot);
  g_autoptr(GdkTexture) picture_before = grab_greybox (fixture);
  g_autoptr(GdkTexture) picture_moved = NULL;
  g_autoptr(GdkTexture) picture_undone = NULL;
  guint n_undo = reel_history_get_n_undo (history);
  double px, py, x0, z0;
  guint index = find_prop_in_view (fixture, &px, &py);
  const ReelSetProp *prop = &g_array_index (reel_scene_get_set (scene)->props, ReelSetProp, index);

  x0 = prop->x;
  z0 = prop->z;
  drag_on_plan (fixture, px, py, 60, 30);

  prop = &g_array_index (reel_scene_get_set (scene)->props, ReelSetProp, index);
  g_assert_cmpfloat (prop->x, >, x0);
  g_assert_cmpfloat (prop->z, >, z0);
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, n_undo + 1);
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, "Move Prop");

  picture_moved = grab_greybox (fixture);
  g_assert_cmpuint (board_test_count_differences (picture_before, picture_moved, 0, 0, 0, 0), >,
                    100);

  g_assert_true (reel_history_undo (history));
  prop = &g_array_index (reel_scene_get_set (scene)->props, ReelSetProp, index);
  g_assert_cmpfloat (prop->x, ==, x0);
  g_assert_cmpfloat (prop->z, ==, z0);
  picture_undone = grab_greybox (fixture);
  g_assert_cmpuint (board_test_count_differences (picture_before, picture_undone, 0, 0, 0, 0), ==,
                    0);
}

/* Scrolling up over a camera puts on a longer lens; the view narrows. */
static void
test_scroll_lens (Fixture       *fixture,
                  gconstpointer  data)
{
  ReelHistory *history = reel_project_get_history (fixture->project);
  ReelCameraPose before = reel_shot_get_camera (fixture->shot)->start;
  g_autoptr(GdkTexture) picture_before = grab_greybox (fixture);
  g_autoptr(GdkTexture) picture_after = NULL;
  double px, py;

  reel_set_view_plan_point (fixture->view, before.x, before.z, &px, &py);
  pointer_to (fixture, px, py);
  board_test_xdotool ((const char *[]) { "click", "4", NULL });
  board_test_settle ();

  g_assert_cmpfloat (reel_shot_get_camera (fixture->shot)->start.lens_mm, >, before.lens_mm);
  g_assert_cmpfloat (reel_shot_get_lens_mm (fixture->shot), ==,
                     reel_shot_get_camera (fixture->shot)->start.lens_mm);
  picture_after = grab_greybox (fixture);
  g_assert_cmpuint (board_test_count_differences (picture_before, picture_after, 0, 0, 0, 0), >,
                    texture_pixels (picture_before) / 20);
  g_assert_true (reel_history_undo (history));
  g_assert_cmpfloat (reel_shot_get_camera (fixture->shot)->start.lens_mm, ==, before.lens_mm);
}


/* A small room with walls, a door and a window, three actors in the cast and a camera at
 * the open side: the set a designer edits, fitted large on the plan. */
static void
room_fixture_set_up (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(ReelScene) scene = reel_scene_new ();
  g_autoptr(ReelShot) shot = reel_shot_new ();
  g_autoptr(ReelSet) set = reel_set_new_from_template ("room");
  g_autoptr(ReelShotCamera) camera = NULL;
  ReelCameraPose pose = { .x = 0, .z = 4, .height = 1.6, .lens_mm = 24 };

  fixture->project = reel_project_new ();
  reel_scene_set_location (scene, "KITCHEN");
  reel_scene_set_time_of_day (scene, "NIGHT");
  reel_shot_set_cast (shot, "Ana, Ben, Cleo");
  reel_scene_append_shot (scene, shot);
  reel_project_append_scene (fixture->project, scene);
  reel_scene_set_set (scene, set);
  reel_camera_pose_look_at (&pose, -0.9, 1.6, 0.2);
  camera = reel_shot_camera_new (&pose);
  reel_shot_camera_set_subject (camera, "A");
  reel_shot_set_camera (shot, camera);
  fixture->shot = shot;

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 1400, 900);
  fixture->view = g_object_new (REEL_TYPE_SET_VIEW, "project", fixture->project,
                                "current-shot", fixture->shot, NULL);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  gtk_window_present (fixture->window);
  /* Run with --cairo (test-set-view-cairo), the window draws with the Cairo renderer. */
  if (g_strcmp0 (g_getenv ("GSK_RENDERER"), "cairo") == 0)
    g_assert_true (GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (GTK_NATIVE (fixture->window))));

  wait_for_view (fixture);
  fixture->xid = board_test_window_id (GTK_WIDGET (fixture->window));
}

static const ReelSet *
fixture_set (Fixture *fixture)
{
  return reel_scene_get_set (reel_shot_get_scene (fixture->shot));
}

/* Pixels per metre on the plan as it stands. */
static double
plan_scale (Fixture *fixture)
{
  double x0, y0, x1, y1;

  reel_set_view_plan_point (fixture->view, 0, 0, &x0, &y0);
  reel_set_view_plan_point (fixture->view, 1, 0, &x1, &y1);
  return x1 - x0;
}

static void
click_on_plan (Fixture *fixture,
               double   world_x,
               double   world_z)
{
  double px, py;

  reel_set_view_plan_point (fixture->view, world_x, world_z, &px, &py);
  pointer_to (fixture, px, py);
  board_test_xdotool ((const char *[]) { "click", "1", NULL });
  board_test_settle ();
}

static void
drag_on_floor (Fixture *fixture,
               double   world_x,
               double   world_z,
               double   dx,
               double   dy)
{
  double px, py;

  reel_set_view_plan_point (fixture->view, world_x, world_z, &px, &py);
  drag_on_plan (fixture, px, py, dx, dy);
}

static void
click_widget (Fixture   *fixture,
              GtkWidget *widget,
              double     x)
{
  g_autofree char *sx = NULL, *sy = NULL;
  int surface_x, surface_y;

  g_assert_true (gtk_widget_get_mapped (widget));
  board_test_to_surface (widget, x >= 0 ? x : gtk_widget_get_width (widget) / 2.0,
                         gtk_widget_get_height (widget) / 2.0, &surface_x, &surface_y);
  sx = g_strdup_printf ("%d", surface_x);
  sy = g_strdup_printf ("%d", surface_y);
  board_test_xdotool ((const char *[]) { "mousemove", "--window", fixture->xid, sx, sy,
                                         "click", "1", NULL });
  board_test_settle ();
}

static void
press_key (const char *key)
{
  board_test_xdotool ((const char *[]) { "key", key, NULL });
  board_test_settle ();
}

/* The widget of the side panel that a user reads as @label (a button's label, a row's
 * title and the spin button or entry it holds). */
static GtkWidget *
find_labelled (GtkWidget  *root,
               const char *label,
               GType       type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (!gtk_widget_get_visible (child))
        continue;
      if (GTK_IS_BUTTON (child) && type == GTK_TYPE_BUTTON
          && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0)
        return child;
      if (ADW_IS_PREFERENCES_ROW (child)
          && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), label) == 0
          && type != GTK_TYPE_BUTTON)
        {
          GtkWidget *target = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (child));

          g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (target, type));
          return target;
        }
      if ((found = find_labelled (child, label, type)) != NULL)
        return found;
    }

  return NULL;
}

/* The side panel's group a user reads as @title ("Camera", "Table", "Wall" …). */
static GtkWidget *
find_group (GtkWidget  *root,
            const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_PREFERENCES_GROUP (child) && gtk_widget_get_visible (child)
          && g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (child)), title)
               == 0)
        return child;
      if ((found = find_group (child, title)) != NULL)
        return found;
    }

  return NULL;
}

static gboolean
widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* Types @text into the field of the side panel titled @label and presses Enter, as a user
 * does: the field is scrolled into view and clicked first. */
static void
type_into (Fixture    *fixture,
           const char *group,
           const char *label,
           GType       type,
           const char *text)
{
  GtkWidget *root = find_group (GTK_WIDGET (fixture->view), group);
  GtkWidget *field;

  g_assert_nonnull (root);
  field = find_labelled (root, label, type);
  g_assert_nonnull (field);
  gtk_widget_grab_focus (field);
  board_test_spin_until (widget_is_mapped, field, 10000);
  board_test_settle ();
  click_widget (fixture, field, 12);
  press_key ("ctrl+a");
  /* xdotool would read "-20" as an option. */
  if (text[0] == '-')
    press_key ("minus");
  board_test_xdotool ((const char *[]) { "type", "--delay", "20", text[0] == '-' ? text + 1 : text,
                                         NULL });
  press_key ("Return");
}

static void
click_button (Fixture    *fixture,
              const char *label)
{
  GtkWidget *button = find_labelled (GTK_WIDGET (fixture->view), label, GTK_TYPE_BUTTON);

  g_assert_nonnull (button);
  board_test_spin_until (widget_is_mapped, button, 10000);
  /* Focus scrolls the side panel to it. */
  gtk_widget_grab_focus (button);
  board_test_settle ();
  click_widget (fixture, button, -1);
}

static void
assert_step (ReelHistory *history,
             guint        n_undo,
             const char  *label)
{
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, n_undo);
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, label);
}

/* Pick the back wall, put a door in it where it was picked, slide the door along the wall,
 * delete it: one step each, and undo walks back through them. */
static void
test_wall_openings (Fixture       *fixture,
                    gconstpointer  data)
{
  ReelHistory *history = reel_project_get_history (fixture->project);
  guint n_undo = reel_history_get_n_undo (history);
  double scale = plan_scale (fixture), px, py;
  const ReelSetWall *wall;
  const ReelSetOpening *door;

  /* The back wall runs from (−3, −2.5) to (3, −2.5); picked 1.5 m along it. */
  click_on_plan (fixture, -1.5, -2.5);
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, n_undo);
  click_button (fixture, "Add _Door");

  wall = &g_array_index (fixture_set (fixture)->walls, ReelSetWall, 0);
  g_assert_cmpuint (wall->openings->len, ==, 1);
  door = &g_array_index (wall->openings, ReelSetOpening, 0);
  g_assert_cmpint (door->kind, ==, REEL_SET_OPENING_DOOR);
  g_assert_cmpfloat_with_epsilon (door->offset + door->width / 2, 1.5, 3 / scale);
  g_assert_cmpfloat (door->sill, ==, 0);
  assert_step (history, n_undo + 1, "Add Door");

  /* Slide it 60 px to the right (and 20 px off the wall: it stays on the wall). */
  drag_on_floor (fixture, -3 + door->offset + door->width / 2, -2.5, 60, 20);
  wall = &g_array_index (fixture_set (fixture)->walls, ReelSetWall, 0);
  door = &g_array_index (wall->openings, ReelSetOpening, 0);
  g_assert_cmpfloat_with_epsilon (door->offset + door->width / 2, 1.5 + 60 / scale, 3 / scale);
  assert_step (history, n_undo + 2, "Move Door");

  /* A window on the side wall, below the window it has. */
  click_on_plan (fixture, 3, 1.5);
  click_button (fixture, "Add W_indow");
  wall = &g_array_index (fixture_set (fixture)->walls, ReelSetWall, 1);
  g_assert_cmpuint (wall->openings->len, ==, 2);
  g_assert_cmpint (g_array_index (wall->openings, ReelSetOpening, 1).kind, ==,
                   REEL_SET_OPENING_WINDOW);
  g_assert_cmpfloat (g_array_index (wall->openings, ReelSetOpening, 1).sill, >, 0.5);
  assert_step (history, n_undo + 3, "Add Window");

  /* Pick the door again and delete it with the Delete key. */
  wall = &g_array_index (fixture_set (fixture)->walls, ReelSetWall, 0);
  door = &g_array_index (wall->openings, ReelSetOpening, 0);
  reel_set_view_plan_point (fixture->view, -3 + door->offset + door->width / 2, -2.5, &px, &py);
  pointer_to (fixture, px, py);
  board_test_xdotool ((const char *[]) { "click", "1", NULL });
  board_test_settle ();
  press_key ("Delete");
  g_assert_cmpuint (g_array_index (fixture_set (fixture)->walls, ReelSetWall, 0).openings->len,
                    ==, 0);
  assert_step (history, n_undo + 4, "Remove Door");

  g_assert_true (reel_history_undo (history));
  g_assert_cmpuint (g_array_index (fixture_set (fixture)->walls, ReelSetWall, 0).openings->len,
                    ==, 1);
  g_assert_true (reel_history_undo (history));
  g_assert_cmpuint (g_array_index (fixture_set (fixture)->walls, ReelSetWall, 1).openings->len,
                    ==, 1);
  g_assert_true (reel_history_undo (history));
  door = &g_array_index (g_array_index (fixture_set (fixture)->walls, ReelSetWall, 0).openings,
                         ReelSetOpening, 0);
  g_assert_cmpfloat_with_epsilon (door->offset + door->width / 2, 1.5, 3 / scale);
  g_assert_true (reel_history_undo (history));
  g_assert_cmpuint (g_array_index (fixture_set (fixture)->walls, ReelSetWall, 0).openings->len,
                    ==, 0);
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, n_undo);
}

/* Drag a wall: both its ends move, its window with it; Delete removes it; one step each,
 * and the gray-box view shows the change. */
static void
test_move_delete_wall (Fixture       *fixture,
                       gconstpointer  data)
{
  ReelHistory *history = reel_project_get_history (fixture->project);
  guint n_undo = reel_history_get_n_undo (history);
  double scale = plan_scale (fixture);
  ReelSetWall before = g_array_index (fixture_set (fixture)->walls, ReelSetWall, 1);
  const ReelSetWall *wall;

  /* The right wall, from (3, −2.5) to (3, 2.5), below its window; 40 px to the right. */
  drag_on_floor (fixture, 3, 1.5, 40, 0);
  wall = &g_array_index (fixture_set (fixture)->walls, ReelSetWall, 1);
  g_assert_cmpfloat_with_epsilon (wall->x1, before.x1 + 40 / scale, 2 / scale);
  g_assert_cmpfloat_with_epsilon (wall->x2, before.x2 + 40 / scale, 2 / scale);
  g_assert_cmpfloat_with_epsilon (wall->z1, before.z1, 2 / scale);
  g_assert_cmpfloat_with_epsilon (wall->z2, before.z2, 2 / scale);
  g_assert_cmpuint (wall->openings->len, ==, 1);
  assert_step (history, n_undo + 1, "Move Wall");

  press_key ("Delete");
  g_assert_cmpuint (fixture_set (fixture)->walls->len, ==, 2);
  assert_step (history, n_undo + 2, "Remove Wall");

  g_assert_true (reel_history_undo (history));
  g_assert_cmpuint (fixture_set (fixture)->walls->len, ==, 3);
  g_assert_true (reel_history_undo (history));
  wall = &g_array_index (fixture_set (fixture)->walls, ReelSetWall, 1);
  g_assert_cmpfloat (wall->x1, ==, before.x1);
  g_assert_cmpfloat (wall->x2, ==, before.x2);
}

/* A picked prop has two handles: the disc ahead of it turns it towards the pointer, the
 * square on its corner sizes it; the side panel sizes it too. One step each. */
static void
test_prop_handles (Fixture       *fixture,
                   gconstpointer  data)
{
  ReelHistory *history = reel_project_get_history (fixture->project);
  guint n_undo = reel_history_get_n_undo (history);
  double scale = plan_scale (fixture);
  const ReelSetProp *table = &g_array_index (fixture_set (fixture)->props, ReelSetProp, 0);
  ReelSetProp before = *table;
  double tx, tz, sx, sz, px, py, qx, qy, radius;

  g_assert_cmpstr (table->kind, ==, "table");
  click_on_plan (fixture, table->x, table->z);
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, n_undo);

  /* Turn: the handle a quarter turn clockwise round the table. */
  reel_set_plan_prop_handles (table, scale, &tx, &tz, &sx, &sz);
  radius = hypot (tx - table->x, tz - table->z);
  reel_set_view_plan_point (fixture->view, tx, tz, &px, &py);
  reel_set_view_plan_point (fixture->view, table->x + radius, table->z, &qx, &qy);
  drag_on_plan (fixture, px, py, qx - px, qy - py);
  table = &g_array_index (fixture_set (fixture)->props, ReelSetProp, 0);
  g_assert_cmpfloat_with_epsilon (table->rotation, fmod (before.rotation + 90, 360), 2);
  g_assert_cmpfloat (table->width, ==, before.width);
  assert_step (history, n_undo + 1, "Turn Prop");

  /* Size: the corner dragged out to twice the width and one and a half times the depth. */
  reel_set_plan_prop_handles (table, scale, &tx, &tz, &sx, &sz);
  reel_set_view_plan_point (fixture->view, sx, sz, &px, &py);
  {
    /* The table's front-right corner in its own frame, scaled, then turned as it stands. */
    double angle = table->rotation * G_PI / 180, lx = table->width, lz = -table->depth * 0.75;

    reel_set_view_plan_point (fixture->view, table->x + lx * cos (angle) - lz * sin (angle),
                              table->z + lx * sin (angle) + lz * cos (angle), &qx, &qy);
  }
  drag_on_plan (fixture, px, py, qx - px, qy - py);
  table = &g_array_index (fixture_set (fixture)->props, ReelSetProp, 0);
  g_assert_cmpfloat_with_epsilon (table->width, 2 * before.width, 4 / scale);
  g_assert_cmpfloat_with_epsilon (table->depth, 1.5 * before.depth, 4 / scale);
  assert_step (history, n_undo + 2, "Resize Prop");

  /* The height has no handle on a plan: the side panel. */
  type_into (fixture, "Table", "Height (m)", GTK_TYPE_SPIN_BUTTON, "1.1");
  table = &g_array_index (fixture_set (fixture)->props, ReelSetProp, 0);
  g_assert_cmpfloat_with_epsilon (table->height, 1.1, 1e-9);
  assert_step (history, n_undo + 3, "Resize Prop");

  g_assert_true (reel_history_undo (history));
  g_assert_true (reel_history_undo (history));
  g_assert_true (reel_history_undo (history));
  table = &g_array_index (fixture_set (fixture)->props, ReelSetProp, 0);
  g_assert_cmpfloat (table->rotation, ==, before.rotation);
  g_assert_cmpfloat (table->width, ==, before.width);
  g_assert_cmpfloat (table->height, ==, before.height);
}

/* Rename a mark by typing, then from the cast: the line of action and the camera that frames
 * the mark follow the name, one step each. */
static void
test_rename_mark (Fixture       *fixture,
                  gconstpointer  data)
{
  ReelHistory *history = reel_project_get_history (fixture->project);
  guint n_undo = reel_history_get_n_undo (history);
  const ReelSetMark *mark = &g_array_index (fixture_set (fixture)->marks, ReelSetMark, 0);

  g_assert_cmpstr (mark->name, ==, "A");
  click_on_plan (fixture, mark->x, mark->z);
  type_into (fixture, "Mark", "Name", GTK_TYPE_ENTRY, "Ana");

  mark = &g_array_index (fixture_set (fixture)->marks, ReelSetMark, 0);
  g_assert_cmpstr (mark->name, ==, "Ana");
  g_assert_cmpstr (fixture_set (fixture)->line_a, ==, "Ana");
  g_assert_cmpstr (reel_shot_get_camera (fixture->shot)->subject, ==, "Ana");
  assert_step (history, n_undo + 1, "Rename Mark");

  /* The cast offers the names no mark has yet: Ben and Cleo, not Ana. */
  g_assert_null (find_labelled (GTK_WIDGET (fixture->view), "Ana", GTK_TYPE_BUTTON));
  click_button (fixture, "Cleo");
  mark = &g_array_index (fixture_set (fixture)->marks, ReelSetMark, 0);
  g_assert_cmpstr (mark->name, ==, "Cleo");
  g_assert_cmpstr (fixture_set (fixture)->line_a, ==, "Cleo");
  g_assert_cmpstr (reel_shot_get_camera (fixture->shot)->subject, ==, "Cleo");
  assert_step (history, n_undo + 2, "Rename Mark");

  /* A name another mark has is refused, and nothing changes. */
  type_into (fixture, "Mark", "Name", GTK_TYPE_ENTRY, "B");
  g_assert_cmpstr (g_array_index (fixture_set (fixture)->marks, ReelSetMark, 0).name, ==, "Cleo");
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, n_undo + 2);

  g_assert_true (reel_history_undo (history));
  g_assert_true (reel_history_undo (history));
  g_assert_cmpstr (g_array_index (fixture_set (fixture)->marks, ReelSetMark, 0).name, ==, "A");
  g_assert_cmpstr (fixture_set (fixture)->line_a, ==, "A");
  g_assert_cmpstr (reel_shot_get_camera (fixture->shot)->subject, ==, "A");
}

/* Remove the line of action, then draw it again from mark B to mark A with the Line tool. */
static void
test_line_of_action (Fixture       *fixture,
                     gconstpointer  data)
{
  ReelHistory *history = reel_project_get_history (fixture->project);
  guint n_undo = reel_history_get_n_undo (history);
  const ReelSetMark *a = &g_array_index (fixture_set (fixture)->marks, ReelSetMark, 0);
  const ReelSetMark *b = &g_array_index (fixture_set (fixture)->marks, ReelSetMark, 1);
  double ax, ay, bx, by;

  click_button (fixture, "_Remove Line of Action");
  g_assert_false (reel_set_get_line_of_action (fixture_set (fixture), NULL, NULL));
  assert_step (history, n_undo + 1, "Remove Line of Action");

  click_button (fixture, "_Line");
  a = &g_array_index (fixture_set (fixture)->marks, ReelSetMark, 0);
  b = &g_array_index (fixture_set (fixture)->marks, ReelSetMark, 1);
  reel_set_view_plan_point (fixture->view, b->x, b->z, &bx, &by);
  reel_set_view_plan_point (fixture->view, a->x, a->z, &ax, &ay);
  drag_on_plan (fixture, bx, by, ax - bx, ay - by);

  g_assert_cmpstr (fixture_set (fixture)->line_a, ==, "B");
  g_assert_cmpstr (fixture_set (fixture)->line_b, ==, "A");
  g_assert_true (reel_set_get_line_of_action (fixture_set (fixture), NULL, NULL));
  assert_step (history, n_undo + 2, "Draw Line of Action");

  /* A drag from a mark to the empty floor draws nothing. */
  drag_on_plan (fixture, bx, by, 0, 80);
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, n_undo + 2);

  g_assert_true (reel_history_undo (history));
  g_assert_false (reel_set_get_line_of_action (fixture_set (fixture), NULL, NULL));
  g_assert_true (reel_history_undo (history));
  g_assert_cmpstr (fixture_set (fixture)->line_a, ==, "A");
}

/* The side panel sets the camera's height and tilt, and makes it move; the end of the move
 * is dragged on the plan and tilted in the panel. One step each; the gray-box view and the
 * shot's own fields follow. */
static void
test_camera_panel (Fixture       *fixture,
                   gconstpointer  data)
{
  ReelHistory *history = reel_project_get_history (fixture->project);
  guint n_undo = reel_history_get_n_undo (history);
  ReelShotCamera *before = reel_shot_camera_copy (reel_shot_get_camera (fixture->shot));
  g_autoptr(GdkTexture) picture_before = grab_greybox (fixture);
  g_autoptr(GdkTexture) picture_after = NULL;
  double scale = plan_scale (fixture), px, py;
  const ReelShotCamera *camera;

  type_into (fixture, "Camera", "Height (m)", GTK_TYPE_SPIN_BUTTON, "2.4");
  camera = reel_shot_get_camera (fixture->shot);
  g_assert_cmpfloat_with_epsilon (camera->start.height, 2.4, 1e-9);
  g_assert_cmpfloat_with_epsilon (reel_shot_get_camera_height_m (fixture->shot), 2.4, 1e-9);
  assert_step (history, n_undo + 1, "Change Camera");

  type_into (fixture, "Camera", "Tilt (°)", GTK_TYPE_SPIN_BUTTON, "-20");
  camera = reel_shot_get_camera (fixture->shot);
  g_assert_cmpfloat_with_epsilon (camera->start.tilt, -20, 1e-9);
  g_assert_cmpstr (reel_shot_get_angle (fixture->shot), ==, "high");
  assert_step (history, n_undo + 2, "Change Camera");
  picture_after = grab_greybox (fixture);
  g_assert_cmpuint (board_test_count_differences (picture_before, picture_after, 0, 0, 0, 0), >,
                    texture_pixels (picture_before) / 20);

  /* The switch: a push-in two metres along the view, to start from. */
  {
    GtkWidget *sw = find_labelled (GTK_WIDGET (fixture->view), "Camera Moves", GTK_TYPE_SWITCH);

    click_widget (fixture, sw, -1);
  }
  camera = reel_shot_get_camera (fixture->shot);
  g_assert_true (camera->moves);
  g_assert_cmpfloat_with_epsilon (hypot (camera->end.x - camera->start.x,
                                         camera->end.z - camera->start.z), 2, 1e-6);
  assert_step (history, n_undo + 3, "Move the Camera");

  /* The end of the move, dragged 50 px to the left on the plan. */
  reel_set_view_plan_point (fixture->view, camera->end.x, camera->end.z, &px, &py);
  {
    double end_x = camera->end.x, end_z = camera->end.z;

    drag_on_plan (fixture, px, py, -50, 0);
    camera = reel_shot_get_camera (fixture->shot);
    g_assert_cmpfloat_with_epsilon (camera->end.x, end_x - 50 / scale, 2 / scale);
    g_assert_cmpfloat_with_epsilon (camera->end.z, end_z, 2 / scale);
    g_assert_cmpfloat (camera->start.x, ==, before->start.x);
  }
  assert_step (history, n_undo + 4, "Move End of Camera Move");

  type_into (fixture, "Camera", "End Tilt (°)", GTK_TYPE_SPIN_BUTTON, "15");
  camera = reel_shot_get_camera (fixture->shot);
  g_assert_cmpfloat_with_epsilon (camera->end.tilt, 15, 1e-9);
  g_assert_cmpfloat_with_epsilon (camera->start.tilt, -20, 1e-9);
  g_assert_cmpstr (reel_shot_get_movement (fixture->shot), !=, "static");
  assert_step (history, n_undo + 5, "Change Camera");

  for (guint i = 0; i < 5; i++)
    g_assert_true (reel_history_undo (history));
  g_assert_true (reel_shot_camera_equal (reel_shot_get_camera (fixture->shot), before));
  reel_shot_camera_free (before);
}

/* Zoom with the wheel over the empty floor (the point under the pointer stays), with − and 0;
 * scroll with the arrows and by dragging the floor. The view changes, the project does not. */
static void
test_zoom_pan (Fixture       *fixture,
               gconstpointer  data)
{
  ReelHistory *history = reel_project_get_history (fixture->project);
  guint n_undo = reel_history_get_n_undo (history);
  double scale = plan_scale (fixture), px, py, qx, qy, ox, oy;

  reel_set_view_plan_point (fixture->view, 2.2, 1.8, &px, &py);
  pointer_to (fixture, px, py);
  board_test_xdotool ((const char *[]) { "click", "4", NULL });
  board_test_settle ();
  g_assert_cmpfloat_with_epsilon (plan_scale (fixture), scale * 1.25, scale * 1e-6);
  reel_set_view_plan_point (fixture->view, 2.2, 1.8, &qx, &qy);
  g_assert_cmpfloat_with_epsilon (qx, px, 1);
  g_assert_cmpfloat_with_epsilon (qy, py, 1);

  /* Keys go to the plan once it was clicked. */
  click_on_plan (fixture, 2.2, 1.8);
  press_key ("minus");
  g_assert_cmpfloat_with_epsilon (plan_scale (fixture), scale, scale * 1e-6);

  reel_set_view_plan_point (fixture->view, 0, 0, &ox, &oy);
  press_key ("Right");
  reel_set_view_plan_point (fixture->view, 0, 0, &qx, &qy);
  g_assert_cmpfloat_with_epsilon (qx, ox - 48, 1e-6);
  g_assert_cmpfloat_with_epsilon (qy, oy, 1e-6);

  reel_set_view_plan_point (fixture->view, 2.2, 1.8, &px, &py);
  reel_set_view_plan_point (fixture->view, 0, 0, &ox, &oy);
  drag_on_plan (fixture, px, py, 30, -20);
  reel_set_view_plan_point (fixture->view, 0, 0, &qx, &qy);
  g_assert_cmpfloat_with_epsilon (qx, ox + 30, 1.5);
  g_assert_cmpfloat_with_epsilon (qy, oy - 20, 1.5);

  press_key ("plus");
  g_assert_cmpfloat_with_epsilon (plan_scale (fixture), scale * 1.25, scale * 1e-6);
  press_key ("0");
  g_assert_cmpfloat_with_epsilon (plan_scale (fixture), scale, scale * 1e-6);

  g_assert_cmpuint (reel_history_get_n_undo (history), ==, n_undo);
}

/* Xvfb has no touchpad: the pinch is the gesture's own signals. GtkGestureZoom measures
 * the fingers when it begins; with no fingers, its own handler stops there, after the
 * view's. */
static void
stop_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence)
{
  g_signal_stop_emission_by_name (gesture, "begin");
}

/* A pinch on a touchpad or a touch screen zooms the plan about the fingers' middle (here
 * the middle of the plan: the gesture has no points), relative to where it began; like
 * the wheel, it changes the view, not the project. */
static void
test_pinch_zoom (Fixture       *fixture,
                 gconstpointer  data)
{
  ReelHistory *history = reel_project_get_history (fixture->project);
  GtkWidget *plan = reel_set_view_get_plan (fixture->view);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (plan);
  GtkGesture *zoom = NULL;
  guint n_undo = reel_history_get_n_undo (history);
  gboolean modified = reel_project_get_modified (fixture->project);
  double scale = plan_scale (fixture), mx, my, wx, wz, px, py;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && zoom == NULL; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_ZOOM (controller))
        zoom = GTK_GESTURE (controller);
    }
  g_assert_nonnull (zoom);
  g_signal_connect (zoom, "begin", G_CALLBACK (stop_begin_cb), NULL);

  /* The floor point in the middle of the plan stays there. */
  mx = gtk_widget_get_width (plan) / 2.0;
  my = gtk_widget_get_height (plan) / 2.0;
  reel_set_view_plan_point (fixture->view, 0, 0, &px, &py);
  wx = (mx - px) / scale;
  wz = (my - py) / scale;

  g_signal_emit_by_name (zoom, "begin", NULL);
  g_signal_emit_by_name (zoom, "scale-changed", 1.5);
  board_test_settle ();
  g_assert_cmpfloat_with_epsilon (plan_scale (fixture), scale * 1.5, scale * 1e-6);
  reel_set_view_plan_point (fixture->view, wx, wz, &px, &py);
  g_assert_cmpfloat_with_epsilon (px, mx, 1);
  g_assert_cmpfloat_with_epsilon (py, my, 1);

  /* The scale is the fingers' spread since the gesture began, not a product of steps. */
  g_signal_emit_by_name (zoom, "scale-changed", 2.0);
  board_test_settle ();
  g_assert_cmpfloat_with_epsilon (plan_scale (fixture), scale * 2, scale * 1e-6);
  g_signal_emit_by_name (zoom, "scale-changed", 0.5);
  board_test_settle ();
  g_assert_cmpfloat_with_epsilon (plan_scale (fixture), scale * 0.5, scale * 1e-6);
  g_signal_emit_by_name (zoom, "end", NULL);

  /* A second pinch starts from where the first left the plan. */
  g_signal_emit_by_name (zoom, "begin", NULL);
  g_signal_emit_by_name (zoom, "scale-changed", 3.0);
  board_test_settle ();
  g_assert_cmpfloat_with_epsilon (plan_scale (fixture), scale * 1.5, scale * 1e-6);
  g_signal_emit_by_name (zoom, "end", NULL);

  g_assert_cmpuint (reel_history_get_n_undo (history), ==, n_undo);
  g_assert_true (reel_project_get_modified (fixture->project) == modified);
}

static gboolean
page_is (gpointer data)
{
  GtkStack *stack = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "plan") == 0;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && gtk_widget_get_mapped (child)
          && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0)
        return child;
      if ((found = find_button (child, label)) != NULL)
        return found;
    }

  return NULL;
}

/* A scene without a set offers the starting points; a click on one gives the scene that set,
 * and the plan shows; undo takes it away again. */
static void
test_starting_point (void)
{
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(ReelScene) scene = reel_scene_new ();
  g_autoptr(ReelShot) shot = reel_shot_new ();
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  ReelSetView *view;
  GtkWidget *stack;
  GtkWidget *button = NULL;
  g_autofree char *xid = NULL;
  g_autofree char *sx = NULL, *sy = NULL;
  int x, y;

  reel_scene_append_shot (scene, shot);
  reel_project_append_scene (project, scene);
  view = g_object_new (REEL_TYPE_SET_VIEW, "project", project, "current-shot", shot, NULL);
  stack = gtk_widget_get_first_child (GTK_WIDGET (view));
  g_assert_null (reel_scene_get_set (scene));
  gtk_window_set_default_size (window, 1000, 700);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  board_test_settle ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "no-set");

  /* The room's button, by its label as the user reads it. */
  button = find_button (GTK_WIDGET (view), "Room (Interior)");
  g_assert_nonnull (button);

  xid = board_test_window_id (GTK_WIDGET (window));
  board_test_to_surface (button, gtk_widget_get_width (button) / 2.0,
                         gtk_widget_get_height (button) / 2.0, &x, &y);
  sx = g_strdup_printf ("%d", x);
  sy = g_strdup_printf ("%d", y);
  board_test_xdotool ((const char *[]) { "mousemove", "--window", xid, sx, sy, "click", "1", NULL });
  board_test_spin_until (page_is, stack, 10000);

  g_assert_nonnull (reel_scene_get_set (scene));
  g_assert_cmpstr (reel_scene_get_set (scene)->template_id, ==, "room");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "plan");

  g_assert_true (reel_history_undo (reel_project_get_history (project)));
  g_assert_null (reel_scene_get_set (scene));
  board_test_settle ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "no-set");

  gtk_window_destroy (window);
  board_test_settle ();
}

static gboolean
canvas_is_idle (gpointer data)
{
  return gtk_widget_get_mapped (data) && !reel_canvas_is_rendering (data);
}

static GdkTexture *
grab_canvas (GtkWidget *canvas)
{
  board_test_settle ();
  board_test_spin_until (canvas_is_idle, canvas, 10000);
  g_assert_true (canvas_is_idle (canvas));
  board_test_settle ();
  return board_test_render_widget (canvas);
}

/* The Board's "Gray-box Background" shows the camera's view under the sketch; it is made
 * again when the camera moves and when the set changes, and goes away with the toggle. */
static void
test_board_greybox_background (void)
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  ReelScene *scene = reel_project_get_scene (project, 0);
  ReelShot *shot = reel_scene_get_shot (scene, 0);
  ReelHistory *history = reel_project_get_history (project);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  ReelBoardView *board = g_object_new (REEL_TYPE_BOARD_VIEW, "project", project,
                                       "current-shot", shot, NULL);
  GtkWidget *canvas = reel_board_view_get_canvas (board);
  g_autoptr(GdkTexture) plain = NULL, greybox = NULL, moved = NULL, set_changed = NULL;
  g_autoptr(GdkTexture) undone = NULL, off = NULL;
  g_autoptr(ReelShotCamera) camera = reel_shot_camera_copy (reel_shot_get_camera (shot));
  g_autoptr(ReelSet) set = NULL;
  guint all;

  gtk_window_set_default_size (window, 1400, 900);
  gtk_window_set_child (window, GTK_WIDGET (board));
  gtk_window_present (window);
  plain = grab_canvas (canvas);
  all = gdk_texture_get_width (plain) * gdk_texture_get_height (plain);

  /* The toggle, as the menu item of the Board sets it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (board), "board.greybox-background",
                                             NULL));
  g_assert_true (reel_canvas_get_greybox_background (REEL_CANVAS (canvas)));
  greybox = grab_canvas (canvas);
  g_assert_cmpuint (board_test_count_differences (plain, greybox, 0, 0, 0, 0), >, all / 10);

  /* The camera turns: the background follows. */
  camera->start.pan += 20;
  reel_edit_set_shot_camera (project, shot, camera);
  moved = grab_canvas (canvas);
  g_assert_cmpuint (board_test_count_differences (greybox, moved, 0, 0, 0, 0), >, all / 20);

  /* A car parked where the actor stands, in the middle of what the camera frames: the
   * background follows the set too. */
  set = reel_set_copy (reel_scene_get_set (scene));
  {
    const ReelSetMark *mark = &g_array_index (set->marks, ReelSetMark, 0);

    reel_set_add_prop (set, "car", mark->x, mark->z, 0);
  }
  reel_edit_set_scene_set (project, scene, set, NULL);
  set_changed = grab_canvas (canvas);
  g_assert_cmpuint (board_test_count_differences (moved, set_changed, 0, 0, 0, 0), >, all / 1000);

  /* Undo both: the first gray-box picture again. */
  g_assert_true (reel_history_undo (history));
  g_assert_true (reel_history_undo (history));
  undone = grab_canvas (canvas);
  g_assert_cmpuint (board_test_count_differences (greybox, undone, 0, 0, 0, 0), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (board), "board.greybox-background",
                                             NULL));
  off = grab_canvas (canvas);
  g_assert_cmpuint (board_test_count_differences (plain, off, 0, 0, 0, 0), ==, 0);

  gtk_window_destroy (window);
  board_test_settle ();
}


static ReelAsset *
add_png (ReelProject          *project,
         guint32               rgba,
         ReelGenerationRecord *record)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 36);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ReelAsset) asset = NULL;
  char *data = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, rgba);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &data, &size, "png", &error, NULL));
  bytes = g_bytes_new_take (data, size);
  asset = reel_asset_new_generated (bytes, record, &error);
  g_assert_no_error (error);
  return reel_project_add_asset (project, asset);
}

typedef struct
{
  const char *prefix;
  guint count;
} TooltipCount;

static void
count_tooltips (GtkWidget    *root,
                TooltipCount *count)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *tooltip = gtk_widget_get_tooltip_text (child);

      if (gtk_widget_get_mapped (child) && tooltip != NULL
          && g_str_has_prefix (tooltip, count->prefix))
        count->count++;
      count_tooltips (child, count);
    }
}

static guint
n_badges (GtkWidget  *panel,
          const char *prefix)
{
  TooltipCount count = { prefix, 0 };

  count_tooltips (panel, &count);
  return count.count;
}

/* The gallery marks the variants that show the scene's look: the establishing shot's chosen
 * background itself, and what was made with it (or the look image) as a reference; not the
 * others. */
static void
test_gallery_scene_look (void)
{
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(ReelScene) scene = reel_scene_new ();
  g_autoptr(ReelShot) wide = reel_shot_new ();
  g_autoptr(ReelShot) single = reel_shot_new ();
  g_autoptr(ReelGenerationRecord) with_place = reel_generation_record_new ();
  g_autoptr(ReelGenerationRecord) without = reel_generation_record_new ();
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *panel;
  ReelAsset *place, *kept, *other;
  const char *single_variants[3];
  const char *wide_variants[2];

  reel_project_append_scene (project, scene);
  reel_scene_append_shot (scene, wide);
  reel_scene_append_shot (scene, single);
  reel_shot_set_framing (wide, "establishing");

  place = add_png (project, 0x336699ff, NULL);
  with_place->provider = g_strdup ("gemini");
  with_place->kind = g_strdup ("angle");
  with_place->input_hashes = g_strdupv ((char *[]) { (char *) reel_asset_get_hash (place), NULL });
  without->provider = g_strdup ("gemini");
  kept = add_png (project, 0x996633ff, with_place);
  other = add_png (project, 0x669933ff, without);
  wide_variants[0] = reel_asset_get_hash (place);
  wide_variants[1] = NULL;
  reel_shot_set_variants (wide, wide_variants);
  reel_shot_set_background (wide, reel_asset_get_hash (place));
  single_variants[0] = reel_asset_get_hash (kept);
  single_variants[1] = reel_asset_get_hash (other);
  single_variants[2] = NULL;
  reel_shot_set_variants (single, single_variants);

  panel = g_object_new (REEL_TYPE_GENERATION_PANEL, "project", project, "shot", single, NULL);
  gtk_window_set_default_size (window, 500, 900);
  gtk_window_set_child (window, panel);
  gtk_window_present (window);
  board_test_settle ();
  g_assert_cmpuint (n_badges (panel, "Shares the scene’s look"), ==, 1);
  g_assert_cmpuint (n_badges (panel, "The scene’s look"), ==, 0);

  /* The establishing shot's own gallery: its chosen background is the look. */
  g_object_set (panel, "shot", wide, NULL);
  board_test_settle ();
  g_assert_cmpuint (n_badges (panel, "The scene’s look"), ==, 1);
  g_assert_cmpuint (n_badges (panel, "Shares the scene’s look"), ==, 0);

  /* Without an establishing background nothing is the look, and nothing shares it. */
  reel_shot_set_framing (wide, "single");
  g_object_set (panel, "shot", single, NULL);
  board_test_settle ();
  g_assert_cmpuint (n_badges (panel, "Shares the scene’s look"), ==, 0);

  gtk_window_destroy (window);
  board_test_settle ();
}

int
main (int   argc,
      char *argv[])
{
  /* --cairo: draw with the Cairo renderer, which the Set view feeds its own way (see
   * draws_with_cairo() in reel-set-view.c). GTK reads the choice once per process. */
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--cairo"))
      {
        g_setenv ("GSK_RENDERER", "cairo", TRUE);
        memmove (&argv[i], &argv[i + 1], (argc - i) * sizeof (char *));
        argc--;
        break;
      }

  reel_test_require_x11 (TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* The side panel scrolls to a focused field at once, not while the pointer aims at it. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/set-view/drag-camera", Fixture, NULL, fixture_set_up, test_drag_camera,
              fixture_tear_down);
  g_test_add ("/set-view/drag-camera-plan", Fixture, NULL, fixture_set_up,
              test_drag_camera_plan, fixture_tear_down);
  g_test_add ("/set-view/pan-camera", Fixture, NULL, fixture_set_up, test_pan_camera,
              fixture_tear_down);
  g_test_add ("/set-view/drag-prop", Fixture, NULL, fixture_set_up, test_drag_prop,
              fixture_tear_down);
  g_test_add ("/set-view/scroll-lens", Fixture, NULL, fixture_set_up, test_scroll_lens,
              fixture_tear_down);
  g_test_add ("/set-view/wall-openings", Fixture, NULL, room_fixture_set_up, test_wall_openings,
              fixture_tear_down);
  g_test_add ("/set-view/move-delete-wall", Fixture, NULL, room_fixture_set_up,
              test_move_delete_wall, fixture_tear_down);
  g_test_add ("/set-view/prop-handles", Fixture, NULL, room_fixture_set_up, test_prop_handles,
              fixture_tear_down);
  g_test_add ("/set-view/rename-mark", Fixture, NULL, room_fixture_set_up, test_rename_mark,
              fixture_tear_down);
  g_test_add ("/set-view/line-of-action", Fixture, NULL, room_fixture_set_up,
              test_line_of_action, fixture_tear_down);
  g_test_add ("/set-view/camera-panel", Fixture, NULL, room_fixture_set_up, test_camera_panel,
              fixture_tear_down);
  g_test_add ("/set-view/zoom-pan", Fixture, NULL, room_fixture_set_up, test_zoom_pan,
              fixture_tear_down);
  g_test_add ("/set-view/pinch-zoom", Fixture, NULL, room_fixture_set_up, test_pinch_zoom,
              fixture_tear_down);
  g_test_add_func ("/set-view/starting-point", test_starting_point);
  g_test_add_func ("/board/greybox-background", test_board_greybox_background);
  g_test_add_func ("/gallery/scene-look", test_gallery_scene_look);

  return reel_test_run ();
}
