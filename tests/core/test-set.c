/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test"

#include "config.h"

#include <fontconfig/fontconfig.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <string.h>

#include "core/reel-core-error.h"
#include "core/reel-edit.h"
#include "core/reel-history.h"
#include "core/reel-optics.h"
#include "core/reel-set-edit.h"
#include "core/reel-set-plan.h"
#include "reel-test-project.h"

/* The set and the shot camera: what a camera standing somewhere says about the shot
 * (size, angle, field of view), the "New angle" proposals, the 180° rule, undo, and
 * the stored form refusing hostile data. */

#define SUPER35_WIDTH 24.89

/* A camera at (@x, @height, @z) looking at the eyes of @mark. */
static ReelShotCamera *
camera_looking_at (double             x,
                   double             height,
                   double             z,
                   double             lens,
                   const ReelSetMark *mark)
{
  ReelCameraPose pose = { x, z, height, 0, 0, 0, lens };

  reel_camera_pose_look_at (&pose, mark->x, mark->eye_height, mark->z);
  return reel_shot_camera_new (&pose);
}

static ReelSet *
two_hander (void)
{
  ReelSet *set = reel_set_new ();

  reel_set_add_mark (set, "Maya", -1, 0, 90, 1.6);
  reel_set_add_mark (set, "Tom", 1, 0, -90, 1.7);
  reel_set_set_line_of_action (set, "Maya", "Tom");
  return set;
}

/* The frame's height at the subject, computed here from similar triangles. */
static double
frame_height_at (double distance,
                 double sensor_width,
                 double lens,
                 double aspect)
{
  return distance * (sensor_width / aspect) / lens;
}

typedef struct
{
  const char *sensor;
  double lens;
  double aspect;
  double frame_share;   /* how much of the person (from the top of the head) is framed */
  const char *size_id;
} SizeCase;

static void
test_derived_size (void)
{
  /* The vocabulary's framings: a close-up frames the face (~0.17 of a person), a
   * medium shot the waist up (~0.45), a full shot head to toe with room (~1.2). */
  static const SizeCase cases[] = {
    { "super35", 35, 16.0 / 9.0, 0.07, "ecu" },
    { "super35", 50, 16.0 / 9.0, 0.11, "bcu" },
    { "super35", 85, 2.39, 0.17, "cu" },
    { "full_frame", 50, 16.0 / 9.0, 0.25, "mcu" },
    { "full_frame", 35, 1.85, 0.34, "mcs" },
    { "super35", 35, 16.0 / 9.0, 0.45, "ms" },
    { "alexa_35", 50, 16.0 / 9.0, 0.6, "cowboy" },
    { "super35", 22, 16.0 / 9.0, 0.8, "mws" },
    { "super35", 35, 16.0 / 9.0, 1.2, "fs" },
    { "mft", 25, 4.0 / 3.0, 2.5, "ws" },
    { "super35", 22, 2.39, 6, "vws" },
    { "super35", 18, 16.0 / 9.0, 25, "ews" },
  };
  g_autoptr(ReelSet) set = two_hander ();
  const ReelSetMark *maya = reel_set_find_mark (set, "maya");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const SizeCase *c = &cases[i];
      const ReelSensor *sensor = reel_optics_sensor_lookup (c->sensor);
      double person = maya->eye_height + 0.12;
      /* Stand back until the frame is that tall where Maya stands. */
      double distance = c->frame_share * person * c->lens / (sensor->width_mm / c->aspect);
      g_autoptr(ReelShotCamera) camera = camera_looking_at (maya->x, maya->eye_height,
                                                            maya->z + distance, c->lens, maya);
      ReelCameraDerived derived;

      g_assert_cmpfloat_with_epsilon (frame_height_at (distance, sensor->width_mm, c->lens,
                                                       c->aspect) / person,
                                      c->frame_share, 1e-9);
      reel_shot_camera_set_subject (camera, "Maya");
      reel_shot_camera_derive (camera, set, c->sensor, c->aspect, &derived);
      g_test_message ("case %u: %s %g mm at %.2f m", i, c->sensor, c->lens, distance);
      g_assert_cmpstr (derived.size_id, ==, c->size_id);
      g_assert_cmpfloat_with_epsilon (derived.subject_distance, distance, 1e-6);
      g_assert_cmpint (derived.subject, ==, 0);
    }
}

typedef struct
{
  double height;
  double tilt;
  double roll;
  const char *angle_id;
} AngleCase;

static void
test_derived_angle (void)
{
  /* The vocabulary's presets (reel-camera.c): tilt and typical height of each. */
  static const AngleCase cases[] = {
    { 1.6, 0, 0, "eye_level" },
    { 1.45, 0, 0, "shoulder" },
    { 1.0, 0, 0, "hip" },
    { 0.5, 0, 0, "knee" },
    { 0.1, 0, 0, "ground" },
    { 2.6, -15, 0, "high" },
    { 0.9, 30, 0, "low" },
    { 6.0, -30, 0, "birds_eye" },
    { 0.15, 45, 0, "worms_eye" },
    { 1.6, 0, 15, "dutch" },
    { 40, -20, 0, "aerial" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const AngleCase *c = &cases[i];
      ReelCameraPose pose = { 0, 5, c->height, 0, c->tilt, c->roll, 35 };
      g_autoptr(ReelShotCamera) camera = reel_shot_camera_new (&pose);
      ReelCameraDerived derived;

      reel_shot_camera_derive (camera, NULL, "super35", 16.0 / 9.0, &derived);
      g_assert_cmpstr (derived.angle_id, ==, c->angle_id);
      /* Each preset's own tilt, roll and height name it back. */
      g_assert_cmpstr (reel_camera_angle_for_view (reel_camera_angle_get_height (c->angle_id) > 0
                                                     ? reel_camera_angle_get_height (c->angle_id)
                                                     : 1.6,
                                                   reel_camera_angle_get_tilt (c->angle_id),
                                                   reel_camera_angle_get_roll (c->angle_id),
                                                   1.6, -1),
                       ==, c->angle_id);
      g_assert_cmpfloat_with_epsilon (derived.height_m, c->height, 1e-9);
    }

  /* Looking down at Tom's eyes from 3 m up and 5 m away is a high angle. */
  {
    g_autoptr(ReelSet) set = two_hander ();
    const ReelSetMark *tom = reel_set_find_mark (set, "Tom");
    g_autoptr(ReelShotCamera) camera = camera_looking_at (1, 3.2, 5, 35, tom);
    ReelCameraDerived derived;

    reel_shot_camera_derive (camera, set, "super35", 16.0 / 9.0, &derived);
    g_assert_cmpint (derived.subject, ==, 1);
    g_assert_cmpstr (derived.angle_id, ==, "high");
  }
}

static void
test_derived_fov (void)
{
  static const struct
  {
    const char *sensor;
    double lens;
    double hfov;
  } cases[] = {
    { "super35", 35, 39.1 },     /* DESIGN.md's checks */
    { "full_frame", 50, 39.6 },
    { "full_frame", 24, 73.7 },
    { "super16", 12, 55.1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ReelCameraPose pose = { 0, 0, 1.6, 0, 0, 0, cases[i].lens };
      g_autoptr(ReelShotCamera) camera = reel_shot_camera_new (&pose);
      const ReelSensor *sensor = reel_optics_sensor_lookup (cases[i].sensor);
      ReelCameraDerived derived;
      double aspect = 2.39;

      reel_shot_camera_derive (camera, NULL, cases[i].sensor, aspect, &derived);
      g_assert_cmpfloat (fabs (derived.hfov_deg - cases[i].hfov), <, 0.05);
      /* Vertical: the frame of the project's aspect across the sensor's width. */
      g_assert_cmpfloat_with_epsilon (derived.vfov_deg,
                                      2 * atan (sensor->width_mm / aspect / (2 * cases[i].lens))
                                        * 180 / G_PI, 1e-9);
      g_assert_cmpstr (derived.size_id, ==, NULL);
    }
}

static void
test_derived_movement (void)
{
  static const struct
  {
    ReelCameraPose end;
    const char *movement;
  } cases[] = {
    { { 0, 5, 1.6, 0, 0, 0, 35 }, "static" },
    { { 0, 5, 1.6, 40, 0, 0, 35 }, "pan" },
    { { 0, 5, 1.6, 0, 20, 0, 35 }, "tilt" },
    { { 0, 5, 1.6, 0, 0, 0, 85 }, "zoom" },
    { { 0, 2, 1.6, 0, 0, 0, 35 }, "dolly_in" },
    { { 0, 8, 1.6, 0, 0, 0, 35 }, "dolly_out" },
    { { 3, 5, 1.6, 0, 0, 0, 35 }, "truck" },
    { { 3, 2, 1.6, -45, 0, 0, 35 }, "arc" },
    { { 0, 5, 6, 0, -30, 0, 35 }, "crane" },
    { { 0, 5, 2.2, 0, 0, 0, 35 }, "pedestal" },
    { { 0, 2, 1.6, 0, 0, 0, 18 }, "dolly_zoom" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ReelCameraPose start = { 0, 5, 1.6, 0, 0, 0, 35 };
      g_autoptr(ReelShotCamera) camera = reel_shot_camera_new (&start);
      ReelCameraDerived derived;
      ReelCameraPose middle;

      camera->moves = TRUE;
      camera->end = cases[i].end;
      reel_shot_camera_derive (camera, NULL, "super35", 16.0 / 9.0, &derived);
      g_assert_cmpstr (derived.movement_id, ==, cases[i].movement);

      camera->easing = REEL_CAMERA_EASING_EASE_IN_OUT;
      reel_shot_camera_pose_at (camera, 0.5, &middle);
      g_assert_cmpfloat_with_epsilon (middle.z, (start.z + cases[i].end.z) / 2, 1e-9);
      reel_shot_camera_pose_at (camera, 1, &middle);
      g_assert_cmpfloat_with_epsilon (middle.lens_mm, cases[i].end.lens_mm, 1e-9);
    }
}

/* Where a mark's eyes land in a 1000-pixel-wide frame, from the test's own pinhole. */
static void
eyes_in_frame (const ReelShotCamera *camera,
               const ReelSetMark    *mark,
               double               *out_x,
               double               *out_depth)
{
  double pan = camera->start.pan * G_PI / 180, tilt = camera->start.tilt * G_PI / 180;
  double fx = sin (pan) * cos (tilt), fy = sin (tilt), fz = -cos (pan) * cos (tilt);
  double rx = cos (pan), rz = sin (pan);
  double dx = mark->x - camera->start.x, dy = mark->eye_height - camera->start.height;
  double dz = mark->z - camera->start.z;
  double depth = dx * fx + dy * fy + dz * fz;
  double focal = 1000 * camera->start.lens_mm / SUPER35_WIDTH;

  *out_depth = depth;
  *out_x = 500 + focal * (dx * rx + dz * rz) / depth;
}

static void
test_new_angles (void)
{
  g_autoptr(ReelSet) set = two_hander ();
  const ReelSetMark *maya = reel_set_find_mark (set, "Maya");
  const ReelSetMark *tom = reel_set_find_mark (set, "Tom");
  /* Shot 1: a medium shot of Maya from the audience's side (+Z) of the line. */
  g_autoptr(ReelShotCamera) first = camera_looking_at (0.2, 1.6, 3, 35, maya);
  ReelCameraDerived base;
  double x, depth;

  reel_shot_camera_set_subject (first, "Maya");
  reel_shot_camera_derive (first, set, "super35", 16.0 / 9.0, &base);

  for (guint kind = 0; kind < REEL_N_NEW_ANGLES; kind++)
    {
      g_autoptr(ReelShotCamera) camera = NULL;
      g_autofree char *reason = NULL;
      ReelCameraDerived derived;

      g_test_message ("new angle: %s", reel_new_angle_get_label (kind));
      g_assert_true (reel_shot_camera_propose (first, set, kind, &camera, NULL));
      reel_shot_camera_derive (camera, set, "super35", 16.0 / 9.0, &derived);

      /* Every proposal keeps to the side of the line the first shot set up. */
      g_assert_false (reel_shot_camera_crosses_line (first, camera, set, &reason));
      g_assert_null (reason);
      g_assert_cmpint (reel_set_side_of_line (set, camera->start.x, camera->start.z), ==,
                       reel_set_side_of_line (set, first->start.x, first->start.z));

      switch (kind)
        {
        case REEL_NEW_ANGLE_REVERSE:
          /* Now Tom, in the middle of the frame. */
          g_assert_cmpstr (camera->subject, ==, "Tom");
          eyes_in_frame (camera, tom, &x, &depth);
          g_assert_cmpfloat (fabs (x - 500), <, 1);
          g_assert_cmpfloat (depth, >, 0);
          break;
        case REEL_NEW_ANGLE_OTS:
          /* Maya in the frame, Tom's shoulder in front of her, nearer the camera. */
          g_assert_cmpstr (camera->subject, ==, "Maya");
          eyes_in_frame (camera, maya, &x, &depth);
          g_assert_cmpfloat (fabs (x - 500), <, 1);
          {
            double tom_x, tom_depth;

            eyes_in_frame (camera, tom, &tom_x, &tom_depth);
            g_assert_cmpfloat (tom_depth, >, 0);
            g_assert_cmpfloat (tom_depth, <, depth);
            g_assert_cmpfloat (tom_x, >, 0);
            g_assert_cmpfloat (tom_x, <, 1000);
          }
          break;
        case REEL_NEW_ANGLE_WIDER:
          g_assert_cmpfloat (derived.hfov_deg, >, base.hfov_deg);
          g_assert_cmpint (reel_camera_get_index (REEL_VOCAB_SIZE, derived.size_id), <,
                           reel_camera_get_index (REEL_VOCAB_SIZE, base.size_id));
          break;
        case REEL_NEW_ANGLE_TIGHTER:
          g_assert_cmpfloat (derived.hfov_deg, <, base.hfov_deg);
          g_assert_cmpint (reel_camera_get_index (REEL_VOCAB_SIZE, derived.size_id), >,
                           reel_camera_get_index (REEL_VOCAB_SIZE, base.size_id));
          break;
        case REEL_NEW_ANGLE_HIGH:
          g_assert_cmpstr (derived.angle_id, ==, "high");
          break;
        case REEL_NEW_ANGLE_LOW:
          g_assert_cmpstr (derived.angle_id, ==, "low");
          break;
        case REEL_NEW_ANGLE_BIRDS_EYE:
          g_assert_cmpstr (derived.angle_id, ==, "birds_eye");
          g_assert_cmpfloat (camera->start.height, >, 6);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  /* When no camera can be proposed, the error says what is missing. A reverse and an
   * over-the-shoulder need two characters: the message names the one on the set. */
  {
    g_autoptr(ReelSet) lonely = reel_set_new ();
    g_autoptr(ReelShotCamera) camera = NULL;
    g_autoptr(GError) error = NULL;

    reel_set_add_mark (lonely, "Maya", 0, 0, 0, 1.6);
    for (guint kind = REEL_NEW_ANGLE_REVERSE; kind <= REEL_NEW_ANGLE_OTS; kind++)
      {
        g_assert_false (reel_shot_camera_propose (first, lonely, kind, &camera, &error));
        g_assert_error (error, REEL_NEW_ANGLE_ERROR, REEL_NEW_ANGLE_ERROR_NO_PARTNER);
        g_assert_nonnull (strstr (error->message, reel_new_angle_get_label (kind)));
        g_assert_nonnull (strstr (error->message, "Maya"));
        g_assert_null (camera);
        g_clear_error (&error);
      }
    /* Wider needs no second mark. */
    g_assert_true (reel_shot_camera_propose (first, lonely, REEL_NEW_ANGLE_WIDER, &camera,
                                             &error));
    g_assert_no_error (error);
    g_clear_pointer (&camera, reel_shot_camera_free);
  }

  /* The camera looks away from every mark: no subject for a reverse. */
  {
    g_autoptr(ReelShotCamera) away = reel_shot_camera_copy (first);
    g_autoptr(ReelShotCamera) camera = NULL;
    g_autoptr(GError) error = NULL;

    reel_shot_camera_set_subject (away, NULL);
    away->start.pan += 180;
    away->start.tilt = 0;
    g_assert_false (reel_shot_camera_propose (away, set, REEL_NEW_ANGLE_REVERSE, &camera,
                                              &error));
    g_assert_error (error, REEL_NEW_ANGLE_ERROR, REEL_NEW_ANGLE_ERROR_NO_SUBJECT);
    g_assert_null (camera);
  }

  /* No set at all. */
  {
    g_autoptr(ReelShotCamera) camera = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_false (reel_shot_camera_propose (first, NULL, REEL_NEW_ANGLE_HIGH, &camera,
                                              &error));
    g_assert_error (error, REEL_NEW_ANGLE_ERROR, REEL_NEW_ANGLE_ERROR_NO_SET);
    g_assert_null (camera);
  }

  /* A camera at the edge of the world: a bird's eye from 2.5 m back is fine, but a wider
   * angle that must move the camera back (no wider prime left) would leave the set. */
  {
    g_autoptr(ReelShotCamera) far = reel_shot_camera_copy (first);
    g_autoptr(ReelShotCamera) camera = NULL;
    g_autoptr(GError) error = NULL;

    far->start.lens_mm = 10;
    far->start.x = maya->x;
    far->start.z = REEL_SET_MAX_EXTENT * 0.9;
    reel_camera_pose_look_at (&far->start, maya->x, maya->eye_height, maya->z);
    g_assert_false (reel_shot_camera_propose (far, set, REEL_NEW_ANGLE_WIDER, &camera, &error));
    g_assert_error (error, REEL_NEW_ANGLE_ERROR, REEL_NEW_ANGLE_ERROR_OFF_SET);
    g_assert_null (camera);
  }
}

static void
test_line_of_action (void)
{
  g_autoptr(ReelSet) set = two_hander ();
  const ReelSetMark *maya = reel_set_find_mark (set, "Maya");
  g_autoptr(ReelShotCamera) front = camera_looking_at (0, 1.6, 4, 35, maya);
  g_autoptr(ReelShotCamera) front_right = camera_looking_at (3, 1.6, 2, 50, maya);
  g_autoptr(ReelShotCamera) behind = camera_looking_at (0.5, 1.6, -4, 35, maya);
  g_autoptr(ReelShotCamera) on_line = camera_looking_at (4, 1.6, 0, 35, maya);
  g_autofree char *reason = NULL;

  g_assert_false (reel_shot_camera_crosses_line (front, front_right, set, NULL));
  g_assert_true (reel_shot_camera_crosses_line (front, behind, set, &reason));
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (reason, "Maya"));
  g_assert_nonnull (strstr (reason, "Tom"));
  /* On the line itself: neither side, no flag. */
  g_assert_false (reel_shot_camera_crosses_line (front, on_line, set, NULL));

  /* Without a line there is nothing to cross. */
  reel_set_set_line_of_action (set, "", "");
  g_assert_false (reel_shot_camera_crosses_line (front, behind, set, NULL));
}

static void
test_edit_and_undo (void)
{
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(ReelScene) scene = reel_scene_new ();
  g_autoptr(ReelShot) shot = reel_shot_new ();
  g_autoptr(ReelSet) set = two_hander ();
  g_autoptr(ReelShotCamera) camera = NULL;
  g_autoptr(ReelSet) moved = NULL;
  ReelHistory *history = reel_project_get_history (project);
  const ReelSetMark *maya;
  ReelShot *angle;
  guint n_before;

  reel_project_append_scene (project, scene);
  reel_scene_append_shot (scene, shot);
  reel_shot_set_size (shot, "ws");
  reel_shot_set_lens_mm (shot, 22);

  g_assert_true (reel_edit_set_scene_set (project, scene, set, NULL));
  g_assert_true (reel_set_equal (reel_scene_get_set (scene), set));
  g_assert_false (reel_edit_set_scene_set (project, scene, set, NULL));

  /* A medium close-up of Maya on an 85. */
  maya = reel_set_find_mark (reel_scene_get_set (scene), "Maya");
  camera = camera_looking_at (maya->x, 1.6, maya->z + 2.6, 85, maya);
  g_assert_true (reel_edit_set_shot_camera (project, shot, camera));
  g_assert_cmpfloat (reel_shot_get_lens_mm (shot), ==, 85);
  g_assert_cmpstr (reel_shot_get_size (shot), ==, "mcu");
  g_assert_cmpstr (reel_shot_get_angle (shot), ==, "eye_level");
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, "Move Camera");

  /* Maya steps back: the same camera now frames her looser, in the same step. */
  moved = reel_set_copy (reel_scene_get_set (scene));
  g_array_index (moved->marks, ReelSetMark, 0).z -= 1.8;
  g_assert_true (reel_edit_set_scene_set (project, scene, moved, "Move Mark"));
  g_assert_cmpstr (reel_shot_get_size (shot), ==, "ms");
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, "Move Mark");

  g_assert_true (reel_history_undo (history));
  g_assert_cmpstr (reel_shot_get_size (shot), ==, "mcu");
  g_assert_true (reel_set_equal (reel_scene_get_set (scene), set));

  /* New angle: one step adds the shot and its camera. */
  n_before = reel_scene_get_n_shots (scene);
  angle = reel_edit_add_new_angle (project, shot, REEL_NEW_ANGLE_REVERSE, NULL);
  g_assert_nonnull (angle);
  g_assert_cmpuint (reel_scene_get_n_shots (scene), ==, n_before + 1);
  g_assert_true (reel_scene_get_shot (scene, 1) == angle);
  g_assert_cmpstr (reel_shot_get_camera (angle)->subject, ==, "Tom");
  g_assert_false (reel_shot_crosses_line (angle, NULL));
  g_assert_true (reel_history_undo (history));
  g_assert_cmpuint (reel_scene_get_n_shots (scene), ==, n_before);

  /* Undo the camera: the shot's own fields come back. */
  g_assert_true (reel_history_undo (history));
  g_assert_null (reel_shot_get_camera (shot));
  g_assert_cmpstr (reel_shot_get_size (shot), ==, "ws");
  g_assert_cmpfloat (reel_shot_get_lens_mm (shot), ==, 22);
  g_assert_true (reel_history_redo (history));
  g_assert_true (reel_shot_camera_equal (reel_shot_get_camera (shot), camera));

  /* Copied with the scene. */
  {
    g_autoptr(ReelScene) copy = reel_scene_duplicate (scene);

    g_assert_true (reel_set_equal (reel_scene_get_set (copy), reel_scene_get_set (scene)));
    g_assert_true (reel_shot_camera_equal (reel_shot_get_camera (reel_scene_get_shot (copy, 0)),
                                           camera));
  }
}

static void
test_templates (void)
{
  guint n;
  const ReelSetTemplate *templates = reel_set_get_templates (&n);

  g_assert_cmpuint (n, ==, 4);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ReelSet) set = reel_set_new_from_template (templates[i].id);
      g_autoptr(GError) error = NULL;

      g_assert_nonnull (set);
      g_assert_true (reel_set_validate (set, &error));
      g_assert_no_error (error);
    }
  g_assert_null (reel_set_new_from_template ("moon"));

  {
    g_autoptr(ReelSet) room = reel_set_new_from_template ("room");
    g_autoptr(ReelSet) street = reel_set_new_from_template ("street");

    g_assert_false (room->exterior);
    g_assert_cmpuint (room->walls->len, >=, 3);
    g_assert_true (street->exterior);
  }

  /* The generic set: the same location, the same place. */
  {
    g_autoptr(ReelSet) a = reel_set_new_generic (TRUE, "HARBOUR");
    g_autoptr(ReelSet) b = reel_set_new_generic (TRUE, "harbour");
    g_autoptr(ReelSet) c = reel_set_new_generic (TRUE, "MARKET");

    g_assert_true (reel_set_equal (a, b));
    g_assert_false (reel_set_equal (a, c));
  }
}

static void
test_variant_round_trip (void)
{
  g_autoptr(ReelSet) set = reel_set_new_from_template ("room");
  g_autoptr(GVariant) variant = g_variant_ref_sink (reel_set_to_variant (set));
  g_autoptr(GBytes) bytes = g_variant_get_data_as_bytes (variant);
  g_autoptr(GVariant) reread = g_variant_new_from_bytes (g_variant_get_type (variant), bytes,
                                                         FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelSet) back = reel_set_from_variant (reread, &error);
  ReelCameraPose pose = { 1, 2, 3, 40, -10, 5, 85 };
  g_autoptr(ReelShotCamera) camera = reel_shot_camera_new (&pose);
  g_autoptr(GVariant) camera_variant = NULL;
  g_autoptr(ReelShotCamera) camera_back = NULL;

  g_assert_no_error (error);
  g_assert_true (reel_set_equal (set, back));

  camera->moves = TRUE;
  camera->end.x = 4;
  camera->easing = REEL_CAMERA_EASING_EASE_OUT;
  reel_shot_camera_set_subject (camera, "A");
  camera_variant = g_variant_ref_sink (reel_shot_camera_to_variant (camera));
  camera_back = reel_shot_camera_from_variant (camera_variant, &error);
  g_assert_no_error (error);
  g_assert_true (reel_shot_camera_equal (camera, camera_back));
}

typedef enum
{
  HOSTILE_NAN_PROP,
  HOSTILE_NEGATIVE_SIZE,
  HOSTILE_HUGE_COUNT,
  HOSTILE_INFINITE_WALL,
  HOSTILE_OPENING_PAST_WALL,
  HOSTILE_UNKNOWN_KIND,
  HOSTILE_WRONG_TYPE,
} Hostile;

static void
test_hostile_variant (gconstpointer data)
{
  Hostile hostile = GPOINTER_TO_INT (data);
  g_autoptr(ReelSet) set = reel_set_new_from_template ("room");
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelSet) back = NULL;
  ReelSetProp *prop = &g_array_index (set->props, ReelSetProp, 0);
  ReelSetWall *wall = &g_array_index (set->walls, ReelSetWall, 0);

  switch (hostile)
    {
    case HOSTILE_NAN_PROP:
      prop->x = NAN;
      break;
    case HOSTILE_NEGATIVE_SIZE:
      prop->height = -2;
      break;
    case HOSTILE_HUGE_COUNT:
      for (guint i = 0; i < REEL_SET_MAX_PROPS; i++)
        reel_set_add_prop (set, "box", 0, 0, 0);
      break;
    case HOSTILE_INFINITE_WALL:
      wall->x2 = INFINITY;
      break;
    case HOSTILE_OPENING_PAST_WALL:
      reel_set_wall_add_opening (set, 0, REEL_SET_OPENING_DOOR, 5.5, 2);
      break;
    case HOSTILE_UNKNOWN_KIND:
      prop->kind = "spaceship";
      break;
    case HOSTILE_WRONG_TYPE:
    default:
      break;
    }

  if (hostile == HOSTILE_WRONG_TYPE)
    variant = g_variant_ref_sink (g_variant_new ("(us)", 1, "hello"));
  else
    variant = g_variant_ref_sink (reel_set_to_variant (set));

  back = reel_set_from_variant (variant, &error);
  g_assert_null (back);
  g_assert_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_VALUE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "set"));
}

static void
test_hostile_camera (void)
{
  ReelCameraPose pose = { 0, 0, 1.6, 0, 0, 0, 35 };
  g_autoptr(ReelShotCamera) camera = reel_shot_camera_new (&pose);
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelShotCamera) back = NULL;

  camera->start.lens_mm = NAN;
  variant = g_variant_ref_sink (reel_shot_camera_to_variant (camera));
  back = reel_shot_camera_from_variant (variant, &error);
  g_assert_null (back);
  g_assert_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_VALUE);
}

/* The plan: the camera's number at its place, its field of view ahead of it and not
 * behind, the mark where it stands. */
static void
test_plan (void)
{
  g_autoptr(ReelSet) set = two_hander ();
  ReelCameraPose pose = { 0, 4, 1.6, 0, 0, 0, 35 };
  g_autoptr(ReelShotCamera) camera = reel_shot_camera_new (&pose);
  ReelPlanCamera cameras[] = { { camera, "1" } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = reel_set_plan_render_png (set, cameras, 1, SUPER35_WIDTH, 400, 300, 0,
                                                    &error);
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("png", NULL);
  GdkPixbuf *pixbuf;
  double scale, ox, oy;
  const guint8 *pixels;
  int stride, channels;

  g_assert_no_error (error);
  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, png, &error));
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  pixels = gdk_pixbuf_read_pixels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  channels = gdk_pixbuf_get_n_channels (pixbuf);
  reel_set_plan_get_transform (set, cameras, 1, 400, 300, &scale, &ox, &oy);

#define PIXEL(x, z, c) pixels[(int) (oy + (z) * scale) * stride + (int) (ox + (x) * scale) * channels + (c)]
  /* The selected camera's blue disc at its place (beside its white number). */
  g_assert_cmpuint (PIXEL (0, 4 + 7 / scale, 2), >, PIXEL (0, 4 + 7 / scale, 0) + 60);
  /* Its frustum 2 m ahead (towards −Z) is shaded; 2 m behind is bare floor. */
  g_assert_cmpuint (PIXEL (0, 2, 0) + 20, <, PIXEL (0, 6, 0));
  /* Maya's mark is orange. */
  g_assert_cmpuint (PIXEL (-1, 0, 0), >, PIXEL (-1, 0, 2) + 100);
#undef PIXEL
}

/* What a click on the plan picks: a mark, a camera's lens, its tip, a table turned 90°
 * (hit across its turned footprint, missed where it would lie unturned), never water. */
static void
test_plan_hit (void)
{
  g_autoptr(ReelSet) set = two_hander ();
  ReelCameraPose pose = { 0, 4, 1.6, 90, 0, 0, 35 };
  g_autoptr(ReelShotCamera) camera = reel_shot_camera_new (&pose);
  ReelPlanCamera cameras[] = { { camera, "1" } };
  const double scale = 20, ox = 200, oy = 150;
  ReelPlanHit hit;
  double tx, tz;
  guint table, water;

  table = reel_set_add_prop (set, "table", 5, -4, 90);
  g_array_index (set->props, ReelSetProp, table).width = 2;
  g_array_index (set->props, ReelSetProp, table).depth = 0.6;
  water = reel_set_add_prop (set, "water", -6, -6, 0);

#define HIT(x, z) reel_set_plan_hit (set, cameras, 1, scale, ox, oy, ox + (x) * scale, oy + (z) * scale)
  hit = HIT (1, 0);
  g_assert_cmpint (hit.kind, ==, REEL_PLAN_HIT_MARK);
  g_assert_cmpuint (hit.index, ==, 1);
  hit = HIT (0.2, 4.1);
  g_assert_cmpint (hit.kind, ==, REEL_PLAN_HIT_CAMERA);
  g_assert_cmpuint (hit.index, ==, 0);

  /* Panned 90°: the tip is 3 m to its right (+X). */
  reel_set_plan_camera_tip (&pose, scale, &tx, &tz);
  g_assert_cmpfloat_with_epsilon (tx, 3, 1e-9);
  g_assert_cmpfloat_with_epsilon (tz, 4, 1e-9);
  hit = HIT (3.1, 4);
  g_assert_cmpint (hit.kind, ==, REEL_PLAN_HIT_CAMERA_TIP);
  /* On a plan of a large set, at 4 px a metre, the field of view is drawn 48 px long. */
  reel_set_plan_camera_tip (&pose, 4, &tx, &tz);
  g_assert_cmpfloat_with_epsilon (tx, 12, 1e-9);
  g_assert_cmpint (reel_set_plan_hit (set, cameras, 1, 4, ox, oy, ox + 12 * 4, oy + 4 * 4).kind, ==,
                   REEL_PLAN_HIT_CAMERA_TIP);

  /* The table, 2 m wide, turned a quarter: it runs along Z now. */
  hit = HIT (5, -4.8);
  g_assert_cmpint (hit.kind, ==, REEL_PLAN_HIT_PROP);
  g_assert_cmpuint (hit.index, ==, table);
  hit = HIT (5.8, -4);
  g_assert_cmpint (hit.kind, ==, REEL_PLAN_HIT_NONE);

  hit = HIT (-6, -6);
  g_assert_cmpint (hit.kind, ==, REEL_PLAN_HIT_NONE);
  g_assert_cmpuint (water, >, table);
#undef HIT
}


/* Walls and their openings are hit on the plan; an opening before its wall. A moving
 * camera's end is a handle of its own. */
static void
test_plan_hit_walls (void)
{
  g_autoptr(ReelSet) set = reel_set_new_from_template ("room");
  ReelCameraPose pose = { 0, 4, 1.6, 0, 0, 0, 35 };
  g_autoptr(ReelShotCamera) camera = reel_shot_camera_new (&pose);
  ReelPlanCamera cameras[] = { { camera, "1" } };
  const double scale = 50, ox = 300, oy = 300;
  ReelPlanHit hit;

#define HIT(x, z) reel_set_plan_hit (set, cameras, 1, scale, ox, oy, ox + (x) * scale, oy + (z) * scale)
  /* The back wall, anywhere along it, and just off its face. */
  hit = HIT (-2, -2.5);
  g_assert_cmpint (hit.kind, ==, REEL_PLAN_HIT_WALL);
  g_assert_cmpuint (hit.index, ==, 0);
  hit = HIT (2, -2.5 + 0.07 + 4 / scale);
  g_assert_cmpint (hit.kind, ==, REEL_PLAN_HIT_WALL);
  hit = HIT (2, -2.5 + 0.5);
  g_assert_cmpint (hit.kind, !=, REEL_PLAN_HIT_WALL);
  /* The right wall's window runs from 1.5 m to 3.1 m along it, from z = −2.5. */
  hit = HIT (3, 0);
  g_assert_cmpint (hit.kind, ==, REEL_PLAN_HIT_OPENING);
  g_assert_cmpuint (hit.index, ==, 1);
  g_assert_cmpuint (hit.sub, ==, 0);
  hit = HIT (3, 1.5);
  g_assert_cmpint (hit.kind, ==, REEL_PLAN_HIT_WALL);
  g_assert_cmpuint (hit.index, ==, 1);

  /* Not moving: no end handle; moving: the end is hit where it stands. */
  camera->end = camera->start;
  camera->end.x = 1.5;
  g_assert_cmpint (HIT (1.5, 4).kind, ==, REEL_PLAN_HIT_NONE);
  camera->moves = TRUE;
  hit = HIT (1.5, 4);
  g_assert_cmpint (hit.kind, ==, REEL_PLAN_HIT_CAMERA_END);
  g_assert_cmpuint (hit.index, ==, 0);
#undef HIT
}

/* The edits the Set view makes: rename a mark (the line follows, a taken name is refused),
 * remove a mark (its line goes), move a wall with its openings, keep an opening on its
 * wall, remove walls and openings. */
static void
test_set_edits (void)
{
  g_autoptr(ReelSet) set = reel_set_new_from_template ("room");
  const ReelSetWall *wall;
  const ReelSetOpening *window;
  double tx, tz, sx, sz;

  g_assert_true (reel_set_rename_mark (set, 0, "  Ana "));
  g_assert_cmpstr (g_array_index (set->marks, ReelSetMark, 0).name, ==, "Ana");
  g_assert_cmpstr (set->line_a, ==, "Ana");
  g_assert_cmpstr (set->line_b, ==, "B");
  g_assert_false (reel_set_rename_mark (set, 0, "b"));
  g_assert_false (reel_set_rename_mark (set, 0, "  "));
  g_assert_cmpstr (g_array_index (set->marks, ReelSetMark, 0).name, ==, "Ana");
  /* The same name in other letters is no clash with itself. */
  g_assert_true (reel_set_rename_mark (set, 0, "ANA"));
  g_assert_cmpstr (set->line_a, ==, "ANA");

  reel_set_remove_mark (set, 1);
  g_assert_cmpuint (set->marks->len, ==, 1);
  g_assert_false (reel_set_get_line_of_action (set, NULL, NULL));
  g_assert_cmpstr (set->line_a, ==, "");

  reel_set_move_wall (set, 1, 0.5, -0.25);
  wall = &g_array_index (set->walls, ReelSetWall, 1);
  g_assert_cmpfloat (wall->x1, ==, 3.5);
  g_assert_cmpfloat (wall->x2, ==, 3.5);
  g_assert_cmpfloat (wall->z1, ==, -2.75);
  g_assert_cmpfloat (wall->z2, ==, 2.25);
  g_assert_cmpuint (wall->openings->len, ==, 1);

  /* The window (1.6 m wide) on a 5 m wall: its middle where asked, but never past an end. */
  reel_set_place_opening (set, 1, 0, 2);
  window = &g_array_index (wall->openings, ReelSetOpening, 0);
  g_assert_cmpfloat_with_epsilon (window->offset, 1.2, 1e-9);
  reel_set_place_opening (set, 1, 0, -3);
  g_assert_cmpfloat (window->offset, ==, 0);
  reel_set_place_opening (set, 1, 0, 40);
  g_assert_cmpfloat_with_epsilon (window->offset, 5 - 1.6, 1e-9);
  g_assert_true (reel_set_validate (set, NULL));

  reel_set_remove_opening (set, 1, 0);
  g_assert_cmpuint (g_array_index (set->walls, ReelSetWall, 1).openings->len, ==, 0);
  reel_set_remove_wall (set, 0);
  g_assert_cmpuint (set->walls->len, ==, 2);
  reel_set_remove_prop (set, 0);
  g_assert_cmpstr (g_array_index (set->props, ReelSetProp, 0).kind, ==, "chair");

  /* A prop's handles: the turning one ahead of it (towards −Z unturned, +X turned a quarter),
   * the sizing one on its front-right corner. */
  {
    ReelSetProp prop = { "box", NULL, 1, 1, 0, 2, 1, 1, 0 };

    reel_set_plan_prop_handles (&prop, 10, &tx, &tz, &sx, &sz);
    g_assert_cmpfloat_with_epsilon (tx, 1, 1e-9);
    g_assert_cmpfloat_with_epsilon (tz, 1 - 0.5 - 1.8, 1e-9);
    g_assert_cmpfloat_with_epsilon (sx, 2, 1e-9);
    g_assert_cmpfloat_with_epsilon (sz, 0.5, 1e-9);
    prop.rotation = 90;
    reel_set_plan_prop_handles (&prop, 10, &tx, &tz, &sx, &sz);
    g_assert_cmpfloat_with_epsilon (tx, 1 + 0.5 + 1.8, 1e-9);
    g_assert_cmpfloat_with_epsilon (tz, 1, 1e-9);
    g_assert_cmpfloat_with_epsilon (sx, 1.5, 1e-9);
    g_assert_cmpfloat_with_epsilon (sz, 2, 1e-9);
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/set/derived/size", test_derived_size);
  g_test_add_func ("/set/derived/angle", test_derived_angle);
  g_test_add_func ("/set/derived/fov", test_derived_fov);
  g_test_add_func ("/set/derived/movement", test_derived_movement);
  g_test_add_func ("/set/new-angles", test_new_angles);
  g_test_add_func ("/set/line-of-action", test_line_of_action);
  g_test_add_func ("/set/edit-and-undo", test_edit_and_undo);
  g_test_add_func ("/set/templates", test_templates);
  g_test_add_func ("/set/variant/round-trip", test_variant_round_trip);
  g_test_add_data_func ("/set/variant/hostile/nan", GINT_TO_POINTER (HOSTILE_NAN_PROP),
                        test_hostile_variant);
  g_test_add_data_func ("/set/variant/hostile/negative-size",
                        GINT_TO_POINTER (HOSTILE_NEGATIVE_SIZE), test_hostile_variant);
  g_test_add_data_func ("/set/variant/hostile/huge-count", GINT_TO_POINTER (HOSTILE_HUGE_COUNT),
                        test_hostile_variant);
  g_test_add_data_func ("/set/variant/hostile/infinite-wall",
                        GINT_TO_POINTER (HOSTILE_INFINITE_WALL), test_hostile_variant);
  g_test_add_data_func ("/set/variant/hostile/opening-past-wall",
                        GINT_TO_POINTER (HOSTILE_OPENING_PAST_WALL), test_hostile_variant);
  g_test_add_data_func ("/set/variant/hostile/unknown-kind",
                        GINT_TO_POINTER (HOSTILE_UNKNOWN_KIND), test_hostile_variant);
  g_test_add_data_func ("/set/variant/hostile/wrong-type", GINT_TO_POINTER (HOSTILE_WRONG_TYPE),
                        test_hostile_variant);
  g_test_add_func ("/set/camera/hostile", test_hostile_camera);
  g_test_add_func ("/set/plan", test_plan);
  g_test_add_func ("/set/plan/hit", test_plan_hit);
  g_test_add_func ("/set/plan/hit-walls", test_plan_hit_walls);
  g_test_add_func ("/set/edits", test_set_edits);

  status = g_test_run ();

  /* The plan's numbers load fonts: let the leak checker see only our memory. */
  cairo_debug_reset_static_data ();
  FcFini ();

  return status;
}
