/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gst/app/app.h>
#include <gst/video/video.h>
#include <string.h>
#include <sys/resource.h>

#include "media/reel-chroma-key.h"
#include "media/reel-chroma-key-private.h"
#include "media/reel-preview-pipeline.h"
#include "media/reel-video-sink.h"
#include "media-test-util.h"

/* Preview throughput: a 1080p24 H.264 plate keyed over a background and composited for a
 * 960×540 view, against decoding the same file and nothing else, in the same process.
 * Both run as fast as they can (no clock). Also the composite at full 1080p. */

#define FRAMES 240

typedef struct
{
  double seconds;
  double cpu_seconds;
  guint frames;
} Run;

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
         + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static double
frames_per_second (const Run *run)
{
  return run->frames / run->seconds;
}

static double
cpu_ms_per_frame (const Run *run)
{
  return run->cpu_seconds * 1e3 / run->frames;
}

static gboolean
count_frame (GstPad          *pad,
             GstPadProbeInfo *info,
             gpointer         user_data)
{
  (*(guint *) user_data)++;
  return GST_PAD_PROBE_OK;
}

/* Runs @pipeline_floating (which has a sink named "sink") to its end as fast as it goes,
 * and takes it. */
static Run
run_pipeline (GstElement *pipeline_floating)
{
  g_autoptr(GstElement) pipeline = gst_object_ref_sink (pipeline_floating);
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstPad) pad = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  Run run = { 0 };
  gint64 start;
  double cpu_start;

  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  pad = gst_element_get_static_pad (sink, "sink");

  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  gst_element_get_state (pipeline, NULL, NULL, GST_CLOCK_TIME_NONE);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, (GstPadProbeCallback) count_frame,
                     &run.frames, NULL);

  start = g_get_monotonic_time ();
  cpu_start = cpu_seconds ();
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  message = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  run.seconds = (g_get_monotonic_time () - start) / 1e6;
  run.cpu_seconds = cpu_seconds () - cpu_start;
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  /* Counted from the second frame: the preroll frame was decoded before the clock
   * started, in both runs. */
  return run;
}

/* Decodes @path through @chain (a gst-launch fragment ending in a sink named "sink"). */
static Run
run_chain (const char *path,
           const char *chain)
{
  g_autofree char *uri = gst_filename_to_uri (path, NULL);
  g_autofree char *description = g_strdup_printf ("uridecodebin uri=\"%s\" caps=video/x-raw "
                                                  "! %s", uri, chain);
  g_autoptr(GError) error = NULL;
  GstElement *pipeline = gst_parse_launch (description, &error);

  g_assert_no_error (error);
  return run_pipeline (pipeline);
}

static Run
decode_only (const char *path)
{
  return run_chain (path, "fakesink name=sink sync=false");
}

/* The textbook way, for comparison: GStreamer's alpha and compositor elements. */
static Run
naive (const char *path)
{
  return run_chain (path, "videoconvertscale ! video/x-raw,width=960,height=540 "
                          "! alpha method=green ! compositor background=white "
                          "! videoconvert ! video/x-raw,format=BGRA "
                          "! fakesink name=sink sync=false");
}

/* What a bare copy of the output frame costs on the frames' own thread after the queue,
 * as the keyer does in the preview: a BGRA frame of the output size from a pool, filled
 * with one memcpy from a frame whose memory is touched. */
typedef struct
{
  GstBufferPool *pool;
  guint8 *source;
  gsize size;
} BareCopy;

static GstPadProbeReturn
copy_output_frame (GstPad          *pad,
                   GstPadProbeInfo *info,
                   gpointer         user_data)
{
  BareCopy *copy = user_data;
  GstBuffer *out = NULL;
  GstMapInfo map;

  g_assert_cmpint (gst_buffer_pool_acquire_buffer (copy->pool, &out, NULL), ==, GST_FLOW_OK);
  g_assert_true (gst_buffer_map (out, &map, GST_MAP_WRITE));
  memcpy (map.data, copy->source, copy->size);
  gst_buffer_unmap (out, &map);
  gst_buffer_unref (out);

  return GST_PAD_PROBE_OK;
}

static GstBufferPool *output_pool_new (GstCaps *caps);

/* The bound for any keyer in the preview: decode-only plus a queue (decoding and the rest
 * on two threads, as in the preview) and a bare copy of a @width × @height output frame. */
static Run
decode_and_copy (const char *path,
                 int         width,
                 int         height)
{
  g_autoptr(GstCaps) caps = gst_caps_new_simple ("video/x-raw",
                                                 "format", G_TYPE_STRING, "BGRA",
                                                 "width", G_TYPE_INT, width,
                                                 "height", G_TYPE_INT, height,
                                                 "framerate", GST_TYPE_FRACTION, 24, 1, NULL);
  BareCopy copy = { output_pool_new (caps), NULL, (gsize) width * height * 4 };
  g_autofree char *uri = gst_filename_to_uri (path, NULL);
  g_autofree char *description =
    g_strdup_printf ("uridecodebin uri=\"%s\" caps=video/x-raw "
                     "! queue max-size-buffers=3 max-size-time=0 max-size-bytes=0 "
                     "! identity name=copy ! fakesink name=sink sync=false", uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr(GstElement) identity = NULL;
  g_autoptr(GstPad) pad = NULL;
  Run run;

  g_assert_no_error (error);
  copy.source = g_malloc (copy.size);
  memset (copy.source, 0x5a, copy.size);
  identity = gst_bin_get_by_name (GST_BIN (pipeline), "copy");
  pad = gst_element_get_static_pad (identity, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, copy_output_frame, &copy, NULL);

  run = run_pipeline (g_steal_pointer (&pipeline));

  gst_buffer_pool_set_active (copy.pool, FALSE);
  gst_object_unref (copy.pool);
  g_free (copy.source);
  return run;
}

static void
opened (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (reel_preview_pipeline_open_finish (REEL_PREVIEW_PIPELINE (object), result,
                                                    &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
stopped (gpointer data)
{
  return !reel_preview_pipeline_get_playing (data);
}

/* The shot preview as the app runs it, or with the keyer on @threads threads (0: one per
 * processor) if @threads is not -1. */
static Run
preview (const char *path,
         int         width,
         int         height,
         int         threads)
{
  g_autoptr(ReelPreviewPipeline) preview = reel_preview_pipeline_new ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GstElement) sink = NULL;
  cairo_surface_t *background = media_test_solid_surface (0x3060a0, 1920, 1080);
  gboolean done = FALSE;
  Run run = { 0 };
  guint64 rendered_before;
  gint64 start;
  double cpu_start;

  reel_preview_pipeline_set_sync (preview, FALSE);
  reel_preview_pipeline_set_output_size (preview, width, height);
  reel_preview_pipeline_set_key (preview, MEDIA_TEST_GREEN, 0.4, 0.1, 0.5);
  reel_preview_pipeline_set_background (preview, background);
  cairo_surface_destroy (background);

  reel_preview_pipeline_open_async (preview, file, NULL, opened, &done);
  media_test_wait (&done, 60000);
  sink = gst_bin_get_by_name (GST_BIN (reel_preview_pipeline_get_element (preview)), "sink");
  if (threads >= 0)
    {
      g_autoptr(GstElement) keyer =
        gst_bin_get_by_name (GST_BIN (reel_preview_pipeline_get_element (preview)), "key");

      g_object_set (keyer, "threads", (guint) threads, NULL);
    }
  rendered_before = reel_video_sink_get_n_rendered (REEL_VIDEO_SINK (sink));

  start = g_get_monotonic_time ();
  cpu_start = cpu_seconds ();
  reel_preview_pipeline_play (preview);
  media_test_wait_until (stopped, preview, 600000);
  run.seconds = (g_get_monotonic_time () - start) / 1e6;
  run.cpu_seconds = cpu_seconds () - cpu_start;
  run.frames = reel_video_sink_get_n_rendered (REEL_VIDEO_SINK (sink)) - rendered_before;

  return run;
}

#define KEYER_ROUNDS 7
/* BGRA frames of the plate kept for the copy (8 MB each at 1080p), used in turn: far more
 * than any cache holds, and not the 2 GB all of them would take. */
#define COPY_RING 24

static void
print_load (const char *label,
            const char *when)
{
  g_autofree char *loadavg = NULL;

  if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    g_print ("%s: load average %s: %s", label, when, loadavg);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Every frame of @path as decoded (I420 at its own size), for timing the keyer alone; or,
 * with @format "BGRA", the first @limit frames as the keyer's output format, for the copy. */
static GPtrArray *
decode_all (const char *path,
            const char *format,
            guint       limit)
{
  g_autofree char *uri = gst_filename_to_uri (path, NULL);
  g_autofree char *description =
    g_strdup_printf ("uridecodebin uri=\"%s\" caps=video/x-raw ! videoconvert "
                     "! video/x-raw,format=%s ! appsink name=sink sync=false", uri, format);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr(GstElement) sink = NULL;
  GPtrArray *frames = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_sample_unref);
  GstSample *sample;

  g_assert_no_error (error);
  gst_object_ref_sink (pipeline);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while (frames->len < limit
         && (sample = gst_app_sink_pull_sample (GST_APP_SINK (sink))) != NULL)
    g_ptr_array_add (frames, sample);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  return frames;
}

/* One timed pass: wall clock and processor time (every thread of the process) per frame. */
typedef struct
{
  double wall_ms;
  double cpu_ms;
} Pass;

/* Frames that reached a sink, for waiting on the first. */
typedef struct
{
  GMutex lock;
  GCond arrived;
  guint n_frames;
} Arrivals;

static GstPadProbeReturn
frame_arrived (GstPad          *pad,
               GstPadProbeInfo *info,
               gpointer         user_data)
{
  Arrivals *arrivals = user_data;

  g_mutex_lock (&arrivals->lock);
  arrivals->n_frames++;
  g_cond_signal (&arrivals->arrived);
  g_mutex_unlock (&arrivals->lock);

  return GST_PAD_PROBE_OK;
}

/* Keys @frames over a background at their own size (or, if @half_size, for a 960×540 view
 * as the preview does, reading the plate in 2×2 blocks), with @threads, on the per-pixel
 * path alone if @reference (the keyer before its vector path, as a baseline in the same
 * process). The clock starts once the first frame is out: building the key table and
 * placing the background happen once per setting, not per frame, and the copy has no such
 * step. */
static Pass
key_only (GPtrArray *frames,
          guint      threads,
          gboolean   reference,
          gboolean   half_size)
{
  GstSample *first = g_ptr_array_index (frames, 0);
  g_autoptr(GstCaps) caps = gst_caps_copy (gst_sample_get_caps (first));
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline =
    gst_parse_launch (half_size
                      ? "appsrc name=src format=time ! reelchromakey name=key "
                        "! video/x-raw,format=BGRA,width=960,height=540 "
                        "! fakesink name=sink sync=false"
                      : "appsrc name=src format=time ! reelchromakey name=key "
                        "! video/x-raw,format=BGRA ! fakesink name=sink sync=false", &error);
  g_autoptr(GstElement) src = NULL;
  g_autoptr(GstElement) key = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstPad) sink_pad = NULL;
  Arrivals arrivals = { 0 };
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  cairo_surface_t *background = media_test_solid_surface (0x3060a0, 1920, 1080);
  Pass pass;
  gint64 start;
  double cpu_start;

  g_assert_no_error (error);
  gst_object_ref_sink (pipeline);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  key = gst_bin_get_by_name (GST_BIN (pipeline), "key");
  g_object_set (src, "caps", caps, NULL);
  g_object_set (key, "threads", threads, NULL);
  reel_chroma_key_set_reference_path (REEL_CHROMA_KEY (key), reference);
  reel_chroma_key_set_key (REEL_CHROMA_KEY (key), MEDIA_TEST_GREEN, 0.4, 0.1, 0.5);
  reel_chroma_key_set_background (REEL_CHROMA_KEY (key), background);
  cairo_surface_destroy (background);

  g_mutex_init (&arrivals.lock);
  g_cond_init (&arrivals.arrived);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  sink_pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (sink_pad, GST_PAD_PROBE_TYPE_BUFFER, frame_arrived, &arrivals, NULL);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  gst_app_src_push_buffer (GST_APP_SRC (src),
                           gst_buffer_ref (gst_sample_get_buffer (frames->pdata[0])));
  g_mutex_lock (&arrivals.lock);
  while (arrivals.n_frames == 0)
    g_cond_wait (&arrivals.arrived, &arrivals.lock);
  g_mutex_unlock (&arrivals.lock);

  start = g_get_monotonic_time ();
  cpu_start = cpu_seconds ();
  for (guint i = 1; i < frames->len; i++)
    gst_app_src_push_buffer (GST_APP_SRC (src),
                             gst_buffer_ref (gst_sample_get_buffer (frames->pdata[i])));
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  bus = gst_element_get_bus (pipeline);
  message = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  pass.wall_ms = (g_get_monotonic_time () - start) / 1e3 / (frames->len - 1);
  pass.cpu_ms = (cpu_seconds () - cpu_start) * 1e3 / (frames->len - 1);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_assert_cmpuint (arrivals.n_frames, ==, frames->len);
  g_mutex_clear (&arrivals.lock);
  g_cond_clear (&arrivals.arrived);

  return pass;
}

/* A pool of output frames as the keyer has: the same few buffers come back, so their
 * memory is touched, as the keyer's is after its first frames. */
static GstBufferPool *
output_pool_new (GstCaps *caps)
{
  GstBufferPool *pool = gst_video_buffer_pool_new ();
  GstStructure *config = gst_buffer_pool_get_config (pool);
  GstVideoInfo info;

  g_assert_true (gst_video_info_from_caps (&info, caps));
  gst_buffer_pool_config_set_params (config, caps, (guint) GST_VIDEO_INFO_SIZE (&info), 2, 0);
  g_assert_true (gst_buffer_pool_set_config (pool, config));
  g_assert_true (gst_buffer_pool_set_active (pool, TRUE));

  return pool;
}

/* The floor the keyer is held to: as many frames as it keys, each a real frame of the same
 * plate already in the output format (BGRA at the same size, decoded and converted
 * beforehand, so its memory is touched and distinct from frame to frame), copied with one
 * memcpy into a frame from a pool like the keyer's output. One thread. */
static Pass
plain_copy (GPtrArray *bgra_frames,
            guint      n_frames)
{
  GstCaps *caps = gst_sample_get_caps (bgra_frames->pdata[0]);
  g_autoptr(GstBufferPool) pool = output_pool_new (caps);
  Pass pass = { 0 };
  gint64 start = 0;
  double cpu_start = 0;

  /* As for the keyer, from the second frame on. */
  for (guint i = 0; i < n_frames; i++)
    {
      GstBuffer *in = gst_sample_get_buffer (bgra_frames->pdata[i % bgra_frames->len]);
      GstBuffer *out = NULL;
      GstMapInfo in_map, out_map;

      g_assert_cmpint (gst_buffer_pool_acquire_buffer (pool, &out, NULL), ==, GST_FLOW_OK);
      g_assert_true (gst_buffer_map (in, &in_map, GST_MAP_READ));
      g_assert_true (gst_buffer_map (out, &out_map, GST_MAP_WRITE));
      g_assert_cmpuint (out_map.size, ==, in_map.size);
      memcpy (out_map.data, in_map.data, in_map.size);
      gst_buffer_unmap (out, &out_map);
      gst_buffer_unmap (in, &in_map);
      gst_buffer_unref (out);

      if (i == 0)
        {
          start = g_get_monotonic_time ();
          cpu_start = cpu_seconds ();
        }
    }
  pass.wall_ms = (g_get_monotonic_time () - start) / 1e3 / (n_frames - 1);
  pass.cpu_ms = (cpu_seconds () - cpu_start) * 1e3 / (n_frames - 1);
  gst_buffer_pool_set_active (pool, FALSE);

  return pass;
}

static double
median (const double *values,
        guint         n)
{
  g_autofree double *sorted = g_memdup2 (values, n * sizeof (double));

  qsort (sorted, n, sizeof (double), compare_doubles);
  return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
}

static double
minimum (const double *values,
         guint         n)
{
  double lowest = values[0];

  for (guint i = 1; i < n; i++)
    lowest = MIN (lowest, values[i]);
  return lowest;
}

static double
maximum (const double *values,
         guint         n)
{
  double highest = values[0];

  for (guint i = 1; i < n; i++)
    highest = MAX (highest, values[i]);
  return highest;
}

static double
median_of_runs (const Run *runs,
                guint      n_runs,
                double   (*figure) (const Run *run))
{
  g_autofree double *values = g_new (double, n_runs);

  for (guint i = 0; i < n_runs; i++)
    values[i] = figure (&runs[i]);
  return median (values, n_runs);
}

/* Passes of one kind over the rounds, and the line that reports them. */
typedef struct
{
  const char *name;
  double wall_ms[KEYER_ROUNDS];
  double cpu_ms[KEYER_ROUNDS];
} Series;

static void
series_add (Series *series,
            guint   round,
            Pass    pass)
{
  series->wall_ms[round] = pass.wall_ms;
  series->cpu_ms[round] = pass.cpu_ms;
}

static void
series_print (const char   *label,
              const Series *series)
{
  g_print ("%s: %s: wall ms per frame min=%.2f median=%.2f; processor ms per frame "
           "min=%.2f median=%.2f\n", label, series->name,
           minimum (series->wall_ms, KEYER_ROUNDS), median (series->wall_ms, KEYER_ROUNDS),
           minimum (series->cpu_ms, KEYER_ROUNDS), median (series->cpu_ms, KEYER_ROUNDS));
}

/* @a over @b, as the ratio of the medians and of the minimums (the least disturbed runs). */
static void
ratio_print (const char   *label,
             const char   *name,
             const Series *a,
             const Series *b)
{
  g_print ("%s: %s=%.2f (of the fastest passes %.2f; processor time %.2f)\n", label, name,
           median (a->wall_ms, KEYER_ROUNDS) / median (b->wall_ms, KEYER_ROUNDS),
           minimum (a->wall_ms, KEYER_ROUNDS) / minimum (b->wall_ms, KEYER_ROUNDS),
           median (a->cpu_ms, KEYER_ROUNDS) / median (b->cpu_ms, KEYER_ROUNDS));
}

/* The keyer alone on decoded 1080p frames against a plain copy of the same frames: on a
 * clean plate decoding costs nearly nothing, so this is what bounds the preview there; on
 * grainy footage more of the screen strays from the key and takes the per-pixel path. */
typedef struct
{
  double copy_ms;
  double keyer_ms;
} KeyerFigures;

static KeyerFigures
measure_keyer (const char *label,
               const char *plate)
{
  KeyerFigures figures;
  g_autoptr(GPtrArray) frames = decode_all (plate, "I420", G_MAXUINT);
  g_autoptr(GPtrArray) bgra_frames = decode_all (plate, "BGRA", COPY_RING);
  g_autofree char *threads_name = g_strdup_printf ("keyer on all cores (%u threads)",
                                                   g_get_num_processors ());
  Series copy = { "plain copy of the plate's BGRA frames, one thread" };
  Series keyed = { threads_name };
  Series keyed_one = { "keyer on one thread" };
  Series reference = { "per-pixel path alone on all cores" };
  Series reference_one = { "per-pixel path alone on one thread" };
  Series keyed_small = { "keyer from the 1080p plate to a 960x540 view (2x2 blocks), "
                         "one thread" };

  g_assert_cmpuint (frames->len, >, 10);
  g_assert_cmpuint (bgra_frames->len, ==, MIN (COPY_RING, frames->len));
  print_load (label, "before the keyer alone");

  /* Interleaved rounds, so a burst of load elsewhere hits every kind alike. */
  for (guint i = 0; i < KEYER_ROUNDS; i++)
    {
      series_add (&copy, i, plain_copy (bgra_frames, frames->len));
      series_add (&keyed, i, key_only (frames, 0, FALSE, FALSE));
      series_add (&keyed_one, i, key_only (frames, 1, FALSE, FALSE));
      series_add (&reference, i, key_only (frames, 0, TRUE, FALSE));
      series_add (&reference_one, i, key_only (frames, 1, TRUE, FALSE));
      series_add (&keyed_small, i, key_only (frames, 1, FALSE, TRUE));
    }

  g_print ("%s: %u rounds, each timed over %u frames after the first; 1080p in and out "
           "unless said\n", label, KEYER_ROUNDS, frames->len - 1);
  series_print (label, &copy);
  series_print (label, &keyed);
  series_print (label, &keyed_one);
  series_print (label, &reference);
  series_print (label, &reference_one);
  series_print (label, &keyed_small);
  ratio_print (label, "keyer-vs-copy-ratio", &keyed, &copy);
  ratio_print (label, "keyer-one-thread-vs-copy-ratio", &keyed_one, &copy);
  ratio_print (label, "keyer-vs-per-pixel-ratio", &keyed, &reference);
  print_load (label, "after the keyer alone");

  figures.copy_ms = median (copy.wall_ms, KEYER_ROUNDS);
  figures.keyer_ms = median (keyed.wall_ms, KEYER_ROUNDS);
  return figures;
}

/* The load average's first figure (the last minute), for the line of each round. */
static double
load_now (void)
{
  g_autofree char *loadavg = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    return -1.0;
  return g_ascii_strtod (loadavg, NULL);
}

/* Decode-only around one round: the mean of the runs just before and just after, so that a
 * change of load during the round weighs on both sides of the ratio. */
static Run
bracket (const Run *before,
         const Run *after)
{
  Run mean = {
    (before->seconds + after->seconds) / 2.0,
    (before->cpu_seconds + after->cpu_seconds) / 2.0,
    (before->frames + after->frames) / 2,
  };

  return mean;
}

/* One pipeline's rounds against decode-only's. Each round's ratio is against the
 * decode-only runs of the same round (just before and just after it), and the figure is
 * the median of those ratios: one noisy round, or a burst of load, does not decide it.
 * Every round's ratio is printed too, with the load then. Processor time per frame is
 * what load inflates least, and says what the extra work costs. */
/* Figures for the summary at the end. */
typedef struct
{
  double throughput;
  double cpu;
} Ratios;

static Ratios
report (const char   *label,
        const char   *name,
        const Run    *runs,
        const Run    *baselines,
        const double *loads,
        guint         n_rounds)
{
  Ratios result;
  g_autofree double *ratios = g_new (double, n_rounds);
  g_autofree double *cpu_ratios = g_new (double, n_rounds);
  g_autofree double *fps = g_new (double, n_rounds);
  g_autofree double *baseline_fps = g_new (double, n_rounds);
  g_autofree double *cpu = g_new (double, n_rounds);
  g_autofree double *baseline_cpu = g_new (double, n_rounds);
  g_autofree double *cores = g_new (double, n_rounds);
  g_autoptr(GString) each = g_string_new (NULL);

  for (guint i = 0; i < n_rounds; i++)
    {
      fps[i] = frames_per_second (&runs[i]);
      baseline_fps[i] = frames_per_second (&baselines[i]);
      cpu[i] = cpu_ms_per_frame (&runs[i]);
      baseline_cpu[i] = cpu_ms_per_frame (&baselines[i]);
      cores[i] = runs[i].cpu_seconds / runs[i].seconds;
      ratios[i] = fps[i] / baseline_fps[i];
      cpu_ratios[i] = baseline_cpu[i] / cpu[i];
      g_string_append_printf (each, "%s%.3f (cpu %.3f, load %.2f)", i > 0 ? ", " : "",
                              ratios[i], cpu_ratios[i], loads[i]);
    }

  g_print ("%s, %s: throughput-vs-decode-only=%.3f (median of %u paired rounds; "
           "lowest %.3f, highest %.3f; median %.1f vs %.1f frames/s)\n", label, name,
           median (ratios, n_rounds), n_rounds, minimum (ratios, n_rounds),
           maximum (ratios, n_rounds), median (fps, n_rounds), median (baseline_fps, n_rounds));
  g_print ("%s, %s: cpu-vs-decode-only=%.3f (median of the rounds' ratios of processor time "
           "per frame; median %.2f vs %.2f ms per frame; cores busy %.2f)\n", label, name,
           median (cpu_ratios, n_rounds), median (cpu, n_rounds), median (baseline_cpu, n_rounds),
           median (cores, n_rounds));
  g_print ("%s, %s: each round's throughput ratio: %s\n", label, name, each->str);

  result.throughput = median (ratios, n_rounds);
  result.cpu = median (cpu_ratios, n_rounds);
  return result;
}

/* Rounds of the pipelines: STORYREEL_BENCH_ROUNDS, 7 unless set (at least 3). */
static guint
n_rounds (void)
{
  const char *value = g_getenv ("STORYREEL_BENCH_ROUNDS");
  guint64 rounds = 7;

  if (value != NULL && *value != '\0')
    rounds = g_ascii_strtoull (value, NULL, 10);
  return (guint) CLAMP (rounds, 3, 99);
}

/* The preview's throughput against decoding the same file and nothing else, at the view's
 * size and at full 1080p, beside the bound (decode-only and a bare copy of the output
 * frame) and GStreamer's own elements. */
typedef struct
{
  Ratios small;
  Ratios full;
  Ratios full_all_cores;
} PreviewFigures;

static PreviewFigures
measure (const char *label,
         const char *plate)
{
  PreviewFigures figures;
  const guint rounds = n_rounds ();
  g_autofree Run *decode = g_new0 (Run, rounds + 1);
  g_autofree Run *baseline = g_new0 (Run, rounds);
  g_autofree Run *small = g_new0 (Run, rounds);
  g_autofree Run *full = g_new0 (Run, rounds);
  g_autofree Run *full_all = g_new0 (Run, rounds);
  g_autofree char *full_all_name = NULL;
  g_autofree Run *small_bound = g_new0 (Run, rounds);
  g_autofree Run *full_bound = g_new0 (Run, rounds);
  g_autofree Run *textbook = g_new0 (Run, rounds);
  g_autofree double *loads = g_new0 (double, rounds);

  print_load (label, "before the pipelines");

  /* Interleaved rounds, so a burst of load elsewhere hits all alike; each between two
   * decode-only runs. Odd rounds run the full-size preview first. */
  decode[0] = decode_only (plate);
  for (guint i = 0; i < rounds; i++)
    {
      if (i % 2 == 1)
        {
          full[i] = preview (plate, 1920, 1080, -1);
          small[i] = preview (plate, 960, 540, -1);
        }
      else
        {
          small[i] = preview (plate, 960, 540, -1);
          full[i] = preview (plate, 1920, 1080, -1);
        }
      full_all[i] = preview (plate, 1920, 1080, 0);
      small_bound[i] = decode_and_copy (plate, 960, 540);
      full_bound[i] = decode_and_copy (plate, 1920, 1080);
      textbook[i] = naive (plate);
      decode[i + 1] = decode_only (plate);
      baseline[i] = bracket (&decode[i], &decode[i + 1]);
      loads[i] = load_now ();
      g_assert_cmpuint (decode[i + 1].frames, ==, FRAMES - 1);
      g_assert_cmpuint (small[i].frames, ==, FRAMES - 1);
      g_assert_cmpuint (full[i].frames, ==, FRAMES - 1);
      g_assert_cmpuint (full_all[i].frames, ==, FRAMES - 1);
      g_assert_cmpuint (small_bound[i].frames, ==, FRAMES - 1);
      g_assert_cmpuint (full_bound[i].frames, ==, FRAMES - 1);
      g_print ("%s: round %u of %u: decode-only %.1f frames/s, preview 960x540 %.1f, "
               "preview 1080p %.1f; load average %.2f\n", label, i + 1, rounds,
               frames_per_second (&baseline[i]), frames_per_second (&small[i]),
               frames_per_second (&full[i]), loads[i]);
    }

  g_print ("%s: %u rounds of %u frames each, decode-only median %.1f frames/s, "
           "%.2f processor ms per frame\n", label, rounds, FRAMES - 1,
           median_of_runs (baseline, rounds, frames_per_second),
           median_of_runs (baseline, rounds, cpu_ms_per_frame));
  figures.small = report (label, "preview to a 960x540 view", small, baseline, loads, rounds);
  report (label, "bound at 960x540 (decode-only + queue + bare copy of the output frame)",
          small_bound, baseline, loads, rounds);
  figures.full = report (label, "preview composited at full 1080p", full, baseline, loads,
                         rounds);
  full_all_name = g_strdup_printf ("for comparison the preview at full 1080p with the keyer "
                                   "on all %u cores", g_get_num_processors ());
  figures.full_all_cores = report (label, full_all_name, full_all, baseline, loads, rounds);
  report (label, "bound at 1080p (decode-only + queue + bare copy of the output frame)",
          full_bound, baseline, loads, rounds);
  report (label, "for comparison alpha + compositor to 960x540", textbook, baseline, loads,
          rounds);
  print_load (label, "after the pipelines");
  return figures;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *grainy = NULL;
  PreviewFigures camera = { { 0 } };
  KeyerFigures clean_keyer;
  gboolean keyer_only;

  g_test_init (&argc, &argv, NULL);
  media_test_init ();

  dir = media_test_make_dir ();
  g_print ("bench-preview: %u processors; wall figures depend on the machine's load, "
           "processor time much less\n", g_get_num_processors ());
  g_print ("bench-preview: the preview keys on %u thread(s), one per processor but the "
           "one decoding keeps busy\n", MAX (1, g_get_num_processors () - 1));
  print_load ("bench-preview", "at the start");

  /* Clean synthetic footage decodes very cheaply: the hardest case for the ratio. */
  /* STORYREEL_BENCH_KEYER_ONLY=1: the keyer alone, without the pipelines. */
  keyer_only = g_strcmp0 (g_getenv ("STORYREEL_BENCH_KEYER_ONLY"), "1") == 0;

  clean = media_test_make_plate (dir, "clean-1080p24.mp4", 1920, 1080, 24, 1, FRAMES);
  if (!keyer_only)
    measure ("clean 1080p24 plate", clean);
  clean_keyer = measure_keyer ("clean 1080p24 plate", clean);

  grainy = media_test_make_grainy_plate (dir, "grainy-1080p24.mp4", 1920, 1080, FRAMES);
  if (!keyer_only)
    camera = measure ("camera-like 1080p24 plate (grain, 50 Mbit/s)", grainy);
  measure_keyer ("camera-like 1080p24 plate (grain, 50 Mbit/s)", grainy);

  /* What the issue asks for, in one place. */
  g_print ("summary: clean plate at 1080p: keyer %.2f ms per frame, plain copy %.2f ms "
           "(keyer-vs-copy %.2f, at most 2)\n", clean_keyer.keyer_ms, clean_keyer.copy_ms,
           clean_keyer.keyer_ms / clean_keyer.copy_ms);
  if (!keyer_only)
    {
      g_print ("summary: camera-like plate, throughput against decode-only (at least 0.95), "
               "median of paired rounds: %.3f at 960x540, %.3f at full 1080p (%.3f with "
               "the keyer on all cores)\n", camera.small.throughput, camera.full.throughput,
               camera.full_all_cores.throughput);
      g_print ("summary: camera-like plate, processor time of decode-only over the "
               "preview's: %.3f at 960x540, %.3f at full 1080p (%.3f with the keyer on all "
               "cores)\n", camera.small.cpu, camera.full.cpu, camera.full_all_cores.cpu);
    }
  print_load ("bench-preview", "at the end");
  media_test_remove_dir (dir);
  return 0;
}
