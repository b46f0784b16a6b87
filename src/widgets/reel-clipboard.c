/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-clipboard"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "core/reel-camera.h"
#include "core/reel-shot-camera.h"
#include "storage/reel-project-file.h"

#include "reel-clipboard.h"

/* The document is versioned so that a newer Storyreel can still read what an older
 * one put on the clipboard (and refuse what it cannot understand). */
#define CLIPBOARD_FORMAT  "storyreel-shots"
#define CLIPBOARD_VERSION 1

/* Largest clipboard document we accept: images travel inside it, but a paste must not
 * be able to exhaust memory. */
#define CLIPBOARD_MAX_BYTES (512 * 1024 * 1024)

void
reel_clipboard_shots_free (ReelClipboardShots *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->shots, g_ptr_array_unref);
  g_clear_pointer (&self->assets, g_ptr_array_unref);
  g_free (self);
}

/* Writing */

static gboolean
property_is_copied (GParamSpec         *pspec,
                    const char * const *skip)
{
  if ((pspec->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE)
    return FALSE;
  if (pspec->flags & G_PARAM_CONSTRUCT_ONLY)
    return FALSE;

  return skip == NULL || !g_strv_contains (skip, pspec->name);
}

/* Every plain read-write property of @object, so that a field added to the model is
 * copied and pasted without touching this file. */
static void
write_properties (JsonBuilder        *builder,
                  GObject            *object,
                  const char * const *skip)
{
  g_autofree GParamSpec **specs = NULL;
  guint n_specs;

  specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      GParamSpec *pspec = specs[i];
      g_auto(GValue) value = G_VALUE_INIT;

      if (!property_is_copied (pspec, skip))
        continue;

      g_value_init (&value, pspec->value_type);
      g_object_get_property (object, pspec->name, &value);

      switch (G_TYPE_FUNDAMENTAL (pspec->value_type))
        {
        case G_TYPE_STRING:
          json_builder_set_member_name (builder, pspec->name);
          if (g_value_get_string (&value) != NULL)
            json_builder_add_string_value (builder, g_value_get_string (&value));
          else
            json_builder_add_null_value (builder);
          break;
        case G_TYPE_DOUBLE:
          json_builder_set_member_name (builder, pspec->name);
          json_builder_add_double_value (builder, g_value_get_double (&value));
          break;
        case G_TYPE_INT:
          json_builder_set_member_name (builder, pspec->name);
          json_builder_add_int_value (builder, g_value_get_int (&value));
          break;
        case G_TYPE_UINT:
          json_builder_set_member_name (builder, pspec->name);
          json_builder_add_int_value (builder, g_value_get_uint (&value));
          break;
        case G_TYPE_INT64:
          json_builder_set_member_name (builder, pspec->name);
          json_builder_add_int_value (builder, g_value_get_int64 (&value));
          break;
        case G_TYPE_BOOLEAN:
          json_builder_set_member_name (builder, pspec->name);
          json_builder_add_boolean_value (builder, g_value_get_boolean (&value));
          break;
        case G_TYPE_ENUM:
          json_builder_set_member_name (builder, pspec->name);
          json_builder_add_int_value (builder, g_value_get_enum (&value));
          break;
        case G_TYPE_BOXED:
          if (pspec->value_type == G_TYPE_STRV)
            {
              const char * const *strv = g_value_get_boxed (&value);

              json_builder_set_member_name (builder, pspec->name);
              json_builder_begin_array (builder);
              for (guint j = 0; strv != NULL && strv[j] != NULL; j++)
                json_builder_add_string_value (builder, strv[j]);
              json_builder_end_array (builder);
            }
          break;
        default:
          /* Objects (sketch, plate) are written by their own functions. */
          break;
        }
    }
}

static void
add_optional_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* Points as one base64 blob of little-endian floats: five per point. */
static char *
encode_points (const ReelStrokePoint *points,
               guint                  n_points)
{
  g_autofree guint32 *words = g_new (guint32, (gsize) n_points * 5);

  for (guint i = 0; i < n_points; i++)
    {
      const float values[5] = {
        points[i].x, points[i].y, points[i].pressure, points[i].tilt_x, points[i].tilt_y,
      };

      for (guint j = 0; j < 5; j++)
        {
          guint32 bits;

          memcpy (&bits, &values[j], sizeof bits);
          words[i * 5 + j] = GUINT32_TO_LE (bits);
        }
    }

  return g_base64_encode ((const guchar *) words, (gsize) n_points * 5 * sizeof (guint32));
}

static void
write_sketch (JsonBuilder *builder,
              ReelSketch  *sketch)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < reel_sketch_get_n_layers (sketch); i++)
    {
      const char *layer = reel_sketch_get_layer_name (sketch, i);
      g_autoptr(GPtrArray) strokes = reel_sketch_list_strokes (sketch, layer);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, layer);
      json_builder_set_member_name (builder, "visible");
      json_builder_add_boolean_value (builder, reel_sketch_get_layer_visible (sketch, layer));
      json_builder_set_member_name (builder, "opacity");
      json_builder_add_double_value (builder, reel_sketch_get_layer_opacity (sketch, layer));
      json_builder_set_member_name (builder, "strokes");
      json_builder_begin_array (builder);
      for (guint j = 0; j < strokes->len; j++)
        {
          ReelStroke *stroke = g_ptr_array_index (strokes, j);
          const ReelColor *color = reel_stroke_get_color (stroke);
          const ReelStrokePoint *points;
          g_autofree char *encoded = NULL;
          guint n_points;

          points = reel_stroke_get_points (stroke, &n_points);
          encoded = encode_points (points, n_points);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "tool");
          json_builder_add_string_value (builder, reel_stroke_get_tool (stroke));
          json_builder_set_member_name (builder, "color");
          json_builder_begin_array (builder);
          json_builder_add_double_value (builder, color->red);
          json_builder_add_double_value (builder, color->green);
          json_builder_add_double_value (builder, color->blue);
          json_builder_add_double_value (builder, color->alpha);
          json_builder_end_array (builder);
          json_builder_set_member_name (builder, "width");
          json_builder_add_double_value (builder, reel_stroke_get_width (stroke));
          add_optional_string (builder, "text", reel_stroke_get_text (stroke));
          json_builder_set_member_name (builder, "points");
          json_builder_add_string_value (builder, encoded);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
write_plate (JsonBuilder *builder,
             ReelProject *project,
             ReelPlate   *plate)
{
  GFile *project_file = reel_project_file_get_file (project);
  g_autoptr(GFile) media = NULL;

  json_builder_begin_object (builder);
  write_properties (builder, G_OBJECT (plate), NULL);
  /* The path is relative to the source project; the target may live elsewhere. */
  if (project_file != NULL || g_path_is_absolute (reel_plate_get_path (plate)))
    {
      g_autofree char *uri = NULL;

      media = reel_plate_resolve (plate, project_file);
      uri = g_file_get_uri (media);
      add_optional_string (builder, "uri", uri);
    }
  json_builder_end_object (builder);
}

static void
write_generation (JsonBuilder                *builder,
                  const ReelGenerationRecord *record)
{
  json_builder_begin_object (builder);
  add_optional_string (builder, "provider", record->provider);
  add_optional_string (builder, "model", record->model);
  add_optional_string (builder, "endpoint-host", record->endpoint_host);
  add_optional_string (builder, "prompt", record->prompt);
  add_optional_string (builder, "negative-prompt", record->negative_prompt);
  json_builder_set_member_name (builder, "seed");
  json_builder_add_int_value (builder, record->seed);
  add_optional_string (builder, "parameters", record->parameters);
  json_builder_set_member_name (builder, "input-hashes");
  if (record->input_hashes != NULL)
    {
      json_builder_begin_array (builder);
      for (guint i = 0; record->input_hashes[i] != NULL; i++)
        json_builder_add_string_value (builder, record->input_hashes[i]);
      json_builder_end_array (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "created-us");
  json_builder_add_int_value (builder, record->created_us);
  json_builder_set_member_name (builder, "duration-ms");
  json_builder_add_int_value (builder, record->duration_ms);
  add_optional_string (builder, "kind", record->kind);
  add_optional_string (builder, "angle-id", record->angle_id);
  json_builder_end_object (builder);
}

static void
write_asset (JsonBuilder *builder,
             ReelAsset   *asset)
{
  guint n_records;
  ReelGenerationRecord * const *records = reel_asset_get_generations (asset, &n_records);
  g_autoptr(GBytes) data = NULL;
  g_autofree char *encoded = NULL;
  gsize size;
  gconstpointer bytes;

  /* Off the main thread. A lazy asset's bytes are read from its file for this
   * document and let go with it (they would stay with the asset through
   * reel_asset_get_data()); copied as they are, so a damaged image stays damaged by
   * name, and one that cannot be read arrives empty and says so when shown. */
  if (reel_asset_is_lazy (asset))
    {
      g_autoptr(GError) error = NULL;

      data = reel_asset_source_read (reel_asset_get_source (asset), reel_asset_get_hash (asset),
                                     NULL, &error);
      if (data == NULL)
        {
          g_debug ("Copying the asset %.12s: %s", reel_asset_get_hash (asset), error->message);
          data = g_bytes_new (NULL, 0);
        }
    }
  else
    {
      data = g_bytes_ref (reel_asset_get_data (asset));
    }
  bytes = g_bytes_get_data (data, &size);
  encoded = g_base64_encode (bytes, size);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "hash");
  json_builder_add_string_value (builder, reel_asset_get_hash (asset));
  json_builder_set_member_name (builder, "mime-type");
  json_builder_add_string_value (builder, reel_asset_get_mime_type (asset));
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, reel_asset_get_width (asset));
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, reel_asset_get_height (asset));
  /* "generation", the first record, for a Storyreel from before "generations". */
  json_builder_set_member_name (builder, "generation");
  if (n_records > 0)
    write_generation (builder, records[0]);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "generations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_records; i++)
    write_generation (builder, records[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_add_string_value (builder, encoded);
  json_builder_end_object (builder);
}

static void
write_pose (JsonBuilder          *builder,
            const ReelCameraPose *pose)
{
  const struct { const char *name; double value; } fields[] = {
    { "x", pose->x }, { "z", pose->z }, { "height", pose->height }, { "pan", pose->pan },
    { "tilt", pose->tilt }, { "roll", pose->roll }, { "lens-mm", pose->lens_mm },
  };

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      json_builder_set_member_name (builder, fields[i].name);
      json_builder_add_double_value (builder, fields[i].value);
    }
  json_builder_end_object (builder);
}

/* The shot's camera in the scene's set (metres and degrees, as in reel-shot-camera.h). */
static void
write_camera (JsonBuilder          *builder,
              const ReelShotCamera *camera)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "start");
  write_pose (builder, &camera->start);
  json_builder_set_member_name (builder, "moves");
  json_builder_add_boolean_value (builder, camera->moves);
  json_builder_set_member_name (builder, "end");
  write_pose (builder, &camera->end);
  json_builder_set_member_name (builder, "easing");
  json_builder_add_string_value (builder, reel_camera_easing_to_id (camera->easing));
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, camera->subject != NULL ? camera->subject : "");
  json_builder_end_object (builder);
}

static void
collect_hash (GPtrArray   *hashes,
              GHashTable  *seen,
              const char  *hash)
{
  if (hash == NULL || *hash == '\0' || g_hash_table_contains (seen, hash))
    return;

  g_hash_table_add (seen, (gpointer) hash);
  g_ptr_array_add (hashes, (gpointer) hash);
}

/* The document without the images' bytes (the shots, and what the images are), and the
 * images it needs in @assets (ReelAsset, referenced). Small: built on the main thread,
 * where the model lives. */
static GBytes *
write_shots_document (ReelProject *project,
                      GPtrArray   *shots,
                      GPtrArray   *assets)
{
  static const char * const shot_skip[] = { "id", "camera", NULL };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) hashes = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  ReelFrameRate rate = reel_project_get_frame_rate (project);
  char *text;
  gsize length;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, CLIPBOARD_FORMAT);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, CLIPBOARD_VERSION);
  json_builder_set_member_name (builder, "frame-rate");
  json_builder_begin_array (builder);
  json_builder_add_int_value (builder, rate.num);
  json_builder_add_int_value (builder, rate.den);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "shots");
  json_builder_begin_array (builder);
  for (guint i = 0; i < shots->len; i++)
    {
      ReelShot *shot = g_ptr_array_index (shots, i);
      const char * const *list;
      ReelPlate *plate = reel_shot_get_plate (shot);

      json_builder_begin_object (builder);
      write_properties (builder, G_OBJECT (shot), shot_skip);
      json_builder_set_member_name (builder, "sketch");
      write_sketch (builder, reel_shot_get_sketch (shot));
      json_builder_set_member_name (builder, "plate");
      if (plate != NULL)
        write_plate (builder, project, plate);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "camera");
      if (reel_shot_get_camera (shot) != NULL)
        write_camera (builder, reel_shot_get_camera (shot));
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);

      collect_hash (hashes, seen, reel_shot_get_background (shot));
      list = reel_shot_get_variants (shot);
      for (guint j = 0; list[j] != NULL; j++)
        collect_hash (hashes, seen, list[j]);
      list = reel_shot_get_generations (shot);
      for (guint j = 0; list[j] != NULL; j++)
        collect_hash (hashes, seen, list[j]);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  for (guint i = 0; i < hashes->len; i++)
    {
      ReelAsset *asset = reel_project_lookup_asset (project, g_ptr_array_index (hashes, i));

      if (asset != NULL)
        g_ptr_array_add (assets, g_object_ref (asset));
    }

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);

  return g_bytes_new_take (text, length);
}

/* The whole document, for another program or another Storyreel: the shots document with
 * the images' bytes added as base64. Thread-safe (assets are immutable): run on a worker,
 * it is the heavy part of a copy. */
static GBytes *
write_full_document (GBytes    *shots_document,
                     GPtrArray *assets)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *array = NULL;
  gsize document_size;
  const char *document = g_bytes_get_data (shots_document, &document_size);
  GString *text;

  json_builder_begin_array (builder);
  for (guint i = 0; i < assets->len; i++)
    write_asset (builder, g_ptr_array_index (assets, i));
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  array = json_generator_to_data (generator, NULL);

  /* The shots document is one JSON object this file wrote: its closing brace is last. */
  while (document_size > 0 && document[document_size - 1] != '}')
    document_size--;
  g_return_val_if_fail (document_size > 0, NULL);

  text = g_string_sized_new (document_size + strlen (array) + 16);
  g_string_append_len (text, document, document_size - 1);
  g_string_append (text, ",\"assets\":");
  g_string_append (text, array);
  g_string_append_c (text, '}');

  return g_string_free_to_bytes (text);
}

GBytes *
reel_clipboard_serialize_shots (ReelProject *project,
                                GPtrArray   *shots)
{
  g_autoptr(GPtrArray) assets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GBytes) document = NULL;

  g_return_val_if_fail (REEL_IS_PROJECT (project), NULL);
  g_return_val_if_fail (shots != NULL, NULL);

  document = write_shots_document (project, shots, assets);
  return write_full_document (document, assets);
}

/* Reading */

static gboolean
invalid_data (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The clipboard does not hold shots Storyreel can paste. "
                         "Copy the shots again."));
  return FALSE;
}

static gboolean
value_from_node (GParamSpec *pspec,
                 JsonNode   *node,
                 GValue     *value)
{
  GType fundamental = G_TYPE_FUNDAMENTAL (pspec->value_type);
  JsonNodeType node_type = json_node_get_node_type (node);

  g_value_init (value, pspec->value_type);

  if (fundamental == G_TYPE_STRING)
    {
      if (JSON_NODE_HOLDS_NULL (node))
        return TRUE;
      if (node_type != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_STRING)
        return FALSE;
      g_value_set_string (value, json_node_get_string (node));
      return TRUE;
    }

  if (fundamental == G_TYPE_BOXED && pspec->value_type == G_TYPE_STRV)
    {
      JsonArray *array;
      g_autoptr(GStrvBuilder) strv = g_strv_builder_new ();

      if (node_type != JSON_NODE_ARRAY)
        return FALSE;
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) ||
              json_node_get_value_type (element) != G_TYPE_STRING)
            return FALSE;
          g_strv_builder_add (strv, json_node_get_string (element));
        }
      g_value_take_boxed (value, g_strv_builder_end (strv));
      return TRUE;
    }

  if (node_type != JSON_NODE_VALUE)
    return FALSE;

  switch (fundamental)
    {
    case G_TYPE_DOUBLE:
      if (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
          json_node_get_value_type (node) != G_TYPE_INT64)
        return FALSE;
      g_value_set_double (value, json_node_get_double (node));
      return TRUE;
    case G_TYPE_INT:
      if (json_node_get_value_type (node) != G_TYPE_INT64)
        return FALSE;
      g_value_set_int (value, (int) CLAMP (json_node_get_int (node), G_MININT, G_MAXINT));
      return TRUE;
    case G_TYPE_UINT:
      if (json_node_get_value_type (node) != G_TYPE_INT64)
        return FALSE;
      g_value_set_uint (value, (guint) CLAMP (json_node_get_int (node), 0, G_MAXUINT));
      return TRUE;
    case G_TYPE_INT64:
      if (json_node_get_value_type (node) != G_TYPE_INT64)
        return FALSE;
      g_value_set_int64 (value, json_node_get_int (node));
      return TRUE;
    case G_TYPE_BOOLEAN:
      if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return FALSE;
      g_value_set_boolean (value, json_node_get_boolean (node));
      return TRUE;
    case G_TYPE_ENUM:
      {
        g_autoptr(GEnumClass) enum_class = g_type_class_ref (pspec->value_type);

        if (json_node_get_value_type (node) != G_TYPE_INT64 ||
            g_enum_get_value (enum_class, (int) json_node_get_int (node)) == NULL)
          return FALSE;
        g_value_set_enum (value, (int) json_node_get_int (node));
        return TRUE;
      }
    default:
      return FALSE;
    }
}

/* Sets every member of @object_node that names a copied property of @object; other
 * members (written by a newer version, or handled by the caller) are ignored. */
static gboolean
read_properties (JsonObject         *object_node,
                 GObject            *object,
                 const char * const *skip)
{
  GObjectClass *klass = G_OBJECT_GET_CLASS (object);
  g_autoptr(GList) members = json_object_get_members (object_node);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      GParamSpec *pspec = g_object_class_find_property (klass, name);
      g_auto(GValue) value = G_VALUE_INIT;

      if (pspec == NULL || !property_is_copied (pspec, skip))
        continue;
      if (G_TYPE_FUNDAMENTAL (pspec->value_type) == G_TYPE_OBJECT)
        continue;
      if (!value_from_node (pspec, json_object_get_member (object_node, name), &value))
        return FALSE;

      /* Out-of-range numbers are clamped rather than refused: the model decides. */
      g_param_value_validate (pspec, &value);
      g_object_set_property (object, name, &value);
    }

  return TRUE;
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
get_number_member (JsonObject *object,
                   const char *name,
                   double     *out_value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  *out_value = json_node_get_double (node);
  return TRUE;
}

static ReelStroke *
read_stroke (JsonObject *object)
{
  const char *tool = get_string_member (object, "tool");
  const char *encoded = get_string_member (object, "points");
  JsonArray *color_array;
  ReelColor color;
  double width;
  double channels[4];
  g_autofree guchar *raw = NULL;
  g_autofree ReelStrokePoint *points = NULL;
  gsize raw_size = 0;
  guint n_points;

  if (tool == NULL || encoded == NULL || !get_number_member (object, "width", &width))
    return NULL;
  if (!json_object_has_member (object, "color") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "color")))
    return NULL;

  color_array = json_object_get_array_member (object, "color");
  if (json_array_get_length (color_array) != 4)
    return NULL;
  for (guint i = 0; i < 4; i++)
    {
      JsonNode *node = json_array_get_element (color_array, i);

      if (!JSON_NODE_HOLDS_VALUE (node))
        return NULL;
      channels[i] = CLAMP (json_node_get_double (node), 0.0, 1.0);
    }
  color = (ReelColor) { channels[0], channels[1], channels[2], channels[3] };

  raw = g_base64_decode (encoded, &raw_size);
  if (raw_size % (5 * sizeof (guint32)) != 0)
    return NULL;

  n_points = raw_size / (5 * sizeof (guint32));
  points = g_new0 (ReelStrokePoint, MAX (n_points, 1));
  for (guint i = 0; i < n_points; i++)
    {
      float values[5];

      for (guint j = 0; j < 5; j++)
        {
          guint32 bits;

          memcpy (&bits, raw + (i * 5 + j) * sizeof (guint32), sizeof bits);
          bits = GUINT32_FROM_LE (bits);
          memcpy (&values[j], &bits, sizeof bits);
        }
      points[i] = (ReelStrokePoint) { values[0], values[1], values[2], values[3], values[4] };
    }

  return reel_stroke_new (tool, &color, width, points, n_points,
                          get_string_member (object, "text"));
}

static gboolean
read_sketch (JsonNode   *node,
             ReelSketch *sketch)
{
  JsonArray *layers;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;

  layers = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (layers); i++)
    {
      JsonNode *layer_node = json_array_get_element (layers, i);
      JsonObject *layer;
      const char *name;
      JsonArray *strokes;
      double opacity = 1.0;

      if (!JSON_NODE_HOLDS_OBJECT (layer_node))
        return FALSE;
      layer = json_node_get_object (layer_node);
      name = get_string_member (layer, "name");
      if (name == NULL || !json_object_has_member (layer, "strokes") ||
          !JSON_NODE_HOLDS_ARRAY (json_object_get_member (layer, "strokes")))
        return FALSE;

      reel_sketch_add_layer (sketch, name);
      if (json_object_has_member (layer, "visible"))
        reel_sketch_set_layer_visible (sketch, name,
                                       json_object_get_boolean_member (layer, "visible"));
      if (get_number_member (layer, "opacity", &opacity))
        reel_sketch_set_layer_opacity (sketch, name, CLAMP (opacity, 0.0, 1.0));

      strokes = json_object_get_array_member (layer, "strokes");
      for (guint j = 0; j < json_array_get_length (strokes); j++)
        {
          JsonNode *stroke_node = json_array_get_element (strokes, j);
          g_autoptr(ReelStroke) stroke = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (stroke_node))
            return FALSE;
          stroke = read_stroke (json_node_get_object (stroke_node));
          if (stroke == NULL)
            return FALSE;
          reel_sketch_append_stroke (sketch, name, stroke);
        }
    }

  return TRUE;
}

static ReelPlate *
read_plate (JsonObject *object,
            GFile      *project_file)
{
  static const char * const skip[] = { "path", NULL };
  const char *uri = get_string_member (object, "uri");
  const char *path = get_string_member (object, "path");
  g_autoptr(ReelPlate) plate = reel_plate_new (path != NULL ? path : "");

  if (!read_properties (object, G_OBJECT (plate), skip))
    return NULL;

  if (uri != NULL)
    {
      g_autoptr(GFile) media = g_file_new_for_uri (uri);
      g_autofree char *relative = NULL;

      if (project_file != NULL)
        relative = reel_plate_make_relative_path (project_file, media);
      else
        relative = g_file_get_path (media);

      if (relative != NULL)
        reel_plate_set_path (plate, relative);
    }

  return g_steal_pointer (&plate);
}

static gboolean
read_pose (JsonObject     *object,
           const char     *name,
           ReelCameraPose *out_pose)
{
  JsonNode *node = json_object_get_member (object, name);
  JsonObject *pose;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  pose = json_node_get_object (node);

  return get_number_member (pose, "x", &out_pose->x)
         && get_number_member (pose, "z", &out_pose->z)
         && get_number_member (pose, "height", &out_pose->height)
         && get_number_member (pose, "pan", &out_pose->pan)
         && get_number_member (pose, "tilt", &out_pose->tilt)
         && get_number_member (pose, "roll", &out_pose->roll)
         && get_number_member (pose, "lens-mm", &out_pose->lens_mm);
}

/* NULL when the camera is malformed or out of range: the model's own checks decide. */
static ReelShotCamera *
read_camera (JsonObject *object)
{
  ReelCameraPose start, end;
  JsonNode *moves = json_object_get_member (object, "moves");
  const char *subject = get_string_member (object, "subject");
  g_autoptr(ReelShotCamera) camera = NULL;
  g_autoptr(GVariant) variant = NULL;

  if (!read_pose (object, "start", &start))
    return NULL;
  if (!read_pose (object, "end", &end))
    end = start;
  if (moves != NULL && (!JSON_NODE_HOLDS_VALUE (moves) ||
                        json_node_get_value_type (moves) != G_TYPE_BOOLEAN))
    return NULL;

  camera = reel_shot_camera_new (&start);
  camera->moves = moves != NULL && json_node_get_boolean (moves);
  camera->end = end;
  camera->easing = reel_camera_easing_from_id (get_string_member (object, "easing"));
  reel_shot_camera_set_subject (camera, subject != NULL ? subject : "");

  /* Through the stored form, whose reading refuses what the model cannot use. */
  variant = g_variant_ref_sink (reel_shot_camera_to_variant (camera));
  return reel_shot_camera_from_variant (variant, NULL);
}

static ReelGenerationRecord *
read_generation (JsonObject *object)
{
  g_autoptr(ReelGenerationRecord) record = reel_generation_record_new ();
  double number;

  record->provider = g_strdup (get_string_member (object, "provider"));
  record->model = g_strdup (get_string_member (object, "model"));
  record->endpoint_host = g_strdup (get_string_member (object, "endpoint-host"));
  record->prompt = g_strdup (get_string_member (object, "prompt"));
  record->negative_prompt = g_strdup (get_string_member (object, "negative-prompt"));
  record->parameters = g_strdup (get_string_member (object, "parameters"));
  record->kind = g_strdup (get_string_member (object, "kind"));
  record->angle_id = g_strdup (get_string_member (object, "angle-id"));
  if (json_object_has_member (object, "seed"))
    record->seed = json_object_get_int_member (object, "seed");
  if (get_number_member (object, "created-us", &number))
    record->created_us = json_object_get_int_member (object, "created-us");
  if (get_number_member (object, "duration-ms", &number))
    record->duration_ms = json_object_get_int_member (object, "duration-ms");

  if (json_object_has_member (object, "input-hashes") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "input-hashes")))
    {
      JsonArray *array = json_object_get_array_member (object, "input-hashes");
      g_autoptr(GStrvBuilder) strv = g_strv_builder_new ();

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *hash = json_array_get_string_element (array, i);

          if (hash != NULL)
            g_strv_builder_add (strv, hash);
        }
      record->input_hashes = g_strv_builder_end (strv);
    }

  return g_steal_pointer (&record);
}

static ReelAsset *
read_asset (JsonObject *object)
{
  const char *hash = get_string_member (object, "hash");
  const char *mime_type = get_string_member (object, "mime-type");
  const char *encoded = get_string_member (object, "data");
  g_autoptr(ReelGenerationRecord) generation = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (
    (GDestroyNotify) reel_generation_record_unref);
  g_autoptr(ReelAsset) asset = NULL;
  g_autoptr(GBytes) data = NULL;
  guchar *raw;
  gsize size = 0;
  double width = 0, height = 0;

  if (hash == NULL || mime_type == NULL || encoded == NULL)
    return NULL;

  get_number_member (object, "width", &width);
  get_number_member (object, "height", &height);
  /* Every record; a document from before "generations" has the first only. */
  if (json_object_has_member (object, "generations") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "generations")))
    {
      JsonArray *array = json_object_get_array_member (object, "generations");

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
          g_ptr_array_add (records,
                           read_generation (json_array_get_object_element (array, i)));
    }
  else if (json_object_has_member (object, "generation") &&
           JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "generation")))
    g_ptr_array_add (records,
                     read_generation (json_object_get_object_member (object, "generation")));
  if (records->len > 0)
    generation = reel_generation_record_ref (g_ptr_array_index (records, 0));

  raw = g_base64_decode (encoded, &size);
  data = g_bytes_new_take (raw, size);
  asset = reel_asset_new_full (data, mime_type, (int) width, (int) height, generation);
  if (records->len > 1)
    {
      ReelAsset *all = reel_asset_copy_with_generations (
        asset, (ReelGenerationRecord * const *) records->pdata, records->len);

      g_object_unref (asset);
      asset = all;
    }

  /* The shots refer to the image by this hash: bytes that do not match it would
   * silently show the wrong picture. */
  if (g_strcmp0 (reel_asset_get_hash (asset), hash) != 0)
    return NULL;

  return g_steal_pointer (&asset);
}

static gint64
convert_duration (gint64        frames,
                  ReelFrameRate from,
                  ReelFrameRate to)
{
  double seconds;

  if (reel_frame_rate_equal (from, to))
    return MAX (frames, 1);

  seconds = reel_timecode_frames_to_seconds (frames, from);
  return MAX (reel_timecode_seconds_to_frames (seconds, to), 1);
}

/* Parses a document for pasting into a project of @target_rate saved as @project_file
 * (nullable). With @local_assets (a copy in this process), the images are those objects,
 * by reference, and the document carries none. Touches no project: runs on a worker. */
static ReelClipboardShots *
read_document (GBytes         *bytes,
               ReelFrameRate   target_rate,
               GFile          *project_file,
               GPtrArray      *local_assets,
               GError        **error)
{
  static const char * const shot_skip[] = { "id", "camera", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(ReelClipboardShots) result = NULL;
  JsonNode *root;
  JsonObject *document;
  JsonArray *shots;
  ReelFrameRate rate = REEL_FRAME_RATE_DEFAULT;
  gconstpointer data;
  gsize size;

  data = g_bytes_get_data (bytes, &size);
  if (size == 0 || size > CLIPBOARD_MAX_BYTES ||
      !json_parser_load_from_data (parser, data, size, NULL))
    return invalid_data (error), NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return invalid_data (error), NULL;

  document = json_node_get_object (root);
  if (g_strcmp0 (get_string_member (document, "format"), CLIPBOARD_FORMAT) != 0)
    return invalid_data (error), NULL;
  if (!json_object_has_member (document, "version") ||
      json_object_get_int_member (document, "version") > CLIPBOARD_VERSION)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("These shots were copied from a newer version of Storyreel. "
                             "Update Storyreel to paste them."));
      return NULL;
    }
  if (!json_object_has_member (document, "shots") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (document, "shots")))
    return invalid_data (error), NULL;

  if (json_object_has_member (document, "frame-rate") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (document, "frame-rate")))
    {
      JsonArray *array = json_object_get_array_member (document, "frame-rate");

      if (json_array_get_length (array) == 2)
        rate = REEL_FRAME_RATE_INIT ((int) json_array_get_int_element (array, 0),
                                     (int) json_array_get_int_element (array, 1));
      if (!reel_frame_rate_is_valid (rate))
        return invalid_data (error), NULL;
    }

  result = g_new0 (ReelClipboardShots, 1);
  result->shots = g_ptr_array_new_with_free_func (g_object_unref);
  result->assets = g_ptr_array_new_with_free_func (g_object_unref);

  shots = json_object_get_array_member (document, "shots");
  for (guint i = 0; i < json_array_get_length (shots); i++)
    {
      JsonNode *node = json_array_get_element (shots, i);
      JsonObject *object;
      g_autoptr(ReelShot) shot = reel_shot_new ();

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid_data (error), NULL;
      object = json_node_get_object (node);
      if (!read_properties (object, G_OBJECT (shot), shot_skip))
        return invalid_data (error), NULL;

      reel_shot_set_duration (shot, convert_duration (reel_shot_get_duration (shot),
                                                      rate, target_rate));

      if (json_object_has_member (object, "sketch"))
        {
          ReelSketch *sketch = reel_shot_get_sketch (shot);

          reel_sketch_clear (sketch);
          if (!read_sketch (json_object_get_member (object, "sketch"), sketch))
            return invalid_data (error), NULL;
        }

      if (json_object_has_member (object, "plate") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "plate")))
        {
          g_autoptr(ReelPlate) plate = read_plate (json_object_get_object_member (object, "plate"),
                                                   project_file);

          if (plate == NULL)
            return invalid_data (error), NULL;
          reel_shot_set_plate (shot, plate);
        }

      if (json_object_has_member (object, "camera") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "camera")))
        {
          g_autoptr(ReelShotCamera) camera =
            read_camera (json_object_get_object_member (object, "camera"));

          if (camera == NULL)
            return invalid_data (error), NULL;
          reel_shot_set_camera (shot, camera);
        }

      g_ptr_array_add (result->shots, g_steal_pointer (&shot));
    }

  if (local_assets != NULL)
    {
      for (guint i = 0; i < local_assets->len; i++)
        g_ptr_array_add (result->assets, g_object_ref (g_ptr_array_index (local_assets, i)));
    }
  else if (json_object_has_member (document, "assets") &&
           JSON_NODE_HOLDS_ARRAY (json_object_get_member (document, "assets")))
    {
      JsonArray *assets = json_object_get_array_member (document, "assets");

      for (guint i = 0; i < json_array_get_length (assets); i++)
        {
          JsonNode *node = json_array_get_element (assets, i);
          ReelAsset *asset;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            return invalid_data (error), NULL;
          asset = read_asset (json_node_get_object (node));
          if (asset == NULL)
            return invalid_data (error), NULL;
          g_ptr_array_add (result->assets, asset);
        }
    }

  return g_steal_pointer (&result);
}

ReelClipboardShots *
reel_clipboard_deserialize_shots (GBytes       *bytes,
                                  ReelProject  *target,
                                  GError      **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (REEL_IS_PROJECT (target), NULL);

  return read_document (bytes, reel_project_get_frame_rate (target),
                        reel_project_file_get_file (target), NULL, error);
}

/* The clipboard */

static void
append_text_cell (GString    *text,
                  const char *value,
                  gboolean    last)
{
  /* Tabs and line breaks would start a new cell or row in a spreadsheet. */
  for (const char *p = value != NULL ? value : ""; *p != '\0'; p++)
    g_string_append_c (text, (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p);
  g_string_append_c (text, last ? '\n' : '\t');
}

static GBytes *
shots_to_text (ReelProject *project,
               GPtrArray   *shots)
{
  GString *text = g_string_new (NULL);
  ReelFrameRate rate = reel_project_get_frame_rate (project);

  for (guint i = 0; i < shots->len; i++)
    {
      ReelShot *shot = g_ptr_array_index (shots, i);
      g_autofree char *lens = g_strdup_printf ("%g mm", reel_shot_get_lens_mm (shot));
      g_autofree char *seconds = reel_timecode_format_seconds (reel_shot_get_duration (shot),
                                                               rate);

      append_text_cell (text, reel_shot_get_number (shot), FALSE);
      append_text_cell (text, reel_camera_get_short_label (REEL_VOCAB_SIZE,
                                                           reel_shot_get_size (shot)), FALSE);
      append_text_cell (text, reel_camera_get_label (REEL_VOCAB_ANGLE,
                                                     reel_shot_get_angle (shot)), FALSE);
      append_text_cell (text, reel_camera_get_label (REEL_VOCAB_MOVEMENT,
                                                     reel_shot_get_movement (shot)), FALSE);
      append_text_cell (text, lens, FALSE);
      append_text_cell (text, seconds, FALSE);
      append_text_cell (text, reel_shot_get_description (shot), FALSE);
      append_text_cell (text, reel_shot_get_dialogue (shot), TRUE);
    }

  return g_string_free_to_bytes (text);
}

/* What a copy puts on the clipboard. A paste in this process takes the shots document
 * and the images themselves (by reference: no base64, no second copy of the bytes);
 * another program or another Storyreel gets the whole document, written on a worker
 * thread when it asks. */
#define REEL_TYPE_SHOTS_CONTENT (reel_shots_content_get_type ())
G_DECLARE_FINAL_TYPE (ReelShotsContent, reel_shots_content, REEL, SHOTS_CONTENT,
                      GdkContentProvider)

struct _ReelShotsContent
{
  GdkContentProvider parent_instance;

  GBytes *document;   /* the shots, without the images' bytes */
  GPtrArray *assets;  /* ReelAsset */
  GBytes *text;       /* tab-separated, for spreadsheets */
};

G_DEFINE_FINAL_TYPE (ReelShotsContent, reel_shots_content, GDK_TYPE_CONTENT_PROVIDER)

static void
write_full_document_thread (GTask        *task,
                            gpointer      source_object,
                            gpointer      task_data,
                            GCancellable *cancellable)
{
  ReelShotsContent *self = source_object;
  GBytes *full = write_full_document (self->document, self->assets);

  g_task_return_pointer (task, full, (GDestroyNotify) g_bytes_unref);
}

static void
content_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
content_write_bytes (GTask  *task,
                     GBytes *bytes)
{
  GOutputStream *stream = g_task_get_task_data (task);
  gsize size;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  /* The bytes stay alive with the task until the write has finished. */
  g_object_set_data_full (G_OBJECT (task), "bytes", g_bytes_ref (bytes),
                          (GDestroyNotify) g_bytes_unref);
  g_output_stream_write_all_async (stream, data, size, g_task_get_priority (task),
                                   g_task_get_cancellable (task), content_written_cb,
                                   g_object_ref (task));
}

static void
full_document_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) full = NULL;
  GError *error = NULL;

  full = g_task_propagate_pointer (G_TASK (result), &error);
  if (full == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The stream belongs to GDK and the main thread: written from here. */
  content_write_bytes (task, full);
}

static GdkContentFormats *
reel_shots_content_ref_formats (GdkContentProvider *provider)
{
  GdkContentFormatsBuilder *builder = gdk_content_formats_builder_new ();

  gdk_content_formats_builder_add_mime_type (builder, REEL_CLIPBOARD_MIME_TYPE);
  gdk_content_formats_builder_add_mime_type (builder, "text/plain;charset=utf-8");
  return gdk_content_formats_builder_free_to_formats (builder);
}

static void
reel_shots_content_write_mime_type_async (GdkContentProvider  *provider,
                                          const char          *mime_type,
                                          GOutputStream       *stream,
                                          int                  io_priority,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  ReelShotsContent *self = REEL_SHOTS_CONTENT (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, reel_shots_content_write_mime_type_async);
  g_task_set_priority (task, io_priority);
  g_task_set_task_data (task, g_object_ref (stream), g_object_unref);

  if (g_str_equal (mime_type, REEL_CLIPBOARD_MIME_TYPE))
    {
      g_autoptr(GTask) worker = g_task_new (self, cancellable, full_document_cb,
                                            g_object_ref (task));

      g_task_set_source_tag (worker, write_full_document_thread);
      g_task_run_in_thread (worker, write_full_document_thread);
    }
  else if (g_str_equal (mime_type, "text/plain;charset=utf-8"))
    {
      content_write_bytes (task, self->text);
    }
  else
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "Cannot provide contents as “%s”", mime_type);
    }
}

static gboolean
reel_shots_content_write_mime_type_finish (GdkContentProvider  *provider,
                                           GAsyncResult        *result,
                                           GError             **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
reel_shots_content_finalize (GObject *object)
{
  ReelShotsContent *self = REEL_SHOTS_CONTENT (object);

  g_clear_pointer (&self->document, g_bytes_unref);
  g_clear_pointer (&self->assets, g_ptr_array_unref);
  g_clear_pointer (&self->text, g_bytes_unref);

  G_OBJECT_CLASS (reel_shots_content_parent_class)->finalize (object);
}

static void
reel_shots_content_class_init (ReelShotsContentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GdkContentProviderClass *provider_class = GDK_CONTENT_PROVIDER_CLASS (klass);

  object_class->finalize = reel_shots_content_finalize;
  provider_class->ref_formats = reel_shots_content_ref_formats;
  provider_class->write_mime_type_async = reel_shots_content_write_mime_type_async;
  provider_class->write_mime_type_finish = reel_shots_content_write_mime_type_finish;
}

static void
reel_shots_content_init (ReelShotsContent *self)
{
}

/* Copying */

typedef struct
{
  GdkClipboard *clipboard;
  ReelShotsContent *content;
  guint serial;
} CopyData;

static void
copy_data_free (gpointer data)
{
  CopyData *copy = data;

  g_clear_object (&copy->clipboard);
  g_clear_object (&copy->content);
  g_free (copy);
}

static GQuark
copy_serial_quark (void)
{
  return g_quark_from_static_string ("reel-clipboard-copy-serial");
}

/* Every image the shots carry must be the one they name: a damaged image is not spread
 * to another project. Hashing a clip of hundreds of megabytes is why this is a worker. */
static void
check_assets_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  CopyData *copy = task_data;
  GPtrArray *assets = copy->content->assets;

  for (guint i = 0; i < assets->len; i++)
    {
      GError *error = NULL;

      if (g_task_return_error_if_cancelled (task))
        return;
      if (!reel_asset_check_integrity (g_ptr_array_index (assets, i), &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }

  g_task_return_boolean (task, TRUE);
}

static void
assets_checked_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CopyData *copy = g_task_get_task_data (task);
  GError *error = NULL;
  guint latest;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* A later copy finished first: it is what the user means to have. */
  latest = GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (copy->clipboard),
                                                 copy_serial_quark ()));
  if (copy->serial != latest)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "Superseded by a later copy");
      return;
    }

  if (!gdk_clipboard_set_content (copy->clipboard, GDK_CONTENT_PROVIDER (copy->content)) ||
      gdk_clipboard_get_content (copy->clipboard) != GDK_CONTENT_PROVIDER (copy->content))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The clipboard did not take the shots. Try again, or close "
                                 "the program that holds the clipboard."));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
reel_clipboard_copy_shots_async (GdkClipboard        *clipboard,
                                 ReelProject         *project,
                                 GPtrArray           *shots,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  CopyData *copy;
  ReelShotsContent *content;

  g_return_if_fail (GDK_IS_CLIPBOARD (clipboard));
  g_return_if_fail (REEL_IS_PROJECT (project));
  g_return_if_fail (shots != NULL);

  task = g_task_new (clipboard, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_clipboard_copy_shots_async);

  /* The model is read here, on the main thread, and only what is small: the shots and
   * their sketches. The images go by reference. */
  content = g_object_new (REEL_TYPE_SHOTS_CONTENT, NULL);
  content->assets = g_ptr_array_new_with_free_func (g_object_unref);
  content->document = write_shots_document (project, shots, content->assets);
  content->text = shots_to_text (project, shots);

  copy = g_new0 (CopyData, 1);
  copy->clipboard = g_object_ref (clipboard);
  copy->content = content;
  copy->serial = GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (clipboard),
                                                       copy_serial_quark ())) + 1;
  g_object_set_qdata (G_OBJECT (clipboard), copy_serial_quark (),
                      GUINT_TO_POINTER (copy->serial));
  g_task_set_task_data (task, copy, copy_data_free);

  worker = g_task_new (clipboard, cancellable, assets_checked_cb, g_object_ref (task));
  g_task_set_source_tag (worker, check_assets_thread);
  g_task_set_task_data (worker, copy, NULL);
  g_task_run_in_thread (worker, check_assets_thread);
}

gboolean
reel_clipboard_copy_shots_finish (GdkClipboard  *clipboard,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, clipboard), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        reel_clipboard_copy_shots_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
reel_clipboard_has_shots (GdkClipboard *clipboard)
{
  g_return_val_if_fail (GDK_IS_CLIPBOARD (clipboard), FALSE);

  return gdk_content_formats_contain_mime_type (gdk_clipboard_get_formats (clipboard),
                                                REEL_CLIPBOARD_MIME_TYPE);
}

static void
splice_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GOutputStream *output = G_OUTPUT_STREAM (object);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_output_stream_splice_finish (output, result, &error) < 0)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task,
                         g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (output)),
                         (GDestroyNotify) g_bytes_unref);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GOutputStream) output = NULL;
  GError *error = NULL;

  input = gdk_clipboard_read_finish (GDK_CLIPBOARD (object), result, NULL, &error);
  if (input == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  output = g_memory_output_stream_new_resizable ();
  g_output_stream_splice_async (output, input,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                splice_cb, g_object_ref (task));
}

void
reel_clipboard_read_shots_async (GdkClipboard        *clipboard,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  static const char *mime_types[] = { REEL_CLIPBOARD_MIME_TYPE, NULL };
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GDK_IS_CLIPBOARD (clipboard));

  task = g_task_new (clipboard, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_clipboard_read_shots_async);

  gdk_clipboard_read_async (clipboard, mime_types, G_PRIORITY_DEFAULT, cancellable,
                            read_cb, g_object_ref (task));
}

GBytes *
reel_clipboard_read_shots_finish (GdkClipboard  *clipboard,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, clipboard), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        reel_clipboard_read_shots_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Pasting */

typedef struct
{
  ReelFrameRate target_rate;
  GFile *project_file;
  GBytes *document;
  GPtrArray *local_assets;
} PasteData;

static void
paste_data_free (gpointer data)
{
  PasteData *paste = data;

  g_clear_object (&paste->project_file);
  g_clear_pointer (&paste->document, g_bytes_unref);
  g_clear_pointer (&paste->local_assets, g_ptr_array_unref);
  g_free (paste);
}

static void
read_document_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  PasteData *paste = task_data;
  GError *error = NULL;
  ReelClipboardShots *pasted;

  pasted = read_document (paste->document, paste->target_rate, paste->project_file,
                          paste->local_assets, &error);
  if (pasted == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pasted, (GDestroyNotify) reel_clipboard_shots_free);
}

static void
paste_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PasteData *paste = g_task_get_task_data (task);
  GError *error = NULL;

  paste->document = reel_clipboard_read_shots_finish (GDK_CLIPBOARD (object), result, &error);
  if (paste->document == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_run_in_thread (task, read_document_thread);
}

void
reel_clipboard_paste_shots_async (GdkClipboard        *clipboard,
                                  ReelProject         *target,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GdkContentProvider *content;
  GFile *project_file;
  PasteData *paste;

  g_return_if_fail (GDK_IS_CLIPBOARD (clipboard));
  g_return_if_fail (REEL_IS_PROJECT (target));

  task = g_task_new (clipboard, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_clipboard_paste_shots_async);

  paste = g_new0 (PasteData, 1);
  paste->target_rate = reel_project_get_frame_rate (target);
  project_file = reel_project_file_get_file (target);
  paste->project_file = project_file != NULL ? g_object_ref (project_file) : NULL;
  g_task_set_task_data (task, paste, paste_data_free);

  /* Copied in this process: the images are already here. */
  content = gdk_clipboard_get_content (clipboard);
  if (content != NULL && REEL_IS_SHOTS_CONTENT (content))
    {
      ReelShotsContent *shots = REEL_SHOTS_CONTENT (content);

      paste->document = g_bytes_ref (shots->document);
      paste->local_assets = g_ptr_array_ref (shots->assets);
      g_task_run_in_thread (task, read_document_thread);
      return;
    }

  reel_clipboard_read_shots_async (clipboard, cancellable, paste_read_cb, g_object_ref (task));
}

ReelClipboardShots *
reel_clipboard_paste_shots_finish (GdkClipboard  *clipboard,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, clipboard), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        reel_clipboard_paste_shots_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
