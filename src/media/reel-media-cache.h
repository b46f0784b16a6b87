/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/reel-asset.h"

G_BEGIN_DECLS

/*
 * The files Storyreel puts into the user's cache to play a shot (sketch plates, camera
 * moves, clips streamed out of a project in storyreel/media, clips given as bytes in
 * storyreel/clips): each folder is trimmed after a new file is written, least recently used first,
 * and never a file in use. A file's modification time is its last use (touched when it is
 * found again); a file is in use while a pipeline or a clip reader holds it, and for a
 * grace period after its last use (another window, or a process, may be opening it).
 */

/* Per folder: a few minutes of 1080p sketch plates or camera moves. */
#define REEL_MEDIA_CACHE_MAX_BYTES (G_GUINT64_CONSTANT (512) * 1024 * 1024)
#define REEL_MEDIA_CACHE_MAX_AGE   (30 * G_TIME_SPAN_DAY)
#define REEL_MEDIA_CACHE_GRACE     (10 * G_TIME_SPAN_MINUTE)
/* A file still being written (“….partial”) is another writer's, maybe in another process;
 * it is removed only when it is this old, left behind by a writer that died. */
#define REEL_MEDIA_CACHE_STALE_PARTIAL G_TIME_SPAN_DAY

void      reel_media_cache_hold       (GFile       *file);
void      reel_media_cache_release    (GFile       *file);
gboolean  reel_media_cache_is_held    (GFile       *file);

void      reel_media_cache_touch      (GFile       *file);
gboolean  reel_media_cache_is_partial (const char  *name);

GFile    *reel_media_cache_dup_asset_file (ReelAsset     *asset,
                                           GCancellable  *cancellable,
                                           GError       **error);
guint     reel_media_cache_trim       (const char  *folder,
                                       guint64      max_bytes,
                                       GTimeSpan    max_age,
                                       GTimeSpan    grace);

G_END_DECLS
