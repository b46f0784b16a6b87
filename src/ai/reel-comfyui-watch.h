/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "ai/reel-comfyui-events.h"

G_BEGIN_DECLS

/* Called on the main context for each event of one prompt (and the previews sent while it
 * runs). */
typedef void (*ReelComfyuiWatchFunc) (const ReelComfyuiEvent *event,
                                      gpointer                user_data);

/* Opens the /ws of @server_url for this process's client id, unless it is open or being
 * opened (or failed a moment ago: then it is tried again later). @local_only, @resolver and
 * @authorization as for reel_websocket_connect_async(). */
void     reel_comfyui_watch_server    (const char           *server_url,
                                       gboolean              local_only,
                                       GResolver            *resolver,
                                       const char           *authorization);
/* Whether the events of @server_url arrive (its /ws is open). */
gboolean reel_comfyui_watch_is_live   (const char           *server_url);
/* Sends the events of @prompt_id on @server_url to @func until removed. */
void     reel_comfyui_watch_add       (const char           *server_url,
                                       const char           *prompt_id,
                                       ReelComfyuiWatchFunc  func,
                                       gpointer              user_data);
void     reel_comfyui_watch_remove    (const char           *prompt_id);
/* Tests: closes every connection and forgets every server. */
void     reel_comfyui_watch_reset     (void);

G_END_DECLS
