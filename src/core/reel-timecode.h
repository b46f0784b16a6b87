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

/**
 * ReelTimecodeFlags:
 * @REEL_TIMECODE_NON_DROP: every frame number of every second is counted
 * @REEL_TIMECODE_DROP_FRAME: SMPTE drop-frame at 29.97 and 59.94: frame numbers 0 and 1
 *   (0 to 3 at 59.94) of every minute not divisible by ten are skipped, so that the label
 *   keeps step with the clock; written with ';' before the frames. Ignored at other rates.
 * @REEL_TIMECODE_WRAP_DAY: a position on a clock: 24:00:00:00 is 00:00:00:00 again
 *   (and negative positions count back from midnight)
 */
typedef enum
{
  REEL_TIMECODE_NON_DROP   = 0,
  REEL_TIMECODE_DROP_FRAME = 1 << 0,
  REEL_TIMECODE_WRAP_DAY   = 1 << 1,
} ReelTimecodeFlags;

/* 29.97 and 59.94 (30000/1001, 60000/1001): the rates that count in drop-frame by default.
 * 23.976, 24, 25 and the others count non-drop. */
gboolean             reel_frame_rate_is_drop_frame (ReelFrameRate rate);

/* Timecode "HH:MM:SS:FF" counting reel_frame_rate_get_nominal() frames per second, in
 * drop-frame ("HH:MM:SS;FF") at 29.97 and 59.94; negative values get a leading "-".
 * Hours are not wrapped at 24. Same as reel_timecode_format_full() with the rate's default. */
char                *reel_timecode_format         (gint64         frames,
                                                   ReelFrameRate  rate);
char                *reel_timecode_format_full    (gint64            frames,
                                                   ReelFrameRate     rate,
                                                   ReelTimecodeFlags flags);
/* The frame a timecode label stands for ("01:00:00;00" at 29.97 drop-frame is 107892).
 * The label must exist: see reel_timecode_parse(). */
gint64               reel_timecode_label_to_frames (int               hours,
                                                    int               minutes,
                                                    int               seconds,
                                                    int               frames,
                                                    ReelFrameRate     rate,
                                                    ReelTimecodeFlags flags);
/* Parses "HH:MM:SS:FF" (also '.' before FF, and "MM:SS:FF"), or seconds ("2.5", "2.5s",
 * "2,5 s"), or a frame count ("60f"). ';' before FF is drop-frame at 29.97 and 59.94
 * ("00:01:00;02" is frame 1800) and plain non-drop at other rates; ':' is always non-drop.
 * Frames beyond the nominal rate, a drop-frame label that was skipped ("00:01:00;00"), bad
 * digits or empty text are REEL_CORE_ERROR_INVALID_TIMECODE. */
gboolean             reel_timecode_parse          (const char    *text,
                                                   ReelFrameRate  rate,
                                                   gint64        *out_frames,
                                                   GError       **error);

G_END_DECLS
