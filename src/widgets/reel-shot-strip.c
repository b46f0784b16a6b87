/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-shot-strip"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "core/reel-edit.h"

#include "reel-shot-card.h"
#include "reel-shot-strip.h"

struct _ReelShotStrip
{
  GtkWidget           parent_instance;

  ReelProject        *project;
  ReelShot           *current_shot;
  ReelThumbnailer    *thumbnailer;
  GtkMultiSelection  *selection;
  GListStore         *selected_shots;
  GListModel         *items;
  guint               resync_idle_id;
  gboolean            selecting;

  GtkScrolledWindow  *scroller;
  GtkListView        *list_view;
};

G_DEFINE_FINAL_TYPE (ReelShotStrip, reel_shot_strip, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_CURRENT_SHOT,
  PROP_SELECTED_SHOTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Each scene becomes its heading followed by its shots. */
static gpointer
scene_group_map (gpointer item,
                 gpointer user_data)
{
  g_autoptr(ReelScene) scene = item;
  GListStore *parts = g_list_store_new (G_TYPE_LIST_MODEL);
  g_autoptr(GListStore) heading = g_list_store_new (REEL_TYPE_SCENE);

  g_list_store_append (heading, scene);
  g_list_store_append (parts, heading);
  g_list_store_append (parts, reel_scene_get_shots (scene));

  return gtk_flatten_list_model_new (G_LIST_MODEL (parts));
}

guint
reel_shot_strip_get_position (ReelShotStrip *self,
                              ReelShot      *shot)
{
  ReelScene *shot_scene;
  guint position = 0;
  guint n_scenes;

  g_return_val_if_fail (REEL_IS_SHOT_STRIP (self), GTK_INVALID_LIST_POSITION);

  if (shot == NULL || self->project == NULL)
    return GTK_INVALID_LIST_POSITION;

  shot_scene = reel_shot_get_scene (shot);
  n_scenes = reel_project_get_n_scenes (self->project);

  for (guint i = 0; i < n_scenes; i++)
    {
      ReelScene *scene = reel_project_get_scene (self->project, i);
      guint index;

      if (scene == shot_scene)
        {
          if (!reel_scene_find_shot (scene, shot, &index))
            break;
          return position + 1 + index;
        }

      position += 1 + reel_scene_get_n_shots (scene);
    }

  return GTK_INVALID_LIST_POSITION;
}

/* The selected shots (never the headings), in strip order, notified on change. */
static void
reel_shot_strip_update_selected_shots (ReelShotStrip *self)
{
  g_autoptr(GPtrArray) shots = g_ptr_array_new ();
  guint n_selected = g_list_model_get_n_items (G_LIST_MODEL (self->selected_shots));
  gboolean same;

  if (self->selection != NULL)
    {
      GtkSelectionModel *selection = GTK_SELECTION_MODEL (self->selection);
      g_autoptr(GtkBitset) bitset = gtk_selection_model_get_selection (selection);
      GtkBitsetIter iter;
      guint position;

      for (gboolean more = gtk_bitset_iter_init_first (&iter, bitset, &position);
           more;
           more = gtk_bitset_iter_next (&iter, &position))
        {
          g_autoptr(GObject) item = g_list_model_get_item (self->items, position);

          if (REEL_IS_SHOT (item))
            g_ptr_array_add (shots, item);
        }
    }

  same = shots->len == n_selected;
  for (guint i = 0; same && i < shots->len; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->selected_shots), i);

      same = item == g_ptr_array_index (shots, i);
    }
  if (same)
    return;

  g_list_store_splice (self->selected_shots, 0, n_selected, shots->pdata, shots->len);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_SHOTS]);
}

static void
reel_shot_strip_sync_selection (ReelShotStrip *self,
                                gboolean       scroll)
{
  GtkSelectionModel *selection = GTK_SELECTION_MODEL (self->selection);
  guint position = reel_shot_strip_get_position (self, self->current_shot);

  if (self->selection == NULL)
    return;

  /* The current shot joins a selection of several without breaking it up. */
  self->selecting = TRUE;
  if (position == GTK_INVALID_LIST_POSITION)
    gtk_selection_model_unselect_all (selection);
  else if (!gtk_selection_model_is_selected (selection, position))
    gtk_selection_model_select_item (selection, position, TRUE);
  self->selecting = FALSE;

  reel_shot_strip_update_selected_shots (self);

  if (scroll && position != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u",
                                position);
}

static gboolean
resync_idle_cb (gpointer user_data)
{
  ReelShotStrip *self = user_data;

  self->resync_idle_id = 0;
  reel_shot_strip_sync_selection (self, FALSE);

  return G_SOURCE_REMOVE;
}

/* After shots move, the selection may have lost its item: put it back on the
 * current shot once the model has settled. */
static void
items_changed_cb (ReelShotStrip *self)
{
  if (self->resync_idle_id == 0)
    self->resync_idle_id = g_idle_add (resync_idle_cb, self);
}

static void
selection_changed_cb (ReelShotStrip *self)
{
  ReelShot *first;

  if (self->selecting)
    return;

  reel_shot_strip_update_selected_shots (self);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->selected_shots)) == 0)
    {
      /* Shots moved and took the selection with them: put it back. */
      items_changed_cb (self);
      return;
    }

  /* A click selects one card; Ctrl and Shift add to the selection, which keeps
   * the current shot when it is still in it. */
  first = g_list_model_get_item (G_LIST_MODEL (self->selected_shots), 0);
  if (self->current_shot == NULL ||
      !g_list_store_find (self->selected_shots, self->current_shot, NULL))
    reel_shot_strip_set_current_shot (self, first);
  g_object_unref (first);
}

/* Drag and drop */

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 ReelShotCard  *card)
{
  GObject *item = reel_shot_card_get_item (card);

  if (!REEL_IS_SHOT (item))
    return NULL;

  return gdk_content_provider_new_typed (REEL_TYPE_SHOT, item);
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               ReelShotCard  *card)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (card));

  gtk_drag_source_set_icon (source, paintable, 16, 16);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         ReelShotCard  *card)
{
  ReelShotStrip *self = REEL_SHOT_STRIP (gtk_widget_get_ancestor (GTK_WIDGET (card),
                                                                  REEL_TYPE_SHOT_STRIP));
  ReelShot *shot = g_value_get_object (value);
  GObject *onto = reel_shot_card_get_item (card);
  ReelScene *scene;
  guint position = 0;

  if (self == NULL || self->project == NULL || !REEL_IS_SHOT (shot) || onto == G_OBJECT (shot))
    return FALSE;

  /* A shot from another project (another window) is pasted, not moved. */
  if (reel_shot_get_scene (shot) == NULL ||
      reel_scene_get_project (reel_shot_get_scene (shot)) != self->project)
    return FALSE;

  if (REEL_IS_SCENE (onto))
    {
      /* Onto a heading: the first shot of that scene. */
      scene = REEL_SCENE (onto);
    }
  else if (REEL_IS_SHOT (onto))
    {
      /* Onto a card: the dragged shot takes its place. */
      scene = reel_shot_get_scene (REEL_SHOT (onto));
      if (scene == NULL || !reel_scene_find_shot (scene, REEL_SHOT (onto), &position))
        return FALSE;
    }
  else
    {
      return FALSE;
    }

  if (!reel_edit_move_shot (self->project, shot, scene, position))
    return FALSE;

  reel_shot_strip_set_current_shot (self, shot);
  return TRUE;
}

/* Cards */

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          ReelShotStrip            *self)
{
  GtkWidget *card = reel_shot_card_new (self->thumbnailer);
  GtkDragSource *source = gtk_drag_source_new ();
  GtkDropTarget *target = gtk_drop_target_new (REEL_TYPE_SHOT, GDK_ACTION_MOVE);

  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (drag_prepare_cb), card);
  g_signal_connect (source, "drag-begin", G_CALLBACK (drag_begin_cb), card);
  gtk_widget_add_controller (card, GTK_EVENT_CONTROLLER (source));

  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), card);
  gtk_widget_add_controller (card, GTK_EVENT_CONTROLLER (target));

  gtk_list_item_set_child (list_item, card);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         ReelShotStrip            *self)
{
  GObject *item = gtk_list_item_get_item (list_item);
  ReelShotCard *card = REEL_SHOT_CARD (gtk_list_item_get_child (list_item));

  /* Headings group the cards; they cannot be selected themselves. */
  gtk_list_item_set_selectable (list_item, REEL_IS_SHOT (item));
  gtk_list_item_set_activatable (list_item, REEL_IS_SHOT (item));
  reel_shot_card_set_item (card, self->project, item);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           ReelShotStrip            *self)
{
  reel_shot_card_set_item (REEL_SHOT_CARD (gtk_list_item_get_child (list_item)), NULL, NULL);
}

/* GObject */

static void
reel_shot_strip_dispose (GObject *object)
{
  ReelShotStrip *self = REEL_SHOT_STRIP (object);

  g_clear_handle_id (&self->resync_idle_id, g_source_remove);
  reel_shot_strip_set_project (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), REEL_TYPE_SHOT_STRIP);

  G_OBJECT_CLASS (reel_shot_strip_parent_class)->dispose (object);
}

static void
reel_shot_strip_finalize (GObject *object)
{
  ReelShotStrip *self = REEL_SHOT_STRIP (object);

  g_clear_object (&self->thumbnailer);
  g_clear_object (&self->selected_shots);

  G_OBJECT_CLASS (reel_shot_strip_parent_class)->finalize (object);
}

static void
reel_shot_strip_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ReelShotStrip *self = REEL_SHOT_STRIP (object);

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
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_shot_strip_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  ReelShotStrip *self = REEL_SHOT_STRIP (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      reel_shot_strip_set_project (self, g_value_get_object (value));
      break;
    case PROP_CURRENT_SHOT:
      reel_shot_strip_set_current_shot (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_shot_strip_class_init (ReelShotStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reel_shot_strip_dispose;
  object_class->finalize = reel_shot_strip_finalize;
  object_class->get_property = reel_shot_strip_get_property;
  object_class->set_property = reel_shot_strip_set_property;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, REEL_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CURRENT_SHOT] =
    g_param_spec_object ("current-shot", NULL, NULL, REEL_TYPE_SHOT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SELECTED_SHOTS] =
    g_param_spec_object ("selected-shots", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/reel-shot-strip.ui");
  gtk_widget_class_bind_template_child (widget_class, ReelShotStrip, scroller);
  gtk_widget_class_bind_template_child (widget_class, ReelShotStrip, list_view);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "reelshotstrip");
}

/* A mouse wheel turns up and down; the strip only goes sideways, so a turn of the wheel
 * scrolls it as the scroll bar's arrows would. A touchpad's sideways swipe (any dx) is left
 * to the scrolled window. */
static gboolean
wheel_cb (GtkEventControllerScroll *controller,
          double                    dx,
          double                    dy,
          ReelShotStrip            *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_hadjustment (self->scroller);
  double page = gtk_adjustment_get_page_size (adjustment);
  double step;

  if (dx != 0.0 || dy == 0.0)
    return GDK_EVENT_PROPAGATE;

  /* GTK's own step for a wheel's notch: a page to the power of two thirds. */
  step = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL
           ? pow (page, 2.0 / 3.0)
           : 1.0;
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + dy * step);
  return GDK_EVENT_STOP;
}

static void
reel_shot_strip_init (ReelShotStrip *self)
{
  GtkListItemFactory *factory;
  GtkEventController *wheel;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Ahead of the scrolled window, which has no use for an up-and-down turn here. */
  wheel = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  gtk_event_controller_set_propagation_phase (wheel, GTK_PHASE_CAPTURE);
  g_signal_connect (wheel, "scroll", G_CALLBACK (wheel_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), wheel);

  self->thumbnailer = reel_thumbnailer_new (0);
  self->selected_shots = g_list_store_new (REEL_TYPE_SHOT);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
}

GtkWidget *
reel_shot_strip_new (void)
{
  return g_object_new (REEL_TYPE_SHOT_STRIP, NULL);
}

ReelProject *
reel_shot_strip_get_project (ReelShotStrip *self)
{
  g_return_val_if_fail (REEL_IS_SHOT_STRIP (self), NULL);

  return self->project;
}

void
reel_shot_strip_set_project (ReelShotStrip *self,
                             ReelProject   *project)
{
  gboolean current_changed = FALSE;

  g_return_if_fail (REEL_IS_SHOT_STRIP (self));
  g_return_if_fail (!project || REEL_IS_PROJECT (project));

  if (self->project == project)
    return;

  if (self->items != NULL)
    g_signal_handlers_disconnect_by_func (self->items, items_changed_cb, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_func (self->selection, selection_changed_cb, self);

  gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->items);
  g_set_object (&self->project, project);

  /* Only a shot of another project is forgotten: the owner may have set the
   * current shot before the project reached us. */
  if (self->current_shot != NULL &&
      (project == NULL || reel_shot_get_scene (self->current_shot) == NULL ||
       reel_scene_get_project (reel_shot_get_scene (self->current_shot)) != project))
    {
      g_clear_object (&self->current_shot);
      current_changed = TRUE;
    }
  reel_thumbnailer_clear (self->thumbnailer);

  if (project != NULL)
    {
      GtkMapListModel *groups;

      groups = gtk_map_list_model_new (g_object_ref (reel_project_get_scenes (project)),
                                       scene_group_map, NULL, NULL);
      self->items = G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (groups)));
      self->selection = gtk_multi_selection_new (g_object_ref (self->items));
      g_signal_connect_swapped (self->selection, "selection-changed",
                                G_CALLBACK (selection_changed_cb), self);
      g_signal_connect_swapped (self->items, "items-changed",
                                G_CALLBACK (items_changed_cb), self);
      gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
      reel_shot_strip_sync_selection (self, TRUE);
    }

  reel_shot_strip_update_selected_shots (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
  if (current_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_SHOT]);
}

ReelShot *
reel_shot_strip_get_current_shot (ReelShotStrip *self)
{
  g_return_val_if_fail (REEL_IS_SHOT_STRIP (self), NULL);

  return self->current_shot;
}

void
reel_shot_strip_set_current_shot (ReelShotStrip *self,
                                  ReelShot      *shot)
{
  g_return_if_fail (REEL_IS_SHOT_STRIP (self));
  g_return_if_fail (!shot || REEL_IS_SHOT (shot));

  if (g_set_object (&self->current_shot, shot))
    {
      reel_shot_strip_sync_selection (self, TRUE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_SHOT]);
    }
}

ReelThumbnailer *
reel_shot_strip_get_thumbnailer (ReelShotStrip *self)
{
  g_return_val_if_fail (REEL_IS_SHOT_STRIP (self), NULL);

  return self->thumbnailer;
}

GListModel *
reel_shot_strip_get_items (ReelShotStrip *self)
{
  g_return_val_if_fail (REEL_IS_SHOT_STRIP (self), NULL);

  return self->items;
}

GListModel *
reel_shot_strip_get_selected_shots (ReelShotStrip *self)
{
  g_return_val_if_fail (REEL_IS_SHOT_STRIP (self), NULL);

  return G_LIST_MODEL (self->selected_shots);
}

GtkAdjustment *
reel_shot_strip_get_hadjustment (ReelShotStrip *self)
{
  g_return_val_if_fail (REEL_IS_SHOT_STRIP (self), NULL);

  return gtk_scrolled_window_get_hadjustment (self->scroller);
}
