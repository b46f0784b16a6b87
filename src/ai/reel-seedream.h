/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ai/reel-provider.h"

G_BEGIN_DECLS

#define REEL_TYPE_SEEDREAM (reel_seedream_get_type ())
G_DECLARE_FINAL_TYPE (ReelSeedream, reel_seedream, REEL, SEEDREAM, ReelProvider)

/* The two Ark regions; a key belongs to one of them. */
#define REEL_SEEDREAM_REGION_BYTEPLUS   "byteplus"    /* BytePlus ModelArk, international */
#define REEL_SEEDREAM_REGION_VOLCENGINE "volcengine"  /* Volcengine Ark, China */

/* The region decides the address and the default model unless they were set. */
void        reel_seedream_set_region    (ReelSeedream *self,
                                         const char   *region);
const char *reel_seedream_get_region    (ReelSeedream *self);
/* Seedream marks images "AI generated" unless told not to; a plate needs it off (the
 * default here). */
void        reel_seedream_set_watermark (ReelSeedream *self,
                                         gboolean      watermark);
/* "WxH" for @aspect: about 2K pixels on the long side, sides multiples of 16. */
char       *reel_seedream_size_for      (double        aspect);

G_END_DECLS
