/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* GES 1.22's headers declare const return values, which -Wextra flags in every file that
 * includes them; include GES through here instead. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-qualifiers"
#include <ges/ges.h>
#pragma GCC diagnostic pop

G_BEGIN_DECLS

/* GStreamer Editing Services, loaded on first use. The program does not link libges (which
 * brings an embedded Python and ICU, the dearest libraries at start-up after curl's TLS);
 * the module storyreel-ges.so does, and hands over the table of the GES functions the
 * animatic calls. reel_media_init_editing() loads it, and every GES call comes after it,
 * so the calls below go through the table unchanged. */

#define REEL_GES_FUNCTIONS(F) \
  F (ges_init_check) \
  F (ges_asset_get_type) \
  F (ges_clip_get_type) \
  F (ges_clip_asset_get_type) \
  F (ges_container_get_type) \
  F (ges_timeline_element_get_type) \
  F (ges_track_get_type) \
  F (ges_audio_track_new) \
  F (ges_video_track_new) \
  F (ges_clip_asset_get_supported_formats) \
  F (ges_clip_set_supported_formats) \
  F (ges_container_add) \
  F (ges_effect_new) \
  F (ges_layer_add_asset) \
  F (ges_layer_add_clip) \
  F (ges_layer_remove_clip) \
  F (ges_pipeline_new) \
  F (ges_pipeline_preview_set_audio_sink) \
  F (ges_pipeline_preview_set_video_sink) \
  F (ges_pipeline_set_mode) \
  F (ges_pipeline_set_render_settings) \
  F (ges_pipeline_set_timeline) \
  F (ges_test_clip_new) \
  F (ges_test_clip_set_vpattern) \
  F (ges_text_overlay_clip_new) \
  F (ges_text_overlay_clip_set_color) \
  F (ges_text_overlay_clip_set_font_desc) \
  F (ges_text_overlay_clip_set_halign) \
  F (ges_text_overlay_clip_set_text) \
  F (ges_text_overlay_clip_set_valign) \
  F (ges_timeline_add_track) \
  F (ges_timeline_append_layer) \
  F (ges_timeline_commit_sync) \
  F (ges_timeline_element_lookup_child) \
  F (ges_timeline_element_set_child_properties) \
  F (ges_timeline_element_set_duration) \
  F (ges_timeline_element_set_start) \
  F (ges_timeline_new) \
  F (ges_track_set_restriction_caps) \
  F (ges_uri_clip_asset_get_max_duration) \
  F (ges_uri_clip_asset_request_sync)

typedef struct
{
#define REEL_GES_MEMBER(name) __typeof__ (name) *name;
  REEL_GES_FUNCTIONS (REEL_GES_MEMBER)
#undef REEL_GES_MEMBER
} ReelGesApi;

gboolean          reel_ges_load (GError **error);
const ReelGesApi *reel_ges_api  (void);

/* Each call goes through the table (except in the module, which calls GES, and in
 * reel-media.c's loader). A function added to the list needs its line here too; a GES
 * call missing from both fails to link. */
#ifndef REEL_GES_DIRECT
#define ges_init_check (reel_ges_api ()->ges_init_check)
#define ges_asset_get_type (reel_ges_api ()->ges_asset_get_type)
#define ges_clip_get_type (reel_ges_api ()->ges_clip_get_type)
#define ges_clip_asset_get_type (reel_ges_api ()->ges_clip_asset_get_type)
#define ges_container_get_type (reel_ges_api ()->ges_container_get_type)
#define ges_timeline_element_get_type (reel_ges_api ()->ges_timeline_element_get_type)
#define ges_track_get_type (reel_ges_api ()->ges_track_get_type)
#define ges_audio_track_new (reel_ges_api ()->ges_audio_track_new)
#define ges_video_track_new (reel_ges_api ()->ges_video_track_new)
#define ges_clip_asset_get_supported_formats \
  (reel_ges_api ()->ges_clip_asset_get_supported_formats)
#define ges_clip_set_supported_formats (reel_ges_api ()->ges_clip_set_supported_formats)
#define ges_container_add (reel_ges_api ()->ges_container_add)
#define ges_effect_new (reel_ges_api ()->ges_effect_new)
#define ges_layer_add_asset (reel_ges_api ()->ges_layer_add_asset)
#define ges_layer_add_clip (reel_ges_api ()->ges_layer_add_clip)
#define ges_layer_remove_clip (reel_ges_api ()->ges_layer_remove_clip)
#define ges_pipeline_new (reel_ges_api ()->ges_pipeline_new)
#define ges_pipeline_preview_set_audio_sink \
  (reel_ges_api ()->ges_pipeline_preview_set_audio_sink)
#define ges_pipeline_preview_set_video_sink \
  (reel_ges_api ()->ges_pipeline_preview_set_video_sink)
#define ges_pipeline_set_mode (reel_ges_api ()->ges_pipeline_set_mode)
#define ges_pipeline_set_render_settings (reel_ges_api ()->ges_pipeline_set_render_settings)
#define ges_pipeline_set_timeline (reel_ges_api ()->ges_pipeline_set_timeline)
#define ges_test_clip_new (reel_ges_api ()->ges_test_clip_new)
#define ges_test_clip_set_vpattern (reel_ges_api ()->ges_test_clip_set_vpattern)
#define ges_text_overlay_clip_new (reel_ges_api ()->ges_text_overlay_clip_new)
#define ges_text_overlay_clip_set_color (reel_ges_api ()->ges_text_overlay_clip_set_color)
#define ges_text_overlay_clip_set_font_desc \
  (reel_ges_api ()->ges_text_overlay_clip_set_font_desc)
#define ges_text_overlay_clip_set_halign (reel_ges_api ()->ges_text_overlay_clip_set_halign)
#define ges_text_overlay_clip_set_text (reel_ges_api ()->ges_text_overlay_clip_set_text)
#define ges_text_overlay_clip_set_valign (reel_ges_api ()->ges_text_overlay_clip_set_valign)
#define ges_timeline_add_track (reel_ges_api ()->ges_timeline_add_track)
#define ges_timeline_append_layer (reel_ges_api ()->ges_timeline_append_layer)
#define ges_timeline_commit_sync (reel_ges_api ()->ges_timeline_commit_sync)
#define ges_timeline_element_lookup_child \
  (reel_ges_api ()->ges_timeline_element_lookup_child)
#define ges_timeline_element_set_child_properties \
  (reel_ges_api ()->ges_timeline_element_set_child_properties)
#define ges_timeline_element_set_duration \
  (reel_ges_api ()->ges_timeline_element_set_duration)
#define ges_timeline_element_set_start (reel_ges_api ()->ges_timeline_element_set_start)
#define ges_timeline_new (reel_ges_api ()->ges_timeline_new)
#define ges_track_set_restriction_caps (reel_ges_api ()->ges_track_set_restriction_caps)
#define ges_uri_clip_asset_get_max_duration \
  (reel_ges_api ()->ges_uri_clip_asset_get_max_duration)
#define ges_uri_clip_asset_request_sync (reel_ges_api ()->ges_uri_clip_asset_request_sync)

/* The headers' casts are inline functions that call the real get_type(): these, defined
 * after them, call it through the table. */
#undef GES_ASSET
#define GES_ASSET(p) G_TYPE_CHECK_INSTANCE_CAST ((p), ges_asset_get_type (), GESAsset)
#undef GES_CLIP
#define GES_CLIP(p) G_TYPE_CHECK_INSTANCE_CAST ((p), ges_clip_get_type (), GESClip)
#undef GES_CLIP_ASSET
#define GES_CLIP_ASSET(p) \
  G_TYPE_CHECK_INSTANCE_CAST ((p), ges_clip_asset_get_type (), GESClipAsset)
#undef GES_CONTAINER
#define GES_CONTAINER(p) G_TYPE_CHECK_INSTANCE_CAST ((p), ges_container_get_type (), GESContainer)
#undef GES_TIMELINE_ELEMENT
#define GES_TIMELINE_ELEMENT(p) \
  G_TYPE_CHECK_INSTANCE_CAST ((p), ges_timeline_element_get_type (), GESTimelineElement)
#undef GES_TRACK
#define GES_TRACK(p) G_TYPE_CHECK_INSTANCE_CAST ((p), ges_track_get_type (), GESTrack)
#endif

G_END_DECLS
