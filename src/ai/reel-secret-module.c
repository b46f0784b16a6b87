/* SPDX-License-Identifier: GPL-3.0-or-later */
/* storyreel-secret.so: the Secret Service calls of the key store (reel-secret.h). */

#include "config.h"

#include <gmodule.h>
#include <libsecret/secret.h>

#include "reel-keys.h"
#include "reel-secret.h"

G_MODULE_EXPORT gconstpointer reel_module_get_api (gsize api_size);

static const SecretSchema *
keys_schema (void)
{
  static const SecretSchema schema = {
    REEL_KEYS_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "provider", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

static void
secret_lookup (const char          *provider_id,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  secret_password_lookup (keys_schema (), cancellable, callback, user_data,
                          "provider", provider_id, NULL);
}

static char *
secret_lookup_finish (GAsyncResult  *result,
                      GError       **error)
{
  char *secret = secret_password_lookup_finish (result, error);
  char *copy = g_strdup (secret);

  /* libsecret's copy is wiped as it is freed. */
  secret_password_free (secret);
  return copy;
}

static void
secret_store (const char          *provider_id,
              const char          *label,
              const char          *key,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  secret_password_store (keys_schema (), SECRET_COLLECTION_DEFAULT, label, key, cancellable,
                         callback, user_data, "provider", provider_id, NULL);
}

static void
secret_clear (const char          *provider_id,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  secret_password_clear (keys_schema (), cancellable, callback, user_data,
                         "provider", provider_id, NULL);
}

G_MODULE_EXPORT gconstpointer
reel_module_get_api (gsize api_size)
{
  static const ReelSecretApi api = {
    .lookup = secret_lookup,
    .lookup_finish = secret_lookup_finish,
    .store = secret_store,
    .store_finish = secret_password_store_finish,
    .clear = secret_clear,
    .clear_finish = secret_password_clear_finish,
  };

  return api_size == sizeof api ? &api : NULL;
}
