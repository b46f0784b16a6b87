/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-inspector"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "core/reel-camera.h"
#include "core/reel-edit.h"
#include "core/reel-optics.h"
#include "core/reel-timecode.h"

#include "reel-generation-panel.h"
#include "reel-inspector.h"

typedef enum
{
  FIELD_ENTRY,
  FIELD_TEXT,
  FIELD_COMBO,
  FIELD_SPIN,
} FieldKind;

typedef enum
{
  ON_SHOT,
  ON_SCENE,
} FieldTarget;

typedef struct
{
  const char     *property;
  FieldTarget     target;
  FieldKind       kind;
  ReelVocabulary  vocabulary;
  const char     *widget_name;
  /* In reel-inspector-groups.ui, built after the window's first frame. */
  gboolean        lazy;
} FieldInfo;

static const FieldInfo field_infos[] = {
  { "number", ON_SCENE, FIELD_ENTRY, 0, "scene_number_row" },
  { "int-ext", ON_SCENE, FIELD_COMBO, REEL_VOCAB_INT_EXT, "int_ext_row" },
  { "location", ON_SCENE, FIELD_ENTRY, 0, "location_row" },
  { "time-of-day", ON_SCENE, FIELD_ENTRY, 0, "time_of_day_row" },
  { "synopsis", ON_SCENE, FIELD_TEXT, 0, "synopsis_view" },
  { "number", ON_SHOT, FIELD_ENTRY, 0, "number_row" },
  { "description", ON_SHOT, FIELD_TEXT, 0, "description_view" },
  { "dialogue", ON_SHOT, FIELD_TEXT, 0, "dialogue_view" },
  { "cast", ON_SHOT, FIELD_ENTRY, 0, "cast_row" },
  { "status", ON_SHOT, FIELD_COMBO, REEL_VOCAB_STATUS, "status_row" },
  { "size", ON_SHOT, FIELD_COMBO, REEL_VOCAB_SIZE, "size_row", TRUE },
  { "framing", ON_SHOT, FIELD_COMBO, REEL_VOCAB_FRAMING, "framing_row", TRUE },
  { "angle", ON_SHOT, FIELD_COMBO, REEL_VOCAB_ANGLE, "angle_row", TRUE },
  { "movement", ON_SHOT, FIELD_COMBO, REEL_VOCAB_MOVEMENT, "movement_row", TRUE },
  { "lens-mm", ON_SHOT, FIELD_SPIN, 0, "lens_spin", TRUE },
  { "camera-height-m", ON_SHOT, FIELD_SPIN, 0, "height_spin", TRUE },
  { "duration", ON_SHOT, FIELD_SPIN, 0, "duration_spin", TRUE },
  { "notes", ON_SHOT, FIELD_TEXT, 0, "notes_view", TRUE },
  { "vfx-notes", ON_SHOT, FIELD_TEXT, 0, "vfx_notes_view", TRUE },
};

#define N_FIELDS G_N_ELEMENTS (field_infos)

typedef struct
{
  ReelInspector   *inspector;
  const FieldInfo *info;
  GtkWidget       *widget;
} Field;

struct _ReelInspector
{
  GtkWidget             parent_instance;

  ReelProject          *project;
  ReelShot             *shot;
  ReelScene            *scene;
  GSignalGroup         *project_signals;
  GSignalGroup         *shot_signals;
  GSignalGroup         *scene_signals;

  Field                 fields[N_FIELDS];
  /* Set while the inspector itself writes to widgets or to the model, so that
   * the echoes of those writes are not taken for user edits. */
  gboolean              syncing;
  gboolean              editing;

  /* The field being typed into and the project's state right after its last
   * keystroke: the next keystroke replaces that step instead of adding one. */
  GObject              *typing_target;
  const char           *typing_property;
  guint64               typing_revision;

  GtkWidget            *scroller;
  GtkWidget            *empty_page;
  GtkBox               *content_box;
  AdwPreferencesGroup  *scene_group;
  GtkWidget            *shot_group;
  /* The camera and notes groups and their rows, NULL until built
   * (reel_inspector_ensure_groups()). */
  GtkWidget            *camera_group;
  GtkWidget            *notes_group;
  AdwActionRow         *lens_row;
  AdwActionRow         *duration_row;
  GtkBox               *generation_box;
  /* Built when the inspector is scrolled down to it (reel_inspector_scrolled_cb()). */
  GtkWidget            *generation_panel;
  guint                 generation_idle;
  /* The idle builds the panel too: its end was near when it was scheduled. */
  gboolean              generation_near;
};

G_DEFINE_FINAL_TYPE (ReelInspector, reel_inspector, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_SHOT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GObject *
field_get_target (Field *field)
{
  ReelInspector *self = field->inspector;

  return field->info->target == ON_SHOT ? G_OBJECT (self->shot) : G_OBJECT (self->scene);
}

static void reel_inspector_setup_field (ReelInspector *self,
                                        Field         *field,
                                        GtkWidget     *widget);
static void reel_inspector_sync_field (ReelInspector *self,
                                       Field         *field);
static void reel_inspector_update_subtitles (ReelInspector *self);

/* The camera and notes groups */

/* Below the scene and shot groups, the camera and notes groups are out of sight when a
 * window of the usual size opens: they are built from their own resource once the
 * inspector is laid out (an idle after the window's first frame, see
 * reel_inspector_scrolled_cb()), or at once when something needs them. */
void
reel_inspector_ensure_groups (ReelInspector *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  g_return_if_fail (REEL_IS_INSPECTOR (self));

  if (self->camera_group != NULL)
    return;

  builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/reel-inspector-groups.ui");
  self->camera_group = GTK_WIDGET (gtk_builder_get_object (builder, "camera_group"));
  self->notes_group = GTK_WIDGET (gtk_builder_get_object (builder, "notes_group"));
  self->lens_row = ADW_ACTION_ROW (gtk_builder_get_object (builder, "lens_row"));
  self->duration_row = ADW_ACTION_ROW (gtk_builder_get_object (builder, "duration_row"));
  gtk_box_insert_child_after (self->content_box, self->camera_group, self->shot_group);
  gtk_box_insert_child_after (self->content_box, self->notes_group, self->camera_group);

  for (guint i = 0; i < N_FIELDS; i++)
    {
      Field *field = &self->fields[i];
      GObject *widget;

      if (!field->info->lazy)
        continue;
      widget = gtk_builder_get_object (builder, field->info->widget_name);
      g_assert (widget != NULL);
      reel_inspector_setup_field (self, field, GTK_WIDGET (widget));
      reel_inspector_sync_field (self, field);
    }
  reel_inspector_update_subtitles (self);
}

/* The generation panel */

/* Below the scene, shot, camera and notes groups, the generation panel is out of sight
 * when a window opens (building it costs about 10 ms): it is built when the inspector is
 * scrolled to within half a height of its end (a wheel step is a fraction of that), or
 * shows all of it. */
static void
reel_inspector_ensure_generation_panel (ReelInspector *self)
{
  GtkWidget *generation;

  g_clear_handle_id (&self->generation_idle, g_source_remove);
  if (self->generation_panel != NULL)
    return;

  generation = reel_generation_panel_new ();
  g_object_bind_property (self, "project", generation, "project", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "shot", generation, "shot", G_BINDING_SYNC_CREATE);
  gtk_box_append (self->generation_box, generation);
  self->generation_panel = generation;
}

static gboolean
build_generation_panel_cb (gpointer user_data)
{
  ReelInspector *self = user_data;

  self->generation_idle = 0;
  /* The groups above the panel first; the panel if the end was near (scrolled there before
   * the groups were built), else the next layout says whether it is. */
  reel_inspector_ensure_groups (self);
  if (self->generation_near)
    reel_inspector_ensure_generation_panel (self);
  return G_SOURCE_REMOVE;
}

/* Scrolled, resized or filled: its end near the view builds the panel, once layout is
 * over (not from the allocation that moved the adjustment). */
static void
reel_inspector_scrolled_cb (GtkAdjustment *adjustment,
                            ReelInspector *self)
{
  double page = gtk_adjustment_get_page_size (adjustment);
  double value = gtk_adjustment_get_value (adjustment);
  gboolean near;

  if (self->generation_panel != NULL || page <= 0)
    return;

  /* Until the groups are built, only a scroll says the end is near (at the top it is near
   * because they are missing). A scroll while the idle waits counts too. */
  near = value + 1.5 * page >= gtk_adjustment_get_upper (adjustment) &&
         (self->camera_group != NULL || value > 0);
  self->generation_near = self->generation_near || near;
  if (self->generation_idle != 0)
    return;

  if (self->camera_group == NULL || self->generation_near)
    self->generation_idle = g_idle_add (build_generation_panel_cb, self);
}

/* Editing */

void
reel_inspector_end_typing (ReelInspector *self)
{
  g_return_if_fail (REEL_IS_INSPECTOR (self));

  self->typing_target = NULL;
  self->typing_property = NULL;
  self->typing_revision = 0;
}

static void
reel_inspector_edit (ReelInspector *self,
                     GObject       *target,
                     const char    *property,
                     const GValue  *value,
                     gboolean       typing)
{
  ReelHistory *history;
  gboolean continuing;
  gboolean recorded;

  if (self->project == NULL || target == NULL)
    return;

  history = reel_project_get_history (self->project);
  property = g_intern_string (property);

  /* Nothing has touched the project since the last keystroke of this field,
   * so the top undo step is that keystroke's: take it back and record the
   * whole typing as one step again. */
  continuing = typing &&
               self->typing_target == target &&
               self->typing_property == property &&
               self->typing_revision == reel_project_get_content_revision (self->project) &&
               !reel_history_in_group (history) &&
               reel_history_can_undo (history) &&
               reel_history_get_n_redo (history) == 0;

  self->editing = TRUE;
  if (continuing)
    reel_history_undo (history);
  recorded = reel_edit_set (self->project, target, property, value);
  self->editing = FALSE;

  if (typing && recorded)
    {
      self->typing_target = target;
      self->typing_property = property;
      self->typing_revision = reel_project_get_content_revision (self->project);
    }
  else
    {
      reel_inspector_end_typing (self);
    }
}

static void
reel_inspector_edit_string (ReelInspector *self,
                            Field         *field,
                            const char    *text,
                            gboolean       typing)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, text);
  reel_inspector_edit (self, field_get_target (field), field->info->property, &value, typing);
}

static void
entry_changed_cb (GtkEditable *editable,
                  Field       *field)
{
  ReelInspector *self = field->inspector;

  if (self->syncing)
    return;

  reel_inspector_edit_string (self, field, gtk_editable_get_text (editable), TRUE);
}

static void
text_changed_cb (GtkTextBuffer *buffer,
                 Field         *field)
{
  ReelInspector *self = field->inspector;
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  if (self->syncing)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  reel_inspector_edit_string (self, field, text, TRUE);
}

static void
combo_selected_cb (AdwComboRow *row,
                   GParamSpec  *pspec,
                   Field       *field)
{
  ReelInspector *self = field->inspector;
  guint selected = adw_combo_row_get_selected (row);
  const ReelVocabEntry *entries;
  guint n_entries;

  if (self->syncing || selected == GTK_INVALID_LIST_POSITION)
    return;

  entries = reel_camera_get_vocabulary (field->info->vocabulary, &n_entries);
  if (selected >= n_entries)
    return;

  if (field->info->vocabulary == REEL_VOCAB_INT_EXT)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_value_init (&value, REEL_TYPE_INT_EXT);
      g_value_set_enum (&value, reel_int_ext_from_id (entries[selected].id));
      reel_inspector_edit (self, field_get_target (field), field->info->property, &value, FALSE);
    }
  else
    {
      reel_inspector_edit_string (self, field, entries[selected].id, FALSE);
    }
}

static void
spin_value_changed_cb (GtkSpinButton *spin,
                       Field         *field)
{
  ReelInspector *self = field->inspector;
  GObject *target = field_get_target (field);
  g_auto(GValue) number = G_VALUE_INIT;
  g_auto(GValue) value = G_VALUE_INIT;
  GParamSpec *pspec;

  if (self->syncing || target == NULL)
    return;

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (target), field->info->property);
  g_value_init (&number, G_TYPE_DOUBLE);
  g_value_set_double (&number, gtk_spin_button_get_value (spin));
  g_value_init (&value, pspec->value_type);
  if (pspec->value_type == G_TYPE_INT64)
    g_value_set_int64 (&value, (gint64) (gtk_spin_button_get_value (spin) + 0.5));
  else
    g_value_transform (&number, &value);

  /* The arrows and typing both count as typing: one step per visit. */
  reel_inspector_edit (self, target, field->info->property, &value, TRUE);
}

/* A spin button takes the mouse wheel for its value: scrolling down the inspector
 * would change whatever lens or duration passes under the pointer. Unless the
 * spin button has the focus, the wheel scrolls the inspector instead. */
static gboolean
spin_scroll_cb (GtkEventControllerScroll *controller,
                double                    dx,
                double                    dy,
                Field                    *field)
{
  ReelInspector *self = field->inspector;
  GtkRoot *root = gtk_widget_get_root (field->widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkAdjustment *adjustment;
  double delta;

  if (focus != NULL && (focus == field->widget || gtk_widget_is_ancestor (focus, field->widget)))
    return FALSE;

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller));
  delta = dy;
  /* A wheel click moves as far as GtkScrolledWindow would move it. */
  if (gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL)
    delta *= pow (gtk_adjustment_get_page_size (adjustment), 2.0 / 3.0);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + delta);

  return TRUE;
}

static void
field_focus_leave_cb (GtkEventControllerFocus *controller,
                      Field                   *field)
{
  reel_inspector_end_typing (field->inspector);
}

/* Showing the model */

static GListModel *
vocabulary_labels (ReelVocabulary vocabulary)
{
  GtkStringList *labels = gtk_string_list_new (NULL);
  const ReelVocabEntry *entries;
  guint n_entries;

  entries = reel_camera_get_vocabulary (vocabulary, &n_entries);
  for (guint i = 0; i < n_entries; i++)
    gtk_string_list_append (labels, reel_camera_get_label (vocabulary, entries[i].id));

  return G_LIST_MODEL (labels);
}

static void
reel_inspector_sync_field (ReelInspector *self,
                           Field         *field)
{
  GObject *target = field_get_target (field);
  g_auto(GValue) value = G_VALUE_INIT;
  GParamSpec *pspec;

  if (target == NULL || field->widget == NULL)
    return;

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (target), field->info->property);
  g_value_init (&value, pspec->value_type);
  g_object_get_property (target, field->info->property, &value);

  self->syncing = TRUE;

  switch (field->info->kind)
    {
    case FIELD_ENTRY:
      {
        const char *text = g_value_get_string (&value);

        /* Setting the same text would move the cursor of someone typing. */
        if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (field->widget)), text ? text : "") != 0)
          gtk_editable_set_text (GTK_EDITABLE (field->widget), text ? text : "");
      }
      break;

    case FIELD_TEXT:
      {
        GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->widget));
        const char *text = g_value_get_string (&value);
        g_autofree char *current = NULL;
        GtkTextIter start, end;

        gtk_text_buffer_get_bounds (buffer, &start, &end);
        current = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
        if (g_strcmp0 (current, text ? text : "") != 0)
          gtk_text_buffer_set_text (buffer, text ? text : "", -1);
      }
      break;

    case FIELD_COMBO:
      {
        int index;

        if (field->info->vocabulary == REEL_VOCAB_INT_EXT)
          index = reel_camera_get_index (REEL_VOCAB_INT_EXT,
                                         reel_int_ext_to_id (g_value_get_enum (&value)));
        else
          index = reel_camera_get_index (field->info->vocabulary, g_value_get_string (&value));

        adw_combo_row_set_selected (ADW_COMBO_ROW (field->widget),
                                    index >= 0 ? (guint) index : GTK_INVALID_LIST_POSITION);
      }
      break;

    case FIELD_SPIN:
      {
        GtkSpinButton *spin = GTK_SPIN_BUTTON (field->widget);
        g_auto(GValue) number = G_VALUE_INIT;

        g_value_init (&number, G_TYPE_DOUBLE);
        g_value_transform (&value, &number);
        if (gtk_spin_button_get_value (spin) != g_value_get_double (&number))
          gtk_spin_button_set_value (spin, g_value_get_double (&number));
      }
      break;

    default:
      g_assert_not_reached ();
    }

  self->syncing = FALSE;
}

static void
reel_inspector_update_subtitles (ReelInspector *self)
{
  g_autofree char *lens = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *seconds = NULL;
  g_autofree char *timecode = NULL;
  const ReelSensor *sensor;
  ReelFrameRate rate;

  if (self->scene != NULL)
    adw_preferences_group_set_description (self->scene_group, reel_scene_get_heading (self->scene));
  else
    adw_preferences_group_set_description (self->scene_group, NULL);

  if (self->shot == NULL || self->project == NULL || self->lens_row == NULL)
    return;

  sensor = reel_optics_sensor_lookup_or_default (reel_project_get_sensor (self->project));
  /* TRANSLATORS: the horizontal angle of view a lens gives on a camera sensor,
   * e.g. "39.1° on Super 35" */
  lens = g_strdup_printf (_("%.1f° on %s"),
                          reel_shot_get_field_of_view (self->shot, sensor->id),
                          reel_optics_sensor_get_label (sensor));
  adw_action_row_set_subtitle (self->lens_row, lens);

  rate = reel_project_get_frame_rate (self->project);
  seconds = reel_timecode_format_seconds (reel_shot_get_duration (self->shot), rate);
  timecode = reel_timecode_format (reel_shot_get_duration (self->shot), rate);
  /* TRANSLATORS: a duration as seconds and as timecode, e.g. "2.00 s · 00:00:02:00" */
  duration = g_strdup_printf (_("%s s · %s"), seconds, timecode);
  adw_action_row_set_subtitle (self->duration_row, duration);
}

static void
reel_inspector_sync (ReelInspector *self,
                     FieldTarget    target,
                     const char    *property)
{
  for (guint i = 0; i < N_FIELDS; i++)
    {
      Field *field = &self->fields[i];

      if (field->info->target != target)
        continue;
      if (property != NULL && g_strcmp0 (property, field->info->property) != 0)
        continue;

      reel_inspector_sync_field (self, field);
    }

  reel_inspector_update_subtitles (self);
}

static void
shot_notify_cb (ReelInspector *self,
                GParamSpec    *pspec)
{
  /* Our own edit: the widget already shows it. */
  if (self->editing)
    {
      reel_inspector_update_subtitles (self);
      return;
    }

  reel_inspector_sync (self, ON_SHOT, pspec->name);
}

static void
scene_notify_cb (ReelInspector *self,
                 GParamSpec    *pspec)
{
  if (self->editing)
    {
      reel_inspector_update_subtitles (self);
      return;
    }

  reel_inspector_sync (self, ON_SCENE, pspec->name);
}

static void
reel_inspector_set_scene (ReelInspector *self,
                          ReelScene     *scene)
{
  if (self->scene == scene)
    return;

  reel_inspector_end_typing (self);
  g_set_object (&self->scene, scene);
  g_signal_group_set_target (self->scene_signals, scene);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scene_group), scene != NULL);
  reel_inspector_sync (self, ON_SCENE, NULL);
}

/* The shot may have moved to another scene. */
static void
project_changed_cb (ReelInspector *self)
{
  reel_inspector_set_scene (self, self->shot ? reel_shot_get_scene (self->shot) : NULL);
}

static void
project_notify_cb (ReelInspector *self)
{
  reel_inspector_update_subtitles (self);
}

/* GObject */

static void
reel_inspector_dispose (GObject *object)
{
  ReelInspector *self = REEL_INSPECTOR (object);

  reel_inspector_set_shot (self, NULL);
  reel_inspector_set_project (self, NULL);
  g_clear_handle_id (&self->generation_idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), REEL_TYPE_INSPECTOR);

  G_OBJECT_CLASS (reel_inspector_parent_class)->dispose (object);
}

static void
reel_inspector_finalize (GObject *object)
{
  ReelInspector *self = REEL_INSPECTOR (object);

  g_clear_object (&self->project_signals);
  g_clear_object (&self->shot_signals);
  g_clear_object (&self->scene_signals);

  G_OBJECT_CLASS (reel_inspector_parent_class)->finalize (object);
}

static void
reel_inspector_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ReelInspector *self = REEL_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_SHOT:
      g_value_set_object (value, self->shot);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_inspector_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ReelInspector *self = REEL_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      reel_inspector_set_project (self, g_value_get_object (value));
      break;
    case PROP_SHOT:
      reel_inspector_set_shot (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_inspector_class_init (ReelInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reel_inspector_dispose;
  object_class->finalize = reel_inspector_finalize;
  object_class->get_property = reel_inspector_get_property;
  object_class->set_property = reel_inspector_set_property;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, REEL_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOT] =
    g_param_spec_object ("shot", NULL, NULL, REEL_TYPE_SHOT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/reel-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, scroller);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, empty_page);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, content_box);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, scene_group);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, shot_group);
  gtk_widget_class_bind_template_child (widget_class, ReelInspector, generation_box);
  /* The fields' widgets are found by name in init (the lazy ones when built). */
  for (guint i = 0; i < N_FIELDS; i++)
    if (!field_infos[i].lazy)
      gtk_widget_class_bind_template_child_full (widget_class, field_infos[i].widget_name,
                                                 FALSE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "reelinspector");
}

static void
reel_inspector_setup_field (ReelInspector *self,
                            Field         *field,
                            GtkWidget     *widget)
{
  const FieldInfo *info = field->info;
  GtkEventController *focus;

  field->widget = widget;

  switch (info->kind)
    {
    case FIELD_ENTRY:
      g_signal_connect (widget, "changed", G_CALLBACK (entry_changed_cb), field);
      break;
    case FIELD_TEXT:
      g_signal_connect (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), "changed",
                        G_CALLBACK (text_changed_cb), field);
      break;
    case FIELD_COMBO:
      {
        g_autoptr(GListModel) labels = vocabulary_labels (info->vocabulary);

        adw_combo_row_set_model (ADW_COMBO_ROW (widget), labels);
        g_signal_connect (widget, "notify::selected", G_CALLBACK (combo_selected_cb), field);
      }
      break;
    case FIELD_SPIN:
      {
        GtkEventController *scroll;

        g_signal_connect (widget, "value-changed", G_CALLBACK (spin_value_changed_cb), field);
        scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
        gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
        g_signal_connect (scroll, "scroll", G_CALLBACK (spin_scroll_cb), field);
        gtk_widget_add_controller (widget, scroll);
      }
      break;
    default:
      g_assert_not_reached ();
    }

  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "leave", G_CALLBACK (field_focus_leave_cb), field);
  gtk_widget_add_controller (widget, focus);
}

static void
reel_inspector_init (ReelInspector *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_FIELDS; i++)
    {
      Field *field = &self->fields[i];
      GtkWidget *widget;

      field->inspector = self;
      field->info = &field_infos[i];
      if (field->info->lazy)
        continue;

      widget = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self), REEL_TYPE_INSPECTOR,
                                                          field->info->widget_name));
      g_assert (widget != NULL);
      reel_inspector_setup_field (self, field, widget);
    }

  self->project_signals = g_signal_group_new (REEL_TYPE_PROJECT);
  g_signal_group_connect_swapped (self->project_signals, "changed",
                                  G_CALLBACK (project_changed_cb), self);
  g_signal_group_connect_swapped (self->project_signals, "notify::sensor",
                                  G_CALLBACK (project_notify_cb), self);
  g_signal_group_connect_swapped (self->project_signals, "notify::frame-rate-num",
                                  G_CALLBACK (project_notify_cb), self);
  g_signal_group_connect_swapped (self->project_signals, "notify::frame-rate-den",
                                  G_CALLBACK (project_notify_cb), self);

  self->shot_signals = g_signal_group_new (REEL_TYPE_SHOT);
  g_signal_group_connect_swapped (self->shot_signals, "notify", G_CALLBACK (shot_notify_cb), self);

  self->scene_signals = g_signal_group_new (REEL_TYPE_SCENE);
  g_signal_group_connect_swapped (self->scene_signals, "notify", G_CALLBACK (scene_notify_cb),
                                  self);

  gtk_widget_set_visible (self->scroller, FALSE);
  gtk_widget_set_visible (self->empty_page, TRUE);

  /* The generation panel follows the inspector's project and shot, once built. */
  {
    GtkAdjustment *adjustment =
      gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller));

    g_signal_connect_object (adjustment, "changed", G_CALLBACK (reel_inspector_scrolled_cb),
                             self, 0);
    g_signal_connect_object (adjustment, "value-changed",
                             G_CALLBACK (reel_inspector_scrolled_cb), self, 0);
  }
}

GtkWidget *
reel_inspector_new (void)
{
  return g_object_new (REEL_TYPE_INSPECTOR, NULL);
}

ReelProject *
reel_inspector_get_project (ReelInspector *self)
{
  g_return_val_if_fail (REEL_IS_INSPECTOR (self), NULL);

  return self->project;
}

void
reel_inspector_set_project (ReelInspector *self,
                            ReelProject   *project)
{
  g_return_if_fail (REEL_IS_INSPECTOR (self));
  g_return_if_fail (!project || REEL_IS_PROJECT (project));

  if (self->project == project)
    return;

  reel_inspector_end_typing (self);
  g_set_object (&self->project, project);
  g_signal_group_set_target (self->project_signals, project);
  reel_inspector_update_subtitles (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

ReelShot *
reel_inspector_get_shot (ReelInspector *self)
{
  g_return_val_if_fail (REEL_IS_INSPECTOR (self), NULL);

  return self->shot;
}

void
reel_inspector_set_shot (ReelInspector *self,
                         ReelShot      *shot)
{
  g_return_if_fail (REEL_IS_INSPECTOR (self));
  g_return_if_fail (!shot || REEL_IS_SHOT (shot));

  if (self->shot == shot)
    return;

  reel_inspector_end_typing (self);
  g_set_object (&self->shot, shot);
  g_signal_group_set_target (self->shot_signals, shot);

  gtk_widget_set_visible (self->scroller, shot != NULL);
  gtk_widget_set_visible (self->empty_page, shot == NULL);

  reel_inspector_sync (self, ON_SHOT, NULL);
  reel_inspector_set_scene (self, shot ? reel_shot_get_scene (shot) : NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOT]);
}

GtkBox *
reel_inspector_get_generation_box (ReelInspector *self)
{
  g_return_val_if_fail (REEL_IS_INSPECTOR (self), NULL);

  return self->generation_box;
}
