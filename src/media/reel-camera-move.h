/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "core/reel-project.h"

G_BEGIN_DECLS

/*
 * ReelCameraMove: a shot's camera move as pictures, for the animatic and the Preview: the
 * gray-box of the scene's set drawn again at every pose of the move, or a still background
 * panned and zoomed with the camera. Made on the main thread from the project (it copies
 * what it needs), then drawn and encoded on any one thread.
 */
typedef struct _ReelCameraMove ReelCameraMove;

typedef enum {
  REEL_CAMERA_MOVE_MJPEG_AVI,  /* every frame a key frame: quick to seek, for playing */
  REEL_CAMERA_MOVE_VP8_WEBM,   /* small, for keeping in a project */
} ReelCameraMoveFormat;

gboolean        reel_camera_move_applies (ReelProject          *project,
                                          ReelShot             *shot);
ReelCameraMove *reel_camera_move_new    (ReelProject           *project,
                                         ReelShot              *shot,
                                         gboolean               with_sketch);
void            reel_camera_move_free   (ReelCameraMove        *self);

void            reel_camera_move_set_move_frames (ReelCameraMove *self,
                                                  gint64          move_frames);
gboolean        reel_camera_move_is_greybox (ReelCameraMove    *self);
void            reel_camera_move_draw   (ReelCameraMove        *self,
                                         cairo_t               *cr,
                                         int                    width,
                                         int                    height,
                                         double                 progress);
GFile          *reel_camera_move_write  (ReelCameraMove        *self,
                                         GFile                 *output,
                                         ReelCameraMoveFormat   format,
                                         int                    width,
                                         int                    height,
                                         gint64                 n_frames,
                                         int                    rate_numerator,
                                         int                    rate_denominator,
                                         GCancellable          *cancellable,
                                         GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelCameraMove, reel_camera_move_free)

G_END_DECLS
