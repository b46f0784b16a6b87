/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "export/reel-export-registry.h"

G_BEGIN_DECLS

/* One per file reel-export-<id>.c; listed in the table of reel-export-registry.c. */
extern const ReelExportFormat reel_export_format_pdf;
extern const ReelExportFormat reel_export_format_csv;
extern const ReelExportFormat reel_export_format_otio;
extern const ReelExportFormat reel_export_format_fcpxml;
extern const ReelExportFormat reel_export_format_edl;
extern const ReelExportFormat reel_export_format_json;
extern const ReelExportFormat reel_export_format_gltf;
extern const ReelExportFormat reel_export_format_png;
extern const ReelExportFormat reel_export_format_mp4;
extern const ReelExportFormat reel_export_format_webm;

G_END_DECLS
