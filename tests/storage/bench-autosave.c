/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE /* RUSAGE_THREAD */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "../reel-bench-util.h"
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
 * <= 16 ms). On a shared machine a stall is mostly other processes: the same stream
 * of edits runs first without autosave (the baseline, in this process), and each
 * longest gap is split into the main thread's CPU time, the time it was ready to run
 * but waited for a CPU (the scheduler's run queue, /proc/thread-self/schedstat), and
 * the rest, when it was blocked (a lock, a page fault, I/O; with how many page faults
 * waited for the disk and how many times the thread went to sleep, one being the
 * main loop's own wait): autosave must add neither CPU nor blocked time beyond the
 * baseline's. The main thread's time per
 * phase of a save (snapshot, completion, callback, freeing) comes from the saver.
 */

#define EDITS           60
#define EDIT_INTERVAL   1000
#define DELAY           REEL_AUTOSAVE_DEFAULT_DELAY_MS
#define MAX_WAIT        REEL_AUTOSAVE_DEFAULT_MAX_WAIT_MS
#define GOAL_WAIT_S     30
#define GOAL_STALL_MS   16

/* A gap between two ticks of the main loop, and where its time went (µs). */
typedef struct
{
  gint64 wall;
  gint64 cpu;
  gint64 queued;  /* ready to run, waiting for a CPU */
  gint64 major_faults;      /* page faults that waited for the disk */
  gint64 voluntary_waits;   /* times the thread went to sleep (poll, a lock, I/O) */
} Gap;

typedef struct
{
  ReelProject *project;
  GRand *rand;
  double scale;
  int schedstat_fd;       /* /proc/thread-self/schedstat of the main thread, or -1 */
  guint n_edits;
  guint max_edits;
  GArray *edit_times;     /* gint64 µs of each edit */
  Gap last;               /* clocks at the last tick */
  Gap longest;            /* the longest gap (wall) */
  Gap busiest;            /* the gap with the most CPU time */
  guint n_over_goal;      /* gaps longer than the goal */
  guint n_saved;
  guint n_reading;        /* recovery files being read back */
  guint written;          /* edits known on disk */
  gint64 max_wait;
  gboolean done;
} Bench;

/* Time the main thread spent ready to run but waiting for a CPU (µs), 0 when the
 * kernel does not say. */
static gint64
thread_queued_time (Bench *bench)
{
  char buffer[128];
  ssize_t n;
  guint64 run_ns, wait_ns;

  if (bench->schedstat_fd < 0)
    return 0;
  n = pread (bench->schedstat_fd, buffer, sizeof buffer - 1, 0);
  if (n <= 0)
    return 0;
  buffer[n] = '\0';
  if (sscanf (buffer, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &run_ns, &wait_ns) != 2)
    return 0;
  return (gint64) (wait_ns / 1000);
}

static void
read_clocks (Bench *bench,
             Gap   *clocks)
{
  clocks->wall = g_get_monotonic_time ();
  clocks->cpu = reel_bench_thread_cpu_us ();
  clocks->queued = thread_queued_time (bench);
  {
    struct rusage usage;

    if (getrusage (RUSAGE_THREAD, &usage) == 0)
      {
        clocks->major_faults = usage.ru_majflt;
        clocks->voluntary_waits = usage.ru_nvcsw;
      }
  }
}

static void
reset_tick (Bench *bench)
{
  read_clocks (bench, &bench->last);
}

static gboolean
tick_cb (gpointer user_data)
{
  Bench *bench = user_data;
  Gap now, gap;

  read_clocks (bench, &now);
  if (bench->last.wall != 0)
    {
      gap.wall = now.wall - bench->last.wall;
      gap.cpu = now.cpu - bench->last.cpu;
      gap.queued = now.queued - bench->last.queued;
      gap.major_faults = now.major_faults - bench->last.major_faults;
      gap.voluntary_waits = now.voluntary_waits - bench->last.voluntary_waits;
      if (g_getenv ("BENCH_TRACE") != NULL && gap.wall > GOAL_STALL_MS * 1000)
        g_printerr ("gap %.1f ms (cpu %.1f ms, queued %.1f ms) at edit %u, saved %u\n",
                    gap.wall / 1000.0, gap.cpu / 1000.0, gap.queued / 1000.0,
                    bench->n_edits, bench->n_saved);
      if (gap.wall > bench->longest.wall)
        bench->longest = gap;
      if (gap.cpu > bench->busiest.cpu)
        bench->busiest = gap;
      if (gap.wall > GOAL_STALL_MS * 1000)
        bench->n_over_goal++;
    }
  bench->last = now;
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

typedef struct
{
  Bench *bench;
  gint64 saved_at;
  GFile *file;
} ReadBack;

static void
read_back_free (ReadBack *read_back)
{
  g_object_unref (read_back->file);
  g_free (read_back);
}

/* Which edit the recovery file holds: its title, "Edit N". */
static void
read_back_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ReadBack *read_back = task_data;
  g_autoptr(GHashTable) meta = reel_project_file_read_meta (read_back->file, NULL);
  const char *title = meta != NULL ? g_hash_table_lookup (meta, "autosave_title") : NULL;

  g_task_return_int (task, title != NULL && g_str_has_prefix (title, "Edit ")
                           ? (gssize) g_ascii_strtoull (title + 5, NULL, 10) : 0);
}

static void
read_back_done (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ReadBack *read_back = g_task_get_task_data (G_TASK (result));
  Bench *bench = read_back->bench;
  guint on_disk = (guint) g_task_propagate_int (G_TASK (result), NULL);

  for (; bench->written < on_disk; bench->written++)
    bench->max_wait = MAX (bench->max_wait, read_back->saved_at -
                           g_array_index (bench->edit_times, gint64, bench->written));
  bench->n_reading--;
}

/* The recovery file is read back on a thread: the main thread does nothing here but
 * what the application would. The next write starts seconds later, long after this
 * read. */
static void
saved_cb (ReelAutosave *autosave,
          Bench        *bench)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, read_back_done, NULL);
  ReadBack *read_back = g_new0 (ReadBack, 1);

  read_back->bench = bench;
  read_back->saved_at = g_get_monotonic_time ();
  read_back->file = g_object_ref (reel_autosave_get_file (autosave));
  g_task_set_task_data (task, read_back, (GDestroyNotify) read_back_free);
  g_task_run_in_thread (task, read_back_thread);
  bench->n_saved++;
  bench->n_reading++;
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
  memset (&bench->longest, 0, sizeof bench->longest);
  memset (&bench->busiest, 0, sizeof bench->busiest);
  memset (&bench->last, 0, sizeof bench->last);
  bench->n_over_goal = 0;
  bench->max_wait = 0;
  bench->n_saved = 0;
  bench->done = FALSE;
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
  while ((!bench->done || bench->n_reading > 0 ||
          (with_autosave && bench->written < bench->n_edits)) &&
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

static void
print_gap (const char *prefix,
           const Gap  *gap)
{
  g_print ("%s_ms=%.2f\n", prefix, gap->wall / 1000.0);
  g_print ("%s_main_thread_cpu_ms=%.2f\n", prefix, gap->cpu / 1000.0);
  g_print ("%s_waiting_for_a_cpu_ms=%.2f\n", prefix, gap->queued / 1000.0);
  g_print ("%s_blocked_ms=%.2f\n", prefix,
           MAX (0, gap->wall - gap->cpu - gap->queued) / 1000.0);
  g_print ("%s_major_page_faults=%" G_GINT64_FORMAT "\n", prefix, gap->major_faults);
  g_print ("%s_times_asleep=%" G_GINT64_FORMAT "\n", prefix, gap->voluntary_waits);
}

int
main (int   argc,
      char *argv[])
{
  Bench bench = { 0 };
  const char *scale_env = g_getenv ("STORYREEL_BENCH_SCALE");
  g_autofree char *loadavg = NULL;
  ReelProjectFilePhaseTimes phases;
  Gap baseline_longest, baseline_busiest;
  guint baseline_over_goal;

  g_test_init (&argc, &argv, NULL);

  bench.scale = scale_env != NULL ? g_ascii_strtod (scale_env, NULL) : 1.0;
  if (bench.scale <= 0 || bench.scale > 1)
    bench.scale = 1.0;
  bench.schedstat_fd = open ("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
  bench.rand = g_rand_new_with_seed (11);
  bench.edit_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  bench.project = reel_test_project_random (11, 10, 100, 20);

  /* The baseline: the same stream of edits, as long, without autosave. */
  run (&bench, FALSE, EDITS);
  baseline_longest = bench.longest;
  baseline_busiest = bench.busiest;
  baseline_over_goal = bench.n_over_goal;
  reel_project_file_take_phase_times (&phases);
  run (&bench, TRUE, EDITS);
  reel_project_file_take_phase_times (&phases);

  if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    g_print ("load_average=%s", loadavg);
  g_print ("autosave_time_scale=%g\n", bench.scale);
  g_print ("autosave_edits=%u\n", bench.n_edits);
  g_print ("autosave_writes=%u\n", bench.n_saved);
  g_print ("autosave_longest_wait_to_disk_s=%.2f\n",
           bench.max_wait / (double) G_USEC_PER_SEC / bench.scale);
  g_print ("autosave_longest_wait_goal_s=%d\n", GOAL_WAIT_S);
  print_gap ("autosave_longest_main_loop_stall", &bench.longest);
  print_gap ("baseline_longest_main_loop_gap", &baseline_longest);
  g_print ("autosave_stall_vs_baseline=%.2f\n",
           baseline_longest.wall > 0 ? (double) bench.longest.wall / baseline_longest.wall : 0.0);
  g_print ("autosave_stall_in_excess_of_baseline_ms=%.2f\n",
           MAX (0, bench.longest.wall - baseline_longest.wall) / 1000.0);
  print_gap ("autosave_busiest_gap", &bench.busiest);
  print_gap ("baseline_busiest_gap", &baseline_busiest);
  g_print ("autosave_gaps_over_goal=%u\n", bench.n_over_goal);
  g_print ("baseline_gaps_over_goal=%u\n", baseline_over_goal);
  for (guint i = 0; i < REEL_PROJECT_FILE_N_PHASES; i++)
    {
      const char *name = reel_project_file_phase_name (i);

      g_print ("autosave_main_thread_%s_longest_ms=%.2f\n", name, phases.wall_us[i] / 1000.0);
      g_print ("autosave_main_thread_%s_longest_cpu_ms=%.2f\n", name,
               phases.cpu_us[i] / 1000.0);
    }
  g_print ("autosave_stall_goal_ms=%d\n", GOAL_STALL_MS);

  if (bench.schedstat_fd >= 0)
    close (bench.schedstat_fd);
  g_array_unref (bench.edit_times);
  g_rand_free (bench.rand);
  g_object_unref (bench.project);
  return 0;
}
