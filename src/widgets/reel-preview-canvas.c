/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-preview-canvas"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "reel-preview-canvas.h"

/* The picture of the Preview view: the composite (or a still) fitted in the project's
 * frame, an overlay over it (the sketch over a clip that plays without a plate, drawn as it
 * is rather than through the video encoder's 4:2:0), framing guides on top, and the pointer
 * tools: the eyedropper and dragging or
 * scrolling the background or the plate. Positions go out as fractions of the frame, the
 * unit the plate's settings are stored in. */

struct _ReelPreviewCanvas
{
  GtkWidget parent_instance;

  GdkPaintable *paintable;
  GdkPaintable *overlay;
  double aspect_ratio;
  ReelGuideFlags guides;
  ReelPreviewTool tool;

  GtkGesture *drag;
  double drag_x, drag_y;   /* start, in widget coordinates */
};

enum {
  PROP_0,
  PROP_PAINTABLE,
  PROP_ASPECT_RATIO,
  PROP_GUIDES,
  PROP_TOOL,
  N_PROPS
};

enum {
  SIGNAL_PICK,
  SIGNAL_MOVE_BEGIN,
  SIGNAL_MOVE,
  SIGNAL_MOVE_END,
  SIGNAL_SCALE,
  SIGNAL_RESIZED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ReelPreviewCanvas, reel_preview_canvas, GTK_TYPE_WIDGET)

static void
compute_frame_rect (ReelPreviewCanvas *self,
                    graphene_rect_t   *rect)
{
  double x, y, width, height;

  reel_framing_get_frame_rect (gtk_widget_get_width (GTK_WIDGET (self)),
                               gtk_widget_get_height (GTK_WIDGET (self)),
                               self->aspect_ratio, &x, &y, &width, &height);
  graphene_rect_init (rect, x, y, width, height);
}

static void
reel_preview_canvas_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  ReelPreviewCanvas *self = REEL_PREVIEW_CANVAS (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  graphene_rect_t frame;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  compute_frame_rect (self, &frame);

  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 1 }, &frame);
  if (self->paintable != NULL)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &frame.origin);
      gdk_paintable_snapshot (self->paintable, snapshot, frame.size.width, frame.size.height);
      gtk_snapshot_restore (snapshot);
    }
  if (self->overlay != NULL)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &frame.origin);
      gdk_paintable_snapshot (self->overlay, snapshot, frame.size.width, frame.size.height);
      gtk_snapshot_restore (snapshot);
    }

  if (self->guides != REEL_GUIDE_NONE)
    {
      cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
      reel_framing_guides_draw (cr, width, height, self->aspect_ratio, self->guides);
      cairo_destroy (cr);
    }
}

static void
reel_preview_canvas_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  g_signal_emit (widget, signals[SIGNAL_RESIZED], 0);
}

static gboolean
to_frame (ReelPreviewCanvas *self,
          double             x,
          double             y,
          double            *frame_x,
          double            *frame_y)
{
  graphene_rect_t frame;

  compute_frame_rect (self, &frame);
  if (frame.size.width <= 0 || frame.size.height <= 0)
    return FALSE;

  *frame_x = (x - frame.origin.x) / frame.size.width;
  *frame_y = (y - frame.origin.y) / frame.size.height;
  return TRUE;
}

static void
on_click_released (GtkGestureClick   *gesture,
                   int                n_press,
                   double             x,
                   double             y,
                   ReelPreviewCanvas *self)
{
  double frame_x, frame_y;

  if (self->tool != REEL_PREVIEW_TOOL_EYEDROPPER || !to_frame (self, x, y, &frame_x, &frame_y))
    return;
  if (frame_x < 0 || frame_x > 1 || frame_y < 0 || frame_y > 1)
    return;

  g_signal_emit (self, signals[SIGNAL_PICK], 0, frame_x, frame_y);
}

static gboolean
is_move_tool (ReelPreviewCanvas *self)
{
  return self->tool == REEL_PREVIEW_TOOL_MOVE_BACKGROUND
         || self->tool == REEL_PREVIEW_TOOL_MOVE_PLATE;
}

static void
on_drag_begin (GtkGestureDrag    *gesture,
               double             x,
               double             y,
               ReelPreviewCanvas *self)
{
  if (!is_move_tool (self))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  self->drag_x = x;
  self->drag_y = y;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  g_signal_emit (self, signals[SIGNAL_MOVE_BEGIN], 0, self->tool);
}

static void
on_drag_update (GtkGestureDrag    *gesture,
                double             offset_x,
                double             offset_y,
                ReelPreviewCanvas *self)
{
  graphene_rect_t frame;

  compute_frame_rect (self, &frame);
  if (frame.size.width <= 0 || frame.size.height <= 0)
    return;

  g_signal_emit (self, signals[SIGNAL_MOVE], 0, self->tool,
                 offset_x / frame.size.width, offset_y / frame.size.height);
}

static void
on_drag_end (GtkGestureDrag    *gesture,
             double             offset_x,
             double             offset_y,
             ReelPreviewCanvas *self)
{
  g_signal_emit (self, signals[SIGNAL_MOVE_END], 0, self->tool);
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           ReelPreviewCanvas        *self)
{
  if (!is_move_tool (self) || dy == 0)
    return FALSE;

  /* One wheel notch: 5 % larger or smaller. */
  g_signal_emit (self, signals[SIGNAL_SCALE], 0, self->tool, pow (1.05, -dy));
  return TRUE;
}

static void
update_cursor (ReelPreviewCanvas *self)
{
  switch (self->tool)
    {
    case REEL_PREVIEW_TOOL_EYEDROPPER:
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");
      break;
    case REEL_PREVIEW_TOOL_MOVE_BACKGROUND:
    case REEL_PREVIEW_TOOL_MOVE_PLATE:
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "move");
      break;
    case REEL_PREVIEW_TOOL_NONE:
    default:
      gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
      break;
    }
}

static void
on_paintable_invalidate_contents (ReelPreviewCanvas *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
reel_preview_canvas_dispose (GObject *object)
{
  ReelPreviewCanvas *self = REEL_PREVIEW_CANVAS (object);

  reel_preview_canvas_set_paintable (self, NULL);
  g_clear_object (&self->overlay);

  G_OBJECT_CLASS (reel_preview_canvas_parent_class)->dispose (object);
}

static void
reel_preview_canvas_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ReelPreviewCanvas *self = REEL_PREVIEW_CANVAS (object);

  switch (prop_id)
    {
    case PROP_PAINTABLE:
      g_value_set_object (value, self->paintable);
      break;
    case PROP_ASPECT_RATIO:
      g_value_set_double (value, self->aspect_ratio);
      break;
    case PROP_GUIDES:
      g_value_set_uint (value, self->guides);
      break;
    case PROP_TOOL:
      g_value_set_int (value, self->tool);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_preview_canvas_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ReelPreviewCanvas *self = REEL_PREVIEW_CANVAS (object);

  switch (prop_id)
    {
    case PROP_PAINTABLE:
      reel_preview_canvas_set_paintable (self, g_value_get_object (value));
      break;
    case PROP_ASPECT_RATIO:
      reel_preview_canvas_set_aspect_ratio (self, g_value_get_double (value));
      break;
    case PROP_GUIDES:
      reel_preview_canvas_set_guides (self, g_value_get_uint (value));
      break;
    case PROP_TOOL:
      reel_preview_canvas_set_tool (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_preview_canvas_class_init (ReelPreviewCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reel_preview_canvas_dispose;
  object_class->get_property = reel_preview_canvas_get_property;
  object_class->set_property = reel_preview_canvas_set_property;
  widget_class->snapshot = reel_preview_canvas_snapshot;
  widget_class->size_allocate = reel_preview_canvas_size_allocate;

  properties[PROP_PAINTABLE] =
    g_param_spec_object ("paintable", NULL, NULL, GDK_TYPE_PAINTABLE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ASPECT_RATIO] =
    g_param_spec_double ("aspect-ratio", NULL, NULL, 0.1, 10.0, REEL_ASPECT_RATIO_DEFAULT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_GUIDES] =
    g_param_spec_uint ("guides", NULL, NULL, 0, G_MAXUINT, REEL_GUIDE_NONE,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TOOL] =
    g_param_spec_int ("tool", NULL, NULL, REEL_PREVIEW_TOOL_NONE, REEL_PREVIEW_TOOL_MOVE_PLATE,
                      REEL_PREVIEW_TOOL_NONE,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ReelPreviewCanvas::pick:
   * @x: 0 (left) to 1 (right) across the frame
   * @y: 0 (top) to 1 (bottom)
   *
   * The eyedropper was clicked on the frame.
   */
  signals[SIGNAL_PICK] =
    g_signal_new ("pick", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  signals[SIGNAL_MOVE_BEGIN] =
    g_signal_new ("move-begin", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  /**
   * ReelPreviewCanvas::move:
   * @tool: the move tool
   * @dx: distance dragged since move-begin, as a fraction of the frame's width
   * @dy: the same vertically
   */
  signals[SIGNAL_MOVE] =
    g_signal_new ("move", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  signals[SIGNAL_MOVE_END] =
    g_signal_new ("move-end", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT);
  /**
   * ReelPreviewCanvas::scale:
   * @tool: the move tool
   * @factor: how much larger (above 1) or smaller
   */
  signals[SIGNAL_SCALE] =
    g_signal_new ("scale", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_DOUBLE);

  /**
   * ReelPreviewCanvas::resized:
   *
   * The canvas got a new size; the frame's is reel_preview_canvas_get_frame_rect().
   */
  signals[SIGNAL_RESIZED] =
    g_signal_new ("resized", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "reelpreviewcanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
reel_preview_canvas_init (ReelPreviewCanvas *self)
{
  GtkGesture *click;
  GtkEventController *scroll;

  self->aspect_ratio = REEL_ASPECT_RATIO_DEFAULT;

  click = gtk_gesture_click_new ();
  g_signal_connect (click, "released", G_CALLBACK (on_click_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  self->drag = gtk_gesture_drag_new ();
  g_signal_connect (self->drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (self->drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (self->drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->drag));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL
                                            | GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Shot preview"),
                                  -1);
}

GtkWidget *
reel_preview_canvas_new (void)
{
  return g_object_new (REEL_TYPE_PREVIEW_CANVAS, NULL);
}

/**
 * reel_preview_canvas_set_paintable:
 * @self: a #ReelPreviewCanvas
 * @paintable: (nullable): what to show in the frame
 */
void
reel_preview_canvas_set_paintable (ReelPreviewCanvas *self,
                                   GdkPaintable      *paintable)
{
  g_return_if_fail (REEL_IS_PREVIEW_CANVAS (self));

  if (self->paintable == paintable)
    return;

  if (self->paintable != NULL)
    g_signal_handlers_disconnect_by_func (self->paintable, on_paintable_invalidate_contents,
                                          self);
  g_set_object (&self->paintable, paintable);
  if (paintable != NULL)
    g_signal_connect_swapped (paintable, "invalidate-contents",
                              G_CALLBACK (on_paintable_invalidate_contents), self);

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAINTABLE]);
}

GdkPaintable *
reel_preview_canvas_get_paintable (ReelPreviewCanvas *self)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_CANVAS (self), NULL);

  return self->paintable;
}

/**
 * reel_preview_canvas_set_overlay:
 * @self: a #ReelPreviewCanvas
 * @overlay: (nullable): a picture with transparency to draw over the frame's, filling it
 */
void
reel_preview_canvas_set_overlay (ReelPreviewCanvas *self,
                                 GdkPaintable      *overlay)
{
  g_return_if_fail (REEL_IS_PREVIEW_CANVAS (self));

  if (g_set_object (&self->overlay, overlay))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

GdkPaintable *
reel_preview_canvas_get_overlay (ReelPreviewCanvas *self)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_CANVAS (self), NULL);

  return self->overlay;
}

void
reel_preview_canvas_set_aspect_ratio (ReelPreviewCanvas *self,
                                      double             aspect_ratio)
{
  g_return_if_fail (REEL_IS_PREVIEW_CANVAS (self));

  if (aspect_ratio <= 0 || aspect_ratio == self->aspect_ratio)
    return;

  self->aspect_ratio = aspect_ratio;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASPECT_RATIO]);
}

void
reel_preview_canvas_set_guides (ReelPreviewCanvas *self,
                                ReelGuideFlags     guides)
{
  g_return_if_fail (REEL_IS_PREVIEW_CANVAS (self));

  if (guides == self->guides)
    return;

  self->guides = guides;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GUIDES]);
}

ReelGuideFlags
reel_preview_canvas_get_guides (ReelPreviewCanvas *self)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_CANVAS (self), REEL_GUIDE_NONE);

  return self->guides;
}

void
reel_preview_canvas_set_tool (ReelPreviewCanvas *self,
                              ReelPreviewTool    tool)
{
  g_return_if_fail (REEL_IS_PREVIEW_CANVAS (self));

  if (tool == self->tool)
    return;

  self->tool = tool;
  update_cursor (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
}

ReelPreviewTool
reel_preview_canvas_get_tool (ReelPreviewCanvas *self)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_CANVAS (self), REEL_PREVIEW_TOOL_NONE);

  return self->tool;
}

/**
 * reel_preview_canvas_get_frame_rect:
 * @self: a #ReelPreviewCanvas
 * @rect: (out): where the frame is drawn, in widget coordinates
 */
void
reel_preview_canvas_get_frame_rect (ReelPreviewCanvas *self,
                                    graphene_rect_t   *rect)
{
  g_return_if_fail (REEL_IS_PREVIEW_CANVAS (self));

  compute_frame_rect (self, rect);
}
