/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/pbutils/pbutils.h>
#include <string.h>

#include "media/reel-chroma-key.h"
#include "media/reel-media-error.h"
#include "media/reel-preview-pipeline.h"
#include "media/reel-video-sink.h"
#include "media-test-util.h"
#include "../reel-test-wait.h"

#define WIDTH  320
#define HEIGHT 180
#define RED    0xff0000
#define BLUE   0x0000ff

typedef struct
{
  char *dir;
  char *plate;
  ReelPreviewPipeline *preview;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = media_test_make_dir ();
  fixture->plate = media_test_make_plate (fixture->dir, "ball.webm", WIDTH, HEIGHT, 24, 1, 48);
  fixture->preview = reel_preview_pipeline_new ();
  reel_preview_pipeline_set_output_size (fixture->preview, WIDTH, HEIGHT);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->preview);
  media_test_remove_dir (fixture->dir);
  g_free (fixture->plate);
  g_free (fixture->dir);
}

static gboolean
open_plate (ReelPreviewPipeline  *preview,
            const char           *path,
            GError              **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;

  reel_preview_pipeline_open_async (preview, file, NULL, media_test_store_result, &result);
  media_test_wait_result (&result, 30000);

  return reel_preview_pipeline_open_finish (preview, result, error);
}

static void
open_keyed (Fixture *fixture,
            guint32  background_rgb)
{
  g_autoptr(GError) error = NULL;
  cairo_surface_t *background = media_test_solid_surface (background_rgb, 64, 36);

  reel_preview_pipeline_set_key (fixture->preview, MEDIA_TEST_GREEN, 0.4, 0.1, 0.5);
  reel_preview_pipeline_set_background (fixture->preview, background);
  cairo_surface_destroy (background);

  g_assert_true (open_plate (fixture->preview, fixture->plate, &error));
  g_assert_no_error (error);
}

static GdkTexture *
current_texture (Fixture *fixture)
{
  ReelVideoPaintable *paintable = reel_preview_pipeline_get_paintable (fixture->preview);

  return reel_video_paintable_get_texture (paintable);
}

static gboolean
has_texture (gpointer data)
{
  return current_texture (data) != NULL;
}

/* The frame on screen was keyed with the keyer's current settings: a change made while
 * paused has been composited (on a worker thread) and shown. */
static gboolean
frame_current (gpointer data)
{
  Fixture *fixture = data;
  GdkTexture *texture = current_texture (fixture);
  GstElement *pipeline = reel_preview_pipeline_get_element (fixture->preview);
  g_autoptr(GstElement) keyer = gst_bin_get_by_name (GST_BIN (pipeline), "key");
  guint64 serial;

  return texture != NULL && reel_video_sink_get_frame_tag (texture, &serial)
         && serial == reel_chroma_key_get_n_settings_swaps (REEL_CHROMA_KEY (keyer));
}

static void
wait_frame_current (Fixture *fixture)
{
  media_test_wait_until (frame_current, fixture, 20000);
}

/* Share of the frame within @tolerance of @rgb. */
static double
share_of_color (GdkTexture *texture,
                guint32     rgb,
                int         tolerance)
{
  g_autofree guint8 *pixels = media_test_texture_rgb (texture);
  gsize n = (gsize) gdk_texture_get_width (texture) * gdk_texture_get_height (texture);
  gsize count = 0;

  for (gsize i = 0; i < n; i++)
    count += media_test_is_color (pixels + i * 3, rgb, tolerance);

  return (double) count / n;
}

/* The composited first frame shows the background wherever the plate was green, and the
 * plate (the white ball) elsewhere. The reference is the same frame decoded by GStreamer's
 * own converter. @data is how many plate pixels make one view pixel: 1, or 2 for a view
 * half the plate's size, which the keyer reads in 2×2 blocks. */
static void
test_key_composite (Fixture       *fixture,
                    gconstpointer  data)
{
  const int reduction = GPOINTER_TO_INT (data);
  const int width = WIDTH / reduction, height = HEIGHT / reduction;
  g_autofree guint8 *reference = NULL;
  g_autofree guint8 *composite = NULL;
  GdkTexture *texture;
  guint green = 0, green_keyed = 0, ball = 0, ball_kept = 0;

  reel_preview_pipeline_set_output_size (fixture->preview, width, height);
  open_keyed (fixture, RED);
  media_test_wait_until (has_texture, fixture, 10000);
  texture = current_texture (fixture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, height);

  reference = media_test_decode_frame_rgb (fixture->plate, 0, width, height);
  composite = media_test_texture_rgb (texture);

  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      const guint8 *plate = reference + i * 3;
      const guint8 *out = composite + i * 3;

      if (plate[1] > 200 && plate[0] < 60 && plate[2] < 60)
        {
          green++;
          green_keyed += media_test_is_color (out, RED, 24);
        }
      else if (plate[0] > 220 && plate[1] > 220 && plate[2] > 220)
        {
          ball++;
          ball_kept += media_test_is_color (out, (plate[0] << 16) | (plate[1] << 8) | plate[2],
                                            24);
        }
    }

  g_test_message ("green %u (%u keyed), ball %u (%u kept)", green, green_keyed, ball, ball_kept);
  g_assert_cmpuint (green, >, width * height / 2);
  g_assert_cmpuint (ball, >, 200 / (reduction * reduction));
  g_assert_cmpfloat ((double) green_keyed / green, >=, 0.99);
  g_assert_cmpfloat ((double) ball_kept / ball, >=, 0.98);
}

static gboolean
presented_beyond (gpointer data)
{
  gpointer *args = data;
  Fixture *fixture = args[0];
  guint64 target = *(guint64 *) args[1];

  return reel_video_paintable_get_n_presented (
           reel_preview_pipeline_get_paintable (fixture->preview)) >= target;
}

static void
wait_for_frames (Fixture *fixture,
                 guint    n)
{
  guint64 target = reel_video_paintable_get_n_presented (
                     reel_preview_pipeline_get_paintable (fixture->preview)) + n;
  gpointer args[] = { fixture, &target };

  media_test_wait_until (presented_beyond, args, 20000);
}

/* While playing, a new background shows on the following frames; the pipeline, its
 * keyer and its state stay the same objects. Paused, it shows at once. */
static void
test_switch_background (Fixture       *fixture,
                        gconstpointer  data)
{
  GstElement *pipeline;
  g_autoptr(GstElement) keyer = NULL;
  g_autoptr(GstElement) keyer_after = NULL;
  cairo_surface_t *blue, *yellow;
  GstState state;
  guint64 swaps;

  reel_preview_pipeline_set_loop (fixture->preview, TRUE);
  open_keyed (fixture, RED);
  pipeline = reel_preview_pipeline_get_element (fixture->preview);
  keyer = gst_bin_get_by_name (GST_BIN (pipeline), "key");
  swaps = reel_chroma_key_get_n_settings_swaps (REEL_CHROMA_KEY (keyer));

  reel_preview_pipeline_play (fixture->preview);
  wait_for_frames (fixture, 3);
  g_assert_cmpfloat (share_of_color (current_texture (fixture), RED, 24), >, 0.5);

  blue = media_test_solid_surface (BLUE, 64, 36);
  reel_preview_pipeline_set_background (fixture->preview, blue);
  cairo_surface_destroy (blue);

  /* One frame may have been composited before the swap; the ones after show blue. */
  wait_for_frames (fixture, 3);
  g_assert_cmpfloat (share_of_color (current_texture (fixture), BLUE, 24), >, 0.5);
  g_assert_cmpfloat (share_of_color (current_texture (fixture), RED, 24), <, 0.001);

  g_assert_true (reel_preview_pipeline_get_element (fixture->preview) == pipeline);
  keyer_after = gst_bin_get_by_name (GST_BIN (pipeline), "key");
  g_assert_true (keyer_after == keyer);
  g_assert_cmpuint (reel_chroma_key_get_n_settings_swaps (REEL_CHROMA_KEY (keyer)), ==,
                    swaps + 1);
  g_assert_cmpint (gst_element_get_state (pipeline, &state, NULL, 0), !=,
                   GST_STATE_CHANGE_FAILURE);
  g_assert_cmpint (state, ==, GST_STATE_PLAYING);
  g_assert_true (reel_preview_pipeline_get_playing (fixture->preview));

  /* Paused: no frame flows, yet the view shows the new background right away. */
  reel_preview_pipeline_pause (fixture->preview);
  g_assert_cmpint (gst_element_get_state (pipeline, &state, NULL, 5 * GST_SECOND), ==,
                   GST_STATE_CHANGE_SUCCESS);
  g_assert_cmpint (state, ==, GST_STATE_PAUSED);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  yellow = media_test_solid_surface (0xffff00, 64, 36);
  reel_preview_pipeline_set_background (fixture->preview, yellow);
  cairo_surface_destroy (yellow);
  wait_frame_current (fixture);
  g_assert_cmpfloat (share_of_color (current_texture (fixture), 0xffff00, 24), >, 0.5);
  g_assert_true (reel_preview_pipeline_get_element (fixture->preview) == pipeline);
}

/* A frame keyed just before a key change, held on its way to the screen (a seek or a
 * resize under way while the user picks a colour), arrives after the paused recomposite:
 * it is keyed again, so the picture ends with the new key, not the old one. */
static GstPadProbeReturn
hold_frame (GstPad          *pad,
            GstPadProbeInfo *info,
            gpointer         data)
{
  g_atomic_int_set ((gint *) data, TRUE);
  return GST_PAD_PROBE_OK;
}

static gboolean
flag_set (gpointer data)
{
  return g_atomic_int_get ((gint *) data);
}

static gboolean
green_shown (gpointer data)
{
  GdkTexture *texture = current_texture (data);

  return texture != NULL && share_of_color (texture, MEDIA_TEST_GREEN, 24) > 0.5;
}

static void
test_late_frame_rekeyed (Fixture       *fixture,
                         gconstpointer  data)
{
  GstElement *pipeline;
  g_autoptr(GstElement) keyer = NULL;
  g_autoptr(GstPad) keyer_src = NULL;
  gint held = FALSE;
  guint64 presented;
  gulong probe;

  open_keyed (fixture, RED);
  media_test_wait_until (has_texture, fixture, 20000);
  g_assert_cmpfloat (share_of_color (current_texture (fixture), RED, 24), >, 0.5);

  pipeline = reel_preview_pipeline_get_element (fixture->preview);
  keyer = gst_bin_get_by_name (GST_BIN (pipeline), "key");
  keyer_src = gst_element_get_static_pad (keyer, "src");
  probe = gst_pad_add_probe (keyer_src, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BLOCK,
                             hold_frame, &held, NULL);

  /* Frame 10 is keyed with green (red shows) and held before the sink. */
  reel_preview_pipeline_seek_frame (fixture->preview, 10);
  media_test_wait_until (flag_set, &held, 20000);

  /* A colour that is nowhere in the plate keys nothing: the recomposite shows the green. */
  reel_preview_pipeline_set_key (fixture->preview, 0xff00ff, 0.4, 0.1, 0.5);
  media_test_wait_until (green_shown, fixture, 20000);
  presented = reel_video_paintable_get_n_presented (
                reel_preview_pipeline_get_paintable (fixture->preview));

  /* The held frame, keyed with the old colour, now reaches the screen... */
  gst_pad_remove_probe (keyer_src, probe);
  wait_for_frames (fixture, 1);
  g_assert_cmpuint (reel_video_paintable_get_n_presented (
                      reel_preview_pipeline_get_paintable (fixture->preview)), >, presented);

  /* ...and does not stay there. */
  media_test_wait_until (green_shown, fixture, 20000);
  g_assert_cmpfloat (share_of_color (current_texture (fixture), RED, 24), <, 0.001);
  g_assert_cmpint (reel_preview_pipeline_get_position (fixture->preview), ==, 10);
}

/* The counter colour that covers most of the frame, or -1. */
static gint64
counter_shown (GdkTexture *texture)
{
  for (gint64 i = 0; i < MEDIA_TEST_COUNTER_COLORS; i++)
    if (share_of_color (texture, media_test_counter_color (i), 24) > 0.5)
      return i;
  return -1;
}

typedef struct
{
  Fixture *fixture;
  gint64 position;
  gint64 counter;
} CounterWait;

static gboolean
counter_at_position (gpointer data)
{
  CounterWait *wait = data;
  GdkTexture *texture = current_texture (wait->fixture);

  return reel_preview_pipeline_get_position (wait->fixture->preview) == wait->position
         && texture != NULL && counter_shown (texture) == wait->counter;
}

/* A moving background: plate frame N over clip frame N, the clip (10 frames) looping under
 * the plate (48 frames); seeking and playing alike. Switching to a still and back keeps
 * the pipeline and its keyer. */
static void
test_clip_background (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = media_test_make_counter_clip (fixture->dir, "counter.webm", 160, 90,
                                                        24, 1, 10);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelClipFrames) clip = NULL;

  /* From an asset's bytes, as the Preview makes it, or from a file. */
  if (GPOINTER_TO_INT (data))
    {
      char *contents;
      gsize length;
      g_autoptr(GBytes) bytes = NULL;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      bytes = g_bytes_new_take (contents, length);
      clip = reel_clip_frames_new_for_bytes (bytes);
    }
  else
    clip = reel_clip_frames_new_for_file (file);

  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) keyer = NULL;
  g_autoptr(GstElement) keyer_after = NULL;
  static const gint64 frames[] = { 0, 3, 9, 10, 17, 45, 2 };
  GstElement *pipeline;
  cairo_surface_t *blue;
  gint64 last_counter = -1;
  guint n_checked = 0;

  g_assert_true (reel_clip_frames_open (clip, &error));
  g_assert_no_error (error);
  g_assert_cmpint (reel_clip_frames_get_n_frames (clip), ==, 10);

  open_keyed (fixture, RED);
  pipeline = reel_preview_pipeline_get_element (fixture->preview);
  keyer = gst_bin_get_by_name (GST_BIN (pipeline), "key");
  reel_preview_pipeline_set_background_clip (fixture->preview, clip);

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      CounterWait wait = { fixture, frames[i], frames[i] % 10 };

      reel_preview_pipeline_seek_frame (fixture->preview, frames[i]);
      media_test_wait_until (counter_at_position, &wait, 20000);
      /* The plate is there too: the background only where it was green. */
      g_assert_cmpfloat (share_of_color (current_texture (fixture),
                                         media_test_counter_color (frames[i] % 10), 24), <,
                         0.995);
    }

  /* Playing: each frame shown, at the position it was shown, has the clip's frame under. */
  reel_preview_pipeline_seek_frame (fixture->preview, 0);
  {
    CounterWait wait = { fixture, 0, 0 };

    media_test_wait_until (counter_at_position, &wait, 20000);
  }
  reel_preview_pipeline_play (fixture->preview);
  while (reel_preview_pipeline_get_playing (fixture->preview))
    {
      GdkTexture *texture;
      gint64 counter;

      g_main_context_iteration (NULL, TRUE);
      /* At the end the playhead moves to the last frame before its picture comes. */
      if (!reel_preview_pipeline_get_playing (fixture->preview))
        break;
      texture = current_texture (fixture);
      counter = counter_shown (texture);
      g_assert_cmpint (counter, >=, 0);
      if (counter != last_counter)
        {
          g_test_message ("position %" G_GINT64_FORMAT ": background %" G_GINT64_FORMAT,
                          reel_preview_pipeline_get_position (fixture->preview), counter);
          /* Late frames may be dropped on a busy machine (any number of them under a
           * sanitizer), but the frame shown has the clip's frame of the same number
           * under it, round the loop. */
          g_assert_cmpint (counter, ==, reel_preview_pipeline_get_position (fixture->preview)
                                        % 10);
          last_counter = counter;
          n_checked++;
        }
    }
  g_test_message ("%u background frames seen playing", n_checked);
  g_assert_cmpuint (n_checked, >=, 10);
  {
    CounterWait wait = { fixture, 47, 47 % 10 };

    media_test_wait_until (counter_at_position, &wait, 20000);
  }

  /* To the still and back: the same pipeline and keyer, no rebuild. */
  blue = media_test_solid_surface (BLUE, 64, 36);
  reel_preview_pipeline_set_background (fixture->preview, blue);
  reel_preview_pipeline_set_background_clip (fixture->preview, NULL);
  cairo_surface_destroy (blue);
  wait_frame_current (fixture);
  g_assert_cmpfloat (share_of_color (current_texture (fixture), BLUE, 24), >, 0.5);
  reel_preview_pipeline_set_background_clip (fixture->preview, clip);
  wait_frame_current (fixture);
  g_assert_cmpint (counter_shown (current_texture (fixture)), ==, 47 % 10);
  g_assert_true (reel_preview_pipeline_get_element (fixture->preview) == pipeline);
  keyer_after = gst_bin_get_by_name (GST_BIN (pipeline), "key");
  g_assert_true (keyer_after == keyer);
}

/* Frames of a clip by number, for still exports: the first, any, and past the end. */
/* A clip at another rate than the plate (24 fps) shows, under plate frame N, its own
 * frame at that time: a 30 fps counter moves on five frames for every four of the plate,
 * a 12 fps one one for every two; both loop after 16 frames. */
static void
test_clip_rates (Fixture       *fixture,
                 gconstpointer  data)
{
  static const int rates[] = { 30, 12 };
  static const gint64 frames[] = { 0, 3, 4, 9, 12, 13, 27 };

  open_keyed (fixture, RED);
  for (guint r = 0; r < G_N_ELEMENTS (rates); r++)
    {
      g_autofree char *name = g_strdup_printf ("counter-%d.webm", rates[r]);
      g_autofree char *path = media_test_make_counter_clip (fixture->dir, name, 160, 90,
                                                            rates[r], 1, 16);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(ReelClipFrames) clip = reel_clip_frames_new_for_file (file);
      g_autoptr(GError) error = NULL;

      g_assert_true (reel_clip_frames_open (clip, &error));
      g_assert_no_error (error);
      g_assert_cmpint (reel_clip_frames_get_n_frames (clip), ==, 16);
      reel_preview_pipeline_set_background_clip (fixture->preview, clip);

      for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
        {
          CounterWait wait = { fixture, frames[i], frames[i] * rates[r] / 24 % 16 };

          reel_preview_pipeline_seek_frame (fixture->preview, frames[i]);
          media_test_wait_until (counter_at_position, &wait, 20000);
          g_test_message ("%d fps clip under plate frame %" G_GINT64_FORMAT ": clip frame %"
                          G_GINT64_FORMAT, rates[r], frames[i], wait.counter);
        }
    }
}

static void
test_clip_frames (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = media_test_make_counter_clip (fixture->dir, "counter.webm", 160, 90,
                                                        24, 1, 12);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ReelAsset) asset = NULL;
  g_autoptr(GError) error = NULL;
  static const gint64 frames[] = { 0, 7, 11, 12, 3, 30 };
  gchar *contents;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  bytes = g_bytes_new_take (contents, length);
  asset = reel_asset_new_video (bytes, REEL_MIME_WEBM, 160, 90, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      cairo_surface_t *surface = reel_clip_frames_extract_surface (asset, frames[i], &error);
      guint32 pixel, expected = media_test_counter_color (frames[i] % 12);
      guint8 rgb[3];

      g_assert_no_error (error);
      g_assert_nonnull (surface);
      g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 160);
      g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 90);
      pixel = *(guint32 *) (cairo_image_surface_get_data (surface)
                            + 45 * cairo_image_surface_get_stride (surface) + 80 * 4);
      rgb[0] = (pixel >> 16) & 0xff;
      rgb[1] = (pixel >> 8) & 0xff;
      rgb[2] = pixel & 0xff;
      g_test_message ("frame %" G_GINT64_FORMAT ": %02x%02x%02x, expected %06x", frames[i],
                      rgb[0], rgb[1], rgb[2], expected);
      g_assert_true (media_test_is_color (rgb, expected, 24));
      cairo_surface_destroy (surface);
    }

  /* Not a video: a clear error, no surface. */
  {
    g_autoptr(GBytes) junk = g_bytes_new_static ("not a video at all", 18);
    g_autoptr(ReelClipFrames) frames_of_junk = reel_clip_frames_new_for_bytes (junk);

    g_assert_false (reel_clip_frames_open (frames_of_junk, &error));
    g_assert_nonnull (error);
    g_test_message ("%s", error->message);
    g_clear_error (&error);
  }
}

/* Placement: a plate scaled to half its size leaves a background border all round. */
static void
test_plate_placement (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree guint8 *pixels = NULL;
  GdkTexture *texture;
  guint border = 0, border_background = 0;

  open_keyed (fixture, RED);
  /* Key nothing (a key colour that is not in the picture): only the placement shows. */
  reel_preview_pipeline_set_key (fixture->preview, 0xff00ff, 0.05, 0.0, 0.0);
  reel_preview_pipeline_set_plate_placement (fixture->preview, 0.5, 0.0, 0.0);
  wait_frame_current (fixture);

  texture = current_texture (fixture);
  pixels = media_test_texture_rgb (texture);
  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH; x++)
      {
        gboolean inside = x >= WIDTH / 4 + 2 && x < WIDTH * 3 / 4 - 2
                          && y >= HEIGHT / 4 + 2 && y < HEIGHT * 3 / 4 - 2;
        gboolean outside = x < WIDTH / 4 - 2 || x >= WIDTH * 3 / 4 + 2
                           || y < HEIGHT / 4 - 2 || y >= HEIGHT * 3 / 4 + 2;
        const guint8 *pixel = pixels + ((gsize) y * WIDTH + x) * 3;

        if (outside)
          {
            border++;
            border_background += media_test_is_color (pixel, RED, 8);
          }
        else if (inside)
          {
            g_assert_false (media_test_is_color (pixel, RED, 8));
          }
      }

  g_assert_cmpuint (border_background, ==, border);

  /* Moved right by a quarter of the frame: the left half is all background. */
  reel_preview_pipeline_set_plate_placement (fixture->preview, 0.5, 0.25, 0.0);
  wait_frame_current (fixture);
  g_clear_pointer (&pixels, g_free);
  pixels = media_test_texture_rgb (current_texture (fixture));
  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH / 2 - 2; x++)
      g_assert_true (media_test_is_color (pixels + ((gsize) y * WIDTH + x) * 3, RED, 8));
}

/* A spot of @fixture's plate, in pixels of frame 0, that is green well around it (away
 * from the ball). */
static void
find_green_spot (Fixture *fixture,
                 int     *x,
                 int     *y)
{
  g_autofree guint8 *reference = media_test_decode_frame_rgb (fixture->plate, 0, WIDTH, HEIGHT);

  *x = *y = -1;
  for (int j = 10; j < HEIGHT - 10 && *x < 0; j += 10)
    for (int i = 10; i < WIDTH - 10 && *x < 0; i += 10)
      {
        gboolean all_green = TRUE;

        for (int dj = -6; dj <= 6; dj++)
          for (int di = -6; di <= 6; di++)
            all_green &= media_test_is_color (reference + ((gsize) (j + dj) * WIDTH + i + di) * 3,
                                              MEDIA_TEST_GREEN, 60);
        if (all_green)
          {
            *x = i;
            *y = j;
          }
      }
  g_assert_cmpint (*x, >=, 0);
}

static void
assert_picks_green (Fixture *fixture,
                    int      x,
                    int      y)
{
  guint32 rgb = 0;
  guint8 picked[3];

  g_assert_true (reel_preview_pipeline_pick_color (fixture->preview,
                                                   (x + 0.5) / WIDTH, (y + 0.5) / HEIGHT,
                                                   &rgb));
  picked[0] = (rgb >> 16) & 0xff;
  picked[1] = (rgb >> 8) & 0xff;
  picked[2] = rgb & 0xff;
  g_test_message ("picked #%06x", rgb);
  g_assert_true (media_test_is_color (picked, MEDIA_TEST_GREEN, 40));
}

/* The eyedropper reads the plate's colour, not the composite's. */
static void
test_eyedropper (Fixture       *fixture,
                 gconstpointer  data)
{
  int x, y;

  open_keyed (fixture, RED);
  find_green_spot (fixture, &x, &y);
  assert_picks_green (fixture, x, y);
}

static gboolean
texture_width_is (gpointer data)
{
  gpointer *args = data;
  GdkTexture *texture = current_texture (args[0]);

  return texture != NULL && gdk_texture_get_width (texture) == GPOINTER_TO_INT (args[1]);
}

/* A click with the eyedropper while the keyer renegotiates after a resize (new formats
 * in, no frame in them yet) reads the frame still on screen instead of finding none. */
static void
test_eyedropper_renegotiation (Fixture       *fixture,
                               gconstpointer  data)
{
  GstElement *pipeline;
  g_autoptr(GstElement) keyer = NULL;
  g_autoptr(GstPad) keyer_sink = NULL;
  g_autoptr(GstPad) keyer_src = NULL;
  g_autoptr(GstCaps) caps = NULL;
  gint held = FALSE;
  gulong probe;
  int x, y, width = 0;
  gpointer args[] = { fixture, GINT_TO_POINTER (240) };

  open_keyed (fixture, RED);
  media_test_wait_until (has_texture, fixture, 20000);
  find_green_spot (fixture, &x, &y);

  pipeline = reel_preview_pipeline_get_element (fixture->preview);
  keyer = gst_bin_get_by_name (GST_BIN (pipeline), "key");
  keyer_sink = gst_element_get_static_pad (keyer, "sink");
  keyer_src = gst_element_get_static_pad (keyer, "src");
  probe = gst_pad_add_probe (keyer_sink, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BLOCK,
                             hold_frame, &held, NULL);

  /* Three quarters of the size: the plate is scaled to it, so the keyer's formats change
   * on both sides before the frame in them, which is held on its way in. */
  reel_preview_pipeline_set_output_size (fixture->preview, 240, 134);
  media_test_wait_until (flag_set, &held, 20000);
  caps = gst_pad_get_current_caps (keyer_src);
  g_assert_nonnull (caps);
  g_assert_true (gst_structure_get_int (gst_caps_get_structure (caps, 0), "width", &width));
  g_assert_cmpint (width, ==, 240);
  g_assert_cmpint (gdk_texture_get_width (current_texture (fixture)), ==, WIDTH);

  /* The picture on screen is still the old frame: the pick reads it. */
  assert_picks_green (fixture, x, y);

  /* And the frame in the new size, once it is in. */
  gst_pad_remove_probe (keyer_sink, probe);
  media_test_wait_until (texture_width_is, args, 20000);
  assert_picks_green (fixture, x, y);
}

/* Blocks until @context has a source ready to dispatch, without dispatching it; fails the
 * test after @timeout_ms (never less than REEL_TEST_DEADLINE_MS). */
static void
wait_context_ready (GMainContext *context,
                    guint         timeout_ms)
{
  gint64 deadline = g_get_monotonic_time ()
                    + (gint64) MAX (timeout_ms, REEL_TEST_DEADLINE_MS) * 1000;
  GPollFD fds[32];
  gboolean ready = FALSE;

  g_assert_true (g_main_context_acquire (context));
  while (!ready && g_get_monotonic_time () < deadline)
    {
      gint priority, timeout, n_fds;

      ready = g_main_context_prepare (context, &priority);
      n_fds = g_main_context_query (context, priority, &timeout, fds, G_N_ELEMENTS (fds));
      g_assert_cmpint (n_fds, <=, G_N_ELEMENTS (fds));
      if (!ready)
        {
          gint remaining = (gint) ((deadline - g_get_monotonic_time ()) / 1000);

          g_poll (fds, n_fds, timeout < 0 ? MAX (remaining, 0) : MIN (timeout, MAX (remaining, 0)));
        }
      ready = g_main_context_check (context, priority, fds, n_fds) || ready;
    }
  g_main_context_release (context);
  g_assert_true (ready);
}

/* A paused recomposite (after a settings change) of the frame before a seek, whose result
 * comes back only after the seek's frame is on screen, must not replace it: the picture
 * stays on the frame sought. The plate is a frame counter, keyed by nothing. */
static void
test_late_recomposite_after_seek (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *counter = media_test_make_counter_clip (fixture->dir, "counter.webm",
                                                           WIDTH, HEIGHT, 24, 1, 12);
  g_autoptr(GMainContext) results = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  GstElement *pipeline;
  g_autoptr(GstElement) keyer = NULL;
  g_autoptr(GstPad) keyer_sink = NULL;
  CounterWait first = { fixture, 0, 0 };
  CounterWait sought = { fixture, 10, 10 };
  gint held = FALSE;
  gulong probe;

  reel_preview_pipeline_set_key (fixture->preview, MEDIA_TEST_GREEN, 0.4, 0.1, 0.5);
  g_assert_true (open_plate (fixture->preview, counter, &error));
  g_assert_no_error (error);
  media_test_wait_until (counter_at_position, &first, 20000);
  wait_frame_current (fixture);

  /* Frame 10 is held before the keyer, which still has frame 0 as its last. */
  pipeline = reel_preview_pipeline_get_element (fixture->preview);
  keyer = gst_bin_get_by_name (GST_BIN (pipeline), "key");
  keyer_sink = gst_element_get_static_pad (keyer, "sink");
  probe = gst_pad_add_probe (keyer_sink, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BLOCK,
                             hold_frame, &held, NULL);
  reel_preview_pipeline_seek_frame (fixture->preview, 10);
  media_test_wait_until (flag_set, &held, 20000);

  /* A settings change recomposites frame 0 on a worker thread; its result is delivered to
   * a context of its own, left alone until frame 10 is on screen. */
  g_main_context_push_thread_default (results);
  reel_preview_pipeline_set_key (fixture->preview, MEDIA_TEST_GREEN, 0.3, 0.1, 0.5);
  g_main_context_pop_thread_default (results);
  wait_context_ready (results, 20000);

  gst_pad_remove_probe (keyer_sink, probe);
  media_test_wait_until (counter_at_position, &sought, 20000);

  /* The late result of frame 0 comes back now, and whatever it shows is presented. */
  while (g_main_context_iteration (results, FALSE))
    ;
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_assert_cmpint (counter_shown (current_texture (fixture)), ==, 10);
  g_assert_cmpint (reel_preview_pipeline_get_position (fixture->preview), ==, 10);
}

static gboolean
position_is (gpointer data)
{
  gpointer *args = data;
  Fixture *fixture = args[0];

  return reel_preview_pipeline_get_position (fixture->preview) == *(gint64 *) args[1];
}

static void
wait_for_position (Fixture *fixture,
                   gint64   frame)
{
  gpointer args[] = { fixture, &frame };

  media_test_wait_until (position_is, args, 10000);
}

/* Transport at the project's rate: seek, step both ways, duration, end of file. */
static void
test_transport (Fixture       *fixture,
                gconstpointer  data)
{
  gboolean playing;

  open_keyed (fixture, RED);
  g_assert_cmpint (reel_preview_pipeline_get_duration (fixture->preview), ==, 48);
  g_assert_cmpint (reel_preview_pipeline_get_position (fixture->preview), ==, 0);

  reel_preview_pipeline_seek_frame (fixture->preview, 10);
  wait_for_position (fixture, 10);
  reel_preview_pipeline_step (fixture->preview, 1);
  wait_for_position (fixture, 11);
  reel_preview_pipeline_step (fixture->preview, -1);
  wait_for_position (fixture, 10);
  reel_preview_pipeline_step (fixture->preview, -20);
  wait_for_position (fixture, 0);
  reel_preview_pipeline_seek_frame (fixture->preview, 1000);
  wait_for_position (fixture, 47);

  /* The same 2 s counted at 25 fps. */
  reel_preview_pipeline_set_frame_rate (fixture->preview, 25, 1);
  g_assert_cmpint (reel_preview_pipeline_get_duration (fixture->preview), ==, 50);
  reel_preview_pipeline_set_frame_rate (fixture->preview, 24, 1);

  /* Without loop, the end pauses; play starts again from the top. */
  reel_preview_pipeline_seek_frame (fixture->preview, 40);
  wait_for_position (fixture, 40);
  reel_preview_pipeline_play (fixture->preview);
  g_assert_true (reel_preview_pipeline_get_playing (fixture->preview));
  do
    {
      g_main_context_iteration (NULL, TRUE);
      playing = reel_preview_pipeline_get_playing (fixture->preview);
    }
  while (playing);
  g_assert_cmpint (reel_preview_pipeline_get_position (fixture->preview), ==, 47);
}

/* The same through ReelPlayback, the one path the transport bar takes. */
static void
test_playback_interface (Fixture       *fixture,
                         gconstpointer  data)
{
  open_keyed (fixture, RED);
  media_test_check_playback (REEL_PLAYBACK (fixture->preview), 48);
}

static void
test_loop (Fixture       *fixture,
           gconstpointer  data)
{
  gint64 highest = 0;
  gboolean wrapped = FALSE;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  open_keyed (fixture, RED);
  reel_preview_pipeline_set_loop (fixture->preview, TRUE);
  reel_preview_pipeline_seek_frame (fixture->preview, 36);
  wait_for_position (fixture, 36);
  reel_preview_pipeline_play (fixture->preview);

  while (!wrapped && g_get_monotonic_time () < deadline)
    {
      gint64 position;

      g_main_context_iteration (NULL, TRUE);
      position = reel_preview_pipeline_get_position (fixture->preview);
      if (position < highest)
        wrapped = TRUE;
      highest = MAX (highest, position);
    }

  g_assert_true (wrapped);
  g_assert_cmpint (highest, ==, 47);
  g_assert_true (reel_preview_pipeline_get_playing (fixture->preview));
}

/* Plate audio plays through a volume that Mute silences. */
static void
test_audio_mute (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *with_audio = media_test_make_plate (fixture->dir, "talk.mkv",
                                                       WIDTH, HEIGHT, 24, 1, 24);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) volume = NULL;
  gboolean mute = FALSE;

  reel_preview_pipeline_set_muted (fixture->preview, TRUE);
  g_assert_true (open_plate (fixture->preview, with_audio, &error));
  g_assert_no_error (error);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (reel_preview_pipeline_get_has_audio (fixture->preview));

  volume = gst_bin_get_by_name (GST_BIN (reel_preview_pipeline_get_element (fixture->preview)),
                                "volume");
  g_assert_nonnull (volume);
  g_object_get (volume, "mute", &mute, NULL);
  g_assert_true (mute);

  reel_preview_pipeline_set_muted (fixture->preview, FALSE);
  g_object_get (volume, "mute", &mute, NULL);
  g_assert_false (mute);

  g_assert_true (open_plate (fixture->preview, fixture->plate, &error));
  g_assert_false (reel_preview_pipeline_get_has_audio (fixture->preview));
}

static void
test_missing_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "moved-away.mov", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (open_plate (fixture->preview, path, &error));
  g_assert_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "moved-away.mov"));
  g_assert_null (reel_preview_pipeline_get_element (fixture->preview));
  g_assert_null (current_texture (fixture));
}

static void
test_not_media (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "take 3.mp4", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "These are not the frames you are looking for.\n"
                                      "Just text in a file named like a video.\n", -1, NULL));
  g_assert_false (open_plate (fixture->preview, path, &error));
  g_assert_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NOT_MEDIA);
  g_assert_nonnull (strstr (error->message, "take 3.mp4"));
  g_assert_null (current_texture (fixture));
}

/* A file whose codec no installed plugin decodes: the VP8 decoders are taken out of the
 * registry of a child process, as on a system without them. The message names the codec
 * the way GStreamer's installer helper does. */
static void
test_missing_decoder (Fixture       *fixture,
                      gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GstCaps) vp8 = gst_caps_new_empty_simple ("video/x-vp8");
      g_autofree char *codec = gst_pb_utils_get_decoder_description (vp8);
      GList *decoders = gst_element_factory_list_get_elements (GST_ELEMENT_FACTORY_TYPE_DECODER,
                                                               GST_RANK_NONE);
      GList *vp8_decoders = gst_element_factory_list_filter (decoders, vp8, GST_PAD_SINK, FALSE);
      g_autoptr(GError) error = NULL;

      g_assert_nonnull (vp8_decoders);
      for (GList *l = vp8_decoders; l != NULL; l = l->next)
        gst_registry_remove_feature (gst_registry_get (), l->data);
      gst_plugin_feature_list_free (vp8_decoders);
      gst_plugin_feature_list_free (decoders);

      g_assert_false (open_plate (fixture->preview, fixture->plate, &error));
      g_assert_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_CODEC);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "ball.webm"));
      g_assert_nonnull (strstr (error->message, codec));
      g_assert_null (current_texture (fixture));
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* Cancelling an open leaves nothing behind. */
static void
test_cancel_open (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_for_path (fixture->plate);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  reel_preview_pipeline_open_async (fixture->preview, file, cancellable,
                                    media_test_store_result, &result);
  g_cancellable_cancel (cancellable);
  media_test_wait_result (&result, 10000);

  /* It may have finished before the cancel was seen; then it is open and usable. */
  if (reel_preview_pipeline_open_finish (fixture->preview, result, &error))
    g_assert_nonnull (reel_preview_pipeline_get_element (fixture->preview));
  else
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_null (reel_preview_pipeline_get_element (fixture->preview));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  media_test_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add ("/media/preview/key-composite", Fixture, GINT_TO_POINTER (1),
              fixture_set_up, test_key_composite, fixture_tear_down);
  g_test_add ("/media/preview/key-composite-half-size", Fixture, GINT_TO_POINTER (2),
              fixture_set_up, test_key_composite, fixture_tear_down);
  ADD ("/media/preview/switch-background", test_switch_background);
  ADD ("/media/preview/late-frame-rekeyed", test_late_frame_rekeyed);
  ADD ("/media/preview/late-recomposite-after-seek", test_late_recomposite_after_seek);
  ADD ("/media/preview/clip-background", test_clip_background);
  g_test_add ("/media/preview/clip-background-bytes", Fixture, GINT_TO_POINTER (1),
              fixture_set_up, test_clip_background, fixture_tear_down);
  ADD ("/media/preview/clip-frames", test_clip_frames);
  ADD ("/media/preview/clip-rates", test_clip_rates);
  ADD ("/media/preview/plate-placement", test_plate_placement);
  ADD ("/media/preview/eyedropper", test_eyedropper);
  ADD ("/media/preview/eyedropper-renegotiation", test_eyedropper_renegotiation);
  ADD ("/media/preview/transport", test_transport);
  ADD ("/media/preview/loop", test_loop);
  ADD ("/media/preview/playback-interface", test_playback_interface);
  ADD ("/media/preview/audio-mute", test_audio_mute);
  ADD ("/media/preview/missing-file", test_missing_file);
  ADD ("/media/preview/not-media", test_not_media);
  ADD ("/media/preview/missing-decoder", test_missing_decoder);
  ADD ("/media/preview/cancel-open", test_cancel_open);

#undef ADD

  return g_test_run ();
}
