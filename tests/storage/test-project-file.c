/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "reel-test-project.h"
#include "storage-test-util.h"
#include "storage/reel-demo.h"
#include "storage/reel-project-file.h"
#include "storage/reel-project-file-private.h"

static ReelProject *
save_and_load (ReelProject *project,
               const char  *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  ReelProject *loaded;

  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);
  loaded = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  return loaded;
}

static void
test_round_trip_random (void)
{
  g_autofree char *dir = storage_test_make_dir ("round-trip");
  guint32 first_seed = reel_test_seed (1000);
  guint n_seeds = g_test_thorough () ? 200 : 40;

  for (guint32 seed = first_seed; seed < first_seed + n_seeds; seed++)
    {
      g_autoptr(GRand) sizes = g_rand_new_with_seed (seed);
      guint n_scenes = g_rand_int_range (sizes, 1, 5);
      guint n_shots = g_rand_int_range (sizes, 0, 7);
      guint n_strokes = g_rand_int_range (sizes, 0, 9);
      g_autoptr(ReelProject) project = reel_test_project_random (seed, n_scenes, n_shots,
                                                                 n_strokes);
      g_autofree char *name = g_strdup_printf ("seed-%u.storyreel", seed);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *context = g_strdup_printf ("round trip of seed %u (replay with "
                                                  "STORYREEL_TEST_SEED=%u)", seed, seed);
      g_autoptr(ReelProject) loaded = save_and_load (project, path);

      storage_test_assert_equal (project, loaded, context);
      g_assert_false (reel_project_get_modified (loaded));
      g_assert_false (reel_project_get_modified (project));
      g_assert_cmpuint (reel_history_get_n_undo (reel_project_get_history (loaded)), ==, 0);
    }
}

static void
test_round_trip_demo (void)
{
  g_autofree char *dir = storage_test_make_dir ("demo");
  g_autofree char *path = g_build_filename (dir, "demo.storyreel", NULL);
  g_autoptr(ReelProject) demo = reel_demo_project_new ();
  g_autoptr(ReelProject) loaded = save_and_load (demo, path);
  ReelScene *scene;

  storage_test_assert_equal (demo, loaded, "demo round trip");
  g_assert_cmpuint (reel_project_get_n_scenes (loaded), ==, 1);
  scene = reel_project_get_scene (loaded, 0);
  g_assert_cmpstr (reel_scene_get_heading (scene), ==, "EXT. HARBOUR - DAWN");
  g_assert_cmpuint (reel_scene_get_n_shots (scene), ==, 8);
  for (guint i = 0; i < 8; i++)
    g_assert_cmpuint (reel_sketch_get_n_strokes (reel_shot_get_sketch (
                        reel_scene_get_shot (scene, i))), >=, 15);
}

static struct stat
stat_path (const char *path)
{
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  return st;
}

/* Random edits, saved again and again into the same file: every save only writes
 * the difference, and every time the file holds exactly the project. */
static void
test_incremental_random_edits (void)
{
  g_autofree char *dir = storage_test_make_dir ("incremental");
  guint32 first_seed = reel_test_seed (2000);
  guint n_seeds = g_test_thorough () ? 40 : 8;

  for (guint32 seed = first_seed; seed < first_seed + n_seeds; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(ReelProject) project = reel_test_project_random (seed, 3, 4, 4);
      g_autofree char *name = g_strdup_printf ("edits-%u.storyreel", seed);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;

      g_assert_true (reel_project_file_save (project, file, NULL, &error));
      g_assert_no_error (error);

      for (guint round = 0; round < 30; round++)
        {
          g_autofree char *context = g_strdup_printf ("seed %u, round %u (replay with "
                                                      "STORYREEL_TEST_SEED=%u)",
                                                      seed, round, seed);
          g_autoptr(ReelProject) loaded = NULL;
          struct stat before = stat_path (path);
          struct stat after;

          storage_test_random_edits (project, rand, g_rand_int_range (rand, 1, 8));
          g_assert_true (reel_project_file_save (project, file, NULL, &error));
          g_assert_no_error (error);
          g_assert_false (reel_project_get_modified (project));

          /* Written in place, not replaced. */
          after = stat_path (path);
          g_assert_cmpuint (before.st_ino, ==, after.st_ino);

          loaded = reel_project_file_load (file, NULL, &error);
          g_assert_no_error (error);
          storage_test_assert_equal (project, loaded, context);

          /* Now and then go on from the loaded copy: its state comes from reading. */
          if (round % 7 == 6)
            g_set_object (&project, loaded);
        }
    }
}

static gsize
count_changed_pages (GBytes *a,
                     GBytes *b)
{
  gsize size_a, size_b, changed = 0;
  const guint8 *da = g_bytes_get_data (a, &size_a);
  const guint8 *db = g_bytes_get_data (b, &size_b);

  for (gsize offset = 0; offset < MAX (size_a, size_b); offset += 4096)
    {
      if (offset + 4096 > size_a || offset + 4096 > size_b ||
          memcmp (da + offset, db + offset, 4096) != 0)
        changed++;
    }
  return changed;
}

/* One stroke added to one shot of a big project rewrites a handful of pages, not
 * the file; an unchanged project is not written at all. */
static void
test_incremental_writes_little (void)
{
  g_autofree char *dir = storage_test_make_dir ("little");
  g_autofree char *path = g_build_filename (dir, "big.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelProject) project = reel_test_project_random (reel_test_seed (3000), 4, 60, 20);
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GBytes) unchanged = NULL;
  g_autoptr(ReelStroke) stroke = storage_test_freehand_stroke (rand, 40);
  g_autoptr(ReelProject) loaded = NULL;
  struct stat st_before, st_after;
  ReelShot *shot;

  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);
  before = storage_test_read_bytes (path);
  st_before = stat_path (path);
  g_assert_cmpuint (g_bytes_get_size (before), >, 100 * 4096);

  /* Saving again without a change touches nothing. */
  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);
  unchanged = storage_test_read_bytes (path);
  st_after = stat_path (path);
  g_assert_true (g_bytes_equal (before, unchanged));
  g_assert_cmpint (st_before.st_mtim.tv_sec, ==, st_after.st_mtim.tv_sec);
  g_assert_cmpint (st_before.st_mtim.tv_nsec, ==, st_after.st_mtim.tv_nsec);

  shot = reel_scene_get_shot (reel_project_get_scene (project, 2), 17);
  reel_sketch_append_stroke (reel_shot_get_sketch (shot), REEL_LAYER_SKETCH, stroke);
  g_assert_true (reel_project_get_modified (project));
  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);

  after = storage_test_read_bytes (path);
  g_test_message ("%zu of %zu pages changed", count_changed_pages (before, after),
                  g_bytes_get_size (before) / 4096);
  g_assert_cmpuint (count_changed_pages (before, after), <=, 12);
  g_assert_cmpuint (stat_path (path).st_ino, ==, st_before.st_ino);

  loaded = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);
  storage_test_assert_equal (project, loaded, "after adding one stroke");
}

/* Someone else replaced or removed the file since we wrote it: the save writes it
 * whole again rather than patching a file it does not know. */
static void
test_external_change (void)
{
  g_autofree char *dir = storage_test_make_dir ("external");
  g_autofree char *path = g_build_filename (dir, "a.storyreel", NULL);
  g_autofree char *other_path = g_build_filename (dir, "b.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) other_file = g_file_new_for_path (other_path);
  g_autoptr(ReelProject) project = reel_test_project_random (reel_test_seed (4000), 2, 3, 3);
  g_autoptr(ReelProject) other = reel_test_project_random (4001, 3, 2, 2);
  g_autoptr(ReelProject) loaded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_true (reel_project_file_save (other, other_file, NULL, &error));
  g_assert_no_error (error);

  /* Another project copied over ours. */
  g_assert_cmpint (g_rename (other_path, path), ==, 0);
  reel_project_set_title (project, "after the copy");
  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);
  loaded = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);
  storage_test_assert_equal (project, loaded, "after an outside replace");
  g_clear_object (&loaded);

  /* Deleted: an unchanged project is written again all the same. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);
  loaded = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);
  storage_test_assert_equal (project, loaded, "after an outside delete");
}

static void
test_document_and_modified (void)
{
  g_autofree char *dir = storage_test_make_dir ("document");
  g_autofree char *path = g_build_filename (dir, "doc.storyreel", NULL);
  g_autofree char *copy_path = g_build_filename (dir, "copy.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) copy = g_file_new_for_path (copy_path);
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_autoptr(ReelProject) loaded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (reel_project_file_get_file (project));
  reel_project_set_title (project, "Edited");
  g_assert_true (reel_project_get_modified (project));

  /* A copy leaves the project as it was: modified, untitled. */
  g_assert_true (reel_project_file_save_full (project, copy, REEL_PROJECT_FILE_SAVE_COPY,
                                              NULL, &error));
  g_assert_no_error (error);
  g_assert_true (reel_project_get_modified (project));
  g_assert_null (reel_project_file_get_file (project));

  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (reel_project_get_modified (project));
  g_assert_true (g_file_equal (reel_project_file_get_file (project), file));

  loaded = reel_project_file_load (copy, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_equal (reel_project_file_get_file (loaded), copy));
  g_assert_false (reel_project_get_modified (loaded));
  g_assert_cmpstr (reel_project_get_title (loaded), ==, "Edited");
}

/* Plates are stored relative to the project file; a save somewhere else rewrites
 * the path so it still finds the same footage. */
static void
test_plates_relative (void)
{
  g_autofree char *dir = storage_test_make_dir ("plates");
  g_autofree char *footage_dir = g_build_filename (dir, "a", "footage", NULL);
  g_autofree char *footage = g_build_filename (footage_dir, "plate.mov", NULL);
  g_autofree char *first_path = g_build_filename (dir, "a", "first.storyreel", NULL);
  g_autofree char *second_dir = g_build_filename (dir, "b", "deeper", NULL);
  g_autofree char *second_path = g_build_filename (second_dir, "second.storyreel", NULL);
  g_autoptr(GFile) footage_file = g_file_new_for_path (footage);
  g_autoptr(GFile) first = g_file_new_for_path (first_path);
  g_autoptr(GFile) second = g_file_new_for_path (second_path);
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_autoptr(ReelProject) loaded = NULL;
  g_autoptr(ReelProject) reloaded = NULL;
  g_autoptr(ReelPlate) plate = reel_plate_new (footage);
  g_autoptr(GFile) resolved = NULL;
  g_autoptr(GError) error = NULL;
  ReelShot *shot;
  ReelPlate *loaded_plate;
  gint64 size = 0;
  g_autofree char *hash = NULL;

  g_assert_cmpint (g_mkdir_with_parents (footage_dir, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (second_dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (footage, "not really a movie", -1, NULL));
  hash = reel_plate_compute_file_hash (footage_file, &size, NULL, &error);
  g_assert_no_error (error);
  reel_plate_set_hash (plate, hash);
  reel_plate_set_file_size (plate, size);

  shot = reel_scene_get_shot (reel_project_get_scene (project, 0), 3);
  reel_shot_set_plate (shot, plate);

  g_assert_true (reel_project_file_save (project, first, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (reel_plate_get_path (reel_shot_get_plate (shot)), ==, "footage/plate.mov");
  g_assert_false (reel_project_get_modified (project));

  loaded = reel_project_file_load (first, NULL, &error);
  g_assert_no_error (error);
  loaded_plate = reel_shot_get_plate (reel_scene_get_shot (reel_project_get_scene (loaded, 0), 3));
  g_assert_cmpstr (reel_plate_get_path (loaded_plate), ==, "footage/plate.mov");
  g_assert_cmpstr (reel_plate_get_hash (loaded_plate), ==, hash);
  g_assert_cmpint (reel_plate_get_file_size (loaded_plate), ==, size);

  /* Save As into another folder. */
  g_assert_true (reel_project_file_save (loaded, second, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (reel_plate_get_path (loaded_plate), ==, "../../a/footage/plate.mov");
  resolved = reel_plate_resolve (loaded_plate, second);
  g_assert_true (g_file_equal (resolved, footage_file));

  reloaded = reel_project_file_load (second, NULL, &error);
  g_assert_no_error (error);
  storage_test_assert_equal (loaded, reloaded, "after Save As");
  g_clear_object (&resolved);
  resolved = reel_plate_resolve (reel_shot_get_plate (reel_scene_get_shot (
                                   reel_project_get_scene (reloaded, 0), 3)), second);
  g_assert_true (g_file_equal (resolved, footage_file));

  /* The first file still points at the footage the way it did. */
  g_clear_object (&reloaded);
  reloaded = reel_project_file_load (first, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reel_plate_get_path (reel_shot_get_plate (reel_scene_get_shot (
                     reel_project_get_scene (reloaded, 0), 3))), ==, "footage/plate.mov");
}

/* A file in the first format, made here with the first migration step, opens with
 * the defaults of what came later; the file is only upgraded by a save. */
static void
test_migration_from_v1 (void)
{
  g_autofree char *dir = storage_test_make_dir ("migration");
  g_autofree char *path = g_build_filename (dir, "v1.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after_load = NULL;
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(ReelProject) reloaded = NULL;
  g_autoptr(GHashTable) meta = NULL;
  g_autoptr(GBytes) points = NULL;
  ReelStrokePoint stroke_points[3] = {
    { 0.1f, 0.2f, 0.5f, 0, 0 }, { 0.3f, 0.4f, 0.75f, 0, 0 }, { 0.5f, 0.6f, 1.0f, 0, 0 },
  };
  ReelScene *scene;
  ReelShot *shot;
  ReelPlate *plate;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  const ReelStrokePoint *loaded_points;
  guint n_points;

  db = storage_test_open_db (path, FALSE);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (reel_project_schema_migrate (db, 0, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db,
    "INSERT INTO project VALUES (1, 'Old Times', 25, 1, 1.85, 'super35', 'sepia', NULL);"
    "INSERT INTO project_metadata VALUES (0, 'author', 'A. Writer');"
    "INSERT INTO scenes VALUES (7, 'scene-uuid-1', 0, '4', 'int', 'KITCHEN', 'NIGHT', 'Late.');"
    "INSERT INTO shots VALUES (3, 'shot-uuid-1', 7, 0, '4A', 'Kettle boils.', '', 'n', "
    "  'ANNA', 'cu', 'single', 'eye_level', 'static', 85.0, 50, 'todo', '', NULL);"
    "INSERT INTO shots VALUES (4, 'shot-uuid-2', 7, 1, '4B', 'She turns.', 'ANNA: Who?', '',"
    "  'ANNA', 'ms', 'single', 'low', 'dolly_in', 35.0, 75, 'approved', 'fx', NULL);"
    "INSERT INTO layers VALUES (3, 0, 'sketch', 1, 1.0);"
    "INSERT INTO layers VALUES (3, 1, 'notes', 0, 0.5);"
    "INSERT INTO plates VALUES (4, 'plates/kitchen.mov', 65280, 0.3, 0.1, 0.5, 1.0, 0.0,"
    "  0.0, 1.0, 0.0, 0.0, 0);"
    "COMMIT;", NULL, NULL, NULL), ==, SQLITE_OK);
  points = reel_stroke_points_encode (stroke_points, 3);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO strokes VALUES (3, 0, 0, 'pen', 0, 0, 0,"
                                           " 1, 0.01, NULL, ?)", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, g_bytes_get_data (points, NULL), g_bytes_get_size (points),
                     SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  before = storage_test_read_bytes (path);
  project = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);
  after_load = storage_test_read_bytes (path);
  g_assert_true (g_bytes_equal (before, after_load));

  g_assert_cmpstr (reel_project_get_title (project), ==, "Old Times");
  g_assert_cmpint (reel_project_get_frame_rate (project).num, ==, 25);
  g_assert_cmpfloat (reel_project_get_aspect_ratio (project), ==, 1.85);
  g_assert_cmpstr (reel_project_get_metadata (project, "author"), ==, "A. Writer");
  g_assert_cmpuint (reel_project_get_n_scenes (project), ==, 1);
  scene = reel_project_get_scene (project, 0);
  g_assert_cmpstr (reel_scene_get_heading (scene), ==, "INT. KITCHEN - NIGHT");
  g_assert_cmpuint (reel_scene_get_n_shots (scene), ==, 2);
  shot = reel_scene_get_shot (scene, 0);
  g_assert_cmpstr (reel_shot_get_id (shot), ==, "shot-uuid-1");
  g_assert_cmpstr (reel_shot_get_description (shot), ==, "Kettle boils.");
  g_assert_cmpfloat (reel_shot_get_camera_height_m (shot), ==, 1.6);
  g_assert_false (reel_sketch_get_layer_visible (reel_shot_get_sketch (shot), "notes"));
  g_assert_cmpuint (reel_sketch_get_n_strokes (reel_shot_get_sketch (shot)), ==, 1);
  loaded_points = reel_stroke_get_points (reel_sketch_get_stroke (reel_shot_get_sketch (shot),
                                                                  "sketch", 0), &n_points);
  g_assert_cmpuint (n_points, ==, 3);
  g_assert_cmpmem (loaded_points, sizeof stroke_points, stroke_points, sizeof stroke_points);
  shot = reel_scene_get_shot (scene, 1);
  g_assert_cmpstr (reel_shot_get_movement (shot), ==, "dolly_in");
  plate = reel_shot_get_plate (shot);
  g_assert_nonnull (plate);
  g_assert_cmpstr (reel_plate_get_path (plate), ==, "plates/kitchen.mov");
  g_assert_cmpuint (reel_plate_get_key_color (plate), ==, 0x00FF00);
  g_assert_cmpint (reel_plate_get_file_size (plate), ==, -1);
  g_assert_null (reel_plate_get_hash (plate));

  /* The next save writes the current format. */
  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);
  meta = reel_project_file_read_meta (file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (meta, "format_version"), ==, "4");
  reloaded = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);
  storage_test_assert_equal (project, reloaded, "after upgrading");
}

static void
test_points_codec (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (reel_test_seed (5000));

  for (guint round = 0; round < 200; round++)
    {
      guint n = g_rand_int_range (rand, 0, 300);
      g_autofree ReelStrokePoint *points = g_new0 (ReelStrokePoint, MAX (n, 1));
      g_autofree ReelStrokePoint *decoded = NULL;
      g_autoptr(GBytes) blob = NULL;
      guint n_decoded = 0;
      gsize size;
      const guint8 *data;

      /* Any bit pattern survives: NaNs, infinities, denormals, -0. */
      for (guint i = 0; i < n * 5; i++)
        {
          guint32 bits = round % 2 ? g_rand_int (rand)
                                   : 0x3f000000u + (guint32) g_rand_int_range (rand, 0, 4096);
          memcpy ((float *) points + i, &bits, sizeof bits);
        }

      blob = reel_stroke_points_encode (points, n);
      data = g_bytes_get_data (blob, &size);
      g_assert_cmpuint (size, <=, 1 + 5 + (gsize) n * 20);
      decoded = reel_stroke_points_decode (data, size, &n_decoded);
      g_assert_nonnull (decoded);
      g_assert_cmpuint (n_decoded, ==, n);
      g_assert_cmpmem (decoded, n * sizeof (ReelStrokePoint), points, n * sizeof (ReelStrokePoint));

      /* Cut short or with a wrong first byte: refused, never read past the end. */
      if (size > 2)
        {
          g_autofree guint8 *bad = g_memdup2 (data, size);
          g_autofree ReelStrokePoint *none = NULL;

          none = reel_stroke_points_decode (data, size - 1, &n_decoded);
          g_assert_null (none);
          bad[0] = 7;
          none = reel_stroke_points_decode (bad, size, &n_decoded);
          g_assert_null (none);
        }
    }

  /* A real pen stroke takes well under the 20 bytes a point of five floats. */
  {
    g_autoptr(ReelStroke) stroke = storage_test_freehand_stroke (rand, 200);
    const ReelStrokePoint *points;
    guint n;
    g_autoptr(GBytes) blob = NULL;

    points = reel_stroke_get_points (stroke, &n);
    blob = reel_stroke_points_encode (points, n);
    g_test_message ("200 freehand points: %zu bytes", g_bytes_get_size (blob));
    g_assert_cmpuint (g_bytes_get_size (blob), <, 200 * 20 * 3 / 4);
  }
}

typedef struct
{
  GMainLoop *loop;
  GAsyncResult *result;
} AsyncWait;

static void
async_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static void
test_async (void)
{
  g_autofree char *dir = storage_test_make_dir ("async");
  g_autofree char *path = g_build_filename (dir, "async.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelProject) project = reel_test_project_random (reel_test_seed (6000), 3, 5, 5);
  g_autoptr(ReelProject) loaded = NULL;
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { g_main_loop_new (NULL, FALSE), NULL };

  reel_project_file_save_async (project, file, REEL_PROJECT_FILE_SAVE_DEFAULT, NULL,
                                async_done, &wait);
  g_main_loop_run (wait.loop);
  g_assert_true (reel_project_file_save_finish (project, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_assert_false (reel_project_get_modified (project));

  /* An edit made while the save runs is not in the file: still modified after. */
  reel_project_set_title (project, "first");
  reel_project_file_save_async (project, file, REEL_PROJECT_FILE_SAVE_DEFAULT, NULL,
                                async_done, &wait);
  reel_project_set_title (project, "second");
  g_main_loop_run (wait.loop);
  g_assert_true (reel_project_file_save_finish (project, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_assert_true (reel_project_get_modified (project));

  reel_project_file_load_async (file, NULL, async_done, &wait);
  g_main_loop_run (wait.loop);
  loaded = reel_project_file_load_finish (wait.result, &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_assert_cmpstr (reel_project_get_title (loaded), ==, "first");

  /* The next save catches up. */
  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (reel_project_get_modified (project));
  g_clear_object (&loaded);
  loaded = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);
  storage_test_assert_equal (project, loaded, "after the async saves");

  g_main_loop_unref (wait.loop);
}

/* A project of many shots: an asynchronous save copies the shots between frames before
 * its snapshot. An edit to a shot already copied, made before the snapshot, is in the
 * file, and the project is saved; one made after is not. */
static void
test_async_snapshot_slices (void)
{
  g_autofree char *dir = storage_test_make_dir ("async-slices");
  g_autofree char *path = g_build_filename (dir, "slices.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelProject) project = reel_test_project_random (reel_test_seed (6100), 3, 100, 2);
  g_autoptr(ReelProject) loaded = NULL;
  g_autoptr(GError) error = NULL;
  ReelScene *first_scene = reel_project_get_scene (project, 0);
  ReelScene *last_scene = reel_project_get_scene (project, 2);
  ReelProjectFilePhaseTimes times = { 0, };
  AsyncWait wait = { g_main_loop_new (NULL, FALSE), NULL };
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  reel_project_file_set_snapshot_slice (10);
  reel_project_file_take_phase_times (&times);
  reel_project_file_save_async (project, file, REEL_PROJECT_FILE_SAVE_DEFAULT, NULL,
                                async_done, &wait);
  /* The first slice: the first ten shots are copied, the snapshot is not taken. */
  while (times.wall_us[REEL_PROJECT_FILE_PHASE_COPY_SLICE] == 0 && wait.result == NULL &&
         g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, TRUE);
      reel_project_file_take_phase_times (&times);
    }
  g_assert_null (wait.result);
  g_assert_cmpint (times.wall_us[REEL_PROJECT_FILE_PHASE_SNAPSHOT], ==, 0);

  reel_edit_set_string (project, G_OBJECT (reel_scene_get_shot (first_scene, 0)),
                        "description", "Copied, then changed");
  reel_edit_set_string (project, G_OBJECT (reel_scene_get_shot (last_scene, 99)),
                        "description", "Not copied yet, changed");
  g_main_loop_run (wait.loop);
  g_assert_true (reel_project_file_save_finish (project, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  reel_project_file_set_snapshot_slice (0);
  g_assert_false (reel_project_get_modified (project));

  loaded = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reel_shot_get_description (reel_scene_get_shot (
                     reel_project_get_scene (loaded, 0), 0)), ==, "Copied, then changed");
  g_assert_cmpstr (reel_shot_get_description (reel_scene_get_shot (
                     reel_project_get_scene (loaded, 2), 99)), ==, "Not copied yet, changed");
  storage_test_assert_equal (project, loaded, "after a save in slices");

  g_main_loop_unref (wait.loop);
}

/* A file replaced behind the project's back is written whole again; for a project of many
 * shots that whole snapshot is taken in slices between frames too, not in one go. */
static void
test_async_retry_whole_in_slices (void)
{
  g_autofree char *dir = storage_test_make_dir ("async-retry-slices");
  g_autofree char *path = g_build_filename (dir, "retry.storyreel", NULL);
  g_autofree char *copy_path = g_build_filename (dir, "retry-copy.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) copy = g_file_new_for_path (copy_path);
  g_autoptr(ReelProject) project = reel_test_project_random (reel_test_seed (6200), 3, 100, 2);
  g_autoptr(ReelProject) loaded = NULL;
  g_autoptr(GError) error = NULL;
  ReelProjectFilePhaseTimes times = { 0, };
  AsyncWait wait = { g_main_loop_new (NULL, FALSE), NULL };

  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);

  /* Another program replaces the file with a copy of itself: a new file, same content. */
  g_assert_true (g_file_copy (file, copy, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_move (copy, file, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  reel_edit_set_string (project,
                        G_OBJECT (reel_scene_get_shot (reel_project_get_scene (project, 1), 7)),
                        "description", "Edited after the file was replaced");
  reel_project_file_set_snapshot_slice (10);
  reel_project_file_take_phase_times (&times);
  reel_project_file_save_async (project, file, REEL_PROJECT_FILE_SAVE_DEFAULT, NULL,
                                async_done, &wait);
  g_main_loop_run (wait.loop);
  reel_project_file_set_snapshot_slice (0);
  g_assert_true (reel_project_file_save_finish (project, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  reel_project_file_take_phase_times (&times);

  /* The first try copies the one changed shot; the whole write copies all 300, ten at a
   * time, and takes its snapshot once. */
  g_assert_cmpuint (times.count[REEL_PROJECT_FILE_PHASE_COPY_SLICE], >=, 300 / 10);
  g_assert_cmpuint (times.count[REEL_PROJECT_FILE_PHASE_SNAPSHOT], ==, 2);
  g_assert_false (reel_project_get_modified (project));

  loaded = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);
  storage_test_assert_equal (project, loaded, "after a whole write in slices");

  g_main_loop_unref (wait.loop);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/project-file/round-trip/random", test_round_trip_random);
  g_test_add_func ("/project-file/round-trip/demo", test_round_trip_demo);
  g_test_add_func ("/project-file/incremental/random-edits", test_incremental_random_edits);
  g_test_add_func ("/project-file/incremental/writes-little", test_incremental_writes_little);
  g_test_add_func ("/project-file/incremental/external-change", test_external_change);
  g_test_add_func ("/project-file/document-and-modified", test_document_and_modified);
  g_test_add_func ("/project-file/plates-relative", test_plates_relative);
  g_test_add_func ("/project-file/migration/v1", test_migration_from_v1);
  g_test_add_func ("/project-file/points-codec", test_points_codec);
  g_test_add_func ("/project-file/async", test_async);
  g_test_add_func ("/project-file/async-snapshot-slices", test_async_snapshot_slices);
  g_test_add_func ("/project-file/async-retry-whole-in-slices",
                   test_async_retry_whole_in_slices);

  return g_test_run ();
}
