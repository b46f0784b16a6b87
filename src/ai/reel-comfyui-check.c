/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-comfyui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reel-keys.h"
#include "reel-comfyui-private.h"

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

void
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

char *
reel_comfyui_check_finish (ReelProvider  *provider,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
