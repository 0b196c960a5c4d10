/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
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
  oip_test_empty_dirs ();
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


static OipBulkRun *
load_run (Fixture *fixture,
          gint64   id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  OipBulkRun *run;

  oip_bulk_run_load_async (fixture->context, id, NULL, oip_test_on_ready, &result);
  run = oip_bulk_run_load_finish (oip_test_wait (&result), &error);
  g_assert_no_error (error);
  return run;
}

static guint
count_import_items (Fixture *fixture,
                    guint   *max_items)
{
  GPtrArray *requests = oip_fake_ozon_get_requests (fixture->fake);
  guint calls = 0;

  *max_items = 0;
  for (guint i = 0; i < requests->len; i++)
    {
      OipFakeRequest *request = g_ptr_array_index (requests, i);
      JsonArray *items;

      if (!g_str_equal (request->path, "/v2/product/pictures/import") || request->body == NULL)
        continue;
      items = json_object_get_array_member (json_node_get_object (request->body), "items");
      *max_items = MAX (*max_items, json_array_get_length (items));
      calls++;
    }
  return calls;
}

/* The review, nothing sent: found or not, images now → after, what is
 * removed, invalid addresses, the 30-image limit, nothing to change. */
static void
test_plan (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(OipBulkInput) input = input_new ();
  g_autoptr(OipBulkRun) run = NULL;
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *keep = old_url (2, 0);
  g_autofree char *fresh = new_url (2, 0);
  g_autofree char *a3 = old_url (3, 0);
  g_autofree char *b3 = old_url (3, 1);
  g_autofree char *sku = g_strdup_printf ("%u", 900000000 + 0);
  OipBulkEntry *entry;

  add_products (fixture, 5);
  add_entries (input, 0, 1);
  g_ptr_array_add (input->entries, entry_new (OIP_PRODUCT_KEY_OFFER_ID, "NO-SUCH-OFFER",
                                              "https://cdn.example.net/x.jpg", NULL));
  g_ptr_array_add (input->entries, entry_new (OIP_PRODUCT_KEY_OFFER_ID, "BULK-0002", keep, fresh, NULL));
  g_ptr_array_add (input->entries, entry_new (OIP_PRODUCT_KEY_OFFER_ID, "BULK-0003", a3, b3, NULL));
  g_ptr_array_add (input->entries, entry_new (OIP_PRODUCT_KEY_OFFER_ID, "BULK-0004",
                                              "https://cdn.example.net/ok.jpg", "ftp://nope", NULL));
  entry = entry_new (OIP_PRODUCT_KEY_OFFER_ID, "BULK-0001", NULL);
  for (guint i = 0; i < 33; i++)
    g_ptr_array_add (entry->images, g_strdup_printf ("https://cdn.example.net/many/%u.jpg", i));
  g_ptr_array_add (input->entries, entry);
  g_ptr_array_add (input->entries, entry_new (OIP_PRODUCT_KEY_SKU, sku, fresh, NULL));

  run = planned_run (fixture, input);
  g_assert_cmpint (oip_bulk_run_get_stage (run), ==, OIP_BULK_STAGE_REVIEW);
  g_assert_cmpint (oip_bulk_item_get_state (item_at (run, 0)), ==, OIP_BULK_ITEM_PLANNED);
  g_assert_cmpuint (oip_bulk_item_get_n_before (item_at (run, 0)), ==, 2);
  g_assert_cmpuint (oip_bulk_item_get_n_after (item_at (run, 0)), ==, 3);
  g_assert_cmpuint (oip_bulk_item_get_n_removed (item_at (run, 0)), ==, 2);
  g_assert_cmpint (oip_bulk_item_get_product_id (item_at (run, 0)), ==, FIRST_ID);
  g_assert_cmpint (oip_bulk_item_get_state (item_at (run, 1)), ==, OIP_BULK_ITEM_NOT_FOUND);
  g_assert_nonnull (strstr (oip_bulk_item_get_error (item_at (run, 1)), "NO-SUCH-OFFER"));
  /* What the push removes: the image it no longer lists. */
  g_assert_cmpuint (oip_bulk_item_get_n_removed (item_at (run, 2)), ==, 1);
  g_assert_cmpstr (oip_bulk_item_get_images_removed (item_at (run, 2))[0], ==, "https://cdn.example.net/old/2-1.jpg");
  g_assert_cmpint (oip_bulk_item_get_state (item_at (run, 3)), ==, OIP_BULK_ITEM_SKIPPED);
  g_assert_cmpint (oip_bulk_item_get_state (item_at (run, 4)), ==, OIP_BULK_ITEM_INVALID);
  g_assert_nonnull (strstr (oip_bulk_item_get_problems (item_at (run, 4))[0], "ftp://nope"));
  /* 33 images: the first 30 go, and the review says so. */
  g_assert_cmpint (oip_bulk_item_get_state (item_at (run, 5)), ==, OIP_BULK_ITEM_PLANNED);
  g_assert_cmpuint (oip_bulk_item_get_n_after (item_at (run, 5)), ==, 30);
  g_assert_nonnull (oip_bulk_item_get_problems (item_at (run, 5))[0]);
  /* The same product by its SKU: one push per product per run. */
  g_assert_cmpint (oip_bulk_item_get_state (item_at (run, 6)), ==, OIP_BULK_ITEM_INVALID);
  g_assert_cmpuint (oip_bulk_run_get_n_to_send (run), ==, 3);
  g_assert_cmpint (oip_bulk_run_get_daily_left (run), ==, 5000);
  /* Nothing was sent: one lookup per kind of identifier, the quota. */
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==, 0);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v3/product/info/list"), ==, 2);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v4/product/info/limit"), ==, 1);
}

/* More products than the day allows: refused before anything is sent or
 * recorded. */
static void
test_quota_refused (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(OipBulkInput) input = input_new ();
  g_autoptr(OipBulkRun) run = NULL;
  g_autoptr(GError) error = NULL;

  add_products (fixture, 20);
  add_entries (input, 0, 20);
  oip_fake_ozon_set_limits (fixture->fake, 0, 0, 25);
  oip_fake_ozon_set_daily_usage (fixture->fake, 10);
  run = planned_run (fixture, input);
  g_assert_cmpint (oip_bulk_run_get_daily_left (run), ==, 15);
  g_assert_false (oip_bulk_run_confirm (run, &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_DAILY_LIMIT);
  g_assert_nonnull (strstr (error->message, "15"));
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==, 0);
  g_assert_cmpint (oip_bulk_run_get_id (run), ==, 0);
}

/* 250 products: three imports of at most 100, one lookup of 250 ids;
 * 1200 identifiers are asked 1000 at a time. */
static void
test_batches (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(OipBulkInput) input = input_new ();
  g_autoptr(OipBulkInput) big = input_new ();
  g_autoptr(OipBulkRun) run = NULL;
  g_autoptr(OipBulkRun) lookup = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *requests;
  guint max_items = 0;
  guint lookups = 0;

  add_products (fixture, 250);
  add_entries (input, 0, 250);
  run = planned_run (fixture, input);
  g_assert_true (oip_bulk_run_confirm (run, &error));
  g_assert_true (send (run, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (oip_bulk_run_get_count (run, OIP_BULK_ITEM_IMPORTED), ==, 250);
  g_assert_cmpuint (count_import_items (fixture, &max_items), ==, 3);
  g_assert_cmpuint (max_items, ==, 100);
  for (guint i = 0; i < 250; i++)
    {
      g_autofree char *offer = offer_id (i);

      g_assert_cmpuint (oip_fake_ozon_count_imports (fixture->fake, offer), ==, 1);
      assert_new_images (fixture, i);
    }

  add_entries (big, 0, 1200);
  lookup = planned_run (fixture, big);
  g_assert_cmpuint (oip_bulk_run_get_count (lookup, OIP_BULK_ITEM_NOT_FOUND), ==, 950);
  requests = oip_fake_ozon_get_requests (fixture->fake);
  for (guint i = 0; i < requests->len; i++)
    {
      OipFakeRequest *request = g_ptr_array_index (requests, i);
      JsonObject *body = request->body ? json_node_get_object (request->body) : NULL;

      if (!g_str_equal (request->path, "/v3/product/info/list") ||
          !json_object_has_member (body, "offer_id"))
        continue;
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "offer_id")), <=, 1000);
      lookups++;
    }
  /* The first run's lookup, then 1000 + 200. */
  g_assert_cmpuint (lookups, ==, 3);
}

/* Ozon's per-minute item limit, told by /v4/product/info/limit: paced so
 * that no import is refused, and it takes the minutes it must. */
static void
test_per_minute_paced (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(OipBulkInput) input = input_new ();
  g_autoptr(OipBulkRun) run = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  add_products (fixture, 250);
  add_entries (input, 0, 250);
  oip_fake_ozon_set_minute_ms (fixture->fake, 1000);
  oip_fake_ozon_set_limits (fixture->fake, 0, 100, 0);
  run = oip_bulk_run_new (fixture->context, input, "test");
  oip_bulk_run_set_minute_ms (run, 1000);
  g_assert_true (plan (run, &error));
  g_assert_cmpint (oip_bulk_run_get_per_minute (run), ==, 100);
  g_assert_true (oip_bulk_run_confirm (run, &error));
  start = g_get_monotonic_time ();
  g_assert_true (send (run, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (oip_bulk_run_get_count (run, OIP_BULK_ITEM_IMPORTED), ==, 250);
  g_assert_cmpuint (oip_fake_ozon_count_limited (fixture->fake, "minute"), ==, 0);
  /* 100 + 100 + 50: the third batch had to wait two minutes. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 2 * G_USEC_PER_SEC - 100000);
}

/* Without the limit in /v4, the run learns it from Ozon: a 429 with
 * Item-Retry-After (here the very first import's) is waited out, and
 * Item-Rate-Limit-Remaining sizes the next batches. Nothing fails, nothing
 * is sent twice. */
static void
test_per_minute_learned (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(OipBulkInput) input = input_new ();
  g_autoptr(OipBulkRun) run = NULL;
  g_autoptr(GError) error = NULL;
  const char *headers[] = { "Item-Retry-After: 1", "Item-Rate-Limit-Remaining: 0", NULL };
  gint64 start;

  add_products (fixture, 250);
  add_entries (input, 0, 250);
  oip_fake_ozon_set_minute_ms (fixture->fake, 1000);
  oip_fake_ozon_set_limits (fixture->fake, 0, 150, 0);
  oip_fake_ozon_set_minute_limit_reported (fixture->fake, FALSE);
  oip_fake_ozon_inject_answer (fixture->fake, "/v2/product/pictures/import", 429, headers,
                               "{\"code\":\"RESOURCE_EXHAUSTED\",\"message\":\"You have reached operation items "
                               "limits. Retry after 60 seconds. Remaining 0 items\"}", -1, 1);
  run = oip_bulk_run_new (fixture->context, input, "test");
  oip_bulk_run_set_minute_ms (run, 1000);
  g_assert_true (plan (run, &error));
  g_assert_cmpint (oip_bulk_run_get_per_minute (run), ==, -1);
  g_assert_true (oip_bulk_run_confirm (run, &error));
  start = g_get_monotonic_time ();
  g_assert_true (send (run, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC - 50000);
  g_assert_cmpuint (oip_bulk_run_get_count (run, OIP_BULK_ITEM_IMPORTED), ==, 250);
  for (guint i = 0; i < 250; i++)
    {
      g_autofree char *offer = offer_id (i);

      g_assert_cmpuint (oip_fake_ozon_count_imports (fixture->fake, offer), ==, 1);
    }
}

typedef struct
{
  guint left;
  guint failed;
} Calls;

static void
on_limits_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Calls *calls = user_data;
  g_autofree OipOzonLimits *limits = oip_ozon_client_get_limits_finish (OIP_OZON_CLIENT (source), result, NULL);

  calls->failed += limits == NULL;
  calls->left--;
}

/* Fires @n calls at once; returns how many failed. */
static guint
fire_calls (OipOzonClient *client,
            guint          n,
            gint64        *elapsed_ms)
{
  gint64 start = g_get_monotonic_time ();
  Calls calls = { n, 0 };

  for (guint i = 0; i < n; i++)
    oip_ozon_client_get_limits_async (client, NULL, on_limits_done, &calls);
  while (calls.left > 0)
    g_main_context_iteration (NULL, TRUE);
  *elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  return calls.failed;
}

static void
set_per_second (OipFakeOzon *fake,
                gpointer     data)
{
  oip_fake_ozon_set_limits (fake, GPOINTER_TO_UINT (data), 0, 0);
}

static void
read_rate_limited (OipFakeOzon *fake,
                   gpointer     data)
{
  *(guint *) data = oip_fake_ozon_count_limited (fake, "second");
}

/* 150 calls at once: the client keeps under Ozon's 50 a second (the fake,
 * in its own thread so that it sees them as they come, refuses the 51st);
 * without its limiter, Ozon refuses some. */
static void
test_per_second (Fixture       *fixture,
                 gconstpointer  data)
{
  OipTestFakeThread *server = oip_test_fake_thread_start ();
  g_autofree char *url = oip_test_fake_thread_get_base_url (server);
  g_autoptr(OipOzonClient) client = oip_ozon_client_new (url, TEST_CLIENT_ID, TEST_API_KEY, NULL);
  gint64 elapsed = 0;
  guint refused = 0;

  oip_ozon_client_set_timeout (client, 30);
  oip_test_fake_thread_invoke (server, set_per_second, GUINT_TO_POINTER (50));
  g_assert_cmpuint (fire_calls (client, 150, &elapsed), ==, 0);
  g_test_message ("150 calls in %" G_GINT64_FORMAT " ms", elapsed);
  oip_test_fake_thread_invoke (server, read_rate_limited, &refused);
  g_assert_cmpuint (refused, ==, 0);
  g_assert_cmpint (elapsed, >=, 2900);

  /* The control, with a limit even a slow machine exceeds: the same
   * calls with no limiter are refused. */
  oip_test_fake_thread_invoke (server, set_per_second, GUINT_TO_POINTER (5));
  oip_ozon_client_set_rate_limit (client, 0);
  oip_ozon_client_set_retry_delay (client, 10);
  fire_calls (client, 150, &elapsed);
  oip_test_fake_thread_invoke (server, read_rate_limited, &refused);
  g_assert_cmpuint (refused, >, 0);
  g_clear_object (&client);
  oip_test_fake_thread_stop (server);
}

/* The day's quota runs out mid-run (another tool used it): the run
 * pauses; resumed the next day, it sends the rest only. */
/* The unfinished runs, as the Bulk Push window lists them. */
static GPtrArray *
list_unfinished (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *runs;

  oip_bulk_run_list_unfinished_async (fixture->context, 10, NULL, oip_test_on_ready, &result);
  runs = oip_bulk_run_list_unfinished_finish (oip_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (runs);
  return runs;
}

static void
test_daily_limit_pauses (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(OipBulkInput) input = input_new ();
  g_autoptr(OipBulkRun) run = NULL;
  g_autoptr(OipBulkRun) again = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  add_products (fixture, 250);
  add_entries (input, 0, 250);
  oip_fake_ozon_set_limits (fixture->fake, 0, 0, 300);
  run = planned_run (fixture, input);
  g_assert_true (oip_bulk_run_confirm (run, &error));
  oip_fake_ozon_set_daily_usage (fixture->fake, 170);
  g_assert_false (send (run, NULL, &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_DAILY_LIMIT);
  g_clear_error (&error);
  g_assert_cmpint (oip_bulk_run_get_stage (run), ==, OIP_BULK_STAGE_PAUSED);
  g_assert_cmpuint (oip_bulk_run_get_count (run, OIP_BULK_ITEM_IMPORTED), ==, 130);
  g_assert_cmpuint (oip_bulk_run_get_count (run, OIP_BULK_ITEM_QUEUED), ==, 120);
  g_assert_cmpuint (oip_fake_ozon_count_limited (fixture->fake, "day"), >=, 1);
  id = oip_bulk_run_get_id (run);
  g_clear_object (&run);

  /* Listed as held by the daily limit, with what is done and left. */
  {
    g_autoptr(GPtrArray) unfinished = list_unfinished (fixture);
    OipBulkRunSummary *summary;

    g_assert_cmpuint (unfinished->len, ==, 1);
    summary = g_ptr_array_index (unfinished, 0);
    g_assert_cmpint (summary->id, ==, id);
    g_assert_cmpint (summary->reason, ==, OIP_BULK_STOP_DAILY_LIMIT);
    g_assert_cmpuint (summary->n_products, ==, 250);
    g_assert_cmpuint (summary->n_done, ==, 130);
    g_assert_cmpuint (summary->n_left, ==, 120);
  }

  /* A new day. */
  oip_fake_ozon_set_daily_usage (fixture->fake, 0);
  again = load_run (fixture, id);
  g_assert_true (plan (again, &error));
  g_assert_cmpuint (oip_bulk_run_get_n_left (again), ==, 120);
  g_assert_true (oip_bulk_run_confirm (again, &error));
  g_assert_true (send (again, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (oip_bulk_run_get_count (again, OIP_BULK_ITEM_IMPORTED), ==, 250);
  for (guint i = 0; i < 250; i++)
    {
      g_autofree char *offer = offer_id (i);

      g_assert_cmpuint (oip_fake_ozon_count_imports (fixture->fake, offer), ==, 1);
      assert_new_images (fixture, i);
    }
  /* Finished: listed no more. */
  {
    g_autoptr(GPtrArray) unfinished = list_unfinished (fixture);

    g_assert_cmpuint (unfinished->len, ==, 0);
  }
}

/* Some images cannot be fetched: the product is partial, with Ozon's
 * message beside the seller's. */
static void
test_partial (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(OipBulkInput) input = input_new ();
  g_autoptr(OipBulkRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *good = oip_fake_ozon_image_url (fixture->fake, "good-one");
  g_autofree char *bad = oip_fake_ozon_image_url (fixture->fake, "missing-one");
  g_autofree char *good2 = oip_fake_ozon_image_url (fixture->fake, "good-two");
  g_autoptr(OipImageItem) image = NULL;
  OipBulkItem *item;

  add_products (fixture, 2);
  g_ptr_array_add (input->entries, entry_new (OIP_PRODUCT_KEY_OFFER_ID, "BULK-0000", good, bad, NULL));
  g_ptr_array_add (input->entries, entry_new (OIP_PRODUCT_KEY_OFFER_ID, "BULK-0001", good2, NULL));
  run = planned_run (fixture, input);
  g_assert_true (oip_bulk_run_confirm (run, &error));
  g_assert_true (send (run, NULL, &error));
  g_assert_no_error (error);
  item = item_at (run, 0);
  g_assert_cmpint (oip_bulk_item_get_state (item), ==, OIP_BULK_ITEM_PARTIAL);
  g_assert_cmpuint (oip_bulk_item_get_n_imported (item), ==, 1);
  g_assert_cmpuint (oip_bulk_item_get_n_failed (item), ==, 1);
  g_assert_nonnull (oip_bulk_item_get_error (item));
  g_assert_nonnull (strstr (oip_bulk_item_get_ozon_message (item), "could not download"));
  image = g_list_model_get_item (oip_bulk_item_get_images (item), 1);
  g_assert_cmpint (oip_image_item_get_state (image), ==, OIP_IMAGE_STATE_FAILED);
  g_assert_nonnull (strstr (oip_image_item_get_ozon_message (image), "could not download"));
  g_assert_cmpint (oip_bulk_item_get_state (item_at (run, 1)), ==, OIP_BULK_ITEM_IMPORTED);
  g_assert_cmpuint (oip_bulk_run_get_count (run, OIP_BULK_ITEM_PARTIAL), ==, 1);
}

/* Three products share a logo file: it is uploaded once for the run;
 * a second run finds every file already stored. */
static void
test_local_files_once (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(OipBulkInput) input = input_new ();
  g_autoptr(OipBulkInput) again = input_new ();
  g_autoptr(OipBulkRun) run = NULL;
  g_autoptr(OipBulkRun) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *logo = oip_test_write_jpeg ("logo.jpg", 900, 1200, 0x22aa44ff);
  const char * const *images;

  add_products (fixture, 3);
  oip_test_use_demo_bucket (fixture->context, fixture->fake);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *offer = offer_id (i);
      g_autofree char *name = g_strdup_printf ("front-%u.jpg", i);
      g_autofree char *front = oip_test_write_jpeg (name, 900, 1200, ((guint32) (0x40 * (i + 1)) << 24) | 0x1010ff);

      g_ptr_array_add (input->entries, entry_new (OIP_PRODUCT_KEY_OFFER_ID, offer, front, logo, NULL));
      g_ptr_array_add (again->entries, entry_new (OIP_PRODUCT_KEY_OFFER_ID, offer, logo, front, NULL));
    }
  run = planned_run (fixture, input);
  g_assert_cmpuint (oip_bulk_run_get_n_local_files (run), ==, 4);
  g_assert_cmpuint (oip_bulk_run_get_local_bytes (run), >, 0);
  g_assert_true (oip_bulk_run_confirm (run, &error));
  g_assert_true (send (run, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (oip_bulk_run_get_count (run, OIP_BULK_ITEM_IMPORTED), ==, 3);
  g_assert_cmpuint (oip_fake_ozon_count_storage_puts (fixture->fake), ==, 4);
  g_assert_cmpuint (oip_bulk_run_get_n_uploaded (run), ==, 4);
  images = oip_fake_ozon_get_product_images (fixture->fake, FIRST_ID + 1);
  g_assert_cmpuint (g_strv_length ((char **) images), ==, 2);
  g_assert_true (g_str_has_prefix (images[1], oip_fake_ozon_get_base_url (fixture->fake)));
  g_assert_cmpstr (images[1], ==, oip_fake_ozon_get_product_images (fixture->fake, FIRST_ID)[1]);

  /* Content-addressed: nothing is sent again. */
  second = planned_run (fixture, again);
  g_assert_true (oip_bulk_run_confirm (second, &error));
  g_assert_true (send (second, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (oip_fake_ozon_count_storage_puts (fixture->fake), ==, 4);
  g_assert_cmpuint (oip_bulk_run_get_n_uploaded (second), ==, 0);
}

static OipPushRecord *
get_record (Fixture *fixture,
            gint64   id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  OipPushRecord *record;

  oip_history_get_async (fixture->history, id, NULL, oip_test_on_ready, &result);
  record = oip_history_get_finish (fixture->history, oip_test_wait (&result), &error);
  g_assert_no_error (error);
  return record;
}

static OipBulkRun *
pushed_run (Fixture *fixture,
            guint    n)
{
  g_autoptr(OipBulkInput) input = input_new ();
  g_autoptr(OipBulkRun) run = NULL;
  g_autoptr(GError) error = NULL;

  add_entries (input, 0, n);
  run = planned_run (fixture, input);
  g_assert_true (oip_bulk_run_confirm (run, &error));
  g_assert_true (send (run, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (oip_bulk_run_get_count (run, OIP_BULK_ITEM_IMPORTED), ==, n);
  return g_steal_pointer (&run);
}

/* Each product's push is a record like a single push's, with the run's
 * id; per-product Undo is a single push job from it. */
static void
test_history (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(OipBulkRun) run = NULL;
  g_autoptr(OipPushRecord) record = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) ran = NULL;
  g_autoptr(OipPushJob) undo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old = old_url (3, 0);
  g_autofree char *fresh = new_url (3, 2);

  add_products (fixture, 4);
  run = pushed_run (fixture, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(OipPushRecord) each = get_record (fixture, oip_bulk_item_get_history_id (item_at (run, i)));

      g_assert_cmpint (each->bulk_run_id, ==, oip_bulk_run_get_id (run));
      g_assert_cmpint (each->kind, ==, OIP_PUSH_KIND_PUSH);
      g_assert_cmpint (each->outcome, ==, OIP_PUSH_OUTCOME_SUCCEEDED);
      g_assert_cmpint (each->product_id, ==, FIRST_ID + i);
      g_assert_cmpint (each->task_id, >, 0);
      g_assert_cmpuint (each->images->len, ==, 3);
    }
  record = get_record (fixture, oip_bulk_item_get_history_id (item_at (run, 3)));
  g_assert_true (record->before_known);
  g_assert_cmpstr (record->before_images[0], ==, old);
  g_assert_cmpstr (record->after_images[2], ==, fresh);
  g_assert_cmpstr (record->client_id, ==, TEST_CLIENT_ID);

  oip_bulk_run_create_undo_job_async (run, item_at (run, 3), NULL, oip_test_on_ready, &result);
  undo = oip_bulk_run_create_undo_job_finish (run, oip_test_wait (&result), &error);
  g_assert_no_error (error);
  oip_push_job_run_async (undo, NULL, oip_test_on_ready, &ran);
  g_assert_true (oip_push_job_run_finish (undo, oip_test_wait (&ran), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (oip_fake_ozon_get_product_images (fixture->fake, FIRST_ID + 3)[0], ==, old);
  assert_new_images (fixture, 2);
}

static OipBulkRun *
undo_run (Fixture *fixture,
          gint64   id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  OipBulkRun *run;

  oip_bulk_run_new_undo_async (fixture->context, id, NULL, oip_test_on_ready, &result);
  run = oip_bulk_run_new_undo_finish (oip_test_wait (&result), &error);
  g_assert_no_error (error);
  return run;
}

/* Undo of a whole run: every product has its images from before again,
 * on the server, even where Ozon skips addresses it has seen. */
static void
test_undo_run (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(OipBulkRun) run = NULL;
  g_autoptr(OipBulkRun) undo = NULL;
  g_autoptr(GError) error = NULL;

  add_products (fixture, 120);
  oip_fake_ozon_set_remember_addresses (fixture->fake, TRUE);
  run = pushed_run (fixture, 120);
  undo = undo_run (fixture, oip_bulk_run_get_id (run));
  g_assert_cmpint (oip_bulk_run_get_kind (undo), ==, OIP_PUSH_KIND_UNDO);
  g_assert_cmpuint (g_list_model_get_n_items (oip_bulk_run_get_items (undo)), ==, 120);
  g_assert_true (plan (undo, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (oip_bulk_run_get_n_to_send (undo), ==, 120);
  g_assert_true (oip_bulk_run_confirm (undo, &error));
  g_assert_true (send (undo, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (oip_bulk_run_get_count (undo, OIP_BULK_ITEM_IMPORTED), ==, 120);
  for (guint i = 0; i < 120; i++)
    {
      const char * const *images = oip_fake_ozon_get_product_images (fixture->fake, FIRST_ID + i);
      g_autoptr(OipPushRecord) record = get_record (fixture, oip_bulk_item_get_history_id (item_at (undo, i)));

      g_assert_cmpuint (g_strv_length ((char **) images), ==, 2);
      for (guint j = 0; j < 2; j++)
        {
          g_autofree char *old = old_url (i, j);

          /* The same picture, under a new address Ozon fetches. */
          g_assert_true (g_str_has_prefix (images[j], old));
        }
      g_assert_cmpint (record->kind, ==, OIP_PUSH_KIND_UNDO);
      g_assert_cmpint (record->source_push_id, ==, oip_bulk_item_get_history_id (item_at (run, i)));
      g_assert_cmpint (record->bulk_run_id, ==, oip_bulk_run_get_id (undo));
    }
}

/* A run belongs to the account it was made with: going on with it or
 * undoing it under another is refused before anything is sent. */
static void
test_other_account (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(OipBulkRun) run = NULL;
  g_autoptr(OipBulkRun) loaded = NULL;
  g_autoptr(OipBulkRun) undo = NULL;
  g_autoptr(OipBulkRun) undo_again = NULL;
  g_autoptr(GError) error = NULL;
  guint imports;

  add_products (fixture, 3);
  run = pushed_run (fixture, 3);
  imports = oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import");

  oip_context_set_credentials (fixture->context, "2000001", TEST_API_KEY);
  undo = undo_run (fixture, oip_bulk_run_get_id (run));
  g_assert_false (plan (undo, &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_BULK_RUN_OTHER_ACCOUNT);
  g_assert_nonnull (strstr (error->message, TEST_CLIENT_ID));
  g_clear_error (&error);
  loaded = load_run (fixture, oip_bulk_run_get_id (run));
  g_assert_false (plan (loaded, &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_BULK_RUN_OTHER_ACCOUNT);
  g_clear_error (&error);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==, imports);

  /* With its own account it goes on. */
  oip_context_set_credentials (fixture->context, TEST_CLIENT_ID, TEST_API_KEY);
  undo_again = undo_run (fixture, oip_bulk_run_get_id (run));
  g_assert_true (plan (undo_again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (oip_bulk_run_get_n_to_send (undo_again), ==, 3);
}

static gboolean
cancel_when (gpointer user_data)
{
  gpointer *data = user_data;
  OipFakeOzon *fake = data[0];
  GCancellable *cancellable = data[1];
  guint *wanted = data[2];
  const char *path = data[3];

  if (oip_fake_ozon_count_requests (fake, path) < *wanted)
    return G_SOURCE_CONTINUE;
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

/* Once the run follows its second import task (so both are on record). */
static gboolean
cancel_when_second_task_polled (gpointer user_data)
{
  gpointer *data = user_data;
  OipFakeRequest *last = oip_fake_ozon_last_request (data[0], "/v1/product/import/info");
  JsonObject *body = last && last->body ? json_node_get_object (last->body) : NULL;

  if (body == NULL || oip_fake_ozon_count_requests (data[0], "/v2/product/pictures/import") < 2 ||
      json_object_get_int_member_with_default (body, "task_id", 0) < 881234568)
    return G_SOURCE_CONTINUE;
  g_cancellable_cancel (data[1]);
  return G_SOURCE_REMOVE;
}

/* Stopped while Ozon had the imports but had not finished them: the
 * resumed run follows their tasks, sending nothing twice. */
static void
test_resume_open_tasks (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(OipBulkInput) input = input_new ();
  g_autoptr(OipBulkRun) run = NULL;
  g_autoptr(OipBulkRun) again = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gpointer watch[] = { fixture->fake, cancellable };
  gint64 id;

  add_products (fixture, 250);
  add_entries (input, 0, 250);
  oip_fake_ozon_set_import_delay (fixture->fake, 1500);
  run = planned_run (fixture, input);
  oip_bulk_run_set_max_open_tasks (run, 2);
  g_assert_true (oip_bulk_run_confirm (run, &error));
  g_timeout_add (2, cancel_when_second_task_polled, watch);
  g_assert_false (send (run, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==, 2);
  id = oip_bulk_run_get_id (run);
  g_clear_object (&run);

  again = load_run (fixture, id);
  /* Two batches with Ozon (the first maybe finished already), one never sent. */
  g_assert_cmpuint (oip_bulk_run_get_count (again, OIP_BULK_ITEM_IMPORTING), >=, 100);
  g_assert_cmpuint (oip_bulk_run_get_count (again, OIP_BULK_ITEM_IMPORTING) +
                    oip_bulk_run_get_count (again, OIP_BULK_ITEM_IMPORTED), ==, 200);
  g_assert_cmpuint (oip_bulk_run_get_count (again, OIP_BULK_ITEM_QUEUED), ==, 50);
  g_assert_true (plan (again, &error));
  g_assert_true (oip_bulk_run_confirm (again, &error));
  g_assert_true (send (again, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (oip_bulk_run_get_count (again, OIP_BULK_ITEM_IMPORTED), ==, 250);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==, 3);
  for (guint i = 0; i < 250; i++)
    {
      g_autofree char *offer = offer_id (i);

      g_assert_cmpuint (oip_fake_ozon_count_imports (fixture->fake, offer), ==, 1);
      assert_new_images (fixture, i);
    }
}

/* The answers Ozon gives within a second; the fake's slow ones come
 * later. */
static void
short_timeout (Fixture *fixture)
{
  OipPushSettings settings = { .timeout = 1, .max_retries = 2, .validate_urls = TRUE };

  oip_context_override_push_settings (fixture->context, &settings);
}

static void
resume_and_finish (Fixture *fixture,
                   gint64   id,
                   guint    n)
{
  g_autoptr(OipBulkRun) again = load_run (fixture, id);
  g_autoptr(GError) error = NULL;

  g_assert_true (plan (again, &error));
  g_assert_true (oip_bulk_run_confirm (again, &error));
  g_assert_true (send (again, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (oip_bulk_run_get_count (again, OIP_BULK_ITEM_IMPORTED), ==, n);
}

/* Stopped while an import was on its way, which Ozon had taken but not
 * yet done: the Stop waits for its answer (the task), so the resumed run
 * follows that task rather than sending the products again. */
static void
test_stop_mid_import (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(OipBulkInput) input = input_new ();
  g_autoptr(OipBulkRun) run = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  guint wanted = 1;
  gpointer watch[] = { fixture->fake, cancellable, &wanted, "/v2/product/pictures/import" };
  gint64 id;

  add_products (fixture, 10);
  add_entries (input, 0, 10);
  /* Ozon takes the import at once and answers a second later; its queue
   * needs three. */
  oip_fake_ozon_set_slow_delay (fixture->fake, 1000);
  oip_fake_ozon_inject (fixture->fake, "/v2/product/pictures/import", OIP_FAKE_FAULT_LATE_ANSWER, 1);
  oip_fake_ozon_set_import_delay (fixture->fake, 3000);
  run = planned_run (fixture, input);
  g_assert_true (oip_bulk_run_confirm (run, &error));
  g_timeout_add (5, cancel_when, watch);
  g_assert_false (send (run, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  id = oip_bulk_run_get_id (run);
  g_clear_object (&run);

  resume_and_finish (fixture, id, 10);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==, 1);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *offer = offer_id (i);

      g_assert_cmpuint (oip_fake_ozon_count_imports (fixture->fake, offer), ==, 1);
      assert_new_images (fixture, i);
    }
}

/* Ozon took the import, but its answer never came (as after a kill -9
 * mid-request): no task on record. Resumed while Ozon is still importing,
 * the run waits to see the images arrive rather than sending them again. */
static void
test_lost_import_answer (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(OipBulkInput) input = input_new ();
  g_autoptr(OipBulkRun) run = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  short_timeout (fixture);
  add_products (fixture, 10);
  add_entries (input, 0, 10);
  oip_fake_ozon_set_slow_delay (fixture->fake, 3000);
  oip_fake_ozon_inject (fixture->fake, "/v2/product/pictures/import", OIP_FAKE_FAULT_LATE_ANSWER, 1);
  oip_fake_ozon_set_import_delay (fixture->fake, 1500);
  run = planned_run (fixture, input);
  g_assert_true (oip_bulk_run_confirm (run, &error));
  g_assert_false (send (run, NULL, &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_TIMEOUT);
  g_clear_error (&error);
  id = oip_bulk_run_get_id (run);
  g_clear_object (&run);

  resume_and_finish (fixture, id, 10);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==, 1);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *offer = offer_id (i);

      g_assert_cmpuint (oip_fake_ozon_count_imports (fixture->fake, offer), ==, 1);
      assert_new_images (fixture, i);
    }
}

/* An import whose answer never came and which Ozon never got: nobody
 * knows at first. Resumed, each product is read back: one Ozon already
 * has exactly is done; the others, once Ozon has had the time any import
 * takes and they are still as before, are sent again. */
static void
test_resume_mid_send (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(OipBulkInput) input = input_new ();
  g_autoptr(OipBulkRun) run = NULL;
  g_autoptr(OipBulkRun) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = new_url (0, 0);
  g_autofree char *b = new_url (0, 1);
  g_autofree char *c = new_url (0, 2);
  const char *intended[] = { a, b, c, NULL };
  gint64 id;

  short_timeout (fixture);
  add_products (fixture, 10);
  add_entries (input, 0, 10);
  /* The import meets a silent proxy: Ozon never sees it. */
  oip_fake_ozon_inject (fixture->fake, "/v2/product/pictures/import", OIP_FAKE_FAULT_SILENCE, 1);
  run = planned_run (fixture, input);
  g_assert_true (oip_bulk_run_confirm (run, &error));
  g_assert_false (send (run, NULL, &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_TIMEOUT);
  g_clear_error (&error);
  id = oip_bulk_run_get_id (run);
  g_clear_object (&run);

  /* As if Ozon had done the first product's part of it. */
  oip_fake_ozon_set_product_images (fixture->fake, FIRST_ID, intended);
  again = load_run (fixture, id);
  g_assert_cmpuint (oip_bulk_run_get_n_left (again), ==, 10);
  g_assert_true (plan (again, &error));
  g_assert_true (oip_bulk_run_confirm (again, &error));
  g_assert_true (send (again, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (oip_bulk_run_get_count (again, OIP_BULK_ITEM_IMPORTED), ==, 10);
  g_assert_cmpuint (oip_fake_ozon_count_imports (fixture->fake, "BULK-0000"), ==, 0);
  for (guint i = 0; i < 10; i++)
    assert_new_images (fixture, i);
  for (guint i = 1; i < 10; i++)
    {
      g_autofree char *offer = offer_id (i);

      g_assert_cmpuint (oip_fake_ozon_count_imports (fixture->fake, offer), ==, 1);
    }
  g_assert_cmpint (oip_bulk_item_get_history_id (item_at (again, 0)), >, 0);
}

/* The run as a GUI sees it: counts and the fraction move with each
 * product, and each finished product is announced once. */
static void
on_finished (OipBulkRun  *run,
             OipBulkItem *item,
             GHashTable  *seen)
{
  g_assert_true (oip_bulk_item_is_finished (item));
  g_assert_true (g_hash_table_add (seen, item));
}

static void
test_observable (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(OipBulkInput) input = input_new ();
  g_autoptr(OipBulkRun) run = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  double fraction = -1;
  guint n_done = 0;

  add_products (fixture, 150);
  add_entries (input, 0, 150);
  run = planned_run (fixture, input);
  g_signal_connect (run, "item-finished", G_CALLBACK (on_finished), seen);
  g_assert_true (oip_bulk_run_confirm (run, &error));
  g_assert_true (send (run, NULL, &error));
  g_object_get (run, "fraction", &fraction, "n-done", &n_done, NULL);
  g_assert_cmpfloat (fraction, ==, 1.0);
  g_assert_cmpuint (n_done, ==, 150);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 150);
  g_assert_cmpfloat (oip_bulk_run_get_seconds_left (run), ==, 0.0);
  g_assert_cmpint (oip_bulk_run_get_stage (run), ==, OIP_BULK_STAGE_DONE);
}
int
main (int   argc,
      char *argv[])
{
  /* Not G_TEST_OPTION_ISOLATE_DIRS: it hides XDG_DATA_DIRS, where
   * GdkPixbuf on glycin (Debian unstable, the Flatpak runtime) finds
   * its PNG saver, and the fake's pictures would not render. */
  oip_test_init (&argc, &argv);

  g_test_add ("/bulk-run/push-small", Fixture, NULL, fixture_set_up, test_push_small, fixture_tear_down);
  g_test_add ("/bulk-run/plan", Fixture, NULL, fixture_set_up, test_plan, fixture_tear_down);
  g_test_add ("/bulk-run/quota-refused", Fixture, NULL, fixture_set_up, test_quota_refused, fixture_tear_down);
  g_test_add ("/bulk-run/batches", Fixture, NULL, fixture_set_up, test_batches, fixture_tear_down);
  g_test_add ("/bulk-run/per-minute-paced", Fixture, NULL, fixture_set_up, test_per_minute_paced, fixture_tear_down);
  g_test_add ("/bulk-run/per-minute-learned", Fixture, NULL, fixture_set_up, test_per_minute_learned,
              fixture_tear_down);
  g_test_add ("/bulk-run/per-second", Fixture, NULL, fixture_set_up, test_per_second, fixture_tear_down);
  g_test_add ("/bulk-run/daily-limit-pauses", Fixture, NULL, fixture_set_up, test_daily_limit_pauses,
              fixture_tear_down);
  g_test_add ("/bulk-run/partial", Fixture, NULL, fixture_set_up, test_partial, fixture_tear_down);
  g_test_add ("/bulk-run/local-files-once", Fixture, NULL, fixture_set_up, test_local_files_once, fixture_tear_down);
  g_test_add ("/bulk-run/history", Fixture, NULL, fixture_set_up, test_history, fixture_tear_down);
  g_test_add ("/bulk-run/undo-run", Fixture, NULL, fixture_set_up, test_undo_run, fixture_tear_down);
  g_test_add ("/bulk-run/other-account", Fixture, NULL, fixture_set_up, test_other_account, fixture_tear_down);
  g_test_add ("/bulk-run/resume-open-tasks", Fixture, NULL, fixture_set_up, test_resume_open_tasks,
              fixture_tear_down);
  g_test_add ("/bulk-run/resume-mid-send", Fixture, NULL, fixture_set_up, test_resume_mid_send, fixture_tear_down);
  g_test_add ("/bulk-run/stop-mid-import", Fixture, NULL, fixture_set_up, test_stop_mid_import, fixture_tear_down);
  g_test_add ("/bulk-run/lost-import-answer", Fixture, NULL, fixture_set_up, test_lost_import_answer,
              fixture_tear_down);
  g_test_add ("/bulk-run/observable", Fixture, NULL, fixture_set_up, test_observable, fixture_tear_down);
  return g_test_run ();
}
