/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define REEL_TYPE_PLAYBACK (reel_playback_get_type ())

G_DECLARE_INTERFACE (ReelPlayback, reel_playback, REEL, PLAYBACK, GObject)

/*
 * ReelPlayback: what the transport drives, the same for a shot's plate (ReelPreviewPipeline)
 * and the whole reel (ReelAnimaticPlayer). Positions and durations are frames at the
 * project's rate. An implementation has the properties "playing" (boolean), "position" and
 * "duration" (gint64) and "loop" (boolean), notified when they change, so one handler
 * follows either.
 */

typedef enum {
  REEL_PLAYBACK_STATE_EMPTY,    /* nothing loaded */
  REEL_PLAYBACK_STATE_PAUSED,
  REEL_PLAYBACK_STATE_PLAYING,
  REEL_PLAYBACK_STATE_ENDED,    /* paused on the last frame, not looping */
} ReelPlaybackState;

struct _ReelPlaybackInterface
{
  GTypeInterface parent_iface;

  void     (*play)         (ReelPlayback *self);
  void     (*pause)        (ReelPlayback *self);
  gboolean (*get_playing)  (ReelPlayback *self);
  void     (*seek_frame)   (ReelPlayback *self,
                            gint64        frame);
  void     (*step)         (ReelPlayback *self,
                            int           frames);
  gint64   (*get_position) (ReelPlayback *self);
  gint64   (*get_duration) (ReelPlayback *self);
  void     (*set_loop)     (ReelPlayback *self,
                            gboolean      loop);
  gboolean (*get_loop)     (ReelPlayback *self);
};

void              reel_playback_play          (ReelPlayback *self);
void              reel_playback_pause         (ReelPlayback *self);
/* Plays when paused, pauses when playing; from the end (not looping) plays from the start. */
void              reel_playback_toggle        (ReelPlayback *self);
gboolean          reel_playback_get_playing   (ReelPlayback *self);
void              reel_playback_seek_frame    (ReelPlayback *self,
                                               gint64        frame);
void              reel_playback_step          (ReelPlayback *self,
                                               int           frames);
gint64            reel_playback_get_position  (ReelPlayback *self);
gint64            reel_playback_get_duration  (ReelPlayback *self);
void              reel_playback_set_loop      (ReelPlayback *self,
                                               gboolean      loop);
gboolean          reel_playback_get_loop      (ReelPlayback *self);
/* Paused on the last frame, not looping. */
gboolean          reel_playback_get_at_end    (ReelPlayback *self);
ReelPlaybackState reel_playback_get_state     (ReelPlayback *self);

G_END_DECLS
