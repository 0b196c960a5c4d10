/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "oip-bulk-run-private.h"
#include "oip-error.h"
#include "oip-history-private.h"

/* A bulk run's rows: the run, each product's plan and progress, and the
 * addresses of the local files already uploaded. Everything here but the
 * row copies runs on the database's thread. */

/* Rows and items (main thread) */

OipBulkRow *
oip_bulk_row_new_from_item (OipBulkItem *item)
{
  OipBulkRow *row = g_new0 (OipBulkRow, 1);

  row->position = item->position;
  row->key = item->key;
  row->identifier = g_strdup (item->identifier);
  row->line = item->line;
  row->location = g_strdup (item->location);
  row->product_id = item->product_id;
  row->offer_id = g_strdup (item->offer_id);
  row->name = g_strdup (item->name);
  row->sources = g_strdupv (item->sources ? item->sources : item->given_images);
  row->color_source = g_strdup (item->sources ? item->color_source : item->given_color);
  if (item->sources != NULL)
    row->sent = oip_bulk_item_dup_sent (item, &row->sent_color);
  row->before_known = item->before_known;
  row->before = g_strdupv (item->before);
  row->before_color = g_strdup (item->before_color);
  row->after = g_strdupv (item->after);
  row->after_color = g_strdup (item->after_color);
  row->local_bytes = item->local_bytes;
  row->problems = g_strdupv ((char **) item->problems->pdata);
  row->state = item->state;
  row->batch = item->batch;
  row->task_id = item->task_id;
  row->push_id = item->history_id;
  row->source_push_id = item->source_push_id;
  row->readdressed = item->readdressed;
  row->n_sent = item->n_sent;
  row->n_imported = item->n_imported;
  row->n_skipped = item->n_skipped;
  row->n_failed = item->n_failed;
  row->error_code = g_strdup (item->error_code);
  row->error = g_strdup (item->error);
  row->ozon_message = g_strdup (item->ozon_message);
  return row;
}

void
oip_bulk_row_free (OipBulkRow *row)
{
  if (row == NULL)
    return;
  g_free (row->identifier);
  g_free (row->location);
  g_free (row->offer_id);
  g_free (row->name);
  g_strfreev (row->sources);
  g_free (row->color_source);
  g_strfreev (row->sent);
  g_free (row->sent_color);
  g_strfreev (row->before);
  g_free (row->before_color);
  g_strfreev (row->after);
  g_free (row->after_color);
  g_strfreev (row->problems);
  g_free (row->error_code);
  g_free (row->error);
  g_free (row->ozon_message);
  g_free (row);
}

/**
 * oip_bulk_item_new_from_row:
 *
 * Returns: (transfer full): the product as the row left it
 */
OipBulkItem *
oip_bulk_item_new_from_row (const OipBulkRow *row)
{
  OipBulkItem *item = oip_bulk_item_new (row->position, row->key, row->identifier, row->line, row->location);

  item->product_id = row->product_id;
  item->offer_id = g_strdup (row->offer_id);
  item->name = g_strdup (row->name);
  if (row->before_known)
    oip_bulk_item_set_before (item, (const char * const *) row->before, row->before_color);
  oip_bulk_item_set_sources (item, (const char * const *) row->sources, row->color_source,
                             (const char * const *) row->sent, row->sent_color);
  if (row->after != NULL)
    oip_bulk_item_set_after (item, (const char * const *) row->after, row->after_color);
  item->local_bytes = row->local_bytes;
  for (guint i = 0; row->problems != NULL && row->problems[i] != NULL; i++)
    oip_bulk_item_add_problem (item, row->problems[i]);
  item->batch = row->batch;
  item->task_id = row->task_id;
  item->history_id = row->push_id;
  item->source_push_id = row->source_push_id;
  item->readdressed = row->readdressed;
  item->started_at = row->started_at;
  oip_bulk_item_set_counts (item, row->n_sent, row->n_imported, row->n_skipped, row->n_failed);
  oip_bulk_item_set_state (item, row->state, row->error_code, row->error, row->ozon_message);
  return item;
}

OipBulkFile *
oip_bulk_file_new (const char *uri,
                   guint64     size,
                   gint64      mtime,
                   const char *url)
{
  OipBulkFile *file = g_new0 (OipBulkFile, 1);

  file->uri = g_strdup (uri);
  file->size = size;
  file->mtime = mtime;
  file->url = g_strdup (url);
  return file;
}

void
oip_bulk_file_free (OipBulkFile *file)
{
  if (file == NULL)
    return;
  g_free (file->uri);
  g_free (file->url);
  g_free (file);
}

void
oip_bulk_loaded_free (OipBulkLoaded *loaded)
{
  if (loaded == NULL)
    return;
  g_free (loaded->client_id);
  g_free (loaded->source);
  g_clear_pointer (&loaded->rows, g_ptr_array_unref);
  g_clear_pointer (&loaded->files, g_ptr_array_unref);
  g_clear_pointer (&loaded->records, g_ptr_array_unref);
  g_free (loaded);
}

/* Statements (worker thread) */

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

static GStrv
column_strv (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  if (text == NULL)
    return NULL;
  /* A damaged list reads as none rather than stopping the run. */
  return oip_database_strv_from_json (text, sqlite3_column_bytes (stmt, column), NULL);
}

static gboolean
step_done (sqlite3       *db,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE)
    return TRUE;
  g_propagate_error (error, oip_database_error (db, rc));
  return FALSE;
}

#define ITEM_COLUMNS \
  "position, key, identifier, line, location, product_id, offer_id, name, images, color_image, " \
  "sent_images, sent_color, before_known, before_images, before_color, after_images, after_color, " \
  "local_bytes, problems, state, batch, task_id, push_id, source_push_id, readdressed, n_sent, " \
  "n_imported, n_skipped, n_failed, error_code, error_message, ozon_message"

static gboolean
write_row (sqlite3           *db,
           sqlite3_stmt      *stmt,
           gint64             run_id,
           const OipBulkRow  *row,
           GError           **error)
{
  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int64 (stmt, 2, row->position);
  sqlite3_bind_int (stmt, 3, row->key);
  oip_database_bind_text (stmt, 4, row->identifier ? row->identifier : "");
  sqlite3_bind_int64 (stmt, 5, row->line);
  oip_database_bind_text (stmt, 6, row->location);
  sqlite3_bind_int64 (stmt, 7, row->product_id);
  oip_database_bind_text (stmt, 8, row->offer_id);
  oip_database_bind_text (stmt, 9, row->name);
  bind_strv (stmt, 10, (const char * const *) row->sources);
  oip_database_bind_text (stmt, 11, row->color_source);
  bind_strv (stmt, 12, (const char * const *) row->sent);
  oip_database_bind_text (stmt, 13, row->sent_color);
  sqlite3_bind_int (stmt, 14, row->before_known);
  bind_strv (stmt, 15, (const char * const *) row->before);
  oip_database_bind_text (stmt, 16, row->before_color);
  bind_strv (stmt, 17, (const char * const *) row->after);
  oip_database_bind_text (stmt, 18, row->after_color);
  sqlite3_bind_int64 (stmt, 19, (gint64) MIN (row->local_bytes, (guint64) G_MAXINT64));
  bind_strv (stmt, 20, (const char * const *) row->problems);
  sqlite3_bind_int (stmt, 21, row->state);
  sqlite3_bind_int (stmt, 22, row->batch);
  sqlite3_bind_int64 (stmt, 23, row->task_id);
  sqlite3_bind_int64 (stmt, 24, row->push_id);
  sqlite3_bind_int64 (stmt, 25, row->source_push_id);
  sqlite3_bind_int (stmt, 26, row->readdressed);
  sqlite3_bind_int (stmt, 27, row->n_sent);
  sqlite3_bind_int (stmt, 28, row->n_imported);
  sqlite3_bind_int (stmt, 29, row->n_skipped);
  sqlite3_bind_int (stmt, 30, row->n_failed);
  oip_database_bind_text (stmt, 31, row->error_code);
  oip_database_bind_text (stmt, 32, row->error);
  oip_database_bind_text (stmt, 33, row->ozon_message);
  return step_done (db, stmt, error);
}

static OipBulkRow *
read_row (sqlite3_stmt *stmt)
{
  OipBulkRow *row = g_new0 (OipBulkRow, 1);
  gint64 state = sqlite3_column_int64 (stmt, 19);
  gint64 key = sqlite3_column_int64 (stmt, 1);

  row->position = (guint) CLAMP (sqlite3_column_int64 (stmt, 0), 0, G_MAXUINT);
  row->key = key >= 0 && key <= OIP_PRODUCT_KEY_SKU ? (OipProductKey) key : OIP_PRODUCT_KEY_OFFER_ID;
  row->identifier = oip_database_column_text (stmt, 2);
  row->line = (guint) CLAMP (sqlite3_column_int64 (stmt, 3), 0, G_MAXUINT);
  row->location = oip_database_column_text (stmt, 4);
  row->product_id = sqlite3_column_int64 (stmt, 5);
  row->offer_id = oip_database_column_text (stmt, 6);
  row->name = oip_database_column_text (stmt, 7);
  row->sources = column_strv (stmt, 8);
  row->color_source = oip_database_column_text (stmt, 9);
  row->sent = column_strv (stmt, 10);
  row->sent_color = oip_database_column_text (stmt, 11);
  row->before_known = sqlite3_column_int (stmt, 12) != 0;
  row->before = column_strv (stmt, 13);
  row->before_color = oip_database_column_text (stmt, 14);
  row->after = column_strv (stmt, 15);
  row->after_color = oip_database_column_text (stmt, 16);
  row->local_bytes = (guint64) MAX (sqlite3_column_int64 (stmt, 17), 0);
  row->problems = column_strv (stmt, 18);
  row->state = state >= 0 && state < OIP_BULK_ITEM_N_STATES ? (OipBulkItemState) state : OIP_BULK_ITEM_FAILED;
  row->batch = (gint) CLAMP (sqlite3_column_int64 (stmt, 20), -1, G_MAXINT);
  row->task_id = sqlite3_column_int64 (stmt, 21);
  row->push_id = sqlite3_column_int64 (stmt, 22);
  row->source_push_id = sqlite3_column_int64 (stmt, 23);
  row->readdressed = (guint) CLAMP (sqlite3_column_int64 (stmt, 24), 0, G_MAXUINT);
  row->n_sent = (guint) CLAMP (sqlite3_column_int64 (stmt, 25), 0, G_MAXUINT);
  row->n_imported = (guint) CLAMP (sqlite3_column_int64 (stmt, 26), 0, G_MAXUINT);
  row->n_skipped = (guint) CLAMP (sqlite3_column_int64 (stmt, 27), 0, G_MAXUINT);
  row->n_failed = (guint) CLAMP (sqlite3_column_int64 (stmt, 28), 0, G_MAXUINT);
  row->error_code = oip_database_column_text (stmt, 29);
  row->error = oip_database_column_text (stmt, 30);
  row->ozon_message = oip_database_column_text (stmt, 31);
  /* Only when loading: its push's start, from the history. */
  if (sqlite3_column_count (stmt) > 32)
    row->started_at = sqlite3_column_int64 (stmt, 32);
  if (row->sources == NULL)
    row->sources = g_new0 (char *, 1);
  return row;
}

static gboolean
write_rows (sqlite3    *db,
            gint64      run_id,
            GPtrArray  *rows,
            GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (rows == NULL || rows->len == 0)
    return TRUE;
  stmt = oip_database_prepare (db,
    "INSERT OR REPLACE INTO bulk_items (run_id, " ITEM_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
    "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, "
    "?30, ?31, ?32, ?33)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    if (!write_row (db, stmt, run_id, g_ptr_array_index (rows, i), error))
      return FALSE;
  return TRUE;
}

static gboolean
write_files (sqlite3    *db,
             gint64      run_id,
             GPtrArray  *files,
             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (files == NULL || files->len == 0)
    return TRUE;
  stmt = oip_database_prepare (db,
    "INSERT OR REPLACE INTO bulk_files (run_id, uri, size, mtime, url) VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < files->len; i++)
    {
      const OipBulkFile *file = g_ptr_array_index (files, i);

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, run_id);
      oip_database_bind_text (stmt, 2, file->uri);
      sqlite3_bind_int64 (stmt, 3, (gint64) MIN (file->size, (guint64) G_MAXINT64));
      sqlite3_bind_int64 (stmt, 4, file->mtime);
      oip_database_bind_text (stmt, 5, file->url);
      if (!step_done (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* The run's own row: its state, who runs it, how it ended. */
static gboolean
write_run_state (sqlite3       *db,
                 gint64         run_id,
                 int            state,
                 const char    *error_code,
                 const char    *error_message,
                 GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 pid = 0, started = 0;
  const char *boot = NULL;
  gboolean running = state == OIP_BULK_RUN_RUNNING;

  oip_history_this_process (&pid, &started, &boot);
  stmt = oip_database_prepare (db,
    "UPDATE bulk_runs SET state = ?2, finished_at = ?3, error_code = ?4, error_message = ?5, "
    "  owner_pid = ?6, owner_started = ?7, owner_boot = ?8 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int (stmt, 2, state);
  sqlite3_bind_int64 (stmt, 3, state == OIP_BULK_RUN_DONE ? oip_database_now () : 0);
  oip_database_bind_text (stmt, 4, error_code);
  oip_database_bind_text (stmt, 5, error_message);
  sqlite3_bind_int64 (stmt, 6, running ? pid : 0);
  sqlite3_bind_int64 (stmt, 7, running ? started : 0);
  oip_database_bind_text (stmt, 8, running ? boot : NULL);
  return step_done (db, stmt, error);
}

/* Creating a run */

typedef struct
{
  OipPushKind  kind;
  gint64       source_run_id;
  char        *client_id;
  char        *source;
  GPtrArray   *rows;
} CreateData;

static void
create_data_free (CreateData *data)
{
  g_free (data->client_id);
  g_free (data->source);
  g_ptr_array_unref (data->rows);
  g_free (data);
}

static gpointer
create_in_db (sqlite3   *db,
              gpointer   user_data,
              GError   **error)
{
  CreateData *data = user_data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 id;

  if (!oip_database_begin (db, error))
    return NULL;
  stmt = oip_database_prepare (db,
    "INSERT INTO bulk_runs (kind, source_run_id, client_id, source, created_at, state) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, data->kind);
  sqlite3_bind_int64 (stmt, 2, data->source_run_id);
  oip_database_bind_text (stmt, 3, data->client_id);
  oip_database_bind_text (stmt, 4, data->source);
  sqlite3_bind_int64 (stmt, 5, oip_database_now ());
  sqlite3_bind_int (stmt, 6, OIP_BULK_RUN_RUNNING);
  if (!step_done (db, stmt, error))
    return NULL;
  id = sqlite3_last_insert_rowid (db);
  if (!write_run_state (db, id, OIP_BULK_RUN_RUNNING, NULL, NULL, error) ||
      !write_rows (db, id, data->rows, error) ||
      !oip_database_commit (db, error))
    return NULL;
  return g_memdup2 (&id, sizeof id);
}

/**
 * oip_bulk_store_create_async:
 * @rows: (element-type OipBulkRow) (transfer full): every product
 *
 * Writes a new run, owned by this process, with its plan, in one
 * transaction: before anything is sent.
 */
void
oip_bulk_store_create_async (OipDatabase         *db,
                             OipBulkRun          *run,
                             GPtrArray           *rows,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  CreateData *data = g_new0 (CreateData, 1);

  data->kind = run->kind;
  data->source_run_id = run->source_run_id;
  data->client_id = g_strdup (run->client ? oip_ozon_client_get_client_id (run->client) : NULL);
  data->source = g_strdup (run->source);
  data->rows = rows;
  oip_database_run_full_async (db, create_in_db, data, (GDestroyNotify) create_data_free, g_free,
                               cancellable, callback, user_data);
}

gint64
oip_bulk_store_create_finish (OipDatabase   *db,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_autofree gint64 *id = oip_database_run_finish (db, result, error);

  return id ? *id : 0;
}

/* Saving progress */

typedef struct
{
  gint64     run_id;
  GPtrArray *rows;       /* OipBulkRow, nullable */
  GPtrArray *records;    /* OipPushRecord, nullable */
  GPtrArray *files;      /* OipBulkFile, nullable */
  int        state;      /* OipBulkRunState, or -1 to leave it */
  char      *error_code;
  char      *error_message;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_pointer (&data->rows, g_ptr_array_unref);
  g_clear_pointer (&data->records, g_ptr_array_unref);
  g_clear_pointer (&data->files, g_ptr_array_unref);
  g_free (data->error_code);
  g_free (data->error_message);
  g_free (data);
}

/* Records first, so each row can name its record. */
static gboolean
write_records (sqlite3    *db,
               SaveData   *data,
               GArray     *ids,
               GError    **error)
{
  for (guint i = 0; data->records != NULL && i < data->records->len; i++)
    {
      OipPushRecord *record = g_ptr_array_index (data->records, i);
      gint64 id = 0;

      if (record != NULL && (id = oip_history_write_record (db, record, error)) <= 0)
        return FALSE;
      g_array_append_val (ids, id);
      if (record != NULL && data->rows != NULL && i < data->rows->len)
        ((OipBulkRow *) g_ptr_array_index (data->rows, i))->push_id = id;
    }
  return TRUE;
}

static gpointer
save_in_db (sqlite3   *db,
            gpointer   user_data,
            GError   **error)
{
  SaveData *data = user_data;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!oip_database_begin (db, error) ||
      !write_records (db, data, ids, error) ||
      !write_rows (db, data->run_id, data->rows, error) ||
      !write_files (db, data->run_id, data->files, error) ||
      (data->state >= 0 &&
       !write_run_state (db, data->run_id, data->state, data->error_code, data->error_message, error)) ||
      !oip_database_commit (db, error))
    return NULL;
  return g_steal_pointer (&ids);
}

/**
 * oip_bulk_store_save_async:
 * @rows: (element-type OipBulkRow) (transfer full) (nullable): products
 *   whose rows change
 * @records: (element-type OipPushRecord) (transfer full) (nullable): their
 *   pushes' history records, in the same order (%NULL entries for none)
 * @files: (element-type OipBulkFile) (transfer full) (nullable): uploaded
 *   files
 * @state: the run's new #OipBulkRunState, or -1
 * @run_error: (nullable): why it stopped, with @state
 *
 * One transaction: a checkpoint the run can go on from.
 */
void
oip_bulk_store_save_async (OipDatabase         *db,
                           gint64               run_id,
                           GPtrArray           *rows,
                           GPtrArray           *records,
                           GPtrArray           *files,
                           int                  state,
                           const GError        *run_error,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  SaveData *data = g_new0 (SaveData, 1);

  data->run_id = run_id;
  data->rows = rows;
  data->records = records;
  data->files = files;
  data->state = state;
  if (run_error != NULL)
    {
      data->error_code = g_strdup (run_error->domain == OIP_ERROR ? oip_error_code_name (run_error->code)
                                   : g_error_matches (run_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? "cancelled"
                                   : "failed");
      data->error_message = g_strdup (run_error->message);
    }
  oip_database_run_full_async (db, save_in_db, data, (GDestroyNotify) save_data_free,
                               (GDestroyNotify) g_array_unref, cancellable, callback, user_data);
}

/**
 * oip_bulk_store_save_finish:
 *
 * Returns: (transfer full): the records' ids, in order (0 for none), or
 *   %NULL with @error
 */
GArray *
oip_bulk_store_save_finish (OipDatabase   *db,
                            GAsyncResult  *result,
                            GError       **error)
{
  return oip_database_run_finish (db, result, error);
}

/* Loading a run */

typedef struct
{
  gint64   run_id;
  gboolean with_records;
} LoadData;

static gboolean
load_run_row (sqlite3        *db,
              OipBulkLoaded  *loaded,
              GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = oip_database_prepare (db,
    "SELECT kind, source_run_id, client_id, source, state, owner_pid, owner_started, owner_boot "
    "FROM bulk_runs WHERE id = ?1", error);
  g_autofree char *boot = NULL;
  gint64 kind, state;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, loaded->id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, loaded->id);

      g_set_error (error, OIP_ERROR, OIP_ERROR_BULK_RUN_NOT_FOUND, _("No bulk run with ID %s was recorded"), text);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      g_propagate_error (error, oip_database_error (db, rc));
      return FALSE;
    }
  kind = sqlite3_column_int64 (stmt, 0);
  state = sqlite3_column_int64 (stmt, 4);
  loaded->kind = kind == OIP_PUSH_KIND_UNDO ? OIP_PUSH_KIND_UNDO : OIP_PUSH_KIND_PUSH;
  loaded->source_run_id = sqlite3_column_int64 (stmt, 1);
  loaded->client_id = oip_database_column_text (stmt, 2);
  loaded->source = oip_database_column_text (stmt, 3);
  loaded->state = state >= 0 && state <= OIP_BULK_RUN_DONE ? (OipBulkRunState) state : OIP_BULK_RUN_PAUSED;
  boot = oip_database_column_text (stmt, 7);
  loaded->owner_alive = loaded->state == OIP_BULK_RUN_RUNNING &&
                        oip_history_owner_alive (sqlite3_column_int64 (stmt, 5), sqlite3_column_int64 (stmt, 6),
                                                 boot);
  return TRUE;
}

static gboolean
load_rows (sqlite3        *db,
           OipBulkLoaded  *loaded,
           GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = oip_database_prepare (db,
    "SELECT " ITEM_COLUMNS ", (SELECT started_at FROM pushes WHERE pushes.id = bulk_items.push_id) "
    "FROM bulk_items WHERE run_id = ?1 ORDER BY position", error);
  g_autoptr(sqlite3_stmt) files = oip_database_prepare (db,
    "SELECT uri, size, mtime, url FROM bulk_files WHERE run_id = ?1", error);
  int rc;

  if (stmt == NULL || files == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, loaded->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (loaded->rows, read_row (stmt));
  if (rc != SQLITE_DONE)
    {
      g_propagate_error (error, oip_database_error (db, rc));
      return FALSE;
    }
  sqlite3_bind_int64 (files, 1, loaded->id);
  while ((rc = sqlite3_step (files)) == SQLITE_ROW)
    {
      g_autofree char *uri = oip_database_column_text (files, 0);
      g_autofree char *url = oip_database_column_text (files, 3);

      if (uri != NULL)
        g_ptr_array_add (loaded->files, oip_bulk_file_new (uri, (guint64) MAX (sqlite3_column_int64 (files, 1), 0),
                                                           sqlite3_column_int64 (files, 2), url));
    }
  if (rc != SQLITE_DONE)
    {
      g_propagate_error (error, oip_database_error (db, rc));
      return FALSE;
    }
  return TRUE;
}

static gpointer
load_in_db (sqlite3   *db,
            gpointer   user_data,
            GError   **error)
{
  LoadData *data = user_data;
  g_autoptr(OipBulkLoaded) loaded = g_new0 (OipBulkLoaded, 1);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  loaded->id = data->run_id;
  loaded->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_bulk_row_free);
  loaded->files = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_bulk_file_free);
  if (!load_run_row (db, loaded, error) || !load_rows (db, loaded, error))
    return NULL;
  if (data->with_records)
    {
      for (guint i = 0; i < loaded->rows->len; i++)
        if (((OipBulkRow *) g_ptr_array_index (loaded->rows, i))->push_id > 0)
          g_array_append_val (ids, ((OipBulkRow *) g_ptr_array_index (loaded->rows, i))->push_id);
      loaded->records = oip_history_read_records (db, (const gint64 *) ids->data, ids->len, error);
      if (loaded->records == NULL)
        return NULL;
    }
  return g_steal_pointer (&loaded);
}

/**
 * oip_bulk_store_load_async:
 * @with_records: whether to read each product's push record too
 *
 * Reads a run: its row, its products in order, its uploaded files.
 */
void
oip_bulk_store_load_async (OipDatabase         *db,
                           gint64               run_id,
                           gboolean             with_records,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  LoadData *data = g_new0 (LoadData, 1);

  data->run_id = run_id;
  data->with_records = with_records;
  oip_database_run_full_async (db, load_in_db, data, g_free, (GDestroyNotify) oip_bulk_loaded_free,
                               cancellable, callback, user_data);
}

/**
 * oip_bulk_store_load_finish:
 *
 * Returns: (transfer full): the run, or %NULL with
 *   %OIP_ERROR_BULK_RUN_NOT_FOUND or a database error
 */
OipBulkLoaded *
oip_bulk_store_load_finish (OipDatabase   *db,
                            GAsyncResult  *result,
                            GError       **error)
{
  return oip_database_run_finish (db, result, error);
}

/* Listing the unfinished runs */

typedef struct
{
  guint max;
} ListData;

static OipBulkStopReason
stop_reason (OipBulkRunState  state,
             const char      *error_code)
{
  if (state == OIP_BULK_RUN_RUNNING)
    return OIP_BULK_STOP_INTERRUPTED;
  if (error_code == NULL)
    return OIP_BULK_STOP_UNKNOWN;
  if (g_str_equal (error_code, "cancelled"))
    return OIP_BULK_STOP_STOPPED;
  if (g_str_equal (error_code, oip_error_code_name (OIP_ERROR_DAILY_LIMIT)))
    return OIP_BULK_STOP_DAILY_LIMIT;
  return OIP_BULK_STOP_FAILED;
}

static gpointer
list_in_db (sqlite3   *db,
            gpointer   user_data,
            GError   **error)
{
  ListData *data = user_data;
  g_autofree char *sql = g_strdup_printf (
    "SELECT r.id, r.kind, r.source_run_id, r.source, r.created_at, r.state, r.error_code, r.error_message, "
    "  r.owner_pid, r.owner_started, r.owner_boot, COUNT (i.position), "
    "  COALESCE (SUM (i.state IN (%d, %d, %d, %d)), 0), COALESCE (SUM (i.state IN (%d, %d, %d, %d, %d)), 0) "
    "FROM bulk_runs r LEFT JOIN bulk_items i ON i.run_id = r.id "
    "WHERE r.state != %d GROUP BY r.id ORDER BY r.created_at DESC, r.id DESC",
    OIP_BULK_ITEM_IMPORTED, OIP_BULK_ITEM_PARTIAL, OIP_BULK_ITEM_FAILED, OIP_BULK_ITEM_SKIPPED,
    OIP_BULK_ITEM_PLANNED, OIP_BULK_ITEM_QUEUED, OIP_BULK_ITEM_UPLOADING, OIP_BULK_ITEM_SENDING,
    OIP_BULK_ITEM_IMPORTING, OIP_BULK_RUN_DONE);
  g_autoptr(sqlite3_stmt) stmt = oip_database_prepare (db, sql, error);
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_bulk_run_summary_free);
  int rc = SQLITE_DONE;

  if (stmt == NULL)
    return NULL;
  while (runs->len < data->max && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(OipBulkRunSummary) summary = NULL;
      g_autofree char *boot = oip_database_column_text (stmt, 10);
      g_autofree char *error_code = oip_database_column_text (stmt, 6);
      gint64 state = sqlite3_column_int64 (stmt, 5);
      gint64 n_left = sqlite3_column_int64 (stmt, 13);

      /* Running in a process still alive (another window, the CLI): not
       * to be resumed from here. Nothing left: nothing to resume. */
      if ((state == OIP_BULK_RUN_RUNNING &&
           oip_history_owner_alive (sqlite3_column_int64 (stmt, 8), sqlite3_column_int64 (stmt, 9), boot)) ||
          n_left <= 0)
        continue;
      summary = g_new0 (OipBulkRunSummary, 1);
      summary->id = sqlite3_column_int64 (stmt, 0);
      summary->kind = sqlite3_column_int64 (stmt, 1) == OIP_PUSH_KIND_UNDO ? OIP_PUSH_KIND_UNDO : OIP_PUSH_KIND_PUSH;
      summary->source_run_id = sqlite3_column_int64 (stmt, 2);
      summary->source = oip_database_column_text (stmt, 3);
      summary->created_at = sqlite3_column_int64 (stmt, 4);
      summary->reason = stop_reason (state == OIP_BULK_RUN_RUNNING ? OIP_BULK_RUN_RUNNING : OIP_BULK_RUN_PAUSED,
                                     error_code);
      summary->error_message = oip_database_column_text (stmt, 7);
      summary->n_products = (guint) CLAMP (sqlite3_column_int64 (stmt, 11), 0, G_MAXUINT);
      summary->n_done = (guint) CLAMP (sqlite3_column_int64 (stmt, 12), 0, G_MAXUINT);
      summary->n_left = (guint) CLAMP (n_left, 0, G_MAXUINT);
      g_ptr_array_add (runs, g_steal_pointer (&summary));
    }
  if (runs->len < data->max && rc != SQLITE_DONE)
    {
      g_propagate_error (error, oip_database_error (db, rc));
      return NULL;
    }
  return g_steal_pointer (&runs);
}

/**
 * oip_bulk_store_list_unfinished_async:
 * @max: at most this many
 *
 * Lists the runs that did not finish and can go on (stopped, interrupted,
 * held by the daily limit), the newest first; not those another living
 * process is running, nor those with nothing left to send.
 */
void
oip_bulk_store_list_unfinished_async (OipDatabase         *db,
                                      guint                max,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  ListData *data = g_new0 (ListData, 1);

  data->max = max;
  oip_database_run_full_async (db, list_in_db, data, g_free, (GDestroyNotify) g_ptr_array_unref,
                               cancellable, callback, user_data);
}

/**
 * oip_bulk_store_list_unfinished_finish:
 *
 * Returns: (transfer full) (element-type OipBulkRunSummary): the runs, or
 *   %NULL with @error
 */
GPtrArray *
oip_bulk_store_list_unfinished_finish (OipDatabase   *db,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return oip_database_run_finish (db, result, error);
}
