/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-chroma-key"

#include "config.h"

#include <math.h>
#include <string.h>
#include <gst/video/video.h>

#include "reel-chroma-key.h"
#include "reel-chroma-key-private.h"
#include "reel-clip-frames.h"

/* Keys a plate and composites it over a background in one pass over the frame.
 *
 * Input is I420 or NV12 (as hardware decoders give it) already scaled for the view, output
 * BGRA at the view's size; NV12's interleaved chroma is split into two rows, one row at a
 * time, and keyed as I420's, to the same bytes. Whether a pixel is key colour depends
 * only on its chroma (Cb, Cr), so for each key setting a 256×256 table holds, per chroma
 * pair, the alpha and the pixel's colour-difference terms after spill suppression; the
 * per-pixel work is a table lookup, one add per channel and a blend with the
 * already-placed background.
 *
 * Most of a plate is screen, which shows the background unchanged. So that those pixels
 * cost what a copy costs, the table is summed up as a box of chroma (a range of Cb and a
 * range of Cr) in which every alpha is 0; sixteen chroma samples at a time are checked
 * against it with vector compares, and a block that lies inside is copied from the
 * background without a lookup. Other blocks take the per-pixel path. The box only skips
 * work whose result it knows, so the output is the same to the bit as the per-pixel path
 * alone (composite_rows_reference(), kept for the test that checks this).
 *
 * Settings (key, background, placement) live in an immutable, reference-counted snapshot.
 * A setter copies the current one, changes the copy and swaps the pointer; the streaming
 * thread takes a reference at the start of each frame. So a change applies from the next
 * frame on, is never seen half-done, and nothing is rebuilt or renegotiated.
 *
 * The background is a still or a clip (a moving background): then plate frame N, counted
 * from the stream time of the plate's buffer, goes over clip frame N, which wraps round
 * when the clip is shorter (reel-clip-frames.c decodes it). Switching between the two is a
 * settings swap like any other.
 *
 * Without a background the output keeps the plate's alpha (straight, as GStreamer's BGRA
 * is), for use as a GES effect over a still on a lower layer. */

typedef struct
{
  guint32 key_rgb;
  double similarity;
  double softness;
  double spill;

  double plate_scale;
  double plate_x;
  double plate_y;

  cairo_surface_t *background;
  char *background_location;
  ReelClipFrames *background_clip;  /* wins over background when set */
  char *background_clip_location;
  double background_scale;
  double background_x;
  double background_y;

  guint64 serial;          /* n_settings_swaps when published; stamped on each output */
} Settings;

typedef struct
{
  gint16 r, g, b;  /* colour-difference terms, in 1/64 of an 8-bit step */
  gint16 padding;
} ColorEntry;

/* Sixteen chroma samples, for the box test (GCC vector extensions: SSE2, NEON or plain
 * integer code, whatever the target has). */
typedef guint8 ChromaVector __attribute__ ((vector_size (16)));
#define CHROMA_BLOCK 16

/* A range of Cb and of Cr (as lowest value and width, so that one wrapping subtraction and
 * one compare test a sample) inside which the key table's alpha is 0 everywhere. */
typedef struct
{
  gboolean valid;
  guint8 u_low, u_width;
  guint8 v_low, v_width;
} ChromaBox;

/* Pixels as 32-bit words whose bytes are B, G, R, A in memory on any machine. */
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
#define PACK_BGRA(r, g, b, a) \
  ((guint32) (b) | ((guint32) (g) << 8) | ((guint32) (r) << 16) | ((guint32) (a) << 24))
#define BGRA_B(p) ((p) & 0xff)
#define BGRA_G(p) (((p) >> 8) & 0xff)
#define BGRA_R(p) (((p) >> 16) & 0xff)
#else
#define PACK_BGRA(r, g, b, a) \
  (((guint32) (b) << 24) | ((guint32) (g) << 16) | ((guint32) (r) << 8) | (guint32) (a))
#define BGRA_B(p) (((p) >> 24) & 0xff)
#define BGRA_G(p) (((p) >> 16) & 0xff)
#define BGRA_R(p) (((p) >> 8) & 0xff)
#endif

struct _ReelChromaKey
{
  GstVideoFilter parent_instance;

  GMutex settings_lock;
  Settings *settings;      /* under settings_lock */
  guint64 n_settings_swaps;

  /* Streaming state, under render_lock: the streaming thread holds it for a frame, the
   * main thread for a recomposite or an eyedropper sample while paused. */
  GMutex render_lock;
  GstVideoInfo in_info;
  GstVideoInfo out_info;
  gboolean have_info;
  Settings *applied;       /* the snapshot the tables below were made for */
  guint8 *alpha_lut;       /* per (Cb << 8 | Cr); 64 KiB, stays in cache */
  ColorEntry *color_lut;   /* per (Cb << 8 | Cr), read only for pixels that show */
  gboolean lut_valid;
  ChromaBox box;           /* chroma whose alpha is 0, from the table */
  gboolean reference;      /* per-pixel path only (the test's reference) */
  gint32 luma[256];
  double kr, kb;
  gboolean full_range;
  cairo_surface_t *placed_background;
  gboolean background_valid;
  gint64 background_frame; /* the clip frame placed_background shows, or -1 */
  int *map_x;              /* output column → sample column, -1 off the plate */
  int *map_y;
  int step;                /* 2: each sample averages a 2×2 block of plate pixels */
  gboolean maps_valid;
  GstBuffer *last_input;
  /* The frame before a renegotiation, with the formats it was keyed in, until the first
   * frame in the new ones: still on screen, so the eyedropper reads it. */
  GstBuffer *previous_input;
  GstVideoInfo previous_in_info;
  GstVideoInfo previous_out_info;

  /* Composite in bands of rows: "threads" (0: one per processor), and the threads that
   * run every band but the first, under render_lock. */
  int threads;
  GThreadPool *pool;
  int pool_size;
};

/* Bands of fewer rows cost more to hand over than they save. */
#define MIN_BAND_ROWS 32
#define MAX_THREADS   16

enum {
  PROP_0,
  PROP_KEY_COLOR,
  PROP_SIMILARITY,
  PROP_SOFTNESS,
  PROP_SPILL,
  PROP_PLATE_SCALE,
  PROP_PLATE_X,
  PROP_PLATE_Y,
  PROP_BACKGROUND_LOCATION,
  PROP_BACKGROUND_CLIP_LOCATION,
  PROP_BACKGROUND_SCALE,
  PROP_BACKGROUND_X,
  PROP_BACKGROUND_Y,
  PROP_THREADS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ReelChromaKey, reel_chroma_key, GST_TYPE_VIDEO_FILTER)

static GstStaticPadTemplate sink_template =
  GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
                           GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE ("{ I420, NV12 }")));

static GstStaticPadTemplate src_template =
  GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
                           GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE ("BGRA")));

/* Settings snapshots */

static void
settings_clear (gpointer data)
{
  Settings *settings = data;

  g_clear_pointer (&settings->background, cairo_surface_destroy);
  g_clear_pointer (&settings->background_location, g_free);
  g_clear_object (&settings->background_clip);
  g_clear_pointer (&settings->background_clip_location, g_free);
}

static void
settings_unref (Settings *settings)
{
  g_atomic_rc_box_release_full (settings, settings_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Settings, settings_unref)

static Settings *
settings_new_default (void)
{
  Settings *settings = g_atomic_rc_box_new0 (Settings);

  settings->key_rgb = REEL_CHROMA_KEY_DEFAULT_COLOR;
  settings->similarity = REEL_CHROMA_KEY_DEFAULT_SIMILARITY;
  settings->softness = REEL_CHROMA_KEY_DEFAULT_SOFTNESS;
  settings->spill = REEL_CHROMA_KEY_DEFAULT_SPILL;
  settings->plate_scale = 1.0;
  settings->background_scale = 1.0;

  return settings;
}

static Settings *
settings_copy (const Settings *settings)
{
  Settings *copy = g_atomic_rc_box_dup (sizeof (Settings), (gpointer) settings);

  if (copy->background != NULL)
    cairo_surface_reference (copy->background);
  copy->background_location = g_strdup (settings->background_location);
  if (copy->background_clip != NULL)
    g_object_ref (copy->background_clip);
  copy->background_clip_location = g_strdup (settings->background_clip_location);

  return copy;
}

/* Locks the settings and returns a private copy to change; publish it with commit_edit(). */
static Settings *
begin_edit (ReelChromaKey *self)
{
  g_mutex_lock (&self->settings_lock);
  return settings_copy (self->settings);
}

static void
commit_edit (ReelChromaKey *self,
             Settings      *edited)
{
  Settings *old = self->settings;

  self->settings = edited;
  self->n_settings_swaps++;
  edited->serial = self->n_settings_swaps;
  g_mutex_unlock (&self->settings_lock);

  settings_unref (old);
}

static Settings *
get_settings (ReelChromaKey *self)
{
  Settings *settings;

  g_mutex_lock (&self->settings_lock);
  settings = g_atomic_rc_box_acquire (self->settings);
  g_mutex_unlock (&self->settings_lock);

  return settings;
}

/* Colour */

static inline double
smoothstep (double edge0,
            double edge1,
            double x)
{
  double t;

  if (edge1 <= edge0)
    return x < edge0 ? 0.0 : 1.0;

  t = CLAMP ((x - edge0) / (edge1 - edge0), 0.0, 1.0);
  return t * t * (3.0 - 2.0 * t);
}

/* Colour difference (Pb, Pr), each in [-0.5, 0.5], of an sRGB colour. */
static void
rgb_to_pbpr (ReelChromaKey *self,
             guint32        rgb,
             double        *pb,
             double        *pr)
{
  double r = ((rgb >> 16) & 0xff) / 255.0;
  double g = ((rgb >> 8) & 0xff) / 255.0;
  double b = (rgb & 0xff) / 255.0;
  double y = self->kr * r + (1.0 - self->kr - self->kb) * g + self->kb * b;

  *pb = (b - y) / (2.0 * (1.0 - self->kb));
  *pr = (r - y) / (2.0 * (1.0 - self->kr));
}

static void
chroma_to_pbpr (ReelChromaKey *self,
                int            u,
                int            v,
                double        *pb,
                double        *pr)
{
  double scale = self->full_range ? 1.0 / 255.0 : 1.0 / 224.0;

  *pb = CLAMP ((u - 128) * scale, -0.5, 0.5);
  *pr = CLAMP ((v - 128) * scale, -0.5, 0.5);
}

static double
luma_to_unit (ReelChromaKey *self,
              int            y)
{
  return self->full_range ? y / 255.0 : (y - 16) / 219.0;
}

/* How far a chroma (Pb, Pr) is from the key, in units of the key's own saturation, so
 * 1 is as far as a grey: similarity 0.4 means the same on a pale and a vivid screen.
 * Colours more saturated than the key in its own direction (a brighter part of the
 * screen) count only by how far their hue strays, so uneven light still keys. */
static double
key_distance (double pb,
              double pr,
              double key_pb,
              double key_pr)
{
  double key_length = hypot (key_pb, key_pr);
  double direction_pb, direction_pr, along, across, short_of_key;

  if (key_length < 0.02)
    return hypot (pb - key_pb, pr - key_pr) / 0.35;  /* a grey key: plain distance */

  direction_pb = key_pb / key_length;
  direction_pr = key_pr / key_length;
  along = pb * direction_pb + pr * direction_pr;
  across = hypot (pb - along * direction_pb, pr - along * direction_pr);
  short_of_key = MIN (0.0, along - key_length);

  return hypot (across, short_of_key) / key_length;
}

/* TRUE if alpha is 0 for every chroma in [u_from, u_to] × [v_from, v_to]. */
static gboolean
chroma_range_removed (const guint8 *alpha_lut,
                      int           u_from,
                      int           u_to,
                      int           v_from,
                      int           v_to)
{
  if (u_from < 0 || v_from < 0 || u_to > 255 || v_to > 255)
    return FALSE;

  for (int u = u_from; u <= u_to; u++)
    for (int v = v_from; v <= v_to; v++)
      if (alpha_lut[(u << 8) | v] != 0)
        return FALSE;

  return TRUE;
}

/* The box of removed chroma: grown from the key's own chroma one step at a time in each
 * direction in turn, for as long as the new edge holds nothing but alpha 0. The region
 * the key removes is round and open towards more saturated screen, so a box covers most
 * of what a screen's pixels vary over (grain, uneven light) without being exact. */
static void
build_chroma_box (ReelChromaKey *self,
                  double         key_pb,
                  double         key_pr)
{
  double scale = self->full_range ? 255.0 : 224.0;
  int u = (int) CLAMP (lround (128.0 + key_pb * scale), 0, 255);
  int v = (int) CLAMP (lround (128.0 + key_pr * scale), 0, 255);
  int u_low = u, u_high = u, v_low = v, v_high = v;
  gboolean grown = TRUE;

  self->box.valid = self->alpha_lut[(u << 8) | v] == 0;
  if (!self->box.valid)
    return;

  while (grown)
    {
      grown = FALSE;
      if (chroma_range_removed (self->alpha_lut, u_low - 1, u_low - 1, v_low, v_high))
        u_low--, grown = TRUE;
      if (chroma_range_removed (self->alpha_lut, u_high + 1, u_high + 1, v_low, v_high))
        u_high++, grown = TRUE;
      if (chroma_range_removed (self->alpha_lut, u_low, u_high, v_low - 1, v_low - 1))
        v_low--, grown = TRUE;
      if (chroma_range_removed (self->alpha_lut, u_low, u_high, v_high + 1, v_high + 1))
        v_high++, grown = TRUE;
    }

  self->box.u_low = (guint8) u_low;
  self->box.u_width = (guint8) (u_high - u_low);
  self->box.v_low = (guint8) v_low;
  self->box.v_width = (guint8) (v_high - v_low);
}

static void
build_key_table (ReelChromaKey  *self,
                 const Settings *settings)
{
  double kg = 1.0 - self->kr - self->kb;
  double key_pb, key_pr, key_length, key_dir_pb = 0.0, key_dir_pr = 0.0;
  const double unit = 255.0 * 64.0;

  if (self->alpha_lut == NULL)
    {
      self->alpha_lut = g_new (guint8, 256 * 256);
      self->color_lut = g_new (ColorEntry, 256 * 256);
    }

  for (int y = 0; y < 256; y++)
    self->luma[y] = (gint32) lround (luma_to_unit (self, y) * unit);

  rgb_to_pbpr (self, settings->key_rgb, &key_pb, &key_pr);
  key_length = hypot (key_pb, key_pr);
  if (key_length >= 0.02)
    {
      key_dir_pb = key_pb / key_length;
      key_dir_pr = key_pr / key_length;
    }

  for (int u = 0; u < 256; u++)
    for (int v = 0; v < 256; v++)
      {
        ColorEntry *entry = &self->color_lut[(u << 8) | v];
        double pb, pr, distance, along;

        chroma_to_pbpr (self, u, v, &pb, &pr);
        distance = key_distance (pb, pr, key_pb, key_pr);

        self->alpha_lut[(u << 8) | v] = (guint8) lround (255.0 * smoothstep (settings->similarity,
                                                        settings->similarity
                                                        + settings->softness,
                                                        distance));

        /* Spill: take away the part of the colour that points towards the key colour,
         * fully at the key's edge and fading out over the spill range. */
        along = pb * key_dir_pb + pr * key_dir_pr;
        if (settings->spill > 0.0 && along > 0.0)
          {
            double removal = 1.0 - CLAMP ((distance - settings->similarity) / settings->spill,
                                          0.0, 1.0);

            pb -= key_dir_pb * along * removal;
            pr -= key_dir_pr * along * removal;
          }

        entry->r = (gint16) lround (2.0 * (1.0 - self->kr) * pr * unit);
        entry->b = (gint16) lround (2.0 * (1.0 - self->kb) * pb * unit);
        entry->g = (gint16) lround (-(2.0 * self->kb * (1.0 - self->kb) / kg * pb
                                      + 2.0 * self->kr * (1.0 - self->kr) / kg * pr) * unit);
        entry->padding = 0;
      }

  build_chroma_box (self, key_pb, key_pr);
  self->lut_valid = TRUE;
}

/* Geometry: where the plate lands in the output frame. The plate is fitted inside the frame
 * (its whole picture visible), then scaled about the centre and moved by a fraction of the
 * frame size. */
static void
plate_rect (const Settings *settings,
            int             in_width,
            int             in_height,
            int             out_width,
            int             out_height,
            double         *x,
            double         *y,
            double         *width,
            double         *height)
{
  double fit = MIN ((double) out_width / in_width, (double) out_height / in_height);

  *width = in_width * fit * settings->plate_scale;
  *height = in_height * fit * settings->plate_scale;
  *x = (out_width - *width) / 2.0 + settings->plate_x * out_width;
  *y = (out_height - *height) / 2.0 + settings->plate_y * out_height;
}

/* How output pixels read the plate: where it lies in the output, in samples of @step
 * plate pixels each way. */
typedef struct
{
  double x, y, width, height;
  int step;
  int samples_x, samples_y;
} Sampling;

static void
sampling_for (const Settings *settings,
              int             in_width,
              int             in_height,
              int             out_width,
              int             out_height,
              Sampling       *sampling)
{
  plate_rect (settings, in_width, in_height, out_width, out_height, &sampling->x,
              &sampling->y, &sampling->width, &sampling->height);

  /* A plate shown at half its size or less is read in 2×2 blocks: the luma averaged, and
   * in 4:2:0 the block's own chroma sample. Smoother than skipping pixels, and it lets
   * the pipeline hand over a 1080p plate for a 540p view without scaling it first. */
  sampling->step = sampling->width * 2 <= in_width + 0.5
                   && sampling->height * 2 <= in_height + 0.5
                   && in_width >= 2 && in_height >= 2 ? 2 : 1;
  sampling->samples_x = in_width / sampling->step;
  sampling->samples_y = in_height / sampling->step;
}

/* The nearest sample to the centre of output pixel @i, for a plate from @origin over
 * @extent output pixels in @samples samples; -1 where the plate does not cover it. */
static inline int
sample_index (int    i,
              double origin,
              double extent,
              int    samples)
{
  double source = floor ((i + 0.5 - origin) * samples / extent);

  return source >= 0 && source < samples ? (int) source : -1;
}

static void
build_maps (ReelChromaKey  *self,
            const Settings *settings)
{
  int in_width = GST_VIDEO_INFO_WIDTH (&self->in_info);
  int in_height = GST_VIDEO_INFO_HEIGHT (&self->in_info);
  int out_width = GST_VIDEO_INFO_WIDTH (&self->out_info);
  int out_height = GST_VIDEO_INFO_HEIGHT (&self->out_info);
  Sampling sampling;

  sampling_for (settings, in_width, in_height, out_width, out_height, &sampling);
  self->step = sampling.step;

  g_free (self->map_x);
  g_free (self->map_y);
  self->map_x = g_new (int, out_width);
  self->map_y = g_new (int, out_height);

  for (int i = 0; i < out_width; i++)
    self->map_x[i] = sample_index (i, sampling.x, sampling.width, sampling.samples_x);
  for (int i = 0; i < out_height; i++)
    self->map_y[i] = sample_index (i, sampling.y, sampling.height, sampling.samples_y);

  self->maps_valid = TRUE;
}

static void
build_background (ReelChromaKey   *self,
                  const Settings  *settings,
                  cairo_surface_t *image)
{
  int out_width = GST_VIDEO_INFO_WIDTH (&self->out_info);
  int out_height = GST_VIDEO_INFO_HEIGHT (&self->out_info);
  cairo_t *cr;

  g_clear_pointer (&self->placed_background, cairo_surface_destroy);
  self->background_valid = TRUE;

  if (image == NULL)
    return;

  self->placed_background = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                        out_width, out_height);
  cr = cairo_create (self->placed_background);

  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_paint (cr);

  {
    int image_width = cairo_image_surface_get_width (image);
    int image_height = cairo_image_surface_get_height (image);

    if (image_width > 0 && image_height > 0)
      {
        /* Cover the frame, then the user's scale and offset. */
        double cover = MAX ((double) out_width / image_width,
                            (double) out_height / image_height)
                       * settings->background_scale;
        double width = image_width * cover;
        double height = image_height * cover;

        cairo_translate (cr,
                         (out_width - width) / 2.0 + settings->background_x * out_width,
                         (out_height - height) / 2.0 + settings->background_y * out_height);
        cairo_scale (cr, cover, cover);
        cairo_set_source_surface (cr, image, 0, 0);
        cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
        /* Edge pixels repeat instead of fading into the black underneath. */
        cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
        cairo_paint (cr);
      }
  }

  cairo_destroy (cr);
  cairo_surface_flush (self->placed_background);

#if G_BYTE_ORDER == G_BIG_ENDIAN
  /* Cairo's native-endian ARGB words become B, G, R, A bytes, like the output. */
  {
    guint8 *data = cairo_image_surface_get_data (self->placed_background);
    int stride = cairo_image_surface_get_stride (self->placed_background);

    for (int row = 0; row < out_height; row++)
      {
        guint32 *pixels = (guint32 *) (data + (gsize) row * stride);

        for (int column = 0; column < out_width; column++)
          pixels[column] = GUINT32_SWAP_LE_BE (pixels[column]);
      }
  }
#endif
}

/* The plate frame @input is, counted from 0 at the plate's start at its own rate. */
static gint64
plate_frame_index (ReelChromaKey *self,
                   GstBuffer     *input)
{
  const GstSegment *segment = &GST_BASE_TRANSFORM (self)->segment;
  GstClockTime time = GST_BUFFER_PTS (input);
  guint64 stream_time;
  int num = GST_VIDEO_INFO_FPS_N (&self->in_info);
  int den = GST_VIDEO_INFO_FPS_D (&self->in_info);

  if (!GST_CLOCK_TIME_IS_VALID (time))
    return 0;
  if (num <= 0 || den <= 0)
    {
      num = 24;
      den = 1;
    }
  if (segment->format == GST_FORMAT_TIME)
    {
      stream_time = gst_segment_to_stream_time (segment, GST_FORMAT_TIME, time);
      if (GST_CLOCK_TIME_IS_VALID (stream_time))
        time = stream_time;
    }

  /* Containers round timestamps to the millisecond: allow a tenth of a frame early. */
  return (gint64) gst_util_uint64_scale (time + gst_util_uint64_scale (GST_SECOND / 10, den, num),
                                         num, (guint64) den * GST_SECOND);
}

/* The clip frame under @input, placed; render_lock held. */
static void
build_clip_background (ReelChromaKey  *self,
                       const Settings *settings,
                       GstBuffer      *input)
{
  gint64 index = plate_frame_index (self, input);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *frame = NULL;

  /* A clip at another rate than the plate's: the clip's frame at the plate frame's time. */
  if (reel_clip_frames_open (settings->background_clip, NULL))
    index = reel_clip_frames_index_at (settings->background_clip, index,
                                       GST_VIDEO_INFO_FPS_N (&self->in_info),
                                       GST_VIDEO_INFO_FPS_D (&self->in_info));

  if (self->background_valid && self->background_frame == index)
    return;

  if (reel_clip_frames_open (settings->background_clip, &error))
    frame = reel_clip_frames_get_frame (settings->background_clip, index, &error);
  if (frame == NULL)
    GST_WARNING_OBJECT (self, "No background frame %" G_GINT64_FORMAT ": %s", index,
                        error->message);

  /* Without the clip's frame, the still (if any) rather than nothing. */
  build_background (self, settings, frame != NULL ? frame : settings->background);
  self->background_frame = index;
  g_clear_pointer (&frame, cairo_surface_destroy);
}

/* Brings the tables in line with @settings for the plate frame @input; render_lock held. */
static void
prepare (ReelChromaKey *self,
         Settings      *settings,
         GstBuffer     *input)
{
  Settings *applied = self->applied;

  if (applied != settings)
    {
      if (applied == NULL
          || applied->key_rgb != settings->key_rgb
          || applied->similarity != settings->similarity
          || applied->softness != settings->softness
          || applied->spill != settings->spill)
        self->lut_valid = FALSE;

      if (applied == NULL
          || applied->plate_scale != settings->plate_scale
          || applied->plate_x != settings->plate_x
          || applied->plate_y != settings->plate_y)
        self->maps_valid = FALSE;

      if (applied == NULL
          || applied->background != settings->background
          || applied->background_clip != settings->background_clip
          || applied->background_scale != settings->background_scale
          || applied->background_x != settings->background_x
          || applied->background_y != settings->background_y)
        self->background_valid = FALSE;

      g_clear_pointer (&self->applied, settings_unref);
      self->applied = g_atomic_rc_box_acquire (settings);
    }

  if (!self->lut_valid)
    build_key_table (self, settings);
  if (!self->maps_valid)
    build_maps (self, settings);
  if (settings->background_clip != NULL)
    build_clip_background (self, settings, input);
  else if (!self->background_valid)
    build_background (self, settings, settings->background);
}

static inline guint8
clamp_channel (gint32 value)
{
  value = (value + 32) >> 6;
  return (guint8) (value < 0 ? 0 : value > 255 ? 255 : value);
}


static inline guint32
blend (guint8  r,
       guint8  g,
       guint8  b,
       guint32 under,
       guint   alpha)
{
  guint rest = 255 - alpha;

  return PACK_BGRA ((r * alpha + BGRA_R (under) * rest + 127) / 255,
                    (g * alpha + BGRA_G (under) * rest + 127) / 255,
                    (b * alpha + BGRA_B (under) * rest + 127) / 255,
                    255);
}

/* A plate pixel that shows, over @under (or with its alpha when there is no background). */
static inline guint32
shade (const ColorEntry *entry,
       gint32            luma,
       guint             alpha,
       const guint32    *under)
{
  const guint8 r = clamp_channel (luma + entry->r);
  const guint8 g = clamp_channel (luma + entry->g);
  const guint8 b = clamp_channel (luma + entry->b);

  if (under == NULL)
    return PACK_BGRA (r, g, b, alpha);
  if (alpha == 255)
    return PACK_BGRA (r, g, b, 255);

  return blend (r, g, b, *under, alpha);
}

/* Background where the plate does not reach; transparent when there is none. */
static inline void
fill_background (guint32       *out,
                 const guint32 *under,
                 int            from,
                 int            to)
{
  if (to <= from)
    return;

  if (under == NULL)
    memset (out + from, 0, (gsize) (to - from) * 4);
  else
    memcpy (out + from, under + from, (gsize) (to - from) * 4);
}

/* The Cb and Cr samples of the plate's chroma rows, each as a row of its own: I420's planes
 * as they are; NV12's interleaved pairs split into a scratch pair of rows, once per chroma
 * row (two rows of output at the plate's size share one). */
typedef struct
{
  const GstVideoFrame *frame;
  gboolean interleaved;
  guint8 *u;         /* scratch, NV12 only */
  guint8 *v;
  int row;           /* the chroma row in the scratch, or -1 */
} ChromaRows;

/* Scratch rows for @frame, on the caller's stack: under 8 KiB for an 8K plate. */
#define CHROMA_ROWS_INIT(rows, in_frame)                                                  \
  G_STMT_START {                                                                          \
    (rows).frame = (in_frame);                                                            \
    (rows).interleaved = GST_VIDEO_FRAME_FORMAT (in_frame) == GST_VIDEO_FORMAT_NV12;      \
    (rows).u = (rows).v = NULL;                                                           \
    (rows).row = -1;                                                                      \
    if ((rows).interleaved)                                                               \
      {                                                                                   \
        gsize chroma_width_ = (gsize) GST_VIDEO_FRAME_COMP_WIDTH (in_frame, 1)            \
                              + CHROMA_BLOCK;                                             \
        (rows).u = g_alloca (chroma_width_ * 2);                                          \
        (rows).v = (rows).u + chroma_width_;                                              \
        memset ((rows).u, 0, chroma_width_ * 2);                                          \
      }                                                                                   \
  } G_STMT_END

static inline void
chroma_rows_get (ChromaRows    *rows,
                 int            chroma_row,
                 const guint8 **u_row,
                 const guint8 **v_row)
{
  const GstVideoFrame *frame = rows->frame;

  if (!rows->interleaved)
    {
      *u_row = (const guint8 *) GST_VIDEO_FRAME_COMP_DATA (frame, 1)
               + (gsize) chroma_row * GST_VIDEO_FRAME_COMP_STRIDE (frame, 1);
      *v_row = (const guint8 *) GST_VIDEO_FRAME_COMP_DATA (frame, 2)
               + (gsize) chroma_row * GST_VIDEO_FRAME_COMP_STRIDE (frame, 2);
      return;
    }

  if (rows->row != chroma_row)
    {
      const guint8 *pairs = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (frame, 1)
                            + (gsize) chroma_row * GST_VIDEO_FRAME_PLANE_STRIDE (frame, 1);
      const int n = GST_VIDEO_FRAME_COMP_WIDTH (frame, 1);

      for (int i = 0; i < n; i++)
        {
          rows->u[i] = pairs[i * 2];
          rows->v[i] = pairs[i * 2 + 1];
        }
      rows->row = chroma_row;
    }
  *u_row = rows->u;
  *v_row = rows->v;
}

/* The per-pixel path, for every placement of the plate: rows @row_begin to @row_end
 * (excluded) of the output. Each row depends only on the tables, the maps and the input,
 * so bands of rows can run on several threads at once and give the same bytes as one
 * thread. composite_rows() gives the same bytes faster where it can; this stays as the
 * reference it is tested against. */
static void
composite_rows_reference (ReelChromaKey       *self,
                const GstVideoFrame *in_frame,
                GstVideoFrame       *out_frame,
                int                  row_begin,
                int                  row_end)
{
  const int out_width = GST_VIDEO_FRAME_WIDTH (out_frame);
  const int out_stride = GST_VIDEO_FRAME_PLANE_STRIDE (out_frame, 0);
  guint8 *out_data = GST_VIDEO_FRAME_PLANE_DATA (out_frame, 0);
  const guint8 *y_plane = GST_VIDEO_FRAME_COMP_DATA (in_frame, 0);
  const int y_stride = GST_VIDEO_FRAME_COMP_STRIDE (in_frame, 0);
  ChromaRows chroma_rows;
  const guint8 *alpha_lut = self->alpha_lut;
  const ColorEntry *color_lut = self->color_lut;
  const gint32 *luma = self->luma;
  const int *map_x = self->map_x;
  const guint8 *background = NULL;
  int background_stride = 0;
  int first = 0, last = out_width;
  gboolean contiguous;

  CHROMA_ROWS_INIT (chroma_rows, in_frame);
  if (self->placed_background != NULL)
    {
      background = cairo_image_surface_get_data (self->placed_background);
      background_stride = cairo_image_surface_get_stride (self->placed_background);
    }

  /* The columns the plate covers are the same on every row. */
  while (first < out_width && map_x[first] < 0)
    first++;
  while (last > first && map_x[last - 1] < 0)
    last--;
  contiguous = last > first && map_x[last - 1] - map_x[first] == last - 1 - first;

  for (int row = row_begin; row < row_end; row++)
    {
      guint32 *out = (guint32 *) (out_data + (gsize) row * out_stride);
      const guint32 *under = background != NULL
                             ? (const guint32 *) (background + (gsize) row * background_stride)
                             : NULL;
      const int plate_row = self->map_y[row];
      const guint8 *y_row, *u_row, *v_row;

      if (plate_row < 0)
        {
          fill_background (out, under, 0, out_width);
          continue;
        }

      fill_background (out, under, 0, first);

      if (self->step == 2)
        {
          const guint8 *y_top = y_plane + (gsize) plate_row * 2 * y_stride;
          const guint8 *y_bottom = y_top + y_stride;

          chroma_rows_get (&chroma_rows, plate_row, &u_row, &v_row);

          if (contiguous && under != NULL)
            {
              /* The preview's usual case (a plate twice the view's size, not moved off
               * the grid), in its shortest form: no column map, no alpha-only branch. */
              const int shift = map_x[first] - first;

              for (int column = first; column < last; column++)
                {
                  const int x = column + shift;
                  const int chroma = (u_row[x] << 8) | v_row[x];
                  const guint alpha = alpha_lut[chroma];
                  const int left = x * 2;

                  if (G_LIKELY (alpha == 0))
                    out[column] = under[column];
                  else
                    out[column] = shade (&color_lut[chroma],
                                         luma[(y_top[left] + y_top[left + 1] + y_bottom[left]
                                               + y_bottom[left + 1] + 2) >> 2],
                                         alpha, &under[column]);
                }
            }
          else for (int column = first; column < last; column++)
            {
              const int x = map_x[column];
              const int chroma = (u_row[x] << 8) | v_row[x];
              const guint alpha = alpha_lut[chroma];
              const int left = x * 2;

              if (alpha == 0)
                out[column] = under != NULL ? under[column] : 0;
              else
                out[column] = shade (&color_lut[chroma],
                                     luma[(y_top[left] + y_top[left + 1] + y_bottom[left]
                                           + y_bottom[left + 1] + 2) >> 2],
                                     alpha, under != NULL ? &under[column] : NULL);
            }
        }
      else
        {
          y_row = y_plane + (gsize) plate_row * y_stride;
          chroma_rows_get (&chroma_rows, plate_row >> 1, &u_row, &v_row);

          if (contiguous && under != NULL)
            {
              /* A plate at its own size over a background (full-size composites, the
               * animatic): two neighbouring pixels share their chroma in 4:2:0, so one
               * lookup serves both. */
              const int shift = map_x[first] - first;
              int column = first;

              for (; column < last; column++)
                {
                  const int x = column + shift;
                  const int chroma = (u_row[x >> 1] << 8) | v_row[x >> 1];
                  const guint alpha = alpha_lut[chroma];

                  if ((x & 1) == 0 && column + 1 < last)
                    break;
                  out[column] = alpha == 0 ? under[column]
                                           : shade (&color_lut[chroma], luma[y_row[x]], alpha,
                                                    &under[column]);
                }
              for (; column + 1 < last; column += 2)
                {
                  const int x = column + shift;
                  const int chroma = (u_row[x >> 1] << 8) | v_row[x >> 1];
                  const guint alpha = alpha_lut[chroma];

                  if (G_LIKELY (alpha == 0))
                    {
                      out[column] = under[column];
                      out[column + 1] = under[column + 1];
                    }
                  else
                    {
                      const ColorEntry *entry = &color_lut[chroma];

                      out[column] = shade (entry, luma[y_row[x]], alpha, &under[column]);
                      out[column + 1] = shade (entry, luma[y_row[x + 1]], alpha,
                                               &under[column + 1]);
                    }
                }
              for (; column < last; column++)
                {
                  const int x = column + shift;
                  const int chroma = (u_row[x >> 1] << 8) | v_row[x >> 1];
                  const guint alpha = alpha_lut[chroma];

                  out[column] = alpha == 0 ? under[column]
                                           : shade (&color_lut[chroma], luma[y_row[x]], alpha,
                                                    &under[column]);
                }
            }
          else for (int column = first; column < last; column++)
            {
              const int x = map_x[column];
              const int chroma = (u_row[x >> 1] << 8) | v_row[x >> 1];
              const guint alpha = alpha_lut[chroma];

              /* Most of a green screen: the background shows, nothing to compute. */
              if (alpha == 0)
                out[column] = under != NULL ? under[column] : 0;
              else
                out[column] = shade (&color_lut[chroma], luma[y_row[x]], alpha,
                                     under != NULL ? &under[column] : NULL);
            }
        }

      fill_background (out, under, last, out_width);
    }
}

/* TRUE if the CHROMA_BLOCK samples at @u and @v all lie in @box. */
static inline gboolean
block_removed (const guint8    *u,
               const guint8    *v,
               const ChromaBox  box)
{
  ChromaVector u_samples, v_samples, outside;
  guint64 halves[2];

  memcpy (&u_samples, u, sizeof u_samples);
  memcpy (&v_samples, v, sizeof v_samples);
  /* Unsigned and wrapping: below the low end wraps round above the width. */
  outside = (ChromaVector) ((u_samples - box.u_low) > box.u_width)
            | (ChromaVector) ((v_samples - box.v_low) > box.v_width);
  memcpy (halves, &outside, sizeof halves);

  return (halves[0] | halves[1]) == 0;
}

/* One row of a plate at its own size (step 1) or read in 2×2 blocks (step 2) that is not
 * moved off the pixel grid, so that output column c reads plate column c + shift. */
typedef struct
{
  guint32 *out;
  const guint32 *under;    /* NULL: no background, keep the plate's alpha */
  const guint8 *y_top;     /* the luma row (step 1), or the top of the 2×2 blocks */
  const guint8 *y_bottom;  /* step 2: the bottom of the 2×2 blocks */
  const guint8 *u_row;
  const guint8 *v_row;
  int shift;
} KeyRow;

/* Columns @from to @to (excluded) pixel by pixel, as composite_rows_reference() makes
 * them. */
static inline void
key_span (ReelChromaKey *self,
          const KeyRow  *row,
          int            from,
          int            to)
{
  const guint8 *alpha_lut = self->alpha_lut;
  const ColorEntry *color_lut = self->color_lut;
  const gint32 *luma = self->luma;

  /* At the plate's size two neighbouring pixels share their chroma: one lookup for both. */
  if (self->step == 1)
    for (; from + 1 < to && ((from + row->shift) & 1) == 0; from += 2)
      {
        const int x = from + row->shift;
        const int chroma = (row->u_row[x >> 1] << 8) | row->v_row[x >> 1];
        const guint alpha = alpha_lut[chroma];

        if (alpha == 0)
          {
            row->out[from] = row->under != NULL ? row->under[from] : 0;
            row->out[from + 1] = row->under != NULL ? row->under[from + 1] : 0;
          }
        else
          {
            row->out[from] = shade (&color_lut[chroma], luma[row->y_top[x]], alpha,
                                    row->under != NULL ? &row->under[from] : NULL);
            row->out[from + 1] = shade (&color_lut[chroma], luma[row->y_top[x + 1]], alpha,
                                        row->under != NULL ? &row->under[from + 1] : NULL);
          }
      }

  for (int column = from; column < to; column++)
    {
      const int x = column + row->shift;
      const int chroma_x = self->step == 2 ? x : x >> 1;
      const int chroma = (row->u_row[chroma_x] << 8) | row->v_row[chroma_x];
      const guint alpha = alpha_lut[chroma];
      const guint32 *under = row->under != NULL ? &row->under[column] : NULL;
      int y;

      if (alpha == 0)
        {
          row->out[column] = under != NULL ? *under : 0;
          continue;
        }

      if (self->step == 2)
        y = (row->y_top[x * 2] + row->y_top[x * 2 + 1] + row->y_bottom[x * 2]
             + row->y_bottom[x * 2 + 1] + 2) >> 2;
      else
        y = row->y_top[x];
      row->out[column] = shade (&color_lut[chroma], luma[y], alpha, under);
    }
}

/* Columns @from to @to (excluded): blocks of chroma inside the box are copied from the
 * background (or cleared), the others keyed pixel by pixel. @verdicts holds, per block,
 * whether it is inside; unless @known, they are found first. At the plate's size two rows
 * of the output share a row of chroma in 4:2:0, so the second row reuses the first's. */
static inline void
key_row_blocks (ReelChromaKey *self,
                const KeyRow  *row,
                int            from,
                int            to,
                guint8        *verdicts,
                gboolean       known)
{
  /* Output pixels per block of chroma samples, and where blocks start: on an even plate
   * column at step 1, where two pixels share a chroma sample. */
  const int block = self->step == 2 ? CHROMA_BLOCK : CHROMA_BLOCK * 2;
  const int chroma_shift = self->step == 2 ? 0 : 1;
  int column = from;

  if (self->step == 1 && ((column + row->shift) & 1) != 0 && column < to)
    {
      key_span (self, row, column, column + 1);
      column++;
    }

  /* The tests in a loop of their own, with no stores to the output between them. */
  if (!known)
    {
      const guint8 *u_row = row->u_row;
      const guint8 *v_row = row->v_row;
      const int shift = row->shift;
      const ChromaBox box = self->box;
      int index = 0;

      for (int start = column; start + block <= to; start += block)
        {
          const int chroma_x = (start + shift) >> chroma_shift;

          verdicts[index++] = block_removed (u_row + chroma_x, v_row + chroma_x, box);
        }
    }

  for (int index = 0; column + block <= to;)
    {
      int end = column + block;

      if (!verdicts[index++])
        {
          key_span (self, row, column, end);
          column = end;
          continue;
        }

      /* A run of removed blocks: one copy. */
      for (; end + block <= to && verdicts[index]; index++)
        end += block;
      fill_background (row->out, row->under, column, end);
      column = end;
    }

  key_span (self, row, column, to);
}

/* Rows @row_begin to @row_end (excluded) of the output, the same bytes as
 * composite_rows_reference(). */
static void
composite_rows (ReelChromaKey       *self,
                const GstVideoFrame *in_frame,
                GstVideoFrame       *out_frame,
                int                  row_begin,
                int                  row_end)
{
  const int out_width = GST_VIDEO_FRAME_WIDTH (out_frame);
  const int out_stride = GST_VIDEO_FRAME_PLANE_STRIDE (out_frame, 0);
  guint8 *out_data = GST_VIDEO_FRAME_PLANE_DATA (out_frame, 0);
  const guint8 *y_plane = GST_VIDEO_FRAME_COMP_DATA (in_frame, 0);
  const int y_stride = GST_VIDEO_FRAME_COMP_STRIDE (in_frame, 0);
  const int *map_x = self->map_x;
  ChromaRows chroma_rows;
  const guint8 *background = NULL;
  int background_stride = 0;
  int first = 0, last = out_width;
  /* One verdict per block of the row, and the chroma row they were found for. */
  guint8 *verdicts = g_alloca ((gsize) out_width / CHROMA_BLOCK + 1);
  int verdicts_row = -1;

  while (first < out_width && map_x[first] < 0)
    first++;
  while (last > first && map_x[last - 1] < 0)
    last--;

  /* A plate scaled to other than its own size or half of it, or moved off the grid: the
   * column map decides, pixel by pixel. */
  if (self->reference || !self->box.valid || last <= first
      || map_x[last - 1] - map_x[first] != last - 1 - first)
    {
      composite_rows_reference (self, in_frame, out_frame, row_begin, row_end);
      return;
    }

  CHROMA_ROWS_INIT (chroma_rows, in_frame);
  if (self->placed_background != NULL)
    {
      background = cairo_image_surface_get_data (self->placed_background);
      background_stride = cairo_image_surface_get_stride (self->placed_background);
    }

  for (int row = row_begin; row < row_end; row++)
    {
      const int plate_row = self->map_y[row];
      int chroma_row;
      KeyRow key_row;

      key_row.out = (guint32 *) (out_data + (gsize) row * out_stride);
      key_row.under = background != NULL
                      ? (const guint32 *) (background + (gsize) row * background_stride)
                      : NULL;

      if (plate_row < 0)
        {
          fill_background (key_row.out, key_row.under, 0, out_width);
          continue;
        }

      if (self->step == 2)
        {
          key_row.y_top = y_plane + (gsize) plate_row * 2 * y_stride;
          key_row.y_bottom = key_row.y_top + y_stride;
          chroma_rows_get (&chroma_rows, plate_row, &key_row.u_row, &key_row.v_row);
        }
      else
        {
          key_row.y_top = y_plane + (gsize) plate_row * y_stride;
          key_row.y_bottom = NULL;
          chroma_rows_get (&chroma_rows, plate_row >> 1, &key_row.u_row, &key_row.v_row);
        }
      key_row.shift = map_x[first] - first;

      chroma_row = self->step == 2 ? plate_row : plate_row >> 1;
      fill_background (key_row.out, key_row.under, 0, first);
      key_row_blocks (self, &key_row, first, last, verdicts, chroma_row == verdicts_row);
      fill_background (key_row.out, key_row.under, last, out_width);
      verdicts_row = chroma_row;
    }
}

typedef struct
{
  ReelChromaKey *self;
  const GstVideoFrame *in_frame;
  GstVideoFrame *out_frame;
  GMutex lock;
  GCond done;
  int n_bands;
  int remaining;
} Dispatch;

typedef struct
{
  Dispatch *dispatch;
  int row_begin;
  int row_end;
} Band;

static void
band_func (gpointer data,
           gpointer user_data)
{
  Band *band = data;
  Dispatch *dispatch = band->dispatch;

  composite_rows (dispatch->self, dispatch->in_frame, dispatch->out_frame, band->row_begin,
                  band->row_end);

  g_mutex_lock (&dispatch->lock);
  if (--dispatch->remaining == 0)
    g_cond_signal (&dispatch->done);
  g_mutex_unlock (&dispatch->lock);
}

static guint
effective_threads (ReelChromaKey *self)
{
  guint threads = (guint) g_atomic_int_get (&self->threads);

  if (threads == 0)
    threads = (guint) g_get_num_processors ();
  return CLAMP (threads, 1, MAX_THREADS);
}

/* The whole frame, in horizontal bands: one on this thread, the others on the element's
 * own threads (a 1080p frame is memory-bound, and two cores move more of it than one). */
static void
composite (ReelChromaKey       *self,
           const GstVideoFrame *in_frame,
           GstVideoFrame       *out_frame)
{
  const int out_height = GST_VIDEO_FRAME_HEIGHT (out_frame);
  int n_bands = (int) MIN (effective_threads (self), (guint) (out_height / MIN_BAND_ROWS));
  Band bands[MAX_THREADS];
  Dispatch dispatch;

  if (n_bands <= 1)
    {
      composite_rows (self, in_frame, out_frame, 0, out_height);
      return;
    }

  if (self->pool == NULL || self->pool_size < n_bands - 1)
    {
      if (self->pool != NULL)
        g_thread_pool_free (self->pool, FALSE, TRUE);
      self->pool = g_thread_pool_new (band_func, NULL, n_bands - 1, TRUE, NULL);
      self->pool_size = n_bands - 1;
      if (self->pool == NULL)
        {
          composite_rows (self, in_frame, out_frame, 0, out_height);
          return;
        }
    }

  dispatch.self = self;
  dispatch.in_frame = in_frame;
  dispatch.out_frame = out_frame;
  dispatch.n_bands = n_bands;
  dispatch.remaining = n_bands - 1;
  g_mutex_init (&dispatch.lock);
  g_cond_init (&dispatch.done);

  for (int i = 0; i < n_bands; i++)
    {
      bands[i].dispatch = &dispatch;
      bands[i].row_begin = (int) ((gint64) out_height * i / n_bands);
      bands[i].row_end = (int) ((gint64) out_height * (i + 1) / n_bands);
    }
  for (int i = 1; i < n_bands; i++)
    g_thread_pool_push (self->pool, &bands[i], NULL);

  composite_rows (self, in_frame, out_frame, bands[0].row_begin, bands[0].row_end);

  g_mutex_lock (&dispatch.lock);
  while (dispatch.remaining > 0)
    g_cond_wait (&dispatch.done, &dispatch.lock);
  g_mutex_unlock (&dispatch.lock);

  g_mutex_clear (&dispatch.lock);
  g_cond_clear (&dispatch.done);
}

/* GstBaseTransform */

static GstCaps *
reel_chroma_key_transform_caps (GstBaseTransform *trans,
                                GstPadDirection   direction,
                                GstCaps          *caps,
                                GstCaps          *filter)
{
  GstCaps *result = gst_caps_new_empty ();
  g_auto(GValue) formats = G_VALUE_INIT;
  g_auto(GValue) format = G_VALUE_INIT;

  /* Towards the plate: I420 first, the format software decoders give. */
  g_value_init (&format, G_TYPE_STRING);
  g_value_init (&formats, GST_TYPE_LIST);
  if (direction == GST_PAD_SINK)
    {
      g_value_set_static_string (&format, "BGRA");
    }
  else
    {
      g_value_set_static_string (&format, "I420");
      gst_value_list_append_value (&formats, &format);
      g_value_set_static_string (&format, "NV12");
      gst_value_list_append_value (&formats, &format);
    }

  for (guint i = 0; i < gst_caps_get_size (caps); i++)
    {
      GstCapsFeatures *features = gst_caps_get_features (caps, i);
      GstStructure *structure;

      if (features != NULL && !gst_caps_features_is_any (features)
          && !gst_caps_features_is_equal (features, GST_CAPS_FEATURES_MEMORY_SYSTEM_MEMORY))
        continue;

      structure = gst_structure_copy (gst_caps_get_structure (caps, i));
      gst_structure_set_value (structure, "format",
                               direction == GST_PAD_SINK ? &format : &formats);
      gst_structure_set (structure,
                         "width", GST_TYPE_INT_RANGE, 1, G_MAXINT,
                         "height", GST_TYPE_INT_RANGE, 1, G_MAXINT,
                         NULL);
      gst_structure_remove_fields (structure, "colorimetry", "chroma-site",
                                   "pixel-aspect-ratio", NULL);
      result = gst_caps_merge_structure (result, structure);
    }

  if (filter != NULL)
    {
      GstCaps *intersection = gst_caps_intersect_full (filter, result,
                                                       GST_CAPS_INTERSECT_FIRST);

      gst_caps_unref (result);
      result = intersection;
    }

  return result;
}

static GstCaps *
reel_chroma_key_fixate_caps (GstBaseTransform *trans,
                             GstPadDirection   direction,
                             GstCaps          *caps,
                             GstCaps          *othercaps)
{
  GstStructure *from = gst_caps_get_structure (caps, 0);
  GstStructure *to;
  int width, height;

  /* Keep the size unless told otherwise, instead of the smallest size allowed. */
  othercaps = gst_caps_truncate (othercaps);
  othercaps = gst_caps_make_writable (othercaps);
  to = gst_caps_get_structure (othercaps, 0);

  if (gst_structure_get_int (from, "width", &width))
    gst_structure_fixate_field_nearest_int (to, "width", width);
  if (gst_structure_get_int (from, "height", &height))
    gst_structure_fixate_field_nearest_int (to, "height", height);

  return gst_caps_fixate (othercaps);
}

static gboolean
reel_chroma_key_set_info (GstVideoFilter *filter,
                          GstCaps        *incaps,
                          GstVideoInfo   *in_info,
                          GstCaps        *outcaps,
                          GstVideoInfo   *out_info)
{
  ReelChromaKey *self = REEL_CHROMA_KEY (filter);
  const GstVideoColorimetry *colorimetry = &GST_VIDEO_INFO_COLORIMETRY (in_info);

  g_mutex_lock (&self->render_lock);

  /* The frame on screen stays there until one in the new formats comes: keep it for the
   * eyedropper, with the formats it was keyed in. */
  if (self->have_info && self->last_input != NULL)
    {
      gst_buffer_replace (&self->previous_input, self->last_input);
      self->previous_in_info = self->in_info;
      self->previous_out_info = self->out_info;
    }

  self->in_info = *in_info;
  self->out_info = *out_info;
  self->have_info = TRUE;

  if (!gst_video_color_matrix_get_Kr_Kb (colorimetry->matrix, &self->kr, &self->kb))
    {
      /* Unknown matrix: BT.601 for SD, BT.709 above, as players guess. */
      if (GST_VIDEO_INFO_HEIGHT (in_info) > 576)
        gst_video_color_matrix_get_Kr_Kb (GST_VIDEO_COLOR_MATRIX_BT709, &self->kr, &self->kb);
      else
        gst_video_color_matrix_get_Kr_Kb (GST_VIDEO_COLOR_MATRIX_BT601, &self->kr, &self->kb);
    }
  self->full_range = colorimetry->range == GST_VIDEO_COLOR_RANGE_0_255;

  self->lut_valid = FALSE;
  self->maps_valid = FALSE;
  self->background_valid = FALSE;
  gst_clear_buffer (&self->last_input);

  g_mutex_unlock (&self->render_lock);

  return TRUE;
}

static GstFlowReturn
reel_chroma_key_transform_frame (GstVideoFilter *filter,
                                 GstVideoFrame  *in_frame,
                                 GstVideoFrame  *out_frame)
{
  ReelChromaKey *self = REEL_CHROMA_KEY (filter);
  g_autoptr(Settings) settings = get_settings (self);

  g_mutex_lock (&self->render_lock);
  prepare (self, settings, in_frame->buffer);
  composite (self, in_frame, out_frame);
  gst_buffer_replace (&self->last_input, in_frame->buffer);
  if (G_UNLIKELY (self->previous_input != NULL))
    gst_clear_buffer (&self->previous_input);
  g_mutex_unlock (&self->render_lock);

  /* Which settings made this frame: a frame composited while the settings changed reaches
   * the sink after the paused preview's recomposite, and must not stay on screen. */
  GST_BUFFER_OFFSET_END (out_frame->buffer) = settings->serial;

  return GST_FLOW_OK;
}

/* Downstream that offers no buffer pool (fakesink, appsink, some GES branches) would get a
 * freshly allocated frame every time: 8 MB at 1080p, which the kernel zeroes page by page
 * before the keyer writes it again, a second pass over memory that costs more than the
 * keying. A pool of our own recycles the frames. */
static gboolean
reel_chroma_key_decide_allocation (GstBaseTransform *trans,
                                   GstQuery         *query)
{
  GstCaps *caps = NULL;
  GstVideoInfo info;

  gst_query_parse_allocation (query, &caps, NULL);
  if (caps != NULL && gst_video_info_from_caps (&info, caps))
    {
      GstBufferPool *pool = NULL;

      if (gst_query_get_n_allocation_pools (query) > 0)
        gst_query_parse_nth_allocation_pool (query, 0, &pool, NULL, NULL, NULL);

      if (pool == NULL)
        {
          GstStructure *config;

          pool = gst_video_buffer_pool_new ();
          config = gst_buffer_pool_get_config (pool);
          gst_buffer_pool_config_set_params (config, caps, (guint) GST_VIDEO_INFO_SIZE (&info),
                                             2, 0);
          if (gst_buffer_pool_set_config (pool, config))
            {
              if (gst_query_get_n_allocation_pools (query) > 0)
                gst_query_set_nth_allocation_pool (query, 0, pool,
                                                   (guint) GST_VIDEO_INFO_SIZE (&info), 2, 0);
              else
                gst_query_add_allocation_pool (query, pool, (guint) GST_VIDEO_INFO_SIZE (&info),
                                               2, 0);
            }
        }
      gst_clear_object (&pool);
    }

  return GST_BASE_TRANSFORM_CLASS (reel_chroma_key_parent_class)->decide_allocation (trans,
                                                                                       query);
}

static gboolean
reel_chroma_key_stop (GstBaseTransform *trans)
{
  ReelChromaKey *self = REEL_CHROMA_KEY (trans);

  g_mutex_lock (&self->render_lock);
  gst_clear_buffer (&self->last_input);
  gst_clear_buffer (&self->previous_input);
  self->have_info = FALSE;
  g_mutex_unlock (&self->render_lock);

  return TRUE;
}

/* GObject */

static cairo_surface_t *
load_background (const char *location)
{
  cairo_surface_t *surface;

  if (location == NULL || *location == '\0')
    return NULL;

  surface = cairo_image_surface_create_from_png (location);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      GST_WARNING ("Could not read the background %s: %s", location,
                   cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return NULL;
    }

  return surface;
}

static void
reel_chroma_key_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  ReelChromaKey *self = REEL_CHROMA_KEY (object);
  Settings *edited;

  /* Not a setting of the picture: it changes how the next frame is made, not what. */
  if (prop_id == PROP_THREADS)
    {
      if (g_atomic_int_exchange (&self->threads, (int) g_value_get_uint (value))
          != (int) g_value_get_uint (value))
        g_object_notify_by_pspec (object, pspec);
      return;
    }

  edited = begin_edit (self);
  switch (prop_id)
    {
    case PROP_KEY_COLOR:
      edited->key_rgb = g_value_get_uint (value) & 0xffffff;
      break;
    case PROP_SIMILARITY:
      edited->similarity = g_value_get_double (value);
      break;
    case PROP_SOFTNESS:
      edited->softness = g_value_get_double (value);
      break;
    case PROP_SPILL:
      edited->spill = g_value_get_double (value);
      break;
    case PROP_PLATE_SCALE:
      edited->plate_scale = g_value_get_double (value);
      break;
    case PROP_PLATE_X:
      edited->plate_x = g_value_get_double (value);
      break;
    case PROP_PLATE_Y:
      edited->plate_y = g_value_get_double (value);
      break;
    case PROP_BACKGROUND_LOCATION:
      g_free (edited->background_location);
      edited->background_location = g_value_dup_string (value);
      g_clear_pointer (&edited->background, cairo_surface_destroy);
      edited->background = load_background (edited->background_location);
      break;
    case PROP_BACKGROUND_CLIP_LOCATION:
      g_free (edited->background_clip_location);
      edited->background_clip_location = g_value_dup_string (value);
      g_clear_object (&edited->background_clip);
      if (edited->background_clip_location != NULL && *edited->background_clip_location != '\0')
        {
          g_autoptr(GFile) file = g_file_new_for_path (edited->background_clip_location);

          /* Opened on the streaming thread, with the first frame that needs it. */
          edited->background_clip = reel_clip_frames_new_for_file (file);
        }
      break;
    case PROP_BACKGROUND_SCALE:
      edited->background_scale = g_value_get_double (value);
      break;
    case PROP_BACKGROUND_X:
      edited->background_x = g_value_get_double (value);
      break;
    case PROP_BACKGROUND_Y:
      edited->background_y = g_value_get_double (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }

  commit_edit (self, edited);
  g_object_notify_by_pspec (object, pspec);
}

static void
reel_chroma_key_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ReelChromaKey *self = REEL_CHROMA_KEY (object);
  g_autoptr(Settings) settings = get_settings (self);

  switch (prop_id)
    {
    case PROP_THREADS:
      g_value_set_uint (value, (guint) g_atomic_int_get (&self->threads));
      break;
    case PROP_KEY_COLOR:
      g_value_set_uint (value, settings->key_rgb);
      break;
    case PROP_SIMILARITY:
      g_value_set_double (value, settings->similarity);
      break;
    case PROP_SOFTNESS:
      g_value_set_double (value, settings->softness);
      break;
    case PROP_SPILL:
      g_value_set_double (value, settings->spill);
      break;
    case PROP_PLATE_SCALE:
      g_value_set_double (value, settings->plate_scale);
      break;
    case PROP_PLATE_X:
      g_value_set_double (value, settings->plate_x);
      break;
    case PROP_PLATE_Y:
      g_value_set_double (value, settings->plate_y);
      break;
    case PROP_BACKGROUND_LOCATION:
      g_value_set_string (value, settings->background_location);
      break;
    case PROP_BACKGROUND_CLIP_LOCATION:
      g_value_set_string (value, settings->background_clip_location);
      break;
    case PROP_BACKGROUND_SCALE:
      g_value_set_double (value, settings->background_scale);
      break;
    case PROP_BACKGROUND_X:
      g_value_set_double (value, settings->background_x);
      break;
    case PROP_BACKGROUND_Y:
      g_value_set_double (value, settings->background_y);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_chroma_key_finalize (GObject *object)
{
  ReelChromaKey *self = REEL_CHROMA_KEY (object);

  g_clear_pointer (&self->settings, settings_unref);
  g_clear_pointer (&self->applied, settings_unref);
  g_clear_pointer (&self->alpha_lut, g_free);
  g_clear_pointer (&self->color_lut, g_free);
  g_clear_pointer (&self->map_x, g_free);
  g_clear_pointer (&self->map_y, g_free);
  g_clear_pointer (&self->placed_background, cairo_surface_destroy);
  gst_clear_buffer (&self->last_input);
  gst_clear_buffer (&self->previous_input);
  if (self->pool != NULL)
    g_thread_pool_free (self->pool, FALSE, TRUE);
  g_mutex_clear (&self->settings_lock);
  g_mutex_clear (&self->render_lock);

  G_OBJECT_CLASS (reel_chroma_key_parent_class)->finalize (object);
}

static GParamSpec *
fraction_param (const char *name,
                double      minimum,
                double      maximum,
                double      default_value)
{
  return g_param_spec_double (name, NULL, NULL, minimum, maximum, default_value,
                              G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
                              | G_PARAM_EXPLICIT_NOTIFY | GST_PARAM_CONTROLLABLE);
}

static void
reel_chroma_key_class_init (ReelChromaKeyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *transform_class = GST_BASE_TRANSFORM_CLASS (klass);
  GstVideoFilterClass *filter_class = GST_VIDEO_FILTER_CLASS (klass);

  object_class->finalize = reel_chroma_key_finalize;
  object_class->set_property = reel_chroma_key_set_property;
  object_class->get_property = reel_chroma_key_get_property;

  transform_class->transform_caps = reel_chroma_key_transform_caps;
  transform_class->fixate_caps = reel_chroma_key_fixate_caps;
  transform_class->stop = reel_chroma_key_stop;
  transform_class->decide_allocation = reel_chroma_key_decide_allocation;
  transform_class->passthrough_on_same_caps = FALSE;
  filter_class->set_info = reel_chroma_key_set_info;
  filter_class->transform_frame = reel_chroma_key_transform_frame;

  properties[PROP_KEY_COLOR] =
    g_param_spec_uint ("key-color", NULL, NULL, 0, 0xffffff, REEL_CHROMA_KEY_DEFAULT_COLOR,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SIMILARITY] = fraction_param ("similarity", 0.0, 1.0,
                                                REEL_CHROMA_KEY_DEFAULT_SIMILARITY);
  properties[PROP_SOFTNESS] = fraction_param ("softness", 0.0, 1.0,
                                              REEL_CHROMA_KEY_DEFAULT_SOFTNESS);
  properties[PROP_SPILL] = fraction_param ("spill", 0.0, 1.0, REEL_CHROMA_KEY_DEFAULT_SPILL);
  properties[PROP_PLATE_SCALE] = fraction_param ("plate-scale", 0.05, 20.0, 1.0);
  properties[PROP_PLATE_X] = fraction_param ("plate-x", -2.0, 2.0, 0.0);
  properties[PROP_PLATE_Y] = fraction_param ("plate-y", -2.0, 2.0, 0.0);
  properties[PROP_BACKGROUND_LOCATION] =
    g_param_spec_string ("background-location", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BACKGROUND_CLIP_LOCATION] =
    g_param_spec_string ("background-clip-location", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BACKGROUND_SCALE] = fraction_param ("background-scale", 0.05, 20.0, 1.0);
  properties[PROP_BACKGROUND_X] = fraction_param ("background-x", -2.0, 2.0, 0.0);
  properties[PROP_BACKGROUND_Y] = fraction_param ("background-y", -2.0, 2.0, 0.0);

  properties[PROP_THREADS] =
    g_param_spec_uint ("threads", NULL, NULL, 0, MAX_THREADS, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gst_element_class_set_static_metadata (element_class,
                                         "Storyreel chroma key", "Filter/Effect/Video",
                                         "Keys a plate and composites it over a background",
                                         "The Storyreel authors");
  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
}

static void
reel_chroma_key_init (ReelChromaKey *self)
{
  g_mutex_init (&self->settings_lock);
  g_mutex_init (&self->render_lock);
  self->settings = settings_new_default ();
  gst_video_info_init (&self->in_info);
  gst_video_info_init (&self->out_info);
  self->background_frame = -1;
}

/* Public API */

/**
 * reel_chroma_key_set_key:
 * @self: a #ReelChromaKey
 * @rgb: the key colour as 0xRRGGBB
 * @similarity: how far a colour may be from the key and still be removed, where 1 is the
 *   distance from the key to grey
 * @softness: the width of the edge over which pixels fade from removed to kept, same unit
 * @spill: the range beyond the edge over which the key's colour is taken out of kept
 *   pixels, same unit
 *
 * Takes effect from the next frame.
 */
void
reel_chroma_key_set_key (ReelChromaKey *self,
                         guint32        rgb,
                         double         similarity,
                         double         softness,
                         double         spill)
{
  Settings *edited;

  g_return_if_fail (REEL_IS_CHROMA_KEY (self));

  edited = begin_edit (self);
  edited->key_rgb = rgb & 0xffffff;
  edited->similarity = CLAMP (similarity, 0.0, 1.0);
  edited->softness = CLAMP (softness, 0.0, 1.0);
  edited->spill = CLAMP (spill, 0.0, 1.0);
  commit_edit (self, edited);
}

/**
 * reel_chroma_key_set_background:
 * @self: a #ReelChromaKey
 * @image: (nullable): an image surface, or %NULL to output the keyed plate with alpha
 *
 * The surface must not be drawn on afterwards. Takes effect from the next frame.
 */
void
reel_chroma_key_set_background (ReelChromaKey   *self,
                                cairo_surface_t *image)
{
  Settings *edited;

  g_return_if_fail (REEL_IS_CHROMA_KEY (self));
  g_return_if_fail (image == NULL || cairo_surface_get_type (image) == CAIRO_SURFACE_TYPE_IMAGE);

  edited = begin_edit (self);
  g_clear_pointer (&edited->background, cairo_surface_destroy);
  g_clear_pointer (&edited->background_location, g_free);
  if (image != NULL)
    edited->background = cairo_surface_reference (image);
  commit_edit (self, edited);
}

/**
 * reel_chroma_key_set_background_clip:
 * @self: a #ReelChromaKey
 * @clip: (nullable): a moving background, or %NULL for the still one
 *
 * Plate frame N is composited over frame N of @clip (looping), placed like a still. It is
 * opened, if it is not yet, on the streaming thread. Takes effect from the next frame.
 */
void
reel_chroma_key_set_background_clip (ReelChromaKey  *self,
                                     ReelClipFrames *clip)
{
  Settings *edited;

  g_return_if_fail (REEL_IS_CHROMA_KEY (self));
  g_return_if_fail (clip == NULL || REEL_IS_CLIP_FRAMES (clip));

  edited = begin_edit (self);
  g_set_object (&edited->background_clip, clip);
  g_clear_pointer (&edited->background_clip_location, g_free);
  commit_edit (self, edited);
}

/**
 * reel_chroma_key_set_background_placement:
 * @self: a #ReelChromaKey
 * @scale: the background's size relative to covering the frame
 * @offset_x: horizontal move, as a fraction of the frame's width
 * @offset_y: vertical move, as a fraction of the frame's height
 *
 * Takes effect from the next frame.
 */
void
reel_chroma_key_set_background_placement (ReelChromaKey *self,
                                          double         scale,
                                          double         offset_x,
                                          double         offset_y)
{
  Settings *edited;

  g_return_if_fail (REEL_IS_CHROMA_KEY (self));
  g_return_if_fail (scale > 0.0);

  edited = begin_edit (self);
  edited->background_scale = scale;
  edited->background_x = offset_x;
  edited->background_y = offset_y;
  commit_edit (self, edited);
}

/**
 * reel_chroma_key_set_plate_placement:
 * @self: a #ReelChromaKey
 * @scale: the plate's size relative to fitting inside the frame
 * @offset_x: horizontal move, as a fraction of the frame's width
 * @offset_y: vertical move, as a fraction of the frame's height
 *
 * Takes effect from the next frame.
 */
void
reel_chroma_key_set_plate_placement (ReelChromaKey *self,
                                     double         scale,
                                     double         offset_x,
                                     double         offset_y)
{
  Settings *edited;

  g_return_if_fail (REEL_IS_CHROMA_KEY (self));
  g_return_if_fail (scale > 0.0);

  edited = begin_edit (self);
  edited->plate_scale = scale;
  edited->plate_x = offset_x;
  edited->plate_y = offset_y;
  commit_edit (self, edited);
}

/**
 * reel_chroma_key_recomposite:
 * @self: a #ReelChromaKey
 *
 * Composites the last plate frame again with the current settings, for a paused preview
 * whose settings changed. Safe from any thread.
 *
 * Returns: (transfer full) (nullable): a BGRA frame at the output size, or %NULL before
 *   the first frame
 */
GstBuffer *
reel_chroma_key_recomposite (ReelChromaKey *self)
{
  g_autoptr(Settings) settings = NULL;
  GstVideoFrame in_frame, out_frame;
  GstBuffer *output = NULL;

  g_return_val_if_fail (REEL_IS_CHROMA_KEY (self), NULL);

  settings = get_settings (self);

  g_mutex_lock (&self->render_lock);

  if (!self->have_info || self->last_input == NULL)
    goto out;

  output = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&self->out_info), NULL);
  if (!gst_video_frame_map (&in_frame, &self->in_info, self->last_input, GST_MAP_READ))
    {
      gst_clear_buffer (&output);
      goto out;
    }
  if (!gst_video_frame_map (&out_frame, &self->out_info, output, GST_MAP_WRITE))
    {
      gst_video_frame_unmap (&in_frame);
      gst_clear_buffer (&output);
      goto out;
    }

  prepare (self, settings, self->last_input);
  composite (self, &in_frame, &out_frame);

  gst_video_frame_unmap (&out_frame);
  gst_video_frame_unmap (&in_frame);
  GST_BUFFER_PTS (output) = GST_BUFFER_PTS (self->last_input);
  GST_BUFFER_DURATION (output) = GST_BUFFER_DURATION (self->last_input);
  GST_BUFFER_OFFSET_END (output) = settings->serial;

out:
  g_mutex_unlock (&self->render_lock);
  return output;
}

/**
 * reel_chroma_key_get_last_input_pts:
 * @self: a #ReelChromaKey
 *
 * The frame reel_chroma_key_recomposite() would composite now: a recomposite whose
 * presentation time differs is of a frame a seek has since replaced. Safe from any thread.
 *
 * Returns: the presentation time of the last plate frame that came in, or
 *   %GST_CLOCK_TIME_NONE before the first one
 */
GstClockTime
reel_chroma_key_get_last_input_pts (ReelChromaKey *self)
{
  GstClockTime pts = GST_CLOCK_TIME_NONE;

  g_return_val_if_fail (REEL_IS_CHROMA_KEY (self), GST_CLOCK_TIME_NONE);

  g_mutex_lock (&self->render_lock);
  if (self->last_input != NULL)
    pts = GST_BUFFER_PTS (self->last_input);
  g_mutex_unlock (&self->render_lock);
  return pts;
}

/**
 * reel_chroma_key_sample_plate:
 * @self: a #ReelChromaKey
 * @x: horizontal position in the output frame, 0 (left) to 1 (right)
 * @y: vertical position in the output frame, 0 (top) to 1 (bottom)
 * @rgb: (out): the plate's colour there, as 0xRRGGBB
 *
 * The eyedropper: the plate's own colour (before keying) under a point of the composite,
 * averaged over a few pixels so noise does not decide the key.
 *
 * Returns: %TRUE if the point is on the plate of the frame on screen: the last one keyed,
 *   or while a new size or format is negotiated, the last one keyed before it
 */
gboolean
reel_chroma_key_sample_plate (ReelChromaKey *self,
                              double         x,
                              double         y,
                              guint32       *rgb)
{
  g_autoptr(Settings) settings = NULL;
  GstVideoFrame frame;
  GstBuffer *input;
  const GstVideoInfo *in_info, *out_info;
  gboolean found = FALSE;

  g_return_val_if_fail (REEL_IS_CHROMA_KEY (self), FALSE);
  g_return_val_if_fail (rgb != NULL, FALSE);

  settings = get_settings (self);

  g_mutex_lock (&self->render_lock);

  /* The frame on screen: the last one keyed, or, while the formats are renegotiated (a
   * resize), the last one keyed before, which stays on screen until a new one comes. */
  if (self->last_input != NULL)
    {
      input = self->last_input;
      in_info = &self->in_info;
      out_info = &self->out_info;
    }
  else
    {
      input = self->previous_input;
      in_info = &self->previous_in_info;
      out_info = &self->previous_out_info;
    }

  if (self->have_info && input != NULL
      && gst_video_frame_map (&frame, in_info, input, GST_MAP_READ))
    {
      int out_width = GST_VIDEO_INFO_WIDTH (out_info);
      int out_height = GST_VIDEO_INFO_HEIGHT (out_info);
      int column = CLAMP ((int) (x * out_width), 0, out_width - 1);
      int row = CLAMP ((int) (y * out_height), 0, out_height - 1);
      int width = GST_VIDEO_FRAME_WIDTH (&frame);
      int height = GST_VIDEO_FRAME_HEIGHT (&frame);
      int plate_x, plate_y;
      Sampling sampling;

      /* As the composite reads it (build_maps()), for this frame's formats. */
      sampling_for (settings, width, height, out_width, out_height, &sampling);
      plate_x = sample_index (column, sampling.x, sampling.width, sampling.samples_x);
      plate_y = sample_index (row, sampling.y, sampling.height, sampling.samples_y);

      if (plate_x >= 0 && plate_y >= 0)
        {
          double sum_y = 0, sum_u = 0, sum_v = 0, n = 0;
          double luma, pb, pr, r, g, b;

          plate_x *= sampling.step;
          plate_y *= sampling.step;
          for (int j = MAX (plate_y - 2, 0); j <= MIN (plate_y + 2, height - 1); j++)
            for (int i = MAX (plate_x - 2, 0); i <= MIN (plate_x + 2, width - 1); i++)
              {
                sum_y += GST_VIDEO_FRAME_COMP_DATA (&frame, 0)
                           [j * GST_VIDEO_FRAME_COMP_STRIDE (&frame, 0) + i];
                /* I420 or NV12: the samples' own spacing (1 or 2 bytes). */
                sum_u += GST_VIDEO_FRAME_COMP_DATA (&frame, 1)
                           [(j >> 1) * GST_VIDEO_FRAME_COMP_STRIDE (&frame, 1)
                            + (i >> 1) * GST_VIDEO_FRAME_COMP_PSTRIDE (&frame, 1)];
                sum_v += GST_VIDEO_FRAME_COMP_DATA (&frame, 2)
                           [(j >> 1) * GST_VIDEO_FRAME_COMP_STRIDE (&frame, 2)
                            + (i >> 1) * GST_VIDEO_FRAME_COMP_PSTRIDE (&frame, 2)];
                n++;
              }

          luma = luma_to_unit (self, (int) lround (sum_y / n));
          chroma_to_pbpr (self, (int) lround (sum_u / n), (int) lround (sum_v / n), &pb, &pr);
          r = luma + 2.0 * (1.0 - self->kr) * pr;
          b = luma + 2.0 * (1.0 - self->kb) * pb;
          g = (luma - self->kr * r - self->kb * b) / (1.0 - self->kr - self->kb);

          *rgb = ((guint32) lround (CLAMP (r, 0.0, 1.0) * 255.0) << 16)
                 | ((guint32) lround (CLAMP (g, 0.0, 1.0) * 255.0) << 8)
                 | (guint32) lround (CLAMP (b, 0.0, 1.0) * 255.0);
          found = TRUE;
        }

      gst_video_frame_unmap (&frame);
    }

  g_mutex_unlock (&self->render_lock);

  return found;
}

/**
 * reel_chroma_key_get_n_settings_swaps:
 * @self: a #ReelChromaKey
 *
 * Each output frame carries the count its settings were published at in
 * %GST_BUFFER_OFFSET_END, so a frame made with older settings can be told apart.
 *
 * Returns: how many times new settings were published
 */
guint64
reel_chroma_key_get_n_settings_swaps (ReelChromaKey *self)
{
  guint64 n;

  g_return_val_if_fail (REEL_IS_CHROMA_KEY (self), 0);

  g_mutex_lock (&self->settings_lock);
  n = self->n_settings_swaps;
  g_mutex_unlock (&self->settings_lock);

  return n;
}

/**
 * reel_chroma_key_set_reference_path:
 * @self: a #ReelChromaKey
 * @reference: %TRUE to composite pixel by pixel only
 *
 * See reel-chroma-key-private.h.
 */
void
reel_chroma_key_set_reference_path (ReelChromaKey *self,
                                    gboolean       reference)
{
  g_return_if_fail (REEL_IS_CHROMA_KEY (self));

  g_mutex_lock (&self->render_lock);
  self->reference = reference;
  g_mutex_unlock (&self->render_lock);
}
