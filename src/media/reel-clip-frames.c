/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-clip-frames"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gst/app/app.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <string.h>

#include "reel-clip-frames.h"

#include "core/reel-panel.h"
#include "reel-media-cache.h"
#include "reel-media-error.h"
#include "reel-media.h"

/* The frames of a video clip by number, for a moving background:
 *
 *   source ─ decodebin ─ video ─ videoconvert ─ xRGB (cairo's RGB24) ─ appsink
 *                      └ other ─ fakesink
 *
 * The pipeline plays as fast as the appsink is emptied, so frames asked for in order (a
 * playing plate) come from a running decoder; a frame behind, or far ahead, is reached with
 * an accurate seek. Frame numbers past the end wrap round: the clip loops. Frames are
 * counted from the timestamps, not from the buffers seen, so a seek cannot miscount.
 *
 * Thread-safe: the keyer asks from its streaming thread. */

struct _ReelClipFrames
{
  GObject parent_instance;

  GBytes *data;
  GFile *file;

  GMutex lock;
  GstElement *pipeline;
  GstElement *convert;
  GstElement *sink;
  int width;
  int height;
  int rate_num;
  int rate_den;
  gint64 n_frames;         /* -1 until known */
  gint64 current_index;    /* of current, -1 without one */
  cairo_surface_t *current;
  gboolean opened;
};

G_DEFINE_FINAL_TYPE (ReelClipFrames, reel_clip_frames, G_TYPE_OBJECT)

/* Cairo's RGB24: 32-bit native-endian words 0xxxRRGGBB. */
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
#define CAIRO_RGB24_FORMAT "BGRx"
#else
#define CAIRO_RGB24_FORMAT "xRGB"
#endif

/* A decoder lagging behind by more than this many frames seeks instead of decoding on. */
#define MAX_DECODE_AHEAD 24

/* How long a frame may take to decode on a busy machine before it counts as a failure. */
#define FRAME_TIMEOUT (30 * GST_SECOND)

static void
on_pad_added (GstElement     *decodebin,
              GstPad         *pad,
              ReelClipFrames *self)
{
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  const char *name = caps != NULL ? gst_structure_get_name (gst_caps_get_structure (caps, 0))
                                  : "";
  g_autoptr(GstPad) sink_pad = gst_element_get_static_pad (self->convert, "sink");

  if (g_str_has_prefix (name, "video/") && !gst_pad_is_linked (sink_pad))
    {
      gst_pad_link (pad, sink_pad);
    }
  else
    {
      /* Sound and any second picture are decoded and dropped. */
      GstElement *fakesink = gst_element_factory_make ("fakesink", NULL);
      g_autoptr(GstPad) fake_pad = gst_element_get_static_pad (fakesink, "sink");

      g_object_set (fakesink, "sync", FALSE, "async", FALSE, NULL);
      gst_bin_add (GST_BIN (self->pipeline), fakesink);
      gst_element_sync_state_with_parent (fakesink);
      gst_pad_link (pad, fake_pad);
    }
}

static gint64
sample_index (ReelClipFrames *self,
              GstSample      *sample)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  const GstSegment *segment = gst_sample_get_segment (sample);
  GstClockTime time = GST_BUFFER_PTS (buffer);
  guint64 stream_time;

  if (!GST_CLOCK_TIME_IS_VALID (time))
    return self->current_index + 1;
  stream_time = segment != NULL ? gst_segment_to_stream_time (segment, GST_FORMAT_TIME, time)
                                : time;
  if (GST_CLOCK_TIME_IS_VALID (stream_time))
    time = stream_time;

  /* Containers round timestamps to the millisecond: allow a tenth of a frame early. */
  return (gint64) gst_util_uint64_scale (time + gst_util_uint64_scale (GST_SECOND / 10,
                                                                        self->rate_den,
                                                                        self->rate_num),
                                         self->rate_num, (guint64) self->rate_den * GST_SECOND);
}

static cairo_surface_t *
sample_to_surface (ReelClipFrames *self,
                   GstSample      *sample)
{
  GstVideoFrame frame;
  GstVideoInfo info;
  cairo_surface_t *surface;
  guint8 *pixels;
  int stride;

  if (!gst_video_info_from_caps (&info, gst_sample_get_caps (sample))
      || !gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ))
    return NULL;

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, GST_VIDEO_INFO_WIDTH (&info),
                                        GST_VIDEO_INFO_HEIGHT (&info));
  pixels = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int row = 0; row < GST_VIDEO_INFO_HEIGHT (&info); row++)
    memcpy (pixels + (gsize) row * stride,
            (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0)
            + (gsize) row * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0),
            (gsize) GST_VIDEO_INFO_WIDTH (&info) * 4);
  cairo_surface_mark_dirty (surface);
  gst_video_frame_unmap (&frame);

  return surface;
}

static gboolean
seek_to (ReelClipFrames *self,
         gint64          index)
{
  /* To the middle of the frame: decoders clip the frame a seek lands in to the seek
   * position, so the frame before, ending just past a frame's start, would count as it. */
  GstClockTime time = gst_util_uint64_scale_round (2 * index + 1,
                                                   (guint64) self->rate_den * GST_SECOND,
                                                   2 * (guint64) self->rate_num);

  g_clear_pointer (&self->current, cairo_surface_destroy);
  self->current_index = -1;
  if (!gst_element_seek_simple (self->pipeline, GST_FORMAT_TIME,
                                GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, time))
    return FALSE;

  /* A flushing seek prerolls again; only once the pipeline is back in PLAYING does the
   * appsink hand out the frames. */
  return gst_element_get_state (self->pipeline, NULL, NULL, FRAME_TIMEOUT)
         != GST_STATE_CHANGE_FAILURE;
}

static void
set_decode_error (ReelClipFrames  *self,
                  GError         **error)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (self->pipeline);
  g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  g_autoptr(GError) reason = NULL;

  if (message != NULL)
    gst_message_parse_error (message, &reason, NULL);
  g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_PLAYBACK,
               _("The background clip could not be decoded: %s"),
               reason != NULL ? reason->message : _("no picture came out of it"));
}

/* The clip's bytes as a file in the user's cache, named by their hash so a clip is
 * written once however often it is opened: found, it counts as used now; written (whole
 * under a name of its own, then renamed), the folder is trimmed. */
static GFile *
write_to_cache (GBytes  *data,
                GError **error)
{
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, data);
  g_autofree char *folder = g_build_filename (g_get_user_cache_dir (), "storyreel", "clips",
                                              NULL);
  g_autofree char *name = g_strconcat (hash, ".clip", NULL);
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autofree char *partial = NULL;
  g_autoptr(GError) local_error = NULL;
  GFile *file = g_file_new_for_path (path);

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      reel_media_cache_touch (file);
      return file;
    }

  if (g_mkdir_with_parents (folder, 0700) != 0
      || (partial = reel_cache_create_partial (path)) == NULL
      || !g_file_set_contents (partial, g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                               &local_error)
      || g_rename (partial, path) != 0)
    {
      int saved_errno = errno;

      if (partial != NULL)
        g_unlink (partial);
      g_object_unref (file);
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_FAILED,
                   _("The background clip could not be written to “%s”: %s"), folder,
                   local_error != NULL ? local_error->message : g_strerror (saved_errno));
      return NULL;
    }

  reel_media_cache_trim (folder, REEL_MEDIA_CACHE_MAX_BYTES, REEL_MEDIA_CACHE_MAX_AGE,
                         REEL_MEDIA_CACHE_GRACE);
  return file;
}

static void
reel_clip_frames_dispose (GObject *object)
{
  ReelClipFrames *self = REEL_CLIP_FRAMES (object);

  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  gst_clear_object (&self->pipeline);
  gst_clear_object (&self->convert);
  gst_clear_object (&self->sink);
  g_clear_pointer (&self->current, cairo_surface_destroy);

  G_OBJECT_CLASS (reel_clip_frames_parent_class)->dispose (object);
}

static void
reel_clip_frames_finalize (GObject *object)
{
  ReelClipFrames *self = REEL_CLIP_FRAMES (object);

  g_clear_pointer (&self->data, g_bytes_unref);
  if (self->file != NULL && self->opened)
    reel_media_cache_release (self->file);
  g_clear_object (&self->file);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (reel_clip_frames_parent_class)->finalize (object);
}

static void
reel_clip_frames_class_init (ReelClipFramesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = reel_clip_frames_dispose;
  object_class->finalize = reel_clip_frames_finalize;
}

static void
reel_clip_frames_init (ReelClipFrames *self)
{
  g_mutex_init (&self->lock);
  self->n_frames = -1;
  self->current_index = -1;
}

/**
 * reel_clip_frames_new_for_bytes:
 * @data: a whole video file (a video asset's bytes)
 *
 * Opening writes @data once into the user's cache (storyreel/clips/<sha256>.clip).
 *
 * Returns: (transfer full): frames of @data, once reel_clip_frames_open() succeeds
 */
ReelClipFrames *
reel_clip_frames_new_for_bytes (GBytes *data)
{
  ReelClipFrames *self;

  g_return_val_if_fail (data != NULL, NULL);

  self = g_object_new (REEL_TYPE_CLIP_FRAMES, NULL);
  self->data = g_bytes_ref (data);
  return self;
}

/**
 * reel_clip_frames_new_for_file:
 * @file: a video file
 *
 * Returns: (transfer full): frames of @file, once reel_clip_frames_open() succeeds
 */
ReelClipFrames *
reel_clip_frames_new_for_file (GFile *file)
{
  ReelClipFrames *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (REEL_TYPE_CLIP_FRAMES, NULL);
  self->file = g_object_ref (file);
  return self;
}

/**
 * reel_clip_frames_open:
 * @self: a #ReelClipFrames
 * @error: return location for a #GError in %REEL_MEDIA_ERROR
 *
 * Starts decoding and waits for the first frame. Blocking: call it off the main thread.
 * Opening twice does nothing more.
 *
 * Returns: %TRUE when the clip has a picture to give
 */
gboolean
reel_clip_frames_open (ReelClipFrames  *self,
                       GError         **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GstSample) preroll = NULL;
  g_autoptr(GstCaps) caps = NULL;
  GstElement *source, *decodebin, *capsfilter;
  GstStructure *structure;
  gint64 duration = -1;

  g_return_val_if_fail (REEL_IS_CLIP_FRAMES (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (self->opened)
    return TRUE;

  if (!reel_media_init (error))
    return FALSE;

  self->pipeline = gst_pipeline_new ("storyreel-clip-frames");
  gst_object_ref_sink (self->pipeline);
  /* Bytes go to a file in the cache first: giostreamsrc over memory stalls when a flushing
   * seek follows the end of the stream, which looping does all the time. */
  if (self->file == NULL)
    {
      self->file = write_to_cache (self->data, error);
      if (self->file == NULL)
        return FALSE;
    }
  source = gst_element_factory_make ("giosrc", NULL);
  if (source != NULL)
    g_object_set (source, "file", self->file, NULL);
  decodebin = gst_element_factory_make ("decodebin", NULL);
  self->convert = gst_element_factory_make ("videoconvert", NULL);
  capsfilter = gst_element_factory_make ("capsfilter", NULL);
  self->sink = gst_element_factory_make ("appsink", NULL);
  if (source == NULL || decodebin == NULL || self->convert == NULL || capsfilter == NULL
      || self->sink == NULL)
    {
      g_set_error_literal (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_ELEMENT,
                           _("The GStreamer base plugins are needed to play a background "
                             "clip: install them"));
      g_clear_object (&source);
      g_clear_object (&decodebin);
      g_clear_object (&capsfilter);
      return FALSE;
    }
  gst_object_ref (self->convert);
  gst_object_ref (self->sink);

  caps = gst_caps_new_simple ("video/x-raw",
                              "format", G_TYPE_STRING, CAIRO_RGB24_FORMAT,
                              "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                              NULL);
  g_object_set (capsfilter, "caps", caps, NULL);
  /* A few frames ahead, and no more: the decoder waits for the keyer. */
  g_object_set (self->sink, "sync", FALSE, "max-buffers", 4, "drop", FALSE, NULL);
  gst_bin_add_many (GST_BIN (self->pipeline), source, decodebin, self->convert, capsfilter,
                    self->sink, NULL);
  if (!gst_element_link (source, decodebin)
      || !gst_element_link_many (self->convert, capsfilter, self->sink, NULL))
    {
      g_set_error_literal (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_FAILED,
                           _("The background clip could not be set up for playing"));
      return FALSE;
    }
  g_signal_connect (decodebin, "pad-added", G_CALLBACK (on_pad_added), self);

  bus = gst_element_get_bus (self->pipeline);
  if (gst_element_set_state (self->pipeline, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE)
    {
      set_decode_error (self, error);
      return FALSE;
    }
  message = gst_bus_timed_pop_filtered (bus, FRAME_TIMEOUT,
                                        GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ERROR);
  if (message == NULL || GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      if (message != NULL)
        gst_bus_post (bus, gst_message_ref (message));  /* for set_decode_error() */
      set_decode_error (self, error);
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      return FALSE;
    }

  preroll = gst_app_sink_pull_preroll (GST_APP_SINK (self->sink));
  if (preroll == NULL)
    {
      g_set_error_literal (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NO_VIDEO,
                           _("The background clip has no picture"));
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      return FALSE;
    }

  structure = gst_caps_get_structure (gst_sample_get_caps (preroll), 0);
  gst_structure_get_int (structure, "width", &self->width);
  gst_structure_get_int (structure, "height", &self->height);
  if (!gst_structure_get_fraction (structure, "framerate", &self->rate_num, &self->rate_den)
      || self->rate_num <= 0 || self->rate_den <= 0)
    {
      /* A still in a video container: one frame. */
      self->rate_num = 24;
      self->rate_den = 1;
    }
  if (gst_element_query_duration (self->pipeline, GST_FORMAT_TIME, &duration) && duration > 0)
    self->n_frames = MAX (1, (gint64) gst_util_uint64_scale_round (duration, self->rate_num,
                                                                   (guint64) self->rate_den
                                                                   * GST_SECOND));

  gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
  self->opened = TRUE;
  /* A clip drawn into the cache (a camera move) stays there while it is read. */
  reel_media_cache_hold (self->file);
  return TRUE;
}

int
reel_clip_frames_get_width (ReelClipFrames *self)
{
  g_return_val_if_fail (REEL_IS_CLIP_FRAMES (self), 0);

  return self->width;
}

int
reel_clip_frames_get_height (ReelClipFrames *self)
{
  g_return_val_if_fail (REEL_IS_CLIP_FRAMES (self), 0);

  return self->height;
}

/**
 * reel_clip_frames_get_n_frames:
 * @self: an open #ReelClipFrames
 *
 * Returns: the number of frames, from the container's duration until the end has been
 *   decoded once, then exact; -1 when the container does not say
 */
gint64
reel_clip_frames_get_n_frames (ReelClipFrames *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (REEL_IS_CLIP_FRAMES (self), -1);

  locker = g_mutex_locker_new (&self->lock);
  return self->n_frames;
}

/**
 * reel_clip_frames_index_at:
 * @self: an open #ReelClipFrames
 * @frame: a frame of another stream (a plate, a shot), from 0
 * @rate_numerator: that stream's frame rate
 * @rate_denominator: that stream's frame rate
 *
 * The clip's frame showing at the start of @frame, by time: a 30 fps clip under a 24 fps
 * plate moves on five frames for every four of the plate, a 12 fps one one for every two.
 * At the same rate, @frame itself. Not wrapped round: reel_clip_frames_get_frame() loops.
 *
 * Returns: the clip's frame number
 */
gint64
reel_clip_frames_index_at (ReelClipFrames *self,
                           gint64          frame,
                           int             rate_numerator,
                           int             rate_denominator)
{
  g_autoptr(GMutexLocker) locker = NULL;
  guint64 num, den;

  g_return_val_if_fail (REEL_IS_CLIP_FRAMES (self), 0);

  if (frame <= 0)
    return 0;
  if (rate_numerator <= 0 || rate_denominator <= 0)
    return frame;

  locker = g_mutex_locker_new (&self->lock);
  if (self->rate_num <= 0 || self->rate_den <= 0
      || (gint64) self->rate_num * rate_denominator == (gint64) self->rate_den * rate_numerator)
    return frame;

  /* frame / rate seconds, times the clip's rate, rounded down: exact in integers. */
  num = (guint64) self->rate_num * (guint64) rate_denominator;
  den = (guint64) self->rate_den * (guint64) rate_numerator;
  return (gint64) gst_util_uint64_scale ((guint64) frame, num, den);
}

/**
 * reel_clip_frames_get_frame:
 * @self: an open #ReelClipFrames
 * @index: a frame number from 0; past the end it wraps round (the clip loops)
 * @error: return location for a #GError in %REEL_MEDIA_ERROR
 *
 * Blocking, thread-safe. Frames asked for in order are quick.
 *
 * Returns: (transfer full): the frame as a CAIRO_FORMAT_RGB24 image surface at the clip's
 *   size, or %NULL with @error set
 */
cairo_surface_t *
reel_clip_frames_get_frame (ReelClipFrames  *self,
                            gint64           index,
                            GError         **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gint64 last_seen = -1;
  guint restarts = 0;

  g_return_val_if_fail (REEL_IS_CLIP_FRAMES (self), NULL);
  g_return_val_if_fail (self->opened, NULL);

  locker = g_mutex_locker_new (&self->lock);
  index = MAX (index, 0);
  if (self->n_frames > 0)
    index %= self->n_frames;

  if (self->current != NULL && self->current_index == index)
    return cairo_surface_reference (self->current);

  if (self->current_index < 0 || index < self->current_index
      || index > self->current_index + MAX_DECODE_AHEAD)
    seek_to (self, index);

  for (;;)
    {
      g_autoptr(GstSample) sample = NULL;
      gint64 found;

      sample = gst_app_sink_try_pull_sample (GST_APP_SINK (self->sink), FRAME_TIMEOUT);
      if (sample == NULL)
        {
          if (!gst_app_sink_is_eos (GST_APP_SINK (self->sink)) || restarts++ > 1)
            {
              set_decode_error (self, error);
              return NULL;
            }

          /* The end came before @index: now the length is known, and the clip loops. */
          if (last_seen >= 0 || self->current_index >= 0)
            self->n_frames = MAX (last_seen, self->current_index) + 1;
          else if (self->n_frames > 1)
            self->n_frames--;  /* the container said more than there is */
          if (self->n_frames > 0)
            index %= self->n_frames;
          if (self->current != NULL && self->current_index == index)
            return cairo_surface_reference (self->current);
          seek_to (self, index);
          last_seen = -1;
          continue;
        }

      found = sample_index (self, sample);
      last_seen = MAX (last_seen, found);
      if (found < index)
        continue;

      g_clear_pointer (&self->current, cairo_surface_destroy);
      self->current = sample_to_surface (self, sample);
      self->current_index = found;
      if (self->current == NULL)
        {
          g_set_error_literal (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_PLAYBACK,
                               _("The background clip could not be decoded: "
                                 "a frame could not be read"));
          self->current_index = -1;
          return NULL;
        }
      return cairo_surface_reference (self->current);
    }
}

/**
 * reel_clip_frames_extract_surface:
 * @asset: a video asset (a generated clip)
 * @index: the frame, from 0 (past the end it wraps round)
 * @error: return location for a #GError in %REEL_MEDIA_ERROR
 *
 * One frame of a clip background, for still exports (PDF, PNG). Blocking: call it on a
 * worker thread.
 *
 * Returns: (transfer full): a CAIRO_FORMAT_RGB24 image surface at the clip's size, or %NULL
 *   with @error set
 */
cairo_surface_t *
reel_clip_frames_extract_surface (ReelAsset  *asset,
                                  gint64      index,
                                  GError    **error)
{
  g_autoptr(ReelClipFrames) frames = NULL;
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (REEL_IS_ASSET (asset), NULL);

  /* From the cache file: a clip is never held whole in memory. */
  file = reel_media_cache_dup_asset_file (asset, NULL, error);
  if (file == NULL)
    return NULL;
  frames = reel_clip_frames_new_for_file (file);
  if (!reel_clip_frames_open (frames, error))
    return NULL;

  return reel_clip_frames_get_frame (frames, index, error);
}

static cairo_surface_t *
panel_video_frame (ReelAsset  *asset,
                   GError    **error)
{
  return reel_clip_frames_extract_surface (asset, 0, error);
}

void
reel_clip_frames_draw_in_panels (void)
{
  reel_panel_set_video_frame_func (panel_video_frame);
}
