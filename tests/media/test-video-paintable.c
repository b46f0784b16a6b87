/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>

#include "media/reel-video-paintable.h"
#include "media/reel-video-sink.h"
#include "media-test-util.h"

static GdkTexture *
solid_texture (guint8 value,
               int    width,
               int    height)
{
  g_autoptr(GBytes) bytes = NULL;
  guint8 *data = g_malloc ((gsize) width * height * 4);

  memset (data, value, (gsize) width * height * 4);
  bytes = g_bytes_new_take (data, (gsize) width * height * 4);

  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, (gsize) width * 4);
}

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GstElement *
make_pipeline (ReelVideoPaintable *paintable,
               const char         *source,
               gboolean            sync,
               ReelVideoSink     **out_sink)
{
  g_autoptr(GError) error = NULL;
  GstElement *pipeline = gst_parse_launch (source, &error);
  GstElement *sink = reel_video_sink_new (paintable);
  g_autoptr(GstElement) last = NULL;

  g_assert_no_error (error);
  gst_object_ref_sink (pipeline);
  g_object_set (sink, "sync", sync, NULL);
  gst_bin_add (GST_BIN (pipeline), sink);
  last = gst_bin_get_by_name (GST_BIN (pipeline), "last");
  g_assert_true (gst_element_link (last, sink));

  if (out_sink != NULL)
    *out_sink = REEL_VIDEO_SINK (sink);

  return pipeline;
}

typedef struct
{
  GstClockTime last_pts;
  guint n_changes;
  gboolean in_order;
} OrderCheck;

static void
on_texture (ReelVideoPaintable *paintable,
            GParamSpec         *pspec,
            OrderCheck         *check)
{
  GstClockTime pts = reel_video_paintable_get_pts (paintable);

  if (GST_CLOCK_TIME_IS_VALID (check->last_pts) && pts <= check->last_pts)
    check->in_order = FALSE;
  check->last_pts = pts;
  check->n_changes++;
}

static gboolean
reached_end (gpointer data)
{
  GstElement *pipeline = data;
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);

  g_assert_true (message == NULL || GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS);
  return message != NULL;
}

/* Frames reach the screen in presentation order, and the last one is the one shown. */
static void
test_frames_in_order (void)
{
  g_autoptr(ReelVideoPaintable) paintable = reel_video_paintable_new ();
  g_autoptr(GstElement) pipeline = NULL;
  ReelVideoSink *sink;
  OrderCheck check = { GST_CLOCK_TIME_NONE, 0, TRUE };

  pipeline = make_pipeline (paintable,
                            "videotestsrc num-buffers=60 pattern=smpte "
                            "! video/x-raw,format=BGRA,width=64,height=36,framerate=60/1 "
                            "! identity name=last", TRUE, &sink);
  g_signal_connect (paintable, "notify::texture", G_CALLBACK (on_texture), &check);

  /* A video sink rightly drops frames that arrive late for the clock; on a busy machine some
   * do. This test is about the sink's own slot, so every frame must reach it. */
  g_object_set (sink, "max-lateness", (gint64) -1, "qos", FALSE, NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  media_test_wait_until (reached_end, pipeline, 20000);
  drain_main_context ();

  g_assert_true (check.in_order);
  g_assert_cmpuint (check.n_changes, >, 0);
  g_assert_cmpuint (reel_video_sink_get_n_rendered (sink), ==, 60);
  /* Every frame was either shown or replaced by a newer one, never queued. */
  g_assert_cmpuint (reel_video_paintable_get_n_presented (paintable)
                    + reel_video_paintable_get_n_dropped (paintable), ==, 60);
  g_assert_cmpuint (check.last_pts, ==, gst_util_uint64_scale (59, GST_SECOND, 60));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (paintable)), ==, 64);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (GDK_PAINTABLE (paintable)), ==, 36);

  gst_element_set_state (pipeline, GST_STATE_NULL);
}

typedef struct
{
  ReelVideoPaintable *paintable;
  GdkTexture *textures[50];
} PushJob;

static gpointer
push_frames (gpointer data)
{
  PushJob *job = data;

  for (guint i = 0; i < G_N_ELEMENTS (job->textures); i++)
    reel_video_paintable_push_frame (job->paintable, job->textures[i], i * GST_MSECOND);

  return NULL;
}

/* A main loop that falls behind sees only the newest frame: the older ones are dropped in
 * the slot, and one idle presents the survivor. */
static void
test_stale_frames_dropped (void)
{
  g_autoptr(ReelVideoPaintable) paintable = reel_video_paintable_new ();
  PushJob job = { paintable, { NULL } };
  GThread *thread;
  guint n_notifies = 0;

  for (guint i = 0; i < G_N_ELEMENTS (job.textures); i++)
    job.textures[i] = solid_texture (i, 8, 8);
  g_signal_connect_swapped (paintable, "invalidate-contents", G_CALLBACK (g_atomic_int_inc),
                            &n_notifies);

  thread = g_thread_new ("producer", push_frames, &job);
  g_thread_join (thread);

  g_assert_cmpuint (reel_video_paintable_get_n_dropped (paintable), ==, 49);
  g_assert_null (reel_video_paintable_get_texture (paintable));

  drain_main_context ();
  g_assert_cmpuint (n_notifies, ==, 1);
  g_assert_cmpuint (reel_video_paintable_get_n_presented (paintable), ==, 1);
  g_assert_true (reel_video_paintable_get_texture (paintable) == job.textures[49]);
  g_assert_cmpuint (reel_video_paintable_get_pts (paintable), ==, 49 * GST_MSECOND);

  /* The slot held a reference only to the newest; the others are free again. */
  for (guint i = 0; i < G_N_ELEMENTS (job.textures) - 1; i++)
    {
      g_assert_cmpuint (G_OBJECT (job.textures[i])->ref_count, ==, 1);
      g_object_unref (job.textures[i]);
    }
  g_object_unref (job.textures[49]);
}

static gboolean
has_rendered (gpointer data)
{
  return reel_video_sink_get_n_rendered (data) > 0;
}

static gsize
resident_kib (void)
{
  g_autofree char *statm = NULL;
  gsize pages_total = 0, pages_resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL)
      || sscanf (statm, "%zu %zu", &pages_total, &pages_resident) != 2)
    return 0;

  return pages_resident * (gsize) sysconf (_SC_PAGESIZE) / 1024;
}

/* 1,000 pipelines started and stopped on one paintable leave nothing behind: no frame
 * mapped, no memory growth (AddressSanitizer checks the rest in CI). */
static void
test_start_stop_cycles (void)
{
  g_autoptr(ReelVideoPaintable) paintable = reel_video_paintable_new ();
  gsize resident_before = 0;

  for (guint cycle = 0; cycle < 1000; cycle++)
    {
      g_autoptr(GstElement) pipeline = NULL;
      ReelVideoSink *sink;

      pipeline = make_pipeline (paintable,
                                "videotestsrc pattern=ball "
                                "! video/x-raw,format=BGRA,width=320,height=180,framerate=30/1 "
                                "! identity name=last", FALSE, &sink);
      gst_element_set_state (pipeline, GST_STATE_PLAYING);
      media_test_wait_until (has_rendered, sink, 10000);
      if (cycle % 2 == 0)
        drain_main_context ();
      gst_element_set_state (pipeline, GST_STATE_NULL);

      if (cycle == 99)
        resident_before = resident_kib ();
    }

  drain_main_context ();
  g_assert_nonnull (reel_video_paintable_get_texture (paintable));
  g_assert_cmpuint (reel_video_sink_get_n_mapped_frames (), ==, 1);
  reel_video_paintable_clear (paintable);
  g_assert_cmpuint (reel_video_sink_get_n_mapped_frames (), ==, 0);

  /* A frame leaked per cycle would be 900 × 225 KiB here. AddressSanitizer keeps freed
   * memory in quarantine, so there its leak checker judges instead. */
  g_test_message ("resident: %zu KiB after 100 cycles, %zu KiB after 1000",
                  resident_before, resident_kib ());
#ifndef __SANITIZE_ADDRESS__
  g_assert_cmpuint (resident_kib (), <, resident_before + 32 * 1024);
#endif
}

/* Tearing down mid-play, with a frame still waiting for its idle, is clean: the paintable
 * goes away with the pipeline and no callback runs afterwards. */
static void
test_teardown_mid_play (void)
{
  ReelVideoPaintable *paintable = reel_video_paintable_new ();
  g_autoptr(GstElement) pipeline = NULL;
  ReelVideoSink *sink;

  g_object_add_weak_pointer (G_OBJECT (paintable), (gpointer *) &paintable);
  pipeline = make_pipeline (paintable,
                            "videotestsrc pattern=ball is-live=true "
                            "! video/x-raw,format=BGRA,width=320,height=180,framerate=30/1 "
                            "! identity name=last", TRUE, &sink);
  g_object_unref (paintable);  /* the sink keeps it alive */
  g_assert_nonnull (paintable);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  media_test_wait_until (has_rendered, sink, 10000);
  drain_main_context ();
  g_assert_nonnull (reel_video_paintable_get_texture (paintable));

  /* Wait for a frame to sit in the slot, then pull the plug without running its idle. */
  {
    guint64 rendered = reel_video_sink_get_n_rendered (sink);

    while (reel_video_sink_get_n_rendered (sink) == rendered)
      g_usleep (1000);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_clear_object (&pipeline);

  g_assert_null (paintable);
  drain_main_context ();
  g_assert_cmpuint (reel_video_sink_get_n_mapped_frames (), ==, 0);
}

static gboolean
stay_busy (gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

/* A main loop that always has work at the default priority (a short timeout that is due
 * again by the time each iteration ends, as on a slow machine) still shows new frames:
 * frames were once starved for good behind such a source under AddressSanitizer. */
static void
test_busy_main_loop (void)
{
  g_autoptr(ReelVideoPaintable) paintable = reel_video_paintable_new ();
  g_autoptr(GdkTexture) texture = solid_texture (0x40, 8, 8);
  guint n_busy = 0;
  guint busy_id = g_idle_add_full (G_PRIORITY_DEFAULT, stay_busy, &n_busy, NULL);

  reel_video_paintable_push_frame (paintable, texture, 5 * GST_MSECOND);
  for (guint i = 0; i < 3 && reel_video_paintable_get_texture (paintable) == NULL; i++)
    g_main_context_iteration (NULL, FALSE);
  g_source_remove (busy_id);

  g_assert_cmpuint (n_busy, >, 0);
  g_assert_true (reel_video_paintable_get_texture (paintable) == texture);
  g_assert_cmpuint (reel_video_paintable_get_pts (paintable), ==, 5 * GST_MSECOND);
}

/* Without a frame the paintable is empty, not broken. */
static void
test_empty (void)
{
  g_autoptr(ReelVideoPaintable) paintable = reel_video_paintable_new ();
  g_autoptr(GdkPaintable) image = gdk_paintable_get_current_image (GDK_PAINTABLE (paintable));
  g_autoptr(GdkTexture) texture = solid_texture (0x80, 16, 9);

  g_assert_nonnull (image);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (paintable)), ==, 0);
  g_assert_cmpfloat (gdk_paintable_get_intrinsic_aspect_ratio (GDK_PAINTABLE (paintable)),
                     ==, 0.0);

  reel_video_paintable_set_texture (paintable, texture);
  g_assert_cmpfloat_with_epsilon (
    gdk_paintable_get_intrinsic_aspect_ratio (GDK_PAINTABLE (paintable)), 16.0 / 9.0, 1e-9);
  reel_video_paintable_clear (paintable);
  g_assert_null (reel_video_paintable_get_texture (paintable));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  media_test_init ();

  g_test_add_func ("/media/paintable/frames-in-order", test_frames_in_order);
  g_test_add_func ("/media/paintable/stale-frames-dropped", test_stale_frames_dropped);
  g_test_add_func ("/media/paintable/start-stop-cycles", test_start_stop_cycles);
  g_test_add_func ("/media/paintable/teardown-mid-play", test_teardown_mid_play);
  g_test_add_func ("/media/paintable/empty", test_empty);
  g_test_add_func ("/media/paintable/busy-main-loop", test_busy_main_loop);

  return g_test_run ();
}
