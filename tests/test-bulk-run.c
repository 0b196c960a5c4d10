/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "oip-bulk-run.h"
#include "oip-error.h"
#include "oip-test-util.h"

/* The bulk push engine against the fake Ozon server in this process:
 * what is asked of Ozon (counted on the server), what the products end
 * with (read on the server), and what the history and the database say. */

#define FIRST_ID 500000000

typedef struct
{
  OipFakeOzon     *fake;
  OipDatabase     *db;
  OipProductStore *store;
  OipHistory      *history;
  OipContext      *context;
  guint            n_products;
} Fixture;

static char *
offer_id (guint i)
{
  return g_strdup_printf ("BULK-%04u", i);
}

static char *
old_url (guint i,
         guint j)
{
  return g_strdup_printf ("https://cdn.example.net/old/%u-%u.jpg", i, j);
}

static char *
new_url (guint i,
         guint j)
{
  return g_strdup_printf ("https://cdn.example.net/new/%u-%u.jpg", i, j);
}

/* @n products on the fake, each with two images of its own. */
static void
add_products (Fixture *fixture,
              guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *offer = offer_id (i);
      g_autofree char *a = old_url (i, 0);
      g_autofree char *b = old_url (i, 1);
      const char *images[] = { a, b, NULL };

      oip_fake_ozon_add_product (fixture->fake, FIRST_ID + i, offer, 900000000 + i, offer, images);
    }
  fixture->n_products = n;
}

static OipContext *
make_context (Fixture *fixture)
{
  OipPushSettings settings = { .timeout = 10, .max_retries = 2, .validate_urls = TRUE };
  OipContext *context = oip_context_new (NULL);

  oip_context_override_push_settings (context, &settings);
  oip_context_set_base_url (context, oip_fake_ozon_get_base_url (fixture->fake));
  oip_context_set_credentials (context, TEST_CLIENT_ID, TEST_API_KEY);
  oip_context_set_store (context, fixture->store);
  oip_context_set_history (context, fixture->history);
  oip_context_set_poll_interval (context, 10);
  oip_context_set_retry_delay (context, 10);
  oip_context_set_keyring_allowed (context, FALSE);
  return context;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->fake = oip_test_fake_new ();
  oip_fake_ozon_set_pending_polls (fixture->fake, 1);
  fixture->db = oip_test_database_open (NULL);
  fixture->store = oip_product_store_new (fixture->db);
  fixture->history = oip_history_new (fixture->db);
  fixture->context = make_context (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  oip_test_database_drain (fixture->db);
  oip_test_assert_finalize (fixture->context);
  oip_test_assert_finalize (fixture->history);
  oip_test_assert_finalize (fixture->store);
  oip_test_assert_finalize (fixture->db);
  oip_test_assert_finalize (fixture->fake);
}

static OipBulkEntry *
entry_new (OipProductKey  key,
           const char    *value,
           const char    *first_image,
           ...)
{
  OipBulkEntry *entry = g_new0 (OipBulkEntry, 1);
  va_list args;

  entry->key = key;
  entry->value = g_strdup (value);
  entry->images = g_ptr_array_new_with_free_func (g_free);
  entry->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_bulk_problem_free);
  entry->where = g_strdup (value);
  va_start (args, first_image);
  for (const char *url = first_image; url != NULL; url = va_arg (args, const char *))
    g_ptr_array_add (entry->images, g_strdup (url));
  va_end (args);
  return entry;
}

static OipBulkInput *
input_new (void)
{
  OipBulkInput *input = g_new0 (OipBulkInput, 1);

  input->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_bulk_entry_free);
  input->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_bulk_problem_free);
  return input;
}

/* Products @from to @to - 1, each to get three new images. */
static void
add_entries (OipBulkInput *input,
             guint         from,
             guint         to)
{
  for (guint i = from; i < to; i++)
    {
      g_autofree char *offer = offer_id (i);
      g_autofree char *a = new_url (i, 0);
      g_autofree char *b = new_url (i, 1);
      g_autofree char *c = new_url (i, 2);

      g_ptr_array_add (input->entries, entry_new (OIP_PRODUCT_KEY_OFFER_ID, offer, a, b, c, NULL));
    }
}

static gboolean
plan (OipBulkRun  *run,
      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  oip_bulk_run_plan_async (run, NULL, oip_test_on_ready, &result);
  return oip_bulk_run_plan_finish (run, oip_test_wait (&result), error);
}

static gboolean
send (OipBulkRun    *run,
      GCancellable  *cancellable,
      GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  oip_bulk_run_send_async (run, cancellable, oip_test_on_ready, &result);
  return oip_bulk_run_send_finish (run, oip_test_wait (&result), error);
}

static OipBulkRun *
planned_run (Fixture      *fixture,
             OipBulkInput *input)
{
  g_autoptr(OipBulkRun) run = oip_bulk_run_new (fixture->context, input, "test");
  g_autoptr(GError) error = NULL;

  g_assert_true (plan (run, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&run);
}

static OipBulkItem *
item_at (OipBulkRun *run,
         guint       i)
{
  g_autoptr(OipBulkItem) item = g_list_model_get_item (oip_bulk_run_get_items (run), i);

  return item;
}

static void
assert_new_images (Fixture *fixture,
                   guint    i)
{
  const char * const *images = oip_fake_ozon_get_product_images (fixture->fake, FIRST_ID + i);

  g_assert_nonnull (images);
  g_assert_cmpuint (g_strv_length ((char **) images), ==, 3);
  for (guint j = 0; j < 3; j++)
    {
      g_autofree char *url = new_url (i, j);

      g_assert_cmpstr (images[j], ==, url);
    }
}

/* A small run the whole way: looked up, sent, followed, read back,
 * recorded. */
static void
test_push_small (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(OipBulkInput) input = input_new ();
  g_autoptr(OipBulkRun) run = NULL;
  g_autoptr(GError) error = NULL;

  add_products (fixture, 5);
  add_entries (input, 0, 5);
  run = planned_run (fixture, input);
  g_assert_cmpuint (oip_bulk_run_get_count (run, OIP_BULK_ITEM_PLANNED), ==, 5);
  g_assert_true (oip_bulk_run_confirm (run, &error));
  g_assert_no_error (error);
  g_assert_true (send (run, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (oip_bulk_run_get_count (run, OIP_BULK_ITEM_IMPORTED), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *offer = offer_id (i);

      assert_new_images (fixture, i);
      g_assert_cmpuint (oip_fake_ozon_count_imports (fixture->fake, offer), ==, 1);
      g_assert_cmpint (oip_bulk_item_get_history_id (item_at (run, i)), >, 0);
    }
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/bulk-run/push-small", Fixture, NULL, fixture_set_up, test_push_small, fixture_tear_down);
  return g_test_run ();
}
