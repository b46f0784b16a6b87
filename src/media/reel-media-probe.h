/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * ReelMediaInfo:
 * @duration_ns: length in nanoseconds, -1 when the file does not say
 * @width: picture width in pixels (0 without video)
 * @height: picture height in pixels (0 without video)
 * @rate_num: frame rate numerator; 0 for a still or a variable rate
 * @rate_den: frame rate denominator (1 when unknown)
 * @has_video: whether the file has a video stream
 * @has_audio: whether the file has an audio stream
 * @audio_channels: channels of the first audio stream (0 without audio)
 * @audio_rate: sample rate of the first audio stream in Hz (0 without audio)
 *
 * What GStreamer's discoverer found in a media file: its first video and audio streams.
 */
typedef struct
{
  gint64   duration_ns;
  int      width;
  int      height;
  int      rate_num;
  int      rate_den;
  gboolean has_video;
  gboolean has_audio;
  guint    audio_channels;
  guint    audio_rate;
} ReelMediaInfo;

gboolean reel_media_probe_file (GFile          *file,
                                ReelMediaInfo  *info,
                                GCancellable   *cancellable,
                                GError        **error);

G_END_DECLS
