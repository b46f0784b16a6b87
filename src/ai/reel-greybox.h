/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ai/reel-provider.h"

G_BEGIN_DECLS

#define REEL_TYPE_GREYBOX (reel_greybox_get_type ())
G_DECLARE_FINAL_TYPE (ReelGreybox, reel_greybox, REEL, GREYBOX, ReelProvider)

/* The drawing itself, for tests and thumbnails: thread-safe. Transfer full. */
GBytes *reel_greybox_render_png (ReelGenerationRequest *request,
                                 guint32                seed);

G_END_DECLS
