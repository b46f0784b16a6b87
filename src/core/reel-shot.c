/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-shot"

#include "config.h"

#include "reel-camera.h"
#include "reel-core-private.h"
#include "reel-optics.h"
#include "reel-shot-camera.h"
#include "reel-shot.h"

#define DEFAULT_DURATION 48

struct _ReelShot
{
  GObject parent_instance;

  char *id;
  ReelScene *scene;   /* not owned: the scene clears it when it lets go */
  guint64 revision;

  char *number;
  char *description;
  char *dialogue;
  char *notes;
  char *cast;
  char *size;
  char *framing;
  char *angle;
  char *movement;
  double lens_mm;
  double camera_height_m;
  gint64 duration;
  char *status;
  char *vfx_notes;
  ReelSketch *sketch;
  char *background;
  char **variants;
  char **generations;
  ReelPlate *plate;
  ReelShotCamera *camera;
};

G_DEFINE_FINAL_TYPE (ReelShot, reel_shot, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NUMBER,
  PROP_DESCRIPTION,
  PROP_DIALOGUE,
  PROP_NOTES,
  PROP_CAST,
  PROP_SIZE,
  PROP_FRAMING,
  PROP_ANGLE,
  PROP_MOVEMENT,
  PROP_LENS_MM,
  PROP_CAMERA_HEIGHT_M,
  PROP_DURATION,
  PROP_STATUS,
  PROP_VFX_NOTES,
  PROP_SKETCH,
  PROP_BACKGROUND,
  PROP_VARIANTS,
  PROP_PLATE,
  PROP_GENERATIONS,
  PROP_CAMERA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mark_changed (ReelShot *self)
{
  self->revision = reel_revision_next ();
  if (self->scene != NULL)
    reel_scene_child_changed (self->scene, self->revision);
}

static void
notify_changed (ReelShot *self,
                guint     prop_id)
{
  mark_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_string (ReelShot    *self,
            char       **field,
            const char  *value,
            guint        prop_id)
{
  if (reel_set_str (field, value != NULL ? value : ""))
    notify_changed (self, prop_id);
}

static char **
string_field (ReelShot *self,
              guint     prop_id)
{
  switch (prop_id)
    {
    case PROP_NUMBER:
      return &self->number;
    case PROP_DESCRIPTION:
      return &self->description;
    case PROP_DIALOGUE:
      return &self->dialogue;
    case PROP_NOTES:
      return &self->notes;
    case PROP_CAST:
      return &self->cast;
    case PROP_SIZE:
      return &self->size;
    case PROP_FRAMING:
      return &self->framing;
    case PROP_ANGLE:
      return &self->angle;
    case PROP_MOVEMENT:
      return &self->movement;
    case PROP_STATUS:
      return &self->status;
    case PROP_VFX_NOTES:
      return &self->vfx_notes;
    default:
      return NULL;
    }
}

static void
on_sketch_changed (ReelShot *self)
{
  mark_changed (self);
}

static void
on_plate_notify (ReelShot *self)
{
  mark_changed (self);
}

static void
take_sketch (ReelShot   *self,
             ReelSketch *sketch)
{
  if (self->sketch != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->sketch, on_sketch_changed, self);
      g_object_unref (self->sketch);
    }

  self->sketch = sketch;
  g_signal_connect_swapped (self->sketch, "changed", G_CALLBACK (on_sketch_changed), self);
}

static void
reel_shot_dispose (GObject *object)
{
  ReelShot *self = REEL_SHOT (object);

  if (self->sketch != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->sketch, on_sketch_changed, self);
      g_clear_object (&self->sketch);
    }
  if (self->plate != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->plate, on_plate_notify, self);
      g_clear_object (&self->plate);
    }

  G_OBJECT_CLASS (reel_shot_parent_class)->dispose (object);
}

static void
reel_shot_finalize (GObject *object)
{
  ReelShot *self = REEL_SHOT (object);

  g_free (self->id);
  g_free (self->number);
  g_free (self->description);
  g_free (self->dialogue);
  g_free (self->notes);
  g_free (self->cast);
  g_free (self->size);
  g_free (self->framing);
  g_free (self->angle);
  g_free (self->movement);
  g_free (self->status);
  g_free (self->vfx_notes);
  g_free (self->background);
  g_strfreev (self->variants);
  g_strfreev (self->generations);
  g_clear_pointer (&self->camera, reel_shot_camera_free);

  G_OBJECT_CLASS (reel_shot_parent_class)->finalize (object);
}

static void
reel_shot_constructed (GObject *object)
{
  ReelShot *self = REEL_SHOT (object);

  G_OBJECT_CLASS (reel_shot_parent_class)->constructed (object);

  if (self->id == NULL || self->id[0] == '\0')
    {
      g_free (self->id);
      self->id = g_uuid_string_random ();
    }
}

static void
reel_shot_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  ReelShot *self = REEL_SHOT (object);
  char **field = string_field (self, prop_id);

  if (field != NULL)
    {
      g_value_set_string (value, *field);
      return;
    }

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_LENS_MM:
      g_value_set_double (value, self->lens_mm);
      break;
    case PROP_CAMERA_HEIGHT_M:
      g_value_set_double (value, self->camera_height_m);
      break;
    case PROP_DURATION:
      g_value_set_int64 (value, self->duration);
      break;
    case PROP_SKETCH:
      g_value_set_object (value, self->sketch);
      break;
    case PROP_BACKGROUND:
      g_value_set_string (value, self->background);
      break;
    case PROP_VARIANTS:
      g_value_set_boxed (value, self->variants);
      break;
    case PROP_PLATE:
      g_value_set_object (value, self->plate);
      break;
    case PROP_GENERATIONS:
      g_value_set_boxed (value, self->generations);
      break;
    case PROP_CAMERA:
      g_value_set_boxed (value, self->camera);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_shot_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  ReelShot *self = REEL_SHOT (object);
  char **field = string_field (self, prop_id);

  if (field != NULL)
    {
      set_string (self, field, g_value_get_string (value), prop_id);
      return;
    }

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_LENS_MM:
      reel_shot_set_lens_mm (self, g_value_get_double (value));
      break;
    case PROP_CAMERA_HEIGHT_M:
      reel_shot_set_camera_height_m (self, g_value_get_double (value));
      break;
    case PROP_DURATION:
      reel_shot_set_duration (self, g_value_get_int64 (value));
      break;
    case PROP_BACKGROUND:
      reel_shot_set_background (self, g_value_get_string (value));
      break;
    case PROP_VARIANTS:
      reel_shot_set_variants (self, g_value_get_boxed (value));
      break;
    case PROP_PLATE:
      reel_shot_set_plate (self, g_value_get_object (value));
      break;
    case PROP_GENERATIONS:
      reel_shot_set_generations (self, g_value_get_boxed (value));
      break;
    case PROP_CAMERA:
      reel_shot_set_camera (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_shot_class_init (ReelShotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = reel_shot_dispose;
  object_class->finalize = reel_shot_finalize;
  object_class->constructed = reel_shot_constructed;
  object_class->get_property = reel_shot_get_property;
  object_class->set_property = reel_shot_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NUMBER] = g_param_spec_string ("number", NULL, NULL, "", flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, "", flags);
  properties[PROP_DIALOGUE] = g_param_spec_string ("dialogue", NULL, NULL, "", flags);
  properties[PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, "", flags);
  properties[PROP_CAST] = g_param_spec_string ("cast", NULL, NULL, "", flags);
  properties[PROP_SIZE] =
    g_param_spec_string ("size", NULL, NULL, REEL_CAMERA_DEFAULT_SIZE, flags);
  properties[PROP_FRAMING] =
    g_param_spec_string ("framing", NULL, NULL, REEL_CAMERA_DEFAULT_FRAMING, flags);
  properties[PROP_ANGLE] =
    g_param_spec_string ("angle", NULL, NULL, REEL_CAMERA_DEFAULT_ANGLE, flags);
  properties[PROP_MOVEMENT] =
    g_param_spec_string ("movement", NULL, NULL, REEL_CAMERA_DEFAULT_MOVEMENT, flags);
  properties[PROP_LENS_MM] =
    g_param_spec_double ("lens-mm", NULL, NULL, 1, 2000, REEL_CAMERA_DEFAULT_LENS_MM, flags);
  properties[PROP_CAMERA_HEIGHT_M] =
    g_param_spec_double ("camera-height-m", NULL, NULL, -1000, 100000,
                         REEL_CAMERA_DEFAULT_HEIGHT_M, flags);
  properties[PROP_DURATION] =
    g_param_spec_int64 ("duration", NULL, NULL, 1, G_MAXINT64, DEFAULT_DURATION, flags);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, REEL_CAMERA_DEFAULT_STATUS, flags);
  properties[PROP_VFX_NOTES] = g_param_spec_string ("vfx-notes", NULL, NULL, "", flags);
  properties[PROP_SKETCH] =
    g_param_spec_object ("sketch", NULL, NULL, REEL_TYPE_SKETCH,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BACKGROUND] = g_param_spec_string ("background", NULL, NULL, NULL, flags);
  properties[PROP_VARIANTS] = g_param_spec_boxed ("variants", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_PLATE] = g_param_spec_object ("plate", NULL, NULL, REEL_TYPE_PLATE, flags);
  properties[PROP_GENERATIONS] =
    g_param_spec_boxed ("generations", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_CAMERA] =
    g_param_spec_boxed ("camera", NULL, NULL, REEL_TYPE_SHOT_CAMERA, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
reel_shot_init (ReelShot *self)
{
  self->number = g_strdup ("");
  self->description = g_strdup ("");
  self->dialogue = g_strdup ("");
  self->notes = g_strdup ("");
  self->cast = g_strdup ("");
  self->size = g_strdup (REEL_CAMERA_DEFAULT_SIZE);
  self->framing = g_strdup (REEL_CAMERA_DEFAULT_FRAMING);
  self->angle = g_strdup (REEL_CAMERA_DEFAULT_ANGLE);
  self->movement = g_strdup (REEL_CAMERA_DEFAULT_MOVEMENT);
  self->lens_mm = REEL_CAMERA_DEFAULT_LENS_MM;
  self->camera_height_m = REEL_CAMERA_DEFAULT_HEIGHT_M;
  self->duration = DEFAULT_DURATION;
  self->status = g_strdup (REEL_CAMERA_DEFAULT_STATUS);
  self->vfx_notes = g_strdup ("");
  self->variants = g_new0 (char *, 1);
  self->generations = g_new0 (char *, 1);
  self->revision = reel_revision_next ();
  take_sketch (self, reel_sketch_new ());
}

ReelShot *
reel_shot_new (void)
{
  return g_object_new (REEL_TYPE_SHOT, NULL);
}

ReelShot *
reel_shot_new_with_id (const char *id)
{
  return g_object_new (REEL_TYPE_SHOT, "id", id, NULL);
}

static ReelShot *
copy_with_id (ReelShot   *self,
              const char *id)
{
  ReelShot *copy = reel_shot_new_with_id (id);

  copy->number = (g_free (copy->number), g_strdup (self->number));
  copy->description = (g_free (copy->description), g_strdup (self->description));
  copy->dialogue = (g_free (copy->dialogue), g_strdup (self->dialogue));
  copy->notes = (g_free (copy->notes), g_strdup (self->notes));
  copy->cast = (g_free (copy->cast), g_strdup (self->cast));
  copy->size = (g_free (copy->size), g_strdup (self->size));
  copy->framing = (g_free (copy->framing), g_strdup (self->framing));
  copy->angle = (g_free (copy->angle), g_strdup (self->angle));
  copy->movement = (g_free (copy->movement), g_strdup (self->movement));
  copy->lens_mm = self->lens_mm;
  copy->camera_height_m = self->camera_height_m;
  copy->duration = self->duration;
  copy->status = (g_free (copy->status), g_strdup (self->status));
  copy->vfx_notes = (g_free (copy->vfx_notes), g_strdup (self->vfx_notes));
  copy->background = g_strdup (self->background);
  copy->variants = (g_strfreev (copy->variants), g_strdupv (self->variants));
  copy->generations = (g_strfreev (copy->generations), g_strdupv (self->generations));
  take_sketch (copy, reel_sketch_copy (self->sketch));
  if (self->plate != NULL)
    {
      g_autoptr(ReelPlate) plate = reel_plate_copy (self->plate);

      reel_shot_set_plate (copy, plate);
    }

  if (self->camera != NULL)
    copy->camera = reel_shot_camera_copy (self->camera);

  return copy;
}

ReelShot *
reel_shot_copy (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  return copy_with_id (self, self->id);
}

ReelShot *
reel_shot_duplicate (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  return copy_with_id (self, NULL);
}

gboolean
reel_shot_equal (ReelShot *a,
                 ReelShot *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a == b)
    return TRUE;

  return g_str_equal (a->id, b->id)
         && g_str_equal (a->number, b->number)
         && g_str_equal (a->description, b->description)
         && g_str_equal (a->dialogue, b->dialogue)
         && g_str_equal (a->notes, b->notes)
         && g_str_equal (a->cast, b->cast)
         && g_str_equal (a->size, b->size)
         && g_str_equal (a->framing, b->framing)
         && g_str_equal (a->angle, b->angle)
         && g_str_equal (a->movement, b->movement)
         && a->lens_mm == b->lens_mm
         && a->camera_height_m == b->camera_height_m
         && a->duration == b->duration
         && g_str_equal (a->status, b->status)
         && g_str_equal (a->vfx_notes, b->vfx_notes)
         && g_strcmp0 (a->background, b->background) == 0
         && g_strv_equal ((const char * const *) a->variants,
                          (const char * const *) b->variants)
         && g_strv_equal ((const char * const *) a->generations,
                          (const char * const *) b->generations)
         && reel_plate_equal (a->plate, b->plate)
         && reel_shot_camera_equal (a->camera, b->camera)
         && reel_sketch_equal (a->sketch, b->sketch);
}

const char *
reel_shot_get_id (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  return self->id;
}

ReelScene *
reel_shot_get_scene (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  return self->scene;
}

void
reel_shot_set_scene (ReelShot  *self,
                     ReelScene *scene)
{
  g_return_if_fail (REEL_IS_SHOT (self));

  self->scene = scene;
}

#define STRING_ACCESSORS(name, PROP)                                           \
  const char *                                                                 \
  reel_shot_get_##name (ReelShot *self)                                        \
  {                                                                            \
    g_return_val_if_fail (REEL_IS_SHOT (self), NULL);                          \
    return self->name;                                                         \
  }                                                                            \
  void                                                                         \
  reel_shot_set_##name (ReelShot   *self,                                      \
                        const char *value)                                     \
  {                                                                            \
    g_return_if_fail (REEL_IS_SHOT (self));                                    \
    set_string (self, &self->name, value, PROP);                               \
  }

STRING_ACCESSORS (number, PROP_NUMBER)
STRING_ACCESSORS (description, PROP_DESCRIPTION)
STRING_ACCESSORS (dialogue, PROP_DIALOGUE)
STRING_ACCESSORS (notes, PROP_NOTES)
STRING_ACCESSORS (cast, PROP_CAST)
STRING_ACCESSORS (size, PROP_SIZE)
STRING_ACCESSORS (framing, PROP_FRAMING)
STRING_ACCESSORS (angle, PROP_ANGLE)
STRING_ACCESSORS (movement, PROP_MOVEMENT)
STRING_ACCESSORS (status, PROP_STATUS)
STRING_ACCESSORS (vfx_notes, PROP_VFX_NOTES)

double
reel_shot_get_lens_mm (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), 0);

  return self->lens_mm;
}

void
reel_shot_set_lens_mm (ReelShot *self,
                       double    lens_mm)
{
  g_return_if_fail (REEL_IS_SHOT (self));

  lens_mm = CLAMP (lens_mm, 1.0, 2000.0);
  if (self->lens_mm == lens_mm)
    return;

  self->lens_mm = lens_mm;
  notify_changed (self, PROP_LENS_MM);
}

double
reel_shot_get_camera_height_m (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), 0);

  return self->camera_height_m;
}

void
reel_shot_set_camera_height_m (ReelShot *self,
                               double    height_m)
{
  g_return_if_fail (REEL_IS_SHOT (self));

  height_m = CLAMP (height_m, -1000.0, 100000.0);
  if (self->camera_height_m == height_m)
    return;

  self->camera_height_m = height_m;
  notify_changed (self, PROP_CAMERA_HEIGHT_M);
}

gint64
reel_shot_get_duration (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), 0);

  return self->duration;
}

void
reel_shot_set_duration (ReelShot *self,
                        gint64    frames)
{
  g_return_if_fail (REEL_IS_SHOT (self));

  frames = MAX (frames, 1);
  if (self->duration == frames)
    return;

  self->duration = frames;
  notify_changed (self, PROP_DURATION);
}

ReelSketch *
reel_shot_get_sketch (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  return self->sketch;
}

const char *
reel_shot_get_background (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  return self->background;
}

void
reel_shot_set_background (ReelShot   *self,
                          const char *hash)
{
  g_return_if_fail (REEL_IS_SHOT (self));

  if (hash != NULL && hash[0] == '\0')
    hash = NULL;

  if (reel_set_str (&self->background, hash))
    notify_changed (self, PROP_BACKGROUND);
}

static gboolean
replace_strv (char               ***field,
              const char * const   *value)
{
  static const char * const empty[] = { NULL };

  if (value == NULL)
    value = empty;

  if (g_strv_equal ((const char * const *) *field, value))
    return FALSE;

  g_strfreev (*field);
  *field = g_strdupv ((char **) value);

  return TRUE;
}

const char * const *
reel_shot_get_variants (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  return (const char * const *) self->variants;
}

guint
reel_shot_get_n_variants (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), 0);

  return g_strv_length (self->variants);
}

void
reel_shot_set_variants (ReelShot           *self,
                        const char * const *hashes)
{
  g_return_if_fail (REEL_IS_SHOT (self));

  if (replace_strv (&self->variants, hashes))
    notify_changed (self, PROP_VARIANTS);
}

int
reel_shot_find_variant (ReelShot   *self,
                        const char *hash)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), -1);

  if (hash == NULL)
    return -1;

  for (guint i = 0; self->variants[i] != NULL; i++)
    if (g_str_equal (self->variants[i], hash))
      return (int) i;

  return -1;
}

gboolean
reel_shot_insert_variant (ReelShot   *self,
                          int         position,
                          const char *hash)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  guint n;

  g_return_val_if_fail (REEL_IS_SHOT (self), FALSE);
  g_return_val_if_fail (hash != NULL && hash[0] != '\0', FALSE);

  if (reel_shot_find_variant (self, hash) >= 0)
    return FALSE;

  n = g_strv_length (self->variants);
  if (position < 0 || (guint) position > n)
    position = n;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < n; i++)
    {
      if (i == (guint) position)
        g_strv_builder_add (builder, hash);
      g_strv_builder_add (builder, self->variants[i]);
    }
  if ((guint) position == n)
    g_strv_builder_add (builder, hash);

  g_strfreev (self->variants);
  self->variants = g_strv_builder_end (builder);
  notify_changed (self, PROP_VARIANTS);

  return TRUE;
}

static void
strv_remove_index (char  **strv,
                   guint   index)
{
  g_free (strv[index]);
  for (guint i = index; strv[i] != NULL; i++)
    strv[i] = strv[i + 1];
}

gboolean
reel_shot_remove_variant (ReelShot   *self,
                          const char *hash)
{
  int index;

  g_return_val_if_fail (REEL_IS_SHOT (self), FALSE);

  index = reel_shot_find_variant (self, hash);
  if (index < 0)
    return FALSE;

  strv_remove_index (self->variants, index);
  notify_changed (self, PROP_VARIANTS);

  return TRUE;
}

const char * const *
reel_shot_get_generations (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  return (const char * const *) self->generations;
}

guint
reel_shot_get_n_generations (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), 0);

  return g_strv_length (self->generations);
}

void
reel_shot_set_generations (ReelShot           *self,
                           const char * const *hashes)
{
  g_return_if_fail (REEL_IS_SHOT (self));

  if (replace_strv (&self->generations, hashes))
    notify_changed (self, PROP_GENERATIONS);
}

void
reel_shot_add_generation (ReelShot   *self,
                          const char *hash)
{
  guint n;

  g_return_if_fail (REEL_IS_SHOT (self));
  g_return_if_fail (hash != NULL && hash[0] != '\0');

  n = g_strv_length (self->generations);
  self->generations = g_renew (char *, self->generations, n + 2);
  self->generations[n] = g_strdup (hash);
  self->generations[n + 1] = NULL;
  notify_changed (self, PROP_GENERATIONS);
}

gboolean
reel_shot_remove_generation (ReelShot   *self,
                             const char *hash)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), FALSE);

  if (hash == NULL)
    return FALSE;

  for (guint i = g_strv_length (self->generations); i-- > 0;)
    {
      if (g_str_equal (self->generations[i], hash))
        {
          strv_remove_index (self->generations, i);
          notify_changed (self, PROP_GENERATIONS);
          return TRUE;
        }
    }

  return FALSE;
}

ReelPlate *
reel_shot_get_plate (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  return self->plate;
}

void
reel_shot_set_plate (ReelShot  *self,
                     ReelPlate *plate)
{
  g_return_if_fail (REEL_IS_SHOT (self));
  g_return_if_fail (plate == NULL || REEL_IS_PLATE (plate));

  if (self->plate == plate)
    return;

  if (self->plate != NULL)
    g_signal_handlers_disconnect_by_func (self->plate, on_plate_notify, self);

  g_set_object (&self->plate, plate);

  if (self->plate != NULL)
    g_signal_connect_swapped (self->plate, "notify", G_CALLBACK (on_plate_notify), self);

  notify_changed (self, PROP_PLATE);
}

double
reel_shot_get_field_of_view (ReelShot   *self,
                             const char *sensor_id)
{
  const ReelSensor *sensor;

  g_return_val_if_fail (REEL_IS_SHOT (self), 0);

  sensor = reel_optics_sensor_lookup_or_default (sensor_id);
  return reel_optics_horizontal_fov (sensor->width_mm, self->lens_mm);
}

guint64
reel_shot_get_revision (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), 0);

  return self->revision;
}

/**
 * reel_shot_get_camera:
 *
 * Returns: (transfer none) (nullable): the shot's camera in the scene's set
 */
const ReelShotCamera *
reel_shot_get_camera (ReelShot *self)
{
  g_return_val_if_fail (REEL_IS_SHOT (self), NULL);

  return self->camera;
}

void
reel_shot_set_camera (ReelShot             *self,
                      const ReelShotCamera *camera)
{
  g_return_if_fail (REEL_IS_SHOT (self));

  if (reel_shot_camera_equal (self->camera, camera))
    return;

  g_clear_pointer (&self->camera, reel_shot_camera_free);
  if (camera != NULL)
    self->camera = reel_shot_camera_copy (camera);
  notify_changed (self, PROP_CAMERA);
}
