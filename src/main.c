/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "application/reel-application.h"
#include "application/reel-cli.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ReelApplication) app = NULL;
  /* Set by `meson devenv` and the tests, so that a build that is not installed speaks the
   * session's language too (the catalogues are in the build tree, po/<lang>/LC_MESSAGES). */
  const char *localedir;

  reel_application_begin_startup_probe ();

  localedir = g_getenv ("STORYREEL_LOCALEDIR");
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc >= 2 && reel_cli_is_command (argv[1]))
    return reel_cli_run (argc, argv);

  app = reel_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
