/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "reel-export-context-private.h"

G_BEGIN_DECLS

/* Provenance in the form image consumers read: the IPTC Digital Source Type in XMP. */

#define REEL_IPTC_TRAINED_ALGORITHMIC_MEDIA \
  "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
#define REEL_IPTC_COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA \
  "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"
/* Gray-box renders: our own render of the 3D set, an algorithm with no training data. A
 * sketch over one is a composite with a synthetic element (compositeSynthetic), not a
 * composite of captures only (composite). */
#define REEL_IPTC_ALGORITHMIC_MEDIA \
  "http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia"
#define REEL_IPTC_COMPOSITE_SYNTHETIC \
  "http://cv.iptc.org/newscodes/digitalsourcetype/compositeSynthetic"

/* The Digital Source Type of @item's panel: made by a model (a generated background and
 * nothing drawn over it), a composite with model output (a sketch over a generated
 * background), a gray-box render (algorithmicMedia, or compositeSynthetic under a
 * sketch), or NULL when no algorithm made any of its pixels. */
const char *reel_export_get_digital_source_type (const ReelExportShot *item);

/* One line for editorial comments saying where @item's background came from ("AI
 * GENERATED BACKGROUND: …" or "GRAY-BOX RENDER …"), or NULL when nothing made it
 * (transfer full). */
char       *reel_export_describe_background     (const ReelExportShot *item);

/* An XMP packet saying @digital_source_type, the tool, and the model that made the
 * background (@record, nullable). */
char       *reel_export_make_xmp_packet         (const char                 *digital_source_type,
                                                 const ReelGenerationRecord *record);

/* @png with @xmp in an iTXt chunk (keyword "XML:com.adobe.xmp") right after its IHDR, where
 * XMP readers look for it. NULL when @png is not a PNG (transfer full). */
GBytes     *reel_export_png_add_xmp             (GBytes                     *png,
                                                 const char                 *xmp);

G_END_DECLS
