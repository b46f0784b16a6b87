/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-veo"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reel-ai-error.h"
#include "reel-gemini-private.h"
#include "reel-greybox.h"
#include "reel-keys.h"
#include "reel-models.h"
#include "reel-veo-private.h"

/* Google Veo on Google Cloud (Vertex AI): a moving background. Veo 3.1 lives only there;
 * the Gemini API's own Veo previews were retired in October 2026 (see reel-models.c).
 *
 *   POST https://{region}-aiplatform.googleapis.com/v1/projects/{project}/locations/{region}
 *        /publishers/google/models/{model}:predictLongRunning
 *        {"instances":[…],"parameters":{…}}  →  {"name":"projects/…/operations/ID"}
 *   POST …/models/{model}:fetchPredictOperation {"operationName":"projects/…/operations/ID"}
 *        → {"name","done":true,"response":{"raiMediaFilteredCount":0,
 *           "videos":[{"bytesBase64Encoded":"…","mimeType":"video/mp4"}]}}
 *
 * (docs.cloud.google.com/vertex-ai/generative-ai/docs/model-reference/veo-video-generation.)
 * Without "storageUri" the clip comes back inline; a "gcsUri" instead is refused with a
 * message: Storyreel does not read Cloud Storage. The credential is an OAuth access token
 * ("gcloud auth print-access-token"), sent as "Authorization: Bearer", kept in the keyring
 * like the other keys, or printed by a command set in Preferences (run without a shell and
 * remembered until Google Cloud refuses it).
 *
 * The token goes to Google's own hosts over HTTPS and nowhere else: the requests go to the
 * region's own host, and an address set in Preferences must be Google's too, else nothing is
 * sent. Tests trust their fake server's origin through a C call, or (for the tests that run
 * the program) STORYREEL_VEO_TEST_ORIGIN, honoured only for a loopback address: no setting or
 * project file reaches it. */

#define VEO_MAX_VIDEO_SIZE (512 * 1024 * 1024)
/* The clip comes inline, in base64: four bytes for three, and some room for the rest. */
#define VEO_MAX_ANSWER_SIZE (VEO_MAX_VIDEO_SIZE / 3 * 4 + 1024 * 1024)
#define VEO_DEFAULT_POLL_MS 5000
#define VEO_DEFAULT_REGION "us-central1"

struct _ReelVeo
{
  ReelProvider parent_instance;

  guint poll_interval_ms;
  char *test_origin;   /* "scheme://host:port", tests only */
  char *project;       /* the Google Cloud project id; NULL: GOOGLE_CLOUD_PROJECT */
  char *region;        /* "us-central1" */
  char *token_command; /* a program that prints an access token, or NULL */
};

/* The token the command printed last, for every Veo of the process: a token lasts about an
 * hour, and gcloud takes a second or two. Forgotten when Google Cloud refuses it (401).
 * Main thread only. */
static char *command_token;
static char *command_token_for;   /* the command that printed it */

G_DEFINE_FINAL_TYPE (ReelVeo, reel_veo, REEL_TYPE_PROVIDER)

void
reel_veo_set_poll_interval (ReelVeo *self,
                            guint    milliseconds)
{
  g_return_if_fail (REEL_IS_VEO (self));
  self->poll_interval_ms = MAX (milliseconds, 10);
}

/**
 * reel_veo_uri_is_google:
 *
 * Whether @uri is HTTPS on googleapis.com or one of its subdomains (the Gemini API, Google
 * Cloud's regional endpoints, Google's storage), the only places the key may go.
 */
gboolean
reel_veo_uri_is_google (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  g_autofree char *host = NULL;

  if (uri == NULL)
    return FALSE;
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);
  if (parsed == NULL || g_uri_get_host (parsed) == NULL
      || g_ascii_strcasecmp (g_uri_get_scheme (parsed), "https") != 0
      || g_uri_get_userinfo (parsed) != NULL)
    return FALSE;

  host = g_ascii_strdown (g_uri_get_host (parsed), -1);
  return g_str_equal (host, "googleapis.com") || g_str_has_suffix (host, ".googleapis.com");
}

/* Only lowercase letters, digits and hyphens: what Google Cloud's project ids and
 * region names are made of, and all that may go into a host name and a path here. */
static gboolean
is_cloud_name (const char *text)
{
  return text != NULL && text[0] != '\0' && text[0] != '-'
         && strspn (text, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen (text);
}

gboolean
reel_veo_region_is_valid (const char *region)
{
  return is_cloud_name (region);
}

void
reel_veo_set_project (ReelVeo    *self,
                      const char *project)
{
  g_return_if_fail (REEL_IS_VEO (self));

  g_free (self->project);
  self->project = project != NULL && project[0] != '\0' ? g_strstrip (g_strdup (project)) : NULL;
}

void
reel_veo_set_region (ReelVeo    *self,
                     const char *region)
{
  g_return_if_fail (REEL_IS_VEO (self));

  g_free (self->region);
  self->region = g_strstrip (g_strdup (region != NULL && region[0] != '\0'
                                         ? region : VEO_DEFAULT_REGION));
}

void
reel_veo_set_token_command (ReelVeo    *self,
                            const char *command)
{
  g_return_if_fail (REEL_IS_VEO (self));

  g_free (self->token_command);
  self->token_command = command != NULL && command[0] != '\0'
                          ? g_strstrip (g_strdup (command)) : NULL;
  if (self->token_command != NULL && self->token_command[0] == '\0')
    g_clear_pointer (&self->token_command, g_free);
}

static void
forget_command_token (void)
{
  if (command_token != NULL)
    memset (command_token, 0, strlen (command_token));
  g_clear_pointer (&command_token, g_free);
  g_clear_pointer (&command_token_for, g_free);
}

void
reel_veo_forget_token_for_tests (void)
{
  forget_command_token ();
}

/* The token ----------------------------------------------------------------------------------
 * The one the command prints (run without a shell, its output never logged), else the one
 * stored in the keyring or the environment like every provider's key. */

static char *
command_program (const char *command)
{
  g_auto(GStrv) argv = NULL;

  if (!g_shell_parse_argv (command, NULL, &argv, NULL))
    return g_strdup ("?");
  return g_path_get_basename (argv[0]);
}

static void
on_token_command_done (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelVeo *self = g_task_get_source_object (task);
  const char *name = reel_provider_get_display_name (REEL_PROVIDER (self));
  const char *command = g_task_get_task_data (task);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *program = command_program (command);
  g_autofree char *text = NULL;
  gsize size = 0;
  const char *data;
  char *end;

  if (!g_subprocess_communicate_finish (G_SUBPROCESS (object), result, &out, &err, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* What it wrote to stderr is not shown: it is gcloud's to say, in a terminal. */
  if (err != NULL)
    memset ((gpointer) g_bytes_get_data (err, NULL), 0, g_bytes_get_size (err));
  if (!g_subprocess_get_successful (G_SUBPROCESS (object)))
    {
      g_task_return_new_error (task, REEL_AI_ERROR, REEL_AI_ERROR_AUTH,
                               _("The command that prints %s’s access token (%s) failed. Run "
                                 "it in a terminal to see why (gcloud may need “gcloud auth "
                                 "login”), or check it in Preferences → %s."),
                               name, program, name);
      return;
    }

  data = out != NULL ? g_bytes_get_data (out, &size) : NULL;
  text = g_strndup (data != NULL ? data : "", size);
  if (data != NULL)
    memset ((gpointer) data, 0, size);
  /* The first line; a token has no spaces or control characters. */
  end = strpbrk (text, "\r\n");
  if (end != NULL)
    *end = '\0';
  g_strstrip (text);
  for (const char *c = text; *c != '\0'; c++)
    if (!g_ascii_isgraph (*c))
      {
        text[0] = '\0';
        break;
      }
  if (text[0] == '\0')
    {
      g_task_return_new_error (task, REEL_AI_ERROR, REEL_AI_ERROR_AUTH,
                               _("The command that prints %s’s access token (%s) printed "
                                 "no token. Check it in Preferences → %s."),
                               name, program, name);
      return;
    }

  forget_command_token ();
  command_token = g_strdup (text);
  command_token_for = g_strdup (command);
  memset (text, 0, strlen (text));
  g_task_return_pointer (task, g_strdup (command_token), g_free);
}

static void
on_stored_token (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *key = reel_provider_lookup_key_finish (REEL_PROVIDER (object), result, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, key, g_free);
}

/* The access token (NULL without an error: none at all). */
static void
veo_token_async (ReelVeo             *self,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) nothing = NULL;
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, veo_token_async);
  if (self->token_command == NULL)
    {
      reel_provider_lookup_key_async (REEL_PROVIDER (self), cancellable, on_stored_token,
                                      g_steal_pointer (&task));
      return;
    }
  if (command_token != NULL && g_strcmp0 (command_token_for, self->token_command) == 0)
    {
      g_task_return_pointer (task, g_strdup (command_token), g_free);
      return;
    }

  g_task_set_task_data (task, g_strdup (self->token_command), g_free);
  /* Split like a shell would, but no shell runs it. */
  if (!g_shell_parse_argv (self->token_command, NULL, &argv, &error)
      || (process = g_subprocess_newv ((const char * const *) argv,
                                       G_SUBPROCESS_FLAGS_STDIN_PIPE
                                       | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                       | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error)) == NULL)
    {
      const char *name = reel_provider_get_display_name (REEL_PROVIDER (self));
      g_autofree char *program = command_program (self->token_command);

      g_task_return_new_error (task, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG,
                               _("The command that prints %s’s access token (%s) could not "
                                 "be run (%s). Install the Google Cloud CLI, or check the "
                                 "command in Preferences → %s."),
                               name, program, error->message, name);
      return;
    }
  /* Nothing on its stdin: a command that would ask a question gets an end of file. */
  nothing = g_bytes_new_static ("", 0);
  g_subprocess_communicate_async (process, nothing, cancellable, on_token_command_done,
                                  g_steal_pointer (&task));
}

static char *
veo_token_finish (ReelVeo       *self,
                  GAsyncResult  *result,
                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
reel_veo_trust_origin_for_tests (ReelVeo    *self,
                                 const char *origin)
{
  g_return_if_fail (REEL_IS_VEO (self));

  g_free (self->test_origin);
  self->test_origin = g_strdup (origin);
}

static gboolean
same_origin (const char *uri,
             const char *origin)
{
  g_autoptr(GUri) a = g_uri_parse (uri, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);
  g_autoptr(GUri) b = g_uri_parse (origin, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);

  return a != NULL && b != NULL && g_uri_get_host (a) != NULL && g_uri_get_host (b) != NULL
         && g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0
         && g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0
         && g_uri_get_port (a) == g_uri_get_port (b) && g_uri_get_userinfo (a) == NULL;
}

static gboolean
origin_is_loopback (const char *origin)
{
  g_autoptr(GUri) parsed = g_uri_parse (origin, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS,
                                        NULL);
  g_autoptr(GInetAddress) address = NULL;

  if (parsed == NULL || g_uri_get_host (parsed) == NULL || g_uri_get_userinfo (parsed) != NULL)
    return FALSE;
  address = g_inet_address_new_from_string (g_uri_get_host (parsed));
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
key_may_go_to (ReelVeo    *self,
               const char *uri)
{
  return reel_veo_uri_is_google (uri)
         || (self->test_origin != NULL && same_origin (uri, self->test_origin));
}

static char *
uri_host (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);

  /* The scheme and host only: a path or a query could carry anything. */
  if (parsed == NULL || g_uri_get_host (parsed) == NULL)
    return g_strdup ("?");
  return g_strdup_printf ("%s://%s", g_uri_get_scheme (parsed), g_uri_get_host (parsed));
}

static GError *
endpoint_refused_error (ReelVeo *self)
{
  ReelProvider *provider = REEL_PROVIDER (self);
  const char *name = reel_provider_get_display_name (provider);
  g_autofree char *host = uri_host (reel_provider_get_endpoint (provider));

  return g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_CONFIG,
                      _("%s’s key is only sent to Google’s own servers over HTTPS "
                        "(…googleapis.com), and %s is not one, so nothing was sent. Check the "
                        "address in Preferences → %s."), name, host, name);
}

/**
 * reel_veo_uri_is_vertex:
 *
 * Whether @uri is HTTPS on aiplatform.googleapis.com or a regional
 * "REGION-aiplatform.googleapis.com" (one label before googleapis.com).
 */
gboolean
reel_veo_uri_is_vertex (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  g_autofree char *host = NULL;

  if (!reel_veo_uri_is_google (uri))
    return FALSE;
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);
  host = g_ascii_strdown (g_uri_get_host (parsed), -1);
  return g_str_equal (host, "aiplatform.googleapis.com")
         || (g_str_has_suffix (host, "-aiplatform.googleapis.com")
             && strchr (host, '.') == host + strlen (host) - strlen (".googleapis.com"));
}

static const char *
veo_project (ReelVeo *self)
{
  return self->project != NULL ? self->project : g_getenv ("GOOGLE_CLOUD_PROJECT");
}

/* The model's address on Google Cloud, "{base}/v1/projects/{p}/locations/{r}/publishers/
 * google/models/{model}", or NULL and a message saying what to set. The base is the
 * region's own host unless Preferences name another of Google's (or a test its server). */
static char *
veo_model_url (ReelVeo  *self,
               GError  **error)
{
  ReelProvider *provider = REEL_PROVIDER (self);
  const char *name = reel_provider_get_display_name (provider);
  const char *endpoint = reel_provider_get_endpoint (provider);
  const char *project = veo_project (self);
  const char *model = reel_provider_get_model (provider);
  g_autofree char *base = NULL;

  if (project == NULL || project[0] == '\0')
    {
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG,
                   _("%s runs in a Google Cloud project, and none is set. Enter the project’s "
                     "id in Preferences → %s (or set GOOGLE_CLOUD_PROJECT)."), name, name);
      return NULL;
    }
  if (!is_cloud_name (project))
    {
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG,
                   _("“%s” is not a Google Cloud project id: those are lowercase letters, "
                     "digits and hyphens. Check the project in Preferences → %s."),
                   project, name);
      return NULL;
    }
  if (!is_cloud_name (self->region))
    {
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG,
                   _("“%s” is not a Google Cloud region, such as us-central1. Check the "
                     "region in Preferences → %s."), self->region, name);
      return NULL;
    }
  if (model == NULL || model[0] == '\0' || strstr (model, "..") != NULL
      || strspn (model, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._")
           != strlen (model))
    {
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG,
                   _("“%s” is not a model name. Check the model in Preferences → %s."),
                   model != NULL ? model : "", name);
      return NULL;
    }

  if (endpoint != NULL && endpoint[0] != '\0')
    {
      /* Vertex AI's hosts only: the Gemini API (the old default) has no Veo any more. */
      if (!(self->test_origin != NULL && same_origin (endpoint, self->test_origin))
          && !reel_veo_uri_is_vertex (endpoint))
        {
          g_autofree char *host = uri_host (endpoint);

          g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG,
                       _("%s runs on Google Cloud’s Vertex AI (https://REGION-aiplatform."
                         "googleapis.com), and %s is not it, so nothing was sent. Leave the "
                         "address in Preferences → %s empty to use the region’s own."),
                       name, host, name);
          return NULL;
        }
      base = g_strdup (endpoint);
    }
  else
    {
      base = g_strdup_printf ("https://%s-aiplatform.googleapis.com", self->region);
    }

  return g_strdup_printf ("%s/v1/projects/%s/locations/%s/publishers/google/models/%s", base,
                          project, self->region, model);
}

/* What frames the clip is held to. Veo takes a first frame (the shot's background, else
 * its drawing) and then optionally the frame it should end on; or, without a first frame,
 * up to three "asset" reference images (the project's look) but then neither frame. */
typedef enum
{
  VEO_LAST_FRAME_NONE,
  VEO_LAST_FRAME_NEXT_SHOT,   /* the next shot's background */
  VEO_LAST_FRAME_END_CAMERA,  /* the gray-box seen from where the camera move ends */
} VeoLastFrame;

static ReelAsset *
veo_first_frame (ReelGenerationRequest *request)
{
  ReelAsset *image = request->background != NULL ? request->background : request->sketch;

  return image != NULL && !reel_asset_is_video (image) ? image : NULL;
}

static gboolean
made_by_greybox (ReelAsset *asset)
{
  const ReelGenerationRecord *record = reel_asset_get_generation (asset);

  return record != NULL && g_strcmp0 (record->provider, "greybox") == 0;
}

static VeoLastFrame
veo_choose_last_frame (ReelGenerationRequest *request)
{
  ReelAsset *first = veo_first_frame (request);

  if (first == NULL)
    return VEO_LAST_FRAME_NONE;
  if (request->last_frame != NULL && !reel_asset_is_video (request->last_frame))
    return VEO_LAST_FRAME_NEXT_SHOT;
  /* The gray-box's end view only ends a clip that starts in the gray-box: a painted first
   * frame would otherwise turn grey on the way. */
  if (request->camera != NULL && request->camera->moves && made_by_greybox (first))
    return VEO_LAST_FRAME_END_CAMERA;
  return VEO_LAST_FRAME_NONE;
}

static gboolean
veo_uses_look (ReelGenerationRequest *request)
{
  return veo_first_frame (request) == NULL && request->look != NULL
         && !reel_asset_is_video (request->look);
}

typedef struct
{
  ReelGenerationRequest *request;
  ReelGenerationProgressFunc progress;
  gpointer progress_data;
  char *key;
  char *model_url;
  char *start_url;
  char *operation;
  gboolean polling;
  ReelHttpRequest *http;
  JsonObject *parameters;
  gint64 started_us;
  guint polls;
  ReelProviderPoll poll;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_clear_pointer (&job->request, reel_generation_request_unref);
  if (job->key != NULL)
    memset (job->key, 0, strlen (job->key));
  g_free (job->key);
  g_free (job->model_url);
  g_free (job->start_url);
  g_free (job->operation);
  g_clear_object (&job->http);
  g_clear_pointer (&job->parameters, json_object_unref);
  reel_provider_poll_clear (&job->poll);
  g_free (job);
}

static void
report (Job        *job,
        const char *status)
{
  if (job->progress != NULL)
    job->progress (-1, status, job->progress_data);
}

static void
send_request (GTask               *task,
              ReelHttpRequest     *http,
              GAsyncReadyCallback  callback)
{
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autofree char *auth = NULL;

  g_set_object (&job->http, http);
  if (!key_may_go_to (REEL_VEO (provider), reel_http_request_get_url (http)))
    {
      g_task_return_error (task, endpoint_refused_error (REEL_VEO (provider)));
      return;
    }
  auth = g_strconcat ("Bearer ", job->key, NULL);
  reel_http_request_add_secret_header (http, "Authorization", auth);
  memset (auth, 0, strlen (auth));
  reel_http_client_send_async (reel_provider_get_http_client (provider), http,
                               g_task_get_cancellable (task), callback, g_object_ref (task));
}

/* What Google Cloud's error answer {"error":{"code","message","status"}} means here. An
 * access token lasts about an hour, so a refused one is the usual failure: say how to get
 * a new one. @polling: a 404 then is about the operation, not the model. */
static GError *
veo_error_from_response (ReelVeo          *self,
                         ReelHttpRequest  *request,
                         const char       *key,
                         gboolean          polling,
                         ReelHttpResponse *response)
{
  ReelProvider *provider = REEL_PROVIDER (self);
  const char *name = reel_provider_get_display_name (provider);
  guint status = reel_http_response_get_status (response);
  g_autoptr(JsonNode) root = NULL;
  const char *rpc_status;
  g_autofree char *message = NULL;

  if (status != 401 && status != 403 && !(polling && status == 404))
    return reel_gemini_error_from_response (provider, request, key, response);

  root = reel_http_response_parse_json (response, NULL);
  reel_google_error_read (root, request, key, &rpc_status, &message);

  if (status == 404)
    return reel_provider_status_error (provider, status, message);
  if ((status == 401 || g_strcmp0 (rpc_status, "UNAUTHENTICATED") == 0)
      && self->token_command != NULL)
    {
      /* The next request asks the command for a fresh one. */
      if (command_token != NULL && key != NULL && g_str_equal (command_token, key))
        forget_command_token ();
      return g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_AUTH,
                          _("Google Cloud did not accept the access token the command printed "
                            "for %s: it may have expired. Try again, and Storyreel asks the "
                            "command for a new one."), name);
    }
  if (status == 401 || g_strcmp0 (rpc_status, "UNAUTHENTICATED") == 0)
    return g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_AUTH,
                        _("Google Cloud did not accept the access token for %s: it has "
                          "expired (they last about an hour) or is not one. Make a new one "
                          "with “gcloud auth print-access-token” and enter it in "
                          "Preferences → %s."), name, name);
  return g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_AUTH,
                      _("Google Cloud refused %s in project “%s” (%s). The account of the "
                        "access token needs the Vertex AI User role in that project, and the "
                        "project needs the Vertex AI API turned on. Check the project in "
                        "Preferences → %s."),
                      name, veo_project (self) != NULL ? veo_project (self) : "",
                      message != NULL ? message : rpc_status != NULL ? rpc_status
                                                                     : "PERMISSION_DENIED",
                      name);
}

/* The response of a step: an error for the task, or NULL and the JSON. */
static JsonNode *
step_json (GTask        *task,
           GObject      *client,
           GAsyncResult *result)
{
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (client), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }
  if (!reel_http_response_is_success (response))
    {
      g_task_return_error (task, veo_error_from_response (REEL_VEO (provider), job->http,
                                                          job->key, job->polling, response));
      return NULL;
    }

  root = reel_http_response_parse_json (response, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      if (error == NULL)
        error = g_error_new (REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                             _("%s sent an answer that is not what its protocol promises. Check "
                               "the address in Preferences."),
                             reel_provider_get_display_name (provider));
      g_clear_pointer (&root, json_node_unref);
      g_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }

  return root;
}

/* The clip is here: check that it is one and keep it with the record of what made it. */
static void
finish_clip (GTask  *task,
             GBytes *body)
{
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(ReelGenerationRecord) record = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  gsize size = 0;
  const guint8 *data;
  const char *mime_type = REEL_MIME_MP4;
  int width = 1280;
  int height = 720;

  data = g_bytes_get_data (body, &size);
  /* An MP4 has "ftyp" at offset 4; WebM starts with the EBML magic. */
  if (size >= 12 && memcmp (data + 4, "ftyp", 4) == 0)
    mime_type = REEL_MIME_MP4;
  else if (size >= 4 && memcmp (data, "\x1a\x45\xdf\xa3", 4) == 0)
    mime_type = REEL_MIME_WEBM;
  else
    {
      g_task_return_new_error (task, REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                               _("%s sent something that is not a video. Try again."),
                               reel_provider_get_display_name (provider));
      return;
    }

  if (job->request->aspect_ratio < 1.0)
    {
      width = 720;
      height = 1280;
    }

  record = reel_provider_new_record (provider, job->request, job->start_url, -1,
                                     job->parameters, job->started_us);
  if (veo_choose_last_frame (job->request) == VEO_LAST_FRAME_NEXT_SHOT)
    {
      g_autoptr(GStrvBuilder) hashes = g_strv_builder_new ();

      if (record->input_hashes != NULL)
        g_strv_builder_addv (hashes, (const char **) record->input_hashes);
      g_strv_builder_add (hashes, reel_asset_get_hash (job->request->last_frame));
      g_strfreev (record->input_hashes);
      record->input_hashes = g_strv_builder_end (hashes);
    }
  assets = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (assets, reel_asset_new_video (body, mime_type, width, height, record));
  g_task_return_pointer (task, g_steal_pointer (&assets), (GDestroyNotify) g_ptr_array_unref);
}

/* Pure: what a fetchPredictOperation answer says. FALSE with @error for an operation that
 * failed, was blocked or ended without a clip (or with one in Cloud Storage only); else TRUE,
 * and *@done with the clip's bytes in *@video (transfer full) once it is ready. @key is
 * scrubbed from the service's messages. The fuzzer in tests/fuzz feeds it. */
gboolean
reel_veo_parse_operation (JsonObject  *operation,
                          const char  *display_name,
                          const char  *key,
                          gboolean    *done,
                          GBytes     **video,
                          GError     **error)
{
  JsonObject *failure;
  JsonObject *response;
  JsonObject *clip;
  const char *data;

  *done = FALSE;
  *video = NULL;

  if (!reel_json_get_boolean (operation, "done", FALSE))
    return TRUE;

  failure = reel_json_get_object (operation, "error");
  if (failure != NULL)
    {
      g_autofree char *message = reel_keys_scrub (reel_json_get_string (failure, "message"),
                                                  key);

      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_FAILED,
                   _("%s could not make the clip (%s). Change the prompt and try again."),
                   display_name, message != NULL ? message : "?");
      return FALSE;
    }

  response = reel_json_get_object (operation, "response");
  clip = reel_json_array_get_object (reel_json_get_array (response, "videos"), 0);
  if (clip == NULL && reel_json_get_int (response, "raiMediaFilteredCount", 0) > 0)
    {
      /* The service's words, like its error messages: never with the key in them. */
      g_autofree char *reason = reel_keys_scrub (reel_json_array_get_string (
        reel_json_get_array (response, "raiMediaFilteredReasons"), 0), key);

      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_BLOCKED,
                   _("%s blocked the clip (%s). Change the prompt or the reference "
                     "image and try again."),
                   display_name, reason != NULL ? reason : "SAFETY");
      return FALSE;
    }

  data = reel_json_get_string (clip, "bytesBase64Encoded");
  if (data == NULL && reel_json_get_string (clip, "gcsUri") != NULL)
    {
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NOT_SUPPORTED,
                   _("%s put the clip in Cloud Storage, which Storyreel does not read. The "
                     "clip is in the bucket; to get clips back in Storyreel, remove the "
                     "storage address from the project’s Veo settings on Google Cloud."),
                   display_name);
      return FALSE;
    }
  if (data == NULL)
    {
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_NO_IMAGE,
                   _("%s finished without a clip. Try again, or change the prompt."),
                   display_name);
      return FALSE;
    }

  *video = reel_provider_decode_base64 (data, strlen (data));
  if (*video == NULL)
    {
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                   _("%s sent something that is not a video. Try again."), display_name);
      return FALSE;
    }
  *done = TRUE;
  return TRUE;
}

/* Pure: the operation name of a predictLongRunning answer, or NULL and @error. It goes
 * into a URL path: only the characters an operation name has. */
const char *
reel_veo_parse_operation_name (JsonObject  *answer,
                               const char  *display_name,
                               GError     **error)
{
  const char *name = reel_json_get_string (answer, "name");

  if (name == NULL || name[0] == '\0' || strstr (name, "..") != NULL
      || strspn (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._/")
           != strlen (name))
    {
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_BAD_RESPONSE,
                   _("%s sent an answer that is not what its protocol promises. "
                     "Check the address in Preferences."),
                   display_name);
      return NULL;
    }

  return name;
}

static void poll_operation (GTask    *task,
                            gpointer  data);

static void
on_polled (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelVeo *self = g_task_get_source_object (task);
  ReelProvider *provider = REEL_PROVIDER (self);
  Job *job = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = step_json (task, object, result);
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GBytes) video = NULL;
  gboolean done = FALSE;

  if (root == NULL)
    return;

  if (!reel_veo_parse_operation (json_node_get_object (root),
                                 reel_provider_get_display_name (provider), job->key, &done,
                                 &video, &parse_error))
    {
      g_task_return_error (task, g_steal_pointer (&parse_error));
      return;
    }
  if (!done)
    {
      g_autofree char *status = NULL;
      guint seconds = job->polls * self->poll_interval_ms / 1000;

      if (g_task_return_error_if_cancelled (task))
        return;

      /* Translators: progress of a video being made; %u is seconds */
      status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Making the clip (%u second)",
                                             "Making the clip (%u seconds)", seconds), seconds);
      report (job, status);
      reel_provider_poll_schedule (&job->poll, task, self->poll_interval_ms, 0, poll_operation,
                                   NULL, NULL);
      return;
    }

  finish_clip (task, video);
}

/* Vertex AI polls a Veo operation through the model: POST …:fetchPredictOperation with
 * the operation's name in the body. */
static void
poll_operation (GTask    *task,
                gpointer  data)
{
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autofree char *url = NULL;
  g_autoptr(ReelHttpRequest) poll = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  gsize length = 0;
  char *text;

  if (g_task_return_error_if_cancelled (task))
    return;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "operationName");
  json_builder_add_string_value (builder, job->operation);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  body = g_bytes_new_take (text, length);

  job->polls++;
  job->polling = TRUE;
  url = g_strconcat (job->model_url, ":fetchPredictOperation", NULL);
  poll = reel_provider_new_request (provider, "POST", url);
  reel_http_request_set_body (poll, "application/json", body);
  reel_http_request_set_idle_timeout (poll, 60000);
  reel_http_request_set_max_response_size (poll, VEO_MAX_ANSWER_SIZE);
  send_request (task, poll, on_polled);
}

static void
on_started (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = step_json (task, object, result);
  g_autoptr(GError) error = NULL;
  const char *name;

  if (root == NULL)
    return;

  name = reel_veo_parse_operation_name (json_node_get_object (root),
                                        reel_provider_get_display_name (provider), &error);
  if (name == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  job->operation = g_strdup (name);
  report (job, _("Making the clip"));
  poll_operation (task, NULL);
}

typedef struct
{
  ReelGenerationRequest *request;
  char *aspect;
  VeoLastFrame last_frame;
} BodyInput;

static void
body_input_free (gpointer data)
{
  BodyInput *input = data;

  g_clear_pointer (&input->request, reel_generation_request_unref);
  g_free (input->aspect);
  g_free (input);
}

/* {"bytesBase64Encoded": …, "mimeType": …} as member @name (NULL: as an array element). */
static void
add_image (JsonBuilder *builder,
           const char  *name,
           GBytes      *data,
           const char  *mime_type)
{
  gsize size = 0;
  const guchar *bytes = g_bytes_get_data (data, &size);
  g_autofree char *encoded = g_base64_encode (bytes, size);

  if (name != NULL)
    json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "bytesBase64Encoded");
  json_builder_add_string_value (builder, encoded);
  json_builder_set_member_name (builder, "mimeType");
  json_builder_add_string_value (builder, mime_type);
  json_builder_end_object (builder);
}

static GBytes *
render_end_camera (ReelGenerationRequest *request)
{
  g_autoptr(ReelGenerationRequest) end = reel_generation_request_copy (request);

  g_clear_pointer (&end->camera, reel_shot_camera_free);
  end->camera = reel_shot_camera_new (&request->camera->end);
  return reel_greybox_render_png (end, (guint32) MAX (request->seed, 0));
}

static gpointer
build_body (gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  BodyInput *input = data;
  ReelGenerationRequest *request = input->request;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  ReelAsset *first = veo_first_frame (request);
  /* Read for this request only: the assets do not keep them. */
  g_autoptr(GBytes) first_data = NULL;
  g_autoptr(GBytes) last_data = NULL;
  g_autoptr(GBytes) look_data = NULL;
  gsize length = 0;
  char *text;

  if (first != NULL && (first_data = reel_asset_dup_data (first, cancellable, error)) == NULL)
    return NULL;
  if (input->last_frame == VEO_LAST_FRAME_NEXT_SHOT
      && (last_data = reel_asset_dup_data (request->last_frame, cancellable, error)) == NULL)
    return NULL;
  if (veo_uses_look (request)
      && (look_data = reel_asset_dup_data (request->look, cancellable, error)) == NULL)
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "instances");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, request->prompt);
  if (first != NULL)
    add_image (builder, "image", first_data, reel_asset_get_mime_type (first));
  if (input->last_frame == VEO_LAST_FRAME_NEXT_SHOT)
    {
      add_image (builder, "lastFrame", last_data,
                 reel_asset_get_mime_type (request->last_frame));
    }
  else if (input->last_frame == VEO_LAST_FRAME_END_CAMERA)
    {
      g_autoptr(GBytes) png = render_end_camera (request);

      if (png != NULL)
        add_image (builder, "lastFrame", png, "image/png");
    }
  if (veo_uses_look (request))
    {
      json_builder_set_member_name (builder, "referenceImages");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      add_image (builder, "image", look_data, reel_asset_get_mime_type (request->look));
      json_builder_set_member_name (builder, "referenceType");
      json_builder_add_string_value (builder, "asset");
      json_builder_end_object (builder);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "parameters");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "aspectRatio");
  json_builder_add_string_value (builder, input->aspect);
  json_builder_set_member_name (builder, "resolution");
  json_builder_add_string_value (builder, "720p");
  json_builder_set_member_name (builder, "durationSeconds");
  json_builder_add_int_value (builder, 8);
  if (request->negative_prompt != NULL && request->negative_prompt[0] != '\0')
    {
      json_builder_set_member_name (builder, "negativePrompt");
      json_builder_add_string_value (builder, request->negative_prompt);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

static void
on_body_built (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(ReelHttpRequest) start = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = reel_provider_run_in_thread_finish (result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  start = reel_provider_new_request (provider, "POST", job->start_url);
  reel_http_request_set_body (start, "application/json", body);
  send_request (task, start, on_started);
}

static void
on_key (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelProvider *provider = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  BodyInput *input;
  const char *aspect = job->request->aspect_ratio < 1.0 ? "9:16" : "16:9";

  job->key = veo_token_finish (REEL_VEO (provider), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (job->key == NULL)
    {
      g_task_return_error (task, reel_provider_no_key_error (provider));
      return;
    }

  job->model_url = veo_model_url (REEL_VEO (provider), &error);
  if (job->model_url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job->start_url = g_strconcat (job->model_url, ":predictLongRunning", NULL);
  job->parameters = json_object_new ();
  json_object_set_string_member (job->parameters, "aspectRatio", aspect);
  json_object_set_string_member (job->parameters, "resolution", "720p");
  json_object_set_int_member (job->parameters, "durationSeconds", 8);

  input = g_new0 (BodyInput, 1);
  input->request = reel_generation_request_ref (job->request);
  input->aspect = g_strdup (aspect);
  input->last_frame = veo_choose_last_frame (job->request);
  /* The record says what held the clip: the next shot's picture is an input of its own. */
  if (input->last_frame == VEO_LAST_FRAME_NEXT_SHOT)
    json_object_set_string_member (job->parameters, "lastFrame", "next-shot");
  else if (input->last_frame == VEO_LAST_FRAME_END_CAMERA)
    json_object_set_string_member (job->parameters, "lastFrame", "end-camera");
  if (veo_uses_look (job->request))
    json_object_set_string_member (job->parameters, "referenceImages", "look");
  reel_provider_run_in_thread (build_body, input, body_input_free,
                               (GDestroyNotify) g_bytes_unref, g_task_get_cancellable (task),
                               on_body_built, g_object_ref (task));
}

static void
reel_veo_generate_async (ReelProvider               *provider,
                         ReelGenerationRequest      *request,
                         ReelGenerationProgressFunc  progress,
                         gpointer                    progress_data,
                         GCancellable               *cancellable,
                         GAsyncReadyCallback         callback,
                         gpointer                    user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  g_task_set_source_tag (task, reel_veo_generate_async);

  job->request = reel_generation_request_ref (request);
  job->progress = progress;
  job->progress_data = progress_data;
  job->started_us = g_get_monotonic_time ();
  g_task_set_task_data (task, job, job_free);

  report (job, _("Waiting for Google Veo"));
  veo_token_async (REEL_VEO (provider), cancellable, on_key, g_steal_pointer (&task));
}

static GPtrArray *
reel_veo_generate_finish (ReelProvider  *provider,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* "Test connection": GET /v1/publishers/google/models/{model} on the region's host (Vertex
 * AI's publishers.models.get) proves the token and the model's name; the project is only
 * proven by a clip. */
typedef struct
{
  char *key;
  ReelHttpRequest *http;
} CheckJob;

static void
check_job_free (gpointer data)
{
  CheckJob *job = data;

  if (job->key != NULL)
    memset (job->key, 0, strlen (job->key));
  g_free (job->key);
  g_clear_object (&job->http);
  g_free (job);
}

static void
on_check_sent (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelVeo *self = g_task_get_source_object (task);
  ReelProvider *provider = REEL_PROVIDER (self);
  CheckJob *job = g_task_get_task_data (task);
  g_autoptr(ReelHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = reel_http_client_send_finish (REEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!reel_http_response_is_success (response))
    {
      g_task_return_error (task, veo_error_from_response (self, job->http, job->key, FALSE,
                                                          response));
      return;
    }

  g_task_return_pointer (task,
                         g_strdup_printf (_("Google Cloud accepted the access token, and "
                                            "offers %s in %s."),
                                          reel_provider_get_model (provider), self->region),
                         g_free);
}

static void
on_check_key (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReelVeo *self = g_task_get_source_object (task);
  ReelProvider *provider = REEL_PROVIDER (self);
  CheckJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *model_url = NULL;
  g_autofree char *url = NULL;
  g_autofree char *auth = NULL;
  const char *models;

  job->key = veo_token_finish (self, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (job->key == NULL)
    {
      g_task_return_error (task, reel_provider_no_key_error (provider));
      return;
    }
  model_url = veo_model_url (self, &error);
  if (model_url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* "{base}/v1/projects/…/publishers/google/models/M" → "{base}/v1/publishers/google/models/M". */
  models = strstr (model_url, "/publishers/google/models/");
  url = g_strdup_printf ("%.*s/v1%s", (int) (strstr (model_url, "/v1/projects/") - model_url),
                         model_url, models);
  job->http = reel_provider_new_request (provider, "GET", url);
  if (!key_may_go_to (self, url))
    {
      g_task_return_error (task, endpoint_refused_error (self));
      return;
    }
  auth = g_strconcat ("Bearer ", job->key, NULL);
  reel_http_request_add_secret_header (job->http, "Authorization", auth);
  memset (auth, 0, strlen (auth));
  reel_http_request_set_idle_timeout (job->http, 20000);
  reel_http_client_send_async (reel_provider_get_http_client (provider), job->http,
                               g_task_get_cancellable (task), on_check_sent,
                               g_object_ref (task));
}

static void
reel_veo_check_async (ReelProvider        *provider,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);

  g_task_set_source_tag (task, reel_veo_check_async);
  g_task_set_task_data (task, g_new0 (CheckJob, 1), check_job_free);
  veo_token_async (REEL_VEO (provider), cancellable, on_check_key, g_steal_pointer (&task));
}

static char *
reel_veo_check_finish (ReelProvider  *provider,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Vertex AI has no plain list of the models a publisher offers in a region (only a v1beta1
 * listing of all of Model Garden), so the list is the Veo ids of the table in reel-models.c,
 * each checked against Google Cloud's documentation. Nothing is sent. */
static void
reel_veo_list_models_async (ReelProvider        *provider,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  const ReelModelDefault *defaults;
  guint n_defaults = 0;

  g_task_set_source_tag (task, reel_veo_list_models_async);
  defaults = reel_models_list_defaults (&n_defaults);
  for (guint i = 0; i < n_defaults; i++)
    if (g_str_equal (defaults[i].provider, "veo"))
      g_ptr_array_add (ids, g_strdup (defaults[i].model));
  g_ptr_array_sort (ids, compare_ids);
  g_ptr_array_add (ids, NULL);
  g_task_return_pointer (task, g_ptr_array_steal (ids, NULL), (GDestroyNotify) g_strfreev);
}

static GStrv
reel_veo_list_models_finish (ReelProvider  *provider,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
reel_veo_apply_settings (ReelProvider *provider,
                         GSettings    *settings)
{
  ReelVeo *self = REEL_VEO (provider);
  g_autoptr(GSettingsSchema) schema = NULL;

  REEL_PROVIDER_CLASS (reel_veo_parent_class)->apply_settings (provider, settings);

  g_object_get (settings, "settings-schema", &schema, NULL);
  if (g_settings_schema_has_key (schema, "veo-project"))
    {
      g_autofree char *project = g_settings_get_string (settings, "veo-project");

      reel_veo_set_project (self, project);
    }
  if (g_settings_schema_has_key (schema, "veo-token-command"))
    {
      g_autofree char *command = g_settings_get_string (settings, "veo-token-command");

      reel_veo_set_token_command (self, command);
    }
  if (g_settings_schema_has_key (schema, "veo-region"))
    {
      g_autofree char *region = g_settings_get_string (settings, "veo-region");

      reel_veo_set_region (self, region);
    }
}

static void
reel_veo_finalize (GObject *object)
{
  g_free (REEL_VEO (object)->test_origin);
  g_free (REEL_VEO (object)->project);
  g_free (REEL_VEO (object)->region);
  g_free (REEL_VEO (object)->token_command);

  G_OBJECT_CLASS (reel_veo_parent_class)->finalize (object);
}

static void
reel_veo_class_init (ReelVeoClass *klass)
{
  ReelProviderClass *provider_class = REEL_PROVIDER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = reel_veo_finalize;

  provider_class->id = "veo";
  provider_class->display_name = N_("Google Veo");
  provider_class->capabilities = REEL_GENERATOR_VIDEO | REEL_GENERATOR_NEEDS_KEY;
  /* None: the region's own host (see veo_model_url()). */
  provider_class->default_endpoint = NULL;
  provider_class->apply_settings = reel_veo_apply_settings;
  provider_class->default_model = reel_models_get_default ("veo", NULL);
  provider_class->generate_async = reel_veo_generate_async;
  provider_class->generate_finish = reel_veo_generate_finish;
  provider_class->check_async = reel_veo_check_async;
  provider_class->check_finish = reel_veo_check_finish;
  provider_class->list_models_async = reel_veo_list_models_async;
  provider_class->list_models_finish = reel_veo_list_models_finish;
}

static void
reel_veo_init (ReelVeo *self)
{
  const char *origin = g_getenv ("STORYREEL_VEO_TEST_ORIGIN");

  self->poll_interval_ms = VEO_DEFAULT_POLL_MS;
  self->region = g_strdup (VEO_DEFAULT_REGION);
  /* The tests that drive the program itself against the fake server; the key may only go
   * to this machine that way, never to another host. */
  if (origin != NULL && origin_is_loopback (origin))
    self->test_origin = g_strdup (origin);
}
