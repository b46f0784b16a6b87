/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define REEL_STORAGE_ERROR (reel_storage_error_quark ())

/**
 * ReelStorageError:
 * @REEL_STORAGE_ERROR_FAILED: anything not covered below
 * @REEL_STORAGE_ERROR_NOT_FOUND: the file does not exist
 * @REEL_STORAGE_ERROR_PERMISSION: the file or its folder may not be read or written
 * @REEL_STORAGE_ERROR_EMPTY: the file is empty
 * @REEL_STORAGE_ERROR_TRUNCATED: the file ends before the data it announces
 * @REEL_STORAGE_ERROR_NOT_PROJECT: the file is not a database at all
 * @REEL_STORAGE_ERROR_FOREIGN: the file is another program's SQLite database
 * @REEL_STORAGE_ERROR_NEWER_VERSION: the file was made by a newer Storyreel
 * @REEL_STORAGE_ERROR_CORRUPT: the database is damaged
 * @REEL_STORAGE_ERROR_DISK_FULL: no space was left to write the file
 * @REEL_STORAGE_ERROR_EXISTS: the target exists and may not be replaced
 * @REEL_STORAGE_ERROR_INVALID_SCRIPT: a screenplay could not be read as text
 * @REEL_STORAGE_ERROR_MISSING_MEDIA: images or clips a recovered project took from its
 *   document are no longer there (the rest was restored)
 *
 * Errors of src/storage. Every message is translated and names the file.
 */
typedef enum {
  REEL_STORAGE_ERROR_FAILED,
  REEL_STORAGE_ERROR_NOT_FOUND,
  REEL_STORAGE_ERROR_PERMISSION,
  REEL_STORAGE_ERROR_EMPTY,
  REEL_STORAGE_ERROR_TRUNCATED,
  REEL_STORAGE_ERROR_NOT_PROJECT,
  REEL_STORAGE_ERROR_FOREIGN,
  REEL_STORAGE_ERROR_NEWER_VERSION,
  REEL_STORAGE_ERROR_CORRUPT,
  REEL_STORAGE_ERROR_DISK_FULL,
  REEL_STORAGE_ERROR_EXISTS,
  REEL_STORAGE_ERROR_INVALID_SCRIPT,
  REEL_STORAGE_ERROR_MISSING_MEDIA,
} ReelStorageError;

GQuark reel_storage_error_quark (void);

G_END_DECLS
