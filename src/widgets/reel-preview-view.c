/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-preview-view"

#include "config.h"

#include <adwaita.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "core/reel-edit.h"
#include "core/reel-panel.h"
#include "core/reel-timecode.h"
#include "media/reel-animatic-player.h"
#include "media/reel-camera-move.h"
#include "media/reel-chroma-key.h"
#include "media/reel-media-cache.h"
#include "media/reel-media-error.h"
#include "media/reel-plate-link.h"
#include "media/reel-preview-pipeline.h"
#include "media/reel-sketch-plate.h"

#include "reel-preview-canvas.h"
#include "reel-preview-view.h"
#include "reel-transport-bar.h"
#include "reel-window.h"

/*
 * The Preview view: the current shot's plate keyed over its active background, or the
 * shot's still when it has no plate, with the key and placement controls and the
 * transport; or a scene or the whole project played as a story reel.
 *
 * The model is the truth: every control writes the plate through reel-edit.h (one undo
 * step per drag), and the pipeline follows the plate's notifications, so undo, other
 * views and this one all agree.
 */

typedef enum {
  MODE_EMPTY,      /* no shot */
  MODE_STILL,      /* the shot's panel: no plate, or a plate that cannot play */
  MODE_PLATE,      /* the keyed composite */
  MODE_SEQUENCE,   /* a scene or the project as a story reel */
} Mode;

struct _ReelPreviewView
{
  GtkWidget parent_instance;

  ReelProject *project;
  ReelShot *current_shot;
  GFile *project_file;          /* set by tests; otherwise the window's */

  GSignalGroup *project_signals;
  GSignalGroup *shot_signals;
  GSignalGroup *scene_signals;   /* the shot's scene: its set is what a gray-box move draws */
  GSignalGroup *plate_signals;
  GSignalGroup *sketch_signals;

  ReelPreviewPipeline *pipeline;
  ReelAnimaticPlayer *player;
  GdkTexture *still;
  GdkTexture *sketch_overlay;  /* the sketch alone, over a clip that plays without a plate */
  GCancellable *load_cancellable;
  GCancellable *background_cancellable;
  GFile *open_after_background; /* footage to open once its clip background is ready */
  GCancellable *still_cancellable;
  guint still_timeout;
  guint sketch_plate_timeout;  /* a new sketch plate, once the sketch settles */
  guint set_timeout;           /* a new camera move, once the set's edit settles */
  guint resize_timeout;
  guint focus_idle;
  int frame_width;              /* device pixels of the frame on screen */
  int frame_height;

  Mode mode;
  gboolean ready;               /* the picture for the current state is on screen */
  gboolean loop;
  char *tool;
  ReelGuideFlags guides;
  char *message;

  gboolean updating_controls;   /* model → controls, not a user edit */
  gboolean following_reel;      /* the reel moves the current shot */
  double move_start_x, move_start_y;
  ReelHistoryGesture gesture;

  /* template */
  AdwFlap *flap;
  ReelPreviewCanvas *canvas;
  ReelTransportBar *transport;
  GtkRevealer *banner;
  GtkLabel *banner_label;
  GtkWidget *relink_button;
  GtkWidget *choose_button;
  GtkWidget *empty_page;
  GtkWidget *spinner;
  GtkWidget *stop_sequence_button;
  AdwActionRow *footage_row;
  GtkWidget *key_group;
  GtkWidget *placement_group;
  GtkColorButton *color_button;
  GtkEntry *color_entry;
  GtkAdjustment *similarity;
  GtkAdjustment *softness;
  GtkAdjustment *spill;
  GtkAdjustment *background_scale;
  GtkAdjustment *plate_scale;
  GtkWidget *similarity_scale;
  GtkWidget *softness_scale;
  GtkWidget *spill_scale;
};

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_CURRENT_SHOT,
  PROP_LOOP,
  PROP_MUTED,
  PROP_TOOL,
  PROP_SHOW_MASK,
  PROP_SHOW_THIRDS,
  PROP_SHOW_ACTION_SAFE,
  PROP_SHOW_TITLE_SAFE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ReelPreviewView, reel_preview_view, GTK_TYPE_WIDGET)

static void reload (ReelPreviewView *self);
static void update_actions (ReelPreviewView *self);

/* Helpers */

static ReelPlate *
current_plate (ReelPreviewView *self)
{
  return self->current_shot != NULL ? reel_shot_get_plate (self->current_shot) : NULL;
}

static GFile *
get_project_file (ReelPreviewView *self)
{
  GtkRoot *root;

  if (self->project_file != NULL)
    return self->project_file;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (REEL_IS_WINDOW (root))
    return reel_window_get_file (REEL_WINDOW (root));

  return NULL;
}

static ReelFrameRate
get_frame_rate (ReelPreviewView *self)
{
  return self->project != NULL ? reel_project_get_frame_rate (self->project)
                               : REEL_FRAME_RATE_DEFAULT;
}

static double
get_aspect_ratio (ReelPreviewView *self)
{
  double aspect = self->project != NULL ? reel_project_get_aspect_ratio (self->project) : 0;

  return aspect > 0 ? aspect : REEL_ASPECT_RATIO_DEFAULT;
}

static void
reset_cancellable (GCancellable **cancellable)
{
  if (*cancellable != NULL)
    g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
  *cancellable = g_cancellable_new ();
}

static void update_overlay (ReelPreviewView *self);

static void
set_ready (ReelPreviewView *self,
           gboolean         ready)
{
  self->ready = ready;
  gtk_widget_set_visible (self->spinner, !ready && self->mode != MODE_EMPTY);
  update_overlay (self);
}

/* The banner above the picture: a problem with the footage and what to do about it. */
static void
show_message (ReelPreviewView *self,
              const char      *message,
              gboolean         offer_relink)
{
  g_free (self->message);
  self->message = g_strdup (message);

  if (message != NULL)
    gtk_label_set_label (self->banner_label, message);
  gtk_widget_set_visible (self->relink_button, offer_relink);
  gtk_widget_set_visible (self->choose_button, offer_relink);
  gtk_revealer_set_reveal_child (self->banner, message != NULL);
}

static char *
plate_display_name (ReelPlate *plate)
{
  const char *path = reel_plate_get_path (plate);
  const char *slash = strrchr (path, '/');

  return g_filename_display_name (slash != NULL ? slash + 1 : path);
}

/* Model → controls */

static void
update_footage_row (ReelPreviewView *self)
{
  ReelPlate *plate = current_plate (self);
  g_autofree char *name = NULL;
  g_autofree char *details = NULL;

  if (plate == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->footage_row),
                                     _("No reference footage"));
      adw_action_row_set_subtitle (self->footage_row,
                                   _("Attach a green-screen plate or a location scout"));
      return;
    }

  name = plate_display_name (plate);
  if (reel_plate_get_width (plate) > 0 && reel_plate_get_duration (plate) > 0)
    /* Translators: picture size and length of a video, e.g. "1920 × 1080, 12.5 s" */
    details = g_strdup_printf (_("%d × %d, %.1f s"), reel_plate_get_width (plate),
                               reel_plate_get_height (plate),
                               reel_plate_get_duration (plate) / 1e9);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->footage_row), name);
  adw_action_row_set_subtitle (self->footage_row, details != NULL ? details : "");
}

static void
update_key_controls (ReelPreviewView *self)
{
  ReelPlate *plate = current_plate (self);
  g_autofree char *hex = NULL;
  guint rgb;

  /* Without footage there is nothing to key or place: the footage row says so, rather
   * than greyed-out controls showing a key nobody chose (a clip shot's sketch plate is
   * keyed on pure green internally). */
  gtk_widget_set_visible (self->key_group, plate != NULL);
  gtk_widget_set_visible (self->placement_group, plate != NULL);
  if (plate == NULL)
    return;

  self->updating_controls = TRUE;

  rgb = reel_plate_get_key_color (plate);
  hex = g_strdup_printf ("#%06X", rgb & 0xffffff);
  gtk_editable_set_text (GTK_EDITABLE (self->color_entry), hex);
  gtk_widget_remove_css_class (GTK_WIDGET (self->color_entry), "error");
  gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (self->color_button),
                              &(GdkRGBA) { ((rgb >> 16) & 0xff) / 255.0,
                                           ((rgb >> 8) & 0xff) / 255.0,
                                           (rgb & 0xff) / 255.0, 1.0 });
  gtk_adjustment_set_value (self->similarity, reel_plate_get_similarity (plate));
  gtk_adjustment_set_value (self->softness, reel_plate_get_softness (plate));
  gtk_adjustment_set_value (self->spill, reel_plate_get_spill (plate));
  gtk_adjustment_set_value (self->background_scale, reel_plate_get_background_scale (plate));
  gtk_adjustment_set_value (self->plate_scale, reel_plate_get_plate_scale (plate));

  self->updating_controls = FALSE;
}

/* Model → pipeline */

static void
apply_plate_settings (ReelPreviewView *self)
{
  ReelPlate *plate = current_plate (self);

  if (plate == NULL)
    return;

  reel_preview_pipeline_set_key (self->pipeline, reel_plate_get_key_color (plate),
                                 reel_plate_get_similarity (plate),
                                 reel_plate_get_softness (plate),
                                 reel_plate_get_spill (plate));
  reel_preview_pipeline_set_background_placement (self->pipeline,
                                                  reel_plate_get_background_scale (plate),
                                                  reel_plate_get_background_x (plate),
                                                  reel_plate_get_background_y (plate));
  reel_preview_pipeline_set_plate_placement (self->pipeline,
                                             reel_plate_get_plate_scale (plate),
                                             reel_plate_get_plate_x (plate),
                                             reel_plate_get_plate_y (plate));
  reel_preview_pipeline_set_muted (self->pipeline, reel_plate_get_muted (plate));
}

/* The still: background and sketch drawn on a worker thread */

typedef struct
{
  ReelAsset *background;
  ReelSketch *sketch;
  int width;
  int height;
  GdkTexture *overlay;  /* out: the sketch alone on transparent, or NULL */
} StillJob;

static void
still_job_free (gpointer data)
{
  StillJob *job = data;

  g_clear_object (&job->background);
  g_clear_object (&job->sketch);
  g_clear_object (&job->overlay);
  g_free (job);
}

/* Takes @surface (CAIRO_FORMAT_ARGB32, GDK's default memory format). */
static GdkTexture *
texture_for_surface (cairo_surface_t *surface)
{
  int stride = cairo_image_surface_get_stride (surface);
  int height = cairo_image_surface_get_height (surface);
  g_autoptr(GBytes) bytes = NULL;

  cairo_surface_flush (surface);
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) stride * height,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  return gdk_memory_texture_new (cairo_image_surface_get_width (surface), height,
                                 GDK_MEMORY_DEFAULT, bytes, stride);
}

static void
render_still_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  StillJob *job = task_data;
  cairo_surface_t *surface;
  cairo_t *cr;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, job->width, job->height);
  cr = cairo_create (surface);
  reel_panel_render_parts (job->background, job->sketch, cr, job->width, job->height);
  cairo_destroy (cr);

  /* The sketch alone too, for when a clip plays under it: drawn over the composite as it
   * is here, its pen lines keep their edges (through the plate's 4:2:0 video they took
   * a tint of the key green). */
  if (job->sketch != NULL && !reel_sketch_is_empty (job->sketch))
    {
      cairo_surface_t *overlay = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, job->width,
                                                             job->height);

      cr = cairo_create (overlay);
      reel_sketch_render (job->sketch, cr, job->width, job->height);
      cairo_destroy (cr);
      job->overlay = texture_for_surface (overlay);
    }

  g_task_return_pointer (task, texture_for_surface (surface), g_object_unref);
}

static void
still_rendered (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ReelPreviewView) self = user_data;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), NULL);
  StillJob *job = g_task_get_task_data (G_TASK (result));

  if (texture == NULL || g_task_had_error (G_TASK (result)))
    return;

  g_set_object (&self->still, texture);
  g_set_object (&self->sketch_overlay, job->overlay);
  update_overlay (self);
  if (self->mode == MODE_STILL || (self->mode == MODE_PLATE && !self->ready))
    reel_preview_canvas_set_paintable (self->canvas, GDK_PAINTABLE (self->still));
  if (self->mode == MODE_STILL)
    set_ready (self, TRUE);
}

static void
render_still (ReelPreviewView *self)
{
  g_autoptr(GTask) task = NULL;
  const char *hash;
  StillJob *job;
  double aspect = get_aspect_ratio (self);

  g_clear_handle_id (&self->still_timeout, g_source_remove);
  if (self->current_shot == NULL)
    return;

  reset_cancellable (&self->still_cancellable);

  job = g_new0 (StillJob, 1);
  /* The shot may arrive before its project does (bindings settle in any order). */
  hash = reel_shot_get_background (self->current_shot);
  if (hash != NULL && self->project != NULL)
    g_set_object (&job->background, reel_project_lookup_asset (self->project, hash));
  job->sketch = reel_sketch_copy (reel_shot_get_sketch (self->current_shot));
  /* The size on screen, within reason; before the first allocation, a sensible one. */
  job->width = CLAMP (self->frame_width > 0 ? self->frame_width : 1280, 64, 2560);
  job->height = reel_panel_height_for_width (aspect, job->width);

  task = g_task_new (NULL, self->still_cancellable, still_rendered, g_object_ref (self));
  g_task_set_source_tag (task, render_still);
  g_task_set_task_data (task, job, still_job_free);
  g_task_run_in_thread (task, render_still_thread);
}

static gboolean
render_still_later_cb (gpointer user_data)
{
  ReelPreviewView *self = user_data;

  self->still_timeout = 0;
  render_still (self);
  return G_SOURCE_REMOVE;
}

static void
render_still_later (ReelPreviewView *self)
{
  /* A pen stroke changes the sketch many times a second; draw when it settles. */
  g_clear_handle_id (&self->still_timeout, g_source_remove);
  self->still_timeout = g_timeout_add (150, render_still_later_cb, self);
}

/* The background for the keyer, decoded on a worker thread: a still, or a clip whose
 * frames the keyer takes one by one (with the grey of an empty panel as its still), or
 * for a shot whose camera moves, the move drawn as a clip (reel-camera-move.c) over the
 * still. */

typedef struct
{
  ReelAsset *asset;
  ReelCameraMove *move;
  gint64 n_frames;
  ReelFrameRate rate;
  int width;
  int height;
} BackgroundJob;

static void
background_job_free (gpointer data)
{
  BackgroundJob *job = data;

  g_clear_object (&job->asset);
  g_clear_pointer (&job->move, reel_camera_move_free);
  g_free (job);
}

typedef struct
{
  cairo_surface_t *still;
  ReelClipFrames *clip;
} DecodedBackground;

static void
decoded_background_free (gpointer data)
{
  DecodedBackground *decoded = data;

  g_clear_pointer (&decoded->still, cairo_surface_destroy);
  g_clear_object (&decoded->clip);
  g_free (decoded);
}

static void
decode_background_thread (GTask        *task,
                          gpointer      source_object,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  BackgroundJob *job = task_data;
  ReelAsset *asset = job->asset;
  DecodedBackground *decoded = g_new0 (DecodedBackground, 1);
  cairo_surface_t *surface = NULL;

  if (asset != NULL && reel_asset_is_video (asset))
    {
      g_autoptr(ReelClipFrames) clip = NULL;
      g_autoptr(GFile) file = NULL;
      g_autoptr(GError) error = NULL;

      /* Lazy media: the clip is streamed from the cache folder, not held in memory. */
      file = reel_media_cache_dup_asset_file (asset, cancellable, &error);
      if (file != NULL)
        clip = reel_clip_frames_new_for_file (file);

      /* A clip that does not decode leaves the grey, as a missing still does. */
      if (clip != NULL && reel_clip_frames_open (clip, &error))
        decoded->clip = g_steal_pointer (&clip);
      else
        g_debug ("Background clip %s: %s", reel_asset_get_hash (asset), error->message);
    }
  else if (asset != NULL)
    {
      surface = reel_panel_lookup_surface (asset, NULL);
    }

  if (job->move != NULL)
    {
      g_autoptr(ReelClipFrames) clip = NULL;
      g_autoptr(GFile) file = NULL;
      g_autoptr(GError) error = NULL;

      /* Every frame a key frame, so a seek lands at once; kept in the cache while the
       * pictures stay the same. */
      file = reel_camera_move_write (job->move, NULL, REEL_CAMERA_MOVE_MJPEG_AVI, job->width,
                                     job->height, job->n_frames, job->rate.num, job->rate.den,
                                     cancellable, &error);
      if (file != NULL)
        clip = reel_clip_frames_new_for_file (file);
      /* A move that cannot be drawn leaves the still, as before it moved. */
      if (clip != NULL && reel_clip_frames_open (clip, &error))
        decoded->clip = g_steal_pointer (&clip);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Camera move: %s", error->message);
    }

  if (surface == NULL)
    {
      /* No background, or a video one: the neutral grey of an empty panel. */
      cairo_t *cr;

      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 16, 9);
      cr = cairo_create (surface);
      cairo_set_source_rgb (cr, REEL_PANEL_FILL_RED, REEL_PANEL_FILL_GREEN,
                            REEL_PANEL_FILL_BLUE);
      cairo_paint (cr);
      cairo_destroy (cr);
    }

  decoded->still = surface;
  g_task_return_pointer (task, decoded, decoded_background_free);
}

static void plate_opened (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
background_decoded (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ReelPreviewView) self = user_data;
  DecodedBackground *decoded = g_task_propagate_pointer (G_TASK (result), NULL);

  if (decoded == NULL)
    return;

  /* Switching between a still and a clip swaps the keyer's settings, nothing more. */
  reel_preview_pipeline_set_background (self->pipeline, decoded->still);
  reel_preview_pipeline_set_background_clip (self->pipeline, decoded->clip);
  decoded_background_free (decoded);

  /* Footage waiting for its clip opens now, so its first frame already has the clip
   * under it (a paused frame keyed before would stay without). */
  if (self->open_after_background != NULL)
    {
      g_autoptr(GFile) file = g_steal_pointer (&self->open_after_background);

      reel_preview_pipeline_open_async (self->pipeline, file, self->load_cancellable,
                                        plate_opened, g_object_ref (self));
    }
}

/* The size the keyer works at, for clips drawn for the Preview: sharp enough for the
 * view, small enough to draw in a moment. */
static void
get_clip_size (ReelPreviewView *self,
               int             *width,
               int             *height)
{
  *width = CLAMP (self->frame_width > 0 ? self->frame_width : 960, 64, 960);
  *height = reel_panel_height_for_width (get_aspect_ratio (self), *width);
}

static void
load_background (ReelPreviewView *self)
{
  g_autoptr(GTask) task = NULL;
  BackgroundJob *job;
  const char *hash;
  ReelAsset *asset = NULL;

  if (self->current_shot == NULL)
    return;

  reset_cancellable (&self->background_cancellable);

  hash = reel_shot_get_background (self->current_shot);
  if (hash != NULL && self->project != NULL)
    asset = reel_project_lookup_asset (self->project, hash);

  job = g_new0 (BackgroundJob, 1);
  job->asset = asset != NULL ? g_object_ref (asset) : NULL;
  /* Never with the sketch: the plate goes over it, or the sketch plate carries it. */
  job->move = self->project != NULL
              ? reel_camera_move_new (self->project, self->current_shot, FALSE) : NULL;
  job->n_frames = MAX (reel_shot_get_duration (self->current_shot), 2);
  job->rate = get_frame_rate (self);
  get_clip_size (self, &job->width, &job->height);
  /* A plate longer than the shot plays on past the move's end: the end holds, rather than
   * the move starting again under it. */
  if (job->move != NULL && current_plate (self) != NULL)
    {
      ReelPlate *plate = current_plate (self);
      gint64 plate_frames = reel_timecode_ns_to_frames (reel_plate_get_duration (plate),
                                                        job->rate);

      reel_camera_move_set_move_frames (job->move, job->n_frames);
      job->n_frames = MAX (job->n_frames, plate_frames + 1);
    }

  task = g_task_new (NULL, self->background_cancellable, background_decoded,
                     g_object_ref (self));
  g_task_set_source_tag (task, load_background);
  g_task_set_task_data (task, job, background_job_free);
  g_task_run_in_thread (task, decode_background_thread);
}

/* Loading the shot */

/* What the transport drives: the plate's pipeline or the reel's player, one interface for
 * both (NULL for a still or nothing). */
static ReelPlayback *
current_playback (ReelPreviewView *self)
{
  switch (self->mode)
    {
    case MODE_PLATE:
      return REEL_PLAYBACK (self->pipeline);
    case MODE_SEQUENCE:
      return REEL_PLAYBACK (self->player);
    case MODE_STILL:
    case MODE_EMPTY:
    default:
      return NULL;
    }
}

static void
sync_transport (ReelPreviewView *self)
{
  ReelFrameRate rate = get_frame_rate (self);
  ReelPlayback *playback = current_playback (self);

  reel_transport_bar_set_frame_rate (self->transport, rate.num, rate.den);

  if (playback != NULL)
    {
      reel_transport_bar_set_duration (self->transport, reel_playback_get_duration (playback));
      reel_transport_bar_set_position (self->transport, reel_playback_get_position (playback));
      reel_transport_bar_set_playing (self->transport, reel_playback_get_playing (playback));
      update_actions (self);
      return;
    }

  switch (self->mode)
    {
    case MODE_STILL:
      reel_transport_bar_set_duration (self->transport,
                                       reel_shot_get_duration (self->current_shot));
      reel_transport_bar_set_position (self->transport, 0);
      reel_transport_bar_set_playing (self->transport, FALSE);
      break;

    case MODE_EMPTY:
    default:
      reel_transport_bar_set_duration (self->transport, 0);
      reel_transport_bar_set_position (self->transport, 0);
      reel_transport_bar_set_playing (self->transport, FALSE);
      break;
    }

  update_actions (self);
}

static void
set_mode (ReelPreviewView *self,
          Mode             mode)
{
  self->mode = mode;
  gtk_widget_set_visible (self->empty_page, mode == MODE_EMPTY);
  gtk_widget_set_visible (self->stop_sequence_button, mode == MODE_SEQUENCE);
  sync_transport (self);
  update_overlay (self);
}

static void
show_composite (ReelPreviewView *self)
{
  ReelVideoPaintable *composite = reel_preview_pipeline_get_paintable (self->pipeline);

  if (self->mode != MODE_PLATE || reel_video_paintable_get_texture (composite) == NULL)
    return;

  reel_preview_canvas_set_paintable (self->canvas, GDK_PAINTABLE (composite));
  set_ready (self, TRUE);
}

static void
plate_opened (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ReelPreviewView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!reel_preview_pipeline_open_finish (REEL_PREVIEW_PIPELINE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      /* Never a black frame: the still stays, and the banner says why. */
      set_mode (self, MODE_STILL);
      if (self->still != NULL)
        reel_preview_canvas_set_paintable (self->canvas, GDK_PAINTABLE (self->still));
      show_message (self, error->message,
                    g_error_matches (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NOT_FOUND));
      set_ready (self, self->still != NULL);
      return;
    }

  show_message (self, NULL, FALSE);
  sync_transport (self);

  /* The first frame may still be on its way to the paintable: keep the still until it
   * is there rather than show an empty frame. */
  if (reel_video_paintable_get_texture (reel_preview_pipeline_get_paintable (self->pipeline))
      != NULL)
    show_composite (self);
}

/* The shot's background when it is a clip, else NULL. */
static ReelAsset *
current_clip_background (ReelPreviewView *self)
{
  const char *hash = self->current_shot != NULL
                     ? reel_shot_get_background (self->current_shot) : NULL;
  ReelAsset *asset = hash != NULL && self->project != NULL
                     ? reel_project_lookup_asset (self->project, hash) : NULL;

  return asset != NULL && reel_asset_is_video (asset) ? asset : NULL;
}

/* Whether the shot's background moves: a clip, or a still (or the gray-box) that the
 * camera's move pans or redraws. */
static gboolean
background_moves (ReelPreviewView *self)
{
  return current_clip_background (self) != NULL
         || (self->current_shot != NULL && self->project != NULL
             && reel_camera_move_applies (self->project, self->current_shot));
}

/* A clip background played on its own: the pipeline's plate is the key green alone, as long
 * as the shot (reel-sketch-plate.c), made on a worker thread; the sketch goes over the
 * composite as the canvas's overlay. */

typedef struct
{
  gint64 n_frames;
  ReelFrameRate rate;
  int width;
  int height;
} SketchPlateJob;

static void
sketch_plate_job_free (gpointer data)
{
  g_free (data);
}

static void
sketch_plate_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SketchPlateJob *job = task_data;
  GError *error = NULL;
  GFile *file;

  file = reel_sketch_plate_write (job->n_frames, job->rate.num, job->rate.den, job->width,
                                  job->height, cancellable, &error);
  if (file == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, file, g_object_unref);
}

static void
clip_written (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ReelPreviewView) self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  file = g_task_propagate_pointer (G_TASK (result), &error);
  if (file == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_mode (self, MODE_STILL);
      show_message (self, error->message, FALSE);
      set_ready (self, self->still != NULL);
      return;
    }

  g_set_object (&self->open_after_background, file);
  load_background (self);
}

/* A shot without a plate plays its clip background on its own, for the shot's duration
 * (the clip loops), with the sketch over it as over a still: the plate is the key green,
 * keyed over the clip, and the sketch is drawn over that as it is (update_overlay()). */
static void
play_clip_background (ReelPreviewView *self)
{
  g_autoptr(GTask) task = NULL;
  SketchPlateJob *job = g_new0 (SketchPlateJob, 1);

  set_mode (self, MODE_PLATE);
  reel_preview_pipeline_set_frame_rate (self->pipeline, get_frame_rate (self).num,
                                        get_frame_rate (self).den);
  /* The plate is the key green alone (the sketch goes over the composite, update_overlay()):
   * all of it keyed away, the clip shows whole. */
  reel_preview_pipeline_set_key (self->pipeline, REEL_SKETCH_PLATE_KEY_COLOR, 0.4, 0.1, 1.0);
  reel_preview_pipeline_set_background_placement (self->pipeline, 1.0, 0.0, 0.0);
  reel_preview_pipeline_set_plate_placement (self->pipeline, 1.0, 0.0, 0.0);
  reel_preview_pipeline_set_muted (self->pipeline, TRUE);

  job->n_frames = MAX (reel_shot_get_duration (self->current_shot), 1);
  job->rate = get_frame_rate (self);
  /* Sharp enough for the lines, small enough to encode in a moment. */
  get_clip_size (self, &job->width, &job->height);

  task = g_task_new (NULL, self->load_cancellable, clip_written, g_object_ref (self));
  g_task_set_source_tag (task, play_clip_background);
  g_task_set_task_data (task, job, sketch_plate_job_free);
  g_task_run_in_thread (task, sketch_plate_thread);
}

static gboolean plays_sketch_plate (ReelPreviewView *self);

static gboolean
sketch_plate_later_cb (gpointer user_data)
{
  ReelPreviewView *self = user_data;

  self->sketch_plate_timeout = 0;
  if (plays_sketch_plate (self))
    reload (self);
  return G_SOURCE_REMOVE;
}

/* The sketch or the duration of a shot that plays its clip background changed: a new
 * plate once the pen stops. */
static void
sketch_plate_later (ReelPreviewView *self)
{
  g_clear_handle_id (&self->sketch_plate_timeout, g_source_remove);
  self->sketch_plate_timeout = g_timeout_add (400, sketch_plate_later_cb, self);
}

/* The shot plays its moving background with the sketch as the plate. */
static gboolean
plays_sketch_plate (ReelPreviewView *self)
{
  return self->mode == MODE_PLATE && current_plate (self) == NULL && background_moves (self);
}

/* The sketch over a clip (or a camera move) that plays without a plate, once it plays: the
 * still shown meanwhile has the sketch already. */
static void
update_overlay (ReelPreviewView *self)
{
  reel_preview_canvas_set_overlay (self->canvas,
                                   plays_sketch_plate (self) && self->ready
                                   && self->sketch_overlay != NULL
                                   ? GDK_PAINTABLE (self->sketch_overlay) : NULL);
}

static void
reload (ReelPreviewView *self)
{
  ReelPlate *plate = current_plate (self);

  reset_cancellable (&self->load_cancellable);
  g_clear_object (&self->open_after_background);
  reel_preview_pipeline_close (self->pipeline);
  show_message (self, NULL, FALSE);
  g_clear_object (&self->still);
  g_clear_object (&self->sketch_overlay);
  update_footage_row (self);
  update_key_controls (self);

  if (self->current_shot == NULL)
    {
      reel_preview_canvas_set_paintable (self->canvas, NULL);
      set_mode (self, MODE_EMPTY);
      set_ready (self, TRUE);
      return;
    }

  reel_preview_canvas_set_paintable (self->canvas, NULL);
  set_ready (self, FALSE);

  /* The still is drawn either way: it is the picture while the plate opens, and what
   * shows if it cannot. */
  render_still (self);

  if (plate == NULL && background_moves (self))
    {
      play_clip_background (self);
      return;
    }

  if (plate == NULL)
    {
      set_mode (self, MODE_STILL);
      return;
    }

  {
    g_autoptr(GFile) file = reel_plate_resolve (plate, get_project_file (self));

    set_mode (self, MODE_PLATE);
    reel_preview_pipeline_set_frame_rate (self->pipeline, get_frame_rate (self).num,
                                          get_frame_rate (self).den);
    apply_plate_settings (self);
    if (background_moves (self))
      {
        g_set_object (&self->open_after_background, file);
        load_background (self);
      }
    else
      {
        load_background (self);
        reel_preview_pipeline_open_async (self->pipeline, file, self->load_cancellable,
                                          plate_opened, g_object_ref (self));
      }
  }
}

/* Pipeline and player → transport */

/* One handler for both players: only the one the transport drives counts. */
static void
on_playback_notify (ReelPreviewView *self,
                    GParamSpec      *pspec,
                    ReelPlayback    *playback)
{
  if (playback == current_playback (self))
    sync_transport (self);
}

static void
on_pipeline_error (ReelPreviewView *self,
                   const GError    *error)
{
  show_message (self, error->message, FALSE);
}

static void
on_player_shot (ReelPreviewView *self)
{
  const char *id = reel_animatic_player_get_shot_id (self->player);
  ReelShot *shot;

  if (self->mode != MODE_SEQUENCE || id == NULL || self->project == NULL)
    return;

  /* The other views follow the reel through the window's current shot. */
  shot = reel_project_find_shot (self->project, id, NULL, NULL);
  if (shot != NULL && shot != self->current_shot)
    {
      self->following_reel = TRUE;
      reel_preview_view_set_current_shot (self, shot);
      self->following_reel = FALSE;
    }
}

/* Model notifications */

static void
on_plate_notify (ReelPreviewView *self,
                 GParamSpec      *pspec)
{
  if (g_str_equal (pspec->name, "path"))
    {
      if (self->mode != MODE_SEQUENCE)
        reload (self);
      return;
    }

  update_key_controls (self);
  update_footage_row (self);
  if (self->mode == MODE_PLATE)
    apply_plate_settings (self);
  if (g_str_equal (pspec->name, "muted"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
}

/* What a camera move is drawn from changed (the camera, or the scene's set or light): a
 * camera that starts or stops moving changes what plays; a moving one, the clip of its
 * move. */
static void
move_source_changed (ReelPreviewView *self)
{
  if (current_plate (self) == NULL
      && (self->mode == MODE_STILL) != !background_moves (self))
    reload (self);
  else if (plays_sketch_plate (self) || self->mode == MODE_PLATE)
    load_background (self);
}

static gboolean
set_changed_later_cb (gpointer user_data)
{
  ReelPreviewView *self = user_data;

  self->set_timeout = 0;
  if (self->mode != MODE_SEQUENCE)
    move_source_changed (self);
  return G_SOURCE_REMOVE;
}

/* A drag on the set's plan edits it many times a second: the move is drawn again once
 * the edit settles. */
static void
on_scene_notify (ReelPreviewView *self,
                 GParamSpec      *pspec)
{
  if (!g_str_equal (pspec->name, "set") && !g_str_equal (pspec->name, "time-of-day"))
    return;
  g_clear_handle_id (&self->set_timeout, g_source_remove);
  self->set_timeout = g_timeout_add (300, set_changed_later_cb, self);
}

static void
on_shot_notify (ReelPreviewView *self,
                GParamSpec      *pspec)
{
  if (self->mode == MODE_SEQUENCE)
    return;

  if (g_str_equal (pspec->name, "plate"))
    {
      g_signal_group_set_target (self->plate_signals, current_plate (self));
      reload (self);
    }
  else if (g_str_equal (pspec->name, "background"))
    {
      render_still_later (self);
      /* Without a plate, a clip plays and a still shows: another mode. */
      if (current_plate (self) == NULL)
        reload (self);
      else if (self->mode == MODE_PLATE)
        load_background (self);
    }
  else if (g_str_equal (pspec->name, "camera"))
    {
      move_source_changed (self);
    }
  else if (g_str_equal (pspec->name, "duration") && self->mode == MODE_PLATE
           && current_plate (self) != NULL && background_moves (self)
           && current_clip_background (self) == NULL)
    {
      /* The move spans the shot: a longer shot, a slower move. */
      load_background (self);
    }
  else if (g_str_equal (pspec->name, "duration") && self->mode == MODE_STILL)
    {
      sync_transport (self);
    }
  else if (g_str_equal (pspec->name, "duration") && plays_sketch_plate (self))
    {
      sketch_plate_later (self);
    }
}

static void
on_sketch_changed (ReelPreviewView *self)
{
  /* Over a clip, the sketch is the overlay drawn with the still. */
  if (self->mode == MODE_STILL || !self->ready || plays_sketch_plate (self))
    render_still_later (self);
}

static void
on_project_notify (ReelPreviewView *self,
                   GParamSpec      *pspec)
{
  if (g_str_equal (pspec->name, "aspect-ratio"))
    {
      reel_preview_canvas_set_aspect_ratio (self->canvas, get_aspect_ratio (self));
      if (self->mode != MODE_SEQUENCE)
        reload (self);
    }
  else if (g_str_has_prefix (pspec->name, "frame-rate"))
    {
      ReelFrameRate rate = get_frame_rate (self);

      reel_preview_pipeline_set_frame_rate (self->pipeline, rate.num, rate.den);
      sync_transport (self);
    }
}

/* Edits */

static void
edit_double (ReelPreviewView *self,
             const char      *property,
             double           value)
{
  ReelPlate *plate = current_plate (self);

  if (plate != NULL && self->project != NULL && !self->updating_controls)
    reel_edit_set_double (self->project, G_OBJECT (plate), property, value);
}

static void
edit_key_color (ReelPreviewView *self,
                guint32          rgb)
{
  ReelPlate *plate = current_plate (self);

  if (plate != NULL && self->project != NULL && !self->updating_controls)
    reel_edit_set_uint (self->project, G_OBJECT (plate), "key-color", rgb & 0xffffff);
}

static void
begin_group (ReelPreviewView *self,
             const char      *label)
{
  reel_history_gesture_begin (&self->gesture,
                              self->project != NULL ? reel_project_get_history (self->project)
                                                    : NULL,
                              label);
}

static void
on_similarity_changed (ReelPreviewView *self)
{
  edit_double (self, "similarity", gtk_adjustment_get_value (self->similarity));
}

static void
on_softness_changed (ReelPreviewView *self)
{
  edit_double (self, "softness", gtk_adjustment_get_value (self->softness));
}

static void
on_spill_changed (ReelPreviewView *self)
{
  edit_double (self, "spill", gtk_adjustment_get_value (self->spill));
}

static void
on_background_scale_changed (ReelPreviewView *self)
{
  edit_double (self, "background-scale", gtk_adjustment_get_value (self->background_scale));
}

static void
on_plate_scale_changed (ReelPreviewView *self)
{
  edit_double (self, "plate-scale", gtk_adjustment_get_value (self->plate_scale));
}

/* A slider drag is one undo step: the pointer's press and release bracket it. */
static gboolean
on_slider_event (GtkEventControllerLegacy *controller,
                 GdkEvent                 *event,
                 ReelPreviewView          *self)
{
  switch ((int) gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
    case GDK_TOUCH_BEGIN:
      begin_group (self, _("Change Key"));
      break;
    case GDK_BUTTON_RELEASE:
    case GDK_TOUCH_END:
    case GDK_TOUCH_CANCEL:
    case GDK_GRAB_BROKEN:
      reel_history_gesture_end (&self->gesture);
      break;
    default:
      break;
    }

  return GDK_EVENT_PROPAGATE;
}

static void
on_color_set (ReelPreviewView *self)
{
  GdkRGBA rgba;

  gtk_color_chooser_get_rgba (GTK_COLOR_CHOOSER (self->color_button), &rgba);
  edit_key_color (self, ((guint32) (rgba.red * 255 + 0.5) << 16)
                        | ((guint32) (rgba.green * 255 + 0.5) << 8)
                        | (guint32) (rgba.blue * 255 + 0.5));
}

static gboolean
parse_hex_color (const char *text,
                 guint32    *rgb)
{
  char *end = NULL;
  guint64 value;

  text += strspn (text, " \t");
  if (*text == '#')
    text++;
  if (strlen (text) < 6 || !g_ascii_isxdigit (text[0]))
    return FALSE;

  value = g_ascii_strtoull (text, &end, 16);
  if (end != text + 6 || *(end + strspn (end, " \t")) != '\0')
    return FALSE;

  *rgb = (guint32) value;
  return TRUE;
}

static void
on_color_entry_activate (ReelPreviewView *self)
{
  guint32 rgb;

  if (!parse_hex_color (gtk_editable_get_text (GTK_EDITABLE (self->color_entry)), &rgb))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->color_entry), "error");
      gtk_widget_error_bell (GTK_WIDGET (self->color_entry));
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->color_entry), "error");
  edit_key_color (self, rgb);
}

/* The canvas's tools */

static void
on_canvas_pick (ReelPreviewView *self,
                double           x,
                double           y)
{
  guint32 rgb;

  if (self->mode != MODE_PLATE)
    return;

  if (reel_preview_pipeline_pick_color (self->pipeline, x, y, &rgb))
    edit_key_color (self, rgb);

  /* One pick, then back to looking. */
  g_object_set (self, "tool", "none", NULL);
}

static void
on_canvas_move_begin (ReelPreviewView *self,
                      ReelPreviewTool  tool)
{
  ReelPlate *plate = current_plate (self);

  if (plate == NULL)
    return;

  if (tool == REEL_PREVIEW_TOOL_MOVE_BACKGROUND)
    {
      self->move_start_x = reel_plate_get_background_x (plate);
      self->move_start_y = reel_plate_get_background_y (plate);
      begin_group (self, _("Move Background"));
    }
  else
    {
      self->move_start_x = reel_plate_get_plate_x (plate);
      self->move_start_y = reel_plate_get_plate_y (plate);
      begin_group (self, _("Move Plate"));
    }
}

static void
on_canvas_move (ReelPreviewView *self,
                ReelPreviewTool  tool,
                double           dx,
                double           dy)
{
  gboolean background = tool == REEL_PREVIEW_TOOL_MOVE_BACKGROUND;

  edit_double (self, background ? "background-x" : "plate-x",
               CLAMP (self->move_start_x + dx, -2.0, 2.0));
  edit_double (self, background ? "background-y" : "plate-y",
               CLAMP (self->move_start_y + dy, -2.0, 2.0));
}

static void
on_canvas_move_end (ReelPreviewView *self)
{
  reel_history_gesture_end (&self->gesture);
}

static void
on_canvas_scale (ReelPreviewView *self,
                 ReelPreviewTool  tool,
                 double           factor)
{
  ReelPlate *plate = current_plate (self);
  gboolean background = tool == REEL_PREVIEW_TOOL_MOVE_BACKGROUND;
  double scale;

  if (plate == NULL)
    return;

  scale = background ? reel_plate_get_background_scale (plate) : reel_plate_get_plate_scale (plate);
  edit_double (self, background ? "background-scale" : "plate-scale",
               CLAMP (scale * factor, 0.1, 10.0));
}

static void
on_canvas_resized (ReelPreviewView *self);

static gboolean
apply_frame_size_cb (gpointer user_data)
{
  ReelPreviewView *self = user_data;
  graphene_rect_t frame;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int width;

  self->resize_timeout = 0;
  reel_preview_canvas_get_frame_rect (self->canvas, &frame);
  width = (int) (frame.size.width * scale);
  if (width <= 0)
    return G_SOURCE_REMOVE;

  self->frame_width = width;
  self->frame_height = (int) (frame.size.height * scale);

  /* Composite at the size shown (up to full HD): nothing keyed that nobody sees. */
  width = MIN (width, 1920);
  reel_preview_pipeline_set_output_size (self->pipeline, width,
                                         MAX (2, (int) (width / get_aspect_ratio (self))));
  if (self->mode == MODE_STILL && self->still != NULL
      && ABS (gdk_texture_get_width (self->still) - self->frame_width) > 64)
    render_still_later (self);

  return G_SOURCE_REMOVE;
}

static void
on_canvas_resized (ReelPreviewView *self)
{
  g_clear_handle_id (&self->resize_timeout, g_source_remove);
  self->resize_timeout = g_timeout_add (250, apply_frame_size_cb, self);
}

/* Actions */

static void
update_actions (ReelPreviewView *self)
{
  gboolean playable = self->mode == MODE_PLATE || self->mode == MODE_SEQUENCE;
  gboolean has_plate = current_plate (self) != NULL;
  gboolean has_project = self->project != NULL && reel_project_get_n_shots (self->project) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.play-pause", playable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.step-forward", playable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.step-backward", playable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.seek", playable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.attach-footage",
                                 self->current_shot != NULL && self->mode != MODE_SEQUENCE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.detach-footage",
                                 has_plate && self->mode != MODE_SEQUENCE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.relink", has_plate);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.choose-footage", has_plate);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.reset-placement", has_plate);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.play-scene",
                                 self->current_shot != NULL
                                 && reel_shot_get_scene (self->current_shot) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.play-project", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.stop-sequence",
                                 self->mode == MODE_SEQUENCE);
}

static void
play_pause_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ReelPlayback *playback = current_playback (REEL_PREVIEW_VIEW (widget));

  if (playback != NULL)
    reel_playback_toggle (playback);
}

static void
step (ReelPreviewView *self,
      int              frames)
{
  ReelPlayback *playback = current_playback (self);

  if (playback != NULL)
    reel_playback_step (playback, frames);
}

static void
step_forward_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  step (REEL_PREVIEW_VIEW (widget), 1);
}

static void
step_backward_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  step (REEL_PREVIEW_VIEW (widget), -1);
}

static void
seek (ReelPreviewView *self,
      gint64           frame)
{
  ReelPlayback *playback = current_playback (self);

  if (playback != NULL)
    reel_playback_seek_frame (playback, frame);
}

static void
seek_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  seek (REEL_PREVIEW_VIEW (widget), g_variant_get_int64 (parameter));
}

static void
on_transport_seek (ReelPreviewView *self,
                   gint64           frame)
{
  seek (self, frame);
}

static void
plate_linked (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ReelPreviewView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelPlate) plate = reel_plate_link_finish (result, &error);

  if (plate == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self, error->message, FALSE);
      return;
    }

  if (self->project != NULL && self->current_shot != NULL)
    reel_edit_set_plate (self->project, self->current_shot, plate);
}

static void
attach_response (GtkNativeDialog *dialog,
                 int              response,
                 ReelPreviewView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      reel_plate_link_async (file, get_project_file (self), self->load_cancellable,
                             plate_linked, g_object_ref (self));
    }

  g_object_unref (dialog);
  g_object_unref (self);
}

static GtkFileChooserNative *
new_footage_chooser (ReelPreviewView *self,
                     const char      *title)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) videos = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Attach"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);

  gtk_file_filter_set_name (videos, _("Videos"));
  gtk_file_filter_add_mime_type (videos, "video/*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), videos);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);

  return dialog;
}

static void
attach_footage_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ReelPreviewView *self = REEL_PREVIEW_VIEW (widget);
  GtkFileChooserNative *dialog = new_footage_chooser (self, _("Attach Reference Footage"));

  g_signal_connect (dialog, "response", G_CALLBACK (attach_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
detach_footage_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ReelPreviewView *self = REEL_PREVIEW_VIEW (widget);

  if (self->project != NULL && self->current_shot != NULL)
    reel_edit_set_plate (self->project, self->current_shot, NULL);
}

/* Points the plate at @file, keeping its key and placement; one undo step. */
static void
relink_to (ReelPreviewView *self,
           ReelPlate       *plate,
           GFile           *file,
           ReelPlate       *identity)
{
  g_autofree char *path = reel_plate_make_relative_path (get_project_file (self), file);

  if (self->project == NULL)
    return;

  reel_history_begin_group (reel_project_get_history (self->project), _("Relink Footage"));
  if (identity != NULL)
    {
      reel_edit_set_int64 (self->project, G_OBJECT (plate), "file-size",
                           reel_plate_get_file_size (identity));
      reel_edit_set_string (self->project, G_OBJECT (plate), "hash",
                            reel_plate_get_hash (identity));
    }
  reel_edit_set_string (self->project, G_OBJECT (plate), "path", path);
  reel_history_end_group (reel_project_get_history (self->project));
}

static void
relinked (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(ReelPreviewView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) found = reel_plate_relink_finish (result, &error);
  ReelPlate *plate = current_plate (self);

  if (found == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self, error->message, TRUE);
      return;
    }

  if (plate != NULL)
    relink_to (self, plate, found, NULL);
}

static void
relink_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ReelPreviewView *self = REEL_PREVIEW_VIEW (widget);
  ReelPlate *plate = current_plate (self);
  GFile *project_file = get_project_file (self);
  g_autoptr(GFile) root = NULL;

  if (plate == NULL)
    return;

  /* The project's folder; for an unsaved project, where the footage was expected. */
  if (project_file != NULL)
    root = g_file_get_parent (project_file);
  else
    {
      g_autoptr(GFile) expected = reel_plate_resolve (plate, NULL);
      root = g_file_get_parent (expected);
    }
  if (root == NULL)
    return;

  show_message (self, _("Looking for the footage…"), FALSE);
  reel_plate_relink_async (plate, root, self->load_cancellable, relinked, g_object_ref (self));
}

static void
chosen_linked (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ReelPreviewView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelPlate) identity = reel_plate_link_finish (result, &error);
  ReelPlate *plate = current_plate (self);
  g_autoptr(GFile) file = NULL;

  if (identity == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self, error->message, TRUE);
      return;
    }

  if (plate == NULL)
    return;

  file = reel_plate_resolve (identity, get_project_file (self));
  relink_to (self, plate, file, identity);
}

static void
choose_response (GtkNativeDialog *dialog,
                 int              response,
                 ReelPreviewView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      reel_plate_link_async (file, get_project_file (self), self->load_cancellable,
                             chosen_linked, g_object_ref (self));
    }

  g_object_unref (dialog);
  g_object_unref (self);
}

static void
choose_footage_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ReelPreviewView *self = REEL_PREVIEW_VIEW (widget);
  GtkFileChooserNative *dialog = new_footage_chooser (self, _("Find the Reference Footage"));

  g_signal_connect (dialog, "response", G_CALLBACK (choose_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
reset_placement_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ReelPreviewView *self = REEL_PREVIEW_VIEW (widget);
  static const char * const names[] = { "background-x", "background-y", "plate-x", "plate-y" };

  if (current_plate (self) == NULL || self->project == NULL)
    return;

  reel_history_begin_group (reel_project_get_history (self->project), _("Reset Placement"));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    edit_double (self, names[i], 0.0);
  edit_double (self, "background-scale", 1.0);
  edit_double (self, "plate-scale", 1.0);
  reel_history_end_group (reel_project_get_history (self->project));
}

static void
sequence_loaded (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ReelPreviewView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!reel_animatic_player_load_finish (REEL_ANIMATIC_PLAYER (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_message (self, error->message, FALSE);
      reload (self);
      return;
    }

  reel_preview_canvas_set_paintable (
    self->canvas, GDK_PAINTABLE (reel_animatic_player_get_paintable (self->player)));
  set_ready (self, TRUE);
  sync_transport (self);
  reel_animatic_player_play (self->player);
}

static void
play_sequence (ReelPreviewView *self,
               ReelScene       *scene)
{
  if (self->project == NULL)
    return;

  reset_cancellable (&self->load_cancellable);
  reel_preview_pipeline_close (self->pipeline);
  show_message (self, NULL, FALSE);
  set_mode (self, MODE_SEQUENCE);
  set_ready (self, FALSE);
  reel_animatic_player_load_async (self->player, self->project, scene, get_project_file (self),
                                   self->load_cancellable, sequence_loaded,
                                   g_object_ref (self));
}

static void
play_scene_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ReelPreviewView *self = REEL_PREVIEW_VIEW (widget);

  if (self->current_shot != NULL && reel_shot_get_scene (self->current_shot) != NULL)
    play_sequence (self, reel_shot_get_scene (self->current_shot));
}

static void
play_project_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  play_sequence (REEL_PREVIEW_VIEW (widget), NULL);
}

static void
stop_sequence_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  ReelPreviewView *self = REEL_PREVIEW_VIEW (widget);

  if (self->mode != MODE_SEQUENCE)
    return;

  reel_animatic_player_unload (self->player);
  self->mode = MODE_EMPTY;
  reload (self);
}

/* Properties */

static gboolean
get_muted (ReelPreviewView *self)
{
  ReelPlate *plate = current_plate (self);

  return plate != NULL && reel_plate_get_muted (plate);
}

static void
set_tool (ReelPreviewView *self,
          const char      *tool)
{
  ReelPreviewTool canvas_tool = REEL_PREVIEW_TOOL_NONE;

  if (tool == NULL || (!g_str_equal (tool, "eyedropper") && !g_str_equal (tool, "background")
                       && !g_str_equal (tool, "plate")))
    tool = "none";

  if (g_strcmp0 (self->tool, tool) == 0)
    return;

  g_free (self->tool);
  self->tool = g_strdup (tool);

  if (g_str_equal (tool, "eyedropper"))
    canvas_tool = REEL_PREVIEW_TOOL_EYEDROPPER;
  else if (g_str_equal (tool, "background"))
    canvas_tool = REEL_PREVIEW_TOOL_MOVE_BACKGROUND;
  else if (g_str_equal (tool, "plate"))
    canvas_tool = REEL_PREVIEW_TOOL_MOVE_PLATE;
  reel_preview_canvas_set_tool (self->canvas, canvas_tool);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
}

static ReelGuideFlags
guide_for_prop (guint prop_id)
{
  switch (prop_id)
    {
    case PROP_SHOW_MASK:
      return REEL_GUIDE_MASK;
    case PROP_SHOW_THIRDS:
      return REEL_GUIDE_THIRDS;
    case PROP_SHOW_ACTION_SAFE:
      return REEL_GUIDE_ACTION_SAFE;
    case PROP_SHOW_TITLE_SAFE:
      return REEL_GUIDE_TITLE_SAFE;
    default:
      return REEL_GUIDE_NONE;
    }
}

static void
reel_preview_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ReelPreviewView *self = REEL_PREVIEW_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_CURRENT_SHOT:
      g_value_set_object (value, self->current_shot);
      break;
    case PROP_LOOP:
      g_value_set_boolean (value, self->loop);
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, get_muted (self));
      break;
    case PROP_TOOL:
      g_value_set_string (value, self->tool);
      break;
    case PROP_SHOW_MASK:
    case PROP_SHOW_THIRDS:
    case PROP_SHOW_ACTION_SAFE:
    case PROP_SHOW_TITLE_SAFE:
      g_value_set_boolean (value, (self->guides & guide_for_prop (prop_id)) != 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_preview_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  ReelPreviewView *self = REEL_PREVIEW_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      reel_preview_view_set_project (self, g_value_get_object (value));
      break;
    case PROP_CURRENT_SHOT:
      reel_preview_view_set_current_shot (self, g_value_get_object (value));
      break;
    case PROP_LOOP:
      if (self->loop != g_value_get_boolean (value))
        {
          self->loop = g_value_get_boolean (value);
          reel_preview_pipeline_set_loop (self->pipeline, self->loop);
          reel_animatic_player_set_loop (self->player, self->loop);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_MUTED:
      {
        ReelPlate *plate = current_plate (self);

        if (plate != NULL && self->project != NULL)
          reel_edit_set_boolean (self->project, G_OBJECT (plate), "muted",
                                 g_value_get_boolean (value));
      }
      break;
    case PROP_TOOL:
      set_tool (self, g_value_get_string (value));
      break;
    case PROP_SHOW_MASK:
    case PROP_SHOW_THIRDS:
    case PROP_SHOW_ACTION_SAFE:
    case PROP_SHOW_TITLE_SAFE:
      {
        ReelGuideFlags guides = self->guides;

        if (g_value_get_boolean (value))
          guides |= guide_for_prop (prop_id);
        else
          guides &= ~guide_for_prop (prop_id);

        if (guides != self->guides)
          {
            self->guides = guides;
            reel_preview_canvas_set_guides (self->canvas, guides);
            g_object_notify_by_pspec (object, pspec);
          }
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
focus_canvas_cb (gpointer user_data)
{
  ReelPreviewView *self = user_data;

  self->focus_idle = 0;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->canvas));

  return G_SOURCE_REMOVE;
}

static void
reel_preview_view_map (GtkWidget *widget)
{
  ReelPreviewView *self = REEL_PREVIEW_VIEW (widget);

  GTK_WIDGET_CLASS (reel_preview_view_parent_class)->map (widget);

  /* Space and the frame-step keys work as soon as the view shows. After the page switch
   * has settled: unmapping the previous page moves the focus too. */
  g_clear_handle_id (&self->focus_idle, g_source_remove);
  self->focus_idle = g_idle_add (focus_canvas_cb, self);
}

static void
reel_preview_view_unmap (GtkWidget *widget)
{
  ReelPreviewView *self = REEL_PREVIEW_VIEW (widget);

  /* Nobody watches a hidden preview: stop playback (not the plate), and a drag
   * whose release will not come here ends. */
  reel_history_gesture_end (&self->gesture);
  reel_preview_pipeline_pause (self->pipeline);
  reel_animatic_player_pause (self->player);

  GTK_WIDGET_CLASS (reel_preview_view_parent_class)->unmap (widget);
}

static void
reel_preview_view_dispose (GObject *object)
{
  ReelPreviewView *self = REEL_PREVIEW_VIEW (object);

  reel_history_gesture_end (&self->gesture);
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  if (self->still_cancellable != NULL)
    g_cancellable_cancel (self->still_cancellable);
  if (self->background_cancellable != NULL)
    g_cancellable_cancel (self->background_cancellable);
  g_clear_handle_id (&self->still_timeout, g_source_remove);
  g_clear_handle_id (&self->sketch_plate_timeout, g_source_remove);
  g_clear_handle_id (&self->set_timeout, g_source_remove);
  g_clear_handle_id (&self->resize_timeout, g_source_remove);
  g_clear_handle_id (&self->focus_idle, g_source_remove);

  if (self->pipeline != NULL)
    {
      g_signal_handlers_disconnect_by_data (reel_preview_pipeline_get_paintable (self->pipeline),
                                            self);
      g_signal_handlers_disconnect_by_data (self->pipeline, self);
      reel_preview_pipeline_close (self->pipeline);
    }
  if (self->player != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->player, self);
      reel_animatic_player_unload (self->player);
    }

  g_signal_group_set_target (self->project_signals, NULL);
  g_signal_group_set_target (self->shot_signals, NULL);
  g_signal_group_set_target (self->scene_signals, NULL);
  g_signal_group_set_target (self->plate_signals, NULL);
  g_signal_group_set_target (self->sketch_signals, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (object), REEL_TYPE_PREVIEW_VIEW);

  g_clear_object (&self->project_signals);
  g_clear_object (&self->shot_signals);
  g_clear_object (&self->scene_signals);
  g_clear_object (&self->plate_signals);
  g_clear_object (&self->sketch_signals);
  g_clear_object (&self->pipeline);
  g_clear_object (&self->player);
  g_clear_object (&self->still);
  g_clear_object (&self->sketch_overlay);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->open_after_background);
  g_clear_object (&self->still_cancellable);
  g_clear_object (&self->background_cancellable);
  g_clear_object (&self->project);
  g_clear_object (&self->current_shot);
  g_clear_object (&self->project_file);

  G_OBJECT_CLASS (reel_preview_view_parent_class)->dispose (object);
}

static void
reel_preview_view_finalize (GObject *object)
{
  ReelPreviewView *self = REEL_PREVIEW_VIEW (object);

  g_free (self->tool);
  g_free (self->message);

  G_OBJECT_CLASS (reel_preview_view_parent_class)->finalize (object);
}

static void
reel_preview_view_class_init (ReelPreviewViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  object_class->dispose = reel_preview_view_dispose;
  object_class->finalize = reel_preview_view_finalize;
  object_class->get_property = reel_preview_view_get_property;
  object_class->set_property = reel_preview_view_set_property;
  widget_class->map = reel_preview_view_map;
  widget_class->unmap = reel_preview_view_unmap;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, REEL_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CURRENT_SHOT] =
    g_param_spec_object ("current-shot", NULL, NULL, REEL_TYPE_SHOT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOOP] =
    g_param_spec_boolean ("loop", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MUTED] =
    g_param_spec_boolean ("muted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * ReelPreviewView:tool:
   *
   * What the pointer does on the picture: "none", "eyedropper", "background" (drag and
   * scroll move and scale the background) or "plate" (the same for the plate).
   */
  properties[PROP_TOOL] =
    g_param_spec_string ("tool", NULL, NULL, "none",
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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (REEL_TYPE_PREVIEW_CANVAS);
  g_type_ensure (REEL_TYPE_TRANSPORT_BAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/reel-preview-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, flap);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, canvas);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, transport);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, banner);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, banner_label);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, relink_button);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, choose_button);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, spinner);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, stop_sequence_button);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, footage_row);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, key_group);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, placement_group);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, color_button);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, color_entry);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, similarity);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, softness);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, spill);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, background_scale);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, plate_scale);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, similarity_scale);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, softness_scale);
  gtk_widget_class_bind_template_child (widget_class, ReelPreviewView, spill_scale);
  gtk_widget_class_bind_template_callback (widget_class, on_similarity_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_softness_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_spill_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_background_scale_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_plate_scale_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_color_set);
  gtk_widget_class_bind_template_callback (widget_class, on_color_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_pick);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_move_begin);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_move);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_move_end);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_scale);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_resized);
  gtk_widget_class_bind_template_callback (widget_class, on_transport_seek);

  gtk_widget_class_install_action (widget_class, "preview.play-pause", NULL, play_pause_action);
  gtk_widget_class_install_action (widget_class, "preview.step-forward", NULL,
                                   step_forward_action);
  gtk_widget_class_install_action (widget_class, "preview.step-backward", NULL,
                                   step_backward_action);
  gtk_widget_class_install_action (widget_class, "preview.seek", "x", seek_action);
  gtk_widget_class_install_action (widget_class, "preview.attach-footage", NULL,
                                   attach_footage_action);
  gtk_widget_class_install_action (widget_class, "preview.detach-footage", NULL,
                                   detach_footage_action);
  gtk_widget_class_install_action (widget_class, "preview.relink", NULL, relink_action);
  gtk_widget_class_install_action (widget_class, "preview.choose-footage", NULL,
                                   choose_footage_action);
  gtk_widget_class_install_action (widget_class, "preview.reset-placement", NULL,
                                   reset_placement_action);
  gtk_widget_class_install_action (widget_class, "preview.play-scene", NULL, play_scene_action);
  gtk_widget_class_install_action (widget_class, "preview.play-project", NULL,
                                   play_project_action);
  gtk_widget_class_install_action (widget_class, "preview.stop-sequence", NULL,
                                   stop_sequence_action);
  gtk_widget_class_install_property_action (widget_class, "preview.loop", "loop");
  gtk_widget_class_install_property_action (widget_class, "preview.mute", "muted");
  gtk_widget_class_install_property_action (widget_class, "preview.tool", "tool");
  gtk_widget_class_install_property_action (widget_class, "preview.show-mask", "show-mask");
  gtk_widget_class_install_property_action (widget_class, "preview.show-thirds", "show-thirds");
  gtk_widget_class_install_property_action (widget_class, "preview.show-action-safe",
                                            "show-action-safe");
  gtk_widget_class_install_property_action (widget_class, "preview.show-title-safe",
                                            "show-title-safe");

  /* The transport keys, while the focus is in the view. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "preview.play-pause",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, 0, "preview.step-backward",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "preview.step-backward",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_period, 0, "preview.step-forward",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "preview.step-forward",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "preview.tool", "s",
                                       "none");

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "reelpreviewview");

  gtk_css_provider_load_from_resource (css, RESOURCE_PREFIX "/reel-preview-view.css");
  if (gdk_display_get_default () != NULL)
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
add_slider_grouping (ReelPreviewView *self,
                     GtkWidget       *slider)
{
  GtkEventController *events = gtk_event_controller_legacy_new ();

  gtk_event_controller_set_propagation_phase (events, GTK_PHASE_CAPTURE);
  g_signal_connect (events, "event", G_CALLBACK (on_slider_event), self);
  gtk_widget_add_controller (slider, events);
}

static void
reel_preview_view_init (ReelPreviewView *self)
{
  self->tool = g_strdup ("none");
  self->load_cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_set_focusable (GTK_WIDGET (self->canvas), TRUE);
  add_slider_grouping (self, self->similarity_scale);
  add_slider_grouping (self, self->softness_scale);
  add_slider_grouping (self, self->spill_scale);

  self->pipeline = reel_preview_pipeline_new ();
  g_signal_connect_swapped (reel_preview_pipeline_get_paintable (self->pipeline),
                            "notify::texture", G_CALLBACK (show_composite), self);
  g_signal_connect_swapped (self->pipeline, "notify::position", G_CALLBACK (on_playback_notify),
                            self);
  g_signal_connect_swapped (self->pipeline, "notify::duration", G_CALLBACK (on_playback_notify),
                            self);
  g_signal_connect_swapped (self->pipeline, "notify::playing", G_CALLBACK (on_playback_notify),
                            self);
  g_signal_connect_swapped (self->pipeline, "error", G_CALLBACK (on_pipeline_error), self);

  self->player = reel_animatic_player_new ();
  g_signal_connect_swapped (self->player, "notify::position", G_CALLBACK (on_playback_notify),
                            self);
  g_signal_connect_swapped (self->player, "notify::duration", G_CALLBACK (on_playback_notify),
                            self);
  g_signal_connect_swapped (self->player, "notify::playing", G_CALLBACK (on_playback_notify),
                            self);
  g_signal_connect_swapped (self->player, "notify::shot-id", G_CALLBACK (on_player_shot), self);
  g_signal_connect_swapped (self->player, "error", G_CALLBACK (on_pipeline_error), self);

  self->project_signals = g_signal_group_new (REEL_TYPE_PROJECT);
  g_signal_group_connect_swapped (self->project_signals, "notify", G_CALLBACK (on_project_notify),
                                  self);
  self->shot_signals = g_signal_group_new (REEL_TYPE_SHOT);
  g_signal_group_connect_swapped (self->shot_signals, "notify", G_CALLBACK (on_shot_notify), self);
  self->scene_signals = g_signal_group_new (REEL_TYPE_SCENE);
  g_signal_group_connect_swapped (self->scene_signals, "notify", G_CALLBACK (on_scene_notify),
                                  self);
  self->plate_signals = g_signal_group_new (REEL_TYPE_PLATE);
  g_signal_group_connect_swapped (self->plate_signals, "notify", G_CALLBACK (on_plate_notify),
                                  self);
  self->sketch_signals = g_signal_group_new (REEL_TYPE_SKETCH);
  g_signal_group_connect_swapped (self->sketch_signals, "changed", G_CALLBACK (on_sketch_changed),
                                  self);

  set_mode (self, MODE_EMPTY);
  set_ready (self, TRUE);
  update_footage_row (self);
  update_key_controls (self);
}

/* Public API */

ReelProject *
reel_preview_view_get_project (ReelPreviewView *self)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_VIEW (self), NULL);

  return self->project;
}

void
reel_preview_view_set_project (ReelPreviewView *self,
                               ReelProject     *project)
{
  g_return_if_fail (REEL_IS_PREVIEW_VIEW (self));
  g_return_if_fail (project == NULL || REEL_IS_PROJECT (project));

  if (self->project == project)
    return;

  if (self->mode == MODE_SEQUENCE)
    reel_animatic_player_unload (self->player);

  /* A gesture on the old project ends with it. */
  reel_history_gesture_end (&self->gesture);
  g_set_object (&self->project, project);
  g_signal_group_set_target (self->project_signals, project);
  reel_preview_canvas_set_aspect_ratio (self->canvas, get_aspect_ratio (self));

  /* The current shot belonged to the old project. */
  if (self->current_shot != NULL)
    reel_preview_view_set_current_shot (self, NULL);
  else
    reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

ReelShot *
reel_preview_view_get_current_shot (ReelPreviewView *self)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_VIEW (self), NULL);

  return self->current_shot;
}

void
reel_preview_view_set_current_shot (ReelPreviewView *self,
                                    ReelShot        *shot)
{
  g_return_if_fail (REEL_IS_PREVIEW_VIEW (self));
  g_return_if_fail (shot == NULL || REEL_IS_SHOT (shot));

  if (self->current_shot == shot)
    return;

  /* Choosing another shot ends a story reel; the reel moving on does not. */
  if (self->mode == MODE_SEQUENCE && !self->following_reel)
    {
      reel_animatic_player_unload (self->player);
      self->mode = MODE_EMPTY;
    }

  g_set_object (&self->current_shot, shot);
  g_signal_group_set_target (self->shot_signals, shot);
  g_signal_group_set_target (self->scene_signals, shot != NULL ? reel_shot_get_scene (shot) : NULL);
  g_signal_group_set_target (self->plate_signals, current_plate (self));
  g_signal_group_set_target (self->sketch_signals,
                             shot != NULL ? reel_shot_get_sketch (shot) : NULL);

  if (self->mode != MODE_SEQUENCE)
    reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_SHOT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
}

/**
 * reel_preview_view_set_project_file:
 * @self: a #ReelPreviewView
 * @file: (nullable): where the project is saved
 *
 * Linked footage is found relative to it. Inside a #ReelWindow the window's file is used
 * when none is set.
 */
void
reel_preview_view_set_project_file (ReelPreviewView *self,
                                    GFile           *file)
{
  g_return_if_fail (REEL_IS_PREVIEW_VIEW (self));

  if (g_set_object (&self->project_file, file) && self->mode != MODE_SEQUENCE)
    reload (self);
}

/**
 * reel_preview_view_get_picture:
 * @self: a #ReelPreviewView
 *
 * Returns: (transfer none) (nullable): what the picture shows: the composite, the still or
 *   the reel
 */
GdkPaintable *
reel_preview_view_get_picture (ReelPreviewView *self)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_VIEW (self), NULL);

  return reel_preview_canvas_get_paintable (self->canvas);
}

gboolean
reel_preview_view_get_playing (ReelPreviewView *self)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_VIEW (self), FALSE);

  return current_playback (self) != NULL && reel_playback_get_playing (current_playback (self));
}

gint64
reel_preview_view_get_position (ReelPreviewView *self)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_VIEW (self), 0);

  return reel_transport_bar_get_position (self->transport);
}

/**
 * reel_preview_view_get_message:
 * @self: a #ReelPreviewView
 *
 * Returns: (nullable): the problem the banner shows, if any
 */
const char *
reel_preview_view_get_message (ReelPreviewView *self)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_VIEW (self), NULL);

  return self->message;
}

/**
 * reel_preview_view_is_ready:
 * @self: a #ReelPreviewView
 *
 * Returns: whether the picture for the current shot (or reel) is on screen
 */
gboolean
reel_preview_view_is_ready (ReelPreviewView *self)
{
  g_return_val_if_fail (REEL_IS_PREVIEW_VIEW (self), FALSE);

  return self->ready;
}
