/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-http"

#include "config.h"

#include <string.h>

#include "reel-http-private.h"

#define WORKER_MAX_POLL_MS 1000

/* The worker ------------------------------------------------------------------------------ */

void
reel_http_attempt_free (Attempt *attempt)
{
  g_clear_object (&attempt->request);
  g_free (attempt->url);
  g_free (attempt->method);
  g_free (attempt->resolve);
  g_free (attempt->ca_file);
  g_clear_pointer (&attempt->header_list, curl_slist_free_all);
  g_clear_pointer (&attempt->resolve_list, curl_slist_free_all);
  g_clear_pointer (&attempt->mime, curl_mime_free);
  g_clear_pointer (&attempt->body, g_byte_array_unref);
  g_clear_pointer (&attempt->headers, g_ptr_array_unref);
  g_free (attempt->redirect_url);
  g_free (attempt->effective_url);
  g_free (attempt->unavailable);
  g_clear_pointer (&attempt->context, g_main_context_unref);
  g_free (attempt);
}

static gboolean
attempt_dispatch (gpointer data)
{
  Attempt *attempt = data;

  attempt->done (attempt, attempt->done_data);
  reel_http_attempt_free (attempt);
  return G_SOURCE_REMOVE;
}

/* Hands a finished attempt to the owner's context. Never g_main_context_invoke(): from a
 * thread without a context of its own that may run the callback right here. */
static void
attempt_post (Attempt *attempt)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, attempt_dispatch, attempt, NULL);
  g_source_set_static_name (source, "[storyreel] http attempt done");
  g_source_attach (source, attempt->context);
}

static size_t
on_write (char   *data,
          size_t  size,
          size_t  count,
          void   *user_data)
{
  Attempt *attempt = user_data;
  size_t length = size * count;

  attempt->last_activity = g_get_monotonic_time ();
  if (attempt->body->len + length > attempt->request->max_response_size)
    {
      attempt->too_large = TRUE;
      return 0;
    }

  g_byte_array_append (attempt->body, (const guint8 *) data, length);
  return length;
}

static size_t
on_header (char   *data,
           size_t  size,
           size_t  count,
           void   *user_data)
{
  Attempt *attempt = user_data;
  size_t length = size * count;
  g_autofree char *line = g_strndup (data, length);
  char *colon;

  attempt->last_activity = g_get_monotonic_time ();

  /* A new status line starts a new header block (after "100 Continue", for example). */
  if (g_str_has_prefix (line, "HTTP/"))
    {
      g_ptr_array_set_size (attempt->headers, 0);
      return length;
    }

  colon = strchr (line, ':');
  if (colon == NULL)
    return length;

  *colon = '\0';
  g_strstrip (line);
  g_strstrip (colon + 1);
  g_ptr_array_add (attempt->headers, reel_http_header_new (line, colon + 1, FALSE));

  if (g_ascii_strcasecmp (line, "Content-Length") == 0)
    {
      guint64 announced = g_ascii_strtoull (colon + 1, NULL, 10);

      if (announced > attempt->request->max_response_size)
        {
          attempt->too_large = TRUE;
          return 0;
        }
    }

  return length;
}

static int
on_transfer_info (void       *user_data,
                  curl_off_t  download_total,
                  curl_off_t  download_now,
                  curl_off_t  upload_total,
                  curl_off_t  upload_now)
{
  Attempt *attempt = user_data;

  if (download_now != attempt->last_down || upload_now != attempt->last_up)
    {
      attempt->last_down = download_now;
      attempt->last_up = upload_now;
      attempt->last_activity = g_get_monotonic_time ();
    }

  return 0;
}

static gboolean
attempt_start (ReelHttpClient *self,
               Attempt        *attempt)
{
  ReelHttpRequest *request = attempt->request;
  CURL *easy;
  g_autofree char *user_agent = g_strdup_printf ("Storyreel/%s", PACKAGE_VERSION);

  easy = curl_easy_init ();
  if (easy == NULL)
    {
      attempt->code = CURLE_OUT_OF_MEMORY;
      return FALSE;
    }

  attempt->easy = easy;
  attempt->body = g_byte_array_new ();
  attempt->headers = g_ptr_array_new_with_free_func (reel_http_header_free);
  attempt->last_activity = g_get_monotonic_time ();

  curl_easy_setopt (easy, CURLOPT_PRIVATE, attempt);
  curl_easy_setopt (easy, CURLOPT_URL, attempt->url);
  /* Only HTTP(S), also after a redirect; redirects are followed by hand (see below). */
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT_MS, (long) request->connect_timeout_ms);
  curl_easy_setopt (easy, CURLOPT_USERAGENT, user_agent);
  curl_easy_setopt (easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, attempt->errbuf);
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, attempt);
  curl_easy_setopt (easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt (easy, CURLOPT_HEADERDATA, attempt);
  curl_easy_setopt (easy, CURLOPT_XFERINFOFUNCTION, on_transfer_info);
  curl_easy_setopt (easy, CURLOPT_XFERINFODATA, attempt);
  curl_easy_setopt (easy, CURLOPT_NOPROGRESS, 0L);

  if (attempt->ca_file != NULL)
    curl_easy_setopt (easy, CURLOPT_CAINFO, attempt->ca_file);

  if (attempt->local_only)
    {
      /* A proxy (set here or by http_proxy and friends) would carry the request off the
       * network: "Local only" talks to the host directly, on its own connections, to the
       * addresses the rule was checked against. */
      curl_easy_setopt (easy, CURLOPT_PROXY, "");
      curl_easy_setopt (easy, CURLOPT_NOPROXY, "*");
      curl_easy_setopt (easy, CURLOPT_SHARE, self->local_connections);
      if (attempt->resolve != NULL)
        {
          attempt->resolve_list = curl_slist_append (NULL, attempt->resolve);
          curl_easy_setopt (easy, CURLOPT_RESOLVE, attempt->resolve_list);
        }
    }

  /* No "Expect: 100-continue" round trip before an upload. */
  attempt->header_list = curl_slist_append (attempt->header_list, "Expect:");
  for (guint i = 0; i < request->headers->len; i++)
    {
      Header *header = g_ptr_array_index (request->headers, i);
      g_autofree char *line = NULL;

      if (header->secret && attempt->drop_secrets)
        continue;

      line = g_strdup_printf ("%s: %s", header->name, header->value);
      attempt->header_list = curl_slist_append (attempt->header_list, line);
    }

  if (g_str_equal (attempt->method, "GET"))
    {
      curl_easy_setopt (easy, CURLOPT_HTTPGET, 1L);
    }
  else if (g_str_equal (attempt->method, "HEAD"))
    {
      curl_easy_setopt (easy, CURLOPT_NOBODY, 1L);
    }
  else if (request->form->len > 0)
    {
      attempt->mime = curl_mime_init (easy);
      for (guint i = 0; i < request->form->len; i++)
        {
          FormPart *part = g_ptr_array_index (request->form, i);
          curl_mimepart *mime_part = curl_mime_addpart (attempt->mime);

          curl_mime_name (mime_part, part->name);
          if (part->data != NULL)
            {
              gsize size = 0;
              const char *data = g_bytes_get_data (part->data, &size);

              curl_mime_data (mime_part, data, size);
              curl_mime_filename (mime_part, part->filename);
              curl_mime_type (mime_part, part->content_type != NULL
                                           ? part->content_type : "application/octet-stream");
            }
          else
            {
              curl_mime_data (mime_part, part->value, CURL_ZERO_TERMINATED);
            }
        }
      curl_easy_setopt (easy, CURLOPT_MIMEPOST, attempt->mime);
      if (!g_str_equal (attempt->method, "POST"))
        curl_easy_setopt (easy, CURLOPT_CUSTOMREQUEST, attempt->method);
    }
  else
    {
      gsize size = 0;
      const char *data = request->body != NULL ? g_bytes_get_data (request->body, &size) : "";

      curl_easy_setopt (easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) size);
      curl_easy_setopt (easy, CURLOPT_POSTFIELDS, data);
      if (request->content_type != NULL)
        {
          g_autofree char *line = g_strdup_printf ("Content-Type: %s", request->content_type);
          attempt->header_list = curl_slist_append (attempt->header_list, line);
        }
      if (!g_str_equal (attempt->method, "POST"))
        curl_easy_setopt (easy, CURLOPT_CUSTOMREQUEST, attempt->method);
    }

  curl_easy_setopt (easy, CURLOPT_HTTPHEADER, attempt->header_list);

  if (curl_multi_add_handle (self->multi, easy) != CURLM_OK)
    {
      attempt->code = CURLE_FAILED_INIT;
      return FALSE;
    }

  g_ptr_array_add (self->active, attempt);
  return TRUE;
}

static void
pool_release (ReelHttpClient *self,
              Attempt        *attempt)
{
  g_mutex_lock (&self->mutex);
  attempt->pool->active--;
  g_mutex_unlock (&self->mutex);
}

/* Ends an active attempt: collects what curl knows, frees the handle, posts the result. */
static void
attempt_end (ReelHttpClient *self,
             Attempt        *attempt,
             CURLcode        code)
{
  char *url = NULL;

  attempt->code = code;
  curl_easy_getinfo (attempt->easy, CURLINFO_RESPONSE_CODE, &attempt->status);
  if (curl_easy_getinfo (attempt->easy, CURLINFO_REDIRECT_URL, &url) == CURLE_OK && url != NULL)
    attempt->redirect_url = g_strdup (url);
  url = NULL;
  if (curl_easy_getinfo (attempt->easy, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK && url != NULL)
    attempt->effective_url = g_strdup (url);

  curl_multi_remove_handle (self->multi, attempt->easy);
  g_clear_pointer (&attempt->easy, curl_easy_cleanup);
  g_ptr_array_remove_fast (self->active, attempt);
  pool_release (self, attempt);
  attempt_post (attempt);
}

Pool *
reel_http_pool_lookup (ReelHttpClient *self,
                       const char     *name)
{
  Pool *pool;

  if (name == NULL)
    name = "";

  pool = g_hash_table_lookup (self->pools, name);
  if (pool == NULL)
    {
      pool = g_new0 (Pool, 1);
      pool->limit = REEL_HTTP_DEFAULT_POOL_LIMIT;
      g_queue_init (&pool->waiting);
      g_hash_table_insert (self->pools, g_strdup (name), pool);
    }

  return pool;
}

/* Without libcurl: every attempt fails at once with @error, until the client goes. */
static void
worker_refuse_all (ReelHttpClient *self,
                   const GError   *error)
{
  g_mutex_lock (&self->mutex);
  while (!self->quit)
    {
      Attempt *attempt;

      while ((attempt = g_queue_pop_head (&self->incoming)) != NULL)
        {
          attempt->unavailable = g_strdup (error->message);
          attempt_post (attempt);
        }
      /* Nothing to cancel: nothing waits. */
      g_array_set_size (self->cancels, 0);
      g_cond_wait (&self->wake, &self->mutex);
    }
  g_mutex_unlock (&self->mutex);
}

gpointer
reel_http_worker_main (gpointer data)
{
  ReelHttpClient *self = data;
  g_autoptr(GError) error = NULL;

  /* The first client's worker pays for loading libcurl, off the caller's thread. */
  if (!reel_curl_load (&error))
    {
      g_debug ("No HTTP: %s", error->message);
      worker_refuse_all (self, error);
      return NULL;
    }

  self->local_connections = curl_share_init ();
  curl_share_setopt (self->local_connections, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  g_atomic_pointer_set (&self->multi, curl_multi_init ());

  for (;;)
    {
      g_autoptr(GPtrArray) to_start = g_ptr_array_new ();
      g_autoptr(GPtrArray) to_cancel = g_ptr_array_new ();
      g_autoptr(GArray) cancel_ids = NULL;
      GHashTableIter iter;
      gpointer value;
      Attempt *attempt;
      CURLMsg *message;
      int running = 0;
      int remaining = 0;
      gboolean finished_any = FALSE;
      gint64 now;
      gint64 poll_ms = WORKER_MAX_POLL_MS;

      g_mutex_lock (&self->mutex);
      if (self->quit)
        {
          g_mutex_unlock (&self->mutex);
          break;
        }

      while ((attempt = g_queue_pop_head (&self->incoming)) != NULL)
        {
          attempt->pool = reel_http_pool_lookup (self, attempt->request->pool);
          g_queue_push_tail (&attempt->pool->waiting, attempt);
        }

      cancel_ids = g_steal_pointer (&self->cancels);
      self->cancels = g_array_new (FALSE, FALSE, sizeof (guint64));

      g_hash_table_iter_init (&iter, self->pools);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Pool *pool = value;

          for (guint i = 0; i < cancel_ids->len; i++)
            {
              guint64 id = g_array_index (cancel_ids, guint64, i);

              for (GList *l = pool->waiting.head; l != NULL; l = l->next)
                {
                  Attempt *waiting = l->data;

                  if (waiting->id == id)
                    {
                      g_queue_delete_link (&pool->waiting, l);
                      waiting->cancelled = TRUE;
                      g_ptr_array_add (to_cancel, waiting);
                      break;
                    }
                }
            }

          while (pool->active < pool->limit && pool->waiting.length > 0)
            {
              pool->active++;
              g_ptr_array_add (to_start, g_queue_pop_head (&pool->waiting));
            }
        }
      g_mutex_unlock (&self->mutex);

      for (guint i = 0; i < to_cancel->len; i++)
        attempt_post (g_ptr_array_index (to_cancel, i));

      /* Cancelled mid-transfer: the handle goes at once, and with it the connection. */
      for (guint i = 0; i < cancel_ids->len; i++)
        {
          guint64 id = g_array_index (cancel_ids, guint64, i);

          for (guint j = 0; j < self->active->len; j++)
            {
              Attempt *active = g_ptr_array_index (self->active, j);

              if (active->id == id)
                {
                  active->cancelled = TRUE;
                  attempt_end (self, active, CURLE_ABORTED_BY_CALLBACK);
                  finished_any = TRUE;
                  break;
                }
            }
        }

      for (guint i = 0; i < to_start->len; i++)
        {
          Attempt *starting = g_ptr_array_index (to_start, i);

          if (!attempt_start (self, starting))
            {
              g_clear_pointer (&starting->easy, curl_easy_cleanup);
              pool_release (self, starting);
              attempt_post (starting);
              finished_any = TRUE;
            }
        }

      curl_multi_perform (self->multi, &running);

      while ((message = curl_multi_info_read (self->multi, &remaining)) != NULL)
        {
          Attempt *done = NULL;

          if (message->msg != CURLMSG_DONE)
            continue;

          curl_easy_getinfo (message->easy_handle, CURLINFO_PRIVATE, (char **) &done);
          attempt_end (self, done, message->data.result);
          finished_any = TRUE;
        }

      now = g_get_monotonic_time ();
      for (guint i = self->active->len; i > 0; i--)
        {
          Attempt *active = g_ptr_array_index (self->active, i - 1);
          gint64 deadline = active->last_activity
                            + (gint64) active->request->idle_timeout_ms * 1000;

          if (now >= deadline)
            {
              active->idle_timeout = TRUE;
              attempt_end (self, active, CURLE_OPERATION_TIMEDOUT);
              finished_any = TRUE;
            }
          else
            {
              poll_ms = MIN (poll_ms, (deadline - now + 999) / 1000);
            }
        }

      if (finished_any)
        continue;

      curl_multi_poll (self->multi, NULL, 0, (int) MAX (poll_ms, 1), NULL);
    }

  /* Shutting down: only reachable when no task refers to the client any more. */
  while (self->active->len > 0)
    {
      Attempt *active = g_ptr_array_steal_index_fast (self->active, self->active->len - 1);

      curl_multi_remove_handle (self->multi, active->easy);
      g_clear_pointer (&active->easy, curl_easy_cleanup);
      reel_http_attempt_free (active);
    }

  return NULL;
}
