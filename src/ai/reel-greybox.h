/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ai/reel-provider.h"
#include "core/reel-greybox-render.h"

G_BEGIN_DECLS

#define REEL_TYPE_GREYBOX (reel_greybox_get_type ())
G_DECLARE_FINAL_TYPE (ReelGreybox, reel_greybox, REEL, GREYBOX, ReelProvider)

/* The drawing itself, for tests and thumbnails: thread-safe. Transfer full. The
 * request's set (or a generic one for its location) from its camera (or a default
 * one); the seed turns the sun. */
GBytes           *reel_greybox_render_png   (ReelGenerationRequest *request,
                                             guint32                seed);
ReelGreyboxImage *reel_greybox_render_image (ReelGenerationRequest *request,
                                             guint32                seed);

G_END_DECLS
