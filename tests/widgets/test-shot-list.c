/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The shot list table under real input (xdotool, Xvfb): editing cells, the board
 * following the selection, sorting, and reordering by keyboard and by dragging rows. */
#include "config.h"

#include <string.h>

#include "core/reel-core.h"
#include "storage/reel-demo.h"
#include "widgets/reel-board-view.h"
#include "widgets/reel-shot-list-view.h"
#include "../reel-test-require.h"
#include "window-test-util.h"

typedef struct
{
  ReelWindow *window;
  ReelProject *project;
  ReelShotListView *view;
  GtkColumnView *column_view;
} Fixture;

static ReelShot *
shot_at (ReelProject *project,
         guint        scene,
         guint        position)
{
  return reel_scene_get_shot (reel_project_get_scene (project, scene), position);
}

/* "1A 1B 1C …": the project's order of shot numbers, scenes separated by "|". */
static char *
project_order (ReelProject *project)
{
  GString *order = g_string_new (NULL);

  for (guint i = 0; i < reel_project_get_n_scenes (project); i++)
    {
      ReelScene *scene = reel_project_get_scene (project, i);

      if (i > 0)
        g_string_append (order, " |");
      for (guint j = 0; j < reel_scene_get_n_shots (scene); j++)
        g_string_append_printf (order, "%s%s", order->len > 0 ? " " : "",
                                reel_shot_get_number (reel_scene_get_shot (scene, j)));
    }

  return g_string_free (order, FALSE);
}

typedef struct
{
  ReelProject *project;
  const char *expected;
} OrderWait;

static gboolean
order_is (gpointer data)
{
  OrderWait *wait = data;
  g_autofree char *order = project_order (wait->project);

  return g_str_equal (order, wait->expected);
}

/* Input arrives through the X server: wait for the project to reach @expected (the
 * deadline only fails a stuck test), then check it. */
#define assert_order(fixture, expected_order) \
  G_STMT_START { \
    OrderWait wait_ = { (fixture)->project, (expected_order) }; \
    g_autofree char *order_ = NULL; \
    test_util_wait (order_is, &wait_, TEST_UTIL_DEADLINE_MS); \
    order_ = project_order ((fixture)->project); \
    g_assert_cmpstr (order_, ==, (expected_order)); \
  } G_STMT_END

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(ReelProject) demo = reel_demo_project_new ();

  fixture->window = test_util_open_window (demo);
  fixture->project = reel_window_get_project (fixture->window);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s", "shot-list");
  fixture->view = REEL_SHOT_LIST_VIEW (test_util_find_widget (GTK_WIDGET (fixture->window),
                                                              REEL_TYPE_SHOT_LIST_VIEW));
  g_assert_nonnull (fixture->view);
  fixture->column_view = GTK_COLUMN_VIEW (test_util_find_widget (GTK_WIDGET (fixture->view),
                                                                 GTK_TYPE_COLUMN_VIEW));
  /* The view switch animates: wait until the table is on screen, laid out. */
  test_util_wait_shown (GTK_WIDGET (fixture->column_view));
  test_util_focus_window (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_util_discard_window (fixture->window);
}

/* Cells */

static void
collect_named (GtkWidget  *widget,
               const char *name,
               GPtrArray  *found)
{
  if (g_str_equal (gtk_widget_get_name (widget), name))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_named (child, name, found);
}

/* The text a text cell shows. */
static const char *
cell_text (GtkWidget *cell)
{
  GtkWidget *label = test_util_find_widget (cell, GTK_TYPE_LABEL);

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

static gboolean
cell_is_editing (gpointer data)
{
  GtkWidget *text = test_util_find_widget (data, GTK_TYPE_TEXT);

  return gtk_stack_get_visible_child (GTK_STACK (data)) == text &&
         gtk_widget_has_focus (text);
}

/* The row widget showing the shot numbered @number, where it is on screen now: rows
 * are rebound when shots move and placed at the next layout, so wait for a frame first. */
static GtkWidget *
find_row (Fixture    *fixture,
          const char *number)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();

  test_util_wait_frame (GTK_WIDGET (fixture->column_view));

  collect_named (GTK_WIDGET (fixture->column_view), "shot", cells);
  for (guint i = 0; i < cells->len; i++)
    if (gtk_widget_get_mapped (cells->pdata[i]) &&
        g_str_equal (cell_text (cells->pdata[i]), number))
      return gtk_widget_get_parent (gtk_widget_get_parent (cells->pdata[i]));

  return NULL;
}

/* The widget of column @column in the row of shot @number. */
static GtkWidget *
find_cell (Fixture    *fixture,
           const char *number,
           const char *column)
{
  GtkWidget *row = find_row (fixture, number);
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();

  g_assert_nonnull (row);
  collect_named (row, column, cells);
  g_assert_cmpuint (cells->len, ==, 1);

  return cells->pdata[0];
}

static void
move_pointer_to (GtkWidget *widget,
                 double     x,
                 double     y)
{
  g_autofree char *sx = NULL;
  g_autofree char *sy = NULL;
  int screen_x, screen_y;

  test_util_screen_point (widget, x, y, &screen_x, &screen_y);
  sx = g_strdup_printf ("%d", screen_x);
  sy = g_strdup_printf ("%d", screen_y);
  test_util_xdotool ("mousemove", sx, sy, NULL);
}

static void
click (GtkWidget *widget)
{
  move_pointer_to (widget, gtk_widget_get_width (widget) / 2.0,
                   gtk_widget_get_height (widget) / 2.0);
  test_util_xdotool ("click", "1", NULL);
}

/* The table shows the project */

static void
test_shows_project (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkSelectionModel *model = reel_shot_list_view_get_selection_model (fixture->view);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 8);
  g_assert_nonnull (find_row (fixture, "1A"));
  g_assert_nonnull (find_row (fixture, "1H"));
  g_assert_cmpstr (cell_text (find_cell (fixture, "1C", "description")), ==,
                   reel_shot_get_description (shot_at (fixture->project, 0, 2)));

  /* Twelve columns of data and the drag handle. */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (fixture->column_view)),
                    ==, 13);

  /* The shot count and running time at the top. */
  {
    g_autofree char *expected = NULL;
    ReelFrameRate rate = reel_project_get_frame_rate (fixture->project);
    g_autofree char *timecode = reel_timecode_format (reel_project_get_duration (fixture->project),
                                                      rate);
    g_autoptr(GPtrArray) stack = g_ptr_array_new ();
    gboolean found = FALSE;

    expected = g_strdup_printf ("8 shots · %s", timecode);
    g_ptr_array_add (stack, fixture->view);
    while (stack->len > 0 && !found)
      {
        GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

        if (GTK_IS_LABEL (widget) &&
            g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), expected))
          found = TRUE;
        for (GtkWidget *child = gtk_widget_get_first_child (widget);
             child != NULL;
             child = gtk_widget_get_next_sibling (child))
          g_ptr_array_add (stack, child);
      }
    g_assert_true (found);
  }
}

/* Editing a cell changes the shot; the board follows the row */

static void
test_edit_cell (Fixture       *fixture,
                gconstpointer  data)
{
  ReelShot *shot = shot_at (fixture->project, 0, 2);
  g_autofree char *original = g_strdup (reel_shot_get_description (shot));
  GtkWidget *board = test_util_find_widget (GTK_WIDGET (fixture->window), REEL_TYPE_BOARD_VIEW);
  GtkWidget *description = find_cell (fixture, "1C", "description");

  g_assert_true (reel_window_get_current_shot (fixture->window) ==
                 shot_at (fixture->project, 0, 0));

  /* A click on the cell: the row is selected, the cell edits. */
  click (description);
  g_assert_true (test_util_wait (cell_is_editing, description, TEST_UTIL_DEADLINE_MS));
  g_assert_true (reel_window_get_current_shot (fixture->window) == shot);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (board), "current-shot") != NULL)
    {
      g_autoptr(ReelShot) board_shot = NULL;

      g_object_get (board, "current-shot", &board_shot, NULL);
      g_assert_true (board_shot == shot);
    }
  else
    g_test_message ("The board view has no current-shot property yet");

  test_util_xdotool ("key", "ctrl+a", NULL);
  test_util_xdotool ("type", "--delay", "20", "Maya runs", NULL);
  test_util_xdotool ("key", "Return", NULL);
  g_assert_false (cell_is_editing (description));
  g_assert_cmpstr (reel_shot_get_description (shot), ==, "Maya runs");
  g_assert_cmpstr (cell_text (description), ==, "Maya runs");

  /* One undo step, named after the field. */
  g_assert_cmpstr (reel_history_get_undo_label (reel_project_get_history (fixture->project)),
                   !=, NULL);
  reel_history_undo (reel_project_get_history (fixture->project));
  g_assert_cmpstr (reel_shot_get_description (shot), ==, original);
  test_util_wait_frame (description);
  g_assert_cmpstr (cell_text (description), ==, original);

  /* Escape drops an edit. */
  test_util_xdotool ("key", "Return", NULL);
  g_assert_true (test_util_wait (cell_is_editing, description, TEST_UTIL_DEADLINE_MS));
  test_util_xdotool ("type", "--delay", "20", "xyz", NULL);
  test_util_xdotool ("key", "Escape", NULL);
  g_assert_false (cell_is_editing (description));
  g_assert_cmpstr (reel_shot_get_description (shot), ==, original);

  /* The other cell kinds write through the same path. */
  {
    GtkDropDown *size = GTK_DROP_DOWN (find_cell (fixture, "1C", "size"));
    GtkSpinButton *lens = GTK_SPIN_BUTTON (find_cell (fixture, "1C", "lens"));
    GtkSpinButton *duration = GTK_SPIN_BUTTON (find_cell (fixture, "1C", "duration"));
    ReelFrameRate rate;
    const ReelVocabEntry *sizes;
    guint n_sizes;

    sizes = reel_camera_get_sizes (&n_sizes);
    gtk_drop_down_set_selected (size, n_sizes - 1);
    g_assert_cmpstr (reel_shot_get_size (shot), ==, sizes[n_sizes - 1].id);

    gtk_spin_button_set_value (lens, 135);
    g_assert_cmpfloat (reel_shot_get_lens_mm (shot), ==, 135);

    /* Typed as seconds, stored as frames at the project's rate. */
    gtk_editable_set_text (GTK_EDITABLE (duration), "2.5");
    gtk_spin_button_update (duration);
    rate = reel_project_get_frame_rate (fixture->project);
    g_assert_cmpint (reel_shot_get_duration (shot), ==,
                     reel_timecode_seconds_to_frames (2.5, rate));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (duration)), ==, "2.50 s");

    /* An edit from elsewhere shows in the table. */
    reel_edit_set_double (fixture->project, G_OBJECT (shot), "lens-mm", 24);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (lens)), ==, "24 mm");
  }
}

/* Sorting the table does not reorder the project */

static ReelShot *
row_shot (Fixture *fixture,
          guint    row)
{
  GListModel *model = G_LIST_MODEL (reel_shot_list_view_get_selection_model (fixture->view));
  g_autoptr(ReelShot) shot = g_list_model_get_item (model, row);

  return shot;
}

static GtkColumnViewColumn *
column (Fixture *fixture,
        guint    index)
{
  g_autoptr(GtkColumnViewColumn) result =
    g_list_model_get_item (gtk_column_view_get_columns (fixture->column_view), index);

  return result;
}

static void
test_sort (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *before = project_order (fixture->project);
  g_autofree char *after = NULL;

  /* Shot numbers, descending. */
  gtk_column_view_sort_by_column (fixture->column_view, column (fixture, 2),
                                  GTK_SORT_DESCENDING);
  test_util_wait_frame (GTK_WIDGET (fixture->column_view));
  g_assert_cmpstr (reel_shot_get_number (row_shot (fixture, 0)), ==, "1H");
  g_assert_cmpstr (reel_shot_get_number (row_shot (fixture, 7)), ==, "1A");

  /* Lens, ascending: the widest lens first. */
  gtk_column_view_sort_by_column (fixture->column_view, column (fixture, 6), GTK_SORT_ASCENDING);
  test_util_wait_frame (GTK_WIDGET (fixture->column_view));
  for (guint i = 1; i < 8; i++)
    g_assert_cmpfloat (reel_shot_get_lens_mm (row_shot (fixture, i - 1)), <=,
                       reel_shot_get_lens_mm (row_shot (fixture, i)));

  /* Size, in the vocabulary's order (wide to close), not alphabetically. */
  gtk_column_view_sort_by_column (fixture->column_view, column (fixture, 3), GTK_SORT_ASCENDING);
  test_util_wait_frame (GTK_WIDGET (fixture->column_view));
  for (guint i = 1; i < 8; i++)
    {
      const char *size_above = reel_shot_get_size (row_shot (fixture, i - 1));
      const char *size_below = reel_shot_get_size (row_shot (fixture, i));

      g_assert_cmpint (reel_camera_get_index (REEL_VOCAB_SIZE, size_above), <=,
                       reel_camera_get_index (REEL_VOCAB_SIZE, size_below));
    }

  after = project_order (fixture->project);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (reel_project_get_modified (fixture->project));

  /* Unsorted again: project order. */
  gtk_column_view_sort_by_column (fixture->column_view, NULL, GTK_SORT_ASCENDING);
  test_util_wait_frame (GTK_WIDGET (fixture->column_view));
  g_assert_true (row_shot (fixture, 0) == shot_at (fixture->project, 0, 0));
}

/* Reordering by keyboard */

typedef struct
{
  ReelWindow *window;
  ReelShot *shot;
  guint n_selected;
} SelectionWait;

static gboolean
selection_is (gpointer data)
{
  SelectionWait *wait = data;
  g_autoptr(GPtrArray) selected = reel_window_get_selected_shots (wait->window);

  return selected->len == wait->n_selected &&
         reel_window_get_current_shot (wait->window) == wait->shot;
}

static void
assert_selection (Fixture  *fixture,
                  ReelShot *current,
                  guint     n_selected)
{
  SelectionWait wait = { fixture->window, current, n_selected };
  g_autoptr(GPtrArray) selected = NULL;

  test_util_wait (selection_is, &wait, TEST_UTIL_DEADLINE_MS);
  selected = reel_window_get_selected_shots (fixture->window);
  g_assert_true (reel_window_get_current_shot (fixture->window) == current);
  g_assert_cmpuint (selected->len, ==, n_selected);
}

static void
test_keyboard_reorder (Fixture       *fixture,
                       gconstpointer  data)
{
  ReelHistory *history = reel_project_get_history (fixture->project);
  GtkSelectionModel *selection = reel_shot_list_view_get_selection_model (fixture->view);

  /* Click 1B's row (its scene cell: a plain label), then Alt+Right. */
  click (find_cell (fixture, "1B", "scene"));
  assert_selection (fixture, shot_at (fixture->project, 0, 1), 1);
  test_util_xdotool ("key", "alt+Right", NULL);
  assert_order (fixture, "1A 1C 1B 1D 1E 1F 1G 1H");

  /* The row stays selected, so the key works again. */
  test_util_xdotool ("key", "alt+Right", NULL);
  assert_order (fixture, "1A 1C 1D 1B 1E 1F 1G 1H");

  /* One undo per move. */
  test_util_xdotool ("key", "ctrl+z", NULL);
  assert_order (fixture, "1A 1C 1B 1D 1E 1F 1G 1H");
  test_util_xdotool ("key", "ctrl+z", NULL);
  assert_order (fixture, "1A 1B 1C 1D 1E 1F 1G 1H");
  g_assert_false (reel_history_can_undo (history));

  /* Several shots at once: ctrl-click adds 1C; both move as a block, in one step. */
  {
    GtkWidget *cell = find_cell (fixture, "1C", "scene");

    move_pointer_to (cell, gtk_widget_get_width (cell) / 2.0, gtk_widget_get_height (cell) / 2.0);
  }
  test_util_xdotool ("keydown", "ctrl", "click", "1", "keyup", "ctrl", NULL);
  assert_selection (fixture, shot_at (fixture->project, 0, 2), 2);
  test_util_xdotool ("key", "alt+Right", NULL);
  assert_order (fixture, "1A 1D 1B 1C 1E 1F 1G 1H");
  test_util_xdotool ("key", "alt+Left", NULL);
  assert_order (fixture, "1A 1B 1C 1D 1E 1F 1G 1H");
  test_util_xdotool ("key", "alt+Left", NULL);
  assert_order (fixture, "1B 1C 1A 1D 1E 1F 1G 1H");
  /* At the start nothing can move earlier. */
  test_util_xdotool ("key", "alt+Left", NULL);
  assert_order (fixture, "1B 1C 1A 1D 1E 1F 1G 1H");
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, 3);
  reel_history_undo (history);
  assert_order (fixture, "1A 1B 1C 1D 1E 1F 1G 1H");
  reel_history_redo (history);

  /* Across a scene boundary: the last shot of scene 1 moves into the new scene 2. */
  gtk_selection_model_unselect_all (selection);
  reel_window_set_current_shot (fixture->window, shot_at (fixture->project, 0, 7));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-scene", NULL);
  g_assert_cmpuint (reel_project_get_n_scenes (fixture->project), ==, 2);
  reel_window_set_current_shot (fixture->window, shot_at (fixture->project, 0, 7));
  test_util_wait_frame (GTK_WIDGET (fixture->column_view));
  test_util_xdotool ("key", "alt+Right", NULL);
  assert_order (fixture, "1B 1C 1A 1D 1E 1F 1G | 1H 2A");
  test_util_xdotool ("key", "alt+Left", NULL);
  assert_order (fixture, "1B 1C 1A 1D 1E 1F 1G 1H | 2A");
}

/* Reordering by dragging rows, with the pointer */

static void
test_drag_reorder (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *handle = find_cell (fixture, "1A", "handle");
  GtkWidget *target_row = find_row (fixture, "1D");
  int hx, hy, tx, ty;
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;

  test_util_screen_point (handle, gtk_widget_get_width (handle) / 2.0,
                          gtk_widget_get_height (handle) / 2.0, &hx, &hy);
  /* The lower half of 1D's row: drop after it. */
  test_util_screen_point (target_row, 300, gtk_widget_get_height (target_row) * 0.75, &tx, &ty);

  x = g_strdup_printf ("%d", hx);
  y = g_strdup_printf ("%d", hy);
  test_util_xdotool ("mousemove", x, y, NULL);
  test_util_xdotool ("mousedown", "1", NULL);
  /* A drag starts after the pointer has moved a few pixels; go there in steps. */
  for (int step = 1; step <= 12; step++)
    {
      g_autofree char *sx = g_strdup_printf ("%d", hx + (tx - hx) * step / 12);
      g_autofree char *sy = g_strdup_printf ("%d", hy + (ty - hy) * step / 12);

      test_util_xdotool ("mousemove", sx, sy, NULL);
    }
  test_util_xdotool ("mouseup", "1", NULL);

  assert_order (fixture, "1B 1C 1D 1A 1E 1F 1G 1H");

  /* The whole drag is one undo step. */
  reel_history_undo (reel_project_get_history (fixture->project));
  assert_order (fixture, "1A 1B 1C 1D 1E 1F 1G 1H");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  test_util_init (&argc, &argv);

  g_test_add ("/shot-list/shows-project", Fixture, NULL,
              fixture_set_up, test_shows_project, fixture_tear_down);
  g_test_add ("/shot-list/edit-cell", Fixture, NULL,
              fixture_set_up, test_edit_cell, fixture_tear_down);
  g_test_add ("/shot-list/sort", Fixture, NULL,
              fixture_set_up, test_sort, fixture_tear_down);
  g_test_add ("/shot-list/keyboard-reorder", Fixture, NULL,
              fixture_set_up, test_keyboard_reorder, fixture_tear_down);
  g_test_add ("/shot-list/drag-reorder", Fixture, NULL,
              fixture_set_up, test_drag_reorder, fixture_tear_down);

  status = reel_test_run ();

  g_application_release (G_APPLICATION (test_app));
  g_clear_object (&test_app);

  return status;
}
