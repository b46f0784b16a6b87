/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/reel-project.h"

G_BEGIN_DECLS

#define REEL_TYPE_PREVIEW_VIEW (reel_preview_view_get_type ())

G_DECLARE_FINAL_TYPE (ReelPreviewView, reel_preview_view, REEL, PREVIEW_VIEW, GtkWidget)

ReelProject *reel_preview_view_get_project      (ReelPreviewView *self);
void         reel_preview_view_set_project      (ReelPreviewView *self,
                                                 ReelProject     *project);
ReelShot    *reel_preview_view_get_current_shot (ReelPreviewView *self);
void         reel_preview_view_set_current_shot (ReelPreviewView *self,
                                                 ReelShot        *shot);
void         reel_preview_view_set_project_file (ReelPreviewView *self,
                                                 GFile           *file);

/* For tests and the window: what the view shows. */
GdkPaintable *reel_preview_view_get_picture     (ReelPreviewView *self);
gboolean     reel_preview_view_get_playing      (ReelPreviewView *self);
gint64       reel_preview_view_get_position     (ReelPreviewView *self);
const char  *reel_preview_view_get_message      (ReelPreviewView *self);
gboolean     reel_preview_view_is_ready         (ReelPreviewView *self);

G_END_DECLS
