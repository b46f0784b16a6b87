/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/reel-core.h"

G_BEGIN_DECLS

/* A fresh empty folder under the test's build directory (transfer full). */
char     *storage_test_make_dir        (const char  *name);
/* The bytes of @path (transfer full), or NULL when it does not exist. */
GBytes   *storage_test_read_bytes      (const char  *path);
/* Fails the test with the first scene/shot/field that differs. */
void      storage_test_assert_equal    (ReelProject *expected,
                                        ReelProject *actual,
                                        const char  *context);
/* Applies @n random plain edits of every kind the model has (fields, strokes,
 * layers, shots and scenes added, removed and moved, assets, plates). */
void      storage_test_random_edits    (ReelProject *project,
                                        GRand       *rand,
                                        guint        n);
/* A small real-looking sketch stroke (a freehand line). */
ReelStroke *storage_test_freehand_stroke (GRand     *rand,
                                          guint      n_points);

G_END_DECLS
