/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "oip-credentials.h"
#include "oip-error.h"
#include "oip-settings.h"
#include "oip-window.h"

/**
 * OipWindow:
 *
 * The main window: look a product up on Ozon (the seed's “download
 * product information” step), see its current images, reopen a recently
 * downloaded product. Every network call runs on the window's cancellable,
 * cancelled when the window goes away.
 */
struct _OipWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkRevealer          *banner_revealer;
  GtkLabel             *banner_label;
  GtkSpinner           *spinner;
  GtkLabel             *demo_label;
  AdwComboRow          *key_row;
  AdwEntryRow          *id_row;
  GtkStack             *product_stack;
  AdwActionRow         *name_row;
  AdwActionRow         *offer_row;
  AdwActionRow         *product_id_row;
  AdwActionRow         *sku_row;
  GtkListBox           *images_list;
  AdwPreferencesGroup  *recent_group;
  GtkListBox           *recent_list;

  GCancellable         *cancellable;
  GSettings            *settings;
  OipProduct           *product;
  gboolean              busy;
};

G_DEFINE_FINAL_TYPE (OipWindow, oip_window, ADW_TYPE_APPLICATION_WINDOW)

static OipApplication *
get_app (OipWindow *self)
{
  return OIP_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

static void
update_actions (OipWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->id_row))));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.download", !self->busy && *text != '\0');
}

static void
set_busy (OipWindow *self,
          gboolean   busy)
{
  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  update_actions (self);
}

static GtkWidget *
create_recent_row (gpointer item,
                   gpointer user_data)
{
  OipProduct *product = item;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = g_strdup_printf ("%s · %" G_GINT64_FORMAT,
                                               oip_product_get_offer_id (product),
                                               oip_product_get_product_id (product));
  const char *name = oip_product_get_name (product);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name && *name ? name : oip_product_get_offer_id (product));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "product", g_object_ref (product), g_object_unref);
  return row;
}

static GtkWidget *
create_image_row (const char *title,
                  const char *url)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), url);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  return row;
}

static void
on_recent_changed (GListModel *model,
                   guint       position,
                   guint       removed,
                   guint       added,
                   OipWindow  *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), g_list_model_get_n_items (model) > 0);
}

static void
on_store_saved (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(OipWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!oip_product_store_save_finish (OIP_PRODUCT_STORE (source), result, &error))
    oip_window_show_error (self, error);
}

static void
on_product_downloaded (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(OipWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipProduct) product = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  OipProductStore *store;

  product = oip_ozon_client_get_product_finish (OIP_OZON_CLIENT (source), result, &error);
  set_busy (self, FALSE);
  if (product == NULL)
    {
      oip_window_show_error (self, error);
      return;
    }

  oip_product_set_downloaded_at (product, now);
  store = oip_application_get_store (get_app (self));
  oip_product_store_put (store, product);
  oip_product_store_save_async (store, self->cancellable, on_store_saved, g_object_ref (self));
  oip_window_show_product (self, product);
}

static void
download_with_client (OipWindow     *self,
                      OipOzonClient *client)
{
  g_autofree char *value = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->id_row))));
  OipProductKey key = adw_combo_row_get_selected (self->key_row);
  gint64 number;

  if (key != OIP_PRODUCT_KEY_OFFER_ID &&
      !g_ascii_string_to_signed (value, 10, 1, G_MAXINT64, &number, NULL))
    {
      g_autoptr(GError) error = g_error_new_literal (OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                                                     _("Product IDs and SKUs are whole numbers"));

      set_busy (self, FALSE);
      oip_window_show_error (self, error);
      return;
    }

  oip_ozon_client_get_product_async (client, key, value, self->cancellable,
                                     on_product_downloaded, g_object_ref (self));
}

static void
on_credentials (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(OipWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipCredentials) credentials = NULL;
  g_autoptr(OipOzonClient) client = NULL;

  credentials = oip_credentials_lookup_finish (result, &error);
  if (credentials != NULL)
    client = oip_application_create_client (get_app (self), credentials->client_id,
                                            credentials->api_key, &error);
  if (client == NULL)
    {
      set_busy (self, FALSE);
      oip_window_show_error (self, error);
      return;
    }
  download_with_client (self, client);
}

static void
download_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  OipWindow *self = OIP_WINDOW (widget);
  g_autofree char *current = NULL;

  if (self->busy)
    return;
  set_busy (self, TRUE);

  if (oip_application_is_demo (get_app (self)))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OipOzonClient) client = oip_application_create_client (get_app (self), NULL, NULL, &error);

      if (client == NULL)
        {
          set_busy (self, FALSE);
          oip_window_show_error (self, error);
          return;
        }
      download_with_client (self, client);
      return;
    }

  if (self->settings != NULL)
    current = g_settings_get_string (self->settings, "current-client-id");
  oip_credentials_lookup_async (current, self->cancellable, on_credentials, g_object_ref (self));
}

static void
focus_lookup_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (OIP_WINDOW (widget)->id_row));
}

static void
on_credentials_checked (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(OipWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipCredentials) credentials = oip_credentials_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The seed's “Ozon API 凭证未配置”, before the seller hits it. */
  if (g_error_matches (error, OIP_ERROR, OIP_ERROR_CREDENTIALS_MISSING))
    gtk_label_set_text (self->banner_label, _("Ozon API credentials are not configured. Add your Client ID and API Key in Preferences."));
  else if (error != NULL)
    gtk_label_set_text (self->banner_label, error->message);
  gtk_revealer_set_reveal_child (self->banner_revealer, credentials == NULL);
}

static void
check_credentials (OipWindow *self)
{
  g_autofree char *current = NULL;

  if (oip_application_is_demo (get_app (self)))
    return;
  if (self->settings != NULL)
    current = g_settings_get_string (self->settings, "current-client-id");
  oip_credentials_lookup_async (current, self->cancellable, on_credentials_checked, g_object_ref (self));
}

/**
 * oip_window_is_banner_shown:
 *
 * Returns: whether the window says that credentials are missing or the
 *   keyring cannot be reached
 */
gboolean
oip_window_is_banner_shown (OipWindow *self)
{
  g_return_val_if_fail (OIP_IS_WINDOW (self), FALSE);
  return gtk_revealer_get_reveal_child (self->banner_revealer);
}

static void
on_id_changed (OipWindow *self)
{
  update_actions (self);
}

static void
on_id_activated (OipWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.download", NULL);
}

static void
on_recent_activated (OipWindow     *self,
                     GtkListBoxRow *row)
{
  oip_window_show_product (self, g_object_get_data (G_OBJECT (row), "product"));
}

static gboolean
oip_window_close_request (GtkWindow *window)
{
  OipWindow *self = OIP_WINDOW (window);

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", MAX (width, 360));
      g_settings_set_int (self->settings, "window-height", MAX (height, 294));
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
    }

  return GTK_WINDOW_CLASS (oip_window_parent_class)->close_request (window);
}

static void
oip_window_dispose (GObject *object)
{
  OipWindow *self = (OipWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->product);
  gtk_widget_dispose_template (GTK_WIDGET (self), OIP_TYPE_WINDOW);

  G_OBJECT_CLASS (oip_window_parent_class)->dispose (object);
}

static void
oip_window_finalize (GObject *object)
{
  OipWindow *self = (OipWindow *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (oip_window_parent_class)->finalize (object);
}

static void
oip_window_class_init (OipWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = oip_window_dispose;
  object_class->finalize = oip_window_finalize;
  window_class->close_request = oip_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ozonpush/OzonImagePush/oip-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OipWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, demo_label);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, key_row);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, id_row);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, product_stack);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, offer_row);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, product_id_row);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, sku_row);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, images_list);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, recent_group);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, recent_list);
  gtk_widget_class_bind_template_callback (widget_class, on_id_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_id_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_recent_activated);

  gtk_widget_class_install_action (widget_class, "win.download", NULL, download_action);
  gtk_widget_class_install_action (widget_class, "win.focus-lookup", NULL, focus_lookup_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.focus-lookup", NULL);
}

static void
oip_window_init (OipWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = oip_settings_new ();
  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }

  if (g_str_equal (PROFILE, "Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  gtk_stack_set_visible_child_name (self->product_stack, "empty");
  update_actions (self);
}

OipWindow *
oip_window_new (OipApplication *application)
{
  OipWindow *self = g_object_new (OIP_TYPE_WINDOW, "application", application, NULL);
  GListModel *products = oip_product_store_get_products (oip_application_get_store (application));

  if (oip_application_is_demo (application))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->demo_label), TRUE);
      adw_window_title_set_subtitle (self->window_title, _("Demo"));
    }

  g_signal_connect_object (application, "credentials-changed", G_CALLBACK (check_credentials),
                           self, G_CONNECT_SWAPPED);
  check_credentials (self);

  gtk_list_box_bind_model (self->recent_list, products, create_recent_row, NULL, NULL);
  g_signal_connect_object (products, "items-changed", G_CALLBACK (on_recent_changed), self, 0);
  on_recent_changed (products, 0, 0, 0, self);
  return self;
}

/**
 * oip_window_show_product:
 *
 * Shows @product's ids and its current images on Ozon, main image first.
 */
void
oip_window_show_product (OipWindow  *self,
                         OipProduct *product)
{
  const char * const *images;
  g_autofree char *product_id = NULL;
  g_autofree char *sku = NULL;
  GtkWidget *child;

  g_return_if_fail (OIP_IS_WINDOW (self));
  g_return_if_fail (OIP_IS_PRODUCT (product));

  g_set_object (&self->product, product);
  product_id = g_strdup_printf ("%" G_GINT64_FORMAT, oip_product_get_product_id (product));
  sku = oip_product_get_sku (product) > 0
        ? g_strdup_printf ("%" G_GINT64_FORMAT, oip_product_get_sku (product))
        : g_strdup (_("Not set"));

  adw_action_row_set_subtitle (self->name_row, oip_product_get_name (product) ? oip_product_get_name (product) : "");
  adw_action_row_set_subtitle (self->offer_row, oip_product_get_offer_id (product));
  adw_action_row_set_subtitle (self->product_id_row, product_id);
  adw_action_row_set_subtitle (self->sku_row, sku);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->images_list))) != NULL)
    gtk_list_box_remove (self->images_list, child);

  images = oip_product_get_images (product);
  for (guint i = 0; images[i] != NULL; i++)
    {
      g_autofree char *title = i == 0 ? g_strdup (_("Main image"))
                                      : g_strdup_printf (_("Image %u"), i + 1);

      gtk_list_box_append (self->images_list, create_image_row (title, images[i]));
    }
  if (oip_product_get_color_image (product) != NULL)
    gtk_list_box_append (self->images_list,
                         create_image_row (_("Color image"), oip_product_get_color_image (product)));
  if (images[0] == NULL)
    gtk_list_box_append (self->images_list, create_image_row (_("No images on Ozon"), ""));

  gtk_stack_set_visible_child_name (self->product_stack, "product");
}

/**
 * oip_window_get_product:
 *
 * Returns: (transfer none) (nullable): the product shown
 */
OipProduct *
oip_window_get_product (OipWindow *self)
{
  g_return_val_if_fail (OIP_IS_WINDOW (self), NULL);
  return self->product;
}

/**
 * oip_window_show_error:
 *
 * Tells the seller what went wrong and what to do about it. Cancellation
 * is the seller's own doing and is not reported.
 */
void
oip_window_show_error (OipWindow    *self,
                       const GError *error)
{
  AdwMessageDialog *dialog;
  int code;

  g_return_if_fail (OIP_IS_WINDOW (self));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  code = error->domain == OIP_ERROR ? error->code : OIP_ERROR_FAILED;
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), error->message,
                                                       oip_error_hint (code)));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}
