/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "reel-test-project.h"

typedef struct
{
  GRand *rand;
  ReelProject *project;
} Editor;

static int
pick (Editor *editor,
      int     n)
{
  return g_rand_int_range (editor->rand, 0, n);
}

static ReelScene *
random_scene (Editor *editor)
{
  guint n = reel_project_get_n_scenes (editor->project);

  return n == 0 ? NULL : reel_project_get_scene (editor->project, pick (editor, n));
}

static ReelShot *
random_shot (Editor *editor)
{
  guint total = reel_project_get_n_shots (editor->project);
  guint index;
  guint n_scenes = reel_project_get_n_scenes (editor->project);

  if (total == 0)
    return NULL;

  index = pick (editor, total);
  for (guint i = 0; i < n_scenes; i++)
    {
      ReelScene *scene = reel_project_get_scene (editor->project, i);
      guint n = reel_scene_get_n_shots (scene);

      if (index < n)
        return reel_scene_get_shot (scene, index);
      index -= n;
    }

  g_assert_not_reached ();
}

static const char *
random_layer (Editor     *editor,
              ReelSketch *sketch)
{
  if (pick (editor, 6) == 0)
    return "layer ✎ new";

  return reel_sketch_get_layer_name (sketch, pick (editor, reel_sketch_get_n_layers (sketch)));
}

static void
random_edit (Editor *editor,
             guint   depth)
{
  static const char * const shot_strings[] = {
    "number", "description", "dialogue", "notes", "cast", "size", "framing", "angle",
    "movement", "status", "vfx-notes",
  };
  static const char * const scene_strings[] = { "number", "location", "time-of-day", "synopsis" };
  ReelProject *project = editor->project;
  ReelShot *shot = random_shot (editor);
  ReelScene *scene = random_scene (editor);
  g_autofree char *text = reel_test_random_text (editor->rand);

  switch (pick (editor, 27))
    {
    case 0:
      if (shot != NULL)
        reel_edit_set_string (project, G_OBJECT (shot),
                              shot_strings[pick (editor, G_N_ELEMENTS (shot_strings))], text);
      break;
    case 1:
      if (shot != NULL)
        reel_edit_set_double (project, G_OBJECT (shot), "lens-mm",
                              g_rand_double_range (editor->rand, 10, 200));
      break;
    case 2:
      if (shot != NULL)
        reel_edit_set_int64 (project, G_OBJECT (shot), "duration", pick (editor, 500) + 1);
      break;
    case 3:
      if (shot != NULL)
        reel_edit_set_double (project, G_OBJECT (shot), "camera-height-m",
                              g_rand_double_range (editor->rand, 0, 20));
      break;
    case 4:
      if (scene != NULL)
        reel_edit_set_string (project, G_OBJECT (scene),
                              scene_strings[pick (editor, G_N_ELEMENTS (scene_strings))], text);
      break;
    case 5:
      if (scene != NULL)
        reel_edit_set_enum (project, G_OBJECT (scene), "int-ext", pick (editor, 5));
      break;
    case 6:
      switch (pick (editor, 4))
        {
        case 0:
          reel_edit_set_string (project, G_OBJECT (project), "title", text);
          break;
        case 1:
          reel_edit_set_string (project, G_OBJECT (project), "look-phrase", text);
          break;
        case 2:
          reel_edit_set_double (project, G_OBJECT (project), "aspect-ratio",
                                reel_aspect_ratio_get_standard (NULL)[pick (editor, 7)].value);
          break;
        default:
          reel_edit_set_string (project, G_OBJECT (project), "sensor",
                                reel_optics_get_sensors (NULL)[pick (editor, 7)].id);
          break;
        }
      break;
    case 7:
      reel_edit_set_frame_rate (project, reel_frame_rate_get_standard (NULL)[pick (editor, 10)]);
      break;
    case 8:
      {
        static const char * const keys[] = { "author", "credit", "contact", "notes" };

        reel_edit_set_metadata (project, keys[pick (editor, G_N_ELEMENTS (keys))],
                                pick (editor, 3) == 0 ? NULL : text);
      }
      break;
    case 9:
      if (scene != NULL)
        {
          g_autoptr(ReelShot) new_shot = reel_test_random_shot (editor->rand, project, 3);

          reel_edit_insert_shot (project, scene, pick (editor, reel_scene_get_n_shots (scene) + 2),
                                 new_shot);
        }
      break;
    case 10:
      if (shot != NULL)
        reel_edit_remove_shot (project, shot);
      break;
    case 11:
    case 12:
      if (shot != NULL && scene != NULL)
        reel_edit_move_shot (project, shot, pick (editor, 2) ? scene : reel_shot_get_scene (shot),
                             pick (editor, reel_scene_get_n_shots (scene) + 1));
      break;
    case 13:
      {
        g_autoptr(ReelScene) new_scene = reel_test_random_scene (editor->rand, project,
                                                                 pick (editor, 4), 2);

        reel_edit_insert_scene (project, pick (editor, reel_project_get_n_scenes (project) + 1),
                                new_scene);
      }
      break;
    case 14:
      /* Deleting scenes is rarer than adding them, so projects do not run dry. */
      if (scene != NULL && reel_project_get_n_scenes (project) > 1)
        reel_edit_remove_scene (project, scene);
      break;
    case 15:
      if (scene != NULL)
        reel_edit_move_scene (project, scene, pick (editor, reel_project_get_n_scenes (project)));
      break;
    case 16:
    case 17:
      if (shot != NULL)
        {
          g_autoptr(ReelStroke) stroke = reel_test_random_stroke (editor->rand);

          reel_edit_add_stroke (project, shot, random_layer (editor, reel_shot_get_sketch (shot)),
                                stroke);
        }
      break;
    case 18:
      if (shot != NULL)
        {
          ReelSketch *sketch = reel_shot_get_sketch (shot);
          const char *layer = random_layer (editor, sketch);
          guint n = reel_sketch_get_layer_n_strokes (sketch, layer);

          if (pick (editor, 4) == 0)
            reel_edit_clear_layer (project, shot, layer);
          else
            reel_edit_remove_stroke (project, shot, layer, n > 0 ? pick (editor, n) : 0);
        }
      break;
    case 19:
      if (shot != NULL)
        {
          g_autoptr(GPtrArray) assets = reel_project_list_assets (project);

          reel_edit_set_background (project, shot,
                                    assets->len > 0 && pick (editor, 4) != 0
                                    ? reel_asset_get_hash (g_ptr_array_index (assets,
                                                                              pick (editor,
                                                                                    assets->len)))
                                    : NULL);
        }
      break;
    case 20:
      if (shot != NULL)
        {
          g_autoptr(GPtrArray) assets = reel_project_list_assets (project);
          g_autoptr(ReelAsset) asset = NULL;

          /* A new image, or one the project already has. */
          if (assets->len > 0 && pick (editor, 2))
            asset = g_object_ref (g_ptr_array_index (assets, pick (editor, assets->len)));
          else
            asset = reel_test_random_asset (editor->rand, TRUE);

          if (pick (editor, 2))
            reel_edit_add_variant (project, shot, asset);
          else
            reel_edit_add_generation (project, shot, asset);
        }
      break;
    case 21:
      if (shot != NULL && reel_shot_get_n_variants (shot) > 0)
        reel_edit_remove_variant (project, shot,
                                  reel_shot_get_variants (shot)[pick (editor,
                                                                      reel_shot_get_n_variants (shot))]);
      break;
    case 22:
      if (shot != NULL)
        {
          g_autoptr(ReelPlate) plate = pick (editor, 3) ? reel_test_random_plate (editor->rand)
                                                        : NULL;

          reel_edit_set_plate (project, shot, plate);
        }
      break;
    case 23:
      if (shot != NULL && reel_shot_get_plate (shot) != NULL)
        {
          GObject *plate = G_OBJECT (reel_shot_get_plate (shot));

          switch (pick (editor, 4))
            {
            case 0:
              reel_edit_set_double (project, plate, "similarity", g_rand_double (editor->rand));
              break;
            case 1:
              reel_edit_set_double (project, plate, "background-x",
                                    g_rand_double_range (editor->rand, -1, 1));
              break;
            case 2:
              reel_edit_set_uint (project, plate, "key-color", g_rand_int (editor->rand) & 0xffffff);
              break;
            default:
              reel_edit_set_boolean (project, plate, "muted", pick (editor, 2));
              break;
            }
        }
      break;
    case 24:
      if (scene != NULL)
        reel_edit_renumber_scene (project, scene, pick (editor, 3));
      break;
    case 25:
      if (shot != NULL)
        {
          ReelSketch *sketch = reel_shot_get_sketch (shot);
          const char *layer = reel_sketch_get_layer_name (sketch,
                                                          pick (editor,
                                                                reel_sketch_get_n_layers (sketch)));

          if (pick (editor, 2))
            reel_edit_set_layer_visible (project, shot, layer, pick (editor, 2));
          else
            reel_edit_set_layer_opacity (project, shot, layer, g_rand_double (editor->rand));
        }
      break;
    case 26:
      /* A multi-object action as one step. */
      if (depth < 2)
        {
          int n = pick (editor, 4) + 2;

          reel_history_begin_group (reel_project_get_history (project), "Group");
          for (int i = 0; i < n; i++)
            random_edit (editor, depth + 1);
          reel_history_end_group (reel_project_get_history (project));
        }
      break;
    default:
      g_assert_not_reached ();
    }
}

static GHashTable *
index_shots (ReelProject *project)
{
  GHashTable *shots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < reel_project_get_n_scenes (project); i++)
    {
      ReelScene *scene = reel_project_get_scene (project, i);

      for (guint j = 0; j < reel_scene_get_n_shots (scene); j++)
        {
          ReelShot *shot = reel_scene_get_shot (scene, j);

          g_hash_table_insert (shots, g_strdup (reel_shot_get_id (shot)), shot);
        }
    }

  return shots;
}

static void
run_sequence (guint32 seed,
              guint   n_edits)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(ReelProject) project = reel_test_project_random (seed, 3, 4, 3);
  g_autoptr(GPtrArray) snapshots = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) original_shots = index_shots (project);
  ReelHistory *history = reel_project_get_history (project);
  Editor editor = { rand, project };
  GHashTableIter iter;
  gpointer id, shot;

  g_test_message ("seed %u (replay with STORYREEL_TEST_SEED=%u)", seed, seed);

  /* snapshots[k] is the project after k steps. */
  g_ptr_array_add (snapshots, reel_project_copy (project));

  for (guint i = 0; i < n_edits; i++)
    {
      guint before = reel_history_get_n_undo (history);

      random_edit (&editor, 0);
      g_assert_false (reel_history_in_group (history));

      if (reel_history_get_n_undo (history) > before)
        {
          g_assert_cmpuint (reel_history_get_n_undo (history), ==, before + 1);
          g_ptr_array_add (snapshots, reel_project_copy (project));
        }
      else
        {
          /* An edit that records nothing changes nothing. */
          g_assert_true (reel_project_equal (project, g_ptr_array_index (snapshots,
                                                                         snapshots->len - 1)));
        }
    }

  g_assert_cmpuint (reel_history_get_n_undo (history), ==, snapshots->len - 1);
  g_assert_cmpuint (snapshots->len, >, n_edits / 2);

  /* Undo one step at a time: each lands exactly on the state before that step. */
  for (guint k = snapshots->len - 1; k > 0; k--)
    {
      g_assert_true (reel_history_undo (history));
      if (!reel_project_equal (project, g_ptr_array_index (snapshots, k - 1)))
        g_error ("seed %u: undoing step %u does not restore the project", seed, k);
    }
  g_assert_false (reel_history_can_undo (history));
  g_assert_true (reel_project_equal (project, g_ptr_array_index (snapshots, 0)));

  /* Deleted shots came back as the very same objects. */
  g_hash_table_iter_init (&iter, original_shots);
  while (g_hash_table_iter_next (&iter, &id, &shot))
    g_assert_true (reel_project_find_shot (project, id, NULL, NULL) == shot);

  /* Redo all the way: each step lands on the state after it. */
  for (guint k = 1; k < snapshots->len; k++)
    {
      g_assert_true (reel_history_redo (history));
      if (!reel_project_equal (project, g_ptr_array_index (snapshots, k)))
        g_error ("seed %u: redoing step %u does not give the edited project", seed, k);
    }
  g_assert_false (reel_history_can_redo (history));
}

static void
test_random_sequences (void)
{
  const char *replay = g_getenv ("STORYREEL_TEST_SEED");

  if (replay != NULL && replay[0] != '\0')
    {
      run_sequence (reel_test_seed (0), 300);
      return;
    }

  for (guint32 seed = 1; seed <= (g_test_slow () ? 200 : 25); seed++)
    run_sequence (seed, 300);
}

static void
test_bound_respected (void)
{
  g_autoptr(ReelProject) project = reel_test_project_random (reel_test_seed (77), 1, 1, 0);
  ReelHistory *history = reel_project_get_history (project);
  ReelShot *shot = reel_scene_get_shot (reel_project_get_scene (project, 0), 0);
  g_autoptr(ReelProject) after_100 = NULL;

  for (int i = 1; i <= 600; i++)
    {
      reel_edit_set_int64 (project, G_OBJECT (shot), "duration", 1000 + i);
      if (i == 100)
        after_100 = reel_project_copy (project);
    }

  g_assert_cmpuint (reel_history_get_n_undo (history), ==, REEL_HISTORY_DEFAULT_MAX_STEPS);
  while (reel_history_undo (history))
    ;
  /* The oldest 100 steps were forgotten: undo stops after step 100. */
  g_assert_cmpint (reel_shot_get_duration (shot), ==, 1100);
  g_assert_true (reel_project_equal (project, after_100));
}

static void
test_move_shot_positions (void)
{
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(ReelScene) one = reel_scene_new ();
  g_autoptr(ReelScene) two = reel_scene_new ();
  ReelShot *shots[4];
  ReelHistory *history = reel_project_get_history (project);

  reel_project_append_scene (project, one);
  reel_project_append_scene (project, two);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("%c", 'A' + i);

      shots[i] = reel_shot_new ();
      reel_shot_set_number (shots[i], name);
      reel_scene_append_shot (one, shots[i]);
      g_object_unref (shots[i]);
    }

  /* The position is where the shot ends up: A B C D → B C A D. */
  g_assert_true (reel_edit_move_shot (project, shots[0], one, 2));
  g_assert_true (reel_scene_get_shot (one, 2) == shots[0]);
  g_assert_true (reel_scene_get_shot (one, 0) == shots[1]);
  g_assert_false (reel_edit_move_shot (project, shots[0], one, 2));

  /* Past the end means last. */
  g_assert_true (reel_edit_move_shot (project, shots[1], one, 99));
  g_assert_true (reel_scene_get_shot (one, 3) == shots[1]);

  /* Between scenes. */
  g_assert_true (reel_edit_move_shot (project, shots[3], two, 0));
  g_assert_true (reel_shot_get_scene (shots[3]) == two);
  g_assert_cmpuint (reel_scene_get_n_shots (one), ==, 3);
  g_assert_true (reel_edit_move_shot (project, shots[2], two, 5));
  g_assert_true (reel_scene_get_shot (two, 1) == shots[2]);

  while (reel_history_undo (history))
    ;
  for (guint i = 0; i < 4; i++)
    g_assert_true (reel_scene_get_shot (one, i) == shots[i]);
  g_assert_cmpuint (reel_scene_get_n_shots (two), ==, 0);

  /* Deleting a scene and undoing brings back the scene and its shots. */
  g_assert_true (reel_edit_remove_scene (project, one));
  g_assert_null (reel_project_find_shot (project, reel_shot_get_id (shots[0]), NULL, NULL));
  g_assert_cmpuint (reel_project_get_n_scenes (project), ==, 1);
  reel_history_undo (history);
  g_assert_true (reel_project_get_scene (project, 0) == one);
  g_assert_true (reel_scene_get_shot (one, 3) == shots[3]);
  g_assert_true (reel_project_find_shot (project, reel_shot_get_id (shots[3]), NULL, NULL)
                 == shots[3]);
}

static void
test_stroke_is_one_step (void)
{
  g_autoptr(ReelProject) project = reel_test_project_random (reel_test_seed (12), 1, 1, 0);
  ReelShot *shot = reel_scene_get_shot (reel_project_get_scene (project, 0), 0);
  ReelSketch *sketch = reel_shot_get_sketch (shot);
  ReelHistory *history = reel_project_get_history (project);
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autoptr(ReelStroke) stroke = reel_test_random_stroke (rand);
  guint layers = reel_sketch_get_n_layers (sketch);

  g_assert_true (reel_edit_add_stroke (project, shot, "brand new", stroke));
  g_assert_cmpuint (reel_sketch_get_n_layers (sketch), ==, layers + 1);
  g_assert_cmpstr (reel_history_get_undo_label (history), ==, "Draw");
  g_assert_cmpuint (reel_history_get_n_undo (history), ==, 1);

  /* Undoing the stroke takes away the layer it made. */
  reel_history_undo (history);
  g_assert_cmpuint (reel_sketch_get_n_layers (sketch), ==, layers);
  reel_history_redo (history);
  g_assert_true (reel_sketch_get_stroke (sketch, "brand new", 0) == stroke);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/undo/random-sequences", test_random_sequences);
  g_test_add_func ("/undo/bound", test_bound_respected);
  g_test_add_func ("/undo/move-shot-positions", test_move_shot_positions);
  g_test_add_func ("/undo/stroke-is-one-step", test_stroke_is_one_step);

  return g_test_run ();
}
