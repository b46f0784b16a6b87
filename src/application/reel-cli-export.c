/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-cli-export"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "export/reel-export-error.h"
#include "export/reel-export-registry.h"
#include "storage/reel-project-file.h"

#include "reel-cli-private.h"

/*
 * storyreel export FILE --format=F [options] -o OUT
 * storyreel export --list-formats | --list-columns
 *
 * Pipelines script this: the written path goes to stdout, errors to stderr, and the exit
 * status tells a bad argument (2) from an unreadable project (3) from a failed export (1).
 * Ctrl+C cancels cleanly: the partial output is removed.
 */

typedef struct
{
  GMainLoop *loop;
  GError *error;
  gboolean done;
  gboolean show_progress;
} ExportRun;

static void
list_formats (void)
{
  const ReelExportFormat * const *formats;
  guint n_formats;

  formats = reel_export_get_formats (&n_formats);
  for (guint i = 0; i < n_formats; i++)
    {
      const ReelExportFormat *format = formats[i];
      g_autoptr(GString) options = g_string_new (NULL);

      if (format->options & REEL_EXPORT_USES_SCOPE)
        g_string_append (options, " --scene");
      if (format->options & REEL_EXPORT_USES_LAYOUT)
        g_string_append (options, " --layout");
      if (format->options & REEL_EXPORT_USES_PAPER)
        g_string_append (options, " --paper --orientation");
      if (format->options & REEL_EXPORT_USES_PANEL_WIDTH)
        g_string_append (options, " --panel-width");
      if (format->options & REEL_EXPORT_USES_CSV_COLUMNS)
        g_string_append (options, " --columns --shotgrid --kitsu --bom --no-bom");
      if (format->options & REEL_EXPORT_USES_CLIP_NAMING)
        g_string_append (options, " --clip-names --kitsu");
      if (format->options & REEL_EXPORT_USES_FCPXML_VERSION)
        g_string_append (options, " --fcpxml-version");
      if (format->options & REEL_EXPORT_USES_PANEL_CLIPS)
        g_string_append (options, " --panel-clips");

      /* Tab-separated, one format a line: id, extension, MIME type, name, options. */
      g_print ("%s\t%s\t%s\t%s\t%s\n", format->id,
               format->output == REEL_EXPORT_OUTPUT_FOLDER ? _("(folder)") : format->extension,
               format->mime_type, _(format->name), g_strstrip (options->str));
    }
}

static void
list_columns (void)
{
  const ReelExportColumn *columns;
  guint n_columns;

  columns = reel_export_get_csv_columns (&n_columns);
  for (guint i = 0; i < n_columns; i++)
    g_print ("%s\t%s\t%s\n", columns[i].id, columns[i].header, _(columns[i].label));
}

static ReelScene *
find_scene (ReelProject *project,
            const char  *wanted)
{
  guint64 position = 0;

  /* A scene number first ("12A"); else a position counted from 1. */
  for (guint i = 0; i < reel_project_get_n_scenes (project); i++)
    {
      ReelScene *scene = reel_project_get_scene (project, i);

      if (g_strcmp0 (reel_scene_get_number (scene), wanted) == 0)
        return scene;
    }

  if (g_ascii_string_to_unsigned (wanted, 10, 1, G_MAXUINT, &position, NULL))
    return reel_project_get_scene (project, (guint) position - 1);

  return NULL;
}

static gboolean
parse_enum (GType        type,
            const char  *option,
            const char  *value,
            int         *out_value)
{
  g_autoptr(GEnumClass) klass = NULL;
  g_autoptr(GString) choices = NULL;

  if (value == NULL || reel_export_enum_from_nick (type, value, out_value))
    return TRUE;

  klass = g_type_class_ref (type);
  choices = g_string_new (NULL);
  for (guint i = 0; i < klass->n_values; i++)
    g_string_append_printf (choices, "%s%s", i > 0 ? ", " : "", klass->values[i].value_nick);

  reel_cli_print_error (_("%s cannot be “%s”; use one of: %s."), option, value, choices->str);
  return FALSE;
}

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  ExportRun *run = user_data;

  if (run->show_progress)
    g_printerr ("\r%3d %%", (int) (fraction * 100 + 0.5));
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ExportRun *run = user_data;

  reel_export_finish (result, &run->error);
  run->done = TRUE;
  g_main_loop_quit (run->loop);
}

static gboolean
interrupted_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

int
reel_cli_export (int    argc,
                 char **argv)
{
  g_autofree char *format_id = NULL;
  g_autofree char *output_path = NULL;
  g_autofree char *scene_arg = NULL;
  g_autofree char *layout_arg = NULL;
  g_autofree char *paper_arg = NULL;
  g_autofree char *orientation_arg = NULL;
  g_autofree char *fcpxml_version = NULL;
  g_autofree char *columns_arg = NULL;
  g_auto(GStrv) files = NULL;
  gboolean list_formats_flag = FALSE;
  gboolean list_columns_flag = FALSE;
  g_autofree char *clip_names_arg = NULL;
  gboolean shotgrid = FALSE;
  gboolean kitsu = FALSE;
  gboolean bom = FALSE;
  gboolean no_bom = FALSE;
  gboolean quiet = FALSE;
  gboolean panel_clips = FALSE;
  int panel_width = 0;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_id,
      N_("Export format (see --list-formats); guessed from OUT when left out"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output_path,
      N_("File to write (a folder for PNG panels)"), N_("OUT") },
    { "scene", 0, 0, G_OPTION_ARG_STRING, &scene_arg,
      N_("Export only this scene: its number, or its position from 1"), N_("N") },
    { "layout", 0, 0, G_OPTION_ARG_STRING, &layout_arg,
      N_("PDF layout: 3x2, 2x2, 3x3, 1x1 or shot-list"), N_("LAYOUT") },
    { "paper", 0, 0, G_OPTION_ARG_STRING, &paper_arg, N_("PDF paper: a4 or letter"),
      N_("PAPER") },
    { "orientation", 0, 0, G_OPTION_ARG_STRING, &orientation_arg,
      N_("PDF orientation: landscape or portrait"), N_("ORIENTATION") },
    { "panel-width", 0, 0, G_OPTION_ARG_INT, &panel_width,
      N_("Width of PNG panels in pixels"), N_("PIXELS") },
    { "columns", 0, 0, G_OPTION_ARG_STRING, &columns_arg,
      N_("CSV columns in order, separated by commas (see --list-columns)"), N_("IDS") },
    { "shotgrid", 0, 0, G_OPTION_ARG_NONE, &shotgrid,
      N_("CSV with the ShotGrid columns: Shot Code, Sequence, Cut In, Cut Out, Cut Duration, "
         "Description"), NULL },
    { "kitsu", 0, 0, G_OPTION_ARG_NONE, &kitsu,
      N_("For Kitsu: a CSV with the columns of its shot import (Sequence, Name, Description, "
         "Nb Frames, Frame In, Frame Out, FPS, Resolution); OTIO and EDL clips named as its "
         "import expects (PROJECT_SEQUENCE-SHOT)"), NULL },
    { "bom", 0, 0, G_OPTION_ARG_NONE, &bom,
      N_("Start the CSV with a UTF-8 byte-order mark (the default, except with --shotgrid "
         "and --kitsu)"), NULL },
    { "no-bom", 0, 0, G_OPTION_ARG_NONE, &no_bom,
      N_("Write the CSV without a byte-order mark"), NULL },
    { "clip-names", 0, 0, G_OPTION_ARG_STRING, &clip_names_arg,
      N_("OTIO and EDL clip names: code (SC1_SH1A) or kitsu (PROJECT_SC1-SH1A)"), N_("NAMING") },
    { "fcpxml-version", 0, 0, G_OPTION_ARG_STRING, &fcpxml_version,
      N_("FCPXML version: 1.11 or 1.10"), N_("VERSION") },
    { "panel-clips", 0, 0, G_OPTION_ARG_NONE, &panel_clips,
      N_("OTIO, FCPXML and EDL: refer to each panel as a short movie clip (ProRes "
         "QuickTime .mov, the shot’s length) in a folder NAME_media beside OUT, for editing "
         "systems such as DaVinci Resolve that do not import stills from an EDL"), NULL },
    { "list-formats", 0, 0, G_OPTION_ARG_NONE, &list_formats_flag,
      N_("List the formats and exit"), NULL },
    { "list-columns", 0, 0, G_OPTION_ARG_NONE, &list_columns_flag,
      N_("List the CSV columns and exit"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Do not show progress"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) option_context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) project_file = NULL;
  g_autoptr(GFile) output = NULL;
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(ReelExportOptions) options = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  const ReelExportFormat *format = NULL;
  ExportRun run = { 0 };
  guint sigint_id, sigterm_id;
  int value;

  option_context = g_option_context_new (_("-o OUT — export a Storyreel project"));
  g_option_context_set_translation_domain (option_context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (option_context,
    _("Formats: pdf, csv, otio, fcpxml, edl, json, png (see --list-formats).\n"
      "Editorial formats (otio, fcpxml, edl) write PNG panels into a folder NAME_panels\n"
      "beside OUT and refer to them. The written path is printed on stdout.\n\n"
      "Exit status: 0 done, 1 the export failed, 2 bad arguments, 3 the project could not "
      "be read."));

  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    {
      reel_cli_print_error ("%s", error->message);
      return REEL_CLI_EXIT_USAGE;
    }

  if (list_formats_flag)
    {
      list_formats ();
      return REEL_CLI_EXIT_OK;
    }
  if (list_columns_flag)
    {
      list_columns ();
      return REEL_CLI_EXIT_OK;
    }

  if (files == NULL || files[0] == NULL)
    {
      reel_cli_print_error (_("Name the project to export: storyreel export FILE --format=F "
                              "-o OUT"));
      return REEL_CLI_EXIT_USAGE;
    }
  if (files[1] != NULL)
    {
      reel_cli_print_error (_("Export one project at a time (got “%s” and “%s”)."),
                            files[0], files[1]);
      return REEL_CLI_EXIT_USAGE;
    }
  if (output_path == NULL)
    {
      reel_cli_print_error (_("Say where to write the export with -o OUT."));
      return REEL_CLI_EXIT_USAGE;
    }

  if (format_id != NULL)
    {
      format = reel_export_lookup_format (format_id);
      if (format == NULL)
        {
          reel_cli_print_error (_("There is no export format “%s”. Run “storyreel export "
                                  "--list-formats” to see them."), format_id);
          return REEL_CLI_EXIT_USAGE;
        }
    }
  else
    {
      format = reel_export_lookup_format_for_file (output_path);
      if (format == NULL || format->output == REEL_EXPORT_OUTPUT_FOLDER)
        {
          reel_cli_print_error (_("Choose a format with --format (the name “%s” does not "
                                  "tell)."), output_path);
          return REEL_CLI_EXIT_USAGE;
        }
    }

  options = reel_export_options_new ();
  if (!parse_enum (REEL_TYPE_EXPORT_LAYOUT, "--layout", layout_arg, &value))
    return REEL_CLI_EXIT_USAGE;
  if (layout_arg != NULL)
    reel_export_options_set_layout (options, value);
  if (!parse_enum (REEL_TYPE_EXPORT_PAPER, "--paper", paper_arg, &value))
    return REEL_CLI_EXIT_USAGE;
  if (paper_arg != NULL)
    reel_export_options_set_paper (options, value);
  if (!parse_enum (REEL_TYPE_EXPORT_ORIENTATION, "--orientation", orientation_arg, &value))
    return REEL_CLI_EXIT_USAGE;
  if (orientation_arg != NULL)
    reel_export_options_set_orientation (options, value);

  if (panel_width != 0)
    {
      if (panel_width < REEL_EXPORT_PANEL_WIDTH_MIN || panel_width > REEL_EXPORT_PANEL_WIDTH_MAX)
        {
          reel_cli_print_error (_("--panel-width must be between %d and %d pixels."),
                                REEL_EXPORT_PANEL_WIDTH_MIN, REEL_EXPORT_PANEL_WIDTH_MAX);
          return REEL_CLI_EXIT_USAGE;
        }
      reel_export_options_set_panel_width (options, panel_width);
    }

  if (fcpxml_version != NULL
      && !reel_export_options_set_fcpxml_version (options, fcpxml_version, &error))
    {
      reel_cli_print_error ("%s", error->message);
      return REEL_CLI_EXIT_USAGE;
    }

  if ((shotgrid ? 1 : 0) + (kitsu ? 1 : 0) + (columns_arg != NULL ? 1 : 0) > 1)
    {
      reel_cli_print_error (_("Use only one of --shotgrid, --kitsu and --columns."));
      return REEL_CLI_EXIT_USAGE;
    }
  if (bom && no_bom)
    {
      reel_cli_print_error (_("Use either --bom or --no-bom, not both."));
      return REEL_CLI_EXIT_USAGE;
    }
  if (!parse_enum (REEL_TYPE_EXPORT_CLIP_NAMING, "--clip-names", clip_names_arg, &value))
    return REEL_CLI_EXIT_USAGE;
  if (clip_names_arg != NULL)
    reel_export_options_set_clip_naming (options, value);
  else if (kitsu)
    reel_export_options_set_clip_naming (options, REEL_EXPORT_CLIP_NAMING_KITSU);

  reel_export_options_set_panel_clips (options, panel_clips);

  /* Unless told, the mark follows the columns: off for the trackers' presets. */
  if (bom || no_bom)
    reel_export_options_set_csv_bom (options, bom);
  if (shotgrid)
    reel_export_options_set_csv_columns (options, reel_export_get_shotgrid_csv_columns (), NULL);
  else if (kitsu)
    reel_export_options_set_csv_columns (options, reel_export_get_kitsu_csv_columns (), NULL);
  else if (columns_arg != NULL)
    {
      g_auto(GStrv) columns = g_strsplit (columns_arg, ",", -1);

      for (guint i = 0; columns[i] != NULL; i++)
        g_strstrip (columns[i]);
      if (!reel_export_options_set_csv_columns (options, (const char * const *) columns, &error))
        {
          reel_cli_print_error ("%s", error->message);
          return REEL_CLI_EXIT_USAGE;
        }
    }

  project_file = g_file_new_for_commandline_arg (files[0]);
  project = reel_project_file_load (project_file, NULL, &error);
  if (project == NULL)
    {
      reel_cli_print_error ("%s", error->message);
      return REEL_CLI_EXIT_INPUT;
    }

  if (scene_arg != NULL)
    {
      ReelScene *scene = find_scene (project, scene_arg);

      if (scene == NULL)
        {
          reel_cli_print_error (_("“%s” has no scene “%s”. Give a scene number, or a position "
                                  "from 1 to %u."), files[0], scene_arg,
                                reel_project_get_n_scenes (project));
          return REEL_CLI_EXIT_USAGE;
        }
      reel_export_options_set_scope (options, REEL_EXPORT_SCOPE_SCENE);
      reel_export_options_set_scene (options, scene);
    }

  output = g_file_new_for_commandline_arg (output_path);
  cancellable = g_cancellable_new ();
  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  run.show_progress = !quiet && isatty (STDERR_FILENO);

  sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, cancellable);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupted_cb, cancellable);

  reel_export_async (format, project, project_file, options, output, cancellable,
                     progress_cb, &run, NULL, export_done_cb, &run);
  if (!run.done)
    g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  if (run.show_progress)
    g_printerr ("\r     \r");

  if (run.error != NULL)
    {
      reel_cli_print_error ("%s", run.error->message);
      g_clear_error (&run.error);
      return REEL_CLI_EXIT_FAILURE;
    }

  {
    g_autofree char *path = g_file_get_path (output);

    g_print ("%s\n", path != NULL ? path : output_path);
  }

  return REEL_CLI_EXIT_OK;
}
