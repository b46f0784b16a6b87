/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "reel-test-project.h"

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              GString    *trace)
{
  g_string_append_printf (trace, "%s ", pspec->name);
}

static void
count_signal (gpointer  instance,
              guint    *counter)
{
  (*counter)++;
}

static int
compare_names (const void *a,
                        const void *b)
{
  return g_ascii_strcasecmp (*(const char * const *) a, *(const char * const *) b);
}

static void
test_shot_defaults (void)
{
  g_autoptr(ReelShot) shot = reel_shot_new ();
  g_autoptr(ReelShot) other = reel_shot_new ();

  g_assert_nonnull (reel_shot_get_id (shot));
  g_assert_true (g_uuid_string_is_valid (reel_shot_get_id (shot)));
  g_assert_cmpstr (reel_shot_get_id (shot), !=, reel_shot_get_id (other));
  g_assert_cmpstr (reel_shot_get_number (shot), ==, "");
  g_assert_cmpstr (reel_shot_get_size (shot), ==, "ms");
  g_assert_cmpstr (reel_shot_get_framing (shot), ==, "single");
  g_assert_cmpstr (reel_shot_get_angle (shot), ==, "eye_level");
  g_assert_cmpstr (reel_shot_get_movement (shot), ==, "static");
  g_assert_cmpstr (reel_shot_get_status (shot), ==, "todo");
  g_assert_cmpfloat (reel_shot_get_lens_mm (shot), ==, 35);
  g_assert_cmpfloat (reel_shot_get_camera_height_m (shot), ==, 1.6);
  g_assert_cmpint (reel_shot_get_duration (shot), ==, 48);
  g_assert_null (reel_shot_get_background (shot));
  g_assert_null (reel_shot_get_plate (shot));
  g_assert_nonnull (reel_shot_get_sketch (shot));
  g_assert_cmpuint (reel_shot_get_n_variants (shot), ==, 0);
  g_assert_nonnull (reel_shot_get_variants (shot));
  g_assert_cmpuint (reel_shot_get_n_generations (shot), ==, 0);
  g_assert_null (reel_shot_get_scene (shot));

  /* Super 35 at 35 mm. */
  g_assert_cmpfloat_with_epsilon (reel_shot_get_field_of_view (shot, "super35"), 39.1, 0.05);
  g_assert_cmpfloat_with_epsilon (reel_shot_get_field_of_view (shot, NULL), 39.1, 0.05);
}

static void
test_shot_properties (void)
{
  g_autoptr(ReelShot) shot = reel_shot_new_with_id ("shot-1");
  g_autoptr(GString) trace = g_string_new (NULL);
  g_autofree char *description = NULL;
  g_auto(GStrv) variants = NULL;
  static const char * const hashes[] = { "h1", "h2", NULL };
  double lens;
  gint64 duration;

  g_assert_cmpstr (reel_shot_get_id (shot), ==, "shot-1");
  g_signal_connect (shot, "notify", G_CALLBACK (count_notify), trace);

  g_object_set (shot,
                "number", "12A",
                "description", "Maya runs",
                "lens-mm", 85.0,
                "duration", (gint64) 60,
                "variants", hashes,
                NULL);
  /* g_object_set() batches notifications in an order of its own. */
  {
    g_auto(GStrv) names = g_strsplit (g_strstrip (trace->str), " ", -1);
    g_autofree char *sorted = NULL;

    qsort (names, g_strv_length (names), sizeof (char *), compare_names);
    sorted = g_strjoinv (" ", names);
    g_assert_cmpstr (sorted, ==, "description duration lens-mm number variants");
  }

  /* Setting the same value again notifies nothing. */
  g_string_truncate (trace, 0);
  reel_shot_set_number (shot, "12A");
  reel_shot_set_lens_mm (shot, 85);
  reel_shot_set_variants (shot, hashes);
  g_assert_cmpstr (trace->str, ==, "");

  g_object_get (shot, "description", &description, "lens-mm", &lens, "duration", &duration,
                "variants", &variants, NULL);
  g_assert_cmpstr (description, ==, "Maya runs");
  g_assert_cmpfloat (lens, ==, 85);
  g_assert_cmpint (duration, ==, 60);
  g_assert_true (g_strv_equal ((const char * const *) variants, hashes));

  /* NULL strings are stored as empty ones; the background may be NULL. */
  reel_shot_set_dialogue (shot, NULL);
  g_assert_cmpstr (reel_shot_get_dialogue (shot), ==, "");
  reel_shot_set_background (shot, "h1");
  g_assert_cmpstr (reel_shot_get_background (shot), ==, "h1");
  reel_shot_set_background (shot, "");
  g_assert_null (reel_shot_get_background (shot));

  /* Nonsense values are brought back into range. */
  reel_shot_set_duration (shot, 0);
  g_assert_cmpint (reel_shot_get_duration (shot), ==, 1);
  reel_shot_set_lens_mm (shot, -5);
  g_assert_cmpfloat (reel_shot_get_lens_mm (shot), ==, 1);
}

static void
test_shot_lists (void)
{
  g_autoptr(ReelShot) shot = reel_shot_new ();

  g_assert_true (reel_shot_insert_variant (shot, -1, "b"));
  g_assert_true (reel_shot_insert_variant (shot, 0, "a"));
  g_assert_true (reel_shot_insert_variant (shot, 99, "c"));
  g_assert_false (reel_shot_insert_variant (shot, 0, "b"));
  {
    g_autofree char *joined = g_strjoinv (",", (char **) reel_shot_get_variants (shot));
    g_assert_cmpstr (joined, ==, "a,b,c");
  }
  g_assert_cmpint (reel_shot_find_variant (shot, "c"), ==, 2);
  g_assert_cmpint (reel_shot_find_variant (shot, "z"), ==, -1);
  g_assert_true (reel_shot_remove_variant (shot, "b"));
  g_assert_false (reel_shot_remove_variant (shot, "b"));
  g_assert_cmpuint (reel_shot_get_n_variants (shot), ==, 2);
  g_assert_cmpstr (reel_shot_get_variants (shot)[1], ==, "c");

  reel_shot_add_generation (shot, "x");
  reel_shot_add_generation (shot, "y");
  reel_shot_add_generation (shot, "x");
  g_assert_cmpuint (reel_shot_get_n_generations (shot), ==, 3);
  g_assert_true (reel_shot_remove_generation (shot, "x"));
  g_assert_cmpstr (reel_shot_get_generations (shot)[0], ==, "x");
  g_assert_cmpstr (reel_shot_get_generations (shot)[1], ==, "y");
  g_assert_null (reel_shot_get_generations (shot)[2]);
  g_assert_false (reel_shot_remove_generation (shot, "z"));
}

static void
test_shot_equality (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (reel_test_seed (3));
  g_autoptr(ReelProject) project = reel_test_project_random (5, 1, 1, 0);
  g_autoptr(ReelShot) shot = reel_test_random_shot (rand, project, 10);
  g_autoptr(ReelShot) copy = reel_shot_copy (shot);
  g_autoptr(ReelShot) duplicate = reel_shot_duplicate (shot);
  static const char * const string_properties[] = {
    "number", "description", "dialogue", "notes", "cast", "size", "framing", "angle",
    "movement", "status", "vfx-notes", "background",
  };

  g_assert_true (reel_shot_equal (shot, copy));
  g_assert_cmpstr (reel_shot_get_id (copy), ==, reel_shot_get_id (shot));
  g_assert_true (reel_shot_get_sketch (copy) != reel_shot_get_sketch (shot));
  g_assert_cmpstr (reel_shot_get_id (duplicate), !=, reel_shot_get_id (shot));
  g_assert_false (reel_shot_equal (shot, duplicate));

  /* Every field takes part. */
  for (guint i = 0; i < G_N_ELEMENTS (string_properties); i++)
    {
      g_autoptr(ReelShot) changed = reel_shot_copy (shot);

      g_object_set (changed, string_properties[i], "something else entirely", NULL);
      g_assert_false (reel_shot_equal (shot, changed));
    }

#define DIFFERS(...)                                           \
  G_STMT_START {                                                \
    g_autoptr(ReelShot) changed = reel_shot_copy (shot);        \
    __VA_ARGS__;                                                       \
    g_assert_false (reel_shot_equal (shot, changed));           \
  } G_STMT_END

  DIFFERS (reel_shot_set_lens_mm (changed, reel_shot_get_lens_mm (shot) + 1e-9));
  DIFFERS (reel_shot_set_camera_height_m (changed, reel_shot_get_camera_height_m (shot) + 1));
  DIFFERS (reel_shot_set_duration (changed, reel_shot_get_duration (shot) + 1));
  DIFFERS (reel_shot_insert_variant (changed, 0, "new"));
  DIFFERS (reel_shot_add_generation (changed, "new"));
  DIFFERS (reel_sketch_set_layer_opacity (reel_shot_get_sketch (changed), "notes", 0.123));
  DIFFERS (reel_sketch_clear (reel_shot_get_sketch (changed)));
  DIFFERS ({
    g_autoptr(ReelPlate) plate = reel_plate_new ("other.mov");
    reel_shot_set_plate (changed, plate);
  });
  if (reel_shot_get_plate (shot) != NULL)
    DIFFERS (reel_plate_set_spill (reel_shot_get_plate (changed),
                                   reel_plate_get_spill (reel_shot_get_plate (shot)) / 2 + 0.01));
#undef DIFFERS

  /* The copy's plate is its own. */
  if (reel_shot_get_plate (shot) != NULL)
    g_assert_true (reel_shot_get_plate (copy) != reel_shot_get_plate (shot));
}

static void
test_scene_heading (void)
{
  g_autoptr(ReelScene) scene = reel_scene_new ();
  g_autoptr(GString) trace = g_string_new (NULL);
  g_autofree char *built = NULL;

  g_signal_connect (scene, "notify::heading", G_CALLBACK (count_notify), trace);

  g_assert_cmpint (reel_scene_get_int_ext (scene), ==, REEL_INT_EXT_INT);
  g_assert_cmpstr (reel_scene_get_heading (scene), ==, "INT.");

  reel_scene_set_int_ext (scene, REEL_INT_EXT_EXT);
  reel_scene_set_location (scene, "HARBOUR");
  reel_scene_set_time_of_day (scene, "DAWN");
  g_assert_cmpstr (reel_scene_get_heading (scene), ==, "EXT. HARBOUR - DAWN");
  built = reel_scene_build_heading (scene);
  g_assert_cmpstr (built, ==, "EXT. HARBOUR - DAWN");
  g_assert_cmpstr (trace->str, ==, "heading heading heading ");

  reel_scene_set_time_of_day (scene, "");
  g_assert_cmpstr (reel_scene_get_heading (scene), ==, "EXT. HARBOUR");

  reel_scene_set_int_ext (scene, REEL_INT_EXT_INT_EXT);
  reel_scene_set_time_of_day (scene, "CONTINUOUS");
  g_assert_cmpstr (reel_scene_get_heading (scene), ==, "INT./EXT. HARBOUR - CONTINUOUS");

  reel_scene_set_int_ext (scene, REEL_INT_EXT_NONE);
  reel_scene_set_location (scene, "FLASHBACK");
  reel_scene_set_time_of_day (scene, "");
  g_assert_cmpstr (reel_scene_get_heading (scene), ==, "FLASHBACK");

  /* Setting the synopsis does not touch the heading. */
  g_string_truncate (trace, 0);
  reel_scene_set_synopsis (scene, "They meet.");
  g_assert_cmpstr (trace->str, ==, "");
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GString    *trace)
{
  g_string_append_printf (trace, "%u-%u+%u ", position, removed, added);
}

static void
test_scene_shots (void)
{
  g_autoptr(ReelScene) scene = reel_scene_new ();
  g_autoptr(GString) trace = g_string_new (NULL);
  ReelShot *shots[4];
  g_autoptr(ReelShot) removed = NULL;
  guint position;

  g_signal_connect (reel_scene_get_shots (scene), "items-changed",
                    G_CALLBACK (items_changed_cb), trace);
  g_assert_true (g_list_model_get_item_type (reel_scene_get_shots (scene)) == REEL_TYPE_SHOT);

  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    {
      shots[i] = reel_shot_new ();
      reel_shot_set_duration (shots[i], 10 * (i + 1));
      reel_scene_append_shot (scene, shots[i]);
      g_object_unref (shots[i]);   /* the scene holds them */
    }

  g_assert_cmpstr (trace->str, ==, "0-0+1 1-0+1 2-0+1 3-0+1 ");
  g_assert_cmpuint (reel_scene_get_n_shots (scene), ==, 4);
  g_assert_cmpint (reel_scene_get_duration (scene), ==, 100);
  g_assert_true (reel_shot_get_scene (shots[2]) == scene);
  g_assert_true (reel_scene_find_shot (scene, shots[2], &position));
  g_assert_cmpuint (position, ==, 2);
  g_assert_null (reel_scene_get_shot (scene, 4));

  g_string_truncate (trace, 0);
  reel_scene_move_shot (scene, 0, 3);
  g_assert_true (reel_scene_get_shot (scene, 3) == shots[0]);
  g_assert_true (reel_scene_get_shot (scene, 0) == shots[1]);
  g_assert_cmpstr (trace->str, ==, "0-1+0 3-0+1 ");

  removed = reel_scene_remove_shot (scene, 3);
  g_assert_true (removed == shots[0]);
  g_assert_null (reel_shot_get_scene (removed));
  g_assert_false (reel_scene_find_shot (scene, removed, NULL));
  g_assert_cmpint (reel_scene_get_duration (scene), ==, 90);

  reel_scene_insert_shot (scene, 0, removed);
  g_assert_true (reel_scene_get_shot (scene, 0) == removed);
}

static void
test_renumber (void)
{
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(ReelScene) first = reel_scene_new ();
  g_autoptr(ReelScene) scene = reel_scene_new ();
  g_autoptr(GString) all = g_string_new (NULL);

  reel_project_append_scene (project, first);
  reel_project_append_scene (project, scene);
  for (guint i = 0; i < 30; i++)
    {
      g_autoptr(ReelShot) shot = reel_shot_new ();

      reel_scene_append_shot (scene, shot);
    }

  reel_scene_set_number (scene, "12");
  reel_scene_renumber (scene, REEL_NUMBERING_SCENE_LETTER);
  for (guint i = 0; i < 30; i++)
    {
      const char *number = reel_shot_get_number (reel_scene_get_shot (scene, i));

      g_string_append_printf (all, "%s ", number);
      g_assert_true (g_str_has_prefix (number, "12"));
      /* I, O and Q read as 1, 0 and O on a slate. */
      g_assert_null (strpbrk (number + 2, "IOQ"));
    }
  g_assert_cmpstr (all->str, ==,
                   "12A 12B 12C 12D 12E 12F 12G 12H 12J 12K 12L 12M 12N 12P 12R 12S 12T 12U "
                   "12V 12W 12X 12Y 12Z 12AA 12AB 12AC 12AD 12AE 12AF 12AG ");

  reel_scene_renumber (scene, REEL_NUMBERING_SEQUENTIAL);
  g_assert_cmpstr (reel_shot_get_number (reel_scene_get_shot (scene, 0)), ==, "1");
  g_assert_cmpstr (reel_shot_get_number (reel_scene_get_shot (scene, 29)), ==, "30");

  reel_scene_renumber (scene, REEL_NUMBERING_SCENE_DASH);
  g_assert_cmpstr (reel_shot_get_number (reel_scene_get_shot (scene, 1)), ==, "12-2");

  /* Without a scene number, the scene's place in the project stands in. */
  reel_scene_set_number (scene, "");
  reel_scene_renumber (scene, REEL_NUMBERING_SCENE_LETTER);
  g_assert_cmpstr (reel_shot_get_number (reel_scene_get_shot (scene, 2)), ==, "2C");

  {
    g_autofree char *a = reel_shot_number_letters (0);
    g_autofree char *h = reel_shot_number_letters (7);
    g_autofree char *j = reel_shot_number_letters (8);
    g_autofree char *z = reel_shot_number_letters (22);
    g_autofree char *aa = reel_shot_number_letters (23);
    g_autofree char *zz = reel_shot_number_letters (23 + 23 * 23 - 1);
    g_autofree char *aaa = reel_shot_number_letters (23 + 23 * 23);

    g_assert_cmpstr (a, ==, "A");
    g_assert_cmpstr (h, ==, "H");
    g_assert_cmpstr (j, ==, "J");
    g_assert_cmpstr (z, ==, "Z");
    g_assert_cmpstr (aa, ==, "AA");
    g_assert_cmpstr (zz, ==, "ZZ");
    g_assert_cmpstr (aaa, ==, "AAA");
  }
}

static void
test_project_basics (void)
{
  g_autoptr(ReelProject) project = reel_project_new ();
  g_auto(GStrv) keys = NULL;
  g_autofree char *scope = reel_aspect_ratio_dup_label (2.39);
  g_autofree char *odd = reel_aspect_ratio_dup_label (1.5);
  guint n_ratios;
  const ReelAspectRatio *ratios = reel_aspect_ratio_get_standard (&n_ratios);
  static const double expected_ratios[] = { 2.39, 2.0, 1.85, 1.78, 1.33, 1.0, 0.5625 };
  ReelFrameRate rate;

  g_assert_false (reel_project_get_modified (project));
  g_assert_cmpstr (reel_project_get_title (project), ==, "");
  rate = reel_project_get_frame_rate (project);
  g_assert_cmpint (rate.num, ==, 24);
  g_assert_cmpint (rate.den, ==, 1);
  g_assert_cmpfloat (reel_project_get_aspect_ratio (project), ==, 1.78);
  g_assert_cmpstr (reel_project_get_sensor (project), ==, "super35");
  g_assert_null (reel_project_get_look_image (project));
  g_assert_nonnull (reel_project_get_history (project));

  reel_project_set_frame_rate (project, REEL_FRAME_RATE_INIT (24000, 1001));
  g_assert_cmpint (reel_project_get_frame_rate (project).num, ==, 24000);
  g_assert_true (reel_project_get_modified (project));

  g_assert_cmpuint (n_ratios, ==, G_N_ELEMENTS (expected_ratios));
  for (guint i = 0; i < n_ratios; i++)
    g_assert_cmpfloat (ratios[i].value, ==, expected_ratios[i]);
  g_assert_nonnull (strstr (scope, "2.39"));
  g_assert_cmpstr (odd, ==, "1.50:1");

  reel_project_set_metadata (project, REEL_METADATA_AUTHOR, "Ana");
  reel_project_set_metadata (project, REEL_METADATA_DRAFT_DATE, "2024-05-01");
  reel_project_set_metadata (project, REEL_METADATA_CONTACT, "ana@example.org\n+1 555");
  reel_project_set_metadata (project, REEL_METADATA_AUTHOR, "Ana B.");
  reel_project_set_metadata (project, REEL_METADATA_DRAFT_DATE, NULL);
  keys = reel_project_list_metadata_keys (project);
  g_assert_cmpuint (g_strv_length (keys), ==, 2);
  g_assert_cmpstr (keys[0], ==, "author");
  g_assert_cmpstr (keys[1], ==, "contact");
  g_assert_cmpstr (reel_project_get_metadata (project, "author"), ==, "Ana B.");
  g_assert_null (reel_project_get_metadata (project, "draft_date"));
}

static void
test_project_find (void)
{
  g_autoptr(ReelProject) project = reel_test_project_random (reel_test_seed (21), 4, 6, 0);
  ReelScene *scene2 = reel_project_get_scene (project, 2);
  ReelShot *shot = reel_scene_get_shot (scene2, 3);
  g_autofree char *id = g_strdup (reel_shot_get_id (shot));
  g_autoptr(ReelShot) removed = NULL;
  ReelScene *found_scene = NULL;
  guint position = 99;
  gint64 total = 0;

  g_assert_cmpuint (reel_project_get_n_scenes (project), ==, 4);
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 24);
  g_assert_true (reel_scene_get_project (scene2) == project);

  g_assert_true (reel_project_find_shot (project, id, &found_scene, &position) == shot);
  g_assert_true (found_scene == scene2);
  g_assert_cmpuint (position, ==, 3);
  g_assert_null (reel_project_find_shot (project, "no such shot", NULL, NULL));
  g_assert_null (reel_project_find_shot (project, NULL, NULL, NULL));

  /* Moves and removals are seen at once. */
  reel_scene_move_shot (scene2, 3, 0);
  g_assert_true (reel_project_find_shot (project, id, NULL, &position) == shot);
  g_assert_cmpuint (position, ==, 0);

  removed = reel_scene_remove_shot (scene2, 0);
  g_assert_null (reel_project_find_shot (project, id, NULL, NULL));
  reel_scene_append_shot (reel_project_get_scene (project, 0), removed);
  g_assert_true (reel_project_find_shot (project, id, &found_scene, &position) == shot);
  g_assert_true (found_scene == reel_project_get_scene (project, 0));
  g_assert_cmpuint (position, ==, 6);

  g_assert_true (reel_project_find_scene (project, reel_scene_get_id (scene2), &position)
                 == scene2);
  g_assert_cmpuint (position, ==, 2);
  g_assert_null (reel_project_find_scene (project, "nope", NULL));

  for (guint i = 0; i < 4; i++)
    for (guint j = 0; j < reel_scene_get_n_shots (reel_project_get_scene (project, i)); j++)
      total += reel_shot_get_duration (reel_scene_get_shot (reel_project_get_scene (project, i),
                                                            j));
  g_assert_cmpint (reel_project_get_duration (project), ==, total);
}

static void
test_revisions (void)
{
  g_autoptr(ReelProject) project = reel_test_project_random (reel_test_seed (8), 2, 3, 2);
  ReelScene *scene = reel_project_get_scene (project, 0);
  ReelScene *other_scene = reel_project_get_scene (project, 1);
  ReelShot *shot = reel_scene_get_shot (scene, 1);
  ReelShot *other_shot = reel_scene_get_shot (scene, 2);
  g_autoptr(ReelStroke) stroke = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autoptr(GString) trace = g_string_new (NULL);
  guint64 shot_rev, scene_rev, project_rev, content_rev, other_rev, other_scene_rev;
  guint changes = 0;

  g_signal_connect (project, "changed", G_CALLBACK (count_signal), &changes);
  g_signal_connect (project, "notify::modified", G_CALLBACK (count_notify), trace);
  g_assert_false (reel_project_get_modified (project));

#define SNAPSHOT()                                              \
  shot_rev = reel_shot_get_revision (shot);                     \
  other_rev = reel_shot_get_revision (other_shot);              \
  scene_rev = reel_scene_get_revision (scene);                  \
  other_scene_rev = reel_scene_get_revision (other_scene);      \
  project_rev = reel_project_get_revision (project);            \
  content_rev = reel_project_get_content_revision (project)

  /* A field of a shot: that shot and the project's content, nothing else. */
  SNAPSHOT ();
  reel_shot_set_notes (shot, "new notes");
  g_assert_cmpuint (reel_shot_get_revision (shot), >, shot_rev);
  g_assert_cmpuint (reel_shot_get_revision (other_shot), ==, other_rev);
  g_assert_cmpuint (reel_scene_get_revision (scene), ==, scene_rev);
  g_assert_cmpuint (reel_project_get_revision (project), ==, project_rev);
  g_assert_cmpuint (reel_project_get_content_revision (project), ==, reel_shot_get_revision (shot));
  g_assert_cmpuint (changes, ==, 1);
  g_assert_true (reel_project_get_modified (project));
  g_assert_cmpstr (trace->str, ==, "modified ");

  /* A stroke counts as a change of its shot. */
  SNAPSHOT ();
  stroke = reel_test_random_stroke (rand);
  reel_sketch_append_stroke (reel_shot_get_sketch (shot), REEL_LAYER_SKETCH, stroke);
  g_assert_cmpuint (reel_shot_get_revision (shot), >, shot_rev);
  g_assert_cmpuint (reel_project_get_content_revision (project), >, content_rev);
  g_assert_cmpuint (changes, ==, 2);
  /* "modified" is only notified when it flips. */
  g_assert_cmpstr (trace->str, ==, "modified ");

  /* So does a setting of its plate. */
  {
    g_autoptr(ReelPlate) plate = reel_plate_new ("a.mov");

    reel_shot_set_plate (shot, plate);
    SNAPSHOT ();
    reel_plate_set_similarity (plate, 0.77);
    g_assert_cmpuint (reel_shot_get_revision (shot), >, shot_rev);
    g_assert_cmpuint (reel_project_get_content_revision (project), >, content_rev);
  }

  /* Reordering shots is a change of the scene, not of the shots. */
  SNAPSHOT ();
  reel_scene_move_shot (scene, 2, 0);
  g_assert_cmpuint (reel_scene_get_revision (scene), >, scene_rev);
  g_assert_cmpuint (reel_shot_get_revision (shot), ==, shot_rev);
  g_assert_cmpuint (reel_shot_get_revision (other_shot), ==, other_rev);
  g_assert_cmpuint (reel_scene_get_revision (other_scene), ==, other_scene_rev);
  g_assert_cmpuint (reel_project_get_content_revision (project), >, content_rev);

  /* Scene fields: the scene. Project fields, scene order, assets: the project. */
  SNAPSHOT ();
  reel_scene_set_location (other_scene, "ROOF");
  g_assert_cmpuint (reel_scene_get_revision (other_scene), >, other_scene_rev);
  g_assert_cmpuint (reel_project_get_revision (project), ==, project_rev);

  SNAPSHOT ();
  reel_project_move_scene (project, 1, 0);
  g_assert_cmpuint (reel_project_get_revision (project), >, project_rev);
  g_assert_cmpuint (reel_scene_get_revision (scene), ==, scene_rev);

  SNAPSHOT ();
  reel_project_set_metadata (project, "author", "someone new");
  g_assert_cmpuint (reel_project_get_revision (project), >, project_rev);

  SNAPSHOT ();
  {
    g_autoptr(ReelAsset) asset = reel_test_random_asset (rand, TRUE);

    reel_project_add_asset (project, asset);
    g_assert_cmpuint (reel_project_get_revision (project), >, project_rev);
  }

  /* Saving: not modified, and every stamp in the project is at most the saved one. */
  g_string_truncate (trace, 0);
  reel_project_mark_saved (project);
  g_assert_false (reel_project_get_modified (project));
  g_assert_cmpstr (trace->str, ==, "modified ");
  g_assert_cmpuint (reel_project_get_saved_revision (project), >=, reel_shot_get_revision (shot));
  g_assert_cmpuint (reel_project_get_saved_revision (project), >=, reel_scene_get_revision (scene));
  g_assert_cmpuint (reel_revision_current (), >=, reel_project_get_saved_revision (project));

  /* Nothing happens when nothing changes. */
  SNAPSHOT ();
  reel_shot_set_notes (shot, "new notes");
  reel_scene_set_location (other_scene, "ROOF");
  g_assert_cmpuint (reel_shot_get_revision (shot), ==, shot_rev);
  g_assert_cmpuint (reel_scene_get_revision (other_scene), ==, other_scene_rev);
  g_assert_cmpuint (reel_project_get_content_revision (project), ==, content_rev);
  g_assert_false (reel_project_get_modified (project));

  /* A shot taken out of the project no longer touches it. */
  {
    g_autoptr(ReelShot) removed = reel_scene_remove_shot (scene, 0);

    SNAPSHOT ();
    reel_shot_set_notes (removed, "gone");
    g_assert_cmpuint (reel_project_get_content_revision (project), ==, content_rev);
  }
#undef SNAPSHOT
}

static void
test_project_equal_and_copy (void)
{
  for (guint32 seed = 1; seed <= 20; seed++)
    {
      g_autoptr(ReelProject) project = reel_test_project_random (seed, 3, 4, 5);
      g_autoptr(ReelProject) again = reel_test_project_random (seed, 3, 4, 5);
      g_autoptr(ReelProject) other = reel_test_project_random (seed + 1000, 3, 4, 5);
      g_autoptr(ReelProject) copy = reel_project_copy (project);

      g_test_message ("seed %u", seed);

      /* The generator replays exactly. */
      g_assert_true (reel_project_equal (project, again));
      g_assert_false (reel_project_equal (project, other));
      g_assert_true (reel_project_equal (project, copy));
      g_assert_false (reel_project_get_modified (copy));
      g_assert_cmpuint (reel_history_get_n_undo (reel_project_get_history (copy)), ==, 0);
      g_assert_true (reel_project_get_scene (copy, 0) != reel_project_get_scene (project, 0));
    }

  {
    g_autoptr(ReelProject) project = reel_test_project_random (reel_test_seed (99), 2, 2, 3);

#define DIFFERS(...)                                                   \
    G_STMT_START {                                                      \
      g_autoptr(ReelProject) copy = reel_project_copy (project);        \
      __VA_ARGS__;                                                             \
      g_assert_false (reel_project_equal (project, copy));              \
    } G_STMT_END

    DIFFERS (reel_project_set_title (copy, "another title"));
    DIFFERS (reel_project_set_frame_rate (copy, REEL_FRAME_RATE_INIT (7, 3)));
    DIFFERS (reel_project_set_aspect_ratio (copy, 3.1));
    DIFFERS (reel_project_set_sensor (copy, "imax"));
    DIFFERS (reel_project_set_look_phrase (copy, "noir, high contrast"));
    DIFFERS (reel_project_set_look_image (copy, "feed"));
    DIFFERS (reel_project_set_metadata (copy, "new key", ""));
    DIFFERS ({
      g_autoptr(GRand) rand = g_rand_new_with_seed (5);
      g_autoptr(ReelAsset) asset = reel_test_random_asset (rand, FALSE);
      reel_project_add_asset (copy, asset);
    });
    DIFFERS (reel_scene_set_synopsis (reel_project_get_scene (copy, 1), "changed"));
    DIFFERS (reel_scene_set_int_ext (reel_project_get_scene (copy, 1), REEL_INT_EXT_INT_EXT);
             reel_scene_set_int_ext (reel_project_get_scene (project, 1), REEL_INT_EXT_EST));
    DIFFERS (reel_scene_move_shot (reel_project_get_scene (copy, 0), 0, 1));
    DIFFERS (reel_project_move_scene (copy, 0, 1));
    DIFFERS (g_object_unref (reel_scene_remove_shot (reel_project_get_scene (copy, 1), 1)));
    DIFFERS ({
      ReelSketch *sketch = reel_shot_get_sketch (reel_scene_get_shot (reel_project_get_scene (copy, 1), 1));
      ReelStrokePoint point = { 0.5f, 0.5f, 1, 0, 0 };
      g_autoptr(ReelStroke) dot = reel_stroke_new (REEL_TOOL_PEN, NULL, 0.01, &point, 1, NULL);
      reel_sketch_append_stroke (sketch, REEL_LAYER_SKETCH, dot);
    });
#undef DIFFERS
  }
}

static void
test_used_hashes (void)
{
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(ReelScene) scene = reel_scene_new ();
  g_autoptr(ReelShot) shot = reel_shot_new ();
  g_autoptr(ReelGenerationRecord) record = reel_generation_record_new ();
  g_autoptr(GBytes) png = reel_test_make_png (2, 2, 0xff0000ff);
  g_autoptr(ReelAsset) asset = NULL;
  g_autoptr(GHashTable) used = NULL;
  static const char * const inputs[] = { "input-1", NULL };

  record->input_hashes = g_strdupv ((char **) inputs);
  asset = reel_asset_new_generated (png, record, NULL);
  reel_project_add_asset (project, asset);
  reel_project_append_scene (project, scene);
  reel_scene_append_shot (scene, shot);
  reel_shot_set_background (shot, "bg");
  reel_shot_insert_variant (shot, -1, reel_asset_get_hash (asset));
  reel_shot_add_generation (shot, "gen");
  reel_project_set_look_image (project, "look");

  used = reel_project_collect_used_hashes (project);
  g_assert_cmpuint (g_hash_table_size (used), ==, 5);
  g_assert_true (g_hash_table_contains (used, "bg"));
  g_assert_true (g_hash_table_contains (used, "gen"));
  g_assert_true (g_hash_table_contains (used, "look"));
  g_assert_true (g_hash_table_contains (used, reel_asset_get_hash (asset)));
  g_assert_true (g_hash_table_contains (used, "input-1"));
}

static void
test_plate (void)
{
  g_autoptr(ReelPlate) plate = reel_plate_new ("footage/a.mov");
  g_autoptr(ReelPlate) copy = NULL;
  g_autoptr(GString) trace = g_string_new (NULL);

  g_assert_cmpuint (reel_plate_get_key_color (plate), ==, 0x00B140);
  g_assert_cmpfloat (reel_plate_get_similarity (plate), ==, 0.4);
  g_assert_cmpfloat (reel_plate_get_background_scale (plate), ==, 1);
  g_assert_cmpint (reel_plate_get_file_size (plate), ==, -1);
  g_assert_cmpint (reel_plate_get_duration (plate), ==, -1);

  g_signal_connect (plate, "notify", G_CALLBACK (count_notify), trace);
  reel_plate_set_background_offset (plate, 0.25, -0.5);
  reel_plate_set_plate_position (plate, 0.1, 0.1);
  reel_plate_set_key_color (plate, 0x123456);
  reel_plate_set_similarity (plate, 7);   /* clamped */
  reel_plate_set_muted (plate, TRUE);
  {
    g_auto(GStrv) names = g_strsplit (g_strstrip (trace->str), " ", -1);
    g_autofree char *sorted = NULL;

    qsort (names, g_strv_length (names), sizeof (char *), compare_names);
    sorted = g_strjoinv (" ", names);
    g_assert_cmpstr (sorted, ==,
                     "background-x background-y key-color muted plate-x plate-y similarity");
  }
  g_assert_cmpfloat (reel_plate_get_similarity (plate), ==, 1);

  copy = reel_plate_copy (plate);
  g_assert_true (reel_plate_equal (plate, copy));
  reel_plate_set_softness (copy, 0.3);
  g_assert_false (reel_plate_equal (plate, copy));
  g_assert_true (reel_plate_equal (NULL, NULL));
  g_assert_false (reel_plate_equal (plate, NULL));
}

static void
test_plate_paths (void)
{
  g_autoptr(GFile) project_file = g_file_new_for_path ("/films/harbour/board.storyreel");
  static const struct { const char *media; const char *expected; } cases[] = {
    { "/films/harbour/board-footage/take1.mov", "board-footage/take1.mov" },
    { "/films/harbour/take1.mov", "take1.mov" },
    { "/films/scouting/roof.mp4", "../scouting/roof.mp4" },
    { "/films/a/b/c/deep.mov", "../a/b/c/deep.mov" },
    /* Only the root in common: absolute. */
    { "/media/usb/plate.mov", "/media/usb/plate.mov" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GFile) media = g_file_new_for_path (cases[i].media);
      g_autofree char *relative = reel_plate_make_relative_path (project_file, media);
      g_autoptr(ReelPlate) plate = reel_plate_new (relative);
      g_autoptr(GFile) resolved = reel_plate_resolve (plate, project_file);

      g_assert_cmpstr (relative, ==, cases[i].expected);
      g_assert_true (g_file_equal (resolved, media));
    }

  /* The link follows the project when both move together. */
  {
    g_autoptr(ReelPlate) plate = reel_plate_new ("../scouting/roof.mp4");
    g_autoptr(GFile) moved_project = g_file_new_for_path ("/backup/films/harbour/board.storyreel");
    g_autoptr(GFile) resolved = reel_plate_resolve (plate, moved_project);
    g_autofree char *path = g_file_get_path (resolved);

    g_assert_cmpstr (path, ==, "/backup/films/scouting/roof.mp4");
  }
}

static char *
write_file (const char *dir,
            const char *name,
            GBytes     *bytes)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);

  return path;
}

static char *
hash_of (const char *path,
         gint64     *size)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  char *hash = reel_plate_compute_file_hash (file, size, NULL, &error);

  g_assert_no_error (error);
  return hash;
}

static void
test_plate_file_hash (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("storyreel-plate-XXXXXX", &error);
  gsize big_size = 5 * 1024 * 1024 + 123;
  g_autofree guint8 *data = g_malloc (big_size);
  g_autoptr(GBytes) big = NULL;
  g_autoptr(GBytes) small = g_bytes_new_static ("a tiny file", 11);
  g_autofree char *big_path = NULL, *middle_path = NULL, *head_path = NULL, *tail_path = NULL;
  g_autofree char *small_path = NULL, *small_path2 = NULL;
  g_autofree char *big_hash = NULL, *middle_hash = NULL, *head_hash = NULL, *tail_hash = NULL;
  g_autofree char *small_hash = NULL, *small_hash2 = NULL;
  gint64 size = 0;

  g_assert_no_error (error);
  for (gsize i = 0; i < big_size; i++)
    data[i] = (guint8) (i * 2654435761u >> 13);

  big = g_bytes_new (data, big_size);
  big_path = write_file (dir, "big.mov", big);
  big_hash = hash_of (big_path, &size);
  g_assert_cmpint (size, ==, (gint64) big_size);
  g_assert_cmpuint (strlen (big_hash), ==, 64);

  /* Documented trade-off: the middle of a big file is not read … */
  data[big_size / 2] ^= 0xff;
  {
    g_autoptr(GBytes) middle = g_bytes_new (data, big_size);
    middle_path = write_file (dir, "middle.mov", middle);
  }
  middle_hash = hash_of (middle_path, NULL);
  g_assert_cmpstr (middle_hash, ==, big_hash);

  /* … but its first and last MiB and its size are. */
  data[10] ^= 0xff;
  {
    g_autoptr(GBytes) head = g_bytes_new (data, big_size);
    head_path = write_file (dir, "head.mov", head);
  }
  head_hash = hash_of (head_path, NULL);
  g_assert_cmpstr (head_hash, !=, big_hash);
  data[10] ^= 0xff;
  data[big_size - 10] ^= 0xff;
  {
    g_autoptr(GBytes) tail = g_bytes_new (data, big_size - 1);
    tail_path = write_file (dir, "tail.mov", tail);
  }
  tail_hash = hash_of (tail_path, NULL);
  g_assert_cmpstr (tail_hash, !=, big_hash);

  /* A small file is hashed whole: the same content anywhere has the same hash. */
  small_path = write_file (dir, "small.mov", small);
  small_path2 = write_file (dir, "renamed.mov", small);
  small_hash = hash_of (small_path, &size);
  small_hash2 = hash_of (small_path2, NULL);
  g_assert_cmpint (size, ==, 11);
  g_assert_cmpstr (small_hash, ==, small_hash2);

  /* A missing file is an error, not a crash. */
  {
    g_autofree char *missing_path = g_build_filename (dir, "missing.mov", NULL);
    g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
    g_autofree char *none = reel_plate_compute_file_hash (missing, NULL, NULL, &error);

    g_assert_null (none);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  g_unlink (big_path);
  g_unlink (middle_path);
  g_unlink (head_path);
  g_unlink (tail_path);
  g_unlink (small_path);
  g_unlink (small_path2);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/shot/defaults", test_shot_defaults);
  g_test_add_func ("/shot/properties", test_shot_properties);
  g_test_add_func ("/shot/lists", test_shot_lists);
  g_test_add_func ("/shot/equality", test_shot_equality);
  g_test_add_func ("/scene/heading", test_scene_heading);
  g_test_add_func ("/scene/shots", test_scene_shots);
  g_test_add_func ("/scene/renumber", test_renumber);
  g_test_add_func ("/project/basics", test_project_basics);
  g_test_add_func ("/project/find", test_project_find);
  g_test_add_func ("/project/revisions", test_revisions);
  g_test_add_func ("/project/equal-and-copy", test_project_equal_and_copy);
  g_test_add_func ("/project/used-hashes", test_used_hashes);
  g_test_add_func ("/plate/settings", test_plate);
  g_test_add_func ("/plate/paths", test_plate_paths);
  g_test_add_func ("/plate/file-hash", test_plate_file_hash);

  return g_test_run ();
}
