/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "oip-application.h"
#include "oip-credentials.h"
#include "oip-error.h"
#include "oip-dialogs.h"
#include "oip-preferences-page.h"
#include "oip-settings.h"
#include "oip-storage-config.h"
#include "oip-test-gui.h"
#include "oip-test-util.h"
#include "oip-window.h"

/* Preferences as a seller uses them: no credentials (the main window says
 * so), a wrong key tested, the right one tested and saved in the real
 * keyring, the dialog reopened, the key removed. Ozon is the fake, reached
 * through OZON_API_URL as with the command line. */

static OipApplication *app;
static OipFakeOzon *fake;
static GString *log_text;

/* Every log message of the process, debug included, goes here too. */
static GLogWriterOutput
capture_log (GLogLevelFlags   level,
             const GLogField *fields,
             gsize            n_fields,
             gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      g_string_append_printf (log_text, "%s\n", (const char *) fields[i].value);
  /* Debug and info are only collected: standard output is TAP's. */
  if (level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static void
assert_no_key_in_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child_path = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (child_path, G_FILE_TEST_IS_DIR))
        assert_no_key_in_dir (child_path);
      else if (g_file_get_contents (child_path, &contents, &length, NULL))
        g_assert_null (g_strstr_len (contents, length, TEST_API_KEY));
    }
}

static gpointer
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (widget, type, name);

  g_assert_nonnull (object);
  return object;
}

static gboolean
banner_shown (gpointer window)
{
  return oip_window_is_banner_shown (window);
}

static gboolean
banner_hidden (gpointer window)
{
  return !oip_window_is_banner_shown (window);
}

static gboolean
idle_prefs (gpointer prefs)
{
  return !oip_preferences_page_is_busy (prefs);
}

static gboolean
prefs_shown (gpointer data)
{
  *(gpointer *) data = oip_test_gui_find_widget (OIP_TYPE_PREFERENCES_PAGE);
  return *(gpointer *) data != NULL;
}

static OipPreferencesPage *
open_preferences (void)
{
  OipPreferencesPage *prefs = NULL;

  /* From the app's action, as the menu and Ctrl+, do. It needs a window. */
  if (gtk_application_get_active_window (GTK_APPLICATION (app)) == NULL)
    g_application_activate (G_APPLICATION (app));
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  g_assert_true (oip_test_gui_wait_for (prefs_shown, &prefs));
  g_assert_true (oip_test_gui_wait_for (idle_prefs, prefs));
  return prefs;
}

static gboolean
prefs_gone (gpointer data)
{
  return oip_test_gui_find_widget (OIP_TYPE_PREFERENCES_PAGE) == NULL;
}

static void
close_preferences (OipPreferencesPage *prefs)
{
  oip_dialog_force_close (GTK_WIDGET (prefs));
  g_assert_true (oip_test_gui_wait_for (prefs_gone, NULL));
}

static void
run_action (OipPreferencesPage *prefs,
            const char           *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), action, NULL));
  g_assert_true (oip_test_gui_wait_for (idle_prefs, prefs));
  oip_test_gui_settle (100);
}

/* Remove asks first; the answer is @response. */
static void
remove_credentials (OipPreferencesPage *prefs,
                    const char         *response)
{
  GtkWidget *alert;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.remove", NULL));
  alert = oip_test_gui_wait_for_alert ();
  g_assert_true (oip_alert_has_response (alert, "cancel"));
  oip_test_gui_respond (alert, response);
  g_assert_true (oip_test_gui_wait_for (idle_prefs, prefs));
  oip_test_gui_settle (100);
}

static OipCredentials *
keyring_lookup (GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  oip_credentials_lookup_async (TEST_CLIENT_ID, NULL, oip_test_on_ready, &result);
  return oip_credentials_lookup_finish (oip_test_wait (&result), error);
}

static void
test_credentials_flow (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OipCredentials) stored = NULL;
  g_autoptr(GSettings) settings = oip_settings_new ();
  OipWindow *window;
  OipPreferencesPage *prefs;
  GtkEditable *client_id_row;
  GtkEditable *api_key_row;

  g_application_activate (G_APPLICATION (app));
  window = OIP_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);

  /* Nothing stored: the main window says so before anything is tried. */
  g_assert_true (oip_test_gui_wait_for (banner_shown, window));
  oip_test_gui_settle (300);
  oip_test_gui_screenshot (GTK_WIDGET (window), "main-window-no-credentials");

  prefs = open_preferences ();
  client_id_row = child (prefs, OIP_TYPE_PREFERENCES_PAGE, "client_id_row");
  api_key_row = child (prefs, OIP_TYPE_PREFERENCES_PAGE, "api_key_row");
  g_assert_cmpstr (gtk_editable_get_text (client_id_row), ==, "");

  /* A wrong key, tested: Ozon's refusal in the seller's words. */
  gtk_editable_set_text (client_id_row, TEST_CLIENT_ID);
  gtk_editable_set_text (api_key_row, "not-the-key");
  run_action (prefs, "prefs.test");
  g_assert_nonnull (strstr (oip_preferences_page_get_status (prefs), _("Ozon did not accept the Client ID or API Key")));
  g_assert_nonnull (strstr (oip_preferences_page_get_status (prefs), _("Check the Client ID and API Key in your Ozon seller account.")));

  /* The right one. */
  gtk_editable_set_text (api_key_row, TEST_API_KEY);
  run_action (prefs, "prefs.test");
  g_assert_nonnull (strstr (oip_preferences_page_get_status (prefs), "3"));
  g_assert_null (strstr (oip_preferences_page_get_status (prefs), TEST_API_KEY));
  g_assert_cmpstr (oip_fake_ozon_last_request (fake, "/v3/product/list")->api_key, ==, TEST_API_KEY);
  oip_test_gui_settle (300);
  oip_test_gui_screenshot_window_of (GTK_WIDGET (prefs), "preferences");

  run_action (prefs, "prefs.save");
  stored = keyring_lookup (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->api_key, ==, TEST_API_KEY);
  g_assert_cmpstr (g_settings_get_string (settings, "current-client-id"), ==, TEST_CLIENT_ID);
  g_assert_true (oip_test_gui_wait_for (banner_hidden, window));

  /* Push settings are GSettings, bound both ways. */
  gtk_spin_button_set_value (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "timeout_spin"), 45);
  g_assert_cmpuint (g_settings_get_uint (settings, "timeout"), ==, 45);
  g_settings_set_boolean (settings, "validate-urls", FALSE);
  g_assert_false (gtk_switch_get_active (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "validate_switch")));
  g_settings_reset (settings, "timeout");
  g_settings_reset (settings, "validate-urls");

  /* Reopened, the values come back from the keyring. */
  close_preferences (prefs);
  prefs = open_preferences ();
  g_assert_cmpstr (gtk_editable_get_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "client_id_row")), ==, TEST_CLIENT_ID);
  g_assert_cmpstr (gtk_editable_get_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "api_key_row")), ==, TEST_API_KEY);

  /* Remove asks first: cancelled, nothing is deleted. */
  remove_credentials (prefs, "cancel");
  g_clear_pointer (&stored, oip_credentials_free);
  stored = keyring_lookup (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->api_key, ==, TEST_API_KEY);

  /* Removed: gone from the keyring, and the window says so again. */
  remove_credentials (prefs, "remove");
  g_clear_pointer (&stored, oip_credentials_free);
  stored = keyring_lookup (&error);
  g_assert_null (stored);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_CREDENTIALS_MISSING);
  g_assert_true (oip_test_gui_wait_for (banner_shown, window));
  g_assert_cmpstr (g_settings_get_string (settings, "current-client-id"), ==, "");

  close_preferences (prefs);
  gtk_window_destroy (GTK_WINDOW (window));
  oip_test_gui_settle (100);
}

static void
test_gui_and_cli_share_the_keyring (void)
{
  g_autofree char *url = g_strconcat ("OZON_API_URL=", oip_fake_ozon_get_base_url (fake), NULL);
  const char *env[] = { url, "OZON_CLIENT_ID=", "OZON_API_KEY=", NULL };
  const char *status[] = { "status", "--product-id", "214365879", NULL };
  const char *login[] = { "login", "--client-id", TEST_CLIENT_ID, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  OipPreferencesPage *prefs;

  /* Saved in the GUI, used by a script. */
  prefs = open_preferences ();
  gtk_editable_set_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "client_id_row"), TEST_CLIENT_ID);
  gtk_editable_set_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "api_key_row"), TEST_API_KEY);
  run_action (prefs, "prefs.save");
  close_preferences (prefs);
  g_assert_cmpint (oip_test_run_cli (env, NULL, status, &out, &err), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Removed in the GUI, then saved by the script: the GUI finds it. */
  prefs = open_preferences ();
  remove_credentials (prefs, "remove");
  close_preferences (prefs);
  g_assert_cmpint (oip_test_run_cli (env, TEST_API_KEY "\n", login, &out, &err), ==, 0);
  prefs = open_preferences ();
  g_assert_cmpstr (gtk_editable_get_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "api_key_row")), ==, TEST_API_KEY);
  remove_credentials (prefs, "remove");
  close_preferences (prefs);

  /* Nothing the app logged or wrote holds the key. */
  g_assert_cmpuint (log_text->len, >, 0);
  g_assert_null (strstr (log_text->str, TEST_API_KEY));
  assert_no_key_in_dir (g_get_user_data_dir ());
  assert_no_key_in_dir (g_get_user_cache_dir ());
  assert_no_key_in_dir (g_get_user_config_dir ());
}

static void
test_storage (void)
{
  OipTestS3 *s3 = oip_test_s3_start ("AKIASTORAGETEST00001", "storage-secret-for-the-test", "bucket-1");
  g_autoptr(GSettings) settings = oip_settings_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(OipStorageConfig) loaded = NULL;
  g_autoptr(GError) error = NULL;
  OipPreferencesPage *prefs;
  GtkLabel *status;

  if (s3 == NULL)
    {
      g_test_skip ("Node.js with the aws4 package is not installed");
      return;
    }

  prefs = open_preferences ();
  status = child (prefs, OIP_TYPE_PREFERENCES_PAGE, "storage_status_label");
  gtk_editable_set_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "endpoint_row"), s3->endpoint);
  gtk_editable_set_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "region_row"), "auto");
  gtk_editable_set_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "bucket_row"), "bucket-1");
  gtk_editable_set_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "public_url_row"), s3->public_url);
  gtk_editable_set_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "access_key_row"), "AKIASTORAGETEST00001");

  /* A wrong secret: the storage's refusal, in words. */
  gtk_editable_set_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "secret_row"), "wrong");
  run_action (prefs, "prefs.test-storage");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status), "error"));
  g_assert_nonnull (strstr (gtk_label_get_text (status), "SignatureDoesNotMatch"));

  gtk_editable_set_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "secret_row"), "storage-secret-for-the-test");
  run_action (prefs, "prefs.test-storage");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status), "success"));
  oip_test_gui_settle (200);
  oip_test_gui_screenshot_window_of (GTK_WIDGET (prefs), "preferences-storage");

  run_action (prefs, "prefs.save-storage");
  g_assert_cmpstr (g_settings_get_string (settings, "storage-bucket"), ==, "bucket-1");
  close_preferences (prefs);

  /* What the app will upload with: settings, and the secret from the keyring. */
  oip_storage_config_load_async (NULL, oip_test_on_ready, &result);
  loaded = oip_storage_config_load_finish (oip_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->secret_access_key, ==, "storage-secret-for-the-test");
  g_assert_cmpstr (loaded->endpoint, ==, s3->endpoint);

  prefs = open_preferences ();
  oip_test_gui_settle (300);
  g_assert_cmpstr (gtk_editable_get_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "secret_row")), ==,
                   "storage-secret-for-the-test");
  close_preferences (prefs);
  g_assert_null (strstr (log_text->str, "storage-secret-for-the-test"));
  oip_test_s3_stop (s3);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  oip_test_gui_init (&argc, &argv);
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_print ("1..0 # SKIP no D-Bus session bus for the keyring\n");
      return 0;
    }

  log_text = g_string_new (NULL);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_log_set_writer_func (capture_log, NULL, NULL);
  fake = oip_test_fake_new ();
  g_setenv ("OZON_API_URL", oip_fake_ozon_get_base_url (fake), TRUE);
  app = oip_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));

  g_test_add_func ("/preferences/credentials-flow", test_credentials_flow);
  g_test_add_func ("/preferences/gui-and-cli-share-the-keyring", test_gui_and_cli_share_the_keyring);
  g_test_add_func ("/preferences/storage", test_storage);
  status = g_test_run ();

  g_application_quit (G_APPLICATION (app));
  g_clear_object (&app);
  g_clear_object (&fake);
  return status;
}
