/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <cairo.h>

G_BEGIN_DECLS

/* Tool ids of a stroke. */
#define REEL_TOOL_PEN    "pen"
#define REEL_TOOL_PENCIL "pencil"
#define REEL_TOOL_MARKER "marker"
#define REEL_TOOL_ERASER "eraser"
#define REEL_TOOL_ARROW  "arrow"
#define REEL_TOOL_FRAME  "frame"
#define REEL_TOOL_TEXT   "text"

/* Layers every sketch has, bottom to top. */
#define REEL_LAYER_SKETCH "sketch"
#define REEL_LAYER_NOTES  "notes"

/**
 * ReelColor:
 * RGBA, each 0..1, not premultiplied.
 */
typedef struct
{
  double red;
  double green;
  double blue;
  double alpha;
} ReelColor;

/**
 * ReelStrokePoint:
 * @x: 0..1 across the panel width (left to right)
 * @y: 0..1 down the panel height (top to bottom)
 * @pressure: 0..1 (1 for a mouse)
 * @tilt_x: pen tilt −1..1 as GDK_AXIS_XTILT reports it (0 when unknown)
 * @tilt_y: pen tilt −1..1 as GDK_AXIS_YTILT reports it (0 when unknown)
 *
 * Five packed floats (20 bytes, no padding) so that storage can keep a stroke's
 * points as one blob.
 */
typedef struct
{
  float x;
  float y;
  float pressure;
  float tilt_x;
  float tilt_y;
} ReelStrokePoint;

/**
 * ReelStroke:
 *
 * One pen stroke, immutable and reference counted. The width is relative to
 * the panel height (0.01 = 1 % of the height) so panels look the same at any
 * size; for text strokes it is the font size, and the text is placed with its
 * top-left corner at the first point. Frames are rectangles from the first to
 * the last point; arrows get a head at the last point.
 */
typedef struct _ReelStroke ReelStroke;

#define REEL_TYPE_STROKE (reel_stroke_get_type ())

GType                  reel_stroke_get_type      (void) G_GNUC_CONST;
/* Copies @points. @tool is one of REEL_TOOL_* (other ids draw like a pen).
 * @text is for REEL_TOOL_TEXT, else NULL. */
ReelStroke            *reel_stroke_new           (const char            *tool,
                                                  const ReelColor       *color,
                                                  double                 width,
                                                  const ReelStrokePoint *points,
                                                  guint                  n_points,
                                                  const char            *text);
ReelStroke            *reel_stroke_ref           (ReelStroke            *self);
void                   reel_stroke_unref         (ReelStroke            *self);
const char            *reel_stroke_get_tool      (const ReelStroke      *self);
const ReelColor       *reel_stroke_get_color     (const ReelStroke      *self);
double                 reel_stroke_get_width     (const ReelStroke      *self);
const ReelStrokePoint *reel_stroke_get_points    (const ReelStroke      *self,
                                                  guint                 *n_points);
guint                  reel_stroke_get_n_points  (const ReelStroke      *self);
/* Nullable. */
const char            *reel_stroke_get_text      (const ReelStroke      *self);
/* Normalised bounding box of the points (for text strokes only the anchor). */
void                   reel_stroke_get_bounds    (const ReelStroke      *self,
                                                  double                *x1,
                                                  double                *y1,
                                                  double                *x2,
                                                  double                *y2);
gboolean               reel_stroke_equal         (const ReelStroke      *a,
                                                  const ReelStroke      *b);
/* Draws the stroke alone on @cr for a panel of @width × @height (the operator is
 * set to CLEAR for erasers, so draw onto a layer group). */
void                   reel_stroke_draw          (const ReelStroke      *self,
                                                  cairo_t               *cr,
                                                  double                 width,
                                                  double                 height);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelStroke, reel_stroke_unref)

#define REEL_TYPE_SKETCH (reel_sketch_get_type ())

G_DECLARE_FINAL_TYPE (ReelSketch, reel_sketch, REEL, SKETCH, GObject)

/*
 * ReelSketch: ordered layers (bottom to top), each with a unique name, a
 * visible flag, an opacity and an ordered list of strokes. A new sketch has the
 * layers "sketch" and "notes". Every change emits ::changed (no arguments); the
 * owning shot listens to it. These are plain mutators: undoable edits go
 * through reel-edit.h.
 */

ReelSketch  *reel_sketch_new                  (void);
/* Another sketch with the same layers sharing the same (immutable) strokes: cheap,
 * and the way to hand a sketch to a worker thread. */
ReelSketch  *reel_sketch_copy                 (ReelSketch        *self);
gboolean     reel_sketch_equal                (ReelSketch        *a,
                                               ReelSketch        *b);

guint        reel_sketch_get_n_layers         (ReelSketch        *self);
const char  *reel_sketch_get_layer_name       (ReelSketch        *self,
                                               guint              index);
/* Index of the layer called @name, or -1. */
int          reel_sketch_find_layer           (ReelSketch        *self,
                                               const char        *name);
/* Appends (on top) a layer called @name unless it exists; returns its index. */
guint        reel_sketch_add_layer            (ReelSketch        *self,
                                               const char        *name);
/* Removes the layer and its strokes; FALSE when there is no such layer. */
gboolean     reel_sketch_remove_layer         (ReelSketch        *self,
                                               const char        *name);
gboolean     reel_sketch_get_layer_visible    (ReelSketch        *self,
                                               const char        *name);
void         reel_sketch_set_layer_visible    (ReelSketch        *self,
                                               const char        *name,
                                               gboolean           visible);
double       reel_sketch_get_layer_opacity    (ReelSketch        *self,
                                               const char        *name);
void         reel_sketch_set_layer_opacity    (ReelSketch        *self,
                                               const char        *name,
                                               double             opacity);

/* Strokes of every layer. */
guint        reel_sketch_get_n_strokes        (ReelSketch        *self);
gboolean     reel_sketch_is_empty             (ReelSketch        *self);
guint        reel_sketch_get_layer_n_strokes  (ReelSketch        *self,
                                               const char        *layer);
/* Transfer none. */
ReelStroke  *reel_sketch_get_stroke           (ReelSketch        *self,
                                               const char        *layer,
                                               guint              position);
/* Strokes of @layer, bottom to top (transfer full): a new array holding its own
 * references, freed with g_ptr_array_unref(). Empty for an unknown layer. */
GPtrArray   *reel_sketch_list_strokes         (ReelSketch        *self,
                                               const char        *layer);
typedef void (*ReelSketchForeachFunc) (const char *layer,
                                       guint       position,
                                       ReelStroke *stroke,
                                       gpointer    user_data);
/* Every stroke of every layer, bottom layer first. */
void         reel_sketch_foreach              (ReelSketch           *self,
                                               ReelSketchForeachFunc func,
                                               gpointer              user_data);
/* Adds the layer if it does not exist. @position -1 appends (on top). */
void         reel_sketch_insert_stroke        (ReelSketch        *self,
                                               const char        *layer,
                                               int                position,
                                               ReelStroke        *stroke);
void         reel_sketch_append_stroke        (ReelSketch        *self,
                                               const char        *layer,
                                               ReelStroke        *stroke);
/* Returns the removed stroke (transfer full), NULL when out of range. */
ReelStroke  *reel_sketch_remove_stroke        (ReelSketch        *self,
                                               const char        *layer,
                                               guint              position);
/* Position of @stroke (pointer identity) in @layer, or -1. */
int          reel_sketch_find_stroke          (ReelSketch        *self,
                                               const char        *layer,
                                               ReelStroke        *stroke);
void         reel_sketch_clear_layer          (ReelSketch        *self,
                                               const char        *layer);
/* Removes every stroke of every layer, keeping the layers. */
void         reel_sketch_clear                (ReelSketch        *self);

/* Draws every visible layer, bottom to top, each in its own group (so erasers
 * only erase their layer) with its opacity, into the rectangle
 * (0, 0, @width, @height) of @cr. Does not paint a background. */
void         reel_sketch_render               (ReelSketch        *self,
                                               cairo_t           *cr,
                                               double             width,
                                               double             height);

G_END_DECLS
