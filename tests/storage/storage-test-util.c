/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include <sqlite3.h>

#include "storage/reel-project-file-private.h"
#include "reel-test-project.h"
#include "storage-test-util.h"

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
              !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

char *
storage_test_make_dir (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("G_TEST_BUILDDIR") != NULL
                                            ? g_getenv ("G_TEST_BUILDDIR") : g_get_tmp_dir (),
                                            "storage-tmp", name, NULL);

  g_chmod (path, 0755);
  remove_tree (path);
  g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);
  return g_steal_pointer (&path);
}

GBytes *
storage_test_read_bytes (const char *path)
{
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return NULL;
  return g_bytes_new_take (contents, length);
}

static char *
describe_shot_difference (ReelShot *a,
                          ReelShot *b)
{
  static const char * const fields[] = {
    "id", "number", "description", "dialogue", "notes", "cast", "size", "framing", "angle",
    "movement", "lens-mm", "camera-height-m", "duration", "status", "vfx-notes", "background",
    "variants", "generations",
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_auto(GValue) va = G_VALUE_INIT;
      g_auto(GValue) vb = G_VALUE_INIT;
      g_autofree char *sa = NULL;
      g_autofree char *sb = NULL;

      g_object_get_property (G_OBJECT (a), fields[i], &va);
      g_object_get_property (G_OBJECT (b), fields[i], &vb);
      sa = g_strdup_value_contents (&va);
      sb = g_strdup_value_contents (&vb);
      if (!g_str_equal (sa, sb) ||
          (!G_VALUE_HOLDS_BOXED (&va) &&
           g_param_values_cmp (g_object_class_find_property (G_OBJECT_GET_CLASS (a), fields[i]),
                               &va, &vb) != 0))
        return g_strdup_printf ("field %s: %s vs %s", fields[i], sa, sb);
    }

  if (!reel_sketch_equal (reel_shot_get_sketch (a), reel_shot_get_sketch (b)))
    {
      ReelSketch *sa = reel_shot_get_sketch (a);
      ReelSketch *sb = reel_shot_get_sketch (b);

      for (guint l = 0; l < MIN (reel_sketch_get_n_layers (sa), reel_sketch_get_n_layers (sb)); l++)
        {
          const char *name = reel_sketch_get_layer_name (sa, l);
          guint n = reel_sketch_get_layer_n_strokes (sa, name);

          if (!g_str_equal (name, reel_sketch_get_layer_name (sb, l)))
            return g_strdup_printf ("sketch layer %u: %s vs %s", l, name,
                                    reel_sketch_get_layer_name (sb, l));
          if (reel_sketch_get_layer_visible (sa, name) != reel_sketch_get_layer_visible (sb, name) ||
              reel_sketch_get_layer_opacity (sa, name) != reel_sketch_get_layer_opacity (sb, name))
            return g_strdup_printf ("sketch layer %s: visibility or opacity", name);
          for (guint i = 0; i < MIN (n, reel_sketch_get_layer_n_strokes (sb, name)); i++)
            {
              ReelStroke *x = reel_sketch_get_stroke (sa, name, i);
              ReelStroke *y = reel_sketch_get_stroke (sb, name, i);

              if (!reel_stroke_equal (x, y))
                return g_strdup_printf ("sketch layer %s stroke %u: %s/%s %g/%g %s/%s %u/%u points",
                                        name, i, reel_stroke_get_tool (x), reel_stroke_get_tool (y),
                                        reel_stroke_get_width (x), reel_stroke_get_width (y),
                                        reel_stroke_get_text (x), reel_stroke_get_text (y),
                                        reel_stroke_get_n_points (x), reel_stroke_get_n_points (y));
            }
        }
      return g_strdup_printf ("sketch: %u layers/%u strokes vs %u layers/%u strokes",
                              reel_sketch_get_n_layers (sa), reel_sketch_get_n_strokes (sa),
                              reel_sketch_get_n_layers (sb), reel_sketch_get_n_strokes (sb));
    }

  if (!reel_plate_equal (reel_shot_get_plate (a), reel_shot_get_plate (b)))
    return g_strdup ("plate");

  return g_strdup ("(unknown)");
}

void
storage_test_assert_equal (ReelProject *expected,
                           ReelProject *actual,
                           const char  *context)
{
  guint n_scenes;

  if (reel_project_equal (expected, actual))
    return;

  n_scenes = reel_project_get_n_scenes (expected);
  if (n_scenes != reel_project_get_n_scenes (actual))
    g_error ("%s: %u scenes expected, %u found", context, n_scenes,
             reel_project_get_n_scenes (actual));

  for (guint s = 0; s < n_scenes; s++)
    {
      ReelScene *a = reel_project_get_scene (expected, s);
      ReelScene *b = reel_project_get_scene (actual, s);

      if (reel_scene_equal (a, b))
        continue;
      if (reel_scene_get_n_shots (a) != reel_scene_get_n_shots (b))
        g_error ("%s: scene %u has %u shots, expected %u", context, s,
                 reel_scene_get_n_shots (b), reel_scene_get_n_shots (a));
      for (guint p = 0; p < reel_scene_get_n_shots (a); p++)
        if (!reel_shot_equal (reel_scene_get_shot (a, p), reel_scene_get_shot (b, p)))
          {
            g_autofree char *what = describe_shot_difference (reel_scene_get_shot (a, p),
                                                              reel_scene_get_shot (b, p));
            g_error ("%s: scene %u shot %u differs: %s", context, s, p, what);
          }
      g_error ("%s: scene %u differs in its own fields", context, s);
    }

  g_error ("%s: the projects differ in their own fields, metadata or assets", context);
}

ReelStroke *
storage_test_freehand_stroke (GRand *rand,
                              guint  n_points)
{
  g_autofree ReelStrokePoint *points = g_new0 (ReelStrokePoint, MAX (n_points, 1));
  ReelColor color = { 0.1, 0.1, 0.12, 1.0 };
  double x = g_rand_double (rand);
  double y = g_rand_double (rand);
  double heading = g_rand_double_range (rand, 0, 2 * G_PI);
  float pressure = 0.5f;

  /* A pen moving in small steps that turn a little: what a tablet reports. */
  for (guint i = 0; i < n_points; i++)
    {
      heading += g_rand_double_range (rand, -0.3, 0.3);
      x = CLAMP (x + 0.006 * cos (heading), 0.0, 1.0);
      y = CLAMP (y + 0.006 * sin (heading), 0.0, 1.0);
      pressure = CLAMP (pressure + (float) g_rand_double_range (rand, -0.03, 0.03), 0.1f, 1.0f);
      points[i].x = (float) x;
      points[i].y = (float) y;
      points[i].pressure = pressure;
    }

  return reel_stroke_new (REEL_TOOL_PEN, &color, 0.006, points, n_points, NULL);
}

static ReelShot *
random_shot_of (ReelProject *project,
                GRand       *rand,
                ReelScene  **out_scene,
                guint       *out_position)
{
  guint n_scenes = reel_project_get_n_scenes (project);
  ReelScene *scene;

  if (n_scenes == 0)
    return NULL;
  scene = reel_project_get_scene (project, g_rand_int_range (rand, 0, n_scenes));
  if (reel_scene_get_n_shots (scene) == 0)
    return NULL;
  *out_scene = scene;
  *out_position = g_rand_int_range (rand, 0, reel_scene_get_n_shots (scene));
  return reel_scene_get_shot (scene, *out_position);
}

void
storage_test_random_edits (ReelProject *project,
                           GRand       *rand,
                           guint        n)
{
  for (guint i = 0; i < n; i++)
    {
      ReelScene *scene = NULL;
      guint position = 0;
      ReelShot *shot = random_shot_of (project, rand, &scene, &position);
      guint n_scenes = reel_project_get_n_scenes (project);
      g_autofree char *text = reel_test_random_text (rand);

      switch (g_rand_int_range (rand, 0, 22))
        {
        case 0:
          if (shot != NULL)
            reel_shot_set_description (shot, text);
          break;
        case 1:
          if (shot != NULL)
            reel_shot_set_lens_mm (shot, g_rand_double_range (rand, 10, 200));
          break;
        case 2:
          if (shot != NULL)
            reel_shot_set_duration (shot, g_rand_int_range (rand, 1, 500));
          break;
        case 3:
          if (shot != NULL)
            {
              g_autoptr(ReelStroke) stroke = storage_test_freehand_stroke (rand, 12);
              reel_sketch_append_stroke (reel_shot_get_sketch (shot), REEL_LAYER_SKETCH, stroke);
            }
          break;
        case 4:
          if (shot != NULL && reel_sketch_get_layer_n_strokes (reel_shot_get_sketch (shot),
                                                               REEL_LAYER_SKETCH) > 0)
            {
              ReelSketch *sketch = reel_shot_get_sketch (shot);
              guint n_strokes = reel_sketch_get_layer_n_strokes (sketch, REEL_LAYER_SKETCH);
              g_autoptr(ReelStroke) removed =
                reel_sketch_remove_stroke (sketch, REEL_LAYER_SKETCH,
                                           g_rand_int_range (rand, 0, n_strokes));
            }
          break;
        case 5:
          if (shot != NULL)
            reel_sketch_set_layer_opacity (reel_shot_get_sketch (shot), REEL_LAYER_NOTES,
                                           g_rand_double (rand));
          break;
        case 6:
          if (shot != NULL)
            {
              ReelSketch *sketch = reel_shot_get_sketch (shot);

              if (reel_sketch_find_layer (sketch, "extra") >= 0)
                reel_sketch_remove_layer (sketch, "extra");
              else
                {
                  g_autoptr(ReelStroke) stroke = reel_test_random_stroke (rand);
                  reel_sketch_insert_stroke (sketch, "extra", -1, stroke);
                }
            }
          break;
        case 7:
        case 8:
          if (scene != NULL)
            {
              g_autoptr(ReelShot) added = reel_test_random_shot (rand, project,
                                                                 g_rand_int_range (rand, 0, 6));
              reel_scene_insert_shot (scene, g_rand_int_range (rand, 0,
                                                               reel_scene_get_n_shots (scene) + 1),
                                      added);
            }
          break;
        case 9:
          if (shot != NULL)
            {
              g_autoptr(ReelShot) removed = reel_scene_remove_shot (scene, position);
            }
          break;
        case 10:
          if (shot != NULL)
            reel_scene_move_shot (scene, position,
                                  g_rand_int_range (rand, 0, reel_scene_get_n_shots (scene)));
          break;
        case 11:
          if (shot != NULL && n_scenes > 1)
            {
              ReelScene *to = reel_project_get_scene (project, g_rand_int_range (rand, 0,
                                                                                 n_scenes));
              g_autoptr(ReelShot) moved = reel_scene_remove_shot (scene, position);

              reel_scene_insert_shot (to, g_rand_int_range (rand, 0,
                                                            reel_scene_get_n_shots (to) + 1),
                                      moved);
            }
          break;
        case 12:
          {
            g_autoptr(ReelScene) added = reel_test_random_scene (rand, project,
                                                                 g_rand_int_range (rand, 0, 4),
                                                                 3);
            reel_project_insert_scene (project, g_rand_int_range (rand, 0, n_scenes + 1), added);
          }
          break;
        case 13:
          if (n_scenes > 1)
            {
              g_autoptr(ReelScene) removed =
                reel_project_remove_scene (project, g_rand_int_range (rand, 0, n_scenes));
            }
          break;
        case 14:
          if (n_scenes > 1)
            reel_project_move_scene (project, g_rand_int_range (rand, 0, n_scenes),
                                     g_rand_int_range (rand, 0, n_scenes));
          break;
        case 15:
          if (n_scenes > 0)
            reel_scene_set_location (reel_project_get_scene (project,
                                                             g_rand_int_range (rand, 0,
                                                                               n_scenes)),
                                     text);
          break;
        case 16:
          reel_project_set_title (project, text);
          break;
        case 17:
          if (g_rand_boolean (rand))
            reel_project_set_metadata (project, REEL_METADATA_AUTHOR, text);
          else
            reel_project_set_metadata (project, REEL_METADATA_AUTHOR, NULL);
          break;
        case 18:
          {
            g_autoptr(ReelAsset) asset = reel_test_random_asset (rand, g_rand_boolean (rand));
            reel_project_add_asset (project, asset);
          }
          break;
        case 19:
          {
            g_autoptr(GPtrArray) assets = reel_project_list_assets (project);

            if (assets->len > 0)
              reel_project_remove_asset (project,
                                         reel_asset_get_hash (g_ptr_array_index (
                                           assets, g_rand_int_range (rand, 0, assets->len))));
          }
          break;
        case 20:
          if (shot != NULL)
            {
              g_autoptr(ReelPlate) plate = g_rand_boolean (rand)
                                           ? reel_test_random_plate (rand) : NULL;
              reel_shot_set_plate (shot, plate);
            }
          break;
        case 21:
        default:
          if (shot != NULL && reel_shot_get_plate (shot) != NULL)
            reel_plate_set_similarity (reel_shot_get_plate (shot), g_rand_double (rand));
          break;
        }
    }
}

sqlite3 *
storage_test_open_db (const char *path,
                      gboolean    read_only)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  sqlite3 *db = NULL;
  int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

  reel_project_file_wait_compacted (file);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, flags, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 60000);  /* the tests' deadline for a stuck state */
  return db;
}

sqlite3 *
storage_test_begin_format3 (const char *path)
{
  sqlite3 *db = storage_test_open_db (path, FALSE);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (sqlite3_exec (db, "PRAGMA page_size = 4096; "
                                     "PRAGMA auto_vacuum = INCREMENTAL; BEGIN",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (reel_project_schema_migrate (db, 0, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db,
    "INSERT INTO project VALUES (1, 'Harbour', 24, 1, 1.78, 'super35', '', NULL);"
    "INSERT INTO scenes VALUES (1, 'scene-uuid-1', 0, '1', 'ext', 'HARBOUR', 'DAWN', '');"
    "INSERT INTO shots (key, uuid, scene, position, number, description, dialogue, notes, "
    "  cast_list, size, framing, angle, movement, lens_mm, duration, status, vfx_notes, "
    "  background) VALUES (1, 'shot-uuid-1', 1, 0, '1A', 'The pier.', '', '', '', 'ws', "
    "  'single', 'eye_level', 'static', 35.0, 48, 'todo', '', NULL);",
    NULL, NULL, NULL), ==, SQLITE_OK);
  return db;
}

ReelAsset *
storage_test_noise_image (GRand *rand,
                          int    width,
                          int    height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gchar *buffer = NULL;
  gsize size = 0;
  ReelAsset *asset;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width * 3; x++)
      pixels[y * stride + x] = (guchar) g_rand_int_range (rand, 0, 256);

  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL));
  bytes = g_bytes_new_take (buffer, size);
  asset = reel_asset_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  return asset;
}
