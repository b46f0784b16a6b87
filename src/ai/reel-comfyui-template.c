/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-comfyui-template"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <string.h>

#include "reel-ai-error.h"
#include "reel-prompt.h"
#include "reel-provider.h"
#include "reel-comfyui-template.h"

/* ComfyUI workflow templates: API-format workflows with placeholders, and a metadata
 * member saying what they need (data/workflows/README.md). Pure functions, reached by the
 * unit tests without a server. */


static gboolean
fill_node (JsonNode    *node,
           GHashTable  *values,
           GError     **error);

static gboolean
replace_placeholders (JsonNode    *node,
                      GHashTable  *values,
                      GError     **error)
{
  const char *text = json_node_get_string (node);
  GString *result;
  const char *cursor;

  if (g_str_has_prefix (text, "{{") && g_str_has_suffix (text, "}}") && strlen (text) > 4
      && strstr (text + 2, "{{") == NULL)
    {
      g_autofree char *name = g_strndup (text + 2, strlen (text) - 4);
      JsonNode *value = g_hash_table_lookup (values, g_strstrip (name));

      if (value == NULL)
        goto unknown;

      /* A whole-string placeholder takes the value's own type: {{seed}} becomes a number. */
      switch (json_node_get_value_type (value))
        {
        case G_TYPE_INT64:
          json_node_set_int (node, json_node_get_int (value));
          break;
        case G_TYPE_DOUBLE:
          json_node_set_double (node, json_node_get_double (value));
          break;
        case G_TYPE_BOOLEAN:
          json_node_set_boolean (node, json_node_get_boolean (value));
          break;
        default:
          json_node_set_string (node, json_node_get_string (value));
          break;
        }
      return TRUE;
    }

  if (strstr (text, "{{") == NULL)
    return TRUE;

  result = g_string_new (NULL);
  cursor = text;
  while (*cursor != '\0')
    {
      const char *open = strstr (cursor, "{{");
      const char *close = open != NULL ? strstr (open, "}}") : NULL;
      g_autofree char *name = NULL;
      JsonNode *value;

      if (open == NULL || close == NULL)
        {
          g_string_append (result, cursor);
          break;
        }

      g_string_append_len (result, cursor, open - cursor);
      name = g_strndup (open + 2, close - open - 2);
      value = g_hash_table_lookup (values, g_strstrip (name));
      if (value == NULL)
        {
          g_string_free (result, TRUE);
          goto unknown;
        }

      if (json_node_get_value_type (value) == G_TYPE_STRING)
        g_string_append (result, json_node_get_string (value));
      else
        {
          g_autofree char *printed = json_to_string (value, FALSE);

          g_string_append (result, printed);
        }
      cursor = close + 2;
    }

  json_node_set_string (node, result->str);
  g_string_free (result, TRUE);
  return TRUE;

unknown:
  g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG,
               _("The ComfyUI workflow template uses a placeholder Storyreel does not fill "
                 "(“%s”). The placeholders are listed in the README of the workflows "
                 "folder."), text);
  return FALSE;
}

static gboolean
fill_node (JsonNode    *node,
           GHashTable  *values,
           GError     **error)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, NULL, &member))
          if (!fill_node (member, values, error))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          if (!fill_node (json_array_get_element (array, i), values, error))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return replace_placeholders (node, values, error);
      return TRUE;

    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

/**
 * reel_comfyui_fill_template:
 * @values: (element-type utf8 JsonNode): placeholder name → value
 *
 * Returns: (transfer full): the workflow, ready for POST /prompt
 */
JsonNode *
reel_comfyui_fill_template (const char  *template_json,
                            GHashTable  *values,
                            GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObjectIter iter;
  const char *node_id;
  JsonNode *member;

  root = json_from_string (template_json, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto not_api_format;

  /* What the template says of itself is for Storyreel, not for the server. */
  json_object_remove_member (json_node_get_object (root), REEL_COMFYUI_TEMPLATE_METADATA);
  if (json_object_get_size (json_node_get_object (root)) == 0)
    goto not_api_format;

  /* API format: { "id": { "class_type": …, "inputs": { … } }, … }. The UI's own format
   * ("nodes": [ … ], "links": [ … ]) is not accepted by POST /prompt. */
  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &node_id, &member))
    {
      JsonObject *node = JSON_NODE_HOLDS_OBJECT (member) ? json_node_get_object (member) : NULL;

      if (node == NULL || !json_object_has_member (node, "class_type")
          || json_node_get_value_type (json_object_get_member (node, "class_type"))
               != G_TYPE_STRING
          || !json_object_has_member (node, "inputs")
          || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (node, "inputs")))
        goto not_api_format;
    }

  if (!fill_node (root, values, error))
    return NULL;

  return g_steal_pointer (&root);

not_api_format:
  g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG, "%s",
               _("The ComfyUI workflow template is not in API format. In ComfyUI, export it "
                 "with “Export (API)”, then choose that file in Preferences → ComfyUI."));
  return NULL;
}


/* Metadata -------------------------------------------------------------------------------- */

static void
model_free (gpointer data)
{
  ReelComfyuiModel *model = data;

  g_free (model->class_type);
  g_free (model->input);
  g_free (model->file);
  g_free (model);
}

void
reel_comfyui_template_info_free (ReelComfyuiTemplateInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->title);
  g_strfreev (info->images);
  g_ptr_array_unref (info->models);
  g_free (info);
}

static void
find_image_placeholders (JsonNode     *node,
                         GStrvBuilder *images,
                         GHashTable   *seen)
{
  static const char * const image_placeholders[] = { "input_image", "depth_image" };

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member))
        find_image_placeholders (member, images, seen);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        find_image_placeholders (json_array_get_element (array, i), images, seen);
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      for (guint i = 0; i < G_N_ELEMENTS (image_placeholders); i++)
        {
          g_autofree char *marker = g_strdup_printf ("{{%s}}", image_placeholders[i]);

          if (strstr (json_node_get_string (node), marker) != NULL
              && !g_hash_table_contains (seen, image_placeholders[i]))
            {
              g_hash_table_add (seen, (gpointer) image_placeholders[i]);
              g_strv_builder_add (images, image_placeholders[i]);
            }
        }
    }
}

ReelComfyuiTemplateInfo *
reel_comfyui_template_info_new (const char  *template_json,
                                GError     **error)
{
  g_autoptr(JsonNode) root = json_from_string (template_json, NULL);
  g_autoptr(GStrvBuilder) images = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  ReelComfyuiTemplateInfo *info;
  JsonObject *metadata;
  JsonArray *models;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG, "%s",
                   _("The ComfyUI workflow template is not in API format. In ComfyUI, export "
                     "it with “Export (API)”, then choose that file in Preferences → "
                     "ComfyUI."));
      return NULL;
    }

  info = g_new0 (ReelComfyuiTemplateInfo, 1);
  info->models = g_ptr_array_new_with_free_func (model_free);
  metadata = reel_json_get_object (json_node_get_object (root), REEL_COMFYUI_TEMPLATE_METADATA);
  info->title = g_strdup (reel_json_get_string (metadata, "title"));

  models = reel_json_get_array (metadata, "models");
  for (guint i = 0; models != NULL && i < json_array_get_length (models); i++)
    {
      JsonObject *entry = reel_json_array_get_object (models, i);
      const char *class_type = reel_json_get_string (entry, "class_type");
      const char *input = reel_json_get_string (entry, "input");
      const char *file = reel_json_get_string (entry, "file");
      ReelComfyuiModel *model;

      if (class_type == NULL || input == NULL || file == NULL)
        continue;
      model = g_new0 (ReelComfyuiModel, 1);
      model->class_type = g_strdup (class_type);
      model->input = g_strdup (input);
      model->file = g_strdup (file);
      g_ptr_array_add (info->models, model);
    }

  /* The images it takes are the ones its nodes name. */
  json_object_remove_member (json_node_get_object (root), REEL_COMFYUI_TEMPLATE_METADATA);
  find_image_placeholders (root, images, seen);
  info->images = g_strv_builder_end (images);
  return info;
}

gboolean
reel_comfyui_template_info_needs_image (const ReelComfyuiTemplateInfo *info,
                                        const char                    *placeholder)
{
  return info != NULL && g_strv_contains ((const char * const *) info->images, placeholder);
}

gboolean
reel_comfyui_object_info_has_model (JsonObject             *object_info,
                                    const ReelComfyuiModel *model)
{
  JsonObject *node = reel_json_get_object (object_info, model->class_type);
  JsonObject *input = reel_json_get_object (node, "input");
  const char *groups[] = { "required", "optional" };

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      JsonArray *spec = reel_json_get_array (reel_json_get_object (input, groups[g]),
                                             model->input);
      JsonNode *first = spec != NULL && json_array_get_length (spec) > 0
                          ? json_array_get_element (spec, 0) : NULL;
      JsonArray *choices = NULL;

      if (first != NULL && JSON_NODE_HOLDS_ARRAY (first))
        choices = json_node_get_array (first);
      else if (g_strcmp0 (reel_json_array_get_string (spec, 0), "COMBO") == 0)
        choices = reel_json_get_array (reel_json_array_get_object (spec, 1), "options");

      for (guint i = 0; choices != NULL && i < json_array_get_length (choices); i++)
        if (g_strcmp0 (reel_json_array_get_string (choices, i), model->file) == 0)
          return TRUE;
    }
  return FALSE;
}

/* Camera words ---------------------------------------------------------------------------- */

char *
reel_comfyui_camera_angle_prompt (const ReelGenerationRequest *request)
{
  const char *view = "front view";
  const char *elevation;
  const char *distance;
  const char *angle = request->kind == REEL_GENERATION_ANGLE ? request->angle_id : NULL;
  double lens = request->lens_mm > 0 ? request->lens_mm : 35;

  /* The LoRA knows eight views round the subject, four elevations and three distances. */
  if (g_strcmp0 (angle, "reverse") == 0)
    view = "back view";
  else if (g_strcmp0 (angle, "ots") == 0)
    view = "back-right quarter view";

  if (g_strcmp0 (angle, "worms_eye") == 0 || g_strcmp0 (angle, "low") == 0
      || request->tilt_deg > 10)
    elevation = "low-angle shot";
  else if (g_strcmp0 (angle, "birds_eye") == 0 || request->tilt_deg < -35)
    elevation = "high-angle shot";
  else if (g_strcmp0 (angle, "high") == 0 || request->tilt_deg < -10)
    elevation = "elevated shot";
  else
    elevation = "eye-level shot";

  if (g_strcmp0 (angle, "wider") == 0 || lens < 30)
    distance = "wide shot";
  else if (g_strcmp0 (angle, "tighter") == 0 || lens >= 70)
    distance = "close-up";
  else
    distance = "medium shot";

  return g_strdup_printf ("%s %s %s", view, elevation, distance);
}

/* Depth ----------------------------------------------------------------------------------- */

GBytes *
reel_comfyui_depth_to_control_png (const guint16  *depth,
                                   int             width,
                                   int             height,
                                   GError        **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  guint16 nearest = G_MAXUINT16;
  guint16 farthest = 0;
  gchar *buffer = NULL;
  gsize size = 0;
  guint8 *pixels;
  int stride;

  g_return_val_if_fail (depth != NULL && width > 0 && height > 0, NULL);

  for (gsize i = 0; i < (gsize) width * height; i++)
    if (depth[i] != G_MAXUINT16)
      {
        nearest = MIN (nearest, depth[i]);
        farthest = MAX (farthest, depth[i]);
      }

  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  pixels = gdk_pixbuf_get_pixels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint16 d = depth[(gsize) y * width + x];
        guint8 value = 0;
        guint8 *pixel = pixels + (gsize) y * stride + x * 3;

        /* Inverse depth, as the depth estimators that trained these ControlNets give it:
         * the nearest surface white, the farthest a dark grey, the sky black. */
        if (d != G_MAXUINT16)
          value = farthest > nearest
                    ? (guint8) CLAMP (32.5 + 223.0 * (1.0 / MAX (d, 1) - 1.0 / farthest)
                                             / (1.0 / MAX (nearest, 1) - 1.0 / farthest),
                                      32, 255)
                    : 255;
        pixel[0] = pixel[1] = pixel[2] = value;
      }

  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", error, NULL))
    return NULL;
  return g_bytes_new_take (buffer, size);
}
