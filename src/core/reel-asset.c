/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-asset"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "reel-asset.h"
#include "reel-core-error.h"

/* ReelGenerationRecord */

G_DEFINE_BOXED_TYPE (ReelGenerationRecord, reel_generation_record,
                     reel_generation_record_ref, reel_generation_record_unref)

ReelGenerationRecord *
reel_generation_record_new (void)
{
  ReelGenerationRecord *self = g_new0 (ReelGenerationRecord, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->seed = -1;
  self->created_us = g_get_real_time ();

  return self;
}

ReelGenerationRecord *
reel_generation_record_ref (ReelGenerationRecord *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
reel_generation_record_unref (ReelGenerationRecord *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->provider);
  g_free (self->model);
  g_free (self->endpoint_host);
  g_free (self->prompt);
  g_free (self->negative_prompt);
  g_free (self->parameters);
  g_strfreev (self->input_hashes);
  g_free (self->kind);
  g_free (self->angle_id);
  g_free (self);
}

ReelGenerationRecord *
reel_generation_record_copy (const ReelGenerationRecord *self)
{
  ReelGenerationRecord *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = reel_generation_record_new ();
  copy->provider = g_strdup (self->provider);
  copy->model = g_strdup (self->model);
  copy->endpoint_host = g_strdup (self->endpoint_host);
  copy->prompt = g_strdup (self->prompt);
  copy->negative_prompt = g_strdup (self->negative_prompt);
  copy->seed = self->seed;
  copy->parameters = g_strdup (self->parameters);
  copy->input_hashes = g_strdupv (self->input_hashes);
  copy->created_us = self->created_us;
  copy->duration_ms = self->duration_ms;
  copy->kind = g_strdup (self->kind);
  copy->angle_id = g_strdup (self->angle_id);

  return copy;
}

static gboolean
strv_equal_nullable (char **a,
                     char **b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_strv_equal ((const char * const *) a, (const char * const *) b);
}

gboolean
reel_generation_record_equal (const ReelGenerationRecord *a,
                              const ReelGenerationRecord *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_strcmp0 (a->provider, b->provider) == 0
         && g_strcmp0 (a->model, b->model) == 0
         && g_strcmp0 (a->endpoint_host, b->endpoint_host) == 0
         && g_strcmp0 (a->prompt, b->prompt) == 0
         && g_strcmp0 (a->negative_prompt, b->negative_prompt) == 0
         && a->seed == b->seed
         && g_strcmp0 (a->parameters, b->parameters) == 0
         && strv_equal_nullable (a->input_hashes, b->input_hashes)
         && a->created_us == b->created_us
         && a->duration_ms == b->duration_ms
         && g_strcmp0 (a->kind, b->kind) == 0
         && g_strcmp0 (a->angle_id, b->angle_id) == 0;
}

gboolean
reel_generation_record_is_model_made (const ReelGenerationRecord *self)
{
  return self != NULL && g_strcmp0 (self->provider, "greybox") != 0;
}

/* ReelAssetSource */

G_DEFINE_INTERFACE (ReelAssetSource, reel_asset_source, G_TYPE_OBJECT)

static void
reel_asset_source_default_init (ReelAssetSourceInterface *iface)
{
}

GBytes *
reel_asset_source_read (ReelAssetSource  *self,
                        const char       *hash,
                        GCancellable     *cancellable,
                        GError          **error)
{
  g_return_val_if_fail (REEL_IS_ASSET_SOURCE (self), NULL);
  g_return_val_if_fail (hash != NULL, NULL);

  return REEL_ASSET_SOURCE_GET_IFACE (self)->read (self, hash, cancellable, error);
}

gboolean
reel_asset_source_write_to (ReelAssetSource  *self,
                            const char       *hash,
                            GOutputStream    *out,
                            GCancellable     *cancellable,
                            GError          **error)
{
  ReelAssetSourceInterface *iface;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (REEL_IS_ASSET_SOURCE (self), FALSE);
  g_return_val_if_fail (hash != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  iface = REEL_ASSET_SOURCE_GET_IFACE (self);
  if (iface->write_to != NULL)
    return iface->write_to (self, hash, out, cancellable, error);

  bytes = iface->read (self, hash, cancellable, error);
  return bytes != NULL
         && g_output_stream_write_all (out, g_bytes_get_data (bytes, NULL),
                                       g_bytes_get_size (bytes), NULL, cancellable, error);
}

/* ReelAsset */

struct _ReelAsset
{
  GObject parent_instance;

  GBytes *data;           /* NULL for a lazy asset until reel_asset_get_data() */
  ReelAssetSource *source;
  gint64 size;
  GMutex data_lock;       /* guards filling @data from @source */
  char *mime_type;
  int width;
  int height;
  char *hash;
  ReelGenerationRecord *generation;  /* the first of @more, or NULL */
  GPtrArray *more;                   /* every record that produced these bytes, or NULL */
  int integrity;  /* Integrity, atomic: a stored hash is checked when the bytes are used */
};

typedef enum {
  INTEGRITY_UNCHECKED,
  INTEGRITY_GOOD,
  INTEGRITY_DAMAGED,
} Integrity;

G_DEFINE_FINAL_TYPE (ReelAsset, reel_asset, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATA,
  PROP_MIME_TYPE,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_HASH,
  PROP_GENERATION,
  PROP_SOURCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
reel_asset_constructed (GObject *object)
{
  ReelAsset *self = REEL_ASSET (object);

  G_OBJECT_CLASS (reel_asset_parent_class)->constructed (object);

  if (self->data == NULL && self->source == NULL)
    self->data = g_bytes_new (NULL, 0);
  if (self->data != NULL)
    self->size = g_bytes_get_size (self->data);
  if (self->mime_type == NULL)
    self->mime_type = g_strdup ("application/octet-stream");
  /* A hash given at construction (read from a file) is trusted until the bytes
   * are used: opening a project does not hash every image again. */
  if (self->hash == NULL)
    {
      self->hash = reel_asset_compute_hash (self->data);
      self->integrity = INTEGRITY_GOOD;
    }
}

static void
reel_asset_finalize (GObject *object)
{
  ReelAsset *self = REEL_ASSET (object);

  g_clear_pointer (&self->data, g_bytes_unref);
  g_clear_object (&self->source);
  g_mutex_clear (&self->data_lock);
  g_clear_pointer (&self->mime_type, g_free);
  g_clear_pointer (&self->hash, g_free);
  g_clear_pointer (&self->generation, reel_generation_record_unref);
  g_clear_pointer (&self->more, g_ptr_array_unref);

  G_OBJECT_CLASS (reel_asset_parent_class)->finalize (object);
}

static void
reel_asset_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ReelAsset *self = REEL_ASSET (object);

  switch (prop_id)
    {
    case PROP_DATA:
      g_value_set_boxed (value, reel_asset_get_data (self));
      break;
    case PROP_MIME_TYPE:
      g_value_set_string (value, self->mime_type);
      break;
    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;
    case PROP_HEIGHT:
      g_value_set_int (value, self->height);
      break;
    case PROP_HASH:
      g_value_set_string (value, self->hash);
      break;
    case PROP_GENERATION:
      g_value_set_boxed (value, self->generation);
      break;
    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_asset_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  ReelAsset *self = REEL_ASSET (object);

  switch (prop_id)
    {
    case PROP_DATA:
      self->data = g_value_dup_boxed (value);
      break;
    case PROP_MIME_TYPE:
      self->mime_type = g_value_dup_string (value);
      break;
    case PROP_WIDTH:
      self->width = g_value_get_int (value);
      break;
    case PROP_HEIGHT:
      self->height = g_value_get_int (value);
      break;
    case PROP_GENERATION:
      self->generation = g_value_dup_boxed (value);
      break;
    case PROP_HASH:
      self->hash = g_value_dup_string (value);
      break;
    case PROP_SOURCE:
      self->source = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_asset_class_init (ReelAssetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = reel_asset_constructed;
  object_class->finalize = reel_asset_finalize;
  object_class->get_property = reel_asset_get_property;
  object_class->set_property = reel_asset_set_property;

  properties[PROP_DATA] =
    g_param_spec_boxed ("data", NULL, NULL, G_TYPE_BYTES,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MIME_TYPE] =
    g_param_spec_string ("mime-type", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WIDTH] =
    g_param_spec_int ("width", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEIGHT] =
    g_param_spec_int ("height", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HASH] =
    g_param_spec_string ("hash", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GENERATION] =
    g_param_spec_boxed ("generation", NULL, NULL, REEL_TYPE_GENERATION_RECORD,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SOURCE] =
    g_param_spec_object ("source", NULL, NULL, REEL_TYPE_ASSET_SOURCE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
reel_asset_init (ReelAsset *self)
{
  g_mutex_init (&self->data_lock);
}

char *
reel_asset_compute_hash (GBytes *data)
{
  g_return_val_if_fail (data != NULL, NULL);

  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, data);
}

/* The container type from the first bytes; the loader then checks the rest. */
static const char *
sniff_image_mime_type (const guint8 *bytes,
                       gsize         len)
{
  static const guint8 png_magic[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  if (len >= sizeof png_magic && memcmp (bytes, png_magic, sizeof png_magic) == 0)
    return REEL_MIME_PNG;
  if (len >= 3 && bytes[0] == 0xff && bytes[1] == 0xd8 && bytes[2] == 0xff)
    return REEL_MIME_JPEG;
  if (len >= 12 && memcmp (bytes, "RIFF", 4) == 0 && memcmp (bytes + 8, "WEBP", 4) == 0)
    return REEL_MIME_WEBP;

  return NULL;
}

/* gdk-pixbuf shows a cut-off download as a half-grey picture without an error,
 * so check that the container is complete. */
static gboolean
image_is_complete (const guint8 *bytes,
                   gsize         len,
                   const char   *mime_type)
{
  static const guint8 png_end[] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };

  if (g_str_equal (mime_type, REEL_MIME_PNG))
    return len >= sizeof png_end + 8
           && memcmp (bytes + len - sizeof png_end, png_end, sizeof png_end) == 0;

  if (g_str_equal (mime_type, REEL_MIME_JPEG))
    {
      /* The end-of-image marker: 0xFF is never followed by 0xD9 inside the
       * entropy-coded data, and encoders may pad a little after it. */
      gsize start = len > 1024 ? len - 1024 : 0;

      for (gsize i = len; i-- > start + 1;)
        if (bytes[i - 1] == 0xff && bytes[i] == 0xd9)
          return TRUE;
      return FALSE;
    }

  if (g_str_equal (mime_type, REEL_MIME_WEBP))
    {
      guint32 riff_size;

      if (len < 12)
        return FALSE;
      riff_size = bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | ((guint32) bytes[7] << 24);
      return (guint64) riff_size + 8 <= len;
    }

  return TRUE;
}

/* Larger than any camera or generator makes: refuse before allocating it. */
#define MAX_IMAGE_SIDE 32768
#define MAX_IMAGE_PIXELS (16384 * 16384)

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}

static guint
read_be16 (const guint8 *p)
{
  return (p[0] << 8) | p[1];
}

static guint
read_le16 (const guint8 *p)
{
  return p[0] | (p[1] << 8);
}

static guint32
read_le24 (const guint8 *p)
{
  return p[0] | (p[1] << 8) | ((guint32) p[2] << 16);
}

/* The pixel size the file declares, read from its header without decoding, so
 * that a decompression bomb is refused before gdk-pixbuf allocates it (its PNG
 * loader allocates the declared size first). FALSE when the header is unclear;
 * the decoder then has the last word. */
static gboolean
read_declared_size (const guint8 *bytes,
                    gsize         len,
                    const char   *mime_type,
                    guint64      *width,
                    guint64      *height)
{
  if (g_str_equal (mime_type, REEL_MIME_PNG))
    {
      if (len < 24 || memcmp (bytes + 12, "IHDR", 4) != 0)
        return FALSE;
      *width = read_be32 (bytes + 16);
      *height = read_be32 (bytes + 20);
      return TRUE;
    }

  if (g_str_equal (mime_type, REEL_MIME_JPEG))
    {
      gsize i = 2;

      while (i + 4 <= len)
        {
          guint8 marker;

          if (bytes[i] != 0xff)
            return FALSE;
          while (i + 1 < len && bytes[i + 1] == 0xff)
            i++;
          if (i + 4 > len)
            return FALSE;
          marker = bytes[i + 1];

          /* Start of frame: every SOFn but DHT (C4), JPG (C8) and DAC (CC). */
          if (marker >= 0xc0 && marker <= 0xcf
              && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
            {
              if (i + 9 > len)
                return FALSE;
              *height = read_be16 (bytes + i + 5);
              *width = read_be16 (bytes + i + 7);
              return TRUE;
            }

          if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8))
            i += 2;
          else
            i += 2 + read_be16 (bytes + i + 2);
        }
      return FALSE;
    }

  if (g_str_equal (mime_type, REEL_MIME_WEBP) && len >= 30)
    {
      if (memcmp (bytes + 12, "VP8X", 4) == 0)
        {
          *width = (guint64) read_le24 (bytes + 24) + 1;
          *height = (guint64) read_le24 (bytes + 27) + 1;
          return TRUE;
        }
      if (memcmp (bytes + 12, "VP8L", 4) == 0 && bytes[20] == 0x2f)
        {
          guint32 bits = bytes[21] | (bytes[22] << 8) | (bytes[23] << 16)
                         | ((guint32) bytes[24] << 24);

          *width = (bits & 0x3fff) + 1;
          *height = ((bits >> 14) & 0x3fff) + 1;
          return TRUE;
        }
      if (memcmp (bytes + 12, "VP8 ", 4) == 0
          && bytes[23] == 0x9d && bytes[24] == 0x01 && bytes[25] == 0x2a)
        {
          *width = read_le16 (bytes + 26) & 0x3fff;
          *height = read_le16 (bytes + 28) & 0x3fff;
          return TRUE;
        }
    }

  return FALSE;
}

static GdkPixbuf *
decode_image (GBytes      *data,
              const char  *mime_type,
              GError     **error)
{
  guint64 declared_width, declared_height;
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  GdkPixbuf *pixbuf;
  gsize len;
  const guint8 *bytes = g_bytes_get_data (data, &len);

  if (!image_is_complete (bytes, len, mime_type))
    {
      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_IMAGE,
                   _("The image is incomplete (cut off while it was downloaded or saved)"));
      return NULL;
    }

  if (read_declared_size (bytes, len, mime_type, &declared_width, &declared_height)
      && (declared_width > MAX_IMAGE_SIDE || declared_height > MAX_IMAGE_SIDE
          || declared_width * declared_height > MAX_IMAGE_PIXELS))
    {
      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_IMAGE,
                   _("The image is too large (%llu × %llu pixels): use one of at most "
                     "%d × %d pixels"),
                   (unsigned long long) declared_width, (unsigned long long) declared_height,
                   16384, 16384);
      return NULL;
    }

  loader = gdk_pixbuf_loader_new_with_mime_type (mime_type, &local_error);
  if (loader == NULL)
    {
      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_UNSUPPORTED_TYPE,
                   _("This system cannot read %s images: install the gdk-pixbuf "
                     "loader for it (%s)"),
                   mime_type, local_error->message);
      return NULL;
    }

  if (!gdk_pixbuf_loader_write (loader, bytes, len, &local_error)
      || !gdk_pixbuf_loader_close (loader, &local_error))
    {
      /* Close even after a failed write so the loader does not complain. */
      gdk_pixbuf_loader_close (loader, NULL);
      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_IMAGE,
                   _("The image is damaged and cannot be read (%s)"), local_error->message);
      return NULL;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_IMAGE,
                   _("The image is damaged and cannot be read"));
      return NULL;
    }

  return g_object_ref (pixbuf);
}

ReelAsset *
reel_asset_new_generated (GBytes                *data,
                          ReelGenerationRecord  *generation,
                          GError               **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  const char *mime_type;
  gsize len;
  const guint8 *bytes;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = g_bytes_get_data (data, &len);
  mime_type = sniff_image_mime_type (bytes, len);
  if (mime_type == NULL)
    {
      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_IMAGE,
                   _("This is not a PNG, JPEG or WebP image"));
      return NULL;
    }

  /* Decoding once here means a damaged download is refused when it arrives,
   * not found later as a grey panel. */
  pixbuf = decode_image (data, mime_type, error);
  if (pixbuf == NULL)
    return NULL;

  return reel_asset_new_full (data, mime_type,
                              gdk_pixbuf_get_width (pixbuf),
                              gdk_pixbuf_get_height (pixbuf),
                              generation);
}

ReelAsset *
reel_asset_new_from_bytes (GBytes  *data,
                           GError **error)
{
  return reel_asset_new_generated (data, NULL, error);
}

ReelAsset *
reel_asset_new_video (GBytes               *data,
                      const char           *mime_type,
                      int                   width,
                      int                   height,
                      ReelGenerationRecord *generation)
{
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (mime_type != NULL, NULL);

  return reel_asset_new_full (data, mime_type, width, height, generation);
}

ReelAsset *
reel_asset_new_full (GBytes               *data,
                     const char           *mime_type,
                     int                   width,
                     int                   height,
                     ReelGenerationRecord *generation)
{
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (mime_type != NULL, NULL);

  return g_object_new (REEL_TYPE_ASSET,
                       "data", data,
                       "mime-type", mime_type,
                       "width", MAX (width, 0),
                       "height", MAX (height, 0),
                       "generation", generation,
                       NULL);
}

ReelAsset *
reel_asset_new_stored (GBytes               *data,
                       const char           *mime_type,
                       int                   width,
                       int                   height,
                       const char           *hash,
                       ReelGenerationRecord *generation)
{
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (mime_type != NULL, NULL);
  g_return_val_if_fail (hash != NULL && *hash != '\0', NULL);

  return g_object_new (REEL_TYPE_ASSET,
                       "data", data,
                       "mime-type", mime_type,
                       "width", MAX (width, 0),
                       "height", MAX (height, 0),
                       "hash", hash,
                       "generation", generation,
                       NULL);
}

ReelAsset *
reel_asset_new_lazy (ReelAssetSource      *source,
                     const char           *mime_type,
                     int                   width,
                     int                   height,
                     gint64                size,
                     const char           *hash,
                     ReelGenerationRecord *generation)
{
  ReelAsset *self;

  g_return_val_if_fail (REEL_IS_ASSET_SOURCE (source), NULL);
  g_return_val_if_fail (mime_type != NULL, NULL);
  g_return_val_if_fail (hash != NULL && *hash != '\0', NULL);

  self = g_object_new (REEL_TYPE_ASSET,
                       "source", source,
                       "mime-type", mime_type,
                       "width", MAX (width, 0),
                       "height", MAX (height, 0),
                       "hash", hash,
                       "generation", generation,
                       NULL);
  self->size = MAX (size, 0);
  return self;
}

static void
set_damaged_error (ReelAsset  *self,
                   GError    **error)
{
  g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_INVALID_IMAGE,
               /* Translators: %.12s is the start of the image's content hash, its name
                * in the project file */
               _("The image %.12s is damaged: its bytes are not the ones that were saved. "
                 "Add or generate it again; the rest of the project is not affected."),
               self->hash);
}

/* Compares @data with the stored hash once, and remembers the verdict. */
static gboolean
check_bytes (ReelAsset  *self,
             GBytes     *data,
             GError    **error)
{
  int integrity = g_atomic_int_get (&self->integrity);

  if (integrity == INTEGRITY_UNCHECKED)
    {
      g_autofree char *actual = reel_asset_compute_hash (data);

      integrity = g_str_equal (actual, self->hash) ? INTEGRITY_GOOD : INTEGRITY_DAMAGED;
      g_atomic_int_set (&self->integrity, integrity);
    }

  if (integrity == INTEGRITY_DAMAGED)
    {
      set_damaged_error (self, error);
      return FALSE;
    }
  return TRUE;
}

/* The bytes from wherever they are (transfer full), not checked. */
static GBytes *
read_bytes (ReelAsset     *self,
            GCancellable  *cancellable,
            GError       **error)
{
  GBytes *data;

  g_mutex_lock (&self->data_lock);
  data = self->data != NULL ? g_bytes_ref (self->data) : NULL;
  g_mutex_unlock (&self->data_lock);
  if (data != NULL)
    return data;

  return reel_asset_source_read (self->source, self->hash, cancellable, error);
}

gboolean
reel_asset_check_integrity (ReelAsset  *self,
                            GError    **error)
{
  g_autoptr(GBytes) data = NULL;
  int integrity;

  g_return_val_if_fail (REEL_IS_ASSET (self), FALSE);

  integrity = g_atomic_int_get (&self->integrity);
  if (integrity == INTEGRITY_GOOD)
    return TRUE;
  if (integrity == INTEGRITY_DAMAGED)
    {
      set_damaged_error (self, error);
      return FALSE;
    }

  data = read_bytes (self, NULL, error);
  return data != NULL && check_bytes (self, data, error);
}

GBytes *
reel_asset_dup_data (ReelAsset     *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GBytes) data = NULL;
  g_autofree char *actual = NULL;

  g_return_val_if_fail (REEL_IS_ASSET (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->data_lock);
  data = self->data != NULL ? g_bytes_ref (self->data) : NULL;
  g_mutex_unlock (&self->data_lock);
  if (data != NULL)
    return check_bytes (self, data, error) ? g_steal_pointer (&data) : NULL;

  data = reel_asset_source_read (self->source, self->hash, cancellable, error);
  if (data == NULL)
    return NULL;

  /* Bytes read from the file are checked on every read: the file may have been
   * damaged since the last one. */
  actual = reel_asset_compute_hash (data);
  if (!g_str_equal (actual, self->hash))
    {
      g_atomic_int_set (&self->integrity, INTEGRITY_DAMAGED);
      set_damaged_error (self, error);
      return NULL;
    }
  g_atomic_int_set (&self->integrity, INTEGRITY_GOOD);
  return g_steal_pointer (&data);
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GBytes *data = reel_asset_dup_data (source_object, cancellable, &error);

  if (data == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, data, (GDestroyNotify) g_bytes_unref);
}

void
reel_asset_read_async (ReelAsset           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (REEL_IS_ASSET (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_asset_read_async);
  g_task_run_in_thread (task, read_thread);
}

GBytes *
reel_asset_read_finish (ReelAsset     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The hash of a file's contents, read in pieces. */
static char *
hash_file (GFile         *file,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFileInputStream) in = g_file_read (file, cancellable, error);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = NULL;
  gssize n;

  if (in == NULL)
    return NULL;

  buffer = g_malloc (1024 * 1024);
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, 1024 * 1024, cancellable,
                                   error)) > 0)
    g_checksum_update (checksum, buffer, n);
  if (n < 0)
    return NULL;

  return g_strdup (g_checksum_get_string (checksum));
}

/**
 * reel_cache_create_partial:
 * @path: the file of a cache about to be written
 *
 * Creates an empty file beside @path with a name no other writer has (created exclusively,
 * readable by the user alone), ending in “.partial”, to be written whole and then renamed to
 * @path: two threads or processes writing the same file each write their own, and the cache
 * trimmer leaves it alone while it is being written.
 *
 * Returns: (transfer full): the path of the new file, or %NULL with `errno` set
 */
char *
reel_cache_create_partial (const char *path)
{
  g_autofree char *partial = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  partial = g_strconcat (path, ".XXXXXX.partial", NULL);
  fd = g_mkstemp_full (partial, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    return NULL;
  g_close (fd, NULL);
  return g_steal_pointer (&partial);
}

/* reel_cache_create_partial(), opened to be written. */
static GFileOutputStream *
create_partial (GFile         *target,
                GFile        **partial_out,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autofree char *target_path = g_file_get_path (target);
  g_autofree char *path = reel_cache_create_partial (target_path);
  g_autoptr(GFile) partial = NULL;
  GFileOutputStream *out;

  if (path == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write “%s”: %s"), target_path, g_strerror (saved_errno));
      return NULL;
    }
  partial = g_file_new_for_path (path);
  out = g_file_append_to (partial, G_FILE_CREATE_PRIVATE, cancellable, error);
  if (out == NULL)
    {
      g_file_delete (partial, NULL, NULL);
      return NULL;
    }
  *partial_out = g_steal_pointer (&partial);
  return out;
}

/* Written whole and checked before it gets its name: a file of the right size is the right
 * one. */
static gboolean
cache_file_is_whole (GFile        *file,
                     gint64        size,
                     GCancellable *cancellable)
{
  g_autoptr(GFileInfo) info = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, NULL);
  return info != NULL && g_file_info_get_size (info) == size;
}

GFile *
reel_asset_dup_cache_file (ReelAsset     *self,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *actual = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) partial = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) move_error = NULL;
  gboolean written;

  g_return_val_if_fail (REEL_IS_ASSET (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = g_build_filename (g_get_user_cache_dir (), "storyreel", "media", NULL);
  name = g_strdup_printf ("%s.%s", self->hash, reel_asset_get_extension (self));
  file = g_file_new_build_filename (dir, name, NULL);

  if (cache_file_is_whole (file, self->size, cancellable))
    return g_steal_pointer (&file);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  /* Several writers of one asset (threads, other windows, other processes) each write their
   * own copy and rename it over the name: the last rename wins, and every copy is the same. */
  out = create_partial (file, &partial, cancellable, error);
  if (out == NULL)
    return NULL;

  g_mutex_lock (&self->data_lock);
  data = self->data != NULL ? g_bytes_ref (self->data) : NULL;
  g_mutex_unlock (&self->data_lock);

  if (data != NULL)
    written = g_output_stream_write_all (G_OUTPUT_STREAM (out), g_bytes_get_data (data, NULL),
                                         g_bytes_get_size (data), NULL, cancellable, error);
  else
    written = reel_asset_source_write_to (self->source, self->hash, G_OUTPUT_STREAM (out),
                                          cancellable, error);
  if (!written || !g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error))
    {
      g_file_delete (partial, NULL, NULL);
      return NULL;
    }

  actual = hash_file (partial, cancellable, error);
  if (actual == NULL || !g_str_equal (actual, self->hash))
    {
      g_file_delete (partial, NULL, NULL);
      if (actual != NULL)
        {
          g_atomic_int_set (&self->integrity, INTEGRITY_DAMAGED);
          set_damaged_error (self, error);
        }
      return NULL;
    }
  g_atomic_int_set (&self->integrity, INTEGRITY_GOOD);

  if (!g_file_move (partial, file, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL,
                    &move_error))
    {
      g_file_delete (partial, NULL, NULL);
      /* Another writer got there first: its copy is as good as this one. */
      if (cache_file_is_whole (file, self->size, cancellable))
        return g_steal_pointer (&file);
      g_propagate_error (error, g_steal_pointer (&move_error));
      return NULL;
    }
  return g_steal_pointer (&file);
}

gint64
reel_asset_get_size (ReelAsset *self)
{
  g_return_val_if_fail (REEL_IS_ASSET (self), 0);

  return self->size;
}

gboolean
reel_asset_is_lazy (ReelAsset *self)
{
  g_return_val_if_fail (REEL_IS_ASSET (self), FALSE);

  return self->source != NULL;
}

ReelAssetSource *
reel_asset_get_source (ReelAsset *self)
{
  g_return_val_if_fail (REEL_IS_ASSET (self), NULL);

  return self->source;
}

ReelAsset *
reel_asset_copy_with_generation (ReelAsset            *self,
                                 ReelGenerationRecord *generation)
{
  g_return_val_if_fail (REEL_IS_ASSET (self), NULL);

  if (self->data == NULL)
    {
      ReelAsset *copy = reel_asset_new_lazy (self->source, self->mime_type, self->width,
                                             self->height, self->size, self->hash,
                                             generation);

      copy->integrity = g_atomic_int_get (&self->integrity);
      return copy;
    }
  return reel_asset_new_full (self->data, self->mime_type, self->width, self->height,
                              generation);
}

GBytes *
reel_asset_get_data (ReelAsset *self)
{
  GBytes *data;

  g_return_val_if_fail (REEL_IS_ASSET (self), NULL);

  g_mutex_lock (&self->data_lock);
  if (self->data == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->data = reel_asset_source_read (self->source, self->hash, NULL, &error);
      if (self->data == NULL)
        {
          g_debug ("Reading the asset %.12s: %s", self->hash, error->message);
          self->data = g_bytes_new (NULL, 0);
        }
    }
  data = self->data;
  g_mutex_unlock (&self->data_lock);

  return data;
}

const char *
reel_asset_get_mime_type (ReelAsset *self)
{
  g_return_val_if_fail (REEL_IS_ASSET (self), NULL);

  return self->mime_type;
}

int
reel_asset_get_width (ReelAsset *self)
{
  g_return_val_if_fail (REEL_IS_ASSET (self), 0);

  return self->width;
}

int
reel_asset_get_height (ReelAsset *self)
{
  g_return_val_if_fail (REEL_IS_ASSET (self), 0);

  return self->height;
}

const char *
reel_asset_get_hash (ReelAsset *self)
{
  g_return_val_if_fail (REEL_IS_ASSET (self), NULL);

  return self->hash;
}

ReelGenerationRecord *
reel_asset_get_generation (ReelAsset *self)
{
  g_return_val_if_fail (REEL_IS_ASSET (self), NULL);

  return self->generation;
}

gboolean
reel_asset_is_video (ReelAsset *self)
{
  g_return_val_if_fail (REEL_IS_ASSET (self), FALSE);

  return g_str_has_prefix (self->mime_type, "video/");
}

const char *
reel_asset_get_extension (ReelAsset *self)
{
  static const struct { const char *mime_type; const char *extension; } extensions[] = {
    { REEL_MIME_PNG, "png" },
    { REEL_MIME_JPEG, "jpg" },
    { REEL_MIME_WEBP, "webp" },
    { REEL_MIME_MP4, "mp4" },
    { REEL_MIME_WEBM, "webm" },
  };

  g_return_val_if_fail (REEL_IS_ASSET (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (g_str_equal (extensions[i].mime_type, self->mime_type))
      return extensions[i].extension;

  return "bin";
}

GdkPixbuf *
reel_asset_create_pixbuf (ReelAsset  *self,
                          GError    **error)
{
  g_autoptr(GBytes) data = NULL;

  g_return_val_if_fail (REEL_IS_ASSET (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (reel_asset_is_video (self))
    {
      g_set_error (error, REEL_CORE_ERROR, REEL_CORE_ERROR_UNSUPPORTED_TYPE,
                   _("A video background cannot be drawn as a still image"));
      return NULL;
    }
  data = reel_asset_dup_data (self, NULL, error);
  if (data == NULL)
    return NULL;

  return decode_image (data, self->mime_type, error);
}

ReelGenerationRecord * const *
reel_asset_get_generations (ReelAsset *self,
                            guint     *n_records)
{
  static ReelGenerationRecord *none[1] = { NULL };

  g_return_val_if_fail (REEL_IS_ASSET (self), NULL);
  g_return_val_if_fail (n_records != NULL, NULL);

  if (self->more != NULL)
    {
      *n_records = self->more->len;
      return (ReelGenerationRecord * const *) self->more->pdata;
    }
  *n_records = self->generation != NULL ? 1 : 0;
  return self->generation != NULL ? &self->generation : none;
}

gboolean
reel_asset_has_generation (ReelAsset                  *self,
                           const ReelGenerationRecord *record)
{
  ReelGenerationRecord * const *records;
  guint n;

  g_return_val_if_fail (REEL_IS_ASSET (self), FALSE);

  records = reel_asset_get_generations (self, &n);
  for (guint i = 0; i < n; i++)
    if (reel_generation_record_equal (records[i], record))
      return TRUE;
  return FALSE;
}

ReelAsset *
reel_asset_copy_with_generations (ReelAsset                    *self,
                                  ReelGenerationRecord * const *records,
                                  guint                         n_records)
{
  ReelAsset *copy;

  g_return_val_if_fail (REEL_IS_ASSET (self), NULL);
  g_return_val_if_fail (records != NULL || n_records == 0, NULL);

  copy = reel_asset_copy_with_generation (self, n_records > 0 ? records[0] : NULL);
  if (n_records > 1)
    {
      copy->more = g_ptr_array_new_full (n_records, (GDestroyNotify) reel_generation_record_unref);
      for (guint i = 0; i < n_records; i++)
        g_ptr_array_add (copy->more, reel_generation_record_ref (records[i]));
    }
  return copy;
}

gboolean
reel_asset_same_generations (ReelAsset *a,
                             ReelAsset *b)
{
  ReelGenerationRecord * const *records_a;
  ReelGenerationRecord * const *records_b;
  guint n_a, n_b;

  g_return_val_if_fail (REEL_IS_ASSET (a) && REEL_IS_ASSET (b), FALSE);

  records_a = reel_asset_get_generations (a, &n_a);
  records_b = reel_asset_get_generations (b, &n_b);
  if (n_a != n_b)
    return FALSE;
  for (guint i = 0; i < n_a; i++)
    if (!reel_generation_record_equal (records_a[i], records_b[i]))
      return FALSE;
  return TRUE;
}

gboolean
reel_asset_equal (ReelAsset *a,
                  ReelAsset *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a == b)
    return TRUE;

  /* Equal hashes are equal bytes; bytes in memory are compared too, as a lazy asset's
   * are not read for it. */
  return g_str_equal (a->hash, b->hash)
         && a->size == b->size
         && (a->data == NULL || b->data == NULL || g_bytes_equal (a->data, b->data))
         && g_str_equal (a->mime_type, b->mime_type)
         && a->width == b->width
         && a->height == b->height
         && reel_asset_same_generations (a, b);
}
