/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-media"

#include "config.h"

#include "core/reel-module.h"

/* The table itself: no calls through it here. */
#define REEL_GES_DIRECT 1
#include "reel-ges.h"

static const ReelGesApi *ges_api;

/**
 * reel_ges_load:
 * @error: return location for a #GError (%REEL_CORE_ERROR_MISSING_MODULE)
 *
 * Loads storyreel-ges.so, once per process (it blocks while the dynamic loader reads GES
 * and its libraries; reel_media_init_editing() calls it, on the thread that builds the
 * animatic). Thread-safe. Does not initialise GES.
 *
 * Returns: %TRUE when the GES functions are usable; a failure is the same for every call
 */
gboolean
reel_ges_load (GError **error)
{
  static gsize loaded = 0;
  static GError *failure = NULL;

  if (g_once_init_enter (&loaded))
    {
      g_atomic_pointer_set (&ges_api, reel_module_load ("ges", sizeof (ReelGesApi), &failure));
      g_once_init_leave (&loaded, 1);
    }

  if (failure != NULL)
    {
      g_propagate_error (error, g_error_copy (failure));
      return FALSE;
    }
  return TRUE;
}

/* The table; only valid after reel_ges_load() succeeded, which reel_media_init_editing()
 * ensures before any GES call. */
const ReelGesApi *
reel_ges_api (void)
{
  const ReelGesApi *api = g_atomic_pointer_get (&ges_api);

  if (G_UNLIKELY (api == NULL))
    g_error ("GES used before reel_media_init_editing()");
  return api;
}
