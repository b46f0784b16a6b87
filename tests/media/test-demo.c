/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "core/reel-panel.h"
#include "core/reel-project.h"
#include "media/reel-animatic.h"
#include "media/reel-clip-frames.h"
#include "media/reel-preview-pipeline.h"
#include "media/reel-sketch-plate.h"
#include "storage/reel-demo.h"
#include "storage/reel-project-file.h"
#include "media-test-util.h"

/* The demo project the build writes (data/demo), as `build-aux/dev run` opens it: its
 * plate, its backgrounds, and what the Preview composites from them. */

#define VIEW_WIDTH  960
#define VIEW_HEIGHT 402   /* the demo's 2.39:1 */
#define REFERENCE_WIDTH  480
#define REFERENCE_HEIGHT 270

static const char *demo_path;

static ReelProject *
load_demo (GFile **out_file)
{
  g_autoptr(GFile) file = g_file_new_for_path (demo_path);
  g_autoptr(GError) error = NULL;
  ReelProject *project = reel_project_file_load (file, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (project);
  if (out_file != NULL)
    *out_file = g_steal_pointer (&file);
  return project;
}

static cairo_status_t
read_bytes (void          *closure,
            unsigned char *data,
            unsigned int   length)
{
  GInputStream *stream = closure;

  return g_input_stream_read_all (stream, data, length, NULL, NULL, NULL)
         ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_READ_ERROR;
}

static cairo_surface_t *
background_surface_of (ReelAsset *asset)
{
  g_autoptr(GInputStream) stream = NULL;
  cairo_surface_t *surface;

  g_assert_nonnull (asset);
  g_assert_cmpstr (reel_asset_get_mime_type (asset), ==, REEL_MIME_PNG);
  stream = g_memory_input_stream_new_from_bytes (reel_asset_get_data (asset));
  surface = cairo_image_surface_create_from_png_stream (read_bytes, stream);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  return surface;
}

static cairo_surface_t *
background_surface (ReelProject *project,
                    ReelShot    *shot)
{
  return background_surface_of (reel_project_lookup_asset (project,
                                                           reel_shot_get_background (shot)));
}

/* The RGB of @surface (Cairo's RGB24/ARGB32) at @x, @y. */
static void
surface_rgb (cairo_surface_t *surface,
             int              x,
             int              y,
             guint8          *rgb)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 pixel;

  x = CLAMP (x, 0, cairo_image_surface_get_width (surface) - 1);
  y = CLAMP (y, 0, cairo_image_surface_get_height (surface) - 1);
  pixel = *(const guint32 *) (data + (gsize) y * stride + (gsize) x * 4);
  rgb[0] = (pixel >> 16) & 0xff;
  rgb[1] = (pixel >> 8) & 0xff;
  rgb[2] = pixel & 0xff;
}

static gboolean
is_screen_green (const guint8 *rgb)
{
  return rgb[1] > rgb[0] + 60 && rgb[1] > rgb[2] + 40;
}

/* The oilskin coat: yellow, nothing like the screen. */
static gboolean
is_coat_yellow (const guint8 *rgb)
{
  return rgb[0] > 150 && rgb[1] > 110 && rgb[2] < 90 && rgb[0] > rgb[2] + 100;
}

/* Whether the 5×5 block of the reference around @x, @y is all of one kind, so that the
 * sample is clear of the soft edge. */
static gboolean
block_is (const guint8 *reference,
          int           x,
          int           y,
          gboolean    (*kind) (const guint8 *rgb))
{
  for (int j = y - 2; j <= y + 2; j++)
    for (int i = x - 2; i <= x + 2; i++)
      {
        if (i < 0 || j < 0 || i >= REFERENCE_WIDTH || j >= REFERENCE_HEIGHT)
          return FALSE;
        if (!kind (reference + ((gsize) j * REFERENCE_WIDTH + i) * 3))
          return FALSE;
      }
  return TRUE;
}

static int
difference (const guint8 *a,
            const guint8 *b)
{
  return MAX (MAX (abs (a[0] - b[0]), abs (a[1] - b[1])), abs (a[2] - b[2]));
}

/* The demo opens with footage: the shots of MAYA on the pier have the plate the build
 * made, found beside the project, with the size and length it really has; every shot has a
 * background to key onto. */
static void
test_demo_plates (void)
{
  g_autoptr(GFile) project_file = NULL;
  g_autoptr(ReelProject) project = load_demo (&project_file);
  ReelScene *scene = reel_project_get_scene (project, 0);
  guint n_plates = 0;

  g_assert_cmpuint (reel_scene_get_n_shots (scene), >=, 8);
  for (guint i = 0; i < reel_scene_get_n_shots (scene); i++)
    {
      ReelShot *shot = reel_scene_get_shot (scene, i);
      ReelPlate *plate = reel_shot_get_plate (shot);

      g_assert_nonnull (reel_shot_get_background (shot));
      g_assert_nonnull (reel_project_lookup_asset (project, reel_shot_get_background (shot)));

      if (plate != NULL)
        {
          g_autoptr(GFile) footage = reel_plate_resolve (plate, project_file);
          g_autoptr(GFileInfo) info = g_file_query_info (footage, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                         G_FILE_QUERY_INFO_NONE, NULL, NULL);
          g_autofree char *hash = reel_plate_compute_file_hash (footage, NULL, NULL, NULL);

          n_plates++;
          g_assert_nonnull (info);
          g_assert_cmpint (g_file_info_get_size (info), ==, reel_plate_get_file_size (plate));
          /* Under the 5 MB a demo may weigh. */
          g_assert_cmpint (g_file_info_get_size (info), <, 5 * 1000 * 1000);
          g_assert_cmpstr (hash, ==, reel_plate_get_hash (plate));
          g_assert_cmpint (reel_plate_get_width (plate), ==, 1920);
          g_assert_cmpint (reel_plate_get_height (plate), ==, 1080);
          /* A plate as long as the shot or longer: the shot never runs out of footage. */
          g_assert_cmpint (reel_plate_get_duration (plate), >=,
                           reel_shot_get_duration (shot) * G_GINT64_CONSTANT (1000000000) / 24);
        }
    }
  g_assert_cmpuint (n_plates, >=, 2);
  g_assert_cmpuint (n_plates, <=, 3);
}

static gboolean
has_texture (gpointer data)
{
  return reel_video_paintable_get_texture (reel_preview_pipeline_get_paintable (data)) != NULL;
}

/* The Preview of shot 1B with the demo's own key settings: where the plate is green the
 * gray-box background shows (placed to cover the frame), where the coat is the figure
 * stays. The reference is the plate's first frame as GStreamer decodes it. */
static void
test_demo_composite (void)
{
  g_autoptr(GFile) project_file = NULL;
  g_autoptr(ReelProject) project = load_demo (&project_file);
  ReelShot *shot = reel_project_find_shot (project, "5c1a2f4e-0d3b-4e61-9a57-000000000102",
                                           NULL, NULL);
  ReelPlate *plate;
  g_autoptr(GFile) footage = NULL;
  g_autofree char *footage_path = NULL;
  g_autoptr(ReelPreviewPipeline) preview = reel_preview_pipeline_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *reference = NULL;
  g_autofree guint8 *composite = NULL;
  cairo_surface_t *background;
  GdkTexture *texture;
  double fit, plate_width, plate_height, plate_x, plate_y, cover;
  int image_width, image_height;
  guint green = 0, green_shows_background = 0, green_left = 0, coat = 0, coat_kept = 0;

  g_assert_nonnull (shot);
  plate = reel_shot_get_plate (shot);
  g_assert_nonnull (plate);
  footage = reel_plate_resolve (plate, project_file);
  footage_path = g_file_get_path (footage);
  background = background_surface (project, shot);

  reel_preview_pipeline_set_output_size (preview, VIEW_WIDTH, VIEW_HEIGHT);
  reel_preview_pipeline_set_key (preview, reel_plate_get_key_color (plate),
                                 reel_plate_get_similarity (plate),
                                 reel_plate_get_softness (plate), reel_plate_get_spill (plate));
  reel_preview_pipeline_set_plate_placement (preview, reel_plate_get_plate_scale (plate),
                                             reel_plate_get_plate_x (plate),
                                             reel_plate_get_plate_y (plate));
  reel_preview_pipeline_set_background_placement (preview,
                                                  reel_plate_get_background_scale (plate),
                                                  reel_plate_get_background_x (plate),
                                                  reel_plate_get_background_y (plate));
  reel_preview_pipeline_set_background (preview, background);
  reel_preview_pipeline_open_async (preview, footage, NULL, media_test_store_result, &result);
  media_test_wait_result (&result, 60000);
  g_assert_true (reel_preview_pipeline_open_finish (preview, result, &error));
  g_assert_no_error (error);
  media_test_wait_until (has_texture, preview, 30000);
  texture = reel_video_paintable_get_texture (reel_preview_pipeline_get_paintable (preview));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, VIEW_WIDTH);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, VIEW_HEIGHT);
  composite = media_test_texture_rgb (texture);
  reference = media_test_decode_frame_rgb (footage_path, 0, REFERENCE_WIDTH, REFERENCE_HEIGHT);

  /* Where the plate lands: fitted in the frame (this shot does not move it), and where the
   * background lands: covering the frame. */
  g_assert_cmpfloat (reel_plate_get_plate_scale (plate), ==, 1.0);
  fit = MIN (VIEW_WIDTH / 1920.0, VIEW_HEIGHT / 1080.0);
  plate_width = 1920 * fit;
  plate_height = 1080 * fit;
  plate_x = (VIEW_WIDTH - plate_width) / 2;
  plate_y = (VIEW_HEIGHT - plate_height) / 2;
  image_width = cairo_image_surface_get_width (background);
  image_height = cairo_image_surface_get_height (background);
  cover = MAX ((double) VIEW_WIDTH / image_width, (double) VIEW_HEIGHT / image_height);

  for (int y = 2; y < REFERENCE_HEIGHT - 2; y += 3)
    for (int x = 2; x < REFERENCE_WIDTH - 2; x += 3)
      {
        int view_x = (int) (plate_x + (x + 0.5) * plate_width / REFERENCE_WIDTH);
        int view_y = (int) (plate_y + (y + 0.5) * plate_height / REFERENCE_HEIGHT);
        const guint8 *out = composite + ((gsize) view_y * VIEW_WIDTH + view_x) * 3;
        const guint8 *in = reference + ((gsize) y * REFERENCE_WIDTH + x) * 3;

        if (block_is (reference, x, y, is_screen_green))
          {
            guint8 expected[3];
            double image_x = (view_x + 0.5 - (VIEW_WIDTH - image_width * cover) / 2) / cover;
            double image_y = (view_y + 0.5 - (VIEW_HEIGHT - image_height * cover) / 2) / cover;

            surface_rgb (background, (int) image_x, (int) image_y, expected);
            green++;
            green_shows_background += difference (out, expected) <= 40;
            green_left += is_screen_green (out);
          }
        else if (block_is (reference, x, y, is_coat_yellow))
          {
            coat++;
            coat_kept += difference (out, in) <= 40;
          }
      }

  g_test_message ("green samples %u (background %u, still green %u), coat %u (kept %u)",
                  green, green_shows_background, green_left, coat, coat_kept);
  /* Most of the plate is screen, and a fair patch of it is coat. */
  g_assert_cmpuint (green, >, 5000);
  g_assert_cmpuint (coat, >, 100);
  g_assert_cmpuint (green_left, ==, 0);
  g_assert_cmpuint (green_shows_background, >=, green * 97 / 100);
  g_assert_cmpuint (coat_kept, >=, coat * 97 / 100);

  cairo_surface_destroy (background);
  reel_preview_pipeline_close (preview);
}

/* Share of the pixels of two RGB pictures (@n pixels) within @tolerance of each other. */
static double
share_alike (const guint8 *a,
             const guint8 *b,
             gsize         n,
             int           tolerance)
{
  gsize alike = 0;

  for (gsize i = 0; i < n; i++)
    alike += difference (a + i * 3, b + i * 3) <= tolerance;
  return (double) alike / n;
}

#define CLIP_CHECK_WIDTH  480
#define CLIP_CHECK_HEIGHT 200   /* 2.39:1, even */

/* The crane up (1H) opens with a moving background: a clip the build drew, the gray-box
 * along the shot's camera move, a few hundred kilobytes, recorded as a render of the set
 * and not a model's work; it lasts the shot, starts on the gray-box still the shot had and
 * changes as the camera rises. */
static void
test_demo_clip_background (void)
{
  g_autoptr(ReelProject) project = load_demo (NULL);
  ReelShot *shot = reel_project_find_shot (project, REEL_DEMO_CLIP_SHOT_ID, NULL, NULL);
  ReelAsset *clip;
  ReelAsset *still = NULL;
  ReelGenerationRecord *record;
  g_autoptr(GFile) file = NULL;
  g_autoptr(ReelClipFrames) frames = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree guint8 *first = NULL;
  g_autofree guint8 *last = NULL;
  gsize n = CLIP_CHECK_WIDTH * CLIP_CHECK_HEIGHT;
  gint64 n_frames;

  g_assert_nonnull (shot);
  g_assert_null (reel_shot_get_plate (shot));
  clip = reel_project_lookup_asset (project, reel_shot_get_background (shot));
  g_assert_nonnull (clip);
  g_assert_true (reel_asset_is_video (clip));
  g_assert_cmpstr (reel_asset_get_mime_type (clip), ==, REEL_MIME_WEBM);
  g_test_message ("clip background: %" G_GINT64_FORMAT " bytes", reel_asset_get_size (clip));
  g_assert_cmpint (reel_asset_get_size (clip), >, 20 * 1000);
  g_assert_cmpint (reel_asset_get_size (clip), <, 800 * 1000);
  record = reel_asset_get_generation (clip);
  g_assert_nonnull (record);
  g_assert_cmpstr (record->provider, ==, "greybox");
  g_assert_cmpstr (record->kind, ==, REEL_GENERATION_KIND_VIDEO);
  g_assert_false (reel_generation_record_is_model_made (record));

  /* The still it was drawn from stays a variant of the shot. */
  for (guint i = 0; i < reel_shot_get_n_variants (shot); i++)
    {
      ReelAsset *variant = reel_project_lookup_asset (project, reel_shot_get_variants (shot)[i]);

      if (variant != NULL && !reel_asset_is_video (variant))
        still = variant;
    }
  g_assert_nonnull (still);
  g_assert_nonnull (record->input_hashes);
  g_assert_cmpstr (record->input_hashes[0], ==, reel_asset_get_hash (still));

  file = reel_asset_dup_cache_file (clip, NULL, &error);
  g_assert_no_error (error);
  frames = reel_clip_frames_new_for_file (file);
  g_assert_true (reel_clip_frames_open (frames, &error));
  g_assert_no_error (error);
  n_frames = reel_clip_frames_get_n_frames (frames);
  g_assert_cmpint (n_frames, ==, reel_shot_get_duration (shot));
  g_assert_cmpint (reel_clip_frames_get_width (frames), ==, REEL_DEMO_CLIP_WIDTH);

  path = g_file_get_path (file);
  first = media_test_decode_frame_rgb (path, 0, CLIP_CHECK_WIDTH, CLIP_CHECK_HEIGHT);
  last = media_test_decode_frame_rgb (path, (int) n_frames - 1, CLIP_CHECK_WIDTH,
                                      CLIP_CHECK_HEIGHT);
  {
    cairo_surface_t *png = background_surface_of (still);
    g_autofree guint8 *still_rgb = g_malloc (n * 3);
    double scale_x = (double) cairo_image_surface_get_width (png) / CLIP_CHECK_WIDTH;
    double scale_y = (double) cairo_image_surface_get_height (png) / CLIP_CHECK_HEIGHT;
    double start_alike, end_alike, moved_alike;

    for (int y = 0; y < CLIP_CHECK_HEIGHT; y++)
      for (int x = 0; x < CLIP_CHECK_WIDTH; x++)
        surface_rgb (png, (int) ((x + 0.5) * scale_x), (int) ((y + 0.5) * scale_y),
                     still_rgb + ((gsize) y * CLIP_CHECK_WIDTH + x) * 3);
    cairo_surface_destroy (png);

    start_alike = share_alike (first, still_rgb, n, 24);
    end_alike = share_alike (last, still_rgb, n, 24);
    moved_alike = share_alike (first, last, n, 24);
    g_test_message ("first frame like the still: %.3f, last: %.3f; first like last: %.3f",
                    start_alike, end_alike, moved_alike);
    g_assert_cmpfloat (start_alike, >, 0.9);
    g_assert_cmpfloat (moved_alike, <, 0.95);
  }
}

typedef struct
{
  ReelPreviewPipeline *preview;
  gint64 frame;
  const guint8 *expected;
} ClipFrameWait;

/* The preview at the frame, showing a picture like @expected. */
static gboolean
shows_clip_frame (gpointer data)
{
  ClipFrameWait *wait = data;
  GdkTexture *texture = reel_video_paintable_get_texture (
                          reel_preview_pipeline_get_paintable (wait->preview));
  g_autofree guint8 *shown = NULL;

  if (reel_preview_pipeline_get_position (wait->preview) != wait->frame || texture == NULL)
    return FALSE;
  shown = media_test_texture_rgb (texture);
  return share_alike (shown, wait->expected, CLIP_CHECK_WIDTH * CLIP_CHECK_HEIGHT, 32) > 0.85;
}

/* What the Preview plays of the crane up (the key green as a plate over the clip, as
 * reel-preview-view.c plays a shot without footage, the sketch going over it as the
 * canvas's overlay) and what the animatic shows: frame N of the shot is the clip's frame N
 * (in the animatic but for the sketch's lines), and the first and last frames differ as
 * the camera rises. */
static void
test_demo_clip_plays (void)
{
  g_autoptr(GFile) project_file = NULL;
  g_autoptr(ReelProject) project = load_demo (&project_file);
  ReelShot *shot = reel_project_find_shot (project, REEL_DEMO_CLIP_SHOT_ID, NULL, NULL);
  ReelAsset *clip = reel_project_lookup_asset (project, reel_shot_get_background (shot));
  gint64 duration = reel_shot_get_duration (shot);
  const gint64 checked[] = { 0, duration / 2, duration - 1 };
  g_autoptr(GFile) clip_file = NULL;
  g_autoptr(GFile) sketch_plate = NULL;
  g_autoptr(ReelClipFrames) frames = NULL;
  g_autoptr(ReelPreviewPipeline) preview = reel_preview_pipeline_new ();
  g_autoptr(ReelAnimatic) animatic = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *clip_path = NULL;
  g_autofree char *dir = media_test_make_dir ();
  g_autofree char *reel_path = g_build_filename (dir, "crane.mp4", NULL);
  g_autoptr(GFile) reel_file = g_file_new_for_path (reel_path);
  g_autofree guint8 *preview_first = NULL;
  g_autofree guint8 *animatic_first = NULL;
  gsize n = CLIP_CHECK_WIDTH * CLIP_CHECK_HEIGHT;

  clip_file = reel_asset_dup_cache_file (clip, NULL, &error);
  g_assert_no_error (error);
  clip_path = g_file_get_path (clip_file);
  frames = reel_clip_frames_new_for_file (clip_file);
  g_assert_true (reel_clip_frames_open (frames, &error));

  /* The Preview. */
  sketch_plate = reel_sketch_plate_write (duration, 24, 1, CLIP_CHECK_WIDTH, CLIP_CHECK_HEIGHT,
                                          NULL, &error);
  g_assert_no_error (error);
  reel_preview_pipeline_set_output_size (preview, CLIP_CHECK_WIDTH, CLIP_CHECK_HEIGHT);
  reel_preview_pipeline_set_frame_rate (preview, 24, 1);
  reel_preview_pipeline_set_key (preview, REEL_SKETCH_PLATE_KEY_COLOR, 0.4, 0.1, 0.5);
  reel_preview_pipeline_set_background_clip (preview, frames);
  reel_preview_pipeline_open_async (preview, sketch_plate, NULL, media_test_store_result,
                                    &result);
  media_test_wait_result (&result, 60000);
  g_assert_true (reel_preview_pipeline_open_finish (preview, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (reel_playback_get_duration (REEL_PLAYBACK (preview)), ==, duration);

  for (guint i = 0; i < G_N_ELEMENTS (checked); i++)
    {
      gint64 frame = checked[i];
      g_autofree guint8 *expected = media_test_decode_frame_rgb (clip_path, (int) frame,
                                                                 CLIP_CHECK_WIDTH,
                                                                 CLIP_CHECK_HEIGHT);
      ClipFrameWait wait = { preview, frame, expected };
      g_autofree guint8 *shown = NULL;
      GdkTexture *texture;
      double alike;

      reel_preview_pipeline_seek_frame (preview, frame);
      media_test_wait_until (shows_clip_frame, &wait, 60000);
      texture = reel_video_paintable_get_texture (reel_preview_pipeline_get_paintable (preview));
      shown = media_test_texture_rgb (texture);
      alike = share_alike (shown, expected, n, 32);
      g_test_message ("preview frame %" G_GINT64_FORMAT ": %.3f like the clip's", frame, alike);
      /* The clip's own frame: the plate keys away whole. */
      g_assert_cmpfloat (alike, >, 0.97);
      if (i == 0)
        preview_first = g_steal_pointer (&shown);
      else if (i == G_N_ELEMENTS (checked) - 1)
        g_assert_cmpfloat (share_alike (shown, preview_first, n, 24), <, 0.95);
    }
  reel_preview_pipeline_close (preview);

  /* The animatic of the shot. */
  animatic = reel_animatic_new_for_shots (project, &shot, 1, project_file);
  reel_animatic_set_size (animatic, CLIP_CHECK_WIDTH);
  reel_animatic_set_captions (animatic, FALSE);
  g_assert_true (reel_animatic_build (animatic, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (reel_animatic_render (animatic, REEL_ANIMATIC_FORMAT_MP4, reel_file, NULL,
                                       NULL, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (checked); i++)
    {
      int frame = (int) checked[i];
      g_autofree guint8 *expected = media_test_decode_frame_rgb (clip_path, frame,
                                                                 CLIP_CHECK_WIDTH,
                                                                 CLIP_CHECK_HEIGHT);
      g_autofree guint8 *shown = media_test_decode_frame_rgb (reel_path, frame,
                                                              CLIP_CHECK_WIDTH,
                                                              CLIP_CHECK_HEIGHT);
      double alike = share_alike (shown, expected, n, 32);

      g_test_message ("animatic frame %d: %.3f like the clip's", frame, alike);
      g_assert_cmpfloat (alike, >, 0.85);
      /* The sketch's lines over it. */
      g_assert_cmpfloat (alike, <, 0.99);
      if (i == 0)
        animatic_first = g_steal_pointer (&shown);
      else if (i == G_N_ELEMENTS (checked) - 1)
        g_assert_cmpfloat (share_alike (shown, animatic_first, n, 24), <, 0.95);
    }

  g_clear_object (&animatic);
  media_test_remove_dir (dir);
}

/* The Board and the strip draw 1H by its clip's first frame, not the neutral grey: the
 * same picture the Preview opens on. */
static void
test_demo_clip_panel (void)
{
  g_autoptr(ReelProject) project = load_demo (NULL);
  ReelShot *shot = reel_project_find_shot (project, REEL_DEMO_CLIP_SHOT_ID, NULL, NULL);
  ReelAsset *clip;
  cairo_surface_t *panel;
  cairo_surface_t *first;
  cairo_t *cr;
  g_autoptr(GError) error = NULL;
  const int width = 240, height = 100;
  double grey_distance = 0, frame_distance = 0;

  g_assert_nonnull (shot);
  clip = reel_project_lookup_asset (project, reel_shot_get_background (shot));
  g_assert_nonnull (clip);
  g_assert_true (reel_asset_is_video (clip));

  /* Core alone cannot decode a clip: grey, and it says so. */
  panel = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (panel);
  g_assert_false (reel_panel_draw_asset_cover (clip, cr, width, height));
  cairo_destroy (cr);
  cairo_surface_destroy (panel);

  reel_clip_frames_draw_in_panels ();
  panel = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (panel);
  reel_panel_render_parts (clip, NULL, cr, width, height);
  cairo_destroy (cr);

  first = reel_clip_frames_extract_surface (clip, 0, &error);
  g_assert_no_error (error);

  /* Mean distance, per channel, from the grey fill and from the first frame scaled the
   * same way (drawn here again with the cover drawing, so only the source differs). */
  {
    cairo_surface_t *expected = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
    cairo_t *ecr = cairo_create (expected);
    const guint8 *a, *b;
    int stride;

    reel_panel_draw_surface_cover (first, ecr, width, height);
    cairo_destroy (ecr);
    cairo_surface_flush (panel);
    cairo_surface_flush (expected);
    a = cairo_image_surface_get_data (panel);
    b = cairo_image_surface_get_data (expected);
    stride = cairo_image_surface_get_stride (panel);
    for (int y = 0; y < height; y++)
      for (int x = 0; x < width; x++)
        for (int c = 0; c < 3; c++)
          {
            int va = a[y * stride + x * 4 + c];

            grey_distance += fabs (va - REEL_PANEL_FILL_RED * 255);
            frame_distance += abs (va - b[y * stride + x * 4 + c]);
          }
    cairo_surface_destroy (expected);
  }
  grey_distance /= width * height * 3;
  frame_distance /= width * height * 3;
  g_test_message ("1H panel: %.1f from grey, %.1f from the clip's first frame",
                  grey_distance, frame_distance);
  g_assert_cmpfloat (frame_distance, <, 1.0);
  g_assert_cmpfloat (grey_distance, >, 10.0);

  cairo_surface_destroy (first);
  cairo_surface_destroy (panel);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  media_test_init ();

  demo_path = g_getenv ("STORYREEL_DEMO_PROJECT");
  if (demo_path == NULL)
    {
      g_printerr ("STORYREEL_DEMO_PROJECT is not set: run this through meson test.\n");
      return 1;
    }

  g_test_add_func ("/media/demo/plates", test_demo_plates);
  g_test_add_func ("/media/demo/composite", test_demo_composite);
  g_test_add_func ("/media/demo/clip-background", test_demo_clip_background);
  g_test_add_func ("/media/demo/clip-plays", test_demo_clip_plays);
  g_test_add_func ("/media/demo/clip-panel", test_demo_clip_panel);

  return g_test_run ();
}
