/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "oip-database-private.h"
#include "oip-error.h"
#include "oip-test-util.h"

/* Opening the database: schema and migrations, WAL, the old JSON store
 * imported once, and every way the file can be wrong (damaged, newer,
 * not a file, a link, locked), none of which may stop the seller. */

static char *
db_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "ozon-image-push", NULL);
}

static char *
db_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "ozon-image-push", "ozon-image-push.db", NULL);
}

static char *
legacy_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "ozon-image-push", "products.json", NULL);
}

static void
make_dir (void)
{
  g_autofree char *dir = db_dir ();

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
}

/* Opens the default database, whatever happens. */
static OipDatabase *
open_db (gboolean   quick_check,
         gboolean  *on_disk,
         GError   **error)
{
  g_autoptr(OipDatabase) db = oip_database_new (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ok;

  oip_database_set_quick_check (db, quick_check);
  oip_database_set_busy_timeout (db, 300);
  oip_database_open_async (db, NULL, oip_test_on_ready, &result);
  ok = oip_database_open_finish (db, oip_test_wait (&result), error);
  g_assert_true (oip_database_is_open (db));
  g_assert_true (ok == oip_database_is_persistent (db));
  if (on_disk != NULL)
    *on_disk = ok;
  return g_steal_pointer (&db);
}

static void
close_db (OipDatabase *db)
{
  oip_test_database_drain (db);
  oip_test_assert_finalize (db);
}

static char *
query_text (const char *path,
            const char *sql)
{
  sqlite3 *raw = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &raw, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (raw, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (raw);
  return text;
}

static void
exec_raw (const char *path,
          const char *sql)
{
  sqlite3 *raw = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  if (sqlite3_exec (raw, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  g_assert_cmpint (sqlite3_close (raw), ==, SQLITE_OK);
}

typedef struct
{
  const char *sql;
  char       *answer;
} Query;

static gpointer
run_query (sqlite3   *db,
           gpointer   data,
           GError   **error)
{
  const char *sql = data;
  g_autoptr(sqlite3_stmt) stmt = oip_database_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup_printf ("%s", sqlite3_column_text (stmt, 0) ? (const char *) sqlite3_column_text (stmt, 0) : "");
  if (rc == SQLITE_DONE)
    return g_strdup ("");
  g_propagate_error (error, oip_database_error (db, rc));
  return NULL;
}

/* One statement through the database's worker thread. */
static char *
query (OipDatabase  *db,
       const char   *sql,
       GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  oip_database_run_full_async (db, run_query, (gpointer) sql, NULL, g_free, NULL, oip_test_on_ready, &result);
  return oip_database_run_finish (db, oip_test_wait (&result), error);
}

static void
put_sample (OipDatabase *db,
            gint64       product_id)
{
  g_autoptr(OipProductStore) store = oip_product_store_new (db);
  g_autofree char *offer = g_strdup_printf ("OFFER-%" G_GINT64_FORMAT, product_id);
  g_autoptr(OipProduct) product = oip_product_new (product_id, offer);

  oip_test_store_put (store, product);
  oip_test_database_drain (db);
  oip_test_assert_finalize (g_steal_pointer (&store));
}

static gboolean
has_product (OipDatabase *db,
             gint64       product_id)
{
  g_autoptr(OipProductStore) store = oip_product_store_new (db);
  g_autoptr(OipProduct) product = oip_test_store_lookup (store, product_id, NULL);
  gboolean found = product != NULL;

  g_clear_object (&product);
  oip_test_database_drain (db);
  oip_test_assert_finalize (g_steal_pointer (&store));
  return found;
}

/* The damaged database moved aside, if any. */
static char *
find_aside (void)
{
  g_autofree char *dir = db_dir ();
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "ozon-image-push.db.corrupt-") &&
        !g_str_has_suffix (name, "-wal") && !g_str_has_suffix (name, "-shm"))
      return g_build_filename (dir, name, NULL);
  return NULL;
}

static gboolean
has_aside (void)
{
  g_autofree char *aside = find_aside ();

  return aside != NULL;
}

static void
test_open_creates (void)
{
  g_autofree char *path = db_path ();
  g_autofree char *mode = NULL;
  g_autofree char *version = NULL;
  g_autofree char *tables = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipDatabase) db = NULL;
  gboolean on_disk = FALSE;
  GStatBuf st;

  db = open_db (TRUE, &on_disk, &error);
  g_assert_no_error (error);
  g_assert_true (on_disk);
  g_assert_null (oip_database_get_notice (db));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  /* The seller's products are theirs only. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  mode = query (db, "PRAGMA journal_mode", NULL);
  g_assert_cmpstr (mode, ==, "wal");
  version = query (db, "PRAGMA user_version", NULL);
  g_assert_cmpstr (version, ==, "2");
  tables = query (db, "SELECT group_concat (name, ',') FROM (SELECT name FROM sqlite_master "
                      "WHERE type = 'table' ORDER BY name)", NULL);
  g_assert_cmpstr (tables, ==, "bulk_files,bulk_items,bulk_runs,meta,products,push_images,pushes");
  put_sample (db, 5);
  close_db (g_steal_pointer (&db));

  /* Again: nothing to migrate, the product is there. */
  db = open_db (TRUE, &on_disk, &error);
  g_assert_no_error (error);
  g_assert_true (has_product (db, 5));
  g_clear_pointer (&version, g_free);
  version = query (db, "PRAGMA user_version", NULL);
  g_assert_cmpstr (version, ==, "2");
  close_db (g_steal_pointer (&db));
}

/* A version-0 file (an empty one, or one SQLite made with nothing in it)
 * is migrated, not moved aside. */
static void
test_migrates_old_schema (void)
{
  g_autofree char *path = db_path ();
  g_autofree char *version = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipDatabase) db = NULL;
  gboolean on_disk = FALSE;

  make_dir ();
  exec_raw (path, "CREATE TABLE unrelated (x); DROP TABLE unrelated; PRAGMA user_version = 0");
  db = open_db (TRUE, &on_disk, &error);
  g_assert_no_error (error);
  g_assert_true (on_disk);
  g_assert_null (oip_database_get_notice (db));
  close_db (g_steal_pointer (&db));
  version = query_text (path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "2");
}

static void
write_legacy (const char *contents)
{
  g_autofree char *path = legacy_path ();

  make_dir ();
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

#define LEGACY_STORE \
  "{\"version\":1,\"products\":[" \
  "{\"product_id\":9007199254740993,\"offer_id\":\"NEWEST\",\"sku\":77,\"name\":\"Кружка\"," \
  " \"images\":[\"https://cdn.example.net/a.jpg\",\"https://cdn.example.net/b.jpg\"]," \
  " \"color_image\":\"https://cdn.example.net/c.jpg\",\"downloaded_at\":\"2026-10-01T10:00:00Z\"}," \
  "{\"product_id\":2,\"offer_id\":\"MIDDLE\",\"images\":[]}," \
  "{\"offer_id\":\"no id\"}," \
  "{\"product_id\":3,\"offer_id\":\"OLDEST\",\"name\":\"bad \xed\xa0\xbd name\"}" \
  "]}"

static void
test_legacy_import_once (void)
{
  g_autofree char *path = legacy_path ();
  g_autofree char *backup = g_strconcat (path, ".imported", NULL);
  g_autofree char *kept = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipDatabase) db = NULL;
  g_autoptr(OipProductStore) store = NULL;
  g_autoptr(OipProduct) product = NULL;
  GListModel *recent;
  gboolean on_disk = FALSE;

  write_legacy (LEGACY_STORE);
  db = open_db (TRUE, &on_disk, &error);
  g_assert_no_error (error);
  g_assert_true (on_disk);
  /* The entry without an id was skipped, and the seller is told. */
  g_assert_nonnull (oip_database_get_notice (db));
  g_assert_nonnull (strstr (oip_database_get_notice (db), "1"));
  g_assert_nonnull (strstr (oip_database_get_notice (db), backup));

  /* The file is kept as a backup, as it was. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (backup, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, LEGACY_STORE);

  store = oip_product_store_new (db);
  product = oip_test_store_lookup (store, G_GINT64_CONSTANT (9007199254740993), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (oip_product_get_offer_id (product), ==, "NEWEST");
  g_assert_cmpint (oip_product_get_sku (product), ==, 77);
  g_assert_cmpstr (oip_product_get_name (product), ==, "Кружка");
  g_assert_cmpuint (g_strv_length ((char **) oip_product_get_images (product)), ==, 2);
  g_assert_cmpstr (oip_product_get_color_image (product), ==, "https://cdn.example.net/c.jpg");
  g_assert_cmpint (g_date_time_to_unix (oip_product_get_downloaded_at (product)), ==, 1790848800);
  g_clear_object (&product);
  /* A name with invalid UTF-8 (what the old store wrote for a lone
   * surrogate from Ozon) is repaired, not a reason to refuse. */
  product = oip_test_store_lookup (store, 3, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (oip_product_get_name (product), -1, NULL));
  g_clear_object (&product);

  /* The old order, most recent first, is the recent list's. */
  recent = oip_product_store_get_recent (store);
  oip_test_database_drain (db);
  g_assert_cmpuint (g_list_model_get_n_items (recent), ==, 3);
  product = g_list_model_get_item (recent, 0);
  g_assert_cmpstr (oip_product_get_offer_id (product), ==, "NEWEST");
  g_clear_object (&product);
  product = g_list_model_get_item (recent, 2);
  g_assert_cmpstr (oip_product_get_offer_id (product), ==, "OLDEST");
  g_clear_object (&product);
  oip_test_assert_finalize (g_steal_pointer (&store));
  close_db (g_steal_pointer (&db));

  /* Once only: a products.json that appears later (an old version run
   * again) is neither imported nor touched. */
  write_legacy ("{\"version\":1,\"products\":[{\"product_id\":99,\"offer_id\":\"LATER\"}]}");
  db = open_db (TRUE, &on_disk, &error);
  g_assert_no_error (error);
  g_assert_null (oip_database_get_notice (db));
  g_assert_false (has_product (db, 99));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  close_db (g_steal_pointer (&db));
}

/* A damaged old store is left as it is, said so, and work goes on. */
static void
test_legacy_damaged_left_alone (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"version\":1,\"products\":");
  const char *cases[] = {
    "{\"version\":1,\"products\":[{\"product_id\":1,\"offer_id\":\"A\"}",   /* cut off */
    "[]",
    "{\"version\":1}",
    "{\"version\":99,\"products\":[]}",
    "",
    "\xff\xfe{not json",
    NULL,   /* 100 000 nested brackets */
  };

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  cases[G_N_ELEMENTS (cases) - 1] = deep->str;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = legacy_path ();
      g_autofree char *dir = db_dir ();
      g_autofree char *after = NULL;
      g_autofree char *database = db_path ();
      g_autoptr(GError) error = NULL;
      g_autoptr(OipDatabase) db = NULL;
      gboolean on_disk = FALSE;

      g_test_message ("case %u", i);
      write_legacy (cases[i]);
      db = open_db (TRUE, &on_disk, &error);
      g_assert_no_error (error);
      g_assert_true (on_disk);
      g_assert_nonnull (oip_database_get_notice (db));
      g_assert_nonnull (strstr (oip_database_get_notice (db), path));
      g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
      g_assert_cmpstr (after, ==, cases[i]);
      /* Work continues. */
      put_sample (db, 10 + i);
      g_assert_true (has_product (db, 10 + i));
      close_db (g_steal_pointer (&db));
      g_assert_cmpint (g_unlink (database), ==, 0);
    }
}

/* A pipe where the old store was must not hang the app. */
static void
test_legacy_fifo (void)
{
  g_autofree char *path = legacy_path ();
  g_autoptr(OipDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  gboolean on_disk = FALSE;

  make_dir ();
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  db = open_db (TRUE, &on_disk, &error);
  g_assert_no_error (error);
  g_assert_true (on_disk);
  g_assert_nonnull (strstr (oip_database_get_notice (db), path));
  close_db (g_steal_pointer (&db));
}

static void
assert_fresh_and_working (OipDatabase *db)
{
  g_assert_true (oip_database_is_persistent (db));
  g_assert_false (has_product (db, 1));
  put_sample (db, 2);
  g_assert_true (has_product (db, 2));
}

/* Not a database at all, with a -wal beside it: both moved aside, a new
 * one started, the seller told where the old one went. */
static void
test_corrupt_moved_aside (void)
{
  g_autofree char *path = db_path ();
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *aside = NULL;
  g_autofree char *aside_wal = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GString) garbage = g_string_new (NULL);
  g_autoptr(OipDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  gboolean on_disk = FALSE;

  for (guint i = 0; i < 4096; i++)
    g_string_append_c (garbage, 'A' + i % 26);
  make_dir ();
  g_assert_true (g_file_set_contents (path, garbage->str, garbage->len, NULL));
  g_assert_true (g_file_set_contents (wal, "wal garbage", -1, NULL));

  db = open_db (FALSE, &on_disk, &error);
  g_assert_no_error (error);
  g_assert_true (on_disk);
  aside = find_aside ();
  g_assert_nonnull (aside);
  g_assert_true (g_regex_match_simple ("\\.corrupt-[0-9]{8}-[0-9]{6}$", aside, 0, 0));
  g_assert_nonnull (oip_database_get_notice (db));
  g_assert_nonnull (strstr (oip_database_get_notice (db), aside));
  g_assert_true (g_file_get_contents (aside, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, garbage->str);
  aside_wal = g_strconcat (aside, "-wal", NULL);
  g_assert_true (g_file_test (aside_wal, G_FILE_TEST_IS_REGULAR));

  assert_fresh_and_working (db);
  close_db (g_steal_pointer (&db));
}

/* A database with products whose middle pages are overwritten. */
static void
make_damaged_database (void)
{
  g_autofree char *path = db_path ();
  g_autoptr(OipDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  db = open_db (TRUE, NULL, &error);
  g_assert_no_error (error);
  put_sample (db, 1);
  g_free (query (db, "WITH RECURSIVE n(x) AS (SELECT 1000 UNION ALL SELECT x + 1 FROM n WHERE x < 3000) "
                     "INSERT INTO products (product_id, offer_id, name) "
                     "SELECT x, 'OFFER-' || x, printf ('%.500c', 'n') FROM n", &error));
  g_assert_no_error (error);
  close_db (g_steal_pointer (&db));

  /* Closed: everything is in the main file. Pages 100 to 119 of 4096
   * bytes become noise. */
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 130 * 4096);
  for (gsize i = 99 * 4096; i < 119 * 4096; i++)
    contents[i] = (char) (i * 7919 % 251);
  g_assert_true (g_file_set_contents (path, contents, length, NULL));
}

static void
test_damage_found_on_open (void)
{
  g_autoptr(OipDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  gboolean on_disk = FALSE;

  make_damaged_database ();
  db = open_db (TRUE, &on_disk, &error);
  g_assert_no_error (error);
  g_assert_true (on_disk);
  g_assert_true (has_aside ());
  g_assert_nonnull (oip_database_get_notice (db));
  assert_fresh_and_working (db);
  close_db (g_steal_pointer (&db));
}

/* Without the check on open (the command line), a statement that meets
 * the damage moves the file aside the same way and runs again. */
static void
test_damage_found_by_statement (void)
{
  g_autoptr(OipDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  gboolean on_disk = FALSE;

  make_damaged_database ();
  db = open_db (FALSE, &on_disk, &error);
  g_assert_no_error (error);
  g_assert_true (on_disk);
  g_assert_null (oip_database_get_notice (db));

  count = query (db, "SELECT count (*) || ':' || ifnull (sum (length (name)), 0) FROM products", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (count, ==, "0:0");
  g_assert_true (has_aside ());
  g_assert_nonnull (oip_database_get_notice (db));
  assert_fresh_and_working (db);
  close_db (g_steal_pointer (&db));
}

/* Written by a newer version: not moved, not written; this run keeps
 * its data in memory and says so. */
static void
test_newer_version_untouched (void)
{
  g_autofree char *path = db_path ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(OipDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  gsize before_length = 0;
  gsize after_length = 0;
  gboolean on_disk = TRUE;

  make_dir ();
  exec_raw (path, "CREATE TABLE products (future_column); PRAGMA user_version = 99");
  g_assert_true (g_file_get_contents (path, &before, &before_length, NULL));

  db = open_db (TRUE, &on_disk, &error);
  g_assert_false (on_disk);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_DATABASE);
  g_assert_nonnull (oip_database_get_notice (db));
  g_assert_nonnull (strstr (oip_database_get_notice (db), path));
  g_assert_false (has_aside ());

  /* Work goes on, in memory. */
  put_sample (db, 3);
  g_assert_true (has_product (db, 3));
  close_db (g_steal_pointer (&db));

  g_assert_true (g_file_get_contents (path, &after, &after_length, NULL));
  g_assert_cmpmem (before, before_length, after, after_length);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

/* A pipe, or a folder, where the database should be: refused at once
 * (opening a pipe would block), and the app goes on in memory. */
static void
test_not_a_file (void)
{
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *path = db_path ();
      g_autoptr(OipDatabase) db = NULL;
      g_autoptr(GError) error = NULL;
      gboolean on_disk = TRUE;
      GStatBuf st;

      make_dir ();
      if (i == 0)
        g_assert_cmpint (mkfifo (path, 0600), ==, 0);
      else
        g_assert_cmpint (g_mkdir (path, 0700), ==, 0);

      db = open_db (TRUE, &on_disk, &error);
      g_assert_false (on_disk);
      g_assert_error (error, OIP_ERROR, OIP_ERROR_DATABASE);
      g_assert_nonnull (strstr (error->message, path));
      g_assert_nonnull (oip_database_get_notice (db));
      put_sample (db, 4);
      g_assert_true (has_product (db, 4));
      close_db (g_steal_pointer (&db));

      /* Left as it was. */
      g_assert_cmpint (g_lstat (path, &st), ==, 0);
      g_assert_true (i == 0 ? S_ISFIFO (st.st_mode) : S_ISDIR (st.st_mode));
      g_assert_cmpint (i == 0 ? g_unlink (path) : g_rmdir (path), ==, 0);
    }
}

/* A link is used through: the file it points to holds the data, and the
 * link is never replaced by a file. */
static void
test_symlink_followed (void)
{
  g_autofree char *path = db_path ();
  g_autofree char *elsewhere = g_build_filename (g_get_user_data_dir (), "elsewhere", NULL);
  g_autofree char *target = g_build_filename (elsewhere, "real.db", NULL);
  g_autofree char *count = NULL;
  g_autoptr(OipDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  gboolean on_disk = FALSE;
  GStatBuf st;

  make_dir ();
  g_assert_cmpint (g_mkdir_with_parents (elsewhere, 0700), ==, 0);
  exec_raw (target, "PRAGMA user_version = 0");
  g_assert_cmpint (symlink (target, path), ==, 0);

  for (guint round = 0; round < 2; round++)
    {
      db = open_db (TRUE, &on_disk, &error);
      g_assert_no_error (error);
      g_assert_true (on_disk);
      put_sample (db, 6 + round);
      close_db (g_steal_pointer (&db));

      g_assert_cmpint (g_lstat (path, &st), ==, 0);
      g_assert_true (S_ISLNK (st.st_mode));
    }
  count = query_text (target, "SELECT count (*) FROM products");
  g_assert_cmpstr (count, ==, "2");
}

/* Another process holds the database exclusively beyond the busy
 * timeout: a clear error soon, and the app goes on in memory. */
static void
test_locked_at_open (void)
{
  g_autofree char *path = db_path ();
  g_autoptr(OipDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *holder = NULL;
  gboolean on_disk = TRUE;
  gint64 started;

  db = open_db (TRUE, NULL, NULL);
  close_db (g_steal_pointer (&db));

  g_assert_cmpint (sqlite3_open (path, &holder), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (holder, "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; "
                                         "INSERT INTO meta VALUES ('lock', 'held')", NULL, NULL, NULL),
                   ==, SQLITE_OK);

  started = g_get_monotonic_time ();
  db = open_db (TRUE, &on_disk, &error);
  g_assert_false (on_disk);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_DATABASE_BUSY);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
  g_assert_nonnull (strstr (oip_error_hint (error->code), "ozon-push"));
  g_assert_false (has_aside ());
  put_sample (db, 8);
  close_db (g_steal_pointer (&db));

  sqlite3_exec (holder, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (holder);
}

static gpointer
leave_transaction_open (sqlite3   *db,
                        gpointer   data,
                        GError   **error)
{
  if (!oip_database_begin (db, error) ||
      !oip_database_exec (db, "INSERT INTO meta (key, value) VALUES ('half', 'done')", error))
    return NULL;
  return OIP_DATABASE_DONE;
}

static gpointer
fail_with_error (sqlite3   *db,
                 gpointer   data,
                 GError   **error)
{
  return oip_database_exec (db, "SELECT * FROM no_such_table", error) ? OIP_DATABASE_DONE : NULL;
}

static gpointer
never_run (sqlite3   *db,
           gpointer   data,
           GError   **error)
{
  g_assert_not_reached ();
}

static void
test_run (void)
{
  g_autoptr(OipDatabase) db = open_db (TRUE, NULL, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;

  /* A transaction left open is rolled back. */
  oip_database_run_async (db, leave_transaction_open, NULL, NULL, NULL, oip_test_on_ready, &result);
  g_assert_true (oip_database_run_finish (db, oip_test_wait (&result), &error) == OIP_DATABASE_DONE);
  g_assert_no_error (error);
  count = query (db, "SELECT count (*) FROM meta WHERE key = 'half'", NULL);
  g_assert_cmpstr (count, ==, "0");
  g_clear_object (&result);

  oip_database_run_async (db, fail_with_error, NULL, NULL, NULL, oip_test_on_ready, &result);
  g_assert_null (oip_database_run_finish (db, oip_test_wait (&result), &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "no_such_table"));
  g_clear_error (&error);
  g_clear_object (&result);

  /* Cancelled before it starts: never runs. */
  g_cancellable_cancel (cancellable);
  oip_database_run_async (db, never_run, g_strdup ("freed"), g_free, cancellable, oip_test_on_ready, &result);
  g_assert_null (oip_database_run_finish (db, oip_test_wait (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Read-only (as a read-only disk would be): its own code and hint. */
  g_free (query (db, "PRAGMA query_only = 1", NULL));
  {
    g_autoptr(OipProductStore) store = oip_product_store_new (db);
    g_autoptr(OipProduct) product = oip_product_new (1, "RO");

    oip_product_store_put_async (store, product, NULL, oip_test_on_ready, &result);
    g_assert_false (oip_product_store_put_finish (store, oip_test_wait (&result), &error));
    g_assert_error (error, OIP_ERROR, OIP_ERROR_READ_ONLY);
    g_clear_object (&result);
    oip_test_database_drain (db);
    oip_test_assert_finalize (g_steal_pointer (&store));
  }
  close_db (g_steal_pointer (&db));
}

static void
test_strings (void)
{
  const char *list[] = { "https://a.example/1.jpg", "bad \xff\xfe", "кружка", NULL };
  g_autofree char *json = oip_database_strv_to_json (list);
  g_auto(GStrv) back = NULL;
  g_auto(GStrv) mixed = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_utf8_validate (json, -1, NULL));
  back = oip_database_strv_from_json (json, strlen (json), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (back), ==, 3);
  g_assert_cmpstr (back[0], ==, list[0]);
  g_assert_true (g_str_has_prefix (back[1], "bad "));
  g_assert_cmpstr (back[2], ==, "кружка");

  /* Rows are outside data: anything but a list is an error, non-strings
   * in it are skipped. */
  g_assert_null (oip_database_strv_from_json ("{\"a\":1}", 7, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (oip_database_strv_from_json ("[[[[", 4, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  {
    const char *text = "[1,\"x\",null,[\"y\"],\"z\"]";

    mixed = oip_database_strv_from_json (text, strlen (text), &error);
  }
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (mixed), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  oip_test_init (&argc, &argv);

  oip_test_add_func ("/database/open-creates", test_open_creates);
  oip_test_add_func ("/database/migrates-old-schema", test_migrates_old_schema);
  oip_test_add_func ("/database/legacy-import-once", test_legacy_import_once);
  oip_test_add_func ("/database/legacy-damaged-left-alone", test_legacy_damaged_left_alone);
  oip_test_add_func ("/database/legacy-fifo", test_legacy_fifo);
  oip_test_add_func ("/database/corrupt-moved-aside", test_corrupt_moved_aside);
  oip_test_add_func ("/database/damage-found-on-open", test_damage_found_on_open);
  oip_test_add_func ("/database/damage-found-by-statement", test_damage_found_by_statement);
  oip_test_add_func ("/database/newer-version-untouched", test_newer_version_untouched);
  oip_test_add_func ("/database/not-a-file", test_not_a_file);
  oip_test_add_func ("/database/symlink-followed", test_symlink_followed);
  oip_test_add_func ("/database/locked-at-open", test_locked_at_open);
  oip_test_add_func ("/database/run", test_run);
  oip_test_add_func ("/database/strings", test_strings);

  return g_test_run ();
}
