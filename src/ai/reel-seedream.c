/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-seedream"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "reel-ai-error.h"
#include "reel-keys.h"
#include "reel-models.h"
#include "reel-seedream-private.h"

/* ByteDance Seedream (Jimeng) on Ark: POST {endpoint}/images/generations with the prompt,
 * the references as data URLs in "image" (one string, or an array of up to 14), "b64_json"
 * answers and the watermark off. Variants of one shot are asked as one set of related
 * images (sequential_image_generation), so they share the set. One image of a set may fail
 * (an entry of data[] with an "error") while the others are kept. */

#define MAX_REFERENCES 14
#define MAX_SET        15   /* references and outputs together */

static const struct
{
  const char *region;
  const char *endpoint;
} regions[] = {
  { REEL_SEEDREAM_REGION_BYTEPLUS, "https://ark.ap-southeast.bytepluses.com/api/v3" },
  { REEL_SEEDREAM_REGION_VOLCENGINE, "https://ark.cn-beijing.volces.com/api/v3" },
};

struct _ReelSeedream
{
  ReelProvider parent_instance;

  char *region;
  gboolean watermark;
  gboolean endpoint_chosen;   /* set by the user: the region does not change it */
  gboolean model_chosen;
};

G_DEFINE_FINAL_TYPE (ReelSeedream, reel_seedream, REEL_TYPE_PROVIDER)

static const char *
region_endpoint (const char *region)
{
  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    if (g_strcmp0 (regions[i].region, region) == 0)
      return regions[i].endpoint;
  return regions[0].endpoint;
}

char *
reel_seedream_size_for (double aspect)
{
  double width = 2560;
  double height = 2560;

  if (!(aspect > 0))
    aspect = 1;
  /* Ark takes 1/16 to 16, but a storyboard frame is never near those. */
  aspect = CLAMP (aspect, 1.0 / 4.0, 4.0);
  if (aspect >= 1)
    height = width / aspect;
  else
    width = height * aspect;

  return g_strdup_printf ("%dx%d", (int) (round (width / 16) * 16),
                          (int) (round (height / 16) * 16));
}

typedef struct
{
  ReelGenerationRequest *request;
  ReelGenerationProgressFunc progress;
  gpointer progress_data;
  ReelHttpRequest *http;
  char *key;
  char *url;
  gint64 started_us;
  JsonObject *parameters;
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
  g_free (job);
}

/* Ark's errors: {"error":{"code":"InvalidParameter","message":"…","param":"…","type":"…"}}. */
static const ReelProviderErrorCode seedream_codes[] = {
  { "InvalidEndpointOrModel*", REEL_PROVIDER_ANSWER_MODEL_NOT_FOUND },
  { "ModelNotOpen*", REEL_PROVIDER_ANSWER_MODEL_NOT_FOUND },
  { "AccountOverdueError", REEL_PROVIDER_ANSWER_QUOTA },
  { "QuotaExceeded", REEL_PROVIDER_ANSWER_QUOTA },
  { "*Sensitive*", REEL_PROVIDER_ANSWER_BLOCKED },
  { NULL, 0 },
};

static GError *
seedream_error_from_response (ReelSeedream     *self,
                              Job              *job,
                              ReelHttpResponse *response)
{
  g_autoptr(JsonNode) root = reel_http_response_parse_json (response, NULL);
  JsonObject *error = reel_json_get_object (reel_json_node_get_object (root), "error");
  const char *code = reel_json_get_string (error, "code");

  return reel_provider_answer_error (REEL_PROVIDER (self), job->http, job->key,
                                     reel_http_response_get_status (response),
                                     reel_provider_classify_error (seedream_codes, code, NULL),
                                     code, reel_json_get_string (error, "message"));
}

static ReelHttpRetryDecision
seedream_retry_decision (ReelHttpResponse *response,
                         gint64           *wait_ms,
                         gpointer          user_data)
{
  g_autoptr(JsonNode) root = reel_http_response_parse_json (response, NULL);
  const char *code = reel_json_get_string (
    reel_json_get_object (reel_json_node_get_object (root), "error"), "code");

  return reel_provider_retry_for_answer (reel_provider_classify_error (seedream_codes, code,
                                                                       NULL));
}

typedef struct
{
  GBytes *body;
  ReelGenerationRecord *record;
  char *display_name;
  GPtrArray *failures;   /* out: one message per image that failed */
} ParseInput;

static void
parse_input_free (gpointer data)
{
  ParseInput *input = data;

  g_clear_pointer (&input->body, g_bytes_unref);
  g_clear_pointer (&input->record, reel_generation_record_unref);
  g_free (input->display_name);
  g_clear_pointer (&input->failures, g_ptr_array_unref);
  g_free (input);
}

typedef ReelSeedreamParsed Parsed;

static void
parsed_free (gpointer data)
{
  reel_seedream_parsed_free (data);
}

void
reel_seedream_parsed_free (ReelSeedreamParsed *parsed)
{
  if (parsed == NULL)
    return;

  g_clear_pointer (&parsed->assets, g_ptr_array_unref);
  g_clear_pointer (&parsed->failures, g_ptr_array_unref);
  g_free (parsed);
}

/* Pure: the images of an answer body. JSON, base64 and image decoding of several
 * megabytes: called on a worker thread. */
ReelSeedreamParsed *
reel_seedream_parse_images (GBytes                *body,
                            const char            *display_name,
                            ReelGenerationRecord  *record,
                            GError               **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  Parsed *parsed;
  gsize length = 0;
  const char *text = g_bytes_get_data (body, &length);
  JsonArray *items;

  /* White space alone parses, to no root at all. */
  if (length == 0 || !json_parser_load_from_data (parser, text, length, NULL)
      || json_parser_get_root (parser) == NULL
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                   _("%s sent an answer that is not valid JSON. The server may be "
                     "misconfigured or not what the address in Preferences says it is."),
                   display_name);
      return NULL;
    }

  parsed = g_new0 (Parsed, 1);
  parsed->assets = g_ptr_array_new_with_free_func (g_object_unref);
  parsed->failures = g_ptr_array_new_with_free_func (g_free);
  items = reel_json_get_array (json_node_get_object (json_parser_get_root (parser)), "data");
  reel_provider_record_add_usage (record,
                                  reel_json_get_object (json_node_get_object (
                                    json_parser_get_root (parser)), "usage"));

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = reel_json_array_get_object (items, i);
      JsonObject *item_error = reel_json_get_object (item, "error");
      const char *encoded = reel_json_get_string (item, "b64_json");
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) local_error = NULL;
      ReelAsset *asset;

      if (item_error != NULL || encoded == NULL)
        {
          const char *reason = reel_json_get_string (item_error, "message");

          g_ptr_array_add (parsed->failures,
                           g_strdup (reason != NULL ? reason
                                                    : reel_json_get_string (item_error, "code")
                                                      != NULL
                                                      ? reel_json_get_string (item_error, "code")
                                                      : "?"));
          continue;
        }

      bytes = reel_provider_decode_base64 (encoded, strlen (encoded));
      asset = bytes != NULL ? reel_provider_image_asset (display_name, bytes, record,
                                                         &local_error)
                            : NULL;
      if (asset == NULL)
        {
          g_ptr_array_add (parsed->failures,
                           g_strdup (local_error != NULL ? local_error->message
                                                         : _("damaged image")));
          continue;
        }
      g_ptr_array_add (parsed->assets, asset);
    }
  parsed->asked = items != NULL ? json_array_get_length (items) : 0;

  if (parsed->assets->len == 0)
    {
      if (parsed->failures->len > 0)
        g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NO_IMAGE,
                     _("%s made no image (%s). Try again, or change the prompt."),
                     display_name, (char *) g_ptr_array_index (parsed->failures, 0));
      else
        g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NO_IMAGE,
                     _("%s answered without an image. Try again, or change the prompt."),
                     display_name);
      parsed_free (parsed);
      return NULL;
    }

  return parsed;
}

/* On a worker thread. */
static gpointer
parse_images (gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  ParseInput *input = data;

  return reel_seedream_parse_images (input->body, input->display_name, input->record, error);
}

static void
on_parsed (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  Parsed *parsed;

  parsed = reel_provider_run_in_thread_finish (result, &error);
  if (parsed == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* One image of the set failed, the others are kept: say which, and why. */
  for (guint i = 0; i < parsed->failures->len; i++)
    {
      g_autofree char *status =
        g_strdup_printf (_("%s could not make image %u of %u (%s); the others are kept."),
                         reel_provider_get_display_name (provider),
                         parsed->assets->len + i + 1, parsed->asked,
                         (char *) g_ptr_array_index (parsed->failures, i));

      g_message ("%s", status);
      if (job->progress != NULL)
        job->progress (-1, status, job->progress_data);
    }

  g_task_return_pointer (task, g_steal_pointer (&parsed->assets),
                         (GDestroyNotify) g_ptr_array_unref);
  parsed_free (parsed);
}

static void
on_sent (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelSeedream *self = g_task_get_source_object (task);
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
      g_task_return_error (task, seedream_error_from_response (self, job, response));
      return;
    }

  input = g_new0 (ParseInput, 1);
  input->body = g_bytes_ref (reel_http_response_get_body (response));
  input->display_name = g_strdup (reel_provider_get_display_name (REEL_PROVIDER (self)));
  input->record = reel_provider_new_record (REEL_PROVIDER (self), job->request, job->url, -1,
                                            job->parameters, job->started_us);
  /* Seedream takes no negative prompt. */
  g_clear_pointer (&input->record->negative_prompt, g_free);

  reel_provider_run_in_thread (parse_images, input, parse_input_free, parsed_free,
                               g_task_get_cancellable (task), on_parsed, g_object_ref (task));
}

/* On a worker thread: the bytes are read for this request only, not kept by the asset. */
static char *
data_url (ReelAsset     *asset,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GBytes) data = reel_asset_dup_data (asset, cancellable, error);
  gsize size = 0;
  const guchar *bytes = NULL;
  g_autofree char *encoded = NULL;

  if (data == NULL)
    return NULL;
  bytes = g_bytes_get_data (data, &size);
  encoded = g_base64_encode (bytes, size);
  return g_strdup_printf ("data:%s;base64,%s", reel_asset_get_mime_type (asset), encoded);
}

typedef struct
{
  GPtrArray *references;   /* ReelAsset */
  char *model;
  char *prompt;
  char *size;
  guint count;
  gboolean watermark;
} BodyInput;

static void
body_input_free (gpointer data)
{
  BodyInput *input = data;

  g_ptr_array_unref (input->references);
  g_free (input->model);
  g_free (input->prompt);
  g_free (input->size);
  g_free (input);
}

/* On a worker thread: references become base64 data URLs, megabytes each. */
static gpointer
build_body (gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  BodyInput *input = data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n_references = MIN (input->references->len, MAX_REFERENCES);
  guint count = MIN (MAX (input->count, 1), MAX_SET - n_references);
  gsize length = 0;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, input->model);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, input->prompt);
  if (n_references == 1)
    {
      g_autofree char *url = data_url (g_ptr_array_index (input->references, 0), cancellable,
                                       error);

      if (url == NULL)
        return NULL;
      json_builder_set_member_name (builder, "image");
      json_builder_add_string_value (builder, url);
    }
  else if (n_references > 1)
    {
      json_builder_set_member_name (builder, "image");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n_references; i++)
        {
          g_autofree char *url = data_url (g_ptr_array_index (input->references, i),
                                           cancellable, error);

          if (url == NULL)
            return NULL;
          json_builder_add_string_value (builder, url);
        }
      json_builder_end_array (builder);
    }
  json_builder_set_member_name (builder, "size");
  json_builder_add_string_value (builder, input->size);
  /* Variants of one shot as one set of related images: they share the set. */
  json_builder_set_member_name (builder, "sequential_image_generation");
  json_builder_add_string_value (builder, count > 1 ? "auto" : "disabled");
  if (count > 1)
    {
      json_builder_set_member_name (builder, "sequential_image_generation_options");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "max_images");
      json_builder_add_int_value (builder, count);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "response_format");
  json_builder_add_string_value (builder, "b64_json");
  json_builder_set_member_name (builder, "watermark");
  json_builder_add_boolean_value (builder, input->watermark);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  length = strlen (text);
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
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *auth = NULL;

  body = reel_provider_run_in_thread_finish (result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  job->http = reel_provider_new_request (provider, "POST", job->url);
  auth = g_strconcat ("Bearer ", job->key, NULL);
  reel_http_request_add_secret_header (job->http, "Authorization", auth);
  reel_http_request_set_body (job->http, "application/json", body);
  reel_http_request_set_retry_func (job->http, seedream_retry_decision, NULL, NULL);
  reel_http_client_send_async (reel_provider_get_http_client (provider), job->http,
                               g_task_get_cancellable (task), on_sent, g_object_ref (task));
}

static void
on_key (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelSeedream *self = g_task_get_source_object (task);
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

  input = g_new0 (BodyInput, 1);
  input->references = reel_generation_request_list_references (job->request);
  input->model = g_strdup (reel_provider_get_model (provider));
  input->prompt = reel_provider_prompt_for_references (job->request);
  input->size = reel_seedream_size_for (job->request->aspect_ratio);
  input->count = job->request->count;
  input->watermark = self->watermark;

  job->url = g_strconcat (reel_provider_get_endpoint (provider), "/images/generations", NULL);
  job->parameters = json_object_new ();
  json_object_set_string_member (job->parameters, "size", input->size);
  json_object_set_string_member (job->parameters, "region", self->region);
  json_object_set_boolean_member (job->parameters, "watermark", self->watermark);
  json_object_set_int_member (job->parameters, "max_images", MAX (input->count, 1));

  reel_provider_run_in_thread (build_body, input, body_input_free,
                               (GDestroyNotify) g_bytes_unref, g_task_get_cancellable (task),
                               on_body_built, g_object_ref (task));
}

static void
reel_seedream_generate_async (ReelProvider               *provider,
                              ReelGenerationRequest      *request,
                              ReelGenerationProgressFunc  progress,
                              gpointer                    progress_data,
                              GCancellable               *cancellable,
                              GAsyncReadyCallback         callback,
                              gpointer                    user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  Job *job;

  g_task_set_source_tag (task, reel_seedream_generate_async);

  if (request->kind == REEL_GENERATION_VIDEO)
    {
      g_task_return_new_error (task, REEL_AI_ERROR, REEL_AI_ERROR_NOT_SUPPORTED, "%s",
                               _("Seedream makes still images only. Choose Google Veo for a "
                                 "moving background."));
      return;
    }

  job = g_new0 (Job, 1);
  job->request = reel_generation_request_ref (request);
  job->progress = progress;
  job->progress_data = progress_data;
  job->started_us = g_get_monotonic_time ();
  g_task_set_task_data (task, job, job_free);

  if (progress != NULL)
    progress (-1, _("Waiting for Seedream"), progress_data);

  reel_provider_lookup_key_async (provider, cancellable, on_key, g_steal_pointer (&task));
}

static GPtrArray *
reel_seedream_generate_finish (ReelProvider  *provider,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_check_key (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelProvider *provider = REEL_PROVIDER (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = reel_provider_lookup_key_finish (provider, result, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (key == NULL)
    g_task_return_error (task, reel_provider_no_key_error (provider));
  else
    /* Ark has no free call that proves a key: a generation would cost money. */
    g_task_return_pointer (task,
                           g_strdup_printf (_("A key for %s is set; it is checked with the "
                                              "first image."),
                                            reel_provider_get_display_name (provider)),
                           g_free);
  if (key != NULL)
    memset (key, 0, strlen (key));
}

static void
reel_seedream_check_async (ReelProvider        *provider,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);

  g_task_set_source_tag (task, reel_seedream_check_async);
  reel_provider_lookup_key_async (provider, cancellable, on_check_key, g_steal_pointer (&task));
}

static char *
reel_seedream_check_finish (ReelProvider  *provider,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
reel_seedream_apply_settings (ReelProvider *provider,
                              GSettings    *settings)
{
  ReelSeedream *self = REEL_SEEDREAM (provider);
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  if (g_settings_schema_has_key (schema, "seedream-region"))
    {
      g_autofree char *region = g_settings_get_string (settings, "seedream-region");

      reel_seedream_set_region (self, region);
    }
  if (g_settings_schema_has_key (schema, "seedream-watermark"))
    reel_seedream_set_watermark (self, g_settings_get_boolean (settings, "seedream-watermark"));

  /* Endpoint and model: only when set, so the region's stay otherwise. */
  REEL_PROVIDER_CLASS (reel_seedream_parent_class)->apply_settings (provider, settings);
}

static void
on_endpoint_or_model_changed (ReelSeedream *self,
                              GParamSpec   *pspec)
{
  /* Not while the region sets them itself. */
  if (g_object_get_data (G_OBJECT (self), "storyreel-region-setting") != NULL)
    return;
  if (g_str_equal (pspec->name, "endpoint"))
    self->endpoint_chosen = TRUE;
  else
    self->model_chosen = TRUE;
}

static void
reel_seedream_constructed (GObject *object)
{
  ReelSeedream *self = REEL_SEEDREAM (object);

  G_OBJECT_CLASS (reel_seedream_parent_class)->constructed (object);

  g_signal_connect (self, "notify::endpoint", G_CALLBACK (on_endpoint_or_model_changed),
                    NULL);
  g_signal_connect (self, "notify::model", G_CALLBACK (on_endpoint_or_model_changed), NULL);
}

static void
reel_seedream_finalize (GObject *object)
{
  g_free (REEL_SEEDREAM (object)->region);

  G_OBJECT_CLASS (reel_seedream_parent_class)->finalize (object);
}

static void
reel_seedream_class_init (ReelSeedreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ReelProviderClass *provider_class = REEL_PROVIDER_CLASS (klass);

  object_class->constructed = reel_seedream_constructed;
  object_class->finalize = reel_seedream_finalize;

  provider_class->id = "seedream";
  provider_class->display_name = N_("Seedream");
  provider_class->sends_structure = TRUE;
  provider_class->capabilities = REEL_GENERATOR_TEXT_TO_IMAGE | REEL_GENERATOR_EDIT
                                 | REEL_GENERATOR_NEEDS_KEY;
  provider_class->default_endpoint = regions[0].endpoint;
  provider_class->default_model = reel_models_get_default ("seedream",
                                                           REEL_SEEDREAM_REGION_BYTEPLUS);
  provider_class->apply_settings = reel_seedream_apply_settings;
  provider_class->generate_async = reel_seedream_generate_async;
  provider_class->generate_finish = reel_seedream_generate_finish;
  provider_class->check_async = reel_seedream_check_async;
  provider_class->check_finish = reel_seedream_check_finish;
}

static void
reel_seedream_init (ReelSeedream *self)
{
  self->region = g_strdup (REEL_SEEDREAM_REGION_BYTEPLUS);
}

void
reel_seedream_set_region (ReelSeedream *self,
                          const char   *region)
{
  ReelProvider *provider = REEL_PROVIDER (self);

  g_return_if_fail (REEL_IS_SEEDREAM (self));

  if (g_strcmp0 (region, REEL_SEEDREAM_REGION_VOLCENGINE) != 0)
    region = REEL_SEEDREAM_REGION_BYTEPLUS;
  g_free (self->region);
  self->region = g_strdup (region);

  /* A key belongs to one region: the address and the model follow it unless chosen. */
  g_object_set_data (G_OBJECT (self), "storyreel-region-setting", GINT_TO_POINTER (TRUE));
  if (!self->endpoint_chosen)
    reel_provider_set_endpoint (provider, region_endpoint (region));
  if (!self->model_chosen)
    reel_provider_set_model (provider, reel_models_get_default ("seedream", region));
  g_object_set_data (G_OBJECT (self), "storyreel-region-setting", NULL);
}

const char *
reel_seedream_get_region (ReelSeedream *self)
{
  g_return_val_if_fail (REEL_IS_SEEDREAM (self), NULL);
  return self->region;
}

void
reel_seedream_set_watermark (ReelSeedream *self,
                             gboolean      watermark)
{
  g_return_if_fail (REEL_IS_SEEDREAM (self));
  self->watermark = !!watermark;
}
