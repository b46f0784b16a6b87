/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <utime.h>

#include "media/reel-clip-frames.h"
#include "media/reel-media-cache.h"
#include "media/reel-sketch-plate.h"
#include "media-test-util.h"

/* The files drawn into the cache to play shots (sketch plates, camera moves) are trimmed,
 * least recently used first, never one in use. */

static char *
make_file (const char *dir,
           const char *name,
           gsize       size,
           gint64      age_seconds)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = g_malloc0 (size);
  struct utimbuf times;

  g_assert_true (g_file_set_contents (path, contents, (gssize) size, NULL));
  times.actime = times.modtime = (time_t) (g_get_real_time () / G_USEC_PER_SEC - age_seconds);
  g_assert_cmpint (g_utime (path, &times), ==, 0);
  return path;
}

static gint64
age_of (const char *path)
{
  GStatBuf info;

  g_assert_cmpint (g_stat (path, &info), ==, 0);
  return g_get_real_time () / G_USEC_PER_SEC - (gint64) info.st_mtime;
}

/* Too old goes first; then the least recently used until the rest fit; a file held by a
 * player, or used within the grace period, stays whatever its age or size. */
static void
test_trim (void)
{
  g_autofree char *dir = media_test_make_dir ();
  g_autofree char *ancient = make_file (dir, "ancient.webm", 100, 40 * 24 * 3600);
  g_autofree char *oldest = make_file (dir, "oldest.webm", 300, 5 * 3600);
  g_autofree char *older = make_file (dir, "older.webm", 300, 4 * 3600);
  g_autofree char *held = make_file (dir, "held.webm", 300, 6 * 3600);
  g_autofree char *recent = make_file (dir, "recent.webm", 300, 2 * 3600);
  g_autofree char *fresh = make_file (dir, "fresh.webm", 300, 60);
  g_autoptr(GFile) held_file = g_file_new_for_path (held);

  reel_media_cache_hold (held_file);
  reel_media_cache_hold (held_file);
  reel_media_cache_release (held_file);
  g_assert_true (reel_media_cache_is_held (held_file));

  /* 1600 bytes, 700 allowed: the ancient file for its age, then the least recently used
   * until the rest fit, passing over the held one (the oldest of all). */
  g_assert_cmpuint (reel_media_cache_trim (dir, 700, 30 * G_TIME_SPAN_DAY,
                                           10 * G_TIME_SPAN_MINUTE), ==, 4);
  g_assert_false (g_file_test (ancient, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (oldest, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (older, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (recent, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (held, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (fresh, G_FILE_TEST_EXISTS));

  /* Nothing more to give: the held and the fresh ones stay even with no room at all. */
  g_assert_cmpuint (reel_media_cache_trim (dir, 0, 0, 10 * G_TIME_SPAN_MINUTE), ==, 0);
  g_assert_true (g_file_test (held, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (fresh, G_FILE_TEST_EXISTS));

  /* Released, it goes like any other. */
  reel_media_cache_release (held_file);
  g_assert_false (reel_media_cache_is_held (held_file));
  g_assert_cmpuint (reel_media_cache_trim (dir, 0, 0, 10 * G_TIME_SPAN_MINUTE), ==, 1);
  g_assert_false (g_file_test (held, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (fresh, G_FILE_TEST_EXISTS));

  media_test_remove_dir (dir);
}

/* A file being written, by this process or another, is never trimmed, however full the
 * folder and however short the grace; one left behind by a writer that died goes in time. */
static void
test_partial_files (void)
{
  g_autofree char *dir = media_test_make_dir ();
  g_autofree char *target = g_build_filename (dir, "plate.webm", NULL);
  g_autofree char *first = reel_cache_create_partial (target);
  g_autofree char *second = reel_cache_create_partial (target);
  g_autofree char *writing = make_file (dir, "clip.mp4.3f9a0c1e.partial", 5000, 3 * 3600);
  g_autofree char *older_writer = make_file (dir, "move.webm.0x5612.part", 5000, 3600);
  g_autofree char *abandoned = make_file (dir, "clip.mp4.77aa0e12.partial", 5000,
                                          3 * 24 * 3600);
  g_autofree char *done = make_file (dir, "done.webm", 100, 3 * 3600);

  /* Two writers of the same file each get a file of their own, already there. */
  g_assert_nonnull (first);
  g_assert_nonnull (second);
  g_assert_cmpstr (first, !=, second);
  g_assert_true (g_str_has_prefix (first, target));
  g_assert_true (reel_media_cache_is_partial (first));
  g_assert_true (g_file_test (first, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (second, G_FILE_TEST_IS_REGULAR));
  g_assert_false (reel_media_cache_is_partial ("plate.webm"));

  /* No room at all and no grace: only the finished file and the abandoned piece go. */
  g_assert_cmpuint (reel_media_cache_trim (dir, 0, 0, 0), ==, 2);
  g_assert_false (g_file_test (done, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (abandoned, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (writing, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (older_writer, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (first, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (second, G_FILE_TEST_EXISTS));

  media_test_remove_dir (dir);
}

static void
set_age (const char *path,
         gint64      age_seconds)
{
  struct utimbuf times;

  times.actime = times.modtime = (time_t) (g_get_real_time () / G_USEC_PER_SEC - age_seconds);
  g_assert_cmpint (g_utime (path, &times), ==, 0);
}

static GBytes *
load_clip (const char *dir,
           const char *name,
           int         frames)
{
  g_autofree char *path = media_test_make_counter_clip (dir, name, 64, 36, 24, 1, frames);
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* Clips streamed out of a project (storyreel/media) follow the same rules: a clip found
 * again counts as used now; writing a new one trims what was unused for too long, never a
 * file in use. */
static void
test_asset_files (void)
{
  g_autofree char *dir = media_test_make_dir ();
  g_autoptr(GBytes) first_bytes = load_clip (dir, "first.webm", 3);
  g_autoptr(GBytes) second_bytes = load_clip (dir, "second.webm", 4);
  g_autoptr(ReelAsset) first = reel_asset_new_video (first_bytes, REEL_MIME_WEBM, 64, 36, NULL);
  g_autoptr(ReelAsset) second = reel_asset_new_video (second_bytes, REEL_MIME_WEBM, 64, 36,
                                                      NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) again = NULL;
  g_autoptr(GFile) other = NULL;
  g_autoptr(GFile) held_file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *stale = NULL;
  g_autofree char *held = NULL;

  file = reel_media_cache_dup_asset_file (first, NULL, &error);
  g_assert_no_error (error);
  path = g_file_get_path (file);
  folder = g_path_get_dirname (path);
  g_assert_true (g_str_has_suffix (folder, G_DIR_SEPARATOR_S "media"));
  set_age (path, 3600);

  again = reel_media_cache_dup_asset_file (first, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_equal (file, again));
  g_assert_cmpint (age_of (path), <, 600);

  stale = make_file (folder, "stale.mp4", 1000, 60 * 24 * 3600);
  held = make_file (folder, "held.mp4", 1000, 60 * 24 * 3600);
  held_file = g_file_new_for_path (held);
  reel_media_cache_hold (held_file);
  other = reel_media_cache_dup_asset_file (second, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_equal (file, other));
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (held, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_query_exists (file, NULL));
  g_assert_true (g_file_query_exists (other, NULL));
  reel_media_cache_release (held_file);
  g_unlink (held);

  media_test_remove_dir (dir);
}

/* Clips given as bytes go to storyreel/clips to be played: the same rules. */
static void
test_clip_files (void)
{
  g_autofree char *dir = media_test_make_dir ();
  g_autoptr(GBytes) first_bytes = load_clip (dir, "first.webm", 3);
  g_autoptr(GBytes) second_bytes = load_clip (dir, "second.webm", 4);
  g_autoptr(ReelClipFrames) first = reel_clip_frames_new_for_bytes (first_bytes);
  g_autoptr(ReelClipFrames) again = NULL;
  g_autoptr(ReelClipFrames) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, first_bytes);
  g_autofree char *name = g_strconcat (hash, ".clip", NULL);
  g_autofree char *folder = g_build_filename (g_get_user_cache_dir (), "storyreel", "clips",
                                              NULL);
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autofree char *stale = NULL;

  g_assert_true (reel_clip_frames_open (first, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  set_age (path, 3600);

  again = reel_clip_frames_new_for_bytes (first_bytes);
  g_assert_true (reel_clip_frames_open (again, &error));
  g_assert_no_error (error);
  g_assert_cmpint (age_of (path), <, 600);

  /* The first clip is still open (held); a stale one goes when a new clip is written. */
  set_age (path, 60 * 24 * 3600);
  stale = make_file (folder, "stale.clip", 1000, 60 * 24 * 3600);
  second = reel_clip_frames_new_for_bytes (second_bytes);
  g_assert_true (reel_clip_frames_open (second, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  media_test_remove_dir (dir);
}

/* A sketch plate found again counts as used now, so a busy shot's plate is trimmed last;
 * writing a new one trims the folder of plates unused for longer than the cache keeps
 * them. */
static void
test_sketch_plates (void)
{
  g_autoptr(GFile) plate = NULL;
  g_autoptr(GFile) again = NULL;
  g_autoptr(GFile) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *stale = NULL;
  struct utimbuf times;

  plate = reel_sketch_plate_write (4, 24, 1, 64, 36, NULL, &error);
  g_assert_no_error (error);
  path = g_file_get_path (plate);
  folder = g_path_get_dirname (path);
  times.actime = times.modtime = (time_t) (g_get_real_time () / G_USEC_PER_SEC - 3600);
  g_assert_cmpint (g_utime (path, &times), ==, 0);
  g_assert_cmpint (age_of (path), >=, 3600);

  again = reel_sketch_plate_write (4, 24, 1, 64, 36, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_equal (plate, again));
  g_assert_cmpint (age_of (path), <, 600);

  stale = make_file (folder, "stale.webm", 1000, 60 * 24 * 3600);
  other = reel_sketch_plate_write (5, 24, 1, 64, 36, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_equal (plate, other));
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_query_exists (plate, NULL));
  g_assert_true (g_file_query_exists (other, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* First: it points the cache somewhere private. */
  media_test_init ();

  g_test_add_func ("/media/cache/trim", test_trim);
  g_test_add_func ("/media/cache/partial-files", test_partial_files);
  g_test_add_func ("/media/cache/sketch-plates", test_sketch_plates);
  g_test_add_func ("/media/cache/asset-files", test_asset_files);
  g_test_add_func ("/media/cache/clip-files", test_clip_files);

  return g_test_run ();
}
