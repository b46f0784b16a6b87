/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "reel-canvas.h"

G_BEGIN_DECLS

/* The stroke machinery behind the pointer and stylus gestures, in widget
 * coordinates, for tests and benchmarks that need exact, repeatable strokes.
 * A negative @pressure stands for a mouse (the pressure follows the speed). */
gboolean reel_canvas_begin_stroke  (ReelCanvas *self,
                                    double      x,
                                    double      y,
                                    double      pressure,
                                    double      tilt_x,
                                    double      tilt_y,
                                    gboolean    erase);
void     reel_canvas_extend_stroke (ReelCanvas *self,
                                    double      x,
                                    double      y,
                                    double      pressure,
                                    double      tilt_x,
                                    double      tilt_y,
                                    gboolean    straight);
/* Adds the stroke to the shot (one undo step) when @commit, else drops it. */
void     reel_canvas_end_stroke    (ReelCanvas *self,
                                    gboolean    commit);

G_END_DECLS
