/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test"

#include "config.h"

#include <curl/curl.h>
#include <string.h>

#include "ai-test-util.h"

const AiTestService ai_test_services[] = {
  { "gemini", "gemini-endpoint", "", ":generateContent", FALSE },
  { "openai", "openai-endpoint", "/v1", "/images/generations", FALSE },
  { "seedream", "seedream-endpoint", "/api/v3", "/images/generations", FALSE },
  { "wan", "wan-endpoint", "", "/services/aigc/", FALSE },
  { "veo", "veo-endpoint", "", ":predictLongRunning", TRUE },
  { "comfyui", NULL, "", "/prompt", FALSE },
};
const guint ai_test_n_services = G_N_ELEMENTS (ai_test_services);

static GString *captured;
static GMutex captured_lock;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_mutex_lock (&captured_lock);
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
      {
        if (fields[i].length < 0)
          g_string_append (captured, fields[i].value);
        else
          g_string_append_len (captured, fields[i].value, fields[i].length);
        g_string_append_c (captured, '\n');
      }
  g_mutex_unlock (&captured_lock);

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

void
ai_test_capture_logs (void)
{
  captured = g_string_new (NULL);
  /* Debug messages too: a key must not hide in them either. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_log_set_writer_func (capture_writer, NULL, NULL);
}

const char *
ai_test_captured_logs (void)
{
  return captured != NULL ? captured->str : "";
}

void
ai_test_assert_no_key (const char *text)
{
  if (text != NULL && strstr (text, AI_TEST_KEY) != NULL)
    g_error ("the API key appeared in output");
  if (text != NULL && strstr (text, "SECRET-4f9c2") != NULL)
    g_error ("part of the API key appeared in output");
}

void
ai_test_wait (gboolean *done,
              guint     timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!*done)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out after %u ms waiting for an operation", timeout_ms);
      g_main_context_iteration (NULL, FALSE);
      if (!*done)
        g_usleep (500);
    }
}

void
ai_test_store_result (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **store = user_data;

  g_assert_null (*store);
  *store = g_object_ref (result);
}

GAsyncResult *
ai_test_wait_result (GAsyncResult **result,
                     guint          timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (*result == NULL)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out after %u ms waiting for an operation", timeout_ms);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (500);
    }

  return *result;
}

FakeServer *
fake_server_start (const char *extra_arg)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  FakeServer *server;
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  const char *argv[8] = { "python3", NULL, "--key", AI_TEST_KEY, NULL, NULL };

  g_assert_nonnull (srcdir);
  script = g_build_filename (srcdir, "ai", "fake-server.py", NULL);
  argv[1] = script;
  if (extra_arg != NULL)
    {
      g_auto(GStrv) extra = g_strsplit (extra_arg, " ", 2);

      argv[4] = g_intern_string (extra[0]);
      argv[5] = extra[1] != NULL ? g_intern_string (extra[1]) : NULL;
    }

  server = g_new0 (FakeServer, 1);
  server->process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE
                                               | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "PORT "));
  server->port = (guint16) g_ascii_strtoull (line + 5, NULL, 10);
  server->base_url = g_strdup_printf ("%s://127.0.0.1:%u",
                                      extra_arg != NULL && g_str_has_prefix (extra_arg, "--tls")
                                        ? "https" : "http",
                                      server->port);
  return server;
}

void
fake_server_stop (FakeServer *server)
{
  if (server == NULL)
    return;

  /* Closing stdin ends the server. */
  g_output_stream_close (g_subprocess_get_stdin_pipe (server->process), NULL, NULL);
  if (!g_subprocess_wait (server->process, NULL, NULL))
    g_subprocess_force_exit (server->process);
  g_clear_object (&server->process);
  g_free (server->base_url);
  g_free (server);
}

void
fake_server_kill (FakeServer *server)
{
  /* As a machine that loses power: no goodbye on any connection. */
  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, NULL);
}

char *
fake_server_url (FakeServer *server,
                 const char *path)
{
  return g_strconcat (server->base_url, path, NULL);
}

static size_t
collect (char   *data,
         size_t  size,
         size_t  count,
         void   *user_data)
{
  g_string_append_len (user_data, data, (gssize) (size * count));
  return size * count;
}

/* The control channel uses plain blocking curl, independent of the engine under test. */
static char *
control (FakeServer *server,
         const char *path,
         const char *body)
{
  g_autofree char *url = fake_server_url (server, path);
  GString *answer = g_string_new (NULL);
  CURL *easy = curl_easy_init ();
  long status = 0;

  curl_easy_setopt (easy, CURLOPT_URL, url);
  /* Straight to the fake server, even in the tests that set http_proxy. */
  curl_easy_setopt (easy, CURLOPT_PROXY, "");
  /* A fake server with TLS has a certificate of its own, for another name. */
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, 0L);
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, answer);
  if (body != NULL)
    curl_easy_setopt (easy, CURLOPT_POSTFIELDS, body);
  g_assert_cmpint (curl_easy_perform (easy), ==, CURLE_OK);
  curl_easy_getinfo (easy, CURLINFO_RESPONSE_CODE, &status);
  g_assert_cmpint (status, ==, 200);
  curl_easy_cleanup (easy);

  return g_string_free (answer, FALSE);
}

char *
fake_server_control_post (FakeServer *server,
                          const char *path,
                          const char *json)
{
  return control (server, path, json);
}

void
fake_server_fault (FakeServer *server,
                   const char *json)
{
  g_free (control (server, "/_control/fault", json));
}

void
fake_server_config (FakeServer *server,
                    const char *json)
{
  g_free (control (server, "/_control/config", json));
}

void
fake_server_reset (FakeServer *server)
{
  g_free (control (server, "/_control/reset", "{}"));
}

JsonNode *
fake_server_log (FakeServer *server)
{
  g_autofree char *text = control (server, "/_control/log", NULL);
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

JsonArray *
fake_server_requests (FakeServer *server,
                      JsonNode  **owner)
{
  *owner = fake_server_log (server);
  return json_object_get_array_member (json_node_get_object (*owner), "requests");
}

guint
fake_server_count_requests (FakeServer *server,
                            const char *path_part)
{
  g_autoptr(JsonNode) owner = NULL;
  JsonArray *requests = fake_server_requests (server, &owner);
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (requests); i++)
    if (strstr (json_object_get_string_member (json_array_get_object_element (requests, i),
                                               "path"), path_part) != NULL)
      count++;
  return count;
}

guint
fake_server_connections (FakeServer *server)
{
  g_autoptr(JsonNode) log = fake_server_log (server);

  return (guint) json_object_get_int_member (json_node_get_object (log), "connections");
}
