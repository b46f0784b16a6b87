/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "reel-test-project.h"
#include "storage-test-util.h"
#include "storage/reel-project-file.h"
#include "storage/reel-project-file-private.h"

/*
 * The asset store at save: an image nothing reaches any more, not even undo,
 * leaves the file and the file shrinks; an image undo can bring back stays.
 */

#define N_SHOTS 24

static ReelProject *
make_project (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  ReelProject *project = reel_project_new ();
  g_autoptr(ReelScene) scene = reel_scene_new ();

  reel_project_append_scene (project, scene);
  for (guint i = 0; i < N_SHOTS; i++)
    {
      g_autoptr(ReelShot) shot = reel_shot_new ();
      g_autoptr(ReelAsset) asset = storage_test_noise_image (rand, 160, 120);

      reel_edit_insert_shot (project, scene, i, shot);
      reel_edit_add_variant (project, shot, asset);
      reel_edit_set_background (project, shot, reel_asset_get_hash (asset));
    }
  return project;
}

static gint64
file_size (const char *path)
{
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  return st.st_size;
}

static int
auto_vacuum_of (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int mode = -1;

  db = storage_test_open_db (path, TRUE);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA auto_vacuum", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    mode = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return mode;
}

static gboolean
bytes_contain (const guint8 *haystack,
               gsize         haystack_size,
               const guint8 *needle,
               gsize         needle_size)
{
  for (gsize i = 0; i + needle_size <= haystack_size; i++)
    if (haystack[i] == needle[0] && memcmp (haystack + i, needle, needle_size) == 0)
      return TRUE;
  return FALSE;
}

static ReelProject *
load (GFile *file)
{
  g_autoptr(GError) error = NULL;
  ReelProject *project = reel_project_file_load (file, NULL, &error);

  g_assert_no_error (error);
  return project;
}

static void
save (ReelProject *project,
      GFile       *file)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);
  /* The space goes back after the save, in steps, on a thread of its own. */
  reel_project_file_wait_compacted (file);
}

/* Deletes every other shot of the first scene, as the user would (undoable);
 * gives the hashes of their images. */
static GPtrArray *
delete_half (ReelProject *project)
{
  ReelScene *scene = reel_project_get_scene (project, 0);
  GPtrArray *hashes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = reel_scene_get_n_shots (scene); i-- > 0;)
    if (i % 2 == 1)
      {
        ReelShot *shot = reel_scene_get_shot (scene, i);

        g_ptr_array_add (hashes, g_strdup (reel_shot_get_background (shot)));
        g_assert_true (reel_edit_remove_shot (project, shot));
      }
  return hashes;
}

static void
test_unreachable_assets_leave_the_file (void)
{
  g_autofree char *dir = storage_test_make_dir ("asset-store");
  g_autofree char *path = g_build_filename (dir, "half.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelProject) project = make_project ();
  g_autoptr(ReelProject) reopened = NULL;
  g_autoptr(ReelProject) check = NULL;
  g_autoptr(GPtrArray) deleted = NULL;
  g_autoptr(GPtrArray) deleted_bytes = g_ptr_array_new_with_free_func (
    (GDestroyNotify) g_bytes_unref);
  g_autoptr(GBytes) file_bytes = NULL;
  gint64 full_size, held_size, half_size;
  ReelHistory *history = reel_project_get_history (project);

  save (project, file);
  full_size = file_size (path);
  g_assert_cmpint (auto_vacuum_of (path), ==, 2);
  g_test_message ("file with %u images: %" G_GINT64_FORMAT " bytes", N_SHOTS, full_size);

  /* Deleted, but undo can bring them back: they stay in the file. */
  deleted = delete_half (project);
  save (project, file);
  held_size = file_size (path);
  g_assert_cmpint (held_size, >=, full_size * 9 / 10);
  check = load (file);
  g_assert_cmpuint (reel_project_get_n_shots (check), ==, N_SHOTS / 2);
  for (guint i = 0; i < deleted->len; i++)
    g_assert_nonnull (reel_project_lookup_asset (check, g_ptr_array_index (deleted, i)));
  g_clear_object (&check);

  /* Undo brings the shots back with their images, and saves them. */
  while (reel_history_can_undo (history) &&
         reel_project_get_n_shots (project) < N_SHOTS)
    reel_history_undo (history);
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, N_SHOTS);
  for (guint i = 0; i < deleted->len; i++)
    g_assert_nonnull (reel_project_lookup_asset (project, g_ptr_array_index (deleted, i)));
  save (project, file);
  check = load (file);
  storage_test_assert_equal (project, check, "after undoing the deletion");
  g_clear_object (&check);

  /* Deleted again, and this time nothing can bring them back: the file was
   * opened anew (an empty history), and the next save after an edit drops
   * them and gives the space back. Nothing of their bytes stays in the file (the
   * save frees their pages without zeroing them; giving the space back moves pages
   * over them or cuts them off). */
  for (guint i = 0; i < deleted->len; i++)
    {
      ReelAsset *asset = reel_project_lookup_asset (project, g_ptr_array_index (deleted, i));
      g_autoptr(GBytes) data = reel_asset_dup_data (asset, NULL, NULL);

      g_assert_nonnull (data);
      g_ptr_array_add (deleted_bytes, g_steal_pointer (&data));
    }
  g_ptr_array_unref (delete_half (project));
  save (project, file);
  reopened = load (file);
  g_assert_cmpuint (reel_project_get_n_assets (reopened), ==, N_SHOTS);
  reel_edit_set_string (reopened, G_OBJECT (reopened), "title", "Half");
  reel_history_clear (reel_project_get_history (reopened));
  save (reopened, file);
  half_size = file_size (path);
  g_test_message ("after deleting half the shots: %" G_GINT64_FORMAT " bytes (%.2f of %"
                  G_GINT64_FORMAT ")", half_size, (double) half_size / full_size, full_size);
  g_assert_cmpint (half_size, <=, full_size * 6 / 10);
  g_assert_cmpint (half_size, >=, full_size * 4 / 10);

  check = load (file);
  g_assert_cmpuint (reel_project_get_n_assets (check), ==, N_SHOTS / 2);
  for (guint i = 0; i < deleted->len; i++)
    g_assert_null (reel_project_lookup_asset (check, g_ptr_array_index (deleted, i)));
  storage_test_assert_equal (reopened, check, "after dropping the unused images");

  file_bytes = storage_test_read_bytes (path);
  for (guint i = 0; i < deleted_bytes->len; i++)
    {
      gsize size, file_size_read;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (deleted_bytes, i), &size);
      const guint8 *contents = g_bytes_get_data (file_bytes, &file_size_read);

      /* 256 bytes of noise from the middle of the image: found only if it is there. */
      g_assert_cmpuint (size, >, 1024);
      g_assert_false (bytes_contain (contents, file_size_read, data + size / 2, 256));
    }
}

/* A file written before incremental auto-vacuum is switched by its next save,
 * which writes it whole, and then shrinks like any other. */
static void
test_old_file_switches_to_incremental_vacuum (void)
{
  g_autofree char *dir = storage_test_make_dir ("asset-store-old");
  g_autofree char *path = g_build_filename (dir, "old.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelProject) project = make_project ();
  g_autoptr(ReelProject) reopened = NULL;
  g_autoptr(ReelProject) check = NULL;
  sqlite3 *db = NULL;
  gint64 full_size;

  save (project, file);
  db = storage_test_open_db (path, FALSE);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA auto_vacuum = NONE; VACUUM", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (auto_vacuum_of (path), ==, 0);
  full_size = file_size (path);

  reopened = load (file);
  g_ptr_array_unref (delete_half (reopened));
  reel_history_clear (reel_project_get_history (reopened));
  save (reopened, file);
  g_assert_cmpint (auto_vacuum_of (path), ==, 2);
  g_assert_cmpint (file_size (path), <=, full_size * 6 / 10);

  check = load (file);
  storage_test_assert_equal (reopened, check, "the switched file");
}

/* One image's bytes damaged on disk: the project opens, the other images draw,
 * and that one says which it is. */
static void
test_damaged_image_opens (void)
{
  g_autofree char *dir = storage_test_make_dir ("asset-store-damaged");
  g_autofree char *path = g_build_filename (dir, "damaged.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelProject) project = make_project ();
  g_autoptr(ReelProject) reopened = NULL;
  g_autofree char *victim = NULL;
  g_autofree char *sql = NULL;
  ReelScene *scene;
  sqlite3 *db = NULL;
  guint n_damaged = 0, n_good = 0;

  save (project, file);
  victim = g_strdup (reel_shot_get_background (
    reel_scene_get_shot (reel_project_get_scene (project, 0), 3)));
  sql = g_strdup_printf ("UPDATE assets SET data = substr(data, 1, length(data) - 1) || x'00' "
                         "WHERE hash = '%s'", victim);
  db = storage_test_open_db (path, FALSE);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);

  reopened = load (file);
  g_assert_cmpuint (reel_project_get_n_shots (reopened), ==, N_SHOTS);
  scene = reel_project_get_scene (reopened, 0);
  for (guint i = 0; i < reel_scene_get_n_shots (scene); i++)
    {
      const char *hash = reel_shot_get_background (reel_scene_get_shot (scene, i));
      ReelAsset *asset = reel_project_lookup_asset (reopened, hash);
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strndup (hash, 12);

      g_assert_nonnull (asset);
      pixbuf = reel_asset_create_pixbuf (asset, &error);
      if (g_str_equal (hash, victim))
        {
          g_assert_null (pixbuf);
          g_assert_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_IMAGE);
          g_assert_nonnull (strstr (error->message, name));
          n_damaged++;
        }
      else
        {
          g_assert_no_error (error);
          n_good++;
        }
    }
  g_assert_cmpuint (n_damaged, ==, 1);
  g_assert_cmpuint (n_good, ==, N_SHOTS - 1);
}

/* Two services returned the same bytes, the second from a reference image: that
 * reference is part of the image's story and stays through a save, as the first
 * record's would; once the image goes, so does it. */
static void
test_reference_of_a_second_record_stays (void)
{
  g_autofree char *dir = storage_test_make_dir ("asset-store-second-record");
  g_autofree char *path = g_build_filename (dir, "project.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (reel_test_seed (9100));
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(ReelScene) scene = reel_scene_new ();
  g_autoptr(ReelShot) shot = reel_shot_new ();
  g_autoptr(ReelAsset) reference = storage_test_noise_image (rand, 32, 18);
  g_autoptr(ReelAsset) image = storage_test_noise_image (rand, 64, 36);
  g_autoptr(ReelGenerationRecord) first = reel_generation_record_new ();
  g_autoptr(ReelGenerationRecord) second = reel_generation_record_new ();
  g_autoptr(ReelAsset) generated = NULL;
  g_autoptr(ReelAsset) again = NULL;
  g_autoptr(ReelProject) loaded = NULL;
  g_autoptr(GError) error = NULL;

  reel_project_append_scene (project, scene);
  reel_scene_append_shot (scene, shot);
  first->provider = g_strdup ("gemini");
  second->provider = g_strdup ("comfyui");
  second->input_hashes = g_new0 (char *, 2);
  second->input_hashes[0] = g_strdup (reel_asset_get_hash (reference));
  generated = reel_asset_copy_with_generation (image, first);
  again = reel_asset_copy_with_generation (image, second);
  reel_project_add_asset (project, reference);
  reel_project_add_asset (project, generated);
  reel_project_add_asset (project, again);
  reel_shot_set_variants (shot, (const char *[]) { reel_asset_get_hash (image), NULL });

  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);
  loaded = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reel_project_lookup_asset (loaded, reel_asset_get_hash (reference)));

  reel_shot_set_variants (shot, (const char *[]) { NULL });
  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&loaded);
  loaded = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reel_project_get_n_assets (loaded), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/asset-store/unreachable-assets-leave-the-file",
                   test_unreachable_assets_leave_the_file);
  g_test_add_func ("/asset-store/old-file-switches-to-incremental-vacuum",
                   test_old_file_switches_to_incremental_vacuum);

  g_test_add_func ("/asset-store/damaged-image-opens", test_damaged_image_opens);
  g_test_add_func ("/asset-store/reference-of-a-second-record-stays",
                   test_reference_of_a_second_record_stays);

  return g_test_run ();
}
