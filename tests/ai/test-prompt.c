/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test"

#include "config.h"

#include <string.h>

#include "ai/reel-ai-error.h"
#include "ai/reel-comfyui.h"
#include "ai/reel-gemini.h"
#include "ai/reel-keys.h"
#include "ai/reel-openai.h"
#include "ai/reel-greybox.h"
#include "ai/reel-prompt.h"
#include "ai/reel-provider.h"
#include "core/reel-edit.h"
#include "ai-test-util.h"

/* The prompt builder, the request built from a shot, the angle variants, and the
 * mappings each provider needs (aspect ratios, sizes, template placeholders, key names). */

typedef struct
{
  ReelProject *project;
  ReelScene *scene;
  ReelShot *shot;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->project = reel_project_new ();
  reel_project_set_aspect_ratio (fixture->project, 2.39);
  reel_project_set_look_phrase (fixture->project, "Bleached teal grade, anamorphic flares");

  fixture->scene = reel_scene_new ();
  reel_scene_set_int_ext (fixture->scene, REEL_INT_EXT_EXT);
  reel_scene_set_location (fixture->scene, "HARBOUR");
  reel_scene_set_time_of_day (fixture->scene, "DAWN");
  reel_project_append_scene (fixture->project, fixture->scene);

  fixture->shot = reel_shot_new ();
  reel_shot_set_description (fixture->shot, "Mara waits on the quay as the ferry docks.");
  reel_shot_set_size (fixture->shot, "ws");
  reel_shot_set_angle (fixture->shot, "eye_level");
  reel_shot_set_lens_mm (fixture->shot, 35);
  reel_shot_set_camera_height_m (fixture->shot, 1.6);
  reel_scene_append_shot (fixture->scene, fixture->shot);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->shot);
  g_clear_object (&fixture->scene);
  g_clear_object (&fixture->project);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” is not in “%s”", needle, haystack);
}

static void
test_background_prompt (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *prompt = reel_prompt_build (fixture->project, fixture->shot,
                                               REEL_GENERATION_BACKGROUND, NULL);

  g_test_message ("%s", prompt);
  assert_contains (prompt, "Bleached teal grade, anamorphic flares.");
  assert_contains (prompt, "Exterior: harbour, at dawn");
  assert_contains (prompt, "Mara waits on the quay as the ferry docks.");
  assert_contains (prompt, "Wide shot");
  assert_contains (prompt, "eye-level camera angle");
  assert_contains (prompt, "35 mm lens (39° horizontal field of view)");
  assert_contains (prompt, "camera 1.6 m above the ground");
  g_assert_true (g_str_has_suffix (prompt, "Empty background plate, no people."));
  g_assert_null (strstr (prompt, "same set"));
  /* The look comes first, the plate instruction last. */
  g_assert_true (g_str_has_prefix (prompt, "Bleached"));
}

static void
test_interior_night (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *prompt = NULL;

  reel_scene_set_int_ext (fixture->scene, REEL_INT_EXT_INT);
  reel_scene_set_location (fixture->scene, "FERRY CABIN");
  reel_scene_set_time_of_day (fixture->scene, "LATE NIGHT");
  reel_project_set_look_phrase (fixture->project, "");
  prompt = reel_prompt_build (fixture->project, fixture->shot, REEL_GENERATION_BACKGROUND, NULL);

  assert_contains (prompt, "Interior: ferry cabin, at night");
  g_assert_true (g_str_has_prefix (prompt, "Interior"));
}

typedef struct
{
  const char *id;
  const char *phrase;
  const char *camera;
} AngleCase;

static void
test_angle_prompt (Fixture       *fixture,
                   gconstpointer  data)
{
  const AngleCase *angle = data;
  g_autofree char *prompt = reel_prompt_build (fixture->project, fixture->shot,
                                               REEL_GENERATION_ANGLE, angle->id);

  g_test_message ("%s", prompt);
  g_assert_true (g_str_has_prefix (prompt, "The same set as in the reference image, seen from "));
  assert_contains (prompt, angle->phrase);
  /* The camera phrase is the new camera's. */
  assert_contains (prompt, angle->camera);
  g_assert_true (g_str_has_suffix (prompt, "Empty background plate, no people."));
}

static void
test_apply_angle_variant (void)
{
  static const struct
  {
    const char *variant;
    const char *angle;
    const char *framing;
    const char *size;
    double lens;
    double height;
  } cases[] = {
    { "low", "low", "single", "ms", 50, 0.9 },
    { "high", "high", "single", "ms", 50, 2.6 },
    { "birds_eye", "birds_eye", "single", "ms", 50, 6.0 },
    { "worms_eye", "worms_eye", "single", "ms", 50, 0.15 },
    { "dutch", "dutch", "single", "ms", 50, 1.6 },
    { "ots", "eye_level", "ots", "ms", 50, 1.6 },
    { "reverse", "eye_level", "single", "ms", 50, 1.6 },
    { "wider", "eye_level", "single", "cowboy", 35, 1.6 },
    { "tighter", "eye_level", "single", "mcs", 85, 1.6 },
  };
  guint n_variants = 0;

  reel_prompt_get_angle_variants (&n_variants);
  g_assert_cmpuint (n_variants, ==, G_N_ELEMENTS (cases));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ReelShot) shot = reel_shot_new ();

      g_assert_nonnull (reel_prompt_lookup_angle_variant (cases[i].variant));
      reel_shot_set_size (shot, "ms");
      reel_shot_set_framing (shot, "single");
      reel_shot_set_angle (shot, "eye_level");
      reel_shot_set_lens_mm (shot, 50);
      reel_shot_set_camera_height_m (shot, 1.6);
      reel_prompt_apply_angle_variant (shot, cases[i].variant);

      g_assert_cmpstr (reel_shot_get_angle (shot), ==, cases[i].angle);
      g_assert_cmpstr (reel_shot_get_framing (shot), ==, cases[i].framing);
      g_assert_cmpstr (reel_shot_get_size (shot), ==, cases[i].size);
      g_assert_cmpfloat_with_epsilon (reel_shot_get_lens_mm (shot), cases[i].lens, 1e-9);
      g_assert_cmpfloat_with_epsilon (reel_shot_get_camera_height_m (shot), cases[i].height,
                                      1e-9);
    }
}

static void
test_time_of_day (void)
{
  g_assert_cmpstr (reel_prompt_normalize_time_of_day ("DAWN"), ==, "dawn");
  g_assert_cmpstr (reel_prompt_normalize_time_of_day ("sunrise"), ==, "dawn");
  g_assert_cmpstr (reel_prompt_normalize_time_of_day ("DAY"), ==, "day");
  g_assert_cmpstr (reel_prompt_normalize_time_of_day ("EARLY MORNING"), ==, "day");
  g_assert_cmpstr (reel_prompt_normalize_time_of_day ("SUNSET"), ==, "dusk");
  g_assert_cmpstr (reel_prompt_normalize_time_of_day ("MAGIC HOUR"), ==, "dusk");
  g_assert_cmpstr (reel_prompt_normalize_time_of_day ("NIGHT"), ==, "night");
  g_assert_cmpstr (reel_prompt_normalize_time_of_day ("DAY FOR NIGHT"), ==, "night");
  g_assert_null (reel_prompt_normalize_time_of_day ("CONTINUOUS"));
  g_assert_null (reel_prompt_normalize_time_of_day (""));
  g_assert_null (reel_prompt_normalize_time_of_day (NULL));
}

static void
test_pixel_size (void)
{
  int width = 0;
  int height = 0;

  reel_prompt_pixel_size (2.39, 1344, &width, &height);
  g_assert_cmpint (width, ==, 1344);
  g_assert_cmpint (height, ==, 560);
  reel_prompt_pixel_size (16.0 / 9.0, 1344, &width, &height);
  g_assert_cmpint (width, ==, 1344);
  g_assert_cmpint (height, ==, 752);
  reel_prompt_pixel_size (0.5625, 1344, &width, &height);
  g_assert_cmpint (width, ==, 752);
  g_assert_cmpint (height, ==, 1344);
  reel_prompt_pixel_size (1.0, 1024, &width, &height);
  g_assert_cmpint (width, ==, 1024);
  g_assert_cmpint (height, ==, 1024);
}

static ReelAsset *
grey_png_asset (int width,
                int height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize size = 0;
  g_autoptr(GBytes) bytes = NULL;
  ReelAsset *asset;

  gdk_pixbuf_fill (pixbuf, 0x808080ff);
  gdk_pixbuf_save_to_buffer (pixbuf, &data, &size, "png", &error, NULL);
  g_assert_no_error (error);
  bytes = g_bytes_new (data, size);
  asset = reel_asset_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  return asset;
}

static void
test_request_for_shot (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(ReelAsset) background = grey_png_asset (64, 27);
  g_autoptr(ReelAsset) look = grey_png_asset (32, 32);
  g_autoptr(ReelGenerationRequest) plain = NULL;
  g_autoptr(ReelGenerationRequest) angle = NULL;
  g_autoptr(ReelGenerationRequest) edited = NULL;
  g_autoptr(GPtrArray) references = NULL;

  reel_project_add_asset (fixture->project, background);
  reel_project_add_asset (fixture->project, look);
  reel_shot_set_background (fixture->shot, reel_asset_get_hash (background));
  reel_project_set_look_image (fixture->project, reel_asset_get_hash (look));

  plain = reel_prompt_new_request (fixture->project, fixture->shot, REEL_GENERATION_BACKGROUND,
                                   NULL, NULL, 4);
  g_assert_cmpint (plain->kind, ==, REEL_GENERATION_BACKGROUND);
  g_assert_cmpuint (plain->count, ==, 4);
  /* A seed of its own, with room for its images' consecutive seeds in 31 bits. */
  g_assert_cmpint (plain->seed, >=, 0);
  g_assert_cmpint (plain->seed + plain->count, <, G_MAXINT32);
  g_assert_cmpfloat_with_epsilon (plain->aspect_ratio, 2.39, 1e-9);
  g_assert_cmpint (plain->width, ==, 1344);
  g_assert_cmpint (plain->height, ==, 560);
  g_assert_cmpint (plain->int_ext, ==, REEL_INT_EXT_EXT);
  g_assert_cmpstr (plain->time_of_day, ==, "DAWN");
  g_assert_cmpstr (plain->location, ==, "HARBOUR");
  g_assert_cmpfloat_with_epsilon (plain->sensor_width_mm, 24.89, 1e-9);
  g_assert_nonnull (strstr (plain->prompt, "Empty background plate"));
  g_assert_nonnull (strstr (plain->negative_prompt, "people"));
  /* No drawing yet, and a new background does not start from the old one; the look goes. */
  g_assert_null (plain->sketch);
  g_assert_null (plain->background);
  g_assert_true (plain->look == look);

  angle = reel_prompt_new_request (fixture->project, fixture->shot, REEL_GENERATION_ANGLE, "low",
                                   NULL, 1);
  g_assert_cmpstr (angle->angle_id, ==, "low");
  /* The camera of the new angle: tilted up, lower. */
  g_assert_cmpfloat_with_epsilon (angle->tilt_deg, 30, 1e-9);
  g_assert_cmpfloat_with_epsilon (angle->camera_height_m, 0.9, 1e-9);
  g_assert_true (angle->background == background);
  references = reel_generation_request_list_references (angle);
  g_assert_cmpuint (references->len, ==, 2);
  g_assert_true (g_ptr_array_index (references, 0) == background);
  g_assert_true (g_ptr_array_index (references, 1) == look);

  /* What the user typed wins over the built prompt. */
  edited = reel_prompt_new_request (fixture->project, fixture->shot, REEL_GENERATION_BACKGROUND,
                                    NULL, "my own words", 1);
  g_assert_cmpstr (edited->prompt, ==, "my own words");
}

/* A shot with a camera on its scene's set can be drawn as the set's line art from that
 * camera, the gray-box's own drawing to the byte; a shot without one, or a clip, cannot. */
static void
test_structure_reference (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(ReelSet) set = reel_set_new_from_template ("room");
  ReelCameraPose pose = { 0.5, 2.0, 1.5, 10, -5, 0, 35 };
  g_autoptr(ReelShotCamera) camera = reel_shot_camera_new (&pose);
  g_autoptr(ReelGenerationRequest) plain = NULL;
  g_autoptr(ReelGenerationRequest) request = NULL;
  g_autoptr(ReelGenerationRequest) clip = NULL;
  g_autoptr(ReelGreyboxImage) image = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(ReelAsset) structure = NULL;
  g_autoptr(ReelAsset) none = NULL;
  g_autoptr(GPtrArray) references = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;

  /* No set camera, nothing to draw from. */
  plain = reel_prompt_new_request (fixture->project, fixture->shot, REEL_GENERATION_BACKGROUND,
                                   NULL, NULL, 1);
  g_assert_null (reel_provider_render_structure (plain));
  prompt = reel_provider_prompt_for_references (plain);
  g_assert_cmpstr (prompt, ==, plain->prompt);
  g_clear_pointer (&prompt, g_free);

  reel_scene_set_set (fixture->scene, set);
  reel_shot_set_camera (fixture->shot, camera);
  request = reel_prompt_new_request (fixture->project, fixture->shot,
                                     REEL_GENERATION_BACKGROUND, NULL, NULL, 1);
  /* Drawn by the provider that sends it, on a worker thread, not here. */
  g_assert_null (request->structure);
  structure = reel_provider_render_structure (request);
  g_assert_nonnull (structure);
  image = reel_greybox_render_image (request, 0);
  expected = reel_greybox_image_line_art_to_png (image, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (reel_asset_get_data (structure), expected));
  g_assert_cmpint (reel_asset_get_width (structure), ==, request->width);

  request->structure = g_object_ref (structure);
  references = reel_generation_request_list_references (request);
  g_assert_true (g_ptr_array_index (references, references->len - 1) == structure);
  /* Said in words with the prompt, after the user's own. */
  prompt = reel_provider_prompt_for_references (request);
  g_assert_true (g_str_has_prefix (prompt, request->prompt));
  g_assert_nonnull (strstr (prompt, "line drawing"));

  clip = reel_prompt_new_request (fixture->project, fixture->shot, REEL_GENERATION_VIDEO, NULL,
                                  NULL, 1);
  none = reel_provider_render_structure (clip);
  g_assert_null (none);
}

/* A clip is asked to end on the next shot's picture, when that shot has one. */
static void
test_clip_last_frame (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(ReelAsset) next_background = grey_png_asset (64, 27);
  g_autoptr(ReelShot) next = reel_shot_new ();
  g_autoptr(ReelGenerationRequest) clip = NULL;
  g_autoptr(ReelGenerationRequest) still = NULL;
  g_autoptr(ReelGenerationRequest) last = NULL;
  ReelScene *scene = reel_shot_get_scene (fixture->shot);

  reel_scene_append_shot (scene, next);
  clip = reel_prompt_new_request (fixture->project, fixture->shot, REEL_GENERATION_VIDEO,
                                  NULL, NULL, 1);
  g_assert_null (clip->last_frame);
  g_clear_pointer (&clip, reel_generation_request_unref);

  reel_project_add_asset (fixture->project, next_background);
  reel_shot_set_background (next, reel_asset_get_hash (next_background));
  clip = reel_prompt_new_request (fixture->project, fixture->shot, REEL_GENERATION_VIDEO,
                                  NULL, NULL, 1);
  g_assert_true (clip->last_frame == next_background);
  /* Only clips end somewhere; the last shot has nothing after it. */
  still = reel_prompt_new_request (fixture->project, fixture->shot, REEL_GENERATION_BACKGROUND,
                                   NULL, NULL, 1);
  g_assert_null (still->last_frame);
  last = reel_prompt_new_request (fixture->project, next, REEL_GENERATION_VIDEO, NULL, NULL, 1);
  g_assert_null (last->last_frame);
}

static void
test_sketch_reference (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(ReelGenerationRequest) request = NULL;
  ReelStrokePoint points[] = { { 0.1, 0.5, 1, 0, 0 }, { 0.9, 0.5, 1, 0, 0 } };
  ReelColor black = { 0, 0, 0, 1 };
  g_autoptr(ReelStroke) stroke = reel_stroke_new ("pen", &black, 0.01, points,
                                                  G_N_ELEMENTS (points), NULL);

  reel_sketch_append_stroke (reel_shot_get_sketch (fixture->shot), "Drawing", stroke);
  request = reel_prompt_new_request (fixture->project, fixture->shot,
                                     REEL_GENERATION_BACKGROUND, NULL, NULL, 1);
  g_assert_nonnull (request->sketch);
  g_assert_cmpstr (reel_asset_get_mime_type (request->sketch), ==, REEL_MIME_PNG);
  g_assert_cmpint (reel_asset_get_width (request->sketch), ==, 1024);
  g_assert_cmpint (reel_asset_get_height (request->sketch), ==, 428);
}

static void
test_gemini_aspect_ratios (void)
{
  g_assert_cmpstr (reel_gemini_aspect_ratio_for (2.39), ==, "21:9");
  g_assert_cmpstr (reel_gemini_aspect_ratio_for (2.0), ==, "16:9");
  g_assert_cmpstr (reel_gemini_aspect_ratio_for (1.85), ==, "16:9");
  g_assert_cmpstr (reel_gemini_aspect_ratio_for (16.0 / 9.0), ==, "16:9");
  g_assert_cmpstr (reel_gemini_aspect_ratio_for (1.33), ==, "4:3");
  g_assert_cmpstr (reel_gemini_aspect_ratio_for (1.0), ==, "1:1");
  g_assert_cmpstr (reel_gemini_aspect_ratio_for (0.5625), ==, "9:16");
}

static void
test_openai_sizes (void)
{
  g_assert_cmpstr (reel_openai_size_for (2.39), ==, "1536x1024");
  g_assert_cmpstr (reel_openai_size_for (1.78), ==, "1536x1024");
  g_assert_cmpstr (reel_openai_size_for (1.33), ==, "1536x1024");
  g_assert_cmpstr (reel_openai_size_for (1.0), ==, "1024x1024");
  g_assert_cmpstr (reel_openai_size_for (0.5625), ==, "1024x1536");
}

static GHashTable *
template_values (void)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                              (GDestroyNotify) json_node_unref);
  JsonNode *node;

  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, "a \"quoted\" quay");
  g_hash_table_insert (values, "prompt", node);
  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_int (node, 1234);
  g_hash_table_insert (values, "seed", node);
  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_int (node, 1344);
  g_hash_table_insert (values, "width", node);
  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_double (node, 0.7);
  g_hash_table_insert (values, "denoise", node);
  return values;
}

static void
test_comfyui_template (void)
{
  g_autoptr(GHashTable) values = template_values ();
  g_autoptr(JsonNode) filled = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *inputs;

  filled = reel_comfyui_fill_template (
    "{\"3\":{\"class_type\":\"KSampler\",\"inputs\":{\"seed\":\"{{seed}}\",\"denoise\":"
    "\"{{ denoise }}\",\"model\":[\"4\",0]}},\"6\":{\"class_type\":\"CLIPTextEncode\","
    "\"inputs\":{\"text\":\"{{prompt}}\"}},\"9\":{\"class_type\":\"SaveImage\",\"inputs\":"
    "{\"filename_prefix\":\"shot_{{seed}}_w{{width}}\"}}}", values, &error);
  g_assert_no_error (error);

  inputs = json_object_get_object_member (
    json_object_get_object_member (json_node_get_object (filled), "3"), "inputs");
  /* Whole-string placeholders take the value's type. */
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (inputs, "seed")), ==,
                   G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (inputs, "seed"), ==, 1234);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (inputs, "denoise"), 0.7, 1e-9);
  /* Links are left alone. */
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (inputs, "model")));
  inputs = json_object_get_object_member (
    json_object_get_object_member (json_node_get_object (filled), "6"), "inputs");
  g_assert_cmpstr (json_object_get_string_member (inputs, "text"), ==, "a \"quoted\" quay");
  inputs = json_object_get_object_member (
    json_object_get_object_member (json_node_get_object (filled), "9"), "inputs");
  g_assert_cmpstr (json_object_get_string_member (inputs, "filename_prefix"), ==,
                   "shot_1234_w1344");
}

static void
test_comfyui_template_errors (void)
{
  static const char *not_api[] = {
    "not json",
    "[]",
    "{}",
    "{\"nodes\":[],\"links\":[]}",
    "{\"3\":{\"inputs\":{}}}",
  };
  g_autoptr(GHashTable) values = template_values ();

  for (guint i = 0; i < G_N_ELEMENTS (not_api); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) filled = reel_comfyui_fill_template (not_api[i], values, &error);

      g_assert_null (filled);
      g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG);
      g_assert_nonnull (strstr (error->message, "API format"));
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) filled = reel_comfyui_fill_template (
      "{\"1\":{\"class_type\":\"LoadImage\",\"inputs\":{\"image\":\"{{input_image}}\"}}}",
      values, &error);

    g_assert_null (filled);
    g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG);
    g_assert_nonnull (strstr (error->message, "{{input_image}}"));
  }
}

static void
test_builtin_templates (void)
{
  static const struct
  {
    const char *name;
    const char *output;        /* the class that saves what it makes */
    const char *images;        /* what Storyreel uploads for it */
    const char *needs;         /* one of its model files */
    const char *filled;        /* a value that shows the placeholder was filled */
  } templates[] = {
    { "txt2img.json", "SaveImage", "", "sd_xl_base_1.0.safetensors", "\"seed\":1234" },
    { "img2img.json", "SaveImage", "input_image", "sd_xl_base_1.0.safetensors",
      "storyreel-ref.png" },
    { "angles-qwen-edit.json", "SaveImage", "input_image",
      "Qwen-Edit-2509-Multiple-angles.safetensors", "back view eye-level shot medium shot" },
    { "wan22-i2v.json", "SaveVideo", "input_image",
      "wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors", "\"length\":81" },
    { "depth-controlnet.json", "SaveImage", "depth_image",
      "controlnet-depth-sdxl-1.0.safetensors", "storyreel-depth.png" },
  };
  const char *source_dir = g_getenv ("STORYREEL_SOURCE_DIR");

  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    {
      g_autofree char *path = g_build_filename (source_dir, "data", "workflows",
                                                templates[i].name, NULL);
      g_autofree char *text = NULL;
      g_autoptr(GHashTable) values = template_values ();
      g_autoptr(JsonNode) filled = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(ReelComfyuiTemplateInfo) info = NULL;
      g_autofree char *printed = NULL;
      g_autofree char *images = NULL;
      gboolean needs = FALSE;
      JsonNode *node;

      g_test_message ("%s", templates[i].name);
      g_file_get_contents (path, &text, NULL, &error);
      g_assert_no_error (error);

      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, "people");
      g_hash_table_insert (values, "negative_prompt", node);
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (node, 560);
      g_hash_table_insert (values, "height", node);
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, "storyreel-ref.png");
      g_hash_table_insert (values, "input_image", node);
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, "storyreel-depth.png");
      g_hash_table_insert (values, "depth_image", node);
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, "back view eye-level shot medium shot");
      g_hash_table_insert (values, "camera_angle", node);
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (node, 81);
      g_hash_table_insert (values, "frames", node);

      /* Every placeholder is one Storyreel fills; none is left over, and the metadata
       * does not go to the server. */
      filled = reel_comfyui_fill_template (text, values, &error);
      g_assert_no_error (error);
      printed = json_to_string (filled, FALSE);
      g_assert_null (strstr (printed, "{{"));
      g_assert_false (json_object_has_member (json_node_get_object (filled), "storyreel"));
      g_assert_nonnull (strstr (printed, templates[i].output));
      g_assert_nonnull (strstr (printed, templates[i].filled));

      /* It says what it takes and which models it needs. */
      info = reel_comfyui_template_info_new (text, &error);
      g_assert_no_error (error);
      images = g_strjoinv (",", info->images);
      g_assert_cmpstr (images, ==, templates[i].images);
      g_assert_nonnull (info->title);
      for (guint j = 0; j < info->models->len; j++)
        {
          ReelComfyuiModel *model = g_ptr_array_index (info->models, j);

          needs |= g_strcmp0 (model->file, templates[i].needs) == 0;
          /* The loader and input it names are the ones in the workflow. */
          g_assert_nonnull (strstr (printed, model->class_type));
          g_assert_nonnull (strstr (printed, model->input));
          g_assert_nonnull (strstr (printed, model->file));
        }
      g_assert_true (needs);
    }
}

static void
test_camera_angle_words (void)
{
  static const struct
  {
    const char *angle_id;
    double tilt;
    double lens;
    const char *words;
  } cases[] = {
    { NULL, 0, 35, "front view eye-level shot medium shot" },
    { NULL, 20, 35, "front view low-angle shot medium shot" },
    { NULL, -20, 24, "front view elevated shot wide shot" },
    { NULL, -50, 85, "front view high-angle shot close-up" },
    { "reverse", 0, 35, "back view eye-level shot medium shot" },
    { "ots", 0, 50, "back-right quarter view eye-level shot medium shot" },
    { "birds_eye", -89, 35, "front view high-angle shot medium shot" },
    { "wider", 0, 35, "front view eye-level shot wide shot" },
    { "tighter", 0, 35, "front view eye-level shot close-up" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ReelGenerationRequest) request = reel_generation_request_new ();
      g_autofree char *words = NULL;

      request->kind = cases[i].angle_id != NULL ? REEL_GENERATION_ANGLE
                                                : REEL_GENERATION_BACKGROUND;
      request->angle_id = g_strdup (cases[i].angle_id);
      request->tilt_deg = cases[i].tilt;
      request->lens_mm = cases[i].lens;
      words = reel_comfyui_camera_angle_prompt (request);
      g_assert_cmpstr (words, ==, cases[i].words);
    }
}

static void
test_key_env (void)
{
  g_autofree char *name = reel_keys_dup_env_name ("gemini");
  g_autofree char *none = NULL;
  g_autofree char *key = NULL;
  g_autofree char *scrubbed = NULL;

  g_assert_cmpstr (name, ==, "STORYREEL_GEMINI_API_KEY");

  g_unsetenv ("STORYREEL_OPENAI_API_KEY");
  none = reel_keys_lookup_env ("openai");
  g_assert_null (none);

  g_setenv ("STORYREEL_OPENAI_API_KEY", "  " AI_TEST_KEY "\n", TRUE);
  key = reel_keys_lookup_env ("openai");
  g_assert_cmpstr (key, ==, AI_TEST_KEY);
  g_unsetenv ("STORYREEL_OPENAI_API_KEY");

  scrubbed = reel_keys_scrub ("refused " AI_TEST_KEY ".", AI_TEST_KEY);
  g_assert_cmpstr (scrubbed, ==, "refused [redacted].");
}

/* One table per service maps its error codes: exact, "Prefix*" and "*part*". */
static void
test_error_codes (void)
{
  static const ReelProviderErrorCode codes[] = {
    { "insufficient_quota", REEL_PROVIDER_ANSWER_QUOTA },
    { "ModelNotOpen*", REEL_PROVIDER_ANSWER_MODEL_NOT_FOUND },
    { "*Sensitive*", REEL_PROVIDER_ANSWER_BLOCKED },
    { NULL, 0 },
  };

  g_assert_cmpint (reel_provider_classify_error (codes, "insufficient_quota", NULL), ==,
                   REEL_PROVIDER_ANSWER_QUOTA);
  g_assert_cmpint (reel_provider_classify_error (codes, "insufficient_quota_x", NULL), ==,
                   REEL_PROVIDER_ANSWER_OTHER);
  g_assert_cmpint (reel_provider_classify_error (codes, "ModelNotOpen.Region", NULL), ==,
                   REEL_PROVIDER_ANSWER_MODEL_NOT_FOUND);
  g_assert_cmpint (reel_provider_classify_error (codes, "XModelNotOpen", NULL), ==,
                   REEL_PROVIDER_ANSWER_OTHER);
  g_assert_cmpint (reel_provider_classify_error (codes, "OutputImageSensitiveContentDetected",
                                                 NULL), ==, REEL_PROVIDER_ANSWER_BLOCKED);
  /* OpenAI puts it in "type" or in "code": either counts. */
  g_assert_cmpint (reel_provider_classify_error (codes, NULL, "insufficient_quota"), ==,
                   REEL_PROVIDER_ANSWER_QUOTA);
  g_assert_cmpint (reel_provider_classify_error (codes, NULL, NULL), ==,
                   REEL_PROVIDER_ANSWER_OTHER);
  g_assert_cmpint (reel_provider_retry_for_answer (REEL_PROVIDER_ANSWER_QUOTA), ==,
                   REEL_HTTP_RETRY_NO);
  g_assert_cmpint (reel_provider_retry_for_answer (REEL_PROVIDER_ANSWER_BLOCKED), ==,
                   REEL_HTTP_RETRY_NO);
  g_assert_cmpint (reel_provider_retry_for_answer (REEL_PROVIDER_ANSWER_OTHER), ==,
                   REEL_HTTP_RETRY_DEFAULT);
}

int
main (int    argc,
      char **argv)
{
  static const AngleCase low = { "low", "a low angle, the camera near the ground looking up",
                                 "low-angle shot looking up" };
  static const AngleCase birds = { "birds_eye", "bird's-eye view looking straight down",
                                   "camera 6.0 m above the ground" };
  static const AngleCase reverse = { "reverse", "the reverse angle", "35 mm lens" };
  static const AngleCase wider = { "wider", "showing more of the set", "Very wide shot" };
  static const AngleCase tighter = { "tighter", "showing less of the set", "Full shot" };

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/prompt/background", test_background_prompt, NULL);
  ADD ("/prompt/interior-night", test_interior_night, NULL);
  ADD ("/prompt/clip-last-frame", test_clip_last_frame, NULL);
  ADD ("/prompt/structure-reference", test_structure_reference, NULL);
  ADD ("/prompt/angle/low", test_angle_prompt, &low);
  ADD ("/prompt/angle/birds-eye", test_angle_prompt, &birds);
  ADD ("/prompt/angle/reverse", test_angle_prompt, &reverse);
  ADD ("/prompt/angle/wider", test_angle_prompt, &wider);
  ADD ("/prompt/angle/tighter", test_angle_prompt, &tighter);
  g_test_add_func ("/prompt/apply-angle-variant", test_apply_angle_variant);
  g_test_add_func ("/prompt/time-of-day", test_time_of_day);
  g_test_add_func ("/prompt/pixel-size", test_pixel_size);
  ADD ("/prompt/request-for-shot", test_request_for_shot, NULL);
  ADD ("/prompt/sketch-reference", test_sketch_reference, NULL);
  g_test_add_func ("/providers/gemini-aspect-ratios", test_gemini_aspect_ratios);
  g_test_add_func ("/providers/openai-sizes", test_openai_sizes);
  g_test_add_func ("/providers/comfyui-template", test_comfyui_template);
  g_test_add_func ("/providers/comfyui-template-errors", test_comfyui_template_errors);
  g_test_add_func ("/providers/builtin-templates", test_builtin_templates);
  g_test_add_func ("/providers/camera-angle-words", test_camera_angle_words);
  g_test_add_func ("/keys/environment", test_key_env);
  g_test_add_func ("/providers/error-codes", test_error_codes);

  return g_test_run ();
}
