/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "storage-test-util.h"
#include "storage/reel-fdx.h"
#include "storage/reel-fountain.h"

/* Final Draft import: a script written by hand with every paragraph type, the same script
 * in Fountain for the duration estimate, and files that are broken or hostile. */

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "storage", "data", name, NULL);
}

/* harbour.fdx as Fountain: what it must import as. */
static const char harbour_fountain[] =
  "Title: The Harbour\n"
  "Credit: Written by\n"
  "Author: Ana Costa\n"
  "Contact: ana@example.org\n"
  "\n"
  "FADE IN:\n"
  "\n"
  "EXT. HARBOUR - DAWN #12#\n"
  "\n"
  "Fog over the water. A trawler noses in, engine coughing.\n"
  "\n"
  "MAYA (V.O.)\n"
  "(quietly)\n"
  "They said she sank in '98 & never came back.\n"
  "\n"
  "!CLOSE ON THE BOW\n"
  "\n"
  "A gull lands on the rail.\n"
  "\n"
  "!MAYA, the harbourmaster\n"
  "\n"
  "TOMAS\n"
  "Ropes!\n"
  "\n"
  "MAYA ^\n"
  "Now!\n"
  "\n"
  "CUT TO:\n"
  "\n"
  "INT. WHEELHOUSE - CONTINUOUS #12A#\n"
  "\n"
  "안개 속의 조타실.\n";

static void
test_harbour (void)
{
  g_autofree char *path = data_path ("harbour.fdx");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelProject) project = reel_fdx_import (file, &error);
  g_autoptr(ReelProject) fountain = NULL;
  ReelScene *harbour, *wheelhouse;
  ReelShot *shot;

  g_assert_no_error (error);
  g_assert_nonnull (project);

  /* The title page: runs joined, "Written by" before the author, contact after. */
  g_assert_cmpstr (reel_project_get_title (project), ==, "The Harbour");
  g_assert_cmpstr (reel_project_get_metadata (project, REEL_METADATA_CREDIT), ==, "Written by");
  g_assert_cmpstr (reel_project_get_metadata (project, REEL_METADATA_AUTHOR), ==, "Ana Costa");
  g_assert_cmpstr (reel_project_get_metadata (project, REEL_METADATA_CONTACT), ==,
                   "ana@example.org");
  g_assert_false (reel_project_get_modified (project));

  /* Scene numbers from the Number attribute; the transitions make no scene or shot. */
  g_assert_cmpuint (reel_project_get_n_scenes (project), ==, 2);
  harbour = reel_project_get_scene (project, 0);
  wheelhouse = reel_project_get_scene (project, 1);
  g_assert_cmpstr (reel_scene_get_number (harbour), ==, "12");
  g_assert_cmpint (reel_scene_get_int_ext (harbour), ==, REEL_INT_EXT_EXT);
  g_assert_cmpstr (reel_scene_get_location (harbour), ==, "HARBOUR");
  g_assert_cmpstr (reel_scene_get_time_of_day (harbour), ==, "DAWN");
  g_assert_cmpstr (reel_scene_get_number (wheelhouse), ==, "12A");
  g_assert_cmpint (reel_scene_get_int_ext (wheelhouse), ==, REEL_INT_EXT_INT);
  g_assert_cmpstr (reel_scene_get_location (wheelhouse), ==, "WHEELHOUSE");

  /* Runs of one paragraph joined; Shot, General and unknown types kept as action;
   * dialogue with its parenthetical and the dual dialogue, entities decoded. */
  g_assert_cmpuint (reel_scene_get_n_shots (harbour), ==, 1);
  shot = reel_scene_get_shot (harbour, 0);
  g_assert_cmpstr (reel_shot_get_number (shot), ==, "12A");
  g_assert_cmpstr (reel_shot_get_description (shot), ==,
                   "Fog over the water. A trawler noses in, engine coughing.\n"
                   "CLOSE ON THE BOW\nA gull lands on the rail.\nMAYA, the harbourmaster");
  g_assert_cmpstr (reel_shot_get_dialogue (shot), ==,
                   "MAYA (V.O.): (quietly) They said she sank in '98 & never came back.\n"
                   "TOMAS: Ropes!\nMAYA: Now!");
  g_assert_cmpstr (reel_shot_get_cast (shot), ==, "MAYA, TOMAS");
  g_assert_cmpstr (reel_shot_get_description (reel_scene_get_shot (wheelhouse, 0)), ==,
                   "안개 속의 조타실.");

  /* The same script in Fountain: the same scenes, shots, texts and durations. */
  fountain = reel_fountain_import_from_string (harbour_fountain, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_project_get_n_scenes (fountain), ==, 2);
  for (guint s = 0; s < 2; s++)
    {
      ReelScene *a = reel_project_get_scene (project, s);
      ReelScene *b = reel_project_get_scene (fountain, s);

      g_assert_cmpstr (reel_scene_get_heading (a), ==, reel_scene_get_heading (b));
      g_assert_cmpuint (reel_scene_get_n_shots (a), ==, reel_scene_get_n_shots (b));
      for (guint i = 0; i < reel_scene_get_n_shots (a); i++)
        {
          ReelShot *x = reel_scene_get_shot (a, i);
          ReelShot *y = reel_scene_get_shot (b, i);

          g_assert_cmpstr (reel_shot_get_description (x), ==, reel_shot_get_description (y));
          g_assert_cmpstr (reel_shot_get_dialogue (x), ==, reel_shot_get_dialogue (y));
          g_assert_cmpint (reel_shot_get_duration (x), ==, reel_shot_get_duration (y));
        }
    }
}

static void
assert_refused (const char *data,
                gssize      length,
                const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelProject) project = NULL;

  g_test_message ("%s", what);
  project = reel_fdx_import_from_data (data, length, "hostile.fdx", &error);
  g_assert_null (project);
  g_assert_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_INVALID_SCRIPT);
  /* It names the file and says what to do. */
  g_assert_nonnull (strstr (error->message, "hostile.fdx"));
}

static void
test_hostile (void)
{
  g_autofree char *path = data_path ("harbour.fdx");
  g_autofree char *harbour = NULL;
  gsize length;
  static const char billion_laughs[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE FinalDraft [\n"
    " <!ENTITY lol \"lol\">\n"
    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    " <!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
    "]>\n"
    "<FinalDraft><Content><Paragraph Type=\"Action\"><Text>&lol9;</Text></Paragraph>"
    "</Content></FinalDraft>\n";
  static const char undefined_entity[] =
    "<FinalDraft><Content><Paragraph Type=\"Action\"><Text>&lol9;</Text></Paragraph>"
    "</Content></FinalDraft>";
  static const char external[] =
    "<?xml version=\"1.0\"?>\n<!DOCTYPE FinalDraft SYSTEM \"file:///etc/passwd\">\n"
    "<FinalDraft><Content/></FinalDraft>";

  assert_refused (billion_laughs, -1, "billion laughs");
  assert_refused (undefined_entity, -1, "an entity nobody declared");
  assert_refused (external, -1, "an external DTD");
  assert_refused ("INT. HOUSE - DAY\n\nThis is Fountain, not XML.\n", -1, "not XML");
  assert_refused ("<html><body>Not a script</body></html>", -1, "another XML document");
  assert_refused ("", 0, "nothing at all");

  /* Cut anywhere, it is refused whole: no project with half the scenes. */
  g_assert_true (g_file_get_contents (path, &harbour, &length, NULL));
  for (gsize cut = 40; cut < length - 20; cut += 97)
    assert_refused (harbour, cut, "cut short");
}

/* Too large: refused from its size, before anything is read. */
static void
test_too_large (void)
{
  g_autofree char *dir = storage_test_make_dir ("fdx-large");
  g_autofree char *path = g_build_filename (dir, "huge.fdx", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelProject) project = NULL;

  /* A sparse file: large on paper, nothing on the disk. */
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (G_OUTPUT_STREAM (stream), "<FinalDraft>", 12, NULL,
                                            NULL, &error));
  g_assert_true (g_seekable_truncate (G_SEEKABLE (stream), REEL_FDX_MAX_SIZE + 1, NULL, &error));
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error));
  g_assert_no_error (error);

  project = reel_fdx_import (file, &error);
  g_assert_null (project);
  g_assert_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_INVALID_SCRIPT);
  g_assert_nonnull (strstr (error->message, "too large"));
  g_assert_nonnull (strstr (error->message, "huge.fdx"));
}

static void
test_detect (void)
{
  g_autofree char *fdx = data_path ("harbour.fdx");
  g_autofree char *fountain = data_path ("lighthouse.fountain");
  g_autofree char *dir = storage_test_make_dir ("fdx-detect");
  g_autofree char *renamed = g_build_filename (dir, "harbour-script", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GFile) fdx_file = g_file_new_for_path (fdx);
  g_autoptr(GFile) fountain_file = g_file_new_for_path (fountain);
  g_autoptr(GFile) renamed_file = g_file_new_for_path (renamed);

  g_assert_true (reel_fdx_is_fdx_file (fdx_file));
  g_assert_false (reel_fdx_is_fdx_file (fountain_file));
  /* Without its extension, the content tells. */
  g_assert_true (g_file_get_contents (fdx, &contents, NULL, NULL));
  g_assert_true (g_file_set_contents (renamed, contents, -1, NULL));
  g_assert_true (reel_fdx_is_fdx_file (renamed_file));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fdx/harbour", test_harbour);
  g_test_add_func ("/fdx/hostile", test_hostile);
  g_test_add_func ("/fdx/too-large", test_too_large);
  g_test_add_func ("/fdx/detect", test_detect);

  return g_test_run ();
}
