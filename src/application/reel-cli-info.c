/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-cli-info"

#include "config.h"

#include <glib/gi18n.h>

#include "core/reel-timecode.h"
#include "storage/reel-project-file-set.h"
#include "storage/reel-project-file.h"

#include "reel-cli-private.h"

/*
 * storyreel info FILE
 *
 * What is in a project, one "Label: value" a line: title, frame rate, scenes, shots and
 * the total duration as timecode and seconds; then the sets and cameras that could not be
 * read (the project opens without them), one message a line.
 */

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
  const GOptionEntry entries[] = {
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
