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

static void
test_list (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_auto(GStrv) ids = NULL;

  store ("555", "k5");
  store ("444", "k4");
  oip_credentials_list_async (NULL, oip_test_on_ready, &result);
  ids = oip_credentials_list_finish (oip_test_wait (&result), NULL);
  g_assert_nonnull (ids);
  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  g_assert_cmpstr (ids[0], ==, "444");
  g_assert_cmpstr (ids[1], ==, "555");
  remove_account ("444");
  remove_account ("555");
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_parser_steal_root (parser);
}

static void
test_cli_login_logout_accounts (void)
{
  g_autoptr(OipFakeOzon) fake = oip_test_fake_new ();
  g_autofree char *url = g_strconcat ("OZON_API_URL=", oip_fake_ozon_get_base_url (fake), NULL);
  const char *env[] = { url, "OZON_CLIENT_ID=", "OZON_API_KEY=", NULL };
  const char *login[] = { "login", "--client-id", TEST_CLIENT_ID, NULL };
  const char *login_prompted[] = { "login", "--no-check", NULL };
  const char *accounts[] = { "accounts", NULL };
  const char *status[] = { "status", "--product-id", "214365879", NULL };
  const char *logout[] = { "logout", "--client-id", TEST_CLIENT_ID, NULL };
  const char *logout_other[] = { "logout", "--client-id", "777", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *list;

  /* A key Ozon refuses is not kept. */
  g_assert_cmpint (oip_test_run_cli (env, "wrong-key\n", login, &out, &err), ==, 1);
  g_assert_nonnull (strstr (out, "invalid_api_key"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (oip_test_run_cli (env, NULL, accounts, &out, &err), ==, 0);
  node = parse (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 0);
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A good one is checked (one call to Ozon), stored, and used by others. */
  g_assert_cmpint (oip_test_run_cli (env, TEST_API_KEY "\n", login, &out, &err), ==, 0);
  node = parse (out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "products"), ==, 3);
  g_assert_cmpstr (oip_fake_ozon_last_request (fake, "/v3/product/list")->api_key, ==, TEST_API_KEY);
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (oip_test_run_cli (env, NULL, status, &out, &err), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Client ID and key both from standard input, unchecked. */
  g_assert_cmpint (oip_test_run_cli (env, "777\nanother-key\n", login_prompted, &out, &err), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (oip_test_run_cli (env, NULL, accounts, &out, &err), ==, 0);
  node = parse (out);
  list = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "client_id"), ==, TEST_CLIENT_ID);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 1), "client_id"), ==, "777");
  g_assert_null (strstr (out, "another-key"));
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (oip_test_run_cli (env, NULL, logout, &out, &err), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (oip_test_run_cli (env, NULL, logout_other, &out, &err), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (oip_test_run_cli (env, NULL, status, &out, &err), ==, 1);
  g_assert_nonnull (strstr (out, "credentials_missing"));
}

static void
test_cli_without_keyring (void)
{
  const char *env[] = { "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus", "DISPLAY=", NULL };
  const char *accounts[] = { "accounts", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (oip_test_run_cli (env, NULL, accounts, &out, &err), ==, 1);
  g_assert_nonnull (strstr (out, "\"keyring_unavailable\""));
  g_assert_nonnull (strstr (err, "keyring"));
}

int
main (int   argc,
      char *argv[])
{
  oip_test_init (&argc, &argv);

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_print ("1..0 # SKIP no D-Bus session bus for the keyring\n");
      return 0;
    }

  oip_test_add_func ("/credentials/store-lookup-replace-remove", test_store_lookup_replace_remove);
  oip_test_add_func ("/credentials/two-accounts", test_two_accounts);
  oip_test_add_func ("/credentials/cli-uses-keyring", test_cli_uses_keyring);
  oip_test_add_func ("/credentials/list", test_list);
  oip_test_add_func ("/credentials/cli-login-logout-accounts", test_cli_login_logout_accounts);
  oip_test_add_func ("/credentials/cli-without-keyring", test_cli_without_keyring);

  return g_test_run ();
}
