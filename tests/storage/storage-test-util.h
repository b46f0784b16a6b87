/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/reel-core.h"

G_BEGIN_DECLS

/* A fresh empty folder under the test's build directory (transfer full). */
char     *storage_test_make_dir        (const char  *name);
/* The bytes of @path (transfer full), or NULL when it does not exist. */
GBytes   *storage_test_read_bytes      (const char  *path);
/* Opens a saved project file with SQLite as a test reads or tampers with it: after the
 * space a save gave back is compacted (a thread that holds the file's lock for a while),
 * and waiting on the lock rather than failing with SQLITE_BUSY (transfer full). */
struct sqlite3 *storage_test_open_db   (const char  *path,
                                        gboolean     read_only);
/* A new file at @path as Storyreel wrote format 3, by the schema's own migration steps,
 * holding project "Harbour" with scene 1 and its shot 1A; open, inside a transaction the
 * caller adds to and commits (transfer full). */
struct sqlite3 *storage_test_begin_format3 (const char *path);
/* Fails the test with the first scene/shot/field that differs. */
void      storage_test_assert_equal    (ReelProject *expected,
                                        ReelProject *actual,
                                        const char  *context);
/* Applies @n random plain edits of every kind the model has (fields, strokes,
 * layers, shots and scenes added, removed and moved, assets, plates). */
void      storage_test_random_edits    (ReelProject *project,
                                        GRand       *rand,
                                        guint        n);
/* A PNG of @width × @height noise (photographic entropy: it does not compress away). */
ReelAsset *storage_test_noise_image    (GRand       *rand,
                                        int          width,
                                        int          height);
/* A small real-looking sketch stroke (a freehand line). */
ReelStroke *storage_test_freehand_stroke (GRand     *rand,
                                          guint      n_points);

G_END_DECLS
