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

  return g_test_run ();
}
