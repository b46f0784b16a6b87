/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "core/reel-core.h"

static const char * const required_sizes[] = {
  "ews", "vws", "ws", "fs", "mws", "cowboy", "ms", "mcs", "mcu", "cu", "bcu", "ecu", "insert",
};
static const char * const required_framings[] = {
  "single", "two_shot", "three_shot", "ots", "pov", "establishing", "master",
};
static const char * const required_angles[] = {
  "eye_level", "shoulder", "hip", "knee", "ground", "high", "low", "birds_eye", "worms_eye",
  "dutch", "aerial",
};
static const char * const required_movements[] = {
  "static", "pan", "tilt", "pedestal", "dolly_in", "dolly_out", "truck", "arc", "crane", "jib",
  "steadicam", "gimbal", "handheld", "zoom", "rack_focus", "dolly_zoom", "whip_pan", "drone",
};
static const char * const required_statuses[] = { "todo", "in_progress", "approved", "omitted" };

static void
check_required (ReelVocabulary      kind,
                const char * const *ids,
                guint               n_ids)
{
  for (guint i = 0; i < n_ids; i++)
    {
      const ReelVocabEntry *entry = reel_camera_lookup (kind, ids[i]);

      g_assert_nonnull (entry);
      g_assert_cmpstr (entry->id, ==, ids[i]);
      g_assert_cmpint (reel_camera_get_index (kind, ids[i]), >=, 0);
    }
}

static void
test_vocabulary_ids (void)
{
  g_autoptr(GHashTable) seen = NULL;

  check_required (REEL_VOCAB_SIZE, required_sizes, G_N_ELEMENTS (required_sizes));
  check_required (REEL_VOCAB_FRAMING, required_framings, G_N_ELEMENTS (required_framings));
  check_required (REEL_VOCAB_ANGLE, required_angles, G_N_ELEMENTS (required_angles));
  check_required (REEL_VOCAB_MOVEMENT, required_movements, G_N_ELEMENTS (required_movements));
  check_required (REEL_VOCAB_STATUS, required_statuses, G_N_ELEMENTS (required_statuses));

  /* The sizes keep the order from widest to tightest: views sort by it. */
  {
    guint n;
    const ReelVocabEntry *sizes = reel_camera_get_sizes (&n);

    g_assert_cmpuint (n, ==, G_N_ELEMENTS (required_sizes));
    for (guint i = 0; i < n; i++)
      g_assert_cmpstr (sizes[i].id, ==, required_sizes[i]);
  }

  for (ReelVocabulary kind = 0; kind < REEL_N_VOCABULARIES; kind++)
    {
      guint n = 0;
      const ReelVocabEntry *table = reel_camera_get_vocabulary (kind, &n);

      seen = g_hash_table_new (g_str_hash, g_str_equal);
      g_assert_cmpuint (n, >, 0);
      for (guint i = 0; i < n; i++)
        {
          /* Ids are stable lowercase snake case, unique within their table. */
          for (const char *c = table[i].id; *c != '\0'; c++)
            g_assert_true (g_ascii_islower (*c) || g_ascii_isdigit (*c) || *c == '_');
          g_assert_false (g_hash_table_contains (seen, table[i].id));
          g_hash_table_add (seen, (gpointer) table[i].id);

          g_assert_nonnull (table[i].label);
          g_assert_cmpstr (table[i].label, !=, "");
          g_assert_nonnull (table[i].short_label);
          g_assert_nonnull (table[i].phrase);
          g_assert_cmpstr (reel_camera_get_label (kind, table[i].id), ==, table[i].label);
          g_assert_true (reel_camera_lookup (kind, table[i].id) == &table[i]);
        }
      g_clear_pointer (&seen, g_hash_table_unref);
    }
}

static void
test_vocabulary_lookup (void)
{
  g_assert_cmpstr (reel_camera_get_label (REEL_VOCAB_SIZE, "mcu"), ==, "Medium Close-Up");
  g_assert_cmpstr (reel_camera_get_short_label (REEL_VOCAB_SIZE, "mcu"), ==, "MCU");
  g_assert_cmpstr (reel_camera_get_short_label (REEL_VOCAB_FRAMING, "ots"), ==, "OTS");
  g_assert_nonnull (strstr (reel_camera_get_phrase (REEL_VOCAB_MOVEMENT, "dolly_in"), "dolly"));
  g_assert_nonnull (strstr (reel_camera_get_phrase (REEL_VOCAB_ANGLE, "low"), "low"));

  /* Unknown ids are shown as they are (a newer file), never crash. */
  g_assert_null (reel_camera_lookup (REEL_VOCAB_SIZE, "ultra_wide"));
  g_assert_null (reel_camera_lookup (REEL_VOCAB_SIZE, NULL));
  g_assert_null (reel_camera_lookup (REEL_VOCAB_SIZE, "MCU"));
  g_assert_cmpint (reel_camera_get_index (REEL_VOCAB_ANGLE, "nope"), ==, -1);
  g_assert_cmpstr (reel_camera_get_label (REEL_VOCAB_SIZE, "ultra_wide"), ==, "ultra_wide");
  g_assert_cmpstr (reel_camera_get_label (REEL_VOCAB_SIZE, NULL), ==, "");
  g_assert_null (reel_camera_get_phrase (REEL_VOCAB_SIZE, "ultra_wide"));

  /* An id of one vocabulary is not valid in another. */
  g_assert_null (reel_camera_lookup (REEL_VOCAB_ANGLE, "pan"));
  g_assert_nonnull (reel_camera_lookup (REEL_VOCAB_MOVEMENT, "tilt"));
  g_assert_null (reel_camera_lookup (REEL_VOCAB_ANGLE, "tilt"));
}

static void
test_angles (void)
{
  g_assert_cmpfloat (reel_camera_angle_get_tilt ("birds_eye"), ==, -30);
  g_assert_cmpfloat (reel_camera_angle_get_tilt ("high"), ==, -15);
  g_assert_cmpfloat (reel_camera_angle_get_tilt ("eye_level"), ==, 0);
  g_assert_cmpfloat (reel_camera_angle_get_tilt ("low"), ==, 30);
  g_assert_cmpfloat (reel_camera_angle_get_tilt ("worms_eye"), ==, 45);
  g_assert_cmpfloat (reel_camera_angle_get_tilt ("unknown"), ==, 0);

  /* Dutch is a roll, not a tilt. */
  g_assert_cmpfloat (reel_camera_angle_get_tilt ("dutch"), ==, 0);
  g_assert_cmpfloat (reel_camera_angle_get_roll ("dutch"), !=, 0);
  g_assert_cmpfloat (reel_camera_angle_get_roll ("low"), ==, 0);

  /* The level presets put the camera at descending heights. */
  g_assert_cmpfloat (reel_camera_angle_get_height ("eye_level"), >,
                     reel_camera_angle_get_height ("shoulder"));
  g_assert_cmpfloat (reel_camera_angle_get_height ("shoulder"), >,
                     reel_camera_angle_get_height ("hip"));
  g_assert_cmpfloat (reel_camera_angle_get_height ("hip"), >,
                     reel_camera_angle_get_height ("knee"));
  g_assert_cmpfloat (reel_camera_angle_get_height ("knee"), >,
                     reel_camera_angle_get_height ("ground"));
  g_assert_cmpfloat (reel_camera_angle_get_height ("ground"), >, 0);
}

static void
test_int_ext (void)
{
  static const struct { ReelIntExt value; const char *id; const char *prefix; } cases[] = {
    { REEL_INT_EXT_INT, "int", "INT." },
    { REEL_INT_EXT_EXT, "ext", "EXT." },
    { REEL_INT_EXT_INT_EXT, "int_ext", "INT./EXT." },
    { REEL_INT_EXT_EST, "est", "EST." },
    { REEL_INT_EXT_NONE, "none", "" },
  };
  GEnumClass *enum_class;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpstr (reel_int_ext_to_id (cases[i].value), ==, cases[i].id);
      g_assert_cmpint (reel_int_ext_from_id (cases[i].id), ==, cases[i].value);
      g_assert_cmpstr (reel_int_ext_get_prefix (cases[i].value), ==, cases[i].prefix);
      g_assert_nonnull (reel_int_ext_get_label (cases[i].value));
    }

  g_assert_cmpint (reel_int_ext_from_id ("garage"), ==, REEL_INT_EXT_NONE);
  g_assert_cmpint (reel_int_ext_from_id (NULL), ==, REEL_INT_EXT_NONE);

  enum_class = g_type_class_ref (REEL_TYPE_INT_EXT);
  g_assert_nonnull (g_enum_get_value (enum_class, REEL_INT_EXT_EST));
  g_assert_cmpuint (enum_class->n_values, ==, 5);
  g_type_class_unref (enum_class);
}

static void
test_optics (void)
{
  const ReelSensor *super35 = reel_optics_sensor_lookup ("super35");
  const ReelSensor *full_frame = reel_optics_sensor_lookup ("full_frame");
  static const struct { const char *id; double width; } widths[] = {
    { "super35", 24.89 }, { "full_frame", 36 }, { "alexa_mini_open_gate", 28.25 },
    { "alexa_35", 27.99 }, { "alexa_mini_lf", 36.70 }, { "super16", 12.52 }, { "mft", 17.3 },
  };
  guint n_sensors;
  const ReelSensor *sensors = reel_optics_get_sensors (&n_sensors);
  guint n_lenses;
  const double *lenses = reel_camera_get_prime_lenses (&n_lenses);

  g_assert_nonnull (super35);
  g_assert_nonnull (full_frame);

  /* The figures the design names, to a tenth of a degree. */
  g_assert_cmpfloat_with_epsilon (reel_optics_horizontal_fov (super35->width_mm, 35), 39.1, 0.05);
  g_assert_cmpfloat_with_epsilon (reel_optics_horizontal_fov (full_frame->width_mm, 50), 39.6,
                                  0.05);
  g_assert_cmpfloat_with_epsilon (reel_optics_horizontal_fov (36, 36 / 2.0), 90, 1e-9);

  /* Longer lens, narrower view; bigger sensor, wider view. */
  g_assert_cmpfloat (reel_optics_horizontal_fov (24.89, 85), <,
                     reel_optics_horizontal_fov (24.89, 50));
  g_assert_cmpfloat (reel_optics_horizontal_fov (36.7, 50), >,
                     reel_optics_horizontal_fov (12.52, 50));
  g_assert_cmpfloat (reel_optics_horizontal_fov (24.89, 0), ==, 0);
  g_assert_cmpfloat (reel_optics_horizontal_fov (0, 35), ==, 0);

  /* Inverse. */
  g_assert_cmpfloat_with_epsilon (reel_optics_focal_for_fov (24.89,
                                                             reel_optics_horizontal_fov (24.89, 35)),
                                  35, 1e-9);
  /* A 2.39 frame on Super 35 at 35 mm is about 16.7° tall. */
  g_assert_cmpfloat_with_epsilon (reel_optics_vertical_fov_for_aspect (24.89, 35, 2.39),
                                  2 * atan (24.89 / 2.39 / 70) * 180 / G_PI, 1e-9);

  g_assert_cmpuint (n_sensors, ==, G_N_ELEMENTS (widths));
  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      const ReelSensor *sensor = reel_optics_sensor_lookup (widths[i].id);

      g_assert_nonnull (sensor);
      g_assert_cmpfloat (sensor->width_mm, ==, widths[i].width);
      g_assert_cmpfloat (sensor->height_mm, >, 0);
      g_assert_cmpfloat (sensor->height_mm, <, sensor->width_mm);
      g_assert_nonnull (reel_optics_sensor_get_label (sensor));
    }
  g_assert_true (sensors == reel_optics_sensor_lookup (sensors[0].id));
  g_assert_null (reel_optics_sensor_lookup ("imax"));
  g_assert_true (reel_optics_sensor_lookup_or_default ("imax") == super35);

  g_assert_cmpuint (n_lenses, ==, 5);
  g_assert_cmpfloat (lenses[0], ==, 22);
  g_assert_cmpfloat (lenses[4], ==, 120);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/camera/vocabulary-ids", test_vocabulary_ids);
  g_test_add_func ("/camera/vocabulary-lookup", test_vocabulary_lookup);
  g_test_add_func ("/camera/angles", test_angles);
  g_test_add_func ("/camera/int-ext", test_int_ext);
  g_test_add_func ("/optics/field-of-view", test_optics);

  return g_test_run ();
}
