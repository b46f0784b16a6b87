/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/reel-plate.h"

G_BEGIN_DECLS

/* How far Relink looks below the project's folder. */
#define REEL_PLATE_SEARCH_MAX_DEPTH   8
#define REEL_PLATE_SEARCH_MAX_ENTRIES 50000

void       reel_plate_link_async     (GFile               *media,
                                      GFile               *project_file,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
ReelPlate *reel_plate_link_finish    (GAsyncResult        *result,
                                      GError             **error);

void       reel_plate_relink_async   (ReelPlate           *plate,
                                      GFile               *search_root,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
GFile     *reel_plate_relink_finish  (GAsyncResult        *result,
                                      GError             **error);

GFile     *reel_plate_search         (GFile               *search_root,
                                      const char          *name,
                                      gint64               size,
                                      const char          *hash,
                                      GCancellable        *cancellable,
                                      GError             **error);

G_END_DECLS
