/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-shot-card"

#include "config.h"

#include <glib/gi18n.h>

#include "core/reel-camera.h"
#include "core/reel-timecode.h"

#include "reel-shot-card.h"

/* The thumbnail fits this box, whatever the project's aspect ratio. */
#define THUMBNAIL_BOX_WIDTH  176
#define THUMBNAIL_BOX_HEIGHT 99

struct _ReelShotCard
{
  GtkWidget        parent_instance;

  ReelThumbnailer *thumbnailer;
  ReelProject     *project;
  GObject         *item;
  GSignalGroup    *item_signals;
  GSignalGroup    *sketch_signals;
  GSignalGroup    *project_signals;
  GCancellable    *cancellable;
  guint            thumbnail_idle_id;
  guint            tooltip_idle_id;

  GtkStack        *stack;
  GtkPicture      *picture;
  GtkLabel        *size_badge;
  GtkLabel        *angle_badge;
  GtkLabel        *duration_badge;
  GtkLabel        *number_label;
  GtkLabel        *description_label;
  GtkLabel        *scene_number_label;
  GtkLabel        *scene_heading_label;
  GtkLabel        *scene_info_label;
};

G_DEFINE_FINAL_TYPE (ReelShotCard, reel_shot_card, GTK_TYPE_WIDGET)

void
reel_shot_card_get_thumbnail_size (double  aspect,
                                   int    *width,
                                   int    *height)
{
  if (aspect <= 0)
    aspect = REEL_ASPECT_RATIO_DEFAULT;

  if (THUMBNAIL_BOX_WIDTH / aspect <= THUMBNAIL_BOX_HEIGHT)
    {
      *width = THUMBNAIL_BOX_WIDTH;
      *height = MAX (1, (int) (THUMBNAIL_BOX_WIDTH / aspect + 0.5));
    }
  else
    {
      *height = THUMBNAIL_BOX_HEIGHT;
      *width = MAX (1, (int) (THUMBNAIL_BOX_HEIGHT * aspect + 0.5));
    }
}

static void
thumbnail_ready_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ReelShotCard) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = reel_thumbnailer_render_finish (REEL_THUMBNAILER (object), result, &error);
  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No thumbnail: %s", error->message);
      return;
    }

  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
}

static void
reel_shot_card_update_thumbnail (ReelShotCard *self)
{
  ReelShot *shot;
  GdkTexture *cached;
  gboolean current = FALSE;
  int width, height, scale;

  g_clear_handle_id (&self->thumbnail_idle_id, g_source_remove);

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }

  if (!REEL_IS_SHOT (self->item) || self->project == NULL)
    {
      gtk_picture_set_paintable (self->picture, NULL);
      return;
    }

  shot = REEL_SHOT (self->item);
  reel_shot_card_get_thumbnail_size (reel_project_get_aspect_ratio (self->project),
                                     &width, &height);
  gtk_widget_set_size_request (GTK_WIDGET (self->picture), width, height);

  scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  width *= scale;
  height *= scale;

  /* A stale picture of the same shot beats an empty frame while the new one renders. */
  cached = reel_thumbnailer_lookup (self->thumbnailer, shot, width, height, &current);
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (cached));

  if (current)
    return;

  self->cancellable = g_cancellable_new ();
  reel_thumbnailer_render_async (self->thumbnailer, self->project, shot, width, height,
                                 self->cancellable, thumbnail_ready_cb, g_object_ref (self));
}

static gboolean
thumbnail_idle_cb (gpointer user_data)
{
  ReelShotCard *self = user_data;

  self->thumbnail_idle_id = 0;
  reel_shot_card_update_thumbnail (self);

  return G_SOURCE_REMOVE;
}

/* Several changes in a row (an undo of a group, a paste) make one render. */
static void
reel_shot_card_queue_thumbnail (ReelShotCard *self)
{
  if (self->thumbnail_idle_id == 0)
    self->thumbnail_idle_id = g_idle_add_full (G_PRIORITY_LOW, thumbnail_idle_cb, self, NULL);
}

/* Setting a tooltip makes GTK ask the display where the pointer is (a round trip to the
 * X server): only when the text changes, not for every edit of the shot, and after the
 * strip is drawn: opening a project binds a couple of hundred cards at once (the list
 * view's rows beyond the screen too), 150 ms of round trips before the first screen. The
 * text waits on its widget until then. */
#define PENDING_TOOLTIP "reel-shot-card-pending-tooltip"

static void
apply_tooltip (GtkWidget *widget)
{
  const char *text = g_object_get_data (G_OBJECT (widget), PENDING_TOOLTIP);

  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) != 0)
    gtk_widget_set_tooltip_text (widget, text);
}

static gboolean
tooltip_idle_cb (gpointer user_data)
{
  ReelShotCard *self = user_data;

  self->tooltip_idle_id = 0;
  apply_tooltip (GTK_WIDGET (self));
  apply_tooltip (GTK_WIDGET (self->size_badge));
  apply_tooltip (GTK_WIDGET (self->angle_badge));
  return G_SOURCE_REMOVE;
}

static void
set_tooltip (ReelShotCard *self,
             GtkWidget    *widget,
             const char   *text)
{
  if (text != NULL && *text == '\0')
    text = NULL;
  g_object_set_data_full (G_OBJECT (widget), PENDING_TOOLTIP, g_strdup (text), g_free);
  if (self->tooltip_idle_id == 0 &&
      g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) != 0)
    self->tooltip_idle_id = g_idle_add_full (G_PRIORITY_LOW, tooltip_idle_cb, self, NULL);
}

static void
reel_shot_card_update_shot (ReelShotCard *self)
{
  ReelShot *shot = REEL_SHOT (self->item);
  ReelFrameRate rate = self->project ? reel_project_get_frame_rate (self->project)
                                     : REEL_FRAME_RATE_DEFAULT;
  const char *number = reel_shot_get_number (shot);
  const char *description = reel_shot_get_description (shot);
  g_autofree char *seconds = reel_timecode_format_seconds (reel_shot_get_duration (shot), rate);
  g_autofree char *duration = NULL;
  g_autofree char *accessible = NULL;
  g_autofree char *first_line = NULL;
  const char *size = reel_camera_get_label (REEL_VOCAB_SIZE, reel_shot_get_size (shot));
  const char *angle = reel_camera_get_label (REEL_VOCAB_ANGLE, reel_shot_get_angle (shot));
  const char *newline;

  /* TRANSLATORS: a duration in seconds on a shot card, e.g. "2.50 s" */
  duration = g_strdup_printf (_("%s s"), seconds);

  gtk_label_set_label (self->number_label, number[0] ? number : "–");
  newline = strchr (description, '\n');
  first_line = newline ? g_strndup (description, newline - description) : g_strdup (description);
  gtk_label_set_label (self->description_label, first_line);
  set_tooltip (self, GTK_WIDGET (self), description);

  gtk_label_set_label (self->size_badge,
                       reel_camera_get_short_label (REEL_VOCAB_SIZE, reel_shot_get_size (shot)));
  set_tooltip (self, GTK_WIDGET (self->size_badge), size);
  gtk_label_set_label (self->angle_badge,
                       reel_camera_get_short_label (REEL_VOCAB_ANGLE, reel_shot_get_angle (shot)));
  set_tooltip (self, GTK_WIDGET (self->angle_badge), angle);
  gtk_label_set_label (self->duration_badge, duration);

  if (g_strcmp0 (reel_shot_get_status (shot), "omitted") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "omitted");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "omitted");

  /* TRANSLATORS: what a screen reader says for a shot card: number, size, angle,
   * duration, e.g. "Shot 3A, Close-Up, Low Angle, 2.00 s" */
  accessible = g_strdup_printf (_("Shot %s, %s, %s, %s"), number,
                                size, angle, duration);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

static void
reel_shot_card_update_scene (ReelShotCard *self)
{
  ReelScene *scene = REEL_SCENE (self->item);
  ReelFrameRate rate = self->project ? reel_project_get_frame_rate (self->project)
                                     : REEL_FRAME_RATE_DEFAULT;
  const char *number = reel_scene_get_number (scene);
  const char *heading = reel_scene_get_heading (scene);
  guint n_shots = reel_scene_get_n_shots (scene);
  g_autofree char *title = NULL;
  g_autofree char *timecode = reel_timecode_format (reel_scene_get_duration (scene), rate);
  g_autofree char *info = NULL;
  g_autofree char *shots = NULL;

  if (number[0] != '\0')
    title = g_strdup_printf (_("Scene %s"), number);
  else
    title = g_strdup (_("Scene"));

  shots = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u shot", "%u shots", n_shots), n_shots);
  /* TRANSLATORS: shot count and total duration of a scene, e.g. "8 shots · 00:00:32:00" */
  info = g_strdup_printf (_("%s · %s"), shots, timecode);

  gtk_label_set_label (self->scene_number_label, title);
  gtk_label_set_label (self->scene_heading_label,
                       heading[0] ? heading : _("Untitled scene"));
  gtk_label_set_label (self->scene_info_label, info);
  set_tooltip (self, GTK_WIDGET (self), reel_scene_get_synopsis (scene));
  gtk_widget_remove_css_class (GTK_WIDGET (self), "omitted");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, heading,
                                  -1);
}

static void
reel_shot_card_update (ReelShotCard *self)
{
  if (REEL_IS_SHOT (self->item))
    reel_shot_card_update_shot (self);
  else if (REEL_IS_SCENE (self->item))
    reel_shot_card_update_scene (self);
}

static void
item_notify_cb (ReelShotCard *self,
                GParamSpec   *pspec,
                GObject      *item)
{
  if (g_str_equal (pspec->name, "background"))
    reel_shot_card_queue_thumbnail (self);
  else
    reel_shot_card_update (self);
}

static void
scene_shots_changed_cb (ReelShotCard *self)
{
  reel_shot_card_update (self);
}

/* A scene's total duration changes with any of its shots' durations. */
static void
project_changed_cb (ReelShotCard *self)
{
  if (REEL_IS_SCENE (self->item))
    reel_shot_card_update_scene (self);
}

static void
project_notify_cb (ReelShotCard *self,
                   GParamSpec   *pspec,
                   ReelProject  *project)
{
  if (g_str_equal (pspec->name, "aspect-ratio"))
    reel_shot_card_queue_thumbnail (self);
  else
    reel_shot_card_update (self);
}

static void
reel_shot_card_dispose (GObject *object)
{
  ReelShotCard *self = REEL_SHOT_CARD (object);

  reel_shot_card_set_item (self, NULL, NULL);
  g_clear_handle_id (&self->tooltip_idle_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), REEL_TYPE_SHOT_CARD);

  G_OBJECT_CLASS (reel_shot_card_parent_class)->dispose (object);
}

static void
reel_shot_card_finalize (GObject *object)
{
  ReelShotCard *self = REEL_SHOT_CARD (object);

  g_clear_object (&self->item_signals);
  g_clear_object (&self->sketch_signals);
  g_clear_object (&self->project_signals);
  g_clear_object (&self->thumbnailer);

  G_OBJECT_CLASS (reel_shot_card_parent_class)->finalize (object);
}

static void
reel_shot_card_class_init (ReelShotCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reel_shot_card_dispose;
  object_class->finalize = reel_shot_card_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/reel-shot-card.ui");
  gtk_widget_class_bind_template_child (widget_class, ReelShotCard, stack);
  gtk_widget_class_bind_template_child (widget_class, ReelShotCard, picture);
  gtk_widget_class_bind_template_child (widget_class, ReelShotCard, size_badge);
  gtk_widget_class_bind_template_child (widget_class, ReelShotCard, angle_badge);
  gtk_widget_class_bind_template_child (widget_class, ReelShotCard, duration_badge);
  gtk_widget_class_bind_template_child (widget_class, ReelShotCard, number_label);
  gtk_widget_class_bind_template_child (widget_class, ReelShotCard, description_label);
  gtk_widget_class_bind_template_child (widget_class, ReelShotCard, scene_number_label);
  gtk_widget_class_bind_template_child (widget_class, ReelShotCard, scene_heading_label);
  gtk_widget_class_bind_template_child (widget_class, ReelShotCard, scene_info_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "reelshotcard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
reel_shot_card_init (ReelShotCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->item_signals = g_signal_group_new (G_TYPE_OBJECT);
  g_signal_group_connect_swapped (self->item_signals, "notify", G_CALLBACK (item_notify_cb), self);

  self->sketch_signals = g_signal_group_new (REEL_TYPE_SKETCH);
  g_signal_group_connect_swapped (self->sketch_signals, "changed",
                                  G_CALLBACK (reel_shot_card_queue_thumbnail), self);

  self->project_signals = g_signal_group_new (REEL_TYPE_PROJECT);
  g_signal_group_connect_swapped (self->project_signals, "notify::aspect-ratio",
                                  G_CALLBACK (project_notify_cb), self);
  g_signal_group_connect_swapped (self->project_signals, "notify::frame-rate-num",
                                  G_CALLBACK (project_notify_cb), self);
  g_signal_group_connect_swapped (self->project_signals, "notify::frame-rate-den",
                                  G_CALLBACK (project_notify_cb), self);
  g_signal_group_connect_swapped (self->project_signals, "changed",
                                  G_CALLBACK (project_changed_cb), self);
}

GtkWidget *
reel_shot_card_new (ReelThumbnailer *thumbnailer)
{
  ReelShotCard *self;

  g_return_val_if_fail (REEL_IS_THUMBNAILER (thumbnailer), NULL);

  self = g_object_new (REEL_TYPE_SHOT_CARD, NULL);
  self->thumbnailer = g_object_ref (thumbnailer);

  return GTK_WIDGET (self);
}

GObject *
reel_shot_card_get_item (ReelShotCard *self)
{
  g_return_val_if_fail (REEL_IS_SHOT_CARD (self), NULL);

  return self->item;
}

void
reel_shot_card_set_item (ReelShotCard *self,
                         ReelProject  *project,
                         GObject      *item)
{
  g_return_if_fail (REEL_IS_SHOT_CARD (self));
  g_return_if_fail (!project || REEL_IS_PROJECT (project));
  g_return_if_fail (!item || REEL_IS_SHOT (item) || REEL_IS_SCENE (item));

  if (self->item == item && self->project == project)
    return;

  if (REEL_IS_SCENE (self->item))
    g_signal_handlers_disconnect_by_func (reel_scene_get_shots (REEL_SCENE (self->item)),
                                          scene_shots_changed_cb, self);

  g_set_object (&self->project, project);
  g_set_object (&self->item, item);

  g_signal_group_set_target (self->item_signals, item);
  g_signal_group_set_target (self->sketch_signals,
                             REEL_IS_SHOT (item) ? reel_shot_get_sketch (REEL_SHOT (item)) : NULL);
  g_signal_group_set_target (self->project_signals, project);

  if (REEL_IS_SCENE (item))
    {
      /* The shot count and duration of the scene follow its shots. */
      g_signal_connect_object (reel_scene_get_shots (REEL_SCENE (item)), "items-changed",
                               G_CALLBACK (scene_shots_changed_cb), self, G_CONNECT_SWAPPED);
      gtk_stack_set_visible_child_name (self->stack, "scene");
      gtk_widget_add_css_class (GTK_WIDGET (self), "scene");
    }
  else
    {
      gtk_stack_set_visible_child_name (self->stack, "shot");
      gtk_widget_remove_css_class (GTK_WIDGET (self), "scene");
    }

  reel_shot_card_update (self);
  reel_shot_card_update_thumbnail (self);
}
