/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ai/reel-comfyui-template.h"
#include "ai/reel-provider.h"

G_BEGIN_DECLS

#define REEL_TYPE_COMFYUI (reel_comfyui_get_type ())
G_DECLARE_FINAL_TYPE (ReelComfyui, reel_comfyui, REEL, COMFYUI, ReelProvider)

/* The built-in workflow templates (API format, with placeholders). */
#define REEL_COMFYUI_TEMPLATE_TEXT_TO_IMAGE  "txt2img.json"
#define REEL_COMFYUI_TEMPLATE_IMAGE_TO_IMAGE "img2img.json"
#define REEL_COMFYUI_TEMPLATE_IMAGE_TO_VIDEO "wan22-i2v.json"

void   reel_comfyui_set_servers         (ReelComfyui        *self,
                                         const char * const *servers);
/* Transfer none. */
const char * const *reel_comfyui_get_servers (ReelComfyui   *self);
/* Paths of the user's own templates; NULL or "" for the built-in ones. */
void   reel_comfyui_set_workflows       (ReelComfyui        *self,
                                         const char         *text_to_image,
                                         const char         *image_to_image);
/* The clip template (a moving background); NULL or "" for wan22-i2v.json. */
void   reel_comfyui_set_video_workflow  (ReelComfyui        *self,
                                         const char         *image_to_video);
/* How long a prompt may be neither queued nor in the history before it is an error (a
 * restarted server forgot it; default 60 s). */
void   reel_comfyui_set_vanish_timeout  (ReelComfyui        *self,
                                         guint               milliseconds);
/* How many prompts each server renders at once (default 1). */
void   reel_comfyui_set_slots           (ReelComfyui        *self,
                                         guint               slots);
/* Waits (running the default main context) until the cancellations sent to servers are
 * answered, at most @timeout_ms: for a program about to exit. */
void   reel_comfyui_flush_cancels       (guint               timeout_ms);
/* How often /history is polled while a prompt runs (default 500 ms). */
void   reel_comfyui_set_poll_interval   (ReelComfyui        *self,
                                         guint               milliseconds);

G_END_DECLS
