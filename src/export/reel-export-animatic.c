/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-export-animatic"

#include "config.h"

#include <glib/gi18n.h>

#include "media/reel-animatic.h"
#include "reel-export-context-private.h"
#include "reel-export-formats-private.h"
#include "reel-export-matroska-private.h"

/*
 * The animatic: the shots in scope in order, each for its duration, as H.264 and AAC in MP4
 * or VP9 and Opus in WebM, with the sound of the plates that have it (src/media/reel-animatic.c
 * makes it). GStreamer writes to a file, so it renders to a hidden file beside the output and
 * copies that into the runner's temporary output.
 */

typedef struct
{
  ReelExportContext *context;
  GCancellable *cancellable;
} RenderProgress;

/* Rendering takes most of the time; the copy is quick. */
#define RENDER_SHARE 0.95

static void
on_render_progress (double   fraction,
                    gpointer user_data)
{
  RenderProgress *progress = user_data;

  reel_export_context_progress (progress->context, fraction * RENDER_SHARE);
  if (!reel_export_context_check_cancelled (progress->context, NULL))
    g_cancellable_cancel (progress->cancellable);
}

static gboolean
copy_into_output (ReelExportContext  *context,
                  GFile              *rendered,
                  GError            **error)
{
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GError) local_error = NULL;

  input = g_file_read (rendered, NULL, &local_error);
  if (input == NULL
      || g_output_stream_splice (reel_export_context_get_stream (context),
                                 G_INPUT_STREAM (input), G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE,
                                 NULL, &local_error) < 0)
    {
      reel_export_context_set_write_error (context, local_error->message, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
write_animatic (ReelExportContext   *context,
                ReelAnimaticFormat   format,
                GError             **error)
{
  ReelExportShot * const *shots;
  guint n_shots;
  g_autofree ReelShot **scope = NULL;
  g_autoptr(ReelAnimatic) animatic = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GFile) folder = g_file_get_parent (reel_export_context_get_output (context));
  g_autofree char *name = g_strdup_printf (".storyreel-animatic-%08x.%s.part",
                                           g_random_int (),
                                           reel_animatic_format_get_extension (format));
  g_autoptr(GFile) rendered = g_file_get_child (folder, name);
  RenderProgress progress = { context, cancellable };
  GError *render_error = NULL;
  gboolean ok;

  shots = reel_export_context_get_shots (context, &n_shots);
  scope = g_new (ReelShot *, MAX (n_shots, 1));
  for (guint i = 0; i < n_shots; i++)
    scope[i] = shots[i]->shot;

  /* The context's project is its own copy: the animatic may use it without another. */
  animatic = reel_animatic_new_for_shots (reel_export_context_get_project (context), scope,
                                          n_shots,
                                          reel_export_context_get_project_file (context));

  ok = reel_animatic_build (animatic, cancellable, &render_error)
       && reel_animatic_render (animatic, format, rendered, on_render_progress, &progress,
                                cancellable, &render_error)
       && reel_export_matroska_unquote_tags (rendered, &render_error);

  if (ok)
    ok = copy_into_output (context, rendered, error);
  else if (g_error_matches (render_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&render_error);
      reel_export_context_check_cancelled (context, error);
    }
  else
    g_propagate_error (error, render_error);

  g_file_delete (rendered, NULL, NULL);

  if (ok)
    reel_export_context_progress (context, 1.0);
  return ok;
}

static gboolean
reel_export_mp4_write (ReelExportContext  *context,
                       GError            **error)
{
  return write_animatic (context, REEL_ANIMATIC_FORMAT_MP4, error);
}

static gboolean
reel_export_webm_write (ReelExportContext  *context,
                        GError            **error)
{
  return write_animatic (context, REEL_ANIMATIC_FORMAT_WEBM, error);
}

const ReelExportFormat reel_export_format_mp4 = {
  .id = "mp4",
  .name = N_("Animatic (MP4, H.264)"),
  .extension = "mp4",
  .mime_type = "video/mp4",
  .options = REEL_EXPORT_USES_SCOPE,
  .output = REEL_EXPORT_OUTPUT_FILE,
  .writes_panels = FALSE,
  .write = reel_export_mp4_write,
};

const ReelExportFormat reel_export_format_webm = {
  .id = "webm",
  .name = N_("Animatic (WebM, VP9)"),
  .extension = "webm",
  .mime_type = "video/webm",
  .options = REEL_EXPORT_USES_SCOPE,
  .output = REEL_EXPORT_OUTPUT_FILE,
  .writes_panels = FALSE,
  .write = reel_export_webm_write,
};
