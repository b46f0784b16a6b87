/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "../reel-test-require.h"
#include "export-test-util.h"
#include "media/reel-media-probe.h"

/*
 * Panels as movie clips, for DaVinci Resolve (which does not import stills from an EDL):
 * with the panel-clips option the EDL, FCPXML and OTIO refer to a QuickTime movie per panel
 * in NAME_media/ beside the file, in Apple ProRes with PCM sound, which Resolve's free edition
 * on Linux reads (it decodes no H.264 or AAC). Each clip exists, GStreamer's discoverer finds
 * it as ProRes in QuickTime as long as its shot at the project's rate, its first frame is
 * the panel, and each format names it as
 * its consumers look for it (the EDL's FROM CLIP NAME, FCPXML's media-rep, OTIO's
 * target_url). A shot with footage keeps its footage.
 */

#define CLIP_PANEL_WIDTH 160

typedef struct
{
  ReelProject *project;
  GPtrArray *shots;
  GFile *plate;
} Fixture;

/* Three shots at 25 fps (24, 25 and 26 frames, the first and last on a background); the
 * middle one on footage. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GFile) footage = export_test_make_folder ("panel-clips-footage");

  fixture->project = export_test_new_large_project (1, 3);
  reel_project_set_frame_rate (fixture->project, REEL_FRAME_RATE_INIT (25, 1));
  fixture->shots = export_test_list_shots (fixture->project);
  reel_shot_set_background (g_ptr_array_index (fixture->shots, 2),
                            reel_shot_get_background (g_ptr_array_index (fixture->shots, 0)));

  fixture->plate = g_file_get_child (footage, "pier.mov");
  if (!g_file_query_exists (fixture->plate, NULL))
    export_test_make_plate (fixture->plate, 320, 180, 25, 1, 50, 2, 48000);
  {
    g_autoptr(ReelPlate) plate = reel_plate_new (g_file_peek_path (fixture->plate));

    reel_shot_set_plate (g_ptr_array_index (fixture->shots, 1), plate);
  }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->shots, g_ptr_array_unref);
  g_clear_object (&fixture->project);
  g_clear_object (&fixture->plate);
}

static GFile *
export_with_clips (Fixture    *fixture,
                   const char *format_id,
                   GFile     **out_media)
{
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autofree char *name = g_strdup_printf ("panel-clips-%s", format_id);
  g_autofree char *basename = g_strdup_printf ("cut.%s", format_id);
  g_autoptr(GFile) folder = export_test_make_folder (name);
  g_autoptr(GFile) output = g_file_get_child (folder, basename);
  g_autoptr(GError) error = NULL;

  reel_export_options_set_panel_width (options, CLIP_PANEL_WIDTH);
  reel_export_options_set_panel_clips (options, TRUE);
  export_test_run (format_id, fixture->project, options, output, &error);
  g_assert_no_error (error);
  export_test_assert_no_temporaries (folder);

  *out_media = g_file_get_child (folder, "cut_media");
  export_test_assert_no_temporaries (*out_media);
  return g_steal_pointer (&output);
}

/* The clip of the shot at @index: "0001_SC1_SH1-1.mov", named as its panel. */
static GFile *
clip_of (GFile *media,
         guint  index)
{
  g_auto(GStrv) names = export_test_list_folder (media);
  g_autofree char *prefix = g_strdup_printf ("%04u_", index + 1);

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_prefix (names[i], prefix))
      {
        g_assert_true (g_str_has_suffix (names[i], ".mov"));
        return g_file_get_child (media, names[i]);
      }

  return NULL;
}

/* Mean red, green and blue of @png's pixels. */
static void
mean_colour (const char *png,
             double      rgb[3])
{
  cairo_surface_t *surface = cairo_image_surface_create_from_png (png);
  int width, height, stride;
  const guint8 *data;
  double sum[3] = { 0, 0, 0 };

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (surface);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  stride = cairo_image_surface_get_stride (surface);
  data = cairo_image_surface_get_data (surface);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 pixel = *(const guint32 *) (data + y * stride + x * 4);

        sum[0] += (pixel >> 16) & 0xff;
        sum[1] += (pixel >> 8) & 0xff;
        sum[2] += pixel & 0xff;
      }
  for (guint i = 0; i < 3; i++)
    rgb[i] = sum[i] / (width * height);
  cairo_surface_destroy (surface);
}

/* Decodes @clip's first frame into a PNG beside it. */
static char *
first_frame (GFile *clip)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) source = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autofree char *png = g_strconcat (g_file_peek_path (clip), ".frame.png", NULL);

  pipeline = gst_parse_launch ("filesrc name=source ! decodebin ! videoconvert ! "
                               "pngenc snapshot=true ! filesink name=sink", &error);
  g_assert_no_error (error);
  source = gst_bin_get_by_name (GST_BIN (pipeline), "source");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (source, "location", g_file_peek_path (clip), NULL);
  g_object_set (sink, "location", png, NULL);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  return g_steal_pointer (&png);
}

/* What the discoverer says @clip is: ProRes video in a QuickTime (not ISO MP4) container,
 * at 25 fps, and its sound (if any) uncompressed PCM, never AAC. */
static void
check_prores_mov (GFile *clip)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstDiscoverer) discoverer = gst_discoverer_new (60 * GST_SECOND, &error);
  g_autofree char *uri = g_file_get_uri (clip);
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autoptr(GstDiscovererStreamInfo) top = NULL;
  g_autoptr(GstCaps) container_caps = NULL;
  GList *videos, *audios;
  GstStructure *structure;

  g_assert_no_error (error);
  info = gst_discoverer_discover_uri (discoverer, uri, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gst_discoverer_info_get_result (info), ==, GST_DISCOVERER_OK);

  top = gst_discoverer_info_get_stream_info (info);
  g_assert_true (GST_IS_DISCOVERER_CONTAINER_INFO (top));
  container_caps = gst_discoverer_stream_info_get_caps (top);
  structure = gst_caps_get_structure (container_caps, 0);
  g_assert_cmpstr (gst_structure_get_name (structure), ==, "video/quicktime");
  /* qtdemux calls a QuickTime file's brand "apple", an MP4's "iso". */
  if (gst_structure_has_field (structure, "variant"))
    g_assert_cmpstr (gst_structure_get_string (structure, "variant"), ==, "apple");

  videos = gst_discoverer_info_get_video_streams (info);
  g_assert_cmpuint (g_list_length (videos), ==, 1);
  {
    g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (videos->data);

    g_assert_cmpstr (gst_structure_get_name (gst_caps_get_structure (caps, 0)), ==,
                     "video/x-prores");
    /* ProRes 422 Proxy, the smallest: a still held for a shot needs no more. */
    g_assert_cmpstr (gst_structure_get_string (gst_caps_get_structure (caps, 0), "variant"),
                     ==, "proxy");
    g_assert_cmpuint (gst_discoverer_video_info_get_framerate_num (videos->data), ==, 25);
    g_assert_cmpuint (gst_discoverer_video_info_get_framerate_denom (videos->data), ==, 1);
  }
  gst_discoverer_stream_info_list_free (videos);

  audios = gst_discoverer_info_get_audio_streams (info);
  for (GList *l = audios; l != NULL; l = l->next)
    {
      g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (l->data);

      g_assert_cmpstr (gst_structure_get_name (gst_caps_get_structure (caps, 0)), ==,
                       "audio/x-raw");
    }
  gst_discoverer_stream_info_list_free (audios);
}

/* Every shot without footage has a clip: a ProRes QuickTime movie GStreamer reads as long
 * as the shot at 25 fps, the panels' size, whose picture is the panel. */
static void
check_clips (Fixture *fixture,
             GFile   *output,
             GFile   *media)
{
  g_autoptr(GFile) folder = g_file_get_parent (output);
  g_autoptr(GFile) panels = g_file_get_child (folder, "cut_panels");
  g_auto(GStrv) names = export_test_list_folder (media);

  /* Shots 1 and 3; shot 2 plays its footage. */
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_null (clip_of (media, 1));

  for (guint i = 0; i < 3; i += 2)
    {
      ReelShot *shot = g_ptr_array_index (fixture->shots, i);
      g_autoptr(GFile) clip = clip_of (media, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *stem = NULL;
      g_autofree char *panel_name = NULL;
      g_autoptr(GFile) panel = NULL;
      g_autofree char *frame = NULL;
      gint64 expected_ns = reel_timecode_frames_to_ns (reel_shot_get_duration (shot),
                                                       REEL_FRAME_RATE_INIT (25, 1));
      double clip_rgb[3], panel_rgb[3];
      ReelMediaInfo info;

      g_assert_nonnull (clip);
      g_assert_true (reel_media_probe_file (clip, &info, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (info.has_video);
      g_assert_cmpint (info.rate_num, ==, 25);
      g_assert_cmpint (info.rate_den, ==, 1);
      g_assert_cmpint (info.width, ==, CLIP_PANEL_WIDTH);
      /* The shot's length to within half a frame (20 ms at 25 fps). */
      g_assert_cmpint (ABS (info.duration_ns - expected_ns), <, 20 * G_TIME_SPAN_MILLISECOND
                                                                 * 1000);
      check_prores_mov (clip);

      /* The same name as the panel, and the same picture. */
      stem = g_file_get_basename (clip);
      stem[strlen (stem) - 4] = '\0';
      panel_name = g_strconcat (stem, ".png", NULL);
      panel = g_file_get_child (panels, panel_name);
      g_assert_true (g_file_query_exists (panel, NULL));
      frame = first_frame (clip);
      mean_colour (frame, clip_rgb);
      mean_colour (g_file_peek_path (panel), panel_rgb);
      for (guint c = 0; c < 3; c++)
        g_assert_cmpfloat (ABS (clip_rgb[c] - panel_rgb[c]), <, 12.0);
      g_assert_cmpint (g_unlink (frame), ==, 0);
    }
}

static void
test_panel_clips_edl (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GFile) media = NULL;
  g_autoptr(GFile) output = export_with_clips (fixture, "edl", &media);
  g_autofree char *edl = export_test_read_text (output);
  g_auto(GStrv) lines = g_strsplit (edl, "\n", -1);
  g_autoptr(GPtrArray) clip_names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) source_outs = g_ptr_array_new_with_free_func (g_free);

  check_clips (fixture, output, media);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "* FROM CLIP NAME:  "))
        g_ptr_array_add (clip_names, g_strdup (lines[i] + strlen ("* FROM CLIP NAME:  ")));
      else if (g_ascii_isdigit (lines[i][0]) && strlen (lines[i]) > 53)
        g_ptr_array_add (source_outs, g_strndup (lines[i] + 41, 11));
    }

  /* Resolve finds each source in its media pool by the clip's file name. */
  g_assert_cmpuint (clip_names->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GFile) clip = i == 1 ? g_object_ref (fixture->plate) : clip_of (media, i);
      g_autofree char *basename = g_file_get_basename (clip);

      g_assert_cmpstr (g_ptr_array_index (clip_names, i), ==, basename);
    }
  /* Each clip is used from its start for the shot's length: 24 and 26 frames at 25 fps. */
  g_assert_cmpstr (g_ptr_array_index (source_outs, 0), ==, "00:00:00:24");
  g_assert_cmpstr (g_ptr_array_index (source_outs, 2), ==, "00:00:01:01");
}

static void
test_panel_clips_fcpxml (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GFile) media = NULL;
  g_autoptr(GFile) output = export_with_clips (fixture, "fcpxml", &media);
  g_autofree char *xml = export_test_read_text (output);

  check_clips (fixture, output, media);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GFile) clip = i == 1 ? g_object_ref (fixture->plate) : clip_of (media, i);
      g_autofree char *uri = g_file_get_uri (clip);
      g_autofree char *rep = g_strdup_printf ("<media-rep kind=\"original-media\" src=\"%s\"/>",
                                              uri);
      const char *asset = NULL;
      g_autofree char *duration = NULL;

      g_assert_nonnull (strstr (xml, rep));
      for (const char *p = strstr (xml, "<asset "); p != NULL && p < strstr (xml, rep);
           p = strstr (p + 1, "<asset "))
        asset = p;
      g_assert_nonnull (asset);
      /* A movie of the shot's length at 25 fps (the plate: its own 50 frames). */
      duration = g_strdup_printf ("duration=\"%" G_GINT64_FORMAT "/25s\"",
                                  i == 1 ? (gint64) 50
                                         : (gint64) reel_shot_get_duration (
                                             g_ptr_array_index (fixture->shots, i)));
      g_assert_true (g_str_has_prefix (strstr (asset, "duration="), duration));
    }
  /* No still is left: every shot is an asset-clip of a movie. */
  g_assert_null (strstr (xml, "<video "));

  if (!reel_test_require_program ("xmllint"))
    return;
  {
    g_autofree char *dtd = g_build_filename (g_getenv ("STORYREEL_SHARED_DIR"), "validators",
                                             "fcpxml", "FCPXMLv1_11.dtd", NULL);
    const char *argv[] = { "xmllint", "--noout", "--dtdvalid", dtd, g_file_peek_path (output),
                           NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    if (export_test_spawn (argv, &out, &err) != 0)
      g_error ("xmllint --dtdvalid failed: %s", err);
  }
}

static void
test_panel_clips_otio (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GFile) media = NULL;
  g_autoptr(GFile) output = export_with_clips (fixture, "otio", &media);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *timeline, *track;
  JsonArray *clips;

  check_clips (fixture, output, media);

  json_parser_load_from_file (parser, g_file_peek_path (output), &error);
  g_assert_no_error (error);
  timeline = json_node_get_object (json_parser_get_root (parser));
  track = json_array_get_object_element (
    json_object_get_array_member (json_object_get_object_member (timeline, "tracks"),
                                  "children"), 0);
  clips = json_object_get_array_member (track, "children");
  g_assert_cmpuint (json_array_get_length (clips), ==, 3);

  for (guint i = 0; i < 3; i++)
    {
      JsonObject *reference = json_object_get_object_member (
        json_object_get_object_member (json_array_get_object_element (clips, i),
                                       "media_references"), "DEFAULT_MEDIA");
      JsonObject *available = json_object_get_object_member (reference, "available_range");
      g_autoptr(GFile) clip = i == 1 ? g_object_ref (fixture->plate) : clip_of (media, i);
      g_autofree char *uri = g_file_get_uri (clip);

      g_assert_cmpstr (json_object_get_string_member (reference, "target_url"), ==, uri);
      if (i != 1)
        g_assert_cmpfloat (json_object_get_double_member (
                             json_object_get_object_member (available, "duration"), "value"),
                           ==, reel_shot_get_duration (g_ptr_array_index (fixture->shots, i)));
    }
}

/* Without the option nothing is rendered and no folder appears. */
static void
test_panel_clips_off (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("panel-clips-off");
  g_autoptr(GFile) output = g_file_get_child (folder, "cut.edl");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  reel_export_options_set_panel_width (options, CLIP_PANEL_WIDTH);
  export_test_run ("edl", fixture->project, options, output, &error);
  g_assert_no_error (error);
  names = export_test_list_folder (folder);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[0], ==, "cut.edl");
  g_assert_cmpstr (names[1], ==, "cut_panels");
}

/* Every shot on footage: no clip to make, and no empty NAME_media/ left beside the file. */
static void
test_panel_clips_all_footage (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("panel-clips-all-footage");
  g_autoptr(GFile) output = g_file_get_child (folder, "cut.edl");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *edl = NULL;

  for (guint i = 0; i < fixture->shots->len; i++)
    {
      g_autoptr(ReelPlate) plate = reel_plate_new (g_file_peek_path (fixture->plate));

      reel_shot_set_plate (g_ptr_array_index (fixture->shots, i), plate);
    }
  reel_export_options_set_panel_width (options, CLIP_PANEL_WIDTH);
  reel_export_options_set_panel_clips (options, TRUE);
  export_test_run ("edl", fixture->project, options, output, &error);
  g_assert_no_error (error);

  names = export_test_list_folder (folder);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[0], ==, "cut.edl");
  g_assert_cmpstr (names[1], ==, "cut_panels");
  edl = export_test_read_text (output);
  g_assert_null (strstr (edl, "_media"));
  g_assert_nonnull (strstr (edl, "* FROM CLIP NAME:  pier.mov\n"));
}

/* Under Kitsu's clip naming the clip files take the names the timeline gives them: the EDL's
 * FROM CLIP NAME is the file's name (Resolve finds the clip by it) and, less its extension
 * as Kitsu reads it, PROJECT_SEQUENCE-SHOT; OTIO's clips have the Kitsu name and refer to
 * those files. */
static void
test_panel_clips_kitsu (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("panel-clips-kitsu");
  g_autoptr(GFile) edl_file = g_file_get_child (folder, "cut.edl");
  g_autoptr(GFile) otio_file = g_file_get_child (folder, "cut.otio");
  g_autoptr(GFile) media = g_file_get_child (folder, "cut_media");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *edl = NULL;
  g_autoptr(GPtrArray) clip_names = g_ptr_array_new_with_free_func (g_free);
  static const char * const expected[] = {
    "Large board_SC1-SH1-1.mov", "pier.mov", "Large board_SC1-SH1-3.mov"
  };
  JsonArray *children;
  guint n_clips = 0;

  reel_export_options_set_panel_width (options, CLIP_PANEL_WIDTH);
  reel_export_options_set_panel_clips (options, TRUE);
  reel_export_options_set_clip_naming (options, REEL_EXPORT_CLIP_NAMING_KITSU);
  export_test_run ("edl", fixture->project, options, edl_file, &error);
  g_assert_no_error (error);

  names = export_test_list_folder (media);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[0], ==, expected[0]);
  g_assert_cmpstr (names[1], ==, expected[2]);

  edl = export_test_read_text (edl_file);
  lines = g_strsplit (edl, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "* FROM CLIP NAME:  "))
      g_ptr_array_add (clip_names, g_strdup (lines[i] + strlen ("* FROM CLIP NAME:  ")));
  g_assert_cmpuint (clip_names->len, ==, 3);
  for (guint i = 0; i < 3; i += 2)
    {
      g_autoptr(GFile) clip = g_file_get_child (media, g_ptr_array_index (clip_names, i));
      ReelMediaInfo info;

      g_assert_cmpstr (g_ptr_array_index (clip_names, i), ==, expected[i]);
      g_assert_true (reel_media_probe_file (clip, &info, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (info.has_video);
    }

  /* OTIO: the clip's name is Kitsu's, its media the same file. */
  export_test_run ("otio", fixture->project, options, otio_file, &error);
  g_assert_no_error (error);
  {
    g_autofree char *text = export_test_read_text (otio_file);
    JsonObject *track;

    json_parser_load_from_data (parser, text, -1, &error);
    g_assert_no_error (error);
    track = json_array_get_object_element (
      json_object_get_array_member (
        json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                       "tracks"), "children"), 0);
    children = json_object_get_array_member (track, "children");
  }
  for (guint i = 0; i < json_array_get_length (children); i++)
    {
      JsonObject *clip = json_array_get_object_element (children, i);
      JsonObject *reference;
      g_autoptr(GFile) target = NULL;
      g_autofree char *basename = NULL;
      g_autofree char *kitsu_name = NULL;

      if (g_strcmp0 (json_object_get_string_member (clip, "OTIO_SCHEMA"), "Clip.2") != 0)
        continue;
      reference = json_object_get_object_member (
        json_object_get_object_member (clip, "media_references"), "DEFAULT_MEDIA");
      target = g_file_new_for_uri (json_object_get_string_member (reference, "target_url"));
      g_assert_true (g_file_query_exists (target, NULL));
      basename = g_file_get_basename (target);
      g_assert_cmpstr (basename, ==, expected[n_clips]);
      kitsu_name = g_strdup_printf ("Large board_SC1-SH1-%u", n_clips + 1);
      g_assert_cmpstr (json_object_get_string_member (clip, "name"), ==, kitsu_name);
      if (n_clips != 1)
        g_assert_true (g_str_has_prefix (basename, kitsu_name));
      n_clips++;
    }
  g_assert_cmpuint (n_clips, ==, 3);
}

typedef struct
{
  GCancellable *cancellable;
  gboolean done;
  gboolean cancelled_while_encoding;
  GError *error;
} CancelRun;

static void
cancel_progress_cb (double   fraction,
                    gpointer user_data)
{
  CancelRun *run = user_data;

  /* Past the panels (the first fifth of the work): the clips are being encoded. */
  if (fraction > 0.2 && !g_cancellable_is_cancelled (run->cancellable))
    {
      run->cancelled_while_encoding = TRUE;
      g_cancellable_cancel (run->cancellable);
    }
}

static void
cancel_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CancelRun *run = user_data;

  reel_export_finish (result, &run->error);
  run->done = TRUE;
}

/* Cancelled while a clip is being encoded: no timeline, no panels, no clips, no
 * temporaries. The shots are ten minutes long, so the encoder is surely still at work. */
static void
test_panel_clips_cancel (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("panel-clips-cancel");
  g_autoptr(GFile) output = g_file_get_child (folder, "cut.edl");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(GStrv) names = NULL;
  CancelRun run = { cancellable, FALSE, FALSE, NULL };
  gint64 deadline = g_get_monotonic_time () + 300 * G_TIME_SPAN_SECOND;

  for (guint i = 0; i < fixture->shots->len; i++)
    reel_shot_set_duration (g_ptr_array_index (fixture->shots, i), 25 * 600);
  reel_export_options_set_panel_width (options, CLIP_PANEL_WIDTH);
  reel_export_options_set_panel_clips (options, TRUE);
  reel_export_async (reel_export_lookup_format ("edl"), fixture->project, NULL, options, output,
                     cancellable, cancel_progress_cb, &run, NULL, cancel_done_cb, &run);
  while (!run.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (run.done);
  g_assert_true (run.cancelled_while_encoding);
  g_assert_error (run.error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_CANCELLED);
  g_clear_error (&run.error);
  names = export_test_list_folder (folder);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/export/panel-clips/edl", Fixture, NULL, fixture_set_up, test_panel_clips_edl,
              fixture_tear_down);
  g_test_add ("/export/panel-clips/fcpxml", Fixture, NULL, fixture_set_up,
              test_panel_clips_fcpxml, fixture_tear_down);
  g_test_add ("/export/panel-clips/otio", Fixture, NULL, fixture_set_up, test_panel_clips_otio,
              fixture_tear_down);
  g_test_add ("/export/panel-clips/cancel", Fixture, NULL, fixture_set_up,
              test_panel_clips_cancel, fixture_tear_down);
  g_test_add ("/export/panel-clips/off", Fixture, NULL, fixture_set_up, test_panel_clips_off,
              fixture_tear_down);
  g_test_add ("/export/panel-clips/all-footage", Fixture, NULL, fixture_set_up,
              test_panel_clips_all_footage, fixture_tear_down);
  g_test_add ("/export/panel-clips/kitsu", Fixture, NULL, fixture_set_up,
              test_panel_clips_kitsu, fixture_tear_down);

  return export_test_finish (g_test_run ());
}
