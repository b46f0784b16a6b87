/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-storage"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-project-file-private.h"
#include "reel-storage-error.h"

/*
 * Lazy media: the assets of an opened project keep their bytes in the file, and this
 * source reads them by content hash when they are shown (on a worker thread). One
 * read-only connection, opened on the first read and shared under a lock; a blob is
 * read with SQLite's incremental blob I/O, so it is copied once, and a video is
 * written out in pieces.
 *
 * The connection keeps the file it opened: a save that replaces the file (a whole
 * rewrite renames a new one over it) leaves this source reading the old one, which
 * holds every asset it was made for. An in-place save is seen at once.
 */

#define CHUNK_BYTES (1024 * 1024)

struct _ReelAssetFileSource
{
  GObject parent_instance;

  GFile *file;
  char *path;
  GMutex lock;
  sqlite3 *db;          /* under @lock */
  sqlite3_stmt *find;   /* under @lock */
};

static void reel_asset_file_source_iface_init (ReelAssetSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReelAssetFileSource, reel_asset_file_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REEL_TYPE_ASSET_SOURCE,
                                                      reel_asset_file_source_iface_init))

static void
close_locked (ReelAssetFileSource *self)
{
  g_clear_pointer (&self->find, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
}

static gboolean
open_locked (ReelAssetFileSource  *self,
             GError              **error)
{
  int rc;

  if (self->db != NULL)
    return TRUE;

  rc = sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (self->db, 5000);
      rc = sqlite3_prepare_v2 (self->db, "SELECT rowid FROM assets WHERE hash = ?", -1,
                               &self->find, NULL);
    }
  if (rc != SQLITE_OK)
    {
      reel_project_file_set_sqlite_error (error, self->file, self->db, rc, FALSE);
      close_locked (self);
      return FALSE;
    }
  return TRUE;
}

/* Opens the blob of @hash, with the lock held. */
static sqlite3_blob *
open_blob_locked (ReelAssetFileSource  *self,
                  const char           *hash,
                  GError              **error)
{
  sqlite3_blob *blob = NULL;
  sqlite3_int64 rowid;
  int rc;

  if (!open_locked (self, error))
    return NULL;

  sqlite3_bind_text (self->find, 1, hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (self->find);
  rowid = rc == SQLITE_ROW ? sqlite3_column_int64 (self->find, 0) : 0;
  sqlite3_reset (self->find);
  sqlite3_clear_bindings (self->find);

  if (rc == SQLITE_DONE)
    {
      g_autofree char *name = g_file_get_basename (self->file);

      g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_CORRUPT,
                   /* Translators: %.12s is the start of the image's content hash, its name
                    * in the project file; %s the file name */
                   _("The image %.12s is missing from “%s”. Add or generate it again; the "
                     "rest of the project is not affected."), hash, name);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      reel_project_file_set_sqlite_error (error, self->file, self->db, rc, FALSE);
      return NULL;
    }

  rc = sqlite3_blob_open (self->db, "main", "assets", "data", rowid, 0, &blob);
  if (rc != SQLITE_OK)
    {
      reel_project_file_set_sqlite_error (error, self->file, self->db, rc, FALSE);
      sqlite3_blob_close (blob);
      return NULL;
    }
  return blob;
}

static GBytes *
reel_asset_file_source_read (ReelAssetSource  *source,
                             const char       *hash,
                             GCancellable     *cancellable,
                             GError          **error)
{
  ReelAssetFileSource *self = REEL_ASSET_FILE_SOURCE (source);
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3_blob *blob;
  guint8 *buffer;
  int size;
  int rc;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  locker = g_mutex_locker_new (&self->lock);
  blob = open_blob_locked (self, hash, error);
  if (blob == NULL)
    return NULL;

  size = sqlite3_blob_bytes (blob);
  buffer = g_try_malloc (MAX (size, 1));
  if (buffer == NULL)
    {
      sqlite3_blob_close (blob);
      reel_project_file_set_sqlite_error (error, self->file, self->db, SQLITE_NOMEM, FALSE);
      return NULL;
    }

  rc = sqlite3_blob_read (blob, buffer, size, 0);
  sqlite3_blob_close (blob);
  if (rc != SQLITE_OK)
    {
      g_free (buffer);
      reel_project_file_set_sqlite_error (error, self->file, self->db, rc, FALSE);
      return NULL;
    }

  return g_bytes_new_take (buffer, size);
}

static gboolean
reel_asset_file_source_write_to (ReelAssetSource  *source,
                                 const char       *hash,
                                 GOutputStream    *out,
                                 GCancellable     *cancellable,
                                 GError          **error)
{
  ReelAssetFileSource *self = REEL_ASSET_FILE_SOURCE (source);
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree guint8 *buffer = NULL;
  sqlite3_blob *blob;
  int size;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  locker = g_mutex_locker_new (&self->lock);
  blob = open_blob_locked (self, hash, error);
  if (blob == NULL)
    return FALSE;

  size = sqlite3_blob_bytes (blob);
  buffer = g_malloc (CHUNK_BYTES);
  for (int offset = 0; offset < size; offset += CHUNK_BYTES)
    {
      int n = MIN (CHUNK_BYTES, size - offset);
      int rc = sqlite3_blob_read (blob, buffer, n, offset);

      if (rc != SQLITE_OK)
        {
          reel_project_file_set_sqlite_error (error, self->file, self->db, rc, FALSE);
          sqlite3_blob_close (blob);
          return FALSE;
        }
      if (!g_output_stream_write_all (out, buffer, n, NULL, cancellable, error))
        {
          sqlite3_blob_close (blob);
          return FALSE;
        }
    }

  sqlite3_blob_close (blob);
  return TRUE;
}

static void
reel_asset_file_source_iface_init (ReelAssetSourceInterface *iface)
{
  iface->read = reel_asset_file_source_read;
  iface->write_to = reel_asset_file_source_write_to;
}

static void
reel_asset_file_source_finalize (GObject *object)
{
  ReelAssetFileSource *self = REEL_ASSET_FILE_SOURCE (object);

  close_locked (self);
  g_mutex_clear (&self->lock);
  g_clear_object (&self->file);
  g_free (self->path);

  G_OBJECT_CLASS (reel_asset_file_source_parent_class)->finalize (object);
}

static void
reel_asset_file_source_class_init (ReelAssetFileSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = reel_asset_file_source_finalize;
}

static void
reel_asset_file_source_init (ReelAssetFileSource *self)
{
  g_mutex_init (&self->lock);
}

ReelAssetFileSource *
reel_asset_file_source_new (GFile      *file,
                            const char *path)
{
  ReelAssetFileSource *self = g_object_new (REEL_TYPE_ASSET_FILE_SOURCE, NULL);

  self->file = g_object_ref (file);
  self->path = g_strdup (path);

  /* Open now (preparing reads the schema): the connection keeps the file it opened
   * even when a recovery file is deleted or a save renames a new file over it. */
  g_mutex_lock (&self->lock);
  open_locked (self, NULL);
  g_mutex_unlock (&self->lock);
  return self;
}

gboolean
reel_asset_file_source_has_path (ReelAssetFileSource *self,
                                 const char          *path)
{
  g_return_val_if_fail (REEL_IS_ASSET_FILE_SOURCE (self), FALSE);

  return g_strcmp0 (self->path, path) == 0;
}
