/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test-set-view-preview"

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "core/reel-set-edit.h"
#include "media/reel-camera-move.h"
#include "media/reel-video-paintable.h"
#include "widgets/reel-preview-view.h"

#include "test-board-util.h"
#include "../reel-test-require.h"

/* A set edit reaches a camera move already drawn: the gray-box move is drawn from the
 * scene's set, so an edit of the set (a prop placed, moved) is a new move, in the cache
 * of drawn moves and in the Preview that plays one. */

/* A scene with an empty stage and one shot whose camera stands at the middle, 1.6 m up,
 * and pans from looking down −Z (0°) to @end_pan. */
static ReelProject *
project_with_move (double     end_pan,
                   ReelShot **shot_out)
{
  ReelProject *project = reel_project_new ();
  g_autoptr(ReelScene) scene = reel_scene_new ();
  g_autoptr(ReelShot) shot = reel_shot_new ();
  g_autoptr(ReelSet) set = reel_set_new_from_template ("stage");
  ReelCameraPose pose = { 0, 0, 1.6, 0, 0, 0, 35 };
  g_autoptr(ReelShotCamera) camera = reel_shot_camera_new (&pose);

  g_array_set_size (set->props, 0);
  g_array_set_size (set->marks, 0);
  reel_scene_set_number (scene, "1");
  reel_scene_set_time_of_day (scene, "DAY");
  reel_scene_set_set (scene, set);
  reel_project_append_scene (project, scene);
  camera->moves = TRUE;
  camera->end = pose;
  camera->end.pan = end_pan;
  camera->easing = REEL_CAMERA_EASING_LINEAR;
  reel_shot_set_number (shot, "1A");
  reel_shot_set_duration (shot, 12);
  reel_shot_set_camera (shot, camera);
  reel_scene_append_shot (scene, shot);
  *shot_out = shot;
  return project;
}

/* The scene's set with a tall box 6 m from the middle, @bearing degrees clockwise from
 * −Z, as a drag on the plan leaves it (one undo step). */
static void
place_box (ReelProject *project,
           ReelShot    *shot,
           double       bearing)
{
  ReelScene *scene = reel_shot_get_scene (shot);
  g_autoptr(ReelSet) set = reel_set_copy (reel_scene_get_set (scene));
  double angle = bearing * G_PI / 180;
  ReelSetProp *prop;
  guint index;

  index = reel_set_add_prop (set, "box", 6 * sin (angle), -6 * cos (angle), 0);
  prop = &g_array_index (set->props, ReelSetProp, index);
  prop->width = 2;
  prop->depth = 2;
  prop->height = 3;
  g_assert_true (reel_edit_set_scene_set (project, scene, set, "Add Prop"));
}

static cairo_surface_t *
draw_move (ReelProject *project,
           ReelShot    *shot,
           double       progress)
{
  g_autoptr(ReelCameraMove) move = reel_camera_move_new (project, shot, FALSE);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 160, 90);
  cairo_t *cr = cairo_create (surface);

  g_assert_nonnull (move);
  reel_camera_move_draw (move, cr, 160, 90, progress);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static gboolean
same_pixels (cairo_surface_t *a,
             cairo_surface_t *b)
{
  return memcmp (cairo_image_surface_get_data (a), cairo_image_surface_get_data (b),
                 (gsize) cairo_image_surface_get_stride (a) * 90) == 0;
}

static char *
write_move (ReelProject *project,
            ReelShot    *shot)
{
  g_autoptr(ReelCameraMove) move = reel_camera_move_new (project, shot, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = reel_camera_move_write (move, NULL, REEL_CAMERA_MOVE_MJPEG_AVI, 160,
                                                  90, 12, 24, 1, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (file);
  return g_file_get_path (file);
}

/* A pan from 0° to 90° with a 35 mm lens (39° wide) passes a box at 45° that neither end
 * of it sees: placing the box changes the move's middle only, and the move drawn before
 * (kept in the cache under a name) is not taken for the new one. */
static void
test_set_names_the_move (void)
{
  ReelShot *shot;
  g_autoptr(ReelProject) project = project_with_move (90, &shot);
  cairo_surface_t *first, *middle, *last;
  cairo_surface_t *first_after, *middle_after, *last_after;
  g_autofree char *before = NULL, *after = NULL;

  first = draw_move (project, shot, 0);
  middle = draw_move (project, shot, 0.5);
  last = draw_move (project, shot, 1);
  before = write_move (project, shot);

  place_box (project, shot, 45);
  first_after = draw_move (project, shot, 0);
  middle_after = draw_move (project, shot, 0.5);
  last_after = draw_move (project, shot, 1);
  /* The ends are the same pictures; the middle shows the box. */
  g_assert_true (same_pixels (first, first_after));
  g_assert_true (same_pixels (last, last_after));
  g_assert_false (same_pixels (middle, middle_after));

  after = write_move (project, shot);
  g_assert_cmpstr (after, !=, before);
  g_assert_true (g_file_test (before, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (after, G_FILE_TEST_IS_REGULAR));

  cairo_surface_destroy (first);
  cairo_surface_destroy (middle);
  cairo_surface_destroy (last);
  cairo_surface_destroy (first_after);
  cairo_surface_destroy (middle_after);
  cairo_surface_destroy (last_after);
}

typedef struct
{
  ReelPreviewView *view;
  GdkTexture *before;     /* the picture shown before the edit, or NULL */
  guint differences;
} Shown;

static GdkTexture *
shown_texture (ReelPreviewView *view)
{
  GdkPaintable *picture = reel_preview_view_get_picture (view);

  if (REEL_IS_VIDEO_PAINTABLE (picture))
    return reel_video_paintable_get_texture (REEL_VIDEO_PAINTABLE (picture));
  return NULL;
}

/* The Preview shows its first frame of the move; after an edit, one that differs from
 * the one before by a share of the picture an eye sees. */
static gboolean
move_shown (gpointer data)
{
  Shown *shown = data;
  GdkTexture *texture = shown_texture (shown->view);

  if (!reel_preview_view_is_ready (shown->view) || texture == NULL
      || reel_preview_view_get_position (shown->view) != 0)
    return FALSE;
  if (shown->before == NULL)
    return TRUE;
  if (texture == shown->before
      || gdk_texture_get_width (texture) != gdk_texture_get_width (shown->before)
      || gdk_texture_get_height (texture) != gdk_texture_get_height (shown->before))
    return FALSE;
  shown->differences = board_test_count_differences (shown->before, texture, 0, 0, 0, 0);
  return shown->differences > (guint) (gdk_texture_get_width (texture)
                                       * gdk_texture_get_height (texture) / 20);
}

/* The Preview plays the move of a shot without footage (the gray-box drawn along the
 * pan); a prop placed in front of the camera on the set shows in the moving picture,
 * without choosing the shot again. */
static void
test_preview_follows_set (void)
{
  ReelShot *shot;
  g_autoptr(ReelProject) project = project_with_move (20, &shot);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  ReelPreviewView *view = g_object_new (REEL_TYPE_PREVIEW_VIEW, NULL);
  Shown shown = { view, NULL, 0 };

  gtk_window_set_default_size (window, 1000, 700);
  gtk_window_set_child (window, GTK_WIDGET (view));
  reel_preview_view_set_project (view, project);
  gtk_window_present (window);
  reel_preview_view_set_current_shot (view, shot);
  g_assert_true (board_test_spin_until (move_shown, &shown, 120000));
  shown.before = g_object_ref (shown_texture (view));

  /* A box 6 m ahead, a little right of where the pan starts. */
  place_box (project, shot, 5);
  g_assert_true (board_test_spin_until (move_shown, &shown, 120000));
  g_test_message ("the first frame of the move changed in %u pixels", shown.differences);

  g_object_unref (shown.before);
  gtk_window_destroy (window);
  board_test_settle ();
}

int
main (int   argc,
      char *argv[])
{
  reel_test_require_x11 (FALSE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/camera-move/set-names-the-move", test_set_names_the_move);
  g_test_add_func ("/preview-view/follows-set", test_preview_follows_set);

  return reel_test_run ();
}
