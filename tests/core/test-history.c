/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "reel-test-project.h"

/* A command that adds @amount to a counter, and counts its own frees. */
typedef struct
{
  int *counter;
  int amount;
  int *freed;
} Add;

static void
add_undo (gpointer data)
{
  Add *add = data;

  *add->counter -= add->amount;
}

static void
add_redo (gpointer data)
{
  Add *add = data;

  *add->counter += add->amount;
}

static void
add_free (gpointer data)
{
  Add *add = data;

  (*add->freed)++;
  g_free (add);
}

static void
do_add (ReelHistory *history,
        const char  *label,
        int         *counter,
        int          amount,
        int         *freed)
{
  Add *add = g_new0 (Add, 1);

  add->counter = counter;
  add->amount = amount;
  add->freed = freed;
  add_redo (add);
  reel_history_push (history, label, add_undo, add_redo, add, add_free);
}

static void
record_notify (GObject    *object,
               GParamSpec *pspec,
               GString    *trace)
{
  g_string_append_printf (trace, "%s ", pspec->name);
}

static void
test_undo_redo (void)
{
  g_autoptr(ReelHistory) history = reel_history_new (100);
  g_autoptr(GString) trace = g_string_new (NULL);
  g_autofree char *menu = NULL;
  int counter = 0, freed = 0;

  g_signal_connect (history, "notify", G_CALLBACK (record_notify), trace);

  g_assert_false (reel_history_can_undo (history));
  g_assert_false (reel_history_undo (history));
  g_assert_null (reel_history_get_undo_label (history));
  menu = reel_history_dup_undo_menu_label (history);
  g_assert_cmpstr (menu, ==, "Undo");
  g_clear_pointer (&menu, g_free);

  do_add (history, "Change Lens", &counter, 1, &freed);
  /* All three, in whatever order the notify queue keeps: a new history is at its
   * saved (empty) state, the first edit leaves it. */
  g_assert_cmpuint (trace->len, ==, strlen ("can-undo undo-label at-saved "));
  g_assert_nonnull (strstr (trace->str, "can-undo "));
  g_assert_nonnull (strstr (trace->str, "undo-label "));
  g_assert_nonnull (strstr (trace->str, "at-saved "));
  do_add (history, "Change Duration", &counter, 10, &freed);
  g_assert_cmpint (counter, ==, 11);
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, "Change Duration");
  menu = reel_history_dup_undo_menu_label (history);
  g_assert_cmpstr (menu, ==, "Undo Change Duration");
  g_clear_pointer (&menu, g_free);

  g_assert_true (reel_history_undo (history));
  g_assert_cmpint (counter, ==, 1);
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, "Change Lens");
  g_assert_cmpstr (reel_history_get_redo_label (history), ==, "Change Duration");
  menu = reel_history_dup_redo_menu_label (history);
  g_assert_cmpstr (menu, ==, "Redo Change Duration");
  g_clear_pointer (&menu, g_free);
  g_assert_true (reel_history_can_redo (history));

  g_assert_true (reel_history_undo (history));
  g_assert_cmpint (counter, ==, 0);
  g_assert_false (reel_history_can_undo (history));
  g_assert_true (reel_history_redo (history));
  g_assert_true (reel_history_redo (history));
  g_assert_false (reel_history_redo (history));
  g_assert_cmpint (counter, ==, 11);

  /* A new edit after an undo forgets what could have been redone. */
  g_assert_true (reel_history_undo (history));
  g_assert_cmpint (freed, ==, 0);
  do_add (history, "Change Notes", &counter, 100, &freed);
  g_assert_cmpint (freed, ==, 1);
  g_assert_false (reel_history_can_redo (history));
  g_assert_cmpint (counter, ==, 101);
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, 2);

  reel_history_clear (history);
  g_assert_cmpint (freed, ==, 3);
  g_assert_false (reel_history_can_undo (history));
  g_assert_cmpint (counter, ==, 101);
}

static void
test_groups (void)
{
  g_autoptr(ReelHistory) history = reel_history_new (100);
  int counter = 0, freed = 0;

  /* A drag: many small changes, one step. */
  reel_history_begin_group (history, "Move Background");
  g_assert_true (reel_history_in_group (history));
  for (int i = 0; i < 50; i++)
    do_add (history, "Change Property", &counter, 1, &freed);
  g_assert_false (reel_history_can_undo (history));
  reel_history_end_group (history);
  g_assert_false (reel_history_in_group (history));

  g_assert_cmpuint (reel_history_get_n_undo (history), ==, 1);
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, "Move Background");
  g_assert_true (reel_history_undo (history));
  g_assert_cmpint (counter, ==, 0);
  g_assert_true (reel_history_redo (history));
  g_assert_cmpint (counter, ==, 50);

  /* Nested groups are one step under the outer label. */
  reel_history_begin_group (history, "Renumber Scene");
  do_add (history, "a", &counter, 1, &freed);
  reel_history_begin_group (history, "Inner");
  do_add (history, "b", &counter, 2, &freed);
  reel_history_end_group (history);
  g_assert_true (reel_history_in_group (history));
  do_add (history, "c", &counter, 4, &freed);
  reel_history_end_group (history);
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, 2);
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, "Renumber Scene");
  g_assert_cmpint (counter, ==, 57);
  reel_history_undo (history);
  g_assert_cmpint (counter, ==, 50);

  /* An empty group records nothing, and does not clear the redo list. */
  reel_history_begin_group (history, "Nothing");
  reel_history_end_group (history);
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, 1);
  g_assert_true (reel_history_can_redo (history));

  /* Without a label the group takes the first command's. */
  reel_history_begin_group (history, NULL);
  do_add (history, "Draw", &counter, 1, &freed);
  do_add (history, "Other", &counter, 1, &freed);
  reel_history_end_group (history);
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, "Draw");
}

static void
test_bound (void)
{
  g_autoptr(ReelHistory) history = reel_history_new (REEL_HISTORY_DEFAULT_MAX_STEPS);
  int counter = 0, freed = 0;

  g_assert_cmpuint (reel_history_get_max_steps (history), ==, 500);

  for (int i = 0; i < 600; i++)
    do_add (history, "Step", &counter, 1, &freed);

  /* The oldest hundred are gone (and freed); the newest 500 undo. */
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, 500);
  g_assert_cmpint (freed, ==, 100);
  while (reel_history_undo (history))
    ;
  g_assert_cmpint (counter, ==, 100);
  g_assert_cmpuint (reel_history_get_n_redo (history), ==, 500);

  /* Shrinking the bound drops the oldest undo steps at once. */
  while (reel_history_redo (history))
    ;
  reel_history_set_max_steps (history, 10);
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, 10);
  g_assert_cmpint (freed, ==, 590);
}

/* A command whose undo "edits" again, as plain code paths shared with edits do. */
typedef struct
{
  ReelHistory *history;
  int *counter;
  int *freed;
} Reentrant;

static void
reentrant_apply (gpointer data)
{
  Reentrant *command = data;

  do_add (command->history, "Nested", command->counter, 1, command->freed);
}

static void
test_replaying (void)
{
  g_autoptr(ReelHistory) history = reel_history_new (10);
  Reentrant *command = g_new0 (Reentrant, 1);
  int counter = 0, freed = 0;

  command->history = history;
  command->counter = &counter;
  command->freed = &freed;
  reel_history_push (history, "Outer", reentrant_apply, reentrant_apply, command, g_free);

  g_assert_false (reel_history_is_replaying (history));
  reel_history_undo (history);
  /* The nested edit ran but was not recorded (its data was freed at once). */
  g_assert_cmpint (counter, ==, 1);
  g_assert_cmpint (freed, ==, 1);
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, 0);
  g_assert_cmpuint (reel_history_get_n_redo (history), ==, 1);
}

static void
test_project_history_labels (void)
{
  g_autoptr(ReelProject) project = reel_test_project_random (reel_test_seed (4), 1, 2, 0);
  ReelHistory *history = reel_project_get_history (project);
  ReelShot *shot = reel_scene_get_shot (reel_project_get_scene (project, 0), 0);
  double lens = reel_shot_get_lens_mm (shot);

  g_assert_true (reel_edit_set_double (project, G_OBJECT (shot), "lens-mm", lens + 10));
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, "Change Lens");
  /* Setting what is already there is not an edit. */
  g_assert_false (reel_edit_set_double (project, G_OBJECT (shot), "lens-mm", lens + 10));
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, 1);

  /* Lists are compared by what they hold. */
  {
    g_auto(GValue) value = G_VALUE_INIT;
    g_auto(GStrv) variants = g_strdupv ((char **) reel_shot_get_variants (shot));

    g_value_init (&value, G_TYPE_STRV);
    g_value_set_boxed (&value, variants);
    g_assert_false (reel_edit_set (project, G_OBJECT (shot), "variants", &value));
    g_assert_cmpuint (reel_history_get_n_undo (history), ==, 1);
  }

  reel_edit_set_string (project, G_OBJECT (reel_project_get_scene (project, 0)), "location",
                        "ROOF");
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, "Change Location");
  reel_edit_remove_shot (project, shot);
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, "Delete Shot");

  reel_history_undo (history);
  g_assert_true (reel_scene_get_shot (reel_project_get_scene (project, 0), 0) == shot);
  reel_history_undo (history);
  reel_history_undo (history);
  g_assert_cmpfloat (reel_shot_get_lens_mm (shot), ==, lens);
}

/* Undo back to the saved state is "not modified"; an edit beyond it, or a save
 * elsewhere in the history, moves the saved state. */
static void
test_saved_position (void)
{
  g_autoptr(ReelProject) project = reel_project_new ();
  ReelHistory *history = reel_project_get_history (project);
  g_autoptr(ReelScene) scene = reel_scene_new ();

  reel_edit_insert_scene (project, 0, scene);
  reel_edit_set_string (project, G_OBJECT (project), "title", "One");
  reel_project_mark_saved (project);
  g_assert_false (reel_project_get_modified (project));
  g_assert_true (reel_history_get_at_saved (history));

  reel_edit_set_string (project, G_OBJECT (project), "title", "Two");
  reel_edit_set_string (project, G_OBJECT (scene), "location", "PIER");
  g_assert_true (reel_project_get_modified (project));
  g_assert_false (reel_history_get_at_saved (history));

  /* Back to what was saved. */
  reel_history_undo (history);
  g_assert_true (reel_project_get_modified (project));
  reel_history_undo (history);
  g_assert_cmpstr (reel_project_get_title (project), ==, "One");
  g_assert_false (reel_project_get_modified (project));

  /* Past it (undoing the title the file holds), and back again by redo. */
  reel_history_undo (history);
  g_assert_true (reel_project_get_modified (project));
  reel_history_redo (history);
  g_assert_false (reel_project_get_modified (project));
  reel_history_redo (history);
  g_assert_true (reel_project_get_modified (project));

  /* Saved at "Two + PIER"; a new edit after undo drops the redo list, with the
   * saved state in it: nothing leads back there any more. */
  reel_project_mark_saved (project);
  reel_history_undo (history);
  reel_edit_set_string (project, G_OBJECT (project), "title", "Three");
  g_assert_true (reel_project_get_modified (project));
  reel_history_undo (history);
  g_assert_true (reel_project_get_modified (project));
  reel_history_redo (history);
  g_assert_true (reel_project_get_modified (project));

  /* Saved while a gesture's group was open: its end does not lead back. */
  reel_project_mark_saved (project);
  reel_history_begin_group (history, "Move Background");
  reel_edit_set_string (project, G_OBJECT (project), "title", "Four");
  reel_project_mark_saved (project);
  reel_history_end_group (history);
  g_assert_false (reel_project_get_modified (project));
  reel_history_undo (history);
  g_assert_true (reel_project_get_modified (project));
  reel_history_redo (history);
  g_assert_true (reel_project_get_modified (project));
}

/* A gesture whose release never comes is closed for it; its late end does not
 * close anyone else's group. Undo ends an open gesture too. */
static void
test_close_groups (void)
{
  g_autoptr(ReelHistory) history = reel_history_new (100);
  int counter = 0, freed = 0;

  reel_history_begin_group (history, "Change Key");
  do_add (history, "a", &counter, 1, &freed);
  reel_history_begin_group (history, "Inner");
  do_add (history, "b", &counter, 2, &freed);
  reel_history_close_groups (history);
  g_assert_false (reel_history_in_group (history));
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, 1);
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, "Change Key");

  /* The next gesture starts and ends; then the late ends of the closed ones come
   * in and close nothing (an unbalanced end would be a critical, fatal here). */
  reel_history_begin_group (history, "Move Plate");
  do_add (history, "c", &counter, 4, &freed);
  reel_history_end_group (history);
  reel_history_end_group (history);
  reel_history_end_group (history);
  g_assert_false (reel_history_in_group (history));
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, 2);
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, "Move Plate");

  /* Undo in the middle of a gesture: the gesture is one step, then undone. */
  reel_history_begin_group (history, "Move Background");
  do_add (history, "d", &counter, 8, &freed);
  g_assert_cmpint (counter, ==, 15);
  g_assert_true (reel_history_undo (history));
  g_assert_false (reel_history_in_group (history));
  g_assert_cmpint (counter, ==, 7);
  g_assert_cmpstr (reel_history_get_redo_label (history), ==, "Move Background");
  reel_history_end_group (history);
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, 2);
}

/* A generation that lands during a drag is its own step: undoing the drag keeps
 * the generated images, undoing the generation keeps the drag. */
static void
test_late_work_is_its_own_step (void)
{
  g_autoptr(ReelHistory) history = reel_history_new (100);
  int key = 0, generated = 0, freed = 0;

  reel_history_begin_group (history, "Change Key");
  do_add (history, "Change Property", &key, 1, &freed);

  reel_history_begin_detached (history, "Generate Background");
  do_add (history, "Add", &generated, 10, &freed);
  do_add (history, "Add", &generated, 10, &freed);
  reel_history_end_detached (history);
  g_assert_true (reel_history_in_group (history));
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, "Generate Background");

  do_add (history, "Change Property", &key, 1, &freed);
  reel_history_end_group (history);
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, 2);
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, "Change Key");

  g_assert_true (reel_history_undo (history));
  g_assert_cmpint (key, ==, 0);
  g_assert_cmpint (generated, ==, 20);
  g_assert_true (reel_history_undo (history));
  g_assert_cmpint (generated, ==, 0);
}

/* A widget's gesture opens one group however many motions ask, and ends it on
 * the history it began on, after the widget moved to another project. */
static void
test_gesture (void)
{
  g_autoptr(ReelHistory) first = reel_history_new (100);
  g_autoptr(ReelHistory) second = reel_history_new (100);
  ReelHistoryGesture gesture = { NULL };
  int counter = 0, freed = 0;

  reel_history_gesture_begin (&gesture, NULL, "Move Prop");
  g_assert_null (gesture.history);

  reel_history_gesture_begin (&gesture, first, "Move Prop");
  do_add (first, "a", &counter, 1, &freed);
  reel_history_gesture_begin (&gesture, first, "Move Camera");
  do_add (first, "b", &counter, 2, &freed);
  reel_history_gesture_begin (&gesture, second, "Move Mark");
  g_assert_false (reel_history_in_group (second));

  reel_history_gesture_end (&gesture);
  g_assert_null (gesture.history);
  g_assert_false (reel_history_in_group (first));
  g_assert_cmpuint (reel_history_get_n_undo (first), ==, 1);
  g_assert_cmpstr (reel_history_get_undo_label (first), ==, "Move Prop");

  /* A second end (release after a cancel) closes nothing. */
  reel_history_begin_group (second, "Outer");
  reel_history_gesture_end (&gesture);
  g_assert_true (reel_history_in_group (second));
  reel_history_end_group (second);

  g_assert_true (reel_history_undo (first));
  g_assert_cmpint (counter, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/history/undo-redo", test_undo_redo);
  g_test_add_func ("/history/groups", test_groups);
  g_test_add_func ("/history/bound", test_bound);
  g_test_add_func ("/history/replaying", test_replaying);
  g_test_add_func ("/history/project-labels", test_project_history_labels);
  g_test_add_func ("/history/saved-position", test_saved_position);
  g_test_add_func ("/history/close-groups", test_close_groups);
  g_test_add_func ("/history/late-work-is-its-own-step", test_late_work_is_its_own_step);
  g_test_add_func ("/history/gesture", test_gesture);

  return g_test_run ();
}
