/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean reel_media_init         (GError **error);
gboolean reel_media_init_editing (GError **error);

char    *reel_media_describe_missing_plugins (GPtrArray *descriptions);

G_END_DECLS
