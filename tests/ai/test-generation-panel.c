/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ai/reel-comfyui-farm.h"
#include "ai/reel-prompt.h"
#include "core/reel-edit.h"
#include "widgets/reel-batch-dialog.h"
#include "widgets/reel-generation-panel.h"
#include "widgets/reel-provider-page.h"
#include "ai/reel-provider.h"
#include "ai-test-util.h"
#include "../reel-test-require.h"
#include "../reel-test-wait.h"

/* The generation panel in a real window: Generate with the gray-box and a fake server,
 * placeholders, failures with Retry, choosing a variant (undoable), a camera angle as a new
 * shot, the batch dialog, the Preferences pages. Set STORYREEL_SCREENSHOT_DIR to keep PNG
 * screenshots of what the tests look at. */

static FakeServer *server;

typedef struct
{
  GtkWindow *window;
  ReelGenerationPanel *panel;
  ReelProject *project;
  ReelScene *scene;
  ReelShot *shot;
  GSettings *settings;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();

  fixture->settings = g_settings_new (BASE_APPLICATION_ID);
  g_settings_set_string (fixture->settings, "default-provider", "greybox");
  g_settings_set_uint (fixture->settings, "generation-variants", 3);

  fixture->project = reel_project_new ();
  reel_project_set_aspect_ratio (fixture->project, 2.39);
  fixture->scene = reel_scene_new ();
  reel_scene_set_number (fixture->scene, "4");
  reel_scene_set_int_ext (fixture->scene, REEL_INT_EXT_EXT);
  reel_scene_set_location (fixture->scene, "HARBOUR");
  reel_scene_set_time_of_day (fixture->scene, "DUSK");
  reel_project_append_scene (fixture->project, fixture->scene);
  fixture->shot = reel_shot_new ();
  reel_shot_set_number (fixture->shot, "4A");
  reel_shot_set_description (fixture->shot, "The ferry leaves.");
  reel_scene_append_shot (fixture->scene, fixture->shot);

  fixture->panel = REEL_GENERATION_PANEL (reel_generation_panel_new ());
  reel_generation_panel_set_project (fixture->panel, fixture->project);
  reel_generation_panel_set_shot (fixture->panel, fixture->shot);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 420, 900);
  gtk_widget_set_margin_start (GTK_WIDGET (fixture->panel), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (fixture->panel), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (fixture->panel), 12);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (fixture->panel));
  gtk_window_set_child (fixture->window, scroller);
  gtk_window_present (fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->shot);
  g_clear_object (&fixture->scene);
  g_clear_object (&fixture->project);
  g_settings_reset (fixture->settings, "default-provider");
  g_settings_reset (fixture->settings, "generation-variants");
  g_settings_reset (fixture->settings, "openai-endpoint");
  g_clear_object (&fixture->settings);
  /* Let the window go. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
}

static gpointer
template_child (Fixture    *fixture,
                const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (fixture->panel), REEL_TYPE_GENERATION_PANEL,
                                        name);
}

static void
wait_for_idle_panel (Fixture *fixture)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) REEL_TEST_DEADLINE_MS * 1000;

  while (reel_generation_panel_get_n_pending (fixture->panel) > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  /* Thumbnails are decoded on a worker thread and shown at a frame. */
  reel_test_settle ();
}

/* Renders @widget (a toplevel) as it is on screen into $STORYREEL_SCREENSHOT_DIR/@name. */
static void
save_widget_screenshot (GtkWidget  *widget,
                        const char *name)
{
  const char *dir = g_getenv ("STORYREEL_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width;
  int height;

  if (dir == NULL)
    return;

  reel_test_settle ();
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL || width <= 0 || height <= 0)
    {
      g_test_message ("no screenshot of %s: nothing drawn yet", name);
      return;
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  gdk_texture_save_to_png (texture, path);
}

static void
save_screenshot (Fixture    *fixture,
                 const char *name)
{
  save_widget_screenshot (GTK_WIDGET (fixture->window), name);
}

static guint
count_gallery_items (Fixture    *fixture,
                     const char *action_name)
{
  GtkWidget *gallery = template_child (fixture, "gallery");
  guint count = 0;

  /* Items whose widgets carry @action_name somewhere inside (NULL: every item). */
  for (GtkWidget *child = gtk_widget_get_first_child (gallery); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GPtrArray *stack = g_ptr_array_new ();
      gboolean found = action_name == NULL;

      g_ptr_array_add (stack, child);
      while (!found && stack->len > 0)
        {
          GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

          if (GTK_IS_ACTIONABLE (widget)
              && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                            action_name) == 0)
            found = TRUE;
          for (GtkWidget *inner = gtk_widget_get_first_child (widget); inner != NULL;
               inner = gtk_widget_get_next_sibling (inner))
            g_ptr_array_add (stack, inner);
        }
      g_ptr_array_unref (stack);
      if (found)
        count++;
    }

  return count;
}

static void
test_prompt_shown_and_editable (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *prompt = reel_generation_panel_dup_prompt (fixture->panel);
  g_autofree char *after_edit = NULL;
  g_autofree char *rebuilt = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (template_child (fixture, "prompt_view"));

  g_assert_nonnull (strstr (prompt, "Exterior: harbour, at dusk"));
  g_assert_nonnull (strstr (prompt, "The ferry leaves."));
  g_assert_nonnull (strstr (prompt, "Empty background plate, no people."));

  /* The model changes: the prompt follows. */
  reel_shot_set_lens_mm (fixture->shot, 85);
  g_free (prompt);
  prompt = reel_generation_panel_dup_prompt (fixture->panel);
  g_assert_nonnull (strstr (prompt, "85 mm lens"));

  /* The user's words stay until they ask for a new prompt. */
  gtk_text_buffer_set_text (buffer, "A foggy quay, no people", -1);
  reel_shot_set_lens_mm (fixture->shot, 22);
  after_edit = reel_generation_panel_dup_prompt (fixture->panel);
  g_assert_cmpstr (after_edit, ==, "A foggy quay, no people");

  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "generation.rebuild-prompt", NULL);
  rebuilt = reel_generation_panel_dup_prompt (fixture->panel);
  g_assert_nonnull (strstr (rebuilt, "22 mm lens"));
}

static void
test_provider_and_kind_agree (Fixture       *fixture,
                              gconstpointer  data)
{
  AdwComboRow *provider_row = template_child (fixture, "provider_row");
  AdwComboRow *kind_row = template_child (fixture, "kind_row");
  g_autofree char *prompt = NULL;

  /* Veo makes clips: choosing it makes "Make" a moving background, and back. */
  g_settings_set_string (fixture->settings, "default-provider", "veo");
  g_assert_cmpuint (adw_combo_row_get_selected (kind_row), ==, 2);
  prompt = reel_generation_panel_dup_prompt (fixture->panel);
  g_assert_nonnull (strstr (prompt, "Moving background clip"));
  adw_combo_row_set_selected (kind_row, 0);
  g_free (prompt);
  prompt = g_settings_get_string (fixture->settings, "default-provider");
  g_assert_cmpstr (prompt, !=, "veo");
  adw_combo_row_set_selected (kind_row, 2);
  g_assert_cmpuint (adw_combo_row_get_selected (provider_row), ==,
                    reel_provider_lookup_info ("veo") - reel_provider_list (NULL));

  /* ComfyUI makes both (Wan 2.2 image to video for clips): it stays for either, while a
   * still-image provider gives way to Veo for a clip. */
  adw_combo_row_set_selected (provider_row,
                              reel_provider_lookup_info ("comfyui") - reel_provider_list (NULL));
  g_assert_cmpuint (adw_combo_row_get_selected (kind_row), ==, 2);
  adw_combo_row_set_selected (kind_row, 0);
  g_assert_cmpuint (adw_combo_row_get_selected (provider_row), ==,
                    reel_provider_lookup_info ("comfyui") - reel_provider_list (NULL));
  adw_combo_row_set_selected (kind_row, 2);
  g_assert_cmpuint (adw_combo_row_get_selected (provider_row), ==,
                    reel_provider_lookup_info ("comfyui") - reel_provider_list (NULL));
  adw_combo_row_set_selected (provider_row,
                              reel_provider_lookup_info ("gemini") - reel_provider_list (NULL));
  g_assert_cmpuint (adw_combo_row_get_selected (kind_row), ==, 0);
  adw_combo_row_set_selected (kind_row, 2);
  g_assert_cmpuint (adw_combo_row_get_selected (provider_row), ==,
                    reel_provider_lookup_info ("veo") - reel_provider_list (NULL));
}

static void
test_generate_greybox (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (template_child (fixture, "prompt_view"));
  ReelHistory *history = reel_project_get_history (fixture->project);
  const char * const *variants;
  ReelAsset *asset;

  gtk_text_buffer_set_text (buffer, "A harbour at dusk, seen plain", -1);
  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "generation.generate", NULL);
  /* Three placeholders at once, before anything arrives. */
  g_assert_cmpuint (reel_generation_panel_get_n_pending (fixture->panel), ==, 3);
  g_assert_cmpuint (count_gallery_items (fixture, NULL), ==, 3);
  save_screenshot (fixture, "panel-pending.png");

  wait_for_idle_panel (fixture);
  g_assert_cmpuint (reel_shot_get_n_variants (fixture->shot), ==, 3);
  g_assert_cmpuint (reel_shot_get_n_generations (fixture->shot), ==, 3);
  g_assert_cmpuint (count_gallery_items (fixture, "generation.use-background"), ==, 3);
  variants = reel_shot_get_variants (fixture->shot);
  asset = reel_project_lookup_asset (fixture->project, variants[0]);
  /* The prompt as edited is what was sent and recorded. */
  g_assert_cmpstr (reel_asset_get_generation (asset)->prompt, ==,
                   "A harbour at dusk, seen plain");
  g_assert_cmpint (reel_asset_get_width (asset), ==, 1344);
  g_assert_cmpint (reel_asset_get_height (asset), ==, 560);
  /* The first result became the background of a shot that had none. */
  g_assert_nonnull (reel_shot_get_background (fixture->shot));
  save_screenshot (fixture, "panel-gallery.png");

  /* Choosing another variant is one undoable step. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "generation.use-background", "s",
                              variants[2]);
  g_assert_cmpstr (reel_shot_get_background (fixture->shot), ==, variants[2]);
  g_assert_true (reel_history_undo (history));
  g_assert_cmpstr (reel_shot_get_background (fixture->shot), !=, variants[2]);
  g_assert_true (reel_history_redo (history));
  g_assert_cmpstr (reel_shot_get_background (fixture->shot), ==, variants[2]);
}

static void
test_angle_to_new_shot (Fixture       *fixture,
                        gconstpointer  data)
{
  AdwComboRow *kind_row = template_child (fixture, "kind_row");
  AdwComboRow *angle_row = template_child (fixture, "angle_row");
  GtkSpinButton *variants = template_child (fixture, "variants_spin");
  ReelHistory *history = reel_project_get_history (fixture->project);
  g_autofree char *prompt = NULL;
  ReelShot *new_shot;
  const char *hash;
  guint n_angles = 0;
  const ReelAngleVariant *angles = reel_prompt_get_angle_variants (&n_angles);
  guint worms_eye = 0;

  for (guint i = 0; i < n_angles; i++)
    if (g_str_equal (angles[i].id, "worms_eye"))
      worms_eye = i;

  adw_combo_row_set_selected (kind_row, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (angle_row)));
  adw_combo_row_set_selected (angle_row, worms_eye);
  gtk_spin_button_set_value (variants, 1);
  prompt = reel_generation_panel_dup_prompt (fixture->panel);
  g_assert_true (g_str_has_prefix (prompt, "The same set as in the reference image"));
  g_assert_nonnull (strstr (prompt, "worm's-eye"));

  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "generation.generate", NULL);
  wait_for_idle_panel (fixture);
  g_assert_cmpuint (reel_shot_get_n_variants (fixture->shot), ==, 1);
  hash = reel_shot_get_variants (fixture->shot)[0];
  g_assert_cmpstr (reel_asset_get_generation (reel_project_lookup_asset (fixture->project,
                                                                         hash))->angle_id, ==,
                   "worms_eye");
  save_screenshot (fixture, "panel-angle.png");

  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "generation.new-shot", "s", hash);
  g_assert_cmpuint (reel_scene_get_n_shots (fixture->scene), ==, 2);
  new_shot = reel_scene_get_shot (fixture->scene, 1);
  g_assert_cmpstr (reel_shot_get_number (new_shot), ==, "4B");
  g_assert_true (new_shot != fixture->shot);
  g_assert_cmpstr (reel_shot_get_angle (new_shot), ==, "worms_eye");
  g_assert_cmpfloat_with_epsilon (reel_shot_get_camera_height_m (new_shot), 0.15, 1e-9);
  g_assert_cmpstr (reel_shot_get_description (new_shot), ==, "The ferry leaves.");
  g_assert_cmpstr (reel_shot_get_background (new_shot), ==, hash);

  /* One step: the new shot goes, the old one keeps its angle. */
  g_assert_true (reel_history_undo (history));
  g_assert_cmpuint (reel_scene_get_n_shots (fixture->scene), ==, 1);
  g_assert_cmpstr (reel_shot_get_angle (fixture->shot), ==, "eye_level");

  /* 4B is taken by the shot after: the new one goes between, as 4AA. */
  {
    g_autoptr(ReelShot) next = reel_shot_new ();

    reel_shot_set_number (next, "4B");
    reel_scene_append_shot (fixture->scene, next);
    gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "generation.new-shot", "s", hash);
    g_assert_cmpuint (reel_scene_get_n_shots (fixture->scene), ==, 3);
    g_assert_cmpstr (reel_shot_get_number (reel_scene_get_shot (fixture->scene, 1)), ==, "4AA");
    g_assert_true (reel_scene_get_shot (fixture->scene, 2) == next);
  }
}

static void
test_failure_and_retry (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *endpoint = fake_server_url (server, "/v1");
  GtkSpinButton *variants = template_child (fixture, "variants_spin");

  g_unsetenv ("STORYREEL_OPENAI_API_KEY");
  g_settings_set_string (fixture->settings, "default-provider", "openai");
  g_settings_set_string (fixture->settings, "openai-endpoint", endpoint);
  gtk_spin_button_set_value (variants, 2);

  /* No key (the test session has no keyring either): two failures, shown in place. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "generation.generate", NULL);
  wait_for_idle_panel (fixture);
  g_assert_cmpuint (count_gallery_items (fixture, "generation.retry"), ==, 2);
  g_assert_cmpuint (reel_shot_get_n_variants (fixture->shot), ==, 0);
  save_screenshot (fixture, "panel-failed.png");

  /* With a key, Retry brings them. */
  g_setenv ("STORYREEL_OPENAI_API_KEY", AI_TEST_KEY, TRUE);
  for (guint id = 1; id <= 2; id++)
    gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "generation.retry", "u", id);
  wait_for_idle_panel (fixture);
  g_unsetenv ("STORYREEL_OPENAI_API_KEY");
  g_assert_cmpuint (count_gallery_items (fixture, "generation.retry"), ==, 0);
  g_assert_cmpuint (reel_shot_get_n_variants (fixture->shot), ==, 2);
  g_assert_cmpstr (reel_asset_get_generation (
                     reel_project_lookup_asset (fixture->project,
                                                reel_shot_get_variants (fixture->shot)[0]))
                     ->provider, ==, "openai");
}

/* A GtkPicture with a paintable inside the gallery (a placeholder's preview), and the
 * progress bar and status label beside it. */
typedef struct
{
  Fixture *fixture;
  GdkPaintable *paintable;
  double fraction;
  char *status;
} Placeholder;

static void
find_placeholder (GtkWidget   *widget,
                  Placeholder *found)
{
  if (GTK_IS_PICTURE (widget) && gtk_widget_get_visible (widget)
      && gtk_picture_get_paintable (GTK_PICTURE (widget)) != NULL
      && gtk_widget_has_css_class (widget, "preview"))
    found->paintable = gtk_picture_get_paintable (GTK_PICTURE (widget));
  if (GTK_IS_PROGRESS_BAR (widget) && gtk_widget_get_visible (widget))
    found->fraction = gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (widget));
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), "step") != NULL)
    {
      g_free (found->status);
      found->status = g_strdup (gtk_label_get_label (GTK_LABEL (widget)));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_placeholder (child, found);
}

static gboolean
preview_shown (gpointer user_data)
{
  Placeholder *found = user_data;

  found->paintable = NULL;
  found->fraction = 0;
  g_clear_pointer (&found->status, g_free);
  find_placeholder (template_child (found->fixture, "gallery"), found);
  return found->paintable != NULL && found->fraction > 0 && found->status != NULL;
}

/* ComfyUI with /ws: the placeholder shows the server's preview, the step and the node in
 * place of an indeterminate "Rendering", then the image. */
static void
test_comfyui_preview (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *servers[] = { server->base_url, NULL };
  GtkSpinButton *variants = template_child (fixture, "variants_spin");
  Placeholder found = { fixture, NULL, 0, NULL };

  reel_comfyui_farm_reset ();
  fake_server_reset (server);
  fake_server_config (server, "{\"comfy_ws\":true,\"comfy_duration\":6,\"comfy_steps\":6,"
                              "\"comfy_preview_size\":[160,67]}");
  g_settings_set_strv (fixture->settings, "comfyui-servers", servers);
  g_settings_set_string (fixture->settings, "default-provider", "comfyui");
  gtk_spin_button_set_value (variants, 1);

  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "generation.generate", NULL);
  g_assert_true (reel_test_wait_until (preview_shown, &found, REEL_TEST_DEADLINE_MS));
  /* The fake's preview, as it sent it (160 × 67), not a thumbnail of something else. */
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (found.paintable), ==, 160);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (found.paintable), ==, 67);
  g_assert_cmpfloat (found.fraction, >, 0);
  g_assert_cmpfloat (found.fraction, <, 1);
  g_assert_nonnull (strstr (found.status, "KSampler: step"));
  save_screenshot (fixture, "panel-comfyui-preview.png");

  wait_for_idle_panel (fixture);
  g_assert_cmpuint (reel_shot_get_n_variants (fixture->shot), ==, 1);
  g_assert_cmpuint (count_gallery_items (fixture, "generation.retry"), ==, 0);
  g_free (found.status);
  g_settings_reset (fixture->settings, "comfyui-servers");
  fake_server_reset (server);
}

static gboolean
has_picture (GtkWidget *widget)
{
  if (GTK_IS_PICTURE (widget) && gtk_picture_get_paintable (GTK_PICTURE (widget)) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_picture (child))
      return TRUE;
  return FALSE;
}

static gboolean
gallery_shows_pictures (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *gallery = template_child (fixture, "gallery");
  guint items = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (gallery); child != NULL;
       child = gtk_widget_get_next_sibling (child), items++)
    if (!has_picture (child))
      return FALSE;
  return items > 0;
}

static ReelAsset *
add_variant_image (Fixture  *fixture,
                   ReelShot *shot,
                   guint32   rgb)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 27);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ReelAsset) asset = NULL;
  char *data = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, rgb << 8 | 0xff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &data, &size, "png", &error, NULL));
  bytes = g_bytes_new_take (data, size);
  asset = reel_asset_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_true (reel_edit_add_variant (fixture->project, shot, asset));
  return reel_project_lookup_asset (fixture->project, reel_asset_get_hash (asset));
}

static gboolean
thumbnails_held (gpointer data)
{
  gpointer *pair = data;

  return gallery_shows_pictures (pair[0]) &&
         reel_generation_panel_get_n_thumbnails (((Fixture *) pair[0])->panel) ==
         GPOINTER_TO_UINT (pair[1]);
}

/* Going from shot to shot, the gallery shows each shot's images and holds the thumbnails
 * of the shown shot only: a thousand shots do not become four thousand textures. Back on
 * a shot, its thumbnails are decoded again. */
static void
test_thumbnails_of_the_shown_shot (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(ReelShot) other = reel_shot_new ();
  gpointer three[] = { fixture, GUINT_TO_POINTER (3) };
  gpointer two[] = { fixture, GUINT_TO_POINTER (2) };

  reel_scene_append_shot (fixture->scene, other);
  add_variant_image (fixture, fixture->shot, 0x336699);
  add_variant_image (fixture, fixture->shot, 0x993366);
  add_variant_image (fixture, fixture->shot, 0x669933);
  add_variant_image (fixture, other, 0x112233);
  add_variant_image (fixture, other, 0x332211);

  g_assert_true (reel_test_wait_until (thumbnails_held, three, REEL_TEST_DEADLINE_MS));
  reel_generation_panel_set_shot (fixture->panel, other);
  g_assert_true (reel_test_wait_until (thumbnails_held, two, REEL_TEST_DEADLINE_MS));
  reel_generation_panel_set_shot (fixture->panel, fixture->shot);
  g_assert_true (reel_test_wait_until (thumbnails_held, three, REEL_TEST_DEADLINE_MS));
}

/* Each service, as a user drives it: its address in Preferences (the fake server), its key
 * in the environment, Generate in the panel, the results in the gallery. */
static void
test_generate_with_provider (Fixture       *fixture,
                             gconstpointer  data)
{
  const AiTestService *test_case = data;
  guint variants_wanted = test_case->video ? 1 : 2;
  GtkSpinButton *variants = template_child (fixture, "variants_spin");
  const char *servers[] = { server->base_url, NULL };
  g_autofree char *key_variable = g_strdup_printf ("STORYREEL_%s_API_KEY", test_case->id);
  g_autofree char *screenshot = g_strdup_printf ("panel-%s.png", test_case->id);
  const char * const *made;

  for (char *c = key_variable; *c != '\0'; c++)
    *c = g_ascii_toupper (*c);
  reel_comfyui_farm_reset ();
  fake_server_reset (server);
  /* Done at the first poll: the tasks are not what this test is about. */
  fake_server_config (server, "{\"veo_polls\":0,\"wan_polls\":0}");
  g_setenv (key_variable, AI_TEST_KEY, TRUE);
  g_setenv ("STORYREEL_VEO_TEST_ORIGIN", server->base_url, TRUE);
  if (test_case->endpoint_key != NULL)
    {
      g_autofree char *endpoint = fake_server_url (server, test_case->endpoint_path);

      g_settings_set_string (fixture->settings, test_case->endpoint_key, endpoint);
    }
  else
    {
      g_settings_set_strv (fixture->settings, "comfyui-servers", servers);
    }
  /* Veo runs in a Google Cloud project: the one the fake server's token may use. */
  g_settings_set_string (fixture->settings, "veo-project", "storyreel-test");
  g_settings_set_string (fixture->settings, "default-provider", test_case->id);
  gtk_spin_button_set_value (variants, variants_wanted);

  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "generation.generate", NULL);
  g_assert_cmpuint (reel_generation_panel_get_n_pending (fixture->panel), ==,
                    variants_wanted);
  wait_for_idle_panel (fixture);
  /* Every item shows a picture: images their own, a clip its first frame. */
  g_assert_true (reel_test_wait_until (gallery_shows_pictures, fixture, REEL_TEST_DEADLINE_MS));
  save_screenshot (fixture, screenshot);

  /* Nothing failed; every result is in the gallery, ready to be chosen, and recorded. */
  g_assert_cmpuint (count_gallery_items (fixture, "generation.retry"), ==, 0);
  g_assert_cmpuint (reel_shot_get_n_variants (fixture->shot), ==, variants_wanted);
  g_assert_cmpuint (count_gallery_items (fixture, "generation.use-background"), ==,
                    variants_wanted);
  made = reel_shot_get_variants (fixture->shot);
  for (guint i = 0; i < variants_wanted; i++)
    {
      ReelAsset *asset = reel_project_lookup_asset (fixture->project, made[i]);
      const ReelGenerationRecord *record = reel_asset_get_generation (asset);

      g_assert_cmpstr (record->provider, ==, test_case->id);
      g_assert_nonnull (strstr (record->prompt, "The ferry leaves."));
      g_assert_true (reel_asset_is_video (asset) == test_case->video);
      ai_test_assert_no_key (record->parameters);
    }
  g_assert_cmpstr (reel_shot_get_background (fixture->shot), ==, made[0]);

  /* The service was asked, with the shot's prompt. */
  g_assert_cmpuint (fake_server_count_requests (server, test_case->request_path), >=, 1);

  g_unsetenv (key_variable);
  g_unsetenv ("STORYREEL_VEO_TEST_ORIGIN");
  g_settings_reset (fixture->settings, "veo-project");
  if (test_case->endpoint_key != NULL)
    g_settings_reset (fixture->settings, test_case->endpoint_key);
  else
    g_settings_reset (fixture->settings, "comfyui-servers");
  fake_server_reset (server);
}

static gboolean
three_pending (gpointer panel)
{
  return reel_generation_panel_get_n_pending (panel) == 3;
}

static void
test_cancel_all (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *endpoint = fake_server_url (server, "/v1");

  /* The server would hold each request for an hour: only the cancel can end them. */
  fake_server_config (server, "{\"latency\":3600}");
  g_setenv ("STORYREEL_OPENAI_API_KEY", AI_TEST_KEY, TRUE);
  g_settings_set_string (fixture->settings, "default-provider", "openai");
  g_settings_set_string (fixture->settings, "openai-endpoint", endpoint);

  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "generation.generate", NULL);
  g_assert_true (reel_test_wait_until (three_pending, fixture->panel, REEL_TEST_DEADLINE_MS));
  g_assert_cmpuint (reel_generation_panel_get_n_pending (fixture->panel), ==, 3);
  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "generation.cancel-all", NULL);
  wait_for_idle_panel (fixture);
  /* Cancelled is not failed: nothing to retry, nothing kept. */
  g_assert_cmpuint (count_gallery_items (fixture, NULL), ==, 0);
  g_assert_cmpuint (reel_shot_get_n_variants (fixture->shot), ==, 0);
  g_unsetenv ("STORYREEL_OPENAI_API_KEY");
  fake_server_config (server, "{\"latency\":0}");
}

static void
test_results_follow_their_shot (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(ReelShot) other = reel_shot_new ();

  reel_scene_append_shot (fixture->scene, other);
  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "generation.generate", NULL);
  /* The panel moves on before the images arrive. */
  reel_generation_panel_set_shot (fixture->panel, other);
  g_assert_cmpuint (count_gallery_items (fixture, NULL), ==, 0);
  wait_for_idle_panel (fixture);
  g_assert_cmpuint (reel_shot_get_n_variants (fixture->shot), ==, 3);
  g_assert_cmpuint (reel_shot_get_n_variants (other), ==, 0);
}

static void
test_batch_dialog (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) shots = g_ptr_array_new_with_free_func (g_object_unref);
  GtkWidget *dialog;
  gint64 deadline = g_get_monotonic_time () + (gint64) REEL_TEST_DEADLINE_MS * 1000;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(ReelShot) shot = reel_shot_new ();

      reel_scene_append_shot (fixture->scene, shot);
      g_ptr_array_add (shots, g_object_ref (shot));
    }
  g_ptr_array_add (shots, g_object_ref (fixture->shot));

  dialog = reel_batch_dialog_new (fixture->window, fixture->project, shots, "greybox", 2);
  gtk_window_present (GTK_WINDOW (dialog));
  reel_batch_dialog_start (REEL_BATCH_DIALOG (dialog));
  g_assert_true (reel_batch_dialog_is_running (REEL_BATCH_DIALOG (dialog)));
  while (reel_batch_dialog_is_running (REEL_BATCH_DIALOG (dialog)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  g_assert_cmpuint (reel_batch_dialog_get_n_done (REEL_BATCH_DIALOG (dialog)), ==, 4);
  g_assert_cmpuint (reel_batch_dialog_get_n_failed (REEL_BATCH_DIALOG (dialog)), ==, 0);
  for (guint i = 0; i < shots->len; i++)
    g_assert_cmpuint (reel_shot_get_n_variants (g_ptr_array_index (shots, i)), ==, 2);

  save_widget_screenshot (dialog, "batch-dialog.png");

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A batch with a service that reports usage: the dialog adds it up, once per call. */
static void
test_batch_dialog_usage (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *endpoint = fake_server_url (server, "/v1");
  g_autoptr(GPtrArray) shots = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(ReelShot) second = reel_shot_new ();
  GtkWidget *dialog;
  GtkLabel *status;
  gint64 deadline = g_get_monotonic_time () + (gint64) REEL_TEST_DEADLINE_MS * 1000;

  fake_server_reset (server);
  g_setenv ("STORYREEL_OPENAI_API_KEY", AI_TEST_KEY, TRUE);
  g_settings_set_string (fixture->settings, "openai-endpoint", endpoint);
  reel_scene_append_shot (fixture->scene, second);
  g_ptr_array_add (shots, g_object_ref (fixture->shot));
  g_ptr_array_add (shots, g_object_ref (second));

  dialog = reel_batch_dialog_new (fixture->window, fixture->project, shots, "openai", 2);
  gtk_window_present (GTK_WINDOW (dialog));
  reel_batch_dialog_start (REEL_BATCH_DIALOG (dialog));
  while (reel_batch_dialog_is_running (REEL_BATCH_DIALOG (dialog)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_unsetenv ("STORYREEL_OPENAI_API_KEY");

  g_assert_cmpuint (reel_batch_dialog_get_n_done (REEL_BATCH_DIALOG (dialog)), ==, 2);
  status = GTK_LABEL (gtk_widget_get_template_child (dialog, REEL_TYPE_BATCH_DIALOG,
                                                     "status_label"));
  g_test_message ("%s", gtk_label_get_label (status));
  /* Two calls of two images each: what OpenAI reported for each call, added up. */
  g_assert_nonnull (strstr (gtk_label_get_label (status),
                            "4 images made for 2 of 2 shots.\nUsage reported by OpenAI: "));
  g_assert_nonnull (strstr (gtk_label_get_label (status), "total_tokens 200"));
  g_assert_nonnull (strstr (gtk_label_get_label (status), "input_tokens 100"));
  save_widget_screenshot (dialog, "batch-dialog-usage.png");

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A service that answers twice alike: the shots gain one variant each, and the summary
 * counts what was added, saying what was not. */
static void
test_batch_dialog_same_images (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *endpoint = fake_server_url (server, "/v1");
  g_autoptr(GPtrArray) shots = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(ReelShot) second = reel_shot_new ();
  GtkWidget *dialog;
  GtkLabel *status;
  gint64 deadline = g_get_monotonic_time () + (gint64) REEL_TEST_DEADLINE_MS * 1000;

  fake_server_reset (server);
  fake_server_config (server, "{\"same_picture\":true}");
  g_setenv ("STORYREEL_OPENAI_API_KEY", AI_TEST_KEY, TRUE);
  g_settings_set_string (fixture->settings, "openai-endpoint", endpoint);
  reel_scene_append_shot (fixture->scene, second);
  g_ptr_array_add (shots, g_object_ref (fixture->shot));
  g_ptr_array_add (shots, g_object_ref (second));

  dialog = reel_batch_dialog_new (fixture->window, fixture->project, shots, "openai", 2);
  gtk_window_present (GTK_WINDOW (dialog));
  reel_batch_dialog_start (REEL_BATCH_DIALOG (dialog));
  while (reel_batch_dialog_is_running (REEL_BATCH_DIALOG (dialog)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_unsetenv ("STORYREEL_OPENAI_API_KEY");
  fake_server_reset (server);

  g_assert_cmpuint (reel_batch_dialog_get_n_done (REEL_BATCH_DIALOG (dialog)), ==, 2);
  g_assert_cmpuint (reel_shot_get_n_variants (fixture->shot), ==, 1);
  g_assert_cmpuint (reel_shot_get_n_variants (second), ==, 1);
  status = GTK_LABEL (gtk_widget_get_template_child (dialog, REEL_TYPE_BATCH_DIALOG,
                                                     "status_label"));
  g_test_message ("%s", gtk_label_get_label (status));
  g_assert_nonnull (strstr (gtk_label_get_label (status),
                            "2 images made for 2 of 2 shots. 2 more had the same bytes as other "
                            "variants and were not added again."));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_preferences_pages (void)
{
  g_autofree char *endpoint = fake_server_url (server, "/v1");
  g_autoptr(GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  GtkWidget *window = adw_preferences_window_new ();
  GtkWidget *page = reel_provider_page_new ("openai");
  GtkWidget *shared = reel_provider_page_new (NULL);
  AdwActionRow *test_row;
  AdwActionRow *models_row;
  gint64 deadline = g_get_monotonic_time () + (gint64) REEL_TEST_DEADLINE_MS * 1000;

  g_settings_set_string (settings, "openai-endpoint", endpoint);
  g_setenv ("STORYREEL_OPENAI_API_KEY", AI_TEST_KEY, TRUE);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (shared));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (window),
                                           ADW_PREFERENCES_PAGE (page));
  gtk_window_present (GTK_WINDOW (window));

  test_row = ADW_ACTION_ROW (gtk_widget_get_template_child (page, REEL_TYPE_PROVIDER_PAGE,
                                                           "test_row"));
  gtk_widget_activate_action (page, "provider-page.test", NULL);
  while (strstr (adw_action_row_get_subtitle (test_row), "gpt-image-2") == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  ai_test_assert_no_key (adw_action_row_get_subtitle (test_row));

  /* The models the service offers, the chosen one marked, nothing that is not an image
   * model. */
  models_row = ADW_ACTION_ROW (gtk_widget_get_template_child (page, REEL_TYPE_PROVIDER_PAGE,
                                                             "models_row"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (models_row)));
  gtk_widget_activate_action (page, "provider-page.list-models", NULL);
  while (strstr (adw_action_row_get_subtitle (models_row), "gpt-image-2.6-sunburst") == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (models_row), "gpt-image-2 (chosen)"));
  g_assert_null (strstr (adw_action_row_get_subtitle (models_row), "whisper"));

  save_widget_screenshot (window, "preferences-openai.png");

  g_unsetenv ("STORYREEL_OPENAI_API_KEY");
  g_settings_reset (settings, "openai-endpoint");
  gtk_window_destroy (GTK_WINDOW (window));
  reel_test_settle ();
}

/* The Seedream page: the region and the watermark, each bound to its setting both ways. */
static void
test_preferences_seedream (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  GtkWidget *window = adw_preferences_window_new ();
  GtkWidget *page = reel_provider_page_new ("seedream");
  AdwComboRow *region_row;
  GtkSwitch *watermark_switch;
  GtkWidget *quality_row;

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  gtk_window_present (GTK_WINDOW (window));

  region_row = ADW_COMBO_ROW (gtk_widget_get_template_child (page, REEL_TYPE_PROVIDER_PAGE,
                                                            "region_row"));
  watermark_switch = GTK_SWITCH (gtk_widget_get_template_child (page, REEL_TYPE_PROVIDER_PAGE,
                                                               "watermark_switch"));
  quality_row = GTK_WIDGET (gtk_widget_get_template_child (page, REEL_TYPE_PROVIDER_PAGE,
                                                          "quality_row"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (region_row)));
  g_assert_false (gtk_widget_get_visible (quality_row));
  /* Off by default: a plate with a watermark is useless. */
  g_assert_false (gtk_switch_get_active (watermark_switch));
  g_assert_cmpuint (adw_combo_row_get_selected (region_row), ==, 0);

  adw_combo_row_set_selected (region_row, 1);
  g_assert_cmpstr (g_settings_get_string (settings, "seedream-region"), ==, "volcengine");
  gtk_switch_set_active (watermark_switch, TRUE);
  g_assert_true (g_settings_get_boolean (settings, "seedream-watermark"));
  g_settings_set_string (settings, "seedream-region", "byteplus");
  g_assert_cmpuint (adw_combo_row_get_selected (region_row), ==, 0);

  save_widget_screenshot (window, "preferences-seedream.png");

  /* Wan has regions of its own, on the same row. */
  {
    GtkWidget *wan = reel_provider_page_new ("wan");
    AdwComboRow *wan_region = ADW_COMBO_ROW (gtk_widget_get_template_child (
                                wan, REEL_TYPE_PROVIDER_PAGE, "region_row"));

    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (wan));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (wan_region)));
    g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (wan_region)), ==, 2);
    adw_combo_row_set_selected (wan_region, 1);
    g_assert_cmpstr (g_settings_get_string (settings, "wan-region"), ==, "beijing");
    g_settings_reset (settings, "wan-region");
    g_assert_cmpuint (adw_combo_row_get_selected (wan_region), ==, 0);
  }

  g_settings_reset (settings, "seedream-region");
  g_settings_reset (settings, "seedream-watermark");
  gtk_window_destroy (GTK_WINDOW (window));
  reel_test_settle ();
}

/* The Veo page: Google Cloud's project and region, each kept in its setting (a region that
 * cannot be one is refused on the spot), an access token instead of a key, and Test
 * connection against Google Cloud's protocol. */
static void
test_preferences_veo (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  GtkWidget *window = adw_preferences_window_new ();
  GtkWidget *page;
  AdwEntryRow *project_row;
  AdwEntryRow *region_row;
  AdwEntryRow *command_row;
  g_autofree char *command = NULL;
  AdwPreferencesGroup *key_group;
  AdwActionRow *test_row;
  g_autofree char *region = NULL;
  gint64 deadline = g_get_monotonic_time () + (gint64) REEL_TEST_DEADLINE_MS * 1000;

  fake_server_reset (server);
  g_settings_set_string (settings, "veo-endpoint", server->base_url);
  g_setenv ("STORYREEL_VEO_TEST_ORIGIN", server->base_url, TRUE);
  g_setenv ("STORYREEL_VEO_API_KEY", AI_TEST_KEY, TRUE);
  page = reel_provider_page_new ("veo");
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  gtk_window_present (GTK_WINDOW (window));

  project_row = ADW_ENTRY_ROW (gtk_widget_get_template_child (page, REEL_TYPE_PROVIDER_PAGE,
                                                             "project_row"));
  region_row = ADW_ENTRY_ROW (gtk_widget_get_template_child (page, REEL_TYPE_PROVIDER_PAGE,
                                                            "cloud_region_row"));
  key_group = ADW_PREFERENCES_GROUP (gtk_widget_get_template_child (page,
                                                                    REEL_TYPE_PROVIDER_PAGE,
                                                                    "key_group"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (project_row)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (region_row)));
  g_assert_cmpstr (adw_preferences_group_get_title (key_group), ==, "Access Token");
  command_row = ADW_ENTRY_ROW (gtk_widget_get_template_child (page, REEL_TYPE_PROVIDER_PAGE,
                                                             "token_command_row"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (command_row)));
  gtk_editable_set_text (GTK_EDITABLE (command_row), "gcloud auth print-access-token ");
  g_signal_emit_by_name (command_row, "apply");
  command = g_settings_get_string (settings, "veo-token-command");
  g_assert_cmpstr (command, ==, "gcloud auth print-access-token");
  /* Emptied again: the token from the environment (as stored ones) is used. */
  gtk_editable_set_text (GTK_EDITABLE (command_row), "");
  g_signal_emit_by_name (command_row, "apply");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (region_row)), ==, "us-central1");

  gtk_editable_set_text (GTK_EDITABLE (project_row), " storyreel-test ");
  g_signal_emit_by_name (project_row, "apply");
  g_assert_cmpstr (g_settings_get_string (settings, "veo-project"), ==, "storyreel-test");

  /* Not a region: kept out of the setting, and the row says so. */
  gtk_editable_set_text (GTK_EDITABLE (region_row), "us-central1.example.com");
  g_signal_emit_by_name (region_row, "apply");
  region = g_settings_get_string (settings, "veo-region");
  g_assert_cmpstr (region, ==, "us-central1");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (region_row), "error"));
  gtk_editable_set_text (GTK_EDITABLE (region_row), "europe-west4");
  g_signal_emit_by_name (region_row, "apply");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (region_row), "error"));
  g_clear_pointer (&region, g_free);
  region = g_settings_get_string (settings, "veo-region");
  g_assert_cmpstr (region, ==, "europe-west4");

  /* Test connection reads the model on Google Cloud with the token. */
  test_row = ADW_ACTION_ROW (gtk_widget_get_template_child (page, REEL_TYPE_PROVIDER_PAGE,
                                                           "test_row"));
  gtk_widget_activate_action (page, "provider-page.test", NULL);
  while (strstr (adw_action_row_get_subtitle (test_row), "veo-3.1-generate-001") == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (test_row), "europe-west4"));
  ai_test_assert_no_key (adw_action_row_get_subtitle (test_row));
  g_assert_cmpuint (fake_server_count_requests (server,
                                                "/v1/publishers/google/models/"
                                                "veo-3.1-generate-001"), ==, 1);

  save_widget_screenshot (window, "preferences-veo.png");

  g_unsetenv ("STORYREEL_VEO_API_KEY");
  g_unsetenv ("STORYREEL_VEO_TEST_ORIGIN");
  g_settings_reset (settings, "veo-endpoint");
  g_settings_reset (settings, "veo-project");
  g_settings_reset (settings, "veo-region");
  g_settings_reset (settings, "veo-token-command");
  gtk_window_destroy (GTK_WINDOW (window));
  reel_test_settle ();
}

static void
test_no_key_in_logs (void)
{
  ai_test_assert_no_key (ai_test_captured_logs ());
}

int
main (int    argc,
      char **argv)
{
  int status;

  reel_test_require_x11 (FALSE);
  gtk_test_init (&argc, &argv, NULL);
  /* Wakes the loops above that wait on a state changed by a worker thread. */
  g_timeout_add (20, reel_test_wait_heartbeat_cb, NULL);
  adw_init ();
  ai_test_capture_logs ();
  server = fake_server_start (NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/generation-panel/prompt", test_prompt_shown_and_editable);
  ADD ("/generation-panel/provider-and-kind-agree", test_provider_and_kind_agree);
  ADD ("/generation-panel/generate-greybox", test_generate_greybox);
  ADD ("/generation-panel/angle-to-new-shot", test_angle_to_new_shot);
  ADD ("/generation-panel/failure-and-retry", test_failure_and_retry);
  ADD ("/generation-panel/cancel-all", test_cancel_all);
  ADD ("/generation-panel/comfyui-preview", test_comfyui_preview);
  ADD ("/generation-panel/results-follow-their-shot", test_results_follow_their_shot);
  ADD ("/generation-panel/thumbnails-of-the-shown-shot", test_thumbnails_of_the_shown_shot);
  ADD ("/generation-panel/batch-dialog", test_batch_dialog);
  ADD ("/generation-panel/batch-dialog-usage", test_batch_dialog_usage);
  ADD ("/generation-panel/batch-dialog-same-images", test_batch_dialog_same_images);
  for (guint i = 0; i < ai_test_n_services; i++)
    {
      g_autofree char *path = g_strdup_printf ("/generation-panel/generate/%s",
                                               ai_test_services[i].id);

      g_test_add (path, Fixture, &ai_test_services[i], fixture_set_up,
                  test_generate_with_provider, fixture_tear_down);
    }
  g_test_add_func ("/generation-panel/preferences", test_preferences_pages);
  g_test_add_func ("/generation-panel/preferences-seedream", test_preferences_seedream);
  g_test_add_func ("/generation-panel/preferences-veo", test_preferences_veo);
  g_test_add_func ("/zz/no-key-in-logs", test_no_key_in_logs);

  status = reel_test_run ();
  g_clear_pointer (&server, fake_server_stop);
  return status;
}
