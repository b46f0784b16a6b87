/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-board-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "core/reel-edit.h"
#include "core/reel-shot-camera.h"

#include "reel-board-view.h"
#include "reel-canvas.h"
#include "reel-inspector.h"
#include "reel-shot-strip.h"

struct _ReelBoardView
{
  GtkWidget      parent_instance;

  ReelProject   *project;
  ReelShot      *current_shot;
  GSignalGroup  *sketch_signals;
  GSignalGroup  *project_signals;

  AdwFlap       *flap;
  GtkStack      *canvas_stack;
  ReelCanvas    *canvas;
  ReelShotStrip *strip;
  ReelInspector *inspector;
  GtkAdjustment *size_adjustment;
  GtkWidget     *color_button;
  GtkWidget     *color_swatch;
  GtkPopover    *color_popover;
  GtkLabel      *layer_label;
  GtkLabel      *zoom_label;
  GtkMenuButton *new_angle_button;
  GtkPopover    *panel_menu;   /* the panel's context menu: New Angle */
};

G_DEFINE_FINAL_TYPE (ReelBoardView, reel_board_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_CURRENT_SHOT,
  PROP_TOOL,
  PROP_ACTIVE_LAYER,
  PROP_SHOW_MASK,
  PROP_SHOW_THIRDS,
  PROP_SHOW_ACTION_SAFE,
  PROP_SHOW_TITLE_SAFE,
  PROP_SKETCH_VISIBLE,
  PROP_NOTES_VISIBLE,
  PROP_INSPECTOR_VISIBLE,
  PROP_SELECTED_SHOTS,
  PROP_GREYBOX_BACKGROUND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct {
  guint          prop_id;
  ReelGuideFlags flag;
} guide_props[] = {
  { PROP_SHOW_MASK, REEL_GUIDE_MASK },
  { PROP_SHOW_THIRDS, REEL_GUIDE_THIRDS },
  { PROP_SHOW_ACTION_SAFE, REEL_GUIDE_ACTION_SAFE },
  { PROP_SHOW_TITLE_SAFE, REEL_GUIDE_TITLE_SAFE },
};

static ReelGuideFlags
guide_flag_for_prop (guint prop_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (guide_props); i++)
    if (guide_props[i].prop_id == prop_id)
      return guide_props[i].flag;

  return REEL_GUIDE_NONE;
}

static gboolean
reel_board_view_get_layer_visible (ReelBoardView *self,
                                   const char    *layer)
{
  ReelSketch *sketch;

  if (self->current_shot == NULL)
    return TRUE;

  sketch = reel_shot_get_sketch (self->current_shot);
  if (reel_sketch_find_layer (sketch, layer) < 0)
    return TRUE;

  return reel_sketch_get_layer_visible (sketch, layer);
}

static void
reel_board_view_set_layer_visible (ReelBoardView *self,
                                   const char    *layer,
                                   gboolean       visible)
{
  if (self->current_shot == NULL || self->project == NULL)
    return;

  if (reel_board_view_get_layer_visible (self, layer) == visible)
    return;

  reel_edit_set_layer_visible (self->project, self->current_shot, layer, visible);
}

/* Navigation */

/* The shot @offset places before (< 0) or after (> 0) the current one, in the
 * project's order across scenes; NULL past either end. */
static ReelShot *
reel_board_view_find_neighbour (ReelBoardView *self,
                                int            offset)
{
  ReelScene *scene;
  guint scene_index, shot_index;
  guint n_scenes;

  if (self->project == NULL || self->current_shot == NULL)
    return NULL;

  scene = reel_shot_get_scene (self->current_shot);
  if (scene == NULL ||
      !reel_project_find_scene_position (self->project, scene, &scene_index) ||
      !reel_scene_find_shot (scene, self->current_shot, &shot_index))
    return NULL;

  n_scenes = reel_project_get_n_scenes (self->project);

  if (offset > 0)
    {
      if (shot_index + 1 < reel_scene_get_n_shots (scene))
        return reel_scene_get_shot (scene, shot_index + 1);

      for (guint i = scene_index + 1; i < n_scenes; i++)
        {
          ReelScene *next = reel_project_get_scene (self->project, i);

          if (reel_scene_get_n_shots (next) > 0)
            return reel_scene_get_shot (next, 0);
        }
    }
  else
    {
      if (shot_index > 0)
        return reel_scene_get_shot (scene, shot_index - 1);

      for (guint i = scene_index; i-- > 0;)
        {
          ReelScene *previous = reel_project_get_scene (self->project, i);
          guint n_shots = reel_scene_get_n_shots (previous);

          if (n_shots > 0)
            return reel_scene_get_shot (previous, n_shots - 1);
        }
    }

  return NULL;
}

static ReelShot *
reel_board_view_find_first_shot (ReelBoardView *self)
{
  guint n_scenes;

  if (self->project == NULL)
    return NULL;

  n_scenes = reel_project_get_n_scenes (self->project);
  for (guint i = 0; i < n_scenes; i++)
    {
      ReelScene *scene = reel_project_get_scene (self->project, i);

      if (reel_scene_get_n_shots (scene) > 0)
        return reel_scene_get_shot (scene, 0);
    }

  return NULL;
}

/* Actions */

static void
previous_shot_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  ReelBoardView *self = REEL_BOARD_VIEW (widget);
  ReelShot *shot = reel_board_view_find_neighbour (self, -1);

  if (shot != NULL)
    reel_board_view_set_current_shot (self, shot);
  else
    gtk_widget_error_bell (widget);
}

static void
next_shot_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  ReelBoardView *self = REEL_BOARD_VIEW (widget);
  ReelShot *shot = reel_board_view_find_neighbour (self, 1);

  if (shot != NULL)
    reel_board_view_set_current_shot (self, shot);
  else
    gtk_widget_error_bell (widget);
}

static void
arrow_tool_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  ReelBoardView *self = REEL_BOARD_VIEW (widget);

  /* The key of the arrows switches between the two kinds when pressed again. */
  if (g_strcmp0 (reel_canvas_get_tool (self->canvas), REEL_CANVAS_TOOL_CAMERA_ARROW) == 0)
    reel_canvas_set_tool (self->canvas, REEL_CANVAS_TOOL_CHARACTER_ARROW);
  else
    reel_canvas_set_tool (self->canvas, REEL_CANVAS_TOOL_CAMERA_ARROW);
}

static void
set_color_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  ReelBoardView *self = REEL_BOARD_VIEW (widget);
  GdkRGBA color;

  if (!gdk_rgba_parse (&color, g_variant_get_string (param, NULL)))
    return;

  reel_canvas_set_color (self->canvas, &color);

  /* A colour is for drawing: from the eraser or an arrow, go back to the pen. */
  if (g_strcmp0 (reel_canvas_get_tool (self->canvas), REEL_CANVAS_TOOL_ERASER) == 0 ||
      g_str_has_suffix (reel_canvas_get_tool (self->canvas), "-arrow"))
    reel_canvas_set_tool (self->canvas, REEL_CANVAS_TOOL_PEN);
}

static void
brush_bigger_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  reel_canvas_step_brush_size (REEL_BOARD_VIEW (widget)->canvas, 1);
}

static void
brush_smaller_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  reel_canvas_step_brush_size (REEL_BOARD_VIEW (widget)->canvas, -1);
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  ReelCanvas *canvas = REEL_BOARD_VIEW (widget)->canvas;

  reel_canvas_set_zoom (canvas, reel_canvas_get_zoom (canvas) * 1.25);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  ReelCanvas *canvas = REEL_BOARD_VIEW (widget)->canvas;

  reel_canvas_set_zoom (canvas, reel_canvas_get_zoom (canvas) / 1.25);
}

static void
zoom_reset_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  reel_canvas_reset_view (REEL_BOARD_VIEW (widget)->canvas);
}

static void
clear_layer_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  ReelBoardView *self = REEL_BOARD_VIEW (widget);

  if (self->project == NULL || self->current_shot == NULL)
    return;

  reel_edit_clear_layer (self->project, self->current_shot,
                         reel_canvas_get_active_layer (self->canvas));
}

static void
reel_board_view_update_actions (ReelBoardView *self)
{
  gboolean have_shot = self->current_shot != NULL;
  ReelSketch *sketch = have_shot ? reel_shot_get_sketch (self->current_shot) : NULL;
  const char *layer = reel_canvas_get_active_layer (self->canvas);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.previous-shot",
                                 reel_board_view_find_neighbour (self, -1) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.next-shot",
                                 reel_board_view_find_neighbour (self, 1) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.sketch-visible", have_shot);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.notes-visible", have_shot);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.clear-layer",
                                 sketch != NULL &&
                                 reel_sketch_get_layer_n_strokes (sketch, layer) > 0);
}

/* Keeping the controls in step */

static void
sketch_changed_cb (ReelBoardView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SKETCH_VISIBLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTES_VISIBLE]);
  reel_board_view_update_actions (self);
}

static void
project_changed_cb (ReelBoardView *self)
{
  ReelScene *scene;

  /* The current shot was deleted (or its scene was): show another. */
  if (self->current_shot != NULL)
    {
      scene = reel_shot_get_scene (self->current_shot);
      if (scene == NULL || reel_scene_get_project (scene) != self->project)
        reel_board_view_set_current_shot (self, reel_board_view_find_first_shot (self));
    }
  else
    {
      reel_board_view_set_current_shot (self, reel_board_view_find_first_shot (self));
    }

  reel_board_view_update_actions (self);
}

static void
canvas_tool_cb (ReelBoardView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
}

static const char *
layer_display_name (const char *layer)
{
  if (g_strcmp0 (layer, REEL_LAYER_SKETCH) == 0)
    return C_("layer", "Sketch");
  if (g_strcmp0 (layer, REEL_LAYER_NOTES) == 0)
    return C_("layer", "Notes");

  return layer;
}

static void
canvas_layer_cb (ReelBoardView *self)
{
  gtk_label_set_label (self->layer_label,
                       layer_display_name (reel_canvas_get_active_layer (self->canvas)));
  reel_board_view_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_LAYER]);
}

static void
canvas_zoom_cb (ReelBoardView *self)
{
  g_autofree char *label = NULL;

  /* TRANSLATORS: the zoom level of the canvas, e.g. "150%" */
  label = g_strdup_printf (_("%.0f%%"), reel_canvas_get_zoom (self->canvas) * 100);
  gtk_label_set_label (self->zoom_label, label);
}

static void
draw_color_swatch (GtkDrawingArea *area,
                   cairo_t        *cr,
                   int             width,
                   int             height,
                   gpointer        user_data)
{
  ReelBoardView *self = user_data;
  double radius = MIN (width, height) / 2.0;
  GdkRGBA color;

  reel_canvas_get_color (self->canvas, &color);
  cairo_arc (cr, width / 2.0, height / 2.0, radius - 0.5, 0, 2 * G_PI);
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_fill_preserve (cr);
  /* A rim, so that white shows on a light button and black on a dark one. */
  cairo_set_source_rgba (cr, 0.5, 0.5, 0.5, 0.6);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

static void
canvas_color_cb (ReelBoardView *self)
{
  gtk_widget_queue_draw (self->color_swatch);
}

static void
swatch_clicked_cb (ReelBoardView *self)
{
  gtk_popover_popdown (self->color_popover);
}

static void
strip_selection_cb (ReelBoardView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_SHOTS]);
}

static void
flap_reveal_cb (ReelBoardView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSPECTOR_VISIBLE]);
}

/* GtkWidget */

static void
reel_board_view_map (GtkWidget *widget)
{
  ReelBoardView *self = REEL_BOARD_VIEW (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (reel_board_view_parent_class)->map (widget);

  /* Keys reach the board's shortcuts from the canvas: start there. */
  root = gtk_widget_get_root (widget);
  if (root != NULL && gtk_root_get_focus (root) == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

/* GObject */

/* "New Angle ▸ Reverse, Over the Shoulder …": each runs win.new-angle on the current
 * shot (transfer full). */
static GMenuModel *
new_angle_menu_new (void)
{
  GMenu *angles = g_menu_new ();

  for (guint kind = 0; kind < REEL_N_NEW_ANGLES; kind++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (reel_new_angle_get_label (kind), NULL);

      g_menu_item_set_action_and_target_value (item, "win.new-angle",
                                               g_variant_new_uint32 (kind));
      g_menu_append_item (angles, item);
    }

  return G_MENU_MODEL (angles);
}

/* A right click on the panel opens its menu where the pointer is. */
static void
panel_menu_pressed_cb (GtkGestureClick *gesture,
                       int              n_press,
                       double           x,
                       double           y,
                       ReelBoardView   *self)
{
  GdkRectangle rect = { (int) x, (int) y, 1, 1 };

  if (self->current_shot == NULL)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_popover_set_pointing_to (self->panel_menu, &rect);
  gtk_popover_popup (self->panel_menu);
}

static void
reel_board_view_dispose (GObject *object)
{
  ReelBoardView *self = REEL_BOARD_VIEW (object);

  g_signal_group_set_target (self->sketch_signals, NULL);
  g_signal_group_set_target (self->project_signals, NULL);
  g_clear_pointer ((GtkWidget **) &self->panel_menu, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), REEL_TYPE_BOARD_VIEW);
  g_clear_object (&self->current_shot);
  g_clear_object (&self->project);

  G_OBJECT_CLASS (reel_board_view_parent_class)->dispose (object);
}

static void
reel_board_view_finalize (GObject *object)
{
  ReelBoardView *self = REEL_BOARD_VIEW (object);

  g_clear_object (&self->sketch_signals);
  g_clear_object (&self->project_signals);

  G_OBJECT_CLASS (reel_board_view_parent_class)->finalize (object);
}

static void
reel_board_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ReelBoardView *self = REEL_BOARD_VIEW (object);

  /* The template's buttons ask for their actions' states while the template is
   * still being built, before the canvas is there. */
  if (self->canvas == NULL && prop_id != PROP_PROJECT && prop_id != PROP_CURRENT_SHOT)
    {
      g_param_value_set_default (pspec, value);
      return;
    }

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_CURRENT_SHOT:
      g_value_set_object (value, self->current_shot);
      break;
    case PROP_TOOL:
      g_value_set_string (value, reel_canvas_get_tool (self->canvas));
      break;
    case PROP_ACTIVE_LAYER:
      g_value_set_string (value, reel_canvas_get_active_layer (self->canvas));
      break;
    case PROP_SHOW_MASK:
    case PROP_SHOW_THIRDS:
    case PROP_SHOW_ACTION_SAFE:
    case PROP_SHOW_TITLE_SAFE:
      g_value_set_boolean (value, (reel_canvas_get_guides (self->canvas) &
                                   guide_flag_for_prop (prop_id)) != 0);
      break;
    case PROP_SKETCH_VISIBLE:
      g_value_set_boolean (value, reel_board_view_get_layer_visible (self, REEL_LAYER_SKETCH));
      break;
    case PROP_NOTES_VISIBLE:
      g_value_set_boolean (value, reel_board_view_get_layer_visible (self, REEL_LAYER_NOTES));
      break;
    case PROP_INSPECTOR_VISIBLE:
      g_value_set_boolean (value, adw_flap_get_reveal_flap (self->flap));
      break;
    case PROP_SELECTED_SHOTS:
      g_value_set_object (value, reel_shot_strip_get_selected_shots (self->strip));
      break;
    case PROP_GREYBOX_BACKGROUND:
      g_value_set_boolean (value, reel_canvas_get_greybox_background (self->canvas));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_board_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  ReelBoardView *self = REEL_BOARD_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      reel_board_view_set_project (self, g_value_get_object (value));
      break;
    case PROP_CURRENT_SHOT:
      reel_board_view_set_current_shot (self, g_value_get_object (value));
      break;
    case PROP_TOOL:
      reel_canvas_set_tool (self->canvas, g_value_get_string (value));
      break;
    case PROP_ACTIVE_LAYER:
      reel_canvas_set_active_layer (self->canvas, g_value_get_string (value));
      break;
    case PROP_SHOW_MASK:
    case PROP_SHOW_THIRDS:
    case PROP_SHOW_ACTION_SAFE:
    case PROP_SHOW_TITLE_SAFE:
      {
        ReelGuideFlags guides = reel_canvas_get_guides (self->canvas);
        ReelGuideFlags flag = guide_flag_for_prop (prop_id);
        ReelGuideFlags wanted = g_value_get_boolean (value) ? guides | flag : guides & ~flag;

        if (wanted != guides)
          {
            reel_canvas_set_guides (self->canvas, wanted);
            g_object_notify_by_pspec (object, pspec);
          }
      }
      break;
    case PROP_SKETCH_VISIBLE:
      reel_board_view_set_layer_visible (self, REEL_LAYER_SKETCH, g_value_get_boolean (value));
      break;
    case PROP_NOTES_VISIBLE:
      reel_board_view_set_layer_visible (self, REEL_LAYER_NOTES, g_value_get_boolean (value));
      break;
    case PROP_INSPECTOR_VISIBLE:
      adw_flap_set_reveal_flap (self->flap, g_value_get_boolean (value));
      break;
    case PROP_GREYBOX_BACKGROUND:
      if (reel_canvas_get_greybox_background (self->canvas) != g_value_get_boolean (value))
        {
          reel_canvas_set_greybox_background (self->canvas, g_value_get_boolean (value));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bind_tool_key (GtkWidgetClass *widget_class,
               guint           keyval,
               guint           keypad_keyval,
               const char     *tool)
{
  gtk_widget_class_add_binding_action (widget_class, keyval, 0, "board.tool", "s", tool);
  gtk_widget_class_add_binding_action (widget_class, keypad_keyval, 0, "board.tool", "s", tool);
}

static void
reel_board_view_class_init (ReelBoardViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GdkDisplay *display = gdk_display_get_default ();

  object_class->dispose = reel_board_view_dispose;
  object_class->finalize = reel_board_view_finalize;
  object_class->get_property = reel_board_view_get_property;
  object_class->set_property = reel_board_view_set_property;
  widget_class->map = reel_board_view_map;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, REEL_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CURRENT_SHOT] =
    g_param_spec_object ("current-shot", NULL, NULL, REEL_TYPE_SHOT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TOOL] =
    g_param_spec_string ("tool", NULL, NULL, REEL_CANVAS_TOOL_PEN,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ACTIVE_LAYER] =
    g_param_spec_string ("active-layer", NULL, NULL, REEL_LAYER_SKETCH,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOW_MASK] =
    g_param_spec_boolean ("show-mask", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOW_THIRDS] =
    g_param_spec_boolean ("show-thirds", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOW_ACTION_SAFE] =
    g_param_spec_boolean ("show-action-safe", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOW_TITLE_SAFE] =
    g_param_spec_boolean ("show-title-safe", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SKETCH_VISIBLE] =
    g_param_spec_boolean ("sketch-visible", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NOTES_VISIBLE] =
    g_param_spec_boolean ("notes-visible", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_INSPECTOR_VISIBLE] =
    g_param_spec_boolean ("inspector-visible", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SELECTED_SHOTS] =
    g_param_spec_object ("selected-shots", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_GREYBOX_BACKGROUND] =
    g_param_spec_boolean ("greybox-background", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (REEL_TYPE_CANVAS);
  g_type_ensure (REEL_TYPE_SHOT_STRIP);
  g_type_ensure (REEL_TYPE_INSPECTOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/reel-board-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ReelBoardView, flap);
  gtk_widget_class_bind_template_child (widget_class, ReelBoardView, canvas_stack);
  gtk_widget_class_bind_template_child (widget_class, ReelBoardView, canvas);
  gtk_widget_class_bind_template_child (widget_class, ReelBoardView, strip);
  gtk_widget_class_bind_template_child (widget_class, ReelBoardView, inspector);
  gtk_widget_class_bind_template_child (widget_class, ReelBoardView, size_adjustment);
  gtk_widget_class_bind_template_child (widget_class, ReelBoardView, color_button);
  gtk_widget_class_bind_template_child (widget_class, ReelBoardView, color_swatch);
  gtk_widget_class_bind_template_child (widget_class, ReelBoardView, color_popover);
  gtk_widget_class_bind_template_callback (widget_class, swatch_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, ReelBoardView, layer_label);
  gtk_widget_class_bind_template_child (widget_class, ReelBoardView, zoom_label);
  gtk_widget_class_bind_template_child (widget_class, ReelBoardView, new_angle_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "reelboardview");

  /* The tool icons live in the resource; the application adds its own icon path,
   * but tests and development builds (another application id) do not. */
  if (display != NULL)
    gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                      RESOURCE_PREFIX "/icons");

  gtk_widget_class_install_property_action (widget_class, "board.tool", "tool");
  gtk_widget_class_install_property_action (widget_class, "board.active-layer", "active-layer");
  gtk_widget_class_install_property_action (widget_class, "board.show-mask", "show-mask");
  gtk_widget_class_install_property_action (widget_class, "board.show-thirds", "show-thirds");
  gtk_widget_class_install_property_action (widget_class, "board.show-action-safe",
                                            "show-action-safe");
  gtk_widget_class_install_property_action (widget_class, "board.show-title-safe",
                                            "show-title-safe");
  gtk_widget_class_install_property_action (widget_class, "board.greybox-background",
                                            "greybox-background");
  gtk_widget_class_install_property_action (widget_class, "board.sketch-visible",
                                            "sketch-visible");
  gtk_widget_class_install_property_action (widget_class, "board.notes-visible",
                                            "notes-visible");
  gtk_widget_class_install_property_action (widget_class, "board.inspector-visible",
                                            "inspector-visible");
  gtk_widget_class_install_action (widget_class, "board.arrow-tool", NULL, arrow_tool_action);
  gtk_widget_class_install_action (widget_class, "board.set-color", "s", set_color_action);
  gtk_widget_class_install_action (widget_class, "board.brush-bigger", NULL, brush_bigger_action);
  gtk_widget_class_install_action (widget_class, "board.brush-smaller", NULL,
                                   brush_smaller_action);
  gtk_widget_class_install_action (widget_class, "board.previous-shot", NULL,
                                   previous_shot_action);
  gtk_widget_class_install_action (widget_class, "board.next-shot", NULL, next_shot_action);
  gtk_widget_class_install_action (widget_class, "board.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "board.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "board.zoom-reset", NULL, zoom_reset_action);
  gtk_widget_class_install_action (widget_class, "board.clear-layer", NULL, clear_layer_action);

  /* Storyboarder's keys: number keys for tools, [ and ] for the brush,
   * Left and Right through the shots. */
  bind_tool_key (widget_class, GDK_KEY_1, GDK_KEY_KP_1, REEL_CANVAS_TOOL_PEN);
  bind_tool_key (widget_class, GDK_KEY_2, GDK_KEY_KP_2, REEL_CANVAS_TOOL_PENCIL);
  bind_tool_key (widget_class, GDK_KEY_3, GDK_KEY_KP_3, REEL_CANVAS_TOOL_MARKER);
  bind_tool_key (widget_class, GDK_KEY_4, GDK_KEY_KP_4, REEL_CANVAS_TOOL_ERASER);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_5, 0, "board.arrow-tool", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_5, 0, "board.arrow-tool", NULL);
  bind_tool_key (widget_class, GDK_KEY_6, GDK_KEY_KP_6, REEL_CANVAS_TOOL_FRAME);
  bind_tool_key (widget_class, GDK_KEY_7, GDK_KEY_KP_7, REEL_CANVAS_TOOL_TEXT);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_bracketleft, 0,
                                       "board.brush-smaller", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_bracketright, 0,
                                       "board.brush-bigger", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "board.previous-shot", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "board.next-shot", NULL);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, 0, "board.show-mask", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, 0, "board.show-thirds", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, 0, "board.show-action-safe", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, 0, "board.show-title-safe", NULL);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "board.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "board.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK,
                                       "board.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "board.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK,
                                       "board.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "board.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK,
                                       "board.zoom-reset", NULL);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "board.inspector-visible",
                                       NULL);
}

static void
reel_board_view_init (ReelBoardView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->sketch_signals = g_signal_group_new (REEL_TYPE_SKETCH);
  g_signal_group_connect_swapped (self->sketch_signals, "changed",
                                  G_CALLBACK (sketch_changed_cb), self);

  self->project_signals = g_signal_group_new (REEL_TYPE_PROJECT);
  g_signal_group_connect_swapped (self->project_signals, "changed",
                                  G_CALLBACK (project_changed_cb), self);

  g_object_bind_property (self, "project", self->canvas, "project", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "project", self->strip, "project", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "project", self->inspector, "project", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "current-shot", self->canvas, "shot", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "current-shot", self->inspector, "shot", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "current-shot", self->strip, "current-shot",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);

  reel_canvas_set_thumbnailer (self->canvas, reel_shot_strip_get_thumbnailer (self->strip));

  /* New Angle: in the toolbar, and as the titled section of the panel's context menu under
   * a right click (the angles one click away). */
  {
    g_autoptr(GMenuModel) angles = new_angle_menu_new ();
    g_autoptr(GMenu) panel = g_menu_new ();
    GtkGesture *click = gtk_gesture_click_new ();

    gtk_menu_button_set_menu_model (self->new_angle_button, angles);
    g_menu_append_section (panel, _("New Angle"), angles);
    self->panel_menu = GTK_POPOVER (gtk_popover_menu_new_from_model (G_MENU_MODEL (panel)));
    gtk_popover_set_has_arrow (self->panel_menu, FALSE);
    gtk_popover_set_position (self->panel_menu, GTK_POS_BOTTOM);
    gtk_widget_set_halign (GTK_WIDGET (self->panel_menu), GTK_ALIGN_START);
    gtk_widget_set_parent (GTK_WIDGET (self->panel_menu), GTK_WIDGET (self->canvas));

    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
    g_signal_connect (click, "pressed", G_CALLBACK (panel_menu_pressed_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self->canvas), GTK_EVENT_CONTROLLER (click));
  }

  g_object_bind_property (self->canvas, "brush-size", self->size_adjustment, "value",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_object_bind_property (self->canvas, "color", self->color_button, "rgba",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);

  g_signal_connect_swapped (self->canvas, "notify::tool", G_CALLBACK (canvas_tool_cb), self);
  g_signal_connect_swapped (self->canvas, "notify::active-layer",
                            G_CALLBACK (canvas_layer_cb), self);
  g_signal_connect_swapped (self->canvas, "notify::zoom", G_CALLBACK (canvas_zoom_cb), self);
  g_signal_connect_swapped (self->canvas, "notify::color", G_CALLBACK (canvas_color_cb), self);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->color_swatch), draw_color_swatch,
                                  self, NULL);
  g_signal_connect_swapped (self->flap, "notify::reveal-flap", G_CALLBACK (flap_reveal_cb), self);
  g_signal_connect_swapped (self->strip, "notify::selected-shots",
                            G_CALLBACK (strip_selection_cb), self);

  canvas_layer_cb (self);
  canvas_zoom_cb (self);
  gtk_stack_set_visible_child_name (self->canvas_stack, "empty");
  reel_board_view_update_actions (self);
}

ReelProject *
reel_board_view_get_project (ReelBoardView *self)
{
  g_return_val_if_fail (REEL_IS_BOARD_VIEW (self), NULL);

  return self->project;
}

void
reel_board_view_set_project (ReelBoardView *self,
                             ReelProject   *project)
{
  g_return_if_fail (REEL_IS_BOARD_VIEW (self));
  g_return_if_fail (!project || REEL_IS_PROJECT (project));

  if (self->project == project)
    return;

  /* The old project's shot must not linger on the canvas of the new one. */
  reel_board_view_set_current_shot (self, NULL);

  g_set_object (&self->project, project);
  g_signal_group_set_target (self->project_signals, project);
  reel_canvas_reset_view (self->canvas);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);

  reel_board_view_set_current_shot (self, reel_board_view_find_first_shot (self));
}

ReelShot *
reel_board_view_get_current_shot (ReelBoardView *self)
{
  g_return_val_if_fail (REEL_IS_BOARD_VIEW (self), NULL);

  return self->current_shot;
}

void
reel_board_view_set_current_shot (ReelBoardView *self,
                                  ReelShot      *shot)
{
  g_return_if_fail (REEL_IS_BOARD_VIEW (self));
  g_return_if_fail (!shot || REEL_IS_SHOT (shot));

  if (!g_set_object (&self->current_shot, shot))
    return;

  g_signal_group_set_target (self->sketch_signals, shot ? reel_shot_get_sketch (shot) : NULL);
  gtk_stack_set_visible_child_name (self->canvas_stack, shot ? "canvas" : "empty");
  reel_board_view_update_actions (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_SHOT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SKETCH_VISIBLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTES_VISIBLE]);
}

GtkWidget *
reel_board_view_get_canvas (ReelBoardView *self)
{
  g_return_val_if_fail (REEL_IS_BOARD_VIEW (self), NULL);

  return GTK_WIDGET (self->canvas);
}

GtkWidget *
reel_board_view_get_strip (ReelBoardView *self)
{
  g_return_val_if_fail (REEL_IS_BOARD_VIEW (self), NULL);

  return GTK_WIDGET (self->strip);
}

GtkWidget *
reel_board_view_get_inspector (ReelBoardView *self)
{
  g_return_val_if_fail (REEL_IS_BOARD_VIEW (self), NULL);

  return GTK_WIDGET (self->inspector);
}
