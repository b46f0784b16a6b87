/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "reel-test-project.h"

/* Text that breaks careless code: quotes, separators, markup, formulas, SQL,
 * right-to-left and wide scripts, emoji, combining marks, line breaks. */
static const char * const text_pieces[] = {
  "",
  "The harbour at dawn",
  "MAYA",
  "\"quoted\"",
  "it's",
  "a, b; c",
  "line one\nline two",
  "\r\n",
  "\t",
  "=SUM(A1:A3)",
  "+1",
  "-minus",
  "@mention",
  "'; DROP TABLE shots; --",
  "<b>not markup</b> & more",
  "back\\slash",
  "100%",
  "%s %d",
  "Ünïcödé",
  "日本語のテキスト",
  "مرحبا",
  "שלום",
  "🎬🎥",
  "e\xcc\x81",      /* e + combining acute */
  "Zoë’s “smart” quotes",
  "12A",
  "INT. KITCHEN - NIGHT",
  "   leading and trailing   ",
  "#hash",
  "[[note]]",
};

char *
reel_test_random_text (GRand *rand)
{
  GString *text = g_string_new (NULL);
  int n = g_rand_int_range (rand, 0, 5);

  for (int i = 0; i < n; i++)
    {
      if (i > 0 && g_rand_boolean (rand))
        g_string_append_c (text, ' ');
      g_string_append (text, text_pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (text_pieces))]);
    }

  return g_string_free (text, FALSE);
}

char *
reel_test_random_id (GRand *rand)
{
  /* UUID-shaped, from the seeded generator so that projects replay exactly. */
  return g_strdup_printf ("%08x-%04x-4%03x-%04x-%08x%04x",
                          g_rand_int (rand),
                          g_rand_int (rand) & 0xffff,
                          g_rand_int (rand) & 0xfff,
                          (g_rand_int (rand) & 0x3fff) | 0x8000,
                          g_rand_int (rand),
                          g_rand_int (rand) & 0xffff);
}

static char *
random_hex (GRand *rand,
            guint  n_chars)
{
  GString *hex = g_string_sized_new (n_chars);

  for (guint i = 0; i < n_chars; i++)
    g_string_append_c (hex, "0123456789abcdef"[g_rand_int_range (rand, 0, 16)]);

  return g_string_free (hex, FALSE);
}

static const char *
random_vocab_id (GRand          *rand,
                 ReelVocabulary  kind)
{
  guint n;
  const ReelVocabEntry *table = reel_camera_get_vocabulary (kind, &n);

  return table[g_rand_int_range (rand, 0, n)].id;
}

/* Doubles with few bits sometimes, awkward fractions other times. */
static double
random_double (GRand  *rand,
               double  lo,
               double  hi)
{
  if (g_rand_int_range (rand, 0, 4) == 0)
    return lo + (hi - lo) * g_rand_int_range (rand, 0, 5) / 4.0;

  return g_rand_double_range (rand, lo, hi);
}

GBytes *
reel_test_make_png (int     width,
                    int     height,
                    guint32 rgba)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, rgba);
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL))
    g_error ("Could not encode a test PNG: %s", error->message);

  return g_bytes_new_take (buffer, size);
}

static ReelGenerationRecord *
random_record (GRand *rand)
{
  static const char * const providers[] = { "graybox", "comfyui", "gemini", "openai", "veo" };
  static const char * const kinds[] = {
    REEL_GENERATION_KIND_BACKGROUND, REEL_GENERATION_KIND_ANGLE, REEL_GENERATION_KIND_VIDEO,
  };
  ReelGenerationRecord *record = reel_generation_record_new ();
  guint n_inputs = g_rand_int_range (rand, 0, 3);

  record->provider = g_strdup (providers[g_rand_int_range (rand, 0, G_N_ELEMENTS (providers))]);
  record->model = reel_test_random_text (rand);
  record->endpoint_host = g_strdup_printf ("host%u.example:%u", g_rand_int_range (rand, 0, 9),
                                           g_rand_int_range (rand, 1, 65535));
  record->prompt = reel_test_random_text (rand);
  record->negative_prompt = g_rand_boolean (rand) ? reel_test_random_text (rand) : NULL;
  record->seed = g_rand_boolean (rand) ? -1
                 : ((gint64) g_rand_int (rand) << 31) ^ g_rand_int (rand);
  record->parameters = g_rand_boolean (rand)
                       ? g_strdup_printf ("{\"steps\": %d, \"cfg\": 7.5, \"note\": \"a \\\"b\\\"\"}",
                                          g_rand_int_range (rand, 1, 60))
                       : NULL;
  if (n_inputs > 0 || g_rand_boolean (rand))
    {
      record->input_hashes = g_new0 (char *, n_inputs + 1);
      for (guint i = 0; i < n_inputs; i++)
        record->input_hashes[i] = random_hex (rand, 64);
    }
  record->created_us = 1700000000000000 + (gint64) g_rand_int (rand) * 1000;
  record->duration_ms = g_rand_int_range (rand, 0, 120000);
  record->kind = g_strdup (kinds[g_rand_int_range (rand, 0, G_N_ELEMENTS (kinds))]);
  if (g_str_equal (record->kind, REEL_GENERATION_KIND_ANGLE))
    record->angle_id = g_strdup (random_vocab_id (rand, REEL_VOCAB_ANGLE));

  return record;
}

ReelAsset *
reel_test_random_asset (GRand    *rand,
                        gboolean  with_record)
{
  g_autoptr(ReelGenerationRecord) record = with_record ? random_record (rand) : NULL;
  int width = g_rand_int_range (rand, 1, 9);
  int height = g_rand_int_range (rand, 1, 9);
  g_autoptr(GBytes) png = reel_test_make_png (width, height, g_rand_int (rand));

  if (g_rand_int_range (rand, 0, 8) == 0)
    {
      /* Now and then a video background: its bytes are opaque to the model. */
      g_autofree char *bytes = g_strdup_printf ("not really an mp4 %u", g_rand_int (rand));
      g_autoptr(GBytes) data = g_bytes_new (bytes, strlen (bytes));

      return reel_asset_new_video (data, REEL_MIME_MP4, 1280, 720, record);
    }

  return reel_asset_new_full (png, REEL_MIME_PNG, width, height, record);
}

ReelPlate *
reel_test_random_plate (GRand *rand)
{
  g_autofree char *name = reel_test_random_text (rand);
  g_autofree char *path = g_strdup_printf ("footage/%s plate %u.mov", name, g_rand_int (rand));
  g_autofree char *hash = random_hex (rand, 64);
  ReelPlate *plate = reel_plate_new (path);

  reel_plate_set_file_size (plate, g_rand_boolean (rand) ? -1
                                   : (gint64) g_rand_int (rand) * 1024 + g_rand_int_range (rand, 0, 1024));
  reel_plate_set_hash (plate, g_rand_boolean (rand) ? hash : NULL);
  reel_plate_set_duration (plate, g_rand_boolean (rand) ? -1 : (gint64) g_rand_int (rand) * 1000);
  reel_plate_set_size (plate, g_rand_int_range (rand, 0, 4097), g_rand_int_range (rand, 0, 2161));
  reel_plate_set_key_color (plate, g_rand_int (rand) & 0xffffff);
  reel_plate_set_similarity (plate, random_double (rand, 0, 1));
  reel_plate_set_softness (plate, random_double (rand, 0, 1));
  reel_plate_set_spill (plate, random_double (rand, 0, 1));
  reel_plate_set_background_scale (plate, random_double (rand, 0.5, 3));
  reel_plate_set_background_offset (plate, random_double (rand, -1, 1), random_double (rand, -1, 1));
  reel_plate_set_plate_scale (plate, random_double (rand, 0.5, 3));
  reel_plate_set_plate_position (plate, random_double (rand, -1, 1), random_double (rand, -1, 1));
  reel_plate_set_muted (plate, g_rand_boolean (rand));

  return plate;
}

ReelStroke *
reel_test_random_stroke (GRand *rand)
{
  static const char * const tools[] = {
    REEL_TOOL_PEN, REEL_TOOL_PEN, REEL_TOOL_PEN, REEL_TOOL_PENCIL, REEL_TOOL_MARKER,
    REEL_TOOL_ERASER, REEL_TOOL_ARROW, REEL_TOOL_FRAME, REEL_TOOL_TEXT,
  };
  const char *tool = tools[g_rand_int_range (rand, 0, G_N_ELEMENTS (tools))];
  guint n_points = g_rand_int_range (rand, 1, 24);
  g_autofree ReelStrokePoint *points = g_new0 (ReelStrokePoint, n_points);
  g_autofree char *text = NULL;
  ReelColor color = {
    g_rand_double (rand), g_rand_double (rand), g_rand_double (rand),
    g_rand_boolean (rand) ? 1.0 : g_rand_double (rand),
  };
  float x = g_rand_double (rand), y = g_rand_double (rand);

  for (guint i = 0; i < n_points; i++)
    {
      x = CLAMP (x + (float) g_rand_double_range (rand, -0.05, 0.05), 0.f, 1.f);
      y = CLAMP (y + (float) g_rand_double_range (rand, -0.05, 0.05), 0.f, 1.f);
      points[i].x = x;
      points[i].y = y;
      points[i].pressure = (float) g_rand_double (rand);
      points[i].tilt_x = (float) g_rand_double_range (rand, -1, 1);
      points[i].tilt_y = (float) g_rand_double_range (rand, -1, 1);
    }

  if (g_str_equal (tool, REEL_TOOL_TEXT))
    text = reel_test_random_text (rand);

  return reel_stroke_new (tool, &color, random_double (rand, 0.001, 0.05), points, n_points, text);
}

static const char *
random_asset_hash (GRand       *rand,
                   ReelProject *project)
{
  guint n = reel_project_get_n_assets (project);
  g_autoptr(GPtrArray) assets = NULL;

  if (n == 0)
    return NULL;

  assets = reel_project_list_assets (project);
  /* The project keeps the asset alive, so its hash outlives the array. */
  return reel_asset_get_hash (g_ptr_array_index (assets, g_rand_int_range (rand, 0, n)));
}

ReelShot *
reel_test_random_shot (GRand       *rand,
                       ReelProject *project,
                       guint        n_strokes)
{
  g_autofree char *id = reel_test_random_id (rand);
  ReelShot *shot = reel_shot_new_with_id (id);
  ReelSketch *sketch = reel_shot_get_sketch (shot);
  g_autoptr(GPtrArray) variants = g_ptr_array_new ();
  g_autoptr(GPtrArray) generations = g_ptr_array_new ();
  g_autofree char *number = g_strdup_printf ("%u%s", g_rand_int_range (rand, 1, 99),
                                             g_rand_boolean (rand) ? "A" : "");

#define SET_TEXT(setter)                                        \
  G_STMT_START {                                                \
    g_autofree char *text_ = reel_test_random_text (rand);      \
    setter (shot, text_);                                       \
  } G_STMT_END

  reel_shot_set_number (shot, g_rand_int_range (rand, 0, 6) == 0 ? "" : number);
  SET_TEXT (reel_shot_set_description);
  SET_TEXT (reel_shot_set_dialogue);
  SET_TEXT (reel_shot_set_notes);
  SET_TEXT (reel_shot_set_cast);
  SET_TEXT (reel_shot_set_vfx_notes);
#undef SET_TEXT

  reel_shot_set_size (shot, random_vocab_id (rand, REEL_VOCAB_SIZE));
  reel_shot_set_framing (shot, random_vocab_id (rand, REEL_VOCAB_FRAMING));
  reel_shot_set_angle (shot, random_vocab_id (rand, REEL_VOCAB_ANGLE));
  reel_shot_set_movement (shot, random_vocab_id (rand, REEL_VOCAB_MOVEMENT));
  reel_shot_set_status (shot, random_vocab_id (rand, REEL_VOCAB_STATUS));
  reel_shot_set_lens_mm (shot, random_double (rand, 8, 300));
  reel_shot_set_camera_height_m (shot, random_double (rand, -2, 50));
  reel_shot_set_duration (shot, g_rand_int_range (rand, 1, 24 * 30));

  if (project != NULL)
    {
      guint n_variants = g_rand_int_range (rand, 0, 4);
      guint n_generations = g_rand_int_range (rand, 0, 4);

      for (guint i = 0; i < n_variants; i++)
        {
          const char *hash = random_asset_hash (rand, project);

          if (hash != NULL && !g_ptr_array_find_with_equal_func (variants, hash, g_str_equal,
                                                                  NULL))
            g_ptr_array_add (variants, (gpointer) hash);
        }
      for (guint i = 0; i < n_generations; i++)
        {
          const char *hash = random_asset_hash (rand, project);

          if (hash != NULL)
            g_ptr_array_add (generations, (gpointer) hash);
        }
      g_ptr_array_add (variants, NULL);
      g_ptr_array_add (generations, NULL);
      reel_shot_set_variants (shot, (const char * const *) variants->pdata);
      reel_shot_set_generations (shot, (const char * const *) generations->pdata);
      if (g_rand_boolean (rand))
        reel_shot_set_background (shot, variants->len > 1
                                        ? g_ptr_array_index (variants, 0)
                                        : random_asset_hash (rand, project));
    }

  if (g_rand_boolean (rand))
    {
      g_autoptr(ReelPlate) plate = reel_test_random_plate (rand);

      reel_shot_set_plate (shot, plate);
    }

  if (g_rand_int_range (rand, 0, 4) == 0)
    reel_sketch_add_layer (sketch, "overlay ✎");
  if (g_rand_int_range (rand, 0, 3) == 0)
    reel_sketch_set_layer_visible (sketch, REEL_LAYER_NOTES, FALSE);
  if (g_rand_int_range (rand, 0, 3) == 0)
    reel_sketch_set_layer_opacity (sketch, REEL_LAYER_SKETCH, random_double (rand, 0, 1));

  for (guint i = 0; i < n_strokes; i++)
    {
      g_autoptr(ReelStroke) stroke = reel_test_random_stroke (rand);
      guint n_layers = reel_sketch_get_n_layers (sketch);
      const char *layer = reel_sketch_get_layer_name (sketch,
                                                      g_rand_int_range (rand, 0, n_layers));

      reel_sketch_append_stroke (sketch, layer, stroke);
    }

  /* A camera in the scene's set, now and then, moving now and then. */
  if (g_rand_int_range (rand, 0, 3) == 0)
    {
      ReelCameraPose pose = {
        random_double (rand, -20, 20), random_double (rand, -20, 20), random_double (rand, 0.1, 8),
        random_double (rand, -180, 180), random_double (rand, -60, 60),
        random_double (rand, -20, 20), random_double (rand, 12, 200),
      };
      g_autoptr(ReelShotCamera) camera = reel_shot_camera_new (&pose);

      if (g_rand_boolean (rand))
        {
          camera->moves = TRUE;
          camera->end.x += random_double (rand, -5, 5);
          camera->end.pan += random_double (rand, -90, 90);
          camera->easing = g_rand_int_range (rand, 0, 4);
        }
      reel_shot_camera_set_subject (camera, g_rand_boolean (rand) ? "A" : "");
      reel_shot_set_camera (shot, camera);
    }

  return shot;
}

ReelScene *
reel_test_random_scene (GRand       *rand,
                        ReelProject *project,
                        guint        n_shots,
                        guint        strokes_per_shot)
{
  g_autofree char *id = reel_test_random_id (rand);
  g_autofree char *location = reel_test_random_text (rand);
  g_autofree char *time_of_day = reel_test_random_text (rand);
  g_autofree char *synopsis = reel_test_random_text (rand);
  g_autofree char *number = g_strdup_printf ("%u", g_rand_int_range (rand, 1, 200));
  ReelScene *scene = reel_scene_new_with_id (id);

  reel_scene_set_number (scene, g_rand_int_range (rand, 0, 5) == 0 ? "" : number);
  reel_scene_set_int_ext (scene, g_rand_int_range (rand, REEL_INT_EXT_NONE, REEL_INT_EXT_EST + 1));
  reel_scene_set_location (scene, location);
  reel_scene_set_time_of_day (scene, time_of_day);
  reel_scene_set_synopsis (scene, synopsis);

  for (guint i = 0; i < n_shots; i++)
    {
      g_autoptr(ReelShot) shot = reel_test_random_shot (rand, project, strokes_per_shot);

      reel_scene_append_shot (scene, shot);
    }

  /* A set, for some scenes: one of the starting points, with a prop moved. */
  if (g_rand_int_range (rand, 0, 3) == 0)
    {
      static const char * const templates[] = { "stage", "room", "street", "waterfront" };
      g_autoptr(ReelSet) set = reel_set_new_from_template (templates[g_rand_int_range (rand, 0, 4)]);
      guint index = reel_set_add_prop (set, "chair", random_double (rand, -5, 5),
                                       random_double (rand, -5, 5), random_double (rand, 0, 360));

      g_free (g_array_index (set->props, ReelSetProp, index).name);
      g_array_index (set->props, ReelSetProp, index).name = reel_test_random_text (rand);
      reel_scene_set_set (scene, set);
    }

  return scene;
}

ReelProject *
reel_test_project_random (guint32 seed,
                          guint   n_scenes,
                          guint   shots_per_scene,
                          guint   strokes_per_shot)
{
  static const char * const metadata_keys[] = {
    REEL_METADATA_AUTHOR, REEL_METADATA_CREDIT, REEL_METADATA_SOURCE,
    REEL_METADATA_DRAFT_DATE, REEL_METADATA_CONTACT, REEL_METADATA_COPYRIGHT,
    REEL_METADATA_NOTES, "revision colour", "Ключ",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  ReelProject *project = reel_project_new ();
  g_autofree char *title = reel_test_random_text (rand);
  g_autofree char *look = reel_test_random_text (rand);
  const ReelFrameRate *rates;
  const ReelAspectRatio *ratios;
  const ReelSensor *sensors;
  guint n_rates, n_ratios, n_sensors;
  guint n_assets = g_rand_int_range (rand, 0, 7);

  rates = reel_frame_rate_get_standard (&n_rates);
  ratios = reel_aspect_ratio_get_standard (&n_ratios);
  sensors = reel_optics_get_sensors (&n_sensors);

  reel_project_set_title (project, title);
  reel_project_set_frame_rate (project, rates[g_rand_int_range (rand, 0, n_rates)]);
  reel_project_set_aspect_ratio (project, ratios[g_rand_int_range (rand, 0, n_ratios)].value);
  reel_project_set_sensor (project, sensors[g_rand_int_range (rand, 0, n_sensors)].id);
  reel_project_set_look_phrase (project, look);

  for (guint i = 0; i < G_N_ELEMENTS (metadata_keys); i++)
    {
      g_autofree char *value = reel_test_random_text (rand);

      if (g_rand_boolean (rand))
        reel_project_set_metadata (project, metadata_keys[i], value);
    }

  for (guint i = 0; i < n_assets; i++)
    {
      g_autoptr(ReelAsset) asset = reel_test_random_asset (rand, g_rand_boolean (rand));

      reel_project_add_asset (project, asset);
    }

  if (g_rand_boolean (rand))
    reel_project_set_look_image (project, random_asset_hash (rand, project));

  for (guint i = 0; i < n_scenes; i++)
    {
      g_autoptr(ReelScene) scene = reel_test_random_scene (rand, project, shots_per_scene,
                                                           strokes_per_shot);

      reel_project_append_scene (project, scene);
    }

  reel_project_mark_saved (project);
  return project;
}

guint32
reel_test_seed (guint32 default_seed)
{
  const char *text = g_getenv ("STORYREEL_TEST_SEED");

  if (text != NULL && text[0] != '\0')
    return (guint32) g_ascii_strtoull (text, NULL, 0);

  return default_seed;
}
