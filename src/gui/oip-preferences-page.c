/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "oip-credentials.h"
#include "oip-dialogs.h"
#include "oip-error.h"
#include "oip-gui-error.h"
#include "oip-preferences-page.h"
#include "oip-s3-client.h"
#include "oip-settings.h"
#include "oip-storage-config.h"
#include "oip-widget-util.h"

/**
 * OipPreferencesPage:
 *
 * The seed's SettingsModal, the desktop way: the Ozon Client ID and API
 * Key, kept in the system keyring (saved, tested against Ozon with a cheap
 * call, removed), and the push settings, bound to GSettings. A keyring that
 * cannot be reached is said plainly; the push settings still work.
 *
 * Nothing is lost or deleted silently: Remove asks first, Save after a
 * failed test asks first, and closing with credentials typed but not saved
 * asks first. In the demo, the credentials and the storage are the demo's
 * own, and the page says which credentials the demo accepts.
 *
 * It is the content of a preferences dialog (see oip-dialogs.h).
 */
struct _OipPreferencesPage
{
  AdwPreferencesPage    parent_instance;

  AdwPreferencesGroup  *demo_group;
  GtkLabel             *demo_label;

  AdwEntryRow          *client_id_row;
  AdwPasswordEntryRow  *api_key_row;
  GtkSpinner           *spinner;
  GtkLabel             *status_label;
  GtkSpinButton        *timeout_spin;
  GtkSpinButton        *retries_spin;
  GtkSwitch            *validate_switch;
  AdwEntryRow          *endpoint_row;
  AdwEntryRow          *region_row;
  AdwEntryRow          *bucket_row;
  AdwEntryRow          *public_url_row;
  AdwEntryRow          *prefix_row;
  AdwEntryRow          *access_key_row;
  AdwPasswordEntryRow  *secret_row;
  GtkLabel             *storage_status_label;

  OipApplication       *application;
  GSettings            *settings;
  GCancellable         *cancellable;
  guint                 busy;
  gboolean              keyring_ok;
  gboolean              loaded;
  gboolean              close_after_save;
  char                 *saved_client_id;   /* as stored, "" when none */
  char                 *saved_api_key;
  char                 *failed_client_id;  /* the last test failed with these */
  char                 *failed_api_key;
  char                 *failed_status;
};

G_DEFINE_FINAL_TYPE (OipPreferencesPage, oip_preferences_page, ADW_TYPE_PREFERENCES_PAGE)

static void store_credentials (OipPreferencesPage *self);

static char *
row_text (gpointer row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
update_actions (OipPreferencesPage *self)
{
  g_autofree char *client_id = row_text (self->client_id_row);
  g_autofree char *api_key = row_text (self->api_key_row);
  gboolean complete = *client_id != '\0' && *api_key != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.save", !self->busy && complete && self->keyring_ok);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.test", !self->busy && complete);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.remove", !self->busy && *client_id != '\0' && self->keyring_ok);
}

static void
set_busy (OipPreferencesPage *self,
          gboolean              busy)
{
  self->busy += busy ? 1 : -1;
  gtk_spinner_set_spinning (self->spinner, self->busy > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy > 0);
  update_actions (self);
}

static void
show_status (OipPreferencesPage *self,
             const char           *text,
             gboolean              is_error)
{
  gtk_label_set_text (self->status_label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "success");
  if (text != NULL && *text != '\0')
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), is_error ? "error" : "success");
}

static void
show_error (OipPreferencesPage *self,
            const GError       *error)
{
  g_autofree char *text = NULL;
  g_autofree char *details = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  text = g_strdup_printf ("%s\n%s", error->message, oip_gui_error_hint (error));
  show_status (self, text, TRUE);
  /* Ozon's own words, for a support request: not the sentence itself. */
  details = oip_gui_error_details (error);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), details);
}

static void
toast (OipPreferencesPage *self,
       const char         *text)
{
  oip_dialog_add_toast (GTK_WIDGET (self), adw_toast_new (text));
}

static void
remember_saved (OipPreferencesPage *self,
                const char         *client_id,
                const char         *api_key)
{
  g_free (self->saved_client_id);
  g_free (self->saved_api_key);
  self->saved_client_id = g_strdup (client_id);
  self->saved_api_key = g_strdup (api_key);
}

static void
forget_failure (OipPreferencesPage *self)
{
  g_clear_pointer (&self->failed_client_id, g_free);
  g_clear_pointer (&self->failed_api_key, g_free);
  g_clear_pointer (&self->failed_status, g_free);
}

static void
on_lookup (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OipPreferencesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipCredentials) credentials = NULL;

  credentials = oip_application_lookup_credentials_finish (OIP_APPLICATION (source), result, &error);
  set_busy (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (credentials != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), credentials->client_id);
      gtk_editable_set_text (GTK_EDITABLE (self->api_key_row), credentials->api_key);
      remember_saved (self, credentials->client_id, credentials->api_key);
    }
  else if (g_error_matches (error, OIP_ERROR, OIP_ERROR_KEYRING_UNAVAILABLE) ||
           g_error_matches (error, OIP_ERROR, OIP_ERROR_KEYRING_LOCKED))
    {
      self->keyring_ok = FALSE;
      show_error (self, error);
    }
  self->loaded = TRUE;
  update_actions (self);
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OipPreferencesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = row_text (self->client_id_row);
  g_autofree char *api_key = row_text (self->api_key_row);

  set_busy (self, FALSE);
  if (!oip_application_store_credentials_finish (OIP_APPLICATION (source), result, &error))
    {
      self->close_after_save = FALSE;
      show_error (self, error);
      return;
    }

  remember_saved (self, client_id, api_key);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "current-client-id", client_id);
  show_status (self, "", FALSE);
  toast (self, oip_application_is_demo (self->application) ? _("Saved in the demo") : _("Saved in the keyring"));
  g_signal_emit_by_name (self->application, "credentials-changed");
  if (self->close_after_save)
    oip_dialog_force_close (GTK_WIDGET (self));
}

static void
store_credentials (OipPreferencesPage *self)
{
  g_autofree char *client_id = row_text (self->client_id_row);
  g_autofree char *api_key = row_text (self->api_key_row);
  g_autoptr(OipCredentials) credentials = oip_credentials_new (client_id, api_key);

  set_busy (self, TRUE);
  oip_application_store_credentials_async (self->application, credentials, self->cancellable,
                                           on_stored, g_object_ref (self));
}

static gboolean
typed_failed_test (OipPreferencesPage *self)
{
  g_autofree char *client_id = row_text (self->client_id_row);
  g_autofree char *api_key = row_text (self->api_key_row);

  return self->failed_client_id != NULL &&
         g_str_equal (client_id, self->failed_client_id) &&
         g_str_equal (api_key, self->failed_api_key);
}

static void
on_save_anyway (GtkWidget          *alert,
                const char         *response,
                OipPreferencesPage *self)
{
  if (g_str_equal (response, "save"))
    store_credentials (self);
  else
    self->close_after_save = FALSE;
}

/* Saves what is typed; credentials that just failed their test are only
 * saved when the seller says so. */
static void
request_save (OipPreferencesPage *self)
{
  g_autofree char *body = NULL;
  GtkWidget *alert;

  if (!typed_failed_test (self))
    {
      store_credentials (self);
      return;
    }

  /* Translators: %s is why the test failed, e.g. “Ozon did not accept the Client ID or API Key” */
  body = g_strdup_printf (_("The last test with this Client ID and API Key failed: %s"), self->failed_status);
  alert = oip_alert_new (_("Save Credentials That Failed the Test?"), body);
  oip_alert_add_response (alert, "cancel", _("_Cancel"), ADW_RESPONSE_DEFAULT);
  oip_alert_add_response (alert, "save", _("Save _Anyway"), ADW_RESPONSE_DESTRUCTIVE);
  oip_alert_set_default_response (alert, "cancel");
  oip_alert_set_close_response (alert, "cancel");
  oip_alert_present (alert, GTK_WIDGET (self), (OipAlertFunc) on_save_anyway, self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  request_save (OIP_PREFERENCES_PAGE (widget));
}

/* What a connection test tried, so that saving exactly that can ask. */
typedef struct
{
  OipPreferencesPage *self;
  char               *client_id;
  char               *api_key;
} TestData;

static void
test_data_free (TestData *data)
{
  g_object_unref (data->self);
  g_free (data->client_id);
  g_free (data->api_key);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestData, test_data_free)

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TestData) tested = user_data;
  OipPreferencesPage *self = tested->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *count = NULL;
  gint64 products;

  products = oip_ozon_client_check_access_finish (OIP_OZON_CLIENT (source), result, &error);
  set_busy (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  forget_failure (self);
  if (products < 0)
    {
      /* Kept, so that saving exactly these asks first. */
      self->failed_client_id = g_strdup (tested->client_id);
      self->failed_api_key = g_strdup (tested->api_key);
      self->failed_status = g_strdup (error->message);
      show_error (self, error);
      return;
    }

  count = g_strdup_printf ("%" G_GINT64_FORMAT, products);
  /* Translators: %s is a number of products */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Connected to Ozon: the account has %s product.",
                                       "Connected to Ozon: the account has %s products.",
                                       (gulong) products),
                          count);
  show_status (self, text, FALSE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), NULL);
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OipPreferencesPage *self = OIP_PREFERENCES_PAGE (widget);
  g_autofree char *client_id = row_text (self->client_id_row);
  g_autofree char *api_key = row_text (self->api_key_row);
  g_autoptr(GError) error = NULL;
  g_autoptr(OipOzonClient) client = oip_application_create_client (self->application, client_id, api_key, &error);
  TestData *data;

  if (client == NULL)
    {
      show_error (self, error);
      return;
    }

  data = g_new0 (TestData, 1);
  data->self = g_object_ref (self);
  data->client_id = g_steal_pointer (&client_id);
  data->api_key = g_steal_pointer (&api_key);
  set_busy (self, TRUE);
  show_status (self, _("Connecting to Ozon…"), FALSE);
  oip_ozon_client_check_access_async (client, self->cancellable, on_checked, data);
}

static void
on_removed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OipPreferencesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = row_text (self->client_id_row);
  g_autofree char *current = NULL;

  set_busy (self, FALSE);
  if (!oip_application_remove_credentials_finish (OIP_APPLICATION (source), result, &error))
    {
      show_error (self, error);
      return;
    }

  if (self->settings != NULL)
    {
      current = g_settings_get_string (self->settings, "current-client-id");
      if (g_strcmp0 (current, client_id) == 0)
        g_settings_set_string (self->settings, "current-client-id", "");
    }
  remember_saved (self, "", "");
  gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->api_key_row), "");
  show_status (self, "", FALSE);
  toast (self, oip_application_is_demo (self->application) ? _("Removed from the demo") : _("Removed from the keyring"));
  g_signal_emit_by_name (self->application, "credentials-changed");
}

static void
on_remove_answer (GtkWidget          *alert,
                  const char         *response,
                  OipPreferencesPage *self)
{
  g_autofree char *client_id = row_text (self->client_id_row);

  if (!g_str_equal (response, "remove") || *client_id == '\0')
    return;
  set_busy (self, TRUE);
  oip_application_remove_credentials_async (self->application, client_id, self->cancellable,
                                            on_removed, g_object_ref (self));
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OipPreferencesPage *self = OIP_PREFERENCES_PAGE (widget);
  g_autofree char *client_id = row_text (self->client_id_row);
  g_autofree char *body = NULL;
  GtkWidget *alert;

  /* Deleting a key cannot be undone: always ask. */
  if (oip_application_is_demo (self->application))
    body = g_strdup_printf (_("The demo forgets the API Key of Client ID %s. Your system keyring is not touched."),
                            client_id);
  else
    body = g_strdup_printf (_("The API Key of Client ID %s is deleted from the system keyring. "
                              "Downloading and pushing need it again afterwards."), client_id);
  alert = oip_alert_new (_("Remove the Credentials?"), body);
  oip_alert_add_response (alert, "cancel", _("_Cancel"), ADW_RESPONSE_DEFAULT);
  oip_alert_add_response (alert, "remove", _("_Remove"), ADW_RESPONSE_DESTRUCTIVE);
  oip_alert_set_default_response (alert, "cancel");
  oip_alert_set_close_response (alert, "cancel");
  oip_alert_present (alert, GTK_WIDGET (self), (OipAlertFunc) on_remove_answer, self);
}

static OipStorageConfig *
storage_from_rows (OipPreferencesPage *self)
{
  OipStorageConfig *config = oip_storage_config_new ();

  g_free (config->region);
  g_free (config->prefix);
  config->endpoint = row_text (self->endpoint_row);
  config->region = row_text (self->region_row);
  config->bucket = row_text (self->bucket_row);
  config->public_url = row_text (self->public_url_row);
  config->prefix = row_text (self->prefix_row);
  config->access_key_id = row_text (self->access_key_row);
  config->secret_access_key = row_text (self->secret_row);
  if (*config->region == '\0')
    {
      g_free (config->region);
      config->region = g_strdup ("auto");
    }
  return config;
}

static void
show_storage_status (OipPreferencesPage *self,
                     const char         *text,
                     const GError       *error)
{
  g_autofree char *message = NULL;
  g_autofree char *details = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      message = g_strdup_printf ("%s\n%s", error->message, oip_gui_error_hint (error));
      details = oip_gui_error_details (error);
    }
  gtk_label_set_text (self->storage_status_label, message ? message : text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->storage_status_label), details);
  gtk_widget_remove_css_class (GTK_WIDGET (self->storage_status_label), error ? "success" : "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->storage_status_label), error ? "error" : "success");
}

static void
on_storage_tested (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(OipPreferencesPage) self = user_data;
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  if (oip_s3_client_test_finish (OIP_S3_CLIENT (source), result, &error))
    show_storage_status (self, _("The storage works: a test picture was written, read back from the public address and deleted."), NULL);
  else
    show_storage_status (self, NULL, error);
}

static void
test_storage_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  OipPreferencesPage *self = OIP_PREFERENCES_PAGE (widget);
  g_autoptr(OipStorageConfig) config = storage_from_rows (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(OipS3Client) client = oip_s3_client_new (config, &error);

  if (client == NULL)
    {
      show_storage_status (self, NULL, error);
      return;
    }
  set_busy (self, TRUE);
  gtk_label_set_text (self->storage_status_label, _("Testing the storage…"));
  oip_s3_client_test_async (client, self->cancellable, on_storage_tested, g_object_ref (self));
}

static void
on_storage_saved (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(OipPreferencesPage) self = user_data;
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  if (!oip_application_save_storage_finish (OIP_APPLICATION (source), result, &error))
    {
      show_storage_status (self, NULL, error);
      return;
    }
  if (oip_application_is_demo (self->application))
    show_storage_status (self, _("Saved in the demo."), NULL);
  else
    show_storage_status (self, _("Saved. The secret is in the keyring."), NULL);
  toast (self, _("Storage saved"));
}

static void
save_storage_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  OipPreferencesPage *self = OIP_PREFERENCES_PAGE (widget);
  g_autoptr(OipStorageConfig) config = storage_from_rows (self);
  g_autoptr(GError) error = NULL;

  if (!oip_storage_config_check (config, &error))
    {
      show_storage_status (self, NULL, error);
      return;
    }
  set_busy (self, TRUE);
  oip_application_save_storage_async (self->application, config, self->cancellable,
                                      on_storage_saved, g_object_ref (self));
}

static void
set_row (gpointer    row,
         const char *text)
{
  if (text != NULL && *text != '\0')
    gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
on_storage_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(OipPreferencesPage) self = user_data;
  g_autoptr(OipStorageConfig) config = oip_application_load_storage_finish (OIP_APPLICATION (source), result, NULL);

  /* An incomplete setup shows what the settings have (bound above). */
  if (config == NULL)
    return;
  set_row (self->endpoint_row, config->endpoint);
  set_row (self->region_row, config->region);
  set_row (self->bucket_row, config->bucket);
  set_row (self->public_url_row, config->public_url);
  set_row (self->prefix_row, config->prefix);
  set_row (self->access_key_row, config->access_key_id);
  set_row (self->secret_row, config->secret_access_key);
}

static void
on_credentials_edited (OipPreferencesPage *self)
{
  update_actions (self);
}

static void
on_close_answer (GtkWidget          *alert,
                 const char         *response,
                 OipPreferencesPage *self)
{
  if (g_str_equal (response, "discard"))
    oip_dialog_force_close (GTK_WIDGET (self));
  else if (g_str_equal (response, "save"))
    {
      self->close_after_save = TRUE;
      request_save (self);
    }
}

/* Credentials typed and not saved are not dropped without a word. */
static gboolean
on_close (GtkWidget *content)
{
  OipPreferencesPage *self = OIP_PREFERENCES_PAGE (content);
  GtkWidget *alert;

  if (!oip_preferences_page_has_unsaved_credentials (self))
    return TRUE;

  alert = oip_alert_new (_("Save the Credentials?"),
                         _("The Client ID and API Key you typed are not saved. If you close Preferences now, they are forgotten."));
  oip_alert_add_response (alert, "cancel", _("_Cancel"), ADW_RESPONSE_DEFAULT);
  oip_alert_add_response (alert, "discard", _("_Discard"), ADW_RESPONSE_DESTRUCTIVE);
  oip_alert_add_response (alert, "save", _("_Save"), ADW_RESPONSE_SUGGESTED);
  oip_alert_set_default_response (alert, "save");
  oip_alert_set_close_response (alert, "cancel");
  oip_alert_present (alert, GTK_WIDGET (self), (OipAlertFunc) on_close_answer, self);
  return FALSE;
}

static void
oip_preferences_page_dispose (GObject *object)
{
  OipPreferencesPage *self = (OipPreferencesPage *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OIP_TYPE_PREFERENCES_PAGE);

  G_OBJECT_CLASS (oip_preferences_page_parent_class)->dispose (object);
}

static void
oip_preferences_page_finalize (GObject *object)
{
  OipPreferencesPage *self = (OipPreferencesPage *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->application);
  g_free (self->saved_client_id);
  g_free (self->saved_api_key);
  forget_failure (self);

  G_OBJECT_CLASS (oip_preferences_page_parent_class)->finalize (object);
}

static void
oip_preferences_page_class_init (OipPreferencesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = oip_preferences_page_dispose;
  object_class->finalize = oip_preferences_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ozonpush/OzonImagePush/oip-preferences-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesPage, demo_group);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesPage, demo_label);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesPage, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesPage, api_key_row);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesPage, timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesPage, retries_spin);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesPage, validate_switch);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesPage, endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesPage, region_row);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesPage, bucket_row);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesPage, public_url_row);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesPage, prefix_row);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesPage, access_key_row);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesPage, secret_row);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesPage, storage_status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_credentials_edited);

  gtk_widget_class_install_action (widget_class, "prefs.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "prefs.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "prefs.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "prefs.test-storage", NULL, test_storage_action);
  gtk_widget_class_install_action (widget_class, "prefs.save-storage", NULL, save_storage_action);
}

static void
oip_preferences_page_init (OipPreferencesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  oip_widget_prepare_buttons (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->keyring_ok = TRUE;
  self->saved_client_id = g_strdup ("");
  self->saved_api_key = g_strdup ("");

  self->settings = oip_settings_new ();
  if (self->settings != NULL)
    {
      g_settings_bind (self->settings, "timeout", self->timeout_spin, "value", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "max-retries", self->retries_spin, "value", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "validate-urls", self->validate_switch, "active", G_SETTINGS_BIND_DEFAULT);
      /* Shown from the settings; written back only by Save Storage, with
       * the secret, so a half-typed endpoint never orphans a secret. */
      g_settings_bind (self->settings, "storage-endpoint", self->endpoint_row, "text", G_SETTINGS_BIND_GET | G_SETTINGS_BIND_GET_NO_CHANGES);
      g_settings_bind (self->settings, "storage-region", self->region_row, "text", G_SETTINGS_BIND_GET | G_SETTINGS_BIND_GET_NO_CHANGES);
      g_settings_bind (self->settings, "storage-bucket", self->bucket_row, "text", G_SETTINGS_BIND_GET | G_SETTINGS_BIND_GET_NO_CHANGES);
      g_settings_bind (self->settings, "storage-public-url", self->public_url_row, "text", G_SETTINGS_BIND_GET | G_SETTINGS_BIND_GET_NO_CHANGES);
      g_settings_bind (self->settings, "storage-prefix", self->prefix_row, "text", G_SETTINGS_BIND_GET | G_SETTINGS_BIND_GET_NO_CHANGES);
      g_settings_bind (self->settings, "storage-access-key-id", self->access_key_row, "text", G_SETTINGS_BIND_GET | G_SETTINGS_BIND_GET_NO_CHANGES);
    }
  update_actions (self);
}

/**
 * oip_preferences_page_new:
 *
 * Opens on the current account's credentials: from the keyring, or in the
 * demo, the demo's own.
 */
OipPreferencesPage *
oip_preferences_page_new (OipApplication *application)
{
  OipPreferencesPage *self = g_object_new (OIP_TYPE_PREFERENCES_PAGE, NULL);

  self->application = g_object_ref (application);
  if (oip_application_is_demo (application))
    {
      g_autofree char *note = g_strdup_printf (_("Demo: the built-in server accepts Client ID “%s” and API Key “%s”. "
                                                 "Nothing here reads or changes your system keyring or settings."),
                                               OIP_DEMO_CLIENT_ID, OIP_DEMO_API_KEY);

      gtk_label_set_text (self->demo_label, note);
      gtk_widget_set_visible (GTK_WIDGET (self->demo_group), TRUE);
    }

  set_busy (self, TRUE);
  oip_application_lookup_credentials_async (application, self->cancellable, on_lookup, g_object_ref (self));
  oip_application_load_storage_async (application, self->cancellable, on_storage_loaded, g_object_ref (self));
  return self;
}

/**
 * oip_preferences_page_present:
 * @parent: a widget of the window Preferences are opened from
 *
 * Returns: (transfer none): the page, shown in a preferences dialog
 */
OipPreferencesPage *
oip_preferences_page_present (OipApplication *application,
                              GtkWidget      *parent)
{
  OipPreferencesPage *self = oip_preferences_page_new (application);
  GtkWidget *dialog = oip_preferences_dialog_new (ADW_PREFERENCES_PAGE (self), _("Preferences"), 640, 720);

  oip_dialog_set_close_func (dialog, on_close);
  oip_dialog_present (dialog, parent);
  return self;
}

gboolean
oip_preferences_page_is_busy (OipPreferencesPage *self)
{
  g_return_val_if_fail (OIP_IS_PREFERENCES_PAGE (self), FALSE);
  return self->busy > 0;
}

/**
 * oip_preferences_page_get_status:
 *
 * Returns: the last result shown under the credentials (a test's outcome
 *   or an error), for tests and accessibility
 */
const char *
oip_preferences_page_get_status (OipPreferencesPage *self)
{
  g_return_val_if_fail (OIP_IS_PREFERENCES_PAGE (self), NULL);
  return gtk_label_get_text (self->status_label);
}

/**
 * oip_preferences_page_has_unsaved_credentials:
 *
 * Returns: whether a Client ID or API Key is typed that is not what is
 *   stored
 */
gboolean
oip_preferences_page_has_unsaved_credentials (OipPreferencesPage *self)
{
  g_autofree char *client_id = NULL;
  g_autofree char *api_key = NULL;

  g_return_val_if_fail (OIP_IS_PREFERENCES_PAGE (self), FALSE);

  if (!self->loaded)
    return FALSE;
  client_id = row_text (self->client_id_row);
  api_key = row_text (self->api_key_row);
  if (*client_id == '\0' && *api_key == '\0')
    return FALSE;
  return !g_str_equal (client_id, self->saved_client_id) || !g_str_equal (api_key, self->saved_api_key);
}
