/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A strict RFC 4180 reader: every record ends in CRLF (LF alone when @lf_records, for files
 * other programs wrote), quoted fields may hold commas, quotes (doubled) and line breaks,
 * unquoted fields may not, nothing follows a closing quote but a comma or the end of the
 * record, every record has the same number of fields, the text is UTF-8 without a BOM.
 * Returns an array of GStrv records, or NULL with a message in @error. */
GPtrArray *csv_read_strict (const char  *text,
                            gsize        length,
                            gboolean     lf_records,
                            char       **error);

G_END_DECLS
