/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/reel-camera.h"
#include "core/reel-set.h"
#include "core/reel-shot.h"

G_BEGIN_DECLS

#define REEL_TYPE_SCENE (reel_scene_get_type ())

G_DECLARE_FINAL_TYPE (ReelScene, reel_scene, REEL, SCENE, GObject)

typedef struct _ReelProject ReelProject;

/*
 * ReelScene: a scene of the screenplay and its shots. Properties:
 *   "id"           string, construct-only: stable UUID
 *   "number"       string: scene number ("12", "12A"), may be ""
 *   "int-ext"      ReelIntExt, default REEL_INT_EXT_INT
 *   "location"     string ("HARBOUR")
 *   "time-of-day"  string ("DAWN"), may be ""
 *   "synopsis"     string
 *   "heading"      string, read-only: reel_scene_build_heading(), notified when a part changes
 *   "set"          ReelSet, nullable: the floor plan (copied in and out, see reel-set.h)
 *
 * Shots are a GListModel of ReelShot (reel_scene_get_shots()) that emits
 * ::items-changed; the mutators here are plain (loading, tests): user edits go
 * through reel-edit.h. A shot belongs to at most one scene.
 */

/**
 * ReelNumberingStyle:
 * @REEL_NUMBERING_SEQUENTIAL: "1", "2", "3" …
 * @REEL_NUMBERING_SCENE_LETTER: scene number + letter: "12A", "12B" … "12Z",
 *   "12AA", "12AB" …, skipping I, O and Q (they read as 1, 0 and O)
 * @REEL_NUMBERING_SCENE_DASH: "12-1", "12-2" …
 *
 * The two scene-based styles fall back to the scene's position (1-based) in its
 * project when the scene has no number.
 */
typedef enum
{
  REEL_NUMBERING_SEQUENTIAL,
  REEL_NUMBERING_SCENE_LETTER,
  REEL_NUMBERING_SCENE_DASH,
} ReelNumberingStyle;

ReelScene    *reel_scene_new                (void);
ReelScene    *reel_scene_new_with_id        (const char   *id);
/* Deep copy with the same ids (scene and shots). */
ReelScene    *reel_scene_copy               (ReelScene    *self);
/* Deep copy with new ids for the scene and every shot. */
ReelScene    *reel_scene_duplicate          (ReelScene    *self);
/* Every property and every shot (reel_shot_equal), in order. */
gboolean      reel_scene_equal              (ReelScene    *a,
                                             ReelScene    *b);

const char   *reel_scene_get_id             (ReelScene    *self);
/* Transfer none, or NULL. */
ReelProject  *reel_scene_get_project        (ReelScene    *self);

const char   *reel_scene_get_number         (ReelScene    *self);
void          reel_scene_set_number         (ReelScene    *self,
                                             const char   *number);
ReelIntExt    reel_scene_get_int_ext        (ReelScene    *self);
void          reel_scene_set_int_ext        (ReelScene    *self,
                                             ReelIntExt    int_ext);
const char   *reel_scene_get_location       (ReelScene    *self);
void          reel_scene_set_location       (ReelScene    *self,
                                             const char   *location);
const char   *reel_scene_get_time_of_day    (ReelScene    *self);
void          reel_scene_set_time_of_day    (ReelScene    *self,
                                             const char   *time_of_day);
const char   *reel_scene_get_synopsis       (ReelScene    *self);
void          reel_scene_set_synopsis       (ReelScene    *self,
                                             const char   *synopsis);
/* "EXT. HARBOUR - DAWN": prefix, location and time of day as typed (a
 * screenplay writes them in capitals), parts left out when empty. Cached. */
const char   *reel_scene_get_heading        (ReelScene    *self);
/* Transfer full copy of reel_scene_get_heading(). */
char         *reel_scene_build_heading      (ReelScene    *self);

/* Nullable, transfer none. The setter copies; user edits: reel_edit_set_scene_set(). */
const ReelSet *reel_scene_get_set           (ReelScene     *self);
void          reel_scene_set_set            (ReelScene     *self,
                                             const ReelSet *set);

/* GListModel of ReelShot (transfer none). */
GListModel   *reel_scene_get_shots          (ReelScene    *self);
guint         reel_scene_get_n_shots        (ReelScene    *self);
/* Transfer none; NULL when out of range. */
ReelShot     *reel_scene_get_shot           (ReelScene    *self,
                                             guint         position);
/* @position past the end appends. The shot must not be in a scene. */
void          reel_scene_insert_shot        (ReelScene    *self,
                                             guint         position,
                                             ReelShot     *shot);
void          reel_scene_append_shot        (ReelScene    *self,
                                             ReelShot     *shot);
/* Returns the removed shot (transfer full). */
ReelShot     *reel_scene_remove_shot        (ReelScene    *self,
                                             guint         position);
/* Moves a shot within this scene; @to is its index after the move. */
void          reel_scene_move_shot          (ReelScene    *self,
                                             guint         from,
                                             guint         to);
gboolean      reel_scene_find_shot          (ReelScene    *self,
                                             ReelShot     *shot,
                                             guint        *out_position);
/* Sum of the shot durations in frames. */
gint64        reel_scene_get_duration       (ReelScene    *self);

/* Plain renumbering of every shot (see ReelNumberingStyle); undoable:
 * reel_edit_renumber_scene(). */
void          reel_scene_renumber           (ReelScene          *self,
                                             ReelNumberingStyle  style);
/* The @index-th (0-based) letter suffix: 0 → "A", 7 → "H", 8 → "J", 22 → "Z",
 * 23 → "AA" (I, O and Q skipped in every place). Transfer full. */
char         *reel_shot_number_letters      (guint               index);

/* Stamp of the last change to the scene's own properties or to its list of shots
 * (inserted, removed, reordered); not to the shots' contents. */
guint64       reel_scene_get_revision       (ReelScene    *self);

G_END_DECLS
