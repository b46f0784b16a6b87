/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/reel-core.h"

G_BEGIN_DECLS

/*
 * Deterministic random data for tests: the same seed gives the same project
 * (ids included), so a failing seed can be replayed. Every field of every object
 * is filled, with awkward text (unicode, quotes, newlines, empty strings,
 * formula-looking cells), generation records, plates and several layers.
 */

/* A project of @n_scenes scenes of @shots_per_scene shots with about
 * @strokes_per_shot strokes each. Transfer full; not modified, empty history. */
ReelProject *reel_test_project_random        (guint32     seed,
                                              guint       n_scenes,
                                              guint       shots_per_scene,
                                              guint       strokes_per_shot);

/* Pieces for tests that build their own objects from a GRand. */
char        *reel_test_random_text           (GRand      *rand);
char        *reel_test_random_id             (GRand      *rand);
ReelStroke  *reel_test_random_stroke         (GRand      *rand);
ReelShot    *reel_test_random_shot           (GRand      *rand,
                                              ReelProject *project,
                                              guint        n_strokes);
ReelScene   *reel_test_random_scene          (GRand      *rand,
                                              ReelProject *project,
                                              guint        n_shots,
                                              guint        strokes_per_shot);
ReelPlate   *reel_test_random_plate          (GRand      *rand);
/* A small PNG asset (a few pixels, random colours), with a random generation
 * record when @with_record. */
ReelAsset   *reel_test_random_asset          (GRand      *rand,
                                              gboolean    with_record);
/* A solid-colour PNG of @width × @height (transfer full). */
GBytes      *reel_test_make_png              (int         width,
                                              int         height,
                                              guint32     rgba);

/* Prints the seed when a test fails, and gives the seed to use: the
 * STORYREEL_TEST_SEED environment variable replays one. */
guint32      reel_test_seed                  (guint32     default_seed);

G_END_DECLS
