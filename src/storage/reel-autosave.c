/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-autosave"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "reel-autosave.h"
#include "reel-project-file.h"
#include "reel-project-file-private.h"

/* Meta rows of a recovery file. */
#define META_DOCUMENT "autosave_document"  /* the document's path, "" when untitled */
#define META_TITLE    "autosave_title"
#define META_KEY      "autosave_key"       /* the file's key, kept by a restored project */

#define UNTITLED_PREFIX "untitled-"

struct _ReelAutosave
{
  GObject parent_instance;

  ReelProject *project;
  guint delay_ms;
  guint max_wait_ms;
  guint timeout_id;
  gint64 pending_since;   /* monotonic µs of the oldest change not being written, or 0 */
  char *untitled_key;
  GFile *file;            /* the recovery file written last */
  GCancellable *cancellable;
  GFile *writing_file;    /* the recovery file being written, or NULL */
  guint discards;         /* how many times the recovery was discarded */
  guint writing_discards; /* … when the write under way started */
  gboolean writing;
  gboolean write_again;   /* changes arrived while writing */
  gulong changed_id;
  gulong modified_id;
};

G_DEFINE_FINAL_TYPE (ReelAutosave, reel_autosave, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_DELAY,
  PROP_MAX_WAIT,
  PROP_FILE,
  N_PROPS
};

enum {
  SAVED,
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Recovery files being written by this process: not "left by a crash". */
G_LOCK_DEFINE_STATIC (active);
static GHashTable *active_paths;

static GQuark restored_key_quark;

static void
set_active (GFile    *file,
            gboolean  active)
{
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (path == NULL)
    return;

  G_LOCK (active);
  if (active_paths == NULL)
    active_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (active)
    g_hash_table_add (active_paths, g_steal_pointer (&path));
  else
    g_hash_table_remove (active_paths, path);
  G_UNLOCK (active);
}

static gboolean
is_active (const char *path)
{
  gboolean result;

  G_LOCK (active);
  result = active_paths != NULL && g_hash_table_contains (active_paths, path);
  G_UNLOCK (active);
  return result;
}

GFile *
reel_autosave_get_directory (void)
{
  return g_file_new_build_filename (g_get_user_state_dir (), "storyreel", NULL);
}

/* The folder, private to the user whatever the umask. */
static GFile *
ensure_directory (GError **error)
{
  g_autoptr(GFile) directory = reel_autosave_get_directory ();
  g_autofree char *path = g_file_get_path (directory);

  if (g_mkdir_with_parents (path, 0700) != 0 || g_chmod (path, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the autosave folder “%s”: %s"), path,
                   g_strerror (saved_errno));
      return NULL;
    }

  return g_steal_pointer (&directory);
}

static char *
dup_key (ReelAutosave *self)
{
  GFile *document = reel_project_file_get_file (self->project);
  g_autofree char *path = document != NULL ? g_file_get_path (document) : NULL;

  if (path != NULL)
    return g_compute_checksum_for_string (G_CHECKSUM_SHA256, path, -1);

  return g_strdup (self->untitled_key);
}

static void
delete_file (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);

  g_unlink (path);
  g_unlink (journal);
}

static void arm_timer (ReelAutosave *self);

static void
save_done (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ReelAutosave) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) written = g_steal_pointer (&self->writing_file);
  gboolean discarded = self->writing_discards != self->discards;

  self->writing = FALSE;

  /* Discarded while it was being written: the file must not come back. */
  if (discarded)
    {
      if (reel_project_file_save_finish (REEL_PROJECT (source_object), result, NULL) &&
          (self->file == NULL || !g_file_equal (self->file, written)))
        delete_file (written);
      if (self->write_again)
        {
          self->write_again = FALSE;
          if (self->pending_since == 0)
            self->pending_since = g_get_monotonic_time ();
          arm_timer (self);
        }
      return;
    }

  if (!reel_project_file_save_finish (REEL_PROJECT (source_object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("Autosave failed: %s", error->message);
          g_signal_emit (self, signals[FAILED], 0, error);
        }
      return;
    }

  /* Saved for real while the recovery file was being written. */
  if (!reel_project_get_modified (self->project))
    {
      reel_autosave_discard (self);
      return;
    }

  g_signal_emit (self, signals[SAVED], 0);

  /* Changes made while writing have waited since they were made, not since now. */
  if (self->write_again)
    {
      self->write_again = FALSE;
      if (self->pending_since == 0)
        self->pending_since = g_get_monotonic_time ();
      arm_timer (self);
    }
}

static void
write_now (ReelAutosave *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) directory = NULL;
  g_autoptr(GHashTable) meta = NULL;
  g_autofree char *key = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GFile) file = NULL;
  GFile *document;
  g_autofree char *document_path = NULL;

  if (self->writing)
    {
      self->write_again = TRUE;
      return;
    }

  if (!reel_project_get_modified (self->project))
    {
      self->pending_since = 0;
      return;
    }

  directory = ensure_directory (&error);
  if (directory == NULL)
    {
      g_signal_emit (self, signals[FAILED], 0, error);
      return;
    }

  key = dup_key (self);
  name = g_strconcat (key, REEL_PROJECT_FILE_EXTENSION, NULL);
  file = g_file_get_child (directory, name);

  /* Saved under a new name since: the old recovery file is of no use. */
  if (self->file != NULL && !g_file_equal (self->file, file))
    {
      set_active (self->file, FALSE);
      delete_file (self->file);
    }
  if (g_set_object (&self->file, file))
    {
      set_active (self->file, TRUE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
    }

  document = reel_project_file_get_file (self->project);
  document_path = document != NULL ? g_file_get_path (document) : NULL;

  meta = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_hash_table_insert (meta, (gpointer) META_DOCUMENT,
                       g_strdup (document_path != NULL ? document_path : ""));
  g_hash_table_insert (meta, (gpointer) META_TITLE,
                       g_strdup (reel_project_get_title (self->project)));
  g_hash_table_insert (meta, (gpointer) META_KEY, g_strdup (key));

  /* Everything changed until now is in this snapshot. */
  self->pending_since = 0;
  self->writing = TRUE;
  self->writing_discards = self->discards;
  g_set_object (&self->writing_file, file);
  reel_project_file_save_with_meta_async (self->project, file,
                                          REEL_PROJECT_FILE_SAVE_COPY |
                                          REEL_PROJECT_FILE_SAVE_KEEP_PLATES |
                                          REEL_PROJECT_FILE_SAVE_PRIVATE |
                                          REEL_PROJECT_FILE_SAVE_REFER_ASSETS,
                                          meta, self->cancellable, save_done,
                                          g_object_ref (self));
}

static gboolean
timeout_cb (gpointer user_data)
{
  ReelAutosave *self = user_data;

  self->timeout_id = 0;
  write_now (self);
  return G_SOURCE_REMOVE;
}

/* The timer runs out @delay_ms after the latest change, but never later than
 * @max_wait_ms after the oldest change that is not on disk yet: someone who keeps
 * working without a pause still gets a recovery file. */
static void
arm_timer (ReelAutosave *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 due = now + (gint64) self->delay_ms * 1000;
  gint64 latest = self->pending_since + (gint64) self->max_wait_ms * 1000;
  guint interval_ms;

  due = MIN (due, latest);
  interval_ms = due > now ? (guint) ((due - now + 999) / 1000) : 0;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (interval_ms, timeout_cb, self);
  g_source_set_name_by_id (self->timeout_id, "[storyreel] autosave");
}

void
reel_autosave_schedule (ReelAutosave *self)
{
  g_return_if_fail (REEL_IS_AUTOSAVE (self));

  if (self->pending_since == 0)
    self->pending_since = g_get_monotonic_time ();

  /* A write is under way: what changed since goes in the next one, which
   * save_done() schedules. */
  if (self->writing)
    {
      self->write_again = TRUE;
      return;
    }

  arm_timer (self);
}

void
reel_autosave_discard (ReelAutosave *self)
{
  g_return_if_fail (REEL_IS_AUTOSAVE (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->write_again = FALSE;
  self->pending_since = 0;
  self->discards++;

  if (self->file != NULL)
    {
      /* A write under way would bring the file back: stop it if it still can be,
       * and save_done() deletes what it wrote otherwise. */
      if (self->writing)
        {
          g_cancellable_cancel (self->cancellable);
          g_clear_object (&self->cancellable);
          self->cancellable = g_cancellable_new ();
        }
      delete_file (self->file);
      set_active (self->file, FALSE);
      g_clear_object (&self->file);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
    }
}

static void
project_changed_cb (ReelAutosave *self)
{
  if (reel_project_get_modified (self->project))
    reel_autosave_schedule (self);
}

static void
project_modified_cb (ReelAutosave *self)
{
  if (!reel_project_get_modified (self->project))
    reel_autosave_discard (self);
}

static void
reel_autosave_constructed (GObject *object)
{
  ReelAutosave *self = REEL_AUTOSAVE (object);
  const char *restored_key;

  G_OBJECT_CLASS (reel_autosave_parent_class)->constructed (object);

  g_return_if_fail (REEL_IS_PROJECT (self->project));

  /* A restored untitled project keeps writing to the file it came from. */
  restored_key = g_object_get_qdata (G_OBJECT (self->project), restored_key_quark);
  if (restored_key != NULL && g_str_has_prefix (restored_key, UNTITLED_PREFIX))
    self->untitled_key = g_strdup (restored_key);
  else
    {
      g_autofree char *uuid = g_uuid_string_random ();
      self->untitled_key = g_strconcat (UNTITLED_PREFIX, uuid, NULL);
    }

  /* The recovery file a restored project came from is this autosave's to delete
   * once the project is saved or discarded, even before it writes to it. */
  if (restored_key != NULL)
    {
      g_autoptr(GFile) directory = reel_autosave_get_directory ();
      g_autofree char *name = g_strconcat (restored_key, REEL_PROJECT_FILE_EXTENSION, NULL);

      self->file = g_file_get_child (directory, name);
      set_active (self->file, TRUE);
    }

  self->changed_id = g_signal_connect_swapped (self->project, "changed",
                                               G_CALLBACK (project_changed_cb), self);
  self->modified_id = g_signal_connect_swapped (self->project, "notify::modified",
                                                G_CALLBACK (project_modified_cb), self);
}

static void
reel_autosave_dispose (GObject *object)
{
  ReelAutosave *self = REEL_AUTOSAVE (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->project != NULL)
    {
      g_clear_signal_handler (&self->changed_id, self->project);
      g_clear_signal_handler (&self->modified_id, self->project);
    }
  /* Kept on disk: a window that goes away without saving or discarding (a crash of
   * the UI, say) leaves its work recoverable. */
  set_active (self->file, FALSE);
  g_clear_object (&self->file);
  g_clear_object (&self->project);

  G_OBJECT_CLASS (reel_autosave_parent_class)->dispose (object);
}

static void
reel_autosave_finalize (GObject *object)
{
  ReelAutosave *self = REEL_AUTOSAVE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->writing_file);
  g_free (self->untitled_key);

  G_OBJECT_CLASS (reel_autosave_parent_class)->finalize (object);
}

static void
reel_autosave_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ReelAutosave *self = REEL_AUTOSAVE (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_DELAY:
      g_value_set_uint (value, self->delay_ms);
      break;
    case PROP_MAX_WAIT:
      g_value_set_uint (value, self->max_wait_ms);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_autosave_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ReelAutosave *self = REEL_AUTOSAVE (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      self->project = g_value_dup_object (value);
      break;
    case PROP_DELAY:
      reel_autosave_set_delay (self, g_value_get_uint (value));
      break;
    case PROP_MAX_WAIT:
      reel_autosave_set_max_wait (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_autosave_class_init (ReelAutosaveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = reel_autosave_constructed;
  object_class->dispose = reel_autosave_dispose;
  object_class->finalize = reel_autosave_finalize;
  object_class->get_property = reel_autosave_get_property;
  object_class->set_property = reel_autosave_set_property;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, REEL_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DELAY] =
    g_param_spec_uint ("delay", NULL, NULL, 0, G_MAXUINT, REEL_AUTOSAVE_DEFAULT_DELAY_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_WAIT] =
    g_param_spec_uint ("max-wait", NULL, NULL, 0, G_MAXUINT, REEL_AUTOSAVE_DEFAULT_MAX_WAIT_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  restored_key_quark = g_quark_from_static_string ("reel-autosave-restored-key");
}

static void
reel_autosave_init (ReelAutosave *self)
{
  self->delay_ms = REEL_AUTOSAVE_DEFAULT_DELAY_MS;
  self->max_wait_ms = REEL_AUTOSAVE_DEFAULT_MAX_WAIT_MS;
  self->cancellable = g_cancellable_new ();
}

ReelAutosave *
reel_autosave_new (ReelProject *project)
{
  g_return_val_if_fail (REEL_IS_PROJECT (project), NULL);

  return g_object_new (REEL_TYPE_AUTOSAVE, "project", project, NULL);
}

ReelProject *
reel_autosave_get_project (ReelAutosave *self)
{
  g_return_val_if_fail (REEL_IS_AUTOSAVE (self), NULL);

  return self->project;
}

guint
reel_autosave_get_delay (ReelAutosave *self)
{
  g_return_val_if_fail (REEL_IS_AUTOSAVE (self), 0);

  return self->delay_ms;
}

void
reel_autosave_set_delay (ReelAutosave *self,
                         guint         delay_ms)
{
  g_return_if_fail (REEL_IS_AUTOSAVE (self));

  if (self->delay_ms == delay_ms)
    return;
  self->delay_ms = delay_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELAY]);
}

guint
reel_autosave_get_max_wait (ReelAutosave *self)
{
  g_return_val_if_fail (REEL_IS_AUTOSAVE (self), 0);

  return self->max_wait_ms;
}

void
reel_autosave_set_max_wait (ReelAutosave *self,
                            guint         max_wait_ms)
{
  g_return_if_fail (REEL_IS_AUTOSAVE (self));

  if (self->max_wait_ms == max_wait_ms)
    return;
  self->max_wait_ms = max_wait_ms;
  if (self->timeout_id != 0)
    arm_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_WAIT]);
}

GFile *
reel_autosave_get_file (ReelAutosave *self)
{
  g_return_val_if_fail (REEL_IS_AUTOSAVE (self), NULL);

  return self->file;
}

/* Entries. */

struct _ReelAutosaveEntry
{
  gatomicrefcount ref_count;
  GFile *file;
  GFile *document;
  char *title;
  char *key;
  GDateTime *time;
};

G_DEFINE_BOXED_TYPE (ReelAutosaveEntry, reel_autosave_entry,
                     reel_autosave_entry_ref, reel_autosave_entry_unref)

ReelAutosaveEntry *
reel_autosave_entry_ref (ReelAutosaveEntry *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
reel_autosave_entry_unref (ReelAutosaveEntry *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_object (&self->file);
  g_clear_object (&self->document);
  g_free (self->title);
  g_free (self->key);
  g_clear_pointer (&self->time, g_date_time_unref);
  g_free (self);
}

GFile *
reel_autosave_entry_get_file (ReelAutosaveEntry *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->file;
}

GFile *
reel_autosave_entry_get_document (ReelAutosaveEntry *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->document;
}

const char *
reel_autosave_entry_get_title (ReelAutosaveEntry *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->title;
}

GDateTime *
reel_autosave_entry_get_time (ReelAutosaveEntry *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->time;
}

ReelProject *
reel_autosave_entry_restore (ReelAutosaveEntry  *self,
                             GError            **error)
{
  return reel_autosave_entry_restore_full (self, NULL, error);
}

ReelProject *
reel_autosave_entry_restore_full (ReelAutosaveEntry  *self,
                                  GError            **missing,
                                  GError            **error)
{
  g_autoptr(ReelProject) project = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  /* Whatever was recovered has not been saved where it belongs yet: modified. */
  project = reel_project_file_load_unsaved (self->file, missing, error);
  if (project == NULL)
    return NULL;

  reel_project_file_set_file (project, self->document);
  if (restored_key_quark == 0)
    restored_key_quark = g_quark_from_static_string ("reel-autosave-restored-key");
  g_object_set_qdata_full (G_OBJECT (project), restored_key_quark, g_strdup (self->key),
                           g_free);

  return g_steal_pointer (&project);
}

typedef struct
{
  ReelProject *project;
  GError *missing;
} Restored;

static void
restored_free (Restored *restored)
{
  g_clear_object (&restored->project);
  g_clear_error (&restored->missing);
  g_free (restored);
}

static void
restore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ReelAutosaveEntry *entry = task_data;
  Restored *restored = g_new0 (Restored, 1);
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_free (restored);
      return;
    }
  restored->project = reel_autosave_entry_restore_full (entry, &restored->missing, &error);
  if (restored->project == NULL)
    {
      restored_free (restored);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, restored, (GDestroyNotify) restored_free);
}

void
reel_autosave_entry_restore_async (ReelAutosaveEntry   *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (restored_key_quark == 0)
    restored_key_quark = g_quark_from_static_string ("reel-autosave-restored-key");
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_autosave_entry_restore_async);
  g_task_set_task_data (task, reel_autosave_entry_ref (self),
                        (GDestroyNotify) reel_autosave_entry_unref);
  g_task_run_in_thread (task, restore_thread);
}

ReelProject *
reel_autosave_entry_restore_finish (GAsyncResult  *result,
                                    GError       **missing,
                                    GError       **error)
{
  Restored *restored;
  ReelProject *project;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        reel_autosave_entry_restore_async, NULL);

  restored = g_task_propagate_pointer (G_TASK (result), error);
  if (restored == NULL)
    return NULL;
  project = g_steal_pointer (&restored->project);
  if (restored->missing != NULL)
    g_propagate_error (missing, g_steal_pointer (&restored->missing));
  restored_free (restored);
  return project;
}

gboolean
reel_autosave_entry_discard (ReelAutosaveEntry  *self,
                             GError            **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  path = g_file_get_path (self->file);
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;
      g_autofree char *name = g_file_get_parse_name (self->file);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not delete the autosaved copy “%s”: %s"), name,
                   g_strerror (saved_errno));
      return FALSE;
    }
  {
    g_autofree char *journal = g_strconcat (path, "-journal", NULL);
    g_unlink (journal);
  }
  return TRUE;
}

static int
compare_entries_newest_first (gconstpointer a,
                              gconstpointer b)
{
  const ReelAutosaveEntry *entry_a = *(ReelAutosaveEntry * const *) a;
  const ReelAutosaveEntry *entry_b = *(ReelAutosaveEntry * const *) b;

  return g_date_time_compare (entry_b->time, entry_a->time);
}

GPtrArray *
reel_autosave_list_recoverable (GError **error)
{
  g_autoptr(GFile) directory = reel_autosave_get_directory ();
  g_autofree char *directory_path = g_file_get_path (directory);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) reel_autosave_entry_unref);

  dir = g_dir_open (directory_path, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&entries);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GFile) file = NULL;
      g_autoptr(GHashTable) meta = NULL;
      g_autoptr(GError) read_error = NULL;
      ReelAutosaveEntry *entry;
      const char *document;
      struct stat st;

      if (!g_str_has_suffix (name, REEL_PROJECT_FILE_EXTENSION) || name[0] == '.')
        continue;

      path = g_build_filename (directory_path, name, NULL);
      if (is_active (path) || stat (path, &st) != 0)
        continue;

      file = g_file_new_for_path (path);
      meta = reel_project_file_read_meta (file, &read_error);
      if (meta == NULL)
        {
          g_debug ("Not offering %s: %s", path, read_error->message);
          continue;
        }

      entry = g_new0 (ReelAutosaveEntry, 1);
      g_atomic_ref_count_init (&entry->ref_count);
      entry->file = g_steal_pointer (&file);
      document = g_hash_table_lookup (meta, META_DOCUMENT);
      if (document != NULL && *document != '\0')
        entry->document = g_file_new_for_path (document);
      entry->title = g_strdup (g_hash_table_lookup (meta, META_TITLE));
      if (entry->title == NULL)
        entry->title = g_strdup ("");
      entry->key = g_strdup (g_hash_table_lookup (meta, META_KEY));
      {
        g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_local (st.st_mtim.tv_sec);

        entry->time = g_date_time_add (seconds, st.st_mtim.tv_nsec / 1000);
      }
      g_ptr_array_add (entries, entry);
    }

  g_ptr_array_sort (entries, compare_entries_newest_first);
  return g_steal_pointer (&entries);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *entries;

  if (g_task_return_error_if_cancelled (task))
    return;
  entries = reel_autosave_list_recoverable (&error);
  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
}

void
reel_autosave_list_recoverable_async (GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  /* Which files this process is writing is looked up under a lock: the worker may. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, reel_autosave_list_recoverable_async);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
reel_autosave_list_recoverable_finish (GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        reel_autosave_list_recoverable_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
