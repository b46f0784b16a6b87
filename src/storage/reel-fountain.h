/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/reel-project.h"
#include "storage/reel-storage-error.h"

G_BEGIN_DECLS

/*
 * A project from a Fountain screenplay (fountain.io).
 *
 * - The title page gives the project title and its metadata (author, credit, draft
 *   date, contact … as reel-project.h keys; other keys are kept lowercased).
 * - Each scene heading (INT, EXT, EST, INT./EXT, INT/EXT, I/E, or forced with a
 *   leading '.') is a scene: INT/EXT, location and time of day (after the last
 *   " - "), its number from "#12#". When the script numbers no scene, scenes are
 *   numbered 1, 2, 3 …
 * - Each synopsis ("= …") inside a scene is a shot described by it; the action and
 *   dialogue after it belong to that shot. A scene without synopses is one shot
 *   described by its action; action before a scene's first synopsis is a shot too.
 * - Dialogue goes to the current shot as "NAME: line" lines, parentheticals kept;
 *   the speakers become the shot's cast. Shots are numbered 12A, 12B … per scene.
 * - Duration estimate, at the project's frame rate: one second per 12 words of
 *   action plus one second per 2.5 words of dialogue, at least one second (two
 *   Chinese or Japanese characters count as a word).
 * - Notes, boneyard, sections, transitions, centered text, lyrics markers and page
 *   breaks give no shots; emphasis markers are removed.
 *
 * Files may be UTF-8 (with or without BOM) or Windows-1252, with any line ends. An
 * empty file, one that is not text or one larger than REEL_FOUNTAIN_MAX_SIZE bytes is
 * REEL_STORAGE_ERROR_INVALID_SCRIPT.
 */

#define REEL_FOUNTAIN_MAX_SIZE (64 * 1024 * 1024)

/* Transfer full; the project is untitled (no file) and not modified. */
ReelProject *reel_fountain_import             (GFile                *file,
                                               GError              **error);
/* @length -1 for NUL-terminated @text. */
ReelProject *reel_fountain_import_from_string (const char           *text,
                                               gssize                length,
                                               GError              **error);
void         reel_fountain_import_async       (GFile                *file,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
ReelProject *reel_fountain_import_finish      (GAsyncResult         *result,
                                               GError              **error);

G_END_DECLS
