/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

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
  CHECK (reel_timecode_format (30 * 60, r29), "00:01:00:00");
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/timecode/rates", test_rates);
  g_test_add_func ("/timecode/format", test_format);
  g_test_add_func ("/timecode/round-trip", test_round_trip);
  g_test_add_func ("/timecode/parse", test_parse);

  return g_test_run ();
}
