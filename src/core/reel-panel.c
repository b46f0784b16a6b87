/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-panel"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "reel-core-error.h"
#include "reel-panel.h"

/* Decoded backgrounds, shared by every thread that draws panels: the memory budget of
 * lazy media (the bytes themselves stay in the project file). Sized by what a screen
 * shows at full size (the board's panel, the preview, the shot either side): 21 MB is 5
 * generated 1344 × 768 images, and the last CACHE_MIN_ENTRIES images stay whatever their
 * size (two 4K backgrounds take 66 MB); the least recently used go first. Thumbnails are
 * decoded small and not kept here. */
#define CACHE_BUDGET_BYTES (21 * 1024 * 1024)
#define CACHE_MIN_ENTRIES  3

typedef struct
{
  char *hash;
  cairo_surface_t *surface;
  gsize bytes;
} CacheEntry;

static GMutex cache_lock;
static GHashTable *cache_table;   /* hash → CacheEntry (owned by cache_order) */
static GQueue cache_order = G_QUEUE_INIT;
static gsize cache_bytes;

static void
cache_entry_free (CacheEntry *entry)
{
  g_free (entry->hash);
  cairo_surface_destroy (entry->surface);
  g_free (entry);
}

static cairo_surface_t *
cache_lookup_locked (const char *hash)
{
  CacheEntry *entry;

  if (cache_table == NULL)
    return NULL;

  entry = g_hash_table_lookup (cache_table, hash);
  if (entry == NULL)
    return NULL;

  /* The most recently used goes last, the furthest from eviction. */
  g_queue_remove (&cache_order, entry);
  g_queue_push_tail (&cache_order, entry);
  return cairo_surface_reference (entry->surface);
}

static void
cache_insert_locked (const char      *hash,
                     cairo_surface_t *surface)
{
  CacheEntry *entry;

  if (cache_table == NULL)
    cache_table = g_hash_table_new (g_str_hash, g_str_equal);

  if (g_hash_table_contains (cache_table, hash))
    return;

  entry = g_new0 (CacheEntry, 1);
  entry->hash = g_strdup (hash);
  entry->surface = cairo_surface_reference (surface);
  entry->bytes = (gsize) cairo_image_surface_get_stride (surface)
                 * cairo_image_surface_get_height (surface);

  g_queue_push_tail (&cache_order, entry);
  g_hash_table_insert (cache_table, entry->hash, entry);
  cache_bytes += entry->bytes;

  while (cache_bytes > CACHE_BUDGET_BYTES && cache_order.length > CACHE_MIN_ENTRIES)
    {
      CacheEntry *oldest = g_queue_pop_head (&cache_order);

      g_hash_table_remove (cache_table, oldest->hash);
      cache_bytes -= oldest->bytes;
      cache_entry_free (oldest);
    }
}

void
reel_panel_clear_cache (void)
{
  CacheEntry *entry;

  g_mutex_lock (&cache_lock);
  while ((entry = g_queue_pop_head (&cache_order)) != NULL)
    cache_entry_free (entry);
  g_clear_pointer (&cache_table, g_hash_table_unref);
  cache_bytes = 0;
  g_mutex_unlock (&cache_lock);
}

/* gdk-pixbuf rows are RGB(A) bytes; cairo wants native-endian premultiplied ARGB. */
static cairo_surface_t *
surface_from_pixbuf (GdkPixbuf  *pixbuf,
                     GError    **error)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  gboolean has_alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  int src_stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *src = gdk_pixbuf_read_pixels (pixbuf);
  cairo_surface_t *surface;
  guint8 *dst;
  int dst_stride;

  surface = cairo_image_surface_create (has_alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24,
                                        width, height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_RENDER,
                   _("Not enough memory to draw a %d × %d image"), width, height);
      cairo_surface_destroy (surface);
      return NULL;
    }

  cairo_surface_flush (surface);
  dst = cairo_image_surface_get_data (surface);
  dst_stride = cairo_image_surface_get_stride (surface);

  for (int y = 0; y < height; y++)
    {
      const guint8 *s = src + (gsize) y * src_stride;
      guint32 *d = (guint32 *) (dst + (gsize) y * dst_stride);

      for (int x = 0; x < width; x++, s += channels)
        {
          guint32 a = has_alpha ? s[3] : 0xff;
          guint32 r = s[0], g = s[1], b = s[2];

          if (a != 0xff)
            {
              /* Premultiply with rounding: (c·a + 127) / 255. */
              r = (r * a + 127) / 255;
              g = (g * a + 127) / 255;
              b = (b * a + 127) / 255;
            }
          d[x] = (a << 24) | (r << 16) | (g << 8) | b;
        }
    }

  cairo_surface_mark_dirty (surface);
  return surface;
}

gsize
reel_panel_get_cache_bytes (void)
{
  gsize bytes;

  g_mutex_lock (&cache_lock);
  bytes = cache_bytes;
  g_mutex_unlock (&cache_lock);
  return bytes;
}

/* The decoded image of @hash if the cache has it (transfer full), without decoding. */
static cairo_surface_t *
cache_peek (const char *hash)
{
  cairo_surface_t *surface;

  g_mutex_lock (&cache_lock);
  surface = cache_lookup_locked (hash);
  g_mutex_unlock (&cache_lock);
  return surface;
}

static ReelPanelVideoFrameFunc video_frame_func;

void
reel_panel_set_video_frame_func (ReelPanelVideoFrameFunc func)
{
  g_atomic_pointer_set (&video_frame_func, func);
}

/* A video's still picture, from the cache or decoded by the media layer. Transfer full. */
static cairo_surface_t *
lookup_video_frame (ReelAsset *asset)
{
  ReelPanelVideoFrameFunc func = g_atomic_pointer_get (&video_frame_func);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;

  surface = cache_peek (reel_asset_get_hash (asset));
  if (surface != NULL || func == NULL)
    return surface;

  surface = func (asset, &error);
  if (surface == NULL)
    {
      g_debug ("No still picture of the clip %.12s: %s", reel_asset_get_hash (asset),
               error != NULL ? error->message : "");
      return NULL;
    }

  g_mutex_lock (&cache_lock);
  cache_insert_locked (reel_asset_get_hash (asset), surface);
  g_mutex_unlock (&cache_lock);
  return surface;
}

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  const double *target = user_data;
  double scale = MAX (target[0] / width, target[1] / height);

  if (scale < 1.0)
    gdk_pixbuf_loader_set_size (loader, MAX (1, (int) ceil (width * scale)),
                                MAX (1, (int) ceil (height * scale)));
}

/* @asset decoded at about the size that covers @width × @height pixels, for a thumbnail:
 * not kept in the cache, whose budget stays for the images shown large. Transfer full. */
static cairo_surface_t *
decode_scaled (ReelAsset *asset,
               double     width,
               double     height)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  double target[2] = { width, height };
  GdkPixbuf *pixbuf;
  cairo_surface_t *surface;

  data = reel_asset_dup_data (asset, NULL, &error);
  if (data == NULL)
    return NULL;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), target);
  if (!gdk_pixbuf_loader_write_bytes (loader, data, &error) ||
      !gdk_pixbuf_loader_close (loader, &error))
    {
      g_debug ("Could not decode %.12s for a thumbnail: %s", reel_asset_get_hash (asset),
               error->message);
      return NULL;
    }
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    return NULL;

  surface = surface_from_pixbuf (pixbuf, NULL);
  return surface;
}

cairo_surface_t *
reel_panel_lookup_surface (ReelAsset  *asset,
                           GError    **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  cairo_surface_t *surface;
  const char *hash;

  g_return_val_if_fail (REEL_IS_ASSET (asset), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  hash = reel_asset_get_hash (asset);

  g_mutex_lock (&cache_lock);
  surface = cache_lookup_locked (hash);
  g_mutex_unlock (&cache_lock);
  if (surface != NULL)
    return surface;

  /* Decode outside the lock: other threads keep drawing meanwhile. Two threads
   * may decode the same image once each; the cache keeps the first. */
  pixbuf = reel_asset_create_pixbuf (asset, error);
  if (pixbuf == NULL)
    return NULL;

  surface = surface_from_pixbuf (pixbuf, error);
  if (surface == NULL)
    return NULL;

  g_mutex_lock (&cache_lock);
  cache_insert_locked (hash, surface);
  g_mutex_unlock (&cache_lock);

  return surface;
}

gboolean
reel_panel_draw_surface_cover (cairo_surface_t *image,
                               cairo_t         *cr,
                               double           width,
                               double           height)
{
  cairo_pattern_t *pattern;
  double image_width, image_height, scale;

  g_return_val_if_fail (image != NULL, FALSE);
  g_return_val_if_fail (cr != NULL, FALSE);

  if (width <= 0 || height <= 0)
    return FALSE;

  image_width = cairo_image_surface_get_width (image);
  image_height = cairo_image_surface_get_height (image);
  if (image_width <= 0 || image_height <= 0)
    return FALSE;

  scale = MAX (width / image_width, height / image_height);

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  cairo_translate (cr, (width - image_width * scale) / 2, (height - image_height * scale) / 2);
  cairo_scale (cr, scale, scale);
  cairo_set_source_surface (cr, image, 0, 0);
  pattern = cairo_get_source (cr);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_GOOD);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
  cairo_paint (cr);
  cairo_restore (cr);

  return TRUE;
}

gboolean
reel_panel_draw_asset_cover (ReelAsset *asset,
                             cairo_t   *cr,
                             double     width,
                             double     height)
{
  cairo_surface_t *surface;
  gboolean drawn;

  g_return_val_if_fail (REEL_IS_ASSET (asset), FALSE);
  g_return_val_if_fail (cr != NULL, FALSE);

  if (width <= 0 || height <= 0)
    return FALSE;

  if (reel_asset_is_video (asset))
    {
      surface = lookup_video_frame (asset);
      if (surface == NULL)
        return FALSE;
      drawn = reel_panel_draw_surface_cover (surface, cr, width, height);
      cairo_surface_destroy (surface);
      return drawn;
    }

  /* Drawn at less than half the image's size each way (a thumbnail): decoded at that
   * size unless the cache has it, and not cached. Scrolling a thousand shots past would
   * otherwise fill the cache with full-size images no panel shows large. */
  {
    double device_width = width, device_height = height;

    cairo_user_to_device_distance (cr, &device_width, &device_height);
    device_width = fabs (device_width);
    device_height = fabs (device_height);
    if (device_width * 2 <= reel_asset_get_width (asset) &&
        device_height * 2 <= reel_asset_get_height (asset))
      {
        surface = cache_peek (reel_asset_get_hash (asset));
        if (surface == NULL)
          surface = decode_scaled (asset, device_width, device_height);
        if (surface == NULL)
          return FALSE;
        drawn = reel_panel_draw_surface_cover (surface, cr, width, height);
        cairo_surface_destroy (surface);
        return drawn;
      }
  }

  surface = reel_panel_lookup_surface (asset, NULL);
  if (surface == NULL)
    return FALSE;

  drawn = reel_panel_draw_surface_cover (surface, cr, width, height);
  cairo_surface_destroy (surface);
  return drawn;
}

void
reel_panel_render_parts (ReelAsset  *background,
                         ReelSketch *sketch,
                         cairo_t    *cr,
                         double      width,
                         double      height)
{
  g_return_if_fail (background == NULL || REEL_IS_ASSET (background));
  g_return_if_fail (sketch == NULL || REEL_IS_SKETCH (sketch));
  g_return_if_fail (cr != NULL);

  if (width <= 0 || height <= 0)
    return;

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_set_source_rgb (cr, REEL_PANEL_FILL_RED, REEL_PANEL_FILL_GREEN, REEL_PANEL_FILL_BLUE);
  cairo_fill (cr);
  cairo_restore (cr);

  if (background != NULL)
    reel_panel_draw_asset_cover (background, cr, width, height);

  if (sketch != NULL)
    reel_sketch_render (sketch, cr, width, height);
}

void
reel_panel_render (ReelProject *project,
                   ReelShot    *shot,
                   cairo_t     *cr,
                   double       width,
                   double       height)
{
  ReelAsset *background;

  g_return_if_fail (REEL_IS_PROJECT (project));
  g_return_if_fail (REEL_IS_SHOT (shot));

  background = reel_project_lookup_asset (project, reel_shot_get_background (shot));
  reel_panel_render_parts (background, reel_shot_get_sketch (shot), cr, width, height);
}

int
reel_panel_height_for_width (double aspect,
                             int    width)
{
  if (aspect <= 0)
    aspect = REEL_ASPECT_RATIO_DEFAULT;

  return MAX (1, (int) lround (width / aspect));
}

static cairo_status_t
append_to_byte_array (void                *closure,
                      const unsigned char *data,
                      unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
reel_panel_render_parts_png (ReelAsset   *background,
                             ReelSketch  *sketch,
                             int          width,
                             int          height,
                             GError     **error)
{
  g_autoptr(GByteArray) png = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (width <= 0 || height <= 0 || width > 32767 || height > 32767)
    {
      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_VALUE,
                   _("A panel of %d × %d pixels cannot be drawn: choose a size between "
                     "1 and 32767 pixels"), width, height);
      return NULL;
    }

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  reel_panel_render_parts (background, sketch, cr, width, height);
  status = cairo_status (cr);
  cairo_destroy (cr);

  png = g_byte_array_new ();
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png_stream (surface, append_to_byte_array, png);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_RENDER,
                   _("Could not draw the panel: %s"), cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

GBytes *
reel_panel_render_png (ReelProject  *project,
                       ReelShot     *shot,
                       int           width,
                       GError      **error)
{
  ReelAsset *background;

  g_return_val_if_fail (REEL_IS_PROJECT (project), NULL);
  g_return_val_if_fail (REEL_IS_SHOT (shot), NULL);

  background = reel_project_lookup_asset (project, reel_shot_get_background (shot));
  return reel_panel_render_parts_png (background, reel_shot_get_sketch (shot), width,
                                      reel_panel_height_for_width (
                                        reel_project_get_aspect_ratio (project), width),
                                      error);
}

void
reel_framing_get_frame_rect (double  width,
                             double  height,
                             double  aspect,
                             double *x,
                             double *y,
                             double *frame_width,
                             double *frame_height)
{
  double fw = width, fh = height;

  if (aspect > 0 && width > 0 && height > 0)
    {
      if (width / height > aspect)
        fw = height * aspect;      /* pillarbox */
      else
        fh = width / aspect;       /* letterbox */
    }

  if (x != NULL)
    *x = (width - fw) / 2;
  if (y != NULL)
    *y = (height - fh) / 2;
  if (frame_width != NULL)
    *frame_width = fw;
  if (frame_height != NULL)
    *frame_height = fh;
}

static void
stroke_safe_area (cairo_t *cr,
                  double   x,
                  double   y,
                  double   w,
                  double   h,
                  double   fraction)
{
  double inset_x = w * (1 - fraction) / 2;
  double inset_y = h * (1 - fraction) / 2;

  cairo_rectangle (cr, x + inset_x, y + inset_y, w - 2 * inset_x, h - 2 * inset_y);
  cairo_stroke (cr);
}

void
reel_framing_guides_draw (cairo_t        *cr,
                          double          width,
                          double          height,
                          double          aspect,
                          ReelGuideFlags  flags)
{
  double x, y, w, h;
  double line_width;

  g_return_if_fail (cr != NULL);

  if (width <= 0 || height <= 0 || flags == REEL_GUIDE_NONE)
    return;

  reel_framing_get_frame_rect (width, height, aspect, &x, &y, &w, &h);
  line_width = MAX (1.0, MIN (width, height) / 400.0);

  cairo_save (cr);

  if (flags & REEL_GUIDE_MASK)
    {
      cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
      cairo_rectangle (cr, 0, 0, width, height);
      cairo_rectangle (cr, x, y, w, h);
      cairo_set_source_rgba (cr, 0, 0, 0, 0.65);
      cairo_fill (cr);
    }

  cairo_set_line_width (cr, line_width);

  if (flags & REEL_GUIDE_THIRDS)
    {
      cairo_set_source_rgba (cr, 1, 1, 1, 0.5);
      for (int i = 1; i <= 2; i++)
        {
          cairo_move_to (cr, x + w * i / 3, y);
          cairo_line_to (cr, x + w * i / 3, y + h);
          cairo_move_to (cr, x, y + h * i / 3);
          cairo_line_to (cr, x + w, y + h * i / 3);
        }
      cairo_stroke (cr);
    }

  if (flags & REEL_GUIDE_ACTION_SAFE)
    {
      cairo_set_source_rgba (cr, 1, 1, 1, 0.6);
      stroke_safe_area (cr, x, y, w, h, REEL_PANEL_ACTION_SAFE);
    }

  if (flags & REEL_GUIDE_TITLE_SAFE)
    {
      const double dashes[] = { 4 * line_width, 4 * line_width };

      cairo_set_source_rgba (cr, 1, 0.85, 0.3, 0.7);
      cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
      stroke_safe_area (cr, x, y, w, h, REEL_PANEL_TITLE_SAFE);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  if (flags & REEL_GUIDE_CENTER)
    {
      double arm = MIN (w, h) * 0.03;
      double cx = x + w / 2, cy = y + h / 2;

      cairo_set_source_rgba (cr, 1, 1, 1, 0.7);
      cairo_move_to (cr, cx - arm, cy);
      cairo_line_to (cr, cx + arm, cy);
      cairo_move_to (cr, cx, cy - arm);
      cairo_line_to (cr, cx, cy + arm);
      cairo_stroke (cr);
    }

  cairo_restore (cr);
}
