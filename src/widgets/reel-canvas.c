/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-canvas"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ai/reel-prompt.h"
#include "core/reel-edit.h"
#include "core/reel-greybox-render.h"
#include "core/reel-memory.h"
#include "core/reel-optics.h"
#include "core/reel-set-mesh.h"
#include "media/reel-clip-frames.h"

#include "reel-canvas-private.h"
#include "reel-thumbnailer.h"

/* Room around the panel when it fits the canvas. */
#define PANEL_MARGIN 24.0
/* The cached layers never get larger than this on their long side: a 4K panel
 * fits, and deeper zooms scale the cache instead of allocating gigabytes. */
#define MAX_CACHE_SIZE 4096
/* Brush sizes are relative to a panel this many pixels high. */
#define REFERENCE_HEIGHT 1080.0
/* Consecutive points closer than this (widget pixels) add nothing to a stroke. */
#define MIN_POINT_DISTANCE 1.0
/* The live stroke reaches the screen in tiles of this many pixels: a frame uploads
 * only the tiles its new segments touched. */
#define LIVE_TILE_SIZE 256
/* The canvas's first frame waits at most this long for its panel (see
 * reel_canvas_finish_first_render()); after that the thumbnail or grey stands in. */
#define FIRST_RENDER_WAIT_MS 1000

typedef struct
{
  const char *id;
  const char *stroke_tool;
  double      default_size;
  /* Draws into the live surface one segment at a time; the others are redrawn
   * whole each frame (arrows, frames: short and their shape changes as a whole). */
  gboolean    incremental;
  /* With a mouse, faster strokes draw thinner lines, as a brush pen does. */
  gboolean    speed_pressure;
  /* Fixed colour (the movement arrows), or NULL for the chosen colour. */
  const ReelColor *color;
  /* Layer the tool switches to when it is chosen. */
  const char *layer;
} ToolInfo;

/* Camera movement is red and heavier, character movement blue: the convention
 * of hand-drawn storyboards, and the colours stay apart in print. */
static const ReelColor camera_arrow_color = { 0.88, 0.11, 0.14, 1.0 };
static const ReelColor character_arrow_color = { 0.11, 0.44, 0.85, 1.0 };

static const ToolInfo tools[] = {
  { REEL_CANVAS_TOOL_PEN, REEL_TOOL_PEN, 4, TRUE, TRUE, NULL, REEL_LAYER_SKETCH },
  { REEL_CANVAS_TOOL_PENCIL, REEL_TOOL_PENCIL, 3, TRUE, TRUE, NULL, REEL_LAYER_SKETCH },
  { REEL_CANVAS_TOOL_MARKER, REEL_TOOL_MARKER, 28, TRUE, FALSE, NULL, REEL_LAYER_SKETCH },
  { REEL_CANVAS_TOOL_ERASER, REEL_TOOL_ERASER, 40, TRUE, FALSE, NULL, NULL },
  { REEL_CANVAS_TOOL_CAMERA_ARROW, REEL_TOOL_ARROW, 7, FALSE, FALSE, &camera_arrow_color,
    REEL_LAYER_NOTES },
  { REEL_CANVAS_TOOL_CHARACTER_ARROW, REEL_TOOL_ARROW, 5, FALSE, FALSE, &character_arrow_color,
    REEL_LAYER_NOTES },
  { REEL_CANVAS_TOOL_FRAME, REEL_TOOL_FRAME, 4, FALSE, FALSE, NULL, REEL_LAYER_NOTES },
  { REEL_CANVAS_TOOL_TEXT, REEL_TOOL_TEXT, 40, FALSE, FALSE, NULL, REEL_LAYER_NOTES },
};

static const ToolInfo *
tool_info_lookup (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    if (g_strcmp0 (tools[i].id, id) == 0)
      return &tools[i];

  return NULL;
}

/* A worker's job the main thread may wait for: the first frame of a canvas waits for its
 * first panel instead of painting a stand-in and the panel a frame later. */
typedef struct
{
  GMutex   lock;
  GCond    cond;
  gboolean done;
} ReelCanvasWait;

static void
reel_canvas_wait_init (ReelCanvasWait *wait)
{
  g_mutex_init (&wait->lock);
  g_cond_init (&wait->cond);
  wait->done = FALSE;
}

static void
reel_canvas_wait_clear (ReelCanvasWait *wait)
{
  g_mutex_clear (&wait->lock);
  g_cond_clear (&wait->cond);
}

/* On the worker, when its results are complete. */
static void
reel_canvas_wait_signal (ReelCanvasWait *wait)
{
  g_mutex_lock (&wait->lock);
  wait->done = TRUE;
  g_cond_signal (&wait->cond);
  g_mutex_unlock (&wait->lock);
}

/* Whether the worker was done before @deadline (monotonic time). */
static gboolean
reel_canvas_wait_until (ReelCanvasWait *wait,
                        gint64          deadline)
{
  gboolean done;

  g_mutex_lock (&wait->lock);
  while (!wait->done)
    if (!g_cond_wait_until (&wait->cond, &wait->lock, deadline))
      break;
  done = wait->done;
  g_mutex_unlock (&wait->lock);

  return done;
}

/* What a cached render was made for. */
typedef struct
{
  ReelShot *shot;
  char     *layer;
  int       width;
  int       height;
} RenderTarget;

typedef struct
{
  RenderTarget     target;
  ReelAsset       *background;
  /* The gray-box view under the sketch instead of the background, when set. */
  ReelSet         *greybox_set;
  ReelCameraPose   greybox_pose;
  ReelGreyboxOptions greybox_options;
  ReelSketch      *sketch;
  cairo_surface_t *below;
  cairo_surface_t *active;
  cairo_surface_t *above;
  /* The worker is done with it (for the wait of the first frame). */
  ReelCanvasWait   wait;
  /* The first frame took its layers: the callback has nothing more to do. */
  gboolean         installed;
} RenderJob;

/* The decode of reel_canvas_prefetch(). */
typedef struct
{
  ReelAsset      *asset;
  ReelCanvasWait  wait;
} Prefetch;

struct _ReelCanvas
{
  GtkWidget        parent_instance;

  ReelProject     *project;
  ReelShot        *shot;
  ReelThumbnailer *thumbnailer;
  ReelSketch      *sketch;
  gulong           sketch_changed_id;
  gulong           background_changed_id;
  gulong           camera_changed_id;
  gulong           number_changed_id;
  /* The shot's scene: its set and time of day make the gray-box background. */
  GSignalGroup    *scene_signals;
  gboolean         greybox_background;
  gulong           aspect_changed_id;
  /* The shot's rendered panel is not drawn yet (its thumbnail or grey stands in). */
  gboolean         busy;
  /* Before the first render: the background decoded ahead (reel_canvas_prefetch()). */
  ReelAsset       *prefetched;
  gboolean         prefetching;
  gboolean         rendered_once;
  /* The first frame with a shot is not painted yet; the decode and the render it waits
   * for, while they run (owned by their tasks). */
  gboolean         first_frame_pending;
  Prefetch        *prefetch;
  RenderJob       *job;

  const ToolInfo  *tool;
  double           sizes[G_N_ELEMENTS (tools)];
  GdkRGBA          color;
  char            *active_layer;
  ReelGuideFlags   guides;
  double           zoom;
  double           pan_x;
  double           pan_y;

  /* The installed render: what it was made for and its pixels. */
  RenderTarget     cache;
  gboolean         cache_valid;
  cairo_surface_t *below;
  cairo_surface_t *active;
  cairo_surface_t *above;
  GdkTexture      *below_texture;
  GdkTexture      *active_texture;
  GdkTexture      *above_texture;

  /* The render under way, if any. */
  gboolean         job_running;
  gboolean         job_stale;
  RenderTarget     job_target;
  GCancellable    *cancellable;

  /* The stroke being drawn. */
  gboolean         drawing;
  gboolean         straight;
  const ToolInfo  *stroke_tool;
  GArray          *points;
  cairo_surface_t *live;
  guint            live_drawn;
  gboolean         live_empty;
  GdkTexture     **live_tiles;
  guint8          *live_tile_dirty;
  int              n_tile_columns;
  int              n_tile_rows;
  double           dirty_x1, dirty_y1, dirty_x2, dirty_y2;
  ReelStroke      *committing;
  gint64           last_time;
  double           last_x;
  double           last_y;
  float            last_pressure;

  /* Panning with the middle button or space + drag. */
  GtkGesture      *draw_gesture;
  GtkGesture      *stylus_gesture;
  gboolean         space_held;
  gboolean         panning;
  double           pan_origin_x;
  double           pan_origin_y;
  double           pointer_x;
  double           pointer_y;

  GdkTexture      *guides_texture;
  int              guides_width;
  int              guides_height;
  ReelGuideFlags   guides_flags;
  double           guides_aspect;

  GtkWidget       *text_popover;
  GtkWidget       *text_entry;
  double           text_x;
  double           text_y;
};

G_DEFINE_FINAL_TYPE (ReelCanvas, reel_canvas, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_SHOT,
  PROP_TOOL,
  PROP_COLOR,
  PROP_BRUSH_SIZE,
  PROP_ACTIVE_LAYER,
  PROP_GUIDES,
  PROP_ZOOM,
  PROP_GREYBOX_BACKGROUND,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reel_canvas_update_render (ReelCanvas *self);

/* "busy" while the snapshot cannot draw the current shot's rendered panel: the window's
 * first frame and the thumbnails wait for it (reel_thumbnailer_hold_until_painted()). */
static void
reel_canvas_update_busy (ReelCanvas *self)
{
  gboolean busy = self->shot != NULL
                  && !(self->cache.shot == self->shot && self->below_texture != NULL);

  if (self->busy == busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
render_target_clear (RenderTarget *target)
{
  g_clear_object (&target->shot);
  g_clear_pointer (&target->layer, g_free);
  target->width = 0;
  target->height = 0;
}

static void
render_target_set (RenderTarget       *target,
                   const RenderTarget *other)
{
  g_set_object (&target->shot, other->shot);
  if (target->layer != other->layer)
    {
      g_free (target->layer);
      target->layer = g_strdup (other->layer);
    }
  target->width = other->width;
  target->height = other->height;
}

static gboolean
render_target_equal (const RenderTarget *a,
                     const RenderTarget *b)
{
  return a->shot == b->shot && g_strcmp0 (a->layer, b->layer) == 0 &&
         a->width == b->width && a->height == b->height;
}

static void
render_job_free (RenderJob *job)
{
  render_target_clear (&job->target);
  g_clear_object (&job->background);
  g_clear_pointer (&job->greybox_set, reel_set_free);
  g_clear_object (&job->sketch);
  g_clear_pointer (&job->below, cairo_surface_destroy);
  g_clear_pointer (&job->active, cairo_surface_destroy);
  g_clear_pointer (&job->above, cairo_surface_destroy);
  reel_canvas_wait_clear (&job->wait);
  g_free (job);
}

static void
prefetch_free (Prefetch *prefetch)
{
  g_clear_object (&prefetch->asset);
  reel_canvas_wait_clear (&prefetch->wait);
  g_free (prefetch);
}

/* Geometry */

static double
reel_canvas_get_aspect (ReelCanvas *self)
{
  double aspect = self->project ? reel_project_get_aspect_ratio (self->project) : 0;

  return aspect > 0 ? aspect : REEL_ASPECT_RATIO_DEFAULT;
}

void
reel_canvas_get_panel_bounds (ReelCanvas      *self,
                              graphene_rect_t *bounds)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double aspect = reel_canvas_get_aspect (self);
  double fit_width = MAX (width - 2 * PANEL_MARGIN, 1);
  double fit_height = fit_width / aspect;
  double panel_width, panel_height;

  g_return_if_fail (REEL_IS_CANVAS (self));

  if (fit_height > MAX (height - 2 * PANEL_MARGIN, 1))
    {
      fit_height = MAX (height - 2 * PANEL_MARGIN, 1);
      fit_width = fit_height * aspect;
    }

  panel_width = fit_width * self->zoom;
  panel_height = fit_height * self->zoom;

  graphene_rect_init (bounds,
                      floor ((width - panel_width) / 2 + self->pan_x),
                      floor ((height - panel_height) / 2 + self->pan_y),
                      panel_width, panel_height);
}

static void
reel_canvas_get_render_size (ReelCanvas *self,
                             int        *out_width,
                             int        *out_height)
{
  graphene_rect_t bounds;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double width, height, shrink;

  reel_canvas_get_panel_bounds (self, &bounds);
  width = bounds.size.width * scale;
  height = bounds.size.height * scale;
  shrink = MIN (1.0, MAX_CACHE_SIZE / MAX (width, height));

  *out_width = MAX (1, (int) ceil (width * shrink));
  *out_height = MAX (1, (int) ceil (height * shrink));
}

/* Widget coordinates to 0..1 panel coordinates. */
static void
reel_canvas_to_panel (ReelCanvas *self,
                      double      x,
                      double      y,
                      double     *panel_x,
                      double     *panel_y)
{
  graphene_rect_t bounds;

  reel_canvas_get_panel_bounds (self, &bounds);
  *panel_x = (x - bounds.origin.x) / MAX (bounds.size.width, 1);
  *panel_y = (y - bounds.origin.y) / MAX (bounds.size.height, 1);
}

static void
reel_canvas_clamp_pan (ReelCanvas *self)
{
  graphene_rect_t bounds;
  double limit_x, limit_y;

  reel_canvas_get_panel_bounds (self, &bounds);
  /* Keep at least a quarter of the panel on screen. */
  limit_x = (gtk_widget_get_width (GTK_WIDGET (self)) + bounds.size.width / 2) / 2;
  limit_y = (gtk_widget_get_height (GTK_WIDGET (self)) + bounds.size.height / 2) / 2;
  self->pan_x = CLAMP (self->pan_x, -limit_x, limit_x);
  self->pan_y = CLAMP (self->pan_y, -limit_y, limit_y);
}

/* Rendering the cached layers */

static void
draw_layer_group (ReelSketch *sketch,
                  const char *layer,
                  cairo_t    *cr,
                  double      width,
                  double      height,
                  gboolean    with_opacity)
{
  g_autoptr(GPtrArray) strokes = reel_sketch_list_strokes (sketch, layer);

  if (strokes->len == 0)
    return;

  /* Each layer in its own group, so that erasers only erase their own layer. */
  if (with_opacity)
    cairo_push_group (cr);

  for (guint i = 0; i < strokes->len; i++)
    reel_stroke_draw (g_ptr_array_index (strokes, i), cr, width, height);

  if (with_opacity)
    {
      cairo_pop_group_to_source (cr);
      cairo_paint_with_alpha (cr, reel_sketch_get_layer_opacity (sketch, layer));
    }
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenderJob *job = task_data;
  int width = job->target.width;
  int height = job->target.height;
  int active_index = reel_sketch_find_layer (job->sketch, job->target.layer);
  guint n_layers = reel_sketch_get_n_layers (job->sketch);
  cairo_t *cr;

  job->below = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (job->below);
  if (job->greybox_set != NULL)
    {
      /* A background plate has nobody in it, as the gray-box provider draws it. */
      g_autoptr(ReelSetMesh) mesh = reel_set_mesh_new (job->greybox_set, FALSE);
      g_autoptr(ReelGreyboxImage) image = reel_greybox_render (mesh, &job->greybox_pose, width,
                                                               height, &job->greybox_options);
      cairo_surface_t *greybox =
        cairo_image_surface_create_for_data ((unsigned char *) image->rgb, CAIRO_FORMAT_RGB24,
                                             width, height, width * 4);

      cairo_set_source_surface (cr, greybox, 0, 0);
      cairo_paint (cr);
      cairo_surface_destroy (greybox);
    }
  else
    {
      reel_panel_render_parts (job->background, NULL, cr, width, height);
    }
  for (int i = 0; i < (active_index >= 0 ? active_index : (int) n_layers); i++)
    {
      const char *name = reel_sketch_get_layer_name (job->sketch, i);

      if (reel_sketch_get_layer_visible (job->sketch, name))
        draw_layer_group (job->sketch, name, cr, width, height, TRUE);
    }
  cairo_destroy (cr);

  job->active = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  if (active_index >= 0)
    {
      cr = cairo_create (job->active);
      draw_layer_group (job->sketch, job->target.layer, cr, width, height, FALSE);
      cairo_destroy (cr);
    }

  /* Most of the time the notes are the top layer and nothing lies above. */
  if (active_index >= 0 && (guint) active_index + 1 < n_layers)
    {
      job->above = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      cr = cairo_create (job->above);
      for (guint i = active_index + 1; i < n_layers; i++)
        {
          const char *name = reel_sketch_get_layer_name (job->sketch, i);

          if (reel_sketch_get_layer_visible (job->sketch, name))
            draw_layer_group (job->sketch, name, cr, width, height, TRUE);
        }
      cairo_destroy (cr);
    }

  reel_canvas_wait_signal (&job->wait);
  g_task_return_boolean (task, TRUE);
}

static void
reel_canvas_clear_cache (ReelCanvas *self)
{
  render_target_clear (&self->cache);
  self->cache_valid = FALSE;
  g_clear_pointer (&self->below, cairo_surface_destroy);
  g_clear_pointer (&self->active, cairo_surface_destroy);
  g_clear_pointer (&self->above, cairo_surface_destroy);
  g_clear_object (&self->below_texture);
  g_clear_object (&self->active_texture);
  g_clear_object (&self->above_texture);
}

/* Takes the layers @job rendered as the canvas's own. */
static void
reel_canvas_install_render (ReelCanvas *self,
                            RenderJob  *job)
{
  reel_canvas_clear_cache (self);
  render_target_set (&self->cache, &job->target);
  self->cache_valid = TRUE;
  self->below = g_steal_pointer (&job->below);
  self->active = g_steal_pointer (&job->active);
  self->above = g_steal_pointer (&job->above);
  self->below_texture = reel_texture_new_for_surface (self->below);
  self->active_texture = reel_texture_new_for_surface (self->active);
  if (self->above != NULL)
    self->above_texture = reel_texture_new_for_surface (self->above);
}

static void
render_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RenderJob *job = g_task_get_task_data (G_TASK (result));
  ReelCanvas *self;

  /* The canvas may be gone (the task holds no reference to it); the first frame may have
   * installed the layers already (reel_canvas_finish_first_render()). */
  if (!g_task_propagate_boolean (G_TASK (result), NULL) || job->installed)
    return;

  self = REEL_CANVAS (user_data);
  self->job = NULL;
  self->job_running = FALSE;

  if (!self->job_stale)
    {
      reel_canvas_install_render (self, job);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      reel_canvas_update_busy (self);
    }

  render_target_clear (&self->job_target);
  self->job_stale = FALSE;
  reel_canvas_update_render (self);
}

/* Whether the panel of @shot shows the gray-box view of its camera, and from where. */
static gboolean
reel_canvas_get_greybox_view (ReelCanvas         *self,
                              ReelShot           *shot,
                              ReelCameraPose     *pose,
                              ReelGreyboxOptions *options)
{
  ReelScene *scene = reel_shot_get_scene (shot);
  const ReelShotCamera *camera = reel_shot_get_camera (shot);

  if (!self->greybox_background || camera == NULL || scene == NULL
      || reel_scene_get_set (scene) == NULL)
    return FALSE;

  *pose = camera->start;
  pose->tilt = CLAMP (pose->tilt, -89, 89);
  pose->height = MAX (pose->height, 0.05);
  options->time_of_day = reel_prompt_normalize_time_of_day (reel_scene_get_time_of_day (scene));
  options->sensor_width_mm =
    reel_optics_sensor_lookup_or_default (self->project != NULL
                                            ? reel_project_get_sensor (self->project)
                                            : NULL)->width_mm;
  options->sun_turn_deg = 0;
  return TRUE;
}

static void
prefetch_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Prefetch *prefetch = task_data;
  cairo_surface_t *surface = reel_panel_lookup_surface (prefetch->asset, NULL);

  /* Kept by the panels' image cache; a failure shows when the render meets it. */
  g_clear_pointer (&surface, cairo_surface_destroy);
  reel_canvas_wait_signal (&prefetch->wait);
  g_task_return_boolean (task, TRUE);
}

static void
prefetch_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ReelCanvas *self;

  /* The canvas may be gone (the task holds no reference to it). */
  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return;

  self = REEL_CANVAS (user_data);
  self->prefetch = NULL;
  self->prefetching = FALSE;
  reel_canvas_update_render (self);
}

/* Before its first render, while the window is still being laid out (the canvas has no
 * size yet, the project was just read), the canvas decodes the shot's background on a
 * worker into the panels' image cache: the first render then only scales it and draws the
 * sketch, and at start the decode (about 20 ms for a 1344 × 560 PNG here) overlaps GTK's
 * layout of the window instead of following it. The render waits for the decode rather
 * than decoding the same image a second time. Later shots are not decoded ahead: they are
 * rendered when shown. */
static void
reel_canvas_prefetch (ReelCanvas *self)
{
  g_autoptr(GTask) task = NULL;
  ReelCameraPose pose;
  ReelGreyboxOptions options;
  const char *background;
  ReelAsset *asset;
  Prefetch *prefetch;

  if (self->rendered_once || self->prefetching || self->project == NULL || self->shot == NULL)
    return;

  background = reel_shot_get_background (self->shot);
  asset = background != NULL ? reel_project_lookup_asset (self->project, background) : NULL;
  if (asset == NULL || asset == self->prefetched || reel_asset_is_video (asset)
      || reel_canvas_get_greybox_view (self, self->shot, &pose, &options))
    return;

  g_debug ("Decoding the background of shot %s ahead of the first render",
           reel_shot_get_number (self->shot));
  g_set_object (&self->prefetched, asset);
  self->prefetching = TRUE;
  prefetch = g_new0 (Prefetch, 1);
  prefetch->asset = g_object_ref (asset);
  reel_canvas_wait_init (&prefetch->wait);
  self->prefetch = prefetch;
  task = g_task_new (NULL, self->cancellable, prefetch_done_cb, self);
  g_task_set_source_tag (task, reel_canvas_prefetch);
  g_task_set_name (task, "[storyreel] decode canvas background");
  g_task_set_task_data (task, prefetch, (GDestroyNotify) prefetch_free);
  g_task_set_check_cancellable (task, TRUE);
  g_task_run_in_thread (task, prefetch_thread);
}

static void
reel_canvas_start_render (ReelCanvas         *self,
                          const RenderTarget *target)
{
  g_autoptr(GTask) task = NULL;
  RenderJob *job = g_new0 (RenderJob, 1);
  const char *background = reel_shot_get_background (target->shot);

  reel_canvas_wait_init (&job->wait);
  render_target_set (&job->target, target);
  job->sketch = reel_sketch_copy (reel_shot_get_sketch (target->shot));
  if (reel_canvas_get_greybox_view (self, target->shot, &job->greybox_pose,
                                    &job->greybox_options))
    job->greybox_set = reel_set_copy (reel_scene_get_set (reel_shot_get_scene (target->shot)));
  else if (background != NULL && self->project != NULL)
    {
      ReelAsset *asset = reel_project_lookup_asset (self->project, background);

      if (asset != NULL)
        job->background = g_object_ref (asset);
    }

  render_target_set (&self->job_target, target);
  self->job = job;
  self->job_running = TRUE;
  self->job_stale = FALSE;
  self->rendered_once = TRUE;

  /* The cancellable stops a finished render from touching a disposed canvas. */
  task = g_task_new (NULL, self->cancellable, render_done_cb, self);
  g_task_set_source_tag (task, reel_canvas_start_render);
  g_task_set_name (task, "[storyreel] render canvas");
  g_task_set_task_data (task, job, (GDestroyNotify) render_job_free);
  g_task_set_check_cancellable (task, TRUE);
  g_task_run_in_thread (task, render_thread);
}

/* Brings the cached layers up to date with the model and the panel size, starting
 * a render off the main thread when they are not. Cheap when nothing changed. */
static void
reel_canvas_update_render (ReelCanvas *self)
{
  RenderTarget wanted = { 0 };

  if (self->shot == NULL)
    {
      if (self->job_running)
        self->job_stale = TRUE;
      if (self->cache.shot != NULL)
        {
          reel_canvas_clear_cache (self);
          gtk_widget_queue_draw (GTK_WIDGET (self));
        }
      return;
    }

  if (!gtk_widget_get_realized (GTK_WIDGET (self)) ||
      gtk_widget_get_width (GTK_WIDGET (self)) <= 0)
    {
      reel_canvas_prefetch (self);
      return;
    }

  /* The background is being decoded ahead: the render follows it. */
  if (self->prefetching)
    return;

  wanted.shot = self->shot;
  wanted.layer = self->active_layer;
  reel_canvas_get_render_size (self, &wanted.width, &wanted.height);

  if (self->cache_valid && render_target_equal (&self->cache, &wanted))
    {
      if (self->job_running)
        self->job_stale = TRUE;
      return;
    }

  if (self->job_running)
    {
      if (!render_target_equal (&self->job_target, &wanted))
        self->job_stale = TRUE;
      return;
    }

  reel_canvas_start_render (self, &wanted);
}

/* The canvas's first frame with a shot: instead of painting the thumbnail or grey and the
 * panel a frame later (a second layout and paint of the whole window, at start the
 * slowest part of the first screen), it waits for the panel's render, which its first
 * size allocation started on a worker while GTK lays out and draws the rest of the window,
 * and installs it now. It waits for the background's decode ahead first if that is still
 * under way, and at most FIRST_RENDER_WAIT_MS: a slower panel shows a frame later, as any
 * later panel does. The panel is the same, rendered at the same size. */
static void
reel_canvas_finish_first_render (ReelCanvas *self)
{
  gint64 deadline = g_get_monotonic_time () + FIRST_RENDER_WAIT_MS * G_TIME_SPAN_MILLISECOND;
  RenderTarget wanted = { 0 };
  RenderJob *job;

  if (self->prefetching)
    {
      if (self->prefetch == NULL || !reel_canvas_wait_until (&self->prefetch->wait, deadline))
        return;
      /* Its callback finds the render under way, or done. */
      self->prefetching = FALSE;
    }

  wanted.shot = self->shot;
  wanted.layer = self->active_layer;
  reel_canvas_get_render_size (self, &wanted.width, &wanted.height);
  if (!self->job_running)
    reel_canvas_start_render (self, &wanted);

  job = self->job;
  if (job == NULL || self->job_stale || !render_target_equal (&job->target, &wanted) ||
      !reel_canvas_wait_until (&job->wait, deadline))
    return;

  job->installed = TRUE;
  self->job = NULL;
  self->job_running = FALSE;
  render_target_clear (&self->job_target);
  reel_canvas_install_render (self, job);
  reel_canvas_update_busy (self);
}

static void
reel_canvas_invalidate (ReelCanvas *self)
{
  self->cache_valid = FALSE;
  if (self->job_running)
    self->job_stale = TRUE;
  reel_canvas_update_render (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The stroke just added to the active layer is drawn onto the cached layer
 * instead of rendering everything again: strokes of a layer are painted one
 * after the other, so this gives the same pixels. */
static gboolean
reel_canvas_add_to_cache (ReelCanvas *self,
                          ReelStroke *stroke)
{
  cairo_t *cr;

  if (!self->cache_valid || self->job_running || self->active == NULL ||
      self->cache.shot != self->shot ||
      g_strcmp0 (self->cache.layer, self->active_layer) != 0)
    return FALSE;

  /* The texture shares these pixels; it is replaced right away, before the
   * next frame is drawn. */
  cr = cairo_create (self->active);
  reel_stroke_draw (stroke, cr, self->cache.width, self->cache.height);
  cairo_destroy (cr);

  g_clear_object (&self->active_texture);
  self->active_texture = reel_texture_new_for_surface (self->active);

  return TRUE;
}

static void
sketch_changed_cb (ReelCanvas *self,
                   ReelSketch *sketch)
{
  if (self->committing != NULL && reel_canvas_add_to_cache (self, self->committing))
    {
      self->committing = NULL;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }

  reel_canvas_invalidate (self);
}

static void
background_changed_cb (ReelCanvas *self)
{
  reel_canvas_invalidate (self);
}

/* The camera, the set or the time of day changed: the gray-box background is made again. */
static void
greybox_changed_cb (ReelCanvas *self)
{
  if (self->greybox_background)
    reel_canvas_invalidate (self);
}

static void
aspect_changed_cb (ReelCanvas *self)
{
  self->pan_x = self->pan_y = 0;
  reel_canvas_invalidate (self);
}

static void
reel_canvas_update_accessible (ReelCanvas *self)
{
  g_autofree char *label = NULL;

  if (self->shot != NULL)
    label = g_strdup_printf (_("Sketch of shot %s"), reel_shot_get_number (self->shot));
  else
    label = g_strdup (_("Sketch canvas"));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Draw with the mouse or a tablet pen. "
                                    "Hold Shift for a straight line."),
                                  -1);
}

/* The live stroke */

static ReelColor
reel_canvas_get_stroke_color (ReelCanvas     *self,
                              const ToolInfo *info)
{
  ReelColor color;

  if (info->color != NULL)
    return *info->color;

  color.red = self->color.red;
  color.green = self->color.green;
  color.blue = self->color.blue;
  color.alpha = self->color.alpha;

  return color;
}

static double
reel_canvas_get_tool_size (ReelCanvas     *self,
                           const ToolInfo *info)
{
  return self->sizes[info - tools];
}

static gboolean
reel_canvas_live_is_incremental (ReelCanvas *self)
{
  return self->stroke_tool->incremental && !self->straight && self->live != NULL;
}

static ReelStroke *
reel_canvas_build_stroke (ReelCanvas            *self,
                          const ReelStrokePoint *points,
                          guint                  n_points,
                          gboolean               opaque)
{
  ReelColor color = reel_canvas_get_stroke_color (self, self->stroke_tool);
  const char *tool = self->stroke_tool->stroke_tool;

  if (opaque)
    {
      color.alpha = 1.0;
      /* The live eraser is a mask of what it takes away. */
      if (g_str_equal (tool, REEL_TOOL_ERASER))
        tool = REEL_TOOL_PEN;
    }

  return reel_stroke_new (tool, &color,
                          reel_canvas_get_tool_size (self, self->stroke_tool) / REFERENCE_HEIGHT,
                          points, n_points, NULL);
}

/* The points that make the stroke: all of them, or the two ends of a straight
 * line and of a frame. */
static ReelStroke *
reel_canvas_build_final_stroke (ReelCanvas *self,
                                gboolean    opaque)
{
  ReelStrokePoint *points = (ReelStrokePoint *) (gpointer) self->points->data;
  guint n_points = self->points->len;

  if ((self->straight || g_str_equal (self->stroke_tool->stroke_tool, REEL_TOOL_FRAME)) &&
      n_points > 2)
    {
      ReelStrokePoint ends[2] = { points[0], points[n_points - 1] };

      return reel_canvas_build_stroke (self, ends, 2, opaque);
    }

  return reel_canvas_build_stroke (self, points, n_points, opaque);
}

static void
reel_canvas_free_live (ReelCanvas *self)
{
  for (int i = 0; i < self->n_tile_columns * self->n_tile_rows; i++)
    g_clear_object (&self->live_tiles[i]);
  g_clear_pointer (&self->live_tiles, g_free);
  g_clear_pointer (&self->live_tile_dirty, g_free);
  self->n_tile_columns = self->n_tile_rows = 0;
  g_clear_pointer (&self->live, cairo_surface_destroy);
}

static void
reel_canvas_ensure_live_surface (ReelCanvas *self)
{
  if (self->active == NULL || self->cache.shot != self->shot)
    {
      reel_canvas_free_live (self);
      return;
    }

  if (self->live != NULL &&
      cairo_image_surface_get_width (self->live) == self->cache.width &&
      cairo_image_surface_get_height (self->live) == self->cache.height)
    return;

  reel_canvas_free_live (self);
  self->live = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                           self->cache.width, self->cache.height);
  self->live_empty = TRUE;
  self->n_tile_columns = (self->cache.width + LIVE_TILE_SIZE - 1) / LIVE_TILE_SIZE;
  self->n_tile_rows = (self->cache.height + LIVE_TILE_SIZE - 1) / LIVE_TILE_SIZE;
  self->live_tiles = g_new0 (GdkTexture *, self->n_tile_columns * self->n_tile_rows);
  self->live_tile_dirty = g_new0 (guint8, self->n_tile_columns * self->n_tile_rows);
}

static void
reel_canvas_clear_live (ReelCanvas *self)
{
  cairo_t *cr;

  if (self->live == NULL || self->live_empty)
    return;

  cr = cairo_create (self->live);
  cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
  cairo_rectangle (cr, floor (self->dirty_x1) - 1, floor (self->dirty_y1) - 1,
                   ceil (self->dirty_x2 - self->dirty_x1) + 3,
                   ceil (self->dirty_y2 - self->dirty_y1) + 3);
  cairo_fill (cr);
  cairo_destroy (cr);
  self->live_empty = TRUE;

  for (int i = 0; i < self->n_tile_columns * self->n_tile_rows; i++)
    {
      g_clear_object (&self->live_tiles[i]);
      self->live_tile_dirty[i] = FALSE;
    }
}

/* Paints the points not drawn yet (with the one before, to join them) onto the
 * live surface: the cost of a frame is the cost of its new segments. */
static void
reel_canvas_draw_live_segments (ReelCanvas *self)
{
  const ReelStrokePoint *points = (const ReelStrokePoint *) (gpointer) self->points->data;
  guint first = self->live_drawn > 0 ? self->live_drawn - 1 : 0;
  guint n_points = self->points->len - first;
  g_autoptr(ReelStroke) segment = NULL;
  double width = self->cache.width, height = self->cache.height;
  double x1, y1, x2, y2, pad;
  cairo_t *cr;

  if (n_points == 0 || self->live_drawn == self->points->len)
    return;

  segment = reel_canvas_build_stroke (self, points + first, n_points, TRUE);
  cr = cairo_create (self->live);
  reel_stroke_draw (segment, cr, width, height);
  cairo_destroy (cr);

  reel_stroke_get_bounds (segment, &x1, &y1, &x2, &y2);
  /* Pencil lines widen with tilt, up to two and a half times. */
  pad = reel_stroke_get_width (segment) * height * 1.5 + 2;
  x1 = x1 * width - pad;
  y1 = y1 * height - pad;
  x2 = x2 * width + pad;
  y2 = y2 * height + pad;

  for (int row = MAX (0, (int) y1 / LIVE_TILE_SIZE);
       row <= MIN (self->n_tile_rows - 1, (int) y2 / LIVE_TILE_SIZE); row++)
    for (int column = MAX (0, (int) x1 / LIVE_TILE_SIZE);
         column <= MIN (self->n_tile_columns - 1, (int) x2 / LIVE_TILE_SIZE); column++)
      self->live_tile_dirty[row * self->n_tile_columns + column] = TRUE;

  if (self->live_empty)
    {
      self->dirty_x1 = x1;
      self->dirty_y1 = y1;
      self->dirty_x2 = x2;
      self->dirty_y2 = y2;
      self->live_empty = FALSE;
    }
  else
    {
      self->dirty_x1 = MIN (self->dirty_x1, x1);
      self->dirty_y1 = MIN (self->dirty_y1, y1);
      self->dirty_x2 = MAX (self->dirty_x2, x2);
      self->dirty_y2 = MAX (self->dirty_y2, y2);
    }

  self->live_drawn = self->points->len;
}

static void
reel_canvas_add_point (ReelCanvas *self,
                       double      x,
                       double      y,
                       double      pressure,
                       double      tilt_x,
                       double      tilt_y)
{
  ReelStrokePoint point;
  double panel_x, panel_y;

  reel_canvas_to_panel (self, x, y, &panel_x, &panel_y);
  point.x = panel_x;
  point.y = panel_y;
  point.pressure = CLAMP (pressure, 0.0, 1.0);
  point.tilt_x = CLAMP (tilt_x, -1.0, 1.0);
  point.tilt_y = CLAMP (tilt_y, -1.0, 1.0);

  if (self->points->len > 0)
    {
      ReelStrokePoint *last = &g_array_index (self->points, ReelStrokePoint,
                                              self->points->len - 1);
      graphene_rect_t bounds;

      reel_canvas_get_panel_bounds (self, &bounds);
      if (hypot ((point.x - last->x) * bounds.size.width,
                 (point.y - last->y) * bounds.size.height) < MIN_POINT_DISTANCE)
        return;
    }

  g_array_append_val (self->points, point);
}

/* A mouse has no pressure: derive one from the speed, so quick flicks taper
 * like a brush pen's. Smoothed, so the width does not jitter. */
static double
reel_canvas_mouse_pressure (ReelCanvas *self,
                            double      x,
                            double      y)
{
  gint64 now = g_get_monotonic_time ();
  double elapsed_ms, speed, target;

  if (!self->stroke_tool->speed_pressure)
    return 1.0;

  if (self->last_time == 0)
    {
      self->last_time = now;
      self->last_x = x;
      self->last_y = y;
      self->last_pressure = 0.8f;
      return self->last_pressure;
    }

  elapsed_ms = MAX ((now - self->last_time) / 1000.0, 1.0);
  speed = hypot (x - self->last_x, y - self->last_y) / elapsed_ms;
  target = CLAMP (1.0 - speed * 0.12, 0.45, 1.0);
  self->last_pressure = 0.75f * self->last_pressure + 0.25f * (float) target;
  self->last_time = now;
  self->last_x = x;
  self->last_y = y;

  return self->last_pressure;
}

gboolean
reel_canvas_begin_stroke (ReelCanvas *self,
                          double      x,
                          double      y,
                          double      pressure,
                          double      tilt_x,
                          double      tilt_y,
                          gboolean    erase)
{
  if (self->shot == NULL || self->project == NULL || self->drawing)
    return FALSE;

  self->stroke_tool = erase ? tool_info_lookup (REEL_CANVAS_TOOL_ERASER) : self->tool;
  self->drawing = TRUE;
  self->straight = FALSE;
  self->live_drawn = 0;
  self->last_time = 0;
  g_array_set_size (self->points, 0);

  reel_canvas_ensure_live_surface (self);
  reel_canvas_clear_live (self);

  /* A negative pressure means a mouse: make one up from the speed. */
  if (pressure < 0)
    pressure = reel_canvas_mouse_pressure (self, x, y);
  reel_canvas_add_point (self, x, y, pressure, tilt_x, tilt_y);
  if (reel_canvas_live_is_incremental (self))
    reel_canvas_draw_live_segments (self);

  gtk_widget_queue_draw (GTK_WIDGET (self));

  return TRUE;
}

void
reel_canvas_extend_stroke (ReelCanvas *self,
                           double      x,
                           double      y,
                           double      pressure,
                           double      tilt_x,
                           double      tilt_y,
                           gboolean    straight)
{
  if (!self->drawing)
    return;

  /* Shift turns the stroke into a straight line from where it began. */
  if (straight && !self->straight)
    {
      self->straight = TRUE;
      reel_canvas_clear_live (self);
    }

  reel_canvas_add_point (self, x, y, pressure, tilt_x, tilt_y);

  if (reel_canvas_live_is_incremental (self))
    reel_canvas_draw_live_segments (self);

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
reel_canvas_end_stroke (ReelCanvas *self,
                        gboolean    commit)
{
  g_autoptr(ReelStroke) stroke = NULL;
  ReelSketch *sketch;
  const char *layer;
  gboolean hidden;

  if (!self->drawing)
    return;

  self->drawing = FALSE;

  if (commit && self->points->len > 0 && self->shot != NULL && self->project != NULL)
    {
      ReelHistory *history = reel_project_get_history (self->project);

      stroke = reel_canvas_build_final_stroke (self, FALSE);
      sketch = reel_shot_get_sketch (self->shot);
      layer = self->active_layer;
      hidden = reel_sketch_find_layer (sketch, layer) >= 0 &&
               !reel_sketch_get_layer_visible (sketch, layer);

      /* Drawing on a hidden layer shows it: both are one step to undo. */
      reel_history_begin_group (history, _("Draw"));
      if (hidden)
        reel_edit_set_layer_visible (self->project, self->shot, layer, TRUE);
      self->committing = stroke;
      reel_edit_add_stroke (self->project, self->shot, layer, stroke);
      self->committing = NULL;
      reel_history_end_group (history);
    }

  reel_canvas_clear_live (self);
  g_array_set_size (self->points, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Text labels */

static void
text_entry_activate_cb (ReelCanvas *self,
                        GtkEntry   *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr(ReelStroke) stroke = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  ReelStrokePoint point = { self->text_x, self->text_y, 1, 0, 0 };
  ReelColor color;

  gtk_popover_popdown (GTK_POPOVER (self->text_popover));

  if (stripped[0] == '\0' || self->shot == NULL || self->project == NULL)
    return;

  color = reel_canvas_get_stroke_color (self, tool_info_lookup (REEL_CANVAS_TOOL_TEXT));
  stroke = reel_stroke_new (REEL_TOOL_TEXT, &color,
                            self->sizes[tool_info_lookup (REEL_CANVAS_TOOL_TEXT) - tools]
                            / REFERENCE_HEIGHT,
                            &point, 1, stripped);
  reel_edit_add_stroke (self->project, self->shot, self->active_layer, stroke);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
reel_canvas_ask_for_text (ReelCanvas *self,
                          double      x,
                          double      y)
{
  GdkRectangle pointing = { (int) x, (int) y, 1, 1 };
  double panel_x, panel_y;

  if (self->shot == NULL)
    return;

  reel_canvas_to_panel (self, x, y, &panel_x, &panel_y);
  self->text_x = panel_x;
  self->text_y = panel_y;

  gtk_popover_set_pointing_to (GTK_POPOVER (self->text_popover), &pointing);
  gtk_popover_popup (GTK_POPOVER (self->text_popover));
  gtk_widget_grab_focus (self->text_entry);
}

/* Input */

static void
reel_canvas_pan_begin (ReelCanvas *self)
{
  self->panning = TRUE;
  self->pan_origin_x = self->pan_x;
  self->pan_origin_y = self->pan_y;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
}

static void
reel_canvas_pan_update (ReelCanvas *self,
                        double      offset_x,
                        double      offset_y)
{
  self->pan_x = self->pan_origin_x + offset_x;
  self->pan_y = self->pan_origin_y + offset_y;
  reel_canvas_clamp_pan (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
reel_canvas_update_cursor (ReelCanvas *self)
{
  const char *name = "crosshair";

  if (self->panning)
    name = "grabbing";
  else if (self->space_held)
    name = "grab";
  else if (self->tool == tool_info_lookup (REEL_CANVAS_TOOL_TEXT))
    name = "text";

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), name);
}

static void
reel_canvas_pan_end (ReelCanvas *self)
{
  self->panning = FALSE;
  reel_canvas_update_cursor (self);
}

/* Motion events arrive compressed, one per frame; their history has the
 * positions in between, which a fast stroke needs to stay round. */
static void
reel_canvas_add_history (ReelCanvas *self,
                         GdkEvent   *event,
                         gboolean    straight)
{
  GtkNative *native;
  GdkTimeCoord *history;
  guint n_history = 0;
  double surface_x, surface_y;

  if (event == NULL || gdk_event_get_event_type (event) != GDK_MOTION_NOTIFY)
    return;

  history = gdk_event_get_history (event, &n_history);
  if (history == NULL)
    return;

  native = gtk_widget_get_native (GTK_WIDGET (self));
  gtk_native_get_surface_transform (native, &surface_x, &surface_y);

  for (guint i = 0; i < n_history; i++)
    {
      graphene_point_t in, out;

      if (!(history[i].flags & GDK_AXIS_FLAG_X) || !(history[i].flags & GDK_AXIS_FLAG_Y))
        continue;

      graphene_point_init (&in, history[i].axes[GDK_AXIS_X] - surface_x,
                           history[i].axes[GDK_AXIS_Y] - surface_y);
      if (gtk_widget_compute_point (GTK_WIDGET (native), GTK_WIDGET (self), &in, &out))
        reel_canvas_extend_stroke (self, out.x, out.y,
                                   reel_canvas_mouse_pressure (self, out.x, out.y),
                                   0, 0, straight);
    }

  g_free (history);
}

static gboolean
event_is_from_stylus (GtkGesture *gesture)
{
  GdkEventSequence *sequence =
    gtk_gesture_single_get_current_sequence (GTK_GESTURE_SINGLE (gesture));
  GdkEvent *event = gtk_gesture_get_last_event (gesture, sequence);
  GdkDeviceTool *tool = event ? gdk_event_get_device_tool (event) : NULL;

  if (tool == NULL)
    return FALSE;

  switch (gdk_device_tool_get_tool_type (tool))
    {
    case GDK_DEVICE_TOOL_TYPE_PEN:
    case GDK_DEVICE_TOOL_TYPE_ERASER:
    case GDK_DEVICE_TOOL_TYPE_BRUSH:
    case GDK_DEVICE_TOOL_TYPE_PENCIL:
    case GDK_DEVICE_TOOL_TYPE_AIRBRUSH:
      return TRUE;
    case GDK_DEVICE_TOOL_TYPE_UNKNOWN:
    case GDK_DEVICE_TOOL_TYPE_MOUSE:
    case GDK_DEVICE_TOOL_TYPE_LENS:
    default:
      return FALSE;
    }
}

static void
draw_begin_cb (ReelCanvas     *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  /* A tablet pen is the stylus gesture's: it knows pressure and tilt. */
  if (event_is_from_stylus (GTK_GESTURE (gesture)))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  gtk_widget_grab_focus (GTK_WIDGET (self));

  if (self->space_held)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      reel_canvas_pan_begin (self);
      return;
    }

  if (self->tool == tool_info_lookup (REEL_CANVAS_TOOL_TEXT))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      reel_canvas_ask_for_text (self, x, y);
      return;
    }

  if (reel_canvas_begin_stroke (self, x, y, -1, 0, 0, FALSE))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  else
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
}

static void
draw_update_cb (ReelCanvas     *self,
                double          offset_x,
                double          offset_y,
                GtkGestureDrag *gesture)
{
  GdkEventSequence *sequence;
  GdkModifierType state;
  GdkEvent *event;
  double start_x, start_y, x, y;
  gboolean straight;

  gtk_gesture_drag_get_start_point (gesture, &start_x, &start_y);

  if (self->panning)
    {
      reel_canvas_pan_update (self, offset_x, offset_y);
      return;
    }

  if (!self->drawing)
    return;

  sequence = gtk_gesture_single_get_current_sequence (GTK_GESTURE_SINGLE (gesture));
  event = gtk_gesture_get_last_event (GTK_GESTURE (gesture), sequence);
  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  straight = (state & GDK_SHIFT_MASK) != 0;

  reel_canvas_add_history (self, event, straight);

  x = start_x + offset_x;
  y = start_y + offset_y;
  reel_canvas_extend_stroke (self, x, y, reel_canvas_mouse_pressure (self, x, y), 0, 0,
                             straight);
}

static void
draw_end_cb (ReelCanvas     *self,
             double          offset_x,
             double          offset_y,
             GtkGestureDrag *gesture)
{
  if (self->panning)
    {
      reel_canvas_pan_end (self);
      return;
    }

  reel_canvas_end_stroke (self, TRUE);
}

/* The sequence was taken away (a grab, a popup): keep what was drawn so far.
 * Escape is the way to drop a stroke. */
static void
draw_cancel_cb (ReelCanvas       *self,
                GdkEventSequence *sequence,
                GtkGesture       *gesture)
{
  if (self->panning)
    reel_canvas_pan_end (self);
  else
    reel_canvas_end_stroke (self, TRUE);
}

static void
stylus_axes (GtkGestureStylus *gesture,
             double           *pressure,
             double           *tilt_x,
             double           *tilt_y)
{
  if (!gtk_gesture_stylus_get_axis (gesture, GDK_AXIS_PRESSURE, pressure))
    *pressure = 1.0;
  if (!gtk_gesture_stylus_get_axis (gesture, GDK_AXIS_XTILT, tilt_x))
    *tilt_x = 0;
  if (!gtk_gesture_stylus_get_axis (gesture, GDK_AXIS_YTILT, tilt_y))
    *tilt_y = 0;
}

static void
stylus_down_cb (ReelCanvas       *self,
                double            x,
                double            y,
                GtkGestureStylus *gesture)
{
  GdkDeviceTool *tool = gtk_gesture_stylus_get_device_tool (gesture);
  double pressure, tilt_x, tilt_y;
  gboolean erase;

  gtk_widget_grab_focus (GTK_WIDGET (self));

  if (self->space_held)
    return;

  if (self->tool == tool_info_lookup (REEL_CANVAS_TOOL_TEXT))
    {
      reel_canvas_ask_for_text (self, x, y);
      return;
    }

  /* The eraser end of the pen erases, whatever the tool. */
  erase = tool != NULL && gdk_device_tool_get_tool_type (tool) == GDK_DEVICE_TOOL_TYPE_ERASER;
  stylus_axes (gesture, &pressure, &tilt_x, &tilt_y);
  if (reel_canvas_begin_stroke (self, x, y, pressure, tilt_x, tilt_y, erase))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
stylus_motion_cb (ReelCanvas       *self,
                  double            x,
                  double            y,
                  GtkGestureStylus *gesture)
{
  GdkTimeCoord *backlog = NULL;
  guint n_backlog = 0;
  GdkModifierType state;
  double pressure, tilt_x, tilt_y;
  gboolean straight;

  if (!self->drawing)
    return;

  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  straight = (state & GDK_SHIFT_MASK) != 0;

  if (gtk_gesture_stylus_get_backlog (gesture, &backlog, &n_backlog))
    {
      for (guint i = 0; i < n_backlog; i++)
        {
          const double *axes = backlog[i].axes;
          GdkAxisFlags flags = backlog[i].flags;

          reel_canvas_extend_stroke (self, axes[GDK_AXIS_X], axes[GDK_AXIS_Y],
                                     flags & GDK_AXIS_FLAG_PRESSURE ? axes[GDK_AXIS_PRESSURE] : 1.0,
                                     flags & GDK_AXIS_FLAG_XTILT ? axes[GDK_AXIS_XTILT] : 0,
                                     flags & GDK_AXIS_FLAG_YTILT ? axes[GDK_AXIS_YTILT] : 0,
                                     straight);
        }
      g_free (backlog);
    }

  stylus_axes (gesture, &pressure, &tilt_x, &tilt_y);
  reel_canvas_extend_stroke (self, x, y, pressure, tilt_x, tilt_y, straight);
}

static void
stylus_up_cb (ReelCanvas       *self,
              double            x,
              double            y,
              GtkGestureStylus *gesture)
{
  reel_canvas_end_stroke (self, TRUE);
}

static void
pan_begin_cb (ReelCanvas     *self,
              double          x,
              double          y,
              GtkGestureDrag *gesture)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  reel_canvas_pan_begin (self);
}

static void
pan_update_cb (ReelCanvas     *self,
               double          offset_x,
               double          offset_y,
               GtkGestureDrag *gesture)
{
  reel_canvas_pan_update (self, offset_x, offset_y);
}

static void
pan_end_cb (ReelCanvas     *self,
            double          offset_x,
            double          offset_y,
            GtkGestureDrag *gesture)
{
  reel_canvas_pan_end (self);
}

static void
reel_canvas_zoom_at (ReelCanvas *self,
                     double      zoom,
                     double      x,
                     double      y)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double factor;

  zoom = CLAMP (zoom, REEL_CANVAS_MIN_ZOOM, REEL_CANVAS_MAX_ZOOM);
  if (zoom == self->zoom)
    return;

  /* Keep the point under (x, y) where it is. */
  factor = zoom / self->zoom;
  self->pan_x = (x - width / 2) - factor * (x - width / 2 - self->pan_x);
  self->pan_y = (y - height / 2) - factor * (y - height / 2 - self->pan_y);
  self->zoom = zoom;
  reel_canvas_clamp_pan (self);

  reel_canvas_update_render (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

static gboolean
scroll_cb (ReelCanvas               *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (state & GDK_CONTROL_MASK)
    {
      reel_canvas_zoom_at (self, self->zoom * pow (1.15, -dy), self->pointer_x, self->pointer_y);
      return TRUE;
    }

  if (self->zoom <= 1.0)
    return FALSE;

  if (state & GDK_SHIFT_MASK)
    {
      double swap = dx;

      dx = dy;
      dy = swap;
    }

  self->pan_x -= dx * 40;
  self->pan_y -= dy * 40;
  reel_canvas_clamp_pan (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  return TRUE;
}

static void
motion_cb (ReelCanvas               *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *controller)
{
  self->pointer_x = x;
  self->pointer_y = y;
}

static gboolean
key_pressed_cb (ReelCanvas            *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  if (keyval == GDK_KEY_space && !(state & GDK_CONTROL_MASK))
    {
      self->space_held = TRUE;
      reel_canvas_update_cursor (self);
      return TRUE;
    }

  if (keyval == GDK_KEY_Escape && self->drawing)
    {
      reel_canvas_end_stroke (self, FALSE);
      return TRUE;
    }

  return FALSE;
}

static void
key_released_cb (ReelCanvas            *self,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 GtkEventControllerKey *controller)
{
  if (keyval == GDK_KEY_space)
    {
      self->space_held = FALSE;
      reel_canvas_update_cursor (self);
    }
}

static void
focus_leave_cb (ReelCanvas *self)
{
  self->space_held = FALSE;
  reel_canvas_update_cursor (self);
}

/* Drawing */

/* The pixels of one tile of the live stroke: the stroke itself, or for the eraser
 * what lies below the active layer where it went. */
static GdkTexture *
reel_canvas_render_live_tile (ReelCanvas *self,
                              int         column,
                              int         row,
                              gboolean    erasing)
{
  int live_width = cairo_image_surface_get_width (self->live);
  int live_height = cairo_image_surface_get_height (self->live);
  int x = column * LIVE_TILE_SIZE;
  int y = row * LIVE_TILE_SIZE;
  int width = MIN (LIVE_TILE_SIZE, live_width - x);
  int height = MIN (LIVE_TILE_SIZE, live_height - y);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  GdkTexture *texture;

  if (erasing)
    {
      /* The layers were rendered at the live surface's size, unless a resize
       * raced the stroke. */
      if (cairo_image_surface_get_width (self->below) == live_width &&
          cairo_image_surface_get_height (self->below) == live_height)
        cairo_set_source_surface (cr, self->below, -x, -y);
      else
        cairo_set_source_rgba (cr, 1, 1, 1, 0.4);
      cairo_mask_surface (cr, self->live, -x, -y);
    }
  else
    {
      cairo_set_source_surface (cr, self->live, -x, -y);
      cairo_paint (cr);
    }

  cairo_destroy (cr);
  texture = reel_texture_new_for_surface (surface);
  cairo_surface_destroy (surface);

  return texture;
}

static void
reel_canvas_snapshot_live (ReelCanvas            *self,
                           GtkSnapshot           *snapshot,
                           const graphene_rect_t *panel)
{
  double scale_x = panel->size.width / cairo_image_surface_get_width (self->live);
  double scale_y = panel->size.height / cairo_image_surface_get_height (self->live);
  gboolean erasing = g_str_equal (self->stroke_tool->stroke_tool, REEL_TOOL_ERASER);
  int first_row, last_row, first_column, last_column;
  double alpha = 1.0;

  if (self->live_empty)
    return;

  if (!erasing)
    {
      ReelColor color = reel_canvas_get_stroke_color (self, self->stroke_tool);

      /* The stroke is drawn opaque and blended once, as the finished stroke will be. */
      alpha = color.alpha;
      if (g_str_equal (self->stroke_tool->stroke_tool, REEL_TOOL_MARKER))
        alpha *= 0.6;
    }

  first_row = CLAMP ((int) self->dirty_y1 / LIVE_TILE_SIZE, 0, self->n_tile_rows - 1);
  last_row = CLAMP ((int) self->dirty_y2 / LIVE_TILE_SIZE, 0, self->n_tile_rows - 1);
  first_column = CLAMP ((int) self->dirty_x1 / LIVE_TILE_SIZE, 0, self->n_tile_columns - 1);
  last_column = CLAMP ((int) self->dirty_x2 / LIVE_TILE_SIZE, 0, self->n_tile_columns - 1);

  gtk_snapshot_push_opacity (snapshot, alpha);

  /* Tiles the new segments did not touch keep their textures, which the renderer
   * has already uploaded: a frame costs what its new segments cost. */
  for (int row = first_row; row <= last_row; row++)
    for (int column = first_column; column <= last_column; column++)
      {
        int index = row * self->n_tile_columns + column;
        int x = column * LIVE_TILE_SIZE;
        int y = row * LIVE_TILE_SIZE;
        GdkTexture *tile;

        if (self->live_tile_dirty[index])
          {
            g_clear_object (&self->live_tiles[index]);
            self->live_tiles[index] = reel_canvas_render_live_tile (self, column, row, erasing);
            self->live_tile_dirty[index] = FALSE;
          }

        tile = self->live_tiles[index];
        if (tile == NULL)
          continue;

        gtk_snapshot_append_texture (snapshot, tile,
                                     &GRAPHENE_RECT_INIT (panel->origin.x + x * scale_x,
                                                          panel->origin.y + y * scale_y,
                                                          gdk_texture_get_width (tile) * scale_x,
                                                          gdk_texture_get_height (tile) * scale_y));
      }

  gtk_snapshot_pop (snapshot);
}

/* Strokes that change shape as a whole (arrows, frames, straight lines) are
 * drawn as vectors each frame; there are few points in them. */
static void
reel_canvas_snapshot_shape (ReelCanvas            *self,
                            GtkSnapshot           *snapshot,
                            const graphene_rect_t *panel)
{
  g_autoptr(ReelStroke) stroke = NULL;
  double x1, y1, x2, y2, line_width, pad;
  graphene_rect_t box;
  cairo_t *cr;

  if (self->points->len == 0)
    return;

  stroke = reel_canvas_build_final_stroke (self, FALSE);

  /* Only the stroke's box, with room for an arrow head and the line's width. */
  reel_stroke_get_bounds (stroke, &x1, &y1, &x2, &y2);
  line_width = reel_stroke_get_width (stroke) * panel->size.height;
  pad = MAX (line_width * 4, panel->size.height * 0.025) + line_width + 2;
  graphene_rect_init (&box,
                      panel->origin.x + x1 * panel->size.width - pad,
                      panel->origin.y + y1 * panel->size.height - pad,
                      (x2 - x1) * panel->size.width + 2 * pad,
                      (y2 - y1) * panel->size.height + 2 * pad);
  if (!graphene_rect_intersection (&box, panel, &box))
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &box);
  cairo_translate (cr, panel->origin.x, panel->origin.y);

  if (g_str_equal (self->stroke_tool->stroke_tool, REEL_TOOL_ERASER))
    {
      /* A straight eraser line: show its path. */
      g_autoptr(ReelStroke) path = reel_canvas_build_final_stroke (self, TRUE);

      cairo_push_group (cr);
      reel_stroke_draw (path, cr, panel->size.width, panel->size.height);
      cairo_pop_group_to_source (cr);
      cairo_paint_with_alpha (cr, 0.4);
    }
  else
    {
      reel_stroke_draw (stroke, cr, panel->size.width, panel->size.height);
    }

  cairo_destroy (cr);
}

/* The guides only change with the panel size, so they are drawn once into a
 * texture instead of into a panel-sized cairo node every frame. */
static GdkTexture *
reel_canvas_get_guides_texture (ReelCanvas            *self,
                                const graphene_rect_t *panel)
{
  int width, height;
  ReelGuideFlags flags = self->guides & ~REEL_GUIDE_MASK;
  double aspect = reel_canvas_get_aspect (self);
  cairo_surface_t *surface;
  cairo_t *cr;

  reel_canvas_get_render_size (self, &width, &height);

  if (self->guides_texture != NULL && self->guides_width == width &&
      self->guides_height == height && self->guides_flags == flags && self->guides_aspect == aspect)
    return self->guides_texture;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  /* Lines as thick as they look at the size the panel is shown. */
  cairo_scale (cr, width / panel->size.width, height / panel->size.height);
  reel_framing_guides_draw (cr, panel->size.width, panel->size.height, aspect, flags);
  cairo_destroy (cr);

  g_clear_object (&self->guides_texture);
  self->guides_texture = reel_texture_new_for_surface (surface);
  cairo_surface_destroy (surface);
  self->guides_width = width;
  self->guides_height = height;
  self->guides_flags = flags;
  self->guides_aspect = aspect;

  return self->guides_texture;
}

static void
reel_canvas_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  ReelCanvas *self = REEL_CANVAS (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  graphene_rect_t panel;
  gboolean have_cache;
  double opacity = 1.0;
  gboolean active_visible = TRUE;

  reel_canvas_get_panel_bounds (self, &panel);

  if (self->guides & REEL_GUIDE_MASK)
    {
      /* The matte around the frame, as a viewfinder shows it. */
      GdkRGBA matte = { 0, 0, 0, 0.65 };
      double right = panel.origin.x + panel.size.width;
      double bottom = panel.origin.y + panel.size.height;

      gtk_snapshot_append_color (snapshot, &matte,
                                 &GRAPHENE_RECT_INIT (0, 0, width, MAX (panel.origin.y, 0)));
      gtk_snapshot_append_color (snapshot, &matte,
                                 &GRAPHENE_RECT_INIT (0, bottom, width, MAX (height - bottom, 0)));
      gtk_snapshot_append_color (snapshot, &matte,
                                 &GRAPHENE_RECT_INIT (0, panel.origin.y, MAX (panel.origin.x, 0),
                                                      panel.size.height));
      gtk_snapshot_append_color (snapshot, &matte,
                                 &GRAPHENE_RECT_INIT (right, panel.origin.y,
                                                      MAX (width - right, 0), panel.size.height));
    }

  if (self->shot == NULL)
    return;

  gtk_snapshot_push_clip (snapshot, &panel);

  have_cache = self->cache.shot == self->shot && self->below_texture != NULL;
  if (!have_cache && self->first_frame_pending)
    {
      reel_canvas_finish_first_render (self);
      have_cache = self->cache.shot == self->shot && self->below_texture != NULL;
    }
  self->first_frame_pending = FALSE;
  if (!have_cache)
    {
      GdkRGBA grey = { REEL_PANEL_FILL_RED, REEL_PANEL_FILL_GREEN, REEL_PANEL_FILL_BLUE, 1 };
      GdkTexture *thumbnail = NULL;

      /* Until the panel is rendered (a moment on a 4K screen), its thumbnail
       * stands in, so stepping through the shots does not flash grey. */
      if (self->thumbnailer != NULL)
        thumbnail = reel_thumbnailer_lookup (self->thumbnailer, self->shot, 0, 0, NULL);

      if (thumbnail != NULL)
        gtk_snapshot_append_texture (snapshot, thumbnail, &panel);
      else
        gtk_snapshot_append_color (snapshot, &grey, &panel);
    }
  else
    {
      ReelSketch *sketch = reel_shot_get_sketch (self->shot);

      if (reel_sketch_find_layer (sketch, self->cache.layer) >= 0)
        {
          opacity = reel_sketch_get_layer_opacity (sketch, self->cache.layer);
          active_visible = reel_sketch_get_layer_visible (sketch, self->cache.layer);
        }

      gtk_snapshot_append_texture (snapshot, self->below_texture, &panel);

      /* While drawing, the active layer shows even when hidden: the stroke
       * will show it. */
      if (active_visible || self->drawing)
        {
          gtk_snapshot_push_opacity (snapshot, opacity);
          gtk_snapshot_append_texture (snapshot, self->active_texture, &panel);
          if (self->drawing && reel_canvas_live_is_incremental (self) &&
              !g_str_equal (self->stroke_tool->stroke_tool, REEL_TOOL_ERASER))
            reel_canvas_snapshot_live (self, snapshot, &panel);
          gtk_snapshot_pop (snapshot);
        }

      if (self->drawing && reel_canvas_live_is_incremental (self) &&
          g_str_equal (self->stroke_tool->stroke_tool, REEL_TOOL_ERASER))
        reel_canvas_snapshot_live (self, snapshot, &panel);

      if (self->above_texture != NULL)
        gtk_snapshot_append_texture (snapshot, self->above_texture, &panel);
    }

  if (self->drawing && !reel_canvas_live_is_incremental (self))
    reel_canvas_snapshot_shape (self, snapshot, &panel);

  if (self->guides & ~REEL_GUIDE_MASK)
    gtk_snapshot_append_texture (snapshot, reel_canvas_get_guides_texture (self, &panel), &panel);

  gtk_snapshot_pop (snapshot);
}

static void
reel_canvas_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  ReelCanvas *self = REEL_CANVAS (widget);

  reel_canvas_clamp_pan (self);
  gtk_popover_present (GTK_POPOVER (self->text_popover));
  reel_canvas_update_render (self);
}

static void
reel_canvas_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  *minimum = 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 960 : 540;
}

static void
reel_canvas_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (reel_canvas_parent_class)->realize (widget);

  reel_canvas_update_render (REEL_CANVAS (widget));
}

static void
scale_factor_changed_cb (ReelCanvas *self)
{
  reel_canvas_update_render (self);
}

/* GObject */

static void
reel_canvas_dispose (GObject *object)
{
  ReelCanvas *self = REEL_CANVAS (object);

  g_cancellable_cancel (self->cancellable);
  reel_canvas_set_shot (self, NULL);
  reel_canvas_set_project (self, NULL);
  g_clear_object (&self->scene_signals);
  g_clear_pointer (&self->text_popover, gtk_widget_unparent);
  g_clear_object (&self->thumbnailer);
  g_clear_object (&self->prefetched);

  G_OBJECT_CLASS (reel_canvas_parent_class)->dispose (object);
}

static void
reel_canvas_finalize (GObject *object)
{
  ReelCanvas *self = REEL_CANVAS (object);

  reel_canvas_clear_cache (self);
  g_clear_object (&self->guides_texture);
  render_target_clear (&self->job_target);
  reel_canvas_free_live (self);
  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->active_layer, g_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (reel_canvas_parent_class)->finalize (object);
}

static void
reel_canvas_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ReelCanvas *self = REEL_CANVAS (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_SHOT:
      g_value_set_object (value, self->shot);
      break;
    case PROP_TOOL:
      g_value_set_string (value, self->tool->id);
      break;
    case PROP_COLOR:
      g_value_set_boxed (value, &self->color);
      break;
    case PROP_BRUSH_SIZE:
      g_value_set_double (value, reel_canvas_get_brush_size (self));
      break;
    case PROP_ACTIVE_LAYER:
      g_value_set_string (value, self->active_layer);
      break;
    case PROP_GUIDES:
      g_value_set_uint (value, self->guides);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_GREYBOX_BACKGROUND:
      g_value_set_boolean (value, self->greybox_background);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_canvas_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  ReelCanvas *self = REEL_CANVAS (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      reel_canvas_set_project (self, g_value_get_object (value));
      break;
    case PROP_SHOT:
      reel_canvas_set_shot (self, g_value_get_object (value));
      break;
    case PROP_TOOL:
      reel_canvas_set_tool (self, g_value_get_string (value));
      break;
    case PROP_COLOR:
      reel_canvas_set_color (self, g_value_get_boxed (value));
      break;
    case PROP_BRUSH_SIZE:
      reel_canvas_set_brush_size (self, g_value_get_double (value));
      break;
    case PROP_ACTIVE_LAYER:
      reel_canvas_set_active_layer (self, g_value_get_string (value));
      break;
    case PROP_GUIDES:
      reel_canvas_set_guides (self, g_value_get_uint (value));
      break;
    case PROP_ZOOM:
      reel_canvas_set_zoom (self, g_value_get_double (value));
      break;
    case PROP_GREYBOX_BACKGROUND:
      reel_canvas_set_greybox_background (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_canvas_class_init (ReelCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /* A clip background shows by its first frame, not grey. */
  reel_clip_frames_draw_in_panels ();

  object_class->dispose = reel_canvas_dispose;
  object_class->finalize = reel_canvas_finalize;
  object_class->get_property = reel_canvas_get_property;
  object_class->set_property = reel_canvas_set_property;

  widget_class->snapshot = reel_canvas_snapshot;
  widget_class->size_allocate = reel_canvas_size_allocate;
  widget_class->measure = reel_canvas_measure;
  widget_class->realize = reel_canvas_realize;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, REEL_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOT] =
    g_param_spec_object ("shot", NULL, NULL, REEL_TYPE_SHOT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TOOL] =
    g_param_spec_string ("tool", NULL, NULL, REEL_CANVAS_TOOL_PEN,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COLOR] =
    g_param_spec_boxed ("color", NULL, NULL, GDK_TYPE_RGBA,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BRUSH_SIZE] =
    g_param_spec_double ("brush-size", NULL, NULL,
                         REEL_CANVAS_MIN_BRUSH_SIZE, REEL_CANVAS_MAX_BRUSH_SIZE, 4,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ACTIVE_LAYER] =
    g_param_spec_string ("active-layer", NULL, NULL, REEL_LAYER_SKETCH,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_GUIDES] =
    g_param_spec_uint ("guides", NULL, NULL, 0, G_MAXUINT, REEL_GUIDE_NONE,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, REEL_CANVAS_MIN_ZOOM, REEL_CANVAS_MAX_ZOOM, 1.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_GREYBOX_BACKGROUND] =
    g_param_spec_boolean ("greybox-background", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * ReelCanvas:busy:
   *
   * The current shot's panel is still rendering: what shows is its thumbnail or grey.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "reelcanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
reel_canvas_init (ReelCanvas *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;
  GtkWidget *box, *label;

  self->tool = &tools[0];
  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    self->sizes[i] = tools[i].default_size;
  self->color = (GdkRGBA) { 0.08, 0.08, 0.1, 1.0 };
  self->active_layer = g_strdup (REEL_LAYER_SKETCH);
  self->zoom = 1.0;
  self->first_frame_pending = TRUE;
  self->scene_signals = g_signal_group_new (REEL_TYPE_SCENE);
  g_signal_group_connect_swapped (self->scene_signals, "notify::set",
                                  G_CALLBACK (greybox_changed_cb), self);
  g_signal_group_connect_swapped (self->scene_signals, "notify::time-of-day",
                                  G_CALLBACK (greybox_changed_cb), self);
  self->points = g_array_new (FALSE, FALSE, sizeof (ReelStrokePoint));
  self->cancellable = g_cancellable_new ();
  self->live_empty = TRUE;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  reel_canvas_update_cursor (self);
  reel_canvas_update_accessible (self);

  gesture = gtk_gesture_stylus_new ();
  g_signal_connect_swapped (gesture, "down", G_CALLBACK (stylus_down_cb), self);
  g_signal_connect_swapped (gesture, "motion", G_CALLBACK (stylus_motion_cb), self);
  g_signal_connect_swapped (gesture, "up", G_CALLBACK (stylus_up_cb), self);
  g_signal_connect_swapped (gesture, "cancel", G_CALLBACK (draw_cancel_cb), self);
  self->stylus_gesture = gesture;
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect_swapped (gesture, "drag-begin", G_CALLBACK (draw_begin_cb), self);
  g_signal_connect_swapped (gesture, "drag-update", G_CALLBACK (draw_update_cb), self);
  g_signal_connect_swapped (gesture, "drag-end", G_CALLBACK (draw_end_cb), self);
  g_signal_connect_swapped (gesture, "cancel", G_CALLBACK (draw_cancel_cb), self);
  self->draw_gesture = gesture;
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_MIDDLE);
  g_signal_connect_swapped (gesture, "drag-begin", G_CALLBACK (pan_begin_cb), self);
  g_signal_connect_swapped (gesture, "drag-update", G_CALLBACK (pan_update_cb), self);
  g_signal_connect_swapped (gesture, "drag-end", G_CALLBACK (pan_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_swapped (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (controller, "enter", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  g_signal_connect_swapped (controller, "key-released", G_CALLBACK (key_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (focus_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (scale_factor_changed_cb), NULL);

  /* The text label popover: a line of text placed where the panel was clicked. */
  self->text_popover = gtk_popover_new ();
  gtk_widget_set_parent (self->text_popover, GTK_WIDGET (self));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  label = gtk_label_new (_("Label"));
  gtk_widget_add_css_class (label, "heading");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), label);
  self->text_entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->text_entry), _("Text on the panel"));
  gtk_widget_set_tooltip_text (self->text_entry, _("Press Enter to place the label"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Label text"), -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->text_entry),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  g_signal_connect_swapped (self->text_entry, "activate", G_CALLBACK (text_entry_activate_cb),
                            self);
  gtk_box_append (GTK_BOX (box), self->text_entry);
  gtk_popover_set_child (GTK_POPOVER (self->text_popover), box);
}

GtkWidget *
reel_canvas_new (void)
{
  return g_object_new (REEL_TYPE_CANVAS, NULL);
}

ReelProject *
reel_canvas_get_project (ReelCanvas *self)
{
  g_return_val_if_fail (REEL_IS_CANVAS (self), NULL);

  return self->project;
}

void
reel_canvas_set_project (ReelCanvas  *self,
                         ReelProject *project)
{
  g_return_if_fail (REEL_IS_CANVAS (self));
  g_return_if_fail (!project || REEL_IS_PROJECT (project));

  if (self->project == project)
    return;

  reel_canvas_end_stroke (self, FALSE);

  if (self->project != NULL)
    g_clear_signal_handler (&self->aspect_changed_id, self->project);

  g_set_object (&self->project, project);

  if (project != NULL)
    self->aspect_changed_id = g_signal_connect_swapped (project, "notify::aspect-ratio",
                                                        G_CALLBACK (aspect_changed_cb), self);

  self->pan_x = self->pan_y = 0;
  /* A project just opened shows its first panel whole too (a file read after the window's
   * first frame, at start). */
  self->first_frame_pending = project != NULL;
  reel_canvas_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

ReelShot *
reel_canvas_get_shot (ReelCanvas *self)
{
  g_return_val_if_fail (REEL_IS_CANVAS (self), NULL);

  return self->shot;
}

void
reel_canvas_set_shot (ReelCanvas *self,
                      ReelShot   *shot)
{
  g_return_if_fail (REEL_IS_CANVAS (self));
  g_return_if_fail (!shot || REEL_IS_SHOT (shot));

  if (self->shot == shot)
    return;

  reel_canvas_end_stroke (self, FALSE);
  /* The last shot's drawing is freed once the new one is drawn. */
  reel_memory_trim_soon ();

  if (self->shot != NULL)
    {
      g_clear_signal_handler (&self->sketch_changed_id, self->sketch);
      g_clear_signal_handler (&self->background_changed_id, self->shot);
      g_clear_signal_handler (&self->camera_changed_id, self->shot);
      g_clear_signal_handler (&self->number_changed_id, self->shot);
      g_clear_object (&self->sketch);
    }

  g_set_object (&self->shot, shot);

  if (shot != NULL)
    {
      self->sketch = g_object_ref (reel_shot_get_sketch (shot));
      self->sketch_changed_id = g_signal_connect_swapped (self->sketch, "changed",
                                                          G_CALLBACK (sketch_changed_cb), self);
      self->background_changed_id = g_signal_connect_swapped (shot, "notify::background",
                                                              G_CALLBACK (background_changed_cb),
                                                              self);
      self->number_changed_id =
        g_signal_connect_swapped (shot, "notify::number",
                                  G_CALLBACK (reel_canvas_update_accessible), self);
      self->camera_changed_id = g_signal_connect_swapped (shot, "notify::camera",
                                                          G_CALLBACK (greybox_changed_cb), self);
    }
  g_signal_group_set_target (self->scene_signals,
                             shot != NULL ? reel_shot_get_scene (shot) : NULL);

  if (self->text_popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->text_popover));

  reel_canvas_update_accessible (self);
  reel_canvas_invalidate (self);
  reel_canvas_update_busy (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOT]);
}

const char *
reel_canvas_get_tool (ReelCanvas *self)
{
  g_return_val_if_fail (REEL_IS_CANVAS (self), NULL);

  return self->tool->id;
}

void
reel_canvas_set_tool (ReelCanvas *self,
                      const char *tool)
{
  const ToolInfo *info;
  double old_size;

  g_return_if_fail (REEL_IS_CANVAS (self));

  info = tool_info_lookup (tool);
  if (info == NULL)
    {
      g_critical ("Unknown canvas tool “%s”", tool);
      return;
    }

  if (info == self->tool)
    return;

  old_size = reel_canvas_get_brush_size (self);
  self->tool = info;

  if (info->layer != NULL)
    reel_canvas_set_active_layer (self, info->layer);

  reel_canvas_update_cursor (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
  if (old_size != reel_canvas_get_brush_size (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BRUSH_SIZE]);
}

void
reel_canvas_get_color (ReelCanvas *self,
                       GdkRGBA    *color)
{
  g_return_if_fail (REEL_IS_CANVAS (self));
  g_return_if_fail (color != NULL);

  *color = self->color;
}

void
reel_canvas_set_color (ReelCanvas    *self,
                       const GdkRGBA *color)
{
  g_return_if_fail (REEL_IS_CANVAS (self));

  if (color == NULL || gdk_rgba_equal (color, &self->color))
    return;

  self->color = *color;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR]);
}

double
reel_canvas_get_brush_size (ReelCanvas *self)
{
  g_return_val_if_fail (REEL_IS_CANVAS (self), 0);

  return reel_canvas_get_tool_size (self, self->tool);
}

void
reel_canvas_set_brush_size (ReelCanvas *self,
                            double      size)
{
  g_return_if_fail (REEL_IS_CANVAS (self));

  size = CLAMP (size, REEL_CANVAS_MIN_BRUSH_SIZE, REEL_CANVAS_MAX_BRUSH_SIZE);
  if (size == self->sizes[self->tool - tools])
    return;

  self->sizes[self->tool - tools] = size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BRUSH_SIZE]);
}

void
reel_canvas_step_brush_size (ReelCanvas *self,
                             int         steps)
{
  double size;

  g_return_if_fail (REEL_IS_CANVAS (self));

  size = reel_canvas_get_brush_size (self);
  for (int i = 0; i < ABS (steps); i++)
    {
      /* At least a whole pixel each step, so small brushes do not get stuck. */
      if (steps > 0)
        size = MAX (size + 1, round (size * 1.25));
      else
        size = MIN (size - 1, round (size / 1.25));
    }

  reel_canvas_set_brush_size (self, size);
}

const char *
reel_canvas_get_active_layer (ReelCanvas *self)
{
  g_return_val_if_fail (REEL_IS_CANVAS (self), NULL);

  return self->active_layer;
}

void
reel_canvas_set_active_layer (ReelCanvas *self,
                              const char *layer)
{
  g_return_if_fail (REEL_IS_CANVAS (self));

  if (layer == NULL || layer[0] == '\0' || g_strcmp0 (layer, self->active_layer) == 0)
    return;

  reel_canvas_end_stroke (self, TRUE);

  g_free (self->active_layer);
  self->active_layer = g_strdup (layer);
  reel_canvas_update_render (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_LAYER]);
}

gboolean
reel_canvas_get_greybox_background (ReelCanvas *self)
{
  g_return_val_if_fail (REEL_IS_CANVAS (self), FALSE);

  return self->greybox_background;
}

void
reel_canvas_set_greybox_background (ReelCanvas *self,
                                    gboolean    greybox_background)
{
  g_return_if_fail (REEL_IS_CANVAS (self));

  greybox_background = !!greybox_background;
  if (self->greybox_background == greybox_background)
    return;

  self->greybox_background = greybox_background;
  reel_canvas_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GREYBOX_BACKGROUND]);
}

ReelGuideFlags
reel_canvas_get_guides (ReelCanvas *self)
{
  g_return_val_if_fail (REEL_IS_CANVAS (self), REEL_GUIDE_NONE);

  return self->guides;
}

void
reel_canvas_set_guides (ReelCanvas     *self,
                        ReelGuideFlags  guides)
{
  g_return_if_fail (REEL_IS_CANVAS (self));

  if (self->guides == guides)
    return;

  self->guides = guides;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GUIDES]);
}

double
reel_canvas_get_zoom (ReelCanvas *self)
{
  g_return_val_if_fail (REEL_IS_CANVAS (self), 1.0);

  return self->zoom;
}

void
reel_canvas_set_zoom (ReelCanvas *self,
                      double      zoom)
{
  g_return_if_fail (REEL_IS_CANVAS (self));

  reel_canvas_zoom_at (self, zoom,
                       gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                       gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
reel_canvas_reset_view (ReelCanvas *self)
{
  g_return_if_fail (REEL_IS_CANVAS (self));

  self->pan_x = self->pan_y = 0;
  if (self->zoom != 1.0)
    {
      self->zoom = 1.0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }

  reel_canvas_update_render (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * reel_canvas_set_thumbnailer:
 * @self: a #ReelCanvas
 * @thumbnailer: (nullable): where to find a shot's thumbnail
 *
 * The canvas shows the current shot's cached thumbnail, scaled up, while the
 * panel itself is being rendered.
 */
void
reel_canvas_set_thumbnailer (ReelCanvas      *self,
                             ReelThumbnailer *thumbnailer)
{
  g_return_if_fail (REEL_IS_CANVAS (self));
  g_return_if_fail (!thumbnailer || REEL_IS_THUMBNAILER (thumbnailer));

  g_set_object (&self->thumbnailer, thumbnailer);
}

gboolean
reel_canvas_is_rendering (ReelCanvas *self)
{
  g_return_val_if_fail (REEL_IS_CANVAS (self), FALSE);

  return self->job_running || (self->shot != NULL && !self->cache_valid);
}

gboolean
reel_canvas_is_drawing (ReelCanvas *self)
{
  g_return_val_if_fail (REEL_IS_CANVAS (self), FALSE);

  return self->drawing;
}
