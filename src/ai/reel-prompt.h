/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ai/reel-generator.h"
#include "core/reel-project.h"

G_BEGIN_DECLS

/**
 * ReelAngleVariant:
 * @id: stable id ("low", "high", "birds_eye", "worms_eye", "dutch", "ots", "reverse",
 *   "wider", "tighter")
 * @label: untranslated label (N_())
 * @phrase: the English words that finish "the same set, seen from …"
 *
 * The camera angles a director asks for, of a set that already has a background.
 */
typedef struct
{
  const char *id;
  const char *label;
  const char *phrase;
} ReelAngleVariant;

const ReelAngleVariant *reel_prompt_get_angle_variants   (guint              *n_variants);
const ReelAngleVariant *reel_prompt_lookup_angle_variant (const char         *id);

/* "dawn", "day", "dusk", "night" or NULL, from a heading's time of day ("SUNSET",
 * "LATE NIGHT", "MORNING" …). */
const char             *reel_prompt_normalize_time_of_day (const char        *time_of_day);

/* "medium shot, framed from the waist up, eye-level camera angle, 35 mm lens, camera
 * 1.6 m above the ground". Transfer full. */
char                   *reel_prompt_build_camera_phrase  (ReelProject        *project,
                                                          ReelShot           *shot);
/* The prompt for @shot: the project's look, the scene heading, the shot's action, the
 * camera phrase and "empty background plate, no people"; for an angle, "the same set,
 * seen from …" first. English on purpose: that is what the models follow best. Transfer
 * full. */
char                   *reel_prompt_build                (ReelProject        *project,
                                                          ReelShot           *shot,
                                                          ReelGenerationKind  kind,
                                                          const char         *angle_id);
const char             *reel_prompt_get_negative         (void);

/* Sets the camera fields of @shot (a new shot, not yet in a project) to what the angle
 * variant means: the angle preset, a framing, a wider or tighter size and lens. */
void                    reel_prompt_apply_angle_variant  (ReelShot           *shot,
                                                          const char         *angle_id);

/* Pixel size for a frame of @aspect whose long side is @long_side, both multiples of 16. */
void                    reel_prompt_pixel_size           (double              aspect,
                                                          int                 long_side,
                                                          int                *width,
                                                          int                *height);

/* A whole request for @shot: @prompt (or the built one when NULL), the negative prompt,
 * the project's aspect and a pixel size, the camera (after the angle variant) and the
 * reference images (sketch panel, current background, look image). Main thread: it
 * renders the panel. Transfer full. */
ReelGenerationRequest  *reel_prompt_new_request          (ReelProject        *project,
                                                          ReelShot           *shot,
                                                          ReelGenerationKind  kind,
                                                          const char         *angle_id,
                                                          const char         *prompt,
                                                          guint               count);

G_END_DECLS
