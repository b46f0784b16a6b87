/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "storage/reel-autosave.h"

#include "reel-board-view.h"
#include "reel-preview-view.h"
#include "reel-set-view.h"
#include "reel-shot-list-view.h"
#include "reel-window.h"

G_BEGIN_DECLS

struct _ReelWindow
{
  AdwApplicationWindow parent_instance;

  GSettings *settings;
  /* Cancelled when the window closes: loads, saves, clipboard reads. */
  GCancellable *cancellable;

  ReelProject *project;
  ReelShot *current_shot;
  /* Where the current shot was, so that when it leaves the project (deleted, or an
   * insert undone) its neighbour becomes current. */
  ReelScene *current_scene;
  guint current_position;
  guint check_current_idle;
  /* Structural edits under way: the current shot stays as it is meanwhile. */
  guint holding_current;
  GListStore *selected_shots;
  GFile *file;

  /* Template */
  AdwHeaderBar *header_bar;
  AdwWindowTitle *document_title;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  guint                 switcher_bar_idle;
  GtkMenuButton *primary_menu_button;
  GtkButton *undo_button;
  GtkButton *redo_button;
  AdwViewStack *view_stack;
  ReelBoardView *board_view;
  /* Built when their pages are first shown (reel_window_ensure_page()), NULL before. */
  AdwBin *shot_list_page;
  AdwBin *preview_page;
  AdwBin *set_page;
  ReelShotListView *shot_list_view;
  ReelPreviewView *preview_view;
  ReelSetView *set_view;
  AdwToastOverlay *toast_overlay;
  GMenu *recent_menu;

  GtkRecentManager *recent_manager;
  GdkClipboard *clipboard;

  guint busy_count;
  /* busy_count > 0, or the Board's canvas busy (reel_window_compute_busy()), as last notified */
  gboolean busy;
  /* The user answered the unsaved-changes question: let the next close through. */
  guint close_confirmed : 1;
  /* Close once the save under way has succeeded. */
  guint close_after_save : 1;
  /* Set while the window itself changes the selection, to ignore the echo. */
  guint updating_selection : 1;

  /* Writes unsaved work to a recovery file; follows the project by itself. */
  ReelAutosave *autosave;
  AdwMessageDialog *close_dialog;

  /* Generations under way for this window's project: asked about on close, cancelled
   * when it closes. */
  ReelJobs *jobs;
  AdwMessageDialog *jobs_dialog;
  /* "Wait": close once the last of them has ended. */
  gulong close_when_done_handler;
};

/* reel-window.c */
void     _reel_window_sync_file              (ReelWindow   *self);
void     _reel_window_update_title           (ReelWindow   *self);
void     _reel_window_resync_current_shot    (ReelWindow   *self);
void     _reel_window_show_error             (ReelWindow   *self,
                                              const char   *heading,
                                              const GError *error);
void     _reel_window_hold_busy              (ReelWindow   *self);
void     _reel_window_release_busy           (ReelWindow   *self);

/* reel-window-actions.c: undo/redo, shots, scenes, clipboard */
void     _reel_window_class_init_actions     (GtkWidgetClass *widget_class);
void     _reel_window_init_actions           (ReelWindow     *self);
void     _reel_window_update_actions         (ReelWindow     *self);
/* The shot before/after @shot across scene boundaries (transfer none), or NULL. */
ReelShot *_reel_window_get_neighbour_shot    (ReelWindow     *self,
                                              ReelShot       *shot,
                                              int             direction);

/* reel-window-document.c: save, save as, close, autosave, recent files */
void     _reel_window_class_init_document    (GtkWidgetClass *widget_class);
void     _reel_window_init_document          (ReelWindow     *self);
void     _reel_window_dispose_document       (ReelWindow     *self);
/* TRUE when the window may close now; otherwise it asks and closes later. */
gboolean _reel_window_confirm_close          (ReelWindow     *self);
/* TRUE when no generation runs; otherwise asks to wait for them or cancel them, and
 * closes later. */
gboolean _reel_window_confirm_close_jobs     (ReelWindow     *self);
/* The window shows another project now. */
void     _reel_window_document_project_set   (ReelWindow     *self);
void     _reel_window_add_recent             (ReelWindow     *self,
                                              GFile          *file);

/* reel-window-dnd.c: files dropped on the window */
void     _reel_window_init_dnd               (ReelWindow     *self);

G_END_DECLS
