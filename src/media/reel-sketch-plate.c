/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-sketch-plate"

#include "config.h"

#include <cairo.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gst/app/app.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include "reel-frame-encoder.h"
#include "reel-media.h"
#include "reel-media-cache.h"
#include "reel-media-error.h"
#include "reel-sketch-plate.h"

/* A plate for a shot without footage whose background is a clip: the key green alone, the
 * same picture in every frame, as long as the shot at the project's rate. The Preview keys
 * it over the clip like any plate, so the clip plays for the shot's duration (looping when
 * it is shorter), plate frame N over clip frame N; the sketch goes on top as the canvas's
 * overlay, so a stroke never needs a new plate.
 *
 *   appsrc (cairo's RGB24) ─ videoconvert ─ vp8enc ─ webmmux ─ filesink
 *
 * Written once into the user's cache (storyreel/sketch-plates), named by a hash of the
 * picture, the length and the rate; the folder is trimmed (reel-media-cache.c) after each
 * new plate. */

/* The key green, at @width × @height. */
static cairo_surface_t *
draw_picture (int width,
              int height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, ((REEL_SKETCH_PLATE_KEY_COLOR >> 16) & 0xff) / 255.0,
                        ((REEL_SKETCH_PLATE_KEY_COLOR >> 8) & 0xff) / 255.0,
                        (REEL_SKETCH_PLATE_KEY_COLOR & 0xff) / 255.0);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

static char *
plate_name (cairo_surface_t *picture,
            gint64           n_frames,
            int              rate_numerator,
            int              rate_denominator)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *header = g_strdup_printf ("%dx%d %" G_GINT64_FORMAT " %d/%d",
                                             cairo_image_surface_get_width (picture),
                                             cairo_image_surface_get_height (picture),
                                             n_frames, rate_numerator, rate_denominator);

  g_checksum_update (checksum, (const guchar *) header, -1);
  g_checksum_update (checksum, cairo_image_surface_get_data (picture),
                     (gssize) cairo_image_surface_get_stride (picture)
                     * cairo_image_surface_get_height (picture));

  return g_strconcat (g_checksum_get_string (checksum), ".webm", NULL);
}

static GstBuffer *
plate_frame (gint64   index,
             gpointer user_data)
{
  return gst_buffer_copy (user_data);  /* shares the memory */
}

static gboolean
encode (cairo_surface_t  *picture,
        gint64            n_frames,
        int               rate_numerator,
        int               rate_denominator,
        const char       *path,
        GCancellable     *cancellable,
        GError          **error)
{
  g_autoptr(GstBuffer) frame = NULL;
  g_autoptr(GError) reason = NULL;
  g_autofree char *encoder = NULL;
  int width = cairo_image_surface_get_width (picture);
  int height = cairo_image_surface_get_height (picture);

  /* A still picture: the first frame carries it, the others cost next to nothing. */
  encoder = g_strdup_printf ("vp8enc deadline=1 target-bitrate=4000000 keyframe-max-dist=%d "
                             "! webmmux", MAX (1, rate_numerator / MAX (1, rate_denominator)));
  frame = gst_buffer_new_memdup (cairo_image_surface_get_data (picture),
                                 (gsize) cairo_image_surface_get_stride (picture) * height);
  if (reel_frame_encoder_run (encoder, width, height, n_frames, rate_numerator,
                              rate_denominator, path, plate_frame, frame, cancellable, &reason))
    return TRUE;

  if (g_error_matches (reason, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&reason));
  else
    g_set_error (error, REEL_MEDIA_ERROR, reason->code,
                 _("The sketch could not be put over the background clip: %s"), reason->message);
  return FALSE;
}

/**
 * reel_sketch_plate_write:
 * @n_frames: the shot's duration in frames, at least 1
 * @rate_numerator: the project's frame rate
 * @rate_denominator: the project's frame rate
 * @width: the plate's width in pixels
 * @height: the plate's height in pixels
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError in %REEL_MEDIA_ERROR
 *
 * Blocking: call it on a worker thread. Key the result with
 * %REEL_SKETCH_PLATE_KEY_COLOR.
 *
 * Returns: (transfer full): the plate, a WebM file in the user's cache, or %NULL with
 *   @error set
 */
GFile *
reel_sketch_plate_write (gint64         n_frames,
                         int            rate_numerator,
                         int            rate_denominator,
                         int            width,
                         int            height,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *folder = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *partial = NULL;
  cairo_surface_t *picture;
  gboolean ok;

  g_return_val_if_fail (rate_numerator > 0 && rate_denominator > 0, NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);

  if (!reel_media_init (error))
    return NULL;

  /* Even sizes: the encoder's 4:2:0 wants them. */
  width = MAX (2, width & ~1);
  height = MAX (2, height & ~1);
  n_frames = MAX (n_frames, 1);

  picture = draw_picture (width, height);
  name = plate_name (picture, n_frames, rate_numerator, rate_denominator);
  folder = g_build_filename (g_get_user_cache_dir (), "storyreel", "sketch-plates", NULL);
  path = g_build_filename (folder, name, NULL);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      GFile *found = g_file_new_for_path (path);

      cairo_surface_destroy (picture);
      reel_media_cache_touch (found);
      return found;
    }

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      cairo_surface_destroy (picture);
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_FAILED,
                   _("The sketch could not be put over the background clip: “%s” could not "
                     "be created: %s"), folder, g_strerror (saved_errno));
      return NULL;
    }

  /* Under another name until it is whole, so a cut-short encode is never taken for one. */
  partial = reel_cache_create_partial (path);
  if (partial == NULL)
    {
      int saved_errno = errno;

      cairo_surface_destroy (picture);
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_FAILED,
                   _("The sketch could not be put over the background clip: “%s” could not "
                     "be written: %s"), path, g_strerror (saved_errno));
      return NULL;
    }
  ok = encode (picture, n_frames, rate_numerator, rate_denominator, partial, cancellable, error);
  cairo_surface_destroy (picture);
  if (ok && g_rename (partial, path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_FAILED,
                   _("The sketch could not be put over the background clip: “%s” could not "
                     "be written: %s"), path, g_strerror (saved_errno));
      ok = FALSE;
    }
  if (!ok)
    {
      g_unlink (partial);
      return NULL;
    }

  /* Plates of old sketches and durations pile up otherwise; this one is new, so kept. */
  reel_media_cache_trim (folder, REEL_MEDIA_CACHE_MAX_BYTES, REEL_MEDIA_CACHE_MAX_AGE,
                         REEL_MEDIA_CACHE_GRACE);
  return g_file_new_for_path (path);
}
