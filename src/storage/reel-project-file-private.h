/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "core/reel-project.h"
#include "core/reel-sketch.h"
#include "storage/reel-project-file.h"

G_BEGIN_DECLS

/* Internals shared by the storage files and their tests. */

/* Applies the migration steps after @from_version up to @to_version (0 = an empty
 * database) inside the caller's transaction; updates meta.format_version and the
 * user_version pragma. */
gboolean reel_project_schema_migrate       (sqlite3      *db,
                                            int           from_version,
                                            int           to_version,
                                            GError      **error);

/* A stroke's points as one compact blob: a one-byte encoding, the point count as a
 * varint, then either the raw little-endian floats or, usually smaller for real pen
 * strokes, zigzag varints of each float's bit pattern minus the previous point's.
 * Both are exact. Transfer full. */
GBytes  *reel_stroke_points_encode         (const ReelStrokePoint *points,
                                            guint                  n_points);
/* NULL (and no error set) when the blob is malformed. Transfer full. */
ReelStrokePoint *reel_stroke_points_decode (const guint8          *data,
                                            gsize                  size,
                                            guint                 *n_points);
/* The same into *@buffer (of *@capacity points), grown as needed: no allocation per
 * stroke when loading thousands. FALSE when the blob is malformed. */
gboolean reel_stroke_points_decode_into    (const guint8          *data,
                                            gsize                  size,
                                            ReelStrokePoint      **buffer,
                                            guint                 *capacity,
                                            guint                 *n_points);

typedef enum {
  /* Autosave: plate paths written as they are, relative to the document the recovery
   * file belongs to (not to the recovery file). */
  REEL_PROJECT_FILE_SAVE_KEEP_PLATES = 1 << 8,
  REEL_PROJECT_FILE_SAVE_PRIVATE = 1 << 9,          /* autosave: a new file gets mode 0600 */
  /* Autosave: the assets the project's document holds are not copied: the file names
   * them (table document_assets, meta REEL_PROJECT_FILE_META_ASSET_DOCUMENT) and a load
   * reads them from the document. Only new assets are copied. A file written this way
   * for the first time starts as a copy of the document's rows (without the media) and
   * takes only what changed since from the project. */
  REEL_PROJECT_FILE_SAVE_REFER_ASSETS = 1 << 10,
} ReelProjectFilePrivateFlags;

/* The meta row naming the file whose assets a recovery file refers to. */
#define REEL_PROJECT_FILE_META_ASSET_DOCUMENT "asset_document"

/* Like reel_project_file_load(), but the project stays modified: it holds work that
 * is not saved where it belongs (autosave recovery). Assets the file refers to in its
 * document (REEL_PROJECT_FILE_SAVE_REFER_ASSETS) are read from there, by hash, checked
 * when used; those the document no longer holds (deleted, replaced) are left out of
 * the project, and @missing (nullable) tells which, by the shots that used them
 * (REEL_STORAGE_ERROR_MISSING_MEDIA), while everything else is restored. */
ReelProject *reel_project_file_load_unsaved (GFile   *file,
                                             GError **missing,
                                             GError **error);

/* Which document a project belongs to, set by a load, a save, or a recovery. */
void     reel_project_file_set_file        (ReelProject  *project,
                                            GFile        *file);

/* Reads meta (key → value) of a Storyreel file without loading the project; checks
 * the file as a load would. Transfer full. */
GHashTable *reel_project_file_read_meta    (GFile        *file,
                                            GError      **error);

/* A save that also writes @extra_meta (key → value strings, nullable) into the
 * file's meta table: autosave records there which document a recovery file
 * belongs to. Finish the async one with reel_project_file_save_finish(). */
gboolean reel_project_file_save_with_meta  (ReelProject         *project,
                                            GFile               *file,
                                            guint                flags,
                                            GHashTable          *extra_meta,
                                            GCancellable        *cancellable,
                                            GError             **error);
void     reel_project_file_save_with_meta_async (ReelProject         *project,
                                                 GFile               *file,
                                                 guint                flags,
                                                 GHashTable          *extra_meta,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);

/* The steps of a whole-file save that happen outside SQLite: flush the temporary
 * file, rename it over the target, flush the folder. A power-loss test replaces
 * them to simulate a crash between any two; NULL restores the real ones. Not
 * thread-safe: set it before any save runs. */
typedef struct
{
  gboolean (*sync_file)      (const char *path);
  gboolean (*sync_directory) (const char *path);
  int      (*rename)         (const char *from,
                              const char *to);
} ReelProjectFileSystemOps;

void     reel_project_file_set_system_ops  (const ReelProjectFileSystemOps *ops);

/* The error for @file after SQLite said @rc on @db (nullable). */
void     reel_project_file_set_sqlite_error (GError     **error,
                                             GFile       *file,
                                             sqlite3     *db,
                                             int          rc,
                                             gboolean     writing);

/* Waits until the space a save of @file freed has gone back to the file system (see
 * "Giving space back" in reel-project-file.c); at once when nothing is being given
 * back. For tests and benchmarks: the application never waits for it. */
void     reel_project_file_wait_compacted   (GFile               *file);

/* What the main thread spent on asynchronous saves since the last call, per phase, the
 * longest of each (wall and the thread's CPU time, µs), then resets them: a slice of
 * the shot copies made between frames ahead of a big snapshot, the snapshot taken
 * before the worker starts, the completion when it is done (the new state installed),
 * the caller's callback, and freeing the snapshot. For benchmarks. */
typedef enum {
  REEL_PROJECT_FILE_PHASE_COPY_SLICE,
  REEL_PROJECT_FILE_PHASE_SNAPSHOT,
  REEL_PROJECT_FILE_PHASE_COMPLETE,
  REEL_PROJECT_FILE_PHASE_CALLBACK,
  REEL_PROJECT_FILE_PHASE_FREE,
  REEL_PROJECT_FILE_N_PHASES
} ReelProjectFilePhase;

typedef struct
{
  gint64 wall_us[REEL_PROJECT_FILE_N_PHASES];
  gint64 cpu_us[REEL_PROJECT_FILE_N_PHASES];
  guint count[REEL_PROJECT_FILE_N_PHASES];
} ReelProjectFilePhaseTimes;

void     reel_project_file_take_phase_times (ReelProjectFilePhaseTimes *times);
const char *reel_project_file_phase_name    (ReelProjectFilePhase       phase);

/* An asynchronous save of a project of many shots copies them between frames, a few
 * milliseconds at a time, before its snapshot. A test fixes the slices at @n_shots
 * copies each (0: by time again). Not thread-safe: set it before any save runs. */
void     reel_project_file_set_snapshot_slice (guint n_shots);

/* Lazy media (reel-asset-file-source.c): the assets of a project opened from @path read
 * their bytes from it, by hash, when they are used. */
#define REEL_TYPE_ASSET_FILE_SOURCE (reel_asset_file_source_get_type ())
G_DECLARE_FINAL_TYPE (ReelAssetFileSource, reel_asset_file_source, REEL, ASSET_FILE_SOURCE,
                      GObject)

ReelAssetFileSource *reel_asset_file_source_new      (GFile               *file,
                                                      const char          *path);
gboolean             reel_asset_file_source_has_path (ReelAssetFileSource *self,
                                                      const char          *path);

G_END_DECLS
