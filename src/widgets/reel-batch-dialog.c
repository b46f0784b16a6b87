/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-batch-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ai/reel-ai-error.h"
#include "ai/reel-prompt.h"
#include "ai/reel-provider.h"
#include "ai/reel-usage.h"
#include "reel-batch-dialog.h"
#include "reel-window.h"

struct _ReelBatchDialog
{
  AdwWindow parent_instance;

  ReelProject *project;
  GPtrArray *shots;
  GSettings *settings;
  ReelProvider *provider;
  GCancellable *cancellable;
  /* The jobs of the window it was opened from: a run is one of them. */
  ReelJobs *owner;
  GPtrArray *queue;        /* the shots this run goes through */
  guint current;
  guint done;
  guint failed;
  guint images;
  guint same;        /* made, but the same bytes as a variant the shot had */
  gboolean running;
  GString *errors;
  ReelUsageTotals *usage;     /* what the services reported, per provider */

  AdwWindowTitle *window_title;
  GtkWidget *settings_group;
  AdwComboRow *provider_row;
  GtkSpinButton *variants_spin;
  GtkSwitch *missing_switch;
  GtkProgressBar *progress_bar;
  GtkLabel *status_label;
  GtkButton *cancel_button;
  GtkWidget *start_button;
};

G_DEFINE_FINAL_TYPE (ReelBatchDialog, reel_batch_dialog, ADW_TYPE_WINDOW)

static void next_shot (ReelBatchDialog *self);

static gboolean
error_stops_batch (const GError *error)
{
  /* What the next shot would hit too. */
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
         || g_error_matches (error, REEL_AI_ERROR, REEL_AI_ERROR_NO_KEY)
         || g_error_matches (error, REEL_AI_ERROR, REEL_AI_ERROR_AUTH)
         || g_error_matches (error, REEL_AI_ERROR, REEL_AI_ERROR_QUOTA)
         || g_error_matches (error, REEL_AI_ERROR, REEL_AI_ERROR_CONFIG)
         || g_error_matches (error, REEL_AI_ERROR, REEL_AI_ERROR_NOT_LOCAL)
         || g_error_matches (error, REEL_AI_ERROR, REEL_AI_ERROR_NOT_SUPPORTED);
}

static void
show_status (ReelBatchDialog *self,
             const char      *text)
{
  gtk_label_set_label (self->status_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL && text[0] != '\0');
}

static void
finish (ReelBatchDialog *self,
        gboolean         stopped)
{
  g_autofree char *summary = NULL;
  g_autofree char *usage = self->usage != NULL ? reel_usage_totals_format (self->usage) : NULL;

  self->running = FALSE;
  if (self->owner != NULL)
    reel_jobs_remove (self->owner, self->cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.start", FALSE);
  gtk_button_set_label (self->cancel_button, _("_Close"));
  gtk_widget_set_sensitive (self->settings_group, TRUE);
  gtk_progress_bar_set_text (self->progress_bar, stopped ? _("Stopped") : _("Done"));
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 self->queue->len > 0
                                   ? (double) self->current / self->queue->len : 1.0);

  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u image made for %u of %u shots.",
                                          "%u images made for %u of %u shots.", self->images),
                             self->images, self->done, self->queue->len);
  if (self->same > 0)
    {
      g_autofree char *same = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u more had the same bytes as "
                                                            "another variant and was not "
                                                            "added again.",
                                                            "%u more had the same bytes as "
                                                            "other variants and were not added "
                                                            "again.", self->same),
                                               self->same);
      char *both = g_strdup_printf ("%s %s", summary, same);

      g_free (summary);
      summary = both;
    }
  if (stopped)
    {
      g_autofree char *text = g_strdup_printf ("%s %s", _("Stopped."), summary);

      g_string_prepend (self->errors, "\n");
      g_string_prepend (self->errors, text);
    }
  else
    {
      g_string_prepend (self->errors, self->errors->len > 0 ? "\n" : "");
      g_string_prepend (self->errors, summary);
    }
  /* What it cost, as the services said, under the count. */
  if (usage != NULL)
    {
      gsize line_end = strcspn (self->errors->str, "\n");

      g_string_insert (self->errors, line_end, usage);
      g_string_insert_c (self->errors, line_end, '\n');
    }
  show_status (self, self->errors->str);
}

static void
on_generated (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ReelBatchDialog) self = user_data;
  ReelShot *shot = g_ptr_array_index (self->queue, self->current);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;

  assets = reel_generator_generate_finish (REEL_GENERATOR (object), result, &error);
  /* Late: the run was stopped, or its window closed, while the service answered. */
  if (assets != NULL && !reel_jobs_accepts_result (self->owner, self->cancellable))
    {
      g_clear_pointer (&assets, g_ptr_array_unref);
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
    }
  if (assets != NULL)
    {
      guint kept = reel_generation_keep (self->project, shot, assets);

      reel_usage_totals_add_assets (self->usage, assets);
      self->done++;
      self->images += kept;
      self->same += assets->len - kept;
    }
  else
    {
      const char *number = reel_shot_get_number (shot);

      self->failed++;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        /* Translators: "Shot 12A: <the error>" */
        g_string_append_printf (self->errors, _("Shot %s: %s\n"),
                                number[0] != '\0' ? number : "?", error->message);
      if (error_stops_batch (error))
        {
          self->current++;
          finish (self, TRUE);
          return;
        }
    }

  self->current++;
  next_shot (self);
}

static void
next_shot (ReelBatchDialog *self)
{
  g_autoptr(ReelGenerationRequest) request = NULL;
  g_autofree char *text = NULL;
  ReelShot *shot;
  guint variants = (guint) gtk_spin_button_get_value_as_int (self->variants_spin);

  if (self->current >= self->queue->len || g_cancellable_is_cancelled (self->cancellable))
    {
      finish (self, g_cancellable_is_cancelled (self->cancellable));
      return;
    }

  shot = g_ptr_array_index (self->queue, self->current);
  text = g_strdup_printf (_("Shot %u of %u"), self->current + 1, self->queue->len);
  gtk_progress_bar_set_text (self->progress_bar, text);
  gtk_progress_bar_set_fraction (self->progress_bar, (double) self->current / self->queue->len);

  request = reel_prompt_new_request (self->project, shot, REEL_GENERATION_BACKGROUND, NULL, NULL,
                                     variants);
  reel_generator_generate_async (REEL_GENERATOR (self->provider), request, NULL, NULL,
                                 self->cancellable, on_generated, g_object_ref (self));
}

static const char *
selected_provider_id (ReelBatchDialog *self)
{
  guint n_providers = 0;
  const ReelProviderInfo *providers = reel_provider_list (&n_providers);
  guint selected = adw_combo_row_get_selected (self->provider_row);
  guint row = 0;

  /* The rows skip the providers that make clips only. */
  for (guint i = 0; i < n_providers; i++)
    {
      if ((providers[i].capabilities & REEL_GENERATOR_TEXT_TO_IMAGE) == 0)
        continue;
      if (row++ == selected)
        return providers[i].id;
    }
  return REEL_PROVIDER_DEFAULT;
}

void
reel_batch_dialog_start (ReelBatchDialog *self)
{
  g_autoptr(GError) error = NULL;
  gboolean only_missing;

  g_return_if_fail (REEL_IS_BATCH_DIALOG (self));

  if (self->running)
    return;

  g_clear_object (&self->provider);
  self->provider = reel_provider_new_for_id (selected_provider_id (self), &error);
  if (self->provider == NULL)
    {
      show_status (self, error->message);
      return;
    }
  reel_provider_apply_settings (self->provider, self->settings);

  only_missing = gtk_switch_get_active (self->missing_switch);
  g_ptr_array_set_size (self->queue, 0);
  for (guint i = 0; i < self->shots->len; i++)
    {
      ReelShot *shot = g_ptr_array_index (self->shots, i);

      if (only_missing && reel_shot_get_background (shot) != NULL)
        continue;
      g_ptr_array_add (self->queue, g_object_ref (shot));
    }

  self->running = TRUE;
  self->current = self->done = self->failed = self->images = self->same = 0;
  g_string_truncate (self->errors, 0);
  g_clear_pointer (&self->usage, reel_usage_totals_free);
  self->usage = reel_usage_totals_new ();
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->owner != NULL)
    reel_jobs_add (self->owner, self->cancellable);

  gtk_widget_set_sensitive (self->settings_group, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.start", FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  show_status (self, NULL);
  next_shot (self);
}

gboolean
reel_batch_dialog_is_running (ReelBatchDialog *self)
{
  g_return_val_if_fail (REEL_IS_BATCH_DIALOG (self), FALSE);
  return self->running;
}

guint
reel_batch_dialog_get_n_done (ReelBatchDialog *self)
{
  g_return_val_if_fail (REEL_IS_BATCH_DIALOG (self), 0);
  return self->done;
}

guint
reel_batch_dialog_get_n_failed (ReelBatchDialog *self)
{
  g_return_val_if_fail (REEL_IS_BATCH_DIALOG (self), 0);
  return self->failed;
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  reel_batch_dialog_start (REEL_BATCH_DIALOG (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ReelBatchDialog *self = REEL_BATCH_DIALOG (widget);

  if (self->running)
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static gboolean
reel_batch_dialog_close_request (GtkWindow *window)
{
  ReelBatchDialog *self = REEL_BATCH_DIALOG (window);

  /* What was made is already with its shots; the shot in progress is abandoned. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (reel_batch_dialog_parent_class)->close_request (window);
}

static void
reel_batch_dialog_dispose (GObject *object)
{
  ReelBatchDialog *self = REEL_BATCH_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), REEL_TYPE_BATCH_DIALOG);

  G_OBJECT_CLASS (reel_batch_dialog_parent_class)->dispose (object);
}

static void
reel_batch_dialog_finalize (GObject *object)
{
  ReelBatchDialog *self = REEL_BATCH_DIALOG (object);

  g_clear_object (&self->project);
  g_clear_pointer (&self->shots, g_ptr_array_unref);
  g_clear_pointer (&self->queue, g_ptr_array_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->provider);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->owner);
  g_string_free (self->errors, TRUE);
  g_clear_pointer (&self->usage, reel_usage_totals_free);

  G_OBJECT_CLASS (reel_batch_dialog_parent_class)->finalize (object);
}

static void
reel_batch_dialog_class_init (ReelBatchDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = reel_batch_dialog_dispose;
  object_class->finalize = reel_batch_dialog_finalize;
  window_class->close_request = reel_batch_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/reel-batch-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ReelBatchDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, ReelBatchDialog, settings_group);
  gtk_widget_class_bind_template_child (widget_class, ReelBatchDialog, provider_row);
  gtk_widget_class_bind_template_child (widget_class, ReelBatchDialog, variants_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelBatchDialog, missing_switch);
  gtk_widget_class_bind_template_child (widget_class, ReelBatchDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, ReelBatchDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, ReelBatchDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ReelBatchDialog, start_button);

  gtk_widget_class_install_action (widget_class, "batch.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "batch.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "batch.cancel", NULL);
}

static void
reel_batch_dialog_init (ReelBatchDialog *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint n_providers = 0;
  const ReelProviderInfo *providers = reel_provider_list (&n_providers);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->errors = g_string_new (NULL);
  self->queue = g_ptr_array_new_with_free_func (g_object_unref);
  self->settings = g_settings_new (BASE_APPLICATION_ID);

  /* Stills only: a batch of clips is not something to start by accident. */
  for (guint i = 0; i < n_providers; i++)
    if ((providers[i].capabilities & REEL_GENERATOR_TEXT_TO_IMAGE) != 0)
      gtk_string_list_append (names, g_dgettext (GETTEXT_PACKAGE, providers[i].display_name));
  adw_combo_row_set_model (self->provider_row, G_LIST_MODEL (names));
}

/**
 * reel_batch_dialog_new:
 *
 * Returns: (transfer full): the dialog, not yet shown
 */
GtkWidget *
reel_batch_dialog_new (GtkWindow   *parent,
                       ReelProject *project,
                       GPtrArray   *shots,
                       const char  *provider_id,
                       guint        variants)
{
  ReelBatchDialog *self;
  guint n_providers = 0;
  const ReelProviderInfo *providers = reel_provider_list (&n_providers);
  g_autofree char *subtitle = NULL;
  guint row = 0;

  g_return_val_if_fail (REEL_IS_PROJECT (project), NULL);
  g_return_val_if_fail (shots != NULL, NULL);

  self = g_object_new (REEL_TYPE_BATCH_DIALOG, "transient-for", parent, NULL);
  self->project = g_object_ref (project);
  if (REEL_IS_WINDOW (parent))
    {
      self->owner = g_object_ref (reel_window_get_jobs (REEL_WINDOW (parent)));
      /* Its run is cancelled with the window: nothing left to show. */
      gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
    }
  self->shots = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < shots->len; i++)
    g_ptr_array_add (self->shots, g_object_ref (g_ptr_array_index (shots, i)));

  /* The rows list the still-image providers in the order of reel_provider_list(). */
  for (guint i = 0; i < n_providers; i++)
    {
      if ((providers[i].capabilities & REEL_GENERATOR_TEXT_TO_IMAGE) == 0)
        continue;
      if (g_strcmp0 (providers[i].id, provider_id) == 0)
        adw_combo_row_set_selected (self->provider_row, row);
      row++;
    }
  gtk_spin_button_set_value (self->variants_spin, CLAMP (variants, 1, 8));

  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u shot", "%u shots", shots->len),
                              shots->len);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.start", shots->len > 0);

  return GTK_WIDGET (self);
}
