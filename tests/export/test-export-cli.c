/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "export-test-util.h"
#include "storage/reel-demo.h"
#include "storage/reel-project-file.h"

/*
 * `storyreel export` as a pipeline runs it: the program itself, no display, the written
 * path on stdout, errors on stderr, and exit statuses that tell a bad argument (2) from an
 * unreadable project (3) from a failed export (1).
 */

static char *project_path;

static int
run_cli (const char  *first,
         ...)
{
  va_list args;
  const char *arg;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  char **out_stdout;
  char **out_stderr;
  int status;

  g_ptr_array_add (argv, (gpointer) g_getenv ("STORYREEL_EXE"));
  g_ptr_array_add (argv, (gpointer) "export");
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  out_stdout = va_arg (args, char **);
  out_stderr = va_arg (args, char **);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  status = export_test_spawn ((const char * const *) argv->pdata, &out, &err);
  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&err);
  return status;
}

static void
test_cli_list_formats (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  const ReelExportFormat * const *formats;
  guint n_formats;

  g_assert_cmpint (run_cli ("--list-formats", NULL, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");

  /* One tab-separated line per format of the registry: the dialog lists the same. */
  formats = reel_export_get_formats (&n_formats);
  lines = g_strsplit (g_strchomp (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, n_formats);
  for (guint i = 0; i < n_formats; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, 5);
      g_assert_cmpstr (fields[0], ==, formats[i]->id);
      g_assert_cmpstr (fields[2], ==, formats[i]->mime_type);
    }
  g_assert_nonnull (strstr (out, "pdf\tpdf\tapplication/pdf\tPDF Storyboard Sheets\t--scene "
                                 "--layout --paper --orientation"));

  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli ("--list-columns", NULL, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "cut-in\tCut In\t"));
}

static void
test_cli_export_csv_scene (void)
{
  g_autoptr(GFile) folder = export_test_make_folder ("cli-csv");
  g_autoptr(GFile) output = g_file_get_child (folder, "scene 2.csv");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected_out = NULL;

  g_assert_cmpint (run_cli (project_path, "--format=csv", "--scene", "2", "--shotgrid", "-o",
                            g_file_peek_path (output), NULL, &out, &err), ==, 0);
  expected_out = g_strdup_printf ("%s\n", g_file_peek_path (output));
  g_assert_cmpstr (out, ==, expected_out);
  g_assert_cmpstr (err, ==, "");

  text = export_test_read_text (output);
  g_assert_true (g_str_has_prefix (text, "Shot Code,Sequence,Cut In,Cut Out,Cut Duration,"
                                   "Description\r\nSC2_SH2A,SC2,1001,1030,30,"));
  g_assert_null (strstr (text, "SC1_"));
}

/* --kitsu: Kitsu's columns in the CSV (plain UTF-8), Kitsu's clip names in OTIO; --bom and
 * --no-bom decide the byte-order mark whatever the preset. */
static void
test_cli_export_kitsu (void)
{
  g_autoptr(GFile) folder = export_test_make_folder ("cli-kitsu");
  g_autoptr(GFile) csv = g_file_get_child (folder, "shots.csv");
  g_autoptr(GFile) csv_bom = g_file_get_child (folder, "shots-bom.csv");
  g_autoptr(GFile) plain = g_file_get_child (folder, "plain.csv");
  g_autoptr(GFile) otio = g_file_get_child (folder, "cut.otio");
  g_autofree char *text = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *clip;

  g_assert_cmpint (run_cli (project_path, "--kitsu", "-o", g_file_peek_path (csv), NULL, NULL,
                            NULL), ==, 0);
  text = export_test_read_text (csv);
  g_assert_true (g_str_has_prefix (text, "Sequence,Name,Description,Nb Frames,Frame In,"
                                   "Frame Out,FPS,Resolution\r\nSC1,SH1A,"));
  g_clear_pointer (&text, g_free);

  g_assert_cmpint (run_cli (project_path, "--kitsu", "--bom", "-o", g_file_peek_path (csv_bom),
                            NULL, NULL, NULL), ==, 0);
  text = export_test_read_text (csv_bom);
  g_assert_true (g_str_has_prefix (text, "\xef\xbb\xbfSequence,Name,"));
  g_clear_pointer (&text, g_free);

  /* The general shot list is for spreadsheets: the mark is on unless told otherwise. */
  g_assert_cmpint (run_cli (project_path, "-o", g_file_peek_path (plain), NULL, NULL, NULL),
                   ==, 0);
  text = export_test_read_text (plain);
  g_assert_true (g_str_has_prefix (text, "\xef\xbb\xbfScene,Shot,"));
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (run_cli (project_path, "--no-bom", "-o", g_file_peek_path (plain), NULL,
                            NULL, NULL), ==, 0);
  text = export_test_read_text (plain);
  g_assert_true (g_str_has_prefix (text, "Scene,Shot,"));
  g_clear_pointer (&text, g_free);

  g_assert_cmpint (run_cli (project_path, "--kitsu", "--panel-width", "64", "-o",
                            g_file_peek_path (otio), NULL, NULL, NULL), ==, 0);
  json_parser_load_from_file (parser, g_file_peek_path (otio), &error);
  g_assert_no_error (error);
  clip = json_array_get_object_element (
    json_object_get_array_member (
      json_array_get_object_element (
        json_object_get_array_member (
          json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                         "tracks"), "children"), 0), "children"), 0);
  g_assert_cmpstr (json_object_get_string_member (clip, "name"), ==,
                   "Storm \"Test\", take 2: 폭풍 🎬_SC1-SH1A");

  g_assert_cmpint (run_cli (project_path, "--kitsu", "--shotgrid", "-o", g_file_peek_path (csv),
                            NULL, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--kitsu"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (project_path, "--clip-names", "shots", "-o",
                            g_file_peek_path (otio), NULL, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "code, kitsu"));
}

static void
test_cli_export_every_format (void)
{
  g_autoptr(GFile) folder = export_test_make_folder ("cli-all");
  /* The formats of src/export itself; the animatic (ten hours of this project's video) has
   * tests of its own in tests/media. */
  const char *ids[] = { "pdf", "csv", "otio", "fcpxml", "edl", "json", "png" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      const ReelExportFormat *export_format = reel_export_lookup_format (ids[i]);
      g_autofree char *name = reel_export_format_suggest_name (export_format, "board");
      g_autoptr(GFile) output = g_file_get_child (folder, name);
      g_autofree char *format = g_strdup_printf ("--format=%s", ids[i]);
      g_autofree char *err = NULL;
      int status;

      status = run_cli (project_path, format, "--layout", "2x2", "--paper", "letter",
                        "--orientation", "portrait", "--panel-width", "320", "-o",
                        g_file_peek_path (output), NULL, NULL, &err);
      if (status != 0)
        g_error ("storyreel export %s failed (%d): %s", ids[i], status, err);
      g_assert_true (g_file_query_exists (output, NULL));
    }
  export_test_assert_no_temporaries (folder);
}

/* --panel-clips: the EDL's sources are MP4 clips of the panels in NAME_media/. */
static void
test_cli_panel_clips (void)
{
  g_autoptr(ReelProject) small = export_test_new_large_project (1, 2);
  g_autoptr(GFile) folder = export_test_make_folder ("cli-panel-clips");
  g_autoptr(GFile) project = g_file_get_child (folder, "small.storyreel");
  g_autoptr(GFile) output = g_file_get_child (folder, "cut.edl");
  g_autoptr(GFile) media = g_file_get_child (folder, "cut_media");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) names = NULL;

  reel_project_file_save (small, project, NULL, &error);
  g_assert_no_error (error);
  if (run_cli (g_file_peek_path (project), "--panel-clips", "--panel-width", "64", "-o",
               g_file_peek_path (output), NULL, NULL, &err) != 0)
    g_error ("storyreel export --panel-clips failed: %s", err);

  names = export_test_list_folder (media);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  text = export_test_read_text (output);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *line = g_strdup_printf ("* FROM CLIP NAME:  %s\n", names[i]);

      g_assert_true (g_str_has_suffix (names[i], ".mov"));
      g_assert_nonnull (strstr (text, line));
    }
  export_test_assert_no_temporaries (folder);
}

static void
test_cli_guess_format (void)
{
  g_autoptr(GFile) folder = export_test_make_folder ("cli-guess");
  g_autoptr(GFile) output = g_file_get_child (folder, "cut.fcpxml");
  g_autoptr(GFile) panels = g_file_get_child (folder, "cut_panels");
  g_autofree char *text = NULL;

  g_assert_cmpint (run_cli (project_path, "--fcpxml-version", "1.10", "-o",
                            g_file_peek_path (output), NULL, NULL, NULL), ==, 0);
  text = export_test_read_text (output);
  g_assert_nonnull (strstr (text, "<fcpxml version=\"1.10\">"));
  g_assert_true (g_file_query_exists (panels, NULL));

  /* A format with several extensions: glTF is binary .glb or JSON .gltf. */
  {
    g_autoptr(GFile) glb = g_file_get_child (folder, "set.glb");
    g_autoptr(GFile) gltf = g_file_get_child (folder, "set.GLTF");
    g_autofree char *contents = NULL;
    g_autofree char *json = NULL;
    gsize length = 0;

    g_assert_cmpint (run_cli (project_path, "-o", g_file_peek_path (glb), NULL, NULL, NULL),
                     ==, 0);
    g_assert_true (g_file_load_contents (glb, NULL, &contents, &length, NULL, NULL));
    g_assert_cmpuint (length, >, 12);
    g_assert_cmpmem (contents, 4, "glTF", 4);

    g_assert_cmpint (run_cli (project_path, "-o", g_file_peek_path (gltf), NULL, NULL, NULL),
                     ==, 0);
    json = export_test_read_text (gltf);
    g_assert_cmpint (json[0], ==, '{');
    g_assert_nonnull (strstr (json, "\"asset\""));
    g_assert_nonnull (strstr (json, "\"cameras\""));
  }
}

static void
test_cli_errors (void)
{
  g_autoptr(GFile) folder = export_test_make_folder ("cli-errors");
  g_autoptr(GFile) output = g_file_get_child (folder, "out.pdf");
  g_autoptr(GFile) broken = g_file_get_child (folder, "broken.storyreel");
  g_autoptr(GFile) blocked = g_file_get_child (folder, "no folder/out.pdf");
  g_autoptr(GError) error = NULL;
  const char *out_path = g_file_peek_path (output);
  struct {
    const char *argv[8];
    int status;
    const char *message;
  } cases[] = {
    { { "--format=docx", project_path, "-o", out_path }, 2, "docx" },
    { { project_path, "-o", out_path, "--layout", "4x4" }, 2, "4x4" },
    { { project_path, "-o", out_path, "--paper", "a3" }, 2, "a3" },
    { { project_path, "-o", out_path, "--scene", "9" }, 2, "9" },
    { { project_path, "--format=csv", "-o", out_path, "--columns", "shot,colour" }, 2, "colour" },
    { { project_path, "--format=fcpxml", "-o", out_path, "--fcpxml-version", "1.9" }, 2, "1.9" },
    { { project_path, "-o", out_path, "--panel-width", "5" }, 2, "--panel-width" },
    { { project_path, "--format=pdf" }, 2, "-o" },
    { { "--format=pdf", "-o", out_path }, 2, "FILE" },
    { { project_path, "-o", "out.unknown" }, 2, "--format" },
    { { "/nonexistent/project.storyreel", "-o", out_path }, 3, "project.storyreel" },
    { { NULL /* broken */, "-o", out_path }, 3, "broken.storyreel" },
    { { project_path, "-o", NULL /* blocked */ }, 1, "out.pdf" },
  };

  g_file_replace_contents (broken, "not a database", 14, NULL, FALSE, 0, NULL, NULL, &error);
  g_assert_no_error (error);
  cases[11].argv[0] = g_file_peek_path (broken);
  cases[12].argv[2] = g_file_peek_path (blocked);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      g_ptr_array_add (argv, (gpointer) g_getenv ("STORYREEL_EXE"));
      g_ptr_array_add (argv, (gpointer) "export");
      for (guint a = 0; cases[i].argv[a] != NULL; a++)
        g_ptr_array_add (argv, (gpointer) cases[i].argv[a]);
      g_ptr_array_add (argv, NULL);

      status = export_test_spawn ((const char * const *) argv->pdata, &out, &err);
      if (status != cases[i].status)
        g_error ("case %u: exit %d, expected %d: %s", i, status, cases[i].status, err);
      /* Errors on stderr, prefixed, naming what was wrong; nothing on stdout. */
      g_assert_cmpstr (out, ==, "");
      g_assert_true (g_str_has_prefix (err, "storyreel: "));
      if (strstr (err, cases[i].message) == NULL)
        g_error ("case %u: “%s” does not mention %s", i, err, cases[i].message);
    }

  g_assert_false (g_file_query_exists (output, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  project = export_test_new_awkward_project_with_footage ();
  folder = export_test_make_folder ("cli-project");
  file = g_file_get_child (folder, "awkward.storyreel");
  reel_project_file_save (project, file, NULL, &error);
  g_assert_no_error (error);
  project_path = g_file_get_path (file);

  g_test_add_func ("/export/cli/list-formats", test_cli_list_formats);
  g_test_add_func ("/export/cli/csv-scene", test_cli_export_csv_scene);
  g_test_add_func ("/export/cli/kitsu", test_cli_export_kitsu);
  g_test_add_func ("/export/cli/every-format", test_cli_export_every_format);
  g_test_add_func ("/export/cli/guess-format", test_cli_guess_format);
  g_test_add_func ("/export/cli/panel-clips", test_cli_panel_clips);
  g_test_add_func ("/export/cli/errors", test_cli_errors);

  status = g_test_run ();
  g_free (project_path);
  return export_test_finish (status);
}
