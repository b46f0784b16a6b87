/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* GStreamer's matroskamux stores every tag through gst_value_serialize(), so a WebM's
 * COMMENT reads `"Storyboard\ animatic\ made…"` in exiftool and in players. This rewrites,
 * in place, each tag string in @file that is in that quoted form as the plain text it
 * stands for (zero-padded to the same size, as EBML allows, so no offset in the file moves).
 * A file that is not Matroska/WebM is left alone. FALSE with @error when @file cannot be
 * read or written. */
gboolean reel_export_matroska_unquote_tags (GFile   *file,
                                            GError **error);

/* The text that gst_value_serialize() made @quoted from (a quoted string with backslash
 * escapes and \ooo octal bytes), or NULL when @quoted is not in that form (transfer full). */
char    *reel_export_matroska_unquote      (const char *quoted,
                                            gsize       length);

G_END_DECLS
