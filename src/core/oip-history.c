/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

#include "oip-error.h"
#include "oip-history-private.h"

/**
 * OipHistory:
 *
 * Every push, undo, restore and retry, in the #OipDatabase: what Ozon had
 * before, what was sent, every image's final state, and how it ended.
 *
 * A record saved while its push runs names the process that runs it (pid,
 * the process's start time and the boot it belongs to, which together
 * survive pid reuse). When that process is gone and the record still says
 * running, it is read, and stored, as interrupted.
 */
struct _OipHistory
{
  GObject      parent_instance;

  OipDatabase *db;
};

G_DEFINE_FINAL_TYPE (OipHistory, oip_history, G_TYPE_OBJECT)

/* ------------------------------------------------------------------ */
/* Records                                                             */

/**
 * oip_push_record_image_new:
 * @source: (nullable): what the seller added
 *
 * Returns: (transfer full): an image at position 0, with no state yet
 */
OipPushRecordImage *
oip_push_record_image_new (const char *source)
{
  OipPushRecordImage *image = g_new0 (OipPushRecordImage, 1);

  image->source = g_strdup (source);
  return image;
}

OipPushRecordImage *
oip_push_record_image_copy (const OipPushRecordImage *image)
{
  OipPushRecordImage *copy;

  g_return_val_if_fail (image != NULL, NULL);

  copy = g_memdup2 (image, sizeof *image);
  copy->source = g_strdup (image->source);
  copy->url = g_strdup (image->url);
  copy->state = g_strdup (image->state);
  copy->error = g_strdup (image->error);
  return copy;
}

void
oip_push_record_image_free (OipPushRecordImage *image)
{
  if (image == NULL)
    return;
  g_free (image->source);
  g_free (image->url);
  g_free (image->state);
  g_free (image->error);
  g_free (image);
}

/**
 * oip_push_record_new:
 *
 * Returns: (transfer full): an unsaved push record, running, with an
 *   empty image list
 */
OipPushRecord *
oip_push_record_new (void)
{
  OipPushRecord *record = g_new0 (OipPushRecord, 1);

  record->kind = OIP_PUSH_KIND_PUSH;
  record->outcome = OIP_PUSH_OUTCOME_RUNNING;
  record->images = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_push_record_image_free);
  return record;
}

OipPushRecord *
oip_push_record_copy (const OipPushRecord *record)
{
  OipPushRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_memdup2 (record, sizeof *record);
  copy->offer_id = g_strdup (record->offer_id);
  copy->client_id = g_strdup (record->client_id);
  copy->before_images = g_strdupv (record->before_images);
  copy->before_color = g_strdup (record->before_color);
  copy->after_images = g_strdupv (record->after_images);
  copy->after_color = g_strdup (record->after_color);
  copy->sent_color = g_strdup (record->sent_color);
  copy->error_code = g_strdup (record->error_code);
  copy->error_message = g_strdup (record->error_message);
  copy->images = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_push_record_image_free);
  for (guint i = 0; record->images != NULL && i < record->images->len; i++)
    g_ptr_array_add (copy->images, oip_push_record_image_copy (g_ptr_array_index (record->images, i)));
  return copy;
}

void
oip_push_record_free (OipPushRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->offer_id);
  g_free (record->client_id);
  g_strfreev (record->before_images);
  g_free (record->before_color);
  g_strfreev (record->after_images);
  g_free (record->after_color);
  g_free (record->sent_color);
  g_clear_pointer (&record->images, g_ptr_array_unref);
  g_free (record->error_code);
  g_free (record->error_message);
  g_free (record);
}

/**
 * oip_push_record_count_images:
 * @state: (nullable): an image state such as "failed"; %NULL for all
 *
 * Returns: how many images of @record ended in @state
 */
guint
oip_push_record_count_images (const OipPushRecord *record,
                              const char          *state)
{
  guint count = 0;

  g_return_val_if_fail (record != NULL, 0);

  for (guint i = 0; record->images != NULL && i < record->images->len; i++)
    {
      const OipPushRecordImage *image = g_ptr_array_index (record->images, i);

      if (state == NULL || g_strcmp0 (image->state, state) == 0)
        count++;
    }
  return count;
}

/**
 * oip_push_kind_to_string:
 *
 * Returns: a stable, untranslated name, for JSON output
 */
const char *
oip_push_kind_to_string (OipPushKind kind)
{
  switch (kind)
    {
    case OIP_PUSH_KIND_UNDO:
      return "undo";
    case OIP_PUSH_KIND_RESTORE:
      return "restore";
    case OIP_PUSH_KIND_RETRY:
      return "retry";
    case OIP_PUSH_KIND_PUSH:
    default:
      return "push";
    }
}

/**
 * oip_push_outcome_to_string:
 *
 * Returns: a stable, untranslated name, for JSON output
 */
const char *
oip_push_outcome_to_string (OipPushOutcome outcome)
{
  switch (outcome)
    {
    case OIP_PUSH_OUTCOME_RUNNING:
      return "running";
    case OIP_PUSH_OUTCOME_SUCCEEDED:
      return "succeeded";
    case OIP_PUSH_OUTCOME_PARTIAL:
      return "partial";
    case OIP_PUSH_OUTCOME_CANCELLED:
      return "cancelled";
    case OIP_PUSH_OUTCOME_INTERRUPTED:
      return "interrupted";
    case OIP_PUSH_OUTCOME_PENDING:
      return "pending";
    case OIP_PUSH_OUTCOME_FAILED:
    default:
      return "failed";
    }
}

/* ------------------------------------------------------------------ */
/* Which process owns a running record (Linux /proc)                   */

static char *
read_boot_id (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/sys/kernel/random/boot_id", &text, NULL, NULL))
    return NULL;
  return g_strdup (g_strstrip (text));
}

/* The process's state letter and its start time in clock ticks since
 * boot (field 22 of /proc/PID/stat). */
static gboolean
read_process (pid_t   pid,
              char   *state,
              gint64 *started)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *end;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  /* The command name may hold spaces and parentheses: skip to its end. */
  end = strrchr (text, ')');
  if (end == NULL || end[1] != ' ')
    return FALSE;
  fields = g_strsplit (end + 2, " ", 0);
  if (g_strv_length (fields) < 20 ||
      !g_ascii_string_to_signed (fields[19], 10, 0, G_MAXINT64, started, NULL))
    return FALSE;
  *state = fields[0][0];
  return TRUE;
}

typedef struct
{
  gint64  pid;
  gint64  started;
  char   *boot;
} Owner;

static const Owner *
this_process (void)
{
  static Owner owner;
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      char state;

      owner.pid = getpid ();
      if (!read_process (getpid (), &state, &owner.started))
        owner.started = 0;
      owner.boot = read_boot_id ();
      g_once_init_leave (&done, 1);
    }
  return &owner;
}

/**
 * oip_history_owner_alive:
 *
 * Returns: whether the process that wrote @pid, @started and @boot (see
 *   oip_history_this_process()) still runs
 */
gboolean
oip_history_owner_alive (gint64      pid,
                         gint64      started,
                         const char *boot)
{
  const Owner *self = this_process ();
  char state = '?';
  gint64 now_started = 0;

  if (pid <= 0 || pid > G_MAXINT)
    return FALSE;
  if (boot != NULL && self->boot != NULL && strcmp (boot, self->boot) != 0)
    return FALSE;   /* the machine was restarted since */
  if (pid == self->pid && started == self->started)
    return TRUE;

  if (!read_process ((pid_t) pid, &state, &now_started))
    {
      /* No /proc entry: gone, unless /proc cannot be read at all. */
      if (g_file_test ("/proc/self/stat", G_FILE_TEST_EXISTS))
        return FALSE;
      return kill ((pid_t) pid, 0) == 0 || errno == EPERM;
    }
  if (state == 'Z' || state == 'X')
    return FALSE;   /* killed, not yet reaped */
  return started == 0 || now_started == started;
}

/**
 * oip_history_this_process:
 * @pid: (out): this process
 * @started: (out): when it started, in clock ticks since boot
 * @boot: (out) (transfer none) (nullable): this boot's id
 *
 * What a running row stores so that another process can tell whether
 * its writer is still alive.
 */
void
oip_history_this_process (gint64      *pid,
                          gint64      *started,
                          const char **boot)
{
  const Owner *owner = this_process ();

  *pid = owner->pid;
  *started = owner->started;
  *boot = owner->boot;
}

/* ------------------------------------------------------------------ */
/* Rows (worker thread)                                                */

static GStrv
column_strv (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  g_autoptr(GError) error = NULL;
  GStrv strv;

  if (text == NULL)
    return NULL;
  strv = oip_database_strv_from_json (text, sqlite3_column_bytes (stmt, column), &error);
  if (strv == NULL)
    g_debug ("Unreadable image list in the push history: %s", error->message);
  return strv;
}

static guint
clamp_enum (gint64 value,
            guint  last,
            guint  fallback)
{
  return value >= 0 && value <= last ? (guint) value : fallback;
}

/**
 * oip_history_record_from_row:
 * @stmt: a row of %OIP_HISTORY_RECORD_COLUMNS
 *
 * Whatever the row holds (another program, a damaged file), the record
 * has valid UTF-8 strings and known enum values. A running record whose
 * process is gone reads as interrupted.
 *
 * Returns: (transfer full): the record, without its images
 */
OipPushRecord *
oip_history_record_from_row (sqlite3_stmt *stmt)
{
  OipPushRecord *record = oip_push_record_new ();
  g_autofree char *owner_boot = NULL;

  record->id = sqlite3_column_int64 (stmt, 0);
  record->kind = clamp_enum (sqlite3_column_int64 (stmt, 1), OIP_PUSH_KIND_RETRY, OIP_PUSH_KIND_PUSH);
  record->source_push_id = sqlite3_column_int64 (stmt, 2);
  record->bulk_run_id = sqlite3_column_int64 (stmt, 3);
  record->product_id = sqlite3_column_int64 (stmt, 4);
  record->offer_id = oip_database_column_text (stmt, 5);
  record->client_id = oip_database_column_text (stmt, 6);
  record->started_at = sqlite3_column_int64 (stmt, 7);
  record->finished_at = sqlite3_column_int64 (stmt, 8);
  record->outcome = clamp_enum (sqlite3_column_int64 (stmt, 9), OIP_PUSH_OUTCOME_INTERRUPTED,
                                OIP_PUSH_OUTCOME_FAILED);
  record->before_known = sqlite3_column_int64 (stmt, 10) != 0;
  record->before_images = column_strv (stmt, 11);
  record->before_color = oip_database_column_text (stmt, 12);
  record->after_images = column_strv (stmt, 13);
  record->after_color = oip_database_column_text (stmt, 14);
  record->sent_color = oip_database_column_text (stmt, 15);
  record->error_code = oip_database_column_text (stmt, 16);
  record->error_message = oip_database_column_text (stmt, 17);
  record->task_id = sqlite3_column_int64 (stmt, 18);
  owner_boot = oip_database_column_text (stmt, 21);

  if (record->outcome == OIP_PUSH_OUTCOME_RUNNING &&
      !oip_history_owner_alive (sqlite3_column_int64 (stmt, 19), sqlite3_column_int64 (stmt, 20), owner_boot))
    record->outcome = OIP_PUSH_OUTCOME_INTERRUPTED;
  return record;
}

/**
 * oip_history_image_from_row:
 * @stmt: a row of %OIP_HISTORY_IMAGE_COLUMNS
 *
 * Returns: (transfer full): the image
 */
OipPushRecordImage *
oip_history_image_from_row (sqlite3_stmt *stmt)
{
  OipPushRecordImage *image = oip_push_record_image_new (NULL);

  image->position = CLAMP (sqlite3_column_int64 (stmt, 0), 0, G_MAXUINT);
  image->source = oip_database_column_text (stmt, 1);
  image->url = oip_database_column_text (stmt, 2);
  image->is_main = sqlite3_column_int64 (stmt, 3) != 0;
  image->is_color = sqlite3_column_int64 (stmt, 4) != 0;
  image->state = oip_database_column_text (stmt, 5);
  image->error = oip_database_column_text (stmt, 6);
  return image;
}

static void
bind_strv (sqlite3_stmt       *stmt,
           int                 index,
           const char * const *strv)
{
  if (strv == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, oip_database_strv_to_json (strv), -1, g_free);
}

/**
 * oip_history_write_record:
 * @db: the connection, inside a write transaction the caller holds
 * @record: inserted when its id is 0, else updated, its images replaced
 *
 * For a bulk run, whose records are written in its own transactions with
 * its own rows. A record written running names this process.
 *
 * Returns: the record's id, or 0 with @error
 */
gint64
oip_history_write_record (sqlite3              *db,
                          const OipPushRecord  *record,
                          GError              **error)
{
  const Owner *owner = this_process ();
  gboolean running = record->outcome == OIP_PUSH_OUTCOME_RUNNING;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) images = NULL;
  gint64 id;
  int rc;

  stmt = oip_database_prepare (db,
    "INSERT INTO pushes (id, kind, source_push_id, bulk_run_id, product_id, offer_id, client_id, started_at, "
    "  finished_at, outcome, before_known, before_images, before_color, after_images, after_color, "
    "  sent_color, error_code, error_message, task_id, owner_pid, owner_started, owner_boot) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22) "
    "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, source_push_id = excluded.source_push_id, "
    "  bulk_run_id = excluded.bulk_run_id, product_id = excluded.product_id, offer_id = excluded.offer_id, "
    "  client_id = excluded.client_id, started_at = excluded.started_at, finished_at = excluded.finished_at, "
    "  outcome = excluded.outcome, before_known = excluded.before_known, before_images = excluded.before_images, "
    "  before_color = excluded.before_color, after_images = excluded.after_images, "
    "  after_color = excluded.after_color, sent_color = excluded.sent_color, error_code = excluded.error_code, "
    "  error_message = excluded.error_message, task_id = excluded.task_id, owner_pid = excluded.owner_pid, "
    "  owner_started = excluded.owner_started, owner_boot = excluded.owner_boot",
    error);
  if (stmt == NULL)
    return 0;

  if (record->id > 0)
    sqlite3_bind_int64 (stmt, 1, record->id);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_int (stmt, 2, record->kind);
  sqlite3_bind_int64 (stmt, 3, record->source_push_id);
  sqlite3_bind_int64 (stmt, 4, record->bulk_run_id);
  sqlite3_bind_int64 (stmt, 5, record->product_id);
  oip_database_bind_text (stmt, 6, record->offer_id);
  oip_database_bind_text (stmt, 7, record->client_id);
  sqlite3_bind_int64 (stmt, 8, record->started_at);
  sqlite3_bind_int64 (stmt, 9, record->finished_at);
  sqlite3_bind_int (stmt, 10, record->outcome);
  sqlite3_bind_int (stmt, 11, record->before_known ? 1 : 0);
  bind_strv (stmt, 12, (const char * const *) record->before_images);
  oip_database_bind_text (stmt, 13, record->before_color);
  bind_strv (stmt, 14, (const char * const *) record->after_images);
  oip_database_bind_text (stmt, 15, record->after_color);
  oip_database_bind_text (stmt, 16, record->sent_color);
  oip_database_bind_text (stmt, 17, record->error_code);
  oip_database_bind_text (stmt, 18, record->error_message);
  sqlite3_bind_int64 (stmt, 19, record->task_id);
  sqlite3_bind_int64 (stmt, 20, running ? owner->pid : 0);
  sqlite3_bind_int64 (stmt, 21, running ? owner->started : 0);
  oip_database_bind_text (stmt, 22, running ? owner->boot : NULL);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      g_propagate_error (error, oip_database_error (db, rc));
      return 0;
    }
  id = record->id > 0 ? record->id : sqlite3_last_insert_rowid (db);

  g_clear_pointer (&stmt, sqlite3_finalize);
  stmt = oip_database_prepare (db, "DELETE FROM push_images WHERE push_id = ?1", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, id);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    {
      g_propagate_error (error, oip_database_error (db, rc));
      return 0;
    }

  images = oip_database_prepare (db,
    "INSERT INTO push_images (push_id, position, source, url, is_main, is_color, state, error) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
  if (images == NULL)
    return 0;
  for (guint i = 0; record->images != NULL && i < record->images->len; i++)
    {
      const OipPushRecordImage *image = g_ptr_array_index (record->images, i);

      sqlite3_reset (images);
      sqlite3_bind_int64 (images, 1, id);
      /* Positions are the key: the order sent, whatever the caller set. */
      sqlite3_bind_int64 (images, 2, i);
      oip_database_bind_text (images, 3, image->source);
      oip_database_bind_text (images, 4, image->url);
      sqlite3_bind_int (images, 5, image->is_main ? 1 : 0);
      sqlite3_bind_int (images, 6, image->is_color ? 1 : 0);
      oip_database_bind_text (images, 7, image->state);
      oip_database_bind_text (images, 8, image->error);
      if ((rc = sqlite3_step (images)) != SQLITE_DONE)
        {
          g_propagate_error (error, oip_database_error (db, rc));
          return 0;
        }
    }
  return id;
}

static gpointer
save_in_db (sqlite3   *db,
            gpointer   user_data,
            GError   **error)
{
  OipPushRecord *record = user_data;
  gint64 id;

  if (!oip_database_begin (db, error))
    return NULL;
  id = oip_history_write_record (db, record, error);
  if (id <= 0 || !oip_database_commit (db, error))
    return NULL;
  return g_memdup2 (&id, sizeof id);
}

/* Running records whose process is gone are stored as interrupted. A
 * failure here (busy, read-only) only means they are stored so next
 * time; they are read as interrupted regardless. */
static void
sweep_interrupted (sqlite3 *db)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autoptr(GArray) dead = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;

  stmt = oip_database_prepare (db, "SELECT id, owner_pid, owner_started, owner_boot FROM pushes WHERE outcome = 0",
                               &error);
  if (stmt == NULL)
    goto failed;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *boot = oip_database_column_text (stmt, 3);
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (!oip_history_owner_alive (sqlite3_column_int64 (stmt, 1), sqlite3_column_int64 (stmt, 2), boot))
        g_array_append_val (dead, id);
    }
  if (dead->len == 0)
    return;

  if (!oip_database_begin (db, &error))
    goto failed;
  update = oip_database_prepare (db,
    "UPDATE pushes SET outcome = 5, owner_pid = 0, owner_started = 0, owner_boot = NULL "
    "WHERE id = ?1 AND outcome = 0", &error);
  if (update == NULL)
    goto failed;
  for (guint i = 0; i < dead->len; i++)
    {
      sqlite3_reset (update);
      sqlite3_bind_int64 (update, 1, g_array_index (dead, gint64, i));
      if (sqlite3_step (update) != SQLITE_DONE)
        {
          error = oip_database_error (db, sqlite3_errcode (db));
          goto failed;
        }
    }
  if (oip_database_commit (db, &error))
    return;

failed:
  oip_database_rollback (db);
  g_debug ("Interrupted pushes not marked: %s", error ? error->message : "?");
}

static gboolean
read_images (sqlite3        *db,
             sqlite3_stmt   *images,
             OipPushRecord  *record,
             GError        **error)
{
  int rc;

  sqlite3_reset (images);
  sqlite3_bind_int64 (images, 1, record->id);
  while ((rc = sqlite3_step (images)) == SQLITE_ROW)
    g_ptr_array_add (record->images, oip_history_image_from_row (images));
  if (rc != SQLITE_DONE)
    {
      g_propagate_error (error, oip_database_error (db, rc));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  gint64 product_id;
  gint64 limit;
  gint64 before_id;
} ListData;

static gpointer
list_in_db (sqlite3   *db,
            gpointer   user_data,
            GError   **error)
{
  ListData *data = user_data;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_push_record_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) images = NULL;
  int rc;

  sweep_interrupted (db);

  /* Two statements, so each uses its index: the table newest first, or
   * one product's pushes. */
  if (data->product_id != 0)
    stmt = oip_database_prepare (db,
      "SELECT " OIP_HISTORY_RECORD_COLUMNS " FROM pushes "
      "WHERE product_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3", error);
  else
    stmt = oip_database_prepare (db,
      "SELECT " OIP_HISTORY_RECORD_COLUMNS " FROM pushes "
      "WHERE ?1 = 0 AND id < ?2 ORDER BY id DESC LIMIT ?3", error);
  images = oip_database_prepare (db,
    "SELECT " OIP_HISTORY_IMAGE_COLUMNS " FROM push_images WHERE push_id = ?1 ORDER BY position", error);
  if (stmt == NULL || images == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, data->product_id);
  sqlite3_bind_int64 (stmt, 2, data->before_id > 0 ? data->before_id : G_MAXINT64);
  sqlite3_bind_int64 (stmt, 3, data->limit > 0 ? data->limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, oip_history_record_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      g_propagate_error (error, oip_database_error (db, rc));
      return NULL;
    }

  for (guint i = 0; i < records->len; i++)
    if (!read_images (db, images, g_ptr_array_index (records, i), error))
      return NULL;
  return g_steal_pointer (&records);
}

static gpointer
get_in_db (sqlite3   *db,
           gpointer   user_data,
           GError   **error)
{
  gint64 id = *(gint64 *) user_data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) images = NULL;
  g_autoptr(OipPushRecord) record = NULL;
  int rc;

  sweep_interrupted (db);

  stmt = oip_database_prepare (db, "SELECT " OIP_HISTORY_RECORD_COLUMNS " FROM pushes WHERE id = ?1", error);
  images = oip_database_prepare (db,
    "SELECT " OIP_HISTORY_IMAGE_COLUMNS " FROM push_images WHERE push_id = ?1 ORDER BY position", error);
  if (stmt == NULL || images == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_set_error (error, OIP_ERROR, OIP_ERROR_PUSH_NOT_FOUND, _("No push with ID %s was recorded"), text);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      g_propagate_error (error, oip_database_error (db, rc));
      return NULL;
    }
  record = oip_history_record_from_row (stmt);
  if (!read_images (db, images, record, error))
    return NULL;
  return g_steal_pointer (&record);
}

/**
 * oip_history_read_records:
 * @ids: (array length=n_ids): records to read
 *
 * On the worker thread, for a bulk run's own reads.
 *
 * Returns: (transfer container) (element-type OipPushRecord): the records
 *   that exist, with their images, in the order of @ids; %NULL with @error
 */
GPtrArray *
oip_history_read_records (sqlite3       *db,
                          const gint64  *ids,
                          guint          n_ids,
                          GError       **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_push_record_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) images = NULL;
  int rc;

  stmt = oip_database_prepare (db, "SELECT " OIP_HISTORY_RECORD_COLUMNS " FROM pushes WHERE id = ?1", error);
  images = oip_database_prepare (db,
    "SELECT " OIP_HISTORY_IMAGE_COLUMNS " FROM push_images WHERE push_id = ?1 ORDER BY position", error);
  if (stmt == NULL || images == NULL)
    return NULL;
  for (guint i = 0; i < n_ids; i++)
    {
      OipPushRecord *record;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, ids[i]);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        continue;
      if (rc != SQLITE_ROW)
        {
          g_propagate_error (error, oip_database_error (db, rc));
          return NULL;
        }
      record = oip_history_record_from_row (stmt);
      g_ptr_array_add (records, record);
      if (!read_images (db, images, record, error))
        return NULL;
    }
  return g_steal_pointer (&records);
}

/* ------------------------------------------------------------------ */
/* GObject and API                                                     */

static void
oip_history_finalize (GObject *object)
{
  OipHistory *self = (OipHistory *)object;

  g_clear_object (&self->db);

  G_OBJECT_CLASS (oip_history_parent_class)->finalize (object);
}

static void
oip_history_class_init (OipHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oip_history_finalize;
}

static void
oip_history_init (OipHistory *self)
{
}

/**
 * oip_history_new:
 * @db: the database, open or being opened
 *
 * Returns: (transfer full): the push history in @db
 */
OipHistory *
oip_history_new (OipDatabase *db)
{
  OipHistory *self;

  g_return_val_if_fail (OIP_IS_DATABASE (db), NULL);

  self = g_object_new (OIP_TYPE_HISTORY, NULL);
  self->db = g_object_ref (db);
  return self;
}

/**
 * oip_history_get_database:
 *
 * Returns: (transfer none): the database the history lives in
 */
OipDatabase *
oip_history_get_database (OipHistory *self)
{
  g_return_val_if_fail (OIP_IS_HISTORY (self), NULL);
  return self->db;
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gpointer value = oip_database_run_finish (OIP_DATABASE (source), result, &error);

  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, g_task_get_task_data (task));
}

/* The history's own task, so its finish functions check their source. */
static void
run (OipHistory          *self,
     gpointer             tag,
     OipDatabaseFunc      func,
     gpointer             data,
     GDestroyNotify       data_free,
     GDestroyNotify       result_free,
     GCancellable        *cancellable,
     GAsyncReadyCallback  callback,
     gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tag);
  /* task data: how to free the result if nobody takes it */
  g_task_set_task_data (task, result_free, NULL);
  oip_database_run_full_async (self->db, func, data, data_free, result_free, cancellable, on_run_done, task);
}

/**
 * oip_history_save_async:
 * @record: saved as it is now (copied); inserted when its id is 0, else
 *   updated, its images replaced
 *
 * One transaction. A record saved running names this process, so that it
 * reads as interrupted if this process dies before saving it again.
 */
void
oip_history_save_async (OipHistory          *self,
                        const OipPushRecord *record,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (OIP_IS_HISTORY (self));
  g_return_if_fail (record != NULL);
  g_return_if_fail (record->id >= 0);

  run (self, oip_history_save_async, save_in_db, oip_push_record_copy (record),
       (GDestroyNotify) oip_push_record_free, g_free, cancellable, callback, user_data);
}

/**
 * oip_history_save_finish:
 *
 * Returns: the record's id, or 0 with @error
 */
gint64
oip_history_save_finish (OipHistory    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_autofree gint64 *id = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oip_history_save_async, 0);

  id = g_task_propagate_pointer (G_TASK (result), error);
  return id != NULL ? *id : 0;
}

/**
 * oip_history_list_async:
 * @product_id: one product's pushes, or 0 for all
 * @limit: at most this many; 0 for all
 * @before_id: only records older than this one (the next page); 0 for
 *   the newest
 */
void
oip_history_list_async (OipHistory          *self,
                        gint64               product_id,
                        guint                limit,
                        gint64               before_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  ListData *data;

  g_return_if_fail (OIP_IS_HISTORY (self));

  data = g_new0 (ListData, 1);
  data->product_id = product_id;
  data->limit = limit;
  data->before_id = before_id;
  run (self, oip_history_list_async, list_in_db, data, g_free, (GDestroyNotify) g_ptr_array_unref,
       cancellable, callback, user_data);
}

/**
 * oip_history_list_finish:
 *
 * Returns: (transfer container) (element-type OipPushRecord): the
 *   records, newest first, with their images; %NULL with @error
 */
GPtrArray *
oip_history_list_finish (OipHistory    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oip_history_list_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
oip_history_get_async (OipHistory          *self,
                       gint64               id,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  gint64 *data;

  g_return_if_fail (OIP_IS_HISTORY (self));

  data = g_new (gint64, 1);
  *data = id;
  run (self, oip_history_get_async, get_in_db, data, g_free, (GDestroyNotify) oip_push_record_free,
       cancellable, callback, user_data);
}

/**
 * oip_history_get_finish:
 *
 * Returns: (transfer full): the record with its images; %NULL with
 *   %OIP_ERROR_PUSH_NOT_FOUND when there is none with that id
 */
OipPushRecord *
oip_history_get_finish (OipHistory    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oip_history_get_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
