/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define REEL_CORE_ERROR (reel_core_error_quark ())

GQuark reel_core_error_quark (void);

G_END_DECLS
