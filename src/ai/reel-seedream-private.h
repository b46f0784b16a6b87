/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ai/reel-seedream.h"

G_BEGIN_DECLS

/**
 * ReelSeedreamParsed:
 * @assets: (element-type ReelAsset): the images made
 * @failures: (element-type utf8): why each of the others failed, as the service said
 * @asked: how many items the answer had
 */
typedef struct
{
  GPtrArray *assets;
  GPtrArray *failures;
  guint asked;
} ReelSeedreamParsed;

/* The parser of an images answer body: at least one image, or an error naming
 * @display_name. Adds the service's usage report to @record, which the images share.
 * Pure and thread-safe; the fuzzer in tests/fuzz feeds it. Transfer full. */
ReelSeedreamParsed *reel_seedream_parse_images (GBytes                *body,
                                                const char            *display_name,
                                                ReelGenerationRecord  *record,
                                                GError               **error);
void                reel_seedream_parsed_free  (ReelSeedreamParsed    *parsed);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelSeedreamParsed, reel_seedream_parsed_free)

G_END_DECLS
