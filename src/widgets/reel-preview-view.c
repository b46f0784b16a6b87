/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-preview-view"

#include "config.h"

#include <adwaita.h>

#include "reel-preview-view.h"

struct _ReelPreviewView
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (ReelPreviewView, reel_preview_view, GTK_TYPE_WIDGET)

static void
reel_preview_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), REEL_TYPE_PREVIEW_VIEW);

  G_OBJECT_CLASS (reel_preview_view_parent_class)->dispose (object);
}

static void
reel_preview_view_class_init (ReelPreviewViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reel_preview_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/reel-preview-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
reel_preview_view_init (ReelPreviewView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
