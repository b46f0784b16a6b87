/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "storage/reel-project-file-private.h"

G_BEGIN_DECLS

/*
 * A power cut, simulated: a SQLite VFS wrapping the default one (and the save's
 * steps outside SQLite, through ReelProjectFileSystemOps) that records what each
 * file holds at its last sync, the writes since, and which names the folder held
 * at its last sync. Every sync (a file's xSync, a journal deleted with a folder
 * sync, the save's own file and folder syncs and its rename) is a numbered point;
 * at the chosen one the "power goes": that step and every later one fails, and
 * crash_vfs_power_cut() puts the folder back as the disk would have it — what
 * was synced, plus (CRASH_KEEP_SOME) every other unsynced write of the database
 * files, since the disk may have written some of them in any order.
 *
 * Only files in the folder given to crash_vfs_reset() are followed.
 */

typedef enum {
  CRASH_DROP_UNSYNCED,  /* nothing written since a sync survives */
  CRASH_KEEP_SOME,      /* every other unsynced write of a database file survives */
} CrashMode;

/* Registers the VFS as the default one and installs the file-system steps. */
void  crash_vfs_install     (void);
/* Starts following @dir: what is in it now is on disk. No crash armed. */
void  crash_vfs_reset       (const char *dir);
/* The power goes at sync point @point (1-based; 0: never). */
void  crash_vfs_arm         (guint       point);
/* Sync points seen since the last reset. */
guint crash_vfs_get_points  (void);
gboolean crash_vfs_crashed  (void);
/* Makes the folder what the disk holds after the power cut (or now, when the
 * power did not go: a cut right after the last step). */
void  crash_vfs_power_cut   (CrashMode   mode);

G_END_DECLS
