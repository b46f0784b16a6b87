/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-transport-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "core/reel-timecode.h"
#include "reel-transport-bar.h"

/* Play/pause, frame steps, the scrub bar, loop, mute and the timecode at the project's
 * rate. The buttons are actions of the view around it (preview.*); the bar only shows the
 * position it is told and reports where the user scrubs to with ::seek. */

struct _ReelTransportBar
{
  GtkWidget parent_instance;

  GtkButton *play_button;
  GtkScale *scrub;
  GtkAdjustment *adjustment;
  GtkLabel *timecode;

  ReelFrameRate rate;
  gint64 position;
  gint64 duration;
  gboolean playing;
  gboolean updating;   /* the position is being shown, not scrubbed */
};

enum {
  PROP_0,
  PROP_POSITION,
  PROP_DURATION,
  PROP_PLAYING,
  N_PROPS
};

enum {
  SIGNAL_SEEK,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ReelTransportBar, reel_transport_bar, GTK_TYPE_WIDGET)

static void
update_timecode (ReelTransportBar *self)
{
  g_autofree char *position = reel_timecode_format (self->position, self->rate);
  g_autofree char *duration = reel_timecode_format (self->duration, self->rate);
  /* Translators: the frame on screen / the length, both as timecode */
  g_autofree char *text = g_strdup_printf (_("%s / %s"), position, duration);

  gtk_label_set_label (self->timecode, text);
}

static void
on_scrubbed (GtkAdjustment    *adjustment,
             ReelTransportBar *self)
{
  gint64 frame;

  if (self->updating)
    return;

  frame = (gint64) (gtk_adjustment_get_value (adjustment) + 0.5);
  g_signal_emit (self, signals[SIGNAL_SEEK], 0, frame);
}

static void
reel_transport_bar_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), REEL_TYPE_TRANSPORT_BAR);
  /* The template's box has no id, so it is unparented here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (reel_transport_bar_parent_class)->dispose (object);
}

static void
reel_transport_bar_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ReelTransportBar *self = REEL_TRANSPORT_BAR (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      g_value_set_int64 (value, self->position);
      break;
    case PROP_DURATION:
      g_value_set_int64 (value, self->duration);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_transport_bar_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ReelTransportBar *self = REEL_TRANSPORT_BAR (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      reel_transport_bar_set_position (self, g_value_get_int64 (value));
      break;
    case PROP_DURATION:
      reel_transport_bar_set_duration (self, g_value_get_int64 (value));
      break;
    case PROP_PLAYING:
      reel_transport_bar_set_playing (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_transport_bar_class_init (ReelTransportBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reel_transport_bar_dispose;
  object_class->get_property = reel_transport_bar_get_property;
  object_class->set_property = reel_transport_bar_set_property;

  properties[PROP_POSITION] =
    g_param_spec_int64 ("position", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DURATION] =
    g_param_spec_int64 ("duration", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ReelTransportBar::seek:
   * @frame: where the user scrubbed to
   */
  signals[SIGNAL_SEEK] =
    g_signal_new ("seek", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/reel-transport-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, ReelTransportBar, play_button);
  gtk_widget_class_bind_template_child (widget_class, ReelTransportBar, scrub);
  gtk_widget_class_bind_template_child (widget_class, ReelTransportBar, adjustment);
  gtk_widget_class_bind_template_child (widget_class, ReelTransportBar, timecode);
  gtk_widget_class_bind_template_callback (widget_class, on_scrubbed);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "reeltransportbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_TOOLBAR);
}

static void
reel_transport_bar_init (ReelTransportBar *self)
{
  self->rate = REEL_FRAME_RATE_DEFAULT;
  gtk_widget_init_template (GTK_WIDGET (self));
  update_timecode (self);
}

void
reel_transport_bar_set_frame_rate (ReelTransportBar *self,
                                   int               numerator,
                                   int               denominator)
{
  g_return_if_fail (REEL_IS_TRANSPORT_BAR (self));

  self->rate = REEL_FRAME_RATE_INIT (numerator, denominator);
  if (!reel_frame_rate_is_valid (self->rate))
    self->rate = REEL_FRAME_RATE_DEFAULT;
  update_timecode (self);
}

void
reel_transport_bar_set_position (ReelTransportBar *self,
                                 gint64            position)
{
  g_return_if_fail (REEL_IS_TRANSPORT_BAR (self));

  if (position == self->position)
    return;

  self->position = position;
  self->updating = TRUE;
  gtk_adjustment_set_value (self->adjustment, position);
  self->updating = FALSE;
  update_timecode (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

gint64
reel_transport_bar_get_position (ReelTransportBar *self)
{
  g_return_val_if_fail (REEL_IS_TRANSPORT_BAR (self), 0);

  return self->position;
}

void
reel_transport_bar_set_duration (ReelTransportBar *self,
                                 gint64            duration)
{
  g_return_if_fail (REEL_IS_TRANSPORT_BAR (self));

  if (duration == self->duration)
    return;

  self->duration = duration;
  self->updating = TRUE;
  gtk_adjustment_configure (self->adjustment, MIN (self->position, MAX (duration - 1, 0)), 0,
                            MAX (duration - 1, 0), 1, 10, 0);
  self->updating = FALSE;
  update_timecode (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
}

gint64
reel_transport_bar_get_duration (ReelTransportBar *self)
{
  g_return_val_if_fail (REEL_IS_TRANSPORT_BAR (self), 0);

  return self->duration;
}

void
reel_transport_bar_set_playing (ReelTransportBar *self,
                                gboolean          playing)
{
  g_return_if_fail (REEL_IS_TRANSPORT_BAR (self));

  playing = !!playing;
  if (playing == self->playing)
    return;

  self->playing = playing;
  gtk_button_set_icon_name (self->play_button, playing ? "media-playback-pause-symbolic"
                                                        : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button),
                               playing ? _("Pause (Space)") : _("Play (Space)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  playing ? _("Pause") : _("Play"), -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

/**
 * reel_transport_bar_get_timecode_text:
 * @self: a #ReelTransportBar
 *
 * Returns: the timecode shown, "position / length"
 */
const char *
reel_transport_bar_get_timecode_text (ReelTransportBar *self)
{
  g_return_val_if_fail (REEL_IS_TRANSPORT_BAR (self), NULL);

  return gtk_label_get_label (self->timecode);
}
