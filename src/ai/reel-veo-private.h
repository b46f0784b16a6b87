/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "ai/reel-veo.h"

G_BEGIN_DECLS

/* The parsers of Veo's answers, pure, for the fuzzer in tests/fuzz. */

/* A fetchPredictOperation answer: FALSE and @error when the operation failed, was blocked
 * or ended without an inline clip; TRUE otherwise, with *@done and *@video (transfer full)
 * once the clip is ready. @key (nullable) never reaches the error. */
gboolean    reel_veo_parse_operation      (JsonObject  *operation,
                                           const char  *display_name,
                                           const char  *key,
                                           gboolean    *done,
                                           GBytes     **video,
                                           GError     **error);
/* The name of the operation predictLongRunning started (transfer none: in @answer),
 * or NULL and @error when it is not a safe operation name. */
const char *reel_veo_parse_operation_name (JsonObject  *answer,
                                           const char  *display_name,
                                           GError     **error);

G_END_DECLS
