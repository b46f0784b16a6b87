/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The key colour of a sketch plate: pure green, which no pen colour is. */
#define REEL_SKETCH_PLATE_KEY_COLOR 0x00ff00

GFile *reel_sketch_plate_write (gint64         n_frames,
                                int            rate_numerator,
                                int            rate_denominator,
                                int            width,
                                int            height,
                                GCancellable  *cancellable,
                                GError       **error);

G_END_DECLS
