/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-generator"

#include "config.h"

#include <glib/gi18n.h>

#include "core/reel-edit.h"
#include "reel-generator.h"

const char *
reel_generation_kind_to_string (ReelGenerationKind kind)
{
  switch (kind)
    {
    case REEL_GENERATION_ANGLE:
      return REEL_GENERATION_KIND_ANGLE;
    case REEL_GENERATION_VIDEO:
      return REEL_GENERATION_KIND_VIDEO;
    case REEL_GENERATION_BACKGROUND:
    default:
      return REEL_GENERATION_KIND_BACKGROUND;
    }
}

G_DEFINE_BOXED_TYPE (ReelGenerationRequest, reel_generation_request,
                     reel_generation_request_ref, reel_generation_request_unref)

/**
 * reel_generation_request_new:
 *
 * Returns: (transfer full): a request for one 16:9 background at 1344×768, no seed,
 *   an eye-level camera 1.6 m high with a 35 mm lens on Super 35, interior
 */
ReelGenerationRequest *
reel_generation_request_new (void)
{
  ReelGenerationRequest *self = g_new0 (ReelGenerationRequest, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->kind = REEL_GENERATION_BACKGROUND;
  self->aspect_ratio = 16.0 / 9.0;
  self->width = 1344;
  self->height = 768;
  self->count = 1;
  self->seed = -1;
  self->camera_height_m = REEL_CAMERA_DEFAULT_HEIGHT_M;
  self->lens_mm = REEL_CAMERA_DEFAULT_LENS_MM;
  self->sensor_width_mm = 24.89;
  self->int_ext = REEL_INT_EXT_INT;
  return self;
}

ReelGenerationRequest *
reel_generation_request_ref (ReelGenerationRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
reel_generation_request_unref (ReelGenerationRequest *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->angle_id);
  g_free (self->prompt);
  g_free (self->negative_prompt);
  g_clear_object (&self->sketch);
  g_clear_object (&self->background);
  g_clear_object (&self->look);
  g_clear_object (&self->structure);
  g_clear_object (&self->last_frame);
  g_clear_object (&self->establishing);
  g_free (self->time_of_day);
  g_free (self->location);
  g_clear_pointer (&self->set, reel_set_free);
  g_clear_pointer (&self->camera, reel_shot_camera_free);
  g_free (self);
}

/**
 * reel_generation_request_copy:
 *
 * Returns: (transfer full): a new request with the same values, free to change
 */
ReelGenerationRequest *
reel_generation_request_copy (const ReelGenerationRequest *self)
{
  ReelGenerationRequest *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (ReelGenerationRequest, 1);
  *copy = *self;
  g_atomic_ref_count_init (&copy->ref_count);
  copy->angle_id = g_strdup (self->angle_id);
  copy->prompt = g_strdup (self->prompt);
  copy->negative_prompt = g_strdup (self->negative_prompt);
  copy->sketch = self->sketch != NULL ? g_object_ref (self->sketch) : NULL;
  copy->background = self->background != NULL ? g_object_ref (self->background) : NULL;
  copy->look = self->look != NULL ? g_object_ref (self->look) : NULL;
  copy->structure = self->structure != NULL ? g_object_ref (self->structure) : NULL;
  copy->last_frame = self->last_frame != NULL ? g_object_ref (self->last_frame) : NULL;
  copy->establishing = self->establishing != NULL ? g_object_ref (self->establishing) : NULL;
  copy->time_of_day = g_strdup (self->time_of_day);
  copy->location = g_strdup (self->location);
  copy->set = self->set != NULL ? reel_set_copy (self->set) : NULL;
  copy->camera = self->camera != NULL ? reel_shot_camera_copy (self->camera) : NULL;
  return copy;
}

/**
 * reel_generation_request_choose_seed:
 *
 * Gives a request without a seed a random one, with room above it for its images'
 * consecutive seeds, small enough for every provider (31 bits: JSON numbers, Wan's range).
 */
void
reel_generation_request_choose_seed (ReelGenerationRequest *self)
{
  g_return_if_fail (self != NULL);

  if (self->seed < 0)
    self->seed = g_random_int_range (0, G_MAXINT32 - 4096);
}

GPtrArray *
reel_generation_request_list_references (ReelGenerationRequest *self)
{
  GPtrArray *references = g_ptr_array_new ();

  g_return_val_if_fail (self != NULL, references);

  if (self->sketch != NULL)
    g_ptr_array_add (references, self->sketch);
  if (self->background != NULL && !reel_asset_is_video (self->background))
    g_ptr_array_add (references, self->background);
  if (self->establishing != NULL && !reel_asset_is_video (self->establishing))
    g_ptr_array_add (references, self->establishing);
  if (self->look != NULL && !reel_asset_is_video (self->look))
    g_ptr_array_add (references, self->look);
  if (self->structure != NULL)
    g_ptr_array_add (references, self->structure);
  return references;
}

G_DEFINE_INTERFACE (ReelGenerator, reel_generator, G_TYPE_OBJECT)

static void
reel_generator_default_init (ReelGeneratorInterface *iface)
{
}

const char *
reel_generator_get_id (ReelGenerator *self)
{
  g_return_val_if_fail (REEL_IS_GENERATOR (self), NULL);
  return REEL_GENERATOR_GET_IFACE (self)->get_id (self);
}

const char *
reel_generator_get_display_name (ReelGenerator *self)
{
  g_return_val_if_fail (REEL_IS_GENERATOR (self), NULL);
  return REEL_GENERATOR_GET_IFACE (self)->get_display_name (self);
}

ReelGeneratorCapabilities
reel_generator_get_capabilities (ReelGenerator *self)
{
  g_return_val_if_fail (REEL_IS_GENERATOR (self), 0);
  return REEL_GENERATOR_GET_IFACE (self)->get_capabilities (self);
}

/**
 * reel_generator_generate_async:
 * @request: what to make; not changed by the generator
 * @progress: (nullable) (scope notified): progress reports, in the caller's main context
 * @progress_data: data for @progress, valid until @callback runs
 *
 * Makes @request->count images (or one clip for %REEL_GENERATION_VIDEO).
 */
void
reel_generator_generate_async (ReelGenerator              *self,
                               ReelGenerationRequest      *request,
                               ReelGenerationProgressFunc  progress,
                               gpointer                    progress_data,
                               GCancellable               *cancellable,
                               GAsyncReadyCallback         callback,
                               gpointer                    user_data)
{
  g_autoptr(ReelGenerationRequest) seeded = NULL;

  g_return_if_fail (REEL_IS_GENERATOR (self));
  g_return_if_fail (request != NULL);

  /* The one seed rule: a request without a seed gets one here, so that its N images get
   * s … s + N − 1 whoever asked (the panel, the batch dialog, the command line). */
  if (request->seed < 0)
    {
      seeded = reel_generation_request_copy (request);
      reel_generation_request_choose_seed (seeded);
      request = seeded;
    }

  REEL_GENERATOR_GET_IFACE (self)->generate_async (self, request, progress, progress_data,
                                                   cancellable, callback, user_data);
}

/**
 * reel_generator_generate_finish:
 *
 * Returns: (transfer container) (element-type ReelAsset): the new assets, each with its
 *   generation record, or %NULL with @error in %REEL_AI_ERROR (or cancelled)
 */
GPtrArray *
reel_generator_generate_finish (ReelGenerator  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (REEL_IS_GENERATOR (self), NULL);
  return REEL_GENERATOR_GET_IFACE (self)->generate_finish (self, result, error);
}

/**
 * reel_generator_check_async:
 *
 * "Test connection": reaches the service with the current settings and key without
 * generating anything billable.
 */
void
reel_generator_check_async (ReelGenerator       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (REEL_IS_GENERATOR (self));
  REEL_GENERATOR_GET_IFACE (self)->check_async (self, cancellable, callback, user_data);
}

/**
 * reel_generator_check_finish:
 *
 * Returns: (transfer full): a translated sentence about what answered, or %NULL with @error
 */
char *
reel_generator_check_finish (ReelGenerator  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (REEL_IS_GENERATOR (self), NULL);
  return REEL_GENERATOR_GET_IFACE (self)->check_finish (self, result, error);
}

/**
 * reel_generation_keep:
 * @assets: (element-type ReelAsset): what a generator made for @shot
 *
 * Returns: how many variants @shot gained
 */
guint
reel_generation_keep (ReelProject *project,
                      ReelShot    *shot,
                      GPtrArray   *assets)
{
  ReelHistory *history;
  const char *first = NULL;
  guint added = 0;

  g_return_val_if_fail (REEL_IS_PROJECT (project), 0);
  g_return_val_if_fail (REEL_IS_SHOT (shot), 0);
  g_return_val_if_fail (assets != NULL, 0);

  if (assets->len == 0)
    return 0;

  history = reel_project_get_history (project);
  reel_history_begin_detached (history, g_dngettext (GETTEXT_PACKAGE, "Generate Background",
                                                     "Generate Backgrounds", assets->len));
  for (guint i = 0; i < assets->len; i++)
    {
      ReelAsset *asset = g_ptr_array_index (assets, i);
      ReelAsset *stored;

      reel_edit_add_generation (project, shot, asset);
      /* The same bytes twice (a service that answered twice alike) are one variant. */
      if (reel_edit_add_variant (project, shot, asset))
        added++;
      stored = reel_project_lookup_asset (project, reel_asset_get_hash (asset));
      if (first == NULL && stored != NULL)
        first = reel_asset_get_hash (stored);
    }
  if (reel_shot_get_background (shot) == NULL && first != NULL)
    reel_edit_set_background (project, shot, first);
  reel_history_end_detached (history);

  return added;
}
