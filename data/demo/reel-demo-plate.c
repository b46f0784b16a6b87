/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-demo-plate"

#include "config.h"

#include <cairo.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <math.h>
#include <string.h>

/*
 * Writes the demo's green-screen plate to the file named on the command line: MAYA in a
 * yellow oilskin walks across an unevenly lit green screen, with a soft edge, some green
 * spill on her outline and camera-like grain, and the sound of her steps and the wind.
 *
 * WebM with VP8 video and Opus audio: libvpx and Opus are in GStreamer's base and good
 * plug-ins, which every Debian system with Storyreel and the GNOME Flatpak runtime carry, so
 * the plate decodes wherever the application runs. H.264 would need the "ugly" x264 encoder
 * to make and a codec extension to play in the Flatpak.
 *
 * Everything is drawn here from fixed seeds: no downloaded media, the same picture on every
 * build (the encoder may still differ by a bit between libvpx versions).
 */

#define WIDTH        1920
#define HEIGHT       1080
#define FPS          24
#define N_FRAMES     (6 * FPS)
#define SAMPLE_RATE  48000
#define SAMPLES_PER_FRAME (SAMPLE_RATE / FPS)

/* Where the figure is in frame @index: x of the hips (pixels), the walk phase (radians). */
static void
figure_pose (int     index,
             double *x,
             double *phase)
{
  double t = (double) index / (N_FRAMES - 1);

  /* From the left third to the right third, easing in and out as a walk that starts and
   * stops does. */
  *x = WIDTH * (0.22 + 0.56 * (0.5 - 0.5 * cos (G_PI * t)));
  *phase = index * 2.0 * G_PI / 18.0;
}

/* The green screen: vivid in the middle, falling off to the corners, soft vertical folds in
 * the cloth and a darker floor where the screen curves into the cyclorama. */
static cairo_surface_t *
draw_screen (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, WIDTH, HEIGHT);
  guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  cairo_surface_flush (surface);
  for (int y = 0; y < HEIGHT; y++)
    {
      guint32 *row = (guint32 *) (data + (gsize) y * stride);
      double v = (double) y / HEIGHT;
      double floor_shade = v > 0.78 ? 1.0 - 0.15 * (v - 0.78) / 0.22 : 1.0;

      for (int x = 0; x < WIDTH; x++)
        {
          double u = (double) x / WIDTH;
          double dx = u - 0.48, dy = v - 0.42;
          double light = 1.0 - 0.4 * (dx * dx + dy * dy);
          double fold = 1.0 + 0.05 * sin (u * 23.0 + 0.8 * sin (v * 5.0))
                        + 0.025 * sin (u * 61.0 + v * 3.0);
          double k = light * fold * floor_shade;
          int r = (int) CLAMP (22 * k + 6 * v, 0, 255);
          int g = (int) CLAMP (168 * k, 0, 255);
          int b = (int) CLAMP (72 * k + 10 * (1 - v), 0, 255);

          row[x] = 0xff000000u | (guint32) r << 16 | (guint32) g << 8 | (guint32) b;
        }
    }
  cairo_surface_mark_dirty (surface);

  return surface;
}

static void
limb (cairo_t *cr,
      double   x1,
      double   y1,
      double   x2,
      double   y2,
      double   width)
{
  cairo_set_line_width (cr, width);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_move_to (cr, x1, y1);
  cairo_line_to (cr, x2, y2);
  cairo_stroke (cr);
}

/* MAYA walking: @x the hips, @phase the stride. Drawn at half size into @cr (the caller
 * scales it up, which softens the edge the way a lens and motion do). */
static void
draw_figure (cairo_t *cr,
             double   x,
             double   phase)
{
  double swing = sin (phase);
  double lift = fabs (cos (phase));
  double hip_y = 620 - 8 * lift;
  double shoulder_y = hip_y - 250;
  double leg = 300;
  double arm = 230;

  /* The far leg and arm first, darker. */
  cairo_set_source_rgb (cr, 0.10, 0.11, 0.16);
  limb (cr, x, hip_y, x - swing * 95, hip_y + leg, 46);
  cairo_set_source_rgb (cr, 0.63, 0.50, 0.10);
  limb (cr, x - 10, shoulder_y + 25, x + swing * 70, shoulder_y + arm, 40);

  /* The oilskin coat: a tapered body to the knees. */
  cairo_set_source_rgb (cr, 0.86, 0.68, 0.12);
  cairo_move_to (cr, x - 62, shoulder_y);
  cairo_curve_to (cr, x - 80, shoulder_y + 120, x - 95, hip_y, x - 100, hip_y + 110);
  cairo_line_to (cr, x + 95, hip_y + 110);
  cairo_curve_to (cr, x + 88, hip_y, x + 76, shoulder_y + 120, x + 60, shoulder_y);
  cairo_close_path (cr);
  cairo_fill (cr);

  /* A coil of rope over the shoulder. */
  cairo_set_source_rgb (cr, 0.55, 0.42, 0.28);
  cairo_set_line_width (cr, 14);
  cairo_arc (cr, x + 20, shoulder_y + 70, 60, 0, 2 * G_PI);
  cairo_stroke (cr);

  /* The near leg and arm. */
  cairo_set_source_rgb (cr, 0.14, 0.15, 0.22);
  limb (cr, x, hip_y, x + swing * 95, hip_y + leg, 50);
  cairo_set_source_rgb (cr, 0.05, 0.05, 0.06);
  limb (cr, x + swing * 95 - 4, hip_y + leg, x + swing * 95 + 34, hip_y + leg + 4, 30);
  cairo_set_source_rgb (cr, 0.90, 0.72, 0.14);
  limb (cr, x + 10, shoulder_y + 25, x - swing * 70, shoulder_y + arm, 44);
  cairo_set_source_rgb (cr, 0.85, 0.64, 0.52);
  cairo_arc (cr, x - swing * 72, shoulder_y + arm + 12, 20, 0, 2 * G_PI);
  cairo_fill (cr);

  /* Head and hood. */
  cairo_set_source_rgb (cr, 0.84, 0.62, 0.50);
  cairo_arc (cr, x + 8, shoulder_y - 62, 46, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.78, 0.60, 0.10);
  cairo_arc (cr, x - 6, shoulder_y - 70, 56, G_PI * 0.55, G_PI * 1.9);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.20, 0.14, 0.10);
  cairo_arc (cr, x + 34, shoulder_y - 72, 6, 0, 2 * G_PI);
  cairo_fill (cr);
}

/* One frame: the screen, the figure softened and fringed with spill, then grain. */
static void
draw_frame (cairo_surface_t *frame,
            cairo_surface_t *screen,
            cairo_surface_t *figure,
            guint32         *grain_state,
            int              index)
{
  cairo_t *cr;
  double x, phase;
  guint8 *data;
  int stride;

  figure_pose (index, &x, &phase);

  /* The figure at half size, with a green halo of spill around its outline. */
  cr = cairo_create (figure);
  cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
  cairo_paint (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
  cairo_scale (cr, 0.5, 0.5);
  draw_figure (cr, x, phase);
  cairo_set_operator (cr, CAIRO_OPERATOR_ATOP);
  cairo_set_source_rgba (cr, 0.15, 0.70, 0.30, 0.10);
  cairo_paint (cr);
  cairo_destroy (cr);

  cr = cairo_create (frame);
  cairo_set_source_surface (cr, screen, 0, 0);
  cairo_paint (cr);
  /* Her shadow on the floor. */
  cairo_save (cr);
  cairo_translate (cr, x + 40, 950);
  cairo_scale (cr, 1.0, 0.12);
  cairo_arc (cr, 0, 0, 170, 0, 2 * G_PI);
  cairo_restore (cr);
  cairo_set_source_rgba (cr, 0, 0.05, 0, 0.22);
  cairo_fill (cr);
  cairo_scale (cr, 2.0, 2.0);
  cairo_set_source_surface (cr, figure, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_BILINEAR);
  cairo_paint (cr);
  cairo_destroy (cr);

  /* Grain, fresh in every frame. */
  cairo_surface_flush (frame);
  data = cairo_image_surface_get_data (frame);
  stride = cairo_image_surface_get_stride (frame);
  for (int row = 0; row < HEIGHT; row++)
    {
      guint32 *pixels = (guint32 *) (data + (gsize) row * stride);

      for (int column = 0; column < WIDTH; column++)
        {
          guint32 p = pixels[column], s = *grain_state;
          int r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff, n;

          /* xorshift32: fast and the same everywhere. */
          s ^= s << 13, s ^= s >> 17, s ^= s << 5;
          *grain_state = s;
          /* Mostly in brightness, as a sensor's grain after debayering is, with a hair
           * of colour: noise in every channel would cost the encoder twice the time. */
          n = (int) (s & 7) - 3 + (int) ((s >> 3) & 3) - 1;
          r = CLAMP (r + n + (int) ((s >> 5) & 1), 0, 255);
          g = CLAMP (g + n, 0, 255);
          b = CLAMP (b + n + (int) ((s >> 6) & 1), 0, 255);
          pixels[column] = 0xff000000u | (guint32) r << 16 | (guint32) g << 8 | (guint32) b;
        }
    }
  cairo_surface_mark_dirty (frame);
}

/* The frame's sound: a low wind and a footstep where a foot lands. */
static GstBuffer *
make_audio (int      index,
            guint32 *noise_state,
            double  *wind)
{
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, SAMPLES_PER_FRAME * 2, NULL);
  GstMapInfo map;
  gint16 *samples;
  /* A foot lands twice per stride: at phase 0 and π, nine frames apart. */
  int since_step = index % 9;

  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  samples = (gint16 *) map.data;
  for (int i = 0; i < SAMPLES_PER_FRAME; i++)
    {
      guint32 s = *noise_state;
      double white, value, t;

      s ^= s << 13, s ^= s >> 17, s ^= s << 5;
      *noise_state = s;
      white = (s / 4294967295.0) * 2.0 - 1.0;
      /* Brown-ish noise: the wind. */
      *wind = 0.995 * *wind + 0.02 * white;
      value = 0.5 * *wind;
      t = (since_step * SAMPLES_PER_FRAME + i) / (double) SAMPLE_RATE;
      if (since_step < 3)
        value += 0.6 * white * exp (-t * 40.0) + 0.4 * sin (2 * G_PI * 90 * t) * exp (-t * 25.0);
      samples[i] = (gint16) CLAMP (value * 20000.0, -32767, 32767);
    }
  gst_buffer_unmap (buffer, &map);

  GST_BUFFER_PTS (buffer) = gst_util_uint64_scale (index, GST_SECOND, FPS);
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (index + 1, GST_SECOND, FPS)
                                 - GST_BUFFER_PTS (buffer);
  return buffer;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) video = NULL;
  g_autoptr(GstElement) audio = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  cairo_surface_t *screen, *figure, *frame;
  guint32 grain_state = 0x2545f491, noise_state = 0x9e3779b9;
  double wind = 0.0;
  int status = 0;

  gst_init (&argc, &argv);
  if (argc != 2)
    {
      g_printerr ("Usage: %s OUTPUT.webm\n", argv[0]);
      return 2;
    }

  /* Real-time VP8 at a camera proxy's rate keeps the build short and the file under 5 MB. */
  description = g_strdup_printf (
    "appsrc name=video format=time is-live=false block=true "
    "  caps=video/x-raw,format=BGRx,width=%d,height=%d,framerate=%d/1 "
    "! videoconvert ! video/x-raw,format=I420 "
    "! vp8enc deadline=1 cpu-used=8 threads=2 end-usage=vbr target-bitrate=4000000 "
    "  keyframe-max-dist=48 ! queue ! mux. "
    "appsrc name=audio format=time is-live=false block=true "
    "  caps=audio/x-raw,format=S16LE,layout=interleaved,channels=1,rate=%d "
    "! audioconvert ! audioresample ! opusenc bitrate=64000 ! queue ! mux. "
    "webmmux name=mux ! filesink location=\"%s\"",
    WIDTH, HEIGHT, FPS, SAMPLE_RATE, argv[1]);
  pipeline = gst_parse_launch (description, &error);
  if (pipeline == NULL)
    {
      g_printerr ("Cannot make the demo plate (VP8, Opus and WebM come with GStreamer's base "
                  "and good plug-ins): %s\n", error->message);
      return 1;
    }
  video = gst_bin_get_by_name (GST_BIN (pipeline), "video");
  audio = gst_bin_get_by_name (GST_BIN (pipeline), "audio");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  screen = draw_screen ();
  figure = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH / 2, HEIGHT / 2);

  for (int i = 0; i < N_FRAMES; i++)
    {
      GstBuffer *buffer;
      GstMapInfo map;
      int stride;
      guint8 *data;

      frame = cairo_image_surface_create (CAIRO_FORMAT_RGB24, WIDTH, HEIGHT);
      draw_frame (frame, screen, figure, &grain_state, i);
      stride = cairo_image_surface_get_stride (frame);
      data = cairo_image_surface_get_data (frame);

      buffer = gst_buffer_new_allocate (NULL, (gsize) WIDTH * HEIGHT * 4, NULL);
      gst_buffer_map (buffer, &map, GST_MAP_WRITE);
      for (int row = 0; row < HEIGHT; row++)
        memcpy (map.data + (gsize) row * WIDTH * 4, data + (gsize) row * stride, WIDTH * 4);
      gst_buffer_unmap (buffer, &map);
      cairo_surface_destroy (frame);

      GST_BUFFER_PTS (buffer) = gst_util_uint64_scale (i, GST_SECOND, FPS);
      GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (i + 1, GST_SECOND, FPS)
                                     - GST_BUFFER_PTS (buffer);
      if (gst_app_src_push_buffer (GST_APP_SRC (video), buffer) != GST_FLOW_OK
          || gst_app_src_push_buffer (GST_APP_SRC (audio),
                                      make_audio (i, &noise_state, &wind)) != GST_FLOW_OK)
        break;
    }
  gst_app_src_end_of_stream (GST_APP_SRC (video));
  gst_app_src_end_of_stream (GST_APP_SRC (audio));

  bus = gst_element_get_bus (pipeline);
  message = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gst_error = NULL;

      gst_message_parse_error (message, &gst_error, NULL);
      g_printerr ("Cannot make the demo plate: %s\n", gst_error->message);
      status = 1;
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);

  cairo_surface_destroy (figure);
  cairo_surface_destroy (screen);
  return status;
}
