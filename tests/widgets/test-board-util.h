/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/reel-project.h"

G_BEGIN_DECLS

/* Runs the main loop until @condition holds; returns whether it holds. The deadline is
 * @timeout_ms but never less than a minute: only a stuck test reaches it. */
gboolean     board_test_spin_until      (gboolean   (*condition) (gpointer),
                                         gpointer     data,
                                         guint        timeout_ms);
/* Dispatches what is pending, then waits for a frame of every window: input sent and
 * changes made before are handled and laid out. */
void         board_test_settle          (void);

/* Runs xdotool with @argv (NULL-terminated) while the main loop keeps running,
 * so that GTK receives the input as it is sent. Fails the test if xdotool fails. */
void         board_test_xdotool         (const char * const *argv);
/* The X window id of @widget's toplevel, as a decimal string for xdotool. */
char        *board_test_window_id       (GtkWidget   *widget);
/* @x, @y of @widget in the coordinates of its X window. */
void         board_test_to_surface      (GtkWidget   *widget,
                                         double       x,
                                         double       y,
                                         int         *surface_x,
                                         int         *surface_y);

/* Renders @widget as it shows now into a texture, with its window's renderer. */
GdkTexture  *board_test_render_widget   (GtkWidget   *widget);
/* Number of pixels that differ between two textures of the same size, within the
 * rectangle (@x, @y, @width, @height) (the whole texture when @width is 0). */
guint        board_test_count_differences (GdkTexture *a,
                                           GdkTexture *b,
                                           int         x,
                                           int         y,
                                           int         width,
                                           int         height);

/* Scrolls @adjustment by @step a frame of @widget's frame clock until it reaches its end
 * (fails the test at the deadline, @timeout_ms but never less than a minute); the number
 * of frames it took. */
guint        board_test_scroll_to_end   (GtkWidget     *widget,
                                         GtkAdjustment *adjustment,
                                         double         step,
                                         guint          timeout_ms);

/* A project of @n_scenes × @shots_per_scene shots sketched with the demo's strokes. */
ReelProject *board_test_project_new     (guint        n_scenes,
                                         guint        shots_per_scene);

G_END_DECLS
