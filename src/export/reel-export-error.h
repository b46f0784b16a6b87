/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define REEL_EXPORT_ERROR (reel_export_error_quark ())

/**
 * ReelExportError:
 * @REEL_EXPORT_ERROR_FAILED: the export failed for a reason not listed below
 * @REEL_EXPORT_ERROR_UNKNOWN_FORMAT: no format has the requested id
 * @REEL_EXPORT_ERROR_INVALID_OPTION: an option is out of range or does not fit the format
 * @REEL_EXPORT_ERROR_NOT_FOUND: the scene or shots asked for are not in the project
 * @REEL_EXPORT_ERROR_EMPTY: the chosen scope holds no shots
 * @REEL_EXPORT_ERROR_WRITE: the output (or the panels beside it) could not be written
 * @REEL_EXPORT_ERROR_RENDER: a panel or page could not be drawn
 * @REEL_EXPORT_ERROR_CANCELLED: the export was cancelled; nothing was left behind
 * @REEL_EXPORT_ERROR_FOOTAGE: a shot's linked footage is missing or cannot be read
 *
 * Errors of src/export. Every message names the file and says what to do.
 */
typedef enum
{
  REEL_EXPORT_ERROR_FAILED,
  REEL_EXPORT_ERROR_UNKNOWN_FORMAT,
  REEL_EXPORT_ERROR_INVALID_OPTION,
  REEL_EXPORT_ERROR_NOT_FOUND,
  REEL_EXPORT_ERROR_EMPTY,
  REEL_EXPORT_ERROR_WRITE,
  REEL_EXPORT_ERROR_RENDER,
  REEL_EXPORT_ERROR_CANCELLED,
  REEL_EXPORT_ERROR_FOOTAGE,
} ReelExportError;

GQuark reel_export_error_quark (void);

G_END_DECLS
