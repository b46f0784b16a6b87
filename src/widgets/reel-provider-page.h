/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define REEL_TYPE_PROVIDER_PAGE (reel_provider_page_get_type ())
G_DECLARE_FINAL_TYPE (ReelProviderPage, reel_provider_page, REEL, PROVIDER_PAGE, AdwPreferencesPage)

/*
 * ReelProviderPage: the Preferences page of one image provider: its address, model and
 * other settings, its API key (stored in the keyring, never shown back) and a "Test
 * Connection" button. With no provider id, the page of what every provider shares: the
 * default provider, the number of variants, "Local only".
 *
 * Property: "provider-id" (construct-only string, nullable).
 */

GtkWidget  *reel_provider_page_new             (const char       *provider_id);
const char *reel_provider_page_get_provider_id (ReelProviderPage *self);

void        reel_bind_generation_variants      (GSettings        *settings,
                                                GtkSpinButton    *spin);

G_END_DECLS
