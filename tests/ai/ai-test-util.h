/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The key every fake server expects. It must never appear in any output. */
#define AI_TEST_KEY "sk-test-SECRET-4f9c2-do-not-print"

typedef struct
{
  GSubprocess *process;
  guint16 port;
  char *base_url;
} FakeServer;

/* @extra_arg: nullable, such as "--tls DIR" (then base_url is https://127.0.0.1:PORT). */
FakeServer *fake_server_start       (const char *extra_arg);
void        fake_server_stop        (FakeServer *server);
/* Ends the server at once (SIGKILL); still to be stopped (freed) afterwards. */
void        fake_server_kill        (FakeServer *server);
void        fake_server_fault       (FakeServer *server,
                                     const char *json);
void        fake_server_config      (FakeServer *server,
                                     const char *json);
void        fake_server_reset       (FakeServer *server);
/* Any control request (such as "/_control/foreign"); the answer, transfer full. */
char       *fake_server_control_post (FakeServer *server,
                                      const char *path,
                                      const char *json);
JsonNode   *fake_server_log         (FakeServer *server);
JsonArray  *fake_server_requests    (FakeServer *server,
                                     JsonNode  **owner);
/* How many logged requests have @path_part in their path. */
guint       fake_server_count_requests (FakeServer *server,
                                        const char *path_part);
guint       fake_server_connections (FakeServer *server);
char       *fake_server_url         (FakeServer *server,
                                     const char *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeServer, fake_server_stop)

/* Each remote service as the UI and command-line tests drive it against the fake server. */
typedef struct
{
  const char *id;
  const char *endpoint_key;   /* the GSettings key of its address (NULL: ComfyUI's list) */
  const char *endpoint_path;  /* appended to the fake server's base URL */
  const char *request_path;   /* part of the path of the request that carries the prompt */
  gboolean video;             /* makes clips, one a call */
} AiTestService;

extern const AiTestService ai_test_services[];
extern const guint ai_test_n_services;

/* Log capture: everything logged goes through here as well as to stderr. */
void        ai_test_capture_logs    (void);
const char *ai_test_captured_logs   (void);
void        ai_test_assert_no_key   (const char *text);

/* Runs the default main context until *done is TRUE, failing the test after timeout_ms. */
void        ai_test_wait            (gboolean   *done,
                                     guint       timeout_ms);

GAsyncResult *ai_test_wait_result   (GAsyncResult **result,
                                     guint          timeout_ms);
void          ai_test_store_result  (GObject       *object,
                                     GAsyncResult  *result,
                                     gpointer       user_data);

G_END_DECLS
