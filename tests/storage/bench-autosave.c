/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "reel-test-project.h"
#include "storage-test-util.h"
#include "storage/reel-autosave.h"
#include "storage/reel-project-file.h"
#include "storage/reel-project-file-private.h"

/*
 * Autosave under a steady stream of edits: one edit a second for 60 s (a title
 * change or a new pen stroke on a shot of a 1,000-shot project), with the delays
 * the application uses (4 s idle, 30 s at most), in real time by default.
 * STORYREEL_BENCH_SCALE (e.g. 0.05) multiplies every interval for a quicker run;
 * the waits are then reported divided by the scale, which also magnifies the time
 * the writes themselves take (real work, not scaled).
 *
 * Prints the longest time any change waited to reach disk (goal <= 30 s) and the
 * longest main-loop stall (not scaled: it is real work on the main thread; goal
 * <= 16 ms), against the same stream of edits without autosave (the baseline).
 */

#define EDITS           60
#define EDIT_INTERVAL   1000
#define DELAY           REEL_AUTOSAVE_DEFAULT_DELAY_MS
#define MAX_WAIT        REEL_AUTOSAVE_DEFAULT_MAX_WAIT_MS
#define GOAL_WAIT_S     30

typedef struct
{
  ReelProject *project;
  GRand *rand;
  double scale;
  guint n_edits;
  guint max_edits;
  GArray *edit_times;     /* gint64 µs of each edit */
  gint64 last_tick;
  gint64 last_tick_cpu;
  gint64 max_stall;
  gint64 max_stall_cpu;   /* CPU time the main thread spent in the longest busy gap */
  guint n_saved;
  guint written;          /* edits known on disk */
  gint64 max_wait;
  gboolean done;
} Bench;

/* CPU time of the main thread: a gap in the ticks that it did not spend working
 * was another process (the machine is shared), not the autosave. */
static gint64
thread_cpu_time (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
reset_tick (Bench *bench)
{
  bench->last_tick = g_get_monotonic_time ();
  bench->last_tick_cpu = thread_cpu_time ();
}

static gboolean
tick_cb (gpointer user_data)
{
  Bench *bench = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_time ();

  if (bench->last_tick != 0)
    {
      if (g_getenv ("BENCH_TRACE") != NULL && cpu - bench->last_tick_cpu > 10000)
        g_printerr ("gap %.1f ms (cpu %.1f ms) at edit %u, saved %u\n",
                    (now - bench->last_tick) / 1000.0, (cpu - bench->last_tick_cpu) / 1000.0,
                    bench->n_edits, bench->n_saved);
      bench->max_stall = MAX (bench->max_stall, now - bench->last_tick);
      bench->max_stall_cpu = MAX (bench->max_stall_cpu, cpu - bench->last_tick_cpu);
    }
  bench->last_tick = now;
  bench->last_tick_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static gboolean
edit_cb (gpointer user_data)
{
  Bench *bench = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autofree char *title = NULL;

  if (bench->n_edits == bench->max_edits)
    {
      bench->done = TRUE;
      return G_SOURCE_REMOVE;
    }

  title = g_strdup_printf ("Edit %u", ++bench->n_edits);
  g_array_append_val (bench->edit_times, now);
  reel_project_set_title (bench->project, title);
  if (bench->n_edits % 2 == 0)
    {
      ReelScene *scene = reel_project_get_scene (bench->project,
                                                 g_rand_int_range (bench->rand, 0, 10));
      ReelShot *shot = reel_scene_get_shot (scene, g_rand_int_range (bench->rand, 0, 100));
      g_autoptr(ReelStroke) stroke = storage_test_freehand_stroke (bench->rand, 24);

      reel_sketch_append_stroke (reel_shot_get_sketch (shot), REEL_LAYER_SKETCH, stroke);
    }
  /* The edit is the user's work, not the autosave's. */
  reset_tick (bench);
  return G_SOURCE_CONTINUE;
}

static void
saved_cb (ReelAutosave *autosave,
          Bench        *bench)
{
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GHashTable) meta = reel_project_file_read_meta (reel_autosave_get_file (autosave),
                                                            NULL);
  const char *title = meta != NULL ? g_hash_table_lookup (meta, "autosave_title") : NULL;
  guint on_disk = title != NULL && g_str_has_prefix (title, "Edit ")
                  ? (guint) g_ascii_strtoull (title + 5, NULL, 10) : 0;

  for (; bench->written < on_disk; bench->written++)
    bench->max_wait = MAX (bench->max_wait,
                           now - g_array_index (bench->edit_times, gint64, bench->written));
  bench->n_saved++;
  /* Reading the title back is the benchmark's work. */
  reset_tick (bench);
}

static void
run (Bench    *bench,
     gboolean  with_autosave,
     guint     n_edits)
{
  g_autoptr(ReelAutosave) autosave = NULL;
  guint tick_id, edit_id;
  gint64 deadline;

  bench->n_edits = 0;
  bench->max_edits = n_edits;
  bench->written = 0;
  bench->max_stall = 0;
  bench->max_stall_cpu = 0;
  bench->max_wait = 0;
  bench->n_saved = 0;
  bench->done = FALSE;
  bench->last_tick = 0;
  g_array_set_size (bench->edit_times, 0);

  if (with_autosave)
    {
      autosave = reel_autosave_new (bench->project);
      reel_autosave_set_delay (autosave, (guint) (DELAY * bench->scale));
      reel_autosave_set_max_wait (autosave, (guint) (MAX_WAIT * bench->scale));
      g_signal_connect (autosave, "saved", G_CALLBACK (saved_cb), bench);
    }

  tick_id = g_timeout_add (1, tick_cb, bench);
  edit_id = g_timeout_add ((guint) (EDIT_INTERVAL * bench->scale), edit_cb, bench);
  deadline = g_get_monotonic_time () + 600 * G_USEC_PER_SEC;
  while ((!bench->done || (with_autosave && bench->written < bench->n_edits)) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick_id);
  if (!bench->done)
    g_source_remove (edit_id);
  if (with_autosave)
    {
      g_assert_cmpuint (bench->written, ==, bench->n_edits);
      reel_autosave_discard (autosave);
    }
}

int
main (int   argc,
      char *argv[])
{
  Bench bench = { 0 };
  const char *scale_env = g_getenv ("STORYREEL_BENCH_SCALE");
  gint64 baseline_stall, baseline_stall_cpu;

  g_test_init (&argc, &argv, NULL);

  bench.scale = scale_env != NULL ? g_ascii_strtod (scale_env, NULL) : 1.0;
  if (bench.scale <= 0 || bench.scale > 1)
    bench.scale = 1.0;
  bench.rand = g_rand_new_with_seed (11);
  bench.edit_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  bench.project = reel_test_project_random (11, 10, 100, 20);

  /* The baseline: the same edits without autosave (fewer: the figure is the
   * longest single stall, not a sum). */
  run (&bench, FALSE, EDITS / 6);
  baseline_stall = bench.max_stall;
  baseline_stall_cpu = bench.max_stall_cpu;
  run (&bench, TRUE, EDITS);

  g_print ("autosave_time_scale=%g\n", bench.scale);
  g_print ("autosave_edits=%u\n", bench.n_edits);
  g_print ("autosave_writes=%u\n", bench.n_saved);
  g_print ("autosave_longest_wait_to_disk_s=%.2f\n",
           bench.max_wait / (double) G_USEC_PER_SEC / bench.scale);
  g_print ("autosave_longest_wait_goal_s=%d\n", GOAL_WAIT_S);
  g_print ("autosave_longest_main_loop_stall_ms=%.2f\n", bench.max_stall / 1000.0);
  g_print ("autosave_baseline_stall_ms=%.2f\n", baseline_stall / 1000.0);
  g_print ("autosave_stall_vs_baseline=%.2f\n",
           baseline_stall > 0 ? (double) bench.max_stall / baseline_stall : 0.0);
  g_print ("autosave_longest_main_loop_stall_cpu_ms=%.2f\n", bench.max_stall_cpu / 1000.0);
  g_print ("autosave_baseline_stall_cpu_ms=%.2f\n", baseline_stall_cpu / 1000.0);
  g_print ("autosave_stall_goal_ms=16\n");

  g_array_unref (bench.edit_times);
  g_rand_free (bench.rand);
  g_object_unref (bench.project);
  return 0;
}
