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

static gboolean
not_checking (gpointer dialog)
{
  return !oip_upload_dialog_is_checking (dialog);
}

static gboolean
rows_contain (OipUploadDialog *dialog,
              const char      *text)
{
  g_autofree char *rows = oip_upload_dialog_get_review_rows (dialog);

  if (strstr (rows, text) == NULL)
    {
      g_test_message ("not in the review: %s\nreview:\n%s", text, rows);
      return FALSE;
    }
  return TRUE;
}

static gboolean
details_contain (OipUploadDialog *dialog,
                 const char      *text)
{
  g_autofree char *rows = oip_upload_dialog_get_detail_rows (dialog);

  if (strstr (rows, text) == NULL)
    {
      g_test_message ("not in the details: %s\ndetails:\n%s", text, rows);
      return FALSE;
    }
  return TRUE;
}

/* The dialog's content fits 360 pixels: a phone, a tiled half. */
static void
assert_fits_360 (OipUploadDialog *dialog,
                 const char      *name)
{
  int minimum = 0;

  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  oip_dialog_set_size (GTK_WIDGET (dialog), 360, 640);
  oip_test_gui_settle (500);
  gtk_widget_measure (GTK_WIDGET (dialog), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  if (minimum > 360)
    oip_test_gui_explain_width (GTK_WIDGET (dialog), 360);
  g_assert_cmpint (minimum, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), <=, 360);
  oip_test_gui_screenshot_window_of (GTK_WIDGET (dialog), name);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 1000);
  oip_dialog_set_size (GTK_WIDGET (dialog), 760, 800);
  oip_test_gui_settle (300);
}

/* The small tiles of a row that shows images, in the review's warnings. */
static GtkFlowBox *
find_images_flow (GtkWidget *widget)
{
  if (GTK_IS_FLOW_BOX (widget) && g_strcmp0 (gtk_widget_get_name (widget), "images") == 0)
    return GTK_FLOW_BOX (widget);
  for (GtkWidget *part = gtk_widget_get_first_child (widget); part != NULL; part = gtk_widget_get_next_sibling (part))
    {
      GtkFlowBox *found = find_images_flow (part);

      if (found != NULL)
        return found;
    }
  return NULL;
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
  /* mug-box leaves Ozon: shown as its picture, not its address. */
  {
    GtkFlowBox *removed = find_images_flow (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "warnings_group"));
    GtkWidget *tile;
    g_autofree char *rows = oip_upload_dialog_get_review_rows (dialog);

    g_assert_nonnull (removed);
    g_assert_cmpuint (count_children (removed), ==, 1);
    tile = gtk_flow_box_child_get_child (gtk_flow_box_get_child_at_index (removed, 0));
    g_assert_true (OIP_IS_IMAGE_TILE (tile));
    g_assert_cmpstr (oip_image_item_get_url (oip_image_tile_get_item (OIP_IMAGE_TILE (tile))), ==, box);
    g_assert_null (strstr (rows, box));
    g_assert_true (oip_test_gui_wait_for (flow_loaded, removed));
    g_assert_cmpint (oip_image_tile_get_state (OIP_IMAGE_TILE (tile)), ==, OIP_TILE_LOADED);
  }
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

  /* In the seller's words: the tile's number, the images dropped. */
  {
    g_autofree char *invalid = g_strdup_printf (_("Image %u: %s"), 3, _("Invalid URL format"));
    g_autofree char *dropped = g_strdup_printf (_("Images %1$u to %2$u are not sent: Ozon takes %3$u"), 31, 33, 30);
    g_autofree char *rows = oip_upload_dialog_get_review_rows (dialog);

    g_assert_true (rows_contain (dialog, invalid));
    g_assert_true (rows_contain (dialog, dropped));
    g_assert_null (strstr (rows, "images["));
    g_assert_null (strstr (rows, "“images”"));
  }
  g_assert_true (gtk_widget_get_visible (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "remove_invalid_button")));
  oip_test_gui_settle (300);
  oip_test_gui_screenshot_window_of (GTK_WIDGET (dialog), "upload-review-problems");
  assert_fits_360 (dialog, "upload-review-problems-narrow");

  /* One click: the invalid image leaves the window's list, and the push
   * can go (the images past 30 are only said, not removed). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "upload.remove-invalid", NULL));
  oip_test_gui_settle (100);
  g_assert_cmpuint (oip_image_list_get_n_images (images), ==, 32);
  {
    g_auto(GStrv) urls = list_urls ();

    g_assert_false (g_strv_contains ((const char * const *) urls, "r2.com/img2.jpg"));
  }
  g_assert_false (gtk_widget_get_visible (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "remove_invalid_button")));
  g_assert_true (gtk_widget_is_sensitive (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "confirm_button")));
  {
    g_autofree char *dropped = g_strdup_printf (_("Images %1$u to %2$u are not sent: Ozon takes %3$u"), 31, 32, 30);

    g_assert_true (rows_contain (dialog, dropped));
  }
  close_dialog (dialog);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fake (), "/v2/product/pictures/import"), ==, imports);
}

static char *
write_picture (const char *name,
               int         width,
               int         height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), name, NULL);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "jpeg", &error, NULL));
  return g_filename_to_uri (path, NULL, NULL);
}

static char *
write_text_file (const char *name)
{
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "this is not a picture\n", -1, NULL));
  return g_filename_to_uri (path, NULL, NULL);
}

/* Everything that will fail is said before Confirm: a file that is not a
 * picture, one too small, one of the wrong shape (a warning), an address
 * that does not load here (a warning); each with its own advice. */
static void
test_review_lists_what_will_fail (void)
{
  g_autofree char *good = write_picture ("good.jpg", 900, 1200);
  g_autofree char *small = write_picture ("small.jpg", 120, 160);
  g_autofree char *wide = write_picture ("wide.jpg", 1800, 600);
  g_autofree char *text = write_text_file ("notes.jpg");
  g_autofree char *missing = image_url ("missing-1");
  g_autoptr(GString) pasted = g_string_new (NULL);
  guint imports = oip_fake_ozon_count_requests (fake (), "/v2/product/pictures/import");
  OipImageList *images = oip_window_get_images (window);
  OipUploadDialog *dialog;
  guint base;

  /* Ten more between: the address that does not load is far below the
   * fold, where its tile never loads; the review tries it all the same. */
  g_string_append_printf (pasted, "%s\n%s\n%s\n%s\n", good, text, small, wide);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("fold-%u", i);
      g_autofree char *url = image_url (name);

      g_string_append_printf (pasted, "%s\n", url);
    }
  g_string_append_printf (pasted, "%s\n", missing);
  download ("ART-1003");
  base = oip_image_list_get_n_images (images);
  g_assert_cmpuint (oip_image_list_add_text (images, pasted->str, NULL), ==, 15);
  /* Tiles: the product's, then good, notes, small, wide, ten more, missing-1. */
  dialog = open_upload ();
  g_assert_true (oip_test_gui_wait_for (not_checking, dialog));
  g_assert_true (oip_test_gui_wait_for (flow_loaded, child (dialog, OIP_TYPE_UPLOAD_DIALOG, "review_flow")));
  oip_test_gui_settle (200);
  {
    g_autofree char *not_picture = g_strdup_printf (_("Image %u: %s"), base + 2, _("This file is not a JPEG or PNG picture"));
    g_autofree char *too_small = g_strdup_printf (_("The picture is %d×%d pixels: too small for a product photo"), 120, 160);
    g_autofree char *small_row = g_strdup_printf (_("Image %u: %s"), base + 3, too_small);
    g_autofree char *shape = g_strdup_printf (_("Image %u: %s"), base + 4,
                                              _("Ozon shows 3:4 pictures in full; this one will get margins or be cropped"));
    g_autofree char *not_loaded = g_strdup_printf (_("Image %u could not be loaded here; Ozon may fail to fetch it too"),
                                                   base + 15);
    g_autofree char *small_hint = g_strdup_printf ("%s | %s", small_row,
                                                   _("Use a larger picture: at least 200 pixels a side, about 1000 on the long side."));

    g_assert_true (rows_contain (dialog, not_picture));
    g_assert_true (rows_contain (dialog, _("Ozon takes JPEG or PNG pictures: replace the file with one.")));
    /* A picture that is only too small is not told to convert. */
    g_assert_true (rows_contain (dialog, small_hint));
    g_assert_true (rows_contain (dialog, shape));
    g_assert_true (rows_contain (dialog, _("Crop the picture to 3:4 (for example 900×1200) to have it shown in full.")));
    g_assert_true (rows_contain (dialog, not_loaded));
  }
  /* Errors stop the push; warnings do not. */
  g_assert_false (gtk_widget_is_sensitive (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "confirm_button")));
  oip_test_gui_screenshot_window_of (GTK_WIDGET (dialog), "upload-review-local-problems");

  /* Remove Invalid takes the two that cannot be sent; the warnings stay. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "upload.remove-invalid", NULL));
  g_assert_true (oip_test_gui_wait_for (not_checking, dialog));
  {
    g_auto(GStrv) urls = list_urls ();

    g_assert_cmpuint (g_strv_length (urls), ==, base + 13);
    g_assert_false (g_strv_contains ((const char * const *) urls, text));
    g_assert_false (g_strv_contains ((const char * const *) urls, small));
    g_assert_true (g_strv_contains ((const char * const *) urls, wide));
    g_assert_true (g_strv_contains ((const char * const *) urls, missing));
  }
  g_assert_true (gtk_widget_is_sensitive (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "confirm_button")));
  {
    g_autofree char *shape = g_strdup_printf (_("Image %u: %s"), base + 2,
                                              _("Ozon shows 3:4 pictures in full; this one will get margins or be cropped"));

    g_assert_true (rows_contain (dialog, shape));
  }
  close_dialog (dialog);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fake (), "/v2/product/pictures/import"), ==, imports);
}

/* A picture that changes between the review and the push: the upload
 * finds it, nothing is sent, and the result lists it with its advice. */
static void
test_failed_upload_lists_problems (void)
{
  g_autofree char *first = write_picture ("first.jpg", 900, 1200);
  g_autofree char *second = write_picture ("second.jpg", 900, 1200);
  g_autofree char *pasted = g_strdup_printf ("%s\n%s\n", first, second);
  g_autofree char *second_path = g_filename_from_uri (second, NULL, NULL);
  g_autofree char *first_path = g_filename_from_uri (first, NULL, NULL);
  guint imports = oip_fake_ozon_count_requests (fake (), "/v2/product/pictures/import");
  OipUploadDialog *dialog;
  guint base;

  download ("ART-1003");
  base = oip_image_list_get_n_images (oip_window_get_images (window));
  g_assert_cmpuint (oip_image_list_add_text (oip_window_get_images (window), pasted, NULL), ==, 2);
  dialog = open_upload ();
  g_assert_true (oip_test_gui_wait_for (not_checking, dialog));
  g_assert_true (gtk_widget_is_sensitive (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "confirm_button")));

  /* Both spoiled after the review. */
  g_assert_true (g_file_set_contents (second_path, "not a picture", -1, NULL));
  {
    g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 100, 100);

    gdk_pixbuf_fill (pixbuf, 0x993333ff);
    g_assert_true (gdk_pixbuf_save (pixbuf, first_path, "jpeg", NULL, NULL));
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "upload.confirm", NULL));
  g_assert_true (oip_test_gui_wait_for (on_result_page, dialog));
  g_assert_false (oip_upload_dialog_succeeded (dialog));
  {
    g_autofree char *too_small = g_strdup_printf (_("The picture is %d×%d pixels: too small for a product photo"), 100, 100);
    g_autofree char *first_row = g_strdup_printf (_("Image %u: %s"), base + 1, too_small);
    g_autofree char *second_row = g_strdup_printf (_("Image %u: %s"), base + 2, _("This file is not a JPEG or PNG picture"));

    g_assert_true (details_contain (dialog, first_row));
    g_assert_true (details_contain (dialog, _("Use a larger picture: at least 200 pixels a side, about 1000 on the long side.")));
    g_assert_true (details_contain (dialog, second_row));
    g_assert_true (details_contain (dialog, _("Ozon takes JPEG or PNG pictures: replace the file with one.")));
  }
  oip_test_gui_settle (300);
  oip_test_gui_screenshot_window_of (GTK_WIDGET (dialog), "upload-failed-pictures");
  close_dialog (dialog);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fake (), "/v2/product/pictures/import"), ==, imports);
}

/* What the dialog's Enter does, as the key would (its shortcut). */
static gboolean
press_enter (OipUploadDialog *dialog)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (dialog));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
          g_strcmp0 (gtk_event_controller_get_name (controller), "oip-enter") != 0)
        continue;
      g_assert_cmpint (gtk_event_controller_get_propagation_phase (controller), ==, GTK_PHASE_CAPTURE);
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_Return)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, GTK_WIDGET (dialog),
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  g_assert_not_reached ();
}

/* Enter pushes from the review, the keyboard starts on Confirm, and Tab
 * reaches the buttons without walking every thumbnail. */
static void
test_enter_and_tab (void)
{
  g_autoptr(GString) many = g_string_new (NULL);
  OipUploadDialog *dialog;
  GtkWidget *confirm, *cancel;
  GtkWidget *root;
  guint steps = 0;
  gboolean reached = FALSE;

  download ("ART-1002");
  for (guint i = 0; i < 28; i++)
    {
      g_autofree char *name = g_strdup_printf ("tab-%02u", i);
      g_autofree char *url = image_url (name);

      g_string_append_printf (many, "%s\n", url);
    }
  oip_image_list_add_text (oip_window_get_images (window), many->str, NULL);
  dialog = open_upload ();
  confirm = child (dialog, OIP_TYPE_UPLOAD_DIALOG, "confirm_button");
  cancel = child (dialog, OIP_TYPE_UPLOAD_DIALOG, "cancel_button");
  root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (dialog)));
  oip_test_gui_settle (300);
  /* The dialog's focus (its window may not be the active one here). */
  if (gtk_root_get_focus (GTK_ROOT (root)) != confirm)
    g_test_message ("focus on %s %s", gtk_root_get_focus (GTK_ROOT (root)) ? G_OBJECT_TYPE_NAME (gtk_root_get_focus (GTK_ROOT (root))) : "nothing",
                    gtk_root_get_focus (GTK_ROOT (root)) && GTK_IS_BUTTON (gtk_root_get_focus (GTK_ROOT (root))) ? gtk_button_get_label (GTK_BUTTON (gtk_root_get_focus (GTK_ROOT (root)))) : "");
  g_assert_true (gtk_root_get_focus (GTK_ROOT (root)) == confirm);

  /* From the top of the dialog, Tab by Tab: never a thumbnail. A Tab the
   * dialog did not take yet (a slow machine still settling it) is tried
   * again, not counted as a stop. */
  g_assert_true (oip_test_gui_wait_for (not_checking, dialog));
  gtk_widget_grab_focus (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "product_row"));
  for (guint tries = 0; steps < 40 && tries < 200 && !reached; tries++)
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (root));

      g_assert_false (focus != NULL &&
                      gtk_widget_is_ancestor (focus, child (dialog, OIP_TYPE_UPLOAD_DIALOG, "review_flow")));
      if (focus == cancel || focus == confirm)
        reached = TRUE;
      else if (gtk_widget_child_focus (GTK_WIDGET (dialog), GTK_DIR_TAB_FORWARD) &&
               gtk_root_get_focus (GTK_ROOT (root)) != focus)
        steps++;
      else
        oip_test_gui_settle (20);
    }
  g_test_message ("Tab reached the buttons in %u steps", steps);
  g_assert_true (reached);
  g_assert_cmpuint (steps, <, 12);

  /* Enter on Cancel is Cancel's; anywhere else in the review it pushes. */
  gtk_widget_grab_focus (cancel);
  g_assert_false (press_enter (dialog));
  g_assert_cmpstr (oip_upload_dialog_get_page (dialog), ==, "review");
  gtk_widget_grab_focus (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "product_row"));
  g_assert_true (press_enter (dialog));
  g_assert_true (oip_test_gui_wait_for (on_result_page, dialog));
  g_assert_true (oip_upload_dialog_succeeded (dialog));
  close_dialog (dialog);
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


static gboolean
at_stage (gpointer data)
{
  OipUploadDialog *dialog = oip_window_get_upload_dialog (window);

  return dialog != NULL && (int) oip_push_job_get_stage (oip_upload_dialog_get_job (dialog)) == GPOINTER_TO_INT (data);
}

static gboolean
has_alert (gpointer data)
{
  return oip_test_gui_find_alert () != NULL;
}

static gboolean
no_alert (gpointer data)
{
  return oip_test_gui_find_alert () == NULL;
}

/* Before anything was sent, Cancel, Esc and × stop at once, without a
 * question; the toast over the page leaves the buttons free. */
static void
test_stop_before_sending (void)
{
  g_autofree char *extra = image_url ("early-1");
  OipUploadDialog *dialog;

  download ("ART-1001");
  oip_image_list_add_text (oip_window_get_images (window), extra, NULL);
  oip_fake_ozon_set_slow_delay (fake (), 8000);
  dialog = open_upload ();

  for (guint round = 0; round < 2; round++)
    {
      GtkWidget *overlay = child (dialog, OIP_TYPE_UPLOAD_DIALOG, "toast_overlay");
      gint64 start;

      /* The product is read first (slowly here): nothing has been sent. */
      oip_fake_ozon_inject (fake (), "/v3/product/info/list", OIP_FAKE_FAULT_SLOW, 1);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "upload.confirm", NULL));
      g_assert_true (oip_test_gui_wait_for (is_pushing, dialog));
      g_assert_cmpint (oip_push_job_get_stage (oip_upload_dialog_get_job (dialog)), ==, OIP_PUSH_STAGE_PREPARING);

      start = g_get_monotonic_time ();
      if (round == 0)
        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "upload.cancel", NULL));
      else
        oip_dialog_close (GTK_WIDGET (dialog));   /* Esc and × */
      g_assert_null (oip_test_gui_find_alert ());
      g_assert_true (oip_test_gui_wait_for (not_pushing, dialog));
      g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
      g_assert_null (oip_test_gui_find_alert ());
      g_assert_cmpstr (oip_upload_dialog_get_page (dialog), ==, "review");
      g_assert_cmpint (oip_push_job_get_result (oip_upload_dialog_get_job (dialog))->outcome, ==,
                       OIP_PUSH_OUTCOME_CANCELLED);
      /* The toast covers the pages, never the buttons. */
      g_assert_false (gtk_widget_is_ancestor (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "confirm_button"), overlay));
      g_assert_false (gtk_widget_is_ancestor (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "cancel_button"), overlay));
      g_assert_true (gtk_widget_is_ancestor (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "stack"), overlay));
      if (round == 0)
        {
          oip_test_gui_settle (400);
          oip_test_gui_screenshot_window_of (GTK_WIDGET (dialog), "upload-stopped-before-sending");
        }
    }
  oip_fake_ozon_clear_faults (fake ());
  close_dialog (dialog);
}

/* Once Ozon may have the images, Cancel (like Esc and ×) asks; Stop
 * closes the dialog and the window says Ozon may still import. */
static void
test_stop_after_sending (void)
{
  g_autofree char *extra = image_url ("slow-1");
  const OipPushResult *result;
  g_autofree char *said = NULL;
  GtkWidget *ask;
  OipUploadDialog *dialog;
  OipPushJob *job;
  AdwToast *toast;

  download ("ART-1001");
  oip_image_list_add_text (oip_window_get_images (window), extra, NULL);
  oip_fake_ozon_set_slow_delay (fake (), 8000);
  oip_fake_ozon_inject (fake (), "/v2/product/pictures/import", OIP_FAKE_FAULT_SLOW, 1);

  dialog = open_upload ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "upload.confirm", NULL));
  g_assert_true (oip_test_gui_wait_for (at_stage, GINT_TO_POINTER (OIP_PUSH_STAGE_SENDING)));
  g_assert_cmpstr (oip_upload_dialog_get_page (dialog), ==, "progress");
  job = g_object_ref (oip_upload_dialog_get_job (dialog));
  /* The bar is the job's. */
  g_assert_cmpfloat (oip_push_job_get_fraction (job), >, 0.0);
  g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "progress_bar")),
                                  oip_push_job_get_fraction (job), 0.001);
  oip_test_gui_settle (300);
  oip_test_gui_screenshot_window_of (GTK_WIDGET (dialog), "upload-progress");
  assert_fits_360 (dialog, "upload-progress-narrow");

  /* Closing the main window during a push asks first, and stays open. */
  gtk_window_close (GTK_WINDOW (window));
  ask = oip_test_gui_wait_for_alert ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  oip_test_gui_respond (ask, "keep");
  g_assert_true (oip_upload_dialog_is_pushing (dialog));

  /* The Cancel button asks as Esc does. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "upload.cancel", NULL));
  ask = oip_test_gui_wait_for_alert ();
  g_assert_cmpstr (oip_alert_get_heading (ask), ==, _("Stop Pushing?"));
  g_assert_true (oip_upload_dialog_is_pushing (dialog));
  oip_test_gui_respond (ask, "stop");
  g_assert_true (oip_test_gui_wait_for (dialog_gone, NULL));

  /* The window says what Stop means now. */
  result = oip_push_job_get_result (job);
  g_assert_cmpint (result->outcome, ==, OIP_PUSH_OUTCOME_CANCELLED);
  said = oip_push_result_describe (result);
  toast = oip_window_get_toast (window);
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, said);
  g_assert_cmpstr (said, ==, _("Stopped while the images were being sent. Ozon may have received them and may still import them."));
  oip_test_gui_settle (300);
  oip_test_gui_screenshot (GTK_WIDGET (window), "main-window-after-stop");
  g_object_unref (job);
  oip_fake_ozon_clear_faults (fake ());
}

/* The question goes away by itself when the push ends while it is asked. */
static void
test_stop_question_closes_itself (void)
{
  g_autofree char *extra = image_url ("slow-2");
  OipUploadDialog *dialog;

  download ("ART-1001");
  oip_image_list_add_text (oip_window_get_images (window), extra, NULL);
  oip_fake_ozon_set_slow_delay (fake (), 1500);
  oip_fake_ozon_inject (fake (), "/v2/product/pictures/import", OIP_FAKE_FAULT_SLOW, 1);

  dialog = open_upload ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "upload.confirm", NULL));
  g_assert_true (oip_test_gui_wait_for (at_stage, GINT_TO_POINTER (OIP_PUSH_STAGE_SENDING)));
  oip_dialog_close (GTK_WIDGET (dialog));   /* Esc */
  g_assert_true (oip_test_gui_wait_for (has_alert, NULL));
  g_assert_true (oip_test_gui_wait_for (on_result_page, dialog));
  g_assert_true (oip_test_gui_wait_for (no_alert, NULL));
  g_assert_true (oip_upload_dialog_succeeded (dialog));
  g_assert_nonnull (oip_window_get_upload_dialog (window));
  close_dialog (dialog);
  oip_fake_ozon_clear_faults (fake ());
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
  g_test_add_func ("/upload/review-lists-what-will-fail", test_review_lists_what_will_fail);
  g_test_add_func ("/upload/failed-upload-lists-problems", test_failed_upload_lists_problems);
  g_test_add_func ("/upload/enter-and-tab", test_enter_and_tab);
  g_test_add_func ("/upload/stop-before-sending", test_stop_before_sending);
  g_test_add_func ("/upload/stop-after-sending", test_stop_after_sending);
  g_test_add_func ("/upload/stop-question-closes-itself", test_stop_question_closes_itself);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_application_quit (G_APPLICATION (app));
  g_clear_object (&app);
  return status;
}
