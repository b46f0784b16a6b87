/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "ai/reel-ai-error.h"
#include "ai/reel-comfyui-farm.h"
#include "ai/reel-comfyui.h"
#include "ai/reel-gemini.h"
#include "ai/reel-greybox.h"
#include "ai/reel-models.h"
#include "ai/reel-openai.h"
#include "ai/reel-seedream.h"
#include "ai/reel-veo.h"
#include "ai/reel-wan.h"
#include "ai-test-util.h"
#include "../reel-test-require.h"

/* Every remote provider against the fake servers: what it sends (checked by the server,
 * which rejects anything off-protocol, and by its log), what it makes of the answers, and
 * how each fault reaches the user. No key ever shows in an error or a log. */

static FakeServer *server;
static ReelHttpClient *client;

typedef struct
{
  const char *fault;
  ReelAiError code;
  const char *mention;
} FaultCase;

static ReelProvider *
make_provider (const char *id)
{
  g_autoptr(GError) error = NULL;
  ReelProvider *provider = reel_provider_new_for_id (id, &error);

  g_assert_no_error (error);
  reel_provider_set_http_client (provider, client);
  reel_provider_set_api_key (provider, AI_TEST_KEY);
  reel_provider_set_idle_timeout (provider, 10000);

  if (g_str_equal (id, "openai"))
    {
      g_autofree char *url = fake_server_url (server, "/v1");

      reel_provider_set_endpoint (provider, url);
    }
  else if (g_str_equal (id, "seedream"))
    {
      g_autofree char *url = fake_server_url (server, "/api/v3");

      reel_provider_set_endpoint (provider, url);
    }
  else if (g_str_equal (id, "wan"))
    {
      reel_provider_set_endpoint (provider, server->base_url);
      reel_wan_set_poll_interval (REEL_WAN (provider), 20);
    }
  else if (g_str_equal (id, "veo"))
    {
      reel_provider_set_endpoint (provider, server->base_url);
      reel_veo_trust_origin_for_tests (REEL_VEO (provider), server->base_url);
      /* The project the fake server's token may use. */
      reel_veo_set_project (REEL_VEO (provider), "storyreel-test");
      reel_veo_set_poll_interval (REEL_VEO (provider), 20);
    }
  else if (g_str_equal (id, "comfyui"))
    {
      const char *servers[] = { server->base_url, NULL };

      reel_comfyui_set_servers (REEL_COMFYUI (provider), servers);
      reel_comfyui_set_poll_interval (REEL_COMFYUI (provider), 30);
    }
  else
    {
      reel_provider_set_endpoint (provider, server->base_url);
    }

  return provider;
}

static ReelAsset *
png_asset (int     width,
           int     height,
           guint32 rgba)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize size = 0;
  ReelAsset *asset;

  gdk_pixbuf_fill (pixbuf, rgba);
  gdk_pixbuf_save_to_buffer (pixbuf, &data, &size, "png", &error, NULL);
  g_assert_no_error (error);
  bytes = g_bytes_new (data, size);
  asset = reel_asset_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  return asset;
}

/* A project file's media as a lazy asset sees it: each read hands out a copy of the bytes,
 * and the copies still alive are counted, so a test can tell who keeps them. */
#define TEST_TYPE_MEDIA_SOURCE (test_media_source_get_type ())
G_DECLARE_FINAL_TYPE (TestMediaSource, test_media_source, TEST, MEDIA_SOURCE, GObject)

struct _TestMediaSource
{
  GObject parent_instance;

  GBytes *bytes;
};

static void test_media_source_iface_init (ReelAssetSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestMediaSource, test_media_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REEL_TYPE_ASSET_SOURCE,
                                                      test_media_source_iface_init))

static gint copies_read;
static gint copies_alive;

static void
copy_freed (gpointer data)
{
  g_free (data);
  g_atomic_int_add (&copies_alive, -1);
}

static GBytes *
test_media_source_read (ReelAssetSource  *source,
                        const char       *hash,
                        GCancellable     *cancellable,
                        GError          **error)
{
  TestMediaSource *self = TEST_MEDIA_SOURCE (source);
  gsize size = 0;
  const void *data = g_bytes_get_data (self->bytes, &size);
  gpointer copy = g_memdup2 (data, size);

  g_atomic_int_inc (&copies_read);
  g_atomic_int_inc (&copies_alive);
  return g_bytes_new_with_free_func (copy, size, copy_freed, copy);
}

static gboolean
test_media_source_write_to (ReelAssetSource  *source,
                            const char       *hash,
                            GOutputStream    *out,
                            GCancellable     *cancellable,
                            GError          **error)
{
  return g_output_stream_write_bytes (out, TEST_MEDIA_SOURCE (source)->bytes, cancellable,
                                      error) >= 0;
}

static void
test_media_source_iface_init (ReelAssetSourceInterface *iface)
{
  iface->read = test_media_source_read;
  iface->write_to = test_media_source_write_to;
}

static void
test_media_source_finalize (GObject *object)
{
  g_bytes_unref (TEST_MEDIA_SOURCE (object)->bytes);
  G_OBJECT_CLASS (test_media_source_parent_class)->finalize (object);
}

static void
test_media_source_class_init (TestMediaSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_media_source_finalize;
}

static void
test_media_source_init (TestMediaSource *self)
{
}

/* @asset as it is after a project is opened: its bytes stay in the file until read. */
static ReelAsset *
lazy_copy (ReelAsset *asset)
{
  g_autoptr(TestMediaSource) source = g_object_new (TEST_TYPE_MEDIA_SOURCE, NULL);

  source->bytes = g_bytes_ref (reel_asset_get_data (asset));
  return reel_asset_new_lazy (REEL_ASSET_SOURCE (source), reel_asset_get_mime_type (asset),
                              reel_asset_get_width (asset), reel_asset_get_height (asset),
                              g_bytes_get_size (source->bytes), reel_asset_get_hash (asset),
                              NULL);
}

static ReelGenerationRequest *
make_request (ReelGenerationKind kind,
              guint              count)
{
  ReelGenerationRequest *request = reel_generation_request_new ();

  request->kind = kind;
  request->count = count;
  request->prompt = g_strdup ("Exterior: harbour, at dawn. Wide shot. Empty background plate, "
                              "no people.");
  request->negative_prompt = g_strdup ("people, text");
  request->aspect_ratio = 16.0 / 9.0;
  request->width = 1344;
  request->height = 752;
  if (kind == REEL_GENERATION_ANGLE)
    {
      request->angle_id = g_strdup ("low");
      request->background = png_asset (64, 36, 0x406080ff);
      request->look = png_asset (32, 32, 0xa08060ff);
    }
  return request;
}

typedef struct
{
  guint calls;
  double last_fraction;
} Progress;

static void
on_progress (double      fraction,
             const char *status,
             gpointer    user_data)
{
  Progress *progress = user_data;

  progress->calls++;
  progress->last_fraction = fraction;
  if (status != NULL)
    ai_test_assert_no_key (status);
}

static GPtrArray *
generate_sync (ReelProvider           *provider,
               ReelGenerationRequest  *request,
               GCancellable           *cancellable,
               Progress               *progress,
               GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GPtrArray *assets;

  reel_generator_generate_async (REEL_GENERATOR (provider), request,
                                 progress != NULL ? on_progress : NULL, progress, cancellable,
                                 ai_test_store_result, &result);
  ai_test_wait_result (&result, 30000);
  assets = reel_generator_generate_finish (REEL_GENERATOR (provider), result, error);
  if (error != NULL && *error != NULL)
    {
      g_assert_nonnull ((*error)->message);
      ai_test_assert_no_key ((*error)->message);
      g_test_message ("error: %s", (*error)->message);
    }
  return assets;
}

static char *
check_sync (ReelProvider  *provider,
            GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  reel_generator_check_async (REEL_GENERATOR (provider), NULL, ai_test_store_result, &result);
  ai_test_wait_result (&result, 30000);
  return reel_generator_check_finish (REEL_GENERATOR (provider), result, error);
}

static void
expect_error (const char *provider_id,
              const char *fault,
              ReelAiError code,
              const char *must_mention)
{
  g_autoptr(ReelProvider) provider = make_provider (provider_id);
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;

  fake_server_reset (server);
  if (fault != NULL)
    fake_server_fault (server, fault);
  reel_provider_set_idle_timeout (provider, 500);
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_null (assets);
  g_assert_error (error, REEL_AI_ERROR, (gint) code);
  /* Every message names the provider. */
  g_assert_nonnull (strstr (error->message, reel_provider_get_display_name (provider)));
  if (must_mention != NULL && strstr (error->message, must_mention) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, must_mention);
}

static guint
count_requests (const char *path_part)
{
  return fake_server_count_requests (server, path_part);
}

/* The logged request whose path contains @path_part, @index-th of them (a new reference). */
static JsonObject *
find_request (JsonNode  **owner,
              const char *path_part,
              guint       index)
{
  JsonArray *requests = fake_server_requests (server, owner);

  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);

      if (strstr (json_object_get_string_member (request, "path"), path_part) != NULL
          && index-- == 0)
        return request;
    }

  g_error ("no request %s", path_part);
  return NULL;
}

/* Whether @logged, a string as the fake server logs it (a long one as its length and the
 * SHA-256 of its text), is exactly @expected. */
static void
assert_logged_string (const char *logged,
                      const char *expected)
{
  if (strlen (expected) > 512)
    {
      g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, expected, -1);
      g_autofree char *summary = g_strdup_printf ("<%zu chars sha256:%s>", strlen (expected),
                                                  digest);

      g_assert_cmpstr (logged, ==, summary);
    }
  else
    {
      g_assert_cmpstr (logged, ==, expected);
    }
}

static void
assert_record (ReelAsset             *asset,
               const char            *provider,
               ReelGenerationRequest *request,
               gint64                 seed)
{
  ReelGenerationRecord *record = reel_asset_get_generation (asset);
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", server->port);

  g_assert_nonnull (record);
  g_assert_cmpstr (record->provider, ==, provider);
  g_assert_nonnull (record->model);
  g_assert_cmpstr (record->endpoint_host, ==, host);
  g_assert_cmpstr (record->prompt, ==, request->prompt);
  g_assert_cmpint (record->seed, ==, seed);
  g_assert_cmpstr (record->kind, ==, reel_generation_kind_to_string (request->kind));
  g_assert_cmpint (record->duration_ms, >=, 0);
  g_assert_cmpint (record->created_us, >, 0);
  if (record->parameters != NULL)
    ai_test_assert_no_key (record->parameters);
}

static void
set_up (void)
{
  fake_server_reset (server);
}

static gboolean
heartbeat_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @condition holds (a state of the server or of a task); the
 * generous deadline only fails a stuck test. */
static void
wait_until (gboolean (*condition) (gpointer data),
            gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint heartbeat = g_timeout_add (20, heartbeat_cb, NULL);

  while (!condition (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (heartbeat);
}

static void
store_status (double      fraction,
              const char *status,
              gpointer    user_data)
{
  char **last = user_data;

  g_free (*last);
  *last = g_strdup (status);
}

/* Starts @request, cancels it once @started holds (a state of the fake server, or of the
 * job's last status, which @started gets as a `char **`), and gives the error the task
 * ended with: the task can only end through the cancel when the server would take an
 * hour. */
static GError *
generate_then_cancel (ReelProvider          *provider,
                      ReelGenerationRequest *request,
                      gboolean             (*started) (gpointer data))
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autofree char *status = NULL;
  GError *error = NULL;

  reel_generator_generate_async (REEL_GENERATOR (provider), request, store_status, &status,
                                 cancellable, ai_test_store_result, &result);
  wait_until (started, &status);
  g_cancellable_cancel (cancellable);
  ai_test_wait_result (&result, 60000);
  assets = reel_generator_generate_finish (REEL_GENERATOR (provider), result, &error);
  g_assert_null (assets);
  return error;
}

/* OpenAI ------------------------------------------------------------------------------------ */

static void
test_openai_generations (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("openai");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 2);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) owner = NULL;
  JsonObject *logged;
  JsonObject *body;
  ReelGenerationRecord *record;

  set_up ();
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 2);
  for (guint i = 0; i < assets->len; i++)
    {
      ReelAsset *asset = g_ptr_array_index (assets, i);

      g_assert_cmpstr (reel_asset_get_mime_type (asset), ==, REEL_MIME_PNG);
      g_assert_cmpint (reel_asset_get_width (asset), ==, 384);
      assert_record (asset, "openai", request, -1);
    }
  record = reel_asset_get_generation (g_ptr_array_index (assets, 0));
  g_assert_cmpstr (record->model, ==, "gpt-image-2");
  /* OpenAI takes no negative prompt, so none is recorded. */
  g_assert_null (record->negative_prompt);
  g_assert_nonnull (strstr (record->parameters, "\"size\":\"1536x1024\""));

  logged = find_request (&owner, "/v1/images/generations", 0);
  g_assert_cmpstr (json_object_get_string_member (logged, "auth"), ==, "ok");
  body = json_object_get_object_member (logged, "json");
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "gpt-image-2");
  g_assert_cmpstr (json_object_get_string_member (body, "prompt"), ==, request->prompt);
  g_assert_cmpint (json_object_get_int_member (body, "n"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (body, "size"), ==, "1536x1024");
}

static void
test_openai_edits (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("openai");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_ANGLE, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) owner = NULL;
  JsonObject *logged;
  JsonArray *images;
  JsonObject *form;
  ReelGenerationRecord *record;

  set_up ();
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 1);
  assert_record (g_ptr_array_index (assets, 0), "openai", request, -1);
  record = reel_asset_get_generation (g_ptr_array_index (assets, 0));
  g_assert_cmpstr (record->angle_id, ==, "low");
  /* The references sent are in the provenance. */
  g_assert_cmpuint (g_strv_length (record->input_hashes), ==, 2);
  g_assert_cmpstr (record->input_hashes[0], ==, reel_asset_get_hash (request->background));
  g_assert_cmpstr (record->input_hashes[1], ==, reel_asset_get_hash (request->look));

  logged = find_request (&owner, "/v1/images/edits", 0);
  g_assert_false (json_object_has_member (logged, "multipart_error"));
  images = json_object_get_array_member (logged, "images");
  g_assert_cmpuint (json_array_get_length (images), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *image = json_array_get_object_element (images, i);

      g_assert_cmpstr (json_object_get_string_member (image, "name"), ==, "image[]");
      g_assert_cmpstr (json_object_get_string_member (image, "content_type"), ==, "image/png");
    }
  form = json_object_get_object_member (logged, "form");
  g_assert_cmpstr (json_object_get_string_member (form, "prompt"), ==, request->prompt);
  g_assert_cmpstr (json_object_get_string_member (form, "input_fidelity"), ==, "high");
  g_assert_cmpstr (json_object_get_string_member (form, "n"), ==, "1");
}

/* One reference is the file field `image`, as the published spec has it; the fake rejects a
 * lone `image[]` as OpenAI does. */
static void
test_openai_edit_single_image (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("openai");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) owner = NULL;
  JsonArray *images;

  set_up ();
  request->look = png_asset (32, 32, 0xa08060ff);
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 1);

  images = json_object_get_array_member (find_request (&owner, "/images/edits", 0), "images");
  g_assert_cmpuint (json_array_get_length (images), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (images, 0),
                                                  "name"), ==, "image");
}

static void
test_openai_no_key (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("openai");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;

  set_up ();
  g_unsetenv ("STORYREEL_OPENAI_API_KEY");
  reel_provider_set_api_key (provider, NULL);
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NO_KEY);
  g_assert_nonnull (strstr (error->message, "STORYREEL_OPENAI_API_KEY"));
  g_assert_nonnull (strstr (error->message, "Preferences"));
  /* Nothing was sent without a key. */
  g_assert_cmpuint (count_requests ("/v1/"), ==, 0);
}

static void
test_openai_key_from_environment (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("openai");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;

  set_up ();
  reel_provider_set_api_key (provider, NULL);
  g_setenv ("STORYREEL_OPENAI_API_KEY", AI_TEST_KEY, TRUE);
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_unsetenv ("STORYREEL_OPENAI_API_KEY");
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 1);
}

static void
test_openai_wrong_key (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("openai");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;

  set_up ();
  reel_provider_set_api_key (provider, "sk-wrong-0123456789abcdef");
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "Preferences → OpenAI"));
  g_assert_null (strstr (error->message, "sk-wrong-0123456789abcdef"));
  g_assert_cmpuint (count_requests ("/v1/images"), ==, 1);
}

static void
test_openai_quota_not_retried (void)
{
  expect_error ("openai", "{\"fault\":\"insufficient-quota\",\"path\":\"/v1/images\",\"times\":5}",
                REEL_AI_ERROR_QUOTA, "quota");
  g_assert_cmpuint (count_requests ("/v1/images"), ==, 1);
}

static void
test_openai_moderation (void)
{
  expect_error ("openai", "{\"fault\":\"safety\",\"path\":\"/v1/images\",\"times\":5}",
                REEL_AI_ERROR_BLOCKED, "safety system");
  g_assert_cmpuint (count_requests ("/v1/images"), ==, 1);
}

static void
test_openai_rate_limit_then_success (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("openai");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;

  set_up ();
  fake_server_fault (server, "{\"fault\":\"rate-limit\",\"path\":\"/v1/images\","
                             "\"wait_form\":\"retry-after-ms\",\"wait\":1}");
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 1);
  g_assert_cmpuint (count_requests ("/v1/images"), ==, 2);
}

static void
test_openai_rate_limit_exhausted (void)
{
  expect_error ("openai", "{\"fault\":\"rate-limit\",\"path\":\"/v1/images\",\"times\":9,"
                          "\"wait_form\":\"retry-after\",\"wait\":1}",
                REEL_AI_ERROR_RATE_LIMITED, "Rate limit reached");
  g_assert_cmpuint (count_requests ("/v1/images"), ==, REEL_HTTP_DEFAULT_MAX_ATTEMPTS);
}

static void
test_openai_server_error_then_success (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("openai");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;

  set_up ();
  fake_server_fault (server, "{\"fault\":\"server-error\",\"path\":\"/v1/images\"}");
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 1);
}

static void
test_openai_faults (gconstpointer data)
{
  const FaultCase *fault = data;

  set_up ();
  expect_error ("openai", fault->fault, fault->code, fault->mention);
}

static void
test_openai_check (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("openai");
  g_autoptr(ReelProvider) unknown = make_provider ("openai");
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *nothing = NULL;

  set_up ();
  answer = check_sync (provider, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (answer, "gpt-image-2"));
  ai_test_assert_no_key (answer);

  reel_provider_set_model (unknown, "gpt-nonexistent");
  nothing = check_sync (unknown, &error);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_MODEL_NOT_FOUND);
  ai_test_assert_no_key (error->message);
}

static void
test_local_only (void)
{
  g_autoptr(ReelProvider) local = make_provider ("openai");
  g_autoptr(ReelProvider) remote = make_provider ("openai");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GError) error = NULL;

  set_up ();
  reel_provider_set_local_only (local, TRUE);
  assets = generate_sync (local, request, NULL, NULL, &error);
  g_assert_no_error (error);

  reel_provider_set_local_only (remote, TRUE);
  reel_provider_set_endpoint (remote, "https://8.8.8.8/v1");
  refused = generate_sync (remote, request, NULL, NULL, &error);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NOT_LOCAL);
  g_assert_nonnull (strstr (error->message, "Local only"));
}

/* Seedream ----------------------------------------------------------------------------------- */

typedef struct
{
  GPtrArray *statuses;
} StatusLog;

static void
on_status (double      fraction,
           const char *status,
           gpointer    user_data)
{
  StatusLog *log = user_data;

  if (status != NULL)
    g_ptr_array_add (log->statuses, g_strdup (status));
}

static GPtrArray *
generate_with_statuses (ReelProvider           *provider,
                        ReelGenerationRequest  *request,
                        StatusLog              *log,
                        GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  reel_generator_generate_async (REEL_GENERATOR (provider), request, on_status, log, NULL,
                                 ai_test_store_result, &result);
  ai_test_wait_result (&result, 30000);
  return reel_generator_generate_finish (REEL_GENERATOR (provider), result, error);
}

/* Variants of one shot: one set of related images, as b64_json, without the watermark. */
static void
test_seedream_set (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("seedream");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 3);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) owner = NULL;
  JsonObject *logged;
  JsonObject *body;

  set_up ();
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 3);
  for (guint i = 0; i < assets->len; i++)
    assert_record (g_ptr_array_index (assets, i), "seedream", request, -1);

  g_assert_cmpuint (count_requests ("/images/generations"), ==, 1);
  logged = find_request (&owner, "/api/v3/images/generations", 0);
  g_assert_cmpstr (json_object_get_string_member (logged, "auth"), ==, "ok");
  body = json_object_get_object_member (logged, "json");
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "seedream-4-5-251128");
  g_assert_cmpstr (json_object_get_string_member (body, "size"), ==, "2560x1440");
  g_assert_cmpstr (json_object_get_string_member (body, "response_format"), ==, "b64_json");
  g_assert_false (json_object_get_boolean_member (body, "watermark"));
  g_assert_cmpstr (json_object_get_string_member (body, "sequential_image_generation"), ==,
                   "auto");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     body, "sequential_image_generation_options"), "max_images"), ==, 3);
  g_assert_false (json_object_has_member (body, "image"));
  g_assert_false (json_object_has_member (body, "n"));
}

/* References go as data URLs: one as a string, several as an array. */
static void
test_seedream_references (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("seedream");
  g_autoptr(ReelGenerationRequest) angle = make_request (REEL_GENERATION_ANGLE, 1);
  g_autoptr(ReelGenerationRequest) single = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GPtrArray) more = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) owner = NULL;
  JsonObject *body;
  JsonNode *image;

  set_up ();
  angle->sketch = png_asset (64, 36, 0xffffffff);
  assets = generate_sync (provider, angle, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 1);
  body = json_object_get_object_member (find_request (&owner, "/images/generations", 0),
                                        "json");
  image = json_object_get_member (body, "image");
  g_assert_true (JSON_NODE_HOLDS_ARRAY (image));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (image)), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (body, "sequential_image_generation"), ==,
                   "disabled");
  g_clear_pointer (&owner, json_node_unref);

  single->look = png_asset (32, 32, 0xa08060ff);
  more = generate_sync (provider, single, NULL, NULL, &error);
  g_assert_no_error (error);
  body = json_object_get_object_member (find_request (&owner, "/images/generations", 1),
                                        "json");
  g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (body, "image")));
}

/* One image of the set fails inside data[]: the others are kept, the failure is told. */
static void
test_seedream_partial (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("seedream");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 3);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  StatusLog log = { g_ptr_array_new_with_free_func (g_free) };
  gboolean told = FALSE;

  set_up ();
  fake_server_fault (server, "{\"fault\":\"partial\",\"path\":\"/images/generations\","
                             "\"index\":1}");
  assets = generate_with_statuses (provider, request, &log, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 2);
  for (guint i = 0; i < log.statuses->len; i++)
    if (strstr (g_ptr_array_index (log.statuses, i), "of 3") != NULL
        && strstr (g_ptr_array_index (log.statuses, i), "sensitive") != NULL)
      told = TRUE;
  g_assert_true (told);
  g_ptr_array_unref (log.statuses);
}

static void
test_seedream_retired_model (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("seedream");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;

  set_up ();
  reel_provider_set_model (provider, "seedream-3-0-t2i-250415");
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_MODEL_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "seedream-3-0-t2i-250415"));
  g_assert_nonnull (strstr (error->message, "Seedream"));
}

static void
test_seedream_wrong_key (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("seedream");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;

  set_up ();
  reel_provider_set_api_key (provider, "ark-wrong-key");
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_AUTH);
  g_assert_null (strstr (error->message, "ark-wrong-key"));
}

/* The region decides address and model, unless the user chose them; the watermark is off
 * unless asked for. */
static void
test_seedream_region (void)
{
  g_autoptr(ReelProvider) plain = NULL;
  g_autoptr(ReelProvider) chosen = NULL;
  g_autoptr(ReelProvider) marked = make_provider ("seedream");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) owner = NULL;

  plain = reel_provider_new_for_id ("seedream", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reel_provider_get_endpoint (plain), ==,
                   "https://ark.ap-southeast.bytepluses.com/api/v3");
  reel_seedream_set_region (REEL_SEEDREAM (plain), REEL_SEEDREAM_REGION_VOLCENGINE);
  g_assert_cmpstr (reel_provider_get_endpoint (plain), ==,
                   "https://ark.cn-beijing.volces.com/api/v3");
  g_assert_cmpstr (reel_provider_get_model (plain), ==, "doubao-seedream-4-5-251128");

  chosen = reel_provider_new_for_id ("seedream", &error);
  reel_provider_set_model (chosen, "ep-20261201-abcde");
  reel_seedream_set_region (REEL_SEEDREAM (chosen), REEL_SEEDREAM_REGION_VOLCENGINE);
  g_assert_cmpstr (reel_provider_get_model (chosen), ==, "ep-20261201-abcde");

  set_up ();
  reel_seedream_set_watermark (REEL_SEEDREAM (marked), TRUE);
  assets = generate_sync (marked, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (
                   find_request (&owner, "/images/generations", 0), "json"), "watermark"));
}

/* Wan ---------------------------------------------------------------------------------------- */

static gboolean
logged_header (JsonObject *logged,
               const char *name)
{
  JsonArray *headers = json_object_get_array_member (logged, "headers");

  for (guint i = 0; i < json_array_get_length (headers); i++)
    if (g_str_equal (json_array_get_string_element (headers, i), name))
      return TRUE;
  return FALSE;
}

/* An asynchronous task: started, polled until it succeeds, results fetched without the key
 * (the fake storage refuses a request that carries one). */
static void
test_wan_images (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("wan");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 2);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) owner = NULL;
  JsonObject *logged;
  JsonObject *body;

  set_up ();
  request->seed = 42;
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 2);
  assert_record (g_ptr_array_index (assets, 0), "wan", request, 42);
  g_assert_cmpuint (count_requests ("/api/v1/tasks/"), >=, 2);
  g_assert_cmpuint (count_requests ("/_storage/wan-"), ==, 2);

  logged = find_request (&owner, "/image-generation/generation", 0);
  g_assert_true (logged_header (logged, "x-dashscope-async"));
  body = json_object_get_object_member (logged, "json");
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "wan2.6-t2i");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (body, "parameters"), "size"), ==,
                   "1712*960");
  g_assert_false (json_object_get_boolean_member (
                    json_object_get_object_member (body, "parameters"), "watermark"));
}

/* A moving background from the shot's background, with the video model. */
static void
test_wan_video (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("wan");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_VIDEO, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) owner = NULL;
  JsonObject *body;

  set_up ();
  request->background = png_asset (64, 36, 0x406080ff);
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 1);
  g_assert_cmpstr (reel_asset_get_mime_type (g_ptr_array_index (assets, 0)), ==,
                   REEL_MIME_MP4);
  g_assert_cmpstr (reel_asset_get_generation (g_ptr_array_index (assets, 0))->model, ==,
                   "wan2.6-i2v");
  body = json_object_get_object_member (find_request (&owner, "/video-synthesis", 0), "json");
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "wan2.6-i2v");
  g_assert_true (json_object_has_member (json_object_get_object_member (body, "input"),
                                         "img_url"));
}

static void
test_wan_task_failed (void)
{
  set_up ();
  expect_error ("wan", "{\"fault\":\"task-failed\",\"path\":\"/generation\"}",
                REEL_AI_ERROR_FAILED, "inappropriate");
}

/* A task that never finishes ends at the deadline, not never. */
static void
test_wan_deadline (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("wan");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;

  set_up ();
  fake_server_config (server, "{\"wan_polls\":100000}");
  reel_wan_set_deadline (REEL_WAN (provider), 300);
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "Wan"));
}

static gboolean
wan_task_started (gpointer data)
{
  return count_requests ("/services/aigc/") >= 1 && count_requests ("/api/v1/tasks/") == 0;
}

/* Cancelled between two polls an hour apart: the task ends then, not at the next poll. */
static void
test_wan_cancel_between_polls (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("wan");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GError) error = NULL;

  set_up ();
  reel_wan_set_poll_interval (REEL_WAN (provider), 3600 * 1000);
  error = generate_then_cancel (provider, request, wan_task_started);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Never polled: the hour had not passed. */
  g_assert_cmpuint (count_requests ("/api/v1/tasks/"), ==, 0);
}

static void
test_wan_retired_model (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("wan");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;

  set_up ();
  reel_provider_set_model (provider, "wanx-v1");
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_MODEL_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "wanx-v1"));
}

/* Reference images -------------------------------------------------------------------------- */

static gboolean
no_copy_alive (gpointer data)
{
  return g_atomic_int_get (&copies_alive) == 0;
}

/* The references of a request (the shot's background, the look) are read from the project
 * file for that request, off the main thread, and let go with it: the assets, which live as
 * long as the project, do not keep them. */
static void
test_references_not_kept (gconstpointer data)
{
  const char *id = data;
  g_autoptr(ReelProvider) provider = make_provider (id);
  gboolean video = g_str_equal (id, "veo") || g_str_equal (id, "wan");
  g_autoptr(ReelGenerationRequest) request =
    make_request (video ? REEL_GENERATION_VIDEO : REEL_GENERATION_ANGLE, 1);
  g_autoptr(ReelAsset) background = NULL;
  g_autoptr(ReelAsset) look = NULL;
  g_autoptr(GError) error = NULL;

  set_up ();
  g_atomic_int_set (&copies_read, 0);
  g_clear_object (&request->background);
  g_clear_object (&request->look);
  {
    g_autoptr(ReelAsset) plain_background = png_asset (64, 36, 0x406080ff);
    g_autoptr(ReelAsset) plain_look = png_asset (32, 32, 0xa08060ff);

    background = lazy_copy (plain_background);
    look = lazy_copy (plain_look);
  }
  request->background = g_object_ref (background);
  request->look = g_object_ref (look);

  {
    g_autoptr(GPtrArray) assets = generate_sync (provider, request, NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (assets->len, >=, 1);
  }
  /* Read for the request, and nothing of it left once it is over (the HTTP worker may let
   * go of the request a moment after the answer). */
  g_assert_cmpint (g_atomic_int_get (&copies_read), >=, 1);
  wait_until (no_copy_alive, NULL);
  g_assert_true (reel_asset_is_lazy (background));
}

/* Structure references ------------------------------------------------------------------ */

/* The set's line art from the shot's camera goes as one more reference image, to the byte,
 * with a line of the prompt saying what it is: to each service that takes references. */
static void
test_structure_reference (gconstpointer data)
{
  const char *id = data;
  g_autoptr(ReelProvider) provider = make_provider (id);
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) owner = NULL;
  GBytes *line_art;
  g_autofree char *encoded = NULL;
  g_autofree char *sha256 = NULL;
  const char *prompt = NULL;
  ReelGenerationRecord *record;

  set_up ();
  request->structure = png_asset (96, 40, 0xffffffff);
  line_art = reel_asset_get_data (request->structure);
  encoded = g_base64_encode (g_bytes_get_data (line_art, NULL), g_bytes_get_size (line_art));
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, line_art);
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 1);

  if (g_str_equal (id, "gemini"))
    {
      JsonObject *body = json_object_get_object_member (find_request (&owner, ":generateContent",
                                                                      0), "json");
      JsonArray *parts = json_object_get_array_member (
        json_array_get_object_element (json_object_get_array_member (body, "contents"), 0),
        "parts");
      JsonObject *inline_data = json_object_get_object_member (
        json_array_get_object_element (parts, json_array_get_length (parts) - 1), "inlineData");

      g_assert_cmpuint (json_array_get_length (parts), ==, 2);
      prompt = json_object_get_string_member (json_array_get_object_element (parts, 0), "text");
      g_assert_cmpstr (json_object_get_string_member (inline_data, "mimeType"), ==,
                       "image/png");
      assert_logged_string (json_object_get_string_member (inline_data, "data"), encoded);
    }
  else if (g_str_equal (id, "openai"))
    {
      JsonObject *logged = find_request (&owner, "/v1/images/edits", 0);
      JsonArray *images = json_object_get_array_member (logged, "images");
      JsonObject *image = json_array_get_object_element (images, 0);

      g_assert_cmpuint (json_array_get_length (images), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (image, "name"), ==, "image");
      g_assert_cmpstr (json_object_get_string_member (image, "sha256"), ==, sha256);
      prompt = json_object_get_string_member (json_object_get_object_member (logged, "form"),
                                              "prompt");
    }
  else
    {
      JsonObject *body = json_object_get_object_member (find_request (&owner,
                                                                      "/images/generations", 0),
                                                        "json");
      g_autofree char *data_url = g_strconcat ("data:image/png;base64,", encoded, NULL);

      assert_logged_string (json_object_get_string_member (body, "image"), data_url);
      prompt = json_object_get_string_member (body, "prompt");
    }

  /* The user's prompt, then what the drawing is. */
  g_assert_true (g_str_has_prefix (prompt, request->prompt));
  g_assert_nonnull (strstr (prompt, "line drawing"));
  /* The record keeps the user's words, and the drawing among its inputs. */
  record = reel_asset_get_generation (g_ptr_array_index (assets, 0));
  g_assert_cmpstr (record->prompt, ==, request->prompt);
  g_assert_true (g_strv_contains ((const char * const *) record->input_hashes,
                                  reel_asset_get_hash (request->structure)));
}

/* A request whose shot stands on its scene's set: the provider draws the line art itself
 * and sends exactly the gray-box's drawing; the request given stays as it was. */
static void
test_structure_drawn_by_provider (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("gemini");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(ReelSet) set = reel_set_new_from_template ("room");
  ReelCameraPose pose = { 0.5, 2.0, 1.5, 10, -5, 0, 35 };
  g_autoptr(ReelAsset) expected = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) owner = NULL;
  g_autofree char *encoded = NULL;
  JsonArray *parts;
  JsonObject *body;

  set_up ();
  request->width = 320;
  request->height = 176;
  request->set = reel_set_copy (set);
  request->camera = reel_shot_camera_new (&pose);
  expected = reel_provider_render_structure (request);
  g_assert_nonnull (expected);
  encoded = g_base64_encode (g_bytes_get_data (reel_asset_get_data (expected), NULL),
                             g_bytes_get_size (reel_asset_get_data (expected)));

  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (request->structure);
  body = json_object_get_object_member (find_request (&owner, ":generateContent", 0), "json");
  parts = json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (body, "contents"), 0), "parts");
  g_assert_cmpuint (json_array_get_length (parts), ==, 2);
  assert_logged_string (json_object_get_string_member (
                          json_object_get_object_member (json_array_get_object_element (parts,
                                                                                        1),
                                                         "inlineData"), "data"), encoded);
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (parts,
                                                                                          0),
                                                           "text"), "line drawing"));
}

/* Models that exist ------------------------------------------------------------------------- */

static GStrv
list_models_sync (ReelProvider  *provider,
                  GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  reel_provider_list_models_async (provider, NULL, ai_test_store_result, &result);
  ai_test_wait_result (&result, 30000);
  return reel_provider_list_models_finish (provider, result, error);
}

/* A model the service shut down: the user reads its name and the models on offer, and
 * nothing is retried. */
static void
expect_retired (const char *provider_id,
                const char *retired,
                const char *generate_path,
                const char *offered,
                const char *not_offered)
{
  g_autoptr(ReelProvider) provider = make_provider (provider_id);
  g_autoptr(ReelGenerationRequest) request =
    make_request (g_str_equal (provider_id, "veo") ? REEL_GENERATION_VIDEO
                                                   : REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;

  set_up ();
  reel_provider_set_model (provider, retired);
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_null (assets);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_MODEL_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, retired));
  g_assert_nonnull (strstr (error->message, reel_provider_get_display_name (provider)));
  g_assert_nonnull (strstr (error->message, offered));
  g_assert_null (strstr (error->message, not_offered));
  g_assert_cmpuint (count_requests (generate_path), ==, 1);
}

static void
test_gemini_retired_model (void)
{
  expect_retired ("gemini", "gemini-2.5-flash-image", ":generateContent",
                  "gemini-3.1-flash-image", "gemini-3.5-flash,");
}

static void
test_openai_retired_model (void)
{
  expect_retired ("openai", "gpt-image-1", "/images/generations", "gpt-image-2.6-sunburst",
                  "whisper-1");
}

static void
test_veo_retired_model (void)
{
  expect_retired ("veo", "veo-3.0-generate-001", ":predictLongRunning",
                  "veo-3.1-fast-generate-001", "gemini-3-pro-image");
}

static void
test_gemini_list_models (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("gemini");
  g_autoptr(ReelProvider) veo = make_provider ("veo");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) models = NULL;
  g_auto(GStrv) videos = NULL;
  const char *expected[] = { "gemini-3-pro-image", "gemini-3.1-flash-image",
                             "gemini-3.1-flash-lite-image", "gemini-nano-banana-2.1", NULL };
  const char *expected_videos[] = { "veo-3.1-fast-generate-001", "veo-3.1-generate-001",
                                    "veo-3.1-lite-generate-001", NULL };

  set_up ();
  /* The fake answers three models a page: all pages must be read. */
  models = list_models_sync (provider, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (models, expected);
  g_assert_cmpuint (count_requests ("/v1beta/models"), >=, 3);

  /* Veo, on Google Cloud, has no listing to ask: its ids come from the table, and nothing
   * is sent. */
  fake_server_reset (server);
  videos = list_models_sync (veo, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (videos, expected_videos);
  g_assert_cmpuint (fake_server_connections (server), ==, 0);
}

static void
test_openai_list_models (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("openai");
  g_autoptr(ReelProvider) wrong = make_provider ("openai");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) models = NULL;
  g_auto(GStrv) none = NULL;
  const char *expected[] = { "gpt-image-2", "gpt-image-2.5-flare", "gpt-image-2.5-sunburst",
                             "gpt-image-2.6-flare", "gpt-image-2.6-sunburst", NULL };

  set_up ();
  models = list_models_sync (provider, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (models, expected);

  reel_provider_set_api_key (wrong, "sk-wrong");
  none = list_models_sync (wrong, &error);
  g_assert_null (none);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_AUTH);
}

/* What each service reports of its usage is kept in the generation record. */
static void
test_usage_kept (void)
{
  static const struct { const char *provider; const char *member; gint64 value; } cases[] = {
    { "openai", "total_tokens", 100 },
    { "gemini", "candidatesTokenCount", 1290 },
    { "seedream", "generated_images", 1 },
    { "wan", "image_count", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ReelProvider) provider = make_provider (cases[i].provider);
      g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
      g_autoptr(GPtrArray) assets = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) usage = NULL;

      set_up ();
      assets = generate_sync (provider, request, NULL, NULL, &error);
      g_assert_no_error (error);
      usage = reel_provider_usage_of (reel_asset_get_generation (g_ptr_array_index (assets,
                                                                                     0)));
      g_assert_nonnull (usage);
      g_assert_cmpint (json_object_get_int_member (usage, cases[i].member), ==,
                       cases[i].value);
    }
}

/* The defaults are written once, in reel-models.c; the schema must say the same. */
static void
test_default_models (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  const char *ids[] = { "gemini", "openai", "veo", "wan" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(ReelProvider) provider = make_provider (ids[i]);
      g_autofree char *key = g_strdup_printf ("%s-model", ids[i]);
      g_autoptr(GVariant) value = g_settings_get_default_value (settings, key);

      g_assert_cmpstr (reel_provider_get_model (provider), ==,
                       reel_models_get_default (ids[i], NULL));
      g_assert_cmpstr (g_variant_get_string (value, NULL), ==,
                       reel_models_get_default (ids[i], NULL));
    }
}

/* Gemini ------------------------------------------------------------------------------------ */

static void
test_gemini_generate (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("gemini");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 3);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) owner = NULL;
  JsonObject *logged;
  JsonObject *body;
  JsonArray *parts;
  JsonObject *config;
  JsonArray *headers;
  Progress progress = { 0, 0 };

  set_up ();
  request->aspect_ratio = 2.39;
  assets = generate_sync (provider, request, NULL, &progress, &error);
  g_assert_no_error (error);
  /* N variants are N calls; the thought part before each image is not an image. */
  g_assert_cmpuint (assets->len, ==, 3);
  g_assert_cmpuint (count_requests (":generateContent"), ==, 3);
  g_assert_cmpuint (progress.calls, >=, 1);
  for (guint i = 0; i < assets->len; i++)
    {
      assert_record (g_ptr_array_index (assets, i), "gemini", request, -1);
      /* 21:9 at 2K is 3072×1344; the fake server scales by 1/4. */
      g_assert_cmpint (reel_asset_get_width (g_ptr_array_index (assets, i)), ==, 768);
      g_assert_cmpint (reel_asset_get_height (g_ptr_array_index (assets, i)), ==, 336);
    }

  logged = find_request (&owner, ":generateContent", 0);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (logged, "path"),
                                   "/v1beta/models/gemini-3-pro-image:generateContent"));
  g_assert_cmpstr (json_object_get_string_member (logged, "auth"), ==, "ok");
  headers = json_object_get_array_member (logged, "headers");
  for (guint i = 0; i < json_array_get_length (headers); i++)
    g_assert_cmpstr (json_array_get_string_element (headers, i), !=, "authorization");
  body = json_object_get_object_member (logged, "json");
  parts = json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (body, "contents"), 0), "parts");
  g_assert_cmpuint (json_array_get_length (parts), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (parts, 0),
                                                  "text"), ==, request->prompt);
  config = json_object_get_object_member (body, "generationConfig");
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (config, "responseModalities"), 0), ==,
                   "IMAGE");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (config, "imageConfig"), "aspectRatio"), ==,
                   "21:9");
  /* The default model is a 3.x one, which takes a size. */
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (config, "imageConfig"), "imageSize"), ==,
                   "2K");
}

static void
test_gemini_references_and_pro (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("gemini");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_ANGLE, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) owner = NULL;
  JsonObject *body;
  JsonArray *parts;
  JsonObject *image_config;

  set_up ();
  reel_provider_set_model (provider, "gemini-3.1-flash-image");
  request->sketch = png_asset (64, 36, 0xffffffff);
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 1);
  g_assert_cmpuint (g_strv_length (reel_asset_get_generation (g_ptr_array_index (assets, 0))
                                     ->input_hashes), ==, 3);

  body = json_object_get_object_member (find_request (&owner, ":generateContent", 0), "json");
  parts = json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (body, "contents"), 0), "parts");
  /* The prompt, then the sketch, the background and the look. */
  g_assert_cmpuint (json_array_get_length (parts), ==, 4);
  for (guint i = 1; i < 4; i++)
    {
      JsonObject *inline_data = json_object_get_object_member (
        json_array_get_object_element (parts, i), "inlineData");

      g_assert_cmpstr (json_object_get_string_member (inline_data, "mimeType"), ==,
                       "image/png");
    }
  image_config = json_object_get_object_member (
    json_object_get_object_member (body, "generationConfig"), "imageConfig");
  g_assert_cmpstr (json_object_get_string_member (image_config, "imageSize"), ==, "2K");
  g_assert_cmpstr (json_object_get_string_member (image_config, "aspectRatio"), ==, "16:9");
}

static void
test_gemini_retry_delay (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("gemini");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  gint64 elapsed;

  set_up ();
  /* The wait is in the body: 3 s, slept at a tenth here. Backoff would be ~50 ms. */
  reel_http_client_set_delay_scale (client, 0.1);
  fake_server_fault (server, "{\"fault\":\"rate-limit\",\"path\":\":generateContent\","
                             "\"wait_form\":\"retry-delay\",\"wait\":3}");
  start = g_get_monotonic_time ();
  assets = generate_sync (provider, request, NULL, NULL, &error);
  elapsed = g_get_monotonic_time () - start;
  reel_http_client_set_delay_scale (client, 0.01);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 1);
  g_assert_cmpuint (count_requests (":generateContent"), ==, 2);
  /* At least the wait the body asked for (backoff alone would be a sixth of it); no upper
   * bound, which only a busy machine would decide. */
  g_assert_cmpint (elapsed, >=, 290 * 1000);
}

static void
test_gemini_retry_delay_too_long (void)
{
  /* 10 minutes asked: not waited for silently; the user is told when to try again. */
  expect_error ("gemini", "{\"fault\":\"rate-limit\",\"path\":\":generateContent\","
                          "\"wait_form\":\"retry-delay\",\"wait\":600}",
                REEL_AI_ERROR_RATE_LIMITED, "600 seconds");
  g_assert_cmpuint (count_requests (":generateContent"), ==, 1);
}

static void
test_gemini_faults (gconstpointer data)
{
  const FaultCase *fault = data;

  set_up ();
  expect_error ("gemini", fault->fault, fault->code, fault->mention);
  /* A 200 carrying a block, a broken body: never sent again blindly. */
  if (fault->code == REEL_AI_ERROR_BLOCKED || fault->code == REEL_AI_ERROR_BAD_RESPONSE
      || fault->code == REEL_AI_ERROR_NO_IMAGE)
    g_assert_cmpuint (count_requests (":generateContent"), ==, 1);
}

static void
test_gemini_wrong_key (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("gemini");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;

  set_up ();
  reel_provider_set_api_key (provider, "AIza-wrong-key-000");
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "Preferences → Google Gemini"));
}

static void
test_gemini_check (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("gemini");
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;

  set_up ();
  answer = check_sync (provider, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (answer, "gemini-3-pro-image"));
}

/* Veo --------------------------------------------------------------------------------------- */

static void
test_veo_generate (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("veo");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_VIDEO, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) owner = NULL;
  g_autoptr(JsonNode) owner2 = NULL;
  g_autofree char *fixture_path = NULL;
  g_autofree char *fixture = NULL;
  gsize fixture_size = 0;
  JsonObject *body;
  JsonObject *instance;
  JsonObject *parameters;
  ReelAsset *clip;
  Progress progress = { 0, 0 };

  set_up ();
  request->background = png_asset (64, 36, 0x204060ff);
  assets = generate_sync (provider, request, NULL, &progress, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 1);
  clip = g_ptr_array_index (assets, 0);
  g_assert_true (reel_asset_is_video (clip));
  g_assert_cmpstr (reel_asset_get_mime_type (clip), ==, REEL_MIME_MP4);
  assert_record (clip, "veo", request, -1);

  /* The bytes are the clip the storage served. */
  fixture_path = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "ai", "data", "clip.mp4", NULL);
  g_file_get_contents (fixture_path, &fixture, &fixture_size, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (reel_asset_get_data (clip), NULL),
                   g_bytes_get_size (reel_asset_get_data (clip)), fixture, fixture_size);

  /* Started once on Google Cloud's path for the project, region and model, then polled
   * through the model until done (two "not yet"), with the clip inline: nothing else. */
  g_assert_cmpuint (count_requests ("/v1/projects/storyreel-test/locations/us-central1/"
                                    "publishers/google/models/veo-3.1-generate-001"
                                    ":predictLongRunning"), ==, 1);
  g_assert_cmpuint (count_requests ("/v1/projects/storyreel-test/locations/us-central1/"
                                    "publishers/google/models/veo-3.1-generate-001"
                                    ":fetchPredictOperation"), ==, 3);
  g_assert_cmpuint (json_array_get_length (fake_server_requests (server, &owner2)), ==, 4);
  g_assert_cmpuint (progress.calls, >=, 3);
  /* Each with the token as a bearer token (the fake answers 401 otherwise), never as an API
   * key, and each poll names the operation the start answered. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonNode) poll_owner = NULL;
      JsonObject *poll = find_request (&poll_owner, ":fetchPredictOperation", i);
      const char *operation = json_object_get_string_member (
        json_object_get_object_member (poll, "json"), "operationName");

      g_assert_cmpstr (json_object_get_string_member (poll, "auth"), ==, "ok");
      g_assert_false (json_object_has_member (poll, "api_key"));
      g_assert_true (g_str_has_prefix (operation, "projects/storyreel-test/locations/"
                                                  "us-central1/publishers/google/models/"
                                                  "veo-3.1-generate-001/operations/"));
    }

  body = json_object_get_object_member (find_request (&owner, ":predictLongRunning", 0), "json");
  instance = json_array_get_object_element (json_object_get_array_member (body, "instances"), 0);
  g_assert_cmpstr (json_object_get_string_member (instance, "prompt"), ==, request->prompt);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (instance,
                                                                                 "image"),
                                                  "mimeType"), ==, "image/png");
  parameters = json_object_get_object_member (body, "parameters");
  g_assert_cmpstr (json_object_get_string_member (parameters, "aspectRatio"), ==, "16:9");
  g_assert_cmpint (json_object_get_int_member (parameters, "durationSeconds"), ==, 8);
}

/* The instance Veo was sent (a new reference in @owner). */
static JsonObject *
veo_instance (JsonNode **owner)
{
  JsonObject *body = json_object_get_object_member (find_request (owner, ":predictLongRunning",
                                                                  0), "json");

  return json_array_get_object_element (json_object_get_array_member (body, "instances"), 0);
}

/* @image ({"bytesBase64Encoded","mimeType"}) holds exactly @data. */
static void
assert_veo_image (JsonObject *image,
                  GBytes     *data,
                  const char *mime_type)
{
  g_autofree char *encoded = g_base64_encode (g_bytes_get_data (data, NULL),
                                              g_bytes_get_size (data));

  g_assert_cmpuint (json_object_get_size (image), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (image, "mimeType"), ==, mime_type);
  assert_logged_string (json_object_get_string_member (image, "bytesBase64Encoded"), encoded);
}

/* A clip from the shot's background to the next shot's: first and last frame, byte for
 * byte, and the next shot's picture kept as an input of the record. */
static void
test_veo_last_frame (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("veo");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_VIDEO, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) owner = NULL;
  JsonObject *instance;
  ReelGenerationRecord *record;

  set_up ();
  request->background = png_asset (64, 36, 0x204060ff);
  request->last_frame = png_asset (64, 36, 0x806040ff);
  request->look = png_asset (32, 32, 0xa08060ff);
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 1);

  instance = veo_instance (&owner);
  g_assert_cmpuint (json_object_get_size (instance), ==, 3);
  assert_veo_image (json_object_get_object_member (instance, "image"),
                    reel_asset_get_data (request->background), "image/png");
  assert_veo_image (json_object_get_object_member (instance, "lastFrame"),
                    reel_asset_get_data (request->last_frame), "image/png");
  /* Not with frames: Veo refuses references beside them. */
  g_assert_false (json_object_has_member (instance, "referenceImages"));

  record = reel_asset_get_generation (g_ptr_array_index (assets, 0));
  g_assert_nonnull (strstr (record->parameters, "\"lastFrame\":\"next-shot\""));
  g_assert_true (g_strv_contains ((const char * const *) record->input_hashes,
                                  reel_asset_get_hash (request->last_frame)));
}

/* A moving camera over a gray-box background ends on the gray-box seen from where the
 * move ends: the same drawing the gray-box provider makes from that camera. */
static void
test_veo_end_camera (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("veo");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_VIDEO, 1);
  g_autoptr(ReelGenerationRequest) end_view = NULL;
  g_autoptr(ReelGenerationRecord) greybox_record = reel_generation_record_new ();
  g_autoptr(GBytes) start_png = NULL;
  g_autoptr(GBytes) end_png = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) owner = NULL;
  ReelCameraPose start = { 0, 4, 1.6, 0, 0, 0, 35 };
  ReelCameraPose end = { 2, 1, 1.2, 40, 5, 0, 35 };
  JsonObject *instance;

  set_up ();
  request->width = 320;
  request->height = 180;
  request->seed = 7;
  request->location = g_strdup ("HARBOUR");
  request->time_of_day = g_strdup ("DAWN");
  request->camera = reel_shot_camera_new (&start);
  request->camera->moves = TRUE;
  request->camera->end = end;
  start_png = reel_greybox_render_png (request, 7);
  greybox_record->provider = g_strdup ("greybox");
  request->background = reel_asset_new_generated (start_png, greybox_record, &error);
  g_assert_no_error (error);

  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_no_error (error);

  end_view = reel_generation_request_copy (request);
  g_clear_pointer (&end_view->camera, reel_shot_camera_free);
  end_view->camera = reel_shot_camera_new (&end);
  end_png = reel_greybox_render_png (end_view, 7);
  g_assert_false (g_bytes_equal (start_png, end_png));

  instance = veo_instance (&owner);
  assert_veo_image (json_object_get_object_member (instance, "image"), start_png, "image/png");
  assert_veo_image (json_object_get_object_member (instance, "lastFrame"), end_png,
                    "image/png");

  /* A painted background is not pulled towards the gray-box: no last frame then. */
  {
    g_autoptr(GPtrArray) painted_assets = NULL;
    g_autoptr(JsonNode) owner2 = NULL;

    set_up ();
    g_clear_object (&request->background);
    request->background = png_asset (64, 36, 0x204060ff);
    painted_assets = generate_sync (provider, request, NULL, NULL, &error);
    g_assert_no_error (error);
    instance = veo_instance (&owner2);
    g_assert_true (json_object_has_member (instance, "image"));
    g_assert_false (json_object_has_member (instance, "lastFrame"));
  }
}

/* No first frame: the project's look goes as an "asset" reference image, byte for byte. */
static void
test_veo_look_reference (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("veo");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_VIDEO, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) owner = NULL;
  JsonObject *instance;
  JsonArray *references;
  JsonObject *reference;
  JsonObject *body;

  set_up ();
  request->look = png_asset (32, 32, 0xa08060ff);
  /* A next shot's picture needs a first frame to end: without one it is not sent. */
  request->last_frame = png_asset (64, 36, 0x806040ff);
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_no_error (error);

  instance = veo_instance (&owner);
  g_assert_cmpuint (json_object_get_size (instance), ==, 2);
  references = json_object_get_array_member (instance, "referenceImages");
  g_assert_cmpuint (json_array_get_length (references), ==, 1);
  reference = json_array_get_object_element (references, 0);
  g_assert_cmpuint (json_object_get_size (reference), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (reference, "referenceType"), ==, "asset");
  assert_veo_image (json_object_get_object_member (reference, "image"),
                    reel_asset_get_data (request->look), "image/png");
  /* References need the 8 s clip. */
  body = json_object_get_object_member (find_request (&owner, ":predictLongRunning", 0),
                                        "json");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (body,
                                                                              "parameters"),
                                               "durationSeconds"), ==, 8);
}

static void
test_veo_operation_error (void)
{
  set_up ();
  expect_error ("veo", "{\"fault\":\"operation-error\",\"path\":\":predictLongRunning\"}",
                REEL_AI_ERROR_FAILED, "usage guidelines");
}

/* Veo's safety filter took the clip: the reason shows, it is not a transport error. */
static void
test_veo_rai_filtered (void)
{
  set_up ();
  expect_error ("veo", "{\"fault\":\"veo-rai-filtered\",\"path\":\":predictLongRunning\"}",
                REEL_AI_ERROR_BLOCKED, "58061214");
  g_assert_cmpuint (count_requests (":predictLongRunning"), ==, 1);
}

/* A clip only named in Cloud Storage (a project that writes Veo's output to a bucket) is
 * refused with a message, and nothing is fetched from the bucket. */
static void
test_veo_cloud_storage_refused (void)
{
  set_up ();
  expect_error ("veo", "{\"fault\":\"veo-gcs\",\"path\":\":predictLongRunning\"}",
                REEL_AI_ERROR_NOT_SUPPORTED, "Cloud Storage");
  g_assert_cmpuint (count_requests (":fetchPredictOperation"), >=, 1);
  g_assert_cmpuint (count_requests ("/_storage/"), ==, 0);
  g_assert_cmpuint (count_requests ("storyreel-test-bucket"), ==, 0);
}

/* An expired token (401 UNAUTHENTICATED) says how to get a new one; a project the token may
 * not use (403 PERMISSION_DENIED) names the project. Neither shows the token. */
static void
test_veo_token_refused (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("veo");
  g_autoptr(ReelProvider) other = make_provider ("veo");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_VIDEO, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;

  set_up ();
  reel_provider_set_api_key (provider, "ya29.expired-token-of-an-hour-ago");
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_null (assets);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "gcloud auth print-access-token"));
  g_assert_nonnull (strstr (error->message, "Google Veo"));
  g_assert_null (strstr (error->message, "expired-token"));
  g_assert_cmpuint (count_requests (":predictLongRunning"), ==, 1);
  g_assert_cmpuint (count_requests (":fetchPredictOperation"), ==, 0);
  g_clear_error (&error);

  reel_veo_set_project (REEL_VEO (other), "someone-elses-project");
  assets = generate_sync (other, request, NULL, NULL, &error);
  g_assert_null (assets);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "“someone-elses-project”"));
  g_assert_nonnull (strstr (error->message, "aiplatform.endpoints.predict"));
  ai_test_assert_no_key (error->message);
}

/* How many times the token command ran (fake-gcloud.py counts its runs in @count_file). */
static guint
command_runs (const char *count_file)
{
  g_autofree char *text = NULL;
  guint runs = 0;

  if (!g_file_get_contents (count_file, &text, NULL, NULL))
    return 0;
  for (const char *c = text; *c != '\0'; c++)
    runs += *c == '\n';
  return runs;
}

/* The token from a command (gcloud's stand-in): run without a shell, its token remembered
 * across providers until Google Cloud refuses it, then asked for again; a failing command
 * says which program failed and not what it printed. The token never reaches a message. */
static void
test_veo_token_command (void)
{
  g_autofree char *dir = g_dir_make_tmp ("storyreel-veo-XXXXXX", NULL);
  g_autofree char *count_file = g_build_filename (dir, "runs", NULL);
  g_autofree char *script = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "ai",
                                              "fake-gcloud.py", NULL);
  g_autofree char *good = g_strdup_printf ("python3 '%s' '%s' '%s' auth print-access-token",
                                           script, count_file, AI_TEST_KEY);
  g_autofree char *stale = g_strdup_printf ("python3 '%s' '%s' ya29.stale-token", script,
                                            count_file);
  g_autofree char *failing = g_strdup_printf ("python3 '%s' '%s' fail", script, count_file);
  g_autofree char *answer = NULL;
  g_autoptr(GError) error = NULL;

  set_up ();
  reel_veo_forget_token_for_tests ();
  fake_server_config (server, "{\"veo_polls\":0}");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(ReelProvider) provider = make_provider ("veo");
      g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_VIDEO, 1);
      g_autoptr(GPtrArray) assets = NULL;

      /* No stored token: the command's is the one sent. */
      reel_provider_set_api_key (provider, NULL);
      reel_provider_set_keyring_enabled (provider, FALSE);
      reel_veo_set_token_command (REEL_VEO (provider), good);
      assets = generate_sync (provider, request, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (assets->len, ==, 1);
      /* Run once, for both generations. */
      g_assert_cmpuint (command_runs (count_file), ==, 1);
    }

  /* A token Google Cloud refuses is forgotten: the next request runs the command again. */
  reel_veo_forget_token_for_tests ();
  {
    g_autoptr(ReelProvider) provider = make_provider ("veo");
    g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_VIDEO, 1);
    g_autoptr(GPtrArray) assets = NULL;

    reel_veo_set_token_command (REEL_VEO (provider), stale);
    assets = generate_sync (provider, request, NULL, NULL, &error);
    g_assert_null (assets);
    g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_AUTH);
    g_assert_nonnull (strstr (error->message, "Try again"));
    g_assert_null (strstr (error->message, "stale-token"));
    g_assert_cmpuint (command_runs (count_file), ==, 2);
    g_clear_error (&error);

    answer = check_sync (provider, &error);
    g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_AUTH);
    g_assert_cmpuint (command_runs (count_file), ==, 3);
    g_clear_error (&error);
  }

  /* gcloud's own complaint stays in the terminal: the message names the program. */
  {
    g_autoptr(ReelProvider) provider = make_provider ("veo");
    g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_VIDEO, 1);
    g_autoptr(GPtrArray) assets = NULL;

    set_up ();
    reel_veo_set_token_command (REEL_VEO (provider), failing);
    assets = generate_sync (provider, request, NULL, NULL, &error);
    g_assert_null (assets);
    g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_AUTH);
    g_assert_nonnull (strstr (error->message, "python3"));
    g_assert_null (strstr (error->message, "Reauthentication"));
    g_assert_cmpuint (fake_server_connections (server), ==, 0);
    g_clear_error (&error);

    /* A program that is not there. */
    reel_veo_set_token_command (REEL_VEO (provider), "storyreel-no-such-gcloud auth "
                                                     "print-access-token");
    assets = generate_sync (provider, request, NULL, NULL, &error);
    g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG);
    g_assert_nonnull (strstr (error->message, "storyreel-no-such-gcloud"));
    g_assert_cmpuint (fake_server_connections (server), ==, 0);
  }

  reel_veo_forget_token_for_tests ();
  g_remove (count_file);
  g_rmdir (dir);
}

/* Without a project, or with a region that is not one, nothing is sent and the message says
 * what to set. */
static void
test_veo_settings_checked (void)
{
  static const struct { const char *project; const char *region; const char *mention; } cases[] = {
    { NULL, NULL, "GOOGLE_CLOUD_PROJECT" },
    { "My Project", NULL, "“My Project”" },
    { "storyreel-test", "evil.example.com/x?", "region" },
    { "storyreel-test", "us-central1.attacker.net", "us-central1.attacker.net" },
  };

  g_assert_true (reel_veo_region_is_valid ("europe-west4"));
  g_assert_false (reel_veo_region_is_valid ("us-central1.attacker.net"));
  g_assert_false (reel_veo_region_is_valid (""));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ReelProvider) provider = make_provider ("veo");
      g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_VIDEO, 1);
      g_autoptr(GPtrArray) assets = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *answer = NULL;

      set_up ();
      g_unsetenv ("GOOGLE_CLOUD_PROJECT");
      reel_veo_set_project (REEL_VEO (provider), cases[i].project);
      reel_veo_set_region (REEL_VEO (provider), cases[i].region);
      assets = generate_sync (provider, request, NULL, NULL, &error);
      g_assert_null (assets);
      g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG);
      if (strstr (error->message, cases[i].mention) == NULL)
        g_error ("“%s” does not mention “%s”", error->message, cases[i].mention);
      g_clear_error (&error);

      answer = check_sync (provider, &error);
      g_assert_null (answer);
      g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG);
      g_assert_cmpuint (fake_server_connections (server), ==, 0);
    }

  /* The project can come from the environment, as for Google's own tools. */
  {
    g_autoptr(ReelProvider) provider = make_provider ("veo");
    g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_VIDEO, 1);
    g_autoptr(GPtrArray) assets = NULL;
    g_autoptr(GError) error = NULL;

    set_up ();
    fake_server_config (server, "{\"veo_polls\":0}");
    g_setenv ("GOOGLE_CLOUD_PROJECT", "storyreel-test", TRUE);
    reel_veo_set_project (REEL_VEO (provider), NULL);
    assets = generate_sync (provider, request, NULL, NULL, &error);
    g_unsetenv ("GOOGLE_CLOUD_PROJECT");
    g_assert_no_error (error);
    g_assert_cmpuint (assets->len, ==, 1);
  }
}

/* "Test connection" reads the model's description on Google Cloud with the token. */
static void
test_veo_check (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("veo");
  g_autoptr(ReelProvider) wrong = make_provider ("veo");
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *nothing = NULL;

  set_up ();
  answer = check_sync (provider, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (answer, "veo-3.1-generate-001"));
  g_assert_nonnull (strstr (answer, "us-central1"));
  g_assert_cmpuint (count_requests ("/v1/publishers/google/models/veo-3.1-generate-001"), ==, 1);

  reel_provider_set_model (wrong, "veo-3.0-generate-001");
  nothing = check_sync (wrong, &error);
  g_assert_null (nothing);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_MODEL_NOT_FOUND);
}

static void
test_veo_google_hosts (void)
{
  static const struct { const char *uri; gboolean google; } cases[] = {
    { "https://generativelanguage.googleapis.com/v1beta/files/x:download", TRUE },
    { "https://us-central1-aiplatform.googleapis.com/v1/projects/p", TRUE },
    { "https://STORAGE.GoogleAPIs.com/bucket/clip.mp4", TRUE },
    { "http://generativelanguage.googleapis.com/v1beta/files/x", FALSE },
    { "https://googleapis.com.example.net/x", FALSE },
    { "https://evilgoogleapis.com/x", FALSE },
    { "https://key@generativelanguage.googleapis.com/x", FALSE },
    { "ftp://generativelanguage.googleapis.com/x", FALSE },
    { "https://127.0.0.1/x", FALSE },
    { "not a uri", FALSE },
  };

  static const struct { const char *uri; gboolean vertex; } vertex[] = {
    { "https://us-central1-aiplatform.googleapis.com/v1/projects/p", TRUE },
    { "https://EUROPE-WEST4-aiplatform.googleapis.com", TRUE },
    { "https://aiplatform.googleapis.com", TRUE },
    { "http://us-central1-aiplatform.googleapis.com", FALSE },
    { "https://generativelanguage.googleapis.com", FALSE },
    { "https://x.us-central1-aiplatform.googleapis.com", FALSE },
    { "https://us-central1-aiplatform.googleapis.com.example.net", FALSE },
    { "https://us-central1-aiplatform.example.com", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    if (reel_veo_uri_is_google (cases[i].uri) != cases[i].google)
      g_error ("%s should%s be Google's", cases[i].uri, cases[i].google ? "" : " not");
  for (guint i = 0; i < G_N_ELEMENTS (vertex); i++)
    if (reel_veo_uri_is_vertex (vertex[i].uri) != vertex[i].vertex)
      g_error ("%s should%s be Vertex AI's", vertex[i].uri, vertex[i].vertex ? "" : " not");
}

/* An address in Preferences that is not Google's gets neither the key nor the prompt. */
static void
test_veo_endpoint_not_google (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("veo");
  g_autoptr(ReelProvider) listing = make_provider ("veo");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_VIDEO, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_auto(GStrv) models = NULL;

  set_up ();
  reel_veo_trust_origin_for_tests (REEL_VEO (provider), NULL);
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "googleapis.com"));
  g_clear_error (&error);

  answer = check_sync (provider, &error);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG);
  g_clear_error (&error);

  /* Listing asks nobody (see test_gemini_list_models). */
  reel_veo_trust_origin_for_tests (REEL_VEO (listing), NULL);
  models = list_models_sync (listing, &error);
  g_assert_no_error (error);

  /* Google's own hosts other than Vertex AI's (the Gemini API, the old default) have no Veo:
   * refused too, with the way out. */
  {
    static const char *elsewhere[] = { "https://generativelanguage.googleapis.com",
                                       "https://storage.googleapis.com",
                                       "https://us-central1-aiplatform.evil.googleapis.com",
                                       "http://us-central1-aiplatform.googleapis.com" };

    for (guint i = 0; i < G_N_ELEMENTS (elsewhere); i++)
      {
        g_autoptr(GPtrArray) none = NULL;

        reel_provider_set_endpoint (provider, elsewhere[i]);
        none = generate_sync (provider, request, NULL, NULL, &error);
        g_assert_null (none);
        g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG);
        g_assert_nonnull (strstr (error->message, "Leave the address"));
        g_clear_error (&error);
      }
  }

  g_assert_cmpuint (fake_server_connections (server), ==, 0);
}

static gboolean
operation_started (gpointer data)
{
  return count_requests (":predictLongRunning") >= 1;
}

static void
test_veo_cancel_while_polling (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("veo");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_VIDEO, 1);
  g_autoptr(GError) error = NULL;

  set_up ();
  /* The next poll would be an hour away. */
  fake_server_config (server, "{\"veo_polls\":1000}");
  reel_veo_set_poll_interval (REEL_VEO (provider), 3600 * 1000);
  error = generate_then_cancel (provider, request, operation_started);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ComfyUI ----------------------------------------------------------------------------------- */

static void
test_comfyui_text_to_image (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("comfyui");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 2);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress = { 0, 0 };

  set_up ();
  request->seed = 77;
  assets = generate_sync (provider, request, NULL, &progress, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 2);
  g_assert_cmpuint (progress.calls, >=, 2);
  for (guint i = 0; i < 2; i++)
    {
      ReelAsset *asset = g_ptr_array_index (assets, i);

      assert_record (asset, "comfyui", request, 77 + i);
      g_assert_cmpstr (reel_asset_get_generation (asset)->model, ==, "txt2img.json");
      g_assert_cmpstr (reel_asset_get_generation (asset)->negative_prompt, ==, "people, text");
      g_assert_cmpint (reel_asset_get_width (asset), ==, 1344 / 4);
      g_assert_cmpint (reel_asset_get_height (asset), ==, 752 / 4);
    }

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonNode) owner = NULL;
      JsonObject *body = json_object_get_object_member (find_request (&owner, "/prompt", i),
                                                        "json");
      JsonObject *workflow = json_object_get_object_member (body, "prompt");
      JsonObject *sampler = json_object_get_object_member (
        json_object_get_object_member (workflow, "3"), "inputs");
      JsonObject *latent = json_object_get_object_member (
        json_object_get_object_member (workflow, "5"), "inputs");
      JsonObject *text = json_object_get_object_member (
        json_object_get_object_member (workflow, "6"), "inputs");

      g_assert_cmpstr (json_object_get_string_member (body, "client_id"), !=, "");
      g_assert_cmpint (json_node_get_value_type (json_object_get_member (sampler, "seed")), ==,
                       G_TYPE_INT64);
      g_assert_cmpint (json_object_get_int_member (sampler, "seed"), ==, 77 + i);
      g_assert_cmpint (json_object_get_int_member (latent, "width"), ==, 1344);
      g_assert_cmpint (json_object_get_int_member (latent, "height"), ==, 752);
      g_assert_cmpstr (json_object_get_string_member (text, "text"), ==, request->prompt);
    }
  g_assert_cmpuint (count_requests ("/view?"), ==, 2);
}

static void
test_comfyui_image_to_image (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("comfyui");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_ANGLE, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) owner = NULL;
  g_autoptr(JsonNode) owner2 = NULL;
  JsonObject *upload;
  JsonObject *workflow;
  const char *uploaded;

  set_up ();
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 1);
  g_assert_cmpstr (reel_asset_get_generation (g_ptr_array_index (assets, 0))->model, ==,
                   "img2img.json");

  /* The background went up first, then the workflow loads exactly that file. */
  upload = find_request (&owner, "/upload/image", 0);
  g_assert_false (json_object_has_member (upload, "multipart_error"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (upload, "form"),
                                                  "type"), ==, "input");
  uploaded = json_object_get_string_member (upload, "uploaded");
  g_assert_true (g_str_has_prefix (uploaded, "storyreel-"));
  workflow = json_object_get_object_member (
    json_object_get_object_member (find_request (&owner2, "/prompt", 0), "json"), "prompt");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_object_get_object_member (workflow, "1"),
                                                    "inputs"), "image"), ==, uploaded);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (
                                    json_object_get_object_member (
                                      json_object_get_object_member (workflow, "3"), "inputs"),
                                    "denoise"), 0.7, 1e-9);
}

/* A moving background through ComfyUI: the shot's background goes up, Wan 2.2's template
 * starts from it, and the clip that SaveVideo made (a real WebM, made here with GStreamer)
 * comes back byte for byte as a video asset whose record names the template. */
static void
test_comfyui_video (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("comfyui");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_VIDEO, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) owner = NULL;
  g_autoptr(JsonNode) owner2 = NULL;
  g_autoptr(JsonNode) owner3 = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *clip_path = NULL;
  g_autofree char *location = NULL;
  g_autofree char *config = NULL;
  g_autofree char *clip = NULL;
  gsize clip_size = 0;
  int exit_status = 0;
  const char *argv[] = { "gst-launch-1.0", "-q", "videotestsrc", "num-buffers=8", "!",
                         "video/x-raw,width=64,height=36,framerate=16/1", "!", "vp8enc", "!",
                         "webmmux", "!", "filesink", NULL, NULL };
  ReelAsset *asset;
  GBytes *data;
  JsonObject *workflow;
  JsonObject *inputs;
  JsonObject *view;
  const char *uploaded;

  if (!reel_test_require_program ("gst-launch-1.0"))
    return;

  set_up ();
  dir = g_dir_make_tmp ("storyreel-comfy-video-XXXXXX", &error);
  g_assert_no_error (error);
  clip_path = g_build_filename (dir, "clip.webm", NULL);
  location = g_strconcat ("location=", clip_path, NULL);
  argv[12] = location;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &exit_status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (exit_status, NULL));
  g_assert_true (g_file_get_contents (clip_path, &clip, &clip_size, NULL));
  config = g_strdup_printf ("{\"comfy_video\":\"%s\"}", clip_path);
  fake_server_config (server, config);

  /* Without a background there is nothing to move: a clear error, nothing sent. */
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "background"));
  g_clear_error (&error);
  g_clear_pointer (&assets, g_ptr_array_unref);

  request->background = png_asset (64, 36, 0x406080ff);
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 1);
  asset = g_ptr_array_index (assets, 0);
  g_assert_true (reel_asset_is_video (asset));
  g_assert_cmpstr (reel_asset_get_mime_type (asset), ==, REEL_MIME_WEBM);
  data = reel_asset_get_data (asset);
  g_assert_cmpmem (g_bytes_get_data (data, NULL), g_bytes_get_size (data), clip, clip_size);
  g_assert_cmpstr (reel_asset_get_generation (asset)->model, ==, "wan22-i2v.json");

  /* The workflow's LoadImage names the uploaded background, its length is Wan's 81 frames,
   * and the clip was read from SaveVideo's subfolder. */
  uploaded = json_object_get_string_member (find_request (&owner, "/upload/image", 0),
                                            "uploaded");
  workflow = json_object_get_object_member (
    json_object_get_object_member (find_request (&owner2, "/prompt", 0), "json"), "prompt");
  inputs = json_object_get_object_member (json_object_get_object_member (workflow, "1"),
                                          "inputs");
  g_assert_cmpstr (json_object_get_string_member (inputs, "image"), ==, uploaded);
  inputs = json_object_get_object_member (json_object_get_object_member (workflow, "8"),
                                          "inputs");
  g_assert_cmpint (json_object_get_int_member (inputs, "length"), ==, 81);
  view = find_request (&owner3, "/view", 0);
  g_assert_nonnull (strstr (json_object_get_string_member (view, "path"),
                            "subfolder=storyreel"));

  /* A clip template that saves only a still is refused, naming what is missing. */
  reel_comfyui_set_video_workflow (REEL_COMFYUI (provider), "img2img.json");
  g_clear_pointer (&assets, g_ptr_array_unref);
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NO_IMAGE);
  g_assert_nonnull (strstr (error->message, "Save Video"));
  g_clear_error (&error);

  g_unlink (clip_path);
  g_rmdir (dir);
}

/* The depth template: the depth of the shot's camera in the set goes up as a PNG of the
 * frame's size, and the workflow's LoadImage names exactly that upload. */
static void
test_comfyui_depth (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("comfyui");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) owner = NULL;
  g_autoptr(JsonNode) owner2 = NULL;
  JsonObject *upload;
  JsonObject *png;
  JsonObject *workflow;
  const char *uploaded;

  set_up ();
  request->width = 512;
  request->height = 288;
  reel_comfyui_set_workflows (REEL_COMFYUI (provider), "depth-controlnet.json", NULL);
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 1);
  g_assert_cmpstr (reel_asset_get_generation (g_ptr_array_index (assets, 0))->model, ==,
                   "depth-controlnet.json");

  g_assert_cmpuint (count_requests ("/upload/image"), ==, 1);
  upload = find_request (&owner, "/upload/image", 0);
  uploaded = json_object_get_string_member (upload, "uploaded");
  g_assert_true (g_str_has_prefix (uploaded, "storyreel-depth-"));
  png = json_object_get_object_member (upload, "upload_png");
  g_assert_nonnull (png);
  g_assert_cmpint (json_object_get_int_member (png, "width"), ==, 512);
  g_assert_cmpint (json_object_get_int_member (png, "height"), ==, 288);

  workflow = json_object_get_object_member (
    json_object_get_object_member (find_request (&owner2, "/prompt", 0), "json"), "prompt");
  g_assert_false (json_object_has_member (workflow, "storyreel"));
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_object_get_object_member (workflow, "1"),
                                                    "inputs"), "image"), ==, uploaded);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (workflow, "11"),
                                                  "class_type"), ==, "ControlNetApplyAdvanced");
}

/* The depth map itself: near is bright, far is darker, the sky black. */
static void
test_comfyui_depth_image (void)
{
  const guint16 depth[4] = { 100, 400, 1600, 65535 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = reel_comfyui_depth_to_control_png (depth, 4, 1, &error);
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  GdkPixbuf *pixbuf;
  const guint8 *pixels;
  int channels;

  g_assert_no_error (error);
  gdk_pixbuf_loader_write_bytes (loader, png, &error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  pixels = gdk_pixbuf_get_pixels (pixbuf);
  channels = gdk_pixbuf_get_n_channels (pixbuf);
  g_assert_cmpint (pixels[0], ==, 255);
  g_assert_cmpint (pixels[0], >, pixels[channels]);
  g_assert_cmpint (pixels[channels], >, pixels[2 * channels]);
  g_assert_cmpint (pixels[2 * channels], ==, 32);
  g_assert_cmpint (pixels[3 * channels], ==, 0);
}

static int
compare_seeds (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The one seed rule, through the generator: a request without a seed gets one, and its
 * images get consecutive seeds from it, on a farm of one and with the gray-box. */
static void
test_consecutive_seeds (void)
{
  const char *ids[] = { "comfyui", "greybox" };

  for (guint p = 0; p < G_N_ELEMENTS (ids); p++)
    {
      g_autoptr(ReelProvider) provider = make_provider (ids[p]);
      g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 3);
      g_autoptr(GPtrArray) assets = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) seeds = g_array_new (FALSE, FALSE, sizeof (gint64));

      set_up ();
      request->width = 256;
      request->height = 144;
      g_assert_cmpint (request->seed, ==, -1);
      assets = generate_sync (provider, request, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (assets->len, ==, 3);
      /* The caller's request is not changed. */
      g_assert_cmpint (request->seed, ==, -1);

      for (guint i = 0; i < assets->len; i++)
        {
          gint64 seed = reel_asset_get_generation (g_ptr_array_index (assets, i))->seed;

          g_array_append_val (seeds, seed);
        }
      g_array_sort (seeds, compare_seeds);
      g_assert_cmpint (g_array_index (seeds, gint64, 0), >=, 0);
      for (guint i = 1; i < seeds->len; i++)
        g_assert_cmpint (g_array_index (seeds, gint64, i), ==,
                         g_array_index (seeds, gint64, 0) + i);
    }
}

static void
test_comfyui_least_busy (void)
{
  g_autoptr(FakeServer) busy = fake_server_start (NULL);
  g_autoptr(ReelProvider) provider = make_provider ("comfyui");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) busy_log = NULL;
  const char *servers[] = { busy->base_url, server->base_url, NULL };
  JsonArray *busy_requests;

  set_up ();
  fake_server_config (busy, "{\"comfy_busy\":3}");
  reel_comfyui_set_servers (REEL_COMFYUI (provider), servers);
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 1);

  /* The busy server, though listed first, was only asked about its queue. */
  busy_log = fake_server_log (busy);
  busy_requests = json_object_get_array_member (json_node_get_object (busy_log), "requests");
  g_assert_cmpuint (json_array_get_length (busy_requests), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (busy_requests,
                                                                                 0), "path"),
                   ==, "/queue");
  g_assert_cmpuint (count_requests ("/prompt"), ==, 1);
}

static void
test_comfyui_unreachable_server_skipped (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("comfyui");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  const char *servers[] = { "http://127.0.0.1:9", server->base_url, NULL };
  const char *dead[] = { "http://127.0.0.1:9", NULL };

  set_up ();
  reel_comfyui_set_servers (REEL_COMFYUI (provider), servers);
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 1);

  g_clear_pointer (&assets, g_ptr_array_unref);
  reel_comfyui_set_servers (REEL_COMFYUI (provider), dead);
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "ComfyUI"));
}

static char *
write_template (const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("storyreel-workflow-XXXXXX.json", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_comfyui_validation_error (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("comfyui");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_template (
    "{\"1\":{\"class_type\":\"LoadImage\",\"inputs\":{\"image\":\"not-uploaded.png\"}},"
    "\"2\":{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"1\",0],"
    "\"filename_prefix\":\"x\"}}}");

  set_up ();
  reel_comfyui_set_workflows (REEL_COMFYUI (provider), path, NULL);
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "LoadImage"));
  g_assert_nonnull (strstr (error->message, "Value not in list"));
  g_unlink (path);
}

static void
test_comfyui_not_api_format (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("comfyui");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_template ("{\"last_node_id\":9,\"nodes\":[],\"links\":[]}");

  set_up ();
  reel_comfyui_set_workflows (REEL_COMFYUI (provider), path, NULL);
  assets = generate_sync (provider, request, NULL, NULL, &error);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "API"));
  g_assert_cmpuint (count_requests ("/prompt"), ==, 0);
  g_unlink (path);
}

static void
test_comfyui_execution_error (void)
{
  set_up ();
  expect_error ("comfyui", "{\"fault\":\"execution-error\",\"path\":\"/prompt\"}",
                REEL_AI_ERROR_SERVER, "CUDA out of memory");
}

static gboolean
two_prompts_on_server (gpointer data)
{
  return count_requests ("/prompt") >= 2;
}

static gboolean
server_told_of_cancel (gpointer data)
{
  g_autoptr(JsonNode) log = fake_server_log (server);
  JsonObject *object = json_node_get_object (log);

  return json_object_get_int_member (object, "interrupts") >= 1
         && json_object_get_int_member (object, "deleted") >= 1;
}

static gboolean
server_told_of_interrupt (gpointer data)
{
  g_autoptr(JsonNode) log = fake_server_log (server);

  return json_object_get_int_member (json_node_get_object (log), "interrupts") >= 1;
}

static void
test_comfyui_cancel (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("comfyui");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 2);
  g_autoptr(GError) error = NULL;

  set_up ();
  /* Two at once: one runs, the other waits in the server's queue. Each would take an hour
   * on the server. */
  reel_comfyui_set_slots (REEL_COMFYUI (provider), 2);
  fake_server_config (server, "{\"comfy_duration\":3600}");
  error = generate_then_cancel (provider, request, two_prompts_on_server);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The server was told: the running prompt interrupted, the waiting one deleted. */
  wait_until (server_told_of_cancel, NULL);
}

static gboolean
status_says_queued (gpointer data)
{
  char **last = data;

  return *last != NULL && g_str_has_prefix (*last, "Queued on 127.0.0.1:");
}

/* Cancelled while waiting an hour for the next look at /history (the server took the
 * prompt, which the status says): the job ends then, on the same wait as Veo's and Wan's,
 * and the server is still told. */
static void
test_comfyui_cancel_between_polls (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("comfyui");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GError) error = NULL;

  set_up ();
  reel_comfyui_set_poll_interval (REEL_COMFYUI (provider), 3600 * 1000);
  fake_server_config (server, "{\"comfy_duration\":3600}");
  error = generate_then_cancel (provider, request, status_says_queued);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Never polled: the hour had not passed. */
  g_assert_cmpuint (count_requests ("/history/"), ==, 0);
  wait_until (server_told_of_interrupt, NULL);
}

static gboolean
status_says_busy (gpointer data)
{
  char **last = data;

  return g_strcmp0 (*last, "Every server is busy; waiting for one to be free") == 0;
}

/* Every server full of others' prompts, the next look an hour away: the status says why
 * nothing starts, and a cancel ends the job then, with nothing queued. */
static void
test_comfyui_cancel_while_servers_full (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("comfyui");
  g_autoptr(ReelGenerationRequest) request = make_request (REEL_GENERATION_BACKGROUND, 1);
  g_autoptr(GError) error = NULL;

  set_up ();
  reel_comfyui_farm_reset ();
  reel_comfyui_set_poll_interval (REEL_COMFYUI (provider), 3600 * 1000);
  fake_server_config (server, "{\"comfy_busy\":2,\"comfy_duration\":3600}");
  error = generate_then_cancel (provider, request, status_says_busy);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_requests ("/prompt"), ==, 0);
  reel_comfyui_farm_reset ();
}

static void
test_comfyui_check (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("comfyui");
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;

  set_up ();
  answer = check_sync (provider, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (answer, "ComfyUI 0.3.40"));
  /* The device, with its memory. */
  g_test_message ("%s", answer);
  g_assert_nonnull (strstr (answer, "cuda:0 Fake GPU (24.0"));
  g_assert_nonnull (strstr (answer, "GiB)"));
  /* The built-in templates need the SDXL checkpoint, which the fake has. */
  g_assert_nonnull (strstr (answer, "txt2img.json: has every model"));
  g_assert_nonnull (strstr (answer, "img2img.json: has every model"));
}

/* A template whose models a server lacks says which; both forms of /object_info's lists
 * are read. */
static void
test_comfyui_check_models (void)
{
  g_autoptr(ReelProvider) provider = make_provider ("comfyui");
  g_autoptr(FakeServer) second = fake_server_start (NULL);
  const char *servers[] = { server->base_url, second->base_url, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_auto(GStrv) lines = NULL;

  set_up ();
  reel_comfyui_set_servers (REEL_COMFYUI (provider), servers);
  reel_comfyui_set_workflows (REEL_COMFYUI (provider), "depth-controlnet.json",
                              "angles-qwen-edit.json");
  /* The second has the depth ControlNet, listed the newer way, and Wan 2.2 for clips. */
  fake_server_config (second, "{\"comfy_models_combo\":true,\"comfy_models\":{"
                              "\"CheckpointLoaderSimple\":{\"ckpt_name\":"
                              "[\"sd_xl_base_1.0.safetensors\"]},"
                              "\"ControlNetLoader\":{\"control_net_name\":"
                              "[\"controlnet-depth-sdxl-1.0.safetensors\"]},"
                              "\"UNETLoader\":{\"unet_name\":["
                              "\"wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors\","
                              "\"wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors\"]},"
                              "\"CLIPLoader\":{\"clip_name\":"
                              "[\"umt5_xxl_fp8_e4m3fn_scaled.safetensors\"]},"
                              "\"VAELoader\":{\"vae_name\":[\"wan_2.1_vae.safetensors\"]}}}");
  answer = check_sync (provider, &error);
  g_assert_no_error (error);
  g_test_message ("%s", answer);
  lines = g_strsplit (answer, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 8);
  g_assert_true (g_str_has_prefix (lines[0], server->base_url));
  g_assert_nonnull (strstr (lines[1], "depth-controlnet.json: lacks "
                                      "controlnet-depth-sdxl-1.0.safetensors"));
  g_assert_nonnull (strstr (lines[2], "angles-qwen-edit.json: lacks "
                                      "qwen_image_edit_2509_fp8_e4m3fn.safetensors, "));
  /* The clip template is checked too: the first server cannot make moving backgrounds. */
  g_assert_nonnull (strstr (lines[3], "wan22-i2v.json: lacks "
                                      "wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors, "
                                      "wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors, "
                                      "umt5_xxl_fp8_e4m3fn_scaled.safetensors, "
                                      "wan_2.1_vae.safetensors"));
  g_assert_true (g_str_has_prefix (lines[4], second->base_url));
  g_assert_nonnull (strstr (lines[5], "depth-controlnet.json: has every model"));
  g_assert_nonnull (strstr (lines[6], "Qwen-Edit-2509-Multiple-angles.safetensors"));
  g_assert_nonnull (strstr (lines[7], "wan22-i2v.json: has every model"));

  /* A clip template of one's own is the one checked. */
  {
    g_autofree char *path = write_template (
      "{\"storyreel\":{\"models\":[{\"class_type\":\"UNETLoader\",\"input\":\"unet_name\","
      "\"file\":\"my-video-model.safetensors\"}]},"
      "\"1\":{\"class_type\":\"EmptyImage\",\"inputs\":{\"width\":64,\"height\":64,"
      "\"batch_size\":1,\"color\":0}},"
      "\"2\":{\"class_type\":\"SaveImage\",\"inputs\":{\"images\":[\"1\",0],"
      "\"filename_prefix\":\"x\"}}}");
    g_autofree char *answer2 = NULL;
    g_autofree char *expected = g_strdup_printf ("%s: lacks my-video-model.safetensors", path);

    reel_comfyui_set_video_workflow (REEL_COMFYUI (provider), path);
    answer2 = check_sync (provider, &error);
    g_assert_no_error (error);
    g_test_message ("%s", answer2);
    g_assert_nonnull (strstr (answer2, expected));
    g_assert_null (strstr (answer2, "wan22-i2v.json"));
    g_unlink (path);
  }
}

static void
test_no_key_anywhere (void)
{
  g_assert_cmpuint (strlen (ai_test_captured_logs ()), >, 0);
  ai_test_assert_no_key (ai_test_captured_logs ());
}

int
main (int    argc,
      char **argv)
{
  static const FaultCase openai_faults[] = {
    { "{\"fault\":\"truncated-base64\",\"path\":\"/v1/images\"}", REEL_AI_ERROR_BAD_RESPONSE,
      "damaged" },
    { "{\"fault\":\"invalid-json\",\"path\":\"/v1/images\"}", REEL_AI_ERROR_BAD_RESPONSE,
      "JSON" },
    { "{\"fault\":\"no-image\",\"path\":\"/v1/images\"}", REEL_AI_ERROR_NO_IMAGE, NULL },
    { "{\"fault\":\"slow\",\"path\":\"/v1/images\",\"delay\":3}", REEL_AI_ERROR_TIMEOUT, NULL },
    { "{\"fault\":\"reset\",\"path\":\"/v1/images\"}", REEL_AI_ERROR_NETWORK, NULL },
    { "{\"fault\":\"close\",\"path\":\"/v1/images\"}", REEL_AI_ERROR_NETWORK, NULL },
    { "{\"fault\":\"redirect\",\"path\":\"/v1/images\",\"location\":\"ftp://127.0.0.1/x.png\"}",
      REEL_AI_ERROR_UNSAFE_REDIRECT, NULL },
  };
  static const char *openai_names[] = {
    "truncated-base64", "invalid-json", "no-image", "slow", "reset", "close", "redirect-ftp",
  };
  static const FaultCase gemini_faults[] = {
    { "{\"fault\":\"safety\",\"path\":\":generateContent\"}", REEL_AI_ERROR_BLOCKED, "SAFETY" },
    { "{\"fault\":\"safety-finish\",\"path\":\":generateContent\",\"reason\":\"IMAGE_SAFETY\"}",
      REEL_AI_ERROR_BLOCKED, "IMAGE_SAFETY" },
    { "{\"fault\":\"safety-finish\",\"path\":\":generateContent\","
      "\"reason\":\"IMAGE_PROHIBITED_CONTENT\"}", REEL_AI_ERROR_BLOCKED,
      "IMAGE_PROHIBITED_CONTENT" },
    { "{\"fault\":\"no-image\",\"path\":\":generateContent\"}", REEL_AI_ERROR_NO_IMAGE,
      "I cannot draw that" },
    { "{\"fault\":\"truncated-base64\",\"path\":\":generateContent\"}",
      REEL_AI_ERROR_BAD_RESPONSE, "damaged" },
    { "{\"fault\":\"invalid-json\",\"path\":\":generateContent\"}", REEL_AI_ERROR_BAD_RESPONSE,
      "JSON" },
    { "{\"fault\":\"server-error\",\"path\":\":generateContent\",\"times\":9}",
      REEL_AI_ERROR_SERVER, NULL },
    { "{\"fault\":\"slow\",\"path\":\":generateContent\",\"delay\":3}", REEL_AI_ERROR_TIMEOUT,
      NULL },
  };
  static const char *gemini_names[] = {
    "block-reason", "finish-image-safety", "finish-prohibited", "no-image", "truncated-base64",
    "invalid-json", "server-error-persists", "slow",
  };
  int status;

  g_test_init (&argc, &argv, NULL);
  ai_test_capture_logs ();
  server = fake_server_start (NULL);
  client = reel_http_client_new ();
  reel_http_client_set_delay_scale (client, 0.01);

  g_test_add_func ("/seedream/set", test_seedream_set);
  g_test_add_func ("/seedream/references", test_seedream_references);
  g_test_add_func ("/seedream/partial", test_seedream_partial);
  g_test_add_func ("/seedream/retired-model", test_seedream_retired_model);
  g_test_add_func ("/seedream/wrong-key", test_seedream_wrong_key);
  g_test_add_func ("/seedream/region", test_seedream_region);
  g_test_add_func ("/wan/images", test_wan_images);
  g_test_add_func ("/wan/video", test_wan_video);
  g_test_add_func ("/wan/task-failed", test_wan_task_failed);
  g_test_add_func ("/wan/deadline", test_wan_deadline);
  g_test_add_func ("/wan/cancel-between-polls", test_wan_cancel_between_polls);
  g_test_add_func ("/wan/retired-model", test_wan_retired_model);
  g_test_add_data_func ("/references-not-kept/gemini", "gemini", test_references_not_kept);
  g_test_add_data_func ("/references-not-kept/openai", "openai", test_references_not_kept);
  g_test_add_data_func ("/references-not-kept/seedream", "seedream", test_references_not_kept);
  g_test_add_data_func ("/references-not-kept/veo", "veo", test_references_not_kept);
  g_test_add_data_func ("/references-not-kept/wan", "wan", test_references_not_kept);
  g_test_add_data_func ("/references-not-kept/comfyui", "comfyui", test_references_not_kept);
  g_test_add_data_func ("/structure/gemini", "gemini", test_structure_reference);
  g_test_add_data_func ("/structure/openai", "openai", test_structure_reference);
  g_test_add_data_func ("/structure/seedream", "seedream", test_structure_reference);
  g_test_add_func ("/structure/drawn-by-provider", test_structure_drawn_by_provider);
  g_test_add_func ("/models/usage-kept", test_usage_kept);
  g_test_add_func ("/models/defaults", test_default_models);
  g_test_add_func ("/models/gemini-retired", test_gemini_retired_model);
  g_test_add_func ("/models/openai-retired", test_openai_retired_model);
  g_test_add_func ("/models/veo-retired", test_veo_retired_model);
  g_test_add_func ("/models/gemini-list", test_gemini_list_models);
  g_test_add_func ("/models/openai-list", test_openai_list_models);
  g_test_add_func ("/openai/generations", test_openai_generations);
  g_test_add_func ("/openai/edits", test_openai_edits);
  g_test_add_func ("/openai/edit-single-image", test_openai_edit_single_image);
  g_test_add_func ("/openai/no-key", test_openai_no_key);
  g_test_add_func ("/openai/key-from-environment", test_openai_key_from_environment);
  g_test_add_func ("/openai/wrong-key", test_openai_wrong_key);
  g_test_add_func ("/openai/insufficient-quota", test_openai_quota_not_retried);
  g_test_add_func ("/openai/moderation-blocked", test_openai_moderation);
  g_test_add_func ("/openai/rate-limit-then-success", test_openai_rate_limit_then_success);
  g_test_add_func ("/openai/rate-limit-exhausted", test_openai_rate_limit_exhausted);
  g_test_add_func ("/openai/server-error-then-success", test_openai_server_error_then_success);
  for (guint i = 0; i < G_N_ELEMENTS (openai_faults); i++)
    {
      g_autofree char *path = g_strdup_printf ("/openai/fault/%s", openai_names[i]);

      g_test_add_data_func (path, &openai_faults[i], test_openai_faults);
    }
  g_test_add_func ("/openai/check", test_openai_check);
  g_test_add_func ("/openai/local-only", test_local_only);

  g_test_add_func ("/gemini/generate", test_gemini_generate);
  g_test_add_func ("/gemini/references-and-pro", test_gemini_references_and_pro);
  g_test_add_func ("/gemini/retry-delay", test_gemini_retry_delay);
  g_test_add_func ("/gemini/retry-delay-too-long", test_gemini_retry_delay_too_long);
  g_test_add_func ("/gemini/wrong-key", test_gemini_wrong_key);
  for (guint i = 0; i < G_N_ELEMENTS (gemini_faults); i++)
    {
      g_autofree char *path = g_strdup_printf ("/gemini/fault/%s", gemini_names[i]);

      g_test_add_data_func (path, &gemini_faults[i], test_gemini_faults);
    }
  g_test_add_func ("/gemini/check", test_gemini_check);

  g_test_add_func ("/veo/generate", test_veo_generate);
  g_test_add_func ("/veo/last-frame", test_veo_last_frame);
  g_test_add_func ("/veo/end-camera", test_veo_end_camera);
  g_test_add_func ("/veo/look-reference", test_veo_look_reference);
  g_test_add_func ("/veo/operation-error", test_veo_operation_error);
  g_test_add_func ("/veo/rai-filtered", test_veo_rai_filtered);
  g_test_add_func ("/veo/cloud-storage-refused", test_veo_cloud_storage_refused);
  g_test_add_func ("/veo/token-refused", test_veo_token_refused);
  g_test_add_func ("/veo/settings-checked", test_veo_settings_checked);
  g_test_add_func ("/veo/token-command", test_veo_token_command);
  g_test_add_func ("/veo/check", test_veo_check);
  g_test_add_func ("/veo/cancel-while-polling", test_veo_cancel_while_polling);
  g_test_add_func ("/veo/google-hosts", test_veo_google_hosts);
  g_test_add_func ("/veo/endpoint-not-google", test_veo_endpoint_not_google);

  g_test_add_func ("/comfyui/text-to-image", test_comfyui_text_to_image);
  g_test_add_func ("/comfyui/image-to-image", test_comfyui_image_to_image);
  g_test_add_func ("/comfyui/depth", test_comfyui_depth);
  g_test_add_func ("/comfyui/video", test_comfyui_video);
  g_test_add_func ("/comfyui/depth-image", test_comfyui_depth_image);
  g_test_add_func ("/comfyui/least-busy", test_comfyui_least_busy);
  g_test_add_func ("/generator/consecutive-seeds", test_consecutive_seeds);
  g_test_add_func ("/comfyui/unreachable-server", test_comfyui_unreachable_server_skipped);
  g_test_add_func ("/comfyui/validation-error", test_comfyui_validation_error);
  g_test_add_func ("/comfyui/not-api-format", test_comfyui_not_api_format);
  g_test_add_func ("/comfyui/execution-error", test_comfyui_execution_error);
  g_test_add_func ("/comfyui/cancel", test_comfyui_cancel);
  g_test_add_func ("/comfyui/cancel-between-polls", test_comfyui_cancel_between_polls);
  g_test_add_func ("/comfyui/cancel-while-servers-full", test_comfyui_cancel_while_servers_full);
  g_test_add_func ("/comfyui/check", test_comfyui_check);
  g_test_add_func ("/comfyui/check-models", test_comfyui_check_models);

  g_test_add_func ("/zz/no-key-in-logs", test_no_key_anywhere);

  status = reel_test_run ();
  g_clear_object (&client);
  g_clear_pointer (&server, fake_server_stop);
  return status;
}
