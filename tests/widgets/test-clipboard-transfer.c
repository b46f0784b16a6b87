/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shots on the clipboard with their images, as a user meets it: a copy of a shot with
 * large images and a video background leaves the window responsive, a paste in another
 * window of the same Storyreel gets the very same images (by reference, no bytes
 * copied), another program gets the whole document, and a Cut whose copy fails removes
 * nothing. Runs under Xvfb (suite ui). */
#include "config.h"

#include <string.h>

#include "core/reel-core.h"
#include "core/reel-edit.h"
#include "reel-test-project.h"
#include "widgets/reel-clipboard.h"
#include "../reel-test-require.h"
#include "window-test-util.h"

#define IMAGE_WIDTH  1344
#define IMAGE_HEIGHT 768
#define N_IMAGES     4
#define VIDEO_BYTES  (50 * 1024 * 1024)

/* Bytes of noise: photographic entropy, nothing compresses it away. */
static void
fill_noise (guint8  *data,
            gsize    size,
            guint64 *state)
{
  for (gsize i = 0; i < size; i++)
    {
      *state ^= *state << 13;
      *state ^= *state >> 7;
      *state ^= *state << 17;
      data[i] = (guint8) (*state >> 24);
    }
}

static ReelAsset *
noise_image (guint64 *state)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, IMAGE_WIDTH,
                                                IMAGE_HEIGHT);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *buffer = NULL;
  gsize size = 0;
  ReelAsset *asset;

  fill_noise (gdk_pixbuf_get_pixels (pixbuf),
              (gsize) gdk_pixbuf_get_rowstride (pixbuf) * IMAGE_HEIGHT, state);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error,
                                            "compression", "0", NULL));
  bytes = g_bytes_new_take (buffer, size);
  asset = reel_asset_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  return asset;
}

/* An untitled project with one shot carrying N_IMAGES generated-size images and a
 * 50 MB video background (synthetic bytes: only their size and identity matter here). */
static ReelProject *
make_heavy_project (ReelShot **out_shot)
{
  ReelProject *project = reel_window_create_empty_project ();
  ReelShot *shot = reel_scene_get_shot (reel_project_get_scene (project, 0), 0);
  guint64 state = 0x9e3779b97f4a7c15;
  guint8 *video = g_malloc (VIDEO_BYTES);
  g_autoptr(GBytes) video_bytes = NULL;
  g_autoptr(ReelAsset) clip = NULL;

  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autoptr(ReelAsset) image = noise_image (&state);

      reel_edit_add_variant (project, shot, image);
    }
  fill_noise (video, VIDEO_BYTES, &state);
  video_bytes = g_bytes_new_take (video, VIDEO_BYTES);
  clip = reel_asset_new_video (video_bytes, REEL_MIME_MP4, 1920, 1080, NULL);
  reel_edit_add_variant (project, shot, clip);
  reel_edit_set_background (project, shot, reel_asset_get_hash (clip));
  reel_project_mark_saved (project);

  *out_shot = shot;
  return project;
}

static gboolean
clipboard_has_shots (gpointer data)
{
  return reel_clipboard_has_shots (data);
}

static gboolean
window_has_dialog (gpointer data)
{
  return test_util_find_dialog (data) != NULL;
}

/* Copies the window's current shot and returns once the clipboard holds it. */
static void
copy_current_shot (ReelWindow *window)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (window));

  gdk_clipboard_set_text (clipboard, "something else");
  g_assert_false (reel_clipboard_has_shots (clipboard));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-shots", NULL));
  g_assert_true (test_util_wait (clipboard_has_shots, clipboard, TEST_UTIL_DEADLINE_MS));
}

/* A Cut whose copy fails (an image of the shot is damaged: its bytes no longer have
 * their hash) keeps the shot and says which image; a Cut that works removes the shot
 * only once the clipboard holds it, and one undo brings it back. */
static void
test_cut_failure_keeps_shots (void)
{
  g_autoptr(ReelProject) project = reel_window_create_empty_project ();
  ReelScene *scene = reel_project_get_scene (project, 0);
  g_autoptr(ReelShot) second = reel_shot_new ();
  g_autoptr(GBytes) png = reel_test_make_png (64, 36, 0x3366ccff);
  g_autoptr(ReelAsset) damaged = NULL;
  GdkClipboard *clipboard;
  AdwMessageDialog *dialog;
  ReelWindow *window;
  ReelShot *first = reel_scene_get_shot (scene, 0);

  /* Stored under a hash that is not its bytes': what a damaged file gives. */
  damaged = reel_asset_new_stored (png, REEL_MIME_PNG, 64, 36,
                                   "0000000000000000000000000000000000000000000000000000000000000000",
                                   NULL);
  reel_edit_add_variant (project, first, damaged);
  reel_shot_set_number (second, "2");
  reel_scene_append_shot (scene, second);
  reel_project_mark_saved (project);

  window = test_util_open_window (project);
  reel_window_set_current_shot (window, first);
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (window));
  gdk_clipboard_set_text (clipboard, "before the cut");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cut-shots", NULL));
  g_assert_true (test_util_wait (window_has_dialog, window, TEST_UTIL_DEADLINE_MS));
  dialog = test_util_find_dialog (GTK_WINDOW (window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Cut the Shots");
  test_util_respond (dialog, "close");
  test_util_settle ();

  g_assert_cmpuint (reel_scene_get_n_shots (scene), ==, 2);
  g_assert_true (reel_scene_get_shot (scene, 0) == first);
  g_assert_cmpuint (reel_shot_get_n_variants (first), ==, 1);
  g_assert_false (reel_clipboard_has_shots (clipboard));
  g_assert_cmpstr (reel_history_get_undo_label (reel_project_get_history (project)), !=,
                   "Cut Shot");
  g_assert_false (reel_project_get_modified (project));

  /* The second shot has nothing damaged: cut, it leaves once the clipboard has it. */
  reel_window_set_current_shot (window, second);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cut-shots", NULL));
  g_assert_true (test_util_wait (clipboard_has_shots, clipboard, TEST_UTIL_DEADLINE_MS));
  test_util_settle ();
  g_assert_cmpuint (reel_scene_get_n_shots (scene), ==, 1);
  g_assert_cmpstr (reel_history_get_undo_label (reel_project_get_history (project)), ==,
                   "Cut Shot");
  reel_history_undo (reel_project_get_history (project));
  g_assert_cmpuint (reel_scene_get_n_shots (scene), ==, 2);

  test_util_discard_window (window);
}

/* The longest the main loop went without running, while a copy is under way. */
typedef struct
{
  gint64 last;
  gint64 longest;
} Stall;

static gboolean
stall_tick_cb (gpointer data)
{
  Stall *stall = data;
  gint64 now = g_get_monotonic_time ();

  if (stall->last > 0)
    stall->longest = MAX (stall->longest, now - stall->last);
  stall->last = now;
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  GBytes *document;
  gboolean done;
} ReadData;

static void
read_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ReadData *read = user_data;
  g_autoptr(GError) error = NULL;

  read->document = reel_clipboard_read_shots_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
  read->done = TRUE;
}

static gboolean
read_is_done (gpointer data)
{
  return ((ReadData *) data)->done;
}

static gboolean
has_two_shots (gpointer data)
{
  return reel_project_get_n_shots (data) == 2;
}

/* Copy a shot with four generated-size images and a 50 MB clip: the main loop keeps
 * running (its longest stall is a fraction of what writing the whole document, the old
 * way, takes in this process); a paste in another window of this process gets the same
 * image objects, and another program gets the document with the same bytes. */
static void
test_copy_large_assets (void)
{
  ReelShot *shot = NULL;
  g_autoptr(ReelProject) project = make_heavy_project (&shot);
  g_autoptr(GPtrArray) shots = g_ptr_array_new ();
  ReelWindow *source, *target_window;
  ReelProject *target;
  GdkClipboard *clipboard;
  Stall stall = { 0 };
  ReadData read = { 0 };
  gint64 start;
  double baseline_ms, stall_ms;
  guint tick;

  /* Baseline: the whole document, images as base64, as every copy used to write it on
   * the main thread. */
  g_ptr_array_add (shots, shot);
  start = g_get_monotonic_time ();
  {
    g_autoptr(GBytes) document = reel_clipboard_serialize_shots (project, shots);

    g_assert_cmpuint (g_bytes_get_size (document), >, VIDEO_BYTES);
  }
  baseline_ms = (g_get_monotonic_time () - start) / 1000.0;

  source = test_util_open_window (project);
  reel_window_set_current_shot (source, shot);
  test_util_settle ();
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (source));

  start = stall.last = g_get_monotonic_time ();
  tick = g_timeout_add_full (G_PRIORITY_HIGH, 1, stall_tick_cb, &stall, NULL);
  copy_current_shot (source);
  stall_tick_cb (&stall);
  g_source_remove (tick);
  stall_ms = stall.longest / 1000.0;
  g_test_message ("whole-document-ms=%.1f copy-ms=%.1f longest-main-loop-stall-ms=%.1f",
                  baseline_ms, (g_get_monotonic_time () - start) / 1000.0, stall_ms);
  /* Only a copy that writes the document (or hashes the clip) on the main thread again
   * comes near it; a busy machine slows both sides alike. */
  g_assert_cmpfloat (stall_ms, <, baseline_ms / 3);

  /* Another window of this process: the same images, not copies of their bytes. */
  target_window = test_util_open_window (NULL);
  target = reel_window_get_project (target_window);
  stall.longest = 0;
  start = stall.last = g_get_monotonic_time ();
  tick = g_timeout_add_full (G_PRIORITY_HIGH, 1, stall_tick_cb, &stall, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (target_window), "win.paste-shots",
                                             NULL));
  g_assert_true (test_util_wait (has_two_shots, target, TEST_UTIL_DEADLINE_MS));
  stall_tick_cb (&stall);
  g_source_remove (tick);
  g_test_message ("paste-ms=%.1f longest-main-loop-stall-ms=%.1f",
                  (g_get_monotonic_time () - start) / 1000.0, stall.longest / 1000.0);
  g_assert_cmpfloat (stall.longest / 1000.0, <, baseline_ms / 3);
  {
    ReelShot *pasted = reel_scene_get_shot (reel_project_get_scene (target, 0), 1);
    const char * const *variants = reel_shot_get_variants (shot);

    g_assert_cmpuint (reel_shot_get_n_variants (pasted), ==, N_IMAGES + 1);
    g_assert_cmpstr (reel_shot_get_background (pasted), ==, reel_shot_get_background (shot));
    for (guint i = 0; variants[i] != NULL; i++)
      {
        ReelAsset *mine = reel_project_lookup_asset (project, variants[i]);
        ReelAsset *theirs = reel_project_lookup_asset (target, variants[i]);

        g_assert_nonnull (theirs);
        g_assert_true (g_bytes_equal (reel_asset_get_data (mine), reel_asset_get_data (theirs)));
        g_assert_true (reel_asset_get_data (mine) == reel_asset_get_data (theirs));
      }
  }

  /* What another program reads: the whole document, written when asked, same bytes. */
  reel_clipboard_read_shots_async (clipboard, NULL, read_done_cb, &read);
  g_assert_true (test_util_wait (read_is_done, &read, TEST_UTIL_DEADLINE_MS));
  {
    g_autoptr(GBytes) document = read.document;
    g_autoptr(GError) error = NULL;
    g_autoptr(ReelClipboardShots) pasted = reel_clipboard_deserialize_shots (document, target,
                                                                             &error);

    g_assert_no_error (error);
    g_assert_cmpuint (pasted->shots->len, ==, 1);
    g_assert_cmpuint (pasted->assets->len, ==, N_IMAGES + 1);
    for (guint i = 0; i < pasted->assets->len; i++)
      {
        ReelAsset *asset = g_ptr_array_index (pasted->assets, i);
        ReelAsset *mine = reel_project_lookup_asset (project, reel_asset_get_hash (asset));

        g_assert_nonnull (mine);
        g_assert_true (reel_asset_get_data (mine) != reel_asset_get_data (asset));
        g_assert_true (g_bytes_equal (reel_asset_get_data (mine), reel_asset_get_data (asset)));
      }
  }

  test_util_discard_window (target_window);
  test_util_discard_window (source);
}

/* An image two services returned (the same bytes) travels with both generation records,
 * in order, through the document another program (or Storyreel) pastes from. */
static void
test_every_generation (void)
{
  g_autoptr(ReelProject) project = reel_window_create_empty_project ();
  g_autoptr(ReelProject) target = reel_window_create_empty_project ();
  ReelShot *shot = reel_scene_get_shot (reel_project_get_scene (project, 0), 0);
  g_autoptr(GPtrArray) shots = g_ptr_array_new ();
  g_autoptr(ReelGenerationRecord) first = reel_generation_record_new ();
  g_autoptr(ReelGenerationRecord) second = reel_generation_record_new ();
  g_autoptr(ReelAsset) image = NULL;
  g_autoptr(ReelAsset) again = NULL;
  g_autoptr(GBytes) document = NULL;
  g_autoptr(ReelClipboardShots) pasted = NULL;
  g_autoptr(GError) error = NULL;
  guint64 state = 0x2545f4914f6cdd1d;
  ReelGenerationRecord * const *records;
  guint n_records;

  first->provider = g_strdup ("gemini");
  first->model = g_strdup ("gemini-2.5-flash-image");
  first->prompt = g_strdup ("A harbour at dawn");
  first->seed = 7;
  second->provider = g_strdup ("comfyui");
  second->model = g_strdup ("flux-dev");
  second->prompt = g_strdup ("A harbour at dawn, again");
  second->seed = 8;
  {
    g_autoptr(ReelAsset) noise = noise_image (&state);

    image = reel_asset_copy_with_generation (noise, first);
    again = reel_asset_copy_with_generation (noise, second);
  }
  g_assert_true (reel_edit_add_variant (project, shot, image));
  reel_project_add_asset (project, again);
  records = reel_asset_get_generations (reel_project_lookup_asset (project,
                                                                   reel_asset_get_hash (image)),
                                        &n_records);
  g_assert_cmpuint (n_records, ==, 2);

  g_ptr_array_add (shots, shot);
  document = reel_clipboard_serialize_shots (project, shots);
  pasted = reel_clipboard_deserialize_shots (document, target, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pasted->assets->len, ==, 1);
  records = reel_asset_get_generations (g_ptr_array_index (pasted->assets, 0), &n_records);
  g_assert_cmpuint (n_records, ==, 2);
  g_assert_cmpstr (records[0]->provider, ==, "gemini");
  g_assert_cmpstr (records[0]->prompt, ==, "A harbour at dawn");
  g_assert_cmpint (records[0]->seed, ==, 7);
  g_assert_cmpstr (records[1]->provider, ==, "comfyui");
  g_assert_cmpstr (records[1]->model, ==, "flux-dev");
  g_assert_cmpint (records[1]->seed, ==, 8);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  test_util_init (&argc, &argv);

  g_test_add_func ("/clipboard-transfer/cut-failure-keeps-shots", test_cut_failure_keeps_shots);
  g_test_add_func ("/clipboard-transfer/copy-large-assets", test_copy_large_assets);
  g_test_add_func ("/clipboard-transfer/every-generation", test_every_generation);

  status = reel_test_run ();

  g_application_release (G_APPLICATION (test_app));
  g_clear_object (&test_app);

  return status;
}
