/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define REEL_MEDIA_ERROR (reel_media_error_quark ())

/**
 * ReelMediaError:
 * @REEL_MEDIA_ERROR_FAILED: anything not covered below
 * @REEL_MEDIA_ERROR_NOT_FOUND: the reference footage file does not exist
 * @REEL_MEDIA_ERROR_MISSING_CODEC: no installed GStreamer plugin decodes the file; the message
 *   names the missing codec
 * @REEL_MEDIA_ERROR_NOT_MEDIA: the file is not audio or video GStreamer recognises
 * @REEL_MEDIA_ERROR_NO_VIDEO: the file has no video stream
 * @REEL_MEDIA_ERROR_PLAYBACK: decoding or playing failed mid-stream
 * @REEL_MEDIA_ERROR_MISSING_ELEMENT: a GStreamer element Storyreel needs is not installed
 * @REEL_MEDIA_ERROR_ENCODE: rendering the animatic failed
 * @REEL_MEDIA_ERROR_EMPTY: there is nothing to play or render (no shots)
 *
 * Errors of src/media. Every message is translated and names the file.
 */
typedef enum {
  REEL_MEDIA_ERROR_FAILED,
  REEL_MEDIA_ERROR_NOT_FOUND,
  REEL_MEDIA_ERROR_MISSING_CODEC,
  REEL_MEDIA_ERROR_NOT_MEDIA,
  REEL_MEDIA_ERROR_NO_VIDEO,
  REEL_MEDIA_ERROR_PLAYBACK,
  REEL_MEDIA_ERROR_MISSING_ELEMENT,
  REEL_MEDIA_ERROR_ENCODE,
  REEL_MEDIA_ERROR_EMPTY,
} ReelMediaError;

GQuark reel_media_error_quark (void);

G_END_DECLS
