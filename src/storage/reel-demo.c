/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-demo"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "core/reel-set-edit.h"
#include "reel-demo.h"

/*
 * The sketches are drawn the way a storyboard artist draws quick thumbnails: a
 * light pencil layout, confident ink lines with a little wobble and pressure
 * taper, marker tone for shadow and water, and camera notes (arrows, frames,
 * labels) in red and blue on the "notes" layer. Coordinates are fractions of the
 * panel (x across, y down); the demo is 2.39:1, so x distances are divided by the
 * aspect to keep circles round.
 */

#define ASPECT 2.39
#define GST_SECOND_NS G_GINT64_CONSTANT (1000000000)

typedef struct
{
  ReelSketch *sketch;
  GRand *rand;
} Pen;

typedef enum {
  INK,
  PENCIL,
  TONE,
  WATER,
  RED,
  BLUE,
} Style;

static void
style_stroke (Style       style,
              const char **tool,
              ReelColor   *color,
              double      *width,
              const char **layer)
{
  static const ReelColor ink = { 0.13, 0.13, 0.16, 1.0 };
  static const ReelColor pencil = { 0.45, 0.46, 0.50, 0.55 };
  static const ReelColor tone = { 0.30, 0.32, 0.38, 0.35 };
  static const ReelColor water = { 0.25, 0.40, 0.55, 0.30 };
  static const ReelColor red = { 0.82, 0.18, 0.14, 1.0 };
  static const ReelColor blue = { 0.16, 0.36, 0.75, 1.0 };

  *layer = REEL_LAYER_SKETCH;
  switch (style)
    {
    case PENCIL:
      *tool = REEL_TOOL_PENCIL, *color = pencil, *width = 0.004;
      break;
    case TONE:
      *tool = REEL_TOOL_MARKER, *color = tone, *width = 0.028;
      break;
    case WATER:
      *tool = REEL_TOOL_MARKER, *color = water, *width = 0.012;
      break;
    case RED:
      *tool = REEL_TOOL_PEN, *color = red, *width = 0.006, *layer = REEL_LAYER_NOTES;
      break;
    case BLUE:
      *tool = REEL_TOOL_PEN, *color = blue, *width = 0.005, *layer = REEL_LAYER_NOTES;
      break;
    case INK:
    default:
      *tool = REEL_TOOL_PEN, *color = ink, *width = 0.009;
      break;
    }
}

/* Adds the points as a stroke; a hand's pressure swells in the middle and lifts
 * at the ends, and the line wobbles by a hair. */
static void
add_points (Pen          *pen,
            Style         style,
            const double *xy,
            guint         n_points)
{
  g_autofree ReelStrokePoint *points = g_new0 (ReelStrokePoint, n_points);
  g_autoptr(ReelStroke) stroke = NULL;
  const char *tool;
  const char *layer;
  ReelColor color;
  double width;

  style_stroke (style, &tool, &color, &width, &layer);

  for (guint i = 0; i < n_points; i++)
    {
      double t = n_points > 1 ? (double) i / (n_points - 1) : 0.5;
      double wobble = style == PENCIL ? 0.0015 : 0.0008;

      points[i].x = xy[2 * i] + g_rand_double_range (pen->rand, -wobble, wobble) / ASPECT;
      points[i].y = xy[2 * i + 1] + g_rand_double_range (pen->rand, -wobble, wobble);
      points[i].pressure = 0.45 + 0.55 * sin (G_PI * (0.15 + 0.7 * t));
      points[i].tilt_x = style == PENCIL ? 0.35 : 0.0;
      points[i].tilt_y = style == PENCIL ? -0.2 : 0.0;
    }

  stroke = reel_stroke_new (tool, &color, width, points, n_points, NULL);
  reel_sketch_append_stroke (pen->sketch, layer, stroke);
}

/* A straight line drawn by hand: several points, so pressure and wobble show. */
static void
line (Pen    *pen,
      Style   style,
      double  x1,
      double  y1,
      double  x2,
      double  y2)
{
  double xy[2 * 8];

  for (guint i = 0; i < 8; i++)
    {
      double t = i / 7.0;

      xy[2 * i] = x1 + (x2 - x1) * t;
      xy[2 * i + 1] = y1 + (y2 - y1) * t;
    }
  add_points (pen, style, xy, 8);
}

/* An arc of an ellipse; @ry in panel heights, the x radius is made round. */
static void
arc (Pen    *pen,
     Style   style,
     double  cx,
     double  cy,
     double  ry,
     double  squash,
     double  from_degrees,
     double  to_degrees)
{
  guint n = 24;
  g_autofree double *xy = g_new (double, 2 * n);

  for (guint i = 0; i < n; i++)
    {
      double a = (from_degrees + (to_degrees - from_degrees) * i / (n - 1)) * G_PI / 180;

      xy[2 * i] = cx + ry * squash * cos (a) / ASPECT;
      xy[2 * i + 1] = cy + ry * sin (a);
    }
  add_points (pen, style, xy, n);
}

static void
circle (Pen    *pen,
        Style   style,
        double  cx,
        double  cy,
        double  r)
{
  arc (pen, style, cx, cy, r, 1.0, -100, 265);
}

/* Rows of short marker dashes: water, mist, ground tone. */
static void
hatch (Pen    *pen,
       Style   style,
       double  x1,
       double  y1,
       double  x2,
       double  y2,
       guint   rows)
{
  for (guint r = 0; r < rows; r++)
    {
      double y = y1 + (y2 - y1) * (rows > 1 ? (double) r / (rows - 1) : 0);
      double x = x1 + g_rand_double_range (pen->rand, 0, (x2 - x1) * 0.15);

      while (x < x2)
        {
          double length = g_rand_double_range (pen->rand, 0.04, 0.12) * (x2 - x1);
          double end = MIN (x + length, x2);

          line (pen, style, x, y, end, y + g_rand_double_range (pen->rand, -0.003, 0.003));
          x = end + g_rand_double_range (pen->rand, 0.02, 0.08) * (x2 - x1);
        }
    }
}

/* A standing figure: head, body, arms and legs, @h tall (panel heights) with the
 * feet at (@x, @feet). @stride opens the legs for a walk. */
static void
figure (Pen    *pen,
        double  x,
        double  feet,
        double  h,
        double  stride)
{
  double head = h * 0.11;
  double neck = feet - h + 2 * head;
  double hip = feet - h * 0.47;
  double shoulder = neck + h * 0.05;
  double sx = h * 0.13 / ASPECT;

  circle (pen, INK, x, feet - h + head, head);
  line (pen, INK, x, neck, x, hip);
  line (pen, INK, x - sx, shoulder, x + sx, shoulder);
  line (pen, INK, x - sx, shoulder, x - sx * 1.2, hip + h * 0.05);
  line (pen, INK, x + sx, shoulder, x + sx * 1.3, hip + h * 0.04);
  line (pen, INK, x, hip, x - (0.06 + stride) * h / ASPECT, feet);
  line (pen, INK, x, hip, x + (0.06 + stride) * h / ASPECT, feet);
  /* A coat: a marker tone over the torso. */
  line (pen, TONE, x, neck + h * 0.06, x, hip + h * 0.08);
}

/* A fishing boat seen side on: hull, wheelhouse and mast. */
static void
boat (Pen    *pen,
      double  x,
      double  water,
      double  length)
{
  double half = length / 2;
  double depth = length * ASPECT * 0.12;
  double hull[] = {
    x - half, water - depth * 0.9,
    x - half * 0.8, water,
    x + half * 0.7, water,
    x + half, water - depth * 1.1,
  };

  add_points (pen, INK, hull, 4);
  line (pen, INK, x - half, water - depth * 0.9, x + half, water - depth * 1.1);
  line (pen, INK, x - half * 0.3, water - depth, x - half * 0.3, water - depth * 2.2);
  line (pen, INK, x - half * 0.3, water - depth * 2.2, x + half * 0.1, water - depth * 2.2);
  line (pen, INK, x + half * 0.1, water - depth * 2.2, x + half * 0.1, water - depth);
  line (pen, INK, x + half * 0.4, water - depth, x + half * 0.4, water - depth * 4.5);
  line (pen, PENCIL, x + half * 0.4, water - depth * 4.5, x + half * 0.95, water - depth * 1.2);
}

static void
gull (Pen    *pen,
      double  x,
      double  y,
      double  span)
{
  double xy[] = {
    x - span / ASPECT, y,
    x - span * 0.5 / ASPECT, y - span * 0.45,
    x, y,
    x + span * 0.5 / ASPECT, y - span * 0.45,
    x + span / ASPECT, y,
  };

  add_points (pen, INK, xy, 5);
}

static void
arrow (Pen    *pen,
       double  x1,
       double  y1,
       double  x2,
       double  y2,
       double  bend)
{
  const char *tool;
  const char *layer;
  ReelColor color;
  double width;
  ReelStrokePoint points[12] = { { 0, }, };
  g_autoptr(ReelStroke) stroke = NULL;

  style_stroke (RED, &tool, &color, &width, &layer);
  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      double t = i / 11.0;
      double nx = -(y2 - y1), ny = x2 - x1;

      points[i].x = x1 + (x2 - x1) * t + nx * bend * sin (G_PI * t);
      points[i].y = y1 + (y2 - y1) * t + ny * bend * sin (G_PI * t);
      points[i].pressure = 1.0;
    }
  stroke = reel_stroke_new (REEL_TOOL_ARROW, &color, width, points, G_N_ELEMENTS (points), NULL);
  reel_sketch_append_stroke (pen->sketch, layer, stroke);
}

static void
frame (Pen    *pen,
       double  x1,
       double  y1,
       double  x2,
       double  y2)
{
  const char *tool;
  const char *layer;
  ReelColor color;
  double width;
  ReelStrokePoint points[2] = {
    { x1, y1, 1, 0, 0 },
    { x2, y2, 1, 0, 0 },
  };
  g_autoptr(ReelStroke) stroke = NULL;

  style_stroke (BLUE, &tool, &color, &width, &layer);
  stroke = reel_stroke_new (REEL_TOOL_FRAME, &color, width, points, 2, NULL);
  reel_sketch_append_stroke (pen->sketch, layer, stroke);
}

static void
label (Pen        *pen,
       Style       style,
       double      x,
       double      y,
       const char *text)
{
  const char *tool;
  const char *layer;
  ReelColor color;
  double width;
  ReelStrokePoint point = { x, y, 1, 0, 0 };
  g_autoptr(ReelStroke) stroke = NULL;

  style_stroke (style, &tool, &color, &width, &layer);
  stroke = reel_stroke_new (REEL_TOOL_TEXT, &color, 0.055, &point, 1, text);
  reel_sketch_append_stroke (pen->sketch, layer, stroke);
}

/* 1A: the harbour at dawn, wide and high. */
static void
draw_establishing (Pen *pen)
{
  line (pen, PENCIL, 0.0, 0.42, 1.0, 0.42);
  arc (pen, INK, 0.62, 0.42, 0.09, 1.0, 180, 360);
  for (guint i = 0; i < 5; i++)
    line (pen, PENCIL, 0.62 + (i - 2) * 0.035, 0.30, 0.62 + (i - 2) * 0.06, 0.22);
  /* The breakwater runs in from the left and bends. */
  line (pen, INK, 0.0, 0.70, 0.30, 0.58);
  line (pen, INK, 0.30, 0.58, 0.55, 0.56);
  line (pen, INK, 0.0, 0.76, 0.32, 0.63);
  hatch (pen, TONE, 0.02, 0.72, 0.28, 0.62, 3);
  boat (pen, 0.24, 0.80, 0.10);
  boat (pen, 0.44, 0.74, 0.07);
  boat (pen, 0.80, 0.62, 0.05);
  hatch (pen, WATER, 0.05, 0.48, 0.95, 0.95, 6);
  gull (pen, 0.70, 0.16, 0.03);
  gull (pen, 0.76, 0.12, 0.02);
  gull (pen, 0.40, 0.20, 0.025);
  label (pen, BLUE, 0.03, 0.05, "DAWN");
}

/* 1B: Maya walks the pier, the camera pans with her. */
static void
draw_pier_walk (Pen *pen)
{
  line (pen, PENCIL, 0.0, 0.38, 1.0, 0.38);
  /* The pier's edges and planks converge on the horizon. */
  line (pen, INK, 0.05, 1.0, 0.46, 0.40);
  line (pen, INK, 0.95, 1.0, 0.56, 0.40);
  for (guint i = 0; i < 6; i++)
    {
      double y = 0.45 + i * i * 0.018;
      double spread = (y - 0.40) / 0.60;

      line (pen, PENCIL, 0.51 - 0.46 * spread, y, 0.51 + 0.44 * spread, y);
    }
  hatch (pen, WATER, 0.0, 0.45, 0.12, 0.95, 4);
  hatch (pen, WATER, 0.88, 0.45, 1.0, 0.95, 4);
  figure (pen, 0.42, 0.86, 0.55, 0.05);
  /* The coil of rope over her shoulder. */
  arc (pen, INK, 0.455, 0.53, 0.06, 0.7, 0, 360);
  arc (pen, INK, 0.455, 0.53, 0.045, 0.7, 0, 360);
  arrow (pen, 0.50, 0.62, 0.70, 0.60, 0.0);
  arrow (pen, 0.35, 0.12, 0.65, 0.12, 0.0);
  label (pen, RED, 0.36, 0.15, "PAN");
  label (pen, BLUE, 0.30, 0.26, "MAYA");
}

/* 1C: she stops at the end of the pier; dolly in from wide to medium. */
static void
draw_pier_end (Pen *pen)
{
  line (pen, PENCIL, 0.0, 0.36, 1.0, 0.36);
  hatch (pen, WATER, 0.05, 0.42, 0.95, 0.70, 5);
  line (pen, INK, 0.10, 1.0, 0.30, 0.72);
  line (pen, INK, 0.30, 0.72, 0.72, 0.72);
  line (pen, INK, 0.72, 0.72, 0.90, 1.0);
  /* Seen from behind: hooded head, coat falling to the knees. */
  circle (pen, INK, 0.50, 0.30, 0.07);
  line (pen, INK, 0.46, 0.36, 0.42, 0.74);
  line (pen, INK, 0.54, 0.36, 0.58, 0.74);
  line (pen, INK, 0.42, 0.74, 0.58, 0.74);
  hatch (pen, TONE, 0.44, 0.40, 0.56, 0.70, 4);
  frame (pen, 0.08, 0.06, 0.92, 0.94);
  frame (pen, 0.34, 0.16, 0.66, 0.62);
  arrow (pen, 0.14, 0.12, 0.33, 0.20, 0.0);
  arrow (pen, 0.86, 0.12, 0.67, 0.20, 0.0);
  label (pen, RED, 0.70, 0.80, "DOLLY IN");
}

/* 1D: her point of view: the Kittiwake drifts in the mist, nobody at the wheel. */
static void
draw_drifting_boat (Pen *pen)
{
  line (pen, PENCIL, 0.0, 0.48, 1.0, 0.48);
  hatch (pen, TONE, 0.0, 0.28, 1.0, 0.46, 5);
  boat (pen, 0.55, 0.60, 0.18);
  hatch (pen, WATER, 0.05, 0.62, 0.95, 0.95, 6);
  /* The empty wheelhouse window. */
  line (pen, RED, 0.52, 0.44, 0.58, 0.50);
  line (pen, RED, 0.58, 0.44, 0.52, 0.50);
  label (pen, BLUE, 0.03, 0.05, "POV");
  label (pen, RED, 0.64, 0.28, "EMPTY");
  arrow (pen, 0.30, 0.66, 0.42, 0.64, 0.05);
}

/* 1E: close on Maya as she understands; rack focus from the boat to her. */
static void
draw_close_up (Pen *pen)
{
  arc (pen, INK, 0.50, 0.52, 0.34, 0.78, 190, 350);
  arc (pen, INK, 0.50, 0.55, 0.30, 0.80, 0, 360);
  line (pen, INK, 0.43, 0.50, 0.47, 0.50);
  line (pen, INK, 0.53, 0.50, 0.57, 0.50);
  line (pen, INK, 0.50, 0.52, 0.49, 0.62);
  line (pen, INK, 0.46, 0.71, 0.54, 0.71);
  hatch (pen, TONE, 0.36, 0.30, 0.42, 0.85, 5);
  hatch (pen, TONE, 0.58, 0.30, 0.64, 0.85, 5);
  boat (pen, 0.85, 0.45, 0.06);
  label (pen, RED, 0.72, 0.78, "RACK FOCUS");
  arrow (pen, 0.84, 0.55, 0.62, 0.60, -0.1);
}

/* 1F: over her shoulder, low, Tom on the harbour wall. */
static void
draw_over_shoulder (Pen *pen)
{
  line (pen, INK, 0.0, 0.60, 1.0, 0.50);
  line (pen, INK, 0.0, 0.66, 1.0, 0.56);
  hatch (pen, TONE, 0.0, 0.62, 1.0, 0.54, 2);
  figure (pen, 0.68, 0.52, 0.42, 0.0);
  label (pen, BLUE, 0.72, 0.12, "TOM");
  /* Maya's shoulder and hood fill the left of the frame. */
  arc (pen, INK, 0.18, 0.30, 0.30, 0.9, 270, 420);
  line (pen, INK, 0.0, 0.78, 0.30, 0.62);
  hatch (pen, TONE, 0.0, 0.30, 0.20, 1.0, 7);
  label (pen, BLUE, 0.03, 0.05, "OTS / LOW");
}

/* 1G: the two of them, face to face. */
static void
draw_two_shot (Pen *pen)
{
  line (pen, PENCIL, 0.0, 0.40, 1.0, 0.40);
  line (pen, INK, 0.0, 0.88, 1.0, 0.88);
  hatch (pen, WATER, 0.02, 0.44, 0.98, 0.84, 4);
  figure (pen, 0.36, 0.92, 0.72, 0.0);
  figure (pen, 0.64, 0.92, 0.78, 0.0);
  label (pen, BLUE, 0.22, 0.08, "MAYA");
  label (pen, BLUE, 0.66, 0.08, "TOM");
  line (pen, RED, 0.42, 0.30, 0.58, 0.30);
}

/* 1H: crane up and away: two small figures, the drifting boat, the town waking. */
static void
draw_crane_up (Pen *pen)
{
  line (pen, INK, 0.10, 1.0, 0.48, 0.30);
  line (pen, INK, 0.22, 1.0, 0.56, 0.30);
  figure (pen, 0.42, 0.50, 0.08, 0.0);
  figure (pen, 0.46, 0.48, 0.09, 0.0);
  boat (pen, 0.78, 0.40, 0.05);
  hatch (pen, WATER, 0.55, 0.30, 0.98, 0.90, 6);
  /* Roofs of the town along the top. */
  for (guint i = 0; i < 6; i++)
    {
      double x = 0.05 + i * 0.07;
      double roof[] = { x, 0.14, x + 0.03, 0.08, x + 0.06, 0.14 };

      add_points (pen, INK, roof, 3);
      line (pen, INK, x, 0.14, x, 0.22);
    }
  arrow (pen, 0.90, 0.90, 0.90, 0.15, 0.0);
  label (pen, RED, 0.74, 0.05, "CRANE UP");
}

typedef struct
{
  const char *size;
  const char *framing;
  const char *angle;
  const char *movement;
  double lens;
  double height;
  double seconds;
  const char *cast;
  const char *description;
  const char *dialogue;
  const char *notes;
  const char *status;
  void (*draw) (Pen *pen);
} DemoShot;

typedef struct
{
  const char *subject;       /* the mark framed, or NULL (a point of view) */
  double x, z, height;
  double lens;
  double tilt_offset;        /* added after aiming at the subject's eyes */
  gboolean moves;
  double end_x, end_z, end_height, end_pan_offset;
  gboolean aim_between;      /* at the middle of the two marks: a two-shot */
} DemoCamera;

/* The harbour as a set — the quay, the pier, the boats, Maya's and Tom's marks — and a
 * camera for every shot of the scene, placed so that the shot's size and angle are what
 * the camera shows: they are derived from it, as for any shot with a camera. */
static void
add_harbour_set (ReelProject *project,
                 ReelScene   *scene)
{
  static const DemoCamera cameras[] = {
    { "MAYA", 9, 0, 7.0, 18, 0, FALSE },                        /* 1A: the harbour at dawn */
    { "MAYA", 4, -16, 1.6, 35, 0, TRUE, 4, -16, 1.6, 25 },      /* 1B: pan with her */
    { "MAYA", 2.5, -33, 1.5, 50, 0, TRUE, 1.8, -32.3, 1.5, 0 }, /* 1C: dolly in */
    { NULL, 0.15, -30.35, 1.55, 85, 0, FALSE },                 /* 1D: her point of view */
    { "MAYA", 0.3, -32.4, 1.5, 85, 0, FALSE },                  /* 1E: close on her */
    { "TOM", 0.35, -30.7, 1.45, 50, -2, FALSE },                /* 1F: over her shoulder */
    { "MAYA", 6.3, -30.3, 1.6, 50, 0, FALSE, 0, 0, 0, 0, TRUE }, /* 1G: the two of them */
    { "MAYA", 18, -6, 15, 22, 0, TRUE, 15, -10, 27, 0 },        /* 1H: crane up and away */
  };
  g_autoptr(ReelSet) set = reel_set_new_from_template ("waterfront");
  guint index;

  g_array_set_size (set->marks, 0);
  reel_set_add_mark (set, "MAYA", 0, -30, 0, 1.55);
  reel_set_add_mark (set, "TOM", 0.6, -27.6, -14, 1.7);
  reel_set_set_line_of_action (set, "MAYA", "TOM");
  for (guint i = 0; i < set->props->len; i++)
    {
      ReelSetProp *prop = &g_array_index (set->props, ReelSetProp, i);

      if (g_str_equal (prop->kind, "pier"))
        prop->elevation = -1.2;   /* its deck level with the quay */
    }
  index = reel_set_add_prop (set, "boat", 6, -58, 30);
  g_free (g_array_index (set->props, ReelSetProp, index).name);
  g_array_index (set->props, ReelSetProp, index).name = g_strdup ("Kittiwake");
  g_array_index (set->props, ReelSetProp, index).elevation = -1.3;
  reel_scene_set_set (scene, set);

  for (guint i = 0; i < MIN (G_N_ELEMENTS (cameras), reel_scene_get_n_shots (scene)); i++)
    {
      const DemoCamera *demo = &cameras[i];
      ReelShot *shot = reel_scene_get_shot (scene, i);
      ReelCameraPose pose = { demo->x, demo->z, demo->height, 0, 0, 0, demo->lens };
      g_autoptr(ReelShotCamera) camera = NULL;
      ReelCameraDerived derived;

      if (demo->aim_between)
        {
          const ReelSetMark *a = &g_array_index (reel_scene_get_set (scene)->marks, ReelSetMark, 0);
          const ReelSetMark *b = &g_array_index (reel_scene_get_set (scene)->marks, ReelSetMark, 1);

          reel_camera_pose_look_at (&pose, (a->x + b->x) / 2, (a->eye_height + b->eye_height) / 2,
                                    (a->z + b->z) / 2);
        }
      else if (demo->subject != NULL)
        {
          const ReelSetMark *mark = reel_set_find_mark (reel_scene_get_set (scene), demo->subject);

          reel_camera_pose_look_at (&pose, mark->x, mark->eye_height, mark->z);
        }
      else
        {
          /* Maya's point of view: the Kittiwake drifting out of the mist. */
          reel_camera_pose_look_at (&pose, 6, 0.5, -58);
        }
      pose.tilt += demo->tilt_offset;
      camera = reel_shot_camera_new (&pose);
      reel_shot_camera_set_subject (camera, demo->subject);
      if (demo->moves)
        {
          camera->moves = TRUE;
          camera->easing = REEL_CAMERA_EASING_EASE_IN_OUT;
          camera->end.x = demo->end_x;
          camera->end.z = demo->end_z;
          camera->end.height = demo->end_height;
          if (demo->subject != NULL)
            {
              const ReelSetMark *mark = reel_set_find_mark (reel_scene_get_set (scene),
                                                            demo->subject);

              reel_camera_pose_look_at (&camera->end, mark->x, mark->eye_height, mark->z);
            }
          camera->end.pan += demo->end_pan_offset;
        }
      reel_shot_set_camera (shot, camera);

      reel_shot_derive_camera (shot, project, &derived);
      if (derived.size_id != NULL)
        reel_shot_set_size (shot, derived.size_id);
      reel_shot_set_angle (shot, derived.angle_id);
      reel_shot_set_lens_mm (shot, derived.lens_mm);
      reel_shot_set_camera_height_m (shot, derived.height_m);
      if (demo->moves)
        reel_shot_set_movement (shot, derived.movement_id);
    }
}

ReelProject *
reel_demo_project_new (void)
{
  const DemoShot shots[] = {
    { "ews", "establishing", "high", "static", 22, 6.0, 5, "",
      N_("Dawn over the harbour. Fishing boats rock at their moorings; gulls wheel above "
         "the breakwater."),
      "", N_("Hold long enough to hear the rigging."), "approved", draw_establishing },
    { "ws", "single", "eye_level", "pan", 35, 1.6, 4, "MAYA",
      N_("MAYA (30s, oilskin coat) walks the length of the pier, a coil of rope on her "
         "shoulder."),
      "", "", "approved", draw_pier_walk },
    { "ms", "single", "eye_level", "dolly_in", 50, 1.5, 4, "MAYA",
      N_("She stops at the end of the pier and scans the water."),
      N_("MAYA: He said first light."), "", "in_progress", draw_pier_end },
    { "ws", "pov", "high", "handheld", 85, 1.6, 3, "",
      N_("Her point of view: the Kittiwake drifts out of the mist. Nobody at the wheel."),
      "", N_("Mist: practical smoke or add in post."), "in_progress", draw_drifting_boat },
    { "cu", "single", "eye_level", "rack_focus", 85, 1.5, 3, "MAYA",
      N_("Close on Maya as she understands what she is looking at."),
      "", "", "todo", draw_close_up },
    { "mcu", "ots", "low", "static", 35, 0.9, 4, "MAYA, TOM",
      N_("Over her shoulder: TOM (60s) stands on the harbour wall behind her."),
      N_("TOM: It came in on the tide. Empty."), "", "todo", draw_over_shoulder },
    { "mws", "two_shot", "eye_level", "static", 50, 1.6, 4, "MAYA, TOM",
      N_("The two of them, face to face on the wet stones."),
      N_("MAYA: Then where is he?"), "", "todo", draw_two_shot },
    { "ews", "establishing", "birds_eye", "crane", 22, 12.0, 6, "MAYA, TOM",
      N_("Crane up and away: two small figures, the drifting boat, the town waking behind "
         "them."),
      "", N_("Drone if the crane cannot reach."), "todo", draw_crane_up },
  };
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(ReelScene) scene = reel_scene_new_with_id ("5c1a2f4e-0d3b-4e61-9a57-000000000100");
  g_autoptr(GRand) rand = g_rand_new_with_seed (1847);

  reel_project_set_title (project, _("The Kittiwake"));
  reel_project_set_frame_rate (project, REEL_FRAME_RATE_INIT (24, 1));
  reel_project_set_aspect_ratio (project, ASPECT);
  reel_project_set_sensor (project, "super35");
  reel_project_set_look_phrase (project, "cold dawn light, sea mist, muted blues and greys, "
                                         "35 mm film grain");
  reel_project_set_metadata (project, REEL_METADATA_AUTHOR, "Storyreel");
  reel_project_set_metadata (project, REEL_METADATA_DRAFT_DATE, "2024-05-01");

  reel_scene_set_number (scene, "1");
  reel_scene_set_int_ext (scene, REEL_INT_EXT_EXT);
  reel_scene_set_location (scene, "HARBOUR");
  reel_scene_set_time_of_day (scene, "DAWN");
  reel_scene_set_synopsis (scene, _("Maya waits on the pier for her brother's boat. It comes "
                                    "back without him."));
  reel_project_append_scene (project, scene);

  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    {
      const DemoShot *demo = &shots[i];
      g_autofree char *id = g_strdup_printf ("5c1a2f4e-0d3b-4e61-9a57-0000000001%02u", i + 1);
      g_autoptr(ReelShot) shot = reel_shot_new_with_id (id);
      Pen pen = { reel_shot_get_sketch (shot), rand };

      reel_shot_set_size (shot, demo->size);
      reel_shot_set_framing (shot, demo->framing);
      reel_shot_set_angle (shot, demo->angle);
      reel_shot_set_movement (shot, demo->movement);
      reel_shot_set_lens_mm (shot, demo->lens);
      reel_shot_set_camera_height_m (shot, demo->height);
      reel_shot_set_duration (shot, (gint64) (demo->seconds * 24));
      reel_shot_set_cast (shot, demo->cast);
      reel_shot_set_description (shot, _(demo->description));
      reel_shot_set_dialogue (shot, *demo->dialogue != '\0' ? _(demo->dialogue) : "");
      reel_shot_set_notes (shot, *demo->notes != '\0' ? _(demo->notes) : "");
      reel_shot_set_status (shot, demo->status);
      demo->draw (&pen);
      reel_scene_append_shot (scene, shot);
    }

  add_harbour_set (project, scene);
  reel_scene_renumber (scene, REEL_NUMBERING_SCENE_LETTER);

  reel_history_clear (reel_project_get_history (project));
  reel_project_mark_saved (project);
  return g_steal_pointer (&project);
}

/* The demo plate (data/demo/reel-demo-plate.c) on the shots where MAYA walks: which
 * shot, where the plate sits in the frame, and a key that suits its screen. */
typedef struct
{
  const char *shot_id;
  double plate_scale;
  double plate_x;
  double plate_y;
} DemoPlateShot;

/**
 * reel_demo_project_add_plates:
 * @project: the demo project
 * @project_file: where the project will be saved (the plate's path is kept relative to it)
 * @plate: the demo plate the build made
 *
 * Links @plate to the shots of MAYA on the pier (1B, 1C, 1G) with key settings that
 * work for it. Reads @plate to hash it: blocking.
 *
 * Returns: %FALSE with @error when @plate cannot be read
 */
gboolean
reel_demo_project_add_plates (ReelProject  *project,
                              GFile        *project_file,
                              GFile        *plate,
                              GError      **error)
{
  static const DemoPlateShot placements[] = {
    { "5c1a2f4e-0d3b-4e61-9a57-000000000102", 1.00, 0.00, 0.00 },   /* 1B: she walks the pier */
    { "5c1a2f4e-0d3b-4e61-9a57-000000000103", 1.25, 0.00, 0.08 },   /* 1C: closer, dolly in */
    { "5c1a2f4e-0d3b-4e61-9a57-000000000107", 0.80, -0.16, 0.06 },  /* 1G: beside TOM */
  };
  g_autofree char *hash = NULL;
  g_autofree char *path = NULL;
  gint64 size = -1;

  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (G_IS_FILE (project_file), FALSE);
  g_return_val_if_fail (G_IS_FILE (plate), FALSE);

  hash = reel_plate_compute_file_hash (plate, &size, NULL, error);
  if (hash == NULL)
    return FALSE;
  path = reel_plate_make_relative_path (project_file, plate);

  for (guint i = 0; i < G_N_ELEMENTS (placements); i++)
    {
      const DemoPlateShot *placement = &placements[i];
      ReelShot *shot = reel_project_find_shot (project, placement->shot_id, NULL, NULL);
      g_autoptr(ReelPlate) footage = reel_plate_new (path);

      g_return_val_if_fail (shot != NULL, FALSE);

      reel_plate_set_file_size (footage, size);
      reel_plate_set_hash (footage, hash);
      reel_plate_set_duration (footage, REEL_DEMO_PLATE_FRAMES * GST_SECOND_NS / 24);
      reel_plate_set_size (footage, REEL_DEMO_PLATE_WIDTH, REEL_DEMO_PLATE_HEIGHT);
      /* The screen's own green, picked from the middle of the plate; the falloff to the
       * corners and the floor stays within the similarity, the coat well outside it. */
      reel_plate_set_key_color (footage, REEL_DEMO_PLATE_KEY_COLOR);
      reel_plate_set_similarity (footage, 0.42);
      reel_plate_set_softness (footage, 0.12);
      reel_plate_set_spill (footage, 0.45);
      reel_plate_set_plate_scale (footage, placement->plate_scale);
      reel_plate_set_plate_position (footage, placement->plate_x, placement->plate_y);
      reel_shot_set_plate (shot, footage);
    }

  reel_history_clear (reel_project_get_history (project));
  reel_project_mark_saved (project);
  return TRUE;
}
