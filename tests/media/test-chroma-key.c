/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gst/app/app.h>
#include <gst/video/video.h>
#include <stdlib.h>

#include "media/reel-chroma-key.h"
#include "media/reel-chroma-key-private.h"
#include "media/reel-clip-frames.h"
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

/* How a plate is keyed in key_frames(). */
typedef struct
{
  const char *source;      /* a videotestsrc pattern, or "grain": the ball on green under noise */
  int in_width, in_height, out_width, out_height;
  double plate_scale, plate_x;
  guint32 key;
  double similarity, softness, spill;
} KeyCase;

/* A wide soft edge and spill: most pixels take the blended, spill-suppressed path. */
#define SOFT_KEY 0x00ff00, 0.3, 0.4, 0.5

/* Frame @index (0 to 2) of the "every-chroma" plate, 512×512 I420: each (Cb, Cr) pair
 * once, Cb along the rows in frame 0, along the columns in frame 1, and shifted by 5 in
 * frame 2, so that every edge of what the key removes falls inside a block of samples in
 * every way; the luma varies from pixel to pixel. */
static GstBuffer *
every_chroma_frame (int index)
{
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, 512 * 512 * 3 / 2, NULL);
  GstMapInfo map;
  guint8 *y_plane, *u_plane, *v_plane;

  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_WRITE));
  y_plane = map.data;
  u_plane = y_plane + 512 * 512;
  v_plane = u_plane + 256 * 256;
  for (int row = 0; row < 512; row++)
    for (int column = 0; column < 512; column++)
      y_plane[row * 512 + column] = (guint8) (column * 7 + row * 3 + index * 50);
  for (int row = 0; row < 256; row++)
    for (int column = 0; column < 256; column++)
      {
        guint8 along = (guint8) (index == 2 ? column + 5 : column);

        u_plane[row * 256 + column] = index == 1 ? (guint8) row : along;
        v_plane[row * 256 + column] = index == 1 ? along : (guint8) row;
      }
  gst_buffer_unmap (buffer, &map);
  GST_BUFFER_PTS (buffer) = gst_util_uint64_scale (index, GST_SECOND, 24);
  GST_BUFFER_DURATION (buffer) = GST_SECOND / 24;

  return buffer;
}

/* The first 3 frames of @key_case, handed to the keyer as @format (I420, or NV12 converted
 * from it without loss), keyed over @background (or @clip, or neither) by a keyer with
 * @threads, on the per-pixel path alone if @reference, concatenated. If @picked is not
 * %NULL, the eyedropper's colour a third of the way into the last frame goes there. */
static GBytes *
key_frames_as (const char      *format,
               const KeyCase   *key_case,
               cairo_surface_t *background,
               ReelClipFrames  *clip,
               guint            threads,
               gboolean         reference,
               guint32         *picked)
{
  g_autofree char *source = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) keyer = NULL;
  g_autoptr(GstElement) sink = NULL;
  GByteArray *frames = g_byte_array_new ();
  guint n_threads = 99;

  if (g_str_equal (key_case->source, "grain"))
    /* Camera-like: sensor noise over a ball on green, as bench-preview's plate. */
    source = g_strdup_printf ("videotestsrc pattern=snow num-buffers=3 "
                              "! video/x-raw,width=%d,height=%d ! mix. "
                              "videotestsrc pattern=ball background-color=0xff00ff00 "
                              "num-buffers=3 ! video/x-raw,width=%d,height=%d ! mix. "
                              "compositor name=mix sink_0::alpha=0.06 sink_0::zorder=1 "
                              "sink_1::zorder=0",
                              key_case->in_width, key_case->in_height,
                              key_case->in_width, key_case->in_height);
  else if (g_str_equal (key_case->source, "every-chroma"))
    source = g_strdup ("appsrc name=src format=time "
                       "caps=video/x-raw,format=I420,width=512,height=512,framerate=24/1");
  else
    source = g_strdup_printf ("videotestsrc pattern=%s num-buffers=3", key_case->source);

  description = g_strdup_printf ("%s ! video/x-raw,format=I420,width=%d,height=%d "
                                 "%s%s "
                                 "! reelchromakey name=key "
                                 "! video/x-raw,format=BGRA,width=%d,height=%d "
                                 "! appsink name=sink sync=false",
                                 source, key_case->in_width, key_case->in_height,
                                 g_str_equal (format, "I420") ? "" : "! videoconvert "
                                                                     "! video/x-raw,format=",
                                 g_str_equal (format, "I420") ? "" : format,
                                 key_case->out_width, key_case->out_height);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  gst_object_ref_sink (pipeline);
  keyer = gst_bin_get_by_name (GST_BIN (pipeline), "key");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");

  g_object_set (keyer, "threads", threads, NULL);
  g_object_get (keyer, "threads", &n_threads, NULL);
  g_assert_cmpuint (n_threads, ==, threads);
  reel_chroma_key_set_reference_path (REEL_CHROMA_KEY (keyer), reference);
  reel_chroma_key_set_key (REEL_CHROMA_KEY (keyer), key_case->key, key_case->similarity,
                           key_case->softness, key_case->spill);
  reel_chroma_key_set_plate_placement (REEL_CHROMA_KEY (keyer), key_case->plate_scale,
                                       key_case->plate_x, -0.05);
  reel_chroma_key_set_background (REEL_CHROMA_KEY (keyer), background);
  reel_chroma_key_set_background_clip (REEL_CHROMA_KEY (keyer), clip);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  if (g_str_equal (key_case->source, "every-chroma"))
    {
      g_autoptr(GstElement) src = gst_bin_get_by_name (GST_BIN (pipeline), "src");

      for (int i = 0; i < 3; i++)
        g_assert_cmpint (gst_app_src_push_buffer (GST_APP_SRC (src), every_chroma_frame (i)),
                         ==, GST_FLOW_OK);
      gst_app_src_end_of_stream (GST_APP_SRC (src));
    }
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
  if (picked != NULL)
    g_assert_true (reel_chroma_key_sample_plate (REEL_CHROMA_KEY (keyer), 0.33, 0.33, picked));
  gst_element_set_state (pipeline, GST_STATE_NULL);

  return g_byte_array_free_to_bytes (frames);
}

static GBytes *
key_frames (const KeyCase   *key_case,
            cairo_surface_t *background,
            ReelClipFrames  *clip,
            guint            threads,
            gboolean         reference)
{
  return key_frames_as ("I420", key_case, background, clip, threads, reference, NULL);
}

/* A background that differs from row to row and column to column, so that a pixel written
 * from the wrong place shows. */
static cairo_surface_t *
gradient_surface (void)
{
  cairo_surface_t *background = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 97, 53);
  cairo_t *cr = cairo_create (background);
  cairo_pattern_t *gradient = cairo_pattern_create_linear (0, 0, 97, 53);

  cairo_pattern_add_color_stop_rgb (gradient, 0, 0.9, 0.1, 0.2);
  cairo_pattern_add_color_stop_rgb (gradient, 1, 0.1, 0.3, 0.9);
  cairo_set_source (cr, gradient);
  cairo_paint (cr);
  cairo_pattern_destroy (gradient);
  cairo_destroy (cr);

  return background;
}

/* Bytes that differ between @a and @b, for the message of a failure. */
static gsize
count_differences (GBytes *a,
                   GBytes *b)
{
  gsize size_a, size_b, n = 0;
  const guint8 *data_a = g_bytes_get_data (a, &size_a);
  const guint8 *data_b = g_bytes_get_data (b, &size_b);

  for (gsize i = 0; i < MIN (size_a, size_b); i++)
    n += data_a[i] != data_b[i];
  return n + MAX (size_a, size_b) - MIN (size_a, size_b);
}

/* The keyer on several threads (bands of rows) gives the same bytes as on one, whether it
 * reads the plate pixel for pixel or in 2×2 blocks, over a background or with alpha, with
 * the plate filling the frame or moved so some rows and columns miss it. */
static void
test_threads_same_output (void)
{
  static const struct {
    KeyCase key_case;
    gboolean background;
  } cases[] = {
    { { "snow", 640, 360, 640, 360, 1.0, 0.0, SOFT_KEY }, TRUE },
    { { "snow", 640, 360, 640, 360, 1.0, 0.0016, SOFT_KEY }, TRUE },  /* moved by one pixel */
    { { "snow", 640, 360, 320, 180, 1.0, 0.0, SOFT_KEY }, TRUE },
    { { "snow", 640, 360, 320, 180, 1.0, 0.0, SOFT_KEY }, FALSE },
    { { "smpte", 640, 480, 400, 300, 0.7, 0.12, SOFT_KEY }, TRUE },
    { { "ball", 320, 240, 320, 240, 1.3, -0.2, SOFT_KEY }, FALSE },
  };
  cairo_surface_t *background = gradient_surface ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const KeyCase *key_case = &cases[i].key_case;
      cairo_surface_t *under = cases[i].background ? background : NULL;
      g_autoptr(GBytes) one = key_frames (key_case, under, NULL, 1, FALSE);
      g_autoptr(GBytes) four = key_frames (key_case, under, NULL, 4, FALSE);
      g_autoptr(GBytes) all = key_frames (key_case, under, NULL, 0, FALSE);

      g_test_message ("case %u: %s %dx%d to %dx%d", i, key_case->source, key_case->in_width,
                      key_case->in_height, key_case->out_width, key_case->out_height);
      g_assert_cmpuint (g_bytes_get_size (one), ==,
                        (gsize) 3 * key_case->out_width * key_case->out_height * 4);
      g_assert_true (g_bytes_equal (one, four));
      g_assert_true (g_bytes_equal (one, all));
    }

  cairo_surface_destroy (background);
}

/* The vector path (blocks of screen copied from the background) gives the same bytes as
 * the per-pixel path on plates that are mostly screen, screen under grain, and chroma that
 * sweeps across the edge of what is removed; with a hard, soft or no edge, with and without
 * spill, a key that removes nothing and one that removes all; at the plate's size, at half
 * of it, moved by an odd pixel, at odd widths, scaled; over a still, over a moving
 * background (a clip), and with alpha. */
static void
test_vector_same_as_reference (void)
{
  static const struct {
    KeyCase key_case;
    int background;  /* 0: none (alpha), 1: a still, 2: a clip */
  } cases[] = {
    /* The preview's cases: at full size and at half size, mostly screen. */
    { { "ball", 640, 360, 640, 360, 1.0, 0.0, 0x00ff00, 0.4, 0.1, 0.5 }, 1 },
    { { "ball", 640, 360, 320, 180, 1.0, 0.0, 0x00ff00, 0.4, 0.1, 0.5 }, 1 },
    { { "grain", 640, 360, 640, 360, 1.0, 0.0, 0x00ff00, 0.4, 0.1, 0.5 }, 1 },
    { { "grain", 640, 360, 320, 180, 1.0, 0.0, 0x00ff00, 0.4, 0.1, 0.5 }, 1 },
    { { "grain", 640, 360, 640, 360, 1.0, 0.0, 0x00ff00, 0.4, 0.1, 0.5 }, 2 },
    { { "grain", 640, 360, 320, 180, 1.0, 0.0, 0x00ff00, 0.4, 0.1, 0.5 }, 0 },
    /* Every chroma, so that blocks straddle the edges of what is removed in every way. */
    { { "every-chroma", 512, 512, 512, 512, 1.0, 0.0, 0x00ff00, 0.4, 0.1, 0.5 }, 1 },
    { { "every-chroma", 512, 512, 256, 256, 1.0, 0.0, 0x00ff00, 0.4, 0.1, 0.5 }, 1 },
    { { "every-chroma", 512, 512, 512, 512, 1.0, 0.0, 0x00b140, 0.3, 0.4, 0.0 }, 0 },
    { { "every-chroma", 512, 512, 256, 256, 1.0, 0.0, 0x00b140, 0.6, 0.0, 1.0 }, 2 },
    { { "every-chroma", 512, 512, 512, 512, 1.0, 0.0, 0x2040d0, 0.2, 0.1, 0.5 }, 1 },
    { { "every-chroma", 512, 512, 512, 512, 1.0, 0.0034, 0x00ff00, 0.4, 0.1, 0.5 }, 1 },
    /* Chroma sweeping across the plane, as a camera might see it. */
    { { "chroma-zone-plate", 640, 360, 640, 360, 1.0, 0.0, 0x00ff00, 0.4, 0.1, 0.5 }, 1 },
    { { "chroma-zone-plate", 640, 360, 320, 180, 1.0, 0.0, 0x00b140, 0.3, 0.4, 0.5 }, 1 },
    { { "chroma-zone-plate", 640, 360, 640, 360, 1.0, 0.0, 0x00b140, 0.05, 0.0, 0.0 }, 0 },
    { { "chroma-zone-plate", 640, 360, 640, 360, 1.0, 0.0, 0x00b140, 0.6, 0.0, 1.0 }, 2 },
    { { "colors", 640, 360, 640, 360, 1.0, 0.0, 0x3050e0, 0.4, 0.2, 0.3 }, 1 },
    /* Removes all, and nothing. */
    { { "chroma-zone-plate", 640, 360, 640, 360, 1.0, 0.0, 0x00ff00, 1.0, 0.0, 0.0 }, 1 },
    { { "ball", 640, 360, 640, 360, 1.0, 0.0, 0x00ff00, 0.0, 0.0, 0.0 }, 1 },
    /* Moved by about one pixel and by three (odd columns at full size), odd sizes. */
    { { "grain", 640, 360, 640, 360, 1.0, 0.0016, 0x00ff00, 0.4, 0.1, 0.5 }, 1 },
    { { "chroma-zone-plate", 640, 360, 640, 360, 1.0, -0.0047, 0x00ff00, 0.4, 0.1, 0.5 }, 1 },
    { { "grain", 642, 362, 321, 181, 1.0, 0.0, 0x00ff00, 0.4, 0.1, 0.5 }, 1 },
    { { "chroma-zone-plate", 350, 200, 350, 200, 1.0, 0.0, 0x00ff00, 0.4, 0.1, 0.5 }, 0 },
    /* Scaled, and moved so that part of the frame misses the plate. */
    { { "grain", 640, 360, 400, 300, 0.7, 0.12, 0x00ff00, 0.4, 0.1, 0.5 }, 1 },
    { { "chroma-zone-plate", 640, 360, 640, 360, 1.0, 0.3, 0x00ff00, 0.4, 0.1, 0.5 }, 1 },
    { { "chroma-zone-plate", 640, 360, 320, 180, 0.5, 0.0, 0x00ff00, 0.4, 0.1, 0.5 }, 2 },
  };
  g_autofree char *dir = media_test_make_dir ();
  g_autofree char *clip_path = media_test_make_counter_clip (dir, "counter.webm", 160, 90, 24, 1,
                                                             10);
  g_autoptr(GFile) clip_file = g_file_new_for_path (clip_path);
  g_autoptr(ReelClipFrames) clip = reel_clip_frames_new_for_file (clip_file);
  cairo_surface_t *background = gradient_surface ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const KeyCase *key_case = &cases[i].key_case;
      cairo_surface_t *still = cases[i].background == 1 ? background : NULL;
      ReelClipFrames *moving = cases[i].background == 2 ? clip : NULL;
      g_autoptr(GBytes) reference = key_frames (key_case, still, moving, 1, TRUE);
      g_autoptr(GBytes) vector = key_frames (key_case, still, moving, 1, FALSE);
      g_autoptr(GBytes) vector_threads = key_frames (key_case, still, moving, 0, FALSE);

      g_test_message ("case %u: %s %dx%d to %dx%d, key #%06x %.2f %.2f %.2f: %" G_GSIZE_FORMAT
                      " bytes differ", i, key_case->source, key_case->in_width,
                      key_case->in_height, key_case->out_width, key_case->out_height,
                      key_case->key, key_case->similarity, key_case->softness, key_case->spill,
                      count_differences (reference, vector));
      g_assert_cmpuint (g_bytes_get_size (reference), ==,
                        (gsize) 3 * key_case->out_width * key_case->out_height * 4);
      g_assert_true (g_bytes_equal (reference, vector));
      g_assert_true (g_bytes_equal (reference, vector_threads));
    }

  cairo_surface_destroy (background);
  g_clear_object (&clip);
  media_test_remove_dir (dir);
}

/* The vector path in bands of rows, for every band count from 1 to 8, gives the same bytes
 * as the per-pixel path on one thread: at odd heights, so that bands differ in size and a
 * band may start on an odd row (the second row of a 4:2:0 chroma pair), at the plate's size
 * and at half of it, moved so that the first rows and an odd column miss the plate, over a
 * still, over a clip and with alpha. Every height is at least 8 × 32 rows, the smallest
 * band the keyer makes, so each thread count is that many bands. */
static void
test_bands_same_as_reference (void)
{
  static const struct {
    KeyCase key_case;
    int background;  /* 0: none (alpha), 1: a still, 2: a clip */
  } cases[] = {
    { { "grain", 480, 263, 480, 263, 1.0, 0.0, 0x00ff00, 0.4, 0.1, 0.5 }, 1 },
    { { "grain", 962, 526, 481, 263, 1.0, 0.0, 0x00ff00, 0.4, 0.1, 0.5 }, 1 },
    { { "chroma-zone-plate", 480, 267, 480, 267, 1.0, 0.0034, 0x00b140, 0.3, 0.4, 0.5 }, 0 },
    { { "every-chroma", 512, 512, 512, 512, 1.0, 0.0, 0x00ff00, 0.4, 0.1, 0.5 }, 2 },
    { { "ball", 640, 360, 400, 299, 0.7, 0.12, 0x00ff00, 0.4, 0.1, 0.5 }, 1 },
  };
  g_autofree char *dir = media_test_make_dir ();
  g_autofree char *clip_path = media_test_make_counter_clip (dir, "counter.webm", 160, 90, 24, 1,
                                                             10);
  g_autoptr(GFile) clip_file = g_file_new_for_path (clip_path);
  g_autoptr(ReelClipFrames) clip = reel_clip_frames_new_for_file (clip_file);
  cairo_surface_t *background = gradient_surface ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const KeyCase *key_case = &cases[i].key_case;
      cairo_surface_t *still = cases[i].background == 1 ? background : NULL;
      ReelClipFrames *moving = cases[i].background == 2 ? clip : NULL;
      g_autoptr(GBytes) reference = key_frames (key_case, still, moving, 1, TRUE);

      g_assert_cmpint (key_case->out_height, >=, 8 * 32);
      g_assert_cmpuint (g_bytes_get_size (reference), ==,
                        (gsize) 3 * key_case->out_width * key_case->out_height * 4);

      for (guint bands = 1; bands <= 8; bands++)
        {
          g_autoptr(GBytes) banded = key_frames (key_case, still, moving, bands, FALSE);

          g_test_message ("case %u: %s %dx%d to %dx%d in %u bands: %" G_GSIZE_FORMAT
                          " bytes differ", i, key_case->source, key_case->in_width,
                          key_case->in_height, key_case->out_width, key_case->out_height, bands,
                          count_differences (reference, banded));
          g_assert_true (g_bytes_equal (reference, banded));
        }
    }

  cairo_surface_destroy (background);
  g_clear_object (&clip);
  media_test_remove_dir (dir);
}

/* NV12, as hardware decoders (VA-API, V4L2) give frames, keys to the same bytes as I420 of
 * the same picture, on both paths, on one thread and on all, at the plate's size and at
 * half of it, placed off the grid, over a still, a clip and with alpha; and the eyedropper
 * reads the same colour from it. */
static void
test_nv12_same_as_i420 (void)
{
  static const struct {
    KeyCase key_case;
    int background;  /* 0: none (alpha), 1: a still, 2: a clip */
  } cases[] = {
    { { "ball", 640, 360, 640, 360, 1.0, 0.0, 0x00ff00, 0.4, 0.1, 0.5 }, 1 },
    { { "grain", 640, 360, 320, 180, 1.0, 0.0, 0x00ff00, 0.4, 0.1, 0.5 }, 1 },
    { { "every-chroma", 512, 512, 512, 512, 1.0, 0.0, 0x00b140, 0.3, 0.4, 0.0 }, 0 },
    { { "every-chroma", 512, 512, 256, 256, 1.0, 0.0, 0x00b140, 0.6, 0.0, 1.0 }, 2 },
    { { "chroma-zone-plate", 640, 360, 640, 360, 1.0, -0.0047, 0x00ff00, 0.4, 0.1, 0.5 }, 1 },
    { { "grain", 640, 360, 400, 300, 0.7, 0.12, 0x00ff00, 0.4, 0.1, 0.5 }, 1 },
    { { "grain", 642, 362, 321, 181, 1.0, 0.0, 0x00ff00, 0.4, 0.1, 0.5 }, 0 },
  };
  g_autofree char *dir = media_test_make_dir ();
  g_autofree char *clip_path = media_test_make_counter_clip (dir, "counter.webm", 160, 90, 24, 1,
                                                             10);
  g_autoptr(GFile) clip_file = g_file_new_for_path (clip_path);
  g_autoptr(ReelClipFrames) clip = reel_clip_frames_new_for_file (clip_file);
  cairo_surface_t *background = gradient_surface ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const KeyCase *key_case = &cases[i].key_case;
      cairo_surface_t *still = cases[i].background == 1 ? background : NULL;
      ReelClipFrames *moving = cases[i].background == 2 ? clip : NULL;

      for (int path = 0; path < 3; path++)
        {
          /* The per-pixel path, the vector path, the vector path in bands. */
          gboolean reference = path == 0;
          guint threads = path == 2 ? 0 : 1;
          guint32 picked_i420 = 0, picked_nv12 = 1;
          g_autoptr(GBytes) i420 = key_frames_as ("I420", key_case, still, moving, threads,
                                                  reference, &picked_i420);
          g_autoptr(GBytes) nv12 = key_frames_as ("NV12", key_case, still, moving, threads,
                                                  reference, &picked_nv12);

          g_test_message ("case %u, path %d: %s %dx%d to %dx%d: %" G_GSIZE_FORMAT
                          " bytes differ; picked #%06x and #%06x", i, path, key_case->source,
                          key_case->in_width, key_case->in_height, key_case->out_width,
                          key_case->out_height, count_differences (i420, nv12), picked_i420,
                          picked_nv12);
          g_assert_cmpuint (g_bytes_get_size (i420), ==,
                            (gsize) 3 * key_case->out_width * key_case->out_height * 4);
          g_assert_true (g_bytes_equal (i420, nv12));
          g_assert_cmphex (picked_i420, ==, picked_nv12);
        }
    }

  cairo_surface_destroy (background);
  g_clear_object (&clip);
  media_test_remove_dir (dir);
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
  g_test_add_func ("/media/chroma-key/vector-same-as-reference", test_vector_same_as_reference);
  g_test_add_func ("/media/chroma-key/bands-same-as-reference", test_bands_same_as_reference);
  g_test_add_func ("/media/chroma-key/nv12-same-as-i420", test_nv12_same_as_i420);

  return g_test_run ();
}
