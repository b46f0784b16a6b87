/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-memory"

#include "config.h"

#include <gio/gio.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "reel-memory.h"

/* Freed memory back to the system. Going through shots frees thousands of small blocks
 * (thumbnails, textures, the drawing of the last shot) among blocks that stay, and glibc
 * gives back only the free end of its heaps: what is freed in the middle stays resident,
 * 40 MB after a hundred shots in the gallery (tests/widgets/bench-media-window).
 * malloc_trim() returns the free pages of every heap; it walks them, so it runs on a worker
 * thread, at most once a TRIM_DELAY_MS however many frees ask for it. */
#define TRIM_DELAY_MS 500

static GMutex trim_lock;
static gboolean trim_scheduled;
static guint n_trims;

static void
trim_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  g_mutex_lock (&trim_lock);
  n_trims++;
  g_mutex_unlock (&trim_lock);
  g_task_return_boolean (task, TRUE);
}

static gboolean
trim_timeout_cb (gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_mutex_lock (&trim_lock);
  trim_scheduled = FALSE;
  g_mutex_unlock (&trim_lock);

  g_task_set_source_tag (task, trim_timeout_cb);
  g_task_run_in_thread (task, trim_thread);
  return G_SOURCE_REMOVE;
}

/**
 * reel_memory_trim_soon:
 *
 * Asks for the memory freed by the caller (many blocks at once: a shot's thumbnails, a
 * drawing) to be given back to the system in a moment, off the calling thread. Calls in
 * between are merged. Any thread; the trim is scheduled on the default main context.
 */
void
reel_memory_trim_soon (void)
{
  g_autoptr(GSource) source = NULL;

  g_mutex_lock (&trim_lock);
  if (trim_scheduled)
    {
      g_mutex_unlock (&trim_lock);
      return;
    }
  trim_scheduled = TRUE;
  g_mutex_unlock (&trim_lock);

  source = g_timeout_source_new (TRIM_DELAY_MS);
  g_source_set_callback (source, trim_timeout_cb, NULL, NULL);
  g_source_set_static_name (source, "[storyreel] trim memory");
  g_source_attach (source, g_main_context_default ());
}

/* How many trims have run, for the tests. */
guint
reel_memory_get_n_trims (void)
{
  guint n;

  g_mutex_lock (&trim_lock);
  n = n_trims;
  g_mutex_unlock (&trim_lock);
  return n;
}
