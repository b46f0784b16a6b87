/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define REEL_TYPE_BOARD_VIEW (reel_board_view_get_type ())

G_DECLARE_FINAL_TYPE (ReelBoardView, reel_board_view, REEL, BOARD_VIEW, GtkWidget)

G_END_DECLS
