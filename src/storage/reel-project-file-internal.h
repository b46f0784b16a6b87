/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>
#include <sys/types.h>

#include "reel-project-file-private.h"

G_BEGIN_DECLS

/*
 * What the parts of reel-project-file.c share: the state a save remembers of a file
 * (reel-project-file.c), the checks and errors (reel-project-file-check.c) and the loader
 * (reel-project-file-load.c). Not for other files.
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

G_END_DECLS
