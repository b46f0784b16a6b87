/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ai/reel-provider.h"

G_BEGIN_DECLS

#define REEL_TYPE_WAN (reel_wan_get_type ())
G_DECLARE_FINAL_TYPE (ReelWan, reel_wan, REEL, WAN, ReelProvider)

/* The Model Studio regions; a key belongs to one of them. */
#define REEL_WAN_REGION_INTERNATIONAL "international"  /* Singapore */
#define REEL_WAN_REGION_BEIJING       "beijing"

void reel_wan_set_region         (ReelWan    *self,
                                  const char *region);
/* The video model (image to video from the shot's background); the provider's model is
 * the image model. */
void reel_wan_set_video_model    (ReelWan    *self,
                                  const char *model);
/* How often a task is polled (default 3 s) and how long it may take (default 10 min). */
void reel_wan_set_poll_interval  (ReelWan    *self,
                                  guint       milliseconds);
void reel_wan_set_deadline       (ReelWan    *self,
                                  guint       milliseconds);

G_END_DECLS
