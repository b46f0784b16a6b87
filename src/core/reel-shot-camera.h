/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <graphene.h>

#include "core/reel-set.h"

G_BEGIN_DECLS

/*
 * A shot's camera standing in the scene's set (axes and angles as in reel-set.h):
 * the lens is at (@x, @height, @z); @pan turns it clockwise seen from above (0 looks
 * towards −Z), @tilt raises it (positive looks up, as the angle presets count), @roll
 * turns the picture (positive: the camera rolls counter-clockwise as seen from behind
 * it, the horizon runs down to the right). The rotation is Ry(−pan)·Rx(tilt)·Rz(roll)
 * applied to a camera looking down its −Z with +Y up: glTF's camera.
 */
typedef struct
{
  double x, z;
  double height;
  double pan;
  double tilt;
  double roll;
  double lens_mm;
} ReelCameraPose;

typedef enum
{
  REEL_CAMERA_EASING_LINEAR,
  REEL_CAMERA_EASING_EASE_IN,
  REEL_CAMERA_EASING_EASE_OUT,
  REEL_CAMERA_EASING_EASE_IN_OUT,
} ReelCameraEasing;

/* @subject: name of the mark the shot frames ("" = the nearest mark in view). */
typedef struct
{
  ReelCameraPose start;
  gboolean moves;
  ReelCameraPose end;
  ReelCameraEasing easing;
  char *subject;
} ReelShotCamera;

/* What the camera says about the shot, in the vocabulary of reel-camera.h. */
typedef struct
{
  const char *size_id;        /* NULL when no mark is framed */
  const char *angle_id;
  const char *movement_id;
  double height_m;
  double lens_mm;
  double hfov_deg;
  double vfov_deg;
  double subject_distance;    /* along the view axis to the subject's eyes, or -1 */
  int subject;                /* index into the set's marks, or -1 */
} ReelCameraDerived;

typedef enum
{
  REEL_NEW_ANGLE_REVERSE,
  REEL_NEW_ANGLE_OTS,
  REEL_NEW_ANGLE_WIDER,
  REEL_NEW_ANGLE_TIGHTER,
  REEL_NEW_ANGLE_HIGH,
  REEL_NEW_ANGLE_LOW,
  REEL_NEW_ANGLE_BIRDS_EYE,
} ReelNewAngle;

#define REEL_N_NEW_ANGLES (REEL_NEW_ANGLE_BIRDS_EYE + 1)

#define REEL_NEW_ANGLE_ERROR (reel_new_angle_error_quark ())

/**
 * ReelNewAngleError:
 * @REEL_NEW_ANGLE_ERROR_NO_SET: the shot's scene has no set
 * @REEL_NEW_ANGLE_ERROR_NO_CAMERA: the shot has no camera on the set
 * @REEL_NEW_ANGLE_ERROR_NO_SUBJECT: no actor's mark is in the shot's view
 * @REEL_NEW_ANGLE_ERROR_NO_PARTNER: the angle needs a second mark (the other character)
 * @REEL_NEW_ANGLE_ERROR_OFF_SET: the proposed camera would stand outside the set
 *
 * Why "New angle" proposed no camera; the messages are translated and say what to do.
 */
typedef enum
{
  REEL_NEW_ANGLE_ERROR_NO_SET,
  REEL_NEW_ANGLE_ERROR_NO_CAMERA,
  REEL_NEW_ANGLE_ERROR_NO_SUBJECT,
  REEL_NEW_ANGLE_ERROR_NO_PARTNER,
  REEL_NEW_ANGLE_ERROR_OFF_SET,
} ReelNewAngleError;

GQuark reel_new_angle_error_quark (void);

/* The type of reel_shot_camera_to_variant(). */
#define REEL_SHOT_CAMERA_VARIANT_TYPE "(u(ddddddd)b(ddddddd)us)"

#define REEL_TYPE_SHOT_CAMERA (reel_shot_camera_get_type ())
GType            reel_shot_camera_get_type       (void) G_GNUC_CONST;

/* A static camera with @pose. */
ReelShotCamera  *reel_shot_camera_new            (const ReelCameraPose *pose);
ReelShotCamera  *reel_shot_camera_copy           (const ReelShotCamera *self);
void             reel_shot_camera_free           (ReelShotCamera       *self);
/* NULL-safe. */
gboolean         reel_shot_camera_equal          (const ReelShotCamera *a,
                                                  const ReelShotCamera *b);
void             reel_shot_camera_set_subject    (ReelShotCamera       *self,
                                                  const char           *subject);
/* The pose at @t (0…1) of the move, eased; the start pose when it does not move. */
void             reel_shot_camera_pose_at        (const ReelShotCamera *self,
                                                  double                t,
                                                  ReelCameraPose       *out_pose);
const char      *reel_camera_easing_to_id        (ReelCameraEasing      easing);
ReelCameraEasing reel_camera_easing_from_id      (const char           *id);

GVariant        *reel_shot_camera_to_variant     (const ReelShotCamera *self);
ReelShotCamera  *reel_shot_camera_from_variant   (GVariant             *variant,
                                                  GError              **error);

/* The camera's axes in the world: right (+X of the picture), up, and forward (where
 * it looks; glTF's −Z). Any may be NULL. */
void             reel_camera_pose_get_axes       (const ReelCameraPose *pose,
                                                  graphene_vec3_t      *right,
                                                  graphene_vec3_t      *up,
                                                  graphene_vec3_t      *forward);
/* The rotation as a unit quaternion (glTF's node rotation). */
void             reel_camera_pose_get_rotation   (const ReelCameraPose *pose,
                                                  graphene_quaternion_t *rotation);
/* Where a world point lands in a picture of @width × @height pixels whose width
 * spans the sensor width (the frame's aspect is @width / @height); pixel (0, 0) is
 * the top-left corner of the top-left pixel. FALSE when the point is behind the
 * camera. @depth: metres along the view axis. */
gboolean         reel_camera_pose_project        (const ReelCameraPose *pose,
                                                  double                sensor_width_mm,
                                                  double                width,
                                                  double                height,
                                                  const graphene_point3d_t *point,
                                                  double               *out_x,
                                                  double               *out_y,
                                                  double               *out_depth);
/* Turns the camera (pan and tilt) to look at a point; keeps position, roll and lens. */
void             reel_camera_pose_look_at        (ReelCameraPose       *pose,
                                                  double                x,
                                                  double                y,
                                                  double                z);

/* Size, angle, movement, height and lens of the shot as the camera sees @set (may
 * be NULL) on @sensor_id with frames of @aspect. */
void             reel_shot_camera_derive         (const ReelShotCamera *self,
                                                  const ReelSet        *set,
                                                  const char           *sensor_id,
                                                  double                aspect,
                                                  ReelCameraDerived    *out);
/* The vocabulary's shot size for a frame @frame_height_m tall at the subject, for a
 * person whose eyes are @eye_height_m high. */
const char      *reel_camera_size_for_frame      (double                frame_height_m,
                                                  double                eye_height_m);
/* The vocabulary's angle for a camera at @height_m looking at eyes at
 * @eye_height_m from @distance_m away (plan distance), tilted @tilt_deg, rolled @roll_deg. */
const char      *reel_camera_angle_for_view      (double                height_m,
                                                  double                tilt_deg,
                                                  double                roll_deg,
                                                  double                eye_height_m,
                                                  double                distance_m);

/* "New angle": a camera proposed from @from for the same subject, in @out_camera
 * (transfer full). FALSE with @error (REEL_NEW_ANGLE_ERROR) naming what is missing when
 * there is none: no set, no mark in view for a reverse or an over-the-shoulder, no
 * second mark, or a camera that would stand outside the set. */
gboolean         reel_shot_camera_propose        (const ReelShotCamera *from,
                                                  const ReelSet        *set,
                                                  ReelNewAngle          kind,
                                                  ReelShotCamera      **out_camera,
                                                  GError              **error);
const char      *reel_new_angle_get_label        (ReelNewAngle          kind);

/* The 180° rule: TRUE when @camera stands on the other side of the set's line of
 * action from @previous (the previous shot of the scene). @out_reason (transfer
 * full, translated) says which line and which sides. */
gboolean         reel_shot_camera_crosses_line   (const ReelShotCamera *previous,
                                                  const ReelShotCamera *camera,
                                                  const ReelSet        *set,
                                                  char                **out_reason);
/* Which side of the line of action a point is on: 1, -1, or 0 on the line (or no line). */
int              reel_set_side_of_line           (const ReelSet        *set,
                                                  double                x,
                                                  double                z);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelShotCamera, reel_shot_camera_free)

G_END_DECLS
