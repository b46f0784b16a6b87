/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/reel-project.h"

G_BEGIN_DECLS

/* Shots on the clipboard: JSON carrying every field, the sketch, the plate and the
 * images the shots use, so they paste into another scene, window or project. */
#define REEL_CLIPBOARD_MIME_TYPE "application/x-storyreel-shots"

/**
 * ReelClipboardShots:
 * @shots: (element-type ReelShot): new shots with new ids, in scene order
 * @assets: (element-type ReelAsset): the images the shots refer to
 *
 * What a paste brings: nothing of it is in a project yet.
 */
typedef struct
{
  GPtrArray *shots;
  GPtrArray *assets;
} ReelClipboardShots;

void                reel_clipboard_shots_free        (ReelClipboardShots *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelClipboardShots, reel_clipboard_shots_free)

/* The JSON document of @shots (ReelShot, from @project). Transfer full. */
GBytes             *reel_clipboard_serialize_shots   (ReelProject        *project,
                                                      GPtrArray          *shots);
/* Parses what reel_clipboard_serialize_shots() wrote for pasting into @target:
 * new ids, durations converted to @target's frame rate, plate paths made relative
 * to @target's file. G_IO_ERROR_INVALID_DATA for anything else. */
ReelClipboardShots *reel_clipboard_deserialize_shots (GBytes             *bytes,
                                                      ReelProject        *target,
                                                      GError            **error);

/* Puts @shots on @clipboard as REEL_CLIPBOARD_MIME_TYPE and, for spreadsheets and
 * text editors, as tab-separated text. Only the shots are read on the main thread; the
 * images are checked on a worker (a damaged one fails the copy, naming it) and travel
 * by reference to a paste in this process; the document another program asks for is
 * written on a worker then. Finishes TRUE once the clipboard holds the shots: Cut
 * removes them only then. A copy overtaken by a later one ends G_IO_ERROR_CANCELLED. */
void                reel_clipboard_copy_shots_async  (GdkClipboard       *clipboard,
                                                      ReelProject        *project,
                                                      GPtrArray          *shots,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
gboolean            reel_clipboard_copy_shots_finish (GdkClipboard       *clipboard,
                                                      GAsyncResult       *result,
                                                      GError            **error);
/* The shots on @clipboard, for pasting into @target, parsed on a worker thread; from a
 * copy in this process with the very same images (no bytes copied). Transfer full. */
void                reel_clipboard_paste_shots_async (GdkClipboard       *clipboard,
                                                      ReelProject        *target,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
ReelClipboardShots *reel_clipboard_paste_shots_finish (GdkClipboard      *clipboard,
                                                      GAsyncResult       *result,
                                                      GError            **error);
gboolean            reel_clipboard_has_shots         (GdkClipboard       *clipboard);
/* Reads the REEL_CLIPBOARD_MIME_TYPE bytes off @clipboard. */
void                reel_clipboard_read_shots_async  (GdkClipboard       *clipboard,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
GBytes             *reel_clipboard_read_shots_finish (GdkClipboard       *clipboard,
                                                      GAsyncResult       *result,
                                                      GError            **error);

G_END_DECLS
