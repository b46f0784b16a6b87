/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "../reel-test-require.h"
#include "export-test-util.h"
#include "storage/reel-demo.h"

/* PNG panels: one image per shot, at the chosen width and the project aspect, showing the
 * background and the sketch. */

static GdkPixbuf *
load_panel (GFile      *folder,
            const char *name)
{
  g_autoptr(GFile) file = g_file_get_child (folder, name);
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf = gdk_pixbuf_new_from_file (g_file_peek_path (file), &error);

  g_assert_no_error (error);
  return pixbuf;
}

static void
pixel_at (GdkPixbuf *pixbuf,
          int        x,
          int        y,
          guchar     rgb[3])
{
  const guchar *p = gdk_pixbuf_get_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf)
                    + x * gdk_pixbuf_get_n_channels (pixbuf);

  rgb[0] = p[0], rgb[1] = p[1], rgb[2] = p[2];
}

static void
test_png_awkward (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) parent = export_test_make_folder ("png-awkward");
  g_autoptr(GFile) folder = g_file_get_child (parent, "panels");
  g_autoptr(GFile) keep = g_file_get_child (folder, "notes.txt");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  const char *expected[] = {
    "0001_SC1_SH1A.png", "0002_SC1_SH1B.png", "0003_SC1_SH1C.png", "0004_SC2_SH2A.png",
    "0005_SC2_SH2B.png", "0006_SC2_SH2C.png", "notes.txt", NULL
  };
  guchar rgb[3];

  /* The folder exists and holds a file of the user's: it stays. */
  g_file_make_directory (folder, NULL, &error);
  g_assert_no_error (error);
  g_file_replace_contents (keep, "mine", 4, NULL, FALSE, 0, NULL, NULL, &error);
  g_assert_no_error (error);

  reel_export_options_set_panel_width (options, 478);
  export_test_run ("png", project, options, folder, &error);
  g_assert_no_error (error);
  export_test_assert_no_temporaries (parent);

  names = export_test_list_folder (folder);
  g_assert_cmpstrv (names, expected);

  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(GdkPixbuf) panel = load_panel (folder, expected[i]);

      /* 478 / 2.39 = 200. */
      g_assert_cmpint (gdk_pixbuf_get_width (panel), ==, 478);
      g_assert_cmpint (gdk_pixbuf_get_height (panel), ==, 200);
    }

  /* 2B shows its blue generated background; 2A, with nothing, the neutral grey. */
  {
    g_autoptr(GdkPixbuf) generated = load_panel (folder, expected[4]);
    g_autoptr(GdkPixbuf) empty = load_panel (folder, expected[3]);

    pixel_at (generated, 10, 10, rgb);
    g_assert_cmpint (rgb[0], ==, 0x40);
    g_assert_cmpint (rgb[1], ==, 0x80);
    g_assert_cmpint (rgb[2], ==, 0xc0);
    pixel_at (empty, 10, 10, rgb);
    g_assert_cmpint (rgb[0], ==, rgb[1]);
    g_assert_cmpint (rgb[1], ==, rgb[2]);
    g_assert_cmpint (ABS (rgb[0] - (int) (REEL_PANEL_FILL_RED * 255)), <=, 1);
  }

  /* 1A's sketch is drawn: a dark stroke from (0.1, 0.2) towards (0.3, 0.8). */
  {
    g_autoptr(GdkPixbuf) sketched = load_panel (folder, expected[0]);
    int darkest = 255;

    for (int x = 0; x < 478; x++)
      {
        pixel_at (sketched, x, 100, rgb);
        darkest = MIN (darkest, rgb[0]);
      }
    g_assert_cmpint (darkest, <, 80);
  }
}

static void
test_png_demo (void)
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_autoptr(GFile) parent = export_test_make_folder ("png-demo");
  g_autoptr(GFile) folder = g_file_get_child (parent, "demo panels");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  export_test_run ("png", project, NULL, folder, &error);
  g_assert_no_error (error);

  names = export_test_list_folder (folder);
  g_assert_cmpuint (g_strv_length (names), ==, reel_project_get_n_shots (project));
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GdkPixbuf) panel = load_panel (folder, names[i]);

      g_assert_cmpint (gdk_pixbuf_get_width (panel), ==, REEL_EXPORT_PANEL_WIDTH_DEFAULT);
      g_assert_cmpint (gdk_pixbuf_get_height (panel), ==,
                       reel_panel_height_for_width (reel_project_get_aspect_ratio (project),
                                                    REEL_EXPORT_PANEL_WIDTH_DEFAULT));
    }
}

/* The chunks of a PNG, checked one by one (lengths, CRC-32 computed bit by bit); returns the
 * text of the iTXt chunk with @keyword, or NULL, and where it came in the file. */
static char *
find_itxt (GBytes     *png,
           const char *keyword,
           guint      *out_position)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (png, &size);
  gsize offset = 8;
  guint position = 0;
  char *found = NULL;

  g_assert_cmpuint (size, >, 8);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  while (offset + 12 <= size)
    {
      guint32 length = ((guint32) data[offset] << 24) | (data[offset + 1] << 16)
                       | (data[offset + 2] << 8) | data[offset + 3];
      const guint8 *type = data + offset + 4;
      guint32 stored, crc = 0xffffffffu;

      g_assert_cmpuint (offset + 12 + length, <=, size);
      for (gsize i = 0; i < length + 4; i++)
        {
          crc ^= type[i];
          for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
        }
      crc = ~crc;
      stored = ((guint32) type[length + 4] << 24) | (type[length + 5] << 16)
               | (type[length + 6] << 8) | type[length + 7];
      g_assert_cmphex (crc, ==, stored);

      if (memcmp (type, "iTXt", 4) == 0 && length > strlen (keyword) + 5
          && memcmp (type + 4, keyword, strlen (keyword) + 1) == 0)
        {
          const guint8 *p = type + 4 + strlen (keyword) + 1;

          /* Uncompressed, no language tag, no translated keyword. */
          g_assert_cmpint (p[0], ==, 0);
          g_assert_cmpint (p[1], ==, 0);
          g_assert_cmpint (p[2], ==, 0);
          g_assert_cmpint (p[3], ==, 0);
          found = g_strndup ((const char *) p + 4, type + 4 + length - (p + 4));
          *out_position = position;
        }
      if (memcmp (type, "IEND", 4) == 0)
        break;
      offset += 12 + length;
      position++;
    }

  return found;
}

static JsonObject *
read_with_exiftool (GFile      *file,
                    JsonParser *parser)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "exiftool", "-j", "-n", "-XMP:all", g_file_peek_path (file), NULL };

  g_assert_cmpint (export_test_spawn (argv, &out, &err), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
}

/* Panels with model-made pixels carry the IPTC Digital Source Type in XMP: a generated
 * background alone is trainedAlgorithmicMedia, a sketch over one a composite; a drawing on
 * grey says nothing. Read back by exiftool, as a photo desk would. */
static void
test_png_provenance (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) parent = export_test_make_folder ("png-provenance");
  g_autoptr(GFile) folder = g_file_get_child (parent, "panels");
  g_autoptr(GError) error = NULL;
  static const struct { const char *name; const char *type; } expected[] = {
    { "0001_SC1_SH1A.png", NULL },
    { "0004_SC2_SH2A.png",
      "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia" },
    { "0005_SC2_SH2B.png",
      "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia" },
  };

  /* 2A takes 2B's generated background, with nothing drawn over it. */
  reel_shot_set_background (g_ptr_array_index (shots, 3),
                            reel_shot_get_background (g_ptr_array_index (shots, 4)));
  g_assert_true (reel_sketch_is_empty (reel_shot_get_sketch (g_ptr_array_index (shots, 3))));
  g_assert_false (reel_sketch_is_empty (reel_shot_get_sketch (g_ptr_array_index (shots, 4))));

  reel_export_options_set_panel_width (options, 240);
  export_test_run ("png", project, options, folder, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GFile) file = g_file_get_child (folder, expected[i].name);
      g_autoptr(GBytes) png = g_file_load_bytes (file, NULL, NULL, &error);
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      g_autofree char *xmp = NULL;
      guint position = 0;

      g_assert_no_error (error);
      xmp = find_itxt (png, "XML:com.adobe.xmp", &position);
      pixbuf = load_panel (folder, expected[i].name);
      g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 240);

      if (expected[i].type == NULL)
        {
          g_assert_null (xmp);
          continue;
        }
      /* Right after IHDR, before the image data, as XMP readers expect. */
      g_assert_nonnull (xmp);
      g_assert_cmpuint (position, ==, 1);
      g_assert_true (g_utf8_validate (xmp, -1, NULL));
      g_assert_nonnull (strstr (xmp, expected[i].type));
    }

  if (!reel_test_require_program ("exiftool"))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GFile) file = g_file_get_child (folder, expected[i].name);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *tags = read_with_exiftool (file, parser);

      if (expected[i].type == NULL)
        {
          g_assert_false (json_object_has_member (tags, "DigitalSourceType"));
          continue;
        }
      g_assert_cmpstr (json_object_get_string_member (tags, "DigitalSourceType"), ==,
                       expected[i].type);
      g_assert_true (g_str_has_prefix (json_object_get_string_member (tags, "CreatorTool"),
                                       "Storyreel "));
      g_assert_cmpstr (json_object_get_string_member (tags, "Description"), ==,
                       "Background generated by " AWKWARD_PROVIDER ", " AWKWARD_MODEL);
    }
}

/* A gray-box background is our own render of the set, no trained model: algorithmicMedia
 * alone, compositeSynthetic under a sketch (a composite with a synthetic element), and
 * the description does not call it generated. */
static void
test_png_provenance_greybox (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) parent = export_test_make_folder ("png-provenance-greybox");
  g_autoptr(GFile) folder = g_file_get_child (parent, "panels");
  g_autoptr(GError) error = NULL;
  static const struct { const char *name; const char *type; } expected[] = {
    { "0004_SC2_SH2A.png", "http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia" },
    { "0005_SC2_SH2B.png", "http://cv.iptc.org/newscodes/digitalsourcetype/compositeSynthetic" },
  };

  export_test_use_greybox_background (project, g_ptr_array_index (shots, 3),
                                      g_ptr_array_index (shots, 4), NULL);
  reel_export_options_set_panel_width (options, 240);
  export_test_run ("png", project, options, folder, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GFile) file = g_file_get_child (folder, expected[i].name);
      g_autoptr(GBytes) png = g_file_load_bytes (file, NULL, NULL, &error);
      g_autofree char *xmp = NULL;
      guint position = 0;

      g_assert_no_error (error);
      xmp = find_itxt (png, "XML:com.adobe.xmp", &position);
      g_assert_nonnull (xmp);
      g_assert_nonnull (strstr (xmp, expected[i].type));
      g_assert_null (strstr (xmp, "rainedAlgorithmicMedia"));
      g_assert_null (strstr (xmp, "generated"));
    }

  if (!reel_test_require_program ("exiftool"))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GFile) file = g_file_get_child (folder, expected[i].name);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *tags = read_with_exiftool (file, parser);

      g_assert_cmpstr (json_object_get_string_member (tags, "DigitalSourceType"), ==,
                       expected[i].type);
      g_assert_cmpstr (json_object_get_string_member (tags, "Description"), ==,
                       "Background rendered by Storyreel from its gray-box 3D set, no AI model");
    }
}

/* A video background shows in the still panel by its first frame, scaled to cover, under
 * the sketch: not the neutral grey. 1A has a sketch, 2A none. */
static void
test_png_video_background (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) parent = export_test_make_folder ("png-video-background");
  g_autoptr(GFile) folder = g_file_get_child (parent, "panels");
  g_autoptr(GBytes) webm = export_test_make_solid_webm ("png-video-source", 64, 36, 0xffd02020);
  g_autoptr(ReelAsset) video = reel_asset_new_video (webm, REEL_MIME_WEBM, 64, 36, NULL);
  g_autoptr(GdkPixbuf) panel = NULL;
  g_autoptr(GError) error = NULL;
  /* Corners and centre: the 64 × 36 frame, scaled up, covers all of the 2.39:1 panel. */
  const int points[][2] = { { 2, 2 }, { 237, 2 }, { 120, 50 }, { 2, 97 }, { 237, 97 } };
  guchar rgb[3];

  reel_project_add_asset (project, video);
  reel_shot_set_background (g_ptr_array_index (shots, 0), reel_asset_get_hash (video));
  reel_shot_set_background (g_ptr_array_index (shots, 3), reel_asset_get_hash (video));
  reel_export_options_set_panel_width (options, 240);
  export_test_run ("png", project, options, folder, &error);
  g_assert_no_error (error);

  panel = load_panel (folder, "0004_SC2_SH2A.png");
  g_assert_cmpint (gdk_pixbuf_get_height (panel), ==, 100);
  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      pixel_at (panel, points[i][0], points[i][1], rgb);
      /* VP8 keeps 4:2:0 colour in limited range: a little off, never grey. */
      g_assert_cmpint (ABS (rgb[0] - 0xd0), <=, 24);
      g_assert_cmpint (ABS (rgb[1] - 0x20), <=, 24);
      g_assert_cmpint (ABS (rgb[2] - 0x20), <=, 24);
    }

  /* 1A's sketch is drawn over the frame. */
  g_clear_object (&panel);
  panel = load_panel (folder, "0001_SC1_SH1A.png");
  pixel_at (panel, 230, 10, rgb);
  g_assert_cmpint (ABS (rgb[0] - 0xd0), <=, 24);
  g_assert_cmpint (ABS (rgb[1] - 0x20), <=, 24);
  {
    int darkest = 255;

    for (int x = 0; x < 240; x++)
      {
        pixel_at (panel, x, 50, rgb);
        darkest = MIN (darkest, rgb[0]);
      }
    g_assert_cmpint (darkest, <, 80);
  }

  /* The other shots keep their own panels: 2B its blue still. */
  g_clear_object (&panel);
  panel = load_panel (folder, "0005_SC2_SH2B.png");
  pixel_at (panel, 10, 10, rgb);
  g_assert_cmpint (rgb[2], ==, 0xc0);
}

/* A panel drawn from a generated clip's first frame carries the clip's provenance like a
 * still does: trainedAlgorithmicMedia alone (2A), a composite under a sketch (1A). A clip
 * that does not decode leaves the panel grey, and grey claims nothing (2B). */
static void
test_png_provenance_video (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) parent = export_test_make_folder ("png-provenance-video");
  g_autoptr(GFile) folder = g_file_get_child (parent, "panels");
  g_autoptr(GBytes) webm = export_test_make_solid_webm ("png-provenance-clip", 64, 36, 0xff20d020);
  g_autoptr(GBytes) broken_bytes = g_bytes_new_static ("\x1a\x45\xdf\xa3 not a clip", 15);
  ReelAsset *still = reel_project_lookup_asset (
    project, reel_shot_get_background (g_ptr_array_index (shots, 4)));
  ReelGenerationRecord *record = reel_asset_get_generation (still);
  g_autoptr(ReelAsset) clip = reel_asset_new_video (webm, REEL_MIME_WEBM, 64, 36, record);
  g_autoptr(ReelAsset) broken = reel_asset_new_video (broken_bytes, REEL_MIME_WEBM, 64, 36,
                                                      record);
  g_autoptr(GError) error = NULL;
  static const struct { const char *name; const char *type; } expected[] = {
    { "0001_SC1_SH1A.png",
      "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia" },
    { "0004_SC2_SH2A.png",
      "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia" },
    { "0005_SC2_SH2B.png", NULL },
  };

  g_assert_nonnull (record);
  reel_project_add_asset (project, clip);
  reel_project_add_asset (project, broken);
  reel_shot_set_background (g_ptr_array_index (shots, 0), reel_asset_get_hash (clip));
  reel_shot_set_background (g_ptr_array_index (shots, 3), reel_asset_get_hash (clip));
  reel_shot_set_background (g_ptr_array_index (shots, 4), reel_asset_get_hash (broken));
  reel_export_options_set_panel_width (options, 240);
  export_test_run ("png", project, options, folder, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GFile) file = g_file_get_child (folder, expected[i].name);
      g_autoptr(GBytes) png = g_file_load_bytes (file, NULL, NULL, &error);
      g_autoptr(GdkPixbuf) pixbuf = load_panel (folder, expected[i].name);
      g_autofree char *xmp = NULL;
      guint position = 0;
      guchar rgb[3];

      g_assert_no_error (error);
      xmp = find_itxt (png, "XML:com.adobe.xmp", &position);
      pixel_at (pixbuf, 230, 10, rgb);
      if (expected[i].type == NULL)
        {
          /* Grey, and no claim. */
          g_assert_cmpint (rgb[0], ==, rgb[1]);
          g_assert_null (xmp);
          continue;
        }
      /* The clip's green frame is in the panel. */
      g_assert_cmpint (rgb[1], >, rgb[0] + 100);
      g_assert_nonnull (xmp);
      g_assert_cmpuint (position, ==, 1);
      g_assert_nonnull (strstr (xmp, expected[i].type));
    }

  if (!reel_test_require_program ("exiftool"))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GFile) file = g_file_get_child (folder, expected[i].name);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *tags = read_with_exiftool (file, parser);

      if (expected[i].type == NULL)
        {
          g_assert_false (json_object_has_member (tags, "DigitalSourceType"));
          continue;
        }
      g_assert_cmpstr (json_object_get_string_member (tags, "DigitalSourceType"), ==,
                       expected[i].type);
      g_assert_cmpstr (json_object_get_string_member (tags, "Description"), ==,
                       "Background generated by " AWKWARD_PROVIDER ", " AWKWARD_MODEL);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/png/awkward", test_png_awkward);
  g_test_add_func ("/export/png/demo", test_png_demo);
  g_test_add_func ("/export/png/provenance", test_png_provenance);
  g_test_add_func ("/export/png/provenance-greybox", test_png_provenance_greybox);
  g_test_add_func ("/export/png/video-background", test_png_video_background);
  g_test_add_func ("/export/png/provenance-video", test_png_provenance_video);

  return export_test_finish (g_test_run ());
}
