/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/reel-memory.h"

#define N_BLOCKS   50000
#define BLOCK_SIZE 1000  /* small blocks, from the heap (not mapped one by one) */

static long
resident_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line != NULL ? strtol (line + strlen ("VmRSS:"), NULL, 10) : -1;
}

/* What going through shots does: many small blocks freed below one that stays (the heap
 * cannot shrink past it). After reel_memory_trim_soon() the freed pages leave the
 * process's resident memory, without the caller waiting for it. */
static void
test_freed_memory_leaves (void)
{
  char **blocks = g_new (char *, N_BLOCKS);
  char *kept;
  long before, after;
  guint n_trims = reel_memory_get_n_trims ();
  gint64 end;

  for (guint i = 0; i < N_BLOCKS; i++)
    {
      blocks[i] = malloc (BLOCK_SIZE);
      memset (blocks[i], i & 0xff, BLOCK_SIZE);
    }
  kept = malloc (BLOCK_SIZE);
  memset (kept, 1, BLOCK_SIZE);
  for (guint i = 0; i < N_BLOCKS; i++)
    free (blocks[i]);
  g_free (blocks);
  before = resident_kib ();

  reel_memory_trim_soon ();
  reel_memory_trim_soon ();  /* merged with the first */
  g_assert_cmpuint (reel_memory_get_n_trims (), ==, n_trims);

  end = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;
  while (reel_memory_get_n_trims () == n_trims && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (reel_memory_get_n_trims (), ==, n_trims + 1);
  after = resident_kib ();
  g_test_message ("resident %ld KiB after freeing, %ld KiB after the trim", before, after);

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
  /* 50 MB were freed; at least 30 MB of them leave. */
  g_assert_cmpint (after, <, before - 30 * 1024);
#endif
  free (kept);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/memory/freed-memory-leaves", test_freed_memory_leaves);
  return g_test_run ();
}
