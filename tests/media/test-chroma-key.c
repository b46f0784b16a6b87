/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gst/app/app.h>
#include <gst/video/video.h>
#include <stdlib.h>

#include "media/reel-chroma-key.h"
#include "media-test-util.h"

/*
 * reelchromakey on its own, one flat colour at a time (videotestsrc solid-color, as I420
 * the way a decoder hands it over): what is removed, what is kept, the soft edge, spill
 * suppression, and alpha when there is no background.
 */

#define RED 0xff0000

/* One 64×36 frame of @rgb through the keyer; returns the output pixel in the middle as
 * 0xAARRGGBB. */
static guint32
key_color (guint32          rgb,
           guint32          key,
           double           similarity,
           double           softness,
           double           spill,
           cairo_surface_t *background)
{
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) keyer = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstSample) sample = NULL;
  GstVideoInfo info;
  GstVideoFrame frame;
  const guint8 *pixel;
  guint32 result;

  description = g_strdup_printf ("videotestsrc pattern=solid-color foreground-color=0xff%06x "
                                 "num-buffers=1 "
                                 "! video/x-raw,format=I420,width=64,height=36,"
                                 "colorimetry=bt709 "
                                 "! reelchromakey name=key "
                                 "! video/x-raw,format=BGRA,width=64,height=36 "
                                 "! appsink name=sink sync=false", rgb);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  gst_object_ref_sink (pipeline);
  keyer = gst_bin_get_by_name (GST_BIN (pipeline), "key");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");

  reel_chroma_key_set_key (REEL_CHROMA_KEY (keyer), key, similarity, softness, spill);
  reel_chroma_key_set_background (REEL_CHROMA_KEY (keyer), background);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 10 * GST_SECOND);
  g_assert_nonnull (sample);

  g_assert_true (gst_video_info_from_caps (&info, gst_sample_get_caps (sample)));
  g_assert_true (gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample),
                                      GST_MAP_READ));
  pixel = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0)
          + 18 * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0) + 32 * 4;
  result = ((guint32) pixel[3] << 24) | ((guint32) pixel[2] << 16) | ((guint32) pixel[1] << 8)
           | pixel[0];
  gst_video_frame_unmap (&frame);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  return result;
}

static gboolean
near (guint32 argb,
      guint32 rgb,
      int     tolerance)
{
  return abs ((int) ((argb >> 16) & 0xff) - (int) ((rgb >> 16) & 0xff)) <= tolerance
         && abs ((int) ((argb >> 8) & 0xff) - (int) ((rgb >> 8) & 0xff)) <= tolerance
         && abs ((int) (argb & 0xff) - (int) (rgb & 0xff)) <= tolerance;
}

/* The key colour, and a brighter and a darker green, become the background; white, skin
 * and grey stay as they are. */
static void
test_removed_and_kept (void)
{
  cairo_surface_t *red = media_test_solid_surface (RED, 16, 9);
  const guint32 removed[] = { 0x00b140, 0x10d050, 0x008a30 };
  const guint32 kept[] = { 0xffffff, 0xe0ac8a, 0x808080, 0x2040c0 };

  for (guint i = 0; i < G_N_ELEMENTS (removed); i++)
    {
      guint32 out = key_color (removed[i], 0x00b140, 0.4, 0.1, 0.0, red);

      g_test_message ("#%06x → #%08x", removed[i], out);
      g_assert_true (near (out, RED, 2));
      g_assert_cmpuint (out >> 24, ==, 0xff);
    }

  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    {
      guint32 out = key_color (kept[i], 0x00b140, 0.4, 0.1, 0.0, red);

      g_test_message ("#%06x → #%08x", kept[i], out);
      g_assert_true (near (out, kept[i], 6));
    }

  cairo_surface_destroy (red);
}

/* Between similarity and similarity + softness a colour is part plate, part background. */
static void
test_soft_edge (void)
{
  cairo_surface_t *red = media_test_solid_surface (RED, 16, 9);
  /* A green a little off the key: removed with a wide similarity, kept with a narrow one,
   * mixed when the edge is soft enough to reach it. */
  const guint32 off_green = 0x40b070;
  guint32 wide = key_color (off_green, 0x00b140, 0.6, 0.0, 0.0, red);
  guint32 narrow = key_color (off_green, 0x00b140, 0.05, 0.0, 0.0, red);
  guint32 soft = key_color (off_green, 0x00b140, 0.05, 0.8, 0.0, red);

  g_test_message ("wide #%08x narrow #%08x soft #%08x", wide, narrow, soft);
  g_assert_true (near (wide, RED, 2));
  g_assert_true (near (narrow, off_green, 6));
  g_assert_false (near (soft, RED, 20));
  g_assert_false (near (soft, off_green, 20));
  /* Mixed: redder than the plate, greener than the background. */
  g_assert_cmpuint ((soft >> 16) & 0xff, >, ((off_green >> 16) & 0xff) + 20);
  g_assert_cmpuint ((soft >> 8) & 0xff, >, 40);

  cairo_surface_destroy (red);
}

/* Spill: a pale green cast on a kept colour (light from the screen on a grey shirt) is
 * taken out when spill suppression reaches it, not otherwise. */
static void
test_spill (void)
{
  cairo_surface_t *red = media_test_solid_surface (RED, 16, 9);
  const guint32 green_cast_grey = 0x80a080;
  guint32 without = key_color (green_cast_grey, 0x00b140, 0.3, 0.05, 0.0, red);
  guint32 with = key_color (green_cast_grey, 0x00b140, 0.3, 0.05, 1.0, red);
  int excess_without = (int) ((without >> 8) & 0xff) - (int) ((without >> 16) & 0xff);
  int excess_with = (int) ((with >> 8) & 0xff) - (int) ((with >> 16) & 0xff);

  g_test_message ("without #%08x with #%08x", without, with);
  g_assert_true (near (without, green_cast_grey, 6));
  g_assert_cmpint (excess_without, >, 25);
  g_assert_cmpint (excess_with, <, excess_without / 2);

  cairo_surface_destroy (red);
}

/* Without a background the keyer outputs the plate with alpha, for GES to composite. */
static void
test_alpha_output (void)
{
  guint32 keyed = key_color (0x00b140, 0x00b140, 0.4, 0.1, 0.0, NULL);
  guint32 white = key_color (0xffffff, 0x00b140, 0.4, 0.1, 0.0, NULL);

  g_assert_cmpuint (keyed >> 24, ==, 0);
  g_assert_cmpuint (white >> 24, ==, 0xff);
  g_assert_true (near (white, 0xffffff, 4));
}

/* Frames of @pattern (@in_width × @in_height) keyed to @out_width × @out_height by a keyer
 * with @threads, concatenated. */
static GBytes *
key_frames (const char      *pattern,
            int              in_width,
            int              in_height,
            int              out_width,
            int              out_height,
            double           plate_scale,
            double           plate_x,
            cairo_surface_t *background,
            guint            threads)
{
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) keyer = NULL;
  g_autoptr(GstElement) sink = NULL;
  GByteArray *frames = g_byte_array_new ();
  guint n_threads = 99;

  description = g_strdup_printf ("videotestsrc pattern=%s num-buffers=3 "
                                 "! video/x-raw,format=I420,width=%d,height=%d "
                                 "! reelchromakey name=key "
                                 "! video/x-raw,format=BGRA,width=%d,height=%d "
                                 "! appsink name=sink sync=false",
                                 pattern, in_width, in_height, out_width, out_height);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  gst_object_ref_sink (pipeline);
  keyer = gst_bin_get_by_name (GST_BIN (pipeline), "key");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");

  g_object_set (keyer, "threads", threads, NULL);
  g_object_get (keyer, "threads", &n_threads, NULL);
  g_assert_cmpuint (n_threads, ==, threads);
  /* A wide soft edge and spill: most pixels take the blended, spill-suppressed path. */
  reel_chroma_key_set_key (REEL_CHROMA_KEY (keyer), 0x00ff00, 0.3, 0.4, 0.5);
  reel_chroma_key_set_plate_placement (REEL_CHROMA_KEY (keyer), plate_scale, plate_x, -0.05);
  reel_chroma_key_set_background (REEL_CHROMA_KEY (keyer), background);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(GstSample) sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
                                                                  30 * GST_SECOND);
      GstMapInfo map;

      g_assert_nonnull (sample);
      g_assert_true (gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ));
      g_byte_array_append (frames, map.data, map.size);
      gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);

  return g_byte_array_free_to_bytes (frames);
}

/* The keyer on several threads (bands of rows) gives the same bytes as on one, whether it
 * reads the plate pixel for pixel or in 2×2 blocks, over a background or with alpha, with
 * the plate filling the frame or moved so some rows and columns miss it. */
static void
test_threads_same_output (void)
{
  static const struct {
    const char *pattern;
    int in_width, in_height, out_width, out_height;
    double plate_scale, plate_x;
    gboolean background;
  } cases[] = {
    { "snow", 640, 360, 640, 360, 1.0, 0.0, TRUE },
    { "snow", 640, 360, 640, 360, 1.0, 0.0016, TRUE },  /* moved by one pixel */
    { "snow", 640, 360, 320, 180, 1.0, 0.0, TRUE },
    { "snow", 640, 360, 320, 180, 1.0, 0.0, FALSE },
    { "smpte", 640, 480, 400, 300, 0.7, 0.12, TRUE },
    { "ball", 320, 240, 320, 240, 1.3, -0.2, FALSE },
  };
  cairo_surface_t *background = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 97, 53);
  cairo_t *cr = cairo_create (background);
  cairo_pattern_t *gradient = cairo_pattern_create_linear (0, 0, 97, 53);

  /* A background that differs from row to row, so a row written from the wrong place shows. */
  cairo_pattern_add_color_stop_rgb (gradient, 0, 0.9, 0.1, 0.2);
  cairo_pattern_add_color_stop_rgb (gradient, 1, 0.1, 0.3, 0.9);
  cairo_set_source (cr, gradient);
  cairo_paint (cr);
  cairo_pattern_destroy (gradient);
  cairo_destroy (cr);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      cairo_surface_t *under = cases[i].background ? background : NULL;
      g_autoptr(GBytes) one = key_frames (cases[i].pattern, cases[i].in_width,
                                          cases[i].in_height, cases[i].out_width,
                                          cases[i].out_height, cases[i].plate_scale,
                                          cases[i].plate_x, under, 1);
      g_autoptr(GBytes) four = key_frames (cases[i].pattern, cases[i].in_width,
                                           cases[i].in_height, cases[i].out_width,
                                           cases[i].out_height, cases[i].plate_scale,
                                           cases[i].plate_x, under, 4);
      g_autoptr(GBytes) all = key_frames (cases[i].pattern, cases[i].in_width,
                                          cases[i].in_height, cases[i].out_width,
                                          cases[i].out_height, cases[i].plate_scale,
                                          cases[i].plate_x, under, 0);

      g_test_message ("case %u: %s %dx%d to %dx%d", i, cases[i].pattern, cases[i].in_width,
                      cases[i].in_height, cases[i].out_width, cases[i].out_height);
      g_assert_cmpuint (g_bytes_get_size (one), ==,
                        (gsize) 3 * cases[i].out_width * cases[i].out_height * 4);
      g_assert_true (g_bytes_equal (one, four));
      g_assert_true (g_bytes_equal (one, all));
    }

  cairo_surface_destroy (background);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  media_test_init ();

  g_test_add_func ("/media/chroma-key/removed-and-kept", test_removed_and_kept);
  g_test_add_func ("/media/chroma-key/soft-edge", test_soft_edge);
  g_test_add_func ("/media/chroma-key/spill", test_spill);
  g_test_add_func ("/media/chroma-key/alpha-output", test_alpha_output);
  g_test_add_func ("/media/chroma-key/threads-same-output", test_threads_same_output);

  return g_test_run ();
}
