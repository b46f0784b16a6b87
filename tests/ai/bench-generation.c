/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-bench"

#include "config.h"

#include <time.h>

#include "ai/reel-provider.h"
#include "ai-test-util.h"

/* Eight images asked of a server that takes a second for each: they run side by side, so
 * they take about as long as one; and the main loop keeps turning meanwhile. Prints the
 * ratio of the eight's wall time to one request's, and the longest main-loop stall. */

static gint64
thread_cpu_time (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

typedef struct
{
  guint pending;
  guint failed;
  gint64 last_tick;
  gint64 worst_gap;
} Run;

static gboolean
on_tick (gpointer user_data)
{
  Run *run = user_data;
  gint64 now = g_get_monotonic_time ();

  if (run->last_tick > 0)
    run->worst_gap = MAX (run->worst_gap, now - run->last_tick);
  run->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
on_generated (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;

  assets = reel_generator_generate_finish (REEL_GENERATOR (object), result, &error);
  if (assets == NULL || assets->len != 1)
    {
      g_printerr ("generation failed: %s\n", error != NULL ? error->message : "no image");
      run->failed++;
    }
  run->pending--;
}

/* Wall time of @count generations started together, in microseconds. */
static gint64
generate (ReelProvider *provider,
          guint         count,
          gint64       *worst_gap,
          gint64       *cpu)
{
  Run run = { count, 0, 0, 0 };
  gint64 start = g_get_monotonic_time ();
  gint64 cpu_start = thread_cpu_time ();
  guint tick;

  /* A 1 ms heartbeat: the gap between two beats is how long the loop was busy. */
  tick = g_timeout_add (1, on_tick, &run);
  for (guint i = 0; i < count; i++)
    {
      g_autoptr(ReelGenerationRequest) request = reel_generation_request_new ();

      request->prompt = g_strdup_printf ("A harbour at dawn, variant %u", i);
      request->aspect_ratio = 1.5;
      reel_generator_generate_async (REEL_GENERATOR (provider), request, NULL, NULL, NULL,
                                     on_generated, &run);
    }
  while (run.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);

  g_assert_cmpuint (run.failed, ==, 0);
  *worst_gap = run.worst_gap;
  *cpu = thread_cpu_time () - cpu_start;
  return g_get_monotonic_time () - start;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(FakeServer) server = NULL;
  g_autoptr(ReelProvider) provider = NULL;
  g_autoptr(ReelHttpClient) client = reel_http_client_new ();
  g_autofree char *endpoint = NULL;
  gint64 gap_one = 0;
  gint64 gap_eight = 0;
  gint64 cpu_one = 0;
  gint64 cpu_eight = 0;
  g_autofree char *load = NULL;
  gint64 one;
  gint64 eight;

  g_test_init (&argc, &argv, NULL);
  server = fake_server_start (NULL);
  /* Full-size 1536×1024 images, a second of "thinking" for each. */
  fake_server_config (server, "{\"latency\":1.0,\"image_divisor\":1}");

  endpoint = fake_server_url (server, "/v1");
  provider = reel_provider_new_for_id ("openai", NULL);
  reel_provider_set_endpoint (provider, endpoint);
  reel_provider_set_api_key (provider, AI_TEST_KEY);
  reel_provider_set_http_client (provider, client);

  /* Warm up: the connection, the thread pool, the image loaders. */
  generate (provider, 1, &gap_one, &cpu_one);

  one = generate (provider, 1, &gap_one, &cpu_one);
  eight = generate (provider, 8, &gap_eight, &cpu_eight);

  g_print ("one request: %.2f s\n", one / (double) G_USEC_PER_SEC);
  g_print ("eight concurrent requests: %.2f s\n", eight / (double) G_USEC_PER_SEC);
  g_print ("eight concurrent / one request: %.2f\n", (double) eight / (double) one);
  g_print ("worst main-loop gap during the eight: %.1f ms\n", gap_eight / 1000.0);
  /* What the main thread itself spent: a gap longer than this is the machine, not us. */
  g_print ("main-thread CPU time during the eight: %.1f ms\n", cpu_eight / 1000.0);
  if (g_file_get_contents ("/proc/loadavg", &load, NULL, NULL))
    g_print ("load average: %s", load);

  if (g_getenv ("BENCH_DEBUG") != NULL)
    {
      g_autoptr(JsonNode) log = fake_server_log (server);
      g_autofree char *text = json_to_string (log, TRUE);

      g_print ("%s\n", text);
    }

  return 0;
}
