/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-sketch"

#include "config.h"

#include <math.h>
#include <string.h>

#include "reel-sketch.h"

G_STATIC_ASSERT (sizeof (ReelStrokePoint) == 5 * sizeof (float));

/* ReelStroke */

/* The tool as drawn: decided once so drawing (on any thread) compares integers. */
typedef enum
{
  TOOL_PEN,
  TOOL_PENCIL,
  TOOL_MARKER,
  TOOL_ERASER,
  TOOL_ARROW,
  TOOL_FRAME,
  TOOL_TEXT,
} ToolKind;

struct _ReelStroke
{
  gatomicrefcount ref_count;
  const char *tool;   /* interned */
  ToolKind kind;
  ReelColor color;
  double width;
  char *text;
  guint n_points;
  ReelStrokePoint points[];
};

G_DEFINE_BOXED_TYPE (ReelStroke, reel_stroke, reel_stroke_ref, reel_stroke_unref)

static inline double
finite_or_zero (double value)
{
  return isfinite (value) ? value : 0.0;
}

static ToolKind
tool_kind_from_id (const char *tool)
{
  static const struct { const char *id; ToolKind kind; } kinds[] = {
    { REEL_TOOL_PENCIL, TOOL_PENCIL },
    { REEL_TOOL_MARKER, TOOL_MARKER },
    { REEL_TOOL_ERASER, TOOL_ERASER },
    { REEL_TOOL_ARROW, TOOL_ARROW },
    { REEL_TOOL_FRAME, TOOL_FRAME },
    { REEL_TOOL_TEXT, TOOL_TEXT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i].id, tool))
      return kinds[i].kind;

  /* "pen" and tools this version does not know draw as a pen. */
  return TOOL_PEN;
}

ReelStroke *
reel_stroke_new (const char            *tool,
                 const ReelColor       *color,
                 double                 width,
                 const ReelStrokePoint *points,
                 guint                  n_points,
                 const char            *text)
{
  static const ReelColor black = { 0, 0, 0, 1 };
  ReelStroke *self;

  g_return_val_if_fail (n_points == 0 || points != NULL, NULL);
  g_return_val_if_fail (n_points < G_MAXUINT / sizeof (ReelStrokePoint) - 1, NULL);

  self = g_malloc0 (sizeof (ReelStroke) + n_points * sizeof (ReelStrokePoint));
  g_atomic_ref_count_init (&self->ref_count);
  self->tool = g_intern_string (tool != NULL ? tool : REEL_TOOL_PEN);
  self->kind = tool_kind_from_id (self->tool);
  self->color = color != NULL ? *color : black;
  self->width = width;
  self->text = g_strdup (text);
  self->n_points = n_points;
  if (n_points > 0)
    memcpy (self->points, points, n_points * sizeof (ReelStrokePoint));

  /* Numbers from a damaged file: a NaN font size would put the panel's whole
   * cairo context in an error state and blank everything drawn after it. Keep
   * the stroke, drop the impossible numbers. */
  self->width = finite_or_zero (self->width);
  self->color.red = finite_or_zero (self->color.red);
  self->color.green = finite_or_zero (self->color.green);
  self->color.blue = finite_or_zero (self->color.blue);
  self->color.alpha = finite_or_zero (self->color.alpha);
  for (guint i = 0; i < n_points; i++)
    {
      ReelStrokePoint *point = &self->points[i];

      point->x = finite_or_zero (point->x);
      point->y = finite_or_zero (point->y);
      point->pressure = finite_or_zero (point->pressure);
      point->tilt_x = finite_or_zero (point->tilt_x);
      point->tilt_y = finite_or_zero (point->tilt_y);
    }

  return self;
}

ReelStroke *
reel_stroke_ref (ReelStroke *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
reel_stroke_unref (ReelStroke *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->text);
  g_free (self);
}

const char *
reel_stroke_get_tool (const ReelStroke *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->tool;
}

const ReelColor *
reel_stroke_get_color (const ReelStroke *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->color;
}

double
reel_stroke_get_width (const ReelStroke *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->width;
}

const ReelStrokePoint *
reel_stroke_get_points (const ReelStroke *self,
                        guint            *n_points)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (n_points != NULL)
    *n_points = self->n_points;

  return self->points;
}

guint
reel_stroke_get_n_points (const ReelStroke *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_points;
}

const char *
reel_stroke_get_text (const ReelStroke *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->text;
}

void
reel_stroke_get_bounds (const ReelStroke *self,
                        double           *x1,
                        double           *y1,
                        double           *x2,
                        double           *y2)
{
  double min_x = 0, min_y = 0, max_x = 0, max_y = 0;

  g_return_if_fail (self != NULL);

  if (self->n_points > 0)
    {
      min_x = max_x = self->points[0].x;
      min_y = max_y = self->points[0].y;
    }

  if (self->kind != TOOL_TEXT)
    {
      for (guint i = 1; i < self->n_points; i++)
        {
          min_x = MIN (min_x, self->points[i].x);
          max_x = MAX (max_x, self->points[i].x);
          min_y = MIN (min_y, self->points[i].y);
          max_y = MAX (max_y, self->points[i].y);
        }
    }

  if (x1 != NULL)
    *x1 = min_x;
  if (y1 != NULL)
    *y1 = min_y;
  if (x2 != NULL)
    *x2 = max_x;
  if (y2 != NULL)
    *y2 = max_y;
}

gboolean
reel_stroke_equal (const ReelStroke *a,
                   const ReelStroke *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a == b)
    return TRUE;

  if (a->tool != b->tool
      || a->width != b->width
      || a->color.red != b->color.red
      || a->color.green != b->color.green
      || a->color.blue != b->color.blue
      || a->color.alpha != b->color.alpha
      || g_strcmp0 (a->text, b->text) != 0
      || a->n_points != b->n_points)
    return FALSE;

  for (guint i = 0; i < a->n_points; i++)
    {
      const ReelStrokePoint *p = &a->points[i];
      const ReelStrokePoint *q = &b->points[i];

      if (p->x != q->x || p->y != q->y || p->pressure != q->pressure
          || p->tilt_x != q->tilt_x || p->tilt_y != q->tilt_y)
        return FALSE;
    }

  return TRUE;
}

static void
set_source_color (cairo_t         *cr,
                  const ReelColor *color,
                  double           alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, alpha);
}

/* Pressure scales the line from a fifth of its width (a feather touch) to all of it. */
static double
pressure_factor (float pressure)
{
  return 0.2 + 0.8 * CLAMP (pressure, 0.f, 1.f);
}

/* A pencil held on its side draws a broader, lighter line. */
static double
tilt_factor (const ReelStrokePoint *point)
{
  double tilt = sqrt ((double) point->tilt_x * point->tilt_x
                      + (double) point->tilt_y * point->tilt_y);

  return 1.0 + 1.5 * CLAMP (tilt, 0.0, 1.0);
}

/* Variable-width polyline: one segment at a time, round caps joining them. */
static void
draw_pressure_line (const ReelStroke *self,
                    cairo_t          *cr,
                    double            width,
                    double            height,
                    double            line_width,
                    gboolean          use_pressure,
                    gboolean          use_tilt)
{
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  if (self->n_points == 1)
    {
      const ReelStrokePoint *p = &self->points[0];
      double w = line_width;

      if (use_pressure)
        w *= pressure_factor (p->pressure);
      if (use_tilt)
        w *= tilt_factor (p);
      cairo_new_path (cr);
      cairo_arc (cr, p->x * width, p->y * height, MAX (w, 0.5) / 2, 0, 2 * G_PI);
      cairo_fill (cr);
      return;
    }

  if (!use_pressure && !use_tilt)
    {
      cairo_new_path (cr);
      for (guint i = 0; i < self->n_points; i++)
        cairo_line_to (cr, self->points[i].x * width, self->points[i].y * height);
      cairo_set_line_width (cr, MAX (line_width, 0.5));
      cairo_stroke (cr);
      return;
    }

  for (guint i = 0; i + 1 < self->n_points; i++)
    {
      const ReelStrokePoint *p = &self->points[i];
      const ReelStrokePoint *q = &self->points[i + 1];
      double w = line_width;

      if (use_pressure)
        w *= (pressure_factor (p->pressure) + pressure_factor (q->pressure)) / 2;
      if (use_tilt)
        w *= (tilt_factor (p) + tilt_factor (q)) / 2;

      cairo_new_path (cr);
      cairo_move_to (cr, p->x * width, p->y * height);
      cairo_line_to (cr, q->x * width, q->y * height);
      cairo_set_line_width (cr, MAX (w, 0.5));
      cairo_stroke (cr);
    }
}

static void
draw_arrow (const ReelStroke *self,
            cairo_t          *cr,
            double            width,
            double            height,
            double            line_width)
{
  const ReelStrokePoint *tip = &self->points[self->n_points - 1];
  double tip_x = tip->x * width;
  double tip_y = tip->y * height;
  double head = MAX (line_width * 4, height * 0.025);
  double back_x = tip_x;
  double back_y = tip_y;
  double angle;

  draw_pressure_line (self, cr, width, height, line_width, FALSE, FALSE);

  /* Aim the head along the last head-length of the line, not the last tiny
   * segment, which jitters at the end of a hand-drawn stroke. */
  for (guint i = self->n_points - 1; i-- > 0;)
    {
      back_x = self->points[i].x * width;
      back_y = self->points[i].y * height;
      if (hypot (tip_x - back_x, tip_y - back_y) >= head)
        break;
    }

  if (back_x == tip_x && back_y == tip_y)
    return;

  angle = atan2 (tip_y - back_y, tip_x - back_x);
  cairo_new_path (cr);
  cairo_move_to (cr, tip_x, tip_y);
  cairo_line_to (cr, tip_x - head * cos (angle - G_PI / 7), tip_y - head * sin (angle - G_PI / 7));
  cairo_line_to (cr, tip_x - head * cos (angle + G_PI / 7), tip_y - head * sin (angle + G_PI / 7));
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
draw_frame (const ReelStroke *self,
            cairo_t          *cr,
            double            width,
            double            height,
            double            line_width)
{
  const ReelStrokePoint *first = &self->points[0];
  const ReelStrokePoint *last = &self->points[self->n_points - 1];

  cairo_new_path (cr);
  cairo_rectangle (cr,
                   MIN (first->x, last->x) * width,
                   MIN (first->y, last->y) * height,
                   fabs (last->x - first->x) * width,
                   fabs (last->y - first->y) * height);
  cairo_set_line_width (cr, MAX (line_width, 0.5));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  cairo_stroke (cr);
}

/* Cairo's toy text takes one font for the whole label and does no fallback, so
 * pick one that has the glyphs: Hangul and CJK labels get Noto Sans CJK (which
 * has Latin too), everything else the default sans. */
static const char *
font_family_for_text (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c >= 0x1100 && c <= 0x11ff) || (c >= 0x2e80 && c <= 0x9fff)
          || (c >= 0xa960 && c <= 0xa97f) || (c >= 0xac00 && c <= 0xd7ff)
          || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f)
          || (c >= 0xff00 && c <= 0xffef) || (c >= 0x20000 && c <= 0x3ffff))
        return "Noto Sans CJK KR";
    }

  return "Sans";
}

static void
draw_text (const ReelStroke *self,
           cairo_t          *cr,
           double            width,
           double            height,
           double            font_size)
{
  g_auto(GStrv) lines = NULL;
  cairo_font_extents_t extents;
  double x = self->points[0].x * width;
  double y = self->points[0].y * height;

  if (self->text == NULL || self->text[0] == '\0' || font_size <= 0)
    return;

  cairo_select_font_face (cr, font_family_for_text (self->text), CAIRO_FONT_SLANT_NORMAL,
                          CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, font_size);
  cairo_font_extents (cr, &extents);

  lines = g_strsplit (self->text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      cairo_move_to (cr, x, y + extents.ascent + i * extents.height);
      cairo_show_text (cr, lines[i]);
    }
  cairo_new_path (cr);
}

void
reel_stroke_draw (const ReelStroke *self,
                  cairo_t          *cr,
                  double            width,
                  double            height)
{
  double line_width;
  double alpha;
  gboolean grouped;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);

  if (self->n_points == 0 || width <= 0 || height <= 0)
    return;

  line_width = self->width * height;
  alpha = CLAMP (self->color.alpha, 0.0, 1.0);

  cairo_save (cr);

  if (self->kind == TOOL_ERASER)
    {
      cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
      cairo_set_source_rgba (cr, 0, 0, 0, 1);
      draw_pressure_line (self, cr, width, height, line_width, TRUE, FALSE);
      cairo_restore (cr);
      return;
    }

  if (self->kind == TOOL_MARKER)
    alpha *= 0.6;

  /* A translucent stroke is drawn opaque into a group and then blended once, so
   * its overlapping segments do not pile up into dark beads. */
  grouped = alpha < 1.0 && self->kind != TOOL_TEXT;
  if (grouped)
    {
      double x1, y1, x2, y2;
      /* Room for the widest line, its caps and an arrow head. */
      double margin = MAX (line_width * 4, height * 0.025) + 2;

      /* A group is as big as the clip: keep it to the stroke, not the panel. */
      reel_stroke_get_bounds (self, &x1, &y1, &x2, &y2);
      cairo_rectangle (cr, x1 * width - margin, y1 * height - margin,
                       (x2 - x1) * width + 2 * margin, (y2 - y1) * height + 2 * margin);
      cairo_clip (cr);
      cairo_push_group (cr);
      set_source_color (cr, &self->color, 1.0);
    }
  else
    {
      set_source_color (cr, &self->color, alpha);
    }

  if (self->kind == TOOL_ARROW)
    draw_arrow (self, cr, width, height, line_width);
  else if (self->kind == TOOL_FRAME)
    draw_frame (self, cr, width, height, line_width);
  else if (self->kind == TOOL_TEXT)
    draw_text (self, cr, width, height, line_width);
  else if (self->kind == TOOL_MARKER)
    draw_pressure_line (self, cr, width, height, line_width, FALSE, FALSE);
  else if (self->kind == TOOL_PENCIL)
    draw_pressure_line (self, cr, width, height, line_width, TRUE, TRUE);
  else
    draw_pressure_line (self, cr, width, height, line_width, TRUE, FALSE);

  if (grouped)
    {
      cairo_pop_group_to_source (cr);
      cairo_paint_with_alpha (cr, alpha);
    }

  cairo_restore (cr);
}

/* ReelSketch */

typedef struct
{
  char *name;
  gboolean visible;
  double opacity;
  GPtrArray *strokes;
} Layer;

struct _ReelSketch
{
  GObject parent_instance;

  GPtrArray *layers;
};

G_DEFINE_FINAL_TYPE (ReelSketch, reel_sketch, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static Layer *
layer_new (const char *name)
{
  Layer *layer = g_new0 (Layer, 1);

  layer->name = g_strdup (name);
  layer->visible = TRUE;
  layer->opacity = 1.0;
  layer->strokes = g_ptr_array_new_with_free_func ((GDestroyNotify) reel_stroke_unref);

  return layer;
}

static void
layer_free (Layer *layer)
{
  g_free (layer->name);
  g_ptr_array_unref (layer->strokes);
  g_free (layer);
}

static void
emit_changed (ReelSketch *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static Layer *
find_layer (ReelSketch *self,
            const char *name)
{
  if (name == NULL)
    return NULL;

  for (guint i = 0; i < self->layers->len; i++)
    {
      Layer *layer = g_ptr_array_index (self->layers, i);

      if (g_str_equal (layer->name, name))
        return layer;
    }

  return NULL;
}

static void
reel_sketch_finalize (GObject *object)
{
  ReelSketch *self = REEL_SKETCH (object);

  g_clear_pointer (&self->layers, g_ptr_array_unref);

  G_OBJECT_CLASS (reel_sketch_parent_class)->finalize (object);
}

static void
reel_sketch_class_init (ReelSketchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = reel_sketch_finalize;

  /**
   * ReelSketch::changed:
   *
   * A stroke or a layer was added, removed or changed.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
reel_sketch_init (ReelSketch *self)
{
  self->layers = g_ptr_array_new_with_free_func ((GDestroyNotify) layer_free);
  g_ptr_array_add (self->layers, layer_new (REEL_LAYER_SKETCH));
  g_ptr_array_add (self->layers, layer_new (REEL_LAYER_NOTES));
}

ReelSketch *
reel_sketch_new (void)
{
  return g_object_new (REEL_TYPE_SKETCH, NULL);
}

ReelSketch *
reel_sketch_copy (ReelSketch *self)
{
  ReelSketch *copy;

  g_return_val_if_fail (REEL_IS_SKETCH (self), NULL);

  copy = reel_sketch_new ();
  g_ptr_array_set_size (copy->layers, 0);
  for (guint i = 0; i < self->layers->len; i++)
    {
      Layer *layer = g_ptr_array_index (self->layers, i);
      Layer *layer_copy = layer_new (layer->name);

      layer_copy->visible = layer->visible;
      layer_copy->opacity = layer->opacity;
      for (guint j = 0; j < layer->strokes->len; j++)
        g_ptr_array_add (layer_copy->strokes,
                         reel_stroke_ref (g_ptr_array_index (layer->strokes, j)));
      g_ptr_array_add (copy->layers, layer_copy);
    }

  return copy;
}

gboolean
reel_sketch_equal (ReelSketch *a,
                   ReelSketch *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a == b)
    return TRUE;

  if (a->layers->len != b->layers->len)
    return FALSE;

  for (guint i = 0; i < a->layers->len; i++)
    {
      Layer *la = g_ptr_array_index (a->layers, i);
      Layer *lb = g_ptr_array_index (b->layers, i);

      if (!g_str_equal (la->name, lb->name)
          || la->visible != lb->visible
          || la->opacity != lb->opacity
          || la->strokes->len != lb->strokes->len)
        return FALSE;

      for (guint j = 0; j < la->strokes->len; j++)
        if (!reel_stroke_equal (g_ptr_array_index (la->strokes, j),
                                g_ptr_array_index (lb->strokes, j)))
          return FALSE;
    }

  return TRUE;
}

guint
reel_sketch_get_n_layers (ReelSketch *self)
{
  g_return_val_if_fail (REEL_IS_SKETCH (self), 0);

  return self->layers->len;
}

const char *
reel_sketch_get_layer_name (ReelSketch *self,
                            guint       index)
{
  g_return_val_if_fail (REEL_IS_SKETCH (self), NULL);
  g_return_val_if_fail (index < self->layers->len, NULL);

  return ((Layer *) g_ptr_array_index (self->layers, index))->name;
}

int
reel_sketch_find_layer (ReelSketch *self,
                        const char *name)
{
  g_return_val_if_fail (REEL_IS_SKETCH (self), -1);

  if (name == NULL)
    return -1;

  for (guint i = 0; i < self->layers->len; i++)
    if (g_str_equal (((Layer *) g_ptr_array_index (self->layers, i))->name, name))
      return (int) i;

  return -1;
}

static Layer *
ensure_layer (ReelSketch *self,
              const char *name,
              gboolean   *created)
{
  Layer *layer = find_layer (self, name);

  if (created != NULL)
    *created = layer == NULL;

  if (layer == NULL)
    {
      layer = layer_new (name);
      g_ptr_array_add (self->layers, layer);
    }

  return layer;
}

guint
reel_sketch_add_layer (ReelSketch *self,
                       const char *name)
{
  gboolean created;

  g_return_val_if_fail (REEL_IS_SKETCH (self), 0);
  g_return_val_if_fail (name != NULL, 0);

  ensure_layer (self, name, &created);
  if (created)
    emit_changed (self);

  return (guint) reel_sketch_find_layer (self, name);
}

gboolean
reel_sketch_remove_layer (ReelSketch *self,
                          const char *name)
{
  int index;

  g_return_val_if_fail (REEL_IS_SKETCH (self), FALSE);

  index = reel_sketch_find_layer (self, name);
  if (index < 0)
    return FALSE;

  g_ptr_array_remove_index (self->layers, index);
  emit_changed (self);

  return TRUE;
}

gboolean
reel_sketch_get_layer_visible (ReelSketch *self,
                               const char *name)
{
  Layer *layer;

  g_return_val_if_fail (REEL_IS_SKETCH (self), FALSE);

  layer = find_layer (self, name);
  return layer != NULL && layer->visible;
}

void
reel_sketch_set_layer_visible (ReelSketch *self,
                               const char *name,
                               gboolean    visible)
{
  Layer *layer;

  g_return_if_fail (REEL_IS_SKETCH (self));
  g_return_if_fail (name != NULL);

  layer = ensure_layer (self, name, NULL);
  visible = !!visible;
  if (layer->visible == visible)
    return;

  layer->visible = visible;
  emit_changed (self);
}

double
reel_sketch_get_layer_opacity (ReelSketch *self,
                               const char *name)
{
  Layer *layer;

  g_return_val_if_fail (REEL_IS_SKETCH (self), 0);

  layer = find_layer (self, name);
  return layer != NULL ? layer->opacity : 1.0;
}

void
reel_sketch_set_layer_opacity (ReelSketch *self,
                               const char *name,
                               double      opacity)
{
  Layer *layer;

  g_return_if_fail (REEL_IS_SKETCH (self));
  g_return_if_fail (name != NULL);

  layer = ensure_layer (self, name, NULL);
  opacity = CLAMP (opacity, 0.0, 1.0);
  if (layer->opacity == opacity)
    return;

  layer->opacity = opacity;
  emit_changed (self);
}

guint
reel_sketch_get_n_strokes (ReelSketch *self)
{
  guint n = 0;

  g_return_val_if_fail (REEL_IS_SKETCH (self), 0);

  for (guint i = 0; i < self->layers->len; i++)
    n += ((Layer *) g_ptr_array_index (self->layers, i))->strokes->len;

  return n;
}

gboolean
reel_sketch_is_empty (ReelSketch *self)
{
  return reel_sketch_get_n_strokes (self) == 0;
}

guint
reel_sketch_get_layer_n_strokes (ReelSketch *self,
                                 const char *name)
{
  Layer *layer;

  g_return_val_if_fail (REEL_IS_SKETCH (self), 0);

  layer = find_layer (self, name);
  return layer != NULL ? layer->strokes->len : 0;
}

ReelStroke *
reel_sketch_get_stroke (ReelSketch *self,
                        const char *name,
                        guint       position)
{
  Layer *layer;

  g_return_val_if_fail (REEL_IS_SKETCH (self), NULL);

  layer = find_layer (self, name);
  if (layer == NULL || position >= layer->strokes->len)
    return NULL;

  return g_ptr_array_index (layer->strokes, position);
}

GPtrArray *
reel_sketch_list_strokes (ReelSketch *self,
                          const char *name)
{
  GPtrArray *strokes;
  Layer *layer;

  g_return_val_if_fail (REEL_IS_SKETCH (self), NULL);

  strokes = g_ptr_array_new_with_free_func ((GDestroyNotify) reel_stroke_unref);
  layer = find_layer (self, name);
  if (layer != NULL)
    for (guint i = 0; i < layer->strokes->len; i++)
      g_ptr_array_add (strokes, reel_stroke_ref (g_ptr_array_index (layer->strokes, i)));

  return strokes;
}

void
reel_sketch_foreach (ReelSketch            *self,
                     ReelSketchForeachFunc  func,
                     gpointer               user_data)
{
  g_return_if_fail (REEL_IS_SKETCH (self));
  g_return_if_fail (func != NULL);

  for (guint i = 0; i < self->layers->len; i++)
    {
      Layer *layer = g_ptr_array_index (self->layers, i);

      for (guint j = 0; j < layer->strokes->len; j++)
        func (layer->name, j, g_ptr_array_index (layer->strokes, j), user_data);
    }
}

void
reel_sketch_insert_stroke (ReelSketch *self,
                           const char *name,
                           int         position,
                           ReelStroke *stroke)
{
  Layer *layer;

  g_return_if_fail (REEL_IS_SKETCH (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (stroke != NULL);

  layer = ensure_layer (self, name, NULL);
  if (position < 0 || (guint) position > layer->strokes->len)
    position = layer->strokes->len;

  g_ptr_array_insert (layer->strokes, position, reel_stroke_ref (stroke));
  emit_changed (self);
}

void
reel_sketch_append_stroke (ReelSketch *self,
                           const char *name,
                           ReelStroke *stroke)
{
  reel_sketch_insert_stroke (self, name, -1, stroke);
}

ReelStroke *
reel_sketch_remove_stroke (ReelSketch *self,
                           const char *name,
                           guint       position)
{
  ReelStroke *stroke;
  Layer *layer;

  g_return_val_if_fail (REEL_IS_SKETCH (self), NULL);

  layer = find_layer (self, name);
  if (layer == NULL || position >= layer->strokes->len)
    return NULL;

  stroke = g_ptr_array_steal_index (layer->strokes, position);
  emit_changed (self);

  return stroke;
}

int
reel_sketch_find_stroke (ReelSketch *self,
                         const char *name,
                         ReelStroke *stroke)
{
  Layer *layer;
  guint index;

  g_return_val_if_fail (REEL_IS_SKETCH (self), -1);

  layer = find_layer (self, name);
  if (layer == NULL || !g_ptr_array_find (layer->strokes, stroke, &index))
    return -1;

  return (int) index;
}

void
reel_sketch_clear_layer (ReelSketch *self,
                         const char *name)
{
  Layer *layer;

  g_return_if_fail (REEL_IS_SKETCH (self));

  layer = find_layer (self, name);
  if (layer == NULL || layer->strokes->len == 0)
    return;

  g_ptr_array_set_size (layer->strokes, 0);
  emit_changed (self);
}

void
reel_sketch_clear (ReelSketch *self)
{
  gboolean changed = FALSE;

  g_return_if_fail (REEL_IS_SKETCH (self));

  for (guint i = 0; i < self->layers->len; i++)
    {
      Layer *layer = g_ptr_array_index (self->layers, i);

      changed |= layer->strokes->len > 0;
      g_ptr_array_set_size (layer->strokes, 0);
    }

  if (changed)
    emit_changed (self);
}

static gboolean
layer_has_eraser (Layer *layer)
{
  for (guint i = 0; i < layer->strokes->len; i++)
    if (((ReelStroke *) g_ptr_array_index (layer->strokes, i))->kind == TOOL_ERASER)
      return TRUE;

  return FALSE;
}

void
reel_sketch_render (ReelSketch *self,
                    cairo_t    *cr,
                    double      width,
                    double      height)
{
  g_return_if_fail (REEL_IS_SKETCH (self));
  g_return_if_fail (cr != NULL);

  if (width <= 0 || height <= 0)
    return;

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);

  for (guint i = 0; i < self->layers->len; i++)
    {
      Layer *layer = g_ptr_array_index (self->layers, i);

      if (!layer->visible || layer->opacity <= 0 || layer->strokes->len == 0)
        continue;

      /* A layer with an eraser or an opacity gets its own group, so the eraser
       * clears that layer only; the others draw straight through (a group of a
       * print-size panel costs more than its strokes). */
      if (layer->opacity < 1.0 || layer_has_eraser (layer))
        {
          cairo_push_group (cr);
          for (guint j = 0; j < layer->strokes->len; j++)
            reel_stroke_draw (g_ptr_array_index (layer->strokes, j), cr, width, height);
          cairo_pop_group_to_source (cr);
          cairo_paint_with_alpha (cr, layer->opacity);
        }
      else
        {
          for (guint j = 0; j < layer->strokes->len; j++)
            reel_stroke_draw (g_ptr_array_index (layer->strokes, j), cr, width, height);
        }
    }

  cairo_restore (cr);
}
