/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-preview-pipeline"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/pbutils/pbutils.h>
#include <gst/video/video.h>

#include "reel-chroma-key.h"
#include "reel-media-cache.h"
#include "reel-media-error.h"
#include "reel-media.h"
#include "reel-preview-pipeline.h"
#include "reel-video-sink.h"

/* The shot preview:
 *
 *   uridecodebin ─ video ─ queue ─ videoconvertscale ─ I420/NV12, fitted ─ reelchromakey
 *                │                                        ─ BGRA at the view size ─ reelvideosink
 *                └ audio ─ queue ─ audioconvert ─ audioresample ─ volume ─ autoaudiosink
 *
 * The queue puts decoding and keying on two threads; the keyer splits a frame into bands
 * of rows on the cores decoding leaves it. Key, background and placement are
 * settings of reelchromakey, swapped atomically: changing them never touches the graph.
 * While paused, the last plate frame is composited again so the change shows at once.
 *
 * Everything here runs on the main thread except pad-added and no-more-pads, which only
 * link pads and post a message; the bus brings the rest to the main thread. */

#define DEFAULT_OUTPUT_WIDTH  960
#define DEFAULT_OUTPUT_HEIGHT 540

struct _ReelPreviewPipeline
{
  GObject parent_instance;

  ReelVideoPaintable *paintable;

  GstElement *pipeline;
  GstElement *decoder;
  GstElement *video_queue;
  GstElement *plate_caps;
  GstElement *keyer;
  GstElement *output_caps;
  GstElement *sink;
  GstElement *volume;
  GSource *bus_source;

  GFile *file;
  GTask *open_task;
  GCancellable *open_cancellable;
  gulong cancelled_id;
  GPtrArray *missing_plugins;

  /* Written on the streaming thread in pad-added, read on the main thread after
   * no-more-pads or ASYNC_DONE, which the bus orders after it. */
  gint video_linked;
  gint audio_linked;

  int output_width;
  int output_height;
  int rate_numerator;
  int rate_denominator;
  gboolean sync;

  gboolean playing;
  gboolean recompositing;      /* a paused frame is being keyed again on a worker thread */
  gboolean recomposite_again;  /* and the settings changed since it started */
  gboolean loop;
  gboolean muted;
  gboolean has_audio;
  gboolean at_end;
  gint64 position;
  gint64 duration;
  gint64 seek_target;     /* the frame a seek is on its way to, or -1 */
  gint64 pending_seek;    /* a seek asked for while opening, made once open, or -1 */
  gboolean pending_play;  /* play asked for while opening */

  guint32 key_rgb;
  double similarity;
  double softness;
  double spill;
  cairo_surface_t *background;
  ReelClipFrames *background_clip;
  double background_scale;
  double background_x;
  double background_y;
  double plate_scale;
  double plate_x;
  double plate_y;
};

enum {
  PROP_0,
  PROP_PAINTABLE,
  PROP_FILE,
  PROP_PLAYING,
  PROP_POSITION,
  PROP_DURATION,
  PROP_LOOP,
  PROP_MUTED,
  PROP_HAS_AUDIO,
  N_PROPS
};

enum {
  SIGNAL_ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void reel_preview_pipeline_playback_init (ReelPlaybackInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReelPreviewPipeline, reel_preview_pipeline, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REEL_TYPE_PLAYBACK,
                                                      reel_preview_pipeline_playback_init))

#define MESSAGE_NO_MORE_PADS "storyreel-no-more-pads"
#define MESSAGE_AUDIO_LINKED "storyreel-audio-linked"
#define MESSAGE_CANCELLED    "storyreel-open-cancelled"

/* Frames at the project's rate */

static GstClockTime
frame_to_time (ReelPreviewPipeline *self,
               gint64               frame)
{
  return gst_util_uint64_scale_round (MAX (frame, 0),
                                      (guint64) self->rate_denominator * GST_SECOND,
                                      self->rate_numerator);
}

/* The frame a timestamp falls in. Decoders clip the first frame after a seek to the
 * seek position (mid-frame, see seek_frame()) and containers round timestamps to the
 * millisecond, so allow a tenth of a frame of early rounding. */
static gint64
time_to_frame (ReelPreviewPipeline *self,
               GstClockTime         time)
{
  if (!GST_CLOCK_TIME_IS_VALID (time))
    return 0;

  return (gint64) gst_util_uint64_scale (time + frame_to_time (self, 1) / 10,
                                         self->rate_numerator,
                                         (guint64) self->rate_denominator * GST_SECOND);
}

static gint64
time_to_frames_rounded (ReelPreviewPipeline *self,
                        GstClockTime         time)
{
  return (gint64) gst_util_uint64_scale_round (time, self->rate_numerator,
                                               (guint64) self->rate_denominator * GST_SECOND);
}

/* Messages */

static char *
display_name (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  return g_filename_display_name (basename);
}

static GError *
error_from_message (ReelPreviewPipeline *self,
                    const GError        *error)
{
  g_autofree char *name = display_name (self->file);

  if (self->missing_plugins->len > 0)
    {
      g_autofree char *missing = reel_media_describe_missing_plugins (self->missing_plugins);

      return g_error_new (REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_CODEC,
                          /* Translators: the first %s is a file name, the second names a
                           * codec, such as “VP8 video decoder” */
                          _("“%s” cannot be played because %s is not installed. Install the "
                            "GStreamer plugin that provides it, then open the shot again."),
                          name, missing);
    }

  if (error->domain == GST_STREAM_ERROR
      && (error->code == GST_STREAM_ERROR_TYPE_NOT_FOUND
          || error->code == GST_STREAM_ERROR_WRONG_TYPE
          || error->code == GST_STREAM_ERROR_DEMUX))
    return g_error_new (REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NOT_MEDIA,
                        _("“%s” is not a video file Storyreel can read. Attach a video file "
                          "as the shot’s reference footage."),
                        name);

  if (error->domain == GST_STREAM_ERROR && error->code == GST_STREAM_ERROR_CODEC_NOT_FOUND)
    return g_error_new (REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_CODEC,
                        _("“%s” cannot be played because no installed GStreamer plugin "
                          "decodes it: %s"),
                        name, error->message);

  if (error->domain == GST_RESOURCE_ERROR
      && (error->code == GST_RESOURCE_ERROR_NOT_FOUND
          || error->code == GST_RESOURCE_ERROR_OPEN_READ))
    return g_error_new (REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NOT_FOUND,
                        _("The reference footage “%s” could not be read: %s"),
                        name, error->message);

  return g_error_new (REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_PLAYBACK,
                      _("Playing “%s” failed: %s"), name, error->message);
}

/* Settings that outlive a pipeline */

static void
apply_settings (ReelPreviewPipeline *self)
{
  ReelChromaKey *keyer = REEL_CHROMA_KEY (self->keyer);

  reel_chroma_key_set_key (keyer, self->key_rgb, self->similarity, self->softness, self->spill);
  reel_chroma_key_set_background (keyer, self->background);
  reel_chroma_key_set_background_clip (keyer, self->background_clip);
  reel_chroma_key_set_background_placement (keyer, self->background_scale,
                                            self->background_x, self->background_y);
  reel_chroma_key_set_plate_placement (keyer, self->plate_scale, self->plate_x, self->plate_y);
}

static void
recomposite_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GstBuffer *frame = reel_chroma_key_recomposite (REEL_CHROMA_KEY (task_data));

  g_task_return_pointer (task, frame, frame != NULL ? (GDestroyNotify) gst_buffer_unref : NULL);
}

static void refresh_paused_frame (ReelPreviewPipeline *self);

static void
recomposited (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ReelPreviewPipeline *self = REEL_PREVIEW_PIPELINE (object);
  GstElement *keyer = g_task_get_task_data (G_TASK (result));
  g_autoptr(GstBuffer) frame = g_task_propagate_pointer (G_TASK (result), NULL);

  self->recompositing = FALSE;

  /* Newer than what is on screen even when the settings changed again meanwhile; a frame
   * of a pipeline since closed, or one that started playing, stays away, and so does the
   * old frame once a seek has brought another in (it is on screen, or on its way). */
  if (frame != NULL && keyer == self->keyer && !self->playing && self->open_task == NULL
      && GST_BUFFER_PTS (frame) == reel_chroma_key_get_last_input_pts (REEL_CHROMA_KEY (keyer)))
    reel_video_sink_present_buffer (REEL_VIDEO_SINK (self->sink), frame);

  if (self->recomposite_again)
    {
      self->recomposite_again = FALSE;
      refresh_paused_frame (self);
    }
}

/* While paused nothing flows, so show the change on the last frame right away. Composited
 * on a worker thread: a clip background decodes its frame there, and a 1080p composite is
 * not the main thread's work either. One at a time; changes made meanwhile make one more. */
static void
refresh_paused_frame (ReelPreviewPipeline *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->keyer == NULL || self->playing || self->open_task != NULL)
    return;

  if (self->recompositing)
    {
      self->recomposite_again = TRUE;
      return;
    }

  self->recompositing = TRUE;
  task = g_task_new (self, NULL, recomposited, NULL);
  g_task_set_source_tag (task, refresh_paused_frame);
  g_task_set_task_data (task, gst_object_ref (self->keyer), gst_object_unref);
  g_task_run_in_thread (task, recomposite_thread);
}

/* The frame on screen was keyed with settings older than the keyer's: a frame keyed while
 * they changed, or one shown before the open finished, when changes wait for it. */
static void
refresh_stale_frame (ReelPreviewPipeline *self)
{
  GdkTexture *texture = reel_video_paintable_get_texture (self->paintable);
  guint64 serial;

  if (texture != NULL && self->keyer != NULL
      && reel_video_sink_get_frame_tag (texture, &serial)
      && serial != reel_chroma_key_get_n_settings_swaps (REEL_CHROMA_KEY (self->keyer)))
    refresh_paused_frame (self);
}

/* Raw video in a format the keyer reads: I420 from software decoders, NV12 from hardware
 * ones (VA-API, V4L2), so neither is converted when no scaling is needed. */
static GstCaps *
keyable_caps_new (void)
{
  return gst_caps_from_string ("video/x-raw, format=(string){ I420, NV12 }");
}

/* The size the plate is scaled to before keying: fitted inside the output (whole picture
 * visible), in even pixels. */
static GstCaps *
plate_caps_for (ReelPreviewPipeline *self,
                GstCaps             *decoded)
{
  GstCaps *caps;
  GstStructure *structure;
  int width = 0, height = 0, par_n = 1, par_d = 1;
  double display_width, fit;
  int fitted_width, fitted_height;

  if (decoded == NULL || gst_caps_is_empty (decoded))
    return keyable_caps_new ();

  structure = gst_caps_get_structure (decoded, 0);
  if (!gst_structure_get_int (structure, "width", &width)
      || !gst_structure_get_int (structure, "height", &height)
      || width <= 0 || height <= 0)
    return keyable_caps_new ();

  if (!gst_structure_get_fraction (structure, "pixel-aspect-ratio", &par_n, &par_d)
      || par_n <= 0 || par_d <= 0)
    par_n = par_d = 1;

  display_width = (double) width * par_n / par_d;
  fit = MIN (self->output_width / display_width, (double) self->output_height / height);

  /* Shown at half size or less, the keyer reads the plate in 2×2 blocks: give it twice
   * the fitted size, which for a 1080p plate in a 540p view is the decoded frame as it is,
   * with no scaling pass at all. */
  if (fit <= 0.5)
    fit *= 2.0;

  fitted_width = MAX (2, ((int) (display_width * fit + 0.5)) & ~1);
  fitted_height = MAX (2, ((int) (height * fit + 0.5)) & ~1);

  caps = keyable_caps_new ();
  gst_caps_set_simple (caps,
                       "width", G_TYPE_INT, fitted_width,
                       "height", G_TYPE_INT, fitted_height,
                       "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                       NULL);
  return caps;
}

static GstCaps *
output_caps_for (ReelPreviewPipeline *self)
{
  return gst_caps_new_simple ("video/x-raw",
                              "format", G_TYPE_STRING, "BGRA",
                              "width", G_TYPE_INT, self->output_width,
                              "height", G_TYPE_INT, self->output_height,
                              "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                              NULL);
}

/* Streaming thread */

/* Tells the main thread something, in order with the pipeline's own messages. */
static void
post_note (ReelPreviewPipeline *self,
           const char          *name)
{
  GstStructure *note = gst_structure_new_empty (name);

  gst_element_post_message (self->pipeline,
                            gst_message_new_application (GST_OBJECT (self->pipeline), note));
}

static void
link_audio (ReelPreviewPipeline *self,
            GstPad              *pad)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstPad) sink_pad = NULL;
  GstElement *bin;

  bin = gst_parse_bin_from_description ("queue max-size-time=1000000000 ! audioconvert "
                                        "! audioresample ! volume name=volume "
                                        "! autoaudiosink", TRUE, &error);
  if (bin == NULL)
    {
      /* Without audio elements the preview still shows the picture. */
      g_debug ("No audio for the preview: %s", error->message);
      return;
    }

  gst_bin_add (GST_BIN (self->pipeline), bin);
  {
    GstElement *volume = gst_bin_get_by_name (GST_BIN (bin), "volume");

    g_object_set (volume, "mute", self->muted, NULL);
    /* Read by the main thread for Mute; published whole. */
    g_atomic_pointer_set (&self->volume, volume);
  }
  gst_element_sync_state_with_parent (bin);

  sink_pad = gst_element_get_static_pad (bin, "sink");
  if (gst_pad_link (pad, sink_pad) == GST_PAD_LINK_OK)
    {
      g_atomic_int_set (&self->audio_linked, TRUE);
      post_note (self, MESSAGE_AUDIO_LINKED);
    }
}

static void
on_pad_added (GstElement *decoder,
              GstPad     *pad,
              gpointer    user_data)
{
  ReelPreviewPipeline *self = user_data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  const char *media;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  if (caps == NULL || gst_caps_is_empty (caps))
    return;

  media = gst_structure_get_name (gst_caps_get_structure (caps, 0));

  if (g_str_has_prefix (media, "video/") && !g_atomic_int_get (&self->video_linked))
    {
      g_autoptr(GstPad) sink_pad = gst_element_get_static_pad (self->video_queue, "sink");
      g_autoptr(GstCaps) fitted = NULL;

      if (gst_caps_is_fixed (caps))
        fitted = plate_caps_for (self, caps);
      else
        fitted = plate_caps_for (self, NULL);
      g_object_set (self->plate_caps, "caps", fitted, NULL);

      if (gst_pad_link (pad, sink_pad) == GST_PAD_LINK_OK)
        g_atomic_int_set (&self->video_linked, TRUE);
    }
  else if (g_str_has_prefix (media, "audio/") && !g_atomic_int_get (&self->audio_linked))
    {
      link_audio (self, pad);
    }
}

static void
on_no_more_pads (GstElement *decoder,
                 gpointer    user_data)
{
  ReelPreviewPipeline *self = user_data;

  post_note (self, MESSAGE_NO_MORE_PADS);
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  ReelPreviewPipeline *self = user_data;

  /* May be called from any thread: let the bus bring it to ours. */
  if (self->pipeline != NULL)
    post_note (self, MESSAGE_CANCELLED);
}

/* Main thread */

static void
set_playing (ReelPreviewPipeline *self,
             gboolean             playing)
{
  if (self->playing == playing)
    return;

  self->playing = playing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

static void
update_duration (ReelPreviewPipeline *self)
{
  gint64 duration_ns = 0;
  gint64 duration = 0;

  if (self->pipeline != NULL
      && gst_element_query_duration (self->pipeline, GST_FORMAT_TIME, &duration_ns)
      && duration_ns > 0)
    duration = time_to_frames_rounded (self, duration_ns);

  if (duration != self->duration)
    {
      self->duration = duration;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
    }
}

static void
set_position (ReelPreviewPipeline *self,
              gint64               position)
{
  if (position == self->position)
    return;

  self->position = position;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

static void
on_texture_changed (ReelVideoPaintable  *paintable,
                    GParamSpec          *pspec,
                    ReelPreviewPipeline *self)
{
  GstClockTime pts = reel_video_paintable_get_pts (paintable);


  if (GST_CLOCK_TIME_IS_VALID (pts))
    set_position (self, time_to_frame (self, pts));
  if (self->position == self->seek_target)
    self->seek_target = -1;

  /* A frame keyed while the settings changed (a seek or a resize under way) may land after
   * the paused recomposite: key it again, or the picture keeps the old settings. */
  refresh_stale_frame (self);
}

static void teardown (ReelPreviewPipeline *self);

static void
finish_open (ReelPreviewPipeline *self,
             GError              *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->open_task);

  g_return_if_fail (task != NULL);

  if (self->cancelled_id != 0)
    g_cancellable_disconnect (self->open_cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_object (&self->open_cancellable);

  if (error != NULL)
    {
      teardown (self);
      g_task_return_error (task, error);
      return;
    }

  update_duration (self);
  /* The first frame may have reached the screen before the open finished, and settings
   * changed since (a paused frame is not keyed again while opening): bring it up to date. */
  refresh_stale_frame (self);
  if (self->pending_seek >= 0)
    {
      gint64 frame = self->pending_seek;

      self->pending_seek = -1;
      reel_preview_pipeline_seek_frame (self, frame);
    }
  if (self->pending_play)
    {
      self->pending_play = FALSE;
      reel_preview_pipeline_play (self);
    }
  g_task_return_boolean (task, TRUE);
}

static void
fail (ReelPreviewPipeline *self,
      GError              *error)
{
  if (self->open_task != NULL)
    {
      finish_open (self, error);
      return;
    }

  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
  set_playing (self, FALSE);
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
  g_error_free (error);
}

static GError *
no_video_error (ReelPreviewPipeline *self)
{
  g_autofree char *name = display_name (self->file);

  if (self->missing_plugins->len > 0)
    {
      g_autoptr(GError) missing = g_error_new_literal (GST_CORE_ERROR,
                                                       GST_CORE_ERROR_MISSING_PLUGIN, "");
      return error_from_message (self, missing);
    }

  return g_error_new (REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NO_VIDEO,
                      _("“%s” has no video to preview. Attach a video file as the shot’s "
                        "reference footage."),
                      name);
}

static void
handle_application_message (ReelPreviewPipeline *self,
                            GstMessage          *message)
{
  const char *name = gst_structure_get_name (gst_message_get_structure (message));

  if (g_str_equal (name, MESSAGE_NO_MORE_PADS))
    {
      if (self->open_task != NULL && !g_atomic_int_get (&self->video_linked))
        fail (self, no_video_error (self));
    }
  else if (g_str_equal (name, MESSAGE_AUDIO_LINKED))
    {
      self->has_audio = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_AUDIO]);
    }
  else if (g_str_equal (name, MESSAGE_CANCELLED))
    {
      if (self->open_task != NULL)
        fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                         _("Opening the reference footage was cancelled")));
    }
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  ReelPreviewPipeline *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_error (message, &error, &debug);
        g_debug ("Preview error from %s: %s (%s)", GST_MESSAGE_SRC_NAME (message),
                 error->message, debug ? debug : "");
        fail (self, error_from_message (self, error));
      }
      break;

    case GST_MESSAGE_ELEMENT:
      if (gst_is_missing_plugin_message (message))
        g_ptr_array_add (self->missing_plugins,
                         gst_missing_plugin_message_get_description (message));
      break;

    case GST_MESSAGE_APPLICATION:
      handle_application_message (self, message);
      break;

    case GST_MESSAGE_ASYNC_DONE:
      if (self->open_task != NULL)
        {
          if (g_atomic_int_get (&self->video_linked))
            finish_open (self, NULL);
          else
            fail (self, no_video_error (self));
        }
      break;

    case GST_MESSAGE_DURATION_CHANGED:
      update_duration (self);
      break;

    case GST_MESSAGE_EOS:
      if (self->loop)
        {
          gst_element_seek_simple (self->pipeline, GST_FORMAT_TIME,
                                   GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, 0);
        }
      else
        {
          /* Late frames dropped on a busy machine may leave the picture short of the
           * end: show the last frame, and the playhead is there. */
          gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
          if (self->duration > 0 && self->position < self->duration - 1)
            {
              gst_element_seek_simple (self->pipeline, GST_FORMAT_TIME,
                                       GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
                                       frame_to_time (self, self->duration - 1)
                                       + frame_to_time (self, 1) / 2);
              set_position (self, self->duration - 1);
            }
          self->at_end = TRUE;
          set_playing (self, FALSE);
        }
      break;

    default:
      break;
    }

  return G_SOURCE_CONTINUE;
}

static void
teardown (ReelPreviewPipeline *self)
{
  if (self->bus_source != NULL)
    {
      g_source_destroy (self->bus_source);
      g_clear_pointer (&self->bus_source, g_source_unref);
    }

  if (self->pipeline != NULL)
    {
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      g_signal_handlers_disconnect_by_data (self->decoder, self);
    }

  gst_clear_object (&self->volume);
  gst_clear_object (&self->pipeline);
  self->decoder = NULL;
  self->video_queue = NULL;
  self->plate_caps = NULL;
  self->keyer = NULL;
  self->output_caps = NULL;
  self->sink = NULL;

  if (self->has_audio)
    {
      self->has_audio = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_AUDIO]);
    }
  set_playing (self, FALSE);
}

static GstElement *
make_element (const char  *factory,
              const char  *name,
              GError     **error)
{
  GstElement *element = gst_element_factory_make (factory, name);

  if (element == NULL)
    g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_ELEMENT,
                 /* Translators: %s is the name of a GStreamer element */
                 _("The GStreamer element “%s” is not installed. Install the GStreamer base "
                   "and good plugins."),
                 factory);

  return element;
}

static gboolean
build (ReelPreviewPipeline  *self,
       const char           *uri,
       GError              **error)
{
  g_autoptr(GstCaps) raw = gst_caps_from_string ("video/x-raw; audio/x-raw");
  g_autoptr(GstCaps) output = output_caps_for (self);
  g_autoptr(GstBus) bus = NULL;
  GstElement *converter;

  self->pipeline = gst_pipeline_new ("storyreel-preview");
  gst_object_ref_sink (self->pipeline);

  if ((self->decoder = make_element ("uridecodebin", "decoder", error)) == NULL
      || (self->video_queue = make_element ("queue", "video-queue", error)) == NULL)
    return FALSE;
  gst_bin_add_many (GST_BIN (self->pipeline), self->decoder, self->video_queue, NULL);

  converter = gst_element_factory_make ("videoconvertscale", "convert-scale");
  if (converter == NULL)
    {
      /* Before GStreamer 1.22 these were two elements. */
      GstElement *convert = make_element ("videoconvert", "convert", error);
      GstElement *scale = convert ? make_element ("videoscale", "scale", error) : NULL;
      g_autoptr(GstPad) sink = NULL;
      g_autoptr(GstPad) src = NULL;
      GstElement *bin;

      if (scale == NULL)
        {
          g_clear_pointer (&convert, gst_object_unref);
          return FALSE;
        }
      bin = gst_bin_new ("convert-scale");
      gst_bin_add_many (GST_BIN (bin), convert, scale, NULL);
      gst_element_link (convert, scale);
      sink = gst_element_get_static_pad (convert, "sink");
      src = gst_element_get_static_pad (scale, "src");
      gst_element_add_pad (bin, gst_ghost_pad_new ("sink", sink));
      gst_element_add_pad (bin, gst_ghost_pad_new ("src", src));
      converter = bin;
    }

  self->plate_caps = gst_element_factory_make ("capsfilter", "plate-caps");
  self->keyer = g_object_new (REEL_TYPE_CHROMA_KEY, "name", "key", NULL);
  self->output_caps = gst_element_factory_make ("capsfilter", "output-caps");
  self->sink = reel_video_sink_new (self->paintable);
  gst_object_set_name (GST_OBJECT (self->sink), "sink");

  gst_bin_add_many (GST_BIN (self->pipeline), converter, self->plate_caps, self->keyer,
                    self->output_caps, self->sink, NULL);
  if (!gst_element_link_many (self->video_queue, converter, self->plate_caps, self->keyer,
                              self->output_caps, self->sink, NULL))
    {
      g_set_error_literal (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_FAILED,
                           _("The preview could not be set up"));
      return FALSE;
    }

  g_object_set (self->video_queue,
                "max-size-buffers", 3, "max-size-time", (guint64) 0, "max-size-bytes", 0,
                NULL);
  g_object_set (self->output_caps, "caps", output, NULL);
  /* Decoding keeps a core busy: the keyer takes the others, in bands, and on two cores
   * keys on its own thread after the queue, where it never stops the decoder. */
  g_object_set (self->keyer, "threads", (guint) MAX (1, (int) g_get_num_processors () - 1), NULL);
  g_object_set (self->sink, "sync", self->sync, "qos", self->sync, NULL);
  g_object_set (self->decoder, "uri", uri, "caps", raw, NULL);
  apply_settings (self);

  g_signal_connect (self->decoder, "pad-added", G_CALLBACK (on_pad_added), self);
  g_signal_connect (self->decoder, "no-more-pads", G_CALLBACK (on_no_more_pads), self);

  bus = gst_element_get_bus (self->pipeline);
  self->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_source, (GSourceFunc) on_bus_message, self, NULL);
  g_source_attach (self->bus_source, g_main_context_get_thread_default ());

  return TRUE;
}

/* GObject */

/* ReelPlayback */

static void
playback_play (ReelPlayback *playback)
{
  reel_preview_pipeline_play (REEL_PREVIEW_PIPELINE (playback));
}

static void
playback_pause (ReelPlayback *playback)
{
  reel_preview_pipeline_pause (REEL_PREVIEW_PIPELINE (playback));
}

static gboolean
playback_get_playing (ReelPlayback *playback)
{
  return reel_preview_pipeline_get_playing (REEL_PREVIEW_PIPELINE (playback));
}

static void
playback_seek_frame (ReelPlayback *playback,
                     gint64        frame)
{
  reel_preview_pipeline_seek_frame (REEL_PREVIEW_PIPELINE (playback), frame);
}

static void
playback_step (ReelPlayback *playback,
               int           frames)
{
  reel_preview_pipeline_step (REEL_PREVIEW_PIPELINE (playback), frames);
}

static gint64
playback_get_position (ReelPlayback *playback)
{
  return reel_preview_pipeline_get_position (REEL_PREVIEW_PIPELINE (playback));
}

static gint64
playback_get_duration (ReelPlayback *playback)
{
  return reel_preview_pipeline_get_duration (REEL_PREVIEW_PIPELINE (playback));
}

static void
playback_set_loop (ReelPlayback *playback,
                   gboolean      loop)
{
  reel_preview_pipeline_set_loop (REEL_PREVIEW_PIPELINE (playback), loop);
}

static gboolean
playback_get_loop (ReelPlayback *playback)
{
  return reel_preview_pipeline_get_loop (REEL_PREVIEW_PIPELINE (playback));
}

static void
reel_preview_pipeline_playback_init (ReelPlaybackInterface *iface)
{
  iface->play = playback_play;
  iface->pause = playback_pause;
  iface->get_playing = playback_get_playing;
  iface->seek_frame = playback_seek_frame;
  iface->step = playback_step;
  iface->get_position = playback_get_position;
  iface->get_duration = playback_get_duration;
  iface->set_loop = playback_set_loop;
  iface->get_loop = playback_get_loop;
}

static void
reel_preview_pipeline_dispose (GObject *object)
{
  ReelPreviewPipeline *self = REEL_PREVIEW_PIPELINE (object);

  teardown (self);
  if (self->paintable != NULL)
    g_signal_handlers_disconnect_by_data (self->paintable, self);
  g_clear_object (&self->paintable);
  if (self->file != NULL)
    reel_media_cache_release (self->file);
  g_clear_object (&self->file);
  g_clear_pointer (&self->background, cairo_surface_destroy);
  g_clear_object (&self->background_clip);

  G_OBJECT_CLASS (reel_preview_pipeline_parent_class)->dispose (object);
}

static void
reel_preview_pipeline_finalize (GObject *object)
{
  ReelPreviewPipeline *self = REEL_PREVIEW_PIPELINE (object);

  g_ptr_array_unref (self->missing_plugins);

  G_OBJECT_CLASS (reel_preview_pipeline_parent_class)->finalize (object);
}

static void
reel_preview_pipeline_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  ReelPreviewPipeline *self = REEL_PREVIEW_PIPELINE (object);

  switch (prop_id)
    {
    case PROP_PAINTABLE:
      g_value_set_object (value, self->paintable);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    case PROP_POSITION:
      g_value_set_int64 (value, self->position);
      break;
    case PROP_DURATION:
      g_value_set_int64 (value, self->duration);
      break;
    case PROP_LOOP:
      g_value_set_boolean (value, self->loop);
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;
    case PROP_HAS_AUDIO:
      g_value_set_boolean (value, self->has_audio);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_preview_pipeline_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  ReelPreviewPipeline *self = REEL_PREVIEW_PIPELINE (object);

  switch (prop_id)
    {
    case PROP_PLAYING:
      if (g_value_get_boolean (value))
        reel_preview_pipeline_play (self);
      else
        reel_preview_pipeline_pause (self);
      break;
    case PROP_POSITION:
      reel_preview_pipeline_seek_frame (self, g_value_get_int64 (value));
      break;
    case PROP_LOOP:
      reel_preview_pipeline_set_loop (self, g_value_get_boolean (value));
      break;
    case PROP_MUTED:
      reel_preview_pipeline_set_muted (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_preview_pipeline_class_init (ReelPreviewPipelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = reel_preview_pipeline_dispose;
  object_class->finalize = reel_preview_pipeline_finalize;
  object_class->get_property = reel_preview_pipeline_get_property;
  object_class->set_property = reel_preview_pipeline_set_property;

  properties[PROP_PAINTABLE] =
    g_param_spec_object ("paintable", NULL, NULL, REEL_TYPE_VIDEO_PAINTABLE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * ReelPreviewPipeline:position:
   *
   * The frame on screen, in frames at the project's rate.
   */
  properties[PROP_POSITION] =
    g_param_spec_int64 ("position", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DURATION] =
    g_param_spec_int64 ("duration", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOOP] =
    g_param_spec_boolean ("loop", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MUTED] =
    g_param_spec_boolean ("muted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HAS_AUDIO] =
    g_param_spec_boolean ("has-audio", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ReelPreviewPipeline::error:
   * @self: the pipeline
   * @error: what went wrong, in %REEL_MEDIA_ERROR
   *
   * Playback failed after the footage was opened. The preview pauses.
   */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
reel_preview_pipeline_init (ReelPreviewPipeline *self)
{
  self->paintable = reel_video_paintable_new ();
  g_signal_connect (self->paintable, "notify::texture", G_CALLBACK (on_texture_changed), self);

  self->missing_plugins = g_ptr_array_new_with_free_func (g_free);
  self->output_width = DEFAULT_OUTPUT_WIDTH;
  self->output_height = DEFAULT_OUTPUT_HEIGHT;
  self->rate_numerator = 24;
  self->rate_denominator = 1;
  self->seek_target = -1;
  self->pending_seek = -1;
  self->sync = TRUE;

  self->key_rgb = REEL_CHROMA_KEY_DEFAULT_COLOR;
  self->similarity = REEL_CHROMA_KEY_DEFAULT_SIMILARITY;
  self->softness = REEL_CHROMA_KEY_DEFAULT_SOFTNESS;
  self->spill = REEL_CHROMA_KEY_DEFAULT_SPILL;
  self->background_scale = 1.0;
  self->plate_scale = 1.0;
}

/* Public API */

/**
 * reel_preview_pipeline_new:
 *
 * Returns: (transfer full): a preview with nothing open
 */
ReelPreviewPipeline *
reel_preview_pipeline_new (void)
{
  return g_object_new (REEL_TYPE_PREVIEW_PIPELINE, NULL);
}

/**
 * reel_preview_pipeline_get_paintable:
 * @self: a #ReelPreviewPipeline
 *
 * Returns: (transfer none): the composite, for a widget to draw; it stays the same object
 *   across files
 */
ReelVideoPaintable *
reel_preview_pipeline_get_paintable (ReelPreviewPipeline *self)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_PIPELINE (self), NULL);

  return self->paintable;
}

/**
 * reel_preview_pipeline_get_element:
 * @self: a #ReelPreviewPipeline
 *
 * Returns: (transfer none) (nullable): the GStreamer pipeline of the open file
 */
GstElement *
reel_preview_pipeline_get_element (ReelPreviewPipeline *self)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_PIPELINE (self), NULL);

  return self->pipeline;
}

/**
 * reel_preview_pipeline_get_file:
 * @self: a #ReelPreviewPipeline
 *
 * Returns: (transfer none) (nullable): the open plate
 */
GFile *
reel_preview_pipeline_get_file (ReelPreviewPipeline *self)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_PIPELINE (self), NULL);

  return self->file;
}

/**
 * reel_preview_pipeline_set_frame_rate:
 * @self: a #ReelPreviewPipeline
 * @numerator: the project's frame rate numerator
 * @denominator: its denominator
 *
 * Positions, durations and frame steps count frames at this rate.
 */
void
reel_preview_pipeline_set_frame_rate (ReelPreviewPipeline *self,
                                      int                  numerator,
                                      int                  denominator)
{
  g_return_if_fail (REEL_IS_PREVIEW_PIPELINE (self));
  g_return_if_fail (numerator > 0 && denominator > 0);

  self->rate_numerator = numerator;
  self->rate_denominator = denominator;
  update_duration (self);
  on_texture_changed (self->paintable, NULL, self);
}

/**
 * reel_preview_pipeline_set_output_size:
 * @self: a #ReelPreviewPipeline
 * @width: the composite's width in pixels
 * @height: its height
 *
 * The size frames are composited at: the view's size in device pixels, so nothing is
 * keyed at a resolution nobody sees. Applies to the next file or the next seek.
 */
void
reel_preview_pipeline_set_output_size (ReelPreviewPipeline *self,
                                       int                  width,
                                       int                  height)
{
  g_return_if_fail (REEL_IS_PREVIEW_PIPELINE (self));
  g_return_if_fail (width > 0 && height > 0);

  width = MAX (2, width & ~1);
  height = MAX (2, height & ~1);
  if (width == self->output_width && height == self->output_height)
    return;

  self->output_width = width;
  self->output_height = height;

  if (self->pipeline != NULL && self->open_task == NULL)
    {
      g_autoptr(GstCaps) output = output_caps_for (self);
      g_autoptr(GstPad) pad = gst_element_get_static_pad (self->video_queue, "src");
      g_autoptr(GstCaps) decoded = NULL;
      g_autoptr(GstPad) decoder_pad = gst_element_get_static_pad (self->video_queue, "sink");

      decoded = gst_pad_get_current_caps (decoder_pad);
      if (decoded != NULL)
        {
          g_autoptr(GstCaps) fitted = plate_caps_for (self, decoded);
          g_object_set (self->plate_caps, "caps", fitted, NULL);
        }
      g_object_set (self->output_caps, "caps", output, NULL);

      /* A paused pipeline renegotiates on its next frame: fetch it again (or the one a
       * seek under way is fetching). */
      if (!self->playing)
        reel_preview_pipeline_seek_frame (self, self->seek_target >= 0 ? self->seek_target
                                                                       : self->position);
    }
}

/**
 * reel_preview_pipeline_get_output_size:
 * @self: a #ReelPreviewPipeline
 * @width: (out) (optional): the composite's width
 * @height: (out) (optional): its height
 */
void
reel_preview_pipeline_get_output_size (ReelPreviewPipeline *self,
                                       int                 *width,
                                       int                 *height)
{
  g_return_if_fail (REEL_IS_PREVIEW_PIPELINE (self));

  if (width != NULL)
    *width = self->output_width;
  if (height != NULL)
    *height = self->output_height;
}

/**
 * reel_preview_pipeline_set_sync:
 * @self: a #ReelPreviewPipeline
 * @sync: %FALSE to process frames as fast as possible instead of in real time
 *
 * For measurements and tests. Applies to the next file.
 */
void
reel_preview_pipeline_set_sync (ReelPreviewPipeline *self,
                                gboolean             sync)
{
  g_return_if_fail (REEL_IS_PREVIEW_PIPELINE (self));

  self->sync = !!sync;
}

/**
 * reel_preview_pipeline_open_async:
 * @self: a #ReelPreviewPipeline
 * @file: the plate
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the first frame is ready or opening failed
 * @user_data: data for @callback
 *
 * Closes what was open and opens @file paused on its first frame.
 */
void
reel_preview_pipeline_open_async (ReelPreviewPipeline *self,
                                  GFile               *file,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  g_return_if_fail (REEL_IS_PREVIEW_PIPELINE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_preview_pipeline_open_async);

  if (self->open_task != NULL)
    finish_open (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                            _("Another file was opened instead")));
  reel_preview_pipeline_close (self);

  /* A plate drawn into the cache (a sketch plate) stays there while it plays. */
  reel_media_cache_hold (file);
  if (self->file != NULL)
    reel_media_cache_release (self->file);
  g_set_object (&self->file, file);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);

  if (!reel_media_init (&error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!g_file_query_exists (file, cancellable))
    {
      g_autofree char *name = display_name (file);

      g_task_return_new_error (task, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NOT_FOUND,
                               _("The reference footage “%s” is missing. It may have been "
                                 "moved, renamed or deleted: use Relink to find it."),
                               name);
      return;
    }

  uri = g_file_get_uri (file);
  if (!build (self, uri, &error))
    {
      teardown (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->open_task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      self->open_cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                  self, NULL);
    }

  if (gst_element_set_state (self->pipeline, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE
      && self->open_task != NULL)
    {
      /* The error message on the bus says why; wait for it unless nothing will come. */
      g_autoptr(GstBus) bus = gst_element_get_bus (self->pipeline);

      if (!gst_bus_have_pending (bus))
        fail (self, g_error_new (REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_PLAYBACK,
                                 _("The reference footage “%s” could not be opened"),
                                 g_file_peek_path (file)));
    }
}

/**
 * reel_preview_pipeline_open_finish:
 * @self: a #ReelPreviewPipeline
 * @result: the result passed to the callback
 * @error: return location for a #GError in %REEL_MEDIA_ERROR
 *
 * Returns: %TRUE if the plate is open and its first frame composited
 */
gboolean
reel_preview_pipeline_open_finish (ReelPreviewPipeline  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_PIPELINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == reel_preview_pipeline_open_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * reel_preview_pipeline_close:
 * @self: a #ReelPreviewPipeline
 *
 * Stops and releases the open file. The paintable goes blank.
 */
void
reel_preview_pipeline_close (ReelPreviewPipeline *self)
{
  g_return_if_fail (REEL_IS_PREVIEW_PIPELINE (self));

  if (self->open_task != NULL)
    finish_open (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                            _("Opening the reference footage was cancelled")));
  teardown (self);

  g_ptr_array_set_size (self->missing_plugins, 0);
  g_atomic_int_set (&self->video_linked, FALSE);
  g_atomic_int_set (&self->audio_linked, FALSE);
  self->at_end = FALSE;
  self->seek_target = -1;
  self->pending_seek = -1;
  self->pending_play = FALSE;
  reel_video_paintable_clear (self->paintable);
  set_position (self, 0);
  if (self->duration != 0)
    {
      self->duration = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
    }
}

/**
 * reel_preview_pipeline_play:
 * @self: a #ReelPreviewPipeline
 *
 * Plays from the current frame; from the start if the end was reached.
 */
void
reel_preview_pipeline_play (ReelPreviewPipeline *self)
{
  g_return_if_fail (REEL_IS_PREVIEW_PIPELINE (self));

  /* The first frame shows before opening is over: play then, rather than not at all. */
  if (self->pipeline != NULL && self->open_task != NULL)
    {
      self->pending_play = TRUE;
      return;
    }
  if (self->pipeline == NULL)
    return;

  if (self->at_end)
    {
      self->at_end = FALSE;
      gst_element_seek_simple (self->pipeline, GST_FORMAT_TIME,
                               GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, 0);
    }

  self->seek_target = -1;
  gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
  set_playing (self, TRUE);
}

/**
 * reel_preview_pipeline_pause:
 * @self: a #ReelPreviewPipeline
 */
void
reel_preview_pipeline_pause (ReelPreviewPipeline *self)
{
  g_return_if_fail (REEL_IS_PREVIEW_PIPELINE (self));

  self->pending_play = FALSE;
  if (self->pipeline == NULL || self->open_task != NULL)
    return;

  gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
  set_playing (self, FALSE);
}

/**
 * reel_preview_pipeline_get_playing:
 * @self: a #ReelPreviewPipeline
 *
 * Returns: whether the preview is playing
 */
gboolean
reel_preview_pipeline_get_playing (ReelPreviewPipeline *self)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_PIPELINE (self), FALSE);

  return self->playing;
}

/**
 * reel_preview_pipeline_seek_frame:
 * @self: a #ReelPreviewPipeline
 * @frame: a frame number at the project's rate
 *
 * Shows @frame exactly (scrubbing, frame steps). The position updates when it is on screen.
 */
void
reel_preview_pipeline_seek_frame (ReelPreviewPipeline *self,
                                  gint64               frame)
{
  GstClockTime frame_duration;

  g_return_if_fail (REEL_IS_PREVIEW_PIPELINE (self));

  /* While opening (the first frame may show before), a seek waits rather than being lost. */
  if (self->pipeline != NULL && self->open_task != NULL)
    {
      self->pending_seek = MAX (frame, 0);
      return;
    }
  if (self->pipeline == NULL)
    return;

  if (self->duration > 0)
    frame = CLAMP (frame, 0, self->duration - 1);
  else
    frame = MAX (frame, 0);

  /* Aim at the middle of the frame so rounding in the container's timestamps cannot land
   * on its neighbour. */
  frame_duration = frame_to_time (self, 1);
  self->at_end = FALSE;
  self->seek_target = frame;
  gst_element_seek_simple (self->pipeline, GST_FORMAT_TIME,
                           GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
                           frame_to_time (self, frame) + frame_duration / 2);
}

/**
 * reel_preview_pipeline_step:
 * @self: a #ReelPreviewPipeline
 * @frames: how many frames to move, negative for backwards
 *
 * Pauses and moves by @frames at the project's rate.
 */
void
reel_preview_pipeline_step (ReelPreviewPipeline *self,
                            int                  frames)
{
  g_return_if_fail (REEL_IS_PREVIEW_PIPELINE (self));

  if (self->pipeline == NULL || self->open_task != NULL)
    return;

  /* Relative to where a seek still under way will land, so quick presses all count. */
  reel_preview_pipeline_pause (self);
  reel_preview_pipeline_seek_frame (self, (self->seek_target >= 0 ? self->seek_target
                                                                  : self->position) + frames);
}

/**
 * reel_preview_pipeline_get_position:
 * @self: a #ReelPreviewPipeline
 *
 * Returns: the frame on screen, at the project's rate
 */
gint64
reel_preview_pipeline_get_position (ReelPreviewPipeline *self)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_PIPELINE (self), 0);

  return self->position;
}

/**
 * reel_preview_pipeline_get_duration:
 * @self: a #ReelPreviewPipeline
 *
 * Returns: the plate's length in frames at the project's rate, 0 if unknown
 */
gint64
reel_preview_pipeline_get_duration (ReelPreviewPipeline *self)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_PIPELINE (self), 0);

  return self->duration;
}

void
reel_preview_pipeline_set_loop (ReelPreviewPipeline *self,
                                gboolean             loop)
{
  g_return_if_fail (REEL_IS_PREVIEW_PIPELINE (self));

  loop = !!loop;
  if (self->loop == loop)
    return;

  self->loop = loop;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOP]);
}

gboolean
reel_preview_pipeline_get_loop (ReelPreviewPipeline *self)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_PIPELINE (self), FALSE);

  return self->loop;
}

void
reel_preview_pipeline_set_muted (ReelPreviewPipeline *self,
                                 gboolean             muted)
{
  g_return_if_fail (REEL_IS_PREVIEW_PIPELINE (self));

  muted = !!muted;
  if (self->muted == muted)
    return;

  self->muted = muted;
  {
    GstElement *volume = g_atomic_pointer_get (&self->volume);

    if (volume != NULL)
      g_object_set (volume, "mute", muted, NULL);
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
}

gboolean
reel_preview_pipeline_get_muted (ReelPreviewPipeline *self)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_PIPELINE (self), FALSE);

  return self->muted;
}

/**
 * reel_preview_pipeline_get_has_audio:
 * @self: a #ReelPreviewPipeline
 *
 * Returns: whether the open plate has sound
 */
gboolean
reel_preview_pipeline_get_has_audio (ReelPreviewPipeline *self)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_PIPELINE (self), FALSE);

  return self->has_audio;
}

/**
 * reel_preview_pipeline_set_key:
 * @self: a #ReelPreviewPipeline
 * @rgb: the key colour, 0xRRGGBB
 * @similarity: see reel_chroma_key_set_key()
 * @softness: see reel_chroma_key_set_key()
 * @spill: see reel_chroma_key_set_key()
 *
 * Takes effect on the next frame, or at once while paused.
 */
void
reel_preview_pipeline_set_key (ReelPreviewPipeline *self,
                               guint32              rgb,
                               double               similarity,
                               double               softness,
                               double               spill)
{
  g_return_if_fail (REEL_IS_PREVIEW_PIPELINE (self));

  self->key_rgb = rgb & 0xffffff;
  self->similarity = CLAMP (similarity, 0.0, 1.0);
  self->softness = CLAMP (softness, 0.0, 1.0);
  self->spill = CLAMP (spill, 0.0, 1.0);

  if (self->keyer != NULL)
    {
      reel_chroma_key_set_key (REEL_CHROMA_KEY (self->keyer), self->key_rgb,
                               self->similarity, self->softness, self->spill);
      refresh_paused_frame (self);
    }
}

/**
 * reel_preview_pipeline_set_background:
 * @self: a #ReelPreviewPipeline
 * @image: (nullable): the shot's active background as an image surface
 *
 * Takes effect on the next frame, or at once while paused.
 */
void
reel_preview_pipeline_set_background (ReelPreviewPipeline *self,
                                      cairo_surface_t     *image)
{
  g_return_if_fail (REEL_IS_PREVIEW_PIPELINE (self));

  if (image != NULL)
    cairo_surface_reference (image);
  g_clear_pointer (&self->background, cairo_surface_destroy);
  self->background = image;

  if (self->keyer != NULL)
    {
      reel_chroma_key_set_background (REEL_CHROMA_KEY (self->keyer), image);
      refresh_paused_frame (self);
    }
}

/**
 * reel_preview_pipeline_set_background_clip:
 * @self: a #ReelPreviewPipeline
 * @clip: (nullable): a moving background, best opened already (off the main thread), or
 *   %NULL for the still one
 *
 * Plate frame N plays over clip frame N, looping when the clip is shorter; the placement
 * is the background's. Switching between a still and a clip only swaps the keyer's
 * settings. Takes effect on the next frame, or at once while paused.
 */
void
reel_preview_pipeline_set_background_clip (ReelPreviewPipeline *self,
                                           ReelClipFrames      *clip)
{
  g_return_if_fail (REEL_IS_PREVIEW_PIPELINE (self));
  g_return_if_fail (clip == NULL || REEL_IS_CLIP_FRAMES (clip));

  if (!g_set_object (&self->background_clip, clip))
    return;

  if (self->keyer != NULL)
    {
      reel_chroma_key_set_background_clip (REEL_CHROMA_KEY (self->keyer), clip);
      refresh_paused_frame (self);
    }
}

/**
 * reel_preview_pipeline_set_background_placement:
 * @self: a #ReelPreviewPipeline
 * @scale: relative to covering the frame
 * @offset_x: as a fraction of the frame's width
 * @offset_y: as a fraction of the frame's height
 *
 * Takes effect on the next frame, or at once while paused.
 */
void
reel_preview_pipeline_set_background_placement (ReelPreviewPipeline *self,
                                                double               scale,
                                                double               offset_x,
                                                double               offset_y)
{
  g_return_if_fail (REEL_IS_PREVIEW_PIPELINE (self));
  g_return_if_fail (scale > 0.0);

  self->background_scale = scale;
  self->background_x = offset_x;
  self->background_y = offset_y;

  if (self->keyer != NULL)
    {
      reel_chroma_key_set_background_placement (REEL_CHROMA_KEY (self->keyer),
                                                scale, offset_x, offset_y);
      refresh_paused_frame (self);
    }
}

/**
 * reel_preview_pipeline_set_plate_placement:
 * @self: a #ReelPreviewPipeline
 * @scale: relative to fitting inside the frame
 * @offset_x: as a fraction of the frame's width
 * @offset_y: as a fraction of the frame's height
 *
 * Takes effect on the next frame, or at once while paused.
 */
void
reel_preview_pipeline_set_plate_placement (ReelPreviewPipeline *self,
                                           double               scale,
                                           double               offset_x,
                                           double               offset_y)
{
  g_return_if_fail (REEL_IS_PREVIEW_PIPELINE (self));
  g_return_if_fail (scale > 0.0);

  self->plate_scale = scale;
  self->plate_x = offset_x;
  self->plate_y = offset_y;

  if (self->keyer != NULL)
    {
      reel_chroma_key_set_plate_placement (REEL_CHROMA_KEY (self->keyer),
                                           scale, offset_x, offset_y);
      refresh_paused_frame (self);
    }
}

/**
 * reel_preview_pipeline_pick_color:
 * @self: a #ReelPreviewPipeline
 * @x: position in the composite, 0 (left) to 1 (right)
 * @y: position in the composite, 0 (top) to 1 (bottom)
 * @rgb: (out): the plate's colour there, 0xRRGGBB
 *
 * The eyedropper, which reads the plate before keying.
 *
 * Returns: %TRUE if a plate frame covers that point
 */
gboolean
reel_preview_pipeline_pick_color (ReelPreviewPipeline *self,
                                  double               x,
                                  double               y,
                                  guint32             *rgb)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_PIPELINE (self), FALSE);
  g_return_val_if_fail (rgb != NULL, FALSE);

  if (self->keyer == NULL)
    return FALSE;

  return reel_chroma_key_sample_plate (REEL_CHROMA_KEY (self->keyer), x, y, rgb);
}
