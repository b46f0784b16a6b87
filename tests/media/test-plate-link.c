/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "media/reel-media-error.h"
#include "media/reel-plate-link.h"
#include "media-test-util.h"

typedef struct
{
  char *dir;
  char *project_dir;
  char *footage_dir;
  char *plate;
  GFile *project_file;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *project_path = NULL;

  fixture->dir = media_test_make_dir ();
  fixture->project_dir = g_build_filename (fixture->dir, "film", NULL);
  fixture->footage_dir = g_build_filename (fixture->dir, "footage", NULL);
  g_assert_cmpint (g_mkdir (fixture->project_dir, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (fixture->footage_dir, 0755), ==, 0);
  fixture->plate = media_test_make_plate (fixture->footage_dir, "ball.webm", 320, 180, 24, 1, 24);
  project_path = g_build_filename (fixture->project_dir, "film.storyreel", NULL);
  fixture->project_file = g_file_new_for_path (project_path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->project_file);
  media_test_remove_dir (fixture->dir);
  g_free (fixture->plate);
  g_free (fixture->footage_dir);
  g_free (fixture->project_dir);
  g_free (fixture->dir);
}

static ReelPlate *
link_file (Fixture     *fixture,
           const char  *path,
           GError     **error)
{
  g_autoptr(GFile) media = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;

  reel_plate_link_async (media, fixture->project_file, NULL, media_test_store_result, &result);
  media_test_wait_result (&result, 30000);
  return reel_plate_link_finish (result, error);
}

static GFile *
relink (ReelPlate  *plate,
        const char *root,
        GError    **error)
{
  g_autoptr(GFile) search_root = g_file_new_for_path (root);
  g_autoptr(GAsyncResult) result = NULL;

  reel_plate_relink_async (plate, search_root, NULL, media_test_store_result, &result);
  media_test_wait_result (&result, 30000);
  return reel_plate_relink_finish (result, error);
}

static char *
make_dirs (const char *base,
           ...)
{
  va_list args;
  const char *part;
  char *path = g_strdup (base);

  va_start (args, base);
  while ((part = va_arg (args, const char *)) != NULL)
    {
      char *next = g_build_filename (path, part, NULL);

      g_free (path);
      path = next;
      g_mkdir (path, 0755);
    }
  va_end (args);

  return path;
}

/* Linking records where the footage is relative to the project, and what it is. */
static void
test_link (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelPlate) plate = link_file (fixture, fixture->plate, &error);
  g_autoptr(GFile) media = g_file_new_for_path (fixture->plate);
  g_autoptr(GFile) resolved = NULL;
  g_autofree char *hash = NULL;
  gint64 size = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (reel_plate_get_path (plate), ==, "../footage/ball.webm");
  hash = reel_plate_compute_file_hash (media, &size, NULL, &error);
  g_assert_cmpstr (reel_plate_get_hash (plate), ==, hash);
  g_assert_cmpint (reel_plate_get_file_size (plate), ==, size);
  g_assert_cmpint (reel_plate_get_width (plate), ==, 320);
  g_assert_cmpint (reel_plate_get_height (plate), ==, 180);
  g_assert_cmpint (reel_plate_get_duration (plate), >=, GST_SECOND - 5 * GST_MSECOND);
  g_assert_cmpint (reel_plate_get_duration (plate), <=, GST_SECOND + 5 * GST_MSECOND);
  g_assert_cmpuint (reel_plate_get_key_color (plate), ==, REEL_PLATE_DEFAULT_KEY_COLOR);

  resolved = reel_plate_resolve (plate, fixture->project_file);
  g_assert_true (g_file_equal (resolved, media));
}

static void
test_link_refuses_non_video (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *text = g_build_filename (fixture->footage_dir, "notes.mov", NULL);
  g_autofree char *missing = g_build_filename (fixture->footage_dir, "gone.mov", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelPlate) plate = NULL;

  g_assert_true (g_file_set_contents (text, "INT. HARBOUR - DAWN\n", -1, NULL));
  plate = link_file (fixture, text, &error);
  g_assert_null (plate);
  g_assert_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NOT_MEDIA);
  g_assert_nonnull (strstr (error->message, "notes.mov"));
  g_clear_error (&error);

  plate = link_file (fixture, missing, &error);
  g_assert_null (plate);
  g_assert_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "gone.mov"));
}

/* Moved deeper into the project's folder: found by name, checked by size and hash. */
static void
test_relink_moved (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelPlate) plate = link_file (fixture, fixture->plate, &error);
  g_autofree char *deep = make_dirs (fixture->project_dir, "media", "day 1", "cam A", NULL);
  g_autofree char *moved = g_build_filename (deep, "ball.webm", NULL);
  g_autoptr(GFile) found = NULL;
  g_autoptr(GFile) expected = g_file_new_for_path (moved);

  g_assert_no_error (error);
  g_assert_cmpint (g_rename (fixture->plate, moved), ==, 0);

  found = relink (plate, fixture->project_dir, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_equal (found, expected));
}

/* Renamed: no file has its name, but one has its size and hash. */
static void
test_relink_renamed (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelPlate) plate = link_file (fixture, fixture->plate, &error);
  g_autofree char *renamed = g_build_filename (fixture->project_dir, "A001_C003.webm", NULL);
  g_autoptr(GFile) found = NULL;
  g_autoptr(GFile) expected = g_file_new_for_path (renamed);

  g_assert_no_error (error);
  g_assert_cmpint (g_rename (fixture->plate, renamed), ==, 0);

  found = relink (plate, fixture->project_dir, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_equal (found, expected));
}

/* Another take with the same name is not the footage: nothing is relinked to it. */
static void
test_relink_refuses_impostor (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelPlate) plate = link_file (fixture, fixture->plate, &error);
  g_autofree char *impostor = NULL;
  g_autoptr(GFile) found = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (g_unlink (fixture->plate), ==, 0);
  impostor = media_test_make_plate (fixture->project_dir, "ball.webm", 320, 180, 24, 1, 30);

  found = relink (plate, fixture->project_dir, &error);
  g_assert_null (found);
  g_assert_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "ball.webm"));
  g_assert_nonnull (strstr (error->message, "film"));
}

/* The search is bounded: deeper than REEL_PLATE_SEARCH_MAX_DEPTH folders is not looked at. */
static void
test_relink_bounded (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelPlate) plate = link_file (fixture, fixture->plate, &error);
  g_autofree char *path = g_strdup (fixture->project_dir);
  g_autofree char *moved = NULL;
  g_autoptr(GFile) found = NULL;

  g_assert_no_error (error);
  for (int i = 0; i < REEL_PLATE_SEARCH_MAX_DEPTH; i++)
    {
      char *next = make_dirs (path, "deeper", NULL);

      g_free (path);
      path = next;
    }
  moved = g_build_filename (path, "ball.webm", NULL);
  g_assert_cmpint (g_rename (fixture->plate, moved), ==, 0);

  found = relink (plate, fixture->project_dir, &error);
  g_assert_null (found);
  g_assert_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  media_test_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/media/plate/link", test_link);
  ADD ("/media/plate/link-refuses-non-video", test_link_refuses_non_video);
  ADD ("/media/plate/relink-moved", test_relink_moved);
  ADD ("/media/plate/relink-renamed", test_relink_renamed);
  ADD ("/media/plate/relink-refuses-impostor", test_relink_refuses_impostor);
  ADD ("/media/plate/relink-bounded", test_relink_bounded);

#undef ADD

  return g_test_run ();
}
