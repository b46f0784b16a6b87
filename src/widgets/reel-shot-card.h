/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/reel-project.h"
#include "reel-thumbnailer.h"

G_BEGIN_DECLS

#define REEL_TYPE_SHOT_CARD (reel_shot_card_get_type ())

G_DECLARE_FINAL_TYPE (ReelShotCard, reel_shot_card, REEL, SHOT_CARD, GtkWidget)

/*
 * ReelShotCard: one item of the shot strip. For a ReelShot it shows the panel
 * thumbnail, the shot number, size and angle badges and the duration; for a
 * ReelScene, the scene heading that starts the scene's group of cards. Cards are
 * recycled by the strip's list view: set "item" to another object to reuse one.
 */

GtkWidget  *reel_shot_card_new              (ReelThumbnailer *thumbnailer);
/* A ReelShot, a ReelScene or NULL. */
void        reel_shot_card_set_item         (ReelShotCard    *self,
                                             ReelProject     *project,
                                             GObject         *item);
GObject    *reel_shot_card_get_item         (ReelShotCard    *self);
/* The thumbnail size in logical pixels for a project of @aspect. */
void        reel_shot_card_get_thumbnail_size (double         aspect,
                                               int           *width,
                                               int           *height);

G_END_DECLS
