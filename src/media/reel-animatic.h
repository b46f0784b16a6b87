/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "reel-ges.h"
#include <gio/gio.h>

#include "core/reel-project.h"

G_BEGIN_DECLS

/**
 * ReelAnimaticFormat:
 * @REEL_ANIMATIC_FORMAT_MP4: H.264 and AAC in MP4
 * @REEL_ANIMATIC_FORMAT_WEBM: VP9 and Opus in WebM
 * @REEL_ANIMATIC_FORMAT_PRORES: Apple ProRes 422 Proxy and 16-bit PCM in QuickTime (.mov),
 *   for editors: DaVinci Resolve's free edition on Linux reads it, not H.264 or AAC
 */
typedef enum {
  REEL_ANIMATIC_FORMAT_MP4,
  REEL_ANIMATIC_FORMAT_WEBM,
  REEL_ANIMATIC_FORMAT_PRORES,
} ReelAnimaticFormat;

/* The long side of the picture, in pixels, unless set otherwise. */
#define REEL_ANIMATIC_DEFAULT_SIZE 1280

/* The sound track's sample rate (stereo), in Hz. */
#define REEL_ANIMATIC_AUDIO_RATE 48000

/**
 * ReelAnimaticProgressFunc:
 * @fraction: 0 to 1
 * @user_data: closure
 */
typedef void (*ReelAnimaticProgressFunc) (double   fraction,
                                          gpointer user_data);

#define REEL_TYPE_ANIMATIC (reel_animatic_get_type ())

G_DECLARE_FINAL_TYPE (ReelAnimatic, reel_animatic, REEL, ANIMATIC, GObject)

ReelAnimatic  *reel_animatic_new               (ReelProject              *project,
                                                ReelScene                *scene,
                                                GFile                    *project_file);
ReelAnimatic  *reel_animatic_new_for_shots     (ReelProject              *project,
                                                ReelShot * const         *shots,
                                                guint                     n_shots,
                                                GFile                    *project_file);

void           reel_animatic_set_captions      (ReelAnimatic             *self,
                                                gboolean                  captions);
void           reel_animatic_set_size          (ReelAnimatic             *self,
                                                int                       long_side);
void           reel_animatic_get_frame_size    (ReelAnimatic             *self,
                                                int                      *width,
                                                int                      *height);
ReelFrameRate  reel_animatic_get_frame_rate    (ReelAnimatic             *self);
gint64         reel_animatic_get_duration      (ReelAnimatic             *self);
guint          reel_animatic_get_n_shots       (ReelAnimatic             *self);
ReelShot      *reel_animatic_get_shot          (ReelAnimatic             *self,
                                                guint                     index);
gint64         reel_animatic_get_shot_start    (ReelAnimatic             *self,
                                                guint                     index);
guint          reel_animatic_find_shot_at      (ReelAnimatic             *self,
                                                gint64                    frame);

gboolean       reel_animatic_prepare           (ReelAnimatic             *self,
                                                GCancellable             *cancellable,
                                                GError                  **error);
gboolean       reel_animatic_build             (ReelAnimatic             *self,
                                                GCancellable             *cancellable,
                                                GError                  **error);
GESTimeline   *reel_animatic_get_timeline      (ReelAnimatic             *self);

gboolean       reel_animatic_render            (ReelAnimatic             *self,
                                                ReelAnimaticFormat        format,
                                                GFile                    *output,
                                                ReelAnimaticProgressFunc  progress,
                                                gpointer                  progress_data,
                                                GCancellable             *cancellable,
                                                GError                  **error);

void           reel_animatic_render_async      (ReelProject              *project,
                                                ReelScene                *scene,
                                                GFile                    *project_file,
                                                ReelAnimaticFormat        format,
                                                GFile                    *output,
                                                ReelAnimaticProgressFunc  progress,
                                                gpointer                  progress_data,
                                                GDestroyNotify            progress_destroy,
                                                GCancellable             *cancellable,
                                                GAsyncReadyCallback       callback,
                                                gpointer                  user_data);
gboolean       reel_animatic_render_finish     (GAsyncResult             *result,
                                                GError                  **error);

const char    *reel_animatic_format_get_extension (ReelAnimaticFormat     format);

G_END_DECLS
