/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-window"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-board-view.h"
#include "reel-preview-view.h"
#include "reel-shot-list-view.h"
#include "reel-window.h"

struct _ReelWindow
{
  AdwApplicationWindow parent_instance;

  GSettings *settings;
  GCancellable *cancellable;
  GFile *file;

  AdwViewStack *view_stack;
  ReelBoardView *board_view;
  ReelShotListView *shot_list_view;
  ReelPreviewView *preview_view;
};

G_DEFINE_FINAL_TYPE (ReelWindow, reel_window, ADW_TYPE_APPLICATION_WINDOW)

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

  reel_window_save_state (self);
  g_cancellable_cancel (self->cancellable);

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

static void
reel_window_dispose (GObject *object)
{
  ReelWindow *self = REEL_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), REEL_TYPE_WINDOW);

  G_OBJECT_CLASS (reel_window_parent_class)->dispose (object);
}

static void
reel_window_finalize (GObject *object)
{
  ReelWindow *self = REEL_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (reel_window_parent_class)->finalize (object);
}

static void
reel_window_class_init (ReelWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = reel_window_dispose;
  object_class->finalize = reel_window_finalize;
  window_class->close_request = reel_window_close_request;

  g_type_ensure (REEL_TYPE_BOARD_VIEW);
  g_type_ensure (REEL_TYPE_SHOT_LIST_VIEW);
  g_type_ensure (REEL_TYPE_PREVIEW_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/reel-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, board_view);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, shot_list_view);
  gtk_widget_class_bind_template_child (widget_class, ReelWindow, preview_view);

  gtk_widget_class_install_action (widget_class, "win.show-view", "s", reel_window_show_view);
}

static void
reel_window_init (ReelWindow *self)
{
  int width, height;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (BASE_APPLICATION_ID);

  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

ReelWindow *
reel_window_new (AdwApplication *application)
{
  return g_object_new (REEL_TYPE_WINDOW, "application", application, NULL);
}

/**
 * reel_window_open_file:
 * @self: a #ReelWindow
 * @file: the project to show
 *
 * Makes @file the window's document.
 */
void
reel_window_open_file (ReelWindow *self,
                       GFile      *file)
{
  g_autofree char *basename = NULL;

  g_return_if_fail (REEL_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  g_set_object (&self->file, file);
  basename = g_file_get_basename (file);
  gtk_window_set_title (GTK_WINDOW (self), basename);
}

/**
 * reel_window_get_file:
 * @self: a #ReelWindow
 *
 * Returns: (transfer none) (nullable): the window's project file
 */
GFile *
reel_window_get_file (ReelWindow *self)
{
  g_return_val_if_fail (REEL_IS_WINDOW (self), NULL);

  return self->file;
}
