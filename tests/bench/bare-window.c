/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "application/reel-startup-probe.h"

/* The baseline of bench-startup: the smallest libadwaita application a GNOME app starts
 * as (an AdwApplicationWindow with a header bar and a status page), with the same
 * STORYREEL_STARTUP_PROBE report as Storyreel's, made by the same code: the phases of its
 * start (main, startup, activate, window, map, paint) and the first painted frame, then it
 * quits. What no change to Storyreel can go below. */

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, user_data);
  reel_startup_probe_mark ("paint");
  reel_startup_probe_print ("first-frame");
  g_application_quit (user_data);
}

static void
map_cb (GtkWidget *widget,
        gpointer   user_data)
{
  reel_startup_probe_mark ("map");
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                    G_CALLBACK (after_paint_cb), user_data);
}

/* After GApplication's own startup, which initialised GTK and libadwaita. */
static void
startup_cb (GApplication *application)
{
  reel_startup_probe_mark ("startup");
}

static void
activate_cb (GApplication *application)
{
  GtkWidget *window, *box, *status;

  reel_startup_probe_mark ("activate");
  window = adw_application_window_new (GTK_APPLICATION (application));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  status = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "applications-multimedia-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), "Bare Window");
  adw_status_page_set_description (ADW_STATUS_PAGE (status), "The start-up baseline.");
  gtk_widget_set_vexpand (status, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), status);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  reel_startup_probe_mark ("window");
  g_signal_connect (window, "map", G_CALLBACK (map_cb), application);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) application = NULL;

  reel_startup_probe_init ();
  application = adw_application_new ("org.storyreel.BareWindow", G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (application, "startup", G_CALLBACK (startup_cb), NULL);
  g_signal_connect (application, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (application), argc, argv);
}
