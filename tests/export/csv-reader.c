/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "csv-reader.h"

static void
free_record (gpointer record)
{
  g_strfreev (record);
}

static GPtrArray *
fail (GPtrArray   *records,
      GPtrArray   *fields,
      char       **error,
      gsize        offset,
      const char  *what)
{
  *error = g_strdup_printf ("byte %" G_GSIZE_FORMAT ": %s", offset, what);
  g_ptr_array_unref (records);
  g_ptr_array_unref (fields);
  return NULL;
}

GPtrArray *
csv_read_strict (const char  *text,
                 gsize        length,
                 gboolean     lf_records,
                 char       **error)
{
  GPtrArray *records = g_ptr_array_new_with_free_func (free_record);
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  gsize i = 0;
  guint width = 0;

  *error = NULL;

  if (!g_utf8_validate (text, length, NULL))
    return fail (records, fields, error, 0, "not UTF-8");
  if (length >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    return fail (records, fields, error, 0, "byte-order mark");
  if (length == 0)
    return fail (records, fields, error, 0, "empty file");

  while (i < length)
    {
      GString *field = g_string_new (NULL);
      gboolean end_of_record = FALSE;

      if (text[i] == '"')
        {
          i++;
          for (;;)
            {
              if (i >= length)
                {
                  g_string_free (field, TRUE);
                  return fail (records, fields, error, i, "unterminated quoted field");
                }
              if (text[i] == '"')
                {
                  if (i + 1 < length && text[i + 1] == '"')
                    {
                      g_string_append_c (field, '"');
                      i += 2;
                      continue;
                    }
                  i++;
                  break;
                }
              g_string_append_c (field, text[i++]);
            }
        }
      else
        {
          while (i < length && text[i] != ',' && text[i] != '\r' && text[i] != '\n')
            {
              if (text[i] == '"')
                {
                  g_string_free (field, TRUE);
                  return fail (records, fields, error, i, "quote inside an unquoted field");
                }
              g_string_append_c (field, text[i++]);
            }
        }

      g_ptr_array_add (fields, g_string_free (field, FALSE));

      if (i >= length)
        return fail (records, fields, error, i, "last record does not end with a line break");
      if (text[i] == ',')
        {
          i++;
          continue;
        }
      if (text[i] == '\r' && i + 1 < length && text[i + 1] == '\n' && !lf_records)
        {
          i += 2;
          end_of_record = TRUE;
        }
      else if (text[i] == '\n' && lf_records)
        {
          i += 1;
          end_of_record = TRUE;
        }

      if (!end_of_record)
        return fail (records, fields, error, i, "bad line break or text after a closing quote");

      if (records->len == 0)
        width = fields->len;
      else if (fields->len != width)
        return fail (records, fields, error, i, "record of another width");

      g_ptr_array_add (fields, NULL);
      g_ptr_array_add (records, g_ptr_array_steal (fields, NULL));
      g_ptr_array_unref (fields);
      fields = g_ptr_array_new_with_free_func (g_free);
    }

  g_ptr_array_unref (fields);
  return records;
}
