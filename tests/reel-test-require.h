/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What a test needs from the machine: a validator on PATH, a display, a namespace.
 *
 * Outside CI a missing piece skips the test case. Under CI=true, or whenever
 * STORYREEL_REQUIRE_TOOLS=1, it fails the test case and names the missing piece, so a
 * validator that is not installed can never make a test pass by its absence.
 *
 * Include it as "../reel-test-require.h" from a test in tests/<layer>/.
 */
#pragma once

#include <glib.h>
#include <string.h>

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
    g_test_skip_printf ("Missing %s", what);
  return FALSE;
}

/* Returns TRUE when @program is on PATH; otherwise as reel_test_require(). */
static inline gboolean
reel_test_require_program (const char *program)
{
  g_autofree char *path = g_find_program_in_path (program);
  g_autofree char *what = g_strdup_printf ("the program %s", program);

  return reel_test_require (path != NULL, what);
}
