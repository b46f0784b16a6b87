/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define REEL_TYPE_HTTP_REQUEST (reel_http_request_get_type ())
G_DECLARE_FINAL_TYPE (ReelHttpRequest, reel_http_request, REEL, HTTP_REQUEST, GObject)

#define REEL_TYPE_HTTP_RESPONSE (reel_http_response_get_type ())
G_DECLARE_FINAL_TYPE (ReelHttpResponse, reel_http_response, REEL, HTTP_RESPONSE, GObject)

#define REEL_TYPE_HTTP_CLIENT (reel_http_client_get_type ())
G_DECLARE_FINAL_TYPE (ReelHttpClient, reel_http_client, REEL, HTTP_CLIENT, GObject)

/* Defaults, chosen for image generation: a server may think for a minute without sending a
 * byte, but a connection that cannot even be opened in 15 s is not going to work. */
#define REEL_HTTP_DEFAULT_CONNECT_TIMEOUT_MS  15000
#define REEL_HTTP_DEFAULT_IDLE_TIMEOUT_MS     180000
#define REEL_HTTP_DEFAULT_MAX_RESPONSE_SIZE   (64 * 1024 * 1024)
#define REEL_HTTP_DEFAULT_MAX_ATTEMPTS        4
#define REEL_HTTP_DEFAULT_MAX_RETRY_WAIT_MS   60000
#define REEL_HTTP_DEFAULT_POOL_LIMIT          8

typedef enum
{
  REEL_HTTP_RETRY_DEFAULT,  /* the engine decides from the status and the headers */
  REEL_HTTP_RETRY_YES,      /* retry; after the wait the hook set, or the engine's own */
  REEL_HTTP_RETRY_NO,       /* never retry this answer (quota, safety block) */
} ReelHttpRetryDecision;

/**
 * ReelHttpRetryFunc:
 * @response: an answer whose status is not 2xx
 * @wait_ms: (out): the wait the provider asks for, or left at -1 for the engine's rules
 * @user_data: the data given to reel_http_request_set_retry_func()
 *
 * Lets a provider read what only it understands (Gemini's `RetryInfo.retryDelay` in the
 * body, OpenAI's `insufficient_quota`). Called in the caller's main context.
 */
typedef ReelHttpRetryDecision (*ReelHttpRetryFunc) (ReelHttpResponse *response,
                                                    gint64           *wait_ms,
                                                    gpointer          user_data);

ReelHttpRequest  *reel_http_request_new                   (const char        *method,
                                                           const char        *url);
const char       *reel_http_request_get_method            (ReelHttpRequest   *self);
const char       *reel_http_request_get_url               (ReelHttpRequest   *self);
void              reel_http_request_set_service           (ReelHttpRequest   *self,
                                                           const char        *display_name,
                                                           const char        *pool);
const char       *reel_http_request_get_service           (ReelHttpRequest   *self);
void              reel_http_request_add_header            (ReelHttpRequest   *self,
                                                           const char        *name,
                                                           const char        *value);
void              reel_http_request_add_secret_header     (ReelHttpRequest   *self,
                                                           const char        *name,
                                                           const char        *value);
void              reel_http_request_set_body              (ReelHttpRequest   *self,
                                                           const char        *content_type,
                                                           GBytes            *body);
void              reel_http_request_set_json_body         (ReelHttpRequest   *self,
                                                           JsonNode          *node);
void              reel_http_request_add_form_field        (ReelHttpRequest   *self,
                                                           const char        *name,
                                                           const char        *value);
void              reel_http_request_add_form_file         (ReelHttpRequest   *self,
                                                           const char        *name,
                                                           const char        *filename,
                                                           const char        *content_type,
                                                           GBytes            *data);
void              reel_http_request_set_connect_timeout   (ReelHttpRequest   *self,
                                                           guint              milliseconds);
void              reel_http_request_set_idle_timeout      (ReelHttpRequest   *self,
                                                           guint              milliseconds);
void              reel_http_request_set_max_response_size (ReelHttpRequest   *self,
                                                           gsize              max_bytes);
void              reel_http_request_set_max_attempts      (ReelHttpRequest   *self,
                                                           guint              max_attempts);
void              reel_http_request_set_max_retry_wait    (ReelHttpRequest   *self,
                                                           guint              milliseconds);
void              reel_http_request_set_follow_redirects  (ReelHttpRequest   *self,
                                                           gboolean           follow);
void              reel_http_request_set_idempotent        (ReelHttpRequest   *self,
                                                           gboolean           idempotent);
void              reel_http_request_set_local_only        (ReelHttpRequest   *self,
                                                           gboolean           local_only);
void              reel_http_request_set_retry_func        (ReelHttpRequest   *self,
                                                           ReelHttpRetryFunc  func,
                                                           gpointer           user_data,
                                                           GDestroyNotify     destroy);
guint             reel_http_request_get_attempts          (ReelHttpRequest   *self);
const gint64     *reel_http_request_get_retry_waits       (ReelHttpRequest   *self,
                                                           guint             *n_waits);
char             *reel_http_request_scrub                 (ReelHttpRequest   *self,
                                                           const char        *text);

guint             reel_http_response_get_status           (ReelHttpResponse  *self);
gboolean          reel_http_response_is_success           (ReelHttpResponse  *self);
const char       *reel_http_response_get_header           (ReelHttpResponse  *self,
                                                           const char        *name);
GBytes           *reel_http_response_get_body             (ReelHttpResponse  *self);
const char       *reel_http_response_get_url              (ReelHttpResponse  *self);
JsonNode         *reel_http_response_parse_json           (ReelHttpResponse  *self,
                                                           GError           **error);

ReelHttpClient   *reel_http_client_new                    (void);
ReelHttpClient   *reel_http_client_get_default            (void);
void              reel_http_client_set_pool_limit         (ReelHttpClient    *self,
                                                           const char        *pool,
                                                           guint              max_concurrent);
/* The resolver "Local only" asks (the default one unless set; tests map names with it). */
void              reel_http_client_set_resolver           (ReelHttpClient    *self,
                                                           GResolver         *resolver);
/* The certificates to trust instead of the system's (tests: a fake server's own). */
void              reel_http_client_set_ca_file            (ReelHttpClient    *self,
                                                           const char        *ca_file);
/* Transfer full; NULL when none was set (the default one is used). */
GResolver        *reel_http_client_dup_resolver           (ReelHttpClient    *self);
void              reel_http_client_set_delay_scale        (ReelHttpClient    *self,
                                                           double             scale);
double            reel_http_client_get_delay_scale        (ReelHttpClient    *self);
void              reel_http_client_send_async             (ReelHttpClient    *self,
                                                           ReelHttpRequest   *request,
                                                           GCancellable      *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer           user_data);
ReelHttpResponse *reel_http_client_send_finish            (ReelHttpClient    *self,
                                                           GAsyncResult      *result,
                                                           GError           **error);

/* Exposed for tests and for the providers' own checks. */
gint64            reel_http_parse_retry_after             (const char        *value,
                                                           gint64             now_unix_ms);

G_END_DECLS
