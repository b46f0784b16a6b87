/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-comfyui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reel-ai-error.h"
#include "reel-comfyui-private.h"

/* The images a template takes (a reference, a depth map), uploaded once to each server that
 * runs one of the job's units. */

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
void
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
