/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "ai/reel-greybox.h"
#include "core/reel-project.h"
#include "storage/reel-project-file.h"
#include "media-test-util.h"

/*
 * make-plate-project DIR: writes DIR/plates.storyreel with a green-screen plate
 * (DIR/footage/walk.webm, made with videotestsrc) on two shots, one over a gray-box
 * background and one over a painted stand-in for a generated background, plus a shot
 * without footage. For looking at the Preview view by hand:
 *   storyreel DIR/plates.storyreel, then Alt+3.
 */

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A dusk harbour in broad strokes: what an image model might hand back, drawn locally
 * because this tool has no network. */
static GBytes *
painted_background (int width,
                    int height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);
  cairo_pattern_t *sky = cairo_pattern_create_linear (0, 0, 0, height * 0.6);
  GByteArray *png = g_byte_array_new ();

  cairo_pattern_add_color_stop_rgb (sky, 0, 0.16, 0.18, 0.38);
  cairo_pattern_add_color_stop_rgb (sky, 0.7, 0.93, 0.52, 0.33);
  cairo_pattern_add_color_stop_rgb (sky, 1, 0.99, 0.80, 0.52);
  cairo_set_source (cr, sky);
  cairo_paint (cr);
  cairo_pattern_destroy (sky);

  cairo_set_source_rgb (cr, 0.12, 0.20, 0.30);
  cairo_rectangle (cr, 0, height * 0.6, width, height * 0.4);
  cairo_fill (cr);
  for (int i = 0; i < 40; i++)
    {
      cairo_set_source_rgba (cr, 1.0, 0.75, 0.45, 0.25);
      cairo_rectangle (cr, width * 0.45 + sin (i) * width * 0.08, height * (0.62 + i * 0.009),
                       width * 0.1, 2);
      cairo_fill (cr);
    }
  cairo_set_source_rgb (cr, 0.08, 0.08, 0.12);
  for (int i = 0; i < 7; i++)
    {
      double x = width * (0.05 + i * 0.13);
      double h = height * (0.08 + 0.05 * ((i * 37) % 5));

      cairo_rectangle (cr, x, height * 0.6 - h, width * 0.1, h);
      cairo_fill (cr);
    }

  cairo_destroy (cr);
  cairo_surface_write_to_png_stream (surface, append_bytes, png);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (png);
}

static ReelShot *
add_shot (ReelScene  *scene,
          const char *number,
          const char *description,
          ReelAsset  *background,
          ReelPlate  *plate)
{
  g_autoptr(ReelShot) shot = reel_shot_new ();

  reel_shot_set_number (shot, number);
  reel_shot_set_description (shot, description);
  reel_shot_set_duration (shot, 48);
  reel_shot_set_background (shot, reel_asset_get_hash (background));
  reel_shot_insert_variant (shot, -1, reel_asset_get_hash (background));
  reel_shot_set_plate (shot, plate);
  reel_scene_append_shot (scene, shot);
  return shot;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(ReelScene) scene = reel_scene_new ();
  g_autoptr(ReelGenerationRequest) request = reel_generation_request_new ();
  g_autoptr(ReelGenerationRecord) record = reel_generation_record_new ();
  g_autoptr(ReelAsset) greybox = NULL;
  g_autoptr(ReelAsset) painted = NULL;
  g_autoptr(GBytes) greybox_png = NULL;
  g_autoptr(GBytes) painted_png = NULL;
  g_autoptr(ReelPlate) plate = reel_plate_new ("footage/walk.webm");
  g_autoptr(ReelPlate) second = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *footage = NULL;
  g_autofree char *plate_path = NULL;
  g_autofree char *project_path = NULL;
  g_autofree char *hash = NULL;
  gint64 size = 0;

  if (argc != 2)
    {
      g_printerr ("Usage: %s DIR\n", argv[0]);
      return 2;
    }

  media_test_init ();
  g_mkdir_with_parents (argv[1], 0755);
  footage = g_build_filename (argv[1], "footage", NULL);
  g_mkdir_with_parents (footage, 0755);
  plate_path = media_test_make_plate (footage, "walk.webm", 1280, 720, 24, 1, 96);

  request->kind = REEL_GENERATION_BACKGROUND;
  request->aspect_ratio = 1.78;
  request->width = 1920;
  request->height = 1080;
  request->lens_mm = 35;
  request->sensor_width_mm = 24.89;
  request->camera_height_m = 1.6;
  request->int_ext = REEL_INT_EXT_EXT;
  request->time_of_day = g_strdup ("DUSK");
  request->location = g_strdup ("HARBOUR");
  greybox_png = reel_greybox_render_png (request, 11);
  greybox = reel_asset_new_from_bytes (greybox_png, &error);
  g_assert_no_error (error);

  record->provider = g_strdup ("comfyui");
  record->model = g_strdup ("stand-in (painted locally)");
  record->prompt = g_strdup ("EXT. HARBOUR - DUSK, empty background plate, no people");
  painted_png = painted_background (1920, 1080);
  painted = reel_asset_new_generated (painted_png, record, &error);
  g_assert_no_error (error);

  reel_project_set_title (project, "Plates");
  reel_project_set_aspect_ratio (project, 1.78);
  /* Stored as given: the project now holds the same objects. */
  reel_project_add_asset (project, greybox);
  reel_project_add_asset (project, painted);

  reel_scene_set_number (scene, "1");
  reel_scene_set_int_ext (scene, REEL_INT_EXT_EXT);
  reel_scene_set_location (scene, "HARBOUR");
  reel_scene_set_time_of_day (scene, "DUSK");
  reel_project_append_scene (project, scene);

  {
    g_autoptr(GFile) media = g_file_new_for_path (plate_path);

    hash = reel_plate_compute_file_hash (media, &size, NULL, &error);
    g_assert_no_error (error);
  }
  reel_plate_set_hash (plate, hash);
  reel_plate_set_file_size (plate, size);
  reel_plate_set_size (plate, 1280, 720);
  reel_plate_set_duration (plate, 4 * G_GINT64_CONSTANT (1000000000));
  reel_plate_set_key_color (plate, MEDIA_TEST_GREEN);
  second = reel_plate_copy (plate);
  reel_plate_set_plate_scale (second, 0.7);
  reel_plate_set_plate_position (second, 0.15, 0.1);

  add_shot (scene, "1A", "Mara crosses the quay", greybox, plate);
  add_shot (scene, "1B", "Mara at dusk, the harbour behind her", painted, second);
  add_shot (scene, "1C", "The empty quay", painted, NULL);

  project_path = g_build_filename (argv[1], "plates.storyreel", NULL);
  file = g_file_new_for_path (project_path);
  if (!reel_project_file_save (project, file, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_print ("%s\n", project_path);
  return 0;
}
