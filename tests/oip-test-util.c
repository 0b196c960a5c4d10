/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "oip-test-util.h"

/* Anything a test waits for must come within this, or the test fails
 * instead of hanging CI. */
#define WAIT_LIMIT_US (60 * G_USEC_PER_SEC)

void
oip_test_on_ready (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

GAsyncResult *
oip_test_wait (GAsyncResult **result)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (*result == NULL)
    {
      g_main_context_iteration (NULL, FALSE);
      if (*result == NULL)
        g_usleep (1000);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  return *result;
}

void
oip_test_wait_until (gboolean *flag)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (!*flag)
    {
      g_main_context_iteration (NULL, FALSE);
      if (!*flag)
        g_usleep (1000);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
}

gint64
oip_test_wait_elapsed_ms (GAsyncResult **result)
{
  gint64 start = g_get_monotonic_time ();

  oip_test_wait (result);
  return (g_get_monotonic_time () - start) / 1000;
}

/**
 * oip_test_fake_new:
 *
 * A started fake with one product (214365879, ART-1001, three images of
 * its own) and import tasks that stay pending for two polls.
 */
OipFakeOzon *
oip_test_fake_new (void)
{
  g_autoptr(OipFakeOzon) fake = oip_fake_ozon_new (TEST_CLIENT_ID, TEST_API_KEY);
  g_autoptr(GError) error = NULL;

  g_assert_true (oip_fake_ozon_start (fake, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (oip_fake_ozon_get_base_url (fake), "http://127.0.0.1:"));
  oip_fake_ozon_add_sample_products (fake);
  return g_steal_pointer (&fake);
}

/**
 * oip_test_client_new:
 *
 * A client for @fake with short back-off, so retry tests stay quick.
 */
OipOzonClient *
oip_test_client_new (OipFakeOzon *fake)
{
  g_autoptr(GError) error = NULL;
  OipOzonClient *client = oip_ozon_client_new (oip_fake_ozon_get_base_url (fake),
                                               TEST_CLIENT_ID, TEST_API_KEY, &error);

  g_assert_no_error (error);
  oip_ozon_client_set_retry_delay (client, 10);
  oip_ozon_client_set_timeout (client, 10);
  return client;
}

/**
 * oip_test_store_with_product:
 *
 * A store in the test's own data dir holding @product_id, downloaded
 * through @client as the app would.
 */
OipProductStore *
oip_test_store_with_product (OipFakeOzon   *fake,
                             OipOzonClient *client,
                             gint64         product_id)
{
  g_autoptr(OipProductStore) store = oip_product_store_new (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipProduct) product = NULL;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, product_id);

  oip_product_store_load_async (store, NULL, oip_test_on_ready, &result);
  g_assert_true (oip_product_store_load_finish (store, oip_test_wait (&result), &error));
  g_clear_object (&result);

  oip_ozon_client_get_product_async (client, OIP_PRODUCT_KEY_PRODUCT_ID, id, NULL, oip_test_on_ready, &result);
  product = oip_ozon_client_get_product_finish (client, oip_test_wait (&result), &error);
  g_assert_no_error (error);
  oip_product_store_put (store, product);
  return g_steal_pointer (&store);
}

/**
 * oip_test_run_cli:
 * @env: (nullable): NAME=VALUE pairs to set, NAME= to unset
 * @stdin_text: (nullable): what to write to its standard input
 * @args: the arguments after `ozon-push`
 *
 * Runs the real `ozon-push` binary with the test's data dirs, as a script
 * would, and asserts that the test Api-Key is in nothing it prints.
 *
 * Returns: its exit status
 */
int
oip_test_run_cli (const char * const *env,
                  const char         *stdin_text,
                  const char * const *args,
                  char              **out,
                  char              **err)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("OZON_PUSH_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);

      if (pair[1] == NULL || *pair[1] == '\0')
        g_subprocess_launcher_unsetenv (launcher, pair[0]);
      else
        g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, stdin_text, NULL, oip_test_on_ready, &result);
  g_assert_true (g_subprocess_communicate_utf8_finish (process, oip_test_wait (&result), out, err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));

  g_test_message ("ozon-push %s: exit %d\nstdout: %s\nstderr: %s", args[0],
                  g_subprocess_get_exit_status (process), *out, *err);
  g_assert_null (strstr (*out, TEST_API_KEY));
  g_assert_null (strstr (*err, TEST_API_KEY));
  return g_subprocess_get_exit_status (process);
}
