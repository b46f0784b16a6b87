/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ai/reel-ai-error.h"
#include "ai/reel-http.h"
#include "ai/reel-websocket.h"
#include "ai-test-util.h"
#include "../reel-test-require.h"

/* "Local only" with a proxy in the environment and with names that resolve to public
 * addresses. The proxy is a listener on 127.0.0.1 that counts who came and answers 502; the
 * names come from a resolver the test fills in, so no real DNS is asked and nothing is ever
 * sent to an address that is not loopback. */

static FakeServer *server;
static guint proxy_visits;
static guint16 proxy_port;

/* A resolver that knows only the names a test gives it --------------------------------- */

#define TEST_TYPE_RESOLVER (test_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestResolver, test_resolver, TEST, RESOLVER, GResolver)

struct _TestResolver
{
  GResolver parent_instance;
  GHashTable *names;   /* name → "addr,addr" */
  guint lookups;
};

G_DEFINE_FINAL_TYPE (TestResolver, test_resolver, G_TYPE_RESOLVER)

static GList *
test_resolver_lookup_by_name (GResolver     *resolver,
                              const char    *hostname,
                              GCancellable  *cancellable,
                              GError       **error)
{
  TestResolver *self = TEST_RESOLVER (resolver);
  const char *addresses = g_hash_table_lookup (self->names, hostname);
  g_auto(GStrv) parts = NULL;
  GList *list = NULL;

  self->lookups++;
  if (addresses == NULL)
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                   "No test address for %s", hostname);
      return NULL;
    }

  parts = g_strsplit (addresses, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    list = g_list_append (list, g_inet_address_new_from_string (parts[i]));
  return list;
}

static void
test_resolver_lookup_by_name_async (GResolver           *resolver,
                                    const char          *hostname,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList *list = test_resolver_lookup_by_name (resolver, hostname, cancellable, &error);

  if (list == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, list, (GDestroyNotify) g_resolver_free_addresses);
}

static GList *
test_resolver_lookup_by_name_finish (GResolver     *resolver,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_resolver_finalize (GObject *object)
{
  g_hash_table_unref (TEST_RESOLVER (object)->names);
  G_OBJECT_CLASS (test_resolver_parent_class)->finalize (object);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_resolver_finalize;
  resolver_class->lookup_by_name = test_resolver_lookup_by_name;
  resolver_class->lookup_by_name_async = test_resolver_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = test_resolver_lookup_by_name_finish;
}

static void
test_resolver_init (TestResolver *self)
{
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* The proxy ------------------------------------------------------------------------------ */

static gboolean
on_proxy_visit (GSocketService     *service,
                GSocketConnection  *connection,
                GObject            *source,
                gpointer            user_data)
{
  static const char answer[] = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n"
                               "Connection: close\r\n\r\n";
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  char buffer[4096];

  proxy_visits++;
  /* What came is of no interest, only that it came here. */
  g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);
  g_output_stream_write_all (out, answer, strlen (answer), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

/* Helpers --------------------------------------------------------------------------------- */

typedef struct
{
  ReelHttpClient *client;
  TestResolver *resolver;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fake_server_reset (server);
  proxy_visits = 0;
  fixture->client = reel_http_client_new ();
  fixture->resolver = g_object_new (TEST_TYPE_RESOLVER, NULL);
  reel_http_client_set_resolver (fixture->client, G_RESOLVER (fixture->resolver));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->resolver);
}

static ReelHttpResponse *
get_sync (Fixture     *fixture,
          const char  *url,
          gboolean     local_only,
          GError     **error)
{
  g_autoptr(ReelHttpRequest) request = reel_http_request_new ("GET", url);
  g_autoptr(GAsyncResult) result = NULL;

  reel_http_request_set_service (request, "ComfyUI", "comfyui");
  reel_http_request_set_local_only (request, local_only);
  reel_http_request_set_max_attempts (request, 1);
  reel_http_client_send_async (fixture->client, request, NULL, ai_test_store_result, &result);
  ai_test_wait_result (&result, 30000);
  return reel_http_client_send_finish (fixture->client, result, error);
}

static guint
server_requests (void)
{
  g_autoptr(JsonNode) owner = NULL;

  return json_array_get_length (fake_server_requests (server, &owner));
}

/* Tests ----------------------------------------------------------------------------------- */

/* Without "Local only" the environment's proxy is used: so the proxy is live, and what the
 * other tests see is the engine's doing. */
static void
test_proxy_is_live (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *url = fake_server_url (server, "/system_stats");
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = get_sync (fixture, url, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_http_response_get_status (response), ==, 502);
  g_assert_cmpuint (proxy_visits, ==, 1);
  g_assert_cmpuint (server_requests (), ==, 0);
}

/* A literal private address goes straight to the server, whatever http_proxy says. */
static void
test_literal_goes_direct (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *url = fake_server_url (server, "/system_stats");
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = get_sync (fixture, url, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_http_response_get_status (response), ==, 200);
  g_assert_cmpuint (proxy_visits, ==, 0);
  g_assert_cmpuint (server_requests (), ==, 1);
  /* No name, no lookup. */
  g_assert_cmpuint (fixture->resolver->lookups, ==, 0);
}

/* A name whose every address is local goes to those addresses, directly. */
static void
test_local_name_goes_direct (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("http://render.studio.test:%u/system_stats",
                                          server->port);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  g_hash_table_insert (fixture->resolver->names, g_strdup ("render.studio.test"),
                       g_strdup ("127.0.0.1"));
  response = get_sync (fixture, url, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_http_response_get_status (response), ==, 200);
  g_assert_cmpuint (fixture->resolver->lookups, ==, 1);
  g_assert_cmpuint (proxy_visits, ==, 0);
  g_assert_cmpuint (server_requests (), ==, 1);
}

/* A name with a public address, alone or beside a local one, is refused before anything is
 * sent: no connection to the proxy, the server, or the public address. */
static void
test_public_name_refused (Fixture       *fixture,
                          gconstpointer  data)
{
  static const char *mappings[][2] = {
    { "plates.studio.test", "203.0.113.7" },
    { "gpu.studio.test", "127.0.0.1,198.51.100.2" },
    { "cgnat.studio.test", "100.64.12.1" },
    { "v6.studio.test", "::1,2001:db8::5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (mappings); i++)
    {
      g_autofree char *url = g_strdup_printf ("http://%s:%u/system_stats", mappings[i][0],
                                              server->port);
      g_autoptr(ReelHttpResponse) response = NULL;
      g_autoptr(GError) error = NULL;

      g_hash_table_insert (fixture->resolver->names, g_strdup (mappings[i][0]),
                           g_strdup (mappings[i][1]));
      response = get_sync (fixture, url, TRUE, &error);
      g_assert_null (response);
      g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NOT_LOCAL);
      g_assert_nonnull (strstr (error->message, mappings[i][0]));
    }

  g_assert_cmpuint (proxy_visits, ==, 0);
  g_assert_cmpuint (server_requests (), ==, 0);
  g_assert_cmpuint (fake_server_connections (server), ==, 0);
}

/* ComfyUI's /ws follows the same rule: a public name is refused before connecting, and a
 * local one goes straight to the server (the fake's handshake), not through the proxy. */
static void
test_websocket_local_only (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *public_url = g_strdup_printf ("http://plates.studio.test:%u/ws?clientId=x",
                                                 server->port);
  g_autofree char *local_url = g_strdup_printf ("http://gpu.studio.test:%u/ws?clientId=x",
                                                server->port);
  g_autofree char *literal_url = g_strdup_printf ("http://198.51.100.2:%u/ws", server->port);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ReelWebsocket) socket = NULL;
  g_autoptr(GError) error = NULL;

  g_hash_table_insert (fixture->resolver->names, g_strdup ("plates.studio.test"),
                       g_strdup ("127.0.0.1,203.0.113.7"));
  g_hash_table_insert (fixture->resolver->names, g_strdup ("gpu.studio.test"),
                       g_strdup ("127.0.0.1"));
  fake_server_config (server, "{\"comfy_ws\":true}");

  reel_websocket_connect_async (public_url, TRUE, G_RESOLVER (fixture->resolver), NULL, NULL,
                                ai_test_store_result, &result);
  ai_test_wait_result (&result, 30000);
  g_assert_null (reel_websocket_connect_finish (result, &error));
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NOT_LOCAL);
  g_assert_nonnull (strstr (error->message, "plates.studio.test"));
  g_clear_error (&error);
  g_clear_object (&result);

  reel_websocket_connect_async (literal_url, TRUE, G_RESOLVER (fixture->resolver), NULL, NULL,
                                ai_test_store_result, &result);
  ai_test_wait_result (&result, 30000);
  g_assert_null (reel_websocket_connect_finish (result, &error));
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NOT_LOCAL);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_cmpuint (fake_server_connections (server), ==, 0);

  reel_websocket_connect_async (local_url, TRUE, G_RESOLVER (fixture->resolver), NULL, NULL,
                                ai_test_store_result, &result);
  ai_test_wait_result (&result, 30000);
  socket = reel_websocket_connect_finish (result, &error);
  g_assert_no_error (error);
  g_assert_true (reel_websocket_is_open (socket));
  reel_websocket_close (socket);

  g_assert_cmpuint (proxy_visits, ==, 0);
  g_assert_cmpuint (fake_server_connections (server), ==, 1);
}

/* A certificate for @name, made for this run: cert.pem and key.pem in a new folder. */
static char *
make_certificate (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = g_strdup_printf ("/CN=%s", name);
  g_autofree char *alt_name = g_strdup_printf ("subjectAltName=DNS:%s", name);
  char *dir = g_dir_make_tmp ("storyreel-tls-XXXXXX", &error);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autoptr(GSubprocess) openssl = NULL;

  g_assert_no_error (error);
  openssl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                              "-days", "2", "-subj", subject, "-addext", alt_name,
                              "-keyout", key, "-out", cert, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (openssl, NULL, &error);
  g_assert_no_error (error);
  return dir;
}

static void
remove_certificate (const char *dir)
{
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);

  g_unlink (cert);
  g_unlink (key);
  g_rmdir (dir);
}

/* "Local only" pins the address it checked, yet TLS still speaks to the name: the server is
 * told the name (SNI) and its certificate, made for the name and not for 127.0.0.1, is
 * accepted. Over HTTPS (the engine) and over wss (ComfyUI's /ws). */
static void
test_tls_keeps_the_name (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *dir = NULL;
  g_autofree char *tls_arg = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *https_url = NULL;
  g_autofree char *wss_url = NULL;
  g_autoptr(FakeServer) tls_server = NULL;
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ReelWebsocket) socket = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) log = NULL;
  JsonArray *names;

  if (!reel_test_require_program ("openssl"))
    return;

  dir = make_certificate ("gpu.studio.test");
  tls_arg = g_strdup_printf ("--tls %s", dir);
  cert = g_build_filename (dir, "cert.pem", NULL);
  tls_server = fake_server_start (tls_arg);
  fake_server_config (tls_server, "{\"comfy_ws\":true}");
  g_hash_table_insert (fixture->resolver->names, g_strdup ("gpu.studio.test"),
                       g_strdup ("127.0.0.1"));

  https_url = g_strdup_printf ("https://gpu.studio.test:%u/system_stats", tls_server->port);
  reel_http_client_set_ca_file (fixture->client, cert);
  response = get_sync (fixture, https_url, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_http_response_get_status (response), ==, 200);

  database = g_tls_file_database_new (cert, &error);
  g_assert_no_error (error);
  reel_websocket_set_tls_database (database);
  wss_url = g_strdup_printf ("wss://gpu.studio.test:%u/ws?clientId=x", tls_server->port);
  reel_websocket_connect_async (wss_url, TRUE, G_RESOLVER (fixture->resolver), NULL, NULL,
                                ai_test_store_result, &result);
  ai_test_wait_result (&result, 30000);
  socket = reel_websocket_connect_finish (result, &error);
  reel_websocket_set_tls_database (NULL);
  g_assert_no_error (error);
  g_assert_true (reel_websocket_is_open (socket));
  reel_websocket_close (socket);

  /* Both said the name; neither went through the proxy of the environment. */
  log = fake_server_log (tls_server);
  names = json_object_get_array_member (json_node_get_object (log), "sni");
  {
    guint told = 0;

    /* The test's own control requests go to 127.0.0.1 and name nothing (null). */
    for (guint i = 0; i < json_array_get_length (names); i++)
      if (!json_node_is_null (json_array_get_element (names, i)))
        {
          g_assert_cmpstr (json_array_get_string_element (names, i), ==, "gpu.studio.test");
          told++;
        }
    g_assert_cmpuint (told, ==, 2);
  }
  g_assert_cmpuint (proxy_visits, ==, 0);

  /* The same certificate for another name is refused: the check is real. */
  {
    g_autofree char *other_url = g_strdup_printf ("wss://other.studio.test:%u/ws?clientId=y",
                                                  tls_server->port);
    g_autoptr(GAsyncResult) refused = NULL;

    g_hash_table_insert (fixture->resolver->names, g_strdup ("other.studio.test"),
                         g_strdup ("127.0.0.1"));
    reel_websocket_set_tls_database (database);
    reel_websocket_connect_async (other_url, TRUE, G_RESOLVER (fixture->resolver), NULL, NULL,
                                  ai_test_store_result, &refused);
    ai_test_wait_result (&refused, 30000);
    g_assert_null (reel_websocket_connect_finish (refused, &error));
    reel_websocket_set_tls_database (NULL);
    g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NETWORK);
    g_assert_nonnull (strstr (error->message, "other.studio.test"));
  }

  remove_certificate (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GSocketService) proxy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *proxy_url = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  server = fake_server_start (NULL);

  proxy = g_socket_service_new ();
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) wanted = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) bound = NULL;

    g_socket_listener_add_address (G_SOCKET_LISTENER (proxy), wanted, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
    g_assert_no_error (error);
    proxy_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  }
  g_signal_connect (proxy, "incoming", G_CALLBACK (on_proxy_visit), NULL);
  g_socket_service_start (proxy);

  /* Every variable libcurl reads, set before the engine's thread exists. */
  proxy_url = g_strdup_printf ("http://127.0.0.1:%u", proxy_port);
  g_setenv ("http_proxy", proxy_url, TRUE);
  g_setenv ("https_proxy", proxy_url, TRUE);
  g_setenv ("HTTPS_PROXY", proxy_url, TRUE);
  g_setenv ("ALL_PROXY", proxy_url, TRUE);
  g_unsetenv ("no_proxy");
  g_unsetenv ("NO_PROXY");

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/http-proxy/proxy-is-live", test_proxy_is_live);
  ADD ("/http-proxy/local-only/literal-goes-direct", test_literal_goes_direct);
  ADD ("/http-proxy/local-only/local-name-goes-direct", test_local_name_goes_direct);
  ADD ("/http-proxy/local-only/public-name-refused", test_public_name_refused);
  ADD ("/http-proxy/local-only/websocket", test_websocket_local_only);
  ADD ("/http-proxy/local-only/tls-keeps-the-name", test_tls_keeps_the_name);

  status = reel_test_run ();
  g_socket_service_stop (proxy);
  g_clear_pointer (&server, fake_server_stop);
  return status;
}
