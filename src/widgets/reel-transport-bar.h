/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define REEL_TYPE_TRANSPORT_BAR (reel_transport_bar_get_type ())

G_DECLARE_FINAL_TYPE (ReelTransportBar, reel_transport_bar, REEL, TRANSPORT_BAR, GtkWidget)

void    reel_transport_bar_set_frame_rate (ReelTransportBar *self,
                                           int               numerator,
                                           int               denominator);
void    reel_transport_bar_set_position   (ReelTransportBar *self,
                                           gint64            position);
gint64  reel_transport_bar_get_position   (ReelTransportBar *self);
void    reel_transport_bar_set_duration   (ReelTransportBar *self,
                                           gint64            duration);
gint64  reel_transport_bar_get_duration   (ReelTransportBar *self);
void    reel_transport_bar_set_playing    (ReelTransportBar *self,
                                           gboolean          playing);
const char *reel_transport_bar_get_timecode_text (ReelTransportBar *self);

G_END_DECLS
