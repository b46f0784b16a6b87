/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-cli-new"

#include "config.h"

#include <glib/gi18n.h>

#include "storage/reel-fdx.h"
#include "storage/reel-fountain.h"
#include "storage/reel-project-file.h"

#include "reel-cli-private.h"

/*
 * storyreel new [--from-script SCRIPT] -o FILE [--force]
 *
 * A new project: from a screenplay (Fountain, or Final Draft .fdx), or empty (one scene,
 * one shot). --from-fountain is the older name of --from-script. An existing
 * FILE is only replaced with --force, and even then only if it is a Storyreel project:
 * the project file code never writes over something it cannot read. The written path
 * goes to stdout.
 */

int
reel_cli_new (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) option_context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(GFile) output_file = NULL;
  g_autofree char *script = NULL;
  g_autofree char *fountain = NULL;
  g_autofree char *output = NULL;
  g_autofree char *output_name = NULL;
  g_auto(GStrv) rest = NULL;
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    { "from-script", 0, 0, G_OPTION_ARG_FILENAME, &script,
      N_("Create the scenes and shots from a screenplay: Fountain or Final Draft (.fdx)"),
      N_("SCRIPT") },
    { "from-fountain", 0, 0, G_OPTION_ARG_FILENAME, &fountain,
      N_("Create the scenes and shots from a Fountain screenplay"), N_("SCRIPT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("The project file to write"), N_("FILE") },
    { "force", 'f', 0, G_OPTION_ARG_NONE, &force,
      N_("Replace FILE if it is already a Storyreel project"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, NULL },
    { NULL },
  };

  option_context = g_option_context_new (_("-o FILE — create a project"));
  g_option_context_set_translation_domain (option_context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    {
      reel_cli_print_error ("%s", error->message);
      return REEL_CLI_EXIT_USAGE;
    }

  if (rest != NULL && rest[0] != NULL)
    {
      reel_cli_print_error (_("Unexpected argument “%s”. Give the screenplay with "
                              "--from-script and the project with -o."), rest[0]);
      return REEL_CLI_EXIT_USAGE;
    }
  if (script != NULL && fountain != NULL)
    {
      reel_cli_print_error (_("Give one screenplay, with --from-script."));
      return REEL_CLI_EXIT_USAGE;
    }
  if (fountain != NULL)
    script = g_steal_pointer (&fountain);
  if (output == NULL)
    {
      reel_cli_print_error (_("Say where to write the project with -o FILE."));
      return REEL_CLI_EXIT_USAGE;
    }

  output_file = g_file_new_for_commandline_arg (output);
  output_name = g_file_get_parse_name (output_file);
  if (!force && g_file_query_exists (output_file, NULL))
    {
      reel_cli_print_error (_("“%s” already exists. Choose another name, or add --force "
                              "to replace it."), output_name);
      return REEL_CLI_EXIT_FAILURE;
    }

  if (script != NULL)
    {
      g_autoptr(GFile) script_file = g_file_new_for_commandline_arg (script);

      if (reel_fdx_is_fdx_file (script_file))
        project = reel_fdx_import (script_file, &error);
      else
        project = reel_fountain_import (script_file, &error);
      if (project == NULL)
        {
          reel_cli_print_error ("%s", error->message);
          return REEL_CLI_EXIT_INPUT;
        }
    }
  else
    {
      g_autoptr(ReelScene) scene = reel_scene_new ();
      g_autoptr(ReelShot) shot = reel_shot_new ();

      project = reel_project_new ();
      reel_scene_set_number (scene, "1");
      reel_scene_append_shot (scene, shot);
      reel_scene_renumber (scene, REEL_NUMBERING_SCENE_LETTER);
      reel_project_append_scene (project, scene);
    }

  if (!reel_project_file_save (project, output_file, NULL, &error))
    {
      reel_cli_print_error ("%s", error->message);
      return REEL_CLI_EXIT_FAILURE;
    }

  g_print ("%s\n", output_name);
  return REEL_CLI_EXIT_OK;
}
