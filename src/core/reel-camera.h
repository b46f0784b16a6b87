/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * ReelVocabulary:
 * @REEL_VOCAB_SIZE: shot sizes ("ews" … "insert")
 * @REEL_VOCAB_FRAMING: framings ("single", "two_shot", "ots" …)
 * @REEL_VOCAB_ANGLE: camera angles ("eye_level", "high", "dutch" …)
 * @REEL_VOCAB_MOVEMENT: camera movements ("static", "dolly_in" …)
 * @REEL_VOCAB_INT_EXT: scene INT/EXT ("int", "ext", "int_ext", "est", "none")
 * @REEL_VOCAB_STATUS: shot statuses ("todo", "in_progress", "review", "approved", "omitted")
 *
 * The controlled vocabularies of a shot. Ids are stable: they are stored in
 * project files and written by exporters, so never rename one.
 */
typedef enum
{
  REEL_VOCAB_SIZE,
  REEL_VOCAB_FRAMING,
  REEL_VOCAB_ANGLE,
  REEL_VOCAB_MOVEMENT,
  REEL_VOCAB_INT_EXT,
  REEL_VOCAB_STATUS,
} ReelVocabulary;

#define REEL_N_VOCABULARIES (REEL_VOCAB_STATUS + 1)

/**
 * ReelVocabEntry:
 * @id: stable lowercase snake_case id
 * @label: untranslated label (marked with N_()); show it with g_dgettext() / _()
 *   or use reel_camera_get_label()
 * @short_label: untranslated abbreviation for tight places ("MCU", "OTS"), or
 *   the same as @label when there is none
 * @phrase: English phrase for the prompt builder ("medium close-up shot")
 */
typedef struct
{
  const char *id;
  const char *label;
  const char *short_label;
  const char *phrase;
} ReelVocabEntry;

const ReelVocabEntry *reel_camera_get_sizes      (guint *n_entries);
const ReelVocabEntry *reel_camera_get_framings   (guint *n_entries);
const ReelVocabEntry *reel_camera_get_angles     (guint *n_entries);
const ReelVocabEntry *reel_camera_get_movements  (guint *n_entries);
const ReelVocabEntry *reel_camera_get_statuses   (guint *n_entries);
const ReelVocabEntry *reel_camera_get_vocabulary (ReelVocabulary  kind,
                                                  guint          *n_entries);

/* NULL when @id is NULL or unknown. */
const ReelVocabEntry *reel_camera_lookup         (ReelVocabulary  kind,
                                                  const char     *id);
/* Position of @id in its table, or -1. */
int                   reel_camera_get_index      (ReelVocabulary  kind,
                                                  const char     *id);
/* Translated label; for an unknown id, the id itself; "" for NULL. */
const char           *reel_camera_get_label      (ReelVocabulary  kind,
                                                  const char     *id);
/* Translated abbreviation ("MCU"); falls back like reel_camera_get_label(). */
const char           *reel_camera_get_short_label (ReelVocabulary kind,
                                                   const char    *id);
/* English prompt phrase; NULL for an unknown id. */
const char           *reel_camera_get_phrase     (ReelVocabulary  kind,
                                                  const char     *id);

/* Camera tilt of an angle preset in degrees, positive = camera looks UP
 * (low angle +30, worm's eye +45, high −15, bird's eye −30, eye level 0).
 * 0 for unknown ids. */
double                reel_camera_angle_get_tilt (const char     *angle_id);
/* Camera roll in degrees (dutch: 15); 0 for every other angle. */
double                reel_camera_angle_get_roll (const char     *angle_id);
/* Typical camera height in metres for an angle preset ("ground" 0.1,
 * "hip" 1.0 …), or -1 when the angle implies none. */
double                reel_camera_angle_get_height (const char   *angle_id);

/* The default prime lenses in mm: 22, 35, 50, 85, 120. */
const double         *reel_camera_get_prime_lenses (guint *n_lenses);

/* Default values of a new shot. */
#define REEL_CAMERA_DEFAULT_SIZE      "ms"
#define REEL_CAMERA_DEFAULT_FRAMING   "single"
#define REEL_CAMERA_DEFAULT_ANGLE     "eye_level"
#define REEL_CAMERA_DEFAULT_MOVEMENT  "static"
#define REEL_CAMERA_DEFAULT_STATUS    "todo"
#define REEL_CAMERA_DEFAULT_LENS_MM   35.0
#define REEL_CAMERA_DEFAULT_HEIGHT_M  1.6

/**
 * ReelIntExt:
 * @REEL_INT_EXT_NONE: no INT/EXT prefix (a forced Fountain heading such as "FLASHBACK")
 * @REEL_INT_EXT_INT: interior, "INT."
 * @REEL_INT_EXT_EXT: exterior, "EXT."
 * @REEL_INT_EXT_INT_EXT: both, "INT./EXT."
 * @REEL_INT_EXT_EST: establishing, "EST."
 */
typedef enum
{
  REEL_INT_EXT_NONE,
  REEL_INT_EXT_INT,
  REEL_INT_EXT_EXT,
  REEL_INT_EXT_INT_EXT,
  REEL_INT_EXT_EST,
} ReelIntExt;

#define REEL_TYPE_INT_EXT (reel_int_ext_get_type ())
GType       reel_int_ext_get_type       (void) G_GNUC_CONST;

/* "int", "ext", "int_ext", "est", "none". */
const char *reel_int_ext_to_id          (ReelIntExt  value);
/* Unknown or NULL ids give REEL_INT_EXT_NONE. */
ReelIntExt  reel_int_ext_from_id        (const char *id);
/* Screenplay prefix: "INT.", "EXT.", "INT./EXT.", "EST." or "" (not translated:
 * screenplay convention). */
const char *reel_int_ext_get_prefix     (ReelIntExt  value);
/* Translated label ("Interior"). */
const char *reel_int_ext_get_label      (ReelIntExt  value);

G_END_DECLS
