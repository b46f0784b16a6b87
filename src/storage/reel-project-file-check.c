/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-storage"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <stdarg.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reel-project-file-internal.h"

/* A project file's errors, and the checks a file passes before it is trusted. */

/* Errors. */

char *
dup_display_name (GFile *file)
{
  return g_file_get_parse_name (file);
}

void
set_errno_error (GError     **error,
                 GFile       *file,
                 int          saved_errno,
                 gboolean     writing)
{
  g_autofree char *name = dup_display_name (file);

  switch (saved_errno)
    {
    case ENOENT:
      if (writing)
        g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_NOT_FOUND,
                     _("Could not save “%s”: its folder does not exist. "
                       "Choose another folder."), name);
      else
        g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_NOT_FOUND,
                     _("“%s” does not exist. It may have been moved, renamed or deleted."),
                     name);
      break;

    case EACCES:
    case EPERM:
    case EROFS:
      if (writing)
        g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_PERMISSION,
                     _("Could not save “%s”: the location is read-only or you may not "
                       "write there. Save it in another folder."), name);
      else
        g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_PERMISSION,
                     _("Could not open “%s”: you are not allowed to read it. "
                       "Check the file’s permissions."), name);
      break;

    case ENOSPC:
    case EDQUOT:
      g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_DISK_FULL,
                   _("Could not save “%s”: the disk is full. Free some space, or save "
                     "it on another disk; the file on disk was not changed."), name);
      break;

    case EISDIR:
      g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_NOT_PROJECT,
                   _("“%s” is a folder, not a Storyreel project."), name);
      break;

    default:
      if (writing)
        g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_FAILED,
                     _("Could not save “%s”: %s."), name, g_strerror (saved_errno));
      else
        g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_FAILED,
                     _("Could not open “%s”: %s."), name, g_strerror (saved_errno));
      break;
    }
}

void
set_corrupt_error (GError **error,
                   GFile   *file)
{
  g_autofree char *name = dup_display_name (file);

  g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_CORRUPT,
               _("“%s” is damaged and cannot be opened safely. Open a backup or the "
                 "autosaved copy instead; the damaged file was left as it is."), name);
}

static void
set_truncated_error (GError **error,
                     GFile   *file)
{
  g_autofree char *name = dup_display_name (file);

  g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_TRUNCATED,
               _("“%s” is incomplete: the file ends early, as if it was cut short while "
                 "being copied or downloaded. Open the original or a backup."), name);
}

void
reel_project_file_set_sqlite_error (GError  **error,
                                    GFile    *file,
                                    sqlite3  *db,
                                    int       rc,
                                    gboolean  writing)
{
  g_autofree char *name = dup_display_name (file);
  int system_errno = db != NULL ? sqlite3_system_errno (db) : 0;

  g_debug ("SQLite error on %s: %s (%d, errno %d)", name,
           db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc), rc, system_errno);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      set_errno_error (error, file, ENOSPC, TRUE);
      return;

    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      set_errno_error (error, file, EACCES, writing);
      return;

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT:
      set_corrupt_error (error, file);
      return;

    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_FAILED,
                   _("“%s” is in use by another program. Close it there and try again."),
                   name);
      return;

    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      if (system_errno == ENOSPC || system_errno == EDQUOT)
        {
          set_errno_error (error, file, system_errno, TRUE);
          return;
        }
      if (system_errno != 0)
        {
          set_errno_error (error, file, system_errno, writing);
          return;
        }
      break;

    default:
      break;
    }

  if (writing)
    g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_FAILED,
                 _("Could not save “%s”: %s."), name,
                 db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  else
    g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_FAILED,
                 _("Could not open “%s”: %s."), name,
                 db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
}

char *
dup_local_path (GFile   *file,
                GError **error)
{
  char *path = g_file_get_path (file);

  if (path == NULL)
    {
      g_autofree char *name = dup_display_name (file);

      g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_FAILED,
                   _("“%s” is not on a local disk. Copy it to a local folder first."),
                   name);
    }
  return path;
}

gboolean
get_identity (const char   *path,
              FileIdentity *identity)
{
  struct stat st;

  if (stat (path, &st) != 0)
    return FALSE;

  identity->dev = st.st_dev;
  identity->ino = st.st_ino;
  identity->size = st.st_size;
  identity->mtime_ns = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) +
                       st.st_mtim.tv_nsec;
  return TRUE;
}

gboolean
identity_equal (const FileIdentity *a,
                const FileIdentity *b)
{
  return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
         a->mtime_ns == b->mtime_ns;
}

/* Checking a file before SQLite sees it. */

static const char sqlite_magic[16] = "SQLite format 3";

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* Tells the kinds of bad file apart from the 100-byte SQLite header: empty, not a
 * database, cut short, another program's database. */
gboolean
check_header (const char  *path,
              GFile       *file,
              GError     **error)
{
  guint8 header[100];
  struct stat st;
  gssize n_read = 0;
  guint32 page_size;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      set_errno_error (error, file, errno, FALSE);
      return FALSE;
    }

  if (fstat (fd, &st) != 0)
    {
      set_errno_error (error, file, errno, FALSE);
      close (fd);
      return FALSE;
    }

  if (S_ISDIR (st.st_mode))
    {
      close (fd);
      set_errno_error (error, file, EISDIR, FALSE);
      return FALSE;
    }

  while (n_read < (gssize) sizeof header)
    {
      gssize n = read (fd, header + n_read, sizeof header - n_read);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_errno_error (error, file, errno, FALSE);
          close (fd);
          return FALSE;
        }
      if (n == 0)
        break;
      n_read += n;
    }
  close (fd);

  if (st.st_size == 0 || n_read == 0)
    {
      g_autofree char *name = dup_display_name (file);

      g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_EMPTY,
                   _("“%s” is empty: it holds no project. It may have been cut short while "
                     "being copied; open the original or a backup."), name);
      return FALSE;
    }

  if (memcmp (header, sqlite_magic, MIN ((gsize) n_read, sizeof sqlite_magic)) != 0)
    {
      g_autofree char *name = dup_display_name (file);

      g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_NOT_PROJECT,
                   _("“%s” is not a Storyreel project. Storyreel opens files that end in "
                     ".storyreel; a screenplay is imported instead."), name);
      return FALSE;
    }

  if (n_read < (gssize) sizeof header)
    {
      set_truncated_error (error, file);
      return FALSE;
    }

  page_size = ((guint32) header[16] << 8) | header[17];
  if (page_size == 1)
    page_size = 65536;
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0)
    {
      set_corrupt_error (error, file);
      return FALSE;
    }

  if (read_be32 (header + 68) != REEL_PROJECT_FILE_APPLICATION_ID)
    {
      g_autofree char *name = dup_display_name (file);

      g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_FOREIGN,
                   _("“%s” is a database of another program, not a Storyreel project. "
                     "It was not changed."), name);
      return FALSE;
    }

  /* The page count in the header is only valid when the change counter matches
   * the "version valid for" number. */
  if (st.st_size % page_size != 0 ||
      (read_be32 (header + 24) == read_be32 (header + 92) && read_be32 (header + 28) > 0 &&
       (guint64) st.st_size < (guint64) read_be32 (header + 28) * page_size))
    {
      set_truncated_error (error, file);
      return FALSE;
    }

  return TRUE;
}

/* A save killed halfway leaves a hot journal beside the file; SQLite rolls it back
 * the first time the file is opened for writing. Do that before looking at the
 * header, which may be half-written until then. */
void
recover_hot_journal (const char *path)
{
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);
  sqlite3 *db = NULL;

  if (!g_file_test (journal, G_FILE_TEST_EXISTS))
    return;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK)
    sqlite3_exec (db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
  sqlite3_close (db);
}

gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          GFile       *file,
          gboolean     writing,
          GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      reel_project_file_set_sqlite_error (error, file, db, rc, writing);
      return FALSE;
    }
  return TRUE;
}

sqlite3_stmt *
prepare (sqlite3     *db,
         const char  *sql,
         GFile       *file,
         gboolean     writing,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v3 (db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      /* A table or column missing from a file that claims our format: damaged. */
      if ((rc & 0xff) == SQLITE_ERROR && !writing)
        set_corrupt_error (error, file);
      else
        reel_project_file_set_sqlite_error (error, file, db, rc, writing);
      return NULL;
    }
  return stmt;
}


void
bind_values_va (sqlite3_stmt *stmt,
                const char   *types,
                va_list       args)
{
  /* One letter a parameter: a statement and its values that disagree are a bug. */
  g_return_if_fail (strlen (types) == (gsize) sqlite3_bind_parameter_count (stmt));

  for (int i = 0; types[i] != '\0'; i++)
    switch (types[i])
      {
      case 't':
        {
          const char *text = va_arg (args, const char *);

          if (text == NULL)
            sqlite3_bind_null (stmt, i + 1);
          else
            sqlite3_bind_text (stmt, i + 1, text, -1, SQLITE_STATIC);
        }
        break;
      case 'i':
        sqlite3_bind_int (stmt, i + 1, va_arg (args, int));
        break;
      case 'l':
        sqlite3_bind_int64 (stmt, i + 1, va_arg (args, gint64));
        break;
      case 'd':
        sqlite3_bind_double (stmt, i + 1, va_arg (args, double));
        break;
      case 'b':
        {
          gconstpointer data = va_arg (args, gconstpointer);
          gsize size = va_arg (args, gsize);

          sqlite3_bind_blob64 (stmt, i + 1, data, size, SQLITE_STATIC);
        }
        break;
      default:
        g_assert_not_reached ();
      }
}

void
bind_values (sqlite3_stmt *stmt,
             const char   *types,
             ...)
{
  va_list args;

  va_start (args, types);
  bind_values_va (stmt, types, args);
  va_end (args);
}

char *
query_text (sqlite3    *db,
            const char *sql,
            const char *types,
            ...)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  va_list args;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  va_start (args, types);
  bind_values_va (stmt, types, args);
  va_end (args);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

GHashTable *
read_meta_table (sqlite3  *db,
                 GFile    *file,
                 GError  **error)
{
  g_autoptr(GHashTable) meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = prepare (db, "SELECT key, value FROM meta", file, FALSE, error);
  if (stmt == NULL)
    return NULL;

  /* NULL keys or values: a damaged file, read as if the row were not there. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (sqlite3_column_text (stmt, 0) != NULL && sqlite3_column_text (stmt, 1) != NULL)
      g_hash_table_replace (meta, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                            g_strdup ((const char *) sqlite3_column_text (stmt, 1)));

  if (rc != SQLITE_DONE)
    {
      reel_project_file_set_sqlite_error (error, file, db, rc, FALSE);
      return NULL;
    }

  return g_steal_pointer (&meta);
}

static int
meta_format_version (GHashTable *meta)
{
  const char *value = g_hash_table_lookup (meta, "format_version");
  guint64 version = 0;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 1, G_MAXINT, &version, NULL))
    return -1;
  return (int) version;
}

gboolean
check_format_version (GHashTable  *meta,
                      GFile       *file,
                      int         *out_version,
                      GError     **error)
{
  int version = meta_format_version (meta);

  if (version < 1)
    {
      set_corrupt_error (error, file);
      return FALSE;
    }

  if (version > REEL_PROJECT_FILE_FORMAT_VERSION)
    {
      g_autofree char *name = dup_display_name (file);
      const char *writer = g_hash_table_lookup (meta, "writer");

      if (writer != NULL)
        g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_NEWER_VERSION,
                     _("“%s” was made by a newer Storyreel (%s). Update Storyreel to "
                       "open it; the file was not changed."), name, writer);
      else
        g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_NEWER_VERSION,
                     _("“%s” was made by a newer Storyreel. Update Storyreel to open "
                       "it; the file was not changed."), name);
      return FALSE;
    }

  *out_version = version;
  return TRUE;
}

/* SQLite's quick_check of one table (or of the whole file, @table NULL). */
static char *
check_table_pages (sqlite3    *db,
                   const char *table)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  const char *verdict = NULL;
  char *problem = NULL;
  int rc;

  sql = table != NULL ? sqlite3_mprintf ("PRAGMA quick_check(%Q)", table)
                      : g_strdup ("PRAGMA quick_check(1)");
  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    verdict = (const char *) sqlite3_column_text (stmt, 0);
  if (verdict == NULL || !g_str_equal (verdict, "ok"))
    problem = g_strdup (verdict != NULL ? verdict : sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  if (table != NULL)
    sqlite3_free (g_steal_pointer (&sql));
  return problem;
}

/* SQLite's quick_check: every page of every table and index is read and its
 * structure checked, but for the assets' bytes (lazy media): reading gigabytes of
 * images and clips would make the open as slow as loading them. Each asset is checked
 * against its hash when it is read instead, and a damaged one is reported by name.
 * NULL when all is well, else what is wrong. */
static char *
check_pages (sqlite3 *db)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_schema WHERE type = 'table' "
                               "AND name <> 'assets'", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return g_strdup (sqlite3_errmsg (db));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return g_strdup (sqlite3_errmsg (db));

  /* An older file without an assets table is small: all of it. */
  if (tables->len == 0)
    return check_table_pages (db, NULL);

  for (guint i = 0; i < tables->len; i++)
    {
      char *problem = check_table_pages (db, g_ptr_array_index (tables, i));

      if (problem != NULL)
        return problem;
    }
  return NULL;
}

/* The page check of a big file runs on a thread of its own while the project is
 * read, which nearly halves the time to open it on a machine with two cores. */
struct PageCheck
{
  char *path;
  char *problem;
  GThread *thread;
};

static gpointer
page_check_thread (gpointer data)
{
  PageCheck *check = data;
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (check->path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, 5000);
      check->problem = check_pages (db);
    }
  else
    {
      check->problem = g_strdup (sqlite3_errmsg (db));
    }
  sqlite3_close (db);
  return NULL;
}

static PageCheck *
page_check_start (const char *path)
{
  PageCheck *check = g_new0 (PageCheck, 1);

  check->path = g_strdup (path);
  check->thread = g_thread_new ("storyreel-page-check", page_check_thread, check);
  return check;
}

/* Waits for the check; FALSE (and the error, when @error is not NULL) when the file
 * is damaged. */
gboolean
page_check_finish (PageCheck  *check,
                   GFile      *file,
                   GError    **error)
{
  gboolean ok;

  g_thread_join (check->thread);
  ok = check->problem == NULL;
  if (!ok)
    {
      g_debug ("quick_check of %s: %s", check->path, check->problem);
      set_corrupt_error (error, file);
    }
  g_free (check->path);
  g_free (check->problem);
  g_free (check);
  return ok;
}


/* Opens @path for reading after every check: the header, the format version, and
 * SQLite's quick_check of every page (run on a thread when @out_check is given;
 * then page_check_finish() must be called). An older format comes back as an
 * upgraded copy in memory. */
sqlite3 *
open_for_reading (const char  *path,
                  GFile       *file,
                  GHashTable **out_meta,
                  int         *out_version,
                  PageCheck  **out_check,
                  GError     **error)
{
  g_autoptr(GHashTable) meta = NULL;
  g_autoptr(GError) migrate_error = NULL;
  PageCheck *check = NULL;
  sqlite3 *db = NULL;
  int version;
  int rc;

  recover_hot_journal (path);

  if (!check_header (path, file, error))
    return NULL;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    {
      reel_project_file_set_sqlite_error (error, file, db, rc, FALSE);
      sqlite3_close (db);
      return NULL;
    }
  /* Another Storyreel may be committing a save right now. */
  sqlite3_busy_timeout (db, 5000);

  meta = read_meta_table (db, file, error);
  if (meta == NULL || !check_format_version (meta, file, &version, error))
    {
      sqlite3_close (db);
      return NULL;
    }

  if (out_check != NULL)
    {
      check = page_check_start (path);
    }
  else
    {
      g_autofree char *problem = check_pages (db);

      if (problem != NULL)
        {
          g_debug ("quick_check of %s: %s", path, problem);
          sqlite3_close (db);
          set_corrupt_error (error, file);
          return NULL;
        }
    }

  /* Format 3 differs only in the generation records, which the loader reads as they
   * are (LAZY_READ_VERSION): a file of gigabytes of media is not copied into memory. */
  if (version < LAZY_READ_VERSION)
    {
      sqlite3 *memory = NULL;
      sqlite3_backup *backup;

      /* Upgrade a copy: the file stays readable by the version that wrote it until
       * the user saves. */
      if (sqlite3_open (":memory:", &memory) != SQLITE_OK)
        {
          reel_project_file_set_sqlite_error (error, file, memory, SQLITE_NOMEM, FALSE);
          sqlite3_close (memory);
          sqlite3_close (db);
          goto fail;
        }

      backup = sqlite3_backup_init (memory, "main", db, "main");
      rc = backup != NULL ? sqlite3_backup_step (backup, -1) : sqlite3_errcode (memory);
      sqlite3_backup_finish (backup);
      sqlite3_close (db);
      db = memory;

      if (rc != SQLITE_DONE)
        {
          reel_project_file_set_sqlite_error (error, file, db, rc, FALSE);
          sqlite3_close (db);
          goto fail;
        }

      if (!exec_sql (db, "BEGIN", file, FALSE, error))
        {
          sqlite3_close (db);
          goto fail;
        }
      if (!reel_project_schema_migrate (db, version, REEL_PROJECT_FILE_FORMAT_VERSION,
                                        &migrate_error) ||
          !exec_sql (db, "COMMIT", file, FALSE, &migrate_error))
        {
          /* An older file whose tables are not what that version wrote. */
          g_debug ("%s: %s", path, migrate_error->message);
          set_corrupt_error (error, file);
          sqlite3_close (db);
          goto fail;
        }
    }

  if (out_meta != NULL)
    *out_meta = g_steal_pointer (&meta);
  if (out_check != NULL)
    *out_check = check;
  *out_version = version;
  return db;

fail:
  if (check != NULL)
    page_check_finish (check, file, NULL);
  return NULL;
}

GHashTable *
reel_project_file_read_meta (GFile   *file,
                             GError **error)
{
  g_autofree char *path = dup_local_path (file, error);
  g_autoptr(GHashTable) meta = NULL;
  sqlite3 *db;
  int version;

  if (path == NULL)
    return NULL;

  db = open_for_reading (path, file, &meta, &version, NULL, error);
  if (db == NULL)
    return NULL;
  sqlite3_close (db);

  return g_steal_pointer (&meta);
}
