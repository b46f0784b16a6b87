/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-fdx"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reel-fdx.h"
#include "reel-fountain-private.h"

/*
 * Final Draft XML, read with GMarkup: it knows no DTD and expands no entity but XML's five
 * and character references, so "billion laughs" and external entities fail as undefined
 * entities instead of growing or fetching anything. A DOCTYPE is refused outright.
 *
 * FinalDraft → Content → Paragraph Type="…" [Number="12"] → Text (one or more runs).
 * FinalDraft → TitlePage → Content → Paragraph → Text. Everything else is ignored.
 */

typedef enum
{
  PLACE_OTHER,
  PLACE_CONTENT,     /* FinalDraft/Content */
  PLACE_TITLE_PAGE,  /* FinalDraft/TitlePage/Content */
} Place;

typedef struct
{
  ReelFountainDocument *document;
  GPtrArray *title_lines;
  gboolean seen_root;
  guint depth;
  guint paragraph_depth;   /* 0 outside a paragraph */
  gboolean in_text;
  Place paragraph_place;
  char *paragraph_type;
  char *paragraph_number;
  GString *text;
} FdxParser;

static void
fdx_parser_clear (FdxParser *self)
{
  g_clear_pointer (&self->document, reel_fountain_document_free);
  g_clear_pointer (&self->title_lines, g_ptr_array_unref);
  g_clear_pointer (&self->paragraph_type, g_free);
  g_clear_pointer (&self->paragraph_number, g_free);
  if (self->text != NULL)
    g_string_free (self->text, TRUE);
  self->text = NULL;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FdxParser, fdx_parser_clear)

/* Where an element opened at @depth (the root is 1) sits, from its ancestors' names. */
static Place
place_of (GMarkupParseContext *context)
{
  const GSList *stack = g_markup_parse_context_get_element_stack (context);
  guint n = g_slist_length ((GSList *) stack);
  const char *parent = stack != NULL && stack->next != NULL ? stack->next->data : NULL;
  const char *grandparent = parent != NULL && stack->next->next != NULL
                            ? stack->next->next->data : NULL;

  /* Dual dialogue: Content/Paragraph/DualDialogue/Paragraph, the speeches one after the
   * other. */
  if (parent != NULL && g_str_equal (parent, "DualDialogue"))
    return PLACE_CONTENT;

  /* stack: Paragraph, Content, (TitlePage,) FinalDraft */
  if (parent == NULL || !g_str_equal (parent, "Content"))
    return PLACE_OTHER;
  if (n == 3 && g_str_equal (grandparent, "FinalDraft"))
    return PLACE_CONTENT;
  if (n == 4 && g_str_equal (grandparent, "TitlePage"))
    return PLACE_TITLE_PAGE;
  return PLACE_OTHER;
}

static void
add_element (FdxParser        *self,
             ReelFountainKind  kind,
             const char       *text,
             const char       *number)
{
  ReelFountainElement *element = g_new0 (ReelFountainElement, 1);

  element->kind = kind;
  element->text = g_strdup (text);
  element->scene_number = number != NULL && number[0] != '\0' ? g_strdup (number) : NULL;
  g_ptr_array_add (self->document->elements, element);
}

static void
finish_paragraph (FdxParser *self)
{
  g_autofree char *text = g_strstrip (g_strdup (self->text->str));
  const char *type = self->paragraph_type != NULL ? self->paragraph_type : "";

  if (text[0] == '\0')
    return;

  if (self->paragraph_place == PLACE_TITLE_PAGE)
    {
      g_ptr_array_add (self->title_lines, g_steal_pointer (&text));
      return;
    }

  if (g_str_equal (type, "Scene Heading"))
    add_element (self, REEL_FOUNTAIN_SCENE_HEADING, text, self->paragraph_number);
  else if (g_str_equal (type, "Character"))
    add_element (self, REEL_FOUNTAIN_CHARACTER, text, NULL);
  else if (g_str_equal (type, "Dialogue"))
    add_element (self, REEL_FOUNTAIN_DIALOGUE, text, NULL);
  else if (g_str_equal (type, "Parenthetical"))
    add_element (self, REEL_FOUNTAIN_PARENTHETICAL, text, NULL);
  else if (g_str_equal (type, "Transition"))
    add_element (self, REEL_FOUNTAIN_TRANSITION, text, NULL);
  else if (g_str_equal (type, "Lyrics"))
    add_element (self, REEL_FOUNTAIN_LYRIC, text, NULL);
  else
    /* Action, Shot, General, and types of later versions: what the writer typed is kept. */
    add_element (self, REEL_FOUNTAIN_ACTION, text, NULL);
}

static void
start_element_cb (GMarkupParseContext  *context,
                  const char           *element_name,
                  const char          **attribute_names,
                  const char          **attribute_values,
                  gpointer              user_data,
                  GError              **error)
{
  FdxParser *self = user_data;

  self->depth++;

  if (self->depth == 1)
    {
      if (!g_str_equal (element_name, "FinalDraft"))
        {
          g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                       "the document is <%s>, not <FinalDraft>", element_name);
          return;
        }
      self->seen_root = TRUE;
      return;
    }

  if (g_str_equal (element_name, "Paragraph"))
    {
      Place place = place_of (context);

      if (place == PLACE_OTHER)
        return;

      /* A paragraph holding paragraphs (dual dialogue): its own text so far, then theirs. */
      if (self->paragraph_depth != 0)
        finish_paragraph (self);

      self->paragraph_depth = self->depth;
      self->paragraph_place = place;
      g_string_truncate (self->text, 0);
      g_clear_pointer (&self->paragraph_type, g_free);
      g_clear_pointer (&self->paragraph_number, g_free);
      for (guint i = 0; attribute_names[i] != NULL; i++)
        {
          if (g_str_equal (attribute_names[i], "Type"))
            self->paragraph_type = g_strdup (attribute_values[i]);
          else if (g_str_equal (attribute_names[i], "Number"))
            self->paragraph_number = g_strstrip (g_strdup (attribute_values[i]));
        }
      return;
    }

  /* Runs of text directly inside the paragraph; nested paragraphs (dual dialogue holds
   * its own) are read as their own paragraphs only at the top level. */
  if (self->paragraph_depth != 0 && self->depth == self->paragraph_depth + 1
      && g_str_equal (element_name, "Text"))
    self->in_text = TRUE;
}

static void
end_element_cb (GMarkupParseContext  *context,
                const char           *element_name,
                gpointer              user_data,
                GError              **error)
{
  FdxParser *self = user_data;

  if (self->in_text && self->depth == self->paragraph_depth + 1)
    self->in_text = FALSE;
  else if (self->paragraph_depth != 0 && self->depth == self->paragraph_depth)
    {
      finish_paragraph (self);
      self->paragraph_depth = 0;
    }

  self->depth--;
}

static void
text_cb (GMarkupParseContext  *context,
         const char           *text,
         gsize                 text_len,
         gpointer              user_data,
         GError              **error)
{
  FdxParser *self = user_data;

  if (self->in_text)
    g_string_append_len (self->text, text, text_len);
}

static void
passthrough_cb (GMarkupParseContext  *context,
                const char           *passthrough_text,
                gsize                 text_len,
                gpointer              user_data,
                GError              **error)
{
  /* Comments, processing instructions and CDATA pass; a DTD does not: Final Draft writes
   * none, and it is where entity tricks live. */
  if (text_len >= 9 && g_ascii_strncasecmp (passthrough_text, "<!DOCTYPE", 9) == 0)
    g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                         "a document type declaration (DTD) is not allowed");
}

static const GMarkupParser fdx_markup_parser = {
  start_element_cb, end_element_cb, text_cb, passthrough_cb, NULL,
};

/* The title page: the title first, then "Written by" (or the like) and the author after it;
 * what comes after that is the writer's contact. */
static void
set_title_page (FdxParser *self)
{
  GPtrArray *lines = self->title_lines;
  GPtrArray *keys = self->document->title_keys;
  GPtrArray *values = self->document->title_values;
  g_autoptr(GString) contact = g_string_new (NULL);
  gboolean after_author = FALSE;

  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      g_autofree char *lower = g_utf8_strdown (line, -1);

      if (i == 0)
        {
          g_ptr_array_add (keys, g_strdup ("title"));
          g_ptr_array_add (values, g_strdup (line));
        }
      else if (!after_author && (g_str_equal (lower, "by") || g_str_has_suffix (lower, " by"))
               && i + 1 < lines->len)
        {
          g_ptr_array_add (keys, g_strdup ("credit"));
          g_ptr_array_add (values, g_strdup (line));
          g_ptr_array_add (keys, g_strdup ("author"));
          g_ptr_array_add (values, g_strdup (g_ptr_array_index (lines, ++i)));
          after_author = TRUE;
        }
      else if (after_author)
        {
          if (contact->len > 0)
            g_string_append_c (contact, '\n');
          g_string_append (contact, line);
        }
    }

  if (contact->len > 0)
    {
      g_ptr_array_add (keys, g_strdup ("contact"));
      g_ptr_array_add (values, g_strdup (contact->str));
    }
}

ReelProject *
reel_fdx_import_from_data (const char  *data,
                           gssize       length,
                           const char  *name,
                           GError     **error)
{
  g_auto(FdxParser) self = { 0 };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize size;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  size = length < 0 ? strlen (data) : (gsize) length;
  if (name == NULL)
    name = _("The screenplay");

  if (size > REEL_FDX_MAX_SIZE)
    {
      g_autofree char *found = g_format_size (size);
      g_autofree char *limit = g_format_size (REEL_FDX_MAX_SIZE);

      g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_INVALID_SCRIPT,
                   _("“%s” is too large for a screenplay (%s; at most %s). Check that it is "
                     "the Final Draft script you meant."), name, found, limit);
      return NULL;
    }

  self.document = reel_fountain_document_new ();
  self.title_lines = g_ptr_array_new_with_free_func (g_free);
  self.text = g_string_new (NULL);

  context = g_markup_parse_context_new (&fdx_markup_parser, G_MARKUP_TREAT_CDATA_AS_TEXT,
                                        &self, NULL);
  if (!g_markup_parse_context_parse (context, data, size, &local_error)
      || !g_markup_parse_context_end_parse (context, &local_error)
      || !self.seen_root)
    {
      if (local_error == NULL)
        g_set_error_literal (&local_error, G_MARKUP_ERROR, G_MARKUP_ERROR_EMPTY,
                             "the document is empty");
      g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_INVALID_SCRIPT,
                   _("“%s” is not a Final Draft script Storyreel can read (%s). Save it "
                     "again from Final Draft as .fdx, or export it as Fountain."),
                   name, local_error->message);
      return NULL;
    }

  set_title_page (&self);
  return reel_fountain_build_project (self.document);
}

static ReelProject *
import_data (const char  *data,
             gsize        length,
             const char  *name,
             GError     **error)
{
  return reel_fdx_import_from_data (data, (gssize) length, name, error);
}

ReelProject *
reel_fdx_import (GFile   *file,
                 GError **error)
{
  return reel_script_import_file (file, REEL_FDX_MAX_SIZE, import_data, error);
}

void
reel_fdx_import_async (GFile               *file,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  reel_script_import_async (file, REEL_FDX_MAX_SIZE, import_data, reel_fdx_import_async,
                            cancellable, callback, user_data);
}

ReelProject *
reel_fdx_import_finish (GAsyncResult  *result,
                        GError       **error)
{
  return reel_script_import_finish (result, error);
}

gboolean
reel_fdx_is_fdx_file (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *lower = basename != NULL ? g_ascii_strdown (basename, -1) : NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  char head[512];
  gssize n;

  if (lower != NULL && g_str_has_suffix (lower, ".fdx"))
    return TRUE;

  /* A script saved without its extension: its first bytes tell. */
  stream = g_file_read (file, NULL, NULL);
  if (stream == NULL)
    return FALSE;
  n = g_input_stream_read (G_INPUT_STREAM (stream), head, sizeof head - 1, NULL, NULL);
  if (n <= 0)
    return FALSE;
  head[n] = '\0';
  return strstr (head, "<FinalDraft") != NULL;
}
