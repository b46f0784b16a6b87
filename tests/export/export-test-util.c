/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cairo.h>
#include <gst/gst.h>
#include <string.h>
#include <sys/wait.h>

#include "../reel-test-require.h"
#include "export-test-util.h"
#include "media/reel-media.h"

static cairo_status_t
append_png_cb (void                *closure,
               const unsigned char *data,
               unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
export_test_make_png (int     width,
                      int     height,
                      guint32 rgb)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);
  GByteArray *bytes = g_byte_array_new ();

  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0);
  cairo_paint (cr);
  /* A horizon, so that a misplaced background would show. */
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_rectangle (cr, 0, height * 0.6, width, height * 0.4);
  cairo_fill (cr);
  cairo_destroy (cr);
  cairo_surface_write_to_png_stream (surface, append_png_cb, bytes);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (bytes);
}

void
export_test_use_greybox_background (ReelProject *project,
                                    ReelShot    *first_shot,
                                    ...)
{
  g_autoptr(ReelGenerationRecord) record = reel_generation_record_new ();
  g_autoptr(GBytes) png = export_test_make_png (320, 134, 0x8c8c8c);
  g_autoptr(ReelAsset) asset = NULL;
  va_list args;

  record->provider = g_strdup ("greybox");
  record->model = g_strdup ("greybox-1");
  record->kind = g_strdup (REEL_GENERATION_KIND_BACKGROUND);
  asset = reel_asset_new_generated (png, record, NULL);
  reel_project_add_asset (project, asset);

  va_start (args, first_shot);
  for (ReelShot *shot = first_shot; shot != NULL; shot = va_arg (args, ReelShot *))
    reel_shot_set_background (shot, reel_asset_get_hash (asset));
  va_end (args);
}

static void
add_stroke (ReelShot *shot,
            double    x)
{
  ReelColor color = { 0.1, 0.1, 0.1, 1.0 };
  ReelStrokePoint points[] = {
    { x, 0.2f, 1.0f, 0, 0 },
    { x + 0.1f, 0.5f, 0.8f, 0, 0 },
    { x + 0.2f, 0.8f, 0.6f, 0, 0 },
  };
  g_autoptr(ReelStroke) stroke = reel_stroke_new (REEL_TOOL_PEN, &color, 0.01, points,
                                                  G_N_ELEMENTS (points), NULL);

  reel_sketch_append_stroke (reel_shot_get_sketch (shot), REEL_LAYER_SKETCH, stroke);
}

static ReelShot *
add_shot (ReelScene  *scene,
          const char *number,
          const char *description,
          const char *dialogue,
          gint64      duration)
{
  g_autoptr(ReelShot) shot = reel_shot_new ();

  reel_shot_set_number (shot, number);
  reel_shot_set_description (shot, description);
  reel_shot_set_dialogue (shot, dialogue);
  reel_shot_set_duration (shot, duration);
  reel_scene_append_shot (scene, shot);

  return shot;
}

ReelProject *
export_test_new_awkward_project (void)
{
  ReelProject *project = reel_project_new ();
  g_autoptr(ReelScene) scene1 = reel_scene_new ();
  g_autoptr(ReelScene) scene2 = reel_scene_new ();
  g_autoptr(ReelScene) scene3 = reel_scene_new ();
  g_autoptr(ReelGenerationRecord) record = reel_generation_record_new ();
  g_autoptr(GBytes) png = export_test_make_png (320, 134, 0x4080c0);
  g_autoptr(GBytes) input_png = export_test_make_png (64, 27, 0x808080);
  g_autoptr(ReelAsset) asset = NULL;
  g_autoptr(ReelAsset) input_asset = NULL;
  g_autoptr(ReelPlate) plate = NULL;
  const char *input_hashes[2] = { NULL, NULL };
  ReelShot *shot;

  reel_project_set_title (project, AWKWARD_TITLE);
  reel_project_set_frame_rate (project, REEL_FRAME_RATE_INIT (24000, 1001));
  reel_project_set_aspect_ratio (project, 2.39);
  reel_project_set_metadata (project, REEL_METADATA_AUTHOR, "Kim \"Director\" 감독");

  reel_scene_set_number (scene1, "1");
  reel_scene_set_int_ext (scene1, REEL_INT_EXT_EXT);
  reel_scene_set_location (scene1, AWKWARD_LOCATION);
  reel_scene_set_time_of_day (scene1, "DAWN");
  reel_project_append_scene (project, scene1);

  shot = add_shot (scene1, "1A", AWKWARD_QUOTES, AWKWARD_KOREAN, 48);
  reel_shot_set_size (shot, "mcu");
  reel_shot_set_angle (shot, "low");
  reel_shot_set_lens_mm (shot, 50);
  add_stroke (shot, 0.1);
  shot = add_shot (scene1, "1B", AWKWARD_FORMULA, AWKWARD_PLUS, 0);
  reel_shot_set_notes (shot, AWKWARD_AT);
  shot = add_shot (scene1, "1C", AWKWARD_EMOJI, "",
                   reel_timecode_seconds_to_frames (10 * 3600,
                                                    reel_project_get_frame_rate (project)));
  reel_shot_set_movement (shot, "dolly_in");

  reel_scene_set_number (scene2, "2");
  reel_scene_set_int_ext (scene2, REEL_INT_EXT_INT);
  reel_scene_set_location (scene2, "부엌");
  reel_scene_set_time_of_day (scene2, "밤");
  reel_project_append_scene (project, scene2);

  shot = add_shot (scene2, "2A", AWKWARD_DASH, "", 30);
  reel_shot_set_cast (shot, "MIN-JI, \"OLD\" SAILOR");

  input_asset = reel_asset_new_from_bytes (input_png, NULL);
  reel_project_add_asset (project, input_asset);
  input_hashes[0] = reel_asset_get_hash (input_asset);
  record->provider = g_strdup (AWKWARD_PROVIDER);
  record->model = g_strdup (AWKWARD_MODEL);
  record->endpoint_host = g_strdup ("generativelanguage.googleapis.com");
  record->prompt = g_strdup ("empty harbour at dawn, \"wide\", no people");
  record->seed = 1234;
  record->parameters = g_strdup ("{\"aspectRatio\":\"21:9\"}");
  record->input_hashes = g_strdupv ((char **) input_hashes);
  record->duration_ms = 5210;
  record->kind = g_strdup (REEL_GENERATION_KIND_BACKGROUND);
  asset = reel_asset_new_generated (png, record, NULL);
  reel_project_add_asset (project, asset);

  shot = add_shot (scene2, "2B", "The kettle whistles. 주전자가 끓는다.", "(whispers) 조용히…", 72);
  reel_shot_set_background (shot, reel_asset_get_hash (asset));
  reel_shot_insert_variant (shot, -1, reel_asset_get_hash (asset));
  reel_shot_add_generation (shot, reel_asset_get_hash (asset));
  add_stroke (shot, 0.5);

  shot = add_shot (scene2, "2C", "Plate: she crosses the kitchen.", "", 96);
  plate = reel_plate_new ("/nonexistent/footage/kitchen plate.mov");
  reel_plate_set_duration (plate, G_GINT64_CONSTANT (10000000000));
  reel_shot_set_plate (shot, plate);

  reel_scene_set_number (scene3, "3");
  reel_scene_set_location (scene3, "EMPTY SCENE");
  reel_project_append_scene (project, scene3);

  return project;
}

ReelProject *
export_test_new_large_project (guint n_scenes,
                               guint shots_per_scene)
{
  ReelProject *project = reel_project_new ();
  ReelAsset *backgrounds[4];

  reel_project_set_title (project, "Large board");
  for (guint i = 0; i < G_N_ELEMENTS (backgrounds); i++)
    {
      g_autoptr(GBytes) png = export_test_make_png (640, 360, 0x204060 + 0x202000 * i);
      g_autoptr(ReelAsset) asset = reel_asset_new_from_bytes (png, NULL);

      backgrounds[i] = reel_project_add_asset (project, asset);
    }

  for (guint s = 0; s < n_scenes; s++)
    {
      g_autoptr(ReelScene) scene = reel_scene_new ();
      g_autofree char *number = g_strdup_printf ("%u", s + 1);

      reel_scene_set_number (scene, number);
      reel_scene_set_location (scene, "HARBOUR");
      reel_project_append_scene (project, scene);

      for (guint i = 0; i < shots_per_scene; i++)
        {
          g_autofree char *shot_number = g_strdup_printf ("%u-%u", s + 1, i + 1);
          ReelShot *shot = add_shot (scene, shot_number,
                                     "The boat turns into the harbour, gulls overhead; the "
                                     "crew pulls the ropes.", "Hold on!", 24 + i % 48);

          add_stroke (shot, 0.1 + 0.05 * (i % 10));
          if (i % 2 == 0)
            reel_shot_set_background (shot, reel_asset_get_hash (backgrounds[i % 4]));
        }
    }

  return project;
}

GPtrArray *
export_test_list_shots (ReelProject *project)
{
  GPtrArray *shots = g_ptr_array_new ();

  for (guint s = 0; s < reel_project_get_n_scenes (project); s++)
    {
      ReelScene *scene = reel_project_get_scene (project, s);

      for (guint i = 0; i < reel_scene_get_n_shots (scene); i++)
        g_ptr_array_add (shots, reel_scene_get_shot (scene, i));
    }

  return shots;
}

static char *root = NULL;

static void
delete_recursively (GFile *file)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;
  GFileInfo *info;

  enumerator = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                          G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (enumerator != NULL
         && (info = g_file_enumerator_next_file (enumerator, NULL, NULL)) != NULL)
    {
      g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

      delete_recursively (child);
      g_object_unref (info);
    }
  g_file_delete (file, NULL, NULL);
}

int
export_test_finish (int status)
{
  /* Kept after a failure, to look at. */
  if (status == 0 && root != NULL && g_getenv ("STORYREEL_TEST_KEEP") == NULL)
    {
      g_autoptr(GFile) folder = g_file_new_for_path (root);

      delete_recursively (folder);
    }
  else if (root != NULL)
    g_printerr ("# output kept in %s\n", root);
  g_clear_pointer (&root, g_free);

  return reel_test_status (status);
}

GFile *
export_test_make_folder (const char *name)
{
  g_autofree char *path = NULL;

  if (root == NULL)
    {
      g_autoptr(GError) error = NULL;

      root = g_dir_make_tmp ("storyreel-export-XXXXXX", &error);
      g_assert_no_error (error);
    }

  path = g_build_filename (root, name, NULL);
  g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);

  return g_file_new_for_path (path);
}

typedef struct
{
  gboolean done;
  GError *error;
} RunState;

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RunState *state = user_data;

  reel_export_finish (result, &state->error);
  state->done = TRUE;
}

gboolean
export_test_run (const char         *format_id,
                 ReelProject        *project,
                 ReelExportOptions  *options,
                 GFile              *output,
                 GError            **error)
{
  const ReelExportFormat *format = reel_export_lookup_format (format_id);
  g_autoptr(ReelExportOptions) default_options = NULL;
  RunState state = { 0 };

  g_assert_nonnull (format);
  if (options == NULL)
    options = default_options = export_test_new_options ();

  reel_export_async (format, project, NULL, options, output, NULL, NULL, NULL, NULL,
                     run_done_cb, &state);
  while (!state.done)
    g_main_context_iteration (NULL, TRUE);

  if (state.error != NULL)
    {
      g_propagate_error (error, state.error);
      return FALSE;
    }

  return TRUE;
}

ReelExportOptions *
export_test_new_options (void)
{
  ReelExportOptions *options = reel_export_options_new ();
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 3, 14, 9, 26, 53);

  reel_export_options_set_date (options, date);
  return options;
}

char *
export_test_read_text (GFile *file)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_load_contents (file, NULL, &contents, &length, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (contents, length, NULL));

  return contents;
}

int
export_test_spawn (const char * const  *argv,
                   char               **out_stdout,
                   char               **out_stderr)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                out_stdout, out_stderr, &status, &error);
  g_assert_no_error (error);

  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return -1;
}

gboolean
export_test_have_program (const char *program)
{
  return reel_test_require_program (program);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char **
export_test_list_folder (GFile *folder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileEnumerator) enumerator = NULL;
  GPtrArray *names = g_ptr_array_new ();
  GFileInfo *info;

  enumerator = g_file_enumerate_children (folder, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                          G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);
  while ((info = g_file_enumerator_next_file (enumerator, NULL, &error)) != NULL)
    {
      g_ptr_array_add (names, g_strdup (g_file_info_get_name (info)));
      g_object_unref (info);
    }
  g_assert_no_error (error);

  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}

void
export_test_assert_no_temporaries (GFile *folder)
{
  g_auto(GStrv) names = export_test_list_folder (folder);

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_suffix (names[i], ".part"))
      g_error ("temporary file %s left in the folder", names[i]);
}

void
export_test_make_plate (GFile *file,
                        int    width,
                        int    height,
                        int    rate_num,
                        int    rate_den,
                        guint  n_frames,
                        guint  audio_channels,
                        guint  audio_rate)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GString) description = g_string_new (NULL);

  g_assert_true (reel_media_init (&error));
  g_assert_no_error (error);

  g_string_append_printf (description,
                          "videotestsrc num-buffers=%u pattern=smpte ! "
                          "video/x-raw,format=I420,width=%d,height=%d,framerate=%d/%d ! "
                          "jpegenc ! qtmux name=mux ! filesink name=sink",
                          n_frames, width, height, rate_num, rate_den);
  if (audio_channels > 0)
    {
      /* One buffer of sound a frame, so both end together. */
      g_assert_cmpuint ((guint64) audio_rate * rate_den % rate_num, ==, 0);
      g_string_append_printf (description,
                              " audiotestsrc num-buffers=%u samplesperbuffer=%u ! "
                              "audio/x-raw,format=S16LE,layout=interleaved,rate=%u,"
                              "channels=%u ! mux.",
                              n_frames, (guint) ((guint64) audio_rate * rate_den / rate_num),
                              audio_rate, audio_channels);
    }

  pipeline = gst_parse_launch (description->str, &error);
  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (sink, "location", g_file_peek_path (file), NULL);

  bus = gst_element_get_bus (pipeline);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
  /* A deadline for a stuck pipeline only: a few frames take well under a second. */
  message = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) reason = NULL;

      gst_message_parse_error (message, &reason, NULL);
      g_error ("making %s failed: %s", g_file_peek_path (file), reason->message);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

GBytes *
export_test_make_solid_webm (const char *name,
                             int         width,
                             int         height,
                             guint32     argb)
{
  g_autoptr(GFile) folder = export_test_make_folder (name);
  g_autoptr(GFile) file = g_file_get_child (folder, "background.webm");
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autofree char *description = NULL;
  GBytes *data;

  g_assert_true (reel_media_init (&error));
  g_assert_no_error (error);

  description = g_strdup_printf ("videotestsrc num-buffers=6 pattern=solid-color "
                                 "foreground-color=%u ! "
                                 "video/x-raw,format=I420,width=%d,height=%d,framerate=24/1 ! "
                                 "vp8enc ! webmmux ! filesink name=sink",
                                 argb, width, height);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (sink, "location", g_file_peek_path (file), NULL);

  bus = gst_element_get_bus (pipeline);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
  /* A deadline for a stuck pipeline only: six small frames take well under a second. */
  message = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  data = g_file_load_bytes (file, NULL, NULL, &error);
  g_assert_no_error (error);
  return data;
}

ReelProject *
export_test_new_awkward_project_with_footage (void)
{
  static char *path = NULL;
  ReelProject *project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(GFile) folder = export_test_make_folder ("footage");
      g_autoptr(GFile) file = g_file_get_child (folder, "kitchen plate.mov");

      export_test_make_plate (file, 64, 36, 24000, 1001, 240, 2, 48000);
      g_free (path);
      path = g_file_get_path (file);
    }

  for (guint i = 0; i < shots->len; i++)
    {
      ReelPlate *plate = reel_shot_get_plate (g_ptr_array_index (shots, i));

      if (plate != NULL)
        {
          g_autoptr(ReelPlate) linked = reel_plate_copy (plate);

          reel_plate_set_path (linked, path);
          reel_shot_set_plate (g_ptr_array_index (shots, i), linked);
        }
    }

  return project;
}
