/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What a test needs from the machine: a validator on PATH, a display, a namespace.
 *
 * Outside CI a missing piece skips the test case. Under CI=true, or whenever
 * STORYREEL_REQUIRE_TOOLS=1, it fails the test case and names the missing piece, so a
 * validator that is not installed can never make a test pass by its absence.
 *
 * A test program that skipped anything must not look like a pass: end main() with
 * `return reel_test_run ();` (or reel_test_status (status) on a status of your own),
 * which exits 77 after a skip, and meson reports SKIP instead of OK.
 *
 * Include it as "../reel-test-require.h" from a test in tests/<layer>/.
 */
#pragma once

#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* Set for the whole process (a test may be built from several files that include this). */
#define REEL_TEST_SKIPPED_VARIABLE "STORYREEL_TEST_SKIPPED"

static inline gboolean
reel_test_tools_required (void)
{
  const char *ci = g_getenv ("CI");
  const char *require = g_getenv ("STORYREEL_REQUIRE_TOOLS");

  return (ci != NULL && g_ascii_strcasecmp (ci, "true") == 0)
         || (require != NULL && strcmp (require, "1") == 0);
}

/* Returns TRUE when @present. Otherwise fails (CI) or skips the current test case, naming
 * @what ("the program xmllint", "an X11 display"), and returns FALSE: the caller returns. */
static inline gboolean
reel_test_require (gboolean    present,
                   const char *what)
{
  if (present)
    return TRUE;
  if (reel_test_tools_required ())
    g_test_fail_printf ("Missing %s, which this test needs (CI=true or STORYREEL_REQUIRE_TOOLS=1)",
                        what);
  else
    {
      g_test_skip_printf ("Missing %s", what);
      g_setenv (REEL_TEST_SKIPPED_VARIABLE, "1", TRUE);
    }
  return FALSE;
}

/* Whether a case of this process was skipped for a missing piece. */
static inline gboolean
reel_test_skipped (void)
{
  return g_getenv (REEL_TEST_SKIPPED_VARIABLE) != NULL;
}

/* @status of g_test_run(), or 77 (meson's SKIP) when it passed having skipped
 * something: a run that left checks out is not a pass. */
static inline int
reel_test_status (int status)
{
  if (status == 0 && reel_test_skipped ())
    {
      g_printerr ("# Some checks were skipped for a missing program, display or namespace: "
                  "reporting SKIP (exit status 77)\n");
      return 77;
    }

  return status;
}

static inline int
reel_test_run (void)
{
  return reel_test_status (g_test_run ());
}

/* Returns TRUE when @program is on PATH; otherwise as reel_test_require(). */
static inline gboolean
reel_test_require_program (const char *program)
{
  g_autofree char *path = g_find_program_in_path (program);
  g_autofree char *what = g_strdup_printf ("the program %s", program);

  return reel_test_require (path != NULL, what);
}

/* For what the whole test program needs before any case runs (a display before
 * gtk_test_init()): when @present is FALSE, exits 1 naming @what under CI=true, or 77
 * (meson's SKIP) otherwise. */
static inline void
reel_test_require_or_exit (gboolean    present,
                           const char *what)
{
  if (present)
    return;
  if (reel_test_tools_required ())
    {
      g_printerr ("Bail out! Missing %s, which this test needs (CI=true or "
                  "STORYREEL_REQUIRE_TOOLS=1)\n", what);
      exit (1);
    }
  g_printerr ("# Missing %s: skipping the whole test (exit status 77)\n", what);
  exit (77);
}

/* An X11 display (these tests run under Xvfb) and, when @with_xdotool, xdotool for
 * real input. Call first in main(). */
static inline void
reel_test_require_x11 (gboolean with_xdotool)
{
  const char *display = g_getenv ("DISPLAY");
  g_autofree char *xdotool = with_xdotool ? g_find_program_in_path ("xdotool") : NULL;

  reel_test_require_or_exit (display != NULL && display[0] != '\0',
                             "an X11 display (DISPLAY is not set; run under xvfb-run)");
  if (with_xdotool)
    reel_test_require_or_exit (xdotool != NULL, "the program xdotool");
}
