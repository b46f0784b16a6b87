/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test-foundation-cli"

#include "config.h"

#include <glib.h>

/* `storyreel --version` and `--help` answer on a machine without a display (a build server,
 * an SSH session), in the session's language. Runs the built program with no DISPLAY and no
 * WAYLAND_DISPLAY in its environment. */

typedef struct {
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs the program with @args (NULL-terminated) and @language (or the C locale), headless. */
static void
run_storyreel (Run        *run,
               const char *language,
               ...)
{
  const char *exe = g_getenv ("STORYREEL_EXE");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_assert_nonnull (exe);
  g_ptr_array_add (argv, (char *) exe);
  va_start (args, language);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  env = g_environ_unsetenv (env, "DISPLAY");
  env = g_environ_unsetenv (env, "WAYLAND_DISPLAY");
  env = g_environ_unsetenv (env, "LC_ALL");
  env = g_environ_unsetenv (env, "LC_MESSAGES");
  env = g_environ_setenv (env, "LANG", "C.UTF-8", TRUE);
  env = g_environ_setenv (env, "STORYREEL_LOCALEDIR", PO_BUILD_DIR, TRUE);
  if (language != NULL)
    env = g_environ_setenv (env, "LANGUAGE", language, TRUE);
  else
    env = g_environ_unsetenv (env, "LANGUAGE");

  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &run->status, &error);
  g_assert_no_error (error);
}

static void
test_version (void)
{
  g_auto(Run) run = { 0 };

  run_storyreel (&run, NULL, "--version", NULL);
  g_assert_true (g_spawn_check_wait_status (run.status, NULL));
  g_assert_cmpstr (run.out, ==, "storyreel " PACKAGE_VERSION "\n");
  g_assert_cmpstr (run.err, ==, "");
}

static void
test_help (void)
{
  g_auto(Run) run = { 0 };

  run_storyreel (&run, NULL, "--help", NULL);
  g_assert_true (g_spawn_check_wait_status (run.status, NULL));
  g_assert_nonnull (strstr (run.out, "storyreel [OPTION…] [FILE…]"));
  g_assert_nonnull (strstr (run.out, "--version"));
  g_assert_nonnull (strstr (run.out, "Show the version and exit"));
  /* The headless commands are listed for someone at a server's prompt. */
  g_assert_nonnull (strstr (run.out, "storyreel export"));
  g_assert_cmpstr (run.err, ==, "");
}

static void
test_help_korean (void)
{
  g_auto(Run) run = { 0 };

  run_storyreel (&run, "ko", "--help", NULL);
  g_assert_true (g_spawn_check_wait_status (run.status, NULL));
  g_assert_nonnull (strstr (run.out, "버전을 표시하고 끝냅니다"));
  g_assert_null (strstr (run.out, "Show the version and exit"));
  g_assert_cmpstr (run.err, ==, "");
}

static void
test_unknown_option (void)
{
  g_auto(Run) run = { 0 };

  run_storyreel (&run, NULL, "--no-such-option", NULL);
  g_assert_false (g_spawn_check_wait_status (run.status, NULL));
  g_assert_nonnull (strstr (run.err, "--no-such-option"));
  /* It fails on the option, not on the missing display. */
  g_assert_null (strstr (run.err, "display"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/foundation/cli/version", test_version);
  g_test_add_func ("/foundation/cli/help", test_help);
  g_test_add_func ("/foundation/cli/help-korean", test_help_korean);
  g_test_add_func ("/foundation/cli/unknown-option", test_unknown_option);

  return g_test_run ();
}
