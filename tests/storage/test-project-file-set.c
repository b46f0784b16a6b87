/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test"

#include "config.h"

#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "core/reel-greybox-render.h"
#include "core/reel-set-edit.h"
#include "storage/reel-demo.h"
#include "storage/reel-project-file-set.h"
#include "storage/reel-project-file.h"
#include "storage-test-util.h"

/* Sets and shot cameras in the file: they round-trip, edits save incrementally, and a
 * damaged or hostile set opens as a clear error for its scene with the rest of the
 * project intact and the unread bytes kept. */

static ReelProject *
project_with_sets (void)
{
  ReelProject *project = reel_project_new ();
  static const char * const templates[] = { "room", "waterfront", "street" };

  for (guint s = 0; s < 3; s++)
    {
      g_autoptr(ReelScene) scene = reel_scene_new ();
      g_autoptr(ReelSet) set = reel_set_new_from_template (templates[s]);

      reel_scene_set_int_ext (scene, s == 0 ? REEL_INT_EXT_INT : REEL_INT_EXT_EXT);
      reel_scene_set_location (scene, s == 1 ? "HARBOUR" : "PLACE");
      reel_scene_set_set (scene, set);
      for (guint p = 0; p < 2; p++)
        {
          g_autoptr(ReelShot) shot = reel_shot_new ();
          ReelCameraPose pose = { p, 4 + s, 1.6, 0, -2, 0, 35 + 15 * p };
          g_autoptr(ReelShotCamera) camera = reel_shot_camera_new (&pose);

          reel_shot_set_number (shot, p == 0 ? "1" : "2");
          reel_shot_set_camera (shot, camera);
          reel_scene_append_shot (scene, shot);
        }
      reel_project_append_scene (project, scene);
    }
  return project;
}

static void
exec (sqlite3    *db,
      const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
write_blob (sqlite3    *db,
            const char *sql,
            GVariant   *variant)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (variant);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, g_variant_get_data (owned), g_variant_get_size (owned),
                     SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

static GBytes *
read_blob (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GBytes *bytes = NULL;

  db = storage_test_open_db (path, TRUE);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return bytes;
}

static void
test_round_trip (void)
{
  g_autofree char *dir = storage_test_make_dir ("set-round-trip");
  g_autofree char *path = g_build_filename (dir, "sets.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelProject) project = project_with_sets ();
  g_autoptr(ReelProject) reloaded = NULL;
  g_autoptr(ReelProject) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelSet) moved = NULL;
  ReelScene *scene;

  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);
  reloaded = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);
  storage_test_assert_equal (project, reloaded, "sets and cameras");
  g_assert_null (reel_project_file_dup_set_errors (reloaded));

  /* An incremental save after moving a prop, removing a camera and deleting a scene. */
  scene = reel_project_get_scene (reloaded, 1);
  moved = reel_set_copy (reel_scene_get_set (scene));
  g_array_index (moved->props, ReelSetProp, 1).x += 2.5;
  reel_scene_set_set (scene, moved);
  reel_shot_set_camera (reel_scene_get_shot (scene, 0), NULL);
  g_object_unref (reel_project_remove_scene (reloaded, 2));
  g_assert_true (reel_project_file_save (reloaded, file, NULL, &error));
  g_assert_no_error (error);
  again = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);
  storage_test_assert_equal (reloaded, again, "after moving a prop");
  g_assert_null (read_blob (path, "SELECT data FROM scene_sets WHERE scene NOT IN "
                                  "(SELECT key FROM scenes)"));
}

typedef enum
{
  DAMAGE_NAN,
  DAMAGE_NEGATIVE_SIZE,
  DAMAGE_HUGE_COUNT,
  DAMAGE_GARBAGE,
} Damage;

static void
test_hostile_set (gconstpointer data)
{
  Damage damage = GPOINTER_TO_INT (data);
  g_autofree char *dir = storage_test_make_dir ("set-hostile");
  g_autofree char *path = g_build_filename (dir, "hostile.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelProject) project = project_with_sets ();
  g_autoptr(ReelProject) loaded = NULL;
  g_autoptr(ReelProject) resaved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelSet) bad = reel_set_new_from_template ("waterfront");
  g_auto(GStrv) errors = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  const char *select = "SELECT t.data FROM scene_sets t JOIN scenes s ON s.key = t.scene "
                       "WHERE s.position = 1";
  sqlite3 *db = NULL;

  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);

  /* Damage the second scene's set (and a camera of the third scene) behind our back. */
  db = storage_test_open_db (path, FALSE);
  switch (damage)
    {
    case DAMAGE_NAN:
      g_array_index (bad->props, ReelSetProp, 2).x = NAN;
      write_blob (db, "UPDATE scene_sets SET data = ? WHERE scene = "
                      "(SELECT key FROM scenes WHERE position = 1)", reel_set_to_variant (bad));
      break;
    case DAMAGE_NEGATIVE_SIZE:
      g_array_index (bad->props, ReelSetProp, 0).width = -4;
      write_blob (db, "UPDATE scene_sets SET data = ? WHERE scene = "
                      "(SELECT key FROM scenes WHERE position = 1)", reel_set_to_variant (bad));
      break;
    case DAMAGE_HUGE_COUNT:
      for (guint i = 0; i < REEL_SET_MAX_PROPS + 10; i++)
        reel_set_add_prop (bad, "box", i % 100, i / 100, 0);
      write_blob (db, "UPDATE scene_sets SET data = ? WHERE scene = "
                      "(SELECT key FROM scenes WHERE position = 1)", reel_set_to_variant (bad));
      break;
    case DAMAGE_GARBAGE:
    default:
      exec (db, "UPDATE scene_sets SET data = randomblob(100000) WHERE scene = "
                "(SELECT key FROM scenes WHERE position = 1)");
      break;
    }
  {
    ReelCameraPose pose = { 0, 0, 1.6, 0, 0, 0, -35 };
    g_autoptr(ReelShotCamera) camera = reel_shot_camera_new (&pose);

    write_blob (db, "UPDATE shot_cameras SET data = ? WHERE shot = (SELECT key FROM shots "
                    "WHERE scene = (SELECT key FROM scenes WHERE position = 2) AND position = 1)",
                reel_shot_camera_to_variant (camera));
  }
  sqlite3_close (db);
  before = read_blob (path, select);

  loaded = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);

  /* The damaged set is left out, with a message naming its scene; the rest is there. */
  g_assert_cmpuint (reel_project_get_n_scenes (loaded), ==, 3);
  g_assert_null (reel_scene_get_set (reel_project_get_scene (loaded, 1)));
  g_assert_true (reel_set_equal (reel_scene_get_set (reel_project_get_scene (loaded, 0)),
                                 reel_scene_get_set (reel_project_get_scene (project, 0))));
  g_assert_true (reel_set_equal (reel_scene_get_set (reel_project_get_scene (loaded, 2)),
                                 reel_scene_get_set (reel_project_get_scene (project, 2))));
  g_assert_nonnull (reel_shot_get_camera (reel_scene_get_shot (reel_project_get_scene (loaded, 1),
                                                                0)));
  g_assert_null (reel_shot_get_camera (reel_scene_get_shot (reel_project_get_scene (loaded, 2),
                                                             1)));
  g_assert_nonnull (reel_shot_get_camera (reel_scene_get_shot (reel_project_get_scene (loaded, 2),
                                                                0)));

  errors = reel_project_file_dup_set_errors (loaded);
  g_assert_nonnull (errors);
  g_assert_cmpuint (g_strv_length (errors), ==, 2);
  g_test_message ("%s", errors[0]);
  g_test_message ("%s", errors[1]);
  g_assert_nonnull (strstr (errors[0], "scene 2 (EXT. HARBOUR)"));
  g_assert_nonnull (strstr (errors[1], "shot 2 in scene 3"));

  /* Saving an edit elsewhere in that scene keeps the unread bytes as they were. */
  reel_scene_set_synopsis (reel_project_get_scene (loaded, 1), "edited");
  reel_shot_set_notes (reel_scene_get_shot (reel_project_get_scene (loaded, 2), 1), "edited");
  g_assert_true (reel_project_file_save (loaded, file, NULL, &error));
  g_assert_no_error (error);
  after = read_blob (path, select);
  g_assert_nonnull (after);
  g_assert_true (g_bytes_equal (before, after));
  resaved = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);
  {
    g_auto(GStrv) still = reel_project_file_dup_set_errors (resaved);

    g_assert_cmpuint (g_strv_length (still), ==, 2);
  }

  /* A new set for the scene replaces them. */
  {
    g_autoptr(ReelSet) fresh = reel_set_new_from_template ("stage");
    g_autoptr(ReelProject) fixed = NULL;

    reel_scene_set_set (reel_project_get_scene (resaved, 1), fresh);
    g_assert_true (reel_project_file_save (resaved, file, NULL, &error));
    g_assert_no_error (error);
    fixed = reel_project_file_load (file, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (reel_set_equal (reel_scene_get_set (reel_project_get_scene (fixed, 1)), fresh));
  }
}

/* The demo's harbour: a set with the pier, water, boats and Maya's and Tom's marks, a camera
 * on every shot that agrees with the shot list, sees its subject, and keeps to one side of
 * the line between them. */
static void
test_demo_harbour (void)
{
  g_autoptr(ReelProject) demo = reel_demo_project_new ();
  ReelScene *scene = reel_project_get_scene (demo, 0);
  const ReelSet *set = reel_scene_get_set (scene);
  g_autoptr(ReelSetMesh) mesh = NULL;
  gboolean has_pier = FALSE, has_water = FALSE;
  guint n_boats = 0;

  g_assert_nonnull (set);
  g_assert_nonnull (reel_set_find_mark (set, "Maya"));
  g_assert_nonnull (reel_set_find_mark (set, "Tom"));
  g_assert_true (reel_set_get_line_of_action (set, NULL, NULL));
  for (guint i = 0; i < set->props->len; i++)
    {
      const char *kind = g_array_index (set->props, ReelSetProp, i).kind;

      has_pier |= g_str_equal (kind, "pier");
      has_water |= g_str_equal (kind, "water");
      n_boats += g_str_equal (kind, "boat");
    }
  g_assert_true (has_pier && has_water);
  g_assert_cmpuint (n_boats, >=, 3);

  mesh = reel_set_mesh_new (set, TRUE);
  for (guint i = 0; i < reel_scene_get_n_shots (scene); i++)
    {
      ReelShot *shot = reel_scene_get_shot (scene, i);
      const ReelShotCamera *camera = reel_shot_get_camera (shot);
      ReelCameraDerived derived;
      g_autofree char *reason = NULL;

      g_assert_nonnull (camera);
      g_assert_true (reel_shot_derive_camera (shot, demo, &derived));
      if (derived.size_id != NULL)
        g_assert_cmpstr (reel_shot_get_size (shot), ==, derived.size_id);
      g_assert_cmpstr (reel_shot_get_angle (shot), ==, derived.angle_id);
      g_assert_cmpfloat (reel_shot_get_lens_mm (shot), ==, derived.lens_mm);
      g_assert_false (reel_shot_crosses_line (shot, &reason));

      /* Its subject is in its picture. */
      if (derived.subject >= 0)
        {
          ReelGreyboxOptions options = { "dawn", 24.89, 0 };
          g_autoptr(ReelGreyboxImage) image = reel_greybox_render (mesh, &camera->start, 320,
                                                                    134, &options);
          guint32 figure = 0;
          gsize seen = 0;

          for (guint o = 0; o < mesh->objects->len; o++)
            {
              const ReelSetMeshObject *object = &g_array_index (mesh->objects,
                                                                ReelSetMeshObject, o);

              if (object->kind == REEL_SET_OBJECT_MARK && object->index == derived.subject)
                figure = o + 1;
            }
          for (gsize p = 0; p < 320 * 134; p++)
            seen += image->objects[p] == figure;
          g_test_message ("shot %s: %s, %s, subject seen in %" G_GSIZE_FORMAT " pixels",
                          reel_shot_get_number (shot), reel_shot_get_size (shot),
                          reel_shot_get_angle (shot), seen);
          g_assert_cmpuint (seen, >, 0);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/project-file-set/round-trip", test_round_trip);
  g_test_add_func ("/project-file-set/demo-harbour", test_demo_harbour);
  g_test_add_data_func ("/project-file-set/hostile/nan", GINT_TO_POINTER (DAMAGE_NAN),
                        test_hostile_set);
  g_test_add_data_func ("/project-file-set/hostile/negative-size",
                        GINT_TO_POINTER (DAMAGE_NEGATIVE_SIZE), test_hostile_set);
  g_test_add_data_func ("/project-file-set/hostile/huge-count",
                        GINT_TO_POINTER (DAMAGE_HUGE_COUNT), test_hostile_set);
  g_test_add_data_func ("/project-file-set/hostile/garbage", GINT_TO_POINTER (DAMAGE_GARBAGE),
                        test_hostile_set);

  return g_test_run ();
}
