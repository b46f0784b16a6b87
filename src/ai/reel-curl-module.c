/* SPDX-License-Identifier: GPL-3.0-or-later */
/* storyreel-curl.so: the libcurl functions of the HTTP engine (reel-curl.h). */

#include "config.h"

#include <gmodule.h>

#define REEL_CURL_DIRECT 1
#include "reel-curl.h"

G_MODULE_EXPORT gconstpointer reel_module_get_api (gsize api_size);

G_MODULE_EXPORT gconstpointer
reel_module_get_api (gsize api_size)
{
  static const ReelCurlApi api = {
#define REEL_CURL_ENTRY(name) .name = name,
    REEL_CURL_FUNCTIONS (REEL_CURL_ENTRY)
#undef REEL_CURL_ENTRY
  };

  return api_size == sizeof api ? &api : NULL;
}
