/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* API keys live in the Secret Service (the secret portal inside Flatpak), one item per
 * provider, schema "io.github.storyreel.Storyreel.ApiKey" with the attribute "provider".
 * STORYREEL_<PROVIDER>_API_KEY in the environment overrides it, for headless use.
 * A key is never logged, put in GSettings or the project, or shown in error text. */

#define REEL_KEYS_SCHEMA_NAME "io.github.storyreel.Storyreel.ApiKey"

/* "STORYREEL_GEMINI_API_KEY" for "gemini". Transfer full. */
char     *reel_keys_dup_env_name   (const char           *provider_id);
/* The environment's key, or NULL. Transfer full. */
char     *reel_keys_lookup_env     (const char           *provider_id);

void      reel_keys_lookup_async   (const char           *provider_id,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
/* The key (environment first, then the Secret Service), or NULL with no error when
 * there is none or no Secret Service is running. Transfer full. */
char     *reel_keys_lookup_finish  (GAsyncResult         *result,
                                    GError              **error);
/* Stores @key; an empty or NULL @key removes the stored one. */
void      reel_keys_store_async    (const char           *provider_id,
                                    const char           *display_name,
                                    const char           *key,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
gboolean  reel_keys_store_finish   (GAsyncResult         *result,
                                    GError              **error);

/* @text with every occurrence of @key replaced by "[redacted]". Transfer full. */
char     *reel_keys_scrub          (const char           *text,
                                    const char           *key);

G_END_DECLS
