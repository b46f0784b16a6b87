/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-models"

#include "config.h"

#include <string.h>

#include "reel-models.h"

/* Checked against each provider's own documentation in December 2026; the GSettings schema
 * repeats these defaults and a test keeps the two the same.
 *
 * gemini    gemini-3-pro-image (Nano Banana Pro, GA 28 May 2026, no shutdown announced):
 *           ai.google.dev/gemini-api/docs/deprecations and …/docs/models
 * openai    gpt-image-2 (gpt-image-1 shut down 23 Oct 2026, gpt-image-1-mini/-1.5 on 1 Dec
 *           2026): developers.openai.com/api/docs/deprecations
 * veo       veo-3.1-generate-001 (replaces veo-3.0-generate-001, retired 30 Jun 2026):
 *           docs.cloud.google.com/…/models/veo/3-0-generate; the rows "fast"
 *           (veo-3.1-fast-generate-001) and "lite" (veo-3.1-lite-generate-001) are the other
 *           Veo models Google Cloud lists (…/models/video/generate-videos-from-first-and-
 *           last-frames): Veo's list of models, as Vertex AI has no plain listing. All are
 *           called on Google Cloud's Vertex AI endpoint with an OAuth access token
 *           (…/vertex-ai/generative-ai/docs/model-reference/veo-video-generation), never
 *           with a Gemini API key: the Gemini API's own Veo 3.1
 *           previews (veo-3.1-generate-preview, -fast-, -lite-) were shut down on 22 Oct 2026
 *           (ai.google.dev/gemini-api/docs/deprecations, as relayed by docs.apiyi.com), and
 *           its video model since is gemini-omni-1.1-flash through POST /v1beta/interactions
 *           (ai.google.dev/gemini-api/docs/video), a protocol REFERENCE.md does not pin down
 *           yet and Storyreel does not speak.
 * seedream  seedream-4-5-251128 on BytePlus ModelArk, doubao-seedream-4-5-251128 on
 *           Volcengine Ark: docs.comfy.org (ByteDance Seedream node), skills.volces.com
 * wan       wan2.6-t2i (images, "recommended"): help.aliyun.com/en/model-studio/
 *           text-to-image-v2-api-reference; wan2.6-i2v (image to video):
 *           docs.openclaw.ai/providers/alibaba and REFERENCE.md */
static const ReelModelDefault defaults[] = {
  { "gemini", NULL, "gemini-3-pro-image" },
  { "openai", NULL, "gpt-image-2" },
  { "veo", NULL, "veo-3.1-generate-001" },
  { "veo", "fast", "veo-3.1-fast-generate-001" },
  { "veo", "lite", "veo-3.1-lite-generate-001" },
  { "seedream", "byteplus", "seedream-4-5-251128" },
  { "seedream", "volcengine", "doubao-seedream-4-5-251128" },
  { "wan", NULL, "wan2.6-t2i" },
  { "wan", "video", "wan2.6-i2v" },
};

const ReelModelDefault *
reel_models_list_defaults (guint *n_defaults)
{
  if (n_defaults != NULL)
    *n_defaults = G_N_ELEMENTS (defaults);
  return defaults;
}

const char *
reel_models_get_default (const char *provider_id,
                         const char *region)
{
  for (guint i = 0; provider_id != NULL && i < G_N_ELEMENTS (defaults); i++)
    if (g_str_equal (defaults[i].provider, provider_id)
        && (region == NULL || g_strcmp0 (defaults[i].region, region) == 0))
      return defaults[i].model;
  return NULL;
}

static gboolean
has_method (const char * const *methods,
            const char         *method)
{
  /* A listing without methods (an older or compatible server) is taken at its word. */
  return methods == NULL || g_strv_contains (methods, method);
}

gboolean
reel_models_is_usable (const char         *provider_id,
                       const char         *model_id,
                       const char * const *methods)
{
  if (provider_id == NULL || model_id == NULL || model_id[0] == '\0')
    return FALSE;

  if (g_str_equal (provider_id, "gemini"))
    return has_method (methods, "generateContent")
           && (strstr (model_id, "image") != NULL || strstr (model_id, "banana") != NULL);
  if (g_str_equal (provider_id, "veo"))
    return has_method (methods, "predictLongRunning")
           && (g_str_has_prefix (model_id, "veo-") || strstr (model_id, "omni") != NULL);
  if (g_str_equal (provider_id, "openai"))
    return strstr (model_id, "image") != NULL || g_str_has_prefix (model_id, "dall-e");
  if (g_str_equal (provider_id, "seedream"))
    return strstr (model_id, "seedream") != NULL;
  if (g_str_equal (provider_id, "wan"))
    return g_str_has_prefix (model_id, "wan");

  return TRUE;
}
