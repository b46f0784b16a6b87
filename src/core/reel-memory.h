/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void  reel_memory_trim_soon        (void);
guint reel_memory_get_n_trims      (void);

G_END_DECLS
