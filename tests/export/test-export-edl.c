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

/* Non-drop timecode to frames, counting @nominal frames a second; independent of the code
 * under test. */
static gint64
timecode_to_frames (const char *timecode,
                    int         nominal)
{
  int h, m, s, f;

  g_assert_cmpint (sscanf (timecode, "%d:%d:%d:%d", &h, &m, &s, &f), ==, 4);
  g_assert_cmpint (m, <, 60);
  g_assert_cmpint (s, <, 60);
  g_assert_cmpint (f, <, nominal);
  return ((gint64) h * 3600 + m * 60 + s) * nominal + f;
}

static void
export_and_check (ReelProject *project,
                  const char  *name,
                  char      ***out_lines)
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
  int nominal = reel_frame_rate_get_nominal (reel_project_get_frame_rate (project));
  gint64 record = 3600 * nominal;
  guint line = 2;

  export_test_run ("edl", project, NULL, output, &error);
  g_assert_no_error (error);
  export_test_assert_no_temporaries (folder);

  text = export_test_read_text (output);
  g_assert_true (g_str_has_suffix (text, "\n"));
  lines = g_strsplit (text, "\n", -1);

  title = g_strdup_printf ("TITLE: %s", reel_project_get_title (project));
  g_assert_cmpstr (lines[0], ==, title);
  g_assert_cmpstr (lines[1], ==, "FCM: NON-DROP FRAME");

  /* 001  REEL____ V     C        SRC-IN      SRC-OUT     REC-IN      REC-OUT */
  event_regex = g_regex_new ("^(\\d{3,4})  ([A-Z0-9_-]{1,8}) +V     C        "
                             "(\\d\\d:\\d\\d:\\d\\d:\\d\\d) (\\d\\d:\\d\\d:\\d\\d:\\d\\d) "
                             "(\\d\\d:\\d\\d:\\d\\d:\\d\\d) (\\d\\d:\\d\\d:\\d\\d:\\d\\d)$",
                             0, 0, &error);
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

      number = g_match_info_fetch (match, 1);
      event = g_strdup_printf ("%03u", i + 1);
      g_assert_cmpstr (number, ==, event);

      /* Reels: at most 8 characters, no spaces (the regex), and one per shot. */
      reel = g_match_info_fetch (match, 2);
      g_assert_cmpuint (strlen (reel), <=, 8);
      g_assert_false (g_hash_table_contains (reels, reel));
      g_hash_table_add (reels, g_steal_pointer (&reel));

      src_in = g_match_info_fetch (match, 3);
      src_out = g_match_info_fetch (match, 4);
      rec_in = g_match_info_fetch (match, 5);
      rec_out = g_match_info_fetch (match, 6);
      g_assert_cmpstr (src_in, ==, "00:00:00:00");
      g_assert_cmpint (timecode_to_frames (src_out, nominal), ==, duration);
      g_assert_cmpint (timecode_to_frames (rec_in, nominal), ==, record);
      g_assert_cmpint (timecode_to_frames (rec_out, nominal) - timecode_to_frames (rec_in, nominal),
                       ==, duration);
      record += duration;

      g_assert_true (g_str_has_prefix (lines[line], "* FROM CLIP NAME:  "));
      clip_name = g_strdup (lines[line] + strlen ("* FROM CLIP NAME:  "));
      line++;
      if (reel_shot_get_plate (shot) != NULL)
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

  export_and_check (project, "edl-awkward", &lines);

  /* Timecode counts 24 frames a second at 23.976: 48 frames are 2 s of timecode. */
  g_assert_cmpstr (lines[3], ==,
                   "001  1_1A     V     C        00:00:00:00 00:00:02:00 01:00:00:00 01:00:02:00");
  g_assert_cmpstr (lines[4], ==, "* FROM CLIP NAME:  0001_SC1_SH1A.png");
  g_assert_cmpstr (lines[6], ==, "* COMMENT: He says \"stop\", then runs, fast; 50% off");
  /* Ten hours of picture are 863,137 frames. */
  g_assert_cmpstr (lines[13], ==,
                   "003  1_1C     V     C        00:00:00:00 09:59:24:01 01:00:02:01 10:59:26:02");
}

static void
test_edl_demo (void)
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_auto(GStrv) lines = NULL;

  export_and_check (project, "edl-demo", &lines);
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
  export_and_check (project, "edl-reels", &lines);

  g_assert_true (g_str_has_prefix (lines[3], "001  R0000001 V"));
  g_assert_true (g_str_has_prefix (lines[8], "002  1_1A     V"));
  g_assert_true (g_str_has_prefix (lines[13], "003  R0000003 V"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/edl/awkward", test_edl_awkward);
  g_test_add_func ("/export/edl/demo", test_edl_demo);
  g_test_add_func ("/export/edl/long-reel-names", test_edl_long_reel_names);

  return export_test_finish (g_test_run ());
}
