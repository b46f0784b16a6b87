/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/reel-project.h"

G_BEGIN_DECLS

/* The screenplay as a flat list of elements, before it becomes scenes and shots.
 * Exposed to the tests so that each Fountain rule can be checked on its own. */
typedef enum {
  REEL_FOUNTAIN_SCENE_HEADING,
  REEL_FOUNTAIN_ACTION,
  REEL_FOUNTAIN_CHARACTER,
  REEL_FOUNTAIN_DIALOGUE,
  REEL_FOUNTAIN_PARENTHETICAL,
  REEL_FOUNTAIN_TRANSITION,
  REEL_FOUNTAIN_CENTERED,
  REEL_FOUNTAIN_LYRIC,
  REEL_FOUNTAIN_SYNOPSIS,
  REEL_FOUNTAIN_SECTION,
  REEL_FOUNTAIN_PAGE_BREAK,
} ReelFountainKind;

typedef struct {
  ReelFountainKind kind;
  char *text;          /* emphasis markers stripped; headings without their scene number */
  char *scene_number;  /* "12A" from "#12A#", or NULL */
  guint depth;         /* the number of '#' of a section */
} ReelFountainElement;

typedef struct {
  GPtrArray *title_keys;    /* normalised keys: "title", "credit", "author", "draft_date", … */
  GPtrArray *title_values;  /* the values, multi-line values joined with '\n' */
  GPtrArray *elements;      /* of ReelFountainElement */
} ReelFountainDocument;

/* An empty document, for other screenplay formats to fill (transfer full). */
ReelFountainDocument *reel_fountain_document_new   (void);
ReelFountainDocument *reel_fountain_document_parse (const char *text);
void                  reel_fountain_document_free  (ReelFountainDocument *document);
const char           *reel_fountain_document_lookup_title (ReelFountainDocument *document,
                                                           const char           *key);

/* Scenes and shots from @document, by the rules of reel-fountain.h (transfer full). Final
 * Draft import builds its projects the same way. */
ReelProject          *reel_fountain_build_project  (ReelFountainDocument *document);

/* Parses a whole screenplay file's bytes; @name names the file in errors. */
typedef ReelProject *(*ReelScriptParseFunc) (const char  *data,
                                             gsize        length,
                                             const char  *name,
                                             GError     **error);

/* Reads @file for a screenplay importer: refuses it before reading when it is larger than
 * @max_size bytes, turns a file that cannot be read into a REEL_STORAGE_ERROR naming it,
 * parses the bytes with @parse and, when the script has no title, titles the project after
 * the file's name without its extension (transfer full). */
ReelProject          *reel_script_import_file      (GFile                *file,
                                                    gsize                 max_size,
                                                    ReelScriptParseFunc   parse,
                                                    GError              **error);

/* reel_script_import_file() on a worker thread; the task carries @source_tag, and its
 * result is taken with reel_script_import_finish(). */
void                  reel_script_import_async     (GFile                *file,
                                                    gsize                 max_size,
                                                    ReelScriptParseFunc   parse,
                                                    gpointer              source_tag,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
ReelProject          *reel_script_import_finish    (GAsyncResult         *result,
                                                    GError              **error);

char                 *reel_fountain_strip_emphasis (const char *text);
double                reel_fountain_count_words    (const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelFountainDocument, reel_fountain_document_free)

G_END_DECLS
