/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

G_BEGIN_DECLS

/* Frame @index (from 0) of a clip being encoded: an RGB24 buffer of the size given to
 * reel_frame_encoder_run() (transfer full). Called on the encoding thread. */
typedef GstBuffer *(*ReelFrameEncoderFunc) (gint64   index,
                                            gpointer user_data);

/* Encodes @n_frames frames of @width × @height (Cairo RGB24) at @rate_numerator /
 * @rate_denominator fps into @path through @encoder, a gst-launch description that ends in
 * a muxer ("vp8enc … ! webmmux"), timing each frame exactly. Blocks until the file is
 * written. On failure @error says why in GStreamer's words (REEL_MEDIA_ERROR_MISSING_ELEMENT
 * when a plugin is missing, REEL_MEDIA_ERROR_FAILED otherwise) for the caller to put in its
 * own sentence, or is G_IO_ERROR_CANCELLED. */
gboolean reel_frame_encoder_run (const char           *encoder,
                                 int                   width,
                                 int                   height,
                                 gint64                n_frames,
                                 int                   rate_numerator,
                                 int                   rate_denominator,
                                 const char           *path,
                                 ReelFrameEncoderFunc  frame_func,
                                 gpointer              user_data,
                                 GCancellable         *cancellable,
                                 GError              **error);

G_END_DECLS
