/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define REEL_TYPE_JOBS (reel_jobs_get_type ())

G_DECLARE_FINAL_TYPE (ReelJobs, reel_jobs, REEL, JOBS, GObject)

/*
 * ReelJobs: the long work a window has under way for its project (generations: paid
 * requests), each known by its GCancellable. The window asks before closing while any
 * runs, cancels them all when it closes or the application quits, and a job that finds
 * its cancellable cancelled (or its owner closed) drops its result instead of adding it
 * to a project no window shows.
 *
 * Properties (read-only): "n-running" (uint: jobs added and not yet removed, and not
 * cancelled), "closed" (boolean: reel_jobs_close() was called; no job is accepted).
 */

ReelJobs *reel_jobs_new            (void);

/* Tracks @cancellable until reel_jobs_remove(). On a closed ReelJobs, cancels it at once
 * (the work then ends as cancelled). */
void      reel_jobs_add            (ReelJobs     *self,
                                    GCancellable *cancellable);
/* The job ended (successfully or not). */
void      reel_jobs_remove         (ReelJobs     *self,
                                    GCancellable *cancellable);
guint     reel_jobs_get_n_running  (ReelJobs     *self);
/* Added and not yet removed, cancelled or not. */
guint     reel_jobs_get_n_unfinished (ReelJobs   *self);
/* Cancels every job under way. They stay tracked until each one ends. */
void      reel_jobs_cancel_all     (ReelJobs     *self);
/* The owner goes: cancels everything, and every later add. */
void      reel_jobs_close          (ReelJobs     *self);
gboolean  reel_jobs_is_closed      (ReelJobs     *self);
/* Whether the result of the job of @cancellable may still land in the project: neither
 * the job was cancelled nor its owner closed (@self NULL: the job has no owner). */
gboolean  reel_jobs_accepts_result (ReelJobs     *self,
                                    GCancellable *cancellable);

G_END_DECLS
