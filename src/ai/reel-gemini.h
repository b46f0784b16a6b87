/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ai/reel-provider.h"

G_BEGIN_DECLS

#define REEL_TYPE_GEMINI (reel_gemini_get_type ())
G_DECLARE_FINAL_TYPE (ReelGemini, reel_gemini, REEL, GEMINI, ReelProvider)

/* The supported aspect ratio closest to @aspect, compared on a log scale (a crop of the
 * same proportion either way): 2.39 → "21:9", 2.0 → "16:9" (2.0 is 12 % from 16:9 and
 * 17 % from 21:9), 1.85 and 1.78 → "16:9", 1.33 → "4:3", 1.0 → "1:1", 0.5625 → "9:16". */
const char *reel_gemini_aspect_ratio_for (double aspect);

G_END_DECLS
