/* SPDX-License-Identifier: GPL-3.0-or-later */
/* storyreel-ges.so: the GStreamer Editing Services functions of the animatic (reel-ges.h). */

#include "config.h"

#include <gmodule.h>

#define REEL_GES_DIRECT 1
#include "reel-ges.h"

G_MODULE_EXPORT gconstpointer reel_module_get_api (gsize api_size);

G_MODULE_EXPORT gconstpointer
reel_module_get_api (gsize api_size)
{
  static const ReelGesApi api = {
#define REEL_GES_ENTRY(name) .name = name,
    REEL_GES_FUNCTIONS (REEL_GES_ENTRY)
#undef REEL_GES_ENTRY
  };

  return api_size == sizeof api ? &api : NULL;
}
