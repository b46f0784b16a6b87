/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "export-test-util.h"
#include "storage/reel-demo.h"

/*
 * CMX 3600 EDL: the title and FCM lines, then for every shot an event line in the fixed
 * columns, a clip-name comment and the shot's comments. Record timecode runs without gaps
 * from 01:00:00:00, out points exclusive; every length is the shot's, to the frame.
 */

/* Timecode to frames, counting @nominal frames a second; drop-frame ("HH:MM:SS;FF") by the
 * SMPTE rule: frame numbers 0 and 1 (0–3 at 60) of minutes not divisible by ten do not exist.
 * Independent of the code under test. */
static gint64
timecode_to_frames (const char *timecode,
                    int         nominal)
{
  int h, m, s, f;
  char separator;
  gint64 minutes;

  g_assert_cmpint (sscanf (timecode, "%d:%d:%d%c%d", &h, &m, &s, &separator, &f), ==, 5);
  g_assert_cmpint (m, <, 60);
  g_assert_cmpint (s, <, 60);
  g_assert_cmpint (f, <, nominal);
  minutes = (gint64) h * 60 + m;
  if (separator == ';')
    {
      int dropped = nominal / 15;

      g_assert_false (s == 0 && f < dropped && m % 10 != 0);
      return (minutes * 60 + s) * nominal + f - dropped * (minutes - minutes / 10);
    }
  g_assert_cmpint (separator, ==, ':');
  return (minutes * 60 + s) * nominal + f;
}

static void
export_and_check (ReelProject       *project,
                  ReelExportOptions *options,
                  const char        *name,
                  char            ***out_lines)
{
  g_autoptr(GFile) folder = export_test_make_folder (name);
  g_autoptr(GFile) output = g_file_get_child (folder, "cut.edl");
  g_autoptr(GFile) panels = g_file_get_child (folder, "cut_panels");
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(GRegex) event_regex = NULL;
  g_autoptr(GHashTable) reels = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;
  g_auto(GStrv) lines = NULL;
  ReelFrameRate rate = reel_project_get_frame_rate (project);
  int nominal = reel_frame_rate_get_nominal (rate);
  /* 29.97 and 59.94 count drop-frame: 01:00:00;00 is 3600 s of labels less 108 (216) dropped. */
  gboolean drop_frame = rate.den == 1001 && (nominal == 30 || nominal == 60);
  gint64 record = 3600 * nominal - (drop_frame ? 54 * (nominal / 15) : 0);
  const char *tc = drop_frame ? "(\\d\\d:\\d\\d:\\d\\d;\\d\\d)" : "(\\d\\d:\\d\\d:\\d\\d:\\d\\d)";
  g_autofree char *pattern = NULL;
  guint line = 2;
  int event_width = -1;

  export_test_run ("edl", project, options, output, &error);
  g_assert_no_error (error);
  export_test_assert_no_temporaries (folder);

  text = export_test_read_text (output);
  g_assert_true (g_str_has_suffix (text, "\n"));
  lines = g_strsplit (text, "\n", -1);

  title = g_strdup_printf ("TITLE: %s", reel_project_get_title (project));
  g_assert_cmpstr (lines[0], ==, title);
  g_assert_cmpstr (lines[1], ==, drop_frame ? "FCM: DROP FRAME" : "FCM: NON-DROP FRAME");

  /* 001  REEL____ V     C        SRC-IN      SRC-OUT     REC-IN      REC-OUT: three digits
   * of event number, always, so that every field stays in its column. */
  pattern = g_strdup_printf ("^(\\d{3})  ([A-Z0-9_-]{1,8}) +V     C        %s %s %s %s$",
                             tc, tc, tc, tc);
  event_regex = g_regex_new (pattern, 0, 0, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < shots->len; i++)
    {
      ReelShot *shot = g_ptr_array_index (shots, i);
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *number = NULL;
      g_autofree char *reel = NULL;
      g_autofree char *event = NULL;
      g_autofree char *clip_name = NULL;
      g_autofree char *shot_comment = NULL;
      g_autofree char *src_in = NULL, *src_out = NULL, *rec_in = NULL, *rec_out = NULL;
      gint64 duration = reel_shot_get_duration (shot);

      /* A blank line, then the event. */
      g_assert_cmpstr (lines[line++], ==, "");
      if (!g_regex_match (event_regex, lines[line], 0, &match))
        g_error ("not a CMX 3600 event line: “%s”", lines[line]);
      line++;

      /* Past 999 the numbers start again at 001; the line keeps its width. */
      number = g_match_info_fetch (match, 1);
      event = g_strdup_printf ("%03u", i % 999 + 1);
      g_assert_cmpstr (number, ==, event);
      if (event_width < 0)
        event_width = (int) strlen (lines[line - 1]);
      g_assert_cmpint (strlen (lines[line - 1]), ==, event_width);

      /* Reels: at most 8 characters, no spaces (the regex), and one per shot. */
      reel = g_match_info_fetch (match, 2);
      g_assert_cmpuint (strlen (reel), <=, 8);
      g_assert_false (g_hash_table_contains (reels, reel));
      g_hash_table_add (reels, g_steal_pointer (&reel));

      src_in = g_match_info_fetch (match, 3);
      src_out = g_match_info_fetch (match, 4);
      rec_in = g_match_info_fetch (match, 5);
      rec_out = g_match_info_fetch (match, 6);
      g_assert_cmpstr (src_in, ==, drop_frame ? "00:00:00;00" : "00:00:00:00");
      g_assert_cmpint (timecode_to_frames (src_out, nominal), ==, duration);
      g_assert_cmpint (timecode_to_frames (rec_in, nominal), ==, record);
      g_assert_cmpint (timecode_to_frames (rec_out, nominal) - timecode_to_frames (rec_in, nominal),
                       ==, duration);
      record += duration;

      g_assert_true (g_str_has_prefix (lines[line], "* FROM CLIP NAME:  "));
      clip_name = g_strdup (lines[line] + strlen ("* FROM CLIP NAME:  "));
      line++;
      if (options != NULL
          && reel_export_options_get_clip_naming (options) == REEL_EXPORT_CLIP_NAMING_KITSU)
        g_assert_true (g_str_has_prefix (clip_name, reel_project_get_title (project)));
      else if (reel_shot_get_plate (shot) != NULL)
        g_assert_cmpstr (clip_name, ==, "kitchen plate.mov");
      else
        {
          g_autoptr(GFile) panel = g_file_get_child (panels, clip_name);

          g_assert_true (g_file_query_exists (panel, NULL));
        }

      shot_comment = g_strdup_printf ("* COMMENT: SHOT %s", reel_shot_get_number (shot));
      g_assert_cmpstr (lines[line++], ==, shot_comment);
      if (reel_shot_get_description (shot)[0] != '\0')
        {
          g_assert_true (g_str_has_prefix (lines[line], "* COMMENT: "));
          /* One line: line breaks inside the description would end the comment. */
          g_assert_null (strchr (lines[line], '\r'));
          line++;
        }
      if (g_str_has_prefix (lines[line], "* COMMENT: AI GENERATED BACKGROUND: ")
          || g_str_equal (lines[line], "* COMMENT: GRAY-BOX RENDER OF THE SET (NO AI MODEL)"))
        line++;

      /* The shot's marker, in the form Resolve reads: colour, name, one frame long. */
      {
        g_autofree char *marker = g_strdup_printf (" |C:ResolveColorRed |M:Shot %s |D:1",
                                                   reel_shot_get_number (shot));

        g_assert_cmpstr (lines[line++], ==, marker);
      }
    }

  g_assert_cmpstr (lines[line], ==, "");
  g_assert_null (lines[line + 1]);

  *out_lines = g_steal_pointer (&lines);
}

static void
test_edl_awkward (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_auto(GStrv) lines = NULL;

  export_and_check (project, NULL, "edl-awkward", &lines);

  /* Timecode counts 24 frames a second at 23.976: 48 frames are 2 s of timecode. */
  g_assert_cmpstr (lines[3], ==,
                   "001  1_1A     V     C        00:00:00:00 00:00:02:00 01:00:00:00 01:00:02:00");
  g_assert_cmpstr (lines[4], ==, "* FROM CLIP NAME:  0001_SC1_SH1A.png");
  g_assert_cmpstr (lines[6], ==, "* COMMENT: He says \"stop\", then runs, fast; 50% off");
  g_assert_cmpstr (lines[7], ==, " |C:ResolveColorRed |M:Shot 1A |D:1");
  /* Ten hours of picture are 863,137 frames. */
  g_assert_cmpstr (lines[15], ==,
                   "003  1_1C     V     C        00:00:00:00 09:59:24:01 01:00:02:01 10:59:26:02");
  /* Provenance: 2B's background was made by a model, and the list says so. */
  g_assert_true (g_strv_contains ((const char * const *) lines,
                                  "* COMMENT: AI GENERATED BACKGROUND: " AWKWARD_PROVIDER " "
                                  AWKWARD_MODEL));
}

/* A gray-box background is a render of the set: the list says so and calls nothing
 * AI-generated; a model-made background beside it keeps its AI comment. */
static void
test_edl_greybox (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  const char *shot_2a, *shot_2b, *greybox;

  /* 2A takes a gray-box render; 2B keeps its generated background. */
  export_test_use_greybox_background (project, g_ptr_array_index (shots, 3), NULL);
  export_and_check (project, NULL, "edl-greybox", &lines);
  text = g_strjoinv ("\n", lines);
  shot_2a = strstr (text, "* COMMENT: SHOT 2A\n");
  shot_2b = strstr (text, "* COMMENT: SHOT 2B\n");
  g_assert_nonnull (shot_2a);
  g_assert_nonnull (shot_2b);
  greybox = strstr (shot_2a, "\n* COMMENT: GRAY-BOX RENDER OF THE SET (NO AI MODEL)\n");
  g_assert_nonnull (greybox);
  g_assert_true (greybox < shot_2b);
  g_assert_nonnull (strstr (text, "\n* COMMENT: AI GENERATED BACKGROUND: " AWKWARD_PROVIDER " "
                                  AWKWARD_MODEL "\n"));
  g_assert_null (strstr (text, "greybox"));

  /* Gray-box only: nothing in the list is called AI. */
  g_clear_pointer (&lines, g_strfreev);
  g_clear_pointer (&text, g_free);
  export_test_use_greybox_background (project, g_ptr_array_index (shots, 4), NULL);
  export_and_check (project, NULL, "edl-greybox-only", &lines);
  text = g_strjoinv ("\n", lines);
  g_assert_null (strstr (text, "AI GENERATED"));
  g_assert_nonnull (strstr (text, "* COMMENT: SHOT 2B\n"));
  g_assert_nonnull (strstr (strstr (text, "* COMMENT: SHOT 2B\n"),
                            "GRAY-BOX RENDER OF THE SET (NO AI MODEL)"));
}

/* 29.97 and 59.94: drop-frame throughout, checked against the SMPTE rule. */
static void
test_edl_drop_frame (void)
{
  static const int rates[] = { 30000, 60000 };

  for (guint r = 0; r < G_N_ELEMENTS (rates); r++)
    {
      g_autoptr(ReelProject) project = export_test_new_awkward_project ();
      g_autoptr(GPtrArray) shots = export_test_list_shots (project);
      g_auto(GStrv) lines = NULL;
      g_autofree char *name = g_strdup_printf ("edl-drop-%d", rates[r]);

      reel_project_set_frame_rate (project, REEL_FRAME_RATE_INIT (rates[r], 1001));
      /* The first shot a minute long: the next starts at 01:01:00;02 (;04 at 59.94). */
      reel_shot_set_duration (g_ptr_array_index (shots, 0), rates[r] / 1000 * 60);
      export_and_check (project, NULL, name, &lines);

      g_assert_cmpstr (lines[1], ==, "FCM: DROP FRAME");
      if (rates[r] == 30000)
        {
          g_assert_cmpstr (lines[3], ==, "001  1_1A     V     C        00:00:00;00 00:01:00;02 "
                                         "01:00:00;00 01:01:00;02");
          g_assert_true (g_str_has_suffix (lines[9], " 01:01:00;02 01:01:00;03"));
        }
      else
        {
          g_assert_cmpstr (lines[3], ==, "001  1_1A     V     C        00:00:00;00 00:01:00;04 "
                                         "01:00:00;00 01:01:00;04");
          g_assert_true (g_str_has_suffix (lines[9], " 01:01:00;04 01:01:00;05"));
        }
    }
}

/* A thousand and one shots: the event field never widens, numbers roll over to 001. */
static void
test_edl_many_events (void)
{
  g_autoptr(ReelProject) project = export_test_new_large_project (7, 143);
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_auto(GStrv) lines = NULL;
  guint events = 0;

  reel_export_options_set_panel_width (options, REEL_EXPORT_PANEL_WIDTH_MIN);
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 1001);
  export_and_check (project, options, "edl-many", &lines);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_ascii_isdigit (lines[i][0]))
      {
        events++;
        if (events == 999)
          g_assert_true (g_str_has_prefix (lines[i], "999  "));
        if (events == 1000)
          g_assert_true (g_str_has_prefix (lines[i], "001  "));
      }
  g_assert_cmpuint (events, ==, 1001);
}

/* Kitsu's EDL import finds shots by clip name: PROJECT_SEQUENCE-SHOT. */
static void
test_edl_kitsu_names (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_auto(GStrv) lines = NULL;

  reel_project_set_title (project, "Harbour");
  reel_export_options_set_clip_naming (options, REEL_EXPORT_CLIP_NAMING_KITSU);
  export_and_check (project, options, "edl-kitsu", &lines);

  g_assert_cmpstr (lines[4], ==, "* FROM CLIP NAME:  Harbour_SC1-SH1A");
  g_assert_true (g_strv_contains ((const char * const *) lines,
                                  "* FROM CLIP NAME:  Harbour_SC2-SH2C"));
}

static void
test_edl_demo (void)
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_auto(GStrv) lines = NULL;

  export_and_check (project, NULL, "edl-demo", &lines);
}

static void
test_edl_long_reel_names (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_auto(GStrv) lines = NULL;

  /* Too long for a reel, and the same twice: numbered reels, still unique. */
  reel_shot_set_number (g_ptr_array_index (shots, 0), "VERY LONG SHOT NAME");
  reel_shot_set_number (g_ptr_array_index (shots, 1), "1A");
  reel_shot_set_number (g_ptr_array_index (shots, 2), "1A");
  export_and_check (project, NULL, "edl-reels", &lines);

  g_assert_true (g_str_has_prefix (lines[3], "001  R0000001 V"));
  g_assert_true (g_str_has_prefix (lines[9], "002  1_1A     V"));
  g_assert_true (g_str_has_prefix (lines[15], "003  R0000003 V"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/edl/awkward", test_edl_awkward);
  g_test_add_func ("/export/edl/demo", test_edl_demo);
  g_test_add_func ("/export/edl/long-reel-names", test_edl_long_reel_names);
  g_test_add_func ("/export/edl/drop-frame", test_edl_drop_frame);
  g_test_add_func ("/export/edl/greybox", test_edl_greybox);
  g_test_add_func ("/export/edl/many-events", test_edl_many_events);
  g_test_add_func ("/export/edl/kitsu-names", test_edl_kitsu_names);

  return export_test_finish (g_test_run ());
}
