/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * ReelUsageTotals:
 *
 * What the services reported for the images of a run (tokens, image counts), added up per
 * provider: the batch dialog and `storyreel generate` print them.
 */
typedef struct _ReelUsageTotals ReelUsageTotals;

ReelUsageTotals *reel_usage_totals_new        (void);
void             reel_usage_totals_free       (ReelUsageTotals *self);
/* Adds the usage in the records of @assets (ReelAsset), once per record: images of one call
 * share their record and its report. Nested members count as "parent.member". */
void             reel_usage_totals_add_assets (ReelUsageTotals *self,
                                               GPtrArray       *assets);
/* One translated line per provider that reported anything ("Usage reported by OpenAI:
 * total_tokens 300, input_tokens 120"), in the order they first did; NULL when none did. */
char            *reel_usage_totals_format     (ReelUsageTotals *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelUsageTotals, reel_usage_totals_free)

G_END_DECLS
