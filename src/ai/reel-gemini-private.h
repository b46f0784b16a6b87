/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ai/reel-gemini.h"

G_BEGIN_DECLS

/* Shared by Gemini and Veo, which speak the same Google API dialect. */

/* Google's error answer {"error":{"code","message","status","details"}}: the error object
 * of @root (or NULL), its RPC status in @rpc_status (owned by @root) and its message with
 * the key and the request's secrets scrubbed out in @message (transfer full). */
JsonObject *reel_google_error_read       (JsonNode            *root,
                                         ReelHttpRequest     *request,
                                         const char          *key,
                                         const char         **rpc_status,
                                         char               **message);
GError *reel_gemini_error_from_response (ReelProvider        *provider,
                                         ReelHttpRequest     *request,
                                         const char          *key,
                                         ReelHttpResponse    *response);
/* "Test connection": GET the model's description with the key. */
void    reel_gemini_check_key_async     (ReelProvider        *provider,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
char   *reel_gemini_check_key_finish    (ReelProvider        *provider,
                                         GAsyncResult        *result,
                                         GError             **error);

/* GET /v1beta/models: the models this provider can use (image or video), sorted. */
void    reel_gemini_list_models_async   (ReelProvider        *provider,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GStrv   reel_gemini_list_models_finish  (ReelProvider        *provider,
                                         GAsyncResult        *result,
                                         GError             **error);

/* The parser of a generateContent answer (transfer full: ReelAsset), for the
 * fuzzer in tests/fuzz. */
GPtrArray *reel_gemini_parse_images     (GBytes              *body,
                                         const char          *display_name,
                                         GError             **error);

G_END_DECLS
