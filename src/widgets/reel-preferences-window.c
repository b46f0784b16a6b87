/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "ai/reel-provider.h"
#include "reel-preferences-window.h"
#include "reel-provider-page.h"

struct _ReelPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings *settings;

  AdwComboRow *style_row;
};

G_DEFINE_FINAL_TYPE (ReelPreferencesWindow, reel_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The order of the rows in the style combo; the settings store the nick. */
static const char * const style_ids[] = { "default", "light", "dark" };

static gboolean
style_get_mapping (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  const char *id = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (style_ids); i++)
    {
      if (g_str_equal (id, style_ids[i]))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
style_set_mapping (const GValue       *value,
                   const GVariantType *expected_type,
                   gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  return g_variant_new_string (style_ids[MIN (i, G_N_ELEMENTS (style_ids) - 1)]);
}

static void
reel_preferences_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), REEL_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (reel_preferences_window_parent_class)->dispose (object);
}

static void
reel_preferences_window_finalize (GObject *object)
{
  ReelPreferencesWindow *self = REEL_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (reel_preferences_window_parent_class)->finalize (object);
}

static void
reel_preferences_window_class_init (ReelPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reel_preferences_window_dispose;
  object_class->finalize = reel_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/reel-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ReelPreferencesWindow, style_row);
}

static void
reel_preferences_window_init (ReelPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (BASE_APPLICATION_ID);
  g_settings_bind_with_mapping (self->settings, "style-variant",
                                self->style_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                style_get_mapping, style_set_mapping, NULL, NULL);

  /* Image generation: what every provider shares, then a page per provider that has
   * settings (gray-box has none). */
  {
    guint n_providers = 0;
    const ReelProviderInfo *providers = reel_provider_list (&n_providers);

    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                ADW_PREFERENCES_PAGE (reel_provider_page_new (NULL)));
    for (guint i = 0; i < n_providers; i++)
      if ((providers[i].capabilities & REEL_GENERATOR_OFFLINE) == 0)
        adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                    ADW_PREFERENCES_PAGE (reel_provider_page_new (
                                      providers[i].id)));
  }
}

GtkWidget *
reel_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (REEL_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
}
