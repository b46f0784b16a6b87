/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/reel-project.h"
#include "export/reel-export-options.h"

G_BEGIN_DECLS

/**
 * ReelExportOptionFlags:
 * @REEL_EXPORT_USES_SCOPE: exports part of a project (every format so far)
 * @REEL_EXPORT_USES_LAYOUT: reads #ReelExportOptions:layout
 * @REEL_EXPORT_USES_PAPER: reads #ReelExportOptions:paper and :orientation
 * @REEL_EXPORT_USES_PANEL_WIDTH: writes PNG panels at #ReelExportOptions:panel-width
 * @REEL_EXPORT_USES_CSV_COLUMNS: reads #ReelExportOptions:csv-columns
 * @REEL_EXPORT_USES_FCPXML_VERSION: reads #ReelExportOptions:fcpxml-version
 * @REEL_EXPORT_USES_CLIP_NAMING: names clips by #ReelExportOptions:clip-naming
 * @REEL_EXPORT_USES_PANEL_CLIPS: refers to panels as movie clips with
 *   #ReelExportOptions:panel-clips
 *
 * What a format reads from the options: the dialog shows these rows, the command line
 * warns about the others.
 */
typedef enum
{
  REEL_EXPORT_USES_SCOPE          = 1 << 0,
  REEL_EXPORT_USES_LAYOUT         = 1 << 1,
  REEL_EXPORT_USES_PAPER          = 1 << 2,
  REEL_EXPORT_USES_PANEL_WIDTH    = 1 << 3,
  REEL_EXPORT_USES_CSV_COLUMNS    = 1 << 4,
  REEL_EXPORT_USES_FCPXML_VERSION = 1 << 5,
  REEL_EXPORT_USES_CLIP_NAMING    = 1 << 6,
  REEL_EXPORT_USES_PANEL_CLIPS    = 1 << 7,
} ReelExportOptionFlags;

/**
 * ReelExportOutput:
 * @REEL_EXPORT_OUTPUT_FILE: one file (plus, for editorial formats, a `NAME_panels/`
 *   folder of PNG panels beside it)
 * @REEL_EXPORT_OUTPUT_FOLDER: a folder of files; files of other names in it are kept
 */
typedef enum
{
  REEL_EXPORT_OUTPUT_FILE,
  REEL_EXPORT_OUTPUT_FOLDER,
} ReelExportOutput;

typedef struct _ReelExportContext ReelExportContext;

/**
 * ReelExportWriteFunc:
 * @context: the export in progress: the project (a private copy), the shots in scope,
 *   the options, the output stream, progress and cancellation
 * @error: return location for a #GError
 *
 * Writes one format. Called in a worker thread; the context owns everything it reads, so
 * the writer may take its time. It reports progress with reel_export_context_progress()
 * and stops with %REEL_EXPORT_ERROR_CANCELLED when reel_export_context_check_cancelled()
 * says so. It never cleans up: the runner removes partial output.
 *
 * Returns: %TRUE on success
 */
typedef gboolean (*ReelExportWriteFunc) (ReelExportContext  *context,
                                         GError            **error);

/**
 * ReelExportFormat:
 * @id: stable id, the value of `storyreel export --format`
 * @name: translatable name (marked with N_(); show it with _())
 * @extension: file extension without the dot ("" for folders)
 * @mime_type: MIME type of the file (of the panels for folders)
 * @options: the options the format reads
 * @output: a file or a folder
 * @writes_panels: whether PNG panels are written in a `NAME_panels/` folder beside the file
 * @write: the writer
 * @other_extensions: NULL-terminated further extensions the format writes (nullable)
 *
 * One row of the registry. Formats are static data: compare pointers or ids.
 */
typedef struct
{
  const char            *id;
  const char            *name;
  const char            *extension;
  const char            *mime_type;
  ReelExportOptionFlags  options;
  ReelExportOutput       output;
  gboolean               writes_panels;
  ReelExportWriteFunc    write;
  const char * const    *other_extensions;
} ReelExportFormat;

/* Every format, in the order the dialog lists them (transfer none). */
const ReelExportFormat * const *reel_export_get_formats (guint                *n_formats);
/* NULL for an unknown id. */
const ReelExportFormat  *reel_export_lookup_format       (const char              *id);
/* The file format whose extension (or one of its other extensions, or, failing that,
 * whose id) is the extension of @path, ignoring case; NULL when none is. */
const ReelExportFormat  *reel_export_lookup_format_for_file (const char           *path);
/* "NAME.ext" for a project title, with characters that are awkward in file names
 * replaced (transfer full). Folders get no extension. */
char                    *reel_export_format_suggest_name (const ReelExportFormat  *format,
                                                          const char              *title);

/**
 * ReelExportProgressFunc:
 * @fraction: 0..1
 * @user_data: closure
 *
 * Called in the thread-default main context of the caller of the export, at most once
 * per main-loop iteration.
 */
typedef void (*ReelExportProgressFunc) (double   fraction,
                                        gpointer user_data);

/* Exports the shots of @project chosen by @options in @format to @output. The project is
 * copied before this returns (on the calling thread), so it may be edited while the export
 * runs. Writes go to a temporary file beside @output that is renamed over it at the end; a
 * failed or cancelled export leaves nothing behind and reports a REEL_EXPORT_ERROR.
 * @project_file (nullable) is where the project is saved, to find linked footage. */
void                     reel_export_async               (const ReelExportFormat  *format,
                                                          ReelProject             *project,
                                                          GFile                   *project_file,
                                                          ReelExportOptions       *options,
                                                          GFile                   *output,
                                                          GCancellable            *cancellable,
                                                          ReelExportProgressFunc   progress,
                                                          gpointer                 progress_data,
                                                          GDestroyNotify           progress_destroy,
                                                          GAsyncReadyCallback      callback,
                                                          gpointer                 user_data);
gboolean                 reel_export_finish              (GAsyncResult            *result,
                                                          GError                 **error);

G_END_DECLS
