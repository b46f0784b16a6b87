/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-export-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "export/reel-export-error.h"
#include "export/reel-export-registry.h"

#include "reel-export-dialog.h"
#include "reel-window.h"

struct _ReelExportDialog
{
  AdwWindow parent_instance;

  ReelProject *project;
  GFile *project_file;
  ReelScene *current_scene;
  GPtrArray *selected_shots;
  GSettings *settings;
  GFile *output;
  GFile *last_export;
  GCancellable *cancellable;
  GtkFileChooserNative *chooser;
  /* Column ids in the order shown; the ticked ones are written, in this order. */
  GPtrArray *column_order;
  GHashTable *ticked_columns;
  gboolean exporting;

  AdwPreferencesPage *page;
  GtkButton *cancel_button;
  GtkButton *export_button;
  AdwComboRow *format_row;
  AdwComboRow *scope_row;
  AdwComboRow *scene_row;
  AdwPreferencesGroup *pdf_group;
  AdwComboRow *layout_row;
  AdwComboRow *paper_row;
  AdwComboRow *orientation_row;
  AdwPreferencesGroup *csv_group;
  GtkListBox *columns_list;
  AdwPreferencesGroup *panels_group;
  GtkSpinButton *panel_width_spin;
  AdwActionRow *panel_clips_row;
  GtkSwitch *panel_clips_switch;
  AdwPreferencesGroup *clips_group;
  AdwComboRow *clip_naming_row;
  AdwPreferencesGroup *fcpxml_group;
  AdwComboRow *fcpxml_version_row;
  AdwActionRow *output_row;
  GtkRevealer *status_revealer;
  GtkProgressBar *progress_bar;
  GtkLabel *status_label;
  GtkButton *open_button;
};

G_DEFINE_FINAL_TYPE (ReelExportDialog, reel_export_dialog, ADW_TYPE_WINDOW)

static const ReelExportFormat *
get_selected_format (ReelExportDialog *self)
{
  const ReelExportFormat * const *formats;
  guint n_formats;
  guint selected = adw_combo_row_get_selected (self->format_row);

  formats = reel_export_get_formats (&n_formats);
  return formats[MIN (selected, n_formats - 1)];
}

/* Settings ↔ combo rows. A string key holds an enum nick (or a format id); the row holds
 * the position of that value, which is the enum value: the rows list them in enum order. */

static gboolean
nick_to_position (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  int position = 0;

  if (!reel_export_enum_from_nick ((GType) GPOINTER_TO_SIZE (user_data),
                                   g_variant_get_string (variant, NULL), &position))
    position = 0;
  g_value_set_uint (value, position);
  return TRUE;
}

static GVariant *
position_to_nick (const GValue       *value,
                  const GVariantType *type,
                  gpointer            user_data)
{
  const char *nick = reel_export_enum_to_nick ((GType) GPOINTER_TO_SIZE (user_data),
                                               g_value_get_uint (value));

  return nick != NULL ? g_variant_new_string (nick) : NULL;
}

static gboolean
format_id_to_position (GValue   *value,
                       GVariant *variant,
                       gpointer  user_data)
{
  const ReelExportFormat * const *formats;
  guint n_formats;
  const char *id = g_variant_get_string (variant, NULL);

  formats = reel_export_get_formats (&n_formats);
  for (guint i = 0; i < n_formats; i++)
    if (g_str_equal (formats[i]->id, id))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
position_to_format_id (const GValue       *value,
                       const GVariantType *type,
                       gpointer            user_data)
{
  const ReelExportFormat * const *formats;
  guint n_formats;
  guint position = g_value_get_uint (value);

  formats = reel_export_get_formats (&n_formats);
  return position < n_formats ? g_variant_new_string (formats[position]->id) : NULL;
}

static gboolean
version_to_position (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  const char * const *versions = reel_export_get_fcpxml_versions ();
  const char *version = g_variant_get_string (variant, NULL);

  g_value_set_uint (value, 0);
  for (guint i = 0; versions[i] != NULL; i++)
    if (g_str_equal (versions[i], version))
      g_value_set_uint (value, i);
  return TRUE;
}

static GVariant *
position_to_version (const GValue       *value,
                     const GVariantType *type,
                     gpointer            user_data)
{
  const char * const *versions = reel_export_get_fcpxml_versions ();
  guint position = g_value_get_uint (value);

  return position < g_strv_length ((char **) versions)
         ? g_variant_new_string (versions[position]) : NULL;
}

static void
set_row_strings (AdwComboRow        *row,
                 const char * const *strings)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (strings);

  adw_combo_row_set_model (row, G_LIST_MODEL (model));
}

static void update_export_sensitivity (ReelExportDialog *self);

/* Output */

static void
update_output_row (ReelExportDialog *self)
{
  g_autofree char *name = self->output != NULL ? g_file_get_parse_name (self->output) : NULL;

  adw_action_row_set_subtitle (self->output_row, name != NULL ? name : "");
  update_export_sensitivity (self);
}

static GFile *
get_default_folder (ReelExportDialog *self)
{
  g_autofree char *last = g_settings_get_string (self->settings, "export-folder");
  const char *documents;

  if (last[0] != '\0' && g_file_test (last, G_FILE_TEST_IS_DIR))
    return g_file_new_for_path (last);
  if (self->project_file != NULL)
    return g_file_get_parent (self->project_file);

  documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  return g_file_new_for_path (documents != NULL ? documents : g_get_home_dir ());
}

/* Keeps the folder and the name the user chose, with the extension of @format. */
static void
suggest_output (ReelExportDialog       *self,
                const ReelExportFormat *format)
{
  g_autoptr(GFile) folder = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *name = NULL;

  if (self->output != NULL)
    {
      g_autofree char *basename = g_file_get_basename (self->output);
      char *dot = strrchr (basename, '.');

      folder = g_file_get_parent (self->output);
      if (dot != NULL && dot != basename)
        *dot = '\0';
      if (g_str_has_suffix (basename, " panels"))
        basename[strlen (basename) - strlen (" panels")] = '\0';
      stem = g_strdup (basename);
    }
  else
    {
      folder = get_default_folder (self);
      stem = g_strdup (reel_project_get_title (self->project));
    }

  name = reel_export_format_suggest_name (format, stem);
  g_clear_object (&self->output);
  self->output = g_file_get_child (folder, name);
  update_output_row (self);
}

static void
chooser_response_cb (ReelExportDialog *self,
                     int               response,
                     GtkNativeDialog  *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      reel_export_dialog_set_output (self, file);
    }

  g_clear_object (&self->chooser);
}

static void
choose_clicked_cb (ReelExportDialog *self)
{
  const ReelExportFormat *format = get_selected_format (self);
  gboolean folder = format->output == REEL_EXPORT_OUTPUT_FOLDER;
  g_autoptr(GFile) parent = self->output != NULL ? g_file_get_parent (self->output) : NULL;

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (folder ? _("Export Panels to Folder")
                                                      : _("Export To"),
                                               GTK_WINDOW (self),
                                               folder ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                                      : GTK_FILE_CHOOSER_ACTION_SAVE,
                                               folder ? _("_Select") : _("_Export"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  if (parent != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), parent, NULL);
  if (!folder && self->output != NULL)
    {
      g_autofree char *name = g_file_get_basename (self->output);

      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
    }

  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* CSV columns */

/* Export needs a place to write to, no export under way, and for a CSV at least a column. */
static void
update_export_sensitivity (ReelExportDialog *self)
{
  const ReelExportFormat *format = get_selected_format (self);
  gboolean has_columns = g_hash_table_size (self->ticked_columns) > 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button),
                            self->output != NULL && !self->exporting
                            && (has_columns || !(format->options & REEL_EXPORT_USES_CSV_COLUMNS)));
}

static void
save_columns (ReelExportDialog *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) columns = NULL;

  for (guint i = 0; i < self->column_order->len; i++)
    if (g_hash_table_contains (self->ticked_columns, g_ptr_array_index (self->column_order, i)))
      g_strv_builder_add (builder, g_ptr_array_index (self->column_order, i));
  columns = g_strv_builder_end (builder);

  /* The settings refuse an empty list; keep the last good one until a column is ticked. */
  if (columns[0] != NULL)
    g_settings_set_strv (self->settings, "export-csv-columns", (const char * const *) columns);
  update_export_sensitivity (self);
}

static void rebuild_column_rows (ReelExportDialog *self);

static void
column_toggled_cb (GtkCheckButton   *check,
                   ReelExportDialog *self)
{
  const char *id = g_object_get_data (G_OBJECT (check), "column-id");

  if (gtk_check_button_get_active (check))
    g_hash_table_add (self->ticked_columns, (gpointer) id);
  else
    g_hash_table_remove (self->ticked_columns, id);
  save_columns (self);
}

static void
move_column (ReelExportDialog *self,
             const char       *id,
             int               delta)
{
  guint index;

  if (!g_ptr_array_find_with_equal_func (self->column_order, id, g_str_equal, &index))
    return;
  if ((delta < 0 && index == 0) || (delta > 0 && index + 1 >= self->column_order->len))
    return;

  /* Swap with the neighbour. */
  self->column_order->pdata[index] = self->column_order->pdata[index + delta];
  self->column_order->pdata[index + delta] = (gpointer) id;
  save_columns (self);
  rebuild_column_rows (self);
}

static void
move_up_clicked_cb (GtkButton        *button,
                    ReelExportDialog *self)
{
  move_column (self, g_object_get_data (G_OBJECT (button), "column-id"), -1);
}

static void
move_down_clicked_cb (GtkButton        *button,
                      ReelExportDialog *self)
{
  move_column (self, g_object_get_data (G_OBJECT (button), "column-id"), +1);
}

static GtkWidget *
make_column_row (ReelExportDialog       *self,
                 const ReelExportColumn *column,
                 guint                   position)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *up = gtk_button_new_from_icon_name ("go-up-symbolic");
  GtkWidget *down = gtk_button_new_from_icon_name ("go-down-symbolic");
  g_autofree char *up_label = g_strdup_printf (_("Move “%s” Up"), _(column->label));
  g_autofree char *down_label = g_strdup_printf (_("Move “%s” Down"), _(column->label));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(column->label));
  /* The header as it appears in the file, when it says something the title does not. */
  if (g_utf8_collate (_(column->label), column->header) != 0
      && g_ascii_strcasecmp (_(column->label), column->header) != 0)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), column->header);

  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                               g_hash_table_contains (self->ticked_columns, column->id));
  g_object_set_data (G_OBJECT (check), "column-id", (gpointer) column->id);
  g_signal_connect_object (check, "toggled", G_CALLBACK (column_toggled_cb), self, 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);

  for (guint i = 0; i < 2; i++)
    {
      GtkWidget *button = i == 0 ? up : down;

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, i == 0 ? up_label : down_label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      i == 0 ? up_label : down_label, -1);
      g_object_set_data (G_OBJECT (button), "column-id", (gpointer) column->id);
      g_signal_connect_object (button, "clicked",
                               G_CALLBACK (i == 0 ? move_up_clicked_cb : move_down_clicked_cb),
                               self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  gtk_widget_set_sensitive (up, position > 0);
  gtk_widget_set_sensitive (down, position + 1 < self->column_order->len);

  return row;
}

static void
rebuild_column_rows (ReelExportDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->columns_list))) != NULL)
    gtk_list_box_remove (self->columns_list, child);

  for (guint i = 0; i < self->column_order->len; i++)
    {
      const ReelExportColumn *column =
        reel_export_lookup_csv_column (g_ptr_array_index (self->column_order, i));

      gtk_list_box_append (self->columns_list, make_column_row (self, column, i));
    }
}

/* The ticked columns first, in their order; then the others in the table's order. */
static void
load_columns (ReelExportDialog   *self,
              const char * const *ticked)
{
  const ReelExportColumn *columns;
  guint n_columns;

  columns = reel_export_get_csv_columns (&n_columns);
  g_ptr_array_set_size (self->column_order, 0);
  g_hash_table_remove_all (self->ticked_columns);

  for (guint i = 0; ticked[i] != NULL; i++)
    {
      const ReelExportColumn *column = reel_export_lookup_csv_column (ticked[i]);

      if (column != NULL && !g_hash_table_contains (self->ticked_columns, column->id))
        {
          g_ptr_array_add (self->column_order, (gpointer) column->id);
          g_hash_table_add (self->ticked_columns, (gpointer) column->id);
        }
    }
  for (guint i = 0; i < n_columns; i++)
    if (!g_hash_table_contains (self->ticked_columns, columns[i].id))
      g_ptr_array_add (self->column_order, (gpointer) columns[i].id);

  rebuild_column_rows (self);
}

static void
csv_preset_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ReelExportDialog *self = REEL_EXPORT_DIALOG (widget);
  const char *preset = g_variant_get_string (parameter, NULL);

  if (g_str_equal (preset, "shotgrid"))
    load_columns (self, reel_export_get_shotgrid_csv_columns ());
  else if (g_str_equal (preset, "kitsu"))
    {
      load_columns (self, reel_export_get_kitsu_csv_columns ());
      /* As `storyreel export --kitsu`: the timeline's clips then match the imported shots. */
      adw_combo_row_set_selected (self->clip_naming_row, REEL_EXPORT_CLIP_NAMING_KITSU);
    }
  else if (g_str_equal (preset, "all"))
    {
      const ReelExportColumn *columns;
      g_autoptr(GPtrArray) ids = g_ptr_array_new ();
      guint n_columns;

      columns = reel_export_get_csv_columns (&n_columns);
      for (guint i = 0; i < n_columns; i++)
        g_ptr_array_add (ids, (gpointer) columns[i].id);
      g_ptr_array_add (ids, NULL);
      load_columns (self, (const char * const *) ids->pdata);
    }
  else
    load_columns (self, reel_export_get_default_csv_columns ());

  save_columns (self);
}

/* Which rows a format shows */

static void
update_format (ReelExportDialog *self)
{
  const ReelExportFormat *format = get_selected_format (self);
  gboolean scene_scope = adw_combo_row_get_selected (self->scope_row) == REEL_EXPORT_SCOPE_SCENE;

  gtk_widget_set_visible (GTK_WIDGET (self->pdf_group),
                          format->options & (REEL_EXPORT_USES_LAYOUT | REEL_EXPORT_USES_PAPER));
  gtk_widget_set_visible (GTK_WIDGET (self->csv_group),
                          format->options & REEL_EXPORT_USES_CSV_COLUMNS);
  gtk_widget_set_visible (GTK_WIDGET (self->panels_group),
                          format->options & REEL_EXPORT_USES_PANEL_WIDTH);
  gtk_widget_set_visible (GTK_WIDGET (self->panel_clips_row),
                          format->options & REEL_EXPORT_USES_PANEL_CLIPS);
  gtk_widget_set_visible (GTK_WIDGET (self->fcpxml_group),
                          format->options & REEL_EXPORT_USES_FCPXML_VERSION);
  gtk_widget_set_visible (GTK_WIDGET (self->clips_group),
                          format->options & REEL_EXPORT_USES_CLIP_NAMING);
  gtk_widget_set_visible (GTK_WIDGET (self->scope_row), format->options & REEL_EXPORT_USES_SCOPE);
  gtk_widget_set_visible (GTK_WIDGET (self->scene_row),
                          (format->options & REEL_EXPORT_USES_SCOPE) && scene_scope);
  gtk_widget_set_sensitive (GTK_WIDGET (self->paper_row),
                            format->options & REEL_EXPORT_USES_PAPER);
  gtk_widget_set_sensitive (GTK_WIDGET (self->orientation_row),
                            format->options & REEL_EXPORT_USES_PAPER);

  if (format->writes_panels && format->output == REEL_EXPORT_OUTPUT_FILE)
    adw_preferences_group_set_description (self->panels_group,
                                           _("Editing systems find each shot’s panel as a PNG "
                                             "file in a folder beside the export."));
  else
    adw_preferences_group_set_description (self->panels_group, NULL);

  suggest_output (self, format);
  save_columns (self);
}

/* Exporting */

static void
set_exporting (ReelExportDialog *self,
               gboolean          exporting)
{
  self->exporting = exporting;
  gtk_widget_set_sensitive (GTK_WIDGET (self->page), !exporting);
  update_export_sensitivity (self);
  gtk_button_set_label (self->cancel_button, _("_Cancel"));
}

/* What an export in flight knows of its dialog: a weak reference, so that closing the dialog
 * finalizes it (which cancels the export) and late callbacks find nobody to update. */
typedef struct
{
  GWeakRef dialog;
} ExportJob;

static ExportJob *
export_job_new (ReelExportDialog *dialog)
{
  ExportJob *job = g_rc_box_new0 (ExportJob);

  g_weak_ref_init (&job->dialog, dialog);
  return job;
}

static void
export_job_clear (ExportJob *job)
{
  g_weak_ref_clear (&job->dialog);
}

static void
export_job_unref (gpointer job)
{
  g_rc_box_release_full (job, (GDestroyNotify) export_job_clear);
}

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  ExportJob *job = user_data;
  g_autoptr(ReelExportDialog) self = g_weak_ref_get (&job->dialog);

  if (self != NULL && self->progress_bar != NULL)
    gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ExportJob *job = user_data;
  g_autoptr(ReelExportDialog) self = g_weak_ref_get (&job->dialog);
  g_autoptr(GError) error = NULL;
  gboolean ok = reel_export_finish (result, &error);

  export_job_unref (job);

  /* Closed while exporting: the export was cancelled and nobody is looking. */
  if (self == NULL || self->page == NULL)
    return;

  g_clear_object (&self->cancellable);
  self->exporting = FALSE;

  set_exporting (self, FALSE);

  if (ok)
    {
      g_autofree char *name = g_file_get_basename (self->output);
      g_autofree char *message = g_strdup_printf (_("Exported “%s”"), name);
      g_autoptr(GFile) folder = g_file_get_parent (self->output);
      g_autofree char *folder_path = g_file_get_path (folder);

      if (folder_path != NULL)
        g_settings_set_string (self->settings, "export-folder", folder_path);
      g_set_object (&self->last_export, self->output);
      gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
      gtk_label_set_text (self->status_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->open_button), TRUE);
      /* Done: what is left is to close. */
      gtk_button_set_label (self->cancel_button, _("_Close"));
      return;
    }

  gtk_revealer_set_reveal_child (self->status_revealer, FALSE);

  /* A cancel was asked for: nothing to explain. */
  if (g_error_matches (error, REEL_EXPORT_ERROR, REEL_EXPORT_ERROR_CANCELLED))
    return;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      GtkWidget *message = adw_message_dialog_new (GTK_WINDOW (self), _("Export Failed"),
                                                   error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (message), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (message));
    }
}

static ReelExportOptions *
build_options (ReelExportDialog *self)
{
  ReelExportOptions *options = reel_export_options_new ();
  ReelExportScope scope = adw_combo_row_get_selected (self->scope_row);
  guint version;
  g_auto(GStrv) columns = g_settings_get_strv (self->settings, "export-csv-columns");

  reel_export_options_set_layout (options, adw_combo_row_get_selected (self->layout_row));
  reel_export_options_set_paper (options, adw_combo_row_get_selected (self->paper_row));
  reel_export_options_set_orientation (options,
                                       adw_combo_row_get_selected (self->orientation_row));
  reel_export_options_set_panel_width (options,
                                       gtk_spin_button_get_value_as_int (self->panel_width_spin));
  version = adw_combo_row_get_selected (self->fcpxml_version_row);
  reel_export_options_set_fcpxml_version (options, reel_export_get_fcpxml_versions ()[version],
                                          NULL);
  if (columns[0] != NULL)
    reel_export_options_set_csv_columns (options, (const char * const *) columns, NULL);
  reel_export_options_set_clip_naming (options,
                                       adw_combo_row_get_selected (self->clip_naming_row));
  reel_export_options_set_panel_clips (options,
                                       gtk_switch_get_active (self->panel_clips_switch));

  reel_export_options_set_scope (options, scope);
  if (scope == REEL_EXPORT_SCOPE_SCENE)
    {
      guint scene = adw_combo_row_get_selected (self->scene_row);

      reel_export_options_set_scene (options, reel_project_get_scene (self->project, scene));
    }
  else if (scope == REEL_EXPORT_SCOPE_SHOTS && self->selected_shots != NULL)
    reel_export_options_set_shots (options, (ReelShot **) self->selected_shots->pdata,
                                   self->selected_shots->len);

  return options;
}

void
reel_export_dialog_start (ReelExportDialog *self)
{
  g_autoptr(ReelExportOptions) options = NULL;
  ExportJob *job;

  g_return_if_fail (REEL_IS_EXPORT_DIALOG (self));

  if (self->exporting || self->output == NULL)
    return;

  options = build_options (self);
  self->cancellable = g_cancellable_new ();
  set_exporting (self, TRUE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_label_set_text (self->status_label, _("Exporting…"));
  gtk_widget_set_visible (GTK_WIDGET (self->open_button), FALSE);
  gtk_revealer_set_reveal_child (self->status_revealer, TRUE);

  job = export_job_new (self);
  reel_export_async (get_selected_format (self), self->project, self->project_file, options,
                     self->output, self->cancellable, progress_cb, g_rc_box_acquire (job),
                     export_job_unref, export_done_cb, job);
}

static void
export_clicked_cb (ReelExportDialog *self)
{
  reel_export_dialog_start (self);
}

static void
cancel_clicked_cb (ReelExportDialog *self)
{
  if (self->exporting)
    {
      gtk_label_set_text (self->status_label, _("Cancelling…"));
      g_cancellable_cancel (self->cancellable);
      return;
    }

  gtk_window_close (GTK_WINDOW (self));
}

static void
open_clicked_cb (ReelExportDialog *self)
{
  g_autofree char *uri = NULL;

  if (self->last_export == NULL)
    return;

  uri = g_file_get_uri (self->last_export);
  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
}

static gboolean
reel_export_dialog_close_request (GtkWindow *window)
{
  ReelExportDialog *self = REEL_EXPORT_DIALOG (window);

  /* Closing cancels: the export removes what it had written. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (reel_export_dialog_parent_class)->close_request (window);
}

static void
reel_export_dialog_dispose (GObject *object)
{
  ReelExportDialog *self = REEL_EXPORT_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), REEL_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (reel_export_dialog_parent_class)->dispose (object);
}

static void
reel_export_dialog_finalize (GObject *object)
{
  ReelExportDialog *self = REEL_EXPORT_DIALOG (object);

  g_clear_object (&self->project);
  g_clear_object (&self->project_file);
  g_clear_object (&self->current_scene);
  g_clear_pointer (&self->selected_shots, g_ptr_array_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->output);
  g_clear_object (&self->last_export);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->column_order, g_ptr_array_unref);
  g_clear_pointer (&self->ticked_columns, g_hash_table_unref);

  G_OBJECT_CLASS (reel_export_dialog_parent_class)->finalize (object);
}

static void
reel_export_dialog_class_init (ReelExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = reel_export_dialog_dispose;
  object_class->finalize = reel_export_dialog_finalize;
  window_class->close_request = reel_export_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/reel-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, page);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, scope_row);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, scene_row);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, pdf_group);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, layout_row);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, paper_row);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, orientation_row);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, csv_group);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, columns_list);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, panels_group);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, panel_width_spin);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, panel_clips_row);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, panel_clips_switch);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, clips_group);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, clip_naming_row);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, fcpxml_group);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, fcpxml_version_row);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, output_row);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, status_revealer);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, ReelExportDialog, open_button);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_clicked_cb);

  gtk_widget_class_install_action (widget_class, "export.csv-preset", "s", csv_preset_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
reel_export_dialog_init (ReelExportDialog *self)
{
  const ReelExportFormat * const *formats;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *layouts[] = {
    /* Translators: PDF layouts, panels across × down. */
    _("3 × 2 panels"), _("2 × 2 panels"), _("3 × 3 panels"), _("One panel a page"),
    _("Shot list table"), NULL
  };
  const char *papers[] = { _("A4"), _("US Letter"), NULL };
  const char *orientations[] = { _("Landscape"), _("Portrait"), NULL };
  /* Translators: how clips are named in OTIO and EDL files, in ReelExportClipNaming order;
   * the examples are file names and stay as they are. */
  const char *clip_namings[] = { _("Shot code (SC1_SH1A)"),
                                 _("Kitsu (Project_SC1-SH1A)"), NULL };
  g_auto(GStrv) columns = NULL;
  guint n_formats;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (BASE_APPLICATION_ID);
  self->column_order = g_ptr_array_new ();
  self->ticked_columns = g_hash_table_new (g_str_hash, g_str_equal);

  formats = reel_export_get_formats (&n_formats);
  for (guint i = 0; i < n_formats; i++)
    g_ptr_array_add (names, (gpointer) _(formats[i]->name));
  g_ptr_array_add (names, NULL);
  set_row_strings (self->format_row, (const char * const *) names->pdata);
  set_row_strings (self->layout_row, layouts);
  set_row_strings (self->paper_row, papers);
  set_row_strings (self->orientation_row, orientations);
  set_row_strings (self->fcpxml_version_row, reel_export_get_fcpxml_versions ());
  set_row_strings (self->clip_naming_row, clip_namings);

  /* The last choices, kept as the user changes them. */
  g_settings_bind_with_mapping (self->settings, "export-format", self->format_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, format_id_to_position,
                                position_to_format_id, NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "export-layout", self->layout_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, nick_to_position, position_to_nick,
                                GSIZE_TO_POINTER (REEL_TYPE_EXPORT_LAYOUT), NULL);
  g_settings_bind_with_mapping (self->settings, "export-paper", self->paper_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, nick_to_position, position_to_nick,
                                GSIZE_TO_POINTER (REEL_TYPE_EXPORT_PAPER), NULL);
  g_settings_bind_with_mapping (self->settings, "export-orientation", self->orientation_row,
                                "selected", G_SETTINGS_BIND_DEFAULT, nick_to_position,
                                position_to_nick,
                                GSIZE_TO_POINTER (REEL_TYPE_EXPORT_ORIENTATION), NULL);
  g_settings_bind_with_mapping (self->settings, "export-fcpxml-version",
                                self->fcpxml_version_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                version_to_position, position_to_version, NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "export-clip-naming", self->clip_naming_row,
                                "selected", G_SETTINGS_BIND_DEFAULT, nick_to_position,
                                position_to_nick,
                                GSIZE_TO_POINTER (REEL_TYPE_EXPORT_CLIP_NAMING), NULL);
  g_settings_bind (self->settings, "export-panel-clips", self->panel_clips_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "export-panel-width",
                   gtk_spin_button_get_adjustment (self->panel_width_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);

  columns = g_settings_get_strv (self->settings, "export-csv-columns");
  load_columns (self, (const char * const *) columns);

  g_signal_connect_object (self->format_row, "notify::selected", G_CALLBACK (update_format),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scope_row, "notify::selected", G_CALLBACK (update_format),
                           self, G_CONNECT_SWAPPED);
}

/**
 * reel_export_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @project: what to export
 * @project_file: (nullable): where @project is saved
 * @current_scene: (nullable): the scene to offer first
 * @selected_shots: (nullable) (element-type ReelShot): the selected shots
 *
 * Returns: (transfer none): a new dialog, owned by GTK like every toplevel
 */
ReelExportDialog *
reel_export_dialog_new (GtkWindow   *parent,
                        ReelProject *project,
                        GFile       *project_file,
                        ReelScene   *current_scene,
                        GPtrArray   *selected_shots)
{
  ReelExportDialog *self;
  g_autoptr(GPtrArray) scene_names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *selected_label = NULL;
  g_autofree char *scope = NULL;
  const char *scopes[4];
  guint n_selected = selected_shots != NULL ? selected_shots->len : 0;
  guint current = 0;
  int scope_value = REEL_EXPORT_SCOPE_PROJECT;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (REEL_IS_PROJECT (project), NULL);

  self = g_object_new (REEL_TYPE_EXPORT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->project = g_object_ref (project);
  g_set_object (&self->project_file, project_file);
  g_set_object (&self->current_scene, current_scene);
  if (selected_shots != NULL)
    self->selected_shots = g_ptr_array_copy (selected_shots, (GCopyFunc) g_object_ref, NULL);
  if (self->selected_shots != NULL)
    g_ptr_array_set_free_func (self->selected_shots, g_object_unref);

  for (guint i = 0; i < reel_project_get_n_scenes (project); i++)
    {
      ReelScene *scene = reel_project_get_scene (project, i);
      const char *number = reel_scene_get_number (scene);

      if (scene == current_scene)
        current = i;
      g_ptr_array_add (scene_names,
                       number[0] != '\0'
                       ? g_strdup_printf (_("Scene %s: %s"), number, reel_scene_get_heading (scene))
                       : g_strdup (reel_scene_get_heading (scene)));
    }
  g_ptr_array_add (scene_names, NULL);
  set_row_strings (self->scene_row, (const char * const *) scene_names->pdata);
  adw_combo_row_set_selected (self->scene_row, current);

  selected_label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The selected shot",
                                                 "The %u selected shots", n_selected),
                                    n_selected);
  scopes[0] = _("The whole project");
  scopes[1] = _("One scene");
  scopes[2] = selected_label;
  scopes[3] = NULL;
  set_row_strings (self->scope_row, scopes);

  /* The remembered scope, unless there is nothing to take it from. */
  scope = g_settings_get_string (self->settings, "export-scope");
  reel_export_enum_from_nick (REEL_TYPE_EXPORT_SCOPE, scope, &scope_value);
  if ((scope_value == REEL_EXPORT_SCOPE_SHOTS && n_selected == 0)
      || (scope_value == REEL_EXPORT_SCOPE_SCENE && reel_project_get_n_scenes (project) == 0))
    scope_value = REEL_EXPORT_SCOPE_PROJECT;
  adw_combo_row_set_selected (self->scope_row, scope_value);
  g_settings_bind_with_mapping (self->settings, "export-scope", self->scope_row, "selected",
                                G_SETTINGS_BIND_SET, nick_to_position, position_to_nick,
                                GSIZE_TO_POINTER (REEL_TYPE_EXPORT_SCOPE), NULL);

  update_format (self);

  return self;
}

GFile *
reel_export_dialog_get_output (ReelExportDialog *self)
{
  g_return_val_if_fail (REEL_IS_EXPORT_DIALOG (self), NULL);

  return self->output;
}

void
reel_export_dialog_set_output (ReelExportDialog *self,
                               GFile            *output)
{
  g_return_if_fail (REEL_IS_EXPORT_DIALOG (self));
  g_return_if_fail (output == NULL || G_IS_FILE (output));

  g_set_object (&self->output, output);
  update_output_row (self);
}

void
reel_export_dialog_window_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  ReelWindow *window = REEL_WINDOW (widget);
  ReelShot *current = reel_window_get_current_shot (window);
  g_autoptr(GPtrArray) selected = reel_window_get_selected_shots (window);
  ReelExportDialog *dialog;

  dialog = reel_export_dialog_new (GTK_WINDOW (window), reel_window_get_project (window),
                                   reel_window_get_file (window),
                                   current != NULL ? reel_shot_get_scene (current) : NULL,
                                   selected);
  gtk_window_present (GTK_WINDOW (dialog));
}
