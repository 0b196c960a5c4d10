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
/* Every log message of the process, debug included. */
static GString *log_text;
#define CAPTURE_CHECK "test-preferences: debug messages are captured"

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

  /* With the banner, the window still takes 360 pixels. */
  {
    int minimum = 0;

    gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
    oip_test_gui_settle (300);
    gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
    if (minimum > 360)
      oip_test_gui_explain_width (GTK_WIDGET (window), 350);
    g_assert_cmpint (minimum, <=, 360);
    oip_test_gui_screenshot (GTK_WIDGET (window), "main-window-360-banner");
    gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  }

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

  /* Nothing the app logged or wrote holds the key (and the capture works:
   * it has the debug message main() logged, whatever the libraries log). */
  g_assert_nonnull (strstr (log_text->str, CAPTURE_CHECK));
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


static void
test_save_after_failed_test_asks (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OipCredentials) stored = NULL;
  OipPreferencesPage *prefs = open_preferences ();
  GtkWidget *alert;

  gtk_editable_set_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "client_id_row"), TEST_CLIENT_ID);
  gtk_editable_set_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "api_key_row"), "not-the-key-either");
  run_action (prefs, "prefs.test");

  /* Saving what just failed asks first; Cancel stores nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.save", NULL));
  alert = oip_test_gui_wait_for_alert ();
  g_assert_true (oip_alert_has_response (alert, "save"));
  g_assert_nonnull (strstr (oip_alert_get_body (alert), _("Ozon did not accept the Client ID or API Key")));
  oip_test_gui_settle (300);
  oip_test_gui_screenshot_window_of (alert, "preferences-save-anyway");
  oip_test_gui_respond (alert, "cancel");
  stored = keyring_lookup (&error);
  g_assert_null (stored);
  g_clear_error (&error);

  /* Save Anyway does. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.save", NULL));
  alert = oip_test_gui_wait_for_alert ();
  oip_test_gui_respond (alert, "save");
  g_assert_true (oip_test_gui_wait_for (idle_prefs, prefs));
  stored = keyring_lookup (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->api_key, ==, "not-the-key-either");
  remove_credentials (prefs, "remove");
  close_preferences (prefs);
}

static gboolean
prefs_open (gpointer data)
{
  return oip_test_gui_find_widget (OIP_TYPE_PREFERENCES_PAGE) != NULL;
}

static void
test_close_with_unsaved_credentials_asks (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OipCredentials) stored = NULL;
  OipPreferencesPage *prefs = open_preferences ();
  GtkWidget *alert;

  gtk_editable_set_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "client_id_row"), TEST_CLIENT_ID);
  gtk_editable_set_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "api_key_row"), TEST_API_KEY);
  g_assert_true (oip_preferences_page_has_unsaved_credentials (prefs));

  /* Closed (Esc, ×): asked; Cancel keeps Preferences open with the text. */
  oip_dialog_close (GTK_WIDGET (prefs));
  alert = oip_test_gui_wait_for_alert ();
  oip_test_gui_settle (300);
  oip_test_gui_screenshot_window_of (alert, "preferences-unsaved");
  oip_test_gui_respond (alert, "cancel");
  oip_test_gui_settle (200);
  g_assert_true (prefs_open (NULL));
  g_assert_cmpstr (gtk_editable_get_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "api_key_row")), ==, TEST_API_KEY);

  /* Discard: closed, nothing stored. */
  oip_dialog_close (GTK_WIDGET (prefs));
  alert = oip_test_gui_wait_for_alert ();
  oip_test_gui_respond (alert, "discard");
  g_assert_true (oip_test_gui_wait_for (prefs_gone, NULL));
  stored = keyring_lookup (&error);
  g_assert_null (stored);
}

static gboolean
expander_shown (gpointer data)
{
  *(gpointer *) data = oip_test_gui_find_widget (GTK_TYPE_EXPANDER);
  return *(gpointer *) data != NULL;
}

static void
test_credential_errors_offer_preferences (void)
{
  OipWindow *window;
  GtkWidget *alert;
  GtkExpander *details = NULL;
  g_autoptr(GError) refused = g_error_new_literal (OIP_ERROR, OIP_ERROR_INVALID_API_KEY,
                                                   _("Ozon did not accept the Client ID or API Key"));

  g_application_activate (G_APPLICATION (app));
  window = OIP_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));

  /* No credentials: what to do, in the window's words, and the way there. */
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (window), OIP_TYPE_WINDOW, "id_row")), "ART-1001");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.download", NULL));
  alert = oip_test_gui_wait_for_alert ();
  g_assert_true (oip_alert_has_response (alert, "preferences"));
  g_assert_null (strstr (oip_alert_get_body (alert), "ozon-push"));
  oip_test_gui_settle (300);
  oip_test_gui_screenshot_window_of (alert, "error-no-credentials");
  oip_test_gui_respond (alert, "preferences");
  g_assert_true (oip_test_gui_wait_for (prefs_open, NULL));
  close_preferences (oip_test_gui_find_widget (OIP_TYPE_PREFERENCES_PAGE));

  /* A refused key: Ozon's own words under Details, not in the sentence. */
  oip_error_set_ozon_details (refused, 403, "Api-key is deactivated");
  oip_window_show_error (window, refused);
  alert = oip_test_gui_wait_for_alert ();
  g_assert_null (strstr (oip_alert_get_heading (alert), "HTTP"));
  g_assert_null (strstr (oip_alert_get_body (alert), "HTTP"));
  g_assert_true (oip_alert_has_response (alert, "preferences"));
  g_assert_true (oip_test_gui_wait_for (expander_shown, &details));
  gtk_expander_set_expanded (details, TRUE);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (gtk_expander_get_child (details))), "Api-key is deactivated"));
  oip_test_gui_settle (300);
  oip_test_gui_screenshot_window_of (alert, "error-refused-key");
  oip_test_gui_respond (alert, "close");
  gtk_window_destroy (GTK_WINDOW (window));
  oip_test_gui_settle (100);
}

/* The demo with a seller's real credentials in the keyring: it shows none
 * of them, and cannot delete them. */
static void
test_demo_is_isolated (void)
{
  const char *real_id = "2871045";
  const char *real_key = "0b9a7c21-4d3e-4f8a-9c6b-2e1d5f7a8b90";
  g_autoptr(OipCredentials) real = oip_credentials_new (real_id, real_key);
  g_autoptr(OipCredentials) stored = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) real_settings = g_settings_new (OIP_SETTINGS_SCHEMA_ID);
  g_autoptr(OipApplication) demo = oip_application_new ();
  OipPreferencesPage *prefs = NULL;
  GtkLabel *note;

  oip_credentials_store_async (real, NULL, oip_test_on_ready, &result);
  g_assert_true (oip_credentials_store_finish (oip_test_wait (&result), &error));
  g_assert_no_error (error);
  g_settings_set_string (real_settings, "current-client-id", real_id);

  /* A second app in this process: it needs its own bus path. */
  g_application_set_application_id (G_APPLICATION (demo), "io.github.ozonpush.OzonImagePush.DemoTest");
  oip_application_set_demo (demo);
  g_assert_true (g_application_register (G_APPLICATION (demo), NULL, &error));
  g_application_activate (G_APPLICATION (demo));
  g_action_group_activate_action (G_ACTION_GROUP (demo), "preferences", NULL);
  g_assert_true (oip_test_gui_wait_for (prefs_shown, &prefs));
  g_assert_true (oip_test_gui_wait_for (idle_prefs, prefs));

  /* The demo's own credentials, and it says which it accepts. */
  g_assert_cmpstr (gtk_editable_get_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "client_id_row")), ==, OIP_DEMO_CLIENT_ID);
  g_assert_cmpstr (gtk_editable_get_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "api_key_row")), ==, OIP_DEMO_API_KEY);
  note = child (prefs, OIP_TYPE_PREFERENCES_PAGE, "demo_label");
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (note)));
  g_assert_nonnull (strstr (gtk_label_get_text (note), OIP_DEMO_API_KEY));
  oip_test_gui_settle (300);
  oip_test_gui_screenshot_window_of (GTK_WIDGET (prefs), "preferences-demo");

  /* Saved and removed in the demo: the keyring never sees it. */
  gtk_editable_set_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "client_id_row"), real_id);
  gtk_editable_set_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "api_key_row"), "typed-in-the-demo");
  run_action (prefs, "prefs.save");
  remove_credentials (prefs, "remove");
  g_assert_cmpstr (gtk_editable_get_text (child (prefs, OIP_TYPE_PREFERENCES_PAGE, "client_id_row")), ==, "");
  close_preferences (prefs);

  g_clear_object (&result);
  oip_credentials_lookup_async (real_id, NULL, oip_test_on_ready, &result);
  stored = oip_credentials_lookup_finish (oip_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->api_key, ==, real_key);
  g_assert_cmpstr (g_settings_get_string (real_settings, "current-client-id"), ==, real_id);

  g_application_quit (G_APPLICATION (demo));
  {
    GList *windows = gtk_application_get_windows (GTK_APPLICATION (demo));

    while (windows != NULL)
      {
        GList *next = windows->next;

        gtk_window_destroy (windows->data);
        windows = next;
      }
  }
  oip_test_gui_settle (100);
  g_clear_object (&result);
  oip_credentials_remove_async (real_id, NULL, oip_test_on_ready, &result);
  g_assert_true (oip_credentials_remove_finish (oip_test_wait (&result), NULL));
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
  oip_test_gui_capture_log (log_text);
  g_debug (CAPTURE_CHECK);
  fake = oip_test_fake_new ();
  g_setenv ("OZON_API_URL", oip_fake_ozon_get_base_url (fake), TRUE);
  app = oip_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));

  g_test_add_func ("/preferences/credentials-flow", test_credentials_flow);
  g_test_add_func ("/preferences/gui-and-cli-share-the-keyring", test_gui_and_cli_share_the_keyring);
  g_test_add_func ("/preferences/storage", test_storage);
  g_test_add_func ("/preferences/save-after-failed-test-asks", test_save_after_failed_test_asks);
  g_test_add_func ("/preferences/close-with-unsaved-credentials-asks", test_close_with_unsaved_credentials_asks);
  g_test_add_func ("/preferences/credential-errors-offer-preferences", test_credential_errors_offer_preferences);
  /* Last: the demo's settings backend is the process's from then on. */
  g_test_add_func ("/preferences/demo-is-isolated", test_demo_is_isolated);
  status = g_test_run ();

  g_application_quit (G_APPLICATION (app));
  g_clear_object (&app);
  g_clear_object (&fake);
  return status;
}
