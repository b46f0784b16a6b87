/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ai/reel-openai.h"

G_BEGIN_DECLS

/* The parser of an images answer (transfer full: ReelAsset), for the fuzzer in
 * tests/fuzz. */
GPtrArray *reel_openai_parse_images (GBytes      *body,
                                     const char  *display_name,
                                     GError     **error);

G_END_DECLS
