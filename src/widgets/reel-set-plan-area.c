/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-set-plan-area"

#include "config.h"

#include "reel-set-plan-area.h"

struct _ReelSetPlanArea
{
  GtkWidget parent_instance;

  ReelSetPlanAreaSnapshotFunc func;
  gpointer user_data;
};

G_DEFINE_FINAL_TYPE (ReelSetPlanArea, reel_set_plan_area, GTK_TYPE_WIDGET)

/* GtkWidget */

static void
reel_set_plan_area_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  ReelSetPlanArea *self = REEL_SET_PLAN_AREA (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (self->func != NULL && width > 0 && height > 0)
    self->func (self, snapshot, width, height, self->user_data);
}

static void
reel_set_plan_area_class_init (ReelSetPlanAreaClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = reel_set_plan_area_snapshot;
  gtk_widget_class_set_css_name (widget_class, "setplan");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
reel_set_plan_area_init (ReelSetPlanArea *self)
{
}

/* Public */

GtkWidget *
reel_set_plan_area_new (void)
{
  return g_object_new (REEL_TYPE_SET_PLAN_AREA, NULL);
}

void
reel_set_plan_area_set_snapshot_func (ReelSetPlanArea             *self,
                                      ReelSetPlanAreaSnapshotFunc  func,
                                      gpointer                     user_data)
{
  g_return_if_fail (REEL_IS_SET_PLAN_AREA (self));

  self->func = func;
  self->user_data = user_data;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
