/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-set-plan"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "reel-core-error.h"
#include "reel-optics.h"
#include "reel-set-plan.h"

#define MARGIN 24.0
#define FRUSTUM_LENGTH 3.0   /* metres of the field of view drawn ahead of a camera … */
#define FRUSTUM_MIN_PX 48.0  /* … but never shorter than this on a plan of a large set */

static double
frustum_length (double scale)
{
  return MAX (FRUSTUM_LENGTH, FRUSTUM_MIN_PX / MAX (scale, 1e-9));
}

typedef struct
{
  double scale, ox, oy;
} Plan;

static void
to_px (const Plan *plan,
       double      x,
       double      z,
       double     *px,
       double     *py)
{
  *px = plan->ox + x * plan->scale;
  *py = plan->oy + z * plan->scale;
}

static void
extend (double *box,
        double  x,
        double  z)
{
  box[0] = MIN (box[0], x);
  box[1] = MIN (box[1], z);
  box[2] = MAX (box[2], x);
  box[3] = MAX (box[3], z);
}

/* A rectangle or ellipse of a prop's part, turned with the prop. */
static void
part_path (cairo_t           *cr,
           const Plan        *plan,
           const ReelSetProp *prop,
           const ReelSetPart *part)
{
  double px, py;

  to_px (plan, prop->x, prop->z, &px, &py);
  cairo_save (cr);
  cairo_translate (cr, px, py);
  cairo_rotate (cr, prop->rotation * G_PI / 180);
  cairo_scale (cr, plan->scale, plan->scale);
  if (part->shape == REEL_SET_SHAPE_CYLINDER)
    {
      double cx = (part->x0 + part->x1) / 2 * prop->width;
      double cz = (part->z0 + part->z1) / 2 * prop->depth;
      double rx = MAX ((part->x1 - part->x0) / 2 * prop->width, 1e-3);
      double rz = MAX ((part->z1 - part->z0) / 2 * prop->depth, 1e-3);

      cairo_translate (cr, cx, cz);
      cairo_scale (cr, rx, rz);
      cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
    }
  else
    {
      cairo_rectangle (cr, part->x0 * prop->width, part->z0 * prop->depth,
                       (part->x1 - part->x0) * prop->width, (part->z1 - part->z0) * prop->depth);
    }
  cairo_restore (cr);
}

static void
draw_label (cairo_t    *cr,
            double      x,
            double      y,
            const char *text)
{
  cairo_text_extents_t extents;

  cairo_set_font_size (cr, 11);
  cairo_text_extents (cr, text, &extents);
  cairo_move_to (cr, x - extents.width / 2 - extents.x_bearing,
                 y - extents.height / 2 - extents.y_bearing);
  cairo_show_text (cr, text);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return da < db ? -1 : da > db;
}

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Public */

void
reel_set_plan_get_transform (const ReelSet        *set,
                             const ReelPlanCamera *cameras,
                             guint                 n_cameras,
                             double                width,
                             double                height,
                             double               *scale,
                             double               *origin_x,
                             double               *origin_y)
{
  double box[4] = { -set->floor_width / 2, -set->floor_depth / 2, set->floor_width / 2,
                    set->floor_depth / 2 };
  double sx, sy, s;

  for (guint i = 0; i < set->marks->len; i++)
    {
      const ReelSetMark *mark = &g_array_index (set->marks, ReelSetMark, i);

      extend (box, mark->x - 1, mark->z - 1);
      extend (box, mark->x + 1, mark->z + 1);
    }
  for (guint i = 0; i < set->props->len; i++)
    {
      const ReelSetProp *prop = &g_array_index (set->props, ReelSetProp, i);
      double r = MAX (prop->width, prop->depth) / 2;

      /* Water reaches the horizon: it does not set the view. */
      if (!g_str_equal (prop->kind, "water"))
        {
          extend (box, prop->x - r, prop->z - r);
          extend (box, prop->x + r, prop->z + r);
        }
    }
  for (guint i = 0; i < n_cameras; i++)
    {
      const ReelCameraPose *pose = &cameras[i].camera->start;

      extend (box, pose->x - 1, pose->z - 1);
      extend (box, pose->x + 1, pose->z + 1);
    }

  sx = (width - 2 * MARGIN) / MAX (box[2] - box[0], 1e-3);
  sy = (height - 2 * MARGIN) / MAX (box[3] - box[1], 1e-3);
  s = MAX (MIN (sx, sy), 1e-6);
  *scale = s;
  *origin_x = width / 2 - (box[0] + box[2]) / 2 * s;
  *origin_y = height / 2 - (box[1] + box[3]) / 2 * s;
}

void
reel_set_plan_draw (cairo_t              *cr,
                    const ReelSet        *set,
                    const ReelPlanCamera *cameras,
                    guint                 n_cameras,
                    double                sensor_width_mm,
                    double                width,
                    double                height,
                    int                   selected)
{
  double scale, ox, oy;

  g_return_if_fail (cr != NULL && set != NULL);

  reel_set_plan_get_transform (set, cameras, n_cameras, width, height, &scale, &ox, &oy);
  reel_set_plan_draw_at (cr, set, cameras, n_cameras, sensor_width_mm, scale, ox, oy, selected);
}

void
reel_set_plan_draw_at (cairo_t              *cr,
                       const ReelSet        *set,
                       const ReelPlanCamera *cameras,
                       guint                 n_cameras,
                       double                sensor_width_mm,
                       double                scale,
                       double                origin_x,
                       double                origin_y,
                       int                   selected)
{
  reel_set_plan_draw_layers (cr, set, cameras, n_cameras, sensor_width_mm, scale, origin_x,
                             origin_y, selected, REEL_PLAN_LAYER_ALL);
}

void
reel_set_plan_draw_layers (cairo_t              *cr,
                           const ReelSet        *set,
                           const ReelPlanCamera *cameras,
                           guint                 n_cameras,
                           double                sensor_width_mm,
                           double                scale,
                           double                origin_x,
                           double                origin_y,
                           int                   selected,
                           ReelPlanLayers        layers)
{
  const ReelSetMark *a, *b;
  Plan plan = { scale, origin_x, origin_y };
  double x0, y0, x1, y1;

  g_return_if_fail (cr != NULL && set != NULL);

  cairo_save (cr);
  if (!(layers & REEL_PLAN_LAYER_SET))
    goto cameras;

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  /* The floor. */
  to_px (&plan, -set->floor_width / 2, -set->floor_depth / 2, &x0, &y0);
  to_px (&plan, set->floor_width / 2, set->floor_depth / 2, &x1, &y1);
  cairo_set_source_rgb (cr, set->exterior ? 0.86 : 0.9, 0.88, 0.86);
  cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);

  /* Props, the water first (it lies under everything). */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < set->props->len; i++)
      {
        const ReelSetProp *prop = &g_array_index (set->props, ReelSetProp, i);
        const ReelSetPreset *preset = reel_set_lookup_preset (prop->kind);
        gboolean water = g_str_equal (prop->kind, "water");

        if (preset == NULL || (pass == 0) != water)
          continue;
        for (guint p = 0; p < preset->n_parts; p++)
          {
            double grey = 0.35 + 0.5 * preset->parts[p].shade;

            part_path (cr, &plan, prop, &preset->parts[p]);
            if (water)
              cairo_set_source_rgb (cr, 0.62, 0.74, 0.84);
            else
              cairo_set_source_rgb (cr, grey * 0.9, grey * 0.9, grey);
            cairo_fill_preserve (cr);
            cairo_set_source_rgb (cr, 0.3, 0.3, 0.32);
            cairo_set_line_width (cr, water ? 0 : 1);
            cairo_stroke (cr);
          }
      }

  /* Walls, with gaps where their openings are (a door's swing drawn as an arc). */
  for (guint i = 0; i < set->walls->len; i++)
    {
      const ReelSetWall *wall = &g_array_index (set->walls, ReelSetWall, i);
      double length = hypot (wall->x2 - wall->x1, wall->z2 - wall->z1);
      double ux = (wall->x2 - wall->x1) / MAX (length, 1e-6);
      double uz = (wall->z2 - wall->z1) / MAX (length, 1e-6);
      g_autoptr(GArray) cuts = g_array_new (FALSE, FALSE, sizeof (double));
      double start = 0;

      for (guint j = 0; j < wall->openings->len; j++)
        {
          const ReelSetOpening *o = &g_array_index (wall->openings, ReelSetOpening, j);
          double ox, oy;

          if (o->kind == REEL_SET_OPENING_DOOR)
            {
              to_px (&plan, wall->x1 + ux * o->offset, wall->z1 + uz * o->offset, &ox, &oy);
              cairo_set_source_rgb (cr, 0.5, 0.5, 0.5);
              cairo_set_line_width (cr, 1);
              cairo_new_path (cr);
              cairo_arc (cr, ox, oy, o->width * plan.scale, atan2 (uz, ux),
                         atan2 (uz, ux) + G_PI / 2);
              cairo_stroke (cr);
            }
        }

      cairo_set_source_rgb (cr, 0.15, 0.15, 0.17);
      cairo_set_line_width (cr, MAX (wall->thickness * plan.scale, 2));
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
      /* The solid pieces between the openings, in order along the wall. */
      for (guint j = 0; j < wall->openings->len; j++)
        {
          const ReelSetOpening *o = &g_array_index (wall->openings, ReelSetOpening, j);
          double edges[2] = { o->offset, o->offset + o->width };

          g_array_append_vals (cuts, edges, 2);
        }
      g_array_sort (cuts, compare_doubles);
      for (guint j = 0; j <= cuts->len; j += 2)
        {
          double end = j < cuts->len ? g_array_index (cuts, double, j) : length;

          if (end > start)
            {
              to_px (&plan, wall->x1 + ux * start, wall->z1 + uz * start, &x0, &y0);
              to_px (&plan, wall->x1 + ux * end, wall->z1 + uz * end, &x1, &y1);
              cairo_move_to (cr, x0, y0);
              cairo_line_to (cr, x1, y1);
              cairo_stroke (cr);
            }
          if (j + 1 < cuts->len)
            start = MAX (start, g_array_index (cuts, double, j + 1));
        }
    }

  /* The line of action. */
  if (reel_set_get_line_of_action (set, &a, &b))
    {
      static const double dash[] = { 6, 4 };

      to_px (&plan, a->x, a->z, &x0, &y0);
      to_px (&plan, b->x, b->z, &x1, &y1);
      cairo_set_source_rgb (cr, 0.85, 0.2, 0.2);
      cairo_set_line_width (cr, 1.5);
      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
      cairo_move_to (cr, x0, y0);
      cairo_line_to (cr, x1, y1);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  /* Cameras: a wedge as wide as the field of view, the number at the lens; a moving
   * camera's end as a dashed wedge, joined to its start by the path. */
cameras:
  for (guint i = 0; i < ((layers & REEL_PLAN_LAYER_CAMERAS) ? n_cameras : 0); i++)
    {
      const ReelShotCamera *camera = cameras[i].camera;
      static const double dash[] = { 4, 3 };
      double half, pan, sx, sy, ex, ey;

      if (!camera->moves)
        continue;
      half = reel_optics_horizontal_fov (sensor_width_mm, camera->end.lens_mm) / 2 * G_PI / 180;
      pan = camera->end.pan * G_PI / 180;
      to_px (&plan, camera->start.x, camera->start.z, &sx, &sy);
      to_px (&plan, camera->end.x, camera->end.z, &ex, &ey);
      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
      cairo_set_line_width (cr, 1.5);
      cairo_set_source_rgb (cr, 0.2, 0.3, 0.55);
      cairo_move_to (cr, sx, sy);
      cairo_line_to (cr, ex, ey);
      cairo_stroke (cr);
      cairo_move_to (cr, ex, ey);
      for (int side = -1; side <= 1; side += 2)
        {
          double angle = pan + side * half;

          to_px (&plan, camera->end.x + sin (angle) * frustum_length (plan.scale),
                 camera->end.z - cos (angle) * frustum_length (plan.scale), &x1, &y1);
          cairo_line_to (cr, x1, y1);
        }
      cairo_close_path (cr);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      cairo_arc (cr, ex, ey, 6, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 0.2, 0.3, 0.55);
      cairo_stroke (cr);
    }
  for (guint i = 0; i < ((layers & REEL_PLAN_LAYER_CAMERAS) ? n_cameras : 0); i++)
    {
      const ReelCameraPose *pose = &cameras[i].camera->start;
      double half = reel_optics_horizontal_fov (sensor_width_mm, pose->lens_mm) / 2 * G_PI / 180;
      double pan = pose->pan * G_PI / 180;
      double px, py;
      gboolean chosen = (int) i == selected;

      to_px (&plan, pose->x, pose->z, &px, &py);
      cairo_move_to (cr, px, py);
      for (int side = -1; side <= 1; side += 2)
        {
          double angle = pan + side * half;

          to_px (&plan, pose->x + sin (angle) * frustum_length (plan.scale),
                 pose->z - cos (angle) * frustum_length (plan.scale), &x1, &y1);
          cairo_line_to (cr, x1, y1);
        }
      cairo_close_path (cr);
      if (chosen)
        cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.45);
      else
        cairo_set_source_rgba (cr, 0.2, 0.2, 0.25, 0.18);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, chosen ? 0.1 : 0.25, chosen ? 0.35 : 0.25, chosen ? 0.7 : 0.3);
      cairo_set_line_width (cr, chosen ? 2 : 1);
      cairo_stroke (cr);

      /* The handle that pans it. */
      {
        double tx, tz;

        reel_set_plan_camera_tip (pose, plan.scale, &tx, &tz);
        to_px (&plan, tx, tz, &x1, &y1);
        cairo_arc (cr, x1, y1, 4, 0, 2 * G_PI);
        cairo_fill (cr);
      }

      cairo_arc (cr, px, py, 9, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, chosen ? 0.21 : 0.2, chosen ? 0.52 : 0.2, chosen ? 0.89 : 0.25);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      draw_label (cr, px, py, cameras[i].label != NULL ? cameras[i].label : "");
    }

  /* Marks on top: where each actor stands and faces. */
  for (guint i = 0; i < ((layers & REEL_PLAN_LAYER_MARKS) ? set->marks->len : 0); i++)
    {
      const ReelSetMark *mark = &g_array_index (set->marks, ReelSetMark, i);
      double facing = mark->facing * G_PI / 180;
      double px, py;

      to_px (&plan, mark->x, mark->z, &px, &py);
      cairo_arc (cr, px, py, 7, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 0.9, 0.55, 0.1);
      cairo_fill (cr);
      cairo_move_to (cr, px, py);
      cairo_line_to (cr, px + sin (facing) * 14, py - cos (facing) * 14);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0.2, 0.1, 0);
      draw_label (cr, px, py + 16, mark->name);
    }

  cairo_restore (cr);
}

void
reel_set_plan_camera_tip (const ReelCameraPose *pose,
                          double                scale,
                          double               *x,
                          double               *z)
{
  double pan = pose->pan * G_PI / 180;

  /* The middle of the far edge of the wedge drawn above. */
  *x = pose->x + sin (pan) * frustum_length (scale);
  *z = pose->z - cos (pan) * frustum_length (scale);
}

void
reel_set_plan_prop_handles (const ReelSetProp *prop,
                            double             scale,
                            double            *turn_x,
                            double            *turn_z,
                            double            *size_x,
                            double            *size_z)
{
  double angle = prop->rotation * G_PI / 180;
  double ahead = prop->depth / 2 + 18 / MAX (scale, 1e-9);
  double cx = prop->width / 2, cz = -prop->depth / 2;

  /* The prop's own frame turned as it is drawn: (lx, lz) → x + lx·cos − lz·sin, … */
  *turn_x = prop->x + ahead * sin (angle);
  *turn_z = prop->z - ahead * cos (angle);
  *size_x = prop->x + cx * cos (angle) - cz * sin (angle);
  *size_z = prop->z + cx * sin (angle) + cz * cos (angle);
}

/* Whether a plan point (metres) lies inside a part of a prop, in the prop's own frame. */
static gboolean
prop_contains (const ReelSetProp *prop,
               double             x,
               double             z)
{
  const ReelSetPreset *preset = reel_set_lookup_preset (prop->kind);
  double angle = -prop->rotation * G_PI / 180;
  double dx = x - prop->x, dz = z - prop->z;
  double lx = dx * cos (angle) - dz * sin (angle);
  double lz = dx * sin (angle) + dz * cos (angle);

  if (preset == NULL)
    return FALSE;

  for (guint p = 0; p < preset->n_parts; p++)
    {
      const ReelSetPart *part = &preset->parts[p];
      double px0 = part->x0 * prop->width, px1 = part->x1 * prop->width;
      double pz0 = part->z0 * prop->depth, pz1 = part->z1 * prop->depth;

      if (part->shape == REEL_SET_SHAPE_CYLINDER)
        {
          double rx = MAX ((px1 - px0) / 2, 1e-3), rz = MAX ((pz1 - pz0) / 2, 1e-3);
          double ex = (lx - (px0 + px1) / 2) / rx, ez = (lz - (pz0 + pz1) / 2) / rz;

          if (ex * ex + ez * ez <= 1)
            return TRUE;
        }
      else if (lx >= MIN (px0, px1) && lx <= MAX (px0, px1) && lz >= MIN (pz0, pz1)
               && lz <= MAX (pz0, pz1))
        {
          return TRUE;
        }
    }

  return FALSE;
}

ReelPlanHit
reel_set_plan_hit (const ReelSet        *set,
                   const ReelPlanCamera *cameras,
                   guint                 n_cameras,
                   double                scale,
                   double                origin_x,
                   double                origin_y,
                   double                px,
                   double                py)
{
  Plan plan = { scale, origin_x, origin_y };
  ReelPlanHit hit = { REEL_PLAN_HIT_NONE, 0, 0 };
  double x, z;

  g_return_val_if_fail (set != NULL, hit);

  /* Marks are drawn last: they are on top. The disc is 7 px; a little more to grab. */
  for (guint i = set->marks->len; i > 0; i--)
    {
      const ReelSetMark *mark = &g_array_index (set->marks, ReelSetMark, i - 1);
      double mx, my;

      to_px (&plan, mark->x, mark->z, &mx, &my);
      if (hypot (px - mx, py - my) <= 9)
        return (ReelPlanHit) { REEL_PLAN_HIT_MARK, i - 1, 0 };
    }

  for (guint i = n_cameras; i > 0; i--)
    {
      const ReelCameraPose *pose = &cameras[i - 1].camera->start;
      double cx, cy;

      to_px (&plan, pose->x, pose->z, &cx, &cy);
      if (hypot (px - cx, py - cy) <= 11)
        return (ReelPlanHit) { REEL_PLAN_HIT_CAMERA, i - 1, 0 };
    }
  for (guint i = n_cameras; i > 0; i--)
    {
      const ReelCameraPose *pose = &cameras[i - 1].camera->start;
      double tx, tz, cx, cy;

      reel_set_plan_camera_tip (pose, scale, &tx, &tz);
      to_px (&plan, tx, tz, &cx, &cy);
      if (hypot (px - cx, py - cy) <= 10)
        return (ReelPlanHit) { REEL_PLAN_HIT_CAMERA_TIP, i - 1, 0 };
    }

  for (guint i = n_cameras; i > 0; i--)
    {
      const ReelShotCamera *camera = cameras[i - 1].camera;
      double cx, cy;

      to_px (&plan, camera->end.x, camera->end.z, &cx, &cy);
      if (camera->moves && hypot (px - cx, py - cy) <= 9)
        return (ReelPlanHit) { REEL_PLAN_HIT_CAMERA_END, i - 1, 0 };
    }

  x = (px - origin_x) / MAX (scale, 1e-9);
  z = (py - origin_y) / MAX (scale, 1e-9);

  /* Walls are drawn over the props. Within half the thickness and a few pixels of the
   * wall's line; an opening where the point falls within its span. */
  for (guint i = set->walls->len; i > 0; i--)
    {
      const ReelSetWall *wall = &g_array_index (set->walls, ReelSetWall, i - 1);
      double length = hypot (wall->x2 - wall->x1, wall->z2 - wall->z1);
      double ux, uz, along, across;

      if (length < 1e-6)
        continue;
      ux = (wall->x2 - wall->x1) / length;
      uz = (wall->z2 - wall->z1) / length;
      along = (x - wall->x1) * ux + (z - wall->z1) * uz;
      across = fabs (-(x - wall->x1) * uz + (z - wall->z1) * ux);
      if (along < -4 / scale || along > length + 4 / scale
          || across > wall->thickness / 2 + 5 / scale)
        continue;
      for (guint j = wall->openings->len; j > 0; j--)
        {
          const ReelSetOpening *o = &g_array_index (wall->openings, ReelSetOpening, j - 1);

          if (along >= o->offset && along <= o->offset + o->width)
            return (ReelPlanHit) { REEL_PLAN_HIT_OPENING, i - 1, j - 1 };
        }
      return (ReelPlanHit) { REEL_PLAN_HIT_WALL, i - 1, 0 };
    }

  for (guint i = set->props->len; i > 0; i--)
    {
      const ReelSetProp *prop = &g_array_index (set->props, ReelSetProp, i - 1);

      if (!g_str_equal (prop->kind, "water") && prop_contains (prop, x, z))
        return (ReelPlanHit) { REEL_PLAN_HIT_PROP, i - 1, 0 };
    }

  return hit;
}

/**
 * reel_set_plan_render_png:
 *
 * Returns: (transfer full): the plan as a PNG
 */
GBytes *
reel_set_plan_render_png (const ReelSet        *set,
                          const ReelPlanCamera *cameras,
                          guint                 n_cameras,
                          double                sensor_width_mm,
                          int                   width,
                          int                   height,
                          int                   selected,
                          GError              **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  GByteArray *png = g_byte_array_new ();
  cairo_status_t status;

  width = CLAMP (width, 16, 8192);
  height = CLAMP (height, 16, 8192);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 0.97, 0.97, 0.96);
  cairo_paint (cr);
  reel_set_plan_draw (cr, set, cameras, n_cameras, sensor_width_mm, width, height, selected);
  cairo_destroy (cr);

  status = cairo_surface_write_to_png_stream (surface, append_bytes, png);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_byte_array_unref (png);
      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_RENDER,
                   _("Could not draw the plan of the set: %s"), cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (png);
}
