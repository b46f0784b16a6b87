/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-provider-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ai/reel-keys.h"
#include "ai/reel-provider.h"
#include "ai/reel-veo.h"
#include "reel-provider-page.h"

struct _ReelProviderPage
{
  AdwPreferencesPage parent_instance;

  char *provider_id;
  GSettings *settings;
  GCancellable *cancellable;
  ReelProvider *testing;

  GtkWidget *general_group;
  AdwComboRow *default_provider_row;
  GtkSpinButton *variants_spin;
  GtkSwitch *local_only_switch;
  GtkWidget *server_group;
  AdwEntryRow *servers_row;
  AdwEntryRow *endpoint_row;
  AdwEntryRow *model_row;
  AdwEntryRow *project_row;
  AdwEntryRow *cloud_region_row;
  AdwComboRow *image_size_row;
  AdwComboRow *quality_row;
  AdwComboRow *region_row;
  AdwActionRow *watermark_row;
  GtkSwitch *watermark_switch;
  GtkWidget *workflow_group;
  AdwActionRow *text_workflow_row;
  AdwActionRow *image_workflow_row;
  AdwActionRow *video_workflow_row;
  AdwPreferencesGroup *key_group;
  AdwEntryRow *key_row;
  AdwEntryRow *token_command_row;
  GtkWidget *test_group;
  AdwActionRow *test_row;
  GtkSpinner *test_spinner;
  AdwActionRow *models_row;
  ReelProvider *listing;
};

G_DEFINE_FINAL_TYPE (ReelProviderPage, reel_provider_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_PROVIDER_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const image_sizes[] = { "1K", "2K", "4K", NULL };
static const char * const qualities[] = { "auto", "low", "medium", "high", NULL };
static const char * const regions[] = { "byteplus", "volcengine", NULL };
static const char * const wan_regions[] = { "international", "beijing", NULL };

static char *
setting_key (ReelProviderPage *self,
             const char       *suffix)
{
  return g_strdup_printf ("%s-%s", self->provider_id, suffix);
}

static const char *
display_name (ReelProviderPage *self)
{
  const ReelProviderInfo *info = reel_provider_lookup_info (self->provider_id);

  return info != NULL ? g_dgettext (GETTEXT_PACKAGE, info->display_name) : self->provider_id;
}

/* Settings rows ---------------------------------------------------------------------------- */

static void
on_endpoint_applied (ReelProviderPage *self)
{
  g_autofree char *key = setting_key (self, "endpoint");
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (
                                                                         self->endpoint_row))));

  g_settings_set_string (self->settings, key, text);
}

static void
on_model_applied (ReelProviderPage *self)
{
  g_autofree char *key = setting_key (self, "model");
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (
                                                                         self->model_row))));

  g_settings_set_string (self->settings, key, text);
}

/* Veo's Google Cloud project and region: lowercase names, a region checked before it is
 * kept (it becomes part of a host name). */
static void
on_project_applied (ReelProviderPage *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (
                                                                         self->project_row))));

  g_settings_set_string (self->settings, "veo-project", text);
}

static void
on_cloud_region_applied (ReelProviderPage *self)
{
  g_autofree char *text = g_strstrip (g_ascii_strdown (gtk_editable_get_text (GTK_EDITABLE (
                                                         self->cloud_region_row)), -1));

  if (text[0] != '\0' && !reel_veo_region_is_valid (text))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->cloud_region_row), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->cloud_region_row), "error");
  if (text[0] == '\0')
    g_settings_reset (self->settings, "veo-region");
  else
    g_settings_set_string (self->settings, "veo-region", text);
}

/* The command is run without a shell: what is kept is the text, split when it runs. */
static void
on_token_command_applied (ReelProviderPage *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (
                                                  self->token_command_row))));

  g_settings_set_string (self->settings, "veo-token-command", text);
}

static void
load_cloud_settings (ReelProviderPage *self)
{
  g_autofree char *project = g_settings_get_string (self->settings, "veo-project");
  g_autofree char *region = g_settings_get_string (self->settings, "veo-region");
  g_autofree char *command = g_settings_get_string (self->settings, "veo-token-command");

  gtk_editable_set_text (GTK_EDITABLE (self->project_row), project);
  gtk_editable_set_text (GTK_EDITABLE (self->cloud_region_row), region);
  gtk_editable_set_text (GTK_EDITABLE (self->token_command_row), command);
}

static void
on_servers_applied (ReelProviderPage *self)
{
  g_auto(GStrv) parts = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->servers_row)),
                                    ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) servers = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  servers = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "comfyui-servers", (const char * const *) servers);
}

static void
load_servers (ReelProviderPage *self)
{
  g_auto(GStrv) servers = g_settings_get_strv (self->settings, "comfyui-servers");
  g_autofree char *joined = g_strjoinv (", ", servers);

  gtk_editable_set_text (GTK_EDITABLE (self->servers_row), joined);
}

static void
update_workflow_rows (ReelProviderPage *self)
{
  struct { const char *key; AdwActionRow *row; } rows[] = {
    { "comfyui-workflow", self->text_workflow_row },
    { "comfyui-edit-workflow", self->image_workflow_row },
    { "comfyui-video-workflow", self->video_workflow_row },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *path = g_settings_get_string (self->settings, rows[i].key);

      adw_action_row_set_subtitle (rows[i].row,
                                   path[0] != '\0' ? path : _("Built in"));
    }
}

typedef struct
{
  ReelProviderPage *self;
  char *key;
} ChooseWorkflow;

static void
on_workflow_chosen (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  ChooseWorkflow *choose = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        g_settings_set_string (choose->self->settings, choose->key, path);
    }

  g_object_unref (choose->self);
  g_free (choose->key);
  g_free (choose);
  g_object_unref (dialog);
}

static void
choose_workflow_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ReelProviderPage *self = REEL_PROVIDER_PAGE (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  ChooseWorkflow *choose = g_new0 (ChooseWorkflow, 1);

  dialog = gtk_file_chooser_native_new (_("Choose a Workflow in API Format"),
                                        GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"),
                                        _("_Cancel"));
  gtk_file_filter_set_name (filter, _("ComfyUI workflows (JSON)"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);

  choose->self = g_object_ref (self);
  choose->key = g_variant_dup_string (parameter, NULL);
  g_signal_connect (dialog, "response", G_CALLBACK (on_workflow_chosen), choose);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
reset_workflow_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ReelProviderPage *self = REEL_PROVIDER_PAGE (widget);

  g_settings_set_string (self->settings, g_variant_get_string (parameter, NULL), "");
}

static void
on_settings_changed (ReelProviderPage *self,
                     const char       *key)
{
  g_autofree char *endpoint_key = NULL;
  g_autofree char *model_key = NULL;

  if (self->provider_id == NULL)
    return;

  if (g_str_has_prefix (key, "comfyui-") && g_str_has_suffix (key, "workflow"))
    update_workflow_rows (self);
  else if (g_str_equal (key, "comfyui-servers") && g_str_equal (self->provider_id, "comfyui"))
    load_servers (self);
  else if ((g_str_equal (key, "veo-project") || g_str_equal (key, "veo-region")
            || g_str_equal (key, "veo-token-command"))
           && g_str_equal (self->provider_id, "veo"))
    load_cloud_settings (self);

  /* Changed elsewhere (another window, the command line's dconf): show it. */
  endpoint_key = setting_key (self, "endpoint");
  model_key = setting_key (self, "model");
  if (g_str_equal (key, endpoint_key))
    {
      g_autofree char *value = g_settings_get_string (self->settings, key);

      gtk_editable_set_text (GTK_EDITABLE (self->endpoint_row), value);
    }
  else if (g_str_equal (key, model_key))
    {
      g_autofree char *value = g_settings_get_string (self->settings, key);

      gtk_editable_set_text (GTK_EDITABLE (self->model_row), value);
    }
}

/* Combo rows ↔ string settings, by index in a table. */
static gboolean
index_get_mapping (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  const char * const *ids = user_data;
  const char *id = g_variant_get_string (variant, NULL);

  for (guint i = 0; ids[i] != NULL; i++)
    if (g_str_equal (ids[i], id))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
index_set_mapping (const GValue       *value,
                   const GVariantType *expected_type,
                   gpointer            user_data)
{
  const char * const *ids = user_data;
  guint n_ids = g_strv_length ((char **) ids);

  return g_variant_new_string (ids[MIN (g_value_get_uint (value), n_ids - 1)]);
}

/* The key ---------------------------------------------------------------------------------- */

static void
on_key_looked_up (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ReelProviderPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = reel_keys_lookup_finish (result, &error);
  g_autofree char *from_env = NULL;
  g_autofree char *env_name = NULL;
  g_autofree char *description = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  from_env = reel_keys_lookup_env (self->provider_id);
  env_name = reel_keys_dup_env_name (self->provider_id);
  if (from_env != NULL)
    description = g_strdup_printf (_("%s is set in the environment and is used instead of "
                                     "the key stored here."), env_name);
  else if (key != NULL && g_str_equal (self->provider_id, "veo"))
    description = g_strdup (_("An access token is stored in the keyring. Tokens last about "
                              "an hour: paste a new one from “gcloud auth print-access-token” "
                              "when Google Cloud refuses it, or an empty one to remove it."));
  else if (key != NULL)
    description = g_strdup (_("A key is stored in the keyring. Enter a new one to replace it, "
                              "or an empty one to remove it."));
  else if (g_str_equal (self->provider_id, "comfyui"))
    description = g_strdup (_("Only needed when the servers sit behind a proxy that asks for "
                              "one."));
  else if (g_str_equal (self->provider_id, "veo"))
    description = g_strdup_printf (_("No access token yet. Make one with “gcloud auth "
                                     "print-access-token” and paste it here; it lasts about "
                                     "an hour. It is kept in the keyring, never in the "
                                     "project or the settings; %s overrides it. Or enter "
                                     "that command below: Storyreel then runs it for a "
                                     "token when it needs one."), env_name);
  else
    description = g_strdup_printf (_("No key yet. It is kept in the keyring, never in the "
                                     "project or the settings; %s overrides it."), env_name);

  adw_preferences_group_set_description (self->key_group, description);
  /* The key itself is never shown back. */
  if (key != NULL)
    memset (key, 0, strlen (key));
}

static void
refresh_key_state (ReelProviderPage *self)
{
  reel_keys_lookup_async (self->provider_id, self->cancellable, on_key_looked_up,
                          g_object_ref (self));
}

static void
on_key_stored (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ReelProviderPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!reel_keys_store_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_preferences_group_set_description (self->key_group, error->message);
      return;
    }

  refresh_key_state (self);
}

static void
on_key_applied (ReelProviderPage *self)
{
  g_autofree char *key = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->key_row)));

  /* Out of the entry at once: it is not left lying in the window. */
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  reel_keys_store_async (self->provider_id, display_name (self), key, self->cancellable,
                         on_key_stored, g_object_ref (self));
  memset (key, 0, strlen (key));
}

/* Test connection -------------------------------------------------------------------------- */

static void
on_checked (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ReelProviderPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = reel_generator_check_finish (REEL_GENERATOR (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->test_spinner);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "provider-page.test", TRUE);
  g_clear_object (&self->testing);

  adw_action_row_set_subtitle (self->test_row, answer != NULL ? answer : error->message);
  if (answer != NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->test_row), "success");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->test_row), "error");
    }
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ReelProviderPage *self = REEL_PROVIDER_PAGE (widget);
  g_autoptr(GError) error = NULL;

  /* What is typed but not applied counts too: that is what the user is looking at. */
  if (self->endpoint_row != NULL && gtk_widget_get_visible (GTK_WIDGET (self->endpoint_row)))
    on_endpoint_applied (self);
  if (self->model_row != NULL && gtk_widget_get_visible (GTK_WIDGET (self->model_row)))
    on_model_applied (self);
  if (gtk_widget_get_visible (GTK_WIDGET (self->servers_row)))
    on_servers_applied (self);

  self->testing = reel_provider_new_for_id (self->provider_id, &error);
  if (self->testing == NULL)
    {
      adw_action_row_set_subtitle (self->test_row, error->message);
      return;
    }
  reel_provider_apply_settings (self->testing, self->settings);

  gtk_spinner_start (self->test_spinner);
  gtk_widget_action_set_enabled (widget, "provider-page.test", FALSE);
  adw_action_row_set_subtitle (self->test_row, _("Testing…"));
  reel_generator_check_async (REEL_GENERATOR (self->testing), self->cancellable, on_checked,
                              g_object_ref (self));
}

/* Models on offer -------------------------------------------------------------------------- */

static void
on_models_listed (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ReelProviderPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) models = reel_provider_list_models_finish (REEL_PROVIDER (object), result,
                                                           &error);
  g_autoptr(GString) text = g_string_new (NULL);
  const char *chosen = reel_provider_get_model (REEL_PROVIDER (object));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "provider-page.list-models", TRUE);
  g_clear_object (&self->listing);

  if (models == NULL)
    {
      adw_action_row_set_subtitle (self->models_row, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->models_row), "error");
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->models_row), "error");
  for (guint i = 0; models[i] != NULL; i++)
    g_string_append_printf (text, "%s%s%s", i > 0 ? ", " : "", models[i],
                            g_strcmp0 (models[i], chosen) == 0 ? _(" (chosen)") : "");
  if (models[0] == NULL)
    g_string_append (text, _("None that Storyreel can use."));
  else if (!g_strv_contains ((const char * const *) models, chosen))
    /* Translators: after the list of models; %s is the chosen one */
    g_string_append_printf (text, _(". The chosen model “%s” is not among them."), chosen);
  adw_action_row_set_subtitle (self->models_row, text->str);
}

static void
list_models_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ReelProviderPage *self = REEL_PROVIDER_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (self->endpoint_row != NULL && gtk_widget_get_visible (GTK_WIDGET (self->endpoint_row)))
    on_endpoint_applied (self);
  if (self->model_row != NULL && gtk_widget_get_visible (GTK_WIDGET (self->model_row)))
    on_model_applied (self);

  self->listing = reel_provider_new_for_id (self->provider_id, &error);
  if (self->listing == NULL)
    {
      adw_action_row_set_subtitle (self->models_row, error->message);
      return;
    }
  reel_provider_apply_settings (self->listing, self->settings);

  gtk_widget_action_set_enabled (widget, "provider-page.list-models", FALSE);
  adw_action_row_set_subtitle (self->models_row, _("Asking…"));
  reel_provider_list_models_async (self->listing, self->cancellable, on_models_listed,
                                   g_object_ref (self));
}

/* GObject ---------------------------------------------------------------------------------- */

static void
reel_provider_page_constructed (GObject *object)
{
  ReelProviderPage *self = REEL_PROVIDER_PAGE (object);
  const char *id = self->provider_id;
  g_autofree char *endpoint_key = NULL;
  g_autofree char *model_key = NULL;

  G_OBJECT_CLASS (reel_provider_page_parent_class)->constructed (object);

  if (id == NULL)
    {
      adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Generation"));
      adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self),
                                          "applications-graphics-symbolic");
      gtk_widget_set_visible (self->server_group, FALSE);
      gtk_widget_set_visible (self->workflow_group, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->key_group), FALSE);
      gtk_widget_set_visible (self->test_group, FALSE);
      return;
    }

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), display_name (self));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self),
                                      g_str_equal (id, "comfyui") ? "network-server-symbolic"
                                                                  : "network-workgroup-symbolic");
  adw_preferences_page_set_name (ADW_PREFERENCES_PAGE (self), id);
  gtk_widget_set_visible (self->general_group, FALSE);

  /* ComfyUI: a list of servers and two templates; the others: one address and a model. */
  gtk_widget_set_visible (GTK_WIDGET (self->servers_row), g_str_equal (id, "comfyui"));
  gtk_widget_set_visible (self->workflow_group, g_str_equal (id, "comfyui"));
  gtk_widget_set_visible (GTK_WIDGET (self->endpoint_row), !g_str_equal (id, "comfyui"));
  gtk_widget_set_visible (GTK_WIDGET (self->model_row), !g_str_equal (id, "comfyui"));
  gtk_widget_set_visible (GTK_WIDGET (self->image_size_row), g_str_equal (id, "gemini"));
  gtk_widget_set_visible (GTK_WIDGET (self->quality_row), g_str_equal (id, "openai"));
  gtk_widget_set_visible (GTK_WIDGET (self->region_row),
                          g_str_equal (id, "seedream") || g_str_equal (id, "wan"));
  /* The services that list their models. */
  gtk_widget_set_visible (GTK_WIDGET (self->models_row),
                          g_str_equal (id, "gemini") || g_str_equal (id, "openai")
                          || g_str_equal (id, "veo"));
  gtk_widget_set_visible (GTK_WIDGET (self->watermark_row), g_str_equal (id, "seedream"));
  gtk_widget_set_visible (GTK_WIDGET (self->project_row), g_str_equal (id, "veo"));
  gtk_widget_set_visible (GTK_WIDGET (self->cloud_region_row), g_str_equal (id, "veo"));
  gtk_widget_set_visible (GTK_WIDGET (self->token_command_row), g_str_equal (id, "veo"));

  if (g_str_equal (id, "comfyui"))
    {
      load_servers (self);
      g_signal_connect_swapped (self->servers_row, "apply", G_CALLBACK (on_servers_applied),
                                self);
      update_workflow_rows (self);
    }
  else
    {
      g_autofree char *endpoint = NULL;
      g_autofree char *model = NULL;

      endpoint_key = setting_key (self, "endpoint");
      model_key = setting_key (self, "model");
      endpoint = g_settings_get_string (self->settings, endpoint_key);
      model = g_settings_get_string (self->settings, model_key);
      gtk_editable_set_text (GTK_EDITABLE (self->endpoint_row), endpoint);
      gtk_editable_set_text (GTK_EDITABLE (self->model_row), model);
      g_signal_connect_swapped (self->endpoint_row, "apply", G_CALLBACK (on_endpoint_applied),
                                self);
      g_signal_connect_swapped (self->model_row, "apply", G_CALLBACK (on_model_applied), self);
    }

  if (g_str_equal (id, "veo"))
    {
      /* Google Cloud: a project, a region, and an OAuth access token instead of a key. */
      load_cloud_settings (self);
      g_signal_connect_swapped (self->project_row, "apply", G_CALLBACK (on_project_applied),
                                self);
      g_signal_connect_swapped (self->cloud_region_row, "apply",
                                G_CALLBACK (on_cloud_region_applied), self);
      g_signal_connect_swapped (self->token_command_row, "apply",
                                G_CALLBACK (on_token_command_applied), self);
      adw_preferences_group_set_title (self->key_group, _("Access Token"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->key_row),
                                     _("New Access Token"));
      adw_action_row_set_subtitle (self->models_row,
                                   _("The Veo models Storyreel knows: Google Cloud has no list "
                                     "to ask"));
    }
  if (g_str_equal (id, "gemini"))
    g_settings_bind_with_mapping (self->settings, "gemini-image-size", self->image_size_row,
                                  "selected", G_SETTINGS_BIND_DEFAULT, index_get_mapping,
                                  index_set_mapping, (gpointer) image_sizes, NULL);
  if (g_str_equal (id, "openai"))
    g_settings_bind_with_mapping (self->settings, "openai-quality", self->quality_row,
                                  "selected", G_SETTINGS_BIND_DEFAULT, index_get_mapping,
                                  index_set_mapping, (gpointer) qualities, NULL);
  if (g_str_equal (id, "wan"))
    {
      const char *names[] = { _("International (Singapore)"), _("Beijing"), NULL };
      g_autoptr(GtkStringList) list = gtk_string_list_new (names);

      adw_combo_row_set_model (self->region_row, G_LIST_MODEL (list));
      g_settings_bind_with_mapping (self->settings, "wan-region", self->region_row,
                                    "selected", G_SETTINGS_BIND_DEFAULT, index_get_mapping,
                                    index_set_mapping, (gpointer) wan_regions, NULL);
    }
  if (g_str_equal (id, "seedream"))
    {
      g_settings_bind_with_mapping (self->settings, "seedream-region", self->region_row,
                                    "selected", G_SETTINGS_BIND_DEFAULT, index_get_mapping,
                                    index_set_mapping, (gpointer) regions, NULL);
      g_settings_bind (self->settings, "seedream-watermark", self->watermark_switch, "active",
                       G_SETTINGS_BIND_DEFAULT);
    }

  g_signal_connect_swapped (self->key_row, "apply", G_CALLBACK (on_key_applied), self);
  refresh_key_state (self);
}

static void
reel_provider_page_dispose (GObject *object)
{
  ReelProviderPage *self = REEL_PROVIDER_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), REEL_TYPE_PROVIDER_PAGE);

  G_OBJECT_CLASS (reel_provider_page_parent_class)->dispose (object);
}

static void
reel_provider_page_finalize (GObject *object)
{
  ReelProviderPage *self = REEL_PROVIDER_PAGE (object);

  g_free (self->provider_id);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->testing);
  g_clear_object (&self->listing);

  G_OBJECT_CLASS (reel_provider_page_parent_class)->finalize (object);
}

static void
reel_provider_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ReelProviderPage *self = REEL_PROVIDER_PAGE (object);

  switch (prop_id)
    {
    case PROP_PROVIDER_ID:
      g_value_set_string (value, self->provider_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_provider_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ReelProviderPage *self = REEL_PROVIDER_PAGE (object);

  switch (prop_id)
    {
    case PROP_PROVIDER_ID:
      self->provider_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_provider_page_class_init (ReelProviderPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = reel_provider_page_constructed;
  object_class->dispose = reel_provider_page_dispose;
  object_class->finalize = reel_provider_page_finalize;
  object_class->get_property = reel_provider_page_get_property;
  object_class->set_property = reel_provider_page_set_property;

  properties[PROP_PROVIDER_ID] =
    g_param_spec_string ("provider-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/reel-provider-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, general_group);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, default_provider_row);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, variants_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, local_only_switch);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, server_group);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, servers_row);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, project_row);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, cloud_region_row);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, token_command_row);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, model_row);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, image_size_row);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, quality_row);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, region_row);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, models_row);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, watermark_row);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, watermark_switch);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, workflow_group);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, text_workflow_row);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, image_workflow_row);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, video_workflow_row);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, key_group);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, key_row);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, test_group);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, test_row);
  gtk_widget_class_bind_template_child (widget_class, ReelProviderPage, test_spinner);

  gtk_widget_class_install_action (widget_class, "provider-page.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "provider-page.list-models", NULL,
                                   list_models_action);
  gtk_widget_class_install_action (widget_class, "provider-page.choose-workflow", "s",
                                   choose_workflow_action);
  gtk_widget_class_install_action (widget_class, "provider-page.reset-workflow", "s",
                                   reset_workflow_action);
}

static void
reel_provider_page_init (ReelProviderPage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  static const char *ids[8];
  guint n_providers = 0;
  const ReelProviderInfo *providers = reel_provider_list (&n_providers);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (BASE_APPLICATION_ID);
  g_signal_connect_swapped (self->settings, "changed", G_CALLBACK (on_settings_changed), self);

  g_assert (n_providers < G_N_ELEMENTS (ids));
  for (guint i = 0; i < n_providers; i++)
    {
      ids[i] = providers[i].id;
      gtk_string_list_append (names, g_dgettext (GETTEXT_PACKAGE, providers[i].display_name));
    }
  adw_combo_row_set_model (self->default_provider_row, G_LIST_MODEL (names));
  g_settings_bind_with_mapping (self->settings, "default-provider", self->default_provider_row,
                                "selected", G_SETTINGS_BIND_DEFAULT, index_get_mapping,
                                index_set_mapping, (gpointer) ids, NULL);
  reel_bind_generation_variants (self->settings, GTK_SPIN_BUTTON (self->variants_spin));
  g_settings_bind (self->settings, "local-only", self->local_only_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
}

/**
 * reel_provider_page_new:
 * @provider_id: (nullable): "comfyui", "gemini", "openai", "seedream", "veo", or NULL for the
 *   settings every provider shares
 *
 * Returns: (transfer full): the page
 */
GtkWidget *
reel_provider_page_new (const char *provider_id)
{
  return g_object_new (REEL_TYPE_PROVIDER_PAGE, "provider-id", provider_id, NULL);
}

const char *
reel_provider_page_get_provider_id (ReelProviderPage *self)
{
  g_return_val_if_fail (REEL_IS_PROVIDER_PAGE (self), NULL);
  return self->provider_id;
}

/* The variant count is a uint setting shown in spin buttons (doubles) in the
 * Preferences and in the generation panel: one binding serves both. */
static gboolean
variants_get_mapping (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant));
  return TRUE;
}

static GVariant *
variants_set_mapping (const GValue       *value,
                      const GVariantType *expected_type,
                      gpointer            user_data)
{
  return g_variant_new_uint32 ((guint32) CLAMP (g_value_get_double (value), 1, 8));
}

void
reel_bind_generation_variants (GSettings     *settings,
                               GtkSpinButton *spin)
{
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (GTK_IS_SPIN_BUTTON (spin));

  g_settings_bind_with_mapping (settings, "generation-variants", spin, "value",
                                G_SETTINGS_BIND_DEFAULT, variants_get_mapping,
                                variants_set_mapping, NULL, NULL);
}
