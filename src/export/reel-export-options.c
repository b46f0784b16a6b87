/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-export"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-export-error.h"
#include "reel-export-options.h"

struct _ReelExportOptions
{
  GObject parent_instance;

  ReelExportScope scope;
  ReelScene *scene;
  GPtrArray *shots;
  ReelExportLayout layout;
  ReelExportPaper paper;
  ReelExportOrientation orientation;
  guint panel_width;
  GStrv csv_columns;
  char *fcpxml_version;
  GDateTime *date;
  int csv_bom;  /* -1: follow the columns; else TRUE or FALSE */
  ReelExportClipNaming clip_naming;
  gboolean panel_clips;
};

G_DEFINE_FINAL_TYPE (ReelExportOptions, reel_export_options, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SCOPE,
  PROP_SCENE,
  PROP_LAYOUT,
  PROP_PAPER,
  PROP_ORIENTATION,
  PROP_PANEL_WIDTH,
  PROP_CSV_COLUMNS,
  PROP_FCPXML_VERSION,
  PROP_DATE,
  PROP_CSV_BOM,
  PROP_CLIP_NAMING,
  PROP_PANEL_CLIPS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Enums. The nicks are the stable ids of the command line and the settings. */

#define DEFINE_ENUM_TYPE(TypeName, type_name, ...)                              \
  GType                                                                        \
  type_name##_get_type (void)                                                  \
  {                                                                            \
    static gsize type_id = 0;                                                  \
    static const GEnumValue values[] = { __VA_ARGS__, { 0, NULL, NULL } };     \
                                                                               \
    if (g_once_init_enter (&type_id))                                          \
      g_once_init_leave (&type_id, g_enum_register_static (#TypeName, values)); \
    return type_id;                                                            \
  }

DEFINE_ENUM_TYPE (ReelExportScope, reel_export_scope,
                  { REEL_EXPORT_SCOPE_PROJECT, "REEL_EXPORT_SCOPE_PROJECT", "project" },
                  { REEL_EXPORT_SCOPE_SCENE, "REEL_EXPORT_SCOPE_SCENE", "scene" },
                  { REEL_EXPORT_SCOPE_SHOTS, "REEL_EXPORT_SCOPE_SHOTS", "shots" })

DEFINE_ENUM_TYPE (ReelExportLayout, reel_export_layout,
                  { REEL_EXPORT_LAYOUT_3X2, "REEL_EXPORT_LAYOUT_3X2", "3x2" },
                  { REEL_EXPORT_LAYOUT_2X2, "REEL_EXPORT_LAYOUT_2X2", "2x2" },
                  { REEL_EXPORT_LAYOUT_3X3, "REEL_EXPORT_LAYOUT_3X3", "3x3" },
                  { REEL_EXPORT_LAYOUT_1X1, "REEL_EXPORT_LAYOUT_1X1", "1x1" },
                  { REEL_EXPORT_LAYOUT_SHOT_LIST, "REEL_EXPORT_LAYOUT_SHOT_LIST", "shot-list" })

DEFINE_ENUM_TYPE (ReelExportPaper, reel_export_paper,
                  { REEL_EXPORT_PAPER_A4, "REEL_EXPORT_PAPER_A4", "a4" },
                  { REEL_EXPORT_PAPER_LETTER, "REEL_EXPORT_PAPER_LETTER", "letter" })

DEFINE_ENUM_TYPE (ReelExportOrientation, reel_export_orientation,
                  { REEL_EXPORT_ORIENTATION_LANDSCAPE, "REEL_EXPORT_ORIENTATION_LANDSCAPE",
                    "landscape" },
                  { REEL_EXPORT_ORIENTATION_PORTRAIT, "REEL_EXPORT_ORIENTATION_PORTRAIT",
                    "portrait" })

DEFINE_ENUM_TYPE (ReelExportClipNaming, reel_export_clip_naming,
                  { REEL_EXPORT_CLIP_NAMING_CODE, "REEL_EXPORT_CLIP_NAMING_CODE", "code" },
                  { REEL_EXPORT_CLIP_NAMING_KITSU, "REEL_EXPORT_CLIP_NAMING_KITSU", "kitsu" })

const char *
reel_export_enum_to_nick (GType enum_type,
                          int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (enum_type);
  GEnumValue *found = g_enum_get_value (klass, value);

  return found != NULL ? found->value_nick : NULL;
}

gboolean
reel_export_enum_from_nick (GType       enum_type,
                            const char *nick,
                            int        *out_value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *found;

  if (nick == NULL)
    return FALSE;

  klass = g_type_class_ref (enum_type);
  found = g_enum_get_value_by_nick (klass, nick);
  if (found == NULL)
    return FALSE;

  if (out_value != NULL)
    *out_value = found->value;
  return TRUE;
}

/* CSV columns */

static const ReelExportColumn csv_columns[] = {
  { "shot-code", "Shot Code", N_("Shot code"), TRUE },
  { "sequence", "Sequence", N_("Sequence"), TRUE },
  { "scene", "Scene", N_("Scene"), TRUE },
  { "scene-heading", "Scene Heading", N_("Scene heading"), TRUE },
  { "shot", "Shot", N_("Shot"), TRUE },
  { "cut-in", "Cut In", N_("Cut in"), FALSE },
  { "cut-out", "Cut Out", N_("Cut out"), FALSE },
  { "cut-duration", "Cut Duration", N_("Cut duration"), FALSE },
  { "timecode-in", "Timecode In", N_("Timecode in"), FALSE },
  { "timecode-out", "Timecode Out", N_("Timecode out"), FALSE },
  { "duration-frames", "Duration (frames)", N_("Duration in frames"), FALSE },
  { "duration-seconds", "Duration (s)", N_("Duration in seconds"), FALSE },
  { "description", "Description", N_("Description"), TRUE },
  { "dialogue", "Dialogue", N_("Dialogue"), TRUE },
  { "notes", "Notes", N_("Notes"), TRUE },
  { "cast", "Cast", N_("Cast"), TRUE },
  { "size", "Size", N_("Shot size"), TRUE },
  { "framing", "Framing", N_("Framing"), TRUE },
  { "angle", "Angle", N_("Angle"), TRUE },
  { "movement", "Movement", N_("Movement"), TRUE },
  { "lens", "Lens (mm)", N_("Lens"), FALSE },
  { "camera-height", "Camera Height (m)", N_("Camera height"), FALSE },
  { "status", "Status", N_("Status"), TRUE },
  { "vfx-notes", "VFX Notes", N_("VFX notes"), TRUE },
  { "plate", "Plate", N_("Reference footage"), TRUE },
  { "ai-generated", "AI Generated", N_("AI generated"), FALSE },
  { "ai-provider", "AI Provider", N_("AI provider"), TRUE },
  { "ai-model", "AI Model", N_("AI model"), TRUE },
  /* Kitsu's shot import reads these headers. */
  { "name", "Name", N_("Shot name"), TRUE },
  { "nb-frames", "Nb Frames", N_("Number of frames"), FALSE },
  { "frame-in", "Frame In", N_("Frame in"), FALSE },
  { "frame-out", "Frame Out", N_("Frame out"), FALSE },
  { "fps", "FPS", N_("Frame rate"), FALSE },
  { "resolution", "Resolution", N_("Resolution"), FALSE },
};

static const char * const default_csv_columns[] = {
  "scene", "shot", "scene-heading", "description", "dialogue", "size", "framing", "angle",
  "movement", "lens", "duration-frames", "timecode-in", "timecode-out", "status", "notes",
  "ai-generated", "ai-provider", "ai-model", NULL
};

static const char * const shotgrid_csv_columns[] = {
  "shot-code", "sequence", "cut-in", "cut-out", "cut-duration", "description", NULL
};

static const char * const kitsu_csv_columns[] = {
  "sequence", "name", "description", "nb-frames", "frame-in", "frame-out", "fps", "resolution",
  NULL
};

static const char * const fcpxml_versions[] = { "1.11", "1.10", NULL };

const ReelExportColumn *
reel_export_get_csv_columns (guint *n_columns)
{
  if (n_columns != NULL)
    *n_columns = G_N_ELEMENTS (csv_columns);
  return csv_columns;
}

const ReelExportColumn *
reel_export_lookup_csv_column (const char *id)
{
  if (id == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (csv_columns); i++)
    if (g_str_equal (csv_columns[i].id, id))
      return &csv_columns[i];

  return NULL;
}

const char * const *
reel_export_get_default_csv_columns (void)
{
  return default_csv_columns;
}

const char * const *
reel_export_get_shotgrid_csv_columns (void)
{
  return shotgrid_csv_columns;
}

const char * const *
reel_export_get_kitsu_csv_columns (void)
{
  return kitsu_csv_columns;
}

const char * const *
reel_export_get_fcpxml_versions (void)
{
  return fcpxml_versions;
}

/* The object */

static void
reel_export_options_finalize (GObject *object)
{
  ReelExportOptions *self = REEL_EXPORT_OPTIONS (object);

  g_clear_object (&self->scene);
  g_clear_pointer (&self->shots, g_ptr_array_unref);
  g_clear_pointer (&self->csv_columns, g_strfreev);
  g_clear_pointer (&self->fcpxml_version, g_free);
  g_clear_pointer (&self->date, g_date_time_unref);

  G_OBJECT_CLASS (reel_export_options_parent_class)->finalize (object);
}

static void
reel_export_options_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ReelExportOptions *self = REEL_EXPORT_OPTIONS (object);

  switch (prop_id)
    {
    case PROP_SCOPE:
      g_value_set_enum (value, self->scope);
      break;
    case PROP_SCENE:
      g_value_set_object (value, self->scene);
      break;
    case PROP_LAYOUT:
      g_value_set_enum (value, self->layout);
      break;
    case PROP_PAPER:
      g_value_set_enum (value, self->paper);
      break;
    case PROP_ORIENTATION:
      g_value_set_enum (value, self->orientation);
      break;
    case PROP_PANEL_WIDTH:
      g_value_set_uint (value, self->panel_width);
      break;
    case PROP_CSV_COLUMNS:
      g_value_set_boxed (value, self->csv_columns);
      break;
    case PROP_FCPXML_VERSION:
      g_value_set_string (value, self->fcpxml_version);
      break;
    case PROP_DATE:
      g_value_set_boxed (value, self->date);
      break;
    case PROP_CSV_BOM:
      g_value_set_string (value, self->csv_bom < 0 ? "auto" : self->csv_bom ? "yes" : "no");
      break;
    case PROP_CLIP_NAMING:
      g_value_set_enum (value, self->clip_naming);
      break;
    case PROP_PANEL_CLIPS:
      g_value_set_boolean (value, self->panel_clips);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_export_options_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ReelExportOptions *self = REEL_EXPORT_OPTIONS (object);

  switch (prop_id)
    {
    case PROP_SCOPE:
      reel_export_options_set_scope (self, g_value_get_enum (value));
      break;
    case PROP_SCENE:
      reel_export_options_set_scene (self, g_value_get_object (value));
      break;
    case PROP_LAYOUT:
      reel_export_options_set_layout (self, g_value_get_enum (value));
      break;
    case PROP_PAPER:
      reel_export_options_set_paper (self, g_value_get_enum (value));
      break;
    case PROP_ORIENTATION:
      reel_export_options_set_orientation (self, g_value_get_enum (value));
      break;
    case PROP_PANEL_WIDTH:
      reel_export_options_set_panel_width (self, g_value_get_uint (value));
      break;
    case PROP_CSV_COLUMNS:
      {
        g_autoptr(GError) error = NULL;

        /* Property setters cannot fail; bad ids from settings fall back to the default. */
        if (!reel_export_options_set_csv_columns (self, g_value_get_boxed (value), &error))
          reel_export_options_set_csv_columns (self, default_csv_columns, NULL);
      }
      break;
    case PROP_FCPXML_VERSION:
      if (!reel_export_options_set_fcpxml_version (self, g_value_get_string (value), NULL))
        reel_export_options_set_fcpxml_version (self, fcpxml_versions[0], NULL);
      break;
    case PROP_DATE:
      reel_export_options_set_date (self, g_value_get_boxed (value));
      break;
    case PROP_CSV_BOM:
      if (g_strcmp0 (g_value_get_string (value), "yes") == 0)
        reel_export_options_set_csv_bom (self, TRUE);
      else if (g_strcmp0 (g_value_get_string (value), "no") == 0)
        reel_export_options_set_csv_bom (self, FALSE);
      else
        reel_export_options_unset_csv_bom (self);
      break;
    case PROP_CLIP_NAMING:
      reel_export_options_set_clip_naming (self, g_value_get_enum (value));
      break;
    case PROP_PANEL_CLIPS:
      reel_export_options_set_panel_clips (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_export_options_class_init (ReelExportOptionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = reel_export_options_finalize;
  object_class->get_property = reel_export_options_get_property;
  object_class->set_property = reel_export_options_set_property;

  properties[PROP_SCOPE] =
    g_param_spec_enum ("scope", NULL, NULL,
                       REEL_TYPE_EXPORT_SCOPE, REEL_EXPORT_SCOPE_PROJECT, flags);
  properties[PROP_SCENE] =
    g_param_spec_object ("scene", NULL, NULL, REEL_TYPE_SCENE, flags);
  properties[PROP_LAYOUT] =
    g_param_spec_enum ("layout", NULL, NULL,
                       REEL_TYPE_EXPORT_LAYOUT, REEL_EXPORT_LAYOUT_3X2, flags);
  properties[PROP_PAPER] =
    g_param_spec_enum ("paper", NULL, NULL,
                       REEL_TYPE_EXPORT_PAPER, REEL_EXPORT_PAPER_A4, flags);
  properties[PROP_ORIENTATION] =
    g_param_spec_enum ("orientation", NULL, NULL,
                       REEL_TYPE_EXPORT_ORIENTATION, REEL_EXPORT_ORIENTATION_LANDSCAPE, flags);
  properties[PROP_PANEL_WIDTH] =
    g_param_spec_uint ("panel-width", NULL, NULL,
                       REEL_EXPORT_PANEL_WIDTH_MIN, REEL_EXPORT_PANEL_WIDTH_MAX,
                       REEL_EXPORT_PANEL_WIDTH_DEFAULT, flags);
  properties[PROP_CSV_COLUMNS] =
    g_param_spec_boxed ("csv-columns", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_FCPXML_VERSION] =
    g_param_spec_string ("fcpxml-version", NULL, NULL, fcpxml_versions[0], flags);
  properties[PROP_DATE] =
    g_param_spec_boxed ("date", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_CSV_BOM] =
    g_param_spec_string ("csv-bom", NULL, NULL, "auto", flags);
  properties[PROP_CLIP_NAMING] =
    g_param_spec_enum ("clip-naming", NULL, NULL,
                       REEL_TYPE_EXPORT_CLIP_NAMING, REEL_EXPORT_CLIP_NAMING_CODE, flags);
  properties[PROP_PANEL_CLIPS] =
    g_param_spec_boolean ("panel-clips", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
reel_export_options_init (ReelExportOptions *self)
{
  self->scope = REEL_EXPORT_SCOPE_PROJECT;
  self->shots = g_ptr_array_new_with_free_func (g_object_unref);
  self->layout = REEL_EXPORT_LAYOUT_3X2;
  self->paper = REEL_EXPORT_PAPER_A4;
  self->orientation = REEL_EXPORT_ORIENTATION_LANDSCAPE;
  self->panel_width = REEL_EXPORT_PANEL_WIDTH_DEFAULT;
  self->csv_columns = g_strdupv ((char **) default_csv_columns);
  self->fcpxml_version = g_strdup (fcpxml_versions[0]);
  self->csv_bom = -1;
  self->clip_naming = REEL_EXPORT_CLIP_NAMING_CODE;
}

ReelExportOptions *
reel_export_options_new (void)
{
  return g_object_new (REEL_TYPE_EXPORT_OPTIONS, NULL);
}

/**
 * reel_export_options_copy:
 * @self: a #ReelExportOptions
 *
 * Returns: (transfer full): a copy that can change without touching @self
 */
ReelExportOptions *
reel_export_options_copy (ReelExportOptions *self)
{
  ReelExportOptions *copy;

  g_return_val_if_fail (REEL_IS_EXPORT_OPTIONS (self), NULL);

  copy = g_object_new (REEL_TYPE_EXPORT_OPTIONS,
                       "scope", self->scope,
                       "scene", self->scene,
                       "layout", self->layout,
                       "paper", self->paper,
                       "orientation", self->orientation,
                       "panel-width", self->panel_width,
                       "csv-columns", self->csv_columns,
                       "fcpxml-version", self->fcpxml_version,
                       "date", self->date,
                       "csv-bom", self->csv_bom < 0 ? "auto" : self->csv_bom ? "yes" : "no",
                       "clip-naming", self->clip_naming,
                       "panel-clips", self->panel_clips,
                       NULL);
  reel_export_options_set_shots (copy, (ReelShot **) self->shots->pdata, self->shots->len);

  return copy;
}

ReelExportScope
reel_export_options_get_scope (ReelExportOptions *self)
{
  g_return_val_if_fail (REEL_IS_EXPORT_OPTIONS (self), REEL_EXPORT_SCOPE_PROJECT);

  return self->scope;
}

void
reel_export_options_set_scope (ReelExportOptions *self,
                               ReelExportScope    scope)
{
  g_return_if_fail (REEL_IS_EXPORT_OPTIONS (self));
  g_return_if_fail (scope <= REEL_EXPORT_SCOPE_SHOTS);

  if (self->scope == scope)
    return;

  self->scope = scope;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCOPE]);
}

ReelScene *
reel_export_options_get_scene (ReelExportOptions *self)
{
  g_return_val_if_fail (REEL_IS_EXPORT_OPTIONS (self), NULL);

  return self->scene;
}

void
reel_export_options_set_scene (ReelExportOptions *self,
                               ReelScene         *scene)
{
  g_return_if_fail (REEL_IS_EXPORT_OPTIONS (self));
  g_return_if_fail (scene == NULL || REEL_IS_SCENE (scene));

  if (g_set_object (&self->scene, scene))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCENE]);
}

GPtrArray *
reel_export_options_get_shots (ReelExportOptions *self)
{
  g_return_val_if_fail (REEL_IS_EXPORT_OPTIONS (self), NULL);

  return self->shots;
}

void
reel_export_options_set_shots (ReelExportOptions  *self,
                               ReelShot          **shots,
                               guint               n_shots)
{
  g_return_if_fail (REEL_IS_EXPORT_OPTIONS (self));
  g_return_if_fail (shots != NULL || n_shots == 0);

  g_ptr_array_set_size (self->shots, 0);
  for (guint i = 0; i < n_shots; i++)
    {
      g_return_if_fail (REEL_IS_SHOT (shots[i]));
      g_ptr_array_add (self->shots, g_object_ref (shots[i]));
    }
}

ReelExportLayout
reel_export_options_get_layout (ReelExportOptions *self)
{
  g_return_val_if_fail (REEL_IS_EXPORT_OPTIONS (self), REEL_EXPORT_LAYOUT_3X2);

  return self->layout;
}

void
reel_export_options_set_layout (ReelExportOptions *self,
                                ReelExportLayout   layout)
{
  g_return_if_fail (REEL_IS_EXPORT_OPTIONS (self));
  g_return_if_fail (layout <= REEL_EXPORT_LAYOUT_SHOT_LIST);

  if (self->layout == layout)
    return;

  self->layout = layout;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYOUT]);
}

ReelExportPaper
reel_export_options_get_paper (ReelExportOptions *self)
{
  g_return_val_if_fail (REEL_IS_EXPORT_OPTIONS (self), REEL_EXPORT_PAPER_A4);

  return self->paper;
}

void
reel_export_options_set_paper (ReelExportOptions *self,
                               ReelExportPaper    paper)
{
  g_return_if_fail (REEL_IS_EXPORT_OPTIONS (self));
  g_return_if_fail (paper <= REEL_EXPORT_PAPER_LETTER);

  if (self->paper == paper)
    return;

  self->paper = paper;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAPER]);
}

ReelExportOrientation
reel_export_options_get_orientation (ReelExportOptions *self)
{
  g_return_val_if_fail (REEL_IS_EXPORT_OPTIONS (self), REEL_EXPORT_ORIENTATION_LANDSCAPE);

  return self->orientation;
}

void
reel_export_options_set_orientation (ReelExportOptions     *self,
                                     ReelExportOrientation  orientation)
{
  g_return_if_fail (REEL_IS_EXPORT_OPTIONS (self));
  g_return_if_fail (orientation <= REEL_EXPORT_ORIENTATION_PORTRAIT);

  if (self->orientation == orientation)
    return;

  self->orientation = orientation;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORIENTATION]);
}

guint
reel_export_options_get_panel_width (ReelExportOptions *self)
{
  g_return_val_if_fail (REEL_IS_EXPORT_OPTIONS (self), REEL_EXPORT_PANEL_WIDTH_DEFAULT);

  return self->panel_width;
}

void
reel_export_options_set_panel_width (ReelExportOptions *self,
                                     guint              width)
{
  g_return_if_fail (REEL_IS_EXPORT_OPTIONS (self));

  width = CLAMP (width, REEL_EXPORT_PANEL_WIDTH_MIN, REEL_EXPORT_PANEL_WIDTH_MAX);
  if (self->panel_width == width)
    return;

  self->panel_width = width;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PANEL_WIDTH]);
}

const char * const *
reel_export_options_get_csv_columns (ReelExportOptions *self)
{
  g_return_val_if_fail (REEL_IS_EXPORT_OPTIONS (self), NULL);

  return (const char * const *) self->csv_columns;
}

gboolean
reel_export_options_set_csv_columns (ReelExportOptions   *self,
                                     const char * const  *columns,
                                     GError             **error)
{
  g_return_val_if_fail (REEL_IS_EXPORT_OPTIONS (self), FALSE);

  if (columns == NULL || columns[0] == NULL)
    {
      g_set_error_literal (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_INVALID_OPTION,
                           _("Choose at least one column for the CSV shot list."));
      return FALSE;
    }

  for (guint i = 0; columns[i] != NULL; i++)
    {
      if (reel_export_lookup_csv_column (columns[i]) == NULL)
        {
          g_set_error (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_INVALID_OPTION,
                       _("“%s” is not a CSV column. Run “storyreel export --list-columns” "
                         "to see the columns."), columns[i]);
          return FALSE;
        }
    }

  if (g_strv_equal ((const char * const *) self->csv_columns, columns))
    return TRUE;

  g_strfreev (self->csv_columns);
  self->csv_columns = g_strdupv ((char **) columns);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CSV_COLUMNS]);

  return TRUE;
}

const char *
reel_export_options_get_fcpxml_version (ReelExportOptions *self)
{
  g_return_val_if_fail (REEL_IS_EXPORT_OPTIONS (self), NULL);

  return self->fcpxml_version;
}

gboolean
reel_export_options_set_fcpxml_version (ReelExportOptions  *self,
                                        const char         *version,
                                        GError            **error)
{
  g_return_val_if_fail (REEL_IS_EXPORT_OPTIONS (self), FALSE);

  if (version == NULL || !g_strv_contains (fcpxml_versions, version))
    {
      g_set_error (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_INVALID_OPTION,
                   _("FCPXML version “%s” is not supported; use 1.11 or 1.10."),
                   version != NULL ? version : "");
      return FALSE;
    }

  if (g_strcmp0 (self->fcpxml_version, version) == 0)
    return TRUE;

  g_free (self->fcpxml_version);
  self->fcpxml_version = g_strdup (version);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FCPXML_VERSION]);

  return TRUE;
}

GDateTime *
reel_export_options_get_date (ReelExportOptions *self)
{
  g_return_val_if_fail (REEL_IS_EXPORT_OPTIONS (self), NULL);

  return self->date;
}

void
reel_export_options_set_date (ReelExportOptions *self,
                              GDateTime         *date)
{
  g_return_if_fail (REEL_IS_EXPORT_OPTIONS (self));

  if (self->date == date)
    return;

  g_clear_pointer (&self->date, g_date_time_unref);
  if (date != NULL)
    self->date = g_date_time_ref (date);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATE]);
}

gboolean
reel_export_options_get_csv_bom (ReelExportOptions *self)
{
  const char * const *columns;

  g_return_val_if_fail (REEL_IS_EXPORT_OPTIONS (self), TRUE);

  if (self->csv_bom >= 0)
    return self->csv_bom;

  columns = (const char * const *) self->csv_columns;
  return !g_strv_equal (columns, shotgrid_csv_columns)
         && !g_strv_equal (columns, kitsu_csv_columns);
}

static void
change_csv_bom (ReelExportOptions *self,
                int                bom)
{
  if (self->csv_bom == bom)
    return;

  self->csv_bom = bom;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CSV_BOM]);
}

void
reel_export_options_set_csv_bom (ReelExportOptions *self,
                                 gboolean           bom)
{
  g_return_if_fail (REEL_IS_EXPORT_OPTIONS (self));

  change_csv_bom (self, bom ? TRUE : FALSE);
}

void
reel_export_options_unset_csv_bom (ReelExportOptions *self)
{
  g_return_if_fail (REEL_IS_EXPORT_OPTIONS (self));

  change_csv_bom (self, -1);
}

ReelExportClipNaming
reel_export_options_get_clip_naming (ReelExportOptions *self)
{
  g_return_val_if_fail (REEL_IS_EXPORT_OPTIONS (self), REEL_EXPORT_CLIP_NAMING_CODE);

  return self->clip_naming;
}

void
reel_export_options_set_clip_naming (ReelExportOptions    *self,
                                     ReelExportClipNaming  naming)
{
  g_return_if_fail (REEL_IS_EXPORT_OPTIONS (self));
  g_return_if_fail (naming <= REEL_EXPORT_CLIP_NAMING_KITSU);

  if (self->clip_naming == naming)
    return;

  self->clip_naming = naming;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIP_NAMING]);
}

gboolean
reel_export_options_get_panel_clips (ReelExportOptions *self)
{
  g_return_val_if_fail (REEL_IS_EXPORT_OPTIONS (self), FALSE);

  return self->panel_clips;
}

void
reel_export_options_set_panel_clips (ReelExportOptions *self,
                                     gboolean           panel_clips)
{
  g_return_if_fail (REEL_IS_EXPORT_OPTIONS (self));

  panel_clips = !!panel_clips;
  if (self->panel_clips == panel_clips)
    return;

  self->panel_clips = panel_clips;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PANEL_CLIPS]);
}
