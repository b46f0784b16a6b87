/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "../reel-test-require.h"
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

static char *
pdf_text (GFile *output,
          int    first_page,
          int    last_page)
{
  g_autofree char *first = g_strdup_printf ("%d", first_page);
  g_autofree char *last = g_strdup_printf ("%d", last_page);
  g_autofree char *text = run_tool ((const char *[]) { "pdftotext", "-layout", "-f", first, "-l",
                                                       last, g_file_peek_path (output), "-",
                                                       NULL });

  return squeeze (text);
}

static guint
count_occurrences (const char *haystack,
                   const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* Long descriptions made of one-line paragraphs, so that every cut falls at a line break:
 * each cut panel ends in an ellipsis, and the whole text is in the shot list after the
 * grids. */
static void
test_pdf_cut_text (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("pdf-cut");
  g_autoptr(GFile) output = g_file_get_child (folder, "board.pdf");
  g_autoptr(GError) error = NULL;
  g_autofree char *info = NULL;
  g_autofree char *grids = NULL;
  g_autofree char *table = NULL;
  guint64 n_pages = 0;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GString) description = g_string_new (NULL);

      for (guint line = 1; line <= 16; line++)
        g_string_append_printf (description, "%sBeat %u of shot %u.", line > 1 ? "\n" : "",
                                line, i);
      g_string_append_printf (description, "\nFinalbeat%c closes it.", 'A' + i);
      reel_shot_set_description (g_ptr_array_index (shots, i), description->str);
    }
  reel_export_options_set_layout (options, REEL_EXPORT_LAYOUT_3X2);
  export_test_run ("pdf", project, options, output, &error);
  g_assert_no_error (error);

  if (!reel_test_require_program ("pdftotext") || !reel_test_require_program ("pdfinfo"))
    return;

  /* Two scenes of grids, then the shot list of the three shots cut short. */
  info = run_tool ((const char *[]) { "pdfinfo", g_file_peek_path (output), NULL });
  g_assert_true (g_ascii_string_to_unsigned (info_field (info, "Pages"), 10, 1, 100, &n_pages,
                                             NULL));
  g_assert_cmpuint (n_pages, >=, 3);
  grids = pdf_text (output, 1, 2);
  table = pdf_text (output, 3, (int) n_pages);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *last = g_strdup_printf ("Finalbeat%c", 'A' + i);
      g_autofree char *first = g_strdup_printf ("Beat1ofshot%u.", i);

      g_autofree char *ellipsis = g_strdup_printf ("ofshot%u.…", i);

      /* Cut in the panel, whole in the list; the cut ends in an ellipsis, though it fell at
       * a line break, and only once. */
      g_assert_nonnull (strstr (grids, first));
      g_assert_null (strstr (grids, last));
      g_assert_nonnull (strstr (table, last));
      g_assert_cmpuint (count_occurrences (grids, ellipsis), ==, 1);
    }
  g_assert_nonnull (strstr (table, "Shotlist:thefulltextofpanelscutshort"));
}

/* A description longer than a whole page of the shot list (a screenplay's scene in one
 * action block) is not cut there either: its row goes on over as many pages as it needs,
 * marked "(continued)", in the shot list after the grids and in the shot-list layout alike,
 * and every paragraph's last words are in the PDF. */
static void
test_pdf_text_longer_than_a_page (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(GString) description = g_string_new (NULL);
  const ReelExportLayout layouts[] = { REEL_EXPORT_LAYOUT_3X2, REEL_EXPORT_LAYOUT_SHOT_LIST };
  const guint n_paragraphs = 60;

  /* About six thousand words in sixty paragraphs, each ending in its own word. */
  for (guint p = 0; p < n_paragraphs; p++)
    {
      for (guint w = 0; w < 100; w++)
        g_string_append (description, w % 9 == 8 ? "harbour. " : "lantern ");
      g_string_append_printf (description, "Paragraphend%u.\n", p);
    }
  reel_shot_set_description (g_ptr_array_index (shots, 1), description->str);

  for (guint l = 0; l < G_N_ELEMENTS (layouts); l++)
    {
      g_autoptr(ReelExportOptions) options = export_test_new_options ();
      g_autofree char *name = g_strdup_printf ("pdf-longer-than-a-page-%u", l);
      g_autoptr(GFile) folder = export_test_make_folder (name);
      g_autoptr(GFile) output = g_file_get_child (folder, "board.pdf");
      g_autoptr(GError) error = NULL;
      g_autofree char *check = NULL;
      g_autofree char *text = NULL;

      reel_export_options_set_layout (options, layouts[l]);
      export_test_run ("pdf", project, options, output, &error);
      g_assert_no_error (error);

      if (!reel_test_require_program ("pdftotext") || !reel_test_require_program ("qpdf"))
        return;

      check = run_tool ((const char *[]) { "qpdf", "--check", g_file_peek_path (output),
                                           NULL });
      g_assert_nonnull (strstr (check, "No syntax or stream encoding errors found"));
      text = pdf_text (output, 1, 1000);
      for (guint p = 0; p < n_paragraphs; p++)
        {
          g_autofree char *end = g_strdup_printf ("Paragraphend%u.", p);

          g_assert_nonnull (strstr (text, end));
        }
      /* Two pages at least for that one row, the second and later marked as going on. */
      g_assert_cmpuint (count_occurrences (text, "(continued)"), >=, 1);
      /* The other shots are there once each: nothing was pushed out. */
      g_assert_nonnull (strstr (text, "2B"));
    }
}

/* A scene without a heading is "Scene 1", not "Scene 1: ·". */
static void
test_pdf_untitled_scene (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  ReelScene *scene = reel_project_get_scene (project, 0);
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("pdf-untitled");
  g_autoptr(GFile) output = g_file_get_child (folder, "board.pdf");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  reel_scene_set_int_ext (scene, REEL_INT_EXT_NONE);
  reel_scene_set_location (scene, "");
  reel_scene_set_time_of_day (scene, "");
  g_assert_cmpstr (reel_scene_get_heading (scene), ==, "");
  export_test_run ("pdf", project, options, output, &error);
  g_assert_no_error (error);

  if (!reel_test_require_program ("pdftotext"))
    return;

  text = pdf_text (output, 1, 1);
  g_assert_true (g_str_has_prefix (strstr (text, "Scene1"), "Scene1·3shots"));
  g_assert_null (strstr (text, "Scene1:"));

  /* No number either: the header says so in words, and the shot list's shot column holds
   * the shot alone. */
  reel_scene_set_number (scene, "");
  reel_export_options_set_layout (options, REEL_EXPORT_LAYOUT_SHOT_LIST);
  export_test_run ("pdf", project, options, output, &error);
  g_assert_no_error (error);
  g_clear_pointer (&text, g_free);
  text = pdf_text (output, 1, 1);
  g_assert_nonnull (strstr (text, "Allscenes"));
  g_assert_nonnull (strstr (text, "Scene2"));
  g_assert_null (g_strstr_len (text, strstr (text, "Scene2") - text, "Scene"));
}

/* A gray-box render of the set has no "AI*" badge and no AI footnote; the generated
 * background keeps both. */
static void
test_pdf_greybox (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("pdf-greybox");
  g_autoptr(GFile) output = g_file_get_child (folder, "board.pdf");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  export_test_use_greybox_background (project, g_ptr_array_index (shots, 3), NULL);
  export_test_run ("pdf", project, options, output, &error);
  g_assert_no_error (error);

  if (!reel_test_require_program ("pdftotext"))
    return;

  text = pdf_text (output, 1, 2);
  g_assert_cmpuint (count_occurrences (text, "AI-generatedbackground:"), ==, 1);
  g_assert_cmpuint (count_occurrences (text, "AI-generatedbackground:" AWKWARD_PROVIDER), ==, 1);
  g_assert_cmpuint (count_occurrences (text, "AI*"), ==, 1);
  g_assert_null (strstr (text, "greybox"));
}

/* A video background is printed by its first frame, not as a grey panel: page 2 (scene 2)
 * rasterised by Poppler shows its colour. */
static void
test_pdf_video_background (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("pdf-video-background");
  g_autoptr(GFile) output = g_file_get_child (folder, "board.pdf");
  g_autoptr(GFile) page = g_file_get_child (folder, "page.png");
  g_autoptr(GBytes) webm = export_test_make_solid_webm ("pdf-video-source", 64, 36, 0xffd02020);
  g_autoptr(ReelAsset) video = reel_asset_new_video (webm, REEL_MIME_WEBM, 64, 36, NULL);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = g_build_filename (g_file_peek_path (folder), "page", NULL);
  g_autofree char *out = NULL;
  guint reddish = 0;

  reel_project_add_asset (project, video);
  reel_shot_set_background (g_ptr_array_index (shots, 3), reel_asset_get_hash (video));
  export_test_run ("pdf", project, options, output, &error);
  g_assert_no_error (error);

  if (!reel_test_require_program ("pdftoppm"))
    return;

  out = run_tool ((const char *[]) { "pdftoppm", "-png", "-r", "40", "-f", "2", "-l", "2",
                                     "-singlefile", g_file_peek_path (output), prefix, NULL });
  pixbuf = gdk_pixbuf_new_from_file (g_file_peek_path (page), &error);
  g_assert_no_error (error);
  for (int y = 0; y < gdk_pixbuf_get_height (pixbuf); y++)
    for (int x = 0; x < gdk_pixbuf_get_width (pixbuf); x++)
      {
        const guchar *p = gdk_pixbuf_get_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf)
                          + x * gdk_pixbuf_get_n_channels (pixbuf);

        if (ABS (p[0] - 0xd0) <= 32 && p[1] < 0x50 && p[2] < 0x50)
          reddish++;
      }
  /* A panel of a 3-up grid at 40 dpi is well over a thousand pixels. */
  g_assert_cmpuint (reddish, >, 1000);
}

/* 29.97: the running time in drop-frame. */
static void
test_pdf_drop_frame (void)
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("pdf-drop-frame");
  g_autoptr(GFile) output = g_file_get_child (folder, "board.pdf");
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 total = 0;

  reel_project_set_frame_rate (project, REEL_FRAME_RATE_INIT (30000, 1001));
  /* Make it run past a minute: 1800 frames are 00:01:00;02. */
  for (guint i = 0; i < shots->len; i++)
    total += reel_shot_get_duration (g_ptr_array_index (shots, i));
  reel_shot_set_duration (g_ptr_array_index (shots, 0),
                          reel_shot_get_duration (g_ptr_array_index (shots, 0)) + 1800 - total);
  export_test_run ("pdf", project, options, output, &error);
  g_assert_no_error (error);

  if (!reel_test_require_program ("pdftotext"))
    return;

  text = pdf_text (output, 1, 1);
  g_assert_nonnull (strstr (text, "runningtime00:01:00;02"));
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
  g_test_add_func ("/export/pdf/cut-text", test_pdf_cut_text);
  g_test_add_func ("/export/pdf/text-longer-than-a-page", test_pdf_text_longer_than_a_page);
  g_test_add_func ("/export/pdf/untitled-scene", test_pdf_untitled_scene);
  g_test_add_func ("/export/pdf/drop-frame", test_pdf_drop_frame);
  g_test_add_func ("/export/pdf/greybox", test_pdf_greybox);
  g_test_add_func ("/export/pdf/video-background", test_pdf_video_background);

  return export_test_finish (g_test_run ());
}
