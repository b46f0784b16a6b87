/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "../reel-test-require.h"
#include "export-test-util.h"
#include "storage/reel-demo.h"

/*
 * FCPXML 1.11 and 1.10: valid against Apple's DTD (xmllint --dtdvalid), and read back with
 * GMarkup to check what a DTD cannot: every time is the shot's length to the frame, clips
 * follow each other from 01:00:00:00, references resolve, notes and markers carry the text.
 */

typedef struct
{
  char *element;
  char *ref;
  char *offset;
  char *start;
  char *duration;
  char *name;
  char *note;
  char *marker_value;
  char *marker_note;
  GPtrArray *children;  /* element names in order */
} SpineItem;

typedef struct
{
  char *version;
  GHashTable *formats;  /* id → frameDuration (or "") */
  GHashTable *assets;   /* id → src */
  GHashTable *asset_durations;
  char *sequence_format;
  char *sequence_duration;
  char *tc_start;
  char *tc_format;
  GPtrArray *spine;     /* SpineItem */
  SpineItem *current;
  gboolean in_note;
  GString *text;
  int depth_in_spine;
} Fcpxml;

static void
spine_item_free (SpineItem *item)
{
  g_free (item->element);
  g_free (item->ref);
  g_free (item->offset);
  g_free (item->start);
  g_free (item->duration);
  g_free (item->name);
  g_free (item->note);
  g_free (item->marker_value);
  g_free (item->marker_note);
  g_ptr_array_unref (item->children);
  g_free (item);
}

static void
fcpxml_clear (Fcpxml *self)
{
  g_clear_pointer (&self->version, g_free);
  g_clear_pointer (&self->formats, g_hash_table_unref);
  g_clear_pointer (&self->assets, g_hash_table_unref);
  g_clear_pointer (&self->asset_durations, g_hash_table_unref);
  g_clear_pointer (&self->sequence_format, g_free);
  g_clear_pointer (&self->sequence_duration, g_free);
  g_clear_pointer (&self->tc_start, g_free);
  g_clear_pointer (&self->tc_format, g_free);
  g_clear_pointer (&self->spine, g_ptr_array_unref);
  if (self->text != NULL)
    g_string_free (self->text, TRUE);
  self->text = NULL;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fcpxml, fcpxml_clear)

static const char *
attribute (const char  *name,
           const char **names,
           const char **values)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], name))
      return values[i];
  return NULL;
}

static void
start_element (GMarkupParseContext  *context,
               const char           *element,
               const char          **names,
               const char          **values,
               gpointer              user_data,
               GError              **error)
{
  Fcpxml *self = user_data;

  if (g_str_equal (element, "fcpxml"))
    self->version = g_strdup (attribute ("version", names, values));
  else if (g_str_equal (element, "format"))
    g_hash_table_insert (self->formats, g_strdup (attribute ("id", names, values)),
                         g_strdup (attribute ("frameDuration", names, values) ?: ""));
  else if (g_str_equal (element, "asset"))
    /* The src comes with the media-rep child: see asset_start_element(). */
    g_hash_table_insert (self->asset_durations, g_strdup (attribute ("id", names, values)),
                         g_strdup (attribute ("duration", names, values) ?: ""));
  else if (g_str_equal (element, "sequence"))
    {
      self->sequence_format = g_strdup (attribute ("format", names, values));
      self->sequence_duration = g_strdup (attribute ("duration", names, values));
      self->tc_start = g_strdup (attribute ("tcStart", names, values));
      self->tc_format = g_strdup (attribute ("tcFormat", names, values));
    }
  else if (g_str_equal (element, "spine"))
    self->depth_in_spine = 1;
  else if (self->depth_in_spine == 1)
    {
      SpineItem *item = g_new0 (SpineItem, 1);

      item->element = g_strdup (element);
      item->ref = g_strdup (attribute ("ref", names, values));
      item->offset = g_strdup (attribute ("offset", names, values));
      item->start = g_strdup (attribute ("start", names, values));
      item->duration = g_strdup (attribute ("duration", names, values));
      item->name = g_strdup (attribute ("name", names, values));
      item->children = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (self->spine, item);
      self->current = item;
      self->depth_in_spine++;
    }
  else if (self->depth_in_spine == 2 && self->current != NULL)
    {
      g_ptr_array_add (self->current->children, g_strdup (element));
      if (g_str_equal (element, "note"))
        {
          self->in_note = TRUE;
          g_string_truncate (self->text, 0);
        }
      else if (g_str_equal (element, "marker"))
        {
          self->current->marker_value = g_strdup (attribute ("value", names, values));
          self->current->marker_note = g_strdup (attribute ("note", names, values));
        }
      self->depth_in_spine++;
    }
  else if (self->depth_in_spine > 1)
    self->depth_in_spine++;
}

static void
end_element (GMarkupParseContext  *context,
             const char           *element,
             gpointer              user_data,
             GError              **error)
{
  Fcpxml *self = user_data;

  if (g_str_equal (element, "spine"))
    self->depth_in_spine = 0;
  else if (self->depth_in_spine > 1)
    {
      if (self->in_note && g_str_equal (element, "note"))
        {
          self->current->note = g_strdup (self->text->str);
          self->in_note = FALSE;
        }
      self->depth_in_spine--;
    }
}

static void
text (GMarkupParseContext  *context,
      const char           *text_data,
      gsize                 length,
      gpointer              user_data,
      GError              **error)
{
  Fcpxml *self = user_data;

  if (self->in_note)
    g_string_append_len (self->text, text_data, length);
}

/* media-rep src attributes: a second, tiny pass keyed by the enclosing asset. */
static void
asset_start_element (GMarkupParseContext  *context,
                     const char           *element,
                     const char          **names,
                     const char          **values,
                     gpointer              user_data,
                     GError              **error)
{
  Fcpxml *self = user_data;
  static char *asset_id = NULL;

  if (g_str_equal (element, "asset"))
    {
      g_free (asset_id);
      asset_id = g_strdup (attribute ("id", names, values));
    }
  else if (g_str_equal (element, "media-rep") && asset_id != NULL)
    {
      g_hash_table_insert (self->assets, g_strdup (asset_id),
                           g_strdup (attribute ("src", names, values)));
      g_clear_pointer (&asset_id, g_free);
    }
}

static void
parse (Fcpxml     *self,
       const char *xml)
{
  const GMarkupParser parser = { start_element, end_element, text, NULL, NULL };
  const GMarkupParser asset_parser = { asset_start_element, NULL, NULL, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GMarkupParseContext) asset_context = NULL;
  g_autoptr(GError) error = NULL;

  self->formats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->assets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->asset_durations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->spine = g_ptr_array_new_with_free_func ((GDestroyNotify) spine_item_free);
  self->text = g_string_new (NULL);

  context = g_markup_parse_context_new (&parser, 0, self, NULL);
  g_markup_parse_context_parse (context, xml, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);

  asset_context = g_markup_parse_context_new (&asset_parser, 0, self, NULL);
  g_markup_parse_context_parse (asset_context, xml, -1, &error);
  g_assert_no_error (error);
}

/* "N/Ds" or "Ns" → N and D. */
static void
parse_time (const char *time,
            gint64     *numerator,
            gint64     *denominator)
{
  char *end = NULL;

  g_assert_nonnull (time);
  g_assert_true (g_str_has_suffix (time, "s"));
  *numerator = g_ascii_strtoll (time, &end, 10);
  *denominator = 1;
  if (*end == '/')
    *denominator = g_ascii_strtoll (end + 1, &end, 10);
  g_assert_cmpstr (end, ==, "s");
  g_assert_cmpint (*denominator, >, 0);
}

/* Asserts that @time is exactly @frames at @rate. */
static void
assert_time_is_frames (const char    *time,
                       gint64         frames,
                       ReelFrameRate  rate)
{
  gint64 n, d;

  parse_time (time, &n, &d);
  /* n/d seconds == frames · den / num seconds */
  g_assert_cmpint (n * rate.num, ==, frames * rate.den * d);
}

static void
xmllint (GFile      *file,
         const char *version)
{
  g_autofree char *dtd = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { "xmllint", "--noout", "--dtdvalid", NULL, NULL, NULL };
  int status;

  /* FCPXMLv1_11.dtd: the version's dot becomes an underscore in the file name. */
  dtd = g_strdup_printf ("%s/validators/fcpxml/FCPXMLv%c_%s.dtd",
                         g_getenv ("STORYREEL_SHARED_DIR"), version[0], version + 2);
  g_assert_true (g_file_test (dtd, G_FILE_TEST_IS_REGULAR));
  argv[3] = dtd;
  argv[4] = g_file_peek_path (file);

  status = export_test_spawn (argv, &out, &err);
  if (status != 0)
    g_error ("xmllint --dtdvalid %s failed: %s", dtd, err);
}

static void
export_and_check (ReelProject *project,
                  const char  *version,
                  const char  *name,
                  Fcpxml      *fcpxml)
{
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder (name);
  g_autoptr(GFile) output = g_file_get_child (folder, "cut.fcpxml");
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  ReelFrameRate rate = reel_project_get_frame_rate (project);
  int nominal = reel_frame_rate_get_nominal (rate);
  /* 29.97 and 59.94 count drop-frame: 01:00:00;00 is 108 (216) frames short of an hour of
   * labels. */
  gboolean drop_frame = rate.den == 1001 && (nominal == 30 || nominal == 60);
  gint64 record = 3600 * nominal - (drop_frame ? 54 * (nominal / 15) : 0);
  guint item = 0;

  g_assert_true (reel_export_options_set_fcpxml_version (options, version, NULL));
  export_test_run ("fcpxml", project, options, output, &error);
  g_assert_no_error (error);
  export_test_assert_no_temporaries (folder);

  if (export_test_have_program ("xmllint"))
    xmllint (output, version);

  xml = export_test_read_text (output);
  parse (fcpxml, xml);
  g_assert_cmpstr (fcpxml->version, ==, version);

  /* The sequence: project rate, from 01:00:00:00, as long as the shots. */
  g_assert_nonnull (fcpxml->sequence_format);
  assert_time_is_frames (g_hash_table_lookup (fcpxml->formats, fcpxml->sequence_format), 1, rate);
  assert_time_is_frames (fcpxml->tc_start, record, rate);
  g_assert_cmpstr (fcpxml->tc_format, ==, drop_frame ? "DF" : "NDF");
  assert_time_is_frames (fcpxml->sequence_duration, reel_project_get_duration (project), rate);

  for (guint i = 0; i < shots->len; i++)
    {
      ReelShot *shot = g_ptr_array_index (shots, i);
      SpineItem *clip = g_ptr_array_index (fcpxml->spine, item++);
      const char *src = g_hash_table_lookup (fcpxml->assets, clip->ref);
      g_autofree char *path = NULL;
      g_autofree char *marker = g_strdup_printf ("Shot %s", reel_shot_get_number (shot));
      const char *description = reel_shot_get_description (shot);

      assert_time_is_frames (clip->offset, record, rate);
      assert_time_is_frames (clip->duration, reel_shot_get_duration (shot), rate);
      record += reel_shot_get_duration (shot);

      g_assert_nonnull (src);
      path = g_filename_from_uri (src, NULL, &error);
      g_assert_no_error (error);
      if (reel_shot_get_plate (shot) != NULL)
        {
          g_assert_cmpstr (clip->element, ==, "asset-clip");
          g_assert_true (g_str_has_suffix (path, "/kitchen plate.mov"));
          /* The footage's own length: 240 frames at 23.976 (the project's rate too). */
          assert_time_is_frames (g_hash_table_lookup (fcpxml->asset_durations, clip->ref), 240,
                                 REEL_FRAME_RATE_INIT (24000, 1001));
        }
      else
        {
          /* A still: a video of an asset without duration, the panel beside the file. */
          g_assert_cmpstr (clip->element, ==, "video");
          g_assert_cmpstr (g_hash_table_lookup (fcpxml->asset_durations, clip->ref), ==, "0s");
          g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
          g_assert_true (strstr (path, "/cut_panels/") != NULL);
        }

      /* Note first, then the marker. */
      if (description[0] != '\0')
        {
          /* A clip of a plate ends with its shot's metadata, as the DTD places it. */
          gboolean plate = reel_shot_get_plate (shot) != NULL;

          g_assert_cmpuint (clip->children->len, ==, plate ? 3 : 2);
          g_assert_cmpstr (g_ptr_array_index (clip->children, 0), ==, "note");
          g_assert_cmpstr (g_ptr_array_index (clip->children, 1), ==, "marker");
          if (plate)
            g_assert_cmpstr (g_ptr_array_index (clip->children, 2), ==, "metadata");
          g_assert_cmpstr (clip->note, ==, description);
          g_assert_cmpstr (clip->marker_note, ==, description);
        }
      g_assert_cmpstr (clip->marker_value, ==, marker);
    }
  g_assert_cmpuint (item, ==, fcpxml->spine->len);
}

static void
test_fcpxml_awkward (gconstpointer data)
{
  const char *version = data;
  g_autoptr(ReelProject) project = export_test_new_awkward_project_with_footage ();
  g_autofree char *name = g_strdup_printf ("fcpxml-awkward-%s", version);
  g_auto(Fcpxml) fcpxml = { 0 };
  SpineItem *first;

  export_and_check (project, version, name, &fcpxml);

  g_assert_cmpuint (fcpxml.spine->len, ==, 6);
  first = g_ptr_array_index (fcpxml.spine, 0);
  g_assert_cmpstr (first->name, ==, "SC1_SH1A");
  /* At 23.976 every time counts 1001/24000 s frames. */
  g_assert_cmpstr (first->offset, ==, "86486400/24000s");
  g_assert_cmpstr (first->duration, ==, "48048/24000s");
  g_assert_cmpstr (first->note, ==, AWKWARD_QUOTES);
}

static void
test_fcpxml_demo (gconstpointer data)
{
  const char *version = data;
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  g_autofree char *name = g_strdup_printf ("fcpxml-demo-%s", version);
  g_auto(Fcpxml) fcpxml = { 0 };

  export_and_check (project, version, name, &fcpxml);
  g_assert_cmpuint (fcpxml.spine->len, ==, reel_project_get_n_shots (project));
}

static void
test_fcpxml_drop_frame (void)
{
  static const int rates[] = { 30000, 60000 };

  for (guint r = 0; r < G_N_ELEMENTS (rates); r++)
    {
      g_autoptr(ReelProject) project = reel_demo_project_new ();
      g_autofree char *name = g_strdup_printf ("fcpxml-drop-%d", rates[r]);
      g_auto(Fcpxml) fcpxml = { 0 };

      reel_project_set_frame_rate (project, REEL_FRAME_RATE_INIT (rates[r], 1001));
      export_and_check (project, "1.11", name, &fcpxml);
      g_assert_cmpstr (fcpxml.tc_format, ==, "DF");
    }
  /* 01:00:00;00 at 29.97 is frame 107892: 107892 · 1001/30000 s. */
  {
    g_autoptr(ReelProject) project = reel_demo_project_new ();
    g_auto(Fcpxml) fcpxml = { 0 };

    reel_project_set_frame_rate (project, REEL_FRAME_RATE_INIT (30000, 1001));
    export_and_check (project, "1.11", "fcpxml-drop-start", &fcpxml);
    g_assert_cmpstr (fcpxml.tc_start, ==, "107999892/30000s");
  }
}

static guint
count_occurrences (const char *haystack,
                   const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* Metadata: scene and shot on every clip's asset (or plate clip); on the panel whose
 * background a model made, the IPTC Digital Source Type and the model. Valid against the
 * DTD. */
static void
test_fcpxml_metadata (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project_with_footage ();
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("fcpxml-metadata");
  g_autoptr(GFile) output = g_file_get_child (folder, "cut.fcpxml");
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;

  export_test_run ("fcpxml", project, options, output, &error);
  g_assert_no_error (error);
  xml = export_test_read_text (output);

  g_assert_cmpuint (count_occurrences (xml, "<metadata>"), ==, 6);
  g_assert_cmpuint (count_occurrences (xml, "<md key=\"com.apple.proapps.studio.shot\""), ==, 6);
  g_assert_nonnull (strstr (xml, "<md key=\"com.apple.proapps.studio.shot\" value=\"2B\"/>"));
  g_assert_cmpuint (count_occurrences (xml, "io.github.storyreel.digitalSourceType"), ==, 1);
  g_assert_nonnull (strstr (xml, "<md key=\"io.github.storyreel.digitalSourceType\" "
                                 "value=\"http://cv.iptc.org/newscodes/digitalsourcetype/"
                                 "compositeWithTrainedAlgorithmicMedia\"/>"));
  g_assert_nonnull (strstr (xml, "<md key=\"io.github.storyreel.aiModel\" value=\""
                                 AWKWARD_MODEL "\"/>"));

  if (!reel_test_require_program ("xmllint"))
    return;
  xmllint (output, "1.11");
}

/* A gray-box render of the set keeps its Digital Source Type but names no AI provider or
 * model; the generated background still names its model. */
static void
test_fcpxml_greybox (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project_with_footage ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("fcpxml-greybox");
  g_autoptr(GFile) output = g_file_get_child (folder, "cut.fcpxml");
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;

  export_test_use_greybox_background (project, g_ptr_array_index (shots, 3), NULL);
  export_test_run ("fcpxml", project, options, output, &error);
  g_assert_no_error (error);
  xml = export_test_read_text (output);

  g_assert_cmpuint (count_occurrences (xml, "io.github.storyreel.digitalSourceType"), ==, 2);
  g_assert_cmpuint (count_occurrences (xml, "io.github.storyreel.aiProvider"), ==, 1);
  g_assert_cmpuint (count_occurrences (xml, "io.github.storyreel.aiModel"), ==, 1);
  g_assert_nonnull (strstr (xml, "<md key=\"io.github.storyreel.aiModel\" value=\""
                                 AWKWARD_MODEL "\"/>"));
  g_assert_null (strstr (xml, "value=\"greybox"));

  if (!reel_test_require_program ("xmllint"))
    return;
  xmllint (output, "1.11");
}

/* A shot longer than its plate: the clip stops where the footage does (240 frames at
 * 23.976), a gap keeps the cut's length, and the file stays valid. */
static void
test_fcpxml_plate_end (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project_with_footage ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("fcpxml-plate-end");
  g_autoptr(GFile) output = g_file_get_child (folder, "cut.fcpxml");
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  const char *clip, *gap;

  reel_shot_set_duration (g_ptr_array_index (shots, 5), 300);
  export_test_run ("fcpxml", project, options, output, &error);
  g_assert_no_error (error);
  xml = export_test_read_text (output);

  clip = strstr (xml, "<asset-clip ");
  g_assert_nonnull (clip);
  /* 240 frames of 1001/24000 s. */
  g_assert_true (g_str_has_prefix (strstr (clip, "duration=\""), "duration=\"240240/24000s\""));
  gap = strstr (clip, "<gap ");
  g_assert_nonnull (gap);
  g_assert_nonnull (strstr (gap, "duration=\"60060/24000s\""));
  /* The sequence is as long as the shots. */
  g_assert_nonnull (strstr (xml, "<sequence format=\"r1\" duration=\""));

  if (!reel_test_require_program ("xmllint"))
    return;
  xmllint (output, "1.11");
}

/* Attributes of every @element by its id, or (for elements without one) by ref. */
typedef struct
{
  const char *element;
  GHashTable *by_id; /* id → (name → value) */
  GPtrArray *in_order;
} Collected;

static void
collect_start_element (GMarkupParseContext  *context,
                       const char           *element,
                       const char          **names,
                       const char          **values,
                       gpointer              user_data,
                       GError              **error)
{
  Collected *collected = user_data;
  GHashTable *attributes;
  const char *id;

  if (!g_str_equal (element, collected->element))
    return;

  attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; names[i] != NULL; i++)
    g_hash_table_insert (attributes, g_strdup (names[i]), g_strdup (values[i]));
  id = attribute ("id", names, values);
  g_ptr_array_add (collected->in_order, g_hash_table_ref (attributes));
  g_hash_table_insert (collected->by_id, g_strdup (id != NULL ? id : ""), attributes);
}

static void
collect (const char *xml,
         const char *element,
         Collected  *collected)
{
  const GMarkupParser parser = { collect_start_element, NULL, NULL, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;

  collected->element = element;
  collected->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_hash_table_unref);
  collected->in_order = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  context = g_markup_parse_context_new (&parser, 0, collected, NULL);
  g_markup_parse_context_parse (context, xml, -1, &error);
  g_assert_no_error (error);
}

static void
collected_clear (Collected *collected)
{
  g_clear_pointer (&collected->by_id, g_hash_table_unref);
  g_clear_pointer (&collected->in_order, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Collected, collected_clear)

static void
link_plate (ReelShot *shot,
            GFile    *footage)
{
  g_autoptr(ReelPlate) plate = reel_plate_new (g_file_peek_path (footage));

  reel_shot_set_plate (shot, plate);
}

/* The asset whose media-rep is @footage. */
static GHashTable *
find_asset (const char *xml,
            Collected  *assets,
            GFile      *footage)
{
  g_autofree char *uri = g_file_get_uri (footage);
  g_autofree char *escaped = g_markup_escape_text (uri, -1);
  g_autofree char *needle = g_strdup_printf ("<media-rep kind=\"original-media\" src=\"%s\"/>",
                                             escaped);
  const char *rep = strstr (xml, needle);
  const char *open;
  g_autofree char *id = NULL;

  g_assert_nonnull (rep);
  g_assert_null (strstr (rep + 1, needle));
  /* The asset element just before it. */
  open = g_strrstr_len (xml, rep - xml, "<asset id=\"");
  g_assert_nonnull (open);
  open += strlen ("<asset id=\"");
  id = g_strndup (open, strchr (open, '"') - open);

  return g_hash_table_lookup (assets->by_id, id);
}

/* Plates of two rates and sizes, one without sound, and a third sharing the first one's
 * format: each asset has its own format (rate and size as GStreamer found them), its
 * length in its own frames, and audio attributes only with audio; clips never run past
 * their footage; the file is valid. */
static void
test_fcpxml_plate_formats (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(GPtrArray) shots = export_test_list_shots (project);
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("fcpxml-plate-formats");
  g_autoptr(GFile) footage = export_test_make_folder ("fcpxml-plate-formats-footage");
  g_autoptr(GFile) pal = g_file_get_child (footage, "pal stereo.mov");
  g_autoptr(GFile) ntsc = g_file_get_child (footage, "ntsc silent.mov");
  g_autoptr(GFile) mono = g_file_get_child (footage, "pal mono.mov");
  g_autoptr(GFile) output = g_file_get_child (folder, "cut.fcpxml");
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_auto(Collected) formats = { 0 };
  g_auto(Collected) assets = { 0 };
  g_auto(Collected) clips = { 0 };
  GHashTable *asset, *format, *clip;

  /* 2 s at 25 fps with stereo at 48 kHz; 2.002 s at 29.97 without sound; 1 s mono at
   * 44.1 kHz in the first one's format. */
  export_test_make_plate (pal, 320, 180, 25, 1, 50, 2, 48000);
  export_test_make_plate (ntsc, 160, 90, 30000, 1001, 60, 0, 0);
  export_test_make_plate (mono, 320, 180, 25, 1, 25, 1, 44100);

  /* 1A (48 frames) on the PAL plate, 1C (10 hours) on the NTSC one, 2A (30 frames) on the
   * mono one; 2C's missing plate is unlinked. */
  link_plate (g_ptr_array_index (shots, 0), pal);
  link_plate (g_ptr_array_index (shots, 2), ntsc);
  link_plate (g_ptr_array_index (shots, 3), mono);
  reel_shot_set_plate (g_ptr_array_index (shots, 5), NULL);

  export_test_run ("fcpxml", project, options, output, &error);
  g_assert_no_error (error);
  xml = export_test_read_text (output);
  collect (xml, "format", &formats);
  collect (xml, "asset", &assets);
  collect (xml, "asset-clip", &clips);

  /* The PAL plate: its own 25 fps, 320 × 180 format, 50 of its frames, stereo. */
  asset = find_asset (xml, &assets, pal);
  assert_time_is_frames (g_hash_table_lookup (asset, "duration"), 50, REEL_FRAME_RATE_INIT (25, 1));
  g_assert_cmpstr (g_hash_table_lookup (asset, "hasVideo"), ==, "1");
  g_assert_cmpstr (g_hash_table_lookup (asset, "hasAudio"), ==, "1");
  g_assert_cmpstr (g_hash_table_lookup (asset, "audioSources"), ==, "1");
  g_assert_cmpstr (g_hash_table_lookup (asset, "audioChannels"), ==, "2");
  g_assert_cmpstr (g_hash_table_lookup (asset, "audioRate"), ==, "48000");
  g_assert_cmpstr (g_hash_table_lookup (asset, "format"), !=, "r1");
  format = g_hash_table_lookup (formats.by_id, g_hash_table_lookup (asset, "format"));
  g_assert_nonnull (format);
  g_assert_cmpstr (g_hash_table_lookup (format, "frameDuration"), ==, "1/25s");
  g_assert_cmpstr (g_hash_table_lookup (format, "width"), ==, "320");
  g_assert_cmpstr (g_hash_table_lookup (format, "height"), ==, "180");

  /* The mono plate shares that format, with its own sound. */
  {
    GHashTable *mono_asset = find_asset (xml, &assets, mono);

    g_assert_cmpstr (g_hash_table_lookup (mono_asset, "format"), ==,
                     g_hash_table_lookup (asset, "format"));
    assert_time_is_frames (g_hash_table_lookup (mono_asset, "duration"), 25,
                           REEL_FRAME_RATE_INIT (25, 1));
    g_assert_cmpstr (g_hash_table_lookup (mono_asset, "audioChannels"), ==, "1");
    g_assert_cmpstr (g_hash_table_lookup (mono_asset, "audioRate"), ==, "44100");
  }

  /* The silent NTSC plate: no audio attributes at all. */
  asset = find_asset (xml, &assets, ntsc);
  assert_time_is_frames (g_hash_table_lookup (asset, "duration"), 60,
                         REEL_FRAME_RATE_INIT (30000, 1001));
  g_assert_false (g_hash_table_contains (asset, "hasAudio"));
  g_assert_false (g_hash_table_contains (asset, "audioSources"));
  g_assert_false (g_hash_table_contains (asset, "audioChannels"));
  g_assert_false (g_hash_table_contains (asset, "audioRate"));
  format = g_hash_table_lookup (formats.by_id, g_hash_table_lookup (asset, "format"));
  g_assert_cmpstr (g_hash_table_lookup (format, "frameDuration"), ==, "1001/30000s");
  g_assert_cmpstr (g_hash_table_lookup (format, "width"), ==, "160");
  g_assert_cmpstr (g_hash_table_lookup (format, "height"), ==, "90");

  /* r1 (sequence), r2 (stills) and the two plate formats. */
  g_assert_cmpuint (formats.in_order->len, ==, 4);

  /* The clips: each in its footage's format and timecode count, never past its footage:
   * 1A's 2 s hold 47 whole frames at 23.976 (48 would be 2.002 s), so a frame of gap
   * follows; 1C stops after the 2.002 s of its plate, exactly 48 frames at 23.976, and a
   * gap holds the rest of the shot. */
  g_assert_cmpuint (clips.in_order->len, ==, 3);
  clip = g_ptr_array_index (clips.in_order, 0);
  g_assert_cmpstr (g_hash_table_lookup (clip, "format"), ==,
                   g_hash_table_lookup (find_asset (xml, &assets, pal), "format"));
  g_assert_cmpstr (g_hash_table_lookup (clip, "tcFormat"), ==, "NDF");
  assert_time_is_frames (g_hash_table_lookup (clip, "duration"), 47,
                         REEL_FRAME_RATE_INIT (24000, 1001));
  g_assert_nonnull (strstr (strstr (xml, "<gap name=\"SC1_SH1A (after the plate)\""),
                            "duration=\"1001/24000s\""));
  clip = g_ptr_array_index (clips.in_order, 1);
  g_assert_cmpstr (g_hash_table_lookup (clip, "format"), ==, g_hash_table_lookup (asset, "format"));
  g_assert_cmpstr (g_hash_table_lookup (clip, "tcFormat"), ==, "DF");
  assert_time_is_frames (g_hash_table_lookup (clip, "duration"), 48,
                         REEL_FRAME_RATE_INIT (24000, 1001));
  g_assert_nonnull (strstr (xml, "<gap name=\"SC1_SH1C (after the plate)\""));
  /* 2A: the mono plate's second holds 23 whole frames at 23.976; a gap of 7 follows. */
  clip = g_ptr_array_index (clips.in_order, 2);
  assert_time_is_frames (g_hash_table_lookup (clip, "duration"), 23,
                         REEL_FRAME_RATE_INIT (24000, 1001));
  g_assert_nonnull (strstr (xml, "<gap name=\"SC2_SH2A (after the plate)\""));
  g_assert_nonnull (strstr (strstr (xml, "<gap name=\"SC2_SH2A (after the plate)\""),
                            "duration=\"7007/24000s\""));

  if (!reel_test_require_program ("xmllint"))
    return;
  xmllint (output, "1.11");
}

/* Footage that is not there stops the export with an error that names the shot and the
 * file, and leaves nothing behind. */
static void
test_fcpxml_plate_missing (void)
{
  g_autoptr(ReelProject) project = export_test_new_awkward_project ();
  g_autoptr(ReelExportOptions) options = export_test_new_options ();
  g_autoptr(GFile) folder = export_test_make_folder ("fcpxml-plate-missing");
  g_autoptr(GFile) output = g_file_get_child (folder, "cut.fcpxml");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  g_assert_false (export_test_run ("fcpxml", project, options, output, &error));
  g_assert_error (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_FOOTAGE);
  g_assert_nonnull (strstr (error->message, "2C"));
  g_assert_nonnull (strstr (error->message, "/nonexistent/footage/kitchen plate.mov"));
  names = export_test_list_folder (folder);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/export/fcpxml/awkward/1.11", "1.11", test_fcpxml_awkward);
  g_test_add_data_func ("/export/fcpxml/awkward/1.10", "1.10", test_fcpxml_awkward);
  g_test_add_data_func ("/export/fcpxml/demo/1.11", "1.11", test_fcpxml_demo);
  g_test_add_data_func ("/export/fcpxml/demo/1.10", "1.10", test_fcpxml_demo);
  g_test_add_func ("/export/fcpxml/drop-frame", test_fcpxml_drop_frame);
  g_test_add_func ("/export/fcpxml/metadata", test_fcpxml_metadata);
  g_test_add_func ("/export/fcpxml/greybox", test_fcpxml_greybox);
  g_test_add_func ("/export/fcpxml/plate-end", test_fcpxml_plate_end);
  g_test_add_func ("/export/fcpxml/plate-formats", test_fcpxml_plate_formats);
  g_test_add_func ("/export/fcpxml/plate-missing", test_fcpxml_plate_missing);

  return export_test_finish (g_test_run ());
}
