/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-usage"

#include "config.h"

#include <glib/gi18n.h>

#include "core/reel-asset.h"
#include "reel-provider.h"
#include "reel-usage.h"

typedef struct
{
  char *provider;            /* the id, as the record has it */
  GPtrArray *names;          /* in the order the service first reported them */
  GHashTable *totals;        /* name → gint64 */
} ProviderUsage;

struct _ReelUsageTotals
{
  GPtrArray *providers;      /* ProviderUsage, in the order they first reported */
};

static void
provider_usage_free (gpointer data)
{
  ProviderUsage *usage = data;

  g_free (usage->provider);
  g_ptr_array_unref (usage->names);
  g_hash_table_unref (usage->totals);
  g_free (usage);
}

ReelUsageTotals *
reel_usage_totals_new (void)
{
  ReelUsageTotals *self = g_new0 (ReelUsageTotals, 1);

  self->providers = g_ptr_array_new_with_free_func (provider_usage_free);
  return self;
}

void
reel_usage_totals_free (ReelUsageTotals *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->providers);
  g_free (self);
}

static ProviderUsage *
provider_usage (ReelUsageTotals *self,
                const char      *provider)
{
  ProviderUsage *usage;

  for (guint i = 0; i < self->providers->len; i++)
    {
      usage = g_ptr_array_index (self->providers, i);
      if (g_strcmp0 (usage->provider, provider) == 0)
        return usage;
    }

  usage = g_new0 (ProviderUsage, 1);
  usage->provider = g_strdup (provider);
  usage->names = g_ptr_array_new_with_free_func (g_free);
  usage->totals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_ptr_array_add (self->providers, usage);
  return usage;
}

static void
add_object (ProviderUsage *usage,
            const char    *prefix,
            JsonObject    *object)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    {
      g_autofree char *full = prefix != NULL ? g_strdup_printf ("%s.%s", prefix, name)
                                             : g_strdup (name);

      if (JSON_NODE_HOLDS_OBJECT (member))
        add_object (usage, full, json_node_get_object (member));
      else if (JSON_NODE_HOLDS_VALUE (member)
               && (json_node_get_value_type (member) == G_TYPE_INT64
                   || json_node_get_value_type (member) == G_TYPE_DOUBLE))
        {
          gint64 *total = g_hash_table_lookup (usage->totals, full);

          if (total == NULL)
            {
              total = g_new0 (gint64, 1);
              g_ptr_array_add (usage->names, g_strdup (full));
              g_hash_table_insert (usage->totals, g_strdup (full), total);
            }
          *total += json_node_get_value_type (member) == G_TYPE_INT64
                      ? json_node_get_int (member)
                      : (gint64) json_node_get_double (member);
        }
    }
}

void
reel_usage_totals_add_assets (ReelUsageTotals *self,
                              GPtrArray       *assets)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();

  g_return_if_fail (self != NULL);

  for (guint i = 0; assets != NULL && i < assets->len; i++)
    {
      const ReelGenerationRecord *record = reel_asset_get_generation (g_ptr_array_index (assets,
                                                                                         i));
      g_autoptr(JsonObject) usage = NULL;

      if (record == NULL || g_ptr_array_find (seen, record, NULL))
        continue;
      g_ptr_array_add (seen, (gpointer) record);
      usage = reel_provider_usage_of (record);
      if (usage != NULL)
        add_object (provider_usage (self, record->provider), NULL, usage);
    }
}

char *
reel_usage_totals_format (ReelUsageTotals *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);

  for (guint p = 0; p < self->providers->len; p++)
    {
      ProviderUsage *usage = g_ptr_array_index (self->providers, p);
      const ReelProviderInfo *info = reel_provider_lookup_info (usage->provider);
      g_autoptr(GString) line = g_string_new (NULL);

      if (usage->names->len == 0)
        continue;
      for (guint i = 0; i < usage->names->len; i++)
        {
          const char *name = g_ptr_array_index (usage->names, i);

          g_string_append_printf (line, "%s%s %" G_GINT64_FORMAT, i > 0 ? ", " : "", name,
                                  *(gint64 *) g_hash_table_lookup (usage->totals, name));
        }
      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: "Usage reported by OpenAI: total_tokens 300, input_tokens 120" */
      g_string_append_printf (text, _("Usage reported by %s: %s"),
                              info != NULL ? g_dgettext (GETTEXT_PACKAGE, info->display_name)
                                           : usage->provider,
                              line->str);
    }

  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}
