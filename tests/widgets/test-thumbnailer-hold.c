/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test-thumbnailer-hold"

#include "config.h"

#include <gtk/gtk.h>

#include "storage/reel-demo.h"
#include "widgets/reel-thumbnailer.h"

#include "../reel-test-require.h"

/* Thumbnails wait for the window's first frame, and for a window that opens a file (busy
 * while it reads it), for the first frame painted when it is no longer busy: that is the
 * frame the user waits for, and on a two-core machine the renders would slow it down. */

#define DEADLINE_US (60 * G_USEC_PER_SEC)

/* A window with a "busy" property, as ReelWindow has. */
#define TEST_TYPE_BUSY_WINDOW (test_busy_window_get_type ())
G_DECLARE_FINAL_TYPE (TestBusyWindow, test_busy_window, TEST, BUSY_WINDOW, GtkWindow)

struct _TestBusyWindow
{
  GtkWindow parent_instance;
  gboolean busy;
};

G_DEFINE_FINAL_TYPE (TestBusyWindow, test_busy_window, GTK_TYPE_WINDOW)

static GParamSpec *busy_pspec;

static void
test_busy_window_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  g_value_set_boolean (value, TEST_BUSY_WINDOW (object)->busy);
}

static void
test_busy_window_class_init (TestBusyWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_busy_window_get_property;
  busy_pspec = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS
                                     | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_property (object_class, 1, busy_pspec);
}

static void
test_busy_window_init (TestBusyWindow *self)
{
}

static void
test_busy_window_set_busy (TestBusyWindow *self,
                           gboolean        busy)
{
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), busy_pspec);
}

typedef struct
{
  GdkTexture *texture;
  gboolean done;
} Result;

static void
render_cb (GObject      *object,
           GAsyncResult *async_result,
           gpointer      user_data)
{
  Result *result = user_data;
  g_autoptr(GError) error = NULL;

  result->texture = reel_thumbnailer_render_finish (REEL_THUMBNAILER (object), async_result,
                                                    &error);
  g_assert_no_error (error);
  result->done = TRUE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  (*(guint *) user_data)++;
}

/* Main-loop iterations until @n_painted reaches @n, asking for a frame each time. */
static void
wait_painted (GtkWidget *window,
              guint     *n_painted,
              guint      n)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_US;

  while (*n_painted < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      gtk_widget_queue_draw (window);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
wait_done (Result *result)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_US;

  while (!result->done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_hold (gboolean busy)
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_autoptr(ReelThumbnailer) thumbnailer = reel_thumbnailer_new (0);
  ReelShot *shot = reel_scene_get_shot (reel_project_get_scene (project, 0), 0);
  TestBusyWindow *window = g_object_new (TEST_TYPE_BUSY_WINDOW, NULL);
  Result result = { 0 };
  guint n_painted = 0;

  test_busy_window_set_busy (window, busy);
  gtk_window_set_default_size (GTK_WINDOW (window), 320, 200);
  reel_thumbnailer_hold_until_painted (GTK_WIDGET (window));
  gtk_widget_realize (GTK_WIDGET (window));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (after_paint_cb), &n_painted);
  /* Mapped, and so holding, from here on; a strip asks for thumbnails once it is shown. */
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  reel_thumbnailer_render_async (thumbnailer, project, shot, 160, 90, NULL, render_cb, &result);

  /* Held until the first frame: nothing may have run before it. */
  g_assert_cmpuint (reel_thumbnailer_get_n_rendered (thumbnailer), ==, 0);

  if (busy)
    {
      /* Frames painted while busy keep holding. */
      wait_painted (GTK_WIDGET (window), &n_painted, 3);
      g_assert_false (result.done);
      g_assert_cmpuint (reel_thumbnailer_get_n_rendered (thumbnailer), ==, 0);

      test_busy_window_set_busy (window, FALSE);
    }

  wait_done (&result);
  g_assert_nonnull (result.texture);
  g_assert_cmpuint (reel_thumbnailer_get_n_rendered (thumbnailer), ==, 1);

  g_clear_object (&result.texture);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_hold_first_frame (void)
{
  test_hold (FALSE);
}

static void
test_hold_while_busy (void)
{
  test_hold (TRUE);
}

int
main (int   argc,
      char *argv[])
{
  reel_test_require_x11 (FALSE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/thumbnailer/hold/first-frame", test_hold_first_frame);
  g_test_add_func ("/thumbnailer/hold/while-busy", test_hold_while_busy);

  return reel_test_run ();
}
