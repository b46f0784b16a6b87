/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-set-plan-area"

#include "config.h"

#include "reel-set-plan-area.h"

struct _ReelSetPlanArea
{
  GtkWidget parent_instance;

  ReelSetPlanAreaSnapshotFunc func;
  gpointer user_data;
  int width, height;   /* as last allocated */
};

G_DEFINE_FINAL_TYPE (ReelSetPlanArea, reel_set_plan_area, GTK_TYPE_WIDGET)

enum {
  RESIZE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* GtkWidget */

static void
reel_set_plan_area_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  ReelSetPlanArea *self = REEL_SET_PLAN_AREA (widget);

  if (width == self->width && height == self->height)
    return;
  self->width = width;
  self->height = height;
  g_signal_emit (widget, signals[RESIZE], 0, width, height);
}

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
  widget_class->size_allocate = reel_set_plan_area_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "setplan");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);

  /* As GtkDrawingArea's: the area was given a new size (a render for it may be due). */
  signals[RESIZE] = g_signal_new ("resize", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);
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
