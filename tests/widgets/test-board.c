/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test-board"

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "core/reel-camera.h"
#include "core/reel-edit.h"
#include "core/reel-panel.h"
#include "storage/reel-demo.h"
#include "widgets/reel-board-view.h"
#include "widgets/reel-canvas.h"
#include "widgets/reel-inspector.h"
#include "widgets/reel-shot-strip.h"

#include "test-board-util.h"
#include "window-test-util.h"
#include "../reel-test-require.h"

/* The board as a user drives it: real pointer and keyboard input through xdotool on
 * a window under Xvfb, checked against the model and against the pixels on screen. */

typedef struct
{
  ReelProject   *project;
  GtkWindow     *window;
  ReelBoardView *board;
  ReelCanvas    *canvas;
  ReelInspector *inspector;
  char          *xid;
} Fixture;

static gboolean
canvas_is_idle (gpointer data)
{
  ReelCanvas *canvas = data;

  return gtk_widget_get_mapped (GTK_WIDGET (canvas)) &&
         !reel_canvas_is_rendering (canvas) && !reel_canvas_is_drawing (canvas);
}

static void
wait_for_canvas (Fixture *fixture)
{
  board_test_spin_until (canvas_is_idle, fixture->canvas, 10000);
  g_assert_true (canvas_is_idle (fixture->canvas));
  /* Let a frame be drawn with what was rendered. */
  board_test_settle ();
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->project = reel_demo_project_new ();
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 1400, 900);
  fixture->board = g_object_new (REEL_TYPE_BOARD_VIEW, "project", fixture->project, NULL);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->board));
  fixture->canvas = REEL_CANVAS (reel_board_view_get_canvas (fixture->board));
  fixture->inspector = REEL_INSPECTOR (reel_board_view_get_inspector (fixture->board));
  gtk_window_present (fixture->window);

  wait_for_canvas (fixture);
  fixture->xid = board_test_window_id (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  board_test_settle ();
  g_clear_object (&fixture->project);
  g_clear_pointer (&fixture->xid, g_free);
}

/* Moves the pointer to (@x, @y) of @widget. */
static void
pointer_to (Fixture   *fixture,
            GtkWidget *widget,
            double     x,
            double     y)
{
  g_autofree char *sx = NULL, *sy = NULL;
  int surface_x, surface_y;

  board_test_to_surface (widget, x, y, &surface_x, &surface_y);
  sx = g_strdup_printf ("%d", surface_x);
  sy = g_strdup_printf ("%d", surface_y);
  board_test_xdotool ((const char *[]) { "mousemove", "--window", fixture->xid, sx, sy, NULL });
}

static void
press_keys (Fixture    *fixture,
            const char *keys)
{
  g_auto(GStrv) names = g_strsplit (keys, " ", -1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      board_test_xdotool ((const char *[]) { "key", names[i], NULL });
      board_test_settle ();
    }
}

/* Drags the mouse over the panel along a wave from (@x1, @y1) to (@x2, @y2), given as
 * fractions of the panel, with real button and motion events. */
static void
draw_with_mouse (Fixture *fixture,
                 double   x1,
                 double   y1,
                 double   x2,
                 double   y2)
{
  graphene_rect_t panel;
  const guint steps = 24;

  reel_canvas_get_panel_bounds (fixture->canvas, &panel);
  pointer_to (fixture, GTK_WIDGET (fixture->canvas),
              panel.origin.x + x1 * panel.size.width, panel.origin.y + y1 * panel.size.height);
  board_test_xdotool ((const char *[]) { "mousedown", "1", NULL });

  for (guint i = 1; i <= steps; i++)
    {
      double t = (double) i / steps;
      double x = x1 + (x2 - x1) * t;
      double y = y1 + (y2 - y1) * t + 0.04 * sin (t * 2 * G_PI);

      pointer_to (fixture, GTK_WIDGET (fixture->canvas),
                  panel.origin.x + x * panel.size.width, panel.origin.y + y * panel.size.height);
      board_test_settle ();
    }

  board_test_xdotool ((const char *[]) { "mouseup", "1", NULL });
  wait_for_canvas (fixture);
}

static GBytes *
render_panel (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GBytes *png = reel_panel_render_png (fixture->project,
                                       reel_board_view_get_current_shot (fixture->board),
                                       480, &error);

  g_assert_no_error (error);
  return png;
}

static void
test_draw_stroke (Fixture       *fixture,
                  gconstpointer  data)
{
  ReelShot *shot = reel_board_view_get_current_shot (fixture->board);
  ReelSketch *sketch = reel_shot_get_sketch (shot);
  ReelHistory *history = reel_project_get_history (fixture->project);
  guint n_strokes = reel_sketch_get_n_strokes (sketch);
  guint n_layer_strokes = reel_sketch_get_layer_n_strokes (sketch, REEL_LAYER_SKETCH);
  g_autoptr(GBytes) panel_before = render_panel (fixture);
  g_autoptr(GBytes) panel_after = NULL;
  g_autoptr(GBytes) panel_undone = NULL;
  g_autoptr(GdkTexture) screen_before = NULL;
  g_autoptr(GdkTexture) screen_after = NULL;
  g_autoptr(GdkTexture) screen_undone = NULL;
  const ReelStrokePoint *points;
  graphene_rect_t panel;
  ReelStroke *stroke;
  guint n_points;

  if (fixture->xid == NULL)
    return;

  g_assert_nonnull (shot);
  g_assert_cmpstr (reel_canvas_get_tool (fixture->canvas), ==, REEL_CANVAS_TOOL_PEN);
  reel_canvas_get_panel_bounds (fixture->canvas, &panel);
  screen_before = board_test_render_widget (GTK_WIDGET (fixture->canvas));

  draw_with_mouse (fixture, 0.2, 0.7, 0.8, 0.75);

  /* One pen stroke in the sketch layer, where the pointer went. */
  g_assert_cmpuint (reel_sketch_get_n_strokes (sketch), ==, n_strokes + 1);
  g_assert_cmpuint (reel_sketch_get_layer_n_strokes (sketch, REEL_LAYER_SKETCH), ==,
                    n_layer_strokes + 1);
  stroke = reel_sketch_get_stroke (sketch, REEL_LAYER_SKETCH, n_layer_strokes);
  g_assert_cmpstr (reel_stroke_get_tool (stroke), ==, REEL_TOOL_PEN);
  points = reel_stroke_get_points (stroke, &n_points);
  g_assert_cmpuint (n_points, >=, 10);
  g_assert_cmpfloat_with_epsilon (points[0].x, 0.2, 0.01);
  g_assert_cmpfloat_with_epsilon (points[0].y, 0.7, 0.01);
  g_assert_cmpfloat_with_epsilon (points[n_points - 1].x, 0.8, 0.01);
  g_assert_cmpfloat_with_epsilon (points[n_points - 1].y, 0.75, 0.01);
  g_assert_cmpstr (reel_history_get_undo_label (history), !=, NULL);

  /* The panel and the screen changed. */
  panel_after = render_panel (fixture);
  g_assert_false (g_bytes_equal (panel_before, panel_after));
  screen_after = board_test_render_widget (GTK_WIDGET (fixture->canvas));
  g_assert_cmpuint (board_test_count_differences (screen_before, screen_after,
                                                  panel.origin.x + 0.15 * panel.size.width,
                                                  panel.origin.y + 0.6 * panel.size.height,
                                                  0.7 * panel.size.width,
                                                  0.25 * panel.size.height), >, 200);

  /* One undo takes the whole stroke away, on the panel and on screen. */
  g_assert_true (reel_history_undo (history));
  wait_for_canvas (fixture);
  g_assert_cmpuint (reel_sketch_get_n_strokes (sketch), ==, n_strokes);
  panel_undone = render_panel (fixture);
  g_assert_true (g_bytes_equal (panel_before, panel_undone));
  screen_undone = board_test_render_widget (GTK_WIDGET (fixture->canvas));
  g_assert_cmpuint (board_test_count_differences (screen_before, screen_undone, 0, 0, 0, 0), ==, 0);
}

static void
test_straight_line_and_arrow (Fixture       *fixture,
                              gconstpointer  data)
{
  ReelShot *shot = reel_board_view_get_current_shot (fixture->board);
  ReelSketch *sketch = reel_shot_get_sketch (shot);
  guint n_notes = reel_sketch_get_layer_n_strokes (sketch, REEL_LAYER_NOTES);
  guint n_sketch = reel_sketch_get_layer_n_strokes (sketch, REEL_LAYER_SKETCH);
  const ReelStrokePoint *points;
  ReelStroke *stroke;
  guint n_points;

  if (fixture->xid == NULL)
    return;

  /* Shift held: a straight line from where the stroke began to where it ended. */
  board_test_xdotool ((const char *[]) { "keydown", "shift", NULL });
  draw_with_mouse (fixture, 0.1, 0.2, 0.6, 0.3);
  board_test_xdotool ((const char *[]) { "keyup", "shift", NULL });
  g_assert_cmpuint (reel_sketch_get_layer_n_strokes (sketch, REEL_LAYER_SKETCH), ==, n_sketch + 1);
  stroke = reel_sketch_get_stroke (sketch, REEL_LAYER_SKETCH, n_sketch);
  points = reel_stroke_get_points (stroke, &n_points);
  g_assert_cmpuint (n_points, ==, 2);
  g_assert_cmpfloat_with_epsilon (points[1].x, 0.6, 0.01);
  g_assert_cmpfloat_with_epsilon (points[1].y, 0.3, 0.01);

  /* Key 5 picks the camera arrow, which draws on the notes layer in red; again, the
   * character arrow, in blue. */
  press_keys (fixture, "5");
  g_assert_cmpstr (reel_canvas_get_tool (fixture->canvas), ==, REEL_CANVAS_TOOL_CAMERA_ARROW);
  g_assert_cmpstr (reel_canvas_get_active_layer (fixture->canvas), ==, REEL_LAYER_NOTES);
  draw_with_mouse (fixture, 0.3, 0.5, 0.5, 0.5);
  press_keys (fixture, "5");
  g_assert_cmpstr (reel_canvas_get_tool (fixture->canvas), ==, REEL_CANVAS_TOOL_CHARACTER_ARROW);
  draw_with_mouse (fixture, 0.6, 0.5, 0.8, 0.4);

  g_assert_cmpuint (reel_sketch_get_layer_n_strokes (sketch, REEL_LAYER_NOTES), ==, n_notes + 2);
  stroke = reel_sketch_get_stroke (sketch, REEL_LAYER_NOTES, n_notes);
  g_assert_cmpstr (reel_stroke_get_tool (stroke), ==, REEL_TOOL_ARROW);
  g_assert_cmpfloat (reel_stroke_get_color (stroke)->red, >, 0.8);
  stroke = reel_sketch_get_stroke (sketch, REEL_LAYER_NOTES, n_notes + 1);
  g_assert_cmpstr (reel_stroke_get_tool (stroke), ==, REEL_TOOL_ARROW);
  g_assert_cmpfloat (reel_stroke_get_color (stroke)->blue, >, 0.8);

  /* The frame tool keeps the corners only. */
  press_keys (fixture, "6");
  draw_with_mouse (fixture, 0.25, 0.25, 0.75, 0.8);
  stroke = reel_sketch_get_stroke (sketch, REEL_LAYER_NOTES, n_notes + 2);
  g_assert_cmpstr (reel_stroke_get_tool (stroke), ==, REEL_TOOL_FRAME);
  g_assert_cmpuint (reel_stroke_get_n_points (stroke), ==, 2);
}

static void
test_eraser_and_layers (Fixture       *fixture,
                        gconstpointer  data)
{
  ReelShot *shot = reel_board_view_get_current_shot (fixture->board);
  ReelSketch *sketch = reel_shot_get_sketch (shot);
  ReelHistory *history = reel_project_get_history (fixture->project);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) erased = NULL;
  g_autoptr(GBytes) hidden = NULL;
  g_autoptr(GBytes) undone = NULL;
  guint n_sketch = reel_sketch_get_layer_n_strokes (sketch, REEL_LAYER_SKETCH);
  ReelStroke *stroke;

  if (fixture->xid == NULL)
    return;

  before = render_panel (fixture);

  /* The eraser is a stroke of the active layer that takes pixels away. */
  press_keys (fixture, "4");
  g_assert_cmpstr (reel_canvas_get_tool (fixture->canvas), ==, REEL_CANVAS_TOOL_ERASER);
  draw_with_mouse (fixture, 0.05, 0.5, 0.95, 0.5);
  g_assert_cmpuint (reel_sketch_get_layer_n_strokes (sketch, REEL_LAYER_SKETCH), ==, n_sketch + 1);
  stroke = reel_sketch_get_stroke (sketch, REEL_LAYER_SKETCH, n_sketch);
  g_assert_cmpstr (reel_stroke_get_tool (stroke), ==, REEL_TOOL_ERASER);
  erased = render_panel (fixture);
  g_assert_false (g_bytes_equal (before, erased));

  /* Hiding a layer is an edit too, and undoable. */
  g_object_set (fixture->board, "sketch-visible", FALSE, NULL);
  g_assert_false (reel_sketch_get_layer_visible (sketch, REEL_LAYER_SKETCH));
  wait_for_canvas (fixture);
  hidden = render_panel (fixture);
  g_assert_false (g_bytes_equal (erased, hidden));
  g_assert_true (reel_history_undo (history));
  g_assert_true (reel_sketch_get_layer_visible (sketch, REEL_LAYER_SKETCH));
  g_assert_true (reel_history_undo (history));
  undone = render_panel (fixture);
  g_assert_true (g_bytes_equal (before, undone));
}

static void
test_keys (Fixture       *fixture,
           gconstpointer  data)
{
  ReelShot *first = reel_board_view_get_current_shot (fixture->board);
  ReelScene *scene = reel_shot_get_scene (first);
  double size;

  if (fixture->xid == NULL)
    return;

  /* The keys reach the board from the canvas, where a click leaves the focus. */
  gtk_widget_grab_focus (GTK_WIDGET (fixture->canvas));
  pointer_to (fixture, GTK_WIDGET (fixture->canvas), 10, 10);

  press_keys (fixture, "2");
  g_assert_cmpstr (reel_canvas_get_tool (fixture->canvas), ==, REEL_CANVAS_TOOL_PENCIL);
  press_keys (fixture, "3");
  g_assert_cmpstr (reel_canvas_get_tool (fixture->canvas), ==, REEL_CANVAS_TOOL_MARKER);
  press_keys (fixture, "7");
  g_assert_cmpstr (reel_canvas_get_tool (fixture->canvas), ==, REEL_CANVAS_TOOL_TEXT);
  g_assert_cmpstr (reel_canvas_get_active_layer (fixture->canvas), ==, REEL_LAYER_NOTES);
  press_keys (fixture, "1");
  g_assert_cmpstr (reel_canvas_get_tool (fixture->canvas), ==, REEL_CANVAS_TOOL_PEN);
  g_assert_cmpstr (reel_canvas_get_active_layer (fixture->canvas), ==, REEL_LAYER_SKETCH);

  /* [ and ] change the brush size of the current tool. */
  size = reel_canvas_get_brush_size (fixture->canvas);
  press_keys (fixture, "bracketright bracketright");
  g_assert_cmpfloat (reel_canvas_get_brush_size (fixture->canvas), >, size + 1);
  press_keys (fixture, "bracketleft bracketleft");
  g_assert_cmpfloat (reel_canvas_get_brush_size (fixture->canvas), ==, size);

  /* Left and Right step through the shots, and stop at the ends. */
  press_keys (fixture, "Right Right");
  g_assert_true (reel_board_view_get_current_shot (fixture->board) ==
                 reel_scene_get_shot (scene, 2));
  g_assert_true (reel_canvas_get_shot (fixture->canvas) == reel_scene_get_shot (scene, 2));
  g_assert_true (reel_inspector_get_shot (fixture->inspector) == reel_scene_get_shot (scene, 2));
  press_keys (fixture, "Left Left Left");
  g_assert_true (reel_board_view_get_current_shot (fixture->board) == first);

  /* Guides: G toggles the thirds, T the title safe area. */
  press_keys (fixture, "g t");
  g_assert_cmpuint (reel_canvas_get_guides (fixture->canvas), ==,
                    REEL_GUIDE_THIRDS | REEL_GUIDE_TITLE_SAFE);
  press_keys (fixture, "g");
  g_assert_cmpuint (reel_canvas_get_guides (fixture->canvas), ==, REEL_GUIDE_TITLE_SAFE);

  /* Ctrl+plus zooms in, Ctrl+0 fits the panel again. */
  press_keys (fixture, "ctrl+plus");
  g_assert_cmpfloat (reel_canvas_get_zoom (fixture->canvas), >, 1.2);
  press_keys (fixture, "ctrl+0");
  g_assert_cmpfloat (reel_canvas_get_zoom (fixture->canvas), ==, 1.0);
}

static void
test_text_label (Fixture       *fixture,
                 gconstpointer  data)
{
  ReelShot *shot = reel_board_view_get_current_shot (fixture->board);
  ReelSketch *sketch = reel_shot_get_sketch (shot);
  guint n_notes = reel_sketch_get_layer_n_strokes (sketch, REEL_LAYER_NOTES);
  graphene_rect_t panel;
  ReelStroke *stroke;

  if (fixture->xid == NULL)
    return;

  reel_canvas_set_tool (fixture->canvas, REEL_CANVAS_TOOL_TEXT);
  reel_canvas_get_panel_bounds (fixture->canvas, &panel);
  pointer_to (fixture, GTK_WIDGET (fixture->canvas),
              panel.origin.x + 0.5 * panel.size.width, panel.origin.y + 0.25 * panel.size.height);
  board_test_xdotool ((const char *[]) { "click", "1", NULL });
  board_test_settle ();
  board_test_xdotool ((const char *[]) { "type", "--delay", "30", "BOAT", NULL });
  press_keys (fixture, "Return");
  board_test_settle ();

  g_assert_cmpuint (reel_sketch_get_layer_n_strokes (sketch, REEL_LAYER_NOTES), ==, n_notes + 1);
  stroke = reel_sketch_get_stroke (sketch, REEL_LAYER_NOTES, n_notes);
  g_assert_cmpstr (reel_stroke_get_tool (stroke), ==, REEL_TOOL_TEXT);
  g_assert_cmpstr (reel_stroke_get_text (stroke), ==, "BOAT");
  g_assert_cmpfloat_with_epsilon (reel_stroke_get_points (stroke, NULL)[0].x, 0.5, 0.01);
}

static void
test_inspector (Fixture       *fixture,
                gconstpointer  data)
{
  ReelShot *shot = reel_board_view_get_current_shot (fixture->board);
  ReelHistory *history = reel_project_get_history (fixture->project);
  g_autofree char *description = g_strdup (reel_shot_get_description (shot));
  g_autofree char *expected = g_strconcat (description, " Rain.", NULL);
  g_autofree char *size = g_strdup (reel_shot_get_size (shot));
  double lens = reel_shot_get_lens_mm (shot);
  GtkWidget *description_view, *cast_row, *size_row, *lens_spin;
  GtkTextBuffer *buffer;
  GtkTextIter end;
  guint n_undo;

  if (fixture->xid == NULL)
    return;

  description_view = test_util_find_by_tooltip (GTK_WIDGET (fixture->inspector), GTK_TYPE_TEXT_VIEW,
                                               "The action the shot shows");
  cast_row = test_util_find_by_tooltip (GTK_WIDGET (fixture->inspector), ADW_TYPE_ENTRY_ROW,
                                       "The characters in the shot, separated by commas");
  size_row = test_util_find_by_tooltip (GTK_WIDGET (fixture->inspector), ADW_TYPE_COMBO_ROW,
                                       "How much of the subject the frame shows");
  lens_spin = test_util_find_by_tooltip (GTK_WIDGET (fixture->inspector), GTK_TYPE_SPIN_BUTTON,
                                        "Focal length in millimetres");
  g_assert_nonnull (description_view);
  g_assert_nonnull (cast_row);
  g_assert_nonnull (size_row);
  g_assert_nonnull (lens_spin);

  /* The inspector shows the current shot. */
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (description_view));
  {
    g_autofree char *shown = NULL;
    GtkTextIter start;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (shown, ==, description);
  }

  /* Typing changes the model keystroke by keystroke, and is one undo step. */
  n_undo = reel_history_get_n_undo (history);
  gtk_widget_grab_focus (description_view);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
  board_test_xdotool ((const char *[]) { "type", "--delay", "30", " Rain.", NULL });
  board_test_settle ();
  g_assert_cmpstr (reel_shot_get_description (shot), ==, expected);
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, n_undo + 1);

  /* Another field is another step. */
  gtk_widget_grab_focus (cast_row);
  board_test_xdotool ((const char *[]) { "type", "--delay", "30", ", GULLS", NULL });
  board_test_settle ();
  g_assert_true (g_str_has_suffix (reel_shot_get_cast (shot), ", GULLS"));
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, n_undo + 2);

  g_assert_true (reel_history_undo (history));
  g_assert_false (g_str_has_suffix (reel_shot_get_cast (shot), ", GULLS"));
  g_assert_cmpstr (reel_shot_get_description (shot), ==, expected);
  g_assert_true (reel_history_undo (history));
  g_assert_cmpstr (reel_shot_get_description (shot), ==, description);
  board_test_settle ();
  {
    g_autofree char *shown = NULL;
    GtkTextIter start;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (shown, ==, description);
  }

  /* A choice in a dropdown is a step of its own, with the label of the vocabulary. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (size_row),
                              reel_camera_get_index (REEL_VOCAB_SIZE, "ecu"));
  g_assert_cmpstr (reel_shot_get_size (shot), ==, "ecu");
  g_assert_true (reel_history_undo (history));
  g_assert_cmpstr (reel_shot_get_size (shot), ==, size);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (size_row)), ==,
                    (guint) reel_camera_get_index (REEL_VOCAB_SIZE, size));

  /* The mouse wheel over a spin button scrolls the inspector; it does not change the
   * value the pointer happens to pass over. */
  {
    GtkWidget *scroller = gtk_widget_get_ancestor (lens_spin, GTK_TYPE_SCROLLED_WINDOW);
    GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
    GtkAdjustment *adjustment =
      gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
    double lens_before = reel_shot_get_lens_mm (shot);
    graphene_point_t where;
    double before;

    /* The lens row in the middle of the inspector. */
    gtk_widget_grab_focus (GTK_WIDGET (fixture->canvas));
    g_assert_true (gtk_widget_compute_point (lens_spin, content, &GRAPHENE_POINT_INIT (0, 0),
                                             &where));
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + where.y -
                                          gtk_adjustment_get_page_size (adjustment) / 2);
    board_test_settle ();
    before = gtk_adjustment_get_value (adjustment);
    g_assert_cmpfloat (before, >, 0);
    pointer_to (fixture, lens_spin, gtk_widget_get_width (lens_spin) / 4.0,
                gtk_widget_get_height (lens_spin) / 2.0);
    board_test_xdotool ((const char *[]) { "click", "4", "click", "4", NULL });
    board_test_settle ();
    g_assert_cmpfloat (reel_shot_get_lens_mm (shot), ==, lens_before);
    g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), <, before);
  }

  /* The lens shows the angle of view it gives on the project's sensor. */
  reel_project_set_sensor (fixture->project, "super35");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (lens_spin), 35);
  g_assert_cmpfloat (reel_shot_get_lens_mm (shot), ==, 35);
  {
    GtkWidget *row = gtk_widget_get_ancestor (lens_spin, ADW_TYPE_ACTION_ROW);

    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "39.1°"));
  }
  if (lens != 35)
    {
      g_assert_true (reel_history_undo (history));
      g_assert_cmpfloat (reel_shot_get_lens_mm (shot), ==, lens);
    }
}

static void
test_zoom_pan_and_cancel (Fixture       *fixture,
                          gconstpointer  data)
{
  ReelSketch *sketch = reel_shot_get_sketch (reel_board_view_get_current_shot (fixture->board));
  guint n_strokes = reel_sketch_get_n_strokes (sketch);
  graphene_rect_t before, after;
  double zoom;

  if (fixture->xid == NULL)
    return;

  /* Ctrl+scroll zooms about the pointer. */
  reel_canvas_get_panel_bounds (fixture->canvas, &before);
  pointer_to (fixture, GTK_WIDGET (fixture->canvas),
              before.origin.x + before.size.width / 2, before.origin.y + before.size.height / 2);
  board_test_xdotool ((const char *[]) { "keydown", "ctrl", "click", "4", "click", "4",
                                         "keyup", "ctrl", NULL });
  board_test_settle ();
  zoom = reel_canvas_get_zoom (fixture->canvas);
  g_assert_cmpfloat (zoom, >, 1.2);
  reel_canvas_get_panel_bounds (fixture->canvas, &after);
  g_assert_cmpfloat (after.size.width, >, before.size.width * 1.2);

  /* The middle button drags the panel around, and so does the left one with space held. */
  before = after;
  board_test_xdotool ((const char *[]) { "mousedown", "2", NULL });
  pointer_to (fixture, GTK_WIDGET (fixture->canvas),
              before.origin.x + before.size.width / 2 - 120,
              before.origin.y + before.size.height / 2 - 60);
  board_test_xdotool ((const char *[]) { "mouseup", "2", NULL });
  board_test_settle ();
  reel_canvas_get_panel_bounds (fixture->canvas, &after);
  g_assert_cmpfloat_with_epsilon (after.origin.x, before.origin.x - 120, 2);
  g_assert_cmpfloat_with_epsilon (after.origin.y, before.origin.y - 60, 2);

  /* The pointer is over the panel's centre again, which moved with it. */
  before = after;
  board_test_xdotool ((const char *[]) { "keydown", "space", "mousedown", "1", NULL });
  pointer_to (fixture, GTK_WIDGET (fixture->canvas),
              before.origin.x + before.size.width / 2 + 80,
              before.origin.y + before.size.height / 2 - 50);
  board_test_xdotool ((const char *[]) { "mouseup", "1", "keyup", "space", NULL });
  board_test_settle ();
  reel_canvas_get_panel_bounds (fixture->canvas, &after);
  g_assert_cmpfloat_with_epsilon (after.origin.x, before.origin.x + 80, 2);
  g_assert_cmpfloat_with_epsilon (after.origin.y, before.origin.y - 50, 2);
  /* Panning drew nothing. */
  g_assert_cmpuint (reel_sketch_get_n_strokes (sketch), ==, n_strokes);

  /* Escape drops the stroke being drawn. */
  pointer_to (fixture, GTK_WIDGET (fixture->canvas), 200, 200);
  board_test_xdotool ((const char *[]) { "mousedown", "1", NULL });
  pointer_to (fixture, GTK_WIDGET (fixture->canvas), 260, 230);
  pointer_to (fixture, GTK_WIDGET (fixture->canvas), 320, 200);
  g_assert_true (reel_canvas_is_drawing (fixture->canvas));
  press_keys (fixture, "Escape");
  board_test_xdotool ((const char *[]) { "mouseup", "1", NULL });
  board_test_settle ();
  g_assert_false (reel_canvas_is_drawing (fixture->canvas));
  g_assert_cmpuint (reel_sketch_get_n_strokes (sketch), ==, n_strokes);
}

int
main (int   argc,
      char *argv[])
{
  reel_test_require_x11 (TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/board/draw-stroke", Fixture, NULL, fixture_set_up, test_draw_stroke,
              fixture_tear_down);
  g_test_add ("/board/straight-line-and-arrows", Fixture, NULL, fixture_set_up,
              test_straight_line_and_arrow, fixture_tear_down);
  g_test_add ("/board/eraser-and-layers", Fixture, NULL, fixture_set_up, test_eraser_and_layers,
              fixture_tear_down);
  g_test_add ("/board/keys", Fixture, NULL, fixture_set_up, test_keys, fixture_tear_down);
  g_test_add ("/board/text-label", Fixture, NULL, fixture_set_up, test_text_label,
              fixture_tear_down);
  g_test_add ("/board/inspector", Fixture, NULL, fixture_set_up, test_inspector,
              fixture_tear_down);
  g_test_add ("/board/zoom-pan-and-cancel", Fixture, NULL, fixture_set_up,
              test_zoom_pan_and_cancel, fixture_tear_down);

  return reel_test_run ();
}
