/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/reel-panel.h"

G_BEGIN_DECLS

/**
 * ReelPreviewTool:
 * @REEL_PREVIEW_TOOL_NONE: clicks do nothing
 * @REEL_PREVIEW_TOOL_EYEDROPPER: a click picks the key colour
 * @REEL_PREVIEW_TOOL_MOVE_BACKGROUND: dragging moves the background, scrolling scales it
 * @REEL_PREVIEW_TOOL_MOVE_PLATE: dragging moves the plate, scrolling scales it
 */
typedef enum {
  REEL_PREVIEW_TOOL_NONE,
  REEL_PREVIEW_TOOL_EYEDROPPER,
  REEL_PREVIEW_TOOL_MOVE_BACKGROUND,
  REEL_PREVIEW_TOOL_MOVE_PLATE,
} ReelPreviewTool;

#define REEL_TYPE_PREVIEW_CANVAS (reel_preview_canvas_get_type ())

G_DECLARE_FINAL_TYPE (ReelPreviewCanvas, reel_preview_canvas, REEL, PREVIEW_CANVAS, GtkWidget)

GtkWidget       *reel_preview_canvas_new              (void);
void             reel_preview_canvas_set_paintable    (ReelPreviewCanvas *self,
                                                       GdkPaintable      *paintable);
GdkPaintable    *reel_preview_canvas_get_paintable    (ReelPreviewCanvas *self);
void             reel_preview_canvas_set_overlay      (ReelPreviewCanvas *self,
                                                       GdkPaintable      *overlay);
GdkPaintable    *reel_preview_canvas_get_overlay      (ReelPreviewCanvas *self);
void             reel_preview_canvas_set_aspect_ratio (ReelPreviewCanvas *self,
                                                       double             aspect_ratio);
void             reel_preview_canvas_set_guides       (ReelPreviewCanvas *self,
                                                       ReelGuideFlags     guides);
ReelGuideFlags   reel_preview_canvas_get_guides       (ReelPreviewCanvas *self);
void             reel_preview_canvas_set_tool         (ReelPreviewCanvas *self,
                                                       ReelPreviewTool    tool);
ReelPreviewTool  reel_preview_canvas_get_tool         (ReelPreviewCanvas *self);
void             reel_preview_canvas_get_frame_rect   (ReelPreviewCanvas *self,
                                                       graphene_rect_t   *rect);

G_END_DECLS
