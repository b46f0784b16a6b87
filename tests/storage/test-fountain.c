/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "reel-test-project.h"
#include "storage-test-util.h"
#include "storage/reel-fountain.h"
#include "storage/reel-fountain-private.h"

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "storage", "data", name, NULL);
}

static ReelProject *
import_data_file (const char *name)
{
  g_autofree char *path = data_path (name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  ReelProject *project = reel_fountain_import (file, &error);

  g_assert_no_error (error);
  g_assert_nonnull (project);
  return project;
}

static void
assert_scene (ReelProject *project,
              guint        position,
              const char  *number,
              ReelIntExt   int_ext,
              const char  *location,
              const char  *time_of_day,
              guint        n_shots)
{
  ReelScene *scene = reel_project_get_scene (project, position);

  g_assert_nonnull (scene);
  g_assert_cmpstr (reel_scene_get_number (scene), ==, number);
  g_assert_cmpint (reel_scene_get_int_ext (scene), ==, int_ext);
  g_assert_cmpstr (reel_scene_get_location (scene), ==, location);
  g_assert_cmpstr (reel_scene_get_time_of_day (scene), ==, time_of_day);
  g_assert_cmpuint (reel_scene_get_n_shots (scene), ==, n_shots);
}

static ReelShot *
get_shot (ReelProject *project,
          guint        scene,
          guint        shot)
{
  return reel_scene_get_shot (reel_project_get_scene (project, scene), shot);
}

/* Nothing the screenplay format uses for itself may reach a shot. */
static void
assert_no_markup (ReelProject *project)
{
  static const char * const forbidden[] = {
    "[[", "]]", "/*", "*/", "CUT TO", "FADE", "THE END", "THE LIGHT", "ACT ONE", "===",
    "**", "I counted every step", "drown her out", "~",
  };

  for (guint s = 0; s < reel_project_get_n_scenes (project); s++)
    {
      ReelScene *scene = reel_project_get_scene (project, s);

      for (guint i = 0; i < reel_scene_get_n_shots (scene); i++)
        {
          ReelShot *shot = reel_scene_get_shot (scene, i);
          g_autofree char *all = g_strconcat (reel_shot_get_description (shot), "\n",
                                              reel_shot_get_dialogue (shot), "\n",
                                              reel_scene_get_synopsis (scene), NULL);

          for (guint f = 0; f < G_N_ELEMENTS (forbidden); f++)
            if (strstr (all, forbidden[f]) != NULL)
              g_error ("“%s” leaked into scene %u shot %u: %s", forbidden[f], s, i, all);
        }
    }
}

static void
test_lighthouse (void)
{
  g_autoptr(ReelProject) project = import_data_file ("lighthouse.fountain");
  ReelShot *shot;

  /* The title page. */
  g_assert_cmpstr (reel_project_get_title (project), ==, "The Keeper's Daughter");
  g_assert_cmpstr (reel_project_get_metadata (project, REEL_METADATA_AUTHOR), ==, "Ada Marlowe");
  g_assert_cmpstr (reel_project_get_metadata (project, REEL_METADATA_CREDIT), ==, "Written by");
  g_assert_cmpstr (reel_project_get_metadata (project, REEL_METADATA_DRAFT_DATE), ==,
                   "14 March 2025");
  g_assert_cmpstr (reel_project_get_metadata (project, REEL_METADATA_SOURCE), ==,
                   "Based on a story told at the Harbour Inn");
  g_assert_cmpstr (reel_project_get_metadata (project, REEL_METADATA_CONTACT), ==,
                   "Ada Marlowe\n12 Quay Street\nPorthcurno");
  g_assert_cmpstr (reel_project_get_metadata (project, REEL_METADATA_NOTES), ==,
                   "A test screenplay for Storyreel.\nIt uses every element of Fountain.");
  g_assert_cmpstr (reel_project_get_metadata (project, REEL_METADATA_COPYRIGHT), ==,
                   "(c) 2025 Ada Marlowe");
  g_assert_false (reel_project_get_modified (project));

  /* Every kind of heading, numbered or not, forced or not. */
  g_assert_cmpuint (reel_project_get_n_scenes (project), ==, 9);
  assert_scene (project, 0, "1", REEL_INT_EXT_EXT, "LIGHTHOUSE", "NIGHT", 2);
  assert_scene (project, 1, "2", REEL_INT_EXT_INT, "LIGHTHOUSE - STAIRWELL", "CONTINUOUS", 1);
  assert_scene (project, 2, "3", REEL_INT_EXT_INT_EXT, "LANTERN ROOM", "NIGHT", 2);
  assert_scene (project, 3, "", REEL_INT_EXT_EST, "THE BAY", "NIGHT", 1);
  assert_scene (project, 4, "4", REEL_INT_EXT_INT_EXT, "FISHING BOAT KITTIWAKE", "NIGHT", 1);
  assert_scene (project, 5, "", REEL_INT_EXT_NONE, "FLASHBACK - THE LANTERN ROOM",
                "TEN YEARS EARLIER", 1);
  assert_scene (project, 6, "5", REEL_INT_EXT_INT_EXT, "LANTERN ROOM / GALLERY", "NIGHT", 1);
  assert_scene (project, 7, "5A", REEL_INT_EXT_EXT, "THE BAY", "CONTINUOUS", 1);
  assert_scene (project, 8, "6", REEL_INT_EXT_EXT, "LIGHTHOUSE - GALLERY", "DAWN", 1);

  /* Synopses are shots; the action after one belongs to it. */
  shot = get_shot (project, 0, 0);
  g_assert_cmpstr (reel_shot_get_number (shot), ==, "1A");
  g_assert_cmpstr (reel_shot_get_description (shot), ==,
                   "A storm hammers the rock. The lamp at the top is dark.");
  g_assert_cmpstr (reel_shot_get_dialogue (shot), ==, "");
  /* 23 words of action: 23 / 12 s = 46 frames at 24 fps. */
  g_assert_cmpint (reel_shot_get_duration (shot), ==, 46);

  shot = get_shot (project, 0, 1);
  g_assert_cmpstr (reel_shot_get_number (shot), ==, "1B");
  g_assert_cmpstr (reel_shot_get_description (shot), ==,
                   "NELL (17) fights her way up the cliff path, a lantern in her fist.");
  g_assert_cmpstr (reel_shot_get_dialogue (shot), ==, "NELL: (shouting) Dad! DAD!");
  g_assert_cmpstr (reel_shot_get_cast (shot), ==, "NELL");

  /* Without synopses, a scene is one shot of its action; the boneyard is gone.
   * 23 words of action (46 frames) and 15 of dialogue (6 s, 144 frames). */
  shot = get_shot (project, 1, 0);
  g_assert_cmpstr (reel_shot_get_description (shot), ==,
                   "She takes the iron stairs two at a time. Water drips from the landing "
                   "above.\nA long silence. Then, from above, a cough.");
  g_assert_cmpstr (reel_shot_get_dialogue (shot), ==,
                   "NELL: Dad, the lamp's out! Can you hear me?\n"
                   "TOM (O.S.): Up here, love. Mind the third step.");
  g_assert_cmpstr (reel_shot_get_cast (shot), ==, "NELL, TOM");
  g_assert_cmpint (reel_shot_get_duration (shot), ==, 46 + 144);

  /* Emphasis markers go; the words stay. */
  shot = get_shot (project, 2, 0);
  g_assert_nonnull (strstr (reel_shot_get_dialogue (shot),
                            "TOM: The wick, Nell. The leg can wait."));
  g_assert_nonnull (strstr (reel_shot_get_dialogue (shot), "NELL: (kneeling) Your leg—"));
  g_assert_cmpstr (reel_scene_get_synopsis (reel_project_get_scene (project, 0)), ==,
                   "Waves explode against the rocks. Rain runs sideways across the lens of "
                   "the great lamp, dark for the first time in forty years.");

  /* Dual dialogue, lyrics, a forced character with lowercase letters, forced action. */
  shot = get_shot (project, 4, 0);
  g_assert_cmpstr (reel_shot_get_cast (shot), ==, "ROSA, DECKHAND");
  g_assert_nonnull (strstr (reel_shot_get_dialogue (shot), "ROSA: Hard to port! Hard to port!"));
  shot = get_shot (project, 5, 0);
  g_assert_cmpstr (reel_shot_get_number (shot), ==, "1");
  g_assert_nonnull (strstr (reel_shot_get_dialogue (shot),
                            "TOM: ♪ Keep the flame and the flame keeps you, ♪ keep the light"));
  shot = get_shot (project, 6, 0);
  g_assert_cmpstr (reel_shot_get_cast (shot), ==, "McCLANE");
  g_assert_nonnull (strstr (reel_shot_get_description (shot),
                            "\nSILENCE. She does not answer him.\n"));

  /* An ellipsis is action, not a forced heading. */
  shot = get_shot (project, 7, 0);
  g_assert_true (g_str_has_suffix (reel_shot_get_description (shot),
                                   "\n...And the sea goes quiet."));
  g_assert_cmpstr (reel_shot_get_dialogue (shot), ==,
                   "ROSA (V.O.): (over the radio) Thank you, lighthouse. Thank you.");

  shot = get_shot (project, 8, 0);
  g_assert_cmpstr (reel_shot_get_description (shot), ==,
                   "Father and daughter watch the sun come up.");
  /* Five words of dialogue are two seconds. */
  g_assert_cmpint (reel_shot_get_duration (shot), >=, 48);

  assert_no_markup (project);
}

/* The same script with a byte-order mark, CRLF line ends and tabs reads the same. */
static void
test_windows_line_ends (void)
{
  g_autoptr(ReelProject) unix_project = import_data_file ("lighthouse.fountain");
  g_autoptr(ReelProject) windows_project = import_data_file ("lighthouse-windows.fountain");
  guint n_scenes = reel_project_get_n_scenes (unix_project);

  g_assert_cmpstr (reel_project_get_title (windows_project), ==, "The Keeper's Daughter");
  g_assert_cmpstr (reel_project_get_metadata (windows_project, REEL_METADATA_CONTACT), ==,
                   "Ada Marlowe\n12 Quay Street\nPorthcurno");
  g_assert_cmpuint (reel_project_get_n_scenes (windows_project), ==, n_scenes);

  for (guint s = 0; s < n_scenes; s++)
    {
      ReelScene *a = reel_project_get_scene (unix_project, s);
      ReelScene *b = reel_project_get_scene (windows_project, s);

      g_assert_cmpstr (reel_scene_get_heading (a), ==, reel_scene_get_heading (b));
      g_assert_cmpstr (reel_scene_get_synopsis (a), ==, reel_scene_get_synopsis (b));
      g_assert_cmpuint (reel_scene_get_n_shots (a), ==, reel_scene_get_n_shots (b));
      for (guint i = 0; i < reel_scene_get_n_shots (a); i++)
        {
          ReelShot *x = reel_scene_get_shot (a, i);
          ReelShot *y = reel_scene_get_shot (b, i);

          g_assert_cmpstr (reel_shot_get_description (x), ==, reel_shot_get_description (y));
          g_assert_cmpstr (reel_shot_get_dialogue (x), ==, reel_shot_get_dialogue (y));
          g_assert_cmpint (reel_shot_get_duration (x), ==, reel_shot_get_duration (y));
          g_assert_null (strchr (reel_shot_get_description (y), '\r'));
        }
    }
}

static void
test_windows_1252 (void)
{
  g_autoptr(ReelProject) project = import_data_file ("cafe-cp1252.fountain");

  g_assert_cmpstr (reel_project_get_title (project), ==, "Café Noir");
  g_assert_cmpstr (reel_project_get_metadata (project, REEL_METADATA_AUTHOR), ==, "Zoë Brontë");
  assert_scene (project, 0, "1", REEL_INT_EXT_INT, "CAFÉ", "NIGHT", 1);
  g_assert_cmpstr (reel_shot_get_dialogue (get_shot (project, 0, 0)), ==,
                   "RENÉ: Fermé. We’re closed.");
}

/* A note or boneyard that is never closed keeps its text, and what follows still
 * reads as screenplay. */
static void
test_unterminated (void)
{
  g_autoptr(ReelProject) project = import_data_file ("unterminated.fountain");

  g_assert_cmpuint (reel_project_get_n_scenes (project), ==, 2);
  assert_scene (project, 0, "1", REEL_INT_EXT_EXT, "FIELD", "DAY", 1);
  assert_scene (project, 1, "2", REEL_INT_EXT_INT, "BARN", "NIGHT", 1);
  g_assert_nonnull (strstr (reel_shot_get_description (get_shot (project, 0, 0)),
                            "This note is never closed"));
  g_assert_cmpstr (reel_shot_get_description (get_shot (project, 1, 0)), ==, "A lamp swings.");
  g_assert_cmpstr (reel_shot_get_dialogue (get_shot (project, 1, 0)), ==,
                   "FARMER: Who's there?");
}

static void
test_title_page_only (void)
{
  g_autoptr(ReelProject) project = import_data_file ("title-only.fountain");

  g_assert_cmpstr (reel_project_get_title (project), ==, "Nothing Yet");
  g_assert_cmpstr (reel_project_get_metadata (project, REEL_METADATA_DRAFT_DATE), ==, "tomorrow");
  g_assert_cmpuint (reel_project_get_n_scenes (project), ==, 1);
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 1);
}

static void
test_errors (void)
{
  g_autofree char *dir = storage_test_make_dir ("fountain-errors");
  g_autofree char *empty = g_build_filename (dir, "empty.fountain", NULL);
  g_autofree char *blank = g_build_filename (dir, "blank.fountain", NULL);
  g_autofree char *binary = g_build_filename (dir, "picture.fountain", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.fountain", NULL);
  const char *paths[] = { empty, blank, binary, missing };
  const int codes[] = {
    REEL_STORAGE_ERROR_INVALID_SCRIPT, REEL_STORAGE_ERROR_INVALID_SCRIPT,
    REEL_STORAGE_ERROR_INVALID_SCRIPT, REEL_STORAGE_ERROR_NOT_FOUND,
  };
  g_autoptr(GBytes) png = reel_test_make_png (4, 4, 0xff0000ff);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelProject) none = NULL;

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_true (g_file_set_contents (blank, " \n\t\r\n\n   ", -1, NULL));
  g_assert_true (g_file_set_contents (binary, g_bytes_get_data (png, NULL),
                                      g_bytes_get_size (png), NULL));

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (paths[i]);
      g_autoptr(ReelProject) project = reel_fountain_import (file, &error);

      g_assert_null (project);
      g_assert_error (error, REEL_STORAGE_ERROR, codes[i]);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, paths[i]));
      g_clear_error (&error);
    }

  none = reel_fountain_import_from_string ("", -1, &error);
  g_assert_null (none);
  g_assert_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_INVALID_SCRIPT);
}

/* Rules one at a time, on the element list. */
static void
test_elements (void)
{
  static const struct {
    const char *text;
    ReelFountainKind kind;
    const char *element_text;
  } cases[] = {
    { "\nINT. HOUSE - DAY\n\n", REEL_FOUNTAIN_SCENE_HEADING, "INT. HOUSE - DAY" },
    { "\nint. house - day\n\n", REEL_FOUNTAIN_SCENE_HEADING, "int. house - day" },
    { "\nEST. CITY - DAWN\n\n", REEL_FOUNTAIN_SCENE_HEADING, "EST. CITY - DAWN" },
    { "\nI/E CAR - NIGHT\n\n", REEL_FOUNTAIN_SCENE_HEADING, "I/E CAR - NIGHT" },
    { "\nINT/EXT CAR - NIGHT\n\n", REEL_FOUNTAIN_SCENE_HEADING, "INT/EXT CAR - NIGHT" },
    { "\n.DREAM SEQUENCE\n\n", REEL_FOUNTAIN_SCENE_HEADING, "DREAM SEQUENCE" },
    { "\nINTERIOR DECORATORS ARRIVE.\n\n", REEL_FOUNTAIN_ACTION, "INTERIOR DECORATORS ARRIVE." },
    { "\n...and then nothing.\n\n", REEL_FOUNTAIN_ACTION, "...and then nothing." },
    { "\nCUT TO:\n\n", REEL_FOUNTAIN_TRANSITION, "CUT TO:" },
    { "\n> FADE TO BLACK.\n\n", REEL_FOUNTAIN_TRANSITION, "FADE TO BLACK." },
    { "\n>INTERMISSION<\n\n", REEL_FOUNTAIN_CENTERED, "INTERMISSION" },
    { "\n= She decides.\n\n", REEL_FOUNTAIN_SYNOPSIS, "She decides." },
    { "\n### Scene group\n\n", REEL_FOUNTAIN_SECTION, "Scene group" },
    { "\n===\n\n", REEL_FOUNTAIN_PAGE_BREAK, "" },
    { "\n!WHAM. The door flies open.\n\n", REEL_FOUNTAIN_ACTION, "WHAM. The door flies open." },
    { "\nShe _really_ means it, *truly*.\n\n", REEL_FOUNTAIN_ACTION, "She really means it, truly." },
    { "\nEscaped \\*stars\\* stay.\n\n", REEL_FOUNTAIN_ACTION, "Escaped *stars* stay." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ReelFountainDocument) document = reel_fountain_document_parse (cases[i].text);
      ReelFountainElement *element;

      g_assert_cmpuint (document->elements->len, ==, 1);
      element = g_ptr_array_index (document->elements, 0);
      g_assert_cmpint (element->kind, ==, cases[i].kind);
      g_assert_cmpstr (element->text, ==, cases[i].element_text);
    }

  {
    g_autoptr(ReelFountainDocument) document =
      reel_fountain_document_parse ("\nINT. HOUSE - DAY #12A#\n\nBOB (V.O.) ^\n(quietly)\nHi.\n"
                                    "[[a note]]\nStill Bob.\n\n## Act\n");
    ReelFountainElement *element = g_ptr_array_index (document->elements, 0);
    static const ReelFountainKind kinds[] = {
      REEL_FOUNTAIN_SCENE_HEADING, REEL_FOUNTAIN_CHARACTER, REEL_FOUNTAIN_PARENTHETICAL,
      REEL_FOUNTAIN_DIALOGUE, REEL_FOUNTAIN_DIALOGUE, REEL_FOUNTAIN_SECTION,
    };

    g_assert_cmpstr (element->text, ==, "INT. HOUSE - DAY");
    g_assert_cmpstr (element->scene_number, ==, "12A");
    g_assert_cmpuint (document->elements->len, ==, G_N_ELEMENTS (kinds));
    for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
      g_assert_cmpint (((ReelFountainElement *) g_ptr_array_index (document->elements, i))->kind,
                       ==, kinds[i]);
    element = g_ptr_array_index (document->elements, 1);
    g_assert_cmpstr (element->text, ==, "BOB (V.O.)");
    element = g_ptr_array_index (document->elements, 5);
    g_assert_cmpuint (element->depth, ==, 2);
  }

  /* Durations: 24 words of action = 2 s; 5 words of dialogue = 2 s; at least 1 s. */
  g_assert_cmpfloat (reel_fountain_count_words ("It's a well-known fact, isn't it?"), ==, 7);
  g_assert_cmpfloat (reel_fountain_count_words ("灯台守の娘"), ==, 2.5);
}

/* Damaged scripts never crash the import: cut, scrambled and binary-laced versions of
 * the lighthouse give a project or a clear error. */
static void
test_fuzz (void)
{
  g_autofree char *path = data_path ("lighthouse.fountain");
  g_autofree char *original = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (reel_test_seed (9000));
  gsize length;
  guint n_projects = 0;

  g_assert_true (g_file_get_contents (path, &original, &length, NULL));

  for (guint round = 0; round < 400; round++)
    {
      g_autoptr(GString) mutated = g_string_new_len (original, length);
      g_autoptr(GError) error = NULL;
      g_autoptr(ReelProject) project = NULL;
      guint n_mutations = g_rand_int_range (rand, 1, 40);

      for (guint m = 0; m < n_mutations && mutated->len > 0; m++)
        {
          guint at = g_rand_int_range (rand, 0, mutated->len);
          char byte = (char) g_rand_int_range (rand, 0, 256);
          static const char * const tokens[] = {
            "[[", "]]", "/*", "*/", "\n\n", "\r", "\t", "#", "=", "===", ">", "<", "~", "@",
            "!", ".", "^", "INT. ", "\nEXT ", ":", "*", "_", "\\", "(", ")", "\xEF\xBB\xBF",
          };

          switch (g_rand_int_range (rand, 0, 4))
            {
            case 0:
              {
                gsize span = g_rand_int_range (rand, 1, 200);

                g_string_erase (mutated, at, MIN (span, mutated->len - at));
              }
              break;
            case 1:
              g_string_insert_len (mutated, at, &byte, 1);
              break;
            case 2:
              g_string_insert (mutated, at, tokens[g_rand_int_range (rand, 0,
                                                                     G_N_ELEMENTS (tokens))]);
              break;
            case 3:
            default:
              g_string_truncate (mutated, at);
              break;
            }
        }

      project = reel_fountain_import_from_string (mutated->str, mutated->len, &error);
      if (project != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (reel_project_get_n_scenes (project), >=, 1);
          for (guint s = 0; s < reel_project_get_n_scenes (project); s++)
            {
              ReelScene *scene = reel_project_get_scene (project, s);

              g_assert_cmpuint (reel_scene_get_n_shots (scene), >=, 1);
              for (guint i = 0; i < reel_scene_get_n_shots (scene); i++)
                {
                  ReelShot *shot = reel_scene_get_shot (scene, i);

                  g_assert_cmpint (reel_shot_get_duration (shot), >=, 24);
                  g_assert_true (g_utf8_validate (reel_shot_get_description (shot), -1, NULL));
                  g_assert_true (g_utf8_validate (reel_shot_get_dialogue (shot), -1, NULL));
                }
            }
          n_projects++;
        }
      else
        {
          g_assert_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_INVALID_SCRIPT);
        }
    }

  g_test_message ("%u of 400 damaged scripts still gave a project", n_projects);
  g_assert_cmpuint (n_projects, >, 100);
}

static void
assert_kinds (const char             *text,
              const ReelFountainKind *kinds,
              const char * const     *texts,
              guint                   n)
{
  g_autoptr(ReelFountainDocument) document = reel_fountain_document_parse (text);

  g_test_message ("parsing: %s", text);
  g_assert_cmpuint (document->elements->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      ReelFountainElement *element = g_ptr_array_index (document->elements, i);

      g_assert_cmpint (element->kind, ==, kinds[i]);
      if (texts[i] != NULL)
        g_assert_cmpstr (element->text, ==, texts[i]);
    }
}

#define ASSERT_KINDS(text, kinds, texts) \
  G_STATIC_ASSERT (G_N_ELEMENTS (kinds) == G_N_ELEMENTS (texts)); \
  assert_kinds ((text), (kinds), (texts), G_N_ELEMENTS (kinds))

/* Boneyard, as the syntax page shows it: a commented-out scene between a transition and the
 * next heading, the transition's blank line inside the boneyard. */
static void
test_boneyard (void)
{
  {
    static const ReelFountainKind kinds[] = {
      REEL_FOUNTAIN_CHARACTER, REEL_FOUNTAIN_DIALOGUE, REEL_FOUNTAIN_TRANSITION,
      REEL_FOUNTAIN_SCENE_HEADING, REEL_FOUNTAIN_ACTION,
    };
    static const char * const texts[] = {
      "COGNITO", "Everyone is coming after you!", "CUT TO:", "EXT. PALATIAL MANSION - DAY",
      "An EXTREMELY long driveway.",
    };

    ASSERT_KINDS ("\nCOGNITO\nEveryone is coming after you!\n\nCUT TO:\n/*\n"
                  "INT. GARAGE - DAY\n\nBRICK and STEEL get into the car.\n\nBRICK\n"
                  "This is everybody.\n\nCUT TO:\n*/\nEXT. PALATIAL MANSION - DAY\n\n"
                  "An EXTREMELY long driveway.\n", kinds, texts);
  }

  /* One line of boneyard between them, and none of the blank lines. */
  {
    static const ReelFountainKind kinds[] = {
      REEL_FOUNTAIN_TRANSITION, REEL_FOUNTAIN_SCENE_HEADING, REEL_FOUNTAIN_ACTION,
    };
    static const char * const texts[] = { "SMASH CUT TO:", "INT. HOUSE - DAY", "Quiet." };

    ASSERT_KINDS ("\nSMASH CUT TO:\n/* the old ending */\nINT. HOUSE - DAY\n\nQuiet.\n",
                  kinds, texts);
  }

  /* Inside a speech, a removed line leaves the speech whole. */
  {
    static const ReelFountainKind kinds[] = {
      REEL_FOUNTAIN_CHARACTER, REEL_FOUNTAIN_DIALOGUE, REEL_FOUNTAIN_DIALOGUE,
    };
    static const char * const texts[] = { "BRICK", "First line.", "Third line." };

    ASSERT_KINDS ("\nBRICK\nFirst line.\n/* Second line. */\nThird line.\n", kinds, texts);
  }

  /* A boneyard above the title page does not hide it. */
  {
    g_autoptr(ReelFountainDocument) document =
      reel_fountain_document_parse ("/* draft 3 */\nTitle: Brick & Steel\n/* old credit */\n"
                                    "Author: Stu Maschwitz\n\nEXT. STREET - DAY\n");

    g_assert_cmpstr (reel_fountain_document_lookup_title (document, "title"), ==,
                     "Brick & Steel");
    g_assert_cmpstr (reel_fountain_document_lookup_title (document, "author"), ==,
                     "Stu Maschwitz");
  }
}

/* Notes, centred text and the forced elements of the syntax page. */
static void
test_syntax_page (void)
{
  {
    static const ReelFountainKind kinds[] = {
      REEL_FOUNTAIN_SCENE_HEADING, REEL_FOUNTAIN_ACTION, REEL_FOUNTAIN_CHARACTER,
      REEL_FOUNTAIN_DIALOGUE, REEL_FOUNTAIN_TRANSITION, REEL_FOUNTAIN_LYRIC,
      REEL_FOUNTAIN_CENTERED,
    };
    static const char * const texts[] = {
      "SNIPER SCOPE POV", "SCANNING THE AISLES...", "McCLANE", "Yippee ki-yay!",
      "Burn to White.", "Willy Wonka! The amazing chocolatier!", "THE END",
    };

    ASSERT_KINDS ("\n.SNIPER SCOPE POV\n\n!SCANNING THE AISLES...\n\n@McCLANE\n"
                  "Yippee ki-yay!\n\n> Burn to White.\n\n"
                  "~Willy Wonka! The amazing chocolatier!\n\n> THE END <\n",
                  kinds, texts);
  }

  /* A note inside action, and one over several lines kept together by a line of two
   * spaces: gone, the action around it kept. */
  {
    static const ReelFountainKind kinds[] = { REEL_FOUNTAIN_ACTION, REEL_FOUNTAIN_ACTION };
    static const char * const texts[] = {
      "He dialed.", "The phone RINGS. Scott pauses."
    };

    ASSERT_KINDS ("\nHe dialed.[[It was supposed to be Vietnam.]]\n\n"
                  "The phone RINGS. Scott pauses.[[This section needs work.\n"
                  "Either that, or I need coffee.\n  \nDefinitely coffee.]]\n",
                  kinds, texts);
  }

  /* ".." is not a forced heading, "INT" must be followed by a dot or a space, and an
   * all-capitals line ending in "TO:" without blank lines around it is a character. */
  {
    static const ReelFountainKind kinds[] = {
      REEL_FOUNTAIN_ACTION, REEL_FOUNTAIN_ACTION, REEL_FOUNTAIN_CHARACTER, REEL_FOUNTAIN_DIALOGUE,
    };
    static const char * const texts[] = {
      "...and then nothing.", "INTERCUT the two calls.", "GO TO:", "Now.",
    };

    ASSERT_KINDS ("\n...and then nothing.\n\nINTERCUT the two calls.\n\nGO TO:\nNow.\n",
                  kinds, texts);
  }
}

/* Headings written with dashes after INT/EXT, and scripts without any heading. */
static void
test_heading_forms (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelProject) dashes =
    reel_fountain_import_from_string ("\nINT - HOUSE - DAY\n\nA kettle.\n\n"
                                      "EXT – BEACH – NIGHT\n\nWaves.\n\n"
                                      "I/E - CAR - MOVING\n\nRain.\n", -1, &error);
  g_autoptr(ReelProject) headless = NULL;
  g_autoptr(ReelProject) title_only = NULL;
  ReelScene *scene;

  g_assert_no_error (error);
  assert_scene (dashes, 0, "1", REEL_INT_EXT_INT, "HOUSE", "DAY", 1);
  assert_scene (dashes, 1, "2", REEL_INT_EXT_EXT, "BEACH", "NIGHT", 1);
  assert_scene (dashes, 2, "3", REEL_INT_EXT_INT_EXT, "CAR", "MOVING", 1);

  /* Action and dialogue but no heading: one scene, no INT/EXT invented. */
  headless = reel_fountain_import_from_string ("The sea at night.\n\nMAYA\nWho's there?\n",
                                               -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_project_get_n_scenes (headless), ==, 1);
  scene = reel_project_get_scene (headless, 0);
  g_assert_cmpint (reel_scene_get_int_ext (scene), ==, REEL_INT_EXT_NONE);
  g_assert_cmpstr (reel_scene_get_heading (scene), ==, "");
  g_assert_cmpstr (reel_shot_get_description (get_shot (headless, 0, 0)), ==,
                   "The sea at night.");
  g_assert_cmpstr (reel_shot_get_dialogue (get_shot (headless, 0, 0)), ==, "MAYA: Who's there?");

  /* A title page alone: the same. */
  title_only = reel_fountain_import_from_string ("Title: Nothing Yet\nAuthor: Me\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_project_get_n_scenes (title_only), ==, 1);
  scene = reel_project_get_scene (title_only, 0);
  g_assert_cmpint (reel_scene_get_int_ext (scene), ==, REEL_INT_EXT_NONE);
  g_assert_cmpstr (reel_scene_get_heading (scene), ==, "");
}

/* The file reading Fountain shares with Final Draft import: a huge file is refused before
 * it is read, a missing one is named, and an untitled script takes the file's name. */
static void
test_file_reading (void)
{
  g_autofree char *dir = storage_test_make_dir ("fountain-files");
  g_autofree char *huge_path = g_build_filename (dir, "huge.fountain", NULL);
  g_autofree char *plain_path = g_build_filename (dir, "Night Ferry.fountain", NULL);
  g_autoptr(GFile) huge = g_file_new_for_path (huge_path);
  g_autoptr(GFile) plain = g_file_new_for_path (plain_path);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GFile) missing = g_file_get_child (folder, "gone.fountain");
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelProject) project = NULL;

  /* A sparse file: large on paper, nothing on the disk. */
  stream = g_file_replace (huge, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (G_OUTPUT_STREAM (stream), "INT. HOUSE\n\n", 13,
                                            NULL, NULL, &error));
  g_assert_true (g_seekable_truncate (G_SEEKABLE (stream), REEL_FOUNTAIN_MAX_SIZE + 1, NULL,
                                      &error));
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error));
  g_assert_no_error (error);

  project = reel_fountain_import (huge, &error);
  g_assert_null (project);
  g_assert_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_INVALID_SCRIPT);
  g_assert_nonnull (strstr (error->message, "too large"));
  g_assert_nonnull (strstr (error->message, "huge.fountain"));
  g_clear_error (&error);

  project = reel_fountain_import (missing, &error);
  g_assert_null (project);
  g_assert_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (plain_path, "EXT. PIER - NIGHT\n\nThe ferry docks.\n",
                                      -1, &error));
  project = reel_fountain_import (plain, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reel_project_get_title (project), ==, "Night Ferry");
  g_assert_false (reel_project_get_modified (project));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fountain/lighthouse", test_lighthouse);
  g_test_add_func ("/fountain/windows-line-ends", test_windows_line_ends);
  g_test_add_func ("/fountain/windows-1252", test_windows_1252);
  g_test_add_func ("/fountain/unterminated", test_unterminated);
  g_test_add_func ("/fountain/title-page-only", test_title_page_only);
  g_test_add_func ("/fountain/errors", test_errors);
  g_test_add_func ("/fountain/elements", test_elements);
  g_test_add_func ("/fountain/boneyard", test_boneyard);
  g_test_add_func ("/fountain/syntax-page", test_syntax_page);
  g_test_add_func ("/fountain/heading-forms", test_heading_forms);
  g_test_add_func ("/fountain/fuzz", test_fuzz);
  g_test_add_func ("/fountain/file-reading", test_file_reading);

  return g_test_run ();
}
