/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-export"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "media/reel-animatic.h"
#include "media/reel-clip-frames.h"
#include "reel-export-context-private.h"
#include "reel-export-error.h"
#include "reel-export-provenance-private.h"
#include "reel-export-text-private.h"

/*
 * The export runner. On the caller's thread it copies the project (so the user may keep
 * editing) and works out the shots in scope; a worker thread then writes everything to
 * temporary names beside the output and, only when the writer succeeded, moves the panels
 * and renames the file into place. Whatever happens, nothing half-written is left behind.
 */

struct _ReelExportContext
{
  const ReelExportFormat *format;
  ReelProject *project;
  GFile *project_file;
  ReelExportOptions *options;
  ReelScene *scene;
  GDateTime *date;
  ReelFrameRate rate;

  GPtrArray *shots;
  gint64 duration;

  GFile *output;
  GFile *temp_output;
  GOutputStream *stream;
  GFile *panels_folder;
  GFile *temp_panels_folder;
  GPtrArray *temp_panel_files;
  GFile *media_folder;
  GFile *temp_media_folder;
  GPtrArray *temp_media_files;

  GCancellable *cancellable;

  /* Progress travels to the caller's main context through one pending idle at a time. */
  GMainContext *main_context;
  GMutex progress_mutex;
  double progress_fraction;
  gboolean progress_pending;
  gboolean finished;
  ReelExportProgressFunc progress_func;
  gpointer progress_data;
  GDestroyNotify progress_destroy;
};

static void
reel_export_shot_free (ReelExportShot *shot)
{
  g_clear_object (&shot->shot);
  g_clear_object (&shot->scene);
  g_free (shot->scene_code);
  g_free (shot->shot_code);
  g_free (shot->code);
  g_free (shot->panel_name);
  g_clear_object (&shot->background);
  g_clear_pointer (&shot->generation, reel_generation_record_unref);
  g_clear_object (&shot->plate_file);
  g_clear_object (&shot->clip_file);
  g_clear_object (&shot->clip_render_file);
  g_free (shot);
}

static void
reel_export_context_clear (ReelExportContext *self)
{
  g_clear_object (&self->project);
  g_clear_object (&self->project_file);
  g_clear_object (&self->options);
  g_clear_object (&self->scene);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_clear_pointer (&self->shots, g_ptr_array_unref);
  g_clear_object (&self->output);
  g_clear_object (&self->temp_output);
  g_clear_object (&self->stream);
  g_clear_object (&self->panels_folder);
  g_clear_object (&self->temp_panels_folder);
  g_clear_pointer (&self->temp_panel_files, g_ptr_array_unref);
  g_clear_object (&self->media_folder);
  g_clear_object (&self->temp_media_folder);
  g_clear_pointer (&self->temp_media_files, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_mutex_clear (&self->progress_mutex);
  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);
}

static ReelExportContext *
reel_export_context_ref (ReelExportContext *self)
{
  return g_atomic_rc_box_acquire (self);
}

static void
reel_export_context_unref (ReelExportContext *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) reel_export_context_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelExportContext, reel_export_context_unref)

/* Accessors for the writers */

ReelProject *
reel_export_context_get_project (ReelExportContext *self)
{
  return self->project;
}

ReelExportOptions *
reel_export_context_get_options (ReelExportContext *self)
{
  return self->options;
}

const ReelExportFormat *
reel_export_context_get_format (ReelExportContext *self)
{
  return self->format;
}

ReelFrameRate
reel_export_context_get_frame_rate (ReelExportContext *self)
{
  return self->rate;
}

GDateTime *
reel_export_context_get_date (ReelExportContext *self)
{
  return self->date;
}

GFile *
reel_export_context_get_output (ReelExportContext *self)
{
  return self->output;
}

GFile *
reel_export_context_get_project_file (ReelExportContext *self)
{
  return self->project_file;
}

ReelScene *
reel_export_context_get_scene (ReelExportContext *self)
{
  return self->scene;
}

ReelExportShot * const *
reel_export_context_get_shots (ReelExportContext *self,
                               guint             *n_shots)
{
  if (n_shots != NULL)
    *n_shots = self->shots->len;
  return (ReelExportShot * const *) self->shots->pdata;
}

gint64
reel_export_context_get_duration (ReelExportContext *self)
{
  return self->duration;
}

gint64
reel_export_context_get_start_frame (ReelExportContext *self)
{
  return reel_timecode_label_to_frames (REEL_EXPORT_START_HOURS, 0, 0, 0, self->rate,
                                        reel_export_context_get_timecode_flags (self));
}

ReelTimecodeFlags
reel_export_context_get_timecode_flags (ReelExportContext *self)
{
  /* Drop-frame at 29.97 and 59.94, as editorial counts them; non-drop elsewhere. */
  return reel_frame_rate_is_drop_frame (self->rate) ? REEL_TIMECODE_DROP_FRAME
                                                    : REEL_TIMECODE_NON_DROP;
}

GOutputStream *
reel_export_context_get_stream (ReelExportContext *self)
{
  return self->stream;
}

void
reel_export_context_set_write_error (ReelExportContext  *self,
                                     const char         *reason,
                                     GError            **error)
{
  g_autofree char *name = g_file_get_parse_name (self->output);

  g_set_error (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_WRITE,
               _("Could not write “%s”: %s. Check that the folder exists, that you may "
                 "write to it and that the disk has room."),
               name, reason);
}

static void
propagate_io_error (ReelExportContext  *self,
                    GError             *io_error,
                    GError            **error)
{
  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    reel_export_context_check_cancelled (self, error);
  else
    reel_export_context_set_write_error (self, io_error->message, error);
}

gboolean
reel_export_context_write (ReelExportContext  *self,
                           const char         *data,
                           gsize               length,
                           GError            **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_output_stream_write_all (self->stream, data, length, NULL, self->cancellable,
                                  &local_error))
    {
      propagate_io_error (self, local_error, error);
      return FALSE;
    }

  return TRUE;
}

/* Progress and cancellation */

static gboolean
deliver_progress_cb (gpointer user_data)
{
  ReelExportContext *self = user_data;
  double fraction;
  gboolean finished;

  g_mutex_lock (&self->progress_mutex);
  fraction = self->progress_fraction;
  finished = self->finished;
  self->progress_pending = FALSE;
  g_mutex_unlock (&self->progress_mutex);

  if (!finished && self->progress_func != NULL)
    self->progress_func (fraction, self->progress_data);

  return G_SOURCE_REMOVE;
}

void
reel_export_context_progress (ReelExportContext *self,
                              double             fraction)
{
  gboolean schedule;

  if (self->progress_func == NULL)
    return;

  g_mutex_lock (&self->progress_mutex);
  self->progress_fraction = CLAMP (fraction, 0.0, 1.0);
  schedule = !self->progress_pending;
  self->progress_pending = TRUE;
  g_mutex_unlock (&self->progress_mutex);

  if (schedule)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, deliver_progress_cb, reel_export_context_ref (self),
                             (GDestroyNotify) reel_export_context_unref);
      g_source_set_static_name (source, "[storyreel] export progress");
      g_source_attach (source, self->main_context);
    }
}

gboolean
reel_export_context_check_cancelled (ReelExportContext  *self,
                                     GError            **error)
{
  if (!g_cancellable_is_cancelled (self->cancellable))
    return TRUE;

  g_set_error_literal (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_CANCELLED,
                       _("The export was cancelled; nothing was written."));
  return FALSE;
}

/* Helpers */

char *
reel_export_context_dup_record_timecode (ReelExportContext *self,
                                         gint64             frames)
{
  /* A position on the record clock: past 23:59:59 it goes round to 00:00:00. */
  return reel_timecode_format_full (reel_export_context_get_start_frame (self) + frames,
                                    self->rate,
                                    reel_export_context_get_timecode_flags (self)
                                    | REEL_TIMECODE_WRAP_DAY);
}

char *
reel_export_context_dup_clip_name (ReelExportContext    *self,
                                   const ReelExportShot *item)
{
  g_autofree char *project_name = NULL;

  if (reel_export_options_get_clip_naming (self->options) != REEL_EXPORT_CLIP_NAMING_KITSU)
    return g_strdup (item->code);

  /* Kitsu's default naming: ${project_name}_${sequence_name}-${shot_name}, where the names
   * are those of the production, its sequence and its shot as the CSV import created them. */
  project_name = reel_export_flatten_line (reel_project_get_title (self->project));

  return g_strdup_printf ("%s_%s-%s", project_name[0] != '\0' ? project_name : "Storyreel",
                          item->scene_code, item->shot_code);
}

void
reel_export_context_get_picture_size (ReelExportContext *self,
                                      int               *width,
                                      int               *height)
{
  double aspect = reel_project_get_aspect_ratio (self->project);

  /* 1920 on the long side, even numbers. */
  if (aspect >= 1.0)
    {
      *width = 1920;
      *height = MAX (2, (int) (1920.0 / aspect / 2.0 + 0.5) * 2);
    }
  else
    {
      *height = 1920;
      *width = MAX (2, (int) (1920.0 * aspect / 2.0 + 0.5) * 2);
    }
}

const char *
reel_export_vocab_label (ReelVocabulary  kind,
                         const char     *id,
                         gboolean        short_label)
{
  const ReelVocabEntry *entry = reel_camera_lookup (kind, id);

  if (entry == NULL)
    return id != NULL ? id : "";

  return short_label ? entry->short_label : entry->label;
}

char *
reel_export_format_lens (double lens_mm)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  /* One decimal at most: 35 → "35", 50.5 → "50.5". */
  g_ascii_formatd (buffer, sizeof buffer, "%.1f", lens_mm);
  if (g_str_has_suffix (buffer, ".0"))
    buffer[strlen (buffer) - 2] = '\0';

  return g_strdup_printf ("%s mm", buffer);
}

gboolean
reel_export_context_probe_plate (ReelExportContext    *self,
                                 const ReelExportShot *item,
                                 ReelMediaInfo        *info,
                                 GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (item->plate_file != NULL, FALSE);

  if (reel_media_probe_file (item->plate_file, info, self->cancellable, &local_error))
    return TRUE;

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return reel_export_context_check_cancelled (self, error);

  name = g_file_get_parse_name (item->plate_file);
  g_set_error (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_FOOTAGE,
               /* Translators: shot number, the footage's path, then why */
               _("The reference footage of shot %s, “%s”, cannot be used: %s. Relink the "
                 "footage or remove it from the shot, then export again."),
               reel_shot_get_number (item->shot), name, local_error->message);
  return FALSE;
}

/* Panels */

GFile *
reel_export_context_get_panels_folder (ReelExportContext *self)
{
  return self->panels_folder;
}

GFile *
reel_export_context_get_panel_file (ReelExportContext    *self,
                                    const ReelExportShot *shot)
{
  g_return_val_if_fail (self->panels_folder != NULL, NULL);

  return g_file_get_child (self->panels_folder, shot->panel_name);
}

char *
reel_export_context_dup_panel_uri (ReelExportContext    *self,
                                   const ReelExportShot *shot)
{
  g_autoptr(GFile) file = reel_export_context_get_panel_file (self, shot);

  return g_file_get_uri (file);
}

int
reel_export_context_get_panel_height (ReelExportContext *self,
                                      int                width)
{
  return reel_panel_height_for_width (reel_project_get_aspect_ratio (self->project), width);
}

/* Panels are rendered and PNG-encoded by a few threads at once: encoding dominates (about
 * 25 ms for a 960-pixel panel) and every panel is independent. */
typedef struct
{
  ReelExportContext *context;
  int width;
  int height;
  GMutex mutex;
  GCond cond;
  guint done;
  GError *error;
} PanelBatch;

static cairo_status_t
append_png_data (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* The panel as a PNG: grey, the background (a video by its first frame), the sketch.
 * @out_video_drawn says whether a video background's frame made it into the picture (a
 * video that does not decode leaves the panel grey). */
static GBytes *
render_panel_png (ReelAsset   *background,
                  ReelSketch  *sketch,
                  int          width,
                  int          height,
                  gboolean    *out_video_drawn,
                  GError     **error)
{
  g_autoptr(GByteArray) png = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  *out_video_drawn = FALSE;
  if (background == NULL || !reel_asset_is_video (background))
    return reel_panel_render_parts_png (background, sketch, width, height, error);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  reel_panel_render_parts (NULL, NULL, cr, width, height);
  *out_video_drawn = reel_export_draw_background (background, cr, width, height);
  if (sketch != NULL)
    reel_sketch_render (sketch, cr, width, height);
  status = cairo_status (cr);
  cairo_destroy (cr);

  png = g_byte_array_new ();
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png_stream (surface, append_png_data, png);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error_literal (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_RENDER,
                           cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

static gboolean
write_one_panel (ReelExportContext  *self,
                 ReelExportShot     *shot,
                 int                 width,
                 int                 height,
                 GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GFile) file = NULL;
  ReelAsset *background = shot->background;
  const char *source_type = reel_export_get_digital_source_type (shot);
  gboolean video_drawn;

  if (!reel_export_context_check_cancelled (self, error))
    return FALSE;

  png = render_panel_png (background, reel_shot_get_sketch (shot->shot), width, height,
                          &video_drawn, &local_error);
  if (png == NULL)
    {
      g_set_error (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_RENDER,
                   _("Could not draw the panel of shot %s: %s"),
                   reel_shot_get_number (shot->shot), local_error->message);
      return FALSE;
    }

  /* A panel with model-made pixels says so where image tools look; a generated clip's
   * pixels are there only when its frame could be drawn. */
  if (background != NULL && reel_asset_is_video (background) && !video_drawn)
    source_type = NULL;
  if (source_type != NULL)
    {
      g_autofree char *xmp = reel_export_make_xmp_packet (source_type, shot->generation);
      GBytes *tagged = reel_export_png_add_xmp (png, xmp);

      if (tagged != NULL)
        {
          g_bytes_unref (png);
          png = tagged;
        }
    }

  file = g_file_get_child (self->temp_panels_folder, shot->panel_name);
  if (!g_file_replace_contents (file, g_bytes_get_data (png, NULL), g_bytes_get_size (png),
                                NULL, FALSE, G_FILE_CREATE_NONE, NULL, self->cancellable,
                                &local_error))
    {
      g_autofree char *name = g_file_get_parse_name (self->panels_folder);

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return reel_export_context_check_cancelled (self, error);

      g_set_error (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_WRITE,
                   _("Could not write the panels into “%s”: %s. Check that you may write "
                     "there and that the disk has room."),
                   name, local_error->message);
      return FALSE;
    }

  return TRUE;
}

static void
panel_job (gpointer data,
           gpointer user_data)
{
  ReelExportShot *shot = data;
  PanelBatch *batch = user_data;
  g_autoptr(GError) error = NULL;
  gboolean failed;

  g_mutex_lock (&batch->mutex);
  failed = batch->error != NULL;
  g_mutex_unlock (&batch->mutex);

  /* After the first failure the remaining panels are skipped. */
  if (!failed)
    write_one_panel (batch->context, shot, batch->width, batch->height, &error);

  g_mutex_lock (&batch->mutex);
  if (error != NULL && batch->error == NULL)
    batch->error = g_steal_pointer (&error);
  batch->done++;
  g_cond_signal (&batch->cond);
  g_mutex_unlock (&batch->mutex);
}

gboolean
reel_export_context_write_panels (ReelExportContext  *self,
                                  double              progress_from,
                                  double              progress_to,
                                  GError            **error)
{
  PanelBatch batch = { 0 };
  GThreadPool *pool;
  guint n_shots = self->shots->len;
  guint reported = 0;

  g_return_val_if_fail (self->temp_panels_folder != NULL, FALSE);

  batch.context = self;
  batch.width = reel_export_options_get_panel_width (self->options);
  batch.height = reel_export_context_get_panel_height (self, batch.width);
  g_mutex_init (&batch.mutex);
  g_cond_init (&batch.cond);

  /* Known before any is written, so that a failure removes every one of them. */
  for (guint i = 0; i < n_shots; i++)
    {
      ReelExportShot *shot = g_ptr_array_index (self->shots, i);

      g_ptr_array_add (self->temp_panel_files,
                       g_file_get_child (self->temp_panels_folder, shot->panel_name));
    }

  pool = g_thread_pool_new (panel_job, &batch, CLAMP (g_get_num_processors (), 1, 8), FALSE,
                            NULL);
  for (guint i = 0; i < n_shots; i++)
    g_thread_pool_push (pool, g_ptr_array_index (self->shots, i), NULL);

  g_mutex_lock (&batch.mutex);
  while (batch.done < n_shots)
    {
      g_cond_wait (&batch.cond, &batch.mutex);
      if (batch.done != reported)
        {
          reported = batch.done;
          reel_export_context_progress (self, progress_from + (progress_to - progress_from)
                                              * reported / n_shots);
        }
    }
  g_mutex_unlock (&batch.mutex);

  g_thread_pool_free (pool, FALSE, TRUE);
  g_mutex_clear (&batch.mutex);
  g_cond_clear (&batch.cond);

  if (batch.error != NULL)
    {
      g_propagate_error (error, batch.error);
      return FALSE;
    }

  return TRUE;
}

/* Movie clips of the panels, one shot at a time through the animatic (its own stills,
 * without captions), on this worker thread. */

typedef struct
{
  ReelExportContext *context;
  double from;
  double to;
} ClipProgress;

static void
clip_progress_cb (double   fraction,
                  gpointer user_data)
{
  ClipProgress *progress = user_data;

  reel_export_context_progress (progress->context,
                                progress->from + (progress->to - progress->from) * fraction);
}

static gboolean
render_panel_clip (ReelExportContext  *self,
                   ReelExportShot     *item,
                   int                 long_side,
                   ClipProgress       *progress,
                   GError            **error)
{
  g_autoptr(ReelAnimatic) animatic = NULL;
  g_autoptr(GError) local_error = NULL;
  ReelShot *shot = item->shot;

  /* The context's project is its own copy, read by nothing else on this thread. */
  animatic = reel_animatic_new_for_shots (self->project, &shot, 1, self->project_file);
  reel_animatic_set_captions (animatic, FALSE);
  reel_animatic_set_size (animatic, long_side);

  if (reel_animatic_build (animatic, self->cancellable, &local_error)
      && reel_animatic_render (animatic, REEL_ANIMATIC_FORMAT_PRORES, item->clip_render_file,
                               clip_progress_cb, progress, self->cancellable, &local_error))
    return TRUE;

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return reel_export_context_check_cancelled (self, error);

  g_set_error (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_RENDER,
               _("Could not render the movie clip of shot %s: %s"),
               reel_shot_get_number (shot), local_error->message);
  return FALSE;
}

gboolean
reel_export_context_write_panel_clips (ReelExportContext  *self,
                                       double              progress_from,
                                       double              progress_to,
                                       GError            **error)
{
  int width = reel_export_options_get_panel_width (self->options);
  int height = reel_export_context_get_panel_height (self, width);
  guint n_clips = 0, done = 0;

  if (self->temp_media_folder == NULL)
    return TRUE;

  for (guint i = 0; i < self->shots->len; i++)
    if (((ReelExportShot *) g_ptr_array_index (self->shots, i))->clip_file != NULL)
      n_clips++;

  for (guint i = 0; i < self->shots->len; i++)
    {
      ReelExportShot *item = g_ptr_array_index (self->shots, i);
      ClipProgress progress = { self, 0, 0 };

      if (item->clip_file == NULL)
        continue;
      if (!reel_export_context_check_cancelled (self, error))
        return FALSE;

      progress.from = progress_from + (progress_to - progress_from) * done / n_clips;
      progress.to = progress_from + (progress_to - progress_from) * (done + 1) / n_clips;
      /* Known before it is written, so that a failure removes it. */
      g_ptr_array_add (self->temp_media_files, g_object_ref (item->clip_render_file));
      /* The panels' size: the clip is the panel, moving. */
      if (!render_panel_clip (self, item, MAX (width, height), &progress, error))
        return FALSE;
      done++;
    }

  return TRUE;
}

gboolean
reel_export_context_write_media (ReelExportContext  *self,
                                 double              progress_to,
                                 GError            **error)
{
  /* Encoding takes most of the time when there are clips. */
  double panels_to = self->temp_media_folder != NULL ? progress_to * 0.2 : progress_to;

  return reel_export_context_write_panels (self, 0.0, panels_to, error)
         && reel_export_context_write_panel_clips (self, panels_to, progress_to, error);
}

/* Working out the shots in scope (caller's thread, on the private copy) */

static char *
make_code (const char *prefix,
           const char *number,
           guint       position)
{
  g_autofree char *fallback = g_strdup_printf ("%u", position + 1);
  g_autofree char *id = reel_export_make_identifier (number, 0, TRUE, fallback);

  return g_strconcat (prefix, id, NULL);
}

static void
add_shot (ReelExportContext *self,
          ReelScene         *scene,
          guint              scene_position,
          ReelShot          *shot,
          guint              shot_position)
{
  ReelExportShot *item = g_new0 (ReelExportShot, 1);
  const char *hash = reel_shot_get_background (shot);
  ReelPlate *plate = reel_shot_get_plate (shot);

  item->shot = g_object_ref (shot);
  item->scene = g_object_ref (scene);
  item->index = self->shots->len;
  item->scene_position = scene_position;
  item->shot_position = shot_position;
  item->start = self->duration;
  item->duration = MAX (reel_shot_get_duration (shot), 0);
  item->scene_code = make_code ("SC", reel_scene_get_number (scene), scene_position);
  item->shot_code = make_code ("SH", reel_shot_get_number (shot), shot_position);
  item->code = g_strdup_printf ("%s_%s", item->scene_code, item->shot_code);
  item->panel_name = g_strdup_printf ("%04u_%s.png", item->index + 1, item->code);

  if (hash != NULL)
    {
      ReelAsset *asset = reel_project_lookup_asset (self->project, hash);

      if (asset != NULL)
        {
          item->background = g_object_ref (asset);
          if (reel_asset_get_generation (asset) != NULL)
            item->generation = reel_generation_record_ref (reel_asset_get_generation (asset));
        }
    }

  if (plate != NULL && reel_plate_get_path (plate)[0] != '\0')
    item->plate_file = reel_plate_resolve (plate, self->project_file);

  self->duration += item->duration;
  g_ptr_array_add (self->shots, item);
}

static gboolean
collect_shots (ReelExportContext  *self,
               GError            **error)
{
  ReelExportScope scope = reel_export_options_get_scope (self->options);
  g_autoptr(GHashTable) selected = NULL;

  if (scope == REEL_EXPORT_SCOPE_SCENE)
    {
      ReelScene *wanted = reel_export_options_get_scene (self->options);

      if (wanted != NULL)
        self->scene = reel_project_find_scene (self->project, reel_scene_get_id (wanted), NULL);
      if (self->scene == NULL)
        {
          g_set_error_literal (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_NOT_FOUND,
                               _("The scene to export is not in the project. Choose another "
                                 "scene or export the whole project."));
          return FALSE;
        }
      g_object_ref (self->scene);
    }
  else if (scope == REEL_EXPORT_SCOPE_SHOTS)
    {
      GPtrArray *shots = reel_export_options_get_shots (self->options);

      selected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < shots->len; i++)
        g_hash_table_add (selected, g_strdup (reel_shot_get_id (g_ptr_array_index (shots, i))));
    }

  for (guint s = 0; s < reel_project_get_n_scenes (self->project); s++)
    {
      ReelScene *scene = reel_project_get_scene (self->project, s);

      if (self->scene != NULL && scene != self->scene)
        continue;

      for (guint i = 0; i < reel_scene_get_n_shots (scene); i++)
        {
          ReelShot *shot = reel_scene_get_shot (scene, i);

          if (selected != NULL && !g_hash_table_contains (selected, reel_shot_get_id (shot)))
            continue;

          add_shot (self, scene, s, shot, i);
        }
    }

  if (self->shots->len == 0)
    {
      g_set_error_literal (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_EMPTY,
                           scope == REEL_EXPORT_SCOPE_SHOTS
                           ? _("None of the selected shots are in the project. Select the "
                               "shots to export and try again.")
                           : _("There are no shots to export. Add shots to the storyboard "
                               "first."));
      return FALSE;
    }

  return TRUE;
}

/* Temporary files, and putting them in place */

static GFile *
make_temp_sibling (GFile       *target,
                   const char  *suffix,
                   gboolean     folder,
                   GFileOutputStream **out_stream,
                   GCancellable *cancellable,
                   GError     **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (target);
  g_autofree char *basename = g_file_get_basename (target);

  /* A hidden name beside the target, so the final rename stays on one file system. */
  for (guint attempt = 0; ; attempt++)
    {
      g_autofree char *name = g_strdup_printf (".%s%s.%08x.part", basename, suffix,
                                               g_random_int ());
      g_autoptr(GFile) file = g_file_get_child (parent, name);
      g_autoptr(GError) local_error = NULL;
      gboolean ok;

      if (folder)
        ok = g_file_make_directory (file, cancellable, &local_error);
      else
        {
          *out_stream = g_file_create (file, G_FILE_CREATE_NONE, cancellable, &local_error);
          ok = *out_stream != NULL;
        }

      if (ok)
        return g_steal_pointer (&file);

      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS) || attempt > 16)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
}

static gboolean
prepare_outputs (ReelExportContext  *self,
                 GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  GFileOutputStream *stream = NULL;

  if (self->format->output == REEL_EXPORT_OUTPUT_FILE)
    {
      self->temp_output = make_temp_sibling (self->output, "", FALSE, &stream, self->cancellable,
                                             &local_error);
      if (self->temp_output == NULL)
        goto failed;
      self->stream = G_OUTPUT_STREAM (stream);
    }

  if (self->format->output == REEL_EXPORT_OUTPUT_FOLDER)
    self->panels_folder = g_object_ref (self->output);
  else if (self->format->writes_panels)
    {
      g_autoptr(GFile) parent = g_file_get_parent (self->output);
      g_autofree char *basename = g_file_get_basename (self->output);
      char *dot = strrchr (basename, '.');
      g_autofree char *folder_name = NULL;

      if (dot != NULL && dot != basename)
        *dot = '\0';
      folder_name = g_strconcat (basename, "_panels", NULL);
      self->panels_folder = g_file_get_child (parent, folder_name);
    }

  if (self->panels_folder != NULL)
    {
      self->temp_panels_folder = make_temp_sibling (self->panels_folder, "", TRUE, NULL,
                                                    self->cancellable, &local_error);
      if (self->temp_panels_folder == NULL)
        goto failed;
    }

  /* Movie clips of the panels go to NAME_media/ beside the file, named as the panels. */
  if (self->format->output == REEL_EXPORT_OUTPUT_FILE
      && (self->format->options & REEL_EXPORT_USES_PANEL_CLIPS)
      && reel_export_options_get_panel_clips (self->options))
    {
      g_autoptr(GFile) parent = g_file_get_parent (self->output);
      g_autofree char *basename = g_file_get_basename (self->output);
      char *dot = strrchr (basename, '.');
      g_autofree char *folder_name = NULL;

      if (dot != NULL && dot != basename)
        *dot = '\0';
      folder_name = g_strconcat (basename, "_media", NULL);
      self->media_folder = g_file_get_child (parent, folder_name);
      self->temp_media_folder = make_temp_sibling (self->media_folder, "", TRUE, NULL,
                                                   self->cancellable, &local_error);
      if (self->temp_media_folder == NULL)
        goto failed;

      g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          NULL);
      gboolean kitsu = reel_export_options_get_clip_naming (self->options)
                       == REEL_EXPORT_CLIP_NAMING_KITSU;

      for (guint i = 0; i < self->shots->len; i++)
        {
          ReelExportShot *item = g_ptr_array_index (self->shots, i);
          /* Named as the timeline names the clip (Resolve finds a clip of an EDL by its file
           * name, Kitsu by the name less its extension), else as the panel. */
          g_autofree char *stem = kitsu ? reel_export_context_dup_clip_name (self, item)
                                        : g_strndup (item->panel_name,
                                                     strlen (item->panel_name) - 4);
          /* ProRes in QuickTime: DaVinci Resolve's free edition on Linux reads no H.264. */
          const char *extension = reel_animatic_format_get_extension (REEL_ANIMATIC_FORMAT_PRORES);
          g_autofree char *name = NULL;

          /* Footage is already a movie; a shot of no frames is on no timeline. */
          if (item->plate_file != NULL || item->duration == 0)
            continue;

          /* A file name: no folder separators; two shots never share a file. */
          g_strdelimit (stem, "/\\", '-');
          name = g_strconcat (stem, ".", extension, NULL);
          for (guint n = 2; g_hash_table_contains (used, name); n++)
            {
              g_free (name);
              name = g_strdup_printf ("%s_%u.%s", stem, n, extension);
            }
          g_hash_table_add (used, g_strdup (name));
          item->clip_file = g_file_get_child (self->media_folder, name);
          item->clip_render_file = g_file_get_child (self->temp_media_folder, name);
        }
    }

  return TRUE;

failed:
  propagate_io_error (self, local_error, error);
  return FALSE;
}

/* A temporary folder is ours alone: empty it (panels or clips, and whatever a cancelled
 * write left), then remove it. */
static void
remove_temp_folder (GFile *folder)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  if (folder == NULL)
    return;

  children = g_file_enumerate_children (folder, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autoptr(GFile) child = g_file_get_child (folder, g_file_info_get_name (info));

      g_file_delete (child, NULL, NULL);
      g_object_unref (info);
    }
  g_file_delete (folder, NULL, NULL);
}

static void
remove_temporaries (ReelExportContext *self)
{
  if (self->stream != NULL)
    g_output_stream_close (self->stream, NULL, NULL);
  if (self->temp_output != NULL)
    g_file_delete (self->temp_output, NULL, NULL);

  remove_temp_folder (self->temp_panels_folder);
  remove_temp_folder (self->temp_media_folder);
}

/* Moves @files from *@temp_folder into @folder, file by file so that other files in the
 * folder are kept, then removes the temporary folder. */
static gboolean
commit_folder (GFile      *folder,
               GFile     **temp_folder,
               GPtrArray  *files,
               GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  if (*temp_folder == NULL)
    return TRUE;

  /* Nothing to put there (every shot has footage): no empty folder beside the file. */
  if (files->len == 0)
    {
      g_file_delete (*temp_folder, NULL, NULL);
      g_clear_object (temp_folder);
      return TRUE;
    }

  if (!g_file_make_directory_with_parents (folder, NULL, &local_error))
    {
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_clear_error (&local_error);
    }

  for (guint i = 0; i < files->len; i++)
    {
      GFile *temp = g_ptr_array_index (files, i);
      g_autofree char *name = g_file_get_basename (temp);
      g_autoptr(GFile) final = g_file_get_child (folder, name);

      if (!g_file_move (temp, final, G_FILE_COPY_OVERWRITE | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                        NULL, NULL, NULL, error))
        return FALSE;
    }
  g_ptr_array_set_size (files, 0);
  g_file_delete (*temp_folder, NULL, NULL);
  g_clear_object (temp_folder);

  return TRUE;
}

static gboolean
commit_outputs (ReelExportContext  *self,
                GError            **error)
{
  g_autoptr(GError) local_error = NULL;

  if (self->stream != NULL && !g_output_stream_close (self->stream, NULL, &local_error))
    goto failed;

  if (!commit_folder (self->panels_folder, &self->temp_panels_folder, self->temp_panel_files,
                      &local_error)
      || !commit_folder (self->media_folder, &self->temp_media_folder, self->temp_media_files,
                         &local_error))
    goto failed;

  /* Last, so that the file never refers to panels that are not there yet. */
  if (self->temp_output != NULL)
    {
      if (!g_file_move (self->temp_output, self->output,
                        G_FILE_COPY_OVERWRITE | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                        NULL, NULL, NULL, &local_error))
        goto failed;
      g_clear_object (&self->temp_output);
    }

  return TRUE;

failed:
  reel_export_context_set_write_error (self, local_error->message, error);
  return FALSE;
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ReelExportContext *self = task_data;
  GError *error = NULL;
  gboolean ok;

  ok = prepare_outputs (self, &error)
       && self->format->write (self, &error)
       && reel_export_context_check_cancelled (self, &error)
       && commit_outputs (self, &error);

  if (!ok)
    remove_temporaries (self);

  g_mutex_lock (&self->progress_mutex);
  self->finished = TRUE;
  g_mutex_unlock (&self->progress_mutex);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
reel_export_async (const ReelExportFormat *format,
                   ReelProject            *project,
                   GFile                  *project_file,
                   ReelExportOptions      *options,
                   GFile                  *output,
                   GCancellable           *cancellable,
                   ReelExportProgressFunc  progress,
                   gpointer                progress_data,
                   GDestroyNotify          progress_destroy,
                   GAsyncReadyCallback     callback,
                   gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(ReelExportContext) self = NULL;
  GDateTime *date;
  GError *error = NULL;

  g_return_if_fail (format != NULL && format->write != NULL);
  g_return_if_fail (REEL_IS_PROJECT (project));
  g_return_if_fail (project_file == NULL || G_IS_FILE (project_file));
  g_return_if_fail (REEL_IS_EXPORT_OPTIONS (options));
  g_return_if_fail (G_IS_FILE (output));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  self = g_atomic_rc_box_new0 (ReelExportContext);
  g_mutex_init (&self->progress_mutex);
  self->format = format;
  self->project = reel_project_copy (project);
  self->project_file = project_file != NULL ? g_object_ref (project_file) : NULL;
  self->options = reel_export_options_copy (options);
  self->rate = reel_project_get_frame_rate (self->project);
  date = reel_export_options_get_date (options);
  self->date = date != NULL ? g_date_time_ref (date) : g_date_time_new_now_local ();
  self->shots = g_ptr_array_new_with_free_func ((GDestroyNotify) reel_export_shot_free);
  self->output = g_object_ref (output);
  self->temp_panel_files = g_ptr_array_new_with_free_func (g_object_unref);
  self->temp_media_files = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  self->main_context = g_main_context_ref_thread_default ();
  self->progress_func = progress;
  self->progress_data = progress_data;
  self->progress_destroy = progress_destroy;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_export_async);
  g_task_set_name (task, "[storyreel] export");
  /* Our own cancellation error is translated and says nothing was written. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, reel_export_context_ref (self),
                        (GDestroyNotify) reel_export_context_unref);

  if (!collect_shots (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_run_in_thread (task, export_thread);
}

gboolean
reel_export_finish (GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == reel_export_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
reel_export_draw_background (ReelAsset *background,
                             cairo_t   *cr,
                             double     width,
                             double     height)
{
  g_autoptr(GError) error = NULL;
  cairo_surface_t *frame;
  gboolean drawn;

  g_return_val_if_fail (REEL_IS_ASSET (background), FALSE);
  g_return_val_if_fail (cr != NULL, FALSE);

  if (!reel_asset_is_video (background))
    return reel_panel_draw_asset_cover (background, cr, width, height);
  if (width <= 0 || height <= 0)
    return FALSE;

  frame = reel_clip_frames_extract_surface (background, 0, &error);
  if (frame == NULL)
    {
      /* The panel stays grey under its sketch, as for an image that does not decode. */
      g_debug ("No first frame for the video background %s: %s",
               reel_asset_get_hash (background), error->message);
      return FALSE;
    }

  drawn = reel_panel_draw_surface_cover (frame, cr, width, height);
  cairo_surface_destroy (frame);
  return drawn;
}
