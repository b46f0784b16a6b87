/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/reel-project.h"

G_BEGIN_DECLS

/*
 * Autosave: unsaved work written to a recovery file under
 * $XDG_STATE_HOME/storyreel/ (folder 0700, files 0600) after a few seconds without
 * edits, and offered back at the next start.
 *
 * Create one ReelAutosave per open project and keep it as long as the window. It
 * follows the project by itself: every change (while the project is modified)
 * restarts the idle timer, but the recovery file is written at the latest
 * "max-wait" after the oldest change not on disk yet, however steadily the user
 * works; once the project is saved (no longer modified) the recovery file is
 * deleted. reel_autosave_schedule() and reel_autosave_discard()
 * are there for explicit use (e.g. "Discard" in the close dialog).
 *
 * Recovery files are keyed by the document: a hash of its path, or
 * "untitled-<uuid>" for a project never saved. The main thread only takes a
 * snapshot of what changed since the last autosave (the first time: since the
 * document was saved); writing it happens on a worker thread. A recovery file
 * holds only the media the document does not: it names the others, and a restore
 * reads them from the document, by hash, checked when used.
 *
 * At start: reel_autosave_list_recoverable() (or its _async form, which reads the
 * files on a worker thread: the window is usable meanwhile), then for the entries the
 * user wants back reel_autosave_entry_restore() or reel_autosave_entry_restore_async()
 * (the project belongs to its document again and is modified), and
 * reel_autosave_entry_discard() for the others. A
 * ReelAutosave made for a restored project takes over its recovery file: it
 * writes there and deletes it once the project is saved or discarded.
 */

#define REEL_AUTOSAVE_DEFAULT_DELAY_MS    4000
/* 25 s, so that with the time the write takes a change is on disk within 30 s. */
#define REEL_AUTOSAVE_DEFAULT_MAX_WAIT_MS 25000

#define REEL_TYPE_AUTOSAVE (reel_autosave_get_type ())

G_DECLARE_FINAL_TYPE (ReelAutosave, reel_autosave, REEL, AUTOSAVE, GObject)

/*
 * Properties: "project" (ReelProject, construct-only), "delay" (guint ms of idle
 * time before writing), "max-wait" (guint ms: the longest a change waits to be
 * written while edits keep coming), "file" (GFile, read-only: the recovery file, NULL before
 * the first write).
 * Signals: ::saved () after a recovery file was written; ::failed (GError *) when
 * writing it failed (for example a full disk; the next change tries again).
 */
ReelAutosave *reel_autosave_new          (ReelProject  *project);
ReelProject  *reel_autosave_get_project  (ReelAutosave *self);
guint         reel_autosave_get_delay    (ReelAutosave *self);
void          reel_autosave_set_delay    (ReelAutosave *self,
                                          guint         delay_ms);
guint         reel_autosave_get_max_wait (ReelAutosave *self);
void          reel_autosave_set_max_wait (ReelAutosave *self,
                                          guint         max_wait_ms);
/* Transfer none, nullable. */
GFile        *reel_autosave_get_file     (ReelAutosave *self);
/* (Re)starts the idle timer: the recovery file is written when it runs out, or
 * when the oldest unwritten change has waited "max-wait". */
void          reel_autosave_schedule     (ReelAutosave *self);
/* Stops the timer and deletes the recovery file (the user saved or discarded). */
void          reel_autosave_discard      (ReelAutosave *self);

/* The folder of recovery files: $XDG_STATE_HOME/storyreel. Transfer full. */
GFile        *reel_autosave_get_directory (void);

typedef struct _ReelAutosaveEntry ReelAutosaveEntry;

#define REEL_TYPE_AUTOSAVE_ENTRY (reel_autosave_entry_get_type ())

GType              reel_autosave_entry_get_type     (void) G_GNUC_CONST;
ReelAutosaveEntry *reel_autosave_entry_ref          (ReelAutosaveEntry  *self);
void               reel_autosave_entry_unref        (ReelAutosaveEntry  *self);
/* The recovery file (transfer none). */
GFile             *reel_autosave_entry_get_file     (ReelAutosaveEntry  *self);
/* The document it belongs to, or NULL for an untitled project (transfer none). */
GFile             *reel_autosave_entry_get_document (ReelAutosaveEntry  *self);
/* The project's title, maybe "". */
const char        *reel_autosave_entry_get_title    (ReelAutosaveEntry  *self);
/* When it was written (transfer none). */
GDateTime         *reel_autosave_entry_get_time     (ReelAutosaveEntry  *self);
/* The project as autosaved (transfer full): it belongs to its document (or is
 * untitled) and is modified, so the user saves it where it belongs. */
ReelProject       *reel_autosave_entry_restore      (ReelAutosaveEntry  *self,
                                                     GError            **error);
/* The same; when images or clips the recovery file took from its document (which it
 * names rather than copies) are no longer there (the document was deleted or replaced),
 * *@missing (nullable) is set to an error naming them (REEL_STORAGE_ERROR_MISSING_MEDIA)
 * and everything else comes back. */
ReelProject       *reel_autosave_entry_restore_full (ReelAutosaveEntry  *self,
                                                     GError            **missing,
                                                     GError            **error);
/* reel_autosave_entry_restore_full() on a worker thread; the callback runs in the
 * calling thread's main context. */
void               reel_autosave_entry_restore_async  (ReelAutosaveEntry   *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
/* Transfer full; @missing as in reel_autosave_entry_restore_full(). */
ReelProject       *reel_autosave_entry_restore_finish (GAsyncResult        *result,
                                                       GError             **missing,
                                                       GError             **error);
/* Deletes the recovery file. */
gboolean           reel_autosave_entry_discard      (ReelAutosaveEntry  *self,
                                                     GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelAutosaveEntry, reel_autosave_entry_unref)

/* Recovery files left by a session that did not end cleanly, newest first
 * (transfer full: a GPtrArray of ReelAutosaveEntry that frees them). Files that
 * cannot be read are left alone and not listed. */
GPtrArray         *reel_autosave_list_recoverable   (GError            **error);
/* The same on a worker thread; the callback runs in the calling thread's main context. */
void               reel_autosave_list_recoverable_async  (GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
/* Transfer full, as reel_autosave_list_recoverable(). */
GPtrArray         *reel_autosave_list_recoverable_finish (GAsyncResult        *result,
                                                          GError             **error);

G_END_DECLS
