/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-storage"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reel-project-file-private.h"
#include "reel-storage-error.h"

/*
 * The schema of a .storyreel file, as the list of steps that build it from an empty
 * database. A new file runs every step; an older file runs the steps after its
 * version. Never edit a step that has shipped: add one.
 *
 * Rows are keyed by small integers ("key") so the big tables (strokes) stay compact;
 * the stable UUIDs of scenes and shots are kept beside them. Positions order scenes
 * in the project and shots in their scene. A stroke's points are one blob
 * (reel_stroke_points_encode()). Assets (image bytes) are keyed by their content hash.
 */

/* Version 1: the first format. */
static const char schema_v1[] =
  "PRAGMA application_id = 1382376812;\n"  /* REEL_PROJECT_FILE_APPLICATION_ID */
  "CREATE TABLE meta (\n"
  "  key   TEXT PRIMARY KEY NOT NULL,\n"
  "  value TEXT NOT NULL\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE project (\n"
  "  id          INTEGER PRIMARY KEY CHECK (id = 1),\n"
  "  title       TEXT NOT NULL,\n"
  "  rate_num    INTEGER NOT NULL,\n"
  "  rate_den    INTEGER NOT NULL,\n"
  "  aspect      REAL NOT NULL,\n"
  "  sensor      TEXT NOT NULL,\n"
  "  look_phrase TEXT NOT NULL,\n"
  "  look_image  TEXT\n"
  ");\n"
  "CREATE TABLE project_metadata (\n"
  "  position INTEGER PRIMARY KEY,\n"
  "  key      TEXT NOT NULL,\n"
  "  value    TEXT NOT NULL\n"
  ");\n"
  "CREATE TABLE scenes (\n"
  "  key         INTEGER PRIMARY KEY,\n"
  "  uuid        TEXT NOT NULL UNIQUE,\n"
  "  position    INTEGER NOT NULL,\n"
  "  number      TEXT NOT NULL,\n"
  "  int_ext     TEXT NOT NULL,\n"
  "  location    TEXT NOT NULL,\n"
  "  time_of_day TEXT NOT NULL,\n"
  "  synopsis    TEXT NOT NULL\n"
  ");\n"
  "CREATE TABLE shots (\n"
  "  key         INTEGER PRIMARY KEY,\n"
  "  uuid        TEXT NOT NULL UNIQUE,\n"
  "  scene       INTEGER NOT NULL,\n"
  "  position    INTEGER NOT NULL,\n"
  "  number      TEXT NOT NULL,\n"
  "  description TEXT NOT NULL,\n"
  "  dialogue    TEXT NOT NULL,\n"
  "  notes       TEXT NOT NULL,\n"
  "  cast_list   TEXT NOT NULL,\n"
  "  size        TEXT NOT NULL,\n"
  "  framing     TEXT NOT NULL,\n"
  "  angle       TEXT NOT NULL,\n"
  "  movement    TEXT NOT NULL,\n"
  "  lens_mm     REAL NOT NULL,\n"
  "  duration    INTEGER NOT NULL,\n"
  "  status      TEXT NOT NULL,\n"
  "  vfx_notes   TEXT NOT NULL,\n"
  "  background  TEXT\n"
  ");\n"
  /* role 0: background variants, 1: generation history; both ordered. */
  "CREATE TABLE shot_assets (\n"
  "  shot     INTEGER NOT NULL,\n"
  "  role     INTEGER NOT NULL,\n"
  "  position INTEGER NOT NULL,\n"
  "  hash     TEXT NOT NULL,\n"
  "  PRIMARY KEY (shot, role, position)\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE layers (\n"
  "  shot     INTEGER NOT NULL,\n"
  "  position INTEGER NOT NULL,\n"
  "  name     TEXT NOT NULL,\n"
  "  visible  INTEGER NOT NULL,\n"
  "  opacity  REAL NOT NULL,\n"
  "  PRIMARY KEY (shot, position)\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE strokes (\n"
  "  shot     INTEGER NOT NULL,\n"
  "  layer    INTEGER NOT NULL,\n"
  "  position INTEGER NOT NULL,\n"
  "  tool     TEXT NOT NULL,\n"
  "  red      REAL NOT NULL,\n"
  "  green    REAL NOT NULL,\n"
  "  blue     REAL NOT NULL,\n"
  "  alpha    REAL NOT NULL,\n"
  "  width    REAL NOT NULL,\n"
  "  text     TEXT,\n"
  "  points   BLOB NOT NULL,\n"
  "  PRIMARY KEY (shot, layer, position)\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE assets (\n"
  "  hash      TEXT PRIMARY KEY NOT NULL,\n"
  "  position  INTEGER NOT NULL,\n"
  "  mime_type TEXT NOT NULL,\n"
  "  width     INTEGER NOT NULL,\n"
  "  height    INTEGER NOT NULL,\n"
  "  data      BLOB NOT NULL\n"
  ");\n"
  "CREATE TABLE generations (\n"
  "  asset           TEXT PRIMARY KEY NOT NULL,\n"
  "  kind            TEXT,\n"
  "  angle           TEXT,\n"
  "  provider        TEXT,\n"
  "  model           TEXT,\n"
  "  endpoint_host   TEXT,\n"
  "  prompt          TEXT,\n"
  "  negative_prompt TEXT,\n"
  "  seed            INTEGER NOT NULL,\n"
  "  parameters      TEXT,\n"
  "  input_hashes    TEXT,\n"  /* one hash per line; NULL when the record has none */
  "  created_us      INTEGER NOT NULL,\n"
  "  duration_ms     INTEGER NOT NULL\n"
  ");\n"
  "CREATE TABLE plates (\n"
  "  shot             INTEGER PRIMARY KEY,\n"
  "  path             TEXT NOT NULL,\n"
  "  key_color        INTEGER NOT NULL,\n"
  "  similarity       REAL NOT NULL,\n"
  "  softness         REAL NOT NULL,\n"
  "  spill            REAL NOT NULL,\n"
  "  background_scale REAL NOT NULL,\n"
  "  background_x     REAL NOT NULL,\n"
  "  background_y     REAL NOT NULL,\n"
  "  plate_scale      REAL NOT NULL,\n"
  "  plate_x          REAL NOT NULL,\n"
  "  plate_y          REAL NOT NULL,\n"
  "  muted            INTEGER NOT NULL\n"
  ");\n"
  "CREATE INDEX shots_by_scene ON shots (scene, position);\n";

/* Version 2: camera height per shot; plates remember the footage's size, hash,
 * duration and picture size so that a moved file can be found again. */
static const char schema_v2[] =
  "ALTER TABLE shots ADD COLUMN camera_height_m REAL NOT NULL DEFAULT 1.6;\n"
  "ALTER TABLE plates ADD COLUMN file_size INTEGER NOT NULL DEFAULT -1;\n"
  "ALTER TABLE plates ADD COLUMN hash TEXT;\n"
  "ALTER TABLE plates ADD COLUMN duration INTEGER NOT NULL DEFAULT -1;\n"
  "ALTER TABLE plates ADD COLUMN width INTEGER NOT NULL DEFAULT 0;\n"
  "ALTER TABLE plates ADD COLUMN height INTEGER NOT NULL DEFAULT 0;\n";

/* Version 3: the scene's set and the shot's camera, each a GVariant blob
 * (reel_set_to_variant(), reel_shot_camera_to_variant()); reel-project-file-set.c. */
static const char schema_v3[] =
  "CREATE TABLE scene_sets (\n"
  "  scene INTEGER PRIMARY KEY,\n"
  "  data  BLOB NOT NULL\n"
  ");\n"
  "CREATE TABLE shot_cameras (\n"
  "  shot INTEGER PRIMARY KEY,\n"
  "  data BLOB NOT NULL\n"
  ");\n";

/* Version 4: an asset keeps every generation record that produced it (two providers
 * can return the same bytes), in order: "generations" had one row per asset. */
static const char schema_v4[] =
  "CREATE TABLE asset_generations (\n"
  "  asset           TEXT NOT NULL,\n"
  "  position        INTEGER NOT NULL,\n"
  "  kind            TEXT,\n"
  "  angle           TEXT,\n"
  "  provider        TEXT,\n"
  "  model           TEXT,\n"
  "  endpoint_host   TEXT,\n"
  "  prompt          TEXT,\n"
  "  negative_prompt TEXT,\n"
  "  seed            INTEGER NOT NULL,\n"
  "  parameters      TEXT,\n"
  "  input_hashes    TEXT,\n"
  "  created_us      INTEGER NOT NULL,\n"
  "  duration_ms     INTEGER NOT NULL,\n"
  "  PRIMARY KEY (asset, position)\n"
  ") WITHOUT ROWID;\n"
  "INSERT INTO asset_generations SELECT asset, 0, kind, angle, provider, model, "
  "endpoint_host, prompt, negative_prompt, seed, parameters, input_hashes, created_us, "
  "duration_ms FROM generations;\n"
  "DROP TABLE generations;\n";

static const struct {
  int version;
  const char *sql;
} migrations[] = {
  { 1, schema_v1 },
  { 2, schema_v2 },
  { 3, schema_v3 },
  { 4, schema_v4 },
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == REEL_PROJECT_FILE_FORMAT_VERSION);

gboolean
reel_project_schema_migrate (sqlite3  *db,
                             int       from_version,
                             int       to_version,
                             GError  **error)
{
  g_return_val_if_fail (from_version >= 0, FALSE);
  g_return_val_if_fail (to_version <= REEL_PROJECT_FILE_FORMAT_VERSION, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *bookkeeping = NULL;
      char *message = NULL;

      if (migrations[i].version <= from_version || migrations[i].version > to_version)
        continue;

      bookkeeping = g_strdup_printf ("INSERT OR REPLACE INTO meta (key, value) "
                                     "VALUES ('format_version', '%d');\n"
                                     "PRAGMA user_version = %d;\n",
                                     migrations[i].version, migrations[i].version);

      if (sqlite3_exec (db, migrations[i].sql, NULL, NULL, &message) != SQLITE_OK ||
          sqlite3_exec (db, bookkeeping, NULL, NULL, &message) != SQLITE_OK)
        {
          g_set_error (error, REEL_STORAGE_ERROR, REEL_STORAGE_ERROR_FAILED,
                       "Upgrading to format %d failed: %s", migrations[i].version,
                       message != NULL ? message : "?");
          sqlite3_free (message);
          return FALSE;
        }
    }

  return TRUE;
}

/* Stroke points. */

enum {
  POINTS_RAW = 0,
  POINTS_DELTA = 1,
};

#define N_CHANNELS 5

G_STATIC_ASSERT (sizeof (ReelStrokePoint) == N_CHANNELS * sizeof (float));

static inline guint32
float_bits (float value)
{
  guint32 bits;

  memcpy (&bits, &value, sizeof bits);
  return bits;
}

static inline float
bits_float (guint32 bits)
{
  float value;

  memcpy (&value, &bits, sizeof value);
  return value;
}

static void
append_varint (GByteArray *out,
               guint32     value)
{
  guint8 byte;

  while (value >= 0x80)
    {
      byte = (value & 0x7f) | 0x80;
      g_byte_array_append (out, &byte, 1);
      value >>= 7;
    }
  byte = value;
  g_byte_array_append (out, &byte, 1);
}

static guint
varint_length (guint32 value)
{
  guint length = 1;

  while (value >= 0x80)
    {
      value >>= 7;
      length++;
    }
  return length;
}

static gboolean
read_varint (const guint8 **p,
             const guint8  *end,
             guint32       *value)
{
  guint32 result = 0;

  for (guint shift = 0; shift < 35; shift += 7)
    {
      guint8 byte;

      if (*p >= end)
        return FALSE;
      byte = *(*p)++;
      result |= (guint32) (byte & 0x7f) << shift;
      if ((byte & 0x80) == 0)
        {
          *value = result;
          return TRUE;
        }
    }
  return FALSE;
}

static inline guint32
zigzag (guint32 delta)
{
  gint32 signed_delta = (gint32) delta;

  return ((guint32) signed_delta << 1) ^ (guint32) (signed_delta >> 31);
}

static inline guint32
unzigzag (guint32 value)
{
  return (value >> 1) ^ (0u - (value & 1));
}

GBytes *
reel_stroke_points_encode (const ReelStrokePoint *points,
                           guint                  n_points)
{
  g_autoptr(GByteArray) delta = g_byte_array_sized_new (16 + n_points * 8);
  guint32 previous[N_CHANNELS] = { 0, };
  guint8 encoding;
  gsize raw_size;

  encoding = POINTS_DELTA;
  g_byte_array_append (delta, &encoding, 1);
  append_varint (delta, n_points);
  for (guint i = 0; i < n_points; i++)
    {
      const float *channels = &points[i].x;

      for (guint c = 0; c < N_CHANNELS; c++)
        {
          guint32 bits = float_bits (channels[c]);

          append_varint (delta, zigzag (bits - previous[c]));
          previous[c] = bits;
        }
    }

  raw_size = 1 + varint_length (n_points) + (gsize) n_points * N_CHANNELS * 4;

  if (delta->len <= raw_size)
    return g_byte_array_free_to_bytes (g_steal_pointer (&delta));

  /* Random-looking values compress badly: the plain floats are smaller then. */
  {
    g_autoptr(GByteArray) raw = g_byte_array_sized_new (raw_size);

    encoding = POINTS_RAW;
    g_byte_array_append (raw, &encoding, 1);
    append_varint (raw, n_points);
    for (guint i = 0; i < n_points; i++)
      {
        const float *channels = &points[i].x;

        for (guint c = 0; c < N_CHANNELS; c++)
          {
            guint32 le = GUINT32_TO_LE (float_bits (channels[c]));

            g_byte_array_append (raw, (const guint8 *) &le, 4);
          }
      }
    return g_byte_array_free_to_bytes (g_steal_pointer (&raw));
  }
}

gboolean
reel_stroke_points_decode_into (const guint8      *data,
                                gsize              size,
                                ReelStrokePoint  **buffer,
                                guint             *capacity,
                                guint             *n_points)
{
  const guint8 *p = data;
  const guint8 *end;
  ReelStrokePoint *points;
  guint32 count;
  guint8 encoding;

  *n_points = 0;
  /* An empty blob comes back from SQLite as NULL: no pointer arithmetic on it. */
  if (data == NULL || size < 2)
    return FALSE;
  end = data + size;

  encoding = *p++;
  if (!read_varint (&p, end, &count))
    return FALSE;
  /* Every point takes at least five bytes in either encoding. */
  if ((gsize) count > (gsize) (end - p) / N_CHANNELS)
    return FALSE;

  if (*buffer == NULL || *capacity < MAX (count, 1))
    {
      *capacity = MAX (MAX (count, 1), *capacity * 2);
      g_free (*buffer);
      *buffer = g_new (ReelStrokePoint, *capacity);
    }
  points = *buffer;

  if (encoding == POINTS_RAW)
    {
      if ((gsize) (end - p) != (gsize) count * N_CHANNELS * 4)
        return FALSE;
      for (guint i = 0; i < count; i++)
        {
          float *channels = &points[i].x;

          for (guint c = 0; c < N_CHANNELS; c++)
            {
              guint32 le;

              memcpy (&le, p, 4);
              p += 4;
              channels[c] = bits_float (GUINT32_FROM_LE (le));
            }
        }
    }
  else if (encoding == POINTS_DELTA)
    {
      guint32 previous[N_CHANNELS] = { 0, };

      for (guint i = 0; i < count; i++)
        {
          float *channels = &points[i].x;

          for (guint c = 0; c < N_CHANNELS; c++)
            {
              guint32 value;

              if (!read_varint (&p, end, &value))
                return FALSE;
              previous[c] += unzigzag (value);
              channels[c] = bits_float (previous[c]);
            }
        }
      if (p != end)
        return FALSE;
    }
  else
    {
      return FALSE;
    }

  *n_points = count;
  return TRUE;
}

ReelStrokePoint *
reel_stroke_points_decode (const guint8 *data,
                           gsize         size,
                           guint        *n_points)
{
  g_autofree ReelStrokePoint *points = NULL;
  guint capacity = 0;

  if (!reel_stroke_points_decode_into (data, size, &points, &capacity, n_points))
    return NULL;
  return g_steal_pointer (&points);
}
