/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <X11/Xlib.h>

#include "../reel-test-require.h"
#include "window-test-util.h"

ReelApplication *test_app;

/* The Preview view is still the skeleton's placeholder (src/widgets/reel-preview-view.c,
 * owned by the media work): it leaves its status page parented when a window is
 * finalized, and GTK warns. That warning is not what these tests are about; every
 * other warning stays fatal. */
static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  /* GTK names the children left over in warnings of their own, right after. */
  static gboolean listing_children = FALSE;

  if (log_level & G_LOG_LEVEL_WARNING)
    for (gsize i = 0; i < n_fields; i++)
      if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
        {
          const char *message = fields[i].value;

          if (g_str_has_prefix (message, "Finalizing ReelPreviewView"))
            listing_children = TRUE;
          else if (!listing_children || !g_str_has_prefix (message, "   - "))
            break;
          return G_LOG_WRITER_HANDLED;
        }

  listing_children = FALSE;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

void
test_util_init (int    *argc,
                char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  g_autofree char *state = NULL;
  g_autofree char *data = NULL;

  /* Recovery files and recent files of this process only: tests running beside it
   * must not see them, nor it theirs. Before anything reads these variables. */
  home = g_dir_make_tmp ("storyreel-window-test-XXXXXX", &error);
  g_assert_no_error (error);
  state = g_build_filename (home, "state", NULL);
  data = g_build_filename (home, "data", NULL);
  g_mkdir_with_parents (state, 0700);
  g_mkdir_with_parents (data, 0700);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);

  reel_test_require_x11 (TRUE);
  gtk_test_init (argc, argv, NULL);
  g_log_set_writer_func (log_writer, NULL, NULL);

  test_app = reel_application_new ();
  g_application_set_flags (G_APPLICATION (test_app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (test_app), NULL, &error);
  g_assert_no_error (error);
  /* Closing the last window must not end the application between tests. */
  g_application_hold (G_APPLICATION (test_app));
}

/* Wakes a blocking main-loop iteration now and then, so a condition that changes
 * without a main-loop event (another thread) is seen too. Not a wait: the condition is. */
static gboolean
heartbeat_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
test_util_wait (gboolean (*condition) (gpointer data),
                gpointer   data,
                guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () +
               (gint64) MAX (timeout_ms, TEST_UTIL_DEADLINE_MS) * 1000;
  guint heartbeat = g_timeout_add (20, heartbeat_cb, NULL);
  gboolean reached;

  while (!(reached = condition (data)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (heartbeat);

  return reached;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

void
test_util_wait_frame (GtkWidget *widget)
{
  GtkWidget *native = GTK_WIDGET (gtk_widget_get_native (widget));
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  gulong handler;

  g_assert_nonnull (native);
  g_assert_true (gtk_widget_get_mapped (native));
  clock = gtk_widget_get_frame_clock (native);
  g_assert_nonnull (clock);

  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  /* Asks for a frame that lays out, so there is one even when nothing changed; nothing
   * is redrawn that the application did not change itself. */
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_LAYOUT);
  if (!test_util_wait (is_true, &painted, TEST_UTIL_DEADLINE_MS))
    g_error ("No frame of %s within %d s", G_OBJECT_TYPE_NAME (native),
             TEST_UTIL_DEADLINE_MS / 1000);
  g_signal_handler_disconnect (clock, handler);
}

void
test_util_settle (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  /* What is queued now (events, idles); bounded, as an animation re-queues itself. */
  for (guint i = 0; i < 1000 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (gtk_widget_get_mapped (window))
        test_util_wait_frame (window);
    }
}

static gboolean
widget_is_shown (gpointer data)
{
  return gtk_widget_get_mapped (data) &&
         gtk_widget_get_width (data) > 0 && gtk_widget_get_height (data) > 0;
}

void
test_util_wait_shown (GtkWidget *widget)
{
  if (!test_util_wait (widget_is_shown, widget, TEST_UTIL_DEADLINE_MS))
    g_error ("%s was not shown within %d s", G_OBJECT_TYPE_NAME (widget),
             TEST_UTIL_DEADLINE_MS / 1000);
  test_util_wait_frame (widget);
}

ReelWindow *
test_util_open_window (ReelProject *project)
{
  ReelWindow *window;

  if (project != NULL)
    window = reel_window_new_for_project (ADW_APPLICATION (test_app), project);
  else
    window = reel_window_new (ADW_APPLICATION (test_app));

  gtk_window_present (GTK_WINDOW (window));
  test_util_wait_shown (GTK_WIDGET (window));

  return window;
}

gboolean
test_util_window_is_open (ReelWindow *window)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (test_app));

  return g_list_find (windows, window) != NULL;
}

static gboolean
window_is_closed_or_asking (gpointer data)
{
  return !test_util_window_is_open (data) || test_util_find_dialog (data) != NULL;
}

static gboolean
window_is_closed (gpointer data)
{
  return !test_util_window_is_open (data);
}

void
test_util_discard_window (ReelWindow *window)
{
  AdwMessageDialog *dialog;

  if (!test_util_window_is_open (window))
    return;

  /* Closing a window with unsaved changes asks first; answer "discard". */
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (test_util_wait (window_is_closed_or_asking, window, TEST_UTIL_DEADLINE_MS));
  if (test_util_window_is_open (window) &&
      (dialog = test_util_find_dialog (GTK_WINDOW (window))) != NULL)
    test_util_respond (dialog, "discard");

  if (!test_util_wait (window_is_closed, window, TEST_UTIL_DEADLINE_MS))
    gtk_window_destroy (GTK_WINDOW (window));
  test_util_settle ();
}

AdwMessageDialog *
test_util_find_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) &&
          gtk_window_get_transient_for (window) == parent &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

void
test_util_respond (AdwMessageDialog *dialog,
                   const char       *response)
{
  g_assert_true (adw_message_dialog_has_response (dialog, response));
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

GtkWidget *
test_util_find_widget (GtkWidget *root,
                       GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = test_util_find_widget (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
test_util_find_by_tooltip (GtkWidget  *root,
                           GType       type,
                           const char *tooltip)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) &&
          g_strcmp0 (gtk_widget_get_tooltip_text (child), tooltip) == 0)
        return child;
      if ((found = test_util_find_by_tooltip (child, type, tooltip)) != NULL)
        return found;
    }

  return NULL;
}

void
test_util_screen_point (GtkWidget *widget,
                        double     x,
                        double     y,
                        int       *screen_x,
                        int       *screen_y)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = gtk_native_get_surface (native);
  Display *display = gdk_x11_display_get_xdisplay (gdk_surface_get_display (surface));
  graphene_point_t point = GRAPHENE_POINT_INIT (x, y);
  graphene_point_t in_native;
  double surface_x, surface_y;
  int root_x, root_y;
  Window child;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &point, &in_native));
  gtk_native_get_surface_transform (native, &surface_x, &surface_y);
  XTranslateCoordinates (display, gdk_x11_surface_get_xid (surface),
                         DefaultRootWindow (display), 0, 0, &root_x, &root_y, &child);

  *screen_x = root_x + (int) (in_native.x + surface_x);
  *screen_y = root_y + (int) (in_native.y + surface_y);
}

static gboolean
window_is_active (gpointer data)
{
  return gtk_window_is_active (data);
}

void
test_util_focus_window (GtkWindow *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  Display *display = gdk_x11_display_get_xdisplay (gdk_surface_get_display (surface));

  XRaiseWindow (display, gdk_x11_surface_get_xid (surface));
  XSetInputFocus (display, gdk_x11_surface_get_xid (surface), RevertToParent, CurrentTime);
  XSync (display, False);
  if (!test_util_wait (window_is_active, window, TEST_UTIL_DEADLINE_MS))
    g_error ("The window did not get the input focus within %d s", TEST_UTIL_DEADLINE_MS / 1000);
}

static void
child_exited_cb (GPid     pid,
                 int      status,
                 gpointer user_data)
{
  gboolean *done = user_data;

  g_spawn_close_pid (pid);
  *done = TRUE;
}

void
test_util_xdotool (const char *first_arg,
                   ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  va_list args;
  GPid pid;

  g_ptr_array_add (argv, (gpointer) "xdotool");
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_async (NULL, (char **) argv->pdata, NULL,
                 G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                 NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  g_child_watch_add (pid, child_exited_cb, &done);
  g_assert_true (test_util_wait (is_true, &done, TEST_UTIL_DEADLINE_MS));

  /* xdotool has sent its input to the X server: a round trip brings every event it
   * caused into this process, and a frame of each window has handled them. */
  XSync (gdk_x11_display_get_xdisplay (gdk_display_get_default ()), False);
  test_util_settle ();
}
