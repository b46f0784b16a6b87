/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/reel-project.h"

G_BEGIN_DECLS

#define REEL_TYPE_GENERATION_PANEL (reel_generation_panel_get_type ())
G_DECLARE_FINAL_TYPE (ReelGenerationPanel, reel_generation_panel, REEL, GENERATION_PANEL, GtkWidget)

/*
 * ReelGenerationPanel: generation for one shot, in the inspector. The provider, what to
 * make (background variants, a camera angle, a moving background), how many, and the
 * prompt — built from the shot, shown, editable — then Generate. The gallery shows a
 * placeholder with progress for each image on its way, an inline error with Retry for a
 * failed one, and the shot's variants: clicking one makes it the background (undoable);
 * a camera angle can become a new shot after this one. Every result stays with the shot it
 * was made for, even if the panel has moved on to another shot meanwhile.
 *
 * Properties: "project" (ReelProject), "shot" (ReelShot, nullable).
 */

GtkWidget   *reel_generation_panel_new           (void);
ReelProject *reel_generation_panel_get_project   (ReelGenerationPanel *self);
void         reel_generation_panel_set_project   (ReelGenerationPanel *self,
                                                  ReelProject         *project);
ReelShot    *reel_generation_panel_get_shot      (ReelGenerationPanel *self);
void         reel_generation_panel_set_shot      (ReelGenerationPanel *self,
                                                  ReelShot            *shot);
/* The prompt as the text view holds it. Transfer full. */
char        *reel_generation_panel_dup_prompt    (ReelGenerationPanel *self);
/* Images on their way, for every shot. */
guint        reel_generation_panel_get_n_pending (ReelGenerationPanel *self);
/* Decoded gallery thumbnails held: those of the shown shot only. */
guint        reel_generation_panel_get_n_thumbnails (ReelGenerationPanel *self);

G_END_DECLS
