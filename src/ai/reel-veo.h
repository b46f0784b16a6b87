/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ai/reel-provider.h"

G_BEGIN_DECLS

#define REEL_TYPE_VEO (reel_veo_get_type ())
G_DECLARE_FINAL_TYPE (ReelVeo, reel_veo, REEL, VEO, ReelProvider)

/* How often the operation is polled (default 5 s). */
void reel_veo_set_poll_interval (ReelVeo *self,
                                 guint    milliseconds);

G_END_DECLS
