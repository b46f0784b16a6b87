/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "export-test-util.h"
#include "storage/reel-demo.h"

/*
 * PDF storyboard sheets, checked by the tools a print shop would use: qpdf --check (poppler
 * alone silently repairs broken files), pdfinfo for the title and the paper, pdffonts for
 * embedded fonts, pdftotext -layout for every shot number, the Korean text, the header and
 * the provenance footnote.
 */

typedef struct
{
  const char *name;
  ReelExportLayout layout;
  ReelExportPaper paper;
  ReelExportOrientation orientation;
  guint awkward_pages;
  const char *page_size;
} Case;

static const Case cases[] = {
  { "3x2-a4-landscape", REEL_EXPORT_LAYOUT_3X2, REEL_EXPORT_PAPER_A4,
    REEL_EXPORT_ORIENTATION_LANDSCAPE, 2, "841.89 x 595.28 pts (A4)" },
  { "2x2-letter-portrait", REEL_EXPORT_LAYOUT_2X2, REEL_EXPORT_PAPER_LETTER,
    REEL_EXPORT_ORIENTATION_PORTRAIT, 2, "612 x 792 pts (letter)" },
  { "3x3-a4-portrait", REEL_EXPORT_LAYOUT_3X3, REEL_EXPORT_PAPER_A4,
    REEL_EXPORT_ORIENTATION_PORTRAIT, 2, "595.28 x 841.89 pts (A4)" },
  { "1x1-letter-landscape", REEL_EXPORT_LAYOUT_1X1, REEL_EXPORT_PAPER_LETTER,
    REEL_EXPORT_ORIENTATION_LANDSCAPE, 6, "792 x 612 pts (letter)" },
  { "shot-list-a4-landscape", REEL_EXPORT_LAYOUT_SHOT_LIST, REEL_EXPORT_PAPER_A4,
    REEL_EXPORT_ORIENTATION_LANDSCAPE, 1, "841.89 x 595.28 pts (A4)" },
};

static char *
run_tool (const char * const *argv)
{
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = export_test_spawn (argv, &out, &err);

  if (status != 0)
    g_error ("%s failed with %d: %s%s", argv[0], status, out, err);

  return out;
}

static char *
info_field (const char *info,
            const char *field)
{
  g_auto(GStrv) lines = g_strsplit (info, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], field) && lines[i][strlen (field)] == ':')
      return g_strstrip (g_strdup (lines[i] + strlen (field) + 1));

  g_error ("pdfinfo has no %s", field);
  return NULL;
}

/* pdftotext -layout may pad or break lines: compare without white space. */
static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      g_string_append_unichar (out, g_utf8_get_char (p));

  return g_string_free (out, FALSE);
}

static void
assert_text_contains (const char *squeezed_text,
                      const char *needle)
{
  g_autofree char *squeezed_needle = squeeze (needle);

  if (strstr (squeezed_text, squeezed_needle) == NULL)
    g_error ("pdftotext does not find “%s”", needle);
}

static char *
export_and_check (ReelProject *project,
                  const Case  *c,
                  const char  *name,
                  guint        expected_pages)
{
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder (name);
  g_autoptr(GFile) output = g_file_get_child (folder, "board.pdf");
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(GError) error = NULL;
  g_autofree char *qpdf = NULL;
  g_autofree char *info = NULL;
  g_autofree char *fonts = NULL;
  g_autofree char *text = NULL;
  g_autofree char *squeezed = NULL;
  g_autofree char *title = NULL;
  g_autofree char *pages = NULL;
  g_autofree char *size = NULL;
  g_autofree char *expected = g_strdup_printf ("%u", expected_pages);
  g_auto(GStrv) font_lines = NULL;
  const char *path;

  reel_export_options_set_layout (options, c->layout);
  reel_export_options_set_paper (options, c->paper);
  reel_export_options_set_orientation (options, c->orientation);
  export_test_run ("pdf", project, options, output, &error);
  g_assert_no_error (error);
  export_test_assert_no_temporaries (folder);
  path = g_file_peek_path (output);

  if (!export_test_have_program ("qpdf") || !export_test_have_program ("pdftotext"))
    return NULL;

  qpdf = run_tool ((const char *[]) { "qpdf", "--check", path, NULL });
  g_assert_nonnull (strstr (qpdf, "No syntax or stream encoding errors found"));

  info = run_tool ((const char *[]) { "pdfinfo", path, NULL });
  title = info_field (info, "Title");
  pages = info_field (info, "Pages");
  size = info_field (info, "Page size");
  /* The document title keeps everything, emoji included. */
  g_assert_cmpstr (title, ==, reel_project_get_title (project));
  g_assert_cmpstr (pages, ==, expected);
  g_assert_cmpstr (size, ==, c->page_size);

  /* Every font embedded (a subset), so the sheets print the same anywhere. */
  fonts = run_tool ((const char *[]) { "pdffonts", path, NULL });
  font_lines = g_strsplit (fonts, "\n", -1);
  g_assert_cmpuint (g_strv_length (font_lines), >, 3);
  for (guint i = 2; font_lines[i] != NULL && font_lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) fields = g_regex_split_simple ("\\s+", font_lines[i], 0, 0);
      guint n = g_strv_length (fields);

      /* name type encoding emb sub uni object ID: emb is the 5th from the end. */
      g_assert_cmpuint (n, >=, 7);
      if (!g_str_equal (fields[n - 5], "yes"))
        g_error ("font not embedded: %s", font_lines[i]);
    }

  text = run_tool ((const char *[]) { "pdftotext", "-layout", path, "-", NULL });
  squeezed = squeeze (text);
  for (guint i = 0; i < shots->len; i++)
    {
      g_autofree char *number = NULL;
      ReelShot *shot = g_ptr_array_index (shots, i);

      if (c->layout == REEL_EXPORT_LAYOUT_SHOT_LIST)
        number = g_strdup (reel_shot_get_number (shot));
      else
        number = g_strdup_printf ("Shot %s", reel_shot_get_number (shot));
      assert_text_contains (squeezed, number);
    }
  assert_text_contains (squeezed, "2026-03-14");

  return g_steal_pointer (&squeezed);
}

static void
test_pdf_awkward (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autofree char *name = g_strconcat ("pdf-awkward-", c->name, NULL);
  g_autofree char *text = export_and_check (project, c, name, c->awkward_pages);

  if (text == NULL)
    return;

  /* Korean from the dialogue and the scene heading, the header, the provenance note. */
  assert_text_contains (text, "안녕하세요");
  assert_text_contains (text, "주전자가 끓는다.");
  /* The emoji of the title are drawn as colour images (Noto Color Emoji), not text. */
  assert_text_contains (text, "Storm \"Test\", take 2: 폭풍");
  assert_text_contains (text, "aspect 2.39:1");
  if (c->layout == REEL_EXPORT_LAYOUT_SHOT_LIST)
    assert_text_contains (text, "All scenes");
  else
    {
      /* Each scene starts a page whose header counts that scene's shots. */
      assert_text_contains (text, "Scene 2: INT. 부엌 - 밤");
      assert_text_contains (text, "3 shots");
    }
  assert_text_contains (text, "AI-generated background: " AWKWARD_PROVIDER ", " AWKWARD_MODEL);
}

static void
test_pdf_demo (void)
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_autofree char *text = export_and_check (project, &cases[0], "pdf-demo", 2);

  if (text == NULL)
    return;

  assert_text_contains (text, "The Kittiwake");
  assert_text_contains (text, "8 shots");
  /* 792 frames at 24 fps. */
  assert_text_contains (text, "running time 00:00:33:00");
}

static void
test_pdf_scene_scope (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("pdf-scene");
  g_autoptr(GFile) output = g_file_get_child (folder, "scene.pdf");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *squeezed = NULL;

  reel_export_options_set_scope (options, REEL_EXPORT_SCOPE_SCENE);
  reel_export_options_set_scene (options, reel_project_get_scene (project, 0));
  export_test_run ("pdf", project, options, output, &error);
  g_assert_no_error (error);

  if (!export_test_have_program ("pdftotext"))
    return;

  text = run_tool ((const char *[]) { "pdftotext", "-layout", g_file_peek_path (output), "-",
                                      NULL });
  squeezed = squeeze (text);
  assert_text_contains (squeezed, "Shot 1A");
  assert_text_contains (squeezed, "Shot 1C");
  g_assert_null (strstr (squeezed, "Shot2A"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/export/pdf/awkward/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_pdf_awkward);
    }
  g_test_add_func ("/export/pdf/demo", test_pdf_demo);
  g_test_add_func ("/export/pdf/scene-scope", test_pdf_scene_scope);

  return export_test_finish (g_test_run ());
}
