/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define REEL_AI_ERROR (reel_ai_error_quark ())

GQuark reel_ai_error_quark (void);

G_END_DECLS
