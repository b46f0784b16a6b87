/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-window"

#include "config.h"

#include <glib/gi18n.h>

#include "core/reel-panel.h"
#include "storage/reel-fdx.h"
#include "storage/reel-fountain.h"
#include "storage/reel-project-file-set.h"
#include "storage/reel-project-file.h"

#include "reel-canvas.h"
#include "reel-window-private.h"

/* How many projects the Open button's menu lists. */
#define MAX_RECENT_PROJECTS 10

/* Recent files */

static gboolean
is_project_uri (const char *uri,
                const char *mime_type)
{
  return g_strcmp0 (mime_type, REEL_PROJECT_FILE_MIME_TYPE) == 0 ||
         g_str_has_suffix (uri, REEL_PROJECT_FILE_EXTENSION);
}

static int
compare_recent_newest_first (gconstpointer a,
                             gconstpointer b)
{
  GtkRecentInfo *info_a = *(GtkRecentInfo **) a;
  GtkRecentInfo *info_b = *(GtkRecentInfo **) b;
  GDateTime *time_a = gtk_recent_info_get_modified (info_a);
  GDateTime *time_b = gtk_recent_info_get_modified (info_b);

  return g_date_time_compare (time_b, time_a);
}

static void
reel_window_update_recent_menu (ReelWindow *self)
{
  g_autoptr(GPtrArray) infos = NULL;
  GList *items = gtk_recent_manager_get_items (self->recent_manager);

  infos = g_ptr_array_new_with_free_func ((GDestroyNotify) gtk_recent_info_unref);
  for (GList *l = items; l != NULL; l = l->next)
    {
      GtkRecentInfo *info = l->data;

      if (is_project_uri (gtk_recent_info_get_uri (info), gtk_recent_info_get_mime_type (info)) &&
          gtk_recent_info_exists (info))
        g_ptr_array_add (infos, gtk_recent_info_ref (info));
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
  g_ptr_array_sort (infos, compare_recent_newest_first);

  g_menu_remove_all (self->recent_menu);
  for (guint i = 0; i < MIN (infos->len, MAX_RECENT_PROJECTS); i++)
    {
      GtkRecentInfo *info = g_ptr_array_index (infos, i);
      g_autoptr(GMenuItem) item = NULL;
      g_autofree char *label = NULL;

      label = g_strdup (gtk_recent_info_get_display_name (info));
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target (item, "win.open-recent", "s",
                                         gtk_recent_info_get_uri (info));
      g_menu_append_item (self->recent_menu, item);
    }

  if (infos->len == 0)
    /* An item without an action is shown insensitive: it explains the empty menu. */
    g_menu_append (self->recent_menu, _("No Recent Projects"), "win.no-recent-projects");
}

void
_reel_window_add_recent (ReelWindow *self,
                         GFile      *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  GtkRecentData data = {
    .display_name = NULL,
    .description = NULL,
    .mime_type = (char *) REEL_PROJECT_FILE_MIME_TYPE,
    .app_name = (char *) g_get_application_name (),
    .app_exec = (char *) "storyreel %u",
    .groups = NULL,
    .is_private = FALSE,
  };

  gtk_recent_manager_add_full (self->recent_manager, uri, &data);
}

static void
reel_window_open_recent (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  ReelWindow *self = REEL_WINDOW (widget);
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (param, NULL));
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  /* The application decides the window: one that has it open already, this one when
   * it is pristine, or a new one. */
  if (application != NULL)
    g_application_open (G_APPLICATION (application), &file, 1, "");
  else
    reel_window_open_file (self, file);
}

/* Opening */

/* The window shows another project: a gesture still open on the old one (a drag
 * whose release never came) ends here, as one step of the old history. */
static void
switch_project (ReelWindow  *self,
                ReelProject *project)
{
  if (self->project != NULL)
    reel_history_close_groups (reel_project_get_history (self->project));
  reel_window_set_project (self, project);
}

typedef struct
{
  GFile    *file;
  gboolean  decode_background;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->file);
  g_free (data);
}

/* The background of the shot the window will show first, decoded into the panels' image
 * cache on the thread that read the project: the Board's first panel then only scales it,
 * and the decode overlaps GTK's layout of the window instead of following the project's
 * arrival. */
static void
decode_first_background (ReelProject *project)
{
  for (guint i = 0; i < reel_project_get_n_scenes (project); i++)
    {
      ReelScene *scene = reel_project_get_scene (project, i);
      const char *background;
      ReelAsset *asset;
      cairo_surface_t *surface;

      if (reel_scene_get_n_shots (scene) == 0)
        continue;

      background = reel_shot_get_background (reel_scene_get_shot (scene, 0));
      asset = background != NULL ? reel_project_lookup_asset (project, background) : NULL;
      if (asset == NULL || reel_asset_is_video (asset))
        return;

      /* A failure shows when the canvas meets it. */
      surface = reel_panel_lookup_surface (asset, NULL);
      g_clear_pointer (&surface, cairo_surface_destroy);
      return;
    }
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;
  ReelProject *project = reel_project_file_load (data->file, cancellable, &error);

  if (project == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (data->decode_background)
    decode_first_background (project);
  g_task_return_pointer (task, project, g_object_unref);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(ReelWindow) self = user_data;
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = g_task_propagate_pointer (G_TASK (result), &error);
  _reel_window_release_busy (self);

  if (project == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _reel_window_show_error (self, _("Could Not Open the Project"), error);
      return;
    }

  switch_project (self, project);
  if (self->file != NULL)
    _reel_window_add_recent (self, self->file);
}

void
reel_window_open_file (ReelWindow *self,
                       GFile      *file)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (REEL_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  _reel_window_hold_busy (self);
  data = g_new0 (LoadData, 1);
  data->file = g_object_ref (file);
  /* Unless the Board draws gray-box views instead of backgrounds. */
  data->decode_background =
    !reel_canvas_get_greybox_background (REEL_CANVAS (reel_board_view_get_canvas (self->board_view)));
  task = g_task_new (NULL, self->cancellable, load_cb, g_object_ref (self));
  g_task_set_source_tag (task, reel_window_open_file);
  g_task_set_name (task, "[storyreel] open project");
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

static void
import_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ReelWindow) self = user_data;
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(GError) error = NULL;
  ReelWindow *target = self;
  g_autofree char *message = NULL;
  AdwToast *toast;
  guint n_scenes;

  if (g_async_result_is_tagged (result, reel_fdx_import_async))
    project = reel_fdx_import_finish (result, &error);
  else
    project = reel_fountain_import_finish (result, &error);
  _reel_window_release_busy (self);

  if (project == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _reel_window_show_error (self, _("Could Not Import the Screenplay"), error);
      return;
    }

  if (reel_window_is_pristine (self))
    switch_project (self, project);
  else
    {
      GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

      target = reel_window_new_for_project (ADW_APPLICATION (application), project);
      gtk_window_present (GTK_WINDOW (target));
    }

  n_scenes = reel_project_get_n_scenes (project);
  message = g_strdup_printf (ngettext ("Imported %u scene", "Imported %u scenes", n_scenes),
                             n_scenes);
  toast = adw_toast_new (message);
  adw_toast_overlay_add_toast (target->toast_overlay, toast);
}

void
reel_window_import_script (ReelWindow *self,
                           GFile      *file)
{
  g_autofree char *basename = NULL;
  g_autofree char *folded = NULL;

  g_return_if_fail (REEL_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  /* By its name: nothing is read on the main thread. */
  basename = g_file_get_basename (file);
  folded = basename != NULL ? g_utf8_strdown (basename, -1) : NULL;

  _reel_window_hold_busy (self);
  if (folded != NULL && g_str_has_suffix (folded, ".fdx"))
    reel_fdx_import_async (file, self->cancellable, import_cb, g_object_ref (self));
  else
    reel_fountain_import_async (file, self->cancellable, import_cb, g_object_ref (self));
}

/* Saving */

typedef struct
{
  ReelWindow *self;
  GFile *file;
  gboolean close_after;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->file);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveData, save_data_free)

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SaveData) data = user_data;
  ReelWindow *self = data->self;
  g_autoptr(GError) error = NULL;

  _reel_window_release_busy (self);

  if (!reel_project_file_save_finish (REEL_PROJECT (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _reel_window_show_error (self, _("Could Not Save the Project"), error);
      return;
    }

  _reel_window_sync_file (self);
  _reel_window_add_recent (self, data->file);

  if (data->close_after)
    {
      self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
}

static void
reel_window_save_to (ReelWindow *self,
                     GFile      *file,
                     gboolean    close_after)
{
  SaveData *data = g_new0 (SaveData, 1);

  data->self = g_object_ref (self);
  data->file = g_object_ref (file);
  data->close_after = close_after;

  _reel_window_hold_busy (self);
  /* What is saved is a finished step: undo leads back to it. */
  reel_history_close_groups (reel_project_get_history (self->project));
  /* Not the window's cancellable: closing the window must not abort a save. */
  reel_project_file_save_async (self->project, file, REEL_PROJECT_FILE_SAVE_DEFAULT, NULL,
                                save_cb, data);
}

static void
replace_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  g_autoptr(SaveData) data = user_data;

  if (g_str_equal (response, "replace"))
    reel_window_save_to (data->self, data->file, data->close_after);
}

static void
save_as_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  g_autoptr(SaveData) data = user_data;
  ReelWindow *self = data->self;
  g_autoptr(GFile) chosen = NULL;
  g_autofree char *basename = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    goto out;

  chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  basename = g_file_get_basename (chosen);

  if (!g_str_has_suffix (basename, REEL_PROJECT_FILE_EXTENSION))
    {
      g_autofree char *with_extension = g_strconcat (basename, REEL_PROJECT_FILE_EXTENSION,
                                                     NULL);
      g_autoptr(GFile) parent = g_file_get_parent (chosen);
      g_autoptr(GFile) file = g_file_get_child (parent, with_extension);

      /* The chooser asked about the name as typed, not about this one. */
      if (g_file_query_exists (file, NULL))
        {
          AdwMessageDialog *question;

          question = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                                 _("Replace the File?"), NULL));
          adw_message_dialog_format_body (question,
                                          _("“%s” already exists. Replacing it overwrites "
                                            "its contents."),
                                          with_extension);
          adw_message_dialog_add_responses (question,
                                            "cancel", _("_Cancel"),
                                            "replace", _("_Replace"),
                                            NULL);
          adw_message_dialog_set_response_appearance (question, "replace",
                                                      ADW_RESPONSE_DESTRUCTIVE);
          adw_message_dialog_set_default_response (question, "cancel");
          adw_message_dialog_set_close_response (question, "cancel");
          g_set_object (&data->file, file);
          g_signal_connect (question, "response", G_CALLBACK (replace_response_cb),
                            g_steal_pointer (&data));
          gtk_window_present (GTK_WINDOW (question));
          goto out;
        }

      g_set_object (&chosen, file);
    }

  reel_window_save_to (self, chosen, data->close_after);

out:
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
reel_window_save_as_full (ReelWindow *self,
                          gboolean    close_after)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  SaveData *data = g_new0 (SaveData, 1);

  data->self = g_object_ref (self);
  data->close_after = close_after;

  chooser = gtk_file_chooser_native_new (_("Save Project"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Storyreel Projects"));
  gtk_file_filter_add_mime_type (filter, REEL_PROJECT_FILE_MIME_TYPE);
  gtk_file_filter_add_suffix (filter, "storyreel");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);

  if (self->file != NULL)
    gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), self->file, NULL);
  else
    {
      const char *title = reel_project_get_title (self->project);
      g_autofree char *name = NULL;

      name = g_strconcat (*title != '\0' ? title : _("Untitled Project"),
                          REEL_PROJECT_FILE_EXTENSION, NULL);
      /* A title may hold a slash; a file name may not. */
      g_strdelimit (name, "/", '-');
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
    }

  g_signal_connect (chooser, "response", G_CALLBACK (save_as_response_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
reel_window_save (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  ReelWindow *self = REEL_WINDOW (widget);

  if (self->file == NULL)
    reel_window_save_as_full (self, FALSE);
  else
    reel_window_save_to (self, self->file, FALSE);
}

static void
reel_window_save_as (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  reel_window_save_as_full (REEL_WINDOW (widget), FALSE);
}

/* Closing */

static gboolean
close_later_cb (gpointer user_data)
{
  ReelWindow *self = user_data;

  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));

  return G_SOURCE_REMOVE;
}

static void
close_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   ReelWindow       *self)
{
  self->close_dialog = NULL;

  if (g_str_equal (response, "discard"))
    {
      if (self->autosave != NULL)
        reel_autosave_discard (self->autosave);
      /* Once the dialog, which is transient for this window, has gone. */
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_later_cb, g_object_ref (self),
                       g_object_unref);
    }
  else if (g_str_equal (response, "save"))
    {
      if (self->file != NULL)
        reel_window_save_to (self, self->file, TRUE);
      else
        reel_window_save_as_full (self, TRUE);
    }
}

gboolean
_reel_window_confirm_close (ReelWindow *self)
{
  AdwMessageDialog *dialog;
  g_autofree char *name = NULL;

  if (self->project == NULL || !reel_project_get_modified (self->project))
    return TRUE;

  if (self->close_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->close_dialog));
      return FALSE;
    }

  if (self->file != NULL)
    name = g_file_get_basename (self->file);
  else if (*reel_project_get_title (self->project) != '\0')
    name = g_strdup (reel_project_get_title (self->project));
  else
    name = g_strdup (_("Untitled Project"));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Save Changes?"), NULL));
  adw_message_dialog_format_body (dialog,
                                  _("“%s” has unsaved changes. Changes which are not saved "
                                    "will be permanently lost."),
                                  name);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (close_response_cb), self, 0);

  self->close_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));

  return FALSE;
}

static void
close_when_done_cb (ReelJobs   *jobs,
                    GParamSpec *pspec,
                    ReelWindow *self)
{
  if (reel_jobs_get_n_running (jobs) > 0)
    return;

  g_clear_signal_handler (&self->close_when_done_handler, jobs);
  /* The results are in the project now: the unsaved-changes question comes next. */
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
close_jobs_later_cb (gpointer user_data)
{
  ReelWindow *self = user_data;

  gtk_window_close (GTK_WINDOW (self));

  return G_SOURCE_REMOVE;
}

static void
jobs_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  ReelWindow       *self)
{
  self->jobs_dialog = NULL;

  if (g_str_equal (response, "wait"))
    {
      if (self->close_when_done_handler == 0)
        self->close_when_done_handler =
          g_signal_connect_object (self->jobs, "notify::n-running",
                                   G_CALLBACK (close_when_done_cb), self, 0);
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("The window closes when the generations "
                                                    "have finished")));
    }
  else if (g_str_equal (response, "stop"))
    {
      reel_jobs_cancel_all (self->jobs);
      /* Once the dialog, which is transient for this window, has gone. */
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_jobs_later_cb, g_object_ref (self),
                       g_object_unref);
    }
}

gboolean
_reel_window_confirm_close_jobs (ReelWindow *self)
{
  AdwMessageDialog *dialog;
  guint n_running = reel_jobs_get_n_running (self->jobs);

  if (n_running == 0)
    return TRUE;

  if (self->jobs_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->jobs_dialog));
      return FALSE;
    }

  /* Asked again while waiting: the user may change their mind and cancel now. */
  g_clear_signal_handler (&self->close_when_done_handler, self->jobs);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Generations Under Way"), NULL));
  adw_message_dialog_format_body (dialog,
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "%u image is still being generated for this "
                                               "project. Closing the window cancels it.",
                                               "%u images are still being generated for this "
                                               "project. Closing the window cancels them.",
                                               n_running),
                                  n_running);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Keep Open"),
                                    "wait", _("Close _When Finished"),
                                    "stop", _("_Cancel Them and Close"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "stop", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "wait", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "wait");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (jobs_response_cb), self, 0);

  self->jobs_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));

  return FALSE;
}

/* Autosave */

static void
autosave_failed_cb (ReelWindow   *self,
                    const GError *error)
{
  AdwToast *toast;
  g_autofree char *title = NULL;

  /* Translators: %s is the reason, e.g. "No space left on device". */
  title = g_strdup_printf (_("Could not keep a recovery copy: %s"), error->message);
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
first_autosave_cb (ReelAutosave *autosave)
{
  g_signal_handlers_disconnect_by_func (autosave, first_autosave_cb, NULL);
  reel_autosave_set_delay (autosave, REEL_AUTOSAVE_DEFAULT_DELAY_MS);
}

/* A set or camera the file held but could not give back (damaged, hostile, newer) was left
 * out while the rest opened: say so, and keep saying it until the user has read it. */
static void
show_set_errors (ReelWindow *self)
{
  g_auto(GStrv) errors = reel_project_file_dup_set_errors (self->project);
  g_autofree char *title = NULL;
  AdwToast *toast;
  guint n;

  if (errors == NULL)
    return;

  n = g_strv_length (errors);
  if (n == 1)
    title = g_strdup (errors[0]);
  else
    title = g_strdup_printf (ngettext ("%u set or camera could not be read and was left out. "
                                       "The rest of the project is intact.",
                                       "%u sets or cameras could not be read and were left out. "
                                       "The rest of the project is intact.", n), n);
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_reel_window_document_project_set (ReelWindow *self)
{
  g_clear_object (&self->autosave);

  if (self->project == NULL)
    return;

  show_set_errors (self);

  self->autosave = reel_autosave_new (self->project);
  g_signal_connect_object (self->autosave, "failed", G_CALLBACK (autosave_failed_cb), self,
                           G_CONNECT_SWAPPED);
  /* A restored project is modified from the start and has a recovery file already.
   * The autosave only deletes (on save or discard) a file it wrote itself, so it
   * writes that one again right away, then goes back to waiting for idle time. */
  if (reel_project_get_modified (self->project))
    {
      reel_autosave_set_delay (self->autosave, 0);
      g_signal_connect (self->autosave, "saved", G_CALLBACK (first_autosave_cb), NULL);
      reel_autosave_schedule (self->autosave);
    }
}

/* Set-up */

void
_reel_window_class_init_document (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.save", NULL, reel_window_save);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, reel_window_save_as);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", reel_window_open_recent);
}

void
_reel_window_init_document (ReelWindow *self)
{
  self->recent_manager = g_object_ref (gtk_recent_manager_get_default ());
  g_signal_connect_object (self->recent_manager, "changed",
                           G_CALLBACK (reel_window_update_recent_menu), self,
                           G_CONNECT_SWAPPED);
  reel_window_update_recent_menu (self);
}

void
_reel_window_dispose_document (ReelWindow *self)
{
  if (self->close_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->close_dialog));
  self->close_dialog = NULL;
  if (self->jobs_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->jobs_dialog));
  self->jobs_dialog = NULL;
  if (self->jobs != NULL)
    g_clear_signal_handler (&self->close_when_done_handler, self->jobs);

  g_clear_object (&self->autosave);
  g_clear_object (&self->recent_manager);
}
