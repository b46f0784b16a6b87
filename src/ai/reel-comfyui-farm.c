/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-comfyui-farm"

#include "config.h"

#include "reel-comfyui-watch.h"
#include "reel-comfyui-farm.h"

/* The farm's bookkeeping. Everything here runs in the main context (the providers' jobs
 * live there), so it needs no lock. */

static GHashTable *servers;   /* url → ReelComfyuiServer */
static GHashTable *own_ids;   /* prompt id set */

static void
server_free (gpointer data)
{
  ReelComfyuiServer *server = data;

  g_free (server->url);
  g_clear_pointer (&server->queued, g_hash_table_unref);
  g_free (server);
}

ReelComfyuiServer *
reel_comfyui_farm_server (const char *url)
{
  ReelComfyuiServer *server;

  if (servers == NULL)
    servers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, server_free);

  server = g_hash_table_lookup (servers, url);
  if (server == NULL)
    {
      server = g_new0 (ReelComfyuiServer, 1);
      server->url = g_strdup (url);
      server->slots = 1;
      server->queued = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (servers, server->url, server);
    }
  return server;
}

int
reel_comfyui_farm_free (const ReelComfyuiServer *server)
{
  return (int) server->slots - (int) server->others - (int) server->in_flight;
}

gboolean
reel_comfyui_farm_is_online (const ReelComfyuiServer *server,
                             gint64                   now_us)
{
  return server->offline_until_us <= now_us;
}

int
reel_comfyui_farm_choose (ReelComfyuiServer      **list,
                          guint                    n_servers,
                          const ReelComfyuiServer *avoid,
                          gint64                   now_us)
{
  int best = -2;
  int best_free = G_MININT;

  for (guint i = 0; i < n_servers; i++)
    {
      int free_slots;

      if (list[i] == avoid || !reel_comfyui_farm_is_online (list[i], now_us))
        continue;
      free_slots = reel_comfyui_farm_free (list[i]);
      if (free_slots > best_free)
        {
          best = (int) i;
          best_free = free_slots;
        }
    }

  if (best >= 0 && best_free <= 0)
    return -1;
  return best;
}

void
reel_comfyui_farm_add_own (const char *prompt_id)
{
  if (own_ids == NULL)
    own_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add (own_ids, g_strdup (prompt_id));
}

void
reel_comfyui_farm_remove_own (const char *prompt_id)
{
  if (own_ids != NULL && prompt_id != NULL)
    g_hash_table_remove (own_ids, prompt_id);
}

gboolean
reel_comfyui_farm_is_own (const char *prompt_id)
{
  return own_ids != NULL && prompt_id != NULL && g_hash_table_contains (own_ids, prompt_id);
}

const char *
reel_comfyui_farm_client_id (void)
{
  static gsize initialised;
  static char *client_id;

  /* One per running Storyreel: ComfyUI sends a client's events to its client id only. */
  if (g_once_init_enter (&initialised))
    {
      client_id = g_uuid_string_random ();
      g_once_init_leave (&initialised, 1);
    }
  return client_id;
}

void
reel_comfyui_farm_reset (void)
{
  g_clear_pointer (&servers, g_hash_table_unref);
  reel_comfyui_watch_reset ();
}
