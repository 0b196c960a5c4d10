/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "oip-application.h"
#include "oip-dialogs.h"
#include "oip-image-tile.h"
#include "oip-settings.h"
#include "oip-test-gui.h"
#include "oip-upload-dialog.h"
#include "oip-window.h"

/* The push flow as a seller goes through it, in the demo app: download a
 * product, edit its images (add, reorder, remove, main and color image),
 * review them in the Upload dialog, push, read the outcome. What the demo's
 * fake Ozon received is checked after each push. */

static OipApplication *app;
static OipWindow *window;

static gpointer
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (widget, type, name);

  g_assert_nonnull (object);
  return object;
}

static OipFakeOzon *
fake (void)
{
  return oip_application_get_demo_server (app);
}

static char *
image_url (const char *name)
{
  return oip_fake_ozon_image_url (fake (), name);
}

static gboolean
has_product (gpointer data)
{
  return oip_window_get_product (window) != NULL &&
         g_strcmp0 (oip_product_get_offer_id (oip_window_get_product (window)), data) == 0;
}

static void
download (const char *offer_id)
{
  /* The last test's edits are thrown away, as the seller may: otherwise
   * switching product asks first. */
  if (oip_window_has_unpushed_changes (window))
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.discard-draft", NULL));
  gtk_editable_set_text (child (window, OIP_TYPE_WINDOW, "id_row"), offer_id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.download", NULL));
  g_assert_true (oip_test_gui_wait_for (has_product, (gpointer) offer_id));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reset-images", NULL);
}

static gboolean
flow_loaded (gpointer flow)
{
  return oip_test_gui_tiles_loaded (flow);
}

static char **
list_urls (void)
{
  GListModel *model = oip_image_list_get_model (oip_window_get_images (window));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(OipImageItem) item = g_list_model_get_item (model, i);

      g_strv_builder_add (builder, oip_image_item_get_url (item));
    }
  return g_strv_builder_end (builder);
}

static OipUploadDialog *
open_upload (void)
{
  OipUploadDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.upload", NULL));
  dialog = oip_window_get_upload_dialog (window);
  g_assert_nonnull (dialog);
  oip_dialog_set_size (GTK_WIDGET (dialog), 760, 800);
  oip_test_gui_settle (200);
  g_assert_cmpstr (oip_upload_dialog_get_page (dialog), ==, "review");
  return dialog;
}

static gboolean
on_result_page (gpointer dialog)
{
  return g_str_equal (oip_upload_dialog_get_page (dialog), "result");
}

static gboolean
dialog_gone (gpointer data)
{
  return oip_window_get_upload_dialog (window) == NULL;
}

static void
close_dialog (OipUploadDialog *dialog)
{
  oip_dialog_close (GTK_WIDGET (dialog));
  g_assert_true (oip_test_gui_wait_for (dialog_gone, NULL));
}

static guint
count_children (GtkFlowBox *flow)
{
  guint n = 0;

  while (gtk_flow_box_get_child_at_index (flow, n) != NULL)
    n++;
  return n;
}

static void
test_full_flow (void)
{
  g_autofree char *front = image_url ("mug-front");
  g_autofree char *side = image_url ("mug-side");
  g_autofree char *box = image_url ("mug-box");
  g_autofree char *new1 = image_url ("new-1");
  g_autofree char *new2 = image_url ("new-2");
  g_autofree char *pasted = g_strdup_printf ("%s\n%s\n", new1, new2);
  g_auto(GStrv) urls = NULL;
  OipImageList *images = oip_window_get_images (window);
  OipUploadDialog *dialog;
  OipFakeRequest *import;
  JsonObject *item;
  JsonArray *sent;
  const char * const *on_ozon;

  download ("ART-1001");

  /* Paste two addresses into the entry, as a seller would. */
  gtk_editable_set_text (child (window, OIP_TYPE_WINDOW, "add_row"), pasted);
  g_signal_emit_by_name (child (window, OIP_TYPE_WINDOW, "add_row"), "apply");
  g_assert_cmpuint (oip_image_list_get_n_images (images), ==, 5);
  g_assert_cmpstr (gtk_editable_get_text (child (window, OIP_TYPE_WINDOW, "add_row")), ==, "");

  /* Each image's menu actions. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.image-later", "s", front));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.image-remove", "s", box));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.image-main", "s", new2));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.image-color", "s", new1));
  urls = list_urls ();
  g_assert_cmpstr (urls[0], ==, new2);
  g_assert_cmpstr (urls[1], ==, side);
  g_assert_cmpstr (urls[2], ==, front);
  g_assert_cmpstr (urls[3], ==, new1);
  g_assert_null (urls[4]);
  g_assert_true (oip_image_item_get_is_color (oip_image_list_get_color (images)));

  g_assert_true (oip_test_gui_wait_for (flow_loaded, child (window, OIP_TYPE_WINDOW, "push_flow")));
  g_assert_true (oip_test_gui_wait_for (flow_loaded, child (window, OIP_TYPE_WINDOW, "current_flow")));
  oip_test_gui_settle (200);
  oip_test_gui_screenshot (GTK_WIDGET (window), "main-window-editing");

  /* The review shows exactly what goes: three images and the color one,
   * and warns that mug-box leaves Ozon. */
  dialog = open_upload ();
  g_assert_cmpuint (count_children (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "review_flow")), ==, 4);
  g_assert_nonnull (strstr (gtk_label_get_text (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "counts_label")), "3"));
  g_assert_true (oip_test_gui_wait_for (flow_loaded, child (dialog, OIP_TYPE_UPLOAD_DIALOG, "review_flow")));
  oip_test_gui_settle (200);
  oip_test_gui_screenshot_window_of (GTK_WIDGET (dialog), "upload-review");
  g_assert_cmpuint (oip_fake_ozon_count_requests (fake (), "/v2/product/pictures/import"), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "upload.confirm", NULL));
  g_assert_true (oip_test_gui_wait_for (on_result_page, dialog));
  g_assert_true (oip_upload_dialog_succeeded (dialog));
  g_assert_false (oip_upload_dialog_is_pushing (dialog));

  /* What Ozon received. */
  import = oip_fake_ozon_last_request (fake (), "/v2/product/pictures/import");
  item = json_array_get_object_element (json_object_get_array_member (json_node_get_object (import->body), "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (item, "offer_id"), ==, "ART-1001");
  sent = json_object_get_array_member (item, "images");
  g_assert_cmpuint (json_array_get_length (sent), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (sent, 0), ==, new2);
  g_assert_cmpstr (json_array_get_string_element (sent, 1), ==, side);
  g_assert_cmpstr (json_array_get_string_element (sent, 2), ==, front);
  g_assert_cmpstr (json_object_get_string_member (item, "color_image"), ==, new1);
  on_ozon = oip_fake_ozon_get_product_images (fake (), 214365879);
  g_assert_cmpstr (on_ozon[0], ==, new2);

  g_assert_true (oip_test_gui_wait_for (flow_loaded, child (dialog, OIP_TYPE_UPLOAD_DIALOG, "result_flow")));
  g_assert_cmpuint (count_children (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "result_flow")), ==, 4);
  oip_test_gui_settle (200);
  oip_test_gui_screenshot_window_of (GTK_WIDGET (dialog), "upload-success");

  close_dialog (dialog);
  /* The window shows the product as Ozon has it now. */
  g_assert_cmpuint (count_children (child (window, OIP_TYPE_WINDOW, "current_flow")), ==, 4);
}

static GtkWidget *
tile_at (guint position)
{
  GtkFlowBoxChild *flow_child = gtk_flow_box_get_child_at_index (child (window, OIP_TYPE_WINDOW, "push_flow"), position);

  g_assert_nonnull (flow_child);
  return gtk_flow_box_child_get_child (flow_child);
}

static void
test_drag_and_drop (void)
{
  g_autofree char *front = image_url ("tote-front");
  g_autofree char *detail = image_url ("tote-detail");
  g_autofree char *dropped = image_url ("dropped-1");
  g_autofree char *uri_list = g_strdup_printf ("# from a browser\r\n%s\r\n", dropped);
  g_auto(GStrv) urls = NULL;

  download ("ART-1002");

  /* A tile dragged onto another takes its place. */
  g_signal_emit_by_name (tile_at (0), "dropped", detail);
  urls = list_urls ();
  g_assert_cmpstr (urls[0], ==, detail);
  g_assert_cmpstr (urls[1], ==, front);
  g_clear_pointer (&urls, g_strfreev);

  /* A text/uri-list from elsewhere dropped on a tile is added. */
  g_signal_emit_by_name (tile_at (1), "dropped", uri_list);
  urls = list_urls ();
  g_assert_cmpuint (g_strv_length (urls), ==, 3);
  g_assert_cmpstr (urls[2], ==, dropped);
}

static void
test_local_files (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 900, 1200);
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "my-photo.jpg", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  g_autoptr(GError) error = NULL;
  OipImageTile *tile;
  OipUploadDialog *dialog;
  const char * const *on_ozon;

  download ("ART-1003");
  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "jpeg", &error, NULL));

  /* Dropped from the file manager: a tile that will be uploaded. */
  g_signal_emit_by_name (tile_at (0), "dropped", uri);
  tile = OIP_IMAGE_TILE (tile_at (1));
  g_assert_cmpstr (oip_image_item_get_url (oip_image_tile_get_item (tile)), ==, uri);
  g_assert_true (oip_test_gui_wait_for (flow_loaded, child (window, OIP_TYPE_WINDOW, "push_flow")));
  g_assert_cmpint (oip_image_tile_get_state (tile), ==, OIP_TILE_LOADED);
  /* Named on its tile, not “Will be uploaded”. */
  g_assert_cmpstr (oip_image_tile_get_caption (tile), ==, "my-photo.jpg");
  oip_test_gui_screenshot (GTK_WIDGET (window), "main-window-local-file");

  /* Two stages: the storage, then Ozon. */
  dialog = open_upload ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "upload.confirm", NULL));
  g_assert_true (oip_test_gui_wait_for (on_result_page, dialog));
  g_assert_true (oip_upload_dialog_succeeded (dialog));
  close_dialog (dialog);

  /* Ozon fetched it from the storage's public address… */
  on_ozon = oip_fake_ozon_get_product_images (fake (), 214365881);
  g_assert_cmpuint (g_strv_length ((char **) on_ozon), ==, 2);
  g_assert_nonnull (strstr (on_ozon[1], "/storage/"));
  /* …and the tile's image, the same one, knows that address. */
  tile = OIP_IMAGE_TILE (tile_at (1));
  g_assert_cmpstr (oip_image_item_get_url (oip_image_tile_get_item (tile)), ==, uri);
  g_assert_cmpstr (oip_image_item_get_sent_url (oip_image_tile_get_item (tile)), ==, on_ozon[1]);
  g_assert_cmpint (oip_image_item_get_state (oip_image_tile_get_item (tile)), ==, OIP_IMAGE_STATE_IMPORTED);
}

static void
test_problems_shown_before_sending (void)
{
  g_autoptr(GString) many = g_string_new ("r2.com/img2.jpg\n");
  guint imports = oip_fake_ozon_count_requests (fake (), "/v2/product/pictures/import");
  OipImageList *images = oip_window_get_images (window);
  OipUploadDialog *dialog;
  GtkFlowBoxChild *invalid_child;

  download ("ART-1002");
  for (guint i = 0; i < 30; i++)
    g_string_append_printf (many, "https://cdn.example.net/p/%u.jpg\n", i);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reset-images", NULL);
  g_assert_cmpuint (oip_image_list_add_text (images, many->str, NULL), ==, 31);

  /* In the editor: the bad address and the 31st image and beyond are marked. */
  invalid_child = gtk_flow_box_get_child_at_index (child (window, OIP_TYPE_WINDOW, "push_flow"), 2);
  g_assert_cmpint (oip_image_tile_get_state (OIP_IMAGE_TILE (gtk_flow_box_child_get_child (invalid_child))), ==,
                   OIP_TILE_INVALID);
  {
    g_autoptr(OipImageItem) last = g_list_model_get_item (oip_image_list_get_model (images), 32);

    g_assert_true (oip_image_item_get_over_limit (last));
  }

  dialog = open_upload ();
  /* Nothing can be sent until the address is fixed. */
  g_assert_false (gtk_widget_get_visible (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "progress_page")) &&
                  g_str_equal (oip_upload_dialog_get_page (dialog), "progress"));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (dialog), "upload.confirm", NULL) &&
                  !g_str_equal (oip_upload_dialog_get_page (dialog), "review"));
  g_assert_false (gtk_widget_is_sensitive (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "confirm_button")));
  oip_test_gui_settle (300);
  oip_test_gui_screenshot_window_of (GTK_WIDGET (dialog), "upload-review-problems");
  close_dialog (dialog);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fake (), "/v2/product/pictures/import"), ==, imports);
}

static void
test_failure_keeps_list (void)
{
  g_autoptr(GSettings) settings = oip_settings_new ();
  g_autofree char *extra = image_url ("extra-1");
  g_auto(GStrv) before = NULL;
  g_auto(GStrv) after = NULL;
  OipUploadDialog *dialog;

  download ("ART-1003");
  oip_image_list_add_text (oip_window_get_images (window), extra, NULL);
  before = list_urls ();

  g_settings_set_uint (settings, "max-retries", 0);
  oip_fake_ozon_inject (fake (), "/v2/product/pictures/import", OIP_FAKE_FAULT_BAD_GATEWAY_HTML, 2);
  dialog = open_upload ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "upload.confirm", NULL));
  g_assert_true (oip_test_gui_wait_for (on_result_page, dialog));
  g_assert_false (oip_upload_dialog_succeeded (dialog));
  g_assert_cmpstr (oip_upload_dialog_get_status (dialog), ==, _("Push Failed"));
  /* A server error: Retry is offered. */
  g_assert_true (gtk_widget_get_visible (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "retry_button")));
  oip_test_gui_settle (300);
  oip_test_gui_screenshot_window_of (GTK_WIDGET (dialog), "upload-failure");

  /* The seller's product and list are as they were. */
  after = list_urls ();
  g_assert_true (g_strv_equal ((const char * const *) before, (const char * const *) after));
  g_assert_cmpstr (oip_product_get_offer_id (oip_window_get_product (window)), ==, "ART-1003");

  /* Retry once the server is back (one fault left, then it answers). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "upload.retry", NULL));
  g_assert_true (oip_test_gui_wait_for (on_result_page, dialog));
  g_assert_false (oip_upload_dialog_succeeded (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "upload.retry", NULL));
  g_assert_true (oip_test_gui_wait_for (on_result_page, dialog));
  g_assert_true (oip_upload_dialog_succeeded (dialog));
  g_settings_reset (settings, "max-retries");
  close_dialog (dialog);
}

static void
test_result_headline_visible (void)
{
  g_autoptr(GString) many = g_string_new (NULL);
  OipUploadDialog *dialog;
  GtkWidget *headline;

  download ("ART-1001");
  /* 30 images and more: the result lists 30 and has detail rows. */
  for (guint i = 0; i < 31; i++)
    {
      g_autofree char *name = g_strdup_printf ("many-%02u", i);
      g_autofree char *url = image_url (name);

      g_string_append_printf (many, "%s\n", url);
    }
  oip_image_list_reset (oip_window_get_images (window), NULL);
  g_assert_cmpuint (oip_image_list_add_text (oip_window_get_images (window), many->str, NULL), ==, 31);

  dialog = open_upload ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "upload.confirm", NULL));
  g_assert_true (oip_test_gui_wait_for (on_result_page, dialog));
  g_assert_true (oip_test_gui_wait_for (flow_loaded, child (dialog, OIP_TYPE_UPLOAD_DIALOG, "result_flow")));
  g_assert_cmpuint (count_children (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "result_flow")), >=, 30);
  g_assert_true (gtk_widget_get_visible (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "details_group")));
  oip_test_gui_settle (300);

  /* The outcome first, whole, however long the rest: a tall dialog… */
  headline = child (dialog, OIP_TYPE_UPLOAD_DIALOG, "result_page");
  oip_test_gui_assert_not_squashed (headline);
  oip_test_gui_screenshot_window_of (GTK_WIDGET (dialog), "upload-success-30");

  /* …and at 360 pixels. */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  oip_dialog_set_size (GTK_WIDGET (dialog), 360, 640);
  oip_test_gui_settle (500);
  oip_test_gui_assert_not_squashed (headline);
  oip_test_gui_screenshot_window_of (GTK_WIDGET (dialog), "upload-success-30-narrow");
  close_dialog (dialog);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 1000);
  oip_test_gui_settle (300);
}

static gboolean
is_pushing (gpointer dialog)
{
  return oip_upload_dialog_is_pushing (dialog);
}

static gboolean
not_pushing (gpointer dialog)
{
  return !oip_upload_dialog_is_pushing (dialog);
}


static void
test_cancel_and_close_during_push (void)
{
  g_autofree char *extra = image_url ("slow-1");
  GtkWidget *ask;
  OipUploadDialog *dialog;
  gint64 start;

  download ("ART-1001");
  oip_image_list_add_text (oip_window_get_images (window), extra, NULL);
  oip_fake_ozon_set_slow_delay (fake (), 8000);
  oip_fake_ozon_inject (fake (), "/v2/product/pictures/import", OIP_FAKE_FAULT_SLOW, 1);

  dialog = open_upload ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "upload.confirm", NULL));
  g_assert_true (oip_test_gui_wait_for (is_pushing, dialog));
  g_assert_cmpstr (oip_upload_dialog_get_page (dialog), ==, "progress");
  oip_test_gui_settle (300);
  oip_test_gui_screenshot_window_of (GTK_WIDGET (dialog), "upload-progress");

  /* Closing the main window during a push asks first, and stays open. */
  gtk_window_close (GTK_WINDOW (window));
  ask = oip_test_gui_wait_for_alert ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  oip_test_gui_respond (ask, "keep");
  g_assert_true (oip_upload_dialog_is_pushing (dialog));

  /* Cancel really cancels: back well before the server would answer. */
  start = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "upload.cancel", NULL));
  g_assert_true (oip_test_gui_wait_for (not_pushing, dialog));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpstr (oip_upload_dialog_get_page (dialog), ==, "review");
  close_dialog (dialog);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  oip_test_gui_init (&argc, &argv);

  app = oip_application_new ();
  oip_application_set_demo (app);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_application_activate (G_APPLICATION (app));
  window = OIP_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 1000);
  oip_test_gui_settle (300);

  g_test_add_func ("/upload/full-flow", test_full_flow);
  g_test_add_func ("/upload/drag-and-drop", test_drag_and_drop);
  g_test_add_func ("/upload/local-files", test_local_files);
  g_test_add_func ("/upload/problems-shown-before-sending", test_problems_shown_before_sending);
  g_test_add_func ("/upload/failure-keeps-list", test_failure_keeps_list);
  g_test_add_func ("/upload/result-headline-visible", test_result_headline_visible);
  g_test_add_func ("/upload/cancel-and-close-during-push", test_cancel_and_close_during_push);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_application_quit (G_APPLICATION (app));
  g_clear_object (&app);
  return status;
}
