/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-comfyui-events"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "reel-provider.h"
#include "reel-comfyui-events.h"

/* What ComfyUI sends, read without a server: the /ws messages and a /history answer. Pure
 * functions, so that the tests and the fuzzer reach them directly. */

/* Binary /ws frames: a 4-byte big-endian event type, then its payload. */
#define BINARY_PREVIEW_IMAGE 1
#define PREVIEW_FORMAT_JPEG  1
#define PREVIEW_FORMAT_PNG   2

static const struct
{
  const char *name;
  ReelComfyuiEventType type;
} event_names[] = {
  { "execution_start", REEL_COMFYUI_EVENT_EXECUTION_START },
  { "progress", REEL_COMFYUI_EVENT_PROGRESS },
  { "executing", REEL_COMFYUI_EVENT_EXECUTING },
  { "executed", REEL_COMFYUI_EVENT_EXECUTED },
  { "execution_error", REEL_COMFYUI_EVENT_EXECUTION_ERROR },
  { "execution_success", REEL_COMFYUI_EVENT_EXECUTION_SUCCESS },
  { "execution_interrupted", REEL_COMFYUI_EVENT_EXECUTION_INTERRUPTED },
};

/* A node id is a string in ComfyUI's messages; some extensions send numbers. */
static char *
node_id_of (JsonObject *data,
            const char *member)
{
  JsonNode *node = data != NULL ? json_object_get_member (data, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

gboolean
reel_comfyui_event_parse_text (const char       *text,
                               gsize             length,
                               ReelComfyuiEvent *event)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonObject *data;
  const char *type;

  memset (event, 0, sizeof *event);
  if (text == NULL || length > G_MAXSSIZE
      || !json_parser_load_from_data (parser, text, (gssize) length, NULL))
    return FALSE;

  root = reel_json_node_get_object (json_parser_get_root (parser));
  type = reel_json_get_string (root, "type");
  data = reel_json_get_object (root, "data");
  if (type == NULL || data == NULL)
    return FALSE;

  event->type = REEL_COMFYUI_EVENT_OTHER;
  for (guint i = 0; i < G_N_ELEMENTS (event_names); i++)
    if (strcmp (type, event_names[i].name) == 0)
      event->type = event_names[i].type;

  event->prompt_id = g_strdup (reel_json_get_string (data, "prompt_id"));
  switch (event->type)
    {
    case REEL_COMFYUI_EVENT_PROGRESS:
      event->value = reel_json_get_int (data, "value", -1);
      event->max = reel_json_get_int (data, "max", -1);
      event->node = node_id_of (data, "node");
      if (event->value < 0 || event->max <= 0)
        {
          reel_comfyui_event_clear (event);
          return FALSE;
        }
      event->value = MIN (event->value, event->max);
      break;
    case REEL_COMFYUI_EVENT_EXECUTING:
      /* "node": null says the prompt is done. */
      event->node = node_id_of (data, "node");
      break;
    case REEL_COMFYUI_EVENT_EXECUTED:
      event->node = node_id_of (data, "node");
      break;
    case REEL_COMFYUI_EVENT_EXECUTION_ERROR:
      event->node = node_id_of (data, "node_id");
      event->message = g_strdup (reel_json_get_string (data, "exception_message"));
      break;
    case REEL_COMFYUI_EVENT_EXECUTION_INTERRUPTED:
      event->node = node_id_of (data, "node_id");
      break;
    case REEL_COMFYUI_EVENT_OTHER:
    case REEL_COMFYUI_EVENT_EXECUTION_START:
    case REEL_COMFYUI_EVENT_EXECUTION_SUCCESS:
    case REEL_COMFYUI_EVENT_PREVIEW:
    default:
      break;
    }
  return TRUE;
}

static guint32
read_be32 (const guint8 *data)
{
  return ((guint32) data[0] << 24) | ((guint32) data[1] << 16) | ((guint32) data[2] << 8)
         | data[3];
}

gboolean
reel_comfyui_event_parse_binary (GBytes           *data,
                                 ReelComfyuiEvent *event)
{
  static const guint8 jpeg_magic[] = { 0xff, 0xd8, 0xff };
  static const guint8 png_magic[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  gsize size = 0;
  const guint8 *bytes = data != NULL ? g_bytes_get_data (data, &size) : NULL;
  const guint8 *image;
  gsize image_size;
  guint32 format;

  memset (event, 0, sizeof *event);
  if (bytes == NULL || size < 8)
    return FALSE;

  if (read_be32 (bytes) != BINARY_PREVIEW_IMAGE)
    {
      event->type = REEL_COMFYUI_EVENT_OTHER;
      return TRUE;
    }

  /* Believe the bytes, not only the format word: they go to an image decoder. */
  format = read_be32 (bytes + 4);
  image = bytes + 8;
  image_size = size - 8;
  if (format == PREVIEW_FORMAT_JPEG && image_size > sizeof jpeg_magic
      && memcmp (image, jpeg_magic, sizeof jpeg_magic) == 0)
    event->mime_type = "image/jpeg";
  else if (format == PREVIEW_FORMAT_PNG && image_size > sizeof png_magic
           && memcmp (image, png_magic, sizeof png_magic) == 0)
    event->mime_type = "image/png";
  else
    return FALSE;

  event->type = REEL_COMFYUI_EVENT_PREVIEW;
  event->image = g_bytes_new_from_bytes (data, 8, image_size);
  return TRUE;
}

void
reel_comfyui_event_clear (ReelComfyuiEvent *event)
{
  g_clear_pointer (&event->prompt_id, g_free);
  g_clear_pointer (&event->node, g_free);
  g_clear_pointer (&event->message, g_free);
  g_clear_pointer (&event->image, g_bytes_unref);
  memset (event, 0, sizeof *event);
}

/* /history ---------------------------------------------------------------------------------- */

static void
add_views (GPtrArray *views,
           JsonArray *list)
{
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *image = reel_json_array_get_object (list, i);
      const char *name = reel_json_get_string (image, "filename");
      const char *image_subfolder = reel_json_get_string (image, "subfolder");
      const char *image_type = reel_json_get_string (image, "type");
      g_autofree char *filename = NULL;
      g_autofree char *subfolder = NULL;
      g_autofree char *type = NULL;

      if (name == NULL || name[0] == '\0')
        continue;

      filename = g_uri_escape_string (name, NULL, TRUE);
      subfolder = g_uri_escape_string (image_subfolder != NULL ? image_subfolder : "", NULL,
                                       TRUE);
      type = g_uri_escape_string (image_type != NULL ? image_type : "output", NULL, TRUE);
      g_ptr_array_add (views, g_strdup_printf ("/view?filename=%s&subfolder=%s&type=%s",
                                                        filename, subfolder, type));
    }
}

gboolean
reel_comfyui_history_parse (const char         *json,
                            gsize               length,
                            const char         *prompt_id,
                            ReelComfyuiHistory *history)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonObject *entry;
  JsonObject *status;
  JsonObject *outputs;

  memset (history, 0, sizeof *history);
  history->views = g_ptr_array_new_with_free_func (g_free);
  history->videos = g_ptr_array_new_with_free_func (g_free);
  if (json == NULL || length > G_MAXSSIZE
      || !json_parser_load_from_data (parser, json, (gssize) length, NULL))
    return FALSE;

  root = reel_json_node_get_object (json_parser_get_root (parser));
  if (root == NULL)
    return FALSE;

  /* {} while queued or running, and for an id the server does not know. */
  entry = prompt_id != NULL ? reel_json_get_object (root, prompt_id) : NULL;
  if (entry == NULL)
    return TRUE;
  history->found = TRUE;

  status = reel_json_get_object (entry, "status");
  if (g_strcmp0 (reel_json_get_string (status, "status_str"), "error") == 0)
    {
      JsonArray *messages = reel_json_get_array (status, "messages");
      const char *reason = NULL;

      /* [["execution_start", {…}], ["execution_error", {"exception_message": …}], …] */
      for (guint i = 0; messages != NULL && i < json_array_get_length (messages); i++)
        {
          JsonNode *node = json_array_get_element (messages, i);
          JsonArray *message = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
          const char *kind = reel_json_array_get_string (message, 0);

          if (g_strcmp0 (kind, "execution_error") == 0)
            reason = reel_json_get_string (reel_json_array_get_object (message, 1),
                                           "exception_message");
          else if (g_strcmp0 (kind, "execution_interrupted") == 0 && reason == NULL)
            reason = _("interrupted");
        }
      history->failed = TRUE;
      history->reason = g_strdup (reason);
      return TRUE;
    }

  /* Images under "images" (SaveImage); clips under "images" marked "animated":[true] (core
   * SaveVideo, SaveAnimatedWEBP) or under "gifs" (VideoHelperSuite's Video Combine). */
  outputs = reel_json_get_object (entry, "outputs");
  if (outputs != NULL)
    {
      JsonObjectIter iter;
      JsonNode *member;

      json_object_iter_init (&iter, outputs);
      while (json_object_iter_next (&iter, NULL, &member))
        {
          JsonObject *output = reel_json_node_get_object (member);
          JsonArray *animated = reel_json_get_array (output, "animated");
          JsonNode *first = animated != NULL && json_array_get_length (animated) > 0
                            ? json_array_get_element (animated, 0) : NULL;
          gboolean is_clip = first != NULL && JSON_NODE_HOLDS_VALUE (first)
                             && json_node_get_value_type (first) == G_TYPE_BOOLEAN
                             && json_node_get_boolean (first);

          add_views (is_clip ? history->videos : history->views,
                     reel_json_get_array (output, "images"));
          add_views (history->videos, reel_json_get_array (output, "gifs"));
        }
    }
  return TRUE;
}

void
reel_comfyui_history_clear (ReelComfyuiHistory *history)
{
  g_clear_pointer (&history->reason, g_free);
  g_clear_pointer (&history->views, g_ptr_array_unref);
  g_clear_pointer (&history->videos, g_ptr_array_unref);
}
