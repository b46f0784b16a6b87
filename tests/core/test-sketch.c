/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <fontconfig/fontconfig.h>

#include <math.h>
#include <string.h>

#include "reel-test-project.h"

static const ReelColor red = { 1, 0, 0, 1 };
static const ReelColor blue = { 0, 0, 1, 1 };

static ReelStroke *
line_stroke (const char      *tool,
             const ReelColor *color,
             double           width,
             double           x1,
             double           y1,
             double           x2,
             double           y2,
             float            pressure)
{
  ReelStrokePoint points[16];

  /* A straight line as a hand would draw it: many points. */
  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      double t = i / (double) (G_N_ELEMENTS (points) - 1);

      points[i] = (ReelStrokePoint) { x1 + (x2 - x1) * t, y1 + (y2 - y1) * t, pressure, 0, 0 };
    }

  return reel_stroke_new (tool, color, width, points, G_N_ELEMENTS (points), NULL);
}

static cairo_surface_t *
render (ReelSketch *sketch,
        int         width,
        int         height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);

  reel_sketch_render (sketch, cr, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

static guint32
pixel (cairo_surface_t *surface,
       int              x,
       int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return ((const guint32 *) (data + y * stride))[x];
}

static guint
alpha (cairo_surface_t *surface,
       int              x,
       int              y)
{
  return pixel (surface, x, y) >> 24;
}

static guint
count_painted (cairo_surface_t *surface)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  guint n = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      n += alpha (surface, x, y) > 0;

  return n;
}

/* Painted area in pixels, antialiased edges counted by their coverage. */
static double
coverage (cairo_surface_t *surface)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  double sum = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      sum += alpha (surface, x, y) / 255.0;

  return sum;
}

static void
test_layers (void)
{
  g_autoptr(ReelSketch) sketch = reel_sketch_new ();
  g_autoptr(ReelStroke) stroke = line_stroke (REEL_TOOL_PEN, &red, 0.01, 0, 0, 1, 1, 1);
  g_autoptr(ReelStroke) removed = NULL;
  g_autoptr(GPtrArray) strokes = NULL;

  g_assert_cmpuint (reel_sketch_get_n_layers (sketch), ==, 2);
  g_assert_cmpstr (reel_sketch_get_layer_name (sketch, 0), ==, REEL_LAYER_SKETCH);
  g_assert_cmpstr (reel_sketch_get_layer_name (sketch, 1), ==, REEL_LAYER_NOTES);
  g_assert_true (reel_sketch_is_empty (sketch));
  g_assert_true (reel_sketch_get_layer_visible (sketch, REEL_LAYER_NOTES));
  g_assert_cmpfloat (reel_sketch_get_layer_opacity (sketch, REEL_LAYER_NOTES), ==, 1.0);

  reel_sketch_append_stroke (sketch, REEL_LAYER_SKETCH, stroke);
  reel_sketch_append_stroke (sketch, "ink", stroke);
  g_assert_cmpuint (reel_sketch_get_n_layers (sketch), ==, 3);
  g_assert_cmpint (reel_sketch_find_layer (sketch, "ink"), ==, 2);
  g_assert_cmpuint (reel_sketch_get_n_strokes (sketch), ==, 2);
  g_assert_cmpuint (reel_sketch_get_layer_n_strokes (sketch, "ink"), ==, 1);
  g_assert_cmpuint (reel_sketch_get_layer_n_strokes (sketch, "missing"), ==, 0);
  g_assert_true (reel_sketch_get_stroke (sketch, "ink", 0) == stroke);
  g_assert_null (reel_sketch_get_stroke (sketch, "ink", 1));
  g_assert_cmpint (reel_sketch_find_stroke (sketch, "ink", stroke), ==, 0);
  g_assert_cmpint (reel_sketch_find_stroke (sketch, REEL_LAYER_NOTES, stroke), ==, -1);

  strokes = reel_sketch_list_strokes (sketch, REEL_LAYER_SKETCH);
  g_assert_cmpuint (strokes->len, ==, 1);

  removed = reel_sketch_remove_stroke (sketch, "ink", 0);
  g_assert_true (removed == stroke);
  g_assert_null (reel_sketch_remove_stroke (sketch, "ink", 0));
  g_assert_true (reel_sketch_remove_layer (sketch, "ink"));
  g_assert_false (reel_sketch_remove_layer (sketch, "ink"));
  g_assert_cmpuint (reel_sketch_get_n_layers (sketch), ==, 2);

  reel_sketch_clear (sketch);
  g_assert_true (reel_sketch_is_empty (sketch));
  /* The list handed out earlier keeps its strokes. */
  g_assert_true (g_ptr_array_index (strokes, 0) == stroke);
}

static void
count_signal (gpointer  instance,
              guint    *counter)
{
  (*counter)++;
}

static void
test_changed_signal (void)
{
  g_autoptr(ReelSketch) sketch = reel_sketch_new ();
  g_autoptr(ReelStroke) stroke = line_stroke (REEL_TOOL_PEN, &red, 0.01, 0, 0, 1, 1, 1);
  guint changes = 0;

  g_signal_connect (sketch, "changed", G_CALLBACK (count_signal), &changes);

  reel_sketch_append_stroke (sketch, REEL_LAYER_SKETCH, stroke);
  g_assert_cmpuint (changes, ==, 1);
  reel_sketch_set_layer_visible (sketch, REEL_LAYER_SKETCH, FALSE);
  g_assert_cmpuint (changes, ==, 2);
  reel_sketch_set_layer_visible (sketch, REEL_LAYER_SKETCH, FALSE);
  g_assert_cmpuint (changes, ==, 2);
  reel_sketch_set_layer_opacity (sketch, REEL_LAYER_SKETCH, 0.5);
  g_assert_cmpuint (changes, ==, 3);
  reel_sketch_clear_layer (sketch, REEL_LAYER_NOTES);   /* already empty */
  g_assert_cmpuint (changes, ==, 3);
  reel_sketch_clear_layer (sketch, REEL_LAYER_SKETCH);
  g_assert_cmpuint (changes, ==, 4);
}

static void
test_equality_and_copy (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (reel_test_seed (7));
  g_autoptr(ReelSketch) sketch = reel_sketch_new ();
  g_autoptr(ReelSketch) copy = NULL;
  g_autoptr(ReelStroke) extra = reel_test_random_stroke (rand);

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(ReelStroke) stroke = reel_test_random_stroke (rand);

      reel_sketch_append_stroke (sketch, i % 3 ? REEL_LAYER_SKETCH : REEL_LAYER_NOTES, stroke);
    }

  copy = reel_sketch_copy (sketch);
  g_assert_true (reel_sketch_equal (sketch, copy));

  /* The copy is independent. */
  reel_sketch_append_stroke (copy, REEL_LAYER_SKETCH, extra);
  g_assert_false (reel_sketch_equal (sketch, copy));
  g_assert_cmpuint (reel_sketch_get_n_strokes (sketch), ==, 20);
  g_clear_object (&copy);

  copy = reel_sketch_copy (sketch);
  reel_sketch_set_layer_opacity (copy, REEL_LAYER_NOTES, 0.25);
  g_assert_false (reel_sketch_equal (sketch, copy));
  g_clear_object (&copy);

  copy = reel_sketch_copy (sketch);
  reel_sketch_set_layer_visible (copy, REEL_LAYER_NOTES, FALSE);
  g_assert_false (reel_sketch_equal (sketch, copy));
  g_clear_object (&copy);

  /* Equal strokes that are different objects still compare equal. */
  {
    ReelStroke *original = reel_sketch_get_stroke (sketch, REEL_LAYER_SKETCH, 0);
    guint n_points;
    const ReelStrokePoint *points = reel_stroke_get_points (original, &n_points);
    g_autoptr(ReelStroke) twin = reel_stroke_new (reel_stroke_get_tool (original),
                                                  reel_stroke_get_color (original),
                                                  reel_stroke_get_width (original),
                                                  points, n_points,
                                                  reel_stroke_get_text (original));
    g_autofree ReelStrokePoint *moved = g_memdup2 (points, n_points * sizeof *points);
    g_autoptr(ReelStroke) nudged = NULL;

    g_assert_true (reel_stroke_equal (original, twin));
    moved[n_points - 1].pressure += 0.125f;
    nudged = reel_stroke_new (reel_stroke_get_tool (original), reel_stroke_get_color (original),
                              reel_stroke_get_width (original), moved, n_points,
                              reel_stroke_get_text (original));
    g_assert_false (reel_stroke_equal (original, nudged));

    copy = reel_sketch_copy (sketch);
    reel_stroke_unref (reel_sketch_remove_stroke (copy, REEL_LAYER_SKETCH, 0));
    reel_sketch_insert_stroke (copy, REEL_LAYER_SKETCH, 0, twin);
    g_assert_true (reel_sketch_equal (sketch, copy));
    reel_stroke_unref (reel_sketch_remove_stroke (copy, REEL_LAYER_SKETCH, 0));
    reel_sketch_insert_stroke (copy, REEL_LAYER_SKETCH, 0, nudged);
    g_assert_false (reel_sketch_equal (sketch, copy));
  }
}

static void
test_stroke (void)
{
  ReelStrokePoint points[] = {
    { 0.25f, 0.5f, 0.5f, 0.1f, -0.1f },
    { 0.75f, 0.125f, 1.0f, 0.2f, -0.2f },
  };
  g_autoptr(ReelStroke) stroke = reel_stroke_new (REEL_TOOL_PENCIL, &blue, 0.02, points, 2, NULL);
  g_autoptr(ReelStroke) text = reel_stroke_new (REEL_TOOL_TEXT, &blue, 0.05, points, 2, "Maya");
  g_autoptr(ReelStroke) defaults = reel_stroke_new (NULL, NULL, 0.01, points, 1, NULL);
  double x1, y1, x2, y2;
  guint n;

  /* The stroke owns a copy of the points. */
  points[0].x = 0.9f;
  g_assert_cmpfloat (reel_stroke_get_points (stroke, &n)[0].x, ==, 0.25f);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (reel_stroke_get_tool (stroke), ==, REEL_TOOL_PENCIL);
  g_assert_cmpfloat (reel_stroke_get_color (stroke)->blue, ==, 1.0);
  g_assert_cmpfloat (reel_stroke_get_width (stroke), ==, 0.02);
  g_assert_null (reel_stroke_get_text (stroke));
  g_assert_cmpstr (reel_stroke_get_text (text), ==, "Maya");
  g_assert_cmpstr (reel_stroke_get_tool (defaults), ==, REEL_TOOL_PEN);
  g_assert_cmpfloat (reel_stroke_get_color (defaults)->alpha, ==, 1.0);

  reel_stroke_get_bounds (stroke, &x1, &y1, &x2, &y2);
  g_assert_cmpfloat (x1, ==, 0.25);
  g_assert_cmpfloat (y1, ==, 0.125);
  g_assert_cmpfloat (x2, ==, 0.75);
  g_assert_cmpfloat (y2, ==, 0.5);

  g_assert_cmpuint (sizeof (ReelStrokePoint), ==, 20);
}

static void
test_damaged_numbers (void)
{
  ReelStrokePoint points[] = {
    { NAN, 0.5f, 1, 0, 0 },
    { 0.9f, INFINITY, NAN, 0, 0 },
    { 0.5f, 0.5f, 1, 0, 0 },
  };
  ReelColor color = { 1, NAN, 0, 1 };
  g_autoptr(ReelStroke) damaged = reel_stroke_new (REEL_TOOL_PEN, &color, NAN, points, 3, NULL);
  g_autoptr(ReelStroke) label = reel_stroke_new (REEL_TOOL_TEXT, &color, NAN, points, 3, "MAYA");
  g_autoptr(ReelStroke) good = line_stroke (REEL_TOOL_PEN, &red, 0.05, 0.1, 0.5, 0.9, 0.5, 1);
  g_autoptr(ReelSketch) sketch = reel_sketch_new ();
  cairo_surface_t *surface;

  /* A stroke read from a damaged file must not blank the rest of the panel. */
  reel_sketch_append_stroke (sketch, REEL_LAYER_SKETCH, damaged);
  reel_sketch_append_stroke (sketch, REEL_LAYER_SKETCH, label);
  reel_sketch_append_stroke (sketch, REEL_LAYER_SKETCH, good);
  surface = render (sketch, 200, 100);
  g_assert_cmpuint (alpha (surface, 100, 50), ==, 255);
  g_assert_true (isfinite (reel_stroke_get_points (damaged, NULL)[0].x));
  g_assert_true (isfinite (reel_stroke_get_width (damaged)));
  cairo_surface_destroy (surface);
}

static void
test_render_pen_and_eraser (void)
{
  g_autoptr(ReelSketch) sketch = reel_sketch_new ();
  g_autoptr(ReelStroke) line = line_stroke (REEL_TOOL_PEN, &red, 0.05, 0.1, 0.5, 0.9, 0.5, 1);
  g_autoptr(ReelStroke) eraser = line_stroke (REEL_TOOL_ERASER, &blue, 0.2, 0.5, 0.1, 0.5, 0.9, 1);
  cairo_surface_t *surface;

  reel_sketch_append_stroke (sketch, REEL_LAYER_SKETCH, line);
  surface = render (sketch, 200, 100);
  g_assert_cmpuint (alpha (surface, 100, 50), ==, 255);
  g_assert_cmphex (pixel (surface, 100, 50), ==, 0xffff0000);
  g_assert_cmpuint (alpha (surface, 30, 50), ==, 255);
  g_assert_cmpuint (alpha (surface, 100, 10), ==, 0);
  g_assert_cmpuint (alpha (surface, 5, 50), ==, 0);
  cairo_surface_destroy (surface);

  /* An eraser in another layer leaves this one alone. */
  reel_sketch_append_stroke (sketch, REEL_LAYER_NOTES, eraser);
  surface = render (sketch, 200, 100);
  g_assert_cmpuint (alpha (surface, 100, 50), ==, 255);
  cairo_surface_destroy (surface);

  /* In the same layer it cuts the line where it crosses, and only there. */
  reel_sketch_append_stroke (sketch, REEL_LAYER_SKETCH, eraser);
  surface = render (sketch, 200, 100);
  g_assert_cmpuint (alpha (surface, 100, 50), ==, 0);
  g_assert_cmpuint (alpha (surface, 30, 50), ==, 255);
  g_assert_cmpuint (alpha (surface, 170, 50), ==, 255);
  cairo_surface_destroy (surface);

  /* A hidden layer draws nothing; opacity scales the layer. */
  reel_sketch_set_layer_visible (sketch, REEL_LAYER_SKETCH, FALSE);
  surface = render (sketch, 200, 100);
  g_assert_cmpuint (count_painted (surface), ==, 0);
  cairo_surface_destroy (surface);

  reel_sketch_set_layer_visible (sketch, REEL_LAYER_SKETCH, TRUE);
  reel_sketch_set_layer_opacity (sketch, REEL_LAYER_SKETCH, 0.5);
  surface = render (sketch, 200, 100);
  g_assert_cmpuint (alpha (surface, 30, 50), >=, 126);
  g_assert_cmpuint (alpha (surface, 30, 50), <=, 129);
  cairo_surface_destroy (surface);
}

static void
test_render_pressure (void)
{
  g_autoptr(ReelSketch) light = reel_sketch_new ();
  g_autoptr(ReelSketch) heavy = reel_sketch_new ();
  g_autoptr(ReelStroke) light_line = line_stroke (REEL_TOOL_PEN, &red, 0.05, 0.1, 0.5, 0.9, 0.5, 0.1);
  g_autoptr(ReelStroke) heavy_line = line_stroke (REEL_TOOL_PEN, &red, 0.05, 0.1, 0.5, 0.9, 0.5, 1);
  g_autoptr(ReelStroke) marker_light = line_stroke (REEL_TOOL_MARKER, &red, 0.05, 0.1, 0.5, 0.9,
                                                    0.5, 0.1);
  g_autoptr(ReelSketch) marker = reel_sketch_new ();
  cairo_surface_t *a, *b, *c;

  reel_sketch_append_stroke (light, REEL_LAYER_SKETCH, light_line);
  reel_sketch_append_stroke (heavy, REEL_LAYER_SKETCH, heavy_line);
  reel_sketch_append_stroke (marker, REEL_LAYER_SKETCH, marker_light);
  a = render (light, 400, 200);
  b = render (heavy, 400, 200);
  c = render (marker, 400, 200);

  /* Pressing harder draws a wider line; a marker ignores pressure. */
  g_assert_cmpuint (count_painted (b), >, 2 * count_painted (a));
  g_assert_cmpuint (count_painted (c), >, 2 * count_painted (a));
  /* A marker is translucent. */
  g_assert_cmpuint (alpha (c, 200, 100), <, 200);
  g_assert_cmpuint (alpha (c, 200, 100), >, 50);

  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
  cairo_surface_destroy (c);
}

static void
test_render_shapes (void)
{
  g_autoptr(ReelSketch) pen = reel_sketch_new ();
  g_autoptr(ReelSketch) arrow = reel_sketch_new ();
  g_autoptr(ReelSketch) frame = reel_sketch_new ();
  g_autoptr(ReelSketch) text = reel_sketch_new ();
  g_autoptr(ReelStroke) pen_line = line_stroke (REEL_TOOL_PEN, &red, 0.01, 0.1, 0.5, 0.8, 0.5, 1);
  g_autoptr(ReelStroke) arrow_line = line_stroke (REEL_TOOL_ARROW, &red, 0.01, 0.1, 0.5, 0.8,
                                                  0.5, 1);
  g_autoptr(ReelStroke) frame_line = line_stroke (REEL_TOOL_FRAME, &red, 0.01, 0.2, 0.2, 0.8,
                                                  0.8, 1);
  ReelStrokePoint anchor = { 0.1f, 0.1f, 1, 0, 0 };
  g_autoptr(ReelStroke) label = reel_stroke_new (REEL_TOOL_TEXT, &blue, 0.1, &anchor, 1, "MAYA");
  cairo_surface_t *surface;
  guint pen_pixels;

  reel_sketch_append_stroke (pen, REEL_LAYER_SKETCH, pen_line);
  surface = render (pen, 400, 200);
  pen_pixels = count_painted (surface);
  /* Just above the tip, a plain line leaves nothing. */
  g_assert_cmpuint (alpha (surface, 315, 98), ==, 0);
  cairo_surface_destroy (surface);

  /* An arrow gets a head at its last point. */
  reel_sketch_append_stroke (arrow, REEL_LAYER_SKETCH, arrow_line);
  surface = render (arrow, 400, 200);
  g_assert_cmpuint (count_painted (surface), >, pen_pixels);
  g_assert_cmpuint (alpha (surface, 315, 98), >, 0);
  g_assert_cmpuint (alpha (surface, 50, 98), ==, 0);
  cairo_surface_destroy (surface);

  /* A frame is the rectangle between the first and last point, not filled. */
  reel_sketch_append_stroke (frame, REEL_LAYER_SKETCH, frame_line);
  surface = render (frame, 400, 200);
  g_assert_cmpuint (alpha (surface, 80, 100), ==, 255);     /* left edge */
  g_assert_cmpuint (alpha (surface, 320, 100), ==, 255);    /* right edge */
  g_assert_cmpuint (alpha (surface, 200, 40), ==, 255);     /* top edge */
  g_assert_cmpuint (alpha (surface, 200, 160), ==, 255);    /* bottom edge */
  g_assert_cmpuint (alpha (surface, 200, 100), ==, 0);      /* inside */
  g_assert_cmpuint (alpha (surface, 20, 20), ==, 0);        /* outside */
  cairo_surface_destroy (surface);

  /* Text hangs below and right of its anchor. */
  reel_sketch_append_stroke (text, REEL_LAYER_NOTES, label);
  surface = render (text, 400, 200);
  {
    guint inside = 0, elsewhere = 0;

    for (int y = 0; y < 200; y++)
      for (int x = 0; x < 400; x++)
        {
          gboolean near = x >= 38 && x < 200 && y >= 18 && y < 50;

          if (alpha (surface, x, y) > 0)
            {
              if (near)
                inside++;
              else
                elsewhere++;
            }
        }
    g_assert_cmpuint (inside, >, 100);
    g_assert_cmpuint (elsewhere, ==, 0);
  }
  cairo_surface_destroy (surface);
}

static cairo_surface_t *
render_label (const char *text)
{
  g_autoptr(ReelSketch) sketch = reel_sketch_new ();
  ReelStrokePoint anchor = { 0.05f, 0.05f, 1, 0, 0 };
  g_autoptr(ReelStroke) label = reel_stroke_new (REEL_TOOL_TEXT, &blue, 0.5, &anchor, 1, text);

  reel_sketch_append_stroke (sketch, REEL_LAYER_NOTES, label);
  return render (sketch, 200, 100);
}

static gboolean
same_pixels (cairo_surface_t *a,
             cairo_surface_t *b)
{
  for (int y = 0; y < 100; y++)
    for (int x = 0; x < 200; x++)
      if (pixel (a, x, y) != pixel (b, x, y))
        return FALSE;

  return TRUE;
}

static void
test_render_hangul (void)
{
  cairo_surface_t *han = render_label ("한");
  cairo_surface_t *guk = render_label ("국");
  cairo_surface_t *again = render_label ("한");

  /* Missing glyphs all draw the same box; real ones differ (the app is
   * translated into Korean, and directors write labels in their language). */
  g_assert_cmpuint (count_painted (han), >, 100);
  g_assert_true (same_pixels (han, again));
  g_assert_false (same_pixels (han, guk));

  cairo_surface_destroy (han);
  cairo_surface_destroy (guk);
  cairo_surface_destroy (again);
}

static void
test_render_any_size (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (reel_test_seed (11));
  g_autoptr(ReelSketch) sketch = reel_sketch_new ();
  cairo_surface_t *small, *large;
  double small_fraction, large_fraction;

  for (guint i = 0; i < 30; i++)
    {
      g_autoptr(ReelStroke) stroke = line_stroke (REEL_TOOL_PEN, &red, 0.02,
                                                  g_rand_double (rand), g_rand_double (rand),
                                                  g_rand_double (rand), g_rand_double (rand),
                                                  g_rand_double_range (rand, 0.2, 1));
      reel_sketch_append_stroke (sketch, REEL_LAYER_SKETCH, stroke);
    }

  /* Vectors: the same drawing covers the same share of a thumbnail and a print. */
  small = render (sketch, 160, 90);
  large = render (sketch, 1280, 720);
  small_fraction = coverage (small) / (160.0 * 90);
  large_fraction = coverage (large) / (1280.0 * 720);
  g_assert_cmpfloat (small_fraction, >, 0.05);
  g_assert_cmpfloat (large_fraction / small_fraction, >, 0.85);
  g_assert_cmpfloat (large_fraction / small_fraction, <, 1.15);

  cairo_surface_destroy (small);
  cairo_surface_destroy (large);
}

static void
count_foreach (const char *layer,
               guint       position,
               ReelStroke *stroke,
               gpointer    user_data)
{
  GString *trace = user_data;

  g_string_append_printf (trace, "%s:%u ", layer, position);
}

static void
test_foreach (void)
{
  g_autoptr(ReelSketch) sketch = reel_sketch_new ();
  g_autoptr(ReelStroke) stroke = line_stroke (REEL_TOOL_PEN, &red, 0.01, 0, 0, 1, 1, 1);
  g_autoptr(GString) trace = g_string_new (NULL);

  reel_sketch_append_stroke (sketch, REEL_LAYER_NOTES, stroke);
  reel_sketch_append_stroke (sketch, REEL_LAYER_SKETCH, stroke);
  reel_sketch_append_stroke (sketch, REEL_LAYER_SKETCH, stroke);
  reel_sketch_foreach (sketch, count_foreach, trace);
  g_assert_cmpstr (trace->str, ==, "sketch:0 sketch:1 notes:0 ");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sketch/layers", test_layers);
  g_test_add_func ("/sketch/changed-signal", test_changed_signal);
  g_test_add_func ("/sketch/equality-and-copy", test_equality_and_copy);
  g_test_add_func ("/sketch/stroke", test_stroke);
  g_test_add_func ("/sketch/damaged-numbers", test_damaged_numbers);
  g_test_add_func ("/sketch/foreach", test_foreach);
  g_test_add_func ("/sketch/render/pen-and-eraser", test_render_pen_and_eraser);
  g_test_add_func ("/sketch/render/pressure", test_render_pressure);
  g_test_add_func ("/sketch/render/shapes", test_render_shapes);
  g_test_add_func ("/sketch/render/any-size", test_render_any_size);
  g_test_add_func ("/sketch/render/hangul", test_render_hangul);

  status = g_test_run ();

  /* Text strokes fill cairo's font caches: empty them so leak checks see ours. */
  reel_panel_clear_cache ();
  cairo_debug_reset_static_data ();
  FcFini ();

  return status;
}
