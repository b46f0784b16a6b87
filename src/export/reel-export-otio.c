/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-export-otio"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "core/reel-optics.h"
#include "core/reel-set-edit.h"

#include "reel-export-context-private.h"
#include "reel-export-formats-private.h"
#include "reel-export-text-private.h"

/*
 * OpenTimelineIO JSON: Timeline.1 → Stack.1 → one Track.1 of kind "Video" → a Clip.2 per
 * shot. Each clip's DEFAULT_MEDIA is an ExternalReference.1 to the shot's panel PNG (or its
 * plate, or with the panel-clips option the panel's movie clip), available for the plate's length (a still: the clip's), its source range is the
 * shot's length at the project rate, a Marker.2 carries the
 * description and the shot's fields sit in metadata under "storyreel" (with the shot's camera
 * in the scene's set, as the JSON export writes it, or null). Marker.2 and not
 * Marker.3: released OpenTimelineIO 0.18 rejects the newer schema. Shots of zero frames take
 * no time on a timeline and are left out.
 */

static void
add_rational_time (JsonBuilder *builder,
                   const char  *member,
                   double       value,
                   double       rate)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "OTIO_SCHEMA");
  json_builder_add_string_value (builder, "RationalTime.1");
  json_builder_set_member_name (builder, "rate");
  json_builder_add_double_value (builder, rate);
  json_builder_set_member_name (builder, "value");
  json_builder_add_double_value (builder, value);
  json_builder_end_object (builder);
}

static void
add_time_range (JsonBuilder *builder,
                const char  *member,
                gint64       start,
                gint64       duration,
                double       rate)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "OTIO_SCHEMA");
  json_builder_add_string_value (builder, "TimeRange.1");
  add_rational_time (builder, "duration", duration, rate);
  add_rational_time (builder, "start_time", start, rate);
  json_builder_end_object (builder);
}

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

/* The members every Item (Stack, Track, Clip) has. */
static void
add_item_members (JsonBuilder *builder,
                  const char  *schema,
                  const char  *name)
{
  add_string (builder, "OTIO_SCHEMA", schema);
  add_string (builder, "name", name);
  json_builder_set_member_name (builder, "source_range");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "effects");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "enabled");
  json_builder_add_boolean_value (builder, TRUE);
}

static void
add_empty_object (JsonBuilder *builder,
                  const char  *member)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
}

static void
add_camera_pose (JsonBuilder          *builder,
                 const char           *member,
                 const ReelCameraPose *pose,
                 double                sensor_width_mm,
                 double                aspect)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "position");
  json_builder_begin_array (builder);
  json_builder_add_double_value (builder, pose->x);
  json_builder_add_double_value (builder, pose->height);
  json_builder_add_double_value (builder, pose->z);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "pan_deg");
  json_builder_add_double_value (builder, pose->pan);
  json_builder_set_member_name (builder, "tilt_deg");
  json_builder_add_double_value (builder, pose->tilt);
  json_builder_set_member_name (builder, "roll_deg");
  json_builder_add_double_value (builder, pose->roll);
  json_builder_set_member_name (builder, "lens_mm");
  json_builder_add_double_value (builder, pose->lens_mm);
  json_builder_set_member_name (builder, "horizontal_fov_deg");
  json_builder_add_double_value (builder,
                                 reel_optics_horizontal_fov (sensor_width_mm, pose->lens_mm));
  json_builder_set_member_name (builder, "vertical_fov_deg");
  json_builder_add_double_value (builder, reel_optics_vertical_fov_for_aspect (sensor_width_mm,
                                                                               pose->lens_mm,
                                                                               aspect));
  json_builder_end_object (builder);
}

/* The shot's camera in the scene's set (metres, +Y up, angles as the JSON export's), or null. */
static void
add_camera_metadata (JsonBuilder *builder,
                     ReelProject *project,
                     ReelShot    *shot)
{
  const ReelShotCamera *camera = reel_shot_get_camera (shot);
  const ReelSensor *sensor =
    reel_optics_sensor_lookup_or_default (reel_project_get_sensor (project));
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
  json_builder_set_member_name (builder, "sensor_width_mm");
  json_builder_add_double_value (builder, sensor->width_mm);
  add_camera_pose (builder, "start", &camera->start, sensor->width_mm, aspect);
  if (camera->moves)
    add_camera_pose (builder, "end", &camera->end, sensor->width_mm, aspect);
  else
    {
      json_builder_set_member_name (builder, "end");
      json_builder_add_null_value (builder);
    }
  add_string (builder, "easing", reel_camera_easing_to_id (camera->easing));
  add_string (builder, "subject",
              derived.subject >= 0
                ? g_array_index (reel_scene_get_set (reel_shot_get_scene (shot))->marks,
                                 ReelSetMark, derived.subject).name
                : NULL);
  json_builder_end_object (builder);
}

static void
add_shot_metadata (JsonBuilder          *builder,
                   ReelExportContext    *context,
                   const ReelExportShot *item)
{
  ReelShot *shot = item->shot;
  g_autofree char *panel = reel_export_context_dup_panel_uri (context, item);
  gboolean model_made = reel_generation_record_is_model_made (item->generation);

  json_builder_set_member_name (builder, "metadata");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "storyreel");
  json_builder_begin_object (builder);
  add_string (builder, "shot_id", reel_shot_get_id (shot));
  add_string (builder, "shot_number", reel_shot_get_number (shot));
  add_string (builder, "shot_code", item->code);
  add_string (builder, "scene_id", reel_scene_get_id (item->scene));
  add_string (builder, "scene_number", reel_scene_get_number (item->scene));
  add_string (builder, "scene_heading", reel_scene_get_heading (item->scene));
  add_string (builder, "description", reel_shot_get_description (shot));
  add_string (builder, "dialogue", reel_shot_get_dialogue (shot));
  add_string (builder, "notes", reel_shot_get_notes (shot));
  add_string (builder, "cast", reel_shot_get_cast (shot));
  add_string (builder, "size", reel_shot_get_size (shot));
  add_string (builder, "framing", reel_shot_get_framing (shot));
  add_string (builder, "angle", reel_shot_get_angle (shot));
  add_string (builder, "movement", reel_shot_get_movement (shot));
  json_builder_set_member_name (builder, "lens_mm");
  json_builder_add_double_value (builder, reel_shot_get_lens_mm (shot));
  json_builder_set_member_name (builder, "camera_height_m");
  json_builder_add_double_value (builder, reel_shot_get_camera_height_m (shot));
  json_builder_set_member_name (builder, "duration_frames");
  json_builder_add_int_value (builder, item->duration);
  add_string (builder, "status", reel_shot_get_status (shot));
  add_string (builder, "vfx_notes", reel_shot_get_vfx_notes (shot));
  add_string (builder, "panel", panel);
  json_builder_set_member_name (builder, "ai_generated");
  json_builder_add_boolean_value (builder, model_made);
  add_string (builder, "ai_provider", model_made ? item->generation->provider : NULL);
  add_string (builder, "ai_model", model_made ? item->generation->model : NULL);
  add_camera_metadata (builder, reel_export_context_get_project (context), shot);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static void
add_clip (JsonBuilder          *builder,
          ReelExportContext    *context,
          const ReelExportShot *item,
          double                rate)
{
  ReelFrameRate frame_rate = reel_export_context_get_frame_rate (context);
  g_autofree char *uri = NULL;
  g_autofree char *media_name = NULL;
  g_autofree char *marker_name = g_strdup_printf ("Shot %s", reel_shot_get_number (item->shot));
  g_autofree char *clip_name = reel_export_context_dup_clip_name (context, item);
  gint64 plate_frames = -1;

  if (item->plate_file != NULL)
    {
      gint64 duration_ns = reel_plate_get_duration (reel_shot_get_plate (item->shot));

      uri = g_file_get_uri (item->plate_file);
      media_name = g_file_get_basename (item->plate_file);
      if (duration_ns > 0)
        plate_frames = reel_timecode_ns_to_frames (duration_ns, frame_rate);
    }
  else if (item->clip_file != NULL)
    {
      /* The panel's movie clip, as long as the shot. */
      uri = g_file_get_uri (item->clip_file);
      media_name = g_file_get_basename (item->clip_file);
    }
  else
    {
      uri = reel_export_context_dup_panel_uri (context, item);
      media_name = g_strdup (item->panel_name);
    }

  json_builder_begin_object (builder);
  add_string (builder, "OTIO_SCHEMA", "Clip.2");
  add_string (builder, "name", clip_name);
  add_time_range (builder, "source_range", 0, item->duration, rate);
  json_builder_set_member_name (builder, "effects");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "enabled");
  json_builder_add_boolean_value (builder, TRUE);

  json_builder_set_member_name (builder, "markers");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  add_string (builder, "OTIO_SCHEMA", "Marker.2");
  add_string (builder, "name", marker_name);
  add_string (builder, "color", "RED");
  add_time_range (builder, "marked_range", 0, 0, rate);
  add_string (builder, "comment", reel_shot_get_description (item->shot));
  add_empty_object (builder, "metadata");
  json_builder_end_object (builder);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "media_references");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "DEFAULT_MEDIA");
  json_builder_begin_object (builder);
  add_string (builder, "OTIO_SCHEMA", "ExternalReference.1");
  add_string (builder, "name", media_name);
  /* Never null: OpenTimelineIO's own FCP 7 XML and FCPXML converters fail on a reference
   * without one. A still (or a plate of unknown length) is available for the clip's length. */
  add_time_range (builder, "available_range", 0, plate_frames > 0 ? plate_frames : item->duration,
                  rate);
  json_builder_set_member_name (builder, "available_image_bounds");
  json_builder_add_null_value (builder);
  add_string (builder, "target_url", uri);
  add_empty_object (builder, "metadata");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  add_string (builder, "active_media_reference_key", "DEFAULT_MEDIA");

  add_shot_metadata (builder, context, item);
  json_builder_end_object (builder);
}

static gboolean
reel_export_otio_write (ReelExportContext  *context,
                        GError            **error)
{
  ReelProject *project = reel_export_context_get_project (context);
  ReelFrameRate frame_rate = reel_export_context_get_frame_rate (context);
  double rate = reel_frame_rate_to_double (frame_rate);
  const char *title = reel_project_get_title (project);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  ReelExportShot * const *shots;
  guint n_shots;

  shots = reel_export_context_get_shots (context, &n_shots);

  if (!reel_export_context_write_media (context, 0.8, error))
    return FALSE;

  json_builder_begin_object (builder);
  add_string (builder, "OTIO_SCHEMA", "Timeline.1");
  add_string (builder, "name", title);
  add_rational_time (builder, "global_start_time",
                     reel_export_context_get_start_frame (context), rate);

  json_builder_set_member_name (builder, "metadata");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "storyreel");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "frame_rate_num");
  json_builder_add_int_value (builder, frame_rate.num);
  json_builder_set_member_name (builder, "frame_rate_den");
  json_builder_add_int_value (builder, frame_rate.den);
  json_builder_set_member_name (builder, "aspect_ratio");
  json_builder_add_double_value (builder, reel_project_get_aspect_ratio (project));
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "tracks");
  json_builder_begin_object (builder);
  add_item_members (builder, "Stack.1", "tracks");
  json_builder_set_member_name (builder, "markers");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  add_empty_object (builder, "metadata");
  json_builder_set_member_name (builder, "children");
  json_builder_begin_array (builder);

  json_builder_begin_object (builder);
  add_item_members (builder, "Track.1", "Storyboard");
  add_string (builder, "kind", "Video");
  json_builder_set_member_name (builder, "markers");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  add_empty_object (builder, "metadata");
  json_builder_set_member_name (builder, "children");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_shots; i++)
    {
      if (!reel_export_context_check_cancelled (context, error))
        return FALSE;
      if (shots[i]->duration > 0)
        add_clip (builder, context, shots[i], rate);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  reel_export_context_progress (context, 0.9);

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

const ReelExportFormat reel_export_format_otio = {
  .id = "otio",
  .name = N_("OpenTimelineIO"),
  .extension = "otio",
  .mime_type = "application/vnd.pixar.opentimelineio+json",
  .options = REEL_EXPORT_USES_SCOPE | REEL_EXPORT_USES_PANEL_WIDTH | REEL_EXPORT_USES_CLIP_NAMING
             | REEL_EXPORT_USES_PANEL_CLIPS,
  .output = REEL_EXPORT_OUTPUT_FILE,
  .writes_panels = TRUE,
  .write = reel_export_otio_write,
};
