/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "reel-crash-vfs.h"
#include "reel-test-project.h"
#include "storage-test-util.h"
#include "storage/reel-project-file.h"
#include "storage/reel-project-file-private.h"

/*
 * Power loss during a save, not only kill -9: the page cache goes too. At every
 * sync point of a save (see reel-crash-vfs.h) the power goes, the folder is put
 * back as the disk holds it (once with every unsynced write lost, once with every
 * other unsynced write of the database on disk), and the file must open as the
 * old project or the new one. A save that said it was done must hold the new.
 */

typedef enum {
  KIND_IN_PLACE,   /* the document's own file, changes in one transaction */
  KIND_REPLACE,    /* another project over it: temporary file, rename, folder sync */
} Kind;

static void
apply_edits (ReelProject *project,
             guint32      seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  storage_test_random_edits (project, rand, 30);
  for (guint s = 0; s < reel_project_get_n_scenes (project); s++)
    {
      ReelScene *scene = reel_project_get_scene (project, s);

      for (guint i = 0; i < reel_scene_get_n_shots (scene); i++)
        {
          g_autoptr(ReelStroke) stroke = storage_test_freehand_stroke (rand, 20);

          reel_sketch_append_stroke (reel_shot_get_sketch (reel_scene_get_shot (scene, i)),
                                     REEL_LAYER_SKETCH, stroke);
        }
    }
}

static ReelProject *
load (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  ReelProject *project = reel_project_file_load (file, NULL, &error);

  if (project == NULL)
    g_test_message ("%s does not open: %s", path, error->message);
  return project;
}

/* The folder holds only the old file, as on disk. */
static void
put_back (const char *dir,
          const char *path,
          GBytes     *old_bytes)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      g_unlink (child);
    }
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (old_bytes, NULL),
                                      g_bytes_get_size (old_bytes), NULL));
  crash_vfs_reset (dir);
}

/* The project this kind of save writes, made as the user would have it. */
static ReelProject *
make_next (Kind        kind,
           const char *path,
           guint32     seed)
{
  ReelProject *project;

  if (kind == KIND_REPLACE)
    return reel_test_project_random (seed, 3, 6, 8);

  /* Loaded from the file: the save writes the difference in place. */
  project = load (path);
  g_assert_nonnull (project);
  apply_edits (project, seed);
  return project;
}

/* Saves with the power going at @point (0: it does not go), cuts the power (or
 * right after the save), and says what the file holds: 0 old, 1 new. */
static int
save_and_cut (Kind         kind,
              const char  *dir,
              const char  *path,
              GBytes      *old_bytes,
              guint32      seed,
              guint        point,
              CrashMode    mode,
              ReelProject *old_version,
              ReelProject *new_version,
              guint       *n_points)
{
  g_autoptr(ReelProject) next = NULL;
  g_autoptr(ReelProject) found = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *context = NULL;
  gboolean saved;

  put_back (dir, path, old_bytes);
  next = make_next (kind, path, seed);

  crash_vfs_arm (point);
  saved = reel_project_file_save (next, file, NULL, &error);
  /* The space a save frees goes back on a thread of its own, in transactions of its
   * own: its syncs are points of this save too, and it must be over before the power
   * goes and the folder is put back for the next try. */
  reel_project_file_wait_compacted (file);
  crash_vfs_arm (0);
  if (n_points != NULL)
    *n_points = crash_vfs_get_points ();
  if (point == 0)
    g_assert_no_error (error);
  else if (!crash_vfs_crashed ())
    g_error ("point %u was never reached", point);

  crash_vfs_power_cut (mode);

  context = g_strdup_printf ("%s save, power cut at point %u (%s)",
                             kind == KIND_IN_PLACE ? "in-place" : "replacing",
                             point, mode == CRASH_DROP_UNSYNCED ? "unsynced writes lost"
                                                              : "some unsynced writes kept");
  found = load (path);
  if (found == NULL)
    g_error ("%s: the file does not open", context);

  if (reel_project_equal (found, new_version))
    return 1;
  if (reel_project_equal (found, old_version))
    {
      if (saved)
        g_error ("%s: the save said it was done, but the file holds the old project", context);
      return 0;
    }
  storage_test_assert_equal (new_version, found, context);
  g_error ("%s: the file holds neither the old nor the new project", context);
  return -1;
}

static void
test_power_loss (gconstpointer data)
{
  Kind kind = GPOINTER_TO_INT (data);
  g_autofree char *dir = storage_test_make_dir (kind == KIND_IN_PLACE ? "power-in-place"
                                                                      : "power-replace");
  g_autofree char *path = g_build_filename (dir, "power.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  guint32 seed = reel_test_seed (1100 + kind);
  g_autoptr(ReelProject) first = reel_test_project_random (seed, 3, 6, 8);
  g_autoptr(ReelProject) old_version = NULL;
  g_autoptr(ReelProject) new_version = NULL;
  g_autoptr(GBytes) old_bytes = NULL;
  g_autoptr(GError) error = NULL;
  guint n_points = 0, tried = 0, n_old = 0, n_new = 0;

  g_assert_true (reel_project_file_save (first, file, NULL, &error));
  g_assert_no_error (error);
  reel_project_file_wait_compacted (file);
  old_bytes = storage_test_read_bytes (path);
  old_version = load (path);

  /* The new version as the file should hold it; and how many sync points a
   * save passes. */
  new_version = make_next (kind, path, seed + 1);
  reel_project_drop_unused_assets (new_version);
  {
    g_autoptr(ReelProject) copy = reel_project_copy (new_version);

    g_clear_object (&new_version);
    new_version = g_steal_pointer (&copy);
  }
  g_assert_cmpint (save_and_cut (kind, dir, path, old_bytes, seed + 1, 0, CRASH_DROP_UNSYNCED,
                                 old_version, new_version, &n_points), ==, 1);
  g_assert_cmpuint (n_points, >=, kind == KIND_IN_PLACE ? 3 : 3);

  for (guint point = 1; point <= n_points; point++)
    for (CrashMode mode = CRASH_DROP_UNSYNCED; mode <= CRASH_KEEP_SOME; mode++)
      {
        if (save_and_cut (kind, dir, path, old_bytes, seed + 1, point, mode, old_version,
                          new_version, NULL) == 1)
          n_new++;
        else
          n_old++;
        tried++;
      }
  /* And right after a save that finished, with what the disk may have kept. */
  g_assert_cmpint (save_and_cut (kind, dir, path, old_bytes, seed + 1, 0, CRASH_KEEP_SOME,
                                 old_version, new_version, NULL), ==, 1);
  tried += 2;
  n_new += 2;

  g_test_message ("%s save: %u sync points, %u power cuts tried: %u left the old project, "
                  "%u the new one", kind == KIND_IN_PLACE ? "in-place" : "replacing",
                  n_points, tried, n_old, n_new);
  g_assert_cmpuint (n_old, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  crash_vfs_install ();

  g_test_add_data_func ("/power-loss/in-place", GINT_TO_POINTER (KIND_IN_PLACE),
                        test_power_loss);
  g_test_add_data_func ("/power-loss/replace", GINT_TO_POINTER (KIND_REPLACE),
                        test_power_loss);

  return g_test_run ();
}
