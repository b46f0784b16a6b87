/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "core/reel-core.h"

static void
test_rates (void)
{
  static const struct { const char *text; int num; int den; } expected[] = {
    { "12", 12, 1 }, { "15", 15, 1 }, { "23.976", 24000, 1001 }, { "24", 24, 1 },
    { "25", 25, 1 }, { "29.97", 30000, 1001 }, { "30", 30, 1 }, { "50", 50, 1 },
    { "59.94", 60000, 1001 }, { "60", 60, 1 },
  };
  guint n;
  const ReelFrameRate *rates = reel_frame_rate_get_standard (&n);

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = reel_frame_rate_to_string (rates[i]);
      ReelFrameRate parsed = { 0, 0 };

      g_assert_cmpint (rates[i].num, ==, expected[i].num);
      g_assert_cmpint (rates[i].den, ==, expected[i].den);
      g_assert_cmpstr (text, ==, expected[i].text);
      g_assert_true (reel_frame_rate_parse (text, &parsed));
      g_assert_cmpint (parsed.num, ==, expected[i].num);
      g_assert_cmpint (parsed.den, ==, expected[i].den);
    }

  {
    ReelFrameRate rate;

    g_assert_true (reel_frame_rate_parse (" 24000/1001 ", &rate));
    g_assert_cmpint (rate.num, ==, 24000);
    g_assert_cmpint (rate.den, ==, 1001);
    g_assert_true (reel_frame_rate_parse ("23.98", &rate));
    g_assert_cmpint (rate.num, ==, 24000);
    g_assert_false (reel_frame_rate_parse ("", &rate));
    g_assert_false (reel_frame_rate_parse ("fast", &rate));
    g_assert_false (reel_frame_rate_parse ("-24", &rate));
    g_assert_false (reel_frame_rate_parse ("24/0", &rate));
    g_assert_false (reel_frame_rate_parse ("0", &rate));
    g_assert_false (reel_frame_rate_parse (NULL, &rate));
  }

  g_assert_cmpint (reel_frame_rate_get_nominal (REEL_FRAME_RATE_INIT (24000, 1001)), ==, 24);
  g_assert_cmpint (reel_frame_rate_get_nominal (REEL_FRAME_RATE_INIT (30000, 1001)), ==, 30);
  g_assert_cmpint (reel_frame_rate_get_nominal (REEL_FRAME_RATE_INIT (60000, 1001)), ==, 60);
  g_assert_cmpint (reel_frame_rate_get_nominal (REEL_FRAME_RATE_INIT (25, 1)), ==, 25);
  g_assert_true (reel_frame_rate_equal (REEL_FRAME_RATE_INIT (48, 2), REEL_FRAME_RATE_INIT (24, 1)));
  g_assert_false (reel_frame_rate_equal (REEL_FRAME_RATE_INIT (24000, 1001),
                                         REEL_FRAME_RATE_INIT (24, 1)));
}

static void
test_format (void)
{
  ReelFrameRate r24 = REEL_FRAME_RATE_INIT (24, 1);
  ReelFrameRate r23 = REEL_FRAME_RATE_INIT (24000, 1001);
  ReelFrameRate r25 = REEL_FRAME_RATE_INIT (25, 1);
  ReelFrameRate r29 = REEL_FRAME_RATE_INIT (30000, 1001);
  char *text;

#define CHECK(expr, expected) \
  text = (expr); g_assert_cmpstr (text, ==, expected); g_free (text)

  CHECK (reel_timecode_format (0, r24), "00:00:00:00");
  CHECK (reel_timecode_format (23, r24), "00:00:00:23");
  CHECK (reel_timecode_format (24, r24), "00:00:01:00");
  CHECK (reel_timecode_format (86400, r24), "01:00:00:00");
  CHECK (reel_timecode_format (86400 + 60 * 24 + 24 + 5, r24), "01:01:01:05");
  /* Non-drop at 23.976 counts 24 frames a second. */
  CHECK (reel_timecode_format (48, r23), "00:00:02:00");
  CHECK (reel_timecode_format (49, r25), "00:00:01:24");
  /* 29.97 counts drop-frame by default: frame 1800 is labelled 00:01:00;02. */
  CHECK (reel_timecode_format (30 * 60, r29), "00:01:00;02");
  CHECK (reel_timecode_format_full (30 * 60, r29, REEL_TIMECODE_NON_DROP), "00:01:00:00");
  CHECK (reel_timecode_format (-25, r25), "-00:00:01:00");
  /* Hours do not wrap at a day. */
  CHECK (reel_timecode_format ((gint64) 25 * 3600 * 25, r25), "25:00:00:00");

  CHECK (reel_timecode_format_seconds (48, r24), "2.00");
  CHECK (reel_timecode_format_seconds (36, r24), "1.50");
  /* 24 frames at 23.976 last 1.001 s. */
  CHECK (reel_timecode_format_seconds (24, r23), "1.00");
  CHECK (reel_timecode_format_seconds (24000, r23), "1001.00");
  CHECK (reel_timecode_format_seconds (1, r25), "0.04");
#undef CHECK

  g_assert_cmpfloat_with_epsilon (reel_timecode_frames_to_seconds (24000, r23), 1001, 1e-9);
  g_assert_cmpint (reel_timecode_seconds_to_frames (1001, r23), ==, 24000);
  g_assert_cmpint (reel_timecode_seconds_to_frames (2.5, r24), ==, 60);
}

static void
round_trip (ReelFrameRate rate)
{
  for (gint64 frames = 0; frames < 200000; frames += 7)
    {
      g_autofree char *timecode = reel_timecode_format (frames, rate);
      g_autoptr(GError) error = NULL;
      gint64 parsed = -1;
      gint64 ns = reel_timecode_frames_to_ns (frames, rate);

      g_assert_true (reel_timecode_parse (timecode, rate, &parsed, &error));
      g_assert_no_error (error);
      g_assert_cmpint (parsed, ==, frames);

      /* The frame that starts at a time contains that time. */
      g_assert_cmpint (reel_timecode_ns_to_frames (ns, rate), ==, frames);
      g_assert_cmpint (reel_timecode_ns_to_frames (ns - 1, rate), ==, frames - 1);
      g_assert_cmpint (reel_timecode_seconds_to_frames (reel_timecode_frames_to_seconds (frames,
                                                                                         rate),
                                                        rate), ==, frames);
    }

  /* Before the start too. */
  for (gint64 frames = -1000; frames < 0; frames += 3)
    {
      gint64 ns = reel_timecode_frames_to_ns (frames, rate);

      g_assert_cmpint (ns, <, 0);
      g_assert_cmpint (reel_timecode_ns_to_frames (ns, rate), ==, frames);
      g_assert_cmpint (reel_timecode_ns_to_frames (ns - 1, rate), ==, frames - 1);
    }

  /* Long programmes do not overflow: ten hours. */
  {
    gint64 frames = (gint64) reel_frame_rate_get_nominal (rate) * 36000;
    gint64 ns = reel_timecode_frames_to_ns (frames, rate);

    g_assert_cmpint (reel_timecode_ns_to_frames (ns, rate), ==, frames);
    g_assert_cmpfloat_with_epsilon (ns / 1e9, reel_timecode_frames_to_seconds (frames, rate), 1e-6);
  }
}

static void
test_round_trip (void)
{
  round_trip (REEL_FRAME_RATE_INIT (24000, 1001));
  round_trip (REEL_FRAME_RATE_INIT (25, 1));
  round_trip (REEL_FRAME_RATE_INIT (30000, 1001));
  round_trip (REEL_FRAME_RATE_INIT (60000, 1001));
}

static void
test_parse (void)
{
  ReelFrameRate r24 = REEL_FRAME_RATE_INIT (24, 1);
  ReelFrameRate r25 = REEL_FRAME_RATE_INIT (25, 1);
  static const struct { const char *text; gint64 frames; } good[] = {
    { "00:00:02:12", 60 },
    { "00:00:02;12", 60 },
    { "00:00:02.12", 60 },
    { "00:02:12", 60 },
    { "01:00:00:00", 86400 },
    { "2.5", 60 },
    { "2.5s", 60 },
    { "2,5 s", 60 },
    { " 3 ", 72 },
    { ".5", 12 },
    { "60f", 60 },
    { "-00:00:01:00", -24 },
  };
  static const char * const bad[] = {
    "", "   ", "abc", "00:00:02:24", "00:60:00:00", "00:00:61:00", "1:2", "1:2:3:4:5",
    "00:00:0x:00", "2.5 min", "f", "s", "inf", "nan", "1e400", "--1", "00::02:00",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 frames = -999;

      g_test_message ("parsing '%s'", good[i].text);
      g_assert_true (reel_timecode_parse (good[i].text, r24, &frames, &error));
      g_assert_no_error (error);
      g_assert_cmpint (frames, ==, good[i].frames);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 frames = -999;

      g_test_message ("parsing '%s'", bad[i]);
      g_assert_false (reel_timecode_parse (bad[i], r24, &frames, &error));
      g_assert_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_TIMECODE);
      g_assert_cmpint (frames, ==, -999);
    }

  /* Frames are checked against the rate: 24 is fine at 25 fps. */
  {
    gint64 frames;

    g_assert_true (reel_timecode_parse ("00:00:00:24", r25, &frames, NULL));
    g_assert_cmpint (frames, ==, 24);
  }
}

/* The SMPTE drop-frame rule, counted the slow way: a label clock that advances one frame
 * number at a time and skips frame numbers 0 and 1 (0 to 3 at 59.94) at the start of every
 * minute not divisible by ten. Independent of the arithmetic in reel-timecode.c. */
typedef struct
{
  int hours, minutes, seconds, frames;
} Label;

static void
label_advance (Label *label,
               int    nominal)
{
  if (++label->frames < nominal)
    return;
  label->frames = 0;
  if (++label->seconds == 60)
    {
      label->seconds = 0;
      if (++label->minutes == 60)
        {
          label->minutes = 0;
          if (++label->hours == 24)
            label->hours = 0;
        }
      if (label->minutes % 10 != 0)
        label->frames = nominal / 15;
    }
}

static void
check_drop_frame_against_clock (ReelFrameRate rate,
                                gint64        frames_per_day)
{
  int nominal = reel_frame_rate_get_nominal (rate);
  Label label = { 0, 0, 0, 0 };

  /* A whole day and a bit, compared at a spread of frames and at every minute's edge. */
  for (gint64 frame = 0; frame < frames_per_day + 4000; frame++, label_advance (&label, nominal))
    {
      gboolean edge = label.seconds == 0 && label.frames < 6;

      if (frame % 997 == 0 || edge || frame + 3 > frames_per_day)
        {
          g_autofree char *expected = g_strdup_printf ("%02d:%02d:%02d;%02d", label.hours,
                                                       label.minutes, label.seconds,
                                                       label.frames);
          g_autofree char *wrapped = reel_timecode_format_full (frame, rate,
                                                                REEL_TIMECODE_DROP_FRAME
                                                                | REEL_TIMECODE_WRAP_DAY);
          gint64 parsed = -1;

          g_assert_cmpstr (wrapped, ==, expected);
          g_assert_true (reel_timecode_parse (expected, rate, &parsed, NULL));
          g_assert_cmpint (parsed, ==, frame % frames_per_day);
        }
    }
  /* The clock has gone round once: the day holds exactly @frames_per_day labels. */
  g_assert_cmpint (label.hours, ==, 0);
}

static void
test_drop_frame (void)
{
  ReelFrameRate r29 = REEL_FRAME_RATE_INIT (30000, 1001);
  ReelFrameRate r59 = REEL_FRAME_RATE_INIT (60000, 1001);
  /* Known conversions: label → frame by the SMPTE rule
   * frame = (total seconds · nominal + FF) − dropped · (total minutes − total minutes / 10). */
  static const struct { int nominal; const char *label; gint64 frame; } known[] = {
    { 30, "00:00:00;00", 0 },
    { 30, "00:00:59;29", 1799 },
    { 30, "00:01:00;02", 1800 },
    { 30, "00:01:59;29", 3597 },
    { 30, "00:02:00;02", 3598 },
    { 30, "00:09:59;29", 17981 },
    { 30, "00:10:00;00", 17982 },
    { 30, "00:11:00;02", 19782 },
    { 30, "01:00:00;00", 107892 },
    { 30, "10:00:00;00", 1078920 },
    { 30, "23:59:59;29", 2589407 },
    { 60, "00:00:59;59", 3599 },
    { 60, "00:01:00;04", 3600 },
    { 60, "00:10:00;00", 35964 },
    { 60, "01:00:00;00", 215784 },
    { 60, "23:59:59;59", 5178815 },
  };
  static const struct { int nominal; const char *label; } skipped[] = {
    { 30, "00:01:00;00" }, { 30, "00:01:00;01" }, { 30, "23:59:00;01" },
    { 60, "00:01:00;00" }, { 60, "00:01:00;03" }, { 60, "12:34:00;02" },
  };

  g_assert_true (reel_frame_rate_is_drop_frame (r29));
  g_assert_true (reel_frame_rate_is_drop_frame (r59));
  g_assert_false (reel_frame_rate_is_drop_frame (REEL_FRAME_RATE_INIT (24000, 1001)));
  g_assert_false (reel_frame_rate_is_drop_frame (REEL_FRAME_RATE_INIT (30, 1)));
  g_assert_false (reel_frame_rate_is_drop_frame (REEL_FRAME_RATE_INIT (25, 1)));

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      ReelFrameRate rate = known[i].nominal == 30 ? r29 : r59;
      g_autofree char *label = reel_timecode_format (known[i].frame, rate);
      g_autoptr(GError) error = NULL;
      gint64 frame = -1;

      g_test_message ("%s at %d", known[i].label, known[i].nominal);
      g_assert_cmpstr (label, ==, known[i].label);
      g_assert_true (reel_timecode_parse (known[i].label, rate, &frame, &error));
      g_assert_no_error (error);
      g_assert_cmpint (frame, ==, known[i].frame);
    }

  /* Labels drop-frame skips do not exist: a clear error, nothing parsed. */
  for (guint i = 0; i < G_N_ELEMENTS (skipped); i++)
    {
      ReelFrameRate rate = skipped[i].nominal == 30 ? r29 : r59;
      g_autoptr(GError) error = NULL;
      gint64 frame = -999;

      g_assert_false (reel_timecode_parse (skipped[i].label, rate, &frame, &error));
      g_assert_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_TIMECODE);
      g_assert_nonnull (strstr (error->message, skipped[i].label));
      g_assert_cmpint (frame, ==, -999);
    }

  /* ':' before the frames is non-drop even at 29.97; ';' at a rate without drop-frame is
   * the plain separator it always was. */
  {
    gint64 frame = -1;

    g_assert_true (reel_timecode_parse ("00:01:00:00", r29, &frame, NULL));
    g_assert_cmpint (frame, ==, 1800);
    g_assert_true (reel_timecode_parse ("00:01:00;00", REEL_FRAME_RATE_INIT (25, 1), &frame,
                                        NULL));
    g_assert_cmpint (frame, ==, 1500);
    g_assert_true (reel_timecode_parse ("01:00:00;00", REEL_FRAME_RATE_INIT (30, 1), &frame,
                                        NULL));
    g_assert_cmpint (frame, ==, 108000);
  }

  /* Non-drop stays the default everywhere else. */
  {
    g_autofree char *r23 = reel_timecode_format (1800, REEL_FRAME_RATE_INIT (24000, 1001));
    g_autofree char *r24 = reel_timecode_format (1800, REEL_FRAME_RATE_INIT (24, 1));
    g_autofree char *r25 = reel_timecode_format (1800, REEL_FRAME_RATE_INIT (25, 1));
    g_autofree char *r30 = reel_timecode_format (1800, REEL_FRAME_RATE_INIT (30, 1));
    g_autofree char *forced = reel_timecode_format_full (1800, REEL_FRAME_RATE_INIT (25, 1),
                                                         REEL_TIMECODE_DROP_FRAME);

    g_assert_cmpstr (r23, ==, "00:01:15:00");
    g_assert_cmpstr (r24, ==, "00:01:15:00");
    g_assert_cmpstr (r25, ==, "00:01:12:00");
    g_assert_cmpstr (r30, ==, "00:01:00:00");
    g_assert_cmpstr (forced, ==, "00:01:12:00");
  }

  /* The wrap at midnight, both ways, and durations that do not wrap. */
  {
    g_autofree char *midnight = reel_timecode_format_full (2589408, r29, REEL_TIMECODE_DROP_FRAME
                                                                         | REEL_TIMECODE_WRAP_DAY);
    g_autofree char *before = reel_timecode_format_full (-1, r29, REEL_TIMECODE_DROP_FRAME
                                                                  | REEL_TIMECODE_WRAP_DAY);
    g_autofree char *before59 = reel_timecode_format_full (-1, r59, REEL_TIMECODE_DROP_FRAME
                                                                    | REEL_TIMECODE_WRAP_DAY);
    g_autofree char *long_duration = reel_timecode_format (2589408, r29);
    g_autofree char *negative = reel_timecode_format (-1800, r29);
    g_autofree char *ndf_midnight = reel_timecode_format_full (24 * 3600 * 25 + 1,
                                                               REEL_FRAME_RATE_INIT (25, 1),
                                                               REEL_TIMECODE_WRAP_DAY);

    g_assert_cmpstr (midnight, ==, "00:00:00;00");
    g_assert_cmpstr (before, ==, "23:59:59;29");
    g_assert_cmpstr (before59, ==, "23:59:59;59");
    g_assert_cmpstr (long_duration, ==, "24:00:00;00");
    g_assert_cmpstr (negative, ==, "-00:01:00;02");
    g_assert_cmpstr (ndf_midnight, ==, "00:00:00:01");
  }

  g_assert_cmpint (reel_timecode_label_to_frames (1, 0, 0, 0, r29, REEL_TIMECODE_DROP_FRAME), ==,
                   107892);
  g_assert_cmpint (reel_timecode_label_to_frames (1, 0, 0, 0, r29, REEL_TIMECODE_NON_DROP), ==,
                   108000);

  check_drop_frame_against_clock (r29, 2589408);
  check_drop_frame_against_clock (r59, 5178816);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/timecode/rates", test_rates);
  g_test_add_func ("/timecode/format", test_format);
  g_test_add_func ("/timecode/round-trip", test_round_trip);
  g_test_add_func ("/timecode/parse", test_parse);
  g_test_add_func ("/timecode/drop-frame", test_drop_frame);

  return g_test_run ();
}
