/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-veo"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reel-ai-error.h"
#include "reel-gemini-private.h"
#include "reel-greybox.h"
#include "reel-keys.h"
#include "reel-models.h"
#include "reel-veo-private.h"

/* Google Veo: a moving background. POST …:predictLongRunning starts an operation, which
 * is polled (GET /v1beta/{name}) until "done"; the clip's URI is then downloaded with the
 * key, following redirects to storage (the engine drops the key when the origin changes).
 *
 * The key goes to Google's own hosts over HTTPS and nowhere else: an address in
 * Preferences or a download URI in an answer that names another host or scheme is refused
 * before anything is sent. Tests trust their fake server's origin through a C call, or
 * (for the tests that run the program) STORYREEL_VEO_TEST_ORIGIN, honoured only for a
 * loopback address: no setting or project file reaches it. */

#define VEO_MAX_VIDEO_SIZE (512 * 1024 * 1024)
#define VEO_DEFAULT_POLL_MS 5000

struct _ReelVeo
{
  ReelProvider parent_instance;

  guint poll_interval_ms;
  char *test_origin;   /* "scheme://host:port", tests only */
};

G_DEFINE_FINAL_TYPE (ReelVeo, reel_veo, REEL_TYPE_PROVIDER)

void
reel_veo_set_poll_interval (ReelVeo *self,
                            guint    milliseconds)
{
  g_return_if_fail (REEL_IS_VEO (self));
  self->poll_interval_ms = MAX (milliseconds, 10);
}

/**
 * reel_veo_uri_is_google:
 *
 * Whether @uri is HTTPS on googleapis.com or one of its subdomains (the Gemini API, Google
 * Cloud's regional endpoints, Google's storage), the only places the key may go.
 */
gboolean
reel_veo_uri_is_google (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  g_autofree char *host = NULL;

  if (uri == NULL)
    return FALSE;
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);
  if (parsed == NULL || g_uri_get_host (parsed) == NULL
      || g_ascii_strcasecmp (g_uri_get_scheme (parsed), "https") != 0
      || g_uri_get_userinfo (parsed) != NULL)
    return FALSE;

  host = g_ascii_strdown (g_uri_get_host (parsed), -1);
  return g_str_equal (host, "googleapis.com") || g_str_has_suffix (host, ".googleapis.com");
}

void
reel_veo_trust_origin_for_tests (ReelVeo    *self,
                                 const char *origin)
{
  g_return_if_fail (REEL_IS_VEO (self));

  g_free (self->test_origin);
  self->test_origin = g_strdup (origin);
}

static gboolean
same_origin (const char *uri,
             const char *origin)
{
  g_autoptr(GUri) a = g_uri_parse (uri, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);
  g_autoptr(GUri) b = g_uri_parse (origin, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);

  return a != NULL && b != NULL && g_uri_get_host (a) != NULL && g_uri_get_host (b) != NULL
         && g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0
         && g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0
         && g_uri_get_port (a) == g_uri_get_port (b) && g_uri_get_userinfo (a) == NULL;
}

static gboolean
origin_is_loopback (const char *origin)
{
  g_autoptr(GUri) parsed = g_uri_parse (origin, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS,
                                        NULL);
  g_autoptr(GInetAddress) address = NULL;

  if (parsed == NULL || g_uri_get_host (parsed) == NULL || g_uri_get_userinfo (parsed) != NULL)
    return FALSE;
  address = g_inet_address_new_from_string (g_uri_get_host (parsed));
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
key_may_go_to (ReelVeo    *self,
               const char *uri)
{
  return reel_veo_uri_is_google (uri)
         || (self->test_origin != NULL && same_origin (uri, self->test_origin));
}

static char *
uri_host (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);

  /* The scheme and host only: a path or a query could carry anything. */
  if (parsed == NULL || g_uri_get_host (parsed) == NULL)
    return g_strdup ("?");
  return g_strdup_printf ("%s://%s", g_uri_get_scheme (parsed), g_uri_get_host (parsed));
}

static GError *
endpoint_refused_error (ReelVeo *self)
{
  ReelProvider *provider = REEL_PROVIDER (self);
  const char *name = reel_provider_get_display_name (provider);
  g_autofree char *host = uri_host (reel_provider_get_endpoint (provider));

  return g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_CONFIG,
                      _("%s’s key is only sent to Google’s own servers over HTTPS "
                        "(…googleapis.com), and %s is not one, so nothing was sent. Check the "
                        "address in Preferences → %s."), name, host, name);
}

/* What frames the clip is held to. Veo takes a first frame (the shot's background, else
 * its drawing) and then optionally the frame it should end on; or, without a first frame,
 * up to three "asset" reference images (the project's look) but then neither frame. */
typedef enum
{
  VEO_LAST_FRAME_NONE,
  VEO_LAST_FRAME_NEXT_SHOT,   /* the next shot's background */
  VEO_LAST_FRAME_END_CAMERA,  /* the gray-box seen from where the camera move ends */
} VeoLastFrame;

static ReelAsset *
veo_first_frame (ReelGenerationRequest *request)
{
  ReelAsset *image = request->background != NULL ? request->background : request->sketch;

  return image != NULL && !reel_asset_is_video (image) ? image : NULL;
}

static gboolean
made_by_greybox (ReelAsset *asset)
{
  const ReelGenerationRecord *record = reel_asset_get_generation (asset);

  return record != NULL && g_strcmp0 (record->provider, "greybox") == 0;
}

static VeoLastFrame
veo_choose_last_frame (ReelGenerationRequest *request)
{
  ReelAsset *first = veo_first_frame (request);

  if (first == NULL)
    return VEO_LAST_FRAME_NONE;
  if (request->last_frame != NULL && !reel_asset_is_video (request->last_frame))
    return VEO_LAST_FRAME_NEXT_SHOT;
  /* The gray-box's end view only ends a clip that starts in the gray-box: a painted first
   * frame would otherwise turn grey on the way. */
  if (request->camera != NULL && request->camera->moves && made_by_greybox (first))
    return VEO_LAST_FRAME_END_CAMERA;
  return VEO_LAST_FRAME_NONE;
}

static gboolean
veo_uses_look (ReelGenerationRequest *request)
{
  return veo_first_frame (request) == NULL && request->look != NULL
         && !reel_asset_is_video (request->look);
}

typedef struct
{
  ReelGenerationRequest *request;
  ReelGenerationProgressFunc progress;
  gpointer progress_data;
  char *key;
  char *start_url;
  char *operation;
  ReelHttpRequest *http;
  JsonObject *parameters;
  gint64 started_us;
  guint polls;
  ReelProviderPoll poll;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_clear_pointer (&job->request, reel_generation_request_unref);
  if (job->key != NULL)
    memset (job->key, 0, strlen (job->key));
  g_free (job->key);
  g_free (job->start_url);
  g_free (job->operation);
  g_clear_object (&job->http);
  g_clear_pointer (&job->parameters, json_object_unref);
  reel_provider_poll_clear (&job->poll);
  g_free (job);
}

static void
report (Job        *job,
        const char *status)
{
  if (job->progress != NULL)
    job->progress (-1, status, job->progress_data);
}

static void
send_request (GTask               *task,
              ReelHttpRequest     *http,
              GAsyncReadyCallback  callback)
{
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);

  g_set_object (&job->http, http);
  if (!key_may_go_to (REEL_VEO (provider), reel_http_request_get_url (http)))
    {
      g_task_return_error (task, endpoint_refused_error (REEL_VEO (provider)));
      return;
    }
  reel_http_request_add_secret_header (http, "x-goog-api-key", job->key);
  reel_http_client_send_async (reel_provider_get_http_client (provider), http,
                               g_task_get_cancellable (task), callback, g_object_ref (task));
}

/* The response of a step: an error for the task, or NULL and the JSON. */
static JsonNode *
step_json (GTask        *task,
           GObject      *client,
           GAsyncResult *result)
{
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (client), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }
  if (!reel_http_response_is_success (response))
    {
      g_task_return_error (task, reel_gemini_error_from_response (provider, job->http, job->key,
                                                                  response));
      return NULL;
    }

  root = reel_http_response_parse_json (response, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      if (error == NULL)
        error = g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                             _("%s sent an answer that is not what its protocol promises. Check "
                               "the address in Preferences."),
                             reel_provider_get_display_name (provider));
      g_clear_pointer (&root, json_node_unref);
      g_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }

  return root;
}

static void
on_downloaded (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(ReelGenerationRecord) record = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *body;
  gsize size = 0;
  const guint8 *data;
  const char *mime_type = REEL_MIME_MP4;
  int width = 1280;
  int height = 720;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!reel_http_response_is_success (response))
    {
      g_task_return_error (task, reel_gemini_error_from_response (provider, job->http, job->key,
                                                                  response));
      return;
    }

  body = reel_http_response_get_body (response);
  data = g_bytes_get_data (body, &size);
  /* An MP4 has "ftyp" at offset 4; WebM starts with the EBML magic. */
  if (size >= 12 && memcmp (data + 4, "ftyp", 4) == 0)
    mime_type = REEL_MIME_MP4;
  else if (size >= 4 && memcmp (data, "\x1a\x45\xdf\xa3", 4) == 0)
    mime_type = REEL_MIME_WEBM;
  else
    {
      g_task_return_new_error (task, REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                               _("%s sent something that is not a video. Try again."),
                               reel_provider_get_display_name (provider));
      return;
    }

  if (job->request->aspect_ratio < 1.0)
    {
      width = 720;
      height = 1280;
    }

  record = reel_provider_new_record (provider, job->request, job->start_url, -1,
                                     job->parameters, job->started_us);
  if (veo_choose_last_frame (job->request) == VEO_LAST_FRAME_NEXT_SHOT)
    {
      g_autoptr(GStrvBuilder) hashes = g_strv_builder_new ();

      if (record->input_hashes != NULL)
        g_strv_builder_addv (hashes, (const char **) record->input_hashes);
      g_strv_builder_add (hashes, reel_asset_get_hash (job->request->last_frame));
      g_strfreev (record->input_hashes);
      record->input_hashes = g_strv_builder_end (hashes);
    }
  assets = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (assets, reel_asset_new_video (body, mime_type, width, height, record));
  g_task_return_pointer (task, g_steal_pointer (&assets), (GDestroyNotify) g_ptr_array_unref);
}

/* Pure: what a poll answer says. FALSE with @error for an operation that failed, was
 * blocked or ended without a clip; else TRUE, and *@done with the clip's address in
 * *@uri (transfer full) once it is ready. @key is scrubbed from the service's messages.
 * The fuzzer in tests/fuzz feeds it. */
gboolean
reel_veo_parse_operation (JsonObject  *operation,
                          const char  *display_name,
                          const char  *key,
                          gboolean    *done,
                          char       **uri,
                          GError     **error)
{
  JsonObject *failure;
  JsonObject *response;
  JsonObject *video_response;
  JsonArray *samples;
  JsonObject *video;
  const char *address;

  *done = FALSE;
  *uri = NULL;

  if (!reel_json_get_boolean (operation, "done", FALSE))
    return TRUE;

  failure = reel_json_get_object (operation, "error");
  if (failure != NULL)
    {
      g_autofree char *message = reel_keys_scrub (reel_json_get_string (failure, "message"),
                                                  key);

      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_FAILED,
                   _("%s could not make the clip (%s). Change the prompt and try again."),
                   display_name, message != NULL ? message : "?");
      return FALSE;
    }

  response = reel_json_get_object (operation, "response");
  video_response = reel_json_get_object (response, "generateVideoResponse");
  if (reel_json_get_int (video_response, "raiMediaFilteredCount", 0) > 0)
    {
      /* The service's words, like its error messages: never with the key in them. */
      g_autofree char *reason = reel_keys_scrub (reel_json_array_get_string (
        reel_json_get_array (video_response, "raiMediaFilteredReasons"), 0), key);

      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_BLOCKED,
                   _("%s blocked the clip (%s). Change the prompt or the reference "
                     "image and try again."),
                   display_name, reason != NULL ? reason : "SAFETY");
      return FALSE;
    }

  samples = reel_json_get_array (video_response, "generatedSamples");
  video = reel_json_get_object (reel_json_array_get_object (samples, 0), "video");
  address = reel_json_get_string (video, "uri");
  if (address == NULL)
    {
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NO_IMAGE,
                   _("%s finished without a clip. Try again, or change the prompt."),
                   display_name);
      return FALSE;
    }

  *done = TRUE;
  *uri = g_strdup (address);
  return TRUE;
}

/* Pure: the operation name of a predictLongRunning answer, or NULL and @error. It goes
 * into a URL path: only the characters an operation name has. */
const char *
reel_veo_parse_operation_name (JsonObject  *answer,
                               const char  *display_name,
                               GError     **error)
{
  const char *name = reel_json_get_string (answer, "name");

  if (name == NULL || name[0] == '\0' || strstr (name, "..") != NULL
      || strspn (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._/")
           != strlen (name))
    {
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                   _("%s sent an answer that is not what its protocol promises. "
                     "Check the address in Preferences."),
                   display_name);
      return NULL;
    }

  return name;
}

static void poll_operation (GTask    *task,
                            gpointer  data);

static void
on_polled (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelVeo *self = g_task_get_source_object (task);
  ReelProvider *provider = REEL_PROVIDER (self);
  Job *job = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = step_json (task, object, result);
  g_autoptr(ReelHttpRequest) download = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *uri = NULL;
  gboolean done = FALSE;

  if (root == NULL)
    return;

  if (!reel_veo_parse_operation (json_node_get_object (root),
                                 reel_provider_get_display_name (provider), job->key, &done,
                                 &uri, &parse_error))
    {
      g_task_return_error (task, g_steal_pointer (&parse_error));
      return;
    }
  if (!done)
    {
      g_autofree char *status = NULL;
      guint seconds = job->polls * self->poll_interval_ms / 1000;

      if (g_task_return_error_if_cancelled (task))
        return;

      /* Translators: progress of a video being made; %u is seconds */
      status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Making the clip (%u second)",
                                             "Making the clip (%u seconds)", seconds), seconds);
      report (job, status);
      reel_provider_poll_schedule (&job->poll, task, self->poll_interval_ms, 0, poll_operation,
                                   NULL, NULL);
      return;
    }

  if (!key_may_go_to (self, uri))
    {
      g_autofree char *host = uri_host (uri);

      g_task_return_new_error (task, REEL_AI_ERROR, REEL_AI_ERROR_UNSAFE_REDIRECT,
                               _("%s named a clip at %s, which is not one of Google’s servers "
                                 "over HTTPS, so it was not fetched: the key goes to Google "
                                 "only. Try again."),
                               reel_provider_get_display_name (provider), host);
      return;
    }

  report (job, _("Downloading the clip"));
  download = reel_provider_new_request (provider, "GET", uri);
  reel_http_request_set_follow_redirects (download, TRUE);
  reel_http_request_set_max_response_size (download, VEO_MAX_VIDEO_SIZE);
  send_request (task, download, on_downloaded);
}

static void
poll_operation (GTask    *task,
                gpointer  data)
{
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autofree char *url = NULL;
  g_autoptr(ReelHttpRequest) poll = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  job->polls++;
  url = g_strdup_printf ("%s/v1beta/%s", reel_provider_get_endpoint (provider), job->operation);
  poll = reel_provider_new_request (provider, "GET", url);
  reel_http_request_set_idle_timeout (poll, 60000);
  send_request (task, poll, on_polled);
}

static void
on_started (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = step_json (task, object, result);
  g_autoptr(GError) error = NULL;
  const char *name;

  if (root == NULL)
    return;

  name = reel_veo_parse_operation_name (json_node_get_object (root),
                                        reel_provider_get_display_name (provider), &error);
  if (name == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  job->operation = g_strdup (name);
  report (job, _("Making the clip"));
  poll_operation (task, NULL);
}

typedef struct
{
  ReelGenerationRequest *request;
  char *aspect;
  VeoLastFrame last_frame;
} BodyInput;

static void
body_input_free (gpointer data)
{
  BodyInput *input = data;

  g_clear_pointer (&input->request, reel_generation_request_unref);
  g_free (input->aspect);
  g_free (input);
}

/* {"bytesBase64Encoded": …, "mimeType": …} as member @name (NULL: as an array element). */
static void
add_image (JsonBuilder *builder,
           const char  *name,
           GBytes      *data,
           const char  *mime_type)
{
  gsize size = 0;
  const guchar *bytes = g_bytes_get_data (data, &size);
  g_autofree char *encoded = g_base64_encode (bytes, size);

  if (name != NULL)
    json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "bytesBase64Encoded");
  json_builder_add_string_value (builder, encoded);
  json_builder_set_member_name (builder, "mimeType");
  json_builder_add_string_value (builder, mime_type);
  json_builder_end_object (builder);
}

static GBytes *
render_end_camera (ReelGenerationRequest *request)
{
  g_autoptr(ReelGenerationRequest) end = reel_generation_request_copy (request);

  g_clear_pointer (&end->camera, reel_shot_camera_free);
  end->camera = reel_shot_camera_new (&request->camera->end);
  return reel_greybox_render_png (end, (guint32) MAX (request->seed, 0));
}

static gpointer
build_body (gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  BodyInput *input = data;
  ReelGenerationRequest *request = input->request;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  ReelAsset *first = veo_first_frame (request);
  /* Read for this request only: the assets do not keep them. */
  g_autoptr(GBytes) first_data = NULL;
  g_autoptr(GBytes) last_data = NULL;
  g_autoptr(GBytes) look_data = NULL;
  gsize length = 0;
  char *text;

  if (first != NULL && (first_data = reel_asset_dup_data (first, cancellable, error)) == NULL)
    return NULL;
  if (input->last_frame == VEO_LAST_FRAME_NEXT_SHOT
      && (last_data = reel_asset_dup_data (request->last_frame, cancellable, error)) == NULL)
    return NULL;
  if (veo_uses_look (request)
      && (look_data = reel_asset_dup_data (request->look, cancellable, error)) == NULL)
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "instances");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, request->prompt);
  if (first != NULL)
    add_image (builder, "image", first_data, reel_asset_get_mime_type (first));
  if (input->last_frame == VEO_LAST_FRAME_NEXT_SHOT)
    {
      add_image (builder, "lastFrame", last_data,
                 reel_asset_get_mime_type (request->last_frame));
    }
  else if (input->last_frame == VEO_LAST_FRAME_END_CAMERA)
    {
      g_autoptr(GBytes) png = render_end_camera (request);

      if (png != NULL)
        add_image (builder, "lastFrame", png, "image/png");
    }
  if (veo_uses_look (request))
    {
      json_builder_set_member_name (builder, "referenceImages");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      add_image (builder, "image", look_data, reel_asset_get_mime_type (request->look));
      json_builder_set_member_name (builder, "referenceType");
      json_builder_add_string_value (builder, "asset");
      json_builder_end_object (builder);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "parameters");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "aspectRatio");
  json_builder_add_string_value (builder, input->aspect);
  json_builder_set_member_name (builder, "resolution");
  json_builder_add_string_value (builder, "720p");
  json_builder_set_member_name (builder, "durationSeconds");
  json_builder_add_int_value (builder, 8);
  if (request->negative_prompt != NULL && request->negative_prompt[0] != '\0')
    {
      json_builder_set_member_name (builder, "negativePrompt");
      json_builder_add_string_value (builder, request->negative_prompt);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

static void
on_body_built (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(ReelHttpRequest) start = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = reel_provider_run_in_thread_finish (result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  start = reel_provider_new_request (provider, "POST", job->start_url);
  reel_http_request_set_body (start, "application/json", body);
  send_request (task, start, on_started);
}

static void
on_key (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  BodyInput *input;
  const char *aspect = job->request->aspect_ratio < 1.0 ? "9:16" : "16:9";

  job->key = reel_provider_lookup_key_finish (provider, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (job->key == NULL)
    {
      g_task_return_error (task, reel_provider_no_key_error (provider));
      return;
    }

  job->start_url = g_strdup_printf ("%s/v1beta/models/%s:predictLongRunning",
                                    reel_provider_get_endpoint (provider),
                                    reel_provider_get_model (provider));
  job->parameters = json_object_new ();
  json_object_set_string_member (job->parameters, "aspectRatio", aspect);
  json_object_set_string_member (job->parameters, "resolution", "720p");
  json_object_set_int_member (job->parameters, "durationSeconds", 8);

  input = g_new0 (BodyInput, 1);
  input->request = reel_generation_request_ref (job->request);
  input->aspect = g_strdup (aspect);
  input->last_frame = veo_choose_last_frame (job->request);
  /* The record says what held the clip: the next shot's picture is an input of its own. */
  if (input->last_frame == VEO_LAST_FRAME_NEXT_SHOT)
    json_object_set_string_member (job->parameters, "lastFrame", "next-shot");
  else if (input->last_frame == VEO_LAST_FRAME_END_CAMERA)
    json_object_set_string_member (job->parameters, "lastFrame", "end-camera");
  if (veo_uses_look (job->request))
    json_object_set_string_member (job->parameters, "referenceImages", "look");
  reel_provider_run_in_thread (build_body, input, body_input_free,
                               (GDestroyNotify) g_bytes_unref, g_task_get_cancellable (task),
                               on_body_built, g_object_ref (task));
}

static void
reel_veo_generate_async (ReelProvider               *provider,
                         ReelGenerationRequest      *request,
                         ReelGenerationProgressFunc  progress,
                         gpointer                    progress_data,
                         GCancellable               *cancellable,
                         GAsyncReadyCallback         callback,
                         gpointer                    user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  g_task_set_source_tag (task, reel_veo_generate_async);

  job->request = reel_generation_request_ref (request);
  job->progress = progress;
  job->progress_data = progress_data;
  job->started_us = g_get_monotonic_time ();
  g_task_set_task_data (task, job, job_free);

  report (job, _("Waiting for Google Veo"));
  reel_provider_lookup_key_async (provider, cancellable, on_key, g_steal_pointer (&task));
}

static GPtrArray *
reel_veo_generate_finish (ReelProvider  *provider,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
reel_veo_check_async (ReelProvider        *provider,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  if (!key_may_go_to (REEL_VEO (provider), reel_provider_get_endpoint (provider)))
    {
      g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);

      g_task_set_source_tag (task, reel_veo_check_async);
      g_task_return_error (task, endpoint_refused_error (REEL_VEO (provider)));
      return;
    }
  reel_gemini_check_key_async (provider, cancellable, callback, user_data);
}

static char *
reel_veo_check_finish (ReelProvider  *provider,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
reel_veo_list_models_async (ReelProvider        *provider,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  if (!key_may_go_to (REEL_VEO (provider), reel_provider_get_endpoint (provider)))
    {
      g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);

      g_task_set_source_tag (task, reel_veo_list_models_async);
      g_task_return_error (task, endpoint_refused_error (REEL_VEO (provider)));
      return;
    }
  reel_gemini_list_models_async (provider, cancellable, callback, user_data);
}

static GStrv
reel_veo_list_models_finish (ReelProvider  *provider,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
reel_veo_finalize (GObject *object)
{
  g_free (REEL_VEO (object)->test_origin);

  G_OBJECT_CLASS (reel_veo_parent_class)->finalize (object);
}

static void
reel_veo_class_init (ReelVeoClass *klass)
{
  ReelProviderClass *provider_class = REEL_PROVIDER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = reel_veo_finalize;

  provider_class->id = "veo";
  provider_class->display_name = N_("Google Veo");
  provider_class->capabilities = REEL_GENERATOR_VIDEO | REEL_GENERATOR_NEEDS_KEY;
  provider_class->default_endpoint = "https://generativelanguage.googleapis.com";
  provider_class->default_model = reel_models_get_default ("veo", NULL);
  provider_class->generate_async = reel_veo_generate_async;
  provider_class->generate_finish = reel_veo_generate_finish;
  provider_class->check_async = reel_veo_check_async;
  provider_class->check_finish = reel_veo_check_finish;
  provider_class->list_models_async = reel_veo_list_models_async;
  provider_class->list_models_finish = reel_veo_list_models_finish;
}

static void
reel_veo_init (ReelVeo *self)
{
  const char *origin = g_getenv ("STORYREEL_VEO_TEST_ORIGIN");

  self->poll_interval_ms = VEO_DEFAULT_POLL_MS;
  /* The tests that drive the program itself against the fake server; the key may only go
   * to this machine that way, never to another host. */
  if (origin != NULL && origin_is_loopback (origin))
    self->test_origin = g_strdup (origin);
}
