/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test-board"

#include "config.h"

#include <gtk/gtk.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#include "storage/reel-demo.h"

#include "test-board-util.h"
#include "../reel-test-require.h"
#include "../reel-test-wait.h"

gboolean
board_test_spin_until (gboolean (*condition) (gpointer),
                       gpointer   data,
                       guint      timeout_ms)
{
  return reel_test_wait_until (condition, data, timeout_ms);
}

void
board_test_settle (void)
{
  reel_test_settle ();
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_check_finish (G_SUBPROCESS (object), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

void
board_test_xdotool (const char * const *argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  g_ptr_array_add (args, (gpointer) "xdotool");
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_newv ((const char * const *) args->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, wait_cb, &done);
  g_assert_true (board_test_spin_until (is_true, &done, 30000));

#ifdef GDK_WINDOWING_X11
  /* A round trip brings every event xdotool caused into this process. */
  if (GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    XSync (gdk_x11_display_get_xdisplay (gdk_display_get_default ()), False);
#endif
}

char *
board_test_window_id (GtkWidget *widget)
{
#ifdef GDK_WINDOWING_X11
  GdkSurface *surface = gtk_native_get_surface (gtk_widget_get_native (widget));

  if (GDK_IS_X11_SURFACE (surface))
    return g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (surface));
#endif

  reel_test_require (FALSE, "an X11 display (these tests drive real input with xdotool)");
  return NULL;
}

void
board_test_to_surface (GtkWidget *widget,
                       double     x,
                       double     y,
                       int       *surface_x,
                       int       *surface_y)
{
  GtkNative *native = gtk_widget_get_native (widget);
  graphene_point_t point;
  double offset_x, offset_y;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (x, y), &point));
  gtk_native_get_surface_transform (native, &offset_x, &offset_y);
  *surface_x = (int) (point.x + offset_x + 0.5);
  *surface_y = (int) (point.y + offset_y + 0.5);
}

GdkTexture *
board_test_render_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

guint
board_test_count_differences (GdkTexture *a,
                              GdkTexture *b,
                              int         x,
                              int         y,
                              int         width,
                              int         height)
{
  int texture_width = gdk_texture_get_width (a);
  int texture_height = gdk_texture_get_height (a);
  gsize stride = texture_width * 4;
  g_autofree guchar *pixels_a = g_malloc (stride * texture_height);
  g_autofree guchar *pixels_b = g_malloc (stride * texture_height);
  guint differences = 0;

  g_assert_cmpint (gdk_texture_get_width (b), ==, texture_width);
  g_assert_cmpint (gdk_texture_get_height (b), ==, texture_height);

  if (width == 0)
    {
      x = y = 0;
      width = texture_width;
      height = texture_height;
    }

  gdk_texture_download (a, pixels_a, stride);
  gdk_texture_download (b, pixels_b, stride);

  for (int row = MAX (y, 0); row < MIN (y + height, texture_height); row++)
    for (int column = MAX (x, 0); column < MIN (x + width, texture_width); column++)
      {
        gsize offset = row * stride + column * 4;

        if (memcmp (pixels_a + offset, pixels_b + offset, 4) != 0)
          differences++;
      }

  return differences;
}

static void
copy_stroke (const char *layer,
             guint       position,
             ReelStroke *stroke,
             gpointer    user_data)
{
  reel_sketch_append_stroke (user_data, layer, stroke);
}

ReelProject *
board_test_project_new (guint n_scenes,
                        guint shots_per_scene)
{
  g_autoptr(ReelProject) demo = reel_demo_project_new ();
  ReelScene *demo_scene = reel_project_get_scene (demo, 0);
  guint n_demo_shots = reel_scene_get_n_shots (demo_scene);
  ReelProject *project = reel_project_new ();

  for (guint s = 0; s < n_scenes; s++)
    {
      g_autoptr(ReelScene) scene = reel_scene_new ();
      g_autofree char *number = g_strdup_printf ("%u", s + 1);

      reel_scene_set_number (scene, number);
      reel_scene_set_int_ext (scene, s % 2 ? REEL_INT_EXT_INT : REEL_INT_EXT_EXT);
      reel_scene_set_location (scene, s % 2 ? "LIGHTHOUSE" : "HARBOUR");
      reel_scene_set_time_of_day (scene, "DAWN");

      for (guint i = 0; i < shots_per_scene; i++)
        {
          guint index = (s * shots_per_scene + i) % n_demo_shots;
          ReelShot *model = reel_scene_get_shot (demo_scene, index);
          g_autoptr(ReelShot) shot = reel_shot_new ();
          g_autofree char *shot_number = g_strdup_printf ("%u-%u", s + 1, i + 1);

          reel_shot_set_number (shot, shot_number);
          reel_shot_set_description (shot, reel_shot_get_description (model));
          reel_shot_set_size (shot, reel_shot_get_size (model));
          reel_shot_set_angle (shot, reel_shot_get_angle (model));
          reel_shot_set_duration (shot, reel_shot_get_duration (model));
          reel_sketch_foreach (reel_shot_get_sketch (model), copy_stroke,
                               reel_shot_get_sketch (shot));
          reel_scene_append_shot (scene, shot);
        }

      reel_project_append_scene (project, scene);
    }

  return project;
}

typedef struct
{
  GtkAdjustment *adjustment;
  double step;
  guint n_frames;
  gboolean done;
} ScrollToEnd;

static gboolean
scroll_to_end_tick_cb (GtkWidget     *widget,
                       GdkFrameClock *clock,
                       gpointer       user_data)
{
  ScrollToEnd *scroll = user_data;
  double end = gtk_adjustment_get_upper (scroll->adjustment) -
               gtk_adjustment_get_page_size (scroll->adjustment);
  double value = gtk_adjustment_get_value (scroll->adjustment);

  if (value >= end)
    {
      scroll->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  scroll->n_frames++;
  gtk_adjustment_set_value (scroll->adjustment, MIN (value + scroll->step, end));
  return G_SOURCE_CONTINUE;
}

static gboolean
scroll_to_end_done (gpointer data)
{
  return ((ScrollToEnd *) data)->done;
}

guint
board_test_scroll_to_end (GtkWidget     *widget,
                          GtkAdjustment *adjustment,
                          double         step,
                          guint          timeout_ms)
{
  ScrollToEnd scroll = { adjustment, step, 0, FALSE };

  g_assert_cmpfloat (step, >, 0);
  gtk_widget_add_tick_callback (widget, scroll_to_end_tick_cb, &scroll, NULL);
  g_assert_true (board_test_spin_until (scroll_to_end_done, &scroll, timeout_ms));
  return scroll.n_frames;
}
