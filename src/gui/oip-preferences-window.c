/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "oip-credentials.h"
#include "oip-error.h"
#include "oip-preferences-window.h"
#include "oip-s3-client.h"
#include "oip-settings.h"
#include "oip-storage-config.h"

/**
 * OipPreferencesWindow:
 *
 * The seed's SettingsModal, the desktop way: the Ozon Client ID and API
 * Key, kept in the system keyring (saved, tested against Ozon with a cheap
 * call, removed), and the push settings, bound to GSettings. A keyring that
 * cannot be reached is said plainly; the push settings still work.
 */
struct _OipPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

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
};

G_DEFINE_FINAL_TYPE (OipPreferencesWindow, oip_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static char *
row_text (gpointer row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
update_actions (OipPreferencesWindow *self)
{
  g_autofree char *client_id = row_text (self->client_id_row);
  g_autofree char *api_key = row_text (self->api_key_row);
  gboolean complete = *client_id != '\0' && *api_key != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.save", !self->busy && complete && self->keyring_ok);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.test", !self->busy && complete);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.remove", !self->busy && *client_id != '\0' && self->keyring_ok);
}

static void
set_busy (OipPreferencesWindow *self,
          gboolean              busy)
{
  self->busy += busy ? 1 : -1;
  gtk_spinner_set_spinning (self->spinner, self->busy > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy > 0);
  update_actions (self);
}

static void
show_status (OipPreferencesWindow *self,
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
show_error (OipPreferencesWindow *self,
            const GError         *error)
{
  g_autofree char *text = NULL;
  int code;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  code = error->domain == OIP_ERROR ? error->code : OIP_ERROR_FAILED;
  text = g_strdup_printf ("%s\n%s", error->message, oip_error_hint (code));
  show_status (self, text, TRUE);
}

static void
toast (OipPreferencesWindow *self,
       const char           *text)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

static void
on_lookup (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OipPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipCredentials) credentials = oip_credentials_lookup_finish (result, &error);

  set_busy (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (credentials != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), credentials->client_id);
      gtk_editable_set_text (GTK_EDITABLE (self->api_key_row), credentials->api_key);
    }
  else if (g_error_matches (error, OIP_ERROR, OIP_ERROR_KEYRING_UNAVAILABLE) ||
           g_error_matches (error, OIP_ERROR, OIP_ERROR_KEYRING_LOCKED))
    {
      self->keyring_ok = FALSE;
      show_error (self, error);
    }
  update_actions (self);
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OipPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = row_text (self->client_id_row);

  set_busy (self, FALSE);
  if (!oip_credentials_store_finish (result, &error))
    {
      show_error (self, error);
      return;
    }

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "current-client-id", client_id);
  show_status (self, "", FALSE);
  toast (self, _("Saved in the keyring"));
  g_signal_emit_by_name (self->application, "credentials-changed");
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OipPreferencesWindow *self = OIP_PREFERENCES_WINDOW (widget);
  g_autofree char *client_id = row_text (self->client_id_row);
  g_autofree char *api_key = row_text (self->api_key_row);
  g_autoptr(OipCredentials) credentials = oip_credentials_new (client_id, api_key);

  set_busy (self, TRUE);
  oip_credentials_store_async (credentials, self->cancellable, on_stored, g_object_ref (self));
}

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OipPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *count = NULL;
  gint64 products;

  products = oip_ozon_client_check_access_finish (OIP_OZON_CLIENT (source), result, &error);
  set_busy (self, FALSE);
  if (products < 0)
    {
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
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OipPreferencesWindow *self = OIP_PREFERENCES_WINDOW (widget);
  g_autofree char *client_id = row_text (self->client_id_row);
  g_autofree char *api_key = row_text (self->api_key_row);
  g_autoptr(GError) error = NULL;
  g_autoptr(OipOzonClient) client = oip_application_create_client (self->application, client_id, api_key, &error);

  if (client == NULL)
    {
      show_error (self, error);
      return;
    }

  set_busy (self, TRUE);
  show_status (self, _("Connecting to Ozon…"), FALSE);
  oip_ozon_client_check_access_async (client, self->cancellable, on_checked, g_object_ref (self));
}

static void
on_removed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OipPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = row_text (self->client_id_row);
  g_autofree char *current = NULL;

  set_busy (self, FALSE);
  if (!oip_credentials_remove_finish (result, &error))
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
  gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->api_key_row), "");
  show_status (self, "", FALSE);
  toast (self, _("Removed from the keyring"));
  g_signal_emit_by_name (self->application, "credentials-changed");
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OipPreferencesWindow *self = OIP_PREFERENCES_WINDOW (widget);
  g_autofree char *client_id = row_text (self->client_id_row);

  set_busy (self, TRUE);
  oip_credentials_remove_async (client_id, self->cancellable, on_removed, g_object_ref (self));
}

static OipStorageConfig *
storage_from_rows (OipPreferencesWindow *self)
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
show_storage_status (OipPreferencesWindow *self,
                     const char           *text,
                     const GError         *error)
{
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    message = g_strdup_printf ("%s\n%s", error->message,
                               oip_error_hint (error->domain == OIP_ERROR ? error->code : OIP_ERROR_FAILED));
  gtk_label_set_text (self->storage_status_label, message ? message : text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->storage_status_label), error ? "success" : "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->storage_status_label), error ? "error" : "success");
}

static void
on_storage_tested (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(OipPreferencesWindow) self = user_data;
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
  OipPreferencesWindow *self = OIP_PREFERENCES_WINDOW (widget);
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
  g_autoptr(OipPreferencesWindow) self = user_data;
  g_autoptr(OipStorageConfig) config = storage_from_rows (self);
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  if (!oip_storage_config_store_secret_finish (result, &error) ||
      !oip_storage_config_save_settings (config, &error))
    {
      show_storage_status (self, NULL, error);
      return;
    }
  show_storage_status (self, _("Saved. The secret is in the keyring."), NULL);
  toast (self, _("Storage saved"));
}

static void
save_storage_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  OipPreferencesWindow *self = OIP_PREFERENCES_WINDOW (widget);
  g_autoptr(OipStorageConfig) config = storage_from_rows (self);
  g_autoptr(GError) error = NULL;

  if (!oip_storage_config_check (config, &error))
    {
      show_storage_status (self, NULL, error);
      return;
    }
  set_busy (self, TRUE);
  oip_storage_config_store_secret_async (config, self->cancellable, on_storage_saved, g_object_ref (self));
}

static void
on_storage_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(OipPreferencesWindow) self = user_data;
  g_autoptr(OipStorageConfig) config = oip_storage_config_load_finish (result, NULL);

  /* An incomplete setup shows what is set; only the secret needs this. */
  if (config != NULL && config->secret_access_key != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->secret_row), config->secret_access_key);
}

static void
on_credentials_edited (OipPreferencesWindow *self)
{
  update_actions (self);
}

static void
oip_preferences_window_dispose (GObject *object)
{
  OipPreferencesWindow *self = (OipPreferencesWindow *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OIP_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (oip_preferences_window_parent_class)->dispose (object);
}

static void
oip_preferences_window_finalize (GObject *object)
{
  OipPreferencesWindow *self = (OipPreferencesWindow *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (oip_preferences_window_parent_class)->finalize (object);
}

static void
oip_preferences_window_class_init (OipPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = oip_preferences_window_dispose;
  object_class->finalize = oip_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ozonpush/OzonImagePush/oip-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesWindow, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesWindow, api_key_row);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesWindow, timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesWindow, retries_spin);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesWindow, validate_switch);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesWindow, endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesWindow, region_row);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesWindow, bucket_row);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesWindow, public_url_row);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesWindow, prefix_row);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesWindow, access_key_row);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesWindow, secret_row);
  gtk_widget_class_bind_template_child (widget_class, OipPreferencesWindow, storage_status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_credentials_edited);

  gtk_widget_class_install_action (widget_class, "prefs.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "prefs.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "prefs.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "prefs.test-storage", NULL, test_storage_action);
  gtk_widget_class_install_action (widget_class, "prefs.save-storage", NULL, save_storage_action);
}

static void
oip_preferences_window_init (OipPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->keyring_ok = TRUE;

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
 * oip_preferences_window_new:
 *
 * Opens on the current account's credentials, read from the keyring.
 */
OipPreferencesWindow *
oip_preferences_window_new (OipApplication *application,
                            GtkWindow      *parent)
{
  OipPreferencesWindow *self = g_object_new (OIP_TYPE_PREFERENCES_WINDOW,
                                             "transient-for", parent,
                                             NULL);
  g_autofree char *current = NULL;

  self->application = g_object_ref (application);
  if (self->settings != NULL)
    current = g_settings_get_string (self->settings, "current-client-id");

  set_busy (self, TRUE);
  oip_credentials_lookup_async (current, self->cancellable, on_lookup, g_object_ref (self));
  oip_storage_config_load_async (self->cancellable, on_storage_loaded, g_object_ref (self));
  return self;
}

gboolean
oip_preferences_window_is_busy (OipPreferencesWindow *self)
{
  g_return_val_if_fail (OIP_IS_PREFERENCES_WINDOW (self), FALSE);
  return self->busy > 0;
}

/**
 * oip_preferences_window_get_status:
 *
 * Returns: the last result shown under the credentials (a test's outcome
 *   or an error), for tests and accessibility
 */
const char *
oip_preferences_window_get_status (OipPreferencesWindow *self)
{
  g_return_val_if_fail (OIP_IS_PREFERENCES_WINDOW (self), NULL);
  return gtk_label_get_text (self->status_label);
}
