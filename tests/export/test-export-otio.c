/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "core/reel-optics.h"
#include "export-test-util.h"
#include "storage/reel-demo.h"

/*
 * OpenTimelineIO JSON, read by a strict structural checker: exact schema names and versions
 * (Clip.2, Marker.2 — released OTIO 0.18 rejects Marker.3), exactly the keys each schema
 * has (OTIO itself silently keeps unknown keys, so a typo would go unnoticed), numbers as
 * numbers, rates equal to the project's, durations to the frame.
 */

typedef struct
{
  const char *schema;
  const char *keys[12];
} SchemaKeys;

static const SchemaKeys schemas[] = {
  { "Timeline.1", { "OTIO_SCHEMA", "name", "global_start_time", "metadata", "tracks" } },
  { "Stack.1", { "OTIO_SCHEMA", "name", "source_range", "effects", "markers", "enabled",
                 "metadata", "children" } },
  { "Track.1", { "OTIO_SCHEMA", "name", "source_range", "effects", "markers", "enabled",
                 "metadata", "children", "kind" } },
  { "Clip.2", { "OTIO_SCHEMA", "name", "source_range", "effects", "markers", "enabled",
                "metadata", "media_references", "active_media_reference_key" } },
  { "ExternalReference.1", { "OTIO_SCHEMA", "name", "available_range", "available_image_bounds",
                             "target_url", "metadata" } },
  { "Marker.2", { "OTIO_SCHEMA", "name", "color", "marked_range", "comment", "metadata" } },
  { "TimeRange.1", { "OTIO_SCHEMA", "start_time", "duration" } },
  { "RationalTime.1", { "OTIO_SCHEMA", "rate", "value" } },
};

static const char * const shot_metadata_keys[] = {
  "shot_id", "shot_number", "shot_code", "scene_id", "scene_number", "scene_heading",
  "description", "dialogue", "notes", "cast", "size", "framing", "angle", "movement", "lens_mm",
  "camera_height_m", "duration_frames", "status", "vfx_notes", "panel", "ai_generated",
  "ai_provider", "ai_model", "camera", NULL
};

/* Checks @object is exactly the schema @schema, recursively for every nested OTIO object. */
static void
check_object (JsonObject *object,
              const char *schema)
{
  const SchemaKeys *keys = NULL;
  g_autoptr(GList) members = json_object_get_members (object);
  guint n_keys = 0;

  g_assert_cmpstr (json_object_get_string_member (object, "OTIO_SCHEMA"), ==, schema);
  for (guint i = 0; i < G_N_ELEMENTS (schemas); i++)
    if (g_str_equal (schemas[i].schema, schema))
      keys = &schemas[i];
  g_assert_nonnull (keys);

  for (; keys->keys[n_keys] != NULL; n_keys++)
    if (!json_object_has_member (object, keys->keys[n_keys]))
      g_error ("%s lacks %s", schema, keys->keys[n_keys]);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (keys->keys, l->data))
      g_error ("%s has an unknown key %s", schema, (const char *) l->data);
  g_assert_cmpuint (g_list_length (members), ==, n_keys);

  if (g_str_equal (schema, "RationalTime.1"))
    {
      /* Numbers, not strings. */
      for (guint i = 0; i < 2; i++)
        {
          JsonNode *node = json_object_get_member (object, i == 0 ? "rate" : "value");

          g_assert_true (JSON_NODE_HOLDS_VALUE (node));
          g_assert_true (json_node_get_value_type (node) == G_TYPE_DOUBLE
                         || json_node_get_value_type (node) == G_TYPE_INT64);
        }
    }
  else if (g_str_equal (schema, "TimeRange.1"))
    {
      check_object (json_object_get_object_member (object, "start_time"), "RationalTime.1");
      check_object (json_object_get_object_member (object, "duration"), "RationalTime.1");
    }
}

static double
time_value (JsonObject *time,
            double      rate)
{
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (time, "rate"), rate, 1e-9);
  return json_object_get_double_member (time, "value");
}

typedef struct
{
  JsonParser *parser;
  JsonObject *timeline;
  JsonArray *clips;
  char *panels_folder;
} Otio;

static void
otio_clear (Otio *otio)
{
  g_clear_object (&otio->parser);
  g_clear_pointer (&otio->panels_folder, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Otio, otio_clear)

static void
export_and_check (ReelProject *project,
                  const char  *name,
                  Otio        *otio)
{
  g_autoptr(GFile) folder = export_test_make_folder (name);
  g_autoptr(GFile) output = g_file_get_child (folder, "cut.otio");
  g_autoptr(GFile) panels = g_file_get_child (folder, "cut_panels");
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(GError) error = NULL;
  ReelFrameRate frame_rate = reel_project_get_frame_rate (project);
  double rate = reel_frame_rate_to_double (frame_rate);
  JsonObject *stack, *track, *metadata;
  JsonArray *children;
  guint clip = 0;

  export_test_run ("otio", project, NULL, output, &error);
  g_assert_no_error (error);
  export_test_assert_no_temporaries (folder);

  otio->parser = json_parser_new ();
  json_parser_load_from_file (otio->parser, g_file_peek_path (output), &error);
  g_assert_no_error (error);
  otio->panels_folder = g_file_get_path (panels);

  otio->timeline = json_node_get_object (json_parser_get_root (otio->parser));
  check_object (otio->timeline, "Timeline.1");
  g_assert_cmpstr (json_object_get_string_member (otio->timeline, "name"), ==,
                   reel_project_get_title (project));

  /* 01:00:00:00 counts nominal frames: 86400 at 24 and at 23.976 alike. */
  check_object (json_object_get_object_member (otio->timeline, "global_start_time"),
                "RationalTime.1");
  g_assert_cmpfloat (time_value (json_object_get_object_member (otio->timeline,
                                                                "global_start_time"), rate),
                     ==, 3600.0 * reel_frame_rate_get_nominal (frame_rate));

  metadata = json_object_get_object_member (json_object_get_object_member (otio->timeline,
                                                                           "metadata"),
                                            "storyreel");
  g_assert_cmpint (json_object_get_int_member (metadata, "frame_rate_num"), ==, frame_rate.num);
  g_assert_cmpint (json_object_get_int_member (metadata, "frame_rate_den"), ==, frame_rate.den);

  stack = json_object_get_object_member (otio->timeline, "tracks");
  check_object (stack, "Stack.1");
  children = json_object_get_array_member (stack, "children");
  g_assert_cmpuint (json_array_get_length (children), ==, 1);
  track = json_array_get_object_element (children, 0);
  check_object (track, "Track.1");
  g_assert_cmpstr (json_object_get_string_member (track, "kind"), ==, "Video");
  otio->clips = json_object_get_array_member (track, "children");

  for (guint i = 0; i < shots->len; i++)
    {
      ReelShot *shot = g_ptr_array_index (shots, i);
      JsonObject *object, *range, *reference, *marker, *shot_metadata;
      JsonArray *markers;
      const char *url;
      g_autofree char *path = NULL;

      object = json_array_get_object_element (otio->clips, clip++);
      check_object (object, "Clip.2");

      /* The shot's length, at the project rate, from frame 0 of its media. */
      range = json_object_get_object_member (object, "source_range");
      check_object (range, "TimeRange.1");
      g_assert_cmpfloat (time_value (json_object_get_object_member (range, "start_time"), rate),
                         ==, 0);
      g_assert_cmpfloat (time_value (json_object_get_object_member (range, "duration"), rate),
                         ==, reel_shot_get_duration (shot));

      g_assert_cmpstr (json_object_get_string_member (object, "active_media_reference_key"),
                       ==, "DEFAULT_MEDIA");
      reference = json_object_get_object_member (
        json_object_get_object_member (object, "media_references"), "DEFAULT_MEDIA");
      check_object (reference, "ExternalReference.1");
      g_assert_cmpuint (json_object_get_size (json_object_get_object_member (object,
                                                                             "media_references")),
                        ==, 1);
      url = json_object_get_string_member (reference, "target_url");
      g_assert_true (g_str_has_prefix (url, "file:///"));
      path = g_filename_from_uri (url, NULL, &error);
      g_assert_no_error (error);
      if (reel_shot_get_plate (shot) != NULL)
        {
          JsonObject *available = json_object_get_object_member (reference, "available_range");

          /* The plate itself: 10 s at 23.976 hold 239 whole frames (239.76). */
          g_assert_true (g_str_has_suffix (path, "/kitchen plate.mov"));
          check_object (available, "TimeRange.1");
          g_assert_cmpfloat (time_value (json_object_get_object_member (available, "duration"),
                                         rate), ==,
                             239);
        }
      else
        {
          /* The panel, beside the file. */
          g_assert_true (g_str_has_prefix (path, otio->panels_folder));
          g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
          JsonObject *available = json_object_get_object_member (reference, "available_range");

          /* A still is available for exactly the clip's range: OTIO's FCP converters need
           * a range on every reference. */
          check_object (available, "TimeRange.1");
          g_assert_cmpfloat (time_value (json_object_get_object_member (available, "start_time"),
                                         rate), ==, 0);
          g_assert_cmpfloat (time_value (json_object_get_object_member (available, "duration"),
                                         rate), ==, reel_shot_get_duration (shot));
        }

      markers = json_object_get_array_member (object, "markers");
      g_assert_cmpuint (json_array_get_length (markers), ==, 1);
      marker = json_array_get_object_element (markers, 0);
      check_object (marker, "Marker.2");
      check_object (json_object_get_object_member (marker, "marked_range"), "TimeRange.1");
      g_assert_cmpstr (json_object_get_string_member (marker, "comment"), ==,
                       reel_shot_get_description (shot));
      g_assert_cmpstr (json_object_get_string_member (marker, "color"), ==, "RED");

      shot_metadata = json_object_get_object_member (json_object_get_object_member (object,
                                                                                    "metadata"),
                                                     "storyreel");
      g_assert_cmpuint (json_object_get_size (shot_metadata), ==,
                        g_strv_length ((char **) shot_metadata_keys));
      for (guint k = 0; shot_metadata_keys[k] != NULL; k++)
        g_assert_true (json_object_has_member (shot_metadata, shot_metadata_keys[k]));
      g_assert_cmpstr (json_object_get_string_member (shot_metadata, "shot_id"), ==,
                       reel_shot_get_id (shot));
      g_assert_cmpstr (json_object_get_string_member (shot_metadata, "shot_number"), ==,
                       reel_shot_get_number (shot));
      g_assert_cmpstr (json_object_get_string_member (shot_metadata, "dialogue"), ==,
                       reel_shot_get_dialogue (shot));
      g_assert_cmpint (json_object_get_int_member (shot_metadata, "duration_frames"), ==,
                       reel_shot_get_duration (shot));
      g_assert_cmpfloat (json_object_get_double_member (shot_metadata, "lens_mm"), ==,
                         reel_shot_get_lens_mm (shot));
    }
  g_assert_cmpuint (clip, ==, json_array_get_length (otio->clips));
}

static void
test_otio_awkward (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_auto(Otio) otio = { 0 };
  JsonObject *metadata;

  export_and_check (project, "otio-awkward", &otio);

  /* Every shot, the 10-hour one included, and exact texts. */
  g_assert_cmpuint (json_array_get_length (otio.clips), ==, 6);
  metadata = json_object_get_object_member (
    json_object_get_object_member (json_array_get_object_element (otio.clips, 4), "metadata"),
    "storyreel");
  g_assert_true (json_object_get_boolean_member (metadata, "ai_generated"));
  g_assert_cmpstr (json_object_get_string_member (metadata, "ai_provider"), ==, AWKWARD_PROVIDER);
  g_assert_cmpstr (json_object_get_string_member (metadata, "ai_model"), ==, AWKWARD_MODEL);
  metadata = json_object_get_object_member (
    json_object_get_object_member (json_array_get_object_element (otio.clips, 0), "metadata"),
    "storyreel");
  g_assert_false (json_object_get_boolean_member (metadata, "ai_generated"));
  g_assert_true (json_object_get_null_member (metadata, "ai_provider"));
  g_assert_cmpstr (json_object_get_string_member (metadata, "dialogue"), ==, AWKWARD_KOREAN);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (otio.clips, 0), "name"), ==, "SC1_SH1A");
}

/* A gray-box render of the set is not AI-generated and names no provider or model; a
 * generated background still does. */
static void
test_otio_greybox (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_auto(Otio) otio = { 0 };
  JsonObject *metadata;

  export_test_use_greybox_background (project, g_ptr_array_index (shots, 3), NULL);
  export_and_check (project, "otio-greybox", &otio);

  metadata = json_object_get_object_member (
    json_object_get_object_member (json_array_get_object_element (otio.clips, 3), "metadata"),
    "storyreel");
  g_assert_cmpstr (json_object_get_string_member (metadata, "shot_number"), ==, "2A");
  g_assert_false (json_object_get_boolean_member (metadata, "ai_generated"));
  g_assert_true (json_object_get_null_member (metadata, "ai_provider"));
  g_assert_true (json_object_get_null_member (metadata, "ai_model"));
  metadata = json_object_get_object_member (
    json_object_get_object_member (json_array_get_object_element (otio.clips, 4), "metadata"),
    "storyreel");
  g_assert_true (json_object_get_boolean_member (metadata, "ai_generated"));
  g_assert_cmpstr (json_object_get_string_member (metadata, "ai_provider"), ==, AWKWARD_PROVIDER);
}

static void
test_otio_demo (void)
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_auto(Otio) otio = { 0 };

  export_and_check (project, "otio-demo", &otio);
  g_assert_cmpuint (json_array_get_length (otio.clips), ==, reel_project_get_n_shots (project));
}

/* Each clip carries its shot's camera: where it stands, where it looks, its lens and the
 * field of view that lens gives on the project's sensor; a shot without a camera says null. */
static void
test_otio_camera (void)
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_auto(Otio) otio = { 0 };
  ReelShot *shot = reel_scene_get_shot (reel_project_get_scene (project, 0), 0);
  const ReelShotCamera *camera = reel_shot_get_camera (shot);
  const ReelSensor *sensor = reel_optics_sensor_lookup_or_default (reel_project_get_sensor (project));
  JsonObject *metadata, *json_camera, *start;
  JsonArray *position;
  double expected_hfov;

  g_assert_nonnull (camera);
  /* A shot of another scene without a camera. */
  reel_shot_set_camera (reel_scene_get_shot (reel_project_get_scene (project, 0), 1), NULL);
  export_and_check (project, "otio-camera", &otio);

  metadata = json_object_get_object_member (
    json_object_get_object_member (json_array_get_object_element (otio.clips, 0), "metadata"),
    "storyreel");
  json_camera = json_object_get_object_member (metadata, "camera");
  g_assert_nonnull (json_camera);
  g_assert_cmpstr (json_object_get_string_member (json_camera, "sensor"), ==, sensor->id);
  start = json_object_get_object_member (json_camera, "start");
  position = json_object_get_array_member (start, "position");
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (position, 0), camera->start.x,
                                  1e-9);
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (position, 1),
                                  camera->start.height, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (position, 2), camera->start.z,
                                  1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (start, "pan_deg"),
                                  camera->start.pan, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (start, "lens_mm"),
                                  camera->start.lens_mm, 1e-9);
  /* 2·atan(w / 2f), computed here. */
  expected_hfov = 2 * atan (sensor->width_mm / (2 * camera->start.lens_mm)) * 180 / G_PI;
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (start, "horizontal_fov_deg"),
                                  expected_hfov, 1e-6);
  g_assert_true (json_object_get_null_member (
    json_object_get_object_member (
      json_object_get_object_member (json_array_get_object_element (otio.clips, 1), "metadata"),
      "storyreel"),
    "camera"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/otio/camera", test_otio_camera);

  g_test_add_func ("/export/otio/awkward", test_otio_awkward);
  g_test_add_func ("/export/otio/greybox", test_otio_greybox);
  g_test_add_func ("/export/otio/demo", test_otio_demo);

  return export_test_finish (g_test_run ());
}
