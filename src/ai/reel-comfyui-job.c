/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-comfyui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reel-ai-error.h"
#include "reel-keys.h"
#include "reel-comfyui-private.h"

/* A ComfyUI job and its units: the task ended once, the requests a unit sends, and what a
 * server that fails does to the unit that was on it. */

/* A job's task may be finished from several places at once (outputs fetched side by side,
 * a cancellation between two steps): the first one wins, the others are ignored. GTask's own
 * g_task_had_error() will not do, as it counts a cancelled cancellable as an error. */
gboolean
reel_comfyui_task_returned (GTask *task)
{
  return g_object_get_data (G_OBJECT (task), "storyreel-returned") != NULL;
}

void
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

void
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

gboolean
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

void
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

void
reel_comfyui_upload_free (gpointer data)
{
  Upload *upload = data;

  g_free (upload->filename);
  g_bytes_unref (upload->data);
  g_free (upload);
}

void
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
void
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

void
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
  reel_provider_poll_clear (&job->wait);
  if (job->cancel_source != NULL)
    g_source_destroy (job->cancel_source);
  g_clear_pointer (&job->cancel_source, g_source_unref);
  g_free (job);
}

const char *
reel_comfyui_display_name (GTask *task)
{
  return reel_provider_get_display_name (REEL_PROVIDER (g_task_get_source_object (task)));
}

/* The server as the user tells it apart: its host, and its port when the address has one
 * (several GPUs of one machine are often one ComfyUI per port). */
char *
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

void
reel_comfyui_report (Job        *job,
                     double      fraction,
                     const char *status)
{
  if (job->progress != NULL)
    job->progress (fraction, status, job->progress_data);
}

ReelHttpRequest *
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

ReelHttpRequest *
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

/* Ending the job -------------------------------------------------------------------------- */

void
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

void
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

void
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
