/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-window"

#include "config.h"

#include <glib/gi18n.h>

#include "core/reel-project.h"
#include "storage/reel-project-file.h"

#include "reel-export-dialog.h"
#include "reel-thumbnailer.h"
#include "reel-window-private.h"

G_DEFINE_FINAL_TYPE (ReelWindow, reel_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_CURRENT_SHOT,
  PROP_SELECTED_SHOTS,
  PROP_FILE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * reel_window_create_empty_project:
 *
 * Returns: (transfer full): a project with one scene and one shot
 */
ReelProject *
reel_window_create_empty_project (void)
{
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(ReelScene) scene = reel_scene_new ();
  g_autoptr(ReelShot) shot = reel_shot_new ();

  reel_scene_set_number (scene, "1");
  reel_shot_set_number (shot, "1A");
  reel_scene_append_shot (scene, shot);
  reel_project_append_scene (project, scene);
  /* Building it is not an edit the user made. */
  reel_project_mark_saved (project);

  return g_steal_pointer (&project);
}

static ReelShot *
first_shot (ReelProject *project)
{
  for (guint i = 0; i < reel_project_get_n_scenes (project); i++)
    {
      ReelScene *scene = reel_project_get_scene (project, i);

      if (reel_scene_get_n_shots (scene) > 0)
        return reel_scene_get_shot (scene, 0);
    }

  return NULL;
}

static gboolean
shot_is_in_project (ReelShot    *shot,
                    ReelProject *project)
{
  ReelScene *scene = shot != NULL ? reel_shot_get_scene (shot) : NULL;

  return scene != NULL && reel_scene_get_project (scene) == project;
}

/* Selection */

static GListModel *
dup_view_selection (GtkWidget *view)
{
  GListModel *selection = NULL;

  if (view == NULL ||
      g_object_class_find_property (G_OBJECT_GET_CLASS (view), "selected-shots") == NULL)
    return NULL;

  g_object_get (view, "selected-shots", &selection, NULL);
  return selection;
}

static void
reel_window_update_selected_shots (ReelWindow *self)
{
  GtkWidget *view = adw_view_stack_get_visible_child (self->view_stack);
  g_autoptr(GListModel) view_selection = NULL;

  if (ADW_IS_BIN (view))
    view = adw_bin_get_child (ADW_BIN (view));
  view_selection = dup_view_selection (view);
  g_autoptr(GHashTable) wanted = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) ordered = g_ptr_array_new ();
  gboolean same;

  if (view_selection != NULL)
    for (guint i = 0; i < g_list_model_get_n_items (view_selection); i++)
      {
        g_autoptr(ReelShot) shot = g_list_model_get_item (view_selection, i);

        g_hash_table_add (wanted, shot);
      }

  if (g_hash_table_size (wanted) == 0 && self->current_shot != NULL)
    g_hash_table_add (wanted, self->current_shot);

  /* Project order, and only shots still in the project. */
  if (self->project != NULL)
    for (guint i = 0; i < reel_project_get_n_scenes (self->project); i++)
      {
        ReelScene *scene = reel_project_get_scene (self->project, i);

        for (guint j = 0; j < reel_scene_get_n_shots (scene); j++)
          {
            ReelShot *shot = reel_scene_get_shot (scene, j);

            if (g_hash_table_contains (wanted, shot))
              g_ptr_array_add (ordered, shot);
          }
      }

  same = ordered->len == g_list_model_get_n_items (G_LIST_MODEL (self->selected_shots));
  for (guint i = 0; same && i < ordered->len; i++)
    {
      g_autoptr(ReelShot) shot = g_list_model_get_item (G_LIST_MODEL (self->selected_shots), i);

      same = shot == g_ptr_array_index (ordered, i);
    }
  if (same)
    return;

  g_list_store_splice (self->selected_shots, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->selected_shots)),
                       ordered->pdata, ordered->len);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_SHOTS]);
  _reel_window_update_actions (self);
}

/**
 * reel_window_get_selected_shots:
 * @self: a #ReelWindow
 *
 * Returns: (transfer container) (element-type ReelShot): the shots actions apply to,
 *   in project order
 */
GPtrArray *
reel_window_get_selected_shots (ReelWindow *self)
{
  GListModel *model;
  GPtrArray *shots;

  g_return_val_if_fail (REEL_IS_WINDOW (self), NULL);

  model = G_LIST_MODEL (self->selected_shots);
  shots = g_ptr_array_new_full (g_list_model_get_n_items (model), g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (shots, g_list_model_get_item (model, i));

  return shots;
}

/* Title */

static char *
dup_folder_label (GFile *file)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *path = NULL;
  const char *home = g_get_home_dir ();

  if (parent == NULL)
    return NULL;
  if (!g_file_is_native (parent))
    return g_file_get_parse_name (parent);

  path = g_file_get_path (parent);
  if (home != NULL && g_str_has_prefix (path, home) &&
      (path[strlen (home)] == '/' || path[strlen (home)] == '\0'))
    return g_strconcat ("~", path + strlen (home), NULL);

  return g_steal_pointer (&path);
}

void
_reel_window_update_title (ReelWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  g_autofree char *window_title = NULL;
  g_autofree char *folder = NULL;
  gboolean modified = self->project != NULL && reel_project_get_modified (self->project);

  if (self->file != NULL)
    {
      name = g_file_get_basename (self->file);
      folder = dup_folder_label (self->file);
    }
  else if (self->project != NULL && *reel_project_get_title (self->project) != '\0')
    name = g_strdup (reel_project_get_title (self->project));
  else
    name = g_strdup (_("Untitled Project"));

  /* Translators: the window title of a document with unsaved changes. */
  title = modified ? g_strdup_printf (_("• %s"), name) : g_strdup (name);
  /* Translators: the window title: the document name and the application name. */
  window_title = g_strdup_printf (_("%s — Storyreel"), title);

  adw_window_title_set_title (self->document_title, title);
  adw_window_title_set_subtitle (self->document_title, folder != NULL ? folder : "");
  adw_view_switcher_title_set_title (self->switcher_title, title);
  adw_view_switcher_title_set_subtitle (self->switcher_title, folder != NULL ? folder : "");
  gtk_window_set_title (GTK_WINDOW (self), window_title);
}

/* Dialogs */

void
_reel_window_show_error (ReelWindow   *self,
                         const char   *heading,
                         const GError *error)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Busy: reading or writing the project, or, while the Board is shown, its canvas still
 * rendering the current shot's panel (its thumbnail or grey stands in). What a user waits
 * for at start is the Board drawn with its content, so the start-up probe's first frame
 * (reel-application.c) and the thumbnails (reel_thumbnailer_hold_until_painted()) wait for
 * the window not to be busy. */
static gboolean
reel_window_compute_busy (ReelWindow *self)
{
  gboolean canvas_busy = FALSE;

  if (self->busy_count > 0)
    return TRUE;
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "board") != 0)
    return FALSE;

  g_object_get (reel_board_view_get_canvas (self->board_view), "busy", &canvas_busy, NULL);
  return canvas_busy;
}

static void
reel_window_update_busy (ReelWindow *self)
{
  gboolean busy = reel_window_compute_busy (self);

  if (self->busy == busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
_reel_window_hold_busy (ReelWindow *self)
{
  if (self->busy_count++ == 0)
    {
      reel_window_update_busy (self);
      _reel_window_update_actions (self);
    }
}

void
_reel_window_release_busy (ReelWindow *self)
{
  g_return_if_fail (self->busy_count > 0);

  if (--self->busy_count == 0)
    {
      reel_window_update_busy (self);
      _reel_window_update_actions (self);
    }
}

/* The project */

/* The current shot left the project: its neighbour in the same scene takes its place,
 * as in a list where a row was deleted. Checked once the edit is over: moving a shot
 * to another scene takes it out of the project for a moment. */
static gboolean
reel_window_check_current_shot (gpointer user_data)
{
  ReelWindow *self = user_data;
  ReelShot *fallback = NULL;

  self->check_current_idle = 0;

  if (self->project == NULL || shot_is_in_project (self->current_shot, self->project))
    return G_SOURCE_REMOVE;

  if (self->current_scene != NULL &&
      reel_scene_get_project (self->current_scene) == self->project &&
      reel_scene_get_n_shots (self->current_scene) > 0)
    fallback = reel_scene_get_shot (self->current_scene,
                                    MIN (self->current_position,
                                         reel_scene_get_n_shots (self->current_scene) - 1));
  if (fallback == NULL)
    fallback = first_shot (self->project);

  reel_window_set_current_shot (self, fallback);

  return G_SOURCE_REMOVE;
}

static void
reel_window_project_changed_cb (ReelWindow  *self,
                                ReelProject *project)
{
  if (self->current_shot != NULL && shot_is_in_project (self->current_shot, project))
    {
      ReelScene *scene = reel_shot_get_scene (self->current_shot);

      g_set_object (&self->current_scene, scene);
      reel_scene_find_shot (scene, self->current_shot, &self->current_position);
    }
  else if ((self->current_shot != NULL || first_shot (project) != NULL) &&
           self->check_current_idle == 0)
    self->check_current_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE,
                                                reel_window_check_current_shot, self, NULL);

  reel_window_update_selected_shots (self);
  _reel_window_update_actions (self);
}

static void
reel_window_modified_cb (ReelWindow *self)
{
  _reel_window_update_title (self);
}

/* The file comes from storage, which knows where the project was loaded from or last
 * saved to (Save As changes it). */
void
_reel_window_sync_file (ReelWindow *self)
{
  GFile *file = self->project != NULL ? reel_project_file_get_file (self->project) : NULL;

  if (g_set_object (&self->file, file))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  _reel_window_update_title (self);
}

ReelProject *
reel_window_get_project (ReelWindow *self)
{
  g_return_val_if_fail (REEL_IS_WINDOW (self), NULL);

  return self->project;
}

void
reel_window_set_project (ReelWindow  *self,
                         ReelProject *project)
{
  g_return_if_fail (REEL_IS_WINDOW (self));
  g_return_if_fail (project == NULL || REEL_IS_PROJECT (project));

  if (self->project == project)
    return;

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);

  /* The views let go of the old shot before they see the new project. */
  reel_window_set_current_shot (self, NULL);
  g_clear_object (&self->current_scene);
  g_set_object (&self->project, project);

  if (project != NULL)
    {
      g_signal_connect_object (project, "changed",
                               G_CALLBACK (reel_window_project_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (project, "notify::modified",
                               G_CALLBACK (reel_window_modified_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (project, "notify::title",
                               G_CALLBACK (reel_window_modified_cb), self,
                               G_CONNECT_SWAPPED);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
  _reel_window_sync_file (self);

  if (project != NULL)
    reel_window_set_current_shot (self, first_shot (project));

  _reel_window_document_project_set (self);
  _reel_window_update_title (self);
  _reel_window_update_actions (self);
}

ReelShot *
reel_window_get_current_shot (ReelWindow *self)
{
  g_return_val_if_fail (REEL_IS_WINDOW (self), NULL);

  return self->current_shot;
}

void
reel_window_set_current_shot (ReelWindow *self,
                              ReelShot   *shot)
{
  g_return_if_fail (REEL_IS_WINDOW (self));
  g_return_if_fail (shot == NULL || REEL_IS_SHOT (shot));

  /* See begin_edit() in reel-window-actions.c. */
  if (self->holding_current > 0)
    return;

  if (!g_set_object (&self->current_shot, shot))
    return;

  if (shot != NULL && reel_shot_get_scene (shot) != NULL)
    {
      g_set_object (&self->current_scene, reel_shot_get_scene (shot));
      reel_scene_find_shot (self->current_scene, shot, &self->current_position);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_SHOT]);
  reel_window_update_selected_shots (self);
  _reel_window_update_actions (self);
}

/* Views that changed their current shot while the window held its own get it back. */
void
_reel_window_resync_current_shot (ReelWindow *self)
{
  if (self->project != NULL && !shot_is_in_project (self->current_shot, self->project))
    {
      g_clear_handle_id (&self->check_current_idle, g_source_remove);
      reel_window_check_current_shot (self);
      return;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_SHOT]);
  reel_window_update_selected_shots (self);
}

GFile *
reel_window_get_file (ReelWindow *self)
{
  g_return_val_if_fail (REEL_IS_WINDOW (self), NULL);

  return self->file;
}

gboolean
reel_window_get_busy (ReelWindow *self)
{
  g_return_val_if_fail (REEL_IS_WINDOW (self), FALSE);

  return reel_window_compute_busy (self);
}

gboolean
reel_window_is_pristine (ReelWindow *self)
{
  g_return_val_if_fail (REEL_IS_WINDOW (self), FALSE);

  return self->file == NULL &&
         self->busy_count == 0 &&
         reel_jobs_get_n_running (self->jobs) == 0 &&
         (self->project == NULL ||
          (!reel_project_get_modified (self->project) &&
           !reel_history_can_undo (reel_project_get_history (self->project)) &&
           reel_project_get_n_shots (self->project) <= 1 &&
           reel_project_get_n_scenes (self->project) <= 1));
}

/* Views */

static void
reel_window_bind_view (ReelWindow *self,
                       GtkWidget  *view)
{
  GObjectClass *klass = G_OBJECT_GET_CLASS (view);

  /* The views' owners add these properties; bind whichever exist. */
  if (g_object_class_find_property (klass, "project") != NULL)
    g_object_bind_property (self, "project", view, "project", G_BINDING_SYNC_CREATE);
  if (g_object_class_find_property (klass, "current-shot") != NULL)
    g_object_bind_property (self, "current-shot", view, "current-shot",
                            G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  if (g_object_class_find_property (klass, "selected-shots") != NULL)
    g_signal_connect_object (view, "notify::selected-shots",
                             G_CALLBACK (reel_window_update_selected_shots), self,
                             G_CONNECT_SWAPPED);
}

/* The Shot List and the Preview are built when their page is first shown: the window opens
 * on the board, and its first frame needs neither their widgets nor the shot list's panels
 * nor GStreamer. */
static void
reel_window_ensure_page (ReelWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  if (g_strcmp0 (name, "shot-list") == 0 && self->shot_list_view == NULL)
    {
      self->shot_list_view = g_object_new (REEL_TYPE_SHOT_LIST_VIEW, NULL);
      adw_bin_set_child (self->shot_list_page, GTK_WIDGET (self->shot_list_view));
      reel_window_bind_view (self, GTK_WIDGET (self->shot_list_view));
    }
  else if (g_strcmp0 (name, "preview") == 0 && self->preview_view == NULL)
    {
      self->preview_view = g_object_new (REEL_TYPE_PREVIEW_VIEW, NULL);
      adw_bin_set_child (self->preview_page, GTK_WIDGET (self->preview_view));
      reel_window_bind_view (self, GTK_WIDGET (self->preview_view));
    }
  else if (g_strcmp0 (name, "set") == 0 && self->set_view == NULL)
    {
      self->set_view = g_object_new (REEL_TYPE_SET_VIEW, NULL);
      adw_bin_set_child (self->set_page, GTK_WIDGET (self->set_view));
      reel_window_bind_view (self, GTK_WIDGET (self->set_view));
    }
}

static void
reel_window_save_state (ReelWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set (self->settings, "window-size", "(ii)", width, height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
reel_window_close_request (GtkWindow *window)
{
  ReelWindow *self = REEL_WINDOW (window);

  if (!self->close_confirmed &&
      (!_reel_window_confirm_close_jobs (self) || !_reel_window_confirm_close (self)))
    return TRUE;

  reel_window_save_state (self);
  g_cancellable_cancel (self->cancellable);
  /* What is still on its way finds its window closed and drops its result. */
  reel_jobs_close (self->jobs);

  return GTK_WINDOW_CLASS (reel_window_parent_class)->close_request (window);
}

static void
reel_window_show_view (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  ReelWindow *self = REEL_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, g_variant_get_string (param, NULL));
}

/* The Keyboard Shortcuts window, built the first time it is asked for: GtkApplication
 * would build one for every window at its start from gtk/help-overlay.ui, which is why
 * the resource is elsewhere. The window keeps it, hidden on close, and destroys it. */
static void
reel_window_show_help_overlay (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_PREFIX
                                                                     "/help-overlay.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }

  gtk_window_present (GTK_WINDOW (overlay));
}

static void
reel_window_dispose (GObject *object)
{
  ReelWindow *self = REEL_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->jobs != NULL)
    reel_jobs_close (self->jobs);

  _reel_window_dispose_document (self);
  g_clear_handle_id (&self->check_current_idle, g_source_remove);
  g_clear_handle_id (&self->switcher_bar_idle, g_source_remove);

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), REEL_TYPE_WINDOW);

  g_clear_object (&self->current_shot);
  g_clear_object (&self->current_scene);
  g_clear_object (&self->project);
  if (self->selected_shots != NULL)
    g_list_store_remove_all (self->selected_shots);

  G_OBJECT_CLASS (reel_window_parent_class)->dispose (object);
}

static void
reel_window_finalize (GObject *object)
{
  ReelWindow *self = REEL_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->jobs);
  g_clear_object (&self->file);
  g_clear_object (&self->selected_shots);

  G_OBJECT_CLASS (reel_window_parent_class)->finalize (object);
}

static void
reel_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ReelWindow *self = REEL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_CURRENT_SHOT:
      g_value_set_object (value, self->current_shot);
      break;
    case PROP_SELECTED_SHOTS:
      g_value_set_object (value, self->selected_shots);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, reel_window_compute_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  ReelWindow *self = REEL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      reel_window_set_project (self, g_value_get_object (value));
      break;
    case PROP_CURRENT_SHOT:
      reel_window_set_current_shot (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_window_constructed (GObject *object)
{
  ReelWindow *self = REEL_WINDOW (object);

  G_OBJECT_CLASS (reel_window_parent_class)->constructed (object);

  /* A window always shows a document. */
  if (self->project == NULL)
    {
      g_autoptr(ReelProject) project = reel_window_create_empty_project ();

      reel_window_set_project (self, project);
    }
}

static void
reel_window_class_init (ReelWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = reel_window_constructed;
  object_class->dispose = reel_window_dispose;
  object_class->finalize = reel_window_finalize;
  object_class->get_property = reel_window_get_property;
  object_class->set_property = reel_window_set_property;
  window_class->close_request = reel_window_close_request;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, REEL_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CURRENT_SHOT] =
    g_param_spec_object ("current-shot", NULL, NULL, REEL_TYPE_SHOT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SELECTED_SHOTS] =
    g_param_spec_object ("selected-shots", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (REEL_TYPE_BOARD_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/reel-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, document_title);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, undo_button);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, redo_button);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, board_view);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, shot_list_page);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, preview_page);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, set_page);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, recent_menu);

  gtk_widget_class_install_action (widget_class, "win.show-view", "s", reel_window_show_view);
  gtk_widget_class_install_action (widget_class, "win.export", NULL,
                                   reel_export_dialog_window_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL,
                                   reel_window_show_help_overlay);

  _reel_window_class_init_document (widget_class);
  _reel_window_class_init_actions (widget_class);
}

/* The view switcher at the bottom shows only in a narrow window, where the header bar has
 * no room for the one in the title: its buttons for the pages (a third of what building
 * the window's own widgets costs) are made when it is first revealed. That happens while
 * the header bar is laid out, when no widget may be added: right after. */
static gboolean
reel_window_fill_switcher_bar (gpointer user_data)
{
  ReelWindow *self = user_data;

  self->switcher_bar_idle = 0;
  adw_view_switcher_bar_set_stack (self->switcher_bar, self->view_stack);
  return G_SOURCE_REMOVE;
}

static void
reel_window_reveal_switcher_bar (ReelWindow *self)
{
  if (adw_view_switcher_bar_get_reveal (self->switcher_bar) &&
      adw_view_switcher_bar_get_stack (self->switcher_bar) == NULL &&
      self->switcher_bar_idle == 0)
    self->switcher_bar_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE,
                                               reel_window_fill_switcher_bar, self, NULL);
}

static void
reel_window_maximize_on_map (GtkWidget *widget,
                             gpointer   user_data)
{
  g_signal_handlers_disconnect_by_func (widget, reel_window_maximize_on_map, user_data);
  gtk_window_maximize (GTK_WINDOW (widget));
}

static void
reel_window_init (ReelWindow *self)
{
  int width, height;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->jobs = reel_jobs_new ();
  self->settings = g_settings_new (BASE_APPLICATION_ID);
  self->selected_shots = g_list_store_new (REEL_TYPE_SHOT);

  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    {
      gtk_window_maximize (GTK_WINDOW (self));
      /* GTK 4.8 on X11 drops a maximize asked for before the surface exists: ask again
       * once it is mapped. */
      g_signal_connect (self, "map", G_CALLBACK (reel_window_maximize_on_map), NULL);
    }

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  /* The document name sits beside the view switcher while that is shown; when the
   * window is narrow the switcher title shows the name itself. */
  g_object_bind_property (self->switcher_title, "title-visible",
                          self->document_title, "visible",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_signal_connect_object (self->switcher_bar, "notify::reveal",
                           G_CALLBACK (reel_window_reveal_switcher_bar), self, G_CONNECT_SWAPPED);
  reel_window_reveal_switcher_bar (self);

  reel_window_bind_view (self, GTK_WIDGET (self->board_view));
  g_signal_connect_object (self->view_stack, "notify::visible-child",
                           G_CALLBACK (reel_window_ensure_page), self, G_CONNECT_SWAPPED);
  reel_window_ensure_page (self);
  g_signal_connect_object (reel_board_view_get_canvas (self->board_view), "notify::busy",
                           G_CALLBACK (reel_window_update_busy), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view_stack, "notify::visible-child",
                           G_CALLBACK (reel_window_update_busy), self, G_CONNECT_SWAPPED);
  reel_thumbnailer_hold_until_painted (GTK_WIDGET (self));
  g_signal_connect_object (self->view_stack, "notify::visible-child",
                           G_CALLBACK (reel_window_update_selected_shots), self,
                           G_CONNECT_SWAPPED);

  _reel_window_init_document (self);
  _reel_window_init_actions (self);
  _reel_window_init_dnd (self);
}

/* Property notifications are held back while a window is constructed and then come
 * all at once, in an order where a view may answer "project" by clearing the current
 * shot: settle it afterwards. */
static ReelWindow *
settle_current_shot (ReelWindow *self)
{
  if (self->current_shot == NULL && self->project != NULL)
    reel_window_set_current_shot (self, first_shot (self->project));

  return self;
}

ReelWindow *
reel_window_new (AdwApplication *application)
{
  return settle_current_shot (g_object_new (REEL_TYPE_WINDOW, "application", application, NULL));
}

ReelWindow *
reel_window_new_for_project (AdwApplication *application,
                             ReelProject    *project)
{
  g_return_val_if_fail (REEL_IS_PROJECT (project), NULL);

  return settle_current_shot (g_object_new (REEL_TYPE_WINDOW,
                                           "application", application,
                                           "project", project,
                                           NULL));
}

ReelJobs *
reel_window_get_jobs (ReelWindow *self)
{
  g_return_val_if_fail (REEL_IS_WINDOW (self), NULL);

  return self->jobs;
}

void
reel_window_cancel_jobs (ReelWindow *self)
{
  g_return_if_fail (REEL_IS_WINDOW (self));

  reel_jobs_cancel_all (self->jobs);
}
