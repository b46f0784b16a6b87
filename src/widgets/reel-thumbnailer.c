/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-thumbnailer"

#include "config.h"

#include "core/reel-memory.h"
#include "core/reel-panel.h"
#include "media/reel-clip-frames.h"

#include "reel-thumbnailer.h"

/* Two renders at a time: enough to keep up with scrolling, and the other core
 * stays free for the main thread. */
#define MAX_RUNNING_JOBS 2

typedef struct
{
  char       *shot_id;
  guint64     revision;
  int         width;
  int         height;
  GdkTexture *texture;
  GList       link;
} CacheEntry;

typedef struct
{
  char       *key;
  char       *shot_id;
  guint64     revision;
  int         width;
  int         height;
  ReelAsset  *background;
  ReelSketch *sketch;
  GPtrArray  *waiters;
  GList       link;
  gboolean    queued;
} RenderJob;

struct _ReelThumbnailer
{
  GObject     parent_instance;

  guint       capacity;
  GHashTable *entries;      /* shot id → CacheEntry */
  GQueue      lru;          /* of CacheEntry, most recently used first */

  GHashTable *jobs;         /* key → RenderJob, queued or running */
  GQueue      queue;        /* of RenderJob not started yet, newest first */
  guint       n_running;
  guint       n_rendered;
};

G_DEFINE_FINAL_TYPE (ReelThumbnailer, reel_thumbnailer, G_TYPE_OBJECT)

static void reel_thumbnailer_pump (ReelThumbnailer *self);

/* Windows still to paint their first frame, and every thumbnailer (main thread only). */
static guint n_holds;
static GList *thumbnailers;

static void
cache_entry_free (gpointer data)
{
  CacheEntry *entry = data;

  g_clear_object (&entry->texture);
  g_free (entry->shot_id);
  g_free (entry);
}

static void
render_job_free (RenderJob *job)
{
  g_clear_object (&job->background);
  g_clear_object (&job->sketch);
  g_clear_pointer (&job->waiters, g_ptr_array_unref);
  g_free (job->shot_id);
  g_free (job->key);
  g_free (job);
}

static char *
render_job_key (const char *shot_id,
                guint64     revision,
                int         width,
                int         height)
{
  return g_strdup_printf ("%s:%" G_GUINT64_FORMAT ":%dx%d", shot_id, revision, width, height);
}

static void
reel_thumbnailer_dispose (GObject *object)
{
  ReelThumbnailer *self = REEL_THUMBNAILER (object);

  reel_thumbnailer_clear (self);

  G_OBJECT_CLASS (reel_thumbnailer_parent_class)->dispose (object);
}

static void
reel_thumbnailer_finalize (GObject *object)
{
  ReelThumbnailer *self = REEL_THUMBNAILER (object);

  /* Every job keeps the thumbnailer alive through its tasks, so none is left. */
  g_assert (g_queue_is_empty (&self->queue));
  thumbnailers = g_list_remove (thumbnailers, self);
  g_clear_pointer (&self->jobs, g_hash_table_unref);
  g_clear_pointer (&self->entries, g_hash_table_unref);

  G_OBJECT_CLASS (reel_thumbnailer_parent_class)->finalize (object);
}

static void
reel_thumbnailer_class_init (ReelThumbnailerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  /* A clip background shows by its first frame, not grey. */
  reel_clip_frames_draw_in_panels ();

  object_class->dispose = reel_thumbnailer_dispose;
  object_class->finalize = reel_thumbnailer_finalize;
}

static void
reel_thumbnailer_init (ReelThumbnailer *self)
{
  self->capacity = REEL_THUMBNAILER_DEFAULT_CAPACITY;
  self->entries = g_hash_table_new (g_str_hash, g_str_equal);
  self->jobs = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&self->lru);
  g_queue_init (&self->queue);
  thumbnailers = g_list_prepend (thumbnailers, self);
}

/**
 * reel_thumbnailer_new:
 * @capacity: how many thumbnails to keep (0 for the default)
 *
 * Returns: (transfer full): a new thumbnailer
 */
ReelThumbnailer *
reel_thumbnailer_new (guint capacity)
{
  ReelThumbnailer *self = g_object_new (REEL_TYPE_THUMBNAILER, NULL);

  if (capacity > 0)
    self->capacity = capacity;

  return self;
}

static void
texture_bytes_free (gpointer data)
{
  cairo_surface_destroy (data);
}

static void
release_hold (void)
{
  if (--n_holds > 0)
    return;

  for (GList *l = thumbnailers; l != NULL; l = l->next)
    reel_thumbnailer_pump (l->data);
}

static void held_widget_unmapped_cb (GtkWidget *widget,
                                     gpointer   user_data);

/* A widget with a "busy" property (a window still reading its project) that says it is
 * busy has not yet painted what the user waits for. */
static gboolean
widget_is_busy (GtkWidget *widget)
{
  gboolean busy = FALSE;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "busy") != NULL)
    g_object_get (widget, "busy", &busy, NULL);

  return busy;
}

/* No longer busy: make sure a frame comes, which releases the hold. */
static void
held_widget_busy_cb (GtkWidget  *widget,
                     GParamSpec *pspec,
                     gpointer    user_data)
{
  if (!widget_is_busy (widget))
    gtk_widget_queue_draw (widget);
}

static void
first_frame_painted_cb (GdkFrameClock *clock,
                        gpointer       user_data)
{
  GtkWidget *widget = user_data;

  if (widget_is_busy (widget))
    return;

  g_signal_handlers_disconnect_by_func (clock, first_frame_painted_cb, widget);
  g_signal_handlers_disconnect_by_func (widget, held_widget_unmapped_cb, clock);
  g_signal_handlers_disconnect_by_func (widget, held_widget_busy_cb, NULL);
  release_hold ();
}

/* Hidden before it painted: let the renders go all the same. */
static void
held_widget_unmapped_cb (GtkWidget *widget,
                         gpointer   user_data)
{
  GdkFrameClock *clock = user_data;

  g_signal_handlers_disconnect_by_func (clock, first_frame_painted_cb, widget);
  g_signal_handlers_disconnect_by_func (widget, held_widget_unmapped_cb, clock);
  g_signal_handlers_disconnect_by_func (widget, held_widget_busy_cb, NULL);
  release_hold ();
}

static void
held_widget_mapped_cb (GtkWidget *widget,
                       gpointer   user_data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_signal_handlers_disconnect_by_func (widget, held_widget_mapped_cb, user_data);
  if (clock == NULL)
    return;

  n_holds++;
  g_signal_connect (clock, "after-paint", G_CALLBACK (first_frame_painted_cb), widget);
  g_signal_connect (widget, "unmap", G_CALLBACK (held_widget_unmapped_cb), clock);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "busy") != NULL)
    g_signal_connect (widget, "notify::busy", G_CALLBACK (held_widget_busy_cb), NULL);
}

void
reel_thumbnailer_hold_until_painted (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  /* From the map on: a window that is never shown holds nothing back. */
  g_signal_connect (widget, "map", G_CALLBACK (held_widget_mapped_cb), NULL);
}

GdkTexture *
reel_texture_new_for_surface (cairo_surface_t *surface)
{
  g_autoptr(GBytes) bytes = NULL;
  int width, height, stride;

  g_return_val_if_fail (surface != NULL, NULL);
  g_return_val_if_fail (cairo_image_surface_get_format (surface) == CAIRO_FORMAT_ARGB32, NULL);

  cairo_surface_flush (surface);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  stride = cairo_image_surface_get_stride (surface);

  /* The texture shares the pixels: the surface must not be drawn on afterwards. */
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) stride * height,
                                      texture_bytes_free,
                                      cairo_surface_reference (surface));

  /* GDK_MEMORY_DEFAULT is cairo's ARGB32 in native byte order. */
  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, stride);
}

static void
cache_store (ReelThumbnailer *self,
             const char      *shot_id,
             guint64          revision,
             int              width,
             int              height,
             GdkTexture      *texture)
{
  CacheEntry *entry = g_hash_table_lookup (self->entries, shot_id);

  if (entry != NULL)
    {
      /* A render that finished late must not replace a newer one. */
      if (entry->revision > revision)
        return;

      g_queue_unlink (&self->lru, &entry->link);
    }
  else
    {
      entry = g_new0 (CacheEntry, 1);
      entry->shot_id = g_strdup (shot_id);
      entry->link.data = entry;
      g_hash_table_insert (self->entries, entry->shot_id, entry);
    }

  entry->revision = revision;
  entry->width = width;
  entry->height = height;
  g_set_object (&entry->texture, texture);
  g_queue_push_head_link (&self->lru, &entry->link);

  while (self->lru.length > self->capacity)
    {
      GList *oldest = g_queue_pop_tail_link (&self->lru);
      CacheEntry *victim = oldest->data;

      g_hash_table_remove (self->entries, victim->shot_id);
      cache_entry_free (victim);
      /* Scrolling a long strip evicts one after another. */
      reel_memory_trim_soon ();
    }
}

GdkTexture *
reel_thumbnailer_lookup (ReelThumbnailer *self,
                         ReelShot        *shot,
                         int              width,
                         int              height,
                         gboolean        *out_current)
{
  CacheEntry *entry;

  g_return_val_if_fail (REEL_IS_THUMBNAILER (self), NULL);
  g_return_val_if_fail (REEL_IS_SHOT (shot), NULL);

  if (out_current != NULL)
    *out_current = FALSE;

  entry = g_hash_table_lookup (self->entries, reel_shot_get_id (shot));
  if (entry == NULL)
    return NULL;

  g_queue_unlink (&self->lru, &entry->link);
  g_queue_push_head_link (&self->lru, &entry->link);

  if (out_current != NULL)
    *out_current = entry->revision == reel_shot_get_revision (shot) &&
                   entry->width == width && entry->height == height;

  return entry->texture;
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenderJob *job = task_data;
  cairo_surface_t *surface;
  cairo_t *cr;
  GdkTexture *texture;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, job->width, job->height);
  cr = cairo_create (surface);
  reel_panel_render_parts (job->background, job->sketch, cr, job->width, job->height);
  cairo_destroy (cr);

  texture = reel_texture_new_for_surface (surface);
  cairo_surface_destroy (surface);

  g_task_return_pointer (task, texture, g_object_unref);
}

static void
render_job_complete (ReelThumbnailer *self,
                     RenderJob       *job,
                     GdkTexture      *texture)
{
  g_hash_table_remove (self->jobs, job->key);

  for (guint i = 0; i < job->waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (job->waiters, i);

      if (g_task_return_error_if_cancelled (waiter))
        continue;

      if (texture != NULL)
        g_task_return_pointer (waiter, g_object_ref (texture), g_object_unref);
      else
        g_task_return_new_error (waiter, G_IO_ERROR, G_IO_ERROR_FAILED,
                                 "The thumbnail could not be rendered");
    }

  render_job_free (job);
}

static void
render_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ReelThumbnailer *self = REEL_THUMBNAILER (object);
  RenderJob *job = user_data;
  g_autoptr(GdkTexture) texture = NULL;

  texture = g_task_propagate_pointer (G_TASK (result), NULL);

  self->n_running--;
  self->n_rendered++;

  if (texture != NULL)
    cache_store (self, job->shot_id, job->revision, job->width, job->height, texture);

  render_job_complete (self, job, texture);
  reel_thumbnailer_pump (self);
}

static gboolean
render_job_is_wanted (RenderJob *job)
{
  for (guint i = 0; i < job->waiters->len; i++)
    {
      GCancellable *cancellable = g_task_get_cancellable (g_ptr_array_index (job->waiters, i));

      if (!g_cancellable_is_cancelled (cancellable))
        return TRUE;
    }

  return FALSE;
}

static void
reel_thumbnailer_pump (ReelThumbnailer *self)
{
  if (n_holds > 0)
    return;

  g_object_ref (self);

  while (self->n_running < MAX_RUNNING_JOBS && !g_queue_is_empty (&self->queue))
    {
      GList *link = g_queue_pop_head_link (&self->queue);
      RenderJob *job = link->data;
      g_autoptr(GTask) task = NULL;

      job->queued = FALSE;

      /* A card scrolled out of view before its turn came: skip the work. */
      if (!render_job_is_wanted (job))
        {
          render_job_complete (self, job, NULL);
          continue;
        }

      task = g_task_new (self, NULL, render_done_cb, job);
      g_task_set_source_tag (task, reel_thumbnailer_pump);
      g_task_set_name (task, "[storyreel] render thumbnail");
      g_task_set_task_data (task, job, NULL);
      self->n_running++;
      g_task_run_in_thread (task, render_thread);
    }

  g_object_unref (self);
}

void
reel_thumbnailer_render_async (ReelThumbnailer     *self,
                               ReelProject         *project,
                               ReelShot            *shot,
                               int                  width,
                               int                  height,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;
  const char *background;
  guint64 revision;
  GdkTexture *cached;
  gboolean current;
  RenderJob *job;

  g_return_if_fail (REEL_IS_THUMBNAILER (self));
  g_return_if_fail (REEL_IS_PROJECT (project));
  g_return_if_fail (REEL_IS_SHOT (shot));
  g_return_if_fail (width > 0 && height > 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_thumbnailer_render_async);

  cached = reel_thumbnailer_lookup (self, shot, width, height, &current);
  if (cached != NULL && current)
    {
      g_task_return_pointer (task, g_object_ref (cached), g_object_unref);
      return;
    }

  revision = reel_shot_get_revision (shot);
  key = render_job_key (reel_shot_get_id (shot), revision, width, height);
  job = g_hash_table_lookup (self->jobs, key);

  if (job == NULL)
    {
      job = g_new0 (RenderJob, 1);
      job->key = g_steal_pointer (&key);
      job->shot_id = g_strdup (reel_shot_get_id (shot));
      job->revision = revision;
      job->width = width;
      job->height = height;
      job->waiters = g_ptr_array_new_with_free_func (g_object_unref);
      job->link.data = job;

      /* Copy what the worker reads now, on the main thread: the model is not
       * thread-safe, assets and strokes are immutable. */
      background = reel_shot_get_background (shot);
      if (background != NULL)
        {
          ReelAsset *asset = reel_project_lookup_asset (project, background);

          if (asset != NULL)
            job->background = g_object_ref (asset);
        }
      job->sketch = reel_sketch_copy (reel_shot_get_sketch (shot));

      g_hash_table_insert (self->jobs, job->key, job);
      job->queued = TRUE;
      g_queue_push_head_link (&self->queue, &job->link);
    }
  else if (job->queued)
    {
      /* Asked again: it is on screen now, so it goes first. */
      g_queue_unlink (&self->queue, &job->link);
      g_queue_push_head_link (&self->queue, &job->link);
    }

  g_ptr_array_add (job->waiters, g_steal_pointer (&task));
  reel_thumbnailer_pump (self);
}

GdkTexture *
reel_thumbnailer_render_finish (ReelThumbnailer  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (REEL_IS_THUMBNAILER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == reel_thumbnailer_render_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

guint
reel_thumbnailer_get_n_cached (ReelThumbnailer *self)
{
  g_return_val_if_fail (REEL_IS_THUMBNAILER (self), 0);

  return self->lru.length;
}

guint
reel_thumbnailer_get_capacity (ReelThumbnailer *self)
{
  g_return_val_if_fail (REEL_IS_THUMBNAILER (self), 0);

  return self->capacity;
}

guint
reel_thumbnailer_get_n_rendered (ReelThumbnailer *self)
{
  g_return_val_if_fail (REEL_IS_THUMBNAILER (self), 0);

  return self->n_rendered;
}

/**
 * reel_thumbnailer_clear:
 * @self: a #ReelThumbnailer
 *
 * Forgets every cached thumbnail. Requests already made still complete.
 */
void
reel_thumbnailer_clear (ReelThumbnailer *self)
{
  g_return_if_fail (REEL_IS_THUMBNAILER (self));

  while (!g_queue_is_empty (&self->lru))
    {
      CacheEntry *entry = g_queue_pop_head_link (&self->lru)->data;

      g_hash_table_remove (self->entries, entry->shot_id);
      cache_entry_free (entry);
    }
}
