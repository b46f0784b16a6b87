/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-greybox-render"

#include "config.h"

#include <cairo.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "reel-core-error.h"
#include "reel-greybox-render.h"

/* A scanline rasteriser: triangles are clipped against the near plane in camera space,
 * projected, and filled row by row with 1/depth interpolated linearly in screen space
 * (which is exact for a pinhole camera). The z-buffer keeps 1/depth, so "nearer" is
 * "larger" and an empty pixel is 0. Pixels first record which face they show; colour,
 * fog and sky are resolved afterwards in one pass, so each pixel is shaded once.
 *
 * The triangles are projected once; then the image is drawn in bands of rows, each band
 * on its own (on as many threads as asked): every band fills the triangles in the same
 * order and each pixel belongs to one band, so the picture is the same however it is
 * cut. */

#define NEAR_PLANE 0.05

typedef struct
{
  double r, g, b;
} Rgb;

typedef struct
{
  Rgb zenith;
  Rgb horizon;
  Rgb light;
  double sun_elevation;   /* degrees; < 0: no sun, light from the sky and lamps */
  double ambient;
} Palette;

typedef struct
{
  double x, y, d;         /* camera space: right, up, depth along the view axis */
} CamVertex;

typedef struct
{
  double sx, sy, iz;      /* pixel coordinates and 1/depth */
} ScreenVertex;

/* A projected triangle, ready to fill: its corners, 1/depth as a plane over the screen
 * (iz = pa·x + pb·y + pc) and the rows it covers. */
typedef struct
{
  ScreenVertex v[3];
  double pa, pb, pc;
  int y0, y1;
  guint32 face;
} ScreenTriangle;

typedef struct
{
  int width;
  int height;
  double focal;
  GArray *triangles;      /* of ScreenTriangle */
} Raster;

/* Everything a band needs, made once per frame and only read while the bands draw.
 * Shared with the helper threads by reference (g_atomic_rc_box): a helper that comes
 * late, when every band is drawn, finds none left and lets go of it. */
typedef struct
{
  ReelGreyboxImage *image;
  const ScreenTriangle *triangles;
  guint n_triangles;
  const float *face_rgb;
  const guint32 *face_object;
  Palette palette;
  double focal;
  double right[3], up[3], fwd[3], sun[3];
  int band_height;
  int n_bands;
  int next_band;          /* atomic: the next band a thread takes */
  int bands_left;         /* under @lock */
  GMutex lock;
  GCond done;
} Frame;

static Palette
palette_for (const char *time_of_day)
{
  if (g_strcmp0 (time_of_day, "dawn") == 0)
    return (Palette) { { 0.45, 0.55, 0.78 }, { 0.98, 0.74, 0.62 }, { 1.00, 0.90, 0.85 }, 6, 0.5 };
  if (g_strcmp0 (time_of_day, "dusk") == 0)
    return (Palette) { { 0.22, 0.20, 0.42 }, { 0.98, 0.55, 0.30 }, { 1.00, 0.78, 0.62 }, 4, 0.45 };
  if (g_strcmp0 (time_of_day, "night") == 0)
    return (Palette) { { 0.02, 0.03, 0.09 }, { 0.10, 0.13, 0.25 }, { 0.45, 0.50, 0.70 }, -1, 0.35 };
  return (Palette) { { 0.36, 0.58, 0.88 }, { 0.80, 0.88, 0.96 }, { 1.00, 1.00, 1.00 }, 50, 0.5 };
}

static guint32
pack_rgb (double r,
          double g,
          double b)
{
  return ((guint32) (CLAMP (r, 0, 1) * 255 + 0.5) << 16)
         | ((guint32) (CLAMP (g, 0, 1) * 255 + 0.5) << 8)
         | (guint32) (CLAMP (b, 0, 1) * 255 + 0.5);
}

static ScreenVertex
project (const Raster    *raster,
         const CamVertex *v)
{
  ScreenVertex s = {
    raster->width / 2.0 + raster->focal * v->x / v->d,
    raster->height / 2.0 - raster->focal * v->y / v->d,
    1.0 / v->d,
  };

  return s;
}

static void
add_triangle (Raster             *raster,
              const ScreenVertex *a,
              const ScreenVertex *b,
              const ScreenVertex *c,
              guint32             face)
{
  double den = (b->sx - a->sx) * (c->sy - a->sy) - (c->sx - a->sx) * (b->sy - a->sy);
  double min_y, max_y;
  ScreenTriangle t;

  if (fabs (den) < 1e-12)
    return;

  t.pa = ((b->iz - a->iz) * (c->sy - a->sy) - (c->iz - a->iz) * (b->sy - a->sy)) / den;
  t.pb = ((b->sx - a->sx) * (c->iz - a->iz) - (c->sx - a->sx) * (b->iz - a->iz)) / den;
  t.pc = a->iz - t.pa * a->sx - t.pb * a->sy;

  min_y = MIN (a->sy, MIN (b->sy, c->sy));
  max_y = MAX (a->sy, MAX (b->sy, c->sy));
  t.y0 = (int) MAX (ceil (min_y - 0.5), 0);
  t.y1 = (int) MIN (floor (max_y - 0.5), raster->height - 1.0);
  if (t.y0 > t.y1)
    return;

  t.v[0] = *a;
  t.v[1] = *b;
  t.v[2] = *c;
  t.face = face;
  g_array_append_val (raster->triangles, t);
}

/* Fills the rows of @t from @from to @to (inclusive). */
static void
fill_triangle_rows (ReelGreyboxImage     *image,
                    const ScreenTriangle *t,
                    int                   from,
                    int                   to)
{
  int y0 = MAX (t->y0, from), y1 = MIN (t->y1, to);

  for (int y = y0; y <= y1; y++)
    {
      double yc = y + 0.5;
      double left = G_MAXDOUBLE, right = -G_MAXDOUBLE;
      float *depth_row = image->depth + (gsize) y * image->width;
      guint32 *face_row = image->faces + (gsize) y * image->width;
      int x0, x1;
      double iz;

      for (int e = 0; e < 3; e++)
        {
          const ScreenVertex *p = &t->v[e];
          const ScreenVertex *q = &t->v[(e + 1) % 3];
          double x;

          if ((p->sy <= yc && yc < q->sy) || (q->sy <= yc && yc < p->sy))
            {
              x = p->sx + (yc - p->sy) * (q->sx - p->sx) / (q->sy - p->sy);
              left = MIN (left, x);
              right = MAX (right, x);
            }
        }
      if (left > right)
        continue;

      x0 = (int) MAX (ceil (left - 0.5), 0);
      x1 = (int) MIN (ceil (right - 0.5) - 1, image->width - 1.0);
      iz = t->pa * (x0 + 0.5) + t->pb * yc + t->pc;
      for (int x = x0; x <= x1; x++, iz += t->pa)
        {
          if (iz > depth_row[x])
            {
              depth_row[x] = (float) iz;
              face_row[x] = t->face;
            }
        }
    }
}

/* Clips a triangle to depth >= NEAR_PLANE and projects what is left. */
static void
project_triangle (Raster          *raster,
                  const CamVertex *a,
                  const CamVertex *b,
                  const CamVertex *c,
                  guint32          face)
{
  const CamVertex *in[3] = { a, b, c };
  CamVertex out[4];
  ScreenVertex s[4];
  guint n_out = 0;

  if (a->d >= NEAR_PLANE && b->d >= NEAR_PLANE && c->d >= NEAR_PLANE)
    {
      s[0] = project (raster, a);
      s[1] = project (raster, b);
      s[2] = project (raster, c);
      add_triangle (raster, &s[0], &s[1], &s[2], face);
      return;
    }
  if (a->d < NEAR_PLANE && b->d < NEAR_PLANE && c->d < NEAR_PLANE)
    return;

  for (guint i = 0; i < 3; i++)
    {
      const CamVertex *p = in[i];
      const CamVertex *q = in[(i + 1) % 3];
      gboolean p_in = p->d >= NEAR_PLANE;
      gboolean q_in = q->d >= NEAR_PLANE;

      if (p_in)
        out[n_out++] = *p;
      if (p_in != q_in)
        {
          double t = (NEAR_PLANE - p->d) / (q->d - p->d);

          out[n_out++] = (CamVertex) { p->x + t * (q->x - p->x), p->y + t * (q->y - p->y),
                                       NEAR_PLANE };
        }
    }

  for (guint i = 0; i < n_out; i++)
    s[i] = project (raster, &out[i]);
  for (guint i = 1; i + 1 < n_out; i++)
    add_triangle (raster, &s[0], &s[i], &s[i + 1], face);
}

/* Draws rows @y0 to @y1 (exclusive) of the frame: the triangles, then depth, colour, fog
 * and sky. */
static void
draw_band (Frame *frame,
           int    y0,
           int    y1)
{
  ReelGreyboxImage *image = frame->image;
  const Palette *palette = &frame->palette;
  const double *right = frame->right, *up = frame->up, *fwd = frame->fwd, *sun = frame->sun;
  int width = image->width;
  gsize first = (gsize) y0 * width, n_pixels = (gsize) (y1 - y0) * width;
  double half_w = width / 2.0, half_h = image->height / 2.0;
  float fog_scale = 1.0f / 800.0f;

  memset (image->faces + first, 0, n_pixels * sizeof (guint32));
  memset (image->depth + first, 0, n_pixels * sizeof (float));   /* 1/depth while drawing */

  for (guint t = 0; t < frame->n_triangles; t++)
    if (frame->triangles[t].y0 < y1 && frame->triangles[t].y1 >= y0)
      fill_triangle_rows (image, &frame->triangles[t], y0, y1 - 1);

  for (int y = y0; y < y1; y++)
    for (int x = 0; x < width; x++)
      {
        gsize i = (gsize) y * width + x;
        guint32 face = image->faces[i];

        if (face != 0)
          {
            float depth = 1.0f / image->depth[i];
            /* Haze towards the horizon, short of hiding it: the line where the land
             * meets the sky stays crisp, as a previs frame needs it. */
            float fog = 0.7f * depth * fog_scale / (1 + depth * fog_scale);
            const float *c = frame->face_rgb + 3 * face;

            image->depth[i] = (float) depth;
            image->objects[i] = frame->face_object[face];
            image->rgb[i] = pack_rgb (c[0] + fog * (palette->horizon.r - c[0]),
                                      c[1] + fog * (palette->horizon.g - c[1]),
                                      c[2] + fog * (palette->horizon.b - c[2]));
          }
        else
          {
            /* The sky by the height of the ray above the horizon. */
            double u = (x + 0.5 - half_w) / frame->focal;
            double v = (half_h - y - 0.5) / frame->focal;
            double dir_y = u * right[1] + v * up[1] + fwd[1];
            double length = sqrt (u * u + v * v + 1);
            double k = CLAMP (dir_y / length * 2.2, 0, 1);
            /* Brighter towards the sun, so that turning it shows in any sky the camera
             * sees, and variants of one view differ. */
            double toward = ((u * right[0] + v * up[0] + fwd[0]) * sun[0]
                             + dir_y * sun[1]
                             + (u * right[2] + v * up[2] + fwd[2]) * sun[2]) / length;
            double glow = 0.15 * (0.5 + 0.5 * toward)
                          + (toward > 0 ? 0.25 * pow (toward, 16) : 0);
            double r = palette->horizon.r + k * (palette->zenith.r - palette->horizon.r);
            double g = palette->horizon.g + k * (palette->zenith.g - palette->horizon.g);
            double b = palette->horizon.b + k * (palette->zenith.b - palette->horizon.b);

            image->depth[i] = INFINITY;
            image->objects[i] = 0;
            image->rgb[i] = pack_rgb (r + glow * (palette->light.r - r),
                                      g + glow * (palette->light.g - g),
                                      b + glow * (palette->light.b - b));
          }
      }
}

/* Takes bands until none is left; the last one out says the frame is done. */
static void
draw_bands (Frame *frame)
{
  int band, drawn = 0;

  while ((band = g_atomic_int_add (&frame->next_band, 1)) < frame->n_bands)
    {
      int y0 = band * frame->band_height;

      draw_band (frame, y0, MIN (y0 + frame->band_height, frame->image->height));
      drawn++;
    }
  if (drawn == 0)
    return;

  g_mutex_lock (&frame->lock);
  frame->bands_left -= drawn;
  if (frame->bands_left == 0)
    g_cond_signal (&frame->done);
  g_mutex_unlock (&frame->lock);
}

static void
frame_clear (Frame *frame)
{
  g_mutex_clear (&frame->lock);
  g_cond_clear (&frame->done);
}

static void
band_thread (gpointer data,
             gpointer user_data)
{
  draw_bands (data);
  g_atomic_rc_box_release_full (data, (GDestroyNotify) frame_clear);
}

/* The threads that help draw bands, shared by every render (one per core beyond the
 * caller's, made as needed). */
static GThreadPool *
band_pool (void)
{
  static GThreadPool *pool = NULL;

  if (g_once_init_enter (&pool))
    {
      GThreadPool *made = g_thread_pool_new (band_thread, NULL,
                                             CLAMP ((int) g_get_num_processors () - 1, 1, 15),
                                             FALSE, NULL);

      g_once_init_leave (&pool, made);
    }
  return pool;
}

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
rgb_to_png (guint32  *pixels,
            int       width,
            int       height,
            GError  **error)
{
  cairo_surface_t *surface =
    cairo_image_surface_create_for_data ((unsigned char *) pixels, CAIRO_FORMAT_RGB24, width,
                                         height, width * 4);
  GByteArray *png = g_byte_array_new ();
  cairo_status_t status;

  g_assert (cairo_format_stride_for_width (CAIRO_FORMAT_RGB24, width) == width * 4);

  status = cairo_surface_write_to_png_stream (surface, append_bytes, png);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_byte_array_unref (png);
      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_RENDER,
                   _("Could not encode the gray-box image: %s"),
                   cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (png);
}

static guint32
png_crc (const guint8 *type,
         const guint8 *data,
         gsize         length)
{
  static guint32 table[256];
  static gsize initialised = 0;
  guint32 crc = 0xffffffff;

  if (g_once_init_enter (&initialised))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
          table[n] = c;
        }
      g_once_init_leave (&initialised, 1);
    }

  for (gsize i = 0; i < 4; i++)
    crc = table[(crc ^ type[i]) & 0xff] ^ (crc >> 8);
  for (gsize i = 0; i < length; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffff;
}

static void
png_chunk (GByteArray   *png,
           const char   *type,
           const guint8 *data,
           gsize         length)
{
  guint32 be_length = GUINT32_TO_BE ((guint32) length);
  guint32 be_crc = GUINT32_TO_BE (png_crc ((const guint8 *) type, data, length));

  g_byte_array_append (png, (const guint8 *) &be_length, 4);
  g_byte_array_append (png, (const guint8 *) type, 4);
  if (length > 0)
    g_byte_array_append (png, data, length);
  g_byte_array_append (png, (const guint8 *) &be_crc, 4);
}

static int
colour_step (guint32 a,
             guint32 b)
{
  int step = 0;

  for (int shift = 0; shift <= 16; shift += 8)
    step = MAX (step, ABS ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff)));
  return step;
}

/* Public */

/**
 * reel_greybox_image_new:
 *
 * Returns: (transfer full): an image to render into, sky-coloured nothing
 */
ReelGreyboxImage *
reel_greybox_image_new (int width,
                        int height)
{
  ReelGreyboxImage *image = g_new0 (ReelGreyboxImage, 1);
  gsize n_pixels;

  width = CLAMP (width, 1, 16384);
  height = CLAMP (height, 1, 16384);
  n_pixels = (gsize) width * height;

  image->width = width;
  image->height = height;
  image->rgb = g_new0 (guint32, n_pixels);
  image->depth = g_new0 (float, n_pixels);
  image->faces = g_new0 (guint32, n_pixels);
  image->objects = g_new0 (guint32, n_pixels);
  return image;
}

/**
 * reel_greybox_render:
 * @mesh: the set (reel_set_mesh_new())
 * @pose: the camera
 *
 * Returns: (transfer full): the image, its depth map and the faces it shows
 */
ReelGreyboxImage *
reel_greybox_render (const ReelSetMesh        *mesh,
                     const ReelCameraPose     *pose,
                     int                       width,
                     int                       height,
                     const ReelGreyboxOptions *options)
{
  ReelGreyboxImage *image = reel_greybox_image_new (width, height);

  reel_greybox_render_into (image, mesh, pose, options);
  return image;
}

/**
 * reel_greybox_render_into:
 * @image: where to draw: every pixel is written
 *
 * Draws into an image made before (a view redrawn while the camera moves reuses its
 * buffers), on the calling thread alone.
 */
void
reel_greybox_render_into (ReelGreyboxImage         *image,
                          const ReelSetMesh        *mesh,
                          const ReelCameraPose     *pose,
                          const ReelGreyboxOptions *options)
{
  reel_greybox_render_into_threads (image, mesh, pose, options, 1);
}

/**
 * reel_greybox_render_into_threads:
 * @image: where to draw: every pixel is written
 * @n_threads: how many threads draw, the caller's included; 0: one per core
 *
 * As reel_greybox_render_into(), with the rows shared out in bands between the caller
 * and threads of a pool kept for it. The picture is the same, pixel for pixel, whatever
 * @n_threads is. Returns when the whole image is drawn.
 */
void
reel_greybox_render_into_threads (ReelGreyboxImage         *image,
                                  const ReelSetMesh        *mesh,
                                  const ReelCameraPose     *pose,
                                  const ReelGreyboxOptions *options,
                                  guint                     n_threads)
{
  Palette palette = palette_for (options != NULL ? options->time_of_day : NULL);
  double sensor = options != NULL && options->sensor_width_mm > 0 ? options->sensor_width_mm
                                                                  : 24.89;
  graphene_vec3_t right_v, up_v, forward_v;
  const float *positions;
  const float *normals;
  const guint32 *indices;
  const guint32 *triangle_face;
  guint n_vertices;
  g_autofree CamVertex *cam = NULL;
  g_autofree guint32 *face_colour = NULL;
  g_autofree float *face_rgb = NULL;
  g_autofree guint32 *face_object = NULL;
  g_autoptr(GArray) triangles = NULL;
  Raster raster;
  Frame *frame;
  double *right, *up, *fwd, *sun;
  double sun_azimuth, sun_elevation;

  g_return_if_fail (image != NULL && mesh != NULL && pose != NULL);

  frame = g_atomic_rc_box_new0 (Frame);
  right = frame->right;
  up = frame->up;
  fwd = frame->fwd;
  sun = frame->sun;
  positions = (const float *) mesh->positions->data;
  normals = (const float *) mesh->normals->data;
  indices = (const guint32 *) mesh->indices->data;
  triangle_face = (const guint32 *) mesh->triangle_face->data;
  n_vertices = mesh->positions->len / 3;
  cam = g_new (CamVertex, n_vertices);
  face_colour = g_new0 (guint32, mesh->n_faces + 1);
  face_rgb = g_new0 (float, 3 * (mesh->n_faces + 1));
  face_object = g_new0 (guint32, mesh->n_faces + 1);
  triangles = g_array_sized_new (FALSE, FALSE, sizeof (ScreenTriangle),
                                 mesh->triangle_face->len);

  raster.width = image->width;
  raster.height = image->height;
  raster.focal = image->width * pose->lens_mm / sensor;
  raster.triangles = triangles;

  reel_camera_pose_get_axes (pose, &right_v, &up_v, &forward_v);
  right[0] = graphene_vec3_get_x (&right_v);
  right[1] = graphene_vec3_get_y (&right_v);
  right[2] = graphene_vec3_get_z (&right_v);
  up[0] = graphene_vec3_get_x (&up_v);
  up[1] = graphene_vec3_get_y (&up_v);
  up[2] = graphene_vec3_get_z (&up_v);
  fwd[0] = graphene_vec3_get_x (&forward_v);
  fwd[1] = graphene_vec3_get_y (&forward_v);
  fwd[2] = graphene_vec3_get_z (&forward_v);

  for (guint i = 0; i < n_vertices; i++)
    {
      double dx = positions[3 * i] - pose->x;
      double dy = positions[3 * i + 1] - pose->height;
      double dz = positions[3 * i + 2] - pose->z;

      cam[i].x = dx * right[0] + dy * right[1] + dz * right[2];
      cam[i].y = dx * up[0] + dy * up[1] + dz * up[2];
      cam[i].d = dx * fwd[0] + dy * fwd[1] + dz * fwd[2];
    }

  /* The light: the sun of the time of day (or a lamp high in front at night). */
  sun_azimuth = (150 + (options != NULL ? options->sun_turn_deg : 0)) * G_PI / 180;
  sun_elevation = (palette.sun_elevation > 0 ? MAX (palette.sun_elevation, 25) : 60) * G_PI / 180;
  sun[0] = sin (sun_azimuth) * cos (sun_elevation);
  sun[1] = sin (sun_elevation);
  sun[2] = -cos (sun_azimuth) * cos (sun_elevation);

  for (guint o = 0; o < mesh->objects->len; o++)
    {
      const ReelSetMeshObject *object = &g_array_index (mesh->objects, ReelSetMeshObject, o);

      for (guint t = object->first_triangle; t < object->first_triangle + object->n_triangles;
           t++)
        face_object[triangle_face[t] + 1] = o + 1;
    }

  /* Each face's colour, and the triangles that face the camera, projected. */
  for (guint t = 0; t < mesh->triangle_face->len; t++)
    {
      guint32 face = triangle_face[t] + 1;
      guint32 i0 = indices[3 * t], i1 = indices[3 * t + 1], i2 = indices[3 * t + 2];
      const float *n = normals + 3 * i0;
      double facing = n[0] * (positions[3 * i0] - pose->x)
                      + n[1] * (positions[3 * i0 + 1] - pose->height)
                      + n[2] * (positions[3 * i0 + 2] - pose->z);

      if (face_colour[face] == 0)
        {
          double shade = g_array_index (mesh->face_shade, float, face - 1);
          double lambert = MAX (0, n[0] * sun[0] + n[1] * sun[1] + n[2] * sun[2]);
          double sky = 0.5 + 0.5 * n[1];
          double light = palette.ambient * (0.7 + 0.3 * sky) + (1 - palette.ambient) * lambert;

          face_rgb[3 * face] = palette.light.r * shade * light;
          face_rgb[3 * face + 1] = palette.light.g * shade * light;
          face_rgb[3 * face + 2] = palette.light.b * shade * light;
          if (face_object[face] > 0
              && g_array_index (mesh->objects, ReelSetMeshObject, face_object[face] - 1).water)
            {
              /* Water mirrors the sky, darker, whatever the light: a harbour reads as one
               * next to the grey of its quay. */
              face_rgb[3 * face] = 0.6 * palette.zenith.r + 0.15 * palette.horizon.r;
              face_rgb[3 * face + 1] = 0.6 * palette.zenith.g + 0.15 * palette.horizon.g;
              face_rgb[3 * face + 2] = 0.6 * palette.zenith.b + 0.15 * palette.horizon.b;
            }
          face_colour[face] = 1;
        }

      /* Faces turned away from the camera are hidden behind the front ones. */
      if (facing >= 0)
        continue;

      project_triangle (&raster, &cam[i0], &cam[i1], &cam[i2], face);
    }

  /* The rows in bands: a few per thread, taken as threads come free, so a band of
   * sky and a band of busy ground even out. */
  if (n_threads == 0)
    n_threads = g_get_num_processors ();
  n_threads = CLAMP (n_threads, 1, 16);
  frame->image = image;
  frame->triangles = (const ScreenTriangle *) triangles->data;
  frame->n_triangles = triangles->len;
  frame->face_rgb = face_rgb;
  frame->face_object = face_object;
  frame->palette = palette;
  frame->focal = raster.focal;
  frame->n_bands = n_threads == 1 ? 1 : (int) MIN ((guint) image->height, 4 * n_threads);
  frame->band_height = (image->height + frame->n_bands - 1) / frame->n_bands;
  frame->n_bands = (image->height + frame->band_height - 1) / frame->band_height;
  frame->bands_left = frame->n_bands;
  g_mutex_init (&frame->lock);
  g_cond_init (&frame->done);

  for (guint i = 1; i < MIN (n_threads, (guint) frame->n_bands); i++)
    g_thread_pool_push (band_pool (), g_atomic_rc_box_acquire (frame), NULL);
  draw_bands (frame);

  g_mutex_lock (&frame->lock);
  while (frame->bands_left > 0)
    g_cond_wait (&frame->done, &frame->lock);
  g_mutex_unlock (&frame->lock);
  g_atomic_rc_box_release_full (frame, (GDestroyNotify) frame_clear);
}

void
reel_greybox_image_free (ReelGreyboxImage *self)
{
  if (self == NULL)
    return;

  g_free (self->rgb);
  g_free (self->depth);
  g_free (self->faces);
  g_free (self->objects);
  g_free (self);
}

void
reel_greybox_image_copy_to (const ReelGreyboxImage *self,
                            guint32                *pixels,
                            int                     width,
                            int                     height,
                            int                     stride)
{
  g_autofree int *columns = NULL;

  g_return_if_fail (self != NULL && pixels != NULL);
  g_return_if_fail (width > 0 && height > 0 && stride >= width * 4);

  /* The image's column for each of ours, from pixel centre to pixel centre. */
  columns = g_new (int, width);
  for (int x = 0; x < width; x++)
    columns[x] = MIN ((int) ((x + 0.5) * self->width / width), self->width - 1);

  for (int y = 0; y < height; y++)
    {
      int row = MIN ((int) ((y + 0.5) * self->height / height), self->height - 1);
      const guint32 *from = self->rgb + (gsize) row * self->width;
      guint32 *to = (guint32 *) ((guchar *) pixels + (gsize) y * stride);

      if (width == self->width)
        for (int x = 0; x < width; x++)
          to[x] = from[x] | 0xff000000u;
      else
        for (int x = 0; x < width; x++)
          to[x] = from[columns[x]] | 0xff000000u;
    }
}

guint16
reel_greybox_image_get_depth16 (const ReelGreyboxImage *self,
                                int                     x,
                                int                     y)
{
  double depth;

  g_return_val_if_fail (self != NULL, REEL_GREYBOX_DEPTH_NONE);
  g_return_val_if_fail (x >= 0 && x < self->width && y >= 0 && y < self->height,
                        REEL_GREYBOX_DEPTH_NONE);

  depth = self->depth[(gsize) y * self->width + x];
  if (!isfinite (depth))
    return REEL_GREYBOX_DEPTH_NONE;
  return (guint16) MIN (round (depth * REEL_GREYBOX_DEPTH_UNITS_PER_METRE),
                        REEL_GREYBOX_DEPTH_NONE - 1);
}

/**
 * reel_greybox_image_to_png:
 *
 * Returns: (transfer full): the PNG
 */
GBytes *
reel_greybox_image_to_png (const ReelGreyboxImage  *self,
                           GError                 **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  return rgb_to_png (self->rgb, self->width, self->height, error);
}

/**
 * reel_greybox_image_depth_to_png:
 *
 * Returns: (transfer full): a 16-bit greyscale PNG of the depth in centimetres
 */
GBytes *
reel_greybox_image_depth_to_png (const ReelGreyboxImage  *self,
                                 GError                 **error)
{
  g_autoptr(GConverter) compressor = NULL;
  g_autoptr(GOutputStream) memory = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  g_autofree guint8 *row = NULL;
  g_autoptr(GBytes) compressed = NULL;
  GByteArray *png;
  guint8 header[13];
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  g_return_val_if_fail (self != NULL, NULL);

  compressor = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 6));
  memory = g_memory_output_stream_new_resizable ();
  stream = g_converter_output_stream_new (memory, compressor);
  row = g_new (guint8, 1 + 2 * (gsize) self->width);

  for (int y = 0; y < self->height; y++)
    {
      row[0] = 0;   /* no filter */
      for (int x = 0; x < self->width; x++)
        {
          guint16 value = reel_greybox_image_get_depth16 (self, x, y);

          row[1 + 2 * x] = value >> 8;
          row[2 + 2 * x] = value & 0xff;
        }
      if (!g_output_stream_write_all (stream, row, 1 + 2 * (gsize) self->width, NULL, NULL,
                                      error))
        return NULL;
    }
  if (!g_output_stream_close (stream, NULL, error))
    return NULL;
  compressed = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));

  *(guint32 *) header = GUINT32_TO_BE ((guint32) self->width);
  *(guint32 *) (header + 4) = GUINT32_TO_BE ((guint32) self->height);
  header[8] = 16;   /* bits per sample */
  header[9] = 0;    /* greyscale */
  header[10] = 0;
  header[11] = 0;
  header[12] = 0;

  png = g_byte_array_new ();
  g_byte_array_append (png, signature, sizeof signature);
  png_chunk (png, "IHDR", header, sizeof header);
  png_chunk (png, "IDAT", g_bytes_get_data (compressed, NULL), g_bytes_get_size (compressed));
  png_chunk (png, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (png);
}

/**
 * reel_greybox_image_line_art_to_png:
 *
 * Returns: (transfer full): the PNG
 */
GBytes *
reel_greybox_image_line_art_to_png (const ReelGreyboxImage  *self,
                                    GError                 **error)
{
  gsize n_pixels;
  g_autofree guint32 *lines = NULL;
  const guint32 white = 0xffffff, black = 0;

  g_return_val_if_fail (self != NULL, NULL);

  n_pixels = (gsize) self->width * self->height;
  lines = g_new (guint32, n_pixels);
  for (gsize i = 0; i < n_pixels; i++)
    lines[i] = white;

  /* A line where the object changes, where the face changes with a crease (the shade
   * differs: faces of one object with the same light are one surface, as a cylinder's
   * sides are), or where the face changes with a step in depth (an object in front of
   * itself). Within one face nothing is drawn: a plane seen edge-on stays clean. */
  for (int y = 0; y < self->height; y++)
    for (int x = 0; x < self->width; x++)
      {
        gsize i = (gsize) y * self->width + x;
        const gsize neighbours[2] = { x + 1 < self->width ? i + 1 : i,
                                      y + 1 < self->height ? i + self->width : i };

        for (guint k = 0; k < 2; k++)
          {
            gsize j = neighbours[k];
            double a = self->depth[i], b = self->depth[j];

            if (j == i)
              continue;
            if (self->objects[i] != self->objects[j]
                || (self->faces[i] != self->faces[j]
                    && (colour_step (self->rgb[i], self->rgb[j]) > 20
                        || (isfinite (a) && isfinite (b)
                            && fabs (a - b) > 0.04 * MIN (a, b) + 0.02))))
              lines[i] = black;
          }
      }

  return rgb_to_png (lines, self->width, self->height, error);
}
