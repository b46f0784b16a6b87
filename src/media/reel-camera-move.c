/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-camera-move"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gst/app/app.h>
#include <gst/gst.h>
#include <string.h>

#include "core/reel-greybox-render.h"
#include "core/reel-optics.h"
#include "core/reel-panel.h"
#include "core/reel-set-mesh.h"
#include "reel-camera-move.h"
#include "reel-frame-encoder.h"
#include "reel-media-cache.h"
#include "reel-media-error.h"
#include "reel-media.h"

/* A shot whose camera moves, drawn frame by frame: what the animatic plays as a clip of its
 * own, and what the Preview keys a plate over (plate frame N over move frame N), so both
 * show the move the same way.
 *
 *   gray-box   the scene's set drawn again at every pose of the move, when the shot's
 *              background is the gray-box render of its set (or it has none and the scene
 *              has a set): exactly the picture the gray-box provider made at the start
 *   still      any other still background, panned, tilted and zoomed with the camera
 *
 * The sketch goes on top for a shot without a plate (the panel moves under it), never
 * under a plate. Written once into the user's cache (storyreel/camera-moves), named by a
 * hash of the first and last pictures, the camera, the set and the length, unless the
 * caller names the file. */

struct _ReelCameraMove
{
  ReelShotCamera *camera;
  ReelSetMesh *mesh;          /* the gray-box, or NULL */
  ReelAsset *still;           /* the still to pan, or NULL */
  cairo_surface_t *decoded;   /* @still, once decoded */
  ReelSketch *sketch;         /* on top, or NULL */
  ReelGreyboxOptions options;
  char *time_of_day;
  ReelGreyboxImage *image;    /* reused from frame to frame */
  char *set_checksum;         /* of the set drawn, for the cache's name, or NULL */
  gint64 move_frames;         /* the move's length in frames, or 0: the whole clip */
};

/* The renderer's palette names for a scene's time of day ("DAWN", "EARLY MORNING"…), as
 * the gray-box provider reads them, so the moving picture starts as the still one. */
static char *
palette_for_time_of_day (const char *time_of_day)
{
  static const struct { const char *word; const char *palette; } words[] = {
    { "night", "night" }, { "midnight", "night" },
    { "dawn", "dawn" }, { "sunrise", "dawn" }, { "daybreak", "dawn" }, { "first light", "dawn" },
    { "dusk", "dusk" }, { "sunset", "dusk" }, { "evening", "dusk" }, { "twilight", "dusk" },
    { "magic hour", "dusk" }, { "golden hour", "dusk" },
  };
  g_autofree char *lower = NULL;

  if (time_of_day == NULL || *time_of_day == '\0')
    return NULL;

  lower = g_ascii_strdown (time_of_day, -1);
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strstr (lower, words[i].word) != NULL)
      return g_strdup (words[i].palette);
  return g_strdup ("day");
}

/* Draws the still @image as the camera at @pose sees it, the still being what it saw at
 * @start: a pan moves the picture sideways by the pan angle over the angle of view, a tilt
 * up and down, a dolly or a change of lens zooms about the centre. */
static void
draw_still_moved (cairo_t              *cr,
                  cairo_surface_t      *image,
                  const ReelCameraPose *start,
                  const ReelCameraPose *pose,
                  double                sensor_width_mm,
                  int                   width,
                  int                   height)
{
  int image_width = cairo_image_surface_get_width (image);
  int image_height = cairo_image_surface_get_height (image);
  double cover = MAX ((double) width / image_width, (double) height / image_height);
  double hfov = reel_optics_horizontal_fov (sensor_width_mm, start->lens_mm);
  double vfov = reel_optics_vertical_fov_for_aspect (sensor_width_mm, start->lens_mm,
                                                     (double) width / height);
  /* A dolly towards a subject a few metres away (the still has no depth to tell). */
  const double subject_distance = 4.0;
  graphene_vec3_t forward;
  double along, zoom;

  reel_camera_pose_get_axes (start, NULL, NULL, &forward);
  along = (pose->x - start->x) * graphene_vec3_get_x (&forward)
          + (pose->height - start->height) * graphene_vec3_get_y (&forward)
          + (pose->z - start->z) * graphene_vec3_get_z (&forward);
  zoom = (pose->lens_mm / MAX (start->lens_mm, 1.0))
         * subject_distance / MAX (subject_distance - along, 0.5);

  cairo_save (cr);
  cairo_translate (cr,
                   width / 2.0 - (hfov > 0 ? (pose->pan - start->pan) / hfov * width : 0),
                   height / 2.0 + (vfov > 0 ? (pose->tilt - start->tilt) / vfov * height : 0));
  cairo_scale (cr, cover * zoom, cover * zoom);
  cairo_translate (cr, -image_width / 2.0, -image_height / 2.0);
  cairo_set_source_surface (cr, image, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_paint (cr);
  cairo_restore (cr);
}

/* One frame into a fresh RGB24 surface. */
static cairo_surface_t *
draw_frame (ReelCameraMove *self,
            int             width,
            int             height,
            double          progress)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);

  reel_camera_move_draw (self, cr, width, height, progress);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static void
checksum_surface (GChecksum       *checksum,
                  cairo_surface_t *surface)
{
  g_checksum_update (checksum, cairo_image_surface_get_data (surface),
                     (gssize) cairo_image_surface_get_stride (surface)
                     * cairo_image_surface_get_height (surface));
}

typedef struct
{
  ReelCameraMove *self;
  cairo_surface_t *first;
  cairo_surface_t *last;
  int width;
  int height;
  gint64 move_frames;  /* the move's length: the last picture is held after it */
} MoveFrames;

static GstBuffer *
move_frame (gint64   index,
            gpointer user_data)
{
  MoveFrames *frames = user_data;
  cairo_surface_t *surface;
  GstBuffer *buffer;

  if (index == 0)
    surface = cairo_surface_reference (frames->first);
  else if (index >= frames->move_frames - 1)
    surface = cairo_surface_reference (frames->last);  /* the end, held */
  else
    surface = draw_frame (frames->self, frames->width, frames->height,
                          (double) index / (frames->move_frames - 1));
  buffer = gst_buffer_new_memdup (cairo_image_surface_get_data (surface),
                                  (gsize) cairo_image_surface_get_stride (surface)
                                  * frames->height);
  cairo_surface_destroy (surface);
  return buffer;
}

static gboolean
encode (ReelCameraMove        *self,
        ReelCameraMoveFormat   format,
        cairo_surface_t       *first,
        cairo_surface_t       *last,
        int                    width,
        int                    height,
        gint64                 n_frames,
        int                    rate_numerator,
        int                    rate_denominator,
        const char            *path,
        GCancellable          *cancellable,
        GError               **error)
{
  MoveFrames frames = { self, first, last, width, height,
                        self->move_frames > 1 ? MIN (self->move_frames, n_frames) : n_frames };
  g_autoptr(GError) reason = NULL;
  g_autofree char *encoder = NULL;

  if (format == REEL_CAMERA_MOVE_VP8_WEBM)
    /* Flat gray shading compresses well: a few hundred kilobytes for a shot. */
    encoder = g_strdup_printf ("vp8enc deadline=1 target-bitrate=%d keyframe-max-dist=%d "
                               "! webmmux",
                               MAX (200000, width * height), 2 * MAX (1, rate_numerator
                                                                  / MAX (1, rate_denominator)));
  else
    encoder = g_strdup ("jpegenc quality=90 ! avimux");

  if (reel_frame_encoder_run (encoder, width, height, n_frames, rate_numerator,
                              rate_denominator, path, move_frame, &frames, cancellable,
                              &reason))
    return TRUE;

  if (g_error_matches (reason, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&reason));
  else
    g_set_error (error, REEL_MEDIA_ERROR, reason->code,
                 _("The camera move could not be drawn: %s"), reason->message);
  return FALSE;
}

/* What the move of @shot is drawn from: the scene's set (*@set, with the gray-box
 * background's *@asset or none), or a still *@asset. FALSE when the camera does not move,
 * the background is a clip (which plays instead), or there is nothing to move. */
static gboolean
find_source (ReelProject    *project,
             ReelShot       *shot,
             ReelAsset     **asset,
             const ReelSet **set)
{
  const ReelShotCamera *camera = reel_shot_get_camera (shot);
  const char *hash = reel_shot_get_background (shot);
  ReelScene *scene = reel_shot_get_scene (shot);
  ReelGenerationRecord *record;

  *asset = NULL;
  *set = NULL;
  if (camera == NULL || !camera->moves)
    return FALSE;

  *asset = hash != NULL ? reel_project_lookup_asset (project, hash) : NULL;
  if (*asset != NULL && reel_asset_is_video (*asset))
    return FALSE;
  record = *asset != NULL ? reel_asset_get_generation (*asset) : NULL;
  if (scene != NULL && reel_scene_get_set (scene) != NULL
      && (*asset == NULL
          || (record != NULL && record->provider != NULL
              && (g_str_equal (record->provider, "greybox")
                  || g_str_equal (record->provider, "graybox")))))
    *set = reel_scene_get_set (scene);

  return *set != NULL || *asset != NULL;
}

/**
 * reel_camera_move_applies:
 * @project: the shot's project
 * @shot: a shot of @project
 *
 * Returns: whether reel_camera_move_new() gives a move for @shot
 */
gboolean
reel_camera_move_applies (ReelProject *project,
                          ReelShot    *shot)
{
  ReelAsset *asset;
  const ReelSet *set;

  g_return_val_if_fail (REEL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (REEL_IS_SHOT (shot), FALSE);

  return find_source (project, shot, &asset, &set);
}

/**
 * reel_camera_move_new:
 * @project: the shot's project
 * @shot: a shot of @project
 * @with_sketch: whether to draw the shot's sketch on top (a shot without a plate)
 *
 * Reads the model: call it on the thread that owns @project. The result keeps copies and
 * may then be used on any one thread.
 *
 * Returns: (transfer full) (nullable): the move, or %NULL when the shot's camera does not
 *   move, or its background is a clip (which plays instead) or there is nothing to move
 */
ReelCameraMove *
reel_camera_move_new (ReelProject *project,
                      ReelShot    *shot,
                      gboolean     with_sketch)
{
  ReelAsset *asset;
  const ReelSet *set;
  ReelCameraMove *self;

  g_return_val_if_fail (REEL_IS_PROJECT (project), NULL);
  g_return_val_if_fail (REEL_IS_SHOT (shot), NULL);

  if (!find_source (project, shot, &asset, &set))
    return NULL;

  self = g_new0 (ReelCameraMove, 1);
  self->camera = reel_shot_camera_copy (reel_shot_get_camera (shot));
  self->options.sensor_width_mm
    = reel_optics_sensor_lookup_or_default (reel_project_get_sensor (project))->width_mm;
  if (set != NULL)
    {
      ReelGenerationRecord *record = asset != NULL ? reel_asset_get_generation (asset) : NULL;

      g_autoptr(GVariant) variant = g_variant_ref_sink (reel_set_to_variant (set));

      /* A background plate has nobody in it: the marks stay on the plan. */
      self->mesh = reel_set_mesh_new (set, FALSE);
      /* The set shows between the ends too (a prop the pan passes): part of the name. */
      self->set_checksum = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                        g_variant_get_data (variant),
                                                        g_variant_get_size (variant));
      self->time_of_day
        = palette_for_time_of_day (reel_scene_get_time_of_day (reel_shot_get_scene (shot)));
      self->options.time_of_day = self->time_of_day;
      /* The sun of the generated gray-box, as its provider turns it. */
      if (record != NULL && record->seed >= 0)
        self->options.sun_turn_deg = (double) (record->seed % 12) * 30 - 180;
    }
  else
    {
      self->still = g_object_ref (asset);
    }
  if (with_sketch && reel_shot_get_sketch (shot) != NULL)
    self->sketch = reel_sketch_copy (reel_shot_get_sketch (shot));

  return self;
}

void
reel_camera_move_free (ReelCameraMove *self)
{
  if (self == NULL)
    return;

  reel_shot_camera_free (self->camera);
  g_clear_pointer (&self->mesh, reel_set_mesh_free);
  g_clear_object (&self->still);
  g_clear_pointer (&self->decoded, cairo_surface_destroy);
  g_clear_object (&self->sketch);
  g_free (self->time_of_day);
  g_clear_pointer (&self->image, reel_greybox_image_free);
  g_free (self->set_checksum);
  g_free (self);
}

/**
 * reel_camera_move_set_move_frames:
 * @self: a #ReelCameraMove
 * @move_frames: how many frames the move takes (the shot's duration), or 0 for the whole
 *   clip
 *
 * A clip longer than the move (under a plate that runs past the shot's end) holds the
 * move's last picture for the rest, rather than starting again.
 */
void
reel_camera_move_set_move_frames (ReelCameraMove *self,
                                  gint64          move_frames)
{
  g_return_if_fail (self != NULL);

  self->move_frames = MAX (move_frames, 0);
}

/**
 * reel_camera_move_is_greybox:
 * @self: a #ReelCameraMove
 *
 * Returns: whether the set is drawn again at every pose (else a still is panned)
 */
gboolean
reel_camera_move_is_greybox (ReelCameraMove *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->mesh != NULL;
}

/**
 * reel_camera_move_draw:
 * @self: a #ReelCameraMove
 * @cr: where to draw, (0, 0, @width, @height) covered
 * @width: the picture's width
 * @height: the picture's height
 * @progress: 0 at the start of the move, 1 at its end
 *
 * Blocking for a still (decoded on first use).
 */
void
reel_camera_move_draw (ReelCameraMove *self,
                       cairo_t        *cr,
                       int             width,
                       int             height,
                       double          progress)
{
  ReelCameraPose pose;

  g_return_if_fail (self != NULL);
  g_return_if_fail (width > 0 && height > 0);

  reel_shot_camera_pose_at (self->camera, CLAMP (progress, 0.0, 1.0), &pose);

  cairo_save (cr);
  if (self->mesh != NULL)
    {
      cairo_surface_t *drawn;

      if (self->image == NULL || self->image->width != width || self->image->height != height)
        {
          g_clear_pointer (&self->image, reel_greybox_image_free);
          self->image = reel_greybox_image_new (width, height);
        }
      /* As the gray-box provider frames it. */
      pose.tilt = CLAMP (pose.tilt, -89, 89);
      pose.height = MAX (pose.height, 0.05);
      reel_greybox_render_into (self->image, self->mesh, &pose, &self->options);
      drawn = cairo_image_surface_create_for_data ((unsigned char *) self->image->rgb,
                                                   CAIRO_FORMAT_RGB24, width, height,
                                                   width * 4);
      cairo_set_source_surface (cr, drawn, 0, 0);
      cairo_paint (cr);
      cairo_surface_destroy (drawn);
    }
  else
    {
      if (self->decoded == NULL && self->still != NULL)
        self->decoded = reel_panel_lookup_surface (self->still, NULL);
      reel_panel_render_parts (NULL, NULL, cr, width, height);
      if (self->decoded != NULL)
        draw_still_moved (cr, self->decoded, &self->camera->start, &pose,
                          self->options.sensor_width_mm, width, height);
    }
  if (self->sketch != NULL)
    reel_sketch_render (self->sketch, cr, width, height);
  cairo_restore (cr);
}

/**
 * reel_camera_move_write:
 * @self: a #ReelCameraMove
 * @output: (nullable): the file to write, or %NULL for one in the user's cache (kept and
 *   reused while the pictures stay the same)
 * @format: how to encode
 * @width: the picture's width (made even)
 * @height: the picture's height (made even)
 * @n_frames: frames from the start of the move to its end (the shot's duration), at least 2
 * @rate_numerator: the frame rate
 * @rate_denominator: the frame rate
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError in %REEL_MEDIA_ERROR
 *
 * Draws every frame and encodes it. Blocking: call it on a worker thread.
 *
 * Returns: (transfer full): the clip, or %NULL with @error set
 */
GFile *
reel_camera_move_write (ReelCameraMove        *self,
                        GFile                 *output,
                        ReelCameraMoveFormat   format,
                        int                    width,
                        int                    height,
                        gint64                 n_frames,
                        int                    rate_numerator,
                        int                    rate_denominator,
                        GCancellable          *cancellable,
                        GError               **error)
{
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;
  g_autofree char *partial = NULL;
  cairo_surface_t *first, *last;
  gboolean ok;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (output == NULL || G_IS_FILE (output), NULL);
  g_return_val_if_fail (rate_numerator > 0 && rate_denominator > 0, NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);

  if (!reel_media_init (error))
    return NULL;

  /* Even sizes: the encoders' 4:2:0 wants them. */
  width = MAX (2, width & ~1);
  height = MAX (2, height & ~1);
  n_frames = MAX (n_frames, 2);

  first = draw_frame (self, width, height, 0.0);
  last = draw_frame (self, width, height, 1.0);

  if (output != NULL)
    {
      path = g_file_get_path (output);
    }
  else
    {
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
      g_autoptr(GVariant) camera = NULL;
      g_autofree char *header = g_strdup_printf ("%d %dx%d %" G_GINT64_FORMAT " %"
                                                 G_GINT64_FORMAT " %d/%d",
                                                 format, width, height, n_frames,
                                                 self->move_frames, rate_numerator,
                                                 rate_denominator);
      g_autofree char *name = NULL;

      camera = g_variant_ref_sink (reel_shot_camera_to_variant (self->camera));
      /* The pictures at both ends stand for the set, the background and the sketch; the
       * camera for the path between them. */
      g_checksum_update (checksum, (const guchar *) header, -1);
      g_checksum_update (checksum, g_variant_get_data (camera), g_variant_get_size (camera));
      if (self->set_checksum != NULL)
        g_checksum_update (checksum, (const guchar *) self->set_checksum, -1);
      checksum_surface (checksum, first);
      checksum_surface (checksum, last);
      name = g_strconcat (g_checksum_get_string (checksum),
                          format == REEL_CAMERA_MOVE_VP8_WEBM ? ".webm" : ".avi", NULL);
      folder = g_build_filename (g_get_user_cache_dir (), "storyreel", "camera-moves", NULL);
      path = g_build_filename (folder, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          GFile *found = g_file_new_for_path (path);

          cairo_surface_destroy (first);
          cairo_surface_destroy (last);
          /* Used now: the cache is trimmed by the time of last use. */
          reel_media_cache_touch (found);
          return found;
        }
      if (g_mkdir_with_parents (folder, 0700) != 0)
        {
          int saved_errno = errno;

          cairo_surface_destroy (first);
          cairo_surface_destroy (last);
          g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_FAILED,
                       _("The camera move could not be drawn: “%s” could not be created: %s"),
                       folder, g_strerror (saved_errno));
          return NULL;
        }
    }

  /* Under another name until it is whole, so a cut-short encode is never taken for one. */
  partial = reel_cache_create_partial (path);
  if (partial == NULL)
    {
      int saved_errno = errno;

      cairo_surface_destroy (first);
      cairo_surface_destroy (last);
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_FAILED,
                   _("The camera move could not be drawn: “%s” could not be written: %s"),
                   path, g_strerror (saved_errno));
      return NULL;
    }
  ok = encode (self, format, first, last, width, height, n_frames, rate_numerator,
               rate_denominator, partial, cancellable, error);
  cairo_surface_destroy (first);
  cairo_surface_destroy (last);
  if (ok && g_rename (partial, path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_FAILED,
                   _("The camera move could not be drawn: “%s” could not be written: %s"),
                   path, g_strerror (saved_errno));
      ok = FALSE;
    }
  if (!ok)
    {
      g_unlink (partial);
      return NULL;
    }

  if (folder != NULL)
    reel_media_cache_trim (folder, REEL_MEDIA_CACHE_MAX_BYTES, REEL_MEDIA_CACHE_MAX_AGE,
                           REEL_MEDIA_CACHE_GRACE);
  return g_file_new_for_path (path);
}
