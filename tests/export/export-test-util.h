/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/reel-core.h"
#include "export/reel-export-error.h"
#include "export/reel-export-registry.h"

G_BEGIN_DECLS

/* Texts of the awkward project, so that tests can look for them in the output. */
#define AWKWARD_TITLE        "Storm \"Test\", take 2: 폭풍 🎬"
#define AWKWARD_QUOTES       "He says \"stop\",\nthen runs, fast; 50% off"
#define AWKWARD_KOREAN       "안녕하세요, 세계! 배가 들어온다."
#define AWKWARD_FORMULA      "=HYPERLINK(\"http://evil.example/\",\"click\")"
#define AWKWARD_PLUS         "+1 -2 @3"
#define AWKWARD_EMOJI        "🎬 Take two 🎥 — the whale 🐋 surfaces"
#define AWKWARD_DASH         "-- dashes first, then a\ttab"
#define AWKWARD_AT           "@crew call at 6"
#define AWKWARD_LOCATION     "HARBOUR, \"OLD\" PIER"
#define AWKWARD_PROVIDER     "gemini"
#define AWKWARD_MODEL        "gemini-2.5-flash-image"

/* 23.976 fps, 2.39:1. Scene 1 (EXT) has shots 1A (quotes, Korean dialogue, 48 f), 1B (a
 * formula, asked for 0 frames: the model keeps 1), 1C (emoji, 10 hours). Scene 2 (INT,
 * Korean location) has 2A (no image at all), 2B (an AI-made background with provenance and
 * a sketch), 2C (a plate). Scene 3 has no shots. */
ReelProject *export_test_new_awkward_project (void);
/* The awkward project, its plate (shot 2C) linked to real footage: "kitchen plate.mov",
 * 240 frames of 64×36 at 24000/1001 with stereo sound at 48 kHz, made once per test
 * program in its temporary folder. */
ReelProject *export_test_new_awkward_project_with_footage (void);
/* Writes @n_frames of test pattern at @rate_num/@rate_den, @width × @height, Motion JPEG in
 * QuickTime, with @audio_channels of PCM at @audio_rate (none when 0) as long as the
 * picture. @audio_rate · @rate_den must be a multiple of @rate_num. */
void         export_test_make_plate          (GFile       *file,
                                              int          width,
                                              int          height,
                                              int          rate_num,
                                              int          rate_den,
                                              guint        n_frames,
                                              guint        audio_channels,
                                              guint        audio_rate);
/* A WebM of a few frames of one solid colour (0xAARRGGBB), @width × @height, in VP8,
 * written in a folder @name of the test's temporary folder. */
GBytes      *export_test_make_solid_webm     (const char  *name,
                                              int          width,
                                              int          height,
                                              guint32      argb);
/* @n_scenes scenes of @shots_per_scene shots with sketches and a few shared backgrounds. */
ReelProject *export_test_new_large_project   (guint        n_scenes,
                                              guint        shots_per_scene);
/* A small PNG of @width × @height in @rgb. */
GBytes      *export_test_make_png            (int          width,
                                              int          height,
                                              guint32      rgb);
/* Gives @shots (NULL-terminated) of @project one gray-box render as their background: a
 * 320 × 134 mid-grey PNG whose record names the "greybox" provider, model "greybox-1". */
void         export_test_use_greybox_background (ReelProject *project,
                                                 ReelShot    *first_shot,
                                                 ...) G_GNUC_NULL_TERMINATED;

/* Every shot of @project in order (transfer container). */
GPtrArray   *export_test_list_shots          (ReelProject *project);

/* Removes the test's temporary folder when @status is 0; returns @status. */
int          export_test_finish              (int          status);
/* A fresh folder under the test's temporary folder (transfer full). */
GFile       *export_test_make_folder         (const char  *name);

/* Runs an export to completion; returns TRUE or FALSE with @error. */
gboolean     export_test_run                 (const char        *format_id,
                                              ReelProject       *project,
                                              ReelExportOptions *options,
                                              GFile             *output,
                                              GError           **error);
/* Options with a fixed date, so that output does not depend on the clock. */
ReelExportOptions *export_test_new_options   (void);

char        *export_test_read_text           (GFile       *file);

/* Runs @argv (NULL-terminated), captures stdout and stderr; returns the exit status. */
int          export_test_spawn               (const char * const *argv,
                                              char              **out_stdout,
                                              char              **out_stderr);
/* Whether a program is on PATH. When it is not, the test case skips, or fails under
 * CI=true (see tests/reel-test-require.h); export_test_finish() then reports SKIP. */
gboolean     export_test_have_program        (const char  *program);

/* Names in @folder, sorted (transfer full, g_strfreev). */
char       **export_test_list_folder         (GFile       *folder);
/* Asserts that no temporary file (".*.part") was left in @folder. */
void         export_test_assert_no_temporaries (GFile     *folder);

G_END_DECLS
