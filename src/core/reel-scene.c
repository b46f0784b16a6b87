/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-scene"

#include "config.h"

#include "reel-core-private.h"
#include "reel-scene.h"

struct _ReelScene
{
  GObject parent_instance;

  char *id;
  ReelProject *project;   /* not owned: the project clears it when it lets go */
  guint64 revision;

  char *number;
  ReelIntExt int_ext;
  char *location;
  char *time_of_day;
  char *synopsis;
  char *heading;

  GListStore *shots;
  ReelSet *set;
};

G_DEFINE_FINAL_TYPE (ReelScene, reel_scene, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NUMBER,
  PROP_INT_EXT,
  PROP_LOCATION,
  PROP_TIME_OF_DAY,
  PROP_SYNOPSIS,
  PROP_HEADING,
  PROP_SET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Shot-number letters: I, O and Q are left out because they read as 1, 0 and O. */
static const char shot_letters[] = "ABCDEFGHJKLMNPRSTUVWXYZ";
#define N_SHOT_LETTERS (G_N_ELEMENTS (shot_letters) - 1)

static void
mark_changed (ReelScene *self)
{
  self->revision = reel_revision_next ();
  if (self->project != NULL)
    reel_project_child_changed (self->project, self->revision);
}

static void
update_heading (ReelScene *self)
{
  g_autofree char *heading = reel_scene_build_heading (self);

  if (reel_set_str (&self->heading, heading))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADING]);
}

static void
set_string (ReelScene   *self,
            char       **field,
            const char  *value,
            guint        prop_id)
{
  if (!reel_set_str (field, value != NULL ? value : ""))
    return;

  mark_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  if (prop_id == PROP_LOCATION || prop_id == PROP_TIME_OF_DAY)
    update_heading (self);
}

static void
reel_scene_dispose (GObject *object)
{
  ReelScene *self = REEL_SCENE (object);

  if (self->shots != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->shots));

      /* Shots may outlive the scene (the undo history holds deleted ones). */
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(ReelShot) shot = g_list_model_get_item (G_LIST_MODEL (self->shots), i);

          if (reel_shot_get_scene (shot) == self)
            reel_shot_set_scene (shot, NULL);
        }
      g_clear_object (&self->shots);
    }

  G_OBJECT_CLASS (reel_scene_parent_class)->dispose (object);
}

static void
reel_scene_finalize (GObject *object)
{
  ReelScene *self = REEL_SCENE (object);

  g_free (self->id);
  g_free (self->number);
  g_free (self->location);
  g_free (self->time_of_day);
  g_free (self->synopsis);
  g_free (self->heading);
  g_clear_pointer (&self->set, reel_set_free);

  G_OBJECT_CLASS (reel_scene_parent_class)->finalize (object);
}

static void
reel_scene_constructed (GObject *object)
{
  ReelScene *self = REEL_SCENE (object);

  G_OBJECT_CLASS (reel_scene_parent_class)->constructed (object);

  if (self->id == NULL || self->id[0] == '\0')
    {
      g_free (self->id);
      self->id = g_uuid_string_random ();
    }
}

static void
reel_scene_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ReelScene *self = REEL_SCENE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;
    case PROP_INT_EXT:
      g_value_set_enum (value, self->int_ext);
      break;
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case PROP_TIME_OF_DAY:
      g_value_set_string (value, self->time_of_day);
      break;
    case PROP_SYNOPSIS:
      g_value_set_string (value, self->synopsis);
      break;
    case PROP_HEADING:
      g_value_set_string (value, self->heading);
      break;
    case PROP_SET:
      g_value_set_boxed (value, self->set);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_scene_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  ReelScene *self = REEL_SCENE (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_NUMBER:
      reel_scene_set_number (self, g_value_get_string (value));
      break;
    case PROP_INT_EXT:
      reel_scene_set_int_ext (self, g_value_get_enum (value));
      break;
    case PROP_LOCATION:
      reel_scene_set_location (self, g_value_get_string (value));
      break;
    case PROP_TIME_OF_DAY:
      reel_scene_set_time_of_day (self, g_value_get_string (value));
      break;
    case PROP_SYNOPSIS:
      reel_scene_set_synopsis (self, g_value_get_string (value));
      break;
    case PROP_SET:
      reel_scene_set_set (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_scene_class_init (ReelSceneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = reel_scene_dispose;
  object_class->finalize = reel_scene_finalize;
  object_class->constructed = reel_scene_constructed;
  object_class->get_property = reel_scene_get_property;
  object_class->set_property = reel_scene_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NUMBER] = g_param_spec_string ("number", NULL, NULL, "", flags);
  properties[PROP_INT_EXT] =
    g_param_spec_enum ("int-ext", NULL, NULL, REEL_TYPE_INT_EXT, REEL_INT_EXT_INT, flags);
  properties[PROP_LOCATION] = g_param_spec_string ("location", NULL, NULL, "", flags);
  properties[PROP_TIME_OF_DAY] = g_param_spec_string ("time-of-day", NULL, NULL, "", flags);
  properties[PROP_SYNOPSIS] = g_param_spec_string ("synopsis", NULL, NULL, "", flags);
  properties[PROP_HEADING] =
    g_param_spec_string ("heading", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SET] = g_param_spec_boxed ("set", NULL, NULL, REEL_TYPE_SET, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
reel_scene_init (ReelScene *self)
{
  self->number = g_strdup ("");
  self->int_ext = REEL_INT_EXT_INT;
  self->location = g_strdup ("");
  self->time_of_day = g_strdup ("");
  self->synopsis = g_strdup ("");
  self->shots = g_list_store_new (REEL_TYPE_SHOT);
  self->revision = reel_revision_next ();
  self->heading = reel_scene_build_heading (self);
}

ReelScene *
reel_scene_new (void)
{
  return g_object_new (REEL_TYPE_SCENE, NULL);
}

ReelScene *
reel_scene_new_with_id (const char *id)
{
  return g_object_new (REEL_TYPE_SCENE, "id", id, NULL);
}

static ReelScene *
copy_scene (ReelScene *self,
            gboolean   same_ids)
{
  ReelScene *copy = reel_scene_new_with_id (same_ids ? self->id : NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->shots));
  g_autoptr(GPtrArray) shots = g_ptr_array_new_full (n, g_object_unref);

  reel_scene_set_number (copy, self->number);
  reel_scene_set_int_ext (copy, self->int_ext);
  reel_scene_set_location (copy, self->location);
  reel_scene_set_time_of_day (copy, self->time_of_day);
  reel_scene_set_synopsis (copy, self->synopsis);
  reel_scene_set_set (copy, self->set);

  for (guint i = 0; i < n; i++)
    {
      ReelShot *shot = reel_scene_get_shot (self, i);
      ReelShot *shot_copy = same_ids ? reel_shot_copy (shot) : reel_shot_duplicate (shot);

      reel_shot_set_scene (shot_copy, copy);
      g_ptr_array_add (shots, shot_copy);
    }
  g_list_store_splice (copy->shots, 0, 0, shots->pdata, shots->len);

  return copy;
}

ReelScene *
reel_scene_copy (ReelScene *self)
{
  g_return_val_if_fail (REEL_IS_SCENE (self), NULL);

  return copy_scene (self, TRUE);
}

ReelScene *
reel_scene_duplicate (ReelScene *self)
{
  g_return_val_if_fail (REEL_IS_SCENE (self), NULL);

  return copy_scene (self, FALSE);
}

gboolean
reel_scene_equal (ReelScene *a,
                  ReelScene *b)
{
  guint n;

  if (a == NULL || b == NULL)
    return a == b;
  if (a == b)
    return TRUE;

  n = reel_scene_get_n_shots (a);
  if (!g_str_equal (a->id, b->id)
      || !g_str_equal (a->number, b->number)
      || a->int_ext != b->int_ext
      || !g_str_equal (a->location, b->location)
      || !g_str_equal (a->time_of_day, b->time_of_day)
      || !g_str_equal (a->synopsis, b->synopsis)
      || !reel_set_equal (a->set, b->set)
      || n != reel_scene_get_n_shots (b))
    return FALSE;

  for (guint i = 0; i < n; i++)
    if (!reel_shot_equal (reel_scene_get_shot (a, i), reel_scene_get_shot (b, i)))
      return FALSE;

  return TRUE;
}

const char *
reel_scene_get_id (ReelScene *self)
{
  g_return_val_if_fail (REEL_IS_SCENE (self), NULL);

  return self->id;
}

ReelProject *
reel_scene_get_project (ReelScene *self)
{
  g_return_val_if_fail (REEL_IS_SCENE (self), NULL);

  return self->project;
}

void
reel_scene_set_project (ReelScene   *self,
                        ReelProject *project)
{
  g_return_if_fail (REEL_IS_SCENE (self));

  self->project = project;
}

void
reel_scene_child_changed (ReelScene *self,
                          guint64    stamp)
{
  if (self->project != NULL)
    reel_project_child_changed (self->project, stamp);
}

const char *
reel_scene_get_number (ReelScene *self)
{
  g_return_val_if_fail (REEL_IS_SCENE (self), NULL);

  return self->number;
}

void
reel_scene_set_number (ReelScene  *self,
                       const char *number)
{
  g_return_if_fail (REEL_IS_SCENE (self));

  set_string (self, &self->number, number, PROP_NUMBER);
}

ReelIntExt
reel_scene_get_int_ext (ReelScene *self)
{
  g_return_val_if_fail (REEL_IS_SCENE (self), REEL_INT_EXT_NONE);

  return self->int_ext;
}

void
reel_scene_set_int_ext (ReelScene  *self,
                        ReelIntExt  int_ext)
{
  g_return_if_fail (REEL_IS_SCENE (self));
  g_return_if_fail (int_ext >= REEL_INT_EXT_NONE && int_ext <= REEL_INT_EXT_EST);

  if (self->int_ext == int_ext)
    return;

  self->int_ext = int_ext;
  mark_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INT_EXT]);
  update_heading (self);
}

const char *
reel_scene_get_location (ReelScene *self)
{
  g_return_val_if_fail (REEL_IS_SCENE (self), NULL);

  return self->location;
}

void
reel_scene_set_location (ReelScene  *self,
                         const char *location)
{
  g_return_if_fail (REEL_IS_SCENE (self));

  set_string (self, &self->location, location, PROP_LOCATION);
}

const char *
reel_scene_get_time_of_day (ReelScene *self)
{
  g_return_val_if_fail (REEL_IS_SCENE (self), NULL);

  return self->time_of_day;
}

void
reel_scene_set_time_of_day (ReelScene  *self,
                            const char *time_of_day)
{
  g_return_if_fail (REEL_IS_SCENE (self));

  set_string (self, &self->time_of_day, time_of_day, PROP_TIME_OF_DAY);
}

const char *
reel_scene_get_synopsis (ReelScene *self)
{
  g_return_val_if_fail (REEL_IS_SCENE (self), NULL);

  return self->synopsis;
}

void
reel_scene_set_synopsis (ReelScene  *self,
                         const char *synopsis)
{
  g_return_if_fail (REEL_IS_SCENE (self));

  set_string (self, &self->synopsis, synopsis, PROP_SYNOPSIS);
}

const char *
reel_scene_get_heading (ReelScene *self)
{
  g_return_val_if_fail (REEL_IS_SCENE (self), NULL);

  return self->heading;
}

char *
reel_scene_build_heading (ReelScene *self)
{
  GString *heading;
  const char *prefix;

  g_return_val_if_fail (REEL_IS_SCENE (self), NULL);

  heading = g_string_new (NULL);
  prefix = reel_int_ext_get_prefix (self->int_ext);
  g_string_append (heading, prefix);

  if (self->location[0] != '\0')
    {
      if (heading->len > 0)
        g_string_append_c (heading, ' ');
      g_string_append (heading, self->location);
    }

  if (self->time_of_day[0] != '\0')
    {
      if (heading->len > 0)
        g_string_append (heading, " - ");
      g_string_append (heading, self->time_of_day);
    }

  return g_string_free (heading, FALSE);
}

GListModel *
reel_scene_get_shots (ReelScene *self)
{
  g_return_val_if_fail (REEL_IS_SCENE (self), NULL);

  return G_LIST_MODEL (self->shots);
}

guint
reel_scene_get_n_shots (ReelScene *self)
{
  g_return_val_if_fail (REEL_IS_SCENE (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->shots));
}

ReelShot *
reel_scene_get_shot (ReelScene *self,
                     guint      position)
{
  g_autoptr(ReelShot) shot = NULL;

  g_return_val_if_fail (REEL_IS_SCENE (self), NULL);

  /* The store keeps its reference, so handing out a borrowed pointer is safe. */
  shot = g_list_model_get_item (G_LIST_MODEL (self->shots), position);
  return shot;
}

void
reel_scene_insert_shot (ReelScene *self,
                        guint      position,
                        ReelShot  *shot)
{
  g_return_if_fail (REEL_IS_SCENE (self));
  g_return_if_fail (REEL_IS_SHOT (shot));
  g_return_if_fail (reel_shot_get_scene (shot) == NULL);

  position = MIN (position, reel_scene_get_n_shots (self));
  reel_shot_set_scene (shot, self);
  mark_changed (self);
  g_list_store_insert (self->shots, position, shot);
}

void
reel_scene_append_shot (ReelScene *self,
                        ReelShot  *shot)
{
  reel_scene_insert_shot (self, G_MAXUINT, shot);
}

ReelShot *
reel_scene_remove_shot (ReelScene *self,
                        guint      position)
{
  ReelShot *shot;

  g_return_val_if_fail (REEL_IS_SCENE (self), NULL);
  g_return_val_if_fail (position < reel_scene_get_n_shots (self), NULL);

  shot = g_list_model_get_item (G_LIST_MODEL (self->shots), position);
  reel_shot_set_scene (shot, NULL);
  mark_changed (self);
  g_list_store_remove (self->shots, position);

  return shot;
}

void
reel_scene_move_shot (ReelScene *self,
                      guint      from,
                      guint      to)
{
  g_autoptr(ReelShot) shot = NULL;
  guint n;

  g_return_if_fail (REEL_IS_SCENE (self));

  n = reel_scene_get_n_shots (self);
  g_return_if_fail (from < n);
  to = MIN (to, n - 1);
  if (from == to)
    return;

  shot = g_list_model_get_item (G_LIST_MODEL (self->shots), from);
  mark_changed (self);
  /* One remove and one insert: views animate a move. */
  g_list_store_remove (self->shots, from);
  g_list_store_insert (self->shots, to, shot);
}

gboolean
reel_scene_find_shot (ReelScene *self,
                      ReelShot  *shot,
                      guint     *out_position)
{
  g_return_val_if_fail (REEL_IS_SCENE (self), FALSE);

  if (shot == NULL || reel_shot_get_scene (shot) != self)
    return FALSE;

  return g_list_store_find (self->shots, shot, out_position);
}

gint64
reel_scene_get_duration (ReelScene *self)
{
  gint64 total = 0;
  guint n;

  g_return_val_if_fail (REEL_IS_SCENE (self), 0);

  n = reel_scene_get_n_shots (self);
  for (guint i = 0; i < n; i++)
    total += reel_shot_get_duration (reel_scene_get_shot (self, i));

  return total;
}

char *
reel_shot_number_letters (guint index)
{
  char buffer[16];
  gsize pos = sizeof buffer - 1;
  guint64 n = (guint64) index + 1;

  /* Bijective base 23: A … Z, AA, AB … like spreadsheet columns. */
  buffer[pos] = '\0';
  while (n > 0 && pos > 0)
    {
      n -= 1;
      buffer[--pos] = shot_letters[n % N_SHOT_LETTERS];
      n /= N_SHOT_LETTERS;
    }

  return g_strdup (&buffer[pos]);
}

void
reel_scene_renumber (ReelScene          *self,
                     ReelNumberingStyle  style)
{
  g_autofree char *base = NULL;
  guint n;

  g_return_if_fail (REEL_IS_SCENE (self));

  if (self->number[0] != '\0')
    {
      base = g_strdup (self->number);
    }
  else
    {
      guint position = 0;

      if (self->project == NULL
          || !reel_project_find_scene_position (self->project, self, &position))
        position = 0;
      base = g_strdup_printf ("%u", position + 1);
    }

  n = reel_scene_get_n_shots (self);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *number = NULL;

      switch (style)
        {
        case REEL_NUMBERING_SCENE_LETTER:
          {
            g_autofree char *letters = reel_shot_number_letters (i);
            number = g_strconcat (base, letters, NULL);
          }
          break;
        case REEL_NUMBERING_SCENE_DASH:
          number = g_strdup_printf ("%s-%u", base, i + 1);
          break;
        case REEL_NUMBERING_SEQUENTIAL:
        default:
          number = g_strdup_printf ("%u", i + 1);
          break;
        }

      reel_shot_set_number (reel_scene_get_shot (self, i), number);
    }
}

guint64
reel_scene_get_revision (ReelScene *self)
{
  g_return_val_if_fail (REEL_IS_SCENE (self), 0);

  return self->revision;
}

/**
 * reel_scene_get_set:
 *
 * Returns: (transfer none) (nullable): the scene's set
 */
const ReelSet *
reel_scene_get_set (ReelScene *self)
{
  g_return_val_if_fail (REEL_IS_SCENE (self), NULL);

  return self->set;
}

void
reel_scene_set_set (ReelScene     *self,
                    const ReelSet *set)
{
  g_return_if_fail (REEL_IS_SCENE (self));

  if (reel_set_equal (self->set, set))
    return;

  g_clear_pointer (&self->set, reel_set_free);
  if (set != NULL)
    self->set = reel_set_copy (set);
  mark_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SET]);
}
