/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-export-png"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-export-context-private.h"
#include "reel-export-formats-private.h"

/*
 * PNG panels: one image per shot (background and sketch) at the chosen width and the
 * project aspect, named "0001_SC12_SH12A.png" so that a file manager lists them in order.
 */

static gboolean
reel_export_png_write (ReelExportContext  *context,
                       GError            **error)
{
  return reel_export_context_write_panels (context, 0.0, 1.0, error);
}

const ReelExportFormat reel_export_format_png = {
  .id = "png",
  .name = N_("PNG Panels"),
  .extension = "",
  .mime_type = "image/png",
  .options = REEL_EXPORT_USES_SCOPE | REEL_EXPORT_USES_PANEL_WIDTH,
  .output = REEL_EXPORT_OUTPUT_FOLDER,
  .writes_panels = TRUE,
  .write = reel_export_png_write,
};
