/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "core/reel-project.h"

G_BEGIN_DECLS

/**
 * ReelGuideFlags:
 * @REEL_GUIDE_MASK: darken what lies outside the project aspect (letterbox or pillarbox)
 * @REEL_GUIDE_THIRDS: rule-of-thirds lines
 * @REEL_GUIDE_ACTION_SAFE: 93 % action-safe rectangle
 * @REEL_GUIDE_TITLE_SAFE: 90 % title-safe rectangle
 * @REEL_GUIDE_CENTER: a small centre cross
 */
typedef enum
{
  REEL_GUIDE_NONE        = 0,
  REEL_GUIDE_MASK        = 1 << 0,
  REEL_GUIDE_THIRDS      = 1 << 1,
  REEL_GUIDE_ACTION_SAFE = 1 << 2,
  REEL_GUIDE_TITLE_SAFE  = 1 << 3,
  REEL_GUIDE_CENTER      = 1 << 4,
} ReelGuideFlags;

#define REEL_PANEL_ACTION_SAFE 0.93
#define REEL_PANEL_TITLE_SAFE  0.90

/* The neutral grey an empty panel is filled with. */
#define REEL_PANEL_FILL_RED   0.55
#define REEL_PANEL_FILL_GREEN 0.55
#define REEL_PANEL_FILL_BLUE  0.55

/* Renders a shot's panel into (0, 0, @width, @height) of @cr: neutral grey,
 * the active background (decoded once, cached, scaled to cover), then the sketch.
 * Reads the model: call it on the main thread, or hand a worker thread the
 * parts (see reel_panel_render_parts()). A video background shows its first frame
 * once the media layer has set reel_panel_set_video_frame_func(), grey before. */
void             reel_panel_render             (ReelProject      *project,
                                                ReelShot         *shot,
                                                cairo_t          *cr,
                                                double            width,
                                                double            height);
/* Thread-safe version: @background nullable, @sketch nullable and not modified
 * while drawing (give it reel_sketch_copy()). */
void             reel_panel_render_parts       (ReelAsset        *background,
                                                ReelSketch       *sketch,
                                                cairo_t          *cr,
                                                double            width,
                                                double            height);
/* Draws @image scaled to cover (0, 0, @width, @height), centred, with edges padded;
 * FALSE (nothing drawn) for an empty image or area. */
gboolean         reel_panel_draw_surface_cover (cairo_surface_t  *image,
                                                cairo_t          *cr,
                                                double            width,
                                                double            height);
/* Draws @asset scaled to cover (0, 0, @width, @height), centred; FALSE (nothing
 * drawn) if it cannot be decoded, or is a video and no video frame function is set. Uses the decoded-image cache, except for
 * an area less than half the image's size each way (a thumbnail): that is decoded at about
 * its size and not cached. */
gboolean         reel_panel_draw_asset_cover   (ReelAsset        *asset,
                                                cairo_t          *cr,
                                                double            width,
                                                double            height);
/* The picture a still panel shows for a video asset (its first frame), decoded by the
 * media layer, which core cannot link: set once, at start-up or by the first widget
 * that draws panels. Called on worker threads; returns a new image surface or NULL.
 * The result is kept in the decoded-image cache under the asset's hash. */
typedef cairo_surface_t *(*ReelPanelVideoFrameFunc) (ReelAsset  *asset,
                                                     GError    **error);
void             reel_panel_set_video_frame_func (ReelPanelVideoFrameFunc func);

/* The panel as a PNG @width pixels wide and width / project aspect high. */
GBytes          *reel_panel_render_png         (ReelProject      *project,
                                                ReelShot         *shot,
                                                int               width,
                                                GError          **error);
/* Thread-safe PNG of the parts, @width × @height. */
GBytes          *reel_panel_render_parts_png   (ReelAsset        *background,
                                                ReelSketch       *sketch,
                                                int               width,
                                                int               height,
                                                GError          **error);
/* Pixel height of a panel @width wide at @aspect (at least 1). */
int              reel_panel_height_for_width   (double            aspect,
                                                int               width);

/* Decoded image of @asset as a cairo image surface (transfer full), shared
 * through a thread-safe cache keyed by hash. NULL with @error for videos or
 * undecodable bytes. */
cairo_surface_t *reel_panel_lookup_surface     (ReelAsset        *asset,
                                                GError          **error);
/* Empties the decoded-image cache. */
void             reel_panel_clear_cache        (void);

/* Framing guides over (0, 0, @width, @height). @aspect is the project aspect:
 * MASK darkens the bands outside the largest centred rectangle of that aspect,
 * and the other guides are drawn inside that rectangle. */
void             reel_framing_guides_draw      (cairo_t          *cr,
                                                double            width,
                                                double            height,
                                                double            aspect,
                                                ReelGuideFlags    flags);
/* The largest centred rectangle of @aspect inside @width × @height. */
void             reel_framing_get_frame_rect   (double            width,
                                                double            height,
                                                double            aspect,
                                                double           *x,
                                                double           *y,
                                                double           *frame_width,
                                                double           *frame_height);

/* How many bytes of decoded images the cache holds now (for tests and benchmarks). */
gsize            reel_panel_get_cache_bytes    (void);

G_END_DECLS
