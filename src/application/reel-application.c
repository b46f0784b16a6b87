/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-application"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>

#include "ai/reel-comfyui.h"
#include "storage/reel-autosave.h"
#include "widgets/reel-preferences-window.h"
#include "widgets/reel-window.h"

#include "reel-application.h"
#include "reel-startup-probe.h"

struct _ReelApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
  guint recovery_offered : 1;
};

G_DEFINE_FINAL_TYPE (ReelApplication, reel_application, ADW_TYPE_APPLICATION)

/* Every accelerator of the application, app and window actions alike, in one table,
 * so the Keyboard Shortcuts window and the code cannot drift apart unnoticed
 * (tests/widgets/test-window.c checks each of these against the help overlay).
 * Rows marked unless_typing only fire when the focus is not in a text field: bare
 * letters, Delete and Ctrl+C/X/V must keep working there (see reel-window.h). */
static const ReelAccelerator accelerators[] = {
  { "app.new", { "<Control>n", NULL } },
  { "app.open", { "<Control>o", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.quit", { "<Control>q", NULL } },
  { "win.save", { "<Control>s", NULL } },
  { "win.save-as", { "<Control><Shift>s", NULL } },
  { "win.export", { "<Control>e", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "win.show-view::board", { "<Alt>1", NULL } },
  { "win.show-view::shot-list", { "<Alt>2", NULL } },
  { "win.show-view::preview", { "<Alt>3", NULL } },
  { "win.undo", { "<Control>z", NULL } },
  { "win.redo", { "<Control><Shift>z", "<Control>y", NULL } },
  { "win.move-shots-earlier", { "<Alt>Left", NULL } },
  { "win.move-shots-later", { "<Alt>Right", NULL } },
  { "win.new-scene", { "<Control><Shift>n", NULL } },
  { "win.renumber-scene::letter", { "<Control><Shift>r", NULL } },
  { "win.new-angle(uint32 0)", { "<Control>r", NULL } },
  { "win.add-shot", { "n", NULL }, TRUE },
  { "win.insert-shot", { "<Shift>n", "Insert", NULL }, TRUE },
  { "win.duplicate-shots", { "d", NULL }, TRUE },
  { "win.delete-shots", { "Delete", NULL }, TRUE },
  { "win.delete-scene", { "<Control><Shift>Delete", NULL }, TRUE },
  { "win.previous-shot", { "Page_Up", NULL }, TRUE },
  { "win.next-shot", { "Page_Down", NULL }, TRUE },
  { "win.copy-shots", { "<Control>c", NULL }, TRUE },
  { "win.cut-shots", { "<Control>x", NULL }, TRUE },
  { "win.paste-shots", { "<Control>v", NULL }, TRUE },
};

/**
 * reel_application_get_accelerators:
 * @n_accelerators: (out): the number of rows
 *
 * Returns: the accelerator table, for tests and the shortcuts window
 */
const ReelAccelerator *
reel_application_get_accelerators (guint *n_accelerators)
{
  *n_accelerators = G_N_ELEMENTS (accelerators);
  return accelerators;
}

static ReelWindow *
reel_application_create_window (ReelApplication *self)
{
  return reel_window_new (ADW_APPLICATION (self));
}

static void
reel_application_new_action (GSimpleAction *action,
                             GVariant      *param,
                             gpointer       user_data)
{
  ReelApplication *self = user_data;

  gtk_window_present (GTK_WINDOW (reel_application_create_window (self)));
}

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  ReelApplication *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      g_application_open (G_APPLICATION (self), &file, 1, "");
    }

  g_object_unref (dialog);
}

static void
reel_application_open_action (GSimpleAction *action,
                              GVariant      *param,
                              gpointer       user_data)
{
  ReelApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) scripts = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Open Project"), parent,
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Storyreel Projects"));
  gtk_file_filter_add_mime_type (filter, "application/x-storyreel");
  gtk_file_filter_add_suffix (filter, "storyreel");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  /* Opening a screenplay imports it. */
  gtk_file_filter_set_name (scripts, _("Screenplays (Fountain, Final Draft)"));
  gtk_file_filter_add_mime_type (scripts, "text/x-fountain");
  gtk_file_filter_add_mime_type (scripts, "application/x-final-draft");
  gtk_file_filter_add_suffix (scripts, "fountain");
  gtk_file_filter_add_suffix (scripts, "fdx");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), scripts);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
reel_application_preferences_action (GSimpleAction *action,
                                     GVariant      *param,
                                     gpointer       user_data)
{
  ReelApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (reel_preferences_window_new (parent)));
}

static void
reel_application_about_action (GSimpleAction *action,
                               GVariant      *param,
                               gpointer       user_data)
{
  ReelApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Storyreel developers", NULL };
  AdwAboutWindow *about;

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  g_object_set (about,
                "transient-for", parent,
                "modal", parent != NULL,
                "application-name", _("Storyreel"),
                "application-icon", APPLICATION_ID,
                "developer-name", _("The Storyreel developers"),
                "version", PACKAGE_VERSION,
                "website", "https://github.com/storyreel/storyreel",
                "issue-url", "https://github.com/storyreel/storyreel/issues",
                "comments", _("Storyboards, camera plans and AI background plates for film pre-production."),
                "license-type", GTK_LICENSE_GPL_3_0,
                "developers", developers,
                /* Translators: put your names here, one per line. */
                "translator-credits", _("translator-credits"),
                NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
reel_application_quit_action (GSimpleAction *action,
                              GVariant      *param,
                              gpointer       user_data)
{
  ReelApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing each window gives it the chance to ask about unsaved changes. Quitting is
   * the answer about generations under way: they are cancelled, not asked about. */
  g_autoptr(GList) copy = g_list_copy (windows);

  for (GList *l = copy; l != NULL; l = l->next)
    {
      if (REEL_IS_WINDOW (l->data))
        reel_window_cancel_jobs (REEL_WINDOW (l->data));
      gtk_window_close (GTK_WINDOW (l->data));
    }
}

static const GActionEntry app_actions[] = {
  { "new", reel_application_new_action },
  { "open", reel_application_open_action },
  { "preferences", reel_application_preferences_action },
  { "about", reel_application_about_action },
  { "quit", reel_application_quit_action },
};

static void
reel_application_update_style (ReelApplication *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  g_autofree char *style = g_settings_get_string (self->settings, "style-variant");
  AdwColorScheme scheme = ADW_COLOR_SCHEME_DEFAULT;

  if (g_str_equal (style, "light"))
    scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_str_equal (style, "dark"))
    scheme = ADW_COLOR_SCHEME_FORCE_DARK;

  adw_style_manager_set_color_scheme (manager, scheme);
}

/* The first frame that shows the project: the window is not busy, that is, its file is read
 * and the Board's canvas has drawn the current shot's rendered panel (background and
 * sketch at the canvas's size). While a file is still being read, frames paint an empty
 * board; the canvas's first frame waits for its panel's render (which runs on a worker
 * while GTK lays out and draws the rest), so it is normally the window's first frame.
 * The shot strip's thumbnails are rendered after this frame
 * (reel_thumbnailer_hold_until_painted()). */
static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  ReelWindow *window = user_data;
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (window)));

  reel_startup_probe_mark ("paint");
  if (reel_window_get_busy (window))
    return;

  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, user_data);
  reel_startup_probe_print ("first-frame");
  g_application_quit (app);
}

static void
window_mapped_cb (GtkWidget *widget,
                  gpointer   user_data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  reel_startup_probe_mark ("map");
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), widget);
}

static void
reel_application_present_window (ReelApplication *self,
                                 ReelWindow      *window)
{
  reel_startup_probe_mark ("window");
  if (reel_startup_probe_enabled ())
    g_signal_connect (window, "map", G_CALLBACK (window_mapped_cb), self);
  gtk_window_present (GTK_WINDOW (window));
  reel_startup_probe_mark ("present");
}

/* Autosave recovery: once per run, when the first window is up. */

/* A restored project goes into @parent if it still shows nothing, else a window of its
 * own; the restore ran on a worker thread, and the user may have worked meanwhile. */
static void
recovery_restored_cb (GObject      *source_object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GtkWindow) parent = user_data;
  GtkApplication *application = GTK_APPLICATION (g_application_get_default ());
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) missing = NULL;
  GtkWindow *window;

  /* Closed meanwhile. */
  if (application == NULL ||
      g_list_find (gtk_application_get_windows (application), parent) == NULL)
    g_clear_object (&parent);
  window = parent;

  project = reel_autosave_entry_restore_finish (result, &missing, &error);
  if (project == NULL)
    {
      GtkWidget *message;

      message = adw_message_dialog_new (parent, _("Could Not Restore the Project"),
                                        error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (message), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (message));
      return;
    }

  if (parent != NULL && REEL_IS_WINDOW (parent) && reel_window_is_pristine (REEL_WINDOW (parent)))
    reel_window_set_project (REEL_WINDOW (parent), project);
  else if (application != NULL)
    {
      window = GTK_WINDOW (reel_window_new_for_project (ADW_APPLICATION (application), project));
      gtk_window_present (window);
    }

  /* The document the recovery file took its media from was deleted or replaced. */
  if (missing != NULL)
    {
      GtkWidget *message;

      message = adw_message_dialog_new (window, _("Some Media Could Not Be Restored"),
                                        missing->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (message), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (message));
    }
}

static void
recovery_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  g_autoptr(GPtrArray) entries = user_data;
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));

  if (g_str_equal (response, "later"))
    return;

  for (guint i = 0; i < entries->len; i++)
    {
      ReelAutosaveEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GError) error = NULL;

      if (!g_str_equal (response, "restore"))
        {
          if (!reel_autosave_entry_discard (entry, &error))
            g_warning ("Could not delete a recovery file: %s", error->message);
          continue;
        }

      /* Read on a worker thread: a big project takes a moment, the window stays usable. */
      reel_autosave_entry_restore_async (entry, NULL, recovery_restored_cb,
                                         parent != NULL ? g_object_ref (parent) : NULL);
    }
}

static char *
describe_entry (ReelAutosaveEntry *entry)
{
  GFile *document = reel_autosave_entry_get_document (entry);
  const char *title = reel_autosave_entry_get_title (entry);
  g_autofree char *name = NULL;
  g_autofree char *time = NULL;

  if (document != NULL)
    name = g_file_get_basename (document);
  else if (title != NULL && *title != '\0')
    name = g_strdup (title);
  else
    name = g_strdup (_("Untitled Project"));

  /* Translators: a strftime format: when an unsaved project was last autosaved. */
  time = g_date_time_format (reel_autosave_entry_get_time (entry), _("%x %X"));
  /* Translators: "harbour.storyreel (26/11/2026 14:02:11)" in the recovery dialog. */
  return g_strdup_printf (_("%s (%s)"), name, time);
}

static void
recovery_listed_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ReelApplication) self = user_data;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) body = NULL;
  GtkWindow *parent;
  AdwMessageDialog *dialog;

  entries = reel_autosave_list_recoverable_finish (result, &error);
  if (entries == NULL)
    {
      g_warning ("Could not look for recovery files: %s", error->message);
      return;
    }
  if (entries->len == 0)
    return;

  body = g_string_new (ngettext ("Storyreel closed before this project was saved. "
                                 "Its unsaved work can be restored:",
                                 "Storyreel closed before these projects were saved. "
                                 "Their unsaved work can be restored:",
                                 entries->len));
  for (guint i = 0; i < entries->len; i++)
    {
      g_autofree char *line = describe_entry (g_ptr_array_index (entries, i));

      g_string_append_printf (body, "\n• %s", line);
    }

  parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Restore Unsaved Work?"),
                                                       body->str));
  adw_message_dialog_add_responses (dialog,
                                    "discard", _("_Discard"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "restore", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "restore");
  /* Closing the dialog without an answer keeps the files for the next start. */
  adw_message_dialog_set_close_response (dialog, "later");
  g_signal_connect (dialog, "response", G_CALLBACK (recovery_response_cb),
                    g_steal_pointer (&entries));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Once per run, when the first window is up: the recovery files are read on a worker
 * thread, and the offer comes when they are. */
static void
reel_application_offer_recovery (ReelApplication *self)
{
  if (self->recovery_offered)
    return;
  self->recovery_offered = TRUE;

  reel_autosave_list_recoverable_async (NULL, recovery_listed_cb, g_object_ref (self));
}

static void
reel_application_activate (GApplication *app)
{
  ReelApplication *self = REEL_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  reel_startup_probe_mark ("activate");
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  reel_application_present_window (self, reel_application_create_window (self));
  reel_application_offer_recovery (self);
}

static gboolean
is_script_file (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *folded = basename != NULL ? g_utf8_strdown (basename, -1) : NULL;

  return folded != NULL &&
         (g_str_has_suffix (folded, ".fountain") || g_str_has_suffix (folded, ".fdx"));
}

static ReelWindow *
find_window_for_file (ReelApplication *self,
                      GFile           *file)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      GFile *window_file;

      if (!REEL_IS_WINDOW (l->data))
        continue;
      window_file = reel_window_get_file (l->data);
      if (window_file != NULL && g_file_equal (window_file, file))
        return l->data;
    }

  return NULL;
}

static void
reel_application_open (GApplication  *app,
                       GFile        **files,
                       int            n_files,
                       const char    *hint)
{
  ReelApplication *self = REEL_APPLICATION (app);

  reel_startup_probe_mark ("activate");
  for (int i = 0; i < n_files; i++)
    {
      ReelWindow *window = find_window_for_file (self, files[i]);
      GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

      /* A project that is open already is shown, not opened twice. */
      if (window != NULL)
        {
          gtk_window_present (GTK_WINDOW (window));
          continue;
        }

      /* A screenplay becomes a new project (`storyreel script.fountain`, Open…). The
       * window at hand imports it, and makes a window for it only once it has been read,
       * so that a script that cannot be read leaves no empty window behind. */
      if (is_script_file (files[i]))
        {
          window = REEL_IS_WINDOW (active) ? REEL_WINDOW (active)
                                           : reel_application_create_window (self);
          reel_window_import_script (window, files[i]);
          reel_application_present_window (self, window);
          continue;
        }

      /* An untouched new project makes way for the file. */
      if (REEL_IS_WINDOW (active) && reel_window_is_pristine (REEL_WINDOW (active)))
        window = REEL_WINDOW (active);
      else
        window = reel_application_create_window (self);
      reel_window_open_file (window, files[i]);
      reel_application_present_window (self, window);
    }

  reel_application_offer_recovery (self);
}

static int
reel_application_handle_local_options (GApplication *app,
                                       GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("storyreel %s\n", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

static void
reel_application_startup (GApplication *app)
{
  ReelApplication *self = REEL_APPLICATION (app);

  reel_startup_probe_mark ("registered");
  G_APPLICATION_CLASS (reel_application_parent_class)->startup (app);
  reel_startup_probe_mark ("gtk-init");

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accelerators); i++)
    {
      g_autofree char *detailed = NULL;

      /* See reel-window.h: the window runs these unless a text field has the focus. */
      if (accelerators[i].unless_typing)
        detailed = g_strconcat ("win.unless-typing::", accelerators[i].action, NULL);
      gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                             detailed != NULL ? detailed : accelerators[i].action,
                                             accelerators[i].accels);
    }

  self->settings = g_settings_new (BASE_APPLICATION_ID);
  g_signal_connect_object (self->settings, "changed::style-variant",
                           G_CALLBACK (reel_application_update_style), self,
                           G_CONNECT_SWAPPED);
  reel_application_update_style (self);
  reel_startup_probe_mark ("startup");
}

/* Closing a window cancels its generations, and a cancelled ComfyUI prompt is taken off its
 * server by requests that are still on their way when the last window is gone: wait for
 * them, or the server keeps rendering for nobody. Bounded, so that a server that stopped
 * answering cannot hold up quitting. */
#define CANCEL_FLUSH_TIMEOUT_MS 5000

static void
reel_application_shutdown (GApplication *app)
{
  /* Windows GTK destroys while shutting down cancel theirs too: wait after chaining up. */
  G_APPLICATION_CLASS (reel_application_parent_class)->shutdown (app);

  reel_comfyui_flush_cancels (CANCEL_FLUSH_TIMEOUT_MS);
}

static void
reel_application_finalize (GObject *object)
{
  ReelApplication *self = REEL_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (reel_application_parent_class)->finalize (object);
}

static void
reel_application_class_init (ReelApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = reel_application_finalize;
  app_class->activate = reel_application_activate;
  app_class->open = reel_application_open;
  app_class->startup = reel_application_startup;
  app_class->shutdown = reel_application_shutdown;
  app_class->handle_local_options = reel_application_handle_local_options;
}

static void
reel_application_init (ReelApplication *self)
{
  static const GOptionEntry entries[] = {
    { "version", 'v', 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
    { NULL }
  };
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Storyboards, camera plans and AI background plates."));
  g_application_set_option_context_description (G_APPLICATION (self),
    _("Commands that run without a display:\n"
      "  storyreel info FILE                  Show a project’s title, scenes, shots and running time\n"
      "  storyreel new --from-fountain SCRIPT -o FILE\n"
      "                                       Create a project from a Fountain screenplay\n"
      "  storyreel generate FILE …            Generate background variants (see generate --help)\n"
      "  storyreel export FILE --format=F -o OUT\n"
      "                                       Export a project (see export --list-formats)"));
}

/**
 * reel_application_begin_startup_probe:
 *
 * The first call of main(): with STORYREEL_STARTUP_PROBE set, the application reports
 * the phases of its start and quits after its first frame (see reel-startup-probe.h).
 */
void
reel_application_begin_startup_probe (void)
{
  reel_startup_probe_init ();
}

ReelApplication *
reel_application_new (void)
{
  return g_object_new (REEL_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "resource-base-path", RESOURCE_PREFIX,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       NULL);
}
