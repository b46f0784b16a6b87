/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Waiting in a UI test: for a state, never for a time. CI is a busy 2-core machine where
 * a frame may take a second; the deadline (REEL_TEST_DEADLINE_MS) is only reached by a
 * test that is really stuck.
 *
 * Include it as "../reel-test-wait.h" from a test in tests/<layer>/ that uses GTK.
 */
#pragma once

#include <gtk/gtk.h>

#define REEL_TEST_DEADLINE_MS 60000

static inline gboolean
reel_test_wait_heartbeat_cb (gpointer data)
{
  /* Only wakes the loop, so a state changed by another thread is seen too. */
  return G_SOURCE_CONTINUE;
}

/* Iterates the main loop until @condition holds; FALSE at the deadline (@timeout_ms,
 * never less than REEL_TEST_DEADLINE_MS). */
static inline gboolean
reel_test_wait_until (gboolean (*condition) (gpointer data),
                      gpointer   data,
                      guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () +
               (gint64) MAX (timeout_ms, REEL_TEST_DEADLINE_MS) * 1000;
  guint heartbeat = g_timeout_add (20, reel_test_wait_heartbeat_cb, NULL);
  gboolean reached;

  while (!(reached = condition (data)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (heartbeat);

  return reached;
}

static inline void
reel_test_after_paint_cb (GdkFrameClock *clock,
                          gboolean      *painted)
{
  *painted = TRUE;
}

static inline gboolean
reel_test_is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Waits until the window of @widget has laid out and drawn a frame that began after
 * this call: allocations are current and input sent before it has been handled. */
static inline void
reel_test_wait_frame (GtkWidget *widget)
{
  GtkWidget *native = GTK_WIDGET (gtk_widget_get_native (widget));
  GdkFrameClock *clock = native != NULL ? gtk_widget_get_frame_clock (native) : NULL;
  gboolean painted = FALSE;
  gulong handler;

  if (clock == NULL || !gtk_widget_get_mapped (native))
    return;

  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (reel_test_after_paint_cb),
                              &painted);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_LAYOUT);
  if (!reel_test_wait_until (reel_test_is_true, &painted, REEL_TEST_DEADLINE_MS))
    g_error ("No frame of %s within %d s", G_OBJECT_TYPE_NAME (native),
             REEL_TEST_DEADLINE_MS / 1000);
  g_signal_handler_disconnect (clock, handler);
}

/* Dispatches what is pending on the main loop, then waits for a frame of every mapped
 * window. */
static inline void
reel_test_settle (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < 1000 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      reel_test_wait_frame (window);
    }
}
