/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "reel-curl.h"

#include "reel-http.h"

G_BEGIN_DECLS

/* Shared by the parts of the HTTP engine: reel-http-message.c (requests and responses),
 * reel-http-worker.c (the curl worker thread), reel-http.c (the client) and
 * reel-http-exchange.c (one request from send to finish). Not installed. */

typedef struct
{
  char *name;
  char *value;
  gboolean secret;
} Header;

typedef struct
{
  char *name;
  char *value;
  char *filename;
  char *content_type;
  GBytes *data;
} FormPart;

void    reel_http_header_free    (gpointer    data);
Header *reel_http_header_new     (const char *name,
                                  const char *value,
                                  gboolean    secret);
void    reel_http_form_part_free (gpointer    data);

struct _ReelHttpRequest
{
  GObject parent_instance;

  char *method;
  char *url;
  char *service;
  char *pool;
  GPtrArray *headers;
  char *content_type;
  GBytes *body;
  GPtrArray *form;

  guint connect_timeout_ms;
  guint idle_timeout_ms;
  guint max_attempts;
  guint max_retry_wait_ms;
  gsize max_response_size;
  guint follow_redirects : 1;
  guint idempotent : 1;
  guint local_only : 1;

  ReelHttpRetryFunc retry_func;
  gpointer retry_data;
  GDestroyNotify retry_destroy;

  guint attempts;
  GArray *waits;
};

struct _ReelHttpResponse
{
  GObject parent_instance;

  guint status;
  GPtrArray *headers;
  GBytes *body;
  char *url;
  char *service;
};

typedef struct _Attempt Attempt;
typedef void (*AttemptDone) (Attempt *attempt,
                             gpointer data);

typedef struct
{
  guint limit;
  guint active;
  GQueue waiting;
} Pool;

struct _Attempt
{
  guint64 id;

  /* Input, read-only once queued. The request is released in the owner's context. */
  ReelHttpRequest *request;
  char *url;
  char *method;
  char *resolve;
  char *ca_file;
  gboolean drop_secrets;
  gboolean local_only;
  Pool *pool;

  /* Worker state. */
  CURL *easy;
  struct curl_slist *header_list;
  struct curl_slist *resolve_list;
  curl_mime *mime;
  gint64 last_activity;
  curl_off_t last_up;
  curl_off_t last_down;

  /* Result. */
  GByteArray *body;
  GPtrArray *headers;
  long status;
  CURLcode code;
  char errbuf[CURL_ERROR_SIZE];
  gboolean too_large;
  gboolean idle_timeout;
  gboolean cancelled;
  char *redirect_url;
  char *effective_url;
  char *unavailable;   /* libcurl could not be loaded: why, for the user */

  GMainContext *context;
  AttemptDone done;
  gpointer done_data;
};

struct _ReelHttpClient
{
  GObject parent_instance;

  GMutex mutex;
  GThread *thread;
  /* Made by the worker once it has loaded libcurl (atomic: NULL until then); without it
   * the worker waits on @wake. */
  CURLM *multi;
  GCond wake;
  /* The connections of "Local only" requests live here, apart from the others: a
   * connection opened for an ordinary request (through a proxy, to an address resolved
   * without the rule) is never picked up by a local-only one. Worker thread only. */
  CURLSH *local_connections;
  GResolver *resolver;   /* under the mutex */
  char *ca_file;         /* under the mutex */

  /* Under the mutex. */
  GQueue incoming;
  GArray *cancels;
  GHashTable *pools;
  gboolean quit;
  double delay_scale;
  guint64 next_attempt_id;

  /* Worker thread only. */
  GPtrArray *active;
};

void     reel_http_attempt_free (Attempt        *attempt);
void     reel_http_client_wake  (ReelHttpClient *self);
Pool    *reel_http_pool_lookup  (ReelHttpClient *self,
                                 const char     *name);
gpointer reel_http_worker_main  (gpointer        data);

G_END_DECLS
