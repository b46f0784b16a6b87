/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-animatic"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsrc.h>
#include <gst/pbutils/pbutils.h>
#include <string.h>

#include "core/reel-panel.h"
#include "reel-animatic.h"
#include "reel-camera-move.h"
#include "reel-chroma-key.h"
#include "reel-media-cache.h"
#include "reel-media-error.h"
#include "reel-media.h"

/* The story reel as a GES timeline, in three layers (the first on top):
 *
 *   captions  a text overlay per shot (number and description), when asked for
 *   plates    each plate through reelchromakey, keyed over the shot's background and
 *             placed as in the preview: the same composite, full frame; for a shot
 *             without a plate that plays a clip, its sketch on a transparent picture
 *   stills    the panel (background and sketch) of every shot without a plate; for a
 *             shot with one, its placed background, which also shows if the plate is
 *             shorter than the shot
 *
 * A clip background (a generated video) plays in the stills layer instead, placed like a
 * still and repeated end to end to fill the shot; over it the plate's keyer composites
 * plate frame N over clip frame N itself (reelchromakey's background-clip-location), so
 * the composite is the preview's.
 *
 * A shot whose camera moves plays the move the same way: its background is drawn frame by
 * frame into a clip of its own (the gray-box drawn again at every pose, or a generated
 * still panned and zoomed with the camera), which then plays like a clip background, under
 * the plate or under the sketch.
 *
 * An audio track carries the sound of every plate that has sound and is not muted, from
 * the same clip as its picture so the two stay in step; GES fills the rest with silence,
 * so the sound lasts exactly as long as the picture.
 *
 * Keying in the plate's own effect (rather than keying to alpha over the still below)
 * keeps the animatic's composite identical to the preview's, edges and spill included.
 * Shot boundaries are whole frames at the project rate, so the file lasts exactly the sum
 * of the shot durations. */

struct _ReelAnimatic
{
  GObject parent_instance;

  ReelProject *project;   /* private to this object (a copy, or promised private) */
  GPtrArray *shots;
  GArray *starts;         /* gint64 frames, n_shots + 1 entries */
  GFile *project_file;
  ReelFrameRate rate;
  gboolean captions;
  int long_side;

  char *work_dir;
  GPtrArray *plans;       /* ShotPlan, once prepared */
  GESTimeline *timeline;
};

/* What reel_animatic_prepare() found out about a shot. */
typedef struct
{
  char *still;              /* the panel, or for a plate shot its placed background */
  GESUriClipAsset *picture; /* the still as a GES asset */
  GESUriClipAsset *plate;   /* the footage, NULL when missing or undecodable */
  char *clip_path;          /* a clip background written out, or NULL */
  GESUriClipAsset *clip;    /* the clip background, NULL when none or undecodable */
  GESUriClipAsset *sketch;  /* over a clip played without a plate: the sketch alone */
} ShotPlan;

static void
shot_plan_free (gpointer data)
{
  ShotPlan *plan = data;

  g_free (plan->still);
  g_clear_object (&plan->picture);
  g_clear_object (&plan->plate);
  g_free (plan->clip_path);
  g_clear_object (&plan->clip);
  g_clear_object (&plan->sketch);
  g_free (plan);
}

G_DEFINE_FINAL_TYPE (ReelAnimatic, reel_animatic, G_TYPE_OBJECT)

static void
remove_work_dir (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_unlink (child);
    }
  g_rmdir (path);
}

static void
reel_animatic_finalize (GObject *object)
{
  ReelAnimatic *self = REEL_ANIMATIC (object);

  gst_clear_object (&self->timeline);
  g_clear_pointer (&self->plans, g_ptr_array_unref);
  remove_work_dir (self->work_dir);
  g_free (self->work_dir);
  g_clear_pointer (&self->shots, g_ptr_array_unref);
  g_clear_pointer (&self->starts, g_array_unref);
  g_clear_object (&self->project_file);
  g_clear_object (&self->project);

  G_OBJECT_CLASS (reel_animatic_parent_class)->finalize (object);
}

static void
reel_animatic_class_init (ReelAnimaticClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = reel_animatic_finalize;
}

static void
reel_animatic_init (ReelAnimatic *self)
{
  self->shots = g_ptr_array_new_with_free_func (g_object_unref);
  self->starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->long_side = REEL_ANIMATIC_DEFAULT_SIZE;
  self->captions = TRUE;
}

static void
add_shot (ReelAnimatic *self,
          ReelShot     *shot)
{
  gint64 end = g_array_index (self->starts, gint64, self->starts->len - 1)
               + MAX (reel_shot_get_duration (shot), 1);

  g_ptr_array_add (self->shots, g_object_ref (shot));
  g_array_append_val (self->starts, end);
}

/* The time @frame frames take: n / rate rounded down, the time at which a source (the mixer,
 * imagefreeze behind a still) makes frame n counted from its start. A shot starts at the
 * time of its first frame and lasts the time of its own frames, counted from its own start:
 * a clip lasting a nanosecond more than n frames (24 fps: a 13-frame shot starting at frame
 * 61 spans 3.0833333… − 2.5416666… s, which rounds to 541666667 ns, past 13 frames'
 * 541666666) makes one frame more, and the reel ends a frame late. Shots then meet a
 * nanosecond apart at most, where no frame is made. */
static GstClockTime
frame_time (ReelAnimatic *self,
            gint64        frame)
{
  return gst_util_uint64_scale ((guint64) MAX (frame, 0), (guint64) self->rate.den * GST_SECOND,
                                (guint64) self->rate.num);
}

static ReelAnimatic *
animatic_new (ReelProject *project,
              GFile       *project_file)
{
  ReelAnimatic *self = g_object_new (REEL_TYPE_ANIMATIC, NULL);
  gint64 zero = 0;

  self->project = project;
  self->project_file = project_file != NULL ? g_object_ref (project_file) : NULL;
  self->rate = reel_project_get_frame_rate (project);
  g_array_append_val (self->starts, zero);

  return self;
}

/**
 * reel_animatic_new:
 * @project: a project
 * @scene: (nullable): one of its scenes, or %NULL for the whole project
 * @project_file: (nullable): where the project is saved, to find linked footage
 *
 * Takes a copy of @project (on the calling thread, which must own it), so the animatic
 * can be built and rendered on a worker thread while the project is edited.
 *
 * Returns: (transfer full): a new animatic
 */
ReelAnimatic *
reel_animatic_new (ReelProject *project,
                   ReelScene   *scene,
                   GFile       *project_file)
{
  ReelAnimatic *self;
  ReelProject *copy;

  g_return_val_if_fail (REEL_IS_PROJECT (project), NULL);
  g_return_val_if_fail (scene == NULL || REEL_IS_SCENE (scene), NULL);

  copy = reel_project_copy (project);
  self = animatic_new (copy, project_file);

  for (guint i = 0; i < reel_project_get_n_scenes (copy); i++)
    {
      ReelScene *each = reel_project_get_scene (copy, i);

      if (scene != NULL && !g_str_equal (reel_scene_get_id (each), reel_scene_get_id (scene)))
        continue;
      for (guint j = 0; j < reel_scene_get_n_shots (each); j++)
        add_shot (self, reel_scene_get_shot (each, j));
    }

  return self;
}

/**
 * reel_animatic_new_for_shots:
 * @project: a project nothing else reads or changes meanwhile (an export's private copy)
 * @shots: (array length=n_shots): shots of @project, in the order to play them
 * @n_shots: how many
 * @project_file: (nullable): where the project is saved, to find linked footage
 *
 * Returns: (transfer full): a new animatic of exactly these shots
 */
ReelAnimatic *
reel_animatic_new_for_shots (ReelProject     *project,
                             ReelShot * const *shots,
                             guint            n_shots,
                             GFile           *project_file)
{
  ReelAnimatic *self;

  g_return_val_if_fail (REEL_IS_PROJECT (project), NULL);

  self = animatic_new (g_object_ref (project), project_file);
  for (guint i = 0; i < n_shots; i++)
    add_shot (self, shots[i]);

  return self;
}

/**
 * reel_animatic_set_captions:
 * @self: a #ReelAnimatic
 * @captions: whether to burn in each shot's number and description
 *
 * Before reel_animatic_build(). On by default.
 */
void
reel_animatic_set_captions (ReelAnimatic *self,
                            gboolean      captions)
{
  g_return_if_fail (REEL_IS_ANIMATIC (self));
  g_return_if_fail (self->timeline == NULL);

  self->captions = !!captions;
}

/**
 * reel_animatic_set_size:
 * @self: a #ReelAnimatic
 * @long_side: the picture's longer side in pixels
 *
 * Before reel_animatic_build(). The other side follows the project's aspect ratio.
 */
void
reel_animatic_set_size (ReelAnimatic *self,
                        int           long_side)
{
  g_return_if_fail (REEL_IS_ANIMATIC (self));
  g_return_if_fail (self->timeline == NULL);
  g_return_if_fail (long_side >= 16 && long_side <= 8192);

  self->long_side = long_side;
}

/**
 * reel_animatic_get_frame_size:
 * @self: a #ReelAnimatic
 * @width: (out) (optional): picture width, even
 * @height: (out) (optional): picture height, even
 */
void
reel_animatic_get_frame_size (ReelAnimatic *self,
                              int          *width,
                              int          *height)
{
  double aspect;
  int w, h;

  g_return_if_fail (REEL_IS_ANIMATIC (self));

  aspect = reel_project_get_aspect_ratio (self->project);
  if (aspect <= 0)
    aspect = REEL_ASPECT_RATIO_DEFAULT;

  /* Even sides: 4:2:0 video needs them. */
  if (aspect >= 1.0)
    {
      w = self->long_side & ~1;
      h = MAX (2, ((int) (w / aspect + 0.5)) & ~1);
    }
  else
    {
      h = self->long_side & ~1;
      w = MAX (2, ((int) (h * aspect + 0.5)) & ~1);
    }

  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
}

ReelFrameRate
reel_animatic_get_frame_rate (ReelAnimatic *self)
{
  g_return_val_if_fail (REEL_IS_ANIMATIC (self), REEL_FRAME_RATE_DEFAULT);

  return self->rate;
}

/**
 * reel_animatic_get_duration:
 * @self: a #ReelAnimatic
 *
 * Returns: the sum of the shot durations, in frames at the project rate
 */
gint64
reel_animatic_get_duration (ReelAnimatic *self)
{
  g_return_val_if_fail (REEL_IS_ANIMATIC (self), 0);

  return g_array_index (self->starts, gint64, self->starts->len - 1);
}

guint
reel_animatic_get_n_shots (ReelAnimatic *self)
{
  g_return_val_if_fail (REEL_IS_ANIMATIC (self), 0);

  return self->shots->len;
}

/**
 * reel_animatic_get_shot:
 * @self: a #ReelAnimatic
 * @index: a shot's position in the animatic
 *
 * Returns: (transfer none): the shot (in the animatic's copy of the project)
 */
ReelShot *
reel_animatic_get_shot (ReelAnimatic *self,
                        guint         index)
{
  g_return_val_if_fail (REEL_IS_ANIMATIC (self), NULL);
  g_return_val_if_fail (index < self->shots->len, NULL);

  return g_ptr_array_index (self->shots, index);
}

gint64
reel_animatic_get_shot_start (ReelAnimatic *self,
                              guint         index)
{
  g_return_val_if_fail (REEL_IS_ANIMATIC (self), 0);
  g_return_val_if_fail (index <= self->shots->len, 0);

  return g_array_index (self->starts, gint64, index);
}

/**
 * reel_animatic_find_shot_at:
 * @self: a #ReelAnimatic
 * @frame: a frame of the animatic
 *
 * Returns: the position of the shot playing at @frame (the last shot past the end)
 */
guint
reel_animatic_find_shot_at (ReelAnimatic *self,
                            gint64        frame)
{
  guint low = 0, high;

  g_return_val_if_fail (REEL_IS_ANIMATIC (self), 0);

  if (self->shots->len == 0)
    return 0;

  high = self->shots->len - 1;
  while (low < high)
    {
      guint middle = (low + high + 1) / 2;

      if (g_array_index (self->starts, gint64, middle) <= frame)
        low = middle;
      else
        high = middle - 1;
    }

  return low;
}

/* Building */

static char *
format_double (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value));
}

/* The background alone, placed as the plate's settings say, at the picture size. */
static gboolean
write_background_png (ReelProject  *project,
                      ReelShot     *shot,
                      int           width,
                      int           height,
                      const char   *path,
                      GError      **error)
{
  ReelPlate *plate = reel_shot_get_plate (shot);
  const char *hash = reel_shot_get_background (shot);
  ReelAsset *asset = hash != NULL ? reel_project_lookup_asset (project, hash) : NULL;
  cairo_surface_t *image = asset != NULL && !reel_asset_is_video (asset)
                           ? reel_panel_lookup_surface (asset, NULL) : NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, REEL_PANEL_FILL_RED, REEL_PANEL_FILL_GREEN, REEL_PANEL_FILL_BLUE);
  cairo_paint (cr);

  if (image != NULL)
    {
      int image_width = cairo_image_surface_get_width (image);
      int image_height = cairo_image_surface_get_height (image);
      double cover = MAX ((double) width / image_width, (double) height / image_height)
                     * reel_plate_get_background_scale (plate);

      /* The same placement as reelchromakey's. */
      cairo_translate (cr,
                       (width - image_width * cover) / 2.0
                       + reel_plate_get_background_x (plate) * width,
                       (height - image_height * cover) / 2.0
                       + reel_plate_get_background_y (plate) * height);
      cairo_scale (cr, cover, cover);
      cairo_set_source_surface (cr, image, 0, 0);
      cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
      cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
      cairo_paint (cr);
      cairo_surface_destroy (image);
    }

  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_ENCODE,
                   _("Could not draw a background for the animatic: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }

  return TRUE;
}

static gboolean
write_panel_png (ReelProject  *project,
                 ReelShot     *shot,
                 int           width,
                 int           height,
                 const char   *path,
                 GError      **error)
{
  const char *hash = reel_shot_get_background (shot);
  ReelAsset *asset = hash != NULL ? reel_project_lookup_asset (project, hash) : NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) local_error = NULL;

  png = reel_panel_render_parts_png (asset, reel_shot_get_sketch (shot), width, height,
                                     &local_error);
  if (png == NULL
      || !g_file_set_contents (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png),
                               &local_error))
    {
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_ENCODE,
                   _("Could not draw the panel of shot %s for the animatic: %s"),
                   reel_shot_get_number (shot), local_error->message);
      return FALSE;
    }

  return TRUE;
}

/* The plate keyed over @background_path by reelchromakey in the clip's own effect, output
 * at the full picture size; the positioner is told the frame fills the picture. */
static gboolean
add_plate_clip (ReelAnimatic      *self,
                GESLayer          *layer,
                ReelPlate         *plate,
                GESUriClipAsset   *asset,
                const char        *background_path,
                const char        *clip_path,
                GstClockTime       start,
                GstClockTime       duration,
                int                width,
                int                height)
{
  g_autofree char *similarity = format_double (reel_plate_get_similarity (plate));
  g_autofree char *softness = format_double (reel_plate_get_softness (plate));
  g_autofree char *spill = format_double (reel_plate_get_spill (plate));
  g_autofree char *scale = format_double (reel_plate_get_plate_scale (plate));
  g_autofree char *x = format_double (reel_plate_get_plate_x (plate));
  g_autofree char *y = format_double (reel_plate_get_plate_y (plate));
  /* The still is placed already; the keyer places a clip's frames itself. */
  g_autofree char *background_scale = format_double (clip_path != NULL
                                                     ? reel_plate_get_background_scale (plate)
                                                     : 1.0);
  g_autofree char *background_x = format_double (clip_path != NULL
                                                 ? reel_plate_get_background_x (plate) : 0.0);
  g_autofree char *background_y = format_double (clip_path != NULL
                                                 ? reel_plate_get_background_y (plate) : 0.0);
  g_autofree char *description = NULL;
  GstClockTime plate_duration = ges_uri_clip_asset_get_max_duration (asset);
  GESTrackType tracks = GES_TRACK_TYPE_VIDEO;
  GESEffect *effect;
  GESClip *clip;

  if (GST_CLOCK_TIME_IS_VALID (plate_duration) && plate_duration < duration)
    duration = plate_duration;  /* the background still below shows for the rest */
  if (duration == 0)
    return FALSE;

  /* The sound comes from the same clip as the picture, so it cannot drift from it. */
  if (!reel_plate_get_muted (plate)
      && (ges_clip_asset_get_supported_formats (GES_CLIP_ASSET (asset)) & GES_TRACK_TYPE_AUDIO))
    tracks |= GES_TRACK_TYPE_AUDIO;

  clip = ges_layer_add_asset (layer, GES_ASSET (asset), start, 0, duration, tracks);
  if (clip == NULL)
    return FALSE;

  description = g_strdup_printf ("videoconvert ! reelchromakey key-color=%u similarity=%s "
                                 "softness=%s spill=%s plate-scale=%s plate-x=%s plate-y=%s "
                                 "background-location=\"%s\" background-clip-location=\"%s\" "
                                 "background-scale=%s background-x=%s background-y=%s "
                                 "! capsfilter caps=\"video/x-raw,format=BGRA,width=%d,"
                                 "height=%d,pixel-aspect-ratio=1/1\"",
                                 reel_plate_get_key_color (plate), similarity, softness, spill,
                                 scale, x, y, background_path, clip_path != NULL ? clip_path : "",
                                 background_scale, background_x, background_y, width, height);
  effect = ges_effect_new (description);
  if (effect == NULL || !ges_container_add (GES_CONTAINER (clip), GES_TIMELINE_ELEMENT (effect)))
    {
      ges_layer_remove_clip (layer, clip);
      return FALSE;
    }

  /* Otherwise GES would fit the (already full-frame) composite inside the picture as if
   * it were the plate. */
  ges_timeline_element_set_child_properties (GES_TIMELINE_ELEMENT (clip),
                                             "posx", 0, "posy", 0,
                                             "width", width, "height", height,
                                             NULL);
  return TRUE;
}

static void
add_caption (GESLayer     *layer,
             ReelShot     *shot,
             GstClockTime  start,
             GstClockTime  duration,
             int           height)
{
  g_autoptr(GString) text = g_string_new (reel_shot_get_number (shot));
  const char *description = reel_shot_get_description (shot);
  g_autofree char *font = NULL;
  GESTextOverlayClip *caption;

  if (description != NULL && *description != '\0')
    {
      const char *end = strchr (description, '\n');
      g_autofree char *line = g_strndup (description, end != NULL ? (gsize) (end - description)
                                                                  : strlen (description));

      if (text->len > 0)
        g_string_append (text, "  ");
      /* One line; long actions are cut on a character boundary. */
      if (g_utf8_strlen (line, -1) > 72)
        {
          g_string_append_len (text, line, g_utf8_offset_to_pointer (line, 71) - line);
          g_string_append (text, "…");
        }
      else
        g_string_append (text, line);
    }

  if (text->len == 0)
    return;

  caption = ges_text_overlay_clip_new ();
  ges_timeline_element_set_start (GES_TIMELINE_ELEMENT (caption), start);
  ges_timeline_element_set_duration (GES_TIMELINE_ELEMENT (caption), duration);
  if (!ges_layer_add_clip (layer, GES_CLIP (caption)))
    return;

  /* About a twentieth of the picture's height a line, which one line of 72 characters
   * fits across. */
  font = g_strdup_printf ("Sans Bold %d", MAX (8, height / 40));
  ges_text_overlay_clip_set_text (caption, text->str);
  ges_text_overlay_clip_set_font_desc (caption, font);
  ges_text_overlay_clip_set_valign (caption, GES_TEXT_VALIGN_BOTTOM);
  ges_text_overlay_clip_set_halign (caption, GES_TEXT_HALIGN_CENTER);
  ges_text_overlay_clip_set_color (caption, 0xffffffff);
  /* A dark band behind the words keeps them legible over a white sky; older GES versions
   * may not expose it, which only costs the band. */
  {
    GObject *child = NULL;
    GParamSpec *pspec = NULL;

    if (ges_timeline_element_lookup_child (GES_TIMELINE_ELEMENT (caption), "shaded-background",
                                           &child, &pspec))
      {
        g_object_set (child, pspec->name, TRUE, NULL);
        g_object_unref (child);
        g_param_spec_unref (pspec);
      }
  }
}

/* A clip background, written out for GES and the keyer to read. A clip that cannot be
 * decoded leaves the shot with its still. */
static gboolean
prepare_clip_background (ReelAnimatic  *self,
                         ReelShot      *shot,
                         ShotPlan      *plan,
                         guint          index,
                         GError       **error)
{
  const char *hash = reel_shot_get_background (shot);
  ReelAsset *asset = hash != NULL ? reel_project_lookup_asset (self->project, hash) : NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFile) file = NULL;

  if (asset == NULL || !reel_asset_is_video (asset))
    return TRUE;

  /* Streamed from the cache, written there once in pieces: never whole in memory. */
  file = reel_media_cache_dup_asset_file (asset, NULL, &local_error);
  if (file == NULL)
    {
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_ENCODE,
                   _("No room for the animatic’s pictures: %s"), local_error->message);
      return FALSE;
    }
  plan->clip_path = g_file_get_path (file);

  uri = gst_filename_to_uri (plan->clip_path, NULL);
  plan->clip = ges_uri_clip_asset_request_sync (uri, &local_error);
  if (plan->clip == NULL
      || !(ges_clip_asset_get_supported_formats (GES_CLIP_ASSET (plan->clip))
           & GES_TRACK_TYPE_VIDEO)
      || !GST_CLOCK_TIME_IS_VALID (ges_uri_clip_asset_get_max_duration (plan->clip))
      || ges_uri_clip_asset_get_max_duration (plan->clip) == 0)
    {
      g_debug ("Shot %s: the background clip is unusable (%s), showing the panel",
               reel_shot_get_number (shot), local_error != NULL ? local_error->message : "");
      g_clear_object (&plan->clip);
      g_clear_pointer (&plan->clip_path, g_free);
    }

  return TRUE;
}

/* The clip background of a shot on its own, from the shot's first frame, looping: a clip
 * of pure key green under reelchromakey, which then shows clip frame N at frame N of the
 * shot, placed as the plate's settings say, exactly as under a plate. (Repeating the clip
 * end to end in GES instead drops the first frame of every repeat.) */
static gboolean
add_background_clip (ReelAnimatic *self,
                     GESLayer     *layer,
                     ShotPlan     *plan,
                     ReelPlate    *plate,
                     gint64        first_frame,
                     gint64        end_frame,
                     int           width,
                     int           height)
{
  /* Exactly the mixer's frames first_frame to end_frame - 1 (frame_time()). */
  GstClockTime start = frame_time (self, first_frame);
  GstClockTime duration = frame_time (self, end_frame - first_frame);
  g_autofree char *scale = format_double (plate != NULL
                                          ? reel_plate_get_background_scale (plate) : 1.0);
  g_autofree char *x = format_double (plate != NULL ? reel_plate_get_background_x (plate)
                                                    : 0.0);
  g_autofree char *y = format_double (plate != NULL ? reel_plate_get_background_y (plate)
                                                    : 0.0);
  g_autofree char *description = NULL;
  GESTestClip *clip = ges_test_clip_new ();
  GESEffect *effect;

  ges_test_clip_set_vpattern (clip, GES_VIDEO_TEST_PATTERN_GREEN);
  /* Picture only: a test clip also makes sound, a full-scale sine, where the shot is
   * silent. */
  ges_clip_set_supported_formats (GES_CLIP (clip), GES_TRACK_TYPE_VIDEO);
  ges_timeline_element_set_start (GES_TIMELINE_ELEMENT (clip), start);
  ges_timeline_element_set_duration (GES_TIMELINE_ELEMENT (clip), duration);
  if (!ges_layer_add_clip (layer, GES_CLIP (clip)))
    return FALSE;

  description = g_strdup_printf ("videoconvert ! reelchromakey key-color=%u "
                                 "background-clip-location=\"%s\" background-scale=%s "
                                 "background-x=%s background-y=%s "
                                 "! capsfilter caps=\"video/x-raw,format=BGRA,width=%d,"
                                 "height=%d,pixel-aspect-ratio=1/1\"",
                                 0x00ff00u, plan->clip_path, scale, x, y, width, height);
  effect = ges_effect_new (description);
  if (effect == NULL || !ges_container_add (GES_CONTAINER (clip), GES_TIMELINE_ELEMENT (effect)))
    {
      ges_layer_remove_clip (layer, GES_CLIP (clip));
      return FALSE;
    }

  /* The composite is the whole picture: GES would otherwise fit it as if it had the test
   * source's 16:9 shape, with bars beside it in a wider picture. */
  ges_timeline_element_set_child_properties (GES_TIMELINE_ELEMENT (clip),
                                             "posx", 0, "posy", 0,
                                             "width", width, "height", height,
                                             NULL);
  return TRUE;
}

/* The sketch alone on a transparent picture, to go over a clip that plays without a plate
 * (in the plates layer, above it), as it goes over a still. Nothing for an empty sketch. */
static gboolean
prepare_sketch_overlay (ReelAnimatic  *self,
                        ReelShot      *shot,
                        ShotPlan      *plan,
                        guint          index,
                        int            width,
                        int            height,
                        GError       **error)
{
  ReelSketch *sketch = reel_shot_get_sketch (shot);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GError) local_error = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  if (sketch == NULL || reel_sketch_is_empty (sketch))
    return TRUE;

  name = g_strdup_printf ("%04u-sketch.png", index + 1);
  path = g_build_filename (self->work_dir, name, NULL);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  reel_sketch_render (sketch, cr, width, height);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_ENCODE,
                   _("Could not draw the panel of shot %s for the animatic: %s"),
                   reel_shot_get_number (shot), cairo_status_to_string (status));
      return FALSE;
    }

  uri = gst_filename_to_uri (path, NULL);
  plan->sketch = ges_uri_clip_asset_request_sync (uri, &local_error);
  if (plan->sketch == NULL)
    g_debug ("Shot %s: the sketch cannot go over its clip (%s)", reel_shot_get_number (shot),
             local_error != NULL ? local_error->message : "");
  return TRUE;
}

/* Camera moves */

/* A shot whose camera moves, as a clip of its own that then plays like a clip background
 * (reel-camera-move.c): the background alone, the plate keyed over it frame by frame, or
 * without a plate the sketch over it. Leaves the shot as it was when the camera does not
 * move or there is nothing to move. */
static gboolean
prepare_camera_move (ReelAnimatic  *self,
                     ReelShot      *shot,
                     ShotPlan      *plan,
                     guint          index,
                     int            width,
                     int            height,
                     GCancellable  *cancellable,
                     GError       **error)
{
  gint64 n_frames = g_array_index (self->starts, gint64, index + 1)
                    - g_array_index (self->starts, gint64, index);
  g_autoptr(ReelCameraMove) move = NULL;
  g_autoptr(GFile) output = NULL;
  g_autoptr(GFile) written = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;

  if (n_frames < 2)
    return TRUE;
  /* The sketch goes over it as over any clip (prepare_sketch_overlay()). */
  move = reel_camera_move_new (self->project, shot, FALSE);
  if (move == NULL)
    return TRUE;

  name = g_strdup_printf ("%04u-move.avi", index + 1);
  path = g_build_filename (self->work_dir, name, NULL);
  output = g_file_new_for_path (path);
  written = reel_camera_move_write (move, output, REEL_CAMERA_MOVE_MJPEG_AVI, width, height,
                                    n_frames, self->rate.num, self->rate.den, cancellable,
                                    &local_error);
  if (written == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("Shot %s: %s; showing the panel", reel_shot_get_number (shot),
               local_error->message);
      return TRUE;
    }

  uri = gst_filename_to_uri (path, NULL);
  plan->clip = ges_uri_clip_asset_request_sync (uri, &local_error);
  if (plan->clip == NULL)
    {
      g_debug ("Shot %s: the camera move is unreadable (%s), showing the panel",
               reel_shot_get_number (shot), local_error != NULL ? local_error->message : "");
      return TRUE;
    }
  plan->clip_path = g_steal_pointer (&path);

  return TRUE;
}

/**
 * reel_animatic_prepare:
 * @self: a #ReelAnimatic
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError in %REEL_MEDIA_ERROR
 *
 * The slow part of building: draws every shot's still and inspects the footage. Blocking,
 * and safe on a worker thread (GES binds a timeline to the thread that makes it, so
 * reel_animatic_build() runs where the timeline will be used). A plate that is missing or
 * cannot be decoded leaves its shot as a still.
 *
 * Returns: %TRUE when every shot is ready
 */
gboolean
reel_animatic_prepare (ReelAnimatic  *self,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  int width, height;

  g_return_val_if_fail (REEL_IS_ANIMATIC (self), FALSE);

  if (self->plans != NULL)
    return TRUE;

  if (!reel_media_init_editing (error))
    return FALSE;

  if (self->shots->len == 0)
    {
      g_set_error_literal (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_EMPTY,
                           _("There are no shots to make an animatic of: add shots first"));
      return FALSE;
    }

  self->work_dir = g_dir_make_tmp ("storyreel-animatic-XXXXXX", &local_error);
  if (self->work_dir == NULL)
    {
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_ENCODE,
                   _("No room for the animatic’s pictures: %s"), local_error->message);
      return FALSE;
    }

  reel_animatic_get_frame_size (self, &width, &height);
  self->plans = g_ptr_array_new_with_free_func (shot_plan_free);

  for (guint i = 0; i < self->shots->len; i++)
    {
      ReelShot *shot = g_ptr_array_index (self->shots, i);
      ReelPlate *plate = reel_shot_get_plate (shot);
      g_autofree char *still_name = g_strdup_printf ("%04u.png", i + 1);
      g_autofree char *still_uri = NULL;
      ShotPlan *plan = g_new0 (ShotPlan, 1);

      g_ptr_array_add (self->plans, plan);
      plan->still = g_build_filename (self->work_dir, still_name, NULL);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto failed;

      if (plate != NULL)
        {
          g_autoptr(GFile) plate_file = reel_plate_resolve (plate, self->project_file);
          g_autofree char *uri = g_file_get_uri (plate_file);

          if (g_file_query_exists (plate_file, cancellable))
            plan->plate = ges_uri_clip_asset_request_sync (uri, NULL);
          if (plan->plate == NULL)
            g_debug ("Shot %s: footage %s unusable, showing the panel",
                     reel_shot_get_number (shot), uri);
        }

      if (!prepare_clip_background (self, shot, plan, i, error))
        goto failed;
      if (plan->clip == NULL
          && !prepare_camera_move (self, shot, plan, i, width, height, cancellable, error))
        goto failed;
      if (plan->clip != NULL && plan->plate == NULL
          && !prepare_sketch_overlay (self, shot, plan, i, width, height, error))
        goto failed;

      if (plan->plate != NULL)
        {
          if (!write_background_png (self->project, shot, width, height, plan->still, error))
            goto failed;
        }
      else if (!write_panel_png (self->project, shot, width, height, plan->still, error))
        goto failed;

      still_uri = gst_filename_to_uri (plan->still, NULL);
      plan->picture = ges_uri_clip_asset_request_sync (still_uri, &local_error);
      if (plan->picture == NULL)
        {
          g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_ENCODE,
                       _("The panel of shot %s could not be put in the animatic: %s"),
                       reel_shot_get_number (shot),
                       local_error != NULL ? local_error->message : "");
          goto failed;
        }
    }

  return TRUE;

failed:
  g_clear_pointer (&self->plans, g_ptr_array_unref);
  return FALSE;
}

/**
 * reel_animatic_build:
 * @self: a #ReelAnimatic
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError in %REEL_MEDIA_ERROR
 *
 * Lays out the timeline, after reel_animatic_prepare() if that was not done yet. Call it
 * on the thread that will play or render the timeline.
 *
 * Returns: %TRUE when the timeline is ready
 */
gboolean
reel_animatic_build (ReelAnimatic  *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GstCaps) restriction = NULL;
  g_autoptr(GstCaps) audio_restriction = NULL;
  GESLayer *captions, *plates, *stills;
  GESTrack *track, *audio;
  int width, height;

  g_return_val_if_fail (REEL_IS_ANIMATIC (self), FALSE);
  g_return_val_if_fail (self->timeline == NULL, FALSE);

  if (!reel_animatic_prepare (self, cancellable, error))
    return FALSE;

  reel_animatic_get_frame_size (self, &width, &height);

  self->timeline = ges_timeline_new ();
  gst_object_ref_sink (self->timeline);
  track = GES_TRACK (ges_video_track_new ());
  restriction = gst_caps_new_simple ("video/x-raw",
                                     "width", G_TYPE_INT, width,
                                     "height", G_TYPE_INT, height,
                                     "framerate", GST_TYPE_FRACTION, self->rate.num, self->rate.den,
                                     "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                                     NULL);
  ges_track_set_restriction_caps (track, restriction);
  ges_timeline_add_track (self->timeline, track);

  /* Silence where no plate sounds: GES fills the track's gaps. */
  audio = GES_TRACK (ges_audio_track_new ());
  audio_restriction = gst_caps_new_simple ("audio/x-raw",
                                           "rate", G_TYPE_INT, REEL_ANIMATIC_AUDIO_RATE,
                                           "channels", G_TYPE_INT, 2,
                                           NULL);
  ges_track_set_restriction_caps (audio, audio_restriction);
  ges_timeline_add_track (self->timeline, audio);

  captions = ges_timeline_append_layer (self->timeline);
  plates = ges_timeline_append_layer (self->timeline);
  stills = ges_timeline_append_layer (self->timeline);

  for (guint i = 0; i < self->shots->len; i++)
    {
      ReelShot *shot = g_ptr_array_index (self->shots, i);
      ShotPlan *plan = g_ptr_array_index (self->plans, i);
      gint64 first_frame = g_array_index (self->starts, gint64, i);
      GstClockTime start = frame_time (self, first_frame);
      GstClockTime end = start + frame_time (self, g_array_index (self->starts, gint64, i + 1)
                                                   - first_frame);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          gst_clear_object (&self->timeline);
          return FALSE;
        }

      if (plan->clip != NULL
          && !add_background_clip (self, stills, plan, reel_shot_get_plate (shot),
                                   g_array_index (self->starts, gint64, i),
                                   g_array_index (self->starts, gint64, i + 1), width, height))
        {
          g_debug ("Shot %s: the background clip could not be laid out",
                   reel_shot_get_number (shot));
          g_clear_object (&plan->clip);
          g_clear_pointer (&plan->clip_path, g_free);
        }

      if (plan->clip == NULL
          && ges_layer_add_asset (stills, GES_ASSET (plan->picture), start, 0, end - start,
                                  GES_TRACK_TYPE_VIDEO) == NULL)
        {
          g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_ENCODE,
                       _("The panel of shot %s could not be put in the animatic"),
                       reel_shot_get_number (shot));
          gst_clear_object (&self->timeline);
          return FALSE;
        }

      if (plan->clip != NULL && plan->sketch != NULL
          && ges_layer_add_asset (plates, GES_ASSET (plan->sketch), start, 0, end - start,
                                  GES_TRACK_TYPE_VIDEO) == NULL)
        g_debug ("Shot %s: the sketch could not go over its clip", reel_shot_get_number (shot));

      if (plan->plate != NULL
          && !add_plate_clip (self, plates, reel_shot_get_plate (shot), plan->plate, plan->still,
                              plan->clip_path, start, end - start, width, height))
        g_debug ("Shot %s: the plate could not be keyed in the animatic",
                 reel_shot_get_number (shot));

      if (self->captions)
        add_caption (captions, shot, start, end - start, height);
    }

  if (!ges_timeline_commit_sync (self->timeline))
    g_debug ("The animatic's timeline had nothing to commit");

  return TRUE;
}

/**
 * reel_animatic_get_timeline:
 * @self: a #ReelAnimatic
 *
 * Returns: (transfer none) (nullable): the timeline, once built
 */
GESTimeline *
reel_animatic_get_timeline (ReelAnimatic *self)
{
  g_return_val_if_fail (REEL_IS_ANIMATIC (self), NULL);

  return self->timeline;
}

/* Rendering */

const char *
reel_animatic_format_get_extension (ReelAnimaticFormat format)
{
  switch (format)
    {
    case REEL_ANIMATIC_FORMAT_WEBM:
      return "webm";
    case REEL_ANIMATIC_FORMAT_PRORES:
      return "mov";
    case REEL_ANIMATIC_FORMAT_MP4:
    default:
      return "mp4";
    }
}

static gboolean
has_encoder (const char *caps_string)
{
  g_autoptr(GstCaps) caps = gst_caps_from_string (caps_string);
  GList *encoders = gst_element_factory_list_get_elements (GST_ELEMENT_FACTORY_TYPE_ENCODER,
                                                           GST_RANK_MARGINAL);
  GList *usable = gst_element_factory_list_filter (encoders, caps, GST_PAD_SRC, FALSE);
  gboolean found = usable != NULL;

  gst_plugin_feature_list_free (usable);
  gst_plugin_feature_list_free (encoders);
  return found;
}

#define MP4_VIDEO_CAPS  "video/x-h264"
#define MP4_AUDIO_CAPS  "audio/mpeg,mpegversion=4"
#define WEBM_VIDEO_CAPS "video/x-vp9"
#define WEBM_AUDIO_CAPS "audio/x-opus"
/* ProRes is 10-bit 4:2:2 (avenc_prores_ks); the sound is plain PCM, which qtmux takes as it is. */
#define PRORES_VIDEO_CAPS "video/x-prores"
#define PRORES_RAW_CAPS   "video/x-raw,format=I422_10LE"
#define PRORES_AUDIO_CAPS "audio/x-raw,format=S16LE,layout=interleaved"
/* gst-libav has three ProRes encoders of the same rank; this is the one whose profile can be
 * chosen, and named in the encoding profile so that encodebin does not pick another. */
#define PRORES_ENCODER    "avenc_prores_ks"

static gboolean
check_encoder (ReelAnimaticFormat   format,
               GError             **error)
{
  gboolean webm = format == REEL_ANIMATIC_FORMAT_WEBM;

  if (format == REEL_ANIMATIC_FORMAT_PRORES)
    {
      g_autoptr(GstElementFactory) factory = gst_element_factory_find (PRORES_ENCODER);

      if (factory != NULL && has_encoder (PRORES_VIDEO_CAPS))
        return TRUE;
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_ELEMENT,
                   _("No ProRes encoder is installed, so QuickTime clips cannot be made. "
                     "Install the GStreamer libav plugins (avenc_prores_ks)."));
      return FALSE;
    }

  if (!has_encoder (webm ? WEBM_VIDEO_CAPS : MP4_VIDEO_CAPS))
    {
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_ELEMENT,
                   webm
                   ? _("No VP9 encoder is installed, so WebM animatics cannot be made. "
                       "Install the GStreamer good plugins (vp9enc).")
                   : _("No H.264 encoder is installed, so MP4 animatics cannot be made. "
                       "Install the GStreamer ugly plugins (x264enc) or OpenH264."));
      return FALSE;
    }

  /* Debian has AAC in the libav plugins (avenc_aac) and the bad plugins (voaacenc), the
   * GNOME runtime in the bad plugins (fdkaacenc); encodebin takes the best ranked. */
  if (!has_encoder (webm ? WEBM_AUDIO_CAPS : MP4_AUDIO_CAPS))
    {
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_ELEMENT,
                   webm
                   ? _("No Opus encoder is installed, so WebM animatics cannot be made with "
                       "their sound. Install the GStreamer base plugins (opusenc).")
                   : _("No AAC encoder is installed, so MP4 animatics cannot be made with "
                       "their sound. Install the GStreamer libav plugins (avenc_aac) or the "
                       "bad plugins (fdkaacenc or voaacenc)."));
      return FALSE;
    }

  return TRUE;
}

static GstEncodingProfile *
make_profile (ReelAnimaticFormat format)
{
  gboolean webm = format == REEL_ANIMATIC_FORMAT_WEBM;
  gboolean prores = format == REEL_ANIMATIC_FORMAT_PRORES;
  g_autoptr(GstCaps) container_caps = gst_caps_from_string (webm ? "video/webm"
                                                            : prores ? "video/quicktime,variant=apple"
                                                            : "video/quicktime,variant=iso");
  g_autoptr(GstCaps) video_caps = gst_caps_from_string (webm ? WEBM_VIDEO_CAPS
                                                        : prores ? PRORES_VIDEO_CAPS
                                                        : MP4_VIDEO_CAPS);
  g_autoptr(GstCaps) audio_caps = gst_caps_from_string (webm ? WEBM_AUDIO_CAPS
                                                        : prores ? PRORES_AUDIO_CAPS
                                                        : MP4_AUDIO_CAPS);
  g_autoptr(GstCaps) raw = gst_caps_from_string (prores ? PRORES_RAW_CAPS
                                                        : "video/x-raw,format=I420");
  GstEncodingContainerProfile *container;
  GstEncodingVideoProfile *video;
  GstEncodingAudioProfile *audio;

  container = gst_encoding_container_profile_new ("storyreel-animatic", NULL, container_caps,
                                                  NULL);
  video = gst_encoding_video_profile_new (video_caps, NULL, raw, 0);
  if (prores)
    gst_encoding_profile_set_preset_name (GST_ENCODING_PROFILE (video), PRORES_ENCODER);
  audio = gst_encoding_audio_profile_new (audio_caps, NULL, NULL, 0);

  gst_encoding_container_profile_add_profile (container, GST_ENCODING_PROFILE (video));
  gst_encoding_container_profile_add_profile (container, GST_ENCODING_PROFILE (audio));
  return GST_ENCODING_PROFILE (container);
}

/* Fast settings: stills and previs plates, not a master. VP9 defaults to its slowest
 * "best" mode, which would take minutes for a short reel. Set by name as the encoder is
 * created, because the enum types of their properties exist only once they are loaded. */
static void
tune_encoder (GstBin     *pipeline,
              GstBin     *bin,
              GstElement *element,
              gpointer    user_data)
{
  GstElementFactory *factory = gst_element_get_factory (element);
  const char *name = factory != NULL ? GST_OBJECT_NAME (factory) : "";

  if (g_str_equal (name, "x264enc"))
    {
      gst_util_set_object_arg (G_OBJECT (element), "speed-preset", "veryfast");
    }
  else if (g_str_equal (name, PRORES_ENCODER))
    {
      /* Proxy: the smallest ProRes, plenty for a still that lasts a shot. */
      gst_util_set_object_arg (G_OBJECT (element), "profile", "proxy");
    }
  else if (g_str_equal (name, "vp9enc"))
    {
      gst_util_set_object_arg (G_OBJECT (element), "deadline", "1");
      gst_util_set_object_arg (G_OBJECT (element), "cpu-used", "8");
      gst_util_set_object_arg (G_OBJECT (element), "row-mt", "true");
      gst_util_set_object_arg (G_OBJECT (element), "target-bitrate", "3000000");
    }
}

/* Provenance in the container, as the exports carry it (the EDL's comments, the panels'
 * XMP): the muxer's comment tag names the shots whose background a generative model made,
 * and which model. In English, like the EDL's: tools read it, whatever the user's language. */
static void
tag_muxer (GstBin       *pipeline,
           GstBin       *bin,
           GstElement   *element,
           ReelAnimatic *self)
{
  GstElementFactory *factory = gst_element_get_factory (element);
  g_autoptr(GstTagList) tags = NULL;
  g_autoptr(GString) comment = NULL;

  if (factory == NULL || !GST_IS_TAG_SETTER (element)
      || !gst_element_factory_list_is_type (factory, GST_ELEMENT_FACTORY_TYPE_MUXER))
    return;

  comment = g_string_new ("Storyboard animatic made with Storyreel.");
  /* Two passes: backgrounds a model made, then gray-box renders of the set (an algorithm
   * with no training data, IPTC algorithmicMedia), never called AI. */
  for (guint pass = 0; pass < 2; pass++)
    {
      guint n_listed = 0;

      for (guint i = 0; i < self->shots->len; i++)
        {
          ReelShot *shot = g_ptr_array_index (self->shots, i);
          const char *hash = reel_shot_get_background (shot);
          const char *number = reel_shot_get_number (shot);
          ReelAsset *asset = hash != NULL ? reel_project_lookup_asset (self->project, hash)
                                          : NULL;
          ReelGenerationRecord *record = asset != NULL ? reel_asset_get_generation (asset)
                                                       : NULL;

          if (record == NULL || reel_generation_record_is_model_made (record) != (pass == 0))
            continue;

          if (n_listed++ > 0)
            g_string_append (comment, "; shot ");
          else if (pass == 0)
            g_string_append (comment, " Backgrounds made by generative AI (IPTC digital "
                                      "source type trainedAlgorithmicMedia): shot ");
          else
            g_string_append (comment, " Gray-box backgrounds rendered by Storyreel from the "
                                      "3D set, no AI model (IPTC digital source type "
                                      "algorithmicMedia): shot ");
          if (number != NULL && number[0] != '\0')
            g_string_append (comment, number);
          else
            g_string_append_printf (comment, "#%u", i + 1);
          if (pass == 0)
            g_string_append_printf (comment, " (%s%s%s)",
                                    record->provider ? record->provider : "",
                                    record->provider && record->model ? " " : "",
                                    record->model ? record->model : "");
        }
      if (n_listed > 0)
        g_string_append_c (comment, '.');
      else if (pass == 0)
        g_string_append (comment, " No background was made by generative AI.");
    }

  tags = gst_tag_list_new (GST_TAG_COMMENT, comment->str, NULL);
  gst_tag_setter_merge_tags (GST_TAG_SETTER (element), tags, GST_TAG_MERGE_REPLACE);
}

/**
 * reel_animatic_render:
 * @self: a built #ReelAnimatic
 * @format: MP4, WebM or ProRes QuickTime
 * @output: the file to write (replaced)
 * @progress: (nullable) (scope call): called on this thread with the fraction done
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Encodes the timeline. Blocking: call it from a worker thread. A cancelled render is
 * %G_IO_ERROR_CANCELLED and leaves @output incomplete: delete it.
 *
 * Returns: %TRUE when @output is complete
 */
gboolean
reel_animatic_render (ReelAnimatic              *self,
                      ReelAnimaticFormat         format,
                      GFile                     *output,
                      ReelAnimaticProgressFunc   progress,
                      gpointer                   progress_data,
                      GCancellable              *cancellable,
                      GError                   **error)
{
  g_autoptr(GESPipeline) pipeline = NULL;
  g_autoptr(GstEncodingProfile) profile = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *name = NULL;
  GstClockTime duration;
  gboolean done = FALSE, ok = FALSE;

  g_return_val_if_fail (REEL_IS_ANIMATIC (self), FALSE);
  g_return_val_if_fail (self->timeline != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (output), FALSE);

  if (!check_encoder (format, error))
    return FALSE;

  name = g_file_get_parse_name (output);
  uri = g_file_get_uri (output);
  duration = frame_time (self, reel_animatic_get_duration (self));

  pipeline = ges_pipeline_new ();
  gst_object_ref_sink (pipeline);
  if (!ges_pipeline_set_timeline (pipeline, gst_object_ref (self->timeline)))
    {
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_ENCODE,
                   _("The animatic could not be set up for rendering"));
      return FALSE;
    }

  g_signal_connect (pipeline, "deep-element-added", G_CALLBACK (tune_encoder), NULL);
  g_signal_connect (pipeline, "deep-element-added", G_CALLBACK (tag_muxer), self);
  profile = make_profile (format);
  if (!ges_pipeline_set_render_settings (pipeline, uri, profile)
      || !ges_pipeline_set_mode (pipeline, GES_PIPELINE_MODE_RENDER))
    {
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_ENCODE,
                   _("The animatic cannot be written to “%s”"), name);
      return FALSE;
    }

  bus = gst_element_get_bus (GST_ELEMENT (pipeline));
  if (gst_element_set_state (GST_ELEMENT (pipeline), GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      g_autoptr(GError) reason = NULL;

      if (message != NULL)
        gst_message_parse_error (message, &reason, NULL);
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_ENCODE,
                   _("Rendering the animatic to “%s” failed: %s"), name,
                   reason != NULL ? reason->message : _("the pipeline did not start"));
      gst_element_set_state (GST_ELEMENT (pipeline), GST_STATE_NULL);
      return FALSE;
    }

  while (!done)
    {
      g_autoptr(GstMessage) message = NULL;
      gint64 position = 0;

      message = gst_bus_timed_pop_filtered (bus, 100 * GST_MSECOND,
                                            GST_MESSAGE_EOS | GST_MESSAGE_ERROR);

      if (message != NULL && GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS)
        {
          ok = done = TRUE;
        }
      else if (message != NULL)
        {
          g_autoptr(GError) reason = NULL;
          g_autofree char *debug = NULL;

          gst_message_parse_error (message, &reason, &debug);
          g_debug ("Animatic render error: %s (%s)", reason->message, debug ? debug : "");
          g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_ENCODE,
                       _("Rendering the animatic to “%s” failed: %s"), name, reason->message);
          done = TRUE;
        }
      else if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          done = TRUE;
        }
      else if (progress != NULL
               && gst_element_query_position (GST_ELEMENT (pipeline), GST_FORMAT_TIME,
                                              &position)
               && duration > 0)
        {
          progress (CLAMP ((double) position / duration, 0.0, 1.0), progress_data);
        }
    }

  gst_element_set_state (GST_ELEMENT (pipeline), GST_STATE_NULL);

  if (ok && progress != NULL)
    progress (1.0, progress_data);

  return ok;
}

/* The one-call version */

typedef struct
{
  ReelAnimatic *animatic;
  ReelAnimaticFormat format;
  GFile *output;
  GMainContext *context;
  ReelAnimaticProgressFunc progress;
  gpointer progress_data;
  GDestroyNotify progress_destroy;

  GMutex lock;
  double fraction;        /* under lock */
  GSource *progress_idle; /* under lock */
} RenderJob;

static void
render_job_free (gpointer data)
{
  RenderJob *job = data;

  g_mutex_lock (&job->lock);
  if (job->progress_idle != NULL)
    {
      g_source_destroy (job->progress_idle);
      g_clear_pointer (&job->progress_idle, g_source_unref);
    }
  g_mutex_unlock (&job->lock);

  if (job->progress_destroy != NULL)
    job->progress_destroy (job->progress_data);
  g_clear_object (&job->animatic);
  g_clear_object (&job->output);
  g_main_context_unref (job->context);
  g_mutex_clear (&job->lock);
  g_free (job);
}

static gboolean
report_progress (gpointer data)
{
  RenderJob *job = data;
  double fraction;

  g_mutex_lock (&job->lock);
  fraction = job->fraction;
  g_clear_pointer (&job->progress_idle, g_source_unref);
  g_mutex_unlock (&job->lock);

  job->progress (fraction, job->progress_data);
  return G_SOURCE_REMOVE;
}

/* Worker thread: the newest fraction waits in a slot for one idle on the caller's
 * context, like video frames do. */
static void
queue_progress (double   fraction,
                gpointer data)
{
  RenderJob *job = data;

  if (job->progress == NULL)
    return;

  g_mutex_lock (&job->lock);
  job->fraction = fraction;
  if (job->progress_idle == NULL)
    {
      job->progress_idle = g_idle_source_new ();
      g_source_set_callback (job->progress_idle, report_progress, job, NULL);
      g_source_set_static_name (job->progress_idle, "[storyreel] animatic progress");
      g_source_attach (job->progress_idle, job->context);
    }
  g_mutex_unlock (&job->lock);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenderJob *job = task_data;
  g_autoptr(GFile) folder = g_file_get_parent (job->output);
  g_autofree char *basename = g_file_get_basename (job->output);
  g_autofree char *temp_name = g_strdup_printf (".%s.%08x.part", basename, g_random_int ());
  g_autoptr(GFile) temp = g_file_get_child (folder, temp_name);
  GError *error = NULL;

  /* Written beside the output and renamed over it only when complete. */
  if (!reel_animatic_build (job->animatic, cancellable, &error)
      || !reel_animatic_render (job->animatic, job->format, temp, queue_progress, job,
                                cancellable, &error)
      || !g_file_move (temp, job->output, G_FILE_COPY_OVERWRITE | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                       cancellable, NULL, NULL, &error))
    {
      g_file_delete (temp, NULL, NULL);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * reel_animatic_render_async:
 * @project: the project
 * @scene: (nullable): one scene, or %NULL for all
 * @project_file: (nullable): where the project is saved, to find linked footage
 * @format: MP4, WebM or ProRes QuickTime
 * @output: the file to write; replaced only when the render succeeds
 * @progress: (nullable): called on this thread's main context with the fraction done
 * @progress_data: data for @progress
 * @progress_destroy: (nullable): frees @progress_data when the render is over
 * @cancellable: (nullable): cancels the render; nothing is left behind
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Copies the project now, then builds and encodes on a worker thread.
 */
void
reel_animatic_render_async (ReelProject              *project,
                            ReelScene                *scene,
                            GFile                    *project_file,
                            ReelAnimaticFormat        format,
                            GFile                    *output,
                            ReelAnimaticProgressFunc  progress,
                            gpointer                  progress_data,
                            GDestroyNotify            progress_destroy,
                            GCancellable             *cancellable,
                            GAsyncReadyCallback       callback,
                            gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  RenderJob *job;

  g_return_if_fail (REEL_IS_PROJECT (project));
  g_return_if_fail (scene == NULL || REEL_IS_SCENE (scene));
  g_return_if_fail (G_IS_FILE (output));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_animatic_render_async);
  g_task_set_name (task, "[storyreel] render animatic");

  job = g_new0 (RenderJob, 1);
  g_mutex_init (&job->lock);
  job->animatic = reel_animatic_new (project, scene, project_file);
  job->format = format;
  job->output = g_object_ref (output);
  job->context = g_main_context_ref_thread_default ();
  job->progress = progress;
  job->progress_data = progress_data;
  job->progress_destroy = progress_destroy;
  g_task_set_task_data (task, job, render_job_free);

  g_task_run_in_thread (task, render_thread);
}

/**
 * reel_animatic_render_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the animatic was written
 */
gboolean
reel_animatic_render_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == reel_animatic_render_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
