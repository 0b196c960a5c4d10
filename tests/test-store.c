/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "oip-error.h"
#include "oip-test-util.h"

static GFile *
store_file (void)
{
  return g_file_new_build_filename (g_get_user_data_dir (), "ozon-image-push", "products.json", NULL);
}

static gboolean
load (OipProductStore  *store,
      GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  oip_product_store_load_async (store, NULL, oip_test_on_ready, &result);
  return oip_product_store_load_finish (store, oip_test_wait (&result), error);
}

static gboolean
save (OipProductStore  *store,
      GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  oip_product_store_save_async (store, NULL, oip_test_on_ready, &result);
  return oip_product_store_save_finish (store, oip_test_wait (&result), error);
}

static OipProduct *
sample (gint64      product_id,
        const char *offer_id)
{
  const char *images[] = { "https://cdn.example.net/1.jpg", "https://cdn.example.net/2.jpg", NULL };
  OipProduct *product = oip_product_new (product_id, offer_id);

  oip_product_set_name (product, "Кружка 350 мл 马克杯");
  oip_product_set_images (product, images);
  oip_product_set_color_image (product, "https://cdn.example.net/c.jpg");
  return product;
}

static void
test_missing_file_is_empty (void)
{
  g_autoptr(OipProductStore) store = oip_product_store_new (NULL);
  g_autoptr(GFile) file = store_file ();
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_equal (oip_product_store_get_file (store), file));
  g_assert_true (load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (oip_product_store_get_products (store)), ==, 0);
}

static void
test_round_trip (void)
{
  g_autoptr(OipProductStore) store = oip_product_store_new (NULL);
  g_autoptr(OipProductStore) again = oip_product_store_new (NULL);
  g_autoptr(OipProduct) first = sample (G_GINT64_CONSTANT (9007199254740993), "BIG-1");
  g_autoptr(OipProduct) second = sample (214365879, "ART-1001");
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 11, 24, 10, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = store_file ();
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GDir) listing = NULL;
  OipProduct *loaded;
  GStatBuf st;

  oip_product_set_sku (first, G_GINT64_CONSTANT (9007199254740995));
  oip_product_set_downloaded_at (second, when);
  g_assert_true (load (store, NULL));
  oip_product_store_put (store, first);
  oip_product_store_put (store, second);
  g_assert_true (save (store, &error));
  g_assert_no_error (error);

  /* Private to the user, and no temporary file left behind. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  listing = g_dir_open (dir, 0, NULL);
  g_assert_cmpstr (g_dir_read_name (listing), ==, "products.json");
  g_assert_null (g_dir_read_name (listing));

  g_assert_true (load (again, &error));
  g_assert_cmpuint (g_list_model_get_n_items (oip_product_store_get_products (again)), ==, 2);
  /* Most recent first. */
  loaded = g_list_model_get_item (oip_product_store_get_products (again), 0);
  g_assert_cmpstr (oip_product_get_offer_id (loaded), ==, "ART-1001");
  g_assert_true (g_date_time_equal (oip_product_get_downloaded_at (loaded), when));
  g_object_unref (loaded);

  loaded = oip_product_store_lookup (again, G_GINT64_CONSTANT (9007199254740993));
  g_assert_nonnull (loaded);
  g_assert_cmpint (oip_product_get_sku (loaded), ==, G_GINT64_CONSTANT (9007199254740995));
  g_assert_cmpstr (oip_product_get_name (loaded), ==, "Кружка 350 мл 马克杯");
  g_assert_cmpstr (oip_product_get_images (loaded)[1], ==, "https://cdn.example.net/2.jpg");
  g_assert_cmpstr (oip_product_get_color_image (loaded), ==, "https://cdn.example.net/c.jpg");
  g_assert_null (oip_product_store_lookup (again, 1));
}

static void
test_put_replaces_and_moves_first (void)
{
  g_autoptr(OipProductStore) store = oip_product_store_new (NULL);
  g_autoptr(OipProduct) a = sample (1, "A");
  g_autoptr(OipProduct) b = sample (2, "B");
  g_autoptr(OipProduct) a2 = sample (1, "A");
  g_autoptr(OipProduct) first = NULL;
  GListModel *products = oip_product_store_get_products (store);

  oip_product_store_put (store, a);
  oip_product_store_put (store, b);
  oip_product_set_name (a2, "renamed");
  oip_product_store_put (store, a2);
  g_assert_cmpuint (g_list_model_get_n_items (products), ==, 2);
  first = g_list_model_get_item (products, 0);
  g_assert_true (first == a2);

  /* Putting the stored object itself must not lose it. */
  oip_product_store_put (store, b);
  g_assert_cmpuint (g_list_model_get_n_items (products), ==, 2);
  g_assert_true (oip_product_store_lookup (store, 2) == b);
}

static void
write_store (const char *contents)
{
  g_autoptr(GFile) file = store_file ();
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

static void
test_corrupt_is_kept (void)
{
  const char *cases[] = {
    "{\"version\":1,\"products\":[{\"product_id\":1,\"offer_id\":\"A\"}",   /* cut off */
    "[]",
    "{\"version\":1}",
    "{\"version\":1,\"products\":[{\"offer_id\":\"no id\"}]}",
    "{\"version\":99,\"products\":[]}",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(OipProductStore) store = oip_product_store_new (NULL);
      g_autoptr(OipProduct) product = sample (7, "NEW");
      g_autoptr(GError) error = NULL;
      g_autoptr(GFile) file = store_file ();
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *after = NULL;

      g_test_message ("case %u", i);
      write_store (cases[i]);
      g_assert_false (load (store, &error));
      g_assert_error (error, OIP_ERROR, OIP_ERROR_STORE_CORRUPT);
      /* The message names the file, so the seller can find it. */
      g_assert_nonnull (strstr (error->message, path));
      g_clear_error (&error);

      /* Saving over it is refused: the seller's list is never wiped. */
      oip_product_store_put (store, product);
      g_assert_false (save (store, &error));
      g_assert_error (error, OIP_ERROR, OIP_ERROR_STORE_CORRUPT);
      g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
      g_assert_cmpstr (after, ==, cases[i]);
    }
}

static void
test_latest_save_wins (void)
{
  g_autoptr(OipProductStore) store = oip_product_store_new (NULL);
  g_autoptr(OipProductStore) again = oip_product_store_new (NULL);
  GAsyncResult *results[10] = { NULL };

  /* Ten saves in flight at once, each with one more product. */
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autofree char *offer = g_strdup_printf ("P-%u", i);
      g_autoptr(OipProduct) product = sample (100 + i, offer);

      oip_product_store_put (store, product);
      oip_product_store_save_async (store, NULL, oip_test_on_ready, &results[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_assert_true (oip_product_store_save_finish (store, oip_test_wait (&results[i]), NULL));
      g_object_unref (results[i]);
    }

  g_assert_true (load (again, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (oip_product_store_get_products (again)), ==, 10);
}

int
main (int   argc,
      char *argv[])
{
  oip_test_init (&argc, &argv);

  oip_test_add_func ("/store/missing-file-is-empty", test_missing_file_is_empty);
  oip_test_add_func ("/store/round-trip", test_round_trip);
  oip_test_add_func ("/store/put-replaces", test_put_replaces_and_moves_first);
  oip_test_add_func ("/store/corrupt-is-kept", test_corrupt_is_kept);
  oip_test_add_func ("/store/latest-save-wins", test_latest_save_wins);

  return g_test_run ();
}
