/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "core/reel-edit.h"
#include "core/reel-project.h"
#include "storage/reel-project-file.h"
#include "media-test-util.h"

/*
 * A clip is played from a file in the cache (reel_asset_dup_cache_file()). Several writers of
 * the same clip at once (the preview, the thumbnailer and an export in one process; two
 * windows; two test programs sharing a cache) all get the file, whole, and leave nothing
 * half-written behind.
 */

#define CLIP_BYTES (4 * 1024 * 1024 + 13)
#define N_THREADS  8
#define N_ROUNDS   4
#define N_CHILDREN 4

static const char *self_path;
static const char *child_project;
static const char *child_hash;

static GOptionEntry child_entries[] = {
  { "write-cache-file", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &child_project,
    "Write the cache file of an asset of PROJECT and print its path", "PROJECT" },
  { "hash", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &child_hash, "The asset", "HASH" },
  { NULL }
};

typedef struct
{
  char *dir;
  char *project_path;
  GBytes *contents;
  char *hash;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (15);
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(ReelScene) scene = reel_scene_new ();
  g_autoptr(ReelShot) shot = reel_shot_new ();
  g_autoptr(ReelAsset) clip = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  guint8 *data = g_malloc (CLIP_BYTES);

  /* Noise: nothing looks inside a clip on its way to the cache. */
  for (gsize i = 0; i < CLIP_BYTES; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  fixture->contents = g_bytes_new_take (data, CLIP_BYTES);
  clip = reel_asset_new_video (fixture->contents, REEL_MIME_WEBM, 320, 180, NULL);
  fixture->hash = g_strdup (reel_asset_get_hash (clip));

  reel_project_append_scene (project, scene);
  reel_edit_insert_shot (project, scene, 0, shot);
  reel_edit_add_variant (project, shot, clip);

  fixture->dir = media_test_make_dir ();
  fixture->project_path = g_build_filename (fixture->dir, "clips.storyreel", NULL);
  file = g_file_new_for_path (fixture->project_path);
  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  media_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->project_path);
  g_free (fixture->hash);
  g_bytes_unref (fixture->contents);
}

/* The project as opened from its file: its clip's bytes stay there until used. */
static ReelProject *
load_project (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  ReelProject *project = reel_project_file_load (file, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (project);
  return project;
}

static char *
cache_folder (void)
{
  return g_build_filename (g_get_user_cache_dir (), "storyreel", "media", NULL);
}

static void
remove_cache_file (const char *hash)
{
  g_autofree char *folder = cache_folder ();
  g_autofree char *name = g_strconcat (hash, ".webm", NULL);
  g_autofree char *path = g_build_filename (folder, name, NULL);

  g_unlink (path);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* The cache file is the clip, byte for byte, and no writer left a piece of its own. */
static void
assert_cached (const char *path,
               GBytes     *contents)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) cached = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = cache_folder ();
  g_autoptr(GDir) dir = NULL;
  const char *name;

  cached = g_file_load_bytes (file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (cached, contents));

  dir = g_dir_open (folder, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_suffix (name, ".partial"))
        g_error ("A writer left %s in the cache", name);
    }
}

typedef struct
{
  GMutex lock;
  GCond cond;
  guint waiting;
  gboolean go;
} Gate;

typedef struct
{
  Gate *gate;
  ReelAsset *asset;
  char *path;
  GError *error;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;
  g_autoptr(GFile) file = NULL;

  /* All at once, as far as threads can be. */
  g_mutex_lock (&writer->gate->lock);
  writer->gate->waiting++;
  g_cond_broadcast (&writer->gate->cond);
  while (!writer->gate->go)
    g_cond_wait (&writer->gate->cond, &writer->gate->lock);
  g_mutex_unlock (&writer->gate->lock);

  file = reel_asset_dup_cache_file (writer->asset, NULL, &writer->error);
  if (file != NULL)
    writer->path = g_file_get_path (file);
  return NULL;
}

/* Threads of one process: half of them share one asset (one project open), the others each
 * have their own (the same clip in another open project). */
static void
test_threads (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(ReelProject) shared = load_project (fixture->project_path);
  ReelProject *others[N_THREADS / 2];

  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    others[i] = load_project (fixture->project_path);

  for (guint round = 0; round < N_ROUNDS; round++)
    {
      Gate gate = { 0 };
      Writer writers[N_THREADS] = { { 0 } };
      GThread *threads[N_THREADS];

      remove_cache_file (fixture->hash);
      g_mutex_init (&gate.lock);
      g_cond_init (&gate.cond);
      for (guint i = 0; i < N_THREADS; i++)
        {
          ReelProject *project = i % 2 == 0 ? shared : others[i / 2];

          writers[i].gate = &gate;
          writers[i].asset = reel_project_lookup_asset (project, fixture->hash);
          g_assert_nonnull (writers[i].asset);
          g_assert_true (reel_asset_is_lazy (writers[i].asset));
          threads[i] = g_thread_new ("cache-writer", writer_thread, &writers[i]);
        }

      g_mutex_lock (&gate.lock);
      while (gate.waiting < N_THREADS)
        g_cond_wait (&gate.cond, &gate.lock);
      gate.go = TRUE;
      g_cond_broadcast (&gate.cond);
      g_mutex_unlock (&gate.lock);

      for (guint i = 0; i < N_THREADS; i++)
        g_thread_join (threads[i]);
      for (guint i = 0; i < N_THREADS; i++)
        {
          g_assert_no_error (writers[i].error);
          g_assert_nonnull (writers[i].path);
          g_assert_cmpstr (writers[i].path, ==, writers[0].path);
        }
      assert_cached (writers[0].path, fixture->contents);

      for (guint i = 0; i < N_THREADS; i++)
        g_free (writers[i].path);
      g_mutex_clear (&gate.lock);
      g_cond_clear (&gate.cond);
    }

  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    g_object_unref (others[i]);
}

/* Programs sharing a cache folder (two windows' processes, test programs run in parallel):
 * each child writes the clip's cache file once it is told to go. */
static void
test_processes (Fixture       *fixture,
                gconstpointer  user_data)
{
  GSubprocess *children[N_CHILDREN];
  char *paths[N_CHILDREN];

  for (guint round = 0; round < N_ROUNDS; round++)
    {
      remove_cache_file (fixture->hash);
      for (guint i = 0; i < N_CHILDREN; i++)
        {
          g_autoptr(GError) error = NULL;

          children[i] = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                          | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                          &error, self_path,
                                          "--write-cache-file", fixture->project_path,
                                          "--hash", fixture->hash, NULL);
          g_assert_no_error (error);
        }
      /* Each has opened the project and waits on its input: let them all go. */
      for (guint i = 0; i < N_CHILDREN; i++)
        {
          g_autoptr(GError) error = NULL;
          GOutputStream *in = g_subprocess_get_stdin_pipe (children[i]);

          /* Left open: g_subprocess_communicate_utf8() closes it. */
          g_assert_true (g_output_stream_write_all (in, "go\n", 3, NULL, NULL, &error));
          g_assert_true (g_output_stream_flush (in, NULL, &error));
          g_assert_no_error (error);
        }
      for (guint i = 0; i < N_CHILDREN; i++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *out = NULL;

          g_subprocess_communicate_utf8 (children[i], NULL, NULL, &out, NULL, &error);
          g_assert_no_error (error);
          g_assert_true (g_subprocess_get_if_exited (children[i]));
          g_assert_cmpint (g_subprocess_get_exit_status (children[i]), ==, 0);
          paths[i] = g_strdup (g_strstrip (out));
          g_assert_cmpstr (paths[i], !=, "");
          g_assert_cmpstr (paths[i], ==, paths[0]);
        }
      assert_cached (paths[0], fixture->contents);

      for (guint i = 0; i < N_CHILDREN; i++)
        {
          g_object_unref (children[i]);
          g_free (paths[i]);
        }
    }
}

/* A reader that finds the file there uses it, as it is: no copy is written again. */
static void
test_found (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(ReelProject) project = load_project (fixture->project_path);
  ReelAsset *asset = reel_project_lookup_asset (project, fixture->hash);
  g_autoptr(GFile) first = NULL;
  g_autoptr(GFile) again = NULL;
  g_autoptr(GFileInfo) before = NULL;
  g_autoptr(GFileInfo) after = NULL;
  g_autoptr(GError) error = NULL;

  remove_cache_file (fixture->hash);
  first = reel_asset_dup_cache_file (asset, NULL, &error);
  g_assert_no_error (error);
  before = g_file_query_info (first, G_FILE_ATTRIBUTE_UNIX_INODE, G_FILE_QUERY_INFO_NONE,
                              NULL, &error);
  g_assert_no_error (error);

  again = reel_asset_dup_cache_file (asset, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_equal (first, again));
  after = g_file_query_info (again, G_FILE_ATTRIBUTE_UNIX_INODE, G_FILE_QUERY_INFO_NONE,
                             NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_file_info_get_attribute_uint64 (before, G_FILE_ATTRIBUTE_UNIX_INODE), ==,
                    g_file_info_get_attribute_uint64 (after, G_FILE_ATTRIBUTE_UNIX_INODE));
  assert_cached (g_file_peek_path (again), fixture->contents);
}

/* The child of test_processes(): opens the project, waits for "go", writes, prints. */
static int
run_child (void)
{
  g_autoptr(ReelProject) project = load_project (child_project);
  ReelAsset *asset = reel_project_lookup_asset (project, child_hash);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  char line[16];

  if (asset == NULL)
    g_error ("No asset %s in %s", child_hash, child_project);
  if (fgets (line, sizeof line, stdin) == NULL)
    g_error ("Not told to go");
  file = reel_asset_dup_cache_file (asset, NULL, &error);
  if (file == NULL)
    g_error ("The cache file could not be written: %s", error->message);
  g_print ("%s\n", g_file_peek_path (file));
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  self_path = argv[0];
  if (argc > 1 && g_str_equal (argv[1], "--write-cache-file"))
    {
      g_autoptr(GOptionContext) context = g_option_context_new (NULL);
      g_autoptr(GError) error = NULL;

      g_option_context_add_main_entries (context, child_entries, NULL);
      if (!g_option_context_parse (context, &argc, &argv, &error) || child_hash == NULL)
        g_error ("Bad arguments");
      return run_child ();
    }

  g_test_init (&argc, &argv, NULL);
  /* First: it points the cache somewhere private (the children inherit it). */
  media_test_init ();

  g_test_add ("/media/cache-file/threads", Fixture, NULL, fixture_set_up, test_threads,
              fixture_tear_down);
  g_test_add ("/media/cache-file/processes", Fixture, NULL, fixture_set_up, test_processes,
              fixture_tear_down);
  g_test_add ("/media/cache-file/found", Fixture, NULL, fixture_set_up, test_found,
              fixture_tear_down);

  return g_test_run ();
}
