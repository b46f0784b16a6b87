/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-export-json"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "core/reel-set-edit.h"
#include "reel-export-context-private.h"
#include "reel-export-formats-private.h"
#include "reel-export-json.h"

/*
 * The project as JSON for pipeline scripts, in the versioned schema of
 * data/schema/storyreel-project.schema.json (documented in docs/json-export.md). Images are
 * not embedded: shots name their assets by content hash and the "assets" list describes each
 * one, with its provenance when an AI service made it.
 */

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_int (JsonBuilder *builder,
         const char  *member,
         gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

static void
add_double (JsonBuilder *builder,
            const char  *member,
            double       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_double_value (builder, value);
}

static void
add_boolean (JsonBuilder *builder,
             const char  *member,
             gboolean     value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_boolean_value (builder, value);
}

static void
add_string_array (JsonBuilder        *builder,
                  const char         *member,
                  const char * const *values,
                  GHashTable         *used_hashes)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      json_builder_add_string_value (builder, values[i]);
      if (used_hashes != NULL)
        g_hash_table_add (used_hashes, (gpointer) values[i]);
    }
  json_builder_end_array (builder);
}

static char *
format_utc (gint64 unix_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_us / G_USEC_PER_SEC);

  return time != NULL ? g_date_time_format_iso8601 (time) : NULL;
}

static void
add_frame_rate (JsonBuilder   *builder,
                ReelFrameRate  rate)
{
  json_builder_set_member_name (builder, "frame_rate");
  json_builder_begin_object (builder);
  add_int (builder, "num", rate.num);
  add_int (builder, "den", rate.den);
  add_double (builder, "fps", reel_frame_rate_to_double (rate));
  json_builder_end_object (builder);
}

static void
add_plate (JsonBuilder *builder,
           ReelPlate   *plate,
           GFile       *plate_file)
{
  g_autofree char *key_color = NULL;
  g_autofree char *uri = NULL;

  json_builder_set_member_name (builder, "plate");
  if (plate == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  key_color = g_strdup_printf ("#%06X", reel_plate_get_key_color (plate) & 0xFFFFFF);
  uri = plate_file != NULL ? g_file_get_uri (plate_file) : NULL;

  json_builder_begin_object (builder);
  add_string (builder, "path", reel_plate_get_path (plate));
  add_string (builder, "uri", uri);
  add_int (builder, "file_size", reel_plate_get_file_size (plate));
  add_string (builder, "hash", reel_plate_get_hash (plate));
  add_int (builder, "duration_ns", reel_plate_get_duration (plate));
  add_int (builder, "width", reel_plate_get_width (plate));
  add_int (builder, "height", reel_plate_get_height (plate));
  add_string (builder, "key_color", key_color);
  add_double (builder, "similarity", reel_plate_get_similarity (plate));
  add_double (builder, "softness", reel_plate_get_softness (plate));
  add_double (builder, "spill", reel_plate_get_spill (plate));
  add_double (builder, "background_scale", reel_plate_get_background_scale (plate));
  add_double (builder, "background_x", reel_plate_get_background_x (plate));
  add_double (builder, "background_y", reel_plate_get_background_y (plate));
  add_double (builder, "plate_scale", reel_plate_get_plate_scale (plate));
  add_double (builder, "plate_x", reel_plate_get_plate_x (plate));
  add_double (builder, "plate_y", reel_plate_get_plate_y (plate));
  add_boolean (builder, "muted", reel_plate_get_muted (plate));
  json_builder_end_object (builder);
}

static void
add_stroke (JsonBuilder *builder,
            ReelStroke  *stroke)
{
  const ReelColor *color = reel_stroke_get_color (stroke);
  const ReelStrokePoint *points;
  guint n_points;

  points = reel_stroke_get_points (stroke, &n_points);

  json_builder_begin_object (builder);
  add_string (builder, "tool", reel_stroke_get_tool (stroke));
  json_builder_set_member_name (builder, "color");
  json_builder_begin_array (builder);
  json_builder_add_double_value (builder, color->red);
  json_builder_add_double_value (builder, color->green);
  json_builder_add_double_value (builder, color->blue);
  json_builder_add_double_value (builder, color->alpha);
  json_builder_end_array (builder);
  add_double (builder, "width", reel_stroke_get_width (stroke));
  add_string (builder, "text", reel_stroke_get_text (stroke));
  /* [x, y, pressure, tilt_x, tilt_y] per point: compact for long strokes. */
  json_builder_set_member_name (builder, "points");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_points; i++)
    {
      json_builder_begin_array (builder);
      json_builder_add_double_value (builder, points[i].x);
      json_builder_add_double_value (builder, points[i].y);
      json_builder_add_double_value (builder, points[i].pressure);
      json_builder_add_double_value (builder, points[i].tilt_x);
      json_builder_add_double_value (builder, points[i].tilt_y);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
add_sketch (JsonBuilder *builder,
            ReelSketch  *sketch)
{
  json_builder_set_member_name (builder, "sketch");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "layers");
  json_builder_begin_array (builder);
  for (guint l = 0; l < reel_sketch_get_n_layers (sketch); l++)
    {
      const char *name = reel_sketch_get_layer_name (sketch, l);
      g_autoptr(GPtrArray) strokes = reel_sketch_list_strokes (sketch, name);

      json_builder_begin_object (builder);
      add_string (builder, "name", name);
      add_boolean (builder, "visible", reel_sketch_get_layer_visible (sketch, name));
      add_double (builder, "opacity", reel_sketch_get_layer_opacity (sketch, name));
      json_builder_set_member_name (builder, "strokes");
      json_builder_begin_array (builder);
      for (guint i = 0; i < strokes->len; i++)
        add_stroke (builder, g_ptr_array_index (strokes, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
add_pair (JsonBuilder *builder,
          const char  *member,
          double       a,
          double       b)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  json_builder_add_double_value (builder, a);
  json_builder_add_double_value (builder, b);
  json_builder_end_array (builder);
}

/* The scene's floor plan in metres (axes and angles as in reel-set.h), or null. */
static void
add_set (JsonBuilder   *builder,
         const ReelSet *set)
{
  const ReelSetMark *a, *b;

  json_builder_set_member_name (builder, "set");
  if (set == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  add_string (builder, "template", set->template_id);
  add_boolean (builder, "exterior", set->exterior);
  add_pair (builder, "floor_size", set->floor_width, set->floor_depth);

  json_builder_set_member_name (builder, "walls");
  json_builder_begin_array (builder);
  for (guint i = 0; i < set->walls->len; i++)
    {
      const ReelSetWall *wall = &g_array_index (set->walls, ReelSetWall, i);

      json_builder_begin_object (builder);
      add_pair (builder, "from", wall->x1, wall->z1);
      add_pair (builder, "to", wall->x2, wall->z2);
      add_double (builder, "height", wall->height);
      add_double (builder, "thickness", wall->thickness);
      json_builder_set_member_name (builder, "openings");
      json_builder_begin_array (builder);
      for (guint j = 0; j < wall->openings->len; j++)
        {
          const ReelSetOpening *o = &g_array_index (wall->openings, ReelSetOpening, j);

          json_builder_begin_object (builder);
          add_string (builder, "kind", o->kind == REEL_SET_OPENING_WINDOW ? "window" : "door");
          add_double (builder, "offset", o->offset);
          add_double (builder, "width", o->width);
          add_double (builder, "sill", o->sill);
          add_double (builder, "height", o->height);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "props");
  json_builder_begin_array (builder);
  for (guint i = 0; i < set->props->len; i++)
    {
      const ReelSetProp *prop = &g_array_index (set->props, ReelSetProp, i);

      json_builder_begin_object (builder);
      add_string (builder, "kind", prop->kind);
      add_string (builder, "name", prop->name != NULL ? prop->name : "");
      add_pair (builder, "position", prop->x, prop->z);
      add_double (builder, "elevation", prop->elevation);
      json_builder_set_member_name (builder, "size");
      json_builder_begin_array (builder);
      json_builder_add_double_value (builder, prop->width);
      json_builder_add_double_value (builder, prop->depth);
      json_builder_add_double_value (builder, prop->height);
      json_builder_end_array (builder);
      add_double (builder, "rotation_deg", prop->rotation);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "marks");
  json_builder_begin_array (builder);
  for (guint i = 0; i < set->marks->len; i++)
    {
      const ReelSetMark *mark = &g_array_index (set->marks, ReelSetMark, i);

      json_builder_begin_object (builder);
      add_string (builder, "name", mark->name);
      add_pair (builder, "position", mark->x, mark->z);
      add_double (builder, "facing_deg", mark->facing);
      add_double (builder, "eye_height", mark->eye_height);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "line_of_action");
  if (reel_set_get_line_of_action (set, &a, &b))
    {
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, a->name);
      json_builder_add_string_value (builder, b->name);
      json_builder_end_array (builder);
    }
  else
    {
      json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);
}

static void
add_pose (JsonBuilder          *builder,
          const ReelCameraPose *pose,
          const ReelSensor     *sensor,
          double                aspect)
{
  graphene_quaternion_t rotation;
  graphene_vec4_t q;

  reel_camera_pose_get_rotation (pose, &rotation);
  graphene_quaternion_to_vec4 (&rotation, &q);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "position");
  json_builder_begin_array (builder);
  json_builder_add_double_value (builder, pose->x);
  json_builder_add_double_value (builder, pose->height);
  json_builder_add_double_value (builder, pose->z);
  json_builder_end_array (builder);
  add_double (builder, "pan_deg", pose->pan);
  add_double (builder, "tilt_deg", pose->tilt);
  add_double (builder, "roll_deg", pose->roll);
  json_builder_set_member_name (builder, "rotation");
  json_builder_begin_array (builder);
  json_builder_add_double_value (builder, graphene_vec4_get_x (&q));
  json_builder_add_double_value (builder, graphene_vec4_get_y (&q));
  json_builder_add_double_value (builder, graphene_vec4_get_z (&q));
  json_builder_add_double_value (builder, graphene_vec4_get_w (&q));
  json_builder_end_array (builder);
  add_double (builder, "lens_mm", pose->lens_mm);
  add_double (builder, "horizontal_fov_deg",
              reel_optics_horizontal_fov (sensor->width_mm, pose->lens_mm));
  add_double (builder, "vertical_fov_deg",
              reel_optics_vertical_fov_for_aspect (sensor->width_mm, pose->lens_mm, aspect));
  json_builder_end_object (builder);
}

/* The shot's camera in the scene's set, or null. */
static void
add_camera (JsonBuilder *builder,
            ReelProject *project,
            ReelShot    *shot)
{
  const ReelShotCamera *camera = reel_shot_get_camera (shot);
  const ReelSensor *sensor = reel_optics_sensor_lookup_or_default (reel_project_get_sensor (project));
  double aspect = reel_project_get_aspect_ratio (project);
  ReelCameraDerived derived;

  json_builder_set_member_name (builder, "camera");
  if (camera == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  reel_shot_derive_camera (shot, project, &derived);
  json_builder_begin_object (builder);
  add_string (builder, "sensor", sensor->id);
  add_double (builder, "sensor_width_mm", sensor->width_mm);
  json_builder_set_member_name (builder, "start");
  add_pose (builder, &camera->start, sensor, aspect);
  json_builder_set_member_name (builder, "end");
  if (camera->moves)
    add_pose (builder, &camera->end, sensor, aspect);
  else
    json_builder_add_null_value (builder);
  add_string (builder, "easing", reel_camera_easing_to_id (camera->easing));
  add_string (builder, "subject", derived.subject >= 0
                                    ? g_array_index (reel_scene_get_set (reel_shot_get_scene (shot))->marks,
                                                     ReelSetMark, derived.subject).name
                                    : NULL);
  add_double (builder, "subject_distance", derived.subject_distance);
  json_builder_end_object (builder);
}

static void
add_shot (JsonBuilder          *builder,
          ReelExportContext    *context,
          const ReelExportShot *item,
          GHashTable           *used_hashes)
{
  ReelShot *shot = item->shot;
  g_autofree char *timecode_in = reel_export_context_dup_record_timecode (context, item->start);
  g_autofree char *timecode_out =
    reel_export_context_dup_record_timecode (context, item->start + item->duration);
  const char *background = reel_shot_get_background (shot);

  json_builder_begin_object (builder);
  add_string (builder, "id", reel_shot_get_id (shot));
  add_string (builder, "number", reel_shot_get_number (shot));
  add_string (builder, "code", item->code);
  add_string (builder, "description", reel_shot_get_description (shot));
  add_string (builder, "dialogue", reel_shot_get_dialogue (shot));
  add_string (builder, "notes", reel_shot_get_notes (shot));
  add_string (builder, "cast", reel_shot_get_cast (shot));
  add_string (builder, "size", reel_shot_get_size (shot));
  add_string (builder, "framing", reel_shot_get_framing (shot));
  add_string (builder, "angle", reel_shot_get_angle (shot));
  add_string (builder, "movement", reel_shot_get_movement (shot));
  add_double (builder, "lens_mm", reel_shot_get_lens_mm (shot));
  add_double (builder, "camera_height_m", reel_shot_get_camera_height_m (shot));
  add_int (builder, "duration_frames", item->duration);
  add_int (builder, "start_frame", item->start);
  add_string (builder, "timecode_in", timecode_in);
  add_string (builder, "timecode_out", timecode_out);
  add_string (builder, "status", reel_shot_get_status (shot));
  add_string (builder, "vfx_notes", reel_shot_get_vfx_notes (shot));
  add_string (builder, "background", background);
  if (background != NULL)
    g_hash_table_add (used_hashes, (gpointer) background);
  add_string_array (builder, "variants", reel_shot_get_variants (shot), used_hashes);
  add_string_array (builder, "generations", reel_shot_get_generations (shot), used_hashes);
  add_boolean (builder, "ai_generated",
               reel_generation_record_is_model_made (item->generation));
  add_plate (builder, reel_shot_get_plate (shot), item->plate_file);
  add_sketch (builder, reel_shot_get_sketch (shot));
  add_camera (builder, reel_export_context_get_project (context), shot);
  json_builder_end_object (builder);
}

static void
add_generation (JsonBuilder          *builder,
                ReelGenerationRecord *record)
{
  g_autofree char *created = NULL;

  if (record == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  created = format_utc (record->created_us);

  json_builder_begin_object (builder);
  add_string (builder, "kind", record->kind);
  add_string (builder, "provider", record->provider);
  add_string (builder, "model", record->model);
  add_string (builder, "endpoint_host", record->endpoint_host);
  add_string (builder, "prompt", record->prompt);
  add_string (builder, "negative_prompt", record->negative_prompt);
  json_builder_set_member_name (builder, "seed");
  if (record->seed >= 0)
    json_builder_add_int_value (builder, record->seed);
  else
    json_builder_add_null_value (builder);

  /* Parameters are a JSON object as text; kept as an object when they parse as one. */
  json_builder_set_member_name (builder, "parameters");
  {
    g_autoptr(JsonNode) parameters = NULL;

    if (record->parameters != NULL)
      parameters = json_from_string (record->parameters, NULL);
    if (parameters != NULL && JSON_NODE_HOLDS_OBJECT (parameters))
      json_builder_add_value (builder, g_steal_pointer (&parameters));
    else
      json_builder_add_null_value (builder);
  }

  add_string_array (builder, "input_hashes", (const char * const *) record->input_hashes, NULL);
  add_string (builder, "created", created);
  add_int (builder, "duration_ms", record->duration_ms);
  add_string (builder, "angle_id", record->angle_id);
  json_builder_end_object (builder);
}

static void
add_asset (JsonBuilder *builder,
           ReelAsset   *asset)
{
  guint n_records;
  ReelGenerationRecord * const *records = reel_asset_get_generations (asset, &n_records);

  json_builder_begin_object (builder);
  add_string (builder, "hash", reel_asset_get_hash (asset));
  add_string (builder, "mime_type", reel_asset_get_mime_type (asset));
  add_int (builder, "width", reel_asset_get_width (asset));
  add_int (builder, "height", reel_asset_get_height (asset));
  add_int (builder, "size_bytes", reel_asset_get_size (asset));
  /* "generation", the first record, for readers from before "generations". */
  json_builder_set_member_name (builder, "generation");
  add_generation (builder, n_records > 0 ? records[0] : NULL);
  json_builder_set_member_name (builder, "generations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_records; i++)
    add_generation (builder, records[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
add_metadata (JsonBuilder *builder,
              ReelProject *project)
{
  g_auto(GStrv) keys = reel_project_list_metadata_keys (project);

  json_builder_set_member_name (builder, "metadata");
  json_builder_begin_object (builder);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    add_string (builder, keys[i], reel_project_get_metadata (project, keys[i]));
  json_builder_end_object (builder);
}

static gboolean
reel_export_json_write (ReelExportContext  *context,
                        GError            **error)
{
  ReelProject *project = reel_export_context_get_project (context);
  ReelExportOptions *options = reel_export_context_get_options (context);
  ReelExportScope scope = reel_export_options_get_scope (options);
  ReelScene *scope_scene = reel_export_context_get_scene (context);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) in_scope = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) used_hashes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) assets = NULL;
  g_autofree char *exported_at =
    g_date_time_format_iso8601 (reel_export_context_get_date (context));
  ReelExportShot * const *shots;
  guint n_shots;

  shots = reel_export_context_get_shots (context, &n_shots);
  for (guint i = 0; i < n_shots; i++)
    g_hash_table_insert (in_scope, shots[i]->shot, shots[i]);

  json_builder_begin_object (builder);
  add_string (builder, "format", REEL_EXPORT_JSON_FORMAT);
  add_int (builder, "schema_version", REEL_EXPORT_JSON_SCHEMA_VERSION);
  add_string (builder, "generator", "Storyreel " PACKAGE_VERSION);
  add_string (builder, "exported_at", exported_at);

  json_builder_set_member_name (builder, "scope");
  json_builder_begin_object (builder);
  add_string (builder, "kind", reel_export_enum_to_nick (REEL_TYPE_EXPORT_SCOPE, scope));
  add_string (builder, "scene_id", scope_scene != NULL ? reel_scene_get_id (scope_scene) : NULL);
  add_int (builder, "shot_count", n_shots);
  add_int (builder, "duration_frames", reel_export_context_get_duration (context));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "project");
  json_builder_begin_object (builder);
  add_string (builder, "title", reel_project_get_title (project));
  add_frame_rate (builder, reel_export_context_get_frame_rate (context));
  add_double (builder, "aspect_ratio", reel_project_get_aspect_ratio (project));
  add_string (builder, "sensor", reel_project_get_sensor (project));
  add_string (builder, "look_phrase", reel_project_get_look_phrase (project));
  add_string (builder, "look_image", reel_project_get_look_image (project));
  if (reel_project_get_look_image (project) != NULL)
    g_hash_table_add (used_hashes, (gpointer) reel_project_get_look_image (project));
  add_metadata (builder, project);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "scenes");
  json_builder_begin_array (builder);
  for (guint s = 0; s < reel_project_get_n_scenes (project); s++)
    {
      ReelScene *scene = reel_project_get_scene (project, s);
      gboolean any = FALSE;

      if (!reel_export_context_check_cancelled (context, error))
        return FALSE;

      for (guint i = 0; i < reel_scene_get_n_shots (scene) && !any; i++)
        any = g_hash_table_contains (in_scope, reel_scene_get_shot (scene, i));
      /* The whole project keeps its empty scenes; a part of it only what it holds. */
      if (!any && scope != REEL_EXPORT_SCOPE_PROJECT)
        continue;

      json_builder_begin_object (builder);
      add_string (builder, "id", reel_scene_get_id (scene));
      add_string (builder, "number", reel_scene_get_number (scene));
      add_string (builder, "int_ext", reel_int_ext_to_id (reel_scene_get_int_ext (scene)));
      add_string (builder, "location", reel_scene_get_location (scene));
      add_string (builder, "time_of_day", reel_scene_get_time_of_day (scene));
      add_string (builder, "heading", reel_scene_get_heading (scene));
      add_string (builder, "synopsis", reel_scene_get_synopsis (scene));
      add_set (builder, reel_scene_get_set (scene));
      json_builder_set_member_name (builder, "shots");
      json_builder_begin_array (builder);
      for (guint i = 0; i < reel_scene_get_n_shots (scene); i++)
        {
          ReelExportShot *item = g_hash_table_lookup (in_scope, reel_scene_get_shot (scene, i));

          if (item == NULL)
            continue;

          add_shot (builder, context, item, used_hashes);
          reel_export_context_progress (context, 0.8 * (item->index + 1) / n_shots);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  /* The assets the exported shots refer to, in the order the project stored them, and the
   * reference images that went into making them. */
  assets = reel_project_list_assets (project);
  for (guint i = 0; i < assets->len; i++)
    {
      ReelAsset *asset = g_ptr_array_index (assets, i);
      guint n_records;
      ReelGenerationRecord * const *records = reel_asset_get_generations (asset, &n_records);

      if (!g_hash_table_contains (used_hashes, reel_asset_get_hash (asset)))
        continue;
      for (guint r = 0; r < n_records; r++)
        for (guint h = 0; records[r]->input_hashes != NULL && records[r]->input_hashes[h] != NULL;
             h++)
          g_hash_table_add (used_hashes, records[r]->input_hashes[h]);
    }

  json_builder_set_member_name (builder, "assets");
  json_builder_begin_array (builder);
  for (guint i = 0; i < assets->len; i++)
    {
      ReelAsset *asset = g_ptr_array_index (assets, i);

      if (g_hash_table_contains (used_hashes, reel_asset_get_hash (asset)))
        add_asset (builder, asset);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  if (!json_generator_to_stream (generator, reel_export_context_get_stream (context), NULL,
                                 &local_error))
    {
      reel_export_context_set_write_error (context, local_error->message, error);
      return FALSE;
    }

  reel_export_context_progress (context, 1.0);

  return reel_export_context_write (context, "\n", 1, error);
}

const ReelExportFormat reel_export_format_json = {
  .id = "json",
  .name = N_("JSON for Pipeline Scripts"),
  .extension = "json",
  .mime_type = "application/json",
  .options = REEL_EXPORT_USES_SCOPE,
  .output = REEL_EXPORT_OUTPUT_FILE,
  .writes_panels = FALSE,
  .write = reel_export_json_write,
};
