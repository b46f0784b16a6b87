/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-animatic-player"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-animatic.h"
#include "reel-animatic-player.h"
#include "reel-media-error.h"
#include "reel-video-sink.h"

/* Sequence playback in the Preview view: the animatic's timeline played by a GES pipeline
 * into the same kind of paintable as the shot preview. The panels are drawn on a worker
 * thread from a copy of the project; the timeline is laid out and played on the main
 * thread, to which GES binds it. */

#define PREVIEW_SIZE 960

struct _ReelAnimaticPlayer
{
  GObject parent_instance;

  ReelVideoPaintable *paintable;
  ReelAnimatic *animatic;
  GESPipeline *pipeline;
  GSource *bus_source;
  GTask *load_task;

  ReelFrameRate rate;
  gboolean playing;
  gboolean loop;
  gboolean at_end;
  gint64 position;
  gint64 duration;
  gint64 seek_target;   /* where a seek under way lands, or -1 */
  char *shot_id;
};

enum {
  PROP_0,
  PROP_PLAYING,
  PROP_POSITION,
  PROP_DURATION,
  PROP_LOOP,
  PROP_SHOT_ID,
  N_PROPS
};

enum {
  SIGNAL_ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void reel_animatic_player_playback_init (ReelPlaybackInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReelAnimaticPlayer, reel_animatic_player, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REEL_TYPE_PLAYBACK,
                                                      reel_animatic_player_playback_init))

static void
set_playing (ReelAnimaticPlayer *self,
             gboolean            playing)
{
  if (self->playing == playing)
    return;

  self->playing = playing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

static void
set_position (ReelAnimaticPlayer *self,
              gint64              position)
{
  const char *shot_id = NULL;

  if (self->animatic != NULL && reel_animatic_get_n_shots (self->animatic) > 0)
    shot_id = reel_shot_get_id (reel_animatic_get_shot (self->animatic,
                                  reel_animatic_find_shot_at (self->animatic, position)));

  if (position != self->position)
    {
      self->position = position;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
    }

  if (g_strcmp0 (shot_id, self->shot_id) != 0)
    {
      g_free (self->shot_id);
      self->shot_id = g_strdup (shot_id);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOT_ID]);
    }
}

static void
on_texture_changed (ReelVideoPaintable *paintable,
                    GParamSpec         *pspec,
                    ReelAnimaticPlayer *self)
{
  GstClockTime pts = reel_video_paintable_get_pts (paintable);

  /* Timeline frames start exactly on frame boundaries: the one containing pts. */
  /* The composition may close with a frame at its very end: that is the last frame. */
  if (GST_CLOCK_TIME_IS_VALID (pts))
    set_position (self, CLAMP (reel_timecode_ns_to_frames (pts, self->rate), 0,
                               MAX (self->duration - 1, 0)));
  if (self->position == self->seek_target)
    self->seek_target = -1;
}

static void
teardown (ReelAnimaticPlayer *self)
{
  if (self->bus_source != NULL)
    {
      g_source_destroy (self->bus_source);
      g_clear_pointer (&self->bus_source, g_source_unref);
    }
  if (self->pipeline != NULL)
    gst_element_set_state (GST_ELEMENT (self->pipeline), GST_STATE_NULL);
  gst_clear_object (&self->pipeline);
  g_clear_object (&self->animatic);
  set_playing (self, FALSE);
}

static void
finish_load (ReelAnimaticPlayer *self,
             GError             *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->load_task);

  if (task == NULL)
    {
      if (error != NULL)
        {
          g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
          g_error_free (error);
        }
      return;
    }

  if (error != NULL)
    {
      teardown (self);
      g_task_return_error (task, error);
    }
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  ReelAnimaticPlayer *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;

        gst_message_parse_error (message, &error, NULL);
        gst_element_set_state (GST_ELEMENT (self->pipeline), GST_STATE_PAUSED);
        set_playing (self, FALSE);
        finish_load (self, g_error_new (REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_PLAYBACK,
                                        _("The story reel cannot be played: %s"),
                                        error->message));
      }
      break;

    case GST_MESSAGE_ASYNC_DONE:
      if (self->load_task != NULL)
        finish_load (self, NULL);
      break;

    case GST_MESSAGE_EOS:
      if (self->loop)
        {
          gst_element_seek_simple (GST_ELEMENT (self->pipeline), GST_FORMAT_TIME,
                                   GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, 0);
        }
      else
        {
          gint64 last = MAX (self->duration - 1, 0);

          /* On a busy machine the sink drops late frames, and a short last shot may
           * never be drawn: show the last frame and put the playhead (and the current
           * shot) there, where the reel ended. */
          gst_element_set_state (GST_ELEMENT (self->pipeline), GST_STATE_PAUSED);
          if (self->position < last)
            gst_element_seek_simple (GST_ELEMENT (self->pipeline), GST_FORMAT_TIME,
                                     GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
                                     reel_timecode_frames_to_ns (last, self->rate));
          set_position (self, last);
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
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (reel_animatic_prepare (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
built (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  ReelAnimaticPlayer *self = REEL_ANIMATIC_PLAYER (object);
  ReelAnimatic *animatic = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstElement *sink, *audio_sink;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_object_unref (animatic);
      finish_load (self, g_steal_pointer (&error));
      return;
    }

  /* Replaced by a newer load meanwhile. */
  if (animatic != self->animatic || self->load_task == NULL)
    {
      g_object_unref (animatic);
      return;
    }
  g_object_unref (animatic);

  /* GES binds the timeline to the thread that makes it: this one, which plays it. */
  if (!reel_animatic_build (self->animatic, NULL, &error))
    {
      finish_load (self, g_steal_pointer (&error));
      return;
    }

  self->pipeline = ges_pipeline_new ();
  gst_object_ref_sink (self->pipeline);
  ges_pipeline_set_timeline (self->pipeline,
                             gst_object_ref (reel_animatic_get_timeline (self->animatic)));
  sink = reel_video_sink_new (self->paintable);
  ges_pipeline_preview_set_video_sink (self->pipeline, sink);
  /* The plates' sound plays with the reel, as it does in the rendered animatic. */
  audio_sink = gst_element_factory_make ("autoaudiosink", NULL);
  if (audio_sink != NULL)
    ges_pipeline_preview_set_audio_sink (self->pipeline, audio_sink);
  ges_pipeline_set_mode (self->pipeline, audio_sink != NULL ? GES_PIPELINE_MODE_PREVIEW
                                                            : GES_PIPELINE_MODE_PREVIEW_VIDEO);

  bus = gst_element_get_bus (GST_ELEMENT (self->pipeline));
  self->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_source, (GSourceFunc) on_bus_message, self, NULL);
  g_source_attach (self->bus_source, g_main_context_get_thread_default ());

  self->duration = reel_animatic_get_duration (self->animatic);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
  set_position (self, 0);

  if (gst_element_set_state (GST_ELEMENT (self->pipeline), GST_STATE_PAUSED)
      == GST_STATE_CHANGE_FAILURE)
    finish_load (self, g_error_new_literal (REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_PLAYBACK,
                                            _("The story reel cannot be played")));
}

/* ReelPlayback */

static void
playback_play (ReelPlayback *playback)
{
  reel_animatic_player_play (REEL_ANIMATIC_PLAYER (playback));
}

static void
playback_pause (ReelPlayback *playback)
{
  reel_animatic_player_pause (REEL_ANIMATIC_PLAYER (playback));
}

static gboolean
playback_get_playing (ReelPlayback *playback)
{
  return reel_animatic_player_get_playing (REEL_ANIMATIC_PLAYER (playback));
}

static void
playback_seek_frame (ReelPlayback *playback,
                     gint64        frame)
{
  reel_animatic_player_seek_frame (REEL_ANIMATIC_PLAYER (playback), frame);
}

static void
playback_step (ReelPlayback *playback,
               int           frames)
{
  reel_animatic_player_step (REEL_ANIMATIC_PLAYER (playback), frames);
}

static gint64
playback_get_position (ReelPlayback *playback)
{
  return reel_animatic_player_get_position (REEL_ANIMATIC_PLAYER (playback));
}

static gint64
playback_get_duration (ReelPlayback *playback)
{
  return reel_animatic_player_get_duration (REEL_ANIMATIC_PLAYER (playback));
}

static void
playback_set_loop (ReelPlayback *playback,
                   gboolean      loop)
{
  reel_animatic_player_set_loop (REEL_ANIMATIC_PLAYER (playback), loop);
}

static gboolean
playback_get_loop (ReelPlayback *playback)
{
  return reel_animatic_player_get_loop (REEL_ANIMATIC_PLAYER (playback));
}

static void
reel_animatic_player_playback_init (ReelPlaybackInterface *iface)
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
reel_animatic_player_dispose (GObject *object)
{
  ReelAnimaticPlayer *self = REEL_ANIMATIC_PLAYER (object);

  teardown (self);
  if (self->paintable != NULL)
    g_signal_handlers_disconnect_by_data (self->paintable, self);
  g_clear_object (&self->paintable);
  g_clear_pointer (&self->shot_id, g_free);

  G_OBJECT_CLASS (reel_animatic_player_parent_class)->dispose (object);
}

static void
reel_animatic_player_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ReelAnimaticPlayer *self = REEL_ANIMATIC_PLAYER (object);

  switch (prop_id)
    {
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
    case PROP_SHOT_ID:
      g_value_set_string (value, self->shot_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_animatic_player_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  ReelAnimaticPlayer *self = REEL_ANIMATIC_PLAYER (object);

  switch (prop_id)
    {
    case PROP_PLAYING:
      if (g_value_get_boolean (value))
        reel_animatic_player_play (self);
      else
        reel_animatic_player_pause (self);
      break;
    case PROP_POSITION:
      reel_animatic_player_seek_frame (self, g_value_get_int64 (value));
      break;
    case PROP_LOOP:
      reel_animatic_player_set_loop (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_animatic_player_class_init (ReelAnimaticPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = reel_animatic_player_dispose;
  object_class->get_property = reel_animatic_player_get_property;
  object_class->set_property = reel_animatic_player_set_property;

  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_POSITION] =
    g_param_spec_int64 ("position", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DURATION] =
    g_param_spec_int64 ("duration", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOOP] =
    g_param_spec_boolean ("loop", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * ReelAnimaticPlayer:shot-id:
   *
   * The id of the shot on screen, so the views can follow along.
   */
  properties[PROP_SHOT_ID] =
    g_param_spec_string ("shot-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
reel_animatic_player_init (ReelAnimaticPlayer *self)
{
  self->paintable = reel_video_paintable_new ();
  self->rate = REEL_FRAME_RATE_DEFAULT;
  self->seek_target = -1;
  g_signal_connect (self->paintable, "notify::texture", G_CALLBACK (on_texture_changed), self);
}

ReelAnimaticPlayer *
reel_animatic_player_new (void)
{
  return g_object_new (REEL_TYPE_ANIMATIC_PLAYER, NULL);
}

/**
 * reel_animatic_player_get_paintable:
 * @self: a #ReelAnimaticPlayer
 *
 * Returns: (transfer none): where the reel plays
 */
ReelVideoPaintable *
reel_animatic_player_get_paintable (ReelAnimaticPlayer *self)
{
  g_return_val_if_fail (REEL_IS_ANIMATIC_PLAYER (self), NULL);

  return self->paintable;
}

/**
 * reel_animatic_player_load_async:
 * @self: a #ReelAnimaticPlayer
 * @project: the project (copied now)
 * @scene: (nullable): a scene, or %NULL for the whole project
 * @project_file: (nullable): where it is saved, to find linked footage
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the first frame is ready
 * @user_data: data for @callback
 */
void
reel_animatic_player_load_async (ReelAnimaticPlayer  *self,
                                 ReelProject         *project,
                                 ReelScene           *scene,
                                 GFile               *project_file,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) build = NULL;

  g_return_if_fail (REEL_IS_ANIMATIC_PLAYER (self));
  g_return_if_fail (REEL_IS_PROJECT (project));

  reel_animatic_player_unload (self);

  self->load_task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->load_task, reel_animatic_player_load_async);

  self->animatic = reel_animatic_new (project, scene, project_file);
  reel_animatic_set_size (self->animatic, PREVIEW_SIZE);
  self->rate = reel_animatic_get_frame_rate (self->animatic);

  build = g_task_new (self, cancellable, built, g_object_ref (self->animatic));
  g_task_set_source_tag (build, build_thread);
  g_task_set_task_data (build, g_object_ref (self->animatic), g_object_unref);
  g_task_run_in_thread (build, build_thread);
}

/**
 * reel_animatic_player_load_finish:
 * @self: a #ReelAnimaticPlayer
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the reel is ready to play, paused on its first frame
 */
gboolean
reel_animatic_player_load_finish (ReelAnimaticPlayer  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * reel_animatic_player_unload:
 * @self: a #ReelAnimaticPlayer
 *
 * Stops and forgets the reel.
 */
void
reel_animatic_player_unload (ReelAnimaticPlayer *self)
{
  g_return_if_fail (REEL_IS_ANIMATIC_PLAYER (self));

  if (self->load_task != NULL)
    finish_load (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                            _("Playing the story reel was cancelled")));
  teardown (self);
  self->at_end = FALSE;
  self->seek_target = -1;
  reel_video_paintable_clear (self->paintable);
  if (self->duration != 0)
    {
      self->duration = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
    }
  set_position (self, 0);
}

void
reel_animatic_player_play (ReelAnimaticPlayer *self)
{
  g_return_if_fail (REEL_IS_ANIMATIC_PLAYER (self));

  if (self->pipeline == NULL || self->load_task != NULL)
    return;

  if (self->at_end)
    {
      self->at_end = FALSE;
      gst_element_seek_simple (GST_ELEMENT (self->pipeline), GST_FORMAT_TIME,
                               GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, 0);
    }
  self->seek_target = -1;
  gst_element_set_state (GST_ELEMENT (self->pipeline), GST_STATE_PLAYING);
  set_playing (self, TRUE);
}

void
reel_animatic_player_pause (ReelAnimaticPlayer *self)
{
  g_return_if_fail (REEL_IS_ANIMATIC_PLAYER (self));

  if (self->pipeline == NULL || self->load_task != NULL)
    return;

  gst_element_set_state (GST_ELEMENT (self->pipeline), GST_STATE_PAUSED);
  set_playing (self, FALSE);
}

gboolean
reel_animatic_player_get_playing (ReelAnimaticPlayer *self)
{
  g_return_val_if_fail (REEL_IS_ANIMATIC_PLAYER (self), FALSE);

  return self->playing;
}

/**
 * reel_animatic_player_seek_frame:
 * @self: a #ReelAnimaticPlayer
 * @frame: a frame of the reel at the project rate
 */
void
reel_animatic_player_seek_frame (ReelAnimaticPlayer *self,
                                 gint64              frame)
{
  g_return_if_fail (REEL_IS_ANIMATIC_PLAYER (self));

  if (self->pipeline == NULL || self->load_task != NULL)
    return;

  frame = CLAMP (frame, 0, MAX (self->duration - 1, 0));
  self->at_end = FALSE;
  self->seek_target = frame;
  gst_element_seek_simple (GST_ELEMENT (self->pipeline), GST_FORMAT_TIME,
                           GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
                           reel_timecode_frames_to_ns (frame, self->rate));
}

gint64
reel_animatic_player_get_position (ReelAnimaticPlayer *self)
{
  g_return_val_if_fail (REEL_IS_ANIMATIC_PLAYER (self), 0);

  return self->position;
}

/**
 * reel_animatic_player_step:
 * @self: a #ReelAnimaticPlayer
 * @frames: frames to move, negative for backwards
 *
 * Pauses and moves by @frames from where a seek under way will land, so quick presses all
 * count.
 */
void
reel_animatic_player_step (ReelAnimaticPlayer *self,
                           int                 frames)
{
  g_return_if_fail (REEL_IS_ANIMATIC_PLAYER (self));

  reel_animatic_player_pause (self);
  reel_animatic_player_seek_frame (self, (self->seek_target >= 0 ? self->seek_target
                                                                 : self->position) + frames);
}

gint64
reel_animatic_player_get_duration (ReelAnimaticPlayer *self)
{
  g_return_val_if_fail (REEL_IS_ANIMATIC_PLAYER (self), 0);

  return self->duration;
}

ReelFrameRate
reel_animatic_player_get_frame_rate (ReelAnimaticPlayer *self)
{
  g_return_val_if_fail (REEL_IS_ANIMATIC_PLAYER (self), REEL_FRAME_RATE_DEFAULT);

  return self->rate;
}

void
reel_animatic_player_set_loop (ReelAnimaticPlayer *self,
                               gboolean            loop)
{
  g_return_if_fail (REEL_IS_ANIMATIC_PLAYER (self));

  loop = !!loop;
  if (self->loop == loop)
    return;

  self->loop = loop;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOP]);
}

gboolean
reel_animatic_player_get_loop (ReelAnimaticPlayer *self)
{
  g_return_val_if_fail (REEL_IS_ANIMATIC_PLAYER (self), FALSE);

  return self->loop;
}

/**
 * reel_animatic_player_get_shot_id:
 * @self: a #ReelAnimaticPlayer
 *
 * Returns: (nullable): the id of the shot on screen
 */
const char *
reel_animatic_player_get_shot_id (ReelAnimaticPlayer *self)
{
  g_return_val_if_fail (REEL_IS_ANIMATIC_PLAYER (self), NULL);

  return self->shot_id;
}
