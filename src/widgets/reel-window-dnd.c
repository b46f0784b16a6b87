/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-window"

#include "config.h"

#include <glib/gi18n.h>

#include "storage/reel-project-file.h"

#include "reel-window-private.h"

static gboolean
has_suffix_ignoring_case (GFile      *file,
                          const char *suffix)
{
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *folded = basename != NULL ? g_utf8_strdown (basename, -1) : NULL;

  return folded != NULL && g_str_has_suffix (folded, suffix);
}

static void
open_project (ReelWindow *self,
              GFile      *file)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  /* Through the application, which reuses a window that has the file open already. */
  if (application != NULL)
    g_application_open (G_APPLICATION (application), &file, 1, "");
  else
    reel_window_open_file (self, file);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         ReelWindow    *self)
{
  GSList *files;
  gboolean accepted = FALSE;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = gdk_file_list_get_files (g_value_get_boxed (value));
  for (GSList *l = files; l != NULL; l = l->next)
    {
      GFile *file = l->data;

      if (has_suffix_ignoring_case (file, REEL_PROJECT_FILE_EXTENSION))
        {
          open_project (self, file);
          accepted = TRUE;
        }
      else if (has_suffix_ignoring_case (file, ".fountain") ||
               has_suffix_ignoring_case (file, ".fdx"))
        {
          reel_window_import_script (self, file);
          accepted = TRUE;
        }
    }
  g_slist_free (files);

  if (!accepted)
    {
      AdwToast *toast = adw_toast_new (_("Only Storyreel projects and Fountain or Final "
                                         "Draft screenplays can be opened here"));

      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }

  return accepted;
}

void
_reel_window_init_dnd (ReelWindow *self)
{
  GtkDropTarget *target;

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (target), "reel-window-file-drop");
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}
