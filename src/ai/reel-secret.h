/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The Secret Service, loaded on first use: the key store (reel-keys.c) reaches libsecret
 * only through this table, which the module storyreel-secret.so (reel-secret-module.c,
 * the one file that links libsecret) hands over. Items use the schema of reel-keys.h, one
 * per provider. */

typedef struct
{
  void      (*lookup)        (const char           *provider_id,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
  /* The key, or NULL when none is stored. Transfer full (g_free). */
  char     *(*lookup_finish) (GAsyncResult         *result,
                              GError              **error);
  void      (*store)         (const char           *provider_id,
                              const char           *label,
                              const char           *key,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
  gboolean  (*store_finish)  (GAsyncResult         *result,
                              GError              **error);
  void      (*clear)         (const char           *provider_id,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
  gboolean  (*clear_finish)  (GAsyncResult         *result,
                              GError              **error);
} ReelSecretApi;

G_END_DECLS
