/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdarg.h>

#include <sqlite3.h>
#include <sys/types.h>

#include "reel-project-file-private.h"

G_BEGIN_DECLS

/*
 * What the parts of the project file's code share: the state a save remembers of a file
 * and the save itself (reel-project-file.c), the checks and errors
 * (reel-project-file-check.c), the loader (reel-project-file-load.c), the snapshot a save
 * takes (reel-project-file-snapshot.c) and the writer of its rows
 * (reel-project-file-writer.c). Not for other files.
 */

typedef struct
{
  dev_t dev;
  ino_t ino;
  off_t size;
  gint64 mtime_ns;
} FileIdentity;

typedef struct
{
  gint64 key;
  gint64 scene_key;
  guint position;
  ReelSketch *sketch;  /* as written (shares the immutable strokes), or NULL when not
                        * known: then a change rewrites the shot's whole sketch */
} ShotState;

typedef struct
{
  gint64 key;
  guint position;
} SceneState;

typedef struct
{
  gatomicrefcount ref_count;
  char *path;
  guint64 stamp;
  guint64 sequence;
  char *token;
  FileIdentity identity;
  gboolean complete;      /* FALSE: an older format that the next save rewrites whole */
  GHashTable *shots;      /* uuid → ShotState */
  GHashTable *scenes;     /* uuid → SceneState */
  GHashTable *assets;     /* hash → ReelAsset */
  GHashTable *extra_meta; /* meta rows written for the caller (autosave), or NULL */
  gint64 next_shot_key;
  gint64 next_scene_key;
  gint64 next_asset_position;
} SavedState;

typedef struct
{
  GFile *file;            /* the document */
  GHashTable *states;     /* path → SavedState */
  guint64 next_sequence;
} ProjectFileData;

typedef struct
{
  gint64 key;
  guint position;
  gboolean write;  /* the row's fields */
  gboolean moved;
  char *number;
  char *int_ext;
  char *location;
  char *time_of_day;
  char *synopsis;
  char *uuid;
  GBytes *set_data;
} SceneSnap;

typedef struct
{
  gint64 key;
  gint64 scene_key;
  guint position;
  gboolean moved;
  ReelShot *content;      /* a private copy to write, or NULL when the row is current */
  ReelSketch *old_sketch; /* what the file holds, to write only the difference; or NULL */
  gboolean known;         /* the file has rows of this shot */
} ShotSnap;

typedef struct
{
  GFile *file;
  char *path;
  guint flags;
  gboolean full;
  SavedState *base;       /* what the file holds (NULL when writing it whole) */
  SavedState *pending;    /* what it will hold */
  guint64 stamp;
  char *token;

  gboolean write_project;
  char *title;
  ReelFrameRate rate;
  double aspect;
  char *sensor;
  char *look_phrase;
  char *look_image;
  GStrv metadata_keys;
  GPtrArray *metadata_values;

  GPtrArray *scenes;            /* SceneSnap */
  GPtrArray *shots;             /* ShotSnap */
  GArray *deleted_scenes;       /* gint64 keys */
  GArray *deleted_shots;        /* gint64 keys */
  GPtrArray *new_assets;        /* ReelAsset */
  GArray *new_asset_positions;  /* gint64 */
  GPtrArray *deleted_assets;    /* hash strings */
  GPtrArray *regenerated_assets; /* ReelAsset the file holds, with other generation records */
  GPtrArray *assets;            /* every ReelAsset of the project, until compared */
  GHashTable *extra_meta;

  /* REEL_PROJECT_FILE_SAVE_REFER_ASSETS: the document whose assets the file names
   * instead of copying them (NULL: every asset is copied), and what the document holds
   * as far as this process knows (nullable). With @seed the new file starts as a copy
   * of the document's rows, @base being the document's state. */
  char *document_path;
  SavedState *document_state;
  gboolean seed;

  /* Plates whose path the save made relative to the new location. */
  GPtrArray *plate_updates;     /* PlateUpdate */

  /* Results. */
  gboolean retry_full;
  gboolean document_changed;  /* the document is not what @document_state says */
  FileIdentity identity;
} SaveJob;

typedef struct
{
  ReelPlate *plate;  /* the live plate */
  char *old_path;
  char *new_path;
} PlateUpdate;

typedef struct
{
  sqlite3 *db;
  GFile *file;
  sqlite3_stmt *insert_shot;
  sqlite3_stmt *move_shot;
  sqlite3_stmt *delete_shot_assets;
  sqlite3_stmt *insert_shot_asset;
  sqlite3_stmt *delete_plate;
  sqlite3_stmt *insert_plate;
  sqlite3_stmt *delete_layers;
  sqlite3_stmt *insert_layer;
  sqlite3_stmt *update_layer;
  sqlite3_stmt *delete_strokes;
  sqlite3_stmt *delete_layer_strokes_from;
  sqlite3_stmt *insert_stroke;
} Writer;

/* Internal: a whole new file, not one that starts as a copy of the document. */
#define SAVE_NO_SEED (1u << 30)

/* The oldest format read in place; older ones are upgraded in memory first. */
#define LAZY_READ_VERSION 3

typedef struct PageCheck PageCheck;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* reel-project-file.c */
SavedState *saved_state_new (const char *path);
SavedState *saved_state_ref (SavedState *state);
void saved_state_unref (SavedState *state);
void install_state (ReelProject *project,
                    SavedState  *state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SavedState, saved_state_unref)
ProjectFileData *get_file_data (ReelProject *project,
                                gboolean     create);

/* reel-project-file-check.c */
char *dup_display_name (GFile *file);
void set_errno_error (GError     **error,
                      GFile       *file,
                      int          saved_errno,
                      gboolean     writing);
void set_corrupt_error (GError **error,
                        GFile   *file);
char *dup_local_path (GFile   *file,
                      GError **error);
gboolean get_identity (const char   *path,
                       FileIdentity *identity);
gboolean identity_equal (const FileIdentity *a,
                         const FileIdentity *b);
gboolean check_header (const char  *path,
                       GFile       *file,
                       GError     **error);
void recover_hot_journal (const char *path);
gboolean exec_sql (sqlite3     *db,
                   const char  *sql,
                   GFile       *file,
                   gboolean     writing,
                   GError     **error);
sqlite3_stmt *prepare (sqlite3     *db,
                       const char  *sql,
                       GFile       *file,
                       gboolean     writing,
                       GError     **error);
/* Binds the values after @types to @stmt's parameters, from the first, one letter each:
 * 't' text (const char *, NULL binds NULL), 'i' int, 'l' gint64, 'd' double, 'b' a blob
 * (gconstpointer, gsize). Nothing is copied: the values must outlive the step. */
void bind_values_va (sqlite3_stmt *stmt,
                     const char   *types,
                     va_list       args);
void bind_values (sqlite3_stmt *stmt,
                  const char   *types,
                  ...);
/* Prepares @sql, binds the values after @types (as bind_values()), steps once: the first
 * column of the first row (transfer full), or NULL when there is none or it fails. */
char *query_text (sqlite3    *db,
                  const char *sql,
                  const char *types,
                  ...);
GHashTable *read_meta_table (sqlite3  *db,
                             GFile    *file,
                             GError  **error);
gboolean check_format_version (GHashTable  *meta,
                               GFile       *file,
                               int         *out_version,
                               GError     **error);
gboolean page_check_finish (PageCheck  *check,
                            GFile      *file,
                            GError    **error);
sqlite3 *open_for_reading (const char  *path,
                           GFile       *file,
                           GHashTable **out_meta,
                           int         *out_version,
                           PageCheck  **out_check,
                           GError     **error);

/* reel-project-file-load.c */
gboolean table_exists (sqlite3    *db,
                       const char *name);
extern const char document_assets_sql[];

/* reel-project-file-snapshot.c */
void save_job_free (SaveJob *job);
/* Shots copied ahead of a snapshot, between frames (see save_job_new()): live shot →
 * ShotCopy. */
typedef struct
{
  ReelShot *copy;
  guint64 revision;       /* the live shot's when it was copied */
} ShotCopy;

GHashTable *shot_copies_new (void);
/* The revision above which a save of @project to @path copies a shot (0: every shot). */
guint64 save_job_copy_since (ReelProject *project,
                             const char  *path,
                             guint        flags);
/* Copies the shots of @project changed since @since, from (*@scene, *@shot) on, until
 * @budget_us of wall time has passed (or, when @max_shots is not 0, that many shots
 * were copied); TRUE once every shot was visited. */
gboolean shot_copies_step (GHashTable  *copies,
                           ReelProject *project,
                           guint64      since,
                           guint       *scene,
                           guint       *shot,
                           gint64       budget_us,
                           guint        max_shots);
SaveJob *save_job_new (ReelProject *project,
                       GFile       *file,
                       const char  *path,
                       guint        flags,
                       GHashTable  *extra_meta,
                       gboolean     full,
                       GHashTable  *copies);
void save_job_diff_assets (SaveJob *job);
gboolean save_job_is_empty (SaveJob *job);
gboolean save_job_has_no_changes (SaveJob *job);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveJob, save_job_free)

/* reel-project-file-writer.c */
void writer_clear (Writer *writer);
gboolean write_job (Writer        *writer,
                    SaveJob       *job,
                    GCancellable  *cancellable,
                    GError       **error);

G_END_DECLS
