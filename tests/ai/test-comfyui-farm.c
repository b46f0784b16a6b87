/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test"

#include "config.h"

#include <string.h>

#include "ai/reel-ai-error.h"
#include "ai/reel-comfyui-farm.h"
#include "ai/reel-comfyui.h"
#include "ai-test-util.h"

/* The ComfyUI farm against several fake servers: each image on the server with the most
 * free capacity, a failing server skipped and its images redone elsewhere once, client-
 * chosen prompt ids, a prompt a restarted server forgot, and cancellation that touches only
 * our own prompts (the fakes' /interrupt stops whatever runs, as some servers do). */

#define N_SERVERS 3

static FakeServer *servers[N_SERVERS];
static ReelHttpClient *client;

static void
set_up (void)
{
  reel_comfyui_farm_reset ();
  for (guint i = 0; i < N_SERVERS; i++)
    if (servers[i] != NULL)
      fake_server_reset (servers[i]);
}

static ReelProvider *
make_farm (guint n_servers)
{
  g_autoptr(GError) error = NULL;
  ReelProvider *provider = reel_provider_new_for_id ("comfyui", &error);
  const char *urls[N_SERVERS + 1] = { NULL };

  g_assert_no_error (error);
  for (guint i = 0; i < n_servers; i++)
    urls[i] = servers[i]->base_url;
  reel_provider_set_http_client (provider, client);
  reel_provider_set_keyring_enabled (provider, FALSE);
  reel_comfyui_set_servers (REEL_COMFYUI (provider), urls);
  reel_comfyui_set_poll_interval (REEL_COMFYUI (provider), 30);
  return provider;
}

static ReelGenerationRequest *
make_request (guint count)
{
  ReelGenerationRequest *request = reel_generation_request_new ();

  request->kind = REEL_GENERATION_BACKGROUND;
  request->count = count;
  request->seed = 100;
  request->prompt = g_strdup ("Exterior: harbour, at dawn. Empty background plate.");
  request->aspect_ratio = 16.0 / 9.0;
  request->width = 512;
  request->height = 288;
  return request;
}

static void
generate_async (ReelProvider          *provider,
                ReelGenerationRequest *request,
                GCancellable          *cancellable,
                GAsyncResult         **result)
{
  reel_generator_generate_async (REEL_GENERATOR (provider), request, NULL, NULL, cancellable,
                                 ai_test_store_result, result);
}

static GPtrArray *
generate_finish (ReelProvider  *provider,
                 GAsyncResult **result,
                 GError       **error)
{
  ai_test_wait_result (result, 60000);
  return reel_generator_generate_finish (REEL_GENERATOR (provider), *result, error);
}

/* The /prompt bodies a server received. */
static GPtrArray *
prompts_on (FakeServer *server)
{
  g_autoptr(JsonNode) log = fake_server_log (server);
  JsonArray *requests = json_object_get_array_member (json_node_get_object (log), "requests");
  GPtrArray *bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);

      if (g_str_equal (json_object_get_string_member (request, "path"), "/prompt")
          && json_object_has_member (request, "json"))
        g_ptr_array_add (bodies,
                         json_object_ref (json_object_get_object_member (request, "json")));
    }
  return bodies;
}

static gint64
log_count (FakeServer *server,
           const char *member)
{
  g_autoptr(JsonNode) log = fake_server_log (server);

  return json_object_get_int_member (json_node_get_object (log), member);
}

/* Runs the main context until @server has received @n prompts. */
static void
wait_for_prompts (FakeServer *server,
                  guint       n)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GPtrArray) bodies = prompts_on (server);

      if (bodies->len >= n)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("the server never received %u prompts", n);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
}

static void
wait_for_count (FakeServer *server,
                const char *member,
                gint64      value)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (log_count (server, member) < value)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("%s never reached %" G_GINT64_FORMAT, member, value);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
}

static guint
distinct_seeds (GPtrArray *assets)
{
  g_autoptr(GHashTable) seeds = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; i < assets->len; i++)
    g_hash_table_add (seeds, &reel_asset_get_generation (g_ptr_array_index (assets, i))->seed);
  return g_hash_table_size (seeds);
}

/* Tests ----------------------------------------------------------------------------------- */

static void
test_choose (void)
{
  ReelComfyuiServer a = { .url = (char *) "a", .slots = 1 };
  ReelComfyuiServer b = { .url = (char *) "b", .slots = 1 };
  ReelComfyuiServer c = { .url = (char *) "c", .slots = 2 };
  ReelComfyuiServer *list[] = { &a, &b, &c };
  gint64 now = 1000;

  /* The most free capacity: c has two slots. */
  g_assert_cmpint (reel_comfyui_farm_choose (list, 3, NULL, now), ==, 2);
  c.in_flight = 1;
  /* A tie goes to the first listed. */
  g_assert_cmpint (reel_comfyui_farm_choose (list, 3, NULL, now), ==, 0);
  a.others = 1;   /* someone else's prompt is queued there */
  g_assert_cmpint (reel_comfyui_farm_choose (list, 3, NULL, now), ==, 1);
  /* Not where a unit just failed. */
  g_assert_cmpint (reel_comfyui_farm_choose (list, 3, &b, now), ==, 2);
  b.in_flight = 1;
  c.in_flight = 2;
  /* All full: wait. */
  g_assert_cmpint (reel_comfyui_farm_choose (list, 3, NULL, now), ==, -1);
  a.offline_until_us = b.offline_until_us = c.offline_until_us = now + 1;
  g_assert_cmpint (reel_comfyui_farm_choose (list, 3, NULL, now), ==, -2);
  /* Offline ends. */
  g_assert_cmpint (reel_comfyui_farm_choose (list, 3, NULL, now + 1), ==, -1);
}

/* Six images, three servers: two each, not six on the first (every image looks at the
 * farm when it is its turn, knowing what was already sent). */
static void
test_spread (void)
{
  g_autoptr(ReelProvider) provider = make_farm (3);
  g_autoptr(ReelProvider) other = make_farm (1);
  g_autoptr(ReelGenerationRequest) request = make_request (6);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) other_result = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GPtrArray) other_assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GRegex) uuid = g_regex_new ("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                        "[0-9a-f]{12}$", 0, 0, NULL);
  g_autoptr(GPtrArray) first_bodies = NULL;
  const char *client_id = NULL;

  set_up ();
  for (guint i = 0; i < 3; i++)
    fake_server_config (servers[i], "{\"comfy_duration\":0.3}");
  generate_async (provider, request, NULL, &result);
  assets = generate_finish (provider, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 6);
  g_assert_cmpuint (distinct_seeds (assets), ==, 6);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GPtrArray) bodies = prompts_on (servers[i]);

      g_assert_cmpuint (bodies->len, ==, 2);
      for (guint j = 0; j < bodies->len; j++)
        {
          JsonObject *body = g_ptr_array_index (bodies, j);
          const char *id = json_object_get_string_member (body, "prompt_id");

          /* Our own ids, lowercase UUIDs, never the same twice. */
          g_assert_true (g_regex_match (uuid, id, 0, NULL));
          g_assert_false (g_hash_table_contains (ids, id));
          g_hash_table_add (ids, (gpointer) g_intern_string (id));
          if (client_id == NULL)
            client_id = g_intern_string (json_object_get_string_member (body, "client_id"));
          g_assert_cmpstr (json_object_get_string_member (body, "client_id"), ==, client_id);
        }
    }

  /* One client id for the whole program, whichever provider object asks. */
  set_up ();
  generate_async (other, request, NULL, &other_result);
  other_assets = generate_finish (other, &other_result, &error);
  g_assert_no_error (error);
  first_bodies = prompts_on (servers[0]);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (first_bodies, 0),
                                                  "client_id"), ==, client_id);
}

/* Two jobs at once share the farm: four images on two servers, two each. */
static void
test_two_jobs_share (void)
{
  g_autoptr(ReelProvider) first = make_farm (2);
  g_autoptr(ReelProvider) second = make_farm (2);
  g_autoptr(ReelGenerationRequest) request = make_request (2);
  g_autoptr(GAsyncResult) first_result = NULL;
  g_autoptr(GAsyncResult) second_result = NULL;
  g_autoptr(GPtrArray) first_assets = NULL;
  g_autoptr(GPtrArray) second_assets = NULL;
  g_autoptr(GPtrArray) on_a = NULL;
  g_autoptr(GPtrArray) on_b = NULL;
  g_autoptr(GError) error = NULL;

  set_up ();
  for (guint i = 0; i < 2; i++)
    fake_server_config (servers[i], "{\"comfy_duration\":0.3}");
  generate_async (first, request, NULL, &first_result);
  generate_async (second, request, NULL, &second_result);
  first_assets = generate_finish (first, &first_result, &error);
  g_assert_no_error (error);
  second_assets = generate_finish (second, &second_result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first_assets->len + second_assets->len, ==, 4);

  on_a = prompts_on (servers[0]);
  on_b = prompts_on (servers[1]);
  g_assert_cmpuint (on_a->len, ==, 2);
  g_assert_cmpuint (on_b->len, ==, 2);
}

/* A server that refuses (HTTP 500 on /prompt) is skipped; its image is made elsewhere. */
static void
test_server_refuses (void)
{
  g_autoptr(ReelProvider) provider = make_farm (2);
  g_autoptr(ReelGenerationRequest) request = make_request (4);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) on_a = NULL;

  set_up ();
  reel_http_client_set_delay_scale (client, 0.001);
  fake_server_config (servers[0], "{\"comfy_duration\":0.1}");
  fake_server_fault (servers[1], "{\"fault\":\"server-error\",\"path\":\"/prompt\","
                                 "\"times\":100}");
  generate_async (provider, request, NULL, &result);
  assets = generate_finish (provider, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 4);
  g_assert_cmpuint (distinct_seeds (assets), ==, 4);
  on_a = prompts_on (servers[0]);
  g_assert_cmpuint (on_a->len, ==, 4);
}

/* A server that dies mid-batch: what it had is redone on the other, nothing twice. */
static void
test_server_killed (void)
{
  g_autoptr(FakeServer) doomed = fake_server_start (NULL);
  g_autoptr(ReelProvider) provider = NULL;
  g_autoptr(ReelGenerationRequest) request = make_request (6);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  const char *urls[3] = { servers[0]->base_url, doomed->base_url, NULL };

  set_up ();
  reel_http_client_set_delay_scale (client, 0.001);
  provider = make_farm (1);
  reel_comfyui_set_servers (REEL_COMFYUI (provider), urls);
  fake_server_config (servers[0], "{\"comfy_duration\":0.2}");
  fake_server_config (doomed, "{\"comfy_duration\":5}");
  generate_async (provider, request, NULL, &result);
  wait_for_prompts (doomed, 1);
  fake_server_kill (doomed);
  assets = generate_finish (provider, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 6);
  g_assert_cmpuint (distinct_seeds (assets), ==, 6);
}

/* Every server fails: each image is tried twice at most, then the job fails. */
static void
test_redone_once (void)
{
  g_autoptr(ReelProvider) provider = make_farm (2);
  g_autoptr(ReelGenerationRequest) request = make_request (1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  set_up ();
  reel_http_client_set_delay_scale (client, 0.001);
  for (guint i = 0; i < 2; i++)
    fake_server_fault (servers[i], "{\"fault\":\"server-error\",\"path\":\"/prompt\","
                                   "\"times\":100}");
  generate_async (provider, request, NULL, &result);
  assets = generate_finish (provider, &result, &error);
  g_assert_null (assets);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_SERVER);

  /* One image: one prompt id per try, two tries, one on each server. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GPtrArray) bodies = prompts_on (servers[i]);

      g_assert_cmpuint (bodies->len, >=, 1);
      for (guint j = 0; j < bodies->len; j++)
        g_hash_table_add (ids, (gpointer) g_intern_string (json_object_get_string_member (
                                 g_ptr_array_index (bodies, j), "prompt_id")));
    }
  g_assert_cmpuint (g_hash_table_size (ids), ==, 2);
}

/* A prompt that a restarted server forgot (neither queued nor in the history) is an error
 * once the wait is over, not polled forever. */
static void
test_forgotten_prompt (void)
{
  g_autoptr(ReelProvider) provider = make_farm (1);
  g_autoptr(ReelGenerationRequest) request = make_request (1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;

  set_up ();
  reel_comfyui_set_vanish_timeout (REEL_COMFYUI (provider), 300);
  fake_server_config (servers[0], "{\"comfy_duration\":30}");
  generate_async (provider, request, NULL, &result);
  wait_for_prompts (servers[0], 1);
  g_free (fake_server_control_post (servers[0], "/_control/forget", "{}"));
  assets = generate_finish (provider, &result, &error);
  g_assert_null (assets);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "restarted"));
}

/* Someone else's prompt runs; ours waits behind it. Cancel takes ours off the queue and
 * leaves theirs alone (this fake's /interrupt would stop theirs). */
static void
test_cancel_leaves_others (void)
{
  g_autoptr(ReelProvider) provider = make_farm (1);
  g_autoptr(ReelGenerationRequest) request = make_request (1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;

  set_up ();
  g_free (fake_server_control_post (servers[0], "/_control/foreign", "{\"duration\":20}"));
  /* Room for ours beside theirs, so ours is sent and waits in the server's queue. */
  reel_comfyui_set_slots (REEL_COMFYUI (provider), 2);
  generate_async (provider, request, cancellable, &result);
  wait_for_prompts (servers[0], 1);
  g_cancellable_cancel (cancellable);
  assets = generate_finish (provider, &result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  reel_comfyui_flush_cancels (10000);

  g_assert_cmpint (log_count (servers[0], "deleted"), ==, 1);
  g_assert_cmpint (log_count (servers[0], "interrupts"), ==, 0);
  g_assert_cmpint (log_count (servers[0], "interrupted_foreign"), ==, 0);
}

/* Ours runs: it is interrupted by name. On a server with /api/jobs, that is used instead. */
static void
test_cancel_running (void)
{
  for (guint jobs_api = 0; jobs_api < 2; jobs_api++)
    {
      g_autoptr(ReelProvider) provider = make_farm (1);
      g_autoptr(ReelGenerationRequest) request = make_request (1);
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) assets = NULL;
      g_autoptr(GError) error = NULL;

      set_up ();
      fake_server_config (servers[0], jobs_api ? "{\"comfy_duration\":20,\"jobs_api\":true}"
                                               : "{\"comfy_duration\":20}");
      generate_async (provider, request, cancellable, &result);
      wait_for_prompts (servers[0], 1);
      g_cancellable_cancel (cancellable);
      assets = generate_finish (provider, &result, &error);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      reel_comfyui_flush_cancels (10000);

      if (jobs_api)
        {
          wait_for_count (servers[0], "jobs_cancelled", 1);
          g_assert_cmpint (log_count (servers[0], "interrupts"), ==, 0);
        }
      else
        {
          wait_for_count (servers[0], "interrupts", 1);
          g_assert_cmpint (log_count (servers[0], "deleted"), ==, 0);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < N_SERVERS; i++)
    servers[i] = fake_server_start (NULL);
  client = reel_http_client_new ();

  g_test_add_func ("/comfyui-farm/choose", test_choose);
  g_test_add_func ("/comfyui-farm/spread", test_spread);
  g_test_add_func ("/comfyui-farm/two-jobs-share", test_two_jobs_share);
  g_test_add_func ("/comfyui-farm/server-refuses", test_server_refuses);
  g_test_add_func ("/comfyui-farm/server-killed", test_server_killed);
  g_test_add_func ("/comfyui-farm/redone-once", test_redone_once);
  g_test_add_func ("/comfyui-farm/forgotten-prompt", test_forgotten_prompt);
  g_test_add_func ("/comfyui-farm/cancel-leaves-others", test_cancel_leaves_others);
  g_test_add_func ("/comfyui-farm/cancel-running", test_cancel_running);

  status = g_test_run ();
  g_clear_object (&client);
  for (guint i = 0; i < N_SERVERS; i++)
    g_clear_pointer (&servers[i], fake_server_stop);
  return status;
}
