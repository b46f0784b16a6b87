/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define REEL_TYPE_PLATE (reel_plate_get_type ())

G_DECLARE_FINAL_TYPE (ReelPlate, reel_plate, REEL, PLATE, GObject)

/*
 * ReelPlate: the reference footage of a shot (green-screen plate, location
 * scout). The file is linked, not copied: "path" is relative to the project file
 * (or absolute when it lives on another file system), and "file-size" + "hash"
 * let storage find a moved file again.
 *
 * Properties (all read-write, notify on change):
 *   "path"               string, relative to the project file's folder, '/' separated
 *   "file-size"          gint64 bytes, -1 unknown
 *   "hash"               string, reel_plate_compute_file_hash(), nullable
 *   "duration"           gint64 nanoseconds, -1 unknown
 *   "width", "height"    int pixels, 0 unknown
 *   "key-color"          guint 0xRRGGBB, default 0x00B140 (chroma green)
 *   "similarity"         double 0..1, default 0.40: how far from the key colour is keyed out
 *   "softness"           double 0..1, default 0.10: the soft edge beyond that
 *   "spill"              double 0..1, default 0.50: key-colour spill suppression
 *   "background-scale"   double > 0, default 1.0: background size relative to "cover"
 *   "background-x", "background-y"  double, default 0: background offset as a
 *                        fraction of the panel width / height
 *   "plate-scale"        double > 0, default 1.0: plate size relative to "fit"
 *   "plate-x", "plate-y" double, default 0: plate offset, fraction of the panel
 *   "muted"              boolean, default FALSE: plate audio muted
 */

#define REEL_PLATE_DEFAULT_KEY_COLOR 0x00B140

ReelPlate  *reel_plate_new                    (const char  *path);
/* A new plate with every property of @self. */
ReelPlate  *reel_plate_copy                   (ReelPlate   *self);
/* Every property equal (doubles exactly). NULL == NULL. */
gboolean    reel_plate_equal                  (ReelPlate   *a,
                                               ReelPlate   *b);

const char *reel_plate_get_path               (ReelPlate   *self);
void        reel_plate_set_path               (ReelPlate   *self,
                                               const char  *path);
gint64      reel_plate_get_file_size          (ReelPlate   *self);
void        reel_plate_set_file_size          (ReelPlate   *self,
                                               gint64       file_size);
const char *reel_plate_get_hash               (ReelPlate   *self);
void        reel_plate_set_hash               (ReelPlate   *self,
                                               const char  *hash);
gint64      reel_plate_get_duration           (ReelPlate   *self);
void        reel_plate_set_duration           (ReelPlate   *self,
                                               gint64       duration_ns);
int         reel_plate_get_width              (ReelPlate   *self);
int         reel_plate_get_height             (ReelPlate   *self);
void        reel_plate_set_size               (ReelPlate   *self,
                                               int          width,
                                               int          height);
guint       reel_plate_get_key_color          (ReelPlate   *self);
void        reel_plate_set_key_color          (ReelPlate   *self,
                                               guint        rgb);
double      reel_plate_get_similarity         (ReelPlate   *self);
void        reel_plate_set_similarity         (ReelPlate   *self,
                                               double       similarity);
double      reel_plate_get_softness           (ReelPlate   *self);
void        reel_plate_set_softness           (ReelPlate   *self,
                                               double       softness);
double      reel_plate_get_spill              (ReelPlate   *self);
void        reel_plate_set_spill              (ReelPlate   *self,
                                               double       spill);
double      reel_plate_get_background_scale   (ReelPlate   *self);
void        reel_plate_set_background_scale   (ReelPlate   *self,
                                               double       scale);
double      reel_plate_get_background_x       (ReelPlate   *self);
double      reel_plate_get_background_y       (ReelPlate   *self);
void        reel_plate_set_background_offset  (ReelPlate   *self,
                                               double       x,
                                               double       y);
double      reel_plate_get_plate_scale        (ReelPlate   *self);
void        reel_plate_set_plate_scale        (ReelPlate   *self,
                                               double       scale);
double      reel_plate_get_plate_x            (ReelPlate   *self);
double      reel_plate_get_plate_y            (ReelPlate   *self);
void        reel_plate_set_plate_position     (ReelPlate   *self,
                                               double       x,
                                               double       y);
gboolean    reel_plate_get_muted              (ReelPlate   *self);
void        reel_plate_set_muted              (ReelPlate   *self,
                                               gboolean     muted);

/* The footage file for a project saved as @project_file (nullable: then the
 * path is taken relative to the current directory). Transfer full. */
GFile      *reel_plate_resolve                (ReelPlate   *self,
                                               GFile       *project_file);
/* The path to store for @media in a project saved as @project_file: relative
 * ("../footage/a.mov") when both share a root, else absolute. Transfer full. */
char       *reel_plate_make_relative_path     (GFile       *project_file,
                                               GFile       *media);

/* Identity of a footage file without reading all of it: lowercase hex SHA-256 of
 * the file size (8 bytes, little endian), the first MiB and the last MiB (the
 * whole file when it is smaller than 2 MiB). Blocking: call from a thread. */
char       *reel_plate_compute_file_hash      (GFile        *file,
                                               gint64       *out_size,
                                               GCancellable *cancellable,
                                               GError      **error);

G_END_DECLS
