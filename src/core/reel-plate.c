/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-plate"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reel-core-private.h"
#include "reel-plate.h"

#define HASH_CHUNK (1024 * 1024)

struct _ReelPlate
{
  GObject parent_instance;

  char *path;
  gint64 file_size;
  char *hash;
  gint64 duration;
  int width;
  int height;
  guint key_color;
  double similarity;
  double softness;
  double spill;
  double background_scale;
  double background_x;
  double background_y;
  double plate_scale;
  double plate_x;
  double plate_y;
  gboolean muted;
};

G_DEFINE_FINAL_TYPE (ReelPlate, reel_plate, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_FILE_SIZE,
  PROP_HASH,
  PROP_DURATION,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_KEY_COLOR,
  PROP_SIMILARITY,
  PROP_SOFTNESS,
  PROP_SPILL,
  PROP_BACKGROUND_SCALE,
  PROP_BACKGROUND_X,
  PROP_BACKGROUND_Y,
  PROP_PLATE_SCALE,
  PROP_PLATE_X,
  PROP_PLATE_Y,
  PROP_MUTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_string (ReelPlate   *self,
            char       **field,
            const char  *value,
            guint        prop_id)
{
  if (reel_set_str (field, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_double (ReelPlate *self,
            double    *field,
            double     value,
            guint      prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_int64 (ReelPlate *self,
           gint64    *field,
           gint64     value,
           guint      prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_int (ReelPlate *self,
         int       *field,
         int        value,
         guint      prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static double *
double_field (ReelPlate *self,
              guint      prop_id)
{
  switch (prop_id)
    {
    case PROP_SIMILARITY:
      return &self->similarity;
    case PROP_SOFTNESS:
      return &self->softness;
    case PROP_SPILL:
      return &self->spill;
    case PROP_BACKGROUND_SCALE:
      return &self->background_scale;
    case PROP_BACKGROUND_X:
      return &self->background_x;
    case PROP_BACKGROUND_Y:
      return &self->background_y;
    case PROP_PLATE_SCALE:
      return &self->plate_scale;
    case PROP_PLATE_X:
      return &self->plate_x;
    case PROP_PLATE_Y:
      return &self->plate_y;
    default:
      return NULL;
    }
}

static void
reel_plate_finalize (GObject *object)
{
  ReelPlate *self = REEL_PLATE (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->hash, g_free);

  G_OBJECT_CLASS (reel_plate_parent_class)->finalize (object);
}

static void
reel_plate_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ReelPlate *self = REEL_PLATE (object);
  double *field = double_field (self, prop_id);

  if (field != NULL)
    {
      g_value_set_double (value, *field);
      return;
    }

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_FILE_SIZE:
      g_value_set_int64 (value, self->file_size);
      break;
    case PROP_HASH:
      g_value_set_string (value, self->hash);
      break;
    case PROP_DURATION:
      g_value_set_int64 (value, self->duration);
      break;
    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;
    case PROP_HEIGHT:
      g_value_set_int (value, self->height);
      break;
    case PROP_KEY_COLOR:
      g_value_set_uint (value, self->key_color);
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_plate_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  ReelPlate *self = REEL_PLATE (object);
  double *field = double_field (self, prop_id);

  if (field != NULL)
    {
      set_double (self, field, g_value_get_double (value), prop_id);
      return;
    }

  switch (prop_id)
    {
    case PROP_PATH:
      reel_plate_set_path (self, g_value_get_string (value));
      break;
    case PROP_FILE_SIZE:
      reel_plate_set_file_size (self, g_value_get_int64 (value));
      break;
    case PROP_HASH:
      reel_plate_set_hash (self, g_value_get_string (value));
      break;
    case PROP_DURATION:
      reel_plate_set_duration (self, g_value_get_int64 (value));
      break;
    case PROP_WIDTH:
      set_int (self, &self->width, g_value_get_int (value), PROP_WIDTH);
      break;
    case PROP_HEIGHT:
      set_int (self, &self->height, g_value_get_int (value), PROP_HEIGHT);
      break;
    case PROP_KEY_COLOR:
      reel_plate_set_key_color (self, g_value_get_uint (value));
      break;
    case PROP_MUTED:
      reel_plate_set_muted (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
double_pspec (const char *name,
              double      minimum,
              double      maximum,
              double      default_value)
{
  return g_param_spec_double (name, NULL, NULL, minimum, maximum, default_value,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                              | G_PARAM_STATIC_STRINGS);
}

static void
reel_plate_class_init (ReelPlateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = reel_plate_finalize;
  object_class->get_property = reel_plate_get_property;
  object_class->set_property = reel_plate_set_property;

  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, "", flags);
  properties[PROP_FILE_SIZE] =
    g_param_spec_int64 ("file-size", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_HASH] = g_param_spec_string ("hash", NULL, NULL, NULL, flags);
  properties[PROP_DURATION] =
    g_param_spec_int64 ("duration", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_WIDTH] = g_param_spec_int ("width", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_HEIGHT] = g_param_spec_int ("height", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_KEY_COLOR] =
    g_param_spec_uint ("key-color", NULL, NULL, 0, 0xffffff, REEL_PLATE_DEFAULT_KEY_COLOR, flags);
  properties[PROP_SIMILARITY] = double_pspec ("similarity", 0, 1, 0.4);
  properties[PROP_SOFTNESS] = double_pspec ("softness", 0, 1, 0.1);
  properties[PROP_SPILL] = double_pspec ("spill", 0, 1, 0.5);
  properties[PROP_BACKGROUND_SCALE] = double_pspec ("background-scale", 0.01, 100, 1);
  properties[PROP_BACKGROUND_X] = double_pspec ("background-x", -100, 100, 0);
  properties[PROP_BACKGROUND_Y] = double_pspec ("background-y", -100, 100, 0);
  properties[PROP_PLATE_SCALE] = double_pspec ("plate-scale", 0.01, 100, 1);
  properties[PROP_PLATE_X] = double_pspec ("plate-x", -100, 100, 0);
  properties[PROP_PLATE_Y] = double_pspec ("plate-y", -100, 100, 0);
  properties[PROP_MUTED] = g_param_spec_boolean ("muted", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
reel_plate_init (ReelPlate *self)
{
  self->path = g_strdup ("");
  self->file_size = -1;
  self->duration = -1;
  self->key_color = REEL_PLATE_DEFAULT_KEY_COLOR;
  self->similarity = 0.4;
  self->softness = 0.1;
  self->spill = 0.5;
  self->background_scale = 1.0;
  self->plate_scale = 1.0;
}

ReelPlate *
reel_plate_new (const char *path)
{
  return g_object_new (REEL_TYPE_PLATE, "path", path != NULL ? path : "", NULL);
}

ReelPlate *
reel_plate_copy (ReelPlate *self)
{
  ReelPlate *copy;

  g_return_val_if_fail (REEL_IS_PLATE (self), NULL);

  copy = reel_plate_new (self->path);
  copy->file_size = self->file_size;
  copy->hash = g_strdup (self->hash);
  copy->duration = self->duration;
  copy->width = self->width;
  copy->height = self->height;
  copy->key_color = self->key_color;
  copy->similarity = self->similarity;
  copy->softness = self->softness;
  copy->spill = self->spill;
  copy->background_scale = self->background_scale;
  copy->background_x = self->background_x;
  copy->background_y = self->background_y;
  copy->plate_scale = self->plate_scale;
  copy->plate_x = self->plate_x;
  copy->plate_y = self->plate_y;
  copy->muted = self->muted;

  return copy;
}

gboolean
reel_plate_equal (ReelPlate *a,
                  ReelPlate *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a == b)
    return TRUE;

  return g_strcmp0 (a->path, b->path) == 0
         && a->file_size == b->file_size
         && g_strcmp0 (a->hash, b->hash) == 0
         && a->duration == b->duration
         && a->width == b->width
         && a->height == b->height
         && a->key_color == b->key_color
         && a->similarity == b->similarity
         && a->softness == b->softness
         && a->spill == b->spill
         && a->background_scale == b->background_scale
         && a->background_x == b->background_x
         && a->background_y == b->background_y
         && a->plate_scale == b->plate_scale
         && a->plate_x == b->plate_x
         && a->plate_y == b->plate_y
         && a->muted == b->muted;
}

const char *
reel_plate_get_path (ReelPlate *self)
{
  g_return_val_if_fail (REEL_IS_PLATE (self), NULL);

  return self->path;
}

void
reel_plate_set_path (ReelPlate  *self,
                     const char *path)
{
  g_return_if_fail (REEL_IS_PLATE (self));

  set_string (self, &self->path, path != NULL ? path : "", PROP_PATH);
}

gint64
reel_plate_get_file_size (ReelPlate *self)
{
  g_return_val_if_fail (REEL_IS_PLATE (self), -1);

  return self->file_size;
}

void
reel_plate_set_file_size (ReelPlate *self,
                          gint64     file_size)
{
  g_return_if_fail (REEL_IS_PLATE (self));

  set_int64 (self, &self->file_size, MAX (file_size, -1), PROP_FILE_SIZE);
}

const char *
reel_plate_get_hash (ReelPlate *self)
{
  g_return_val_if_fail (REEL_IS_PLATE (self), NULL);

  return self->hash;
}

void
reel_plate_set_hash (ReelPlate  *self,
                     const char *hash)
{
  g_return_if_fail (REEL_IS_PLATE (self));

  set_string (self, &self->hash, hash, PROP_HASH);
}

gint64
reel_plate_get_duration (ReelPlate *self)
{
  g_return_val_if_fail (REEL_IS_PLATE (self), -1);

  return self->duration;
}

void
reel_plate_set_duration (ReelPlate *self,
                         gint64     duration_ns)
{
  g_return_if_fail (REEL_IS_PLATE (self));

  set_int64 (self, &self->duration, MAX (duration_ns, -1), PROP_DURATION);
}

int
reel_plate_get_width (ReelPlate *self)
{
  g_return_val_if_fail (REEL_IS_PLATE (self), 0);

  return self->width;
}

int
reel_plate_get_height (ReelPlate *self)
{
  g_return_val_if_fail (REEL_IS_PLATE (self), 0);

  return self->height;
}

void
reel_plate_set_size (ReelPlate *self,
                     int        width,
                     int        height)
{
  g_return_if_fail (REEL_IS_PLATE (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_int (self, &self->width, MAX (width, 0), PROP_WIDTH);
  set_int (self, &self->height, MAX (height, 0), PROP_HEIGHT);
  g_object_thaw_notify (G_OBJECT (self));
}

guint
reel_plate_get_key_color (ReelPlate *self)
{
  g_return_val_if_fail (REEL_IS_PLATE (self), 0);

  return self->key_color;
}

void
reel_plate_set_key_color (ReelPlate *self,
                          guint      rgb)
{
  g_return_if_fail (REEL_IS_PLATE (self));

  rgb &= 0xffffff;
  if (self->key_color == rgb)
    return;

  self->key_color = rgb;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_COLOR]);
}

#define DOUBLE_ACCESSORS(name, PROP, lo, hi)                                   \
  double                                                                       \
  reel_plate_get_##name (ReelPlate *self)                                      \
  {                                                                            \
    g_return_val_if_fail (REEL_IS_PLATE (self), 0);                            \
    return self->name;                                                         \
  }                                                                            \
  void                                                                         \
  reel_plate_set_##name (ReelPlate *self,                                      \
                         double     value)                                     \
  {                                                                            \
    g_return_if_fail (REEL_IS_PLATE (self));                                   \
    set_double (self, &self->name, CLAMP (value, lo, hi), PROP);               \
  }

DOUBLE_ACCESSORS (similarity, PROP_SIMILARITY, 0.0, 1.0)
DOUBLE_ACCESSORS (softness, PROP_SOFTNESS, 0.0, 1.0)
DOUBLE_ACCESSORS (spill, PROP_SPILL, 0.0, 1.0)
DOUBLE_ACCESSORS (background_scale, PROP_BACKGROUND_SCALE, 0.01, 100.0)
DOUBLE_ACCESSORS (plate_scale, PROP_PLATE_SCALE, 0.01, 100.0)

double
reel_plate_get_background_x (ReelPlate *self)
{
  g_return_val_if_fail (REEL_IS_PLATE (self), 0);

  return self->background_x;
}

double
reel_plate_get_background_y (ReelPlate *self)
{
  g_return_val_if_fail (REEL_IS_PLATE (self), 0);

  return self->background_y;
}

void
reel_plate_set_background_offset (ReelPlate *self,
                                  double     x,
                                  double     y)
{
  g_return_if_fail (REEL_IS_PLATE (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_double (self, &self->background_x, CLAMP (x, -100.0, 100.0), PROP_BACKGROUND_X);
  set_double (self, &self->background_y, CLAMP (y, -100.0, 100.0), PROP_BACKGROUND_Y);
  g_object_thaw_notify (G_OBJECT (self));
}

double
reel_plate_get_plate_x (ReelPlate *self)
{
  g_return_val_if_fail (REEL_IS_PLATE (self), 0);

  return self->plate_x;
}

double
reel_plate_get_plate_y (ReelPlate *self)
{
  g_return_val_if_fail (REEL_IS_PLATE (self), 0);

  return self->plate_y;
}

void
reel_plate_set_plate_position (ReelPlate *self,
                               double     x,
                               double     y)
{
  g_return_if_fail (REEL_IS_PLATE (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_double (self, &self->plate_x, CLAMP (x, -100.0, 100.0), PROP_PLATE_X);
  set_double (self, &self->plate_y, CLAMP (y, -100.0, 100.0), PROP_PLATE_Y);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
reel_plate_get_muted (ReelPlate *self)
{
  g_return_val_if_fail (REEL_IS_PLATE (self), FALSE);

  return self->muted;
}

void
reel_plate_set_muted (ReelPlate *self,
                      gboolean   muted)
{
  g_return_if_fail (REEL_IS_PLATE (self));

  muted = !!muted;
  if (self->muted == muted)
    return;

  self->muted = muted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
}

GFile *
reel_plate_resolve (ReelPlate *self,
                    GFile     *project_file)
{
  g_autoptr(GFile) folder = NULL;

  g_return_val_if_fail (REEL_IS_PLATE (self), NULL);

  if (g_path_is_absolute (self->path))
    return g_file_new_for_path (self->path);

  if (project_file != NULL)
    folder = g_file_get_parent (project_file);
  if (folder == NULL)
    folder = g_file_new_for_path (".");

  return g_file_resolve_relative_path (folder, self->path);
}

char *
reel_plate_make_relative_path (GFile *project_file,
                               GFile *media)
{
  g_autofree char *media_path = NULL;
  GFile *ancestor;
  guint ups = 0;

  g_return_val_if_fail (G_IS_FILE (media), NULL);

  media_path = g_file_get_path (media);
  if (media_path == NULL)
    media_path = g_file_get_uri (media);

  if (project_file == NULL)
    return g_steal_pointer (&media_path);

  /* Walk up from the project's folder until it contains the media. */
  ancestor = g_file_get_parent (project_file);
  while (ancestor != NULL)
    {
      g_autofree char *below = g_file_get_relative_path (ancestor, media);
      GFile *parent = g_file_get_parent (ancestor);

      g_object_unref (ancestor);
      ancestor = parent;

      if (below != NULL)
        {
          g_autoptr(GString) relative = NULL;

          /* Only the file-system root in common: an absolute path survives a
           * move of the project better than "../../../..". */
          if (parent == NULL && ups > 0)
            break;

          g_clear_object (&ancestor);
          relative = g_string_new (NULL);
          for (guint i = 0; i < ups; i++)
            g_string_append (relative, "../");
          g_string_append (relative, below);
          return g_string_free (g_steal_pointer (&relative), FALSE);
        }

      ups++;
    }

  g_clear_object (&ancestor);
  return g_steal_pointer (&media_path);
}

char *
reel_plate_compute_file_hash (GFile         *file,
                              gint64        *out_size,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  g_autofree guint8 *buffer = NULL;
  guint8 size_le[8];
  gint64 size;
  guint64 size_bits;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                         cancellable, error);
  if (info == NULL)
    return NULL;

  size = g_file_info_get_size (info);
  size_bits = (guint64) size;
  for (guint i = 0; i < 8; i++)
    size_le[i] = (size_bits >> (8 * i)) & 0xff;

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, size_le, sizeof size_le);

  buffer = g_malloc (HASH_CHUNK);
  if (size <= 2 * HASH_CHUNK)
    {
      gsize n_read;

      for (;;)
        {
          if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, HASH_CHUNK, &n_read,
                                        cancellable, error))
            return NULL;
          g_checksum_update (checksum, buffer, n_read);
          if (n_read < HASH_CHUNK)
            break;
        }
    }
  else
    {
      gsize n_read;

      if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, HASH_CHUNK, &n_read,
                                    cancellable, error))
        return NULL;
      g_checksum_update (checksum, buffer, n_read);

      if (!g_seekable_seek (G_SEEKABLE (stream), size - HASH_CHUNK, G_SEEK_SET,
                            cancellable, error))
        return NULL;
      if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, HASH_CHUNK, &n_read,
                                    cancellable, error))
        return NULL;
      g_checksum_update (checksum, buffer, n_read);
    }

  if (out_size != NULL)
    *out_size = size;

  return g_strdup (g_checksum_get_string (checksum));
}
