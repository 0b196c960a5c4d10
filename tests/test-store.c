/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>

#include "oip-error.h"
#include "oip-test-util.h"

/* The product store on the database: lookups by every key, upserts, the
 * recent list, and what real processes writing at once do to it. */

static OipProduct *
sample (gint64      product_id,
        const char *offer_id)
{
  const char *images[] = { "https://cdn.example.net/1.jpg", "https://cdn.example.net/2.jpg", NULL };
  OipProduct *product = oip_product_new (product_id, offer_id);

  oip_product_set_name (product, "Кружка 350 мл 马克杯");
  oip_product_set_sku (product, product_id + 5);
  oip_product_set_images (product, images);
  oip_product_set_color_image (product, "https://cdn.example.net/c.jpg");
  return product;
}

static OipProduct *
lookup (OipProductStore  *store,
        OipProductKey     key,
        const char       *value,
        GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  oip_product_store_lookup_async (store, key, value, NULL, oip_test_on_ready, &result);
  return oip_product_store_lookup_finish (store, oip_test_wait (&result), error);
}

/* A store on its own connection, as another process would have. */
static OipProductStore *
open_store (void)
{
  g_autoptr(OipDatabase) db = oip_test_database_open (NULL);

  return oip_product_store_new (db);
}

static void
close_store (OipProductStore *store)
{
  OipDatabase *db = g_object_ref (oip_product_store_get_database (store));

  oip_test_database_drain (db);
  oip_test_assert_finalize (store);
  oip_test_assert_finalize (db);
}

/* The recent list is filled asynchronously: wait until it has @n items
 * and the last refresh was delivered. */
static GListModel *
recent (OipProductStore *store,
        guint            n)
{
  GListModel *model = oip_product_store_get_recent (store);

  oip_test_database_drain (oip_product_store_get_database (store));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  return model;
}

static gint64
count_rows (OipDatabase *db)
{
  g_autofree char *path = g_file_get_path (oip_database_get_file (db));
  sqlite3 *raw = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_open_v2 (path, &raw, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (raw, "SELECT count(*) FROM products", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (raw);
  return count;
}

static void
test_round_trip (void)
{
  g_autoptr(OipProductStore) store = open_store ();
  g_autoptr(OipProductStore) other = NULL;
  /* Above 2^53: a double would turn it into ...992. */
  g_autoptr(OipProduct) big = sample (G_GINT64_CONSTANT (9007199254740993), "BIG-1");
  g_autoptr(OipProduct) small = sample (1, "SMALL-1");
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 11, 3, 10, 20, 30.123456);
  g_autoptr(OipProduct) loaded = NULL;
  g_autoptr(GError) error = NULL;

  oip_product_set_sku (big, G_GINT64_CONSTANT (9007199254740995));
  oip_product_set_downloaded_at (big, when);
  oip_test_store_put (store, big);
  oip_test_store_put (store, small);

  /* Another connection, as another process would see it. */
  other = open_store ();

  loaded = lookup (other, OIP_PRODUCT_KEY_PRODUCT_ID, "9007199254740993", &error);
  g_assert_no_error (error);
  g_assert_cmpint (oip_product_get_product_id (loaded), ==, G_GINT64_CONSTANT (9007199254740993));
  g_assert_cmpint (oip_product_get_sku (loaded), ==, G_GINT64_CONSTANT (9007199254740995));
  g_assert_cmpstr (oip_product_get_offer_id (loaded), ==, "BIG-1");
  g_assert_cmpstr (oip_product_get_name (loaded), ==, "Кружка 350 мл 马克杯");
  g_assert_cmpuint (g_strv_length ((char **) oip_product_get_images (loaded)), ==, 2);
  g_assert_cmpstr (oip_product_get_images (loaded)[1], ==, "https://cdn.example.net/2.jpg");
  g_assert_cmpstr (oip_product_get_color_image (loaded), ==, "https://cdn.example.net/c.jpg");
  g_assert_nonnull (oip_product_get_downloaded_at (loaded));
  g_assert_true (g_date_time_equal (oip_product_get_downloaded_at (loaded), when));
  g_clear_object (&loaded);

  loaded = lookup (other, OIP_PRODUCT_KEY_OFFER_ID, "SMALL-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (oip_product_get_product_id (loaded), ==, 1);
  g_clear_object (&loaded);

  loaded = lookup (other, OIP_PRODUCT_KEY_SKU, "9007199254740995", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (oip_product_get_offer_id (loaded), ==, "BIG-1");
  g_clear_object (&loaded);

  /* A product without a download time is stamped when stored. */
  loaded = lookup (other, OIP_PRODUCT_KEY_PRODUCT_ID, "1", &error);
  g_assert_nonnull (oip_product_get_downloaded_at (loaded));
  g_clear_object (&loaded);

  close_store (g_steal_pointer (&other));
  close_store (g_steal_pointer (&store));
}

static void
test_not_found (void)
{
  g_autoptr(OipProductStore) store = open_store ();
  g_autoptr(OipProduct) product = sample (5, "FIVE");
  const struct { OipProductKey key; const char *value; } cases[] = {
    { OIP_PRODUCT_KEY_PRODUCT_ID, "6" },
    { OIP_PRODUCT_KEY_OFFER_ID, "five" },
    { OIP_PRODUCT_KEY_SKU, "5" },
    { OIP_PRODUCT_KEY_PRODUCT_ID, "abc" },
    { OIP_PRODUCT_KEY_PRODUCT_ID, "-5" },
    { OIP_PRODUCT_KEY_SKU, "99999999999999999999" },
  };

  oip_test_store_put (store, product);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OipProduct) found = lookup (store, cases[i].key, cases[i].value, &error);

      g_assert_null (found);
      g_assert_error (error, OIP_ERROR, OIP_ERROR_PRODUCT_NOT_FOUND);
      g_assert_nonnull (strstr (error->message, cases[i].value));
    }
  close_store (g_steal_pointer (&store));
}

static void
test_put_replaces (void)
{
  g_autoptr(OipProductStore) store = open_store ();
  g_autoptr(OipProduct) first = sample (7, "SEVEN");
  g_autoptr(OipProduct) second = sample (7, "SEVEN-NEW");
  g_autoptr(OipProduct) loaded = NULL;
  g_autoptr(GError) error = NULL;
  const char *images[] = { "https://cdn.example.net/only.jpg", NULL };

  oip_test_store_put (store, first);
  oip_product_set_images (second, images);
  oip_product_set_color_image (second, NULL);
  oip_test_store_put (store, second);

  g_assert_cmpint (count_rows (oip_product_store_get_database (store)), ==, 1);
  loaded = lookup (store, OIP_PRODUCT_KEY_PRODUCT_ID, "7", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (oip_product_get_offer_id (loaded), ==, "SEVEN-NEW");
  g_assert_cmpuint (g_strv_length ((char **) oip_product_get_images (loaded)), ==, 1);
  g_assert_null (oip_product_get_color_image (loaded));
  g_clear_object (&loaded);
  /* The old offer_id leads nowhere now. */
  loaded = lookup (store, OIP_PRODUCT_KEY_OFFER_ID, "SEVEN", &error);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_PRODUCT_NOT_FOUND);
  close_store (g_steal_pointer (&store));
}

static gint64
product_id_at (GListModel *model,
               guint       position)
{
  g_autoptr(OipProduct) product = g_list_model_get_item (model, position);

  return oip_product_get_product_id (product);
}

static void
test_recent_order (void)
{
  g_autoptr(OipProductStore) store = open_store ();
  g_autoptr(OipProductStore) other = open_store ();
  g_autoptr(OipProduct) a = sample (1, "A");
  g_autoptr(OipProduct) b = sample (2, "B");
  g_autoptr(OipProduct) c = sample (3, "C");
  GListModel *model;

  /* Empty at first. */
  recent (store, 0);

  oip_test_store_put (store, a);
  oip_test_store_put (store, b);
  oip_test_store_put (store, c);
  model = recent (store, 3);
  g_assert_cmpint (product_id_at (model, 0), ==, 3);
  g_assert_cmpint (product_id_at (model, 1), ==, 2);
  g_assert_cmpint (product_id_at (model, 2), ==, 1);

  /* Used again: first again. */
  oip_test_store_put (store, a);
  model = recent (store, 3);
  g_assert_cmpint (product_id_at (model, 0), ==, 1);
  g_assert_cmpint (product_id_at (model, 1), ==, 3);
  g_assert_cmpint (product_id_at (model, 2), ==, 2);

  /* Another process's download shows after a refresh. */
  {
    g_autoptr(OipProduct) d = sample (4, "D");

    oip_test_store_put (other, d);
    oip_product_store_refresh_recent (store);
    model = recent (store, 4);
    g_assert_cmpint (product_id_at (model, 0), ==, 4);
  }

  /* Only the newest 50 are listed. */
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *offer = g_strdup_printf ("MANY-%u", i);
      g_autoptr(OipProduct) product = sample (100 + i, offer);

      oip_test_store_put (other, product);
    }
  oip_product_store_refresh_recent (store);
  model = recent (store, OIP_PRODUCT_STORE_RECENT_LIMIT);
  g_assert_cmpint (product_id_at (model, 0), ==, 159);
  g_assert_cmpint (product_id_at (model, 49), ==, 110);

  close_store (g_steal_pointer (&other));
  close_store (g_steal_pointer (&store));
}

/* One product id is one object in a process: what a window shows follows
 * what a push stores. */
static void
test_one_object_per_product (void)
{
  g_autoptr(OipProductStore) store = open_store ();
  g_autoptr(OipProduct) shown = sample (11, "ELEVEN");
  g_autoptr(OipProduct) looked_up = NULL;
  g_autoptr(OipProduct) listed = NULL;
  g_autoptr(OipProduct) fresh = sample (11, "ELEVEN");
  const char *images[] = { "https://cdn.example.net/after-push.jpg", NULL };
  GListModel *model;

  oip_test_store_put (store, shown);
  looked_up = oip_test_store_lookup (store, 11, NULL);
  g_assert_true (looked_up == shown);
  model = recent (store, 1);
  listed = g_list_model_get_item (model, 0);
  g_assert_true (listed == shown);

  /* A new download of the same product updates the one shown. */
  oip_product_set_images (fresh, images);
  oip_test_store_put (store, fresh);
  g_assert_cmpstr (oip_product_get_images (shown)[0], ==, "https://cdn.example.net/after-push.jpg");
  g_assert_cmpuint (g_strv_length ((char **) oip_product_get_images (shown)), ==, 1);
  close_store (g_steal_pointer (&store));
}

/* A name from the network with invalid UTF-8 (json-glib lets `\252` and
 * lone surrogates through) is stored repaired and reads back valid. */
static void
test_invalid_utf8_stored_valid (void)
{
  g_autoptr(OipProductStore) store = open_store ();
  g_autoptr(OipProduct) product = oip_product_new (21, "BAD-\xff");
  const char *images[] = { "https://cdn.example.net/\xed\xa0\xbd.jpg", NULL };
  g_autoptr(OipProduct) loaded = NULL;
  g_autoptr(OipProduct) again = NULL;

  oip_product_set_name (product, "Mug \xaa\xed\xa0\xbdx end");
  oip_product_set_images (product, images);
  oip_test_store_put (store, product);

  /* Read by a fresh store: no object is shared. */
  g_clear_object (&product);
  close_store (g_steal_pointer (&store));
  store = open_store ();
  loaded = oip_test_store_lookup (store, 21, NULL);
  g_assert_nonnull (loaded);
  g_assert_true (g_utf8_validate (oip_product_get_name (loaded), -1, NULL));
  g_assert_true (g_str_has_prefix (oip_product_get_name (loaded), "Mug "));
  g_assert_true (g_str_has_suffix (oip_product_get_name (loaded), "x end"));
  g_assert_true (g_utf8_validate (oip_product_get_offer_id (loaded), -1, NULL));
  g_assert_true (g_utf8_validate (oip_product_get_images (loaded)[0], -1, NULL));

  /* And the store keeps working for it and for others. */
  oip_test_store_put (store, loaded);
  again = oip_test_store_lookup (store, 21, NULL);
  g_assert_nonnull (again);
  close_store (g_steal_pointer (&store));
}

static gpointer
limit_pages (sqlite3   *db,
             gpointer   data,
             GError   **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 pages;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA page_count", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  pages = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  {
    g_autofree char *sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages + 2);

    g_assert_true (oip_database_exec (db, sql, NULL));
  }
  return OIP_DATABASE_DONE;
}

/* A full disk (SQLite's page limit stands in for it) is reported as a
 * full disk, with its own hint, and leaves what was stored intact. */
static void
test_disk_full (void)
{
  g_autoptr(OipProductStore) store = open_store ();
  g_autoptr(OipProduct) first = sample (31, "FIRST");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipProduct) loaded = NULL;
  g_autoptr(GString) name = g_string_new (NULL);
  OipDatabase *db;
  guint i;

  oip_test_store_put (store, first);
  db = oip_product_store_get_database (store);
  oip_database_run_async (db, limit_pages, NULL, NULL, NULL, oip_test_on_ready, &result);
  g_assert_true (oip_database_run_finish (db, oip_test_wait (&result), NULL) == OIP_DATABASE_DONE);

  for (i = 0; i < 20000; i++)
    g_string_append (name, "0123456789");
  for (i = 0; i < 10 && error == NULL; i++)
    {
      g_autoptr(OipProduct) big = sample (100 + i, "BIG");

      oip_product_set_name (big, name->str);
      g_clear_object (&result);
      oip_product_store_put_async (store, big, NULL, oip_test_on_ready, &result);
      oip_product_store_put_finish (store, oip_test_wait (&result), &error);
    }
  g_assert_error (error, OIP_ERROR, OIP_ERROR_DISK_FULL);
  g_assert_cmpstr (oip_error_code_name (error->code), ==, "disk_full");
  g_assert_cmpstr (oip_error_hint (OIP_ERROR_DISK_FULL), !=, oip_error_hint (OIP_ERROR_IO));

  loaded = oip_test_store_lookup (store, 31, NULL);
  g_assert_nonnull (loaded);
  g_clear_object (&result);
  close_store (g_steal_pointer (&store));
}

/* Another process holding the write lock longer than the busy timeout:
 * a clear error soon, not a hang; then it works again. */
static void
test_busy (void)
{
  g_autoptr(OipDatabase) db = oip_database_new (NULL);
  g_autoptr(OipProductStore) store = NULL;
  g_autoptr(OipProduct) product = sample (41, "BUSY");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  sqlite3 *holder = NULL;
  gint64 started;

  oip_database_set_busy_timeout (db, 300);
  oip_database_open_async (db, NULL, oip_test_on_ready, &result);
  g_assert_true (oip_database_open_finish (db, oip_test_wait (&result), NULL));
  g_clear_object (&result);
  store = oip_product_store_new (db);
  g_clear_object (&db);

  path = g_file_get_path (oip_database_get_file (oip_product_store_get_database (store)));
  g_assert_cmpint (sqlite3_open (path, &holder), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (holder, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  started = g_get_monotonic_time ();
  oip_product_store_put_async (store, product, NULL, oip_test_on_ready, &result);
  g_assert_false (oip_product_store_put_finish (store, oip_test_wait (&result), &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_DATABASE_BUSY);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 250 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
  g_assert_nonnull (strstr (oip_error_hint (error->code), "ozon-push"));

  g_assert_cmpint (sqlite3_exec (holder, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (holder);
  oip_test_store_put (store, product);
  g_clear_object (&result);
  close_store (g_steal_pointer (&store));
}

#define PARALLEL 20

static void
add_parallel_products (OipFakeOzon *fake,
                       guint        n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *offer = g_strdup_printf ("PAR-%02u", i);
      g_autofree char *image = g_strdup_printf ("https://cdn.example.net/par-%u.jpg", i);
      const char *images[] = { image, NULL };

      oip_fake_ozon_add_product (fake, 300000000 + i, offer, 400000000 + i, offer, images);
    }
}

/* Issue 9: 20 `ozon-push product` at once all exit 0, and all 20 are in
 * the store (a read-modify-write of one file lost 18 of them). */
static void
test_parallel_cli (void)
{
  g_autoptr(OipFakeOzon) fake = oip_test_fake_new ();
  GSubprocess *processes[PARALLEL];
  g_autoptr(OipProductStore) store = NULL;

  add_parallel_products (fake, PARALLEL);
  for (guint i = 0; i < PARALLEL; i++)
    {
      g_autofree char *offer = g_strdup_printf ("PAR-%02u", i);
      const char *args[] = { "product", "--offer-id", offer, NULL };

      processes[i] = oip_test_spawn_cli (fake, args);
    }
  for (guint i = 0; i < PARALLEL; i++)
    {
      g_assert_cmpint (oip_test_wait_cli (processes[i], NULL, NULL), ==, 0);
      g_object_unref (processes[i]);
    }

  store = open_store ();
  g_assert_cmpint (count_rows (oip_product_store_get_database (store)), ==, PARALLEL);
  for (guint i = 0; i < PARALLEL; i++)
    {
      g_autoptr(OipProduct) product = oip_test_store_lookup (store, 300000000 + i, NULL);

      g_assert_nonnull (product);
    }
  close_store (g_steal_pointer (&store));
  oip_test_assert_finalize (g_steal_pointer (&fake));
}

/* The window's store writer (this process) and commands at once. */
static void
test_parallel_app_and_cli (void)
{
  g_autoptr(OipFakeOzon) fake = oip_test_fake_new ();
  g_autoptr(OipProductStore) store = open_store ();
  GSubprocess *processes[PARALLEL / 2];
  GAsyncResult *puts[PARALLEL] = { NULL };

  add_parallel_products (fake, PARALLEL / 2);
  for (guint i = 0; i < G_N_ELEMENTS (processes); i++)
    {
      g_autofree char *offer = g_strdup_printf ("PAR-%02u", i);
      const char *args[] = { "product", "--offer-id", offer, NULL };

      processes[i] = oip_test_spawn_cli (fake, args);
    }
  for (guint i = 0; i < G_N_ELEMENTS (puts); i++)
    {
      g_autofree char *offer = g_strdup_printf ("APP-%02u", i);
      g_autoptr(OipProduct) product = sample (500000000 + i, offer);

      oip_product_store_put_async (store, product, NULL, oip_test_on_ready, &puts[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (puts); i++)
    {
      g_assert_true (oip_product_store_put_finish (store, oip_test_wait (&puts[i]), NULL));
      g_object_unref (puts[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (processes); i++)
    {
      g_assert_cmpint (oip_test_wait_cli (processes[i], NULL, NULL), ==, 0);
      g_object_unref (processes[i]);
    }

  g_assert_cmpint (count_rows (oip_product_store_get_database (store)), ==, PARALLEL + PARALLEL / 2);
  oip_product_store_refresh_recent (store);
  recent (store, PARALLEL + PARALLEL / 2);
  close_store (g_steal_pointer (&store));
  oip_test_assert_finalize (g_steal_pointer (&fake));
}

/* Run as a separate process by test_kill_during_writes: stores products
 * 1, 2, 3… one transaction each, until it is killed. */
static int
writer_main (void)
{
  g_autoptr(OipProductStore) store = open_store ();
  g_autoptr(GString) name = g_string_new (NULL);

  for (guint i = 0; i < 500; i++)
    g_string_append (name, "name ");
  for (gint64 id = 1; ; id++)
    {
      g_autofree char *offer = g_strdup_printf ("W-%" G_GINT64_FORMAT, id);
      g_autoptr(OipProduct) product = sample (id, offer);

      oip_product_set_name (product, name->str);
      oip_test_store_put (store, product);
      if (id == 1)
        {
          g_print ("ready\n");
          fflush (stdout);
        }
    }
  return 0;
}

static gpointer
integrity_check (sqlite3   *db,
                 gpointer   data,
                 GError   **error)
{
  sqlite3_stmt *stmt = NULL;
  char *answer;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  answer = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return answer;
}

/* kill -9 in the middle of writes: the database is intact (not moved
 * aside on the next open), every committed product is there, and nothing
 * is left behind but SQLite's own -wal and -shm. */
static void
test_kill_during_writes (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "ozon-image-push", NULL);
  g_autoptr(OipDatabase) db = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;
  gint64 before = 0;

  for (guint round = 0; round < 4; round++)
    {
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_autoptr(GSubprocess) writer = NULL;
      g_autoptr(GDataInputStream) out = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *line = NULL;
      g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);

      g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
      g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
      writer = g_subprocess_launcher_spawn (launcher, &error, self_path, "--writer", NULL);
      g_assert_no_error (error);
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (writer));
      line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
      g_assert_cmpstr (line, ==, "ready");
      g_usleep (g_random_int_range (50, 300) * 1000);
      g_subprocess_force_exit (writer);
      g_subprocess_wait (writer, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (writer));
      g_assert_cmpint (g_subprocess_get_term_sig (writer), ==, SIGKILL);
    }

  /* Opened with the full check: nothing is found damaged. */
  db = oip_test_database_open (NULL);
  g_assert_null (oip_database_get_notice (db));
  oip_database_run_async (db, integrity_check, NULL, g_free, NULL, oip_test_on_ready, &result);
  answer = oip_database_run_finish (db, oip_test_wait (&result), NULL);
  g_assert_cmpstr (answer, ==, "ok");
  before = count_rows (db);
  g_test_message ("%" G_GINT64_FORMAT " products written before the kills", before);
  g_assert_cmpint (before, >, 0);

  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    g_assert_true (g_str_equal (name, "ozon-image-push.db") || g_str_equal (name, "ozon-image-push.db-wal") ||
                   g_str_equal (name, "ozon-image-push.db-shm"));
  g_clear_object (&result);
  oip_test_assert_finalize (g_steal_pointer (&db));
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 2 && g_str_equal (argv[1], "--writer"))
    return writer_main ();

  oip_test_init (&argc, &argv);

  oip_test_add_func ("/store/round-trip", test_round_trip);
  oip_test_add_func ("/store/not-found", test_not_found);
  oip_test_add_func ("/store/put-replaces", test_put_replaces);
  oip_test_add_func ("/store/recent-order", test_recent_order);
  oip_test_add_func ("/store/one-object-per-product", test_one_object_per_product);
  oip_test_add_func ("/store/invalid-utf8-stored-valid", test_invalid_utf8_stored_valid);
  oip_test_add_func ("/store/disk-full", test_disk_full);
  oip_test_add_func ("/store/busy", test_busy);
  oip_test_add_func ("/store/parallel-cli", test_parallel_cli);
  oip_test_add_func ("/store/parallel-app-and-cli", test_parallel_app_and_cli);
  oip_test_add_func ("/store/kill-during-writes", test_kill_during_writes);

  return g_test_run ();
}
