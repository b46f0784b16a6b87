/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-fountain"

#include "config.h"

#include <string.h>

#include "reel-fountain-private.h"

/* The Fountain syntax (fountain.io) read into a flat list of elements. The rules are
 * the usual ones, made lenient where real scripts are sloppy:
 * - a scene heading needs a blank line before it, not necessarily after it;
 * - an unterminated note or boneyard keeps its text (nothing the writer typed is lost);
 * - "FADE IN:" and other all-capitals lines ending in ':' between blank lines are
 *   transitions, like those ending in "TO:";
 * - a line that held nothing but boneyard is a gap where text was: it separates a
 *   transition from the heading after it, as the blank lines it stands for would, yet a
 *   character's dialogue runs on across it. */

/* What a boneyard-only line becomes between the two passes (no text has this byte). */
#define BONEYARD_LINE "\x1e"

static void
element_free (gpointer data)
{
  ReelFountainElement *element = data;

  g_free (element->text);
  g_free (element->scene_number);
  g_free (element);
}

void
reel_fountain_document_free (ReelFountainDocument *document)
{
  if (document == NULL)
    return;

  g_clear_pointer (&document->title_keys, g_ptr_array_unref);
  g_clear_pointer (&document->title_values, g_ptr_array_unref);
  g_clear_pointer (&document->elements, g_ptr_array_unref);
  g_free (document);
}

const char *
reel_fountain_document_lookup_title (ReelFountainDocument *document,
                                     const char           *key)
{
  for (guint i = 0; i < document->title_keys->len; i++)
    if (g_str_equal (g_ptr_array_index (document->title_keys, i), key))
      return g_ptr_array_index (document->title_values, i);

  return NULL;
}

/* Removes notes [[…]] and boneyard (slash-star … star-slash). A line that held
 * nothing but removed text disappears entirely, so that a note between two lines of
 * dialogue does not split the dialogue block. */
static char *
remove_notes_and_boneyard (const char *text)
{
  GString *out = g_string_new (NULL);
  gsize line_start = 0;
  gboolean line_had_removal = FALSE;
  gboolean line_had_boneyard = FALSE;
  gboolean line_has_content = FALSE;
  const char *p = text;

  while (*p != '\0')
    {
      const char *end = NULL;
      gsize skip = 0;

      if (p[0] == '/' && p[1] == '*')
        {
          end = strstr (p + 2, "*/");
          skip = 2;
        }
      else if (p[0] == '[' && p[1] == '[')
        {
          const char *blank;

          end = strstr (p + 2, "]]");
          skip = 2;
          /* A note does not run across an empty line: that is a forgotten "]]". */
          blank = strstr (p + 2, "\n\n");
          if (end != NULL && blank != NULL && blank < end)
            end = NULL;
        }

      if (end != NULL)
        {
          if (p[0] == '/')
            line_had_boneyard = TRUE;
          p = end + skip;
          line_had_removal = TRUE;
          continue;
        }

      if (*p == '\n')
        {
          if (line_had_removal && !line_has_content)
            {
              g_string_truncate (out, line_start);
              if (line_had_boneyard)
                g_string_append (out, BONEYARD_LINE "\n");
            }
          else
            g_string_append_c (out, '\n');
          line_start = out->len;
          line_had_removal = FALSE;
          line_had_boneyard = FALSE;
          line_has_content = FALSE;
        }
      else
        {
          if (*p != ' ' && *p != '\t')
            line_has_content = TRUE;
          g_string_append_c (out, *p);
        }
      p++;
    }

  if (line_had_removal && !line_has_content)
    g_string_truncate (out, line_start);

  return g_string_free (out, FALSE);
}

static gboolean
is_boneyard_line (const char *line)
{
  return g_str_equal (line, BONEYARD_LINE);
}

static gboolean
is_blank (const char *line)
{
  for (const char *p = line; *p != '\0'; p++)
    if (*p != ' ' && *p != '\t')
      return FALSE;
  return TRUE;
}

static const char *
skip_space (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

static gboolean
is_emphasis_boundary (const char *text,
                      const char *p,
                      gboolean    before)
{
  gunichar c;

  if (before)
    {
      if (p == text)
        return TRUE;
      c = g_utf8_get_char (g_utf8_prev_char (p));
    }
  else
    {
      if (*p == '\0')
        return TRUE;
      c = g_utf8_get_char (p);
    }

  return !g_unichar_isalnum (c);
}

char *
reel_fountain_strip_emphasis (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\\' && (p[1] == '*' || p[1] == '_'))
        {
          g_string_append_c (out, p[1]);
          p++;
        }
      else if (*p == '*')
        {
          /* *italic*, **bold**, ***both***: every unescaped star is markup. */
          continue;
        }
      else if (*p == '_' && (is_emphasis_boundary (text, p, TRUE) ||
                             is_emphasis_boundary (text, p + 1, FALSE)))
        {
          /* _underline_ at a word's edge; an underscore inside a word is text. */
          continue;
        }
      else
        {
          g_string_append_c (out, *p);
        }
    }

  return g_string_free (out, FALSE);
}

double
reel_fountain_count_words (const char *text)
{
  double words = 0;
  gboolean in_word = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeScript script = g_unichar_get_script (c);

      if (script == G_UNICODE_SCRIPT_HAN || script == G_UNICODE_SCRIPT_HIRAGANA ||
          script == G_UNICODE_SCRIPT_KATAKANA)
        {
          /* Chinese and Japanese do not separate words with spaces: about two
           * characters make the time of one English word. */
          words += 0.5;
          in_word = FALSE;
        }
      else if (g_unichar_isspace (c) || c == '-' || c == '/')
        {
          in_word = FALSE;
        }
      else if (g_unichar_isalnum (c))
        {
          if (!in_word)
            words += 1;
          in_word = TRUE;
        }
    }

  return words;
}

/* The scene-heading prefixes, longest first so "INT./EXT" wins over "INT". */
static const char *heading_prefixes[] = {
  "INT./EXT", "INT/EXT", "EXT./INT", "EXT/INT", "I/E", "E/I", "INT", "EXT", "EST",
};

static gboolean
has_heading_prefix (const char *line)
{
  for (guint i = 0; i < G_N_ELEMENTS (heading_prefixes); i++)
    {
      gsize len = strlen (heading_prefixes[i]);

      if (g_ascii_strncasecmp (line, heading_prefixes[i], len) == 0 &&
          (line[len] == '.' || line[len] == ' ' || line[len] == '\t'))
        return TRUE;
    }
  return FALSE;
}

/* "INT. HOUSE - DAY #12A#": returns "INT. HOUSE - DAY" and sets @number to "12A". */
static char *
split_scene_number (const char *heading,
                    char      **number)
{
  g_autofree char *copy = g_strstrip (g_strdup (heading));
  gsize len = strlen (copy);
  char *open;

  *number = NULL;
  if (len >= 2 && copy[len - 1] == '#')
    {
      copy[len - 1] = '\0';
      open = strrchr (copy, '#');
      if (open != NULL && open[1] != '\0')
        {
          gboolean valid = TRUE;

          for (const char *p = open + 1; *p != '\0'; p++)
            if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
              valid = FALSE;
          if (valid)
            {
              *number = g_strdup (open + 1);
              *open = '\0';
              return g_strstrip (g_strdup (copy));
            }
        }
      copy[len - 1] = '#';
    }

  return g_steal_pointer (&copy);
}

/* A character cue: capitals (any script), at least one letter; an extension in
 * parentheses ("(V.O.)", "(cont'd)") and a trailing '^' of dual dialogue allowed. */
static gboolean
is_character_cue (const char *line)
{
  gboolean has_letter = FALSE;

  for (const char *p = line; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '(')
        break;
      if (g_unichar_islower (c))
        return FALSE;
      if (g_unichar_isalpha (c))
        has_letter = TRUE;
    }

  return has_letter;
}

static gboolean
is_transition (const char *line)
{
  gsize len = strlen (line);

  if (!is_character_cue (line) || strchr (line, '(') != NULL)
    return FALSE;

  return (len >= 3 && g_str_has_suffix (line, "TO:")) ||
         g_str_equal (line, "FADE IN:") || g_str_equal (line, "FADE OUT.") ||
         g_str_equal (line, "FADE TO BLACK.") || g_str_equal (line, "CUT TO BLACK.");
}

static gboolean
is_page_break (const char *line)
{
  gsize n = 0;

  for (const char *p = line; *p != '\0'; p++)
    {
      if (*p == '=')
        n++;
      else if (*p != ' ' && *p != '\t')
        return FALSE;
    }
  return n >= 3;
}

static char *
clean_text (const char *text)
{
  g_autofree char *stripped = reel_fountain_strip_emphasis (text);

  return g_strstrip (g_steal_pointer (&stripped));
}

static void
add_element (ReelFountainDocument *document,
             ReelFountainKind      kind,
             const char           *text)
{
  ReelFountainElement *element = g_new0 (ReelFountainElement, 1);

  element->kind = kind;
  element->text = clean_text (text);
  g_ptr_array_add (document->elements, element);
}

/* Action lines that follow each other make one paragraph. */
static void
add_action_line (ReelFountainDocument *document,
                 const char           *text,
                 gboolean              continues)
{
  ReelFountainElement *last = NULL;
  g_autofree char *clean = clean_text (text);

  if (document->elements->len > 0)
    last = g_ptr_array_index (document->elements, document->elements->len - 1);

  if (continues && last != NULL && last->kind == REEL_FOUNTAIN_ACTION)
    {
      char *joined = g_strconcat (last->text, "\n", clean, NULL);

      g_free (last->text);
      last->text = joined;
      return;
    }

  last = g_new0 (ReelFountainElement, 1);
  last->kind = REEL_FOUNTAIN_ACTION;
  last->text = g_steal_pointer (&clean);
  g_ptr_array_add (document->elements, last);
}

/* "Draft date" → "draft_date". */
static char *
normalise_key (const char *key)
{
  g_autofree char *lower = g_utf8_strdown (key, -1);

  g_strstrip (lower);
  for (char *p = lower; *p != '\0'; p++)
    if (*p == ' ' || *p == '-')
      *p = '_';
  if (g_str_equal (lower, "authors"))
    return g_strdup ("author");
  return g_steal_pointer (&lower);
}

static const char *known_title_keys[] = {
  "title", "credit", "author", "authors", "source", "draft date", "date", "contact",
  "copyright", "notes", "revision", "episode", "series",
};

/* "Key: value" at the top of the file. Returns the key (or NULL) and sets @value. */
static char *
parse_title_line (const char  *line,
                  const char **value)
{
  const char *colon = strchr (line, ':');
  g_autofree char *key = NULL;

  if (colon == NULL || colon == line || line[0] == ' ' || line[0] == '\t')
    return NULL;

  for (const char *p = line; p < colon; p++)
    if (!g_ascii_isalnum (*p) && *p != ' ' && *p != '_' && *p != '-')
      return NULL;

  key = g_strndup (line, colon - line);
  *value = skip_space (colon + 1);
  return g_steal_pointer (&key);
}

static gboolean
is_known_title_key (const char *key)
{
  g_autofree char *lower = g_ascii_strdown (key, -1);

  for (guint i = 0; i < G_N_ELEMENTS (known_title_keys); i++)
    if (g_str_equal (lower, known_title_keys[i]))
      return TRUE;
  return FALSE;
}

/* Returns the index of the first body line. */
static guint
parse_title_page (ReelFountainDocument  *document,
                  char                 **lines)
{
  guint i = 0;
  const char *value = NULL;
  g_autofree char *first_key = NULL;
  g_autoptr(GPtrArray) values = NULL;
  GString *current = NULL;

  while (lines[i] != NULL && (is_blank (lines[i]) || is_boneyard_line (lines[i])))
    i++;
  if (lines[i] == NULL)
    return i;

  /* A title page starts with a known key, or any key with a value on its line; so
   * "FADE IN:" at the top of a script without a title page is not taken for one. */
  first_key = parse_title_line (lines[i], &value);
  if (first_key == NULL || (!is_known_title_key (first_key) && *value == '\0'))
    return 0;

  values = g_ptr_array_new ();

  for (; lines[i] != NULL && !is_blank (lines[i]); i++)
    {
      g_autofree char *key = NULL;

      if (is_boneyard_line (lines[i]))
        continue;
      key = parse_title_line (lines[i], &value);

      if (key != NULL)
        {
          g_ptr_array_add (document->title_keys, normalise_key (key));
          current = g_string_new (NULL);
          if (*value != '\0')
            {
              g_autofree char *clean = clean_text (value);
              g_string_append (current, clean);
            }
          g_ptr_array_add (values, current);
        }
      else if (current != NULL)
        {
          /* An indented continuation line of a multi-line value. */
          g_autofree char *clean = clean_text (lines[i]);

          if (current->len > 0)
            g_string_append_c (current, '\n');
          g_string_append (current, clean);
        }
    }

  for (guint k = 0; k < values->len; k++)
    g_ptr_array_add (document->title_values,
                     g_string_free (g_ptr_array_index (values, k), FALSE));

  return i;
}

ReelFountainDocument *
reel_fountain_document_new (void)
{
  ReelFountainDocument *document = g_new0 (ReelFountainDocument, 1);

  document->title_keys = g_ptr_array_new_with_free_func (g_free);
  document->title_values = g_ptr_array_new_with_free_func (g_free);
  document->elements = g_ptr_array_new_with_free_func (element_free);
  return document;
}

ReelFountainDocument *
reel_fountain_document_parse (const char *text)
{
  g_autoptr(ReelFountainDocument) document = reel_fountain_document_new ();
  g_autofree char *normalised = NULL;
  g_autofree char *cleaned = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean in_dialogue = FALSE;
  gboolean previous_blank = TRUE;
  gboolean previous_action = FALSE;
  guint n_lines;
  guint i;

  g_return_val_if_fail (text != NULL, NULL);

  /* Byte-order mark, Windows and old Mac line ends, tabs. */
  if (g_str_has_prefix (text, "\xEF\xBB\xBF"))
    text += 3;
  {
    GString *s = g_string_new (NULL);

    for (const char *p = text; *p != '\0'; p++)
      {
        if (*p == '\r')
          {
            g_string_append_c (s, '\n');
            if (p[1] == '\n')
              p++;
          }
        else if (*p == '\t')
          g_string_append (s, "    ");
        else
          g_string_append_c (s, *p);
      }
    normalised = g_string_free (s, FALSE);
  }

  cleaned = remove_notes_and_boneyard (normalised);
  lines = g_strsplit (cleaned, "\n", -1);
  n_lines = g_strv_length (lines);

  for (i = parse_title_page (document, lines); i < n_lines; i++)
    {
      const char *raw = lines[i];
      const char *line = skip_space (raw);
      gboolean next_blank = (i + 1 >= n_lines) || is_blank (lines[i + 1]);
      gboolean next_gap = next_blank || is_boneyard_line (lines[i + 1]);
      g_autofree char *trimmed = g_strchomp (g_strdup (line));

      /* Removed text: a gap between elements, nothing inside a speech. */
      if (is_boneyard_line (raw))
        {
          if (!in_dialogue)
            {
              previous_blank = TRUE;
              previous_action = FALSE;
            }
          continue;
        }

      /* A character cue looks past removed lines for its dialogue. */
      for (guint j = i + 1; j < n_lines && is_boneyard_line (lines[j]); j++)
        next_blank = j + 1 >= n_lines || is_blank (lines[j + 1]);

      if (*trimmed == '\0')
        {
          /* Two spaces alone keep a dialogue block together; a real blank ends it. */
          if (!(in_dialogue && g_str_has_prefix (raw, "  ")))
            in_dialogue = FALSE;
          previous_blank = TRUE;
          previous_action = FALSE;
          continue;
        }

      if (in_dialogue)
        {
          if (trimmed[0] == '~')
            add_element (document, REEL_FOUNTAIN_LYRIC, trimmed + 1);
          else if (trimmed[0] == '(' && g_str_has_suffix (trimmed, ")"))
            add_element (document, REEL_FOUNTAIN_PARENTHETICAL, trimmed);
          else
            add_element (document, REEL_FOUNTAIN_DIALOGUE, trimmed);
          previous_blank = FALSE;
          continue;
        }

      if (trimmed[0] == '!')
        {
          add_action_line (document, trimmed + 1, previous_action);
          previous_action = TRUE;
        }
      else if (is_page_break (trimmed))
        {
          add_element (document, REEL_FOUNTAIN_PAGE_BREAK, "");
          previous_action = FALSE;
        }
      else if (trimmed[0] == '=')
        {
          add_element (document, REEL_FOUNTAIN_SYNOPSIS, trimmed + 1);
          previous_action = FALSE;
        }
      else if (trimmed[0] == '#')
        {
          ReelFountainElement *element;
          guint depth = 0;

          while (trimmed[depth] == '#')
            depth++;
          add_element (document, REEL_FOUNTAIN_SECTION, trimmed + depth);
          element = g_ptr_array_index (document->elements, document->elements->len - 1);
          element->depth = depth;
          previous_action = FALSE;
        }
      else if (trimmed[0] == '~')
        {
          add_element (document, REEL_FOUNTAIN_LYRIC, trimmed + 1);
          previous_action = FALSE;
        }
      else if (trimmed[0] == '>' && g_str_has_suffix (trimmed, "<") && strlen (trimmed) >= 2)
        {
          g_autofree char *inner = g_strndup (trimmed + 1, strlen (trimmed) - 2);

          add_element (document, REEL_FOUNTAIN_CENTERED, inner);
          previous_action = FALSE;
        }
      else if (trimmed[0] == '>')
        {
          add_element (document, REEL_FOUNTAIN_TRANSITION, trimmed + 1);
          previous_action = FALSE;
        }
      else if ((trimmed[0] == '.' && trimmed[1] != '.' && trimmed[1] != '\0') ||
               (previous_blank && has_heading_prefix (trimmed)))
        {
          ReelFountainElement *element = g_new0 (ReelFountainElement, 1);
          const char *heading = trimmed[0] == '.' ? trimmed + 1 : trimmed;
          g_autofree char *without_number = split_scene_number (heading,
                                                                &element->scene_number);

          element->kind = REEL_FOUNTAIN_SCENE_HEADING;
          element->text = clean_text (without_number);
          g_ptr_array_add (document->elements, element);
          previous_action = FALSE;
        }
      else if (trimmed[0] == '@' && trimmed[1] != '\0' && !next_blank)
        {
          add_element (document, REEL_FOUNTAIN_CHARACTER, trimmed + 1);
          in_dialogue = TRUE;
          previous_action = FALSE;
        }
      else if (previous_blank && next_gap && is_transition (trimmed))
        {
          add_element (document, REEL_FOUNTAIN_TRANSITION, trimmed);
          previous_action = FALSE;
        }
      else if (previous_blank && !next_blank && is_character_cue (trimmed))
        {
          g_autofree char *name = g_strdup (trimmed);
          gsize len = strlen (name);

          /* Dual dialogue: the caret only places the speech beside the previous one. */
          if (len > 0 && name[len - 1] == '^')
            name[len - 1] = '\0';
          add_element (document, REEL_FOUNTAIN_CHARACTER, name);
          in_dialogue = TRUE;
          previous_action = FALSE;
        }
      else
        {
          add_action_line (document, line, previous_action);
          previous_action = TRUE;
        }

      previous_blank = FALSE;
    }

  return g_steal_pointer (&document);
}
