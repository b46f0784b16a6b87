/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/reel-project.h"
#include "storage/reel-storage-error.h"

G_BEGIN_DECLS

/*
 * The .storyreel file: a SQLite database ("application file format"), one
 * transaction per save.
 *
 * - Loading checks the file before trusting it (empty, truncated, not a database,
 *   another program's database, a newer format, a damaged page) and fails with a
 *   REEL_STORAGE_ERROR naming the file. Older formats are upgraded in memory; the
 *   file itself is only rewritten by the next save.
 * - Saving to the file a project was loaded from or last saved to writes only what
 *   changed since (the model's revision stamps), in place, in one transaction: a
 *   crash leaves the old or the new version. Saving an unchanged project does not
 *   even open the file. Any other save writes a temporary file in the target folder
 *   and renames it over the target.
 * - A save never replaces a file it could not read as a Storyreel project of this
 *   version or older (another program's database, a newer format, a damaged file):
 *   REEL_STORAGE_ERROR_EXISTS.
 * - Plate paths are stored relative to the project file; a save to another folder
 *   rewrites them so the footage is still found.
 *
 * The blocking functions may be called from any thread as long as nothing uses the
 * project meanwhile; the _async variants take what they need from the project on
 * the calling thread and do all I/O on a worker thread.
 */

#define REEL_PROJECT_FILE_EXTENSION      ".storyreel"
#define REEL_PROJECT_FILE_MIME_TYPE      "application/x-storyreel"
/* The SQLite application_id pragma of every Storyreel file ("Reel"). */
#define REEL_PROJECT_FILE_APPLICATION_ID 0x5265656C
/* The format written by this version. */
#define REEL_PROJECT_FILE_FORMAT_VERSION 4

/**
 * ReelProjectFileSaveFlags:
 * @REEL_PROJECT_FILE_SAVE_DEFAULT: a document save: the project belongs to the
 *   file from now on and is marked as saved
 * @REEL_PROJECT_FILE_SAVE_COPY: write a copy; the project keeps its file and its
 *   modified state ("Save a Copy", autosave)
 */
typedef enum {
  REEL_PROJECT_FILE_SAVE_DEFAULT = 0,
  REEL_PROJECT_FILE_SAVE_COPY = 1 << 0,
} ReelProjectFileSaveFlags;

/* Transfer full. The project is not modified and its history is empty. */
ReelProject *reel_project_file_load         (GFile                    *file,
                                             GCancellable             *cancellable,
                                             GError                  **error);
void         reel_project_file_load_async   (GFile                    *file,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data);
ReelProject *reel_project_file_load_finish  (GAsyncResult             *result,
                                             GError                  **error);

gboolean     reel_project_file_save         (ReelProject              *project,
                                             GFile                    *file,
                                             GCancellable             *cancellable,
                                             GError                  **error);
gboolean     reel_project_file_save_full    (ReelProject              *project,
                                             GFile                    *file,
                                             ReelProjectFileSaveFlags  flags,
                                             GCancellable             *cancellable,
                                             GError                  **error);
void         reel_project_file_save_async   (ReelProject              *project,
                                             GFile                    *file,
                                             ReelProjectFileSaveFlags  flags,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data);
gboolean     reel_project_file_save_finish  (ReelProject              *project,
                                             GAsyncResult             *result,
                                             GError                  **error);

/* The document of @project: the file it was loaded from or last saved to (not
 * copies), or NULL for an untitled project. Transfer none. */
GFile       *reel_project_file_get_file     (ReelProject              *project);

G_END_DECLS
