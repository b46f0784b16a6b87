/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/reel-project.h"

G_BEGIN_DECLS

/* The demo storyboard: one short scene ("EXT. HARBOUR - DAWN") of eight shots with
 * varied camera settings, action, dialogue and hand-drawn-looking sketches made in
 * code. Always the same (fixed ids), so tests and screenshots can rely on it.
 * Transfer full; not modified, empty history. */
ReelProject *reel_demo_project_new        (void);

/* The green-screen plate the build makes for the demo (data/demo/reel-demo-plate.c). */
#define REEL_DEMO_PLATE_WIDTH     1920
#define REEL_DEMO_PLATE_HEIGHT    1080
#define REEL_DEMO_PLATE_FRAMES    (6 * 24)
#define REEL_DEMO_PLATE_KEY_COLOR 0x18a84c

/* The shot with a moving background (1H, the crane up): the gray-box along its camera move,
 * a clip the build draws and encodes (data/demo/reel-demo-write.c). */
#define REEL_DEMO_CLIP_SHOT_ID    "5c1a2f4e-0d3b-4e61-9a57-000000000108"
#define REEL_DEMO_CLIP_WIDTH      960
#define REEL_DEMO_CLIP_HEIGHT     402

gboolean     reel_demo_project_add_plates (ReelProject  *project,
                                           GFile        *project_file,
                                           GFile        *plate,
                                           GError      **error);

G_END_DECLS
