/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "reel-fuzz-targets.h"

/*
 * The fuzzers' corpus, replayed in the unit suite: every seed and every input
 * that once crashed (tests/fuzz/corpus/<target>/) goes through the same entry
 * point as under libFuzzer, so a fixed bug stays fixed without clang.
 */

static void
test_corpus (gconstpointer data)
{
  const ReelFuzzTarget *target = data;
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", target->name,
                                                NULL);
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n = 0;

  d = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_assert_true (g_file_get_contents (path, &contents, &length, &error));
      g_assert_no_error (error);
      target->entry ((const guint8 *) contents, length);
      n++;
    }
  g_test_message ("%s: %u inputs", target->name, n);
  g_assert_cmpuint (n, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  reel_fuzz_init ();

  for (const ReelFuzzTarget *target = reel_fuzz_get_targets (); target->name != NULL; target++)
    {
      g_autofree char *path = g_strdup_printf ("/fuzz-corpus/%s", target->name);

      g_test_add_data_func (path, target, test_corpus);
    }

  return g_test_run ();
}
