/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define REEL_TYPE_SHOT_LIST_VIEW (reel_shot_list_view_get_type ())

G_DECLARE_FINAL_TYPE (ReelShotListView, reel_shot_list_view, REEL, SHOT_LIST_VIEW, GtkWidget)

G_END_DECLS
