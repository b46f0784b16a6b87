/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

/* Kinds of generation record. */
#define REEL_GENERATION_KIND_BACKGROUND "background"
#define REEL_GENERATION_KIND_ANGLE      "angle"
#define REEL_GENERATION_KIND_VIDEO      "video"

/**
 * ReelGenerationRecord:
 * @provider: provider id ("graybox", "comfyui", "gemini", "openai", "veo" …)
 * @model: model name as the provider calls it
 * @endpoint_host: host (and port) the request went to; never a URL with a key
 * @prompt: the full prompt sent
 * @negative_prompt: negative prompt, or NULL
 * @seed: the seed, or -1 when the provider reports none
 * @parameters: other request parameters as a JSON object string, or NULL
 * @input_hashes: content hashes of the reference images sent (NULL-terminated, may be NULL)
 * @created_us: when the result arrived, unix time in microseconds (UTC)
 * @duration_ms: how long the request took
 * @kind: one of REEL_GENERATION_KIND_* (any string is kept as is)
 * @angle_id: the angle id (reel-camera.h) asked for when @kind is "angle", else NULL
 *
 * Provenance of an AI-made asset. Fill the fields (g_strdup'ed, owned by the
 * record) right after reel_generation_record_new(); once the record is attached to
 * an asset it is shared and must be treated as read-only.
 */
typedef struct
{
  char   *provider;
  char   *model;
  char   *endpoint_host;
  char   *prompt;
  char   *negative_prompt;
  gint64  seed;
  char   *parameters;
  char  **input_hashes;
  gint64  created_us;
  gint64  duration_ms;
  char   *kind;
  char   *angle_id;

  /*< private >*/
  gatomicrefcount ref_count;
} ReelGenerationRecord;

#define REEL_TYPE_GENERATION_RECORD (reel_generation_record_get_type ())

GType                 reel_generation_record_get_type (void) G_GNUC_CONST;
/* All strings NULL, seed -1, created_us now. */
ReelGenerationRecord *reel_generation_record_new      (void);
ReelGenerationRecord *reel_generation_record_ref      (ReelGenerationRecord       *self);
void                  reel_generation_record_unref    (ReelGenerationRecord       *self);
/* Deep copy, a new record that may be edited. */
ReelGenerationRecord *reel_generation_record_copy     (const ReelGenerationRecord *self);
/* Every field compared; NULL and "" strings differ; two NULL records are equal. */
gboolean              reel_generation_record_equal    (const ReelGenerationRecord *a,
                                                       const ReelGenerationRecord *b);
/* Whether a trained model made the asset: FALSE for NULL and for the gray-box renderer
 * (provider "greybox"), Storyreel's own render of the 3D set. Provenance labels follow it. */
gboolean              reel_generation_record_is_model_made (const ReelGenerationRecord *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelGenerationRecord, reel_generation_record_unref)

#define REEL_MIME_PNG  "image/png"
#define REEL_MIME_JPEG "image/jpeg"
#define REEL_MIME_WEBP "image/webp"
#define REEL_MIME_MP4  "video/mp4"
#define REEL_MIME_WEBM "video/webm"

/*
 * ReelAssetSource: where the bytes of a lazy asset live until they are needed (the
 * storage layer implements it over an open project file). Both functions may be
 * called from any thread, and may block: call them off the main thread.
 *
 * @read: the whole bytes stored under @hash (transfer full), or NULL with @error.
 * @write_to: the bytes stored under @hash written to @out in pieces, so that a video
 *   is never held whole in memory.
 */
#define REEL_TYPE_ASSET_SOURCE (reel_asset_source_get_type ())

G_DECLARE_INTERFACE (ReelAssetSource, reel_asset_source, REEL, ASSET_SOURCE, GObject)

struct _ReelAssetSourceInterface
{
  GTypeInterface parent_iface;

  GBytes   *(*read)     (ReelAssetSource  *self,
                         const char       *hash,
                         GCancellable     *cancellable,
                         GError          **error);
  gboolean  (*write_to) (ReelAssetSource  *self,
                         const char       *hash,
                         GOutputStream    *out,
                         GCancellable     *cancellable,
                         GError          **error);
};

GBytes               *reel_asset_source_read          (ReelAssetSource       *self,
                                                       const char            *hash,
                                                       GCancellable          *cancellable,
                                                       GError               **error);
gboolean              reel_asset_source_write_to      (ReelAssetSource       *self,
                                                       const char            *hash,
                                                       GOutputStream         *out,
                                                       GCancellable          *cancellable,
                                                       GError               **error);

#define REEL_TYPE_ASSET (reel_asset_get_type ())

G_DECLARE_FINAL_TYPE (ReelAsset, reel_asset, REEL, ASSET, GObject)

/*
 * ReelAsset: image or video bytes with their content hash (lowercase SHA-256 hex
 * of the bytes) and, for AI-made assets, a ReelGenerationRecord. Immutable, so
 * it may be shared between threads and projects. Properties (read-only):
 * "data" (GBytes), "mime-type", "width", "height", "hash", "generation".
 * "hash" given at construction is trusted (reel_asset_new_stored()).
 */

/* Sniffs the type (PNG, JPEG, WebP) and the pixel size from the bytes without
 * decoding the whole image. Anything else is REEL_CORE_ERROR_INVALID_IMAGE. */
ReelAsset            *reel_asset_new_from_bytes       (GBytes                *data,
                                                       GError               **error);
/* Like reel_asset_new_from_bytes(), and attaches @generation (nullable). */
ReelAsset            *reel_asset_new_generated        (GBytes                *data,
                                                       ReelGenerationRecord  *generation,
                                                       GError               **error);
/* A video background; the caller knows the type (REEL_MIME_MP4 or REEL_MIME_WEBM)
 * and, when known, the size (else 0). */
ReelAsset            *reel_asset_new_video            (GBytes                *data,
                                                       const char            *mime_type,
                                                       int                    width,
                                                       int                    height,
                                                       ReelGenerationRecord  *generation);
/* No sniffing: for loading from a file that stored the metadata. Nullable @generation. */
ReelAsset            *reel_asset_new_full             (GBytes                *data,
                                                       const char            *mime_type,
                                                       int                    width,
                                                       int                    height,
                                                       ReelGenerationRecord  *generation);
/* From a project file that stored the hash too: the bytes are not hashed now but
 * checked when they are first used (reel_asset_check_integrity()), so opening a
 * project does not read every image twice. */
ReelAsset            *reel_asset_new_stored           (GBytes                *data,
                                                       const char            *mime_type,
                                                       int                    width,
                                                       int                    height,
                                                       const char            *hash,
                                                       ReelGenerationRecord  *generation);
/* Lazy media: an asset whose bytes stay in @source (a project file) until they are
 * read. @size is the byte count, @hash the stored hash (checked on every read from
 * @source, so a damaged asset is reported by name when it is used, and the rest of
 * the project opens). Nullable @generation. */
ReelAsset            *reel_asset_new_lazy             (ReelAssetSource       *source,
                                                       const char            *mime_type,
                                                       int                    width,
                                                       int                    height,
                                                       gint64                 size,
                                                       const char            *hash,
                                                       ReelGenerationRecord  *generation);
/* FALSE (REEL_CORE_ERROR_INVALID_IMAGE, naming the image) when the bytes do not
 * have the hash the asset was stored under. Hashes once; thread-safe; reads a lazy
 * asset's bytes (blocking: not on the main thread). reel_asset_create_pixbuf()
 * checks it. */
gboolean              reel_asset_check_integrity      (ReelAsset             *self,
                                                       GError               **error);
/* The same bytes (and hash) with another generation record. */
ReelAsset            *reel_asset_copy_with_generation (ReelAsset             *self,
                                                       ReelGenerationRecord  *generation);

/* The bytes. A lazy asset reads them from its source now, on the calling thread, and
 * keeps them for as long as it lives (a read error gives empty bytes): prefer
 * reel_asset_dup_data() off the main thread, or reel_asset_read_async(). */
GBytes               *reel_asset_get_data             (ReelAsset             *self);
/* The bytes (transfer full), checked against the hash: read from the source for a
 * lazy asset (blocking) and not kept by the asset, so a memory budget (an LRU of
 * decoded images) decides how long they stay. NULL with @error when the source cannot
 * be read or the bytes are damaged (REEL_CORE_ERROR_INVALID_IMAGE, naming the asset). */
GBytes               *reel_asset_dup_data             (ReelAsset             *self,
                                                       GCancellable          *cancellable,
                                                       GError               **error);
/* reel_asset_dup_data() on a worker thread; the callback runs in the calling thread's
 * main context. */
void                  reel_asset_read_async           (ReelAsset             *self,
                                                       GCancellable          *cancellable,
                                                       GAsyncReadyCallback    callback,
                                                       gpointer               user_data);
GBytes               *reel_asset_read_finish          (ReelAsset             *self,
                                                       GAsyncResult          *result,
                                                       GError               **error);
/* An empty file beside @path, this writer's alone, to write and rename to @path. */
char                 *reel_cache_create_partial       (const char            *path);
/* The bytes as a file in the user's cache folder (storyreel/media/HASH.EXT), written
 * there in pieces from the source on first use and checked against the hash, so a
 * video is streamed from a file and never held whole in memory (transfer full).
 * Blocking: call it off the main thread. */
GFile                *reel_asset_dup_cache_file       (ReelAsset             *self,
                                                       GCancellable          *cancellable,
                                                       GError               **error);
/* Size of the bytes, known without reading them. */
gint64                reel_asset_get_size             (ReelAsset             *self);
/* Whether the bytes are read from a source on demand (and not held now). */
gboolean              reel_asset_is_lazy              (ReelAsset             *self);
/* The source of a lazy asset (transfer none), or NULL. */
ReelAssetSource      *reel_asset_get_source           (ReelAsset             *self);
const char           *reel_asset_get_mime_type        (ReelAsset             *self);
int                   reel_asset_get_width            (ReelAsset             *self);
int                   reel_asset_get_height           (ReelAsset             *self);
const char           *reel_asset_get_hash             (ReelAsset             *self);
/* Nullable: the first record that produced the bytes. */
ReelGenerationRecord *reel_asset_get_generation       (ReelAsset             *self);
/* Every generation record that produced these bytes (two providers can return the
 * same ones), the first first; *@n_records of them (0 for an asset no model made).
 * Owned by the asset. */
ReelGenerationRecord * const *reel_asset_get_generations (ReelAsset          *self,
                                                       guint                 *n_records);
/* Whether a record equal to @record is among them. */
gboolean              reel_asset_has_generation       (ReelAsset             *self,
                                                       const ReelGenerationRecord *record);
/* The same bytes (and hash, and source) with @records, in that order. */
ReelAsset            *reel_asset_copy_with_generations (ReelAsset            *self,
                                                       ReelGenerationRecord * const *records,
                                                       guint                  n_records);
/* Whether @a and @b have equal lists of generation records. */
gboolean              reel_asset_same_generations     (ReelAsset             *a,
                                                       ReelAsset             *b);
gboolean              reel_asset_is_video             (ReelAsset             *self);
/* "png", "jpg", "webp", "mp4", "webm": for file names of exported media. */
const char           *reel_asset_get_extension        (ReelAsset             *self);
/* Decodes the image (transfer full). Videos are REEL_CORE_ERROR_UNSUPPORTED_TYPE. */
GdkPixbuf            *reel_asset_create_pixbuf        (ReelAsset             *self,
                                                       GError               **error);
/* Bytes, type, size and generation records equal. */
gboolean              reel_asset_equal                (ReelAsset             *a,
                                                       ReelAsset             *b);

/* Lowercase hex SHA-256 of @data (transfer full). */
char                 *reel_asset_compute_hash         (GBytes                *data);

G_END_DECLS
