/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/reel-project.h"
#include "reel-playback.h"
#include "reel-video-paintable.h"

G_BEGIN_DECLS

#define REEL_TYPE_ANIMATIC_PLAYER (reel_animatic_player_get_type ())

G_DECLARE_FINAL_TYPE (ReelAnimaticPlayer, reel_animatic_player, REEL, ANIMATIC_PLAYER, GObject)

ReelAnimaticPlayer *reel_animatic_player_new            (void);
ReelVideoPaintable *reel_animatic_player_get_paintable  (ReelAnimaticPlayer  *self);

void                reel_animatic_player_load_async     (ReelAnimaticPlayer  *self,
                                                         ReelProject         *project,
                                                         ReelScene           *scene,
                                                         GFile               *project_file,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean            reel_animatic_player_load_finish    (ReelAnimaticPlayer  *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
void                reel_animatic_player_unload         (ReelAnimaticPlayer  *self);

void                reel_animatic_player_play           (ReelAnimaticPlayer  *self);
void                reel_animatic_player_pause          (ReelAnimaticPlayer  *self);
gboolean            reel_animatic_player_get_playing    (ReelAnimaticPlayer  *self);
void                reel_animatic_player_seek_frame     (ReelAnimaticPlayer  *self,
                                                         gint64               frame);
gint64              reel_animatic_player_get_position   (ReelAnimaticPlayer  *self);
void                reel_animatic_player_step           (ReelAnimaticPlayer  *self,
                                                         int                  frames);
gint64              reel_animatic_player_get_duration   (ReelAnimaticPlayer  *self);
ReelFrameRate       reel_animatic_player_get_frame_rate (ReelAnimaticPlayer  *self);
void                reel_animatic_player_set_loop       (ReelAnimaticPlayer  *self,
                                                         gboolean             loop);
gboolean            reel_animatic_player_get_loop       (ReelAnimaticPlayer  *self);
const char         *reel_animatic_player_get_shot_id    (ReelAnimaticPlayer  *self);

G_END_DECLS
