/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test-foundation"

#include "config.h"

#include <adwaita.h>
#ifdef GDK_WINDOWING_X11
#include <X11/Xatom.h>
#include <gdk/x11/gdkx.h>
#include <glib-unix.h>
#endif

#include "application/reel-application.h"
#include "widgets/reel-batch-dialog.h"
#include "widgets/reel-board-view.h"
#include "widgets/reel-export-dialog.h"
#include "widgets/reel-generation-panel.h"
#include "widgets/reel-inspector.h"
#include "widgets/reel-preferences-window.h"
#include "widgets/reel-preview-view.h"
#include "widgets/reel-provider-page.h"
#include "widgets/reel-set-view.h"
#include "widgets/reel-shot-card.h"
#include "widgets/reel-shot-list-view.h"
#include "widgets/reel-shot-strip.h"
#include "widgets/reel-transport-bar.h"
#include "widgets/reel-window.h"
#include "../reel-test-require.h"
#include "../reel-test-wait.h"

/* The shell of the application: the window and its views, every template of the resource,
 * the primary menu, the accelerators and the Keyboard Shortcuts window, the remembered window
 * state and the light and dark styles. Warnings and criticals are fatal (g_test_init and
 * G_DEBUG=fatal-criticals), so "works without a warning" is what passing means. */

static ReelApplication *app;

/* Every class that a template of the resource defines, and how to make one. A template that
 * is missing here fails /foundation/templates: add a row when you add a template. */
static const struct {
  const char *name;
  GType (*get_type) (void);
} template_types[] = {
  { "ReelWindow", reel_window_get_type },
  { "ReelBoardView", reel_board_view_get_type },
  { "ReelInspector", reel_inspector_get_type },
  { "ReelShotCard", reel_shot_card_get_type },
  { "ReelShotStrip", reel_shot_strip_get_type },
  { "ReelShotListView", reel_shot_list_view_get_type },
  { "ReelPreviewView", reel_preview_view_get_type },
  { "ReelTransportBar", reel_transport_bar_get_type },
  { "ReelPreferencesWindow", reel_preferences_window_get_type },
  { "ReelExportDialog", reel_export_dialog_get_type },
  { "ReelGenerationPanel", reel_generation_panel_get_type },
  { "ReelBatchDialog", reel_batch_dialog_get_type },
  { "ReelProviderPage", reel_provider_page_get_type },
  { "ReelSetView", reel_set_view_get_type },
};

/* What a user sees when they pick a menu item (where a new window is the visible effect). */
static const struct {
  const char *action;
  GType (*window_type) (void);
} menu_effects[] = {
  { "app.new", reel_window_get_type },
  { "app.open", gtk_file_chooser_dialog_get_type },
  { "app.preferences", reel_preferences_window_get_type },
  { "win.export", reel_export_dialog_get_type },
  { "win.show-help-overlay", gtk_shortcuts_window_get_type },
  { "app.about", adw_about_window_get_type },
};

/* Helpers */

/* Runs the main loop until @condition holds; returns whether it holds. The deadline is
 * never less than a minute, which only a stuck test reaches. */
static gboolean
spin_until (gboolean (*condition) (gpointer),
            gpointer   data,
            guint      timeout_ms)
{
  return reel_test_wait_until (condition, data, timeout_ms);
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static gboolean
is_maximized (gpointer window)
{
  return gtk_window_is_maximized (window);
}

static gboolean
is_unmaximized (gpointer window)
{
  return !gtk_window_is_maximized (window);
}

/* The first descendant of @widget (or @widget) of @type for which @accept, if given, holds. */
static GtkWidget *
find_descendant_where (GtkWidget  *widget,
                       GType       type,
                       gboolean  (*accept) (GtkWidget *))
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && (accept == NULL || accept (widget)))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant_where (child, type, accept);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  return find_descendant_where (widget, type, NULL);
}

static gboolean
is_primary_menu_button (GtkWidget *widget)
{
  return gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget));
}

/* The toplevels that are shown, as a list of new references. */
static GPtrArray *
list_toplevels (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GPtrArray *windows = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (gtk_widget_get_visible (GTK_WIDGET (window)))
        g_ptr_array_add (windows, g_steal_pointer (&window));
    }

  return windows;
}

static gboolean
only_toplevels_left (gpointer data)
{
  GPtrArray *before = data;
  g_autoptr(GPtrArray) now = list_toplevels ();

  for (guint i = 0; i < now->len; i++)
    if (!g_ptr_array_find (before, now->pdata[i], NULL))
      return FALSE;

  return TRUE;
}

/* Closes, as a user would, every toplevel that is not in @before, and waits until they went. */
static void
close_new_toplevels (GPtrArray *before)
{
  g_autoptr(GPtrArray) now = list_toplevels ();

  for (guint i = 0; i < now->len; i++)
    if (!g_ptr_array_find (before, now->pdata[i], NULL))
      gtk_window_close (now->pdata[i]);

  g_assert_true (spin_until (only_toplevels_left, before, 5000));
}

static ReelWindow *
present_new_window (void)
{
  ReelWindow *window = reel_window_new (ADW_APPLICATION (app));

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (spin_until (is_mapped, window, 5000));

  return window;
}

static void
close_window (ReelWindow *window)
{
  g_autoptr(GtkWindow) ref = g_object_ref (GTK_WINDOW (window));

  gtk_window_close (ref);
  reel_test_settle ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (ref)));
}

#ifdef GDK_WINDOWING_X11
/* Xvfb runs no window manager, and without one nothing is ever maximised. This stands in for
 * the part of one the window state needs, on a connection of its own: it announces (EWMH)
 * that windows can be maximised, and carries out the _NET_WM_STATE requests GTK sends to the
 * root window by setting the window's _NET_WM_STATE, which GTK reads back as its state.
 * Only when no real window manager is running. */
typedef struct {
  Display *display;
  Window check_window;
  Atom net_wm_state;
  guint watch_id;
} StandInWindowManager;

static StandInWindowManager wm;

static void
stand_in_change_state (Window window,
                       long   action,
                       Atom   first,
                       Atom   second)
{
  g_autoptr(GArray) atoms = g_array_new (FALSE, FALSE, sizeof (Atom));
  Atom type;
  int format;
  unsigned long n_items, remaining;
  unsigned char *data = NULL;
  Atom changed[] = { first, second };

  if (XGetWindowProperty (wm.display, window, wm.net_wm_state, 0, 64, False, XA_ATOM, &type,
                          &format, &n_items, &remaining, &data) == Success && data != NULL)
    {
      g_array_append_vals (atoms, data, n_items);
      XFree (data);
    }

  for (guint c = 0; c < G_N_ELEMENTS (changed); c++)
    {
      gboolean present = FALSE;

      if (changed[c] == None)
        continue;
      for (guint i = 0; i < atoms->len; i++)
        if (g_array_index (atoms, Atom, i) == changed[c])
          {
            present = TRUE;
            if (action != 1)  /* remove or toggle */
              g_array_remove_index (atoms, i);
            break;
          }
      if (!present && action != 0)  /* add or toggle */
        g_array_append_val (atoms, changed[c]);
    }

  XChangeProperty (wm.display, window, wm.net_wm_state, XA_ATOM, 32, PropModeReplace,
                   (unsigned char *) atoms->data, atoms->len);
  XFlush (wm.display);
}

static gboolean
stand_in_events_cb (int          fd,
                    GIOCondition condition,
                    gpointer     user_data)
{
  while (XPending (wm.display) > 0)
    {
      XEvent event;

      XNextEvent (wm.display, &event);
      if (event.type == ClientMessage && event.xclient.message_type == wm.net_wm_state)
        stand_in_change_state (event.xclient.window, event.xclient.data.l[0],
                               event.xclient.data.l[1], event.xclient.data.l[2]);
    }

  return G_SOURCE_CONTINUE;
}

static void
stand_in_for_window_manager (void)
{
  Window root;
  Atom check_atom, supported[3];
  Atom type;
  int format;
  unsigned long n_items, remaining;
  unsigned char *data = NULL;

  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    return;

  wm.display = XOpenDisplay (NULL);
  g_assert_nonnull (wm.display);
  root = DefaultRootWindow (wm.display);
  check_atom = XInternAtom (wm.display, "_NET_SUPPORTING_WM_CHECK", False);
  if (XGetWindowProperty (wm.display, root, check_atom, 0, 1, False, XA_WINDOW, &type, &format,
                          &n_items, &remaining, &data) == Success && data != NULL)
    {
      XFree (data);
      if (n_items > 0)
        {
          g_clear_pointer (&wm.display, XCloseDisplay);
          return;  /* a real one is running */
        }
    }

  wm.net_wm_state = XInternAtom (wm.display, "_NET_WM_STATE", False);
  wm.check_window = XCreateSimpleWindow (wm.display, root, -1, -1, 1, 1, 0, 0, 0);
  XChangeProperty (wm.display, wm.check_window, check_atom, XA_WINDOW, 32, PropModeReplace,
                   (unsigned char *) &wm.check_window, 1);
  XChangeProperty (wm.display, root, check_atom, XA_WINDOW, 32, PropModeReplace,
                   (unsigned char *) &wm.check_window, 1);
  supported[0] = wm.net_wm_state;
  supported[1] = XInternAtom (wm.display, "_NET_WM_STATE_MAXIMIZED_VERT", False);
  supported[2] = XInternAtom (wm.display, "_NET_WM_STATE_MAXIMIZED_HORZ", False);
  XChangeProperty (wm.display, root, XInternAtom (wm.display, "_NET_SUPPORTED", False), XA_ATOM,
                   32, PropModeReplace, (unsigned char *) supported, G_N_ELEMENTS (supported));
  XSelectInput (wm.display, root, SubstructureNotifyMask);
  XSync (wm.display, False);

  wm.watch_id = g_unix_fd_add (ConnectionNumber (wm.display), G_IO_IN, stand_in_events_cb, NULL);
}

/* Other tests may share the display: leave it as it was. */
static void
stop_standing_in (void)
{
  Window root;

  if (wm.display == NULL)
    return;

  root = DefaultRootWindow (wm.display);
  g_clear_handle_id (&wm.watch_id, g_source_remove);
  XDeleteProperty (wm.display, root, XInternAtom (wm.display, "_NET_SUPPORTING_WM_CHECK", False));
  XDeleteProperty (wm.display, root, XInternAtom (wm.display, "_NET_SUPPORTED", False));
  XDestroyWindow (wm.display, wm.check_window);
  g_clear_pointer (&wm.display, XCloseDisplay);
}
#else
static void stand_in_for_window_manager (void) { }
static void stop_standing_in (void) { }
#endif

/* Tests */

/* The window opens on the board, shows the four views and switches between them. */
static void
test_window_views (void)
{
  static const struct {
    const char *name;
    GType (*get_type) (void);
  } views[] = {
    { "board", reel_board_view_get_type },
    { "shot-list", reel_shot_list_view_get_type },
    { "preview", reel_preview_view_get_type },
    { "set", reel_set_view_get_type },
  };
  ReelWindow *window;
  AdwViewStack *stack;
  AdwViewSwitcherTitle *switcher;
  g_autoptr(GtkSelectionModel) pages = NULL;

  g_application_activate (G_APPLICATION (app));
  window = REEL_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (REEL_IS_WINDOW (window));
  g_assert_true (spin_until (is_mapped, window, 5000));

  stack = ADW_VIEW_STACK (find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK));
  g_assert_nonnull (stack);
  switcher = ADW_VIEW_SWITCHER_TITLE (find_descendant (GTK_WIDGET (window),
                                                       ADW_TYPE_VIEW_SWITCHER_TITLE));
  g_assert_nonnull (switcher);
  g_assert_true (adw_view_switcher_title_get_stack (switcher) == stack);

  pages = adw_view_stack_get_pages (stack);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pages)), ==, G_N_ELEMENTS (views));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "board");

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      GtkWidget *child = adw_view_stack_page_get_child (page);

      g_assert_cmpstr (adw_view_stack_page_get_name (page), ==, views[i].name);
      g_assert_nonnull (adw_view_stack_page_get_title (page));
      g_assert_nonnull (adw_view_stack_page_get_icon_name (page));

      /* The action behind Alt+1…3 (and the Set's page) shows the view; the Shot List, the
       * Preview and the Set are built then, inside their page. */
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s",
                                                 views[i].name));
      g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, views[i].name);
      child = find_descendant (child, views[i].get_type ());
      g_assert_nonnull (child);
      g_assert_true (spin_until (is_mapped, child, 5000));
    }

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "board");
}

static void
collect_template_classes (GMarkupParseContext  *context,
                          const char           *element,
                          const char          **names,
                          const char          **values,
                          gpointer              user_data,
                          GError              **error)
{
  GPtrArray *classes = user_data;

  if (!g_str_equal (element, "template"))
    return;

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], "class"))
      g_ptr_array_add (classes, g_strdup (values[i]));
}

/* Every .ui file of the resource, below @path. */
static void
list_ui_resources (const char *path,
                   GPtrArray  *found)
{
  g_auto(GStrv) children = g_resources_enumerate_children (path, 0, NULL);

  for (guint i = 0; children != NULL && children[i] != NULL; i++)
    {
      g_autofree char *child = g_strconcat (path, children[i], NULL);

      if (g_str_has_suffix (children[i], "/"))
        list_ui_resources (child, found);
      else if (g_str_has_suffix (children[i], ".ui"))
        g_ptr_array_add (found, g_steal_pointer (&child));
    }
}

/* Every template of the resource instantiates, and every other .ui file builds. */
static void
test_templates (void)
{
  static const GMarkupParser parser = { collect_template_classes, NULL, NULL, NULL, NULL };
  g_autoptr(GPtrArray) ui_files = g_ptr_array_new_with_free_func (g_free);
  guint n_templates = 0;

  for (guint i = 0; i < G_N_ELEMENTS (template_types); i++)
    g_type_ensure (template_types[i].get_type ());

  list_ui_resources (RESOURCE_PREFIX "/", ui_files);
  g_assert_cmpuint (ui_files->len, >, 0);

  for (guint i = 0; i < ui_files->len; i++)
    {
      const char *path = ui_files->pdata[i];
      g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);
      g_autoptr(GPtrArray) classes = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GMarkupParseContext) context = NULL;
      g_autoptr(GError) error = NULL;
      gsize size;
      const char *text = g_bytes_get_data (bytes, &size);

      context = g_markup_parse_context_new (&parser, 0, classes, NULL);
      g_markup_parse_context_parse (context, text, size, &error);
      g_assert_no_error (error);

      if (classes->len == 0)
        {
          /* Not a template (the help overlay, menus): it builds on its own. */
          g_autoptr(GtkBuilder) builder = gtk_builder_new ();
          g_autoptr(GSList) objects = NULL;

          gtk_builder_add_from_resource (builder, path, &error);
          g_assert_no_error (error);
          objects = gtk_builder_get_objects (builder);
          for (GSList *l = objects; l != NULL; l = l->next)
            if (GTK_IS_WINDOW (l->data))
              gtk_window_destroy (l->data);
          continue;
        }

      for (guint c = 0; c < classes->len; c++)
        {
          const char *name = classes->pdata[c];
          GType type = G_TYPE_INVALID;
          GObject *object;

          for (guint t = 0; t < G_N_ELEMENTS (template_types); t++)
            if (g_str_equal (template_types[t].name, name))
              type = template_types[t].get_type ();

          if (type == G_TYPE_INVALID)
            g_error ("%s defines the template %s, which template_types[] of %s does not list",
                     path, name, __FILE__);

          g_test_message ("%s: %s", path, name);
          object = g_object_ref_sink (g_object_new (type, NULL));
          g_assert_true (GTK_IS_WIDGET (object));
          if (GTK_IS_WINDOW (object))
            gtk_window_destroy (GTK_WINDOW (object));
          g_object_unref (object);
          n_templates++;
        }
    }

  g_assert_cmpuint (n_templates, >=, G_N_ELEMENTS (template_types));
}

typedef struct {
  char *label;   /* as shown: without the mnemonic's underscore */
  char *action;  /* detailed */
} MenuItem;

static char *
strip_mnemonic (const char *label)
{
  GString *text = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_')
        p++;
      if (*p == '\0')
        break;
      g_string_append_c (text, *p);
    }

  return g_string_free (text, FALSE);
}

static void
menu_item_free (gpointer data)
{
  MenuItem *item = data;

  g_free (item->label);
  g_free (item->action);
  g_free (item);
}

static void
collect_menu_items (GMenuModel *model,
                    GPtrArray  *items)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr(GMenuLinkIter) links = g_menu_model_iterate_item_links (model, i);
      g_autofree char *action = NULL;
      GMenuModel *link;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
        {
          g_autoptr(GVariant) target =
            g_menu_model_get_item_attribute_value (model, i, G_MENU_ATTRIBUTE_TARGET, NULL);
          g_autofree char *label = NULL;
          MenuItem *item = g_new0 (MenuItem, 1);

          g_assert_true (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s",
                                                          &label));
          item->label = strip_mnemonic (label);
          item->action = g_action_print_detailed_name (action, target);
          g_ptr_array_add (items, item);
        }

      while (g_menu_link_iter_get_next (links, NULL, &link))
        {
          collect_menu_items (link, items);
          g_object_unref (link);
        }
    }
}

/* The sensitivity of each item of an open popover menu, by its label. The popover's buttons
 * follow the enabled state of their actions, which is what a user sees as a greyed-out item. */
static void
collect_item_sensitivity (GtkWidget  *widget,
                          GHashTable *sensitive)
{
  if (g_str_equal (G_OBJECT_TYPE_NAME (widget), "GtkModelButton"))
    {
      g_autofree char *text = NULL;

      g_object_get (widget, "text", &text, NULL);
      if (text != NULL)
        g_hash_table_insert (sensitive, g_steal_pointer (&text),
                             GINT_TO_POINTER (gtk_widget_is_sensitive (widget)));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_item_sensitivity (child, sensitive);
}

static gboolean
is_window_of_type (gpointer data)
{
  GType type = GPOINTER_TO_SIZE (data);
  g_autoptr(GPtrArray) now = list_toplevels ();

  for (guint i = 0; i < now->len; i++)
    if (G_TYPE_CHECK_INSTANCE_TYPE (now->pdata[i], type) && gtk_widget_get_mapped (now->pdata[i]))
      return TRUE;

  return FALSE;
}

static gboolean
popover_is_mapped (gpointer menu_button)
{
  return gtk_widget_get_mapped (GTK_WIDGET (gtk_menu_button_get_popover (menu_button)));
}

/* Every item of the primary menu is enabled, and does what it says without a warning. */
static void
test_primary_menu (void)
{
  ReelWindow *window = present_new_window ();
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (menu_item_free);
  g_autoptr(GHashTable) sensitive = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GtkMenuButton *menu_button;
  GMenuModel *menu;

  /* The window has other menus (a scene's actions): the primary one answers F10. */
  menu_button = GTK_MENU_BUTTON (find_descendant_where (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON,
                                                        is_primary_menu_button));
  g_assert_nonnull (menu_button);

  menu = gtk_menu_button_get_menu_model (menu_button);
  g_assert_nonnull (menu);
  collect_menu_items (menu, items);
  g_assert_cmpuint (items->len, >=, 7);

  /* As the user sees it: open the menu and look at the items. */
  gtk_menu_button_popup (menu_button);
  g_assert_true (spin_until (popover_is_mapped, menu_button, 5000));
  reel_test_settle ();
  collect_item_sensitivity (GTK_WIDGET (gtk_menu_button_get_popover (menu_button)), sensitive);
  gtk_menu_button_popdown (menu_button);

  for (guint i = 0; i < items->len; i++)
    {
      MenuItem *item = items->pdata[i];
      const char *detailed = item->action;
      g_autofree char *name = NULL;
      g_autoptr(GVariant) target = NULL;
      g_autoptr(GPtrArray) before = list_toplevels ();
      g_autoptr(GError) error = NULL;
      GType expected = G_TYPE_INVALID;

      g_test_message ("menu item '%s': %s", item->label, detailed);
      if (!g_hash_table_contains (sensitive, item->label))
        g_error ("The menu item '%s' is not in the open menu", item->label);
      if (!GPOINTER_TO_INT (g_hash_table_lookup (sensitive, item->label)))
        g_error ("The menu item '%s' is disabled: %s is missing or disabled", item->label,
                 detailed);

      g_action_parse_detailed_name (detailed, &name, &target, &error);
      g_assert_no_error (error);
      g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (window), name, target));

      for (guint e = 0; e < G_N_ELEMENTS (menu_effects); e++)
        if (g_str_equal (menu_effects[e].action, detailed))
          expected = menu_effects[e].window_type ();

      if (expected != G_TYPE_INVALID)
        {
          if (!spin_until (is_window_of_type, GSIZE_TO_POINTER (expected), 5000))
            g_error ("%s did not open a %s", detailed, g_type_name (expected));
        }
      else
        {
          reel_test_settle ();
        }

      close_new_toplevels (before);
    }

  close_window (window);
}

static gboolean
window_has_class_action (GType       type,
                         const char *name)
{
  GtkWidgetClass *klass = g_type_class_ref (type);
  GType owner;
  const char *action_name;
  const GVariantType *parameter_type;
  const char *property_name;
  gboolean found = FALSE;

  /* Every out argument is written, so none may be NULL. */
  for (guint i = 0;
       !found && gtk_widget_class_query_action (klass, i, &owner, &action_name,
                                                &parameter_type, &property_name);
       i++)
    found = g_str_equal (action_name, name);

  g_type_class_unref (klass);
  return found;
}

static gboolean
action_exists (ReelWindow *window,
               const char *detailed)
{
  g_autofree char *name = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autoptr(GError) error = NULL;

  g_action_parse_detailed_name (detailed, &name, &target, &error);
  g_assert_no_error (error);

  if (g_str_has_prefix (name, "app."))
    return g_action_group_has_action (G_ACTION_GROUP (app), name + strlen ("app."));

  if (g_str_has_prefix (name, "win.") &&
      g_action_group_has_action (G_ACTION_GROUP (window), name + strlen ("win.")))
    return TRUE;

  /* Actions installed on the widget classes: win.* on ReelWindow, window.* from GtkWindow. */
  return window_has_class_action (REEL_TYPE_WINDOW, name);
}

static gboolean
trigger_matches (GtkShortcutTrigger *trigger,
                 guint               keyval,
                 GdkModifierType     modifiers)
{
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    {
      GtkAlternativeTrigger *alternative = GTK_ALTERNATIVE_TRIGGER (trigger);

      return trigger_matches (gtk_alternative_trigger_get_first (alternative), keyval, modifiers) ||
             trigger_matches (gtk_alternative_trigger_get_second (alternative), keyval, modifiers);
    }

  return GTK_IS_KEYVAL_TRIGGER (trigger) &&
         gdk_keyval_to_lower (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger))) ==
           gdk_keyval_to_lower (keyval) &&
         gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers;
}

/* Whether a shortcut controller of @widget or of a descendant answers the key: the keys of a
 * view (a single letter on the board) belong to it, not to the application, so that they do
 * not fire while someone types in an entry. */
static gboolean
widget_answers_key (GtkWidget       *widget,
                    guint            keyval,
                    GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint s = 0; s < g_list_model_get_n_items (G_LIST_MODEL (controller)); s++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), s);

          if (trigger_matches (gtk_shortcut_get_trigger (shortcut), keyval, modifiers))
            return TRUE;
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (widget_answers_key (child, keyval, modifiers))
      return TRUE;

  return FALSE;
}

static void
walk_shortcuts (GtkWidget *widget,
                GPtrArray *shortcuts)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    g_ptr_array_add (shortcuts, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk_shortcuts (child, shortcuts);
}

/* Every accelerator leads to an action that exists, and the Keyboard Shortcuts window shows
 * only shortcuts that work. */
static void
test_accelerators (void)
{
  ReelWindow *window = present_new_window ();
  g_auto(GStrv) described = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GPtrArray) shortcuts = g_ptr_array_new ();
  GtkWidget *overlay;

  /* The Shot List and the Preview are built when first shown, their shortcuts with them. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "shot-list");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "preview");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "set");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "board");

  g_assert_nonnull (described);
  g_assert_cmpuint (g_strv_length (described), >=, 10);
  for (guint i = 0; described[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                      described[i]);

      g_test_message ("%s: %s", described[i], accels[0]);
      if (!action_exists (window, described[i]))
        g_error ("The accelerator %s leads to %s, which does not exist", accels[0],
                 described[i]);
      for (guint a = 0; accels[a] != NULL; a++)
        {
          guint key;
          GdkModifierType mods;

          g_assert_true (gtk_accelerator_parse (accels[a], &key, &mods));
          g_assert_cmpuint (key, !=, 0);
        }
    }

  builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/help-overlay.ui");
  overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  walk_shortcuts (overlay, shortcuts);
  g_assert_cmpuint (shortcuts->len, >, 0);

  for (guint i = 0; i < shortcuts->len; i++)
    {
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *action_name = NULL;
      g_autofree char *accelerator = NULL;
      GtkShortcutType type;

      g_object_get (shortcuts->pdata[i],
                    "title", &title,
                    "subtitle", &subtitle,
                    "action-name", &action_name,
                    "accelerator", &accelerator,
                    "shortcut-type", &type,
                    NULL);
      g_test_message ("shortcut %s: %s %s", title, action_name, accelerator);

      if (type != GTK_SHORTCUT_ACCELERATOR)
        {
          /* A pointer gesture (pinch, Ctrl + scroll): a title, and a custom gesture says in
           * its subtitle what to do. */
          g_assert_true (title != NULL && *title != '\0');
          if (type == GTK_SHORTCUT_GESTURE)
            g_assert_true (subtitle != NULL && *subtitle != '\0');
        }
      else if (action_name != NULL)
        {
          g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                          action_name);

          if (accels[0] == NULL)
            g_error ("The shortcut '%s' shows %s, which has no accelerator", title, action_name);
        }
      else if (accelerator != NULL)
        {
          /* A shortcut given by its keys (a view switch, a drawing tool) works only if an
           * accelerator of the application or a shortcut of the window answers each of them. */
          g_auto(GStrv) keys = g_strsplit (accelerator, " ", -1);

          for (guint k = 0; keys[k] != NULL; k++)
            {
              g_auto(GStrv) mapped = NULL;
              guint keyval;
              GdkModifierType modifiers;

              if (*keys[k] == '\0')
                continue;
              g_assert_true (gtk_accelerator_parse (keys[k], &keyval, &modifiers));
              mapped = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), keys[k]);
              if (mapped[0] == NULL && !widget_answers_key (GTK_WIDGET (window), keyval, modifiers))
                g_error ("The shortcut '%s' shows %s, which nothing in the window answers", title,
                         keys[k]);
            }
        }
      else
        {
          g_error ("The shortcut '%s' names neither an action nor keys", title);
        }
    }

  gtk_window_destroy (GTK_WINDOW (overlay));
  close_window (window);
}

/* The window opens at the size it was closed at, and maximised if it was. */
static void
test_window_state (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  ReelWindow *window;
  int width, height;

  g_settings_reset (settings, "window-size");
  g_settings_reset (settings, "window-maximized");

  window = present_new_window ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  close_window (window);
  g_settings_get (settings, "window-size", "(ii)", &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  window = present_new_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);
  g_assert_false (gtk_window_is_maximized (GTK_WINDOW (window)));
  close_window (window);

  /* The user maximises it: closing keeps the size it returns to when unmaximised, not the
   * size of the screen. */
  window = present_new_window ();
  gtk_window_maximize (GTK_WINDOW (window));
  g_assert_true (spin_until (is_maximized, window, 5000));
  close_window (window);
  g_assert_true (g_settings_get_boolean (settings, "window-maximized"));
  g_settings_get (settings, "window-size", "(ii)", &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);

  /* The next window opens maximised. */
  window = present_new_window ();
  if (!spin_until (is_maximized, window, 5000))
    g_error ("The window was closed maximised but opens unmaximised. (On X11, GTK 4.8 drops a "
             "gtk_window_maximize() made before the window is mapped: make it once mapped.)");

  /* Unmaximised again, and the next one opens at its size. */
  gtk_window_unmaximize (GTK_WINDOW (window));
  g_assert_true (spin_until (is_unmaximized, window, 5000));
  close_window (window);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  window = present_new_window ();
  g_assert_false (gtk_window_is_maximized (GTK_WINDOW (window)));
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);
  close_window (window);

  g_settings_reset (settings, "window-size");
  g_settings_reset (settings, "window-maximized");
}

/* What GTK last drew of @widget, or NULL if it has not drawn it. */
static GskRenderNode *
dup_drawn_node (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), gtk_widget_get_width (widget),
                          gtk_widget_get_height (widget));
  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

static void
count_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  guint *paints = user_data;

  (*paints)++;
}

static gboolean
has_painted (gpointer user_data)
{
  guint *paints = user_data;

  return *paints > 0;
}

/* The mean luminance (0…255) of the top rows of the window as GTK draws it: the header bar,
 * whose colours come from the style alone, whatever the views show. */
static double
window_luminance (ReelWindow *window)
{
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  int width = gtk_widget_get_width (GTK_WIDGET (window));
  int height = gtk_widget_get_height (GTK_WIDGET (window));
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  guint paints = 0;
  gulong paint_id;
  double sum = 0;

  /* What GTK draws after the change of style, which on a busy machine may take a while. */
  paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (count_paint_cb), &paints);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  g_assert_true (spin_until (has_painted, &paints, 10000));
  g_signal_handler_disconnect (clock, paint_id);
  node = dup_drawn_node (GTK_WIDGET (window));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, (gsize) width * 4);

  /* Cairo ARGB32 in memory order B, G, R, A on little-endian machines; the weights make it
   * a luminance either way round only approximately, which is all the test needs. */
  height = MIN (height, 24);
  for (gsize i = 0; i < (gsize) width * height; i++)
    sum += 0.3 * pixels[i * 4 + 2] + 0.59 * pixels[i * 4 + 1] + 0.11 * pixels[i * 4];

  return sum / ((double) width * height);
}

/* The style preference switches libadwaita between light and dark, and the window follows. */
static void
test_style (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  AdwStyleManager *manager = adw_style_manager_get_default ();
  ReelWindow *window = present_new_window ();
  double light, dark;

  g_settings_set_string (settings, "style-variant", "dark");
  reel_test_settle ();
  g_assert_cmpint (adw_style_manager_get_color_scheme (manager), ==,
                   ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (manager));
  dark = window_luminance (window);

  g_settings_set_string (settings, "style-variant", "light");
  reel_test_settle ();
  g_assert_cmpint (adw_style_manager_get_color_scheme (manager), ==,
                   ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_false (adw_style_manager_get_dark (manager));
  light = window_luminance (window);

  g_test_message ("header bar luminance: light %.0f, dark %.0f", light, dark);
  g_assert_cmpfloat (light, >, 180);
  g_assert_cmpfloat (dark, <, 100);

  g_settings_set_string (settings, "style-variant", "default");
  reel_test_settle ();
  g_assert_cmpint (adw_style_manager_get_color_scheme (manager), ==, ADW_COLOR_SCHEME_DEFAULT);

  close_window (window);
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFile *child;

  while (children != NULL &&
         g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) && child != NULL)
    remove_tree (child);

  g_file_delete (file, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) home_dir = NULL;
  g_autofree char *home = NULL;
  int status;

  /* A home of its own, so that no autosaved work or recent file another test left in the
   * shared test home changes what the window shows. Set before GLib first reads them. */
  home = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR")
                                                        : g_get_tmp_dir (),
                           "home-foundation-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (home));
  home_dir = g_file_new_for_path (home);
  for (guint i = 0; i < 4; i++)
    {
      static const char * const variables[] = {
        "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"
      };
      g_autofree char *dir = g_build_filename (home, variables[i], NULL);

      g_setenv (variables[i], dir, TRUE);
    }

  reel_test_require_x11 (FALSE);
  gtk_test_init (&argc, &argv, NULL);
  stand_in_for_window_manager ();

  app = reel_application_new ();
  /* Other tests may run at the same time on the same bus: never hand over to them. */
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  /* No window must stop the tests, and no last window closed must end the application. */
  g_application_hold (G_APPLICATION (app));

  g_test_add_func ("/foundation/window-views", test_window_views);
  g_test_add_func ("/foundation/templates", test_templates);
  g_test_add_func ("/foundation/primary-menu", test_primary_menu);
  g_test_add_func ("/foundation/accelerators", test_accelerators);
  g_test_add_func ("/foundation/window-state", test_window_state);
  g_test_add_func ("/foundation/style", test_style);

  status = reel_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  stop_standing_in ();
  remove_tree (home_dir);

  return status;
}
