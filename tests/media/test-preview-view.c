/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ai/reel-greybox.h"
#include "core/reel-optics.h"
#include "core/reel-project.h"
#include "media/reel-video-paintable.h"
#include "widgets/reel-preview-canvas.h"
#include "widgets/reel-preview-view.h"
#include "widgets/reel-transport-bar.h"
#include "media-test-util.h"
#include "../reel-test-require.h"
#include "../reel-test-wait.h"

/* Decoding and keying run on GStreamer's threads, slow on a loaded machine: only a stuck
 * pipeline reaches this. */
#define PREVIEW_DEADLINE_MS 120000

/*
 * The Preview view in a real window (suite `ui`, under Xvfb): a plate keyed over a
 * gray-box background, the key controls writing the model, the keyboard driving the
 * transport, a missing plate offering Relink, and a scene played as a story reel.
 * With STORYREEL_SCREENSHOT_DIR set, it also saves what the window shows.
 */

typedef struct
{
  char *dir;
  char *plate_path;
  GFile *project_file;
  ReelProject *project;
  ReelShot *keyed;
  ReelShot *still;
  GtkWindow *window;
  ReelPreviewView *view;
} Fixture;

static ReelAsset *
greybox_background (double aspect)
{
  g_autoptr(ReelGenerationRequest) request = reel_generation_request_new ();
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;
  ReelAsset *asset;

  request->kind = REEL_GENERATION_BACKGROUND;
  request->aspect_ratio = aspect;
  request->width = 1280;
  request->height = (int) (1280 / aspect);
  request->lens_mm = 35;
  request->sensor_width_mm = 24.89;
  request->camera_height_m = 1.6;
  request->int_ext = REEL_INT_EXT_EXT;
  request->time_of_day = g_strdup ("DAY");
  request->location = g_strdup ("HARBOUR");

  png = reel_greybox_render_png (request, 7);
  asset = reel_asset_new_from_bytes (png, &error);
  g_assert_no_error (error);
  return asset;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(ReelAsset) background = NULL;
  g_autoptr(ReelScene) scene = reel_scene_new ();
  g_autoptr(ReelShot) keyed = reel_shot_new ();
  g_autoptr(ReelShot) still = reel_shot_new ();
  g_autoptr(ReelPlate) plate = reel_plate_new ("footage/ball.webm");
  g_autoptr(GFile) plate_file = NULL;
  g_autofree char *footage = NULL;
  g_autofree char *project_path = NULL;
  g_autofree char *hash = NULL;
  gint64 size = 0;
  ReelAsset *stored;

  fixture->dir = media_test_make_dir ();
  footage = g_build_filename (fixture->dir, "footage", NULL);
  g_mkdir (footage, 0755);
  fixture->plate_path = media_test_make_plate (footage, "ball.webm", 640, 360, 24, 1, 48);
  project_path = g_build_filename (fixture->dir, "film.storyreel", NULL);
  fixture->project_file = g_file_new_for_path (project_path);

  fixture->project = reel_project_new ();
  reel_project_set_aspect_ratio (fixture->project, 1.78);
  background = greybox_background (1.78);
  stored = reel_project_add_asset (fixture->project, background);

  reel_scene_set_number (scene, "1");
  reel_project_append_scene (fixture->project, scene);
  reel_shot_set_number (keyed, "1A");
  reel_shot_set_duration (keyed, 24);
  reel_shot_set_background (keyed, reel_asset_get_hash (stored));
  plate_file = g_file_new_for_path (fixture->plate_path);
  hash = reel_plate_compute_file_hash (plate_file, &size, NULL, NULL);
  reel_plate_set_hash (plate, hash);
  reel_plate_set_file_size (plate, size);
  reel_plate_set_size (plate, 640, 360);
  reel_plate_set_key_color (plate, MEDIA_TEST_GREEN);
  reel_shot_set_plate (keyed, plate);
  reel_scene_append_shot (scene, keyed);
  reel_shot_set_number (still, "1B");
  reel_shot_set_duration (still, 12);
  reel_shot_set_background (still, reel_asset_get_hash (stored));
  reel_scene_append_shot (scene, still);
  fixture->keyed = keyed;
  fixture->still = still;

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 1280, 760);
  fixture->view = g_object_new (REEL_TYPE_PREVIEW_VIEW, NULL);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  reel_preview_view_set_project_file (fixture->view, fixture->project_file);
  reel_preview_view_set_project (fixture->view, fixture->project);
  gtk_window_present (fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&fixture->project);
  g_clear_object (&fixture->project_file);
  media_test_remove_dir (fixture->dir);
  g_free (fixture->plate_path);
  g_free (fixture->dir);
}

static gboolean
view_ready (gpointer data)
{
  Fixture *fixture = data;

  return reel_preview_view_is_ready (fixture->view)
         && reel_preview_view_get_picture (fixture->view) != NULL;
}

static void
show_shot (Fixture  *fixture,
           ReelShot *shot)
{
  reel_preview_view_set_current_shot (fixture->view, shot);
  media_test_wait_until (view_ready, fixture, PREVIEW_DEADLINE_MS);
}

static void
screenshot (Fixture    *fixture,
            const char *name)
{
  const char *dir = g_getenv ("STORYREEL_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width, height;

  if (dir == NULL)
    return;

  /* Let a frame reach the screen first. */
  reel_test_wait_frame (GTK_WIDGET (fixture->window));

  width = gtk_widget_get_width (GTK_WIDGET (fixture->window));
  height = gtk_widget_get_height (GTK_WIDGET (fixture->window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (fixture->window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (fixture->window)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static GtkWidget *
template_child (Fixture    *fixture,
                const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->view),
                                                    REEL_TYPE_PREVIEW_VIEW, name));
}

/* What the Preview's canvas puts on screen (the picture, and whatever it draws over it), as
 * tightly packed RGB of the frame alone, drawn by the window's renderer. */
static guint8 *
canvas_frame_rgb (Fixture *fixture,
                  int     *width,
                  int     *height)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *canvas = template_child (fixture, "canvas");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  graphene_rect_t frame;
  double x, y;

  /* Made after the frame: it takes the window's picture as it is then. */
  reel_test_wait_frame (window);
  paintable = gtk_widget_paintable_new (window);
  reel_preview_canvas_get_frame_rect (REEL_PREVIEW_CANVAS (canvas), &frame);
  g_assert_cmpfloat (frame.size.width, >=, 64);
  g_assert_cmpfloat (frame.size.height, >=, 36);
  g_assert_true (gtk_widget_translate_coordinates (canvas, window, frame.origin.x,
                                                   frame.origin.y, &x, &y));
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), gtk_widget_get_width (window),
                          gtk_widget_get_height (window));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  /* Whole pixels inside the frame: no edge of the black around it. */
  frame = GRAPHENE_RECT_INIT (ceil (x), ceil (y), floor (frame.size.width) - 1,
                              floor (frame.size.height) - 1);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &frame);
  *width = gdk_texture_get_width (texture);
  *height = gdk_texture_get_height (texture);
  return media_test_texture_rgb (texture);
}

/* How far @pixel is from every mix of black and @rgb: a pen line's soft edge over a clip
 * of colour @rgb is such a mix, a tinted fringe is not. */
static int
off_black_to (const guint8 *pixel,
              guint32       rgb)
{
  double color[3] = { (rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff };
  double t = (pixel[0] * color[0] + pixel[1] * color[1] + pixel[2] * color[2])
             / (color[0] * color[0] + color[1] * color[1] + color[2] * color[2]);
  double worst = 0;

  t = CLAMP (t, 0.0, 1.0);
  for (int i = 0; i < 3; i++)
    worst = MAX (worst, fabs (pixel[i] - t * color[i]));
  return (int) lround (worst);
}

/* Share of the picture that is still the plate's green. */
static double
green_share (GdkTexture *texture)
{
  g_autofree guint8 *pixels = media_test_texture_rgb (texture);
  gsize n = (gsize) gdk_texture_get_width (texture) * gdk_texture_get_height (texture);
  gsize green = 0;

  for (gsize i = 0; i < n; i++)
    green += pixels[i * 3 + 1] > 200 && pixels[i * 3] < 80 && pixels[i * 3 + 2] < 80;

  return (double) green / n;
}

static GdkTexture *
shown_texture (Fixture *fixture)
{
  GdkPaintable *picture = reel_preview_view_get_picture (fixture->view);

  if (REEL_IS_VIDEO_PAINTABLE (picture))
    return reel_video_paintable_get_texture (REEL_VIDEO_PAINTABLE (picture));
  if (GDK_IS_TEXTURE (picture))
    return GDK_TEXTURE (picture);
  return NULL;
}

/* The plate keyed over the gray-box: no green left, the ball there; the still for a shot
 * without footage. */
static void
test_keyed_plate (Fixture       *fixture,
                  gconstpointer  data)
{
  GdkTexture *texture;

  show_shot (fixture, fixture->keyed);
  texture = shown_texture (fixture);
  g_assert_nonnull (texture);
  g_assert_true (REEL_IS_VIDEO_PAINTABLE (reel_preview_view_get_picture (fixture->view)));
  g_assert_null (reel_preview_view_get_message (fixture->view));
  g_assert_cmpfloat (green_share (texture), <, 0.002);
  g_object_set (fixture->view, "show-thirds", TRUE, "show-action-safe", TRUE, NULL);
  screenshot (fixture, "preview-keyed-greybox.png");

  show_shot (fixture, fixture->still);
  texture = shown_texture (fixture);
  g_assert_nonnull (texture);
  g_assert_true (GDK_IS_TEXTURE (reel_preview_view_get_picture (fixture->view)));
  screenshot (fixture, "preview-still.png");
}

/* The picture follows a key change at once while paused, or with the next frame when one
 * is on its way (the first resize fetches the frame again). */
static gboolean
green_shown (gpointer data)
{
  GdkTexture *texture = shown_texture (data);

  return texture != NULL && green_share (texture) > 0.5;
}

static gboolean
green_keyed (gpointer data)
{
  GdkTexture *texture = shown_texture (data);

  return texture != NULL && green_share (texture) < 0.002;
}

/* The controls write the model, one undo step each, and the picture follows. */
static void
test_key_controls (Fixture       *fixture,
                   gconstpointer  data)
{
  ReelPlate *plate = reel_shot_get_plate (fixture->keyed);
  ReelHistory *history = reel_project_get_history (fixture->project);
  GtkWidget *entry;

  show_shot (fixture, fixture->keyed);

  /* Typed: a colour that is nowhere in the plate keys nothing; the green comes back. */
  entry = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->view),
                                                     REEL_TYPE_PREVIEW_VIEW, "color_entry"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "#FF00FF");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpuint (reel_plate_get_key_color (plate), ==, 0xff00ff);
  media_test_wait_until (green_shown, fixture, PREVIEW_DEADLINE_MS);

  /* A typo is refused without touching the model. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "#12345G");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpuint (reel_plate_get_key_color (plate), ==, 0xff00ff);
  g_assert_true (gtk_widget_has_css_class (entry, "error"));

  /* Undo puts the green key back, and the picture with it. */
  g_assert_true (reel_history_undo (history));
  g_assert_cmpuint (reel_plate_get_key_color (plate), ==, MEDIA_TEST_GREEN);
  media_test_wait_until (green_keyed, fixture, PREVIEW_DEADLINE_MS);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "#00FF00");

  /* The eyedropper on a green spot picks green. */
  reel_plate_set_key_color (plate, 0xff00ff);
  g_object_set (fixture->view, "tool", "eyedropper", NULL);
  {
    GtkWidget *canvas = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->view),
                                                                   REEL_TYPE_PREVIEW_VIEW,
                                                                   "canvas"));
    guint rgb;

    g_signal_emit_by_name (canvas, "pick", 0.02, 0.02);
    rgb = reel_plate_get_key_color (plate);
    g_assert_cmpuint ((rgb >> 8) & 0xff, >, 200);
    g_assert_cmpuint ((rgb >> 16) & 0xff, <, 60);
    g_assert_cmpuint (rgb & 0xff, <, 60);
  }
  {
    g_autofree char *tool = NULL;

    g_object_get (fixture->view, "tool", &tool, NULL);
    g_assert_cmpstr (tool, ==, "none");
  }
}

static gulong
x11_window (Fixture *fixture)
{
#ifdef GDK_WINDOWING_X11
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (fixture->window));

  if (GDK_IS_X11_SURFACE (surface))
    return gdk_x11_surface_get_xid (surface);
#endif
  return 0;
}

static void
press_key (Fixture    *fixture,
           const char *key)
{
  g_autofree char *window = g_strdup_printf ("%lu", x11_window (fixture));
  const char *focus[] = { "xdotool", "windowfocus", "--sync", window, NULL };
  const char *press[] = { "xdotool", "key", key, NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) focus, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_sync (NULL, (char **) press, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
}

static gboolean
is_playing (gpointer data)
{
  return reel_preview_view_get_playing (((Fixture *) data)->view);
}

static gboolean
is_paused (gpointer data)
{
  return !reel_preview_view_get_playing (((Fixture *) data)->view);
}

typedef struct
{
  Fixture *fixture;
  gint64 frame;
} AtFrame;

static gboolean
at_frame (gpointer data)
{
  AtFrame *wait = data;

  return reel_preview_view_get_position (wait->fixture->view) == wait->frame;
}

/* Space plays and pauses; the period and comma keys step a frame, as a user would type
 * them (real key events through the X server). */
static void
test_keyboard (Fixture       *fixture,
               gconstpointer  data)
{
  AtFrame wait = { fixture, 0 };

  if (!reel_test_require (x11_window (fixture) != 0, "an X11 display") ||
      !reel_test_require_program ("xdotool"))
    return;

  show_shot (fixture, fixture->keyed);

  press_key (fixture, "space");
  media_test_wait_until (is_playing, fixture, 10000);
  press_key (fixture, "space");
  media_test_wait_until (is_paused, fixture, 10000);

  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "preview.seek", "x", (gint64) 10);
  wait.frame = 10;
  media_test_wait_until (at_frame, &wait, 10000);
  press_key (fixture, "period");
  wait.frame = 11;
  media_test_wait_until (at_frame, &wait, 10000);
  press_key (fixture, "comma");
  press_key (fixture, "comma");
  wait.frame = 9;
  media_test_wait_until (at_frame, &wait, 10000);
}

static gboolean
has_message (gpointer data)
{
  return reel_preview_view_get_message (((Fixture *) data)->view) != NULL;
}

static gboolean
plate_playing_again (gpointer data)
{
  Fixture *fixture = data;

  return reel_preview_view_is_ready (fixture->view)
         && reel_preview_view_get_message (fixture->view) == NULL
         && REEL_IS_VIDEO_PAINTABLE (reel_preview_view_get_picture (fixture->view));
}

/* Footage moved away: the still shows, the banner names the file and offers Relink, which
 * finds it in the project's folder and points the plate at it (one undo step). */
static void
test_missing_and_relink (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *moved_dir = g_build_filename (fixture->dir, "day 2", NULL);
  g_autofree char *moved = g_build_filename (moved_dir, "ball.webm", NULL);
  ReelPlate *plate = reel_shot_get_plate (fixture->keyed);

  g_mkdir (moved_dir, 0755);
  g_assert_cmpint (g_rename (fixture->plate_path, moved), ==, 0);

  reel_preview_view_set_current_shot (fixture->view, fixture->keyed);
  media_test_wait_until (has_message, fixture, PREVIEW_DEADLINE_MS);
  g_assert_nonnull (strstr (reel_preview_view_get_message (fixture->view), "ball.webm"));
  media_test_wait_until (view_ready, fixture, PREVIEW_DEADLINE_MS);
  g_assert_true (GDK_IS_TEXTURE (reel_preview_view_get_picture (fixture->view)));
  screenshot (fixture, "preview-missing-plate.png");

  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "preview.relink", NULL);
  media_test_wait_until (plate_playing_again, fixture, PREVIEW_DEADLINE_MS);
  g_assert_cmpstr (reel_plate_get_path (plate), ==, "day 2/ball.webm");

  g_assert_true (reel_history_undo (reel_project_get_history (fixture->project)));
  g_assert_cmpstr (reel_plate_get_path (plate), ==, "footage/ball.webm");
}

static gboolean
sequence_moved_on (gpointer data)
{
  Fixture *fixture = data;

  return reel_preview_view_get_current_shot (fixture->view) == fixture->still;
}

/* Play Scene: the reel plays in the view and the current shot follows it. */
static void
test_play_scene (Fixture       *fixture,
                 gconstpointer  data)
{
  show_shot (fixture, fixture->keyed);

  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "preview.play-scene", NULL);
  media_test_wait_until (is_playing, fixture, 60000);
  screenshot (fixture, "preview-story-reel.png");
  media_test_wait_until (sequence_moved_on, fixture, PREVIEW_DEADLINE_MS);

  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "preview.stop-sequence", NULL);
  media_test_wait_until (view_ready, fixture, PREVIEW_DEADLINE_MS);
  g_assert_true (GDK_IS_TEXTURE (reel_preview_view_get_picture (fixture->view)));
}

/* The counter colour over at least @share of @texture's pixels, or -1. */
static gint64
counter_shown (GdkTexture *texture,
               double      share)
{
  g_autofree guint8 *pixels = media_test_texture_rgb (texture);
  gsize n = (gsize) gdk_texture_get_width (texture) * gdk_texture_get_height (texture);

  for (gint64 c = 0; c < MEDIA_TEST_COUNTER_COLORS; c++)
    {
      guint32 rgb = media_test_counter_color (c);
      gsize hits = 0;

      for (gsize i = 0; i < n; i++)
        hits += media_test_is_color (pixels + i * 3, rgb, 24);
      if (hits >= share * n)
        return c;
    }
  return -1;
}

typedef struct
{
  Fixture *fixture;
  gint64 frame;
  gint64 counter;
  double share;
} CounterAt;

static gboolean
counter_at_frame (gpointer data)
{
  CounterAt *wait = data;
  GdkTexture *texture = shown_texture (wait->fixture);

  /* frame -1: playing, anywhere past the clip's first loop. */
  if (wait->frame < 0)
    return reel_preview_view_get_position (wait->fixture->view) > 10
           && texture != NULL
           && counter_shown (texture, wait->share)
              == reel_preview_view_get_position (wait->fixture->view) % 10;

  return reel_preview_view_get_position (wait->fixture->view) == wait->frame
         && REEL_IS_VIDEO_PAINTABLE (reel_preview_view_get_picture (wait->fixture->view))
         && texture != NULL && counter_shown (texture, wait->share) == wait->counter;
}

static gboolean
transport_shows_12_frames (gpointer data)
{
  GtkWidget *transport = GTK_WIDGET (gtk_widget_get_template_child (
                           GTK_WIDGET (data), REEL_TYPE_PREVIEW_VIEW, "transport"));

  return reel_transport_bar_get_duration (REEL_TRANSPORT_BAR (transport)) == 12;
}

/* A generated clip as the background (a frame counter, 10 frames): behind the plate, frame
 * N of the shot shows clip frame N where the plate was green, looping; a shot without a
 * plate plays the clip on its own. */
static void
test_clip_background (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = media_test_make_counter_clip (fixture->dir, "counter.webm", 320, 180,
                                                        24, 1, 10);
  g_autoptr(ReelAsset) video = NULL;
  g_autoptr(GBytes) bytes = NULL;
  CounterAt wait = { fixture, 0, 0, 0.5 };
  ReelAsset *stored;
  char *contents;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  bytes = g_bytes_new_take (contents, length);
  video = reel_asset_new_video (bytes, REEL_MIME_WEBM, 320, 180, NULL);
  stored = reel_project_add_asset (fixture->project, video);
  reel_shot_set_background (fixture->keyed, reel_asset_get_hash (stored));
  reel_shot_set_background (fixture->still, reel_asset_get_hash (stored));

  /* Behind the plate. */
  show_shot (fixture, fixture->keyed);
  media_test_wait_until (counter_at_frame, &wait, PREVIEW_DEADLINE_MS);
  g_assert_cmpfloat (green_share (shown_texture (fixture)), <, 0.002);
  g_test_message ("behind the plate: frame 0 shown");
  /* Playing, past the clip's length: it loops under the plate. */
  wait.frame = -1;
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "preview.play-pause", NULL);
  media_test_wait_until (counter_at_frame, &wait, PREVIEW_DEADLINE_MS);
  screenshot (fixture, "preview-clip-behind-plate.png");
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "preview.play-pause", NULL);

  /* On its own, with the sketch over it (a black bar across the middle, and a thin pen line
   * from the top left corner down to the bottom edge): the picture is the clip's frame but
   * for the sketch, for the shot's duration (12 frames). */
  {
    ReelStrokePoint points[] = { { 0.0f, 0.5f, 1, 0, 0 }, { 1.0f, 0.5f, 1, 0, 0 } };
    ReelStrokePoint line_points[] = { { 0.0f, 0.0f, 1, 0, 0 }, { 0.4f, 1.0f, 1, 0, 0 } };
    ReelColor black = { 0, 0, 0, 1 };
    g_autoptr(ReelStroke) stroke = reel_stroke_new (REEL_TOOL_PEN, &black, 0.1, points, 2,
                                                    NULL);
    g_autoptr(ReelStroke) line = reel_stroke_new (REEL_TOOL_PEN, &black, 0.01, line_points, 2,
                                                  NULL);

    reel_sketch_append_stroke (reel_shot_get_sketch (fixture->still), REEL_LAYER_SKETCH,
                               stroke);
    reel_sketch_append_stroke (reel_shot_get_sketch (fixture->still), REEL_LAYER_SKETCH, line);
  }
  g_assert_true (gtk_widget_get_visible (template_child (fixture, "key_group")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (template_child (fixture,
                                                                         "color_entry"))),
                   ==, "#00FF00");
  show_shot (fixture, fixture->still);
  wait.frame = 0;
  wait.counter = 0;
  wait.share = 0.8;
  media_test_wait_until (counter_at_frame, &wait, PREVIEW_DEADLINE_MS);
  g_test_message ("clip alone: frame 0 shown");
  /* No footage, nothing to key: no key controls (the sketch plate's own green is nobody's
   * choice), and the footage row says there is no footage. */
  g_assert_false (gtk_widget_get_visible (template_child (fixture, "key_group")));
  g_assert_false (gtk_widget_get_visible (template_child (fixture, "placement_group")));
  g_assert_cmpstr (adw_preferences_row_get_title (
                     ADW_PREFERENCES_ROW (template_child (fixture, "footage_row"))), ==,
                   "No reference footage");
  {
    int width, height;
    g_autofree guint8 *pixels = canvas_frame_rgb (fixture, &width, &height);
    const guint8 *middle = pixels + ((gsize) (height / 2) * width + width / 2) * 3;
    const guint8 *above = pixels + ((gsize) (height / 5) * width + width / 2) * 3;

    g_assert_true (media_test_is_color (middle, 0x000000, 40));
    g_assert_true (media_test_is_color (above, media_test_counter_color (0), 24));
    /* The shot's duration, not the clip's 10 frames. */
    media_test_wait_until (transport_shows_12_frames, fixture->view, PREVIEW_DEADLINE_MS);
  }
  /* A seek asked for as soon as the picture shows lands once the clip is open. */
  wait.frame = 7;
  wait.counter = 7;
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "preview.seek", "x", (gint64) 7);
  media_test_wait_until (counter_at_frame, &wait, PREVIEW_DEADLINE_MS);
  screenshot (fixture, "preview-clip-alone.png");
  /* The pen lines' edges over the clip (frame 7: a pink) are black fading into the pink,
   * as in the animatic, not tinted by the key green (through a 4:2:0 video, its chroma bled
   * into the lines and the spill suppression turned their edges teal): down the middle
   * column across the bar, and along two rows across the thin slanted line. */
  {
    guint32 pink = media_test_counter_color (7);
    int width, height, worst = 0, worst_x = -1, worst_y = -1;
    g_autofree guint8 *pixels = canvas_frame_rgb (fixture, &width, &height);
    gboolean seen_black = FALSE, seen_pink = FALSE;
    guint edge_pixels = 0;
    GArray *points = g_array_new (FALSE, FALSE, sizeof (int) * 2);

    for (int row = height / 4; row < height * 3 / 4; row++)
      g_array_append_vals (points, (int[]) { width / 2, row }, 1);
    for (int column = 0; column < width * 3 / 10; column++)
      {
        g_array_append_vals (points, (int[]) { column, height / 5 }, 1);
        g_array_append_vals (points, (int[]) { column, height * 3 / 10 + 1 }, 1);
      }
    for (guint i = 0; i < points->len; i++)
      {
        const int *point = &g_array_index (points, int, 2 * i);
        const guint8 *pixel = pixels + ((gsize) point[1] * width + point[0]) * 3;
        int off = off_black_to (pixel, pink);

        seen_black |= media_test_is_color (pixel, 0x000000, 24);
        seen_pink |= media_test_is_color (pixel, pink, 24);
        edge_pixels += !media_test_is_color (pixel, 0x000000, 24)
                       && !media_test_is_color (pixel, pink, 24);
        if (off > worst)
          {
            worst = off;
            worst_x = point[0];
            worst_y = point[1];
          }
      }
    g_array_unref (points);
    g_test_message ("sketch edges over the clip: %u pixels between black and the clip, "
                    "furthest %d off the mix at (%d, %d) of %d × %d", edge_pixels, worst,
                    worst_x, worst_y, width, height);
    g_assert_true (seen_black);
    g_assert_true (seen_pink);
    g_assert_cmpuint (edge_pixels, >, 0);
    g_assert_cmpint (worst, <=, 20);
  }
  /* Past the clip's end but within the shot's: the clip loops. */
  wait.frame = 11;
  wait.counter = 1;
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "preview.seek", "x", (gint64) 11);
  media_test_wait_until (counter_at_frame, &wait, PREVIEW_DEADLINE_MS);
}

/* Camera moves */

#define MOVE_PAN_DEG 8.0
#define MOVE_SQUARE  0xe02020

typedef struct
{
  Fixture *fixture;
  gint64 frame;
  double x;        /* the square's expected centre, as a share of the picture's width */
  double found_x;
} SquareAt;

/* The centre of the red square in the picture, as a share of its width, or -1. */
static double
square_x (GdkTexture *texture)
{
  g_autofree guint8 *pixels = media_test_texture_rgb (texture);
  int width = gdk_texture_get_width (texture);
  gsize n = (gsize) width * gdk_texture_get_height (texture);
  double sum = 0;
  gsize hits = 0;

  for (gsize i = 0; i < n; i++)
    if (media_test_is_color (pixels + i * 3, MOVE_SQUARE, 40))
      {
        sum += (double) (i % width);
        hits++;
      }
  return hits >= 40 ? (sum / hits + 0.5) / width : -1;
}

static gboolean
square_at_frame (gpointer data)
{
  SquareAt *wait = data;
  GdkTexture *texture = shown_texture (wait->fixture);

  if (reel_preview_view_get_position (wait->fixture->view) != wait->frame || texture == NULL
      || !REEL_IS_VIDEO_PAINTABLE (reel_preview_view_get_picture (wait->fixture->view)))
    return FALSE;
  wait->found_x = square_x (texture);
  return ABS (wait->found_x - wait->x) < 0.012;
}

/* Playing, somewhere in the middle of the move (frames 4 to 19 of 24), the square where
 * the pan has got to; wait->x is the whole shift. */
static gboolean
square_moving (gpointer data)
{
  SquareAt *wait = data;
  GdkTexture *texture = shown_texture (wait->fixture);
  gint64 position = reel_preview_view_get_position (wait->fixture->view);

  if (!reel_preview_view_get_playing (wait->fixture->view) || position < 4 || position > 19
      || texture == NULL)
    return FALSE;
  wait->found_x = square_x (texture);
  wait->frame = position;
  return ABS (wait->found_x - (0.5 - wait->x * position / 23.0)) < 0.02;
}

/* A shot whose camera pans: under the keyed plate the still pans with the camera, at the
 * start of the move where it was, at its end moved left by the pan over the angle of view,
 * seeking and playing alike; a shot without a plate plays the move too (with the sketch as
 * its plate), for the shot's duration. */
static void
test_camera_move (Fixture       *fixture,
                  gconstpointer  data)
{
  cairo_surface_t *surface = media_test_solid_surface (0x202020, 192, 108);
  ReelCameraPose pose = { .x = 0, .z = 1.5, .height = 1.6, .pan = 0, .tilt = 0, .roll = 0,
                          .lens_mm = 35 };
  g_autoptr(ReelShotCamera) camera = reel_shot_camera_new (&pose);
  g_autoptr(GBytes) png = NULL;
  g_autoptr(ReelAsset) square = NULL;
  g_autoptr(GError) error = NULL;
  double hfov = reel_optics_horizontal_fov (reel_optics_sensor_lookup_or_default (NULL)->width_mm,
                                            35);
  SquareAt wait = { fixture, 0, 0.5, -1 };
  ReelAsset *stored;
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 0xe0 / 255.0, 0x20 / 255.0, 0x20 / 255.0);
  cairo_rectangle (cr, 86, 44, 20, 20);
  cairo_fill (cr);
  cairo_destroy (cr);
  png = media_test_surface_png (surface);
  cairo_surface_destroy (surface);
  square = reel_asset_new_from_bytes (png, &error);
  g_assert_no_error (error);
  stored = reel_project_add_asset (fixture->project, square);
  camera->moves = TRUE;
  camera->end = pose;
  camera->end.pan = MOVE_PAN_DEG;
  camera->easing = REEL_CAMERA_EASING_LINEAR;
  reel_shot_set_background (fixture->keyed, reel_asset_get_hash (stored));
  reel_shot_set_camera (fixture->keyed, camera);
  /* What linking the footage finds out: 48 frames at 24 fps. */
  reel_plate_set_duration (reel_shot_get_plate (fixture->keyed),
                           2 * G_GINT64_CONSTANT (1000000000));

  /* Under the plate: the start of the move, then its end (the shot's last frame). */
  show_shot (fixture, fixture->keyed);
  media_test_wait_until (square_at_frame, &wait, PREVIEW_DEADLINE_MS);
  g_test_message ("plate shot, frame 0: square at %.3f", wait.found_x);
  wait.frame = 23;
  wait.x = 0.5 - MOVE_PAN_DEG / hfov;
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "preview.seek", "x", (gint64) 23);
  media_test_wait_until (square_at_frame, &wait, PREVIEW_DEADLINE_MS);
  g_test_message ("plate shot, frame 23: square at %.3f (expected %.3f)", wait.found_x, wait.x);
  g_assert_cmpfloat (green_share (shown_texture (fixture)), <, 0.002);
  screenshot (fixture, "preview-move-under-plate.png");
  /* The plate (48 frames) runs on past the shot (24): the move's end holds under it. */
  wait.frame = 40;
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "preview.seek", "x", (gint64) 40);
  media_test_wait_until (square_at_frame, &wait, PREVIEW_DEADLINE_MS);
  g_test_message ("plate shot, frame 40: square at %.3f (held at %.3f)", wait.found_x, wait.x);
  /* Playing from the start, the square leaves the middle as the camera pans: a frame
   * shown mid-move has it where the pan has got to by then. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "preview.seek", "x", (gint64) 0);
  wait.frame = 0;
  wait.x = 0.5;
  media_test_wait_until (square_at_frame, &wait, PREVIEW_DEADLINE_MS);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "preview.play-pause", NULL);
  wait.x = MOVE_PAN_DEG / hfov;  /* the whole shift, for square_moving() */
  media_test_wait_until (square_moving, &wait, PREVIEW_DEADLINE_MS);
  g_test_message ("plate shot, playing at frame %" G_GINT64_FORMAT ": square at %.3f",
                  wait.frame, wait.found_x);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "preview.play-pause", NULL);
  media_test_wait_until (is_paused, fixture, 10000);

  /* Without a plate: the move plays under the sketch, as long as the shot (12 frames). */
  reel_shot_set_background (fixture->still, reel_asset_get_hash (stored));
  reel_shot_set_camera (fixture->still, camera);
  show_shot (fixture, fixture->still);
  wait.frame = 0;
  wait.x = 0.5;
  media_test_wait_until (square_at_frame, &wait, PREVIEW_DEADLINE_MS);
  media_test_wait_until (transport_shows_12_frames, fixture->view, PREVIEW_DEADLINE_MS);
  wait.frame = 11;
  wait.x = 0.5 - MOVE_PAN_DEG / hfov;
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "preview.seek", "x", (gint64) 11);
  media_test_wait_until (square_at_frame, &wait, PREVIEW_DEADLINE_MS);
  g_test_message ("still shot, frame 11: square at %.3f (expected %.3f)", wait.found_x, wait.x);

  /* A camera that stops moving: the still again. */
  reel_shot_set_camera (fixture->still, NULL);
  media_test_wait_until (view_ready, fixture, PREVIEW_DEADLINE_MS);
  g_assert_true (GDK_IS_TEXTURE (reel_preview_view_get_picture (fixture->view)));
}

int
main (int   argc,
      char *argv[])
{
  reel_test_require_x11 (TRUE);
  /* First: it points the cache somewhere private before anything reads where it is. */
  media_test_init ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/media/preview-view/keyed-plate", test_keyed_plate);
  ADD ("/media/preview-view/key-controls", test_key_controls);
  ADD ("/media/preview-view/keyboard", test_keyboard);
  ADD ("/media/preview-view/missing-and-relink", test_missing_and_relink);
  ADD ("/media/preview-view/play-scene", test_play_scene);
  ADD ("/media/preview-view/clip-background", test_clip_background);
  ADD ("/media/preview-view/camera-move", test_camera_move);

#undef ADD

  return reel_test_run ();
}
