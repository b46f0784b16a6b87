/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-demo-write"

#include "config.h"

#include <locale.h>

#include "storage/reel-demo.h"
#include "storage/reel-project-file.h"

/* Writes the demo project to the file named on the command line: the build makes
 * data/demo/demo.storyreel with it, the file `build-aux/dev run` opens. */
int
main (int   argc,
      char *argv[])
{
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  /* The demo is written in the source language, whatever the builder's locale. */
  setlocale (LC_ALL, "C");

  if (argc != 2)
    {
      g_printerr ("Usage: %s OUTPUT.storyreel\n", argv[0]);
      return 2;
    }

  project = reel_demo_project_new ();
  file = g_file_new_for_commandline_arg (argv[1]);
  if (!reel_project_file_save (project, file, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  return 0;
}
