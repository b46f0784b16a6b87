/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "application/reel-application.h"
#include "widgets/reel-generation-panel.h"
#include "widgets/reel-inspector.h"
#include "ai-test-util.h"
#include "../reel-test-require.h"

/* Quitting Storyreel while ComfyUI renders for it: the process itself (a child of this
 * test, with its own window) starts two images on a fake server that takes an hour for
 * each, then quits through app.quit. Its own running prompt must be interrupted by name and
 * its queued one deleted before the process is gone: afterwards the server's log is waited
 * on for them, however long that takes, and a process that left without telling the server
 * fails the test at the deadline. */

#define CHILD_FLAG "--quitting-storyreel"

typedef struct
{
  GApplication *app;
  FakeServer *server;
  gboolean generating;
  gboolean quitting;
} Child;

static GtkWidget *
find_panel (GtkWidget *widget)
{
  if (REEL_IS_GENERATION_PANEL (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_panel (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_scroller (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_scroller (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The generation panel is built when the inspector is scrolled down to it, as a user
 * does to reach Generate. */
static void
scroll_inspector_down (GtkWidget *window)
{
  GtkWidget *inspector = NULL;
  GtkWidget *scroller;
  GtkAdjustment *adjustment;
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, window);
  while (stack->len > 0 && inspector == NULL)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (REEL_IS_INSPECTOR (widget))
        inspector = widget;
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  scroller = inspector != NULL ? find_scroller (inspector) : NULL;
  if (scroller == NULL)
    return;

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
}

/* Runs in the child's main loop until it has asked app.quit. */
static gboolean
child_step_cb (gpointer user_data)
{
  Child *child = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (child->app));
  GtkWidget *panel = window != NULL ? find_panel (GTK_WIDGET (window)) : NULL;

  if (child->quitting)
    return G_SOURCE_REMOVE;
  if (window != NULL && panel == NULL && gtk_widget_get_mapped (GTK_WIDGET (window)))
    scroll_inspector_down (GTK_WIDGET (window));
  if (panel == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window)))
    return G_SOURCE_CONTINUE;

  if (!child->generating)
    {
      child->generating = TRUE;
      gtk_widget_activate_action (panel, "generation.generate", NULL);
      return G_SOURCE_CONTINUE;
    }

  /* One image renders and the other waits in the server's queue: now quit. */
  if (reel_generation_panel_get_n_pending (REEL_GENERATION_PANEL (panel)) == 2
      && fake_server_count_requests (child->server, "/prompt") == 2)
    {
      child->quitting = TRUE;
      g_action_group_activate_action (G_ACTION_GROUP (child->app), "quit", NULL);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
on_activate (GApplication *app,
             Child        *child)
{
  g_timeout_add (50, child_step_cb, child);
}

static int
run_child (const char *url)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GApplication) app = NULL;
  const char *servers[] = { url, NULL };
  FakeServer server = { NULL, 0, (char *) url };
  Child child = { NULL, &server, FALSE, FALSE };
  char *argv[] = { "storyreel", NULL };
  int status;

  gtk_init ();
  adw_init ();
  settings = g_settings_new (BASE_APPLICATION_ID);
  g_settings_set_strv (settings, "comfyui-servers", servers);
  g_settings_set_uint (settings, "comfyui-slots", 2);
  g_settings_set_string (settings, "default-provider", "comfyui");
  g_settings_set_uint (settings, "generation-variants", 2);

  app = G_APPLICATION (reel_application_new ());
  g_application_set_flags (app, G_APPLICATION_NON_UNIQUE);
  child.app = app;
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), &child);
  status = g_application_run (app, 1, argv);
  return child.quitting ? status : 3;
}

typedef struct
{
  FakeServer *server;
  char *running;    /* the prompt_id of the first prompt (the one the server ran) */
  char *queued;     /* the second one */
} Expect;

static gboolean
server_told (Expect *expect)
{
  g_autoptr(JsonNode) owner = NULL;
  JsonArray *requests = fake_server_requests (expect->server, &owner);
  gboolean interrupted = FALSE;
  gboolean deleted = FALSE;

  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);
      const char *path = json_object_get_string_member (request, "path");
      JsonNode *body = json_object_get_member (request, "json");
      JsonObject *object = body != NULL && JSON_NODE_HOLDS_OBJECT (body)
                             ? json_node_get_object (body) : NULL;

      if (object == NULL)
        continue;
      if (g_str_equal (path, "/prompt"))
        {
          const char *id = json_object_get_string_member (object, "prompt_id");

          if (expect->running == NULL)
            expect->running = g_strdup (id);
          else if (expect->queued == NULL && g_strcmp0 (id, expect->running) != 0)
            expect->queued = g_strdup (id);
        }
      else if (g_str_equal (path, "/interrupt") && expect->running != NULL)
        {
          /* Never a bare /interrupt: on a shared server that stops someone else. */
          g_assert_true (json_object_has_member (object, "prompt_id"));
          interrupted = g_strcmp0 (json_object_get_string_member (object, "prompt_id"),
                                   expect->running) == 0;
        }
      else if (g_str_equal (path, "/queue") && expect->queued != NULL
               && json_object_has_member (object, "delete"))
        {
          JsonArray *ids = json_object_get_array_member (object, "delete");

          for (guint j = 0; j < json_array_get_length (ids); j++)
            if (g_strcmp0 (json_array_get_string_element (ids, j), expect->queued) == 0)
              deleted = TRUE;
        }
    }
  return interrupted && deleted;
}

static void
test_quit_cancels_comfyui (void)
{
  g_autoptr(FakeServer) server = fake_server_start (NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", &error);
  g_autofree char *home = g_dir_make_tmp ("storyreel-quit-XXXXXX", &error);
  g_autofree char *state = NULL;
  g_autofree char *data = NULL;
  Expect expect = { server, NULL, NULL };
  gint64 deadline;

  g_assert_no_error (error);
  /* Each image would take an hour on the server: only a cancel can end them. */
  fake_server_config (server, "{\"comfy_duration\":3600}");

  /* Recovery and recent files of the child only. */
  state = g_build_filename (home, "state", NULL);
  data = g_build_filename (home, "data", NULL);
  g_mkdir_with_parents (state, 0700);
  g_mkdir_with_parents (data, 0700);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", state, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, self_path, CHILD_FLAG,
                                         server->base_url, NULL);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  /* The process is gone; the server must have heard of both, by name. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!server_told (&expect))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
  g_assert_nonnull (expect.running);
  g_assert_nonnull (expect.queued);
  /* And nobody else's render was stopped along the way. */
  {
    g_autoptr(JsonNode) log = fake_server_log (server);

    g_assert_cmpint (json_object_get_int_member (json_node_get_object (log), "interrupts"),
                     ==, 1);
  }

  g_free (expect.running);
  g_free (expect.queued);
  g_rmdir (state);
  g_rmdir (data);
  g_rmdir (home);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], CHILD_FLAG))
    return run_child (argv[2]);

  reel_test_require_x11 (FALSE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/quit/cancels-comfyui", test_quit_cancels_comfyui);
  return reel_test_run ();
}
