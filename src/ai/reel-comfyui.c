/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-comfyui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reel-ai-error.h"
#include "reel-comfyui.h"
#include "reel-keys.h"

/* ComfyUI, the studio's own GPU servers. Of the servers listed, the one with the shortest
 * queue (GET /queue) gets the work. A workflow template in API format is filled in (prompt,
 * seed, size, the uploaded reference), queued with POST /prompt, then GET /history/{id} is
 * polled until it has outputs, which GET /view fetches. Cancelling interrupts the server. */

#define DEFAULT_SERVER "http://127.0.0.1:8188"
#define DEFAULT_POLL_MS 500
#define RESOURCE_PATH "/io/github/storyreel/Storyreel/workflows/"

GResource *reel_ai_workflows_get_resource (void);

struct _ReelComfyui
{
  ReelProvider parent_instance;

  GStrv servers;
  char *text_to_image;
  char *image_to_image;
  guint poll_interval_ms;
};

G_DEFINE_FINAL_TYPE (ReelComfyui, reel_comfyui, REEL_TYPE_PROVIDER)

void
reel_comfyui_set_servers (ReelComfyui        *self,
                          const char * const *servers)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_if_fail (REEL_IS_COMFYUI (self));

  for (guint i = 0; servers != NULL && servers[i] != NULL; i++)
    {
      g_autofree char *server = g_strstrip (g_strdup (servers[i]));
      gsize length = strlen (server);

      while (length > 0 && server[length - 1] == '/')
        server[--length] = '\0';
      if (length > 0)
        g_strv_builder_add (builder, server);
    }

  g_strfreev (self->servers);
  self->servers = g_strv_builder_end (builder);

  /* The first server is the provider's endpoint, for records and Preferences. */
  if (self->servers[0] != NULL)
    reel_provider_set_endpoint (REEL_PROVIDER (self), self->servers[0]);
}

const char * const *
reel_comfyui_get_servers (ReelComfyui *self)
{
  g_return_val_if_fail (REEL_IS_COMFYUI (self), NULL);
  return (const char * const *) self->servers;
}

void
reel_comfyui_set_workflows (ReelComfyui *self,
                            const char  *text_to_image,
                            const char  *image_to_image)
{
  g_return_if_fail (REEL_IS_COMFYUI (self));

  g_free (self->text_to_image);
  self->text_to_image = text_to_image != NULL && text_to_image[0] != '\0'
                          ? g_strdup (text_to_image) : NULL;
  g_free (self->image_to_image);
  self->image_to_image = image_to_image != NULL && image_to_image[0] != '\0'
                           ? g_strdup (image_to_image) : NULL;
}

void
reel_comfyui_set_poll_interval (ReelComfyui *self,
                                guint        milliseconds)
{
  g_return_if_fail (REEL_IS_COMFYUI (self));
  self->poll_interval_ms = MAX (milliseconds, 10);
}

/* A job's task may be finished from several places at once (outputs fetched side by side,
 * a cancellation between two steps): the first one wins, the others are ignored. GTask's own
 * g_task_had_error() will not do, as it counts a cancelled cancellable as an error. */
static gboolean
task_returned (GTask *task)
{
  return g_object_get_data (G_OBJECT (task), "storyreel-returned") != NULL;
}

static void
comfy_return_error (GTask  *task,
                    GError *error)
{
  if (task_returned (task))
    {
      g_error_free (error);
      return;
    }
  g_object_set_data (G_OBJECT (task), "storyreel-returned", GINT_TO_POINTER (TRUE));
  g_task_return_error (task, error);
}

static void G_GNUC_PRINTF (3, 4)
comfy_return_new_error (GTask      *task,
                        ReelAiError code,
                        const char *format,
                        ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  comfy_return_error (task, g_error_new_literal (REEL_AI_ERROR, code, message));
  g_free (message);
}

static gboolean
comfy_return_if_cancelled (GTask *task)
{
  if (task_returned (task))
    return TRUE;
  if (!g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return FALSE;
  comfy_return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 _("The request was cancelled.")));
  return TRUE;
}

static void
comfy_return_pointer (GTask          *task,
                      gpointer        result,
                      GDestroyNotify  result_destroy)
{
  if (task_returned (task))
    {
      result_destroy (result);
      return;
    }
  g_object_set_data (G_OBJECT (task), "storyreel-returned", GINT_TO_POINTER (TRUE));
  g_task_return_pointer (task, result, result_destroy);
}

/* Template filling ------------------------------------------------------------------------- */

static gboolean
fill_node (JsonNode    *node,
           GHashTable  *values,
           GError     **error);

static gboolean
replace_placeholders (JsonNode    *node,
                      GHashTable  *values,
                      GError     **error)
{
  const char *text = json_node_get_string (node);
  GString *result;
  const char *cursor;

  if (g_str_has_prefix (text, "{{") && g_str_has_suffix (text, "}}") && strlen (text) > 4
      && strstr (text + 2, "{{") == NULL)
    {
      g_autofree char *name = g_strndup (text + 2, strlen (text) - 4);
      JsonNode *value = g_hash_table_lookup (values, g_strstrip (name));

      if (value == NULL)
        goto unknown;

      /* A whole-string placeholder takes the value's own type: {{seed}} becomes a number. */
      switch (json_node_get_value_type (value))
        {
        case G_TYPE_INT64:
          json_node_set_int (node, json_node_get_int (value));
          break;
        case G_TYPE_DOUBLE:
          json_node_set_double (node, json_node_get_double (value));
          break;
        case G_TYPE_BOOLEAN:
          json_node_set_boolean (node, json_node_get_boolean (value));
          break;
        default:
          json_node_set_string (node, json_node_get_string (value));
          break;
        }
      return TRUE;
    }

  if (strstr (text, "{{") == NULL)
    return TRUE;

  result = g_string_new (NULL);
  cursor = text;
  while (*cursor != '\0')
    {
      const char *open = strstr (cursor, "{{");
      const char *close = open != NULL ? strstr (open, "}}") : NULL;
      g_autofree char *name = NULL;
      JsonNode *value;

      if (open == NULL || close == NULL)
        {
          g_string_append (result, cursor);
          break;
        }

      g_string_append_len (result, cursor, open - cursor);
      name = g_strndup (open + 2, close - open - 2);
      value = g_hash_table_lookup (values, g_strstrip (name));
      if (value == NULL)
        {
          g_string_free (result, TRUE);
          goto unknown;
        }

      if (json_node_get_value_type (value) == G_TYPE_STRING)
        g_string_append (result, json_node_get_string (value));
      else
        {
          g_autofree char *printed = json_to_string (value, FALSE);

          g_string_append (result, printed);
        }
      cursor = close + 2;
    }

  json_node_set_string (node, result->str);
  g_string_free (result, TRUE);
  return TRUE;

unknown:
  g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG,
               _("The ComfyUI workflow template uses a placeholder Storyreel does not fill "
                 "(“%s”). Use {{prompt}}, {{negative_prompt}}, {{seed}}, {{width}}, "
                 "{{height}}, {{input_image}} or {{denoise}}."), text);
  return FALSE;
}

static gboolean
fill_node (JsonNode    *node,
           GHashTable  *values,
           GError     **error)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, NULL, &member))
          if (!fill_node (member, values, error))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          if (!fill_node (json_array_get_element (array, i), values, error))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return replace_placeholders (node, values, error);
      return TRUE;

    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

/**
 * reel_comfyui_fill_template:
 * @values: (element-type utf8 JsonNode): placeholder name → value
 *
 * Returns: (transfer full): the workflow, ready for POST /prompt
 */
JsonNode *
reel_comfyui_fill_template (const char  *template_json,
                            GHashTable  *values,
                            GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObjectIter iter;
  const char *node_id;
  JsonNode *member;

  root = json_from_string (template_json, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || json_object_get_size (json_node_get_object (root)) == 0)
    goto not_api_format;

  /* API format: { "id": { "class_type": …, "inputs": { … } }, … }. The UI's own format
   * ("nodes": [ … ], "links": [ … ]) is not accepted by POST /prompt. */
  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &node_id, &member))
    {
      JsonObject *node = JSON_NODE_HOLDS_OBJECT (member) ? json_node_get_object (member) : NULL;

      if (node == NULL || !json_object_has_member (node, "class_type")
          || json_node_get_value_type (json_object_get_member (node, "class_type"))
               != G_TYPE_STRING
          || !json_object_has_member (node, "inputs")
          || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (node, "inputs")))
        goto not_api_format;
    }

  if (!fill_node (root, values, error))
    return NULL;

  return g_steal_pointer (&root);

not_api_format:
  g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG, "%s",
               _("The ComfyUI workflow template is not in API format. In ComfyUI, export it "
                 "with “Export (API)”, then choose that file in Preferences → ComfyUI."));
  return NULL;
}

/* The job --------------------------------------------------------------------------------- */

typedef struct
{
  char *id;
  gint64 seed;
} QueuedPrompt;

static void
queued_prompt_free (gpointer data)
{
  QueuedPrompt *prompt = data;

  g_free (prompt->id);
  g_free (prompt);
}

typedef struct
{
  ReelGenerationRequest *request;
  ReelGenerationProgressFunc progress;
  gpointer progress_data;
  char *key;
  GStrv servers;
  char *server;
  guint servers_pending;
  GArray *loads;             /* queue length per server, G_MAXUINT when it did not answer */
  guint best_load;
  GError *first_error;
  char *template_path;       /* the user's file, or NULL for the built-in one */
  const char *template_name; /* for the record */
  char *template_text;
  ReelAsset *init_image;
  char *uploaded_name;
  double denoise;
  char *client_id;
  GPtrArray *prompts;        /* QueuedPrompt, in order */
  guint current;             /* the prompt being polled */
  guint outputs_pending;
  GPtrArray *assets;
  gint64 started_us;
  GSource *poll_source;
  GSource *cancel_source;
  gulong cancelled_id;
  GCancellable *cancellable;
  ReelComfyui *self;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  if (job->cancelled_id != 0)
    g_cancellable_disconnect (job->cancellable, job->cancelled_id);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->request, reel_generation_request_unref);
  if (job->key != NULL)
    memset (job->key, 0, strlen (job->key));
  g_free (job->key);
  g_strfreev (job->servers);
  g_free (job->server);
  g_clear_pointer (&job->loads, g_array_unref);
  g_clear_error (&job->first_error);
  g_free (job->template_path);
  g_free (job->template_text);
  g_clear_object (&job->init_image);
  g_free (job->uploaded_name);
  g_free (job->client_id);
  g_clear_pointer (&job->prompts, g_ptr_array_unref);
  g_clear_pointer (&job->assets, g_ptr_array_unref);
  if (job->poll_source != NULL)
    g_source_destroy (job->poll_source);
  g_clear_pointer (&job->poll_source, g_source_unref);
  if (job->cancel_source != NULL)
    g_source_destroy (job->cancel_source);
  g_clear_pointer (&job->cancel_source, g_source_unref);
  g_free (job);
}

static const char *
display_name (GTask *task)
{
  return reel_provider_get_display_name (REEL_PROVIDER (g_task_get_source_object (task)));
}

static void
report (Job        *job,
        double      fraction,
        const char *status)
{
  if (job->progress != NULL)
    job->progress (fraction, status, job->progress_data);
}

static ReelHttpRequest *
job_request (GTask      *task,
             const char *method,
             const char *server,
             const char *path)
{
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autofree char *url = g_strconcat (server, path, NULL);
  ReelHttpRequest *request = reel_provider_new_request (provider, method, url);

  /* ComfyUI has no keys of its own; a proxy in front of it may want one. */
  if (job->key != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", job->key, NULL);

      reel_http_request_add_secret_header (request, "Authorization", auth);
    }
  return request;
}

/* Answers that are not 2xx: ComfyUI's 400 carries the workflow's validation errors. */
static GError *
comfy_error (GTask            *task,
             ReelHttpRequest  *http,
             ReelHttpResponse *response)
{
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  guint status = reel_http_response_get_status (response);
  g_autoptr(JsonNode) root = reel_http_response_parse_json (response, NULL);
  GString *detail = g_string_new (NULL);
  g_autofree char *scrubbed = NULL;
  g_autofree char *scrubbed_once = NULL;

  if (reel_json_node_get_object (root) != NULL)
    {
      JsonObject *object = json_node_get_object (root);
      JsonObject *error = reel_json_get_object (object, "error");
      JsonObject *node_errors = reel_json_get_object (object, "node_errors");

      if (reel_json_get_string (error, "message") != NULL)
        g_string_append (detail, reel_json_get_string (error, "message"));
      if (node_errors != NULL)
        {
          JsonObjectIter iter;
          const char *node_id;
          JsonNode *member;

          json_object_iter_init (&iter, node_errors);
          while (json_object_iter_next (&iter, &node_id, &member))
            {
              JsonObject *node = reel_json_node_get_object (member);
              JsonArray *errors = reel_json_get_array (node, "errors");
              const char *class_type = reel_json_get_string (node, "class_type");

              for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
                {
                  JsonObject *entry = reel_json_array_get_object (errors, i);
                  const char *message = reel_json_get_string (entry, "message");
                  const char *details = reel_json_get_string (entry, "details");

                  g_string_append_printf (detail, "; %s #%s: %s %s",
                                          class_type != NULL ? class_type : "?", node_id,
                                          message != NULL ? message : "",
                                          details != NULL ? details : "");
                }
            }
        }
    }

  scrubbed_once = reel_keys_scrub (detail->str, job->key);
  scrubbed = reel_http_request_scrub (http, scrubbed_once);
  g_string_free (detail, TRUE);

  if (status == 400)
    return g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_INVALID_REQUEST,
                        _("%s rejected the workflow (%s). Check the workflow template in "
                          "Preferences → %s and the models installed on the server."),
                        reel_provider_get_display_name (provider),
                        scrubbed[0] != '\0' ? scrubbed : "HTTP 400",
                        reel_provider_get_display_name (provider));

  return reel_provider_status_error (provider, status, scrubbed[0] != '\0' ? scrubbed : NULL);
}

/* Sends @http; the callback gets the 2xx answer or the task has been failed. */
typedef void (*StepFunc) (GTask            *task,
                          ReelHttpResponse *response,
                          gpointer          step_data);

typedef struct
{
  GTask *task;
  ReelHttpRequest *http;
  StepFunc func;
  gpointer data;
  GDestroyNotify destroy;
} Step;

static void
on_step_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Step *step = user_data;
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, &error);
  /* Several steps run at once (the outputs of a prompt): only the first failure counts. */
  if (task_returned (step->task))
    ;
  else if (response == NULL)
    comfy_return_error (step->task, g_steal_pointer (&error));
  else if (!reel_http_response_is_success (response))
    comfy_return_error (step->task, comfy_error (step->task, step->http, response));
  else
    step->func (step->task, response, step->data);

  if (step->destroy != NULL)
    step->destroy (step->data);
  g_object_unref (step->task);
  g_object_unref (step->http);
  g_free (step);
}

static void
send_step (GTask           *task,
           ReelHttpRequest *http,
           StepFunc         func,
           gpointer         data,
           GDestroyNotify   destroy)
{
  Step *step = g_new0 (Step, 1);

  step->task = g_object_ref (task);
  step->http = g_object_ref (http);
  step->func = func;
  step->data = data;
  step->destroy = destroy;
  reel_http_client_send_async (reel_provider_get_http_client (g_task_get_source_object (task)),
                               http, g_task_get_cancellable (task), on_step_done, step);
}

/* Cancellation: tell the server, without waiting for it and without the cancellable. */
static void
on_interrupt_sent (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    g_debug ("Could not interrupt ComfyUI: %s", error->message);
}

static void
interrupt_server (GTask *task)
{
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(ReelHttpRequest) interrupt = NULL;
  g_autoptr(ReelHttpRequest) delete = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  QueuedPrompt *running;

  if (job->server == NULL || job->prompts == NULL || job->current >= job->prompts->len)
    return;

  running = g_ptr_array_index (job->prompts, job->current);

  /* Take the prompts still waiting off the queue… */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "delete");
  json_builder_begin_array (builder);
  for (guint i = job->current; i < job->prompts->len; i++)
    json_builder_add_string_value (builder,
                                   ((QueuedPrompt *) g_ptr_array_index (job->prompts, i))->id);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  delete = job_request (task, "POST", job->server, "/queue");
  reel_http_request_set_json_body (delete, body);
  reel_http_request_set_max_attempts (delete, 1);
  reel_http_client_send_async (reel_provider_get_http_client (provider), delete, NULL,
                               on_interrupt_sent, NULL);

  /* …and stop the one running. */
  g_clear_pointer (&body, json_node_unref);
  g_clear_object (&builder);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt_id");
  json_builder_add_string_value (builder, running->id);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  interrupt = job_request (task, "POST", job->server, "/interrupt");
  reel_http_request_set_json_body (interrupt, body);
  reel_http_request_set_max_attempts (interrupt, 1);
  reel_http_client_send_async (reel_provider_get_http_client (provider), interrupt, NULL,
                               on_interrupt_sent, NULL);
}

static gboolean
on_cancelled_idle (gpointer user_data)
{
  GTask *task = user_data;

  interrupt_server (task);
  return G_SOURCE_REMOVE;
}

/* Runs in whatever thread cancels: hop to the task's context. */
static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GSource) idle = g_idle_source_new ();

  g_source_set_callback (idle, on_cancelled_idle, g_object_ref (task), g_object_unref);
  g_source_attach (idle, g_task_get_context (task));
}

/* Outputs --------------------------------------------------------------------------------- */

static void poll_history (GTask *task);
static void next_prompt (GTask *task);

typedef struct
{
  gint64 seed;
} OutputData;

typedef struct
{
  GBytes *data;
  ReelGenerationRecord *record;
  char *display_name;
} DecodeInput;

static void
decode_input_free (gpointer data)
{
  DecodeInput *input = data;

  g_bytes_unref (input->data);
  reel_generation_record_unref (input->record);
  g_free (input->display_name);
  g_free (input);
}

/* On a worker thread: decoding a whole image to check it would stall the main loop. */
static gpointer
decode_image (gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  DecodeInput *input = data;

  return reel_provider_image_asset (input->display_name, input->data, input->record, error);
}

static void
on_image_decoded (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  ReelAsset *asset;

  asset = reel_provider_run_in_thread_finish (result, &error);
  /* One output already failed the task: the others are not wanted any more. */
  if (task_returned (task))
    {
      g_clear_object (&asset);
      return;
    }
  if (asset == NULL)
    {
      comfy_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_ptr_array_add (job->assets, asset);

  if (--job->outputs_pending == 0)
    {
      job->current++;
      next_prompt (task);
    }
}

static void
on_image_fetched (GTask            *task,
                  ReelHttpResponse *response,
                  gpointer          step_data)
{
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  OutputData *output = step_data;
  g_autoptr(JsonObject) parameters = json_object_new ();
  g_autofree char *server_url = g_strconcat (job->server, "/prompt", NULL);
  DecodeInput *input;

  json_object_set_string_member (parameters, "workflow", job->template_name);
  json_object_set_int_member (parameters, "width", job->request->width);
  json_object_set_int_member (parameters, "height", job->request->height);
  if (job->init_image != NULL)
    json_object_set_double_member (parameters, "denoise", job->denoise);

  input = g_new0 (DecodeInput, 1);
  input->data = g_bytes_ref (reel_http_response_get_body (response));
  input->display_name = g_strdup (display_name (task));
  input->record = reel_provider_new_record (provider, job->request, server_url, output->seed,
                                            parameters, job->started_us);
  /* The workflow is the "model" of a ComfyUI image. */
  g_clear_pointer (&input->record->model, g_free);
  input->record->model = g_strdup (job->template_name);

  reel_provider_run_in_thread (decode_image, input, decode_input_free, g_object_unref,
                               g_task_get_cancellable (task), on_image_decoded,
                               g_object_ref (task));
}

static void
on_history (GTask            *task,
            ReelHttpResponse *response,
            gpointer          step_data)
{
  Job *job = g_task_get_task_data (task);
  QueuedPrompt *prompt = g_ptr_array_index (job->prompts, job->current);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = reel_http_response_parse_json (response, &error);
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func (g_free);
  JsonObject *entry;
  JsonObject *status;
  JsonObject *outputs;
  JsonObjectIter iter;
  JsonNode *member;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      comfy_return_error (task, error != NULL ? g_steal_pointer (&error)
                                               : g_error_new (REEL_AI_ERROR,
                                                              REEL_AI_ERROR_BAD_RESPONSE,
                                                              _("%s sent an answer that is not "
                                                                "what its protocol promises. "
                                                                "Check the address in "
                                                                "Preferences."),
                                                              display_name (task)));
      return;
    }

  entry = reel_json_get_object (json_node_get_object (root), prompt->id);
  if (entry == NULL)
    {
      g_autofree char *host = NULL;
      g_autoptr(GUri) uri = g_uri_parse (job->server, G_URI_FLAGS_NONE, NULL);

      /* {} while queued or running: ask again later. */
      host = g_strdup (uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : "?");
      if (job->prompts->len > 1)
        {
          g_autofree char *status_text = g_strdup_printf (_("Rendering %u of %u on %s"),
                                                          job->current + 1, job->prompts->len,
                                                          host);
          report (job, (double) job->current / job->prompts->len, status_text);
        }
      else
        {
          g_autofree char *status_text = g_strdup_printf (_("Rendering on %s"), host);
          report (job, -1, status_text);
        }
      poll_history (task);
      return;
    }

  status = reel_json_get_object (entry, "status");
  if (g_strcmp0 (reel_json_get_string (status, "status_str"), "error") == 0)
    {
      JsonArray *messages = reel_json_get_array (status, "messages");
      const char *reason = NULL;

      /* [["execution_start", {…}], ["execution_error", {"exception_message": …}], …] */
      for (guint i = 0; messages != NULL && i < json_array_get_length (messages); i++)
        {
          JsonNode *node = json_array_get_element (messages, i);
          JsonArray *message = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
          const char *kind = reel_json_array_get_string (message, 0);

          if (g_strcmp0 (kind, "execution_error") == 0)
            reason = reel_json_get_string (reel_json_array_get_object (message, 1),
                                           "exception_message");
          else if (g_strcmp0 (kind, "execution_interrupted") == 0 && reason == NULL)
            reason = _("interrupted");
        }

      comfy_return_new_error (task, REEL_AI_ERROR_SERVER,
                               _("%s failed while running the workflow (%s). Check the server’s "
                                 "log and the workflow template."), display_name (task),
                               reason != NULL ? reason : "?");
      return;
    }

  outputs = reel_json_get_object (entry, "outputs");
  if (outputs != NULL)
    {
      json_object_iter_init (&iter, outputs);
      while (json_object_iter_next (&iter, NULL, &member))
        {
          JsonArray *list = reel_json_get_array (reel_json_node_get_object (member), "images");

          for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
            {
              JsonObject *image = reel_json_array_get_object (list, i);
              const char *image_subfolder = reel_json_get_string (image, "subfolder");
              const char *image_type = reel_json_get_string (image, "type");
              g_autofree char *filename = NULL;
              g_autofree char *subfolder = NULL;
              g_autofree char *type = NULL;

              if (reel_json_get_string (image, "filename") == NULL)
                continue;

              filename = g_uri_escape_string (reel_json_get_string (image, "filename"), NULL,
                                              TRUE);
              subfolder = g_uri_escape_string (image_subfolder != NULL ? image_subfolder : "",
                                               NULL, TRUE);
              type = g_uri_escape_string (image_type != NULL ? image_type : "output", NULL,
                                          TRUE);
              g_ptr_array_add (images, g_strdup_printf ("/view?filename=%s&subfolder=%s&type=%s",
                                                        filename, subfolder, type));
            }
        }
    }

  if (images->len == 0)
    {
      comfy_return_new_error (task, REEL_AI_ERROR_NO_IMAGE,
                               _("%s finished the workflow without an image. Check that the "
                                 "template ends in a Save Image node."), display_name (task));
      return;
    }

  job->outputs_pending = images->len;
  for (guint i = 0; i < images->len; i++)
    {
      g_autoptr(ReelHttpRequest) view = job_request (task, "GET", job->server,
                                                     g_ptr_array_index (images, i));
      OutputData *output = g_new0 (OutputData, 1);

      output->seed = prompt->seed;
      send_step (task, view, on_image_fetched, output, g_free);
    }
}

static gboolean
on_poll_time (gpointer user_data)
{
  GTask *task = user_data;
  Job *job = g_task_get_task_data (task);
  QueuedPrompt *prompt = g_ptr_array_index (job->prompts, job->current);
  g_autofree char *path = g_strdup_printf ("/history/%s", prompt->id);
  g_autoptr(ReelHttpRequest) history = job_request (task, "GET", job->server, path);

  g_clear_pointer (&job->poll_source, g_source_unref);
  if (job->cancel_source != NULL)
    g_source_destroy (job->cancel_source);
  g_clear_pointer (&job->cancel_source, g_source_unref);

  reel_http_request_set_idle_timeout (history, 30000);
  send_step (task, history, on_history, NULL, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
on_poll_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Job *job = g_task_get_task_data (task);

  g_clear_pointer (&job->cancel_source, g_source_unref);
  if (job->poll_source != NULL)
    g_source_destroy (job->poll_source);
  g_clear_pointer (&job->poll_source, g_source_unref);
  comfy_return_if_cancelled (task);
  return G_SOURCE_REMOVE;
}

static void
poll_history (GTask *task)
{
  ReelComfyui *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);

  if (comfy_return_if_cancelled (task))
    return;

  job->poll_source = g_timeout_source_new (self->poll_interval_ms);
  g_source_set_callback (job->poll_source, on_poll_time, g_object_ref (task), g_object_unref);
  g_source_attach (job->poll_source, g_task_get_context (task));

  if (job->cancellable != NULL)
    {
      job->cancel_source = g_cancellable_source_new (job->cancellable);
      g_source_set_callback (job->cancel_source, G_SOURCE_FUNC (on_poll_cancelled),
                             g_object_ref (task), g_object_unref);
      g_source_attach (job->cancel_source, g_task_get_context (task));
    }
}

static void
next_prompt (GTask *task)
{
  Job *job = g_task_get_task_data (task);

  if (job->current >= job->prompts->len)
    {
      report (job, 1.0, NULL);
      comfy_return_pointer (task, g_steal_pointer (&job->assets),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  poll_history (task);
}

/* Queueing -------------------------------------------------------------------------------- */

static void queue_prompt (GTask *task);

static void
on_queued (GTask            *task,
           ReelHttpResponse *response,
           gpointer          step_data)
{
  Job *job = g_task_get_task_data (task);
  QueuedPrompt *prompt = step_data;
  QueuedPrompt *queued;
  g_autoptr(JsonNode) root = reel_http_response_parse_json (response, NULL);
  const char *id = NULL;

  id = reel_json_get_string (reel_json_node_get_object (root), "prompt_id");
  /* The id goes into a URL path: it is a UUID, nothing else is accepted. */
  if (id == NULL || id[0] == '\0'
      || strspn (id, "0123456789abcdefABCDEF-") != strlen (id))
    {
      comfy_return_new_error (task, REEL_AI_ERROR_BAD_RESPONSE,
                               _("%s sent an answer that is not what its protocol promises. "
                                 "Check the address in Preferences."), display_name (task));
      return;
    }

  /* The step owns @prompt (freed whatever the answer): the job keeps a copy. */
  queued = g_new0 (QueuedPrompt, 1);
  queued->id = g_strdup (id);
  queued->seed = prompt->seed;
  g_ptr_array_add (job->prompts, queued);

  if (job->prompts->len < MAX (job->request->count, 1))
    queue_prompt (task);
  else
    next_prompt (task);
}

static void
queue_prompt (GTask *task)
{
  Job *job = g_task_get_task_data (task);
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                        (GDestroyNotify) json_node_unref);
  g_autoptr(JsonNode) workflow = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(ReelHttpRequest) http = NULL;
  g_autoptr(GError) error = NULL;
  QueuedPrompt *prompt;
  gint64 base_seed = job->request->seed >= 0 ? job->request->seed : -1;
  JsonNode *value;

  prompt = g_new0 (QueuedPrompt, 1);
  /* ComfyUI seeds are unsigned 64-bit; stay within what JSON doubles carry exactly. */
  prompt->seed = base_seed >= 0 ? base_seed + job->prompts->len
                                : (gint64) (g_random_int () & 0x7fffffff);

  value = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (value, job->request->prompt != NULL ? job->request->prompt : "");
  g_hash_table_insert (values, "prompt", value);
  value = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (value, job->request->negative_prompt != NULL
                                 ? job->request->negative_prompt : "");
  g_hash_table_insert (values, "negative_prompt", value);
  value = json_node_new (JSON_NODE_VALUE);
  json_node_set_int (value, prompt->seed);
  g_hash_table_insert (values, "seed", value);
  value = json_node_new (JSON_NODE_VALUE);
  json_node_set_int (value, job->request->width);
  g_hash_table_insert (values, "width", value);
  value = json_node_new (JSON_NODE_VALUE);
  json_node_set_int (value, job->request->height);
  g_hash_table_insert (values, "height", value);
  value = json_node_new (JSON_NODE_VALUE);
  json_node_set_double (value, job->denoise);
  g_hash_table_insert (values, "denoise", value);
  if (job->uploaded_name != NULL)
    {
      value = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (value, job->uploaded_name);
      g_hash_table_insert (values, "input_image", value);
    }

  workflow = reel_comfyui_fill_template (job->template_text, values, &error);
  if (workflow == NULL)
    {
      queued_prompt_free (prompt);
      comfy_return_error (task, g_steal_pointer (&error));
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_value (builder, g_steal_pointer (&workflow));
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, job->client_id);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  http = job_request (task, "POST", job->server, "/prompt");
  reel_http_request_set_json_body (http, body);
  send_step (task, http, on_queued, prompt, queued_prompt_free);
}

static void
on_uploaded (GTask            *task,
             ReelHttpResponse *response,
             gpointer          step_data)
{
  Job *job = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = reel_http_response_parse_json (response, NULL);
  JsonObject *object = reel_json_node_get_object (root);
  const char *name = reel_json_get_string (object, "name");
  const char *subfolder = reel_json_get_string (object, "subfolder");

  if (name == NULL || name[0] == '\0')
    {
      comfy_return_new_error (task, REEL_AI_ERROR_BAD_RESPONSE,
                               _("%s did not accept the reference image. Check the server."),
                               display_name (task));
      return;
    }

  job->uploaded_name = subfolder != NULL && subfolder[0] != '\0' ? g_strdup_printf ("%s/%s", subfolder, name)
                                            : g_strdup (name);
  queue_prompt (task);
}

static void
start_on_server (GTask *task)
{
  Job *job = g_task_get_task_data (task);
  g_autoptr(ReelHttpRequest) upload = NULL;
  g_autofree char *filename = NULL;

  if (job->init_image == NULL)
    {
      queue_prompt (task);
      return;
    }

  filename = g_strdup_printf ("storyreel-%.16s.%s", reel_asset_get_hash (job->init_image),
                              reel_asset_get_extension (job->init_image));
  upload = job_request (task, "POST", job->server, "/upload/image");
  reel_http_request_add_form_file (upload, "image", filename,
                                   reel_asset_get_mime_type (job->init_image),
                                   reel_asset_get_data (job->init_image));
  reel_http_request_add_form_field (upload, "type", "input");
  reel_http_request_add_form_field (upload, "overwrite", "true");
  send_step (task, upload, on_uploaded, NULL, NULL);
}

/* Choosing the server --------------------------------------------------------------------- */

typedef struct
{
  GTask *task;
  char *server;
  guint position;
} QueueProbe;

static guint
queue_length (JsonNode *root)
{
  JsonObject *object = reel_json_node_get_object (root);
  JsonArray *running = reel_json_get_array (object, "queue_running");
  JsonArray *pending = reel_json_get_array (object, "queue_pending");

  if (running == NULL || pending == NULL)
    return G_MAXUINT;

  return json_array_get_length (running) + json_array_get_length (pending);
}

static void
on_queue_probed (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  QueueProbe *probe = user_data;
  g_autoptr(GTask) task = probe->task;
  Job *job = g_task_get_task_data (task);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, &error);
  if (response != NULL && reel_http_response_is_success (response))
    {
      g_autoptr(JsonNode) root = reel_http_response_parse_json (response, NULL);

      g_array_index (job->loads, guint, probe->position) = queue_length (root);
      g_debug ("ComfyUI server %u has %u prompts queued", probe->position,
               g_array_index (job->loads, guint, probe->position));
    }
  else if (job->first_error == NULL)
    {
      if (response != NULL)
        job->first_error = reel_provider_status_error (g_task_get_source_object (task),
                                                       reel_http_response_get_status (response),
                                                       NULL);
      else
        job->first_error = g_steal_pointer (&error);
    }

  g_free (probe->server);
  g_free (probe);

  if (--job->servers_pending > 0)
    return;

  if (comfy_return_if_cancelled (task))
    return;

  /* The shortest queue; a tie goes to the server listed first. */
  for (guint i = 0; i < job->loads->len; i++)
    if (g_array_index (job->loads, guint, i) != G_MAXUINT
        && g_array_index (job->loads, guint, i) < job->best_load)
      {
        job->best_load = g_array_index (job->loads, guint, i);
        g_free (job->server);
        job->server = g_strdup (job->servers[i]);
      }

  if (job->server == NULL)
    {
      comfy_return_error (task, g_steal_pointer (&job->first_error));
      return;
    }

  start_on_server (task);
}

static void
choose_server (GTask *task)
{
  Job *job = g_task_get_task_data (task);
  guint n_servers = g_strv_length (job->servers);

  if (n_servers == 0)
    {
      comfy_return_new_error (task, REEL_AI_ERROR_CONFIG,
                               _("No %s server is set. Add one in Preferences → %s."),
                               display_name (task), display_name (task));
      return;
    }

  report (job, -1, _("Choosing a server"));
  job->servers_pending = n_servers;
  job->loads = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < n_servers; i++)
    {
      guint unknown = G_MAXUINT;

      g_array_append_val (job->loads, unknown);
    }
  for (guint i = 0; i < n_servers; i++)
    {
      g_autoptr(ReelHttpRequest) probe_request = job_request (task, "GET", job->servers[i],
                                                              "/queue");
      QueueProbe *probe = g_new0 (QueueProbe, 1);

      probe->task = g_object_ref (task);
      probe->server = g_strdup (job->servers[i]);
      probe->position = i;
      /* A server that does not answer quickly is not the least busy one. */
      reel_http_request_set_idle_timeout (probe_request, 5000);
      reel_http_request_set_connect_timeout (probe_request, 3000);
      reel_http_request_set_max_attempts (probe_request, 1);
      reel_http_client_send_async (
        reel_provider_get_http_client (g_task_get_source_object (task)), probe_request,
        g_task_get_cancellable (task), on_queue_probed, probe);
    }
}

static void
on_template_loaded (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        comfy_return_error (task, g_steal_pointer (&error));
      else
        comfy_return_new_error (task, REEL_AI_ERROR_CONFIG,
                                 _("Could not read the ComfyUI workflow template “%s” (%s). "
                                   "Choose another file in Preferences → ComfyUI."),
                                 job->template_path, error->message);
      return;
    }

  if (!g_utf8_validate (contents, length, NULL))
    {
      comfy_return_new_error (task, REEL_AI_ERROR_CONFIG,
                               _("The ComfyUI workflow template is not in API format. In "
                                 "ComfyUI, export it with “Export (API)”, then choose that file "
                                 "in Preferences → ComfyUI."));
      return;
    }

  job->template_text = g_steal_pointer (&contents);
  choose_server (task);
}

static void
load_template (GTask *task)
{
  ReelComfyui *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  const char *path = job->init_image != NULL ? self->image_to_image : self->text_to_image;
  const char *builtin = job->init_image != NULL ? REEL_COMFYUI_TEMPLATE_IMAGE_TO_IMAGE
                                                : REEL_COMFYUI_TEMPLATE_TEXT_TO_IMAGE;

  if (path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autofree char *basename = g_path_get_basename (path);

      job->template_path = g_strdup (path);
      job->template_name = g_intern_string (basename);
      g_file_load_contents_async (file, g_task_get_cancellable (task), on_template_loaded,
                                  g_object_ref (task));
      return;
    }
  else
    {
      g_autofree char *resource = g_strconcat (RESOURCE_PATH, builtin, NULL);
      g_autoptr(GBytes) bytes = g_resource_lookup_data (reel_ai_workflows_get_resource (),
                                                        resource, 0, NULL);

      g_assert (bytes != NULL);
      job->template_name = builtin;
      job->template_text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      choose_server (task);
    }
}

static void
on_key (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* Optional: most ComfyUI servers have none. */
  job->key = reel_provider_lookup_key_finish (REEL_PROVIDER (object), result, &error);
  if (error != NULL)
    {
      comfy_return_error (task, g_steal_pointer (&error));
      return;
    }

  load_template (task);
}

static void
reel_comfyui_generate_async (ReelProvider               *provider,
                             ReelGenerationRequest      *request,
                             ReelGenerationProgressFunc  progress,
                             gpointer                    progress_data,
                             GCancellable               *cancellable,
                             GAsyncReadyCallback         callback,
                             gpointer                    user_data)
{
  ReelComfyui *self = REEL_COMFYUI (provider);
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  Job *job;

  g_task_set_source_tag (task, reel_comfyui_generate_async);

  if (request->kind == REEL_GENERATION_VIDEO)
    {
      comfy_return_new_error (task, REEL_AI_ERROR_NOT_SUPPORTED, "%s",
                               _("The ComfyUI templates of Storyreel make still images. Choose "
                                 "Google Veo for a moving background."));
      return;
    }

  job = g_new0 (Job, 1);
  job->self = self;
  job->request = reel_generation_request_ref (request);
  job->progress = progress;
  job->progress_data = progress_data;
  job->servers = g_strdupv (self->servers);
  job->client_id = g_uuid_string_random ();
  job->prompts = g_ptr_array_new_with_free_func (queued_prompt_free);
  job->assets = g_ptr_array_new_with_free_func (g_object_unref);
  job->started_us = g_get_monotonic_time ();
  job->best_load = G_MAXUINT;

  /* Image to image from what the shot has: the background for an angle, the drawing for a
   * new background. Strong enough to follow the reference, loose enough to change it. */
  if (request->kind == REEL_GENERATION_ANGLE && request->background != NULL)
    {
      job->init_image = g_object_ref (request->background);
      job->denoise = 0.7;
    }
  else if (request->sketch != NULL)
    {
      job->init_image = g_object_ref (request->sketch);
      job->denoise = 0.85;
    }
  else
    {
      job->denoise = 1.0;
    }

  g_task_set_task_data (task, job, job_free);

  if (cancellable != NULL)
    {
      job->cancellable = g_object_ref (cancellable);
      job->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), task,
                                                 NULL);
    }

  reel_provider_lookup_key_async (provider, cancellable, on_key, g_steal_pointer (&task));
}

static GPtrArray *
reel_comfyui_generate_finish (ReelProvider  *provider,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Test connection: /system_stats of every server. */

typedef struct
{
  GString *report;
  guint pending;
  GError *first_error;
  guint answered;
} Check;

static void
check_free (gpointer data)
{
  Check *check = data;

  g_string_free (check->report, TRUE);
  g_clear_error (&check->first_error);
  g_free (check);
}

typedef struct
{
  GTask *task;
  char *server;
} CheckProbe;

static void
on_stats (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  CheckProbe *probe = user_data;
  g_autoptr(GTask) task = probe->task;
  ReelProvider *provider = g_task_get_source_object (task);
  Check *check = g_task_get_task_data (task);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, &error);
  if (response != NULL && reel_http_response_is_success (response))
    {
      g_autoptr(JsonNode) root = reel_http_response_parse_json (response, NULL);
      JsonObject *object_root = reel_json_node_get_object (root);
      const char *version = reel_json_get_string (reel_json_get_object (object_root, "system"),
                                                  "comfyui_version");
      const char *device = reel_json_get_string (
        reel_json_array_get_object (reel_json_get_array (object_root, "devices"), 0), "name");

      if (version == NULL)
        version = "?";
      if (device == NULL)
        device = "?";

      check->answered++;
      if (check->report->len > 0)
        g_string_append_c (check->report, '\n');
      /* Translators: "http://gpu1:8188: ComfyUI 0.3.40 on cuda:0 RTX 4090" */
      g_string_append_printf (check->report, _("%s: ComfyUI %s on %s"), probe->server, version,
                              device);
    }
  else
    {
      if (check->report->len > 0)
        g_string_append_c (check->report, '\n');
      g_string_append_printf (check->report, _("%s: no answer"), probe->server);
      if (check->first_error == NULL)
        check->first_error = response != NULL
                               ? reel_provider_status_error (provider,
                                                             reel_http_response_get_status (
                                                               response), NULL)
                               : g_steal_pointer (&error);
    }

  g_free (probe->server);
  g_free (probe);

  if (--check->pending > 0)
    return;

  if (check->answered == 0)
    comfy_return_error (task, g_steal_pointer (&check->first_error));
  else
    comfy_return_pointer (task, g_strdup (check->report->str), g_free);
}

static void
reel_comfyui_check_async (ReelProvider        *provider,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  ReelComfyui *self = REEL_COMFYUI (provider);
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  Check *check = g_new0 (Check, 1);
  guint n_servers = g_strv_length (self->servers);

  g_task_set_source_tag (task, reel_comfyui_check_async);
  check->report = g_string_new (NULL);
  check->pending = n_servers;
  g_task_set_task_data (task, check, check_free);

  if (n_servers == 0)
    {
      comfy_return_new_error (task, REEL_AI_ERROR_CONFIG,
                               _("No %s server is set. Add one in Preferences → %s."),
                               reel_provider_get_display_name (provider),
                               reel_provider_get_display_name (provider));
      return;
    }

  for (guint i = 0; i < n_servers; i++)
    {
      g_autofree char *url = g_strconcat (self->servers[i], "/system_stats", NULL);
      g_autoptr(ReelHttpRequest) request = reel_provider_new_request (provider, "GET", url);
      CheckProbe *probe = g_new0 (CheckProbe, 1);
      g_autofree char *key = reel_keys_lookup_env ("comfyui");

      if (key != NULL)
        {
          g_autofree char *auth = g_strconcat ("Bearer ", key, NULL);

          reel_http_request_add_secret_header (request, "Authorization", auth);
        }
      reel_http_request_set_idle_timeout (request, 10000);
      reel_http_request_set_max_attempts (request, 1);
      probe->task = g_object_ref (task);
      probe->server = g_strdup (self->servers[i]);
      reel_http_client_send_async (reel_provider_get_http_client (provider), request,
                                   cancellable, on_stats, probe);
    }
}

static char *
reel_comfyui_check_finish (ReelProvider  *provider,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
reel_comfyui_apply_settings (ReelProvider *provider,
                             GSettings    *settings)
{
  ReelComfyui *self = REEL_COMFYUI (provider);
  g_autoptr(GSettingsSchema) schema = NULL;

  REEL_PROVIDER_CLASS (reel_comfyui_parent_class)->apply_settings (provider, settings);

  g_object_get (settings, "settings-schema", &schema, NULL);
  if (g_settings_schema_has_key (schema, "comfyui-servers"))
    {
      g_auto(GStrv) servers = g_settings_get_strv (settings, "comfyui-servers");

      if (servers[0] != NULL)
        reel_comfyui_set_servers (self, (const char * const *) servers);
    }
  if (g_settings_schema_has_key (schema, "comfyui-workflow")
      && g_settings_schema_has_key (schema, "comfyui-edit-workflow"))
    {
      g_autofree char *text_to_image = g_settings_get_string (settings, "comfyui-workflow");
      g_autofree char *image_to_image = g_settings_get_string (settings,
                                                               "comfyui-edit-workflow");

      reel_comfyui_set_workflows (self, text_to_image, image_to_image);
    }
}

static void
reel_comfyui_finalize (GObject *object)
{
  ReelComfyui *self = REEL_COMFYUI (object);

  g_strfreev (self->servers);
  g_free (self->text_to_image);
  g_free (self->image_to_image);

  G_OBJECT_CLASS (reel_comfyui_parent_class)->finalize (object);
}

static void
on_endpoint_changed (ReelComfyui *self)
{
  const char *endpoint = reel_provider_get_endpoint (REEL_PROVIDER (self));

  /* Setting the endpoint (the command line's --endpoint) means that one server. */
  if (endpoint != NULL && (self->servers == NULL || self->servers[0] == NULL
                           || g_strcmp0 (self->servers[0], endpoint) != 0))
    {
      const char *servers[] = { endpoint, NULL };

      reel_comfyui_set_servers (self, servers);
    }
}

static void
reel_comfyui_constructed (GObject *object)
{
  ReelComfyui *self = REEL_COMFYUI (object);

  G_OBJECT_CLASS (reel_comfyui_parent_class)->constructed (object);

  g_signal_connect (self, "notify::endpoint", G_CALLBACK (on_endpoint_changed), NULL);
  on_endpoint_changed (self);
}

static void
reel_comfyui_class_init (ReelComfyuiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ReelProviderClass *provider_class = REEL_PROVIDER_CLASS (klass);

  object_class->constructed = reel_comfyui_constructed;
  object_class->finalize = reel_comfyui_finalize;

  provider_class->id = "comfyui";
  provider_class->display_name = N_("ComfyUI");
  provider_class->capabilities = REEL_GENERATOR_TEXT_TO_IMAGE | REEL_GENERATOR_EDIT;
  provider_class->default_endpoint = DEFAULT_SERVER;
  provider_class->default_model = REEL_COMFYUI_TEMPLATE_TEXT_TO_IMAGE;
  provider_class->apply_settings = reel_comfyui_apply_settings;
  provider_class->generate_async = reel_comfyui_generate_async;
  provider_class->generate_finish = reel_comfyui_generate_finish;
  provider_class->check_async = reel_comfyui_check_async;
  provider_class->check_finish = reel_comfyui_check_finish;
}

static void
reel_comfyui_init (ReelComfyui *self)
{
  self->servers = g_new0 (char *, 1);
  self->poll_interval_ms = DEFAULT_POLL_MS;
}
