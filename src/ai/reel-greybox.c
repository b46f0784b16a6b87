/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-greybox"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "core/reel-greybox-render.h"
#include "core/reel-optics.h"
#include "reel-ai-error.h"
#include "reel-greybox.h"
#include "reel-prompt.h"

/* The built-in provider: the shot camera's view of the scene's set, drawn by the core
 * gray-box renderer (reel-greybox-render.h). A scene without a set gets a generic one
 * chosen by its location, so every shot of a scene shows the same place; a shot without
 * a camera stands at the front of that place at its own height, tilt, roll and lens. The
 * seed turns the sun: variants differ in light, never in layout. Works offline and in a
 * few milliseconds. */

struct _ReelGreybox
{
  ReelProvider parent_instance;
};

G_DEFINE_FINAL_TYPE (ReelGreybox, reel_greybox, REEL_TYPE_PROVIDER)

static void
pose_for_request (ReelGenerationRequest *request,
                  const ReelSet         *set,
                  ReelCameraPose        *pose)
{
  if (request->camera != NULL)
    {
      *pose = request->camera->start;
      /* An angle variant of a placed camera: the variant's height, tilt and roll. */
      if (request->kind == REEL_GENERATION_ANGLE)
        {
          pose->height = request->camera_height_m;
          pose->tilt = request->tilt_deg;
          pose->roll = request->roll_deg;
        }
      return;
    }

  /* No camera: at the front of the floor, looking across it. */
  pose->x = 0;
  pose->z = set->exterior ? 8 : MAX (set->floor_depth / 2 - 0.4, 0.5);
  pose->height = request->camera_height_m;
  pose->pan = 0;
  pose->tilt = request->tilt_deg;
  pose->roll = request->roll_deg;
  pose->lens_mm = request->lens_mm > 0 ? request->lens_mm : REEL_CAMERA_DEFAULT_LENS_MM;
}

/**
 * reel_greybox_render_image:
 * @request: the camera, the scene and the pixel size
 * @seed: turns the sun
 *
 * Thread-safe.
 *
 * Returns: (transfer full): the image, depth map and faces
 */
ReelGreyboxImage *
reel_greybox_render_image (ReelGenerationRequest *request,
                           guint32                seed)
{
  g_autoptr(ReelSet) generic = NULL;
  const ReelSet *set = request->set;
  g_autoptr(ReelSetMesh) mesh = NULL;
  ReelGreyboxOptions options = { 0 };
  ReelCameraPose pose;

  if (set == NULL)
    set = generic = reel_set_new_generic (request->int_ext != REEL_INT_EXT_INT,
                                          request->location);

  pose_for_request (request, set, &pose);
  pose.tilt = CLAMP (pose.tilt, -89, 89);
  pose.height = MAX (pose.height, 0.05);

  options.time_of_day = reel_prompt_normalize_time_of_day (request->time_of_day);
  options.sensor_width_mm = request->sensor_width_mm > 0 ? request->sensor_width_mm : 24.89;
  /* Twelve suns round the horizon: whichever way the camera looks, some of them light what
   * it sees, so variants of one shot differ. */
  options.sun_turn_deg = (double) (seed % 12) * 30 - 180;

  /* A background plate has nobody in it: the marks stay on the plan. */
  mesh = reel_set_mesh_new (set, FALSE);
  return reel_greybox_render (mesh, &pose, CLAMP (request->width, 16, 8192),
                              CLAMP (request->height, 16, 8192), &options);
}

/**
 * reel_greybox_render_png:
 * @request: the camera, the scene and the pixel size
 * @seed: turns the sun
 *
 * Thread-safe.
 *
 * Returns: (transfer full): the PNG
 */
GBytes *
reel_greybox_render_png (ReelGenerationRequest *request,
                         guint32                seed)
{
  g_autoptr(ReelGreyboxImage) image = reel_greybox_render_image (request, seed);
  g_autoptr(GError) error = NULL;
  GBytes *png = reel_greybox_image_to_png (image, &error);

  if (png == NULL)
    g_critical ("%s", error->message);
  return png;
}

typedef struct
{
  ReelGreybox *self;
  ReelGenerationRequest *request;
  gint64 started_us;
} RenderJob;

static void
render_job_free (gpointer data)
{
  RenderJob *job = data;

  g_clear_object (&job->self);
  g_clear_pointer (&job->request, reel_generation_request_unref);
  g_free (job);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenderJob *job = task_data;
  ReelGenerationRequest *request = job->request;
  g_autoptr(GPtrArray) assets = g_ptr_array_new_with_free_func (g_object_unref);
  guint32 seed = request->seed >= 0 ? (guint32) request->seed : g_random_int ();
  g_autoptr(GPtrArray) pngs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < MAX (request->count, 1); i++, seed++)
    {
      g_autoptr(GBytes) png = NULL;
      g_autoptr(JsonObject) parameters = json_object_new ();
      g_autoptr(ReelGenerationRecord) record = NULL;
      g_autoptr(GError) error = NULL;
      ReelAsset *asset;

      if (g_task_return_error_if_cancelled (task))
        return;

      /* A sun that lights nothing the camera sees gives the picture of another seed: try the
       * next suns, so that every variant asked for is a different picture. */
      for (guint tries = 0; tries < 12; tries++, seed++)
        {
          g_clear_pointer (&png, g_bytes_unref);
          png = reel_greybox_render_png (request, seed);
          if (png == NULL || !g_ptr_array_find_with_equal_func (pngs, png, g_bytes_equal, NULL))
            break;
        }
      if (png == NULL)
        {
          g_task_return_new_error (task, REEL_AI_ERROR, REEL_AI_ERROR_FAILED, "%s",
                                   _("Gray-box could not encode its image."));
          return;
        }
      g_ptr_array_add (pngs, g_bytes_ref (png));
      json_object_set_double_member (parameters, "tilt_deg", request->tilt_deg);
      json_object_set_double_member (parameters, "roll_deg", request->roll_deg);
      json_object_set_double_member (parameters, "camera_height_m", request->camera_height_m);
      json_object_set_double_member (parameters, "lens_mm", request->lens_mm);
      json_object_set_double_member (parameters, "sensor_width_mm", request->sensor_width_mm);
      json_object_set_string_member (parameters, "int_ext",
                                     reel_int_ext_to_id (request->int_ext));
      if (request->time_of_day != NULL)
        json_object_set_string_member (parameters, "time_of_day", request->time_of_day);
      json_object_set_int_member (parameters, "width", request->width);
      json_object_set_int_member (parameters, "height", request->height);
      json_object_set_boolean_member (parameters, "scene_set", request->set != NULL);
      if (request->camera != NULL)
        {
          json_object_set_double_member (parameters, "camera_x", request->camera->start.x);
          json_object_set_double_member (parameters, "camera_z", request->camera->start.z);
          json_object_set_double_member (parameters, "camera_pan", request->camera->start.pan);
        }

      record = reel_provider_new_record (REEL_PROVIDER (job->self), request, NULL, seed,
                                         parameters, job->started_us);
      asset = reel_asset_new_generated (png, record, &error);
      if (asset == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_ptr_array_add (assets, asset);
    }

  g_task_return_pointer (task, g_steal_pointer (&assets), (GDestroyNotify) g_ptr_array_unref);
}

static void
reel_greybox_generate_async (ReelProvider               *provider,
                             ReelGenerationRequest      *request,
                             ReelGenerationProgressFunc  progress,
                             gpointer                    progress_data,
                             GCancellable               *cancellable,
                             GAsyncReadyCallback         callback,
                             gpointer                    user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  RenderJob *job = g_new0 (RenderJob, 1);

  g_task_set_source_tag (task, reel_greybox_generate_async);

  if (request->kind == REEL_GENERATION_VIDEO)
    {
      render_job_free (job);
      g_task_return_new_error (task, REEL_AI_ERROR, REEL_AI_ERROR_NOT_SUPPORTED, "%s",
                               _("Gray-box draws still images only. Choose Google Veo for a "
                                 "moving background."));
      return;
    }

  job->self = g_object_ref (REEL_GREYBOX (provider));
  job->request = reel_generation_request_ref (request);
  job->started_us = g_get_monotonic_time ();
  g_task_set_task_data (task, job, render_job_free);

  if (progress != NULL)
    progress (-1, _("Drawing"), progress_data);

  g_task_run_in_thread (task, render_thread);
}

static GPtrArray *
reel_greybox_generate_finish (ReelProvider  *provider,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
reel_greybox_check_async (ReelProvider        *provider,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);

  g_task_set_source_tag (task, reel_greybox_check_async);
  g_task_return_pointer (task, g_strdup (_("Gray-box is built in: it needs no connection "
                                           "and no key.")), g_free);
}

static char *
reel_greybox_check_finish (ReelProvider  *provider,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
reel_greybox_class_init (ReelGreyboxClass *klass)
{
  ReelProviderClass *provider_class = REEL_PROVIDER_CLASS (klass);

  provider_class->id = "greybox";
  provider_class->display_name = N_("Gray-box");
  provider_class->capabilities = REEL_GENERATOR_TEXT_TO_IMAGE | REEL_GENERATOR_EDIT
                                 | REEL_GENERATOR_OFFLINE;
  provider_class->default_model = "greybox-1";
  provider_class->generate_async = reel_greybox_generate_async;
  provider_class->generate_finish = reel_greybox_generate_finish;
  provider_class->check_async = reel_greybox_check_async;
  provider_class->check_finish = reel_greybox_check_finish;
}

static void
reel_greybox_init (ReelGreybox *self)
{
}
