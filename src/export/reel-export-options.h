/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/reel-scene.h"
#include "core/reel-shot.h"

G_BEGIN_DECLS

/**
 * ReelExportScope:
 * @REEL_EXPORT_SCOPE_PROJECT: every shot of every scene
 * @REEL_EXPORT_SCOPE_SCENE: the shots of #ReelExportOptions:scene
 * @REEL_EXPORT_SCOPE_SHOTS: the shots given with reel_export_options_set_shots(), in project order
 */
typedef enum
{
  REEL_EXPORT_SCOPE_PROJECT,
  REEL_EXPORT_SCOPE_SCENE,
  REEL_EXPORT_SCOPE_SHOTS,
} ReelExportScope;

/**
 * ReelExportLayout:
 * @REEL_EXPORT_LAYOUT_3X2: three panels across, two down
 * @REEL_EXPORT_LAYOUT_2X2: two across, two down
 * @REEL_EXPORT_LAYOUT_3X3: three across, three down
 * @REEL_EXPORT_LAYOUT_1X1: one large panel a page
 * @REEL_EXPORT_LAYOUT_SHOT_LIST: a table, one row per shot with a small panel
 *
 * PDF page layouts; the grids are columns × rows.
 */
typedef enum
{
  REEL_EXPORT_LAYOUT_3X2,
  REEL_EXPORT_LAYOUT_2X2,
  REEL_EXPORT_LAYOUT_3X3,
  REEL_EXPORT_LAYOUT_1X1,
  REEL_EXPORT_LAYOUT_SHOT_LIST,
} ReelExportLayout;

typedef enum
{
  REEL_EXPORT_PAPER_A4,
  REEL_EXPORT_PAPER_LETTER,
} ReelExportPaper;

typedef enum
{
  REEL_EXPORT_ORIENTATION_LANDSCAPE,
  REEL_EXPORT_ORIENTATION_PORTRAIT,
} ReelExportOrientation;

/**
 * ReelExportClipNaming:
 * @REEL_EXPORT_CLIP_NAMING_CODE: the shot code, "SC12_SH12A"
 * @REEL_EXPORT_CLIP_NAMING_KITSU: Kitsu's default `${project_name}_${sequence_name}-${shot_name}`,
 *   "Harbour_SC12-SH12A", so that its OTIO and EDL import finds each shot by name
 *
 * How OTIO and EDL exports name their clips.
 */
typedef enum
{
  REEL_EXPORT_CLIP_NAMING_CODE,
  REEL_EXPORT_CLIP_NAMING_KITSU,
} ReelExportClipNaming;

#define REEL_TYPE_EXPORT_SCOPE       (reel_export_scope_get_type ())
#define REEL_TYPE_EXPORT_LAYOUT      (reel_export_layout_get_type ())
#define REEL_TYPE_EXPORT_PAPER       (reel_export_paper_get_type ())
#define REEL_TYPE_EXPORT_ORIENTATION (reel_export_orientation_get_type ())
#define REEL_TYPE_EXPORT_CLIP_NAMING (reel_export_clip_naming_get_type ())

GType reel_export_scope_get_type       (void) G_GNUC_CONST;
GType reel_export_layout_get_type      (void) G_GNUC_CONST;
GType reel_export_paper_get_type       (void) G_GNUC_CONST;
GType reel_export_orientation_get_type (void) G_GNUC_CONST;
GType reel_export_clip_naming_get_type (void) G_GNUC_CONST;

/* The stable ids ("3x2", "a4", "landscape" …) are the GEnum nicks: the command line, the
 * settings and the JSON of a preset all use them. */
const char *reel_export_enum_to_nick   (GType       enum_type,
                                        int         value);
gboolean    reel_export_enum_from_nick (GType       enum_type,
                                        const char *nick,
                                        int        *out_value);

/**
 * ReelExportColumn:
 * @id: stable id, used by the command line and the settings
 * @header: the header written in the file (English, so that importers and scripts can
 *   rely on it)
 * @label: translatable name for the export dialog (marked with N_())
 * @text: whether cells of this column hold text from the project (and so are neutralised
 *   against formula injection) rather than numbers the exporter computes
 */
typedef struct
{
  const char *id;
  const char *header;
  const char *label;
  gboolean    text;
} ReelExportColumn;

const ReelExportColumn *reel_export_get_csv_columns        (guint      *n_columns);
const ReelExportColumn *reel_export_lookup_csv_column      (const char *id);
/* NULL-terminated ids, not to be freed. */
const char * const     *reel_export_get_default_csv_columns (void);
/* Shot Code, Sequence, Cut In, Cut Out, Cut Duration, Description. */
const char * const     *reel_export_get_shotgrid_csv_columns (void);
/* Kitsu's shot import: Sequence, Name, Description, Nb Frames, Frame In, Frame Out, FPS,
 * Resolution. */
const char * const     *reel_export_get_kitsu_csv_columns  (void);

/* The FCPXML versions we write; the first is the default. */
const char * const     *reel_export_get_fcpxml_versions    (void);

#define REEL_EXPORT_PANEL_WIDTH_MIN      64
#define REEL_EXPORT_PANEL_WIDTH_MAX      8192
#define REEL_EXPORT_PANEL_WIDTH_DEFAULT  1920

#define REEL_TYPE_EXPORT_OPTIONS (reel_export_options_get_type ())

G_DECLARE_FINAL_TYPE (ReelExportOptions, reel_export_options, REEL, EXPORT_OPTIONS, GObject)

/*
 * ReelExportOptions: what to export and how. Every format reads the options it
 * understands (see ReelExportFormat) and ignores the others. Properties: "scope",
 * "scene", "layout", "paper", "orientation", "panel-width", "csv-columns",
 * "fcpxml-version", "date", "csv-bom" ("auto", "yes", "no"), "clip-naming", "panel-clips".
 */

ReelExportOptions     *reel_export_options_new                (void);
/* A new object with the same values (the selected shots are shared). */
ReelExportOptions     *reel_export_options_copy               (ReelExportOptions     *self);

ReelExportScope        reel_export_options_get_scope          (ReelExportOptions     *self);
void                   reel_export_options_set_scope          (ReelExportOptions     *self,
                                                               ReelExportScope        scope);
/* Nullable, transfer none. */
ReelScene             *reel_export_options_get_scene          (ReelExportOptions     *self);
void                   reel_export_options_set_scene          (ReelExportOptions     *self,
                                                               ReelScene             *scene);
/* The selected shots for REEL_EXPORT_SCOPE_SHOTS (transfer none; empty, never NULL). */
GPtrArray             *reel_export_options_get_shots          (ReelExportOptions     *self);
void                   reel_export_options_set_shots          (ReelExportOptions     *self,
                                                               ReelShot             **shots,
                                                               guint                  n_shots);
ReelExportLayout       reel_export_options_get_layout         (ReelExportOptions     *self);
void                   reel_export_options_set_layout         (ReelExportOptions     *self,
                                                               ReelExportLayout       layout);
ReelExportPaper        reel_export_options_get_paper          (ReelExportOptions     *self);
void                   reel_export_options_set_paper          (ReelExportOptions     *self,
                                                               ReelExportPaper        paper);
ReelExportOrientation  reel_export_options_get_orientation    (ReelExportOptions     *self);
void                   reel_export_options_set_orientation    (ReelExportOptions     *self,
                                                               ReelExportOrientation  orientation);
/* Width in pixels of PNG panels, those of the PNG format and those written beside
 * editorial files. */
guint                  reel_export_options_get_panel_width    (ReelExportOptions     *self);
void                   reel_export_options_set_panel_width    (ReelExportOptions     *self,
                                                               guint                  width);
/* Column ids in file order (transfer none, NULL-terminated). */
const char * const    *reel_export_options_get_csv_columns    (ReelExportOptions     *self);
/* Unknown ids are REEL_EXPORT_ERROR_INVALID_OPTION; an empty list too. */
gboolean               reel_export_options_set_csv_columns    (ReelExportOptions     *self,
                                                               const char * const    *columns,
                                                               GError               **error);
const char            *reel_export_options_get_fcpxml_version (ReelExportOptions     *self);
/* "1.11" or "1.10"; anything else is REEL_EXPORT_ERROR_INVALID_OPTION. */
gboolean               reel_export_options_set_fcpxml_version (ReelExportOptions     *self,
                                                               const char            *version,
                                                               GError               **error);
/* Whether the CSV starts with a UTF-8 byte-order mark, which LibreOffice and Excel need to
 * read it as UTF-8 when opened with their default settings. Unless set, it follows the
 * columns: on for spreadsheets (the default columns, or any the user picked), off when the
 * columns are exactly a tracker's preset (ShotGrid, Kitsu), whose importers would take the
 * mark for part of the first header. */
gboolean               reel_export_options_get_csv_bom        (ReelExportOptions     *self);
void                   reel_export_options_set_csv_bom        (ReelExportOptions     *self,
                                                               gboolean               bom);
/* Back to following the columns. */
void                   reel_export_options_unset_csv_bom      (ReelExportOptions     *self);
ReelExportClipNaming   reel_export_options_get_clip_naming    (ReelExportOptions     *self);
void                   reel_export_options_set_clip_naming    (ReelExportOptions     *self,
                                                               ReelExportClipNaming   naming);
/* The date printed on PDF headers and written into metadata; the time of the export when
 * unset (nullable, transfer none). Tests set it to get the same bytes twice. */
GDateTime             *reel_export_options_get_date           (ReelExportOptions     *self);
void                   reel_export_options_set_date           (ReelExportOptions     *self,
                                                               GDateTime             *date);
/* Whether editorial timelines refer to each panel as a short movie clip (the shot's length
 * at the project's rate, in a `NAME_media/` folder beside the file) rather than as a still:
 * DaVinci Resolve does not import stills from an EDL. Off by default. */
gboolean               reel_export_options_get_panel_clips    (ReelExportOptions     *self);
void                   reel_export_options_set_panel_clips    (ReelExportOptions     *self,
                                                               gboolean               panel_clips);

G_END_DECLS
