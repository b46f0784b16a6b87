/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "export/reel-export-error.h"
#include "export/reel-export-registry.h"
#include "export/reel-export-text-private.h"

/* The pieces every writer stands on: CSV fields, XML escaping, identifiers, rational times,
 * the options and the registry. No files, no validators. */

static char *
csv_field (const char *value,
           gboolean    text_cell)
{
  GString *row = g_string_new (NULL);

  reel_export_csv_append_field (row, value, text_cell);
  return g_string_free (row, FALSE);
}

static void
test_csv_field (void)
{
  struct {
    const char *value;
    gboolean text;
    const char *expected;
  } cases[] = {
    { "plain", TRUE, "plain" },
    { "", TRUE, "" },
    { NULL, TRUE, "" },
    { "a,b", TRUE, "\"a,b\"" },
    /* LibreOffice's Text Import also splits at semicolons and tabs by default. */
    { "moorings; gulls", TRUE, "\"moorings; gulls\"" },
    { "a\tb", TRUE, "\"a\tb\"" },
    { "say \"hi\"", TRUE, "\"say \"\"hi\"\"\"" },
    { "two\nlines", TRUE, "\"two\nlines\"" },
    { "cr\rhere", TRUE, "\"cr\rhere\"" },
    { "한국어, 🎬", TRUE, "\"한국어, 🎬\"" },
    /* Formula injection: text that a spreadsheet would run gets an apostrophe. */
    { "=1+1", TRUE, "\"'=1+1\"" },
    { "+1", TRUE, "\"'+1\"" },
    { "-1", TRUE, "\"'-1\"" },
    { "@SUM(A1)", TRUE, "\"'@SUM(A1)\"" },
    { "\tx", TRUE, "\"'\tx\"" },
    { "\rx", TRUE, "\"'\rx\"" },
    { "=\"a\",b", TRUE, "\"'=\"\"a\"\",b\"" },
    { "a=b", TRUE, "a=b" },
    /* Spreadsheets trim leading spaces before they look for a formula. */
    { "  =1+1", TRUE, "\"'  =1+1\"" },
    { " @SUM(A1)", TRUE, "\"' @SUM(A1)\"" },
    { "\n=cmd", TRUE, "\"'\n=cmd\"" },
    { "\xc2\xa0-2", TRUE, "\"'\xc2\xa0-2\"" },
    { "\xef\xbc\x9d" "1+1", TRUE, "\"'\xef\xbc\x9d" "1+1\"" },
    { "  plain  ", TRUE, "  plain  " },
    { "   ", TRUE, "   " },
    { "x -1", TRUE, "x -1" },
    /* Numbers the exporter computes are not text: a negative number stays a number. */
    { "-5", FALSE, "-5" },
    { "1001", FALSE, "1001" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *field = csv_field (cases[i].value, cases[i].text);

      g_assert_cmpstr (field, ==, cases[i].expected);
    }
}

static void
test_xml_escape (void)
{
  g_autoptr(GString) content = g_string_new (NULL);
  g_autoptr(GString) attribute = g_string_new (NULL);
  const char *text = "<a href=\"x\">Tom & 'Jerry'</a>\tline\nnext\r\x01\x1f 한국어";

  reel_export_xml_append_escaped (content, text, FALSE);
  reel_export_xml_append_escaped (attribute, text, TRUE);

  /* C0 controls other than TAB, LF and CR cannot appear in XML 1.0 at all: dropped. */
  g_assert_cmpstr (content->str, ==,
                   "&lt;a href=\"x\"&gt;Tom &amp; 'Jerry'&lt;/a&gt;\tline\nnext&#13; 한국어");
  /* In attributes, whitespace becomes references so that parsers do not normalise it. */
  g_assert_cmpstr (attribute->str, ==,
                   "&lt;a href=&quot;x&quot;&gt;Tom &amp; 'Jerry'&lt;/a&gt;&#9;line&#10;next"
                   "&#13; 한국어");
}

static void
test_identifier (void)
{
  struct {
    const char *text;
    gsize max;
    gboolean upper;
    const char *expected;
  } cases[] = {
    { "12A", 0, TRUE, "12A" },
    { "12 a", 0, TRUE, "12_A" },
    { "1-1", 0, FALSE, "1-1" },
    { "  shot #5!  ", 0, FALSE, "shot_5" },
    { "폭풍", 0, TRUE, "fallback" },
    { "", 0, TRUE, "fallback" },
    { NULL, 0, TRUE, "fallback" },
    { "ABCDEFGHIJ", 8, TRUE, "ABCDEFGH" },
    { "abcdefg h", 8, TRUE, "ABCDEFG" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = reel_export_make_identifier (cases[i].text, cases[i].max,
                                                         cases[i].upper, "fallback");

      g_assert_cmpstr (id, ==, cases[i].expected);
    }
}

static void
test_flatten_line (void)
{
  g_autofree char *line = reel_export_flatten_line ("  two\r\nlines\tand\x01 tabs  ");

  g_assert_cmpstr (line, ==, "two lines and tabs");
}

static void
test_rational_time (void)
{
  struct {
    gint64 frames;
    int num;
    int den;
    const char *expected;
  } cases[] = {
    { 0, 24, 1, "0s" },
    { 48, 24, 1, "48/24s" },
    { 1, 24000, 1001, "1001/24000s" },
    { 86400, 24000, 1001, "86486400/24000s" },
    { 863137, 24000, 1001, "864000137/24000s" },
    { 25, 25, 1, "25/25s" },
    { 3, 30000, 1001, "3003/30000s" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *time = reel_export_rational_time (cases[i].frames, cases[i].num,
                                                         cases[i].den);

      g_assert_cmpstr (time, ==, cases[i].expected);
    }
}

static void
test_registry (void)
{
  const char *ids[] = { "pdf", "csv", "otio", "fcpxml", "edl", "json", "png" };
  const ReelExportFormat * const *formats;
  guint n_formats;

  formats = reel_export_get_formats (&n_formats);
  g_assert_cmpuint (n_formats, >=, G_N_ELEMENTS (ids));

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      const ReelExportFormat *format = reel_export_lookup_format (ids[i]);

      g_assert_nonnull (format);
      g_assert_cmpstr (format->id, ==, ids[i]);
      g_assert_nonnull (format->name);
      g_assert_nonnull (format->mime_type);
      g_assert_nonnull (format->write);
      g_assert_true (format->options & REEL_EXPORT_USES_SCOPE);
    }

  /* Ids are unique. */
  for (guint i = 0; i < n_formats; i++)
    for (guint j = i + 1; j < n_formats; j++)
      g_assert_cmpstr (formats[i]->id, !=, formats[j]->id);

  g_assert_null (reel_export_lookup_format ("docx"));
  g_assert_null (reel_export_lookup_format (NULL));
  g_assert_true (reel_export_lookup_format ("PDF") == reel_export_lookup_format ("pdf"));
  g_assert_true (reel_export_lookup_format ("png")->output == REEL_EXPORT_OUTPUT_FOLDER);
  g_assert_true (reel_export_lookup_format ("otio")->writes_panels);
  g_assert_false (reel_export_lookup_format ("csv")->writes_panels);
}

static void
test_suggest_name (void)
{
  g_autofree char *pdf = reel_export_format_suggest_name (reel_export_lookup_format ("pdf"),
                                                          "Storm: take/2 폭풍");
  g_autofree char *png = reel_export_format_suggest_name (reel_export_lookup_format ("png"),
                                                          "Storm");
  g_autofree char *empty = reel_export_format_suggest_name (reel_export_lookup_format ("edl"),
                                                            "../..");

  g_assert_cmpstr (pdf, ==, "Storm take2 폭풍.pdf");
  g_assert_cmpstr (png, ==, "Storm panels");
  g_assert_cmpstr (empty, ==, "storyboard.edl");
}

static void
test_options (void)
{
  g_autoptr(ReelExportOptions) options = reel_export_options_new ();
  g_autoptr(ReelExportOptions) copy = NULL;
  g_autoptr(GError) error = NULL;
  int value = -1;

  g_assert_cmpint (reel_export_options_get_scope (options), ==, REEL_EXPORT_SCOPE_PROJECT);
  g_assert_cmpint (reel_export_options_get_layout (options), ==, REEL_EXPORT_LAYOUT_3X2);
  g_assert_cmpstr (reel_export_options_get_fcpxml_version (options), ==, "1.11");
  g_assert_true (g_strv_equal (reel_export_options_get_csv_columns (options),
                               reel_export_get_default_csv_columns ()));

  g_assert_false (reel_export_options_set_fcpxml_version (options, "1.9", &error));
  g_assert_error (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_INVALID_OPTION);
  g_clear_error (&error);
  g_assert_true (reel_export_options_set_fcpxml_version (options, "1.10", NULL));

  reel_export_options_set_panel_width (options, 10);
  g_assert_cmpuint (reel_export_options_get_panel_width (options), ==, REEL_EXPORT_PANEL_WIDTH_MIN);
  reel_export_options_set_panel_width (options, 640);
  reel_export_options_set_layout (options, REEL_EXPORT_LAYOUT_SHOT_LIST);
  reel_export_options_set_paper (options, REEL_EXPORT_PAPER_LETTER);

  copy = reel_export_options_copy (options);
  g_assert_cmpuint (reel_export_options_get_panel_width (copy), ==, 640);
  g_assert_cmpint (reel_export_options_get_layout (copy), ==, REEL_EXPORT_LAYOUT_SHOT_LIST);
  g_assert_cmpint (reel_export_options_get_paper (copy), ==, REEL_EXPORT_PAPER_LETTER);
  g_assert_cmpstr (reel_export_options_get_fcpxml_version (copy), ==, "1.10");

  /* The nicks are the ids of the command line and the settings. */
  g_assert_cmpstr (reel_export_enum_to_nick (REEL_TYPE_EXPORT_LAYOUT, REEL_EXPORT_LAYOUT_3X3),
                   ==, "3x3");
  g_assert_true (reel_export_enum_from_nick (REEL_TYPE_EXPORT_PAPER, "letter", &value));
  g_assert_cmpint (value, ==, REEL_EXPORT_PAPER_LETTER);
  g_assert_false (reel_export_enum_from_nick (REEL_TYPE_EXPORT_PAPER, "a3", &value));
  g_assert_true (reel_export_enum_from_nick (REEL_TYPE_EXPORT_LAYOUT, "shot-list", &value));
  g_assert_cmpint (value, ==, REEL_EXPORT_LAYOUT_SHOT_LIST);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/text/csv-field", test_csv_field);
  g_test_add_func ("/export/text/xml-escape", test_xml_escape);
  g_test_add_func ("/export/text/identifier", test_identifier);
  g_test_add_func ("/export/text/flatten-line", test_flatten_line);
  g_test_add_func ("/export/text/rational-time", test_rational_time);
  g_test_add_func ("/export/registry/formats", test_registry);
  g_test_add_func ("/export/registry/suggest-name", test_suggest_name);
  g_test_add_func ("/export/options/values", test_options);

  return g_test_run ();
}
