/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ai/reel-provider.h"

G_BEGIN_DECLS

#define REEL_TYPE_OPENAI (reel_openai_get_type ())
G_DECLARE_FINAL_TYPE (ReelOpenai, reel_openai, REEL, OPENAI, ReelProvider)

/* The supported size closest to @aspect: "1536x1024", "1024x1024" or "1024x1536". */
const char *reel_openai_size_for (double aspect);

G_END_DECLS
