/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * ReelComfyuiEventType:
 * @REEL_COMFYUI_EVENT_OTHER: a message Storyreel does not use (status, crystools, …)
 * @REEL_COMFYUI_EVENT_EXECUTION_START: a prompt started
 * @REEL_COMFYUI_EVENT_PROGRESS: a step of a node: @value of @max
 * @REEL_COMFYUI_EVENT_EXECUTING: @node runs now; @node %NULL when the prompt is done
 * @REEL_COMFYUI_EVENT_EXECUTED: @node finished with outputs
 * @REEL_COMFYUI_EVENT_EXECUTION_ERROR: the prompt failed (@message)
 * @REEL_COMFYUI_EVENT_EXECUTION_SUCCESS: the prompt finished
 * @REEL_COMFYUI_EVENT_EXECUTION_INTERRUPTED: the prompt was interrupted
 * @REEL_COMFYUI_EVENT_PREVIEW: a binary preview image (@image, @mime_type) of the prompt
 *   running on that connection
 *
 * What ComfyUI says on /ws (the JSON messages `{"type","data"}` and the binary frames).
 */
typedef enum
{
  REEL_COMFYUI_EVENT_OTHER,
  REEL_COMFYUI_EVENT_EXECUTION_START,
  REEL_COMFYUI_EVENT_PROGRESS,
  REEL_COMFYUI_EVENT_EXECUTING,
  REEL_COMFYUI_EVENT_EXECUTED,
  REEL_COMFYUI_EVENT_EXECUTION_ERROR,
  REEL_COMFYUI_EVENT_EXECUTION_SUCCESS,
  REEL_COMFYUI_EVENT_EXECUTION_INTERRUPTED,
  REEL_COMFYUI_EVENT_PREVIEW,
} ReelComfyuiEventType;

typedef struct
{
  ReelComfyuiEventType type;
  char *prompt_id;
  char *node;
  gint64 value;
  gint64 max;
  char *message;
  GBytes *image;
  const char *mime_type;
} ReelComfyuiEvent;

/* Pure functions (the fuzzer's): FALSE for what is not a well-formed message of ComfyUI;
 * otherwise @event is filled (clear it with reel_comfyui_event_clear()). */
gboolean reel_comfyui_event_parse_text   (const char       *text,
                                          gsize             length,
                                          ReelComfyuiEvent *event);
gboolean reel_comfyui_event_parse_binary (GBytes           *data,
                                          ReelComfyuiEvent *event);
void     reel_comfyui_event_clear        (ReelComfyuiEvent *event);

/**
 * ReelComfyuiHistory:
 * @found: the history holds the prompt (otherwise it is queued, running or unknown)
 * @failed: the prompt ended in an error or was interrupted
 * @reason: (nullable): the exception message, or "interrupted"
 * @views: the /view paths of its output images, in order
 * @videos: the /view paths of its output clips (animated outputs and "gifs"), in order
 *
 * One prompt's entry in an answer of GET /history/{id}.
 */
typedef struct
{
  gboolean found;
  gboolean failed;
  char *reason;
  GPtrArray *views;
  GPtrArray *videos;
} ReelComfyuiHistory;

/* FALSE for an answer that is not a JSON object. */
gboolean reel_comfyui_history_parse      (const char         *json,
                                          gsize               length,
                                          const char         *prompt_id,
                                          ReelComfyuiHistory *history);
void     reel_comfyui_history_clear      (ReelComfyuiHistory *history);

G_END_DECLS
