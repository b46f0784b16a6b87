/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-comfyui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reel-ai-error.h"
#include "reel-comfyui-private.h"

/* A unit's prompt: queued with POST /prompt, followed on /history on the shared poll wait
 * (and on /queue, for a prompt a restarted server forgot), its outputs fetched with /view. */

/* Outputs --------------------------------------------------------------------------------- */

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
  ReelGenerationRecord *record;
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

  record = reel_provider_new_record (provider, job->request, server_url, unit->seed,
                                     parameters, job->started_us);
  /* The workflow is the "model" of a ComfyUI image. */
  g_clear_pointer (&record->model, g_free);
  record->model = g_strdup (job->template_name);

  decoding = g_new0 (Decoding, 1);
  decoding->task = g_object_ref (task);
  decoding->unit = unit;
  reel_provider_image_asset_async (reel_comfyui_display_name (task),
                                   reel_http_response_get_body (response), record,
                                   g_task_get_cancellable (task), on_image_decoded, decoding);
  reel_generation_record_unref (record);
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
gboolean
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

void
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
