/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "core/reel-core.h"
#include "export-test-util.h"
#include "tests/reel-test-require.h"

/* The glTF export: the Khronos glTF-Validator finds no errors in the .glb or the .gltf,
 * every shot is a camera node named by its shot number whose yfov is the vertical field of
 * view of the project's frame on that lens and sensor (computed here), a moving camera is
 * an animation as long as its shot, and the set's props are meshes where the set has them. */

#define SENSOR_WIDTH_FULL_FRAME 36.0
#define ASPECT 2.39

typedef struct
{
  const char *number;
  double lens;
  gboolean moves;
} ShotSpec;

static const ShotSpec harbour_shots[] = {
  { "1A", 24, FALSE },
  { "1B", 50, TRUE },
  { "1C", 85, FALSE },
};

static ReelProject *
harbour_project (void)
{
  ReelProject *project = reel_project_new ();
  g_autoptr(ReelScene) harbour = reel_scene_new ();
  g_autoptr(ReelScene) kitchen = reel_scene_new ();
  g_autoptr(ReelSet) set = reel_set_new_from_template ("waterfront");
  g_autoptr(ReelShot) plain = reel_shot_new ();

  reel_project_set_sensor (project, "full_frame");
  reel_project_set_aspect_ratio (project, ASPECT);
  reel_project_set_frame_rate (project, (ReelFrameRate) { 24, 1 });

  reel_scene_set_number (harbour, "1");
  reel_scene_set_int_ext (harbour, REEL_INT_EXT_EXT);
  reel_scene_set_location (harbour, "HARBOUR");
  reel_scene_set_time_of_day (harbour, "DAWN");
  reel_scene_set_set (harbour, set);
  for (guint i = 0; i < G_N_ELEMENTS (harbour_shots); i++)
    {
      g_autoptr(ReelShot) shot = reel_shot_new ();
      ReelCameraPose pose = { -2.0 + i, 4, 1.6, 10.0 * i - 10, -3, 0, harbour_shots[i].lens };
      g_autoptr(ReelShotCamera) camera = reel_shot_camera_new (&pose);

      if (harbour_shots[i].moves)
        {
          camera->moves = TRUE;
          camera->end.z = 1.5;   /* a push in */
          camera->end.pan = 40;
          camera->easing = REEL_CAMERA_EASING_EASE_IN_OUT;
        }
      reel_shot_set_number (shot, harbour_shots[i].number);
      reel_shot_set_duration (shot, 72);
      reel_shot_set_camera (shot, camera);
      reel_scene_append_shot (harbour, shot);
    }
  reel_project_append_scene (project, harbour);

  reel_scene_set_number (kitchen, "2");
  reel_scene_set_int_ext (kitchen, REEL_INT_EXT_INT);
  reel_scene_set_location (kitchen, "KITCHEN");
  reel_shot_set_number (plain, "2A");
  reel_shot_set_lens_mm (plain, 35);
  reel_scene_append_shot (kitchen, plain);
  reel_project_append_scene (project, kitchen);

  return project;
}

static double
expected_yfov (double lens)
{
  /* The frame spans the sensor's width; its height is the width over the aspect. */
  double frame_height = SENSOR_WIDTH_FULL_FRAME / ASPECT;

  return 2 * atan (frame_height / (2 * lens));
}

static guint32
read_le32 (const guint8 *p)
{
  return p[0] | (p[1] << 8) | (p[2] << 16) | ((guint32) p[3] << 24);
}

/* The JSON of a .glb, after checking its header and chunks. */
static JsonNode *
parse_glb (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  guint32 json_length;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (size, >=, 20);
  g_assert_cmpmem (data, 4, "glTF", 4);
  g_assert_cmpuint (read_le32 (data + 4), ==, 2);
  g_assert_cmpuint (read_le32 (data + 8), ==, size);
  json_length = read_le32 (data + 12);
  g_assert_cmpmem (data + 16, 4, "JSON", 4);
  g_assert_cmpuint (json_length % 4, ==, 0);
  g_assert_cmpuint (20 + json_length + 8, <=, size);
  g_assert_cmpmem (data + 20 + json_length + 4, 4, "BIN\0", 4);

  {
    g_autofree char *text = g_strndup ((const char *) data + 20, json_length);
    JsonNode *node = json_from_string (text, &error);

    g_assert_no_error (error);
    return node;
  }
}

static JsonObject *
node_named (JsonArray  *nodes,
            const char *name)
{
  for (guint i = 0; i < json_array_get_length (nodes); i++)
    {
      JsonObject *node = json_array_get_object_element (nodes, i);

      if (json_object_has_member (node, "name")
          && g_str_equal (json_object_get_string_member (node, "name"), name))
        return node;
    }
  return NULL;
}

static void
check_document (JsonObject *root,
                guint       expected_scenes)
{
  JsonArray *nodes = json_object_get_array_member (root, "nodes");
  JsonArray *cameras = json_object_get_array_member (root, "cameras");
  JsonArray *scenes = json_object_get_array_member (root, "scenes");

  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "asset"),
                                                  "version"), ==, "2.0");
  g_assert_cmpuint (json_array_get_length (scenes), ==, expected_scenes);

  for (guint i = 0; i < G_N_ELEMENTS (harbour_shots); i++)
    {
      JsonObject *node = node_named (nodes, harbour_shots[i].number);
      JsonObject *camera;
      JsonArray *translation;
      double yfov;

      g_assert_nonnull (node);
      camera = json_array_get_object_element (cameras, json_object_get_int_member (node, "camera"));
      g_assert_cmpstr (json_object_get_string_member (camera, "type"), ==, "perspective");
      yfov = json_object_get_double_member (json_object_get_object_member (camera, "perspective"),
                                            "yfov");
      g_test_message ("shot %s: %g mm, yfov %.6f rad (%.3f°)", harbour_shots[i].number,
                      harbour_shots[i].lens, yfov, yfov * 180 / G_PI);
      g_assert_cmpfloat_with_epsilon (yfov, expected_yfov (harbour_shots[i].lens), 1e-6);
      g_assert_cmpfloat_with_epsilon (
        json_object_get_double_member (json_object_get_object_member (camera, "perspective"),
                                       "aspectRatio"), ASPECT, 1e-9);

      /* Where the camera stands, in metres, +Y up. */
      translation = json_object_get_array_member (node, "translation");
      g_assert_cmpfloat_with_epsilon (json_array_get_double_element (translation, 0), -2.0 + i,
                                      1e-6);
      g_assert_cmpfloat_with_epsilon (json_array_get_double_element (translation, 1), 1.6, 1e-6);
      g_assert_cmpfloat_with_epsilon (json_array_get_double_element (translation, 2), 4, 1e-6);
    }

  /* The set: the pier and the boats are meshes. */
  g_assert_nonnull (node_named (nodes, "pier 2"));
  g_assert_nonnull (node_named (nodes, "boat 3"));

  /* The push-in of 1B: an animation of its node over the shot's 3 s (72 frames at 24). */
  {
    JsonArray *animations = json_object_get_array_member (root, "animations");
    JsonObject *animation = json_array_get_object_element (animations, 0);
    JsonArray *accessors = json_object_get_array_member (root, "accessors");
    JsonObject *sampler = json_array_get_object_element (
      json_object_get_array_member (animation, "samplers"), 0);
    JsonObject *input = json_array_get_object_element (
      accessors, json_object_get_int_member (sampler, "input"));
    JsonObject *target = json_object_get_object_member (
      json_array_get_object_element (json_object_get_array_member (animation, "channels"), 0),
      "target");

    g_assert_cmpuint (json_array_get_length (animations), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (animation, "name"), ==, "1B");
    g_assert_cmpfloat_with_epsilon (
      json_array_get_double_element (json_object_get_array_member (input, "max"), 0), 3.0, 1e-6);
    g_assert_true (json_array_get_object_element (nodes, json_object_get_int_member (target,
                                                                                    "node"))
                   == node_named (nodes, "1B"));
  }
}

/* Runs the Khronos glTF-Validator (npm gltf-validator, from build-aux/dev deps) on
 * @file; returns its JSON report, or NULL when the validator is missing (skipped). */
static JsonNode *
validate (GFile *file)
{
  const char *source = g_getenv ("STORYREEL_SOURCE_DIR");
  g_autofree char *module = g_build_filename (source != NULL ? source : ".", "_tools",
                                              "node_modules", "gltf-validator", NULL);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!reel_test_require_program ("node")
      || !reel_test_require (g_file_test (module, G_FILE_TEST_IS_DIR),
                             "the npm package gltf-validator (build-aux/dev deps)"))
    return NULL;

  script = g_strdup ("const v = require(process.argv[1]); const fs = require('fs');"
                     "v.validateBytes(new Uint8Array(fs.readFileSync(process.argv[2])))"
                     ".then(r => { console.log(JSON.stringify(r)); })"
                     ".catch(e => { console.error(String(e)); process.exit(2); });");
  {
    const char *argv[] = { "node", "-e", script, module, path, NULL };

    status = export_test_spawn (argv, &out, &err);
  }
  g_assert_cmpint (status, ==, 0);
  {
    JsonNode *report = json_from_string (out, &error);

    g_assert_no_error (error);
    return report;
  }
}

static void
check_report (JsonNode *report)
{
  JsonObject *issues = json_object_get_object_member (json_node_get_object (report), "issues");
  JsonArray *messages = json_object_get_array_member (issues, "messages");

  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *message = json_array_get_object_element (messages, i);

      g_test_message ("validator: %s %s at %s",
                      json_object_get_string_member (message, "code"),
                      json_object_get_string_member (message, "message"),
                      json_object_has_member (message, "pointer")
                        ? json_object_get_string_member (message, "pointer") : "-");
    }
  g_test_message ("validator: %" G_GINT64_FORMAT " errors, %" G_GINT64_FORMAT " warnings",
                  json_object_get_int_member (issues, "numErrors"),
                  json_object_get_int_member (issues, "numWarnings"));
  g_assert_cmpint (json_object_get_int_member (issues, "numErrors"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (issues, "numWarnings"), ==, 0);
}

static void
test_glb (void)
{
  g_autoptr(ReelProject) project = harbour_project ();
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("gltf-glb");
  g_autoptr(GFile) output = g_file_get_child (folder, "harbour.glb");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) report = NULL;

  g_assert_true (export_test_run ("gltf", project, options, output, &error));
  g_assert_no_error (error);
  export_test_assert_no_temporaries (folder);

  bytes = g_file_load_bytes (output, NULL, NULL, &error);
  g_assert_no_error (error);
  root = parse_glb (bytes);
  check_document (json_node_get_object (root), 2);
  /* The shot without a camera still gets one, with its own lens. */
  {
    JsonObject *node = node_named (json_object_get_array_member (json_node_get_object (root),
                                                                 "nodes"), "2A");
    JsonObject *camera = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (root), "cameras"),
      json_object_get_int_member (node, "camera"));

    g_assert_cmpfloat_with_epsilon (
      json_object_get_double_member (json_object_get_object_member (camera, "perspective"),
                                     "yfov"), expected_yfov (35), 1e-6);
  }

  report = validate (output);
  if (report != NULL)
    check_report (report);
}

static void
test_gltf_json (void)
{
  g_autoptr(ReelProject) project = harbour_project ();
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("gltf-json");
  g_autoptr(GFile) output = g_file_get_child (folder, "harbour.gltf");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) report = NULL;
  const char *uri;

  reel_export_options_set_scope (options, REEL_EXPORT_SCOPE_SCENE);
  reel_export_options_set_scene (options, reel_project_get_scene (project, 0));
  g_assert_true (export_test_run ("gltf", project, options, output, &error));
  g_assert_no_error (error);

  text = export_test_read_text (output);
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  check_document (json_node_get_object (root), 1);
  uri = json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (root),
                                                                 "buffers"), 0), "uri");
  g_assert_true (g_str_has_prefix (uri, "data:application/octet-stream;base64,"));
  g_assert_null (node_named (json_object_get_array_member (json_node_get_object (root), "nodes"),
                             "2A"));

  report = validate (output);
  if (report != NULL)
    check_report (report);
}

/* An interior is the room alone: the studio floor the gray-box lays round it (4 km wide)
 * stays out of the file, so a previs scene opens on the room, framed; an exterior keeps
 * its ground. */
static void
test_gltf_room (void)
{
  g_autoptr(ReelProject) project = harbour_project ();
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("gltf-room");
  g_autoptr(GFile) output = g_file_get_child (folder, "kitchen.glb");
  g_autoptr(GFile) harbour_output = g_file_get_child (folder, "harbour.glb");
  g_autoptr(ReelSet) room = reel_set_new_from_template ("room");
  ReelScene *kitchen = reel_project_get_scene (project, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) report = NULL;
  JsonObject *document;
  JsonArray *nodes, *meshes, *accessors;
  double extent = 0;

  g_assert_false (room->exterior);
  reel_scene_set_set (kitchen, room);
  reel_export_options_set_scope (options, REEL_EXPORT_SCOPE_SCENE);
  reel_export_options_set_scene (options, kitchen);
  g_assert_true (export_test_run ("gltf", project, options, output, &error));
  g_assert_no_error (error);

  bytes = g_file_load_bytes (output, NULL, NULL, &error);
  g_assert_no_error (error);
  root = parse_glb (bytes);
  document = json_node_get_object (root);
  nodes = json_object_get_array_member (document, "nodes");
  meshes = json_object_get_array_member (document, "meshes");
  accessors = json_object_get_array_member (document, "accessors");
  g_assert_nonnull (node_named (nodes, "Floor"));
  g_assert_nonnull (node_named (nodes, "Wall 1"));
  g_assert_null (node_named (nodes, "Ground"));

  /* Every vertex of every mesh lies within the room, give or take its walls. */
  for (guint m = 0; m < json_array_get_length (meshes); m++)
    {
      JsonObject *primitive = json_array_get_object_element (
        json_object_get_array_member (json_array_get_object_element (meshes, m), "primitives"),
        0);
      JsonObject *position = json_array_get_object_element (
        accessors, json_object_get_int_member (json_object_get_object_member (primitive,
                                                                             "attributes"),
                                               "POSITION"));

      for (guint k = 0; k < 3; k++)
        {
          extent = MAX (extent, fabs (json_array_get_double_element (
                                        json_object_get_array_member (position, "min"), k)));
          extent = MAX (extent, fabs (json_array_get_double_element (
                                        json_object_get_array_member (position, "max"), k)));
        }
    }
  g_test_message ("largest coordinate of the room: %.2f m", extent);
  g_assert_cmpfloat (extent, <=, MAX (room->floor_width, room->floor_depth) / 2 + 1);

  report = validate (output);
  if (report != NULL)
    check_report (report);

  /* The harbour keeps the land beyond its quay. */
  reel_export_options_set_scene (options, reel_project_get_scene (project, 0));
  g_assert_true (export_test_run ("gltf", project, options, harbour_output, &error));
  g_assert_no_error (error);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&root, json_node_unref);
  bytes = g_file_load_bytes (harbour_output, NULL, NULL, &error);
  g_assert_no_error (error);
  root = parse_glb (bytes);
  g_assert_nonnull (node_named (json_object_get_array_member (json_node_get_object (root), "nodes"),
                                "Ground"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export-gltf/glb", test_glb);
  g_test_add_func ("/export-gltf/gltf-json-one-scene", test_gltf_json);
  g_test_add_func ("/export-gltf/room-without-ground", test_gltf_room);

  return export_test_finish (g_test_run ());
}
