/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "../reel-test-require.h"
#include "reel-test-project.h"
#include "storage-test-util.h"
#include "storage/reel-demo.h"
#include "storage/reel-project-file.h"

/* Bad files: each gives its own error, in the storage domain, naming the file, and
 * nothing on disk changes: not the file, and no journal or temporary file appears. */

static gboolean private_mounts;

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
save_project (ReelProject *project,
              const char  *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);
}

static void
assert_error_names_file (const GError *error,
                         int           code,
                         const char   *path)
{
  g_assert_error (error, REEL_STORAGE_ERROR, code);
  g_test_message ("%s", error->message);
  if (strstr (error->message, path) == NULL)
    g_error ("“%s” does not name %s", error->message, path);
}

/* Opens @path, expects @code, and checks that the folder is byte for byte as before. */
static void
assert_load_fails (const char *path,
                   int         code)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = storage_test_read_bytes (path);
  g_autoptr(GBytes) after = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  guint n_entries = count_entries (dir);
  g_autoptr(ReelProject) project = NULL;

  project = reel_project_file_load (file, NULL, &error);
  g_assert_null (project);
  assert_error_names_file (error, code, path);

  after = storage_test_read_bytes (path);
  if (before == NULL)
    g_assert_null (after);
  else
    g_assert_true (g_bytes_equal (before, after));
  g_assert_cmpuint (count_entries (dir), ==, n_entries);
}

/* Saving over @path is refused and leaves it alone. */
static void
assert_save_refused (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = storage_test_read_bytes (path);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_autofree char *dir = g_path_get_dirname (path);
  guint n_entries = count_entries (dir);

  g_assert_false (reel_project_file_save (project, file, NULL, &error));
  assert_error_names_file (error, REEL_STORAGE_ERROR_EXISTS, path);
  after = storage_test_read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_cmpuint (count_entries (dir), ==, n_entries);
}

static void
test_missing_and_folder (void)
{
  g_autofree char *dir = storage_test_make_dir ("bad-missing");
  g_autofree char *missing = g_build_filename (dir, "nowhere.storyreel", NULL);
  g_autofree char *folder = g_build_filename (dir, "folder.storyreel", NULL);

  assert_load_fails (missing, REEL_STORAGE_ERROR_NOT_FOUND);
  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  assert_load_fails (folder, REEL_STORAGE_ERROR_NOT_PROJECT);
}

static void
test_empty (void)
{
  g_autofree char *dir = storage_test_make_dir ("bad-empty");
  g_autofree char *path = g_build_filename (dir, "empty.storyreel", NULL);

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  assert_load_fails (path, REEL_STORAGE_ERROR_EMPTY);
}

static void
test_truncated (void)
{
  g_autofree char *dir = storage_test_make_dir ("bad-truncated");
  g_autofree char *whole = g_build_filename (dir, "whole.storyreel", NULL);
  g_autoptr(ReelProject) project = reel_test_project_random (reel_test_seed (100), 3, 8, 10);
  g_autoptr(GBytes) bytes = NULL;
  const gsize cuts[] = { 9, 60, 4096 + 100, 0 };
  gsize size;

  save_project (project, whole);
  bytes = storage_test_read_bytes (whole);
  size = g_bytes_get_size (bytes);
  g_assert_cmpuint (size, >, 8 * 4096);

  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      gsize cut = cuts[i] != 0 ? cuts[i] : (size / 2 / 4096) * 4096;
      g_autofree char *name = g_strdup_printf ("cut-%zu.storyreel", cut);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), cut, NULL));
      assert_load_fails (path, REEL_STORAGE_ERROR_TRUNCATED);
      assert_save_refused (path);
    }
}

static void
test_random_bytes (void)
{
  g_autofree char *dir = storage_test_make_dir ("bad-random");
  g_autofree char *path = g_build_filename (dir, "noise.storyreel", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (reel_test_seed (200));
  g_autofree guint8 *noise = g_malloc (65536);

  for (guint i = 0; i < 65536; i++)
    noise[i] = g_rand_int_range (rand, 0, 256);
  g_assert_true (g_file_set_contents (path, (const char *) noise, 65536, NULL));
  assert_load_fails (path, REEL_STORAGE_ERROR_NOT_PROJECT);
  assert_save_refused (path);

  /* A screenplay by mistake is not a project either. */
  g_assert_true (g_file_set_contents (path, "INT. HOUSE - DAY\n\nShe waits.\n", -1, NULL));
  assert_load_fails (path, REEL_STORAGE_ERROR_NOT_PROJECT);
  assert_save_refused (path);
}

static void
test_foreign_database (void)
{
  g_autofree char *dir = storage_test_make_dir ("bad-foreign");
  g_autofree char *path = g_build_filename (dir, "places.storyreel", NULL);
  sqlite3 *db = NULL;

  /* Something like a browser's history. */
  db = storage_test_open_db (path, FALSE);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);"
                                     "INSERT INTO moz_places (url) VALUES ('https://gnome.org');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  assert_load_fails (path, REEL_STORAGE_ERROR_FOREIGN);
  assert_save_refused (path);
}

static void
test_newer_version (void)
{
  g_autofree char *dir = storage_test_make_dir ("bad-newer");
  g_autofree char *path = g_build_filename (dir, "future.storyreel", NULL);
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelProject) loaded = NULL;
  sqlite3 *db = NULL;

  save_project (project, path);
  db = storage_test_open_db (path, FALSE);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE meta SET value = '99' WHERE key = 'format_version';"
                                     "UPDATE meta SET value = 'Storyreel 9.0' WHERE key = 'writer'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  assert_load_fails (path, REEL_STORAGE_ERROR_NEWER_VERSION);
  loaded = reel_project_file_load (file, NULL, &error);
  g_assert_nonnull (strstr (error->message, "newer"));
  g_assert_nonnull (strstr (error->message, "Storyreel 9.0"));

  /* Nor is it replaced by this version. */
  assert_save_refused (path);
}

static void
test_corrupt_page (void)
{
  g_autofree char *dir = storage_test_make_dir ("bad-corrupt");
  g_autofree char *path = g_build_filename (dir, "damaged.storyreel", NULL);
  g_autoptr(ReelProject) project = reel_test_project_random (reel_test_seed (300), 3, 10, 12);
  g_autoptr(GRand) rand = g_rand_new_with_seed (300);
  GStatBuf st;
  gsize n_pages;
  int fd;

  save_project (project, path);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  n_pages = st.st_size / 4096;
  g_assert_cmpuint (n_pages, >, 10);

  /* Scribble over the middle of a page in the middle of the file, as a bad sector or
   * a crashed copy would. */
  fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  for (guint i = 0; i < 3; i++)
    {
      guint8 junk[512];
      off_t offset = (off_t) (n_pages / 2 + i) * 4096 + 8;

      for (guint j = 0; j < sizeof junk; j++)
        junk[j] = g_rand_int_range (rand, 0, 256);
      g_assert_cmpint (pwrite (fd, junk, sizeof junk, offset), ==, sizeof junk);
    }
  close (fd);

  assert_load_fails (path, REEL_STORAGE_ERROR_CORRUPT);
}

/* A tmpfs of @options mounted on a new folder, private to this test process. */
static char *
mount_tmpfs (const char *name,
             const char *options)
{
  g_autofree char *dir = storage_test_make_dir (name);

  if (mount ("tmpfs", dir, "tmpfs", 0, options) != 0)
    {
      g_test_message ("mount %s: %s", dir, g_strerror (errno));
      return NULL;
    }
  return g_steal_pointer (&dir);
}

static void
test_unwritable_location (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *existing = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) existing_file = NULL;
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_autoptr(ReelProject) loaded = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;

  if (private_mounts)
    {
      /* root may write anywhere the permissions forbid, but not on a read-only mount. */
      dir = mount_tmpfs ("bad-readonly", "size=2m,mode=0755");
      g_assert_nonnull (dir);
    }
  else if (geteuid () != 0)
    {
      dir = storage_test_make_dir ("bad-readonly");
    }
  else if (!reel_test_require (FALSE, "a private mount namespace for a read-only tmpfs "
                                     "(root may write anywhere else: unshare(CLONE_NEWNS) failed)"))
    return;

  existing = g_build_filename (dir, "existing.storyreel", NULL);
  existing_file = g_file_new_for_path (existing);
  save_project (project, existing);
  loaded = reel_project_file_load (existing_file, NULL, &error);
  g_assert_no_error (error);

  if (private_mounts)
    g_assert_cmpint (mount (NULL, dir, NULL, MS_REMOUNT | MS_RDONLY, NULL), ==, 0);
  else
    {
      g_assert_cmpint (g_chmod (existing, 0444), ==, 0);
      g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
    }

  /* A new file in that folder. */
  path = g_build_filename (dir, "new.storyreel", NULL);
  file = g_file_new_for_path (path);
  g_assert_false (reel_project_file_save (project, file, NULL, &error));
  assert_error_names_file (error, REEL_STORAGE_ERROR_PERMISSION, path);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* An edit saved in place. */
  before = storage_test_read_bytes (existing);
  reel_project_set_title (loaded, "Not to be written");
  g_assert_false (reel_project_file_save (loaded, existing_file, NULL, &error));
  assert_error_names_file (error, REEL_STORAGE_ERROR_PERMISSION, existing);
  g_assert_true (reel_project_get_modified (loaded));
  after = storage_test_read_bytes (existing);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_cmpuint (count_entries (dir), ==, 1);

  if (!private_mounts)
    g_chmod (dir, 0755);
}

static void
test_disk_full (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(ReelProject) small = reel_demo_project_new ();
  g_autoptr(ReelProject) big = reel_test_project_random (reel_test_seed (400), 4, 20, 30);
  g_autoptr(ReelProject) loaded = NULL;
  g_autoptr(ReelProject) reread = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (400);

  if (!reel_test_require (private_mounts, "a private mount namespace for a small tmpfs "
                                          "(unshare(CLONE_NEWNS), or a user namespace)"))
    return;

  dir = mount_tmpfs ("bad-full", "size=256k,mode=0755");
  g_assert_nonnull (dir);
  path = g_build_filename (dir, "project.storyreel", NULL);
  file = g_file_new_for_path (path);
  save_project (small, path);
  before = storage_test_read_bytes (path);

  /* A whole new file that does not fit. */
  g_assert_false (reel_project_file_save (big, file, NULL, &error));
  assert_error_names_file (error, REEL_STORAGE_ERROR_DISK_FULL, path);
  g_clear_error (&error);
  after = storage_test_read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_cmpuint (count_entries (dir), ==, 1);
  g_clear_pointer (&after, g_bytes_unref);

  /* Edits saved in place that do not fit: rolled back. */
  loaded = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3000; i++)
    {
      ReelScene *scene = reel_project_get_scene (loaded, 0);
      ReelShot *shot = reel_scene_get_shot (scene, i % reel_scene_get_n_shots (scene));
      g_autoptr(ReelStroke) stroke = storage_test_freehand_stroke (rand, 60);

      reel_sketch_append_stroke (reel_shot_get_sketch (shot), REEL_LAYER_SKETCH, stroke);
    }
  g_assert_false (reel_project_file_save (loaded, file, NULL, &error));
  assert_error_names_file (error, REEL_STORAGE_ERROR_DISK_FULL, path);
  g_clear_error (&error);
  g_assert_true (reel_project_get_modified (loaded));
  after = storage_test_read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_cmpuint (count_entries (dir), ==, 1);

  reread = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);
  storage_test_assert_equal (small, reread, "after a full disk");
}

static gboolean
write_proc_file (const char *path,
                 const char *text)
{
  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_NONE, 0644, NULL);
}

/* A mount namespace of this process alone: as root directly; as a normal user inside a
 * user namespace where it is root (Debian allows these), mapped to itself. */
static gboolean
enter_private_mounts (void)
{
  if (unshare (CLONE_NEWNS) != 0)
    {
      g_autofree char *uid_map = g_strdup_printf ("0 %u 1\n", (guint) geteuid ());
      g_autofree char *gid_map = g_strdup_printf ("0 %u 1\n", (guint) getegid ());

      if (geteuid () == 0 || unshare (CLONE_NEWUSER | CLONE_NEWNS) != 0 ||
          !write_proc_file ("/proc/self/setgroups", "deny") ||
          !write_proc_file ("/proc/self/uid_map", uid_map) ||
          !write_proc_file ("/proc/self/gid_map", gid_map))
        return FALSE;
    }

  return mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* Mounts made in a private namespace disappear with this process, whatever happens
   * to it. */
  private_mounts = enter_private_mounts ();

  g_test_add_func ("/bad-files/missing-and-folder", test_missing_and_folder);
  g_test_add_func ("/bad-files/empty", test_empty);
  g_test_add_func ("/bad-files/truncated", test_truncated);
  g_test_add_func ("/bad-files/random-bytes", test_random_bytes);
  g_test_add_func ("/bad-files/foreign-database", test_foreign_database);
  g_test_add_func ("/bad-files/newer-version", test_newer_version);
  g_test_add_func ("/bad-files/corrupt-page", test_corrupt_page);
  g_test_add_func ("/bad-files/unwritable-location", test_unwritable_location);
  g_test_add_func ("/bad-files/disk-full", test_disk_full);

  return reel_test_run ();
}
