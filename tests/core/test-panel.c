/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <fontconfig/fontconfig.h>

#include "reel-test-project.h"

static guint32
pixel (cairo_surface_t *surface,
       int              x,
       int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return ((const guint32 *) (data + y * stride))[x] & 0x00ffffff;
}

/* Anything drawn in column @x between the safe areas' top and bottom? */
static gboolean
column_has_ink (cairo_surface_t *surface,
                int              x)
{
  for (int y = 30; y < 150; y++)
    if (pixel (surface, x, y) != 0)
      return TRUE;

  return FALSE;
}

static cairo_surface_t *
render_shot (ReelProject *project,
             ReelShot    *shot,
             int          width,
             int          height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);

  reel_panel_render (project, shot, cr, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

typedef struct
{
  ReelProject *project;
  ReelScene *scene;
  ReelShot *shot;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->project = reel_project_new ();
  fixture->scene = reel_scene_new ();
  fixture->shot = reel_shot_new ();
  reel_project_append_scene (fixture->project, fixture->scene);
  reel_scene_append_shot (fixture->scene, fixture->shot);
  reel_project_set_aspect_ratio (fixture->project, 2.0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->shot);
  g_clear_object (&fixture->scene);
  g_clear_object (&fixture->project);
  reel_panel_clear_cache ();
}

static ReelAsset *
add_background (ReelProject *project,
                int          width,
                int          height,
                guint32      rgba)
{
  g_autoptr(GBytes) png = reel_test_make_png (width, height, rgba);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelAsset) asset = reel_asset_new_from_bytes (png, &error);

  g_assert_no_error (error);
  return reel_project_add_asset (project, asset);
}

static void
test_empty_panel (Fixture       *fixture,
                  gconstpointer  data)
{
  cairo_surface_t *surface = render_shot (fixture->project, fixture->shot, 64, 32);
  guint8 grey = (guint8) (REEL_PANEL_FILL_RED * 255 + 0.5);
  guint32 expected = (grey << 16) | (grey << 8) | grey;

  g_assert_cmphex (pixel (surface, 0, 0), ==, expected);
  g_assert_cmphex (pixel (surface, 63, 31), ==, expected);
  cairo_surface_destroy (surface);
}

static void
test_background_cover (Fixture       *fixture,
                       gconstpointer  data)
{
  /* A square red image behind a 2:1 panel: scaled to cover, it fills it all. */
  ReelAsset *red = add_background (fixture->project, 10, 10, 0xff0000ff);
  cairo_surface_t *surface;

  reel_shot_set_background (fixture->shot, reel_asset_get_hash (red));
  surface = render_shot (fixture->project, fixture->shot, 200, 100);
  g_assert_cmphex (pixel (surface, 0, 0), ==, 0xff0000);
  g_assert_cmphex (pixel (surface, 199, 99), ==, 0xff0000);
  g_assert_cmphex (pixel (surface, 100, 50), ==, 0xff0000);
  cairo_surface_destroy (surface);

  /* An unknown hash shows the neutral panel instead of failing. */
  reel_shot_set_background (fixture->shot, "0123");
  surface = render_shot (fixture->project, fixture->shot, 200, 100);
  g_assert_cmphex (pixel (surface, 100, 50), !=, 0xff0000);
  cairo_surface_destroy (surface);
}

static void
test_background_is_centred (Fixture       *fixture,
                            gconstpointer  data)
{
  /* A tall image, blue at the top half and green at the bottom half, behind a
   * wide panel: cover crops the top and bottom equally, so the panel's top row
   * is blue and its bottom row green. */
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 10, 40);
  g_autoptr(GdkPixbuf) bottom = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelAsset) asset = NULL;
  g_autoptr(GBytes) bytes = NULL;
  cairo_surface_t *surface;
  char *buffer;
  gsize size;

  gdk_pixbuf_fill (pixbuf, 0x0000ffff);
  bottom = gdk_pixbuf_new_subpixbuf (pixbuf, 0, 20, 10, 20);
  gdk_pixbuf_fill (bottom, 0x00ff00ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL));
  bytes = g_bytes_new_take (buffer, size);
  asset = reel_asset_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  reel_project_add_asset (fixture->project, asset);
  reel_shot_set_background (fixture->shot, reel_asset_get_hash (asset));

  surface = render_shot (fixture->project, fixture->shot, 200, 100);
  g_assert_cmphex (pixel (surface, 100, 0), ==, 0x0000ff);
  g_assert_cmphex (pixel (surface, 100, 99), ==, 0x00ff00);
  cairo_surface_destroy (surface);
}

static void
test_sketch_over_background (Fixture       *fixture,
                             gconstpointer  data)
{
  ReelAsset *red = add_background (fixture->project, 16, 8, 0xff0000ff);
  ReelStrokePoint points[] = { { 0.1f, 0.5f, 1, 0, 0 }, { 0.9f, 0.5f, 1, 0, 0 } };
  ReelColor black = { 0, 0, 0, 1 };
  g_autoptr(ReelStroke) stroke = reel_stroke_new (REEL_TOOL_PEN, &black, 0.1, points, 2, NULL);
  g_autoptr(ReelStroke) eraser = reel_stroke_new (REEL_TOOL_ERASER, &black, 0.3, points, 2, NULL);
  cairo_surface_t *surface;

  reel_shot_set_background (fixture->shot, reel_asset_get_hash (red));
  reel_sketch_append_stroke (reel_shot_get_sketch (fixture->shot), REEL_LAYER_SKETCH, stroke);
  surface = render_shot (fixture->project, fixture->shot, 200, 100);
  g_assert_cmphex (pixel (surface, 100, 50), ==, 0x000000);
  g_assert_cmphex (pixel (surface, 100, 20), ==, 0xff0000);
  cairo_surface_destroy (surface);

  /* An eraser clears the sketch, never the background under it. */
  reel_sketch_append_stroke (reel_shot_get_sketch (fixture->shot), REEL_LAYER_SKETCH, eraser);
  surface = render_shot (fixture->project, fixture->shot, 200, 100);
  g_assert_cmphex (pixel (surface, 100, 50), ==, 0xff0000);
  cairo_surface_destroy (surface);
}

static void
test_png (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(ReelAsset) decoded = NULL;
  ReelAsset *red = add_background (fixture->project, 4, 4, 0xff0000ff);

  reel_shot_set_background (fixture->shot, reel_asset_get_hash (red));
  reel_project_set_aspect_ratio (fixture->project, 2.39);
  png = reel_panel_render_png (fixture->project, fixture->shot, 478, &error);
  g_assert_no_error (error);

  decoded = reel_asset_new_from_bytes (png, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reel_asset_get_mime_type (decoded), ==, REEL_MIME_PNG);
  g_assert_cmpint (reel_asset_get_width (decoded), ==, 478);
  g_assert_cmpint (reel_asset_get_height (decoded), ==, 200);

  g_assert_cmpint (reel_panel_height_for_width (0.5625, 90), ==, 160);
  g_assert_cmpint (reel_panel_height_for_width (1.78, 1920), ==, 1079);

  g_clear_pointer (&png, g_bytes_unref);
  png = reel_panel_render_png (fixture->project, fixture->shot, 0, &error);
  g_assert_null (png);
  g_assert_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_VALUE);
}

static void
test_guides (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 320, 180);
  cairo_t *cr = cairo_create (surface);
  double x, y, w, h;

  /* White canvas, 2.39 mask on a 16:9 frame: letterbox bands top and bottom. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  reel_framing_guides_draw (cr, 320, 180, 2.39, REEL_GUIDE_MASK);
  cairo_surface_flush (surface);
  reel_framing_get_frame_rect (320, 180, 2.39, &x, &y, &w, &h);
  g_assert_cmpfloat (w, ==, 320);
  g_assert_cmpfloat_with_epsilon (h, 320 / 2.39, 1e-9);
  g_assert_cmpfloat_with_epsilon (y, (180 - h) / 2, 1e-9);
  g_assert_cmphex (pixel (surface, 160, 5), <, 0x808080);       /* band */
  g_assert_cmphex (pixel (surface, 160, 175), <, 0x808080);     /* band */
  g_assert_cmphex (pixel (surface, 160, 90), ==, 0xffffff);     /* picture */
  g_assert_cmphex (pixel (surface, 5, 90), ==, 0xffffff);       /* no pillars */

  /* A vertical frame on a wide canvas: pillarbox. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  reel_framing_guides_draw (cr, 320, 180, 0.5625, REEL_GUIDE_MASK);
  cairo_surface_flush (surface);
  reel_framing_get_frame_rect (320, 180, 0.5625, &x, &y, &w, &h);
  g_assert_cmpfloat (h, ==, 180);
  g_assert_cmpfloat_with_epsilon (w, 180 * 0.5625, 1e-9);
  g_assert_cmphex (pixel (surface, 5, 90), <, 0x808080);
  g_assert_cmphex (pixel (surface, 160, 5), ==, 0xffffff);

  /* Thirds, on black so that the lines show. */
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_paint (cr);
  reel_framing_guides_draw (cr, 300, 180, 300.0 / 180, REEL_GUIDE_THIRDS);
  cairo_surface_flush (surface);
  g_assert_cmphex (pixel (surface, 100, 30), !=, 0);
  g_assert_cmphex (pixel (surface, 30, 60), !=, 0);
  g_assert_cmphex (pixel (surface, 50, 30), ==, 0);

  /* Safe areas: 93 % and 90 % rectangles. */
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_paint (cr);
  reel_framing_guides_draw (cr, 300, 180, 300.0 / 180, REEL_GUIDE_ACTION_SAFE);
  cairo_surface_flush (surface);
  g_assert_true (column_has_ink (surface, (int) (300 * 0.035)));
  g_assert_false (column_has_ink (surface, (int) (300 * 0.05)));

  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_paint (cr);
  reel_framing_guides_draw (cr, 300, 180, 300.0 / 180, REEL_GUIDE_TITLE_SAFE);
  cairo_surface_flush (surface);
  g_assert_true (column_has_ink (surface, (int) (300 * 0.05)));
  g_assert_false (column_has_ink (surface, (int) (300 * 0.035)));

  /* No flags, no drawing. */
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_paint (cr);
  reel_framing_guides_draw (cr, 300, 180, 2.39, REEL_GUIDE_NONE);
  cairo_surface_flush (surface);
  g_assert_cmphex (pixel (surface, 150, 2), ==, 0);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

typedef struct
{
  ReelAsset *background;
  ReelSketch *sketch;
  GBytes *expected;
} ThreadData;

static gpointer
render_in_thread (gpointer user_data)
{
  ThreadData *data = user_data;

  for (int i = 0; i < 20; i++)
    {
      g_autoptr(GBytes) png = reel_panel_render_parts_png (data->background, data->sketch,
                                                           160, 90, NULL);

      if (!g_bytes_equal (png, data->expected))
        return GINT_TO_POINTER (FALSE);
      if (i % 7 == 0)
        reel_panel_clear_cache ();
    }

  return GINT_TO_POINTER (TRUE);
}

static void
test_threads (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (reel_test_seed (5));
  ReelAsset *background = add_background (fixture->project, 300, 200, 0x3366ccff);
  g_autoptr(ReelSketch) sketch = NULL;
  ThreadData thread_data;
  GThread *threads[4];

  for (int i = 0; i < 40; i++)
    {
      g_autoptr(ReelStroke) stroke = reel_test_random_stroke (rand);

      reel_sketch_append_stroke (reel_shot_get_sketch (fixture->shot), REEL_LAYER_SKETCH, stroke);
    }

  /* Workers get a copy of the sketch and the (immutable) asset. */
  sketch = reel_sketch_copy (reel_shot_get_sketch (fixture->shot));
  thread_data.background = background;
  thread_data.sketch = sketch;
  thread_data.expected = reel_panel_render_parts_png (background, sketch, 160, 90, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("panel", render_in_thread, &thread_data);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));

  g_bytes_unref (thread_data.expected);
}

static void
test_cache_shares_surface (Fixture       *fixture,
                           gconstpointer  data)
{
  ReelAsset *asset = add_background (fixture->project, 8, 8, 0x00ff00ff);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *first = reel_panel_lookup_surface (asset, &error);
  cairo_surface_t *second = reel_panel_lookup_surface (asset, &error);
  cairo_surface_t *third;

  g_assert_no_error (error);
  /* Decoded once. */
  g_assert_true (first == second);
  reel_panel_clear_cache ();
  third = reel_panel_lookup_surface (asset, &error);
  g_assert_true (third != first);
  g_assert_cmpint (cairo_image_surface_get_width (third), ==, 8);

  cairo_surface_destroy (first);
  cairo_surface_destroy (second);
  cairo_surface_destroy (third);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/panel/empty", Fixture, NULL, fixture_set_up, test_empty_panel,
              fixture_tear_down);
  g_test_add ("/panel/background-cover", Fixture, NULL, fixture_set_up, test_background_cover,
              fixture_tear_down);
  g_test_add ("/panel/background-centred", Fixture, NULL, fixture_set_up,
              test_background_is_centred, fixture_tear_down);
  g_test_add ("/panel/sketch-over-background", Fixture, NULL, fixture_set_up,
              test_sketch_over_background, fixture_tear_down);
  g_test_add ("/panel/png", Fixture, NULL, fixture_set_up, test_png, fixture_tear_down);
  g_test_add ("/panel/threads", Fixture, NULL, fixture_set_up, test_threads, fixture_tear_down);
  g_test_add ("/panel/cache", Fixture, NULL, fixture_set_up, test_cache_shares_surface,
              fixture_tear_down);
  g_test_add_func ("/panel/guides", test_guides);

  status = g_test_run ();

  /* Text strokes fill cairo's font caches: empty them so leak checks see ours. */
  reel_panel_clear_cache ();
  cairo_debug_reset_static_data ();
  FcFini ();

  return status;
}
