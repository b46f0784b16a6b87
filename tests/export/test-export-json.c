/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "export-test-util.h"
#include "export/reel-export-json.h"
#include "storage/reel-demo.h"

/*
 * The JSON export, validated against the schema file in the repository (by
 * check-json-schema.py, standard library only) and read back to check its contents.
 */

static char *
schema_path (void)
{
  return g_build_filename (g_getenv ("STORYREEL_SOURCE_DIR"), "data", "schema",
                           "storyreel-project.schema.json", NULL);
}

/* Returns the validator's exit status; its report goes to @out_report. */
static int
validate (const char  *document,
          char       **out_report)
{
  g_autofree char *script = g_build_filename (g_getenv ("STORYREEL_SOURCE_DIR"), "tests",
                                              "export", "check-json-schema.py", NULL);
  g_autofree char *schema = schema_path ();
  g_autofree char *err = NULL;
  const char *argv[] = { "python3", script, schema, document, NULL };
  int status = export_test_spawn (argv, out_report, &err);

  g_assert_cmpint (status, !=, 2);
  return status;
}

static JsonParser *
export_and_validate (ReelProject       *project,
                     ReelExportOptions *options,
                     const char        *name)
{
  g_autoptr(GFile) folder = export_test_make_folder (name);
  g_autoptr(GFile) output = g_file_get_child (folder, "project.json");
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;
  JsonParser *parser;

  export_test_run ("json", project, options, output, &error);
  g_assert_no_error (error);
  export_test_assert_no_temporaries (folder);

  if (validate (g_file_peek_path (output), &report) != 0)
    g_error ("%s does not follow the schema:\n%s", name, report);

  parser = json_parser_new ();
  json_parser_load_from_file (parser, g_file_peek_path (output), &error);
  g_assert_no_error (error);
  return parser;
}

static JsonObject *
find_shot (JsonObject *root,
           const char *id)
{
  JsonArray *scenes = json_object_get_array_member (root, "scenes");

  for (guint s = 0; s < json_array_get_length (scenes); s++)
    {
      JsonArray *shots = json_object_get_array_member (json_array_get_object_element (scenes, s),
                                                       "shots");

      for (guint i = 0; i < json_array_get_length (shots); i++)
        {
          JsonObject *shot = json_array_get_object_element (shots, i);

          if (g_str_equal (json_object_get_string_member (shot, "id"), id))
            return shot;
        }
    }

  return NULL;
}

static JsonObject *
find_asset (JsonObject *root,
            const char *hash)
{
  JsonArray *assets = json_object_get_array_member (root, "assets");

  for (guint i = 0; i < json_array_get_length (assets); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (assets, i),
                                                    "hash"), hash))
      return json_array_get_object_element (assets, i);

  return NULL;
}

static void
test_json_awkward (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(JsonParser) parser = export_and_validate (project, NULL, "json-awkward");
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  JsonObject *project_object = json_object_get_object_member (root, "project");
  JsonObject *rate = json_object_get_object_member (project_object, "frame_rate");
  JsonArray *scenes = json_object_get_array_member (root, "scenes");
  JsonObject *shot, *asset, *generation, *plate;
  gint64 start = 0;

  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, REEL_EXPORT_JSON_FORMAT);
  g_assert_cmpint (json_object_get_int_member (root, "schema_version"), ==,
                   REEL_EXPORT_JSON_SCHEMA_VERSION);
  g_assert_cmpstr (json_object_get_string_member (root, "exported_at"), ==,
                   "2026-03-14T09:26:53Z");
  g_assert_cmpstr (json_object_get_string_member (project_object, "title"), ==, AWKWARD_TITLE);
  g_assert_cmpint (json_object_get_int_member (rate, "num"), ==, 24000);
  g_assert_cmpint (json_object_get_int_member (rate, "den"), ==, 1001);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (project_object, "metadata"), "author"),
                   ==, "Kim \"Director\" 감독");

  /* The whole project keeps its empty third scene. */
  g_assert_cmpuint (json_array_get_length (scenes), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_array_get_object_element (scenes, 2), "shots")), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (scenes, 1),
                                                  "location"), ==, "부엌");

  for (guint i = 0; i < shots->len; i++)
    {
      ReelShot *model = g_ptr_array_index (shots, i);

      shot = find_shot (root, reel_shot_get_id (model));
      g_assert_nonnull (shot);
      g_assert_cmpstr (json_object_get_string_member (shot, "number"), ==,
                       reel_shot_get_number (model));
      g_assert_cmpstr (json_object_get_string_member (shot, "description"), ==,
                       reel_shot_get_description (model));
      g_assert_cmpstr (json_object_get_string_member (shot, "dialogue"), ==,
                       reel_shot_get_dialogue (model));
      g_assert_cmpint (json_object_get_int_member (shot, "duration_frames"), ==,
                       reel_shot_get_duration (model));
      g_assert_cmpint (json_object_get_int_member (shot, "start_frame"), ==, start);
      start += reel_shot_get_duration (model);
    }
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "scope"),
                                               "duration_frames"), ==, start);

  /* Images by hash; the generated one with its provenance and its reference image. */
  shot = find_shot (root, reel_shot_get_id (g_ptr_array_index (shots, 4)));
  g_assert_true (json_object_get_boolean_member (shot, "ai_generated"));
  asset = find_asset (root, json_object_get_string_member (shot, "background"));
  g_assert_nonnull (asset);
  g_assert_cmpstr (json_object_get_string_member (asset, "mime_type"), ==, "image/png");
  g_assert_cmpint (json_object_get_int_member (asset, "width"), ==, 320);
  generation = json_object_get_object_member (asset, "generation");
  g_assert_cmpstr (json_object_get_string_member (generation, "provider"), ==, AWKWARD_PROVIDER);
  g_assert_cmpstr (json_object_get_string_member (generation, "model"), ==, AWKWARD_MODEL);
  g_assert_cmpint (json_object_get_int_member (generation, "seed"), ==, 1234);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (generation, "parameters"), "aspectRatio"),
                   ==, "21:9");
  g_assert_nonnull (find_asset (root, json_array_get_string_element (
                                  json_object_get_array_member (generation, "input_hashes"), 0)));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "assets")), ==, 2);

  /* The sketch as vectors, the plate as linked. */
  shot = find_shot (root, reel_shot_get_id (g_ptr_array_index (shots, 0)));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (
      json_object_get_object_member (shot, "sketch"), "layers"), 0), "strokes")), ==, 1);
  g_assert_true (json_object_get_null_member (shot, "plate"));
  shot = find_shot (root, reel_shot_get_id (g_ptr_array_index (shots, 5)));
  plate = json_object_get_object_member (shot, "plate");
  g_assert_cmpstr (json_object_get_string_member (plate, "path"), ==,
                   "/nonexistent/footage/kitchen plate.mov");
  g_assert_cmpstr (json_object_get_string_member (plate, "key_color"), ==, "#00B140");
}

/* A gray-box render of the set is not AI-generated; a generated background still is. */
static void
test_json_greybox (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root, *shot;

  export_test_use_greybox_background (project, g_ptr_array_index (shots, 3), NULL);
  parser = export_and_validate (project, NULL, "json-greybox");
  root = json_node_get_object (json_parser_get_root (parser));

  shot = find_shot (root, reel_shot_get_id (g_ptr_array_index (shots, 3)));
  g_assert_nonnull (json_object_get_string_member (shot, "background"));
  g_assert_false (json_object_get_boolean_member (shot, "ai_generated"));
  shot = find_shot (root, reel_shot_get_id (g_ptr_array_index (shots, 4)));
  g_assert_true (json_object_get_boolean_member (shot, "ai_generated"));
}

/* Two services returned the same bytes: the asset lists both records in order, "generation"
 * still holds the first, and the reference image only the second record sent is exported
 * too. */
static void
test_json_every_generation (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  const char *background = reel_shot_get_background (g_ptr_array_index (shots, 4));
  ReelAsset *stored = reel_project_lookup_asset (project, background);
  g_autoptr(GBytes) reference_png = export_test_make_png (24, 16, 0x3366aa);
  g_autoptr(ReelAsset) reference = reel_asset_new_full (reference_png, REEL_MIME_PNG, 24, 16,
                                                        NULL);
  g_autoptr(ReelGenerationRecord) second = reel_generation_record_new ();
  g_autoptr(ReelAsset) regenerated = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root, *asset, *first;
  JsonArray *generations;

  second->kind = g_strdup (REEL_GENERATION_KIND_BACKGROUND);
  second->provider = g_strdup ("comfyui");
  second->model = g_strdup ("flux-dev");
  second->prompt = g_strdup ("The same harbour, asked of another service");
  second->seed = 99;
  second->input_hashes = g_new0 (char *, 2);
  second->input_hashes[0] = g_strdup (reel_asset_get_hash (reference));
  reel_project_add_asset (project, reference);
  regenerated = reel_asset_copy_with_generation (stored, second);
  g_assert_true (reel_project_add_asset (project, regenerated) != stored);

  parser = export_and_validate (project, NULL, "json-generations");
  root = json_node_get_object (json_parser_get_root (parser));
  asset = find_asset (root, background);
  generations = json_object_get_array_member (asset, "generations");
  g_assert_cmpuint (json_array_get_length (generations), ==, 2);
  first = json_array_get_object_element (generations, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "provider"), ==, AWKWARD_PROVIDER);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (generations, 1), "provider"), ==, "comfyui");
  g_assert_cmpint (json_object_get_int_member (
                     json_array_get_object_element (generations, 1), "seed"), ==, 99);
  g_assert_true (json_node_equal (json_object_get_member (asset, "generation"),
                                  json_array_get_element (generations, 0)));
  g_assert_nonnull (find_asset (root, reel_asset_get_hash (reference)));
  /* The reference image itself: no service made it. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      find_asset (root, reel_asset_get_hash (reference)), "generations")), ==, 0);
  g_assert_true (json_object_get_null_member (find_asset (root, reel_asset_get_hash (reference)),
                                              "generation"));
}

static void
test_json_scene_scope (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root, *scope;
  JsonArray *scenes;

  reel_export_options_set_scope (options, REEL_EXPORT_SCOPE_SCENE);
  reel_export_options_set_scene (options, reel_project_get_scene (project, 0));
  parser = export_and_validate (project, options, "json-scene");
  root = json_node_get_object (json_parser_get_root (parser));

  scope = json_object_get_object_member (root, "scope");
  g_assert_cmpstr (json_object_get_string_member (scope, "kind"), ==, "scene");
  g_assert_cmpstr (json_object_get_string_member (scope, "scene_id"), ==,
                   reel_scene_get_id (reel_project_get_scene (project, 0)));
  g_assert_cmpint (json_object_get_int_member (scope, "shot_count"), ==, 3);
  scenes = json_object_get_array_member (root, "scenes");
  g_assert_cmpuint (json_array_get_length (scenes), ==, 1);
  /* No shot of this scene uses an asset. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "assets")), ==, 0);
}

static void
test_json_demo (void)
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_autoptr(JsonParser) parser = export_and_validate (project, NULL, "json-demo");
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "scope"),
                                               "shot_count"), ==,
                   reel_project_get_n_shots (project));
}

/* The validator is not a rubber stamp: it rejects documents that break the schema. */
static void
test_json_validator_rejects (void)
{
  g_autoptr(GFile) folder = export_test_make_folder ("json-broken");
  struct {
    const char *name;
    const char *from;
    const char *to;
  } breaks[] = {
    { "wrong version", "\"schema_version\" : 1", "\"schema_version\" : 2" },
    { "number as a string", "\"duration_frames\" : 48", "\"duration_frames\" : \"48\"" },
    { "unknown member", "\"dialogue\" :", "\"dialog\" : \"\", \"dialogue\" :" },
    { "bad hash", "\"background\" : null", "\"background\" : \"abc\"" },
    { "bad enum", "\"int_ext\" : \"ext\"", "\"int_ext\" : \"outside\"" },
  };
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GFile) output = g_file_get_child (folder, "good.json");
  g_autoptr(GError) error = NULL;
  g_autofree char *good = NULL;
  g_autofree char *report = NULL;

  export_test_run ("json", project, NULL, output, &error);
  g_assert_no_error (error);
  good = export_test_read_text (output);
  g_assert_cmpint (validate (g_file_peek_path (output), &report), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (breaks); i++)
    {
      g_autofree char *name = g_strdup_printf ("broken-%u.json", i);
      g_autoptr(GFile) broken = g_file_get_child (folder, name);
      g_autofree char *broken_report = NULL;
      const char *at = strstr (good, breaks[i].from);
      g_autoptr(GString) text = g_string_new (good);

      g_assert_nonnull (at);
      g_string_erase (text, at - good, strlen (breaks[i].from));
      g_string_insert (text, at - good, breaks[i].to);
      g_file_replace_contents (broken, text->str, text->len, NULL, FALSE, 0, NULL, NULL, &error);
      g_assert_no_error (error);

      if (validate (g_file_peek_path (broken), &broken_report) != 1)
        g_error ("the validator accepted a document with a %s", breaks[i].name);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/json/awkward", test_json_awkward);
  g_test_add_func ("/export/json/greybox", test_json_greybox);
  g_test_add_func ("/export/json/every-generation", test_json_every_generation);
  g_test_add_func ("/export/json/scene-scope", test_json_scene_scope);
  g_test_add_func ("/export/json/demo", test_json_demo);
  g_test_add_func ("/export/json/validator-rejects", test_json_validator_rejects);

  return export_test_finish (g_test_run ());
}
