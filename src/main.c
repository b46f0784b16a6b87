/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

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

#ifdef __GLIBC__
  /* Decoded images (megabytes each, on worker threads) go back to the system when they
   * are freed: glibc would otherwise raise its mmap threshold after the first and keep
   * the freed buffers in per-thread arenas, hundreds of MB after scrolling a long strip. */
  mallopt (M_MMAP_THRESHOLD, 1024 * 1024);
  /* And two heaps for all the threads rather than one each (up to 8 a core): the workers
   * that decode and draw take turns, and every heap keeps freed memory of its own, 20 MB
   * more after going through a hundred shots (tests/widgets/bench-media-window). Before
   * any thread starts. */
  mallopt (M_ARENA_MAX, 2);
#endif

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
