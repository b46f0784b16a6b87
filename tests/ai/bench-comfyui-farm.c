/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-bench"

#include "config.h"

#include "ai/reel-comfyui-farm.h"
#include "ai/reel-comfyui.h"
#include "ai-test-util.h"

/* Farm scaling: 32 images on 1, 2 and 4 fake ComfyUI servers that each render one image at
 * a time in IMAGE_SECONDS (STORYREEL_BENCH_IMAGE_SECONDS, 1 s by the issue; 0.5 s unless
 * set, to keep the run short; the ratios do not depend on it). Prints the throughput of
 * each farm against one server (goal: at least 0.9 × the number of servers), then kills one
 * of four servers a quarter of the way through and prints how many images were made and
 * how many of them were distinct (goal: 32 and 32). */

#define N_IMAGES 32

typedef struct
{
  FakeServer *victim;
  gboolean killed;
} Kill;

static void
on_progress (double      fraction,
             const char *status,
             gpointer    user_data)
{
  Kill *kill = user_data;

  if (kill != NULL && kill->victim != NULL && !kill->killed && fraction >= 0.25)
    {
      kill->killed = TRUE;
      fake_server_kill (kill->victim);
    }
}

static gint64
run_batch (FakeServer   **servers,
           guint          n_servers,
           Kill          *kill,
           guint         *made,
           guint         *distinct)
{
  g_autoptr(ReelHttpClient) client = reel_http_client_new ();
  g_autoptr(ReelProvider) provider = reel_provider_new_for_id ("comfyui", NULL);
  g_autoptr(ReelGenerationRequest) request = reel_generation_request_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seeds = g_hash_table_new (g_int64_hash, g_int64_equal);
  const char *urls[8] = { NULL };
  gint64 start;
  gint64 elapsed;

  reel_comfyui_farm_reset ();
  for (guint i = 0; i < n_servers; i++)
    urls[i] = servers[i]->base_url;
  reel_http_client_set_delay_scale (client, 0.01);
  reel_provider_set_http_client (provider, client);
  reel_provider_set_keyring_enabled (provider, FALSE);
  reel_comfyui_set_servers (REEL_COMFYUI (provider), urls);
  reel_comfyui_set_poll_interval (REEL_COMFYUI (provider), 20);

  request->kind = REEL_GENERATION_BACKGROUND;
  request->count = N_IMAGES;
  request->seed = 1;
  request->prompt = g_strdup ("Exterior: harbour, at dawn. Empty background plate.");
  request->aspect_ratio = 16.0 / 9.0;
  request->width = 256;
  request->height = 144;

  start = g_get_monotonic_time ();
  reel_generator_generate_async (REEL_GENERATOR (provider), request, on_progress, kill, NULL,
                                 ai_test_store_result, &result);
  ai_test_wait_result (&result, 600000);
  assets = reel_generator_generate_finish (REEL_GENERATOR (provider), result, &error);
  elapsed = g_get_monotonic_time () - start;
  if (assets == NULL)
    {
      g_printerr ("the batch failed: %s\n", error->message);
      *made = *distinct = 0;
      return elapsed;
    }

  for (guint i = 0; i < assets->len; i++)
    g_hash_table_add (seeds, &reel_asset_get_generation (g_ptr_array_index (assets, i))->seed);
  *made = assets->len;
  *distinct = g_hash_table_size (seeds);
  return elapsed;
}

int
main (int    argc,
      char **argv)
{
  const char *seconds_text = g_getenv ("STORYREEL_BENCH_IMAGE_SECONDS");
  double image_seconds = seconds_text != NULL ? g_ascii_strtod (seconds_text, NULL) : 0.5;
  g_autofree char *config = NULL;
  FakeServer *servers[4];
  const guint sizes[] = { 1, 2, 4 };
  double baseline = 0;
  Kill kill = { 0 };
  guint made;
  guint distinct;
  gint64 elapsed;

  g_setenv ("G_TEST_SRCDIR", g_getenv ("G_TEST_SRCDIR") != NULL ? g_getenv ("G_TEST_SRCDIR")
                                                                : ".", FALSE);
  /* STORYREEL_BENCH_COMFY_WS=1: the fakes also serve /ws (progress, and the end of each
   * prompt told at once rather than found by polling). */
  config = g_strdup_printf ("{\"comfy_duration\":%.3f,\"comfy_ws\":%s}", image_seconds,
                            g_strcmp0 (g_getenv ("STORYREEL_BENCH_COMFY_WS"), "1") == 0
                              ? "true" : "false");
  for (guint i = 0; i < 4; i++)
    servers[i] = fake_server_start (NULL);

  g_print ("image_seconds=%.3f\n", image_seconds);
  g_print ("comfy_ws=%s\n", g_strcmp0 (g_getenv ("STORYREEL_BENCH_COMFY_WS"), "1") == 0
                              ? "yes" : "no");
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      double throughput;

      for (guint i = 0; i < sizes[s]; i++)
        {
          fake_server_reset (servers[i]);
          fake_server_config (servers[i], config);
        }
      elapsed = run_batch (servers, sizes[s], NULL, &made, &distinct);
      throughput = made / (elapsed / (double) G_USEC_PER_SEC);
      if (sizes[s] == 1)
        baseline = throughput;
      g_print ("servers_%u_seconds=%.2f\n", sizes[s], elapsed / (double) G_USEC_PER_SEC);
      g_print ("servers_%u_images=%u\n", sizes[s], made);
      g_print ("servers_%u_throughput_ratio=%.2f\n", sizes[s], throughput / baseline);
    }

  /* One of four dies a quarter of the way through. */
  for (guint i = 0; i < 4; i++)
    {
      fake_server_reset (servers[i]);
      fake_server_config (servers[i], config);
    }
  kill.victim = servers[3];
  elapsed = run_batch (servers, 4, &kill, &made, &distinct);
  g_print ("killed_one_of_4_seconds=%.2f\n", elapsed / (double) G_USEC_PER_SEC);
  g_print ("killed_one_of_4_images_made=%u\n", made);
  g_print ("killed_one_of_4_images_distinct=%u\n", distinct);

  for (guint i = 0; i < 4; i++)
    fake_server_stop (servers[i]);
  return made == N_IMAGES && distinct == N_IMAGES ? 0 : 1;
}
