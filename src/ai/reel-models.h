/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * ReelModelDefault:
 * @provider: the provider id
 * @region: %NULL, or the region the id belongs to (Seedream: "byteplus", "volcengine"), or
 *   the variant (Wan: "video"; Veo: "fast", "lite")
 * @model: the model asked for when the user has chosen none
 *
 * One row of the table of default models: the only place a model id is written down.
 * Catalogues change every few months, so every provider also lists what its service offers.
 */
typedef struct
{
  const char *provider;
  const char *region;
  const char *model;
} ReelModelDefault;

const ReelModelDefault *reel_models_list_defaults   (guint      *n_defaults);
/* The default model of @provider_id (in @region, or the first region when %NULL). */
const char             *reel_models_get_default     (const char *provider_id,
                                                     const char *region);
/* Whether a model a service lists is one @provider_id can use: image models for the image
 * providers, video models for Veo. @methods are Gemini's supportedGenerationMethods or
 * %NULL. */
gboolean                reel_models_is_usable       (const char         *provider_id,
                                                     const char         *model_id,
                                                     const char * const *methods);

G_END_DECLS
