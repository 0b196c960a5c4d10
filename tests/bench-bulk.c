/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sys/resource.h>
#include <glib/gstdio.h>

#include "oip-bulk-run.h"
#include "oip-test-util.h"

/* Benchmark (not a test; prints figures, asserts no timing): a bulk run
 * of 1000 products × 5 images against the fake Ozon, which runs in a
 * thread of its own so that this process's main loop is the run's.
 *
 * 1. With Ozon's limits on (50 requests a second, a per-minute item
 *    limit with a shorter "minute"): the import rate achieved as a
 *    fraction of the allowed one, 429s, peak RSS, the longest main-loop
 *    stall.
 * 2. With the limits off: products a second, side by side in the same
 *    run with a plain sequential curl loop over the same calls
 *    (bench-bulk-curl.sh), ours before and after it. */

#define N_PRODUCTS 1000
#define N_IMAGES 5
#define FIRST_ID 700000000
#define PER_MINUTE 200
#define MINUTE_MS 2000
/* A curl process per call is slow to start: the loop's rate is measured
 * on the first products only. */
#define N_CURL 200

static OipTestFakeThread *server;
static char              *base_url;
static gint64             last_tick;
static gint64             longest_gap;

/* The fake, in its own thread */

static void
add_products (OipFakeOzon *fake,
              gpointer     data)
{
  oip_fake_ozon_set_keep_requests (fake, FALSE);
  oip_fake_ozon_set_pending_polls (fake, 0);
  for (guint i = 0; i < N_PRODUCTS; i++)
    {
      g_autofree char *offer = g_strdup_printf ("BENCH-%04u", i);
      g_autofree char *old = g_strdup_printf ("https://cdn.example.net/old/%u.jpg", i);
      const char *images[] = { old, NULL };

      oip_fake_ozon_add_product (fake, FIRST_ID + i, offer, 0, offer, images);
    }
}

static void
limits_on (OipFakeOzon *fake,
           gpointer     data)
{
  oip_fake_ozon_set_minute_ms (fake, MINUTE_MS);
  oip_fake_ozon_set_limits (fake, 50, PER_MINUTE, 0);
}

static void
limits_off (OipFakeOzon *fake,
            gpointer     data)
{
  oip_fake_ozon_set_limits (fake, 0, 0, 0);
}

static void
read_counts (OipFakeOzon *fake,
             gpointer     data)
{
  guint *counts = data;

  counts[0] = oip_fake_ozon_count_limited (fake, "second");
  counts[1] = oip_fake_ozon_count_limited (fake, "minute");
}

/* Measuring */

static gboolean
tick (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick > 0)
    longest_gap = MAX (longest_gap, now - last_tick);
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

static glong
peak_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

typedef struct
{
  gint64 first_accept;
  gint64 last_accept;
  guint  accepted;
} Accepts;

static void
on_item_state (OipBulkItem *item,
               GParamSpec  *pspec,
               Accepts     *accepts)
{
  gint64 now = g_get_monotonic_time ();

  if (oip_bulk_item_get_state (item) != OIP_BULK_ITEM_IMPORTING)
    return;
  if (accepts->first_accept == 0)
    accepts->first_accept = now;
  accepts->last_accept = now;
  accepts->accepted++;
}

static OipBulkInput *
make_input (const char *tag)
{
  OipBulkInput *input = g_new0 (OipBulkInput, 1);

  input->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_bulk_entry_free);
  input->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_bulk_problem_free);
  for (guint i = 0; i < N_PRODUCTS; i++)
    {
      OipBulkEntry *entry = g_new0 (OipBulkEntry, 1);

      entry->key = OIP_PRODUCT_KEY_OFFER_ID;
      entry->value = g_strdup_printf ("BENCH-%04u", i);
      entry->images = g_ptr_array_new_with_free_func (g_free);
      entry->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_bulk_problem_free);
      for (guint j = 0; j < N_IMAGES; j++)
        g_ptr_array_add (entry->images, g_strdup_printf ("https://cdn.example.net/%s/%u-%u.jpg", tag, i, j));
      g_ptr_array_add (input->entries, entry);
    }
  return input;
}

static OipContext *
make_context (OipHistory      *history,
              OipProductStore *store)
{
  OipContext *context = oip_context_new (NULL);
  OipPushSettings settings = { .timeout = 30, .max_retries = 2, .validate_urls = TRUE };

  oip_context_override_push_settings (context, &settings);
  oip_context_set_base_url (context, base_url);
  oip_context_set_credentials (context, TEST_CLIENT_ID, TEST_API_KEY);
  oip_context_set_history (context, history);
  oip_context_set_store (context, store);
  oip_context_set_keyring_allowed (context, FALSE);
  return context;
}

typedef struct
{
  double  plan_s;
  double  send_s;
  Accepts accepts;
  guint   imported;
} Outcome;

static Outcome
bulk (OipContext *context,
      const char *tag,
      guint       minute_ms)
{
  g_autoptr(OipBulkInput) input = make_input (tag);
  g_autoptr(OipBulkRun) run = oip_bulk_run_new (context, input, tag);
  g_autoptr(GAsyncResult) planned = NULL;
  g_autoptr(GAsyncResult) sent = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *items = oip_bulk_run_get_items (run);
  Outcome outcome = { 0 };
  gint64 start = g_get_monotonic_time ();

  if (minute_ms > 0)
    oip_bulk_run_set_minute_ms (run, minute_ms);
  oip_bulk_run_plan_async (run, NULL, oip_test_on_ready, &planned);
  g_assert_true (oip_bulk_run_plan_finish (run, oip_test_wait (&planned), &error));
  outcome.plan_s = (g_get_monotonic_time () - start) / 1e6;
  g_assert_true (oip_bulk_run_confirm (run, &error));
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(OipBulkItem) item = g_list_model_get_item (items, i);

      g_signal_connect (item, "notify::state", G_CALLBACK (on_item_state), &outcome.accepts);
    }
  start = g_get_monotonic_time ();
  last_tick = 0;
  longest_gap = 0;
  oip_bulk_run_send_async (run, NULL, oip_test_on_ready, &sent);
  g_assert_true (oip_bulk_run_send_finish (run, oip_test_wait (&sent), &error));
  g_assert_no_error (error);
  outcome.send_s = (g_get_monotonic_time () - start) / 1e6;
  outcome.imported = oip_bulk_run_get_count (run, OIP_BULK_ITEM_IMPORTED);
  return outcome;
}

static double
curl_loop (const char *products,
           const char *tag,
           guint      *ok)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "bench-bulk-curl.sh", NULL);
  g_autofree char *images = g_strdup_printf ("%u", N_IMAGES);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "bash", script, base_url, products, images, tag, NULL };
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "OZON_CLIENT_ID", TEST_CLIENT_ID, TRUE);
  gint64 start;
  int status = 0;

  env = g_environ_setenv (env, "OZON_API_KEY", TEST_API_KEY, TRUE);
  start = g_get_monotonic_time ();
  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status,
                               &error));
  g_assert_no_error (error);
  *ok = (guint) g_ascii_strtoull (out, NULL, 10);
  return (g_get_monotonic_time () - start) / 1e6;
}

static char *
write_products (const char *dir)
{
  g_autoptr(GString) lines = g_string_new (NULL);
  char *path = g_build_filename (dir, "products.txt", NULL);

  for (guint i = 0; i < N_CURL; i++)
    g_string_append_printf (lines, "BENCH-%04u %u\n", i, FIRST_ID + i);
  g_assert_true (g_file_set_contents (path, lines->str, -1, NULL));
  return path;
}

static void
limited (OipContext *context)
{
  guint counts[2] = { 0 };
  glong rss_before = peak_rss_kb ();
  Outcome run;
  double allowed = PER_MINUTE * 1000.0 / MINUTE_MS;
  double achieved;

  oip_test_fake_thread_invoke (server, limits_on, NULL);
  run = bulk (context, "limited", MINUTE_MS);
  oip_test_fake_thread_invoke (server, read_counts, counts);
  /* After the first minute's batches, every product is paced: accepted
   * products a second between the first and the last acceptance. */
  achieved = (run.accepts.accepted - PER_MINUTE) /
             ((run.accepts.last_accept - run.accepts.first_accept) / 1e6);
  g_print ("== Ozon's limits on: 50 requests/s, %u products per \"minute\" of %u ms ==\n", PER_MINUTE, MINUTE_MS);
  g_print ("products imported: %u of %u; planning %.2f s, sending %.2f s\n", run.imported, N_PRODUCTS,
           run.plan_s, run.send_s);
  g_print ("import rate achieved: %.1f products/s of %.1f allowed = %.1f %% (goal >= 90 %%)\n",
           achieved, allowed, 100.0 * achieved / allowed);
  g_print ("over the whole send: %.1f products/s = %.1f %% of the allowed rate\n",
           N_PRODUCTS / run.send_s, 100.0 * (N_PRODUCTS / run.send_s) / allowed);
  g_print ("429s: %u for requests a second, %u for the per-minute limit\n", counts[0], counts[1]);
  g_print ("peak RSS: %.1f MB (%.1f MB before the run; the fake and its 1000 products share the process)\n",
           peak_rss_kb () / 1024.0, rss_before / 1024.0);
  g_print ("longest main-loop stall while sending: %.1f ms\n", longest_gap / 1000.0);
}

static void
unlimited (OipContext *context,
           const char *products)
{
  Outcome first, second;
  double curl_s;
  guint curl_ok = 0;

  oip_test_fake_thread_invoke (server, limits_off, NULL);
  first = bulk (context, "free-1", 0);
  curl_s = curl_loop (products, "curl", &curl_ok);
  second = bulk (context, "free-2", 0);
  g_print ("== limits off: %u products x %u images ==\n", N_PRODUCTS, N_IMAGES);
  g_print ("ozon-image-push (run 1): %u imported, planning %.2f s + sending %.2f s = %.1f products/s\n",
           first.imported, first.plan_s, first.send_s, N_PRODUCTS / (first.plan_s + first.send_s));
  g_print ("sequential curl loop:     %u of the first %u imported, %.2f s = %.1f products/s "
           "(polls at once, no wait)\n", curl_ok, N_CURL, curl_s, N_CURL / curl_s);
  g_print ("ozon-image-push (run 2): %u imported, planning %.2f s + sending %.2f s = %.1f products/s\n",
           second.imported, second.plan_s, second.send_s, N_PRODUCTS / (second.plan_s + second.send_s));
  g_print ("ours vs curl: %.1fx (mean of both runs)\n",
           (2.0 * N_PRODUCTS / (first.plan_s + first.send_s + second.plan_s + second.send_s)) /
           (N_CURL / curl_s));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("bench-bulk-XXXXXX", NULL);
  g_autofree char *products = NULL;
  g_autofree char *curl = g_find_program_in_path ("curl");
  g_autoptr(OipDatabase) db = NULL;
  g_autoptr(OipHistory) history = NULL;
  g_autoptr(OipProductStore) store = NULL;
  g_autoptr(OipContext) context = NULL;
  g_autofree char *db_path = NULL;
  g_autoptr(GFile) db_file = NULL;

  g_test_init (&argc, &argv, NULL);
  server = oip_test_fake_thread_start ();
  base_url = oip_test_fake_thread_get_base_url (server);
  oip_test_fake_thread_invoke (server, add_products, NULL);

  db_path = g_build_filename (dir, "bench.db", NULL);
  db_file = g_file_new_for_path (db_path);
  db = oip_test_database_open (db_file);
  history = oip_history_new (db);
  store = oip_product_store_new (db);
  context = make_context (history, store);
  products = write_products (dir);
  g_timeout_add (5, tick, NULL);

  limited (context);
  if (curl != NULL)
    unlimited (context, products);
  else
    g_print ("curl is not installed: no comparison\n");
  g_clear_object (&context);
  oip_test_database_drain (db);
  oip_test_fake_thread_stop (server);
  return 0;
}
