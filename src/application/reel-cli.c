/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "reel-cli-private.h"
#include "reel-cli.h"

/* Headless commands. They never initialise GTK, so they run on a server without a display. */
static const struct {
  const char *name;
  ReelCliCommand run;
} commands[] = {
  { "export", reel_cli_export },
  { "generate", reel_cli_generate },
  { "info", reel_cli_info },
  { "new", reel_cli_new },
  { NULL, NULL },
};

void
reel_cli_print_error (const char *format,
                      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: the prefix of every error the command line prints. */
  g_printerr (_("storyreel: %s\n"), message);
}

static ReelCliCommand
lookup_command (const char *name)
{
  if (name == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (commands[i].name != NULL && g_str_equal (commands[i].name, name))
      return commands[i].run;

  return NULL;
}

gboolean
reel_cli_is_command (const char *name)
{
  return lookup_command (name) != NULL;
}

int
reel_cli_run (int    argc,
              char **argv)
{
  ReelCliCommand run;

  g_return_val_if_fail (argc >= 2, REEL_CLI_EXIT_USAGE);

  run = lookup_command (argv[1]);
  g_return_val_if_fail (run != NULL, REEL_CLI_EXIT_USAGE);

  return run (argc - 1, argv + 1);
}
