/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the benchmarks measure with: processor time (which the load of a shared machine
 * does not inflate as it does wall time) and the load itself, printed beside the figures.
 * Header-only; include it as "../reel-bench-util.h" from a benchmark in tests/<layer>/.
 */
#pragma once

#include <glib.h>
#include <stdio.h>
#include <time.h>

/* Processor time of the calling thread, in µs. */
static inline gint64
reel_bench_thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Processor time of the whole process (every thread), in ms. */
static inline double
reel_bench_process_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Prints `NAME=` and the machine's load averages (/proc/loadavg). */
static inline void
reel_bench_print_load (const char *name)
{
  g_autofree char *loadavg = NULL;

  if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    printf ("%s=%s", name, loadavg);
}
