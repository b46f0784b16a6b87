/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-gemini"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "reel-ai-error.h"
#include "reel-gemini-private.h"
#include "reel-keys.h"
#include "reel-models.h"

/* Google Gemini native image generation ("Nano Banana", "Nano Banana Pro"):
 * POST {endpoint}/v1beta/models/{model}:generateContent with the prompt and the references
 * as inlineData parts. One image per call, so N variants are N calls. A blocked prompt or
 * image is an HTTP 200 whose body says so; a 429 says how long to wait in its body. */

#define FLASH_MAX_REFERENCES 3
#define PRO_MAX_REFERENCES 14

struct _ReelGemini
{
  ReelProvider parent_instance;

  char *image_size;
};

G_DEFINE_FINAL_TYPE (ReelGemini, reel_gemini, REEL_TYPE_PROVIDER)

static const struct
{
  const char *name;
  double value;
} gemini_ratios[] = {
  { "1:1", 1.0 }, { "2:3", 2.0 / 3.0 }, { "3:2", 1.5 }, { "3:4", 0.75 }, { "4:3", 4.0 / 3.0 },
  { "4:5", 0.8 }, { "5:4", 1.25 }, { "9:16", 9.0 / 16.0 }, { "16:9", 16.0 / 9.0 },
  { "21:9", 21.0 / 9.0 },
};

const char *
reel_gemini_aspect_ratio_for (double aspect)
{
  guint best = 0;

  if (aspect <= 0)
    return "16:9";

  for (guint i = 1; i < G_N_ELEMENTS (gemini_ratios); i++)
    if (fabs (log (gemini_ratios[i].value / aspect))
        < fabs (log (gemini_ratios[best].value / aspect)))
      best = i;

  return gemini_ratios[best].name;
}

static gboolean
model_is_pro (const char *model)
{
  /* The 3.x image models (Pro, Nano Banana 2 and later) take 14 references and a size;
   * the 2.x ones took 3 and none. */
  return model != NULL && !g_str_has_prefix (model, "gemini-2.");
}

/* "38s", "1.5s", "0.250s": a protobuf Duration in JSON. -1 if it is none. */
static gint64
parse_duration_ms (const char *text)
{
  char *end = NULL;
  double seconds;

  if (text == NULL)
    return -1;

  seconds = g_ascii_strtod (text, &end);
  if (end == text || seconds < 0 || g_strcmp0 (end, "s") != 0)
    return -1;

  return (gint64) (seconds * 1000.0);
}

JsonObject *
reel_google_error_read (JsonNode         *root,
                        ReelHttpRequest  *request,
                        const char       *key,
                        const char      **rpc_status,
                        char            **message)
{
  JsonObject *error = reel_json_get_object (reel_json_node_get_object (root), "error");

  *rpc_status = reel_json_get_string (error, "status");
  *message = reel_provider_scrub (request, key, reel_json_get_string (error, "message"));
  return error;
}

/* Finds details[] of @type in a google.rpc.Status error object. */
static JsonObject *
error_detail (JsonObject *error,
              const char *type)
{
  JsonArray *details = reel_json_get_array (error, "details");

  for (guint i = 0; details != NULL && i < json_array_get_length (details); i++)
    {
      JsonObject *detail = reel_json_array_get_object (details, i);

      if (g_strcmp0 (reel_json_get_string (detail, "@type"), type) == 0)
        return detail;
    }

  return NULL;
}

/* The wait is in the body (RetryInfo.retryDelay), not in a header. */
static ReelHttpRetryDecision
gemini_retry_decision (ReelHttpResponse *response,
                       gint64           *wait_ms,
                       gpointer          user_data)
{
  g_autoptr(JsonNode) root = reel_http_response_parse_json (response, NULL);
  JsonObject *error = reel_json_get_object (reel_json_node_get_object (root), "error");
  JsonObject *retry = error_detail (error, "type.googleapis.com/google.rpc.RetryInfo");

  if (retry != NULL)
    {
      gint64 wait = parse_duration_ms (reel_json_get_string (retry, "retryDelay"));
      if (wait >= 0)
        {
          *wait_ms = wait;
          return REEL_HTTP_RETRY_YES;
        }
    }

  return REEL_HTTP_RETRY_DEFAULT;
}

GError *
reel_gemini_error_from_response (ReelProvider     *provider,
                                 ReelHttpRequest  *request,
                                 const char       *key,
                                 ReelHttpResponse *response)
{
  const char *name = reel_provider_get_display_name (provider);
  guint status = reel_http_response_get_status (response);
  g_autoptr(JsonNode) root = reel_http_response_parse_json (response, NULL);
  g_autofree char *message = NULL;
  const char *rpc_status = NULL;
  JsonObject *error = reel_google_error_read (root, request, key, &rpc_status, &message);
  JsonObject *info = error_detail (error, "type.googleapis.com/google.rpc.ErrorInfo");
  JsonObject *retry = error_detail (error, "type.googleapis.com/google.rpc.RetryInfo");
  ReelProviderAnswer answer = REEL_PROVIDER_ANSWER_OTHER;

  if (g_strcmp0 (reel_json_get_string (info, "reason"), "API_KEY_INVALID") == 0)
    return g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_AUTH,
                        _("%s refused the key (%s). Check the key in Preferences → %s."),
                        name, message != NULL ? message : "API_KEY_INVALID", name);

  if (status == 429 || g_strcmp0 (rpc_status, "RESOURCE_EXHAUSTED") == 0)
    {
      gint64 wait = retry != NULL
                      ? parse_duration_ms (reel_json_get_string (retry, "retryDelay"))
                      : -1;

      if (wait > 0)
        {
          guint seconds = (guint) ((wait + 999) / 1000);

          return g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_RATE_LIMITED,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%s is limiting requests (%s). Try again in %u "
                                           "second, or check the quota of the key.",
                                           "%s is limiting requests (%s). Try again in %u "
                                           "seconds, or check the quota of the key.", seconds),
                              name, message != NULL ? message : "RESOURCE_EXHAUSTED", seconds);
        }
    }

  /* A 404 about a model (not about an operation): unknown, or shut down. */
  if (status == 404 && g_strcmp0 (rpc_status, "NOT_FOUND") == 0
      && strstr (reel_http_request_get_url (request), "/models/") != NULL
      && strstr (reel_http_request_get_url (request), "/operations/") == NULL)
    answer = REEL_PROVIDER_ANSWER_MODEL_NOT_FOUND;

  return reel_provider_answer_error (provider, request, key, status, answer, rpc_status,
                                     reel_json_get_string (error, "message"));
}

typedef struct
{
  ReelGenerationRequest *request;
  char *key;
  char *url;
  char *model;
  char *image_size;
  char *aspect;
  gint64 started_us;
  guint pending;
  GPtrArray *assets;
  GError *first_error;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_clear_pointer (&job->request, reel_generation_request_unref);
  if (job->key != NULL)
    memset (job->key, 0, strlen (job->key));
  g_free (job->key);
  g_free (job->url);
  g_free (job->model);
  g_free (job->image_size);
  g_free (job->aspect);
  g_clear_pointer (&job->assets, g_ptr_array_unref);
  g_clear_error (&job->first_error);
  g_free (job);
}

/* One call: its own HTTP request and the record of what was sent. */
typedef struct
{
  GTask *task;
  ReelHttpRequest *http;
} Call;

static void
call_free (Call *call)
{
  g_clear_object (&call->task);
  g_clear_object (&call->http);
  g_free (call);
}

typedef struct
{
  ReelGenerationRequest *request;
  char *model;
  char *aspect;
  char *image_size;
} BodyInput;

static void
body_input_free (gpointer data)
{
  BodyInput *input = data;

  g_clear_pointer (&input->request, reel_generation_request_unref);
  g_free (input->model);
  g_free (input->aspect);
  g_free (input->image_size);
  g_free (input);
}

/* On a worker thread: base64 of the references can be megabytes. */
static gpointer
build_body (gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  BodyInput *input = data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) references = reel_generation_request_list_references (input->request);
  guint max_references = model_is_pro (input->model) ? PRO_MAX_REFERENCES
                                                     : FLASH_MAX_REFERENCES;
  g_autofree char *prompt = NULL;
  gsize length = 0;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "contents");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "user");
  json_builder_set_member_name (builder, "parts");
  json_builder_begin_array (builder);

  /* The structure reference comes last: said in words only when it fits. */
  prompt = references->len <= max_references
             ? reel_provider_prompt_for_references (input->request)
             : g_strdup (input->request->prompt);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, prompt);
  json_builder_end_object (builder);

  for (guint i = 0; i < MIN (references->len, max_references); i++)
    {
      ReelAsset *reference = g_ptr_array_index (references, i);
      /* Read for this request only: the asset does not keep them. */
      g_autoptr(GBytes) read = reel_asset_dup_data (reference, cancellable, error);
      gsize size = 0;
      const guchar *bytes = NULL;
      g_autofree char *encoded = NULL;

      if (read == NULL)
        return NULL;
      bytes = g_bytes_get_data (read, &size);
      encoded = g_base64_encode (bytes, size);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "inlineData");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "mimeType");
      json_builder_add_string_value (builder, reel_asset_get_mime_type (reference));
      json_builder_set_member_name (builder, "data");
      json_builder_add_string_value (builder, encoded);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "generationConfig");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "responseModalities");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "IMAGE");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "imageConfig");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "aspectRatio");
  json_builder_add_string_value (builder, input->aspect);
  /* Only the Pro model takes a size; the others reject the field. */
  if (model_is_pro (input->model) && input->image_size != NULL)
    {
      json_builder_set_member_name (builder, "imageSize");
      json_builder_add_string_value (builder, input->image_size);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

static const char * const blocking_finish_reasons[] = {
  "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "NO_IMAGE", "IMAGE_RECITATION", "IMAGE_OTHER",
  "SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION",
};

typedef struct
{
  GBytes *body;
  ReelGenerationRecord *record;
  char *display_name;
} ParseInput;

static void
parse_input_free (gpointer data)
{
  ParseInput *input = data;

  g_clear_pointer (&input->body, g_bytes_unref);
  g_clear_pointer (&input->record, reel_generation_record_unref);
  g_free (input->display_name);
  g_free (input);
}

static gpointer
parse_images (gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  ParseInput *input = data;
  const char *name = input->display_name;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) assets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *text_answer = NULL;
  gsize length = 0;
  const char *text = g_bytes_get_data (input->body, &length);
  JsonObject *root;
  JsonObject *feedback;
  JsonArray *candidates;
  JsonObject *candidate;
  JsonObject *content;
  JsonArray *parts;
  const char *finish_reason;

  /* Only white space parses, to no root at all. */
  if (length == 0 || !json_parser_load_from_data (parser, text, length, NULL)
      || json_parser_get_root (parser) == NULL
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                   _("%s sent an answer that is not valid JSON. The server may be "
                     "misconfigured or not what the address in Preferences says it is."), name);
      return NULL;
    }

  root = json_node_get_object (json_parser_get_root (parser));
  reel_provider_record_add_usage (input->record, reel_json_get_object (root, "usageMetadata"));
  feedback = reel_json_get_object (root, "promptFeedback");
  if (json_object_has_member (root, "promptFeedback") && feedback != NULL
      && json_object_has_member (feedback, "blockReason"))
    {
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_BLOCKED,
                   _("%s blocked the prompt (%s). Change the prompt or the reference images "
                     "and try again."), name,
                   reel_json_get_string (feedback, "blockReason") != NULL
                     ? reel_json_get_string (feedback, "blockReason") : "?");
      return NULL;
    }

  candidates = reel_json_get_array (root, "candidates");
  candidate = reel_json_array_get_object (candidates, 0);
  if (candidate == NULL)
    {
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NO_IMAGE,
                   _("%s answered without an image. Try again, or change the prompt."), name);
      return NULL;
    }

  finish_reason = reel_json_get_string (candidate, "finishReason");
  if (finish_reason != NULL && g_strv_contains (blocking_finish_reasons, finish_reason))
    {
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_BLOCKED,
                   _("%s did not make the image (%s). Change the prompt or the reference "
                     "images and try again."), name, finish_reason);
      return NULL;
    }

  content = reel_json_get_object (candidate, "content");
  parts = reel_json_get_array (content, "parts");

  for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
    {
      JsonObject *part = reel_json_array_get_object (parts, i);
      JsonObject *inline_data;
      g_autoptr(GBytes) bytes = NULL;
      const char *encoded;
      ReelAsset *asset;

      if (part == NULL)
        continue;
      /* The model's thinking, sometimes with draft images: not the answer. */
      if (reel_json_get_boolean (part, "thought", FALSE))
        continue;

      if (reel_json_get_string (part, "text") != NULL && text_answer == NULL)
        text_answer = g_strdup (reel_json_get_string (part, "text"));

      inline_data = reel_json_get_object (part, "inlineData");
      if (inline_data == NULL)
        continue;

      encoded = reel_json_get_string (inline_data, "data");
      bytes = encoded != NULL ? reel_provider_decode_base64 (encoded, strlen (encoded)) : NULL;
      if (bytes == NULL)
        {
          g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                       _("%s sent an image that is damaged or incomplete. Try again."), name);
          return NULL;
        }

      asset = reel_provider_image_asset (name, bytes, input->record, error);
      if (asset == NULL)
        return NULL;
      g_ptr_array_add (assets, asset);
    }

  if (assets->len == 0)
    {
      if (text_answer != NULL && text_answer[0] != '\0')
        {
          g_autofree char *shortened = g_utf8_substring (text_answer, 0,
                                                         MIN (g_utf8_strlen (text_answer, -1),
                                                              160));
          g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NO_IMAGE,
                       _("%s answered with words instead of an image: “%s” Try again, or "
                         "change the prompt."), name, shortened);
        }
      else
        g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NO_IMAGE,
                     _("%s answered without an image. Try again, or change the prompt."),
                     name);
      return NULL;
    }

  return g_steal_pointer (&assets);
}

static void
job_call_done (GTask     *task,
               GPtrArray *assets,
               GError    *error)
{
  Job *job = g_task_get_task_data (task);

  if (assets != NULL)
    g_ptr_array_extend_and_steal (job->assets, assets);
  else if (job->first_error == NULL)
    job->first_error = error;
  else
    g_error_free (error);

  if (--job->pending > 0)
    return;

  /* Variants are independent calls: keep the ones that came back. */
  if (job->assets->len > 0)
    {
      if (job->first_error != NULL)
        g_message ("%u of %u Gemini variants failed: %s",
                   job->request->count - job->assets->len, job->request->count,
                   job->first_error->message);
      g_task_return_pointer (task, g_steal_pointer (&job->assets),
                             (GDestroyNotify) g_ptr_array_unref);
    }
  else
    g_task_return_error (task, g_steal_pointer (&job->first_error));
}

static void
on_parsed (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Call *call = user_data;
  GError *error = NULL;
  GPtrArray *assets;

  assets = reel_provider_run_in_thread_finish (result, &error);
  job_call_done (call->task, assets, error);
  call_free (call);
}

static void
on_sent (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Call *call = user_data;
  ReelGemini *self = g_task_get_source_object (call->task);
  Job *job = g_task_get_task_data (call->task);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(JsonObject) parameters = NULL;
  GError *error = NULL;
  ParseInput *input;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    {
      job_call_done (call->task, NULL, error);
      call_free (call);
      return;
    }

  if (!reel_http_response_is_success (response))
    {
      job_call_done (call->task, NULL,
                     reel_gemini_error_from_response (REEL_PROVIDER (self), call->http, job->key,
                                                      response));
      call_free (call);
      return;
    }

  parameters = json_object_new ();
  json_object_set_string_member (parameters, "aspectRatio", job->aspect);
  if (model_is_pro (job->model) && job->image_size != NULL)
    json_object_set_string_member (parameters, "imageSize", job->image_size);

  input = g_new0 (ParseInput, 1);
  input->body = g_bytes_ref (reel_http_response_get_body (response));
  input->display_name = g_strdup (reel_provider_get_display_name (REEL_PROVIDER (self)));
  input->record = reel_provider_new_record (REEL_PROVIDER (self), job->request, job->url, -1,
                                            parameters, job->started_us);
  /* Gemini takes no negative prompt. */
  g_clear_pointer (&input->record->negative_prompt, g_free);

  reel_provider_run_in_thread (parse_images, input, parse_input_free,
                               (GDestroyNotify) g_ptr_array_unref,
                               g_task_get_cancellable (call->task), on_parsed, call);
}

static void
on_body_built (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelGemini *self = g_task_get_source_object (task);
  ReelProvider *provider = REEL_PROVIDER (self);
  Job *job = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint count = MAX (job->request->count, 1);

  body = reel_provider_run_in_thread_finish (result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_bytes_get_size (body) > 20 * 1024 * 1024)
    {
      g_task_return_new_error (task, REEL_AI_ERROR, REEL_AI_ERROR_INVALID_REQUEST,
                               _("The reference images are too large for %s (over 20 MB). "
                                 "Use a smaller background or look image."),
                               reel_provider_get_display_name (provider));
      return;
    }

  job->pending = count;
  for (guint i = 0; i < count; i++)
    {
      Call *call = g_new0 (Call, 1);

      call->task = g_object_ref (task);
      call->http = reel_provider_new_request (provider, "POST", job->url);
      reel_http_request_add_secret_header (call->http, "x-goog-api-key", job->key);
      reel_http_request_set_body (call->http, "application/json", body);
      reel_http_request_set_retry_func (call->http, gemini_retry_decision, NULL, NULL);
      reel_http_client_send_async (reel_provider_get_http_client (provider), call->http,
                                   g_task_get_cancellable (task), on_sent, call);
    }
}

static void
on_key (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelGemini *self = g_task_get_source_object (task);
  ReelProvider *provider = REEL_PROVIDER (self);
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  BodyInput *input;

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

  job->model = g_strdup (reel_provider_get_model (provider));
  job->url = g_strdup_printf ("%s/v1beta/models/%s:generateContent",
                              reel_provider_get_endpoint (provider), job->model);
  job->aspect = g_strdup (reel_gemini_aspect_ratio_for (job->request->aspect_ratio));
  job->image_size = g_strdup (self->image_size);

  input = g_new0 (BodyInput, 1);
  input->request = reel_generation_request_ref (job->request);
  input->model = g_strdup (job->model);
  input->aspect = g_strdup (job->aspect);
  input->image_size = g_strdup (job->image_size);
  reel_provider_run_in_thread (build_body, input, body_input_free,
                               (GDestroyNotify) g_bytes_unref, g_task_get_cancellable (task),
                               on_body_built, g_object_ref (task));
}

static void
reel_gemini_generate_async (ReelProvider               *provider,
                            ReelGenerationRequest      *request,
                            ReelGenerationProgressFunc  progress,
                            gpointer                    progress_data,
                            GCancellable               *cancellable,
                            GAsyncReadyCallback         callback,
                            gpointer                    user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  Job *job;

  g_task_set_source_tag (task, reel_gemini_generate_async);

  if (request->kind == REEL_GENERATION_VIDEO)
    {
      g_task_return_new_error (task, REEL_AI_ERROR, REEL_AI_ERROR_NOT_SUPPORTED, "%s",
                               _("Gemini makes still images only. Choose Google Veo for a "
                                 "moving background."));
      return;
    }

  job = g_new0 (Job, 1);
  job->request = reel_generation_request_ref (request);
  job->started_us = g_get_monotonic_time ();
  job->assets = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, job, job_free);

  if (progress != NULL)
    progress (-1, _("Waiting for Gemini"), progress_data);

  reel_provider_lookup_key_async (provider, cancellable, on_key, g_steal_pointer (&task));
}

static GPtrArray *
reel_gemini_generate_finish (ReelProvider  *provider,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_check_sent (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Call *call = user_data;
  g_autoptr(GTask) task = g_object_ref (call->task);
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!reel_http_response_is_success (response))
    g_task_return_error (task, reel_gemini_error_from_response (provider, call->http, job->key,
                                                                response));
  else
    g_task_return_pointer (task,
                           g_strdup_printf (_("%s accepted the key, and the model “%s” is "
                                              "available."),
                                            reel_provider_get_display_name (provider),
                                            reel_provider_get_model (provider)), g_free);
  call_free (call);
}

static void
on_check_key (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  Call *call;

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

  /* Reading the model's description costs nothing and proves the key and the name. */
  job->url = g_strdup_printf ("%s/v1beta/models/%s", reel_provider_get_endpoint (provider),
                              reel_provider_get_model (provider));
  call = g_new0 (Call, 1);
  call->task = g_object_ref (task);
  call->http = reel_provider_new_request (provider, "GET", job->url);
  reel_http_request_add_secret_header (call->http, "x-goog-api-key", job->key);
  reel_http_request_set_idle_timeout (call->http, 20000);
  reel_http_client_send_async (reel_provider_get_http_client (provider), call->http,
                               g_task_get_cancellable (task), on_check_sent, call);
}

void
reel_gemini_check_key_async (ReelProvider        *provider,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  g_task_set_source_tag (task, reel_gemini_check_key_async);
  g_task_set_task_data (task, job, job_free);
  reel_provider_lookup_key_async (provider, cancellable, on_check_key, g_steal_pointer (&task));
}

char *
reel_gemini_check_key_finish (ReelProvider  *provider,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Listing: GET /v1beta/models, page by page ------------------------------------------- */

#define LIST_MAX_PAGES 20

typedef struct
{
  char *key;
  char *page_token;
  guint pages;
  GPtrArray *ids;
  ReelHttpRequest *http;
} ListJob;

static void
list_job_free (gpointer data)
{
  ListJob *job = data;

  if (job->key != NULL)
    {
      memset (job->key, 0, strlen (job->key));
      g_free (job->key);
    }
  g_free (job->page_token);
  g_clear_pointer (&job->ids, g_ptr_array_unref);
  g_clear_object (&job->http);
  g_free (job);
}

static void list_next_page (GTask *task);

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
on_list_page (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelProvider *provider = g_task_get_source_object (task);
  ListJob *job = g_task_get_task_data (task);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *models;

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

  root = reel_http_response_parse_json (response, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  models = reel_json_get_array (reel_json_node_get_object (root), "models");
  for (guint i = 0; models != NULL && i < json_array_get_length (models); i++)
    {
      JsonObject *model = reel_json_array_get_object (models, i);
      const char *name = reel_json_get_string (model, "name");
      JsonArray *methods = reel_json_get_array (model, "supportedGenerationMethods");
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) method_names = NULL;

      if (name == NULL)
        continue;
      if (g_str_has_prefix (name, "models/"))
        name += strlen ("models/");
      for (guint j = 0; methods != NULL && j < json_array_get_length (methods); j++)
        if (reel_json_array_get_string (methods, j) != NULL)
          g_strv_builder_add (builder, reel_json_array_get_string (methods, j));
      method_names = g_strv_builder_end (builder);

      if (reel_models_is_usable (reel_provider_get_id (provider), name,
                                 methods != NULL ? (const char * const *) method_names : NULL))
        g_ptr_array_add (job->ids, g_strdup (name));
    }

  g_free (job->page_token);
  job->page_token = g_strdup (reel_json_get_string (reel_json_node_get_object (root),
                                                    "nextPageToken"));
  if (job->page_token != NULL && job->page_token[0] != '\0' && job->pages < LIST_MAX_PAGES)
    {
      list_next_page (task);
      return;
    }

  g_ptr_array_sort (job->ids, compare_strings);
  g_ptr_array_add (job->ids, NULL);
  g_task_return_pointer (task, g_ptr_array_free (g_steal_pointer (&job->ids), FALSE),
                         (GDestroyNotify) g_strfreev);
}

static void
list_next_page (GTask *task)
{
  ReelProvider *provider = g_task_get_source_object (task);
  ListJob *job = g_task_get_task_data (task);
  g_autofree char *url = NULL;

  job->pages++;
  if (job->page_token != NULL)
    {
      g_autofree char *token = g_uri_escape_string (job->page_token, NULL, FALSE);

      url = g_strdup_printf ("%s/v1beta/models?pageSize=1000&pageToken=%s",
                             reel_provider_get_endpoint (provider), token);
    }
  else
    {
      url = g_strdup_printf ("%s/v1beta/models?pageSize=1000",
                             reel_provider_get_endpoint (provider));
    }

  g_clear_object (&job->http);
  job->http = reel_provider_new_request (provider, "GET", url);
  reel_http_request_add_secret_header (job->http, "x-goog-api-key", job->key);
  reel_http_request_set_idle_timeout (job->http, 20000);
  reel_http_client_send_async (reel_provider_get_http_client (provider), job->http,
                               g_task_get_cancellable (task), on_list_page,
                               g_object_ref (task));
}

static void
on_list_key (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelProvider *provider = g_task_get_source_object (task);
  ListJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

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

  list_next_page (task);
}

void
reel_gemini_list_models_async (ReelProvider        *provider,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  ListJob *job = g_new0 (ListJob, 1);

  g_task_set_source_tag (task, reel_gemini_list_models_async);
  job->ids = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, job, list_job_free);
  reel_provider_lookup_key_async (provider, cancellable, on_list_key, g_steal_pointer (&task));
}

GStrv
reel_gemini_list_models_finish (ReelProvider  *provider,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
reel_gemini_apply_settings (ReelProvider *provider,
                            GSettings    *settings)
{
  ReelGemini *self = REEL_GEMINI (provider);
  g_autoptr(GSettingsSchema) schema = NULL;

  REEL_PROVIDER_CLASS (reel_gemini_parent_class)->apply_settings (provider, settings);

  g_object_get (settings, "settings-schema", &schema, NULL);
  if (g_settings_schema_has_key (schema, "gemini-image-size"))
    {
      g_free (self->image_size);
      self->image_size = g_settings_get_string (settings, "gemini-image-size");
    }
}

static void
reel_gemini_finalize (GObject *object)
{
  ReelGemini *self = REEL_GEMINI (object);

  g_free (self->image_size);

  G_OBJECT_CLASS (reel_gemini_parent_class)->finalize (object);
}

static void
reel_gemini_class_init (ReelGeminiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ReelProviderClass *provider_class = REEL_PROVIDER_CLASS (klass);

  object_class->finalize = reel_gemini_finalize;

  provider_class->id = "gemini";
  provider_class->display_name = N_("Google Gemini");
  provider_class->sends_structure = TRUE;
  provider_class->capabilities = REEL_GENERATOR_TEXT_TO_IMAGE | REEL_GENERATOR_EDIT
                                 | REEL_GENERATOR_NEEDS_KEY;
  provider_class->default_endpoint = "https://generativelanguage.googleapis.com";
  provider_class->default_model = reel_models_get_default ("gemini", NULL);
  provider_class->apply_settings = reel_gemini_apply_settings;
  provider_class->generate_async = reel_gemini_generate_async;
  provider_class->generate_finish = reel_gemini_generate_finish;
  provider_class->check_async = reel_gemini_check_key_async;
  provider_class->check_finish = reel_gemini_check_key_finish;
  provider_class->list_models_async = reel_gemini_list_models_async;
  provider_class->list_models_finish = reel_gemini_list_models_finish;
}

static void
reel_gemini_init (ReelGemini *self)
{
  self->image_size = g_strdup ("2K");
}

/* For the fuzzer (reel-gemini-private.h): the worker's parser, as it is. */
GPtrArray *
reel_gemini_parse_images (GBytes      *body,
                          const char  *display_name,
                          GError     **error)
{
  ParseInput input = { body, NULL, (char *) display_name };

  return parse_images (&input, NULL, error);
}
