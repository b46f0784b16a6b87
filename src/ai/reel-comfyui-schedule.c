/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-comfyui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reel-ai-error.h"
#include "reel-comfyui-private.h"

/* The farm scheduler: each image of a job goes to the server with the most free capacity
 * (the table of reel-comfyui-farm.c), whose queue is read again when what is known is old. */

/* What a /queue answer says of @server: the prompt ids in it, and how many are others'. */
void
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

static void
on_wait_over (GTask    *task,
              gpointer  data)
{
  reel_comfyui_job_pump (task);
}

/* Cancelled while every server was full: the job ends now, not when one frees up. */
static void
on_wait_cancelled (GTask    *task,
                   gpointer  data)
{
  reel_comfyui_return_if_cancelled (task);
}

static gboolean
job_has_active_units (Job *job)
{
  for (guint i = 0; i < job->units->len; i++)
    if (((Unit *) g_ptr_array_index (job->units, i))->state == UNIT_ACTIVE)
      return TRUE;
  return FALSE;
}

/* Places the waiting units on the servers with free capacity, looking at their queues
 * first when what is known of them is old. Called whenever something changed. */
void
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
           * for the others', on the wait the polls share. */
          if (!reel_provider_poll_is_pending (&job->wait))
            {
              if (job->done == 0 && !job_has_active_units (job))
                reel_comfyui_report (job, job->units->len > 1 ? 0 : -1,
                                     _("Every server is busy; waiting for one to be free"));
              reel_provider_poll_schedule (&job->wait, task, MAX (self->poll_interval_ms, 100),
                                           0, on_wait_over, on_wait_cancelled, NULL);
            }
          return;
        }

      unit_start (task, unit, g_ptr_array_index (job->servers, chosen));
    }
}
