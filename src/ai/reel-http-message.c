/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-http"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reel-ai-error.h"
#include "reel-http-private.h"

void
reel_http_header_free (gpointer data)
{
  Header *header = data;

  g_free (header->name);
  g_free (header->value);
  g_free (header);
}

Header *
reel_http_header_new (const char *name,
                      const char *value,
                      gboolean    secret)
{
  Header *header = g_new0 (Header, 1);

  header->name = g_strdup (name);
  header->value = g_strdup (value);
  header->secret = secret;
  return header;
}

void
reel_http_form_part_free (gpointer data)
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
  self->headers = g_ptr_array_new_with_free_func (reel_http_header_free);
  self->form = g_ptr_array_new_with_free_func (reel_http_form_part_free);
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

  g_ptr_array_add (self->headers, reel_http_header_new (name, value, FALSE));
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

  g_ptr_array_add (self->headers, reel_http_header_new (name, value, TRUE));
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
