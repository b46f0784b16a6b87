/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ai/reel-ai-error.h"
#include "ai/reel-comfyui-farm.h"
#include "ai/reel-comfyui-watch.h"
#include "ai/reel-comfyui.h"

G_BEGIN_DECLS

/* Shared by the parts of the ComfyUI provider: reel-comfyui.c (the class, templates, the
 * start of a job), reel-comfyui-job.c, -schedule.c, -upload.c, -prompt.c, -progress.c,
 * -cancel.c and -check.c. Not installed. */

/* How often /history is asked while /ws is open: only in case an event was lost. */
#define WS_POLL_MS      2000
#define RESOURCE_PATH "/io/github/storyreel/Storyreel/workflows/"

GResource *reel_ai_workflows_get_resource (void);

struct _ReelComfyui
{
  ReelProvider parent_instance;

  GStrv servers;
  char *text_to_image;
  char *image_to_image;
  char *image_to_video;
  guint poll_interval_ms;
  guint vanish_timeout_ms;
  guint slots;
};

/* The job --------------------------------------------------------------------------------- */

/* The farm: one unit per image ------------------------------------------------------------
 *
 * A job asks for N images; each is a unit of its own, placed on the server with the most
 * free capacity when it is its turn (the farm's table says what every server holds: its
 * own queue at the last look and what this process sent there). A unit whose server
 * refuses or stops answering marks that server offline and goes back to the line, once;
 * a second failure fails the job. */

#define FARM_PROBE_MAX_AGE_US (1 * G_USEC_PER_SEC)
#define FARM_OFFLINE_US       (60 * G_USEC_PER_SEC)
#define FARM_MAX_TRIES        2

typedef enum
{
  UNIT_WAITING,
  UNIT_ACTIVE,
  UNIT_DONE,
} UnitState;

typedef struct
{
  GTask *task;                      /* transfer none: the task owns the unit */
  guint index;
  gint64 seed;
  UnitState state;
  guint tries;
  ReelComfyuiServer *server;        /* while active: counted in its in_flight */
  ReelComfyuiServer *failed_on;     /* where it failed last, not to be tried again */
  char *prompt_id;                  /* once queued */
  gint64 last_seen_us;              /* when the server last showed the prompt */
  ReelProviderPoll poll;            /* the wait before the next look at /history */
  const char *uploading;            /* the placeholder of the image on its way */
  gboolean wake;                    /* /ws said it is done: ask /history at once */
  gboolean polling;                 /* a /history or /queue request is on its way */
  double fraction;                  /* of the running prompt, from /ws; -1 unknown */
  char *node;                       /* the node running, from /ws */
  guint outputs_pending;
  GPtrArray *assets;
} Unit;

/* An image the template takes, uploaded to each server that runs one of the job's units. */
typedef struct
{
  const char *placeholder;   /* "input_image", "depth_image" */
  char *filename;
  const char *mime_type;
  GBytes *data;
} Upload;

typedef struct
{
  ReelGenerationRequest *request;
  ReelGenerationProgressFunc progress;
  gpointer progress_data;
  char *key;
  GPtrArray *servers;        /* ReelComfyuiServer, transfer none */
  guint probes_pending;
  GError *first_error;
  char *template_path;       /* the user's file, or NULL for the built-in one */
  const char *template_name; /* for the record */
  char *template_text;
  ReelComfyuiTemplateInfo *info;
  ReelAsset *init_image;
  GPtrArray *uploads;        /* Upload: the images the template takes */
  GHashTable *uploaded;      /* server url → (placeholder → name of the image there) */
  double denoise;
  /* A moving background: the template makes a clip from the shot's background. */
  gboolean video;
  GPtrArray *units;          /* Unit, in order */
  GHashTable *node_classes;  /* node id of the workflow → its class_type */
  guint done;
  ReelProviderPoll wait;     /* every server full: the wait before looking again */
  GSource *cancel_source;
  gulong cancelled_id;
  GCancellable *cancellable;
  gint64 started_us;
  ReelComfyui *self;
} Job;

typedef void (*UnitFunc) (GTask            *task,
                          Unit             *unit,
                          ReelHttpResponse *response);

/* reel-comfyui-job.c */
gboolean         reel_comfyui_task_returned       (GTask *task);
void             reel_comfyui_return_error        (GTask  *task,
                                                   GError *error);
void             reel_comfyui_return_new_error    (GTask      *task,
                                                   ReelAiError code,
                                                   const char *format,
                                                   ...) G_GNUC_PRINTF (3, 4);
gboolean         reel_comfyui_return_if_cancelled (GTask *task);
void             reel_comfyui_return_pointer      (GTask          *task,
                                                   gpointer        result,
                                                   GDestroyNotify  result_destroy);
void             reel_comfyui_upload_free         (gpointer data);
void             reel_comfyui_unit_free           (gpointer data);
void             reel_comfyui_unit_release        (Unit *unit);
void             reel_comfyui_job_free            (gpointer data);
const char      *reel_comfyui_display_name        (GTask *task);
char            *reel_comfyui_server_host         (const char *url);
void             reel_comfyui_report              (Job        *job,
                                                   double      fraction,
                                                   const char *status);
ReelHttpRequest *reel_comfyui_provider_request    (ReelProvider *provider,
                                                   const char   *key,
                                                   const char   *method,
                                                   const char   *server,
                                                   const char   *path);
ReelHttpRequest *reel_comfyui_job_request         (GTask      *task,
                                                   const char *method,
                                                   const char *server,
                                                   const char *path);
void             reel_comfyui_job_fail            (GTask  *task,
                                                   GError *error);
void             reel_comfyui_job_finish_if_done  (GTask *task);
void             reel_comfyui_unit_send           (GTask           *task,
                                                   Unit            *unit,
                                                   ReelHttpRequest *http,
                                                   UnitFunc         func);

/* reel-comfyui-cancel.c */
void reel_comfyui_cancel_active_units (GTask *task);
void reel_comfyui_on_cancelled        (GCancellable *cancellable,
                                       gpointer      user_data);

/* reel-comfyui-schedule.c */
void reel_comfyui_server_take_queue (ReelComfyuiServer *server,
                                     JsonNode          *root);
void reel_comfyui_job_pump          (GTask *task);

/* reel-comfyui-prompt.c */
gboolean reel_comfyui_unit_poll  (GTask  *task,
                                  Unit   *unit,
                                  gint64  deadline_us);
void     reel_comfyui_unit_queue (GTask *task,
                                  Unit  *unit);

/* reel-comfyui-upload.c */
void reel_comfyui_unit_upload_next (GTask *task,
                                    Unit  *unit);

/* reel-comfyui-progress.c */
void reel_comfyui_unit_watch (GTask *task,
                              Unit  *unit);

/* reel-comfyui-check.c */
void  reel_comfyui_check_async  (ReelProvider        *provider,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
char *reel_comfyui_check_finish (ReelProvider  *provider,
                                 GAsyncResult  *result,
                                 GError       **error);

G_END_DECLS
