/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/reel-project.h"
#include "storage/reel-storage-error.h"

G_BEGIN_DECLS

/*
 * A project from a Final Draft screenplay (.fdx), built by the rules of Fountain import
 * (reel-fountain.h): scene headings with their numbers (the Number attribute), action,
 * characters, dialogue, parentheticals and transitions; "Shot", "General" and paragraph
 * types it does not know are kept as action. Text split over several <Text> runs is joined.
 * The title page gives the title, credit, author and contact.
 *
 * The file is read as data, never trusted: no DTD, no entity but XML's five, at most
 * REEL_FDX_MAX_SIZE bytes. Anything else (too large included) is
 * REEL_STORAGE_ERROR_INVALID_SCRIPT, and no project at all.
 */

#define REEL_FDX_MAX_SIZE (64 * 1024 * 1024)

/* Transfer full; the project is untitled (no file) and not modified. */
ReelProject *reel_fdx_import           (GFile               *file,
                                        GError             **error);
/* @length -1 for NUL-terminated @data; @name (nullable) names the file in errors. */
ReelProject *reel_fdx_import_from_data (const char          *data,
                                        gssize               length,
                                        const char          *name,
                                        GError             **error);
/* reel_fdx_import() off the main thread. */
void         reel_fdx_import_async     (GFile               *file,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
ReelProject *reel_fdx_import_finish    (GAsyncResult        *result,
                                        GError             **error);
/* Whether @file is named or looks like a Final Draft script rather than Fountain. */
gboolean     reel_fdx_is_fdx_file      (GFile               *file);

G_END_DECLS
