/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-wan"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "reel-ai-error.h"
#include "reel-keys.h"
#include "reel-models.h"
#include "reel-wan.h"

/* Alibaba Wan on Model Studio (DashScope), asynchronous: a POST with
 * "X-DashScope-Async: enable" starts a task (output.task_id), GET /api/v1/tasks/{id} is
 * polled until SUCCEEDED, FAILED or CANCELED, within a deadline; the results are URLs on
 * Alibaba's storage, fetched without the key. Stills from text (the image model), and a
 * moving background from the shot's background (the video model, image to video). */

#define IMAGE_PATH "/api/v1/services/aigc/image-generation/generation"
#define VIDEO_PATH "/api/v1/services/aigc/video-generation/video-synthesis"
#define MAX_VIDEO_SIZE (512 * 1024 * 1024)

static const struct
{
  const char *region;
  const char *endpoint;
} regions[] = {
  { REEL_WAN_REGION_INTERNATIONAL, "https://dashscope-intl.aliyuncs.com" },
  { REEL_WAN_REGION_BEIJING, "https://dashscope.aliyuncs.com" },
};

struct _ReelWan
{
  ReelProvider parent_instance;

  char *region;
  char *video_model;
  guint poll_interval_ms;
  guint deadline_ms;
};

G_DEFINE_FINAL_TYPE (ReelWan, reel_wan, REEL_TYPE_PROVIDER)

typedef struct
{
  ReelGenerationRequest *request;
  ReelGenerationProgressFunc progress;
  gpointer progress_data;
  char *key;
  char *start_url;
  char *task_id;
  ReelHttpRequest *http;
  JsonObject *parameters;
  gint64 started_us;
  ReelProviderPoll poll;
  GPtrArray *urls;         /* results to fetch */
  JsonObject *usage;       /* what the task reported */
  ReelGenerationRecord *record;   /* one for the whole task, shared by its results */
  GPtrArray *assets;
  guint fetches_pending;
  gboolean video;
  gboolean returned;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_clear_pointer (&job->request, reel_generation_request_unref);
  if (job->key != NULL)
    {
      memset (job->key, 0, strlen (job->key));
      g_free (job->key);
    }
  g_free (job->start_url);
  g_free (job->task_id);
  g_clear_object (&job->http);
  g_clear_pointer (&job->parameters, json_object_unref);
  reel_provider_poll_clear (&job->poll);
  g_clear_pointer (&job->urls, g_ptr_array_unref);
  g_clear_pointer (&job->usage, json_object_unref);
  g_clear_pointer (&job->record, reel_generation_record_unref);
  g_clear_pointer (&job->assets, g_ptr_array_unref);
  g_free (job);
}

static void
job_return_error (GTask  *task,
                  GError *error)
{
  Job *job = g_task_get_task_data (task);

  if (job->returned)
    {
      g_error_free (error);
      return;
    }
  job->returned = TRUE;
  g_task_return_error (task, error);
}

static const char *
region_endpoint (const char *region)
{
  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    if (g_strcmp0 (regions[i].region, region) == 0)
      return regions[i].endpoint;
  return regions[0].endpoint;
}

/* "1280*720": Wan's sizes, about 1280×1280 pixels in all, sides multiples of 16. */
static char *
size_for (double aspect)
{
  double area = 1280.0 * 1280.0;
  double width;
  double height;

  if (!(aspect > 0))
    aspect = 1;
  aspect = CLAMP (aspect, 1.0 / 4.0, 4.0);
  width = sqrt (area * aspect);
  height = width / aspect;
  return g_strdup_printf ("%d*%d", (int) (round (width / 16) * 16),
                          (int) (round (height / 16) * 16));
}

/* DashScope's errors: {"code":"InvalidApiKey","message":"…","request_id":"…"}. */
static const ReelProviderErrorCode wan_codes[] = {
  { "ModelNotFound", REEL_PROVIDER_ANSWER_MODEL_NOT_FOUND },
  { "Arrearage", REEL_PROVIDER_ANSWER_QUOTA },
  { "DataInspectionFailed", REEL_PROVIDER_ANSWER_BLOCKED },
  { NULL, 0 },
};

static GError *
wan_error (ReelWan          *self,
           Job              *job,
           ReelHttpResponse *response)
{
  g_autoptr(JsonNode) root = reel_http_response_parse_json (response, NULL);
  JsonObject *object = reel_json_node_get_object (root);
  const char *code = reel_json_get_string (object, "code");
  const char *message = reel_json_get_string (object, "message");
  ReelProviderAnswer answer = reel_provider_classify_error (wan_codes, code, NULL);

  /* Some regions say it in words only. */
  if (answer == REEL_PROVIDER_ANSWER_OTHER && message != NULL
      && strstr (message, "Model not exist") != NULL)
    answer = REEL_PROVIDER_ANSWER_MODEL_NOT_FOUND;
  return reel_provider_answer_error (REEL_PROVIDER (self), job->http, job->key,
                                     reel_http_response_get_status (response), answer, code,
                                     message);
}

static void
report (Job        *job,
        const char *status)
{
  if (job->progress != NULL)
    job->progress (-1, status, job->progress_data);
}

/* Results --------------------------------------------------------------------------------- */

static void
job_done_if_complete (GTask *task)
{
  Job *job = g_task_get_task_data (task);

  if (job->fetches_pending > 0 || job->returned)
    return;
  job->returned = TRUE;
  g_task_return_pointer (task, g_steal_pointer (&job->assets),
                         (GDestroyNotify) g_ptr_array_unref);
}

static void
on_image_decoded (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  ReelAsset *asset = reel_provider_run_in_thread_finish (result, &error);

  if (asset == NULL)
    {
      job_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (job->assets != NULL)
    g_ptr_array_add (job->assets, asset);
  else
    g_object_unref (asset);
  job->fetches_pending--;
  job_done_if_complete (task);
}

static ReelGenerationRecord *
job_record (GTask *task)
{
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);

  if (job->record == NULL)
    {
      job->record = reel_provider_new_record (provider, job->request, job->start_url,
                                              job->request->seed, job->parameters,
                                              job->started_us);
      if (job->video)
        {
          g_free (job->record->model);
          job->record->model = g_strdup (REEL_WAN (provider)->video_model);
        }
      reel_provider_record_add_usage (job->record, job->usage);
    }
  return reel_generation_record_ref (job->record);
}

static void
on_result_fetched (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    {
      job_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!reel_http_response_is_success (response))
    {
      job_return_error (task, reel_provider_status_error (provider,
                                                          reel_http_response_get_status (response),
                                                          NULL));
      return;
    }

  if (job->video)
    {
      GBytes *body = reel_http_response_get_body (response);
      gsize size = 0;
      const guchar *bytes = g_bytes_get_data (body, &size);
      g_autoptr(ReelGenerationRecord) record = NULL;
      gboolean portrait = job->request->aspect_ratio < 1.0;

      /* An MP4 starts with a box whose type is "ftyp". */
      if (size < 12 || memcmp (bytes + 4, "ftyp", 4) != 0)
        {
          job_return_error (task, g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                                               _("%s sent something that is not a video. Try "
                                                 "again."),
                                               reel_provider_get_display_name (provider)));
          return;
        }
      record = job_record (task);
      g_ptr_array_add (job->assets,
                       reel_asset_new_video (body, REEL_MIME_MP4, portrait ? 720 : 1280,
                                             portrait ? 1280 : 720, record));
      job->fetches_pending--;
      job_done_if_complete (task);
    }
  else
    {
      /* The record says what was sent. */
      ReelGenerationRecord *record = job_record (task);

      reel_provider_image_asset_async (reel_provider_get_display_name (provider),
                                       reel_http_response_get_body (response), record,
                                       g_task_get_cancellable (task), on_image_decoded,
                                       g_object_ref (task));
      reel_generation_record_unref (record);
    }
}

static void
fetch_results (GTask *task)
{
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);

  report (job, job->video ? _("Downloading the clip") : _("Downloading the images"));
  job->fetches_pending = job->urls->len;
  for (guint i = 0; i < job->urls->len; i++)
    {
      const char *url = g_ptr_array_index (job->urls, i);
      g_autoptr(ReelHttpRequest) fetch = reel_provider_new_request (provider, "GET", url);

      /* Storage links carry their own signature: the key is not sent with them. */
      reel_http_request_set_follow_redirects (fetch, TRUE);
      if (job->video)
        reel_http_request_set_max_response_size (fetch, MAX_VIDEO_SIZE);
      reel_http_client_send_async (reel_provider_get_http_client (provider), fetch,
                                   g_task_get_cancellable (task), on_result_fetched,
                                   g_object_ref (task));
    }
}

/* Polling --------------------------------------------------------------------------------- */

static void poll_task (GTask    *task,
                       gpointer  data);

/* The next poll, unless the task has run past its deadline. */
static void
schedule_poll (GTask *task)
{
  ReelWan *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);

  if (!reel_provider_poll_schedule (&job->poll, task, self->poll_interval_ms,
                                    job->started_us + (gint64) self->deadline_ms * 1000,
                                    poll_task, NULL, NULL))
    job_return_error (task, reel_provider_deadline_error (REEL_PROVIDER (self),
                                                          self->deadline_ms));
}

static void
collect_urls (Job        *job,
              JsonObject *output)
{
  JsonArray *results = reel_json_get_array (output, "results");
  JsonArray *choices = reel_json_get_array (output, "choices");

  if (reel_json_get_string (output, "video_url") != NULL)
    g_ptr_array_add (job->urls, g_strdup (reel_json_get_string (output, "video_url")));
  /* Images: output.results[].url, or the newer output.choices[].message.content[].image. */
  for (guint i = 0; results != NULL && i < json_array_get_length (results); i++)
    {
      const char *url = reel_json_get_string (reel_json_array_get_object (results, i), "url");

      if (url != NULL)
        g_ptr_array_add (job->urls, g_strdup (url));
    }
  for (guint i = 0; choices != NULL && i < json_array_get_length (choices); i++)
    {
      JsonObject *message = reel_json_get_object (reel_json_array_get_object (choices, i),
                                                  "message");
      JsonArray *content = reel_json_get_array (message, "content");

      for (guint j = 0; content != NULL && j < json_array_get_length (content); j++)
        {
          const char *url = reel_json_get_string (reel_json_array_get_object (content, j),
                                                  "image");

          if (url != NULL)
            g_ptr_array_add (job->urls, g_strdup (url));
        }
    }
}

static void
on_polled (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelWan *self = g_task_get_source_object (task);
  ReelProvider *provider = REEL_PROVIDER (self);
  Job *job = g_task_get_task_data (task);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *output;
  const char *status;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    {
      job_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!reel_http_response_is_success (response))
    {
      job_return_error (task, wan_error (self, job, response));
      return;
    }
  root = reel_http_response_parse_json (response, &error);
  if (root == NULL)
    {
      job_return_error (task, g_steal_pointer (&error));
      return;
    }

  output = reel_json_get_object (reel_json_node_get_object (root), "output");
  status = reel_json_get_string (output, "task_status");

  if (g_strcmp0 (status, "SUCCEEDED") == 0)
    {
      JsonObject *usage = reel_json_get_object (reel_json_node_get_object (root), "usage");

      if (usage != NULL)
        job->usage = json_object_ref (usage);
      collect_urls (job, output);
      if (job->urls->len == 0)
        {
          job_return_error (task, g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_NO_IMAGE,
                                               _("%s finished without a result. Try again, or "
                                                 "change the prompt."),
                                               reel_provider_get_display_name (provider)));
          return;
        }
      fetch_results (task);
      return;
    }
  if (g_strcmp0 (status, "FAILED") == 0 || g_strcmp0 (status, "CANCELED") == 0
      || g_strcmp0 (status, "UNKNOWN") == 0)
    {
      g_autofree char *reason = reel_keys_scrub (reel_json_get_string (output, "message"),
                                                 job->key);

      job_return_error (task, g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_FAILED,
                                           _("%s could not finish the task (%s). Change the "
                                             "prompt and try again."),
                                           reel_provider_get_display_name (provider),
                                           reason != NULL ? reason
                                                          : status != NULL ? status : "?"));
      return;
    }

  /* PENDING or RUNNING: again, unless the deadline has passed. */
  report (job, g_strcmp0 (status, "RUNNING") == 0 ? _("Rendering") : _("Queued"));
  schedule_poll (task);
}

static void
poll_task (GTask    *task,
           gpointer  data)
{
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autofree char *url = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *id = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      job->returned = TRUE;
      return;
    }

  id = g_uri_escape_string (job->task_id, NULL, FALSE);
  url = g_strdup_printf ("%s/api/v1/tasks/%s", reel_provider_get_endpoint (provider), id);
  g_clear_object (&job->http);
  job->http = reel_provider_new_request (provider, "GET", url);
  auth = g_strconcat ("Bearer ", job->key, NULL);
  reel_http_request_add_secret_header (job->http, "Authorization", auth);
  reel_http_client_send_async (reel_provider_get_http_client (provider), job->http,
                               g_task_get_cancellable (task), on_polled, g_object_ref (task));
}

static void
on_started (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelWan *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *id;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    {
      job_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!reel_http_response_is_success (response))
    {
      job_return_error (task, wan_error (self, job, response));
      return;
    }
  root = reel_http_response_parse_json (response, NULL);
  id = reel_json_get_string (reel_json_get_object (reel_json_node_get_object (root), "output"),
                             "task_id");
  if (id == NULL || id[0] == '\0')
    {
      job_return_error (task, g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                                           _("%s sent an answer that is not what its protocol "
                                             "promises. Check the address in Preferences."),
                                           reel_provider_get_display_name (REEL_PROVIDER (self))));
      return;
    }
  job->task_id = g_strdup (id);
  report (job, _("Queued"));
  schedule_poll (task);
}

/* Starting -------------------------------------------------------------------------------- */

static char *
data_url (const char *mime_type,
          GBytes     *data)
{
  gsize size = 0;
  const guchar *bytes = g_bytes_get_data (data, &size);
  g_autofree char *encoded = g_base64_encode (bytes, size);

  return g_strdup_printf ("data:%s;base64,%s", mime_type, encoded);
}

/* Sends the task with the first frame of a clip (nullable: a still), read for this request. */
static void
start_task (GTask  *task,
            GBytes *first_frame)
{
  ReelWan *self = g_task_get_source_object (task);
  ReelProvider *provider = REEL_PROVIDER (self);
  Job *job = g_task_get_task_data (task);
  ReelGenerationRequest *request = job->request;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *auth = NULL;

  job->parameters = json_object_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, job->video ? self->video_model
                                                     : reel_provider_get_model (provider));
  json_builder_set_member_name (builder, "input");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, request->prompt != NULL ? request->prompt : "");
  if (request->negative_prompt != NULL && request->negative_prompt[0] != '\0')
    {
      json_builder_set_member_name (builder, "negative_prompt");
      json_builder_add_string_value (builder, request->negative_prompt);
    }
  if (job->video)
    {
      /* A moving background from the shot's background: its first frame. */
      g_autofree char *image = data_url (reel_asset_get_mime_type (request->background),
                                         first_frame);

      json_builder_set_member_name (builder, "img_url");
      json_builder_add_string_value (builder, image);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "parameters");
  json_builder_begin_object (builder);
  if (job->video)
    {
      json_builder_set_member_name (builder, "resolution");
      json_builder_add_string_value (builder, "720P");
      json_builder_set_member_name (builder, "duration");
      json_builder_add_int_value (builder, 5);
      json_object_set_int_member (job->parameters, "duration", 5);
    }
  else
    {
      g_autofree char *size = size_for (request->aspect_ratio);

      json_builder_set_member_name (builder, "size");
      json_builder_add_string_value (builder, size);
      json_builder_set_member_name (builder, "n");
      json_builder_add_int_value (builder, CLAMP (request->count, 1, 4));
      json_object_set_string_member (job->parameters, "size", size);
    }
  json_builder_set_member_name (builder, "watermark");
  json_builder_add_boolean_value (builder, FALSE);
  if (request->seed >= 0)
    {
      json_builder_set_member_name (builder, "seed");
      json_builder_add_int_value (builder, request->seed & 0x7fffffff);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  job->start_url = g_strconcat (reel_provider_get_endpoint (provider),
                                job->video ? VIDEO_PATH : IMAGE_PATH, NULL);
  json_object_set_string_member (job->parameters, "region", self->region);
  job->http = reel_provider_new_request (provider, "POST", job->start_url);
  auth = g_strconcat ("Bearer ", job->key, NULL);
  reel_http_request_add_secret_header (job->http, "Authorization", auth);
  reel_http_request_add_header (job->http, "X-DashScope-Async", "enable");
  reel_http_request_set_json_body (job->http, body);
  reel_http_request_set_idempotent (job->http, FALSE);
  reel_http_client_send_async (reel_provider_get_http_client (provider), job->http,
                               g_task_get_cancellable (task), on_started, g_object_ref (task));
}

static void
on_background_read (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) data = NULL;
  g_autoptr(GError) error = NULL;

  data = reel_provider_read_assets_finish (result, &error);
  if (data == NULL)
    {
      job_return_error (task, g_steal_pointer (&error));
      return;
    }
  start_task (task, g_ptr_array_index (data, 0));
}

static void
on_key (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelWan *self = g_task_get_source_object (task);
  ReelProvider *provider = REEL_PROVIDER (self);
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  job->key = reel_provider_lookup_key_finish (provider, result, &error);
  if (error != NULL)
    {
      job_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (job->key == NULL)
    {
      job_return_error (task, reel_provider_no_key_error (provider));
      return;
    }

  /* The background is read off the main thread, for this request only. */
  if (job->video)
    {
      g_autoptr(GPtrArray) assets = g_ptr_array_new_with_free_func (g_object_unref);

      g_ptr_array_add (assets, g_object_ref (job->request->background));
      reel_provider_read_assets_async (assets, g_task_get_cancellable (task),
                                       on_background_read, g_object_ref (task));
      return;
    }
  start_task (task, NULL);
}

static void
reel_wan_generate_async (ReelProvider               *provider,
                         ReelGenerationRequest      *request,
                         ReelGenerationProgressFunc  progress,
                         gpointer                    progress_data,
                         GCancellable               *cancellable,
                         GAsyncReadyCallback         callback,
                         gpointer                    user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  Job *job;

  g_task_set_source_tag (task, reel_wan_generate_async);

  if (request->kind == REEL_GENERATION_VIDEO && request->background == NULL)
    {
      g_task_return_new_error (task, REEL_AI_ERROR, REEL_AI_ERROR_INVALID_REQUEST, "%s",
                               _("Wan makes a moving background from the shot’s background. "
                                 "Make or choose a background first."));
      return;
    }

  job = g_new0 (Job, 1);
  job->request = reel_generation_request_ref (request);
  job->progress = progress;
  job->progress_data = progress_data;
  job->video = request->kind == REEL_GENERATION_VIDEO;
  job->started_us = g_get_monotonic_time ();
  job->urls = g_ptr_array_new_with_free_func (g_free);
  job->assets = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, job, job_free);

  report (job, _("Waiting for Wan"));
  reel_provider_lookup_key_async (provider, cancellable, on_key, g_steal_pointer (&task));
}

static GPtrArray *
reel_wan_generate_finish (ReelProvider  *provider,
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
    g_task_return_pointer (task,
                           g_strdup_printf (_("A key for %s is set; it is checked with the "
                                              "first image."),
                                            reel_provider_get_display_name (provider)),
                           g_free);
  if (key != NULL)
    memset (key, 0, strlen (key));
}

static void
reel_wan_check_async (ReelProvider        *provider,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);

  g_task_set_source_tag (task, reel_wan_check_async);
  reel_provider_lookup_key_async (provider, cancellable, on_check_key, g_steal_pointer (&task));
}

static char *
reel_wan_check_finish (ReelProvider  *provider,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
reel_wan_apply_settings (ReelProvider *provider,
                         GSettings    *settings)
{
  ReelWan *self = REEL_WAN (provider);
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  if (g_settings_schema_has_key (schema, "wan-region"))
    {
      g_autofree char *region = g_settings_get_string (settings, "wan-region");

      reel_wan_set_region (self, region);
    }
  if (g_settings_schema_has_key (schema, "wan-video-model"))
    {
      g_autofree char *model = g_settings_get_string (settings, "wan-video-model");

      reel_wan_set_video_model (self, model);
    }
  REEL_PROVIDER_CLASS (reel_wan_parent_class)->apply_settings (provider, settings);
}

static void
reel_wan_finalize (GObject *object)
{
  ReelWan *self = REEL_WAN (object);

  g_free (self->region);
  g_free (self->video_model);

  G_OBJECT_CLASS (reel_wan_parent_class)->finalize (object);
}

static void
reel_wan_class_init (ReelWanClass *klass)
{
  ReelProviderClass *provider_class = REEL_PROVIDER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = reel_wan_finalize;

  provider_class->id = "wan";
  provider_class->display_name = N_("Wan");
  provider_class->capabilities = REEL_GENERATOR_TEXT_TO_IMAGE | REEL_GENERATOR_NEEDS_KEY;
  provider_class->default_endpoint = regions[0].endpoint;
  provider_class->default_model = reel_models_get_default ("wan", NULL);
  provider_class->apply_settings = reel_wan_apply_settings;
  provider_class->generate_async = reel_wan_generate_async;
  provider_class->generate_finish = reel_wan_generate_finish;
  provider_class->check_async = reel_wan_check_async;
  provider_class->check_finish = reel_wan_check_finish;
}

static void
reel_wan_init (ReelWan *self)
{
  self->region = g_strdup (REEL_WAN_REGION_INTERNATIONAL);
  self->video_model = g_strdup (reel_models_get_default ("wan", "video"));
  self->poll_interval_ms = 3000;
  self->deadline_ms = 10 * 60 * 1000;
}

void
reel_wan_set_region (ReelWan    *self,
                     const char *region)
{
  g_return_if_fail (REEL_IS_WAN (self));

  if (g_strcmp0 (region, REEL_WAN_REGION_BEIJING) != 0)
    region = REEL_WAN_REGION_INTERNATIONAL;
  g_free (self->region);
  self->region = g_strdup (region);
  /* A key belongs to one region; an address the user typed stays. */
  if (g_strcmp0 (reel_provider_get_endpoint (REEL_PROVIDER (self)), regions[0].endpoint) == 0
      || g_strcmp0 (reel_provider_get_endpoint (REEL_PROVIDER (self)), regions[1].endpoint) == 0)
    reel_provider_set_endpoint (REEL_PROVIDER (self), region_endpoint (region));
}

void
reel_wan_set_video_model (ReelWan    *self,
                          const char *model)
{
  g_return_if_fail (REEL_IS_WAN (self));

  if (model == NULL || model[0] == '\0')
    model = reel_models_get_default ("wan", "video");
  g_free (self->video_model);
  self->video_model = g_strdup (model);
}

void
reel_wan_set_poll_interval (ReelWan *self,
                            guint    milliseconds)
{
  g_return_if_fail (REEL_IS_WAN (self));
  self->poll_interval_ms = MAX (milliseconds, 10);
}

void
reel_wan_set_deadline (ReelWan *self,
                       guint    milliseconds)
{
  g_return_if_fail (REEL_IS_WAN (self));
  self->deadline_ms = MAX (milliseconds, 1);
}
