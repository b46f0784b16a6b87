/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define REEL_TYPE_WINDOW (reel_window_get_type ())

G_DECLARE_FINAL_TYPE (ReelWindow, reel_window, REEL, WINDOW, AdwApplicationWindow)

ReelWindow *reel_window_new       (AdwApplication *application);
void        reel_window_open_file (ReelWindow     *self,
                                   GFile          *file);
GFile      *reel_window_get_file  (ReelWindow     *self);

G_END_DECLS
