/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-set-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ai/reel-prompt.h"
#include "core/reel-camera.h"
#include "core/reel-greybox-render.h"
#include "core/reel-optics.h"
#include "core/reel-set-edit.h"
#include "core/reel-set-mesh.h"
#include "core/reel-set-plan.h"

#include "reel-set-plan-area.h"
#include "reel-set-view.h"

typedef enum
{
  DRAG_NONE,
  DRAG_CAMERA,
  DRAG_CAMERA_TIP,
  DRAG_PROP,
  DRAG_MARK,
  DRAG_WALL,
  DRAG_WALL_MOVE,
  DRAG_OPENING,
  DRAG_PROP_TURN,
  DRAG_PROP_SIZE,
  DRAG_CAMERA_END,
  DRAG_LINE,
  DRAG_VIEW,
} DragKind;

/* What the worker thread keeps from one render to the next: the image it draws into and
 * the mesh of the set it drew last. Only one render runs at a time. */
typedef struct
{
  ReelGreyboxImage *image;
  ReelSet *mesh_set;
  ReelSetMesh *mesh;
} RenderCache;

typedef struct
{
  RenderCache *cache;     /* a reference (g_rc_box) */
  ReelSet *set;
  ReelCameraPose pose;
  ReelGreyboxOptions options;
  int width;
  int height;
  gboolean make_node;     /* for the Cairo renderer: a node that paints @frame */
  graphene_rect_t frame;  /* where the view shows the render, in the area's pixels */
} RenderJob;

/* What a render gives the view: a node for the Cairo renderer, else the picture as an
 * opaque surface for a texture. */
typedef struct
{
  GskRenderNode *node;
  cairo_surface_t *surface;
} RenderResult;

struct _ReelSetView
{
  GtkWidget parent_instance;

  ReelProject *project;
  ReelShot *current_shot;
  char *tool;
  char *prop_kind;

  /* Template */
  GtkStack *stack;
  GtkBox *templates_box;
  GtkDropDown *prop_dropdown;
  GtkWidget *place_camera_button;
  ReelSetPlanArea *plan_area;
  GtkWidget *greybox_overlay;
  ReelSetPlanArea *greybox_area;
  GtkPicture *greybox_picture;
  GtkLabel *camera_label;
  GtkWidget *camera_group;
  GtkSpinButton *camera_height_spin;
  GtkSpinButton *camera_tilt_spin;
  GtkSpinButton *camera_roll_spin;
  GtkSpinButton *camera_lens_spin;
  GtkSwitch *camera_moves_switch;
  GtkSpinButton *end_height_spin;
  GtkSpinButton *end_pan_spin;
  GtkSpinButton *end_tilt_spin;
  GtkSpinButton *end_lens_spin;
  GtkWidget *prop_group;
  GtkSpinButton *prop_width_spin;
  GtkSpinButton *prop_depth_spin;
  GtkSpinButton *prop_height_spin;
  GtkSpinButton *prop_rotation_spin;
  GtkWidget *mark_group;
  GtkEntry *mark_name_entry;
  GtkSpinButton *mark_facing_spin;
  GtkSpinButton *mark_eye_spin;
  GtkWidget *mark_cast_label;
  GtkFlowBox *mark_cast_box;
  GtkWidget *wall_group;
  GtkSpinButton *wall_height_spin;
  GtkSpinButton *wall_thickness_spin;
  GtkWidget *opening_group;
  GtkSpinButton *opening_width_spin;
  GtkSpinButton *opening_height_spin;
  GtkSpinButton *opening_sill_spin;
  GtkWidget *line_group;
  GtkLabel *line_label;

  /* The side panel is being filled from the model: its signals are not edits. */
  gboolean syncing;
  char *cast_key;   /* the cast names the mark page offers, as last built */

  /* Zoom and scroll of the plan over the fitted view: the fitted scale times @zoom,
   * moved by (@view_dx, @view_dy) pixels. */
  double zoom, zoom_begin;
  double view_dx, view_dy;

  /* The set's own layer of the plan (floor, props, walls), kept while only cameras and
   * marks move over it. */
  cairo_surface_t *plan_cache;
  GdkTexture *plan_texture;
  GskRenderNode *plan_node;
  ReelSet *plan_cache_set;
  double plan_cache_scale, plan_cache_x, plan_cache_y;

  /* While a camera is dragged, what stands still over the set's layer, as a node, and
   * what it was drawn for (see append_still_layer()). @model_serial counts the changes
   * of the model other than the dragged camera's. */
  GskRenderNode *still_node;
  gboolean still_valid;
  guint still_serial;
  ReelShot *still_shot;   /* not a reference: only compared */
  double still_scale, still_x, still_y;
  graphene_rect_t still_whole;
  guint model_serial;
  gboolean editing_drag;

  /* The plan's transform as last drawn; kept as it is while a drag runs. */
  double scale, origin_x, origin_y;
  gboolean have_transform;

  /* The gesture under way, one undo group from press to release. */
  DragKind drag;
  guint drag_index;
  ReelShot *drag_shot;
  double drag_start_x, drag_start_z;   /* the thing's place when the drag began */
  ReelSetWall drag_wall;               /* the wall's ends when its drag began */
  double press_x, press_y;             /* plan pixels */
  double pointer_x, pointer_y;
  ReelHistoryGesture gesture;
  /* The prop, mark, wall or opening last picked: what Delete removes and the side panel
   * shows. An opening is @picked_sub of the wall @picked_index; @picked_along is where
   * along a picked wall it was picked (a new door goes there). */
  ReelPlanHitKind picked_kind;
  guint picked_index;
  guint picked_sub;
  double picked_along;

  /* The gray-box view: one render in flight, and a flag for "render again when it is
   * done", so that a drag asks for at most one render per finished one: the newest state
   * wins, nothing queues. While a drag runs the render is at most GREYBOX_DRAG_WIDTH
   * pixels wide (@greybox_reduced), at full size once it ends. The picture shows the
   * render as a texture (@have_greybox); with the Cairo renderer the area shows
   * @greybox_node, made by the worker at the frame's size. */
  RenderCache *render_cache;
  gboolean have_greybox;
  gboolean greybox_reduced;
  GskRenderNode *greybox_node;
  GCancellable *cancellable;
  gboolean rendering;
  gboolean render_wanted;
  guint n_renders;
};

G_DEFINE_FINAL_TYPE (ReelSetView, reel_set_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_CURRENT_SHOT,
  PROP_TOOL,
  PROP_PROP_KIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Focal lengths a scroll steps through, in millimetres. */
static const double lens_steps[] = {
  12, 14, 16, 18, 21, 24, 28, 32, 35, 40, 50, 65, 75, 85, 100, 135, 150, 200, 300,
};

#define TURN_STEP 15.0   /* degrees a scroll turns a prop or mark */
#define ZOOM_STEP 1.25   /* a scroll or a key press of zoom */
#define ZOOM_MIN  0.2
#define ZOOM_MAX  40.0
#define PAN_STEP  48.0   /* pixels an arrow key scrolls the plan */
#define HANDLE_RADIUS 9.0
#define GREYBOX_DRAG_WIDTH 960    /* the gray-box's widest render while dragging, in pixels */

static void request_render (ReelSetView *self);

/* Helpers */

static ReelScene *
current_scene (ReelSetView *self)
{
  return self->current_shot != NULL ? reel_shot_get_scene (self->current_shot) : NULL;
}

static const ReelSet *
current_set (ReelSetView *self)
{
  ReelScene *scene = current_scene (self);

  return scene != NULL ? reel_scene_get_set (scene) : NULL;
}

static double
sensor_width (ReelSetView *self)
{
  const char *id = self->project != NULL ? reel_project_get_sensor (self->project) : NULL;

  return reel_optics_sensor_lookup_or_default (id)->width_mm;
}

static double
aspect_ratio (ReelSetView *self)
{
  double aspect = self->project != NULL ? reel_project_get_aspect_ratio (self->project) : 0;

  return aspect > 0.1 ? aspect : REEL_ASPECT_RATIO_DEFAULT;
}

/* The cameras of the current scene's shots, and which of them is the current shot's. */
static GArray *
collect_cameras (ReelSetView *self,
                 GPtrArray   *shots,
                 int         *selected)
{
  GArray *cameras = g_array_new (FALSE, FALSE, sizeof (ReelPlanCamera));
  ReelScene *scene = current_scene (self);

  *selected = -1;
  if (scene == NULL)
    return cameras;

  for (guint i = 0; i < reel_scene_get_n_shots (scene); i++)
    {
      ReelShot *shot = reel_scene_get_shot (scene, i);
      ReelPlanCamera camera;

      if (reel_shot_get_camera (shot) == NULL)
        continue;
      camera.camera = reel_shot_get_camera (shot);
      camera.label = reel_shot_get_number (shot);
      if (shot == self->current_shot)
        *selected = cameras->len;
      g_array_append_val (cameras, camera);
      if (shots != NULL)
        g_ptr_array_add (shots, shot);
    }

  return cameras;
}

/* GTK 4.8's Cairo renderer converts a memory texture through floats every time it draws
 * it, the whole texture even when a corner changed; it paints a Cairo node's surface
 * within what changed. The GL renderer keeps a texture on the GPU and uploads a Cairo
 * node each frame. So the plan's set layer and the gray-box are drawn as what the
 * window's renderer draws cheaply. */
static gboolean
draws_with_cairo (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;

  return renderer != NULL && GSK_IS_CAIRO_RENDERER (renderer)
         && gtk_widget_get_scale_factor (widget) == 1;
}

static void
update_transform (ReelSetView *self)
{
  const ReelSet *set = current_set (self);
  g_autoptr(GArray) cameras = NULL;
  int selected;

  double width = gtk_widget_get_width (GTK_WIDGET (self->plan_area));
  double height = gtk_widget_get_height (GTK_WIDGET (self->plan_area));

  /* A drag keeps the plan still under the pointer (but scrolls it when the drag is
   * the scroll). */
  if (set == NULL || (self->drag != DRAG_NONE && self->drag != DRAG_VIEW))
    return;

  cameras = collect_cameras (self, NULL, &selected);
  reel_set_plan_get_transform (set, (ReelPlanCamera *) cameras->data, cameras->len, width, height,
                               &self->scale, &self->origin_x, &self->origin_y);
  /* The zoom is about the middle of the plan. */
  self->scale *= self->zoom;
  self->origin_x = width / 2 + (self->origin_x - width / 2) * self->zoom + self->view_dx;
  self->origin_y = height / 2 + (self->origin_y - height / 2) * self->zoom + self->view_dy;
  self->have_transform = TRUE;
}

/* Zooms by @factor keeping the floor point under the plan pixel (@px, @py) where it is. */
static void
zoom_at (ReelSetView *self,
         double       factor,
         double       px,
         double       py)
{
  double wx, wz, zoom = CLAMP (self->zoom * factor, ZOOM_MIN, ZOOM_MAX);

  if (current_set (self) == NULL || zoom == self->zoom)
    return;

  update_transform (self);
  wx = (px - self->origin_x) / MAX (self->scale, 1e-9);
  wz = (py - self->origin_y) / MAX (self->scale, 1e-9);
  self->zoom = zoom;
  update_transform (self);
  self->view_dx += px - (self->origin_x + wx * self->scale);
  self->view_dy += py - (self->origin_y + wz * self->scale);
  update_transform (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->plan_area));
}

static void
reset_view (ReelSetView *self)
{
  self->zoom = 1;
  self->view_dx = self->view_dy = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self->plan_area));
}

static void
to_world (ReelSetView *self,
          double       px,
          double       py,
          double      *x,
          double      *z)
{
  *x = (px - self->origin_x) / MAX (self->scale, 1e-9);
  *z = (py - self->origin_y) / MAX (self->scale, 1e-9);
}

static void
update_camera_label (ReelSetView *self)
{
  ReelCameraDerived derived;
  g_autofree char *text = NULL;

  if (self->current_shot == NULL || reel_shot_get_camera (self->current_shot) == NULL)
    {
      gtk_label_set_text (self->camera_label,
                          _("This shot has no camera on the set: place one to see its view."));
      return;
    }

  reel_shot_derive_camera (self->current_shot, self->project, &derived);
  /* Translators: the shot number, its lens, its size and angle, e.g. "Shot 1A · 35 mm · Wide Shot · Eye Level" */
  text = g_strdup_printf (_("Shot %s · %.0f mm · %s · %s"),
                          reel_shot_get_number (self->current_shot), derived.lens_mm,
                          derived.size_id != NULL
                            ? reel_camera_get_label (REEL_VOCAB_SIZE, derived.size_id)
                            : _("No subject in view"),
                          reel_camera_get_label (REEL_VOCAB_ANGLE, derived.angle_id));
  gtk_label_set_text (self->camera_label, text);
}


static void
set_spin (GtkSpinButton *spin,
          double         value)
{
  if (gtk_spin_button_get_value (spin) != value)
    gtk_spin_button_set_value (spin, value);
}

/* Whether the picked thing still exists (an undo may have taken it away). */
static gboolean
picked_is_valid (ReelSetView   *self,
                 const ReelSet *set)
{
  if (set == NULL)
    return FALSE;

  switch (self->picked_kind)
    {
    case REEL_PLAN_HIT_PROP:
      return self->picked_index < set->props->len;
    case REEL_PLAN_HIT_MARK:
      return self->picked_index < set->marks->len;
    case REEL_PLAN_HIT_WALL:
      return self->picked_index < set->walls->len;
    case REEL_PLAN_HIT_OPENING:
      return self->picked_index < set->walls->len
             && self->picked_sub
                  < g_array_index (set->walls, ReelSetWall, self->picked_index).openings->len;
    case REEL_PLAN_HIT_NONE:
    case REEL_PLAN_HIT_CAMERA:
    case REEL_PLAN_HIT_CAMERA_TIP:
    case REEL_PLAN_HIT_CAMERA_END:
    default:
      return FALSE;
    }
}

/* The names of the scene's cast, as the shots list them, in order, each once. */
static GPtrArray *
scene_cast (ReelSetView *self)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  ReelScene *scene = current_scene (self);

  for (guint i = 0; scene != NULL && i < reel_scene_get_n_shots (scene); i++)
    {
      g_auto(GStrv) cast = g_strsplit_set (reel_shot_get_cast (reel_scene_get_shot (scene, i)),
                                           ",;", -1);

      for (guint j = 0; cast[j] != NULL; j++)
        {
          char *name = g_strstrip (cast[j]);
          gboolean seen = FALSE;

          for (guint k = 0; k < names->len && !seen; k++)
            seen = g_utf8_collate (names->pdata[k], name) == 0;
          if (*name != '\0' && !seen)
            g_ptr_array_add (names, g_strdup (name));
        }
    }

  return names;
}

static void cast_clicked_cb (GtkButton   *button,
                             ReelSetView *self);

/* The mark page offers the cast's names that no other mark has. */
static void
sync_cast_buttons (ReelSetView   *self,
                   const ReelSet *set)
{
  g_autoptr(GPtrArray) cast = scene_cast (self);
  g_autoptr(GString) key = g_string_new ("");
  GtkWidget *child;

  for (guint i = 0; i < cast->len; i++)
    {
      const ReelSetMark *other = reel_set_find_mark (set, cast->pdata[i]);

      if (other != NULL)
        continue;
      g_string_append (key, cast->pdata[i]);
      g_string_append_c (key, '\n');
    }
  gtk_widget_set_visible (self->mark_cast_label, key->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->mark_cast_box), key->len > 0);
  if (g_strcmp0 (self->cast_key, key->str) == 0)
    return;

  g_free (self->cast_key);
  self->cast_key = g_strdup (key->str);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->mark_cast_box))) != NULL)
    gtk_flow_box_remove (self->mark_cast_box, child);
  for (guint i = 0; i < cast->len; i++)
    {
      GtkWidget *button;

      if (reel_set_find_mark (set, cast->pdata[i]) != NULL)
        continue;
      button = gtk_button_new_with_label (cast->pdata[i]);
      /* Translators: %s is a character's name */
      {
        g_autofree char *tip = g_strdup_printf (_("Name the mark %s"), (char *) cast->pdata[i]);

        gtk_widget_set_tooltip_text (button, tip);
      }
      g_object_set_data_full (G_OBJECT (button), "cast-name", g_strdup (cast->pdata[i]), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (cast_clicked_cb), self);
      gtk_flow_box_append (self->mark_cast_box, button);
    }
}

/* The side panel shows the current shot's camera and what was picked on the plan. */
static void
sync_inspector (ReelSetView *self)
{
  const ReelSet *set = current_set (self);
  const ReelShotCamera *camera = self->current_shot != NULL && set != NULL
                                   ? reel_shot_get_camera (self->current_shot) : NULL;
  gboolean valid = picked_is_valid (self, set);
  const ReelSetMark *a, *b;

  self->syncing = TRUE;

  gtk_widget_set_visible (self->camera_group, camera != NULL);
  if (camera != NULL)
    {
      GtkSpinButton *end_spins[] = { self->end_height_spin, self->end_pan_spin,
                                     self->end_tilt_spin, self->end_lens_spin };

      set_spin (self->camera_height_spin, camera->start.height);
      set_spin (self->camera_tilt_spin, camera->start.tilt);
      set_spin (self->camera_roll_spin, camera->start.roll);
      set_spin (self->camera_lens_spin, camera->start.lens_mm);
      if (gtk_switch_get_active (self->camera_moves_switch) != camera->moves)
        gtk_switch_set_active (self->camera_moves_switch, camera->moves);
      /* The end of a move only for a camera that moves. */
      for (guint i = 0; i < G_N_ELEMENTS (end_spins); i++)
        gtk_widget_set_visible (gtk_widget_get_ancestor (GTK_WIDGET (end_spins[i]),
                                                         ADW_TYPE_ACTION_ROW),
                                camera->moves);
      set_spin (self->end_height_spin, camera->end.height);
      set_spin (self->end_pan_spin, camera->end.pan);
      set_spin (self->end_tilt_spin, camera->end.tilt);
      set_spin (self->end_lens_spin, camera->end.lens_mm);
    }

  gtk_widget_set_visible (self->prop_group, valid && self->picked_kind == REEL_PLAN_HIT_PROP);
  if (valid && self->picked_kind == REEL_PLAN_HIT_PROP)
    {
      const ReelSetProp *prop = &g_array_index (set->props, ReelSetProp, self->picked_index);
      const ReelSetPreset *preset = reel_set_lookup_preset (prop->kind);

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->prop_group),
                                       preset != NULL ? _(preset->label) : _("Prop"));
      set_spin (self->prop_width_spin, prop->width);
      set_spin (self->prop_depth_spin, prop->depth);
      set_spin (self->prop_height_spin, prop->height);
      set_spin (self->prop_rotation_spin, prop->rotation);
    }

  gtk_widget_set_visible (self->mark_group, valid && self->picked_kind == REEL_PLAN_HIT_MARK);
  if (valid && self->picked_kind == REEL_PLAN_HIT_MARK)
    {
      const ReelSetMark *mark = &g_array_index (set->marks, ReelSetMark, self->picked_index);

      if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->mark_name_entry)), mark->name)
          != 0)
        gtk_editable_set_text (GTK_EDITABLE (self->mark_name_entry), mark->name);
      set_spin (self->mark_facing_spin, mark->facing);
      set_spin (self->mark_eye_spin, mark->eye_height);
      sync_cast_buttons (self, set);
    }

  gtk_widget_set_visible (self->wall_group, valid && self->picked_kind == REEL_PLAN_HIT_WALL);
  if (valid && self->picked_kind == REEL_PLAN_HIT_WALL)
    {
      const ReelSetWall *wall = &g_array_index (set->walls, ReelSetWall, self->picked_index);

      set_spin (self->wall_height_spin, wall->height);
      set_spin (self->wall_thickness_spin, wall->thickness);
    }

  gtk_widget_set_visible (self->opening_group,
                          valid && self->picked_kind == REEL_PLAN_HIT_OPENING);
  if (valid && self->picked_kind == REEL_PLAN_HIT_OPENING)
    {
      const ReelSetWall *wall = &g_array_index (set->walls, ReelSetWall, self->picked_index);
      const ReelSetOpening *o = &g_array_index (wall->openings, ReelSetOpening, self->picked_sub);

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->opening_group),
                                       o->kind == REEL_SET_OPENING_DOOR ? _("Door") : _("Window"));
      set_spin (self->opening_width_spin, o->width);
      set_spin (self->opening_height_spin, o->height);
      set_spin (self->opening_sill_spin, o->sill);
    }

  gtk_widget_set_visible (self->line_group, set != NULL);
  if (set != NULL && reel_set_get_line_of_action (set, &a, &b))
    {
      /* Translators: the line of action between two actors' marks, e.g. "Between Maya and Tom" */
      g_autofree char *text = g_strdup_printf (_("Between %s and %s"), a->name, b->name);

      gtk_label_set_text (self->line_label, text);
    }
  else
    {
      gtk_label_set_text (self->line_label,
                          _("None: drag from one mark to another with the Line tool."));
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "set.clear-line",
                                 set != NULL && reel_set_get_line_of_action (set, &a, &b));

  self->syncing = FALSE;
}

/* Which page shows, which buttons work, what the plan and the view show: all from the model. */
static void
refresh (ReelSetView *self)
{
  gboolean has_set = current_set (self) != NULL;
  gboolean has_camera = self->current_shot != NULL
                        && reel_shot_get_camera (self->current_shot) != NULL;

  if (self->current_shot == NULL || current_scene (self) == NULL)
    gtk_stack_set_visible_child_name (self->stack, "no-shot");
  else if (!has_set)
    gtk_stack_set_visible_child_name (self->stack, "no-set");
  else
    gtk_stack_set_visible_child_name (self->stack, "plan");

  gtk_widget_set_visible (self->place_camera_button, has_set && !has_camera);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "set.place-camera", has_set && !has_camera);
  if (!picked_is_valid (self, current_set (self)))
    self->picked_kind = REEL_PLAN_HIT_NONE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "set.delete",
                                 has_set && self->picked_kind != REEL_PLAN_HIT_NONE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "set.add-door",
                                 self->picked_kind == REEL_PLAN_HIT_WALL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "set.add-window",
                                 self->picked_kind == REEL_PLAN_HIT_WALL);

  update_camera_label (self);
  sync_inspector (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->plan_area));
  request_render (self);
}

/* Undo groups: a whole drag is one step. */

static void
begin_group (ReelSetView *self,
             const char  *label)
{
  reel_history_gesture_begin (&self->gesture,
                              self->project != NULL ? reel_project_get_history (self->project)
                                                    : NULL,
                              label);
}

static void
end_drag (ReelSetView *self)
{
  reel_history_gesture_end (&self->gesture);
  self->drag = DRAG_NONE;
  g_clear_object (&self->drag_shot);
  gtk_widget_queue_draw (GTK_WIDGET (self->plan_area));
  /* The view drawn small during the drag comes back at full size. */
  if (self->greybox_reduced)
    request_render (self);
}

/* One step of several edits, outside a gesture. */
static void
begin_step (ReelSetView *self,
            const char  *label)
{
  if (self->project != NULL)
    reel_history_begin_group (reel_project_get_history (self->project), label);
}

static void
end_step (ReelSetView *self)
{
  if (self->project != NULL)
    reel_history_end_group (reel_project_get_history (self->project));
}

static void
edit_set (ReelSetView   *self,
          const ReelSet *set,
          const char    *label)
{
  ReelScene *scene = current_scene (self);

  if (scene != NULL && self->project != NULL)
    reel_edit_set_scene_set (self->project, scene, set, label);
}

static void
edit_camera (ReelSetView          *self,
             ReelShot             *shot,
             const ReelShotCamera *camera)
{
  if (self->project != NULL)
    reel_edit_set_shot_camera (self->project, shot, camera);
}

/* The gray-box render, on a worker thread */

static void
render_cache_clear (RenderCache *cache)
{
  g_clear_pointer (&cache->image, reel_greybox_image_free);
  g_clear_pointer (&cache->mesh, reel_set_mesh_free);
  g_clear_pointer (&cache->mesh_set, reel_set_free);
}

static void
render_job_free (RenderJob *job)
{
  g_rc_box_release_full (job->cache, (GDestroyNotify) render_cache_clear);
  reel_set_free (job->set);
  g_free (job);
}

static void
render_result_free (RenderResult *result)
{
  g_clear_pointer (&result->node, gsk_render_node_unref);
  g_clear_pointer (&result->surface, cairo_surface_destroy);
  g_free (result);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenderJob *job = task_data;
  RenderCache *cache = job->cache;
  RenderResult *result = g_new0 (RenderResult, 1);

  /* The mesh is made again only when the set changed (a camera drag keeps it). */
  if (cache->mesh == NULL || !reel_set_equal (cache->mesh_set, job->set))
    {
      g_clear_pointer (&cache->mesh, reel_set_mesh_free);
      g_clear_pointer (&cache->mesh_set, reel_set_free);
      cache->mesh = reel_set_mesh_new (job->set, TRUE);
      cache->mesh_set = reel_set_copy (job->set);
    }
  if (cache->image == NULL || cache->image->width != job->width
      || cache->image->height != job->height)
    {
      g_clear_pointer (&cache->image, reel_greybox_image_free);
      cache->image = reel_greybox_image_new (job->width, job->height);
    }

  /* Every core draws a band of it: the picture is the same as on one. */
  reel_greybox_render_into_threads (cache->image, cache->mesh, &job->pose, &job->options, 0);

  /* The image is drawn into again by the next render: the view gets its pixels copied
   * into something of its own, opaque. */
  if (job->make_node)
    {
      /* The Cairo renderer keeps a Cairo node's pixels and paints them where the window
       * changed, so the frame's whole work is done here, once: the render copied to the
       * frame's size (enlarged, for a render made smaller during a drag) into the node.
       * A render node is a value, complete once made, that the main thread only reads. */
      cairo_t *cr;
      cairo_surface_t *target, *copy;

      result->node = gsk_cairo_node_new (&job->frame);
      cr = gsk_cairo_node_get_draw_context (result->node);
      target = cairo_get_target (cr);
      if (cairo_surface_get_type (target) == CAIRO_SURFACE_TYPE_IMAGE
          && cairo_image_surface_get_width (target) == (int) job->frame.size.width
          && cairo_image_surface_get_height (target) == (int) job->frame.size.height)
        {
          /* GTK 4.8 gives the node's own pixels: written straight. */
          cairo_surface_flush (target);
          reel_greybox_image_copy_to (cache->image,
                                      (guint32 *) cairo_image_surface_get_data (target),
                                      cairo_image_surface_get_width (target),
                                      cairo_image_surface_get_height (target),
                                      cairo_image_surface_get_stride (target));
          cairo_surface_mark_dirty (target);
        }
      else
        {
          /* Later GTK records what is drawn: a copy, painted in the area's coordinates. */
          copy = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) job->frame.size.width,
                                             (int) job->frame.size.height);
          cairo_surface_flush (copy);
          reel_greybox_image_copy_to (cache->image,
                                      (guint32 *) cairo_image_surface_get_data (copy),
                                      (int) job->frame.size.width, (int) job->frame.size.height,
                                      cairo_image_surface_get_stride (copy));
          cairo_surface_mark_dirty (copy);
          cairo_set_source_surface (cr, copy, job->frame.origin.x, job->frame.origin.y);
          cairo_paint (cr);
          cairo_surface_destroy (copy);
        }
      cairo_destroy (cr);
    }
  else
    {
      /* A texture reads the top byte as alpha. */
      result->surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, job->width, job->height);
      cairo_surface_flush (result->surface);
      reel_greybox_image_copy_to (cache->image,
                                  (guint32 *) cairo_image_surface_get_data (result->surface),
                                  job->width, job->height,
                                  cairo_image_surface_get_stride (result->surface));
      cairo_surface_mark_dirty (result->surface);
    }

  g_task_return_pointer (task, result, (GDestroyNotify) render_result_free);
}

/* A texture sharing @surface's pixels, which stay untouched until both are gone
 * (transfer full). */
static GdkTexture *
texture_for_surface (cairo_surface_t *surface)
{
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  g_autoptr(GBytes) bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                                        (gsize) stride * height,
                                                        (GDestroyNotify) cairo_surface_destroy,
                                                        cairo_surface_reference (surface));

  return gdk_memory_texture_new (cairo_image_surface_get_width (surface), height,
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
                                 GDK_MEMORY_B8G8R8A8_PREMULTIPLIED,
#else
                                 GDK_MEMORY_A8R8G8B8_PREMULTIPLIED,
#endif
                                 bytes, stride);
}

static void
render_done_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  ReelSetView *self = REEL_SET_VIEW (source);
  RenderResult *result = g_task_propagate_pointer (G_TASK (res), NULL);

  self->rendering = FALSE;
  if (result == NULL)
    return;
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      render_result_free (result);
      return;
    }

  self->n_renders++;
  if (result->node != NULL)
    {
      /* The area appends the node: the renderer paints it where the window changed. */
      g_clear_pointer (&self->greybox_node, gsk_render_node_unref);
      self->greybox_node = g_steal_pointer (&result->node);
      gtk_picture_set_paintable (self->greybox_picture, NULL);
      self->have_greybox = FALSE;
      gtk_widget_queue_draw (GTK_WIDGET (self->greybox_area));
    }
  else
    {
      g_autoptr(GdkTexture) texture = texture_for_surface (result->surface);

      g_clear_pointer (&self->greybox_node, gsk_render_node_unref);
      gtk_picture_set_paintable (self->greybox_picture, GDK_PAINTABLE (texture));
      /* The empty frame under the picture goes once; redrawing it for every render would
       * cost a blank surface as large as the view. */
      if (!self->have_greybox)
        {
          self->have_greybox = TRUE;
          gtk_widget_queue_draw (GTK_WIDGET (self->greybox_area));
        }
    }
  render_result_free (result);

  if (self->render_wanted)
    request_render (self);
}

/* Where the gray-box view shows in its area of @width × @height: the project's frame,
 * as large as fits, centred, on whole pixels. */
static void
get_greybox_frame (ReelSetView     *self,
                   int              width,
                   int              height,
                   graphene_rect_t *frame)
{
  double aspect = aspect_ratio (self);
  int frame_width = width, frame_height;

  if (frame_width / aspect > height)
    frame_width = (int) (height * aspect);
  frame_height = (int) (frame_width / aspect);
  frame_width = MAX (frame_width, 1);
  frame_height = MAX (frame_height, 1);
  graphene_rect_init (frame, (width - frame_width) / 2, (height - frame_height) / 2,
                      frame_width, frame_height);
}

/* Asks for the current shot's view as the model stands; renders now if no render runs,
 * else once the running one is done. */
static void
request_render (ReelSetView *self)
{
  g_autoptr(GTask) task = NULL;
  const ReelShotCamera *camera;
  const ReelSet *set = current_set (self);
  RenderJob *job;
  graphene_rect_t frame;
  int scale, width, height;

  self->render_wanted = TRUE;
  if (self->rendering || g_cancellable_is_cancelled (self->cancellable)
      || !gtk_widget_get_mapped (GTK_WIDGET (self->greybox_area)))
    return;

  camera = self->current_shot != NULL ? reel_shot_get_camera (self->current_shot) : NULL;
  if (set == NULL || camera == NULL)
    {
      self->render_wanted = FALSE;
      gtk_picture_set_paintable (self->greybox_picture, NULL);
      g_clear_pointer (&self->greybox_node, gsk_render_node_unref);
      self->have_greybox = FALSE;
      gtk_widget_queue_draw (GTK_WIDGET (self->greybox_area));
      return;
    }

  /* As many pixels as the view shows, in the project's frame. */
  scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  width = gtk_widget_get_width (GTK_WIDGET (self->greybox_area));
  height = gtk_widget_get_height (GTK_WIDGET (self->greybox_area));
  if (width <= 0 || height <= 0)
    return;
  get_greybox_frame (self, width, height, &frame);
  width = CLAMP ((int) frame.size.width * scale, 16, 8192);
  height = CLAMP ((int) frame.size.height * scale, 16, 8192);
  /* A drag wants the newest view soon more than every pixel of it. */
  self->greybox_reduced = self->drag != DRAG_NONE && width > GREYBOX_DRAG_WIDTH;
  if (self->greybox_reduced)
    {
      height = MAX (16, (int) round (height * (double) GREYBOX_DRAG_WIDTH / width));
      width = GREYBOX_DRAG_WIDTH;
    }

  job = g_new0 (RenderJob, 1);
  job->cache = g_rc_box_acquire (self->render_cache);
  job->set = reel_set_copy (set);
  job->pose = camera->start;
  job->pose.tilt = CLAMP (job->pose.tilt, -89, 89);
  job->pose.height = MAX (job->pose.height, 0.05);
  job->options.time_of_day =
    reel_prompt_normalize_time_of_day (reel_scene_get_time_of_day (current_scene (self)));
  job->options.sensor_width_mm = sensor_width (self);
  job->width = width;
  job->height = height;
  job->make_node = draws_with_cairo (GTK_WIDGET (self->greybox_area));
  job->frame = frame;

  self->rendering = TRUE;
  self->render_wanted = FALSE;
  task = g_task_new (self, self->cancellable, render_done_cb, NULL);
  g_task_set_source_tag (task, request_render);
  g_task_set_task_data (task, job, (GDestroyNotify) render_job_free);
  g_task_run_in_thread (task, render_thread);
}

/* Drawing */

/* The set's layer of the plan as a texture, drawn again only when the set, the size or the
 * transform changed: a camera dragged over 200 props costs the cameras alone. */
static GdkTexture *
ensure_plan_texture (ReelSetView   *self,
                     const ReelSet *set,
                     int            width,
                     int            height)
{
  int scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self->plan_area));
  int pixel_width = width * scale_factor, pixel_height = height * scale_factor;
  cairo_t *cache_cr;
  GBytes *bytes;

  if (self->plan_texture != NULL && gdk_texture_get_width (self->plan_texture) == pixel_width
      && gdk_texture_get_height (self->plan_texture) == pixel_height
      && self->plan_cache_scale == self->scale && self->plan_cache_x == self->origin_x
      && self->plan_cache_y == self->origin_y && reel_set_equal (self->plan_cache_set, set))
    return self->plan_texture;

  g_clear_object (&self->plan_texture);
  g_clear_pointer (&self->plan_node, gsk_render_node_unref);
  g_clear_pointer (&self->plan_cache, cairo_surface_destroy);
  g_clear_pointer (&self->plan_cache_set, reel_set_free);
  self->plan_cache = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pixel_width, pixel_height);
  cairo_surface_set_device_scale (self->plan_cache, scale_factor, scale_factor);
  cache_cr = cairo_create (self->plan_cache);
  cairo_set_source_rgb (cache_cr, 0.97, 0.97, 0.96);
  cairo_paint (cache_cr);
  reel_set_plan_draw_layers (cache_cr, set, NULL, 0, sensor_width (self), self->scale,
                             self->origin_x, self->origin_y, -1, REEL_PLAN_LAYER_SET);
  cairo_destroy (cache_cr);
  cairo_surface_flush (self->plan_cache);

  /* Opaque premultiplied ARGB32 in native order. The texture shares the surface's pixels,
   * which stay untouched until both are replaced. */
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (self->plan_cache),
                                      (gsize) cairo_image_surface_get_stride (self->plan_cache)
                                        * pixel_height,
                                      (GDestroyNotify) cairo_surface_destroy,
                                      cairo_surface_reference (self->plan_cache));
  self->plan_texture = gdk_memory_texture_new (pixel_width, pixel_height,
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
                                               GDK_MEMORY_B8G8R8A8_PREMULTIPLIED,
#else
                                               GDK_MEMORY_A8R8G8B8_PREMULTIPLIED,
#endif
                                               bytes,
                                               cairo_image_surface_get_stride (self->plan_cache));
  g_bytes_unref (bytes);
  self->plan_cache_set = reel_set_copy (set);
  self->plan_cache_scale = self->scale;
  self->plan_cache_x = self->origin_x;
  self->plan_cache_y = self->origin_y;
  return self->plan_texture;
}

/* The set's layer as a node the window's renderer draws cheaply (see draws_with_cairo()):
 * kept from frame to frame like the texture it is made from. */
static void
append_plan_layer (ReelSetView     *self,
                   GtkSnapshot     *snapshot,
                   const ReelSet   *set,
                   int              width,
                   int              height)
{
  graphene_rect_t whole = GRAPHENE_RECT_INIT (0, 0, width, height);
  GdkTexture *texture = ensure_plan_texture (self, set, width, height);
  cairo_t *cr;

  if (!draws_with_cairo (GTK_WIDGET (self->plan_area)))
    {
      gtk_snapshot_append_texture (snapshot, texture, &whole);
      return;
    }

  if (self->plan_node == NULL)
    {
      self->plan_node = gsk_cairo_node_new (&whole);
      cr = gsk_cairo_node_get_draw_context (self->plan_node);
      cairo_set_source_surface (cr, self->plan_cache, 0, 0);
      cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
      cairo_paint (cr);
      cairo_destroy (cr);
    }
  gtk_snapshot_append_node (snapshot, self->plan_node);
}

static void
extend_rect (graphene_rect_t *rect,
             gboolean        *empty,
             double           x,
             double           y,
             double           margin)
{
  graphene_rect_t point = GRAPHENE_RECT_INIT (x - margin, y - margin, 2 * margin, 2 * margin);

  if (*empty)
    *rect = point;
  else
    graphene_rect_union (rect, &point, rect);
  *empty = FALSE;
}

/* What is picked, outlined in the accent blue; a picked prop gets its handles: a disc
 * ahead of it that turns it, a square on its corner that sizes it. */
static void
draw_picked (ReelSetView   *self,
             cairo_t       *cr,
             const ReelSet *set)
{
  if (!picked_is_valid (self, set))
    return;

  cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
  if (self->picked_kind == REEL_PLAN_HIT_PROP)
    {
      const ReelSetProp *prop = &g_array_index (set->props, ReelSetProp, self->picked_index);
      double px = self->origin_x + prop->x * self->scale;
      double py = self->origin_y + prop->z * self->scale;
      double tx, tz, sx, sz;

      reel_set_plan_prop_handles (prop, self->scale, &tx, &tz, &sx, &sz);
      cairo_save (cr);
      cairo_translate (cr, px, py);
      cairo_rotate (cr, prop->rotation * G_PI / 180);
      cairo_rectangle (cr, -prop->width / 2 * self->scale, -prop->depth / 2 * self->scale,
                       prop->width * self->scale, prop->depth * self->scale);
      cairo_restore (cr);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
      cairo_move_to (cr, px, py);
      cairo_line_to (cr, self->origin_x + tx * self->scale, self->origin_y + tz * self->scale);
      cairo_stroke (cr);
      cairo_arc (cr, self->origin_x + tx * self->scale, self->origin_y + tz * self->scale,
                 HANDLE_RADIUS - 3, 0, 2 * G_PI);
      cairo_fill (cr);
      cairo_rectangle (cr, self->origin_x + sx * self->scale - (HANDLE_RADIUS - 3),
                       self->origin_y + sz * self->scale - (HANDLE_RADIUS - 3),
                       2 * (HANDLE_RADIUS - 3), 2 * (HANDLE_RADIUS - 3));
      cairo_fill (cr);
    }
  else if (self->picked_kind == REEL_PLAN_HIT_WALL || self->picked_kind == REEL_PLAN_HIT_OPENING)
    {
      const ReelSetWall *wall = &g_array_index (set->walls, ReelSetWall, self->picked_index);
      double length = hypot (wall->x2 - wall->x1, wall->z2 - wall->z1);
      double ux = (wall->x2 - wall->x1) / MAX (length, 1e-6);
      double uz = (wall->z2 - wall->z1) / MAX (length, 1e-6);
      double from = 0, to = length;

      if (self->picked_kind == REEL_PLAN_HIT_OPENING)
        {
          const ReelSetOpening *o = &g_array_index (wall->openings, ReelSetOpening,
                                                    self->picked_sub);

          from = o->offset;
          to = o->offset + o->width;
        }
      cairo_set_line_width (cr, MAX (wall->thickness * self->scale, 2) + 4);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.6);
      cairo_move_to (cr, self->origin_x + (wall->x1 + ux * from) * self->scale,
                     self->origin_y + (wall->z1 + uz * from) * self->scale);
      cairo_line_to (cr, self->origin_x + (wall->x1 + ux * to) * self->scale,
                     self->origin_y + (wall->z1 + uz * to) * self->scale);
      cairo_stroke (cr);
    }
}

/* Rounds @rect out to whole pixels and clips it to @whole: a node on whole pixels is
 * painted by a plain copy. FALSE when nothing is left. */
static gboolean
round_out_within (graphene_rect_t       *rect,
                  const graphene_rect_t *whole)
{
  graphene_rect_round_extents (rect, rect);
  return graphene_rect_intersection (rect, whole, rect);
}

/* A camera's box on the plan: its disc, number and field of view, and a moving camera's
 * end and the path to it. */
static void
extend_by_camera (ReelSetView          *self,
                  graphene_rect_t      *rect,
                  gboolean             *empty,
                  const ReelShotCamera *camera)
{
  double radius = MAX (3.2 * self->scale, 52) + 16;

  extend_rect (rect, empty, self->origin_x + camera->start.x * self->scale,
               self->origin_y + camera->start.z * self->scale, radius);
  if (camera->moves)
    extend_rect (rect, empty, self->origin_x + camera->end.x * self->scale,
                 self->origin_y + camera->end.z * self->scale, radius);
}

/* The box that holds what is drawn over the set's layer (see draw_overlay()) within
 * @whole; FALSE when nothing shows. */
static gboolean
get_overlay_bounds (ReelSetView           *self,
                    const ReelSet         *set,
                    GArray                *cameras,
                    int                    skip,
                    const graphene_rect_t *whole,
                    graphene_rect_t       *bounds)
{
  gboolean empty = TRUE;

  for (guint i = 0; i < cameras->len; i++)
    if ((int) i != skip)
      extend_by_camera (self, bounds, &empty, g_array_index (cameras, ReelPlanCamera, i).camera);
  for (guint i = 0; i < set->marks->len; i++)
    {
      const ReelSetMark *mark = &g_array_index (set->marks, ReelSetMark, i);

      extend_rect (bounds, &empty, self->origin_x + mark->x * self->scale,
                   self->origin_y + mark->z * self->scale, 80);
    }
  if (self->drag == DRAG_WALL || self->drag == DRAG_LINE)
    {
      extend_rect (bounds, &empty, self->press_x, self->press_y, 0.15 * self->scale + 4);
      extend_rect (bounds, &empty, self->pointer_x, self->pointer_y, 0.15 * self->scale + 4);
    }
  if (picked_is_valid (self, set) && self->picked_kind == REEL_PLAN_HIT_PROP)
    {
      const ReelSetProp *prop = &g_array_index (set->props, ReelSetProp, self->picked_index);
      double r = hypot (prop->width, prop->depth) / 2 * self->scale + 32;

      extend_rect (bounds, &empty, self->origin_x + prop->x * self->scale,
                   self->origin_y + prop->z * self->scale, r);
    }
  if (picked_is_valid (self, set)
      && (self->picked_kind == REEL_PLAN_HIT_WALL || self->picked_kind == REEL_PLAN_HIT_OPENING))
    {
      const ReelSetWall *wall = &g_array_index (set->walls, ReelSetWall, self->picked_index);

      extend_rect (bounds, &empty, self->origin_x + wall->x1 * self->scale,
                   self->origin_y + wall->z1 * self->scale, wall->thickness * self->scale + 8);
      extend_rect (bounds, &empty, self->origin_x + wall->x2 * self->scale,
                   self->origin_y + wall->z2 * self->scale, wall->thickness * self->scale + 8);
    }

  return !empty && round_out_within (bounds, whole);
}

/* What is drawn over the set's layer: the cameras but the one at @skip (-1: none) with
 * their fields of view, numbers and moves, the marks with their names, the wall or line
 * being drawn, what is picked. */
static void
draw_overlay (ReelSetView   *self,
              cairo_t       *cr,
              const ReelSet *set,
              GArray        *cameras,
              int            selected,
              int            skip)
{
  g_autoptr(GArray) shown = g_array_sized_new (FALSE, FALSE, sizeof (ReelPlanCamera),
                                               cameras->len);
  int shown_selected = -1;

  for (guint i = 0; i < cameras->len; i++)
    {
      if ((int) i == skip)
        continue;
      if ((int) i == selected)
        shown_selected = shown->len;
      g_array_append_val (shown, g_array_index (cameras, ReelPlanCamera, i));
    }
  reel_set_plan_draw_layers (cr, set, (ReelPlanCamera *) shown->data, shown->len,
                             sensor_width (self), self->scale, self->origin_x, self->origin_y,
                             shown_selected, REEL_PLAN_LAYER_CAMERAS | REEL_PLAN_LAYER_MARKS);

  /* The wall being drawn, the line of action being drawn. */
  if (self->drag == DRAG_WALL)
    {
      cairo_set_source_rgba (cr, 0.15, 0.15, 0.17, 0.6);
      cairo_set_line_width (cr, MAX (0.15 * self->scale, 2));
      cairo_move_to (cr, self->press_x, self->press_y);
      cairo_line_to (cr, self->pointer_x, self->pointer_y);
      cairo_stroke (cr);
    }
  else if (self->drag == DRAG_LINE)
    {
      static const double dash[] = { 6, 4 };

      cairo_set_source_rgb (cr, 0.85, 0.2, 0.2);
      cairo_set_line_width (cr, 1.5);
      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
      cairo_move_to (cr, self->press_x, self->press_y);
      cairo_line_to (cr, self->pointer_x, self->pointer_y);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
  draw_picked (self, cr, set);
}

/* The index in @shots of the shot whose camera is being dragged, or -1. */
static int
find_dragged_camera (ReelSetView *self,
                     GPtrArray   *shots)
{
  guint index;

  if ((self->drag != DRAG_CAMERA && self->drag != DRAG_CAMERA_TIP
       && self->drag != DRAG_CAMERA_END)
      || self->drag_shot == NULL || !g_ptr_array_find (shots, self->drag_shot, &index))
    return -1;
  return index;
}

/* While a camera is dragged, what stands still over the set's layer (the other cameras,
 * the marks, what is picked) is one node kept from frame to frame, made again only when
 * something other than the drag changed the model. */
static void
append_still_layer (ReelSetView           *self,
                    GtkSnapshot           *snapshot,
                    const ReelSet         *set,
                    GArray                *cameras,
                    int                    selected,
                    int                    dragged,
                    const graphene_rect_t *whole)
{
  graphene_rect_t bounds;

  if (!self->still_valid || self->still_serial != self->model_serial
      || self->still_shot != self->drag_shot || self->still_scale != self->scale
      || self->still_x != self->origin_x || self->still_y != self->origin_y
      || !graphene_rect_equal (&self->still_whole, whole))
    {
      g_clear_pointer (&self->still_node, gsk_render_node_unref);
      if (get_overlay_bounds (self, set, cameras, dragged, whole, &bounds))
        {
          cairo_t *cr;

          self->still_node = gsk_cairo_node_new (&bounds);
          cr = gsk_cairo_node_get_draw_context (self->still_node);
          draw_overlay (self, cr, set, cameras, selected, dragged);
          cairo_destroy (cr);
        }
      self->still_valid = TRUE;
      self->still_serial = self->model_serial;
      self->still_shot = self->drag_shot;
      self->still_scale = self->scale;
      self->still_x = self->origin_x;
      self->still_y = self->origin_y;
      self->still_whole = *whole;
    }

  if (self->still_node != NULL)
    gtk_snapshot_append_node (snapshot, self->still_node);
}

static void
snapshot_plan_cb (ReelSetPlanArea *area,
                  GtkSnapshot     *snapshot,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  ReelSetView *self = user_data;
  const ReelSet *set = current_set (self);
  g_autoptr(GArray) cameras = NULL;
  g_autoptr(GPtrArray) shots = g_ptr_array_new ();
  graphene_rect_t whole = GRAPHENE_RECT_INIT (0, 0, width, height), bounds;
  gboolean empty = TRUE;
  int selected, dragged;
  cairo_t *cr;

  if (set == NULL)
    {
      self->still_valid = FALSE;
      g_clear_pointer (&self->still_node, gsk_render_node_unref);
      gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.97, 0.97, 0.96, 1 }, &whole);
      return;
    }

  update_transform (self);
  cameras = collect_cameras (self, shots, &selected);
  append_plan_layer (self, snapshot, set, width, height);

  dragged = find_dragged_camera (self, shots);
  if (dragged < 0)
    {
      /* What moves is painted over it, within the box that holds it. */
      self->still_valid = FALSE;
      g_clear_pointer (&self->still_node, gsk_render_node_unref);
      if (!get_overlay_bounds (self, set, cameras, -1, &whole, &bounds))
        return;
      cr = gtk_snapshot_append_cairo (snapshot, &bounds);
      draw_overlay (self, cr, set, cameras, selected, -1);
      cairo_destroy (cr);
      return;
    }

  /* A camera dragged: the rest kept, the camera drawn alone on top, so a frame changes
   * (and the renderer paints again) only where the camera was and is. */
  append_still_layer (self, snapshot, set, cameras, selected, dragged, &whole);
  extend_by_camera (self, &bounds, &empty, g_array_index (cameras, ReelPlanCamera, dragged).camera);
  if (!round_out_within (&bounds, &whole))
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &bounds);
  reel_set_plan_draw_layers (cr, set, &g_array_index (cameras, ReelPlanCamera, dragged), 1,
                             sensor_width (self), self->scale, self->origin_x, self->origin_y,
                             dragged == selected ? 0 : -1, REEL_PLAN_LAYER_CAMERAS);
  cairo_destroy (cr);
}

static void
snapshot_greybox_cb (ReelSetPlanArea *area,
                     GtkSnapshot     *snapshot,
                     int              width,
                     int              height,
                     gpointer         user_data)
{
  ReelSetView *self = user_data;
  graphene_rect_t frame, bounds;

  /* The picture above shows the render as a texture. */
  if (self->have_greybox)
    return;

  get_greybox_frame (self, width, height, &frame);
  if (self->greybox_node != NULL)
    gsk_render_node_get_bounds (self->greybox_node, &bounds);
  if (self->greybox_node == NULL)
    {
      /* Before the first render, or without a camera, an empty frame holds its place. */
      gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.5, 0.5, 0.52, 1 }, &frame);
      return;
    }

  /* The Cairo renderer's way: the node the worker made for this frame, or, when the area
   * changed size since, that node fitted to the frame until the next render. */
  if (graphene_rect_equal (&frame, &bounds))
    {
      gtk_snapshot_append_node (snapshot, self->greybox_node);
    }
  else
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &frame.origin);
      gtk_snapshot_scale (snapshot, frame.size.width / bounds.size.width,
                          frame.size.height / bounds.size.height);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-bounds.origin.x,
                                                              -bounds.origin.y));
      gtk_snapshot_append_node (snapshot, self->greybox_node);
      gtk_snapshot_restore (snapshot);
    }
}

/* Callbacks */

static void
project_changed_cb (ReelSetView *self)
{
  /* The dragged camera moving is drawn on its own; anything else, all again. */
  if (!self->editing_drag)
    self->model_serial++;

  /* A shot may have left its scene (deleted): the page follows. */
  refresh (self);
}

static void
greybox_resize_cb (ReelSetView *self)
{
  request_render (self);
}

static void
greybox_map_cb (ReelSetView *self)
{
  refresh (self);
}

static void
template_clicked_cb (GtkButton   *button,
                     ReelSetView *self)
{
  const char *template_id = g_object_get_data (G_OBJECT (button), "template-id");
  g_autoptr(ReelSet) set = reel_set_new_from_template (template_id);

  if (set != NULL)
    edit_set (self, set, _("Add Set"));
}

static void
prop_selected_cb (ReelSetView *self)
{
  guint n_presets, position = gtk_drop_down_get_selected (self->prop_dropdown);
  const ReelSetPreset *presets = reel_set_get_presets (&n_presets);

  if (position < n_presets)
    g_object_set (self, "prop-kind", presets[position].id, "tool", "prop", NULL);
}

/* A mark's name: the next of the shot's cast not yet on the set, else "Mark N". */
static char *
new_mark_name (ReelSetView   *self,
               const ReelSet *set)
{
  const char *cast = self->current_shot != NULL ? reel_shot_get_cast (self->current_shot) : "";
  g_auto(GStrv) names = g_strsplit_set (cast, ",;", -1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      char *name = g_strstrip (names[i]);

      if (*name != '\0' && reel_set_find_mark (set, name) == NULL)
        return g_strdup (name);
    }

  for (guint n = set->marks->len + 1;; n++)
    {
      /* Translators: the name of an actor's mark placed without a cast name */
      g_autofree char *name = g_strdup_printf (_("Mark %u"), n);

      if (reel_set_find_mark (set, name) == NULL)
        return g_steal_pointer (&name);
    }
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               ReelSetView    *self)
{
  const ReelSet *set = current_set (self);
  g_autoptr(GPtrArray) shots = g_ptr_array_new ();
  g_autoptr(GArray) cameras = NULL;
  g_autoptr(ReelSet) copy = NULL;
  ReelPlanHit hit;
  double wx, wz;
  int selected;

  if (set == NULL || self->project == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  gtk_widget_grab_focus (GTK_WIDGET (self->plan_area));
  update_transform (self);
  to_world (self, x, y, &wx, &wz);
  /* What is picked may change: nothing drawn before stays. */
  self->model_serial++;
  self->press_x = self->pointer_x = x;
  self->press_y = self->pointer_y = y;

  if (g_strcmp0 (self->tool, "wall") == 0)
    {
      self->drag = DRAG_WALL;
      self->drag_start_x = wx;
      self->drag_start_z = wz;
      return;
    }
  if (g_strcmp0 (self->tool, "prop") == 0)
    {
      copy = reel_set_copy (set);
      self->picked_kind = REEL_PLAN_HIT_PROP;
      self->picked_index = reel_set_add_prop (copy, self->prop_kind, wx, wz, 0);
      edit_set (self, copy, _("Add Prop"));
      return;
    }
  if (g_strcmp0 (self->tool, "line") == 0)
    {
      cameras = collect_cameras (self, shots, &selected);
      hit = reel_set_plan_hit (set, (ReelPlanCamera *) cameras->data, 0, self->scale,
                               self->origin_x, self->origin_y, x, y);
      if (hit.kind != REEL_PLAN_HIT_MARK)
        {
          gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
          return;
        }
      self->drag = DRAG_LINE;
      self->drag_index = hit.index;
      return;
    }
  if (g_strcmp0 (self->tool, "mark") == 0)
    {
      g_autofree char *name = NULL;

      copy = reel_set_copy (set);
      name = new_mark_name (self, copy);
      self->picked_kind = REEL_PLAN_HIT_MARK;
      self->picked_index = reel_set_add_mark (copy, name, wx, wz, 0, 1.6);
      edit_set (self, copy, _("Add Mark"));
      return;
    }

  /* The handles of the picked prop lie over everything. */
  if (picked_is_valid (self, set) && self->picked_kind == REEL_PLAN_HIT_PROP)
    {
      const ReelSetProp *prop = &g_array_index (set->props, ReelSetProp, self->picked_index);
      double tx, tz, sx, sz;

      reel_set_plan_prop_handles (prop, self->scale, &tx, &tz, &sx, &sz);
      if (hypot (x - (self->origin_x + tx * self->scale), y - (self->origin_y + tz * self->scale))
            <= HANDLE_RADIUS
          || hypot (x - (self->origin_x + sx * self->scale),
                    y - (self->origin_y + sz * self->scale)) <= HANDLE_RADIUS)
        {
          gboolean turn = hypot (x - (self->origin_x + tx * self->scale),
                                 y - (self->origin_y + tz * self->scale)) <= HANDLE_RADIUS;

          self->drag = turn ? DRAG_PROP_TURN : DRAG_PROP_SIZE;
          self->drag_index = self->picked_index;
          begin_group (self, turn ? _("Turn Prop") : _("Resize Prop"));
          refresh (self);
          return;
        }
    }

  cameras = collect_cameras (self, shots, &selected);
  hit = reel_set_plan_hit (set, (ReelPlanCamera *) cameras->data, cameras->len, self->scale,
                           self->origin_x, self->origin_y, x, y);
  switch (hit.kind)
    {
    case REEL_PLAN_HIT_CAMERA_END:
      {
        const ReelShotCamera *camera = g_array_index (cameras, ReelPlanCamera, hit.index).camera;

        self->drag = DRAG_CAMERA_END;
        self->drag_shot = g_object_ref (shots->pdata[hit.index]);
        self->drag_start_x = camera->end.x;
        self->drag_start_z = camera->end.z;
        begin_group (self, _("Move End of Camera Move"));
        reel_set_view_set_current_shot (self, self->drag_shot);
      }
      break;

    case REEL_PLAN_HIT_WALL:
    case REEL_PLAN_HIT_OPENING:
      {
        const ReelSetWall *wall = &g_array_index (set->walls, ReelSetWall, hit.index);
        double length = hypot (wall->x2 - wall->x1, wall->z2 - wall->z1);
        double along = ((wx - wall->x1) * (wall->x2 - wall->x1)
                        + (wz - wall->z1) * (wall->z2 - wall->z1)) / MAX (length, 1e-6);

        self->drag_index = hit.index;
        self->picked_kind = hit.kind;
        self->picked_index = hit.index;
        self->picked_sub = hit.sub;
        self->picked_along = CLAMP (along, 0, length);
        if (hit.kind == REEL_PLAN_HIT_WALL)
          {
            self->drag = DRAG_WALL_MOVE;
            self->drag_wall = *wall;
            begin_group (self, _("Move Wall"));
          }
        else
          {
            const ReelSetOpening *o = &g_array_index (wall->openings, ReelSetOpening, hit.sub);

            /* Where along the opening it was grabbed, from its middle. */
            self->drag = DRAG_OPENING;
            self->drag_start_x = along - (o->offset + o->width / 2);
            begin_group (self, o->kind == REEL_SET_OPENING_DOOR ? _("Move Door")
                                                                : _("Move Window"));
          }
      }
      break;

    case REEL_PLAN_HIT_CAMERA:
    case REEL_PLAN_HIT_CAMERA_TIP:
      {
        const ReelShotCamera *camera = g_array_index (cameras, ReelPlanCamera, hit.index).camera;

        self->drag = hit.kind == REEL_PLAN_HIT_CAMERA ? DRAG_CAMERA : DRAG_CAMERA_TIP;
        self->drag_shot = g_object_ref (shots->pdata[hit.index]);
        self->drag_start_x = camera->start.x;
        self->drag_start_z = camera->start.z;
        begin_group (self, hit.kind == REEL_PLAN_HIT_CAMERA ? _("Move Camera") : _("Pan Camera"));
        /* The camera picked is the shot worked on. */
        reel_set_view_set_current_shot (self, self->drag_shot);
      }
      break;

    case REEL_PLAN_HIT_PROP:
      {
        const ReelSetProp *prop = &g_array_index (set->props, ReelSetProp, hit.index);

        self->drag = DRAG_PROP;
        self->drag_index = hit.index;
        self->drag_start_x = prop->x;
        self->drag_start_z = prop->z;
        self->picked_kind = hit.kind;
        self->picked_index = hit.index;
        begin_group (self, _("Move Prop"));
      }
      break;

    case REEL_PLAN_HIT_MARK:
      {
        const ReelSetMark *mark = &g_array_index (set->marks, ReelSetMark, hit.index);

        self->drag = DRAG_MARK;
        self->drag_index = hit.index;
        self->drag_start_x = mark->x;
        self->drag_start_z = mark->z;
        self->picked_kind = hit.kind;
        self->picked_index = hit.index;
        begin_group (self, _("Move Mark"));
      }
      break;

    case REEL_PLAN_HIT_NONE:
    default:
      /* The empty floor: the drag scrolls the plan. */
      self->picked_kind = REEL_PLAN_HIT_NONE;
      self->drag = DRAG_VIEW;
      self->drag_start_x = self->view_dx;
      self->drag_start_z = self->view_dy;
      break;
    }

  refresh (self);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                ReelSetView    *self)
{
  const ReelSet *set = current_set (self);
  double x = self->press_x + dx, y = self->press_y + dy;
  double wx, wz, move_x = dx / MAX (self->scale, 1e-9), move_z = dy / MAX (self->scale, 1e-9);

  self->pointer_x = x;
  self->pointer_y = y;
  to_world (self, x, y, &wx, &wz);
  if (set == NULL)
    return;

  switch (self->drag)
    {
    case DRAG_CAMERA:
    case DRAG_CAMERA_TIP:
      {
        const ReelShotCamera *camera = reel_shot_get_camera (self->drag_shot);
        g_autoptr(ReelShotCamera) moved = NULL;

        if (camera == NULL)
          return;
        moved = reel_shot_camera_copy (camera);
        if (self->drag == DRAG_CAMERA)
          {
            moved->start.x = CLAMP (self->drag_start_x + move_x, -REEL_SET_MAX_EXTENT,
                                    REEL_SET_MAX_EXTENT);
            moved->start.z = CLAMP (self->drag_start_z + move_z, -REEL_SET_MAX_EXTENT,
                                    REEL_SET_MAX_EXTENT);
          }
        else if (hypot (wx - camera->start.x, wz - camera->start.z) > 1e-3)
          {
            /* Clockwise from −Z, seen from above. */
            moved->start.pan = atan2 (wx - camera->start.x, -(wz - camera->start.z)) * 180 / G_PI;
          }
        self->editing_drag = TRUE;
        edit_camera (self, self->drag_shot, moved);
        self->editing_drag = FALSE;
      }
      break;

    case DRAG_PROP:
    case DRAG_MARK:
      {
        g_autoptr(ReelSet) copy = reel_set_copy (set);
        double *px, *pz;

        if (self->drag == DRAG_PROP && self->drag_index < copy->props->len)
          {
            ReelSetProp *prop = &g_array_index (copy->props, ReelSetProp, self->drag_index);

            px = &prop->x;
            pz = &prop->z;
          }
        else if (self->drag == DRAG_MARK && self->drag_index < copy->marks->len)
          {
            ReelSetMark *mark = &g_array_index (copy->marks, ReelSetMark, self->drag_index);

            px = &mark->x;
            pz = &mark->z;
          }
        else
          {
            return;
          }
        *px = CLAMP (self->drag_start_x + move_x, -REEL_SET_MAX_EXTENT, REEL_SET_MAX_EXTENT);
        *pz = CLAMP (self->drag_start_z + move_z, -REEL_SET_MAX_EXTENT, REEL_SET_MAX_EXTENT);
        edit_set (self, copy, NULL);
      }
      break;

    case DRAG_CAMERA_END:
      {
        const ReelShotCamera *camera = reel_shot_get_camera (self->drag_shot);
        g_autoptr(ReelShotCamera) moved = NULL;

        if (camera == NULL || !camera->moves)
          return;
        moved = reel_shot_camera_copy (camera);
        moved->end.x = CLAMP (self->drag_start_x + move_x, -REEL_SET_MAX_EXTENT,
                              REEL_SET_MAX_EXTENT);
        moved->end.z = CLAMP (self->drag_start_z + move_z, -REEL_SET_MAX_EXTENT,
                              REEL_SET_MAX_EXTENT);
        self->editing_drag = TRUE;
        edit_camera (self, self->drag_shot, moved);
        self->editing_drag = FALSE;
      }
      break;

    case DRAG_PROP_TURN:
    case DRAG_PROP_SIZE:
      {
        g_autoptr(ReelSet) copy = reel_set_copy (set);
        ReelSetProp *prop;
        double ddx, ddz, angle;

        if (self->drag_index >= copy->props->len)
          return;
        prop = &g_array_index (copy->props, ReelSetProp, self->drag_index);
        ddx = wx - prop->x;
        ddz = wz - prop->z;
        if (self->drag == DRAG_PROP_TURN)
          {
            if (hypot (ddx, ddz) < 1e-3)
              return;
            /* Clockwise from −Z, to the whole degree. */
            prop->rotation = round (fmod (atan2 (ddx, -ddz) * 180 / G_PI + 360, 360));
          }
        else
          {
            /* The corner follows the pointer in the prop's own frame; the prop stays
             * centred where it stands. */
            angle = prop->rotation * G_PI / 180;
            prop->width = CLAMP (2 * fabs (ddx * cos (angle) + ddz * sin (angle)), 0.05,
                                 REEL_SET_MAX_EXTENT);
            prop->depth = CLAMP (2 * fabs (-ddx * sin (angle) + ddz * cos (angle)), 0.05,
                                 REEL_SET_MAX_EXTENT);
          }
        edit_set (self, copy, NULL);
      }
      break;

    case DRAG_WALL_MOVE:
      {
        g_autoptr(ReelSet) copy = reel_set_copy (set);
        const ReelSetWall *wall;

        if (self->drag_index >= copy->walls->len)
          return;
        wall = &g_array_index (copy->walls, ReelSetWall, self->drag_index);
        reel_set_move_wall (copy, self->drag_index, self->drag_wall.x1 + move_x - wall->x1,
                            self->drag_wall.z1 + move_z - wall->z1);
        edit_set (self, copy, NULL);
      }
      break;

    case DRAG_OPENING:
      {
        g_autoptr(ReelSet) copy = reel_set_copy (set);
        const ReelSetWall *wall;
        double length, along;

        if (!picked_is_valid (self, copy) || self->picked_kind != REEL_PLAN_HIT_OPENING)
          return;
        wall = &g_array_index (copy->walls, ReelSetWall, self->picked_index);
        length = hypot (wall->x2 - wall->x1, wall->z2 - wall->z1);
        along = ((wx - wall->x1) * (wall->x2 - wall->x1) + (wz - wall->z1) * (wall->z2 - wall->z1))
                / MAX (length, 1e-6);
        reel_set_place_opening (copy, self->picked_index, self->picked_sub,
                                along - self->drag_start_x);
        edit_set (self, copy, NULL);
      }
      break;

    case DRAG_VIEW:
      self->view_dx = self->drag_start_x + dx;
      self->view_dy = self->drag_start_z + dy;
      update_transform (self);
      gtk_widget_queue_draw (GTK_WIDGET (self->plan_area));
      break;

    case DRAG_WALL:
    case DRAG_LINE:
      gtk_widget_queue_draw (GTK_WIDGET (self->plan_area));
      break;

    case DRAG_NONE:
    default:
      break;
    }
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             ReelSetView    *self)
{
  const ReelSet *set = current_set (self);

  if (self->drag == DRAG_WALL && set != NULL)
    {
      double x2, z2;

      to_world (self, self->press_x + dx, self->press_y + dy, &x2, &z2);
      /* A click is not a wall. */
      if (hypot (x2 - self->drag_start_x, z2 - self->drag_start_z) >= 0.2)
        {
          g_autoptr(ReelSet) copy = reel_set_copy (set);

          reel_set_add_wall (copy, self->drag_start_x, self->drag_start_z, x2, z2, 2.7);
          edit_set (self, copy, _("Draw Wall"));
        }
    }
  else if (self->drag == DRAG_LINE && set != NULL)
    {
      ReelPlanHit hit = reel_set_plan_hit (set, NULL, 0, self->scale, self->origin_x,
                                           self->origin_y, self->press_x + dx, self->press_y + dy);

      if (hit.kind == REEL_PLAN_HIT_MARK && hit.index != self->drag_index
          && self->drag_index < set->marks->len)
        {
          g_autoptr(ReelSet) copy = reel_set_copy (set);

          reel_set_set_line_of_action (copy,
                                       g_array_index (set->marks, ReelSetMark,
                                                      self->drag_index).name,
                                       g_array_index (set->marks, ReelSetMark, hit.index).name);
          edit_set (self, copy, _("Draw Line of Action"));
        }
    }

  end_drag (self);
}

static void
drag_cancel_cb (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                ReelSetView      *self)
{
  /* A broken grab ends the gesture where it is: what was dragged stays one step. */
  end_drag (self);
}

static void
focus_leave_cb (ReelSetView *self)
{
  if (self->drag != DRAG_NONE)
    end_drag (self);
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           ReelSetView              *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
}

static double
next_lens (double lens,
           int    direction)
{
  if (direction > 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (lens_steps); i++)
        if (lens_steps[i] > lens + 0.01)
          return lens_steps[i];
      return lens_steps[G_N_ELEMENTS (lens_steps) - 1];
    }

  for (guint i = G_N_ELEMENTS (lens_steps); i > 0; i--)
    if (lens_steps[i - 1] < lens - 0.01)
      return lens_steps[i - 1];
  return lens_steps[0];
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           ReelSetView              *self)
{
  const ReelSet *set = current_set (self);
  g_autoptr(GPtrArray) shots = g_ptr_array_new ();
  g_autoptr(GArray) cameras = NULL;
  ReelPlanHit hit;
  int selected, direction;

  if (set == NULL || self->project == NULL || dy == 0 || self->drag != DRAG_NONE)
    return FALSE;

  /* Up: a longer lens, a clockwise turn, a closer look. */
  direction = dy < 0 ? 1 : -1;
  if (gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller))
      & GDK_CONTROL_MASK)
    {
      zoom_at (self, direction > 0 ? ZOOM_STEP : 1 / ZOOM_STEP, self->pointer_x, self->pointer_y);
      return TRUE;
    }
  update_transform (self);
  cameras = collect_cameras (self, shots, &selected);
  hit = reel_set_plan_hit (set, (ReelPlanCamera *) cameras->data, cameras->len, self->scale,
                           self->origin_x, self->origin_y, self->pointer_x, self->pointer_y);
  switch (hit.kind)
    {
    case REEL_PLAN_HIT_CAMERA:
    case REEL_PLAN_HIT_CAMERA_TIP:
      {
        ReelShot *shot = shots->pdata[hit.index];
        g_autoptr(ReelShotCamera) camera = reel_shot_camera_copy (reel_shot_get_camera (shot));

        camera->start.lens_mm = next_lens (camera->start.lens_mm, direction);
        reel_set_view_set_current_shot (self, shot);
        edit_camera (self, shot, camera);
      }
      return TRUE;

    case REEL_PLAN_HIT_PROP:
      {
        g_autoptr(ReelSet) copy = reel_set_copy (set);
        ReelSetProp *prop = &g_array_index (copy->props, ReelSetProp, hit.index);

        prop->rotation = fmod (prop->rotation + direction * TURN_STEP + 360, 360);
        edit_set (self, copy, _("Turn Prop"));
      }
      return TRUE;

    case REEL_PLAN_HIT_MARK:
      {
        g_autoptr(ReelSet) copy = reel_set_copy (set);
        ReelSetMark *mark = &g_array_index (copy->marks, ReelSetMark, hit.index);

        mark->facing = fmod (mark->facing + direction * TURN_STEP + 360, 360);
        edit_set (self, copy, _("Turn Mark"));
      }
      return TRUE;

    case REEL_PLAN_HIT_NONE:
    case REEL_PLAN_HIT_WALL:
    case REEL_PLAN_HIT_OPENING:
    case REEL_PLAN_HIT_CAMERA_END:
    default:
      zoom_at (self, direction > 0 ? ZOOM_STEP : 1 / ZOOM_STEP, self->pointer_x, self->pointer_y);
      return TRUE;
    }
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               ReelSetView      *self)
{
  self->zoom_begin = self->zoom;
}

static void
zoom_scale_changed_cb (GtkGestureZoom *gesture,
                       double          scale,
                       ReelSetView    *self)
{
  GdkEventSequence *sequence = gtk_gesture_get_last_updated_sequence (GTK_GESTURE (gesture));
  double x, y;

  /* GTK 4.8 asks the last event for its type without checking there is one. */
  if (gtk_gesture_get_last_event (GTK_GESTURE (gesture), sequence) == NULL
      || !gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    {
      x = gtk_widget_get_width (GTK_WIDGET (self->plan_area)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self->plan_area)) / 2.0;
    }
  zoom_at (self, self->zoom_begin * scale / self->zoom, x, y);
}

/* +, − and 0 zoom the plan about its middle; the arrows scroll it. The keys are shortcuts
 * of the plan (listed in the Keyboard Shortcuts window); @args is the key. */
static gboolean
plan_key_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  ReelSetView *self = user_data;
  double middle_x = gtk_widget_get_width (GTK_WIDGET (self->plan_area)) / 2.0;
  double middle_y = gtk_widget_get_height (GTK_WIDGET (self->plan_area)) / 2.0;

  if (current_set (self) == NULL || self->drag != DRAG_NONE)
    return FALSE;

  switch (g_variant_get_uint32 (args))
    {
    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      zoom_at (self, ZOOM_STEP, middle_x, middle_y);
      return TRUE;
    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      zoom_at (self, 1 / ZOOM_STEP, middle_x, middle_y);
      return TRUE;
    case GDK_KEY_0:
    case GDK_KEY_KP_0:
      reset_view (self);
      return TRUE;
    case GDK_KEY_Left:
      self->view_dx += PAN_STEP;
      break;
    case GDK_KEY_Right:
      self->view_dx -= PAN_STEP;
      break;
    case GDK_KEY_Up:
      self->view_dy += PAN_STEP;
      break;
    case GDK_KEY_Down:
      self->view_dy -= PAN_STEP;
      break;
    default:
      return FALSE;
    }

  gtk_widget_queue_draw (GTK_WIDGET (self->plan_area));
  return TRUE;
}

/* The side panel's edits: each is one step. */

static void
camera_spin_cb (GtkSpinButton *spin,
                ReelSetView   *self)
{
  const ReelShotCamera *camera;
  g_autoptr(ReelShotCamera) changed = NULL;
  double value = gtk_spin_button_get_value (spin);

  if (self->syncing || self->current_shot == NULL
      || (camera = reel_shot_get_camera (self->current_shot)) == NULL)
    return;

  changed = reel_shot_camera_copy (camera);
  if (spin == self->camera_height_spin)
    changed->start.height = value;
  else if (spin == self->camera_tilt_spin)
    changed->start.tilt = value;
  else if (spin == self->camera_roll_spin)
    changed->start.roll = value;
  else if (spin == self->camera_lens_spin)
    changed->start.lens_mm = value;
  else if (spin == self->end_height_spin)
    changed->end.height = value;
  else if (spin == self->end_pan_spin)
    changed->end.pan = value;
  else if (spin == self->end_tilt_spin)
    changed->end.tilt = value;
  else if (spin == self->end_lens_spin)
    changed->end.lens_mm = value;

  begin_step (self, _("Change Camera"));
  edit_camera (self, self->current_shot, changed);
  end_step (self);
}

static void
camera_moves_cb (ReelSetView *self)
{
  const ReelShotCamera *camera;
  g_autoptr(ReelShotCamera) changed = NULL;
  gboolean moves = gtk_switch_get_active (self->camera_moves_switch);

  if (self->syncing || self->current_shot == NULL
      || (camera = reel_shot_get_camera (self->current_shot)) == NULL || camera->moves == moves)
    return;

  changed = reel_shot_camera_copy (camera);
  changed->moves = moves;
  if (moves)
    {
      /* A push-in of two metres to start from: drag its end on the plan. */
      changed->end = changed->start;
      changed->end.x += 2 * sin (changed->start.pan * G_PI / 180);
      changed->end.z -= 2 * cos (changed->start.pan * G_PI / 180);
    }
  begin_step (self, moves ? _("Move the Camera") : _("Keep the Camera Still"));
  edit_camera (self, self->current_shot, changed);
  end_step (self);
}

static void
prop_spin_cb (GtkSpinButton *spin,
              ReelSetView   *self)
{
  const ReelSet *set = current_set (self);
  g_autoptr(ReelSet) copy = NULL;
  double value = gtk_spin_button_get_value (spin);
  ReelSetProp *prop;

  if (self->syncing || !picked_is_valid (self, set) || self->picked_kind != REEL_PLAN_HIT_PROP)
    return;

  copy = reel_set_copy (set);
  prop = &g_array_index (copy->props, ReelSetProp, self->picked_index);
  if (spin == self->prop_width_spin)
    prop->width = value;
  else if (spin == self->prop_depth_spin)
    prop->depth = value;
  else if (spin == self->prop_height_spin)
    prop->height = value;
  else
    prop->rotation = value;
  edit_set (self, copy, spin == self->prop_rotation_spin ? _("Turn Prop") : _("Resize Prop"));
}

static void
mark_spin_cb (GtkSpinButton *spin,
              ReelSetView   *self)
{
  const ReelSet *set = current_set (self);
  g_autoptr(ReelSet) copy = NULL;
  ReelSetMark *mark;

  if (self->syncing || !picked_is_valid (self, set) || self->picked_kind != REEL_PLAN_HIT_MARK)
    return;

  copy = reel_set_copy (set);
  mark = &g_array_index (copy->marks, ReelSetMark, self->picked_index);
  if (spin == self->mark_facing_spin)
    mark->facing = gtk_spin_button_get_value (spin);
  else
    mark->eye_height = gtk_spin_button_get_value (spin);
  edit_set (self, copy, spin == self->mark_facing_spin ? _("Turn Mark") : _("Change Eye Height"));
}

/* Renames the picked mark, and with it the line of action and the cameras that frame it:
 * one step. */
static void
rename_mark (ReelSetView *self,
             const char  *name)
{
  const ReelSet *set = current_set (self);
  ReelScene *scene = current_scene (self);
  g_autoptr(ReelSet) copy = NULL;
  g_autofree char *old_name = NULL;

  if (!picked_is_valid (self, set) || self->picked_kind != REEL_PLAN_HIT_MARK)
    return;

  copy = reel_set_copy (set);
  old_name = g_strdup (g_array_index (set->marks, ReelSetMark, self->picked_index).name);
  if (g_strcmp0 (old_name, name) == 0 || !reel_set_rename_mark (copy, self->picked_index, name))
    {
      /* An empty name or one another mark has: the entry shows the name it keeps. */
      gtk_widget_error_bell (GTK_WIDGET (self));
      refresh (self);
      return;
    }

  begin_step (self, _("Rename Mark"));
  edit_set (self, copy, NULL);
  for (guint i = 0; i < reel_scene_get_n_shots (scene); i++)
    {
      ReelShot *shot = reel_scene_get_shot (scene, i);
      const ReelShotCamera *camera = reel_shot_get_camera (shot);
      g_autofree char *a = NULL, *b = NULL;

      if (camera == NULL || camera->subject == NULL || *camera->subject == '\0')
        continue;
      a = g_utf8_casefold (camera->subject, -1);
      b = g_utf8_casefold (old_name, -1);
      if (g_str_equal (a, b))
        {
          g_autoptr(ReelShotCamera) renamed = reel_shot_camera_copy (camera);

          reel_shot_camera_set_subject (renamed, g_array_index (copy->marks, ReelSetMark,
                                                                self->picked_index).name);
          edit_camera (self, shot, renamed);
        }
    }
  end_step (self);
}

static void
mark_name_activate_cb (ReelSetView *self)
{
  if (!self->syncing)
    rename_mark (self, gtk_editable_get_text (GTK_EDITABLE (self->mark_name_entry)));
}

static void
cast_clicked_cb (GtkButton   *button,
                 ReelSetView *self)
{
  rename_mark (self, g_object_get_data (G_OBJECT (button), "cast-name"));
}

static void
wall_spin_cb (GtkSpinButton *spin,
              ReelSetView   *self)
{
  const ReelSet *set = current_set (self);
  g_autoptr(ReelSet) copy = NULL;
  ReelSetWall *wall;

  if (self->syncing || !picked_is_valid (self, set) || self->picked_kind != REEL_PLAN_HIT_WALL)
    return;

  copy = reel_set_copy (set);
  wall = &g_array_index (copy->walls, ReelSetWall, self->picked_index);
  if (spin == self->wall_height_spin)
    {
      wall->height = gtk_spin_button_get_value (spin);
      /* Openings stay within the wall. */
      for (guint i = 0; i < wall->openings->len; i++)
        {
          ReelSetOpening *o = &g_array_index (wall->openings, ReelSetOpening, i);

          o->sill = MIN (o->sill, wall->height);
          o->height = MIN (o->height, wall->height - o->sill);
        }
    }
  else
    {
      wall->thickness = gtk_spin_button_get_value (spin);
    }
  edit_set (self, copy, _("Change Wall"));
}

static void
opening_spin_cb (GtkSpinButton *spin,
                 ReelSetView   *self)
{
  const ReelSet *set = current_set (self);
  g_autoptr(ReelSet) copy = NULL;
  ReelSetWall *wall;
  ReelSetOpening *o;
  double middle;

  if (self->syncing || !picked_is_valid (self, set) || self->picked_kind != REEL_PLAN_HIT_OPENING)
    return;

  copy = reel_set_copy (set);
  wall = &g_array_index (copy->walls, ReelSetWall, self->picked_index);
  o = &g_array_index (wall->openings, ReelSetOpening, self->picked_sub);
  middle = o->offset + o->width / 2;
  if (spin == self->opening_width_spin)
    o->width = gtk_spin_button_get_value (spin);
  else if (spin == self->opening_height_spin)
    o->height = MIN (gtk_spin_button_get_value (spin), wall->height - o->sill);
  else
    o->sill = MIN (gtk_spin_button_get_value (spin), wall->height - 0.1);
  o->height = MIN (o->height, wall->height - o->sill);
  /* Wider or narrower about its middle, and still on the wall. */
  reel_set_place_opening (copy, self->picked_index, self->picked_sub, middle);
  edit_set (self, copy, o->kind == REEL_SET_OPENING_DOOR ? _("Change Door") : _("Change Window"));
}

/* Actions */

static void
place_camera_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  ReelSetView *self = REEL_SET_VIEW (widget);
  const ReelSet *set = current_set (self);
  g_autoptr(ReelShotCamera) camera = NULL;
  ReelCameraPose pose = { 0 };
  double tx = 0, ty = 1.6, tz = 0;

  if (set == NULL || self->current_shot == NULL || reel_shot_get_camera (self->current_shot))
    return;

  /* Five metres in front of the first mark (or the middle of the floor), looking at it. */
  if (set->marks->len > 0)
    {
      const ReelSetMark *mark = &g_array_index (set->marks, ReelSetMark, 0);

      tx = mark->x;
      tz = mark->z;
      ty = mark->eye_height;
      pose.x = mark->x + sin (mark->facing * G_PI / 180) * 5;
      pose.z = mark->z - cos (mark->facing * G_PI / 180) * 5;
    }
  else
    {
      pose.z = 5;
    }
  pose.height = reel_shot_get_camera_height_m (self->current_shot);
  pose.lens_mm = reel_shot_get_lens_mm (self->current_shot) > 0
                   ? reel_shot_get_lens_mm (self->current_shot) : 35;
  reel_camera_pose_look_at (&pose, tx, ty, tz);
  camera = reel_shot_camera_new (&pose);
  edit_camera (self, self->current_shot, camera);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ReelSetView *self = REEL_SET_VIEW (widget);
  const ReelSet *set = current_set (self);
  g_autoptr(ReelSet) copy = NULL;

  if (set == NULL || self->drag != DRAG_NONE)
    return;

  if (!picked_is_valid (self, set))
    return;

  copy = reel_set_copy (set);
  switch (self->picked_kind)
    {
    case REEL_PLAN_HIT_PROP:
      reel_set_remove_prop (copy, self->picked_index);
      edit_set (self, copy, _("Remove Prop"));
      break;
    case REEL_PLAN_HIT_MARK:
      reel_set_remove_mark (copy, self->picked_index);
      edit_set (self, copy, _("Remove Mark"));
      break;
    case REEL_PLAN_HIT_WALL:
      reel_set_remove_wall (copy, self->picked_index);
      edit_set (self, copy, _("Remove Wall"));
      break;
    case REEL_PLAN_HIT_OPENING:
      {
        gboolean door = g_array_index (g_array_index (copy->walls, ReelSetWall,
                                                      self->picked_index).openings,
                                       ReelSetOpening, self->picked_sub).kind
                        == REEL_SET_OPENING_DOOR;

        reel_set_remove_opening (copy, self->picked_index, self->picked_sub);
        edit_set (self, copy, door ? _("Remove Door") : _("Remove Window"));
      }
      break;
    case REEL_PLAN_HIT_NONE:
    case REEL_PLAN_HIT_CAMERA:
    case REEL_PLAN_HIT_CAMERA_TIP:
    case REEL_PLAN_HIT_CAMERA_END:
    default:
      break;
    }
  self->picked_kind = REEL_PLAN_HIT_NONE;
  refresh (self);
}

/* A door or window in the picked wall, its middle where the wall was picked. */
static void
add_opening_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  ReelSetView *self = REEL_SET_VIEW (widget);
  const ReelSet *set = current_set (self);
  gboolean door = g_str_equal (action_name, "set.add-door");
  g_autoptr(ReelSet) copy = NULL;
  ReelSetWall *wall;

  if (!picked_is_valid (self, set) || self->picked_kind != REEL_PLAN_HIT_WALL)
    return;

  copy = reel_set_copy (set);
  wall = &g_array_index (copy->walls, ReelSetWall, self->picked_index);
  if (wall->openings->len >= REEL_SET_MAX_OPENINGS)
    {
      gtk_widget_error_bell (widget);
      return;
    }
  reel_set_wall_add_opening (copy, self->picked_index,
                             door ? REEL_SET_OPENING_DOOR : REEL_SET_OPENING_WINDOW, 0,
                             door ? 0.9 : 1.2);
  reel_set_place_opening (copy, self->picked_index, wall->openings->len - 1, self->picked_along);
  self->picked_kind = REEL_PLAN_HIT_OPENING;
  self->picked_sub = wall->openings->len - 1;
  edit_set (self, copy, door ? _("Add Door") : _("Add Window"));
  refresh (self);
}

static void
clear_line_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  ReelSetView *self = REEL_SET_VIEW (widget);
  const ReelSet *set = current_set (self);
  g_autoptr(ReelSet) copy = NULL;

  if (set == NULL)
    return;

  copy = reel_set_copy (set);
  reel_set_set_line_of_action (copy, "", "");
  edit_set (self, copy, _("Remove Line of Action"));
}

/* GObject */

static void
reel_set_view_dispose (GObject *object)
{
  ReelSetView *self = REEL_SET_VIEW (object);

  end_drag (self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_clear_object (&self->project);
  g_clear_object (&self->current_shot);

  gtk_widget_dispose_template (GTK_WIDGET (self), REEL_TYPE_SET_VIEW);

  G_OBJECT_CLASS (reel_set_view_parent_class)->dispose (object);
}

static void
reel_set_view_finalize (GObject *object)
{
  ReelSetView *self = REEL_SET_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->plan_texture);
  g_clear_pointer (&self->plan_node, gsk_render_node_unref);
  g_clear_pointer (&self->plan_cache, cairo_surface_destroy);
  g_clear_pointer (&self->greybox_node, gsk_render_node_unref);
  g_clear_pointer (&self->still_node, gsk_render_node_unref);
  g_clear_pointer (&self->plan_cache_set, reel_set_free);
  g_rc_box_release_full (self->render_cache, (GDestroyNotify) render_cache_clear);
  g_free (self->tool);
  g_free (self->prop_kind);
  g_free (self->cast_key);

  G_OBJECT_CLASS (reel_set_view_parent_class)->finalize (object);
}

static void
reel_set_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ReelSetView *self = REEL_SET_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_CURRENT_SHOT:
      g_value_set_object (value, self->current_shot);
      break;
    case PROP_TOOL:
      g_value_set_string (value, self->tool);
      break;
    case PROP_PROP_KIND:
      g_value_set_string (value, self->prop_kind);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_set_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ReelSetView *self = REEL_SET_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      reel_set_view_set_project (self, g_value_get_object (value));
      break;
    case PROP_CURRENT_SHOT:
      reel_set_view_set_current_shot (self, g_value_get_object (value));
      break;
    case PROP_TOOL:
      {
        const char *tool = g_value_get_string (value);

        if (tool == NULL || (!g_str_equal (tool, "select") && !g_str_equal (tool, "wall")
                             && !g_str_equal (tool, "prop") && !g_str_equal (tool, "mark")
                             && !g_str_equal (tool, "line")))
          tool = "select";
        if (g_strcmp0 (self->tool, tool) != 0)
          {
            g_free (self->tool);
            self->tool = g_strdup (tool);
            g_object_notify_by_pspec (object, properties[PROP_TOOL]);
          }
      }
      break;
    case PROP_PROP_KIND:
      {
        const char *kind = g_value_get_string (value);

        if (kind == NULL || reel_set_lookup_preset (kind) == NULL)
          kind = "box";
        if (g_strcmp0 (self->prop_kind, kind) != 0)
          {
            g_free (self->prop_kind);
            self->prop_kind = g_strdup (kind);
            g_object_notify_by_pspec (object, properties[PROP_PROP_KIND]);
          }
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_set_view_class_init (ReelSetViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reel_set_view_dispose;
  object_class->finalize = reel_set_view_finalize;
  object_class->get_property = reel_set_view_get_property;
  object_class->set_property = reel_set_view_set_property;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, REEL_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CURRENT_SHOT] =
    g_param_spec_object ("current-shot", NULL, NULL, REEL_TYPE_SHOT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TOOL] =
    g_param_spec_string ("tool", NULL, NULL, "select",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PROP_KIND] =
    g_param_spec_string ("prop-kind", NULL, NULL, "box",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (REEL_TYPE_SET_PLAN_AREA);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/reel-set-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, stack);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, templates_box);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, prop_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, place_camera_button);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, plan_area);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, greybox_overlay);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, greybox_area);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, greybox_picture);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, camera_label);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, camera_group);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, camera_height_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, camera_tilt_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, camera_roll_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, camera_lens_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, camera_moves_switch);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, end_height_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, end_pan_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, end_tilt_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, end_lens_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, prop_group);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, prop_width_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, prop_depth_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, prop_height_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, prop_rotation_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, mark_group);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, mark_name_entry);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, mark_facing_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, mark_eye_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, mark_cast_label);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, mark_cast_box);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, wall_group);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, wall_height_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, wall_thickness_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, opening_group);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, opening_width_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, opening_height_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, opening_sill_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, line_group);
  gtk_widget_class_bind_template_child (widget_class, ReelSetView, line_label);

  gtk_widget_class_install_property_action (widget_class, "set.tool", "tool");
  gtk_widget_class_install_action (widget_class, "set.place-camera", NULL, place_camera_action);
  gtk_widget_class_install_action (widget_class, "set.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "set.add-door", NULL, add_opening_action);
  gtk_widget_class_install_action (widget_class, "set.add-window", NULL, add_opening_action);
  gtk_widget_class_install_action (widget_class, "set.clear-line", NULL, clear_line_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "set.delete", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "setview");
}

static void
reel_set_view_init (ReelSetView *self)
{
  const ReelSetTemplate *templates;
  const ReelSetPreset *presets;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GtkGesture *drag;
  GtkEventController *controller;
  guint n;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->tool = g_strdup ("select");
  self->prop_kind = g_strdup ("box");
  self->cancellable = g_cancellable_new ();
  self->render_cache = g_rc_box_new0 (RenderCache);
  self->picked_kind = REEL_PLAN_HIT_NONE;
  self->zoom = 1;

  templates = reel_set_get_templates (&n);
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (_(templates[i].label));

      g_object_set_data (G_OBJECT (button), "template-id", (gpointer) templates[i].id);
      gtk_widget_add_css_class (button, "pill");
      g_signal_connect (button, "clicked", G_CALLBACK (template_clicked_cb), self);
      gtk_box_append (self->templates_box, button);
    }

  presets = reel_set_get_presets (&n);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (labels, _(presets[i].label));
  gtk_drop_down_set_model (self->prop_dropdown, G_LIST_MODEL (labels));
  for (guint i = 0; i < n; i++)
    if (g_str_equal (presets[i].id, self->prop_kind))
      gtk_drop_down_set_selected (self->prop_dropdown, i);
  g_signal_connect_swapped (self->prop_dropdown, "notify::selected",
                            G_CALLBACK (prop_selected_cb), self);

  reel_set_plan_area_set_snapshot_func (self->plan_area, snapshot_plan_cb, self);
  reel_set_plan_area_set_snapshot_func (self->greybox_area, snapshot_greybox_cb, self);
  g_signal_connect_swapped (self->greybox_area, "resize", G_CALLBACK (greybox_resize_cb), self);
  g_signal_connect_swapped (self->greybox_area, "map", G_CALLBACK (greybox_map_cb), self);

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  g_signal_connect (drag, "cancel", G_CALLBACK (drag_cancel_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->plan_area), GTK_EVENT_CONTROLLER (drag));

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->plan_area), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL
                                                | GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->plan_area), controller);

  drag = gtk_gesture_zoom_new ();
  g_signal_connect (drag, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (drag, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->plan_area), GTK_EVENT_CONTROLLER (drag));

  {
    static const guint plan_keys[] = {
      GDK_KEY_plus, GDK_KEY_equal, GDK_KEY_KP_Add, GDK_KEY_minus, GDK_KEY_KP_Subtract,
      GDK_KEY_0, GDK_KEY_KP_0, GDK_KEY_Left, GDK_KEY_Right, GDK_KEY_Up, GDK_KEY_Down,
    };

    controller = gtk_shortcut_controller_new ();
    for (guint i = 0; i < G_N_ELEMENTS (plan_keys); i++)
      {
        GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (plan_keys[i], 0),
                                                  gtk_callback_action_new (plan_key_cb, self,
                                                                           NULL));

        gtk_shortcut_set_arguments (shortcut, g_variant_new_uint32 (plan_keys[i]));
        gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
      }
    gtk_widget_add_controller (GTK_WIDGET (self->plan_area), controller);
  }

  {
    GtkSpinButton *camera_spins[] = { self->camera_height_spin, self->camera_tilt_spin,
                                      self->camera_roll_spin, self->camera_lens_spin,
                                      self->end_height_spin, self->end_pan_spin,
                                      self->end_tilt_spin, self->end_lens_spin };
    GtkSpinButton *prop_spins[] = { self->prop_width_spin, self->prop_depth_spin,
                                    self->prop_height_spin, self->prop_rotation_spin };

    for (guint i = 0; i < G_N_ELEMENTS (camera_spins); i++)
      g_signal_connect (camera_spins[i], "value-changed", G_CALLBACK (camera_spin_cb), self);
    for (guint i = 0; i < G_N_ELEMENTS (prop_spins); i++)
      g_signal_connect (prop_spins[i], "value-changed", G_CALLBACK (prop_spin_cb), self);
  }
  g_signal_connect (self->mark_facing_spin, "value-changed", G_CALLBACK (mark_spin_cb), self);
  g_signal_connect (self->mark_eye_spin, "value-changed", G_CALLBACK (mark_spin_cb), self);
  g_signal_connect_swapped (self->mark_name_entry, "activate",
                            G_CALLBACK (mark_name_activate_cb), self);
  g_signal_connect (self->wall_height_spin, "value-changed", G_CALLBACK (wall_spin_cb), self);
  g_signal_connect (self->wall_thickness_spin, "value-changed", G_CALLBACK (wall_spin_cb), self);
  g_signal_connect (self->opening_width_spin, "value-changed", G_CALLBACK (opening_spin_cb), self);
  g_signal_connect (self->opening_height_spin, "value-changed", G_CALLBACK (opening_spin_cb),
                    self);
  g_signal_connect (self->opening_sill_spin, "value-changed", G_CALLBACK (opening_spin_cb), self);
  g_signal_connect_swapped (self->camera_moves_switch, "notify::active",
                            G_CALLBACK (camera_moves_cb), self);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (focus_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->plan_area), controller);

  refresh (self);
}

/* Public */

GtkWidget *
reel_set_view_new (void)
{
  return g_object_new (REEL_TYPE_SET_VIEW, NULL);
}

ReelProject *
reel_set_view_get_project (ReelSetView *self)
{
  g_return_val_if_fail (REEL_IS_SET_VIEW (self), NULL);

  return self->project;
}

void
reel_set_view_set_project (ReelSetView *self,
                           ReelProject *project)
{
  g_return_if_fail (REEL_IS_SET_VIEW (self));
  g_return_if_fail (project == NULL || REEL_IS_PROJECT (project));

  if (self->project == project)
    return;

  end_drag (self);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_set_object (&self->project, project);
  self->model_serial++;
  if (project != NULL)
    g_signal_connect_swapped (project, "changed", G_CALLBACK (project_changed_cb), self);
  self->picked_kind = REEL_PLAN_HIT_NONE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
  if (self->stack != NULL)
    refresh (self);
}

ReelShot *
reel_set_view_get_current_shot (ReelSetView *self)
{
  g_return_val_if_fail (REEL_IS_SET_VIEW (self), NULL);

  return self->current_shot;
}

void
reel_set_view_set_current_shot (ReelSetView *self,
                                ReelShot    *shot)
{
  ReelScene *old_scene;

  g_return_if_fail (REEL_IS_SET_VIEW (self));
  g_return_if_fail (shot == NULL || REEL_IS_SHOT (shot));

  if (self->current_shot == shot)
    return;

  old_scene = current_scene (self);
  g_set_object (&self->current_shot, shot);
  self->model_serial++;
  if (current_scene (self) != old_scene)
    self->picked_kind = REEL_PLAN_HIT_NONE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_SHOT]);
  if (self->stack != NULL)
    refresh (self);
}

GtkWidget *
reel_set_view_get_plan (ReelSetView *self)
{
  g_return_val_if_fail (REEL_IS_SET_VIEW (self), NULL);

  return GTK_WIDGET (self->plan_area);
}

GtkWidget *
reel_set_view_get_greybox (ReelSetView *self)
{
  g_return_val_if_fail (REEL_IS_SET_VIEW (self), NULL);

  return self->greybox_overlay;
}

void
reel_set_view_plan_point (ReelSetView *self,
                          double       x,
                          double       z,
                          double      *plan_x,
                          double      *plan_y)
{
  g_return_if_fail (REEL_IS_SET_VIEW (self));

  update_transform (self);
  *plan_x = self->origin_x + x * self->scale;
  *plan_y = self->origin_y + z * self->scale;
}

gboolean
reel_set_view_is_rendering (ReelSetView *self)
{
  g_return_val_if_fail (REEL_IS_SET_VIEW (self), FALSE);

  return self->rendering || self->render_wanted;
}

guint
reel_set_view_get_n_renders (ReelSetView *self)
{
  g_return_val_if_fail (REEL_IS_SET_VIEW (self), 0);

  return self->n_renders;
}
