/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ai/reel-generator.h"
#include "ai/reel-http.h"

G_BEGIN_DECLS

#define REEL_TYPE_PROVIDER (reel_provider_get_type ())
G_DECLARE_DERIVABLE_TYPE (ReelProvider, reel_provider, REEL, PROVIDER, GObject)

/**
 * ReelProviderClass:
 * @id: the stable id ("greybox", "comfyui", "gemini", "openai", "seedream", "wan",
 *   "veo")
 * @display_name: untranslated name (N_()) shown to the user and used in errors
 * @capabilities: what the provider can do
 * @default_endpoint: the base URL when none is configured
 * @default_model: the model when none is configured
 * @sends_structure: the service takes reference images: a request whose shot has a camera
 *   on its scene's set gets the set's line art from that camera (rendered on a worker thread
 *   before @generate_async sees the request)
 * @apply_settings: reads the provider's own GSettings keys (chain up)
 * @generate_async: see reel_generator_generate_async()
 * @generate_finish: see reel_generator_generate_finish()
 * @check_async: see reel_generator_check_async()
 * @check_finish: see reel_generator_check_finish()
 * @list_models_async: asks the service which models it offers (optional)
 * @list_models_finish: the models this provider can use, sorted
 *
 * The base of every provider: the settings they share (endpoint, model, key, "Local
 * only", the HTTP client) and the helpers they all use. Implements #ReelGenerator.
 */
struct _ReelProviderClass
{
  GObjectClass parent_class;

  const char *id;
  const char *display_name;
  ReelGeneratorCapabilities capabilities;
  const char *default_endpoint;
  const char *default_model;
  gboolean sends_structure;

  void       (*apply_settings)  (ReelProvider               *self,
                                 GSettings                  *settings);
  void       (*generate_async)  (ReelProvider               *self,
                                 ReelGenerationRequest      *request,
                                 ReelGenerationProgressFunc  progress,
                                 gpointer                    progress_data,
                                 GCancellable               *cancellable,
                                 GAsyncReadyCallback         callback,
                                 gpointer                    user_data);
  GPtrArray *(*generate_finish) (ReelProvider               *self,
                                 GAsyncResult               *result,
                                 GError                    **error);
  void       (*check_async)     (ReelProvider               *self,
                                 GCancellable               *cancellable,
                                 GAsyncReadyCallback         callback,
                                 gpointer                    user_data);
  char      *(*check_finish)    (ReelProvider               *self,
                                 GAsyncResult               *result,
                                 GError                    **error);
  void       (*list_models_async)  (ReelProvider            *self,
                                    GCancellable            *cancellable,
                                    GAsyncReadyCallback      callback,
                                    gpointer                 user_data);
  GStrv      (*list_models_finish) (ReelProvider            *self,
                                    GAsyncResult            *result,
                                    GError                 **error);
};

/**
 * ReelProviderInfo:
 * @id: provider id
 * @display_name: untranslated name (N_())
 * @capabilities: what it can do
 */
typedef struct
{
  const char *id;
  const char *display_name;
  ReelGeneratorCapabilities capabilities;
} ReelProviderInfo;

#define REEL_PROVIDER_DEFAULT "greybox"

/* Every provider, in the order the UI lists them. */
const ReelProviderInfo *reel_provider_list            (guint                  *n_providers);
const ReelProviderInfo *reel_provider_lookup_info     (const char             *id);
/* A provider with its defaults, or NULL with %REEL_AI_ERROR_CONFIG for an unknown id. */
ReelProvider           *reel_provider_new_for_id      (const char             *id,
                                                       GError                **error);
/* Reads the user's settings (schema BASE_APPLICATION_ID): endpoint, model, "Local only",
 * and each provider's own keys. */
void                    reel_provider_apply_settings  (ReelProvider           *self,
                                                       GSettings              *settings);

const char             *reel_provider_get_id          (ReelProvider           *self);
const char             *reel_provider_get_display_name (ReelProvider          *self);
/* The base URL without a trailing slash. */
const char             *reel_provider_get_endpoint    (ReelProvider           *self);
void                    reel_provider_set_endpoint    (ReelProvider           *self,
                                                       const char             *endpoint);
const char             *reel_provider_get_model       (ReelProvider           *self);
void                    reel_provider_set_model       (ReelProvider           *self,
                                                       const char             *model);
/* A key given here wins over the environment and the keyring (tests, the CLI). */
void                    reel_provider_set_api_key     (ReelProvider           *self,
                                                       const char             *api_key);
/* Whether a provider without a key set asks the keyring (TRUE by default). */
void                    reel_provider_set_keyring_enabled (ReelProvider       *self,
                                                           gboolean            enabled);
gboolean                reel_provider_get_local_only  (ReelProvider           *self);
void                    reel_provider_set_local_only  (ReelProvider           *self,
                                                       gboolean                local_only);
/* Transfer none; the shared client unless one was set. */
ReelHttpClient         *reel_provider_get_http_client (ReelProvider           *self);
void                    reel_provider_set_http_client (ReelProvider           *self,
                                                       ReelHttpClient         *client);
guint                   reel_provider_get_idle_timeout (ReelProvider          *self);
void                    reel_provider_set_idle_timeout (ReelProvider          *self,
                                                        guint                  milliseconds);

/* The models the service offers that this provider can use (image models, or video models
 * for Veo), sorted; %REEL_AI_ERROR_NOT_SUPPORTED for a service that does not list them. */
void                    reel_provider_list_models_async  (ReelProvider        *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
GStrv                   reel_provider_list_models_finish (ReelProvider        *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

/* For providers -------------------------------------------------------------------------- */

/* The key: the one set, else STORYREEL_<ID>_API_KEY, else the keyring. Finishes with
 * %NULL and no error when there is none. */
void                    reel_provider_lookup_key_async  (ReelProvider         *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
char                   *reel_provider_lookup_key_finish (ReelProvider         *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
/* The error for a provider that needs a key and has none. */
GError                 *reel_provider_no_key_error     (ReelProvider          *self);

/* The error for a model the service does not offer (%REEL_AI_ERROR_MODEL_NOT_FOUND); the
 * base class adds the models on offer before the caller sees it. */
GError                 *reel_provider_model_not_found_error (ReelProvider     *self);

/* A request with the provider's name, pool, "Local only" and timeouts. */
ReelHttpRequest        *reel_provider_new_request      (ReelProvider          *self,
                                                        const char            *method,
                                                        const char            *url);
/* Maps an HTTP error status to an error naming the provider; @detail is the server's
 * own message (already scrubbed of the key), nullable. */
GError                 *reel_provider_status_error     (ReelProvider          *self,
                                                        guint                  status,
                                                        const char            *detail);
/* What a service's error code means, whatever words it uses for it. */
typedef enum
{
  REEL_PROVIDER_ANSWER_OTHER,            /* read the HTTP status */
  REEL_PROVIDER_ANSWER_MODEL_NOT_FOUND,  /* unknown or retired model */
  REEL_PROVIDER_ANSWER_QUOTA,            /* the account has nothing left: never retried */
  REEL_PROVIDER_ANSWER_BLOCKED,          /* a safety refusal: never retried */
} ReelProviderAnswer;

/**
 * ReelProviderErrorCode:
 * @code: the service's code: exact, "Prefix*" or "*part*"
 * @answer: what it means
 *
 * One row of a provider's table of error codes, ended by a row whose @code is %NULL.
 */
typedef struct
{
  const char *code;
  ReelProviderAnswer answer;
} ReelProviderErrorCode;

/* What @code means by @codes (any of the codes given, nullable, may match). */
ReelProviderAnswer      reel_provider_classify_error   (const ReelProviderErrorCode *codes,
                                                        const char            *code,
                                                        const char            *other_code);
/* The retry rule that follows: quota and safety refusals are final. */
ReelHttpRetryDecision   reel_provider_retry_for_answer (ReelProviderAnswer     answer);
/* The error for an answer that is not a success: @message is the service's own words
 * (nullable), scrubbed here of @key and of the request's secrets before anyone sees it;
 * @answer says what the service's code meant, else the HTTP status decides. */
GError                 *reel_provider_answer_error     (ReelProvider          *self,
                                                        ReelHttpRequest       *request,
                                                        const char            *key,
                                                        guint                  status,
                                                        ReelProviderAnswer     answer,
                                                        const char            *code,
                                                        const char            *message);
/* @text without @key nor the secrets of @request (nullable). Transfer full. */
char                   *reel_provider_scrub            (ReelHttpRequest       *request,
                                                        const char            *key,
                                                        const char            *text);

/**
 * ReelProviderPoll:
 *
 * The wait between two polls of a task a service runs (Veo's operations, Wan's tasks,
 * each ComfyUI prompt of a farm job): embedded in a provider's job, zeroed, cleared with
 * reel_provider_poll_clear().
 */
typedef struct
{
  /*< private >*/
  GSource *timer;
  GSource *cancelled;
} ReelProviderPoll;

typedef void (*ReelProviderPollFunc) (GTask    *task,
                                      gpointer  data);

/* Calls @func (@task, @data) in @task's context after @interval_ms. As soon as @task's
 * cancellable fires it calls @cancelled (@task, @data) instead, or, when @cancelled is
 * NULL, ends @task with %G_IO_ERROR_CANCELLED: a job with several waits at once (one per
 * ComfyUI prompt) ends its task once, its own way. FALSE, with nothing scheduled, once
 * @deadline_us (monotonic; 0 for none) has passed: the caller says what ran out
 * (reel_provider_deadline_error()). @data must outlive the wait. */
gboolean                reel_provider_poll_schedule    (ReelProviderPoll      *poll,
                                                        GTask                 *task,
                                                        guint                  interval_ms,
                                                        gint64                 deadline_us,
                                                        ReelProviderPollFunc   func,
                                                        ReelProviderPollFunc   cancelled,
                                                        gpointer               data);
/* Whether a poll is scheduled and has not run yet. */
gboolean                reel_provider_poll_is_pending  (const ReelProviderPoll *poll);
void                    reel_provider_poll_clear       (ReelProviderPoll      *poll);
/* "%s did not finish … within %u seconds": a task that outlived @deadline_ms. */
GError                 *reel_provider_deadline_error   (ReelProvider          *self,
                                                        guint                  deadline_ms);

/* Thread-safe: the set of @request seen from its camera as gray-box line art (transfer
 * full), or NULL when the request has no set camera or is for a clip. */
ReelAsset              *reel_provider_render_structure (ReelGenerationRequest *request);
/* The prompt to send with the request's reference images: the request's own, and a line
 * saying what the structure reference is when there is one. Transfer full. */
char                   *reel_provider_prompt_for_references (ReelGenerationRequest *request);

/* A new record for an asset made by this provider (provider, model, host of @url,
 * prompts, seed, input hashes, kind, angle, duration since @started_us). */
ReelGenerationRecord   *reel_provider_new_record       (ReelProvider          *self,
                                                        ReelGenerationRequest *request,
                                                        const char            *url,
                                                        gint64                 seed,
                                                        JsonObject            *parameters,
                                                        gint64                 started_us);

/* Keeps the service's usage report (tokens, image counts) in @record's parameters under
 * "usage"; reel_provider_usage_of() reads it back (transfer full, nullable). */
void                    reel_provider_record_add_usage (ReelGenerationRecord  *record,
                                                        JsonObject            *usage);
JsonObject             *reel_provider_usage_of         (const ReelGenerationRecord *record);

/* Thread-safe: decodes strict base64 (no stray characters, right padding). */
GBytes                 *reel_provider_decode_base64    (const char            *text,
                                                        gsize                  length);
/* Thread-safe: checks that @data is a whole, decodable image and wraps it in an asset
 * with @record. %REEL_AI_ERROR_BAD_RESPONSE naming @display_name otherwise. */
ReelAsset              *reel_provider_image_asset      (const char            *display_name,
                                                        GBytes                *data,
                                                        ReelGenerationRecord  *record,
                                                        GError               **error);

/* reel_provider_image_asset() on a worker thread: checking a whole image decodes it, which
 * would stall the main loop. Finish with reel_provider_run_in_thread_finish(): a ReelAsset.
 * Holds its own references to @data and @record. */
void                    reel_provider_image_asset_async (const char           *display_name,
                                                         GBytes               *data,
                                                         ReelGenerationRecord *record,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);

/* Tolerant readers of answers: NULL (or the default) for a missing member or a member of
 * another type, where JSON-GLib's own getters would complain. @object may be NULL. */
JsonObject             *reel_json_get_object           (JsonObject            *object,
                                                        const char            *member);
JsonArray              *reel_json_get_array            (JsonObject            *object,
                                                        const char            *member);
const char             *reel_json_get_string           (JsonObject            *object,
                                                        const char            *member);
gint64                  reel_json_get_int              (JsonObject            *object,
                                                        const char            *member,
                                                        gint64                 default_value);
gboolean                reel_json_get_boolean          (JsonObject            *object,
                                                        const char            *member,
                                                        gboolean               default_value);
JsonObject             *reel_json_array_get_object     (JsonArray             *array,
                                                        guint                  index);
const char             *reel_json_array_get_string     (JsonArray             *array,
                                                        guint                  index);
/* The root of @node as an object, or NULL. */
JsonObject             *reel_json_node_get_object      (JsonNode              *node);

typedef gpointer (*ReelProviderThreadFunc) (gpointer       input,
                                            GCancellable  *cancellable,
                                            GError       **error);

/* Runs @func (@input) on a worker thread; finish gives its result (transfer full,
 * freed with @result_free if nobody takes it). For encoding and decoding that would
 * stall the main loop. */
void                    reel_provider_run_in_thread    (ReelProviderThreadFunc  func,
                                                        gpointer                input,
                                                        GDestroyNotify          input_free,
                                                        GDestroyNotify          result_free,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
gpointer                reel_provider_run_in_thread_finish (GAsyncResult       *result,
                                                            GError            **error);

/* The bytes of @assets (ReelAsset), read on a worker thread for one request: the assets do
 * not keep them (reel_asset_dup_data()), so a request pins no image beyond its own life.
 * Finish gives a GBytes for each asset, in order (transfer full), or NULL with the error of
 * the first that cannot be read. */
void                    reel_provider_read_assets_async  (GPtrArray           *assets,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
GPtrArray              *reel_provider_read_assets_finish (GAsyncResult        *result,
                                                          GError             **error);

G_END_DECLS
