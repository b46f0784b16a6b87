/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-window"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "core/reel-edit.h"
#include "core/reel-set-edit.h"

#include "reel-clipboard.h"
#include "reel-window-private.h"

/* Helpers */

static ReelScene *
current_scene (ReelWindow *self)
{
  if (self->current_shot != NULL && reel_shot_get_scene (self->current_shot) != NULL)
    return reel_shot_get_scene (self->current_shot);

  if (self->project != NULL && reel_project_get_n_scenes (self->project) > 0)
    return reel_project_get_scene (self->project,
                                   reel_project_get_n_scenes (self->project) - 1);

  return NULL;
}

static guint
scene_position (ReelWindow *self,
                ReelScene  *scene)
{
  guint position = 0;

  reel_project_find_scene_position (self->project, scene, &position);
  return position;
}

ReelShot *
_reel_window_get_neighbour_shot (ReelWindow *self,
                                 ReelShot   *shot,
                                 int         direction)
{
  ReelScene *scene;
  guint position, scene_index;

  g_return_val_if_fail (direction == -1 || direction == 1, NULL);

  if (shot == NULL || (scene = reel_shot_get_scene (shot)) == NULL ||
      !reel_scene_find_shot (scene, shot, &position) ||
      !reel_project_find_scene_position (self->project, scene, &scene_index))
    return NULL;

  if (direction < 0 && position > 0)
    return reel_scene_get_shot (scene, position - 1);
  if (direction > 0 && position + 1 < reel_scene_get_n_shots (scene))
    return reel_scene_get_shot (scene, position + 1);

  /* Across the scene boundary, skipping empty scenes. */
  for (int i = (int) scene_index + direction;
       i >= 0 && i < (int) reel_project_get_n_scenes (self->project);
       i += direction)
    {
      ReelScene *other = reel_project_get_scene (self->project, i);
      guint n = reel_scene_get_n_shots (other);

      if (n > 0)
        return reel_scene_get_shot (other, direction < 0 ? n - 1 : 0);
    }

  return NULL;
}

/* Shot numbers: "12A" is followed by "12B", "4" by "5", and a shot inserted after "3"
 * becomes "3A" (after "12A", when "12B" exists, "12AA"), as on a film set; numbers
 * already taken in the scene are skipped. */

static gboolean
number_is_taken (ReelScene  *scene,
                 const char *number)
{
  for (guint i = 0; i < reel_scene_get_n_shots (scene); i++)
    if (g_str_equal (reel_shot_get_number (reel_scene_get_shot (scene, i)), number))
      return TRUE;

  return FALSE;
}

static guint
letters_index (const char *letters)
{
  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *candidate = reel_shot_number_letters (i);

      if (g_str_equal (candidate, letters))
        return i;
    }

  return 0;
}

static char *
first_free_with_letters (ReelScene  *scene,
                         const char *head,
                         guint       start)
{
  for (guint i = start; ; i++)
    {
      g_autofree char *letters = reel_shot_number_letters (i);
      g_autofree char *candidate = g_strconcat (head, letters, NULL);

      if (!number_is_taken (scene, candidate))
        return g_steal_pointer (&candidate);
    }
}

static gboolean
is_all_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  return TRUE;
}

static char *
suggest_shot_number (ReelScene *scene,
                     ReelShot  *after,
                     gboolean   appending)
{
  const char *base = after != NULL ? reel_shot_get_number (after) : "";
  gsize length = strlen (base);
  gsize head_length = length;
  const char *dash;

  if (length == 0)
    {
      const char *scene_number = reel_scene_get_number (scene);

      if (*scene_number != '\0')
        return first_free_with_letters (scene, scene_number, 0);

      for (guint i = reel_scene_get_n_shots (scene) + 1; ; i++)
        {
          g_autofree char *candidate = g_strdup_printf ("%u", i);

          if (!number_is_taken (scene, candidate))
            return g_steal_pointer (&candidate);
        }
    }

  while (head_length > 0 && g_ascii_isupper (base[head_length - 1]))
    head_length--;

  /* "12A" → "12B"; between "12A" and a "12B" that exists, "12AA" */
  if (head_length < length && head_length > 0)
    {
      g_autofree char *head = g_strndup (base, head_length);
      guint next = letters_index (base + head_length) + 1;
      g_autofree char *letters = reel_shot_number_letters (next);
      g_autofree char *candidate = g_strconcat (head, letters, NULL);

      if (appending)
        return first_free_with_letters (scene, head, next);
      if (!number_is_taken (scene, candidate))
        return g_steal_pointer (&candidate);
      return first_free_with_letters (scene, base, 0);
    }

  if (appending)
    {
      /* "4" → "5" */
      if (is_all_digits (base))
        for (guint64 n = g_ascii_strtoull (base, NULL, 10) + 1; ; n++)
          {
            g_autofree char *candidate = g_strdup_printf ("%" G_GUINT64_FORMAT, n);

            if (!number_is_taken (scene, candidate))
              return g_steal_pointer (&candidate);
          }

      /* "12-3" → "12-4" */
      dash = strrchr (base, '-');
      if (dash != NULL && dash > base && is_all_digits (dash + 1))
        {
          g_autofree char *head = g_strndup (base, dash - base + 1);

          for (guint64 n = g_ascii_strtoull (dash + 1, NULL, 10) + 1; ; n++)
            {
              g_autofree char *candidate = g_strdup_printf ("%s%" G_GUINT64_FORMAT, head, n);

              if (!number_is_taken (scene, candidate))
                return g_steal_pointer (&candidate);
            }
        }
    }

  /* "3" → "3A" */
  return first_free_with_letters (scene, base, 0);
}

static void
show_toast (ReelWindow *self,
            const char *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

/* Structural edits (shots inserted, removed, moved) take a shot out of its scene for a
 * moment, and views that see it gone pick another current shot. The window keeps its
 * own while it edits, and hands it back to the views when done. */

static void
begin_edit (ReelWindow *self,
            const char *label)
{
  self->holding_current++;
  if (label != NULL)
    reel_history_begin_group (reel_project_get_history (self->project), label);
}

static void
end_edit (ReelWindow *self,
          gboolean    grouped)
{
  if (grouped)
    reel_history_end_group (reel_project_get_history (self->project));

  g_return_if_fail (self->holding_current > 0);
  if (--self->holding_current == 0)
    _reel_window_resync_current_shot (self);
}

/* Undo */

static void
reel_window_undo (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  ReelWindow *self = REEL_WINDOW (widget);

  begin_edit (self, NULL);
  reel_history_undo (reel_project_get_history (self->project));
  end_edit (self, FALSE);
}

static void
reel_window_redo (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  ReelWindow *self = REEL_WINDOW (widget);

  begin_edit (self, NULL);
  reel_history_redo (reel_project_get_history (self->project));
  end_edit (self, FALSE);
}

/* Shots */

static ReelShot *
insert_new_shot (ReelWindow *self,
                 ReelScene  *scene,
                 guint       position)
{
  g_autoptr(ReelShot) shot = reel_shot_new ();
  g_autofree char *number = NULL;
  ReelShot *before = position > 0 ? reel_scene_get_shot (scene, position - 1) : NULL;

  number = suggest_shot_number (scene, before, position >= reel_scene_get_n_shots (scene));
  reel_shot_set_number (shot, number);
  reel_edit_insert_shot (self->project, scene, position, shot);

  return shot;
}

static ReelScene *
ensure_scene (ReelWindow *self)
{
  g_autoptr(ReelScene) scene = NULL;
  ReelScene *existing = current_scene (self);

  if (existing != NULL)
    return existing;

  scene = reel_scene_new ();
  reel_scene_set_number (scene, "1");
  reel_edit_insert_scene (self->project, 0, scene);

  return scene;
}

static void
reel_window_add_shot (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  ReelWindow *self = REEL_WINDOW (widget);
  ReelScene *scene;
  ReelShot *shot;

  begin_edit (self, _("Add Shot"));
  scene = ensure_scene (self);
  shot = insert_new_shot (self, scene, reel_scene_get_n_shots (scene));
  end_edit (self, TRUE);

  reel_window_set_current_shot (self, shot);
}

static void
reel_window_insert_shot (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  ReelWindow *self = REEL_WINDOW (widget);
  ReelScene *scene;
  ReelShot *shot;
  guint position = 0;

  begin_edit (self, _("Insert Shot"));
  scene = ensure_scene (self);
  if (self->current_shot != NULL && reel_scene_find_shot (scene, self->current_shot, &position))
    position++;
  else
    position = reel_scene_get_n_shots (scene);
  shot = insert_new_shot (self, scene, position);
  end_edit (self, TRUE);

  reel_window_set_current_shot (self, shot);
}

static void
reel_window_duplicate_shots (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  ReelWindow *self = REEL_WINDOW (widget);
  g_autoptr(GPtrArray) shots = reel_window_get_selected_shots (self);
  ReelShot *last = NULL;

  if (shots->len == 0)
    return;

  begin_edit (self, ngettext ("Duplicate Shot", "Duplicate Shots", shots->len));
  for (guint i = 0; i < shots->len; i++)
    {
      ReelShot *original = g_ptr_array_index (shots, i);
      ReelScene *scene = reel_shot_get_scene (original);
      g_autoptr(ReelShot) copy = reel_shot_duplicate (original);
      g_autofree char *number = NULL;
      guint position;

      if (scene == NULL || !reel_scene_find_shot (scene, original, &position))
        continue;

      number = suggest_shot_number (scene, original,
                                    position + 1 >= reel_scene_get_n_shots (scene));
      reel_shot_set_number (copy, number);
      reel_edit_insert_shot (self->project, scene, position + 1, copy);
      last = copy;
    }
  end_edit (self, TRUE);

  if (last != NULL)
    reel_window_set_current_shot (self, last);
}

/* New angle: a coverage shot after the current one, its camera proposed from the
 * current shot's camera on the scene's set. The parameter is the ReelNewAngle kind. */

static gboolean
can_add_new_angle (ReelWindow *self)
{
  /* Enabled for any shot of a scene: when no angle can be proposed (no set, no camera,
   * no mark in view), the toast says what is missing. */
  return self->project != NULL && self->current_shot != NULL
         && reel_shot_get_scene (self->current_shot) != NULL;
}

static void
reel_window_new_angle (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  ReelWindow *self = REEL_WINDOW (widget);
  guint kind = g_variant_get_uint32 (param);
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *number = NULL;
  ReelShot *original = self->current_shot;
  ReelShot *shot;
  ReelScene *scene;
  guint position;

  g_return_if_fail (kind < REEL_N_NEW_ANGLES);

  if (!can_add_new_angle (self))
    return;
  scene = reel_shot_get_scene (original);
  if (!reel_scene_find_shot (scene, original, &position))
    return;

  number = suggest_shot_number (scene, original,
                                position + 1 >= reel_scene_get_n_shots (scene));
  /* Translators: %s is a kind of new angle ("Reverse", "Wider" …) */
  label = g_strdup_printf (_("New Angle: %s"), reel_new_angle_get_label (kind));
  begin_edit (self, label);
  shot = reel_edit_add_new_angle (self->project, original, kind, &error);
  if (shot != NULL)
    reel_edit_set_string (self->project, G_OBJECT (shot), "number", number);
  end_edit (self, TRUE);

  if (shot == NULL)
    {
      show_toast (self, error->message);
      return;
    }

  reel_window_set_current_shot (self, shot);
}

static void
delete_shots (ReelWindow *self,
              GPtrArray  *shots,
              const char *label)
{
  g_autoptr(GHashTable) doomed = g_hash_table_new (NULL, NULL);
  ReelShot *next = NULL;

  if (shots->len == 0)
    return;

  for (guint i = 0; i < shots->len; i++)
    g_hash_table_add (doomed, g_ptr_array_index (shots, i));

  /* The shot after the last deleted one becomes current, else the one before. */
  for (next = _reel_window_get_neighbour_shot (self, g_ptr_array_index (shots, shots->len - 1), 1);
       next != NULL && g_hash_table_contains (doomed, next);
       next = _reel_window_get_neighbour_shot (self, next, 1))
    ;
  if (next == NULL)
    for (next = _reel_window_get_neighbour_shot (self, g_ptr_array_index (shots, 0), -1);
         next != NULL && g_hash_table_contains (doomed, next);
         next = _reel_window_get_neighbour_shot (self, next, -1))
      ;

  begin_edit (self, label);
  for (guint i = 0; i < shots->len; i++)
    reel_edit_remove_shot (self->project, g_ptr_array_index (shots, i));
  end_edit (self, TRUE);

  reel_window_set_current_shot (self, next);
}

static void
reel_window_delete_shots (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  ReelWindow *self = REEL_WINDOW (widget);
  g_autoptr(GPtrArray) shots = reel_window_get_selected_shots (self);

  delete_shots (self, shots, ngettext ("Delete Shot", "Delete Shots", shots->len));
}

/* Moving: each selected shot moves one place; a shot at the edge of its scene moves
 * into the neighbouring scene. Selected shots that are stuck at the start (or end) of
 * the project hold back the selected shots right behind them, so a block keeps its
 * order. Planned on a copy of the shot order first, so the same code decides whether
 * the action is possible and what it does. */

typedef struct
{
  ReelShot *shot;
  guint scene;
  guint position;
} ShotMove;

static GArray *
plan_move (ReelWindow *self,
           GPtrArray  *selection,
           int         direction)
{
  guint n_scenes = reel_project_get_n_scenes (self->project);
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) selected = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) blocked = g_hash_table_new (NULL, NULL);
  GArray *moves = g_array_new (FALSE, FALSE, sizeof (ShotMove));

  for (guint i = 0; i < selection->len; i++)
    g_hash_table_add (selected, g_ptr_array_index (selection, i));

  for (guint k = 0; k < n_scenes; k++)
    {
      ReelScene *scene = reel_project_get_scene (self->project, k);
      GPtrArray *shots = g_ptr_array_new ();

      for (guint i = 0; i < reel_scene_get_n_shots (scene); i++)
        g_ptr_array_add (shots, reel_scene_get_shot (scene, i));
      g_ptr_array_add (order, shots);
    }

  for (guint n = 0; n < selection->len; n++)
    {
      ReelShot *shot = g_ptr_array_index (selection, direction < 0 ? n : selection->len - 1 - n);
      GPtrArray *shots = NULL;
      guint k, i = 0;
      ShotMove move = { shot, 0, 0 };

      for (k = 0; k < n_scenes; k++)
        {
          shots = g_ptr_array_index (order, k);
          if (g_ptr_array_find (shots, shot, &i))
            break;
        }
      if (k == n_scenes)
        continue;

      if (direction < 0 && i > 0)
        {
          ReelShot *previous = g_ptr_array_index (shots, i - 1);

          if (g_hash_table_contains (blocked, previous))
            {
              g_hash_table_add (blocked, shot);
              continue;
            }
          g_ptr_array_index (shots, i - 1) = shot;
          g_ptr_array_index (shots, i) = previous;
          move.scene = k;
          move.position = i - 1;
        }
      else if (direction < 0)
        {
          GPtrArray *previous_scene;

          if (k == 0)
            {
              g_hash_table_add (blocked, shot);
              continue;
            }
          previous_scene = g_ptr_array_index (order, k - 1);
          g_ptr_array_remove_index (shots, 0);
          g_ptr_array_add (previous_scene, shot);
          move.scene = k - 1;
          move.position = previous_scene->len - 1;
        }
      else if (i + 1 < shots->len)
        {
          ReelShot *following = g_ptr_array_index (shots, i + 1);

          if (g_hash_table_contains (blocked, following))
            {
              g_hash_table_add (blocked, shot);
              continue;
            }
          g_ptr_array_index (shots, i + 1) = shot;
          g_ptr_array_index (shots, i) = following;
          move.scene = k;
          move.position = i + 1;
        }
      else
        {
          GPtrArray *next_scene;

          if (k + 1 == n_scenes)
            {
              g_hash_table_add (blocked, shot);
              continue;
            }
          next_scene = g_ptr_array_index (order, k + 1);
          g_ptr_array_remove_index (shots, i);
          g_ptr_array_insert (next_scene, 0, shot);
          move.scene = k + 1;
          move.position = 0;
        }

      g_array_append_val (moves, move);
    }

  return moves;
}

static void
move_selected_shots (ReelWindow *self,
                     int         direction)
{
  g_autoptr(GPtrArray) selection = reel_window_get_selected_shots (self);
  g_autoptr(GArray) moves = plan_move (self, selection, direction);

  if (moves->len == 0)
    return;

  begin_edit (self, ngettext ("Move Shot", "Move Shots", selection->len));
  for (guint i = 0; i < moves->len; i++)
    {
      ShotMove *move = &g_array_index (moves, ShotMove, i);

      reel_edit_move_shot (self->project, move->shot,
                           reel_project_get_scene (self->project, move->scene),
                           move->position);
    }
  end_edit (self, TRUE);
}

static void
reel_window_move_shots_earlier (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *param)
{
  move_selected_shots (REEL_WINDOW (widget), -1);
}

static void
reel_window_move_shots_later (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  move_selected_shots (REEL_WINDOW (widget), 1);
}

static void
reel_window_previous_shot (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  ReelWindow *self = REEL_WINDOW (widget);
  ReelShot *shot = _reel_window_get_neighbour_shot (self, self->current_shot, -1);

  if (shot != NULL)
    reel_window_set_current_shot (self, shot);
}

static void
reel_window_next_shot (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  ReelWindow *self = REEL_WINDOW (widget);
  ReelShot *shot = _reel_window_get_neighbour_shot (self, self->current_shot, 1);

  if (shot != NULL)
    reel_window_set_current_shot (self, shot);
}

/* Clipboard */

static void
copied_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ReelWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!reel_clipboard_copy_shots_finish (GDK_CLIPBOARD (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _reel_window_show_error (self, _("Could Not Copy the Shots"), error);
}

static void
reel_window_copy_shots (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  ReelWindow *self = REEL_WINDOW (widget);
  g_autoptr(GPtrArray) shots = reel_window_get_selected_shots (self);

  if (shots->len > 0)
    reel_clipboard_copy_shots_async (self->clipboard, self->project, shots, self->cancellable,
                                     copied_cb, g_object_ref (self));
}

typedef struct
{
  ReelWindow *window;
  ReelProject *project;
  GPtrArray *shots;
} CutData;

static void
cut_data_free (CutData *cut)
{
  g_clear_object (&cut->window);
  g_clear_object (&cut->project);
  g_clear_pointer (&cut->shots, g_ptr_array_unref);
  g_free (cut);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CutData, cut_data_free)

/* The clipboard holds the shots now: they may leave the project. Not before, so that a
 * copy that fails loses nothing. */
static void
cut_copied_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CutData) cut = user_data;
  ReelWindow *self = cut->window;
  g_autoptr(GPtrArray) remaining = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  if (!reel_clipboard_copy_shots_finish (GDK_CLIPBOARD (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _reel_window_show_error (self, _("Could Not Cut the Shots"), error);
      return;
    }

  /* The window may show another project by now, and a shot may have gone meanwhile. */
  if (self->project != cut->project)
    return;
  for (guint i = 0; i < cut->shots->len; i++)
    {
      ReelShot *shot = g_ptr_array_index (cut->shots, i);

      if (reel_project_find_shot (self->project, reel_shot_get_id (shot), NULL, NULL) == shot)
        g_ptr_array_add (remaining, shot);
    }

  delete_shots (self, remaining, ngettext ("Cut Shot", "Cut Shots", remaining->len));
}

static void
reel_window_cut_shots (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  ReelWindow *self = REEL_WINDOW (widget);
  g_autoptr(GPtrArray) shots = reel_window_get_selected_shots (self);
  CutData *cut;

  if (shots->len == 0)
    return;

  cut = g_new0 (CutData, 1);
  cut->window = g_object_ref (self);
  cut->project = g_object_ref (self->project);
  cut->shots = g_ptr_array_ref (shots);
  reel_clipboard_copy_shots_async (self->clipboard, self->project, shots, self->cancellable,
                                   cut_copied_cb, cut);
}

static void
paste_shots (ReelWindow         *self,
             ReelClipboardShots *pasted)
{
  ReelScene *scene;
  ReelShot *last = NULL;
  guint position;
  g_autofree char *message = NULL;

  if (pasted->shots->len == 0)
    return;

  for (guint i = 0; i < pasted->assets->len; i++)
    reel_project_add_asset (self->project, g_ptr_array_index (pasted->assets, i));

  begin_edit (self, ngettext ("Paste Shot", "Paste Shots", pasted->shots->len));
  scene = ensure_scene (self);
  if (self->current_shot == NULL || !reel_scene_find_shot (scene, self->current_shot, &position))
    position = reel_scene_get_n_shots (scene);
  else
    position++;

  for (guint i = 0; i < pasted->shots->len; i++)
    {
      ReelShot *shot = g_ptr_array_index (pasted->shots, i);

      /* Numbers stay as they were unless the scene already uses them. */
      if (number_is_taken (scene, reel_shot_get_number (shot)) ||
          *reel_shot_get_number (shot) == '\0')
        {
          g_autofree char *number = NULL;
          ReelShot *before = position > 0 ? reel_scene_get_shot (scene, position - 1) : NULL;

          number = suggest_shot_number (scene, before,
                                        position >= reel_scene_get_n_shots (scene));
          reel_shot_set_number (shot, number);
        }

      reel_edit_insert_shot (self->project, scene, position++, shot);
      /* Its size, angle and lens follow its camera in this scene's set. */
      reel_edit_apply_shot_camera (self->project, shot);
      last = shot;
    }
  end_edit (self, TRUE);

  reel_window_set_current_shot (self, last);

  message = g_strdup_printf (ngettext ("Pasted %u shot", "Pasted %u shots", pasted->shots->len),
                             pasted->shots->len);
  show_toast (self, message);
}

static void
paste_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ReelWindow) self = user_data;
  g_autoptr(ReelClipboardShots) pasted = NULL;
  g_autoptr(GError) error = NULL;

  pasted = reel_clipboard_paste_shots_finish (GDK_CLIPBOARD (object), result, &error);
  if (pasted == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _reel_window_show_error (self, _("Could Not Paste the Shots"), error);
      return;
    }

  if (self->project != NULL)
    paste_shots (self, pasted);
}

static void
reel_window_paste_shots (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  ReelWindow *self = REEL_WINDOW (widget);

  if (self->project == NULL)
    return;
  reel_clipboard_paste_shots_async (self->clipboard, self->project, self->cancellable,
                                    paste_read_cb, g_object_ref (self));
}

/* Scenes */

static void
reel_window_renumber_scene (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  ReelWindow *self = REEL_WINDOW (widget);
  const char *style_id = g_variant_get_string (param, NULL);
  ReelScene *scene = current_scene (self);
  ReelNumberingStyle style;

  if (scene == NULL)
    return;

  if (g_str_equal (style_id, "sequential"))
    style = REEL_NUMBERING_SEQUENTIAL;
  else if (g_str_equal (style_id, "dash"))
    style = REEL_NUMBERING_SCENE_DASH;
  else
    style = REEL_NUMBERING_SCENE_LETTER;

  reel_edit_renumber_scene (self->project, scene, style);
}

static char *
suggest_scene_number (ReelWindow *self,
                      guint       position)
{
  guint64 highest = 0;

  /* After the highest plain number; scripts with "12A" scenes get the next free
   * plain number too. */
  for (guint i = 0; i < reel_project_get_n_scenes (self->project); i++)
    {
      const char *number = reel_scene_get_number (reel_project_get_scene (self->project, i));

      if (g_ascii_isdigit (*number))
        highest = MAX (highest, g_ascii_strtoull (number, NULL, 10));
    }

  return g_strdup_printf ("%" G_GUINT64_FORMAT, MAX (highest + 1, position + 1));
}

static void
reel_window_new_scene (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  ReelWindow *self = REEL_WINDOW (widget);
  g_autoptr(ReelScene) scene = reel_scene_new ();
  g_autoptr(ReelShot) shot = reel_shot_new ();
  g_autofree char *scene_number = NULL;
  g_autofree char *shot_number = NULL;
  ReelScene *after = current_scene (self);
  guint position = after != NULL ? scene_position (self, after) + 1 : 0;

  scene_number = suggest_scene_number (self, position);
  reel_scene_set_number (scene, scene_number);
  reel_scene_set_int_ext (scene, REEL_INT_EXT_INT);
  shot_number = g_strconcat (scene_number, "A", NULL);
  reel_shot_set_number (shot, shot_number);

  begin_edit (self, _("New Scene"));
  reel_edit_insert_scene (self->project, position, scene);
  reel_edit_insert_shot (self->project, scene, 0, shot);
  end_edit (self, TRUE);

  reel_window_set_current_shot (self, shot);
}

static void
reel_window_delete_scene (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  ReelWindow *self = REEL_WINDOW (widget);
  ReelScene *scene = current_scene (self);
  ReelShot *next = NULL;
  guint position;

  if (scene == NULL || reel_project_get_n_scenes (self->project) <= 1)
    return;

  /* The first shot of the following scene becomes current, else the last shot of the
   * one before. */
  position = scene_position (self, scene);
  for (guint i = position + 1; next == NULL && i < reel_project_get_n_scenes (self->project); i++)
    if (reel_scene_get_n_shots (reel_project_get_scene (self->project, i)) > 0)
      next = reel_scene_get_shot (reel_project_get_scene (self->project, i), 0);
  for (guint i = position; next == NULL && i > 0; i--)
    {
      ReelScene *previous = reel_project_get_scene (self->project, i - 1);
      guint n = reel_scene_get_n_shots (previous);

      if (n > 0)
        next = reel_scene_get_shot (previous, n - 1);
    }

  reel_edit_remove_scene (self->project, scene);
  reel_window_set_current_shot (self, next);
}

/* Keys that text fields use */

static gboolean
focus_is_typing (ReelWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  /* GtkText is the editing part of every entry, spin button and editable label (an
   * editable label that is not being edited has the focus itself, and leaves keys
   * alone). */
  return focus != NULL && (GTK_IS_TEXT (focus) || GTK_IS_TEXT_VIEW (focus));
}

static void
reel_window_unless_typing (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  g_autofree char *name = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_action_parse_detailed_name (g_variant_get_string (param, NULL), &name, &target, &error))
    {
      g_critical ("%s: %s", action_name, error->message);
      return;
    }

  gtk_widget_activate_action_variant (widget, name, target);
}

static void
focus_changed_cb (ReelWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.unless-typing", !focus_is_typing (self));
}

/* States */

static void
update_history_tooltips (ReelWindow *self)
{
  ReelHistory *history = reel_project_get_history (self->project);
  g_autofree char *undo = reel_history_dup_undo_menu_label (history);
  g_autofree char *redo = reel_history_dup_redo_menu_label (history);

  /* Setting a tooltip makes GTK ask the display where the pointer is (a round trip to the
   * X server): only when the text changes, not for every step of a drag. */
  if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (self->undo_button)), undo) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->undo_button), undo);
  if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (self->redo_button)), redo) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->redo_button), redo);
}

void
_reel_window_update_actions (ReelWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(GPtrArray) selection = NULL;
  g_autoptr(GArray) earlier = NULL;
  g_autoptr(GArray) later = NULL;
  ReelHistory *history;
  gboolean has_project = self->project != NULL;
  gboolean idle = self->busy_count == 0;
  gboolean has_selection;
  ReelScene *scene;

  if (self->selected_shots == NULL)
    return;

  selection = reel_window_get_selected_shots (self);
  has_selection = has_project && selection->len > 0;
  history = has_project ? reel_project_get_history (self->project) : NULL;
  scene = has_project ? current_scene (self) : NULL;

  gtk_widget_action_set_enabled (widget, "win.save", has_project && idle);
  gtk_widget_action_set_enabled (widget, "win.save-as", has_project && idle);

  gtk_widget_action_set_enabled (widget, "win.undo",
                                 history != NULL && reel_history_can_undo (history) &&
                                 !reel_history_in_group (history));
  gtk_widget_action_set_enabled (widget, "win.redo",
                                 history != NULL && reel_history_can_redo (history) &&
                                 !reel_history_in_group (history));
  if (history != NULL)
    update_history_tooltips (self);

  gtk_widget_action_set_enabled (widget, "win.add-shot", has_project);
  gtk_widget_action_set_enabled (widget, "win.insert-shot", has_project);
  gtk_widget_action_set_enabled (widget, "win.duplicate-shots", has_selection);
  gtk_widget_action_set_enabled (widget, "win.new-angle", can_add_new_angle (self));
  gtk_widget_action_set_enabled (widget, "win.delete-shots", has_selection);
  gtk_widget_action_set_enabled (widget, "win.copy-shots", has_selection);
  gtk_widget_action_set_enabled (widget, "win.cut-shots", has_selection);
  gtk_widget_action_set_enabled (widget, "win.paste-shots",
                                 has_project && self->clipboard != NULL &&
                                 reel_clipboard_has_shots (self->clipboard));

  if (has_selection)
    {
      earlier = plan_move (self, selection, -1);
      later = plan_move (self, selection, 1);
    }
  gtk_widget_action_set_enabled (widget, "win.move-shots-earlier",
                                 earlier != NULL && earlier->len > 0);
  gtk_widget_action_set_enabled (widget, "win.move-shots-later",
                                 later != NULL && later->len > 0);
  gtk_widget_action_set_enabled (widget, "win.previous-shot",
                                 has_project && _reel_window_get_neighbour_shot (
                                   self, self->current_shot, -1) != NULL);
  gtk_widget_action_set_enabled (widget, "win.next-shot",
                                 has_project && _reel_window_get_neighbour_shot (
                                   self, self->current_shot, 1) != NULL);

  gtk_widget_action_set_enabled (widget, "win.new-scene", has_project);
  gtk_widget_action_set_enabled (widget, "win.delete-scene",
                                 scene != NULL && reel_project_get_n_scenes (self->project) > 1);
  gtk_widget_action_set_enabled (widget, "win.renumber-scene",
                                 scene != NULL && reel_scene_get_n_shots (scene) > 0);
}

void
_reel_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.unless-typing", "s",
                                   reel_window_unless_typing);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, reel_window_undo);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, reel_window_redo);

  gtk_widget_class_install_action (widget_class, "win.add-shot", NULL, reel_window_add_shot);
  gtk_widget_class_install_action (widget_class, "win.insert-shot", NULL,
                                   reel_window_insert_shot);
  gtk_widget_class_install_action (widget_class, "win.duplicate-shots", NULL,
                                   reel_window_duplicate_shots);
  gtk_widget_class_install_action (widget_class, "win.new-angle", "u",
                                   reel_window_new_angle);
  gtk_widget_class_install_action (widget_class, "win.delete-shots", NULL,
                                   reel_window_delete_shots);
  gtk_widget_class_install_action (widget_class, "win.move-shots-earlier", NULL,
                                   reel_window_move_shots_earlier);
  gtk_widget_class_install_action (widget_class, "win.move-shots-later", NULL,
                                   reel_window_move_shots_later);
  gtk_widget_class_install_action (widget_class, "win.previous-shot", NULL,
                                   reel_window_previous_shot);
  gtk_widget_class_install_action (widget_class, "win.next-shot", NULL,
                                   reel_window_next_shot);

  gtk_widget_class_install_action (widget_class, "win.copy-shots", NULL,
                                   reel_window_copy_shots);
  gtk_widget_class_install_action (widget_class, "win.cut-shots", NULL, reel_window_cut_shots);
  gtk_widget_class_install_action (widget_class, "win.paste-shots", NULL,
                                   reel_window_paste_shots);

  gtk_widget_class_install_action (widget_class, "win.renumber-scene", "s",
                                   reel_window_renumber_scene);
  gtk_widget_class_install_action (widget_class, "win.new-scene", NULL, reel_window_new_scene);
  gtk_widget_class_install_action (widget_class, "win.delete-scene", NULL,
                                   reel_window_delete_scene);
}

static void
history_changed_cb (ReelWindow *self)
{
  _reel_window_update_actions (self);
}

static void
project_set_cb (ReelWindow *self)
{
  if (self->project == NULL)
    return;

  /* Undo/redo states change without a project ::changed when only the history moves
   * (a group closing), so follow the history too. */
  g_signal_connect_object (reel_project_get_history (self->project), "notify",
                           G_CALLBACK (history_changed_cb), self, G_CONNECT_SWAPPED);
}

void
_reel_window_init_actions (ReelWindow *self)
{
  self->clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  g_signal_connect_object (self->clipboard, "notify::formats",
                           G_CALLBACK (_reel_window_update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::project", G_CALLBACK (project_set_cb), NULL);
  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (focus_changed_cb), NULL);
  project_set_cb (self);
  _reel_window_update_actions (self);
}
