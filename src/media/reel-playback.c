/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-playback"

#include "config.h"

#include "reel-playback.h"

G_DEFINE_INTERFACE (ReelPlayback, reel_playback, G_TYPE_OBJECT)

static void
reel_playback_default_init (ReelPlaybackInterface *iface)
{
}

void
reel_playback_play (ReelPlayback *self)
{
  g_return_if_fail (REEL_IS_PLAYBACK (self));

  REEL_PLAYBACK_GET_IFACE (self)->play (self);
}

void
reel_playback_pause (ReelPlayback *self)
{
  g_return_if_fail (REEL_IS_PLAYBACK (self));

  REEL_PLAYBACK_GET_IFACE (self)->pause (self);
}

/**
 * reel_playback_toggle:
 * @self: a #ReelPlayback
 *
 * The play/pause button and the space bar. At the end of a reel that does not loop, playing
 * starts again from the first frame, as a player does.
 */
void
reel_playback_toggle (ReelPlayback *self)
{
  g_return_if_fail (REEL_IS_PLAYBACK (self));

  if (reel_playback_get_playing (self))
    {
      reel_playback_pause (self);
      return;
    }
  if (reel_playback_get_at_end (self))
    reel_playback_seek_frame (self, 0);
  reel_playback_play (self);
}

gboolean
reel_playback_get_playing (ReelPlayback *self)
{
  g_return_val_if_fail (REEL_IS_PLAYBACK (self), FALSE);

  return REEL_PLAYBACK_GET_IFACE (self)->get_playing (self);
}

void
reel_playback_seek_frame (ReelPlayback *self,
                          gint64        frame)
{
  g_return_if_fail (REEL_IS_PLAYBACK (self));

  REEL_PLAYBACK_GET_IFACE (self)->seek_frame (self, frame);
}

void
reel_playback_step (ReelPlayback *self,
                    int           frames)
{
  g_return_if_fail (REEL_IS_PLAYBACK (self));

  REEL_PLAYBACK_GET_IFACE (self)->step (self, frames);
}

gint64
reel_playback_get_position (ReelPlayback *self)
{
  g_return_val_if_fail (REEL_IS_PLAYBACK (self), 0);

  return REEL_PLAYBACK_GET_IFACE (self)->get_position (self);
}

gint64
reel_playback_get_duration (ReelPlayback *self)
{
  g_return_val_if_fail (REEL_IS_PLAYBACK (self), 0);

  return REEL_PLAYBACK_GET_IFACE (self)->get_duration (self);
}

void
reel_playback_set_loop (ReelPlayback *self,
                        gboolean      loop)
{
  g_return_if_fail (REEL_IS_PLAYBACK (self));

  REEL_PLAYBACK_GET_IFACE (self)->set_loop (self, loop);
}

gboolean
reel_playback_get_loop (ReelPlayback *self)
{
  g_return_val_if_fail (REEL_IS_PLAYBACK (self), FALSE);

  return REEL_PLAYBACK_GET_IFACE (self)->get_loop (self);
}

gboolean
reel_playback_get_at_end (ReelPlayback *self)
{
  gint64 duration;

  g_return_val_if_fail (REEL_IS_PLAYBACK (self), FALSE);

  duration = reel_playback_get_duration (self);
  return duration > 0 && !reel_playback_get_playing (self) && !reel_playback_get_loop (self)
         && reel_playback_get_position (self) >= duration - 1;
}

ReelPlaybackState
reel_playback_get_state (ReelPlayback *self)
{
  g_return_val_if_fail (REEL_IS_PLAYBACK (self), REEL_PLAYBACK_STATE_EMPTY);

  if (reel_playback_get_duration (self) <= 0)
    return REEL_PLAYBACK_STATE_EMPTY;
  if (reel_playback_get_playing (self))
    return REEL_PLAYBACK_STATE_PLAYING;
  if (reel_playback_get_at_end (self))
    return REEL_PLAYBACK_STATE_ENDED;
  return REEL_PLAYBACK_STATE_PAUSED;
}
