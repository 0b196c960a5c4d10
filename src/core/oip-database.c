/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "oip-database-private.h"
#include "oip-error.h"
#include "oip-json.h"
#include "oip-product.h"

/**
 * OipDatabase:
 *
 * The app's one SQLite database (WAL mode) under the user data dir: the
 * downloaded products and the push history. Every statement runs on one
 * worker thread per database, in the order it was asked for, never on the
 * main loop; oip_database_run_async() hands that thread a function.
 *
 * Opening never blocks work: a damaged file is moved aside and a fresh
 * database started; a file written by a newer version, or a path that is
 * not a regular file, is left alone and this run keeps its data in
 * memory. oip_database_get_notice() says what happened, in the seller's
 * words.
 */
struct _OipDatabase
{
  GObject      parent_instance;

  GFile       *file;
  GFile       *legacy;
  gboolean     quick_check;
  guint        busy_timeout_ms;
  GThreadPool *pool;

  /* Worker thread only (and finalize, once the worker is gone). */
  sqlite3     *db;
  char        *path;          /* of the file opened; NULL in memory */

  /* Main thread only. */
  gboolean     opening;
  gboolean     open;
  gboolean     persistent;
  char        *notice;
};

G_DEFINE_FINAL_TYPE (OipDatabase, oip_database, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_OPEN,
  PROP_NOTICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define DEFAULT_BUSY_TIMEOUT_MS 10000
/* The old JSON store could grow to about 2 KB per product. */
#define LEGACY_MAX_SIZE (512 * 1024 * 1024)

typedef struct
{
  OipDatabase     *self;         /* kept alive by the task */
  GTask           *task;
  OipDatabaseFunc  func;         /* NULL: open */
  gpointer         data;
  GDestroyNotify   data_free;
  GDestroyNotify   result_free;

  /* set by the worker */
  gpointer         result;
  GError          *error;
  GPtrArray       *notices;
  gboolean         opened;
  gboolean         persistent;
} Job;

static void
job_free (Job *job)
{
  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  if (job->result != NULL && job->result != OIP_DATABASE_DONE && job->result_free != NULL)
    job->result_free (job->result);
  g_clear_error (&job->error);
  g_clear_pointer (&job->notices, g_ptr_array_unref);
  g_clear_object (&job->task);
  g_free (job);
}

/* ------------------------------------------------------------------ */
/* Helpers for statements                                              */

/**
 * oip_database_error:
 * @db: (nullable): the connection, for its message
 * @rc: what SQLite returned
 *
 * Returns: (transfer full): the error the seller sees, with the code
 *   that gives the right hint: busy, disk full, read-only, damaged
 */
GError *
oip_database_error (sqlite3 *db,
                    int      rc)
{
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);
  int system_errno = db != NULL ? sqlite3_system_errno (db) : 0;

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return g_error_new (OIP_ERROR, OIP_ERROR_DATABASE_BUSY,
                          _("The database is in use by another Ozon Image Push (%s)"), detail);
    case SQLITE_FULL:
      return g_error_new (OIP_ERROR, OIP_ERROR_DISK_FULL,
                          _("The disk that holds the database is full (%s)"), detail);
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return g_error_new (OIP_ERROR, OIP_ERROR_READ_ONLY,
                          _("The database cannot be written (%s)"), detail);
    case SQLITE_CANTOPEN:
      if (system_errno == EACCES || system_errno == EPERM || system_errno == EROFS)
        return g_error_new (OIP_ERROR, OIP_ERROR_READ_ONLY,
                            _("The database cannot be written (%s)"), g_strerror (system_errno));
      return g_error_new (OIP_ERROR, OIP_ERROR_IO,
                          _("The database cannot be opened (%s)"), detail);
    case SQLITE_IOERR:
      if (system_errno == ENOSPC || system_errno == EDQUOT)
        return g_error_new (OIP_ERROR, OIP_ERROR_DISK_FULL,
                            _("The disk that holds the database is full (%s)"), g_strerror (system_errno));
      return g_error_new (OIP_ERROR, OIP_ERROR_IO,
                          _("The database could not be read or written (%s)"), detail);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return g_error_new (OIP_ERROR, OIP_ERROR_STORE_CORRUPT,
                          _("The database is damaged (%s)"), detail);
    default:
      return g_error_new (OIP_ERROR, OIP_ERROR_DATABASE,
                          _("Database error: %s"), detail);
    }
}

gboolean
oip_database_exec (sqlite3     *db,
                   const char  *sql,
                   GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      g_propagate_error (error, oip_database_error (db, rc));
      return FALSE;
    }
  return TRUE;
}

/**
 * oip_database_prepare:
 *
 * Returns: (transfer full) (nullable): the statement, for g_autoptr()
 */
sqlite3_stmt *
oip_database_prepare (sqlite3     *db,
                      const char  *sql,
                      GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      g_propagate_error (error, oip_database_error (db, rc));
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

/**
 * oip_database_begin:
 *
 * Starts a write transaction at once (`BEGIN IMMEDIATE`): it waits for
 * another writer up to the busy timeout instead of failing half-way.
 */
gboolean
oip_database_begin (sqlite3  *db,
                    GError  **error)
{
  return oip_database_exec (db, "BEGIN IMMEDIATE", error);
}

gboolean
oip_database_commit (sqlite3  *db,
                     GError  **error)
{
  if (oip_database_exec (db, "COMMIT", error))
    return TRUE;
  oip_database_rollback (db);
  return FALSE;
}

void
oip_database_rollback (sqlite3 *db)
{
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
}

/**
 * oip_database_bind_text:
 * @text: (nullable): bound as NULL when %NULL
 *
 * Binds @text as valid UTF-8: anything else is repaired first, so no
 * string from the network can poison the database.
 */
void
oip_database_bind_text (sqlite3_stmt *stmt,
                        int           index,
                        const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else if (g_utf8_validate (text, -1, NULL))
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_text (stmt, index, g_utf8_make_valid (text, -1), -1, g_free);
}

/**
 * oip_database_column_text:
 *
 * Returns: (transfer full) (nullable): the column as valid UTF-8, %NULL
 *   for SQL NULL
 */
char *
oip_database_column_text (sqlite3_stmt *stmt,
                          int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  int length = sqlite3_column_bytes (stmt, column);

  if (text == NULL)
    return NULL;
  /* Another program may have written it: repair it (a NUL ends it). */
  if (g_utf8_validate_len (text, length, NULL))
    return g_strndup (text, length);
  return g_utf8_make_valid (text, length);
}

/**
 * oip_database_strv_to_json:
 * @strv: (nullable): a list of strings
 *
 * Returns: (transfer full): @strv as a JSON array, for a text column
 */
char *
oip_database_strv_to_json (const char * const *strv)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  JsonArray *array = json_array_new ();

  json_node_take_array (node, array);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      if (g_utf8_validate (strv[i], -1, NULL))
        json_array_add_string_element (array, strv[i]);
      else
        {
          g_autofree char *valid = g_utf8_make_valid (strv[i], -1);

          json_array_add_string_element (array, valid);
        }
    }
  return oip_json_to_string (node, FALSE);
}

/**
 * oip_database_strv_from_json:
 * @text: what oip_database_strv_to_json() wrote, or anything a damaged or
 *   foreign row holds
 *
 * Read through oip_json_parse(): a row is outside data too.
 *
 * Returns: (transfer full) (nullable): the strings (non-strings in the
 *   array are skipped), or %NULL with @error if @text is not an array
 */
GStrv
oip_database_strv_from_json (const char  *text,
                             gsize        length,
                             GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autofree char *repaired = NULL;
  JsonArray *array;

  /* Newer json-glib refuses a document with invalid UTF-8 outright. */
  if (text != NULL && !g_utf8_validate_len (text, length, NULL))
    {
      repaired = g_utf8_make_valid (text, length);
      text = repaired;
      length = strlen (repaired);
    }
  node = oip_json_parse (text, length, OIP_JSON_MAX_SIZE, error);
  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("not a list"));
      return NULL;
    }

  array = json_node_get_array (node);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

/**
 * oip_database_now:
 *
 * Returns: the time as the database stores it: microseconds since 1970, UTC
 */
gint64
oip_database_now (void)
{
  return g_get_real_time ();
}

/* ------------------------------------------------------------------ */
/* Schema                                                              */

/* Migration N takes the schema from version N to N + 1, inside one write
 * transaction; a new version is one more function at the end. */
typedef gboolean (*Migration) (sqlite3 *db, GError **error);

static gboolean
migrate_to_1 (sqlite3  *db,
              GError  **error)
{
  return oip_database_exec (db,
    "CREATE TABLE meta ("
    "  key   TEXT PRIMARY KEY NOT NULL,"
    "  value TEXT"
    ");"
    "CREATE TABLE products ("
    "  product_id    INTEGER PRIMARY KEY NOT NULL,"
    "  offer_id      TEXT NOT NULL,"
    "  sku           INTEGER NOT NULL DEFAULT 0,"
    "  name          TEXT NOT NULL DEFAULT '',"
    "  images        TEXT NOT NULL DEFAULT '[]',"   /* JSON array, main first */
    "  color_image   TEXT,"
    "  downloaded_at INTEGER NOT NULL DEFAULT 0,"   /* µs since 1970, UTC */
    "  used_at       INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX products_by_offer_id ON products (offer_id);"
    "CREATE INDEX products_by_sku ON products (sku);"
    "CREATE INDEX products_by_used_at ON products (used_at);"
    "CREATE TABLE pushes ("
    "  id             INTEGER PRIMARY KEY NOT NULL,"
    "  kind           INTEGER NOT NULL,"
    "  source_push_id INTEGER NOT NULL DEFAULT 0,"
    "  bulk_run_id    INTEGER NOT NULL DEFAULT 0,"
    "  product_id     INTEGER NOT NULL,"
    "  offer_id       TEXT,"
    "  client_id      TEXT,"
    "  started_at     INTEGER NOT NULL,"
    "  finished_at    INTEGER NOT NULL DEFAULT 0,"
    "  outcome        INTEGER NOT NULL,"
    "  before_known   INTEGER NOT NULL DEFAULT 0,"
    "  before_images  TEXT,"                         /* JSON arrays */
    "  before_color   TEXT,"
    "  after_images   TEXT,"
    "  after_color    TEXT,"
    "  sent_color     TEXT,"
    "  error_code     TEXT,"
    "  error_message  TEXT,"
    "  task_id        INTEGER NOT NULL DEFAULT 0,"
    "  owner_pid      INTEGER NOT NULL DEFAULT 0,"   /* while running */
    "  owner_started  INTEGER NOT NULL DEFAULT 0,"
    "  owner_boot     TEXT"
    ");"
    "CREATE INDEX pushes_by_product ON pushes (product_id);"
    "CREATE INDEX pushes_by_started_at ON pushes (started_at);"
    "CREATE INDEX pushes_running ON pushes (id) WHERE outcome = 0;"
    "CREATE TABLE push_images ("
    "  push_id  INTEGER NOT NULL REFERENCES pushes (id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL,"
    "  source   TEXT,"
    "  url      TEXT,"
    "  is_main  INTEGER NOT NULL DEFAULT 0,"
    "  is_color INTEGER NOT NULL DEFAULT 0,"
    "  state    TEXT,"
    "  error    TEXT,"
    "  PRIMARY KEY (push_id, position)"
    ") WITHOUT ROWID;",
    error);
}

/* Bulk runs: the plan and each product's progress, so a run that was
 * stopped, killed or held by Ozon's daily limit goes on where it was. */
static gboolean
migrate_to_2 (sqlite3  *db,
              GError  **error)
{
  return oip_database_exec (db,
    "CREATE TABLE bulk_runs ("
    "  id             INTEGER PRIMARY KEY NOT NULL,"
    "  kind           INTEGER NOT NULL,"                 /* OipPushKind */
    "  source_run_id  INTEGER NOT NULL DEFAULT 0,"       /* an undo: the run undone */
    "  client_id      TEXT,"                             /* never the key */
    "  source         TEXT,"                             /* the CSV or folder, as given */
    "  created_at     INTEGER NOT NULL,"
    "  finished_at    INTEGER NOT NULL DEFAULT 0,"
    "  state          INTEGER NOT NULL,"                 /* OipBulkRunState */
    "  error_code     TEXT,"
    "  error_message  TEXT,"
    "  owner_pid      INTEGER NOT NULL DEFAULT 0,"       /* while running */
    "  owner_started  INTEGER NOT NULL DEFAULT 0,"
    "  owner_boot     TEXT"
    ");"
    "CREATE TABLE bulk_items ("
    "  run_id         INTEGER NOT NULL REFERENCES bulk_runs (id) ON DELETE CASCADE,"
    "  position       INTEGER NOT NULL,"
    "  key            INTEGER NOT NULL,"                 /* OipProductKey */
    "  identifier     TEXT NOT NULL,"
    "  line           INTEGER NOT NULL DEFAULT 0,"
    "  location       TEXT,"
    "  product_id     INTEGER NOT NULL DEFAULT 0,"
    "  offer_id       TEXT,"
    "  name           TEXT,"
    "  images         TEXT,"                             /* JSON arrays, main first */
    "  color_image    TEXT,"
    "  sent_images    TEXT,"
    "  sent_color     TEXT,"
    "  before_known   INTEGER NOT NULL DEFAULT 0,"
    "  before_images  TEXT,"
    "  before_color   TEXT,"
    "  after_images   TEXT,"
    "  after_color    TEXT,"
    "  local_bytes    INTEGER NOT NULL DEFAULT 0,"
    "  problems       TEXT,"
    "  state          INTEGER NOT NULL,"                 /* OipBulkItemState */
    "  batch          INTEGER NOT NULL DEFAULT -1,"      /* set before its import is sent */
    "  task_id        INTEGER NOT NULL DEFAULT 0,"       /* set once Ozon accepted it */
    "  push_id        INTEGER NOT NULL DEFAULT 0,"
    "  source_push_id INTEGER NOT NULL DEFAULT 0,"
    "  readdressed    INTEGER NOT NULL DEFAULT 0,"
    "  n_sent         INTEGER NOT NULL DEFAULT 0,"
    "  n_imported     INTEGER NOT NULL DEFAULT 0,"
    "  n_skipped      INTEGER NOT NULL DEFAULT 0,"
    "  n_failed       INTEGER NOT NULL DEFAULT 0,"
    "  error_code     TEXT,"
    "  error_message  TEXT,"
    "  ozon_message   TEXT,"
    "  PRIMARY KEY (run_id, position)"
    ") WITHOUT ROWID;"
    "CREATE TABLE bulk_files ("
    "  run_id         INTEGER NOT NULL REFERENCES bulk_runs (id) ON DELETE CASCADE,"
    "  uri            TEXT NOT NULL,"
    "  size           INTEGER NOT NULL DEFAULT 0,"
    "  mtime          INTEGER NOT NULL DEFAULT 0,"
    "  url            TEXT,"                             /* its public address once uploaded */
    "  PRIMARY KEY (run_id, uri)"
    ") WITHOUT ROWID;"
    "CREATE INDEX pushes_by_bulk_run ON pushes (bulk_run_id) WHERE bulk_run_id != 0;",
    error);
}

static const Migration migrations[] = {
  migrate_to_1,
  migrate_to_2,
};

#define SCHEMA_VERSION ((gint64) G_N_ELEMENTS (migrations))

static gboolean
read_int (sqlite3     *db,
          const char  *sql,
          gint64      *value,
          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = oip_database_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      g_propagate_error (error, oip_database_error (db, rc));
      return FALSE;
    }
  *value = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/**
 * oip_database_migrate:
 *
 * Brings @db's schema to this version's, one migration per transaction.
 */
gboolean
oip_database_migrate (sqlite3  *db,
                      GError  **error)
{
  gint64 version = 0;

  for (;;)
    {
      if (!read_int (db, "PRAGMA user_version", &version, error))
        return FALSE;
      if (version >= SCHEMA_VERSION)
        return TRUE;

      if (!oip_database_begin (db, error))
        return FALSE;
      /* Another process may have migrated while this one waited. */
      if (!read_int (db, "PRAGMA user_version", &version, error))
        {
          oip_database_rollback (db);
          return FALSE;
        }
      if (version < SCHEMA_VERSION)
        {
          g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT, version + 1);

          if (!migrations[version] (db, error) || !oip_database_exec (db, sql, error))
            {
              oip_database_rollback (db);
              return FALSE;
            }
        }
      if (!oip_database_commit (db, error))
        return FALSE;
    }
}

/* ------------------------------------------------------------------ */
/* Opening (worker thread)                                             */

typedef enum
{
  OPEN_OK,
  OPEN_DAMAGED,   /* move aside, start afresh */
  OPEN_NEWER,     /* leave alone, memory */
  OPEN_FAILED,    /* leave alone, memory, error */
} OpenStatus;

static void
add_notice (Job        *job,
            const char *format,
            ...) G_GNUC_PRINTF (2, 3);

static void
add_notice (Job        *job,
            const char *format,
            ...)
{
  va_list args;

  if (job->notices == NULL)
    job->notices = g_ptr_array_new_with_free_func (g_free);
  va_start (args, format);
  g_ptr_array_add (job->notices, g_strdup_vprintf (format, args));
  va_end (args);
}

static gboolean
is_damage (const GError *error)
{
  return g_error_matches (error, OIP_ERROR, OIP_ERROR_STORE_CORRUPT);
}

static gboolean
configure (OipDatabase  *self,
           sqlite3      *db,
           GError      **error)
{
  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, self->busy_timeout_ms);
  return oip_database_exec (db, "PRAGMA foreign_keys = ON", error);
}

static gboolean
quick_check (sqlite3  *db,
             GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = oip_database_prepare (db, "PRAGMA quick_check(1)", error);
  const char *answer;
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      g_propagate_error (error, oip_database_error (db, rc));
      return FALSE;
    }
  answer = (const char *) sqlite3_column_text (stmt, 0);
  if (g_strcmp0 (answer, "ok") != 0)
    {
      g_set_error (error, OIP_ERROR, OIP_ERROR_STORE_CORRUPT, _("The database is damaged (%s)"),
                   answer ? answer : "?");
      return FALSE;
    }
  return TRUE;
}

static OpenStatus
open_file (OipDatabase  *self,
           const char   *path,
           sqlite3     **out_db,
           GError      **error)
{
  sqlite3 *db = NULL;
  gint64 version = 0;
  int rc;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_propagate_error (error, oip_database_error (db, rc));
      sqlite3_close_v2 (db);
      return OPEN_FAILED;
    }

  /* Until the file is known good, closing it must not write to it (a
   * checkpoint) nor delete its -wal: a damaged file is moved aside as it
   * is, one from a newer version left as it is. */
  sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);

  /* Reading the version reads the header: a file that is not a database
   * fails here. */
  if (!configure (self, db, error) ||
      !read_int (db, "PRAGMA user_version", &version, error))
    goto failed;

  if (version > SCHEMA_VERSION)
    {
      sqlite3_close_v2 (db);
      return OPEN_NEWER;
    }

  if ((self->quick_check && !quick_check (db, error)) ||
      !oip_database_exec (db, "PRAGMA journal_mode = WAL", error) ||
      !oip_database_exec (db, "PRAGMA synchronous = NORMAL", error) ||
      !oip_database_migrate (db, error))
    goto failed;

  sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);
  *out_db = db;
  return OPEN_OK;

failed:
  sqlite3_close_v2 (db);
  return error != NULL && is_damage (*error) ? OPEN_DAMAGED : OPEN_FAILED;
}

static sqlite3 *
open_memory (OipDatabase *self)
{
  sqlite3 *db = NULL;
  g_autoptr(GError) error = NULL;

  if (sqlite3_open_v2 (":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK ||
      !configure (self, db, &error) || !oip_database_migrate (db, &error))
    g_error ("Could not create an in-memory database: %s", error ? error->message : sqlite3_errmsg (db));
  return db;
}

/* NAME.corrupt-YYYYMMDD-HHMMSS, and its -wal and -shm beside it. */
static char *
move_aside (const char  *path,
            GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *target = g_strdup_printf ("%s.corrupt-%s", path, stamp);

  for (guint i = 2; g_file_test (target, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK); i++)
    {
      g_free (target);
      target = g_strdup_printf ("%s.corrupt-%s-%u", path, stamp, i);
    }

  if (g_rename (path, target) != 0)
    {
      int saved = errno;

      g_set_error (error, OIP_ERROR, saved == EACCES || saved == EROFS || saved == EPERM
                                     ? OIP_ERROR_READ_ONLY : OIP_ERROR_IO,
                   _("The damaged database %s could not be moved aside: %s"), path, g_strerror (saved));
      return NULL;
    }

  for (guint i = 0; i < 2; i++)
    {
      const char *suffix = i == 0 ? "-wal" : "-shm";
      g_autofree char *from = g_strconcat (path, suffix, NULL);
      g_autofree char *to = g_strconcat (target, suffix, NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }
  return g_steal_pointer (&target);
}

/* The old JSON store's product list, or %NULL with why it is damaged. */
static JsonNode *
read_legacy (const char  *path,
             GStatBuf    *st,
             JsonArray  **items,
             GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  gsize length = 0;

  if ((guint64) st->st_size > LEGACY_MAX_SIZE)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("it is too large"));
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  /* The old store wrote names from Ozon as they came, invalid UTF-8
   * included; newer json-glib would refuse the whole file for one. */
  if (!g_utf8_validate_len (contents, length, NULL))
    {
      char *repaired = g_utf8_make_valid (contents, length);

      g_free (contents);
      contents = repaired;
      length = strlen (repaired);
    }
  if ((root = oip_json_parse (contents, length, LEGACY_MAX_SIZE, error)) == NULL)
    return NULL;

  object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  *items = oip_json_object_get_array (object, "products");
  if (*items == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("no product list"));
      return NULL;
    }
  if (json_object_get_int_member_with_default (object, "version", 0) > 1)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("written by a newer version"));
      return NULL;
    }
  return g_steal_pointer (&root);
}

static gboolean
insert_legacy_product (sqlite3       *db,
                       sqlite3_stmt  *insert,
                       OipProduct    *product,
                       gint64         used_at,
                       GError       **error)
{
  g_autofree char *images = oip_database_strv_to_json (oip_product_get_images (product));
  GDateTime *downloaded = oip_product_get_downloaded_at (product);
  int rc;

  sqlite3_reset (insert);
  sqlite3_bind_int64 (insert, 1, oip_product_get_product_id (product));
  oip_database_bind_text (insert, 2, oip_product_get_offer_id (product));
  sqlite3_bind_int64 (insert, 3, oip_product_get_sku (product));
  oip_database_bind_text (insert, 4, oip_product_get_name (product) ? oip_product_get_name (product) : "");
  oip_database_bind_text (insert, 5, images);
  oip_database_bind_text (insert, 6, oip_product_get_color_image (product));
  sqlite3_bind_int64 (insert, 7, downloaded == NULL ? 0 :
                      g_date_time_to_unix (downloaded) * G_USEC_PER_SEC + g_date_time_get_microsecond (downloaded));
  sqlite3_bind_int64 (insert, 8, used_at);
  rc = sqlite3_step (insert);
  if (rc != SQLITE_DONE)
    {
      g_propagate_error (error, oip_database_error (db, rc));
      return FALSE;
    }
  return TRUE;
}

/* Every valid product and the mark that the import is done, in one
 * transaction; existing rows win. */
static gboolean
insert_legacy (sqlite3    *db,
               JsonArray  *items,
               guint      *skipped,
               GError    **error)
{
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) mark = NULL;
  g_autofree char *summary = NULL;
  gint64 now = oip_database_now ();
  guint imported = 0;
  int rc;

  if (!oip_database_begin (db, error))
    return FALSE;
  insert = oip_database_prepare (db,
    "INSERT OR IGNORE INTO products (product_id, offer_id, sku, name, images, color_image, downloaded_at, used_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
  if (insert == NULL)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *element = json_array_get_element (items, i);
      g_autoptr(OipProduct) product = NULL;

      if (JSON_NODE_HOLDS_OBJECT (element))
        product = oip_product_new_from_json (json_node_get_object (element));
      if (product == NULL)
        {
          (*skipped)++;
          continue;
        }
      /* The file listed the most recent first. */
      if (!insert_legacy_product (db, insert, product, now - i, error))
        return FALSE;
      imported++;
    }

  summary = g_strdup_printf ("{\"imported\":%u,\"skipped\":%u,\"at\":%" G_GINT64_FORMAT "}",
                             imported, *skipped, now);
  mark = oip_database_prepare (db, "INSERT INTO meta (key, value) VALUES ('legacy_import', ?1)", error);
  if (mark == NULL)
    return FALSE;
  oip_database_bind_text (mark, 1, summary);
  if ((rc = sqlite3_step (mark)) != SQLITE_DONE)
    {
      g_propagate_error (error, oip_database_error (db, rc));
      return FALSE;
    }
  return oip_database_commit (db, error);
}

/* The old JSON store, read once into the database and kept as a backup. */
static void
import_legacy (OipDatabase *self,
               Job         *job)
{
  g_autofree char *path = g_file_get_path (self->legacy);
  g_autofree char *backup = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *items = NULL;
  gint64 done = 0;
  guint skipped = 0;
  GStatBuf st;

  if (path == NULL || g_stat (path, &st) != 0)
    return;
  if (!read_int (self->db, "SELECT count(*) FROM meta WHERE key = 'legacy_import'", &done, &error))
    goto failed;
  if (done > 0)
    return;

  /* A pipe or a device would hang or never end. */
  if (!S_ISREG (st.st_mode))
    {
      add_notice (job, _("The old list of downloaded products %s is not a regular file; it was left as it is."),
                  path);
      return;
    }
  if ((root = read_legacy (path, &st, &items, &error)) == NULL)
    {
      add_notice (job, _("The old list of downloaded products %s is damaged (%s); it was left as it is."),
                  path, error->message);
      return;
    }
  if (!insert_legacy (self->db, items, &skipped, &error))
    {
      oip_database_rollback (self->db);
      goto failed;
    }

  /* Kept as a backup, never deleted (nor an older backup replaced). */
  backup = g_strconcat (path, ".imported", NULL);
  for (guint i = 2; g_file_test (backup, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK); i++)
    {
      g_free (backup);
      backup = g_strdup_printf ("%s.imported-%u", path, i);
    }
  if (g_rename (path, backup) != 0)
    {
      /* Imported all the same (and marked so): it stays where it is. */
      g_debug ("Could not rename %s: %s", path, g_strerror (errno));
      g_free (backup);
      backup = g_strdup (path);
    }

  if (skipped > 0)
    add_notice (job,
                g_dngettext (GETTEXT_PACKAGE,
                             "%u entry of the old list of downloaded products could not be read and was skipped; the old list is kept as %s.",
                             "%u entries of the old list of downloaded products could not be read and were skipped; the old list is kept as %s.",
                             skipped),
                skipped, backup);
  return;

failed:
  add_notice (job, _("The old list of downloaded products %s could not be imported (%s); it was left as it is."),
              path, error->message);
}

static void
fall_back_to_memory (OipDatabase *self,
                     Job         *job)
{
  self->db = open_memory (self);
  g_clear_pointer (&self->path, g_free);
  job->persistent = FALSE;
}

/* The products and history are the seller's business: a new database
 * is readable by its owner only, and SQLite gives its -wal and -shm the
 * same mode. */
static void
create_private (const char *path)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

  if (fd >= 0)
    g_close (fd, NULL);
}

static void
open_in_worker (OipDatabase *self,
                Job         *job)
{
  g_autofree char *given = g_file_get_path (self->file);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  OpenStatus status;
  GStatBuf st;

  job->opened = TRUE;
  if (given == NULL)
    {
      g_set_error (&job->error, OIP_ERROR, OIP_ERROR_DATABASE, _("The database must be a local file"));
      add_notice (job, "%s", job->error->message);
      fall_back_to_memory (self, job);
      return;
    }

  /* A link is followed to its file, which is what is opened, checked and
   * moved aside: the link itself is never replaced. */
  path = realpath (given, NULL);
  if (path == NULL)
    path = g_strdup (given);
  dir = g_path_get_dirname (path);
  g_mkdir_with_parents (dir, 0700);
  create_private (path);

  /* A pipe, a device or a folder would hang or fail obscurely: check
   * before SQLite opens it. */
  if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      g_set_error (&job->error, OIP_ERROR, OIP_ERROR_DATABASE,
                   _("%s is not a regular file, so it cannot hold the database"), given);
      add_notice (job, _("%s is not a regular file, so it cannot hold the database; it was left as it is. "
                         "Downloaded products and push history are kept only until Ozon Image Push closes."),
                  given);
      fall_back_to_memory (self, job);
      return;
    }

  status = open_file (self, path, &db, &error);
  if (status == OPEN_DAMAGED)
    {
      g_autoptr(GError) move_error = NULL;
      g_autofree char *aside = move_aside (path, &move_error);

      if (aside == NULL)
        {
          job->error = g_steal_pointer (&move_error);
          add_notice (job, _("%s Downloaded products and push history are kept only until Ozon Image Push closes."),
                      job->error->message);
          fall_back_to_memory (self, job);
          return;
        }
      /* Translators: the first %s is why, a sentence without its full stop */
      add_notice (job, _("%s. It was moved to %s and a new one was started."), error->message, aside);
      g_clear_error (&error);
      status = open_file (self, path, &db, &error);
    }

  switch (status)
    {
    case OPEN_OK:
      self->db = db;
      self->path = g_steal_pointer (&path);
      job->persistent = TRUE;
      if (self->legacy != NULL)
        import_legacy (self, job);
      return;
    case OPEN_NEWER:
      g_set_error (&job->error, OIP_ERROR, OIP_ERROR_DATABASE,
                   _("The database %s was written by a newer version of Ozon Image Push"), given);
      add_notice (job, _("The database %s was written by a newer version of Ozon Image Push; it was left as it is. "
                         "Until you update, downloaded products and push history are kept only until Ozon Image Push closes."),
                  given);
      break;
    case OPEN_DAMAGED:
    case OPEN_FAILED:
    default:
      job->error = g_steal_pointer (&error);
      add_notice (job, _("%s Downloaded products and push history are kept only until Ozon Image Push closes."),
                  job->error->message);
      break;
    }
  fall_back_to_memory (self, job);
}

/* A statement found the file damaged after it was opened: move it aside
 * and go on with a fresh one, as opening would have. */
static gboolean
recover_in_worker (OipDatabase *self,
                   Job         *job)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *path = g_strdup (self->path);
  sqlite3 *db = NULL;

  if (path == NULL)
    return FALSE;

  sqlite3_db_config (self->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  g_clear_pointer (&self->db, sqlite3_close_v2);
  aside = move_aside (path, &error);
  if (aside == NULL || open_file (self, path, &db, &error) != OPEN_OK)
    {
      add_notice (job, _("%s Downloaded products and push history are kept only until Ozon Image Push closes."),
                  error->message);
      fall_back_to_memory (self, job);
      job->opened = TRUE;
      return TRUE;
    }
  self->db = db;
  add_notice (job, _("The database was damaged. It was moved to %s and a new one was started."), aside);
  return TRUE;
}

static gboolean
complete_job (gpointer user_data)
{
  Job *job = user_data;
  OipDatabase *self = job->self;

  if (job->notices != NULL)
    {
      g_autoptr(GString) text = g_string_new (self->notice);

      for (guint i = 0; i < job->notices->len; i++)
        {
          if (text->len > 0)
            g_string_append_c (text, '\n');
          g_string_append (text, g_ptr_array_index (job->notices, i));
        }
      g_free (self->notice);
      self->notice = g_string_free (g_steal_pointer (&text), FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTICE]);
    }

  if (job->opened)
    {
      gboolean was_open = self->open;

      self->opening = FALSE;
      self->open = TRUE;
      self->persistent = job->persistent;
      if (!was_open)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN]);
    }
  else if (job->func == NULL)
    self->opening = FALSE;

  if (job->error != NULL)
    g_task_return_error (job->task, g_steal_pointer (&job->error));
  else if (job->result == OIP_DATABASE_DONE || job->result == NULL)
    g_task_return_pointer (job->task, g_steal_pointer (&job->result), NULL);
  else
    g_task_return_pointer (job->task, g_steal_pointer (&job->result), job->result_free);

  job_free (job);
  return G_SOURCE_REMOVE;
}

static void
run_in_worker (gpointer data,
               gpointer pool_data)
{
  Job *job = data;
  OipDatabase *self = pool_data;
  GCancellable *cancellable = g_task_get_cancellable (job->task);
  GSource *source;

  if (g_cancellable_set_error_if_cancelled (cancellable, &job->error))
    ;
  else if (job->func == NULL)
    {
      if (self->db == NULL)
        open_in_worker (self, job);
      if (job->error == NULL)
        job->result = OIP_DATABASE_DONE;
    }
  else if (self->db == NULL)
    g_set_error_literal (&job->error, OIP_ERROR, OIP_ERROR_DATABASE, _("The database is not open"));
  else
    {
      job->result = job->func (self->db, job->data, &job->error);
      /* A function must not leave a transaction open behind it. */
      oip_database_rollback (self->db);
      if (job->result == NULL && is_damage (job->error) && recover_in_worker (self, job))
        {
          g_clear_error (&job->error);
          job->result = job->func (self->db, job->data, &job->error);
          oip_database_rollback (self->db);
        }
      if (job->result != NULL)
        g_clear_error (&job->error);
    }

  /* Completed in the task's own context: the task and everything it
   * holds are released there, never on this thread. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, complete_job, job, NULL);
  g_source_set_static_name (source, "[oip-database] complete");
  g_source_attach (source, g_task_get_context (job->task));
  g_source_unref (source);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */

static void
oip_database_finalize (GObject *object)
{
  OipDatabase *self = (OipDatabase *)object;

  /* Every job holds a reference: nothing is queued any more. */
  g_thread_pool_free (self->pool, FALSE, TRUE);
  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_clear_pointer (&self->path, g_free);
  g_clear_object (&self->file);
  g_clear_object (&self->legacy);
  g_clear_pointer (&self->notice, g_free);

  G_OBJECT_CLASS (oip_database_parent_class)->finalize (object);
}

static void
oip_database_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  OipDatabase *self = OIP_DATABASE (object);

  switch (prop_id)
    {
    case PROP_OPEN:
      g_value_set_boolean (value, self->open);
      break;
    case PROP_NOTICE:
      g_value_set_string (value, self->notice);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
oip_database_class_init (OipDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = oip_database_finalize;
  object_class->get_property = oip_database_get_property;

  /**
   * OipDatabase:open:
   *
   * Whether opening finished (on disk or, failing that, in memory), so
   * statements can run.
   */
  properties[PROP_OPEN] =
    g_param_spec_boolean ("open", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * OipDatabase:notice:
   *
   * What the seller should know about the database, translated; %NULL
   * when all is well.
   */
  properties[PROP_NOTICE] =
    g_param_spec_string ("notice", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
oip_database_init (OipDatabase *self)
{
  g_autoptr(GError) error = NULL;

  self->quick_check = TRUE;
  self->busy_timeout_ms = DEFAULT_BUSY_TIMEOUT_MS;
  /* One thread: statements run one at a time, in order. */
  self->pool = g_thread_pool_new (run_in_worker, self, 1, TRUE, &error);
  if (self->pool == NULL)
    g_error ("Could not start the database thread: %s", error->message);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

/**
 * oip_database_new:
 * @file: (nullable): the database file; %NULL for
 *   `$XDG_DATA_HOME/ozon-image-push/ozon-image-push.db`, which also
 *   imports the old `products.json` beside it once
 *
 * Returns: (transfer full): the database, not open yet
 */
OipDatabase *
oip_database_new (GFile *file)
{
  OipDatabase *self = g_object_new (OIP_TYPE_DATABASE, NULL);

  if (file != NULL)
    self->file = g_object_ref (file);
  else
    {
      self->file = g_file_new_build_filename (g_get_user_data_dir (), "ozon-image-push",
                                              "ozon-image-push.db", NULL);
      self->legacy = g_file_new_build_filename (g_get_user_data_dir (), "ozon-image-push",
                                                "products.json", NULL);
    }
  return self;
}

GFile *
oip_database_get_file (OipDatabase *self)
{
  g_return_val_if_fail (OIP_IS_DATABASE (self), NULL);
  return self->file;
}

/**
 * oip_database_set_legacy_store:
 * @file: (nullable): an old JSON product store to import once on open
 */
void
oip_database_set_legacy_store (OipDatabase *self,
                               GFile       *file)
{
  g_return_if_fail (OIP_IS_DATABASE (self));
  g_return_if_fail (!self->opening && !self->open);
  g_set_object (&self->legacy, file);
}

/**
 * oip_database_set_quick_check:
 *
 * Whether opening reads every page to find damage (`PRAGMA quick_check`;
 * the default). It costs about 0.5 ms per 1 000 products: a long-running
 * window can afford it, a short command skips it and relies on the
 * damage its statements meet, which is handled the same way.
 */
void
oip_database_set_quick_check (OipDatabase *self,
                              gboolean     quick_check)
{
  g_return_if_fail (OIP_IS_DATABASE (self));
  g_return_if_fail (!self->opening && !self->open);
  self->quick_check = quick_check;
}

/**
 * oip_database_set_busy_timeout:
 *
 * How long a statement waits for another process's write before it
 * fails with %OIP_ERROR_DATABASE_BUSY (default 10 s).
 */
void
oip_database_set_busy_timeout (OipDatabase *self,
                               guint        milliseconds)
{
  g_return_if_fail (OIP_IS_DATABASE (self));
  g_return_if_fail (!self->opening && !self->open);
  self->busy_timeout_ms = milliseconds;
}

static void
queue (OipDatabase *self,
       Job         *job)
{
  job->self = self;
  g_thread_pool_push (self->pool, job, NULL);
}

/**
 * oip_database_open_async:
 *
 * Opens or creates the database, migrates its schema, and imports the
 * old JSON store once. It always ends with a usable database: when the
 * file cannot be used, in memory, with a notice.
 */
void
oip_database_open_async (OipDatabase         *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  Job *job;

  g_return_if_fail (OIP_IS_DATABASE (self));
  g_return_if_fail (!self->opening && !self->open);

  job = g_new0 (Job, 1);
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, oip_database_open_async);
  g_task_set_check_cancellable (job->task, FALSE);
  self->opening = TRUE;
  queue (self, job);
}

/**
 * oip_database_open_finish:
 *
 * Returns: %TRUE if the database is on disk (a damaged one was moved
 *   aside: see oip_database_get_notice()); %FALSE with @error when this
 *   run keeps its data in memory (busy, disk full, read-only, not a
 *   regular file, written by a newer version) or opening was cancelled.
 *   Except after a cancellation, statements work either way.
 */
gboolean
oip_database_open_finish (OipDatabase   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oip_database_open_async, FALSE);
  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

gboolean
oip_database_is_open (OipDatabase *self)
{
  g_return_val_if_fail (OIP_IS_DATABASE (self), FALSE);
  return self->open;
}

/**
 * oip_database_is_persistent:
 *
 * Returns: %TRUE if what is written is kept on disk, %FALSE while the
 *   database is in memory (see oip_database_get_notice())
 */
gboolean
oip_database_is_persistent (OipDatabase *self)
{
  g_return_val_if_fail (OIP_IS_DATABASE (self), FALSE);
  return self->open && self->persistent;
}

/**
 * oip_database_get_notice:
 *
 * Returns: (nullable): what the seller should know — where a damaged
 *   file went, that this run is in memory and why, an old product list
 *   that could not be imported — translated; %NULL when all is well
 */
const char *
oip_database_get_notice (OipDatabase *self)
{
  g_return_val_if_fail (OIP_IS_DATABASE (self), NULL);
  return self->notice;
}

/**
 * oip_database_run_async:
 * @func: runs on the database's thread, after everything asked before
 * @data: (nullable): passed to @func
 * @data_free: (nullable): frees @data, on the calling thread, when done
 *
 * Runs @func with the connection. A function that writes wraps its
 * statements in oip_database_begin() and oip_database_commit(); a
 * transaction it leaves open is rolled back. If @func fails because the
 * file turned out to be damaged, the file is moved aside (see
 * oip_database_get_notice()) and @func runs once more on a fresh one.
 *
 * Cancelling only stops @func from starting.
 */
void
oip_database_run_async (OipDatabase         *self,
                        OipDatabaseFunc      func,
                        gpointer             data,
                        GDestroyNotify       data_free,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  oip_database_run_full_async (self, func, data, data_free, NULL, cancellable, callback, user_data);
}

/**
 * oip_database_run_full_async:
 * @result_free: (nullable): frees @func's result if nobody takes it
 *
 * As oip_database_run_async().
 */
void
oip_database_run_full_async (OipDatabase         *self,
                             OipDatabaseFunc      func,
                             gpointer             data,
                             GDestroyNotify       data_free,
                             GDestroyNotify       result_free,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Job *job;

  g_return_if_fail (OIP_IS_DATABASE (self));
  g_return_if_fail (func != NULL);

  job = g_new0 (Job, 1);
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, oip_database_run_full_async);
  g_task_set_check_cancellable (job->task, FALSE);
  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;
  queue (self, job);
}

/**
 * oip_database_run_finish:
 *
 * Returns: (transfer full) (nullable): what the function returned
 *   (%OIP_DATABASE_DONE for no value), or %NULL with @error
 */
gpointer
oip_database_run_finish (OipDatabase   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oip_database_run_full_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
