/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-optics"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "reel-optics.h"

/* Active image areas as the manufacturers publish them. */
static const ReelSensor sensors[] = {
  { "super35", N_("Super 35"), 24.89, 18.66 },
  { "full_frame", N_("Full Frame"), 36.0, 24.0 },
  { "alexa_mini_open_gate", N_("ALEXA Mini Open Gate"), 28.25, 18.17 },
  { "alexa_35", N_("ALEXA 35"), 27.99, 19.22 },
  { "alexa_mini_lf", N_("ALEXA Mini LF"), 36.70, 25.54 },
  { "super16", N_("Super 16"), 12.52, 7.41 },
  { "mft", N_("Micro Four Thirds"), 17.3, 13.0 },
};

const ReelSensor *
reel_optics_get_sensors (guint *n_sensors)
{
  if (n_sensors != NULL)
    *n_sensors = G_N_ELEMENTS (sensors);

  return sensors;
}

const ReelSensor *
reel_optics_sensor_lookup (const char *id)
{
  if (id == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (sensors); i++)
    if (g_str_equal (sensors[i].id, id))
      return &sensors[i];

  return NULL;
}

const ReelSensor *
reel_optics_sensor_lookup_or_default (const char *id)
{
  const ReelSensor *sensor = reel_optics_sensor_lookup (id);

  return sensor != NULL ? sensor : reel_optics_sensor_lookup (REEL_OPTICS_DEFAULT_SENSOR);
}

const char *
reel_optics_sensor_get_label (const ReelSensor *sensor)
{
  g_return_val_if_fail (sensor != NULL, NULL);

  return _(sensor->label);
}

static double
angle_of_view (double size_mm,
               double focal_mm)
{
  if (size_mm <= 0 || focal_mm <= 0)
    return 0;

  return 2.0 * atan (size_mm / (2.0 * focal_mm)) * 180.0 / G_PI;
}

double
reel_optics_horizontal_fov (double sensor_width_mm,
                            double focal_mm)
{
  return angle_of_view (sensor_width_mm, focal_mm);
}

double
reel_optics_vertical_fov (double sensor_height_mm,
                          double focal_mm)
{
  return angle_of_view (sensor_height_mm, focal_mm);
}

double
reel_optics_focal_for_fov (double sensor_width_mm,
                           double fov_degrees)
{
  if (sensor_width_mm <= 0 || fov_degrees <= 0 || fov_degrees >= 180)
    return 0;

  return sensor_width_mm / (2.0 * tan (fov_degrees * G_PI / 360.0));
}

double
reel_optics_vertical_fov_for_aspect (double sensor_width_mm,
                                     double focal_mm,
                                     double aspect)
{
  if (aspect <= 0)
    return 0;

  return angle_of_view (sensor_width_mm / aspect, focal_mm);
}
