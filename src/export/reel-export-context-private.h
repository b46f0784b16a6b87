/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/reel-core.h"
#include "export/reel-export-registry.h"
#include "media/reel-media-probe.h"

G_BEGIN_DECLS

/**
 * ReelExportShot:
 * @shot: the shot, in the export's private copy of the project
 * @scene: its scene (same copy)
 * @index: 0-based position in the export
 * @scene_position: 0-based position of @scene in the project
 * @shot_position: 0-based position of @shot in @scene
 * @start: frames from the start of the export to the first frame of the shot
 * @duration: frames, never negative
 * @scene_code: "SC12" (from the scene number, or its position when it has none)
 * @shot_code: "SH12A" (from the shot number, or its position in the scene)
 * @code: "SC12_SH12A": the shot code of production tracking
 * @panel_name: "0001_SC12_SH12A.png": unique within the export
 * @background: the active background (nullable; videos included)
 * @generation: provenance of @background (nullable: drawn or imported by hand)
 * @plate_file: the linked reference footage (nullable)
 * @clip_file: where the panel's movie clip will be once the export succeeds (nullable: only
 *   with #ReelExportOptions:panel-clips, for a shot without footage)
 * @clip_render_file: where that clip is while the export runs (nullable with @clip_file)
 *
 * What the writers need to know about each shot in scope, worked out once.
 */
typedef struct
{
  ReelShot             *shot;
  ReelScene            *scene;
  guint                 index;
  guint                 scene_position;
  guint                 shot_position;
  gint64                start;
  gint64                duration;
  char                 *scene_code;
  char                 *shot_code;
  char                 *code;
  char                 *panel_name;
  ReelAsset            *background;
  ReelGenerationRecord *generation;
  GFile                *plate_file;
  GFile                *clip_file;
  GFile                *clip_render_file;
} ReelExportShot;

/* Timelines start at 01:00:00:00, as editorial expects. */
#define REEL_EXPORT_START_HOURS 1
/* Production tracking counts frames of a shot from 1001 (room for handles before it). */
#define REEL_EXPORT_CUT_IN 1001

ReelProject             *reel_export_context_get_project      (ReelExportContext  *self);
ReelExportOptions       *reel_export_context_get_options      (ReelExportContext  *self);
const ReelExportFormat  *reel_export_context_get_format       (ReelExportContext  *self);
ReelFrameRate            reel_export_context_get_frame_rate   (ReelExportContext  *self);
/* The date of the export (options' date, or when it started). */
GDateTime               *reel_export_context_get_date         (ReelExportContext  *self);
/* The file the user asked for (not the temporary one being written). */
GFile                   *reel_export_context_get_output       (ReelExportContext  *self);
/* Nullable. */
GFile                   *reel_export_context_get_project_file (ReelExportContext  *self);
/* Scene of a scene-scoped export, else NULL (in the private copy). */
ReelScene               *reel_export_context_get_scene        (ReelExportContext  *self);
/* The shots in scope, in project order. */
ReelExportShot * const  *reel_export_context_get_shots        (ReelExportContext  *self,
                                                               guint              *n_shots);
/* Sum of the durations in scope. */
gint64                   reel_export_context_get_duration     (ReelExportContext  *self);
/* Frames of 01:00:00:00 at the project rate (of 01:00:00;00 in drop-frame: 107892 at 29.97). */
gint64                   reel_export_context_get_start_frame  (ReelExportContext  *self);
/* Drop-frame at 29.97 and 59.94, else non-drop: how every timecode of the export counts. */
ReelTimecodeFlags        reel_export_context_get_timecode_flags (ReelExportContext *self);

/* The stream of the temporary output file (FILE formats only). */
GOutputStream           *reel_export_context_get_stream       (ReelExportContext  *self);
/* Writes all of @data to the stream; an error names the output file. */
gboolean                 reel_export_context_write            (ReelExportContext  *self,
                                                               const char         *data,
                                                               gsize               length,
                                                               GError            **error);
/* Turns a GIO or Cairo failure into REEL_EXPORT_ERROR_WRITE naming the output file. */
void                     reel_export_context_set_write_error  (ReelExportContext  *self,
                                                               const char         *reason,
                                                               GError            **error);

/* Panels. Editorial formats (and the PNG format) write one PNG per shot. */
/* Folder the panels end up in (the output itself for folder formats). */
GFile                   *reel_export_context_get_panels_folder (ReelExportContext *self);
/* Where @shot's panel will be once the export succeeds (transfer full). */
GFile                   *reel_export_context_get_panel_file   (ReelExportContext  *self,
                                                               const ReelExportShot *shot);
char                    *reel_export_context_dup_panel_uri    (ReelExportContext  *self,
                                                               const ReelExportShot *shot);
/* Height of a panel @width pixels wide at the project aspect. */
int                      reel_export_context_get_panel_height (ReelExportContext  *self,
                                                               int                 width);
/* Renders the panel of every shot at the options' panel width into the (temporary)
 * panels folder, reporting progress from @progress_from to @progress_to. */
gboolean                 reel_export_context_write_panels     (ReelExportContext  *self,
                                                               double              progress_from,
                                                               double              progress_to,
                                                               GError            **error);

/* What @item's plate holds (rate, size, length, audio), asked of GStreamer once per file.
 * FALSE with REEL_EXPORT_ERROR_FOOTAGE naming the shot and the file when it is missing or
 * unreadable. */
gboolean                 reel_export_context_probe_plate      (ReelExportContext    *self,
                                                               const ReelExportShot *item,
                                                               ReelMediaInfo        *info,
                                                               GError              **error);

/* Movie clips of the panels (#ReelExportOptions:panel-clips): renders each shot that has a
 * @clip_file, for its length at the project rate, into its @clip_render_file, reporting
 * progress from @progress_from to @progress_to. Does nothing when the option is off. */
gboolean                 reel_export_context_write_panel_clips (ReelExportContext *self,
                                                                double             progress_from,
                                                                double             progress_to,
                                                                GError           **error);

/* The panels, then their movie clips when the options ask for them, reporting progress
 * from 0 to @progress_to. */
gboolean                 reel_export_context_write_media      (ReelExportContext  *self,
                                                               double              progress_to,
                                                               GError            **error);

/* Progress of @done out of @total steps, scaled into the range given. */
void                     reel_export_context_progress         (ReelExportContext  *self,
                                                               double              fraction);
/* FALSE with REEL_EXPORT_ERROR_CANCELLED once the export is cancelled. */
gboolean                 reel_export_context_check_cancelled  (ReelExportContext  *self,
                                                               GError            **error);

/* Helpers for the writers. */
/* "01:00:02:00" ("01:00:02;00" in drop-frame): @frames after the start of the timeline (the
 * scope's frame 0), wrapped at 24 hours. */
char                    *reel_export_context_dup_record_timecode (ReelExportContext *self,
                                                                  gint64             frames);
/* The name of @item's clip in OTIO and EDL: its code, or Kitsu's naming when the options
 * ask for it ("Harbour_SC12-SH12A"). */
char                    *reel_export_context_dup_clip_name    (ReelExportContext    *self,
                                                               const ReelExportShot *item);
/* The picture size editorial timelines use: the project aspect, 1920 on the long side. */
void                     reel_export_context_get_picture_size (ReelExportContext  *self,
                                                               int                *width,
                                                               int                *height);
/* English labels for vocabulary ids, as written in files ("MCU", "Eye level"). */
const char              *reel_export_vocab_label              (ReelVocabulary      kind,
                                                               const char         *id,
                                                               gboolean            short_label);
/* "35 mm", "50.5 mm" in the C locale. */
char                    *reel_export_format_lens              (double              lens_mm);
/* Draws @background scaled to cover (0, 0, @width, @height) of @cr, centred: a still as it
 * is, a video by its first frame (decoded here: blocking, for the export's worker). FALSE,
 * nothing drawn, when it cannot be decoded: the panel keeps its grey. */
gboolean                 reel_export_draw_background          (ReelAsset          *background,
                                                               cairo_t            *cr,
                                                               double              width,
                                                               double              height);

G_END_DECLS
