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
} RenderJob;

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
  GtkDrawingArea *greybox_area;
  GtkPicture *greybox_picture;
  GtkLabel *camera_label;

  /* The set's own layer of the plan (floor, props, walls), kept while only cameras and
   * marks move over it. */
  cairo_surface_t *plan_cache;
  GdkTexture *plan_texture;
  ReelSet *plan_cache_set;
  double plan_cache_scale, plan_cache_x, plan_cache_y;

  /* The plan's transform as last drawn; kept as it is while a drag runs. */
  double scale, origin_x, origin_y;
  gboolean have_transform;

  /* The gesture under way, one undo group from press to release. */
  DragKind drag;
  guint drag_index;
  ReelShot *drag_shot;
  double drag_start_x, drag_start_z;   /* the thing's place when the drag began */
  double press_x, press_y;             /* plan pixels */
  double pointer_x, pointer_y;
  gboolean grouping;
  /* The prop or mark last picked: what Delete removes. */
  ReelPlanHitKind picked_kind;
  guint picked_index;

  /* The gray-box view: one render in flight, and a flag for "render again when it is
   * done", so that a drag asks for at most one render per finished one. */
  RenderCache *render_cache;
  gboolean have_greybox;
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

static void
update_transform (ReelSetView *self)
{
  const ReelSet *set = current_set (self);
  g_autoptr(GArray) cameras = NULL;
  int selected;

  /* A drag keeps the plan still under the pointer. */
  if (set == NULL || self->drag != DRAG_NONE)
    return;

  cameras = collect_cameras (self, NULL, &selected);
  reel_set_plan_get_transform (set, (ReelPlanCamera *) cameras->data, cameras->len,
                               gtk_widget_get_width (GTK_WIDGET (self->plan_area)),
                               gtk_widget_get_height (GTK_WIDGET (self->plan_area)),
                               &self->scale, &self->origin_x, &self->origin_y);
  self->have_transform = TRUE;
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
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "set.delete",
                                 has_set && self->picked_kind != REEL_PLAN_HIT_NONE);

  update_camera_label (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->plan_area));
  request_render (self);
}

/* Undo groups: a whole drag is one step. */

static void
begin_group (ReelSetView *self,
             const char  *label)
{
  if (self->project == NULL || self->grouping)
    return;

  reel_history_begin_group (reel_project_get_history (self->project), label);
  self->grouping = TRUE;
}

static void
end_group (ReelSetView *self)
{
  if (self->project != NULL && self->grouping)
    reel_history_end_group (reel_project_get_history (self->project));
  self->grouping = FALSE;
}

static void
end_drag (ReelSetView *self)
{
  end_group (self);
  self->drag = DRAG_NONE;
  g_clear_object (&self->drag_shot);
  gtk_widget_queue_draw (GTK_WIDGET (self->plan_area));
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
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenderJob *job = task_data;
  RenderCache *cache = job->cache;
  gsize n_pixels = (gsize) job->width * job->height;
  guint32 *pixels;
  GBytes *bytes;
  GdkTexture *texture;

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

  reel_greybox_render_into (cache->image, cache->mesh, &job->pose, &job->options);

  /* The image is drawn into again by the next render: the view shows an opaque copy, as a
   * texture the renderer scales (0xAARRGGBB in native order). */
  pixels = g_new (guint32, n_pixels);
  for (gsize i = 0; i < n_pixels; i++)
    pixels[i] = cache->image->rgb[i] | 0xff000000u;
  bytes = g_bytes_new_take (pixels, n_pixels * 4);
  texture = gdk_memory_texture_new (job->width, job->height,
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
                                    GDK_MEMORY_B8G8R8A8_PREMULTIPLIED,
#else
                                    GDK_MEMORY_A8R8G8B8_PREMULTIPLIED,
#endif
                                    bytes, (gsize) job->width * 4);
  g_bytes_unref (bytes);

  g_task_return_pointer (task, texture, g_object_unref);
}

static void
render_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ReelSetView *self = REEL_SET_VIEW (source);
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), NULL);

  self->rendering = FALSE;
  if (texture == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  gtk_picture_set_paintable (self->greybox_picture, GDK_PAINTABLE (texture));
  self->n_renders++;
  /* The empty frame under the picture goes once; redrawing it for every render would cost
   * a blank surface as large as the view. */
  if (!self->have_greybox)
    {
      self->have_greybox = TRUE;
      gtk_widget_queue_draw (GTK_WIDGET (self->greybox_area));
    }

  if (self->render_wanted)
    request_render (self);
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
  int scale, width, height;
  double aspect;

  self->render_wanted = TRUE;
  if (self->rendering || g_cancellable_is_cancelled (self->cancellable)
      || !gtk_widget_get_mapped (GTK_WIDGET (self->greybox_area)))
    return;

  camera = self->current_shot != NULL ? reel_shot_get_camera (self->current_shot) : NULL;
  if (set == NULL || camera == NULL)
    {
      self->render_wanted = FALSE;
      gtk_picture_set_paintable (self->greybox_picture, NULL);
      if (self->have_greybox)
        {
          self->have_greybox = FALSE;
          gtk_widget_queue_draw (GTK_WIDGET (self->greybox_area));
        }
      return;
    }

  /* As many pixels as the view shows, in the project's frame. */
  scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  aspect = aspect_ratio (self);
  width = gtk_widget_get_width (GTK_WIDGET (self->greybox_area));
  height = gtk_widget_get_height (GTK_WIDGET (self->greybox_area));
  if (width <= 0 || height <= 0)
    return;
  if (width / aspect > height)
    width = (int) (height * aspect);
  height = (int) (width / aspect);
  width = CLAMP (width * scale, 16, 8192);
  height = CLAMP (height * scale, 16, 8192);

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
  g_clear_object (&self->plan_texture);
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
  graphene_rect_t whole = GRAPHENE_RECT_INIT (0, 0, width, height), moving;
  gboolean empty = TRUE;
  int selected;
  cairo_t *cr;

  if (set == NULL)
    {
      gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.97, 0.97, 0.96, 1 }, &whole);
      return;
    }

  update_transform (self);
  cameras = collect_cameras (self, NULL, &selected);
  gtk_snapshot_append_texture (snapshot, ensure_plan_texture (self, set, width, height), &whole);

  /* What moves is painted over it, within the box that holds it: the cameras with their
   * fields of view and numbers, the marks with their names, the wall being drawn. */
  for (guint i = 0; i < cameras->len; i++)
    {
      const ReelCameraPose *pose = &g_array_index (cameras, ReelPlanCamera, i).camera->start;

      extend_rect (&moving, &empty, self->origin_x + pose->x * self->scale,
                   self->origin_y + pose->z * self->scale, MAX (3.2 * self->scale, 52) + 16);
    }
  for (guint i = 0; i < set->marks->len; i++)
    {
      const ReelSetMark *mark = &g_array_index (set->marks, ReelSetMark, i);

      extend_rect (&moving, &empty, self->origin_x + mark->x * self->scale,
                   self->origin_y + mark->z * self->scale, 80);
    }
  if (self->drag == DRAG_WALL)
    {
      extend_rect (&moving, &empty, self->press_x, self->press_y, 0.15 * self->scale + 4);
      extend_rect (&moving, &empty, self->pointer_x, self->pointer_y, 0.15 * self->scale + 4);
    }
  if (empty || !graphene_rect_intersection (&moving, &whole, &moving))
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &moving);
  reel_set_plan_draw_layers (cr, set, (ReelPlanCamera *) cameras->data, cameras->len,
                             sensor_width (self), self->scale, self->origin_x, self->origin_y,
                             selected, REEL_PLAN_LAYER_CAMERAS | REEL_PLAN_LAYER_MARKS);

  /* The wall being drawn. */
  if (self->drag == DRAG_WALL)
    {
      cairo_set_source_rgba (cr, 0.15, 0.15, 0.17, 0.6);
      cairo_set_line_width (cr, MAX (0.15 * self->scale, 2));
      cairo_move_to (cr, self->press_x, self->press_y);
      cairo_line_to (cr, self->pointer_x, self->pointer_y);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
}

static void
draw_greybox_cb (GtkDrawingArea *area,
                 cairo_t        *cr,
                 int             width,
                 int             height,
                 gpointer        user_data)
{
  ReelSetView *self = user_data;
  double aspect = aspect_ratio (self);
  double frame_width = width, frame_height = width / aspect;

  /* The picture above shows the render; before the first one, or without a camera, an
   * empty frame holds its place. */
  if (self->have_greybox)
    return;

  if (frame_height > height)
    {
      frame_height = height;
      frame_width = height * aspect;
    }
  cairo_rectangle (cr, (width - frame_width) / 2, (height - frame_height) / 2, frame_width,
                   frame_height);
  cairo_set_source_rgb (cr, 0.5, 0.5, 0.52);
  cairo_fill (cr);
}

/* Callbacks */

static void
project_changed_cb (ReelSetView *self)
{
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

  cameras = collect_cameras (self, shots, &selected);
  hit = reel_set_plan_hit (set, (ReelPlanCamera *) cameras->data, cameras->len, self->scale,
                           self->origin_x, self->origin_y, x, y);
  switch (hit.kind)
    {
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
      self->picked_kind = REEL_PLAN_HIT_NONE;
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
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
        edit_camera (self, self->drag_shot, moved);
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

    case DRAG_WALL:
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

  /* Up: a longer lens, a clockwise turn. */
  direction = dy < 0 ? 1 : -1;
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
    default:
      return FALSE;
    }
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

  copy = reel_set_copy (set);
  if (self->picked_kind == REEL_PLAN_HIT_PROP && self->picked_index < copy->props->len)
    {
      g_free (g_array_index (copy->props, ReelSetProp, self->picked_index).name);
      g_array_remove_index (copy->props, self->picked_index);
      edit_set (self, copy, _("Remove Prop"));
    }
  else if (self->picked_kind == REEL_PLAN_HIT_MARK && self->picked_index < copy->marks->len)
    {
      g_free (g_array_index (copy->marks, ReelSetMark, self->picked_index).name);
      g_array_remove_index (copy->marks, self->picked_index);
      edit_set (self, copy, _("Remove Mark"));
    }
  self->picked_kind = REEL_PLAN_HIT_NONE;
  refresh (self);
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
  g_clear_pointer (&self->plan_cache, cairo_surface_destroy);
  g_clear_pointer (&self->plan_cache_set, reel_set_free);
  g_rc_box_release_full (self->render_cache, (GDestroyNotify) render_cache_clear);
  g_free (self->tool);
  g_free (self->prop_kind);

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
                             && !g_str_equal (tool, "prop") && !g_str_equal (tool, "mark")))
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

  gtk_widget_class_install_property_action (widget_class, "set.tool", "tool");
  gtk_widget_class_install_action (widget_class, "set.place-camera", NULL, place_camera_action);
  gtk_widget_class_install_action (widget_class, "set.delete", NULL, delete_action);
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
  gtk_drawing_area_set_draw_func (self->greybox_area, draw_greybox_cb, self, NULL);
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
