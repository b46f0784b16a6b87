/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "export/reel-export-matroska-private.h"
#include "media/reel-media.h"
#include "../reel-test-require.h"
#include "export-test-util.h"

/* What the animatic's comment holds: spaces, punctuation gst_value_serialize() escapes, a
 * quote, a backslash, and Korean. */
#define COMMENT "Storyboard animatic made with Storyreel. Backgrounds made by generative AI " \
                "(IPTC digital source type trainedAlgorithmicMedia): shot 1A (Google, " \
                "gemini-3-pro-image); shot 2B \"night\" C:\\plates; 항구의 새벽."

/* A small WebM muxed by GStreamer with @comment as its COMMENT tag, as the animatic is. */
static GFile *
make_tagged_webm (const char *name,
                  const char *comment)
{
  g_autoptr(GFile) folder = export_test_make_folder (name);
  GFile *file = g_file_get_child (folder, "animatic.webm");
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstElement) mux = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GstTagList) tags = NULL;

  g_assert_true (reel_media_init (&error));
  g_assert_no_error (error);

  pipeline = gst_parse_launch ("videotestsrc num-buffers=6 ! "
                               "video/x-raw,format=I420,width=64,height=36,framerate=24/1 ! "
                               "vp8enc ! webmmux name=mux ! filesink name=sink", &error);
  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  mux = gst_bin_get_by_name (GST_BIN (pipeline), "mux");
  g_object_set (sink, "location", g_file_peek_path (file), NULL);
  tags = gst_tag_list_new (GST_TAG_COMMENT, comment, NULL);
  gst_tag_setter_merge_tags (GST_TAG_SETTER (mux), tags, GST_TAG_MERGE_REPLACE);

  bus = gst_element_get_bus (pipeline);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
  /* A deadline for a stuck pipeline only. */
  message = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return file;
}

/* `-ee`: exiftool stops at the first Cluster by default, and matroskamux writes the tags
 * after the clusters. */
static char *
read_comment_with_exiftool (GFile *file)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "exiftool", "-j", "-ee", "-Comments", g_file_peek_path (file), NULL };
  JsonObject *tags;

  g_assert_cmpint (export_test_spawn (argv, &out, &err), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  tags = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  if (!json_object_has_member (tags, "Comments"))
    return NULL;
  return g_strdup (json_object_get_string_member (tags, "Comments"));
}

/* The comment and the length GStreamer's own demuxer finds. */
static char *
read_comment_with_gstreamer (GFile        *file,
                             GstClockTime *out_duration)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstDiscoverer) discoverer = gst_discoverer_new (60 * GST_SECOND, &error);
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autoptr(GstDiscovererStreamInfo) container = NULL;
  g_autofree char *uri = g_file_get_uri (file);
  const GstTagList *tags;
  char *comment = NULL;

  g_assert_no_error (error);
  info = gst_discoverer_discover_uri (discoverer, uri, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gst_discoverer_info_get_result (info), ==, GST_DISCOVERER_OK);
  *out_duration = gst_discoverer_info_get_duration (info);
  container = gst_discoverer_info_get_stream_info (info);
  g_assert_true (GST_IS_DISCOVERER_CONTAINER_INFO (container));
  tags = gst_discoverer_container_info_get_tags (GST_DISCOVERER_CONTAINER_INFO (container));
  if (tags != NULL)
    gst_tag_list_get_string (tags, GST_TAG_COMMENT, &comment);
  return comment;
}

/* exiftool shows matroskamux's comment as `"Storyboard\ animatic…"`; after the rewrite it
 * reads the text itself, GStreamer still reads the same text and the whole length, and
 * nothing in the file moved. */
static void
test_matroska_comment (void)
{
  g_autoptr(GFile) file = make_tagged_webm ("matroska-comment", COMMENT);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *from_gstreamer = NULL;
  g_autoptr(GBytes) old_bytes = g_file_load_bytes (file, NULL, NULL, &error);
  g_autoptr(GBytes) new_bytes = NULL;
  GstClockTime duration = 0;
  const guint8 *old_data, *new_data;
  gsize old_size, new_size, first_difference = 0, last_difference = 0;

  g_assert_no_error (error);
  g_assert_true (reel_export_matroska_unquote_tags (file, &error));
  g_assert_no_error (error);

  new_bytes = g_file_load_bytes (file, NULL, NULL, &error);
  g_assert_no_error (error);
  old_data = g_bytes_get_data (old_bytes, &old_size);
  new_data = g_bytes_get_data (new_bytes, &new_size);
  g_assert_cmpuint (new_size, ==, old_size);
  g_assert_true (memcmp (old_data, new_data, old_size) != 0);
  /* Only the tag's own bytes changed. */
  for (gsize i = 0; i < old_size; i++)
    if (old_data[i] != new_data[i])
      {
        if (first_difference == 0)
          first_difference = i;
        last_difference = i;
      }
  g_assert_cmpuint (last_difference - first_difference, <, strlen (COMMENT) * 2);

  from_gstreamer = read_comment_with_gstreamer (file, &duration);
  g_assert_cmpstr (from_gstreamer, ==, COMMENT);
  g_assert_cmpuint (duration, >=, GST_SECOND / 5);

  /* A second pass finds nothing left to do. */
  g_assert_true (reel_export_matroska_unquote_tags (file, &error));
  g_assert_no_error (error);
  g_clear_pointer (&new_bytes, g_bytes_unref);
  new_bytes = g_file_load_bytes (file, NULL, NULL, &error);
  g_assert_true (memcmp (new_data, g_bytes_get_data (new_bytes, NULL), new_size) == 0);

  if (!reel_test_require_program ("exiftool"))
    return;

  /* What a user of exiftool saw before: the serialised form. */
  {
    g_autoptr(GFile) quoted = make_tagged_webm ("matroska-comment-quoted", COMMENT);

    before = read_comment_with_exiftool (quoted);
    g_assert_nonnull (before);
    g_assert_true (g_str_has_prefix (before, "\"Storyboard\\ animatic"));
  }
  after = read_comment_with_exiftool (file);
  g_assert_cmpstr (after, ==, COMMENT);

  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    const char *argv[] = { "exiftool", "-validate", "-warning", "-a", "-ee",
                           g_file_peek_path (file), NULL };

    g_assert_cmpint (export_test_spawn (argv, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "Validate"));
    g_assert_nonnull (strstr (out, ": OK"));
  }
}

/* The unwrapping rules of gst_value_serialize(): quotes around, a backslash before a
 * character, \ooo for a byte; anything else is not its output and is left alone. */
static void
test_matroska_unquote (void)
{
  static const struct { const char *quoted; const char *plain; } cases[] = {
    { "\"a\\ b\\,\\ c\"", "a b, c" },
    { "\"C:\\\\plates\\ \\\"x\\\"\"", "C:\\plates \"x\"" },
    { "\"\\355\\225\\255\"", "항" },
    { "\"\"", "" },
    { "plain text", NULL },
    { "\"unterminated", NULL },
    { "\"a\"b\"", NULL },
    { "\"\\377\"", NULL },    /* not UTF-8 */
    { "\"ends in a backslash\\\"", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *plain = reel_export_matroska_unquote (cases[i].quoted,
                                                             strlen (cases[i].quoted));

      g_assert_cmpstr (plain, ==, cases[i].plain);
    }

  /* Zero padding after the closing quote is not part of the string. */
  {
    g_autofree char *plain = reel_export_matroska_unquote ("\"a\\ b\"\0\0\0", 9);

    g_assert_cmpstr (plain, ==, "a b");
  }
}

/* An MP4 (or anything not EBML) is left as it is. */
static void
test_matroska_other_files (void)
{
  g_autoptr(GFile) folder = export_test_make_folder ("matroska-other");
  g_autoptr(GFile) file = g_file_get_child (folder, "animatic.mp4");
  static const char mp4[] = "\0\0\0\x18" "ftypisom\0\0\0\0isomavc1 \"x\\ y\"";
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_replace_contents (file, mp4, sizeof mp4, NULL, FALSE,
                                          G_FILE_CREATE_NONE, NULL, NULL, &error));
  g_assert_true (reel_export_matroska_unquote_tags (file, &error));
  g_assert_no_error (error);
  after = g_file_load_bytes (file, NULL, NULL, &error);
  g_assert_cmpmem (g_bytes_get_data (after, NULL), g_bytes_get_size (after), mp4, sizeof mp4);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/matroska/unquote", test_matroska_unquote);
  g_test_add_func ("/export/matroska/comment", test_matroska_comment);
  g_test_add_func ("/export/matroska/other-files", test_matroska_other_files);

  return export_test_finish (g_test_run ());
}
