/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-core"

#include "config.h"

#include "reel-core-error.h"

G_DEFINE_QUARK (reel-core-error-quark, reel_core_error)
