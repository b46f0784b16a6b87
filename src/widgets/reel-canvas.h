/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/reel-panel.h"
#include "core/reel-project.h"
#include "reel-thumbnailer.h"

G_BEGIN_DECLS

/* Tools of the canvas. The two arrows are both REEL_TOOL_ARROW strokes, told
 * apart by their colour and weight. */
#define REEL_CANVAS_TOOL_PEN             "pen"
#define REEL_CANVAS_TOOL_PENCIL          "pencil"
#define REEL_CANVAS_TOOL_MARKER          "marker"
#define REEL_CANVAS_TOOL_ERASER          "eraser"
#define REEL_CANVAS_TOOL_CAMERA_ARROW    "camera-arrow"
#define REEL_CANVAS_TOOL_CHARACTER_ARROW "character-arrow"
#define REEL_CANVAS_TOOL_FRAME           "frame"
#define REEL_CANVAS_TOOL_TEXT            "text"

/* Brush sizes are in pixels of a panel 1080 pixels high. */
#define REEL_CANVAS_MIN_BRUSH_SIZE 1.0
#define REEL_CANVAS_MAX_BRUSH_SIZE 200.0

#define REEL_CANVAS_MIN_ZOOM 0.25
#define REEL_CANVAS_MAX_ZOOM 8.0

#define REEL_TYPE_CANVAS (reel_canvas_get_type ())

G_DECLARE_FINAL_TYPE (ReelCanvas, reel_canvas, REEL, CANVAS, GtkWidget)

/*
 * ReelCanvas: one shot's panel, large, to sketch on. Properties:
 *   "project"      ReelProject (edits are recorded in its history)
 *   "shot"         ReelShot, nullable
 *   "tool"         string, one of REEL_CANVAS_TOOL_*
 *   "color"        GdkRGBA of the drawing tools (arrows have their own colours)
 *   "brush-size"   double, the size of the current tool (each tool keeps its own)
 *   "active-layer" string, the layer new strokes go to
 *   "guides"       ReelGuideFlags drawn over the panel
 *   "zoom"         double, 1 = the panel fits the canvas
 *   "greybox-background" boolean: the panel shows the gray-box view of the shot's camera
 *                  under the sketch (in place of the background) when the shot has one
 *
 * The committed strokes are rendered off the main thread into cached layers (the
 * layers below the active one with the background, the active layer, the layers
 * above); a stroke being drawn is painted segment by segment into a live surface
 * and a finished stroke is added to the cached active layer, so a long sketch on
 * a 4K panel costs no more per frame than an empty one.
 */

GtkWidget      *reel_canvas_new               (void);

ReelProject    *reel_canvas_get_project       (ReelCanvas      *self);
void            reel_canvas_set_project       (ReelCanvas      *self,
                                               ReelProject     *project);
ReelShot       *reel_canvas_get_shot          (ReelCanvas      *self);
void            reel_canvas_set_shot          (ReelCanvas      *self,
                                               ReelShot        *shot);
const char     *reel_canvas_get_tool          (ReelCanvas      *self);
void            reel_canvas_set_tool          (ReelCanvas      *self,
                                               const char      *tool);
void            reel_canvas_get_color         (ReelCanvas      *self,
                                               GdkRGBA         *color);
void            reel_canvas_set_color         (ReelCanvas      *self,
                                               const GdkRGBA   *color);
double          reel_canvas_get_brush_size    (ReelCanvas      *self);
void            reel_canvas_set_brush_size    (ReelCanvas      *self,
                                               double           size);
/* Steps the current tool's size up (@steps > 0) or down by about a quarter per step. */
void            reel_canvas_step_brush_size   (ReelCanvas      *self,
                                               int              steps);
const char     *reel_canvas_get_active_layer  (ReelCanvas      *self);
void            reel_canvas_set_active_layer  (ReelCanvas      *self,
                                               const char      *layer);
gboolean        reel_canvas_get_greybox_background (ReelCanvas *self);
void            reel_canvas_set_greybox_background (ReelCanvas *self,
                                                    gboolean    greybox_background);
ReelGuideFlags  reel_canvas_get_guides        (ReelCanvas      *self);
void            reel_canvas_set_guides        (ReelCanvas      *self,
                                               ReelGuideFlags   guides);
double          reel_canvas_get_zoom          (ReelCanvas      *self);
/* Zooms about the centre of the canvas; clamps to the zoom range. */
void            reel_canvas_set_zoom          (ReelCanvas      *self,
                                               double           zoom);
/* Back to the whole panel, centred. */
void            reel_canvas_reset_view        (ReelCanvas      *self);
/* Thumbnails to show while a shot's panel renders (nullable). */
void            reel_canvas_set_thumbnailer   (ReelCanvas      *self,
                                               ReelThumbnailer *thumbnailer);

/* Where the panel is drawn, in widget coordinates. */
void            reel_canvas_get_panel_bounds  (ReelCanvas      *self,
                                               graphene_rect_t *bounds);
/* TRUE while a render of the cached layers is under way or out of date. */
gboolean        reel_canvas_is_rendering      (ReelCanvas      *self);
/* TRUE while a stroke is being drawn. */
gboolean        reel_canvas_is_drawing        (ReelCanvas      *self);

G_END_DECLS
