/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define REEL_TYPE_PREFERENCES_WINDOW (reel_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (ReelPreferencesWindow, reel_preferences_window, REEL, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GtkWidget *reel_preferences_window_new (GtkWindow *parent);

G_END_DECLS
