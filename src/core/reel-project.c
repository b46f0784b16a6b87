/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-project"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-core-private.h"
#include "reel-optics.h"
#include "reel-project.h"

typedef struct
{
  char *key;
  char *value;
} MetadataEntry;

struct _ReelProject
{
  GObject parent_instance;

  char *title;
  ReelFrameRate frame_rate;
  double aspect_ratio;
  char *sensor;
  char *look_phrase;
  char *look_image;
  GArray *metadata;            /* MetadataEntry, insertion order */

  GListStore *scenes;
  GHashTable *assets;          /* hash → ReelAsset */
  GPtrArray *asset_order;      /* ReelAsset, order of addition */
  GHashTable *shot_index;      /* id → ReelShot (ref), rebuilt when stale */

  ReelHistory *history;

  guint64 revision;
  guint64 content_revision;
  guint64 saved_revision;
};

G_DEFINE_FINAL_TYPE (ReelProject, reel_project, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_FRAME_RATE_NUM,
  PROP_FRAME_RATE_DEN,
  PROP_ASPECT_RATIO,
  PROP_SENSOR,
  PROP_LOOK_PHRASE,
  PROP_LOOK_IMAGE,
  PROP_HISTORY,
  PROP_MODIFIED,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static guint64 revision_counter;

static const ReelAspectRatio standard_aspect_ratios[] = {
  { 2.39, N_("2.39:1 (Scope)") },
  { 2.0, N_("2:1 (Univisium)") },
  { 1.85, N_("1.85:1 (Flat)") },
  { 1.78, N_("16:9 (HD)") },
  { 1.33, N_("4:3 (Academy)") },
  { 1.0, N_("1:1 (Square)") },
  { 0.5625, N_("9:16 (Vertical)") },
};

guint64
reel_revision_next (void)
{
  return __atomic_add_fetch (&revision_counter, 1, __ATOMIC_RELAXED);
}

guint64
reel_revision_current (void)
{
  return __atomic_load_n (&revision_counter, __ATOMIC_RELAXED);
}

const ReelAspectRatio *
reel_aspect_ratio_get_standard (guint *n_ratios)
{
  if (n_ratios != NULL)
    *n_ratios = G_N_ELEMENTS (standard_aspect_ratios);

  return standard_aspect_ratios;
}

char *
reel_aspect_ratio_dup_label (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint i = 0; i < G_N_ELEMENTS (standard_aspect_ratios); i++)
    if (ABS (standard_aspect_ratios[i].value - value) < 0.005)
      return g_strdup (_(standard_aspect_ratios[i].label));

  g_ascii_formatd (buffer, sizeof buffer, "%.2f", value);
  return g_strdup_printf ("%s:1", buffer);
}

static void
metadata_entry_clear (MetadataEntry *entry)
{
  g_free (entry->key);
  g_free (entry->value);
}

static void
content_changed (ReelProject *self,
                 guint64      stamp)
{
  gboolean was_modified = reel_project_get_modified (self);

  self->content_revision = MAX (self->content_revision, stamp);
  g_signal_emit (self, signals[CHANGED], 0);

  if (!was_modified && reel_project_get_modified (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

/* Undo or redo led back to the saved state: nothing is unsaved. */
static void
history_at_saved_cb (ReelProject *self)
{
  if (!reel_history_get_at_saved (self->history) || !reel_project_get_modified (self))
    return;

  self->saved_revision = self->content_revision;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

static void
mark_changed (ReelProject *self)
{
  self->revision = reel_revision_next ();
  content_changed (self, self->revision);
}

void
reel_project_child_changed (ReelProject *self,
                            guint64      stamp)
{
  content_changed (self, stamp);
}

static void
notify_changed (ReelProject *self,
                guint        prop_id)
{
  mark_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_string (ReelProject  *self,
            char        **field,
            const char   *value,
            guint         prop_id)
{
  if (reel_set_str (field, value))
    notify_changed (self, prop_id);
}

static void
reel_project_dispose (GObject *object)
{
  ReelProject *self = REEL_PROJECT (object);

  if (self->scenes != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->scenes));

      /* Scenes may outlive the project (the undo history holds deleted ones,
       * and the history goes below). */
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(ReelScene) scene = g_list_model_get_item (G_LIST_MODEL (self->scenes), i);

          if (reel_scene_get_project (scene) == self)
            reel_scene_set_project (scene, NULL);
        }
    }

  /* The history holds the removed scenes and shots: drop it first. */
  g_clear_object (&self->history);
  g_clear_object (&self->scenes);
  g_clear_pointer (&self->shot_index, g_hash_table_unref);

  G_OBJECT_CLASS (reel_project_parent_class)->dispose (object);
}

static void
reel_project_finalize (GObject *object)
{
  ReelProject *self = REEL_PROJECT (object);

  g_free (self->title);
  g_free (self->sensor);
  g_free (self->look_phrase);
  g_free (self->look_image);
  g_array_unref (self->metadata);
  g_hash_table_unref (self->assets);
  g_ptr_array_unref (self->asset_order);

  G_OBJECT_CLASS (reel_project_parent_class)->finalize (object);
}

static void
reel_project_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ReelProject *self = REEL_PROJECT (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_FRAME_RATE_NUM:
      g_value_set_int (value, self->frame_rate.num);
      break;
    case PROP_FRAME_RATE_DEN:
      g_value_set_int (value, self->frame_rate.den);
      break;
    case PROP_ASPECT_RATIO:
      g_value_set_double (value, self->aspect_ratio);
      break;
    case PROP_SENSOR:
      g_value_set_string (value, self->sensor);
      break;
    case PROP_LOOK_PHRASE:
      g_value_set_string (value, self->look_phrase);
      break;
    case PROP_LOOK_IMAGE:
      g_value_set_string (value, self->look_image);
      break;
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, reel_project_get_modified (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_project_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ReelProject *self = REEL_PROJECT (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      reel_project_set_title (self, g_value_get_string (value));
      break;
    case PROP_FRAME_RATE_NUM:
      reel_project_set_frame_rate (self,
                                   REEL_FRAME_RATE_INIT (g_value_get_int (value),
                                                         self->frame_rate.den));
      break;
    case PROP_FRAME_RATE_DEN:
      reel_project_set_frame_rate (self,
                                   REEL_FRAME_RATE_INIT (self->frame_rate.num,
                                                         g_value_get_int (value)));
      break;
    case PROP_ASPECT_RATIO:
      reel_project_set_aspect_ratio (self, g_value_get_double (value));
      break;
    case PROP_SENSOR:
      reel_project_set_sensor (self, g_value_get_string (value));
      break;
    case PROP_LOOK_PHRASE:
      reel_project_set_look_phrase (self, g_value_get_string (value));
      break;
    case PROP_LOOK_IMAGE:
      reel_project_set_look_image (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_project_class_init (ReelProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = reel_project_dispose;
  object_class->finalize = reel_project_finalize;
  object_class->get_property = reel_project_get_property;
  object_class->set_property = reel_project_set_property;

  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, "", flags);
  properties[PROP_FRAME_RATE_NUM] =
    g_param_spec_int ("frame-rate-num", NULL, NULL, 1, G_MAXINT, 24, flags);
  properties[PROP_FRAME_RATE_DEN] =
    g_param_spec_int ("frame-rate-den", NULL, NULL, 1, G_MAXINT, 1, flags);
  properties[PROP_ASPECT_RATIO] =
    g_param_spec_double ("aspect-ratio", NULL, NULL, 0.1, 10.0, REEL_ASPECT_RATIO_DEFAULT, flags);
  properties[PROP_SENSOR] =
    g_param_spec_string ("sensor", NULL, NULL, REEL_OPTICS_DEFAULT_SENSOR, flags);
  properties[PROP_LOOK_PHRASE] = g_param_spec_string ("look-phrase", NULL, NULL, "", flags);
  properties[PROP_LOOK_IMAGE] = g_param_spec_string ("look-image", NULL, NULL, NULL, flags);
  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, REEL_TYPE_HISTORY,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ReelProject::changed:
   *
   * Something in the project changed: its fields, a scene, a shot, a sketch,
   * a plate, the asset store or the metadata.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
reel_project_init (ReelProject *self)
{
  self->title = g_strdup ("");
  self->frame_rate = REEL_FRAME_RATE_DEFAULT;
  self->aspect_ratio = REEL_ASPECT_RATIO_DEFAULT;
  self->sensor = g_strdup (REEL_OPTICS_DEFAULT_SENSOR);
  self->look_phrase = g_strdup ("");
  self->metadata = g_array_new (FALSE, FALSE, sizeof (MetadataEntry));
  g_array_set_clear_func (self->metadata, (GDestroyNotify) metadata_entry_clear);
  self->scenes = g_list_store_new (REEL_TYPE_SCENE);
  self->assets = g_hash_table_new (g_str_hash, g_str_equal);
  self->asset_order = g_ptr_array_new_with_free_func (g_object_unref);
  self->history = reel_history_new (REEL_HISTORY_DEFAULT_MAX_STEPS);
  g_signal_connect_object (self->history, "notify::at-saved",
                           G_CALLBACK (history_at_saved_cb), self, G_CONNECT_SWAPPED);
  self->revision = reel_revision_next ();
  self->content_revision = self->revision;
  /* A new, empty project has nothing worth saving yet. */
  self->saved_revision = self->revision;
}

ReelProject *
reel_project_new (void)
{
  return g_object_new (REEL_TYPE_PROJECT, NULL);
}

ReelProject *
reel_project_copy (ReelProject *self)
{
  ReelProject *copy;
  guint n;

  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  copy = reel_project_new ();
  reel_project_set_title (copy, self->title);
  reel_project_set_frame_rate (copy, self->frame_rate);
  reel_project_set_aspect_ratio (copy, self->aspect_ratio);
  reel_project_set_sensor (copy, self->sensor);
  reel_project_set_look_phrase (copy, self->look_phrase);
  reel_project_set_look_image (copy, self->look_image);

  for (guint i = 0; i < self->metadata->len; i++)
    {
      MetadataEntry *entry = &g_array_index (self->metadata, MetadataEntry, i);

      reel_project_set_metadata (copy, entry->key, entry->value);
    }

  for (guint i = 0; i < self->asset_order->len; i++)
    reel_project_add_asset (copy, g_ptr_array_index (self->asset_order, i));

  n = reel_project_get_n_scenes (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ReelScene) scene = reel_scene_copy (reel_project_get_scene (self, i));

      reel_project_append_scene (copy, scene);
    }

  reel_project_mark_saved (copy);

  return copy;
}

gboolean
reel_project_equal (ReelProject *a,
                    ReelProject *b)
{
  guint n;

  if (a == NULL || b == NULL)
    return a == b;
  if (a == b)
    return TRUE;

  if (!g_str_equal (a->title, b->title)
      || a->frame_rate.num != b->frame_rate.num
      || a->frame_rate.den != b->frame_rate.den
      || a->aspect_ratio != b->aspect_ratio
      || !g_str_equal (a->sensor, b->sensor)
      || !g_str_equal (a->look_phrase, b->look_phrase)
      || g_strcmp0 (a->look_image, b->look_image) != 0
      || a->metadata->len != b->metadata->len
      || a->asset_order->len != b->asset_order->len)
    return FALSE;

  for (guint i = 0; i < a->metadata->len; i++)
    {
      MetadataEntry *ea = &g_array_index (a->metadata, MetadataEntry, i);
      MetadataEntry *eb = &g_array_index (b->metadata, MetadataEntry, i);

      if (!g_str_equal (ea->key, eb->key) || !g_str_equal (ea->value, eb->value))
        return FALSE;
    }

  /* The store is a set: its order is not part of the document. */
  for (guint i = 0; i < a->asset_order->len; i++)
    {
      ReelAsset *asset = g_ptr_array_index (a->asset_order, i);

      if (!reel_asset_equal (asset, g_hash_table_lookup (b->assets, reel_asset_get_hash (asset))))
        return FALSE;
    }

  n = reel_project_get_n_scenes (a);
  if (n != reel_project_get_n_scenes (b))
    return FALSE;

  for (guint i = 0; i < n; i++)
    if (!reel_scene_equal (reel_project_get_scene (a, i), reel_project_get_scene (b, i)))
      return FALSE;

  return TRUE;
}

const char *
reel_project_get_title (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  return self->title;
}

void
reel_project_set_title (ReelProject *self,
                        const char  *title)
{
  g_return_if_fail (REEL_IS_PROJECT (self));

  set_string (self, &self->title, title != NULL ? title : "", PROP_TITLE);
}

ReelFrameRate
reel_project_get_frame_rate (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), REEL_FRAME_RATE_DEFAULT);

  return self->frame_rate;
}

void
reel_project_set_frame_rate (ReelProject   *self,
                             ReelFrameRate  rate)
{
  gboolean num_changed, den_changed;

  g_return_if_fail (REEL_IS_PROJECT (self));
  g_return_if_fail (reel_frame_rate_is_valid (rate));

  num_changed = self->frame_rate.num != rate.num;
  den_changed = self->frame_rate.den != rate.den;
  if (!num_changed && !den_changed)
    return;

  self->frame_rate = rate;
  mark_changed (self);

  g_object_freeze_notify (G_OBJECT (self));
  if (num_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAME_RATE_NUM]);
  if (den_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAME_RATE_DEN]);
  g_object_thaw_notify (G_OBJECT (self));
}

double
reel_project_get_aspect_ratio (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), REEL_ASPECT_RATIO_DEFAULT);

  return self->aspect_ratio;
}

void
reel_project_set_aspect_ratio (ReelProject *self,
                               double       aspect_ratio)
{
  g_return_if_fail (REEL_IS_PROJECT (self));

  aspect_ratio = CLAMP (aspect_ratio, 0.1, 10.0);
  if (self->aspect_ratio == aspect_ratio)
    return;

  self->aspect_ratio = aspect_ratio;
  notify_changed (self, PROP_ASPECT_RATIO);
}

const char *
reel_project_get_sensor (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  return self->sensor;
}

void
reel_project_set_sensor (ReelProject *self,
                         const char  *sensor_id)
{
  g_return_if_fail (REEL_IS_PROJECT (self));

  set_string (self, &self->sensor,
              sensor_id != NULL && sensor_id[0] != '\0' ? sensor_id : REEL_OPTICS_DEFAULT_SENSOR,
              PROP_SENSOR);
}

const char *
reel_project_get_look_phrase (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  return self->look_phrase;
}

void
reel_project_set_look_phrase (ReelProject *self,
                              const char  *look_phrase)
{
  g_return_if_fail (REEL_IS_PROJECT (self));

  set_string (self, &self->look_phrase, look_phrase != NULL ? look_phrase : "",
              PROP_LOOK_PHRASE);
}

const char *
reel_project_get_look_image (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  return self->look_image;
}

void
reel_project_set_look_image (ReelProject *self,
                             const char  *hash)
{
  g_return_if_fail (REEL_IS_PROJECT (self));

  set_string (self, &self->look_image, hash != NULL && hash[0] != '\0' ? hash : NULL,
              PROP_LOOK_IMAGE);
}

static int
find_metadata (ReelProject *self,
               const char  *key)
{
  for (guint i = 0; i < self->metadata->len; i++)
    if (g_str_equal (g_array_index (self->metadata, MetadataEntry, i).key, key))
      return (int) i;

  return -1;
}

const char *
reel_project_get_metadata (ReelProject *self,
                           const char  *key)
{
  int index;

  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  index = find_metadata (self, key);
  return index < 0 ? NULL : g_array_index (self->metadata, MetadataEntry, index).value;
}

void
reel_project_set_metadata (ReelProject *self,
                           const char  *key,
                           const char  *value)
{
  int index;

  g_return_if_fail (REEL_IS_PROJECT (self));
  g_return_if_fail (key != NULL && key[0] != '\0');

  index = find_metadata (self, key);
  if (value == NULL)
    {
      if (index < 0)
        return;
      g_array_remove_index (self->metadata, index);
    }
  else if (index >= 0)
    {
      if (!reel_set_str (&g_array_index (self->metadata, MetadataEntry, index).value, value))
        return;
    }
  else
    {
      MetadataEntry entry = { g_strdup (key), g_strdup (value) };

      g_array_append_val (self->metadata, entry);
    }

  mark_changed (self);
}

char **
reel_project_list_metadata_keys (ReelProject *self)
{
  char **keys;

  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  keys = g_new0 (char *, self->metadata->len + 1);
  for (guint i = 0; i < self->metadata->len; i++)
    keys[i] = g_strdup (g_array_index (self->metadata, MetadataEntry, i).key);

  return keys;
}

GStrv
reel_project_dup_metadata_pairs (ReelProject *self)
{
  char **pairs = g_new0 (char *, 2 * self->metadata->len + 1);

  for (guint i = 0; i < self->metadata->len; i++)
    {
      MetadataEntry *entry = &g_array_index (self->metadata, MetadataEntry, i);

      pairs[2 * i] = g_strdup (entry->key);
      pairs[2 * i + 1] = g_strdup (entry->value);
    }

  return pairs;
}

void
reel_project_set_metadata_pairs (ReelProject        *self,
                                 const char * const *pairs)
{
  g_array_set_size (self->metadata, 0);
  for (guint i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
    {
      MetadataEntry entry = { g_strdup (pairs[i]), g_strdup (pairs[i + 1]) };

      g_array_append_val (self->metadata, entry);
    }

  mark_changed (self);
}

GListModel *
reel_project_get_scenes (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  return G_LIST_MODEL (self->scenes);
}

guint
reel_project_get_n_scenes (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->scenes));
}

ReelScene *
reel_project_get_scene (ReelProject *self,
                        guint        position)
{
  g_autoptr(ReelScene) scene = NULL;

  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  /* Borrowed: the store keeps its reference. */
  scene = g_list_model_get_item (G_LIST_MODEL (self->scenes), position);
  return scene;
}

void
reel_project_insert_scene (ReelProject *self,
                           guint        position,
                           ReelScene   *scene)
{
  g_return_if_fail (REEL_IS_PROJECT (self));
  g_return_if_fail (REEL_IS_SCENE (scene));
  g_return_if_fail (reel_scene_get_project (scene) == NULL);

  position = MIN (position, reel_project_get_n_scenes (self));
  reel_scene_set_project (scene, self);
  mark_changed (self);
  g_list_store_insert (self->scenes, position, scene);
}

void
reel_project_append_scene (ReelProject *self,
                           ReelScene   *scene)
{
  reel_project_insert_scene (self, G_MAXUINT, scene);
}

ReelScene *
reel_project_remove_scene (ReelProject *self,
                           guint        position)
{
  ReelScene *scene;

  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);
  g_return_val_if_fail (position < reel_project_get_n_scenes (self), NULL);

  scene = g_list_model_get_item (G_LIST_MODEL (self->scenes), position);
  reel_scene_set_project (scene, NULL);
  mark_changed (self);
  g_list_store_remove (self->scenes, position);

  return scene;
}

void
reel_project_move_scene (ReelProject *self,
                         guint        from,
                         guint        to)
{
  g_autoptr(ReelScene) scene = NULL;
  guint n;

  g_return_if_fail (REEL_IS_PROJECT (self));

  n = reel_project_get_n_scenes (self);
  g_return_if_fail (from < n);
  to = MIN (to, n - 1);
  if (from == to)
    return;

  scene = g_list_model_get_item (G_LIST_MODEL (self->scenes), from);
  mark_changed (self);
  g_list_store_remove (self->scenes, from);
  g_list_store_insert (self->scenes, to, scene);
}

gboolean
reel_project_find_scene_position (ReelProject *self,
                                  ReelScene   *scene,
                                  guint       *out_position)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), FALSE);

  if (scene == NULL || reel_scene_get_project (scene) != self)
    return FALSE;

  return g_list_store_find (self->scenes, scene, out_position);
}

ReelScene *
reel_project_find_scene (ReelProject *self,
                         const char  *scene_id,
                         guint       *out_position)
{
  guint n;

  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  if (scene_id == NULL)
    return NULL;

  n = reel_project_get_n_scenes (self);
  for (guint i = 0; i < n; i++)
    {
      ReelScene *scene = reel_project_get_scene (self, i);

      if (g_str_equal (reel_scene_get_id (scene), scene_id))
        {
          if (out_position != NULL)
            *out_position = i;
          return scene;
        }
    }

  return NULL;
}

static void
rebuild_shot_index (ReelProject *self)
{
  guint n_scenes = reel_project_get_n_scenes (self);

  g_hash_table_remove_all (self->shot_index);
  for (guint i = 0; i < n_scenes; i++)
    {
      ReelScene *scene = reel_project_get_scene (self, i);
      guint n_shots = reel_scene_get_n_shots (scene);

      for (guint j = 0; j < n_shots; j++)
        {
          ReelShot *shot = reel_scene_get_shot (scene, j);

          g_hash_table_insert (self->shot_index, (gpointer) reel_shot_get_id (shot),
                               g_object_ref (shot));
        }
    }
}

static ReelShot *
lookup_indexed_shot (ReelProject *self,
                     const char  *shot_id)
{
  ReelShot *shot = g_hash_table_lookup (self->shot_index, shot_id);
  ReelScene *scene;

  /* The index may be stale: trust an entry only if the shot is still ours. */
  if (shot == NULL || (scene = reel_shot_get_scene (shot)) == NULL
      || reel_scene_get_project (scene) != self)
    return NULL;

  return shot;
}

ReelShot *
reel_project_find_shot (ReelProject  *self,
                        const char   *shot_id,
                        ReelScene   **out_scene,
                        guint        *out_position)
{
  ReelShot *shot;
  ReelScene *scene;

  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  if (shot_id == NULL)
    return NULL;

  if (self->shot_index == NULL)
    self->shot_index = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);

  shot = lookup_indexed_shot (self, shot_id);
  if (shot == NULL)
    {
      rebuild_shot_index (self);
      shot = lookup_indexed_shot (self, shot_id);
      if (shot == NULL)
        return NULL;
    }

  scene = reel_shot_get_scene (shot);
  if (out_scene != NULL)
    *out_scene = scene;
  if (out_position != NULL && !reel_scene_find_shot (scene, shot, out_position))
    g_return_val_if_reached (NULL);

  return shot;
}

guint
reel_project_get_n_shots (ReelProject *self)
{
  guint total = 0;
  guint n;

  g_return_val_if_fail (REEL_IS_PROJECT (self), 0);

  n = reel_project_get_n_scenes (self);
  for (guint i = 0; i < n; i++)
    total += reel_scene_get_n_shots (reel_project_get_scene (self, i));

  return total;
}

gint64
reel_project_get_duration (ReelProject *self)
{
  gint64 total = 0;
  guint n;

  g_return_val_if_fail (REEL_IS_PROJECT (self), 0);

  n = reel_project_get_n_scenes (self);
  for (guint i = 0; i < n; i++)
    total += reel_scene_get_duration (reel_project_get_scene (self, i));

  return total;
}

ReelAsset *
reel_project_add_asset (ReelProject *self,
                        ReelAsset   *asset)
{
  ReelAsset *stored;

  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);
  g_return_val_if_fail (REEL_IS_ASSET (asset), NULL);

  stored = g_hash_table_lookup (self->assets, reel_asset_get_hash (asset));
  if (stored != NULL)
    {
      ReelGenerationRecord * const *records;
      g_autoptr(GPtrArray) merged = NULL;
      ReelAsset *replacement;
      guint n, index;

      /* The same bytes from another request (two providers can return the same
       * ones): the asset keeps every record that produced it. */
      records = reel_asset_get_generations (asset, &n);
      for (guint i = 0; i < n; i++)
        if (!reel_asset_has_generation (stored, records[i]))
          {
            if (merged == NULL)
              {
                ReelGenerationRecord * const *old;
                guint n_old;

                old = reel_asset_get_generations (stored, &n_old);
                merged = g_ptr_array_new ();
                for (guint j = 0; j < n_old; j++)
                  g_ptr_array_add (merged, old[j]);
              }
            g_ptr_array_add (merged, records[i]);
          }
      if (merged == NULL)
        return stored;

      replacement = reel_asset_copy_with_generations (stored,
                                                      (ReelGenerationRecord * const *) merged->pdata,
                                                      merged->len);
      if (!g_ptr_array_find (self->asset_order, stored, &index))
        g_assert_not_reached ();
      g_hash_table_replace (self->assets, (gpointer) reel_asset_get_hash (replacement),
                            replacement);
      /* Last: the order owns the old one, whose hash was the table's key. */
      g_ptr_array_index (self->asset_order, index) = replacement;
      g_object_unref (stored);
      mark_changed (self);
      return replacement;
    }

  g_ptr_array_add (self->asset_order, g_object_ref (asset));
  g_hash_table_insert (self->assets, (gpointer) reel_asset_get_hash (asset), asset);
  mark_changed (self);

  return asset;
}

ReelAsset *
reel_project_lookup_asset (ReelProject *self,
                           const char  *hash)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  if (hash == NULL)
    return NULL;

  return g_hash_table_lookup (self->assets, hash);
}

gboolean
reel_project_remove_asset (ReelProject *self,
                           const char  *hash)
{
  ReelAsset *asset;

  g_return_val_if_fail (REEL_IS_PROJECT (self), FALSE);

  asset = reel_project_lookup_asset (self, hash);
  if (asset == NULL)
    return FALSE;

  g_hash_table_remove (self->assets, hash);
  g_ptr_array_remove (self->asset_order, asset);
  mark_changed (self);

  return TRUE;
}

typedef void (*HashFunc) (const char *hash,
                          gpointer    user_data);

/* Calls @func for every use of an asset's hash: the look image, what the history can
 * bring back (@held, filled here and kept by the caller: each once), every shot's
 * background, variants and generations, then, once per distinct hash of those, the
 * references its generation records were made from (part of its story). Hashes are
 * borrowed, never copied: every save runs this on the main thread. */
static void
foreach_referenced_hash (ReelProject *self,
                         GHashTable  *held,
                         HashFunc     func,
                         gpointer     user_data)
{
  g_autoptr(GHashTable) direct = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;
  guint n_scenes;

#define VISIT(hash)                                          \
  G_STMT_START {                                             \
    const char *visit_hash_ = (hash);                        \
    if (visit_hash_ != NULL && visit_hash_[0] != '\0')       \
      {                                                      \
        func (visit_hash_, user_data);                       \
        g_hash_table_add (direct, (gpointer) visit_hash_);   \
      }                                                      \
  } G_STMT_END

  VISIT (self->look_image);

  reel_history_collect_assets (self->history, held);
  g_hash_table_iter_init (&iter, held);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    VISIT (key);

  n_scenes = reel_project_get_n_scenes (self);
  for (guint i = 0; i < n_scenes; i++)
    {
      ReelScene *scene = reel_project_get_scene (self, i);
      guint n_shots = reel_scene_get_n_shots (scene);

      for (guint j = 0; j < n_shots; j++)
        {
          ReelShot *shot = reel_scene_get_shot (scene, j);
          const char * const *variants = reel_shot_get_variants (shot);
          const char * const *generations = reel_shot_get_generations (shot);

          VISIT (reel_shot_get_background (shot));
          for (guint k = 0; variants[k] != NULL; k++)
            VISIT (variants[k]);
          for (guint k = 0; generations[k] != NULL; k++)
            VISIT (generations[k]);
        }
    }
#undef VISIT

  g_hash_table_iter_init (&iter, direct);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      ReelAsset *asset = g_hash_table_lookup (self->assets, key);
      ReelGenerationRecord * const *records;
      guint n_records = 0;

      if (asset == NULL)
        continue;
      records = reel_asset_get_generations (asset, &n_records);
      for (guint r = 0; r < n_records; r++)
        for (guint k = 0; records[r]->input_hashes != NULL && records[r]->input_hashes[k] != NULL;
             k++)
          if (records[r]->input_hashes[k][0] != '\0')
            func (records[r]->input_hashes[k], user_data);
    }
}

static void
add_to_set (const char *hash,
            gpointer    user_data)
{
  g_hash_table_add (user_data, (gpointer) hash);
}

guint
reel_project_drop_unused_assets (ReelProject *self)
{
  g_autoptr(GHashTable) used = NULL;
  g_autoptr(GHashTable) held = NULL;
  guint dropped = 0;

  g_return_val_if_fail (REEL_IS_PROJECT (self), 0);

  used = g_hash_table_new (g_str_hash, g_str_equal);
  held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  foreach_referenced_hash (self, held, add_to_set, used);
  for (guint i = self->asset_order->len; i-- > 0;)
    {
      ReelAsset *asset = g_ptr_array_index (self->asset_order, i);
      const char *hash = reel_asset_get_hash (asset);

      if (g_hash_table_contains (used, hash))
        continue;
      g_hash_table_remove (self->assets, hash);
      g_ptr_array_remove_index (self->asset_order, i);
      dropped++;
    }

  return dropped;
}

guint
reel_project_get_n_assets (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), 0);

  return self->asset_order->len;
}

GPtrArray *
reel_project_list_assets (ReelProject *self)
{
  GPtrArray *assets;

  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  assets = g_ptr_array_new_full (self->asset_order->len, g_object_unref);
  for (guint i = 0; i < self->asset_order->len; i++)
    g_ptr_array_add (assets, g_object_ref (g_ptr_array_index (self->asset_order, i)));

  return assets;
}

/* Counts one more use of @hash. */
static void
count_use (const char *hash,
           gpointer    user_data)
{
  GHashTable *uses = user_data;
  gpointer count = g_hash_table_lookup (uses, hash);

  g_hash_table_insert (uses, g_strdup (hash), GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
}

GHashTable *
reel_project_collect_used_hashes (ReelProject *self)
{
  GHashTable *used;
  g_autoptr(GHashTable) held = NULL;

  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  foreach_referenced_hash (self, held, count_use, used);
  return used;
}

ReelHistory *
reel_project_get_history (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  return self->history;
}

guint64
reel_project_get_revision (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), 0);

  return self->revision;
}

guint64
reel_project_get_content_revision (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), 0);

  return self->content_revision;
}

gboolean
reel_project_get_modified (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), FALSE);

  return self->content_revision > self->saved_revision;
}

void
reel_project_mark_saved (ReelProject *self)
{
  gboolean was_modified;

  g_return_if_fail (REEL_IS_PROJECT (self));

  was_modified = reel_project_get_modified (self);
  self->saved_revision = self->content_revision;
  reel_history_mark_saved (self->history);

  if (was_modified)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

guint64
reel_project_get_saved_revision (ReelProject *self)
{
  g_return_val_if_fail (REEL_IS_PROJECT (self), 0);

  return self->saved_revision;
}
