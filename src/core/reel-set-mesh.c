/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-set-mesh"

#include "config.h"

#include <math.h>

#include "reel-set-mesh.h"

#define CYLINDER_SEGMENTS 16
#define GROUND_SIZE 4000.0
#define GROUND_DROP 1.2      /* the land beyond an exterior's floor lies this much lower */

typedef struct
{
  double x, y, z;
} Point;

/* Where an object stands: local x/z turned by @rotation (clockwise from above) and
 * moved to (@x, @y, @z). */
typedef struct
{
  double x, y, z;
  double cos_r, sin_r;
} Placement;

static Placement
placement (double x,
           double y,
           double z,
           double rotation_deg)
{
  Placement p = { x, y, z, cos (rotation_deg * G_PI / 180), sin (rotation_deg * G_PI / 180) };

  return p;
}

static Point
place (const Placement *p,
       double           lx,
       double           ly,
       double           lz)
{
  Point result = {
    p->x + lx * p->cos_r - lz * p->sin_r,
    p->y + ly,
    p->z + lx * p->sin_r + lz * p->cos_r,
  };

  return result;
}

static Point
place_direction (const Placement *p,
                 double           lx,
                 double           ly,
                 double           lz)
{
  Point result = { lx * p->cos_r - lz * p->sin_r, ly, lx * p->sin_r + lz * p->cos_r };

  return result;
}

/* A flat convex polygon; its winding is made counter-clockwise seen from outside. */
static void
add_face (ReelSetMesh *mesh,
          const Point *points,
          guint        n_points,
          Point        normal,
          float        shade)
{
  guint first = mesh->positions->len / 3;
  double cx = (points[1].y - points[0].y) * (points[2].z - points[0].z)
              - (points[1].z - points[0].z) * (points[2].y - points[0].y);
  double cy = (points[1].z - points[0].z) * (points[2].x - points[0].x)
              - (points[1].x - points[0].x) * (points[2].z - points[0].z);
  double cz = (points[1].x - points[0].x) * (points[2].y - points[0].y)
              - (points[1].y - points[0].y) * (points[2].x - points[0].x);
  gboolean reverse = cx * normal.x + cy * normal.y + cz * normal.z < 0;
  guint face = mesh->n_faces++;

  for (guint i = 0; i < n_points; i++)
    {
      const Point *v = &points[reverse ? n_points - 1 - i : i];
      float position[3] = { v->x, v->y, v->z };
      float n[3] = { normal.x, normal.y, normal.z };

      g_array_append_vals (mesh->positions, position, 3);
      g_array_append_vals (mesh->normals, n, 3);
    }

  for (guint i = 1; i + 1 < n_points; i++)
    {
      guint32 triangle[3] = { first, first + i, first + i + 1 };

      g_array_append_vals (mesh->indices, triangle, 3);
      g_array_append_val (mesh->triangle_face, face);
    }

  g_array_append_val (mesh->face_shade, shade);
}

/* A box from (x0, y0, z0) to (x1, y1, z1) in local coordinates. */
static void
add_box (ReelSetMesh     *mesh,
         const Placement *p,
         double x0, double y0, double z0,
         double x1, double y1, double z1,
         float            shade)
{
  Point c[8];
  static const guint faces[6][4] = {
    { 0, 1, 3, 2 },   /* −X */
    { 4, 6, 7, 5 },   /* +X */
    { 0, 4, 5, 1 },   /* −Y */
    { 2, 3, 7, 6 },   /* +Y */
    { 0, 2, 6, 4 },   /* −Z */
    { 1, 5, 7, 3 },   /* +Z */
  };
  static const double normals[6][3] = {
    { -1, 0, 0 }, { 1, 0, 0 }, { 0, -1, 0 }, { 0, 1, 0 }, { 0, 0, -1 }, { 0, 0, 1 },
  };

  for (guint i = 0; i < 8; i++)
    c[i] = place (p, i & 4 ? x1 : x0, i & 2 ? y1 : y0, i & 1 ? z1 : z0);

  for (guint f = 0; f < 6; f++)
    {
      Point quad[4] = { c[faces[f][0]], c[faces[f][1]], c[faces[f][2]], c[faces[f][3]] };

      add_face (mesh, quad, 4,
                place_direction (p, normals[f][0], normals[f][1], normals[f][2]), shade);
    }
}

/* An upright cylinder (elliptic when @rx != @rz) centred on (cx, cz), from y0 to y1. */
static void
add_cylinder (ReelSetMesh     *mesh,
              const Placement *p,
              double cx, double cz,
              double rx, double rz,
              double y0, double y1,
              float            shade)
{
  Point top[CYLINDER_SEGMENTS];
  Point bottom[CYLINDER_SEGMENTS];

  for (guint i = 0; i < CYLINDER_SEGMENTS; i++)
    {
      double a = 2 * G_PI * i / CYLINDER_SEGMENTS;

      top[i] = place (p, cx + rx * cos (a), y1, cz + rz * sin (a));
      bottom[i] = place (p, cx + rx * cos (a), y0, cz + rz * sin (a));
    }

  for (guint i = 0; i < CYLINDER_SEGMENTS; i++)
    {
      guint j = (i + 1) % CYLINDER_SEGMENTS;
      double a = 2 * G_PI * (i + 0.5) / CYLINDER_SEGMENTS;
      /* The outward normal of an ellipse's side at angle a. */
      double nx = cos (a) / MAX (rx, 1e-6), nz = sin (a) / MAX (rz, 1e-6);
      double length = hypot (nx, nz);
      Point quad[4] = { bottom[i], bottom[j], top[j], top[i] };

      add_face (mesh, quad, 4, place_direction (p, nx / length, 0, nz / length), shade);
    }

  add_face (mesh, top, CYLINDER_SEGMENTS, (Point) { 0, 1, 0 }, shade);
  add_face (mesh, bottom, CYLINDER_SEGMENTS, (Point) { 0, -1, 0 }, shade);
}

static void
begin_object (ReelSetMesh       *mesh,
              ReelSetObjectKind  kind,
              int                index,
              char              *name)
{
  ReelSetMeshObject object = { kind, index, name, mesh->triangle_face->len, 0, FALSE };

  g_array_append_val (mesh->objects, object);
}

static void
end_object (ReelSetMesh *mesh)
{
  ReelSetMeshObject *object = &g_array_index (mesh->objects, ReelSetMeshObject,
                                              mesh->objects->len - 1);

  object->n_triangles = mesh->triangle_face->len - object->first_triangle;
}

static int
compare_openings (gconstpointer a,
                  gconstpointer b)
{
  double oa = ((const ReelSetOpening *) a)->offset;
  double ob = ((const ReelSetOpening *) b)->offset;

  return oa < ob ? -1 : oa > ob;
}

static void
add_wall (ReelSetMesh       *mesh,
          const ReelSetWall *wall)
{
  double dx = wall->x2 - wall->x1, dz = wall->z2 - wall->z1;
  double length = hypot (dx, dz);
  Placement p = placement ((wall->x1 + wall->x2) / 2, 0, (wall->z1 + wall->z2) / 2,
                           atan2 (dz, dx) * 180 / G_PI);
  double half = length / 2, t = wall->thickness / 2, h = wall->height;
  g_autoptr(GArray) openings = g_array_copy (wall->openings);
  double cursor = 0;
  const float shade = 0.78f;

  g_array_sort (openings, compare_openings);

  for (guint i = 0; i < openings->len; i++)
    {
      const ReelSetOpening *o = &g_array_index (openings, ReelSetOpening, i);
      double start = CLAMP (o->offset, 0, length);
      double end = CLAMP (o->offset + o->width, 0, length);

      if (start > cursor)
        add_box (mesh, &p, cursor - half, 0, -t, start - half, h, t, shade);
      start = MAX (start, cursor);
      if (end > start)
        {
          if (o->sill > 0)
            add_box (mesh, &p, start - half, 0, -t, end - half, MIN (o->sill, h), t, shade);
          if (o->sill + o->height < h)
            add_box (mesh, &p, start - half, o->sill + o->height, -t, end - half, h, t, shade);
        }
      cursor = MAX (cursor, end);
    }

  if (cursor < length)
    add_box (mesh, &p, cursor - half, 0, -t, half, h, t, shade);
}

static void
add_prop (ReelSetMesh       *mesh,
          const ReelSetProp *prop)
{
  const ReelSetPreset *preset = reel_set_lookup_preset (prop->kind);
  Placement p = placement (prop->x, prop->elevation, prop->z, prop->rotation);

  if (preset == NULL)
    preset = reel_set_lookup_preset ("box");

  for (guint i = 0; i < preset->n_parts; i++)
    {
      const ReelSetPart *part = &preset->parts[i];
      double x0 = part->x0 * prop->width, x1 = part->x1 * prop->width;
      double y0 = part->y0 * prop->height, y1 = part->y1 * prop->height;
      double z0 = part->z0 * prop->depth, z1 = part->z1 * prop->depth;

      if (part->shape == REEL_SET_SHAPE_CYLINDER)
        add_cylinder (mesh, &p, (x0 + x1) / 2, (z0 + z1) / 2, (x1 - x0) / 2, (z1 - z0) / 2,
                      y0, y1, part->shade);
      else
        add_box (mesh, &p, x0, y0, z0, x1, y1, z1, part->shade);
    }
}

static void
add_figure (ReelSetMesh       *mesh,
            const ReelSetMark *mark)
{
  Placement p = placement (mark->x, 0, mark->z, mark->facing);
  double eye = mark->eye_height;
  double scale = eye / 1.6;

  add_cylinder (mesh, &p, 0, 0, 0.2 * scale, 0.13 * scale, 0, eye - 0.2 * scale, 0.86f);
  add_cylinder (mesh, &p, 0, 0, 0.095 * scale, 0.11 * scale, eye - 0.2 * scale,
                eye + 0.12 * scale, 0.9f);
  /* A nose, so the figure shows where it faces. */
  add_box (mesh, &p, -0.025 * scale, eye - 0.06 * scale, -0.15 * scale, 0.025 * scale, eye,
           -0.09 * scale, 0.9f);
}

/* Public */

/**
 * reel_set_mesh_new:
 *
 * Returns: (transfer full): the set's triangles
 */
ReelSetMesh *
reel_set_mesh_new (const ReelSet *set,
                   gboolean       with_marks)
{
  ReelSetMesh *mesh = g_new0 (ReelSetMesh, 1);
  Placement origin = placement (0, 0, 0, 0);
  double fw, fd;

  g_return_val_if_fail (set != NULL, mesh);

  mesh->positions = g_array_new (FALSE, FALSE, sizeof (float));
  mesh->normals = g_array_new (FALSE, FALSE, sizeof (float));
  mesh->indices = g_array_new (FALSE, FALSE, sizeof (guint32));
  mesh->triangle_face = g_array_new (FALSE, FALSE, sizeof (guint32));
  mesh->face_shade = g_array_new (FALSE, FALSE, sizeof (float));
  mesh->objects = g_array_new (FALSE, FALSE, sizeof (ReelSetMeshObject));

  fw = set->floor_width / 2;
  fd = set->floor_depth / 2;
  if (set->exterior)
    {
      begin_object (mesh, REEL_SET_OBJECT_GROUND, -1, g_strdup ("Ground"));
      add_box (mesh, &origin, -GROUND_SIZE / 2, -GROUND_DROP - 0.1, -GROUND_SIZE / 2,
               GROUND_SIZE / 2, -GROUND_DROP, GROUND_SIZE / 2, 0.5f);
      end_object (mesh);
    }
  else
    {
      /* The studio floor beyond an interior's own, darker: a view out of a window or
       * through the open fourth wall has ground under its horizon, not more sky. */
      begin_object (mesh, REEL_SET_OBJECT_GROUND, -1, g_strdup ("Ground"));
      add_box (mesh, &origin, -GROUND_SIZE / 2, -0.12, -GROUND_SIZE / 2, GROUND_SIZE / 2, -0.1,
               GROUND_SIZE / 2, 0.34f);
      end_object (mesh);
    }
  /* An interior's floor is darker than its walls and its ceiling lighter, so that any
   * view of a room tells the three apart. */
  begin_object (mesh, REEL_SET_OBJECT_FLOOR, -1, g_strdup ("Floor"));
  add_box (mesh, &origin, -fw, set->exterior ? -GROUND_DROP : -0.1, -fd, fw, 0, fd,
           set->exterior ? 0.66f : 0.3f);
  end_object (mesh);

  if (!set->exterior && set->walls->len > 0)
    {
      double top = 0;

      for (guint i = 0; i < set->walls->len; i++)
        top = MAX (top, g_array_index (set->walls, ReelSetWall, i).height);
      begin_object (mesh, REEL_SET_OBJECT_CEILING, -1, g_strdup ("Ceiling"));
      add_box (mesh, &origin, -fw, top, -fd, fw, top + 0.1, fd, 1.0f);
      end_object (mesh);
    }

  for (guint i = 0; i < set->walls->len; i++)
    {
      begin_object (mesh, REEL_SET_OBJECT_WALL, i, g_strdup_printf ("Wall %u", i + 1));
      add_wall (mesh, &g_array_index (set->walls, ReelSetWall, i));
      end_object (mesh);
    }

  for (guint i = 0; i < set->props->len; i++)
    {
      const ReelSetProp *prop = &g_array_index (set->props, ReelSetProp, i);

      begin_object (mesh, REEL_SET_OBJECT_PROP, i,
                    prop->name != NULL && *prop->name != '\0'
                      ? g_strdup (prop->name)
                      : g_strdup_printf ("%s %u", prop->kind, i + 1));
      g_array_index (mesh->objects, ReelSetMeshObject, mesh->objects->len - 1).water =
        g_strcmp0 (prop->kind, "water") == 0;
      add_prop (mesh, prop);
      end_object (mesh);
    }

  if (with_marks)
    for (guint i = 0; i < set->marks->len; i++)
      {
        const ReelSetMark *mark = &g_array_index (set->marks, ReelSetMark, i);

        begin_object (mesh, REEL_SET_OBJECT_MARK, i, g_strdup (mark->name));
        add_figure (mesh, mark);
        end_object (mesh);
      }

  return mesh;
}

void
reel_set_mesh_free (ReelSetMesh *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < self->objects->len; i++)
    g_free (g_array_index (self->objects, ReelSetMeshObject, i).name);
  g_array_unref (self->positions);
  g_array_unref (self->normals);
  g_array_unref (self->indices);
  g_array_unref (self->triangle_face);
  g_array_unref (self->face_shade);
  g_array_unref (self->objects);
  g_free (self);
}

guint
reel_set_mesh_get_n_triangles (const ReelSetMesh *self)
{
  return self->triangle_face->len;
}

guint
reel_set_mesh_get_n_vertices (const ReelSetMesh *self)
{
  return self->positions->len / 3;
}

void
reel_set_mesh_object_get_vertices (const ReelSetMesh       *self,
                                   const ReelSetMeshObject *object,
                                   guint                   *first_vertex,
                                   guint                   *n_vertices)
{
  const guint32 *indices = (const guint32 *) self->indices->data;
  guint32 lo = G_MAXUINT32, hi = 0;

  for (guint t = object->first_triangle; t < object->first_triangle + object->n_triangles; t++)
    for (guint k = 0; k < 3; k++)
      {
        lo = MIN (lo, indices[3 * t + k]);
        hi = MAX (hi, indices[3 * t + k]);
      }

  *first_vertex = object->n_triangles > 0 ? lo : 0;
  *n_vertices = object->n_triangles > 0 ? hi - lo + 1 : 0;
}
