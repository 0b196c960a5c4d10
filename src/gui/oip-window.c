/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "oip-credentials.h"
#include "oip-dialogs.h"
#include "oip-error.h"
#include "oip-gui-error.h"
#include "oip-image-list.h"
#include "oip-image-tile.h"
#include "oip-push-plan.h"
#include "oip-settings.h"
#include "oip-upload-dialog.h"
#include "oip-window.h"

/**
 * OipWindow:
 *
 * The main window: look a product up on Ozon (the seed's “download
 * product information” step), see its current images, edit the list of
 * images to push (starting from the current ones, since every push
 * replaces them all), and open the Upload dialog. Recently downloaded
 * products reopen in one click. Every network call runs on the window's
 * cancellable, cancelled when the window goes away.
 */
struct _OipWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkWidget            *upload_button;
  AdwWindowTitle       *window_title;
  GtkRevealer          *banner_revealer;
  GtkLabel             *banner_label;
  GtkSpinner           *spinner;
  GtkLabel             *demo_label;
  AdwComboRow          *key_row;
  AdwEntryRow          *id_row;
  GtkStack             *product_stack;
  AdwActionRow         *product_row;
  GtkFlowBox           *current_flow;
  GtkLabel             *no_current_label;
  AdwPreferencesGroup  *push_group;
  AdwEntryRow          *add_row;
  GtkFlowBox           *push_flow;
  GtkLabel             *push_hint;
  AdwPreferencesGroup  *recent_group;
  GtkListBox           *recent_list;

  GCancellable         *cancellable;
  GSettings            *settings;
  OipProduct           *product;
  OipImageList         *images;
  GtkWidget            *upload_dialog;   /* weak: the dialog holding the OipUploadDialog */
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

  gboolean has_images = self->images != NULL && oip_image_list_get_n_images (self->images) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.download", !self->busy && *text != '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.upload", self->product != NULL && has_images);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reset-images", self->product != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-files", self->product != NULL);
}

static void
set_busy (OipWindow *self,
          gboolean   busy)
{
  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
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

static void
show_toast (OipWindow  *self,
            const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static gboolean
find_url (OipWindow  *self,
          const char *url,
          guint      *position)
{
  GListModel *model = oip_image_list_get_model (self->images);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(OipImageItem) item = g_list_model_get_item (model, i);

      if (g_str_equal (oip_image_item_get_url (item), url))
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
add_text (OipWindow  *self,
          const char *text)
{
  guint duplicates = 0;
  guint added;

  if (self->product == NULL)
    return;
  added = oip_image_list_add_text (self->images, text, &duplicates);
  if (added == 0 && duplicates > 0)
    show_toast (self, _("Already in the list"));
}

static void
on_tile_dropped (OipImageTile *tile,
                 const char   *text,
                 OipWindow    *self)
{
  guint from, to;

  /* Another tile dragged here: move it to this tile's place. */
  if (find_url (self, text, &from) &&
      find_url (self, oip_image_item_get_url (oip_image_tile_get_item (tile)), &to))
    oip_image_list_move (self->images, from, to);
  else
    add_text (self, text);
}

static GtkWidget *
create_push_tile (gpointer item,
                  gpointer user_data)
{
  GtkWidget *tile = oip_image_tile_new (item, TRUE);

  g_signal_connect_object (tile, "dropped", G_CALLBACK (on_tile_dropped), user_data, 0);
  return tile;
}

static GtkWidget *
create_current_tile (gpointer item,
                     gpointer user_data)
{
  return oip_image_tile_new (item, FALSE);
}

static void
on_images_changed (OipWindow *self)
{
  guint n = oip_image_list_get_n_images (self->images);
  g_autofree char *title = NULL;
  g_autofree char *hint = NULL;

  /* Translators: the seed's “待推送图片 ({count} 张)” */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Images to Push (%u)", "Images to Push (%u)", n), n);
  adw_preferences_group_set_title (self->push_group, title);

  if (n == 0)
    hint = g_strdup (_("No images to push. Add image URLs above, or drop them here."));
  else if (n > OIP_MAX_IMAGES)
    hint = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Ozon takes %u images: %u image at the end will not be sent.",
                                         "Ozon takes %u images: %u images at the end will not be sent.",
                                         n - OIP_MAX_IMAGES),
                            OIP_MAX_IMAGES, n - OIP_MAX_IMAGES);
  gtk_label_set_text (self->push_hint, hint ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->push_hint), hint != NULL);
  update_actions (self);
}

static gboolean
on_flow_drop (GtkDropTarget *target,
              const GValue  *value,
              double         x,
              double         y,
              OipWindow     *self)
{
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      g_autoptr(GString) uris = g_string_new (NULL);

      for (GSList *l = g_value_get_boxed (value); l != NULL; l = l->next)
        {
          g_autofree char *uri = g_file_get_uri (l->data);

          g_string_append_printf (uris, "%s\n", uri);
        }
      add_text (self, uris->str);
    }
  else
    {
      const char *text = g_value_get_string (value);
      guint from;

      /* A tile dropped between tiles goes to the end. */
      if (find_url (self, text, &from))
        oip_image_list_move (self->images, from, G_MAXUINT);
      else
        add_text (self, text);
    }
  return TRUE;
}

static void
on_add_apply (OipWindow *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->add_row)));

  if (*g_strstrip (text) == '\0')
    return;
  add_text (self, text);
  gtk_editable_set_text (GTK_EDITABLE (self->add_row), "");
}

static void
image_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  OipWindow *self = OIP_WINDOW (widget);
  g_autofree char *url = g_variant_dup_string (parameter, NULL);
  gboolean had_focus = gtk_widget_get_focus_child (GTK_WIDGET (self->push_flow)) != NULL;
  guint position;

  if (!find_url (self, url, &position))
    return;

  if (g_str_equal (action_name, "win.image-main"))
    oip_image_list_set_main (self->images, position);
  else if (g_str_equal (action_name, "win.image-color"))
    {
      g_autoptr(OipImageItem) item = g_list_model_get_item (oip_image_list_get_model (self->images), position);

      oip_image_list_set_color (self->images, position, !oip_image_item_get_is_color (item));
    }
  else if (g_str_equal (action_name, "win.image-earlier"))
    oip_image_list_move (self->images, position, position > 0 ? position - 1 : 0);
  else if (g_str_equal (action_name, "win.image-later"))
    oip_image_list_move (self->images, position, position + 1);
  else if (g_str_equal (action_name, "win.image-remove"))
    oip_image_list_remove (self->images, position);

  /* Keep the keyboard on the image that moved. */
  if (had_focus && find_url (self, url, &position))
    {
      GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (self->push_flow, position);

      if (child != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (child));
    }
}

/* The focused tile, for keyboard shortcuts. */
static const char *
focused_url (OipWindow *self)
{
  GtkWidget *child = gtk_widget_get_focus_child (GTK_WIDGET (self->push_flow));
  GtkWidget *tile;

  if (!GTK_IS_FLOW_BOX_CHILD (child))
    return NULL;
  tile = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));
  return OIP_IS_IMAGE_TILE (tile) ? oip_image_item_get_url (oip_image_tile_get_item (OIP_IMAGE_TILE (tile))) : NULL;
}

static gboolean
on_tile_shortcut (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  OipWindow *self = user_data;
  const char *action = g_variant_get_string (args, NULL);
  const char *url = focused_url (self);

  if (url == NULL)
    return FALSE;
  gtk_widget_activate_action (GTK_WIDGET (self), action, "s", url);
  return TRUE;
}

static void
add_tile_shortcut (GtkShortcutController *controller,
                   guint                  key,
                   GdkModifierType        modifiers,
                   const char            *action,
                   OipWindow             *self)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (key, modifiers),
                                            gtk_callback_action_new (on_tile_shortcut, self, NULL));

  gtk_shortcut_set_arguments (shortcut, g_variant_new_string (action));
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static void
on_files_chosen (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(OipWindow) self = user_data;
  g_autoptr(GListModel) files = oip_open_files_finish (result, NULL);
  g_autoptr(GString) uris = g_string_new (NULL);

  if (files == NULL)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);
      g_autofree char *uri = g_file_get_uri (file);

      g_string_append_printf (uris, "%s\n", uri);
    }
  add_text (self, uris->str);
}

static void
add_files_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OipWindow *self = OIP_WINDOW (widget);
  g_autoptr(GtkFileFilter) pictures = oip_image_file_filter_new ();

  if (self->product == NULL)
    return;
  oip_open_files_async (GTK_WIDGET (self), _("Add Pictures"), pictures, self->cancellable,
                        on_files_chosen, g_object_ref (self));
}

static void
on_file_progress (OipUploadDialog *dialog,
                  const char      *uri,
                  double           fraction,
                  OipWindow       *self)
{
  guint position;
  GtkFlowBoxChild *child;

  /* The local tile counts up while its file is sent. */
  if (find_url (self, uri, &position) &&
      (child = gtk_flow_box_get_child_at_index (self->push_flow, position)) != NULL)
    {
      /* Translators: %d is a percentage */
      g_autofree char *note = g_strdup_printf (_("Uploading… %d%%"), (int) (fraction * 100));

      oip_image_tile_set_note (OIP_IMAGE_TILE (gtk_flow_box_child_get_child (child)), note);
    }
}

static void
on_files_uploaded (OipUploadDialog *dialog,
                   GHashTable      *urls,
                   OipWindow       *self)
{
  GHashTableIter iter;
  gpointer file, url;

  /* Each local tile now shows the picture's public URL. */
  g_hash_table_iter_init (&iter, urls);
  while (g_hash_table_iter_next (&iter, &file, &url))
    oip_image_list_replace_url (self->images, file, url);
}

static void
reset_images_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  OipWindow *self = OIP_WINDOW (widget);

  oip_image_list_reset (self->images, self->product);
}

static void
upload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OipWindow *self = OIP_WINDOW (widget);
  g_autoptr(OipPushRequest) request = NULL;
  OipUploadDialog *content;

  if (self->product == NULL)
    return;
  if (self->upload_dialog != NULL)
    {
      oip_dialog_present (self->upload_dialog, GTK_WIDGET (self));
      return;
    }

  request = oip_image_list_to_request (self->images, oip_product_get_product_id (self->product));
  content = oip_upload_dialog_new (get_app (self), self->product, g_steal_pointer (&request));
  g_signal_connect_object (content, "files-uploaded", G_CALLBACK (on_files_uploaded), self, 0);
  g_signal_connect_object (content, "file-progress", G_CALLBACK (on_file_progress), self, 0);
  g_set_weak_pointer (&self->upload_dialog, oip_dialog_get_for (GTK_WIDGET (content)));
  oip_dialog_present (self->upload_dialog, GTK_WIDGET (self));
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

/* The window's keys, shown by Ctrl+? (win.show-shortcuts). */
static const OipShortcut window_shortcuts[] = {
  { N_("General"), NULL },
  { N_("Look up a product"), "<Control>l" },
  { N_("Review and push the images"), "<Control>u" },
  { N_("Preferences"), "<Control>comma" },
  { N_("Show keyboard shortcuts"), "<Control>question" },
  { N_("Quit"), "<Control>q" },
  { N_("Images to Push"), NULL },
  { N_("Add pictures from this computer"), "<Control>o" },
  { N_("Move the selected image earlier"), "<Alt>Left <Alt>Up" },
  { N_("Move the selected image later"), "<Alt>Right <Alt>Down" },
  { N_("Make it the main image"), "<Control>m" },
  { N_("Make it the color image, or not"), "<Control>k" },
  { N_("Remove it"), "Delete" },
};

static void
show_shortcuts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  oip_show_shortcuts (widget, window_shortcuts, G_N_ELEMENTS (window_shortcuts));
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

  /* A push under way is the dialog's to stop: it asks first. */
  if (self->upload_dialog != NULL &&
      oip_upload_dialog_is_pushing (OIP_UPLOAD_DIALOG (oip_dialog_get_content (self->upload_dialog))))
    {
      oip_dialog_close (self->upload_dialog);
      return TRUE;
    }

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
  g_clear_weak_pointer (&self->upload_dialog);
  if (self->product != NULL)
    g_signal_handlers_disconnect_by_data (self->product, self);
  g_clear_object (&self->product);
  gtk_widget_dispose_template (GTK_WIDGET (self), OIP_TYPE_WINDOW);
  g_clear_object (&self->images);

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
  gtk_widget_class_bind_template_child (widget_class, OipWindow, upload_button);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, demo_label);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, key_row);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, id_row);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, product_stack);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, product_row);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, current_flow);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, no_current_label);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, push_group);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, add_row);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, push_flow);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, push_hint);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, recent_group);
  gtk_widget_class_bind_template_child (widget_class, OipWindow, recent_list);
  gtk_widget_class_bind_template_callback (widget_class, on_id_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_id_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_recent_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_add_apply);

  gtk_widget_class_install_action (widget_class, "win.download", NULL, download_action);
  gtk_widget_class_install_action (widget_class, "win.focus-lookup", NULL, focus_lookup_action);
  gtk_widget_class_install_action (widget_class, "win.show-shortcuts", NULL, show_shortcuts_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.focus-lookup", NULL);
  gtk_widget_class_install_action (widget_class, "win.upload", NULL, upload_action);
  gtk_widget_class_install_action (widget_class, "win.reset-images", NULL, reset_images_action);
  gtk_widget_class_install_action (widget_class, "win.add-files", NULL, add_files_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.add-files", NULL);
  gtk_widget_class_install_action (widget_class, "win.image-main", "s", image_action);
  gtk_widget_class_install_action (widget_class, "win.image-color", "s", image_action);
  gtk_widget_class_install_action (widget_class, "win.image-earlier", "s", image_action);
  gtk_widget_class_install_action (widget_class, "win.image-later", "s", image_action);
  gtk_widget_class_install_action (widget_class, "win.image-remove", "s", image_action);
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

  self->images = oip_image_list_new ();
  g_signal_connect_object (self->images, "changed", G_CALLBACK (on_images_changed), self, G_CONNECT_SWAPPED);
  gtk_flow_box_bind_model (self->push_flow, oip_image_list_get_model (self->images), create_push_tile, self, NULL);

  {
    GtkDropTarget *target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY | GDK_ACTION_MOVE);
    GType types[] = { G_TYPE_STRING, GDK_TYPE_FILE_LIST };
    GtkShortcutController *shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());

    gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
    g_signal_connect (target, "drop", G_CALLBACK (on_flow_drop), self);
    gtk_widget_add_controller (GTK_WIDGET (self->push_group), GTK_EVENT_CONTROLLER (target));

    /* Every image action from the keyboard, on the focused tile. */
    add_tile_shortcut (shortcuts, GDK_KEY_Delete, 0, "win.image-remove", self);
    add_tile_shortcut (shortcuts, GDK_KEY_BackSpace, 0, "win.image-remove", self);
    add_tile_shortcut (shortcuts, GDK_KEY_Left, GDK_ALT_MASK, "win.image-earlier", self);
    add_tile_shortcut (shortcuts, GDK_KEY_Up, GDK_ALT_MASK, "win.image-earlier", self);
    add_tile_shortcut (shortcuts, GDK_KEY_Right, GDK_ALT_MASK, "win.image-later", self);
    add_tile_shortcut (shortcuts, GDK_KEY_Down, GDK_ALT_MASK, "win.image-later", self);
    add_tile_shortcut (shortcuts, GDK_KEY_m, GDK_CONTROL_MASK, "win.image-main", self);
    add_tile_shortcut (shortcuts, GDK_KEY_k, GDK_CONTROL_MASK, "win.image-color", self);
    gtk_widget_add_controller (GTK_WIDGET (self->push_flow), GTK_EVENT_CONTROLLER (shortcuts));

    /* Ctrl+U from anywhere, entries included (their own Ctrl+U deletes
     * the line): caught before the focused widget sees it. */
    shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
    gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (shortcuts), GTK_PHASE_CAPTURE);
    gtk_shortcut_controller_add_shortcut (shortcuts,
      gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_u, GDK_CONTROL_MASK),
                        gtk_named_action_new ("win.upload")));
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (shortcuts));
  }

  on_images_changed (self);
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

static void
on_product_images (OipProduct *product,
                   GParamSpec *pspec,
                   OipWindow  *self)
{
  oip_window_show_product (self, product);
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
  g_autoptr(GListStore) current = g_list_store_new (OIP_TYPE_IMAGE_ITEM);
  gboolean same_product;

  g_return_if_fail (OIP_IS_WINDOW (self));
  g_return_if_fail (OIP_IS_PRODUCT (product));

  same_product = self->product == product;
  if (!same_product)
    {
      if (self->product != NULL)
        g_signal_handlers_disconnect_by_data (self->product, self);
      g_set_object (&self->product, product);
      g_signal_connect_object (product, "notify::images", G_CALLBACK (on_product_images), self, 0);
      g_signal_connect_object (product, "notify::color-image", G_CALLBACK (on_product_images), self, 0);
    }
  product_id = g_strdup_printf ("%" G_GINT64_FORMAT, oip_product_get_product_id (product));
  sku = oip_product_get_sku (product) > 0
        ? g_strdup_printf ("%" G_GINT64_FORMAT, oip_product_get_sku (product))
        : g_strdup (_("Not set"));

  {
    const char *name = oip_product_get_name (product);
    g_autofree char *ids = g_strdup_printf (_("Offer ID: %s · SKU: %s · Product ID: %s"),
                                            oip_product_get_offer_id (product), sku, product_id);

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->product_row),
                                   name && *name ? name : oip_product_get_offer_id (product));
    adw_action_row_set_subtitle (self->product_row, ids);
  }

  images = oip_product_get_images (product);
  for (guint i = 0; images[i] != NULL; i++)
    {
      g_autoptr(OipImageItem) item = oip_image_item_new (images[i]);

      oip_image_item_set_placement (item, i + 1, i == 0, FALSE, FALSE);
      g_list_store_append (current, item);
    }
  if (oip_product_get_color_image (product) != NULL)
    {
      g_autoptr(OipImageItem) item = oip_image_item_new (oip_product_get_color_image (product));

      oip_image_item_set_placement (item, 0, FALSE, TRUE, FALSE);
      g_list_store_append (current, item);
    }
  gtk_flow_box_bind_model (self->current_flow, G_LIST_MODEL (current), create_current_tile, NULL, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->no_current_label), g_list_model_get_n_items (G_LIST_MODEL (current)) == 0);

  /* A fresh download starts the list over; a push of this very product
   * (which updated its images) keeps what the seller arranged. */
  if (!same_product)
    oip_image_list_reset (self->images, product);
  update_actions (self);
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
  g_return_if_fail (OIP_IS_WINDOW (self));

  oip_gui_show_error (GTK_WIDGET (self), error);
}

/**
 * oip_window_get_images:
 *
 * Returns: (transfer none): the images the seller is about to push
 */
OipImageList *
oip_window_get_images (OipWindow *self)
{
  g_return_val_if_fail (OIP_IS_WINDOW (self), NULL);
  return self->images;
}

/**
 * oip_window_get_upload_dialog:
 *
 * Returns: (transfer none) (nullable): the Upload dialog's content, while
 *   it is open
 */
OipUploadDialog *
oip_window_get_upload_dialog (OipWindow *self)
{
  g_return_val_if_fail (OIP_IS_WINDOW (self), NULL);
  if (self->upload_dialog == NULL)
    return NULL;
  return OIP_UPLOAD_DIALOG (oip_dialog_get_content (self->upload_dialog));
}
