/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/reel-asset.h"
#include "core/reel-camera.h"
#include "core/reel-project.h"
#include "core/reel-set.h"
#include "core/reel-shot-camera.h"

G_BEGIN_DECLS

/**
 * ReelGenerationKind:
 * @REEL_GENERATION_BACKGROUND: background plates for the shot as it is
 * @REEL_GENERATION_ANGLE: the same set seen from another camera angle
 * @REEL_GENERATION_VIDEO: a moving background clip
 */
typedef enum
{
  REEL_GENERATION_BACKGROUND,
  REEL_GENERATION_ANGLE,
  REEL_GENERATION_VIDEO,
} ReelGenerationKind;

/* The record's "kind" string for @kind (REEL_GENERATION_KIND_*). */
const char *reel_generation_kind_to_string (ReelGenerationKind kind);

/**
 * ReelGenerationPreviewFunc:
 * @index: which of the request's images (0 to count - 1)
 * @image: a preview of that image while it renders (JPEG or PNG bytes)
 * @user_data: the request's @preview_data
 *
 * Called on the main context of the generation.
 */
typedef void (*ReelGenerationPreviewFunc) (guint     index,
                                           GBytes   *image,
                                           gpointer  user_data);

/**
 * ReelGenerationRequest:
 * @kind: what to make
 * @angle_id: for %REEL_GENERATION_ANGLE, the angle variant id (reel-prompt.h)
 * @prompt: the prompt as the user last saw and edited it
 * @negative_prompt: (nullable): what to avoid, for providers that take it
 * @aspect_ratio: width / height of the project frame
 * @width: pixel width asked for
 * @height: pixel height asked for
 * @count: how many images (variants) to make
 * @seed: the seed of the first image (image i gets @seed + i), or -1 for a random one
 * @sketch: (nullable): the shot's panel (sketch over background) as PNG
 * @background: (nullable): the shot's current background
 * @look: (nullable): the project's look reference image
 * @structure: (nullable): the set seen from the shot's camera as gray-box line art, a
 *   reference for the layout; providers whose service takes references draw it
 *   (reel_provider_render_structure()) and say so in words
 *   (reel_provider_prompt_for_references())
 * @last_frame: (nullable): for a clip, the image it should end on (the next shot's
 *   background); without one a provider may draw the camera's end position
 * @establishing: (nullable): the chosen background of the scene's establishing shot, for a
 *   camera angle of that place or a shot new to it (reel_scene_get_look_background())
 * @tilt_deg: camera tilt, positive looks up
 * @roll_deg: camera roll (dutch)
 * @camera_height_m: camera height above the ground or floor
 * @lens_mm: focal length
 * @sensor_width_mm: sensor width, for the field of view
 * @int_ext: interior or exterior
 * @time_of_day: (nullable): "DAWN", "DAY", "DUSK", "NIGHT" … as the heading says
 * @location: (nullable): the scene's location
 * @set: (nullable): the scene's set, for the gray-box and structure references
 * @camera: (nullable): the shot's camera in @set
 * @preview: (nullable): receives the previews of providers that send them while an image
 *   renders (ComfyUI); a copy of the request shares it
 * @preview_data: for @preview; the caller keeps it alive until the generation finishes
 *
 * What a provider needs for one generation. A reference-counted value: fill it after
 * reel_generation_request_new(), then treat it as read-only once handed to a generator.
 */
typedef struct
{
  ReelGenerationKind kind;
  char *angle_id;
  char *prompt;
  char *negative_prompt;
  double aspect_ratio;
  int width;
  int height;
  guint count;
  gint64 seed;
  ReelAsset *sketch;
  ReelAsset *background;
  ReelAsset *look;
  ReelAsset *structure;
  ReelAsset *last_frame;

  double tilt_deg;
  double roll_deg;
  double camera_height_m;
  double lens_mm;
  double sensor_width_mm;
  ReelIntExt int_ext;
  char *time_of_day;
  char *location;
  ReelSet *set;
  ReelShotCamera *camera;
  ReelGenerationPreviewFunc preview;
  gpointer preview_data;
  ReelAsset *establishing;

  /*< private >*/
  gatomicrefcount ref_count;
} ReelGenerationRequest;

#define REEL_TYPE_GENERATION_REQUEST (reel_generation_request_get_type ())

GType                  reel_generation_request_get_type (void) G_GNUC_CONST;
ReelGenerationRequest *reel_generation_request_new      (void);
ReelGenerationRequest *reel_generation_request_ref      (ReelGenerationRequest *self);
void                   reel_generation_request_unref    (ReelGenerationRequest *self);
ReelGenerationRequest *reel_generation_request_copy     (const ReelGenerationRequest *self);
/* A random seed for a request that has none (seed < 0). The images of a request get
 * consecutive seeds from it: reel_generator_generate_async() chooses one when the caller
 * did not. */
void                   reel_generation_request_choose_seed (ReelGenerationRequest *self);
/* The reference images in the order providers send them: sketch, background, the
 * establishing shot's background, look (those that are set). Transfer container. */
GPtrArray             *reel_generation_request_list_references (ReelGenerationRequest *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelGenerationRequest, reel_generation_request_unref)

/**
 * ReelGeneratorCapabilities:
 * @REEL_GENERATOR_TEXT_TO_IMAGE: makes images from a prompt
 * @REEL_GENERATOR_EDIT: takes reference images (camera angles of the same set)
 * @REEL_GENERATOR_VIDEO: makes video clips
 * @REEL_GENERATOR_NEEDS_KEY: needs an API key
 * @REEL_GENERATOR_OFFLINE: needs no network at all
 */
typedef enum
{
  REEL_GENERATOR_TEXT_TO_IMAGE = 1 << 0,
  REEL_GENERATOR_EDIT          = 1 << 1,
  REEL_GENERATOR_VIDEO         = 1 << 2,
  REEL_GENERATOR_NEEDS_KEY     = 1 << 3,
  REEL_GENERATOR_OFFLINE       = 1 << 4,
} ReelGeneratorCapabilities;

/**
 * ReelGenerationProgressFunc:
 * @fraction: 0 to 1, or -1 when the provider cannot tell
 * @status: (nullable): a short translated status ("Queued (2 ahead)", "Rendering")
 * @user_data: the data given with the function
 *
 * Called in the main context of the caller of generate_async(), never after the
 * operation's callback.
 */
typedef void (*ReelGenerationProgressFunc) (double      fraction,
                                            const char *status,
                                            gpointer    user_data);

#define REEL_TYPE_GENERATOR (reel_generator_get_type ())
G_DECLARE_INTERFACE (ReelGenerator, reel_generator, REEL, GENERATOR, GObject)

struct _ReelGeneratorInterface
{
  GTypeInterface parent_iface;

  const char               *(*get_id)           (ReelGenerator              *self);
  const char               *(*get_display_name) (ReelGenerator              *self);
  ReelGeneratorCapabilities (*get_capabilities) (ReelGenerator              *self);
  void                      (*generate_async)   (ReelGenerator              *self,
                                                 ReelGenerationRequest      *request,
                                                 ReelGenerationProgressFunc  progress,
                                                 gpointer                    progress_data,
                                                 GCancellable               *cancellable,
                                                 GAsyncReadyCallback         callback,
                                                 gpointer                    user_data);
  GPtrArray                *(*generate_finish)  (ReelGenerator              *self,
                                                 GAsyncResult               *result,
                                                 GError                    **error);
  void                      (*check_async)      (ReelGenerator              *self,
                                                 GCancellable               *cancellable,
                                                 GAsyncReadyCallback         callback,
                                                 gpointer                    user_data);
  char                     *(*check_finish)     (ReelGenerator              *self,
                                                 GAsyncResult               *result,
                                                 GError                    **error);
};

const char               *reel_generator_get_id           (ReelGenerator              *self);
const char               *reel_generator_get_display_name (ReelGenerator              *self);
ReelGeneratorCapabilities reel_generator_get_capabilities (ReelGenerator              *self);
void                      reel_generator_generate_async   (ReelGenerator              *self,
                                                           ReelGenerationRequest      *request,
                                                           ReelGenerationProgressFunc  progress,
                                                           gpointer                    progress_data,
                                                           GCancellable               *cancellable,
                                                           GAsyncReadyCallback         callback,
                                                           gpointer                    user_data);
GPtrArray                *reel_generator_generate_finish  (ReelGenerator              *self,
                                                           GAsyncResult               *result,
                                                           GError                    **error);
void                      reel_generator_check_async      (ReelGenerator              *self,
                                                           GCancellable               *cancellable,
                                                           GAsyncReadyCallback         callback,
                                                           gpointer                    user_data);
char                     *reel_generator_check_finish     (ReelGenerator              *self,
                                                           GAsyncResult               *result,
                                                           GError                    **error);

/* Keeps generated @assets with @shot as one undoable step: each is stored in the project,
 * added to the shot's generations and to its variants; a shot without a background gets the
 * first one. Returns how many variants the shot gained: an asset with the same bytes as
 * another of the shot's variants is not added twice. */
guint                     reel_generation_keep            (ReelProject                *project,
                                                           ReelShot                   *shot,
                                                           GPtrArray                  *assets);

G_END_DECLS
