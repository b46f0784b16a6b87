/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-greybox"

#include "config.h"

#include <cairo.h>
#include <glib/gi18n.h>
#include <math.h>

#include "core/reel-optics.h"
#include "reel-ai-error.h"
#include "reel-greybox.h"
#include "reel-prompt.h"

/* The built-in provider: the camera's view of a gray-box set, drawn with Cairo. A pinhole
 * camera at the shot's height, tilted and rolled by its angle, with the field of view of
 * its lens on the project's sensor, looks at a ground plane under a sky (EXT) or into a
 * room (INT); the seed places the boxes. Works offline and in a few milliseconds. */

struct _ReelGreybox
{
  ReelProvider parent_instance;
};

G_DEFINE_FINAL_TYPE (ReelGreybox, reel_greybox, REEL_TYPE_PROVIDER)

typedef struct
{
  double x, y, z;
} Vec3;

typedef struct
{
  double r, g, b;
} Rgb;

typedef struct
{
  double width;
  double height;
  double focal_px;
  double eye_height;
  double sin_tilt;
  double cos_tilt;
} Camera;

typedef struct
{
  Rgb zenith;
  Rgb horizon;
  Rgb ground_near;
  Rgb ground_far;
  Rgb light;       /* multiplies the grey of the boxes */
  Rgb window;
  double sun_elevation;  /* degrees above the horizon, < 0 for none */
  gboolean stars;
} Palette;

#define NEAR_PLANE 0.05

static Vec3
to_camera (const Camera *camera,
           Vec3          point)
{
  double dy = point.y - camera->eye_height;
  Vec3 result;

  result.x = point.x;
  result.y = dy * camera->cos_tilt - point.z * camera->sin_tilt;
  result.z = dy * camera->sin_tilt + point.z * camera->cos_tilt;
  return result;
}

static void
project_point (const Camera *camera,
               Vec3          p,
               double       *sx,
               double       *sy)
{
  *sx = camera->width / 2 + camera->focal_px * p.x / p.z;
  *sy = camera->height / 2 - camera->focal_px * p.y / p.z;
}

/* Clips a polygon in camera space to z >= NEAR_PLANE (Sutherland–Hodgman) and traces it. */
static gboolean
trace_polygon (cairo_t      *cr,
               const Camera *camera,
               const Vec3   *world,
               guint         n_points)
{
  Vec3 in[8];
  Vec3 out[16];
  guint n_out = 0;

  g_assert (n_points <= G_N_ELEMENTS (in));

  for (guint i = 0; i < n_points; i++)
    in[i] = to_camera (camera, world[i]);

  for (guint i = 0; i < n_points; i++)
    {
      Vec3 a = in[i];
      Vec3 b = in[(i + 1) % n_points];
      gboolean a_in = a.z >= NEAR_PLANE;
      gboolean b_in = b.z >= NEAR_PLANE;

      if (a_in)
        out[n_out++] = a;
      if (a_in != b_in)
        {
          double t = (NEAR_PLANE - a.z) / (b.z - a.z);
          Vec3 cut = { a.x + t * (b.x - a.x), a.y + t * (b.y - a.y), NEAR_PLANE };

          out[n_out++] = cut;
        }
    }

  if (n_out < 3)
    return FALSE;

  cairo_new_path (cr);
  for (guint i = 0; i < n_out; i++)
    {
      double sx, sy;

      project_point (camera, out[i], &sx, &sy);
      if (i == 0)
        cairo_move_to (cr, sx, sy);
      else
        cairo_line_to (cr, sx, sy);
    }
  cairo_close_path (cr);
  return TRUE;
}

static void
stroke_segment (cairo_t      *cr,
                const Camera *camera,
                Vec3          a,
                Vec3          b)
{
  Vec3 ca = to_camera (camera, a);
  Vec3 cb = to_camera (camera, b);
  double x0, y0, x1, y1;

  if (ca.z < NEAR_PLANE && cb.z < NEAR_PLANE)
    return;
  if (ca.z < NEAR_PLANE || cb.z < NEAR_PLANE)
    {
      Vec3 *behind = ca.z < NEAR_PLANE ? &ca : &cb;
      Vec3 front = ca.z < NEAR_PLANE ? cb : ca;
      double t = (NEAR_PLANE - front.z) / (behind->z - front.z);

      behind->x = front.x + t * (behind->x - front.x);
      behind->y = front.y + t * (behind->y - front.y);
      behind->z = NEAR_PLANE;
    }

  project_point (camera, ca, &x0, &y0);
  project_point (camera, cb, &x1, &y1);
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1, y1);
}

static void
set_rgb (cairo_t *cr,
         Rgb      color,
         double   factor)
{
  cairo_set_source_rgb (cr, CLAMP (color.r * factor, 0, 1), CLAMP (color.g * factor, 0, 1),
                        CLAMP (color.b * factor, 0, 1));
}

static Palette
palette_for (const char *time_of_day,
             gboolean    interior)
{
  Palette p;

  if (g_strcmp0 (time_of_day, "dawn") == 0)
    p = (Palette) { { 0.45, 0.55, 0.78 }, { 0.98, 0.74, 0.62 }, { 0.42, 0.40, 0.40 },
                    { 0.66, 0.58, 0.58 }, { 1.00, 0.90, 0.85 }, { 0.98, 0.80, 0.70 }, 4, FALSE };
  else if (g_strcmp0 (time_of_day, "dusk") == 0)
    p = (Palette) { { 0.22, 0.20, 0.42 }, { 0.98, 0.55, 0.30 }, { 0.30, 0.27, 0.28 },
                    { 0.55, 0.42, 0.38 }, { 1.00, 0.78, 0.62 }, { 0.95, 0.60, 0.40 }, 3, FALSE };
  else if (g_strcmp0 (time_of_day, "night") == 0)
    p = (Palette) { { 0.02, 0.03, 0.09 }, { 0.10, 0.13, 0.25 }, { 0.08, 0.09, 0.12 },
                    { 0.14, 0.16, 0.22 }, { 0.45, 0.50, 0.70 }, { 0.10, 0.14, 0.30 }, -1, TRUE };
  else
    p = (Palette) { { 0.36, 0.58, 0.88 }, { 0.80, 0.88, 0.96 }, { 0.50, 0.51, 0.50 },
                    { 0.70, 0.72, 0.74 }, { 1.00, 1.00, 1.00 }, { 0.85, 0.92, 1.00 }, 50, FALSE };

  /* A room is lit by its fittings: less extreme than the sky outside. */
  if (interior && g_strcmp0 (time_of_day, "night") == 0)
    p.light = (Rgb) { 0.80, 0.72, 0.60 };

  return p;
}

typedef struct
{
  Vec3 min;
  Vec3 max;
  double distance;
  double grey;
} Box;

static int
compare_far_first (gconstpointer a,
                   gconstpointer b)
{
  const Box *box_a = a;
  const Box *box_b = b;

  return (box_a->distance < box_b->distance) - (box_a->distance > box_b->distance);
}

static void
draw_box (cairo_t       *cr,
          const Camera  *camera,
          const Box     *box,
          const Palette *palette,
          double         line_width)
{
  const Vec3 lo = box->min;
  const Vec3 hi = box->max;
  /* Faces: outward normal, four corners. */
  const struct { Vec3 normal; Vec3 corners[4]; double shade; } faces[] = {
    { { 0, 1, 0 }, { { lo.x, hi.y, lo.z }, { hi.x, hi.y, lo.z }, { hi.x, hi.y, hi.z },
                     { lo.x, hi.y, hi.z } }, 1.10 },
    { { 0, 0, -1 }, { { lo.x, lo.y, lo.z }, { hi.x, lo.y, lo.z }, { hi.x, hi.y, lo.z },
                      { lo.x, hi.y, lo.z } }, 0.85 },
    { { 0, 0, 1 }, { { lo.x, lo.y, hi.z }, { hi.x, lo.y, hi.z }, { hi.x, hi.y, hi.z },
                     { lo.x, hi.y, hi.z } }, 0.70 },
    { { -1, 0, 0 }, { { lo.x, lo.y, lo.z }, { lo.x, lo.y, hi.z }, { lo.x, hi.y, hi.z },
                      { lo.x, hi.y, lo.z } }, 0.95 },
    { { 1, 0, 0 }, { { hi.x, lo.y, lo.z }, { hi.x, lo.y, hi.z }, { hi.x, hi.y, hi.z },
                     { hi.x, hi.y, lo.z } }, 0.62 },
    { { 0, -1, 0 }, { { lo.x, lo.y, lo.z }, { hi.x, lo.y, lo.z }, { hi.x, lo.y, hi.z },
                      { lo.x, lo.y, hi.z } }, 0.50 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (faces); i++)
    {
      const Vec3 *c = faces[i].corners;
      /* Back-face culling: the camera must be on the outer side of the face. */
      Vec3 to_camera_dir = { 0 - c[0].x, camera->eye_height - c[0].y, 0 - c[0].z };
      double facing = to_camera_dir.x * faces[i].normal.x + to_camera_dir.y * faces[i].normal.y
                      + to_camera_dir.z * faces[i].normal.z;
      Rgb grey = { box->grey * palette->light.r, box->grey * palette->light.g,
                   box->grey * palette->light.b };

      if (facing <= 0)
        continue;
      if (!trace_polygon (cr, camera, c, 4))
        continue;

      set_rgb (cr, grey, faces[i].shade);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, 0.1, 0.1, 0.12, 0.55);
      cairo_set_line_width (cr, line_width);
      cairo_stroke (cr);
    }
}

static void
draw_boxes (cairo_t       *cr,
            const Camera  *camera,
            GArray        *boxes,
            const Palette *palette,
            double         line_width)
{
  g_array_sort (boxes, compare_far_first);
  for (guint i = 0; i < boxes->len; i++)
    draw_box (cr, camera, &g_array_index (boxes, Box, i), palette, line_width);
}

static void
add_box (GArray *boxes,
         double  x,
         double  z,
         double  width,
         double  depth,
         double  height,
         double  grey,
         double  eye_height)
{
  Box box = {
    { x - width / 2, 0, z - depth / 2 }, { x + width / 2, height, z + depth / 2 }, 0, grey
  };

  box.distance = sqrt (x * x + z * z + (height / 2 - eye_height) * (height / 2 - eye_height));
  g_array_append_val (boxes, box);
}

static void
draw_exterior (cairo_t       *cr,
               const Camera  *camera,
               const Palette *palette,
               GRand         *rand,
               double         line_width)
{
  double horizon = camera->height / 2 + camera->focal_px * camera->sin_tilt
                                        / MAX (camera->cos_tilt, 1e-3);
  double left = -camera->width;
  double right = 2 * camera->width;
  double top = -camera->height;
  double bottom = 2 * camera->height;
  g_autoptr(GArray) boxes = g_array_new (FALSE, FALSE, sizeof (Box));
  cairo_pattern_t *gradient;
  guint n_boxes;

  /* Sky, zenith to horizon. */
  gradient = cairo_pattern_create_linear (0, MIN (horizon - camera->height, horizon - 1), 0,
                                          horizon);
  cairo_pattern_add_color_stop_rgb (gradient, 0, palette->zenith.r, palette->zenith.g,
                                    palette->zenith.b);
  cairo_pattern_add_color_stop_rgb (gradient, 1, palette->horizon.r, palette->horizon.g,
                                    palette->horizon.b);
  cairo_rectangle (cr, left, top, right - left, MAX (horizon - top, 0));
  cairo_set_source (cr, gradient);
  cairo_fill (cr);
  cairo_pattern_destroy (gradient);

  if (palette->stars)
    {
      for (guint i = 0; i < 160; i++)
        {
          double x = g_rand_double_range (rand, 0, camera->width);
          double y = g_rand_double_range (rand, top, horizon);

          cairo_set_source_rgba (cr, 1, 1, 0.95, g_rand_double_range (rand, 0.3, 0.9));
          cairo_arc (cr, x, y, line_width * g_rand_double_range (rand, 0.5, 1.3), 0, 2 * G_PI);
          cairo_fill (cr);
        }
    }

  if (palette->sun_elevation >= 0)
    {
      double azimuth = g_rand_double_range (rand, -25, 25) * G_PI / 180;
      double elevation = palette->sun_elevation * G_PI / 180;
      Vec3 sun = { sin (azimuth) * cos (elevation) * 1000,
                   camera->eye_height + sin (elevation) * 1000,
                   cos (azimuth) * cos (elevation) * 1000 };
      Vec3 in_camera = to_camera (camera, sun);

      if (in_camera.z > NEAR_PLANE)
        {
          double sx, sy;

          project_point (camera, in_camera, &sx, &sy);
          cairo_set_source_rgba (cr, 1, 0.97, 0.85, 0.9);
          cairo_arc (cr, sx, sy, camera->width * 0.02, 0, 2 * G_PI);
          cairo_fill (cr);
        }
    }

  /* Ground: everything below the horizon, lighter towards the camera. */
  gradient = cairo_pattern_create_linear (0, horizon, 0, horizon + camera->height);
  cairo_pattern_add_color_stop_rgb (gradient, 0, palette->ground_far.r, palette->ground_far.g,
                                    palette->ground_far.b);
  cairo_pattern_add_color_stop_rgb (gradient, 1, palette->ground_near.r,
                                    palette->ground_near.g, palette->ground_near.b);
  cairo_rectangle (cr, left, horizon, right - left, MAX (bottom - horizon, 0));
  cairo_set_source (cr, gradient);
  cairo_fill (cr);
  cairo_pattern_destroy (gradient);

  /* The ground grid, 2 m squares, fading with distance. */
  cairo_set_line_width (cr, line_width);
  for (int k = -40; k <= 40; k++)
    stroke_segment (cr, camera, (Vec3) { k * 2.0, 0, 0.3 }, (Vec3) { k * 2.0, 0, 160 });
  for (int k = 1; k <= 80; k++)
    stroke_segment (cr, camera, (Vec3) { -80, 0, k * 2.0 }, (Vec3) { 80, 0, k * 2.0 });
  cairo_set_source_rgba (cr, 0.15, 0.15, 0.15, 0.35);
  cairo_stroke (cr);

  /* Horizon line. */
  cairo_move_to (cr, left, horizon);
  cairo_line_to (cr, right, horizon);
  cairo_set_source_rgba (cr, 0.2, 0.2, 0.2, 0.5);
  cairo_stroke (cr);

  /* Buildings and props, placed by the seed; a clear lane in front of the camera. */
  n_boxes = (guint) g_rand_int_range (rand, 7, 15);
  for (guint i = 0; i < n_boxes; i++)
    {
      double z = g_rand_double_range (rand, 8, 70);
      double side = g_rand_boolean (rand) ? 1 : -1;
      double width = g_rand_double_range (rand, 2, 9);
      double x = side * (width / 2 + g_rand_double_range (rand, 2, 28));
      double depth = g_rand_double_range (rand, 2, 9);
      double height = g_rand_double_range (rand, 1.5, 16);

      add_box (boxes, x, z, width, depth, height, g_rand_double_range (rand, 0.55, 0.8),
               camera->eye_height);
    }
  /* Small props in the middle distance, lower than the eye. */
  for (guint i = 0; i < 4; i++)
    add_box (boxes, g_rand_double_range (rand, -6, 6), g_rand_double_range (rand, 5, 20),
             g_rand_double_range (rand, 0.6, 1.6), g_rand_double_range (rand, 0.6, 1.6),
             MIN (g_rand_double_range (rand, 0.5, 1.4), camera->eye_height * 0.8),
             g_rand_double_range (rand, 0.5, 0.75), camera->eye_height);

  draw_boxes (cr, camera, boxes, palette, line_width);
}

static void
fill_quad (cairo_t      *cr,
           const Camera *camera,
           Vec3          a,
           Vec3          b,
           Vec3          c,
           Vec3          d,
           Rgb           color,
           double        factor)
{
  Vec3 quad[4] = { a, b, c, d };

  if (!trace_polygon (cr, camera, quad, 4))
    return;
  set_rgb (cr, color, factor);
  cairo_fill (cr);
}

static void
draw_interior (cairo_t       *cr,
               const Camera  *camera,
               const Palette *palette,
               GRand         *rand,
               double         line_width)
{
  /* A room around the camera; the seed chooses its size. */
  double half_width = g_rand_double_range (rand, 3.0, 5.5);
  double back = g_rand_double_range (rand, 7, 12);
  double front = -4;
  double ceiling = MAX (g_rand_double_range (rand, 2.7, 3.6), camera->eye_height + 0.6);
  Rgb wall = { 0.72 * palette->light.r, 0.71 * palette->light.g, 0.69 * palette->light.b };
  Rgb floor = { 0.50 * palette->light.r, 0.48 * palette->light.g, 0.46 * palette->light.b };
  double window_x0 = g_rand_double_range (rand, -half_width + 0.5, half_width - 2.5);
  double window_width = g_rand_double_range (rand, 1.2, 2.4);
  double door_z = g_rand_double_range (rand, 2, back - 2);
  g_autoptr(GArray) boxes = g_array_new (FALSE, FALSE, sizeof (Box));
  guint n_props;

  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_paint (cr);

  /* Floor, ceiling, walls: from inside a box every pixel sees exactly one of them. */
  fill_quad (cr, camera, (Vec3) { -half_width, 0, front }, (Vec3) { half_width, 0, front },
             (Vec3) { half_width, 0, back }, (Vec3) { -half_width, 0, back }, floor, 1.0);
  fill_quad (cr, camera, (Vec3) { -half_width, ceiling, front },
             (Vec3) { half_width, ceiling, front }, (Vec3) { half_width, ceiling, back },
             (Vec3) { -half_width, ceiling, back }, wall, 0.82);
  fill_quad (cr, camera, (Vec3) { -half_width, 0, front }, (Vec3) { -half_width, 0, back },
             (Vec3) { -half_width, ceiling, back }, (Vec3) { -half_width, ceiling, front },
             wall, 0.92);
  fill_quad (cr, camera, (Vec3) { half_width, 0, front }, (Vec3) { half_width, 0, back },
             (Vec3) { half_width, ceiling, back }, (Vec3) { half_width, ceiling, front },
             wall, 0.78);
  fill_quad (cr, camera, (Vec3) { -half_width, 0, back }, (Vec3) { half_width, 0, back },
             (Vec3) { half_width, ceiling, back }, (Vec3) { -half_width, ceiling, back },
             wall, 1.0);
  fill_quad (cr, camera, (Vec3) { -half_width, 0, front }, (Vec3) { half_width, 0, front },
             (Vec3) { half_width, ceiling, front }, (Vec3) { -half_width, ceiling, front },
             wall, 0.7);

  /* A window in the back wall shows the time of day; a door in the left wall. */
  fill_quad (cr, camera, (Vec3) { window_x0, 1.0, back - 0.01 },
             (Vec3) { window_x0 + window_width, 1.0, back - 0.01 },
             (Vec3) { window_x0 + window_width, MIN (2.4, ceiling - 0.2), back - 0.01 },
             (Vec3) { window_x0, MIN (2.4, ceiling - 0.2), back - 0.01 }, palette->window, 1.0);
  fill_quad (cr, camera, (Vec3) { -half_width + 0.01, 0, door_z },
             (Vec3) { -half_width + 0.01, 0, door_z + 1.0 },
             (Vec3) { -half_width + 0.01, 2.1, door_z + 1.0 },
             (Vec3) { -half_width + 0.01, 2.1, door_z }, wall, 0.55);

  /* Floor tiles of 1 m and the room's edges: they carry the vanishing point. */
  cairo_set_line_width (cr, line_width);
  for (double x = ceil (-half_width); x <= half_width; x += 1)
    stroke_segment (cr, camera, (Vec3) { x, 0, front }, (Vec3) { x, 0, back });
  for (double z = ceil (front); z <= back; z += 1)
    stroke_segment (cr, camera, (Vec3) { -half_width, 0, z }, (Vec3) { half_width, 0, z });
  cairo_set_source_rgba (cr, 0.1, 0.1, 0.1, 0.3);
  cairo_stroke (cr);

  for (int i = 0; i < 4; i++)
    {
      double x = i % 2 == 0 ? -half_width : half_width;
      double y = i < 2 ? 0 : ceiling;

      stroke_segment (cr, camera, (Vec3) { x, y, front }, (Vec3) { x, y, back });
    }
  stroke_segment (cr, camera, (Vec3) { -half_width, 0, back }, (Vec3) { half_width, 0, back });
  stroke_segment (cr, camera, (Vec3) { -half_width, ceiling, back },
                  (Vec3) { half_width, ceiling, back });
  stroke_segment (cr, camera, (Vec3) { -half_width, 0, back },
                  (Vec3) { -half_width, ceiling, back });
  stroke_segment (cr, camera, (Vec3) { half_width, 0, back },
                  (Vec3) { half_width, ceiling, back });
  cairo_set_source_rgba (cr, 0.05, 0.05, 0.05, 0.6);
  cairo_set_line_width (cr, line_width * 1.5);
  cairo_stroke (cr);

  /* Furniture: tables, cabinets, crates. */
  n_props = (guint) g_rand_int_range (rand, 3, 8);
  for (guint i = 0; i < n_props; i++)
    {
      double width = g_rand_double_range (rand, 0.5, 2.0);
      double depth = g_rand_double_range (rand, 0.5, 1.5);
      gboolean against_wall = g_rand_boolean (rand);
      double x = against_wall
                   ? (g_rand_boolean (rand) ? 1 : -1) * (half_width - width / 2 - 0.05)
                   : g_rand_double_range (rand, -half_width + 1, half_width - 1);

      add_box (boxes, x, g_rand_double_range (rand, 1.5, back - depth / 2 - 0.1), width, depth,
               g_rand_double_range (rand, 0.4, MIN (2.2, ceiling - 0.3)),
               g_rand_double_range (rand, 0.45, 0.7), camera->eye_height);
    }

  draw_boxes (cr, camera, boxes, palette, line_width);
}

static cairo_status_t
append_png (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * reel_greybox_render_png:
 * @request: the camera, the scene and the pixel size
 * @seed: the layout
 *
 * Thread-safe.
 *
 * Returns: (transfer full): the PNG
 */
GBytes *
reel_greybox_render_png (ReelGenerationRequest *request,
                         guint32                seed)
{
  int width = CLAMP (request->width, 16, 8192);
  int height = CLAMP (request->height, 16, 8192);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  double lens = request->lens_mm > 0 ? request->lens_mm : REEL_CAMERA_DEFAULT_LENS_MM;
  double sensor = request->sensor_width_mm > 0 ? request->sensor_width_mm : 24.89;
  double fov = reel_optics_horizontal_fov (sensor, lens) * G_PI / 180;
  double tilt = CLAMP (request->tilt_deg, -89, 89) * G_PI / 180;
  gboolean interior = request->int_ext == REEL_INT_EXT_INT;
  Palette palette = palette_for (reel_prompt_normalize_time_of_day (request->time_of_day),
                                 interior);
  Camera camera = {
    width, height, (width / 2.0) / tan (fov / 2), MAX (request->camera_height_m, 0.05),
    sin (tilt), cos (tilt),
  };
  double line_width = MAX (1.0, width / 1000.0);
  GByteArray *png = g_byte_array_new ();

  /* Dutch: the whole view rolls about its centre. */
  cairo_translate (cr, width / 2.0, height / 2.0);
  cairo_rotate (cr, -request->roll_deg * G_PI / 180);
  cairo_translate (cr, -width / 2.0, -height / 2.0);

  if (interior)
    draw_interior (cr, &camera, &palette, rand, line_width);
  else
    draw_exterior (cr, &camera, &palette, rand, line_width);

  cairo_destroy (cr);
  cairo_surface_write_to_png_stream (surface, append_png, png);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (png);
}

typedef struct
{
  ReelGreybox *self;
  ReelGenerationRequest *request;
  gint64 started_us;
} RenderJob;

static void
render_job_free (gpointer data)
{
  RenderJob *job = data;

  g_clear_object (&job->self);
  g_clear_pointer (&job->request, reel_generation_request_unref);
  g_free (job);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenderJob *job = task_data;
  ReelGenerationRequest *request = job->request;
  g_autoptr(GPtrArray) assets = g_ptr_array_new_with_free_func (g_object_unref);
  guint32 base_seed = request->seed >= 0 ? (guint32) request->seed : g_random_int ();

  for (guint i = 0; i < MAX (request->count, 1); i++)
    {
      guint32 seed = base_seed + i;
      g_autoptr(GBytes) png = NULL;
      g_autoptr(JsonObject) parameters = json_object_new ();
      g_autoptr(ReelGenerationRecord) record = NULL;
      g_autoptr(GError) error = NULL;
      ReelAsset *asset;

      if (g_task_return_error_if_cancelled (task))
        return;

      png = reel_greybox_render_png (request, seed);
      json_object_set_double_member (parameters, "tilt_deg", request->tilt_deg);
      json_object_set_double_member (parameters, "roll_deg", request->roll_deg);
      json_object_set_double_member (parameters, "camera_height_m", request->camera_height_m);
      json_object_set_double_member (parameters, "lens_mm", request->lens_mm);
      json_object_set_double_member (parameters, "sensor_width_mm", request->sensor_width_mm);
      json_object_set_string_member (parameters, "int_ext",
                                     reel_int_ext_to_id (request->int_ext));
      if (request->time_of_day != NULL)
        json_object_set_string_member (parameters, "time_of_day", request->time_of_day);
      json_object_set_int_member (parameters, "width", request->width);
      json_object_set_int_member (parameters, "height", request->height);

      record = reel_provider_new_record (REEL_PROVIDER (job->self), request, NULL, seed,
                                         parameters, job->started_us);
      asset = reel_asset_new_generated (png, record, &error);
      if (asset == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_ptr_array_add (assets, asset);
    }

  g_task_return_pointer (task, g_steal_pointer (&assets), (GDestroyNotify) g_ptr_array_unref);
}

static void
reel_greybox_generate_async (ReelProvider               *provider,
                             ReelGenerationRequest      *request,
                             ReelGenerationProgressFunc  progress,
                             gpointer                    progress_data,
                             GCancellable               *cancellable,
                             GAsyncReadyCallback         callback,
                             gpointer                    user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  RenderJob *job = g_new0 (RenderJob, 1);

  g_task_set_source_tag (task, reel_greybox_generate_async);

  if (request->kind == REEL_GENERATION_VIDEO)
    {
      render_job_free (job);
      g_task_return_new_error (task, REEL_AI_ERROR, REEL_AI_ERROR_NOT_SUPPORTED, "%s",
                               _("Gray-box draws still images only. Choose Google Veo for a "
                                 "moving background."));
      return;
    }

  job->self = g_object_ref (REEL_GREYBOX (provider));
  job->request = reel_generation_request_ref (request);
  job->started_us = g_get_monotonic_time ();
  g_task_set_task_data (task, job, render_job_free);

  if (progress != NULL)
    progress (-1, _("Drawing"), progress_data);

  g_task_run_in_thread (task, render_thread);
}

static GPtrArray *
reel_greybox_generate_finish (ReelProvider  *provider,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
reel_greybox_check_async (ReelProvider        *provider,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);

  g_task_set_source_tag (task, reel_greybox_check_async);
  g_task_return_pointer (task, g_strdup (_("Gray-box is built in: it needs no connection "
                                           "and no key.")), g_free);
}

static char *
reel_greybox_check_finish (ReelProvider  *provider,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
reel_greybox_class_init (ReelGreyboxClass *klass)
{
  ReelProviderClass *provider_class = REEL_PROVIDER_CLASS (klass);

  provider_class->id = "greybox";
  provider_class->display_name = N_("Gray-box");
  provider_class->capabilities = REEL_GENERATOR_TEXT_TO_IMAGE | REEL_GENERATOR_EDIT
                                 | REEL_GENERATOR_OFFLINE;
  provider_class->default_model = "greybox-1";
  provider_class->generate_async = reel_greybox_generate_async;
  provider_class->generate_finish = reel_greybox_generate_finish;
  provider_class->check_async = reel_greybox_check_async;
  provider_class->check_finish = reel_greybox_check_finish;
}

static void
reel_greybox_init (ReelGreybox *self)
{
}
