/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test"

#include "config.h"

#include <string.h>

#include "ai/reel-ai-error.h"
#include "ai/reel-address-policy.h"
#include "ai/reel-http.h"
#include "ai-test-util.h"

/* Engine behaviour that needs no server, so it also runs in the unit suite under
 * AddressSanitizer: parsing of waits, the private-network rule, "Local only" refusing before
 * any connection, connection refused, bad URLs, cancellation before and during connects. */

static ReelHttpResponse *
send_sync (ReelHttpClient   *client,
           ReelHttpRequest  *request,
           GCancellable     *cancellable,
           GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  reel_http_client_send_async (client, request, cancellable, ai_test_store_result, &result);
  ai_test_wait_result (&result, 20000);
  return reel_http_client_send_finish (client, result, error);
}

static void
test_parse_retry_after (void)
{
  gint64 now = (gint64) 1767225600 * 1000;  /* 2026-01-01 00:00:00 UTC */

  g_assert_cmpint (reel_http_parse_retry_after ("38", now), ==, 38000);
  g_assert_cmpint (reel_http_parse_retry_after (" 1.5", now), ==, 1500);
  g_assert_cmpint (reel_http_parse_retry_after ("0", now), ==, 0);
  g_assert_cmpint (reel_http_parse_retry_after ("Thu, 01 Jan 2026 00:00:20 GMT", now), ==,
                   20000);
  /* The obsolete forms a recipient must still read (RFC 9110, 5.6.7). */
  g_assert_cmpint (reel_http_parse_retry_after ("Thursday, 01-Jan-26 00:00:20 GMT", now), ==,
                   20000);
  g_assert_cmpint (reel_http_parse_retry_after ("Thu Jan  1 00:00:20 2026", now), ==, 20000);
  g_assert_cmpint (reel_http_parse_retry_after ("Thu, 01 Foo 2026 00:00:20 GMT", now), ==, -1);
  g_assert_cmpint (reel_http_parse_retry_after ("Thu, 01 Jan 2026 00:00:20 PST", now), ==, -1);
  g_assert_cmpint (reel_http_parse_retry_after ("Thu, 32 Jan 2026 00:00:20 GMT", now), ==, -1);
  /* A date in the past means "now". */
  g_assert_cmpint (reel_http_parse_retry_after ("Wed, 31 Dec 2025 23:00:00 GMT", now), ==, 0);
  g_assert_cmpint (reel_http_parse_retry_after ("-4", now), ==, -1);
  g_assert_cmpint (reel_http_parse_retry_after ("soon", now), ==, -1);
  g_assert_cmpint (reel_http_parse_retry_after ("", now), ==, -1);
  g_assert_cmpint (reel_http_parse_retry_after (NULL, now), ==, -1);
}

static void
test_private_addresses (void)
{
  static const struct { const char *address; gboolean private; } cases[] = {
    { "127.0.0.1", TRUE }, { "127.8.9.10", TRUE }, { "::1", TRUE },
    { "10.0.0.1", TRUE }, { "10.255.255.255", TRUE },
    { "172.16.0.1", TRUE }, { "172.31.255.254", TRUE }, { "172.32.0.1", FALSE },
    { "172.15.255.255", FALSE }, { "192.168.1.20", TRUE }, { "192.169.0.1", FALSE },
    { "fc00::1", TRUE }, { "fd12:3456::1", TRUE }, { "fe00::1", FALSE },
    { "::ffff:192.168.0.2", TRUE }, { "::ffff:8.8.8.8", FALSE },
    { "8.8.8.8", FALSE }, { "2001:4860:4860::8888", FALSE }, { "0.0.0.0", FALSE },
    { "11.0.0.1", FALSE },
    /* Link-local is local: it never leaves the link. */
    { "169.254.169.254", TRUE }, { "169.255.0.1", FALSE }, { "fe80::1", TRUE },
    { "febf::1", TRUE }, { "fec0::1", FALSE },
    /* Carrier-grade NAT is the carrier's network, not the studio's. */
    { "100.64.0.1", FALSE }, { "100.127.255.254", FALSE }, { "::ffff:100.64.0.1", FALSE },
    /* No one server: multicast, broadcast, unspecified; NAT64 embeds a public address. */
    { "224.0.0.1", FALSE }, { "ff02::1", FALSE }, { "255.255.255.255", FALSE },
    { "::", FALSE }, { "64:ff9b::a00:1", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (cases[i].address);

      g_assert_nonnull (address);
      if (reel_address_policy_is_local (address) != cases[i].private)
        g_error ("%s should%s be private", cases[i].address, cases[i].private ? "" : " not");
    }
}

static void
test_local_only_refuses_public (void)
{
  static const char *urls[] = {
    "https://8.8.8.8/v1/images/generations",
    "http://[2001:4860:4860::8888]:8188/prompt",
    "http://0.0.0.0:8188/prompt",
  };
  g_autoptr(ReelHttpClient) client = reel_http_client_new ();

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(ReelHttpRequest) request = reel_http_request_new ("POST", urls[i]);
      g_autoptr(ReelHttpResponse) response = NULL;
      g_autoptr(GError) error = NULL;

      reel_http_request_set_service (request, "OpenAI", "openai");
      reel_http_request_add_secret_header (request, "Authorization", "Bearer " AI_TEST_KEY);
      reel_http_request_set_local_only (request, TRUE);
      response = send_sync (client, request, NULL, &error);
      g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NOT_LOCAL);
      g_assert_null (response);
      g_assert_nonnull (strstr (error->message, "OpenAI"));
      ai_test_assert_no_key (error->message);
      /* Refused before the worker ever saw it: no connection attempt, not one packet. */
      g_assert_cmpuint (reel_http_request_get_attempts (request), ==, 0);
    }
}

static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  /* Bind without listening: connections to it are refused. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_local_only_allows_loopback (void)
{
  g_autoptr(ReelHttpClient) client = reel_http_client_new ();
  const char *hosts[] = { "127.0.0.1", "localhost" };
  guint16 port = closed_port ();

  reel_http_client_set_delay_scale (client, 0.01);

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autofree char *url = g_strdup_printf ("http://%s:%u/prompt", hosts[i], port);
      g_autoptr(ReelHttpRequest) request = reel_http_request_new ("POST", url);
      g_autoptr(ReelHttpResponse) response = NULL;
      g_autoptr(GError) error = NULL;

      reel_http_request_set_service (request, "ComfyUI", "comfyui");
      reel_http_request_set_local_only (request, TRUE);
      reel_http_request_set_max_attempts (request, 2);
      response = send_sync (client, request, NULL, &error);
      /* Allowed through, so it reaches the (closed) port and is refused there. */
      g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NETWORK);
      g_assert_nonnull (strstr (error->message, "ComfyUI"));
      /* Nothing reached a server, so the connection was tried again. */
      g_assert_cmpuint (reel_http_request_get_attempts (request), ==, 2);
    }
}

static void
test_bad_urls (void)
{
  static const char *urls[] = {
    "ftp://127.0.0.1/image.png", "file:///etc/passwd", "not a url", "http://",
  };
  g_autoptr(ReelHttpClient) client = reel_http_client_new ();

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(ReelHttpRequest) request = reel_http_request_new ("GET", urls[i]);
      g_autoptr(ReelHttpResponse) response = NULL;
      g_autoptr(GError) error = NULL;

      reel_http_request_set_service (request, "ComfyUI", "comfyui");
      response = send_sync (client, request, NULL, &error);
      g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG);
      g_assert_nonnull (strstr (error->message, "ComfyUI"));
      g_assert_cmpuint (reel_http_request_get_attempts (request), ==, 0);
    }
}

static void
test_cancel_before_start (void)
{
  g_autoptr(ReelHttpClient) client = reel_http_client_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(ReelHttpRequest) request = reel_http_request_new ("GET", "http://127.0.0.1:9/");
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  response = send_sync (client, request, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (reel_http_request_get_attempts (request), ==, 0);
}

static void
on_accepted (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GSocketConnection **connection = user_data;

  *connection = g_socket_listener_accept_finish (G_SOCKET_LISTENER (object), result, NULL,
                                                 NULL);
}

static void
test_cancel_while_waiting_for_answer (void)
{
  g_autoptr(ReelHttpClient) client = reel_http_client_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(ReelHttpRequest) request = NULL;
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static ("{}", 2);
  guint16 port;
  gint64 start;

  /* A server that accepts and never answers. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_accept_async (listener, NULL, on_accepted, &connection);

  url = g_strdup_printf ("http://127.0.0.1:%u/v1/images/generations", port);
  request = reel_http_request_new ("POST", url);
  reel_http_request_set_body (request, "application/json", body);
  reel_http_request_add_secret_header (request, "Authorization", "Bearer " AI_TEST_KEY);

  reel_http_client_send_async (client, request, cancellable, ai_test_store_result, &result);
  while (connection == NULL)
    g_main_context_iteration (NULL, TRUE);

  start = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  ai_test_wait_result (&result, 5000);
  response = reel_http_client_send_finish (client, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 500 * 1000);
}

static void
test_scrub (void)
{
  g_autoptr(ReelHttpRequest) request = reel_http_request_new ("GET", "https://example.com/");
  g_autofree char *scrubbed = NULL;

  reel_http_request_add_secret_header (request, "Authorization", "Bearer " AI_TEST_KEY);
  reel_http_request_add_header (request, "Accept", "image/png");
  scrubbed = reel_http_request_scrub (request, "bad key " AI_TEST_KEY " given; image/png");
  g_assert_cmpstr (scrubbed, ==, "bad key [redacted] given; image/png");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ai_test_capture_logs ();

  g_test_add_func ("/http-local/parse-retry-after", test_parse_retry_after);
  g_test_add_func ("/http-local/private-addresses", test_private_addresses);
  g_test_add_func ("/http-local/local-only/refuses-public", test_local_only_refuses_public);
  g_test_add_func ("/http-local/local-only/allows-loopback", test_local_only_allows_loopback);
  g_test_add_func ("/http-local/bad-urls", test_bad_urls);
  g_test_add_func ("/http-local/cancel/before-start", test_cancel_before_start);
  g_test_add_func ("/http-local/cancel/waiting-for-answer", test_cancel_while_waiting_for_answer);
  g_test_add_func ("/http-local/scrub", test_scrub);

  return g_test_run ();
}
