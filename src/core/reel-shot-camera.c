/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-shot-camera"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "reel-camera.h"
#include "reel-core-error.h"
#include "reel-optics.h"
#include "reel-shot-camera.h"

G_DEFINE_BOXED_TYPE (ReelShotCamera, reel_shot_camera, reel_shot_camera_copy,
                     reel_shot_camera_free)

#define CAMERA_VARIANT_VERSION 1
#define CAMERA_VARIANT_TYPE REEL_SHOT_CAMERA_VARIANT_TYPE

/* Top of the head above the eyes: the shot sizes count from there. */
#define HEAD_ABOVE_EYES 0.12

#define DEG(rad) ((rad) * 180.0 / G_PI)
#define RAD(deg) ((deg) * G_PI / 180.0)

static const char * const easing_ids[] = { "linear", "ease_in", "ease_out", "ease_in_out" };

static const char * const new_angle_labels[] = {
  N_("Reverse"),
  N_("Over the Shoulder"),
  N_("Wider"),
  N_("Tighter"),
  N_("High Angle"),
  N_("Low Angle"),
  N_("Bird’s Eye"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (new_angle_labels) == REEL_N_NEW_ANGLES);

G_DEFINE_QUARK (reel-new-angle-error-quark, reel_new_angle_error)

/* Shot sizes by the height of the frame at the subject, as a share of the person
 * from the top of the head: a medium shot is "framed from the waist up" (about half
 * of a person), a full shot "head to toe" with a little room. */
typedef struct
{
  double below;
  const char *size_id;
} SizeBound;

static const SizeBound size_bounds[] = {
  { 0.09, "ecu" },
  { 0.14, "bcu" },
  { 0.21, "cu" },
  { 0.29, "mcu" },
  { 0.39, "mcs" },
  { 0.52, "ms" },
  { 0.67, "cowboy" },
  { 0.90, "mws" },
  { 1.60, "fs" },
  { 4.00, "ws" },
  { 10.0, "vws" },
  { G_MAXDOUBLE, "ews" },
};

/* Helpers */

static double
normalize_degrees (double degrees)
{
  double d = fmod (degrees, 360.0);

  if (d > 180)
    d -= 360;
  else if (d <= -180)
    d += 360;
  return d;
}

static double
ease (ReelCameraEasing easing,
      double           t)
{
  t = CLAMP (t, 0, 1);
  switch (easing)
    {
    case REEL_CAMERA_EASING_EASE_IN:
      return t * t;
    case REEL_CAMERA_EASING_EASE_OUT:
      return 1 - (1 - t) * (1 - t);
    case REEL_CAMERA_EASING_EASE_IN_OUT:
      return t * t * (3 - 2 * t);
    case REEL_CAMERA_EASING_LINEAR:
    default:
      return t;
    }
}

static gboolean
pose_is_valid (const ReelCameraPose *p)
{
  const double extent = REEL_SET_MAX_EXTENT;

  return isfinite (p->x) && fabs (p->x) <= extent
         && isfinite (p->z) && fabs (p->z) <= extent
         && isfinite (p->height) && p->height >= -extent && p->height <= extent
         && isfinite (p->pan) && fabs (p->pan) <= 1e6
         && isfinite (p->tilt) && fabs (p->tilt) <= 90
         && isfinite (p->roll) && fabs (p->roll) <= 1e6
         && isfinite (p->lens_mm) && p->lens_mm >= 1 && p->lens_mm <= 2000;
}

static GVariant *
pose_to_variant (const ReelCameraPose *p)
{
  return g_variant_new ("(ddddddd)", p->x, p->z, p->height, p->pan, p->tilt, p->roll,
                        p->lens_mm);
}

static void
pose_from_variant (GVariant       *variant,
                   ReelCameraPose *p)
{
  g_variant_get (variant, "(ddddddd)", &p->x, &p->z, &p->height, &p->pan, &p->tilt, &p->roll,
                 &p->lens_mm);
}

static int
find_subject (const ReelShotCamera *self,
              const ReelSet        *set,
              double                sensor_width_mm,
              double                aspect)
{
  int best = -1;
  double best_depth = G_MAXDOUBLE;

  if (set == NULL)
    return -1;

  if (self->subject != NULL && *self->subject != '\0')
    {
      const ReelSetMark *mark = reel_set_find_mark (set, self->subject);

      if (mark != NULL)
        return mark - &g_array_index (set->marks, ReelSetMark, 0);
    }

  /* The nearest mark whose eyes are in the picture. */
  for (guint i = 0; i < set->marks->len; i++)
    {
      const ReelSetMark *mark = &g_array_index (set->marks, ReelSetMark, i);
      graphene_point3d_t eyes = GRAPHENE_POINT3D_INIT (mark->x, mark->eye_height, mark->z);
      double sx, sy, depth;

      if (!reel_camera_pose_project (&self->start, sensor_width_mm, 1000, 1000 / aspect, &eyes,
                                     &sx, &sy, &depth))
        continue;
      if (sx < 0 || sx > 1000 || sy < 0 || sy > 1000 / aspect || depth < 0.1)
        continue;
      if (depth < best_depth)
        {
          best_depth = depth;
          best = i;
        }
    }

  return best;
}

static const char *
movement_for (const ReelCameraPose *s,
              const ReelCameraPose *e)
{
  double dx = e->x - s->x;
  double dz = e->z - s->z;
  double distance = hypot (dx, dz);
  double dh = e->height - s->height;
  double dpan = normalize_degrees (e->pan - s->pan);
  double dtilt = e->tilt - s->tilt;
  double dlens = e->lens_mm - s->lens_mm;
  double along, lateral;

  if (distance < 0.05 && fabs (dh) < 0.05)
    {
      if (fabs (dlens) > 0.5)
        return "zoom";
      if (fabs (dpan) >= fabs (dtilt) && fabs (dpan) > 0.5)
        return "pan";
      if (fabs (dtilt) > 0.5)
        return "tilt";
      return "static";
    }

  if (fabs (dh) > distance)
    return fabs (dh) >= 1.5 ? "crane" : "pedestal";

  along = dx * sin (RAD (s->pan)) - dz * cos (RAD (s->pan));
  lateral = dx * cos (RAD (s->pan)) + dz * sin (RAD (s->pan));

  /* Moving while turning well round: circling the subject. */
  if (fabs (dpan) > 15)
    return "arc";
  if (fabs (lateral) > fabs (along))
    return "truck";
  if (fabs (dlens) > 0.5 && (along > 0) == (dlens < 0))
    return "dolly_zoom";
  return along > 0 ? "dolly_in" : "dolly_out";
}

static void
aim_at_mark (ReelCameraPose    *pose,
             const ReelSetMark *mark)
{
  reel_camera_pose_look_at (pose, mark->x, mark->eye_height, mark->z);
}

/* The other end of the line of action, or else the nearest other mark. */
static const ReelSetMark *
find_partner (const ReelSet     *set,
              const ReelSetMark *subject)
{
  const ReelSetMark *a, *b;
  const ReelSetMark *best = NULL;
  double best_distance = G_MAXDOUBLE;

  if (reel_set_get_line_of_action (set, &a, &b))
    {
      if (subject == a)
        return b;
      if (subject == b)
        return a;
    }

  for (guint i = 0; i < set->marks->len; i++)
    {
      const ReelSetMark *mark = &g_array_index (set->marks, ReelSetMark, i);
      double d = hypot (mark->x - subject->x, mark->z - subject->z);

      if (mark != subject && d < best_distance)
        {
          best = mark;
          best_distance = d;
        }
    }

  return best;
}

static double
next_prime (double lens,
            int    direction)
{
  guint n;
  const double *primes = reel_camera_get_prime_lenses (&n);

  if (direction > 0)
    {
      for (guint i = 0; i < n; i++)
        if (primes[i] > lens + 0.5)
          return primes[i];
    }
  else
    {
      for (int i = n - 1; i >= 0; i--)
        if (primes[i] < lens - 0.5)
          return primes[i];
    }
  return -1;
}

/* Public */

ReelShotCamera *
reel_shot_camera_new (const ReelCameraPose *pose)
{
  ReelShotCamera *self = g_new0 (ReelShotCamera, 1);

  g_return_val_if_fail (pose != NULL, self);

  self->start = *pose;
  self->end = *pose;
  self->subject = g_strdup ("");
  return self;
}

ReelShotCamera *
reel_shot_camera_copy (const ReelShotCamera *self)
{
  ReelShotCamera *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (ReelShotCamera, 1);
  *copy = *self;
  copy->subject = g_strdup (self->subject != NULL ? self->subject : "");
  return copy;
}

void
reel_shot_camera_free (ReelShotCamera *self)
{
  if (self == NULL)
    return;

  g_free (self->subject);
  g_free (self);
}

gboolean
reel_shot_camera_equal (const ReelShotCamera *a,
                        const ReelShotCamera *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return memcmp (&a->start, &b->start, sizeof a->start) == 0
         && a->moves == b->moves
         && (!a->moves || memcmp (&a->end, &b->end, sizeof a->end) == 0)
         && a->easing == b->easing
         && g_strcmp0 (a->subject, b->subject) == 0;
}

void
reel_shot_camera_set_subject (ReelShotCamera *self,
                              const char     *subject)
{
  g_return_if_fail (self != NULL);

  g_free (self->subject);
  self->subject = g_strdup (subject != NULL ? subject : "");
}

void
reel_shot_camera_pose_at (const ReelShotCamera *self,
                          double                t,
                          ReelCameraPose       *out)
{
  double k;

  g_return_if_fail (self != NULL && out != NULL);

  if (!self->moves)
    {
      *out = self->start;
      return;
    }

  k = ease (self->easing, t);
  out->x = self->start.x + k * (self->end.x - self->start.x);
  out->z = self->start.z + k * (self->end.z - self->start.z);
  out->height = self->start.height + k * (self->end.height - self->start.height);
  out->pan = self->start.pan + k * normalize_degrees (self->end.pan - self->start.pan);
  out->tilt = self->start.tilt + k * (self->end.tilt - self->start.tilt);
  out->roll = self->start.roll + k * (self->end.roll - self->start.roll);
  out->lens_mm = self->start.lens_mm + k * (self->end.lens_mm - self->start.lens_mm);
}

const char *
reel_camera_easing_to_id (ReelCameraEasing easing)
{
  if ((guint) easing >= G_N_ELEMENTS (easing_ids))
    return easing_ids[0];
  return easing_ids[easing];
}

ReelCameraEasing
reel_camera_easing_from_id (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (easing_ids); i++)
    if (g_str_equal (easing_ids[i], id))
      return i;
  return REEL_CAMERA_EASING_LINEAR;
}

/**
 * reel_shot_camera_to_variant:
 *
 * Returns: (transfer floating): the stored form
 */
GVariant *
reel_shot_camera_to_variant (const ReelShotCamera *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_variant_new ("(u@(ddddddd)b@(ddddddd)us)", (guint32) CAMERA_VARIANT_VERSION,
                        pose_to_variant (&self->start), self->moves,
                        pose_to_variant (&self->end), (guint32) self->easing,
                        self->subject != NULL ? self->subject : "");
}

/**
 * reel_shot_camera_from_variant:
 *
 * Returns: (transfer full): the camera, or NULL with @error set
 */
ReelShotCamera *
reel_shot_camera_from_variant (GVariant  *variant,
                               GError   **error)
{
  g_autoptr(GVariant) start = NULL;
  g_autoptr(GVariant) end = NULL;
  g_autoptr(ReelShotCamera) self = NULL;
  guint32 version, easing;
  gboolean moves;
  const char *subject;

  g_return_val_if_fail (variant != NULL, NULL);

  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE (CAMERA_VARIANT_TYPE)))
    {
      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_VALUE, "%s",
                   _("The shot camera is damaged: its data is not in the form Storyreel "
                     "writes."));
      return NULL;
    }

  g_variant_get (variant, "(u@(ddddddd)b@(ddddddd)u&s)", &version, &start, &moves, &end,
                 &easing, &subject);
  if (version != CAMERA_VARIANT_VERSION)
    {
      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_VALUE,
                   _("The shot camera was written by a newer Storyreel (camera version %u)."),
                   version);
      return NULL;
    }

  self = g_new0 (ReelShotCamera, 1);
  pose_from_variant (start, &self->start);
  pose_from_variant (end, &self->end);
  self->moves = moves;
  self->easing = easing < G_N_ELEMENTS (easing_ids) ? easing : REEL_CAMERA_EASING_LINEAR;
  self->subject = g_strdup (subject);

  if (!pose_is_valid (&self->start) || (self->moves && !pose_is_valid (&self->end)))
    {
      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_VALUE, "%s",
                   _("The shot camera has a position, angle or lens that is not a usable "
                     "number."));
      return NULL;
    }

  return g_steal_pointer (&self);
}

void
reel_camera_pose_get_axes (const ReelCameraPose *pose,
                           graphene_vec3_t      *right,
                           graphene_vec3_t      *up,
                           graphene_vec3_t      *forward)
{
  /* The columns of Ry(θ)·Rx(φ)·Rz(ρ), θ = −pan, φ = tilt, ρ = roll. */
  double st = sin (RAD (-pose->pan)), ct = cos (RAD (-pose->pan));
  double sp = sin (RAD (pose->tilt)), cp = cos (RAD (pose->tilt));
  double sr = sin (RAD (pose->roll)), cr = cos (RAD (pose->roll));

  if (right != NULL)
    graphene_vec3_init (right, ct * cr + st * sp * sr, cp * sr, -st * cr + ct * sp * sr);
  if (up != NULL)
    graphene_vec3_init (up, -ct * sr + st * sp * cr, cp * cr, st * sr + ct * sp * cr);
  if (forward != NULL)
    graphene_vec3_init (forward, -st * cp, sp, -ct * cp);
}

void
reel_camera_pose_get_rotation (const ReelCameraPose  *pose,
                               graphene_quaternion_t *rotation)
{
  double hy = RAD (-pose->pan) / 2, hx = RAD (pose->tilt) / 2, hz = RAD (pose->roll) / 2;
  /* qy ⊗ qx, then ⊗ qz (Hamilton products, written out). */
  double ax = cos (hy) * sin (hx), ay = sin (hy) * cos (hx);
  double az = -sin (hy) * sin (hx), aw = cos (hy) * cos (hx);
  double bz = sin (hz), bw = cos (hz);

  graphene_quaternion_init (rotation,
                            (float) (ax * bw + ay * bz),
                            (float) (ay * bw - ax * bz),
                            (float) (aw * bz + az * bw),
                            (float) (aw * bw - az * bz));
}

gboolean
reel_camera_pose_project (const ReelCameraPose     *pose,
                          double                    sensor_width_mm,
                          double                    width,
                          double                    height,
                          const graphene_point3d_t *point,
                          double                   *out_x,
                          double                   *out_y,
                          double                   *out_depth)
{
  graphene_vec3_t right, up, forward;
  double dx = point->x - pose->x;
  double dy = point->y - pose->height;
  double dz = point->z - pose->z;
  double cx, cy, depth, focal;

  reel_camera_pose_get_axes (pose, &right, &up, &forward);
  cx = dx * graphene_vec3_get_x (&right) + dy * graphene_vec3_get_y (&right)
       + dz * graphene_vec3_get_z (&right);
  cy = dx * graphene_vec3_get_x (&up) + dy * graphene_vec3_get_y (&up)
       + dz * graphene_vec3_get_z (&up);
  depth = dx * graphene_vec3_get_x (&forward) + dy * graphene_vec3_get_y (&forward)
          + dz * graphene_vec3_get_z (&forward);

  if (out_depth != NULL)
    *out_depth = depth;
  if (depth <= 1e-9)
    return FALSE;

  focal = width * pose->lens_mm / sensor_width_mm;
  if (out_x != NULL)
    *out_x = width / 2 + focal * cx / depth;
  if (out_y != NULL)
    *out_y = height / 2 - focal * cy / depth;
  return TRUE;
}

void
reel_camera_pose_look_at (ReelCameraPose *pose,
                          double          x,
                          double          y,
                          double          z)
{
  double dx = x - pose->x;
  double dy = y - pose->height;
  double dz = z - pose->z;

  if (hypot (dx, dz) > 1e-6)
    pose->pan = DEG (atan2 (dx, -dz));
  pose->tilt = DEG (atan2 (dy, hypot (dx, dz)));
}

const char *
reel_camera_size_for_frame (double frame_height_m,
                            double eye_height_m)
{
  double person = MAX (eye_height_m, 0.05) + HEAD_ABOVE_EYES;
  double share = frame_height_m / person;

  for (guint i = 0; i < G_N_ELEMENTS (size_bounds); i++)
    if (share < size_bounds[i].below)
      return size_bounds[i].size_id;

  return "ews";
}

const char *
reel_camera_angle_for_view (double height_m,
                            double tilt_deg,
                            double roll_deg,
                            double eye_height_m,
                            double distance_m)
{
  double scaled;

  if (fabs (normalize_degrees (roll_deg)) >= 7.5)
    return "dutch";
  if (height_m >= 20)
    return "aerial";

  /* The presets' tilts are −30, −15, 0, +30 and +45: the nearest one names the angle. */
  if (tilt_deg <= -22.5)
    return "birds_eye";
  if (tilt_deg <= -7.5)
    return "high";
  if (tilt_deg >= 37.5)
    return "worms_eye";
  if (tilt_deg >= 15)
    return "low";

  /* Level: a camera well above the eyes still looks down on the subject. */
  if (eye_height_m > 0 && distance_m > 0 && height_m - eye_height_m >= 0.4)
    return "high";

  /* Level: the height names it, against the subject's eyes (the presets are for eyes
   * at 1.6 m: shoulder 1.45, hip 1.0, knee 0.5, ground 0.1). */
  scaled = eye_height_m > 0 ? height_m * REEL_CAMERA_DEFAULT_HEIGHT_M / eye_height_m : height_m;
  if (scaled >= 1.525)
    return "eye_level";
  if (scaled >= 1.225)
    return "shoulder";
  if (scaled >= 0.75)
    return "hip";
  if (scaled >= 0.3)
    return "knee";
  return "ground";
}

void
reel_shot_camera_derive (const ReelShotCamera *self,
                         const ReelSet        *set,
                         const char           *sensor_id,
                         double                aspect,
                         ReelCameraDerived    *out)
{
  const ReelSensor *sensor = reel_optics_sensor_lookup_or_default (sensor_id);
  double eye = REEL_CAMERA_DEFAULT_HEIGHT_M;
  double plan_distance = -1;

  g_return_if_fail (self != NULL && out != NULL);

  if (aspect <= 0)
    aspect = 16.0 / 9.0;

  memset (out, 0, sizeof *out);
  out->lens_mm = self->start.lens_mm;
  out->height_m = self->start.height;
  out->hfov_deg = reel_optics_horizontal_fov (sensor->width_mm, self->start.lens_mm);
  out->vfov_deg = reel_optics_vertical_fov_for_aspect (sensor->width_mm, self->start.lens_mm,
                                                       aspect);
  out->subject = find_subject (self, set, sensor->width_mm, aspect);
  out->subject_distance = -1;
  out->movement_id = self->moves ? movement_for (&self->start, &self->end) : "static";

  if (out->subject >= 0)
    {
      const ReelSetMark *mark = &g_array_index (set->marks, ReelSetMark, out->subject);
      graphene_point3d_t eyes = GRAPHENE_POINT3D_INIT (mark->x, mark->eye_height, mark->z);
      double depth;

      reel_camera_pose_project (&self->start, sensor->width_mm, 1000, 1000 / aspect, &eyes,
                                NULL, NULL, &depth);
      eye = mark->eye_height;
      plan_distance = hypot (mark->x - self->start.x, mark->z - self->start.z);
      if (depth > 0)
        {
          /* The frame's height where the subject stands. */
          double frame_height = depth * (sensor->width_mm / aspect) / self->start.lens_mm;

          out->subject_distance = depth;
          out->size_id = reel_camera_size_for_frame (frame_height, eye);
        }
    }

  out->angle_id = reel_camera_angle_for_view (self->start.height, self->start.tilt,
                                              self->start.roll, out->subject >= 0 ? eye : -1,
                                              plan_distance);
}

/* A reverse and an over-the-shoulder look from one character to the other: both marks. */
static gboolean
have_partner (const ReelSetMark  *subject,
              const ReelSetMark  *partner,
              ReelNewAngle        kind,
              GError            **error)
{
  if (subject == NULL)
    {
      g_set_error (error, REEL_NEW_ANGLE_ERROR, REEL_NEW_ANGLE_ERROR_NO_SUBJECT,
                   /* Translators: %s is a kind of new angle ("Reverse", "Over the Shoulder") */
                   _("A %s needs an actor’s mark in the shot’s view: turn the camera toward "
                     "a mark on the set."),
                   reel_new_angle_get_label (kind));
      return FALSE;
    }
  if (partner == NULL)
    {
      g_set_error (error, REEL_NEW_ANGLE_ERROR, REEL_NEW_ANGLE_ERROR_NO_PARTNER,
                   /* Translators: %s is a kind of new angle, the second %s a character's name */
                   _("A %s needs a second mark on the set, facing %s: place the other "
                     "character’s mark."),
                   reel_new_angle_get_label (kind), subject->name);
      return FALSE;
    }
  return TRUE;
}

gboolean
reel_shot_camera_propose (const ReelShotCamera  *from,
                          const ReelSet         *set,
                          ReelNewAngle           kind,
                          ReelShotCamera       **out_camera,
                          GError               **error)
{
  g_autoptr(ReelShotCamera) camera = NULL;
  const ReelSetMark *subject = NULL;
  const ReelSetMark *partner = NULL;
  ReelCameraPose *pose;
  double tx, ty, tz, distance;

  g_return_val_if_fail (from != NULL && out_camera != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (set == NULL)
    {
      g_set_error_literal (error, REEL_NEW_ANGLE_ERROR, REEL_NEW_ANGLE_ERROR_NO_SET,
                           _("The scene has no set: give it one in the Set view."));
      return FALSE;
    }

  camera = reel_shot_camera_copy (from);
  camera->moves = FALSE;
  pose = &camera->start;

  if (set != NULL)
    {
      int index = find_subject (from, set, 24.89, 16.0 / 9.0);

      if (index >= 0)
        subject = &g_array_index (set->marks, ReelSetMark, index);
      if (subject != NULL)
        partner = find_partner (set, subject);
    }

  if (subject != NULL)
    {
      tx = subject->x;
      ty = subject->eye_height;
      tz = subject->z;
      reel_shot_camera_set_subject (camera, subject->name);
    }
  else
    {
      /* No subject: a point 5 m ahead at eye height. */
      tx = pose->x + 5 * sin (RAD (pose->pan));
      ty = REEL_CAMERA_DEFAULT_HEIGHT_M;
      tz = pose->z - 5 * cos (RAD (pose->pan));
    }
  distance = MAX (hypot (tx - pose->x, tz - pose->z), 0.5);

  switch (kind)
    {
    case REEL_NEW_ANGLE_REVERSE:
      {
        const ReelSetMark *a, *b;

        if (!have_partner (subject, partner, kind, error))
          return FALSE;

        if (reel_set_get_line_of_action (set, &a, &b))
          {
            /* Mirror across the perpendicular bisector of the two marks: the camera
             * stays on its side of the line and now faces the other character. */
            double ux = b->x - a->x, uz = b->z - a->z;
            double length = hypot (ux, uz);
            double mx = (a->x + b->x) / 2, mz = (a->z + b->z) / 2;
            double along;

            ux /= length;
            uz /= length;
            along = (pose->x - mx) * ux + (pose->z - mz) * uz;
            pose->x -= 2 * along * ux;
            pose->z -= 2 * along * uz;
          }
        else
          {
            /* No line: straight across the subject. */
            pose->x = 2 * subject->x - pose->x;
            pose->z = 2 * subject->z - pose->z;
          }
        aim_at_mark (pose, partner);
        reel_shot_camera_set_subject (camera, partner->name);
        break;
      }

    case REEL_NEW_ANGLE_OTS:
      {
        double dx, dz, length, side, px, pz;

        if (!have_partner (subject, partner, kind, error))
          return FALSE;

        dx = partner->x - subject->x;
        dz = partner->z - subject->z;
        length = MAX (hypot (dx, dz), 0.01);
        dx /= length;
        dz /= length;
        /* Behind the partner's shoulder, on the camera's side of the line. */
        px = -dz;
        pz = dx;
        side = (pose->x - partner->x) * px + (pose->z - partner->z) * pz >= 0 ? 1 : -1;
        pose->x = partner->x + dx * 1.0 + px * side * 0.35;
        pose->z = partner->z + dz * 1.0 + pz * side * 0.35;
        pose->height = partner->eye_height + 0.05;
        pose->lens_mm = 50;
        aim_at_mark (pose, subject);
        break;
      }

    case REEL_NEW_ANGLE_WIDER:
    case REEL_NEW_ANGLE_TIGHTER:
      {
        int direction = kind == REEL_NEW_ANGLE_WIDER ? -1 : 1;
        double lens = next_prime (pose->lens_mm, direction);

        if (lens > 0)
          {
            pose->lens_mm = lens;
          }
        else
          {
            /* Out of primes: move the camera instead. */
            double k = kind == REEL_NEW_ANGLE_WIDER ? 1.6 : 0.6;

            pose->x = tx + (pose->x - tx) * k;
            pose->z = tz + (pose->z - tz) * k;
          }
        reel_camera_pose_look_at (pose, tx, ty, tz);
        break;
      }

    case REEL_NEW_ANGLE_HIGH:
      pose->height = ty + MAX (distance * tan (RAD (15)), 0.8);
      reel_camera_pose_look_at (pose, tx, ty, tz);
      break;

    case REEL_NEW_ANGLE_LOW:
      pose->height = MAX (0.3, ty - distance * tan (RAD (25)));
      reel_camera_pose_look_at (pose, tx, ty, tz);
      /* A low angle looks up at the subject: tilt at least as much as the preset. */
      pose->tilt = MAX (pose->tilt, 18);
      break;

    case REEL_NEW_ANGLE_BIRDS_EYE:
      pose->x = tx + (pose->x - tx) * 2.5 / distance;
      pose->z = tz + (pose->z - tz) * 2.5 / distance;
      pose->height = ty + 6;
      pose->lens_mm = 35;
      reel_camera_pose_look_at (pose, tx, 0, tz);
      break;

    default:
      g_return_val_if_reached (FALSE);
    }

  pose->roll = 0;
  pose->pan = normalize_degrees (pose->pan);
  if (!isfinite (pose->x) || !isfinite (pose->z) || !isfinite (pose->height)
      || fabs (pose->x) > REEL_SET_MAX_EXTENT || fabs (pose->z) > REEL_SET_MAX_EXTENT
      || pose->height > REEL_SET_MAX_EXTENT)
    {
      g_set_error (error, REEL_NEW_ANGLE_ERROR, REEL_NEW_ANGLE_ERROR_OFF_SET,
                   /* Translators: %s is a kind of new angle ("Reverse", "Wider" …) */
                   _("The %s camera would stand outside the set: move the shot’s camera "
                     "nearer its subject."),
                   reel_new_angle_get_label (kind));
      return FALSE;
    }
  camera->end = camera->start;
  *out_camera = g_steal_pointer (&camera);
  return TRUE;
}

const char *
reel_new_angle_get_label (ReelNewAngle kind)
{
  g_return_val_if_fail ((guint) kind < REEL_N_NEW_ANGLES, "");
  return _(new_angle_labels[kind]);
}

int
reel_set_side_of_line (const ReelSet *set,
                       double         x,
                       double         z)
{
  const ReelSetMark *a, *b;
  double ux, uz, length, cross;

  if (set == NULL || !reel_set_get_line_of_action (set, &a, &b))
    return 0;

  ux = b->x - a->x;
  uz = b->z - a->z;
  length = hypot (ux, uz);
  cross = (ux * (z - a->z) - uz * (x - a->x)) / length;
  /* On the line (within 5 cm) counts as neither side: a camera there may go either way. */
  if (fabs (cross) < 0.05)
    return 0;
  return cross > 0 ? 1 : -1;
}

gboolean
reel_shot_camera_crosses_line (const ReelShotCamera  *previous,
                               const ReelShotCamera  *camera,
                               const ReelSet         *set,
                               char                 **out_reason)
{
  const ReelSetMark *a, *b;
  int before, after;

  if (out_reason != NULL)
    *out_reason = NULL;
  if (previous == NULL || camera == NULL || set == NULL
      || !reel_set_get_line_of_action (set, &a, &b))
    return FALSE;

  before = reel_set_side_of_line (set, previous->start.x, previous->start.z);
  after = reel_set_side_of_line (set, camera->start.x, camera->start.z);
  if (before == 0 || after == 0 || before == after)
    return FALSE;

  if (out_reason != NULL)
    /* Translators: the two %s are characters' names, the ends of the line of action */
    *out_reason = g_strdup_printf (_("The camera crossed the line of action between %s and "
                                     "%s: they swap sides of the screen from the previous "
                                     "shot."), a->name, b->name);
  return TRUE;
}
