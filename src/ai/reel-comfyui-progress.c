/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-comfyui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reel-comfyui-private.h"

/* What /ws tells of a unit's prompt (reel-comfyui-watch.c): the steps, the running node,
 * the previews, and its end, which wakes the unit's poll. */

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
void
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
