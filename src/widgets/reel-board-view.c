/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-board-view"

#include "config.h"

#include <adwaita.h>

#include "reel-board-view.h"

struct _ReelBoardView
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (ReelBoardView, reel_board_view, GTK_TYPE_WIDGET)

static void
reel_board_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), REEL_TYPE_BOARD_VIEW);

  G_OBJECT_CLASS (reel_board_view_parent_class)->dispose (object);
}

static void
reel_board_view_class_init (ReelBoardViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reel_board_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/reel-board-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
reel_board_view_init (ReelBoardView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
