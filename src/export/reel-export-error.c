/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-export"

#include "config.h"

#include "reel-export-error.h"

G_DEFINE_QUARK (reel-export-error-quark, reel_export_error)
