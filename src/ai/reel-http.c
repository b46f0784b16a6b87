/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-http"

#include "config.h"

#include <curl/curl.h>
#include <glib/gi18n.h>
#include <string.h>

#include "reel-address-policy.h"
#include "reel-ai-error.h"
#include "reel-http.h"

/* The HTTP engine. One worker thread owns a curl multi handle (so connections are kept and
 * reused) and runs single attempts; everything that needs judgement — retries and their
 * waits, redirects, the "Local only" check — happens in the caller's main context, between
 * attempts. The worker talks to that context only through idle sources it attaches there, so
 * callbacks never run on the worker thread and the main thread never waits for the network. */

#define MAX_REDIRECTS 8
#define BACKOFF_BASE_MS 500
#define BACKOFF_MAX_MS 8000
#define WORKER_MAX_POLL_MS 1000

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

static void
header_free (gpointer data)
{
  Header *header = data;

  g_free (header->name);
  g_free (header->value);
  g_free (header);
}

static Header *
header_new (const char *name,
            const char *value,
            gboolean    secret)
{
  Header *header = g_new0 (Header, 1);

  header->name = g_strdup (name);
  header->value = g_strdup (value);
  header->secret = secret;
  return header;
}

static void
form_part_free (gpointer data)
{
  FormPart *part = data;

  g_free (part->name);
  g_free (part->value);
  g_free (part->filename);
  g_free (part->content_type);
  g_clear_pointer (&part->data, g_bytes_unref);
  g_free (part);
}

/* ReelHttpRequest ------------------------------------------------------------------------- */

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

G_DEFINE_FINAL_TYPE (ReelHttpRequest, reel_http_request, G_TYPE_OBJECT)

static void
reel_http_request_finalize (GObject *object)
{
  ReelHttpRequest *self = REEL_HTTP_REQUEST (object);

  if (self->retry_destroy != NULL)
    self->retry_destroy (self->retry_data);

  g_free (self->method);
  g_free (self->url);
  g_free (self->service);
  g_free (self->pool);
  g_clear_pointer (&self->headers, g_ptr_array_unref);
  g_free (self->content_type);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_clear_pointer (&self->form, g_ptr_array_unref);
  g_clear_pointer (&self->waits, g_array_unref);

  G_OBJECT_CLASS (reel_http_request_parent_class)->finalize (object);
}

static void
reel_http_request_class_init (ReelHttpRequestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = reel_http_request_finalize;
}

static void
reel_http_request_init (ReelHttpRequest *self)
{
  self->headers = g_ptr_array_new_with_free_func (header_free);
  self->form = g_ptr_array_new_with_free_func (form_part_free);
  self->waits = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->connect_timeout_ms = REEL_HTTP_DEFAULT_CONNECT_TIMEOUT_MS;
  self->idle_timeout_ms = REEL_HTTP_DEFAULT_IDLE_TIMEOUT_MS;
  self->max_attempts = REEL_HTTP_DEFAULT_MAX_ATTEMPTS;
  self->max_retry_wait_ms = REEL_HTTP_DEFAULT_MAX_RETRY_WAIT_MS;
  self->max_response_size = REEL_HTTP_DEFAULT_MAX_RESPONSE_SIZE;
}

/**
 * reel_http_request_new:
 * @method: "GET", "POST", …
 * @url: an http:// or https:// URL
 *
 * A request is filled in, then handed to reel_http_client_send_async(); it must not be
 * changed after that. GET and HEAD are idempotent (retried after a broken connection) and
 * follow redirects; other methods do neither unless told.
 *
 * Returns: (transfer full): a new request
 */
ReelHttpRequest *
reel_http_request_new (const char *method,
                       const char *url)
{
  ReelHttpRequest *self;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (REEL_TYPE_HTTP_REQUEST, NULL);
  self->method = g_ascii_strup (method, -1);
  self->url = g_strdup (url);
  self->idempotent = g_str_equal (self->method, "GET") || g_str_equal (self->method, "HEAD");
  self->follow_redirects = self->idempotent;
  return self;
}

const char *
reel_http_request_get_method (ReelHttpRequest *self)
{
  g_return_val_if_fail (REEL_IS_HTTP_REQUEST (self), NULL);
  return self->method;
}

const char *
reel_http_request_get_url (ReelHttpRequest *self)
{
  g_return_val_if_fail (REEL_IS_HTTP_REQUEST (self), NULL);
  return self->url;
}

/**
 * reel_http_request_set_service:
 * @display_name: the provider's name as the user knows it, used in error messages
 * @pool: (nullable): the concurrency pool (the provider id); requests of one pool run at
 *   most reel_http_client_set_pool_limit() at a time
 */
void
reel_http_request_set_service (ReelHttpRequest *self,
                               const char      *display_name,
                               const char      *pool)
{
  g_return_if_fail (REEL_IS_HTTP_REQUEST (self));

  g_free (self->service);
  self->service = g_strdup (display_name);
  g_free (self->pool);
  self->pool = g_strdup (pool);
}

const char *
reel_http_request_get_service (ReelHttpRequest *self)
{
  g_return_val_if_fail (REEL_IS_HTTP_REQUEST (self), NULL);
  return self->service;
}

void
reel_http_request_add_header (ReelHttpRequest *self,
                              const char      *name,
                              const char      *value)
{
  g_return_if_fail (REEL_IS_HTTP_REQUEST (self));
  g_return_if_fail (name != NULL && value != NULL);

  g_ptr_array_add (self->headers, header_new (name, value, FALSE));
}

/**
 * reel_http_request_add_secret_header:
 *
 * Like reel_http_request_add_header() for a header that carries a key: it is not sent to
 * another origin after a redirect, and its value is scrubbed from every error message.
 */
void
reel_http_request_add_secret_header (ReelHttpRequest *self,
                                     const char      *name,
                                     const char      *value)
{
  g_return_if_fail (REEL_IS_HTTP_REQUEST (self));
  g_return_if_fail (name != NULL && value != NULL);

  g_ptr_array_add (self->headers, header_new (name, value, TRUE));
}

void
reel_http_request_set_body (ReelHttpRequest *self,
                            const char      *content_type,
                            GBytes          *body)
{
  g_return_if_fail (REEL_IS_HTTP_REQUEST (self));
  g_return_if_fail (body != NULL);
  g_return_if_fail (self->form->len == 0);

  g_free (self->content_type);
  self->content_type = g_strdup (content_type);
  g_clear_pointer (&self->body, g_bytes_unref);
  self->body = g_bytes_ref (body);
}

void
reel_http_request_set_json_body (ReelHttpRequest *self,
                                 JsonNode        *node)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length = 0;
  char *text;

  g_return_if_fail (REEL_IS_HTTP_REQUEST (self));
  g_return_if_fail (node != NULL);

  generator = json_generator_new ();
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  bytes = g_bytes_new_take (text, length);
  reel_http_request_set_body (self, "application/json", bytes);
}

void
reel_http_request_add_form_field (ReelHttpRequest *self,
                                  const char      *name,
                                  const char      *value)
{
  FormPart *part;

  g_return_if_fail (REEL_IS_HTTP_REQUEST (self));
  g_return_if_fail (name != NULL && value != NULL);
  g_return_if_fail (self->body == NULL);

  part = g_new0 (FormPart, 1);
  part->name = g_strdup (name);
  part->value = g_strdup (value);
  g_ptr_array_add (self->form, part);
}

void
reel_http_request_add_form_file (ReelHttpRequest *self,
                                 const char      *name,
                                 const char      *filename,
                                 const char      *content_type,
                                 GBytes          *data)
{
  FormPart *part;

  g_return_if_fail (REEL_IS_HTTP_REQUEST (self));
  g_return_if_fail (name != NULL && filename != NULL && data != NULL);
  g_return_if_fail (self->body == NULL);

  part = g_new0 (FormPart, 1);
  part->name = g_strdup (name);
  part->filename = g_strdup (filename);
  part->content_type = g_strdup (content_type);
  part->data = g_bytes_ref (data);
  g_ptr_array_add (self->form, part);
}

void
reel_http_request_set_connect_timeout (ReelHttpRequest *self,
                                       guint            milliseconds)
{
  g_return_if_fail (REEL_IS_HTTP_REQUEST (self));
  self->connect_timeout_ms = MAX (milliseconds, 1);
}

/**
 * reel_http_request_set_idle_timeout:
 *
 * The longest the server may stay silent (nothing sent, nothing received) before the
 * attempt is abandoned with %REEL_AI_ERROR_TIMEOUT.
 */
void
reel_http_request_set_idle_timeout (ReelHttpRequest *self,
                                    guint            milliseconds)
{
  g_return_if_fail (REEL_IS_HTTP_REQUEST (self));
  self->idle_timeout_ms = MAX (milliseconds, 1);
}

void
reel_http_request_set_max_response_size (ReelHttpRequest *self,
                                         gsize            max_bytes)
{
  g_return_if_fail (REEL_IS_HTTP_REQUEST (self));
  self->max_response_size = max_bytes;
}

void
reel_http_request_set_max_attempts (ReelHttpRequest *self,
                                    guint            max_attempts)
{
  g_return_if_fail (REEL_IS_HTTP_REQUEST (self));
  self->max_attempts = MAX (max_attempts, 1);
}

/**
 * reel_http_request_set_max_retry_wait:
 *
 * A server that asks for a longer wait than this is not retried: the answer is returned
 * and the provider tells the user when to try again.
 */
void
reel_http_request_set_max_retry_wait (ReelHttpRequest *self,
                                      guint            milliseconds)
{
  g_return_if_fail (REEL_IS_HTTP_REQUEST (self));
  self->max_retry_wait_ms = milliseconds;
}

void
reel_http_request_set_follow_redirects (ReelHttpRequest *self,
                                        gboolean         follow)
{
  g_return_if_fail (REEL_IS_HTTP_REQUEST (self));
  self->follow_redirects = !!follow;
}

void
reel_http_request_set_idempotent (ReelHttpRequest *self,
                                  gboolean         idempotent)
{
  g_return_if_fail (REEL_IS_HTTP_REQUEST (self));
  self->idempotent = !!idempotent;
}

/**
 * reel_http_request_set_local_only:
 *
 * Refuse, before anything is sent, a host that does not resolve only to loopback or
 * private addresses. The addresses checked are the ones connected to (they are pinned), so
 * a second DNS answer cannot point elsewhere; proxies are bypassed.
 */
void
reel_http_request_set_local_only (ReelHttpRequest *self,
                                  gboolean         local_only)
{
  g_return_if_fail (REEL_IS_HTTP_REQUEST (self));
  self->local_only = !!local_only;
}

void
reel_http_request_set_retry_func (ReelHttpRequest   *self,
                                  ReelHttpRetryFunc  func,
                                  gpointer           user_data,
                                  GDestroyNotify     destroy)
{
  g_return_if_fail (REEL_IS_HTTP_REQUEST (self));

  if (self->retry_destroy != NULL)
    self->retry_destroy (self->retry_data);

  self->retry_func = func;
  self->retry_data = user_data;
  self->retry_destroy = destroy;
}

/**
 * reel_http_request_get_attempts:
 *
 * Returns: how many times the request was sent (redirects not counted separately)
 */
guint
reel_http_request_get_attempts (ReelHttpRequest *self)
{
  g_return_val_if_fail (REEL_IS_HTTP_REQUEST (self), 0);
  return self->attempts;
}

/**
 * reel_http_request_get_retry_waits:
 * @n_waits: (out): the number of waits
 *
 * Returns: (array length=n_waits): the waits before each retry, in milliseconds as the
 *   server asked or the backoff chose (before reel_http_client_set_delay_scale())
 */
const gint64 *
reel_http_request_get_retry_waits (ReelHttpRequest *self,
                                   guint           *n_waits)
{
  g_return_val_if_fail (REEL_IS_HTTP_REQUEST (self), NULL);
  g_return_val_if_fail (n_waits != NULL, NULL);

  *n_waits = self->waits->len;
  return (const gint64 *) (gpointer) self->waits->data;
}

/**
 * reel_http_request_scrub:
 * @text: (nullable): text that may contain a secret header's value
 *
 * Returns: (transfer full) (nullable): @text with every secret value replaced
 */
char *
reel_http_request_scrub (ReelHttpRequest *self,
                         const char      *text)
{
  GString *scrubbed;

  g_return_val_if_fail (REEL_IS_HTTP_REQUEST (self), NULL);

  if (text == NULL)
    return NULL;

  scrubbed = g_string_new (text);
  for (guint i = 0; i < self->headers->len; i++)
    {
      Header *header = g_ptr_array_index (self->headers, i);
      const char *value = header->value;

      if (!header->secret || value[0] == '\0')
        continue;

      /* "Bearer KEY": the key is what matters. */
      if (g_str_has_prefix (value, "Bearer "))
        value += strlen ("Bearer ");
      if (strlen (value) >= 4)
        g_string_replace (scrubbed, value, "[redacted]", 0);
    }

  return g_string_free (scrubbed, FALSE);
}

/* ReelHttpResponse ------------------------------------------------------------------------ */

struct _ReelHttpResponse
{
  GObject parent_instance;

  guint status;
  GPtrArray *headers;
  GBytes *body;
  char *url;
  char *service;
};

G_DEFINE_FINAL_TYPE (ReelHttpResponse, reel_http_response, G_TYPE_OBJECT)

static void
reel_http_response_finalize (GObject *object)
{
  ReelHttpResponse *self = REEL_HTTP_RESPONSE (object);

  g_clear_pointer (&self->headers, g_ptr_array_unref);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self->url);
  g_free (self->service);

  G_OBJECT_CLASS (reel_http_response_parent_class)->finalize (object);
}

static void
reel_http_response_class_init (ReelHttpResponseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = reel_http_response_finalize;
}

static void
reel_http_response_init (ReelHttpResponse *self)
{
}

guint
reel_http_response_get_status (ReelHttpResponse *self)
{
  g_return_val_if_fail (REEL_IS_HTTP_RESPONSE (self), 0);
  return self->status;
}

gboolean
reel_http_response_is_success (ReelHttpResponse *self)
{
  g_return_val_if_fail (REEL_IS_HTTP_RESPONSE (self), FALSE);
  return self->status >= 200 && self->status < 300;
}

/**
 * reel_http_response_get_header:
 * @name: a header name, in any case
 *
 * Returns: (nullable): the last value of the header
 */
const char *
reel_http_response_get_header (ReelHttpResponse *self,
                               const char       *name)
{
  g_return_val_if_fail (REEL_IS_HTTP_RESPONSE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = self->headers->len; i > 0; i--)
    {
      Header *header = g_ptr_array_index (self->headers, i - 1);

      if (g_ascii_strcasecmp (header->name, name) == 0)
        return header->value;
    }

  return NULL;
}

/**
 * reel_http_response_get_body:
 *
 * Returns: (transfer none): the body (possibly empty)
 */
GBytes *
reel_http_response_get_body (ReelHttpResponse *self)
{
  g_return_val_if_fail (REEL_IS_HTTP_RESPONSE (self), NULL);
  return self->body;
}

const char *
reel_http_response_get_url (ReelHttpResponse *self)
{
  g_return_val_if_fail (REEL_IS_HTTP_RESPONSE (self), NULL);
  return self->url;
}

/**
 * reel_http_response_parse_json:
 *
 * Returns: (transfer full): the body as JSON, or %NULL with %REEL_AI_ERROR_BAD_RESPONSE
 */
JsonNode *
reel_http_response_parse_json (ReelHttpResponse  *self,
                               GError           **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;
  const char *data;

  g_return_val_if_fail (REEL_IS_HTTP_RESPONSE (self), NULL);

  data = g_bytes_get_data (self->body, &length);
  parser = json_parser_new_immutable ();
  if (length == 0 || !json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                   /* Translators: %s is a provider such as "OpenAI" */
                   _("%s sent an answer that is not valid JSON. The server may be "
                     "misconfigured or not what the address in Preferences says it is."),
                   self->service);
      return NULL;
    }

  return json_parser_steal_root (parser);
}

/* The worker ------------------------------------------------------------------------------ */

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

  GMainContext *context;
  AttemptDone done;
  gpointer done_data;
};

struct _ReelHttpClient
{
  GObject parent_instance;

  GMutex mutex;
  GThread *thread;
  CURLM *multi;
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

G_DEFINE_FINAL_TYPE (ReelHttpClient, reel_http_client, G_TYPE_OBJECT)

static void
attempt_free (Attempt *attempt)
{
  g_clear_object (&attempt->request);
  g_free (attempt->url);
  g_free (attempt->method);
  g_free (attempt->resolve);
  g_free (attempt->ca_file);
  g_clear_pointer (&attempt->header_list, curl_slist_free_all);
  g_clear_pointer (&attempt->resolve_list, curl_slist_free_all);
  g_clear_pointer (&attempt->mime, curl_mime_free);
  g_clear_pointer (&attempt->body, g_byte_array_unref);
  g_clear_pointer (&attempt->headers, g_ptr_array_unref);
  g_free (attempt->redirect_url);
  g_free (attempt->effective_url);
  g_clear_pointer (&attempt->context, g_main_context_unref);
  g_free (attempt);
}

static gboolean
attempt_dispatch (gpointer data)
{
  Attempt *attempt = data;

  attempt->done (attempt, attempt->done_data);
  attempt_free (attempt);
  return G_SOURCE_REMOVE;
}

/* Hands a finished attempt to the owner's context. Never g_main_context_invoke(): from a
 * thread without a context of its own that may run the callback right here. */
static void
attempt_post (Attempt *attempt)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, attempt_dispatch, attempt, NULL);
  g_source_set_static_name (source, "[storyreel] http attempt done");
  g_source_attach (source, attempt->context);
}

static size_t
on_write (char   *data,
          size_t  size,
          size_t  count,
          void   *user_data)
{
  Attempt *attempt = user_data;
  size_t length = size * count;

  attempt->last_activity = g_get_monotonic_time ();
  if (attempt->body->len + length > attempt->request->max_response_size)
    {
      attempt->too_large = TRUE;
      return 0;
    }

  g_byte_array_append (attempt->body, (const guint8 *) data, length);
  return length;
}

static size_t
on_header (char   *data,
           size_t  size,
           size_t  count,
           void   *user_data)
{
  Attempt *attempt = user_data;
  size_t length = size * count;
  g_autofree char *line = g_strndup (data, length);
  char *colon;

  attempt->last_activity = g_get_monotonic_time ();

  /* A new status line starts a new header block (after "100 Continue", for example). */
  if (g_str_has_prefix (line, "HTTP/"))
    {
      g_ptr_array_set_size (attempt->headers, 0);
      return length;
    }

  colon = strchr (line, ':');
  if (colon == NULL)
    return length;

  *colon = '\0';
  g_strstrip (line);
  g_strstrip (colon + 1);
  g_ptr_array_add (attempt->headers, header_new (line, colon + 1, FALSE));

  if (g_ascii_strcasecmp (line, "Content-Length") == 0)
    {
      guint64 announced = g_ascii_strtoull (colon + 1, NULL, 10);

      if (announced > attempt->request->max_response_size)
        {
          attempt->too_large = TRUE;
          return 0;
        }
    }

  return length;
}

static int
on_transfer_info (void       *user_data,
                  curl_off_t  download_total,
                  curl_off_t  download_now,
                  curl_off_t  upload_total,
                  curl_off_t  upload_now)
{
  Attempt *attempt = user_data;

  if (download_now != attempt->last_down || upload_now != attempt->last_up)
    {
      attempt->last_down = download_now;
      attempt->last_up = upload_now;
      attempt->last_activity = g_get_monotonic_time ();
    }

  return 0;
}

static gboolean
attempt_start (ReelHttpClient *self,
               Attempt        *attempt)
{
  ReelHttpRequest *request = attempt->request;
  CURL *easy;
  g_autofree char *user_agent = g_strdup_printf ("Storyreel/%s", PACKAGE_VERSION);

  easy = curl_easy_init ();
  if (easy == NULL)
    {
      attempt->code = CURLE_OUT_OF_MEMORY;
      return FALSE;
    }

  attempt->easy = easy;
  attempt->body = g_byte_array_new ();
  attempt->headers = g_ptr_array_new_with_free_func (header_free);
  attempt->last_activity = g_get_monotonic_time ();

  curl_easy_setopt (easy, CURLOPT_PRIVATE, attempt);
  curl_easy_setopt (easy, CURLOPT_URL, attempt->url);
  /* Only HTTP(S), also after a redirect; redirects are followed by hand (see below). */
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT_MS, (long) request->connect_timeout_ms);
  curl_easy_setopt (easy, CURLOPT_USERAGENT, user_agent);
  curl_easy_setopt (easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, attempt->errbuf);
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, attempt);
  curl_easy_setopt (easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt (easy, CURLOPT_HEADERDATA, attempt);
  curl_easy_setopt (easy, CURLOPT_XFERINFOFUNCTION, on_transfer_info);
  curl_easy_setopt (easy, CURLOPT_XFERINFODATA, attempt);
  curl_easy_setopt (easy, CURLOPT_NOPROGRESS, 0L);

  if (attempt->ca_file != NULL)
    curl_easy_setopt (easy, CURLOPT_CAINFO, attempt->ca_file);

  if (attempt->local_only)
    {
      /* A proxy (set here or by http_proxy and friends) would carry the request off the
       * network: "Local only" talks to the host directly, on its own connections, to the
       * addresses the rule was checked against. */
      curl_easy_setopt (easy, CURLOPT_PROXY, "");
      curl_easy_setopt (easy, CURLOPT_NOPROXY, "*");
      curl_easy_setopt (easy, CURLOPT_SHARE, self->local_connections);
      if (attempt->resolve != NULL)
        {
          attempt->resolve_list = curl_slist_append (NULL, attempt->resolve);
          curl_easy_setopt (easy, CURLOPT_RESOLVE, attempt->resolve_list);
        }
    }

  /* No "Expect: 100-continue" round trip before an upload. */
  attempt->header_list = curl_slist_append (attempt->header_list, "Expect:");
  for (guint i = 0; i < request->headers->len; i++)
    {
      Header *header = g_ptr_array_index (request->headers, i);
      g_autofree char *line = NULL;

      if (header->secret && attempt->drop_secrets)
        continue;

      line = g_strdup_printf ("%s: %s", header->name, header->value);
      attempt->header_list = curl_slist_append (attempt->header_list, line);
    }

  if (g_str_equal (attempt->method, "GET"))
    {
      curl_easy_setopt (easy, CURLOPT_HTTPGET, 1L);
    }
  else if (g_str_equal (attempt->method, "HEAD"))
    {
      curl_easy_setopt (easy, CURLOPT_NOBODY, 1L);
    }
  else if (request->form->len > 0)
    {
      attempt->mime = curl_mime_init (easy);
      for (guint i = 0; i < request->form->len; i++)
        {
          FormPart *part = g_ptr_array_index (request->form, i);
          curl_mimepart *mime_part = curl_mime_addpart (attempt->mime);

          curl_mime_name (mime_part, part->name);
          if (part->data != NULL)
            {
              gsize size = 0;
              const char *data = g_bytes_get_data (part->data, &size);

              curl_mime_data (mime_part, data, size);
              curl_mime_filename (mime_part, part->filename);
              curl_mime_type (mime_part, part->content_type != NULL
                                           ? part->content_type : "application/octet-stream");
            }
          else
            {
              curl_mime_data (mime_part, part->value, CURL_ZERO_TERMINATED);
            }
        }
      curl_easy_setopt (easy, CURLOPT_MIMEPOST, attempt->mime);
      if (!g_str_equal (attempt->method, "POST"))
        curl_easy_setopt (easy, CURLOPT_CUSTOMREQUEST, attempt->method);
    }
  else
    {
      gsize size = 0;
      const char *data = request->body != NULL ? g_bytes_get_data (request->body, &size) : "";

      curl_easy_setopt (easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) size);
      curl_easy_setopt (easy, CURLOPT_POSTFIELDS, data);
      if (request->content_type != NULL)
        {
          g_autofree char *line = g_strdup_printf ("Content-Type: %s", request->content_type);
          attempt->header_list = curl_slist_append (attempt->header_list, line);
        }
      if (!g_str_equal (attempt->method, "POST"))
        curl_easy_setopt (easy, CURLOPT_CUSTOMREQUEST, attempt->method);
    }

  curl_easy_setopt (easy, CURLOPT_HTTPHEADER, attempt->header_list);

  if (curl_multi_add_handle (self->multi, easy) != CURLM_OK)
    {
      attempt->code = CURLE_FAILED_INIT;
      return FALSE;
    }

  g_ptr_array_add (self->active, attempt);
  return TRUE;
}

static void
pool_release (ReelHttpClient *self,
              Attempt        *attempt)
{
  g_mutex_lock (&self->mutex);
  attempt->pool->active--;
  g_mutex_unlock (&self->mutex);
}

/* Ends an active attempt: collects what curl knows, frees the handle, posts the result. */
static void
attempt_end (ReelHttpClient *self,
             Attempt        *attempt,
             CURLcode        code)
{
  char *url = NULL;

  attempt->code = code;
  curl_easy_getinfo (attempt->easy, CURLINFO_RESPONSE_CODE, &attempt->status);
  if (curl_easy_getinfo (attempt->easy, CURLINFO_REDIRECT_URL, &url) == CURLE_OK && url != NULL)
    attempt->redirect_url = g_strdup (url);
  url = NULL;
  if (curl_easy_getinfo (attempt->easy, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK && url != NULL)
    attempt->effective_url = g_strdup (url);

  curl_multi_remove_handle (self->multi, attempt->easy);
  g_clear_pointer (&attempt->easy, curl_easy_cleanup);
  g_ptr_array_remove_fast (self->active, attempt);
  pool_release (self, attempt);
  attempt_post (attempt);
}

static Pool *
pool_lookup (ReelHttpClient *self,
             const char     *name)
{
  Pool *pool;

  if (name == NULL)
    name = "";

  pool = g_hash_table_lookup (self->pools, name);
  if (pool == NULL)
    {
      pool = g_new0 (Pool, 1);
      pool->limit = REEL_HTTP_DEFAULT_POOL_LIMIT;
      g_queue_init (&pool->waiting);
      g_hash_table_insert (self->pools, g_strdup (name), pool);
    }

  return pool;
}

static gpointer
worker_main (gpointer data)
{
  ReelHttpClient *self = data;

  for (;;)
    {
      g_autoptr(GPtrArray) to_start = g_ptr_array_new ();
      g_autoptr(GPtrArray) to_cancel = g_ptr_array_new ();
      g_autoptr(GArray) cancel_ids = NULL;
      GHashTableIter iter;
      gpointer value;
      Attempt *attempt;
      CURLMsg *message;
      int running = 0;
      int remaining = 0;
      gboolean finished_any = FALSE;
      gint64 now;
      gint64 poll_ms = WORKER_MAX_POLL_MS;

      g_mutex_lock (&self->mutex);
      if (self->quit)
        {
          g_mutex_unlock (&self->mutex);
          break;
        }

      while ((attempt = g_queue_pop_head (&self->incoming)) != NULL)
        {
          attempt->pool = pool_lookup (self, attempt->request->pool);
          g_queue_push_tail (&attempt->pool->waiting, attempt);
        }

      cancel_ids = g_steal_pointer (&self->cancels);
      self->cancels = g_array_new (FALSE, FALSE, sizeof (guint64));

      g_hash_table_iter_init (&iter, self->pools);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Pool *pool = value;

          for (guint i = 0; i < cancel_ids->len; i++)
            {
              guint64 id = g_array_index (cancel_ids, guint64, i);

              for (GList *l = pool->waiting.head; l != NULL; l = l->next)
                {
                  Attempt *waiting = l->data;

                  if (waiting->id == id)
                    {
                      g_queue_delete_link (&pool->waiting, l);
                      waiting->cancelled = TRUE;
                      g_ptr_array_add (to_cancel, waiting);
                      break;
                    }
                }
            }

          while (pool->active < pool->limit && pool->waiting.length > 0)
            {
              pool->active++;
              g_ptr_array_add (to_start, g_queue_pop_head (&pool->waiting));
            }
        }
      g_mutex_unlock (&self->mutex);

      for (guint i = 0; i < to_cancel->len; i++)
        attempt_post (g_ptr_array_index (to_cancel, i));

      /* Cancelled mid-transfer: the handle goes at once, and with it the connection. */
      for (guint i = 0; i < cancel_ids->len; i++)
        {
          guint64 id = g_array_index (cancel_ids, guint64, i);

          for (guint j = 0; j < self->active->len; j++)
            {
              Attempt *active = g_ptr_array_index (self->active, j);

              if (active->id == id)
                {
                  active->cancelled = TRUE;
                  attempt_end (self, active, CURLE_ABORTED_BY_CALLBACK);
                  finished_any = TRUE;
                  break;
                }
            }
        }

      for (guint i = 0; i < to_start->len; i++)
        {
          Attempt *starting = g_ptr_array_index (to_start, i);

          if (!attempt_start (self, starting))
            {
              g_clear_pointer (&starting->easy, curl_easy_cleanup);
              pool_release (self, starting);
              attempt_post (starting);
              finished_any = TRUE;
            }
        }

      curl_multi_perform (self->multi, &running);

      while ((message = curl_multi_info_read (self->multi, &remaining)) != NULL)
        {
          Attempt *done = NULL;

          if (message->msg != CURLMSG_DONE)
            continue;

          curl_easy_getinfo (message->easy_handle, CURLINFO_PRIVATE, (char **) &done);
          attempt_end (self, done, message->data.result);
          finished_any = TRUE;
        }

      now = g_get_monotonic_time ();
      for (guint i = self->active->len; i > 0; i--)
        {
          Attempt *active = g_ptr_array_index (self->active, i - 1);
          gint64 deadline = active->last_activity
                            + (gint64) active->request->idle_timeout_ms * 1000;

          if (now >= deadline)
            {
              active->idle_timeout = TRUE;
              attempt_end (self, active, CURLE_OPERATION_TIMEDOUT);
              finished_any = TRUE;
            }
          else
            {
              poll_ms = MIN (poll_ms, (deadline - now + 999) / 1000);
            }
        }

      if (finished_any)
        continue;

      curl_multi_poll (self->multi, NULL, 0, (int) MAX (poll_ms, 1), NULL);
    }

  /* Shutting down: only reachable when no task refers to the client any more. */
  while (self->active->len > 0)
    {
      Attempt *active = g_ptr_array_steal_index_fast (self->active, self->active->len - 1);

      curl_multi_remove_handle (self->multi, active->easy);
      g_clear_pointer (&active->easy, curl_easy_cleanup);
      attempt_free (active);
    }

  return NULL;
}

/* ReelHttpClient -------------------------------------------------------------------------- */

static void
pool_free (gpointer data)
{
  Pool *pool = data;

  g_queue_clear_full (&pool->waiting, (GDestroyNotify) attempt_free);
  g_free (pool);
}

static void
reel_http_client_finalize (GObject *object)
{
  ReelHttpClient *self = REEL_HTTP_CLIENT (object);

  g_mutex_lock (&self->mutex);
  self->quit = TRUE;
  g_mutex_unlock (&self->mutex);
  curl_multi_wakeup (self->multi);
  g_thread_join (self->thread);

  g_queue_clear_full (&self->incoming, (GDestroyNotify) attempt_free);
  g_clear_pointer (&self->pools, g_hash_table_unref);
  g_clear_pointer (&self->cancels, g_array_unref);
  g_clear_pointer (&self->active, g_ptr_array_unref);
  g_clear_pointer (&self->multi, curl_multi_cleanup);
  g_clear_pointer (&self->local_connections, curl_share_cleanup);
  g_clear_object (&self->resolver);
  g_free (self->ca_file);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (reel_http_client_parent_class)->finalize (object);
}

static void
reel_http_client_class_init (ReelHttpClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = reel_http_client_finalize;
}

static void
reel_http_client_init (ReelHttpClient *self)
{
  static gsize curl_initialised = 0;

  /* Not thread-safe in old libcurl, so once, before any worker exists. */
  if (g_once_init_enter (&curl_initialised))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&curl_initialised, 1);
    }

  g_mutex_init (&self->mutex);
  g_queue_init (&self->incoming);
  self->cancels = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->pools = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, pool_free);
  self->active = g_ptr_array_new ();
  self->delay_scale = 1.0;
  self->multi = curl_multi_init ();
  self->local_connections = curl_share_init ();
  curl_share_setopt (self->local_connections, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  self->thread = g_thread_new ("storyreel-http", worker_main, self);
}

/**
 * reel_http_client_new:
 *
 * Returns: (transfer full): a client with its own worker thread and connection cache
 */
ReelHttpClient *
reel_http_client_new (void)
{
  return g_object_new (REEL_TYPE_HTTP_CLIENT, NULL);
}

/**
 * reel_http_client_get_default:
 *
 * Returns: (transfer none): the client the providers share, alive until the process ends
 */
ReelHttpClient *
reel_http_client_get_default (void)
{
  static ReelHttpClient *default_client;

  if (g_once_init_enter (&default_client))
    g_once_init_leave (&default_client, reel_http_client_new ());

  return default_client;
}

void
reel_http_client_set_pool_limit (ReelHttpClient *self,
                                 const char     *pool,
                                 guint           max_concurrent)
{
  g_return_if_fail (REEL_IS_HTTP_CLIENT (self));

  g_mutex_lock (&self->mutex);
  pool_lookup (self, pool)->limit = MAX (max_concurrent, 1);
  g_mutex_unlock (&self->mutex);
  curl_multi_wakeup (self->multi);
}

void
reel_http_client_set_resolver (ReelHttpClient *self,
                               GResolver      *resolver)
{
  g_return_if_fail (REEL_IS_HTTP_CLIENT (self));
  g_return_if_fail (resolver == NULL || G_IS_RESOLVER (resolver));

  g_mutex_lock (&self->mutex);
  g_set_object (&self->resolver, resolver);
  g_mutex_unlock (&self->mutex);
}

/**
 * reel_http_client_set_ca_file:
 * @ca_file: (nullable): a PEM file of the certificates to trust, or %NULL for the system's
 *
 * For tests that speak HTTPS to a fake server with a certificate of its own.
 */
void
reel_http_client_set_ca_file (ReelHttpClient *self,
                              const char     *ca_file)
{
  g_return_if_fail (REEL_IS_HTTP_CLIENT (self));

  g_mutex_lock (&self->mutex);
  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  g_mutex_unlock (&self->mutex);
}

/* Transfer full, nullable: the resolver set, NULL for the default one. */
GResolver *
reel_http_client_dup_resolver (ReelHttpClient *self)
{
  GResolver *resolver = NULL;

  g_return_val_if_fail (REEL_IS_HTTP_CLIENT (self), NULL);

  g_mutex_lock (&self->mutex);
  if (self->resolver != NULL)
    resolver = g_object_ref (self->resolver);
  g_mutex_unlock (&self->mutex);
  return resolver;
}

/**
 * reel_http_client_set_delay_scale:
 * @scale: the factor applied to every retry wait (1.0 normally; tests make it small)
 */
void
reel_http_client_set_delay_scale (ReelHttpClient *self,
                                  double          scale)
{
  g_return_if_fail (REEL_IS_HTTP_CLIENT (self));
  g_return_if_fail (scale >= 0);

  g_mutex_lock (&self->mutex);
  self->delay_scale = scale;
  g_mutex_unlock (&self->mutex);
}

double
reel_http_client_get_delay_scale (ReelHttpClient *self)
{
  double scale;

  g_return_val_if_fail (REEL_IS_HTTP_CLIENT (self), 1.0);

  g_mutex_lock (&self->mutex);
  scale = self->delay_scale;
  g_mutex_unlock (&self->mutex);
  return scale;
}

/* The exchange: one request from send to finish, in the caller's context ------------------ */

typedef struct
{
  ReelHttpClient *client;
  ReelHttpRequest *request;
  GCancellable *cancellable;
  gulong cancelled_id;
  char *url;
  char *method;
  gboolean drop_secrets;
  guint redirects;
  guint64 attempt_id;   /* under client->mutex */
  GSource *wait_source;
  GSource *wait_cancel_source;
} Exchange;

static void
exchange_free (gpointer data)
{
  Exchange *exchange = data;

  g_assert (exchange->cancelled_id == 0);
  g_assert (exchange->wait_source == NULL);

  g_clear_object (&exchange->request);
  g_clear_object (&exchange->cancellable);
  g_free (exchange->url);
  g_free (exchange->method);
  g_free (exchange);
}

static void exchange_start_attempt (GTask *task);

static const char *
exchange_service (Exchange *exchange)
{
  return exchange->request->service != NULL ? exchange->request->service : _("The server");
}

static char *
url_host (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup ("?");
  return g_strdup (g_uri_get_host (uri));
}

static void
exchange_detach (Exchange *exchange)
{
  if (exchange->wait_source != NULL)
    {
      g_source_destroy (exchange->wait_source);
      g_clear_pointer (&exchange->wait_source, g_source_unref);
    }
  if (exchange->wait_cancel_source != NULL)
    {
      g_source_destroy (exchange->wait_cancel_source);
      g_clear_pointer (&exchange->wait_cancel_source, g_source_unref);
    }
  if (exchange->cancelled_id != 0)
    {
      g_cancellable_disconnect (exchange->cancellable, exchange->cancelled_id);
      exchange->cancelled_id = 0;
    }
}

static void
exchange_fail (GTask  *task,
               GError *error)
{
  Exchange *exchange = g_task_get_task_data (task);

  exchange_detach (exchange);
  if (g_cancellable_is_cancelled (exchange->cancellable))
    g_clear_error (&error);
  if (error == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                             _("The request was cancelled."));
  else
    {
      /* Whatever the source of the text, a key never leaves in it. */
      g_autofree char *scrubbed = reel_http_request_scrub (exchange->request, error->message);

      g_free (error->message);
      error->message = g_steal_pointer (&scrubbed);
      g_task_return_error (task, error);
    }
}

static void G_GNUC_PRINTF (3, 4)
exchange_fail_with (GTask      *task,
                    ReelAiError code,
                    const char *format,
                    ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  exchange_fail (task, g_error_new_literal (REEL_AI_ERROR, code, message));
  g_free (message);
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  Exchange *exchange = user_data;
  ReelHttpClient *self = exchange->client;

  g_mutex_lock (&self->mutex);
  if (exchange->attempt_id != 0)
    g_array_append_val (self->cancels, exchange->attempt_id);
  g_mutex_unlock (&self->mutex);
  curl_multi_wakeup (self->multi);
}

gint64
reel_http_parse_retry_after (const char *value,
                             gint64      now_unix_ms)
{
  char *end = NULL;
  double seconds;
  time_t date;

  if (value == NULL)
    return -1;

  while (g_ascii_isspace (*value))
    value++;
  if (*value == '\0')
    return -1;

  seconds = g_ascii_strtod (value, &end);
  if (end != value && (*end == '\0' || g_ascii_isspace (*end)))
    return seconds < 0 ? -1 : (gint64) (seconds * 1000.0);

  date = curl_getdate (value, NULL);
  if (date == (time_t) -1)
    return -1;

  return MAX ((gint64) date * 1000 - now_unix_ms, 0);
}

static gint64
backoff_wait (guint retry_number)
{
  gint64 wait = BACKOFF_BASE_MS;

  for (guint i = 1; i < retry_number && wait < BACKOFF_MAX_MS; i++)
    wait *= 2;
  wait = MIN (wait, BACKOFF_MAX_MS);

  /* Jitter, so that many clients told to wait do not come back at the same instant. */
  return wait - (gint64) (g_random_double () * 0.25 * (double) wait);
}

static gboolean
status_is_retryable (guint status)
{
  return status == 408 || status == 409 || status == 429 || status >= 500;
}

static gboolean
exchange_should_retry (Exchange         *exchange,
                       ReelHttpResponse *response,
                       gint64           *wait_ms)
{
  ReelHttpRequest *request = exchange->request;
  ReelHttpRetryDecision decision = REEL_HTTP_RETRY_DEFAULT;
  gint64 wait = -1;

  if (request->attempts >= request->max_attempts)
    return FALSE;

  if (request->retry_func != NULL)
    decision = request->retry_func (response, &wait, request->retry_data);

  if (decision == REEL_HTTP_RETRY_NO)
    return FALSE;

  if (decision == REEL_HTTP_RETRY_DEFAULT)
    {
      const char *should_retry = reel_http_response_get_header (response, "x-should-retry");

      if (should_retry != NULL && g_ascii_strcasecmp (should_retry, "false") == 0)
        return FALSE;
      if (!(should_retry != NULL && g_ascii_strcasecmp (should_retry, "true") == 0)
          && !status_is_retryable (response->status))
        return FALSE;
    }

  if (wait < 0)
    {
      const char *value = reel_http_response_get_header (response, "retry-after-ms");

      if (value != NULL)
        {
          char *end = NULL;
          double ms = g_ascii_strtod (value, &end);

          if (end != value && ms >= 0)
            wait = (gint64) ms;
        }
    }
  if (wait < 0)
    wait = reel_http_parse_retry_after (reel_http_response_get_header (response, "retry-after"),
                                        g_get_real_time () / 1000);
  if (wait < 0)
    wait = backoff_wait (request->attempts);

  if (wait > request->max_retry_wait_ms)
    return FALSE;

  *wait_ms = wait;
  return TRUE;
}

static gboolean
on_wait_over (gpointer user_data)
{
  GTask *task = user_data;
  Exchange *exchange = g_task_get_task_data (task);

  g_clear_pointer (&exchange->wait_source, g_source_unref);
  if (exchange->wait_cancel_source != NULL)
    {
      g_source_destroy (exchange->wait_cancel_source);
      g_clear_pointer (&exchange->wait_cancel_source, g_source_unref);
    }

  exchange_start_attempt (task);
  return G_SOURCE_REMOVE;
}

static gboolean
on_wait_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Exchange *exchange = g_task_get_task_data (task);

  g_clear_pointer (&exchange->wait_cancel_source, g_source_unref);
  exchange_fail (task, NULL);
  return G_SOURCE_REMOVE;
}

static void
exchange_retry_after (GTask  *task,
                      gint64  wait_ms)
{
  Exchange *exchange = g_task_get_task_data (task);
  double scale = reel_http_client_get_delay_scale (exchange->client);
  guint delay = (guint) MIN ((double) wait_ms * scale, (double) G_MAXUINT);

  g_array_append_val (exchange->request->waits, wait_ms);
  g_debug ("%s: retrying in %" G_GINT64_FORMAT " ms", exchange_service (exchange), wait_ms);

  exchange->wait_source = g_timeout_source_new (delay);
  g_source_set_static_name (exchange->wait_source, "[storyreel] http retry wait");
  g_source_set_callback (exchange->wait_source, on_wait_over,
                         g_object_ref (task), g_object_unref);
  g_source_attach (exchange->wait_source, g_task_get_context (task));

  if (exchange->cancellable != NULL)
    {
      exchange->wait_cancel_source = g_cancellable_source_new (exchange->cancellable);
      g_source_set_callback (exchange->wait_cancel_source, G_SOURCE_FUNC (on_wait_cancelled),
                             g_object_ref (task), g_object_unref);
      g_source_attach (exchange->wait_cancel_source, g_task_get_context (task));
    }
}

static gboolean
same_origin (const char *a,
             const char *b)
{
  g_autoptr(GUri) ua = g_uri_parse (a, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);
  g_autoptr(GUri) ub = g_uri_parse (b, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);

  if (ua == NULL || ub == NULL)
    return FALSE;

  return g_ascii_strcasecmp (g_uri_get_scheme (ua), g_uri_get_scheme (ub)) == 0
         && g_ascii_strcasecmp (g_uri_get_host (ua), g_uri_get_host (ub)) == 0
         && g_uri_get_port (ua) == g_uri_get_port (ub);
}

static gboolean
scheme_is_http (const char *url)
{
  g_autofree char *scheme = g_uri_parse_scheme (url);

  return scheme != NULL
         && (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0);
}

static void
exchange_fail_transport (GTask   *task,
                         Attempt *attempt)
{
  Exchange *exchange = g_task_get_task_data (task);
  g_autofree char *host = url_host (attempt->url);
  const char *service = exchange_service (exchange);
  const char *detail = attempt->errbuf[0] != '\0' ? attempt->errbuf
                                                  : curl_easy_strerror (attempt->code);

  switch ((int) attempt->code)
    {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      exchange_fail_with (task, REEL_AI_ERROR_NETWORK,
                          /* Translators: "OpenAI (api.openai.com)" */
                          _("Could not find %s (%s). Check the address in Preferences and the "
                            "network connection."), service, host);
      break;

    case CURLE_COULDNT_CONNECT:
      exchange_fail_with (task, REEL_AI_ERROR_NETWORK,
                          _("Could not connect to %s (%s). Check that the server is running "
                            "and that its address in Preferences is right."), service, host);
      break;

    case CURLE_OPERATION_TIMEDOUT:
      exchange_fail_with (task, REEL_AI_ERROR_TIMEOUT,
                          _("Connecting to %s (%s) took too long. Check the network and the "
                            "address in Preferences, then try again."), service, host);
      break;

    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
      exchange_fail_with (task, REEL_AI_ERROR_TLS,
                          _("The identity of %s (%s) could not be verified (%s). Check the "
                            "address in Preferences, or the computer's certificates and "
                            "clock."), service, host, detail);
      break;

    case CURLE_UNSUPPORTED_PROTOCOL:
      exchange_fail_with (task, REEL_AI_ERROR_UNSAFE_REDIRECT,
                          _("%s (%s) asked for a protocol other than HTTP or HTTPS, which "
                            "Storyreel refuses. Check the address in Preferences."),
                          service, host);
      break;

    default:
      exchange_fail_with (task, REEL_AI_ERROR_NETWORK,
                          _("The connection to %s (%s) broke before the answer was complete "
                            "(%s). Try again."), service, host, detail);
      break;
    }
}

static gboolean
transport_error_is_retryable (Exchange *exchange,
                              CURLcode  code)
{
  switch ((int) code)
    {
    /* Nothing reached the server: always safe to try again. */
    case CURLE_COULDNT_CONNECT:
      return TRUE;

    /* The server may have done the work (and billed it): only for idempotent requests. */
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return exchange->request->idempotent;

    default:
      return FALSE;
    }
}

static void
on_attempt_done (Attempt  *attempt,
                 gpointer  user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  ReelHttpRequest *request = exchange->request;
  ReelHttpClient *self = exchange->client;
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autofree char *host = NULL;
  gint64 wait_ms = 0;

  g_mutex_lock (&self->mutex);
  exchange->attempt_id = 0;
  g_mutex_unlock (&self->mutex);

  if (attempt->cancelled || g_cancellable_is_cancelled (exchange->cancellable))
    {
      exchange_fail (task, NULL);
      return;
    }

  host = url_host (attempt->url);

  if (attempt->too_large)
    {
      g_autofree char *limit = g_format_size (request->max_response_size);

      exchange_fail_with (task, REEL_AI_ERROR_TOO_LARGE,
                          _("The answer from %s (%s) was larger than %s, so it was refused. "
                            "Check the server."), exchange_service (exchange), host, limit);
      return;
    }

  if (attempt->idle_timeout)
    {
      guint seconds = (request->idle_timeout_ms + 999) / 1000;

      exchange_fail_with (task, REEL_AI_ERROR_TIMEOUT,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "%s (%s) sent nothing for more than %u second. Try "
                                       "again later, or check the server.",
                                       "%s (%s) sent nothing for more than %u seconds. Try "
                                       "again later, or check the server.", seconds),
                          exchange_service (exchange), host, seconds);
      return;
    }

  if (attempt->code != CURLE_OK)
    {
      g_debug ("%s: attempt %u failed: %s", exchange_service (exchange), request->attempts,
               curl_easy_strerror (attempt->code));

      if (request->attempts < request->max_attempts
          && transport_error_is_retryable (exchange, attempt->code))
        exchange_retry_after (task, backoff_wait (request->attempts));
      else
        exchange_fail_transport (task, attempt);
      return;
    }

  if (attempt->status >= 300 && attempt->status < 400 && attempt->redirect_url != NULL)
    {
      if (!scheme_is_http (attempt->redirect_url))
        {
          exchange_fail_with (task, REEL_AI_ERROR_UNSAFE_REDIRECT,
                              _("%s (%s) redirected to an address that is not HTTP or HTTPS, "
                                "which Storyreel refuses. Check the address in Preferences."),
                              exchange_service (exchange), host);
          return;
        }

      if (request->follow_redirects)
        {
          if (++exchange->redirects > MAX_REDIRECTS)
            {
              exchange_fail_with (task, REEL_AI_ERROR_BAD_RESPONSE,
                                  _("%s (%s) redirected too many times. Check the address in "
                                    "Preferences."), exchange_service (exchange), host);
              return;
            }

          /* A key is for the origin it was given to, not wherever that sends us. */
          if (!same_origin (exchange->url, attempt->redirect_url))
            exchange->drop_secrets = TRUE;
          if (attempt->status == 303
              || ((attempt->status == 301 || attempt->status == 302)
                  && g_str_equal (exchange->method, "POST")))
            {
              g_free (exchange->method);
              exchange->method = g_strdup ("GET");
            }

          g_free (exchange->url);
          exchange->url = g_strdup (attempt->redirect_url);
          request->attempts--;  /* a redirect is not a retry */
          exchange_start_attempt (task);
          return;
        }
    }

  response = g_object_new (REEL_TYPE_HTTP_RESPONSE, NULL);
  response->status = (guint) attempt->status;
  response->headers = g_steal_pointer (&attempt->headers);
  response->body = g_byte_array_free_to_bytes (g_steal_pointer (&attempt->body));
  response->url = g_strdup (attempt->effective_url != NULL ? attempt->effective_url
                                                           : attempt->url);
  response->service = g_strdup (exchange_service (exchange));

  if (!reel_http_response_is_success (response)
      && exchange_should_retry (exchange, response, &wait_ms))
    {
      exchange_retry_after (task, wait_ms);
      return;
    }

  exchange_detach (exchange);
  g_task_return_pointer (task, g_steal_pointer (&response), g_object_unref);
}

static void
exchange_submit (GTask      *task,
                 const char *resolve)
{
  Exchange *exchange = g_task_get_task_data (task);
  ReelHttpClient *self = exchange->client;
  Attempt *attempt;

  attempt = g_new0 (Attempt, 1);
  attempt->request = g_object_ref (exchange->request);
  attempt->url = g_strdup (exchange->url);
  attempt->method = g_strdup (exchange->method);
  attempt->resolve = g_strdup (resolve);
  g_mutex_lock (&self->mutex);
  attempt->ca_file = g_strdup (self->ca_file);
  g_mutex_unlock (&self->mutex);
  attempt->drop_secrets = exchange->drop_secrets;
  attempt->local_only = exchange->request->local_only;
  attempt->context = g_main_context_ref (g_task_get_context (task));
  attempt->done = on_attempt_done;
  attempt->done_data = g_object_ref (task);

  exchange->request->attempts++;

  g_mutex_lock (&self->mutex);
  attempt->id = ++self->next_attempt_id;
  exchange->attempt_id = attempt->id;
  g_queue_push_tail (&self->incoming, attempt);
  g_mutex_unlock (&self->mutex);
  curl_multi_wakeup (self->multi);
}

static void
refuse_not_local (GTask      *task,
                  const char *host)
{
  Exchange *exchange = g_task_get_task_data (task);

  exchange_fail_with (task, REEL_AI_ERROR_NOT_LOCAL,
                      _("“Local only” is on, and %s (%s) is not on this computer or the local "
                        "network, so nothing was sent. Choose a local server, or turn off "
                        "“Local only” in Preferences."), exchange_service (exchange), host);
}

static void
on_resolved (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  g_autolist(GInetAddress) addresses = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GString) resolve = NULL;
  const char *host;
  int port;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  uri = g_uri_parse (exchange->url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);
  host = g_uri_get_host (uri);

  if (addresses == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        exchange_fail (task, NULL);
      else
        exchange_fail_with (task, REEL_AI_ERROR_NETWORK,
                            _("Could not find %s (%s). Check the address in Preferences and "
                              "the network connection."), exchange_service (exchange), host);
      return;
    }

  /* Every address must be local: curl may try any of them. */
  for (GList *l = addresses; l != NULL; l = l->next)
    if (!reel_address_policy_is_local (l->data))
      {
        refuse_not_local (task, host);
        return;
      }

  port = g_uri_get_port (uri);
  if (port < 0)
    port = g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;

  resolve = g_string_new (NULL);
  g_string_append_printf (resolve, "%s:%d:", host, port);
  for (GList *l = addresses; l != NULL; l = l->next)
    {
      g_autofree char *text = g_inet_address_to_string (l->data);
      gboolean v6 = g_inet_address_get_family (l->data) == G_SOCKET_FAMILY_IPV6;

      g_string_append_printf (resolve, "%s%s%s%s", l == addresses ? "" : ",",
                              v6 ? "[" : "", text, v6 ? "]" : "");
    }

  exchange_submit (task, resolve->str);
}

static void
exchange_start_attempt (GTask *task)
{
  Exchange *exchange = g_task_get_task_data (task);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GInetAddress) literal = NULL;
  g_autoptr(GResolver) resolver = NULL;
  const char *host;

  if (g_cancellable_is_cancelled (exchange->cancellable))
    {
      exchange_fail (task, NULL);
      return;
    }

  uri = g_uri_parse (exchange->url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      exchange_fail_with (task, REEL_AI_ERROR_CONFIG,
                          _("The address of %s is not a valid URL. Check it in Preferences."),
                          exchange_service (exchange));
      return;
    }

  if (!scheme_is_http (exchange->url))
    {
      exchange_fail_with (task, REEL_AI_ERROR_CONFIG,
                          _("The address of %s must start with http:// or https://. Check it "
                            "in Preferences."), exchange_service (exchange));
      return;
    }

  if (!exchange->request->local_only)
    {
      exchange_submit (task, NULL);
      return;
    }

  host = g_uri_get_host (uri);
  literal = g_inet_address_new_from_string (host);
  if (literal != NULL)
    {
      if (reel_address_policy_is_local (literal))
        exchange_submit (task, NULL);
      else
        refuse_not_local (task, host);
      return;
    }

  g_mutex_lock (&exchange->client->mutex);
  if (exchange->client->resolver != NULL)
    resolver = g_object_ref (exchange->client->resolver);
  g_mutex_unlock (&exchange->client->mutex);
  if (resolver == NULL)
    resolver = g_resolver_get_default ();
  g_resolver_lookup_by_name_async (resolver, host, exchange->cancellable,
                                   on_resolved, g_object_ref (task));
}

/**
 * reel_http_client_send_async:
 * @request: a request, not to be changed any more
 *
 * Sends @request, retrying and following redirects as it says. Finishes with the answer
 * whatever its status (a 4xx is an answer for the provider to read), or with an error in
 * %REEL_AI_ERROR for a failure of transport, or %G_IO_ERROR_CANCELLED.
 */
void
reel_http_client_send_async (ReelHttpClient      *self,
                             ReelHttpRequest     *request,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Exchange *exchange;

  g_return_if_fail (REEL_IS_HTTP_CLIENT (self));
  g_return_if_fail (REEL_IS_HTTP_REQUEST (request));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_http_client_send_async);
  g_task_set_check_cancellable (task, FALSE);

  exchange = g_new0 (Exchange, 1);
  exchange->client = self;
  exchange->request = g_object_ref (request);
  exchange->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  exchange->url = g_strdup (request->url);
  exchange->method = g_strdup (request->method);
  g_task_set_task_data (task, exchange, exchange_free);

  request->attempts = 0;
  g_array_set_size (request->waits, 0);

  if (cancellable != NULL)
    exchange->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                    exchange, NULL);

  exchange_start_attempt (task);
}

/**
 * reel_http_client_send_finish:
 *
 * Returns: (transfer full): the answer, or %NULL with @error set
 */
ReelHttpResponse *
reel_http_client_send_finish (ReelHttpClient  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (REEL_IS_HTTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == reel_http_client_send_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
