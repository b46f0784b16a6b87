/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <gst/app/app.h>
#include <gst/pbutils/pbutils.h>
#include <gst/video/video.h>
#include <string.h>

#include "core/reel-optics.h"
#include "core/reel-project.h"
#include "media/reel-animatic.h"
#include "media/reel-animatic-player.h"
#include "media/reel-media-error.h"
#include "media-test-util.h"

#define SKY  0x3070c0  /* the background of every test shot */
#define SIZE 320       /* the animatic's long side: small, to keep the tests quick */

typedef struct
{
  char *dir;
  char *plate;
  ReelProject *project;
} Fixture;

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static ReelAsset *
solid_png_asset (guint32 rgb)
{
  cairo_surface_t *surface = media_test_solid_surface (rgb, 192, 108);
  GByteArray *png = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  ReelAsset *asset;

  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_bytes, png), ==,
                   CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  bytes = g_byte_array_free_to_bytes (png);

  asset = reel_asset_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  return asset;
}

static ReelShot *
add_shot (ReelProject *project,
          ReelScene   *scene,
          const char  *number,
          const char  *description,
          gint64       duration,
          const char  *background)
{
  g_autoptr(ReelShot) shot = reel_shot_new ();

  reel_shot_set_number (shot, number);
  reel_shot_set_description (shot, description);
  reel_shot_set_duration (shot, duration);
  reel_shot_set_background (shot, background);
  reel_scene_append_shot (scene, shot);

  return shot;
}

/* Scene 1: a still (24 frames), the plate shot (37 frames, longer than its 24-frame
 * plate), a still (13 frames). Scene 2: one still of 10 frames. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const ReelFrameRate *rate = data;
  g_autoptr(ReelAsset) sky = solid_png_asset (SKY);
  g_autoptr(ReelScene) first = reel_scene_new ();
  g_autoptr(ReelScene) second = reel_scene_new ();
  g_autoptr(ReelPlate) plate = NULL;
  ReelAsset *stored;
  ReelShot *keyed;

  fixture->dir = media_test_make_dir ();
  fixture->plate = media_test_make_plate (fixture->dir, "plate.webm", 320, 180, 24, 1, 24);

  fixture->project = reel_project_new ();
  reel_project_set_frame_rate (fixture->project, *rate);
  reel_project_set_aspect_ratio (fixture->project, 1.78);
  stored = reel_project_add_asset (fixture->project, sky);

  reel_scene_set_number (first, "1");
  reel_scene_set_location (first, "HARBOUR");
  reel_project_append_scene (fixture->project, first);
  reel_scene_set_number (second, "2");
  reel_project_append_scene (fixture->project, second);

  add_shot (fixture->project, first, "1A", "The harbour at dawn", 24, reel_asset_get_hash (stored));
  keyed = add_shot (fixture->project, first, "1B", "Mara walks the pier", 37,
                    reel_asset_get_hash (stored));
  add_shot (fixture->project, first, "1C", "", 13, reel_asset_get_hash (stored));
  add_shot (fixture->project, second, "2A", "Gulls", 10, NULL);

  plate = reel_plate_new (fixture->plate);
  reel_plate_set_key_color (plate, MEDIA_TEST_GREEN);
  reel_shot_set_plate (keyed, plate);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->project);
  media_test_remove_dir (fixture->dir);
  g_free (fixture->plate);
  g_free (fixture->dir);
}

static char *
render (Fixture            *fixture,
        ReelScene          *scene,
        ReelAnimaticFormat  format,
        gboolean            captions,
        GError            **error)
{
  g_autofree char *name = g_strdup_printf ("reel.%s", reel_animatic_format_get_extension (format));
  char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(ReelAnimatic) animatic = reel_animatic_new (fixture->project, scene, NULL);
  g_autoptr(GFile) output = g_file_new_for_path (path);

  reel_animatic_set_size (animatic, SIZE);
  reel_animatic_set_captions (animatic, captions);
  if (!reel_animatic_build (animatic, NULL, error)
      || !reel_animatic_render (animatic, format, output, NULL, NULL, NULL, error))
    {
      g_free (path);
      return NULL;
    }

  return path;
}

static guint
count_frames (const char *path)
{
  g_autofree char *uri = gst_filename_to_uri (path, NULL);
  g_autofree char *description = g_strdup_printf ("uridecodebin uri=\"%s\" ! fakesink name=sink "
                                                  "sync=false signal-handoffs=true", uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  guint frames = 0;

  g_assert_no_error (error);
  gst_object_ref_sink (pipeline);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_signal_connect_swapped (sink, "handoff", G_CALLBACK (g_atomic_int_inc), &frames);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  message = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  return frames;
}

/* The file lasts the sum of the shot durations to the frame, says the discoverer, and it
 * holds exactly that many frames at the project's rate. */
static void
check_timing (const char    *path,
              ReelFrameRate  rate,
              gint64         frames,
              const char    *video_caps_name)
{
  g_autofree char *uri = gst_filename_to_uri (path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstDiscoverer) discoverer = gst_discoverer_new (30 * GST_SECOND, &error);
  g_autoptr(GstDiscovererInfo) info = NULL;
  GList *videos;
  GstDiscovererVideoInfo *video;
  g_autoptr(GstCaps) caps = NULL;
  GstClockTime expected = gst_util_uint64_scale_round (frames, (guint64) rate.den * GST_SECOND,
                                                       rate.num);
  GstClockTime half_frame = gst_util_uint64_scale (GST_SECOND, rate.den, 2 * rate.num);
  GstClockTime duration;

  g_assert_no_error (error);
  info = gst_discoverer_discover_uri (discoverer, uri, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gst_discoverer_info_get_result (info), ==, GST_DISCOVERER_OK);

  duration = gst_discoverer_info_get_duration (info);
  g_test_message ("%s: %" GST_TIME_FORMAT ", expected %" GST_TIME_FORMAT,
                  path, GST_TIME_ARGS (duration), GST_TIME_ARGS (expected));
  g_assert_cmpuint (duration + half_frame, >, expected);
  g_assert_cmpuint (duration, <, expected + half_frame);

  videos = gst_discoverer_info_get_video_streams (info);
  g_assert_cmpuint (g_list_length (videos), ==, 1);
  video = videos->data;
  g_assert_cmpuint (gst_discoverer_video_info_get_framerate_num (video), ==, rate.num);
  g_assert_cmpuint (gst_discoverer_video_info_get_framerate_denom (video), ==, rate.den);
  g_assert_cmpuint (gst_discoverer_video_info_get_width (video), ==, SIZE);
  g_assert_cmpuint (gst_discoverer_video_info_get_height (video), ==, 180);
  caps = gst_discoverer_stream_info_get_caps (GST_DISCOVERER_STREAM_INFO (video));
  g_assert_true (gst_structure_has_name (gst_caps_get_structure (caps, 0), video_caps_name));
  gst_discoverer_stream_info_list_free (videos);

  g_assert_cmpuint (count_frames (path), ==, frames);
}

static void
test_mp4_23976 (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = render (fixture, NULL, REEL_ANIMATIC_FORMAT_MP4, TRUE, &error);

  g_assert_no_error (error);
  check_timing (path, REEL_FRAME_RATE_INIT (24000, 1001), 24 + 37 + 13 + 10, "video/x-h264");
}

static void
test_webm_25 (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = render (fixture, NULL, REEL_ANIMATIC_FORMAT_WEBM, TRUE, &error);

  g_assert_no_error (error);
  check_timing (path, REEL_FRAME_RATE_INIT (25, 1), 24 + 37 + 13 + 10, "video/x-vp9");
}

/* The editors' format (panel clips for DaVinci Resolve): ProRes in a QuickTime .mov, every
 * frame there at the project's rate. */
static void
test_prores_24 (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = render (fixture, NULL, REEL_ANIMATIC_FORMAT_PRORES, FALSE, &error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (path, ".mov"));
  check_timing (path, REEL_FRAME_RATE_INIT (24, 1), 24 + 37 + 13 + 10, "video/x-prores");
}

/* One scene only: its shots and nothing else. */
static void
test_scene (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ReelScene *second = reel_project_get_scene (fixture->project, 1);
  g_autofree char *path = render (fixture, second, REEL_ANIMATIC_FORMAT_MP4, FALSE, &error);

  g_assert_no_error (error);
  check_timing (path, REEL_FRAME_RATE_INIT (25, 1), 10, "video/x-h264");

  /* Without captions nothing bright is drawn over the grey panel. */
  {
    g_autofree guint8 *frame = media_test_decode_frame_rgb (path, 5, SIZE, 180);

    for (guint i = 0; i < SIZE * 180; i++)
      g_assert_false (frame[i * 3] > 200 && frame[i * 3 + 1] > 200 && frame[i * 3 + 2] > 200);
  }
}

/* A scene whose length falls between nanoseconds at its rate (24 fps: 74 frames last
 * 3.0833… s, 10 frames 0.4166… s) holds exactly its shots' frames, not one more: with its
 * plate shot (scene 1: 24 + 37 + 13) and with stills alone (scene 2). */
static void
test_scene_frames (Fixture       *fixture,
                   gconstpointer  data)
{
  const ReelFrameRate *rate = data;
  struct {
    guint scene;
    gint64 frames;
  } scenes[] = { { 0, 24 + 37 + 13 }, { 1, 10 } };

  for (guint i = 0; i < G_N_ELEMENTS (scenes); i++)
    {
      ReelScene *scene = reel_project_get_scene (fixture->project, scenes[i].scene);
      g_autoptr(ReelAnimatic) animatic = reel_animatic_new (fixture->project, scene, NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;

      g_assert_cmpint (reel_animatic_get_duration (animatic), ==, scenes[i].frames);
      path = render (fixture, scene, REEL_ANIMATIC_FORMAT_MP4, TRUE, &error);
      g_assert_no_error (error);
      check_timing (path, *rate, scenes[i].frames, "video/x-h264");
    }
}

/* What the frames show: the keyed plate over the sky in the plate shot (and the sky alone
 * once the plate has run out), the panel in the others, the caption at the bottom. */
static void
test_pictures (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *with_captions = render (fixture, NULL, REEL_ANIMATIC_FORMAT_MP4, TRUE, &error);
  g_autofree guint8 *still = NULL;
  g_autofree guint8 *keyed = NULL;
  g_autofree guint8 *after_plate = NULL;
  g_autofree guint8 *plate = NULL;
  guint sky = 0, ball = 0, caption = 0, n = SIZE * 180;

  g_assert_no_error (error);

  /* Frame 12: shot 1A, the panel: the sky (no sketch) with a caption at the bottom. */
  still = media_test_decode_frame_rgb (with_captions, 12, SIZE, 180);
  for (guint i = 0; i < n; i++)
    {
      if (media_test_is_color (still + i * 3, SKY, 24))
        sky++;
      else if (i / SIZE >= 140 && still[i * 3] > 200 && still[i * 3 + 1] > 200)
        caption++;
    }
  g_test_message ("still: %u sky, %u caption pixels", sky, caption);
  g_assert_cmpuint (sky, >, n * 9 / 10);
  g_assert_cmpuint (caption, >, 10);

  /* Frame 24 + 6: shot 1B, plate frame 6: no green left, the ball where the plate has it. */
  keyed = media_test_decode_frame_rgb (with_captions, 30, SIZE, 180);
  plate = media_test_decode_frame_rgb (fixture->plate, 6, SIZE, 180);
  sky = 0;
  for (guint i = 0; i < n; i++)
    {
      const guint8 *in = plate + i * 3;
      const guint8 *out = keyed + i * 3;

      g_assert_false (out[1] > 200 && out[0] < 60 && out[2] < 60);  /* no green screen */
      if (in[1] > 200 && in[0] < 60 && in[2] < 60 && i / SIZE < 140)
        sky += media_test_is_color (out, SKY, 24);
      else if (in[0] > 220 && in[1] > 220 && in[2] > 220)
        ball += out[0] > 180 && out[1] > 180 && out[2] > 180;
    }
  g_test_message ("keyed: %u sky, %u ball pixels", sky, ball);
  g_assert_cmpuint (sky, >, n / 2);
  g_assert_cmpuint (ball, >, 50);

  /* Frame 24 + 30: the plate (24 frames) is over; the placed background stays. */
  after_plate = media_test_decode_frame_rgb (with_captions, 54, SIZE, 180);
  sky = 0;
  for (guint i = 0; i < SIZE * 140; i++)
    sky += media_test_is_color (after_plate + i * 3, SKY, 24);
  g_assert_cmpuint (sky, >, SIZE * 140 * 95 / 100);
}

/* The comment tag of @path's container, as the discoverer reads it. */
static char *
read_comment (const char *path)
{
  g_autofree char *uri = gst_filename_to_uri (path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstDiscoverer) discoverer = gst_discoverer_new (30 * GST_SECOND, &error);
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autoptr(GstDiscovererStreamInfo) container = NULL;
  const GstTagList *tags;
  char *comment = NULL;

  g_assert_no_error (error);
  info = gst_discoverer_discover_uri (discoverer, uri, &error);
  g_assert_no_error (error);
  /* The container's own tags, not a stream's. */
  container = gst_discoverer_info_get_stream_info (info);
  g_assert_true (GST_IS_DISCOVERER_CONTAINER_INFO (container));
  tags = gst_discoverer_container_info_get_tags (GST_DISCOVERER_CONTAINER_INFO (container));
  g_assert_nonnull (tags);
  g_assert_true (gst_tag_list_get_string (tags, GST_TAG_COMMENT, &comment));
  g_test_message ("%s: %s", path, comment);

  return comment;
}

/* Provenance in the container: the comment names the shot whose background a model made,
 * and the model, in MP4 and WebM; without one it says so. */
static void
test_provenance_tags (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ReelAsset) generated = NULL;
  g_autoptr(ReelGenerationRecord) record = reel_generation_record_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *plain_comment = NULL;
  ReelScene *first = reel_project_get_scene (fixture->project, 0);
  ReelAsset *stored;

  /* Before: nothing was made by a model. */
  plain = render (fixture, first, REEL_ANIMATIC_FORMAT_MP4, FALSE, &error);
  g_assert_no_error (error);
  plain_comment = read_comment (plain);
  g_assert_nonnull (strstr (plain_comment, "No background was made by generative AI"));
  g_assert_null (strstr (plain_comment, "trainedAlgorithmicMedia"));

  /* Shot 1C gets a background from a model. */
  {
    g_autoptr(ReelAsset) pixels = solid_png_asset (0xc07030);

    bytes = g_bytes_ref (reel_asset_get_data (pixels));
  }
  record->provider = g_strdup ("comfyui");
  record->model = g_strdup ("sdxl-base-1.0");
  generated = reel_asset_new_generated (bytes, record, &error);
  g_assert_no_error (error);
  stored = reel_project_add_asset (fixture->project, generated);
  reel_shot_set_background (reel_scene_get_shot (first, 2), reel_asset_get_hash (stored));

  for (guint f = 0; f < 2; f++)
    {
      ReelAnimaticFormat format = f == 0 ? REEL_ANIMATIC_FORMAT_MP4 : REEL_ANIMATIC_FORMAT_WEBM;
      g_autofree char *path = render (fixture, first, format, FALSE, &error);
      g_autofree char *comment = NULL;

      g_assert_no_error (error);
      comment = read_comment (path);
      g_assert_nonnull (strstr (comment, "trainedAlgorithmicMedia): shot 1C (comfyui "
                                         "sdxl-base-1.0)."));
      g_assert_null (strstr (comment, "1A"));
      g_assert_null (strstr (comment, "1B"));
      g_assert_null (strstr (comment, "No background"));
    }

  /* Shot 1A gets a gray-box render: listed as an algorithmic render, never as AI; then
   * with 1C back on its sketch, nothing in the animatic is called AI-made. */
  {
    g_autoptr(ReelAsset) pixels = solid_png_asset (0x808080);
    g_autoptr(ReelGenerationRecord) greybox = reel_generation_record_new ();
    g_autoptr(ReelAsset) render_asset = NULL;
    g_autofree char *path = NULL;
    g_autofree char *comment = NULL;
    g_autofree char *path_only = NULL;
    g_autofree char *comment_only = NULL;

    greybox->provider = g_strdup ("greybox");
    greybox->model = g_strdup ("greybox-1");
    render_asset = reel_asset_new_generated (reel_asset_get_data (pixels), greybox, &error);
    g_assert_no_error (error);
    stored = reel_project_add_asset (fixture->project, render_asset);
    reel_shot_set_background (reel_scene_get_shot (first, 0), reel_asset_get_hash (stored));

    path = render (fixture, first, REEL_ANIMATIC_FORMAT_MP4, FALSE, &error);
    g_assert_no_error (error);
    comment = read_comment (path);
    g_assert_nonnull (strstr (comment, "trainedAlgorithmicMedia): shot 1C (comfyui "
                                       "sdxl-base-1.0). Gray-box backgrounds rendered by "
                                       "Storyreel from the 3D set, no AI model (IPTC digital "
                                       "source type algorithmicMedia): shot 1A."));
    g_assert_null (strstr (comment, "greybox"));

    reel_shot_set_background (reel_scene_get_shot (first, 2), NULL);
    path_only = render (fixture, first, REEL_ANIMATIC_FORMAT_WEBM, FALSE, &error);
    g_assert_no_error (error);
    comment_only = read_comment (path_only);
    g_assert_nonnull (strstr (comment_only, "No background was made by generative AI. "
                                            "Gray-box backgrounds"));
    g_assert_null (strstr (comment_only, "trainedAlgorithmicMedia"));
    g_assert_null (strstr (comment_only, "1C"));
  }
}

static void
on_progress (double   fraction,
             gpointer user_data)
{
  GArray *fractions = user_data;

  g_array_append_val (fractions, fraction);
}

static gboolean
progressed (gpointer data)
{
  GArray *fractions = data;

  return fractions->len > 0 && g_array_index (fractions, double, fractions->len - 1) > 0.0;
}

/* The one-call render reports progress on this thread, can be cancelled, and then leaves
 * nothing behind; a finished one replaces the output. */
static void
test_render_async (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "story reel.mp4", NULL);
  g_autoptr(GFile) output = g_file_new_for_path (path);
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  /* Long enough to be cancelled in the middle. */
  for (guint i = 0; i < reel_scene_get_n_shots (reel_project_get_scene (fixture->project, 0)); i++)
    reel_shot_set_duration (reel_scene_get_shot (reel_project_get_scene (fixture->project, 0), i),
                            2000);

  reel_animatic_render_async (fixture->project, NULL, NULL, REEL_ANIMATIC_FORMAT_MP4, output,
                              on_progress, g_array_ref (fractions),
                              (GDestroyNotify) g_array_unref, cancellable,
                              media_test_store_result, &result);
  media_test_wait_until (progressed, fractions, 120000);
  g_cancellable_cancel (cancellable);
  media_test_wait_result (&result, 60000);

  g_assert_false (reel_animatic_render_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  dir = g_dir_open (fixture->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_suffix (name, ".part"));

  /* Progress only goes forward, within 0..1. */
  for (guint i = 1; i < fractions->len; i++)
    {
      g_assert_cmpfloat (g_array_index (fractions, double, i), >=,
                         g_array_index (fractions, double, i - 1));
      g_assert_cmpfloat (g_array_index (fractions, double, i), <=, 1.0);
    }
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(ReelProject) empty = reel_project_new ();
  g_autoptr(ReelAnimatic) animatic = reel_animatic_new (empty, NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (reel_animatic_build (animatic, NULL, &error));
  g_assert_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_EMPTY);
}

/* A missing plate does not stop the reel: its shot shows as a panel. */
static void
test_missing_plate (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_assert_cmpint (g_remove (fixture->plate), ==, 0);
  path = render (fixture, NULL, REEL_ANIMATIC_FORMAT_MP4, FALSE, &error);
  g_assert_no_error (error);
  check_timing (path, REEL_FRAME_RATE_INIT (25, 1), 24 + 37 + 13 + 10, "video/x-h264");
}

/* Moving backgrounds */

/* Which counter colour most of the pixels of @frame where @mask is set show, if at least
 * @share of them do; else -1. A NULL mask takes every pixel. */
static gint64
counter_in (const guint8 *frame,
            const guint8 *mask,
            double        share)
{
  for (gint64 c = 0; c < MEDIA_TEST_COUNTER_COLORS; c++)
    {
      guint32 rgb = media_test_counter_color (c);
      guint n = 0, hits = 0;

      for (guint i = 0; i < SIZE * 180; i++)
        {
          if (mask != NULL && !mask[i])
            continue;
          n++;
          hits += media_test_is_color (frame + i * 3, rgb, 24);
        }
      if (n > 0 && hits >= share * n)
        return c;
    }
  return -1;
}

static GArray *decode_pcm (const char *path);
static double level_db (GArray *samples,
                        double  start,
                        double  end);

/* A generated clip as the background: under the plate of 1B, frame N of the shot shows
 * clip frame N where the plate is green, looping (10 frames) and on after the plate's 24
 * frames end; 1C has no plate and plays the clip on its own from its own first frame. */
static void
test_clip_background (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *clip_path = media_test_make_counter_clip (fixture->dir, "counter.webm",
                                                             160, 90, 24, 1, 10);
  g_autoptr(ReelAsset) video = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  ReelScene *first = reel_project_get_scene (fixture->project, 0);
  ReelAsset *stored;
  static const int plate_frames[] = { 0, 3, 9, 10, 12, 23 };
  static const int after_plate[] = { 24, 29, 30, 36 };
  static const int own_frames[] = { 0, 5, 9, 10, 11, 12 };
  char *contents;
  gsize length;

  g_assert_true (g_file_get_contents (clip_path, &contents, &length, NULL));
  bytes = g_bytes_new_take (contents, length);
  video = reel_asset_new_video (bytes, REEL_MIME_WEBM, 160, 90, NULL);
  stored = reel_project_add_asset (fixture->project, video);
  reel_shot_set_background (reel_scene_get_shot (first, 1), reel_asset_get_hash (stored));
  reel_shot_set_background (reel_scene_get_shot (first, 2), reel_asset_get_hash (stored));

  path = render (fixture, NULL, REEL_ANIMATIC_FORMAT_MP4, FALSE, &error);
  g_assert_no_error (error);
  check_timing (path, REEL_FRAME_RATE_INIT (24, 1), 24 + 37 + 13 + 10, "video/x-h264");

  for (guint i = 0; i < G_N_ELEMENTS (plate_frames); i++)
    {
      int k = plate_frames[i];
      g_autofree guint8 *frame = media_test_decode_frame_rgb (path, 24 + k, SIZE, 180);
      g_autofree guint8 *plate = media_test_decode_frame_rgb (fixture->plate, k, SIZE, 180);
      g_autofree guint8 *green = g_malloc0 (SIZE * 180);
      gint64 shown;

      /* Where the plate is surely green, away from the ball's soft edge. */
      for (guint p = 0; p < SIZE * 180; p++)
        green[p] = plate[p * 3 + 1] > 200 && plate[p * 3] < 40 && plate[p * 3 + 2] < 40;
      shown = counter_in (frame, green, 0.9);
      g_test_message ("shot 1B frame %d: background frame %" G_GINT64_FORMAT, k, shown);
      g_assert_cmpint (shown, ==, k % 10);
      /* And the plate's white ball is there over it. */
      g_assert_cmpint (counter_in (frame, NULL, 0.999), ==, -1);
    }

  for (guint i = 0; i < G_N_ELEMENTS (after_plate); i++)
    {
      int k = after_plate[i];
      g_autofree guint8 *frame = media_test_decode_frame_rgb (path, 24 + k, SIZE, 180);
      gint64 shown = counter_in (frame, NULL, 0.95);

      g_test_message ("shot 1B frame %d, past the plate: background frame %" G_GINT64_FORMAT,
                      k, shown);
      g_assert_cmpint (shown, ==, k % 10);
    }

  for (guint i = 0; i < G_N_ELEMENTS (own_frames); i++)
    {
      int k = own_frames[i];
      g_autofree guint8 *frame = media_test_decode_frame_rgb (path, 24 + 37 + k, SIZE, 180);
      gint64 shown = counter_in (frame, NULL, 0.95);

      g_test_message ("shot 1C frame %d: background frame %" G_GINT64_FORMAT, k, shown);
      g_assert_cmpint (shown, ==, k % 10);
    }

  /* The shot after, a plain panel, shows no clip from its first frame on. */
  {
    g_autofree guint8 *frame = media_test_decode_frame_rgb (path, 24 + 37 + 13, SIZE, 180);

    g_assert_cmpint (counter_in (frame, NULL, 0.2), ==, -1);
    }

  /* Nothing here sounds (the plate is silent, the clip is picture only): silence
   * throughout, 1C's clip alone included. */
  {
    g_autoptr(GArray) samples = decode_pcm (path);

    g_assert_cmpfloat (level_db (samples, 0.0, (24 + 37 + 13 + 10) / 24.0 - 0.05), <, -60);
  }
}

/* A clip at another rate than the plate and the project (24 fps) shows the frame of its
 * own at each frame's time, not the frame of the same number: a 30 fps clip of 16 frames
 * under 1B's plate moves on five frames for every four, and a 12 fps one played on its own
 * in 1C one for every two. */
static void
test_clip_rates (Fixture       *fixture,
                 gconstpointer  data)
{
  ReelScene *first = reel_project_get_scene (fixture->project, 0);
  const struct { int shot; int rate; int start; } cases[] = { { 1, 30, 24 }, { 2, 12, 24 + 37 } };
  static const int frames[] = { 0, 3, 4, 9, 12, 13 };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *plate_green = NULL;

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree char *name = g_strdup_printf ("counter-%d.webm", cases[c].rate);
      g_autofree char *clip_path = media_test_make_counter_clip (fixture->dir, name, 160, 90,
                                                                 cases[c].rate, 1, 16);
      g_autoptr(ReelAsset) video = NULL;
      g_autoptr(GBytes) bytes = NULL;
      char *contents;
      gsize length;

      g_assert_true (g_file_get_contents (clip_path, &contents, &length, NULL));
      bytes = g_bytes_new_take (contents, length);
      video = reel_asset_new_video (bytes, REEL_MIME_WEBM, 160, 90, NULL);
      reel_shot_set_background (reel_scene_get_shot (first, cases[c].shot),
                                reel_asset_get_hash (reel_project_add_asset (fixture->project,
                                                                             video)));
    }

  path = render (fixture, NULL, REEL_ANIMATIC_FORMAT_MP4, FALSE, &error);
  g_assert_no_error (error);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
      {
        int k = frames[i];
        g_autofree guint8 *frame = media_test_decode_frame_rgb (path, cases[c].start + k, SIZE,
                                                                180);
        g_autofree guint8 *green = g_malloc0 (SIZE * 180);
        gint64 expected = (gint64) k * cases[c].rate / 24 % 16;
        gint64 shown;

        if (k >= reel_shot_get_duration (reel_scene_get_shot (first, cases[c].shot)))
          continue;

        if (cases[c].shot == 1)
          {
            g_autofree guint8 *plate = media_test_decode_frame_rgb (fixture->plate, k, SIZE, 180);

            for (guint p = 0; p < SIZE * 180; p++)
              green[p] = plate[p * 3 + 1] > 200 && plate[p * 3] < 40 && plate[p * 3 + 2] < 40;
          }
        else
          memset (green, 1, SIZE * 180);
        shown = counter_in (frame, green, 0.9);
        g_test_message ("%d fps clip, shot frame %d: clip frame %" G_GINT64_FORMAT
                        " (expected %" G_GINT64_FORMAT ")", cases[c].rate, k, shown, expected);
        g_assert_cmpint (shown, ==, expected);
      }
}

/* Camera moves */

#define MOVE_PAN_DEG 8.0

static ReelShotCamera *
panning_camera (double pan_deg)
{
  ReelCameraPose pose = { .x = 0, .z = 1.5, .height = 1.6, .pan = 0, .tilt = 0, .roll = 0,
                          .lens_mm = 35 };
  ReelShotCamera *camera = reel_shot_camera_new (&pose);

  camera->moves = pan_deg != 0;
  camera->end = pose;
  camera->end.pan = pan_deg;
  camera->easing = REEL_CAMERA_EASING_LINEAR;
  return camera;
}

/* How far to the right the picture of @first lies in @last: the shift s (pixels) for which
 * last[x] best matches first[x + s] over the middle rows. */
static int
best_shift (const guint8 *first,
            const guint8 *last,
            int           range)
{
  double best = G_MAXDOUBLE;
  int best_shift = 0;

  for (int s = -range; s <= range; s++)
    {
      double sum = 0;
      guint n = 0;

      for (int y = 40; y < 140; y++)
        for (int x = MAX (0, -s); x < MIN (SIZE, SIZE - s); x++)
          for (int c = 0; c < 3; c++)
            {
              sum += ABS ((int) last[(y * SIZE + x) * 3 + c]
                          - (int) first[(y * SIZE + x + s) * 3 + c]);
              n++;
            }
      if (n > 0 && sum / n < best)
        {
          best = sum / n;
          best_shift = s;
        }
    }

  return best_shift;
}

static void
bright_centroid (const guint8 *frame,
                 double       *out_x,
                 double       *out_y)
{
  double sx = 0, sy = 0;
  guint n = 0;

  for (guint i = 0; i < SIZE * 180; i++)
    if (frame[i * 3] > 200 && frame[i * 3 + 1] > 200 && frame[i * 3 + 2] > 200)
      {
        sx += i % SIZE;
        sy += i / SIZE;
        n++;
      }
  g_assert_cmpuint (n, >, 20);
  *out_x = sx / n;
  *out_y = sy / n;
}

/* A generated still under a panning camera pans with it: a white square in the middle of
 * shot 1A moves left by the pan over the angle of view; shot 1C, which does not move,
 * keeps it where it is. */
static void
test_move_still (Fixture       *fixture,
                 gconstpointer  data)
{
  cairo_surface_t *surface = media_test_solid_surface (0x202020, 192, 108);
  GByteArray *png = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ReelAsset) square = NULL;
  g_autoptr(ReelShotCamera) camera = panning_camera (MOVE_PAN_DEG);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  ReelScene *first = reel_project_get_scene (fixture->project, 0);
  ReelAsset *stored;
  cairo_t *cr = cairo_create (surface);
  double hfov = reel_optics_horizontal_fov (reel_optics_sensor_lookup_or_default (NULL)->width_mm,
                                            35);
  double expected = -MOVE_PAN_DEG / hfov * SIZE;
  double x0, y0, x1, y1;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 86, 44, 20, 20);
  cairo_fill (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_bytes, png), ==,
                   CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  bytes = g_byte_array_free_to_bytes (png);
  square = reel_asset_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  stored = reel_project_add_asset (fixture->project, square);
  reel_shot_set_background (reel_scene_get_shot (first, 0), reel_asset_get_hash (stored));
  reel_shot_set_background (reel_scene_get_shot (first, 2), reel_asset_get_hash (stored));
  reel_shot_set_camera (reel_scene_get_shot (first, 0), camera);

  path = render (fixture, NULL, REEL_ANIMATIC_FORMAT_MP4, FALSE, &error);
  g_assert_no_error (error);
  check_timing (path, REEL_FRAME_RATE_INIT (25, 1), 24 + 37 + 13 + 10, "video/x-h264");

  {
    g_autofree guint8 *start = media_test_decode_frame_rgb (path, 0, SIZE, 180);
    g_autofree guint8 *end = media_test_decode_frame_rgb (path, 23, SIZE, 180);

    bright_centroid (start, &x0, &y0);
    bright_centroid (end, &x1, &y1);
    g_test_message ("pan %.0f°: square from (%.1f, %.1f) to (%.1f, %.1f), expected dx %.1f",
                    MOVE_PAN_DEG, x0, y0, x1, y1, expected);
    g_assert_cmpfloat (ABS (x0 - SIZE / 2.0), <, 4);
    g_assert_cmpfloat (ABS ((x1 - x0) - expected), <, 4);
    g_assert_cmpfloat (ABS (y1 - y0), <, 2);
  }

  {
    g_autofree guint8 *start = media_test_decode_frame_rgb (path, 24 + 37, SIZE, 180);
    g_autofree guint8 *end = media_test_decode_frame_rgb (path, 24 + 37 + 12, SIZE, 180);

    bright_centroid (start, &x0, &y0);
    bright_centroid (end, &x1, &y1);
    g_test_message ("no move: square from (%.1f, %.1f) to (%.1f, %.1f)", x0, y0, x1, y1);
    g_assert_cmpfloat (ABS (x1 - x0), <, 0.5);
    g_assert_cmpfloat (ABS (y1 - y0), <, 0.5);
  }
}

/* A shot with no background in a scene with a set shows the gray-box, drawn again along
 * the camera's move: the set slides left as the camera pans right. */
static void
test_move_greybox (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(ReelSet) set = reel_set_new_from_template ("street");
  g_autoptr(ReelShotCamera) camera = panning_camera (MOVE_PAN_DEG);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree guint8 *start = NULL;
  g_autofree guint8 *end = NULL;
  ReelScene *second = reel_project_get_scene (fixture->project, 1);
  double hfov = reel_optics_horizontal_fov (reel_optics_sensor_lookup_or_default (NULL)->width_mm,
                                            35);
  double expected = MOVE_PAN_DEG / hfov * SIZE;
  guint differ = 0;
  int shift;

  /* At the front of the street, looking down it. */
  camera->start.z = camera->end.z = set->floor_depth / 2 - 0.4;
  reel_scene_set_set (second, set);
  reel_shot_set_camera (reel_scene_get_shot (second, 0), camera);

  path = render (fixture, second, REEL_ANIMATIC_FORMAT_MP4, FALSE, &error);
  g_assert_no_error (error);
  check_timing (path, REEL_FRAME_RATE_INIT (25, 1), 10, "video/x-h264");

  start = media_test_decode_frame_rgb (path, 0, SIZE, 180);
  end = media_test_decode_frame_rgb (path, 9, SIZE, 180);
  for (guint i = 0; i < SIZE * 180 * 3; i++)
    differ += ABS ((int) start[i] - (int) end[i]) > 24;
  shift = best_shift (start, end, 100);
  g_test_message ("gray-box pan: %u channel values differ, picture shifted by %d (about %.1f)",
                  differ, shift, expected);
  g_assert_cmpuint (differ, >, SIZE * 180 / 20);
  g_assert_cmpfloat (ABS (shift - expected), <, expected * 0.3);
}

/* The centroid of the pixels of one colour (within @tolerance), or FALSE when too few. */
static gboolean
color_centroid (const guint8 *frame,
                guint32       rgb,
                int           tolerance,
                double       *out_x,
                double       *out_y)
{
  double sx = 0, sy = 0;
  guint n = 0;

  for (guint i = 0; i < SIZE * 180; i++)
    if (media_test_is_color (frame + i * 3, rgb, tolerance))
      {
        sx += i % SIZE;
        sy += i / SIZE;
        n++;
      }
  if (n < 40)
    return FALSE;
  *out_x = sx / n;
  *out_y = sy / n;
  return TRUE;
}

#define MOVE_SQUARE 0xe02020

/* A camera that pans during a shot with footage pans the still under the keyed plate: the
 * red square in 1B's background moves left with the pan while the plate
 * plays over it (frames 0 and 12, the ball there), and on to the end of the move after the
 * plate's 24 frames (frame 36, the shot's last). */
static void
test_move_under_plate (Fixture       *fixture,
                       gconstpointer  data)
{
  cairo_surface_t *surface = media_test_solid_surface (0x202020, 192, 108);
  GByteArray *png = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ReelAsset) square = NULL;
  g_autoptr(ReelShotCamera) camera = panning_camera (MOVE_PAN_DEG);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  ReelScene *first = reel_project_get_scene (fixture->project, 0);
  ReelShot *keyed = reel_scene_get_shot (first, 1);
  ReelAsset *stored;
  cairo_t *cr = cairo_create (surface);
  double hfov = reel_optics_horizontal_fov (reel_optics_sensor_lookup_or_default (NULL)->width_mm,
                                            35);
  double expected = -MOVE_PAN_DEG / hfov * SIZE;
  static const int frames[] = { 0, 12, 36 };
  double x[G_N_ELEMENTS (frames)], y[G_N_ELEMENTS (frames)];

  cairo_set_source_rgb (cr, 0xe0 / 255.0, 0x20 / 255.0, 0x20 / 255.0);
  /* Top right, clear of the plate's ball. */
  cairo_rectangle (cr, 150, 8, 20, 20);
  cairo_fill (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_bytes, png), ==,
                   CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  bytes = g_byte_array_free_to_bytes (png);
  square = reel_asset_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  stored = reel_project_add_asset (fixture->project, square);
  reel_shot_set_background (keyed, reel_asset_get_hash (stored));
  reel_shot_set_camera (keyed, camera);
  g_assert_nonnull (reel_shot_get_plate (keyed));

  path = render (fixture, NULL, REEL_ANIMATIC_FORMAT_MP4, FALSE, &error);
  g_assert_no_error (error);
  check_timing (path, REEL_FRAME_RATE_INIT (24, 1), 24 + 37 + 13 + 10, "video/x-h264");

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autofree guint8 *frame = media_test_decode_frame_rgb (path, 24 + frames[i], SIZE, 180);

      g_assert_true (color_centroid (frame, MOVE_SQUARE, 40, &x[i], &y[i]));
      g_test_message ("1B frame %d: square at (%.1f, %.1f)", frames[i], x[i], y[i]);
      /* The plate is keyed over it: no green left, and its white ball there while it
       * lasts. */
      for (guint p = 0; p < SIZE * 180; p++)
        g_assert_false (frame[p * 3 + 1] > 200 && frame[p * 3] < 60 && frame[p * 3 + 2] < 60);
      if (frames[i] < 24)
        {
          guint white = 0;

          for (guint p = 0; p < SIZE * 180; p++)
            white += frame[p * 3] > 200 && frame[p * 3 + 1] > 200 && frame[p * 3 + 2] > 200;
          g_assert_cmpuint (white, >, 20);
        }
    }
  g_test_message ("expected: moved by %.1f at the end, %.1f at frame 12", expected,
                  expected * 12 / 36);
  g_assert_cmpfloat (ABS (x[0] - 160 * SIZE / 192.0), <, 4);
  g_assert_cmpfloat (ABS ((x[1] - x[0]) - expected * 12 / 36), <, 4);
  g_assert_cmpfloat (ABS ((x[2] - x[0]) - expected), <, 4);
  g_assert_cmpfloat (ABS (y[2] - y[0]), <, 2);
}

/* Sound */

typedef struct
{
  GstElement *pipeline;
  GstElement *convert;
} PcmDecoder;

static void
on_decoded_pad (GstElement *decodebin,
                GstPad     *pad,
                PcmDecoder *decoder)
{
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  const char *name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  g_autoptr(GstPad) sink_pad = NULL;

  if (g_str_has_prefix (name, "audio/"))
    {
      sink_pad = gst_element_get_static_pad (decoder->convert, "sink");
    }
  else
    {
      GstElement *fakesink = gst_element_factory_make ("fakesink", NULL);

      g_object_set (fakesink, "sync", FALSE, NULL);
      gst_bin_add (GST_BIN (decoder->pipeline), fakesink);
      gst_element_sync_state_with_parent (fakesink);
      sink_pad = gst_element_get_static_pad (fakesink, "sink");
    }
  g_assert_cmpint (gst_pad_link (pad, sink_pad), ==, GST_PAD_LINK_OK);
}

/* The sound of @path, decoded to mono float samples at the animatic's rate. */
static GArray *
decode_pcm (const char *path)
{
  g_autofree char *uri = gst_filename_to_uri (path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) decodebin = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (float));
  PcmDecoder decoder;
  GstSample *sample;

  pipeline = gst_parse_launch ("uridecodebin name=decode "
                               "audioconvert name=convert ! audioresample "
                               "! audio/x-raw,format=F32LE,channels=1,rate=48000 "
                               "! appsink name=sink sync=false", &error);
  g_assert_no_error (error);
  gst_object_ref_sink (pipeline);
  decodebin = gst_bin_get_by_name (GST_BIN (pipeline), "decode");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  decoder.pipeline = pipeline;
  decoder.convert = gst_bin_get_by_name (GST_BIN (pipeline), "convert");
  g_object_set (decodebin, "uri", uri, NULL);
  g_signal_connect (decodebin, "pad-added", G_CALLBACK (on_decoded_pad), &decoder);

  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 60 * GST_SECOND)) != NULL)
    {
      GstBuffer *buffer = gst_sample_get_buffer (sample);
      GstMapInfo map;

      /* The sound starts with the picture, at 0. */
      if (samples->len == 0)
        g_assert_cmpuint (GST_BUFFER_PTS (buffer), <, GST_MSECOND);
      g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
      g_array_append_vals (samples, map.data, map.size / sizeof (float));
      gst_buffer_unmap (buffer, &map);
      gst_sample_unref (sample);
    }

  bus = gst_element_get_bus (pipeline);
  message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  g_assert_null (message);
  g_assert_true (gst_app_sink_is_eos (GST_APP_SINK (sink)));
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (decoder.convert);

  return samples;
}

/* The loudness of the samples from @start to @end seconds, in dB below full scale. */
static double
level_db (GArray *samples,
          double  start,
          double  end)
{
  guint first = (guint) (start * 48000);
  guint last = MIN ((guint) (end * 48000), samples->len);
  double sum = 0;

  g_assert_cmpuint (first, <, last);
  for (guint i = first; i < last; i++)
    {
      float value = g_array_index (samples, float, i);

      sum += value * value;
    }

  return sum > 0 ? 10 * log10 (sum / (last - first)) : -200;
}

/* One audio and one video stream, lasting as long as each other to the frame. */
static void
check_streams (const char    *path,
               ReelFrameRate  rate,
               const char    *audio_caps_name)
{
  g_autofree char *uri = gst_filename_to_uri (path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstDiscoverer) discoverer = gst_discoverer_new (30 * GST_SECOND, &error);
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autoptr(GstCaps) caps = NULL;
  GList *videos, *audios;
  GstClockTime frame = gst_util_uint64_scale (GST_SECOND, rate.den, rate.num);
  GstClockTime video_duration = 0, audio_duration = 0;
  GstDiscovererStreamInfo *audio;

  g_assert_no_error (error);
  info = gst_discoverer_discover_uri (discoverer, uri, &error);
  g_assert_no_error (error);
  videos = gst_discoverer_info_get_video_streams (info);
  audios = gst_discoverer_info_get_audio_streams (info);
  g_assert_cmpuint (g_list_length (videos), ==, 1);
  g_assert_cmpuint (g_list_length (audios), ==, 1);
  audio = audios->data;
  caps = gst_discoverer_stream_info_get_caps (audio);
  g_assert_true (gst_structure_has_name (gst_caps_get_structure (caps, 0), audio_caps_name));
  g_assert_cmpuint (gst_discoverer_audio_info_get_channels (GST_DISCOVERER_AUDIO_INFO (audio)),
                    ==, 2);

  /* The discoverer gives a duration per file; each stream's own comes from decoding. */
  {
    g_autoptr(GArray) samples = decode_pcm (path);

    audio_duration = gst_util_uint64_scale (samples->len, GST_SECOND, 48000);
    video_duration = gst_util_uint64_scale (count_frames (path), rate.den * GST_SECOND, rate.num);
  }
  g_test_message ("%s: video %" GST_TIME_FORMAT ", audio %" GST_TIME_FORMAT ", file %"
                  GST_TIME_FORMAT, path, GST_TIME_ARGS (video_duration),
                  GST_TIME_ARGS (audio_duration),
                  GST_TIME_ARGS (gst_discoverer_info_get_duration (info)));
  g_assert_cmpuint (audio_duration + frame, >=, video_duration);
  g_assert_cmpuint (audio_duration, <=, video_duration + frame);

  gst_discoverer_stream_info_list_free (videos);
  gst_discoverer_stream_info_list_free (audios);
}

/* The plate's sound plays in its shot, from its first frame, and only there; a muted
 * plate is silent. Shot 1B starts at frame 24 (0.96 s at 25 fps) and its plate with a
 * 440 Hz tone lasts 1 s. */
static void
test_audio (Fixture       *fixture,
            gconstpointer  data)
{
  ReelFrameRate rate = REEL_FRAME_RATE_INIT (25, 1);
  ReelShot *keyed = reel_scene_get_shot (reel_project_get_scene (fixture->project, 0), 1);
  g_autofree char *sounding = media_test_make_plate (fixture->dir, "plate.mkv", 320, 180, 24, 1,
                                                     24);
  g_autoptr(ReelPlate) plate = reel_plate_new (sounding);

  reel_plate_set_key_color (plate, MEDIA_TEST_GREEN);
  reel_shot_set_plate (keyed, plate);

  for (guint f = 0; f < 2; f++)
    {
      ReelAnimaticFormat format = f == 0 ? REEL_ANIMATIC_FORMAT_MP4 : REEL_ANIMATIC_FORMAT_WEBM;
      g_autoptr(GError) error = NULL;
      g_autofree char *path = render (fixture, NULL, format, FALSE, &error);
      g_autoptr(GArray) samples = NULL;
      double before, start, plate_level, after, last;

      g_assert_no_error (error);
      check_timing (path, rate, 24 + 37 + 13 + 10,
                    format == REEL_ANIMATIC_FORMAT_WEBM ? "video/x-vp9" : "video/x-h264");
      check_streams (path, rate,
                     format == REEL_ANIMATIC_FORMAT_WEBM ? "audio/x-opus" : "audio/mpeg");

      samples = decode_pcm (path);
      before = level_db (samples, 0.0, 0.92);       /* shot 1A */
      start = level_db (samples, 0.98, 1.02);       /* the first frame of 1B */
      plate_level = level_db (samples, 1.0, 1.9);   /* 1B, while the plate runs */
      after = level_db (samples, 2.02, 3.3);        /* the rest of 1B, 1C, 2A */
      last = level_db (samples, 0.0, 0.959);        /* up to the frame before 1B */
      g_test_message ("%s: %.1f dB before, %.1f dB at the cut, %.1f dB in the plate, "
                      "%.1f dB after", path, before, start, plate_level, after);
      /* In sync: the tone starts within a frame of the cut. */
      {
        guint onset = (guint) (0.5 * 48000);

        while (onset < samples->len && fabsf (g_array_index (samples, float, onset)) < 0.05f)
          onset++;
        g_test_message ("%s: the sound starts at %.4f s, the shot at 0.96 s", path,
                        onset / 48000.0);
        g_assert_cmpfloat (fabs (onset / 48000.0 - 0.96), <, 0.04);
      }
      g_assert_cmpfloat (before, <, -60);
      g_assert_cmpfloat (last, <, -40);
      g_assert_cmpfloat (start, >, -20);
      g_assert_cmpfloat (plate_level, >, -20);
      g_assert_cmpfloat (after, <, -60);
    }

  /* Muted: silence all through, and still one audio stream. */
  reel_plate_set_muted (plate, TRUE);
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *path = render (fixture, NULL, REEL_ANIMATIC_FORMAT_MP4, FALSE, &error);
    g_autoptr(GArray) samples = NULL;

    g_assert_no_error (error);
    check_streams (path, rate, "audio/mpeg");
    samples = decode_pcm (path);
    g_assert_cmpfloat (level_db (samples, 0.0, 3.3), <, -60);
  }
}

typedef struct
{
  ReelAnimaticPlayer *player;
  gint64 frame;
} PositionWait;

static gboolean
at_frame (gpointer data)
{
  PositionWait *wait = data;

  return reel_animatic_player_get_position (wait->player) == wait->frame;
}

/* Sequence playback: the reel plays in a paintable, seeks to the frame, and says which
 * shot is on screen. */
static void
test_player (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(ReelAnimaticPlayer) player = reel_animatic_player_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ReelScene *first = reel_project_get_scene (fixture->project, 0);
  PositionWait wait = { player, 30 };
  GdkTexture *texture;

  reel_animatic_player_load_async (player, fixture->project, NULL, NULL, NULL,
                                   media_test_store_result, &result);
  media_test_wait_result (&result, 60000);
  g_assert_true (reel_animatic_player_load_finish (player, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (reel_animatic_player_get_duration (player), ==, 24 + 37 + 13 + 10);

  reel_animatic_player_seek_frame (player, 30);
  media_test_wait_until (at_frame, &wait, 20000);
  g_assert_cmpstr (reel_animatic_player_get_shot_id (player), ==,
                   reel_shot_get_id (reel_scene_get_shot (first, 1)));
  texture = reel_video_paintable_get_texture (reel_animatic_player_get_paintable (player));
  g_assert_nonnull (texture);
  /* Previewed at 960 pixels across, 1.78:1. */
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 960);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 538);

  /* Played from near the end, it reaches the last shot, then stops there. */
  wait.frame = 80;
  reel_animatic_player_seek_frame (player, 80);
  media_test_wait_until (at_frame, &wait, 20000);
  reel_animatic_player_play (player);
  g_assert_true (reel_animatic_player_get_playing (player));
  while (reel_animatic_player_get_playing (player))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (reel_animatic_player_get_position (player), ==, 83);
  g_assert_cmpstr (reel_animatic_player_get_shot_id (player), ==,
                   reel_shot_get_id (reel_scene_get_shot (
                     reel_project_get_scene (fixture->project, 1), 0)));
}

/* The reel's player through ReelPlayback, with the same checks as a shot's pipeline: the
 * transport drives both through one path. */
static void
test_player_playback (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(ReelAnimaticPlayer) player = reel_animatic_player_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  reel_animatic_player_load_async (player, fixture->project, NULL, NULL, NULL,
                                   media_test_store_result, &result);
  media_test_wait_result (&result, 60000);
  g_assert_true (reel_animatic_player_load_finish (player, result, &error));
  g_assert_no_error (error);

  media_test_check_playback (REEL_PLAYBACK (player), 24 + 37 + 13 + 10);
}

int
main (int   argc,
      char *argv[])
{
  static const ReelFrameRate ntsc_film = { 24000, 1001 };
  static const ReelFrameRate pal = { 25, 1 };
  static const ReelFrameRate film = { 24, 1 };

  g_test_init (&argc, &argv, NULL);
  media_test_init ();

#define ADD(path, rate, func) \
  g_test_add (path, Fixture, &rate, fixture_set_up, func, fixture_tear_down)

  ADD ("/media/animatic/mp4-23.976", ntsc_film, test_mp4_23976);
  ADD ("/media/animatic/webm-25", pal, test_webm_25);
  ADD ("/media/animatic/prores-24", film, test_prores_24);
  ADD ("/media/animatic/scene", pal, test_scene);
  ADD ("/media/animatic/scene-frames-24", film, test_scene_frames);
  ADD ("/media/animatic/pictures", pal, test_pictures);
  ADD ("/media/animatic/render-async-cancel", pal, test_render_async);
  ADD ("/media/animatic/empty", pal, test_empty);
  ADD ("/media/animatic/missing-plate", pal, test_missing_plate);
  ADD ("/media/animatic/player", pal, test_player);
  ADD ("/media/animatic/player-playback", pal, test_player_playback);
  ADD ("/media/animatic/provenance-tags", pal, test_provenance_tags);
  ADD ("/media/animatic/audio", pal, test_audio);
  ADD ("/media/animatic/clip-background", film, test_clip_background);
  ADD ("/media/animatic/move-still", pal, test_move_still);
  ADD ("/media/animatic/move-greybox", pal, test_move_greybox);
  ADD ("/media/animatic/move-under-plate", film, test_move_under_plate);
  ADD ("/media/animatic/clip-rates", film, test_clip_rates);

#undef ADD

  return g_test_run ();
}
