/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "reel-crash-vfs.h"

typedef struct
{
  gint64 offset;
  GBytes *data;
} Write;

typedef struct
{
  GBytes *durable;      /* at its last sync; NULL: never synced (empty) */
  GArray *pending;      /* Write since then */
  gboolean database;    /* opened by SQLite as a main database */
} Inode;

typedef struct
{
  sqlite3_file base;
  sqlite3_file *real;   /* the default VFS's file, allocated after this struct */
  char *path;           /* NULL when not followed */
} CrashFile;

static GMutex lock;
static char *folder;
static GHashTable *inodes;       /* GUINT id → Inode */
static GHashTable *current;      /* path → GUINT id: the folder as it is */
static GHashTable *durable;      /* path → GUINT id: the folder at its last sync */
static guint next_inode;
static guint points;
static guint crash_at;
static gboolean crashed;
static sqlite3_vfs *base_vfs;
static sqlite3_vfs crash_vfs;

static void
write_clear (Write *write)
{
  g_bytes_unref (write->data);
}

static void
inode_free (Inode *inode)
{
  g_clear_pointer (&inode->durable, g_bytes_unref);
  g_array_unref (inode->pending);
  g_free (inode);
}

static guint
inode_new (GBytes *content)
{
  Inode *inode = g_new0 (Inode, 1);
  guint id = ++next_inode;

  inode->durable = content != NULL ? g_bytes_ref (content) : NULL;
  inode->pending = g_array_new (FALSE, FALSE, sizeof (Write));
  g_array_set_clear_func (inode->pending, (GDestroyNotify) write_clear);
  g_hash_table_insert (inodes, GUINT_TO_POINTER (id), inode);
  return id;
}

static gboolean
followed (const char *path)
{
  g_autofree char *dir = NULL;

  if (folder == NULL || path == NULL)
    return FALSE;
  dir = g_path_get_dirname (path);
  return g_str_equal (dir, folder);
}

static GBytes *
read_real (const char *path)
{
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return g_bytes_new (NULL, 0);
  return g_bytes_new_take (contents, length);
}

/* One more sync point: FALSE when the power is gone (at this point or before). */
static gboolean
reach_point (void)
{
  if (crashed)
    return FALSE;
  points++;
  if (g_getenv ("CRASH_VFS_TRACE") != NULL)
    g_test_message ("sync point %u", points);
  if (crash_at != 0 && points == crash_at)
    {
      crashed = TRUE;
      return FALSE;
    }
  return TRUE;
}

static Inode *
inode_of (const char *path)
{
  gpointer id = g_hash_table_lookup (current, path);

  return id != NULL ? g_hash_table_lookup (inodes, id) : NULL;
}

/* What is on disk of @path's file is what it holds now; its name is too. */
static void
sync_path (const char *path)
{
  Inode *inode = inode_of (path);

  if (inode == NULL)
    return;
  g_clear_pointer (&inode->durable, g_bytes_unref);
  inode->durable = read_real (path);
  g_array_set_size (inode->pending, 0);
  g_hash_table_replace (durable, g_strdup (path), g_hash_table_lookup (current, path));
}

/* The file's methods. */

static int
crash_close (sqlite3_file *file)
{
  CrashFile *self = (CrashFile *) file;
  int rc = self->real->pMethods != NULL ? self->real->pMethods->xClose (self->real) : SQLITE_OK;

  g_free (self->path);
  return rc;
}

static int
crash_read (sqlite3_file *file,
            void         *buffer,
            int           amount,
            sqlite3_int64 offset)
{
  CrashFile *self = (CrashFile *) file;

  return self->real->pMethods->xRead (self->real, buffer, amount, offset);
}

static int
crash_write (sqlite3_file *file,
             const void   *buffer,
             int           amount,
             sqlite3_int64 offset)
{
  CrashFile *self = (CrashFile *) file;
  int rc;

  g_mutex_lock (&lock);
  if (self->path != NULL && crashed)
    {
      g_mutex_unlock (&lock);
      return SQLITE_IOERR_WRITE;
    }
  rc = self->real->pMethods->xWrite (self->real, buffer, amount, offset);
  if (rc == SQLITE_OK && self->path != NULL)
    {
      Inode *inode = inode_of (self->path);
      Write write = { offset, g_bytes_new (buffer, amount) };

      if (inode != NULL)
        g_array_append_val (inode->pending, write);
      else
        g_bytes_unref (write.data);
    }
  g_mutex_unlock (&lock);
  return rc;
}

static int
crash_truncate (sqlite3_file *file,
                sqlite3_int64 size)
{
  CrashFile *self = (CrashFile *) file;

  if (self->path != NULL && crashed)
    return SQLITE_IOERR_TRUNCATE;
  return self->real->pMethods->xTruncate (self->real, size);
}

static int
crash_sync (sqlite3_file *file,
            int           flags)
{
  CrashFile *self = (CrashFile *) file;
  int rc;

  if (self->path == NULL)
    return self->real->pMethods->xSync (self->real, flags);

  g_mutex_lock (&lock);
  if (g_getenv ("CRASH_VFS_TRACE") != NULL)
    g_test_message ("xSync %s", self->path);
  if (!reach_point ())
    {
      g_mutex_unlock (&lock);
      return SQLITE_IOERR_FSYNC;
    }
  rc = self->real->pMethods->xSync (self->real, flags);
  /* The unix VFS syncs a new journal's folder with its first sync. */
  if (rc == SQLITE_OK)
    sync_path (self->path);
  g_mutex_unlock (&lock);
  return rc;
}

static int
crash_file_size (sqlite3_file  *file,
                 sqlite3_int64 *size)
{
  CrashFile *self = (CrashFile *) file;

  return self->real->pMethods->xFileSize (self->real, size);
}

static int
crash_lock (sqlite3_file *file,
            int           level)
{
  CrashFile *self = (CrashFile *) file;

  return self->real->pMethods->xLock (self->real, level);
}

static int
crash_unlock (sqlite3_file *file,
              int           level)
{
  CrashFile *self = (CrashFile *) file;

  return self->real->pMethods->xUnlock (self->real, level);
}

static int
crash_check_reserved_lock (sqlite3_file *file,
                           int          *result)
{
  CrashFile *self = (CrashFile *) file;

  return self->real->pMethods->xCheckReservedLock (self->real, result);
}

static int
crash_file_control (sqlite3_file *file,
                    int           op,
                    void         *arg)
{
  CrashFile *self = (CrashFile *) file;

  return self->real->pMethods->xFileControl (self->real, op, arg);
}

static int
crash_sector_size (sqlite3_file *file)
{
  CrashFile *self = (CrashFile *) file;

  return self->real->pMethods->xSectorSize (self->real);
}

static int
crash_device_characteristics (sqlite3_file *file)
{
  CrashFile *self = (CrashFile *) file;

  return self->real->pMethods->xDeviceCharacteristics (self->real);
}

/* Version 1: no shared memory (no WAL) and no memory mapping, so every write
 * passes through here. */
static const sqlite3_io_methods crash_io_methods = {
  1,
  crash_close,
  crash_read,
  crash_write,
  crash_truncate,
  crash_sync,
  crash_file_size,
  crash_lock,
  crash_unlock,
  crash_check_reserved_lock,
  crash_file_control,
  crash_sector_size,
  crash_device_characteristics,
  NULL, NULL, NULL, NULL, NULL, NULL,
};

/* The VFS's methods. */

static int
crash_open (sqlite3_vfs  *vfs,
            const char   *name,
            sqlite3_file *file,
            int           flags,
            int          *out_flags)
{
  CrashFile *self = (CrashFile *) file;
  int rc;

  memset (self, 0, sizeof *self);
  self->real = (sqlite3_file *) (self + 1);
  rc = base_vfs->xOpen (base_vfs, name, self->real, flags, out_flags);
  if (rc != SQLITE_OK)
    {
      self->base.pMethods = NULL;
      return rc;
    }
  self->base.pMethods = &crash_io_methods;

  g_mutex_lock (&lock);
  if (followed (name))
    {
      Inode *inode;

      self->path = g_strdup (name);
      if (!g_hash_table_contains (current, name))
        g_hash_table_insert (current, g_strdup (name), GUINT_TO_POINTER (inode_new (NULL)));
      inode = inode_of (name);
      if (flags & SQLITE_OPEN_MAIN_DB)
        inode->database = TRUE;
    }
  g_mutex_unlock (&lock);
  return SQLITE_OK;
}

static int
crash_delete (sqlite3_vfs *vfs,
              const char  *name,
              int          sync_dir)
{
  int rc;

  g_mutex_lock (&lock);
  if (!followed (name))
    {
      g_mutex_unlock (&lock);
      return base_vfs->xDelete (base_vfs, name, sync_dir);
    }
  if (crashed || (sync_dir && !reach_point ()))
    {
      g_mutex_unlock (&lock);
      return SQLITE_IOERR_DELETE;
    }
  rc = base_vfs->xDelete (base_vfs, name, sync_dir);
  g_hash_table_remove (current, name);
  if (sync_dir)
    g_hash_table_remove (durable, name);
  g_mutex_unlock (&lock);
  return rc;
}

static int
crash_access (sqlite3_vfs *vfs,
              const char  *name,
              int          flags,
              int         *result)
{
  return base_vfs->xAccess (base_vfs, name, flags, result);
}

static int
crash_full_pathname (sqlite3_vfs *vfs,
                     const char  *name,
                     int          n_out,
                     char        *out)
{
  return base_vfs->xFullPathname (base_vfs, name, n_out, out);
}

/* The save's own steps. */

static gboolean
crash_sync_file (const char *path)
{
  gboolean ok;

  g_mutex_lock (&lock);
  ok = !followed (path) || reach_point ();
  if (ok && followed (path))
    {
      Inode *inode = inode_of (path);

      /* A file's own sync does not make its name durable: only its content. */
      if (inode != NULL)
        {
          g_clear_pointer (&inode->durable, g_bytes_unref);
          inode->durable = read_real (path);
          g_array_set_size (inode->pending, 0);
        }
    }
  g_mutex_unlock (&lock);
  if (!ok)
    errno = EIO;
  return ok;
}

static gboolean
crash_sync_directory (const char *path)
{
  gboolean ok;

  g_mutex_lock (&lock);
  ok = g_strcmp0 (path, folder) != 0 || reach_point ();
  if (ok && g_strcmp0 (path, folder) == 0)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_remove_all (durable);
      g_hash_table_iter_init (&iter, current);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (durable, g_strdup (key), value);
    }
  g_mutex_unlock (&lock);
  if (!ok)
    errno = EIO;
  return ok;
}

static int
crash_rename (const char *from,
              const char *to)
{
  int rc;

  g_mutex_lock (&lock);
  if (followed (to) && !reach_point ())
    {
      g_mutex_unlock (&lock);
      errno = EIO;
      return -1;
    }
  rc = g_rename (from, to);
  if (rc == 0 && followed (to))
    {
      gpointer id = g_hash_table_lookup (current, from);

      /* Made outside SQLite and never opened by it: a file of its own. */
      if (id == NULL)
        id = GUINT_TO_POINTER (inode_new (NULL));
      g_hash_table_remove (current, from);
      g_hash_table_replace (current, g_strdup (to), id);
    }
  g_mutex_unlock (&lock);
  return rc;
}

static const ReelProjectFileSystemOps crash_ops = {
  crash_sync_file,
  crash_sync_directory,
  crash_rename,
};

void
crash_vfs_install (void)
{
  if (base_vfs != NULL)
    return;

  base_vfs = sqlite3_vfs_find (NULL);
  crash_vfs = *base_vfs;
  crash_vfs.iVersion = 1;
  crash_vfs.szOsFile = sizeof (CrashFile) + base_vfs->szOsFile;
  crash_vfs.zName = "storyreel-crash";
  crash_vfs.pNext = NULL;
  crash_vfs.xOpen = crash_open;
  crash_vfs.xDelete = crash_delete;
  crash_vfs.xAccess = crash_access;
  crash_vfs.xFullPathname = crash_full_pathname;
  g_assert_cmpint (sqlite3_vfs_register (&crash_vfs, 1), ==, SQLITE_OK);
  reel_project_file_set_system_ops (&crash_ops);

  inodes = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) inode_free);
  current = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  durable = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
crash_vfs_reset (const char *dir)
{
  g_autoptr(GDir) d = NULL;
  const char *name;
  char *copy = g_strdup (dir);

  g_mutex_lock (&lock);
  g_free (folder);
  folder = copy;
  g_hash_table_remove_all (current);
  g_hash_table_remove_all (durable);
  g_hash_table_remove_all (inodes);
  points = 0;
  crash_at = 0;
  crashed = FALSE;

  /* @dir may be the old folder string, freed above. */
  d = g_dir_open (folder, 0, NULL);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autoptr(GBytes) content = read_real (path);
      guint id = inode_new (content);

      g_hash_table_insert (current, g_strdup (path), GUINT_TO_POINTER (id));
      g_hash_table_insert (durable, g_strdup (path), GUINT_TO_POINTER (id));
    }
  g_mutex_unlock (&lock);
}

void
crash_vfs_arm (guint point)
{
  g_mutex_lock (&lock);
  crash_at = point;
  g_mutex_unlock (&lock);
}

guint
crash_vfs_get_points (void)
{
  return points;
}

gboolean
crash_vfs_crashed (void)
{
  return crashed;
}

/* What the disk holds of @inode, whose unsynced writes may be on the platter in
 * part: @keep_some keeps every other one. */
static GBytes *
disk_content (Inode    *inode,
              gboolean  keep_some)
{
  GByteArray *content = g_byte_array_new ();

  if (inode->durable != NULL)
    g_byte_array_append (content, g_bytes_get_data (inode->durable, NULL),
                         g_bytes_get_size (inode->durable));
  for (guint i = 0; keep_some && i < inode->pending->len; i += 2)
    {
      Write *write = &g_array_index (inode->pending, Write, i);
      gsize size = g_bytes_get_size (write->data);

      if (content->len < write->offset + size)
        g_byte_array_set_size (content, write->offset + size);
      memcpy (content->data + write->offset, g_bytes_get_data (write->data, NULL), size);
    }
  return g_byte_array_free_to_bytes (content);
}

void
crash_vfs_power_cut (CrashMode mode)
{
  g_autoptr(GDir) d = NULL;
  g_autoptr(GHashTable) contents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) g_bytes_unref);
  GHashTableIter iter;
  gpointer key, value;
  const char *name;

  g_mutex_lock (&lock);
  g_hash_table_iter_init (&iter, durable);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Inode *inode = g_hash_table_lookup (inodes, value);

      g_hash_table_insert (contents, g_strdup (key),
                           disk_content (inode, mode == CRASH_KEEP_SOME && inode->database));
    }

  d = g_dir_open (folder, 0, NULL);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      g_unlink (path);
    }

  g_hash_table_iter_init (&iter, contents);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_true (g_file_set_contents (key, g_bytes_get_data (value, NULL),
                                        g_bytes_get_size (value), NULL));
  g_mutex_unlock (&lock);

  /* The machine starts again: what is there now is on disk. */
  crash_vfs_reset (folder);
}
