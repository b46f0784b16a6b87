/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-generation-panel"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "ai/reel-ai-error.h"
#include "ai/reel-prompt.h"
#include "ai/reel-provider.h"
#include "core/reel-edit.h"
#include "core/reel-memory.h"
#include "media/reel-clip-frames.h"
#include "core/reel-set-edit.h"
#include "reel-batch-dialog.h"
#include "reel-generation-panel.h"
#include "reel-provider-page.h"
#include "reel-window.h"

#define THUMBNAIL_WIDTH 320
#define ITEM_HEIGHT 96

typedef struct _Job Job;

struct _ReelGenerationPanel
{
  GtkWidget parent_instance;

  ReelProject *project;
  ReelShot *shot;
  GSettings *settings;
  GSignalGroup *shot_signals;
  GSignalGroup *project_signals;

  /* Template widgets. */
  GtkWidget *box;
  AdwComboRow *provider_row;
  AdwComboRow *kind_row;
  AdwComboRow *angle_row;
  GtkSpinButton *variants_spin;
  GtkTextView *prompt_view;
  GtkWidget *generate_button;
  GtkWidget *cancel_button;
  GtkLabel *status_label;
  GtkFlowBox *gallery;
  GtkWidget *empty_label;

  GPtrArray *jobs;            /* Job, running and failed, for every shot */
  guint next_job_id;
  GHashTable *thumbnails;     /* hash → GdkTexture */
  GHashTable *loading;        /* hash being decoded */
  GCancellable *cancellable;  /* thumbnails; cancelled on dispose */
  gboolean setting_prompt;
  gboolean prompt_edited;
};

G_DEFINE_FINAL_TYPE (ReelGenerationPanel, reel_generation_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_SHOT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void rebuild_gallery (ReelGenerationPanel *self);
static void update_status (ReelGenerationPanel *self);

/* Jobs: one image (or clip) on its way ----------------------------------------------------- */

struct _Job
{
  guint id;
  GWeakRef panel;
  /* Weak: a result never lands in a project no window shows. */
  GWeakRef project;
  /* The jobs of the window the panel was in when the job started (ReelJobs). */
  GWeakRef owner;
  gboolean has_owner;
  ReelShot *shot;
  ReelProvider *provider;
  ReelGenerationRequest *request;
  GCancellable *cancellable;
  gboolean running;
  char *error;
  char *status;
  double fraction;
  GdkTexture *preview;        /* the latest preview a server sent while rendering */
  gboolean decoding_preview;
  /* The job's widgets in the gallery, while shown. */
  GtkLabel *status_label;
  GtkProgressBar *progress_bar;
  GtkPicture *preview_picture;
  GtkWidget *spinner;
};

static void
job_clear (Job *job)
{
  g_weak_ref_clear (&job->panel);
  g_weak_ref_clear (&job->project);
  g_weak_ref_clear (&job->owner);
  g_clear_object (&job->shot);
  g_clear_object (&job->provider);
  g_clear_pointer (&job->request, reel_generation_request_unref);
  g_clear_object (&job->cancellable);
  g_clear_object (&job->preview);
  g_free (job->error);
  g_free (job->status);
}

static Job *
job_ref (Job *job)
{
  return g_rc_box_acquire (job);
}

static void
job_unref (Job *job)
{
  g_rc_box_release_full (job, (GDestroyNotify) job_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_unref)

static Job *
find_job (ReelGenerationPanel *self,
          guint                id)
{
  for (guint i = 0; i < self->jobs->len; i++)
    {
      Job *job = g_ptr_array_index (self->jobs, i);

      if (job->id == id)
        return job;
    }
  return NULL;
}

static void
on_job_progress (double      fraction,
                 const char *status,
                 gpointer    user_data)
{
  Job *job = user_data;

  job->fraction = fraction;
  if (status != NULL)
    {
      g_free (job->status);
      job->status = g_strdup (status);
    }

  /* Straight into the placeholder: no gallery rebuild for a progress tick. */
  if (job->status_label != NULL && job->status != NULL)
    gtk_label_set_label (job->status_label, job->status);
  if (job->progress_bar != NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (job->progress_bar), fraction >= 0);
      if (fraction >= 0)
        gtk_progress_bar_set_fraction (job->progress_bar, fraction);
    }
}

/* Previews: decoded on a worker thread, at most one at a time per job (a newer one that
 * comes meanwhile is dropped: another follows at the next step). */
static void
decode_preview (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;

  if (!gdk_pixbuf_loader_write_bytes (loader, task_data, &error)
      || !gdk_pixbuf_loader_close (loader, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (gdk_pixbuf_get_width (pixbuf) > THUMBNAIL_WIDTH)
    g_task_return_pointer (task,
                           gdk_pixbuf_scale_simple (pixbuf, THUMBNAIL_WIDTH,
                                                    MAX (1, gdk_pixbuf_get_height (pixbuf)
                                                              * THUMBNAIL_WIDTH
                                                              / gdk_pixbuf_get_width (pixbuf)),
                                                    GDK_INTERP_BILINEAR),
                           g_object_unref);
  else
    g_task_return_pointer (task, g_object_ref (pixbuf), g_object_unref);
}

static void
show_preview (Job *job)
{
  if (job->preview_picture == NULL || job->preview == NULL)
    return;
  gtk_picture_set_paintable (job->preview_picture, GDK_PAINTABLE (job->preview));
  gtk_widget_set_visible (GTK_WIDGET (job->preview_picture), TRUE);
  if (job->spinner != NULL)
    gtk_widget_set_visible (job->spinner, FALSE);
}

static void
on_preview_decoded (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(GdkPixbuf) pixbuf = g_task_propagate_pointer (G_TASK (result), NULL);

  job->decoding_preview = FALSE;
  /* A broken preview is no reason to bother anyone: the image itself is what counts. */
  if (pixbuf == NULL || !job->running)
    return;
  g_clear_object (&job->preview);
  job->preview = gdk_texture_new_for_pixbuf (pixbuf);
  show_preview (job);
}

static void
on_job_preview (guint    index,
                GBytes  *image,
                gpointer user_data)
{
  Job *job = user_data;
  g_autoptr(GTask) task = NULL;

  if (job->decoding_preview || !job->running)
    return;
  job->decoding_preview = TRUE;
  task = g_task_new (NULL, NULL, on_preview_decoded, job_ref (job));
  g_task_set_source_tag (task, on_job_preview);
  g_task_set_task_data (task, g_bytes_ref (image), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, decode_preview);
}

static void
on_job_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(ReelGenerationPanel) self = g_weak_ref_get (&job->panel);
  g_autoptr(ReelProject) project = g_weak_ref_get (&job->project);
  g_autoptr(ReelJobs) owner = g_weak_ref_get (&job->owner);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;

  job->running = FALSE;
  job->status_label = NULL;
  job->progress_bar = NULL;
  job->preview_picture = NULL;
  job->spinner = NULL;
  g_clear_object (&job->preview);

  assets = reel_generator_generate_finish (REEL_GENERATOR (object), result, &error);
  /* Late: the window closed (or the job was cancelled) while the service answered. */
  if (assets != NULL
      && (project == NULL || (job->has_owner && owner == NULL)
          || !reel_jobs_accepts_result (owner, job->cancellable)))
    {
      g_debug ("Dropped a generation whose window has closed");
      g_clear_pointer (&assets, g_ptr_array_unref);
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
    }
  if (assets != NULL)
    {
      /* Kept with the shot it was made for, wherever the panel is now. A shot deleted
       * meanwhile keeps them too: undoing the deletion brings it back with them. */
      reel_generation_keep (project, job->shot, assets);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      job->error = g_strdup (error->message);
    }

  /* Last: a window waiting for its jobs closes now, with the result in its project. */
  if (owner != NULL)
    reel_jobs_remove (owner, job->cancellable);

  if (self == NULL || self->jobs == NULL)
    return;

  if (job->error == NULL)
    g_ptr_array_remove (self->jobs, job);

  update_status (self);
  rebuild_gallery (self);
}

static void
job_start (ReelGenerationPanel *self,
           Job                 *job)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_clear_pointer (&job->error, g_free);
  g_clear_object (&job->cancellable);
  job->cancellable = g_cancellable_new ();
  /* The job belongs to the window: it asks before closing, and cancels it when it does. */
  if (REEL_IS_WINDOW (root))
    {
      ReelJobs *owner = reel_window_get_jobs (REEL_WINDOW (root));

      g_weak_ref_set (&job->owner, owner);
      job->has_owner = TRUE;
      reel_jobs_add (owner, job->cancellable);
    }
  job->running = TRUE;
  job->fraction = -1;
  g_free (job->status);
  job->status = g_strdup (_("Starting"));
  g_clear_object (&job->preview);
  /* The request is the job's own copy; the job outlives the generation. */
  job->request->preview = on_job_preview;
  job->request->preview_data = job;

  reel_generator_generate_async (REEL_GENERATOR (job->provider), job->request, on_job_progress,
                                 job, job->cancellable, on_job_done, job_ref (job));
}

/* Thumbnails ------------------------------------------------------------------------------- */

typedef struct
{
  char *hash;
  ReelAsset *asset;  /* its bytes are read on the worker (lazy media) */
} ThumbnailJob;

static void
thumbnail_job_free (gpointer data)
{
  ThumbnailJob *thumbnail = data;

  g_free (thumbnail->hash);
  g_object_unref (thumbnail->asset);
  g_free (thumbnail);
}

static GdkPixbuf *
decode_clip_thumbnail (ReelAsset  *clip,
                       GError    **error)
{
  cairo_surface_t *frame = reel_clip_frames_extract_surface (clip, 0, error);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  int width;
  int height;

  if (frame == NULL)
    return NULL;
  width = cairo_image_surface_get_width (frame);
  height = cairo_image_surface_get_height (frame);
  pixbuf = gdk_pixbuf_get_from_surface (frame, 0, 0, width, height);
  cairo_surface_destroy (frame);
  if (pixbuf == NULL || width <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no frame");
      return NULL;
    }
  return gdk_pixbuf_scale_simple (pixbuf, THUMBNAIL_WIDTH,
                                  MAX (1, THUMBNAIL_WIDTH * height / width),
                                  GDK_INTERP_BILINEAR);
}

static void
decode_thumbnail (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ThumbnailJob *thumbnail = task_data;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;

  if (reel_asset_is_video (thumbnail->asset))
    {
      pixbuf = decode_clip_thumbnail (thumbnail->asset, &error);
    }
  else
    {
      data = reel_asset_dup_data (thumbnail->asset, cancellable, &error);
      if (data == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      stream = g_memory_input_stream_new_from_bytes (data);
      pixbuf = gdk_pixbuf_new_from_stream_at_scale (stream, THUMBNAIL_WIDTH, -1, TRUE,
                                                    cancellable, &error);
    }
  if (pixbuf == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, pixbuf, g_object_unref);
}

static void
on_thumbnail_decoded (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  ReelGenerationPanel *self = REEL_GENERATION_PANEL (object);
  ThumbnailJob *thumbnail = g_task_get_task_data (G_TASK (result));
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  pixbuf = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_hash_table_remove (self->loading, thumbnail->hash);
  if (pixbuf == NULL)
    {
      g_debug ("No thumbnail for %s: %s", thumbnail->hash, error->message);
      return;
    }

  g_hash_table_insert (self->thumbnails, g_strdup (thumbnail->hash),
                       gdk_texture_new_for_pixbuf (pixbuf));
  rebuild_gallery (self);
}

static gboolean
is_other_shots_thumbnail (gpointer key,
                          gpointer value,
                          gpointer user_data)
{
  ReelShot *shot = user_data;

  return shot == NULL || !g_strv_contains (reel_shot_get_variants (shot), key);
}

/* Only the shown shot's thumbnails are kept: going through a thousand shots must not
 * keep four thousand textures (a shot shown again decodes its few again, off the main
 * thread). */
static void
drop_other_thumbnails (ReelGenerationPanel *self)
{
  g_hash_table_foreach_remove (self->thumbnails, is_other_shots_thumbnail, self->shot);
}

/* The texture, or NULL while it is decoded on a worker thread. */
static GdkTexture *
lookup_thumbnail (ReelGenerationPanel *self,
                  ReelAsset           *asset)
{
  const char *hash = reel_asset_get_hash (asset);
  GdkTexture *texture = g_hash_table_lookup (self->thumbnails, hash);
  g_autoptr(GTask) task = NULL;
  ThumbnailJob *thumbnail;

  if (texture != NULL || g_hash_table_contains (self->loading, hash))
    return texture;

  thumbnail = g_new0 (ThumbnailJob, 1);
  thumbnail->hash = g_strdup (hash);
  thumbnail->asset = g_object_ref (asset);
  g_hash_table_add (self->loading, g_strdup (hash));

  task = g_task_new (self, self->cancellable, on_thumbnail_decoded, NULL);
  g_task_set_source_tag (task, lookup_thumbnail);
  g_task_set_task_data (task, thumbnail, thumbnail_job_free);
  g_task_run_in_thread (task, decode_thumbnail);
  return NULL;
}

/* The gallery ------------------------------------------------------------------------------ */

static void
add_detail (GtkGrid    *grid,
            int        *row,
            const char *name,
            const char *value)
{
  GtkWidget *label;
  GtkWidget *text;

  if (value == NULL || value[0] == '\0')
    return;

  label = gtk_label_new (name);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  text = gtk_label_new (value);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (text), 48);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_grid_attach (grid, label, 0, *row, 1, 1);
  gtk_grid_attach (grid, text, 1, *row, 1, 1);
  (*row)++;
}

static const char *
provider_name (const char *id)
{
  const ReelProviderInfo *info = reel_provider_lookup_info (id);

  return info != NULL ? g_dgettext (GETTEXT_PACKAGE, info->display_name) : id;
}

static GtkWidget *
build_details (ReelAsset  *asset,
               GtkPopover *popover)
{
  ReelGenerationRecord *record = reel_asset_get_generation (asset);
  const char *hash = reel_asset_get_hash (asset);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *button;
  int row = 0;

  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);

  if (record != NULL)
    {
      g_autofree char *seed = record->seed >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT,
                                                                   record->seed)
                                                : NULL;
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (record->created_us
                                                                   / G_USEC_PER_SEC);
      g_autofree char *when = time != NULL ? g_date_time_format (time, "%x %X") : NULL;
      g_autofree char *took = g_strdup_printf (_("%.1f s"), record->duration_ms / 1000.0);
      g_autofree char *inputs = NULL;
      const ReelAngleVariant *angle = reel_prompt_lookup_angle_variant (record->angle_id);
      guint n_inputs = record->input_hashes != NULL ? g_strv_length (record->input_hashes) : 0;

      if (n_inputs > 0)
        inputs = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u reference image",
                                               "%u reference images", n_inputs), n_inputs);

      add_detail (GTK_GRID (grid), &row, _("Provider"), provider_name (record->provider));
      add_detail (GTK_GRID (grid), &row, _("Model"), record->model);
      add_detail (GTK_GRID (grid), &row, _("Server"), record->endpoint_host);
      if (angle != NULL)
        add_detail (GTK_GRID (grid), &row, _("Angle"), g_dgettext (GETTEXT_PACKAGE, angle->label));
      add_detail (GTK_GRID (grid), &row, _("Seed"), seed);
      add_detail (GTK_GRID (grid), &row, _("Made"), when);
      add_detail (GTK_GRID (grid), &row, _("Took"), took);
      add_detail (GTK_GRID (grid), &row, _("Sent"), inputs);
      add_detail (GTK_GRID (grid), &row, _("Prompt"), record->prompt);
      add_detail (GTK_GRID (grid), &row, _("Negative"), record->negative_prompt);
      add_detail (GTK_GRID (grid), &row, _("Parameters"), record->parameters);
    }
  else
    {
      add_detail (GTK_GRID (grid), &row, _("Source"), _("Not generated: imported or drawn"));
    }

  button = gtk_button_new_with_mnemonic (_("_Use as Background"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "generation.use-background");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", hash);
  gtk_box_append (GTK_BOX (buttons), button);

  if (record != NULL && g_strcmp0 (record->kind, REEL_GENERATION_KIND_ANGLE) == 0)
    {
      button = gtk_button_new_with_mnemonic (_("_New Shot From This Angle"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "generation.new-shot");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", hash);
      gtk_box_append (GTK_BOX (buttons), button);
    }

  button = gtk_button_new_with_mnemonic (_("_Remove From Variants"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "generation.remove-variant");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", hash);
  gtk_widget_add_css_class (button, "destructive-action");
  gtk_box_append (GTK_BOX (buttons), button);

  /* Whichever is chosen, the popover has done its job. */
  for (GtkWidget *child = gtk_widget_get_first_child (buttons); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    g_signal_connect_swapped (child, "clicked", G_CALLBACK (gtk_popover_popdown), popover);

  gtk_box_append (GTK_BOX (box), grid);
  gtk_box_append (GTK_BOX (box), buttons);
  return box;
}

static GtkWidget *
build_asset_item (ReelGenerationPanel *self,
                  ReelAsset           *asset,
                  gboolean             active)
{
  ReelGenerationRecord *record = reel_asset_get_generation (asset);
  const char *hash = reel_asset_get_hash (asset);
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *button = gtk_button_new ();
  GtkWidget *menu_button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *badge;
  g_autofree char *tooltip = NULL;
  const ReelAngleVariant *angle = record != NULL
                                    ? reel_prompt_lookup_angle_variant (record->angle_id)
                                    : NULL;

  {
    GdkTexture *texture = lookup_thumbnail (self, asset);

    /* A clip shows its first frame once decoded; until then (or when it cannot be
     * decoded) what it is. */
    if (reel_asset_is_video (asset) && texture == NULL)
      {
        GtkWidget *clip = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
        GtkWidget *icon = gtk_image_new_from_icon_name ("video-x-generic-symbolic");
        GtkWidget *label = gtk_label_new (_("Moving background"));

        gtk_image_set_pixel_size (GTK_IMAGE (icon), 32);
        gtk_widget_set_valign (clip, GTK_ALIGN_CENTER);
        gtk_widget_add_css_class (label, "caption");
        gtk_box_append (GTK_BOX (clip), icon);
        gtk_box_append (GTK_BOX (clip), label);
        gtk_button_set_child (GTK_BUTTON (button), clip);
      }
    else
      {
        GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));

        gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
        gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
        gtk_button_set_child (GTK_BUTTON (button), picture);
      }
    if (reel_asset_is_video (asset) && texture != NULL)
      {
        GtkWidget *clip_badge = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);

        gtk_box_append (GTK_BOX (clip_badge),
                        gtk_image_new_from_icon_name ("video-x-generic-symbolic"));
        gtk_box_append (GTK_BOX (clip_badge), gtk_label_new (_("Moving background")));
        gtk_widget_add_css_class (clip_badge, "osd");
        gtk_widget_add_css_class (clip_badge, "caption");
        gtk_widget_add_css_class (clip_badge, "clip-badge");
        gtk_widget_set_halign (clip_badge, GTK_ALIGN_END);
        gtk_widget_set_valign (clip_badge, GTK_ALIGN_END);
        gtk_widget_set_margin_bottom (clip_badge, 4);
        gtk_widget_set_margin_end (clip_badge, 4);
        gtk_widget_set_can_target (clip_badge, FALSE);
        gtk_overlay_add_overlay (GTK_OVERLAY (overlay), clip_badge);
      }
  }

  gtk_widget_set_size_request (button, -1, ITEM_HEIGHT);
  gtk_widget_add_css_class (button, "card");
  gtk_widget_set_overflow (button, GTK_OVERFLOW_HIDDEN);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "generation.use-background");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", hash);
  if (record != NULL)
    tooltip = g_strdup_printf (_("Use as background (%s)"), provider_name (record->provider));
  else
    tooltip = g_strdup (_("Use as background"));
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), button);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "view-more-symbolic");
  gtk_widget_set_tooltip_text (menu_button, _("Details"));
  gtk_widget_add_css_class (menu_button, "osd");
  gtk_widget_add_css_class (menu_button, "circular");
  gtk_widget_set_halign (menu_button, GTK_ALIGN_END);
  gtk_widget_set_valign (menu_button, GTK_ALIGN_START);
  gtk_widget_set_margin_top (menu_button, 4);
  gtk_widget_set_margin_end (menu_button, 4);
  gtk_popover_set_child (GTK_POPOVER (popover), build_details (asset, GTK_POPOVER (popover)));
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (menu_button), popover);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), menu_button);

  if (active)
    {
      badge = gtk_image_new_from_icon_name ("object-select-symbolic");
      gtk_widget_add_css_class (badge, "osd");
      gtk_widget_add_css_class (badge, "circular");
      gtk_widget_set_tooltip_text (badge, _("The shot’s background"));
      gtk_widget_set_halign (badge, GTK_ALIGN_START);
      gtk_widget_set_valign (badge, GTK_ALIGN_START);
      gtk_widget_set_margin_top (badge, 4);
      gtk_widget_set_margin_start (badge, 4);
      gtk_overlay_add_overlay (GTK_OVERLAY (overlay), badge);
      gtk_widget_add_css_class (button, "accent");
    }

  /* Sets and cameras (issue 13): the variants that show the scene's look. */
  if (self->shot != NULL && reel_shot_get_scene (self->shot) != NULL)
    {
      ReelSceneLook look = reel_scene_look_of_variant (reel_shot_get_scene (self->shot),
                                                       self->project, asset);

      if (look != REEL_SCENE_LOOK_NONE)
        {
          badge = gtk_image_new_from_icon_name ("emblem-shared-symbolic");
          gtk_widget_add_css_class (badge, "osd");
          gtk_widget_add_css_class (badge, "circular");
          gtk_widget_set_tooltip_text (badge, look == REEL_SCENE_LOOK_IS
                                                ? _("The scene’s look: the establishing shot’s "
                                                    "background, which other angles keep")
                                                : _("Shares the scene’s look: made with the "
                                                    "establishing shot’s background or the "
                                                    "look image as a reference"));
          gtk_widget_set_halign (badge, GTK_ALIGN_END);
          gtk_widget_set_valign (badge, GTK_ALIGN_END);
          gtk_widget_set_margin_bottom (badge, 4);
          gtk_widget_set_margin_end (badge, 4);
          gtk_overlay_add_overlay (GTK_OVERLAY (overlay), badge);
        }
    }

  if (angle != NULL)
    {
      badge = gtk_label_new (g_dgettext (GETTEXT_PACKAGE, angle->label));
      gtk_widget_add_css_class (badge, "osd");
      gtk_widget_add_css_class (badge, "caption");
      gtk_widget_set_halign (badge, GTK_ALIGN_START);
      gtk_widget_set_valign (badge, GTK_ALIGN_END);
      gtk_widget_set_margin_bottom (badge, 4);
      gtk_widget_set_margin_start (badge, 4);
      gtk_overlay_add_overlay (GTK_OVERLAY (overlay), badge);
    }

  return overlay;
}

static GtkWidget *
build_job_item (Job *job)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_size_request (box, -1, ITEM_HEIGHT);

  if (job->running)
    {
      GtkWidget *spinner = gtk_spinner_new ();
      GtkWidget *picture = gtk_picture_new ();
      GtkWidget *label = gtk_label_new (job->status);
      GtkWidget *bar = gtk_progress_bar_new ();

      gtk_spinner_start (GTK_SPINNER (spinner));
      gtk_widget_set_margin_top (spinner, 12);
      /* The server's preview of the image, once one comes, in place of the spinner. */
      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      gtk_widget_set_size_request (picture, -1, ITEM_HEIGHT);
      gtk_widget_set_visible (picture, FALSE);
      gtk_widget_add_css_class (picture, "preview");
      gtk_widget_add_css_class (label, "caption");
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
      gtk_widget_set_margin_start (bar, 12);
      gtk_widget_set_margin_end (bar, 12);
      gtk_widget_set_visible (bar, job->fraction >= 0);
      if (job->fraction >= 0)
        gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), job->fraction);
      gtk_box_append (GTK_BOX (box), spinner);
      gtk_box_append (GTK_BOX (box), picture);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), bar);
      gtk_widget_set_tooltip_text (box, job->request->prompt);
      gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Generating"), -1);

      job->status_label = GTK_LABEL (label);
      job->progress_bar = GTK_PROGRESS_BAR (bar);
      job->preview_picture = GTK_PICTURE (picture);
      job->spinner = spinner;
      show_preview (job);
    }
  else
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
      GtkWidget *label = gtk_label_new (job->error);
      GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *retry = gtk_button_new_with_mnemonic (_("_Retry"));
      GtkWidget *dismiss = gtk_button_new_with_mnemonic (_("_Dismiss"));

      gtk_widget_add_css_class (icon, "error");
      gtk_widget_set_margin_top (icon, 8);
      gtk_widget_add_css_class (label, "caption");
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_start (label, 8);
      gtk_widget_set_margin_end (label, 8);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (retry), "generation.retry");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (retry), "u", job->id);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (dismiss), "generation.dismiss");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (dismiss), "u", job->id);
      gtk_widget_add_css_class (retry, "pill");
      gtk_widget_add_css_class (dismiss, "flat");
      gtk_box_set_homogeneous (GTK_BOX (buttons), TRUE);
      gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
      gtk_widget_set_margin_bottom (buttons, 8);
      gtk_box_append (GTK_BOX (buttons), retry);
      gtk_box_append (GTK_BOX (buttons), dismiss);
      gtk_box_append (GTK_BOX (box), icon);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), buttons);
    }

  return box;
}

static void
rebuild_gallery (ReelGenerationPanel *self)
{
  GtkWidget *child;
  guint n_items = 0;

  /* Disposed: a thumbnail or a job may still finish. */
  if (self->jobs == NULL)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->gallery))) != NULL)
    gtk_flow_box_remove (self->gallery, child);

  for (guint i = 0; i < self->jobs->len; i++)
    {
      Job *job = g_ptr_array_index (self->jobs, i);

      job->status_label = NULL;
      job->progress_bar = NULL;
      job->preview_picture = NULL;
      job->spinner = NULL;
    }

  if (self->project == NULL || self->shot == NULL)
    {
      gtk_widget_set_visible (self->empty_label, FALSE);
      return;
    }

  /* What is on its way first, then the newest variants. */
  for (guint i = 0; i < self->jobs->len; i++)
    {
      Job *job = g_ptr_array_index (self->jobs, i);

      if (job->shot != self->shot)
        continue;
      gtk_flow_box_append (self->gallery, build_job_item (job));
      n_items++;
    }

  for (guint i = reel_shot_get_n_variants (self->shot); i > 0; i--)
    {
      const char *hash = reel_shot_get_variants (self->shot)[i - 1];
      ReelAsset *asset = reel_project_lookup_asset (self->project, hash);

      if (asset == NULL)
        continue;
      gtk_flow_box_append (self->gallery,
                           build_asset_item (self, asset,
                                             g_strcmp0 (reel_shot_get_background (self->shot),
                                                        hash) == 0));
      n_items++;
    }

  gtk_widget_set_visible (self->empty_label, n_items == 0);
}

static void
update_status (ReelGenerationPanel *self)
{
  guint running = 0;
  guint failed = 0;

  if (self->jobs == NULL)
    return;

  for (guint i = 0; i < self->jobs->len; i++)
    {
      Job *job = g_ptr_array_index (self->jobs, i);

      if (job->running)
        running++;
      else if (job->error != NULL)
        failed++;
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generation.cancel-all", running > 0);

  if (running > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u image on its way",
                                                            "%u images on their way", running),
                                               running);
      gtk_label_set_label (self->status_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
    }
  else if (failed > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u generation failed",
                                                            "%u generations failed", failed),
                                               failed);
      gtk_label_set_label (self->status_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
    }
}

/* The settings rows ------------------------------------------------------------------------ */

static const char *
selected_provider_id (ReelGenerationPanel *self)
{
  guint n_providers = 0;
  const ReelProviderInfo *providers = reel_provider_list (&n_providers);
  guint selected = adw_combo_row_get_selected (self->provider_row);

  return providers[MIN (selected, n_providers - 1)].id;
}

static ReelGenerationKind
selected_kind (ReelGenerationPanel *self)
{
  switch (adw_combo_row_get_selected (self->kind_row))
    {
    case 1:
      return REEL_GENERATION_ANGLE;
    case 2:
      return REEL_GENERATION_VIDEO;
    default:
      return REEL_GENERATION_BACKGROUND;
    }
}

static const char *
selected_angle_id (ReelGenerationPanel *self)
{
  guint n_variants = 0;
  const ReelAngleVariant *variants = reel_prompt_get_angle_variants (&n_variants);
  guint selected = adw_combo_row_get_selected (self->angle_row);

  return variants[MIN (selected, n_variants - 1)].id;
}

static void
update_prompt (ReelGenerationPanel *self)
{
  g_autofree char *prompt = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->prompt_view);

  if (self->prompt_edited)
    return;

  if (self->project != NULL && self->shot != NULL)
    prompt = reel_prompt_build (self->project, self->shot, selected_kind (self),
                                selected_angle_id (self));

  self->setting_prompt = TRUE;
  gtk_text_buffer_set_text (buffer, prompt != NULL ? prompt : "", -1);
  self->setting_prompt = FALSE;
}

static void
on_prompt_changed (GtkTextBuffer       *buffer,
                   ReelGenerationPanel *self)
{
  if (!self->setting_prompt)
    self->prompt_edited = TRUE;
}

static void
update_sensitivity (ReelGenerationPanel *self)
{
  gboolean has_shot = self->project != NULL && self->shot != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generation.generate", has_shot);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generation.rebuild-prompt", has_shot);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generation.batch-scene",
                                 has_shot && reel_shot_get_scene (self->shot) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generation.batch-project",
                                 self->project != NULL
                                 && reel_project_get_n_shots (self->project) > 0);
}

static gboolean
provider_makes (ReelGeneratorCapabilities capabilities,
                ReelGenerationKind        kind)
{
  if (kind == REEL_GENERATION_VIDEO)
    return (capabilities & REEL_GENERATOR_VIDEO) != 0;
  return (capabilities & REEL_GENERATOR_TEXT_TO_IMAGE) != 0;
}

static void
on_kind_changed (ReelGenerationPanel *self)
{
  ReelGenerationKind kind = selected_kind (self);
  const ReelProviderInfo *info = reel_provider_lookup_info (selected_provider_id (self));
  guint n_providers = 0;
  const ReelProviderInfo *providers = reel_provider_list (&n_providers);

  gtk_widget_set_visible (GTK_WIDGET (self->angle_row), kind == REEL_GENERATION_ANGLE);
  gtk_widget_set_sensitive (gtk_widget_get_parent (GTK_WIDGET (self->variants_spin)),
                            kind != REEL_GENERATION_VIDEO);

  /* Keep a provider that can do it (ComfyUI makes both); otherwise offer the first that
   * makes only that: Veo for clips (ComfyUI needs a server of one's own), the first
   * still-image provider for images. */
  if (!provider_makes (info->capabilities, kind))
    {
      for (guint i = 0; i < n_providers; i++)
        {
          if (provider_makes (providers[i].capabilities, kind)
              && !provider_makes (providers[i].capabilities,
                                  kind == REEL_GENERATION_VIDEO ? REEL_GENERATION_BACKGROUND
                                                                : REEL_GENERATION_VIDEO))
            {
              adw_combo_row_set_selected (self->provider_row, i);
              break;
            }
        }
    }

  self->prompt_edited = FALSE;
  update_prompt (self);
}

/* Keep "Make" to what the provider can do: Veo makes clips, ComfyUI both, the others
 * stills. */
static void
on_provider_changed (ReelGenerationPanel *self)
{
  const ReelProviderInfo *info = reel_provider_lookup_info (selected_provider_id (self));
  ReelGenerationKind kind = selected_kind (self);

  if (info == NULL)
    return;
  if ((info->capabilities & REEL_GENERATOR_TEXT_TO_IMAGE) == 0 && kind != REEL_GENERATION_VIDEO)
    adw_combo_row_set_selected (self->kind_row, 2);
  else if ((info->capabilities & REEL_GENERATOR_VIDEO) == 0 && kind == REEL_GENERATION_VIDEO)
    adw_combo_row_set_selected (self->kind_row, 0);
}

static void
on_angle_changed (ReelGenerationPanel *self)
{
  self->prompt_edited = FALSE;
  update_prompt (self);
}

/* Actions ---------------------------------------------------------------------------------- */

static ReelProvider *
create_provider (ReelGenerationPanel  *self,
                 const char           *id,
                 GError              **error)
{
  ReelProvider *provider = reel_provider_new_for_id (id, error);

  if (provider != NULL)
    reel_provider_apply_settings (provider, self->settings);
  return provider;
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  ReelGenerationPanel *self = REEL_GENERATION_PANEL (widget);
  g_autoptr(ReelProvider) provider = NULL;
  g_autoptr(ReelGenerationRequest) base = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = reel_generation_panel_dup_prompt (self);
  ReelGenerationKind kind = selected_kind (self);
  guint count = (guint) gtk_spin_button_get_value_as_int (self->variants_spin);
  ReelGeneratorCapabilities capabilities;

  if (self->project == NULL || self->shot == NULL)
    return;

  provider = create_provider (self, selected_provider_id (self), &error);
  if (provider == NULL)
    {
      gtk_label_set_label (self->status_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
      return;
    }

  /* A video provider makes one clip whatever the row says; an image provider no clips. */
  capabilities = reel_generator_get_capabilities (REEL_GENERATOR (provider));
  if ((capabilities & REEL_GENERATOR_TEXT_TO_IMAGE) == 0 && kind != REEL_GENERATION_VIDEO)
    {
      kind = REEL_GENERATION_VIDEO;
      g_free (prompt);
      prompt = reel_prompt_build (self->project, self->shot, kind, NULL);
    }
  if ((capabilities & REEL_GENERATOR_VIDEO) == 0 && kind == REEL_GENERATION_VIDEO)
    {
      g_autofree char *message =
        g_strdup_printf (_("%s makes still images only. Choose Google Veo for a moving "
                           "background."), reel_provider_get_display_name (provider));

      gtk_label_set_label (self->status_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
      return;
    }

  g_strstrip (prompt);
  base = reel_prompt_new_request (self->project, self->shot, kind,
                                  kind == REEL_GENERATION_ANGLE ? selected_angle_id (self) : NULL,
                                  prompt[0] != '\0' ? prompt : NULL, 1);
  if (kind == REEL_GENERATION_VIDEO)
    count = 1;

  /* Variants of one click get consecutive seeds from the request's (the one seed rule of
   * reel_generation_request_choose_seed()), so no two of them are the same picture by
   * chance, and each can be made again: one job per image, seed + i each. */

  /* One job per image: each has its own placeholder, error and Retry. */
  for (guint i = 0; i < count; i++)
    {
      Job *job = g_rc_box_new0 (Job);

      job->id = ++self->next_job_id;
      g_weak_ref_init (&job->panel, self);
      g_weak_ref_init (&job->project, self->project);
      g_weak_ref_init (&job->owner, NULL);
      job->shot = g_object_ref (self->shot);
      job->provider = g_object_ref (provider);
      job->request = reel_generation_request_copy (base);
      job->request->seed = base->seed + i;
      g_ptr_array_insert (self->jobs, 0, job);
      job_start (self, job);
    }

  update_status (self);
  rebuild_gallery (self);
}

static void
cancel_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ReelGenerationPanel *self = REEL_GENERATION_PANEL (widget);

  for (guint i = 0; i < self->jobs->len; i++)
    {
      Job *job = g_ptr_array_index (self->jobs, i);

      if (job->running)
        g_cancellable_cancel (job->cancellable);
    }
}

static void
rebuild_prompt_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ReelGenerationPanel *self = REEL_GENERATION_PANEL (widget);

  self->prompt_edited = FALSE;
  update_prompt (self);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  ReelGenerationPanel *self = REEL_GENERATION_PANEL (widget);
  Job *job = find_job (self, g_variant_get_uint32 (parameter));

  if (job == NULL || job->running)
    return;

  job_start (self, job);
  update_status (self);
  rebuild_gallery (self);
}

static void
dismiss_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ReelGenerationPanel *self = REEL_GENERATION_PANEL (widget);
  Job *job = find_job (self, g_variant_get_uint32 (parameter));

  if (job == NULL || job->running)
    return;

  g_ptr_array_remove (self->jobs, job);
  update_status (self);
  rebuild_gallery (self);
}

static void
use_background_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ReelGenerationPanel *self = REEL_GENERATION_PANEL (widget);

  if (self->project != NULL && self->shot != NULL)
    reel_edit_set_background (self->project, self->shot, g_variant_get_string (parameter, NULL));
}

static void
remove_variant_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ReelGenerationPanel *self = REEL_GENERATION_PANEL (widget);

  if (self->project != NULL && self->shot != NULL)
    reel_edit_remove_variant (self->project, self->shot, g_variant_get_string (parameter, NULL));
}

/* "12A" → "12B" (I, O and Q skipped); "12" → "12A". */
static char *
next_shot_number (const char *number)
{
  gsize length = strlen (number);
  char last;

  if (length == 0)
    return g_strdup ("");

  last = number[length - 1];
  if (g_ascii_isupper (last) && last < 'Z')
    {
      char *next = g_strdup (number);

      do
        last++;
      while (last == 'I' || last == 'O' || last == 'Q');
      next[length - 1] = last;
      return next;
    }

  return g_strconcat (number, "A", NULL);
}

/* A number no other shot of @scene has: the next letter, else letters added ("1AA"). */
static char *
unique_shot_number (ReelScene  *scene,
                    const char *after)
{
  g_autofree char *candidate = next_shot_number (after);
  gboolean taken = TRUE;

  for (guint attempt = 0; taken && attempt < 24; attempt++)
    {
      taken = FALSE;
      for (guint i = 0; i < reel_scene_get_n_shots (scene) && !taken; i++)
        if (g_ascii_strcasecmp (reel_shot_get_number (reel_scene_get_shot (scene, i)),
                                candidate) == 0)
          taken = TRUE;

      if (taken)
        {
          g_autofree char *letters = reel_shot_number_letters (attempt);

          g_free (candidate);
          candidate = g_strconcat (after, letters, NULL);
        }
    }

  return g_steal_pointer (&candidate);
}

static void
new_shot_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  ReelGenerationPanel *self = REEL_GENERATION_PANEL (widget);
  const char *hash = g_variant_get_string (parameter, NULL);
  ReelAsset *asset;
  ReelGenerationRecord *record;
  ReelScene *scene;
  ReelHistory *history;
  g_autoptr(ReelShot) shot = NULL;
  g_autofree char *number = NULL;
  guint position = 0;

  if (self->project == NULL || self->shot == NULL)
    return;

  asset = reel_project_lookup_asset (self->project, hash);
  scene = reel_shot_get_scene (self->shot);
  if (asset == NULL || scene == NULL || !reel_scene_find_shot (scene, self->shot, &position))
    return;
  record = reel_asset_get_generation (asset);

  /* The same action and camera, moved to the angle asked for; the drawing stays with the
   * old shot, which it was drawn for. */
  shot = reel_shot_new ();
  number = reel_shot_get_number (self->shot)[0] != '\0'
             ? unique_shot_number (scene, reel_shot_get_number (self->shot)) : g_strdup ("");
  reel_shot_set_number (shot, number);
  reel_shot_set_description (shot, reel_shot_get_description (self->shot));
  reel_shot_set_dialogue (shot, reel_shot_get_dialogue (self->shot));
  reel_shot_set_cast (shot, reel_shot_get_cast (self->shot));
  reel_shot_set_size (shot, reel_shot_get_size (self->shot));
  reel_shot_set_framing (shot, reel_shot_get_framing (self->shot));
  reel_shot_set_angle (shot, reel_shot_get_angle (self->shot));
  reel_shot_set_movement (shot, reel_shot_get_movement (self->shot));
  reel_shot_set_lens_mm (shot, reel_shot_get_lens_mm (self->shot));
  reel_shot_set_camera_height_m (shot, reel_shot_get_camera_height_m (self->shot));
  reel_shot_set_duration (shot, reel_shot_get_duration (self->shot));
  if (record != NULL)
    reel_prompt_apply_angle_variant (shot, record->angle_id);

  history = reel_project_get_history (self->project);
  reel_history_begin_group (history, _("New Shot From Angle"));
  reel_edit_insert_shot (self->project, scene, position + 1, shot);
  reel_edit_add_variant (self->project, shot, asset);
  reel_edit_set_background (self->project, shot, hash);
  reel_history_end_group (history);
}

static void
open_batch (ReelGenerationPanel *self,
            gboolean             whole_project)
{
  g_autoptr(GPtrArray) shots = g_ptr_array_new_with_free_func (g_object_unref);
  GtkWidget *dialog;
  ReelScene *scene;

  if (self->project == NULL)
    return;

  scene = self->shot != NULL ? reel_shot_get_scene (self->shot) : NULL;
  for (guint i = 0; i < reel_project_get_n_scenes (self->project); i++)
    {
      ReelScene *candidate = reel_project_get_scene (self->project, i);

      if (!whole_project && candidate != scene)
        continue;
      for (guint j = 0; j < reel_scene_get_n_shots (candidate); j++)
        g_ptr_array_add (shots, g_object_ref (reel_scene_get_shot (candidate, j)));
    }

  dialog = reel_batch_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                  self->project, shots, selected_provider_id (self),
                                  (guint) gtk_spin_button_get_value_as_int (self->variants_spin));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
batch_scene_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  open_batch (REEL_GENERATION_PANEL (widget), FALSE);
}

static void
batch_project_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  open_batch (REEL_GENERATION_PANEL (widget), TRUE);
}

/* Model signals ---------------------------------------------------------------------------- */

static void
on_shot_notify (ReelGenerationPanel *self,
                GParamSpec          *pspec)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "variants") || g_str_equal (name, "background"))
    rebuild_gallery (self);
  else
    update_prompt (self);
}

static void
on_project_changed (ReelGenerationPanel *self)
{
  /* The heading, the look, the sensor: anything the prompt is built from. */
  update_prompt (self);
  update_sensitivity (self);
}

/* Provider row ↔ settings. */
static gboolean
provider_get_mapping (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  guint n_providers = 0;
  const ReelProviderInfo *providers = reel_provider_list (&n_providers);
  const char *id = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < n_providers; i++)
    if (g_str_equal (providers[i].id, id))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
provider_set_mapping (const GValue       *value,
                      const GVariantType *expected_type,
                      gpointer            user_data)
{
  guint n_providers = 0;
  const ReelProviderInfo *providers = reel_provider_list (&n_providers);

  return g_variant_new_string (providers[MIN (g_value_get_uint (value), n_providers - 1)].id);
}

/* GObject ---------------------------------------------------------------------------------- */

static void
reel_generation_panel_dispose (GObject *object)
{
  ReelGenerationPanel *self = REEL_GENERATION_PANEL (object);

  g_cancellable_cancel (self->cancellable);
  /* Images on their way are still kept with their shot: only this panel goes. */
  if (self->jobs != NULL)
    for (guint i = 0; i < self->jobs->len; i++)
      {
        Job *job = g_ptr_array_index (self->jobs, i);

        job->status_label = NULL;
        job->progress_bar = NULL;
        job->preview_picture = NULL;
        job->spinner = NULL;
      }
  g_clear_pointer (&self->jobs, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), REEL_TYPE_GENERATION_PANEL);
  g_clear_object (&self->shot_signals);
  g_clear_object (&self->project_signals);

  G_OBJECT_CLASS (reel_generation_panel_parent_class)->dispose (object);
}

static void
reel_generation_panel_finalize (GObject *object)
{
  ReelGenerationPanel *self = REEL_GENERATION_PANEL (object);

  g_clear_object (&self->project);
  g_clear_object (&self->shot);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->thumbnails, g_hash_table_unref);
  g_clear_pointer (&self->loading, g_hash_table_unref);

  G_OBJECT_CLASS (reel_generation_panel_parent_class)->finalize (object);
}

static void
reel_generation_panel_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  ReelGenerationPanel *self = REEL_GENERATION_PANEL (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_SHOT:
      g_value_set_object (value, self->shot);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_generation_panel_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  ReelGenerationPanel *self = REEL_GENERATION_PANEL (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      reel_generation_panel_set_project (self, g_value_get_object (value));
      break;
    case PROP_SHOT:
      reel_generation_panel_set_shot (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_generation_panel_class_init (ReelGenerationPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reel_generation_panel_dispose;
  object_class->finalize = reel_generation_panel_finalize;
  object_class->get_property = reel_generation_panel_get_property;
  object_class->set_property = reel_generation_panel_set_property;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, REEL_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOT] =
    g_param_spec_object ("shot", NULL, NULL, REEL_TYPE_SHOT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/reel-generation-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, ReelGenerationPanel, box);
  gtk_widget_class_bind_template_child (widget_class, ReelGenerationPanel, provider_row);
  gtk_widget_class_bind_template_child (widget_class, ReelGenerationPanel, kind_row);
  gtk_widget_class_bind_template_child (widget_class, ReelGenerationPanel, angle_row);
  gtk_widget_class_bind_template_child (widget_class, ReelGenerationPanel, variants_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelGenerationPanel, prompt_view);
  gtk_widget_class_bind_template_child (widget_class, ReelGenerationPanel, generate_button);
  gtk_widget_class_bind_template_child (widget_class, ReelGenerationPanel, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ReelGenerationPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, ReelGenerationPanel, gallery);
  gtk_widget_class_bind_template_child (widget_class, ReelGenerationPanel, empty_label);

  gtk_widget_class_install_action (widget_class, "generation.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "generation.cancel-all", NULL,
                                   cancel_all_action);
  gtk_widget_class_install_action (widget_class, "generation.rebuild-prompt", NULL,
                                   rebuild_prompt_action);
  gtk_widget_class_install_action (widget_class, "generation.retry", "u", retry_action);
  gtk_widget_class_install_action (widget_class, "generation.dismiss", "u", dismiss_action);
  gtk_widget_class_install_action (widget_class, "generation.use-background", "s",
                                   use_background_action);
  gtk_widget_class_install_action (widget_class, "generation.remove-variant", "s",
                                   remove_variant_action);
  gtk_widget_class_install_action (widget_class, "generation.new-shot", "s", new_shot_action);
  gtk_widget_class_install_action (widget_class, "generation.batch-scene", NULL,
                                   batch_scene_action);
  gtk_widget_class_install_action (widget_class, "generation.batch-project", NULL,
                                   batch_project_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "reelgenerationpanel");
}

static void
reel_generation_panel_init (ReelGenerationPanel *self)
{
  g_autoptr(GtkStringList) providers = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) angles = gtk_string_list_new (NULL);
  guint n_providers = 0;
  guint n_angles = 0;
  const ReelProviderInfo *provider_infos = reel_provider_list (&n_providers);
  const ReelAngleVariant *angle_variants = reel_prompt_get_angle_variants (&n_angles);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) job_unref);
  self->thumbnails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->loading = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();

  for (guint i = 0; i < n_providers; i++)
    gtk_string_list_append (providers, g_dgettext (GETTEXT_PACKAGE,
                                                   provider_infos[i].display_name));
  adw_combo_row_set_model (self->provider_row, G_LIST_MODEL (providers));
  for (guint i = 0; i < n_angles; i++)
    gtk_string_list_append (angles, g_dgettext (GETTEXT_PACKAGE, angle_variants[i].label));
  adw_combo_row_set_model (self->angle_row, G_LIST_MODEL (angles));

  self->settings = g_settings_new (BASE_APPLICATION_ID);
  g_settings_bind_with_mapping (self->settings, "default-provider", self->provider_row,
                                "selected", G_SETTINGS_BIND_DEFAULT, provider_get_mapping,
                                provider_set_mapping, NULL, NULL);
  reel_bind_generation_variants (self->settings, GTK_SPIN_BUTTON (self->variants_spin));

  g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (on_kind_changed),
                            self);
  g_signal_connect_swapped (self->provider_row, "notify::selected",
                            G_CALLBACK (on_provider_changed), self);
  on_provider_changed (self);
  g_signal_connect_swapped (self->angle_row, "notify::selected", G_CALLBACK (on_angle_changed),
                            self);
  g_signal_connect (gtk_text_view_get_buffer (self->prompt_view), "changed",
                    G_CALLBACK (on_prompt_changed), self);

  self->shot_signals = g_signal_group_new (REEL_TYPE_SHOT);
  g_signal_group_connect_swapped (self->shot_signals, "notify", G_CALLBACK (on_shot_notify),
                                  self);
  self->project_signals = g_signal_group_new (REEL_TYPE_PROJECT);
  g_signal_group_connect_swapped (self->project_signals, "changed",
                                  G_CALLBACK (on_project_changed), self);

  update_sensitivity (self);
  update_status (self);
  rebuild_gallery (self);
}

/**
 * reel_generation_panel_new:
 *
 * Returns: (transfer full): a new panel
 */
GtkWidget *
reel_generation_panel_new (void)
{
  return g_object_new (REEL_TYPE_GENERATION_PANEL, NULL);
}

ReelProject *
reel_generation_panel_get_project (ReelGenerationPanel *self)
{
  g_return_val_if_fail (REEL_IS_GENERATION_PANEL (self), NULL);
  return self->project;
}

void
reel_generation_panel_set_project (ReelGenerationPanel *self,
                                   ReelProject         *project)
{
  g_return_if_fail (REEL_IS_GENERATION_PANEL (self));
  g_return_if_fail (project == NULL || REEL_IS_PROJECT (project));

  if (!g_set_object (&self->project, project))
    return;

  g_signal_group_set_target (self->project_signals, project);
  /* Thumbnails belong to the project's assets. */
  g_hash_table_remove_all (self->thumbnails);
  if (self->shot != NULL && project == NULL)
    reel_generation_panel_set_shot (self, NULL);

  update_sensitivity (self);
  update_prompt (self);
  rebuild_gallery (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

ReelShot *
reel_generation_panel_get_shot (ReelGenerationPanel *self)
{
  g_return_val_if_fail (REEL_IS_GENERATION_PANEL (self), NULL);
  return self->shot;
}

void
reel_generation_panel_set_shot (ReelGenerationPanel *self,
                                ReelShot            *shot)
{
  g_return_if_fail (REEL_IS_GENERATION_PANEL (self));
  g_return_if_fail (shot == NULL || REEL_IS_SHOT (shot));

  if (!g_set_object (&self->shot, shot))
    return;

  g_signal_group_set_target (self->shot_signals, shot);
  drop_other_thumbnails (self);
  reel_memory_trim_soon ();
  /* A new shot, a new prompt: an edit made for the last one does not carry over. */
  self->prompt_edited = FALSE;
  update_sensitivity (self);
  update_prompt (self);
  rebuild_gallery (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOT]);
}

char *
reel_generation_panel_dup_prompt (ReelGenerationPanel *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (REEL_IS_GENERATION_PANEL (self), NULL);

  buffer = gtk_text_view_get_buffer (self->prompt_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

guint
reel_generation_panel_get_n_pending (ReelGenerationPanel *self)
{
  guint running = 0;

  g_return_val_if_fail (REEL_IS_GENERATION_PANEL (self), 0);

  for (guint i = 0; i < self->jobs->len; i++)
    if (((Job *) g_ptr_array_index (self->jobs, i))->running)
      running++;
  return running;
}

guint
reel_generation_panel_get_n_thumbnails (ReelGenerationPanel *self)
{
  g_return_val_if_fail (REEL_IS_GENERATION_PANEL (self), 0);

  return g_hash_table_size (self->thumbnails);
}
