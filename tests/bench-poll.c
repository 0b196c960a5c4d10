/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How long a seller waits after Ozon has finished importing: the job's
 * polling against the fake with imports that take 1.5, 4 and 9 s, next to
 * the schedule it replaced (first look at 1 s, doubling to 8 s), which is
 * computed. Prints figures; asserts nothing about time. */
#include "config.h"

#include "oip-push-job.h"
#include "oip-test-util.h"

#define PRODUCT_ID 214365879

typedef struct
{
  gint64 importing_at;
  gint64 reading_back_at;
} Times;

static void
on_stage (OipPushJob *job,
          GParamSpec *pspec,
          Times      *times)
{
  if (oip_push_job_get_stage (job) == OIP_PUSH_STAGE_IMPORTING)
    times->importing_at = g_get_monotonic_time ();
  else if (oip_push_job_get_stage (job) == OIP_PUSH_STAGE_READING_BACK)
    times->reading_back_at = g_get_monotonic_time ();
}

/* The old schedule: polls at 1, 3, 7, 15, 23… s after the import. */
static double
old_wait_after (double delay_s,
                guint *polls)
{
  double t = 0, step = 1.0;

  *polls = 0;
  do
    {
      t += step;
      step = MIN (step * 2, 8.0);
      (*polls)++;
    }
  while (t < delay_s);
  return t - delay_s;
}

static void
bench_poll (void)
{
  const guint delays_ms[] = { 1500, 4000, 9000 };
  g_autoptr(OipFakeOzon) fake = NULL;
  g_autoptr(OipOzonClient) client = NULL;
  g_autoptr(OipProductStore) store = NULL;
  g_autoptr(OipContext) context = NULL;
  OipPushSettings settings = { .timeout = 30, .max_retries = 2, .validate_urls = TRUE };

  fake = oip_test_fake_new ();
  client = oip_test_client_new (fake);
  store = oip_test_store_with_product (fake, client, PRODUCT_ID);
  context = oip_context_new (NULL);
  oip_context_override_push_settings (context, &settings);
  oip_context_set_base_url (context, oip_fake_ozon_get_base_url (fake));
  oip_context_set_credentials (context, TEST_CLIENT_ID, TEST_API_KEY);
  oip_context_set_store (context, store);
  oip_context_set_keyring_allowed (context, FALSE);
  oip_fake_ozon_set_pending_polls (fake, 0);

  g_print ("import takes | now: waited after Ozon finished, status polls | before: waited after, polls\n");
  for (guint i = 0; i < G_N_ELEMENTS (delays_ms); i++)
    {
      g_autoptr(OipPushRequest) request = oip_push_request_new ();
      g_autoptr(OipPushJob) job = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autofree char *url = g_strdup_printf ("%s/images/bench-%u.png", oip_fake_ozon_get_base_url (fake), i);
      Times times = { 0 };
      guint old_polls;
      double old_wait = old_wait_after (delays_ms[i] / 1000.0, &old_polls);
      double waited;

      oip_fake_ozon_set_import_delay (fake, delays_ms[i]);
      request->product_id = PRODUCT_ID;
      g_ptr_array_add (request->images, g_steal_pointer (&url));
      job = oip_push_job_new_for_request (context, request);
      g_signal_connect (job, "notify::stage", G_CALLBACK (on_stage), &times);
      oip_push_job_run_async (job, NULL, oip_test_on_ready, &result);
      g_assert_true (oip_push_job_run_finish (job, oip_test_wait (&result), NULL));
      g_assert_cmpint (oip_push_job_get_result (job)->outcome, ==, OIP_PUSH_OUTCOME_SUCCEEDED);

      waited = (times.reading_back_at - times.importing_at) / 1000.0 - delays_ms[i];
      g_print ("%9.1f s | %7.0f ms, %2u polls | %7.0f ms, %2u polls\n",
               delays_ms[i] / 1000.0, waited, oip_push_job_get_polls (job), old_wait * 1000, old_polls);
    }
}

int
main (int   argc,
      char *argv[])
{
  /* A test case, for its own isolated data dirs. */
  oip_test_init (&argc, &argv);
  oip_test_add_func ("/bench/poll", bench_poll);
  return g_test_run ();
}
