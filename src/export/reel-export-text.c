/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-export"

#include "config.h"

#include <string.h>

#include "reel-export-text-private.h"

/* Whether a spreadsheet would take @value as a formula: = + - @ first, after any leading
 * white space (spreadsheets trim it), or their full-width forms; or TAB or CR first, which
 * some spreadsheets drop before they look. */
static gboolean
looks_like_formula (const char *value)
{
  const char *p = value;

  if (*p == '\t' || *p == '\r')
    return TRUE;

  while (*p != '\0' && g_unichar_isspace (g_utf8_get_char_validated (p, -1)))
    p = g_utf8_next_char (p);

  if (*p != '\0' && strchr ("=+-@", *p) != NULL)
    return TRUE;

  switch (g_utf8_get_char_validated (p, -1))
    {
    case 0xFF1D: /* ＝ */
    case 0xFF0B: /* ＋ */
    case 0xFF0D: /* － */
    case 0xFF20: /* ＠ */
      return TRUE;
    default:
      return FALSE;
    }
}

void
reel_export_csv_append_field (GString    *row,
                              const char *value,
                              gboolean    text_cell)
{
  gboolean neutralise;
  gboolean quote;

  if (value == NULL)
    value = "";

  /* OWASP's advice for CSV injection: a leading apostrophe makes a spreadsheet take the
   * cell as text, and quoting keeps the apostrophe with the cell. */
  neutralise = text_cell && value[0] != '\0' && looks_like_formula (value);
  /* Beyond RFC 4180's comma, quote and line breaks: semicolons and tabs, which LibreOffice's
   * Text Import takes as separators too unless told otherwise (its defaults are comma,
   * semicolon and tab), as does Excel where the list separator is ";". */
  quote = neutralise || strpbrk (value, ",;\t\"\r\n") != NULL;

  if (!quote)
    {
      g_string_append (row, value);
      return;
    }

  g_string_append_c (row, '"');
  if (neutralise)
    g_string_append_c (row, '\'');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (row, '"');
      g_string_append_c (row, *p);
    }
  g_string_append_c (row, '"');
}

void
reel_export_xml_append_escaped (GString    *out,
                                const char *text,
                                gboolean    attribute)
{
  if (text == NULL)
    return;

  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '&':
          g_string_append (out, "&amp;");
          break;
        case '<':
          g_string_append (out, "&lt;");
          break;
        case '>':
          g_string_append (out, "&gt;");
          break;
        case '"':
          g_string_append (out, attribute ? "&quot;" : "\"");
          break;
        case '\t':
        case '\n':
        case '\r':
          if (attribute)
            g_string_append_printf (out, "&#%u;", c);
          else if (c == '\r')
            g_string_append (out, "&#13;");
          else
            g_string_append_c (out, (char) c);
          break;
        default:
          /* Other C0 controls are not allowed in XML 1.0, not even as references. */
          if (c >= 0x20)
            g_string_append_c (out, (char) c);
          break;
        }
    }
}

char *
reel_export_make_identifier (const char *text,
                             gsize       max_chars,
                             gboolean    upper,
                             const char *fallback)
{
  GString *out = g_string_new (NULL);
  gboolean pending_separator = FALSE;

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      char c = *p;

      if (g_ascii_isalnum (c) || c == '-' || c == '_')
        {
          if (pending_separator && out->len > 0)
            g_string_append_c (out, '_');
          pending_separator = FALSE;
          g_string_append_c (out, upper ? g_ascii_toupper (c) : c);
        }
      else
        pending_separator = TRUE;
    }

  if (max_chars > 0 && out->len > max_chars)
    g_string_truncate (out, max_chars);
  while (out->len > 0 && out->str[out->len - 1] == '_')
    g_string_truncate (out, out->len - 1);

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return g_strdup (fallback);
    }

  return g_string_free (out, FALSE);
}

char *
reel_export_flatten_line (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        space = TRUE;
      else if (c >= 0x20)
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, (char) c);
        }
    }

  return g_string_free (out, FALSE);
}

char *
reel_export_rational_time (gint64 frames,
                           int    rate_num,
                           int    rate_den)
{
  g_return_val_if_fail (rate_num > 0 && rate_den > 0, g_strdup ("0s"));

  if (frames == 0)
    return g_strdup ("0s");

  /* frames / (num / den) seconds = frames·den / num. */
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%ds", frames * rate_den, rate_num);
}
