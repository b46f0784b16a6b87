/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define REEL_CORE_ERROR (reel_core_error_quark ())

/**
 * ReelCoreError:
 * @REEL_CORE_ERROR_FAILED: anything else
 * @REEL_CORE_ERROR_INVALID_IMAGE: the bytes are not an image Storyreel can read
 *   (PNG, JPEG or WebP), or the image is damaged
 * @REEL_CORE_ERROR_UNSUPPORTED_TYPE: a media type Storyreel does not handle
 * @REEL_CORE_ERROR_INVALID_TIMECODE: text that is neither a timecode nor seconds
 * @REEL_CORE_ERROR_INVALID_VALUE: a value outside what the model accepts
 * @REEL_CORE_ERROR_RENDER: drawing a panel failed (out of memory, PNG encoding)
 * @REEL_CORE_ERROR_MISSING_MODULE: a backend module (reel-module.h) is missing or broken
 */
typedef enum
{
  REEL_CORE_ERROR_FAILED,
  REEL_CORE_ERROR_INVALID_IMAGE,
  REEL_CORE_ERROR_UNSUPPORTED_TYPE,
  REEL_CORE_ERROR_INVALID_TIMECODE,
  REEL_CORE_ERROR_INVALID_VALUE,
  REEL_CORE_ERROR_RENDER,
  REEL_CORE_ERROR_MISSING_MODULE,
} ReelCoreError;

GQuark reel_core_error_quark (void);

G_END_DECLS
