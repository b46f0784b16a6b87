/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdio.h>
#include <sys/resource.h>

G_BEGIN_DECLS

/* STORYREEL_STARTUP_PROBE asks a program to report how its start went, for
 * tests/bench/bench-startup.c. Its value is the CLOCK_MONOTONIC time in microseconds at
 * which the caller spawned the program (or "1" to count from the program's own start).
 * At the end of each phase the program prints `phase-NAME-ms=…` (wall time since the
 * spawn) and `phase-NAME-cpu-ms=…` (processor time the process has used so far, all its
 * threads, which the machine's load does not inflate), and at its first frame
 * `first-frame-ms=…` and `first-frame-cpu-ms=…`.
 *
 * Header-only, so that Storyreel and the bare-window baseline measure with the same code
 * and the baseline links nothing of Storyreel. Its state is static: include it in one
 * file of a program (reel-application.c in Storyreel). */

typedef struct
{
  gint64 origin;  /* -1: no probe */
} ReelStartupProbe;

static ReelStartupProbe reel_startup_probe = { -1 };

static inline double
reel_startup_probe_cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

/* Prints `NAME-ms=…` and `NAME-cpu-ms=…` if the probe is on. */
static inline void
reel_startup_probe_print (const char *name)
{
  if (reel_startup_probe.origin < 0)
    return;

  printf ("%s-ms=%.1f\n%s-cpu-ms=%.1f\n",
          name, (g_get_monotonic_time () - reel_startup_probe.origin) / 1000.0,
          name, reel_startup_probe_cpu_ms ());
  fflush (stdout);
}

/* Reads STORYREEL_STARTUP_PROBE; first thing in main(), which ends the phase "main". */
static inline void
reel_startup_probe_init (void)
{
  const char *probe = g_getenv ("STORYREEL_STARTUP_PROBE");
  gint64 origin;

  if (probe == NULL)
    return;

  origin = g_ascii_strtoll (probe, NULL, 10);
  reel_startup_probe.origin = origin > 1 ? origin : g_get_monotonic_time ();
  reel_startup_probe_print ("phase-main");
}

static inline gboolean
reel_startup_probe_enabled (void)
{
  return reel_startup_probe.origin >= 0;
}

/* The end of the phase @phase: `phase-PHASE-ms=…`, `phase-PHASE-cpu-ms=…`. */
static inline void
reel_startup_probe_mark (const char *phase)
{
  char name[64];

  if (reel_startup_probe.origin < 0)
    return;

  g_snprintf (name, sizeof name, "phase-%s", phase);
  reel_startup_probe_print (name);
}

G_END_DECLS
