/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * ReelComfyuiServer:
 * @url: the base URL, the key of the farm's table
 * @slots: how many prompts it renders at once (1 unless set)
 * @in_flight: prompts this process sent there and has not seen finish
 * @others: prompts of other clients in its queue at the last look
 * @probed_us: when @others was read (monotonic), 0 for never
 * @offline_until_us: while in the future, nothing is placed there (it refused or stopped
 *   answering)
 * @queued: (element-type utf8): the prompt ids in its queue at the last look (at @probed_us)
 *
 * What this process knows of one ComfyUI server. One table for the whole process: every
 * job, whichever provider object runs it, places its images knowing what the others sent.
 */
typedef struct
{
  char *url;
  guint slots;
  guint in_flight;
  guint others;
  gint64 probed_us;
  gint64 offline_until_us;
  GHashTable *queued;
} ReelComfyuiServer;

/* Transfer none: the entry of @url, made on first use, alive until the process ends. */
ReelComfyuiServer *reel_comfyui_farm_server        (const char               *url);
/* Free capacity: slots minus what is queued there (ours and others'); may be negative. */
int                reel_comfyui_farm_free          (const ReelComfyuiServer *server);
gboolean           reel_comfyui_farm_is_online     (const ReelComfyuiServer *server,
                                                    gint64                   now_us);
/* The server among @servers (not @avoid) with the most free capacity, the first listed on
 * a tie. -1 when every one that is online is full, -2 when none is online. */
int                reel_comfyui_farm_choose        (ReelComfyuiServer      **servers,
                                                    guint                    n_servers,
                                                    const ReelComfyuiServer *avoid,
                                                    gint64                   now_us);
/* Our own prompt ids, so a look at a queue can tell ours from the others'. */
void               reel_comfyui_farm_add_own       (const char              *prompt_id);
void               reel_comfyui_farm_remove_own    (const char              *prompt_id);
gboolean           reel_comfyui_farm_is_own        (const char              *prompt_id);
/* The client id of this process, sent with every prompt (lowercase UUID). */
const char        *reel_comfyui_farm_client_id     (void);
/* Tests: forget what is known of every server (offline marks, counts, /ws connections). */
void               reel_comfyui_farm_reset         (void);

G_END_DECLS
