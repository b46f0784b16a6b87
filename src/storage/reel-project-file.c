/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-storage"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "reel-project-file.h"
#include "reel-project-file-internal.h"
#include "reel-project-file-set.h"

/*
 * What a save needs to know about the file it writes to is remembered per project
 * and per file path (a SavedState): which scenes and shots the file holds under
 * which row keys and positions, the sketch each shot had when written, the assets
 * stored, and the revision stamp everything was taken at. Objects whose revision
 * is above the stamp have changed since and are the only ones written.
 *
 * A save first takes a snapshot on the calling thread (copies of the changed shots,
 * the fields of changed scenes and of the project), then writes it on any thread,
 * then installs the new SavedState back on the calling thread.
 */


static GQuark project_file_quark;

static void
shot_state_free (gpointer data)
{
  ShotState *state = data;

  g_clear_object (&state->sketch);
  g_free (state);
}

SavedState *
saved_state_new (const char *path)
{
  SavedState *state = g_new0 (SavedState, 1);

  g_atomic_ref_count_init (&state->ref_count);
  state->path = g_strdup (path);
  state->complete = TRUE;
  state->shots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, shot_state_free);
  state->scenes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  state->assets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  state->next_shot_key = 1;
  state->next_scene_key = 1;
  return state;
}

SavedState *
saved_state_ref (SavedState *state)
{
  g_atomic_ref_count_inc (&state->ref_count);
  return state;
}

void
saved_state_unref (SavedState *state)
{
  if (state == NULL || !g_atomic_ref_count_dec (&state->ref_count))
    return;

  g_free (state->path);
  g_free (state->token);
  g_hash_table_unref (state->shots);
  g_hash_table_unref (state->scenes);
  g_hash_table_unref (state->assets);
  g_clear_pointer (&state->extra_meta, g_hash_table_unref);
  g_free (state);
}


static void
project_file_data_free (gpointer data)
{
  ProjectFileData *file_data = data;

  g_clear_object (&file_data->file);
  g_clear_pointer (&file_data->states, g_hash_table_unref);
  g_free (file_data);
}

ProjectFileData *
get_file_data (ReelProject *project,
               gboolean     create)
{
  ProjectFileData *file_data;

  if (project_file_quark == 0)
    project_file_quark = g_quark_from_static_string ("reel-project-file");

  file_data = g_object_get_qdata (G_OBJECT (project), project_file_quark);
  if (file_data == NULL && create)
    {
      file_data = g_new0 (ProjectFileData, 1);
      file_data->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) saved_state_unref);
      file_data->next_sequence = 1;
      g_object_set_qdata_full (G_OBJECT (project), project_file_quark, file_data,
                               project_file_data_free);
    }

  return file_data;
}

GFile *
reel_project_file_get_file (ReelProject *project)
{
  ProjectFileData *file_data;

  g_return_val_if_fail (REEL_IS_PROJECT (project), NULL);

  file_data = get_file_data (project, FALSE);
  return file_data != NULL ? file_data->file : NULL;
}

void
reel_project_file_set_file (ReelProject *project,
                            GFile       *file)
{
  ProjectFileData *file_data = get_file_data (project, TRUE);

  g_set_object (&file_data->file, file);
}

void
install_state (ReelProject *project,
               SavedState  *state)
{
  ProjectFileData *file_data = get_file_data (project, TRUE);
  SavedState *current = g_hash_table_lookup (file_data->states, state->path);

  /* Two saves of the same file may finish out of order: keep the later one. */
  if (current != NULL && current->sequence > state->sequence)
    return;

  g_hash_table_replace (file_data->states, g_strdup (state->path), saved_state_ref (state));
}

/* Refuses to replace a file that is not a Storyreel project we can read: another
 * program's database, a newer format, a damaged or unrelated file. */
static gboolean
check_replaceable (const char  *path,
                   GFile       *file,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) meta = NULL;
  g_autofree char *name = NULL;
  struct stat st;
  sqlite3 *db = NULL;
  int version = 0;

  if (stat (path, &st) != 0 || (S_ISREG (st.st_mode) && st.st_size == 0))
    return TRUE;

  recover_hot_journal (path);

  if (check_header (path, file, &local_error) &&
      sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      (meta = read_meta_table (db, file, &local_error)) != NULL &&
      check_format_version (meta, file, &version, &local_error))
    {
      sqlite3_close (db);
      return TRUE;
    }
  sqlite3_close (db);

  name = dup_display_name (file);
  if (g_error_matches (local_error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_NEWER_VERSION))
    g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_EXISTS,
                 _("“%s” was made by a newer Storyreel; saving over it would lose what "
                   "this version cannot read. Save under another name."), name);
  else if (g_error_matches (local_error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_PERMISSION))
    set_errno_error (error, file, EACCES, TRUE);
  else
    g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_EXISTS,
                 _("“%s” exists and is not a Storyreel project this version can read, so "
                   "it was not replaced. Save under another name."), name);
  return FALSE;
}

static gboolean
fsync_path (const char *path,
            gboolean    directory)
{
  int fd = g_open (path, (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = fsync (fd) == 0;
  close (fd);
  return ok;
}

static gboolean
system_sync_file (const char *path)
{
  return fsync_path (path, FALSE);
}

static gboolean
system_sync_directory (const char *path)
{
  return fsync_path (path, TRUE);
}

static const ReelProjectFileSystemOps system_ops = {
  system_sync_file,
  system_sync_directory,
  g_rename,
};

/* The power-loss test replaces these to see every step that makes a save durable. */
static const ReelProjectFileSystemOps *fs_ops = &system_ops;

void
reel_project_file_set_system_ops (const ReelProjectFileSystemOps *ops)
{
  fs_ops = ops != NULL ? ops : &system_ops;
}

/* Temporary files of saves that were killed. A save holds a lock on its temporary
 * file until it is renamed, so one that can be locked belongs to nobody. */
static void
remove_stale_temporary_files (const char *dir,
                              const char *base)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autofree char *prefix = g_strconcat (".", base, ".", NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;
      int fd;

      if (!g_str_has_prefix (name, prefix) || !g_str_has_suffix (name, ".tmp"))
        continue;

      path = g_build_filename (dir, name, NULL);
      fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
      if (fd < 0)
        continue;
      if (flock (fd, LOCK_EX | LOCK_NB) == 0)
        {
          g_debug ("Removing %s, left by a save that did not finish", path);
          g_unlink (path);
        }
      close (fd);
    }
}

static gint64   pragma_int          (sqlite3            *db,
                                     const char         *sql);
static gboolean compaction_explains (const char         *path,
                                     const FileIdentity *saved,
                                     const FileIdentity *now);

/* The tables a recovery file copies from its document, as they are. */
static const char * const seeded_tables[] = {
  "project", "project_metadata", "scenes", "shots", "shot_assets", "layers", "strokes",
  "plates", "scene_sets", "shot_cameras", "asset_generations",
};

/* Fills the new file (in a transaction, the document attached as "document") with the
 * document's rows, and names its assets in document_assets instead of copying their bytes:
 * write_job() then writes what changed since the document was saved, as it would into the
 * document. Sets job->retry_full (and returns FALSE without an error) when the document
 * is not the file job->document_state describes. */
static gboolean
seed_from_document (Writer   *writer,
                    SaveJob  *job,
                    GError  **error)
{
  g_autofree char *token = NULL;
  FileIdentity identity;

  if (!get_identity (job->document_path, &identity) ||
      (!identity_equal (&identity, &job->document_state->identity) &&
       !compaction_explains (job->document_path, &job->document_state->identity, &identity)))
    goto changed;

  token = query_text (writer->db, "SELECT value FROM document.meta WHERE key = ?", "t",
                      "save_token");
  if (g_strcmp0 (token, job->document_state->token) != 0)
    goto changed;

  /* A document of an older format (opened, not yet saved by this version) has other tables:
   * nothing can be copied from it as it is. */
  if (pragma_int (writer->db, "PRAGMA document.user_version") !=
      REEL_PROJECT_FILE_FORMAT_VERSION)
    {
      g_debug ("%s is of an older format: the recovery file is written whole",
               job->document_path);
      goto write_whole;
    }

  for (guint i = 0; i < G_N_ELEMENTS (seeded_tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO main.%s SELECT * FROM document.%s",
                                              seeded_tables[i], seeded_tables[i]);

      if (!exec_sql (writer->db, sql, job->file, TRUE, error))
        return FALSE;
    }
  return exec_sql (writer->db, document_assets_sql, job->file, TRUE, error) &&
         exec_sql (writer->db, "INSERT INTO main.document_assets (hash, position, mime_type, "
                   "width, height, size) SELECT hash, position, mime_type, width, height, "
                   "length(data) FROM document.assets", job->file, TRUE, error);

changed:
  g_debug ("%s changed since it was saved: the recovery file is written whole",
           job->document_path);
write_whole:
  job->retry_full = TRUE;
  job->document_changed = TRUE;
  return FALSE;
}

/* Attaches the document a new recovery file starts from (before the transaction: SQLite
 * attaches outside one only). */
static gboolean
attach_document (Writer   *writer,
                 SaveJob  *job,
                 GError  **error)
{
  g_autoptr(sqlite3_stmt) attach = NULL;

  sqlite3_busy_timeout (writer->db, 5000);
  attach = prepare (writer->db, "ATTACH DATABASE ? AS document", job->file, TRUE, error);
  if (attach == NULL)
    return FALSE;
  bind_values (attach, "t", job->document_path);
  if (sqlite3_step (attach) != SQLITE_DONE)
    {
      g_debug ("Could not attach %s: %s", job->document_path, sqlite3_errmsg (writer->db));
      job->retry_full = TRUE;
      job->document_changed = TRUE;
      return FALSE;
    }
  return TRUE;
}

/* A whole new file: written beside the target under a temporary name, flushed to
 * disk, then renamed over the target, so the target is always complete. */
static gboolean
write_new_file (SaveJob       *job,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autofree char *dir = g_path_get_dirname (job->path);
  g_autofree char *base = g_path_get_basename (job->path);
  g_autofree char *tmp = NULL;
  Writer writer = { NULL, job->file };
  struct stat target_st;
  gboolean target_exists;
  int saved_errno = 0;
  int rc;
  int fd = -1;

  if (!check_replaceable (job->path, job->file, error))
    return FALSE;
  target_exists = stat (job->path, &target_st) == 0;
  remove_stale_temporary_files (dir, base);

  /* Our own name rather than mkstemp(), so that the umask decides the mode of a new
   * file as it would for any other. */
  for (guint attempt = 0; attempt < 100 && fd < 0; attempt++)
    {
      g_free (tmp);
      tmp = g_strdup_printf ("%s/.%s.%08x.tmp", dir, base, g_random_int ());
      fd = g_open (tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
                   (job->flags & REEL_PROJECT_FILE_SAVE_PRIVATE) ? 0600 : 0666);
      if (fd < 0 && errno != EEXIST)
        break;
    }
  if (fd < 0)
    {
      set_errno_error (error, job->file, errno, TRUE);
      return FALSE;
    }
  if (target_exists && !(job->flags & REEL_PROJECT_FILE_SAVE_PRIVATE) &&
      fchmod (fd, target_st.st_mode & 07777) != 0)
    g_debug ("Could not keep the mode of %s: %s", job->path, g_strerror (errno));
  /* Held until the file is renamed or removed; closed only after SQLite closed it,
   * since closing a descriptor drops the process's POSIX locks on the file. */
  if (flock (fd, LOCK_EX) != 0)
    g_debug ("Could not lock %s: %s", tmp, g_strerror (errno));

  rc = sqlite3_open_v2 (tmp, &writer.db, SQLITE_OPEN_READWRITE, NULL);
  if (rc != SQLITE_OK)
    {
      reel_project_file_set_sqlite_error (error, job->file, writer.db, rc, TRUE);
      goto fail;
    }

  /* Nobody else sees this file until the rename: no journal, one flush at the end. */
  /* Incremental auto-vacuum: a later save that deletes assets gives their pages
   * back to the file system (it can only be chosen before the first table). */
  if (!exec_sql (writer.db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
                 "PRAGMA page_size = 4096; PRAGMA auto_vacuum = INCREMENTAL; "
                 "PRAGMA cache_size = -16384",
                 job->file, TRUE, error) ||
      (job->seed && !attach_document (&writer, job, error)) ||
      !exec_sql (writer.db, "BEGIN", job->file, TRUE, error))
    goto fail;
  if (!reel_project_schema_migrate (writer.db, 0, REEL_PROJECT_FILE_FORMAT_VERSION, NULL))
    {
      reel_project_file_set_sqlite_error (error, job->file, writer.db,
                                          sqlite3_extended_errcode (writer.db), TRUE);
      goto fail;
    }
  if ((job->seed && !seed_from_document (&writer, job, error)) ||
      !write_job (&writer, job, cancellable, error) ||
      !exec_sql (writer.db, "COMMIT", job->file, TRUE, error))
    goto fail;

  writer_clear (&writer);
  rc = sqlite3_close (writer.db);
  writer.db = NULL;
  if (rc != SQLITE_OK)
    {
      reel_project_file_set_sqlite_error (error, job->file, NULL, rc, TRUE);
      goto fail;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto fail;

  /* The content is on disk before the name points to it, and the name before the
   * save says it is done. */
  if (!fs_ops->sync_file (tmp))
    {
      saved_errno = errno;
      set_errno_error (error, job->file, saved_errno, TRUE);
      goto fail;
    }

  if (fs_ops->rename (tmp, job->path) != 0)
    {
      saved_errno = errno;
      set_errno_error (error, job->file, saved_errno, TRUE);
      goto fail;
    }
  /* Only then is the new name on disk. Some file systems cannot sync a folder
   * (EINVAL): there the rename is as durable as they make it. */
  if (!fs_ops->sync_directory (dir) && errno != EINVAL)
    {
      saved_errno = errno;
      set_errno_error (error, job->file, saved_errno, TRUE);
      goto fail_renamed;
    }

  /* A journal left by an older save of the target belongs to a file that is gone. */
  {
    g_autofree char *journal = g_strconcat (job->path, "-journal", NULL);
    g_unlink (journal);
  }

  get_identity (job->path, &job->identity);
  close (fd);
  return TRUE;

fail_renamed:
  close (fd);
  return FALSE;

fail:
  writer_clear (&writer);
  if (writer.db != NULL)
    sqlite3_close (writer.db);
  g_unlink (tmp);
  close (fd);
  return FALSE;
}

/* Giving space back. A save that deleted assets or shots leaves their pages on the
 * file's free list; they go back to the file system afterwards, off the saving thread,
 * in bounded steps (PRAGMA incremental_vacuum(N), each its own small transaction, as
 * crash-safe as a save), so that no save waits for gigabytes of pages to move. A save
 * of the same file stops the steps at the next boundary and starts them again when it
 * is done. */

#define VACUUM_STEP_PAGES 2048  /* 8 MB of 4 KB pages: tens of milliseconds on an idle disk */

typedef struct
{
  GFile *file;
  int saves;          /* saves of this path under way */
  gboolean running;   /* a vacuum thread works on it */
  gboolean stepping;  /* … and is inside a step */
  gboolean again;     /* free pages were left since the thread looked */
  gboolean stopped;   /* a save stopped the thread: start it again after the save */
  sqlite3 *db;        /* the thread's connection, while it has one */
  FileIdentity from;  /* the file as the last save left it */
  FileIdentity to;    /* … and as the steps since left it */
} Compaction;

static GMutex compaction_lock;
static GCond compaction_cond;
static GHashTable *compactions;  /* path → Compaction */

static void
compaction_free (gpointer data)
{
  Compaction *compaction = data;

  g_clear_object (&compaction->file);
  g_free (compaction);
}

/* With compaction_lock held. */
static Compaction *
get_compaction_locked (const char *path,
                       GFile      *file)
{
  Compaction *compaction;

  if (compactions == NULL)
    compactions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, compaction_free);

  compaction = g_hash_table_lookup (compactions, path);
  if (compaction == NULL)
    {
      compaction = g_new0 (Compaction, 1);
      compaction->file = g_object_ref (file);
      g_hash_table_insert (compactions, g_strdup (path), compaction);
    }
  return compaction;
}

/* A save interrupts the step under way (SQLite rolls it back, which takes a moment, not a
 * step's work on a busy disk), and no other starts until the save ends. */
static void
compaction_save_begins (const char *path,
                        GFile      *file)
{
  Compaction *compaction;

  g_mutex_lock (&compaction_lock);
  compaction = get_compaction_locked (path, file);
  compaction->saves++;
  if (compaction->stepping && compaction->db != NULL)
    sqlite3_interrupt (compaction->db);
  while (compaction->stepping)
    g_cond_wait (&compaction_cond, &compaction_lock);
  g_mutex_unlock (&compaction_lock);
}

/* Whether the file at @path, last saved as @saved and now @now, differs only by the
 * steps that gave its space back. */
static gboolean
compaction_explains (const char         *path,
                     const FileIdentity *saved,
                     const FileIdentity *now)
{
  Compaction *compaction;
  gboolean explained = FALSE;

  g_mutex_lock (&compaction_lock);
  compaction = compactions != NULL ? g_hash_table_lookup (compactions, path) : NULL;
  if (compaction != NULL)
    explained = identity_equal (&compaction->from, saved) && identity_equal (&compaction->to, now);
  g_mutex_unlock (&compaction_lock);
  return explained;
}

/* Whether the thread for @path should stop (a save is under way, or nothing is left);
 * when not, a step begins. */
static gboolean
compaction_should_stop (const char *path,
                        gboolean    done)
{
  Compaction *compaction;
  gboolean stop;

  g_mutex_lock (&compaction_lock);
  compaction = g_hash_table_lookup (compactions, path);
  stop = compaction->saves > 0 || (done && !compaction->again);
  compaction->again = FALSE;
  if (stop)
    {
      compaction->stopped = compaction->saves > 0;
      compaction->running = FALSE;
      g_cond_broadcast (&compaction_cond);
    }
  else
    {
      compaction->stepping = TRUE;
    }
  g_mutex_unlock (&compaction_lock);
  return stop;
}

static void
compaction_step_done (const char *path)
{
  Compaction *compaction;
  FileIdentity identity;
  gboolean known = get_identity (path, &identity);

  g_mutex_lock (&compaction_lock);
  compaction = g_hash_table_lookup (compactions, path);
  if (known)
    compaction->to = identity;
  compaction->stepping = FALSE;
  g_cond_broadcast (&compaction_cond);
  g_mutex_unlock (&compaction_lock);
}

static gint64
pragma_int (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* Lets a save interrupt @db's steps (NULL: the thread is about to close it). */
static void
compaction_set_db (const char *path,
                   sqlite3    *db)
{
  g_mutex_lock (&compaction_lock);
  ((Compaction *) g_hash_table_lookup (compactions, path))->db = db;
  g_mutex_unlock (&compaction_lock);
}

static gpointer
compaction_thread (gpointer data)
{
  char *path = data;
  sqlite3 *db = NULL;
  gboolean done = FALSE;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
      /* Each page moved looks its new place up in the free list: with the free-list
       * pages in memory (a 64 MB cache holds those of 16 million free pages) that is
       * a walk in memory, not a read from the file per page. */
      sqlite3_exec (db, "PRAGMA journal_mode = DELETE; PRAGMA synchronous = EXTRA; "
                    "PRAGMA secure_delete = FAST; PRAGMA cache_size = -65536", NULL, NULL,
                    NULL) != SQLITE_OK ||
      pragma_int (db, "PRAGMA auto_vacuum") != 2)
    done = TRUE;
  sqlite3_busy_timeout (db, 5000);
  compaction_set_db (path, db);

  while (!compaction_should_stop (path, done))
    {
      g_autofree char *step = g_strdup_printf ("PRAGMA incremental_vacuum(%d)",
                                               VACUUM_STEP_PAGES);
      int rc = sqlite3_exec (db, step, NULL, NULL, NULL);

      compaction_step_done (path);
      /* Interrupted by a save (which starts the steps again when it is done), busy
       * (another program's transaction) or a failure (the next save that frees pages
       * tries again). */
      if (rc != SQLITE_OK)
        {
          g_debug ("Giving space back in %s: %s", path, sqlite3_errmsg (db));
          done = TRUE;
          continue;
        }
      done = pragma_int (db, "PRAGMA freelist_count") <= 0;
    }

  compaction_set_db (path, NULL);
  sqlite3_close (db);
  g_free (path);
  return NULL;
}

/* After a save of @path: gives its free pages back, on a thread of its own. */
static void
compaction_save_ends (const char         *path,
                      GFile              *file,
                      const FileIdentity *saved,
                      gboolean            freed)
{
  Compaction *compaction;

  g_mutex_lock (&compaction_lock);
  compaction = get_compaction_locked (path, file);
  compaction->saves--;
  if (saved != NULL)
    compaction->from = compaction->to = *saved;
  freed = freed || (compaction->stopped && compaction->saves == 0);
  if (compaction->saves == 0)
    compaction->stopped = FALSE;
  if (freed)
    {
      if (compaction->running)
        {
          compaction->again = TRUE;
        }
      else
        {
          compaction->running = TRUE;
          g_thread_unref (g_thread_new ("storyreel-vacuum", compaction_thread, g_strdup (path)));
        }
    }
  g_mutex_unlock (&compaction_lock);
}

void
reel_project_file_wait_compacted (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  Compaction *compaction;

  g_return_if_fail (G_IS_FILE (file));

  g_mutex_lock (&compaction_lock);
  while (path != NULL && compactions != NULL &&
         (compaction = g_hash_table_lookup (compactions, path)) != NULL &&
         compaction->running)
    g_cond_wait (&compaction_cond, &compaction_lock);
  g_mutex_unlock (&compaction_lock);
}

static gboolean
file_has_incremental_vacuum (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gboolean incremental = FALSE;

  if (sqlite3_prepare_v2 (db, "PRAGMA auto_vacuum", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    incremental = sqlite3_column_int (stmt, 0) == 2;
  sqlite3_finalize (stmt);
  return incremental;
}

/* Only what changed, in place, in one transaction; SQLite's rollback journal makes
 * it all or nothing. Sets job->retry_full when the file is not the one we wrote. */
static gboolean
write_changes (SaveJob       *job,
               gboolean      *freed,
               GCancellable  *cancellable,
               GError       **error)
{
  Writer writer = { NULL, job->file };
  FileIdentity identity;
  g_autofree char *token = NULL;
  int rc;

  if (!get_identity (job->path, &identity) ||
      (!identity_equal (&identity, &job->base->identity) &&
       !compaction_explains (job->path, &job->base->identity, &identity)))
    {
      g_debug ("%s changed since it was written: writing it whole", job->path);
      job->retry_full = TRUE;
      return FALSE;
    }

  /* Nothing changed and the file is as we left it. */
  if (save_job_is_empty (job) || save_job_has_no_changes (job))
    {
      job->identity = identity;
      if (job->pending != job->base)
        {
          g_free (job->pending->token);
          job->pending->token = g_strdup (job->base->token);
        }
      return TRUE;
    }

  rc = sqlite3_open_v2 (job->path, &writer.db, SQLITE_OPEN_READWRITE, NULL);
  if (rc != SQLITE_OK)
    {
      reel_project_file_set_sqlite_error (error, job->file, writer.db, rc, TRUE);
      sqlite3_close (writer.db);
      return FALSE;
    }
  sqlite3_busy_timeout (writer.db, 5000);

  /* A file from before incremental auto-vacuum keeps the space of what is deleted
   * forever: it is written whole once (crash-safe, like a save under a new name),
   * which switches it. */
  if (!file_has_incremental_vacuum (writer.db))
    {
      g_debug ("%s has no incremental auto-vacuum: writing it whole", job->path);
      sqlite3_close (writer.db);
      job->retry_full = TRUE;
      return FALSE;
    }

  /* EXTRA: the folder is synced after the journal is deleted, so a save that
   * said it is done survives a power cut (FULL could roll it back).
   * secure_delete FAST: Debian's SQLite zero-fills every page it frees by default,
   * which makes deleting a 50 MB clip read, journal and rewrite 50 MB; freed pages
   * are given back (moved over or cut off the end) by the compaction that follows,
   * which leaves nothing of them in the file either. */
  if (!exec_sql (writer.db, "PRAGMA journal_mode = DELETE; PRAGMA synchronous = EXTRA; "
                 "PRAGMA secure_delete = FAST; BEGIN IMMEDIATE", job->file, TRUE, error))
    goto fail_closed;

  token = query_text (writer.db, "SELECT value FROM meta WHERE key = ?", "t", "save_token");
  if (g_strcmp0 (token, job->base->token) != 0)
    {
      g_debug ("%s was written by someone else since: writing it whole", job->path);
      sqlite3_exec (writer.db, "ROLLBACK", NULL, NULL, NULL);
      sqlite3_close (writer.db);
      job->retry_full = TRUE;
      return FALSE;
    }

  /* A file of format 3 is upgraded in the save's transaction (small tables only). */
  {
    gint64 version = pragma_int (writer.db, "PRAGMA user_version");
    g_autoptr(GError) migrate_error = NULL;

    if (version >= LAZY_READ_VERSION && version < REEL_PROJECT_FILE_FORMAT_VERSION &&
        !reel_project_schema_migrate (writer.db, version, REEL_PROJECT_FILE_FORMAT_VERSION,
                                      &migrate_error))
      {
        g_debug ("%s: %s", job->path, migrate_error->message);
        set_corrupt_error (error, job->file);
        goto fail;
      }
  }

  if (!write_job (&writer, job, cancellable, error))
    goto fail;
  if (!exec_sql (writer.db, "COMMIT", job->file, TRUE, error))
    goto fail;

  /* Freed pages (deleted assets, shots) go back to the file system after the
   * commit, in steps, on a thread of their own. */
  *freed = pragma_int (writer.db, "PRAGMA freelist_count") > 0;
  writer_clear (&writer);
  sqlite3_close (writer.db);
  get_identity (job->path, &job->identity);
  return TRUE;

fail:
  sqlite3_exec (writer.db, "ROLLBACK", NULL, NULL, NULL);
fail_closed:
  writer_clear (&writer);
  sqlite3_close (writer.db);
  return FALSE;
}

static gboolean
save_job_run (SaveJob       *job,
              GCancellable  *cancellable,
              GError       **error)
{
  gboolean freed = FALSE;
  gboolean ok;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  save_job_diff_assets (job);
  compaction_save_begins (job->path, job->file);
  if (job->full || job->seed)
    ok = write_new_file (job, cancellable, error);
  else
    ok = write_changes (job, &freed, cancellable, error);
  compaction_save_ends (job->path, job->file, ok ? &job->identity : NULL, ok && freed);
  return ok;
}

/* Back on the thread that owns the project. */
static void
save_job_complete (ReelProject *project,
                   SaveJob     *job)
{
  gboolean untouched = reel_project_get_content_revision (project) <= job->stamp;

  job->pending->identity = job->identity;
  if (!save_job_is_empty (job))
    install_state (project, job->pending);

  if (job->flags & REEL_PROJECT_FILE_SAVE_COPY)
    return;

  /* Saved under another name: what the old document holds is of no more use. */
  {
    GFile *previous = reel_project_file_get_file (project);
    g_autofree char *previous_path = previous != NULL ? g_file_get_path (previous) : NULL;

    if (previous_path != NULL && !g_str_equal (previous_path, job->path))
      g_hash_table_remove (get_file_data (project, TRUE)->states, previous_path);
  }
  reel_project_file_set_file (project, job->file);

  /* The paths are now relative to the new location. */
  for (guint i = 0; i < job->plate_updates->len; i++)
    {
      PlateUpdate *update = g_ptr_array_index (job->plate_updates, i);

      if (g_strcmp0 (reel_plate_get_path (update->plate), update->old_path) == 0)
        reel_plate_set_path (update->plate, update->new_path);
    }

  /* Edits made while an asynchronous save ran are not in the file. */
  if (untouched)
    {
      if (!save_job_is_empty (job))
        job->pending->stamp = reel_revision_current ();
      reel_project_mark_saved (project);
    }
}

static SaveJob *
save_job_new_for_file (ReelProject  *project,
                       GFile        *file,
                       guint         flags,
                       GHashTable   *extra_meta,
                       gboolean      full,
                       GHashTable   *copies,
                       GError      **error)
{
  g_autofree char *path = dup_local_path (file, error);

  if (path == NULL)
    return NULL;
  return save_job_new (project, file, path, flags, extra_meta, full, copies);
}

gboolean
reel_project_file_save_with_meta (ReelProject   *project,
                                  GFile         *file,
                                  guint          flags,
                                  GHashTable    *extra_meta,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  g_autoptr(SaveJob) job = save_job_new_for_file (project, file, flags, extra_meta, FALSE,
                                                  NULL, error);

  if (job == NULL)
    return FALSE;

  if (!save_job_run (job, cancellable, error))
    {
      if (!job->retry_full)
        return FALSE;

      if (job->document_changed)
        flags |= SAVE_NO_SEED;
      g_clear_pointer (&job, save_job_free);
      job = save_job_new_for_file (project, file, flags, extra_meta, TRUE, NULL, error);
      if (job == NULL || !save_job_run (job, cancellable, error))
        return FALSE;
    }

  save_job_complete (project, job);
  return TRUE;
}

gboolean
reel_project_file_save_full (ReelProject               *project,
                             GFile                     *file,
                             ReelProjectFileSaveFlags   flags,
                             GCancellable              *cancellable,
                             GError                   **error)
{
  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return reel_project_file_save_with_meta (project, file, flags, NULL, cancellable, error);
}

gboolean
reel_project_file_save (ReelProject   *project,
                        GFile         *file,
                        GCancellable  *cancellable,
                        GError       **error)
{
  return reel_project_file_save_full (project, file, REEL_PROJECT_FILE_SAVE_DEFAULT,
                                      cancellable, error);
}

/* Main-thread time of asynchronous saves, per phase (reel_project_file_take_phase_times()). */
G_LOCK_DEFINE_STATIC (phase_times);
static ReelProjectFilePhaseTimes phase_times;

typedef struct
{
  gint64 wall;
  gint64 cpu;
} PhaseClock;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
phase_start (PhaseClock *clock)
{
  clock->wall = g_get_monotonic_time ();
  clock->cpu = thread_cpu_us ();
}

static void
phase_end (PhaseClock           *clock,
           ReelProjectFilePhase  phase)
{
  gint64 wall = g_get_monotonic_time () - clock->wall;
  gint64 cpu = thread_cpu_us () - clock->cpu;

  G_LOCK (phase_times);
  phase_times.wall_us[phase] = MAX (phase_times.wall_us[phase], wall);
  phase_times.cpu_us[phase] = MAX (phase_times.cpu_us[phase], cpu);
  phase_times.count[phase]++;
  G_UNLOCK (phase_times);
}

void
reel_project_file_take_phase_times (ReelProjectFilePhaseTimes *times)
{
  G_LOCK (phase_times);
  *times = phase_times;
  memset (&phase_times, 0, sizeof phase_times);
  G_UNLOCK (phase_times);
}

const char *
reel_project_file_phase_name (ReelProjectFilePhase phase)
{
  static const char * const names[] = {
    "copy_slice", "snapshot", "complete", "callback", "free"
  };

  g_return_val_if_fail (phase < REEL_PROJECT_FILE_N_PHASES, NULL);
  return names[phase];
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveJob *job = task_data;
  GError *error = NULL;

  if (save_job_run (job, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else if (job->retry_full)
    g_task_return_boolean (task, FALSE);
  else
    g_task_return_error (task, error);
}

static void save_thread_done (GObject      *source_object,
                              GAsyncResult *result,
                              gpointer      user_data);

static void
start_save_thread (GTask   *outer,
                   SaveJob *job)
{
  GTask *inner = g_task_new (g_task_get_source_object (outer),
                             g_task_get_cancellable (outer), save_thread_done,
                             g_object_ref (outer));

  g_task_set_source_tag (inner, start_save_thread);
  g_task_set_task_data (inner, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (inner, save_thread);
  g_object_unref (inner);
}

static void begin_snapshot (GTask      *task,
                            GFile      *file,
                            guint       flags,
                            GHashTable *extra_meta,
                            gboolean    full);

static void
save_thread_done (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  ReelProject *project = REEL_PROJECT (source_object);
  SaveJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  PhaseClock clock;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      phase_start (&clock);
      save_job_complete (project, job);
      phase_end (&clock, REEL_PROJECT_FILE_PHASE_COMPLETE);
      phase_start (&clock);
      g_task_return_boolean (outer, TRUE);
      phase_end (&clock, REEL_PROJECT_FILE_PHASE_CALLBACK);
    }
  else if (error != NULL)
    {
      g_task_return_error (outer, error);
    }
  else
    {
      /* The file was not the one we last wrote: write it whole, in slices as any big
       * snapshot. */
      begin_snapshot (outer, job->file, job->flags | (job->document_changed ? SAVE_NO_SEED : 0),
                      job->pending->extra_meta, TRUE);
    }

  /* Freed here rather than wherever the task happens to be finalized: the job holds
   * objects of the project's thread. */
  phase_start (&clock);
  g_task_set_task_data (G_TASK (result), NULL, NULL);
  phase_end (&clock, REEL_PROJECT_FILE_PHASE_FREE);
}

void
reel_project_file_save_async (ReelProject              *project,
                              GFile                    *file,
                              ReelProjectFileSaveFlags  flags,
                              GCancellable             *cancellable,
                              GAsyncReadyCallback       callback,
                              gpointer                  user_data)
{
  g_return_if_fail (REEL_IS_PROJECT (project));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  reel_project_file_save_with_meta_async (project, file, flags, NULL, cancellable, callback,
                                          user_data);
}

/* A big snapshot (the first recovery file of an untitled project copies every shot) is
 * taken in slices: the shots are copied between frames, a few milliseconds at a time,
 * then the snapshot itself takes those copies and copies again only what changed in
 * between, so the main loop never stalls for long. */
#define PRECOPY_MIN_SHOTS 256
#define PRECOPY_SLICE_US  4000

static guint precopy_slice_shots;  /* a test's fixed slice, or 0 */

void
reel_project_file_set_snapshot_slice (guint n_shots)
{
  precopy_slice_shots = n_shots;
}

typedef struct
{
  GTask *task;
  GFile *file;
  guint flags;
  GHashTable *extra_meta;
  GHashTable *copies;
  guint64 since;
  gboolean full;
  guint scene;
  guint shot;
} Precopy;

static void
precopy_free (gpointer data)
{
  Precopy *precopy = data;

  g_object_unref (precopy->task);
  g_object_unref (precopy->file);
  g_clear_pointer (&precopy->extra_meta, g_hash_table_unref);
  g_hash_table_unref (precopy->copies);
  g_free (precopy);
}

static void
start_snapshot (GTask       *task,
                GFile       *file,
                guint        flags,
                GHashTable  *extra_meta,
                gboolean     full,
                GHashTable  *copies)
{
  ReelProject *project = g_task_get_source_object (task);
  GError *error = NULL;
  SaveJob *job;
  PhaseClock clock;

  phase_start (&clock);
  job = save_job_new_for_file (project, file, flags, extra_meta, full, copies, &error);
  if (job == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  start_save_thread (task, job);
  phase_end (&clock, REEL_PROJECT_FILE_PHASE_SNAPSHOT);
}

static gboolean
precopy_cb (gpointer user_data)
{
  Precopy *precopy = user_data;
  ReelProject *project = g_task_get_source_object (precopy->task);
  gboolean done;
  PhaseClock clock;

  if (g_task_return_error_if_cancelled (precopy->task))
    return G_SOURCE_REMOVE;

  phase_start (&clock);
  done = shot_copies_step (precopy->copies, project, precopy->since, &precopy->scene,
                           &precopy->shot, PRECOPY_SLICE_US, precopy_slice_shots);
  phase_end (&clock, REEL_PROJECT_FILE_PHASE_COPY_SLICE);
  if (!done)
    return G_SOURCE_CONTINUE;

  start_snapshot (precopy->task, precopy->file, precopy->flags, precopy->extra_meta,
                  precopy->full, precopy->copies);
  return G_SOURCE_REMOVE;
}

/* Snapshots @task's project for a save into @file (whole with @full): a project of many
 * shots in slices between frames first. */
static void
begin_snapshot (GTask      *task,
                GFile      *file,
                guint       flags,
                GHashTable *extra_meta,
                gboolean    full)
{
  ReelProject *project = g_task_get_source_object (task);
  Precopy *precopy;
  g_autoptr(GSource) source = NULL;
  g_autofree char *path = NULL;

  if (reel_project_get_n_shots (project) < PRECOPY_MIN_SHOTS)
    {
      start_snapshot (task, file, flags, extra_meta, full, NULL);
      return;
    }

  path = g_file_get_path (file);
  precopy = g_new0 (Precopy, 1);
  precopy->task = g_object_ref (task);
  precopy->file = g_object_ref (file);
  precopy->flags = flags;
  precopy->extra_meta = extra_meta != NULL ? g_hash_table_ref (extra_meta) : NULL;
  precopy->copies = shot_copies_new ();
  precopy->full = full;
  precopy->since = full ? 0 : save_job_copy_since (project, path, flags);
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (source, precopy_cb, precopy, precopy_free);
  g_source_set_static_name (source, "[storyreel] snapshot slices");
  g_source_attach (source, g_task_get_context (task));
}

void
reel_project_file_save_with_meta_async (ReelProject         *project,
                                        GFile               *file,
                                        guint                flags,
                                        GHashTable          *extra_meta,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;

  /* The same source tag: reel_project_file_save_finish() finishes both. */
  task = g_task_new (project, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_project_file_save_async);

  path = dup_local_path (file, &error);
  if (path == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  begin_snapshot (task, file, flags, extra_meta, FALSE);
}

gboolean
reel_project_file_save_finish (ReelProject   *project,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, project), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        reel_project_file_save_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
