/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-history"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-history.h"

typedef struct
{
  ReelHistoryFunc undo;
  ReelHistoryFunc redo;
  gpointer data;
  GDestroyNotify destroy;
} Command;

typedef struct
{
  char *label;
  GArray *commands;   /* Command, in the order they were done */
  GPtrArray *assets;  /* hashes of assets its commands can bring back, or NULL */
  guint64 serial;     /* unique in the history: which state it leads to */
} Step;

/* A group set aside while work that finished late records its own step. */
typedef struct
{
  Step *group;
  guint group_depth;
} Detached;

struct _ReelHistory
{
  GObject parent_instance;

  GPtrArray *undo_steps;   /* Step, oldest first */
  GPtrArray *redo_steps;   /* Step, the next one to redo last */
  Step *group;             /* being recorded, or NULL */
  guint group_depth;
  guint stale_ends;        /* end_group() calls owed by groups closed for their caller */
  GArray *detached;        /* Detached, innermost last */
  guint max_steps;
  gboolean replaying;
  guint64 next_serial;
  guint64 saved_serial;    /* serial of the top undo step when saved, 0: none */
  gboolean saved_known;    /* FALSE: the saved state cannot be reached by undo/redo */
};

G_DEFINE_FINAL_TYPE (ReelHistory, reel_history, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_UNDO_LABEL,
  PROP_REDO_LABEL,
  PROP_MAX_STEPS,
  PROP_AT_SAVED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
command_clear (Command *command)
{
  if (command->destroy != NULL && command->data != NULL)
    command->destroy (command->data);
}

static Step *
step_new (ReelHistory *self,
          const char  *label)
{
  Step *step = g_new0 (Step, 1);

  step->serial = ++self->next_serial;
  step->label = g_strdup (label);
  step->commands = g_array_new (FALSE, FALSE, sizeof (Command));
  g_array_set_clear_func (step->commands, (GDestroyNotify) command_clear);

  return step;
}

static void
step_free (Step *step)
{
  /* Free the newest command first: it may hold references the older ones expect. */
  for (guint i = step->commands->len; i-- > 0;)
    command_clear (&g_array_index (step->commands, Command, i));
  g_array_set_clear_func (step->commands, NULL);
  g_array_unref (step->commands);
  g_clear_pointer (&step->assets, g_ptr_array_unref);
  g_free (step->label);
  g_free (step);
}

typedef struct
{
  gboolean can_undo;
  gboolean can_redo;
  gboolean at_saved;
  const Step *undo_step;
  const Step *redo_step;
} State;

static void
save_state (ReelHistory *self,
            State       *state)
{
  state->can_undo = reel_history_can_undo (self);
  state->can_redo = reel_history_can_redo (self);
  state->at_saved = reel_history_get_at_saved (self);
  state->undo_step = state->can_undo ? g_ptr_array_index (self->undo_steps,
                                                          self->undo_steps->len - 1) : NULL;
  state->redo_step = state->can_redo ? g_ptr_array_index (self->redo_steps,
                                                          self->redo_steps->len - 1) : NULL;
}

/* Notifies what differs from @before. Steps are compared by address: a label
 * only changes when the step on top does. */
static void
notify_state (ReelHistory *self,
              const State *before)
{
  State after;

  save_state (self, &after);

  g_object_freeze_notify (G_OBJECT (self));
  if (before->can_undo != after.can_undo)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  if (before->can_redo != after.can_redo)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
  if (before->undo_step != after.undo_step)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNDO_LABEL]);
  if (before->redo_step != after.redo_step)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REDO_LABEL]);
  if (before->at_saved != after.at_saved)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AT_SAVED]);
  g_object_thaw_notify (G_OBJECT (self));
}

static guint64
top_serial (ReelHistory *self)
{
  if (self->undo_steps->len == 0)
    return 0;
  return ((Step *) g_ptr_array_index (self->undo_steps, self->undo_steps->len - 1))->serial;
}

static void
trim_to_bound (ReelHistory *self)
{
  if (self->undo_steps->len <= self->max_steps)
    return;

  /* Saved with nothing to undo, or at a step that is dropped now: undoing
   * everything left no longer leads back there. */
  for (guint i = 0; i < self->undo_steps->len - self->max_steps; i++)
    if (self->saved_serial == 0 ||
        ((Step *) g_ptr_array_index (self->undo_steps, i))->serial == self->saved_serial)
      self->saved_known = FALSE;
  g_ptr_array_remove_range (self->undo_steps, 0, self->undo_steps->len - self->max_steps);
}

static void
record_step (ReelHistory *self,
             Step        *step)
{
  State before;

  save_state (self, &before);

  g_ptr_array_set_size (self->redo_steps, 0);
  g_ptr_array_add (self->undo_steps, step);
  trim_to_bound (self);

  notify_state (self, &before);
}

static void
reel_history_dispose (GObject *object)
{
  ReelHistory *self = REEL_HISTORY (object);

  g_clear_pointer (&self->group, step_free);
  if (self->detached != NULL)
    {
      for (guint i = 0; i < self->detached->len; i++)
        g_clear_pointer (&g_array_index (self->detached, Detached, i).group, step_free);
      g_array_set_size (self->detached, 0);
    }
  if (self->redo_steps != NULL)
    g_ptr_array_set_size (self->redo_steps, 0);
  if (self->undo_steps != NULL)
    {
      /* Newest first, for the same reason as in step_free(). */
      while (self->undo_steps->len > 0)
        g_ptr_array_remove_index (self->undo_steps, self->undo_steps->len - 1);
    }

  G_OBJECT_CLASS (reel_history_parent_class)->dispose (object);
}

static void
reel_history_finalize (GObject *object)
{
  ReelHistory *self = REEL_HISTORY (object);

  g_ptr_array_unref (self->undo_steps);
  g_ptr_array_unref (self->redo_steps);
  g_array_unref (self->detached);

  G_OBJECT_CLASS (reel_history_parent_class)->finalize (object);
}

static void
reel_history_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ReelHistory *self = REEL_HISTORY (object);

  switch (prop_id)
    {
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, reel_history_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, reel_history_can_redo (self));
      break;
    case PROP_UNDO_LABEL:
      g_value_set_string (value, reel_history_get_undo_label (self));
      break;
    case PROP_REDO_LABEL:
      g_value_set_string (value, reel_history_get_redo_label (self));
      break;
    case PROP_MAX_STEPS:
      g_value_set_uint (value, self->max_steps);
      break;
    case PROP_AT_SAVED:
      g_value_set_boolean (value, reel_history_get_at_saved (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_history_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ReelHistory *self = REEL_HISTORY (object);

  switch (prop_id)
    {
    case PROP_MAX_STEPS:
      reel_history_set_max_steps (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_history_class_init (ReelHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags read_only = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = reel_history_dispose;
  object_class->finalize = reel_history_finalize;
  object_class->get_property = reel_history_get_property;
  object_class->set_property = reel_history_set_property;

  properties[PROP_CAN_UNDO] = g_param_spec_boolean ("can-undo", NULL, NULL, FALSE, read_only);
  properties[PROP_CAN_REDO] = g_param_spec_boolean ("can-redo", NULL, NULL, FALSE, read_only);
  properties[PROP_UNDO_LABEL] = g_param_spec_string ("undo-label", NULL, NULL, NULL, read_only);
  properties[PROP_REDO_LABEL] = g_param_spec_string ("redo-label", NULL, NULL, NULL, read_only);
  properties[PROP_AT_SAVED] = g_param_spec_boolean ("at-saved", NULL, NULL, TRUE, read_only);
  properties[PROP_MAX_STEPS] =
    g_param_spec_uint ("max-steps", NULL, NULL, 1, G_MAXUINT, REEL_HISTORY_DEFAULT_MAX_STEPS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
reel_history_init (ReelHistory *self)
{
  self->undo_steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  self->redo_steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  self->detached = g_array_new (FALSE, FALSE, sizeof (Detached));
  self->max_steps = REEL_HISTORY_DEFAULT_MAX_STEPS;
  self->saved_known = TRUE;
}

ReelHistory *
reel_history_new (guint max_steps)
{
  return g_object_new (REEL_TYPE_HISTORY, "max-steps", MAX (max_steps, 1), NULL);
}

void
reel_history_push (ReelHistory     *self,
                   const char      *label,
                   ReelHistoryFunc  undo,
                   ReelHistoryFunc  redo,
                   gpointer         data,
                   GDestroyNotify   destroy)
{
  Command command = { undo, redo, data, destroy };

  g_return_if_fail (REEL_IS_HISTORY (self));
  g_return_if_fail (undo != NULL && redo != NULL);

  if (self->replaying)
    {
      command_clear (&command);
      return;
    }

  if (self->group != NULL)
    {
      if (self->group->label == NULL)
        self->group->label = g_strdup (label);
      g_array_append_val (self->group->commands, command);
    }
  else
    {
      Step *step = step_new (self, label);

      g_array_append_val (step->commands, command);
      record_step (self, step);
    }
}

void
reel_history_hold_assets (ReelHistory        *self,
                          const char * const *hashes)
{
  Step *step;

  g_return_if_fail (REEL_IS_HISTORY (self));

  if (self->replaying || hashes == NULL || hashes[0] == NULL)
    return;

  if (self->group != NULL)
    step = self->group;
  else if (self->undo_steps->len > 0)
    step = g_ptr_array_index (self->undo_steps, self->undo_steps->len - 1);
  else
    return;

  if (step->assets == NULL)
    step->assets = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; hashes[i] != NULL; i++)
    if (hashes[i][0] != '\0')
      g_ptr_array_add (step->assets, g_strdup (hashes[i]));
}

static void
collect_step_assets (Step       *step,
                     GHashTable *set)
{
  if (step == NULL || step->assets == NULL)
    return;
  for (guint i = 0; i < step->assets->len; i++)
    g_hash_table_add (set, g_strdup (g_ptr_array_index (step->assets, i)));
}

void
reel_history_collect_assets (ReelHistory *self,
                             GHashTable  *set)
{
  g_return_if_fail (REEL_IS_HISTORY (self));
  g_return_if_fail (set != NULL);

  for (guint i = 0; i < self->undo_steps->len; i++)
    collect_step_assets (g_ptr_array_index (self->undo_steps, i), set);
  for (guint i = 0; i < self->redo_steps->len; i++)
    collect_step_assets (g_ptr_array_index (self->redo_steps, i), set);
  collect_step_assets (self->group, set);
  for (guint i = 0; i < self->detached->len; i++)
    collect_step_assets (g_array_index (self->detached, Detached, i).group, set);
}

void
reel_history_begin_group (ReelHistory *self,
                          const char  *label)
{
  g_return_if_fail (REEL_IS_HISTORY (self));

  if (self->group_depth++ == 0)
    self->group = step_new (self, label);
}

void
reel_history_end_group (ReelHistory *self)
{
  Step *step;

  g_return_if_fail (REEL_IS_HISTORY (self));

  /* The group was closed for its caller (focus lost, project switched): the
   * gesture's own end comes late and has nothing left to close. */
  if (self->group_depth == 0 && self->stale_ends > 0)
    {
      self->stale_ends--;
      return;
    }
  g_return_if_fail (self->group_depth > 0);

  if (--self->group_depth > 0)
    return;

  step = g_steal_pointer (&self->group);
  if (step->commands->len == 0)
    step_free (step);
  else
    record_step (self, step);
}

void
reel_history_close_groups (ReelHistory *self)
{
  g_return_if_fail (REEL_IS_HISTORY (self));

  if (self->group_depth == 0)
    return;

  self->stale_ends += self->group_depth - 1;
  self->group_depth = 1;
  reel_history_end_group (self);
  self->stale_ends++;
}

void
reel_history_gesture_begin (ReelHistoryGesture *gesture,
                            ReelHistory        *history,
                            const char         *label)
{
  g_return_if_fail (gesture != NULL);

  if (history == NULL || gesture->history != NULL)
    return;

  gesture->history = g_object_ref (history);
  reel_history_begin_group (history, label);
}

void
reel_history_gesture_end (ReelHistoryGesture *gesture)
{
  g_autoptr(ReelHistory) history = NULL;

  g_return_if_fail (gesture != NULL);

  history = g_steal_pointer (&gesture->history);
  if (history != NULL)
    reel_history_end_group (history);
}

void
reel_history_begin_detached (ReelHistory *self,
                             const char  *label)
{
  Detached outer;

  g_return_if_fail (REEL_IS_HISTORY (self));

  outer.group = g_steal_pointer (&self->group);
  outer.group_depth = self->group_depth;
  self->group_depth = 0;
  g_array_append_val (self->detached, outer);
  reel_history_begin_group (self, label);
}

void
reel_history_end_detached (ReelHistory *self)
{
  Detached *outer;

  g_return_if_fail (REEL_IS_HISTORY (self));
  g_return_if_fail (self->detached->len > 0);

  /* Whatever the late work left open ends with it. */
  if (self->group_depth > 0)
    {
      self->group_depth = 1;
      reel_history_end_group (self);
    }

  outer = &g_array_index (self->detached, Detached, self->detached->len - 1);
  self->group = g_steal_pointer (&outer->group);
  self->group_depth = outer->group_depth;
  g_array_set_size (self->detached, self->detached->len - 1);
}

gboolean
reel_history_in_group (ReelHistory *self)
{
  g_return_val_if_fail (REEL_IS_HISTORY (self), FALSE);

  return self->group_depth > 0;
}

gboolean
reel_history_undo (ReelHistory *self)
{
  State before;
  Step *step;

  g_return_val_if_fail (REEL_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (!self->replaying, FALSE);

  /* Asking to undo ends any gesture still open. */
  reel_history_close_groups (self);
  if (self->undo_steps->len == 0)
    return FALSE;

  save_state (self, &before);
  step = g_ptr_array_steal_index (self->undo_steps, self->undo_steps->len - 1);

  self->replaying = TRUE;
  for (guint i = step->commands->len; i-- > 0;)
    {
      Command *command = &g_array_index (step->commands, Command, i);

      command->undo (command->data);
    }
  self->replaying = FALSE;

  g_ptr_array_add (self->redo_steps, step);
  notify_state (self, &before);

  return TRUE;
}

gboolean
reel_history_redo (ReelHistory *self)
{
  State before;
  Step *step;

  g_return_val_if_fail (REEL_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (!self->replaying, FALSE);

  reel_history_close_groups (self);
  if (self->redo_steps->len == 0)
    return FALSE;

  save_state (self, &before);
  step = g_ptr_array_steal_index (self->redo_steps, self->redo_steps->len - 1);

  self->replaying = TRUE;
  for (guint i = 0; i < step->commands->len; i++)
    {
      Command *command = &g_array_index (step->commands, Command, i);

      command->redo (command->data);
    }
  self->replaying = FALSE;

  g_ptr_array_add (self->undo_steps, step);
  notify_state (self, &before);

  return TRUE;
}

gboolean
reel_history_can_undo (ReelHistory *self)
{
  g_return_val_if_fail (REEL_IS_HISTORY (self), FALSE);

  return self->undo_steps->len > 0;
}

gboolean
reel_history_can_redo (ReelHistory *self)
{
  g_return_val_if_fail (REEL_IS_HISTORY (self), FALSE);

  return self->redo_steps->len > 0;
}

gboolean
reel_history_is_replaying (ReelHistory *self)
{
  g_return_val_if_fail (REEL_IS_HISTORY (self), FALSE);

  return self->replaying;
}

const char *
reel_history_get_undo_label (ReelHistory *self)
{
  g_return_val_if_fail (REEL_IS_HISTORY (self), NULL);

  if (self->undo_steps->len == 0)
    return NULL;

  return ((Step *) g_ptr_array_index (self->undo_steps, self->undo_steps->len - 1))->label;
}

const char *
reel_history_get_redo_label (ReelHistory *self)
{
  g_return_val_if_fail (REEL_IS_HISTORY (self), NULL);

  if (self->redo_steps->len == 0)
    return NULL;

  return ((Step *) g_ptr_array_index (self->redo_steps, self->redo_steps->len - 1))->label;
}

char *
reel_history_dup_undo_menu_label (ReelHistory *self)
{
  const char *label = reel_history_get_undo_label (self);

  if (label == NULL)
    return g_strdup (_("Undo"));

  /* Translators: %s is an edit, e.g. "Change Lens": the menu item reads "Undo Change Lens". */
  return g_strdup_printf (_("Undo %s"), label);
}

char *
reel_history_dup_redo_menu_label (ReelHistory *self)
{
  const char *label = reel_history_get_redo_label (self);

  if (label == NULL)
    return g_strdup (_("Redo"));

  /* Translators: %s is an edit, e.g. "Change Lens": the menu item reads "Redo Change Lens". */
  return g_strdup_printf (_("Redo %s"), label);
}

guint
reel_history_get_n_undo (ReelHistory *self)
{
  g_return_val_if_fail (REEL_IS_HISTORY (self), 0);

  return self->undo_steps->len;
}

guint
reel_history_get_n_redo (ReelHistory *self)
{
  g_return_val_if_fail (REEL_IS_HISTORY (self), 0);

  return self->redo_steps->len;
}

guint
reel_history_get_max_steps (ReelHistory *self)
{
  g_return_val_if_fail (REEL_IS_HISTORY (self), 0);

  return self->max_steps;
}

void
reel_history_set_max_steps (ReelHistory *self,
                            guint        max_steps)
{
  State before;

  g_return_if_fail (REEL_IS_HISTORY (self));

  max_steps = MAX (max_steps, 1);
  if (self->max_steps == max_steps)
    return;

  save_state (self, &before);
  self->max_steps = max_steps;
  trim_to_bound (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_STEPS]);
  notify_state (self, &before);
}

void
reel_history_clear (ReelHistory *self)
{
  State before;

  g_return_if_fail (REEL_IS_HISTORY (self));

  save_state (self, &before);
  g_ptr_array_set_size (self->redo_steps, 0);
  while (self->undo_steps->len > 0)
    g_ptr_array_remove_index (self->undo_steps, self->undo_steps->len - 1);
  /* Whether what is now is saved, the history no longer knows: the owner marks
   * it saved again when it is. */
  self->saved_known = FALSE;
  self->saved_serial = G_MAXUINT64;
  notify_state (self, &before);
}

void
reel_history_mark_saved (ReelHistory *self)
{
  State before;

  g_return_if_fail (REEL_IS_HISTORY (self));

  save_state (self, &before);
  /* Commands of an open group are in the saved file but in no step yet: no undo
   * or redo leads exactly back to this state. */
  self->saved_known = self->group == NULL || self->group->commands->len == 0;
  self->saved_serial = self->saved_known ? top_serial (self) : G_MAXUINT64;
  notify_state (self, &before);
}

void
reel_history_forget_saved (ReelHistory *self)
{
  State before;

  g_return_if_fail (REEL_IS_HISTORY (self));

  save_state (self, &before);
  self->saved_known = FALSE;
  self->saved_serial = G_MAXUINT64;
  notify_state (self, &before);
}

gboolean
reel_history_get_at_saved (ReelHistory *self)
{
  g_return_val_if_fail (REEL_IS_HISTORY (self), FALSE);

  return self->saved_known && self->group == NULL && top_serial (self) == self->saved_serial;
}
