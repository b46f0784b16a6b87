/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test-set-view"

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "core/reel-set-plan.h"
#include "core/reel-set-edit.h"
#include "storage/reel-demo.h"
#include "widgets/reel-board-view.h"
#include "widgets/reel-canvas.h"
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

int
main (int   argc,
      char *argv[])
{
  reel_test_require_x11 (TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/set-view/drag-camera", Fixture, NULL, fixture_set_up, test_drag_camera,
              fixture_tear_down);
  g_test_add ("/set-view/pan-camera", Fixture, NULL, fixture_set_up, test_pan_camera,
              fixture_tear_down);
  g_test_add ("/set-view/drag-prop", Fixture, NULL, fixture_set_up, test_drag_prop,
              fixture_tear_down);
  g_test_add ("/set-view/scroll-lens", Fixture, NULL, fixture_set_up, test_scroll_lens,
              fixture_tear_down);
  g_test_add_func ("/set-view/starting-point", test_starting_point);
  g_test_add_func ("/board/greybox-background", test_board_greybox_background);

  return reel_test_run ();
}
