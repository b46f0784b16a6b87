/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * ReelWebsocketOpcode:
 *
 * The frame opcodes of RFC 6455, section 5.2.
 */
typedef enum
{
  REEL_WEBSOCKET_CONTINUATION = 0x0,
  REEL_WEBSOCKET_TEXT         = 0x1,
  REEL_WEBSOCKET_BINARY       = 0x2,
  REEL_WEBSOCKET_CLOSE        = 0x8,
  REEL_WEBSOCKET_PING         = 0x9,
  REEL_WEBSOCKET_PONG         = 0xA,
} ReelWebsocketOpcode;

/* The pure parts, for tests and the fuzzer ------------------------------------------------ */

/* Sec-WebSocket-Accept for @key: base64 (SHA-1 (key + the RFC's GUID)). */
char                 *reel_websocket_accept_key      (const char          *key);
/* One frame as a client sends it: FIN set, masked with @mask. */
GBytes               *reel_websocket_encode_frame    (ReelWebsocketOpcode  opcode,
                                                      const guint8        *payload,
                                                      gsize                length,
                                                      const guint8         mask[4]);

/**
 * ReelWebsocketDecoder:
 *
 * Turns the bytes a server sends into whole messages: text and binary messages put back
 * together from their fragments, and the control frames (ping, pong, close) as they come.
 * Refuses what RFC 6455 forbids a server to send (masked frames, reserved bits, control
 * frames that are fragmented or longer than 125 bytes, a continuation of nothing, text
 * that is not UTF-8) and messages longer than its limit.
 */
typedef struct _ReelWebsocketDecoder ReelWebsocketDecoder;

ReelWebsocketDecoder *reel_websocket_decoder_new     (gsize                max_message);
void                  reel_websocket_decoder_free    (ReelWebsocketDecoder *self);
void                  reel_websocket_decoder_push    (ReelWebsocketDecoder *self,
                                                      const guint8        *data,
                                                      gsize                length);
/* 1 with the next message in @opcode and @payload (transfer full), 0 when more bytes are
 * needed, -1 with @error when the stream breaks the protocol (the connection is lost). */
int                   reel_websocket_decoder_next    (ReelWebsocketDecoder *self,
                                                      ReelWebsocketOpcode *opcode,
                                                      GBytes             **payload,
                                                      GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelWebsocketDecoder, reel_websocket_decoder_free)

/* The connection ---------------------------------------------------------------------- */

#define REEL_TYPE_WEBSOCKET (reel_websocket_get_type ())
G_DECLARE_FINAL_TYPE (ReelWebsocket, reel_websocket, REEL, WEBSOCKET, GObject)

/* Opens ws:// (for an http:// @url) or wss:// (for https://), on the main context of the
 * caller. With @local_only, a host that is not local by reel_address_policy_is_local() is
 * refused (%REEL_AI_ERROR_NOT_LOCAL) and no proxy is used; @resolver (nullable) names the
 * hosts. @authorization (nullable) is sent as the Authorization header. */
void           reel_websocket_connect_async  (const char          *url,
                                              gboolean             local_only,
                                              GResolver           *resolver,
                                              const char          *authorization,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
/* The certificates to trust instead of the system's (tests: a fake server's own). */
void           reel_websocket_set_tls_database (GTlsDatabase      *database);
/* Transfer full. The connection reads on its own from then on: "message" (opcode, GBytes)
 * for each text or binary message, "closed" once when it ends either way. */
ReelWebsocket *reel_websocket_connect_finish (GAsyncResult        *result,
                                              GError             **error);
void           reel_websocket_send           (ReelWebsocket       *self,
                                              ReelWebsocketOpcode  opcode,
                                              const guint8        *payload,
                                              gsize                length);
/* Sends a close frame and stops reading; "closed" follows. */
void           reel_websocket_close          (ReelWebsocket       *self);
gboolean       reel_websocket_is_open        (ReelWebsocket       *self);

G_END_DECLS
