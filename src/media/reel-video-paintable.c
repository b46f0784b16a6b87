/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-video-paintable"

#include "config.h"

#include "reel-video-paintable.h"

/* The one path from the streaming thread to the main thread. A streaming thread puts its
 * newest frame in the slot; if no wake-up is pending it makes the paintable's own source on
 * the main context ready, which swaps the frame in and invalidates the paintable. A frame
 * that arrives while the wake-up is still pending replaces the one in the slot: stale frames
 * are dropped, never queued, so a slow main loop shows the newest picture instead of falling
 * behind. The source lives as long as the paintable: a frame costs no allocation here. */
struct _ReelVideoPaintable
{
  GObject parent_instance;

  GMainContext *context;

  GMutex lock;
  GdkTexture *pending;       /* under lock */
  GstClockTime pending_pts;  /* under lock */
  GSource *wake;             /* under lock; made ready for each frame */
  gboolean scheduled;        /* under lock: the source is ready and has not run yet */
  guint64 n_dropped;         /* under lock */

  /* main thread only */
  GdkTexture *texture;
  GstClockTime pts;
  guint64 n_presented;
};

enum {
  PROP_0,
  PROP_TEXTURE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reel_video_paintable_paintable_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReelVideoPaintable, reel_video_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      reel_video_paintable_paintable_init))

static void
reel_video_paintable_snapshot (GdkPaintable *paintable,
                               GdkSnapshot  *snapshot,
                               double        width,
                               double        height)
{
  ReelVideoPaintable *self = REEL_VIDEO_PAINTABLE (paintable);

  if (self->texture != NULL)
    gdk_paintable_snapshot (GDK_PAINTABLE (self->texture), snapshot, width, height);
}

static GdkPaintable *
reel_video_paintable_get_current_image (GdkPaintable *paintable)
{
  ReelVideoPaintable *self = REEL_VIDEO_PAINTABLE (paintable);

  if (self->texture != NULL)
    return GDK_PAINTABLE (g_object_ref (self->texture));

  return gdk_paintable_new_empty (0, 0);
}

static int
reel_video_paintable_get_intrinsic_width (GdkPaintable *paintable)
{
  ReelVideoPaintable *self = REEL_VIDEO_PAINTABLE (paintable);

  return self->texture != NULL ? gdk_texture_get_width (self->texture) : 0;
}

static int
reel_video_paintable_get_intrinsic_height (GdkPaintable *paintable)
{
  ReelVideoPaintable *self = REEL_VIDEO_PAINTABLE (paintable);

  return self->texture != NULL ? gdk_texture_get_height (self->texture) : 0;
}

static double
reel_video_paintable_get_intrinsic_aspect_ratio (GdkPaintable *paintable)
{
  ReelVideoPaintable *self = REEL_VIDEO_PAINTABLE (paintable);

  if (self->texture == NULL)
    return 0.0;

  return (double) gdk_texture_get_width (self->texture) / gdk_texture_get_height (self->texture);
}

static void
reel_video_paintable_paintable_init (GdkPaintableInterface *iface)
{
  iface->snapshot = reel_video_paintable_snapshot;
  iface->get_current_image = reel_video_paintable_get_current_image;
  iface->get_intrinsic_width = reel_video_paintable_get_intrinsic_width;
  iface->get_intrinsic_height = reel_video_paintable_get_intrinsic_height;
  iface->get_intrinsic_aspect_ratio = reel_video_paintable_get_intrinsic_aspect_ratio;
}

/* Main thread: show @texture, telling GTK only what really changed. */
static void
present (ReelVideoPaintable *self,
         GdkTexture         *texture,
         GstClockTime        pts)
{
  gboolean size_changed;

  size_changed = (self->texture == NULL) != (texture == NULL)
                 || (texture != NULL
                     && (gdk_texture_get_width (texture) != gdk_texture_get_width (self->texture)
                         || gdk_texture_get_height (texture)
                              != gdk_texture_get_height (self->texture)));

  g_set_object (&self->texture, texture);
  self->pts = pts;
  if (texture != NULL)
    self->n_presented++;

  if (size_changed)
    gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXTURE]);
}

static gboolean
swap_in_pending (gpointer user_data)
{
  ReelVideoPaintable *self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  GstClockTime pts;

  g_mutex_lock (&self->lock);
  texture = g_steal_pointer (&self->pending);
  pts = self->pending_pts;
  self->scheduled = FALSE;
  g_source_set_ready_time (self->wake, -1);
  g_mutex_unlock (&self->lock);

  if (texture != NULL)
    present (self, texture, pts);

  return G_SOURCE_CONTINUE;
}

static gboolean
wake_dispatch (GSource     *source,
               GSourceFunc  callback,
               gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs wake_funcs = {
  NULL, NULL, wake_dispatch, NULL, NULL, NULL
};

static void
reel_video_paintable_dispose (GObject *object)
{
  ReelVideoPaintable *self = REEL_VIDEO_PAINTABLE (object);

  g_mutex_lock (&self->lock);
  if (self->wake != NULL)
    {
      g_source_destroy (self->wake);
      g_clear_pointer (&self->wake, g_source_unref);
    }
  self->scheduled = FALSE;
  g_clear_object (&self->pending);
  g_mutex_unlock (&self->lock);

  g_clear_object (&self->texture);

  G_OBJECT_CLASS (reel_video_paintable_parent_class)->dispose (object);
}

static void
reel_video_paintable_finalize (GObject *object)
{
  ReelVideoPaintable *self = REEL_VIDEO_PAINTABLE (object);

  g_mutex_clear (&self->lock);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (reel_video_paintable_parent_class)->finalize (object);
}

static void
reel_video_paintable_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ReelVideoPaintable *self = REEL_VIDEO_PAINTABLE (object);

  switch (prop_id)
    {
    case PROP_TEXTURE:
      g_value_set_object (value, self->texture);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_video_paintable_class_init (ReelVideoPaintableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = reel_video_paintable_dispose;
  object_class->finalize = reel_video_paintable_finalize;
  object_class->get_property = reel_video_paintable_get_property;

  /**
   * ReelVideoPaintable:texture:
   *
   * The frame on screen, or %NULL before the first one.
   */
  properties[PROP_TEXTURE] =
    g_param_spec_object ("texture", NULL, NULL,
                         GDK_TYPE_TEXTURE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
reel_video_paintable_init (ReelVideoPaintable *self)
{
  g_mutex_init (&self->lock);
  self->context = g_main_context_ref_thread_default ();
  self->pts = GST_CLOCK_TIME_NONE;
  self->pending_pts = GST_CLOCK_TIME_NONE;
}

/**
 * reel_video_paintable_new:
 *
 * Creates a paintable that shows frames pushed from any thread. It presents them on the
 * main context of the thread that created it.
 *
 * Returns: (transfer full): a new #ReelVideoPaintable
 */
ReelVideoPaintable *
reel_video_paintable_new (void)
{
  return g_object_new (REEL_TYPE_VIDEO_PAINTABLE, NULL);
}

/**
 * reel_video_paintable_push_frame:
 * @self: a #ReelVideoPaintable
 * @texture: the new frame
 * @pts: its presentation time, or %GST_CLOCK_TIME_NONE
 *
 * Thread-safe. Keeps @texture as the newest frame and makes sure one wake-up of the main
 * context will present it. A frame still waiting from an earlier call is dropped.
 */
void
reel_video_paintable_push_frame (ReelVideoPaintable *self,
                                 GdkTexture         *texture,
                                 GstClockTime        pts)
{
  g_return_if_fail (REEL_IS_VIDEO_PAINTABLE (self));
  g_return_if_fail (GDK_IS_TEXTURE (texture));

  g_mutex_lock (&self->lock);

  if (self->pending != NULL)
    self->n_dropped++;
  g_set_object (&self->pending, texture);
  self->pending_pts = pts;

  if (self->wake == NULL)
    {
      self->wake = g_source_new (&wake_funcs, sizeof (GSource));
      /* At the default priority, not an idle one: the frame is in place before the next
       * paint, and a main loop that always has some other default-priority source ready
       * (a short timeout on a slow machine) cannot hold frames back for ever. */
      g_source_set_priority (self->wake, G_PRIORITY_DEFAULT);
      g_source_set_callback (self->wake, swap_in_pending, self, NULL);
      g_source_set_static_name (self->wake, "[storyreel] present video frame");
      g_source_set_ready_time (self->wake, -1);
      g_source_attach (self->wake, self->context);
    }
  if (!self->scheduled)
    {
      self->scheduled = TRUE;
      g_source_set_ready_time (self->wake, 0);
    }

  g_mutex_unlock (&self->lock);
}

/**
 * reel_video_paintable_set_texture:
 * @self: a #ReelVideoPaintable
 * @texture: (nullable): an image to show now
 *
 * Main thread only. Shows @texture at once (a still, or a frame composited on the main
 * thread) and drops any frame still waiting in the slot.
 */
void
reel_video_paintable_set_texture (ReelVideoPaintable *self,
                                  GdkTexture         *texture)
{
  g_return_if_fail (REEL_IS_VIDEO_PAINTABLE (self));
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  g_mutex_lock (&self->lock);
  if (self->pending != NULL)
    {
      g_clear_object (&self->pending);
      self->n_dropped++;
    }
  g_mutex_unlock (&self->lock);

  present (self, texture, GST_CLOCK_TIME_NONE);
}

/**
 * reel_video_paintable_clear:
 * @self: a #ReelVideoPaintable
 *
 * Main thread only. Shows nothing and forgets any pending frame.
 */
void
reel_video_paintable_clear (ReelVideoPaintable *self)
{
  g_return_if_fail (REEL_IS_VIDEO_PAINTABLE (self));

  g_mutex_lock (&self->lock);
  g_clear_object (&self->pending);
  g_mutex_unlock (&self->lock);

  if (self->texture != NULL)
    present (self, NULL, GST_CLOCK_TIME_NONE);
}

/**
 * reel_video_paintable_get_texture:
 * @self: a #ReelVideoPaintable
 *
 * Returns: (transfer none) (nullable): the frame on screen
 */
GdkTexture *
reel_video_paintable_get_texture (ReelVideoPaintable *self)
{
  g_return_val_if_fail (REEL_IS_VIDEO_PAINTABLE (self), NULL);

  return self->texture;
}

/**
 * reel_video_paintable_get_pts:
 * @self: a #ReelVideoPaintable
 *
 * Returns: the presentation time of the frame on screen, or %GST_CLOCK_TIME_NONE
 */
GstClockTime
reel_video_paintable_get_pts (ReelVideoPaintable *self)
{
  g_return_val_if_fail (REEL_IS_VIDEO_PAINTABLE (self), GST_CLOCK_TIME_NONE);

  return self->pts;
}

/**
 * reel_video_paintable_get_n_presented:
 * @self: a #ReelVideoPaintable
 *
 * Returns: how many frames were put on screen
 */
guint64
reel_video_paintable_get_n_presented (ReelVideoPaintable *self)
{
  g_return_val_if_fail (REEL_IS_VIDEO_PAINTABLE (self), 0);

  return self->n_presented;
}

/**
 * reel_video_paintable_get_n_dropped:
 * @self: a #ReelVideoPaintable
 *
 * Returns: how many frames were replaced by a newer one before they could be shown
 */
guint64
reel_video_paintable_get_n_dropped (ReelVideoPaintable *self)
{
  guint64 n_dropped;

  g_return_val_if_fail (REEL_IS_VIDEO_PAINTABLE (self), 0);

  g_mutex_lock (&self->lock);
  n_dropped = self->n_dropped;
  g_mutex_unlock (&self->lock);

  return n_dropped;
}
