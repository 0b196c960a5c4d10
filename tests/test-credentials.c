/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "oip-credentials.h"
#include "oip-error.h"
#include "oip-test-util.h"

/* Against the real gnome-keyring of a private D-Bus session (see README:
 * the test command starts one, unlocked). Without a session bus the test
 * skips itself, so `meson test` still runs elsewhere. */

static OipCredentials *
lookup (const char  *client_id,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  oip_credentials_lookup_async (client_id, NULL, oip_test_on_ready, &result);
  return oip_credentials_lookup_finish (oip_test_wait (&result), error);
}

static void
store (const char *client_id,
       const char *api_key)
{
  g_autoptr(OipCredentials) credentials = oip_credentials_new (client_id, api_key);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  oip_credentials_store_async (credentials, NULL, oip_test_on_ready, &result);
  g_assert_true (oip_credentials_store_finish (oip_test_wait (&result), &error));
  g_assert_no_error (error);
}

static void
remove_account (const char *client_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  oip_credentials_remove_async (client_id, NULL, oip_test_on_ready, &result);
  g_assert_true (oip_credentials_remove_finish (oip_test_wait (&result), &error));
  g_assert_no_error (error);
}

static void
test_store_lookup_replace_remove (void)
{
  g_autoptr(OipCredentials) found = NULL;
  g_autoptr(OipCredentials) replaced = NULL;
  g_autoptr(OipCredentials) gone = NULL;
  g_autoptr(GError) error = NULL;

  store ("111", "first-key");
  found = lookup ("111", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->client_id, ==, "111");
  g_assert_cmpstr (found->api_key, ==, "first-key");

  /* The same Client-Id again replaces the key, it does not add one. */
  store ("111", "second-key");
  replaced = lookup ("111", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (replaced->api_key, ==, "second-key");

  remove_account ("111");
  gone = lookup ("111", &error);
  g_assert_null (gone);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_CREDENTIALS_MISSING);
}

static void
test_two_accounts (void)
{
  g_autoptr(OipCredentials) a = NULL;
  g_autoptr(OipCredentials) b = NULL;
  g_autoptr(OipCredentials) newest = NULL;
  g_autoptr(OipCredentials) after = NULL;

  store ("222", "key-a");
  g_usleep (1100 * 1000);   /* the keyring's modified time has 1 s steps */
  store ("333", "key-b");

  a = lookup ("222", NULL);
  b = lookup ("333", NULL);
  g_assert_cmpstr (a->api_key, ==, "key-a");
  g_assert_cmpstr (b->api_key, ==, "key-b");

  /* None chosen: the one saved last. */
  newest = lookup (NULL, NULL);
  g_assert_cmpstr (newest->client_id, ==, "333");

  remove_account ("333");
  after = lookup (NULL, NULL);
  g_assert_cmpstr (after->client_id, ==, "222");
  remove_account ("222");
}

static void
test_cli_uses_keyring (void)
{
  g_autoptr(OipFakeOzon) fake = oip_test_fake_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  /* Saved once (as the Preferences dialog does), used by a script. */
  store (TEST_CLIENT_ID, TEST_API_KEY);
  g_subprocess_launcher_setenv (launcher, "OZON_API_URL", oip_fake_ozon_get_base_url (fake), TRUE);
  g_subprocess_launcher_unsetenv (launcher, "OZON_CLIENT_ID");
  g_subprocess_launcher_unsetenv (launcher, "OZON_API_KEY");
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("OZON_PUSH_CLI"),
                                         "status", "--product-id", "214365879", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, oip_test_on_ready, &result);
  g_assert_true (g_subprocess_communicate_utf8_finish (process, oip_test_wait (&result), &out, &err, &error));
  g_test_message ("stdout: %s\nstderr: %s", out, err);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpstr (oip_fake_ozon_last_request (fake, "/v2/product/pictures/info")->api_key, ==, TEST_API_KEY);
  g_assert_null (strstr (out, TEST_API_KEY));
  g_assert_null (strstr (err, TEST_API_KEY));
  remove_account (TEST_CLIENT_ID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_printerr ("No D-Bus session bus: skipping the keyring tests\n");
      return 77;
    }

  g_test_add_func ("/credentials/store-lookup-replace-remove", test_store_lookup_replace_remove);
  g_test_add_func ("/credentials/two-accounts", test_two_accounts);
  g_test_add_func ("/credentials/cli-uses-keyring", test_cli_uses_keyring);

  return g_test_run ();
}
