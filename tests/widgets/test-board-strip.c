/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-test-board"

#include "config.h"

#include <adwaita.h>
#include <time.h>

#include "storage/reel-demo.h"
#include "widgets/reel-board-view.h"
#include "widgets/reel-canvas.h"
#include "widgets/reel-shot-card.h"
#include "widgets/reel-shot-strip.h"

#include "test-board-util.h"
#include "../reel-test-require.h"
#include "../reel-test-wait.h"

/* The strip of shot cards: a project of 1,000 shots scrolls from end to end with
 * thumbnails rendered off the main thread (the longest frame is printed), and the
 * cards answer real clicks and drags. */

typedef struct
{
  GtkWindow     *window;
  ReelBoardView *board;
  ReelShotStrip *strip;
} Board;

static gboolean
board_is_ready (gpointer data)
{
  Board *board = data;
  ReelCanvas *canvas = REEL_CANVAS (reel_board_view_get_canvas (board->board));

  return gtk_widget_get_mapped (GTK_WIDGET (canvas)) && !reel_canvas_is_rendering (canvas);
}

static void
board_open (Board       *board,
            ReelProject *project)
{
  board->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (board->window, 1400, 900);
  board->board = g_object_new (REEL_TYPE_BOARD_VIEW, "project", project, NULL);
  board->strip = REEL_SHOT_STRIP (reel_board_view_get_strip (board->board));
  gtk_window_set_child (board->window, GTK_WIDGET (board->board));
  gtk_window_present (board->window);
  g_assert_true (board_test_spin_until (board_is_ready, board, 20000));
}

static void
board_close (Board *board)
{
  gtk_window_destroy (board->window);
  board_test_settle ();
}

static void
collect_cards (GtkWidget *widget,
               GPtrArray *cards)
{
  if (REEL_IS_SHOT_CARD (widget) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (cards, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_cards (child, cards);
}

static ReelShotCard *
find_card (ReelShotStrip *strip,
           GObject       *item)
{
  g_autoptr(GPtrArray) cards = g_ptr_array_new ();

  collect_cards (GTK_WIDGET (strip), cards);
  for (guint i = 0; i < cards->len; i++)
    if (reel_shot_card_get_item (cards->pdata[i]) == item)
      return cards->pdata[i];

  return NULL;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      found = find_descendant (child, type);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkPicture *
card_picture (ReelShotCard *card)
{
  return GTK_PICTURE (find_descendant (GTK_WIDGET (card), GTK_TYPE_PICTURE));
}

/* Every shot card on screen shows its thumbnail. */
static gboolean
thumbnails_shown (gpointer data)
{
  ReelShotStrip *strip = data;
  g_autoptr(GPtrArray) cards = g_ptr_array_new ();
  guint n_shots = 0;

  collect_cards (GTK_WIDGET (strip), cards);
  for (guint i = 0; i < cards->len; i++)
    {
      ReelShotCard *card = cards->pdata[i];

      if (!REEL_IS_SHOT (reel_shot_card_get_item (card)))
        continue;

      n_shots++;
      if (gtk_picture_get_paintable (card_picture (card)) == NULL)
        return FALSE;
    }

  return n_shots > 0;
}

typedef struct
{
  GtkAdjustment *adjustment;
  double         step;
  gboolean       scrolling;
  gboolean       done;
  gint64         last_paint;
  gint64         longest;
  gint64         total;
  guint          n_frames;
  /* CPU time of the main thread: what the frame cost us, whatever else the
   * machine is doing meanwhile. */
  gint64         last_cpu;
  gint64         longest_cpu;
  gint64         total_cpu;
} Scroll;

static gint64
thread_cpu_time (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static void
after_paint_cb (GdkFrameClock *clock,
                Scroll        *scroll)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_time ();

  if (scroll->scrolling && scroll->last_paint != 0)
    {
      gint64 interval = now - scroll->last_paint;

      scroll->longest = MAX (scroll->longest, interval);
      scroll->total += interval;
      scroll->longest_cpu = MAX (scroll->longest_cpu, cpu - scroll->last_cpu);
      scroll->total_cpu += cpu - scroll->last_cpu;
      scroll->n_frames++;
    }

  scroll->last_paint = now;
  scroll->last_cpu = cpu;
}

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  Scroll *scroll = user_data;
  double end = gtk_adjustment_get_upper (scroll->adjustment) -
               gtk_adjustment_get_page_size (scroll->adjustment);
  double value = gtk_adjustment_get_value (scroll->adjustment);

  if (value >= end)
    {
      scroll->scrolling = FALSE;
      scroll->done = TRUE;
      return G_SOURCE_REMOVE;
    }

  scroll->scrolling = TRUE;
  gtk_adjustment_set_value (scroll->adjustment, MIN (value + scroll->step, end));

  return G_SOURCE_CONTINUE;
}

static gboolean
scroll_done (gpointer data)
{
  return ((Scroll *) data)->done;
}

static void
test_scroll_thousand_shots (void)
{
  g_autoptr(ReelProject) project = board_test_project_new (10, 100);
  ReelScene *last_scene;
  ReelShot *last_shot;
  Scroll scroll = { 0 };
  GdkFrameClock *clock;
  ReelThumbnailer *thumbnailer;
  Board board;
  gulong handler;

  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 1000);
  board_open (&board, project);

  /* Ten scene headings and a thousand shots. */
  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_strip_get_items (board.strip)), ==, 1010);
  g_assert_true (board_test_spin_until (thumbnails_shown, board.strip, 10000));

  scroll.adjustment = reel_shot_strip_get_hadjustment (board.strip);
  /* A third of a page a frame: a quick flick through the strip, about three seconds at
   * 60 frames a second for the whole project. */
  scroll.step = gtk_adjustment_get_page_size (scroll.adjustment) / 3;
  g_assert_cmpfloat (gtk_adjustment_get_upper (scroll.adjustment), >,
                     100 * gtk_adjustment_get_page_size (scroll.adjustment) / 3);

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (board.window));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &scroll);
  gtk_widget_add_tick_callback (GTK_WIDGET (board.strip), scroll_tick_cb, &scroll, NULL);
  /* Some 300 frames: a minute on an idle machine under Xvfb's software rendering, several
   * on a loaded one. What is bounded below is each frame's own processor time. */
  g_assert_true (board_test_spin_until (scroll_done, &scroll, 450000));
  g_signal_handler_disconnect (clock, handler);

  /* The strip got to its end: the last shot's card is there, with its thumbnail. */
  g_assert_cmpfloat (gtk_adjustment_get_value (scroll.adjustment), ==,
                     gtk_adjustment_get_upper (scroll.adjustment) -
                     gtk_adjustment_get_page_size (scroll.adjustment));
  last_scene = reel_project_get_scene (project, 9);
  last_shot = reel_scene_get_shot (last_scene, 99);
  g_assert_nonnull (find_card (board.strip, G_OBJECT (last_shot)));
  g_assert_true (board_test_spin_until (thumbnails_shown, board.strip, 10000));

  thumbnailer = reel_shot_strip_get_thumbnailer (board.strip);
  g_test_message ("strip of 1,000 shots scrolled end to end in %u frames", scroll.n_frames);
  g_test_message ("longest frame while scrolling: %.1f ms (goal: under 50 ms)",
                  scroll.longest / 1000.0);
  g_test_message ("mean frame while scrolling: %.1f ms",
                  scroll.total / 1000.0 / MAX (scroll.n_frames, 1));
  g_test_message ("thumbnails rendered: %u, cached: %u",
                  reel_thumbnailer_get_n_rendered (thumbnailer),
                  reel_thumbnailer_get_n_cached (thumbnailer));
  g_test_message ("main thread CPU per frame: longest %.1f ms, mean %.1f ms",
                  scroll.longest_cpu / 1000.0,
                  scroll.total_cpu / 1000.0 / MAX (scroll.n_frames, 1));
  g_printerr ("strip-1000-longest-frame-ms: %.1f\n", scroll.longest / 1000.0);
  g_printerr ("strip-1000-mean-frame-ms: %.1f\n", scroll.total / 1000.0 / MAX (scroll.n_frames, 1));
  g_printerr ("strip-1000-longest-frame-cpu-ms: %.1f\n", scroll.longest_cpu / 1000.0);
  g_printerr ("strip-1000-mean-frame-cpu-ms: %.1f\n",
              scroll.total_cpu / 1000.0 / MAX (scroll.n_frames, 1));

  g_assert_cmpuint (scroll.n_frames, >, 50);
  /* Only cards that were on screen get rendered, and the cache stays bounded. */
  g_assert_cmpuint (reel_thumbnailer_get_n_cached (thumbnailer), <=,
                    reel_thumbnailer_get_capacity (thumbnailer));
  /* The wall clock depends on what else the machine runs (and Xvfb renders with the
   * CPU); the main thread's own time per frame does not. A stall this long, or this
   * much work a frame, would be a bug (thumbnails rendered on the main thread, cards
   * rebuilt instead of recycled), not a slow machine. */
  g_assert_cmpint (scroll.longest_cpu, <, 250 * 1000);
  g_assert_cmpint (scroll.total_cpu / MAX (scroll.n_frames, 1), <, 40 * 1000);

  board_close (&board);
}

static gboolean
is_current (gpointer data)
{
  gpointer *pair = data;

  return reel_board_view_get_current_shot (pair[0]) == pair[1];
}

static gboolean
shot_at_third (gpointer data)
{
  ReelShot *shot = data;
  guint position;

  return reel_shot_get_scene (shot) != NULL &&
         reel_scene_find_shot (reel_shot_get_scene (shot), shot, &position) && position == 2;
}

static void
test_click_and_drag (void)
{
  g_autoptr(ReelProject) project = reel_demo_project_new ();
  ReelScene *scene = reel_project_get_scene (project, 0);
  ReelShot *first = reel_scene_get_shot (scene, 0);
  ReelShot *second = reel_scene_get_shot (scene, 1);
  ReelShot *third = reel_scene_get_shot (scene, 2);
  g_autofree char *xid = NULL;
  g_autofree char *x = NULL, *y = NULL;
  GListModel *selected = NULL;
  ReelShotCard *card;
  gpointer pair[2];
  int sx, sy, tx, ty;
  guint position;
  Board board;

  board_open (&board, project);
  xid = board_test_window_id (GTK_WIDGET (board.window));
  if (xid == NULL)
    {
      board_close (&board);
      return;
    }

  g_assert_true (board_test_spin_until (thumbnails_shown, board.strip, 10000));
  g_assert_true (reel_board_view_get_current_shot (board.board) == first);

  /* A click on a card makes its shot the current one. */
  card = find_card (board.strip, G_OBJECT (third));
  g_assert_nonnull (card);
  board_test_to_surface (GTK_WIDGET (card), gtk_widget_get_width (GTK_WIDGET (card)) / 2.0,
                         gtk_widget_get_height (GTK_WIDGET (card)) / 2.0, &sx, &sy);
  x = g_strdup_printf ("%d", sx);
  y = g_strdup_printf ("%d", sy);
  board_test_xdotool ((const char *[]) { "mousemove", "--window", xid, x, y, "click", "1", NULL });
  pair[0] = board.board;
  pair[1] = third;
  g_assert_true (board_test_spin_until (is_current, pair, 5000));

  /* Ctrl+click adds the first card to the selection the window's actions act on;
   * the current shot stays. */
  card = find_card (board.strip, G_OBJECT (first));
  board_test_to_surface (GTK_WIDGET (card), gtk_widget_get_width (GTK_WIDGET (card)) / 2.0,
                         gtk_widget_get_height (GTK_WIDGET (card)) / 2.0, &sx, &sy);
  g_free (x);
  g_free (y);
  x = g_strdup_printf ("%d", sx);
  y = g_strdup_printf ("%d", sy);
  board_test_xdotool ((const char *[]) { "mousemove", "--window", xid, x, y, "keydown", "ctrl",
                                         "click", "1", "keyup", "ctrl", NULL });
  board_test_settle ();
  g_object_get (board.board, "selected-shots", &selected, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (selected), ==, 2);
  {
    g_autoptr(ReelShot) a = g_list_model_get_item (selected, 0);
    g_autoptr(ReelShot) b = g_list_model_get_item (selected, 1);

    g_assert_true (a == first);
    g_assert_true (b == third);
  }
  g_clear_object (&selected);
  g_assert_true (reel_board_view_get_current_shot (board.board) == third);

  /* Dragging the first card onto the third moves the shot there: one undo step. */
  card = find_card (board.strip, G_OBJECT (first));
  board_test_to_surface (GTK_WIDGET (card), gtk_widget_get_width (GTK_WIDGET (card)) / 2.0,
                         gtk_widget_get_height (GTK_WIDGET (card)) / 3.0, &sx, &sy);
  card = find_card (board.strip, G_OBJECT (third));
  board_test_to_surface (GTK_WIDGET (card), gtk_widget_get_width (GTK_WIDGET (card)) / 2.0,
                         gtk_widget_get_height (GTK_WIDGET (card)) / 3.0, &tx, &ty);
  g_free (x);
  g_free (y);
  x = g_strdup_printf ("%d", sx);
  y = g_strdup_printf ("%d", sy);
  board_test_xdotool ((const char *[]) { "mousemove", "--window", xid, x, y, "mousedown", "1",
                                         NULL });
  for (int i = 1; i <= 12; i++)
    {
      g_autofree char *mx = g_strdup_printf ("%d", sx + (tx - sx) * i / 12);

      board_test_xdotool ((const char *[]) { "mousemove", "--window", xid, mx, y, NULL });
      board_test_settle ();
    }
  board_test_settle ();
  board_test_xdotool ((const char *[]) { "mouseup", "1", NULL });
  /* The drop goes through the X server's selection: wait for the move itself. */
  g_assert_true (board_test_spin_until (shot_at_third, first, REEL_TEST_DEADLINE_MS));

  g_assert_true (reel_scene_find_shot (scene, first, &position));
  g_assert_cmpuint (position, ==, 2);
  g_assert_true (reel_scene_get_shot (scene, 0) == second);
  g_assert_true (reel_board_view_get_current_shot (board.board) == first);

  g_assert_true (reel_history_undo (reel_project_get_history (project)));
  g_assert_true (reel_scene_get_shot (scene, 0) == first);
  g_assert_true (reel_scene_get_shot (scene, 2) == third);

  board_close (&board);
}

typedef struct
{
  GtkAdjustment *adjustment;
  double beyond;
} WheelWait;

static gboolean
adjustment_beyond (gpointer data)
{
  WheelWait *wait = data;

  return gtk_adjustment_get_value (wait->adjustment) > wait->beyond;
}

static gboolean
adjustment_below (gpointer data)
{
  WheelWait *wait = data;

  return gtk_adjustment_get_value (wait->adjustment) < wait->beyond;
}

/* A mouse wheel turned over the strip moves it sideways (the strip has nothing to scroll up
 * or down), and back; the current shot stays. */
static void
test_wheel (void)
{
  g_autoptr(ReelProject) project = board_test_project_new (1, 40);
  ReelShot *first = reel_scene_get_shot (reel_project_get_scene (project, 0), 0);
  g_autofree char *xid = NULL;
  g_autofree char *x = NULL, *y = NULL;
  WheelWait wait;
  int sx, sy;
  Board board;

  board_open (&board, project);
  xid = board_test_window_id (GTK_WIDGET (board.window));
  if (xid == NULL)
    {
      board_close (&board);
      return;
    }
  g_assert_true (board_test_spin_until (thumbnails_shown, board.strip, 10000));
  wait.adjustment = reel_shot_strip_get_hadjustment (board.strip);
  g_assert_cmpfloat (gtk_adjustment_get_upper (wait.adjustment), >,
                     2 * gtk_adjustment_get_page_size (wait.adjustment));
  g_assert_cmpfloat (gtk_adjustment_get_value (wait.adjustment), ==, 0.0);

  board_test_to_surface (GTK_WIDGET (board.strip),
                         gtk_widget_get_width (GTK_WIDGET (board.strip)) / 2.0,
                         gtk_widget_get_height (GTK_WIDGET (board.strip)) / 2.0, &sx, &sy);
  x = g_strdup_printf ("%d", sx);
  y = g_strdup_printf ("%d", sy);

  /* Three notches down: further along the strip, by more than a card's width. */
  board_test_xdotool ((const char *[]) { "mousemove", "--window", xid, x, y,
                                         "click", "--repeat", "3", "5", NULL });
  wait.beyond = 100.0;
  g_assert_true (board_test_spin_until (adjustment_beyond, &wait, REEL_TEST_DEADLINE_MS));

  /* And up again: back to the start. */
  board_test_xdotool ((const char *[]) { "click", "--repeat", "6", "4", NULL });
  wait.beyond = 1.0;
  g_assert_true (board_test_spin_until (adjustment_below, &wait, REEL_TEST_DEADLINE_MS));
  g_assert_true (reel_board_view_get_current_shot (board.board) == first);

  board_close (&board);
}

int
main (int   argc,
      char *argv[])
{
  reel_test_require_x11 (TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/board/strip/scroll-1000-shots", test_scroll_thousand_shots);
  g_test_add_func ("/board/strip/click-and-drag", test_click_and_drag);
  g_test_add_func ("/board/strip/wheel", test_wheel);

  return reel_test_run ();
}
