/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "core/reel-core.h"
#include "export-test-util.h"
#include "tests/reel-test-require.h"

/* The JSON export carries each scene's set and each shot's camera, in the shape the
 * schema (data/schema/storyreel-project.schema.json) describes, and the schema refuses a
 * set that breaks it. */

static ReelProject *
harbour_project (void)
{
  ReelProject *project = reel_project_new ();
  g_autoptr(ReelScene) harbour = reel_scene_new ();
  g_autoptr(ReelScene) kitchen = reel_scene_new ();
  g_autoptr(ReelSet) set = reel_set_new_from_template ("waterfront");
  g_autoptr(ReelShot) moving = reel_shot_new ();
  g_autoptr(ReelShot) plain = reel_shot_new ();
  ReelCameraPose pose = { 0.5, 0, 1.6, 0, 0, 0, 50 };
  g_autoptr(ReelShotCamera) camera = NULL;
  const ReelSetMark *a;

  reel_project_set_sensor (project, "full_frame");
  reel_project_set_aspect_ratio (project, 2.39);
  reel_scene_set_int_ext (harbour, REEL_INT_EXT_EXT);
  reel_scene_set_location (harbour, "HARBOUR");
  reel_scene_set_set (harbour, set);
  a = reel_set_find_mark (reel_scene_get_set (harbour), "A");
  reel_camera_pose_look_at (&pose, a->x, a->eye_height, a->z);
  camera = reel_shot_camera_new (&pose);
  camera->moves = TRUE;
  camera->end.z -= 2;
  camera->easing = REEL_CAMERA_EASING_EASE_OUT;
  reel_shot_camera_set_subject (camera, "A");
  reel_shot_set_number (moving, "1A");
  reel_shot_set_camera (moving, camera);
  reel_scene_append_shot (harbour, moving);
  reel_project_append_scene (project, harbour);

  reel_shot_set_number (plain, "2A");
  reel_scene_append_shot (kitchen, plain);
  reel_project_append_scene (project, kitchen);
  return project;
}

static int
validate (const char  *document,
          char       **out_report)
{
  const char *source = g_getenv ("STORYREEL_SOURCE_DIR");
  g_autofree char *script = g_build_filename (source, "tests", "export", "check-json-schema.py",
                                              NULL);
  g_autofree char *schema = g_build_filename (source, "data", "schema",
                                              "storyreel-project.schema.json", NULL);
  g_autofree char *err = NULL;
  const char *argv[] = { "python3", script, schema, document, NULL };
  int status = export_test_spawn (argv, out_report, &err);

  g_assert_cmpint (status, !=, 2);
  return status;
}

static void
test_set_and_camera (void)
{
  g_autoptr(ReelProject) project = harbour_project ();
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("json-set");
  g_autoptr(GFile) output = g_file_get_child (folder, "project.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *report = NULL;
  JsonArray *scenes;
  JsonObject *set, *camera, *start, *shot;

  if (!reel_test_require_program ("python3"))
    return;

  g_assert_true (export_test_run ("json", project, options, output, &error));
  g_assert_no_error (error);
  if (validate (g_file_peek_path (output), &report) != 0)
    g_error ("the export does not follow the schema:\n%s", report);

  json_parser_load_from_file (parser, g_file_peek_path (output), &error);
  g_assert_no_error (error);
  scenes = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                         "scenes");

  set = json_object_get_object_member (json_array_get_object_element (scenes, 0), "set");
  g_assert_cmpstr (json_object_get_string_member (set, "template"), ==, "waterfront");
  g_assert_true (json_object_get_boolean_member (set, "exterior"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (set, "props")), ==,
                    reel_scene_get_set (reel_project_get_scene (project, 0))->props->len);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (set,
                                                                                "line_of_action"),
                                                  0), ==, "A");
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (set, "props"), 1),
                     "kind"), ==, "pier");

  shot = json_array_get_object_element (
    json_object_get_array_member (json_array_get_object_element (scenes, 0), "shots"), 0);
  camera = json_object_get_object_member (shot, "camera");
  start = json_object_get_object_member (camera, "start");
  g_assert_cmpstr (json_object_get_string_member (camera, "sensor"), ==, "full_frame");
  g_assert_cmpstr (json_object_get_string_member (camera, "subject"), ==, "A");
  g_assert_cmpstr (json_object_get_string_member (camera, "easing"), ==, "ease_out");
  g_assert_cmpfloat_with_epsilon (
    json_array_get_double_element (json_object_get_array_member (start, "position"), 1), 1.6,
    1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (start, "vertical_fov_deg"),
                                  2 * atan (36.0 / 2.39 / 100) * 180 / G_PI, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (start, "horizontal_fov_deg"),
                                  39.5978, 1e-3);
  g_assert_false (json_object_get_null_member (camera, "end"));

  /* A scene without a set and a shot without a camera say so. */
  g_assert_true (json_object_get_null_member (json_array_get_object_element (scenes, 1), "set"));
  shot = json_array_get_object_element (
    json_object_get_array_member (json_array_get_object_element (scenes, 1), "shots"), 0);
  g_assert_true (json_object_get_null_member (shot, "camera"));

  /* The schema holds the set to its rules: a prop of negative size is refused. */
  {
    JsonObject *prop = json_array_get_object_element (json_object_get_array_member (set, "props"),
                                                      0);
    JsonArray *size = json_object_get_array_member (prop, "size");
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    g_autoptr(GFile) broken = g_file_get_child (folder, "broken.json");
    g_autofree char *broken_report = NULL;

    json_array_remove_element (size, 2);
    json_array_add_double_element (size, -1);
    json_generator_set_root (generator, json_parser_get_root (parser));
    g_assert_true (json_generator_to_file (generator, g_file_peek_path (broken), &error));
    g_assert_no_error (error);
    g_assert_cmpint (validate (g_file_peek_path (broken), &broken_report), ==, 1);
    g_test_message ("%s", broken_report);
    g_assert_nonnull (strstr (broken_report, "/scenes/0/set"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export-json/set-and-camera", test_set_and_camera);

  return export_test_finish (g_test_run ());
}
