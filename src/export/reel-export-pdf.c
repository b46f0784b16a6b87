/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-export-pdf"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "reel-export-context-private.h"
#include "reel-export-error.h"
#include "reel-export-formats-private.h"

/*
 * PDF storyboard sheets, drawn with Cairo and Pango so that every script (Korean included)
 * is shaped properly and its fonts are embedded. Grid layouts start each scene on a new page
 * and head every page with the project, the scene, its shot count and running time, the
 * aspect ratio and the date; the shot-list layout is a table. Panels keep their sketch as
 * vectors; a background image is printed as a JPEG at 200 dpi, so that a board of a thousand
 * generated backgrounds stays a file one can mail.
 *
 * Text that does not fit a panel is cut at the last whole line that fits and ends in an
 * ellipsis, always (Pango's own ellipsis is missing when the cut falls at a line break);
 * the shots whose text was cut are listed in full in a shot-list table after the grids.
 */

#define MARGIN          30.0
#define HEADER_HEIGHT   42.0
#define FOOTER_HEIGHT   16.0
#define GUTTER          12.0
#define PRINT_DPI       200.0
#define FONT_FAMILY     "Sans"
#define THUMB_WIDTH     120.0

typedef struct
{
  guint      first;     /* index into the shots (grids) or the table's parts (tables) */
  guint      n_shots;
  ReelScene *scene;     /* the page's scene in grid layouts, NULL for the table */
  gboolean   table;     /* a page of the shot-list table */
} Page;

typedef struct
{
  ReelExportContext *context;
  ReelProject *project;
  ReelExportOptions *options;
  ReelExportLayout layout;
  ReelExportShot * const *shots;
  guint n_shots;
  double aspect;

  GOutputStream *stream;
  GCancellable *cancellable;
  GError *write_error;

  cairo_surface_t *surface;
  cairo_t *cr;
  PangoContext *pango;

  double page_width;
  double page_height;
  double body_x;
  double body_y;
  double body_width;
  double body_height;
  guint columns;
  guint rows;

  GArray *pages;
  GArray *table_rows;   /* shot indices of the table: every shot, or those cut in the grids */
  GArray *table_parts;  /* TableRow: the rows as drawn, a shot longer than a page in parts */
  gboolean continued;   /* the table holds the text cut from the grids */
  char *date;
} PdfWriter;

static void
pdf_writer_clear (PdfWriter *self)
{
  g_clear_pointer (&self->cr, cairo_destroy);
  g_clear_pointer (&self->surface, cairo_surface_destroy);
  g_clear_object (&self->pango);
  g_clear_pointer (&self->pages, g_array_unref);
  g_clear_pointer (&self->table_rows, g_array_unref);
  g_clear_pointer (&self->table_parts, g_array_unref);
  g_clear_pointer (&self->date, g_free);
  g_clear_error (&self->write_error);
}

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  PdfWriter *self = closure;

  if (self->write_error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;

  if (!g_output_stream_write_all (self->stream, data, length, NULL, self->cancellable,
                                  &self->write_error))
    return CAIRO_STATUS_WRITE_ERROR;

  return CAIRO_STATUS_SUCCESS;
}

/* Text */

static PangoLayout *
make_layout (PdfWriter  *self,
             double      size,
             gboolean    bold,
             gboolean    italic,
             double      width,
             const char *text)
{
  PangoLayout *layout = pango_layout_new (self->pango);
  g_autoptr(PangoFontDescription) font = pango_font_description_new ();

  pango_font_description_set_family (font, FONT_FAMILY);
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_style (font, italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  pango_layout_set_font_description (layout, font);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_text (layout, text != NULL ? text : "", -1);

  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

static double
layout_width (PangoLayout *layout)
{
  int width;

  pango_layout_get_size (layout, &width, NULL);
  return (double) width / PANGO_SCALE;
}

/* Cuts @layout to @max_height: the lines that fit, the last of them ending in "…" (shortened
 * until the ellipsis fits on it). Returns the height it takes; sets @cut when text was left
 * out. */
static double
limit_height_cut (PangoLayout *layout,
                  double       max_height,
                  gboolean    *cut)
{
  g_autofree char *text = NULL;
  PangoLayoutIter *iter;
  int keep = 0;
  int limit = (int) (max_height * PANGO_SCALE);
  gsize length;

  if (cut != NULL)
    *cut = FALSE;

  if (max_height <= 0)
    {
      if (cut != NULL)
        *cut = pango_layout_get_text (layout)[0] != '\0';
      pango_layout_set_text (layout, "", 0);
      return 0;
    }

  if (layout_height (layout) <= max_height)
    return layout_height (layout);

  /* The end of the last line whose bottom is within the limit. */
  iter = pango_layout_get_iter (layout);
  do
    {
      int y0, y1;

      pango_layout_iter_get_line_yrange (iter, &y0, &y1);
      if (y1 > limit)
        break;
      {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);

        keep = line->start_index + line->length;
      }
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);

  text = g_strdup (pango_layout_get_text (layout));
  length = strlen (text);
  keep = MIN ((gsize) keep, length);

  if (cut != NULL)
    *cut = TRUE;

  /* Drop characters until the text and its ellipsis fit in the lines that fit. */
  for (;;)
    {
      g_autoptr(GString) shown = NULL;
      char *end = text + keep;

      while (end > text && g_ascii_isspace (end[-1]))
        end--;
      shown = g_string_new_len (text, end - text);
      g_string_append (shown, "…");
      pango_layout_set_text (layout, shown->str, (int) shown->len);
      if (layout_height (layout) <= max_height || end == text)
        break;
      keep = g_utf8_prev_char (end) - text;
    }

  return MIN (layout_height (layout), max_height);
}

static double
limit_height (PangoLayout *layout,
              double       max_height)
{
  return limit_height_cut (layout, max_height, NULL);
}

static void
show_layout (PdfWriter   *self,
             PangoLayout *layout,
             double       x,
             double       y,
             double       grey)
{
  cairo_save (self->cr);
  cairo_set_source_rgb (self->cr, grey, grey, grey);
  cairo_move_to (self->cr, x, y);
  pango_cairo_show_layout (self->cr, layout);
  cairo_restore (self->cr);
}

static double
draw_text (PdfWriter  *self,
           const char *text,
           double      x,
           double      y,
           double      width,
           double      size,
           gboolean    bold,
           double      grey)
{
  g_autoptr(PangoLayout) layout = make_layout (self, size, bold, FALSE, width, text);

  show_layout (self, layout, x, y, grey);
  return layout_height (layout);
}

static void
draw_text_right (PdfWriter  *self,
                 const char *text,
                 double      right,
                 double      y,
                 double      size,
                 gboolean    bold,
                 double      grey)
{
  g_autoptr(PangoLayout) layout = make_layout (self, size, bold, FALSE, -1, text);

  show_layout (self, layout, right - layout_width (layout), y, grey);
}

/* Pieces of a shot */

static char *
dup_camera_line (const ReelExportShot *item)
{
  ReelShot *shot = item->shot;
  g_autofree char *lens = reel_export_format_lens (reel_shot_get_lens_mm (shot));

  /* Translated labels: the sheets are read by the crew, in their language. */
  return g_strdup_printf ("%s · %s · %s · %s",
                          reel_camera_get_short_label (REEL_VOCAB_SIZE, reel_shot_get_size (shot)),
                          reel_camera_get_label (REEL_VOCAB_ANGLE, reel_shot_get_angle (shot)),
                          reel_camera_get_label (REEL_VOCAB_MOVEMENT,
                                                 reel_shot_get_movement (shot)),
                          lens);
}

static char *
dup_duration (PdfWriter *self,
              gint64     frames)
{
  ReelFrameRate rate = reel_export_context_get_frame_rate (self->context);
  g_autofree char *seconds = reel_timecode_format_seconds (frames, rate);

  /* Translators: a shot's duration: seconds, then frames. */
  return g_strdup_printf (_("%s s (%lld f)"), seconds, (long long) frames);
}

static char *
dup_provenance (const ReelExportShot *item)
{
  const ReelGenerationRecord *record = item->generation;

  /* A gray-box render of the set is no model's work. */
  if (!reel_generation_record_is_model_made (record))
    return NULL;

  /* Translators: footnote under a panel whose background an AI service made:
   * provider, then model. */
  return g_strdup_printf (_("* AI-generated background: %s, %s"),
                          record->provider != NULL ? record->provider : "?",
                          record->model != NULL ? record->model : "?");
}

/* A JPEG of the background at print resolution, covering @width × @height points. */
static cairo_surface_t *
make_print_background (ReelAsset *asset,
                       double     width,
                       double     height)
{
  int px_width = MAX (1, (int) (width * PRINT_DPI / 72.0 + 0.5));
  int px_height = MAX (1, (int) (height * PRINT_DPI / 72.0 + 0.5));
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  char *jpeg = NULL;
  gsize jpeg_size = 0;
  guchar *pixels;
  int stride;

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, px_width, px_height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, REEL_PANEL_FILL_RED, REEL_PANEL_FILL_GREEN, REEL_PANEL_FILL_BLUE);
  cairo_paint (cr);
  if (!reel_export_draw_background (asset, cr, px_width, px_height))
    {
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      return NULL;
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  /* RGB24 to a pixbuf, then JPEG: Cairo puts JPEG data in the PDF as it is. */
  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, px_width, px_height);
  pixels = gdk_pixbuf_get_pixels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  for (int y = 0; y < px_height; y++)
    {
      const guint32 *src = (const guint32 *) (cairo_image_surface_get_data (surface)
                                              + y * cairo_image_surface_get_stride (surface));
      guchar *dst = pixels + y * stride;

      for (int x = 0; x < px_width; x++)
        {
          dst[3 * x + 0] = (src[x] >> 16) & 0xff;
          dst[3 * x + 1] = (src[x] >> 8) & 0xff;
          dst[3 * x + 2] = src[x] & 0xff;
        }
    }

  if (gdk_pixbuf_save_to_buffer (pixbuf, &jpeg, &jpeg_size, "jpeg", NULL, "quality", "88", NULL))
    cairo_surface_set_mime_data (surface, CAIRO_MIME_TYPE_JPEG, (const guchar *) jpeg, jpeg_size,
                                 g_free, jpeg);

  return surface;
}

static void
draw_panel_image (PdfWriter            *self,
                  const ReelExportShot *item,
                  double                x,
                  double                y,
                  double                width,
                  double                height)
{
  cairo_t *cr = self->cr;
  ReelAsset *background = item->background;

  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);

  cairo_set_source_rgb (cr, REEL_PANEL_FILL_RED, REEL_PANEL_FILL_GREEN, REEL_PANEL_FILL_BLUE);
  cairo_paint (cr);

  /* A video shows its first frame. */
  if (background != NULL)
    {
      cairo_surface_t *image = make_print_background (background, width, height);

      if (image != NULL)
        {
          cairo_save (cr);
          cairo_scale (cr, width / cairo_image_surface_get_width (image),
                       height / cairo_image_surface_get_height (image));
          cairo_set_source_surface (cr, image, 0, 0);
          cairo_paint (cr);
          cairo_restore (cr);
          cairo_surface_destroy (image);
        }
    }

  reel_sketch_render (reel_shot_get_sketch (item->shot), cr, width, height);

  if (reel_generation_record_is_model_made (item->generation))
    {
      /* A small badge that points to the footnote. */
      g_autoptr(PangoLayout) badge = make_layout (self, 7, TRUE, FALSE, -1, _("AI*"));
      double badge_width = layout_width (badge) + 6;
      double badge_height = layout_height (badge) + 2;

      cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
      cairo_rectangle (cr, width - badge_width - 3, 3, badge_width, badge_height);
      cairo_fill (cr);
      show_layout (self, badge, width - badge_width, 4, 1.0);
    }
  cairo_restore (cr);

  cairo_save (cr);
  cairo_set_line_width (cr, 0.6);
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  cairo_rectangle (cr, x, y, width, height);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* Grid layouts */

/* Lays out one panel of a grid, and draws it when @draw. Returns whether its description or
 * dialogue had to be cut short. */
static gboolean
layout_grid_cell (PdfWriter            *self,
                  const ReelExportShot *item,
                  double                x,
                  double                y,
                  double                width,
                  double                height,
                  gboolean              draw)
{
  double font = CLAMP (width / 32.0, 7.0, 11.0);
  double image_width = width;
  double image_height = width / self->aspect;
  double max_image_height = height * (self->layout == REEL_EXPORT_LAYOUT_1X1 ? 0.72 : 0.56);
  g_autofree char *number = g_strdup_printf (_("Shot %s"), reel_shot_get_number (item->shot));
  g_autofree char *duration = dup_duration (self, item->duration);
  g_autofree char *camera = dup_camera_line (item);
  g_autofree char *provenance = dup_provenance (item);
  g_autoptr(PangoLayout) camera_layout = NULL;
  g_autoptr(PangoLayout) description = NULL;
  g_autoptr(PangoLayout) dialogue = NULL;
  g_autoptr(PangoLayout) footnote = NULL;
  const char *description_text = reel_shot_get_description (item->shot);
  const char *dialogue_text = reel_shot_get_dialogue (item->shot);
  double text_y, bottom, room, description_height, dialogue_height;
  gboolean description_cut = FALSE;
  gboolean dialogue_cut = FALSE;

  if (image_height > max_image_height)
    {
      image_height = max_image_height;
      image_width = image_height * self->aspect;
    }

  if (draw)
    draw_panel_image (self, item, x + (width - image_width) / 2, y, image_width, image_height);

  text_y = y + image_height + font * 0.4;
  if (draw)
    {
      draw_text (self, number, x, text_y, -1, font * 1.15, TRUE, 0.0);
      draw_text_right (self, duration, x + width, text_y + font * 0.15, font, FALSE, 0.25);
    }
  text_y += font * 1.15 * 1.4;
  camera_layout = make_layout (self, font * 0.9, FALSE, FALSE, width, camera);
  if (draw)
    show_layout (self, camera_layout, x, text_y, 0.3);
  text_y += layout_height (camera_layout) + font * 0.3;

  bottom = y + height;
  if (provenance != NULL)
    {
      footnote = make_layout (self, font * 0.75, FALSE, TRUE, width, provenance);
      bottom -= limit_height (footnote, font * 2.2);
      if (draw)
        show_layout (self, footnote, x, bottom, 0.35);
      bottom -= font * 0.2;
    }

  description = make_layout (self, font, FALSE, FALSE, width, description_text);
  if (dialogue_text[0] != '\0')
    dialogue = make_layout (self, font, FALSE, TRUE, width, dialogue_text);

  /* The description first; dialogue gets at least a third of the room when both are long. */
  room = bottom - text_y;
  if (room <= font)
    return description_text[0] != '\0' || dialogue_text[0] != '\0';

  dialogue_height = dialogue != NULL ? layout_height (dialogue) + font * 0.3 : 0;
  description_height = layout_height (description);
  if (description_height + dialogue_height > room)
    {
      double dialogue_room = dialogue != NULL ? MAX (room / 3, room - description_height) : 0;

      description_height = limit_height_cut (description, room - dialogue_room, &description_cut);
      if (dialogue != NULL)
        dialogue_height = limit_height_cut (dialogue, room - description_height - font * 0.3,
                                            &dialogue_cut)
                          + font * 0.3;
    }

  if (dialogue != NULL && dialogue_height <= font)
    dialogue_cut = TRUE;

  if (draw)
    {
      show_layout (self, description, x, text_y, 0.0);
      if (dialogue != NULL && dialogue_height > font)
        show_layout (self, dialogue, x, text_y + description_height + font * 0.3, 0.15);
    }

  return description_cut || dialogue_cut;
}

static void
get_cell_size (PdfWriter *self,
               double    *width,
               double    *height)
{
  *width = (self->body_width - GUTTER * (self->columns - 1)) / self->columns;
  *height = (self->body_height - GUTTER * (self->rows - 1)) / self->rows;
}

static char *
dup_scene_label (ReelScene *scene)
{
  const char *number = reel_scene_get_number (scene);
  const char *heading = reel_scene_get_heading (scene);

  /* No dangling separator for a scene without a number or a heading. */
  if (number[0] != '\0' && heading[0] != '\0')
    /* Translators: page header: scene number, then its heading ("EXT. HARBOUR - DAWN"). */
    return g_strdup_printf (_("Scene %s: %s"), number, heading);
  if (number[0] != '\0')
    return g_strdup_printf (_("Scene %s"), number);
  return g_strdup (heading[0] != '\0' ? heading : _("Untitled scene"));
}

/* Header, footer */

static void
draw_header (PdfWriter  *self,
             const Page *page,
             guint       page_number)
{
  const char *title = reel_project_get_title (self->project);
  ReelFrameRate rate = reel_export_context_get_frame_rate (self->context);
  g_autofree char *aspect =
    reel_aspect_ratio_dup_label (reel_project_get_aspect_ratio (self->project));
  g_autofree char *scene_label = NULL;
  g_autofree char *running = NULL;
  g_autofree char *count = NULL;
  g_autofree char *line = NULL;
  g_autofree char *page_label = NULL;
  gint64 duration = 0;
  guint n_shots = 0;
  double right = self->page_width - MARGIN;

  if (page->scene != NULL)
    {
      /* Shots of this scene in the export, on every page of the scene. */
      for (guint i = 0; i < self->n_shots; i++)
        if (self->shots[i]->scene == page->scene)
          {
            duration += self->shots[i]->duration;
            n_shots++;
          }

      scene_label = dup_scene_label (page->scene);
    }
  else
    {
      ReelScene *scene = reel_export_context_get_scene (self->context);

      duration = reel_export_context_get_duration (self->context);
      n_shots = self->n_shots;
      if (page->table && self->continued)
        scene_label = g_strdup (_("Shot list: the full text of panels cut short"));
      else if (scene != NULL)
        scene_label = dup_scene_label (scene);
      else if (reel_export_options_get_scope (self->options) == REEL_EXPORT_SCOPE_SHOTS)
        scene_label = g_strdup (_("Selected shots"));
      else
        scene_label = g_strdup (_("All scenes"));
    }

  running = reel_timecode_format (duration, rate);
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u shot", "%u shots", n_shots), n_shots);
  /* Translators: page header: scene · shot count · running time · aspect ratio. */
  line = g_strdup_printf (_("%s  ·  %s  ·  running time %s  ·  aspect %s"),
                          scene_label, count, running, aspect);

  draw_text (self, title[0] != '\0' ? title : _("Untitled Storyboard"), MARGIN, MARGIN,
             self->body_width * 0.7, 14, TRUE, 0.0);
  draw_text_right (self, self->date, right, MARGIN + 3, 9, FALSE, 0.3);
  draw_text (self, line, MARGIN, MARGIN + 20, self->body_width, 9, FALSE, 0.25);

  cairo_save (self->cr);
  cairo_set_line_width (self->cr, 0.8);
  cairo_set_source_rgb (self->cr, 0.3, 0.3, 0.3);
  cairo_move_to (self->cr, MARGIN, MARGIN + HEADER_HEIGHT - 6);
  cairo_line_to (self->cr, right, MARGIN + HEADER_HEIGHT - 6);
  cairo_stroke (self->cr);
  cairo_restore (self->cr);

  page_label = g_strdup_printf (_("Page %u of %u"), page_number, self->pages->len);
  draw_text_right (self, page_label, right, self->page_height - MARGIN - 10, 8, FALSE, 0.4);
  draw_text (self, "Storyreel", MARGIN, self->page_height - MARGIN - 10, -1, 8, FALSE, 0.4);
}

/* Shot-list table */

typedef struct
{
  const char *title;
  double      share;  /* of the width left after the thumbnail */
} TableColumn;

static const TableColumn table_columns[] = {
  { N_("Shot"), 0.08 },
  { N_("Camera"), 0.20 },
  { N_("Duration"), 0.12 },
  { N_("Description"), 0.34 },
  { N_("Dialogue"), 0.26 },
};

#define TABLE_FONT       8.0
#define TABLE_PADDING    4.0
#define TABLE_HEAD       16.0

static double
table_column_width (PdfWriter *self,
                    guint      column)
{
  return (self->body_width - THUMB_WIDTH) * table_columns[column].share;
}

static char *
dup_table_cell (PdfWriter            *self,
                const ReelExportShot *item,
                guint                 column)
{
  switch (column)
    {
    case 0:
      {
        const char *number = reel_scene_get_number (item->scene);
        g_autofree char *scene = NULL;

        /* An unnumbered scene: the shot alone, no dangling "Scene". */
        if (number[0] == '\0')
          return g_strdup (reel_shot_get_number (item->shot));
        scene = g_strdup_printf (_("Scene %s"), number);
        return g_strdup_printf ("%s\n%s", reel_shot_get_number (item->shot), scene);
      }
    case 1:
      return dup_camera_line (item);
    case 2:
      return dup_duration (self, item->duration);
    case 3:
      {
        g_autofree char *provenance = dup_provenance (item);

        if (provenance == NULL)
          return g_strdup (reel_shot_get_description (item->shot));
        return g_strdup_printf ("%s\n%s", reel_shot_get_description (item->shot), provenance);
      }
    case 4:
      return g_strdup (reel_shot_get_dialogue (item->shot));
    default:
      g_assert_not_reached ();
    }
}

#define N_TABLE_COLUMNS G_N_ELEMENTS (table_columns)

/* A row of the table as drawn: a shot, or one part of a shot whose text is longer than a
 * page, the rest following in the next part on the next page. */
typedef struct
{
  guint  shot;
  guint  part;
  char  *cells[5];
  double height;
} TableRow;

G_STATIC_ASSERT (G_N_ELEMENTS (table_columns) == G_N_ELEMENTS (((TableRow *) NULL)->cells));

static void
table_row_clear (gpointer data)
{
  TableRow *row = data;

  for (guint c = 0; c < N_TABLE_COLUMNS; c++)
    g_free (row->cells[c]);
}

static PangoLayout *
make_table_layout (PdfWriter  *self,
                   guint       column,
                   const char *text)
{
  return make_layout (self, TABLE_FONT, column == 0, column == 4,
                      table_column_width (self, column) - 2 * TABLE_PADDING, text);
}

/* @text of @column in pieces of at most @max_height each, cut at line ends. */
static GPtrArray *
split_table_cell (PdfWriter  *self,
                  guint       column,
                  const char *text,
                  double      max_height)
{
  g_autoptr(PangoLayout) layout = make_table_layout (self, column, text);
  GPtrArray *pieces = g_ptr_array_new_with_free_func (g_free);
  const char *all = pango_layout_get_text (layout);
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  int limit = (int) (max_height * PANGO_SCALE);
  int piece_top = 0;
  int piece_start = 0;

  do
    {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
      int y0, y1;

      pango_layout_iter_get_line_yrange (iter, &y0, &y1);
      if (y1 - piece_top > limit && line->start_index > piece_start)
        {
          g_ptr_array_add (pieces, g_strchomp (g_strndup (all + piece_start,
                                                          line->start_index - piece_start)));
          piece_start = line->start_index;
          piece_top = y0;
        }
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
  g_ptr_array_add (pieces, g_strdup (all + piece_start));

  return pieces;
}

/* The height @row's cells take, its panel included on its first part, at most a page. */
static void
measure_table_row (PdfWriter *self,
                   TableRow  *row)
{
  double height = row->part == 0 ? (THUMB_WIDTH - 2 * TABLE_PADDING) / self->aspect : 0.0;

  for (guint c = 0; c < N_TABLE_COLUMNS; c++)
    {
      g_autoptr(PangoLayout) layout = make_table_layout (self, c, row->cells[c]);

      height = MAX (height, layout_height (layout));
    }

  row->height = MIN (height + 2 * TABLE_PADDING, self->body_height - TABLE_HEAD);
}

/* The rows of shot @index: one, or as many parts as its longest text needs pages. The text
 * is never cut: what does not fit on a page goes on in the next part. */
static void
add_table_rows (PdfWriter *self,
                guint      index)
{
  const ReelExportShot *item = self->shots[index];
  double room = self->body_height - TABLE_HEAD - 2 * TABLE_PADDING;
  TableRow row = { index, 0, { NULL, }, 0.0 };
  GPtrArray *pieces[5] = { NULL, };
  guint n_parts = 1;

  for (guint c = 0; c < N_TABLE_COLUMNS; c++)
    row.cells[c] = dup_table_cell (self, item, c);
  measure_table_row (self, &row);
  if (row.height < self->body_height - TABLE_HEAD)
    {
      g_array_append_val (self->table_parts, row);
      return;
    }

  for (guint c = 0; c < N_TABLE_COLUMNS; c++)
    {
      pieces[c] = split_table_cell (self, c, row.cells[c], room);
      n_parts = MAX (n_parts, pieces[c]->len);
    }
  table_row_clear (&row);

  for (guint part = 0; part < n_parts; part++)
    {
      TableRow piece = { index, part, { NULL, }, 0.0 };

      for (guint c = 0; c < N_TABLE_COLUMNS; c++)
        piece.cells[c] = g_strdup (part < pieces[c]->len
                                   ? (const char *) g_ptr_array_index (pieces[c], part) : "");
      if (part > 0)
        {
          /* The shot again, and in the camera column (wide enough) that it goes on. */
          g_free (piece.cells[0]);
          piece.cells[0] = g_strdup (reel_shot_get_number (item->shot));
          g_free (piece.cells[1]);
          /* Translators: in the shot list, beside a shot whose text goes on from the page
           * before. */
          piece.cells[1] = g_strdup (_("(continued)"));
        }
      measure_table_row (self, &piece);
      g_array_append_val (self->table_parts, piece);
    }

  for (guint c = 0; c < N_TABLE_COLUMNS; c++)
    g_ptr_array_unref (pieces[c]);
}

static void
draw_table_page (PdfWriter  *self,
                 const Page *page)
{
  cairo_t *cr = self->cr;
  double x = self->body_x + THUMB_WIDTH;
  double y = self->body_y;

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0.9, 0.9, 0.9);
  cairo_rectangle (cr, self->body_x, y, self->body_width, TABLE_HEAD);
  cairo_fill (cr);
  cairo_restore (cr);

  draw_text (self, _("Panel"), self->body_x + TABLE_PADDING, y + 3, -1, TABLE_FONT, TRUE, 0.0);
  for (guint c = 0; c < G_N_ELEMENTS (table_columns); c++)
    {
      draw_text (self, _(table_columns[c].title), x + TABLE_PADDING, y + 3, -1, TABLE_FONT, TRUE,
                 0.0);
      x += table_column_width (self, c);
    }
  y += TABLE_HEAD;

  for (guint r = page->first; r < page->first + page->n_shots; r++)
    {
      const TableRow *row = &g_array_index (self->table_parts, TableRow, r);
      const ReelExportShot *item = self->shots[row->shot];
      double row_height = row->height;
      double thumb_width = THUMB_WIDTH - 2 * TABLE_PADDING;
      double thumb_height = thumb_width / self->aspect;

      if (thumb_height > row_height - 2 * TABLE_PADDING)
        {
          thumb_height = row_height - 2 * TABLE_PADDING;
          thumb_width = thumb_height * self->aspect;
        }
      if (row->part == 0)
        draw_panel_image (self, item, self->body_x + TABLE_PADDING, y + TABLE_PADDING,
                          thumb_width, thumb_height);

      x = self->body_x + THUMB_WIDTH;
      for (guint c = 0; c < N_TABLE_COLUMNS; c++)
        {
          g_autoptr(PangoLayout) layout = make_table_layout (self, c, row->cells[c]);

          limit_height (layout, row_height - 2 * TABLE_PADDING);
          show_layout (self, layout, x + TABLE_PADDING, y + TABLE_PADDING, 0.0);
          x += table_column_width (self, c);
        }

      y += row_height;
      cairo_save (cr);
      cairo_set_line_width (cr, 0.4);
      cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
      cairo_move_to (cr, self->body_x, y);
      cairo_line_to (cr, self->body_x + self->body_width, y);
      cairo_stroke (cr);
      cairo_restore (cr);
    }
}

/* Planning the pages */

/* Table pages for the shots listed in @table_rows: a row that fits on a page is never split
 * between two; a longer one is in parts, a page each. */
static void
plan_table_pages (PdfWriter *self)
{
  Page page = { 0, 0, NULL, TRUE };
  double used = TABLE_HEAD;

  self->table_parts = g_array_new (FALSE, TRUE, sizeof (TableRow));
  g_array_set_clear_func (self->table_parts, table_row_clear);
  for (guint r = 0; r < self->table_rows->len; r++)
    add_table_rows (self, g_array_index (self->table_rows, guint, r));

  for (guint r = 0; r < self->table_parts->len; r++)
    {
      double height = g_array_index (self->table_parts, TableRow, r).height;

      if (page.n_shots > 0 && used + height > self->body_height)
        {
          g_array_append_val (self->pages, page);
          page.first = r;
          page.n_shots = 0;
          used = TABLE_HEAD;
        }
      page.n_shots++;
      used += height;
    }
  if (page.n_shots > 0 || self->pages->len == 0)
    g_array_append_val (self->pages, page);
}

static void
plan_pages (PdfWriter *self)
{
  double cell_width, cell_height;

  self->pages = g_array_new (FALSE, TRUE, sizeof (Page));
  self->table_rows = g_array_new (FALSE, FALSE, sizeof (guint));

  if (self->layout == REEL_EXPORT_LAYOUT_SHOT_LIST)
    {
      for (guint i = 0; i < self->n_shots; i++)
        g_array_append_val (self->table_rows, i);
      plan_table_pages (self);
      return;
    }

  /* Grids: a new page at every scene, and whenever the page is full. */
  for (guint i = 0; i < self->n_shots; i++)
    {
      Page *last = self->pages->len > 0
                   ? &g_array_index (self->pages, Page, self->pages->len - 1) : NULL;

      if (last == NULL || last->scene != self->shots[i]->scene
          || last->n_shots == self->columns * self->rows)
        {
          Page page = { i, 0, self->shots[i]->scene, FALSE };

          g_array_append_val (self->pages, page);
          last = &g_array_index (self->pages, Page, self->pages->len - 1);
        }
      last->n_shots++;
    }

  /* Text that a panel cuts short goes, whole, to a shot list after the grids. */
  get_cell_size (self, &cell_width, &cell_height);
  for (guint i = 0; i < self->n_shots; i++)
    if (layout_grid_cell (self, self->shots[i], 0, 0, cell_width, cell_height, FALSE))
      g_array_append_val (self->table_rows, i);

  if (self->table_rows->len > 0)
    {
      self->continued = TRUE;
      plan_table_pages (self);
    }
}

static void
set_metadata (PdfWriter *self)
{
  GDateTime *date = reel_export_context_get_date (self->context);
  const char *title = reel_project_get_title (self->project);
  const char *author = reel_project_get_metadata (self->project, REEL_METADATA_AUTHOR);
  g_autofree char *created = g_date_time_format (date, "%Y-%m-%dT%H:%M:%S");

  cairo_pdf_surface_set_metadata (self->surface, CAIRO_PDF_METADATA_TITLE,
                                  title[0] != '\0' ? title : _("Untitled Storyboard"));
  if (author != NULL && author[0] != '\0')
    cairo_pdf_surface_set_metadata (self->surface, CAIRO_PDF_METADATA_AUTHOR, author);
  cairo_pdf_surface_set_metadata (self->surface, CAIRO_PDF_METADATA_SUBJECT, _("Storyboard"));
  cairo_pdf_surface_set_metadata (self->surface, CAIRO_PDF_METADATA_CREATOR,
                                  "Storyreel " PACKAGE_VERSION);
  cairo_pdf_surface_set_metadata (self->surface, CAIRO_PDF_METADATA_CREATE_DATE, created);
}

static void
get_grid (ReelExportLayout  layout,
          guint            *columns,
          guint            *rows)
{
  switch (layout)
    {
    case REEL_EXPORT_LAYOUT_2X2:
      *columns = 2, *rows = 2;
      break;
    case REEL_EXPORT_LAYOUT_3X3:
      *columns = 3, *rows = 3;
      break;
    case REEL_EXPORT_LAYOUT_1X1:
    case REEL_EXPORT_LAYOUT_SHOT_LIST:
      *columns = 1, *rows = 1;
      break;
    case REEL_EXPORT_LAYOUT_3X2:
    default:
      *columns = 3, *rows = 2;
      break;
    }
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdfWriter, pdf_writer_clear)

static gboolean
reel_export_pdf_write (ReelExportContext  *context,
                       GError            **error)
{
  g_auto(PdfWriter) self = { 0 };
  cairo_font_options_t *font_options;
  gboolean landscape;
  cairo_status_t status;

  self.context = context;
  self.project = reel_export_context_get_project (context);
  self.options = reel_export_context_get_options (context);
  self.layout = reel_export_options_get_layout (self.options);
  self.shots = reel_export_context_get_shots (context, &self.n_shots);
  self.aspect = reel_project_get_aspect_ratio (self.project);
  if (self.aspect <= 0.01)
    self.aspect = REEL_ASPECT_RATIO_DEFAULT;
  self.stream = reel_export_context_get_stream (context);
  self.date = g_date_time_format (reel_export_context_get_date (context), "%Y-%m-%d");

  if (reel_export_options_get_paper (self.options) == REEL_EXPORT_PAPER_LETTER)
    self.page_width = 612, self.page_height = 792;
  else
    self.page_width = 595.28, self.page_height = 841.89;
  landscape = reel_export_options_get_orientation (self.options)
              == REEL_EXPORT_ORIENTATION_LANDSCAPE;
  if (landscape)
    {
      double swap = self.page_width;

      self.page_width = self.page_height;
      self.page_height = swap;
    }

  self.body_x = MARGIN;
  self.body_y = MARGIN + HEADER_HEIGHT;
  self.body_width = self.page_width - 2 * MARGIN;
  self.body_height = self.page_height - 2 * MARGIN - HEADER_HEIGHT - FOOTER_HEIGHT;
  get_grid (self.layout, &self.columns, &self.rows);

  self.surface = cairo_pdf_surface_create_for_stream (write_cb, &self, self.page_width,
                                                      self.page_height);
  self.cr = cairo_create (self.surface);
  set_metadata (&self);

  /* One Pango context for the whole document, without hinting: it is vector output. */
  self.pango = pango_cairo_create_context (self.cr);
  font_options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (font_options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (font_options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (self.pango, font_options);
  cairo_font_options_destroy (font_options);

  plan_pages (&self);

  for (guint p = 0; p < self.pages->len; p++)
    {
      const Page *page = &g_array_index (self.pages, Page, p);

      if (!reel_export_context_check_cancelled (context, error))
        return FALSE;

      draw_header (&self, page, p + 1);

      if (page->table)
        draw_table_page (&self, page);
      else
        {
          double cell_width, cell_height;

          get_cell_size (&self, &cell_width, &cell_height);
          for (guint i = 0; i < page->n_shots; i++)
            {
              guint column = i % self.columns;
              guint row = i / self.columns;

              layout_grid_cell (&self, self.shots[page->first + i],
                                self.body_x + column * (cell_width + GUTTER),
                                self.body_y + row * (cell_height + GUTTER),
                                cell_width, cell_height, TRUE);
            }
        }

      cairo_show_page (self.cr);
      reel_export_context_progress (context, (double) (p + 1) / self.pages->len);

      status = cairo_status (self.cr);
      if (status != CAIRO_STATUS_SUCCESS)
        break;
    }

  cairo_surface_finish (self.surface);
  status = cairo_status (self.cr);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (self.surface);

  if (self.write_error != NULL)
    {
      if (g_error_matches (self.write_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return reel_export_context_check_cancelled (context, error);
      reel_export_context_set_write_error (context, self.write_error->message, error);
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_RENDER,
                   _("Could not draw the storyboard sheets: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }

  return TRUE;
}

const ReelExportFormat reel_export_format_pdf = {
  .id = "pdf",
  .name = N_("PDF Storyboard Sheets"),
  .extension = "pdf",
  .mime_type = "application/pdf",
  .options = REEL_EXPORT_USES_SCOPE | REEL_EXPORT_USES_LAYOUT | REEL_EXPORT_USES_PAPER,
  .output = REEL_EXPORT_OUTPUT_FILE,
  .writes_panels = FALSE,
  .write = reel_export_pdf_write,
};
