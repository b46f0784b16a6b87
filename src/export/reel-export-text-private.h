/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Text helpers shared by the format writers. */

/* Appends one RFC 4180 field: quoted when it holds a comma, quote, CR or LF, inner quotes
 * doubled. A @text_cell that starts with = + - @ (after any leading white space, or their
 * full-width forms), TAB or CR is prefixed with an apostrophe so that spreadsheets show it
 * instead of running it as a formula. */
void   reel_export_csv_append_field   (GString    *row,
                                       const char *value,
                                       gboolean    text_cell);

/* Appends @text escaped for XML 1.0 element content or a double-quoted attribute. Characters
 * XML 1.0 cannot carry at all (C0 controls other than TAB, LF, CR) are dropped; in attributes
 * TAB, LF and CR become character references so a parser keeps them. */
void   reel_export_xml_append_escaped (GString    *out,
                                       const char *text,
                                       gboolean    attribute);

/* @text with every run of characters outside [A-Za-z0-9_-] replaced by one '_', leading and
 * trailing '_' removed, and cut to @max_chars (0 = no limit). Upper-cased when @upper.
 * Never empty: @fallback is returned (copied) when nothing is left. */
char  *reel_export_make_identifier    (const char *text,
                                       gsize       max_chars,
                                       gboolean    upper,
                                       const char *fallback);

/* @text on one line: CR, LF and TAB become spaces, runs of spaces collapse, C0 controls go. */
char  *reel_export_flatten_line       (const char *text);

/* FCPXML rational time of @frames at @rate_num/@rate_den fps: "0s", or "N/Ds" with D the
 * rate numerator so that every time is a whole number of frames ("1001/24000s"). */
char  *reel_export_rational_time      (gint64      frames,
                                       int         rate_num,
                                       int         rate_den);

G_END_DECLS
