/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-cli-info"

#include "config.h"

#include <glib/gi18n.h>

#include "core/reel-camera.h"
#include "core/reel-set-edit.h"
#include "core/reel-timecode.h"
#include "storage/reel-project-file-set.h"
#include "storage/reel-project-file.h"

#include "reel-cli-private.h"

/*
 * storyreel info FILE
 *
 * What is in a project, one "Label: value" a line: title, frame rate, scenes, shots and
 * the total duration as timecode and seconds; then the sets and cameras that could not be
 * read (the project opens without them), one message a line. With --cameras, each shot's
 * camera on its scene's set: lens, height, pan, tilt and roll, what the shot reads from it,
 * and where a move ends.
 */

static void
print_pose (const ReelCameraPose *pose)
{
  /* Translators: a camera on the set: where it stands (x, z in metres), its lens, how high,
   * its pan, tilt and roll in degrees */
  g_print (_("(%.2f, %.2f) m, %.0f mm, %.2f m high, pan %.1f°, tilt %.1f°, roll %.1f°"),
           pose->x, pose->z, pose->lens_mm, pose->height, pose->pan, pose->tilt, pose->roll);
}

static void
print_cameras (ReelProject *project)
{
  for (guint i = 0; i < reel_project_get_n_scenes (project); i++)
    {
      ReelScene *scene = reel_project_get_scene (project, i);

      /* Translators: a scene's number and heading, then whether it has a set */
      g_print (_("Scene %s: %s%s\n"), reel_scene_get_number (scene), reel_scene_get_heading (scene),
               reel_scene_get_set (scene) != NULL ? "" : _(" (no set)"));
      for (guint j = 0; j < reel_scene_get_n_shots (scene); j++)
        {
          ReelShot *shot = reel_scene_get_shot (scene, j);
          const ReelShotCamera *camera = reel_shot_get_camera (shot);
          ReelCameraDerived derived;

          if (camera == NULL)
            {
              /* Translators: a shot without a camera on the set */
              g_print (_("  Shot %s: no camera\n"), reel_shot_get_number (shot));
              continue;
            }

          reel_shot_derive_camera (shot, project, &derived);
          g_print (_("  Shot %s: "), reel_shot_get_number (shot));
          print_pose (&camera->start);
          /* Translators: the field of view, then the shot's size and angle read from the camera */
          g_print (_("; %.1f° × %.1f°; %s, %s\n"), derived.hfov_deg, derived.vfov_deg,
                   derived.size_id != NULL ? reel_camera_get_label (REEL_VOCAB_SIZE,
                                                                    derived.size_id)
                                           : _("no subject in view"),
                   reel_camera_get_label (REEL_VOCAB_ANGLE, derived.angle_id));
          if (camera->moves)
            {
              /* Translators: how a moving camera moves (a movement such as "Dolly In" and an
               * easing id such as "ease-in-out"), then where it ends */
              g_print (_("    %s (%s) to "), reel_camera_get_label (REEL_VOCAB_MOVEMENT,
                                                                   derived.movement_id),
                       reel_camera_easing_to_id (camera->easing));
              print_pose (&camera->end);
              g_print ("\n");
            }
        }
    }
}

int
reel_cli_info (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) option_context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *timecode = NULL;
  g_autofree char *seconds = NULL;
  g_autofree char *rate_text = NULL;
  g_auto(GStrv) files = NULL;
  g_auto(GStrv) set_errors = NULL;
  gboolean cameras = FALSE;
  const GOptionEntry entries[] = {
    { "cameras", 0, 0, G_OPTION_ARG_NONE, &cameras,
      N_("Also list each shot’s camera on the set"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE") },
    { NULL },
  };
  ReelFrameRate rate;
  gint64 duration;

  option_context = g_option_context_new (_("FILE — describe a project"));
  g_option_context_set_translation_domain (option_context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    {
      reel_cli_print_error ("%s", error->message);
      return REEL_CLI_EXIT_USAGE;
    }

  if (files == NULL || files[0] == NULL)
    {
      reel_cli_print_error (_("Name the project to describe: storyreel info FILE"));
      return REEL_CLI_EXIT_USAGE;
    }
  if (files[1] != NULL)
    {
      reel_cli_print_error (_("Describe one project at a time (got “%s” and “%s”)."),
                            files[0], files[1]);
      return REEL_CLI_EXIT_USAGE;
    }

  file = g_file_new_for_commandline_arg (files[0]);
  project = reel_project_file_load (file, NULL, &error);
  if (project == NULL)
    {
      reel_cli_print_error ("%s", error->message);
      return REEL_CLI_EXIT_INPUT;
    }

  rate = reel_project_get_frame_rate (project);
  duration = reel_project_get_duration (project);
  timecode = reel_timecode_format (duration, rate);
  seconds = reel_timecode_format_seconds (duration, rate);
  rate_text = reel_frame_rate_to_string (rate);

  g_print (_("Title: %s\n"), reel_project_get_title (project));
  g_print (_("Frame rate: %s fps\n"), rate_text);
  g_print (_("Scenes: %u\n"), reel_project_get_n_scenes (project));
  g_print (_("Shots: %u\n"), reel_project_get_n_shots (project));
  /* Translators: the total duration as timecode, then in seconds. */
  g_print (_("Duration: %s (%s s)\n"), timecode, seconds);

  if (cameras)
    print_cameras (project);

  set_errors = reel_project_file_dup_set_errors (project);
  if (set_errors != NULL)
    {
      guint n = g_strv_length (set_errors);

      /* Translators: how many scene sets or shot cameras of the file could not be read */
      g_print (_("Unreadable sets and cameras: %u\n"), n);
      for (guint i = 0; i < n; i++)
        g_print ("  %s\n", set_errors[i]);
    }

  return REEL_CLI_EXIT_OK;
}
