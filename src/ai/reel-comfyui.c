/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-comfyui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reel-ai-error.h"
#include "reel-comfyui-events.h"
#include "reel-comfyui-farm.h"
#include "reel-comfyui-watch.h"
#include "reel-greybox.h"
#include "reel-comfyui.h"
#include "reel-keys.h"

/* ComfyUI, the studio's own GPU servers. Of the servers listed, the one with the shortest
 * queue (GET /queue) gets the work. A workflow template in API format is filled in (prompt,
 * seed, size, the uploaded reference), queued with POST /prompt, then GET /history/{id} is
 * polled until it has outputs, which GET /view fetches. While it renders, the server's /ws
 * tells the steps, the running node and preview images (reel-comfyui-watch.c); with /ws the
 * polling slows down and the end of the prompt wakes it. Cancelling removes our prompts. */

#define DEFAULT_SERVER "http://127.0.0.1:8188"
#define DEFAULT_POLL_MS 500
/* How often /history is asked while /ws is open: only in case an event was lost. */
#define WS_POLL_MS      2000
#define RESOURCE_PATH "/io/github/storyreel/Storyreel/workflows/"

GResource *reel_ai_workflows_get_resource (void);

struct _ReelComfyui
{
  ReelProvider parent_instance;

  GStrv servers;
  char *text_to_image;
  char *image_to_image;
  char *image_to_video;
  guint poll_interval_ms;
  guint vanish_timeout_ms;
  guint slots;
};

G_DEFINE_FINAL_TYPE (ReelComfyui, reel_comfyui, REEL_TYPE_PROVIDER)

/* Cancellations on their way to servers, which a program about to exit waits for. */
static guint cancels_pending;

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
reel_comfyui_set_video_workflow (ReelComfyui *self,
                                 const char  *image_to_video)
{
  g_return_if_fail (REEL_IS_COMFYUI (self));

  g_free (self->image_to_video);
  self->image_to_video = image_to_video != NULL && image_to_video[0] != '\0'
                           ? g_strdup (image_to_video) : NULL;
}

void
reel_comfyui_set_vanish_timeout (ReelComfyui *self,
                                 guint        milliseconds)
{
  g_return_if_fail (REEL_IS_COMFYUI (self));
  self->vanish_timeout_ms = MAX (milliseconds, 1);
}

void
reel_comfyui_set_slots (ReelComfyui *self,
                        guint        slots)
{
  g_return_if_fail (REEL_IS_COMFYUI (self));
  self->slots = CLAMP (slots, 1, 64);
}

/**
 * reel_comfyui_flush_cancels:
 * @timeout_ms: how long to wait at most
 *
 * Runs the default main context until every cancellation sent to a server has been
 * answered (or @timeout_ms passed): for a program that is about to exit.
 */
void
reel_comfyui_flush_cancels (guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (cancels_pending > 0 && g_get_monotonic_time () < deadline)
    {
      g_autoptr(GSource) tick = g_timeout_source_new (50);

      g_source_set_dummy_callback (tick);
      g_source_attach (tick, NULL);
      g_main_context_iteration (NULL, TRUE);
      g_source_destroy (tick);
    }
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
reel_comfyui_task_returned (GTask *task)
{
  return g_object_get_data (G_OBJECT (task), "storyreel-returned") != NULL;
}

static void
reel_comfyui_return_error (GTask  *task,
                           GError *error)
{
  if (reel_comfyui_task_returned (task))
    {
      g_error_free (error);
      return;
    }
  g_object_set_data (G_OBJECT (task), "storyreel-returned", GINT_TO_POINTER (TRUE));
  g_task_return_error (task, error);
}

static void G_GNUC_PRINTF (3, 4)
reel_comfyui_return_new_error (GTask      *task,
                               ReelAiError code,
                               const char *format,
                               ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  reel_comfyui_return_error (task, g_error_new_literal (REEL_AI_ERROR, code, message));
  g_free (message);
}

static gboolean
reel_comfyui_return_if_cancelled (GTask *task)
{
  if (reel_comfyui_task_returned (task))
    return TRUE;
  if (!g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return FALSE;
  reel_comfyui_return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                        _("The request was cancelled.")));
  return TRUE;
}

static void
reel_comfyui_return_pointer (GTask          *task,
                             gpointer        result,
                             GDestroyNotify  result_destroy)
{
  if (reel_comfyui_task_returned (task))
    {
      result_destroy (result);
      return;
    }
  g_object_set_data (G_OBJECT (task), "storyreel-returned", GINT_TO_POINTER (TRUE));
  g_task_return_pointer (task, result, result_destroy);
}

/* The job --------------------------------------------------------------------------------- */

/* The farm: one unit per image ------------------------------------------------------------
 *
 * A job asks for N images; each is a unit of its own, placed on the server with the most
 * free capacity when it is its turn (the farm's table says what every server holds: its
 * own queue at the last look and what this process sent there). A unit whose server
 * refuses or stops answering marks that server offline and goes back to the line, once;
 * a second failure fails the job. */

#define FARM_PROBE_MAX_AGE_US (1 * G_USEC_PER_SEC)
#define FARM_OFFLINE_US       (60 * G_USEC_PER_SEC)
#define FARM_MAX_TRIES        2

typedef enum
{
  UNIT_WAITING,
  UNIT_ACTIVE,
  UNIT_DONE,
} UnitState;

typedef struct
{
  GTask *task;                      /* transfer none: the task owns the unit */
  guint index;
  gint64 seed;
  UnitState state;
  guint tries;
  ReelComfyuiServer *server;        /* while active: counted in its in_flight */
  ReelComfyuiServer *failed_on;     /* where it failed last, not to be tried again */
  char *prompt_id;                  /* once queued */
  gint64 last_seen_us;              /* when the server last showed the prompt */
  ReelProviderPoll poll;            /* the wait before the next look at /history */
  const char *uploading;            /* the placeholder of the image on its way */
  gboolean wake;                    /* /ws said it is done: ask /history at once */
  gboolean polling;                 /* a /history or /queue request is on its way */
  double fraction;                  /* of the running prompt, from /ws; -1 unknown */
  char *node;                       /* the node running, from /ws */
  guint outputs_pending;
  GPtrArray *assets;
} Unit;

/* An image the template takes, uploaded to each server that runs one of the job's units. */
typedef struct
{
  const char *placeholder;   /* "input_image", "depth_image" */
  char *filename;
  const char *mime_type;
  GBytes *data;
} Upload;

static void
reel_comfyui_upload_free (gpointer data)
{
  Upload *upload = data;

  g_free (upload->filename);
  g_bytes_unref (upload->data);
  g_free (upload);
}

typedef struct
{
  ReelGenerationRequest *request;
  ReelGenerationProgressFunc progress;
  gpointer progress_data;
  char *key;
  GPtrArray *servers;        /* ReelComfyuiServer, transfer none */
  guint probes_pending;
  GError *first_error;
  char *template_path;       /* the user's file, or NULL for the built-in one */
  const char *template_name; /* for the record */
  char *template_text;
  ReelComfyuiTemplateInfo *info;
  ReelAsset *init_image;
  GPtrArray *uploads;        /* Upload: the images the template takes */
  GHashTable *uploaded;      /* server url → (placeholder → name of the image there) */
  double denoise;
  /* A moving background: the template makes a clip from the shot's background. */
  gboolean video;
  GPtrArray *units;          /* Unit, in order */
  GHashTable *node_classes;  /* node id of the workflow → its class_type */
  guint done;
  GSource *wait_source;
  GSource *cancel_source;
  gulong cancelled_id;
  GCancellable *cancellable;
  gint64 started_us;
  ReelComfyui *self;
} Job;


static void
reel_comfyui_unit_free (gpointer data)
{
  Unit *unit = data;

  g_free (unit->prompt_id);
  g_free (unit->node);
  reel_provider_poll_clear (&unit->poll);
  g_clear_pointer (&unit->assets, g_ptr_array_unref);
  g_free (unit);
}

/* A unit stops counting against its server: finished, failed, or its job ended. */
static void
reel_comfyui_unit_release (Unit *unit)
{
  if (unit->server != NULL)
    {
      unit->server->in_flight--;
      unit->server = NULL;
    }
  if (unit->prompt_id != NULL)
    {
      reel_comfyui_farm_remove_own (unit->prompt_id);
      reel_comfyui_watch_remove (unit->prompt_id);
    }
  unit->fraction = -1;
  g_clear_pointer (&unit->node, g_free);
}

static void
reel_comfyui_job_free (gpointer data)
{
  Job *job = data;

  if (job->cancelled_id != 0)
    g_cancellable_disconnect (job->cancellable, job->cancelled_id);
  g_clear_object (&job->cancellable);
  for (guint i = 0; job->units != NULL && i < job->units->len; i++)
    reel_comfyui_unit_release (g_ptr_array_index (job->units, i));
  g_clear_pointer (&job->request, reel_generation_request_unref);
  if (job->key != NULL)
    memset (job->key, 0, strlen (job->key));
  g_free (job->key);
  g_clear_pointer (&job->servers, g_ptr_array_unref);
  g_clear_error (&job->first_error);
  g_free (job->template_path);
  g_free (job->template_text);
  g_clear_object (&job->init_image);
  g_clear_pointer (&job->info, reel_comfyui_template_info_free);
  g_clear_pointer (&job->uploads, g_ptr_array_unref);
  g_clear_pointer (&job->uploaded, g_hash_table_unref);
  g_clear_pointer (&job->units, g_ptr_array_unref);
  g_clear_pointer (&job->node_classes, g_hash_table_unref);
  if (job->wait_source != NULL)
    g_source_destroy (job->wait_source);
  g_clear_pointer (&job->wait_source, g_source_unref);
  if (job->cancel_source != NULL)
    g_source_destroy (job->cancel_source);
  g_clear_pointer (&job->cancel_source, g_source_unref);
  g_free (job);
}

static const char *
reel_comfyui_display_name (GTask *task)
{
  return reel_provider_get_display_name (REEL_PROVIDER (g_task_get_source_object (task)));
}

/* The server as the user tells it apart: its host, and its port when the address has one
 * (several GPUs of one machine are often one ComfyUI per port). */
static char *
reel_comfyui_server_host (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup ("?");
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf (strchr (g_uri_get_host (uri), ':') != NULL ? "[%s]:%d" : "%s:%d",
                            g_uri_get_host (uri), g_uri_get_port (uri));
  return g_strdup (g_uri_get_host (uri));
}

static void
reel_comfyui_report (Job        *job,
                     double      fraction,
                     const char *status)
{
  if (job->progress != NULL)
    job->progress (fraction, status, job->progress_data);
}

static ReelHttpRequest *
reel_comfyui_provider_request (ReelProvider *provider,
                               const char   *key,
                               const char   *method,
                               const char   *server,
                               const char   *path)
{
  g_autofree char *url = g_strconcat (server, path, NULL);
  ReelHttpRequest *request = reel_provider_new_request (provider, method, url);

  /* ComfyUI has no keys of its own; a proxy in front of it may want one. */
  if (key != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", key, NULL);

      reel_http_request_add_secret_header (request, "Authorization", auth);
    }
  return request;
}

static ReelHttpRequest *
reel_comfyui_job_request (GTask      *task,
                          const char *method,
                          const char *server,
                          const char *path)
{
  Job *job = g_task_get_task_data (task);

  return reel_comfyui_provider_request (g_task_get_source_object (task), job->key, method, server,
                                        path);
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

/* What a /queue answer says of @server: the prompt ids in it, and how many are others'. */
static void
reel_comfyui_server_take_queue (ReelComfyuiServer *server,
                                JsonNode          *root)
{
  JsonObject *object = reel_json_node_get_object (root);
  const char *lists[] = { "queue_running", "queue_pending" };
  guint others = 0;

  g_hash_table_remove_all (server->queued);
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      JsonArray *list = reel_json_get_array (object, lists[l]);

      /* [number, prompt_id, prompt, extra_data, outputs] */
      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        {
          JsonNode *node = json_array_get_element (list, i);
          const char *id = JSON_NODE_HOLDS_ARRAY (node)
                             ? reel_json_array_get_string (json_node_get_array (node), 1)
                             : NULL;

          if (id != NULL)
            g_hash_table_add (server->queued, g_strdup (id));
          if (!reel_comfyui_farm_is_own (id))
            others++;
        }
    }
  server->others = others;
  server->probed_us = g_get_monotonic_time ();
}

static gboolean
queue_holds (JsonNode   *root,
             const char *list_name,
             const char *id)
{
  JsonArray *list = reel_json_get_array (reel_json_node_get_object (root), list_name);

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);

      if (JSON_NODE_HOLDS_ARRAY (node)
          && g_strcmp0 (reel_json_array_get_string (json_node_get_array (node), 1), id) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Cancelling our own prompts, and only ours ------------------------------------------------ */

typedef struct
{
  ReelProvider *provider;
  char *key;
  char *server;
  char *prompt_id;
} CancelOp;

static void
cancel_op_finish (CancelOp *op)
{
  g_object_unref (op->provider);
  if (op->key != NULL)
    memset (op->key, 0, strlen (op->key));
  g_free (op->key);
  g_free (op->server);
  g_free (op->prompt_id);
  g_free (op);
  cancels_pending--;
}

static void
on_cancel_sent (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CancelOp *op = user_data;
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    g_debug ("Could not cancel a ComfyUI prompt: %s", error->message);
  cancel_op_finish (op);
}

static void
cancel_op_send (CancelOp   *op,
                const char *path,
                const char *member,
                gboolean    as_array)
{
  g_autoptr(ReelHttpRequest) http = reel_comfyui_provider_request (op->provider, op->key, "POST",
                                                                   op->server, path);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, member);
  if (as_array)
    json_builder_begin_array (builder);
  json_builder_add_string_value (builder, op->prompt_id);
  if (as_array)
    json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  reel_http_request_set_json_body (http, body);
  reel_http_request_set_max_attempts (http, 1);
  reel_http_client_send_async (reel_provider_get_http_client (op->provider), http, NULL,
                               on_cancel_sent, op);
}

static void
on_cancel_queue_read (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  CancelOp *op = user_data;
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(JsonNode) root = NULL;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, NULL);
  if (response != NULL && reel_http_response_is_success (response))
    root = reel_http_response_parse_json (response, NULL);

  /* Waiting: take it off the queue. Running: stop it, naming it, and only because it is
   * ours that runs (an /interrupt stops whatever runs on some servers). Neither: done. */
  if (root != NULL && queue_holds (root, "queue_pending", op->prompt_id))
    cancel_op_send (op, "/queue", "delete", TRUE);
  else if (root != NULL && queue_holds (root, "queue_running", op->prompt_id))
    cancel_op_send (op, "/interrupt", "prompt_id", FALSE);
  else
    cancel_op_finish (op);
}

static void
on_jobs_cancel_sent (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CancelOp *op = user_data;
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(ReelHttpRequest) queue = NULL;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, NULL);
  if (response != NULL && (reel_http_response_is_success (response)
                           || (reel_http_response_get_status (response) != 404
                               && reel_http_response_get_status (response) != 405)))
    {
      cancel_op_finish (op);
      return;
    }

  /* An older server without /api/jobs: look where our prompt is. */
  queue = reel_comfyui_provider_request (op->provider, op->key, "GET", op->server, "/queue");
  reel_http_request_set_max_attempts (queue, 1);
  reel_http_client_send_async (reel_provider_get_http_client (op->provider), queue, NULL,
                               on_cancel_queue_read, op);
}

/* Cancels one of our prompts; not tied to any cancellable, it finishes on its own. */
static void
cancel_prompt (ReelProvider *provider,
               const char   *key,
               const char   *server,
               const char   *prompt_id)
{
  CancelOp *op = g_new0 (CancelOp, 1);
  g_autofree char *path = g_strdup_printf ("/api/jobs/%s/cancel", prompt_id);
  g_autoptr(ReelHttpRequest) http = NULL;

  op->provider = g_object_ref (provider);
  op->key = g_strdup (key);
  op->server = g_strdup (server);
  op->prompt_id = g_strdup (prompt_id);
  cancels_pending++;

  http = reel_comfyui_provider_request (provider, key, "POST", server, path);
  reel_http_request_set_max_attempts (http, 1);
  reel_http_client_send_async (reel_provider_get_http_client (provider), http, NULL,
                               on_jobs_cancel_sent, op);
}

static void
reel_comfyui_cancel_active_units (GTask *task)
{
  Job *job = g_task_get_task_data (task);

  for (guint i = 0; job->units != NULL && i < job->units->len; i++)
    {
      Unit *unit = g_ptr_array_index (job->units, i);

      if (unit->state == UNIT_ACTIVE && unit->prompt_id != NULL && unit->server != NULL)
        cancel_prompt (g_task_get_source_object (task), job->key, unit->server->url,
                       unit->prompt_id);
    }
}

static gboolean
on_cancelled_idle (gpointer user_data)
{
  GTask *task = user_data;

  reel_comfyui_cancel_active_units (task);
  cancels_pending--;
  return G_SOURCE_REMOVE;
}

/* Runs in whatever thread cancels: hop to the task's context. Counted at once, so that a
 * command line that stops right after still waits for the cancellations. */
static void
reel_comfyui_on_cancelled (GCancellable *cancellable,
                           gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GSource) idle = g_idle_source_new ();

  cancels_pending++;
  g_source_set_priority (idle, G_PRIORITY_HIGH);
  g_source_set_callback (idle, on_cancelled_idle, g_object_ref (task), g_object_unref);
  g_source_attach (idle, g_task_get_context (task));
}

/* Ending the job -------------------------------------------------------------------------- */

static void
reel_comfyui_job_fail (GTask  *task,
                       GError *error)
{
  if (reel_comfyui_task_returned (task))
    {
      g_error_free (error);
      return;
    }
  /* The job is over: what is still queued or running for it is wasted GPU time. */
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    reel_comfyui_cancel_active_units (task);
  reel_comfyui_return_error (task, error);
}

static void reel_comfyui_job_pump (GTask *task);

static void
reel_comfyui_job_finish_if_done (GTask *task)
{
  Job *job = g_task_get_task_data (task);
  g_autoptr(GPtrArray) assets = NULL;

  if (job->done < job->units->len)
    return;

  assets = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < job->units->len; i++)
    {
      Unit *unit = g_ptr_array_index (job->units, i);

      for (guint j = 0; j < unit->assets->len; j++)
        g_ptr_array_add (assets, g_object_ref (g_ptr_array_index (unit->assets, j)));
    }
  reel_comfyui_report (job, 1.0, NULL);
  reel_comfyui_return_pointer (task, g_steal_pointer (&assets), (GDestroyNotify) g_ptr_array_unref);
}

/* The server failed this unit (refused, stopped answering, a 5xx): mark it offline and put
 * the unit back in line, unless it was already its second try. */
static void
unit_server_failed (GTask  *task,
                    Unit   *unit,
                    GError *error)
{
  Job *job = g_task_get_task_data (task);
  ReelComfyuiServer *server = unit->server;

  if (server != NULL)
    {
      g_debug ("ComfyUI server %s failed: %s; marked offline", server->url, error->message);
      server->offline_until_us = g_get_monotonic_time () + FARM_OFFLINE_US;
    }
  unit->failed_on = server;
  reel_comfyui_unit_release (unit);
  g_clear_pointer (&unit->prompt_id, g_free);
  reel_provider_poll_clear (&unit->poll);
  g_ptr_array_set_size (unit->assets, 0);

  if (unit->tries >= FARM_MAX_TRIES)
    {
      reel_comfyui_job_fail (task, error);
      return;
    }
  if (job->first_error == NULL)
    job->first_error = g_error_copy (error);
  g_error_free (error);
  unit->state = UNIT_WAITING;
  reel_comfyui_job_pump (task);
}

/* Requests of a unit ---------------------------------------------------------------------- */

typedef void (*UnitFunc) (GTask            *task,
                          Unit             *unit,
                          ReelHttpResponse *response);

typedef struct
{
  GTask *task;
  Unit *unit;
  char *prompt_id;       /* the unit's prompt when sent: a redone unit ignores old answers */
  ReelComfyuiServer *server;
  ReelHttpRequest *http;
  UnitFunc func;
} UnitStep;

static gboolean
is_server_failure (GError *error)
{
  return g_error_matches (error, REEL_AI_ERROR, REEL_AI_ERROR_NETWORK)
         || g_error_matches (error, REEL_AI_ERROR, REEL_AI_ERROR_TIMEOUT)
         || g_error_matches (error, REEL_AI_ERROR, REEL_AI_ERROR_SERVER);
}

static void
on_unit_step_done (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  UnitStep *step = user_data;
  g_autoptr(GTask) task = step->task;
  g_autoptr(ReelHttpRequest) http = step->http;
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  Unit *unit = step->unit;
  UnitFunc func = step->func;
  gboolean current = unit->server == step->server
                     && g_strcmp0 (unit->prompt_id, step->prompt_id) == 0;

  g_free (step->prompt_id);
  g_free (step);

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, &error);
  if (reel_comfyui_task_returned (task) || !current || unit->state != UNIT_ACTIVE)
    return;
  if (reel_comfyui_return_if_cancelled (task))
    return;

  if (response == NULL)
    {
      if (is_server_failure (error))
        unit_server_failed (task, unit, g_steal_pointer (&error));
      else
        reel_comfyui_job_fail (task, g_steal_pointer (&error));
      return;
    }
  if (reel_http_response_get_status (response) >= 500)
    {
      unit_server_failed (task, unit, comfy_error (task, http, response));
      return;
    }
  if (!reel_http_response_is_success (response))
    {
      reel_comfyui_job_fail (task, comfy_error (task, http, response));
      return;
    }

  func (task, unit, response);
}

static void
reel_comfyui_unit_send (GTask           *task,
                        Unit            *unit,
                        ReelHttpRequest *http,
                        UnitFunc         func)
{
  UnitStep *step = g_new0 (UnitStep, 1);

  step->task = g_object_ref (task);
  step->unit = unit;
  step->prompt_id = g_strdup (unit->prompt_id);
  step->server = unit->server;
  step->http = g_object_ref (http);
  step->func = func;
  reel_http_client_send_async (reel_provider_get_http_client (g_task_get_source_object (task)),
                               http, g_task_get_cancellable (task), on_unit_step_done, step);
}

/* Outputs --------------------------------------------------------------------------------- */

static gboolean reel_comfyui_unit_poll (GTask  *task,
                                        Unit   *unit,
                                        gint64  deadline_us);

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

typedef struct
{
  GTask *task;
  Unit *unit;
} Decoding;

/* One output of the unit is in: the unit is done with its last. */
static void
unit_take_asset (GTask     *task,
                 Unit      *unit,
                 ReelAsset *asset)
{
  Job *job = g_task_get_task_data (task);

  g_ptr_array_add (unit->assets, asset);

  if (--unit->outputs_pending == 0)
    {
      unit->state = UNIT_DONE;
      reel_comfyui_unit_release (unit);
      job->done++;
      reel_comfyui_report (job, (double) job->done / job->units->len, NULL);
      reel_comfyui_job_finish_if_done (task);
      reel_comfyui_job_pump (task);
    }
}

static void
on_image_decoded (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Decoding *decoding = user_data;
  g_autoptr(GTask) task = decoding->task;
  Unit *unit = decoding->unit;
  g_autoptr(GError) error = NULL;
  ReelAsset *asset;

  g_free (decoding);
  asset = reel_provider_run_in_thread_finish (result, &error);
  /* One output already failed the task: the others are not wanted any more. */
  if (reel_comfyui_task_returned (task))
    {
      g_clear_object (&asset);
      return;
    }
  if (asset == NULL)
    {
      reel_comfyui_job_fail (task, g_steal_pointer (&error));
      return;
    }
  unit_take_asset (task, unit, asset);
}


/* A clip is kept as the server made it: MP4 (a box "ftyp" first) or WebM (EBML magic). */
static void
take_clip (GTask            *task,
           Unit             *unit,
           ReelHttpResponse *response,
           const char       *server_url,
           JsonObject       *parameters)
{
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  GBytes *body = reel_http_response_get_body (response);
  gsize size = 0;
  const guchar *bytes = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  static const guchar webm_magic[] = { 0x1a, 0x45, 0xdf, 0xa3 };
  const char *mime_type = NULL;
  g_autoptr(ReelGenerationRecord) record = NULL;

  if (size >= 12 && memcmp (bytes + 4, "ftyp", 4) == 0)
    mime_type = REEL_MIME_MP4;
  else if (size >= 4 && memcmp (bytes, webm_magic, sizeof webm_magic) == 0)
    mime_type = REEL_MIME_WEBM;
  if (mime_type == NULL)
    {
      json_object_unref (parameters);
      reel_comfyui_job_fail (task, g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                                                _("%s made a clip that is neither MP4 nor WebM. "
                                                  "End the workflow template in a Save Video node "
                                                  "with the format “mp4” or “webm”."),
                                                reel_comfyui_display_name (task)));
      return;
    }

  record = reel_provider_new_record (provider, job->request, server_url, unit->seed,
                                     parameters, job->started_us);
  json_object_unref (parameters);
  /* The workflow is the "model" of a ComfyUI clip too. */
  g_clear_pointer (&record->model, g_free);
  record->model = g_strdup (job->template_name);
  unit_take_asset (task, unit, reel_asset_new_video (body, mime_type, job->request->width,
                                                     job->request->height, record));
}

static void
on_image_fetched (GTask            *task,
                  Unit             *unit,
                  ReelHttpResponse *response)
{
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(JsonObject) parameters = json_object_new ();
  g_autofree char *server_url = g_strconcat (unit->server->url, "/prompt", NULL);
  DecodeInput *input;
  Decoding *decoding;

  json_object_set_string_member (parameters, "workflow", job->template_name);
  json_object_set_int_member (parameters, "width", job->request->width);
  json_object_set_int_member (parameters, "height", job->request->height);
  if (job->video)
    {
      take_clip (task, unit, response, server_url, g_steal_pointer (&parameters));
      return;
    }
  if (job->init_image != NULL)
    json_object_set_double_member (parameters, "denoise", job->denoise);

  input = g_new0 (DecodeInput, 1);
  input->data = g_bytes_ref (reel_http_response_get_body (response));
  input->display_name = g_strdup (reel_comfyui_display_name (task));
  input->record = reel_provider_new_record (provider, job->request, server_url, unit->seed,
                                            parameters, job->started_us);
  /* The workflow is the "model" of a ComfyUI image. */
  g_clear_pointer (&input->record->model, g_free);
  input->record->model = g_strdup (job->template_name);

  decoding = g_new0 (Decoding, 1);
  decoding->task = g_object_ref (task);
  decoding->unit = unit;
  reel_provider_run_in_thread (decode_image, input, decode_input_free, g_object_unref,
                               g_task_get_cancellable (task), on_image_decoded, decoding);
}

/* Decides on the server's queue as last read: a prompt neither in the history nor in the
 * queue for a while was forgotten by a restarted server. */
static void
unit_judge_queue (GTask *task,
                  Unit  *unit)
{
  ReelComfyui *self = g_task_get_source_object (task);
  ReelComfyuiServer *server = unit->server;

  if (g_hash_table_contains (server->queued, unit->prompt_id))
    unit->last_seen_us = MAX (unit->last_seen_us, server->probed_us);

  /* The next look at the history, while the prompt has been out of sight for less than
   * the vanish timeout. */
  if (!reel_comfyui_unit_poll (task, unit,
                               unit->last_seen_us + (gint64) self->vanish_timeout_ms * 1000))
    {
      g_autofree char *host = reel_comfyui_server_host (server->url);
      guint seconds = (self->vanish_timeout_ms + 999) / 1000;

      reel_comfyui_job_fail (task, g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_SERVER,
                                                g_dngettext (GETTEXT_PACKAGE,
                                                             "%s on %s forgot a prompt: it has "
                                                             "been neither queued nor finished for "
                                                             "%u second (was the server "
                                                             "restarted?). Generate again.",
                                                             "%s on %s forgot a prompt: it has "
                                                             "been neither queued nor finished for "
                                                             "%u seconds (was the server "
                                                             "restarted?). Generate again.",
                                                             seconds),
                                                reel_comfyui_display_name (task), host, seconds));
    }
}

static void
on_queue_checked (GTask            *task,
                  Unit             *unit,
                  ReelHttpResponse *response)
{
  g_autoptr(JsonNode) root = reel_http_response_parse_json (response, NULL);

  unit->polling = FALSE;
  if (root != NULL && reel_json_get_array (reel_json_node_get_object (root),
                                           "queue_running") != NULL)
    reel_comfyui_server_take_queue (unit->server, root);
  unit_judge_queue (task, unit);
}

/* The queue is read once per round for all the units of a server, not after every look at
 * the history: often enough to notice a forgotten prompt well within the vanish timeout. */
static void
unit_check_queue (GTask *task,
                  Unit  *unit)
{
  ReelComfyui *self = g_task_get_source_object (task);
  ReelComfyuiServer *server = unit->server;
  gint64 max_age = MIN (FARM_PROBE_MAX_AGE_US, (gint64) self->vanish_timeout_ms * 1000 / 4);
  g_autoptr(ReelHttpRequest) queue = NULL;

  if (g_get_monotonic_time () - server->probed_us <= max_age)
    {
      unit_judge_queue (task, unit);
      return;
    }

  queue = reel_comfyui_job_request (task, "GET", server->url, "/queue");
  reel_http_request_set_idle_timeout (queue, 30000);
  unit->polling = TRUE;
  reel_comfyui_unit_send (task, unit, queue, on_queue_checked);
}

static void
on_history (GTask            *task,
            Unit             *unit,
            ReelHttpResponse *response)
{
  Job *job = g_task_get_task_data (task);
  GBytes *body = reel_http_response_get_body (response);
  gsize length = 0;
  const char *json = body != NULL ? g_bytes_get_data (body, &length) : NULL;
  ReelComfyuiHistory history;
  GPtrArray *views;
  gboolean parsed;

  unit->polling = FALSE;
  parsed = reel_comfyui_history_parse (json, length, unit->prompt_id, &history);
  if (!parsed)
    {
      reel_comfyui_history_clear (&history);
      reel_comfyui_job_fail (task, g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                                                _("%s sent an answer that is not what its protocol "
                                                  "promises. Check the address in Preferences."),
                                                reel_comfyui_display_name (task)));
      return;
    }

  if (!history.found)
    {
      reel_comfyui_history_clear (&history);

      /* /ws tells more, when it speaks. */
      if (unit->fraction < 0)
        {
          g_autofree char *host = reel_comfyui_server_host (unit->server->url);

          if (job->units->len > 1)
            {
              g_autofree char *status_text = g_strdup_printf (_("Rendering %u of %u on %s"),
                                                              job->done + 1, job->units->len,
                                                              host);
              reel_comfyui_report (job, (double) job->done / job->units->len, status_text);
            }
          else
            {
              g_autofree char *status_text = g_strdup_printf (_("Rendering on %s"), host);
              reel_comfyui_report (job, -1, status_text);
            }
        }

      /* {} while queued or running, and for an id the server does not know: the queue
       * tells them apart. */
      unit_check_queue (task, unit);
      return;
    }

  if (history.failed)
    {
      reel_comfyui_job_fail (task, g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_SERVER,
                                                _("%s failed while running the workflow (%s). "
                                                  "Check the server’s log and the workflow "
                                                  "template."),
                                                reel_comfyui_display_name (task),
                                                history.reason != NULL ? history.reason : "?"));
      reel_comfyui_history_clear (&history);
      return;
    }

  views = job->video ? history.videos : history.views;
  if (views->len == 0)
    {
      reel_comfyui_history_clear (&history);
      if (job->video)
        reel_comfyui_job_fail (task, g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_NO_IMAGE,
                                                  _("%s finished the workflow without a clip. "
                                                    "Check that the template ends in a Save Video "
                                                    "node."),
                                                  reel_comfyui_display_name (task)));
      else
        reel_comfyui_job_fail (task, g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_NO_IMAGE,
                                                  _("%s finished the workflow without an image. "
                                                    "Check that the template ends in a Save Image "
                                                    "node."),
                                                  reel_comfyui_display_name (task)));
      return;
    }

  unit->outputs_pending = views->len;
  for (guint i = 0; i < views->len; i++)
    {
      g_autoptr(ReelHttpRequest) view = reel_comfyui_job_request (task, "GET", unit->server->url,
                                                                  g_ptr_array_index (views, i));

      reel_comfyui_unit_send (task, unit, view, on_image_fetched);
    }
  reel_comfyui_history_clear (&history);
}

static void
on_poll_time (GTask    *task,
              gpointer  data)
{
  Unit *unit = data;
  g_autofree char *path = NULL;
  g_autoptr(ReelHttpRequest) history = NULL;

  if (reel_comfyui_task_returned (task) || reel_comfyui_return_if_cancelled (task)
      || unit->state != UNIT_ACTIVE)
    return;

  path = g_strdup_printf ("/history/%s", unit->prompt_id);
  history = reel_comfyui_job_request (task, "GET", unit->server->url, path);
  reel_http_request_set_idle_timeout (history, 30000);
  unit->polling = TRUE;
  reel_comfyui_unit_send (task, unit, history, on_history);
}

/* Cancelled while waiting: the job ends now; its first unit to hear of it ends the task. */
static void
on_poll_cancelled (GTask    *task,
                   gpointer  data)
{
  reel_comfyui_return_if_cancelled (task);
}

/* The next look at the unit's history, on the shared wait; FALSE, with nothing scheduled,
 * once @deadline_us (0 for none) has passed. */
static gboolean
reel_comfyui_unit_poll (GTask  *task,
                        Unit   *unit,
                        gint64  deadline_us)
{
  ReelComfyui *self = g_task_get_source_object (task);
  guint interval = self->poll_interval_ms;

  if (unit->wake)
    interval = 0;
  else if (reel_comfyui_watch_is_live (unit->server->url))
    interval = MAX (interval, WS_POLL_MS);
  unit->wake = FALSE;

  return reel_provider_poll_schedule (&unit->poll, task, interval, deadline_us, on_poll_time,
                                      on_poll_cancelled, unit);
}

/* Progress from /ws ------------------------------------------------------------------------ */

/* The job's fraction: the images done, and the steps of those rendering. */
static void
job_report_units (Job        *job,
                  const char *status)
{
  double sum = job->done;

  for (guint i = 0; i < job->units->len; i++)
    {
      Unit *unit = g_ptr_array_index (job->units, i);

      if (unit->state == UNIT_ACTIVE && unit->fraction > 0)
        sum += unit->fraction;
    }
  reel_comfyui_report (job, MIN (sum / job->units->len, 1.0), status);
}

static char *
node_status (Job        *job,
             Unit       *unit,
             gint64      value,
             gint64      max)
{
  g_autofree char *host = reel_comfyui_server_host (unit->server->url);
  const char *class_type = unit->node != NULL && job->node_classes != NULL
                             ? g_hash_table_lookup (job->node_classes, unit->node) : NULL;
  g_autofree char *node = class_type != NULL ? g_strdup (class_type)
                                             : g_strdup_printf ("#%s", unit->node != NULL
                                                                        ? unit->node : "?");
  g_autofree char *text = NULL;

  if (max > 0)
    /* Translators: "KSampler: step 12 of 20 on gpu1" */
    text = g_strdup_printf (_("%s: step %d of %d on %s"), node, (int) MIN (value, G_MAXINT),
                            (int) MIN (max, G_MAXINT), host);
  else
    /* Translators: "VAEDecode on gpu1": the node of the workflow running now */
    text = g_strdup_printf (_("%s on %s"), node, host);

  if (job->units->len > 1)
    /* Translators: "Image 2 of 4: KSampler: step 12 of 20 on gpu1" */
    return g_strdup_printf (_("Image %u of %u: %s"), unit->index + 1, job->units->len, text);
  return g_steal_pointer (&text);
}

/* /ws said the prompt is over: look at the history now rather than at the next tick. */
static void
unit_wake (GTask *task,
           Unit  *unit)
{
  /* The poll's source may hold the last reference to the task. */
  g_autoptr(GTask) hold = g_object_ref (task);

  unit->wake = TRUE;
  if (reel_provider_poll_is_pending (&unit->poll) && !unit->polling)
    reel_comfyui_unit_poll (task, unit, 0);
}

static void
on_unit_event (const ReelComfyuiEvent *event,
               gpointer                user_data)
{
  Unit *unit = user_data;
  GTask *task = unit->task;
  Job *job = g_task_get_task_data (task);
  g_autofree char *status = NULL;

  if (reel_comfyui_task_returned (task) || unit->state != UNIT_ACTIVE || unit->server == NULL)
    return;

  switch (event->type)
    {
    case REEL_COMFYUI_EVENT_EXECUTION_START:
      unit->fraction = 0;
      break;

    case REEL_COMFYUI_EVENT_PROGRESS:
      unit->fraction = (double) event->value / event->max;
      if (event->node != NULL)
        {
          g_free (unit->node);
          unit->node = g_strdup (event->node);
        }
      status = node_status (job, unit, event->value, event->max);
      job_report_units (job, status);
      break;

    case REEL_COMFYUI_EVENT_EXECUTING:
      if (event->node == NULL)
        {
          unit_wake (task, unit);
          break;
        }
      g_free (unit->node);
      unit->node = g_strdup (event->node);
      if (unit->fraction < 0)
        unit->fraction = 0;
      status = node_status (job, unit, 0, 0);
      job_report_units (job, status);
      break;

    case REEL_COMFYUI_EVENT_EXECUTION_ERROR:
    case REEL_COMFYUI_EVENT_EXECUTION_INTERRUPTED:
    case REEL_COMFYUI_EVENT_EXECUTION_SUCCESS:
      unit_wake (task, unit);
      break;

    case REEL_COMFYUI_EVENT_PREVIEW:
      if (job->request->preview != NULL)
        job->request->preview (unit->index, event->image, job->request->preview_data);
      break;

    case REEL_COMFYUI_EVENT_EXECUTED:
    case REEL_COMFYUI_EVENT_OTHER:
    default:
      break;
    }
}

/* Listens to the unit's prompt on its server's /ws (opened on first use). */
static void
reel_comfyui_unit_watch (GTask *task,
                         Unit  *unit)
{
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(GResolver) resolver = NULL;
  g_autofree char *authorization = NULL;

  resolver = reel_http_client_dup_resolver (reel_provider_get_http_client (provider));
  if (job->key != NULL)
    authorization = g_strconcat ("Bearer ", job->key, NULL);
  reel_comfyui_watch_server (unit->server->url, reel_provider_get_local_only (provider),
                             resolver, authorization);
  reel_comfyui_watch_add (unit->server->url, unit->prompt_id, on_unit_event, unit);
  if (authorization != NULL)
    memset (authorization, 0, strlen (authorization));
}

/* Queueing -------------------------------------------------------------------------------- */

static void
on_queued (GTask            *task,
           Unit             *unit,
           ReelHttpResponse *response)
{
  g_autoptr(JsonNode) root = reel_http_response_parse_json (response, NULL);
  const char *id = reel_json_get_string (reel_json_node_get_object (root), "prompt_id");

  /* A server that takes client ids answers with ours; an older one picks its own. */
  if (id == NULL || id[0] == '\0' || strspn (id, "0123456789abcdefABCDEF-") != strlen (id))
    {
      reel_comfyui_job_fail (task, g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                                                _("%s sent an answer that is not what its protocol "
                                                  "promises. Check the address in Preferences."),
                                                reel_comfyui_display_name (task)));
      return;
    }
  if (g_strcmp0 (id, unit->prompt_id) != 0)
    {
      reel_comfyui_farm_remove_own (unit->prompt_id);
      reel_comfyui_watch_remove (unit->prompt_id);
      g_free (unit->prompt_id);
      unit->prompt_id = g_strdup (id);
      reel_comfyui_farm_add_own (id);
      reel_comfyui_unit_watch (task, unit);
    }

  unit->last_seen_us = g_get_monotonic_time ();

  /* The server took it: say where it waits until /history or /ws tell more. */
  if (unit->fraction < 0)
    {
      Job *job = g_task_get_task_data (task);
      g_autofree char *host = reel_comfyui_server_host (unit->server->url);
      /* Translators: %s is the server, "gpu1:8188" */
      g_autofree char *status = g_strdup_printf (_("Queued on %s"), host);

      reel_comfyui_report (job, job->units->len > 1 ? (double) job->done / job->units->len : -1,
                           status);
    }
  reel_comfyui_unit_poll (task, unit, 0);
}

static void
reel_comfyui_unit_queue (GTask *task,
                         Unit  *unit)
{
  Job *job = g_task_get_task_data (task);
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                        (GDestroyNotify) json_node_unref);
  g_autoptr(JsonNode) workflow = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(ReelHttpRequest) http = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *uploaded = g_hash_table_lookup (job->uploaded, unit->server->url);
  g_autofree char *camera_angle = reel_comfyui_camera_angle_prompt (job->request);
  JsonNode *value;

  value = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (value, job->request->prompt != NULL ? job->request->prompt : "");
  g_hash_table_insert (values, "prompt", value);
  value = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (value, job->request->negative_prompt != NULL
                                 ? job->request->negative_prompt : "");
  g_hash_table_insert (values, "negative_prompt", value);
  value = json_node_new (JSON_NODE_VALUE);
  json_node_set_int (value, unit->seed);
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
  value = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (value, camera_angle);
  g_hash_table_insert (values, "camera_angle", value);
  /* Wan 2.2 makes 16 frames a second; 81 frames are its five seconds. */
  value = json_node_new (JSON_NODE_VALUE);
  json_node_set_int (value, 81);
  g_hash_table_insert (values, "frames", value);
  for (guint i = 0; i < job->uploads->len; i++)
    {
      Upload *upload = g_ptr_array_index (job->uploads, i);
      const char *name = uploaded != NULL ? g_hash_table_lookup (uploaded, upload->placeholder)
                                          : NULL;

      if (name == NULL)
        continue;
      value = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (value, name);
      g_hash_table_insert (values, (gpointer) upload->placeholder, value);
    }

  workflow = reel_comfyui_fill_template (job->template_text, values, &error);
  if (workflow == NULL)
    {
      reel_comfyui_job_fail (task, g_steal_pointer (&error));
      return;
    }

  /* The names of the nodes, for the progress /ws reports by node id. */
  if (job->node_classes == NULL)
    {
      JsonObjectIter iter;
      const char *node_id;
      JsonNode *member;

      job->node_classes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      json_object_iter_init (&iter, json_node_get_object (workflow));
      while (json_object_iter_next (&iter, &node_id, &member))
        g_hash_table_insert (job->node_classes, g_strdup (node_id),
                             g_strdup (reel_json_get_string (json_node_get_object (member),
                                                             "class_type")));
    }

  /* Our own prompt id, chosen before sending: a cancel can name it even if the answer to
   * /prompt never comes. */
  g_free (unit->prompt_id);
  unit->prompt_id = g_uuid_string_random ();
  reel_comfyui_farm_add_own (unit->prompt_id);
  reel_comfyui_unit_watch (task, unit);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_value (builder, g_steal_pointer (&workflow));
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, reel_comfyui_farm_client_id ());
  json_builder_set_member_name (builder, "prompt_id");
  json_builder_add_string_value (builder, unit->prompt_id);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  http = reel_comfyui_job_request (task, "POST", unit->server->url, "/prompt");
  reel_http_request_set_json_body (http, body);
  /* Not retried blindly: a second POST could queue the image twice. */
  reel_http_request_set_idempotent (http, FALSE);
  reel_comfyui_unit_send (task, unit, http, on_queued);
}

static void reel_comfyui_unit_upload_next (GTask *task,
                                           Unit  *unit);

static void
on_uploaded (GTask            *task,
             Unit             *unit,
             ReelHttpResponse *response)
{
  Job *job = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = reel_http_response_parse_json (response, NULL);
  JsonObject *object = reel_json_node_get_object (root);
  const char *name = reel_json_get_string (object, "name");
  const char *subfolder = reel_json_get_string (object, "subfolder");
  const char *placeholder = unit->uploading;
  GHashTable *names;

  if (name == NULL || name[0] == '\0' || placeholder == NULL)
    {
      reel_comfyui_job_fail (task, g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                                                _("%s did not accept the reference image. Check "
                                                  "the server."),
                                                reel_comfyui_display_name (task)));
      return;
    }

  names = g_hash_table_lookup (job->uploaded, unit->server->url);
  if (names == NULL)
    {
      names = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      g_hash_table_insert (job->uploaded, g_strdup (unit->server->url), names);
    }
  g_hash_table_insert (names, (gpointer) placeholder,
                       subfolder != NULL && subfolder[0] != '\0'
                         ? g_strdup_printf ("%s/%s", subfolder, name) : g_strdup (name));
  reel_comfyui_unit_upload_next (task, unit);
}

/* Uploads the first image the unit's server does not have yet; queues once it has all. */
static void
reel_comfyui_unit_upload_next (GTask *task,
                               Unit  *unit)
{
  Job *job = g_task_get_task_data (task);
  GHashTable *names = g_hash_table_lookup (job->uploaded, unit->server->url);

  for (guint i = 0; i < job->uploads->len; i++)
    {
      Upload *upload = g_ptr_array_index (job->uploads, i);
      g_autoptr(ReelHttpRequest) http = NULL;

      if (names != NULL && g_hash_table_contains (names, upload->placeholder))
        continue;

      /* One upload at a time per unit: the answer says which placeholder it was for. */
      unit->uploading = upload->placeholder;
      http = reel_comfyui_job_request (task, "POST", unit->server->url, "/upload/image");
      reel_http_request_add_form_file (http, "image", upload->filename, upload->mime_type,
                                       upload->data);
      reel_http_request_add_form_field (http, "type", "input");
      reel_http_request_add_form_field (http, "overwrite", "true");
      reel_comfyui_unit_send (task, unit, http, on_uploaded);
      return;
    }

  reel_comfyui_unit_queue (task, unit);
}

static void
unit_start (GTask             *task,
            Unit              *unit,
            ReelComfyuiServer *server)
{
  unit->state = UNIT_ACTIVE;
  unit->polling = FALSE;
  unit->wake = FALSE;
  unit->tries++;
  unit->server = server;
  server->in_flight++;
  reel_comfyui_unit_upload_next (task, unit);
}

/* Placing --------------------------------------------------------------------------------- */

typedef struct
{
  GTask *task;
  ReelComfyuiServer *server;
} Probe;

static void
on_probed (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Probe *probe = user_data;
  g_autoptr(GTask) task = probe->task;
  Job *job = g_task_get_task_data (task);
  ReelComfyuiServer *server = probe->server;
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_free (probe);
  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, &error);
  if (response != NULL && reel_http_response_is_success (response))
    root = reel_http_response_parse_json (response, NULL);

  if (root != NULL && reel_json_get_array (reel_json_node_get_object (root),
                                           "queue_running") != NULL)
    {
      reel_comfyui_server_take_queue (server, root);
      g_debug ("ComfyUI server %s: %u prompts of others, %u of ours", server->url,
               server->others, server->in_flight);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      server->offline_until_us = g_get_monotonic_time () + FARM_OFFLINE_US;
      if (job->first_error == NULL)
        job->first_error = response != NULL
                             ? reel_provider_status_error (g_task_get_source_object (task),
                                                           reel_http_response_get_status (response),
                                                           NULL)
                             : g_steal_pointer (&error);
    }

  if (--job->probes_pending == 0)
    reel_comfyui_job_pump (task);
}

static gboolean
on_wait_over (gpointer user_data)
{
  GTask *task = user_data;
  Job *job = g_task_get_task_data (task);

  g_clear_pointer (&job->wait_source, g_source_unref);
  reel_comfyui_job_pump (task);
  return G_SOURCE_REMOVE;
}

/* Places the waiting units on the servers with free capacity, looking at their queues
 * first when what is known of them is old. Called whenever something changed. */
static void
reel_comfyui_job_pump (GTask *task)
{
  ReelComfyui *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  gint64 now = g_get_monotonic_time ();
  gboolean waiting = FALSE;

  if (reel_comfyui_task_returned (task) || reel_comfyui_return_if_cancelled (task)
      || job->probes_pending > 0)
    return;

  if (job->servers->len == 0)
    {
      reel_comfyui_job_fail (task, g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_CONFIG,
                                                _("No %s server is set. Add one in Preferences → "
                                                  "%s."),
                                                reel_comfyui_display_name (task),
                                                reel_comfyui_display_name (task)));
      return;
    }

  for (guint i = 0; i < job->units->len && !waiting; i++)
    waiting = ((Unit *) g_ptr_array_index (job->units, i))->state == UNIT_WAITING;
  if (!waiting)
    return;

  for (guint i = 0; i < job->servers->len; i++)
    {
      ReelComfyuiServer *server = g_ptr_array_index (job->servers, i);
      g_autoptr(ReelHttpRequest) http = NULL;
      Probe *probe;

      if (!reel_comfyui_farm_is_online (server, now)
          || now - server->probed_us < FARM_PROBE_MAX_AGE_US)
        continue;

      probe = g_new0 (Probe, 1);
      probe->task = g_object_ref (task);
      probe->server = server;
      http = reel_comfyui_job_request (task, "GET", server->url, "/queue");
      /* A server that does not answer quickly is not the one to wait for. */
      reel_http_request_set_idle_timeout (http, 5000);
      reel_http_request_set_connect_timeout (http, 3000);
      reel_http_request_set_max_attempts (http, 1);
      job->probes_pending++;
      reel_http_client_send_async (reel_provider_get_http_client (REEL_PROVIDER (self)), http,
                                   g_task_get_cancellable (task), on_probed, probe);
    }
  if (job->probes_pending > 0)
    return;

  for (guint i = 0; i < job->units->len; i++)
    {
      Unit *unit = g_ptr_array_index (job->units, i);
      int chosen;

      if (unit->state != UNIT_WAITING)
        continue;

      chosen = reel_comfyui_farm_choose ((ReelComfyuiServer **) job->servers->pdata,
                                         job->servers->len, unit->failed_on, now);
      if (chosen == -2 && unit->failed_on != NULL)
        chosen = reel_comfyui_farm_choose ((ReelComfyuiServer **) job->servers->pdata,
                                           job->servers->len, NULL, now);
      if (chosen == -2)
        {
          reel_comfyui_job_fail (task, job->first_error != NULL
                                         ? g_error_copy (job->first_error)
                                         : g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_NETWORK,
                                                        _("No %s server answered. Check the "
                                                          "servers in Preferences → %s."),
                                                        reel_comfyui_display_name (task),
                                                        reel_comfyui_display_name (task)));
          return;
        }
      if (chosen == -1)
        {
          /* Every server is full: look again when one of ours finishes, or a little later
           * for the others'. */
          if (job->wait_source == NULL)
            {
              job->wait_source = g_timeout_source_new (MAX (self->poll_interval_ms, 100));
              g_source_set_callback (job->wait_source, on_wait_over, g_object_ref (task),
                                     g_object_unref);
              g_source_attach (job->wait_source, g_task_get_context (task));
            }
          return;
        }

      unit_start (task, unit, g_ptr_array_index (job->servers, chosen));
    }
}

/* The depth map of the shot's camera in the scene's set, for a depth ControlNet. */
static gpointer
render_depth (gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  ReelGenerationRequest *request = data;
  g_autoptr(ReelGreyboxImage) image = reel_greybox_render_image (request, 0);
  g_autofree guint16 *depth = g_new (guint16, (gsize) image->width * image->height);

  for (int y = 0; y < image->height; y++)
    for (int x = 0; x < image->width; x++)
      depth[(gsize) y * image->width + x] = reel_greybox_image_get_depth16 (image, x, y);
  return reel_comfyui_depth_to_control_png (depth, image->width, image->height, error);
}

static void
on_depth_rendered (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GBytes *png = reel_provider_run_in_thread_finish (result, &error);
  g_autofree char *hash = NULL;
  Upload *upload;

  if (png == NULL)
    {
      reel_comfyui_return_error (task, g_steal_pointer (&error));
      return;
    }

  hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, png);
  upload = g_new0 (Upload, 1);
  upload->placeholder = "depth_image";
  upload->filename = g_strdup_printf ("storyreel-depth-%.16s.png", hash);
  upload->mime_type = "image/png";
  upload->data = png;
  g_ptr_array_add (job->uploads, upload);
  reel_comfyui_job_pump (task);
}

/* The template is read: what it takes decides what is uploaded. */
static void
template_ready (GTask *task)
{
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  job->info = reel_comfyui_template_info_new (job->template_text, &error);
  if (job->info == NULL)
    {
      reel_comfyui_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (reel_comfyui_template_info_needs_image (job->info, "input_image"))
    {
      Upload *upload;

      if (job->init_image == NULL)
        {
          reel_comfyui_return_new_error (task, REEL_AI_ERROR_CONFIG,
                                          _("The ComfyUI workflow template “%s” starts from an "
                                            "image, and this shot has none yet. Generate a "
                                            "background first."),
                                          job->template_name);
          return;
        }
      upload = g_new0 (Upload, 1);
      upload->placeholder = "input_image";
      upload->filename = g_strdup_printf ("storyreel-%.16s.%s",
                                          reel_asset_get_hash (job->init_image),
                                          reel_asset_get_extension (job->init_image));
      upload->mime_type = reel_asset_get_mime_type (job->init_image);
      upload->data = g_bytes_ref (reel_asset_get_data (job->init_image));
      g_ptr_array_add (job->uploads, upload);
    }

  if (reel_comfyui_template_info_needs_image (job->info, "depth_image"))
    {
      reel_provider_run_in_thread (render_depth, reel_generation_request_ref (job->request),
                                   (GDestroyNotify) reel_generation_request_unref,
                                   (GDestroyNotify) g_bytes_unref, g_task_get_cancellable (task),
                                   on_depth_rendered, g_object_ref (task));
      return;
    }

  reel_comfyui_job_pump (task);
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
        reel_comfyui_return_error (task, g_steal_pointer (&error));
      else
        reel_comfyui_return_new_error (task, REEL_AI_ERROR_CONFIG,
                                        _("Could not read the ComfyUI workflow template “%s” (%s). "
                                          "Choose another file in Preferences → ComfyUI."),
                                        job->template_path, error->message);
      return;
    }

  if (!g_utf8_validate (contents, length, NULL))
    {
      reel_comfyui_return_new_error (task, REEL_AI_ERROR_CONFIG,
                                      _("The ComfyUI workflow template is not in API format. In "
                                        "ComfyUI, export it with “Export (API)”, then choose that "
                                        "file in Preferences → ComfyUI."));
      return;
    }

  job->template_text = g_steal_pointer (&contents);
  template_ready (task);
}

static void
load_template (GTask *task)
{
  ReelComfyui *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  const char *path = job->video ? self->image_to_video
                     : job->init_image != NULL ? self->image_to_image : self->text_to_image;
  const char *builtin = job->video ? REEL_COMFYUI_TEMPLATE_IMAGE_TO_VIDEO
                        : job->init_image != NULL ? REEL_COMFYUI_TEMPLATE_IMAGE_TO_IMAGE
                                                  : REEL_COMFYUI_TEMPLATE_TEXT_TO_IMAGE;

  /* A bare name is one of the templates Storyreel ships (data/workflows). */
  if (path != NULL && strchr (path, '/') == NULL)
    {
      g_autofree char *resource = g_strconcat (RESOURCE_PATH, path, NULL);

      if (g_resources_get_info (resource, 0, NULL, NULL, NULL)
          || g_resource_get_info (reel_ai_workflows_get_resource (), resource, 0, NULL, NULL,
                                  NULL))
        {
          builtin = path;
          path = NULL;
        }
    }

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
      job->template_name = g_intern_string (builtin);
      job->template_text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      template_ready (task);
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
      reel_comfyui_return_error (task, g_steal_pointer (&error));
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

  if (request->kind == REEL_GENERATION_VIDEO && request->background == NULL)
    {
      reel_comfyui_return_new_error (task, REEL_AI_ERROR_CONFIG, "%s",
                                      _("A moving background with ComfyUI starts from the shot’s "
                                        "background, and this shot has none yet. Generate a "
                                        "background first."));
      return;
    }

  job = g_new0 (Job, 1);
  job->self = self;
  job->request = reel_generation_request_ref (request);
  job->progress = progress;
  job->progress_data = progress_data;
  job->servers = g_ptr_array_new ();
  for (guint i = 0; self->servers != NULL && self->servers[i] != NULL; i++)
    {
      ReelComfyuiServer *server = reel_comfyui_farm_server (self->servers[i]);

      server->slots = self->slots;
      g_ptr_array_add (job->servers, server);
    }
  job->uploads = g_ptr_array_new_with_free_func (reel_comfyui_upload_free);
  job->uploaded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_hash_table_unref);
  job->units = g_ptr_array_new_with_free_func (reel_comfyui_unit_free);
  for (guint i = 0; i < MAX (request->count, 1); i++)
    {
      Unit *unit = g_new0 (Unit, 1);

      unit->task = task;
      unit->index = i;
      unit->fraction = -1;
      /* The generator gave the request its seed; image i gets seed + i. */
      unit->seed = MAX (request->seed, 0) + i;
      unit->assets = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (job->units, unit);
    }
  job->started_us = g_get_monotonic_time ();

  /* Image to image from what the shot has: the background for an angle, the drawing for a
   * new background. Strong enough to follow the reference, loose enough to change it. */
  if (request->kind == REEL_GENERATION_VIDEO)
    {
      job->video = TRUE;
      job->init_image = g_object_ref (request->background);
      job->denoise = 1.0;
    }
  else if (request->kind == REEL_GENERATION_ANGLE && request->background != NULL)
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

  g_task_set_task_data (task, job, reel_comfyui_job_free);

  if (cancellable != NULL)
    {
      job->cancellable = g_object_ref (cancellable);
      job->cancelled_id = g_cancellable_connect (cancellable,
                                                 G_CALLBACK (reel_comfyui_on_cancelled), task,
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

/* Test connection: every server's devices (/system_stats), and whether it has the model
 * files the templates in use need (/object_info/{loader}). */

typedef struct
{
  const char *name;
  ReelComfyuiTemplateInfo *info;
} CheckedTemplate;

typedef struct
{
  GPtrArray *reports;        /* char *, one per server, in order */
  guint pending;
  GError *first_error;
  guint answered;
  GArray *templates;         /* CheckedTemplate */
  GPtrArray *classes;        /* the loaders the templates use, each once */
} Check;

static void
check_free (gpointer data)
{
  Check *check = data;

  g_ptr_array_unref (check->reports);
  g_clear_error (&check->first_error);
  for (guint i = 0; i < check->templates->len; i++)
    reel_comfyui_template_info_free (g_array_index (check->templates, CheckedTemplate, i).info);
  g_array_unref (check->templates);
  g_ptr_array_unref (check->classes);
  g_free (check);
}

typedef struct
{
  GTask *task;
  guint index;
  char *server;
  GString *text;
  JsonObject *object_info;   /* the loaders' answers put together */
  guint pending;
} CheckProbe;

static void
check_probe_finish (CheckProbe *probe)
{
  g_autoptr(GTask) task = probe->task;
  Check *check = g_task_get_task_data (task);

  g_ptr_array_index (check->reports, probe->index) = g_string_free (probe->text, FALSE);
  g_free (probe->server);
  g_clear_pointer (&probe->object_info, json_object_unref);
  g_free (probe);

  if (--check->pending > 0)
    return;

  if (check->answered == 0)
    {
      reel_comfyui_return_error (task, g_steal_pointer (&check->first_error));
    }
  else
    {
      g_ptr_array_add (check->reports, NULL);
      reel_comfyui_return_pointer (task, g_strjoinv ("\n", (char **) check->reports->pdata),
                                   g_free);
    }
}

/* Each template in use: "has every model" or which files it lacks on this server. */
static void
check_probe_models (CheckProbe *probe)
{
  Check *check = g_task_get_task_data (probe->task);

  for (guint i = 0; i < check->templates->len; i++)
    {
      CheckedTemplate *checked = &g_array_index (check->templates, CheckedTemplate, i);
      g_autoptr(GPtrArray) missing = g_ptr_array_new ();

      if (checked->info->models->len == 0)
        continue;
      for (guint j = 0; j < checked->info->models->len; j++)
        {
          ReelComfyuiModel *model = g_ptr_array_index (checked->info->models, j);

          if (!reel_comfyui_object_info_has_model (probe->object_info, model))
            g_ptr_array_add (missing, model->file);
        }

      g_string_append (probe->text, "\n    ");
      if (missing->len == 0)
        /* Translators: "txt2img.json: has every model" (a workflow template on a server) */
        g_string_append_printf (probe->text, _("%s: has every model"), checked->name);
      else
        {
          g_autofree char *list = NULL;

          g_ptr_array_add (missing, NULL);
          list = g_strjoinv (", ", (char **) missing->pdata);
          /* Translators: "depth-controlnet.json: lacks controlnet-depth.safetensors" */
          g_string_append_printf (probe->text, _("%s: lacks %s"), checked->name, list);
        }
    }
  check_probe_finish (probe);
}

static void
on_object_info (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CheckProbe *probe = user_data;
  g_autoptr(ReelHttpResponse) response = NULL;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, NULL);
  if (response != NULL && reel_http_response_is_success (response))
    {
      g_autoptr(JsonNode) root = reel_http_response_parse_json (response, NULL);
      JsonObject *answer = reel_json_node_get_object (root);
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      if (answer != NULL)
        {
          json_object_iter_init (&iter, answer);
          while (json_object_iter_next (&iter, &name, &member))
            json_object_set_member (probe->object_info, name, json_node_copy (member));
        }
    }

  if (--probe->pending == 0)
    check_probe_models (probe);
}

static ReelHttpRequest *
check_request (ReelProvider *provider,
               const char   *server,
               const char   *path)
{
  g_autofree char *url = g_strconcat (server, path, NULL);
  ReelHttpRequest *request = reel_provider_new_request (provider, "GET", url);
  g_autofree char *key = reel_keys_lookup_env ("comfyui");

  if (key != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", key, NULL);

      reel_http_request_add_secret_header (request, "Authorization", auth);
      memset (auth, 0, strlen (auth));
      memset (key, 0, strlen (key));
    }
  reel_http_request_set_idle_timeout (request, 10000);
  reel_http_request_set_max_attempts (request, 1);
  return request;
}

static void
on_stats (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  CheckProbe *probe = user_data;
  ReelProvider *provider = g_task_get_source_object (probe->task);
  Check *check = g_task_get_task_data (probe->task);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL || !reel_http_response_is_success (response))
    {
      g_string_append_printf (probe->text, _("%s: no answer"), probe->server);
      if (check->first_error == NULL)
        check->first_error = response != NULL
                               ? reel_provider_status_error (provider,
                                                             reel_http_response_get_status (
                                                               response), NULL)
                               : g_steal_pointer (&error);
      check_probe_finish (probe);
      return;
    }

  {
    g_autoptr(JsonNode) root = reel_http_response_parse_json (response, NULL);
    JsonObject *object_root = reel_json_node_get_object (root);
    const char *version = reel_json_get_string (reel_json_get_object (object_root, "system"),
                                                "comfyui_version");
    JsonArray *devices = reel_json_get_array (object_root, "devices");
    g_autoptr(GString) device_text = g_string_new (NULL);

    for (guint i = 0; devices != NULL && i < json_array_get_length (devices); i++)
      {
        JsonObject *device = reel_json_array_get_object (devices, i);
        const char *name = reel_json_get_string (device, "name");
        gint64 vram = reel_json_get_int (device, "vram_total", 0);

        if (device_text->len > 0)
          g_string_append (device_text, ", ");
        g_string_append (device_text, name != NULL ? name : "?");
        if (vram > 0)
          {
            g_autofree char *size = g_format_size_full ((guint64) vram,
                                                        G_FORMAT_SIZE_IEC_UNITS);

            g_string_append_printf (device_text, " (%s)", size);
          }
      }

    check->answered++;
    /* Translators: "http://gpu1:8188: ComfyUI 0.3.40 on cuda:0 RTX 4090" */
    g_string_append_printf (probe->text, _("%s: ComfyUI %s on %s"), probe->server,
                            version != NULL ? version : "?",
                            device_text->len > 0 ? device_text->str : "?");
  }

  if (check->classes->len == 0)
    {
      check_probe_finish (probe);
      return;
    }

  probe->object_info = json_object_new ();
  probe->pending = check->classes->len;
  for (guint i = 0; i < check->classes->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("/object_info/%s",
                                               (char *) g_ptr_array_index (check->classes, i));
      g_autoptr(ReelHttpRequest) request = check_request (provider, probe->server, path);

      reel_http_client_send_async (reel_provider_get_http_client (provider), request,
                                   g_task_get_cancellable (probe->task), on_object_info, probe);
    }
}

/* The text of a template setting: a file, a built-in name, or the built-in default. */
static char *
template_text_for (const char  *setting,
                   const char  *builtin,
                   const char **name)
{
  g_autofree char *resource = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *text = NULL;

  if (setting != NULL && strchr (setting, '/') != NULL)
    {
      *name = g_intern_string (setting);
      return g_file_get_contents (setting, &text, NULL, NULL) ? text : NULL;
    }

  *name = g_intern_string (setting != NULL ? setting : builtin);
  resource = g_strconcat (RESOURCE_PATH, *name, NULL);
  bytes = g_resource_lookup_data (reel_ai_workflows_get_resource (), resource, 0, NULL);
  return bytes != NULL ? g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes))
                       : NULL;
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
  /* Every template in use, the clips' too: a server without the video models fails a
   * moving background only once someone asks for one. */
  const char *settings[] = { self->text_to_image, self->image_to_image, self->image_to_video };
  const char *builtins[] = { REEL_COMFYUI_TEMPLATE_TEXT_TO_IMAGE,
                             REEL_COMFYUI_TEMPLATE_IMAGE_TO_IMAGE,
                             REEL_COMFYUI_TEMPLATE_IMAGE_TO_VIDEO };

  g_task_set_source_tag (task, reel_comfyui_check_async);
  check->reports = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_set_size (check->reports, n_servers);
  check->templates = g_array_new (FALSE, TRUE, sizeof (CheckedTemplate));
  check->classes = g_ptr_array_new ();
  check->pending = n_servers;
  g_task_set_task_data (task, check, check_free);

  if (n_servers == 0)
    {
      reel_comfyui_return_new_error (task, REEL_AI_ERROR_CONFIG,
                                      _("No %s server is set. Add one in Preferences → %s."),
                                      reel_provider_get_display_name (provider),
                                      reel_provider_get_display_name (provider));
      return;
    }

  /* The templates are small files: read here, they are what the answer is about. */
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      CheckedTemplate checked = { NULL, NULL };
      g_autofree char *text = template_text_for (settings[i], builtins[i], &checked.name);

      checked.info = text != NULL ? reel_comfyui_template_info_new (text, NULL) : NULL;
      if (checked.info == NULL)
        continue;
      for (guint j = 0; j < checked.info->models->len; j++)
        {
          ReelComfyuiModel *model = g_ptr_array_index (checked.info->models, j);

          if (!g_ptr_array_find_with_equal_func (check->classes, model->class_type,
                                                 g_str_equal, NULL))
            g_ptr_array_add (check->classes, (gpointer) g_intern_string (model->class_type));
        }
      g_array_append_val (check->templates, checked);
    }

  for (guint i = 0; i < n_servers; i++)
    {
      g_autoptr(ReelHttpRequest) request = check_request (provider, self->servers[i],
                                                          "/system_stats");
      CheckProbe *probe = g_new0 (CheckProbe, 1);

      probe->task = g_object_ref (task);
      probe->index = i;
      probe->server = g_strdup (self->servers[i]);
      probe->text = g_string_new (NULL);
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
  if (g_settings_schema_has_key (schema, "comfyui-video-workflow"))
    {
      g_autofree char *image_to_video = g_settings_get_string (settings,
                                                               "comfyui-video-workflow");

      reel_comfyui_set_video_workflow (self, image_to_video);
    }
  if (g_settings_schema_has_key (schema, "comfyui-slots"))
    reel_comfyui_set_slots (self, g_settings_get_uint (settings, "comfyui-slots"));
}

static void
reel_comfyui_finalize (GObject *object)
{
  ReelComfyui *self = REEL_COMFYUI (object);

  g_strfreev (self->servers);
  g_free (self->text_to_image);
  g_free (self->image_to_image);
  g_free (self->image_to_video);

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
  /* Clips with the image-to-video template (Wan 2.2 unless another is chosen). */
  provider_class->capabilities = REEL_GENERATOR_TEXT_TO_IMAGE | REEL_GENERATOR_EDIT
                                 | REEL_GENERATOR_VIDEO;
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
  self->vanish_timeout_ms = 60000;
  self->slots = 1;
}
