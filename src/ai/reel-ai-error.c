/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-ai"

#include "config.h"

#include "reel-ai-error.h"

G_DEFINE_QUARK (reel-ai-error-quark, reel_ai_error)
