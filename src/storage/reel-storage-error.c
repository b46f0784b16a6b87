/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-storage"

#include "config.h"

#include "reel-storage-error.h"

G_DEFINE_QUARK (reel-storage-error-quark, reel_storage_error)
