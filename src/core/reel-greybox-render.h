/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/reel-set-mesh.h"
#include "core/reel-shot-camera.h"

G_BEGIN_DECLS

/*
 * The gray-box renderer: a small z-buffered rasteriser that draws a set from a camera
 * as a shaded image under the sky of the time of day, with a depth map (metres along
 * the view axis) and line art. The same code draws headless (the gray-box provider,
 * exports) and on screen. Thread-safe: it touches only its arguments.
 *
 * Pixel (0, 0) is the top-left pixel; a pixel's centre is at (x + 0.5, y + 0.5) in the
 * coordinates of reel_camera_pose_project(). The frame's width spans the sensor's width.
 */

/* Depth maps store centimetres: 16 bits reach 655.34 m; 65535 is "nothing" (sky). */
#define REEL_GREYBOX_DEPTH_UNITS_PER_METRE 100.0
#define REEL_GREYBOX_DEPTH_NONE            65535

typedef struct
{
  const char *time_of_day;   /* "dawn", "day", "dusk", "night" (others: day) */
  double sensor_width_mm;    /* 0: Super 35 */
  double sun_turn_deg;       /* turns the sun about the vertical (variants of one set) */
} ReelGreyboxOptions;

typedef struct
{
  int width;
  int height;
  guint32 *rgb;     /* 0x00RRGGBB per pixel, rows of @width (Cairo's RGB24, stride width·4) */
  float *depth;     /* metres along the view axis; INFINITY where nothing was drawn */
  guint32 *faces;   /* face of the mesh + 1 per pixel, 0 for sky */
  guint32 *objects; /* object of the mesh + 1 per pixel, 0 for sky */
} ReelGreyboxImage;

ReelGreyboxImage *reel_greybox_image_new       (int                       width,
                                                int                       height);
/* Every pixel of @image is drawn: a view redrawn while its camera moves keeps its buffers. */
void              reel_greybox_render_into     (ReelGreyboxImage         *image,
                                                const ReelSetMesh        *mesh,
                                                const ReelCameraPose     *pose,
                                                const ReelGreyboxOptions *options);
/* The same picture, its rows drawn in bands on @n_threads threads (0: one per core). */
void              reel_greybox_render_into_threads (ReelGreyboxImage         *image,
                                                    const ReelSetMesh        *mesh,
                                                    const ReelCameraPose     *pose,
                                                    const ReelGreyboxOptions *options,
                                                    guint                     n_threads);
ReelGreyboxImage *reel_greybox_render          (const ReelSetMesh        *mesh,
                                                const ReelCameraPose     *pose,
                                                int                       width,
                                                int                       height,
                                                const ReelGreyboxOptions *options);
void              reel_greybox_image_free      (ReelGreyboxImage         *self);

/* Copies the image into @pixels (@width × @height, rows @stride bytes apart) as opaque
 * 0xAARRGGBB (Cairo's ARGB32 and RGB24), each pixel the nearest of the image: a plain copy
 * at the same size, the quickest scaling otherwise (a view showing a render made smaller
 * while a camera is dragged). */
void              reel_greybox_image_copy_to  (const ReelGreyboxImage *self,
                                               guint32                *pixels,
                                               int                     width,
                                               int                     height,
                                               int                     stride);

/* Depth at a pixel in the 16-bit units above. */
guint16           reel_greybox_image_get_depth16 (const ReelGreyboxImage *self,
                                                  int                     x,
                                                  int                     y);

/* PNG encodings (transfer full), NULL with @error on failure: the shaded image (RGB),
 * the depth map (16-bit grey, centimetres, see above), the line art (black lines on
 * white: silhouettes, creases and depth steps). */
GBytes           *reel_greybox_image_to_png        (const ReelGreyboxImage *self,
                                                    GError                **error);
GBytes           *reel_greybox_image_depth_to_png  (const ReelGreyboxImage *self,
                                                    GError                **error);
GBytes           *reel_greybox_image_line_art_to_png (const ReelGreyboxImage *self,
                                                      GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelGreyboxImage, reel_greybox_image_free)

G_END_DECLS
