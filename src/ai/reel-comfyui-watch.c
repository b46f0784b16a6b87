/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-comfyui-watch"

#include "config.h"

#include <string.h>

#include "reel-comfyui-farm.h"
#include "reel-websocket.h"
#include "reel-comfyui-watch.h"

/* ComfyUI's progress feed: one /ws connection per server for the whole process (ComfyUI
 * sends a client's events to the connection that named its client id, and Storyreel has
 * one client id per process). The JSON messages name their prompt; the binary previews do
 * not, and belong to the prompt the connection last heard of. Everything runs on the main
 * context, like the farm. Without a /ws the jobs poll, as they always do. */

#define RETRY_US (30 * G_USEC_PER_SEC)

typedef struct
{
  char *url;
  ReelWebsocket *socket;
  GCancellable *connecting;
  gint64 retry_after_us;
  char *running;          /* the prompt the last message was about */
} Watch;

typedef struct
{
  char *server_url;
  ReelComfyuiWatchFunc func;
  gpointer user_data;
} Subscription;

static GHashTable *watches;        /* url → Watch */
static GHashTable *subscriptions;  /* prompt id → Subscription */

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  if (watch->connecting != NULL)
    g_cancellable_cancel (watch->connecting);
  g_clear_object (&watch->connecting);
  if (watch->socket != NULL)
    {
      g_signal_handlers_disconnect_by_data (watch->socket, watch);
      reel_websocket_close (watch->socket);
      g_clear_object (&watch->socket);
    }
  g_free (watch->running);
  g_free (watch->url);
  g_free (watch);
}

static void
subscription_free (gpointer data)
{
  Subscription *subscription = data;

  g_free (subscription->server_url);
  g_free (subscription);
}

static void
ensure_tables (void)
{
  if (watches == NULL)
    watches = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, watch_free);
  if (subscriptions == NULL)
    subscriptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, subscription_free);
}

static void
dispatch (Watch                  *watch,
          const ReelComfyuiEvent *event)
{
  const char *prompt_id = event->prompt_id != NULL ? event->prompt_id : watch->running;
  Subscription *subscription;

  if (prompt_id == NULL)
    return;
  subscription = g_hash_table_lookup (subscriptions, prompt_id);
  /* Only the events of our prompts on this server. */
  if (subscription == NULL || g_strcmp0 (subscription->server_url, watch->url) != 0)
    return;
  subscription->func (event, subscription->user_data);
}

static void
on_message (ReelWebsocket *socket,
            guint          opcode,
            GBytes        *payload,
            gpointer       user_data)
{
  Watch *watch = user_data;
  ReelComfyuiEvent event;
  gboolean parsed;

  if (opcode == REEL_WEBSOCKET_TEXT)
    {
      gsize length;
      const char *text = g_bytes_get_data (payload, &length);

      parsed = reel_comfyui_event_parse_text (text, length, &event);
    }
  else
    {
      parsed = reel_comfyui_event_parse_binary (payload, &event);
    }
  if (!parsed)
    {
      g_debug ("ComfyUI %s sent a message that is not ComfyUI's", watch->url);
      return;
    }

  if (event.prompt_id != NULL)
    {
      gboolean ended = event.type == REEL_COMFYUI_EVENT_EXECUTING && event.node == NULL;

      g_free (watch->running);
      watch->running = ended ? NULL : g_strdup (event.prompt_id);
    }
  if (event.type != REEL_COMFYUI_EVENT_OTHER)
    dispatch (watch, &event);
  reel_comfyui_event_clear (&event);
}

static void
on_closed (ReelWebsocket *socket,
           gpointer       user_data)
{
  Watch *watch = user_data;

  g_debug ("The /ws of ComfyUI %s closed; polling only", watch->url);
  g_signal_handlers_disconnect_by_data (socket, watch);
  g_clear_object (&watch->socket);
  g_clear_pointer (&watch->running, g_free);
  watch->retry_after_us = g_get_monotonic_time () + RETRY_US;
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree char *url = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelWebsocket) socket = reel_websocket_connect_finish (result, &error);
  Watch *watch;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  watch = watches != NULL ? g_hash_table_lookup (watches, url) : NULL;
  if (watch == NULL)
    return;
  g_clear_object (&watch->connecting);

  if (socket == NULL)
    {
      g_debug ("No /ws on ComfyUI %s (%s); polling only", url, error->message);
      watch->retry_after_us = g_get_monotonic_time () + RETRY_US;
      return;
    }

  watch->socket = g_steal_pointer (&socket);
  g_signal_connect (watch->socket, "message", G_CALLBACK (on_message), watch);
  g_signal_connect (watch->socket, "closed", G_CALLBACK (on_closed), watch);
}

void
reel_comfyui_watch_server (const char *server_url,
                           gboolean    local_only,
                           GResolver  *resolver,
                           const char *authorization)
{
  g_autofree char *ws_url = NULL;
  g_autofree char *client = NULL;
  Watch *watch;

  g_return_if_fail (server_url != NULL);

  ensure_tables ();
  watch = g_hash_table_lookup (watches, server_url);
  if (watch == NULL)
    {
      watch = g_new0 (Watch, 1);
      watch->url = g_strdup (server_url);
      g_hash_table_insert (watches, watch->url, watch);
    }
  if (watch->socket != NULL || watch->connecting != NULL
      || g_get_monotonic_time () < watch->retry_after_us)
    return;

  client = g_uri_escape_string (reel_comfyui_farm_client_id (), NULL, TRUE);
  ws_url = g_strdup_printf ("%s/ws?clientId=%s", server_url, client);
  watch->connecting = g_cancellable_new ();
  reel_websocket_connect_async (ws_url, local_only, resolver, authorization, watch->connecting,
                                on_connected, g_strdup (server_url));
}

gboolean
reel_comfyui_watch_is_live (const char *server_url)
{
  Watch *watch = watches != NULL ? g_hash_table_lookup (watches, server_url) : NULL;

  return watch != NULL && watch->socket != NULL && reel_websocket_is_open (watch->socket);
}

void
reel_comfyui_watch_add (const char           *server_url,
                        const char           *prompt_id,
                        ReelComfyuiWatchFunc  func,
                        gpointer              user_data)
{
  Subscription *subscription;

  g_return_if_fail (server_url != NULL && prompt_id != NULL && func != NULL);

  ensure_tables ();
  subscription = g_new0 (Subscription, 1);
  subscription->server_url = g_strdup (server_url);
  subscription->func = func;
  subscription->user_data = user_data;
  g_hash_table_replace (subscriptions, g_strdup (prompt_id), subscription);
}

void
reel_comfyui_watch_remove (const char *prompt_id)
{
  if (subscriptions != NULL && prompt_id != NULL)
    g_hash_table_remove (subscriptions, prompt_id);
}

void
reel_comfyui_watch_reset (void)
{
  g_clear_pointer (&watches, g_hash_table_unref);
  g_clear_pointer (&subscriptions, g_hash_table_unref);
}
