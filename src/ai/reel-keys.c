/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-keys"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "reel-ai-error.h"
#include "reel-keys.h"

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

static void
on_secret_looked_up (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
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

  g_task_return_pointer (task, g_strdup (secret), g_free);
  secret_password_free (secret);
}

void
reel_keys_lookup_async (const char          *provider_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
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

  secret_password_lookup (keys_schema (), cancellable, on_secret_looked_up,
                          g_steal_pointer (&task), "provider", provider_id, NULL);
}

char *
reel_keys_lookup_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_secret_changed (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean clearing = GPOINTER_TO_INT (g_task_get_task_data (task));

  if (clearing)
    secret_password_clear_finish (result, &error);
  else
    secret_password_store_finish (result, &error);

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

void
reel_keys_store_async (const char          *provider_id,
                       const char          *display_name,
                       const char          *key,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;
  g_autofree char *stripped = NULL;

  g_return_if_fail (provider_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_keys_store_async);

  stripped = g_strstrip (g_strdup (key != NULL ? key : ""));
  if (stripped[0] == '\0')
    {
      g_task_set_task_data (task, GINT_TO_POINTER (TRUE), NULL);
      secret_password_clear (keys_schema (), cancellable, on_secret_changed,
                             g_steal_pointer (&task), "provider", provider_id, NULL);
      return;
    }

  /* Translators: the name of the keyring item, e.g. "Storyreel API key for OpenAI" */
  label = g_strdup_printf (_("Storyreel API key for %s"),
                           display_name != NULL ? display_name : provider_id);
  secret_password_store (keys_schema (), SECRET_COLLECTION_DEFAULT, label, stripped,
                         cancellable, on_secret_changed, g_steal_pointer (&task),
                         "provider", provider_id, NULL);
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
