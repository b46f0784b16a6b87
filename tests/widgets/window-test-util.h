/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "application/reel-application.h"
#include "widgets/reel-window.h"

G_BEGIN_DECLS

/* Shared by test-window.c and test-shot-list.c: the application the tests run,
 * waiting on the main loop, and real input through xdotool under Xvfb. */

extern ReelApplication *test_app;

/* Keeps the test's settings, recent files and recovery files to itself, starts the
 * application (not unique: other tests run beside it). Call first in main(). */
void            test_util_init          (int         *argc,
                                         char      ***argv);
/* Every wait of these tests: a state, and a deadline only a stuck test reaches. The
 * machine may be busy (CI is a loaded 2-core box): never a time, never a sleep. */
#define TEST_UTIL_DEADLINE_MS 60000

/* Iterates the main loop until @condition returns TRUE; FALSE once the deadline is
 * over: @timeout_ms, but never less than TEST_UTIL_DEADLINE_MS. */
gboolean        test_util_wait          (gboolean   (*condition) (gpointer data),
                                         gpointer     data,
                                         guint        timeout_ms);
/* Waits until the window of @widget has laid out and drawn a frame that began after
 * this call: allocations and rows are current. Fails the test at the deadline. */
void            test_util_wait_frame    (GtkWidget   *widget);
/* Dispatches what is pending on the main loop, then waits for a frame of every mapped
 * window. */
void            test_util_settle        (void);
/* Waits until @widget is mapped, has a size and its window has drawn it. */
void            test_util_wait_shown    (GtkWidget   *widget);
/* A window of the application showing @project (NULL: a new empty project),
 * presented, mapped and laid out. */
ReelWindow     *test_util_open_window   (ReelProject *project);
gboolean        test_util_window_is_open (ReelWindow *window);
/* Closes @window without asking: discards unsaved changes. */
void            test_util_discard_window (ReelWindow *window);
/* The visible AdwMessageDialog over @parent, or NULL. */
AdwMessageDialog *test_util_find_dialog (GtkWindow   *parent);
/* Answers @dialog with @response and closes it. */
void            test_util_respond       (AdwMessageDialog *dialog,
                                         const char       *response);
/* The first widget of @type below @root (depth first), or NULL. */
GtkWidget      *test_util_find_widget   (GtkWidget   *root,
                                         GType        type);
/* The first widget of @type below @root (depth first) whose tooltip is @tooltip, or NULL. */
GtkWidget      *test_util_find_by_tooltip (GtkWidget  *root,
                                           GType       type,
                                           const char *tooltip);

/* Real input: the point (@x, @y) of @widget on the X screen. */
void            test_util_screen_point  (GtkWidget   *widget,
                                         double       x,
                                         double       y,
                                         int         *screen_x,
                                         int         *screen_y);
/* Gives @window the X input focus, as a window manager would on a click. */
void            test_util_focus_window  (GtkWindow   *window);
/* Runs xdotool with the arguments (NULL-terminated) and waits for it, keeping the
 * main loop running, then until the X server has delivered the input and the windows
 * have handled it (a round trip, then a frame). */
void            test_util_xdotool       (const char  *first_arg,
                                         ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
