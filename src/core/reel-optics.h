/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * ReelSensor:
 * @id: stable id ("super35", "full_frame", …)
 * @label: untranslated label (N_()); translate with _() or reel_optics_sensor_get_label()
 * @width_mm: active width of the sensor or film gate
 * @height_mm: active height
 */
typedef struct
{
  const char *id;
  const char *label;
  double      width_mm;
  double      height_mm;
} ReelSensor;

#define REEL_OPTICS_DEFAULT_SENSOR "super35"

const ReelSensor *reel_optics_get_sensors        (guint      *n_sensors);
/* NULL for NULL or unknown ids. */
const ReelSensor *reel_optics_sensor_lookup      (const char *id);
/* Like lookup, but falls back to Super 35 so callers always get a sensor. */
const ReelSensor *reel_optics_sensor_lookup_or_default (const char *id);
const char       *reel_optics_sensor_get_label   (const ReelSensor *sensor);

/* Angle of view in degrees: 2·atan(size / (2·focal)). 0 when either is <= 0. */
double            reel_optics_horizontal_fov     (double      sensor_width_mm,
                                                  double      focal_mm);
double            reel_optics_vertical_fov       (double      sensor_height_mm,
                                                  double      focal_mm);
/* The focal length giving @fov_degrees across @sensor_width_mm (inverse of the above). */
double            reel_optics_focal_for_fov      (double      sensor_width_mm,
                                                  double      fov_degrees);
/* Vertical angle of view for a frame of @aspect (width / height) that fills the
 * sensor width: what a panel of the project's aspect ratio shows. */
double            reel_optics_vertical_fov_for_aspect (double sensor_width_mm,
                                                       double focal_mm,
                                                       double aspect);

G_END_DECLS
