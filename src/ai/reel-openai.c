/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-openai"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reel-ai-error.h"
#include "reel-keys.h"
#include "reel-models.h"
#include "reel-openai-private.h"

/* OpenAI Images and the servers that speak its protocol (the base URL is a setting):
 * POST /images/generations (JSON) for a prompt alone, POST /images/edits (multipart: one
 * reference as `image`, several as repeated `image[]`) when there are references. Images come back as b64_json. */

struct _ReelOpenai
{
  ReelProvider parent_instance;

  char *quality;
};

G_DEFINE_FINAL_TYPE (ReelOpenai, reel_openai, REEL_TYPE_PROVIDER)

const char *
reel_openai_size_for (double aspect)
{
  /* The three sizes gpt-image models make; the nearest on a log scale. */
  if (aspect >= 1.22)
    return "1536x1024";
  if (aspect <= 0.82)
    return "1024x1536";
  return "1024x1024";
}

typedef struct
{
  ReelGenerationRequest *request;
  ReelHttpRequest *http;
  char *key;
  char *url;
  gint64 started_us;
  JsonObject *parameters;
  GPtrArray *references;     /* ReelAsset, for an edit */
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_clear_pointer (&job->request, reel_generation_request_unref);
  g_clear_object (&job->http);
  if (job->key != NULL)
    {
      memset (job->key, 0, strlen (job->key));
      g_free (job->key);
    }
  g_free (job->url);
  g_clear_pointer (&job->parameters, json_object_unref);
  g_clear_pointer (&job->references, g_ptr_array_unref);
  g_free (job);
}

/* OpenAI's errors: {"error":{"message","type","param","code"}}. */
static const ReelProviderErrorCode openai_codes[] = {
  { "insufficient_quota", REEL_PROVIDER_ANSWER_QUOTA },
  { "billing_hard_limit_reached", REEL_PROVIDER_ANSWER_QUOTA },
  { "moderation_blocked", REEL_PROVIDER_ANSWER_BLOCKED },
  { "model_not_found", REEL_PROVIDER_ANSWER_MODEL_NOT_FOUND },
  { NULL, 0 },
};

static ReelProviderAnswer
openai_classify (ReelHttpResponse *response,
                 JsonObject       *error)
{
  ReelProviderAnswer answer = reel_provider_classify_error (openai_codes,
                                                            reel_json_get_string (error, "code"),
                                                            reel_json_get_string (error, "type"));

  if (answer == REEL_PROVIDER_ANSWER_OTHER && reel_http_response_get_status (response) == 404
      && g_strcmp0 (reel_json_get_string (error, "param"), "model") == 0)
    return REEL_PROVIDER_ANSWER_MODEL_NOT_FOUND;
  return answer;
}

/* Never retry what waiting cannot fix: an empty account or a safety refusal. */
static ReelHttpRetryDecision
openai_retry_decision (ReelHttpResponse *response,
                       gint64           *wait_ms,
                       gpointer          user_data)
{
  g_autoptr(JsonNode) root = reel_http_response_parse_json (response, NULL);
  JsonObject *error = reel_json_get_object (reel_json_node_get_object (root), "error");

  return reel_provider_retry_for_answer (openai_classify (response, error));
}

static GError *
openai_error_from_response (ReelOpenai       *self,
                            Job              *job,
                            ReelHttpResponse *response)
{
  g_autoptr(JsonNode) root = reel_http_response_parse_json (response, NULL);
  JsonObject *error = reel_json_get_object (reel_json_node_get_object (root), "error");

  return reel_provider_answer_error (REEL_PROVIDER (self), job->http, job->key,
                                     reel_http_response_get_status (response),
                                     openai_classify (response, error),
                                     reel_json_get_string (error, "code"),
                                     reel_json_get_string (error, "message"));
}

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

/* On a worker thread: JSON, base64 and image decoding of several megabytes. */
static gpointer
parse_images (gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  ParseInput *input = data;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) assets = g_ptr_array_new_with_free_func (g_object_unref);
  gsize length = 0;
  const char *text = g_bytes_get_data (input->body, &length);
  JsonObject *root;
  JsonArray *items;

  /* Only white space parses, to no root at all. */
  if (length == 0 || !json_parser_load_from_data (parser, text, length, NULL)
      || json_parser_get_root (parser) == NULL
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                   _("%s sent an answer that is not valid JSON. The server may be "
                     "misconfigured or not what the address in Preferences says it is."),
                   input->display_name);
      return NULL;
    }

  root = json_node_get_object (json_parser_get_root (parser));
  items = reel_json_get_array (root, "data");
  reel_provider_record_add_usage (input->record, reel_json_get_object (root, "usage"));

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      const char *encoded = reel_json_get_string (reel_json_array_get_object (items, i),
                                                  "b64_json");
      g_autoptr(GBytes) bytes = NULL;
      ReelAsset *asset;

      if (encoded == NULL)
        continue;

      bytes = reel_provider_decode_base64 (encoded, strlen (encoded));
      if (bytes == NULL)
        {
          g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                       _("%s sent an image that is damaged or incomplete. Try again."),
                       input->display_name);
          return NULL;
        }

      asset = reel_provider_image_asset (input->display_name, bytes, input->record, error);
      if (asset == NULL)
        return NULL;
      g_ptr_array_add (assets, asset);
    }

  if (assets->len == 0)
    {
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NO_IMAGE,
                   _("%s answered without an image. Try again, or change the prompt."),
                   input->display_name);
      return NULL;
    }

  return g_steal_pointer (&assets);
}

static void
on_parsed (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *assets;

  assets = reel_provider_run_in_thread_finish (result, &error);
  if (assets == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, assets, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_sent (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelOpenai *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  ParseInput *input;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!reel_http_response_is_success (response))
    {
      g_task_return_error (task, openai_error_from_response (self, job, response));
      return;
    }

  input = g_new0 (ParseInput, 1);
  input->body = g_bytes_ref (reel_http_response_get_body (response));
  input->display_name = g_strdup (reel_provider_get_display_name (REEL_PROVIDER (self)));
  input->record = reel_provider_new_record (REEL_PROVIDER (self), job->request, job->url, -1,
                                            job->parameters, job->started_us);
  /* OpenAI takes no negative prompt: the record says what was sent. */
  g_clear_pointer (&input->record->negative_prompt, g_free);

  reel_provider_run_in_thread (parse_images, input, parse_input_free,
                               (GDestroyNotify) g_ptr_array_unref,
                               g_task_get_cancellable (task), on_parsed, g_object_ref (task));
}

static const char *
mime_extension (const char *mime_type)
{
  if (g_strcmp0 (mime_type, REEL_MIME_JPEG) == 0)
    return "jpg";
  if (g_strcmp0 (mime_type, REEL_MIME_WEBP) == 0)
    return "webp";
  return "png";
}

/* The request is ready: with the key, and OpenAI's own retry rules. */
static void
send_job (GTask *task)
{
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autofree char *auth = NULL;

  auth = g_strconcat ("Bearer ", job->key, NULL);
  reel_http_request_add_secret_header (job->http, "Authorization", auth);
  reel_http_request_set_retry_func (job->http, openai_retry_decision, NULL, NULL);

  reel_http_client_send_async (reel_provider_get_http_client (provider), job->http,
                               g_task_get_cancellable (task), on_sent, g_object_ref (task));
}

/* The references' bytes, read on a worker for this request: an edit in multipart. */
static void
on_references_read (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelOpenai *self = g_task_get_source_object (task);
  ReelProvider *provider = REEL_PROVIDER (self);
  Job *job = g_task_get_task_data (task);
  ReelGenerationRequest *request = job->request;
  GPtrArray *references = job->references;
  g_autoptr(GPtrArray) data = NULL;
  g_autoptr(GError) error = NULL;
  const char *size = reel_openai_size_for (request->aspect_ratio);
  g_autofree char *count = g_strdup_printf ("%u", CLAMP (request->count, 1, 10));
  g_autofree char *prompt = NULL;

  data = reel_provider_read_assets_finish (result, &error);
  if (data == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  prompt = reel_provider_prompt_for_references (request);
  job->url = g_strconcat (reel_provider_get_endpoint (provider), "/images/edits", NULL);
  job->http = reel_provider_new_request (provider, "POST", job->url);
  for (guint i = 0; i < references->len; i++)
    {
      ReelAsset *reference = g_ptr_array_index (references, i);
      g_autofree char *filename =
        g_strdup_printf ("reference-%u.%s", i + 1,
                         mime_extension (reel_asset_get_mime_type (reference)));

      /* The published spec: one image is the file field `image`; several are an array,
       * which multipart spells as repeated `image[]`. */
      reel_http_request_add_form_file (job->http, references->len == 1 ? "image" : "image[]",
                                       filename,
                                       reel_asset_get_mime_type (reference),
                                       g_ptr_array_index (data, i));
    }
  reel_http_request_add_form_field (job->http, "model", reel_provider_get_model (provider));
  reel_http_request_add_form_field (job->http, "prompt", prompt);
  reel_http_request_add_form_field (job->http, "n", count);
  reel_http_request_add_form_field (job->http, "size", size);
  reel_http_request_add_form_field (job->http, "quality", self->quality);
  /* An angle must keep the set: ask a gpt-image model to hold on to the references
   * (other servers that speak the protocol may not know the field). */
  if (request->kind == REEL_GENERATION_ANGLE
      && g_str_has_prefix (reel_provider_get_model (provider), "gpt-image-"))
    {
      reel_http_request_add_form_field (job->http, "input_fidelity", "high");
      json_object_set_string_member (job->parameters, "input_fidelity", "high");
    }
  json_object_set_string_member (job->parameters, "endpoint", "images/edits");
  send_job (task);
}

static void
on_key (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelOpenai *self = g_task_get_source_object (task);
  ReelProvider *provider = REEL_PROVIDER (self);
  Job *job = g_task_get_task_data (task);
  ReelGenerationRequest *request = job->request;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) references = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  const char *size = reel_openai_size_for (request->aspect_ratio);

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

  references = reel_generation_request_list_references (request);
  job->parameters = json_object_new ();
  json_object_set_string_member (job->parameters, "size", size);
  json_object_set_string_member (job->parameters, "quality", self->quality);
  json_object_set_int_member (job->parameters, "n", CLAMP (request->count, 1, 10));

  if (references->len > 0)
    {
      /* At most 16, read off the main thread (a stored asset comes from the project file). */
      if (references->len > 16)
        g_ptr_array_set_size (references, 16);
      job->references = g_steal_pointer (&references);
      reel_provider_read_assets_async (job->references, g_task_get_cancellable (task),
                                       on_references_read, g_object_ref (task));
      return;
    }

  job->url = g_strconcat (reel_provider_get_endpoint (provider), "/images/generations",
                          NULL);
  job->http = reel_provider_new_request (provider, "POST", job->url);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, reel_provider_get_model (provider));
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, request->prompt);
  json_builder_set_member_name (builder, "n");
  json_builder_add_int_value (builder, CLAMP (request->count, 1, 10));
  json_builder_set_member_name (builder, "size");
  json_builder_add_string_value (builder, size);
  json_builder_set_member_name (builder, "quality");
  json_builder_add_string_value (builder, self->quality);
  json_builder_set_member_name (builder, "output_format");
  json_builder_add_string_value (builder, "png");
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  reel_http_request_set_json_body (job->http, body);
  json_object_set_string_member (job->parameters, "endpoint", "images/generations");
  send_job (task);
}

static void
reel_openai_generate_async (ReelProvider               *provider,
                            ReelGenerationRequest      *request,
                            ReelGenerationProgressFunc  progress,
                            gpointer                    progress_data,
                            GCancellable               *cancellable,
                            GAsyncReadyCallback         callback,
                            gpointer                    user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  Job *job;

  g_task_set_source_tag (task, reel_openai_generate_async);

  if (request->kind == REEL_GENERATION_VIDEO)
    {
      g_task_return_new_error (task, REEL_AI_ERROR, REEL_AI_ERROR_NOT_SUPPORTED, "%s",
                               _("OpenAI Images makes still images only. Choose Google Veo "
                                 "for a moving background."));
      return;
    }

  job = g_new0 (Job, 1);
  job->request = reel_generation_request_ref (request);
  job->started_us = g_get_monotonic_time ();
  g_task_set_task_data (task, job, job_free);

  if (progress != NULL)
    progress (-1, _("Waiting for OpenAI"), progress_data);

  reel_provider_lookup_key_async (provider, cancellable, on_key, g_steal_pointer (&task));
}

static GPtrArray *
reel_openai_generate_finish (ReelProvider  *provider,
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
  g_autoptr(GTask) task = user_data;
  ReelOpenai *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!reel_http_response_is_success (response))
    g_task_return_error (task, openai_error_from_response (self, job, response));
  else
    g_task_return_pointer (task,
                           g_strdup_printf (_("%s accepted the key, and the model “%s” is "
                                              "available."),
                                            reel_provider_get_display_name (REEL_PROVIDER (self)),
                                            reel_provider_get_model (REEL_PROVIDER (self))),
                           g_free);
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
  g_autofree char *auth = NULL;

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

  /* Reading the model costs nothing and proves both the key and the model name. */
  job->url = g_strdup_printf ("%s/models/%s", reel_provider_get_endpoint (provider),
                              reel_provider_get_model (provider));
  job->http = reel_provider_new_request (provider, "GET", job->url);
  auth = g_strconcat ("Bearer ", job->key, NULL);
  reel_http_request_add_secret_header (job->http, "Authorization", auth);
  reel_http_request_set_idle_timeout (job->http, 20000);
  reel_http_client_send_async (reel_provider_get_http_client (provider), job->http,
                               g_task_get_cancellable (task), on_check_sent,
                               g_object_ref (task));
}

static void
reel_openai_check_async (ReelProvider        *provider,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);

  g_task_set_source_tag (task, reel_openai_check_async);
  g_task_set_task_data (task, g_new0 (Job, 1), job_free);
  reel_provider_lookup_key_async (provider, cancellable, on_check_key, g_steal_pointer (&task));
}

static char *
reel_openai_check_finish (ReelProvider  *provider,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
on_list_sent (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelOpenai *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  JsonArray *data;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!reel_http_response_is_success (response))
    {
      g_task_return_error (task, openai_error_from_response (self, job, response));
      return;
    }
  root = reel_http_response_parse_json (response, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* {"object":"list","data":[{"id","object":"model","created","owned_by"}]} */
  data = reel_json_get_array (reel_json_node_get_object (root), "data");
  for (guint i = 0; data != NULL && i < json_array_get_length (data); i++)
    {
      const char *id = reel_json_get_string (reel_json_array_get_object (data, i), "id");

      if (reel_models_is_usable ("openai", id, NULL))
        g_ptr_array_add (ids, g_strdup (id));
    }

  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);
  g_task_return_pointer (task, g_ptr_array_free (g_steal_pointer (&ids), FALSE),
                         (GDestroyNotify) g_strfreev);
}

static void
on_list_key (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *auth = NULL;

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

  job->url = g_strdup_printf ("%s/models", reel_provider_get_endpoint (provider));
  job->http = reel_provider_new_request (provider, "GET", job->url);
  auth = g_strconcat ("Bearer ", job->key, NULL);
  reel_http_request_add_secret_header (job->http, "Authorization", auth);
  reel_http_request_set_idle_timeout (job->http, 20000);
  reel_http_client_send_async (reel_provider_get_http_client (provider), job->http,
                               g_task_get_cancellable (task), on_list_sent,
                               g_object_ref (task));
}

static void
reel_openai_list_models_async (ReelProvider        *provider,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);

  g_task_set_source_tag (task, reel_openai_list_models_async);
  g_task_set_task_data (task, g_new0 (Job, 1), job_free);
  reel_provider_lookup_key_async (provider, cancellable, on_list_key, g_steal_pointer (&task));
}

static GStrv
reel_openai_list_models_finish (ReelProvider  *provider,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
reel_openai_apply_settings (ReelProvider *provider,
                            GSettings    *settings)
{
  ReelOpenai *self = REEL_OPENAI (provider);
  g_autoptr(GSettingsSchema) schema = NULL;

  REEL_PROVIDER_CLASS (reel_openai_parent_class)->apply_settings (provider, settings);

  g_object_get (settings, "settings-schema", &schema, NULL);
  if (g_settings_schema_has_key (schema, "openai-quality"))
    {
      g_free (self->quality);
      self->quality = g_settings_get_string (settings, "openai-quality");
    }
}

static void
reel_openai_finalize (GObject *object)
{
  ReelOpenai *self = REEL_OPENAI (object);

  g_free (self->quality);

  G_OBJECT_CLASS (reel_openai_parent_class)->finalize (object);
}

static void
reel_openai_class_init (ReelOpenaiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ReelProviderClass *provider_class = REEL_PROVIDER_CLASS (klass);

  object_class->finalize = reel_openai_finalize;

  provider_class->id = "openai";
  provider_class->display_name = N_("OpenAI");
  provider_class->sends_structure = TRUE;
  provider_class->capabilities = REEL_GENERATOR_TEXT_TO_IMAGE | REEL_GENERATOR_EDIT
                                 | REEL_GENERATOR_NEEDS_KEY;
  provider_class->default_endpoint = "https://api.openai.com/v1";
  provider_class->default_model = reel_models_get_default ("openai", NULL);
  provider_class->apply_settings = reel_openai_apply_settings;
  provider_class->generate_async = reel_openai_generate_async;
  provider_class->generate_finish = reel_openai_generate_finish;
  provider_class->check_async = reel_openai_check_async;
  provider_class->check_finish = reel_openai_check_finish;
  provider_class->list_models_async = reel_openai_list_models_async;
  provider_class->list_models_finish = reel_openai_list_models_finish;
}

static void
reel_openai_init (ReelOpenai *self)
{
  self->quality = g_strdup ("auto");
}

/* For the fuzzer (reel-openai-private.h): the worker's parser, as it is. */
GPtrArray *
reel_openai_parse_images (GBytes      *body,
                          const char  *display_name,
                          GError     **error)
{
  ParseInput input = { body, NULL, (char *) display_name };

  return parse_images (&input, NULL, error);
}
