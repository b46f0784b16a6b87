/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "ai/reel-generator.h"

G_BEGIN_DECLS

/* The member of a template that describes it (not a node; removed before sending). */
#define REEL_COMFYUI_TEMPLATE_METADATA "storyreel"

/**
 * ReelComfyuiModel:
 * @class_type: the loader node ("CheckpointLoaderSimple", "UNETLoader", "LoraLoaderModelOnly")
 * @input: its input that names the file ("ckpt_name", "unet_name", "lora_name")
 * @file: the file the template uses
 *
 * A model file a template needs on the server (checked against GET /object_info).
 */
typedef struct
{
  char *class_type;
  char *input;
  char *file;
} ReelComfyuiModel;

/**
 * ReelComfyuiTemplateInfo:
 * @title: (nullable): what the template makes, in English
 * @images: (array zero-terminated=1): the images Storyreel uploads for it, by placeholder
 *   ("input_image", "depth_image")
 * @models: (element-type ReelComfyuiModel): the model files it needs
 *
 * What the metadata member of a template says (see data/workflows/README.md).
 */
typedef struct
{
  char *title;
  GStrv images;
  GPtrArray *models;
} ReelComfyuiTemplateInfo;

/* Substitutes the placeholders of @template_json (data/workflows/README.md lists them) as
 * JSON values of the right type: a string that is exactly "{{seed}}" becomes the number.
 * Placeholders inside longer strings are replaced as text. The metadata member is left out.
 * Fails with %REEL_AI_ERROR_CONFIG when the template is not an API-format workflow or uses a
 * placeholder that @values lacks. Transfer full. */
JsonNode                *reel_comfyui_fill_template          (const char        *template_json,
                                                              GHashTable        *values,
                                                              GError           **error);
/* The metadata of @template_json; a template without any gets an empty one (its images then
 * follow from its placeholders). NULL with %REEL_AI_ERROR_CONFIG for a template that is not
 * JSON. */
ReelComfyuiTemplateInfo *reel_comfyui_template_info_new      (const char        *template_json,
                                                              GError           **error);
void                     reel_comfyui_template_info_free     (ReelComfyuiTemplateInfo *info);
gboolean                 reel_comfyui_template_info_needs_image (const ReelComfyuiTemplateInfo *info,
                                                                 const char    *placeholder);

/* Whether @object_info (an answer of GET /object_info or /object_info/{class}) lists @file
 * among the values of @model's loader input. Both forms of a list of choices are read: the
 * older [["a", "b"], {…}] and the newer ["COMBO", {"options": ["a", "b"]}]. */
gboolean                 reel_comfyui_object_info_has_model  (JsonObject              *object_info,
                                                              const ReelComfyuiModel  *model);

/* The multiple-angles LoRA's words for the camera of @request ("front view eye-level shot
 * medium shot"): the view from the angle variant, the elevation from the tilt, the distance
 * from the lens. */
char                    *reel_comfyui_camera_angle_prompt    (const ReelGenerationRequest *request);

/* An 8-bit depth image for a depth ControlNet (near white, far and sky black), as PNG, from
 * 16-bit depth in centimetres (@depth, @width × @height, 65535 for nothing). Transfer full. */
GBytes                  *reel_comfyui_depth_to_control_png   (const guint16     *depth,
                                                              int                width,
                                                              int                height,
                                                              GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelComfyuiTemplateInfo, reel_comfyui_template_info_free)

G_END_DECLS
