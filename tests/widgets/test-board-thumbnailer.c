/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test-board"

#include "config.h"

#include <fontconfig/fontconfig.h>
#include <string.h>

#include "core/reel-edit.h"
#include "core/reel-panel.h"
#include "storage/reel-demo.h"
#include "widgets/reel-thumbnailer.h"

/* The thumbnailer of the shot strip, without a display: thumbnails rendered on worker
 * threads show exactly the panel, the cache is bounded and least-recently-used, a
 * changed shot is rendered again, identical requests share a render, and requests
 * cancelled before their turn cost nothing. */

#define WIDTH  160
#define HEIGHT 90

typedef struct
{
  GdkTexture *texture;
  GError     *error;
  gboolean    done;
} Result;

static void
result_clear (Result *result)
{
  g_clear_object (&result->texture);
  g_clear_error (&result->error);
  result->done = FALSE;
}

static void
render_cb (GObject      *object,
           GAsyncResult *async_result,
           gpointer      user_data)
{
  Result *result = user_data;

  result->texture = reel_thumbnailer_render_finish (REEL_THUMBNAILER (object), async_result,
                                                    &result->error);
  result->done = TRUE;
}

static void
wait_for (Result *result)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!result->done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static GdkTexture *
render (ReelThumbnailer *thumbnailer,
        ReelProject     *project,
        ReelShot        *shot)
{
  Result result = { 0 };

  reel_thumbnailer_render_async (thumbnailer, project, shot, WIDTH, HEIGHT, NULL, render_cb,
                                 &result);
  wait_for (&result);
  g_assert_no_error (result.error);
  g_assert_nonnull (result.texture);

  return result.texture;
}

static guchar *
texture_pixels (GdkTexture *texture)
{
  guchar *pixels = g_malloc (WIDTH * 4 * HEIGHT);

  g_assert_cmpint (gdk_texture_get_width (texture), ==, WIDTH);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, HEIGHT);
  gdk_texture_download (texture, pixels, WIDTH * 4);

  return pixels;
}

static ReelShot *
demo_shot (ReelProject *project,
           guint        index)
{
  return reel_scene_get_shot (reel_project_get_scene (project, 0), index);
}

static void
test_matches_panel (void)
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_autoptr(ReelThumbnailer) thumbnailer = reel_thumbnailer_new (0);
  ReelShot *shot = demo_shot (project, 1);
  g_autoptr(GdkTexture) texture = render (thumbnailer, project, shot);
  g_autofree guchar *pixels = texture_pixels (texture);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cairo_t *cr = cairo_create (surface);
  guint differences = 0;

  g_assert_false (reel_sketch_is_empty (reel_shot_get_sketch (shot)));

  /* The same pixels as the panel drawn here on the main thread. */
  reel_panel_render (project, shot, cr, WIDTH, HEIGHT);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  for (int y = 0; y < HEIGHT; y++)
    {
      const guchar *row = cairo_image_surface_get_data (surface) +
                          y * cairo_image_surface_get_stride (surface);

      if (memcmp (pixels + y * WIDTH * 4, row, WIDTH * 4) != 0)
        differences++;
    }
  cairo_surface_destroy (surface);

  g_assert_cmpuint (differences, ==, 0);
  g_assert_cmpuint (reel_thumbnailer_get_n_rendered (thumbnailer), ==, 1);
}

static void
test_cache_and_revisions (void)
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_autoptr(ReelThumbnailer) thumbnailer = reel_thumbnailer_new (0);
  ReelShot *shot = demo_shot (project, 0);
  g_autoptr(GdkTexture) first = render (thumbnailer, project, shot);
  g_autoptr(GdkTexture) again = NULL;
  g_autoptr(GdkTexture) changed = NULL;
  g_autoptr(ReelStroke) stroke = NULL;
  g_autofree guchar *first_pixels = NULL;
  g_autofree guchar *changed_pixels = NULL;
  const ReelStrokePoint points[] = {
    { 0.1f, 0.1f, 1, 0, 0 }, { 0.9f, 0.9f, 1, 0, 0 },
  };
  const ReelColor red = { 1, 0, 0, 1 };
  gboolean current = FALSE;

  /* Asking again costs nothing: the cached texture comes back. */
  g_assert_true (reel_thumbnailer_lookup (thumbnailer, shot, WIDTH, HEIGHT, &current) == first);
  g_assert_true (current);
  again = render (thumbnailer, project, shot);
  g_assert_true (again == first);
  g_assert_cmpuint (reel_thumbnailer_get_n_rendered (thumbnailer), ==, 1);

  /* Another size is another render. */
  g_assert_nonnull (reel_thumbnailer_lookup (thumbnailer, shot, WIDTH * 2, HEIGHT * 2, &current));
  g_assert_false (current);

  /* A new stroke makes the cached picture stale: it is still handed out (better than
   * nothing on screen) until the new one is rendered. */
  stroke = reel_stroke_new (REEL_TOOL_MARKER, &red, 0.05, points, G_N_ELEMENTS (points), NULL);
  g_assert_true (reel_edit_add_stroke (project, shot, REEL_LAYER_SKETCH, stroke));
  g_assert_true (reel_thumbnailer_lookup (thumbnailer, shot, WIDTH, HEIGHT, &current) == first);
  g_assert_false (current);

  changed = render (thumbnailer, project, shot);
  g_assert_cmpuint (reel_thumbnailer_get_n_rendered (thumbnailer), ==, 2);
  g_assert_true (reel_thumbnailer_lookup (thumbnailer, shot, WIDTH, HEIGHT, &current) == changed);
  g_assert_true (current);
  first_pixels = texture_pixels (first);
  changed_pixels = texture_pixels (changed);
  g_assert_true (memcmp (first_pixels, changed_pixels, WIDTH * 4 * HEIGHT) != 0);
}

static void
test_least_recently_used (void)
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_autoptr(ReelThumbnailer) thumbnailer = reel_thumbnailer_new (4);
  GdkTexture *texture;

  g_assert_cmpuint (reel_thumbnailer_get_capacity (thumbnailer), ==, 4);

  for (guint i = 0; i < 4; i++)
    {
      texture = render (thumbnailer, project, demo_shot (project, i));
      g_object_unref (texture);
    }
  g_assert_cmpuint (reel_thumbnailer_get_n_cached (thumbnailer), ==, 4);

  /* Shot 0 is looked at again, so shot 1 is now the least recently used. */
  g_assert_nonnull (reel_thumbnailer_lookup (thumbnailer, demo_shot (project, 0), WIDTH, HEIGHT,
                                             NULL));
  texture = render (thumbnailer, project, demo_shot (project, 4));
  g_object_unref (texture);

  g_assert_cmpuint (reel_thumbnailer_get_n_cached (thumbnailer), ==, 4);
  g_assert_null (reel_thumbnailer_lookup (thumbnailer, demo_shot (project, 1), WIDTH, HEIGHT,
                                          NULL));
  g_assert_nonnull (reel_thumbnailer_lookup (thumbnailer, demo_shot (project, 0), WIDTH, HEIGHT,
                                             NULL));
  g_assert_nonnull (reel_thumbnailer_lookup (thumbnailer, demo_shot (project, 4), WIDTH, HEIGHT,
                                             NULL));

  reel_thumbnailer_clear (thumbnailer);
  g_assert_cmpuint (reel_thumbnailer_get_n_cached (thumbnailer), ==, 0);
}

static void
test_shared_and_cancelled (void)
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_autoptr(ReelThumbnailer) thumbnailer = reel_thumbnailer_new (0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result results[5] = { 0 };

  /* Two renders run at a time: shots 0 and 1 start at once, the same request for
   * shot 1 joins its render, shot 2 waits and is cancelled, shot 3 waits. */
  reel_thumbnailer_render_async (thumbnailer, project, demo_shot (project, 0), WIDTH, HEIGHT,
                                 NULL, render_cb, &results[0]);
  reel_thumbnailer_render_async (thumbnailer, project, demo_shot (project, 1), WIDTH, HEIGHT,
                                 NULL, render_cb, &results[1]);
  reel_thumbnailer_render_async (thumbnailer, project, demo_shot (project, 1), WIDTH, HEIGHT,
                                 NULL, render_cb, &results[2]);
  reel_thumbnailer_render_async (thumbnailer, project, demo_shot (project, 2), WIDTH, HEIGHT,
                                 cancellable, render_cb, &results[3]);
  reel_thumbnailer_render_async (thumbnailer, project, demo_shot (project, 3), WIDTH, HEIGHT,
                                 NULL, render_cb, &results[4]);
  g_cancellable_cancel (cancellable);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    wait_for (&results[i]);

  g_assert_no_error (results[0].error);
  g_assert_no_error (results[1].error);
  g_assert_no_error (results[2].error);
  g_assert_true (results[1].texture == results[2].texture);
  g_assert_error (results[3].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (results[3].texture);
  g_assert_no_error (results[4].error);

  /* Shots 0, 1 and 3: the shared and the cancelled requests rendered nothing. */
  g_assert_cmpuint (reel_thumbnailer_get_n_rendered (thumbnailer), ==, 3);
  g_assert_null (reel_thumbnailer_lookup (thumbnailer, demo_shot (project, 2), WIDTH, HEIGHT,
                                          NULL));

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    result_clear (&results[i]);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/board/thumbnailer/matches-panel", test_matches_panel);
  g_test_add_func ("/board/thumbnailer/cache-and-revisions", test_cache_and_revisions);
  g_test_add_func ("/board/thumbnailer/least-recently-used", test_least_recently_used);
  g_test_add_func ("/board/thumbnailer/shared-and-cancelled", test_shared_and_cancelled);

  status = g_test_run ();

  /* The demo's text labels load fonts: let the leak checker see them go. */
  reel_panel_clear_cache ();
  cairo_debug_reset_static_data ();
  FcFini ();

  return status;
}
