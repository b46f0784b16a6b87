/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-video-sink"

#include "config.h"

#include <gst/video/video.h>

#include "reel-video-sink.h"

/* GTK 4.8 has no gtk4paintablesink, so this is Storyreel's own. Each frame is mapped on the
 * streaming thread and wrapped, without a copy, in a GdkMemoryTexture whose bytes keep the
 * mapping (and so the GstBuffer) alive; the paintable keeps only the newest one. */
struct _ReelVideoSink
{
  GstVideoSink parent_instance;

  ReelVideoPaintable *paintable;

  GstVideoInfo info;     /* streaming thread */
  GstBuffer *last_shown; /* streaming thread; the preroll frame comes again on play */
  GdkMemoryFormat memory_format;
  gboolean premultiplied;
  gint n_rendered;       /* atomic */
};

enum {
  PROP_0,
  PROP_PAINTABLE,
  PROP_PREMULTIPLIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Frames whose textures are still alive somewhere; lets tests prove nothing leaks. */
static gint n_mapped_frames;

G_DEFINE_FINAL_TYPE (ReelVideoSink, reel_video_sink, GST_TYPE_VIDEO_SINK)

#define SINK_CAPS GST_VIDEO_CAPS_MAKE ("{ BGRA, RGBA, BGR, RGB }")

static GstStaticPadTemplate sink_template =
  GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (SINK_CAPS));

typedef struct
{
  GstVideoFrame frame;
} MappedFrame;

static void
mapped_frame_free (gpointer data)
{
  MappedFrame *mapped = data;

  gst_video_frame_unmap (&mapped->frame);
  g_free (mapped);
  g_atomic_int_add (&n_mapped_frames, -1);
}

static gboolean
memory_format_for (GstVideoFormat   format,
                   gboolean         premultiplied,
                   GdkMemoryFormat *memory_format)
{
  switch (format)
    {
    case GST_VIDEO_FORMAT_BGRA:
      *memory_format = premultiplied ? GDK_MEMORY_B8G8R8A8_PREMULTIPLIED : GDK_MEMORY_B8G8R8A8;
      return TRUE;
    case GST_VIDEO_FORMAT_RGBA:
      *memory_format = premultiplied ? GDK_MEMORY_R8G8B8A8_PREMULTIPLIED : GDK_MEMORY_R8G8B8A8;
      return TRUE;
    case GST_VIDEO_FORMAT_BGR:
      *memory_format = GDK_MEMORY_B8G8R8;
      return TRUE;
    case GST_VIDEO_FORMAT_RGB:
      *memory_format = GDK_MEMORY_R8G8B8;
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
reel_video_sink_set_info (GstVideoSink       *video_sink,
                          GstCaps            *caps,
                          const GstVideoInfo *info)
{
  ReelVideoSink *self = REEL_VIDEO_SINK (video_sink);

  if (!memory_format_for (GST_VIDEO_INFO_FORMAT (info), self->premultiplied,
                          &self->memory_format))
    return FALSE;

  self->info = *info;
  return TRUE;
}

static GQuark
frame_tag_quark (void)
{
  return g_quark_from_static_string ("reel-video-sink-frame-tag");
}

static gboolean
present_buffer (ReelVideoSink *self,
                GstBuffer     *buffer)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  MappedFrame *mapped;
  gsize stride;
  int width, height;

  mapped = g_new0 (MappedFrame, 1);
  if (!gst_video_frame_map (&mapped->frame, &self->info, buffer, GST_MAP_READ))
    {
      g_free (mapped);
      return FALSE;
    }
  g_atomic_int_inc (&n_mapped_frames);

  width = GST_VIDEO_FRAME_WIDTH (&mapped->frame);
  height = GST_VIDEO_FRAME_HEIGHT (&mapped->frame);
  stride = GST_VIDEO_FRAME_PLANE_STRIDE (&mapped->frame, 0);

  bytes = g_bytes_new_with_free_func (GST_VIDEO_FRAME_PLANE_DATA (&mapped->frame, 0),
                                      stride * height, mapped_frame_free, mapped);
  texture = gdk_memory_texture_new (width, height, self->memory_format, bytes, stride);
  if (GST_BUFFER_OFFSET_END_IS_VALID (buffer))
    g_object_set_qdata (G_OBJECT (texture), frame_tag_quark (),
                        GSIZE_TO_POINTER ((gsize) GST_BUFFER_OFFSET_END (buffer) + 1));

  reel_video_paintable_push_frame (self->paintable, texture, GST_BUFFER_PTS (buffer));

  return TRUE;
}

static GstFlowReturn
reel_video_sink_show_frame (GstVideoSink *video_sink,
                            GstBuffer    *buffer)
{
  ReelVideoSink *self = REEL_VIDEO_SINK (video_sink);

  /* Base sinks render the preroll frame again when they start playing: same picture. */
  if (buffer == self->last_shown)
    return GST_FLOW_OK;

  if (!present_buffer (self, buffer))
    {
      GST_ELEMENT_ERROR (self, RESOURCE, READ, (NULL), ("Could not map a video frame"));
      return GST_FLOW_ERROR;
    }

  gst_buffer_replace (&self->last_shown, buffer);
  g_atomic_int_inc (&self->n_rendered);
  return GST_FLOW_OK;
}

static gboolean
reel_video_sink_stop (GstBaseSink *base_sink)
{
  ReelVideoSink *self = REEL_VIDEO_SINK (base_sink);

  gst_clear_buffer (&self->last_shown);
  return TRUE;
}

static gboolean
reel_video_sink_event (GstBaseSink *base_sink,
                       GstEvent    *event)
{
  ReelVideoSink *self = REEL_VIDEO_SINK (base_sink);

  /* After a flush the same buffer may legitimately come again (a seek back to it). The
   * streaming thread is stopped between flush-start and flush-stop. */
  if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP)
    gst_clear_buffer (&self->last_shown);

  return GST_BASE_SINK_CLASS (reel_video_sink_parent_class)->event (base_sink, event);
}

static gboolean
reel_video_sink_propose_allocation (GstBaseSink *base_sink,
                                    GstQuery    *query)
{
  /* Any stride is fine: the texture takes the frame's own. */
  gst_query_add_allocation_meta (query, GST_VIDEO_META_API_TYPE, NULL);
  return TRUE;
}

static void
reel_video_sink_dispose (GObject *object)
{
  ReelVideoSink *self = REEL_VIDEO_SINK (object);

  g_clear_object (&self->paintable);
  gst_clear_buffer (&self->last_shown);

  G_OBJECT_CLASS (reel_video_sink_parent_class)->dispose (object);
}

static void
reel_video_sink_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ReelVideoSink *self = REEL_VIDEO_SINK (object);

  switch (prop_id)
    {
    case PROP_PAINTABLE:
      g_value_set_object (value, self->paintable);
      break;

    case PROP_PREMULTIPLIED:
      g_value_set_boolean (value, self->premultiplied);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_video_sink_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  ReelVideoSink *self = REEL_VIDEO_SINK (object);

  switch (prop_id)
    {
    case PROP_PAINTABLE:
      if (g_value_get_object (value) != NULL)
        g_set_object (&self->paintable, g_value_get_object (value));
      break;

    case PROP_PREMULTIPLIED:
      self->premultiplied = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_video_sink_constructed (GObject *object)
{
  ReelVideoSink *self = REEL_VIDEO_SINK (object);

  G_OBJECT_CLASS (reel_video_sink_parent_class)->constructed (object);

  if (self->paintable == NULL)
    self->paintable = reel_video_paintable_new ();
}

static void
reel_video_sink_class_init (ReelVideoSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *base_sink_class = GST_BASE_SINK_CLASS (klass);
  GstVideoSinkClass *video_sink_class = GST_VIDEO_SINK_CLASS (klass);

  object_class->constructed = reel_video_sink_constructed;
  object_class->dispose = reel_video_sink_dispose;
  object_class->get_property = reel_video_sink_get_property;
  object_class->set_property = reel_video_sink_set_property;

  base_sink_class->propose_allocation = reel_video_sink_propose_allocation;
  base_sink_class->stop = reel_video_sink_stop;
  base_sink_class->event = reel_video_sink_event;
  video_sink_class->set_info = reel_video_sink_set_info;
  video_sink_class->show_frame = reel_video_sink_show_frame;

  /**
   * ReelVideoSink:paintable:
   *
   * Where the frames go. One is made when none is given.
   */
  properties[PROP_PAINTABLE] =
    g_param_spec_object ("paintable", NULL, NULL,
                         REEL_TYPE_VIDEO_PAINTABLE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * ReelVideoSink:premultiplied:
   *
   * Whether colours with alpha arrive premultiplied. Storyreel's pipelines deliver opaque
   * frames, for which both readings agree and the premultiplied one uploads without a copy.
   */
  properties[PROP_PREMULTIPLIED] =
    g_param_spec_boolean ("premultiplied", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gst_element_class_set_static_metadata (element_class,
                                         "Storyreel video sink", "Sink/Video",
                                         "Shows video in a GdkPaintable",
                                         "The Storyreel authors");
  gst_element_class_add_static_pad_template (element_class, &sink_template);
}

static void
reel_video_sink_init (ReelVideoSink *self)
{
  self->premultiplied = TRUE;
  gst_video_info_init (&self->info);
}

/**
 * reel_video_sink_new:
 * @paintable: (nullable): where to show frames, or %NULL for a new paintable
 *
 * Returns: (transfer floating): a new sink
 */
GstElement *
reel_video_sink_new (ReelVideoPaintable *paintable)
{
  return g_object_new (REEL_TYPE_VIDEO_SINK, "paintable", paintable, NULL);
}

/**
 * reel_video_sink_get_paintable:
 * @self: a #ReelVideoSink
 *
 * Returns: (transfer none): the paintable the frames go to
 */
ReelVideoPaintable *
reel_video_sink_get_paintable (ReelVideoSink *self)
{
  g_return_val_if_fail (REEL_IS_VIDEO_SINK (self), NULL);

  return self->paintable;
}

/**
 * reel_video_sink_present_buffer:
 * @self: a #ReelVideoSink
 * @buffer: a frame in the format the sink negotiated
 *
 * Shows a frame made outside the stream, such as a paused frame composited again after a
 * setting changed. Only while the stream is not pushing frames (paused).
 *
 * Returns: %TRUE if the frame could be shown
 */
gboolean
reel_video_sink_present_buffer (ReelVideoSink *self,
                                GstBuffer     *buffer)
{
  g_return_val_if_fail (REEL_IS_VIDEO_SINK (self), FALSE);
  g_return_val_if_fail (GST_IS_BUFFER (buffer), FALSE);

  if (GST_VIDEO_INFO_FORMAT (&self->info) == GST_VIDEO_FORMAT_UNKNOWN)
    return FALSE;
  /* Composited at the size before a resize: a frame of the new size is on its way, and
   * this one read at the new size would be a smear. */
  if (gst_buffer_get_size (buffer) != GST_VIDEO_INFO_SIZE (&self->info))
    return FALSE;

  return present_buffer (self, buffer);
}

/**
 * reel_video_sink_get_n_rendered:
 * @self: a #ReelVideoSink
 *
 * Returns: how many frames reached the sink (shown or dropped by the paintable)
 */
guint64
reel_video_sink_get_n_rendered (ReelVideoSink *self)
{
  g_return_val_if_fail (REEL_IS_VIDEO_SINK (self), 0);

  return (guint64) g_atomic_int_get (&self->n_rendered);
}

/**
 * reel_video_sink_get_n_mapped_frames:
 *
 * Returns: how many frames, across all sinks, are still held by a texture
 */
guint
reel_video_sink_get_n_mapped_frames (void)
{
  return (guint) g_atomic_int_get (&n_mapped_frames);
}

/**
 * reel_video_sink_get_frame_tag:
 * @texture: a frame a #ReelVideoSink presented
 * @tag: (out): the %GST_BUFFER_OFFSET_END of the buffer it was made from
 *
 * Returns: %TRUE if the buffer had one
 */
gboolean
reel_video_sink_get_frame_tag (GdkTexture *texture,
                               guint64    *tag)
{
  gsize stored;

  g_return_val_if_fail (GDK_IS_TEXTURE (texture), FALSE);
  g_return_val_if_fail (tag != NULL, FALSE);

  stored = GPOINTER_TO_SIZE (g_object_get_qdata (G_OBJECT (texture), frame_tag_quark ()));
  if (stored == 0)
    return FALSE;

  *tag = stored - 1;
  return TRUE;
}
