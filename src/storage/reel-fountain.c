/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-fountain"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "reel-fountain.h"
#include "reel-fountain-private.h"

#define ACTION_WORDS_PER_SECOND   12.0
#define DIALOGUE_WORDS_PER_SECOND 2.5

/* What becomes one shot. */
typedef struct
{
  GString *description;
  GString *action;
  GString *dialogue;
  GPtrArray *cast;
  double action_words;
  double dialogue_words;
  gboolean from_synopsis;
} Beat;

typedef struct
{
  ReelProject *project;
  ReelFrameRate rate;
  ReelScene *scene;       /* the scene being filled, or NULL */
  GPtrArray *beats;       /* of the current scene */
  Beat *beat;             /* the last of @beats, or NULL */
  char *speaker;          /* the current character cue */
  GString *speech;        /* what @speaker says, being collected */
  gboolean any_number;    /* the script numbers its scenes */
} Builder;

static void
beat_free (gpointer data)
{
  Beat *beat = data;

  g_string_free (beat->description, TRUE);
  g_string_free (beat->action, TRUE);
  g_string_free (beat->dialogue, TRUE);
  g_ptr_array_unref (beat->cast);
  g_free (beat);
}

static Beat *
beat_new (void)
{
  Beat *beat = g_new0 (Beat, 1);

  beat->description = g_string_new (NULL);
  beat->action = g_string_new (NULL);
  beat->dialogue = g_string_new (NULL);
  beat->cast = g_ptr_array_new_with_free_func (g_free);
  return beat;
}

static void
append_line (GString    *string,
             const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  if (string->len > 0)
    g_string_append_c (string, '\n');
  g_string_append (string, text);
}

/* "MAYA (V.O.)" → "MAYA". */
static char *
character_name (const char *cue)
{
  const char *paren = strchr (cue, '(');
  char *name = paren != NULL ? g_strndup (cue, paren - cue) : g_strdup (cue);

  return g_strstrip (name);
}

static gint64
estimate_frames (Beat          *beat,
                 ReelFrameRate  rate)
{
  double seconds = beat->action_words / ACTION_WORDS_PER_SECOND +
                   beat->dialogue_words / DIALOGUE_WORDS_PER_SECOND;
  gint64 frames;

  seconds = MAX (seconds, 1.0);
  frames = (gint64) ceil (seconds * rate.num / rate.den - 1e-9);
  return MAX (frames, 1);
}

static void
flush_speech (Builder *builder)
{
  if (builder->speech != NULL && builder->beat != NULL && builder->speech->len > 0)
    {
      g_autofree char *line = g_strdup_printf ("%s: %s", builder->speaker, builder->speech->str);

      append_line (builder->beat->dialogue, line);
    }
  if (builder->speech != NULL)
    g_string_free (builder->speech, TRUE);
  builder->speech = NULL;
  g_clear_pointer (&builder->speaker, g_free);
}

static Beat *
start_beat (Builder *builder)
{
  flush_speech (builder);
  builder->beat = beat_new ();
  g_ptr_array_add (builder->beats, builder->beat);
  return builder->beat;
}

static void
parse_heading (ReelScene  *scene,
               const char *heading)
{
  static const struct {
    const char *prefix;
    ReelIntExt value;
  } prefixes[] = {
    { "INT./EXT", REEL_INT_EXT_INT_EXT }, { "INT/EXT", REEL_INT_EXT_INT_EXT },
    { "EXT./INT", REEL_INT_EXT_INT_EXT }, { "EXT/INT", REEL_INT_EXT_INT_EXT },
    { "I/E", REEL_INT_EXT_INT_EXT }, { "E/I", REEL_INT_EXT_INT_EXT },
    { "INT", REEL_INT_EXT_INT }, { "EXT", REEL_INT_EXT_EXT }, { "EST", REEL_INT_EXT_EST },
  };
  static const char * const separators[] = { " - ", " – ", " — " };
  ReelIntExt int_ext = REEL_INT_EXT_NONE;
  const char *rest = heading;
  const char *split = NULL;
  gsize split_len = 0;

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      gsize len = strlen (prefixes[i].prefix);

      if (g_ascii_strncasecmp (heading, prefixes[i].prefix, len) == 0 &&
          (heading[len] == '.' || heading[len] == ' '))
        {
          int_ext = prefixes[i].value;
          rest = heading + len;
          /* "INT. HOUSE", "INT HOUSE" and "INT - HOUSE" (dashes of any length). */
          for (;;)
            {
              if (*rest == '.' || *rest == ' ' || *rest == '-')
                rest++;
              else if (g_str_has_prefix (rest, "–") || g_str_has_prefix (rest, "—"))
                rest += strlen ("–");
              else
                break;
            }
          break;
        }
    }

  /* The time of day follows the last separator: "HARBOUR - PIER 4 - DAWN". */
  for (guint i = 0; i < G_N_ELEMENTS (separators); i++)
    {
      const char *found = g_strrstr (rest, separators[i]);

      if (found != NULL && (split == NULL || found > split))
        {
          split = found;
          split_len = strlen (separators[i]);
        }
    }

  reel_scene_set_int_ext (scene, int_ext);
  if (split != NULL)
    {
      g_autofree char *location = g_strndup (rest, split - rest);

      reel_scene_set_location (scene, g_strstrip (location));
      reel_scene_set_time_of_day (scene, split + split_len);
    }
  else
    {
      reel_scene_set_location (scene, rest);
      reel_scene_set_time_of_day (scene, "");
    }
}

static void
finish_scene (Builder *builder)
{
  ReelScene *scene = builder->scene;

  if (scene == NULL)
    return;

  flush_speech (builder);

  /* A heading with nothing under it still gets one (empty) shot to draw. */
  if (builder->beats->len == 0)
    start_beat (builder);

  for (guint i = 0; i < builder->beats->len; i++)
    {
      Beat *beat = g_ptr_array_index (builder->beats, i);
      g_autoptr(ReelShot) shot = reel_shot_new ();
      g_autofree char *cast = NULL;

      g_ptr_array_add (beat->cast, NULL);
      cast = g_strjoinv (", ", (char **) beat->cast->pdata);
      g_ptr_array_remove_index (beat->cast, beat->cast->len - 1);

      reel_shot_set_description (shot, beat->from_synopsis ? beat->description->str
                                                          : beat->action->str);
      reel_shot_set_dialogue (shot, beat->dialogue->str);
      reel_shot_set_cast (shot, cast);
      reel_shot_set_duration (shot, estimate_frames (beat, builder->rate));
      reel_scene_append_shot (scene, shot);
    }

  g_ptr_array_set_size (builder->beats, 0);
  builder->beat = NULL;
  builder->scene = NULL;
}

static ReelScene *
start_scene (Builder    *builder,
             const char *heading,
             const char *number)
{
  g_autoptr(ReelScene) scene = reel_scene_new ();

  finish_scene (builder);

  if (heading != NULL)
    parse_heading (scene, heading);
  else
    {
      reel_scene_set_int_ext (scene, REEL_INT_EXT_NONE);
      reel_scene_set_location (scene, "");
      reel_scene_set_time_of_day (scene, "");
    }
  reel_scene_set_number (scene, number != NULL ? number : "");
  if (number != NULL)
    builder->any_number = TRUE;

  reel_project_append_scene (builder->project, scene);
  builder->scene = scene;
  return scene;
}

static Beat *
ensure_beat (Builder *builder)
{
  if (builder->scene == NULL)
    start_scene (builder, NULL, NULL);
  if (builder->beat == NULL)
    start_beat (builder);
  return builder->beat;
}

static void
add_speaker (Beat       *beat,
             const char *name)
{
  for (guint i = 0; i < beat->cast->len; i++)
    if (g_str_equal (g_ptr_array_index (beat->cast, i), name))
      return;
  g_ptr_array_add (beat->cast, g_strdup (name));
}

static void
set_title_page (ReelProject          *project,
                ReelFountainDocument *document)
{
  for (guint i = 0; i < document->title_keys->len; i++)
    {
      const char *key = g_ptr_array_index (document->title_keys, i);
      const char *value = g_ptr_array_index (document->title_values, i);

      if (g_str_equal (key, "title"))
        {
          /* A title set over several lines reads as one. */
          g_auto(GStrv) lines = g_strsplit (value, "\n", -1);
          g_autofree char *title = g_strjoinv (" ", lines);

          reel_project_set_title (project, title);
        }
      else if (g_str_equal (key, "date"))
        reel_project_set_metadata (project, REEL_METADATA_DRAFT_DATE, value);
      else
        reel_project_set_metadata (project, key, value);
    }
}

ReelProject *
reel_fountain_build_project (ReelFountainDocument *document)
{
  Builder builder = { NULL, };
  g_autoptr(ReelProject) project = reel_project_new ();
  guint n_scenes;

  builder.project = project;
  builder.rate = reel_project_get_frame_rate (project);
  builder.beats = g_ptr_array_new_with_free_func (beat_free);

  set_title_page (project, document);

  for (guint i = 0; i < document->elements->len; i++)
    {
      ReelFountainElement *element = g_ptr_array_index (document->elements, i);
      Beat *beat;

      switch (element->kind)
        {
        case REEL_FOUNTAIN_SCENE_HEADING:
          start_scene (&builder, element->text, element->scene_number);
          break;

        case REEL_FOUNTAIN_SYNOPSIS:
          /* A synopsis before the first scene describes the script, not a shot. */
          if (builder.scene == NULL || *element->text == '\0')
            break;
          beat = start_beat (&builder);
          beat->from_synopsis = TRUE;
          g_string_append (beat->description, element->text);
          break;

        case REEL_FOUNTAIN_ACTION:
          flush_speech (&builder);
          beat = ensure_beat (&builder);
          append_line (beat->action, element->text);
          beat->action_words += reel_fountain_count_words (element->text);
          if (*reel_scene_get_synopsis (builder.scene) == '\0')
            reel_scene_set_synopsis (builder.scene, element->text);
          break;

        case REEL_FOUNTAIN_CHARACTER:
          {
            g_autofree char *name = character_name (element->text);

            beat = ensure_beat (&builder);
            flush_speech (&builder);
            builder.speaker = g_strdup (element->text);
            builder.speech = g_string_new (NULL);
            add_speaker (beat, name);
          }
          break;

        case REEL_FOUNTAIN_PARENTHETICAL:
        case REEL_FOUNTAIN_DIALOGUE:
          beat = ensure_beat (&builder);
          if (builder.speech == NULL)
            {
              /* Dialogue without a cue (after a note was removed, say). */
              append_line (beat->dialogue, element->text);
            }
          else
            {
              if (builder.speech->len > 0)
                g_string_append_c (builder.speech, ' ');
              g_string_append (builder.speech, element->text);
            }
          if (element->kind == REEL_FOUNTAIN_DIALOGUE)
            beat->dialogue_words += reel_fountain_count_words (element->text);
          break;

        case REEL_FOUNTAIN_LYRIC:
          beat = ensure_beat (&builder);
          {
            g_autofree char *line = g_strconcat ("♪ ", element->text, NULL);

            /* Sung by the current speaker, or on its own. */
            if (builder.speech != NULL)
              {
                if (builder.speech->len > 0)
                  g_string_append_c (builder.speech, ' ');
                g_string_append (builder.speech, line);
              }
            else
              append_line (beat->dialogue, line);
          }
          beat->dialogue_words += reel_fountain_count_words (element->text);
          break;

        case REEL_FOUNTAIN_TRANSITION:
        case REEL_FOUNTAIN_CENTERED:
        case REEL_FOUNTAIN_SECTION:
        case REEL_FOUNTAIN_PAGE_BREAK:
        default:
          flush_speech (&builder);
          break;
        }
    }

  finish_scene (&builder);
  g_ptr_array_unref (builder.beats);

  n_scenes = reel_project_get_n_scenes (project);

  /* A title page alone still opens as something to draw on: a scene with no heading, as
   * the script gave none. */
  if (n_scenes == 0)
    {
      g_autoptr(ReelScene) scene = reel_scene_new ();
      g_autoptr(ReelShot) shot = reel_shot_new ();

      reel_scene_set_int_ext (scene, REEL_INT_EXT_NONE);
      reel_scene_set_location (scene, "");
      reel_scene_set_time_of_day (scene, "");

      reel_scene_append_shot (scene, shot);
      reel_project_append_scene (project, scene);
      n_scenes = 1;
    }

  for (guint i = 0; i < n_scenes; i++)
    {
      ReelScene *scene = reel_project_get_scene (project, i);

      if (!builder.any_number)
        {
          g_autofree char *number = g_strdup_printf ("%u", i + 1);
          reel_scene_set_number (scene, number);
        }

      /* A scene the script left unnumbered among numbered ones ("FLASHBACK") gets
       * plain shot numbers rather than ones that clash with a numbered scene's. */
      reel_scene_renumber (scene, *reel_scene_get_number (scene) != '\0'
                                  ? REEL_NUMBERING_SCENE_LETTER
                                  : REEL_NUMBERING_SEQUENTIAL);
    }

  reel_history_clear (reel_project_get_history (project));
  reel_project_mark_saved (project);
  return g_steal_pointer (&project);
}

/* Text in UTF-8, or NULL with @error set. */
static char *
decode_text (const char  *data,
             gsize        length,
             const char  *name,
             GError     **error)
{
  gsize checked = length;

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
      checked = length;
    }

  if (memchr (data, '\0', length) != NULL)
    {
      if (name != NULL)
        g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_INVALID_SCRIPT,
                     _("“%s” is not a text file, so it cannot be read as a screenplay. "
                       "Choose a Fountain (.fountain) script."), name);
      else
        g_set_error_literal (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_INVALID_SCRIPT,
                             _("This is not text, so it cannot be read as a screenplay."));
      return NULL;
    }

  if (g_utf8_validate_len (data, checked, NULL))
    return g_strndup (data, length);

  /* Older scripts from Windows programs. */
  {
    char *converted = g_convert (data, length, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);

    if (converted != NULL)
      return converted;
  }

  return g_utf8_make_valid (data, length);
}

static gboolean
is_blank_text (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static ReelProject *
import_data (const char  *data,
             gsize        length,
             const char  *name,
             GError     **error)
{
  g_autofree char *text = decode_text (data, length, name, error);
  g_autoptr(ReelFountainDocument) document = NULL;

  if (text == NULL)
    return NULL;

  if (is_blank_text (text))
    {
      if (name != NULL)
        g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_INVALID_SCRIPT,
                     _("“%s” is empty: there is no screenplay to import."), name);
      else
        g_set_error_literal (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_INVALID_SCRIPT,
                             _("The screenplay is empty."));
      return NULL;
    }

  document = reel_fountain_document_parse (text);
  return reel_fountain_build_project (document);
}

ReelProject *
reel_fountain_import_from_string (const char  *text,
                                  gssize       length,
                                  GError     **error)
{
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return import_data (text, length < 0 ? strlen (text) : (gsize) length, NULL, error);
}

ReelProject *
reel_script_import_file (GFile                *file,
                         gsize                 max_size,
                         ReelScriptParseFunc   parse,
                         GError              **error)
{
  g_autofree char *name = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  ReelProject *project;
  gsize length;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = g_file_get_parse_name (file);

  /* Refused before it is read: a huge file never fills the memory. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL,
                            NULL);
  if (info != NULL && (guint64) g_file_info_get_size (info) > max_size)
    {
      g_autofree char *found = g_format_size (g_file_info_get_size (info));
      g_autofree char *limit = g_format_size (max_size);

      g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_INVALID_SCRIPT,
                   _("“%s” is too large for a screenplay (%s; at most %s). Check that it is "
                     "the screenplay you meant."), name, found, limit);
      return NULL;
    }

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_NOT_FOUND,
                     _("“%s” does not exist. It may have been moved, renamed or deleted."),
                     name);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
        g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_PERMISSION,
                     _("Could not open “%s”: you are not allowed to read it. "
                       "Check the file’s permissions."), name);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
        g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_INVALID_SCRIPT,
                     _("“%s” is a folder, not a screenplay."), name);
      else
        g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_FAILED,
                     _("Could not open “%s”: %s"), name, local_error->message);
      return NULL;
    }

  project = parse (contents, length, name, error);

  /* Without a title page, the script's file name is the best title there is. */
  if (project != NULL && *reel_project_get_title (project) == '\0')
    {
      g_autofree char *basename = g_file_get_basename (file);
      char *dot = strrchr (basename, '.');

      if (dot != NULL && dot != basename)
        *dot = '\0';
      reel_project_set_title (project, basename);
      reel_project_mark_saved (project);
    }

  return project;
}

ReelProject *
reel_fountain_import (GFile   *file,
                      GError **error)
{
  return reel_script_import_file (file, REEL_FOUNTAIN_MAX_SIZE, import_data, error);
}

typedef struct
{
  GFile *file;
  gsize max_size;
  ReelScriptParseFunc parse;
} ImportData;

static void
import_data_free (gpointer data)
{
  ImportData *import = data;

  g_object_unref (import->file);
  g_free (import);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *import = task_data;
  GError *error = NULL;
  ReelProject *project;

  project = reel_script_import_file (import->file, import->max_size, import->parse, &error);
  if (project == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, project, g_object_unref);
}

void
reel_script_import_async (GFile               *file,
                          gsize                max_size,
                          ReelScriptParseFunc  parse,
                          gpointer             source_tag,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportData *import;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (parse != NULL);

  import = g_new0 (ImportData, 1);
  import->file = g_object_ref (file);
  import->max_size = max_size;
  import->parse = parse;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, import, import_data_free);
  g_task_run_in_thread (task, import_thread);
}

ReelProject *
reel_script_import_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
reel_fountain_import_async (GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  reel_script_import_async (file, REEL_FOUNTAIN_MAX_SIZE, import_data,
                            reel_fountain_import_async, cancellable, callback, user_data);
}

ReelProject *
reel_fountain_import_finish (GAsyncResult  *result,
                             GError       **error)
{
  return reel_script_import_finish (result, error);
}
