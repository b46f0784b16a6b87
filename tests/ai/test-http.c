/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test"

#include "config.h"

#include <string.h>

#include "ai/reel-ai-error.h"
#include "ai/reel-http.h"
#include "ai-test-util.h"

/* The HTTP engine against the fake server: retries and their waits, timeouts, broken
 * connections, size caps, redirects, cancellation, connection reuse, concurrency. */

static FakeServer *server;

typedef struct
{
  ReelHttpClient *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fake_server_reset (server);
  fixture->client = reel_http_client_new ();
  /* Waits are recorded as the server asked; the test sleeps a hundredth of them. */
  reel_http_client_set_delay_scale (fixture->client, 0.01);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
}

static ReelHttpResponse *
send_sync (ReelHttpClient   *client,
           ReelHttpRequest  *request,
           GCancellable     *cancellable,
           GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  reel_http_client_send_async (client, request, cancellable, ai_test_store_result, &result);
  ai_test_wait_result (&result, 30000);
  return reel_http_client_send_finish (client, result, error);
}

static ReelHttpRequest *
openai_request (const char *key)
{
  g_autofree char *url = fake_server_url (server, "/v1/images/generations");
  g_autofree char *auth = g_strconcat ("Bearer ", key, NULL);
  ReelHttpRequest *request = reel_http_request_new ("POST", url);
  g_autoptr(JsonNode) body = json_from_string ("{\"model\":\"gpt-image-2\",\"prompt\":\"a quay "
                                               "at dawn\",\"size\":\"1024x1024\"}", NULL);

  reel_http_request_set_service (request, "OpenAI", "openai");
  reel_http_request_add_secret_header (request, "Authorization", auth);
  reel_http_request_set_json_body (request, body);
  return request;
}

static void
check_error_text (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 20);
  ai_test_assert_no_key (error->message);
}

static void
test_success_and_reuse (Fixture       *fixture,
                        gconstpointer  data)
{
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(ReelHttpRequest) request = openai_request (AI_TEST_KEY);
      g_autoptr(ReelHttpResponse) response = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) json = NULL;

      response = send_sync (fixture->client, request, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (reel_http_response_get_status (response), ==, 200);
      g_assert_cmpstr (reel_http_response_get_header (response, "content-type"), ==,
                       "application/json");
      json = reel_http_response_parse_json (response, &error);
      g_assert_no_error (error);
      g_assert_true (json_object_has_member (json_node_get_object (json), "data"));
      g_assert_cmpuint (reel_http_request_get_attempts (request), ==, 1);
    }

  /* Three requests, one connection: the engine keeps it open and reuses it. */
  g_assert_cmpuint (fake_server_connections (server), ==, 1);
}

/* A connection opened for an ordinary request is never used for a "Local only" one (it may
 * lead through a proxy, or to an address resolved without the rule); local-only requests do
 * reuse their own. */
static void
test_local_only_own_connections (Fixture       *fixture,
                                 gconstpointer  data)
{
  const gboolean local[] = { FALSE, TRUE, TRUE, FALSE };
  const guint connections_after[] = { 1, 2, 2, 2 };

  for (guint i = 0; i < G_N_ELEMENTS (local); i++)
    {
      g_autoptr(ReelHttpRequest) request = openai_request (AI_TEST_KEY);
      g_autoptr(ReelHttpResponse) response = NULL;
      g_autoptr(GError) error = NULL;

      reel_http_request_set_local_only (request, local[i]);
      response = send_sync (fixture->client, request, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (reel_http_response_get_status (response), ==, 200);
      g_assert_cmpuint (fake_server_connections (server), ==, connections_after[i]);
    }
}

static void
test_error_status_is_an_answer (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(ReelHttpRequest) request = openai_request ("sk-wrong-key-123456");
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = send_sync (fixture->client, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_http_response_get_status (response), ==, 401);
  /* 401 is not retried. */
  g_assert_cmpuint (reel_http_request_get_attempts (request), ==, 1);
}

typedef struct
{
  const char *form;
  gint64 min_wait;
  gint64 max_wait;
} RetryCase;

static void
test_retry_waits (Fixture       *fixture,
                  gconstpointer  data)
{
  const RetryCase *retry = data;
  g_autoptr(ReelHttpRequest) request = openai_request (AI_TEST_KEY);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fault = NULL;
  const gint64 *waits;
  guint n_waits = 0;

  fault = g_strdup_printf ("{\"fault\":\"rate-limit\",\"path\":\"/v1/images\",\"times\":2,"
                           "\"wait_form\":\"%s\",\"wait\":3}", retry->form);
  fake_server_fault (server, fault);

  response = send_sync (fixture->client, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_http_response_get_status (response), ==, 200);
  g_assert_cmpuint (reel_http_request_get_attempts (request), ==, 3);

  waits = reel_http_request_get_retry_waits (request, &n_waits);
  g_assert_cmpuint (n_waits, ==, 2);
  for (guint i = 0; i < n_waits; i++)
    {
      g_assert_cmpint (waits[i], >=, retry->min_wait);
      g_assert_cmpint (waits[i], <=, retry->max_wait);
    }
}

static void
test_server_error_then_success (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(ReelHttpRequest) request = openai_request (AI_TEST_KEY);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  const gint64 *waits;
  guint n_waits = 0;

  fake_server_fault (server, "{\"fault\":\"server-error\",\"path\":\"/v1/images\"}");
  response = send_sync (fixture->client, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_http_response_get_status (response), ==, 200);
  g_assert_cmpuint (reel_http_request_get_attempts (request), ==, 2);

  /* No wait given: exponential backoff with jitter, 375–500 ms for the first retry. */
  waits = reel_http_request_get_retry_waits (request, &n_waits);
  g_assert_cmpuint (n_waits, ==, 1);
  g_assert_cmpint (waits[0], >=, 375);
  g_assert_cmpint (waits[0], <=, 500);
}

static void
test_retries_give_up (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(ReelHttpRequest) request = openai_request (AI_TEST_KEY);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  const gint64 *waits;
  guint n_waits = 0;

  fake_server_fault (server, "{\"fault\":\"server-error\",\"path\":\"/v1/images\",\"times\":9}");
  response = send_sync (fixture->client, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_http_response_get_status (response), ==, 500);
  g_assert_cmpuint (reel_http_request_get_attempts (request), ==, REEL_HTTP_DEFAULT_MAX_ATTEMPTS);

  /* The backoff grows. */
  waits = reel_http_request_get_retry_waits (request, &n_waits);
  g_assert_cmpuint (n_waits, ==, REEL_HTTP_DEFAULT_MAX_ATTEMPTS - 1);
  g_assert_cmpint (waits[1], >=, 750);
  g_assert_cmpint (waits[2], >=, 1500);
}

static void
test_should_retry_header (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(ReelHttpRequest) request = openai_request (AI_TEST_KEY);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  /* A 503 would be retried, but the server says not to. */
  fake_server_fault (server, "{\"fault\":\"should-not-retry\",\"path\":\"/v1/images\"}");
  response = send_sync (fixture->client, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_http_response_get_status (response), ==, 503);
  g_assert_cmpuint (reel_http_request_get_attempts (request), ==, 1);
}

static void
test_wait_too_long (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(ReelHttpRequest) request = openai_request (AI_TEST_KEY);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  /* Asked to wait longer than the request allows: the 429 comes back for the provider to
   * explain, instead of a silent ten-minute hang. */
  reel_http_request_set_max_retry_wait (request, 5000);
  fake_server_fault (server, "{\"fault\":\"rate-limit\",\"path\":\"/v1/images\","
                             "\"wait_form\":\"retry-after\",\"wait\":600}");
  response = send_sync (fixture->client, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_http_response_get_status (response), ==, 429);
  g_assert_cmpuint (reel_http_request_get_attempts (request), ==, 1);
}

static void
test_idle_timeout (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(ReelHttpRequest) request = openai_request (AI_TEST_KEY);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  /* The answer would come after a minute: only the idle timeout ends the request early. */
  reel_http_request_set_idle_timeout (request, 400);
  fake_server_fault (server, "{\"fault\":\"slow\",\"path\":\"/v1/images\",\"delay\":60}");
  response = send_sync (fixture->client, request, NULL, &error);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_TIMEOUT);
  g_assert_null (response);
  check_error_text (error);
  g_assert_true (strstr (error->message, "OpenAI") != NULL);
  /* A POST that timed out may have been done by the server: not sent twice. */
  g_assert_cmpuint (reel_http_request_get_attempts (request), ==, 1);
}

static void
test_reset_mid_body_post (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(ReelHttpRequest) request = openai_request (AI_TEST_KEY);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  fake_server_fault (server, "{\"fault\":\"reset\",\"path\":\"/v1/images\"}");
  response = send_sync (fixture->client, request, NULL, &error);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NETWORK);
  check_error_text (error);
  g_assert_cmpuint (reel_http_request_get_attempts (request), ==, 1);
}

static void
test_reset_mid_body_get (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *url = fake_server_url (server, "/system_stats");
  g_autoptr(ReelHttpRequest) request = reel_http_request_new ("GET", url);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  /* A GET is idempotent: after a reset it is simply sent again. */
  fake_server_fault (server, "{\"fault\":\"reset\",\"path\":\"/system_stats\"}");
  response = send_sync (fixture->client, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_http_response_get_status (response), ==, 200);
  g_assert_cmpuint (reel_http_request_get_attempts (request), ==, 2);
}

static void
test_oversize (Fixture       *fixture,
               gconstpointer  data)
{
  gboolean chunked = GPOINTER_TO_INT (data);
  g_autoptr(ReelHttpRequest) request = openai_request (AI_TEST_KEY);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fault = NULL;

  reel_http_request_set_max_response_size (request, 1024 * 1024);
  fault = g_strdup_printf ("{\"fault\":\"oversize\",\"path\":\"/v1/images\",\"size\":4000000,"
                           "\"chunked\":%s}", chunked ? "true" : "false");
  fake_server_fault (server, fault);
  response = send_sync (fixture->client, request, NULL, &error);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_TOO_LARGE);
  check_error_text (error);
}

static void
test_redirect_scheme (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *location = data;
  g_autofree char *url = fake_server_url (server, "/system_stats");
  g_autoptr(ReelHttpRequest) request = reel_http_request_new ("GET", url);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fault = NULL;

  fault = g_strdup_printf ("{\"fault\":\"redirect\",\"path\":\"/system_stats\","
                           "\"location\":\"%s\"}", location);
  fake_server_fault (server, fault);
  response = send_sync (fixture->client, request, NULL, &error);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_UNSAFE_REDIRECT);
  check_error_text (error);
  g_assert_cmpuint (reel_http_request_get_attempts (request), ==, 1);
}

static void
test_redirect_drops_key_across_origins (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autofree char *url = fake_server_url (server, "/v1beta/files/abc:download?alt=media");
  g_autoptr(ReelHttpRequest) request = reel_http_request_new ("GET", url);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) owner = NULL;
  JsonArray *requests;
  JsonObject *storage;

  /* The API host redirects to storage on another host ("localhost"); the storage refuses a
   * request that carries the key, as a leak would. */
  reel_http_request_add_secret_header (request, "x-goog-api-key", AI_TEST_KEY);
  response = send_sync (fixture->client, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_http_response_get_status (response), ==, 200);
  g_assert_true (g_str_has_prefix (reel_http_response_get_url (response), "http://localhost:"));
  g_assert_cmpuint (g_bytes_get_size (reel_http_response_get_body (response)), >, 1000);

  requests = fake_server_requests (server, &owner);
  g_assert_cmpuint (json_array_get_length (requests), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (requests, 0),
                                                  "auth"), ==, "ok");
  storage = json_array_get_object_element (requests, 1);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (storage, "path"),
                                   "/_storage/"));
  g_assert_false (json_object_has_member (storage, "auth"));
}

static void
cancel_later (GCancellable *cancellable,
              guint         milliseconds)
{
  g_timeout_add_once (milliseconds, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
}

static void
test_cancel_mid_transfer (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(ReelHttpRequest) request = openai_request (AI_TEST_KEY);
  g_autoptr(ReelHttpRequest) after = openai_request (AI_TEST_KEY);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  /* The answer would come after a minute, with an image: only the cancel ends it early. */
  fake_server_fault (server, "{\"fault\":\"slow\",\"path\":\"/v1/images\",\"delay\":60}");
  cancel_later (cancellable, 200);
  response = send_sync (fixture->client, request, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (response);
  g_clear_error (&error);

  /* The engine is fine afterwards. */
  response = send_sync (fixture->client, after, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_http_response_get_status (response), ==, 200);
}

static void
test_cancel_during_retry_wait (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(ReelHttpRequest) request = openai_request (AI_TEST_KEY);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  /* 50,000 s asked, over 8 minutes at the test's scale: only the cancel ends the wait. */
  reel_http_request_set_max_retry_wait (request, 100 * 1000 * 1000);
  fake_server_fault (server, "{\"fault\":\"rate-limit\",\"path\":\"/v1/images\","
                             "\"wait_form\":\"retry-after\",\"wait\":50000}");
  cancel_later (cancellable, 150);
  response = send_sync (fixture->client, request, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (reel_http_request_get_attempts (request), ==, 1);
}

typedef struct
{
  guint pending;
  gint64 finished_at;
} Batch;

static void
on_batch_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Batch *batch = user_data;
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_http_response_get_status (response), ==, 200);
  if (--batch->pending == 0)
    batch->finished_at = g_get_monotonic_time ();
}

static gint64
run_batch (ReelHttpClient *client,
           guint           count)
{
  Batch batch = { count, 0 };
  gint64 start = g_get_monotonic_time ();
  gboolean done = FALSE;

  for (guint i = 0; i < count; i++)
    {
      g_autoptr(ReelHttpRequest) request = openai_request (AI_TEST_KEY);

      reel_http_client_send_async (client, request, NULL, on_batch_done, &batch);
    }

  while (!done)
    {
      g_main_context_iteration (NULL, TRUE);
      done = batch.pending == 0;
    }

  return batch.finished_at - start;
}

static void
test_pool_limit (Fixture       *fixture,
                 gconstpointer  data)
{
  gint64 limited;
  gint64 open;

  fake_server_config (server, "{\"latency\":1.0}");

  /* Four requests of a second, two at a time: two rounds. */
  reel_http_client_set_pool_limit (fixture->client, "openai", 2);
  limited = run_batch (fixture->client, 4);
  g_assert_cmpint (limited, >=, 1950 * 1000);

  /* Four at a time: one round (with room for a busy machine). */
  reel_http_client_set_pool_limit (fixture->client, "openai", 4);
  open = run_batch (fixture->client, 4);
  g_assert_cmpint (open, <, 1800 * 1000);
  fake_server_config (server, "{\"latency\":0}");
}

typedef struct
{
  const char *method;
  const char *path;
  const char *header;        /* "Name: value" or NULL */
  const char *content_type;
  const char *body;
  guint status;
  const char *answer_contains;
} Malformed;

/* The fake servers are only worth their tests if they refuse what the real ones refuse. */
static void
test_fake_server_is_strict (Fixture       *fixture,
                            gconstpointer  data)
{
  static const Malformed cases[] = {
    /* OpenAI: no key, a wrong key, a missing prompt, an unknown field, broken multipart. */
    { "POST", "/v1/images/generations", NULL, "application/json",
      "{\"model\":\"gpt-image-2\",\"prompt\":\"x\"}", 401, "didn't provide an API key" },
    { "POST", "/v1/images/generations", "Authorization: Bearer sk-other", "application/json",
      "{\"model\":\"gpt-image-2\",\"prompt\":\"x\"}", 401, "invalid_api_key" },
    { "POST", "/v1/images/generations", "Authorization: Bearer " AI_TEST_KEY,
      "application/json", "{\"model\":\"gpt-image-2\"}", 400, "missing_required_parameter" },
    { "POST", "/v1/images/generations", "Authorization: Bearer " AI_TEST_KEY,
      "application/json", "{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"seed\":1}", 400,
      "unknown_parameter" },
    { "POST", "/v1/images/generations", "Authorization: Bearer " AI_TEST_KEY,
      "application/json", "{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"size\":\"800x600\"}",
      400, "invalid_value" },
    { "POST", "/v1/images/edits", "Authorization: Bearer " AI_TEST_KEY,
      "multipart/form-data; boundary=XYZ", "--XYZ\r\nContent-Disposition: form-data\r\n\r\nx",
      400, "multipart" },
    /* One image sent as an array of one: the spec wants the file field `image`. */
    { "POST", "/v1/images/edits", "Authorization: Bearer " AI_TEST_KEY,
      "multipart/form-data; boundary=B",
      "--B\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nx\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"image[]\"; filename=\"a.png\"\r\n"
      "Content-Type: image/png\r\n\r\nPNG\r\n--B--\r\n", 400, "'image'" },
    /* Gemini: no key, a wrong key, an unknown field, no IMAGE modality, bad base64. */
    { "POST", "/v1beta/models/gemini-3-pro-image:generateContent", NULL, "application/json",
      "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}]}", 403, "PERMISSION_DENIED" },
    { "POST", "/v1beta/models/gemini-3-pro-image:generateContent",
      "x-goog-api-key: wrong", "application/json",
      "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}]}", 400, "API_KEY_INVALID" },
    { "POST", "/v1beta/models/gemini-3-pro-image:generateContent",
      "x-goog-api-key: " AI_TEST_KEY, "application/json",
      "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"seed\":4}", 400, "Unknown name" },
    { "POST", "/v1beta/models/gemini-3-pro-image:generateContent",
      "x-goog-api-key: " AI_TEST_KEY, "application/json",
      "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":"
      "{\"responseModalities\":[\"TEXT\"]}}", 400, "responseModalities" },
    { "POST", "/v1beta/models/gemini-3-pro-image:generateContent",
      "x-goog-api-key: " AI_TEST_KEY, "application/json",
      "{\"contents\":[{\"parts\":[{\"text\":\"x\"},{\"inlineData\":{\"mimeType\":"
      "\"image/png\",\"data\":\"not*base64\"}}]}],\"generationConfig\":"
      "{\"responseModalities\":[\"IMAGE\"]}}", 400, "Base64 decoding failed" },
    { "POST", "/v1beta/models/gemini-3-pro-image:generateContent",
      "x-goog-api-key: " AI_TEST_KEY, "application/json",
      "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":"
      "{\"responseModalities\":[\"IMAGE\"],\"imageConfig\":{\"imageSize\":\"2k\"}}}", 400,
      "Use 1K, 2K or 4K" },
    /* ComfyUI: no client_id, a placeholder left, an image never uploaded. */
    { "POST", "/prompt", NULL, "application/json",
      "{\"prompt\":{\"9\":{\"class_type\":\"SaveImage\",\"inputs\":{}}}}", 400, "client_id" },
    { "POST", "/prompt", NULL, "application/json",
      "{\"client_id\":\"c\",\"prompt\":{\"3\":{\"class_type\":\"KSampler\",\"inputs\":"
      "{\"seed\":\"{{seed}}\"}},\"9\":{\"class_type\":\"SaveImage\",\"inputs\":{}}}}", 400,
      "INT" },
    { "POST", "/api/prompt", NULL, "application/json",
      "{\"client_id\":\"c\",\"prompt\":{\"1\":{\"class_type\":\"LoadImage\",\"inputs\":"
      "{\"image\":\"nope.png\"}},\"9\":{\"class_type\":\"SaveImage\",\"inputs\":{}}}}", 400,
      "value_not_in_list" },
    { "POST", "/upload/image", NULL, "multipart/form-data; boundary=B",
      "--B\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\ninput\r\n--B--\r\n", 400,
      NULL },
    /* Veo, on Vertex AI only: more than one instance, an API key instead of an OAuth token,
     * a project the token may not use, an operation of another model, the retired Gemini
     * API route. */
    { "POST", "/v1/projects/storyreel-test/locations/us-central1/publishers/google/models/"
              "veo-3.1-generate-001:predictLongRunning",
      "Authorization: Bearer " AI_TEST_KEY, "application/json",
      "{\"instances\":[{\"prompt\":\"a\"},{\"prompt\":\"b\"}]}", 400, "one instance" },
    { "POST", "/v1/projects/storyreel-test/locations/us-central1/publishers/google/models/"
              "veo-3.1-generate-001:predictLongRunning",
      "x-goog-api-key: " AI_TEST_KEY, "application/json",
      "{\"instances\":[{\"prompt\":\"a\"}]}", 401, "UNAUTHENTICATED" },
    { "POST", "/v1/projects/another/locations/us-central1/publishers/google/models/"
              "veo-3.1-generate-001:predictLongRunning",
      "Authorization: Bearer " AI_TEST_KEY, "application/json",
      "{\"instances\":[{\"prompt\":\"a\"}]}", 403, "PERMISSION_DENIED" },
    { "POST", "/v1/projects/storyreel-test/locations/us-central1/publishers/google/models/"
              "veo-3.1-generate-001:fetchPredictOperation",
      "Authorization: Bearer " AI_TEST_KEY, "application/json",
      "{\"operationName\":\"projects/storyreel-test/locations/us-central1/publishers/google/"
      "models/veo-3.1-fast-generate-001/operations/1\"}", 400, "does not belong" },
    { "POST", "/v1beta/models/veo-3.1-generate-001:predictLongRunning",
      "x-goog-api-key: " AI_TEST_KEY, "application/json",
      "{\"instances\":[{\"prompt\":\"a\"}]}", 404, "NOT_FOUND" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = fake_server_url (server, cases[i].path);
      g_autoptr(ReelHttpRequest) request = reel_http_request_new (cases[i].method, url);
      g_autoptr(GBytes) body = g_bytes_new_static (cases[i].body, strlen (cases[i].body));
      g_autoptr(ReelHttpResponse) response = NULL;
      g_autoptr(GError) error = NULL;
      gsize length = 0;
      const char *answer;

      if (cases[i].header != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (cases[i].header, ": ", 2);

          reel_http_request_add_secret_header (request, parts[0], parts[1]);
        }
      reel_http_request_set_body (request, cases[i].content_type, body);
      response = send_sync (fixture->client, request, NULL, &error);
      g_assert_no_error (error);
      if (reel_http_response_get_status (response) != cases[i].status)
        g_error ("case %u (%s): %u, not %u", i, cases[i].path,
                 reel_http_response_get_status (response), cases[i].status);
      answer = g_bytes_get_data (reel_http_response_get_body (response), &length);
      if (cases[i].answer_contains != NULL
          && g_strstr_len (answer, (gssize) length, cases[i].answer_contains) == NULL)
        g_error ("case %u: the answer does not say “%s”", i, cases[i].answer_contains);
    }
}

static void
test_no_key_in_logs (void)
{
  /* Runs last: everything above logged through the capture. */
  g_assert_cmpuint (strlen (ai_test_captured_logs ()), >, 0);
  ai_test_assert_no_key (ai_test_captured_logs ());
}

int
main (int    argc,
      char **argv)
{
  static const RetryCase seconds = { "retry-after", 3000, 3000 };
  static const RetryCase date = { "retry-after-date", 1000, 3000 };
  static const RetryCase ms = { "retry-after-ms", 3000, 3000 };
  static const RetryCase none = { "none", 375, 1000 };
  int status;

  g_test_init (&argc, &argv, NULL);
  ai_test_capture_logs ();
  server = fake_server_start (NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/http/success-and-reuse", test_success_and_reuse, NULL);
  ADD ("/http/local-only-own-connections", test_local_only_own_connections, NULL);
  ADD ("/http/error-status-is-an-answer", test_error_status_is_an_answer, NULL);
  ADD ("/http/retry/retry-after-seconds", test_retry_waits, &seconds);
  ADD ("/http/retry/retry-after-date", test_retry_waits, &date);
  ADD ("/http/retry/retry-after-ms", test_retry_waits, &ms);
  ADD ("/http/retry/backoff", test_retry_waits, &none);
  ADD ("/http/retry/server-error-then-success", test_server_error_then_success, NULL);
  ADD ("/http/retry/give-up", test_retries_give_up, NULL);
  ADD ("/http/retry/x-should-retry", test_should_retry_header, NULL);
  ADD ("/http/retry/wait-too-long", test_wait_too_long, NULL);
  ADD ("/http/idle-timeout", test_idle_timeout, NULL);
  ADD ("/http/reset/post", test_reset_mid_body_post, NULL);
  ADD ("/http/reset/get", test_reset_mid_body_get, NULL);
  ADD ("/http/oversize/content-length", test_oversize, GINT_TO_POINTER (FALSE));
  ADD ("/http/oversize/chunked", test_oversize, GINT_TO_POINTER (TRUE));
  ADD ("/http/redirect/file", test_redirect_scheme, "file:///etc/passwd");
  ADD ("/http/redirect/ftp", test_redirect_scheme, "ftp://127.0.0.1/image.png");
  ADD ("/http/redirect/key-stays-home", test_redirect_drops_key_across_origins, NULL);
  ADD ("/http/cancel/mid-transfer", test_cancel_mid_transfer, NULL);
  ADD ("/http/cancel/retry-wait", test_cancel_during_retry_wait, NULL);
  ADD ("/http/pool-limit", test_pool_limit, NULL);
  ADD ("/http/fake-server-is-strict", test_fake_server_is_strict, NULL);
  g_test_add_func ("/zz/no-key-in-logs", test_no_key_in_logs);

  status = g_test_run ();
  g_clear_pointer (&server, fake_server_stop);
  return status;
}
