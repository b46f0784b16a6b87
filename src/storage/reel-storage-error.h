/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define REEL_STORAGE_ERROR (reel_storage_error_quark ())

GQuark reel_storage_error_quark (void);

G_END_DECLS
