/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * ReelFrameRate:
 * @num: frames …
 * @den: … per @den seconds. 23.976 is 24000/1001, 29.97 is 30000/1001.
 *
 * A rational frame rate. Durations in the model are whole frames at the
 * project's rate; these helpers convert them for display and export.
 */
typedef struct
{
  int num;
  int den;
} ReelFrameRate;

#define REEL_FRAME_RATE_INIT(n, d) ((ReelFrameRate) { (n), (d) })
#define REEL_FRAME_RATE_DEFAULT REEL_FRAME_RATE_INIT (24, 1)

/* 12, 15, 23.976, 24, 25, 29.97, 30, 50, 59.94, 60. */
const ReelFrameRate *reel_frame_rate_get_standard (guint         *n_rates);
gboolean             reel_frame_rate_is_valid     (ReelFrameRate  rate);
gboolean             reel_frame_rate_equal        (ReelFrameRate  a,
                                                   ReelFrameRate  b);
double               reel_frame_rate_to_double    (ReelFrameRate  rate);
/* round(num/den): 24 for 23.976, 30 for 29.97. Timecode counts these frames. */
int                  reel_frame_rate_get_nominal  (ReelFrameRate  rate);
/* "24", "23.976", "29.97", "59.94" (C locale, at most 3 decimals, no trailing zeros). */
char                *reel_frame_rate_to_string    (ReelFrameRate  rate);
/* Accepts "24", "23.976" (and the other NTSC rates as decimals), "24000/1001". */
gboolean             reel_frame_rate_parse        (const char    *text,
                                                   ReelFrameRate *out_rate);

double               reel_timecode_frames_to_seconds (gint64        frames,
                                                      ReelFrameRate rate);
/* Rounded to the nearest frame. */
gint64               reel_timecode_seconds_to_frames (double        seconds,
                                                      ReelFrameRate rate);
/* Start of frame @frames in nanoseconds (GStreamer clock time), rounded up so
 * that reel_timecode_ns_to_frames() gives @frames back. */
gint64               reel_timecode_frames_to_ns   (gint64         frames,
                                                   ReelFrameRate  rate);
/* The frame containing @ns. */
gint64               reel_timecode_ns_to_frames   (gint64         ns,
                                                   ReelFrameRate  rate);
/* Seconds with two decimals in the C locale: 48 frames at 24 → "2.00". */
char                *reel_timecode_format_seconds (gint64         frames,
                                                   ReelFrameRate  rate);
/* Non-drop timecode "HH:MM:SS:FF" counting reel_frame_rate_get_nominal() frames
 * per second; negative values get a leading "-". Hours are not wrapped at 24. */
char                *reel_timecode_format         (gint64         frames,
                                                   ReelFrameRate  rate);
/* Parses "HH:MM:SS:FF" (also ';' or '.' before FF, and "MM:SS:FF"), or seconds
 * ("2.5", "2.5s", "2,5 s"), or a frame count ("60f"). Frames beyond the nominal
 * rate, bad digits or empty text are REEL_CORE_ERROR_INVALID_TIMECODE. */
gboolean             reel_timecode_parse          (const char    *text,
                                                   ReelFrameRate  rate,
                                                   gint64        *out_frames,
                                                   GError       **error);

G_END_DECLS
