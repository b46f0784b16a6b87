/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-demo-write"

#include "config.h"

#include <locale.h>

#include "ai/reel-generator.h"
#include "ai/reel-prompt.h"
#include "ai/reel-provider.h"
#include "storage/reel-demo.h"
#include "storage/reel-project-file.h"

/* Writes the demo project to the file named on the command line: the build makes
 * data/demo/demo.storyreel with it, the file `build-aux/dev run` opens. With a plate
 * (data/demo/reel-demo-plate.c makes one), the shots of MAYA on the pier have footage to
 * key, and every shot has a gray-box background drawn for its camera. */

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
          || !add_backgrounds (project, &error))
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
