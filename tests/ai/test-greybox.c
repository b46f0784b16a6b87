/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <string.h>

#include "ai/reel-ai-error.h"
#include "ai/reel-greybox.h"
#include "ai/reel-prompt.h"
#include "core/reel-set-edit.h"
#include "ai-test-util.h"

/* The gray-box provider: the picture follows the camera and the scene, the seed moves the
 * set around, and the same seed gives the same picture. */

static ReelGenerationRequest *
base_request (void)
{
  ReelGenerationRequest *request = reel_generation_request_new ();

  request->prompt = g_strdup ("a quay at dawn");
  request->width = 480;
  request->height = 270;
  request->aspect_ratio = 16.0 / 9.0;
  request->int_ext = REEL_INT_EXT_EXT;
  request->time_of_day = g_strdup ("DAY");
  request->lens_mm = 35;
  request->sensor_width_mm = 24.89;
  request->camera_height_m = 1.6;
  return request;
}

static GdkPixbuf *
decode (GBytes *png)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("png", NULL);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_loader_write_bytes (loader, png, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

/* Mean absolute difference per channel, 0–255. */
static double
difference (GBytes *a,
            GBytes *b)
{
  g_autoptr(GdkPixbuf) pa = decode (a);
  g_autoptr(GdkPixbuf) pb = decode (b);
  const guchar *da = gdk_pixbuf_read_pixels (pa);
  const guchar *db = gdk_pixbuf_read_pixels (pb);
  int stride = gdk_pixbuf_get_rowstride (pa);
  int channels = gdk_pixbuf_get_n_channels (pa);
  double total = 0;

  g_assert_cmpint (gdk_pixbuf_get_width (pa), ==, gdk_pixbuf_get_width (pb));
  g_assert_cmpint (gdk_pixbuf_get_height (pa), ==, gdk_pixbuf_get_height (pb));

  for (int y = 0; y < gdk_pixbuf_get_height (pa); y++)
    for (int x = 0; x < gdk_pixbuf_get_width (pa); x++)
      for (int c = 0; c < 3; c++)
        total += fabs ((double) da[y * stride + x * channels + c]
                       - (double) db[y * stride + x * channels + c]);

  return total / (gdk_pixbuf_get_width (pa) * gdk_pixbuf_get_height (pa) * 3.0);
}

/* The row where sky meets ground in an exterior: the first row, from the top, whose
 * centre pixel is darker than the sky by a clear step. */
static int
horizon_row (GBytes *png)
{
  g_autoptr(GdkPixbuf) pixbuf = decode (png);
  const guchar *data = gdk_pixbuf_read_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  int x = gdk_pixbuf_get_width (pixbuf) / 2;
  int previous = -1;

  for (int y = 0; y < gdk_pixbuf_get_height (pixbuf); y++)
    {
      const guchar *p = data + y * stride + x * channels;
      int blue = p[2];

      if (previous >= 0 && previous - blue > 40)
        return y;
      previous = blue;
    }
  return -1;
}

static void
test_same_seed_same_image (void)
{
  g_autoptr(ReelGenerationRequest) request = base_request ();
  g_autoptr(GBytes) a = reel_greybox_render_png (request, 7);
  g_autoptr(GBytes) b = reel_greybox_render_png (request, 7);

  g_assert_true (g_bytes_equal (a, b));
}

/* Seeds turn the light, never the place: the depth maps are the same. */
static void
test_seeds_differ (void)
{
  g_autoptr(ReelGenerationRequest) request = base_request ();
  g_autoptr(GBytes) a = reel_greybox_render_png (request, 1);
  g_autoptr(GBytes) b = reel_greybox_render_png (request, 5);
  g_autoptr(ReelGreyboxImage) image_a = reel_greybox_render_image (request, 1);
  g_autoptr(ReelGreyboxImage) image_b = reel_greybox_render_image (request, 5);

  g_assert_cmpfloat (difference (a, b), >, 0.5);
  g_assert_cmpmem (image_a->depth, sizeof (float) * 480 * 270, image_b->depth,
                   sizeof (float) * 480 * 270);
}

/* Two shots of one scene without a set: the same generic place, seen through a 35 and a
 * 70: the 70's picture is the middle of the 35's, at half the scale. */
static void
test_scene_is_one_place (void)
{
  g_autoptr(ReelGenerationRequest) wide = base_request ();
  g_autoptr(ReelGenerationRequest) tight = base_request ();
  g_autoptr(ReelGenerationRequest) elsewhere = base_request ();
  g_autoptr(ReelGreyboxImage) a = NULL;
  g_autoptr(ReelGreyboxImage) b = NULL;
  g_autoptr(ReelGreyboxImage) c = NULL;
  guint compared = 0, same = 0;

  wide->location = g_strdup ("HARBOUR");
  tight->location = g_strdup ("HARBOUR");
  elsewhere->location = g_strdup ("MARKET");
  wide->width = tight->width = elsewhere->width = 480;
  wide->height = tight->height = elsewhere->height = 270;
  tight->lens_mm = 70;
  a = reel_greybox_render_image (wide, 1);
  b = reel_greybox_render_image (tight, 2);
  c = reel_greybox_render_image (elsewhere, 1);

  /* Pixel (x, y) of the 70 sees what the 35 sees at the middle + half the offset. */
  for (int y = 1; y < 270; y += 8)
    for (int x = 1; x < 480; x += 8)
      {
        int wx = 240 + (x - 240) / 2, wy = 135 + (y - 135) / 2;
        float da = a->depth[wy * 480 + wx];
        float db = b->depth[y * 480 + x];

        if (!isfinite (da) || !isfinite (db))
          continue;
        compared++;
        if (fabs (da - db) <= 0.02 * da)
          same++;
      }
  g_assert_cmpuint (compared, >, 500);
  /* Edges of objects may fall either side: nearly all pixels agree. */
  g_assert_cmpfloat ((double) same / compared, >, 0.95);

  /* Another location is another place. */
  g_assert_true (memcmp (a->depth, c->depth, sizeof (float) * 480 * 270) != 0);
}

/* A scene with a set and a shot with a camera: the picture is the core renderer's view
 * of that set from that camera, and an angle variant keeps the camera's place. */
static void
test_scene_set_and_camera (void)
{
  g_autoptr(ReelGenerationRequest) request = base_request ();
  g_autoptr(ReelSet) set = reel_set_new_from_template ("waterfront");
  g_autoptr(ReelSetMesh) mesh = reel_set_mesh_new (set, FALSE);
  ReelCameraPose pose = { -3, 5, 1.7, 20, -4, 0, 50 };
  ReelGreyboxOptions options = { "day", 24.89, 0 };
  g_autoptr(ReelGreyboxImage) expected = reel_greybox_render (mesh, &pose, 480, 270, &options);
  g_autoptr(ReelGreyboxImage) image = NULL;
  g_autoptr(ReelGreyboxImage) angle = NULL;

  request->set = reel_set_copy (set);
  request->camera = reel_shot_camera_new (&pose);
  image = reel_greybox_render_image (request, 4);
  g_assert_cmpmem (image->depth, sizeof (float) * 480 * 270, expected->depth,
                   sizeof (float) * 480 * 270);
  g_assert_cmpmem (image->objects, 4 * 480 * 270, expected->objects, 4 * 480 * 270);

  /* A low-angle variant: same place, the camera lower and looking up. */
  request->kind = REEL_GENERATION_ANGLE;
  request->tilt_deg = 30;
  request->camera_height_m = 0.9;
  angle = reel_greybox_render_image (request, 4);
  pose.tilt = 30;
  pose.height = 0.9;
  {
    g_autoptr(ReelGreyboxImage) low = reel_greybox_render (mesh, &pose, 480, 270, &options);

    g_assert_cmpmem (angle->depth, sizeof (float) * 480 * 270, low->depth,
                     sizeof (float) * 480 * 270);
  }
}

typedef void (*Change) (ReelGenerationRequest *request);

static void change_low (ReelGenerationRequest *r) { r->tilt_deg = 30; r->camera_height_m = 0.9; }
static void change_high (ReelGenerationRequest *r) { r->tilt_deg = -15; r->camera_height_m = 2.6; }
static void change_dutch (ReelGenerationRequest *r) { r->roll_deg = 15; }
static void change_lens (ReelGenerationRequest *r) { r->lens_mm = 85; }
static void change_height (ReelGenerationRequest *r) { r->camera_height_m = 6; }
static void change_interior (ReelGenerationRequest *r) { r->int_ext = REEL_INT_EXT_INT; }
static void change_night (ReelGenerationRequest *r) { g_free (r->time_of_day); r->time_of_day = g_strdup ("NIGHT"); }
static void change_dusk (ReelGenerationRequest *r) { g_free (r->time_of_day); r->time_of_day = g_strdup ("SUNSET"); }

static void
test_camera_changes_image (gconstpointer data)
{
  Change change = (Change) data;
  g_autoptr(ReelGenerationRequest) request = base_request ();
  g_autoptr(ReelGenerationRequest) changed = base_request ();
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;

  change (changed);
  a = reel_greybox_render_png (request, 3);
  b = reel_greybox_render_png (changed, 3);
  g_assert_cmpfloat (difference (a, b), >, 3.0);
}

static void
test_horizon_follows_tilt (void)
{
  g_autoptr(ReelGenerationRequest) level = base_request ();
  g_autoptr(ReelGenerationRequest) up = base_request ();
  g_autoptr(ReelGenerationRequest) down = base_request ();
  g_autoptr(GBytes) level_png = NULL;
  g_autoptr(GBytes) up_png = NULL;
  g_autoptr(GBytes) down_png = NULL;
  int level_row, up_row, down_row;

  up->tilt_deg = 10;
  down->tilt_deg = -10;
  level_png = reel_greybox_render_png (level, 5);
  up_png = reel_greybox_render_png (up, 5);
  down_png = reel_greybox_render_png (down, 5);
  level_row = horizon_row (level_png);
  up_row = horizon_row (up_png);
  down_row = horizon_row (down_png);

  /* Level camera: the horizon crosses the middle of the frame. */
  g_assert_cmpint (abs (level_row - 135), <=, 3);
  /* Looking up lowers it, looking down raises it, by f·tan(10°) = 240/tan(fov/2)·tan(10°). */
  {
    double fov = 2 * atan (24.89 / (2 * 35.0));
    double expected = 240.0 / tan (fov / 2) * tan (10 * G_PI / 180);

    g_assert_cmpfloat (fabs ((up_row - level_row) - expected), <=, 4);
    g_assert_cmpfloat (fabs ((level_row - down_row) - expected), <=, 4);
  }
}

/* A shot's request carries its scene's set and its camera to the provider. */
static void
test_request_from_shot (void)
{
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(ReelScene) scene = reel_scene_new ();
  g_autoptr(ReelShot) shot = reel_shot_new ();
  g_autoptr(ReelShot) plain = reel_shot_new ();
  g_autoptr(ReelSet) set = reel_set_new_from_template ("room");
  ReelCameraPose pose = { 0, 2, 1.5, 0, 0, 0, 35 };
  g_autoptr(ReelShotCamera) camera = reel_shot_camera_new (&pose);
  g_autoptr(ReelGenerationRequest) request = NULL;
  g_autoptr(ReelGenerationRequest) plain_request = NULL;
  g_autoptr(ReelGenerationRequest) copy = NULL;

  reel_project_append_scene (project, scene);
  reel_scene_append_shot (scene, shot);
  reel_scene_append_shot (scene, plain);
  reel_scene_set_set (scene, set);
  reel_shot_set_camera (shot, camera);

  request = reel_prompt_new_request (project, shot, REEL_GENERATION_BACKGROUND, NULL, NULL, 1);
  g_assert_true (reel_set_equal (request->set, set));
  g_assert_true (reel_shot_camera_equal (request->camera, camera));
  copy = reel_generation_request_copy (request);
  g_assert_true (reel_set_equal (copy->set, set));
  g_assert_true (reel_shot_camera_equal (copy->camera, camera));

  plain_request = reel_prompt_new_request (project, plain, REEL_GENERATION_BACKGROUND, NULL,
                                           NULL, 1);
  g_assert_true (reel_set_equal (plain_request->set, set));
  g_assert_null (plain_request->camera);
}

static void
test_generate (void)
{
  g_autoptr(ReelProvider) provider = reel_provider_new_for_id ("greybox", NULL);
  g_autoptr(ReelGenerationRequest) request = base_request ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  ReelGenerationRecord *record;

  request->count = 3;
  request->seed = 40;
  request->negative_prompt = g_strdup ("people");
  request->kind = REEL_GENERATION_ANGLE;
  request->angle_id = g_strdup ("low");

  reel_generator_generate_async (REEL_GENERATOR (provider), request, NULL, NULL, NULL,
                                 ai_test_store_result, &result);
  ai_test_wait_result (&result, 10000);
  assets = reel_generator_generate_finish (REEL_GENERATOR (provider), result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 3);

  for (guint i = 0; i < assets->len; i++)
    {
      ReelAsset *asset = g_ptr_array_index (assets, i);

      g_assert_cmpstr (reel_asset_get_mime_type (asset), ==, REEL_MIME_PNG);
      g_assert_cmpint (reel_asset_get_width (asset), ==, 480);
      g_assert_cmpint (reel_asset_get_height (asset), ==, 270);
      record = reel_asset_get_generation (asset);
      g_assert_nonnull (record);
      g_assert_cmpstr (record->provider, ==, "greybox");
      g_assert_cmpstr (record->prompt, ==, "a quay at dawn");
      g_assert_cmpstr (record->negative_prompt, ==, "people");
      g_assert_cmpint (record->seed, ==, 40 + i);
      g_assert_cmpstr (record->kind, ==, "angle");
      g_assert_cmpstr (record->angle_id, ==, "low");
      g_assert_null (record->endpoint_host);
      g_assert_nonnull (strstr (record->parameters, "\"lens_mm\""));
      g_assert_cmpint (record->duration_ms, >=, 0);
    }

  /* Three seeds, three lights on the one set. */
  g_assert_false (g_str_equal (reel_asset_get_hash (g_ptr_array_index (assets, 0)),
                               reel_asset_get_hash (g_ptr_array_index (assets, 1))));
}

static void
test_no_video (void)
{
  g_autoptr(ReelProvider) provider = reel_provider_new_for_id ("greybox", NULL);
  g_autoptr(ReelGenerationRequest) request = base_request ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;

  request->kind = REEL_GENERATION_VIDEO;
  reel_generator_generate_async (REEL_GENERATOR (provider), request, NULL, NULL, NULL,
                                 ai_test_store_result, &result);
  ai_test_wait_result (&result, 10000);
  assets = reel_generator_generate_finish (REEL_GENERATOR (provider), result, &error);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NOT_SUPPORTED);
}

static void
test_speed (void)
{
  g_autoptr(ReelGenerationRequest) request = base_request ();
  gint64 start;

  request->width = 1344;
  request->height = 768;
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GBytes) png = reel_greybox_render_png (request, i);
    }
  /* Fast enough to be the default: well under a second each, even unoptimised. */
  g_assert_cmpint ((g_get_monotonic_time () - start) / 5, <, G_USEC_PER_SEC);
}


static ReelAsset *
solid_png_asset (ReelProject *project,
                 guint32      rgb)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 36);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ReelAsset) asset = NULL;
  char *data = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, rgb << 8 | 0xff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &data, &size, "png", &error, NULL));
  bytes = g_bytes_new_take (data, size);
  asset = reel_asset_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  return reel_project_add_asset (project, asset);
}

static gboolean
references_hold (ReelGenerationRequest *request,
                 ReelAsset             *asset)
{
  g_autoptr(GPtrArray) references = reel_generation_request_list_references (request);

  for (guint i = 0; i < references->len; i++)
    if (g_str_equal (reel_asset_get_hash (references->pdata[i]), reel_asset_get_hash (asset)))
      return TRUE;
  return FALSE;
}

/* The establishing shot's chosen background goes with every other angle of the scene: with
 * a camera-angle variant of a shot, with the first background of a shot "New angle" made;
 * not with the establishing shot's own backgrounds, nor with a scene that has none. */
static void
test_establishing_reference (void)
{
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(ReelScene) scene = reel_scene_new ();
  g_autoptr(ReelShot) wide = reel_shot_new ();
  g_autoptr(ReelShot) single = reel_shot_new ();
  g_autoptr(ReelSet) set = reel_set_new_from_template ("room");
  ReelCameraPose pose = { 0, 3, 1.6, 0, 0, 0, 35 };
  g_autoptr(ReelShotCamera) camera = NULL;
  g_autoptr(ReelGenerationRequest) angle = NULL;
  g_autoptr(ReelGenerationRequest) fresh = NULL;
  g_autoptr(ReelGenerationRequest) own = NULL;
  g_autoptr(ReelGenerationRequest) copy = NULL;
  g_autoptr(ReelGenerationRequest) none = NULL;
  ReelAsset *place, *single_background;
  ReelShot *new_angle;

  reel_project_append_scene (project, scene);
  reel_scene_append_shot (scene, wide);
  reel_scene_append_shot (scene, single);
  reel_scene_set_set (scene, set);
  reel_camera_pose_look_at (&pose, -0.9, 1.6, 0.2);
  camera = reel_shot_camera_new (&pose);
  reel_shot_camera_set_subject (camera, "A");
  reel_shot_set_camera (single, camera);

  /* No establishing shot yet: nothing to keep. */
  none = reel_prompt_new_request (project, single, REEL_GENERATION_ANGLE, "low", NULL, 1);
  g_assert_null (none->establishing);

  place = solid_png_asset (project, 0x336699);
  single_background = solid_png_asset (project, 0x996633);
  reel_shot_set_framing (wide, "establishing");
  reel_shot_set_background (wide, reel_asset_get_hash (place));
  reel_shot_set_background (single, reel_asset_get_hash (single_background));
  g_assert_cmpstr (reel_scene_get_look_background (scene), ==, reel_asset_get_hash (place));

  angle = reel_prompt_new_request (project, single, REEL_GENERATION_ANGLE, "low", NULL, 1);
  g_assert_true (angle->establishing == place);
  g_assert_true (angle->background == single_background);
  g_assert_true (references_hold (angle, place));
  g_assert_true (references_hold (angle, single_background));
  copy = reel_generation_request_copy (angle);
  g_assert_true (copy->establishing == place);

  /* "New angle" makes a shot with no background: its first one is asked for the same place. */
  new_angle = reel_edit_add_new_angle (project, single, REEL_NEW_ANGLE_WIDER, NULL);
  g_assert_nonnull (new_angle);
  g_assert_null (reel_shot_get_background (new_angle));
  fresh = reel_prompt_new_request (project, new_angle, REEL_GENERATION_BACKGROUND, NULL, NULL, 1);
  g_assert_true (fresh->establishing == place);
  g_assert_true (references_hold (fresh, place));

  /* The establishing shot's own variants keep what they always had. */
  own = reel_prompt_new_request (project, wide, REEL_GENERATION_ANGLE, "high", NULL, 1);
  g_assert_null (own->establishing);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/greybox/same-seed-same-image", test_same_seed_same_image);
  g_test_add_func ("/greybox/seeds-differ", test_seeds_differ);
  g_test_add_func ("/greybox/scene-is-one-place", test_scene_is_one_place);
  g_test_add_func ("/greybox/scene-set-and-camera", test_scene_set_and_camera);
  g_test_add_func ("/greybox/request-from-shot", test_request_from_shot);
  g_test_add_func ("/greybox/establishing-reference", test_establishing_reference);
  g_test_add_data_func ("/greybox/changes/low-angle", change_low, test_camera_changes_image);
  g_test_add_data_func ("/greybox/changes/high-angle", change_high, test_camera_changes_image);
  g_test_add_data_func ("/greybox/changes/dutch", change_dutch, test_camera_changes_image);
  g_test_add_data_func ("/greybox/changes/lens", change_lens, test_camera_changes_image);
  g_test_add_data_func ("/greybox/changes/height", change_height, test_camera_changes_image);
  g_test_add_data_func ("/greybox/changes/interior", change_interior,
                        test_camera_changes_image);
  g_test_add_data_func ("/greybox/changes/night", change_night, test_camera_changes_image);
  g_test_add_data_func ("/greybox/changes/dusk", change_dusk, test_camera_changes_image);
  g_test_add_func ("/greybox/horizon-follows-tilt", test_horizon_follows_tilt);
  g_test_add_func ("/greybox/generate", test_generate);
  g_test_add_func ("/greybox/no-video", test_no_video);
  g_test_add_func ("/greybox/speed", test_speed);

  return g_test_run ();
}
