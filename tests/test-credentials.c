/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gio/gunixsocketaddress.h>

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

static void
remove_tree (const char *dir)
{
  const char *argv[] = { "rm", "-rf", dir, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

/* A D-Bus session of its own, with a gnome-keyring whose state the test
 * controls: locked, restarted without its password, stopped. */
typedef struct
{
  char        *dir;
  char        *address;
  char        *address_env;
  GSubprocess *bus;
  GSubprocess *keyring;
} Session;

/* The session's daemons die with the test, even when an assertion ends it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocessLauncher *
session_launcher (Session        *session,
                  GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_autofree char *data = g_build_filename (session->dir, "data", NULL);
  g_autofree char *run = g_build_filename (session->dir, "run", NULL);

  g_subprocess_launcher_setenv (launcher, "HOME", session->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", run, TRUE);
  if (session->address != NULL)
    g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", session->address, TRUE);
  return launcher;
}

static gboolean
name_has_owner (Session    *session,
                const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_dbus_connection_new_for_address_sync (
    session->address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "NameHasOwner", g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* gnome-keyring, unlocked with @password, or loaded locked from disk
 * (as after a restart without the login password) when it is %NULL. */
static void
session_start_keyring (Session    *session,
                       const char *password)
{
  g_autoptr(GSubprocessLauncher) launcher = session_launcher (session, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  if (password != NULL)
    session->keyring = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon", "--foreground",
                                                    "--components=secrets", "--unlock", NULL);
  else
    session->keyring = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon", "--foreground",
                                                    "--components=secrets", NULL);
  g_assert_no_error (error);
  if (password != NULL)
    g_output_stream_write_all (g_subprocess_get_stdin_pipe (session->keyring), password, strlen (password),
                               NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (session->keyring), NULL, NULL);
  while (!name_has_owner (session, "org.freedesktop.secrets"))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }
}

static void
session_stop_keyring (Session *session)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_force_exit (session->keyring);
  g_subprocess_wait (session->keyring, NULL, &error);
  g_clear_object (&session->keyring);
  while (name_has_owner (session, "org.freedesktop.secrets"))
    g_usleep (50 * 1000);
}

static Session *
session_new (void)
{
  Session *session = g_new0 (Session, 1);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *run = NULL;

  session->dir = g_dir_make_tmp ("oip-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  run = g_build_filename (session->dir, "run", NULL);
  g_assert_cmpint (g_mkdir (run, 0700), ==, 0);
  launcher = session_launcher (session, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  session->bus = g_subprocess_launcher_spawn (launcher, &error, "dbus-daemon", "--session", "--nofork",
                                              "--print-address=1", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (session->bus));
  session->address = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session->address);
  session->address_env = g_strconcat ("DBUS_SESSION_BUS_ADDRESS=", session->address, NULL);
  return session;
}

static void
session_free (Session *session)
{
  if (session->keyring != NULL)
    {
      kill (atoi (g_subprocess_get_identifier (session->keyring)), SIGCONT);
      g_subprocess_force_exit (session->keyring);
      g_subprocess_wait (session->keyring, NULL, NULL);
      g_object_unref (session->keyring);
    }
  g_subprocess_force_exit (session->bus);
  g_subprocess_wait (session->bus, NULL, NULL);
  g_object_unref (session->bus);
  remove_tree (session->dir);
  g_free (session->dir);
  g_free (session->address);
  g_free (session->address_env);
  g_free (session);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Session, session_free)

static void
session_lock (Session *session)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_dbus_connection_new_for_address_sync (
    session->address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);
  const char *collections[] = { "/org/freedesktop/secrets/aliases/default", NULL };
  g_autoptr(GVariant) reply = NULL;

  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "Lock",
                                       g_variant_new ("(@ao)", g_variant_new_objv (collections, -1)),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
}

typedef struct
{
  int    status;
  char  *out;
  char  *err;
  double seconds;
} CliRun;

static void
cli_run_clear (CliRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliRun, cli_run_clear)

/* Runs the command line against @session's bus, with the keyring's
 * timeout short so that a hang shows as a wrong error, not a stuck test. */
static void
run_on (Session     *session,
        CliRun      *run,
        const char  *stdin_text,
        const char **extra_env,
        const char  *first_arg,
        ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GPtrArray) env = g_ptr_array_new ();
  gint64 start = g_get_monotonic_time ();
  va_list ap;

  g_ptr_array_add (args, (gpointer) first_arg);
  va_start (ap, first_arg);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  g_ptr_array_add (env, session->address_env);
  g_ptr_array_add (env, "OZON_CLIENT_ID=");
  g_ptr_array_add (env, "OZON_API_KEY=");
  g_ptr_array_add (env, "OZON_PUSH_KEYRING_TIMEOUT=3");
  g_ptr_array_add (env, "OZON_API_URL=http://127.0.0.1:9");
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    g_ptr_array_add (env, (gpointer) extra_env[i]);
  g_ptr_array_add (env, NULL);

  run->status = oip_test_run_cli ((const char * const *) env->pdata, stdin_text, (const char * const *) args->pdata, &run->out, &run->err);
  run->seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("ozon-push %s: %.2f s", first_arg, run->seconds);
}

static void
assert_code (CliRun     *run,
             const char *code)
{
  g_autofree char *quoted = g_strdup_printf ("\"code\" : \"%s\"", code);

  g_assert_cmpint (run->status, ==, 1);
  g_assert_nonnull (strstr (run->out, quoted));
}

/* A locked keyring is said to be locked (not “credentials not
 * configured”, not an empty account list), at once, without a prompt. */
static void
test_cli_locked_keyring (void)
{
  g_autoptr(Session) session = session_new ();
  g_autofree char *picture = g_build_filename (session->dir, "p.jpg", NULL);
  const char *storage_env[] = { "AWS_ENDPOINT_URL=http://127.0.0.1:9", "AWS_ACCESS_KEY_ID=0123456789abcdef0123456789abcdef",
                                "OZON_PUSH_S3_BUCKET=photos", "OZON_PUSH_S3_PUBLIC_URL=https://pub.example.net",
                                "AWS_SECRET_ACCESS_KEY=", NULL };

  session_start_keyring (session, "test-password");
  {
    g_auto(CliRun) login = { 0 };
    g_auto(CliRun) accounts = { 0 };

    run_on (session, &login, "123456\n" TEST_API_KEY "\n", NULL, "login", "--no-check", NULL);
    g_assert_cmpint (login.status, ==, 0);
    run_on (session, &accounts, NULL, NULL, "accounts", NULL);
    g_assert_cmpint (accounts.status, ==, 0);
    g_assert_nonnull (strstr (accounts.out, "123456"));
  }

  g_assert_true (g_file_set_contents (picture, "\xff\xd8\xff", 3, NULL));
  for (guint round = 0; round < 2; round++)
    {
      g_auto(CliRun) accounts = { 0 };
      g_auto(CliRun) status = { 0 };
      g_auto(CliRun) login = { 0 };
      g_auto(CliRun) logout = { 0 };
      g_auto(CliRun) upload = { 0 };

      if (round == 0)
        {
          g_test_message ("locked over D-Bus");
          session_lock (session);
        }
      else
        {
          /* Restarted without the password: the keyring is loaded locked
           * from disk, and a search finds nothing in it at all. */
          g_test_message ("restarted locked");
          session_stop_keyring (session);
          session_start_keyring (session, NULL);
        }

      run_on (session, &accounts, NULL, NULL, "accounts", NULL);
      assert_code (&accounts, "keyring_locked");
      g_assert_nonnull (strstr (accounts.err, "locked"));
      g_assert_cmpfloat (accounts.seconds, <, 3);

      run_on (session, &status, NULL, NULL, "status", "--product-id", "214365879", NULL);
      assert_code (&status, "keyring_locked");
      g_assert_cmpfloat (status.seconds, <, 3);

      /* Saving would need the unlock prompt: refused at once instead. */
      run_on (session, &login, "777\nanother-key\n", NULL, "login", "--no-check", NULL);
      assert_code (&login, "keyring_locked");
      g_assert_cmpfloat (login.seconds, <, 3);

      run_on (session, &logout, NULL, NULL, "logout", "--client-id", "123456", NULL);
      assert_code (&logout, "keyring_locked");

      /* The storage secret, likewise. */
      run_on (session, &upload, NULL, storage_env, "upload", picture, NULL);
      assert_code (&upload, "keyring_locked");
      g_assert_cmpfloat (upload.seconds, <, 3);
    }
}

/* A keyring that never answers: a stopped daemon behind a live bus, and a
 * bus address where nothing ever replies. Every command ends in time. */
static void
test_cli_silent_keyring (void)
{
  g_autoptr(Session) session = session_new ();
  g_autoptr(GSocket) silent = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *silent_env = NULL;
  pid_t daemon;

  session_start_keyring (session, "test-password");
  daemon = atoi (g_subprocess_get_identifier (session->keyring));
  g_assert_cmpint (kill (daemon, SIGSTOP), ==, 0);

  {
    g_auto(CliRun) accounts = { 0 };
    g_auto(CliRun) status = { 0 };
    g_auto(CliRun) login = { 0 };

    run_on (session, &accounts, NULL, NULL, "accounts", NULL);
    assert_code (&accounts, "keyring_unavailable");
    g_assert_nonnull (strstr (accounts.out, "did not answer within 3 seconds"));
    g_assert_cmpfloat (accounts.seconds, <, 8);
    run_on (session, &status, NULL, NULL, "status", "--product-id", "214365879", NULL);
    g_assert_cmpint (status.status, ==, 1);
    g_assert_nonnull (strstr (status.out, "did not answer"));
    g_assert_cmpfloat (status.seconds, <, 8);
    run_on (session, &login, "123456\nk\n", NULL, "login", "--no-check", NULL);
    assert_code (&login, "keyring_unavailable");
    g_assert_cmpfloat (login.seconds, <, 8);
  }
  kill (daemon, SIGCONT);

  /* Accepts connections (the kernel does) and never says a word. */
  path = g_build_filename (session->dir, "silent-bus", NULL);
  silent = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  address = g_unix_socket_address_new (path);
  g_assert_true (g_socket_bind (silent, address, TRUE, &error));
  g_assert_true (g_socket_listen (silent, &error));
  g_free (session->address_env);
  session->address_env = g_strconcat ("DBUS_SESSION_BUS_ADDRESS=unix:path=", path, NULL);
  {
    g_auto(CliRun) accounts = { 0 };

    run_on (session, &accounts, NULL, NULL, "accounts", NULL);
    assert_code (&accounts, "keyring_unavailable");
    g_assert_cmpfloat (accounts.seconds, <, 8);
  }
}

/* OZON_API_KEY and AWS_SECRET_ACCESS_KEY leave the environment before
 * anything is spawned: here GLib's D-Bus autolaunch runs `dbus-launch`
 * (a real one starts a dbus-daemon that outlives the command), which is
 * replaced by a script that writes down the environment it got. */
static void
test_cli_env_secrets_not_inherited (void)
{
  g_autofree char *dir = g_dir_make_tmp ("oip-env-XXXXXX", NULL);
  g_autofree char *script = g_build_filename (dir, "dbus-launch", NULL);
  g_autofree char *seen = g_build_filename (dir, "child-environ", NULL);
  g_autofree char *runtime = g_build_filename (dir, "run", NULL);
  g_autofree char *path_env = g_strdup_printf ("PATH=%s:%s", dir, g_getenv ("PATH"));
  g_autofree char *seen_env = g_strconcat ("OIP_TEST_CHILD_ENVIRON=", seen, NULL);
  g_autofree char *runtime_env = g_strconcat ("XDG_RUNTIME_DIR=", runtime, NULL);
  const char *env[] = { "DBUS_SESSION_BUS_ADDRESS=", "DISPLAY=:77", path_env, seen_env, runtime_env,
                        "OZON_CLIENT_ID=123456", "OZON_API_KEY=" TEST_API_KEY,
                        "AWS_SECRET_ACCESS_KEY=aws-SECRET-0f1e2d3c4b5a", NULL };
  const char *accounts[] = { "accounts", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *environ_text = NULL;
  gsize length = 0;

  g_assert_cmpint (g_mkdir (runtime, 0700), ==, 0);
  g_assert_true (g_file_set_contents (script,
                                      "#!/bin/sh\n"
                                      "cat /proc/$$/environ > \"$OIP_TEST_CHILD_ENVIRON\"\n"
                                      "exit 1\n", -1, NULL));
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);

  g_assert_cmpint (oip_test_run_cli (env, NULL, accounts, &out, &err), ==, 1);
  /* A child was spawned, and it got neither secret. */
  g_assert_true (g_file_get_contents (seen, &environ_text, &length, NULL));
  for (gsize i = 0; i < length; i++)
    if (environ_text[i] == '\0')
      environ_text[i] = '\n';
  g_assert_nonnull (strstr (environ_text, "OIP_TEST_CHILD_ENVIRON="));
  g_assert_nonnull (strstr (environ_text, "OZON_CLIENT_ID=123456"));
  g_assert_null (strstr (environ_text, TEST_API_KEY));
  g_assert_null (strstr (environ_text, "aws-SECRET-0f1e2d3c4b5a"));
  g_assert_null (strstr (environ_text, "OZON_API_KEY"));
  g_assert_null (strstr (environ_text, "AWS_SECRET_ACCESS_KEY"));
  remove_tree (dir);
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

  g_test_add_func ("/credentials/store-lookup-replace-remove", test_store_lookup_replace_remove);
  g_test_add_func ("/credentials/two-accounts", test_two_accounts);
  g_test_add_func ("/credentials/cli-uses-keyring", test_cli_uses_keyring);
  g_test_add_func ("/credentials/list", test_list);
  g_test_add_func ("/credentials/cli-login-logout-accounts", test_cli_login_logout_accounts);
  g_test_add_func ("/credentials/cli-without-keyring", test_cli_without_keyring);
  g_test_add_func ("/credentials/cli-locked-keyring", test_cli_locked_keyring);
  g_test_add_func ("/credentials/cli-silent-keyring", test_cli_silent_keyring);
  g_test_add_func ("/credentials/cli-env-secrets-not-inherited", test_cli_env_secrets_not_inherited);

  return g_test_run ();
}
