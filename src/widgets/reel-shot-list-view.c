/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-shot-list-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>
#include <stdlib.h>

#include "core/reel-edit.h"
#include "core/reel-shot-camera.h"

#include "reel-shot-list-view.h"

struct _ReelShotListView
{
  GtkWidget parent_instance;

  ReelProject *project;
  ReelShot *current_shot;

  /* scenes → their shot lists → one flat list → sorted by the column headers */
  GtkFlattenListModel *shots;
  GtkSortListModel *sorted;
  GtkMultiSelection *selection;
  /* The selected shots, kept across model changes: moving a shot removes and
   * re-inserts it, and the selection model forgets removed rows. */
  GHashTable *selected;
  GListStore *selected_shots;
  guint restoring_selection : 1;
  guint syncing_current : 1;
  /* A drop is moving shots: see move_shots_beside(). */
  guint holding_current : 1;

  GtkColumnView *column_view;
  GtkLabel *summary_label;
  GtkPopoverMenu *context_menu;
  GMenuModel *context_menu_model;

  /* Drop indicator */
  GtkWidget *drop_row;
};

G_DEFINE_FINAL_TYPE (ReelShotListView, reel_shot_list_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_CURRENT_SHOT,
  PROP_SELECTED_SHOTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Columns */

typedef enum
{
  CELL_HANDLE,
  CELL_SCENE,
  CELL_TEXT,
  CELL_VOCAB,
  CELL_LENS,
  CELL_DURATION,
} CellKind;

typedef struct
{
  const char     *id;
  const char     *title;
  CellKind        kind;
  const char     *property;
  ReelVocabulary  vocabulary;
  int             width;
  gboolean        expand;
} ColumnInfo;

static const ColumnInfo column_infos[] = {
  { "handle", NULL, CELL_HANDLE, NULL, 0, 32, FALSE },
  { "scene", N_("Scene"), CELL_SCENE, NULL, 0, 130, FALSE },
  { "shot", N_("Shot"), CELL_TEXT, "number", 0, 64, FALSE },
  { "size", N_("Size"), CELL_VOCAB, "size", REEL_VOCAB_SIZE, 92, FALSE },
  { "angle", N_("Angle"), CELL_VOCAB, "angle", REEL_VOCAB_ANGLE, 130, FALSE },
  { "movement", N_("Movement"), CELL_VOCAB, "movement", REEL_VOCAB_MOVEMENT, 136, FALSE },
  { "lens", N_("Lens"), CELL_LENS, "lens-mm", 0, 118, FALSE },
  { "duration", N_("Duration"), CELL_DURATION, "duration", 0, 124, FALSE },
  { "description", N_("Description"), CELL_TEXT, "description", 0, 220, TRUE },
  { "dialogue", N_("Dialogue"), CELL_TEXT, "dialogue", 0, 180, TRUE },
  { "cast", N_("Cast"), CELL_TEXT, "cast", 0, 100, FALSE },
  { "status", N_("Status"), CELL_VOCAB, "status", REEL_VOCAB_STATUS, 124, FALSE },
  { "notes", N_("Notes"), CELL_TEXT, "notes", 0, 160, TRUE },
};

/* One cell: the widget, the shot it shows and the signal that keeps it current. */
typedef struct
{
  ReelShotListView *view;
  const ColumnInfo *info;
  GtkWidget *widget;
  ReelShot *shot;
  ReelScene *scene;
  gulong shot_handler;
  gulong scene_handler;
  gboolean updating;
  /* Text cells: a label, and the text field that replaces it while editing. */
  GtkWidget *label;
  GtkWidget *text;
  gboolean editing;
  guint start_idle;
} Cell;

static GQuark cell_quark;

static void
cell_unbind (Cell *cell)
{
  g_clear_handle_id (&cell->start_idle, g_source_remove);
  if (cell->shot != NULL)
    g_clear_signal_handler (&cell->shot_handler, cell->shot);
  if (cell->scene != NULL)
    g_clear_signal_handler (&cell->scene_handler, cell->scene);
  g_clear_object (&cell->shot);
  g_clear_object (&cell->scene);
}

static void
cell_free (Cell *cell)
{
  cell_unbind (cell);
  g_free (cell);
}

static Cell *
cell_from_widget (GtkWidget *widget)
{
  return g_object_get_qdata (G_OBJECT (widget), cell_quark);
}

static ReelFrameRate
view_frame_rate (ReelShotListView *self)
{
  return self->project != NULL ? reel_project_get_frame_rate (self->project)
                               : REEL_FRAME_RATE_DEFAULT;
}

static char *
dup_scene_label (ReelScene *scene)
{
  const char *number = reel_scene_get_number (scene);
  const char *heading = reel_scene_get_heading (scene);

  if (*number == '\0')
    return g_strdup (heading);
  if (*heading == '\0')
    return g_strdup (number);

  /* Translators: scene number and heading in the shot list: "12 · EXT. HARBOUR - DAWN". */
  return g_strdup_printf (_("%s · %s"), number, heading);
}

static void
cell_update (Cell *cell)
{
  ReelShot *shot = cell->shot;

  if (shot == NULL)
    return;

  cell->updating = TRUE;

  switch (cell->info->kind)
    {
    case CELL_HANDLE:
      break;

    case CELL_SCENE:
      {
        g_autofree char *label = cell->scene != NULL ? dup_scene_label (cell->scene) : NULL;

        gtk_label_set_text (GTK_LABEL (cell->widget), label != NULL ? label : "");
        gtk_widget_set_tooltip_text (cell->widget, label);
      }
      break;

    case CELL_TEXT:
      {
        g_autofree char *text = NULL;

        g_object_get (shot, cell->info->property, &text, NULL);
        gtk_label_set_text (GTK_LABEL (cell->label), text != NULL ? text : "");
        /* Only when not editing: a notify must not throw away what is being typed. */
        if (!cell->editing)
          gtk_editable_set_text (GTK_EDITABLE (cell->text), text != NULL ? text : "");
        gtk_widget_set_tooltip_text (cell->widget, text != NULL && *text != '\0' ? text : NULL);
      }
      break;

    case CELL_VOCAB:
      {
        g_autofree char *id = NULL;
        int index;

        g_object_get (shot, cell->info->property, &id, NULL);
        index = reel_camera_get_index (cell->info->vocabulary, id);
        gtk_drop_down_set_selected (GTK_DROP_DOWN (cell->widget),
                                    index >= 0 ? (guint) index : GTK_INVALID_LIST_POSITION);
      }
      break;

    case CELL_LENS:
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (cell->widget), reel_shot_get_lens_mm (shot));
      break;

    case CELL_DURATION:
      {
        GtkSpinButton *spin = GTK_SPIN_BUTTON (cell->widget);
        int fps = reel_frame_rate_get_nominal (view_frame_rate (cell->view));

        /* Arrows step a second at the project's rate. */
        gtk_spin_button_set_increments (spin, MAX (fps, 1), MAX (fps, 1) * 10);
        gtk_spin_button_set_value (spin, (double) reel_shot_get_duration (shot));
        /* The text is ours (see duration_output_cb); make sure it is redrawn. */
        gtk_spin_button_update (spin);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  cell->updating = FALSE;
}

static void
cell_property_changed_cb (Cell *cell)
{
  cell_update (cell);
}

/* Edits */

/* Text cells edit in place like GtkEditableLabel: a click or Enter starts, Enter or
 * leaving the field keeps the text, Escape drops it. (GTK 4.8's GtkEditableLabel
 * stops editing from a timeout that outlives it, which crashes when a row is rebuilt
 * right after the focus moved: rows are rebuilt whenever shots move.) */

static void
text_cell_stop (Cell     *cell,
                gboolean  commit)
{
  g_autofree char *current = NULL;
  const char *text;

  if (!cell->editing)
    return;

  cell->editing = FALSE;
  text = gtk_editable_get_text (GTK_EDITABLE (cell->text));

  if (commit && cell->shot != NULL && cell->view->project != NULL)
    {
      g_object_get (cell->shot, cell->info->property, &current, NULL);
      if (g_strcmp0 (current, text) != 0)
        reel_edit_set_string (cell->view->project, G_OBJECT (cell->shot), cell->info->property,
                              text);
    }

  /* Back to what the model holds (the edit, or the old text when cancelled). */
  cell_update (cell);
  gtk_stack_set_visible_child (GTK_STACK (cell->widget), cell->label);
  gtk_widget_remove_css_class (cell->widget, "editing");
}

static void
text_cell_start (Cell *cell)
{
  if (cell->editing || cell->shot == NULL)
    return;

  cell->editing = TRUE;
  gtk_widget_add_css_class (cell->widget, "editing");
  gtk_stack_set_visible_child (GTK_STACK (cell->widget), cell->text);
  gtk_widget_grab_focus (cell->text);
  gtk_editable_select_region (GTK_EDITABLE (cell->text), 0, -1);
}

static gboolean
text_cell_start_idle_cb (gpointer data)
{
  Cell *cell = data;

  cell->start_idle = 0;
  text_cell_start (cell);

  return G_SOURCE_REMOVE;
}

static void
text_cell_clicked_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      Cell            *cell)
{
  /* After the row has taken the focus for the click, which it does last. */
  if (cell->start_idle == 0)
    cell->start_idle = g_idle_add (text_cell_start_idle_cb, cell);
}

static gboolean
text_cell_start_cb (GtkWidget *widget,
                    GVariant  *args,
                    Cell      *cell)
{
  if (cell->editing)
    return FALSE;

  text_cell_start (cell);
  return TRUE;
}

static gboolean
text_cell_cancel_cb (GtkWidget *widget,
                     GVariant  *args,
                     Cell      *cell)
{
  if (!cell->editing)
    return FALSE;

  text_cell_stop (cell, FALSE);
  gtk_widget_grab_focus (cell->widget);
  return TRUE;
}

static void
text_cell_activate_cb (GtkText *text,
                       Cell    *cell)
{
  text_cell_stop (cell, TRUE);
  gtk_widget_grab_focus (cell->widget);
}

static void
text_cell_focus_leave_cb (GtkEventControllerFocus *controller,
                          Cell                    *cell)
{

  text_cell_stop (cell, TRUE);
}

static GtkWidget *
text_cell_new (Cell *cell)
{
  GtkWidget *stack = gtk_stack_new ();
  GtkEventController *controller;
  GtkGesture *click;

  cell->label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (cell->label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (cell->label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (cell->label), TRUE);
  gtk_label_set_width_chars (GTK_LABEL (cell->label), 3);
  cell->text = gtk_text_new ();
  gtk_stack_add_child (GTK_STACK (stack), cell->label);
  gtk_stack_add_child (GTK_STACK (stack), cell->text);
  gtk_stack_set_visible_child (GTK_STACK (stack), cell->label);
  gtk_stack_set_hhomogeneous (GTK_STACK (stack), FALSE);
  gtk_widget_set_focusable (stack, TRUE);
  gtk_widget_add_css_class (stack, "reel-text-cell");

  click = gtk_gesture_click_new ();
  g_signal_connect (click, "released", G_CALLBACK (text_cell_clicked_cb), cell);
  gtk_widget_add_controller (cell->label, GTK_EVENT_CONTROLLER (click));

  controller = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
    gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Return, 0),
                                                   gtk_keyval_trigger_new (GDK_KEY_KP_Enter, 0)),
                      gtk_callback_action_new ((GtkShortcutFunc) text_cell_start_cb, cell, NULL)));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                      gtk_callback_action_new ((GtkShortcutFunc) text_cell_cancel_cb, cell, NULL)));
  gtk_widget_add_controller (stack, controller);

  g_signal_connect (cell->text, "activate", G_CALLBACK (text_cell_activate_cb), cell);
  controller = gtk_event_controller_focus_new ();
  g_signal_connect (controller, "leave", G_CALLBACK (text_cell_focus_leave_cb), cell);
  gtk_widget_add_controller (cell->text, controller);

  return stack;
}

static void
vocab_selected_cb (GtkDropDown *drop_down,
                   GParamSpec  *pspec,
                   Cell        *cell)
{
  guint selected = gtk_drop_down_get_selected (drop_down);
  const ReelVocabEntry *entries;
  guint n_entries;

  if (cell->updating || cell->shot == NULL || cell->view->project == NULL)
    return;

  entries = reel_camera_get_vocabulary (cell->info->vocabulary, &n_entries);
  if (selected >= n_entries)
    return;

  reel_edit_set_string (cell->view->project, G_OBJECT (cell->shot), cell->info->property,
                        entries[selected].id);
}

static void
spin_value_changed_cb (GtkSpinButton *spin,
                       Cell          *cell)
{
  double value = gtk_spin_button_get_value (spin);

  if (cell->updating || cell->shot == NULL || cell->view->project == NULL)
    return;

  if (cell->info->kind == CELL_LENS)
    {
      if (value != reel_shot_get_lens_mm (cell->shot))
        reel_edit_set_double (cell->view->project, G_OBJECT (cell->shot), "lens-mm", value);
    }
  else
    {
      gint64 frames = (gint64) (value + 0.5);

      if (frames != reel_shot_get_duration (cell->shot))
        reel_edit_set_int64 (cell->view->project, G_OBJECT (cell->shot), "duration", frames);
    }
}

static gboolean
lens_output_cb (GtkSpinButton *spin,
                Cell          *cell)
{
  g_autofree char *text = NULL;

  /* Translators: a focal length in millimetres, "35 mm". */
  text = g_strdup_printf (_("%g mm"), gtk_spin_button_get_value (spin));
  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);

  return TRUE;
}

static int
lens_input_cb (GtkSpinButton *spin,
               double        *new_value,
               Cell          *cell)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  char *end = NULL;
  double value;

  /* "35", "35mm", "35 mm", "32,5" */
  g_autofree char *normalised = g_strdelimit (g_strdup (text), ",", '.');

  value = g_ascii_strtod (normalised, &end);
  if (end == normalised || value <= 0)
    return GTK_INPUT_ERROR;

  *new_value = value;
  return TRUE;
}

/* Translators: a duration in seconds, "2.00 s". Keep the %s; the unit may be translated
 * ("%s초"): the cell reads its own text back. */
#define DURATION_FORMAT _("%s s")

static gboolean
duration_output_cb (GtkSpinButton *spin,
                    Cell          *cell)
{
  g_autofree char *seconds = NULL;
  g_autofree char *text = NULL;

  seconds = reel_timecode_format_seconds ((gint64) gtk_spin_button_get_value (spin),
                                          view_frame_rate (cell->view));
  text = g_strdup_printf (DURATION_FORMAT, seconds);
  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);

  return TRUE;
}

static int
duration_input_cb (GtkSpinButton *spin,
                   double        *new_value,
                   Cell          *cell)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  const char *after = strstr (DURATION_FORMAT, "%s");
  g_autofree char *unit = g_strstrip (g_strdup (after != NULL ? after + 2 : ""));
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  gint64 frames;

  /* What the cell shows comes back through here: drop a translated unit ("2.00초")
   * so the parser sees seconds it knows. */
  if (*unit != '\0' && !g_str_equal (unit, "s") && g_str_has_suffix (stripped, unit))
    {
      stripped[strlen (stripped) - strlen (unit)] = '\0';
      g_strstrip (stripped);
    }

  /* Seconds ("2.5", "2.5 s"), frames ("60f") or timecode ("00:00:02:12"). */
  if (!reel_timecode_parse (stripped, view_frame_rate (cell->view), &frames, NULL) || frames < 1)
    return GTK_INPUT_ERROR;

  *new_value = (double) frames;
  return TRUE;
}

/* Factories */

/* The drop-downs list vocabulary ids; the button may show the short label ("MCU") to
 * keep the column narrow, the popup always shows the full one ("Medium Close-Up"). */
static GListModel *
create_vocabulary_ids (ReelVocabulary kind)
{
  GtkStringList *ids = gtk_string_list_new (NULL);
  const ReelVocabEntry *entries;
  guint n_entries;

  entries = reel_camera_get_vocabulary (kind, &n_entries);
  for (guint i = 0; i < n_entries; i++)
    gtk_string_list_append (ids, entries[i].id);

  return G_LIST_MODEL (ids);
}

static void
vocab_label_setup_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
vocab_label_bind_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     const ColumnInfo         *info)
{
  GtkStringObject *id = gtk_list_item_get_item (item);
  gboolean short_label = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "reel-short"));
  const char *text;

  if (short_label)
    text = reel_camera_get_short_label (info->vocabulary, gtk_string_object_get_string (id));
  else
    text = reel_camera_get_label (info->vocabulary, gtk_string_object_get_string (id));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static GtkListItemFactory *
create_vocabulary_factory (const ColumnInfo *info,
                           gboolean          short_label)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_object_set_data (G_OBJECT (factory), "reel-short", GINT_TO_POINTER (short_label));
  g_signal_connect (factory, "setup", G_CALLBACK (vocab_label_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (vocab_label_bind_cb), (gpointer) info);

  return factory;
}

static GdkContentProvider *
handle_drag_prepare_cb (GtkDragSource *source,
                        double         x,
                        double         y,
                        Cell          *cell)
{
  if (cell->shot == NULL)
    return NULL;

  return gdk_content_provider_new_typed (REEL_TYPE_SHOT, cell->shot);
}

static void
handle_drag_begin_cb (GtkDragSource *source,
                      GdkDrag       *drag,
                      Cell          *cell)
{
  GtkWidget *row = gtk_widget_get_parent (gtk_widget_get_parent (cell->widget));
  g_autoptr(GdkPaintable) paintable = NULL;

  /* The row itself follows the pointer. */
  if (row != NULL)
    {
      paintable = gtk_widget_paintable_new (row);
      gtk_drag_source_set_icon (source, paintable, 16, 16);
    }
}

static void
factory_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  const ColumnInfo         *info)
{
  ReelShotListView *self = g_object_get_data (G_OBJECT (factory), "reel-view");
  Cell *cell = g_new0 (Cell, 1);
  GtkWidget *widget = NULL;

  cell->view = self;
  cell->info = info;

  switch (info->kind)
    {
    case CELL_HANDLE:
      {
        GtkDragSource *source = gtk_drag_source_new ();

        widget = gtk_image_new_from_icon_name ("list-drag-handle-symbolic");
        gtk_widget_add_css_class (widget, "dim-label");
        gtk_widget_set_tooltip_text (widget, _("Drag to Move the Shot"));
        gtk_drag_source_set_actions (source, GDK_ACTION_MOVE | GDK_ACTION_COPY);
        g_signal_connect (source, "prepare", G_CALLBACK (handle_drag_prepare_cb), cell);
        g_signal_connect (source, "drag-begin", G_CALLBACK (handle_drag_begin_cb), cell);
        gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (source));
      }
      break;

    case CELL_SCENE:
      widget = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (widget), 0);
      gtk_label_set_ellipsize (GTK_LABEL (widget), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (widget, "dim-label");
      break;

    case CELL_TEXT:
      widget = text_cell_new (cell);
      break;

    case CELL_VOCAB:
      {
        GListModel *ids = g_object_get_data (G_OBJECT (factory), "reel-ids");
        /* Sizes have well-known abbreviations ("MCU"); other vocabularies read
         * better in full. */
        g_autoptr(GtkListItemFactory) button_factory =
          create_vocabulary_factory (info, info->vocabulary == REEL_VOCAB_SIZE);
        g_autoptr(GtkListItemFactory) list_factory = create_vocabulary_factory (info, FALSE);

        widget = gtk_drop_down_new (g_object_ref (ids), NULL);
        gtk_drop_down_set_factory (GTK_DROP_DOWN (widget), button_factory);
        gtk_drop_down_set_list_factory (GTK_DROP_DOWN (widget), list_factory);
        g_signal_connect (widget, "notify::selected", G_CALLBACK (vocab_selected_cb), cell);
      }
      break;

    case CELL_LENS:
      widget = gtk_spin_button_new_with_range (1, 2000, 1);
      gtk_spin_button_set_increments (GTK_SPIN_BUTTON (widget), 1, 10);
      gtk_spin_button_set_digits (GTK_SPIN_BUTTON (widget), 1);
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (widget), FALSE);
      gtk_editable_set_width_chars (GTK_EDITABLE (widget), 6);
      g_signal_connect (widget, "output", G_CALLBACK (lens_output_cb), cell);
      g_signal_connect (widget, "input", G_CALLBACK (lens_input_cb), cell);
      g_signal_connect (widget, "value-changed", G_CALLBACK (spin_value_changed_cb), cell);
      break;

    case CELL_DURATION:
      widget = gtk_spin_button_new_with_range (1, G_MAXINT32, 24);
      gtk_spin_button_set_digits (GTK_SPIN_BUTTON (widget), 0);
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (widget), FALSE);
      gtk_editable_set_width_chars (GTK_EDITABLE (widget), 7);
      g_signal_connect (widget, "output", G_CALLBACK (duration_output_cb), cell);
      g_signal_connect (widget, "input", G_CALLBACK (duration_input_cb), cell);
      g_signal_connect (widget, "value-changed", G_CALLBACK (spin_value_changed_cb), cell);
      break;

    default:
      g_assert_not_reached ();
    }

  cell->widget = widget;
  /* The column's id: a handle for CSS and for tests that look for a cell. */
  gtk_widget_set_name (widget, info->id);
  g_object_set_qdata_full (G_OBJECT (widget), cell_quark, cell, (GDestroyNotify) cell_free);
  gtk_list_item_set_child (item, widget);
}

static void
factory_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 const ColumnInfo         *info)
{
  GtkWidget *widget = gtk_list_item_get_child (item);
  Cell *cell = cell_from_widget (widget);
  ReelShot *shot = gtk_list_item_get_item (item);

  /* GTK 4.8 unbinds and binds a row again when only its selection changed, so a cell
   * lets go of its shot only here, when it is given another one: an edit about to
   * start survives the click that selected the row. */
  if (cell->shot == shot)
    {
      cell_update (cell);
      return;
    }

  /* A row reused for another shot drops an edit under way: writing to the model
   * now, in the middle of the list's own update, is not safe. */
  if (cell->editing)
    {
      cell->editing = FALSE;
      gtk_stack_set_visible_child (GTK_STACK (cell->widget), cell->label);
      gtk_widget_remove_css_class (cell->widget, "editing");
    }
  cell_unbind (cell);
  cell->shot = g_object_ref (shot);

  if (info->property != NULL)
    {
      g_autofree char *signal = g_strconcat ("notify::", info->property, NULL);

      cell->shot_handler = g_signal_connect_swapped (shot, signal,
                                                     G_CALLBACK (cell_property_changed_cb), cell);
    }

  if (info->kind == CELL_SCENE && reel_shot_get_scene (shot) != NULL)
    {
      cell->scene = g_object_ref (reel_shot_get_scene (shot));
      cell->scene_handler = g_signal_connect_swapped (cell->scene, "notify",
                                                      G_CALLBACK (cell_property_changed_cb),
                                                      cell);
    }

  if (info->title != NULL)
    {
      g_autofree char *label = NULL;

      /* Translators: the accessible name of a cell: "Size of shot 12A". */
      label = g_strdup_printf (_("%s of shot %s"), _(info->title), reel_shot_get_number (shot));
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      -1);
    }

  cell_update (cell);
}

/* Sorting */

static int
compare_project_order (gconstpointer a,
                       gconstpointer b,
                       gpointer      user_data)
{
  ReelShot *shot_a = REEL_SHOT ((gpointer) a);
  ReelShot *shot_b = REEL_SHOT ((gpointer) b);
  ReelScene *scene_a = reel_shot_get_scene (shot_a);
  ReelScene *scene_b = reel_shot_get_scene (shot_b);
  ReelProject *project = scene_a != NULL ? reel_scene_get_project (scene_a) : NULL;
  guint position_a = 0, position_b = 0;

  if (scene_a != scene_b && project != NULL && scene_b != NULL)
    {
      reel_project_find_scene_position (project, scene_a, &position_a);
      reel_project_find_scene_position (project, scene_b, &position_b);
    }
  else if (scene_a != NULL)
    {
      reel_scene_find_shot (scene_a, shot_a, &position_a);
      reel_scene_find_shot (scene_a, shot_b, &position_b);
    }

  return position_a < position_b ? GTK_ORDERING_SMALLER :
         position_a > position_b ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static int
compare_shot_numbers (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  /* "2" before "10", "12A" before "12B". */
  const char *number_a = reel_shot_get_number ((ReelShot *) a);
  const char *number_b = reel_shot_get_number ((ReelShot *) b);
  g_autofree char *key_a = g_utf8_collate_key_for_filename (number_a, -1);
  g_autofree char *key_b = g_utf8_collate_key_for_filename (number_b, -1);
  int result = strcmp (key_a, key_b);

  return result < 0 ? GTK_ORDERING_SMALLER : result > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static int
compare_vocabulary (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  const ColumnInfo *info = user_data;
  g_autofree char *id_a = NULL;
  g_autofree char *id_b = NULL;
  int index_a, index_b;

  /* The vocabulary's own order: wide to close, not alphabetical. */
  g_object_get ((gpointer) a, info->property, &id_a, NULL);
  g_object_get ((gpointer) b, info->property, &id_b, NULL);
  index_a = reel_camera_get_index (info->vocabulary, id_a);
  index_b = reel_camera_get_index (info->vocabulary, id_b);

  return index_a < index_b ? GTK_ORDERING_SMALLER :
         index_a > index_b ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static GtkSorter *
create_sorter (const ColumnInfo *info)
{
  switch (info->kind)
    {
    case CELL_SCENE:
      return GTK_SORTER (gtk_custom_sorter_new (compare_project_order, NULL, NULL));
    case CELL_TEXT:
      if (g_str_equal (info->property, "number"))
        return GTK_SORTER (gtk_custom_sorter_new (compare_shot_numbers, NULL, NULL));
      return GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (REEL_TYPE_SHOT, NULL,
                                                                             info->property)));
    case CELL_VOCAB:
      return GTK_SORTER (gtk_custom_sorter_new (compare_vocabulary, (gpointer) info, NULL));
    case CELL_LENS:
    case CELL_DURATION:
      return GTK_SORTER (gtk_numeric_sorter_new (gtk_property_expression_new (REEL_TYPE_SHOT, NULL,
                                                                              info->property)));
    case CELL_HANDLE:
    default:
      return NULL;
    }
}

static void
reel_shot_list_view_add_columns (ReelShotListView *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (column_infos); i++)
    {
      const ColumnInfo *info = &column_infos[i];
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;
      g_autoptr(GtkSorter) sorter = NULL;

      g_object_set_data (G_OBJECT (factory), "reel-view", self);
      if (info->kind == CELL_VOCAB)
        g_object_set_data_full (G_OBJECT (factory), "reel-ids",
                                create_vocabulary_ids (info->vocabulary), g_object_unref);
      g_signal_connect (factory, "setup", G_CALLBACK (factory_setup_cb), (gpointer) info);
      g_signal_connect (factory, "bind", G_CALLBACK (factory_bind_cb), (gpointer) info);

      column = gtk_column_view_column_new (info->title != NULL ? _(info->title) : NULL, factory);
      gtk_column_view_column_set_resizable (column, info->kind != CELL_HANDLE);
      gtk_column_view_column_set_fixed_width (column, info->width);
      gtk_column_view_column_set_expand (column, info->expand);
      sorter = create_sorter (info);
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_append_column (self->column_view, column);
    }
}

/* Selection */

static GtkWidget *
find_list_view (ReelShotListView *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;

  return NULL;
}

static guint
find_row (ReelShotListView *self,
          ReelShot         *shot)
{
  GListModel *model;

  if (self->selection == NULL || shot == NULL)
    return GTK_INVALID_LIST_POSITION;

  model = G_LIST_MODEL (self->selection);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ReelShot) item = g_list_model_get_item (model, i);

      if (item == shot)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static void
update_selected_shots (ReelShotListView *self)
{
  g_autoptr(GPtrArray) shots = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer shot;

  g_hash_table_iter_init (&iter, self->selected);
  while (g_hash_table_iter_next (&iter, &shot, NULL))
    if (reel_shot_get_scene (shot) != NULL)
      g_ptr_array_add (shots, shot);

  g_list_store_splice (self->selected_shots, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->selected_shots)),
                       shots->pdata, shots->len);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_SHOTS]);
}

static void
set_current_from_view (ReelShotListView *self,
                       ReelShot         *shot)
{
  self->syncing_current = TRUE;
  reel_shot_list_view_set_current_shot (self, shot);
  self->syncing_current = FALSE;
}

static void
selection_changed_cb (GtkSelectionModel *model,
                      guint              position,
                      guint              n_items,
                      ReelShotListView  *self)
{
  g_autoptr(GtkBitset) selection = NULL;
  GtkBitsetIter iter;
  guint index;
  ReelShot *newly_selected = NULL;
  guint n_newly_selected = 0;

  if (self->restoring_selection)
    return;

  /* What the user did: read the whole selection back. */
  g_hash_table_remove_all (self->selected);
  selection = gtk_selection_model_get_selection (model);
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selection, &index);
       ok;
       ok = gtk_bitset_iter_next (&iter, &index))
    {
      g_autoptr(ReelShot) shot = g_list_model_get_item (G_LIST_MODEL (model), index);

      g_hash_table_add (self->selected, g_object_ref (shot));
      if (index >= position && index < position + n_items)
        {
          newly_selected = shot;
          n_newly_selected++;
        }
    }

  update_selected_shots (self);

  /* The row that was clicked becomes the current shot; when the current shot was
   * unselected, the first selected row takes over. */
  if (n_newly_selected == 1 ||
      (self->current_shot != NULL && !g_hash_table_contains (self->selected, self->current_shot)))
    {
      ReelShot *shot = newly_selected;

      if (shot == NULL && g_hash_table_size (self->selected) > 0)
        {
          guint first = gtk_bitset_get_minimum (selection);
          g_autoptr(ReelShot) item = g_list_model_get_item (G_LIST_MODEL (model), first);

          shot = item;
          set_current_from_view (self, shot);
          return;
        }

      if (shot != NULL)
        set_current_from_view (self, shot);
    }
}

static void
selection_items_changed_cb (GListModel       *model,
                            guint             position,
                            guint             removed,
                            guint             added,
                            ReelShotListView *self)
{
  /* Rows that come back (a moved shot) are selected again. */
  self->restoring_selection = TRUE;
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(ReelShot) shot = g_list_model_get_item (model, i);

      if (g_hash_table_contains (self->selected, shot))
        gtk_selection_model_select_item (GTK_SELECTION_MODEL (model), i, FALSE);
    }
  self->restoring_selection = FALSE;
}

/* Runs after the column view has rebuilt its rows. GTK 4.8 leaves the window's focus on
 * a row it has just torn down (a moved shot's row) and moves it only at the next frame;
 * until then every key press goes to the detached row and is lost: on a busy machine, the
 * second Alt+Right of two did nothing. Take the focus back into the table at once. */
static void
selection_items_changed_after_cb (GListModel       *model,
                                  guint             position,
                                  guint             removed,
                                  guint             added,
                                  ReelShotListView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus == NULL || gtk_widget_get_root (focus) == root)
    return;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self->column_view)) ||
      !gtk_widget_grab_focus (GTK_WIDGET (self->column_view)) ||
      (focus = gtk_root_get_focus (root)) == NULL || gtk_widget_get_root (focus) != root)
    gtk_root_set_focus (root, NULL);
}

static void
select_current_row (ReelShotListView *self)
{
  guint row = find_row (self, self->current_shot);
  GtkWidget *list_view;

  if (row == GTK_INVALID_LIST_POSITION)
    return;

  if (!gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), row))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), row, TRUE);

  /* GTK 4.8 has no gtk_column_view_scroll_to(); its list view has the action. */
  list_view = find_list_view (self);
  if (list_view != NULL && gtk_widget_get_mapped (list_view))
    gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", row);
}

/* Summary */

static void
update_summary (ReelShotListView *self)
{
  g_autofree char *duration = NULL;
  g_autofree char *text = NULL;
  guint n_shots;

  if (self->project == NULL)
    {
      gtk_label_set_text (self->summary_label, "");
      return;
    }

  n_shots = reel_project_get_n_shots (self->project);
  duration = reel_timecode_format (reel_project_get_duration (self->project),
                                   reel_project_get_frame_rate (self->project));
  /* Translators: "12 shots · 00:01:30:00" (the running time as timecode). */
  text = g_strdup_printf (ngettext ("%u shot · %s", "%u shots · %s", n_shots), n_shots, duration);
  gtk_label_set_text (self->summary_label, text);
}

/* Drag and drop */

static Cell *
pick_cell (ReelShotListView *self,
           double            x,
           double            y)
{
  GtkWidget *widget = gtk_widget_pick (GTK_WIDGET (self->column_view), x, y, GTK_PICK_DEFAULT);

  for (; widget != NULL && widget != GTK_WIDGET (self->column_view);
       widget = gtk_widget_get_parent (widget))
    {
      Cell *cell = cell_from_widget (widget);

      if (cell != NULL && cell->shot != NULL)
        return cell;

      /* A cell's own widget is the only child of the cell: look down from the
       * cell to find it when the pointer is in the cell's padding. */
      if (gtk_widget_get_first_child (widget) != NULL &&
          (cell = cell_from_widget (gtk_widget_get_first_child (widget))) != NULL &&
          cell->shot != NULL)
        return cell;
    }

  return NULL;
}

static GtkWidget *
cell_row (Cell *cell)
{
  GtkWidget *cell_widget = gtk_widget_get_parent (cell->widget);

  return cell_widget != NULL ? gtk_widget_get_parent (cell_widget) : NULL;
}

static gboolean
drop_is_after (ReelShotListView *self,
               Cell             *cell,
               double            y)
{
  GtkWidget *row = cell_row (cell);
  graphene_rect_t bounds;

  if (row == NULL || !gtk_widget_compute_bounds (row, GTK_WIDGET (self->column_view), &bounds))
    return TRUE;

  return y > bounds.origin.y + bounds.size.height / 2;
}

static void
clear_drop_indicator (ReelShotListView *self)
{
  if (self->drop_row != NULL)
    {
      gtk_widget_remove_css_class (self->drop_row, "reel-drop-before");
      gtk_widget_remove_css_class (self->drop_row, "reel-drop-after");
      g_clear_weak_pointer (&self->drop_row);
    }
}

static GdkDragAction
drop_motion_cb (GtkDropTarget    *target,
                double            x,
                double            y,
                ReelShotListView *self)
{
  Cell *cell = pick_cell (self, x, y);
  GtkWidget *row;

  clear_drop_indicator (self);
  if (cell != NULL && (row = cell_row (cell)) != NULL)
    {
      g_set_weak_pointer (&self->drop_row, row);
      gtk_widget_add_css_class (row, drop_is_after (self, cell, y) ? "reel-drop-after"
                                                                  : "reel-drop-before");
    }

  return GDK_ACTION_MOVE;
}

static void
drop_leave_cb (GtkDropTarget    *target,
               ReelShotListView *self)
{
  clear_drop_indicator (self);
}

static gboolean
shot_is_in_project (ReelShot    *shot,
                    ReelProject *project)
{
  ReelScene *scene = reel_shot_get_scene (shot);

  return scene != NULL && reel_scene_get_project (scene) == project;
}

/* Moves @shots (project order) next to @anchor, keeping their order. */
static void
move_shots_beside (ReelShotListView *self,
                   GPtrArray        *shots,
                   ReelShot         *anchor,
                   gboolean          after)
{
  ReelHistory *history = reel_project_get_history (self->project);
  ReelScene *scene = reel_shot_get_scene (anchor);

  /* A shot moved to another scene is out of the project for a moment, and other views
   * may pick another current shot meanwhile: this one stays, and is handed back. */
  self->holding_current = TRUE;
  reel_history_begin_group (history, ngettext ("Move Shot", "Move Shots", shots->len));
  for (guint i = 0; i < shots->len; i++)
    {
      ReelShot *shot = g_ptr_array_index (shots, i);
      guint anchor_position, shot_position;
      gboolean same_scene = reel_shot_get_scene (shot) == scene;
      guint to;

      if (shot == anchor || !reel_scene_find_shot (scene, anchor, &anchor_position))
        continue;

      /* Taking the shot out first shifts the anchor up when it was below it. */
      if (same_scene && reel_scene_find_shot (scene, shot, &shot_position) &&
          shot_position < anchor_position)
        anchor_position--;

      to = after ? anchor_position + 1 : anchor_position;
      reel_edit_move_shot (self->project, shot, scene, to);

      /* The next shot follows this one. */
      if (after)
        anchor = shot;
    }
  reel_history_end_group (history);
  self->holding_current = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_SHOT]);
}

static void
copy_shots_beside (ReelShotListView *self,
                   ReelShot         *shot,
                   ReelShot         *anchor,
                   gboolean          after)
{
  ReelScene *scene = reel_shot_get_scene (anchor);
  ReelScene *source_scene = reel_shot_get_scene (shot);
  ReelProject *source = source_scene != NULL ? reel_scene_get_project (source_scene) : NULL;
  g_autoptr(ReelShot) copy = reel_shot_duplicate (shot);
  ReelHistory *history = reel_project_get_history (self->project);
  guint position;
  const char * const *lists[2];

  if (!reel_scene_find_shot (scene, anchor, &position))
    return;

  /* The images it shows come along from the other project. */
  lists[0] = reel_shot_get_variants (shot);
  lists[1] = reel_shot_get_generations (shot);
  if (source != NULL)
    {
      ReelAsset *background = reel_shot_get_background (shot) != NULL
                              ? reel_project_lookup_asset (source, reel_shot_get_background (shot))
                              : NULL;

      if (background != NULL)
        reel_project_add_asset (self->project, background);
      for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
        for (guint i = 0; lists[l][i] != NULL; i++)
          {
            ReelAsset *asset = reel_project_lookup_asset (source, lists[l][i]);

            if (asset != NULL)
              reel_project_add_asset (self->project, asset);
          }
    }

  reel_history_begin_group (history, _("Copy Shot"));
  reel_edit_insert_shot (self->project, scene, after ? position + 1 : position, copy);
  reel_history_end_group (history);

  reel_shot_list_view_set_current_shot (self, copy);
}

static gboolean
drop_cb (GtkDropTarget    *target,
         const GValue     *value,
         double            x,
         double            y,
         ReelShotListView *self)
{
  ReelShot *dragged;
  ReelShot *anchor;
  Cell *cell;
  gboolean after;
  g_autoptr(GPtrArray) shots = NULL;

  clear_drop_indicator (self);

  if (self->project == NULL || !G_VALUE_HOLDS (value, REEL_TYPE_SHOT))
    return FALSE;
  dragged = g_value_get_object (value);
  if (dragged == NULL)
    return FALSE;

  cell = pick_cell (self, x, y);
  if (cell != NULL)
    {
      anchor = cell->shot;
      after = drop_is_after (self, cell, y);
    }
  else
    {
      /* Below the last row: after the last row of the table. */
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
      g_autoptr(ReelShot) last = n > 0 ? g_list_model_get_item (G_LIST_MODEL (self->selection),
                                                                n - 1) : NULL;

      if (last == NULL)
        return FALSE;
      anchor = last;
      after = TRUE;
    }

  if (!shot_is_in_project (anchor, self->project))
    return FALSE;

  /* A shot from another window is copied, not taken away from its project. */
  if (!shot_is_in_project (dragged, self->project))
    {
      copy_shots_beside (self, dragged, anchor, after);
      return TRUE;
    }

  /* Dragging a selected row drags the whole selection. */
  shots = g_ptr_array_new ();
  if (g_hash_table_contains (self->selected, dragged))
    {
      for (guint k = 0; k < reel_project_get_n_scenes (self->project); k++)
        {
          ReelScene *scene = reel_project_get_scene (self->project, k);

          for (guint i = 0; i < reel_scene_get_n_shots (scene); i++)
            if (g_hash_table_contains (self->selected, reel_scene_get_shot (scene, i)))
              g_ptr_array_add (shots, reel_scene_get_shot (scene, i));
        }
    }
  else
    g_ptr_array_add (shots, dragged);

  move_shots_beside (self, shots, anchor, after);
  return TRUE;
}

/* Context menu */

/* "New Angle ▸ Reverse, Over the Shoulder …" beside Insert and Duplicate: each kind
 * runs win.new-angle on the current shot. */
static void
add_new_angle_menu (ReelShotListView *self)
{
  g_autoptr(GMenuModel) section = NULL;
  g_autoptr(GMenu) angles = g_menu_new ();

  section = g_menu_model_get_item_link (self->context_menu_model, 0, G_MENU_LINK_SECTION);
  g_return_if_fail (G_IS_MENU (section));

  for (guint kind = 0; kind < REEL_N_NEW_ANGLES; kind++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (reel_new_angle_get_label (kind), NULL);

      g_menu_item_set_action_and_target_value (item, "win.new-angle",
                                               g_variant_new_uint32 (kind));
      g_menu_append_item (angles, item);
    }
  g_menu_append_submenu (G_MENU (section), _("New _Angle"), G_MENU_MODEL (angles));
}

static void
context_pressed_cb (GtkGestureClick  *gesture,
                    int               n_press,
                    double            x,
                    double            y,
                    ReelShotListView *self)
{
  Cell *cell = pick_cell (self, x, y);
  GdkRectangle rect = { (int) x, (int) y, 1, 1 };

  if (cell == NULL)
    return;

  /* Right-clicking an unselected row acts on that row. */
  if (!g_hash_table_contains (self->selected, cell->shot))
    {
      guint row = find_row (self, cell->shot);

      if (row != GTK_INVALID_LIST_POSITION)
        gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), row, TRUE);
    }

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), &rect);
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

/* In GTK 4.8 both the row and the cell of a column view answer a Ctrl+click, so the
 * row is toggled twice and nothing happens. Toggle it here, before they see it. */
static void
toggle_pressed_cb (GtkGestureClick  *gesture,
                   int               n_press,
                   double            x,
                   double            y,
                   ReelShotListView *self)
{
  GdkModifierType state;
  Cell *cell;
  guint row;

  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  if ((state & GDK_CONTROL_MASK) == 0 || (state & GDK_SHIFT_MASK) != 0 ||
      (cell = pick_cell (self, x, y)) == NULL ||
      (row = find_row (self, cell->shot)) == GTK_INVALID_LIST_POSITION)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  if (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), row))
    gtk_selection_model_unselect_item (GTK_SELECTION_MODEL (self->selection), row);
  else
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), row, FALSE);
}

/* The project */

static gpointer
map_scene_to_shots (gpointer item,
                    gpointer user_data)
{
  GListModel *shots = g_object_ref (reel_scene_get_shots (REEL_SCENE (item)));

  g_object_unref (item);
  return shots;
}

static void
project_changed_cb (ReelShotListView *self)
{
  update_summary (self);
}

ReelProject *
reel_shot_list_view_get_project (ReelShotListView *self)
{
  g_return_val_if_fail (REEL_IS_SHOT_LIST_VIEW (self), NULL);

  return self->project;
}

void
reel_shot_list_view_set_project (ReelShotListView *self,
                                 ReelProject      *project)
{
  GtkMapListModel *scenes_to_shots;
  GtkSorter *sorter;

  g_return_if_fail (REEL_IS_SHOT_LIST_VIEW (self));
  g_return_if_fail (project == NULL || REEL_IS_PROJECT (project));

  if (self->project == project)
    return;

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);

  /* Bindings may hand over the shot before the project (a window under construction
   * notifies both at once): a shot of the new project stays current. */
  if (self->current_shot != NULL &&
      (project == NULL || !shot_is_in_project (self->current_shot, project)))
    reel_shot_list_view_set_current_shot (self, NULL);
  g_hash_table_remove_all (self->selected);
  gtk_column_view_set_model (self->column_view, NULL);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->shots);

  g_set_object (&self->project, project);

  if (project != NULL)
    {
      scenes_to_shots = gtk_map_list_model_new (g_object_ref (reel_project_get_scenes (project)),
                                                map_scene_to_shots, NULL, NULL);
      self->shots = gtk_flatten_list_model_new (G_LIST_MODEL (scenes_to_shots));
      sorter = gtk_column_view_get_sorter (self->column_view);
      self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->shots)),
                                              g_object_ref (sorter));
      self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
      g_signal_connect (self->selection, "selection-changed",
                        G_CALLBACK (selection_changed_cb), self);
      g_signal_connect (self->selection, "items-changed",
                        G_CALLBACK (selection_items_changed_cb), self);
      gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
      g_signal_connect_after (self->selection, "items-changed",
                              G_CALLBACK (selection_items_changed_after_cb), self);

      g_signal_connect_object (project, "changed", G_CALLBACK (project_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }

  update_selected_shots (self);
  update_summary (self);
  if (self->current_shot != NULL)
    select_current_row (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

ReelShot *
reel_shot_list_view_get_current_shot (ReelShotListView *self)
{
  g_return_val_if_fail (REEL_IS_SHOT_LIST_VIEW (self), NULL);

  return self->current_shot;
}

void
reel_shot_list_view_set_current_shot (ReelShotListView *self,
                                      ReelShot         *shot)
{
  g_return_if_fail (REEL_IS_SHOT_LIST_VIEW (self));
  g_return_if_fail (shot == NULL || REEL_IS_SHOT (shot));

  if (self->holding_current)
    return;

  if (!g_set_object (&self->current_shot, shot))
    return;

  /* From elsewhere (the board, an action): its row alone is selected, unless it is
   * part of the selection already (a click in a multi-selection). */
  if (!self->syncing_current && shot != NULL && !g_hash_table_contains (self->selected, shot))
    select_current_row (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_SHOT]);
}

GtkSelectionModel *
reel_shot_list_view_get_selection_model (ReelShotListView *self)
{
  g_return_val_if_fail (REEL_IS_SHOT_LIST_VIEW (self), NULL);

  return self->selection != NULL ? GTK_SELECTION_MODEL (self->selection) : NULL;
}

GtkWidget *
reel_shot_list_view_new (void)
{
  return g_object_new (REEL_TYPE_SHOT_LIST_VIEW, NULL);
}

static void
reel_shot_list_view_map (GtkWidget *widget)
{
  ReelShotListView *self = REEL_SHOT_LIST_VIEW (widget);

  GTK_WIDGET_CLASS (reel_shot_list_view_parent_class)->map (widget);

  /* The board may have moved on while the table was hidden. */
  if (self->current_shot != NULL)
    select_current_row (self);

  /* Shown, the table takes the keyboard (arrows, Alt+arrows) unless something in this
   * view has it already. */
  {
    GtkRoot *root = gtk_widget_get_root (widget);
    GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

    if (focus == NULL || !gtk_widget_is_ancestor (focus, widget))
      gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
  }
}

static void
reel_shot_list_view_dispose (GObject *object)
{
  ReelShotListView *self = REEL_SHOT_LIST_VIEW (object);

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);

  clear_drop_indicator (self);
  g_clear_pointer ((GtkWidget **) &self->context_menu, gtk_widget_unparent);

  gtk_widget_dispose_template (GTK_WIDGET (object), REEL_TYPE_SHOT_LIST_VIEW);
  /* The template's box is not bound to a field, so it is ours to unparent. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_first_child (GTK_WIDGET (self)))
    gtk_widget_unparent (child);

  g_clear_object (&self->selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->shots);
  g_clear_object (&self->project);
  g_clear_object (&self->current_shot);
  if (self->selected != NULL)
    g_hash_table_remove_all (self->selected);

  G_OBJECT_CLASS (reel_shot_list_view_parent_class)->dispose (object);
}

static void
reel_shot_list_view_finalize (GObject *object)
{
  ReelShotListView *self = REEL_SHOT_LIST_VIEW (object);

  g_clear_pointer (&self->selected, g_hash_table_unref);
  g_clear_object (&self->selected_shots);

  G_OBJECT_CLASS (reel_shot_list_view_parent_class)->finalize (object);
}

static void
reel_shot_list_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ReelShotListView *self = REEL_SHOT_LIST_VIEW (object);

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
reel_shot_list_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ReelShotListView *self = REEL_SHOT_LIST_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      reel_shot_list_view_set_project (self, g_value_get_object (value));
      break;
    case PROP_CURRENT_SHOT:
      reel_shot_list_view_set_current_shot (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_shot_list_view_class_init (ReelShotListViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GdkDisplay *display = gdk_display_get_default ();

  object_class->dispose = reel_shot_list_view_dispose;
  object_class->finalize = reel_shot_list_view_finalize;
  object_class->get_property = reel_shot_list_view_get_property;
  object_class->set_property = reel_shot_list_view_set_property;
  widget_class->map = reel_shot_list_view_map;

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
                                               RESOURCE_PREFIX "/reel-shot-list-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ReelShotListView, column_view);
  gtk_widget_class_bind_template_child (widget_class, ReelShotListView, summary_label);
  gtk_widget_class_bind_template_child_full (widget_class, "context_menu", FALSE,
                                             G_STRUCT_OFFSET (ReelShotListView,
                                                              context_menu_model));
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  cell_quark = g_quark_from_static_string ("reel-shot-list-cell");

  if (display != NULL)
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider,
                                           RESOURCE_PREFIX "/reel-shot-list-view.css");
      gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }
}

static void
reel_shot_list_view_init (ReelShotListView *self)
{
  GtkDropTarget *target;
  GtkGesture *context_click;
  GtkGesture *toggle_click;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->selected = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->selected_shots = g_list_store_new (REEL_TYPE_SHOT);

  reel_shot_list_view_add_columns (self);

  target = gtk_drop_target_new (REEL_TYPE_SHOT, GDK_ACTION_MOVE | GDK_ACTION_COPY);
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (target), "reel-shot-list-drop");
  g_signal_connect (target, "motion", G_CALLBACK (drop_motion_cb), self);
  g_signal_connect (target, "leave", G_CALLBACK (drop_leave_cb), self);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), GTK_EVENT_CONTROLLER (target));

  add_new_angle_menu (self);
  self->context_menu =
    GTK_POPOVER_MENU (gtk_popover_menu_new_from_model (self->context_menu_model));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_popover_set_position (GTK_POPOVER (self->context_menu), GTK_POS_BOTTOM);
  gtk_widget_set_halign (GTK_WIDGET (self->context_menu), GTK_ALIGN_START);
  gtk_widget_set_parent (GTK_WIDGET (self->context_menu), GTK_WIDGET (self->column_view));

  toggle_click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (toggle_click), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (toggle_click),
                                              GTK_PHASE_CAPTURE);
  g_signal_connect (toggle_click, "pressed", G_CALLBACK (toggle_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), GTK_EVENT_CONTROLLER (toggle_click));

  context_click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (context_click), GDK_BUTTON_SECONDARY);
  g_signal_connect (context_click, "pressed", G_CALLBACK (context_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), GTK_EVENT_CONTROLLER (context_click));
}
