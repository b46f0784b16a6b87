/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-export-matroska"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reel-export-error.h"
#include "reel-export-matroska-private.h"

/*
 * Matroska (RFC 9559) is EBML (RFC 8794): elements of an ID and a size, both variable-length
 * integers, then the data. Tags sit in Segment → Tags → Tag → SimpleTag (TagName, TagString).
 * Only Tags elements are read; clusters are skipped by their size.
 */

#define EBML_ID_HEADER     0x1A45DFA3
#define MKV_ID_SEGMENT     0x18538067
#define MKV_ID_TAGS        0x1254C367
#define MKV_ID_TAG         0x7373
#define MKV_ID_SIMPLE_TAG  0x67C8
#define MKV_ID_TAG_STRING  0x4487

/* A Tags element is a few kilobytes; refuse anything absurd rather than read it whole. */
#define MAX_TAGS_SIZE (16 * 1024 * 1024)

typedef struct
{
  guint64 id;
  guint64 size;        /* G_MAXUINT64 when unknown */
  guint64 data_offset; /* from the start of the file */
} EbmlElement;

/* A variable-length integer at @data (at most @available bytes). @keep_marker for IDs. */
static gboolean
read_vint (const guint8 *data,
           gsize         available,
           gboolean      keep_marker,
           guint64      *out_value,
           guint        *out_length,
           gboolean     *out_unknown)
{
  guint length = 1;
  guint64 value;
  gboolean all_ones;

  if (available == 0 || data[0] == 0)
    return FALSE;
  while (!(data[0] & (0x80 >> (length - 1))))
    length++;
  if (length > available)
    return FALSE;

  value = keep_marker ? data[0] : (data[0] & (0xff >> length));
  all_ones = (data[0] & (0xff >> length)) == (0xff >> length);
  for (guint i = 1; i < length; i++)
    {
      value = (value << 8) | data[i];
      all_ones = all_ones && data[i] == 0xff;
    }

  *out_value = value;
  *out_length = length;
  if (out_unknown != NULL)
    *out_unknown = all_ones;
  return TRUE;
}

/* The element header at @offset: reads at most 12 bytes. */
static gboolean
read_element (GInputStream  *input,
              guint64        offset,
              EbmlElement   *element,
              GError       **error)
{
  guint8 header[12];
  gsize got = 0;
  guint id_length, size_length;
  gboolean unknown;

  if (!g_seekable_seek (G_SEEKABLE (input), offset, G_SEEK_SET, NULL, error)
      || !g_input_stream_read_all (input, header, sizeof header, &got, NULL, error))
    return FALSE;
  if (!read_vint (header, got, TRUE, &element->id, &id_length, NULL)
      || id_length > 4
      || !read_vint (header + id_length, got - id_length, FALSE, &element->size, &size_length,
                     &unknown))
    {
      element->id = 0;
      return TRUE;
    }
  if (unknown)
    element->size = G_MAXUINT64;
  element->data_offset = offset + id_length + size_length;
  return TRUE;
}

/* Rewrites the quoted TagStrings in the Tags element held in @tags (@length bytes);
 * TRUE when one changed. */
static gboolean
unquote_in_tags (guint8 *tags,
                 gsize   length)
{
  gboolean changed = FALSE;
  gsize offset = 0;

  /* Tag and SimpleTag are masters: step into them; every other element is stepped over. */
  while (offset < length)
    {
      guint64 id, size;
      guint id_length, size_length;
      gboolean unknown;
      guint8 *data;

      if (!read_vint (tags + offset, length - offset, TRUE, &id, &id_length, NULL)
          || !read_vint (tags + offset + id_length, length - offset - id_length, FALSE, &size,
                         &size_length, &unknown)
          || unknown)
        break;
      data = tags + offset + id_length + size_length;
      if (size > (guint64) (tags + length - data))
        break;

      if (id == MKV_ID_TAG || id == MKV_ID_SIMPLE_TAG)
        {
          offset += id_length + size_length;
          continue;
        }
      if (id == MKV_ID_TAG_STRING)
        {
          g_autofree char *plain = reel_export_matroska_unquote ((const char *) data, size);

          if (plain != NULL)
            {
              gsize plain_length = strlen (plain);

              /* Never longer than its quoted form; the rest stays zeros. */
              memset (data, 0, size);
              memcpy (data, plain, MIN (plain_length, size));
              changed = TRUE;
            }
        }
      offset += id_length + size_length + size;
    }

  return changed;
}

char *
reel_export_matroska_unquote (const char *quoted,
                              gsize       length)
{
  g_autoptr(GString) out = NULL;
  gsize end;

  /* Zero padding is not part of the string. */
  end = strnlen (quoted, length);
  if (end < 2 || quoted[0] != '"' || quoted[end - 1] != '"')
    return NULL;

  out = g_string_sized_new (end);
  for (gsize i = 1; i < end - 1; i++)
    {
      char c = quoted[i];

      if (c == '"')
        return NULL;
      if (c != '\\')
        {
          g_string_append_c (out, c);
          continue;
        }
      if (++i >= end - 1)
        return NULL;
      if (quoted[i] >= '0' && quoted[i] <= '7' && i + 2 < end - 1
          && quoted[i + 1] >= '0' && quoted[i + 1] <= '7'
          && quoted[i + 2] >= '0' && quoted[i + 2] <= '7')
        {
          g_string_append_c (out, (char) (((quoted[i] - '0') << 6)
                                          | ((quoted[i + 1] - '0') << 3)
                                          | (quoted[i + 2] - '0')));
          i += 2;
        }
      else
        g_string_append_c (out, quoted[i]);
    }

  if (!g_utf8_validate_len (out->str, out->len, NULL) || memchr (out->str, 0, out->len))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
reel_export_matroska_unquote_tags (GFile   *file,
                                   GError **error)
{
  g_autoptr(GFileIOStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  GInputStream *input;
  GOutputStream *output;
  EbmlElement element;
  guint64 offset, segment_end;
  goffset file_size;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  stream = g_file_open_readwrite (file, NULL, &local_error);
  if (stream == NULL)
    goto failed;
  input = g_io_stream_get_input_stream (G_IO_STREAM (stream));
  output = g_io_stream_get_output_stream (G_IO_STREAM (stream));
  if (!g_seekable_seek (G_SEEKABLE (stream), 0, G_SEEK_END, NULL, &local_error))
    goto failed;
  file_size = g_seekable_tell (G_SEEKABLE (stream));

  /* The EBML header, then the Segment. */
  if (!read_element (input, 0, &element, &local_error))
    goto failed;
  if (element.id != EBML_ID_HEADER || element.size == G_MAXUINT64)
    return TRUE;
  offset = element.data_offset + element.size;
  if (!read_element (input, offset, &element, &local_error))
    goto failed;
  if (element.id != MKV_ID_SEGMENT)
    return TRUE;
  segment_end = element.size == G_MAXUINT64 ? (guint64) file_size
                                            : MIN (element.data_offset + element.size,
                                                   (guint64) file_size);

  for (offset = element.data_offset; offset < segment_end;)
    {
      if (!read_element (input, offset, &element, &local_error))
        goto failed;
      /* An element of unknown size (a live-muxed cluster) ends the walk. */
      if (element.id == 0 || element.size == G_MAXUINT64
          || element.data_offset + element.size > segment_end)
        break;

      if (element.id == MKV_ID_TAGS && element.size <= MAX_TAGS_SIZE)
        {
          g_autofree guint8 *tags = g_malloc (element.size);
          gsize got = 0;

          if (!g_seekable_seek (G_SEEKABLE (stream), element.data_offset, G_SEEK_SET, NULL,
                                &local_error)
              || !g_input_stream_read_all (input, tags, element.size, &got, NULL, &local_error))
            goto failed;
          if (got == element.size && unquote_in_tags (tags, element.size)
              && (!g_seekable_seek (G_SEEKABLE (stream), element.data_offset, G_SEEK_SET,
                                    NULL, &local_error)
                  || !g_output_stream_write_all (output, tags, element.size, NULL, NULL,
                                                 &local_error)))
            goto failed;
        }
      offset = element.data_offset + element.size;
    }

  if (!g_io_stream_close (G_IO_STREAM (stream), NULL, &local_error))
    goto failed;
  return TRUE;

failed:
  {
    g_autofree char *name = g_file_get_parse_name (file);

    g_set_error (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_WRITE,
                 _("Could not finish the tags of “%s”: %s"), name, local_error->message);
    return FALSE;
  }
}
