/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <string.h>

#include "ai/reel-ai-error.h"
#include "ai/reel-greybox.h"
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

static void
test_seeds_differ (void)
{
  g_autoptr(ReelGenerationRequest) request = base_request ();
  g_autoptr(GBytes) a = reel_greybox_render_png (request, 1);
  g_autoptr(GBytes) b = reel_greybox_render_png (request, 2);

  g_assert_cmpfloat (difference (a, b), >, 2.0);
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

  /* Three seeds, three different sets. */
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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/greybox/same-seed-same-image", test_same_seed_same_image);
  g_test_add_func ("/greybox/seeds-differ", test_seeds_differ);
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
