/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/reel-asset.h"
#include "core/reel-history.h"
#include "core/reel-scene.h"
#include "core/reel-shot.h"
#include "core/reel-timecode.h"

G_BEGIN_DECLS

#define REEL_TYPE_PROJECT (reel_project_get_type ())

G_DECLARE_FINAL_TYPE (ReelProject, reel_project, REEL, PROJECT, GObject)

/**
 * ReelAspectRatio:
 * @value: width / height
 * @label: untranslated label (N_()): "2.39:1 (Scope)"
 */
typedef struct
{
  double      value;
  const char *label;
} ReelAspectRatio;

#define REEL_ASPECT_RATIO_DEFAULT 1.78

/* 2.39, 2.0, 1.85, 1.78, 1.33, 1.0, 0.5625. */
const ReelAspectRatio *reel_aspect_ratio_get_standard (guint *n_ratios);
/* Translated label of the standard ratio closest to @value within 0.005, else
 * "%.2f:1". Transfer full. */
char                  *reel_aspect_ratio_dup_label    (double value);

/* Title-page metadata keys (any other key is kept too). */
#define REEL_METADATA_AUTHOR     "author"
#define REEL_METADATA_CREDIT     "credit"
#define REEL_METADATA_SOURCE     "source"
#define REEL_METADATA_DRAFT_DATE "draft_date"
#define REEL_METADATA_CONTACT    "contact"
#define REEL_METADATA_COPYRIGHT  "copyright"
#define REEL_METADATA_NOTES      "notes"

/*
 * ReelProject: the whole storyboard. Properties (notify on change; setters are
 * plain, user edits go through reel-edit.h):
 *   "title"            string
 *   "frame-rate-num"   int, default 24
 *   "frame-rate-den"   int, default 1
 *   "aspect-ratio"     double, default 1.78
 *   "sensor"           string: id from reel-optics.h, default "super35"
 *   "look-phrase"      string: style phrase applied to every generation
 *   "look-image"       string, nullable: hash of the look reference image
 *   "history"          ReelHistory, read-only
 *   "modified"         boolean, read-only: changed since reel_project_mark_saved()
 *
 * Signals:
 *   ::changed ()        after any change anywhere in the project (its fields, scenes,
 *                       shots, sketches, plates, assets, metadata). Cheap to
 *                       listen to; autosave and "modified" use it.
 */

ReelProject        *reel_project_new                 (void);
/* Deep copy: scenes and shots with the same ids, the same (shared, immutable)
 * assets, the metadata. A fresh empty history; not modified. */
ReelProject        *reel_project_copy                (ReelProject     *self);
/* Deep comparison of every field of every object, the metadata and the asset
 * store (hashes, types, sizes, generation records). Not the history. */
gboolean            reel_project_equal               (ReelProject     *a,
                                                      ReelProject     *b);

const char         *reel_project_get_title           (ReelProject     *self);
void                reel_project_set_title           (ReelProject     *self,
                                                      const char      *title);
ReelFrameRate       reel_project_get_frame_rate      (ReelProject     *self);
/* Invalid rates (num or den <= 0) are ignored with a critical. */
void                reel_project_set_frame_rate      (ReelProject     *self,
                                                      ReelFrameRate    rate);
double              reel_project_get_aspect_ratio    (ReelProject     *self);
void                reel_project_set_aspect_ratio    (ReelProject     *self,
                                                      double           aspect_ratio);
const char         *reel_project_get_sensor          (ReelProject     *self);
void                reel_project_set_sensor          (ReelProject     *self,
                                                      const char      *sensor_id);
const char         *reel_project_get_look_phrase     (ReelProject     *self);
void                reel_project_set_look_phrase     (ReelProject     *self,
                                                      const char      *look_phrase);
/* Nullable. */
const char         *reel_project_get_look_image      (ReelProject     *self);
void                reel_project_set_look_image      (ReelProject     *self,
                                                      const char      *hash);

/* Title-page metadata, kept in insertion order. NULL when unset. */
const char         *reel_project_get_metadata        (ReelProject     *self,
                                                      const char      *key);
/* NULL @value removes the key. */
void                reel_project_set_metadata        (ReelProject     *self,
                                                      const char      *key,
                                                      const char      *value);
/* Keys in insertion order (transfer full, g_strfreev). */
char              **reel_project_list_metadata_keys  (ReelProject     *self);

/* GListModel of ReelScene (transfer none). */
GListModel         *reel_project_get_scenes          (ReelProject     *self);
guint               reel_project_get_n_scenes        (ReelProject     *self);
/* Transfer none, NULL when out of range. */
ReelScene          *reel_project_get_scene           (ReelProject     *self,
                                                      guint            position);
/* Plain mutators (loading, tests). @position past the end appends. */
void                reel_project_insert_scene        (ReelProject     *self,
                                                      guint            position,
                                                      ReelScene       *scene);
void                reel_project_append_scene        (ReelProject     *self,
                                                      ReelScene       *scene);
/* Transfer full. */
ReelScene          *reel_project_remove_scene        (ReelProject     *self,
                                                      guint            position);
void                reel_project_move_scene          (ReelProject     *self,
                                                      guint            from,
                                                      guint            to);
gboolean            reel_project_find_scene_position (ReelProject     *self,
                                                      ReelScene       *scene,
                                                      guint           *out_position);
/* By id (transfer none), or NULL. */
ReelScene          *reel_project_find_scene          (ReelProject     *self,
                                                      const char      *scene_id,
                                                      guint           *out_position);
/* By id (transfer none), or NULL; also gives its scene and position (nullable out). */
ReelShot           *reel_project_find_shot           (ReelProject     *self,
                                                      const char      *shot_id,
                                                      ReelScene      **out_scene,
                                                      guint           *out_position);
/* Total number of shots in every scene. */
guint               reel_project_get_n_shots         (ReelProject     *self);
/* Sum of every shot's duration, in frames. */
gint64              reel_project_get_duration        (ReelProject     *self);

/* Asset store, keyed by content hash. Adding an asset whose hash is already
 * stored keeps the stored one and returns it (transfer none), unless @asset brings
 * generation records the stored one lacks: then a copy with both lists (the stored
 * records first) takes its place and is returned. Otherwise stores @asset and
 * returns it. */
ReelAsset          *reel_project_add_asset           (ReelProject     *self,
                                                      ReelAsset       *asset);
/* Transfer none, or NULL. */
ReelAsset          *reel_project_lookup_asset        (ReelProject     *self,
                                                      const char      *hash);
/* FALSE when not stored. Nothing checks whether a shot still uses it. */
gboolean            reel_project_remove_asset        (ReelProject     *self,
                                                      const char      *hash);
/* Forgets the stored assets that reel_project_collect_used_hashes() does not
 * list: nothing shows them and no undo or redo can bring them back, so the
 * project is not changed by it (no revision, no ::changed). Saving does this.
 * Returns how many went. */
guint               reel_project_drop_unused_assets  (ReelProject     *self);
guint               reel_project_get_n_assets        (ReelProject     *self);
/* Every stored asset in the order they were added (transfer container:
 * g_ptr_array_unref, the array holds references). */
GPtrArray          *reel_project_list_assets         (ReelProject     *self);
/* Hashes that something refers to, each with how many uses it has
 * (GPOINTER_TO_UINT of the value): backgrounds, variants, generations, the look
 * image, the undo history (what undo or redo can bring back) and the input
 * hashes of the generation records of those assets. An asset missing from it
 * can go: a save leaves it out of the file. Transfer full. */
GHashTable         *reel_project_collect_used_hashes (ReelProject     *self);

/* Transfer none: the one undo history of this project. */
ReelHistory        *reel_project_get_history         (ReelProject     *self);

/* Stamp of the last change to the project's own fields, metadata, scene list
 * (order, insertions, removals) or asset store. */
guint64             reel_project_get_revision        (ReelProject     *self);
/* Stamp of the last change anywhere in the project (>= every revision in it). */
guint64             reel_project_get_content_revision (ReelProject    *self);
gboolean            reel_project_get_modified        (ReelProject     *self);
/* The project is saved as it is now: "modified" becomes FALSE. */
void                reel_project_mark_saved          (ReelProject     *self);
/* Stamp at the last reel_project_mark_saved() (0 before). Storage saves the
 * objects whose revision is greater. */
guint64             reel_project_get_saved_revision  (ReelProject     *self);

/* The process-wide revision counter: the stamp of the latest change to any
 * model object. Thread-safe. */
guint64             reel_revision_current            (void);

G_END_DECLS
