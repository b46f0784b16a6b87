/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-websocket"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "reel-address-policy.h"
#include "reel-ai-error.h"
#include "reel-websocket.h"

/* A small WebSocket client (RFC 6455) for ComfyUI's /ws: Debian 12's libcurl was built
 * without WebSocket support. It opens the connection with GSocketClient, upgrades it with
 * the handshake of section 4, then reads frames (section 5) on the caller's main context.
 * Only what a client of a progress feed needs: no extensions, no subprotocols. */

#define HANDSHAKE_GUID    "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define MAX_HEADER_BYTES  16384
#define READ_CHUNK        65536
#define MAX_MESSAGE_BYTES (32 * 1024 * 1024)
#define CONNECT_TIMEOUT_S 10

struct _ReelWebsocket
{
  GObject parent_instance;

  GIOStream *stream;
  GCancellable *cancellable;
  ReelWebsocketDecoder *decoder;
  GQueue writes;          /* GBytes waiting to be written */
  gboolean writing;
  gboolean close_sent;
  gboolean closed;        /* "closed" emitted */
  GSource *start_source;
};

G_DEFINE_FINAL_TYPE (ReelWebsocket, reel_websocket, G_TYPE_OBJECT)

enum {
  SIGNAL_MESSAGE,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _ReelWebsocketDecoder
{
  GByteArray *buffer;
  gsize max_message;
  GByteArray *message;            /* a fragmented message being put together */
  ReelWebsocketOpcode message_opcode;
  gboolean in_message;
};

/* The pure parts -------------------------------------------------------------------------- */

char *
reel_websocket_accept_key (const char *key)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize length = sizeof digest;

  g_return_val_if_fail (key != NULL, NULL);

  g_checksum_update (checksum, (const guchar *) key, strlen (key));
  g_checksum_update (checksum, (const guchar *) HANDSHAKE_GUID, strlen (HANDSHAKE_GUID));
  g_checksum_get_digest (checksum, digest, &length);
  return g_base64_encode (digest, length);
}

GBytes *
reel_websocket_encode_frame (ReelWebsocketOpcode  opcode,
                             const guint8        *payload,
                             gsize                length,
                             const guint8         mask[4])
{
  GByteArray *frame = g_byte_array_sized_new (length + 14);
  guint8 header[10];
  gsize header_length;

  header[0] = 0x80 | (opcode & 0x0f);
  if (length < 126)
    {
      header[1] = 0x80 | (guint8) length;
      header_length = 2;
    }
  else if (length <= G_MAXUINT16)
    {
      header[1] = 0x80 | 126;
      header[2] = (length >> 8) & 0xff;
      header[3] = length & 0xff;
      header_length = 4;
    }
  else
    {
      header[1] = 0x80 | 127;
      for (guint i = 0; i < 8; i++)
        header[2 + i] = ((guint64) length >> (56 - 8 * i)) & 0xff;
      header_length = 10;
    }

  g_byte_array_append (frame, header, header_length);
  g_byte_array_append (frame, mask, 4);
  for (gsize i = 0; i < length; i++)
    {
      guint8 byte = payload[i] ^ mask[i % 4];

      g_byte_array_append (frame, &byte, 1);
    }
  return g_byte_array_free_to_bytes (frame);
}

ReelWebsocketDecoder *
reel_websocket_decoder_new (gsize max_message)
{
  ReelWebsocketDecoder *self = g_new0 (ReelWebsocketDecoder, 1);

  self->buffer = g_byte_array_new ();
  self->message = g_byte_array_new ();
  self->max_message = max_message;
  return self;
}

void
reel_websocket_decoder_free (ReelWebsocketDecoder *self)
{
  if (self == NULL)
    return;
  g_byte_array_unref (self->buffer);
  g_byte_array_unref (self->message);
  g_free (self);
}

void
reel_websocket_decoder_push (ReelWebsocketDecoder *self,
                             const guint8        *data,
                             gsize                length)
{
  g_byte_array_append (self->buffer, data, length);
}

static int
protocol_error (GError    **error,
                const char *what)
{
  /* Translators: %s says what was wrong, in English (for a bug report). */
  g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
               _("The server broke the WebSocket protocol (%s)."), what);
  return -1;
}

int
reel_websocket_decoder_next (ReelWebsocketDecoder *self,
                             ReelWebsocketOpcode *opcode,
                             GBytes             **payload,
                             GError             **error)
{
  for (;;)
    {
      const guint8 *data = self->buffer->data;
      gsize available = self->buffer->len;
      gsize header_length = 2;
      guint64 length;
      gboolean fin;
      guint frame_opcode;

      if (available < 2)
        return 0;

      fin = (data[0] & 0x80) != 0;
      frame_opcode = data[0] & 0x0f;
      if ((data[0] & 0x70) != 0)
        return protocol_error (error, "reserved bits set");
      if ((data[1] & 0x80) != 0)
        return protocol_error (error, "masked frame from the server");

      length = data[1] & 0x7f;
      if (length == 126)
        {
          if (available < 4)
            return 0;
          length = ((guint64) data[2] << 8) | data[3];
          header_length = 4;
          if (length < 126)
            return protocol_error (error, "length not in its shortest form");
        }
      else if (length == 127)
        {
          if (available < 10)
            return 0;
          if ((data[2] & 0x80) != 0)
            return protocol_error (error, "length with the top bit set");
          length = 0;
          for (guint i = 0; i < 8; i++)
            length = (length << 8) | data[2 + i];
          header_length = 10;
          if (length <= G_MAXUINT16)
            return protocol_error (error, "length not in its shortest form");
        }

      if (frame_opcode >= 0x8)
        {
          if (!fin)
            return protocol_error (error, "fragmented control frame");
          if (length > 125)
            return protocol_error (error, "control frame longer than 125 bytes");
          if (frame_opcode != REEL_WEBSOCKET_CLOSE && frame_opcode != REEL_WEBSOCKET_PING
              && frame_opcode != REEL_WEBSOCKET_PONG)
            return protocol_error (error, "unknown control opcode");
        }
      else if (frame_opcode == REEL_WEBSOCKET_CONTINUATION)
        {
          if (!self->in_message)
            return protocol_error (error, "continuation of no message");
        }
      else if (frame_opcode == REEL_WEBSOCKET_TEXT || frame_opcode == REEL_WEBSOCKET_BINARY)
        {
          if (self->in_message)
            return protocol_error (error, "new message inside a fragmented one");
        }
      else
        {
          return protocol_error (error, "unknown data opcode");
        }

      if (frame_opcode < 0x8 && length > self->max_message - MIN (self->message->len,
                                                                   self->max_message))
        return protocol_error (error, "message too long");

      if (available - header_length < length)
        return 0;

      /* A control frame may come between the fragments of a message. */
      if (frame_opcode >= 0x8)
        {
          *opcode = frame_opcode;
          *payload = g_bytes_new (data + header_length, length);
          g_byte_array_remove_range (self->buffer, 0, header_length + length);
          return 1;
        }

      g_byte_array_append (self->message, data + header_length, length);
      g_byte_array_remove_range (self->buffer, 0, header_length + length);
      if (frame_opcode != REEL_WEBSOCKET_CONTINUATION)
        {
          self->message_opcode = frame_opcode;
          self->in_message = TRUE;
        }
      if (!fin)
        continue;

      self->in_message = FALSE;
      if (self->message_opcode == REEL_WEBSOCKET_TEXT
          && !g_utf8_validate_len ((const char *) self->message->data, self->message->len, NULL))
        {
          g_byte_array_set_size (self->message, 0);
          return protocol_error (error, "text that is not UTF-8");
        }

      *opcode = self->message_opcode;
      *payload = g_bytes_new (self->message->data, self->message->len);
      g_byte_array_set_size (self->message, 0);
      return 1;
    }
}

/* Writing --------------------------------------------------------------------------------- */

static void write_next (ReelWebsocket *self);

static void
finish_closed (ReelWebsocket *self)
{
  if (self->closed)
    return;
  self->closed = TRUE;
  /* Reading stops now; the stream closes once a close frame still queued is written. */
  g_cancellable_cancel (self->cancellable);
  write_next (self);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
}

static void
on_written (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ReelWebsocket) self = user_data;
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      g_debug ("WebSocket write failed: %s", error->message);
      g_queue_clear_full (&self->writes, (GDestroyNotify) g_bytes_unref);
      finish_closed (self);
    }
  write_next (self);
}

static void
write_next (ReelWebsocket *self)
{
  g_autoptr(GBytes) frame = NULL;
  GOutputStream *output;

  if (self->writing || self->stream == NULL)
    return;
  frame = g_queue_pop_head (&self->writes);
  if (frame == NULL)
    {
      if (self->closed && !g_io_stream_is_closed (self->stream))
        g_io_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }

  self->writing = TRUE;
  output = g_io_stream_get_output_stream (self->stream);
  /* The bytes stay alive with the callback's data until the write is done. */
  g_object_set_data_full (G_OBJECT (self), "storyreel-writing", g_bytes_ref (frame),
                          (GDestroyNotify) g_bytes_unref);
  g_output_stream_write_all_async (output, g_bytes_get_data (frame, NULL),
                                   g_bytes_get_size (frame), G_PRIORITY_DEFAULT, NULL,
                                   on_written, g_object_ref (self));
}

static void
queue_frame (ReelWebsocket       *self,
             ReelWebsocketOpcode  opcode,
             const guint8        *payload,
             gsize                length)
{
  guint32 random = g_random_int ();
  guint8 mask[4];

  memcpy (mask, &random, sizeof mask);
  g_queue_push_tail (&self->writes, reel_websocket_encode_frame (opcode, payload, length, mask));
  write_next (self);
}

/* Reading --------------------------------------------------------------------------------- */

static void read_next (ReelWebsocket *self);

static gboolean
handle_buffered (ReelWebsocket *self)
{
  ReelWebsocketOpcode opcode;
  GBytes *payload = NULL;
  g_autoptr(GError) error = NULL;
  int next;

  while (!self->closed
         && (next = reel_websocket_decoder_next (self->decoder, &opcode, &payload, &error)) != 0)
    {
      g_autoptr(GBytes) message = payload;

      if (next < 0)
        {
          g_debug ("%s", error->message);
          /* 1002: protocol error. */
          if (!self->close_sent)
            {
              const guint8 code[2] = { 1002 >> 8, 1002 & 0xff };

              self->close_sent = TRUE;
              queue_frame (self, REEL_WEBSOCKET_CLOSE, code, sizeof code);
            }
          finish_closed (self);
          return FALSE;
        }

      switch (opcode)
        {
        case REEL_WEBSOCKET_PING:
          queue_frame (self, REEL_WEBSOCKET_PONG, g_bytes_get_data (message, NULL),
                       g_bytes_get_size (message));
          break;
        case REEL_WEBSOCKET_CLOSE:
          /* Echo the status code, as section 5.5.1 asks, then it is over. */
          if (!self->close_sent)
            {
              self->close_sent = TRUE;
              queue_frame (self, REEL_WEBSOCKET_CLOSE, g_bytes_get_data (message, NULL),
                           MIN (g_bytes_get_size (message), 2));
            }
          finish_closed (self);
          return FALSE;
        case REEL_WEBSOCKET_TEXT:
        case REEL_WEBSOCKET_BINARY:
          g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, (guint) opcode, message);
          break;
        case REEL_WEBSOCKET_PONG:
        case REEL_WEBSOCKET_CONTINUATION:
        default:
          break;
        }
    }
  return !self->closed;
}

static void
on_read (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(ReelWebsocket) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("WebSocket read failed: %s", error->message);
      finish_closed (self);
      return;
    }

  reel_websocket_decoder_push (self->decoder, g_bytes_get_data (bytes, NULL),
                              g_bytes_get_size (bytes));
  if (handle_buffered (self))
    read_next (self);
}

static void
read_next (ReelWebsocket *self)
{
  if (self->closed)
    return;
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (self->stream), READ_CHUNK,
                                   G_PRIORITY_DEFAULT, self->cancellable, on_read,
                                   g_object_ref (self));
}

static gboolean
on_start (gpointer user_data)
{
  ReelWebsocket *self = user_data;

  g_clear_pointer (&self->start_source, g_source_unref);
  /* What came with the handshake's answer first. */
  if (handle_buffered (self))
    read_next (self);
  return G_SOURCE_REMOVE;
}

/* Connecting ------------------------------------------------------------------------------ */

typedef struct
{
  char *host;
  int port;
  char *resource;       /* path and query */
  gboolean tls;
  gboolean local_only;
  gboolean pinned;      /* connecting to an address resolved and checked here */
  char *authorization;
  char *key;
  GIOStream *connection;
  GSocketConnection *socket;     /* under the TLS of a pinned address, while it handshakes */
  GByteArray *answer;
  char *request_text;
} Connect;

/* The certificates to trust instead of the system's: tests set their fake server's. */
static GTlsDatabase *tls_database;

static void
connect_free (gpointer data)
{
  Connect *connect = data;

  g_free (connect->host);
  g_free (connect->resource);
  if (connect->authorization != NULL)
    memset (connect->authorization, 0, strlen (connect->authorization));
  g_free (connect->authorization);
  g_free (connect->key);
  g_clear_object (&connect->connection);
  g_clear_object (&connect->socket);
  if (connect->answer != NULL)
    g_byte_array_unref (connect->answer);
  if (connect->request_text != NULL)
    memset (connect->request_text, 0, strlen (connect->request_text));
  g_free (connect->request_text);
  g_free (connect);
}

static void
connect_fail (GTask      *task,
              ReelAiError code,
              const char *message)
{
  g_task_return_new_error (task, REEL_AI_ERROR, code, "%s", message);
}

static const char *
header_value (char      **lines,
              const char *name)
{
  for (guint i = 1; lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');

      if (colon != NULL && (gsize) (colon - lines[i]) == strlen (name)
          && g_ascii_strncasecmp (lines[i], name, colon - lines[i]) == 0)
        {
          colon++;
          while (*colon == ' ' || *colon == '\t')
            colon++;
          return colon;
        }
    }
  return NULL;
}

static gboolean
header_has_token (const char *value,
                  const char *token)
{
  g_auto(GStrv) tokens = value != NULL ? g_strsplit (value, ",", -1) : NULL;

  for (guint i = 0; tokens != NULL && tokens[i] != NULL; i++)
    if (g_ascii_strcasecmp (g_strstrip (tokens[i]), token) == 0)
      return TRUE;
  return FALSE;
}

static void read_answer (GTask *task);

static void
check_answer (GTask *task,
              gsize  header_end)
{
  Connect *connect = g_task_get_task_data (task);
  g_autofree char *head = g_strndup ((const char *) connect->answer->data, header_end);
  g_auto(GStrv) lines = g_strsplit (head, "\r\n", -1);
  g_autofree char *expected = reel_websocket_accept_key (connect->key);
  g_autofree char *message = NULL;
  ReelWebsocket *self;
  int status = 0;

  if (lines[0] == NULL || sscanf (lines[0], "HTTP/1.1 %d", &status) != 1 || status != 101)
    {
      /* Translators: the first %s is a host, %d an HTTP status. */
      message = g_strdup_printf (_("%s does not offer a WebSocket at this address (HTTP %d)."),
                                 connect->host, status);
      connect_fail (task, REEL_AI_ERROR_NOT_SUPPORTED, message);
      return;
    }
  if (!header_has_token (header_value (lines, "Upgrade"), "websocket")
      || !header_has_token (header_value (lines, "Connection"), "upgrade")
      || g_strcmp0 (header_value (lines, "Sec-WebSocket-Accept"), expected) != 0)
    {
      message = g_strdup_printf (_("%s answered the WebSocket handshake wrongly."),
                                 connect->host);
      connect_fail (task, REEL_AI_ERROR_BAD_RESPONSE, message);
      return;
    }

  self = g_object_new (REEL_TYPE_WEBSOCKET, NULL);
  self->stream = g_steal_pointer (&connect->connection);
  reel_websocket_decoder_push (self->decoder, connect->answer->data + header_end + 4,
                              connect->answer->len - header_end - 4);
  g_task_return_pointer (task, self, g_object_unref);
}

static void
on_answer_read (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Connect *connect = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  gsize end;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      g_autofree char *message = g_strdup_printf (_("%s closed the connection during the "
                                                    "WebSocket handshake."), connect->host);

      if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        connect_fail (task, REEL_AI_ERROR_NETWORK, message);
      return;
    }

  g_byte_array_append (connect->answer, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  data = connect->answer->data;
  for (end = 0; end + 3 < connect->answer->len; end++)
    if (memcmp (data + end, "\r\n\r\n", 4) == 0)
      {
        check_answer (task, end);
        return;
      }

  if (connect->answer->len > MAX_HEADER_BYTES)
    {
      g_autofree char *message = g_strdup_printf (_("%s answered the WebSocket handshake "
                                                    "wrongly."), connect->host);

      connect_fail (task, REEL_AI_ERROR_BAD_RESPONSE, message);
      return;
    }
  read_answer (task);
}

static void
read_answer (GTask *task)
{
  Connect *connect = g_task_get_task_data (task);
  GInputStream *input = g_io_stream_get_input_stream (connect->connection);

  /* Small reads: what follows the headers belongs to the frames, and is kept. */
  g_input_stream_read_bytes_async (input, 4096, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), on_answer_read,
                                   g_object_ref (task));
}

static void
on_request_written (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  read_answer (task);
}

static void
send_handshake (GTask *task)
{
  Connect *connect = g_task_get_task_data (task);
  guint8 nonce[16];
  GString *request;
  GOutputStream *output;

  for (guint i = 0; i < sizeof nonce; i++)
    nonce[i] = g_random_int_range (0, 256);
  connect->key = g_base64_encode (nonce, sizeof nonce);

  request = g_string_new (NULL);
  g_string_append_printf (request, "GET %s HTTP/1.1\r\n", connect->resource);
  if (strchr (connect->host, ':') != NULL)
    g_string_append_printf (request, "Host: [%s]:%d\r\n", connect->host, connect->port);
  else
    g_string_append_printf (request, "Host: %s:%d\r\n", connect->host, connect->port);
  g_string_append (request, "Upgrade: websocket\r\nConnection: Upgrade\r\n");
  g_string_append_printf (request, "Sec-WebSocket-Key: %s\r\n", connect->key);
  g_string_append (request, "Sec-WebSocket-Version: 13\r\n");
  if (connect->authorization != NULL)
    g_string_append_printf (request, "Authorization: %s\r\n", connect->authorization);
  g_string_append (request, "\r\n");
  connect->request_text = g_string_free (request, FALSE);

  output = g_io_stream_get_output_stream (connect->connection);
  g_output_stream_write_all_async (output, connect->request_text, strlen (connect->request_text),
                                   G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   on_request_written, g_object_ref (task));
}

static void
fail_connecting (GTask  *task,
                 GError *error)
{
  Connect *connect = g_task_get_task_data (task);
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }
  message = g_strdup_printf (_("Could not connect to %s (%s)."), connect->host, error->message);
  g_error_free (error);
  connect_fail (task, REEL_AI_ERROR_NETWORK, message);
}

static void
on_tls_handshake (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Connect *connect = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result, &error))
    {
      fail_connecting (task, error);
      return;
    }
  g_clear_object (&connect->socket);
  send_handshake (task);
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Connect *connect = g_task_get_task_data (task);
  GSocketConnection *connection;
  GError *error = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  if (connection == NULL)
    {
      fail_connecting (task, error);
      return;
    }

  if (connect->socket == NULL && connect->tls && connect->pinned)
    {
      /* "Local only" connected to the address it checked, not to the name: TLS is spoken
       * here, for the name, so the server sees it (SNI) and the certificate is checked
       * against it rather than against the address. */
      g_autoptr(GSocketConnectable) identity = g_network_address_new (connect->host,
                                                                      connect->port);
      GIOStream *tls = g_tls_client_connection_new (G_IO_STREAM (connection), identity, &error);

      connect->socket = connection;
      if (tls == NULL)
        {
          fail_connecting (task, error);
          return;
        }
      if (tls_database != NULL)
        g_tls_connection_set_database (G_TLS_CONNECTION (tls), tls_database);
      connect->connection = tls;
      g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                        g_task_get_cancellable (task), on_tls_handshake,
                                        g_object_ref (task));
      return;
    }

  connect->connection = G_IO_STREAM (connection);
  send_handshake (task);
}

static void
connect_to (GTask              *task,
            GSocketConnectable *address)
{
  Connect *connect = g_task_get_task_data (task);
  g_autoptr(GSocketClient) client = g_socket_client_new ();

  g_socket_client_set_timeout (client, CONNECT_TIMEOUT_S);
  /* An address pinned by "Local only" gets its TLS in on_connected(), for the name. */
  g_socket_client_set_tls (client, connect->tls && !connect->pinned);
  /* "Local only" goes direct: a proxy would carry the traffic off the network. */
  g_socket_client_set_enable_proxy (client, !connect->local_only);
  g_socket_client_connect_async (client, address, g_task_get_cancellable (task), on_connected,
                                 g_object_ref (task));
}

static void
refuse_not_local (GTask *task)
{
  Connect *connect = g_task_get_task_data (task);
  g_autofree char *message = g_strdup_printf (_("%s is not on the local network, and “Local "
                                                "only” is on."), connect->host);

  connect_fail (task, REEL_AI_ERROR_NOT_LOCAL, message);
}

static void
on_resolved (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Connect *connect = g_task_get_task_data (task);
  g_autolist(GInetAddress) addresses = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnectable) address = NULL;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  if (addresses == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      message = g_strdup_printf (_("Could not find %s."), connect->host);
      connect_fail (task, REEL_AI_ERROR_NETWORK, message);
      return;
    }

  /* Every address must be local, as for HTTP; then the one that was checked is used. */
  for (GList *l = addresses; l != NULL; l = l->next)
    if (!reel_address_policy_is_local (l->data))
      {
        refuse_not_local (task);
        return;
      }

  address = G_SOCKET_CONNECTABLE (g_inet_socket_address_new (addresses->data, connect->port));
  connect->pinned = TRUE;
  connect_to (task, address);
}

void
reel_websocket_connect_async (const char          *url,
                              gboolean             local_only,
                              GResolver           *resolver,
                              const char          *authorization,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);
  g_autoptr(GInetAddress) literal = NULL;
  g_autoptr(GSocketConnectable) address = NULL;
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  Connect *connect;

  g_task_set_source_tag (task, reel_websocket_connect_async);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0'
      || (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0
          && g_ascii_strcasecmp (scheme, "ws") != 0 && g_ascii_strcasecmp (scheme, "wss") != 0))
    {
      connect_fail (task, REEL_AI_ERROR_CONFIG, _("The WebSocket address is not a valid URL."));
      return;
    }

  connect = g_new0 (Connect, 1);
  connect->host = g_strdup (g_uri_get_host (uri));
  connect->tls = g_ascii_strcasecmp (scheme, "https") == 0
                 || g_ascii_strcasecmp (scheme, "wss") == 0;
  connect->port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : connect->tls ? 443 : 80;
  connect->resource = g_strdup_printf ("%s%s%s",
                                       g_uri_get_path (uri)[0] != '\0' ? g_uri_get_path (uri)
                                                                      : "/",
                                       g_uri_get_query (uri) != NULL ? "?" : "",
                                       g_uri_get_query (uri) != NULL ? g_uri_get_query (uri)
                                                                     : "");
  connect->local_only = local_only;
  connect->authorization = g_strdup (authorization);
  connect->answer = g_byte_array_new ();
  g_task_set_task_data (task, connect, connect_free);

  literal = g_inet_address_new_from_string (connect->host);
  if (literal != NULL)
    {
      if (local_only && !reel_address_policy_is_local (literal))
        {
          refuse_not_local (task);
          return;
        }
      address = G_SOCKET_CONNECTABLE (g_inet_socket_address_new (literal, connect->port));
      connect_to (task, address);
      return;
    }

  if (local_only)
    {
      g_autoptr(GResolver) names = resolver != NULL ? g_object_ref (resolver)
                                                    : g_resolver_get_default ();

      g_resolver_lookup_by_name_async (names, connect->host, cancellable, on_resolved,
                                       g_object_ref (task));
      return;
    }

  address = g_network_address_new (connect->host, connect->port);
  connect_to (task, address);
}

/**
 * reel_websocket_set_tls_database:
 * @database: (nullable): the certificates to trust, or %NULL for the system's
 *
 * For tests that speak TLS to a fake server with a certificate of its own.
 */
void
reel_websocket_set_tls_database (GTlsDatabase *database)
{
  g_set_object (&tls_database, database);
}

ReelWebsocket *
reel_websocket_connect_finish (GAsyncResult  *result,
                               GError       **error)
{
  ReelWebsocket *self;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  self = g_task_propagate_pointer (G_TASK (result), error);
  if (self != NULL)
    {
      /* Reading starts once the caller has connected its handlers. */
      self->start_source = g_idle_source_new ();
      g_source_set_callback (self->start_source, on_start, g_object_ref (self), g_object_unref);
      g_source_attach (self->start_source, NULL);
    }
  return self;
}

/* The object ------------------------------------------------------------------------------ */

static void
reel_websocket_dispose (GObject *object)
{
  ReelWebsocket *self = REEL_WEBSOCKET (object);

  if (self->start_source != NULL)
    g_source_destroy (self->start_source);
  g_clear_pointer (&self->start_source, g_source_unref);
  g_cancellable_cancel (self->cancellable);
  if (self->stream != NULL && !g_io_stream_is_closed (self->stream))
    g_io_stream_close (self->stream, NULL, NULL);

  G_OBJECT_CLASS (reel_websocket_parent_class)->dispose (object);
}

static void
reel_websocket_finalize (GObject *object)
{
  ReelWebsocket *self = REEL_WEBSOCKET (object);

  g_clear_object (&self->stream);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->decoder, reel_websocket_decoder_free);
  g_queue_clear_full (&self->writes, (GDestroyNotify) g_bytes_unref);

  G_OBJECT_CLASS (reel_websocket_parent_class)->finalize (object);
}

static void
reel_websocket_class_init (ReelWebsocketClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = reel_websocket_dispose;
  object_class->finalize = reel_websocket_finalize;

  /**
   * ReelWebsocket::message:
   * @opcode: %REEL_WEBSOCKET_TEXT or %REEL_WEBSOCKET_BINARY
   * @payload: the whole message
   */
  signals[SIGNAL_MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_BYTES);
  /**
   * ReelWebsocket::closed:
   *
   * The connection ended (closed by either side, broken, or a protocol error).
   */
  signals[SIGNAL_CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);
}

static void
reel_websocket_init (ReelWebsocket *self)
{
  self->cancellable = g_cancellable_new ();
  self->decoder = reel_websocket_decoder_new (MAX_MESSAGE_BYTES);
  g_queue_init (&self->writes);
}

/* Public ---------------------------------------------------------------------------------- */

void
reel_websocket_send (ReelWebsocket       *self,
                     ReelWebsocketOpcode  opcode,
                     const guint8        *payload,
                     gsize                length)
{
  g_return_if_fail (REEL_IS_WEBSOCKET (self));

  if (self->closed || self->close_sent)
    return;
  queue_frame (self, opcode, payload, length);
}

void
reel_websocket_close (ReelWebsocket *self)
{
  const guint8 normal[2] = { 1000 >> 8, 1000 & 0xff };

  g_return_if_fail (REEL_IS_WEBSOCKET (self));

  if (self->closed)
    return;
  if (!self->close_sent)
    {
      self->close_sent = TRUE;
      queue_frame (self, REEL_WEBSOCKET_CLOSE, normal, sizeof normal);
    }
}

gboolean
reel_websocket_is_open (ReelWebsocket *self)
{
  g_return_val_if_fail (REEL_IS_WEBSOCKET (self), FALSE);
  return !self->closed && self->stream != NULL;
}
