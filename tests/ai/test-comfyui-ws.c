/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "ai/reel-ai-error.h"
#include "ai/reel-comfyui-events.h"
#include "ai/reel-comfyui-farm.h"
#include "ai/reel-comfyui.h"
#include "ai/reel-websocket.h"
#include "ai-test-util.h"

/* ComfyUI's /ws: the WebSocket framing (RFC 6455) on its own, ComfyUI's messages on their
 * own, then a generation against the fake server's /ws (text and binary frames, a message in
 * three fragments with a ping between them) whose steps and preview reach the caller, and
 * whose frames the fake checks (every frame from a client masked, pings answered). */

static FakeServer *server;
static ReelHttpClient *client;

/* Frames ---------------------------------------------------------------------------------- */

static void
test_accept_key (void)
{
  g_autofree char *accept = reel_websocket_accept_key ("dGhlIHNhbXBsZSBub25jZQ==");

  /* The example of RFC 6455, section 1.3. */
  g_assert_cmpstr (accept, ==, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

static void
test_encode_masked (void)
{
  const guint8 mask[4] = { 0x37, 0xfa, 0x21, 0x3d };
  g_autoptr(GBytes) frame = reel_websocket_encode_frame (REEL_WEBSOCKET_TEXT,
                                                         (const guint8 *) "Hello", 5, mask);
  g_autoptr(GBytes) big = NULL;
  g_autofree guint8 *payload = g_malloc0 (300);
  const guint8 *data;
  gsize size;
  /* RFC 6455, section 5.7: a masked "Hello". */
  const guint8 expected[] = { 0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51,
                              0x58 };

  data = g_bytes_get_data (frame, &size);
  g_assert_cmpmem (data, size, expected, sizeof expected);

  big = reel_websocket_encode_frame (REEL_WEBSOCKET_BINARY, payload, 300, mask);
  data = g_bytes_get_data (big, &size);
  g_assert_cmpuint (size, ==, 2 + 2 + 4 + 300);
  g_assert_cmpuint (data[0], ==, 0x82);
  g_assert_cmpuint (data[1], ==, 0x80 | 126);
  g_assert_cmpuint ((data[2] << 8) | data[3], ==, 300);
  /* Zeros masked are the mask itself. */
  g_assert_cmpmem (data + 8, 4, mask, 4);
}

static void
push (ReelWebsocketDecoder *decoder,
      const char           *bytes,
      gsize                 length)
{
  reel_websocket_decoder_push (decoder, (const guint8 *) bytes, length);
}

static void
test_decoder_fragments (void)
{
  g_autoptr(ReelWebsocketDecoder) decoder = reel_websocket_decoder_new (1024);
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GError) error = NULL;
  ReelWebsocketOpcode opcode;

  /* "Hel" (text, not final), a ping, "lo" (continuation, final): RFC 6455, section 5.7. */
  push (decoder, "\x01\x03Hel", 5);
  push (decoder, "\x89\x04ping", 6);
  g_assert_cmpint (reel_websocket_decoder_next (decoder, &opcode, &payload, &error), ==, 1);
  g_assert_cmpint (opcode, ==, REEL_WEBSOCKET_PING);
  g_assert_cmpmem (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), "ping", 4);
  g_clear_pointer (&payload, g_bytes_unref);

  /* Half a frame: more is needed. */
  push (decoder, "\x80\x02l", 3);
  g_assert_cmpint (reel_websocket_decoder_next (decoder, &opcode, &payload, &error), ==, 0);
  push (decoder, "o", 1);
  g_assert_cmpint (reel_websocket_decoder_next (decoder, &opcode, &payload, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (opcode, ==, REEL_WEBSOCKET_TEXT);
  g_assert_cmpmem (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), "Hello", 5);
  g_assert_cmpint (reel_websocket_decoder_next (decoder, &opcode, &payload, &error), ==, 0);
}

static void
assert_refused (const char *bytes,
                gsize       length)
{
  g_autoptr(ReelWebsocketDecoder) decoder = reel_websocket_decoder_new (64);
  g_autoptr(GError) error = NULL;
  GBytes *payload = NULL;
  ReelWebsocketOpcode opcode;

  push (decoder, bytes, length);
  g_assert_cmpint (reel_websocket_decoder_next (decoder, &opcode, &payload, &error), ==, -1);
  g_assert_error (error, REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE);
  g_assert_null (payload);
}

static void
test_decoder_refuses (void)
{
  /* A masked frame from a server. */
  assert_refused ("\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58", 11);
  /* A continuation of nothing. */
  assert_refused ("\x80\x01x", 3);
  /* A fragmented ping. */
  assert_refused ("\x09\x01x", 3);
  /* Reserved bits (no extension was agreed). */
  assert_refused ("\xc1\x01x", 3);
  /* Text that is not UTF-8. */
  assert_refused ("\x81\x02\xc3\x28", 4);
  /* Longer than the limit (64). */
  assert_refused ("\x82\x7e\x01\x00", 4);
  /* A second message started inside a fragmented one. */
  assert_refused ("\x01\x01x\x01\x01y", 6);
}

/* ComfyUI's messages ---------------------------------------------------------------------- */

static void
test_events (void)
{
  static const char progress[] = "{\"type\":\"progress\",\"data\":{\"value\":3,\"max\":20,"
                                 "\"prompt_id\":\"p1\",\"node\":\"3\"}}";
  static const char done[] = "{\"type\":\"executing\",\"data\":{\"node\":null,"
                             "\"prompt_id\":\"p1\"}}";
  static const char png[] = "\0\0\0\1\0\0\0\2\x89PNG\r\n\x1a\nrest";
  static const char lying[] = "\0\0\0\1\0\0\0\1\x89PNG\r\n\x1a\nrest";
  g_autoptr(GBytes) preview = g_bytes_new_static (png, sizeof png - 1);
  g_autoptr(GBytes) wrong = g_bytes_new_static (lying, sizeof lying - 1);
  ReelComfyuiEvent event;

  g_assert_true (reel_comfyui_event_parse_text (progress, strlen (progress), &event));
  g_assert_cmpint (event.type, ==, REEL_COMFYUI_EVENT_PROGRESS);
  g_assert_cmpint (event.value, ==, 3);
  g_assert_cmpint (event.max, ==, 20);
  g_assert_cmpstr (event.node, ==, "3");
  g_assert_cmpstr (event.prompt_id, ==, "p1");
  reel_comfyui_event_clear (&event);

  g_assert_true (reel_comfyui_event_parse_text (done, strlen (done), &event));
  g_assert_cmpint (event.type, ==, REEL_COMFYUI_EVENT_EXECUTING);
  g_assert_null (event.node);
  reel_comfyui_event_clear (&event);

  g_assert_true (reel_comfyui_event_parse_binary (preview, &event));
  g_assert_cmpint (event.type, ==, REEL_COMFYUI_EVENT_PREVIEW);
  g_assert_cmpstr (event.mime_type, ==, "image/png");
  g_assert_cmpuint (g_bytes_get_size (event.image), ==, sizeof png - 1 - 8);
  reel_comfyui_event_clear (&event);

  /* Says JPEG, holds PNG: not handed to a decoder as something it is not. */
  g_assert_false (reel_comfyui_event_parse_binary (wrong, &event));
  g_assert_false (reel_comfyui_event_parse_text ("{\"type\":\"progress\",\"data\":{}}", 30,
                                                 &event));
  g_assert_false (reel_comfyui_event_parse_text ("[1,2]", 5, &event));
}

/* Against the fake ------------------------------------------------------------------------ */

typedef struct
{
  GPtrArray *statuses;
  GArray *fractions;
  GPtrArray *previews;
  GArray *preview_indices;
} Seen;

static void
on_progress (double      fraction,
             const char *status,
             gpointer    user_data)
{
  Seen *seen = user_data;

  g_array_append_val (seen->fractions, fraction);
  if (status != NULL)
    g_ptr_array_add (seen->statuses, g_strdup (status));
}

static void
on_preview (guint    index,
            GBytes  *image,
            gpointer user_data)
{
  Seen *seen = user_data;

  g_ptr_array_add (seen->previews, g_bytes_ref (image));
  g_array_append_val (seen->preview_indices, index);
}

static ReelProvider *
make_provider (void)
{
  ReelProvider *provider = reel_provider_new_for_id ("comfyui", NULL);
  const char *urls[] = { server->base_url, NULL };

  reel_provider_set_http_client (provider, client);
  reel_provider_set_keyring_enabled (provider, FALSE);
  reel_comfyui_set_servers (REEL_COMFYUI (provider), urls);
  reel_comfyui_set_poll_interval (REEL_COMFYUI (provider), 30);
  return provider;
}

static gboolean
statuses_contain (Seen       *seen,
                  const char *text)
{
  for (guint i = 0; i < seen->statuses->len; i++)
    if (strstr (g_ptr_array_index (seen->statuses, i), text) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_progress_and_preview (void)
{
  g_autoptr(ReelProvider) provider = make_provider ();
  g_autoptr(ReelGenerationRequest) request = reel_generation_request_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) log = NULL;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  JsonArray *sockets;
  JsonObject *socket;
  JsonArray *pongs;
  GdkPixbuf *pixbuf;
  Seen seen = { 0 };
  gboolean between = FALSE;
  gboolean hello = FALSE;
  gboolean quarter = FALSE;

  reel_comfyui_farm_reset ();
  fake_server_reset (server);
  fake_server_config (server, "{\"comfy_ws\":true,\"comfy_duration\":1.5,\"comfy_steps\":4,"
                              "\"comfy_preview_size\":[64,36]}");
  seen.statuses = g_ptr_array_new_with_free_func (g_free);
  seen.fractions = g_array_new (FALSE, FALSE, sizeof (double));
  seen.previews = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  seen.preview_indices = g_array_new (FALSE, FALSE, sizeof (guint));

  request->kind = REEL_GENERATION_BACKGROUND;
  request->count = 1;
  request->seed = 7;
  request->prompt = g_strdup ("Interior: lighthouse, night. Empty background plate.");
  request->width = 512;
  request->height = 288;
  request->aspect_ratio = 16.0 / 9.0;
  request->preview = on_preview;
  request->preview_data = &seen;

  reel_generator_generate_async (REEL_GENERATOR (provider), request, on_progress, &seen, NULL,
                                 ai_test_store_result, &result);
  ai_test_wait_result (&result, 60000);
  assets = reel_generator_generate_finish (REEL_GENERATOR (provider), result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 1);

  /* The steps, by node name: the first came in three fragments with a ping between. */
  g_assert_true (statuses_contain (&seen, "KSampler: step 1 of 4"));
  g_assert_true (statuses_contain (&seen, "KSampler: step 3 of 4"));
  for (guint i = 0; i < seen.fractions->len; i++)
    if (ABS (g_array_index (seen.fractions, double, i) - 0.25) < 1e-9)
      quarter = TRUE;
  g_assert_true (quarter);

  /* The preview: the fake's PNG, 64 × 36, for the first (only) image. */
  g_assert_cmpuint (seen.previews->len, ==, 1);
  g_assert_cmpuint (g_array_index (seen.preview_indices, guint, 0), ==, 0);
  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, g_ptr_array_index (seen.previews, 0),
                                                &error));
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 64);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 36);

  /* What the client sent: every frame masked, both pings answered with their payload, on
   * a connection named by this process's client id. */
  log = fake_server_log (server);
  sockets = json_object_get_array_member (json_node_get_object (log), "websockets");
  g_assert_cmpuint (json_array_get_length (sockets), ==, 1);
  socket = json_array_get_object_element (sockets, 0);
  g_assert_cmpstr (json_object_get_string_member (socket, "client_id"), ==,
                   reel_comfyui_farm_client_id ());
  g_assert_cmpint (json_object_get_int_member (socket, "unmasked"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (socket, "frames"), >=, 2);
  pongs = json_object_get_array_member (socket, "pongs");
  for (guint i = 0; i < json_array_get_length (pongs); i++)
    {
      between |= g_strcmp0 (json_array_get_string_element (pongs, i), "between-fragments") == 0;
      hello |= g_strcmp0 (json_array_get_string_element (pongs, i), "hello") == 0;
    }
  g_assert_true (between);
  g_assert_true (hello);

  g_ptr_array_unref (seen.statuses);
  g_array_unref (seen.fractions);
  g_ptr_array_unref (seen.previews);
  g_array_unref (seen.preview_indices);
}

/* A server without /ws (HTTP 400 to the upgrade): the job polls, as before, and finishes. */
static void
test_without_ws (void)
{
  g_autoptr(ReelProvider) provider = make_provider ();
  g_autoptr(ReelGenerationRequest) request = reel_generation_request_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) log = NULL;
  Seen seen = { 0 };

  reel_comfyui_farm_reset ();
  fake_server_reset (server);
  fake_server_config (server, "{\"comfy_ws\":false,\"comfy_duration\":0.3}");
  seen.previews = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  seen.preview_indices = g_array_new (FALSE, FALSE, sizeof (guint));
  request->kind = REEL_GENERATION_BACKGROUND;
  request->count = 2;
  request->seed = 7;
  request->prompt = g_strdup ("Exterior: pier. Empty background plate.");
  request->width = 256;
  request->height = 144;
  request->preview = on_preview;
  request->preview_data = &seen;

  reel_generator_generate_async (REEL_GENERATOR (provider), request, NULL, NULL, NULL,
                                 ai_test_store_result, &result);
  ai_test_wait_result (&result, 60000);
  assets = reel_generator_generate_finish (REEL_GENERATOR (provider), result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 2);
  g_assert_cmpuint (seen.previews->len, ==, 0);
  log = fake_server_log (server);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (log), "websockets")), ==, 0);

  g_ptr_array_unref (seen.previews);
  g_array_unref (seen.preview_indices);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/comfyui-ws/accept-key", test_accept_key);
  g_test_add_func ("/comfyui-ws/encode-masked", test_encode_masked);
  g_test_add_func ("/comfyui-ws/decoder-fragments", test_decoder_fragments);
  g_test_add_func ("/comfyui-ws/decoder-refuses", test_decoder_refuses);
  g_test_add_func ("/comfyui-ws/events", test_events);
  g_test_add_func ("/comfyui-ws/progress-and-preview", test_progress_and_preview);
  g_test_add_func ("/comfyui-ws/without-ws", test_without_ws);

  server = fake_server_start (NULL);
  client = reel_http_client_new ();
  status = g_test_run ();
  g_object_unref (client);
  fake_server_stop (server);
  return status;
}
