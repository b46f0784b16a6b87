/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Generations belong to their window: closing a window with images on their way asks
 * (keep open, close when they have finished, or cancel them and close), quitting cancels
 * them without asking, and a result never lands in a project that no window shows.
 * The gray-box provider makes the images: it needs no server, and its results reach the
 * main loop no sooner than the next iteration, so a close in the same iteration as
 * Generate always finds them under way. Runs under Xvfb (suite ui). */
#include "config.h"

#include <string.h>

#include "core/reel-core.h"
#include "core/reel-edit.h"
#include "core/reel-jobs.h"
#include "widgets/reel-generation-panel.h"
#include "widgets/reel-inspector.h"
#include "../reel-test-require.h"
#include "window-test-util.h"

typedef struct
{
  ReelWindow *window;
  ReelProject *project;  /* kept beyond the window, to look at afterwards */
  ReelShot *shot;
  ReelJobs *jobs;
} Fixture;

static gboolean
window_is_closed (gpointer data)
{
  return !test_util_window_is_open (data);
}

static gboolean
window_has_dialog (gpointer data)
{
  return test_util_find_dialog (data) != NULL;
}

static gboolean
window_is_closed_or_asking (gpointer data)
{
  return !test_util_window_is_open (data) || test_util_find_dialog (data) != NULL;
}

static gboolean
jobs_finished (gpointer data)
{
  return reel_jobs_get_n_unfinished (data) == 0;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  g_autoptr(ReelProject) project = reel_window_create_empty_project ();

  g_settings_set_string (settings, "default-provider", "greybox");
  g_settings_set_uint (settings, "generation-variants", GPOINTER_TO_UINT (data));

  fixture->window = test_util_open_window (project);
  fixture->project = g_object_ref (reel_window_get_project (fixture->window));
  fixture->shot = g_object_ref (reel_window_get_current_shot (fixture->window));
  fixture->jobs = g_object_ref (reel_window_get_jobs (fixture->window));
  g_assert_nonnull (fixture->shot);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APPLICATION_ID);

  if (test_util_window_is_open (fixture->window))
    {
      reel_window_cancel_jobs (fixture->window);
      test_util_discard_window (fixture->window);
    }
  g_assert_true (test_util_wait (jobs_finished, fixture->jobs, TEST_UTIL_DEADLINE_MS));
  g_clear_object (&fixture->jobs);
  g_clear_object (&fixture->shot);
  g_clear_object (&fixture->project);
  g_settings_reset (settings, "default-provider");
  g_settings_reset (settings, "generation-variants");
}

static gboolean
has_generation_panel (gpointer window)
{
  return test_util_find_widget (window, REEL_TYPE_GENERATION_PANEL) != NULL;
}

/* Clicks Generate in the window's inspector: one job per image. The panel is built when
 * the inspector is scrolled down to it, as a user does to reach Generate. */
static void
generate (Fixture *fixture)
{
  GtkWidget *inspector = test_util_find_widget (GTK_WIDGET (fixture->window),
                                                REEL_TYPE_INSPECTOR);
  GtkWidget *scroller = test_util_find_widget (inspector, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment =
    gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  GtkWidget *panel;

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  g_assert_true (test_util_wait (has_generation_panel, fixture->window,
                                 TEST_UTIL_DEADLINE_MS));
  panel = test_util_find_widget (GTK_WIDGET (fixture->window), REEL_TYPE_GENERATION_PANEL);

  g_assert_nonnull (panel);
  g_assert_true (reel_generation_panel_get_shot (REEL_GENERATION_PANEL (panel)) == fixture->shot);
  gtk_widget_activate_action (panel, "generation.generate", NULL);
}

/* Closes the window and returns the question about the generations. */
static AdwMessageDialog *
close_and_expect_jobs_question (Fixture *fixture,
                                guint    n_running)
{
  AdwMessageDialog *dialog;
  g_autofree char *count = g_strdup_printf ("%u", n_running);

  g_assert_cmpuint (reel_jobs_get_n_running (fixture->jobs), ==, n_running);
  gtk_window_close (GTK_WINDOW (fixture->window));
  g_assert_true (test_util_wait (window_has_dialog, fixture->window, TEST_UTIL_DEADLINE_MS));
  dialog = test_util_find_dialog (GTK_WINDOW (fixture->window));
  g_assert_true (adw_message_dialog_has_response (dialog, "wait"));
  g_assert_true (adw_message_dialog_has_response (dialog, "stop"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), count));
  g_assert_true (test_util_window_is_open (fixture->window));
  return dialog;
}

/* Cancel Them and Close: the jobs end as cancelled, the window closes, and nothing they
 * made reaches the project, which someone still holds. */
static void
test_cancel_and_close (Fixture       *fixture,
                       gconstpointer  data)
{
  generate (fixture);
  test_util_respond (close_and_expect_jobs_question (fixture, 3), "stop");

  g_assert_true (test_util_wait (window_is_closed, fixture->window, TEST_UTIL_DEADLINE_MS));
  g_assert_true (reel_jobs_is_closed (fixture->jobs));
  g_assert_true (test_util_wait (jobs_finished, fixture->jobs, TEST_UTIL_DEADLINE_MS));
  test_util_settle ();
  g_assert_cmpuint (reel_shot_get_n_variants (fixture->shot), ==, 0);
  g_assert_null (reel_shot_get_background (fixture->shot));
}

/* Unsaved changes too: the generations are asked about first, then the changes; with
 * Discard the window goes and the images that were on their way never arrive. */
static void
test_cancel_then_discard (Fixture       *fixture,
                          gconstpointer  data)
{
  AdwMessageDialog *dialog;

  reel_edit_set_string (fixture->project, G_OBJECT (fixture->shot), "description",
                        "The ferry leaves at dusk");
  generate (fixture);
  test_util_respond (close_and_expect_jobs_question (fixture, 2), "stop");

  g_assert_true (test_util_wait (window_is_closed_or_asking, fixture->window,
                                 TEST_UTIL_DEADLINE_MS));
  dialog = test_util_find_dialog (GTK_WINDOW (fixture->window));
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));
  g_assert_false (adw_message_dialog_has_response (dialog, "stop"));
  test_util_respond (dialog, "discard");

  g_assert_true (test_util_wait (window_is_closed, fixture->window, TEST_UTIL_DEADLINE_MS));
  g_assert_true (test_util_wait (jobs_finished, fixture->jobs, TEST_UTIL_DEADLINE_MS));
  test_util_settle ();
  g_assert_cmpuint (reel_shot_get_n_variants (fixture->shot), ==, 0);
}

/* Keep Open: nothing is cancelled and the images arrive in the window. */
static void
test_keep_open (Fixture       *fixture,
                gconstpointer  data)
{
  generate (fixture);
  test_util_respond (close_and_expect_jobs_question (fixture, 2), "cancel");

  g_assert_true (test_util_wait (jobs_finished, fixture->jobs, TEST_UTIL_DEADLINE_MS));
  test_util_settle ();
  g_assert_true (test_util_window_is_open (fixture->window));
  g_assert_false (reel_jobs_is_closed (fixture->jobs));
  g_assert_cmpuint (reel_shot_get_n_variants (fixture->shot), ==, 2);
}

/* Close When Finished: the window stays until the images are in its project, then the
 * unsaved-changes question (they are changes) comes, and Discard closes it. */
static void
test_wait_then_close (Fixture       *fixture,
                      gconstpointer  data)
{
  AdwMessageDialog *dialog;

  generate (fixture);
  test_util_respond (close_and_expect_jobs_question (fixture, 2), "wait");
  g_assert_true (test_util_window_is_open (fixture->window));

  g_assert_true (test_util_wait (window_is_closed_or_asking, fixture->window,
                                 TEST_UTIL_DEADLINE_MS));
  g_assert_true (test_util_window_is_open (fixture->window));
  g_assert_cmpuint (reel_jobs_get_n_unfinished (fixture->jobs), ==, 0);
  g_assert_cmpuint (reel_shot_get_n_variants (fixture->shot), ==, 2);
  dialog = test_util_find_dialog (GTK_WINDOW (fixture->window));
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));
  test_util_respond (dialog, "discard");
  g_assert_true (test_util_wait (window_is_closed, fixture->window, TEST_UTIL_DEADLINE_MS));
}

/* Quit: no question about the generations, they are cancelled; the unsaved-changes
 * question still comes (answered Cancel here, so the test's application stays). */
static void
test_quit_cancels (Fixture       *fixture,
                   gconstpointer  data)
{
  AdwMessageDialog *dialog;

  reel_edit_set_string (fixture->project, G_OBJECT (fixture->shot), "description",
                        "The ferry leaves at dusk");
  generate (fixture);
  g_assert_cmpuint (reel_jobs_get_n_running (fixture->jobs), ==, 2);
  g_action_group_activate_action (G_ACTION_GROUP (test_app), "quit", NULL);

  g_assert_true (test_util_wait (window_is_closed_or_asking, fixture->window,
                                 TEST_UTIL_DEADLINE_MS));
  dialog = test_util_find_dialog (GTK_WINDOW (fixture->window));
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));
  g_assert_false (adw_message_dialog_has_response (dialog, "stop"));
  test_util_respond (dialog, "cancel");

  g_assert_true (test_util_wait (jobs_finished, fixture->jobs, TEST_UTIL_DEADLINE_MS));
  test_util_settle ();
  g_assert_cmpuint (reel_shot_get_n_variants (fixture->shot), ==, 0);
}

/* ReelJobs itself: what the window relies on. */
static void
test_jobs_rules (void)
{
  g_autoptr(ReelJobs) jobs = reel_jobs_new ();
  g_autoptr(GCancellable) first = g_cancellable_new ();
  g_autoptr(GCancellable) second = g_cancellable_new ();
  g_autoptr(GCancellable) late = g_cancellable_new ();

  g_assert_true (reel_jobs_accepts_result (NULL, first));
  reel_jobs_add (jobs, first);
  reel_jobs_add (jobs, second);
  g_assert_cmpuint (reel_jobs_get_n_running (jobs), ==, 2);
  g_assert_true (reel_jobs_accepts_result (jobs, first));

  /* Cancelled: no longer running, still unfinished until it ends; its result is refused
   * even if the service answered anyway. */
  reel_jobs_cancel_all (jobs);
  g_assert_true (g_cancellable_is_cancelled (first));
  g_assert_cmpuint (reel_jobs_get_n_running (jobs), ==, 0);
  g_assert_cmpuint (reel_jobs_get_n_unfinished (jobs), ==, 2);
  g_assert_false (reel_jobs_accepts_result (jobs, first));
  reel_jobs_remove (jobs, first);
  reel_jobs_remove (jobs, second);
  g_assert_cmpuint (reel_jobs_get_n_unfinished (jobs), ==, 0);

  /* Closed: a job started afterwards is cancelled at once, and any result is refused. */
  reel_jobs_close (jobs);
  reel_jobs_add (jobs, late);
  g_assert_true (g_cancellable_is_cancelled (late));
  g_assert_false (reel_jobs_accepts_result (jobs, NULL));
  reel_jobs_remove (jobs, late);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  test_util_init (&argc, &argv);

#define ADD(path, n_images, func) \
  g_test_add (path, Fixture, GUINT_TO_POINTER (n_images), fixture_set_up, func, \
              fixture_tear_down)

  g_test_add_func ("/window-jobs/rules", test_jobs_rules);
  ADD ("/window-jobs/cancel-and-close", 3, test_cancel_and_close);
  ADD ("/window-jobs/cancel-then-discard", 2, test_cancel_then_discard);
  ADD ("/window-jobs/keep-open", 2, test_keep_open);
  ADD ("/window-jobs/wait-then-close", 2, test_wait_then_close);
  ADD ("/window-jobs/quit-cancels", 2, test_quit_cancels);

  status = reel_test_run ();

  g_application_release (G_APPLICATION (test_app));
  g_clear_object (&test_app);

  return status;
}
