/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-export"

#include "config.h"

#include <string.h>

#include "reel-export-formats-private.h"
#include "reel-export-registry.h"
#include "reel-export-text-private.h"

/* Every export format. To add one: write reel-export-<id>.c defining a ReelExportFormat,
 * declare it in reel-export-formats-private.h and add a row here. The dialog and
 * `storyreel export --list-formats` show them in this order. */
static const ReelExportFormat *formats[] = {
  &reel_export_format_pdf,
  &reel_export_format_csv,
  &reel_export_format_otio,
  &reel_export_format_fcpxml,
  &reel_export_format_edl,
  &reel_export_format_json,
  &reel_export_format_gltf,
  &reel_export_format_png,
  &reel_export_format_mp4,
  &reel_export_format_webm,
};

/**
 * reel_export_get_formats:
 * @n_formats: (out): number of formats
 *
 * Returns: (transfer none) (array length=n_formats): every format
 */
const ReelExportFormat * const *
reel_export_get_formats (guint *n_formats)
{
  *n_formats = G_N_ELEMENTS (formats);
  return formats;
}

const ReelExportFormat *
reel_export_lookup_format (const char *id)
{
  if (id == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_ascii_strcasecmp (formats[i]->id, id) == 0)
      return formats[i];

  return NULL;
}

const ReelExportFormat *
reel_export_lookup_format_for_file (const char *path)
{
  g_autofree char *basename = NULL;
  const char *dot;

  g_return_val_if_fail (path != NULL, NULL);

  basename = g_path_get_basename (path);
  dot = strrchr (basename, '.');
  if (dot == NULL || dot[1] == '\0')
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      const ReelExportFormat *format = formats[i];

      if (format->output != REEL_EXPORT_OUTPUT_FILE)
        continue;
      if (g_ascii_strcasecmp (format->extension, dot + 1) == 0)
        return format;
      for (guint j = 0; format->other_extensions != NULL && format->other_extensions[j] != NULL; j++)
        if (g_ascii_strcasecmp (format->other_extensions[j], dot + 1) == 0)
          return format;
    }

  return reel_export_lookup_format (dot + 1);
}

char *
reel_export_format_suggest_name (const ReelExportFormat *format,
                                 const char             *title)
{
  GString *name = g_string_new (NULL);

  g_return_val_if_fail (format != NULL, NULL);

  /* Keep letters of any script (a Korean title stays Korean); drop what file systems or
   * shells make awkward. */
  for (const char *p = title != NULL ? title : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c) || c == '-' || c == '_' || c == '.')
        g_string_append_unichar (name, c);
      else if (g_unichar_isspace (c) && name->len > 0 && name->str[name->len - 1] != ' ')
        g_string_append_c (name, ' ');
    }
  while (name->len > 0 && (name->str[name->len - 1] == ' ' || name->str[name->len - 1] == '.'))
    g_string_truncate (name, name->len - 1);
  while (name->len > 0 && name->str[0] == '.')
    g_string_erase (name, 0, 1);
  if (name->len == 0)
    g_string_append (name, "storyboard");

  if (format->output == REEL_EXPORT_OUTPUT_FOLDER)
    g_string_append (name, " panels");
  else if (format->extension != NULL && format->extension[0] != '\0')
    g_string_append_printf (name, ".%s", format->extension);

  return g_string_free (name, FALSE);
}
