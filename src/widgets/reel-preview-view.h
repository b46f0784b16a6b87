/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define REEL_TYPE_PREVIEW_VIEW (reel_preview_view_get_type ())

G_DECLARE_FINAL_TYPE (ReelPreviewView, reel_preview_view, REEL, PREVIEW_VIEW, GtkWidget)

G_END_DECLS
