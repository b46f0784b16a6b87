/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-demo-write"

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "ai/reel-generator.h"
#include "ai/reel-prompt.h"
#include "ai/reel-provider.h"
#include "core/reel-edit.h"
#include "media/reel-camera-move.h"
#include "storage/reel-demo.h"
#include "storage/reel-project-file.h"

/* Writes the demo project to the file named on the command line: the build makes
 * data/demo/demo.storyreel with it, the file `build-aux/dev run` opens. With a plate
 * (data/demo/reel-demo-plate.c makes one), the shots of MAYA on the pier have footage to
 * key, every shot has a gray-box background drawn for its camera, and the last shot (the
 * crane up) has a moving background: the gray-box drawn along its camera move, encoded as
 * a small WebM clip, so the story reel plays a clip background from the first run. */

typedef struct
{
  GMainLoop *loop;
  GPtrArray *assets;
  GError *error;
} Generation;

static void
generate_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Generation *generation = user_data;

  generation->assets = reel_generator_generate_finish (REEL_GENERATOR (source), result,
                                                       &generation->error);
  g_main_loop_quit (generation->loop);
}

/* A gray-box background for every shot, from a fixed seed per shot. */
static gboolean
add_backgrounds (ReelProject  *project,
                 GError      **error)
{
  g_autoptr(ReelProvider) greybox = reel_provider_new_for_id ("greybox", error);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  guint32 seed = 1847;

  if (greybox == NULL)
    return FALSE;

  for (guint s = 0; s < reel_project_get_n_scenes (project); s++)
    {
      ReelScene *scene = reel_project_get_scene (project, s);

      for (guint i = 0; i < reel_scene_get_n_shots (scene); i++)
        {
          ReelShot *shot = reel_scene_get_shot (scene, i);
          g_autoptr(ReelGenerationRequest) request = NULL;
          Generation generation = { loop, NULL, NULL };

          request = reel_prompt_new_request (project, shot, REEL_GENERATION_BACKGROUND, NULL,
                                             NULL, 1);
          request->seed = seed++;
          reel_generator_generate_async (REEL_GENERATOR (greybox), request, NULL, NULL, NULL,
                                         generate_cb, &generation);
          g_main_loop_run (loop);
          if (generation.assets == NULL)
            {
              g_propagate_error (error, generation.error);
              return FALSE;
            }
          reel_generation_keep (project, shot, generation.assets);
          g_ptr_array_unref (generation.assets);
        }
    }

  reel_history_clear (reel_project_get_history (project));
  reel_project_mark_saved (project);
  return TRUE;
}

/* The clip background of the crane up: its gray-box still drawn again at every pose of the
 * camera's move (the same sun), a VP8 WebM of a few hundred kilobytes, kept as a variant
 * of the shot and made its background. A render of the set, not a model's: its record
 * says so (provider "greybox"). */
static gboolean
add_clip_background (ReelProject  *project,
                     const char   *project_path,
                     GError      **error)
{
  ReelShot *shot = reel_project_find_shot (project, REEL_DEMO_CLIP_SHOT_ID, NULL, NULL);
  ReelAsset *still;
  ReelGenerationRecord *still_record;
  g_autoptr(ReelCameraMove) move = NULL;
  g_autoptr(GFile) output = NULL;
  g_autoptr(GFile) written = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(ReelGenerationRecord) record = NULL;
  g_autoptr(ReelAsset) clip = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autofree char *path = g_strconcat (project_path, ".clip.webm", NULL);
  ReelFrameRate rate = reel_project_get_frame_rate (project);
  gint64 started_us = g_get_monotonic_time ();
  char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (shot != NULL, FALSE);
  still = reel_project_lookup_asset (project, reel_shot_get_background (shot));
  g_return_val_if_fail (still != NULL, FALSE);
  still_record = reel_asset_get_generation (still);
  g_return_val_if_fail (still_record != NULL, FALSE);

  move = reel_camera_move_new (project, shot, FALSE);
  g_return_val_if_fail (move != NULL && reel_camera_move_is_greybox (move), FALSE);
  output = g_file_new_for_path (path);
  written = reel_camera_move_write (move, output, REEL_CAMERA_MOVE_VP8_WEBM,
                                    REEL_DEMO_CLIP_WIDTH, REEL_DEMO_CLIP_HEIGHT,
                                    reel_shot_get_duration (shot), rate.num, rate.den, NULL,
                                    error);
  if (written == NULL)
    return FALSE;
  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  g_unlink (path);
  data = g_bytes_new_take (contents, length);

  record = reel_generation_record_new ();
  record->provider = g_strdup (still_record->provider);
  record->model = g_strdup (still_record->model);
  record->endpoint_host = g_strdup (still_record->endpoint_host);
  record->prompt = g_strdup ("The scene's set drawn by Storyreel's gray-box renderer along "
                             "the shot's camera move (crane up), no model");
  record->seed = still_record->seed;
  record->parameters = g_strdup_printf ("{\"render\":\"gray-box camera move\","
                                        "\"width\":%d,\"height\":%d,\"frames\":%"
                                        G_GINT64_FORMAT ",\"codec\":\"vp8\"}",
                                        REEL_DEMO_CLIP_WIDTH, REEL_DEMO_CLIP_HEIGHT,
                                        reel_shot_get_duration (shot));
  if (reel_asset_get_hash (still) != NULL)
    {
      record->input_hashes = g_new0 (char *, 2);
      record->input_hashes[0] = g_strdup (reel_asset_get_hash (still));
    }
  record->duration_ms = (g_get_monotonic_time () - started_us) / 1000;
  record->kind = g_strdup (REEL_GENERATION_KIND_VIDEO);

  clip = reel_asset_new_video (data, REEL_MIME_WEBM, REEL_DEMO_CLIP_WIDTH,
                               REEL_DEMO_CLIP_HEIGHT, record);
  assets = g_ptr_array_new ();
  g_ptr_array_add (assets, clip);
  reel_generation_keep (project, shot, assets);
  reel_edit_set_background (project, shot, reel_asset_get_hash (clip));

  reel_history_clear (reel_project_get_history (project));
  reel_project_mark_saved (project);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  /* The demo is written in the source language, whatever the builder's locale. */
  setlocale (LC_ALL, "C");

  if (argc != 2 && argc != 3)
    {
      g_printerr ("Usage: %s OUTPUT.storyreel [PLATE.webm]\n", argv[0]);
      return 2;
    }

  project = reel_demo_project_new ();
  file = g_file_new_for_commandline_arg (argv[1]);
  if (argc == 3)
    {
      g_autoptr(GFile) plate = g_file_new_for_commandline_arg (argv[2]);

      if (!reel_demo_project_add_plates (project, file, plate, &error)
          || !add_backgrounds (project, &error)
          || !add_clip_background (project, argv[1], &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }
  if (!reel_project_file_save (project, file, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  return 0;
}
