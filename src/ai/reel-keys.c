/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-keys"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "core/reel-module.h"
#include "reel-ai-error.h"
#include "reel-secret.h"
#include "reel-keys.h"

/* The Secret Service's module, loaded the first time a key is read or stored, on a worker
 * thread (the dynamic loader reads libsecret and its libraries). */
static const ReelSecretApi *secret_api;
static GError *secret_failure;

static const ReelSecretApi *
secret_api_load (GError **error)
{
  static gsize loaded = 0;

  if (g_once_init_enter (&loaded))
    {
      const ReelSecretApi *api = reel_module_load ("secret", sizeof (ReelSecretApi),
                                                   &secret_failure);

      g_atomic_pointer_set (&secret_api, api);
      g_once_init_leave (&loaded, 1);
    }

  if (secret_failure != NULL)
    {
      g_propagate_error (error, g_error_copy (secret_failure));
      return NULL;
    }
  return secret_api;
}

typedef struct
{
  char *provider_id;
  char *label;
  char *key;          /* NULL: remove the stored key */
  gboolean storing;
} KeyOperation;

static void
key_operation_free (gpointer data)
{
  KeyOperation *operation = data;

  g_free (operation->provider_id);
  g_free (operation->label);
  g_free (operation->key);
  g_free (operation);
}

static void
on_secret_changed (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  KeyOperation *operation = g_task_get_task_data (task);

  if (operation->key == NULL)
    secret_api->clear_finish (result, &error);
  else
    secret_api->store_finish (result, &error);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("Secret Service: %s", error->message);
      g_task_return_new_error (task, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG, "%s",
                               _("The key could not be stored: no keyring is available. "
                                 "Unlock or install a keyring (such as GNOME Keyring), or "
                                 "set the key in the environment."));
      return;
    }
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
on_secret_looked_up (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_api->lookup_finish (result, &error);
  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      /* No Secret Service (a server, a bare session): as if no key were stored. */
      g_debug ("No Secret Service to look the key up in: %s", error->message);
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  g_task_return_pointer (task, secret, g_free);
}

static void
load_secret_api_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;

  if (secret_api_load (&error) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* Goes on with @task (a lookup or a store) once the module is loaded, or fails it. */
static void
on_secret_api_loaded (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KeyOperation *operation = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *env_name = reel_keys_dup_env_name (operation->provider_id);

  if (!g_task_propagate_boolean (G_TASK (result), &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (error != NULL)
    {
      g_task_return_new_error (task, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG,
                               /* Translators: the provider's id ("openai"), why the keyring
                                * could not be reached, and an environment variable */
                               operation->storing
                               ? _("The API key for %s could not be stored in the keyring: %s "
                                   "You can set it in the environment as %s instead.")
                               : _("The API key for %s could not be read from the keyring: %s "
                                   "You can set it in the environment as %s instead."),
                               operation->provider_id, error->message, env_name);
      return;
    }

  if (!operation->storing)
    secret_api->lookup (operation->provider_id, cancellable, on_secret_looked_up,
                        g_steal_pointer (&task));
  else if (operation->key == NULL)
    secret_api->clear (operation->provider_id, cancellable, on_secret_changed,
                       g_steal_pointer (&task));
  else
    secret_api->store (operation->provider_id, operation->label, operation->key, cancellable,
                       on_secret_changed, g_steal_pointer (&task));
}

/* Runs @task's operation on the Secret Service, loading its module first if need be. */
static void
key_operation_start (GTask        *task,
                     KeyOperation *operation)
{
  g_autoptr(GTask) loading = g_task_new (NULL, g_task_get_cancellable (task),
                                         on_secret_api_loaded, g_object_ref (task));

  g_task_set_task_data (task, operation, key_operation_free);
  g_task_set_source_tag (loading, key_operation_start);
  g_task_run_in_thread (loading, load_secret_api_thread);
}

char *
reel_keys_dup_env_name (const char *provider_id)
{
  g_autofree char *upper = NULL;

  g_return_val_if_fail (provider_id != NULL, NULL);

  upper = g_ascii_strup (provider_id, -1);
  return g_strdup_printf ("STORYREEL_%s_API_KEY", upper);
}

char *
reel_keys_lookup_env (const char *provider_id)
{
  g_autofree char *name = reel_keys_dup_env_name (provider_id);
  const char *value = g_getenv (name);
  g_autofree char *stripped = NULL;

  if (value == NULL)
    return NULL;

  stripped = g_strstrip (g_strdup (value));
  if (stripped[0] == '\0')
    return NULL;

  return g_steal_pointer (&stripped);
}

void
reel_keys_lookup_async (const char          *provider_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  KeyOperation *operation;
  char *from_env;

  g_return_if_fail (provider_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_keys_lookup_async);

  from_env = reel_keys_lookup_env (provider_id);
  if (from_env != NULL)
    {
      g_task_return_pointer (task, from_env, g_free);
      return;
    }

  operation = g_new0 (KeyOperation, 1);
  operation->provider_id = g_strdup (provider_id);
  key_operation_start (task, operation);
}

char *
reel_keys_lookup_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
reel_keys_store_async (const char          *provider_id,
                       const char          *display_name,
                       const char          *key,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  KeyOperation *operation;
  char *stripped;

  g_return_if_fail (provider_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_keys_store_async);

  operation = g_new0 (KeyOperation, 1);
  operation->provider_id = g_strdup (provider_id);
  operation->storing = TRUE;
  stripped = g_strstrip (g_strdup (key != NULL ? key : ""));
  if (stripped[0] == '\0')
    {
      /* Removes the stored key. */
      g_free (stripped);
    }
  else
    {
      operation->key = stripped;
      /* Translators: the name of the keyring item, e.g. "Storyreel API key for OpenAI" */
      operation->label = g_strdup_printf (_("Storyreel API key for %s"),
                                          display_name != NULL ? display_name : provider_id);
    }
  key_operation_start (task, operation);
}

gboolean
reel_keys_store_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
reel_keys_scrub (const char *text,
                 const char *key)
{
  GString *scrubbed;

  if (text == NULL)
    return NULL;
  if (key == NULL || strlen (key) < 4)
    return g_strdup (text);

  scrubbed = g_string_new (text);
  g_string_replace (scrubbed, key, "[redacted]", 0);
  return g_string_free (scrubbed, FALSE);
}
