/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-http"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "reel-address-policy.h"
#include "reel-ai-error.h"
#include "reel-http-private.h"

#define MAX_REDIRECTS 8
#define BACKOFF_BASE_MS 500
#define BACKOFF_MAX_MS 8000

/* The exchange: one request from send to finish, in the caller's context ------------------ */

typedef struct
{
  ReelHttpClient *client;
  ReelHttpRequest *request;
  GCancellable *cancellable;
  gulong cancelled_id;
  char *url;
  char *method;
  gboolean drop_secrets;
  guint redirects;
  guint64 attempt_id;   /* under client->mutex */
  GSource *wait_source;
  GSource *wait_cancel_source;
} Exchange;

static void
exchange_free (gpointer data)
{
  Exchange *exchange = data;

  g_assert (exchange->cancelled_id == 0);
  g_assert (exchange->wait_source == NULL);

  g_clear_object (&exchange->request);
  g_clear_object (&exchange->cancellable);
  g_free (exchange->url);
  g_free (exchange->method);
  g_free (exchange);
}

static void exchange_start_attempt (GTask *task);

static const char *
exchange_service (Exchange *exchange)
{
  return exchange->request->service != NULL ? exchange->request->service : _("The server");
}

static char *
url_host (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup ("?");
  return g_strdup (g_uri_get_host (uri));
}

static void
exchange_detach (Exchange *exchange)
{
  if (exchange->wait_source != NULL)
    {
      g_source_destroy (exchange->wait_source);
      g_clear_pointer (&exchange->wait_source, g_source_unref);
    }
  if (exchange->wait_cancel_source != NULL)
    {
      g_source_destroy (exchange->wait_cancel_source);
      g_clear_pointer (&exchange->wait_cancel_source, g_source_unref);
    }
  if (exchange->cancelled_id != 0)
    {
      g_cancellable_disconnect (exchange->cancellable, exchange->cancelled_id);
      exchange->cancelled_id = 0;
    }
}

static void
exchange_fail (GTask  *task,
               GError *error)
{
  Exchange *exchange = g_task_get_task_data (task);

  exchange_detach (exchange);
  if (g_cancellable_is_cancelled (exchange->cancellable))
    g_clear_error (&error);
  if (error == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                             _("The request was cancelled."));
  else
    {
      /* Whatever the source of the text, a key never leaves in it. */
      g_autofree char *scrubbed = reel_http_request_scrub (exchange->request, error->message);

      g_free (error->message);
      error->message = g_steal_pointer (&scrubbed);
      g_task_return_error (task, error);
    }
}

static void G_GNUC_PRINTF (3, 4)
exchange_fail_with (GTask      *task,
                    ReelAiError code,
                    const char *format,
                    ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  exchange_fail (task, g_error_new_literal (REEL_AI_ERROR, code, message));
  g_free (message);
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  Exchange *exchange = user_data;
  ReelHttpClient *self = exchange->client;

  g_mutex_lock (&self->mutex);
  if (exchange->attempt_id != 0)
    g_array_append_val (self->cancels, exchange->attempt_id);
  g_mutex_unlock (&self->mutex);
  reel_http_client_wake (self);
}

/* An HTTP date (RFC 9110, 5.6.7) as Unix seconds, -1 if it is none: the preferred form
 * "Sun, 06 Nov 1994 08:49:37 GMT" and the two obsolete ones a recipient must still read,
 * "Sunday, 06-Nov-94 08:49:37 GMT" and asctime's "Sun Nov  6 08:49:37 1994". */
static gint64
parse_http_date (const char *value)
{
  static const char months[][4] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  };
  char weekday[16] = "", month[4] = "", zone[4] = "";
  int day, year, hour, minute, second, month_number = 0, consumed = 0;
  g_autoptr(GDateTime) date = NULL;

  if (sscanf (value, "%15[A-Za-z], %d %3s %d %d:%d:%d %3s%n", weekday, &day, month, &year,
              &hour, &minute, &second, zone, &consumed) == 8)
    ;
  else if (sscanf (value, "%15[A-Za-z], %d-%3s-%d %d:%d:%d %3s%n", weekday, &day, month,
                   &year, &hour, &minute, &second, zone, &consumed) == 8)
    /* Two digits: the nearest century that is not more than 50 years ahead. */
    year += year < 70 ? 2000 : year < 100 ? 1900 : 0;
  else if (sscanf (value, "%15[A-Za-z] %3s %d %d:%d:%d %d%n", weekday, month, &day, &hour,
                   &minute, &second, &year, &consumed) == 7)
    g_strlcpy (zone, "GMT", sizeof zone);
  else
    return -1;

  if (value[consumed] != '\0' && !g_ascii_isspace (value[consumed]))
    return -1;
  if (!g_str_equal (zone, "GMT"))
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    if (g_ascii_strcasecmp (month, months[i]) == 0)
      month_number = i + 1;
  if (month_number == 0)
    return -1;

  date = g_date_time_new_utc (year, month_number, day, hour, minute, second);
  return date != NULL ? g_date_time_to_unix (date) : -1;
}

gint64
reel_http_parse_retry_after (const char *value,
                             gint64      now_unix_ms)
{
  char *end = NULL;
  double seconds;
  gint64 date;

  if (value == NULL)
    return -1;

  while (g_ascii_isspace (*value))
    value++;
  if (*value == '\0')
    return -1;

  seconds = g_ascii_strtod (value, &end);
  if (end != value && (*end == '\0' || g_ascii_isspace (*end)))
    return seconds < 0 ? -1 : (gint64) (seconds * 1000.0);

  date = parse_http_date (value);
  if (date < 0)
    return -1;

  return MAX (date * 1000 - now_unix_ms, 0);
}

static gint64
backoff_wait (guint retry_number)
{
  gint64 wait = BACKOFF_BASE_MS;

  for (guint i = 1; i < retry_number && wait < BACKOFF_MAX_MS; i++)
    wait *= 2;
  wait = MIN (wait, BACKOFF_MAX_MS);

  /* Jitter, so that many clients told to wait do not come back at the same instant. */
  return wait - (gint64) (g_random_double () * 0.25 * (double) wait);
}

static gboolean
status_is_retryable (guint status)
{
  return status == 408 || status == 409 || status == 429 || status >= 500;
}

static gboolean
exchange_should_retry (Exchange         *exchange,
                       ReelHttpResponse *response,
                       gint64           *wait_ms)
{
  ReelHttpRequest *request = exchange->request;
  ReelHttpRetryDecision decision = REEL_HTTP_RETRY_DEFAULT;
  gint64 wait = -1;

  if (request->attempts >= request->max_attempts)
    return FALSE;

  if (request->retry_func != NULL)
    decision = request->retry_func (response, &wait, request->retry_data);

  if (decision == REEL_HTTP_RETRY_NO)
    return FALSE;

  if (decision == REEL_HTTP_RETRY_DEFAULT)
    {
      const char *should_retry = reel_http_response_get_header (response, "x-should-retry");

      if (should_retry != NULL && g_ascii_strcasecmp (should_retry, "false") == 0)
        return FALSE;
      if (!(should_retry != NULL && g_ascii_strcasecmp (should_retry, "true") == 0)
          && !status_is_retryable (response->status))
        return FALSE;
    }

  if (wait < 0)
    {
      const char *value = reel_http_response_get_header (response, "retry-after-ms");

      if (value != NULL)
        {
          char *end = NULL;
          double ms = g_ascii_strtod (value, &end);

          if (end != value && ms >= 0)
            wait = (gint64) ms;
        }
    }
  if (wait < 0)
    wait = reel_http_parse_retry_after (reel_http_response_get_header (response, "retry-after"),
                                        g_get_real_time () / 1000);
  if (wait < 0)
    wait = backoff_wait (request->attempts);

  if (wait > request->max_retry_wait_ms)
    return FALSE;

  *wait_ms = wait;
  return TRUE;
}

static gboolean
on_wait_over (gpointer user_data)
{
  GTask *task = user_data;
  Exchange *exchange = g_task_get_task_data (task);

  g_clear_pointer (&exchange->wait_source, g_source_unref);
  if (exchange->wait_cancel_source != NULL)
    {
      g_source_destroy (exchange->wait_cancel_source);
      g_clear_pointer (&exchange->wait_cancel_source, g_source_unref);
    }

  exchange_start_attempt (task);
  return G_SOURCE_REMOVE;
}

static gboolean
on_wait_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Exchange *exchange = g_task_get_task_data (task);

  g_clear_pointer (&exchange->wait_cancel_source, g_source_unref);
  exchange_fail (task, NULL);
  return G_SOURCE_REMOVE;
}

static void
exchange_retry_after (GTask  *task,
                      gint64  wait_ms)
{
  Exchange *exchange = g_task_get_task_data (task);
  double scale = reel_http_client_get_delay_scale (exchange->client);
  guint delay = (guint) MIN ((double) wait_ms * scale, (double) G_MAXUINT);

  g_array_append_val (exchange->request->waits, wait_ms);
  g_debug ("%s: retrying in %" G_GINT64_FORMAT " ms", exchange_service (exchange), wait_ms);

  exchange->wait_source = g_timeout_source_new (delay);
  g_source_set_static_name (exchange->wait_source, "[storyreel] http retry wait");
  g_source_set_callback (exchange->wait_source, on_wait_over,
                         g_object_ref (task), g_object_unref);
  g_source_attach (exchange->wait_source, g_task_get_context (task));

  if (exchange->cancellable != NULL)
    {
      exchange->wait_cancel_source = g_cancellable_source_new (exchange->cancellable);
      g_source_set_callback (exchange->wait_cancel_source, G_SOURCE_FUNC (on_wait_cancelled),
                             g_object_ref (task), g_object_unref);
      g_source_attach (exchange->wait_cancel_source, g_task_get_context (task));
    }
}

static gboolean
same_origin (const char *a,
             const char *b)
{
  g_autoptr(GUri) ua = g_uri_parse (a, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);
  g_autoptr(GUri) ub = g_uri_parse (b, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);

  if (ua == NULL || ub == NULL)
    return FALSE;

  return g_ascii_strcasecmp (g_uri_get_scheme (ua), g_uri_get_scheme (ub)) == 0
         && g_ascii_strcasecmp (g_uri_get_host (ua), g_uri_get_host (ub)) == 0
         && g_uri_get_port (ua) == g_uri_get_port (ub);
}

static gboolean
scheme_is_http (const char *url)
{
  g_autofree char *scheme = g_uri_parse_scheme (url);

  return scheme != NULL
         && (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0);
}

static void
exchange_fail_transport (GTask   *task,
                         Attempt *attempt)
{
  Exchange *exchange = g_task_get_task_data (task);
  g_autofree char *host = url_host (attempt->url);
  const char *service = exchange_service (exchange);
  const char *detail = attempt->errbuf[0] != '\0' ? attempt->errbuf
                                                  : curl_easy_strerror (attempt->code);

  switch ((int) attempt->code)
    {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      exchange_fail_with (task, REEL_AI_ERROR_NETWORK,
                          /* Translators: "OpenAI (api.openai.com)" */
                          _("Could not find %s (%s). Check the address in Preferences and the "
                            "network connection."), service, host);
      break;

    case CURLE_COULDNT_CONNECT:
      exchange_fail_with (task, REEL_AI_ERROR_NETWORK,
                          _("Could not connect to %s (%s). Check that the server is running "
                            "and that its address in Preferences is right."), service, host);
      break;

    case CURLE_OPERATION_TIMEDOUT:
      exchange_fail_with (task, REEL_AI_ERROR_TIMEOUT,
                          _("Connecting to %s (%s) took too long. Check the network and the "
                            "address in Preferences, then try again."), service, host);
      break;

    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
      exchange_fail_with (task, REEL_AI_ERROR_TLS,
                          _("The identity of %s (%s) could not be verified (%s). Check the "
                            "address in Preferences, or the computer's certificates and "
                            "clock."), service, host, detail);
      break;

    case CURLE_UNSUPPORTED_PROTOCOL:
      exchange_fail_with (task, REEL_AI_ERROR_UNSAFE_REDIRECT,
                          _("%s (%s) asked for a protocol other than HTTP or HTTPS, which "
                            "Storyreel refuses. Check the address in Preferences."),
                          service, host);
      break;

    default:
      exchange_fail_with (task, REEL_AI_ERROR_NETWORK,
                          _("The connection to %s (%s) broke before the answer was complete "
                            "(%s). Try again."), service, host, detail);
      break;
    }
}

static gboolean
transport_error_is_retryable (Exchange *exchange,
                              CURLcode  code)
{
  switch ((int) code)
    {
    /* Nothing reached the server: always safe to try again. */
    case CURLE_COULDNT_CONNECT:
      return TRUE;

    /* The server may have done the work (and billed it): only for idempotent requests. */
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return exchange->request->idempotent;

    default:
      return FALSE;
    }
}

static void
on_attempt_done (Attempt  *attempt,
                 gpointer  user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  ReelHttpRequest *request = exchange->request;
  ReelHttpClient *self = exchange->client;
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autofree char *host = NULL;
  gint64 wait_ms = 0;

  g_mutex_lock (&self->mutex);
  exchange->attempt_id = 0;
  g_mutex_unlock (&self->mutex);

  if (attempt->cancelled || g_cancellable_is_cancelled (exchange->cancellable))
    {
      exchange_fail (task, NULL);
      return;
    }

  host = url_host (attempt->url);

  if (attempt->unavailable != NULL)
    {
      exchange_fail_with (task, REEL_AI_ERROR_NETWORK,
                          /* Translators: "OpenAI (api.openai.com)", then why Storyreel's
                           * network module could not be loaded */
                          _("Storyreel could not connect to %s (%s): %s"),
                          exchange_service (exchange), host, attempt->unavailable);
      return;
    }

  if (attempt->too_large)
    {
      g_autofree char *limit = g_format_size (request->max_response_size);

      exchange_fail_with (task, REEL_AI_ERROR_TOO_LARGE,
                          _("The answer from %s (%s) was larger than %s, so it was refused. "
                            "Check the server."), exchange_service (exchange), host, limit);
      return;
    }

  if (attempt->idle_timeout)
    {
      guint seconds = (request->idle_timeout_ms + 999) / 1000;

      exchange_fail_with (task, REEL_AI_ERROR_TIMEOUT,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "%s (%s) sent nothing for more than %u second. Try "
                                       "again later, or check the server.",
                                       "%s (%s) sent nothing for more than %u seconds. Try "
                                       "again later, or check the server.", seconds),
                          exchange_service (exchange), host, seconds);
      return;
    }

  if (attempt->code != CURLE_OK)
    {
      g_debug ("%s: attempt %u failed: %s", exchange_service (exchange), request->attempts,
               curl_easy_strerror (attempt->code));

      if (request->attempts < request->max_attempts
          && transport_error_is_retryable (exchange, attempt->code))
        exchange_retry_after (task, backoff_wait (request->attempts));
      else
        exchange_fail_transport (task, attempt);
      return;
    }

  if (attempt->status >= 300 && attempt->status < 400 && attempt->redirect_url != NULL)
    {
      if (!scheme_is_http (attempt->redirect_url))
        {
          exchange_fail_with (task, REEL_AI_ERROR_UNSAFE_REDIRECT,
                              _("%s (%s) redirected to an address that is not HTTP or HTTPS, "
                                "which Storyreel refuses. Check the address in Preferences."),
                              exchange_service (exchange), host);
          return;
        }

      if (request->follow_redirects)
        {
          if (++exchange->redirects > MAX_REDIRECTS)
            {
              exchange_fail_with (task, REEL_AI_ERROR_BAD_RESPONSE,
                                  _("%s (%s) redirected too many times. Check the address in "
                                    "Preferences."), exchange_service (exchange), host);
              return;
            }

          /* A key is for the origin it was given to, not wherever that sends us. */
          if (!same_origin (exchange->url, attempt->redirect_url))
            exchange->drop_secrets = TRUE;
          if (attempt->status == 303
              || ((attempt->status == 301 || attempt->status == 302)
                  && g_str_equal (exchange->method, "POST")))
            {
              g_free (exchange->method);
              exchange->method = g_strdup ("GET");
            }

          g_free (exchange->url);
          exchange->url = g_strdup (attempt->redirect_url);
          request->attempts--;  /* a redirect is not a retry */
          exchange_start_attempt (task);
          return;
        }
    }

  response = g_object_new (REEL_TYPE_HTTP_RESPONSE, NULL);
  response->status = (guint) attempt->status;
  response->headers = g_steal_pointer (&attempt->headers);
  response->body = g_byte_array_free_to_bytes (g_steal_pointer (&attempt->body));
  response->url = g_strdup (attempt->effective_url != NULL ? attempt->effective_url
                                                           : attempt->url);
  response->service = g_strdup (exchange_service (exchange));

  if (!reel_http_response_is_success (response)
      && exchange_should_retry (exchange, response, &wait_ms))
    {
      exchange_retry_after (task, wait_ms);
      return;
    }

  exchange_detach (exchange);
  g_task_return_pointer (task, g_steal_pointer (&response), g_object_unref);
}

static void
exchange_submit (GTask      *task,
                 const char *resolve)
{
  Exchange *exchange = g_task_get_task_data (task);
  ReelHttpClient *self = exchange->client;
  Attempt *attempt;

  attempt = g_new0 (Attempt, 1);
  attempt->request = g_object_ref (exchange->request);
  attempt->url = g_strdup (exchange->url);
  attempt->method = g_strdup (exchange->method);
  attempt->resolve = g_strdup (resolve);
  g_mutex_lock (&self->mutex);
  attempt->ca_file = g_strdup (self->ca_file);
  g_mutex_unlock (&self->mutex);
  attempt->drop_secrets = exchange->drop_secrets;
  attempt->local_only = exchange->request->local_only;
  attempt->context = g_main_context_ref (g_task_get_context (task));
  attempt->done = on_attempt_done;
  attempt->done_data = g_object_ref (task);

  exchange->request->attempts++;

  g_mutex_lock (&self->mutex);
  attempt->id = ++self->next_attempt_id;
  exchange->attempt_id = attempt->id;
  g_queue_push_tail (&self->incoming, attempt);
  g_mutex_unlock (&self->mutex);
  reel_http_client_wake (self);
}

static void
refuse_not_local (GTask      *task,
                  const char *host)
{
  Exchange *exchange = g_task_get_task_data (task);

  exchange_fail_with (task, REEL_AI_ERROR_NOT_LOCAL,
                      _("“Local only” is on, and %s (%s) is not on this computer or the local "
                        "network, so nothing was sent. Choose a local server, or turn off "
                        "“Local only” in Preferences."), exchange_service (exchange), host);
}

static void
on_resolved (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  g_autolist(GInetAddress) addresses = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GString) resolve = NULL;
  const char *host;
  int port;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  uri = g_uri_parse (exchange->url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);
  host = g_uri_get_host (uri);

  if (addresses == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        exchange_fail (task, NULL);
      else
        exchange_fail_with (task, REEL_AI_ERROR_NETWORK,
                            _("Could not find %s (%s). Check the address in Preferences and "
                              "the network connection."), exchange_service (exchange), host);
      return;
    }

  /* Every address must be local: curl may try any of them. */
  for (GList *l = addresses; l != NULL; l = l->next)
    if (!reel_address_policy_is_local (l->data))
      {
        refuse_not_local (task, host);
        return;
      }

  port = g_uri_get_port (uri);
  if (port < 0)
    port = g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;

  resolve = g_string_new (NULL);
  g_string_append_printf (resolve, "%s:%d:", host, port);
  for (GList *l = addresses; l != NULL; l = l->next)
    {
      g_autofree char *text = g_inet_address_to_string (l->data);
      gboolean v6 = g_inet_address_get_family (l->data) == G_SOCKET_FAMILY_IPV6;

      g_string_append_printf (resolve, "%s%s%s%s", l == addresses ? "" : ",",
                              v6 ? "[" : "", text, v6 ? "]" : "");
    }

  exchange_submit (task, resolve->str);
}

static void
exchange_start_attempt (GTask *task)
{
  Exchange *exchange = g_task_get_task_data (task);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GInetAddress) literal = NULL;
  g_autoptr(GResolver) resolver = NULL;
  const char *host;

  if (g_cancellable_is_cancelled (exchange->cancellable))
    {
      exchange_fail (task, NULL);
      return;
    }

  uri = g_uri_parse (exchange->url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      exchange_fail_with (task, REEL_AI_ERROR_CONFIG,
                          _("The address of %s is not a valid URL. Check it in Preferences."),
                          exchange_service (exchange));
      return;
    }

  if (!scheme_is_http (exchange->url))
    {
      exchange_fail_with (task, REEL_AI_ERROR_CONFIG,
                          _("The address of %s must start with http:// or https://. Check it "
                            "in Preferences."), exchange_service (exchange));
      return;
    }

  if (!exchange->request->local_only)
    {
      exchange_submit (task, NULL);
      return;
    }

  host = g_uri_get_host (uri);
  literal = g_inet_address_new_from_string (host);
  if (literal != NULL)
    {
      if (reel_address_policy_is_local (literal))
        exchange_submit (task, NULL);
      else
        refuse_not_local (task, host);
      return;
    }

  g_mutex_lock (&exchange->client->mutex);
  if (exchange->client->resolver != NULL)
    resolver = g_object_ref (exchange->client->resolver);
  g_mutex_unlock (&exchange->client->mutex);
  if (resolver == NULL)
    resolver = g_resolver_get_default ();
  g_resolver_lookup_by_name_async (resolver, host, exchange->cancellable,
                                   on_resolved, g_object_ref (task));
}

/**
 * reel_http_client_send_async:
 * @request: a request, not to be changed any more
 *
 * Sends @request, retrying and following redirects as it says. Finishes with the answer
 * whatever its status (a 4xx is an answer for the provider to read), or with an error in
 * %REEL_AI_ERROR for a failure of transport, or %G_IO_ERROR_CANCELLED.
 */
void
reel_http_client_send_async (ReelHttpClient      *self,
                             ReelHttpRequest     *request,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Exchange *exchange;

  g_return_if_fail (REEL_IS_HTTP_CLIENT (self));
  g_return_if_fail (REEL_IS_HTTP_REQUEST (request));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_http_client_send_async);
  g_task_set_check_cancellable (task, FALSE);

  exchange = g_new0 (Exchange, 1);
  exchange->client = self;
  exchange->request = g_object_ref (request);
  exchange->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  exchange->url = g_strdup (request->url);
  exchange->method = g_strdup (request->method);
  g_task_set_task_data (task, exchange, exchange_free);

  request->attempts = 0;
  g_array_set_size (request->waits, 0);

  if (cancellable != NULL)
    exchange->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                    exchange, NULL);

  exchange_start_attempt (task);
}

/**
 * reel_http_client_send_finish:
 *
 * Returns: (transfer full): the answer, or %NULL with @error set
 */
ReelHttpResponse *
reel_http_client_send_finish (ReelHttpClient  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (REEL_IS_HTTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == reel_http_client_send_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
