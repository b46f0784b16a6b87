/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/reel-project.h"

G_BEGIN_DECLS

/* The demo storyboard: one short scene ("EXT. HARBOUR - DAWN") of eight shots with
 * varied camera settings, action, dialogue and hand-drawn-looking sketches made in
 * code. Always the same (fixed ids), so tests and screenshots can rely on it.
 * Transfer full; not modified, empty history. */
ReelProject *reel_demo_project_new (void);

G_END_DECLS
