/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-provider"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <string.h>

#include "reel-ai-error.h"
#include "reel-comfyui.h"
#include "reel-gemini.h"
#include "reel-greybox.h"
#include "reel-keys.h"
#include "reel-openai.h"
#include "reel-provider.h"
#include "reel-seedream.h"
#include "reel-veo.h"
#include "reel-wan.h"

typedef struct
{
  char *endpoint;
  char *model;
  char *api_key;
  gboolean local_only;
  gboolean no_keyring;
  ReelHttpClient *client;
  guint idle_timeout_ms;
} ReelProviderPrivate;

static void reel_provider_generator_init (ReelGeneratorInterface *iface);

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (ReelProvider, reel_provider, G_TYPE_OBJECT,
                                  G_ADD_PRIVATE (ReelProvider)
                                  G_IMPLEMENT_INTERFACE (REEL_TYPE_GENERATOR,
                                                         reel_provider_generator_init))

enum {
  PROP_0,
  PROP_ENDPOINT,
  PROP_MODEL,
  PROP_API_KEY,
  PROP_LOCAL_ONLY,
  PROP_HTTP_CLIENT,
  PROP_IDLE_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const ReelProviderInfo providers[] = {
  { "greybox", N_("Gray-box"), REEL_GENERATOR_TEXT_TO_IMAGE | REEL_GENERATOR_EDIT
                               | REEL_GENERATOR_OFFLINE },
  { "comfyui", N_("ComfyUI"), REEL_GENERATOR_TEXT_TO_IMAGE | REEL_GENERATOR_EDIT
                              | REEL_GENERATOR_VIDEO },
  { "gemini", N_("Google Gemini"), REEL_GENERATOR_TEXT_TO_IMAGE | REEL_GENERATOR_EDIT
                                   | REEL_GENERATOR_NEEDS_KEY },
  { "openai", N_("OpenAI"), REEL_GENERATOR_TEXT_TO_IMAGE | REEL_GENERATOR_EDIT
                            | REEL_GENERATOR_NEEDS_KEY },
  { "seedream", N_("Seedream"), REEL_GENERATOR_TEXT_TO_IMAGE | REEL_GENERATOR_EDIT
                                | REEL_GENERATOR_NEEDS_KEY },
  { "wan", N_("Wan"), REEL_GENERATOR_TEXT_TO_IMAGE | REEL_GENERATOR_NEEDS_KEY },
  { "veo", N_("Google Veo"), REEL_GENERATOR_VIDEO | REEL_GENERATOR_NEEDS_KEY },
};

const ReelProviderInfo *
reel_provider_list (guint *n_providers)
{
  if (n_providers != NULL)
    *n_providers = G_N_ELEMENTS (providers);
  return providers;
}

const ReelProviderInfo *
reel_provider_lookup_info (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (providers); i++)
    if (g_str_equal (providers[i].id, id))
      return &providers[i];
  return NULL;
}

/**
 * reel_provider_new_for_id:
 *
 * Returns: (transfer full) (nullable): a new provider with its defaults
 */
ReelProvider *
reel_provider_new_for_id (const char  *id,
                          GError     **error)
{
  GType type = G_TYPE_INVALID;

  if (g_strcmp0 (id, "greybox") == 0)
    type = REEL_TYPE_GREYBOX;
  else if (g_strcmp0 (id, "comfyui") == 0)
    type = REEL_TYPE_COMFYUI;
  else if (g_strcmp0 (id, "gemini") == 0)
    type = REEL_TYPE_GEMINI;
  else if (g_strcmp0 (id, "openai") == 0)
    type = REEL_TYPE_OPENAI;
  else if (g_strcmp0 (id, "seedream") == 0)
    type = REEL_TYPE_SEEDREAM;
  else if (g_strcmp0 (id, "wan") == 0)
    type = REEL_TYPE_WAN;
  else if (g_strcmp0 (id, "veo") == 0)
    type = REEL_TYPE_VEO;

  if (type == G_TYPE_INVALID)
    {
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG,
                   /* Translators: %s is what the user typed */
                   _("“%s” is not a provider Storyreel knows. Use one of greybox, comfyui, "
                     "gemini, openai, seedream, wan or veo."), id != NULL ? id : "");
      return NULL;
    }

  return g_object_new (type, NULL);
}

static void
reel_provider_real_apply_settings (ReelProvider *self,
                                   GSettings    *settings)
{
  ReelProviderClass *klass = REEL_PROVIDER_GET_CLASS (self);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autofree char *endpoint_key = g_strdup_printf ("%s-endpoint", klass->id);
  g_autofree char *model_key = g_strdup_printf ("%s-model", klass->id);

  g_object_get (settings, "settings-schema", &schema, NULL);

  if (g_settings_schema_has_key (schema, endpoint_key))
    {
      g_autofree char *endpoint = g_settings_get_string (settings, endpoint_key);

      if (endpoint[0] != '\0')
        reel_provider_set_endpoint (self, endpoint);
    }
  if (g_settings_schema_has_key (schema, model_key))
    {
      g_autofree char *model = g_settings_get_string (settings, model_key);

      if (model[0] != '\0')
        reel_provider_set_model (self, model);
    }
  if (g_settings_schema_has_key (schema, "local-only"))
    reel_provider_set_local_only (self, g_settings_get_boolean (settings, "local-only"));
}

void
reel_provider_apply_settings (ReelProvider *self,
                              GSettings    *settings)
{
  g_return_if_fail (REEL_IS_PROVIDER (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  REEL_PROVIDER_GET_CLASS (self)->apply_settings (self, settings);
}

static void
reel_provider_constructed (GObject *object)
{
  ReelProvider *self = REEL_PROVIDER (object);
  ReelProviderPrivate *priv = reel_provider_get_instance_private (self);
  ReelProviderClass *klass = REEL_PROVIDER_GET_CLASS (self);

  G_OBJECT_CLASS (reel_provider_parent_class)->constructed (object);

  if (priv->endpoint == NULL && klass->default_endpoint != NULL)
    reel_provider_set_endpoint (self, klass->default_endpoint);
  if (priv->model == NULL && klass->default_model != NULL)
    reel_provider_set_model (self, klass->default_model);
}

static void
reel_provider_finalize (GObject *object)
{
  ReelProvider *self = REEL_PROVIDER (object);
  ReelProviderPrivate *priv = reel_provider_get_instance_private (self);

  g_free (priv->endpoint);
  g_free (priv->model);
  g_free (priv->api_key);
  g_clear_object (&priv->client);

  G_OBJECT_CLASS (reel_provider_parent_class)->finalize (object);
}

static void
reel_provider_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ReelProvider *self = REEL_PROVIDER (object);
  ReelProviderPrivate *priv = reel_provider_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ENDPOINT:
      g_value_set_string (value, priv->endpoint);
      break;
    case PROP_MODEL:
      g_value_set_string (value, priv->model);
      break;
    case PROP_LOCAL_ONLY:
      g_value_set_boolean (value, priv->local_only);
      break;
    case PROP_HTTP_CLIENT:
      g_value_set_object (value, reel_provider_get_http_client (self));
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, priv->idle_timeout_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_provider_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ReelProvider *self = REEL_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT:
      reel_provider_set_endpoint (self, g_value_get_string (value));
      break;
    case PROP_MODEL:
      reel_provider_set_model (self, g_value_get_string (value));
      break;
    case PROP_API_KEY:
      reel_provider_set_api_key (self, g_value_get_string (value));
      break;
    case PROP_LOCAL_ONLY:
      reel_provider_set_local_only (self, g_value_get_boolean (value));
      break;
    case PROP_HTTP_CLIENT:
      reel_provider_set_http_client (self, g_value_get_object (value));
      break;
    case PROP_IDLE_TIMEOUT:
      reel_provider_set_idle_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_provider_class_init (ReelProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = reel_provider_constructed;
  object_class->finalize = reel_provider_finalize;
  object_class->get_property = reel_provider_get_property;
  object_class->set_property = reel_provider_set_property;

  klass->apply_settings = reel_provider_real_apply_settings;

  properties[PROP_ENDPOINT] =
    g_param_spec_string ("endpoint", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Write-only: nothing should be able to read a key back out and print it. */
  properties[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCAL_ONLY] =
    g_param_spec_boolean ("local-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HTTP_CLIENT] =
    g_param_spec_object ("http-client", NULL, NULL, REEL_TYPE_HTTP_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL, 1, G_MAXUINT,
                       REEL_HTTP_DEFAULT_IDLE_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
reel_provider_init (ReelProvider *self)
{
  ReelProviderPrivate *priv = reel_provider_get_instance_private (self);

  priv->idle_timeout_ms = REEL_HTTP_DEFAULT_IDLE_TIMEOUT_MS;
}

static const char *
generator_get_id (ReelGenerator *generator)
{
  return REEL_PROVIDER_GET_CLASS (generator)->id;
}

static const char *
generator_get_display_name (ReelGenerator *generator)
{
  return g_dgettext (GETTEXT_PACKAGE, REEL_PROVIDER_GET_CLASS (generator)->display_name);
}

static ReelGeneratorCapabilities
generator_get_capabilities (ReelGenerator *generator)
{
  return REEL_PROVIDER_GET_CLASS (generator)->capabilities;
}

/* Every provider's generation goes through here, so that an unknown or retired model is
 * reported the same way everywhere: with the models the service offers instead. */
static void
on_offered_models (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelProvider *self = REEL_PROVIDER (object);
  GError *original = g_task_get_task_data (task);
  g_auto(GStrv) models = NULL;
  g_autofree char *offered = NULL;
  const char *name = reel_provider_get_display_name (self);

  models = reel_provider_list_models_finish (self, result, NULL);
  if (models == NULL || models[0] == NULL)
    {
      g_task_return_error (task, g_error_copy (original));
      return;
    }

  offered = g_strjoinv (", ", models);
  g_task_return_new_error (task, REEL_AI_ERROR, REEL_AI_ERROR_MODEL_NOT_FOUND,
                           /* Translators: "OpenAI does not offer the model “gpt-image-1”; it
                            * may have been retired. It offers: gpt-image-2, …. Choose one in
                            * Preferences → OpenAI (or with --model)." */
                           _("%s does not offer the model “%s”; it may have been retired. It "
                             "offers: %s. Choose one in Preferences → %s (or with --model)."),
                           name, reel_provider_get_model (self), offered, name);
}

static void
on_generated (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelProvider *self = REEL_PROVIDER (object);
  g_autoptr(GError) error = NULL;
  GPtrArray *assets;

  assets = REEL_PROVIDER_GET_CLASS (self)->generate_finish (self, result, &error);
  if (assets != NULL || error == NULL)
    {
      g_task_return_pointer (task, assets, (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  if (g_error_matches (error, REEL_AI_ERROR, REEL_AI_ERROR_MODEL_NOT_FOUND)
      && REEL_PROVIDER_GET_CLASS (self)->list_models_async != NULL)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      g_task_set_task_data (task, g_steal_pointer (&error), (GDestroyNotify) g_error_free);
      reel_provider_list_models_async (self, cancellable, on_offered_models,
                                       g_steal_pointer (&task));
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

typedef struct
{
  ReelGenerationProgressFunc progress;
  gpointer progress_data;
} GenerateStart;

static gpointer
add_structure (gpointer       input,
               GCancellable  *cancellable,
               GError       **error)
{
  ReelGenerationRequest *copy = reel_generation_request_copy (input);

  copy->structure = reel_provider_render_structure (copy);
  return copy;
}

static void
on_structure_added (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  ReelProvider *self = g_task_get_source_object (task);
  GenerateStart *start = g_task_get_task_data (task);
  g_autoptr(ReelGenerationRequest) request = NULL;
  GError *error = NULL;

  request = reel_provider_run_in_thread_finish (result, &error);
  if (request == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  REEL_PROVIDER_GET_CLASS (self)->generate_async (self, request, start->progress,
                                                  start->progress_data,
                                                  g_task_get_cancellable (task), on_generated,
                                                  task);
}

static void
generator_generate_async (ReelGenerator              *generator,
                          ReelGenerationRequest      *request,
                          ReelGenerationProgressFunc  progress,
                          gpointer                    progress_data,
                          GCancellable               *cancellable,
                          GAsyncReadyCallback         callback,
                          gpointer                    user_data)
{
  ReelProviderClass *klass = REEL_PROVIDER_GET_CLASS (generator);
  GTask *task = g_task_new (generator, cancellable, callback, user_data);

  g_task_set_source_tag (task, generator_generate_async);
  /* The provider decides itself what a cancellation means for the work in flight. */
  g_task_set_check_cancellable (task, FALSE);

  /* The set's line art takes a moment to draw: not on the caller's thread. */
  if (klass->sends_structure && request->structure == NULL && request->set != NULL
      && request->camera != NULL && request->kind != REEL_GENERATION_VIDEO)
    {
      GenerateStart *start = g_new0 (GenerateStart, 1);

      start->progress = progress;
      start->progress_data = progress_data;
      g_task_set_task_data (task, start, g_free);
      reel_provider_run_in_thread (add_structure, reel_generation_request_ref (request),
                                   (GDestroyNotify) reel_generation_request_unref,
                                   (GDestroyNotify) reel_generation_request_unref, cancellable,
                                   on_structure_added, task);
      return;
    }

  klass->generate_async (REEL_PROVIDER (generator), request, progress, progress_data,
                         cancellable, on_generated, task);
}

static GPtrArray *
generator_generate_finish (ReelGenerator  *generator,
                           GAsyncResult   *result,
                           GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, generator), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
generator_check_async (ReelGenerator       *generator,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  REEL_PROVIDER_GET_CLASS (generator)->check_async (REEL_PROVIDER (generator), cancellable,
                                                    callback, user_data);
}

static char *
generator_check_finish (ReelGenerator  *generator,
                        GAsyncResult   *result,
                        GError        **error)
{
  return REEL_PROVIDER_GET_CLASS (generator)->check_finish (REEL_PROVIDER (generator), result,
                                                            error);
}

static void
reel_provider_generator_init (ReelGeneratorInterface *iface)
{
  iface->get_id = generator_get_id;
  iface->get_display_name = generator_get_display_name;
  iface->get_capabilities = generator_get_capabilities;
  iface->generate_async = generator_generate_async;
  iface->generate_finish = generator_generate_finish;
  iface->check_async = generator_check_async;
  iface->check_finish = generator_check_finish;
}

const char *
reel_provider_get_id (ReelProvider *self)
{
  g_return_val_if_fail (REEL_IS_PROVIDER (self), NULL);
  return REEL_PROVIDER_GET_CLASS (self)->id;
}

const char *
reel_provider_get_display_name (ReelProvider *self)
{
  g_return_val_if_fail (REEL_IS_PROVIDER (self), NULL);
  return generator_get_display_name (REEL_GENERATOR (self));
}

const char *
reel_provider_get_endpoint (ReelProvider *self)
{
  ReelProviderPrivate *priv = reel_provider_get_instance_private (self);

  g_return_val_if_fail (REEL_IS_PROVIDER (self), NULL);
  return priv->endpoint;
}

void
reel_provider_set_endpoint (ReelProvider *self,
                            const char   *endpoint)
{
  ReelProviderPrivate *priv = reel_provider_get_instance_private (self);
  g_autofree char *trimmed = NULL;

  g_return_if_fail (REEL_IS_PROVIDER (self));

  if (endpoint != NULL)
    {
      gsize length;

      trimmed = g_strstrip (g_strdup (endpoint));
      length = strlen (trimmed);
      while (length > 0 && trimmed[length - 1] == '/')
        trimmed[--length] = '\0';
    }

  if (g_strcmp0 (priv->endpoint, trimmed) == 0)
    return;

  g_free (priv->endpoint);
  priv->endpoint = g_steal_pointer (&trimmed);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDPOINT]);
}

const char *
reel_provider_get_model (ReelProvider *self)
{
  ReelProviderPrivate *priv = reel_provider_get_instance_private (self);

  g_return_val_if_fail (REEL_IS_PROVIDER (self), NULL);
  return priv->model;
}

void
reel_provider_set_model (ReelProvider *self,
                         const char   *model)
{
  ReelProviderPrivate *priv = reel_provider_get_instance_private (self);

  g_return_if_fail (REEL_IS_PROVIDER (self));

  if (g_strcmp0 (priv->model, model) == 0)
    return;

  g_free (priv->model);
  priv->model = g_strdup (model);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

void
reel_provider_set_api_key (ReelProvider *self,
                           const char   *api_key)
{
  ReelProviderPrivate *priv = reel_provider_get_instance_private (self);

  g_return_if_fail (REEL_IS_PROVIDER (self));

  g_free (priv->api_key);
  priv->api_key = api_key != NULL && api_key[0] != '\0' ? g_strdup (api_key) : NULL;
}

void
reel_provider_set_keyring_enabled (ReelProvider *self,
                                   gboolean      enabled)
{
  ReelProviderPrivate *priv = reel_provider_get_instance_private (self);

  g_return_if_fail (REEL_IS_PROVIDER (self));
  priv->no_keyring = !enabled;
}

gboolean
reel_provider_get_local_only (ReelProvider *self)
{
  ReelProviderPrivate *priv = reel_provider_get_instance_private (self);

  g_return_val_if_fail (REEL_IS_PROVIDER (self), FALSE);
  return priv->local_only;
}

void
reel_provider_set_local_only (ReelProvider *self,
                              gboolean      local_only)
{
  ReelProviderPrivate *priv = reel_provider_get_instance_private (self);

  g_return_if_fail (REEL_IS_PROVIDER (self));

  local_only = !!local_only;
  if (priv->local_only == local_only)
    return;

  priv->local_only = local_only;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCAL_ONLY]);
}

ReelHttpClient *
reel_provider_get_http_client (ReelProvider *self)
{
  ReelProviderPrivate *priv = reel_provider_get_instance_private (self);

  g_return_val_if_fail (REEL_IS_PROVIDER (self), NULL);
  return priv->client != NULL ? priv->client : reel_http_client_get_default ();
}

void
reel_provider_set_http_client (ReelProvider   *self,
                               ReelHttpClient *client)
{
  ReelProviderPrivate *priv = reel_provider_get_instance_private (self);

  g_return_if_fail (REEL_IS_PROVIDER (self));

  if (g_set_object (&priv->client, client))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HTTP_CLIENT]);
}

guint
reel_provider_get_idle_timeout (ReelProvider *self)
{
  ReelProviderPrivate *priv = reel_provider_get_instance_private (self);

  g_return_val_if_fail (REEL_IS_PROVIDER (self), 0);
  return priv->idle_timeout_ms;
}

void
reel_provider_set_idle_timeout (ReelProvider *self,
                                guint         milliseconds)
{
  ReelProviderPrivate *priv = reel_provider_get_instance_private (self);

  g_return_if_fail (REEL_IS_PROVIDER (self));

  milliseconds = MAX (milliseconds, 1);
  if (priv->idle_timeout_ms == milliseconds)
    return;

  priv->idle_timeout_ms = milliseconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT]);
}

static void
on_key_looked_up (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *key;

  key = reel_keys_lookup_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, key, g_free);
}

void
reel_provider_lookup_key_async (ReelProvider        *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  ReelProviderPrivate *priv = reel_provider_get_instance_private (self);
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (REEL_IS_PROVIDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_provider_lookup_key_async);

  if (priv->api_key != NULL)
    {
      g_task_return_pointer (task, g_strdup (priv->api_key), g_free);
      return;
    }
  if (priv->no_keyring)
    {
      g_task_return_pointer (task, reel_keys_lookup_env (reel_provider_get_id (self)), g_free);
      return;
    }

  reel_keys_lookup_async (reel_provider_get_id (self), cancellable, on_key_looked_up,
                          g_steal_pointer (&task));
}

char *
reel_provider_lookup_key_finish (ReelProvider  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

GError *
reel_provider_no_key_error (ReelProvider *self)
{
  g_autofree char *env_name = reel_keys_dup_env_name (reel_provider_get_id (self));
  const char *name = reel_provider_get_display_name (self);

  /* Google Cloud takes an OAuth access token, not a key. */
  if (g_str_equal (reel_provider_get_id (self), "veo"))
    return g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_NO_KEY,
                        _("No access token for %s. Make one with “gcloud auth "
                          "print-access-token” and add it in Preferences → %s (or set a "
                          "command there that prints one), or set %s."),
                        name, name, env_name);
  return g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_NO_KEY,
                      /* Translators: "No API key for OpenAI. Add one in Preferences →
                       * OpenAI, or set STORYREEL_OPENAI_API_KEY." */
                      _("No API key for %s. Add one in Preferences → %s, or set %s."),
                      name, name, env_name);
}

GError *
reel_provider_model_not_found_error (ReelProvider *self)
{
  const char *name = reel_provider_get_display_name (self);

  return g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_MODEL_NOT_FOUND,
                      _("%s does not offer the model “%s”; it may have been retired. Choose "
                        "another model in Preferences → %s (or with --model)."),
                      name, reel_provider_get_model (self), name);
}

void
reel_provider_list_models_async (ReelProvider        *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  ReelProviderClass *klass;

  g_return_if_fail (REEL_IS_PROVIDER (self));

  klass = REEL_PROVIDER_GET_CLASS (self);
  if (klass->list_models_async == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, reel_provider_list_models_async);
      g_task_return_new_error (task, REEL_AI_ERROR, REEL_AI_ERROR_NOT_SUPPORTED,
                               _("%s does not list its models."),
                               reel_provider_get_display_name (self));
      return;
    }

  klass->list_models_async (self, cancellable, callback, user_data);
}

/**
 * reel_provider_list_models_finish:
 *
 * Returns: (transfer full): the model ids, sorted, or %NULL with @error set
 */
GStrv
reel_provider_list_models_finish (ReelProvider  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (REEL_IS_PROVIDER (self), NULL);

  if (g_task_is_valid (result, self)
      && g_task_get_source_tag (G_TASK (result)) == reel_provider_list_models_async)
    return g_task_propagate_pointer (G_TASK (result), error);

  return REEL_PROVIDER_GET_CLASS (self)->list_models_finish (self, result, error);
}

/**
 * reel_provider_new_request:
 *
 * Returns: (transfer full): a request ready for headers and a body
 */
ReelHttpRequest *
reel_provider_new_request (ReelProvider *self,
                           const char   *method,
                           const char   *url)
{
  ReelProviderPrivate *priv = reel_provider_get_instance_private (self);
  ReelHttpRequest *request;

  g_return_val_if_fail (REEL_IS_PROVIDER (self), NULL);

  request = reel_http_request_new (method, url);
  reel_http_request_set_service (request, reel_provider_get_display_name (self),
                                 reel_provider_get_id (self));
  reel_http_request_set_local_only (request, priv->local_only);
  reel_http_request_set_idle_timeout (request, priv->idle_timeout_ms);
  return request;
}

static gboolean
code_matches (const char *pattern,
              const char *code)
{
  gsize length = strlen (pattern);

  if (code == NULL)
    return FALSE;
  if (length > 2 && pattern[0] == '*' && pattern[length - 1] == '*')
    {
      g_autofree char *part = g_strndup (pattern + 1, length - 2);

      return strstr (code, part) != NULL;
    }
  if (length > 1 && pattern[length - 1] == '*')
    return strncmp (code, pattern, length - 1) == 0;
  return g_str_equal (code, pattern);
}

ReelProviderAnswer
reel_provider_classify_error (const ReelProviderErrorCode *codes,
                              const char                  *code,
                              const char                  *other_code)
{
  for (guint i = 0; codes != NULL && codes[i].code != NULL; i++)
    if (code_matches (codes[i].code, code) || code_matches (codes[i].code, other_code))
      return codes[i].answer;
  return REEL_PROVIDER_ANSWER_OTHER;
}

ReelHttpRetryDecision
reel_provider_retry_for_answer (ReelProviderAnswer answer)
{
  return answer == REEL_PROVIDER_ANSWER_QUOTA || answer == REEL_PROVIDER_ANSWER_BLOCKED
           ? REEL_HTTP_RETRY_NO
           : REEL_HTTP_RETRY_DEFAULT;
}

char *
reel_provider_scrub (ReelHttpRequest *request,
                     const char      *key,
                     const char      *text)
{
  g_autofree char *once = NULL;

  if (text == NULL)
    return NULL;
  once = reel_keys_scrub (text, key);
  return request != NULL ? reel_http_request_scrub (request, once) : g_steal_pointer (&once);
}

GError *
reel_provider_answer_error (ReelProvider       *self,
                            ReelHttpRequest    *request,
                            const char         *key,
                            guint               status,
                            ReelProviderAnswer  answer,
                            const char         *code,
                            const char         *message)
{
  const char *name = reel_provider_get_display_name (self);
  g_autofree char *scrubbed = reel_provider_scrub (request, key, message);

  switch (answer)
    {
    case REEL_PROVIDER_ANSWER_MODEL_NOT_FOUND:
      return reel_provider_model_not_found_error (self);
    case REEL_PROVIDER_ANSWER_QUOTA:
      return g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_QUOTA,
                          _("%s says the account has no quota left. Check the plan and billing "
                            "of the account, or choose another provider."), name);
    case REEL_PROVIDER_ANSWER_BLOCKED:
      return g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_BLOCKED,
                          _("%s’s safety system blocked this request (%s). Change the prompt or "
                            "the reference images."), name,
                          scrubbed != NULL ? scrubbed : code != NULL ? code : "?");
    case REEL_PROVIDER_ANSWER_OTHER:
    default:
      return reel_provider_status_error (self, status, scrubbed);
    }
}

/* Polling ---------------------------------------------------------------------------------- */

typedef struct
{
  ReelProviderPoll *poll;
  GTask *task;
  ReelProviderPollFunc func;
  ReelProviderPollFunc cancelled;
  gpointer data;
} PollCall;

static void
poll_call_free (gpointer data)
{
  PollCall *call = data;

  g_object_unref (call->task);
  g_free (call);
}

void
reel_provider_poll_clear (ReelProviderPoll *poll)
{
  /* The timer owns the call: destroy the other source first, which only borrows it. */
  if (poll->cancelled != NULL)
    g_source_destroy (poll->cancelled);
  g_clear_pointer (&poll->cancelled, g_source_unref);
  if (poll->timer != NULL)
    g_source_destroy (poll->timer);
  g_clear_pointer (&poll->timer, g_source_unref);
}

static gboolean
on_poll_time (gpointer data)
{
  PollCall *call = data;
  g_autoptr(GTask) task = g_object_ref (call->task);
  ReelProviderPollFunc func = call->func;
  gpointer func_data = call->data;

  reel_provider_poll_clear (call->poll);
  func (task, func_data);
  return G_SOURCE_REMOVE;
}

/* Cancelled between two polls: stop at once rather than at the next poll. */
static gboolean
on_poll_cancelled (GCancellable *cancellable,
                   gpointer      data)
{
  PollCall *call = data;
  g_autoptr(GTask) task = g_object_ref (call->task);
  ReelProviderPollFunc cancelled = call->cancelled;
  gpointer func_data = call->data;

  reel_provider_poll_clear (call->poll);
  if (cancelled != NULL)
    cancelled (task, func_data);
  else
    g_task_return_error_if_cancelled (task);
  return G_SOURCE_REMOVE;
}

gboolean
reel_provider_poll_schedule (ReelProviderPoll     *poll,
                             GTask                *task,
                             guint                 interval_ms,
                             gint64                deadline_us,
                             ReelProviderPollFunc  func,
                             ReelProviderPollFunc  cancelled,
                             gpointer              data)
{
  PollCall *call;
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_return_val_if_fail (poll != NULL && G_IS_TASK (task) && func != NULL, FALSE);

  reel_provider_poll_clear (poll);
  if (deadline_us > 0 && g_get_monotonic_time () > deadline_us)
    return FALSE;

  call = g_new0 (PollCall, 1);
  call->poll = poll;
  call->task = g_object_ref (task);
  call->func = func;
  call->cancelled = cancelled;
  call->data = data;
  poll->timer = g_timeout_source_new (interval_ms);
  g_source_set_callback (poll->timer, on_poll_time, call, poll_call_free);
  if (cancellable != NULL)
    {
      poll->cancelled = g_cancellable_source_new (cancellable);
      g_source_set_callback (poll->cancelled, G_SOURCE_FUNC (on_poll_cancelled), call, NULL);
      g_source_attach (poll->cancelled, g_task_get_context (task));
    }
  g_source_attach (poll->timer, g_task_get_context (task));
  return TRUE;
}

gboolean
reel_provider_poll_is_pending (const ReelProviderPoll *poll)
{
  return poll->timer != NULL;
}

GError *
reel_provider_deadline_error (ReelProvider *self,
                              guint         deadline_ms)
{
  guint seconds = (deadline_ms + 999) / 1000;

  return g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_TIMEOUT,
                      g_dngettext (GETTEXT_PACKAGE,
                                   "%s did not finish the task within %u second. Try again "
                                   "later.",
                                   "%s did not finish the task within %u seconds. Try again "
                                   "later.", seconds),
                      reel_provider_get_display_name (self), seconds);
}

ReelAsset *
reel_provider_render_structure (ReelGenerationRequest *request)
{
  g_autoptr(ReelGreyboxImage) image = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;
  ReelAsset *asset = NULL;

  if (request->set == NULL || request->camera == NULL || request->kind == REEL_GENERATION_VIDEO)
    return NULL;
  image = reel_greybox_render_image (request, 0);
  png = image != NULL ? reel_greybox_image_line_art_to_png (image, &error) : NULL;
  if (png != NULL)
    asset = reel_asset_new_from_bytes (png, &error);
  if (asset == NULL)
    g_debug ("No structure reference: %s", error != NULL ? error->message : "?");
  return asset;
}

char *
reel_provider_prompt_for_references (ReelGenerationRequest *request)
{
  const char *prompt = request->prompt != NULL ? request->prompt : "";

  if (request->structure == NULL)
    return g_strdup (prompt);
  /* The model sees an unexplained drawing otherwise, and may copy its style. */
  return g_strconcat (prompt, "\n",
                      _("The black line drawing among the reference images is this shot’s "
                        "set seen from its camera: keep the layout, the walls and the props "
                        "where it draws them, but not its look."), NULL);
}

GError *
reel_provider_status_error (ReelProvider *self,
                            guint         status,
                            const char   *detail)
{
  const char *name = reel_provider_get_display_name (self);
  g_autofree char *reason = NULL;

  if (detail != NULL && detail[0] != '\0')
    reason = g_strdup_printf (" (%s)", detail);
  else
    reason = g_strdup ("");

  if (status == 401 || status == 403)
    return g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_AUTH,
                        /* Translators: "OpenAI refused the key (…). Check the key in
                         * Preferences → OpenAI." */
                        _("%s refused the key%s. Check the key in Preferences → %s."),
                        name, reason, name);
  if (status == 404)
    return g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_CONFIG,
                        _("%s does not know the model or address asked for%s. Check the "
                          "model and the address in Preferences → %s."), name, reason, name);
  if (status == 408 || status == 429)
    return g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_RATE_LIMITED,
                        _("%s is receiving too many requests%s. Wait a minute and try again, "
                          "or ask for fewer variants at a time."), name, reason);
  if (status >= 500)
    return g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_SERVER,
                        _("%s had a problem of its own (HTTP %u)%s. Try again later."),
                        name, status, reason);
  if (status >= 400)
    return g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_INVALID_REQUEST,
                        _("%s rejected the request%s. Change the prompt or the settings in "
                          "Preferences → %s and try again."), name, reason, name);

  return g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                      _("%s answered with an unexpected status (HTTP %u). Check the address "
                        "in Preferences → %s."), name, status, name);
}

/**
 * reel_provider_new_record:
 *
 * Returns: (transfer full): a record, still editable
 */
ReelGenerationRecord *
reel_provider_new_record (ReelProvider          *self,
                          ReelGenerationRequest *request,
                          const char            *url,
                          gint64                 seed,
                          JsonObject            *parameters,
                          gint64                 started_us)
{
  ReelGenerationRecord *record = reel_generation_record_new ();
  g_autoptr(GPtrArray) references = reel_generation_request_list_references (request);
  g_autoptr(GStrvBuilder) hashes = g_strv_builder_new ();

  record->provider = g_strdup (reel_provider_get_id (self));
  record->model = g_strdup (reel_provider_get_model (self));
  if (url != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);

      /* The host and port only: never a path or a query, which could carry a key. */
      if (uri != NULL && g_uri_get_host (uri) != NULL)
        record->endpoint_host = g_uri_get_port (uri) > 0
                                  ? g_strdup_printf ("%s:%d", g_uri_get_host (uri),
                                                     g_uri_get_port (uri))
                                  : g_strdup (g_uri_get_host (uri));
    }
  record->prompt = g_strdup (request->prompt);
  record->negative_prompt = g_strdup (request->negative_prompt);
  record->seed = seed;
  if (parameters != NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, parameters);
      record->parameters = json_to_string (node, FALSE);
    }
  for (guint i = 0; i < references->len; i++)
    g_strv_builder_add (hashes, reel_asset_get_hash (g_ptr_array_index (references, i)));
  record->input_hashes = g_strv_builder_end (hashes);
  if (record->input_hashes[0] == NULL)
    g_clear_pointer (&record->input_hashes, g_strfreev);
  record->created_us = g_get_real_time ();
  record->duration_ms = MAX (0, (g_get_monotonic_time () - started_us) / 1000);
  record->kind = g_strdup (reel_generation_kind_to_string (request->kind));
  record->angle_id = g_strdup (request->angle_id);
  return record;
}

/**
 * reel_provider_record_add_usage:
 * @usage: (nullable): what the service reported (tokens, image counts), as it sent it
 *
 * Keeps the service's own usage report in the record's parameters, under "usage". Call
 * before the record is shared by assets.
 */
void
reel_provider_record_add_usage (ReelGenerationRecord *record,
                                JsonObject           *usage)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) usage_node = NULL;
  JsonObject *parameters;

  if (record == NULL || usage == NULL)
    return;

  if (record->parameters != NULL)
    {
      parser = json_parser_new ();
      if (json_parser_load_from_data (parser, record->parameters, -1, NULL)
          && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        root = json_node_copy (json_parser_get_root (parser));
    }
  if (root == NULL)
    {
      root = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (root, json_object_new ());
    }

  parameters = json_node_get_object (root);
  usage_node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (usage_node, usage);
  json_object_set_member (parameters, "usage", g_steal_pointer (&usage_node));
  g_free (record->parameters);
  record->parameters = json_to_string (root, FALSE);
}

/**
 * reel_provider_usage_of:
 *
 * Returns: (transfer full) (nullable): the "usage" kept in @record's parameters
 */
JsonObject *
reel_provider_usage_of (const ReelGenerationRecord *record)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *usage;

  if (record == NULL || record->parameters == NULL)
    return NULL;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, record->parameters, -1, NULL))
    return NULL;
  usage = reel_json_get_object (reel_json_node_get_object (json_parser_get_root (parser)),
                                "usage");
  return usage != NULL ? json_object_ref (usage) : NULL;
}

static gboolean
base64_is_strict (const char *text,
                  gsize       length)
{
  gsize padding = 0;

  if (length == 0 || length % 4 != 0)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (c == '=')
        {
          padding++;
          continue;
        }
      if (padding > 0)
        return FALSE;
      if (!(g_ascii_isalnum (c) || c == '+' || c == '/'))
        return FALSE;
    }

  return padding <= 2;
}

/**
 * reel_provider_decode_base64:
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL for anything but clean base64
 */
GBytes *
reel_provider_decode_base64 (const char *text,
                             gsize       length)
{
  g_autofree char *copy = NULL;
  guchar *data;
  gsize size = 0;

  if (text == NULL || !base64_is_strict (text, length))
    return NULL;

  copy = g_strndup (text, length);
  data = g_base64_decode_inplace (copy, &size);
  return g_bytes_new (data, size);
}

/**
 * reel_provider_image_asset:
 *
 * Returns: (transfer full): a generated asset
 */
ReelAsset *
reel_provider_image_asset (const char            *display_name,
                           GBytes                *data,
                           ReelGenerationRecord  *record,
                           GError               **error)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) local_error = NULL;
  gsize size = 0;
  const guchar *bytes = g_bytes_get_data (data, &size);
  ReelAsset *asset;

  /* Decode it all: a truncated image must be caught here, not when it is drawn. */
  if (size == 0
      || !gdk_pixbuf_loader_write (loader, bytes, size, &local_error)
      || !gdk_pixbuf_loader_close (loader, &local_error)
      || gdk_pixbuf_loader_get_pixbuf (loader) == NULL)
    {
      if (local_error == NULL)
        gdk_pixbuf_loader_close (loader, NULL);
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                   _("%s sent an image that is damaged or incomplete. Try again."),
                   display_name);
      return NULL;
    }

  asset = reel_asset_new_generated (data, record, &local_error);
  if (asset == NULL)
    {
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                   _("%s sent an image in a format Storyreel cannot store (PNG, JPEG and "
                     "WebP are supported). Choose another output format."), display_name);
      return NULL;
    }

  return asset;
}

typedef struct
{
  ReelProviderThreadFunc func;
  gpointer input;
  GDestroyNotify input_free;
  GDestroyNotify result_free;
} ThreadJob;

static void
thread_job_free (gpointer data)
{
  ThreadJob *job = data;

  if (job->input_free != NULL && job->input != NULL)
    job->input_free (job->input);
  g_free (job);
}

static void
thread_job_run (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ThreadJob *job = task_data;
  GError *error = NULL;
  gpointer result;

  result = job->func (job->input, cancellable, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, job->result_free);
}

void
reel_provider_run_in_thread (ReelProviderThreadFunc  func,
                             gpointer                input,
                             GDestroyNotify          input_free,
                             GDestroyNotify          result_free,
                             GCancellable           *cancellable,
                             GAsyncReadyCallback     callback,
                             gpointer                user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ThreadJob *job = g_new0 (ThreadJob, 1);

  job->func = func;
  job->input = input;
  job->input_free = input_free;
  job->result_free = result_free;
  g_task_set_source_tag (task, reel_provider_run_in_thread);
  g_task_set_task_data (task, job, thread_job_free);
  g_task_run_in_thread (task, thread_job_run);
}

gpointer
reel_provider_run_in_thread_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  GBytes *data;
  ReelGenerationRecord *record;
  char *display_name;
} DecodeInput;

static void
decode_input_free (gpointer data)
{
  DecodeInput *input = data;

  g_bytes_unref (input->data);
  reel_generation_record_unref (input->record);
  g_free (input->display_name);
  g_free (input);
}

static gpointer
decode_image (gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  DecodeInput *input = data;

  return reel_provider_image_asset (input->display_name, input->data, input->record, error);
}

void
reel_provider_image_asset_async (const char           *display_name,
                                 GBytes               *data,
                                 ReelGenerationRecord *record,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data)
{
  DecodeInput *input = g_new0 (DecodeInput, 1);

  input->data = g_bytes_ref (data);
  input->record = reel_generation_record_ref (record);
  input->display_name = g_strdup (display_name);
  reel_provider_run_in_thread (decode_image, input, decode_input_free, g_object_unref,
                               cancellable, callback, user_data);
}

static gpointer
read_assets (gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  GPtrArray *assets = data;
  g_autoptr(GPtrArray) bytes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < assets->len; i++)
    {
      GBytes *read = reel_asset_dup_data (g_ptr_array_index (assets, i), cancellable, error);

      if (read == NULL)
        return NULL;
      g_ptr_array_add (bytes, read);
    }
  return g_steal_pointer (&bytes);
}

void
reel_provider_read_assets_async (GPtrArray           *assets,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (assets != NULL);

  reel_provider_run_in_thread (read_assets, g_ptr_array_ref (assets),
                               (GDestroyNotify) g_ptr_array_unref,
                               (GDestroyNotify) g_ptr_array_unref, cancellable, callback,
                               user_data);
}

GPtrArray *
reel_provider_read_assets_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return reel_provider_run_in_thread_finish (result, error);
}

JsonObject *
reel_json_node_get_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonObject *
reel_json_get_object (JsonObject *object,
                      const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return reel_json_node_get_object (node);
}

JsonArray *
reel_json_get_array (JsonObject *object,
                     const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

const char *
reel_json_get_string (JsonObject *object,
                      const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
           && json_node_get_value_type (node) == G_TYPE_STRING
           ? json_node_get_string (node) : NULL;
}

gint64
reel_json_get_int (JsonObject *object,
                   const char *member,
                   gint64      default_value)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return default_value;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);

      /* A number beyond what 64 bits hold is no count (and casting it is undefined). */
      if (!(value > -9.2e18 && value < 9.2e18))
        return default_value;
      return (gint64) value;
    }
  return default_value;
}

gboolean
reel_json_get_boolean (JsonObject *object,
                       const char *member,
                       gboolean    default_value)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
           && json_node_get_value_type (node) == G_TYPE_BOOLEAN
           ? json_node_get_boolean (node) : default_value;
}

JsonObject *
reel_json_array_get_object (JsonArray *array,
                            guint      index)
{
  if (array == NULL || index >= json_array_get_length (array))
    return NULL;
  return reel_json_node_get_object (json_array_get_element (array, index));
}

const char *
reel_json_array_get_string (JsonArray *array,
                            guint      index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;
  node = json_array_get_element (array, index);
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
           ? json_node_get_string (node) : NULL;
}
