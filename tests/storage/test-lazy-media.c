/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "core/reel-panel.h"
#include "storage-test-util.h"
#include "storage/reel-project-file.h"
#include "storage/reel-project-file-private.h"

/*
 * Lazy media: an opened project's images and clips stay in the file until they are
 * used; their bytes are read then (and checked against their hash), a clip goes to
 * the cache folder in pieces, and saves write only what changed.
 */

#define N_SHOTS    12
#define CLIP_BYTES (3 * 1024 * 1024 + 17)

/* A "video" of noise: the file and the loader treat it as the bytes it is. */
static ReelAsset *
noise_clip (GRand *rand)
{
  guint8 *data = g_malloc (CLIP_BYTES);
  g_autoptr(GBytes) bytes = NULL;

  for (gsize i = 0; i < CLIP_BYTES; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  bytes = g_bytes_new_take (data, CLIP_BYTES);
  return reel_asset_new_video (bytes, REEL_MIME_MP4, 320, 180, NULL);
}

/* @n_shots shots with one image each; the first shot shows a clip. */
static ReelProject *
make_project (guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  ReelProject *project = reel_project_new ();
  g_autoptr(ReelScene) scene = reel_scene_new ();

  reel_project_append_scene (project, scene);
  for (guint i = 0; i < N_SHOTS; i++)
    {
      g_autoptr(ReelShot) shot = reel_shot_new ();
      g_autoptr(ReelAsset) image = storage_test_noise_image (rand, 96, 64);

      reel_edit_insert_shot (project, scene, i, shot);
      reel_edit_add_variant (project, shot, image);
      if (i == 0)
        {
          g_autoptr(ReelAsset) clip = noise_clip (rand);

          reel_edit_add_variant (project, shot, clip);
        }
    }
  return project;
}

static void
save (ReelProject *project,
      GFile       *file)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (reel_project_file_save (project, file, NULL, &error));
  g_assert_no_error (error);
}

static ReelProject *
load (GFile *file)
{
  g_autoptr(GError) error = NULL;
  ReelProject *project = reel_project_file_load (file, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (project);
  return project;
}

static void
exec_on (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;

  db = storage_test_open_db (path, FALSE);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

/* "rowid hash" of every asset row, in hash order: rewritten rows get new rowids. */
static char *
asset_rows (const char *path)
{
  g_autoptr(GString) rows = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;

  db = storage_test_open_db (path, TRUE);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT rowid, hash FROM assets ORDER BY hash", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (rows, "%lld %s\n", (long long) sqlite3_column_int64 (stmt, 0),
                            sqlite3_column_text (stmt, 1));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (g_steal_pointer (&rows), FALSE);
}

/* Every asset of @loaded is lazy, knows its size without reading, and reads the bytes
 * @original holds under its hash. */
static void
assert_same_media (ReelProject *original,
                   ReelProject *loaded)
{
  g_autoptr(GPtrArray) assets = reel_project_list_assets (loaded);

  g_assert_cmpuint (assets->len, ==, reel_project_get_n_assets (original));
  for (guint i = 0; i < assets->len; i++)
    {
      ReelAsset *asset = g_ptr_array_index (assets, i);
      ReelAsset *before = reel_project_lookup_asset (original, reel_asset_get_hash (asset));
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_nonnull (before);
      g_assert_true (reel_asset_is_lazy (asset));
      g_assert_cmpint (reel_asset_get_size (asset), ==,
                       g_bytes_get_size (reel_asset_get_data (before)));
      bytes = reel_asset_dup_data (asset, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (bytes, reel_asset_get_data (before)));
    }
}

/* The bytes stay in the file until they are used: bytes changed on disk after the
 * open (a failing disk, say) are what the image reads, and it says it is damaged,
 * by name; the other images and the clip read as they were saved. */
static void
test_open_reads_no_bytes (void)
{
  g_autofree char *dir = storage_test_make_dir ("lazy-open");
  g_autofree char *path = g_build_filename (dir, "lazy.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelProject) project = make_project (1);
  g_autoptr(ReelProject) loaded = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *name = NULL;
  ReelShot *victim_shot;
  ReelAsset *victim;
  const char *hash;

  save (project, file);
  loaded = load (file);
  g_assert_cmpuint (reel_project_get_n_shots (loaded), ==, N_SHOTS);

  victim_shot = reel_scene_get_shot (reel_project_get_scene (loaded, 0), 5);
  hash = reel_shot_get_variants (victim_shot)[0];
  victim = reel_project_lookup_asset (loaded, hash);
  g_assert_nonnull (victim);
  name = g_strndup (hash, 12);
  sql = g_strdup_printf ("UPDATE assets SET data = substr(data, 1, length(data) - 1) || x'00' "
                         "WHERE hash = '%s'", hash);
  exec_on (path, sql);

  pixbuf = reel_asset_create_pixbuf (victim, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_IMAGE);
  g_assert_nonnull (strstr (error->message, name));
  g_clear_error (&error);
  g_assert_false (reel_asset_check_integrity (victim, &error));
  g_assert_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_IMAGE);

  /* The rest of the project is not affected. */
  {
    g_autoptr(GPtrArray) assets = reel_project_list_assets (loaded);

    for (guint i = 0; i < assets->len; i++)
      {
        ReelAsset *asset = g_ptr_array_index (assets, i);
        ReelAsset *before = reel_project_lookup_asset (project, reel_asset_get_hash (asset));
        g_autoptr(GBytes) bytes = NULL;
        g_autoptr(GError) read_error = NULL;

        if (asset == victim)
          continue;
        bytes = reel_asset_dup_data (asset, NULL, &read_error);
        g_assert_no_error (read_error);
        g_assert_true (g_bytes_equal (bytes, reel_asset_get_data (before)));
      }
  }
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GBytes **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = reel_asset_read_finish (REEL_ASSET (source), result, &error);
  g_assert_no_error (error);
}

/* Bytes read on a worker thread arrive in the caller's main context. */
static void
test_read_async (void)
{
  g_autofree char *dir = storage_test_make_dir ("lazy-async");
  g_autofree char *path = g_build_filename (dir, "lazy.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelProject) project = make_project (2);
  g_autoptr(ReelProject) loaded = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  save (project, file);
  loaded = load (file);
  assets = reel_project_list_assets (loaded);
  for (guint i = 0; i < assets->len; i++)
    {
      ReelAsset *asset = g_ptr_array_index (assets, i);
      g_autoptr(GBytes) bytes = NULL;

      reel_asset_read_async (asset, NULL, on_read, &bytes);
      while (bytes == NULL && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      g_assert_nonnull (bytes);
      g_assert_true (g_bytes_equal (bytes, reel_asset_get_data (
        reel_project_lookup_asset (project, reel_asset_get_hash (asset)))));
    }
}

/* A clip goes to the cache folder in pieces, checked; a damaged one leaves nothing. */
static void
test_clip_to_cache_file (void)
{
  g_autofree char *dir = storage_test_make_dir ("lazy-clip");
  g_autofree char *path = g_build_filename (dir, "lazy.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelProject) project = make_project (3);
  g_autoptr(ReelProject) loaded = NULL;
  g_autoptr(GFile) cached = NULL;
  g_autoptr(GFile) again = NULL;
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cached_path = NULL;
  g_autofree char *sql = NULL;
  ReelShot *shot;
  ReelAsset *clip = NULL;
  ReelAsset *original;

  save (project, file);
  loaded = load (file);
  shot = reel_scene_get_shot (reel_project_get_scene (loaded, 0), 0);
  for (guint i = 0; i < reel_shot_get_n_variants (shot); i++)
    {
      ReelAsset *variant = reel_project_lookup_asset (loaded, reel_shot_get_variants (shot)[i]);

      if (variant != NULL && reel_asset_is_video (variant))
        clip = variant;
    }
  g_assert_nonnull (clip);
  g_assert_cmpint (reel_asset_get_size (clip), ==, CLIP_BYTES);
  original = reel_project_lookup_asset (project, reel_asset_get_hash (clip));

  /* Wherever an earlier run left it, it is not there now. */
  cached_path = g_build_filename (g_get_user_cache_dir (), "storyreel", "media", NULL);
  {
    g_autofree char *name = g_strconcat (reel_asset_get_hash (clip), ".mp4", NULL);
    g_autofree char *stale = g_build_filename (cached_path, name, NULL);

    g_unlink (stale);
  }

  cached = reel_asset_dup_cache_file (clip, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cached);
  g_assert_true (g_str_has_suffix (g_file_peek_path (cached), ".mp4"));
  g_assert_true (g_str_has_prefix (g_file_peek_path (cached), cached_path));
  contents = g_file_load_bytes (cached, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (contents, reel_asset_get_data (original)));

  again = reel_asset_dup_cache_file (clip, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_equal (cached, again));

  /* Damaged on disk: the clip says so by name, and nothing half-written is cached. */
  g_assert_true (g_file_delete (cached, NULL, NULL));
  g_clear_object (&again);
  sql = g_strdup_printf ("UPDATE assets SET data = x'00' || substr(data, 2) WHERE hash = '%s'",
                         reel_asset_get_hash (clip));
  exec_on (path, sql);
  again = reel_asset_dup_cache_file (clip, NULL, &error);
  g_assert_null (again);
  g_assert_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_IMAGE);
  {
    g_autofree char *name = g_strndup (reel_asset_get_hash (clip), 12);
    g_autoptr(GDir) folder = g_dir_open (cached_path, 0, NULL);
    const char *entry;

    g_assert_nonnull (strstr (error->message, name));
    while (folder != NULL && (entry = g_dir_read_name (folder)) != NULL)
      g_assert_false (g_str_has_prefix (entry, reel_asset_get_hash (clip)));
  }
}

/* A save after one edit writes that edit: the asset rows are the same rows (a rewrite
 * would give them new row ids), and the images still read, before and after reopening. */
static void
test_save_after_edit_keeps_blobs (void)
{
  g_autofree char *dir = storage_test_make_dir ("lazy-edit");
  g_autofree char *path = g_build_filename (dir, "lazy.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelProject) project = make_project (4);
  g_autoptr(ReelProject) loaded = NULL;
  g_autoptr(ReelProject) reopened = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  ReelShot *shot;

  save (project, file);
  loaded = load (file);
  before = asset_rows (path);

  shot = reel_scene_get_shot (reel_project_get_scene (loaded, 0), 7);
  reel_edit_set_string (loaded, G_OBJECT (shot), "description", "The fog lifts.");
  save (loaded, file);
  after = asset_rows (path);
  g_assert_cmpstr (before, ==, after);

  assert_same_media (project, loaded);
  reopened = load (file);
  assert_same_media (project, reopened);
  g_assert_cmpstr (reel_shot_get_description (
    reel_scene_get_shot (reel_project_get_scene (reopened, 0), 7)), ==, "The fog lifts.");
}

/* Saved under another name, every image and clip is copied from the first file; and an
 * opened project keeps reading its file after it is deleted (a restored recovery file
 * is deleted once the document is saved). */
static void
test_save_as_and_deleted_file (void)
{
  g_autofree char *dir = storage_test_make_dir ("lazy-save-as");
  g_autofree char *path = g_build_filename (dir, "first.storyreel", NULL);
  g_autofree char *other_path = g_build_filename (dir, "second.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) other = g_file_new_for_path (other_path);
  g_autoptr(ReelProject) project = make_project (5);
  g_autoptr(ReelProject) loaded = NULL;
  g_autoptr(ReelProject) copied = NULL;

  save (project, file);
  loaded = load (file);
  save (loaded, other);
  g_assert_cmpint (g_unlink (path), ==, 0);

  assert_same_media (project, loaded);
  copied = load (other);
  assert_same_media (project, copied);
}

static gint64
freelist_count (const char *path)
{
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  gint64 count;

  db = storage_test_open_db (path, TRUE);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA freelist_count", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return count;
}

/* The space of a deleted clip goes back after the save, while the user keeps saving: the
 * saves that come meanwhile write in place, and in the end the file has no free pages
 * and is smaller by the clip. */
static void
test_space_given_back_while_saving (void)
{
  g_autofree char *dir = storage_test_make_dir ("lazy-space");
  g_autofree char *path = g_build_filename (dir, "lazy.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ReelProject) project = make_project (7);
  g_autoptr(ReelProject) loaded = NULL;
  g_autoptr(ReelProject) reopened = NULL;
  g_autoptr(ReelShot) removed = NULL;
  GStatBuf st_full, st_saved, st_after;
  ReelScene *scene;

  save (project, file);
  reel_project_file_wait_compacted (file);
  g_assert_cmpint (g_stat (path, &st_full), ==, 0);
  loaded = load (file);

  /* The first shot holds the clip. */
  scene = reel_project_get_scene (loaded, 0);
  removed = reel_scene_remove_shot (scene, 0);
  save (loaded, file);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *text = g_strdup_printf ("Take %u", i);

      reel_edit_set_string (loaded, G_OBJECT (reel_scene_get_shot (scene, i)), "description",
                            text);
      save (loaded, file);
    }
  g_assert_cmpint (g_stat (path, &st_saved), ==, 0);
  g_assert_cmpuint (st_saved.st_ino, ==, st_full.st_ino);

  reel_project_file_wait_compacted (file);
  g_assert_cmpint (freelist_count (path), ==, 0);
  g_assert_cmpint (g_stat (path, &st_after), ==, 0);
  g_assert_cmpuint (st_after.st_ino, ==, st_full.st_ino);
  g_assert_cmpint (st_after.st_size, <=, st_full.st_size - CLIP_BYTES);

  reopened = load (file);
  storage_test_assert_equal (loaded, reopened, "after giving space back");
}

static ReelGenerationRecord *
record_from (const char *provider,
             gint64      seed)
{
  ReelGenerationRecord *record = reel_generation_record_new ();

  record->kind = g_strdup (REEL_GENERATION_KIND_BACKGROUND);
  record->provider = g_strdup (provider);
  record->model = g_strdup ("model-1");
  record->prompt = g_strdup ("The harbour at dawn");
  record->seed = seed;
  record->created_us = 1765000000000000 + seed;
  record->duration_ms = 900;
  return record;
}

/* A file of format 3 (one generation record per asset) opens as it is, untouched and
 * lazily; the same bytes from a second provider keep both records; the first save
 * upgrades it in place to format 4 without rewriting the image, and both records come
 * back in order. */
static void
test_format_3_upgraded_in_place (void)
{
  g_autofree char *dir = storage_test_make_dir ("lazy-format-3");
  g_autofree char *path = g_build_filename (dir, "v3.storyreel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (6);
  g_autoptr(ReelAsset) image = storage_test_noise_image (rand, 96, 64);
  g_autoptr(ReelGenerationRecord) first = record_from ("gemini", 11);
  g_autoptr(ReelGenerationRecord) second = record_from ("openai", 22);
  g_autoptr(ReelAsset) again = NULL;
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(ReelProject) reloaded = NULL;
  g_autoptr(GHashTable) meta = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after_load = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rows_before = NULL;
  g_autofree char *rows_after = NULL;
  ReelGenerationRecord * const *records;
  ReelAsset *stored;
  GStatBuf st_before, st_after;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  const char *hash = reel_asset_get_hash (image);
  guint n_records;

  /* The file as Storyreel wrote format 3, by its own migration steps. */
  db = storage_test_begin_format3 (path);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO assets VALUES (?, 0, 'image/png', ?, ?, ?)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, reel_asset_get_width (image));
  sqlite3_bind_int (stmt, 3, reel_asset_get_height (image));
  sqlite3_bind_blob (stmt, 4, g_bytes_get_data (reel_asset_get_data (image), NULL),
                     g_bytes_get_size (reel_asset_get_data (image)), SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO generations (asset, kind, provider, model, "
                                           "prompt, seed, created_us, duration_ms) "
                                           "VALUES (?, 'background', 'gemini', 'model-1', "
                                           "'The harbour at dawn', 11, ?, 900)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, first->created_us);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  {
    g_autofree char *link = g_strdup_printf ("INSERT INTO shot_assets VALUES (1, 0, 0, '%s');"
                                             "UPDATE shots SET background = '%s'; COMMIT",
                                             hash, hash);

    g_assert_cmpint (sqlite3_exec (db, link, NULL, NULL, NULL), ==, SQLITE_OK);
  }
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  before = storage_test_read_bytes (path);
  project = load (file);
  after_load = storage_test_read_bytes (path);
  g_assert_true (g_bytes_equal (before, after_load));

  stored = reel_project_lookup_asset (project, hash);
  g_assert_nonnull (stored);
  g_assert_true (reel_asset_is_lazy (stored));
  records = reel_asset_get_generations (stored, &n_records);
  g_assert_cmpuint (n_records, ==, 1);
  g_assert_true (reel_generation_record_equal (records[0], first));

  /* A second provider returns the same bytes. */
  again = reel_asset_copy_with_generation (image, second);
  stored = reel_project_add_asset (project, again);
  g_assert_cmpstr (reel_asset_get_hash (stored), ==, hash);
  records = reel_asset_get_generations (stored, &n_records);
  g_assert_cmpuint (n_records, ==, 2);
  g_assert_true (reel_generation_record_equal (records[0], first));
  g_assert_true (reel_generation_record_equal (records[1], second));
  g_assert_true (reel_asset_is_lazy (stored));

  rows_before = asset_rows (path);
  g_assert_cmpint (g_stat (path, &st_before), ==, 0);
  save (project, file);
  g_assert_cmpint (g_stat (path, &st_after), ==, 0);
  g_assert_cmpuint (st_before.st_ino, ==, st_after.st_ino);
  rows_after = asset_rows (path);
  g_assert_cmpstr (rows_before, ==, rows_after);
  meta = reel_project_file_read_meta (file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (meta, "format_version"), ==, "4");

  reloaded = load (file);
  stored = reel_project_lookup_asset (reloaded, hash);
  g_assert_nonnull (stored);
  records = reel_asset_get_generations (stored, &n_records);
  g_assert_cmpuint (n_records, ==, 2);
  g_assert_true (reel_generation_record_equal (records[0], first));
  g_assert_true (reel_generation_record_equal (records[1], second));
  g_assert_cmpstr (reel_shot_get_background (
    reel_scene_get_shot (reel_project_get_scene (reloaded, 0), 0)), ==, hash);
  assert_same_media (project, reloaded);
}

/* A thumbnail of a large image (a strip card) is decoded at about its own size and leaves
 * the decoded-image cache to the images shown large: scrolling past a thousand shots does
 * not fill memory with full-size images. The thumbnail still shows the image. */
static void
test_thumbnail_outside_cache (void)
{
  const int width = 1344, height = 768;
  g_autoptr(GdkPixbuf) halves = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GdkPixbuf) left = gdk_pixbuf_new_subpixbuf (halves, 0, 0, width / 2, height);
  g_autoptr(GdkPixbuf) right = gdk_pixbuf_new_subpixbuf (halves, width / 2, 0, width / 2,
                                                         height);
  g_autoptr(GBytes) png = NULL;
  g_autoptr(ReelAsset) image = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *thumbnail = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 176, 99);
  cairo_surface_t *large = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr;
  guint32 *pixels;
  int stride;
  gchar *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (left, 0xd02020ff);
  gdk_pixbuf_fill (right, 0x2020d0ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (halves, &buffer, &size, "png", &error, NULL));
  png = g_bytes_new_take (buffer, size);
  image = reel_asset_new_from_bytes (png, &error);
  g_assert_no_error (error);

  reel_panel_clear_cache ();
  cr = cairo_create (thumbnail);
  g_assert_true (reel_panel_draw_asset_cover (image, cr, 176, 99));
  cairo_destroy (cr);
  g_assert_cmpuint (reel_panel_get_cache_bytes (), ==, 0);

  cairo_surface_flush (thumbnail);
  pixels = (guint32 *) cairo_image_surface_get_data (thumbnail);
  stride = cairo_image_surface_get_stride (thumbnail) / 4;
  g_assert_cmphex (pixels[50 * stride + 20] & 0xffffff, ==, 0xd02020);
  g_assert_cmphex (pixels[50 * stride + 156] & 0xffffff, ==, 0x2020d0);

  /* Shown large, it is kept; a thumbnail then draws from it and adds nothing. */
  cr = cairo_create (large);
  g_assert_true (reel_panel_draw_asset_cover (image, cr, width, height));
  cairo_destroy (cr);
  g_assert_cmpuint (reel_panel_get_cache_bytes (), >=, (gsize) width * height * 3);
  size = reel_panel_get_cache_bytes ();
  cr = cairo_create (thumbnail);
  g_assert_true (reel_panel_draw_asset_cover (image, cr, 176, 99));
  cairo_destroy (cr);
  g_assert_cmpuint (reel_panel_get_cache_bytes (), ==, size);

  reel_panel_clear_cache ();
  cairo_surface_destroy (thumbnail);
  cairo_surface_destroy (large);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lazy-media/open-reads-no-bytes", test_open_reads_no_bytes);
  g_test_add_func ("/lazy-media/read-async", test_read_async);
  g_test_add_func ("/lazy-media/clip-to-cache-file", test_clip_to_cache_file);
  g_test_add_func ("/lazy-media/save-after-edit-keeps-blobs", test_save_after_edit_keeps_blobs);
  g_test_add_func ("/lazy-media/save-as-and-deleted-file", test_save_as_and_deleted_file);
  g_test_add_func ("/lazy-media/format-3-upgraded-in-place", test_format_3_upgraded_in_place);
  g_test_add_func ("/lazy-media/thumbnail-outside-cache", test_thumbnail_outside_cache);
  g_test_add_func ("/lazy-media/space-given-back-while-saving",
                   test_space_given_back_while_saving);

  return g_test_run ();
}
