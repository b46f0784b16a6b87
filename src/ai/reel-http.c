/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-http"

#include "config.h"

#include "reel-http.h"
#include "reel-http-private.h"

/* The HTTP engine. One worker thread owns a curl multi handle (so connections are kept and
 * reused) and runs single attempts; everything that needs judgement — retries and their
 * waits, redirects, the "Local only" check — happens in the caller's main context, between
 * attempts. The worker talks to that context only through idle sources it attaches there, so
 * callbacks never run on the worker thread and the main thread never waits for the network.
 * The worker also loads libcurl (reel-curl.h) before its first transfer, so that neither the
 * program's start nor the main thread pays for it. */

/* ReelHttpClient -------------------------------------------------------------------------- */

G_DEFINE_FINAL_TYPE (ReelHttpClient, reel_http_client, G_TYPE_OBJECT)

static void
pool_free (gpointer data)
{
  Pool *pool = data;

  g_queue_clear_full (&pool->waiting, (GDestroyNotify) reel_http_attempt_free);
  g_free (pool);
}

static void
reel_http_client_finalize (GObject *object)
{
  ReelHttpClient *self = REEL_HTTP_CLIENT (object);

  g_mutex_lock (&self->mutex);
  self->quit = TRUE;
  g_mutex_unlock (&self->mutex);
  reel_http_client_wake (self);
  g_thread_join (self->thread);

  g_queue_clear_full (&self->incoming, (GDestroyNotify) reel_http_attempt_free);
  g_clear_pointer (&self->pools, g_hash_table_unref);
  g_clear_pointer (&self->cancels, g_array_unref);
  g_clear_pointer (&self->active, g_ptr_array_unref);
  if (self->multi != NULL)
    curl_multi_cleanup (g_steal_pointer (&self->multi));
  if (self->local_connections != NULL)
    curl_share_cleanup (g_steal_pointer (&self->local_connections));
  g_cond_clear (&self->wake);
  g_clear_object (&self->resolver);
  g_free (self->ca_file);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (reel_http_client_parent_class)->finalize (object);
}

static void
reel_http_client_class_init (ReelHttpClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = reel_http_client_finalize;
}

static void
reel_http_client_init (ReelHttpClient *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->wake);
  g_queue_init (&self->incoming);
  self->cancels = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->pools = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, pool_free);
  self->active = g_ptr_array_new ();
  self->delay_scale = 1.0;
  self->thread = g_thread_new ("storyreel-http", reel_http_worker_main, self);
}

/**
 * reel_http_client_new:
 *
 * Returns: (transfer full): a client with its own worker thread and connection cache
 */
ReelHttpClient *
reel_http_client_new (void)
{
  return g_object_new (REEL_TYPE_HTTP_CLIENT, NULL);
}

/**
 * reel_http_client_get_default:
 *
 * Returns: (transfer none): the client the providers share, alive until the process ends
 */
ReelHttpClient *
reel_http_client_get_default (void)
{
  static ReelHttpClient *default_client;

  if (g_once_init_enter (&default_client))
    g_once_init_leave (&default_client, reel_http_client_new ());

  return default_client;
}

void
reel_http_client_set_pool_limit (ReelHttpClient *self,
                                 const char     *pool,
                                 guint           max_concurrent)
{
  g_return_if_fail (REEL_IS_HTTP_CLIENT (self));

  g_mutex_lock (&self->mutex);
  reel_http_pool_lookup (self, pool)->limit = MAX (max_concurrent, 1);
  g_mutex_unlock (&self->mutex);
  reel_http_client_wake (self);
}

/* Wakes the worker to look at its queues: from curl's poll once it has libcurl, else from
 * its wait (while it is loading libcurl it looks at them anyway before its first poll). */
void
reel_http_client_wake (ReelHttpClient *self)
{
  CURLM *multi = g_atomic_pointer_get (&self->multi);

  if (multi != NULL)
    {
      curl_multi_wakeup (multi);
      return;
    }

  g_mutex_lock (&self->mutex);
  g_cond_signal (&self->wake);
  g_mutex_unlock (&self->mutex);
}

void
reel_http_client_set_resolver (ReelHttpClient *self,
                               GResolver      *resolver)
{
  g_return_if_fail (REEL_IS_HTTP_CLIENT (self));
  g_return_if_fail (resolver == NULL || G_IS_RESOLVER (resolver));

  g_mutex_lock (&self->mutex);
  g_set_object (&self->resolver, resolver);
  g_mutex_unlock (&self->mutex);
}

/**
 * reel_http_client_set_ca_file:
 * @ca_file: (nullable): a PEM file of the certificates to trust, or %NULL for the system's
 *
 * For tests that speak HTTPS to a fake server with a certificate of its own.
 */
void
reel_http_client_set_ca_file (ReelHttpClient *self,
                              const char     *ca_file)
{
  g_return_if_fail (REEL_IS_HTTP_CLIENT (self));

  g_mutex_lock (&self->mutex);
  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  g_mutex_unlock (&self->mutex);
}

/* Transfer full, nullable: the resolver set, NULL for the default one. */
GResolver *
reel_http_client_dup_resolver (ReelHttpClient *self)
{
  GResolver *resolver = NULL;

  g_return_val_if_fail (REEL_IS_HTTP_CLIENT (self), NULL);

  g_mutex_lock (&self->mutex);
  if (self->resolver != NULL)
    resolver = g_object_ref (self->resolver);
  g_mutex_unlock (&self->mutex);
  return resolver;
}

/**
 * reel_http_client_set_delay_scale:
 * @scale: the factor applied to every retry wait (1.0 normally; tests make it small)
 */
void
reel_http_client_set_delay_scale (ReelHttpClient *self,
                                  double          scale)
{
  g_return_if_fail (REEL_IS_HTTP_CLIENT (self));
  g_return_if_fail (scale >= 0);

  g_mutex_lock (&self->mutex);
  self->delay_scale = scale;
  g_mutex_unlock (&self->mutex);
}

double
reel_http_client_get_delay_scale (ReelHttpClient *self)
{
  double scale;

  g_return_val_if_fail (REEL_IS_HTTP_CLIENT (self), 1.0);

  g_mutex_lock (&self->mutex);
  scale = self->delay_scale;
  g_mutex_unlock (&self->mutex);
  return scale;
}
