/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-jobs"

#include "config.h"

#include "reel-jobs.h"

struct _ReelJobs
{
  GObject parent_instance;

  GPtrArray *jobs;   /* GCancellable, one per job under way */
  guint n_running;   /* of them, not cancelled */
  gboolean closed;
};

G_DEFINE_FINAL_TYPE (ReelJobs, reel_jobs, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_RUNNING,
  PROP_CLOSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
reel_jobs_recount (ReelJobs *self)
{
  guint n_running = 0;

  for (guint i = 0; i < self->jobs->len; i++)
    if (!g_cancellable_is_cancelled (g_ptr_array_index (self->jobs, i)))
      n_running++;

  if (n_running == self->n_running)
    return;

  self->n_running = n_running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNNING]);
}

static void
reel_jobs_finalize (GObject *object)
{
  ReelJobs *self = REEL_JOBS (object);

  g_clear_pointer (&self->jobs, g_ptr_array_unref);

  G_OBJECT_CLASS (reel_jobs_parent_class)->finalize (object);
}

static void
reel_jobs_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  ReelJobs *self = REEL_JOBS (object);

  switch (prop_id)
    {
    case PROP_N_RUNNING:
      g_value_set_uint (value, self->n_running);
      break;
    case PROP_CLOSED:
      g_value_set_boolean (value, self->closed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_jobs_class_init (ReelJobsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = reel_jobs_finalize;
  object_class->get_property = reel_jobs_get_property;

  properties[PROP_N_RUNNING] =
    g_param_spec_uint ("n-running", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CLOSED] =
    g_param_spec_boolean ("closed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
reel_jobs_init (ReelJobs *self)
{
  self->jobs = g_ptr_array_new_with_free_func (g_object_unref);
}

ReelJobs *
reel_jobs_new (void)
{
  return g_object_new (REEL_TYPE_JOBS, NULL);
}

void
reel_jobs_add (ReelJobs     *self,
               GCancellable *cancellable)
{
  g_return_if_fail (REEL_IS_JOBS (self));
  g_return_if_fail (G_IS_CANCELLABLE (cancellable));

  g_ptr_array_add (self->jobs, g_object_ref (cancellable));
  if (self->closed)
    g_cancellable_cancel (cancellable);
  reel_jobs_recount (self);
}

void
reel_jobs_remove (ReelJobs     *self,
                  GCancellable *cancellable)
{
  g_return_if_fail (REEL_IS_JOBS (self));

  g_ptr_array_remove (self->jobs, cancellable);
  reel_jobs_recount (self);
}

guint
reel_jobs_get_n_running (ReelJobs *self)
{
  g_return_val_if_fail (REEL_IS_JOBS (self), 0);

  return self->n_running;
}

guint
reel_jobs_get_n_unfinished (ReelJobs *self)
{
  g_return_val_if_fail (REEL_IS_JOBS (self), 0);

  return self->jobs->len;
}

void
reel_jobs_cancel_all (ReelJobs *self)
{
  g_autoptr(GPtrArray) jobs = NULL;

  g_return_if_fail (REEL_IS_JOBS (self));

  /* A cancellation may end a job synchronously, which removes it from the array. */
  jobs = g_ptr_array_new_full (self->jobs->len, g_object_unref);
  for (guint i = 0; i < self->jobs->len; i++)
    g_ptr_array_add (jobs, g_object_ref (g_ptr_array_index (self->jobs, i)));
  for (guint i = 0; i < jobs->len; i++)
    g_cancellable_cancel (g_ptr_array_index (jobs, i));
  reel_jobs_recount (self);
}

void
reel_jobs_close (ReelJobs *self)
{
  g_return_if_fail (REEL_IS_JOBS (self));

  if (!self->closed)
    {
      self->closed = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSED]);
    }
  reel_jobs_cancel_all (self);
}

gboolean
reel_jobs_is_closed (ReelJobs *self)
{
  g_return_val_if_fail (REEL_IS_JOBS (self), TRUE);

  return self->closed;
}

gboolean
reel_jobs_accepts_result (ReelJobs     *self,
                          GCancellable *cancellable)
{
  g_return_val_if_fail (self == NULL || REEL_IS_JOBS (self), FALSE);

  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    return FALSE;
  return self == NULL || !self->closed;
}
