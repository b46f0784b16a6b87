/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writes frames drawn in memory (a camera move, a sketch plate) into a short clip. */

#include "config.h"

#include <cairo.h>
#include <glib/gi18n.h>
#include <gst/app/app.h>
#include <gst/video/video.h>

#include "reel-frame-encoder.h"
#include "reel-media-error.h"

#if G_BYTE_ORDER == G_LITTLE_ENDIAN
#define CAIRO_RGB24_FORMAT "BGRx"
#else
#define CAIRO_RGB24_FORMAT "xRGB"
#endif

gboolean
reel_frame_encoder_run (const char           *encoder,
                        int                   width,
                        int                   height,
                        gint64                n_frames,
                        int                   rate_numerator,
                        int                   rate_denominator,
                        const char           *path,
                        ReelFrameEncoderFunc  frame_func,
                        gpointer              user_data,
                        GCancellable         *cancellable,
                        GError              **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) source = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GError) reason = NULL;
  g_autofree char *location = g_strescape (path, NULL);
  g_autofree char *description = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (encoder != NULL, FALSE);
  g_return_val_if_fail (frame_func != NULL, FALSE);
  g_return_val_if_fail (rate_numerator > 0 && rate_denominator > 0, FALSE);

  description = g_strdup_printf ("appsrc name=source format=time ! videoconvert ! %s "
                                 "! filesink location=\"%s\"", encoder, location);
  pipeline = gst_parse_launch (description, &parse_error);
  if (pipeline == NULL || parse_error != NULL)
    {
      g_set_error_literal (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_ELEMENT,
                           parse_error != NULL ? parse_error->message
                                               : _("a GStreamer plugin is missing"));
      return FALSE;
    }
  gst_object_ref_sink (pipeline);
  source = gst_bin_get_by_name (GST_BIN (pipeline), "source");
  caps = gst_caps_new_simple ("video/x-raw",
                              "format", G_TYPE_STRING, CAIRO_RGB24_FORMAT,
                              "width", G_TYPE_INT, width,
                              "height", G_TYPE_INT, height,
                              "framerate", GST_TYPE_FRACTION, rate_numerator, rate_denominator,
                              "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                              NULL);
  g_object_set (source, "caps", caps, "block", TRUE, "max-buffers", (guint64) 4, NULL);

  bus = gst_element_get_bus (pipeline);
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    ok = FALSE;

  for (gint64 i = 0; ok && i < n_frames; i++)
    {
      GstBuffer *buffer;

      if (g_cancellable_is_cancelled (cancellable))
        {
          ok = FALSE;
          break;
        }

      buffer = frame_func (i, user_data);
      if (buffer == NULL)
        {
          ok = FALSE;
          break;
        }
      GST_BUFFER_PTS (buffer) = gst_util_uint64_scale (i, (guint64) rate_denominator * GST_SECOND,
                                                       rate_numerator);
      GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (i + 1,
                                                            (guint64) rate_denominator
                                                            * GST_SECOND, rate_numerator)
                                     - GST_BUFFER_PTS (buffer);
      if (gst_app_src_push_buffer (GST_APP_SRC (source), buffer) != GST_FLOW_OK)
        ok = FALSE;
    }

  if (ok)
    {
      gst_app_src_end_of_stream (GST_APP_SRC (source));
      message = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
                                            GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
      ok = message != NULL && GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS;
    }
  else
    {
      message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);

  if (ok)
    return TRUE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (message != NULL && GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    gst_message_parse_error (message, &reason, NULL);
  g_set_error_literal (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_FAILED,
                       reason != NULL ? reason->message : _("encoding failed"));
  return FALSE;
}
