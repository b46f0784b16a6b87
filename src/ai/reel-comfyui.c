/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-comfyui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reel-ai-error.h"
#include "reel-greybox.h"
#include "reel-keys.h"
#include "reel-comfyui-private.h"

/* ComfyUI, the studio's own GPU servers. Of the servers listed, the one with the shortest
 * queue (GET /queue) gets the work. A workflow template in API format is filled in (prompt,
 * seed, size, the uploaded reference), queued with POST /prompt, then GET /history/{id} is
 * polled until it has outputs, which GET /view fetches. While it renders, the server's /ws
 * tells the steps, the running node and preview images (reel-comfyui-watch.c); with /ws the
 * polling slows down and the end of the prompt wakes it. Cancelling removes our prompts.
 * The parts of a job live beside this file, by concern (reel-comfyui-private.h). */

#define DEFAULT_SERVER "http://127.0.0.1:8188"
#define DEFAULT_POLL_MS 500

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

void
reel_comfyui_set_poll_interval (ReelComfyui *self,
                                guint        milliseconds)
{
  g_return_if_fail (REEL_IS_COMFYUI (self));
  self->poll_interval_ms = MAX (milliseconds, 10);
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

/* The images the template takes are at hand: the depth map is drawn, then the job starts. */
static void
uploads_ready (GTask *task)
{
  Job *job = g_task_get_task_data (task);

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

/* The bytes of the image the template starts from, read for this job only: uploaded to each
 * server that runs one of its units, then let go with the job. */
static void
on_init_image_read (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GPtrArray) data = NULL;
  g_autoptr(GError) error = NULL;
  Upload *upload;

  data = reel_provider_read_assets_finish (result, &error);
  if (data == NULL)
    {
      reel_comfyui_return_error (task, g_steal_pointer (&error));
      return;
    }

  upload = g_new0 (Upload, 1);
  upload->placeholder = "input_image";
  upload->filename = g_strdup_printf ("storyreel-%.16s.%s",
                                      reel_asset_get_hash (job->init_image),
                                      reel_asset_get_extension (job->init_image));
  upload->mime_type = reel_asset_get_mime_type (job->init_image);
  upload->data = g_bytes_ref (g_ptr_array_index (data, 0));
  g_ptr_array_add (job->uploads, upload);
  uploads_ready (task);
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
      g_autoptr(GPtrArray) assets = g_ptr_array_new_with_free_func (g_object_unref);

      if (job->init_image == NULL)
        {
          reel_comfyui_return_new_error (task, REEL_AI_ERROR_CONFIG,
                                          _("The ComfyUI workflow template “%s” starts from an "
                                            "image, and this shot has none yet. Generate a "
                                            "background first."),
                                          job->template_name);
          return;
        }
      g_ptr_array_add (assets, g_object_ref (job->init_image));
      reel_provider_read_assets_async (assets, g_task_get_cancellable (task),
                                       on_init_image_read, g_object_ref (task));
      return;
    }

  uploads_ready (task);
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
