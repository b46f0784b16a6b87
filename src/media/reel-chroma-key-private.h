/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "reel-chroma-key.h"

G_BEGIN_DECLS

/* For tests/media/test-chroma-key.c: composite pixel by pixel only, without the vector
 * path, so that the two can be compared to the bit. Takes effect from the next frame. */
void reel_chroma_key_set_reference_path (ReelChromaKey *self,
                                         gboolean       reference);

G_END_DECLS
