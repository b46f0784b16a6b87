/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-media"

#include "config.h"

#include "reel-media-error.h"

G_DEFINE_QUARK (reel-media-error-quark, reel_media_error)
