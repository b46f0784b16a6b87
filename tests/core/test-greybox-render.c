/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <string.h>

#include "core/reel-greybox-render.h"

/* The gray-box renderer against a pinhole camera written out here, independently of
 * reel-shot-camera.c: a box's corners land where the pinhole puts them, the depth map
 * holds the distance along the view axis, and two cameras see one prop where geometry
 * says. */

#define WIDTH 640
#define HEIGHT 360
#define SENSOR_WIDTH 24.89   /* Super 35 */

typedef struct
{
  double eye[3];
  double right[3];
  double up[3];
  double forward[3];
  double focal_px;
} Pinhole;

/* The documented camera: pan clockwise from above with 0 looking down −Z, tilt up
 * positive, roll turning the camera counter-clockwise seen from behind; the frame's
 * width spans the sensor's width. */
static Pinhole
pinhole_for (const ReelCameraPose *pose)
{
  double pan = pose->pan * G_PI / 180, tilt = pose->tilt * G_PI / 180;
  double roll = pose->roll * G_PI / 180;
  double f[3] = { sin (pan) * cos (tilt), sin (tilt), -cos (pan) * cos (tilt) };
  /* Level right vector: forward × world up, normalised. */
  double r[3] = { -f[2], 0, f[0] };
  double length = sqrt (r[0] * r[0] + r[2] * r[2]);
  double u[3];
  Pinhole p;

  r[0] /= length;
  r[2] /= length;
  /* up = right × forward */
  u[0] = r[1] * f[2] - r[2] * f[1];
  u[1] = r[2] * f[0] - r[0] * f[2];
  u[2] = r[0] * f[1] - r[1] * f[0];

  for (int k = 0; k < 3; k++)
    {
      p.right[k] = r[k] * cos (roll) + u[k] * sin (roll);
      p.up[k] = u[k] * cos (roll) - r[k] * sin (roll);
      p.forward[k] = f[k];
    }
  p.eye[0] = pose->x;
  p.eye[1] = pose->height;
  p.eye[2] = pose->z;
  p.focal_px = WIDTH * pose->lens_mm / SENSOR_WIDTH;
  return p;
}

static void
pinhole_project (const Pinhole *p,
                 const double   point[3],
                 double        *sx,
                 double        *sy,
                 double        *depth)
{
  double d[3] = { point[0] - p->eye[0], point[1] - p->eye[1], point[2] - p->eye[2] };
  double x = d[0] * p->right[0] + d[1] * p->right[1] + d[2] * p->right[2];
  double y = d[0] * p->up[0] + d[1] * p->up[1] + d[2] * p->up[2];
  double z = d[0] * p->forward[0] + d[1] * p->forward[1] + d[2] * p->forward[2];

  *depth = z;
  *sx = WIDTH / 2.0 + p->focal_px * x / z;
  *sy = HEIGHT / 2.0 - p->focal_px * y / z;
}

/* An empty stage with one box, @rotation degrees, at (x, z), 1 × 1.2 × 0.8 m. */
static ReelSet *
stage_with_box (double x,
                double z,
                double rotation)
{
  ReelSet *set = reel_set_new ();
  guint index = reel_set_add_prop (set, "box", x, z, rotation);
  ReelSetProp *prop = &g_array_index (set->props, ReelSetProp, index);

  prop->width = 1.0;
  prop->depth = 0.8;
  prop->height = 1.2;
  prop->elevation = 0.3;
  return set;
}

/* The box's corners in the world, from its plan position and turn. */
static void
box_corners (const ReelSetProp *prop,
             double             corners[8][3])
{
  double r = prop->rotation * G_PI / 180;

  for (int i = 0; i < 8; i++)
    {
      double lx = (i & 1 ? 0.5 : -0.5) * prop->width;
      double lz = (i & 2 ? 0.5 : -0.5) * prop->depth;

      /* Clockwise seen from above: local −Z (ahead) turns towards +X. */
      corners[i][0] = prop->x + lx * cos (r) - lz * sin (r);
      corners[i][1] = prop->elevation + (i & 4 ? prop->height : 0);
      corners[i][2] = prop->z + lx * sin (r) + lz * cos (r);
    }
}

static guint32
object_of_prop (const ReelSetMesh *mesh,
                guint              prop)
{
  for (guint i = 0; i < mesh->objects->len; i++)
    {
      const ReelSetMeshObject *object = &g_array_index (mesh->objects, ReelSetMeshObject, i);

      if (object->kind == REEL_SET_OBJECT_PROP && object->index == (int) prop)
        return i + 1;
    }
  g_assert_not_reached ();
}

/* The box's silhouette in the picture against the pinhole's projection of its corners:
 * a box's outline is the hull of its corners, so the extreme pixels must agree. */
static void
check_box_in_view (const ReelSet        *set,
                   const ReelCameraPose *pose)
{
  g_autoptr(ReelSetMesh) mesh = reel_set_mesh_new (set, FALSE);
  ReelGreyboxOptions options = { "day", SENSOR_WIDTH, 0 };
  g_autoptr(ReelGreyboxImage) image = reel_greybox_render (mesh, pose, WIDTH, HEIGHT, &options);
  const ReelSetProp *prop = &g_array_index (set->props, ReelSetProp, 0);
  guint32 object = object_of_prop (mesh, 0);
  Pinhole pinhole = pinhole_for (pose);
  double corners[8][3];
  double min_x = G_MAXDOUBLE, max_x = -G_MAXDOUBLE, min_y = G_MAXDOUBLE, max_y = -G_MAXDOUBLE;
  int seen_min_x = WIDTH, seen_max_x = -1, seen_min_y = HEIGHT, seen_max_y = -1;
  double near_depth = G_MAXDOUBLE;
  int near = -1;

  box_corners (prop, corners);
  for (int i = 0; i < 8; i++)
    {
      double sx, sy, depth;

      pinhole_project (&pinhole, corners[i], &sx, &sy, &depth);
      g_assert_cmpfloat (depth, >, 0.1);
      g_assert_cmpfloat (sx, >, 2);
      g_assert_cmpfloat (sx, <, WIDTH - 2);
      g_assert_cmpfloat (sy, >, 2);
      g_assert_cmpfloat (sy, <, HEIGHT - 2);
      min_x = MIN (min_x, sx);
      max_x = MAX (max_x, sx);
      min_y = MIN (min_y, sy);
      max_y = MAX (max_y, sy);
      if (depth < near_depth)
        {
          near_depth = depth;
          near = i;
        }
    }

  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH; x++)
      if (image->objects[y * WIDTH + x] == object)
        {
          seen_min_x = MIN (seen_min_x, x);
          seen_max_x = MAX (seen_max_x, x);
          seen_min_y = MIN (seen_min_y, y);
          seen_max_y = MAX (seen_max_y, y);
        }

  g_test_message ("corners %.1f–%.1f × %.1f–%.1f, drawn %d–%d × %d–%d", min_x, max_x, min_y,
                  max_y, seen_min_x, seen_max_x, seen_min_y, seen_max_y);
  /* Pixel x covers [x, x + 1): the extreme corner lies in the extreme pixel, ±1. */
  g_assert_cmpfloat (fabs (seen_min_x - floor (min_x)), <=, 1);
  g_assert_cmpfloat (fabs (seen_max_x - floor (max_x)), <=, 1);
  g_assert_cmpfloat (fabs (seen_min_y - floor (min_y)), <=, 1);
  g_assert_cmpfloat (fabs (seen_max_y - floor (max_y)), <=, 1);

  /* Depth: the centre of the face that looks most towards the camera. */
  {
    static const double faces[6][3] = {
      { 1, 0, 0 }, { -1, 0, 0 }, { 0, 1, 0 }, { 0, -1, 0 }, { 0, 0, 1 }, { 0, 0, -1 },
    };
    double r = prop->rotation * G_PI / 180;
    double best = 0;
    double point[3] = { 0, 0, 0 };
    double sx, sy, depth;
    int px, py;
    float drawn;

    for (int f = 0; f < 6; f++)
      {
        double lx = faces[f][0] * prop->width / 2, lz = faces[f][2] * prop->depth / 2;
        double n[3] = { faces[f][0] * cos (r) - faces[f][2] * sin (r), faces[f][1],
                        faces[f][0] * sin (r) + faces[f][2] * cos (r) };
        double c[3] = { prop->x + lx * cos (r) - lz * sin (r),
                        prop->elevation + prop->height / 2 * (1 + faces[f][1]),
                        prop->z + lx * sin (r) + lz * cos (r) };
        double v[3] = { c[0] - pinhole.eye[0], c[1] - pinhole.eye[1], c[2] - pinhole.eye[2] };
        double facing = (n[0] * v[0] + n[1] * v[1] + n[2] * v[2])
                        / sqrt (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);

        if (facing < best)
          {
            best = facing;
            memcpy (point, c, sizeof point);
          }
      }
    g_assert_cmpfloat (best, <, -0.2);

    pinhole_project (&pinhole, point, &sx, &sy, &depth);
    px = (int) floor (sx);
    py = (int) floor (sy);
    g_assert_cmpuint (image->objects[py * WIDTH + px], ==, object);
    drawn = image->depth[py * WIDTH + px];
    g_test_message ("depth at (%d, %d): drawn %.4f, expected %.4f", px, py, drawn, depth);
    g_assert_cmpfloat (fabs (drawn - depth) / depth, <=, 0.01);
    g_assert_cmpfloat (fabs (reel_greybox_image_get_depth16 (image, px, py)
                             - depth * REEL_GREYBOX_DEPTH_UNITS_PER_METRE),
                       <=, 0.01 * depth * REEL_GREYBOX_DEPTH_UNITS_PER_METRE + 1);
  }
  (void) near;
  (void) near_depth;
}

static void
test_projection (void)
{
  /* Cameras aimed near the box (pan and tilt then nudged off-centre), several lenses,
   * heights and rolls; the box turned. */
  static const struct
  {
    double box_x, box_z, box_rotation;
    ReelCameraPose pose;   /* pan and tilt: offsets from looking at the box's centre */
  } cases[] = {
    { 0, -5, 0, { 0, 0, 1.6, 0, 0, 0, 35 } },
    { 0, -9, 30, { 0.5, 0, 1.6, 3, -2, 0, 50 } },
    { 2, -10, -20, { -1, 1, 2.5, -1, 1, 0, 85 } },
    { -3, 2, 45, { 2, 6, 1.2, 8, 2, 0, 22 } },
    { 4, 4, 10, { 0, 0, 3.0, -3, -2, 8, 35 } },
    { 0, -4, 0, { 0.3, 0, 0.4, 4, 2, -12, 28 } },
    { 1, -16, 70, { -2, 0, 4.0, 1, 0.3, 0, 120 } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ReelSet) set = stage_with_box (cases[i].box_x, cases[i].box_z,
                                               cases[i].box_rotation);
      ReelCameraPose pose = cases[i].pose;

      reel_camera_pose_look_at (&pose, cases[i].box_x, 0.9, cases[i].box_z);
      pose.pan += cases[i].pose.pan;
      pose.tilt += cases[i].pose.tilt;
      g_test_message ("camera %u: %g mm, pan %.1f, tilt %.1f, roll %g", i, pose.lens_mm,
                      pose.pan, pose.tilt, pose.roll);
      check_box_in_view (set, &pose);
    }
}

static void
test_same_prop_two_cameras (void)
{
  /* One room, a table among other things; two cameras on either side of it see the
   * same table where each pinhole puts it, and the core projection agrees. */
  g_autoptr(ReelSet) set = stage_with_box (0.5, -1, 25);
  ReelCameraPose a = { -1, 4, 1.7, 10, -8, 0, 35 };
  ReelCameraPose b = { 4, -3, 1.4, 0, 0, 0, 28 };
  const ReelSetProp *prop;
  double corners[8][3];

  reel_set_add_prop (set, "chair", -3, -6, 0);
  reel_set_add_prop (set, "lamp_post", 6, 6, 0);
  /* After the additions: adding may move the array. */
  prop = &g_array_index (set->props, ReelSetProp, 0);
  reel_camera_pose_look_at (&a, 0.5, 0.9, -1);
  reel_camera_pose_look_at (&b, 0.5, 0.9, -1);
  a.pan += 4;
  b.tilt -= 2;
  check_box_in_view (set, &a);
  check_box_in_view (set, &b);

  box_corners (prop, corners);
  for (int i = 0; i < 8; i++)
    {
      graphene_point3d_t point = GRAPHENE_POINT3D_INIT (corners[i][0], corners[i][1],
                                                        corners[i][2]);
      Pinhole pinhole = pinhole_for (&b);
      double sx, sy, depth, cx, cy, cdepth;

      pinhole_project (&pinhole, corners[i], &sx, &sy, &depth);
      g_assert_true (reel_camera_pose_project (&b, SENSOR_WIDTH, WIDTH, HEIGHT, &point, &cx, &cy,
                                               &cdepth));
      g_assert_cmpfloat_with_epsilon (cx, sx, 1e-3);
      g_assert_cmpfloat_with_epsilon (cy, sy, 1e-3);
      g_assert_cmpfloat_with_epsilon (cdepth, depth, 1e-5);
    }
}

static void
test_sky_and_depth_png (void)
{
  g_autoptr(ReelSet) set = reel_set_new_from_template ("street");
  g_autoptr(ReelSetMesh) mesh = reel_set_mesh_new (set, TRUE);
  ReelCameraPose up = { 0, 0, 1.6, 0, 60, 0, 35 };
  ReelGreyboxOptions day = { "day", 0, 0 };
  ReelGreyboxOptions night = { "night", 0, 0 };
  g_autoptr(ReelGreyboxImage) a = reel_greybox_render (mesh, &up, 64, 36, &day);
  g_autoptr(ReelGreyboxImage) b = reel_greybox_render (mesh, &up, 64, 36, &night);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) depth_png = NULL;
  g_autoptr(GBytes) lines_png = NULL;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("png", NULL);
  guint32 top_day = a->rgb[0], top_night = b->rgb[0];

  /* Looking up: sky at the top, darker at night, and nothing there in the depth map. */
  g_assert_cmpuint (a->objects[0], ==, 0);
  g_assert_cmpuint (reel_greybox_image_get_depth16 (a, 0, 0), ==, REEL_GREYBOX_DEPTH_NONE);
  g_assert_cmpuint ((top_day & 0xff) + ((top_day >> 8) & 0xff), >,
                    (top_night & 0xff) + ((top_night >> 8) & 0xff) + 100);

  /* The 16-bit depth map is a PNG gdk-pixbuf reads (it decodes to 8 bits). */
  depth_png = reel_greybox_image_depth_to_png (a, &error);
  g_assert_no_error (error);
  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, depth_png, &error));
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (gdk_pixbuf_loader_get_pixbuf (loader)), ==, 64);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (depth_png, NULL))[24], ==, 16);

  lines_png = reel_greybox_image_line_art_to_png (a, &error);
  g_assert_no_error (error);
  g_assert_nonnull (lines_png);
}


static ReelSetObjectKind
kind_at (const ReelSetMesh      *mesh,
         const ReelGreyboxImage *image,
         int                     x,
         int                     y)
{
  guint32 object = image->objects[(gsize) y * image->width + x];

  g_assert_cmpuint (object, >, 0);
  return g_array_index (mesh->objects, ReelSetMeshObject, object - 1).kind;
}

static double
grey_at (const ReelGreyboxImage *image,
         int                     x,
         int                     y)
{
  guint32 rgb = image->rgb[(gsize) y * image->width + x];

  return (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 3.0;
}

/* A room reads as a room: from inside, the ceiling is above, the floor below and a wall
 * ahead, each its own shade; out of its window the ground lies under the horizon. */
static void
test_room_reads_as_room (void)
{
  g_autoptr(ReelSet) set = reel_set_new_from_template ("room");
  ReelSetMesh *mesh;
  ReelCameraPose inside = { 0, 1.5, 1.5, 0, 0, 0, 14 };
  ReelCameraPose window = { 1, 0, 1.5, 90, -8, 0, 35 };
  ReelGreyboxOptions options = { "day", 0, 0 };
  ReelGreyboxImage *image;
  double ceiling, wall, floor;

  /* Bare: the table and the sofa would stand in the middle of the view. */
  g_array_set_size (set->props, 0);
  mesh = reel_set_mesh_new (set, FALSE);
  image = reel_greybox_render (mesh, &inside, 320, 180, &options);
  g_assert_cmpint (kind_at (mesh, image, 160, 2), ==, REEL_SET_OBJECT_CEILING);
  g_assert_cmpint (kind_at (mesh, image, 4, 90), ==, REEL_SET_OBJECT_WALL);
  g_assert_cmpint (kind_at (mesh, image, 160, 177), ==, REEL_SET_OBJECT_FLOOR);
  ceiling = grey_at (image, 160, 2);
  wall = grey_at (image, 4, 90);
  floor = grey_at (image, 160, 177);
  g_assert_cmpfloat (fabs (ceiling - wall), >, 12);
  g_assert_cmpfloat (fabs (floor - wall), >, 12);
  g_assert_cmpfloat (fabs (floor - ceiling), >, 12);
  reel_greybox_image_free (image);

  /* Towards the window in the right wall (from 1.5 m to 3.1 m along it, 0.9 m to 2.2 m
   * high), looking a little down: sky above the horizon, ground below it. */
  image = reel_greybox_render (mesh, &window, 320, 180, &options);
  g_assert_cmpuint (image->objects[(gsize) 10 * 320 + 160], ==, 0);
  g_assert_cmpint (kind_at (mesh, image, 160, 60), ==, REEL_SET_OBJECT_GROUND);
  reel_greybox_image_free (image);
  reel_set_mesh_free (mesh);
}

/* A harbour reads as a harbour: seen from its quay, the water beyond has a colour of its
 * own (the sky it mirrors, darker), not the grey of the quay, at dawn, by day and at
 * night. */
static void
test_water_reads_as_water (void)
{
  static const char * const times[] = { "dawn", "day", "night" };
  g_autoptr(ReelSet) set = reel_set_new_from_template ("waterfront");
  g_autoptr(ReelSetMesh) mesh = reel_set_mesh_new (set, FALSE);
  ReelCameraPose quay = { 0, -2, 1.7, 0, -12, 0, 24 };

  for (guint t = 0; t < G_N_ELEMENTS (times); t++)
    {
      ReelGreyboxOptions options = { times[t], 0, 0 };
      ReelGreyboxImage *image = reel_greybox_render (mesh, &quay, 320, 180, &options);
      double water[3] = { 0 }, ground[3] = { 0 };
      guint n_water = 0, n_ground = 0;

      for (gsize i = 0; i < (gsize) image->width * image->height; i++)
        {
          const ReelSetMeshObject *object;
          guint32 rgb = image->rgb[i];
          double c[3] = { (rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff };
          double *sum;

          if (image->objects[i] == 0)
            continue;
          object = &g_array_index (mesh->objects, ReelSetMeshObject, image->objects[i] - 1);
          if (object->kind == REEL_SET_OBJECT_PROP && object->water)
            {
              sum = water;
              n_water++;
            }
          else if (object->kind == REEL_SET_OBJECT_FLOOR)
            {
              sum = ground;
              n_ground++;
            }
          else
            {
              continue;
            }
          for (guint k = 0; k < 3; k++)
            sum[k] += c[k];
        }
      g_assert_cmpuint (n_water, >, 320 * 180 / 10);
      g_assert_cmpuint (n_ground, >, 320 * 180 / 10);
      for (guint k = 0; k < 3; k++)
        {
          water[k] /= n_water;
          ground[k] /= n_ground;
        }
      g_test_message ("%s: water %.0f %.0f %.0f, quay %.0f %.0f %.0f", times[t], water[0],
                      water[1], water[2], ground[0], ground[1], ground[2]);

      /* Not the quay's colour, by a margin an eye sees; by daylight bluer than the quay
       * (at night the moon turns everything blue, and the water is the dark part). */
      g_assert_cmpfloat (fabs (water[0] - ground[0]) + fabs (water[1] - ground[1])
                           + fabs (water[2] - ground[2]), >, 40);
      if (g_str_equal (times[t], "night"))
        g_assert_cmpfloat (water[0] + water[1] + water[2], <, ground[0] + ground[1] + ground[2]);
      else
        g_assert_cmpfloat ((water[2] - water[0]) - (ground[2] - ground[0]), >, 12);
      reel_greybox_image_free (image);
    }
}

/* Drawn in bands on several threads, the picture is the one drawn on one, pixel for
 * pixel (colour, depth, faces, objects), for cameras inside and outside a busy set, sizes
 * that do not divide into bands, and an image drawn into before from elsewhere. */
static void
test_threads_same_picture (void)
{
  static const char * const kinds[] = { "box", "chair", "table", "cylinder", "tree", "car",
                                        "lamp_post", "bench", "boat", "stairs" };
  static const struct { int width, height; } sizes[] = { { 320, 181 }, { 97, 7 }, { 16, 3 } };
  g_autoptr(ReelSet) set = reel_set_new_from_template ("waterfront");
  g_autoptr(GRand) rand = g_rand_new_with_seed (13);
  g_autoptr(ReelSetMesh) mesh = NULL;
  const ReelCameraPose poses[] = {
    { 0, 8, 1.7, 20, -3, 0, 28 },      /* over the quay, the props ahead */
    { -3, -6, 0.4, 200, 25, 10, 14 },  /* low among them, looking up, rolled */
    { 0, 30, 40, 0, -60, 0, 50 },      /* high above, looking down */
  };
  ReelGreyboxOptions options = { "dusk", 0, 40 };
  guint differences = 0;

  for (guint i = 0; i < 120; i++)
    reel_set_add_prop (set, kinds[i % G_N_ELEMENTS (kinds)], g_rand_double_range (rand, -20, 20),
                       g_rand_double_range (rand, -25, 5), g_rand_double_range (rand, 0, 360));
  reel_set_add_mark (set, "A", -1, -4, 90, 1.6);
  mesh = reel_set_mesh_new (set, TRUE);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint p = 0; p < G_N_ELEMENTS (poses); p++)
      {
        int width = sizes[s].width, height = sizes[s].height;
        gsize n = (gsize) width * height;
        g_autoptr(ReelGreyboxImage) one = reel_greybox_render (mesh, &poses[p], width, height,
                                                               &options);
        g_autoptr(ReelGreyboxImage) many = reel_greybox_image_new (width, height);

        /* Drawn into before, from another camera: nothing of it may stay. */
        reel_greybox_render_into_threads (many, mesh, &poses[(p + 1) % G_N_ELEMENTS (poses)],
                                          &options, 3);
        for (guint threads = 2; threads <= 5; threads++)
          {
            reel_greybox_render_into_threads (many, mesh, &poses[p], &options, threads);
            g_assert_cmpmem (many->rgb, n * 4, one->rgb, n * 4);
            g_assert_cmpmem (many->depth, n * 4, one->depth, n * 4);
            g_assert_cmpmem (many->faces, n * 4, one->faces, n * 4);
            g_assert_cmpmem (many->objects, n * 4, one->objects, n * 4);
          }
        reel_greybox_render_into_threads (many, mesh, &poses[p], &options, 0);
        g_assert_cmpmem (many->rgb, n * 4, one->rgb, n * 4);

        /* The cameras see different things: the comparison above compared something. */
        if (p > 0)
          {
            g_autoptr(ReelGreyboxImage) other = reel_greybox_render (mesh, &poses[p - 1], width,
                                                                     height, &options);

            differences += memcmp (other->rgb, one->rgb, n * 4) != 0;
          }
      }
  g_assert_cmpuint (differences, ==, 2 * G_N_ELEMENTS (sizes));
}

/* What a view shows of a render: the same pixels, opaque, at the same size; each pixel
 * the nearest of the render when enlarged or reduced; nothing written past a row. */
static void
test_copy_to (void)
{
  g_autoptr(ReelSet) set = reel_set_new_from_template ("street");
  g_autoptr(ReelSetMesh) mesh = reel_set_mesh_new (set, TRUE);
  ReelCameraPose pose = { 0, 6, 1.6, 10, -2, 0, 24 };
  ReelGreyboxOptions options = { "day", 0, 0 };
  g_autoptr(ReelGreyboxImage) image = reel_greybox_render (mesh, &pose, 64, 36, &options);
  const int stride = 130 * 4 + 12;   /* room for the largest copy, and a margin */
  g_autofree guint32 *pixels = g_new (guint32, (gsize) 72 * stride / 4);
  guint32 *row;

  /* Same size: every pixel, with an opaque alpha; the margin left alone. */
  memset (pixels, 0x5a, (gsize) 72 * stride);
  reel_greybox_image_copy_to (image, pixels, 64, 36, stride);
  for (int y = 0; y < 36; y++)
    {
      row = (guint32 *) ((guchar *) pixels + (gsize) y * stride);
      for (int x = 0; x < 64; x++)
        g_assert_cmphex (row[x], ==, image->rgb[y * 64 + x] | 0xff000000u);
      g_assert_cmphex (row[64], ==, 0x5a5a5a5a);
    }

  /* Twice the size: each pixel of the render as a block of two by two. */
  reel_greybox_image_copy_to (image, pixels, 128, 72, stride);
  for (int y = 0; y < 72; y++)
    {
      row = (guint32 *) ((guchar *) pixels + (gsize) y * stride);
      for (int x = 0; x < 128; x++)
        g_assert_cmphex (row[x], ==, image->rgb[(y / 2) * 64 + x / 2] | 0xff000000u);
      g_assert_cmphex (row[129], ==, 0x5a5a5a5a);
    }

  /* Half the size: one pixel of each block of two by two. */
  reel_greybox_image_copy_to (image, pixels, 32, 18, stride);
  for (int y = 0; y < 18; y++)
    {
      row = (guint32 *) ((guchar *) pixels + (gsize) y * stride);
      for (int x = 0; x < 32; x++)
        g_assert_cmphex (row[x], ==, image->rgb[(2 * y + 1) * 64 + 2 * x + 1] | 0xff000000u);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/greybox-render/projection", test_projection);
  g_test_add_func ("/greybox-render/same-prop-two-cameras", test_same_prop_two_cameras);
  g_test_add_func ("/greybox-render/sky-and-depth-png", test_sky_and_depth_png);
  g_test_add_func ("/greybox-render/room-reads-as-room", test_room_reads_as_room);
  g_test_add_func ("/greybox-render/water-reads-as-water", test_water_reads_as_water);
  g_test_add_func ("/greybox-render/threads-same-picture", test_threads_same_picture);
  g_test_add_func ("/greybox-render/copy-to", test_copy_to);

  return g_test_run ();
}
