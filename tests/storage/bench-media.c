/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include "../reel-bench-util.h"
#include "storage-test-util.h"
#include "storage/reel-project-file.h"
#include "storage/reel-project-file-private.h"
#include "storage/reel-autosave.h"

/*
 * The media a production really makes: 1,000 shots, each with a sketch and 4 generated
 * 1344×768 images of photographic entropy (noise as JPEG, which nothing compresses
 * away), and 20 video clips of 50 MB (synthetic bytes stored as MP4 assets: encoding a
 * gigabyte of real video would take longer than the rest of the benchmark; the file
 * and the loader treat them as the bytes they are). Generated once into a cache folder
 * ($STORYREEL_BENCH_CACHE, else the user cache folder), reused afterwards.
 *
 * Prints, one figure a line: the file size; the open of the project in a fresh process
 * (wall and CPU time, peak memory); a save after one edit; the file size after deleting
 * half the shots and saving, against the size before, beside the ratio expected: the
 * bytes of the assets still used after the delete against those used before. The half
 * deleted is the second half of every scene, which holds half the clips (one of the two
 * in each scene) as well as half the images, as a real cut of half a film would: deleting
 * every other shot would keep all the clips (they sit on every 50th shot) or none. The
 * edits run on a copy.
 */

/* STORYREEL_BENCH_SHOTS (a multiple of 100, at least 100) makes a smaller project of the
 * same kind for a quicker run, with a clip every 50 shots as in the big one. */
#define N_SHOTS         ((guint) n_shots ())
#define SHOTS_PER_SCENE 100
#define IMAGES_PER_SHOT 4
#define IMAGE_WIDTH     1344
#define IMAGE_HEIGHT    768
#define N_CLIPS         (N_SHOTS / 50)
#define CLIP_BYTES      (50 * 1024 * 1024)
#define STROKES         20
#define CACHE_NAME      "bench-media-v1.storyreel"

static int
n_shots (void)
{
  static int shots;

  if (shots == 0)
    {
      const char *env = g_getenv ("STORYREEL_BENCH_SHOTS");
      int asked = env != NULL ? atoi (env) : 0;

      shots = asked >= 100 && asked % 100 == 0 ? asked : 1000;
    }
  return shots;
}

static long
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");
  return line != NULL ? strtol (line + strlen ("VmHWM:"), NULL, 10) : -1;
}

static gint64
mem_available_bytes (void)
{
  g_autofree char *info = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/meminfo", &info, NULL, NULL))
    return -1;
  line = strstr (info, "MemAvailable:");
  return line != NULL ? strtoll (line + strlen ("MemAvailable:"), NULL, 10) * 1024 : -1;
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : -1;
}

static void
fill_noise (guint8  *data,
            gsize    size,
            guint64 *state)
{
  gsize i = 0;

  for (; i + 8 <= size; i += 8)
    {
      *state ^= *state << 13;
      *state ^= *state >> 7;
      *state ^= *state << 17;
      memcpy (data + i, state, 8);
    }
  for (; i < size; i++)
    data[i] = (guint8) (*state >> (i % 8));
}

#define POOL_SIZE 16

/* JPEGs of noise. Encoding 4,000 of them would take most of an hour on a busy machine:
 * a few are encoded, and each image of the project is one of them made unique by a
 * comment segment (unique_jpeg()). The entropy, size and decoding cost are real. */
static GPtrArray *
noise_jpegs (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, IMAGE_WIDTH,
                                                IMAGE_HEIGHT);
  GPtrArray *pool = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint64 state = 0x2545f4914f6cdd1d;

  for (guint i = 0; i < POOL_SIZE; i++)
    {
      g_autoptr(GError) error = NULL;
      char *buffer = NULL;
      gsize size = 0;

      fill_noise (gdk_pixbuf_get_pixels (pixbuf),
                  (gsize) gdk_pixbuf_get_rowstride (pixbuf) * IMAGE_HEIGHT, &state);
      if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error,
                                      "quality", "85", NULL))
        g_error ("%s", error->message);
      g_ptr_array_add (pool, g_bytes_new_take (buffer, size));
    }
  return pool;
}

/* @model with a COM segment naming @serial right after its SOI marker. */
static GBytes *
unique_jpeg (GBytes *model,
             guint   serial)
{
  g_autofree char *comment = g_strdup_printf ("storyreel bench image %u", serial);
  gsize size;
  const guint8 *data = g_bytes_get_data (model, &size);
  gsize length = strlen (comment) + 2;
  GByteArray *out = g_byte_array_sized_new (size + length + 2);
  guint8 header[4] = { 0xff, 0xfe, (guint8) (length >> 8), (guint8) (length & 0xff) };

  g_byte_array_append (out, data, 2);
  g_byte_array_append (out, header, 4);
  g_byte_array_append (out, (const guint8 *) comment, strlen (comment));
  g_byte_array_append (out, data + 2, size - 2);
  return g_byte_array_free_to_bytes (out);
}

static void
check_sqlite (int      rc,
              sqlite3 *db)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("SQLite: %s", sqlite3_errmsg (db));
}

/* The shots, scenes and sketches through the real writer. */
static void
write_skeleton (const char *path)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1344);
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  reel_project_set_title (project, "Media benchmark");
  for (guint s = 0; s < N_SHOTS / SHOTS_PER_SCENE; s++)
    {
      g_autoptr(ReelScene) scene = reel_scene_new ();
      g_autofree char *number = g_strdup_printf ("%u", s + 1);

      reel_scene_set_number (scene, number);
      reel_scene_set_location (scene, "HARBOUR");
      reel_scene_set_time_of_day (scene, "DAWN");
      for (guint i = 0; i < SHOTS_PER_SCENE; i++)
        {
          g_autoptr(ReelShot) shot = reel_shot_new ();
          g_autofree char *shot_number = g_strdup_printf ("%u%c", s + 1, 'A' + i % 26);

          reel_shot_set_number (shot, shot_number);
          reel_shot_set_description (shot, "Maya walks the length of the pier, a coil of rope "
                                           "on her shoulder, and stops at the end.");
          reel_shot_set_size (shot, "ws");
          for (guint k = 0; k < STROKES; k++)
            {
              g_autoptr(ReelStroke) stroke =
                storage_test_freehand_stroke (rand, g_rand_int_range (rand, 8, 33));

              reel_sketch_append_stroke (reel_shot_get_sketch (shot), REEL_LAYER_SKETCH, stroke);
            }
          reel_scene_append_shot (scene, shot);
        }
      reel_project_append_scene (project, scene);
    }

  if (!reel_project_file_save (project, file, NULL, &error))
    g_error ("%s", error->message);
}

/* One asset row, its generation record and its place in the shot's lists. */
static void
insert_asset (sqlite3      *db,
              sqlite3_stmt *asset,
              sqlite3_stmt *generation,
              sqlite3_stmt *link,
              gint64        shot,
              guint         index,
              gint64       *position,
              GBytes       *bytes,
              const char   *mime_type,
              int           width,
              int           height,
              const char   *kind,
              const char   *provider,
              char        **out_hash)
{
  g_autofree char *hash = reel_asset_compute_hash (bytes);
  gsize size;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  sqlite3_bind_text (asset, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (asset, 2, (*position)++);
  sqlite3_bind_text (asset, 3, mime_type, -1, SQLITE_STATIC);
  sqlite3_bind_int (asset, 4, width);
  sqlite3_bind_int (asset, 5, height);
  sqlite3_bind_blob64 (asset, 6, data, size, SQLITE_STATIC);
  check_sqlite (sqlite3_step (asset), db);
  sqlite3_reset (asset);

  sqlite3_bind_text (generation, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (generation, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (generation, 3, provider, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (generation, 4, shot * 8 + index);
  check_sqlite (sqlite3_step (generation), db);
  sqlite3_reset (generation);

  for (int role = 0; role < 2; role++)
    {
      sqlite3_bind_int64 (link, 1, shot);
      sqlite3_bind_int (link, 2, role);
      sqlite3_bind_int (link, 3, (int) index);
      sqlite3_bind_text (link, 4, hash, -1, SQLITE_STATIC);
      check_sqlite (sqlite3_step (link), db);
      sqlite3_reset (link);
    }

  *out_hash = g_steal_pointer (&hash);
}

/* The images and clips go straight into the file, a few at a time in memory: the
 * project with all of them would not fit (which is the point of the benchmark). */
static void
add_media (const char *path)
{
  g_autoptr(GPtrArray) pool = noise_jpegs ();
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3 *db = NULL;
  sqlite3_stmt *select, *asset, *generation, *link, *background;
  guint64 state = 0x9e3779b97f4a7c15;
  gint64 position = 0;

  check_sqlite (sqlite3_open (path, &db), db);
  check_sqlite (sqlite3_prepare_v2 (db, "SELECT key FROM shots ORDER BY scene, position", -1,
                                    &select, NULL), db);
  while (sqlite3_step (select) == SQLITE_ROW)
    {
      gint64 key = sqlite3_column_int64 (select, 0);

      g_array_append_val (keys, key);
    }
  sqlite3_finalize (select);
  g_assert_cmpuint (keys->len, ==, N_SHOTS);

  check_sqlite (sqlite3_prepare_v2 (db, "INSERT INTO assets (hash, position, mime_type, width, "
                                    "height, data) VALUES (?, ?, ?, ?, ?, ?)", -1, &asset,
                                    NULL), db);
  check_sqlite (sqlite3_prepare_v2 (db, "INSERT INTO asset_generations (asset, position, kind, "
                                    "provider, model, endpoint_host, prompt, seed, created_us, "
                                    "duration_ms) VALUES (?, 0, ?, ?, 'bench-model', "
                                    "'generate.example', "
                                    "'The harbour at dawn, empty background plate, no people', "
                                    "?, 1765000000000000, 9000)", -1, &generation, NULL), db);
  check_sqlite (sqlite3_prepare_v2 (db, "INSERT INTO shot_assets (shot, role, position, hash) "
                                    "VALUES (?, ?, ?, ?)", -1, &link, NULL), db);
  check_sqlite (sqlite3_prepare_v2 (db, "UPDATE shots SET background = ? WHERE key = ?", -1,
                                    &background, NULL), db);

  for (guint i = 0; i < keys->len; i++)
    {
      gint64 key = g_array_index (keys, gint64, i);
      g_autofree char *first = NULL;

      if (i % 50 == 0)
        check_sqlite (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), db);

      for (guint k = 0; k < IMAGES_PER_SHOT; k++)
        {
          GBytes *model = g_ptr_array_index (pool, (i * IMAGES_PER_SHOT + k) % pool->len);
          g_autoptr(GBytes) bytes = unique_jpeg (model, i * IMAGES_PER_SHOT + k);
          g_autofree char *hash = NULL;

          insert_asset (db, asset, generation, link, key, k, &position, bytes, "image/jpeg",
                        IMAGE_WIDTH, IMAGE_HEIGHT, "background", "gemini", &hash);
          if (first == NULL)
            first = g_steal_pointer (&hash);
        }

      /* Every 50th shot has a moving background, and shows it. */
      if (i % (N_SHOTS / N_CLIPS) == 0)
        {
          guint8 *clip = g_malloc (CLIP_BYTES);
          g_autoptr(GBytes) bytes = NULL;

          fill_noise (clip, CLIP_BYTES, &state);
          bytes = g_bytes_new_take (clip, CLIP_BYTES);
          g_clear_pointer (&first, g_free);
          insert_asset (db, asset, generation, link, key, IMAGES_PER_SHOT, &position, bytes,
                        "video/mp4", 1920, 1080, "video", "veo", &first);
        }

      sqlite3_bind_text (background, 1, first, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (background, 2, key);
      check_sqlite (sqlite3_step (background), db);
      sqlite3_reset (background);

      if (i % 50 == 49 || i + 1 == keys->len)
        check_sqlite (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), db);
    }

  sqlite3_finalize (asset);
  sqlite3_finalize (generation);
  sqlite3_finalize (link);
  sqlite3_finalize (background);
  check_sqlite (sqlite3_close (db), NULL);
}

static char *
ensure_project (void)
{
  const char *env = g_getenv ("STORYREEL_BENCH_CACHE");
  g_autofree char *dir = env != NULL ? g_strdup (env)
                                     : g_build_filename (g_get_user_cache_dir (), "storyreel",
                                                         "bench", NULL);
  g_autofree char *name = N_SHOTS == 1000 ? g_strdup (CACHE_NAME)
                                          : g_strdup_printf ("bench-media-v1-%d.storyreel",
                                                             N_SHOTS);
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *partial = g_strconcat (path, ".partial", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GFileInfo) info = NULL;
  gint64 start;

  g_mkdir_with_parents (dir, 0755);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return path;

  /* About 9 GB, and the same again for the copy the edits run on. */
  info = g_file_query_filesystem_info (folder, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);
  if (info != NULL &&
      g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE) <
        (guint64) 25 * 1024 * 1024 * 1024)
    g_error ("The benchmark needs 25 GB free in %s", dir);

  fprintf (stderr, "Generating %s once (several minutes)…\n", path);
  start = g_get_monotonic_time ();
  g_unlink (partial);
  write_skeleton (partial);
  add_media (partial);
  if (g_rename (partial, path) != 0)
    g_error ("Could not rename %s", partial);
  fprintf (stderr, "Generated in %.0f s\n", (g_get_monotonic_time () - start) / 1e6);
  return path;
}

static ReelProject *
load (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  ReelProject *project = reel_project_file_load (file, NULL, &error);

  if (project == NULL)
    g_error ("%s", error->message);
  return project;
}

/* In a fresh process: the open alone, "wall-ms cpu-ms peak-kib". */
static int
open_only (const char *path)
{
  gint64 start = g_get_monotonic_time ();
  double cpu_start = reel_bench_process_cpu_ms ();
  g_autoptr(ReelProject) project = load (path);
  double wall = (g_get_monotonic_time () - start) / 1000.0;
  double cpu = reel_bench_process_cpu_ms () - cpu_start;

  g_assert_cmpuint (reel_project_get_n_shots (project), ==, N_SHOTS);
  printf ("%.1f %.1f %ld\n", wall, cpu, peak_rss_kib ());
  return 0;
}

/* In a fresh process, on a copy: one edit saved, then half the shots deleted and saved,
 * then the time until the freed space is back (after the save, on a thread):
 * "edit-save-ms half-save-ms compacted-ms". */
/* The bytes of the assets that something of @project uses. */
static gint64
used_asset_bytes (ReelProject *project)
{
  g_autoptr(GHashTable) used = reel_project_collect_used_hashes (project);
  GHashTableIter iter;
  const char *hash;
  gint64 bytes = 0;

  g_hash_table_iter_init (&iter, used);
  while (g_hash_table_iter_next (&iter, (gpointer *) &hash, NULL))
    {
      ReelAsset *asset = reel_project_lookup_asset (project, hash);

      if (asset != NULL)
        bytes += reel_asset_get_size (asset);
    }
  return bytes;
}

static int
edit_only (const char *path)
{
  g_autoptr(ReelProject) project = load (path);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  guint edit_scene = MIN (3, N_SHOTS / SHOTS_PER_SCENE - 1);
  ReelShot *shot = reel_scene_get_shot (reel_project_get_scene (project, edit_scene), 42);
  g_autoptr(GPtrArray) doomed = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 start;
  double cpu_start;
  double edit_ms, edit_cpu_ms, half_ms, compact_ms;
  gint64 used_before, used_after;

  /* The first save of a file of an older format upgrades it (in place): a second edit
   * shows the steady state. Each figure goes to standard error at once too, as the
   * space given back after deleting half the shots can take long on a busy machine. */
  reel_edit_set_string (project, G_OBJECT (shot), "description", "The fog lifts.");
  start = g_get_monotonic_time ();
  if (!reel_project_file_save (project, file, NULL, &error))
    g_error ("%s", error->message);
  fprintf (stderr, "save-first-edit-ms=%.1f\n", (g_get_monotonic_time () - start) / 1000.0);
  /* The upgrade freed pages, which go back to the file system on a thread of their own;
   * a save meanwhile interrupts a step of that and waits for its rollback (measured
   * below, after deleting half the shots). The steady state is after it. */
  start = g_get_monotonic_time ();
  reel_project_file_wait_compacted (file);
  fprintf (stderr, "save-first-edit-space-given-back-ms=%.1f\n",
           (g_get_monotonic_time () - start) / 1000.0);
  reel_edit_set_string (project, G_OBJECT (shot), "description", "The fog lifts at last.");
  start = g_get_monotonic_time ();
  cpu_start = reel_bench_process_cpu_ms ();
  if (!reel_project_file_save (project, file, NULL, &error))
    g_error ("%s", error->message);
  edit_ms = (g_get_monotonic_time () - start) / 1000.0;
  edit_cpu_ms = reel_bench_process_cpu_ms () - cpu_start;
  /* The rest is waiting for the disk: the journal twice, the file, the folder twice (the
   * new journal's entry, then its removal). */
  fprintf (stderr, "save-one-edit-ms=%.1f\nsave-one-edit-cpu-ms=%.1f\n", edit_ms,
           edit_cpu_ms);

  /* The second half of every scene, straight from the model, not through the undo
   * history, which would keep their images (as it should) until it lets them go. */
  used_before = used_asset_bytes (project);
  for (guint s = 0; s < reel_project_get_n_scenes (project); s++)
    {
      ReelScene *scene = reel_project_get_scene (project, s);
      guint n = reel_scene_get_n_shots (scene);

      for (guint i = n; i > n / 2; i--)
        g_ptr_array_add (doomed, reel_scene_remove_shot (scene, i - 1));
    }
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, N_SHOTS / 2);
  used_after = used_asset_bytes (project);
  start = g_get_monotonic_time ();
  if (!reel_project_file_save (project, file, NULL, &error))
    g_error ("%s", error->message);
  half_ms = (g_get_monotonic_time () - start) / 1000.0;
  fprintf (stderr, "save-deleting-half-ms=%.0f\n", half_ms);
  /* One edit saved while the freed space is being given back. */
  {
    gint64 during_start;

    reel_edit_set_string (project, G_OBJECT (shot), "description", "The fog is gone.");
    during_start = g_get_monotonic_time ();
    if (!reel_project_file_save (project, file, NULL, &error))
      g_error ("%s", error->message);
    fprintf (stderr, "save-one-edit-while-giving-space-back-ms=%.1f\n",
             (g_get_monotonic_time () - during_start) / 1000.0);
  }
  reel_project_file_wait_compacted (file);
  compact_ms = (g_get_monotonic_time () - start) / 1000.0;

  printf ("%.1f %.1f %.1f %.1f %.4f\n", edit_ms, edit_cpu_ms, half_ms, compact_ms,
          (double) used_after / used_before);
  return 0;
}

/* Autosave under one edit a second for 60 s (a title change, and a pen stroke every other
 * second), with the application's delays, times STORYREEL_BENCH_SCALE: the longest time an
 * edit waited to reach the recovery file, and the longest main-loop stall (wall, and the
 * main thread's CPU time in it; the machine may be shared). */
typedef struct
{
  ReelProject *project;
  GRand *rand;
  GArray *edit_times;
  guint n_edits;
  guint written;
  guint n_saved;
  gint64 max_wait;
  gint64 last_tick;
  gint64 last_tick_cpu;
  gint64 max_stall;
  gint64 max_stall_cpu;
  gboolean done;
} AutosaveBench;

#define AUTOSAVE_EDITS 60

static void
reset_tick (AutosaveBench *bench)
{
  bench->last_tick = g_get_monotonic_time ();
  bench->last_tick_cpu = reel_bench_thread_cpu_us ();
}

static gboolean
autosave_tick_cb (gpointer user_data)
{
  AutosaveBench *bench = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = reel_bench_thread_cpu_us ();

  if (bench->last_tick != 0)
    {
      bench->max_stall = MAX (bench->max_stall, now - bench->last_tick);
      bench->max_stall_cpu = MAX (bench->max_stall_cpu, cpu - bench->last_tick_cpu);
    }
  bench->last_tick = now;
  bench->last_tick_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static gboolean
autosave_edit_cb (gpointer user_data)
{
  AutosaveBench *bench = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autofree char *title = NULL;

  if (bench->n_edits == AUTOSAVE_EDITS)
    {
      bench->done = TRUE;
      return G_SOURCE_REMOVE;
    }

  title = g_strdup_printf ("Edit %u", ++bench->n_edits);
  g_array_append_val (bench->edit_times, now);
  reel_project_set_title (bench->project, title);
  if (bench->n_edits % 2 == 0)
    {
      guint n_scenes = reel_project_get_n_scenes (bench->project);
      ReelScene *scene = reel_project_get_scene (bench->project,
                                                 g_rand_int_range (bench->rand, 0, n_scenes));
      ReelShot *shot = reel_scene_get_shot (scene,
                                            g_rand_int_range (bench->rand, 0, SHOTS_PER_SCENE));
      g_autoptr(ReelStroke) stroke = storage_test_freehand_stroke (bench->rand, 24);

      reel_sketch_append_stroke (reel_shot_get_sketch (shot), REEL_LAYER_SKETCH, stroke);
    }
  reset_tick (bench);
  return G_SOURCE_CONTINUE;
}

static void
autosave_saved_cb (ReelAutosave  *autosave,
                   AutosaveBench *bench)
{
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GHashTable) meta = reel_project_file_read_meta (reel_autosave_get_file (autosave),
                                                            NULL);
  const char *title = meta != NULL ? g_hash_table_lookup (meta, "autosave_title") : NULL;
  guint on_disk = title != NULL && g_str_has_prefix (title, "Edit ")
                  ? (guint) g_ascii_strtoull (title + 5, NULL, 10) : 0;

  for (; bench->written < on_disk; bench->written++)
    bench->max_wait = MAX (bench->max_wait,
                           now - g_array_index (bench->edit_times, gint64, bench->written));
  bench->n_saved++;
  reset_tick (bench);
}

static void
probe_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gint64 *done = user_data;

  if (!reel_project_file_save_finish (REEL_PROJECT (source), result, &error))
    g_error ("%s", error->message);
  *done = g_get_monotonic_time ();
}

/* The first recovery file of @project after one edit, written as autosave writes it (to a
 * file of its own): how long the main thread worked before handing it to the worker (wall
 * and CPU), how long the whole write took, and the file's size. */
static void
probe_first_recovery (ReelProject *project,
                      double      *main_ms,
                      double      *main_cpu_ms,
                      double      *write_ms,
                      double      *size_mb)
{
  g_autoptr(GFile) directory = reel_autosave_get_directory ();
  g_autofree char *directory_path = g_file_get_path (directory);
  g_autofree char *probe_path = g_build_filename (directory_path, "bench-probe.storyreel", NULL);
  g_autoptr(GFile) probe = g_file_new_for_path (probe_path);
  g_autoptr(GHashTable) meta = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 start, cpu_start, done = 0;

  g_mkdir_with_parents (directory_path, 0700);
  g_hash_table_insert (meta, (gpointer) "autosave_title", (gpointer) "Probe");
  reel_project_set_title (project, "Probe");

  start = g_get_monotonic_time ();
  cpu_start = reel_bench_thread_cpu_us ();
  reel_project_file_save_with_meta_async (project, probe,
                                          REEL_PROJECT_FILE_SAVE_COPY |
                                          REEL_PROJECT_FILE_SAVE_KEEP_PLATES |
                                          REEL_PROJECT_FILE_SAVE_PRIVATE |
                                          REEL_PROJECT_FILE_SAVE_REFER_ASSETS,
                                          meta, NULL, probe_saved_cb, &done);
  *main_ms = (g_get_monotonic_time () - start) / 1000.0;
  *main_cpu_ms = (reel_bench_thread_cpu_us () - cpu_start) / 1000.0;
  while (done == 0)
    g_main_context_iteration (NULL, TRUE);
  *write_ms = (done - start) / 1000.0;
  *size_mb = file_size (probe_path) / 1048576.0;
  g_unlink (probe_path);
}

/* In a fresh process: "longest-wait-s longest-stall-ms longest-stall-cpu-ms writes
 * first-snapshot-main-ms first-snapshot-main-cpu-ms first-write-ms first-recovery-mb
 * recovery-mb". */
static int
autosave_only (const char *path)
{
  const char *scale_env = g_getenv ("STORYREEL_BENCH_SCALE");
  double scale = scale_env != NULL ? g_ascii_strtod (scale_env, NULL) : 1.0;
  AutosaveBench bench = { 0, };
  g_autoptr(ReelAutosave) autosave = NULL;
  double snapshot_ms, snapshot_cpu_ms, first_write_ms, first_mb, recovery_mb;
  gint64 deadline;
  guint tick_id;

  if (scale <= 0)
    scale = 1.0;
  bench.project = load (path);
  probe_first_recovery (bench.project, &snapshot_ms, &snapshot_cpu_ms, &first_write_ms,
                        &first_mb);
  {
    ReelProjectFilePhaseTimes probe_phases;

    /* The phases of the autosave run only. */
    reel_project_file_take_phase_times (&probe_phases);
  }
  bench.rand = g_rand_new_with_seed (60);
  bench.edit_times = g_array_new (FALSE, FALSE, sizeof (gint64));

  autosave = reel_autosave_new (bench.project);
  reel_autosave_set_delay (autosave, (guint) (REEL_AUTOSAVE_DEFAULT_DELAY_MS * scale));
  reel_autosave_set_max_wait (autosave, (guint) (REEL_AUTOSAVE_DEFAULT_MAX_WAIT_MS * scale));
  g_signal_connect (autosave, "saved", G_CALLBACK (autosave_saved_cb), &bench);

  tick_id = g_timeout_add (1, autosave_tick_cb, &bench);
  g_timeout_add ((guint) (1000 * scale), autosave_edit_cb, &bench);
  deadline = g_get_monotonic_time () + (gint64) 3600 * G_USEC_PER_SEC;
  while ((!bench.done || bench.written < bench.n_edits) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick_id);
  recovery_mb = reel_autosave_get_file (autosave) != NULL
                ? file_size (g_file_peek_path (reel_autosave_get_file (autosave))) / 1048576.0
                : 0;
  reel_autosave_discard (autosave);

  printf ("%.1f %.1f %.1f %u %.1f %.1f %.0f %.2f %.2f\n", bench.max_wait / 1e6 / scale,
          bench.max_stall / 1000.0, bench.max_stall_cpu / 1000.0, bench.n_saved, snapshot_ms,
          snapshot_cpu_ms, first_write_ms, first_mb, recovery_mb);
  /* Then the main thread's longest time per phase of the saves, as figures to print. */
  {
    ReelProjectFilePhaseTimes phases;

    reel_project_file_take_phase_times (&phases);
    for (guint i = 0; i < REEL_PROJECT_FILE_N_PHASES; i++)
      printf ("autosave-main-thread-%s-longest-ms=%.2f\n"
              "autosave-main-thread-%s-longest-cpu-ms=%.2f\n",
              reel_project_file_phase_name (i), phases.wall_us[i] / 1000.0,
              reel_project_file_phase_name (i), phases.cpu_us[i] / 1000.0);
  }
  g_array_unref (bench.edit_times);
  g_rand_free (bench.rand);
  g_object_unref (bench.project);
  return 0;
}

/* Runs this program with @mode on @path; its standard output, and its CPU time. */
static char *
run_child (const char *self,
           const char *mode,
           const char *path)
{
  const char *argv[] = { self, mode, path, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  char *out = NULL;
  int status;
  GPid pid;
  int out_fd;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                 NULL, &pid, NULL, &out_fd, NULL, &error))
    g_error ("%s", error->message);
  channel = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_io_channel_read_to_end (channel, &out, NULL, NULL);
  if (waitpid (pid, &status, 0) != pid || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("%s %s %s failed", self, mode, path);
  g_spawn_close_pid (pid);
  return out;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *self = NULL;
  g_autofree char *path = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *open_out = NULL;
  g_autofree char *edit_out = NULL;
  g_autofree char *autosave_out = NULL;
  double autosave_wait, autosave_stall, autosave_stall_cpu;
  double snapshot_ms, snapshot_cpu_ms, first_write_ms, first_mb, recovery_mb;
  guint autosave_writes;
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) target = NULL;
  g_autoptr(GError) error = NULL;
  double open_wall, open_cpu, edit_ms, edit_cpu_ms, half_ms, compact_ms, expected_ratio;
  long peak_kib;
  gint64 size, available, half_size;

  if (argc == 3 && g_str_equal (argv[1], "--open"))
    return open_only (argv[2]);
  if (argc == 3 && g_str_equal (argv[1], "--edit"))
    return edit_only (argv[2]);
  if (argc == 3 && g_str_equal (argv[1], "--autosave"))
    return autosave_only (argv[2]);
  /* For the window's benchmark (tests/widgets/bench-media-window): only the project. */
  if (argc == 2 && g_str_equal (argv[1], "--generate"))
    {
      g_autofree char *generated = ensure_project ();

      printf ("%s\n", generated);
      return 0;
    }

  /* Each figure as soon as it is known: the whole run takes minutes. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  self = g_canonicalize_filename (argv[0], NULL);
  path = ensure_project ();
  size = file_size (path);
  printf ("shots=%u\nimages=%u\nclips=%u\nfile-mb=%.0f\n", N_SHOTS, N_SHOTS * IMAGES_PER_SHOT,
          N_CLIPS, size / 1048576.0);
  /* A shared machine's figures mean little without its load. */
  reel_bench_print_load ("load-average");

  /* A loader that holds every image in memory needs about the file's size: refuse to
   * push a shared machine into swap or the OOM killer. */
  available = mem_available_bytes ();
  if (available > 0 && size > available * 2 / 3)
    {
      printf ("open-skipped=the open would need about %.1f GB and %.1f GB are available\n",
              size / 1073741824.0, available / 1073741824.0);
      return 0;
    }

  /* Twice: the first fills the page cache, the second is what a user sees on a second
   * open; report the second. */
  g_free (run_child (self, "--open", path));
  open_out = run_child (self, "--open", path);
  if (sscanf (open_out, "%lf %lf %ld", &open_wall, &open_cpu, &peak_kib) != 3)
    g_error ("Unexpected answer: %s", open_out);
  printf ("open-wall-ms=%.0f\nopen-cpu-ms=%.0f\nopen-peak-rss-mb=%.0f\n", open_wall, open_cpu,
          peak_kib / 1024.0);

  /* The recovery file of a project with media: it names what the document holds, and
   * the first one starts as a copy of the document's rows. Before the saves below, whose
   * space given back can take many minutes on a busy disk. */
  autosave_out = run_child (self, "--autosave", path);
  if (sscanf (autosave_out, "%lf %lf %lf %u %lf %lf %lf %lf %lf", &autosave_wait,
              &autosave_stall, &autosave_stall_cpu, &autosave_writes, &snapshot_ms,
              &snapshot_cpu_ms, &first_write_ms, &first_mb, &recovery_mb) != 9)
    g_error ("Unexpected answer: %s", autosave_out);
  printf ("autosave-first-snapshot-main-thread-ms=%.1f\n"
          "autosave-first-snapshot-main-thread-cpu-ms=%.1f\n"
          "autosave-first-recovery-write-ms=%.0f\nautosave-first-recovery-file-mb=%.2f\n",
          snapshot_ms, snapshot_cpu_ms, first_write_ms, first_mb);
  printf ("autosave-longest-wait-s=%.1f\nautosave-wait-goal-s=30\n"
          "autosave-longest-main-loop-stall-ms=%.1f\n"
          "autosave-longest-main-loop-stall-cpu-ms=%.1f\nautosave-stall-goal-ms=16\n"
          "autosave-writes=%u\nautosave-recovery-file-mb=%.2f\n", autosave_wait,
          autosave_stall, autosave_stall_cpu, autosave_writes, recovery_mb);
  if (strchr (autosave_out, '\n') != NULL)
    printf ("%s", strchr (autosave_out, '\n') + 1);
  printf ("autosave-baseline=see bench-autosave (the same stream without autosave)\n");

  copy = g_strconcat (path, ".edited", NULL);
  source = g_file_new_for_path (path);
  target = g_file_new_for_path (copy);
  if (!g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  /* The copy's gigabytes of dirty pages would otherwise be flushed by the first save's
   * fsync, and counted as its time. */
  {
    int fd = g_open (copy, O_RDWR, 0);

    if (fd < 0 || fsync (fd) != 0)
      g_error ("Could not flush %s", copy);
    close (fd);
  }
  edit_out = run_child (self, "--edit", copy);
  if (sscanf (edit_out, "%lf %lf %lf %lf %lf", &edit_ms, &edit_cpu_ms, &half_ms, &compact_ms,
              &expected_ratio) != 5)
    g_error ("Unexpected answer: %s", edit_out);
  half_size = file_size (copy);
  g_unlink (copy);

  printf ("save-one-edit-ms=%.1f\nsave-one-edit-cpu-ms=%.1f\nsave-one-edit-goal-ms=100\n"
          "save-deleting-half-ms=%.0f\nspace-given-back-ms-after-that-save-started=%.0f\n",
          edit_ms, edit_cpu_ms, half_ms, compact_ms);
  printf ("file-mb-after-deleting-half=%.0f\nsize-ratio-after-deleting-half=%.2f\n"
          "expected-size-ratio-after-deleting-half=%.2f "
          "(bytes of the assets used after the delete / before)\n",
          half_size / 1048576.0, (double) half_size / size, expected_ratio);

  return 0;
}
