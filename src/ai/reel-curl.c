/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-http"

#include "config.h"

#include "core/reel-module.h"

/* The table itself: no calls through it here. */
#define REEL_CURL_DIRECT 1
#include "reel-curl.h"

static const ReelCurlApi *curl_api;

/**
 * reel_curl_load:
 * @error: return location for a #GError (%REEL_CORE_ERROR_MISSING_MODULE)
 *
 * Loads storyreel-curl.so and initialises libcurl, once per process: the first call
 * blocks while the dynamic loader reads libcurl and its TLS libraries (the HTTP worker
 * thread makes it), the others return at once. Thread-safe.
 *
 * Returns: %TRUE when libcurl is usable; a failure is the same for every later call
 */
gboolean
reel_curl_load (GError **error)
{
  static gsize loaded = 0;
  static GError *failure = NULL;

  if (g_once_init_enter (&loaded))
    {
      const ReelCurlApi *api = reel_module_load ("curl", sizeof (ReelCurlApi), &failure);

      if (api != NULL)
        {
          /* Not thread-safe in old libcurl: once, before any handle exists. */
          api->curl_global_init (CURL_GLOBAL_DEFAULT);
          g_atomic_pointer_set (&curl_api, api);
        }
      g_once_init_leave (&loaded, 1);
    }

  if (failure != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (failure);
      return FALSE;
    }
  return TRUE;
}

/* The table; only valid after reel_curl_load() succeeded, which the engine ensures. */
const ReelCurlApi *
reel_curl_api (void)
{
  const ReelCurlApi *api = g_atomic_pointer_get (&curl_api);

  if (G_UNLIKELY (api == NULL))
    g_error ("libcurl used before reel_curl_load()");
  return api;
}
