/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "reel-test-project.h"
#include "storage-test-util.h"
#include "storage/reel-autosave.h"
#include "storage/reel-demo.h"
#include "storage/reel-project-file.h"
#include "storage/reel-project-file-private.h"

typedef struct
{
  GMainLoop *loop;
  guint n_saved;
  guint n_failed;
} Counter;

static void
saved_cb (ReelAutosave *autosave,
          Counter      *counter)
{
  counter->n_saved++;
}

static void
failed_cb (ReelAutosave *autosave,
           GError       *error,
           Counter      *counter)
{
  g_test_message ("autosave failed: %s", error->message);
  counter->n_failed++;
}

static gboolean
quit_cb (gpointer user_data)
{
  guint *id = user_data;

  *id = 0;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms milliseconds, or until a save or a failure. */
static void
run_for (Counter *counter,
         guint    ms)
{
  guint id = 0;
  guint saved = counter->n_saved;
  guint failed = counter->n_failed;

  id = g_timeout_add (ms, quit_cb, &id);
  while (id != 0 && counter->n_saved == saved && counter->n_failed == failed)
    g_main_context_iteration (NULL, TRUE);
  g_clear_handle_id (&id, g_source_remove);
}

static void
wait_for_save (Counter *counter)
{
  guint before = counter->n_saved;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (counter->n_saved == before && counter->n_failed == 0 &&
         g_get_monotonic_time () < deadline)
    run_for (counter, 200);
  g_assert_cmpuint (counter->n_failed, ==, 0);
  g_assert_cmpuint (counter->n_saved, >, before);
}

static ReelAutosave *
new_autosave (ReelProject *project,
              Counter     *counter)
{
  ReelAutosave *autosave = reel_autosave_new (project);

  reel_autosave_set_delay (autosave, 100);
  g_signal_connect (autosave, "saved", G_CALLBACK (saved_cb), counter);
  g_signal_connect (autosave, "failed", G_CALLBACK (failed_cb), counter);
  return autosave;
}

static void
clear_state_dir (void)
{
  g_autoptr(GFile) directory = reel_autosave_get_directory ();
  g_autofree char *path = g_file_get_path (directory);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_unlink (child);
    }
}

static guint
mode_of (const char *path)
{
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

/* Edits are written after a pause, once for a burst of edits, into a folder and file
 * only the user may read. */
static void
test_debounce_and_permissions (void)
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_autoptr(ReelAutosave) autosave = NULL;
  Counter counter = { g_main_loop_new (NULL, FALSE), 0, 0 };
  g_autoptr(GFile) directory = reel_autosave_get_directory ();
  g_autofree char *directory_path = g_file_get_path (directory);
  g_autofree char *file_path = NULL;
  g_autoptr(ReelProject) recovered = NULL;
  g_autoptr(GError) error = NULL;
  struct stat first, second;
  mode_t old_umask;

  clear_state_dir ();
  /* A loose umask must not make recovery files readable by others. */
  old_umask = umask (0002);

  autosave = new_autosave (project, &counter);

  /* Nothing happens while nothing changed. */
  run_for (&counter, 300);
  g_assert_cmpuint (counter.n_saved, ==, 0);
  g_assert_null (reel_autosave_get_file (autosave));

  /* Five edits in one burst (no main-loop turn between them, so no pause however
   * busy the machine), then the pause: one write, with the last edit. */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *title = g_strdup_printf ("Draft %u", i);

      reel_project_set_title (project, title);
    }
  wait_for_save (&counter);
  run_for (&counter, 400);
  g_assert_cmpuint (counter.n_saved, ==, 1);

  g_assert_nonnull (reel_autosave_get_file (autosave));
  file_path = g_file_get_path (reel_autosave_get_file (autosave));
  g_assert_true (g_str_has_prefix (file_path, directory_path));
  g_assert_true (g_str_has_prefix (directory_path, g_get_user_state_dir ()));
  g_assert_cmpuint (mode_of (directory_path), ==, 0700);
  g_assert_cmpuint (mode_of (file_path), ==, 0600);

  /* Still modified: the autosave is not the document. */
  g_assert_true (reel_project_get_modified (project));
  g_assert_null (reel_project_file_get_file (project));

  recovered = reel_project_file_load (reel_autosave_get_file (autosave), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reel_project_get_title (recovered), ==, "Draft 4");

  /* The next autosave writes the change into the same file. */
  g_assert_cmpint (stat (file_path, &first), ==, 0);
  reel_sketch_clear_layer (reel_shot_get_sketch (reel_scene_get_shot (
                             reel_project_get_scene (project, 0), 2)), REEL_LAYER_SKETCH);
  wait_for_save (&counter);
  g_assert_cmpint (stat (file_path, &second), ==, 0);
  g_assert_cmpuint (first.st_ino, ==, second.st_ino);
  g_assert_cmpuint (mode_of (file_path), ==, 0600);

  g_clear_object (&recovered);
  recovered = reel_project_file_load (reel_autosave_get_file (autosave), NULL, &error);
  g_assert_no_error (error);
  storage_test_assert_equal (project, recovered, "the autosaved project");

  umask (old_umask);
  g_main_loop_unref (counter.loop);
}

typedef struct
{
  ReelProject *project;
  guint n_edits;
} EditStream;

static gboolean
edit_cb (gpointer user_data)
{
  EditStream *stream = user_data;
  g_autofree char *title = g_strdup_printf ("Edit %u", ++stream->n_edits);

  reel_project_set_title (stream->project, title);
  return G_SOURCE_CONTINUE;
}

static guint
title_number (GFile *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelProject) recovered = reel_project_file_load (file, NULL, &error);
  const char *title;

  g_assert_no_error (error);
  title = reel_project_get_title (recovered);
  g_assert_true (g_str_has_prefix (title, "Edit "));
  return (guint) g_ascii_strtoull (title + 5, NULL, 10);
}

/* Someone who never pauses still gets a recovery file: the idle delay (here far
 * longer than the test) never runs out, the maximum wait does, again and again,
 * each time with the newer work. */
static void
test_max_wait_under_steady_edits (void)
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_autoptr(ReelAutosave) autosave = NULL;
  Counter counter = { g_main_loop_new (NULL, FALSE), 0, 0 };
  EditStream stream = { project, 0 };
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint edit_id;
  guint first, second;

  clear_state_dir ();
  autosave = new_autosave (project, &counter);
  reel_autosave_set_delay (autosave, 3600 * 1000);
  reel_autosave_set_max_wait (autosave, 400);
  g_assert_cmpuint (reel_autosave_get_max_wait (autosave), ==, 400);

  edit_id = g_timeout_add (20, edit_cb, &stream);

  while (counter.n_saved < 1 && counter.n_failed == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (counter.n_failed, ==, 0);
  g_assert_cmpuint (counter.n_saved, ==, 1);
  first = title_number (reel_autosave_get_file (autosave));
  g_assert_cmpuint (first, >=, 1);
  g_assert_cmpuint (first, <=, stream.n_edits);

  /* The edits went on during the write: the next write brings them too. */
  while (counter.n_saved < 2 && counter.n_failed == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (counter.n_saved, ==, 2);
  second = title_number (reel_autosave_get_file (autosave));
  g_assert_cmpuint (second, >, first);

  g_source_remove (edit_id);
  g_main_loop_unref (counter.loop);
}

/* A real save deletes the recovery file; so does discarding. */
static void
test_discard_after_save (void)
{
  g_autofree char *dir = storage_test_make_dir ("autosave-save");
  g_autofree char *path = g_build_filename (dir, "saved.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_autoptr(ReelAutosave) autosave = NULL;
  Counter counter = { g_main_loop_new (NULL, FALSE), 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *recovery = NULL;
  g_autofree char *recovery_name = NULL;

  clear_state_dir ();
  autosave = new_autosave (project, &counter);

  reel_project_set_title (project, "Before saving");
  wait_for_save (&counter);
  recovery = g_file_get_path (reel_autosave_get_file (autosave));
  g_assert_true (g_file_test (recovery, G_FILE_TEST_EXISTS));

  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (recovery, G_FILE_TEST_EXISTS));
  g_assert_null (reel_autosave_get_file (autosave));

  /* Saved projects get a recovery file named after the document. */
  reel_project_set_title (project, "After saving");
  wait_for_save (&counter);
  g_free (recovery);
  recovery = g_file_get_path (reel_autosave_get_file (autosave));
  g_assert_true (g_file_test (recovery, G_FILE_TEST_EXISTS));
  recovery_name = g_path_get_basename (recovery);
  g_assert_false (g_str_has_prefix (recovery_name, "untitled-"));

  /* "Discard" in the close dialog. */
  reel_autosave_discard (autosave);
  g_assert_false (g_file_test (recovery, G_FILE_TEST_EXISTS));

  /* Discarded while a write is under way: the file does not come back. */
  reel_autosave_set_delay (autosave, 0);
  reel_project_set_title (project, "Written and discarded at once");
  while (reel_autosave_get_file (autosave) == NULL)
    g_main_context_iteration (NULL, TRUE);
  reel_autosave_discard (autosave);
  run_for (&counter, 500);
  g_assert_false (g_file_test (recovery, G_FILE_TEST_EXISTS));
  g_assert_null (reel_autosave_get_file (autosave));

  g_main_loop_unref (counter.loop);
}

/* What a session leaves when it ends badly is listed at the next start, newest
 * first, and comes back as it was, belonging to its document. */
static void
test_recover (void)
{
  g_autofree char *dir = storage_test_make_dir ("autosave-recover");
  g_autofree char *path = g_build_filename (dir, "document.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelProject) untitled = reel_test_project_random (reel_test_seed (8000), 2, 3, 3);
  g_autoptr(ReelProject) titled = reel_demo_project_new ();
  g_autoptr(ReelAutosave) untitled_autosave = NULL;
  g_autoptr(ReelAutosave) titled_autosave = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(ReelProject) restored = NULL;
  g_autoptr(ReelProject) restored_titled = NULL;
  g_autoptr(ReelAutosave) restored_autosave = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) untitled_recovery = NULL;
  Counter counter = { g_main_loop_new (NULL, FALSE), 0, 0 };
  ReelAutosaveEntry *entry;

  clear_state_dir ();
  g_assert_true (reel_project_file_save (titled, file, NULL, &error));
  g_assert_no_error (error);

  untitled_autosave = new_autosave (untitled, &counter);
  titled_autosave = new_autosave (titled, &counter);
  reel_project_set_title (untitled, "Never saved");
  wait_for_save (&counter);
  g_usleep (20 * 1000);
  reel_project_set_title (titled, "Saved once");
  wait_for_save (&counter);

  /* Files of this running session are not offered. */
  entries = reel_autosave_list_recoverable (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 0);
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* The windows go away without saving or discarding: a crash, as far as files go. */
  untitled_recovery = g_object_ref (reel_autosave_get_file (untitled_autosave));
  g_clear_object (&untitled_autosave);
  g_clear_object (&titled_autosave);

  entries = reel_autosave_list_recoverable (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);

  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (reel_autosave_entry_get_title (entry), ==, "Saved once");
  g_assert_true (g_file_equal (reel_autosave_entry_get_document (entry), file));
  restored_titled = reel_autosave_entry_restore (entry, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_equal (reel_project_file_get_file (restored_titled), file));
  g_assert_true (reel_project_get_modified (restored_titled));
  storage_test_assert_equal (titled, restored_titled, "restored saved project");

  entry = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (reel_autosave_entry_get_title (entry), ==, "Never saved");
  g_assert_null (reel_autosave_entry_get_document (entry));
  g_assert_true (g_date_time_compare (reel_autosave_entry_get_time (entry),
                                      reel_autosave_entry_get_time (
                                        g_ptr_array_index (entries, 0))) <= 0);
  restored = reel_autosave_entry_restore (entry, &error);
  g_assert_no_error (error);
  g_assert_null (reel_project_file_get_file (restored));
  g_assert_true (reel_project_get_modified (restored));
  storage_test_assert_equal (untitled, restored, "restored untitled project");

  /* The restored untitled project goes on writing to the file it came from. */
  restored_autosave = new_autosave (restored, &counter);
  reel_project_set_title (restored, "Recovered and edited");
  wait_for_save (&counter);
  g_assert_true (g_file_equal (reel_autosave_get_file (restored_autosave), untitled_recovery));
  g_clear_object (&restored_autosave);

  /* Saving the restored project where it belongs ends its recovery, even before
   * its autosave wrote anything. */
  restored_autosave = new_autosave (restored_titled, &counter);
  g_assert_true (g_file_equal (reel_autosave_get_file (restored_autosave),
                               reel_autosave_entry_get_file (g_ptr_array_index (entries, 0))));
  g_assert_true (g_file_query_exists (reel_autosave_get_file (restored_autosave), NULL));
  g_assert_true (reel_project_file_save (restored_titled, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (reel_project_get_modified (restored_titled));
  g_assert_false (g_file_query_exists (reel_autosave_entry_get_file (
                                         g_ptr_array_index (entries, 0)), NULL));
  g_assert_true (reel_autosave_entry_discard (entry, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_query_exists (untitled_recovery, NULL));

  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = reel_autosave_list_recoverable (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 0);

  g_main_loop_unref (counter.loop);
}

/* A damaged recovery file is not offered, and not deleted either. */
static void
test_damaged_recovery_file (void)
{
  g_autoptr(GFile) directory = reel_autosave_get_directory ();
  g_autofree char *directory_path = g_file_get_path (directory);
  g_autofree char *bad = g_build_filename (directory_path, "untitled-broken.storyreel", NULL);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  clear_state_dir ();
  g_assert_cmpint (g_mkdir_with_parents (directory_path, 0700), ==, 0);
  g_assert_true (g_file_set_contents (bad, "SQLite format 3", -1, NULL));

  entries = reel_autosave_list_recoverable (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 0);
  g_assert_true (g_file_test (bad, G_FILE_TEST_EXISTS));
  g_unlink (bad);
}

/* Recovery files of projects with media: the document's images and clips stay where they
 * are and the recovery file names them. */

#define CLIP_BYTES (2 * 1024 * 1024 + 5)

static gint64
size_of (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  return st.st_size;
}

static ReelShot *
nth_shot (ReelProject *project,
          guint        n)
{
  for (guint s = 0; s < reel_project_get_n_scenes (project); s++)
    {
      ReelScene *scene = reel_project_get_scene (project, s);

      if (n < reel_scene_get_n_shots (scene))
        return reel_scene_get_shot (scene, n);
      n -= reel_scene_get_n_shots (scene);
    }
  return NULL;
}

/* A shot of @project, the first there is (one is added when random edits left none). */
static ReelShot *
some_shot (ReelProject *project)
{
  g_autoptr(ReelScene) scene = NULL;
  g_autoptr(ReelShot) shot = NULL;

  if (nth_shot (project, 0) != NULL)
    return nth_shot (project, 0);
  if (reel_project_get_n_scenes (project) == 0)
    {
      scene = reel_scene_new ();
      reel_project_append_scene (project, scene);
    }
  shot = reel_shot_new ();
  reel_scene_append_shot (reel_project_get_scene (project, 0), shot);
  return shot;
}

/* A project whose every shot has a noise image, and the first a clip, saved at @path and
 * opened from there as a user would: its media stay in the document (transfer full). */
static ReelProject *
open_media_document (const char *path,
                     GRand      *rand)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelProject) project = reel_test_project_random (g_rand_int (rand), 2, 3, 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) clip_bytes = NULL;
  g_autoptr(ReelAsset) clip = NULL;
  guint8 *data = g_malloc (CLIP_BYTES);
  ReelProject *opened;
  ReelShot *shot;

  for (guint i = 0; (shot = nth_shot (project, i)) != NULL; i++)
    {
      g_autoptr(ReelAsset) image = storage_test_noise_image (rand, 160, 90);

      g_assert_true (reel_edit_add_variant (project, shot, image));
    }
  for (gsize i = 0; i < CLIP_BYTES; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  clip_bytes = g_bytes_new_take (data, CLIP_BYTES);
  clip = reel_asset_new_video (clip_bytes, REEL_MIME_MP4, 320, 180, NULL);
  g_assert_true (reel_edit_add_variant (project, nth_shot (project, 0), clip));

  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);
  opened = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);
  return opened;
}

static void
assert_assets_readable (ReelProject *project)
{
  g_autoptr(GPtrArray) assets = reel_project_list_assets (project);

  for (guint i = 0; i < assets->len; i++)
    {
      ReelAsset *asset = g_ptr_array_index (assets, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = reel_asset_dup_data (asset, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (g_bytes_get_size (bytes), ==, reel_asset_get_size (asset));
    }
}

/* After a crash, as far as files go: the one recovery file there is, restored without an
 * error and with nothing missing, as a project that belongs to @file. Its entry goes to
 * @entries (to discard it afterwards). */
static ReelProject *
restore_the_only_entry (GFile      *file,
                        GPtrArray **entries)
{
  g_autoptr(GError) missing = NULL;
  g_autoptr(GError) error = NULL;
  ReelProject *restored;

  *entries = reel_autosave_list_recoverable (&error);
  g_assert_no_error (error);
  g_assert_cmpuint ((*entries)->len, ==, 1);
  restored = reel_autosave_entry_restore_full (g_ptr_array_index (*entries, 0), &missing,
                                               &error);
  g_assert_no_error (error);
  g_assert_no_error (missing);
  g_assert_true (g_file_equal (reel_project_file_get_file (restored), file));
  return restored;
}

/* The recovery file of a project with media holds only what the document does not (a
 * new image), the first time and after more edits, and a restore takes the rest from
 * the document: the project comes back whole. */
static void
test_recover_refers_to_document (void)
{
  g_autofree char *dir = storage_test_make_dir ("autosave-refers");
  g_autofree char *path = g_build_filename (dir, "document.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (reel_test_seed (8100));
  g_autoptr(ReelProject) project = open_media_document (path, rand);
  g_autoptr(ReelAsset) new_image = storage_test_noise_image (rand, 320, 180);
  g_autoptr(ReelAsset) newer_image = storage_test_noise_image (rand, 320, 180);
  g_autoptr(ReelAutosave) autosave = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(ReelProject) restored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) recovery = NULL;
  Counter counter = { g_main_loop_new (NULL, FALSE), 0, 0 };
  gint64 document_size = size_of (file);

  clear_state_dir ();
  autosave = new_autosave (project, &counter);

  /* The first recovery file: edits of every kind, and an image saved nowhere yet. */
  storage_test_random_edits (project, rand, 20);
  g_assert_true (reel_edit_add_variant (project, some_shot (project), new_image));
  wait_for_save (&counter);
  recovery = g_object_ref (reel_autosave_get_file (autosave));
  g_test_message ("document %" G_GINT64_FORMAT " bytes, recovery file %" G_GINT64_FORMAT,
                  document_size, size_of (recovery));
  g_assert_cmpint (size_of (recovery), >, reel_asset_get_size (new_image));
  g_assert_cmpint (size_of (recovery), <, document_size / 4);

  /* The next one goes on from it. */
  storage_test_random_edits (project, rand, 20);
  g_assert_true (reel_edit_add_variant (project, some_shot (project), newer_image));
  wait_for_save (&counter);
  g_assert_cmpint (size_of (recovery), >, reel_asset_get_size (newer_image));
  g_assert_cmpint (size_of (recovery), <, document_size / 4);

  g_clear_object (&autosave);
  restored = restore_the_only_entry (file, &entries);
  g_assert_true (reel_project_get_modified (restored));
  storage_test_assert_equal (project, restored, "restored media project");
  assert_assets_readable (restored);

  /* Saved where it belongs, it needs neither file any more. */
  g_assert_true (reel_project_file_save (restored, file, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&restored);
  restored = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);
  /* A save leaves out what nothing uses (the random edits add such assets); a recovery
   * file keeps it. */
  reel_project_drop_unused_assets (project);
  storage_test_assert_equal (project, restored, "restored media project, saved");
  assert_assets_readable (restored);
  g_assert_true (reel_autosave_entry_discard (g_ptr_array_index (entries, 0), &error));

  g_main_loop_unref (counter.loop);
}

/* A project of an older format (3), opened and edited but not yet saved by this version:
 * its recovery file cannot start from the document's tables, which are not this version's,
 * so it is written whole, and restores the edits. */
static void
test_recover_older_format_document (void)
{
  g_autofree char *dir = storage_test_make_dir ("autosave-format-3");
  g_autofree char *path = g_build_filename (dir, "v3.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (reel_test_seed (8300));
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(ReelAutosave) autosave = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(ReelProject) restored = NULL;
  g_autoptr(GError) error = NULL;
  Counter counter = { g_main_loop_new (NULL, FALSE), 0, 0 };
  sqlite3 *db = NULL;

  /* The file as Storyreel wrote format 3, by its own migration steps. */
  db = storage_test_begin_format3 (path);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  project = reel_project_file_load (file, NULL, &error);
  g_assert_no_error (error);

  clear_state_dir ();
  autosave = new_autosave (project, &counter);
  storage_test_random_edits (project, rand, 20);
  wait_for_save (&counter);

  g_clear_object (&autosave);
  restored = restore_the_only_entry (file, &entries);
  storage_test_assert_equal (project, restored, "restored format-3 project");
  g_assert_true (reel_autosave_entry_discard (g_ptr_array_index (entries, 0), &error));
  g_assert_no_error (error);

  g_main_loop_unref (counter.loop);
}

static void
async_done (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The document of a recovery file is deleted, or replaced by another project: a restore
 * names what it could not take from there, by the shots that used it, and brings back
 * everything else, the new image and every edit included. */
static void
test_recover_without_document (gconstpointer data)
{
  gboolean replace = GPOINTER_TO_INT (data);
  g_autofree char *dir = storage_test_make_dir (replace ? "autosave-replaced"
                                                        : "autosave-deleted");
  g_autofree char *path = g_build_filename (dir, "document.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (reel_test_seed (replace ? 8300 : 8200));
  g_autoptr(ReelProject) project = open_media_document (path, rand);
  g_autoptr(ReelAsset) new_image = storage_test_noise_image (rand, 320, 180);
  g_autoptr(GHashTable) in_document = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             NULL);
  g_autoptr(GPtrArray) assets = reel_project_list_assets (project);
  g_autoptr(ReelAutosave) autosave = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(ReelProject) restored = NULL;
  g_autoptr(ReelProject) saved_again = NULL;
  g_autoptr(GError) missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *copy_path = g_build_filename (dir, "rescued.storyreel", NULL);
  g_autoptr(GFile) copy = g_file_new_for_path (copy_path);
  g_autofree char *first_user = NULL;
  Counter counter = { g_main_loop_new (NULL, FALSE), 0, 0 };
  GAsyncResult *result = NULL;
  ReelShot *shot;

  for (guint i = 0; i < assets->len; i++)
    g_hash_table_add (in_document,
                      g_strdup (reel_asset_get_hash (g_ptr_array_index (assets, i))));

  clear_state_dir ();
  autosave = new_autosave (project, &counter);
  reel_project_set_title (project, "Changed after saving");
  reel_shot_set_description (nth_shot (project, 2), "Edited after saving");
  g_assert_true (reel_edit_add_variant (project, nth_shot (project, 1), new_image));
  wait_for_save (&counter);
  g_clear_object (&autosave);

  if (replace)
    {
      g_autoptr(ReelProject) other = reel_test_project_random (reel_test_seed (8400), 1, 2, 1);

      g_assert_true (reel_project_file_save (other, file, NULL, &error));
      g_assert_no_error (error);
    }
  else
    g_assert_cmpint (g_unlink (path), ==, 0);

  /* Listed and restored as the application does: on a worker thread each. */
  reel_autosave_list_recoverable_async (NULL, async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  entries = reel_autosave_list_recoverable_finish (result, &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  reel_autosave_entry_restore_async (g_ptr_array_index (entries, 0), NULL, async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  restored = reel_autosave_entry_restore_finish (result, &missing, &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_nonnull (restored);
  g_assert_true (reel_project_get_modified (restored));

  /* What is missing, by file and by shot. */
  g_assert_error (missing, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_MISSING_MEDIA);
  g_test_message ("%s", missing->message);
  g_assert_nonnull (strstr (missing->message, "document.storyreel"));
  first_user = g_strdup_printf ("shot %s", reel_shot_get_number (nth_shot (project, 0)));
  g_assert_nonnull (strstr (missing->message, first_user));

  /* Everything else. */
  g_assert_cmpstr (reel_project_get_title (restored), ==, "Changed after saving");
  g_assert_cmpuint (reel_project_get_n_shots (restored), ==, reel_project_get_n_shots (project));
  for (guint i = 0; (shot = nth_shot (project, i)) != NULL; i++)
    {
      ReelShot *back = nth_shot (restored, i);
      const char * const *variants = reel_shot_get_variants (shot);
      const char * const *back_variants = reel_shot_get_variants (back);
      guint k = 0;

      g_assert_cmpstr (reel_shot_get_number (back), ==, reel_shot_get_number (shot));
      g_assert_cmpstr (reel_shot_get_description (back), ==, reel_shot_get_description (shot));
      g_assert_true (reel_sketch_equal (reel_shot_get_sketch (back), reel_shot_get_sketch (shot)));
      for (guint j = 0; variants[j] != NULL; j++)
        if (!g_hash_table_contains (in_document, variants[j]))
          g_assert_cmpstr (back_variants[k++], ==, variants[j]);
      g_assert_null (back_variants[k]);
    }
  g_assert_cmpuint (reel_project_get_n_assets (restored), ==, 1);
  g_assert_nonnull (reel_project_lookup_asset (restored, reel_asset_get_hash (new_image)));
  assert_assets_readable (restored);

  /* Nothing in it still points at what is gone: it saves and opens again. */
  g_assert_true (reel_project_file_save (restored, copy, NULL, &error));
  g_assert_no_error (error);
  saved_again = reel_project_file_load (copy, NULL, &error);
  g_assert_no_error (error);
  storage_test_assert_equal (restored, saved_again, "restored without its document, saved");

  g_assert_true (reel_autosave_entry_discard (g_ptr_array_index (entries, 0), &error));
  g_main_loop_unref (counter.loop);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/autosave/debounce-and-permissions", test_debounce_and_permissions);
  g_test_add_func ("/autosave/max-wait-under-steady-edits", test_max_wait_under_steady_edits);
  g_test_add_func ("/autosave/discard-after-save", test_discard_after_save);
  g_test_add_func ("/autosave/recover", test_recover);
  g_test_add_func ("/autosave/damaged-recovery-file", test_damaged_recovery_file);
  g_test_add_func ("/autosave/recover-refers-to-document", test_recover_refers_to_document);
  g_test_add_func ("/autosave/recover-older-format-document",
                   test_recover_older_format_document);
  g_test_add_data_func ("/autosave/recover-document-deleted", GINT_TO_POINTER (FALSE),
                        test_recover_without_document);
  g_test_add_data_func ("/autosave/recover-document-replaced", GINT_TO_POINTER (TRUE),
                        test_recover_without_document);

  return g_test_run ();
}
