/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-timecode"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reel-core-error.h"
#include "reel-timecode.h"

#define NS_PER_SECOND G_GINT64_CONSTANT (1000000000)

static const ReelFrameRate standard_rates[] = {
  { 12, 1 },
  { 15, 1 },
  { 24000, 1001 },
  { 24, 1 },
  { 25, 1 },
  { 30000, 1001 },
  { 30, 1 },
  { 50, 1 },
  { 60000, 1001 },
  { 60, 1 },
};

const ReelFrameRate *
reel_frame_rate_get_standard (guint *n_rates)
{
  if (n_rates != NULL)
    *n_rates = G_N_ELEMENTS (standard_rates);

  return standard_rates;
}

gboolean
reel_frame_rate_is_valid (ReelFrameRate rate)
{
  return rate.num > 0 && rate.den > 0;
}

gboolean
reel_frame_rate_equal (ReelFrameRate a,
                       ReelFrameRate b)
{
  /* 48/2 is the same rate as 24/1. */
  return (gint64) a.num * b.den == (gint64) b.num * a.den;
}

double
reel_frame_rate_to_double (ReelFrameRate rate)
{
  if (!reel_frame_rate_is_valid (rate))
    return 0;

  return (double) rate.num / rate.den;
}

int
reel_frame_rate_get_nominal (ReelFrameRate rate)
{
  if (!reel_frame_rate_is_valid (rate))
    return 0;

  return MAX (1, (int) ((rate.num + rate.den / 2) / rate.den));
}

char *
reel_frame_rate_to_string (ReelFrameRate rate)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  gsize len;

  if (!reel_frame_rate_is_valid (rate))
    return g_strdup ("0");

  if (rate.num % rate.den == 0)
    return g_strdup_printf ("%d", rate.num / rate.den);

  g_ascii_formatd (buffer, sizeof buffer, "%.3f", reel_frame_rate_to_double (rate));
  len = strlen (buffer);
  while (len > 0 && buffer[len - 1] == '0')
    buffer[--len] = '\0';
  if (len > 0 && buffer[len - 1] == '.')
    buffer[--len] = '\0';

  return g_strdup (buffer);
}

static gboolean
parse_positive_int (const char *text,
                    int        *out)
{
  char *end = NULL;
  gint64 value;

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;

  value = g_ascii_strtoll (text, &end, 10);
  if (*end != '\0' || value <= 0 || value > G_MAXINT)
    return FALSE;

  *out = (int) value;
  return TRUE;
}

gboolean
reel_frame_rate_parse (const char    *text,
                       ReelFrameRate *out_rate)
{
  g_autofree char *copy = NULL;
  char *slash;
  char *end = NULL;
  double value;
  double ntsc;

  g_return_val_if_fail (out_rate != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  copy = g_strstrip (g_strdup (text));
  slash = strchr (copy, '/');
  if (slash != NULL)
    {
      ReelFrameRate rate;

      *slash = '\0';
      if (!parse_positive_int (g_strstrip (copy), &rate.num)
          || !parse_positive_int (g_strstrip (slash + 1), &rate.den))
        return FALSE;

      *out_rate = rate;
      return TRUE;
    }

  value = g_ascii_strtod (copy, &end);
  if (end == copy || *end != '\0' || !(value > 0) || value > 10000)
    return FALSE;

  if (fabs (value - round (value)) < 1e-9)
    {
      *out_rate = REEL_FRAME_RATE_INIT ((int) round (value), 1);
      return TRUE;
    }

  /* 23.976, 29.97, 59.94 and friends are n·1000/1001. */
  ntsc = value * 1001.0 / 1000.0;
  if (fabs (ntsc - round (ntsc)) < 0.005)
    {
      *out_rate = REEL_FRAME_RATE_INIT ((int) round (ntsc) * 1000, 1001);
      return TRUE;
    }

  *out_rate = REEL_FRAME_RATE_INIT ((int) round (value * 1000), 1000);
  return TRUE;
}

double
reel_timecode_frames_to_seconds (gint64        frames,
                                 ReelFrameRate rate)
{
  g_return_val_if_fail (reel_frame_rate_is_valid (rate), 0);

  return (double) frames * rate.den / rate.num;
}

gint64
reel_timecode_seconds_to_frames (double        seconds,
                                 ReelFrameRate rate)
{
  g_return_val_if_fail (reel_frame_rate_is_valid (rate), 0);

  return (gint64) llround (seconds * rate.num / rate.den);
}

gint64
reel_timecode_frames_to_ns (gint64        frames,
                            ReelFrameRate rate)
{
  gint64 magnitude;
  gint64 whole;
  gint64 rest;
  gint64 ns;

  g_return_val_if_fail (reel_frame_rate_is_valid (rate), 0);

  /* frames · den · 10⁹ / num, split so that nothing overflows for any sane length. */
  magnitude = frames < 0 ? -frames : frames;
  whole = magnitude / rate.num;
  rest = magnitude % rate.num;
  /* Rounded towards +∞ on both sides of zero, the mirror of the floor in
   * reel_timecode_ns_to_frames(). */
  ns = whole * rate.den * NS_PER_SECOND
       + (rest * rate.den * NS_PER_SECOND + (frames < 0 ? 0 : rate.num - 1)) / rate.num;

  return frames < 0 ? -ns : ns;
}

gint64
reel_timecode_ns_to_frames (gint64        ns,
                            ReelFrameRate rate)
{
  gint64 unit;
  gint64 magnitude;
  gint64 frames;

  g_return_val_if_fail (reel_frame_rate_is_valid (rate), 0);

  /* floor (ns · num / (den · 10⁹)), split so that nothing overflows. */
  unit = rate.den * NS_PER_SECOND;
  magnitude = ns < 0 ? -ns : ns;
  frames = (magnitude / unit) * rate.num;
  if (ns >= 0)
    return frames + (magnitude % unit) * rate.num / unit;

  return -(frames + ((magnitude % unit) * rate.num + unit - 1) / unit);
}

char *
reel_timecode_format_seconds (gint64        frames,
                              ReelFrameRate rate)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (reel_frame_rate_is_valid (rate), g_strdup ("0.00"));

  g_ascii_formatd (buffer, sizeof buffer, "%.2f", reel_timecode_frames_to_seconds (frames, rate));

  return g_strdup (buffer);
}

gboolean
reel_frame_rate_is_drop_frame (ReelFrameRate rate)
{
  int nominal = reel_frame_rate_get_nominal (rate);

  return reel_frame_rate_is_valid (rate) && (nominal == 30 || nominal == 60)
         && (gint64) rate.num * 1001 == (gint64) nominal * 1000 * rate.den;
}

/* Frame numbers skipped at the start of most minutes: 2 at 29.97, 4 at 59.94; 0 when
 * @flags or the rate ask for non-drop. */
static int
dropped_per_minute (ReelFrameRate     rate,
                    ReelTimecodeFlags flags)
{
  if (!(flags & REEL_TIMECODE_DROP_FRAME) || !reel_frame_rate_is_drop_frame (rate))
    return 0;

  return reel_frame_rate_get_nominal (rate) / 15;
}

static gint64
frames_per_day (ReelFrameRate     rate,
                ReelTimecodeFlags flags)
{
  gint64 nominal = reel_frame_rate_get_nominal (rate);

  /* 144 ten-minute blocks a day, each of which drops 9 minutes' worth. */
  return 144 * (nominal * 600 - 9 * dropped_per_minute (rate, flags));
}

gint64
reel_timecode_label_to_frames (int               hours,
                               int               minutes,
                               int               seconds,
                               int               frames,
                               ReelFrameRate     rate,
                               ReelTimecodeFlags flags)
{
  gint64 nominal;
  gint64 total_minutes = (gint64) hours * 60 + minutes;

  g_return_val_if_fail (reel_frame_rate_is_valid (rate), 0);

  nominal = reel_frame_rate_get_nominal (rate);

  return (total_minutes * 60 + seconds) * nominal + frames
         - dropped_per_minute (rate, flags) * (total_minutes - total_minutes / 10);
}

char *
reel_timecode_format_full (gint64            frames,
                           ReelFrameRate     rate,
                           ReelTimecodeFlags flags)
{
  gint64 nominal;
  gint64 magnitude;
  gint64 seconds;
  int dropped;
  gboolean negative = FALSE;

  g_return_val_if_fail (reel_frame_rate_is_valid (rate), g_strdup ("00:00:00:00"));

  nominal = reel_frame_rate_get_nominal (rate);
  dropped = dropped_per_minute (rate, flags);

  if (flags & REEL_TIMECODE_WRAP_DAY)
    {
      gint64 day = frames_per_day (rate, flags);

      magnitude = ((frames % day) + day) % day;
    }
  else
    {
      negative = frames < 0;
      magnitude = negative ? -frames : frames;
    }

  /* Drop-frame: put back the frame numbers skipped before this frame, then count as
   * non-drop. Each ten minutes hold 10 · 60 · nominal − 9 · dropped frames; within them the
   * first minute is whole and every later one is short by @dropped. */
  if (dropped > 0)
    {
      gint64 per_ten_minutes = nominal * 600 - 9 * dropped;
      gint64 per_minute = nominal * 60 - dropped;
      gint64 tens = magnitude / per_ten_minutes;
      gint64 rest = magnitude % per_ten_minutes;

      magnitude += 9 * dropped * tens;
      if (rest >= dropped)
        magnitude += dropped * ((rest - dropped) / per_minute);
    }

  seconds = magnitude / nominal;

  return g_strdup_printf ("%s%02" G_GINT64_FORMAT ":%02d:%02d%c%02d",
                          negative ? "-" : "",
                          seconds / 3600,
                          (int) (seconds / 60 % 60),
                          (int) (seconds % 60),
                          dropped > 0 ? ';' : ':',
                          (int) (magnitude % nominal));
}

char *
reel_timecode_format (gint64        frames,
                      ReelFrameRate rate)
{
  return reel_timecode_format_full (frames, rate,
                                    reel_frame_rate_is_drop_frame (rate)
                                    ? REEL_TIMECODE_DROP_FRAME : REEL_TIMECODE_NON_DROP);
}

static gboolean
parse_digits (const char *text,
              gint64     *out)
{
  if (*text == '\0' || strlen (text) > 9)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  *out = g_ascii_strtoll (text, NULL, 10);
  return TRUE;
}

typedef enum
{
  TIMECODE_OK,
  TIMECODE_INVALID,
  TIMECODE_DROPPED,
} TimecodeResult;

static TimecodeResult
parse_timecode_parts (const char    *text,
                      ReelFrameRate  rate,
                      gint64        *out_frames)
{
  g_auto(GStrv) parts = g_strsplit_set (text, ":;.", -1);
  guint n_parts = g_strv_length (parts);
  gint64 values[4] = { 0, 0, 0, 0 };
  gint64 nominal = reel_frame_rate_get_nominal (rate);
  const char *last_separator = strrchr (text, ';');
  ReelTimecodeFlags flags = REEL_TIMECODE_NON_DROP;
  int dropped;
  guint offset;

  if (n_parts != 3 && n_parts != 4)
    return TIMECODE_INVALID;

  /* MM:SS:FF is HH:MM:SS:FF with the hours left out. */
  offset = 4 - n_parts;
  for (guint i = 0; i < n_parts; i++)
    if (!parse_digits (g_strstrip (parts[i]), &values[i + offset]))
      return TIMECODE_INVALID;

  if (values[1] >= 60 || values[2] >= 60 || values[3] >= nominal || values[0] > G_MAXINT)
    return TIMECODE_INVALID;

  /* ';' before the frames says drop-frame (where the rate has it). */
  if (last_separator != NULL && strpbrk (last_separator + 1, ":.") == NULL)
    flags = REEL_TIMECODE_DROP_FRAME;
  dropped = dropped_per_minute (rate, flags);
  if (dropped > 0 && values[2] == 0 && values[3] < dropped && values[1] % 10 != 0)
    return TIMECODE_DROPPED;

  *out_frames = reel_timecode_label_to_frames ((int) values[0], (int) values[1],
                                               (int) values[2], (int) values[3], rate, flags);
  return TIMECODE_OK;
}

gboolean
reel_timecode_parse (const char     *text,
                     ReelFrameRate   rate,
                     gint64         *out_frames,
                     GError        **error)
{
  g_autofree char *copy = NULL;
  char *body;
  gboolean negative = FALSE;
  gint64 frames = 0;
  gsize len;
  gboolean ok = FALSE;

  g_return_val_if_fail (reel_frame_rate_is_valid (rate), FALSE);
  g_return_val_if_fail (out_frames != NULL, FALSE);

  copy = g_strstrip (g_strdup (text != NULL ? text : ""));
  body = copy;
  if (*body == '-')
    {
      negative = TRUE;
      body = g_strchug (body + 1);
    }

  len = strlen (body);
  if (len == 0)
    {
      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_TIMECODE,
                   _("Type a duration as seconds (2.5) or as a timecode (00:00:02:12)"));
      return FALSE;
    }

  if (strchr (body, ':') != NULL)
    {
      TimecodeResult result = parse_timecode_parts (body, rate, &frames);

      if (result == TIMECODE_DROPPED)
        {
          g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_TIMECODE,
                       _("There is no “%s” in drop-frame timecode: every minute that is not "
                         "a multiple of ten starts at frame %02d."),
                       text, dropped_per_minute (rate, REEL_TIMECODE_DROP_FRAME));
          return FALSE;
        }
      ok = result == TIMECODE_OK;
    }
  else if (body[len - 1] == 'f' || body[len - 1] == 'F')
    {
      body[len - 1] = '\0';
      ok = parse_digits (g_strchomp (body), &frames);
    }
  else
    {
      char *end = NULL;
      double seconds;

      if (body[len - 1] == 's' || body[len - 1] == 'S')
        body[--len] = '\0';
      g_strchomp (body);
      g_strdelimit (body, ",", '.');

      seconds = g_ascii_strtod (body, &end);
      ok = end != body && *end == '\0' && isfinite (seconds) && seconds >= 0
           && seconds < 1e7 && (g_ascii_isdigit (body[0]) || body[0] == '.');
      if (ok)
        frames = reel_timecode_seconds_to_frames (seconds, rate);
    }

  if (!ok)
    {
      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_TIMECODE,
                   _("“%s” is not a duration: type seconds (2.5) or a timecode "
                     "HH:MM:SS:FF with fewer than %d frames (00:00:02:12)"),
                   text, reel_frame_rate_get_nominal (rate));
      return FALSE;
    }

  *out_frames = negative ? -frames : frames;
  return TRUE;
}
