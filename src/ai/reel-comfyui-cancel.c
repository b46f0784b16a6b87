/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-comfyui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reel-comfyui-private.h"

/* Cancelling our own prompts, and only ours: /api/jobs/{id}/cancel where the server has it,
 * else a /queue delete for a waiting prompt or an /interrupt naming a running one. */

/* Cancellations on their way to servers, which a program about to exit waits for. */
static guint cancels_pending;

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

void
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
void
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
