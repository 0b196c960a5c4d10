/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "oip-application.h"
#include "oip-dialogs.h"
#include "oip-history-row.h"
#include "oip-history-view.h"
#include "oip-image-tile.h"
#include "oip-ozon-messages.h"
#include "oip-test-gui.h"
#include "oip-upload-dialog.h"
#include "oip-window.h"

/* Pushes that can be taken back, as a seller goes through them in the
 * demo app: a push, Undo from the toast (the normal review, then Ozon has
 * the old images again), the History view listing the pushes newest
 * first, Restore of the first push, a push where a picture fails and
 * Retry Failed. Every outcome is checked on the fake Ozon's side: what it
 * received and what the product has. */

#define MUG 214365879
#define TOTE 214365880

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
  if (oip_window_has_unpushed_changes (window))
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.discard-draft", NULL));
  gtk_editable_set_text (child (window, OIP_TYPE_WINDOW, "id_row"), offer_id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.download", NULL));
  g_assert_true (oip_test_gui_wait_for (has_product, (gpointer) offer_id));
  oip_test_gui_settle (100);
}

static gboolean
flow_loaded (gpointer flow)
{
  return oip_test_gui_tiles_loaded (flow);
}

static gboolean
dialog_open (gpointer data)
{
  return oip_window_get_upload_dialog (window) != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return oip_window_get_upload_dialog (window) == NULL;
}

static gboolean
on_result_page (gpointer dialog)
{
  return g_str_equal (oip_upload_dialog_get_page (dialog), "result");
}

static gboolean
on_review_page (gpointer dialog)
{
  return g_str_equal (oip_upload_dialog_get_page (dialog), "review");
}

static OipUploadDialog *
wait_for_dialog (void)
{
  OipUploadDialog *dialog;

  g_assert_true (oip_test_gui_wait_for (dialog_open, NULL));
  dialog = oip_window_get_upload_dialog (window);
  oip_dialog_set_size (GTK_WIDGET (dialog), 760, 800);
  g_assert_true (oip_test_gui_wait_for (on_review_page, dialog));
  oip_test_gui_settle (200);
  return dialog;
}

static OipUploadDialog *
open_upload (void)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.upload", NULL));
  return wait_for_dialog ();
}

static void
close_dialog (OipUploadDialog *dialog)
{
  oip_dialog_close (GTK_WIDGET (dialog));
  g_assert_true (oip_test_gui_wait_for (dialog_gone, NULL));
}

static void
push (OipUploadDialog *dialog)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "upload.confirm", NULL));
  g_assert_true (oip_test_gui_wait_for (on_result_page, dialog));
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

/* What the fake Ozon was last sent to import, and what the product has. */
static char **
last_import (void)
{
  OipFakeRequest *import = oip_fake_ozon_last_request (fake (), "/v2/product/pictures/import");
  JsonObject *item;
  JsonArray *images;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_assert_nonnull (import);
  item = json_array_get_object_element (json_object_get_array_member (json_node_get_object (import->body), "items"), 0);
  images = json_object_get_array_member (item, "images");
  for (guint i = 0; i < json_array_get_length (images); i++)
    g_strv_builder_add (builder, json_array_get_string_element (images, i));
  return g_strv_builder_end (builder);
}

static char *
join_strv (const char * const *strv)
{
  return g_strjoinv (" ", (char **) strv);
}

/* A macro, so that a failure names the caller's line. */
#define assert_strv(got, expected) \
  G_STMT_START { \
    g_autofree char *assert_got_ = join_strv (got); \
    g_autofree char *assert_expected_ = join_strv (expected); \
    g_assert_cmpstr (assert_got_, ==, assert_expected_); \
  } G_STMT_END

static void
press_toast_button (void)
{
  AdwToast *toast = oip_window_get_toast (window);

  g_assert_nonnull (toast);
  g_assert_nonnull (adw_toast_get_button_label (toast));
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (window), adw_toast_get_action_name (toast),
                                                     adw_toast_get_action_target_value (toast)));
}

static void
screenshot_narrow (GtkWidget  *content,
                   const char *name)
{
  int minimum = 0;

  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  oip_dialog_set_size (content, 360, 640);
  oip_test_gui_settle (500);
  gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  if (minimum > 360)
    oip_test_gui_explain_width (content, 360);
  g_assert_cmpint (minimum, <=, 360);
  oip_test_gui_screenshot_window_of (content, name);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 1000);
  oip_dialog_set_size (content, 760, 800);
  oip_test_gui_settle (300);
}

static char **original;   /* ART-1001's images before the tests */

/* A push, then Undo from the window's toast: the review of the old list,
 * confirmed; Ozon has the old images again. */
static void
test_undo_from_toast (void)
{
  g_autofree char *added = image_url ("hist-new-1");
  g_auto(GStrv) pushed = NULL;
  g_auto(GStrv) sent = NULL;
  OipUploadDialog *dialog;
  guint imports;

  download ("ART-1001");
  original = g_strdupv ((char **) oip_fake_ozon_get_product_images (fake (), MUG));
  g_assert_cmpuint (g_strv_length (original), ==, 3);
  oip_image_list_add_text (oip_window_get_images (window), added, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.image-remove", "s", original[2]));
  pushed = list_urls ();

  dialog = open_upload ();
  push (dialog);
  g_assert_true (oip_upload_dialog_succeeded (dialog));
  assert_strv (oip_fake_ozon_get_product_images (fake (), MUG), (const char * const *) pushed);
  /* Offered on the result page too. */
  g_assert_true (gtk_widget_get_visible (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "undo_button")));
  g_assert_false (gtk_widget_get_visible (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "retry_failed_button")));
  g_assert_true (oip_test_gui_wait_for (flow_loaded, child (dialog, OIP_TYPE_UPLOAD_DIALOG, "result_flow")));
  oip_test_gui_settle (300);
  oip_test_gui_screenshot_window_of (GTK_WIDGET (dialog), "upload-success-undo");
  screenshot_narrow (GTK_WIDGET (dialog), "upload-success-undo-narrow");
  close_dialog (dialog);

  /* The window's toast: Undo. Nothing is sent before the seller confirms. */
  imports = oip_fake_ozon_count_requests (fake (), "/v2/product/pictures/import");
  g_assert_cmpstr (adw_toast_get_button_label (oip_window_get_toast (window)), ==, _("_Undo"));
  oip_test_gui_settle (300);
  oip_test_gui_screenshot (GTK_WIDGET (window), "main-window-undo-toast");
  press_toast_button ();
  dialog = wait_for_dialog ();
  g_assert_cmpint (oip_push_job_get_kind (oip_upload_dialog_get_job (dialog)), ==, OIP_PUSH_KIND_UNDO);
  {
    g_autofree char *rows = oip_upload_dialog_get_review_rows (dialog);

    g_assert_nonnull (strstr (rows, _("This puts back the images the product had before the push you undo")));
  }
  g_assert_true (oip_test_gui_wait_for (flow_loaded, child (dialog, OIP_TYPE_UPLOAD_DIALOG, "review_flow")));
  oip_test_gui_settle (200);
  oip_test_gui_screenshot_window_of (GTK_WIDGET (dialog), "undo-review");
  g_assert_cmpuint (oip_fake_ozon_count_requests (fake (), "/v2/product/pictures/import"), ==, imports);

  push (dialog);
  g_assert_true (oip_upload_dialog_succeeded (dialog));
  /* On Ozon's side: the previous list, sent and kept. */
  sent = last_import ();
  assert_strv ((const char * const *) sent, (const char * const *) original);
  assert_strv (oip_fake_ozon_get_product_images (fake (), MUG), (const char * const *) original);
  close_dialog (dialog);

  /* The window follows: the product as Ozon has it, and the list with it
   * (the seller had not changed it since the push). */
  g_assert_true (oip_test_gui_wait_for (flow_loaded, child (window, OIP_TYPE_WINDOW, "current_flow")));
  oip_test_gui_settle (200);
  assert_strv (oip_product_get_images (oip_window_get_product (window)), (const char * const *) original);
  {
    g_auto(GStrv) now = list_urls ();

    assert_strv ((const char * const *) now, (const char * const *) original);
  }
  g_assert_false (oip_window_has_unpushed_changes (window));
}

static gboolean
history_loaded (gpointer data)
{
  OipHistoryView *view = oip_window_get_history_view (window);

  return view != NULL && !oip_history_view_is_loading (view) && gtk_widget_get_mapped (GTK_WIDGET (view));
}

static gboolean
history_gone (gpointer data)
{
  return oip_window_get_history_view (window) == NULL;
}

static OipHistoryView *
open_history (const char *action)
{
  OipHistoryView *view;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
  g_assert_true (oip_test_gui_wait_for (history_loaded, NULL));
  view = oip_window_get_history_view (window);
  oip_dialog_set_size (GTK_WIDGET (view), 640, 800);
  oip_test_gui_settle (300);
  return view;
}

static const OipPushRecord *
record_at (OipHistoryView *view,
           guint           index)
{
  GtkWidget *row = oip_history_view_get_row (view, index);

  g_assert_nonnull (row);
  return oip_history_row_get_record (OIP_HISTORY_ROW (row));
}

/* The History view lists the pushes newest first, for all products and
 * for one; Restore on the first push goes through the review and puts
 * its images back on Ozon. */
static void
test_history_and_restore (void)
{
  g_autofree char *more = image_url ("hist-new-2");
  g_autofree char *tote_new = image_url ("hist-tote-1");
  g_auto(GStrv) sent = NULL;
  OipHistoryView *view;
  OipUploadDialog *dialog;
  guint n_all, n_mug;
  gint64 first_push = 0;

  g_assert_nonnull (original);

  /* One more push of the mug (C), and one of another product. */
  download ("ART-1001");
  oip_image_list_add_text (oip_window_get_images (window), more, NULL);
  dialog = open_upload ();
  push (dialog);
  g_assert_true (oip_upload_dialog_succeeded (dialog));
  close_dialog (dialog);
  download ("ART-1002");
  oip_image_list_add_text (oip_window_get_images (window), tote_new, NULL);
  dialog = open_upload ();
  push (dialog);
  close_dialog (dialog);

  /* Every product's, newest first: the tote's push, the mug's C, the
   * undo, the first push. */
  view = open_history ("win.show-history");
  n_all = oip_history_view_get_n_rows (view);
  g_assert_cmpuint (n_all, ==, 4);
  g_assert_false (oip_history_view_can_show_more (view));
  g_assert_cmpint (record_at (view, 0)->product_id, ==, TOTE);
  g_assert_cmpint (record_at (view, 1)->product_id, ==, MUG);
  g_assert_cmpint (record_at (view, 1)->kind, ==, OIP_PUSH_KIND_PUSH);
  g_assert_cmpint (record_at (view, 2)->kind, ==, OIP_PUSH_KIND_UNDO);
  g_assert_cmpint (record_at (view, 3)->kind, ==, OIP_PUSH_KIND_PUSH);
  for (guint i = 0; i + 1 < n_all; i++)
    g_assert_cmpint (record_at (view, i)->id, >, record_at (view, i + 1)->id);
  for (guint i = 0; i < n_all; i++)
    g_assert_cmpstr (oip_history_row_get_title (OIP_HISTORY_ROW (oip_history_view_get_row (view, i))), ==,
                     _("Succeeded"));
  g_assert_true (oip_test_gui_wait_for (flow_loaded, child (oip_history_view_get_row (view, 3), OIP_TYPE_HISTORY_ROW,
                                                             "before_flow")));
  oip_test_gui_settle (300);
  oip_test_gui_screenshot_window_of (GTK_WIDGET (view), "history-view");
  screenshot_narrow (GTK_WIDGET (view), "history-view-narrow");
  oip_dialog_close (GTK_WIDGET (view));
  g_assert_true (oip_test_gui_wait_for (history_gone, NULL));

  /* One product's, from its card. */
  download ("ART-1001");
  view = open_history ("win.show-product-history");
  g_assert_cmpint (oip_history_view_get_product_id (view), ==, MUG);
  n_mug = oip_history_view_get_n_rows (view);
  g_assert_cmpuint (n_mug, ==, 3);
  for (guint i = 0; i < n_mug; i++)
    g_assert_cmpint (record_at (view, i)->product_id, ==, MUG);

  /* Restore on the first push: what the mug had before it. */
  first_push = record_at (view, n_mug - 1)->id;
  assert_strv ((const char * const *) record_at (view, n_mug - 1)->before_images, (const char * const *) original);
  g_signal_emit_by_name (child (oip_history_view_get_row (view, n_mug - 1), OIP_TYPE_HISTORY_ROW, "restore_button"),
                         "clicked");
  g_assert_true (oip_test_gui_wait_for (history_gone, NULL));
  dialog = wait_for_dialog ();
  g_assert_cmpint (oip_push_job_get_kind (oip_upload_dialog_get_job (dialog)), ==, OIP_PUSH_KIND_RESTORE);
  g_assert_cmpint (oip_push_job_get_source_push_id (oip_upload_dialog_get_job (dialog)), ==, first_push);
  push (dialog);
  g_assert_true (oip_upload_dialog_succeeded (dialog));
  sent = last_import ();
  assert_strv ((const char * const *) sent, (const char * const *) original);
  assert_strv (oip_fake_ozon_get_product_images (fake (), MUG), (const char * const *) original);
  close_dialog (dialog);

  /* The restore is in the history too, newest. */
  view = open_history ("win.show-product-history");
  g_assert_cmpuint (oip_history_view_get_n_rows (view), ==, n_mug + 1);
  g_assert_cmpint (record_at (view, 0)->kind, ==, OIP_PUSH_KIND_RESTORE);
  g_assert_cmpint (record_at (view, 0)->source_push_id, ==, first_push);
  oip_dialog_close (GTK_WIDGET (view));
  g_assert_true (oip_test_gui_wait_for (history_gone, NULL));
}

/* The states an image went through, changes only. */
static void
on_state (OipImageItem *item,
          GParamSpec   *pspec,
          GArray       *states)
{
  OipImageState state = oip_image_item_get_state (item);

  if (states->len == 0 || g_array_index (states, OipImageState, states->len - 1) != state)
    g_array_append_val (states, state);
}

static gboolean
contains_in_order (GArray    *states,
                   const int *expected,
                   guint      n)
{
  guint found = 0;

  for (guint i = 0; i < states->len && found < n; i++)
    if ((int) g_array_index (states, OipImageState, i) == expected[found])
      found++;
  return found == n;
}

static OipImageTile *
window_tile_for (OipImageItem *item)
{
  GtkFlowBox *flow = child (window, OIP_TYPE_WINDOW, "push_flow");

  for (int i = 0; gtk_flow_box_get_child_at_index (flow, i) != NULL; i++)
    {
      GtkWidget *tile = gtk_flow_box_child_get_child (gtk_flow_box_get_child_at_index (flow, i));

      if (oip_image_tile_get_item (OIP_IMAGE_TILE (tile)) == item)
        return OIP_IMAGE_TILE (tile);
    }
  g_assert_not_reached ();
}

/* A picture Ozon cannot fetch once: the push is partial, each tile says
 * how its image ended as it happens, and Retry Failed sends the list
 * again; Ozon then has every image. */
static void
test_partial_then_retry_failed (void)
{
  g_autofree char *flaky = image_url ("flaky-1");
  g_autoptr(GArray) flaky_states = g_array_new (FALSE, FALSE, sizeof (OipImageState));
  g_autoptr(GArray) good_states = g_array_new (FALSE, FALSE, sizeof (OipImageState));
  const int failed_path[] = { OIP_IMAGE_STATE_SENT, OIP_IMAGE_STATE_IMPORTING, OIP_IMAGE_STATE_FAILED };
  /* The main image was on the product already: Ozon keeps it. */
  const int kept_path[] = { OIP_IMAGE_STATE_SENT, OIP_IMAGE_STATE_IMPORTING, OIP_IMAGE_STATE_SKIPPED };
  const char *explained = oip_ozon_message_translate ("could not download the image by link", NULL);
  g_auto(GStrv) sent = NULL;
  g_autoptr(OipImageItem) flaky_item = NULL;
  g_autoptr(OipImageItem) main_item = NULL;
  GListModel *model;
  OipUploadDialog *dialog;
  const char * const *on_ozon;
  guint n;

  download ("ART-1002");
  oip_image_list_add_text (oip_window_get_images (window), flaky, NULL);
  model = oip_image_list_get_model (oip_window_get_images (window));
  n = g_list_model_get_n_items (model);
  flaky_item = g_list_model_get_item (model, n - 1);
  main_item = g_list_model_get_item (model, 0);
  g_assert_cmpstr (oip_image_item_get_url (flaky_item), ==, flaky);
  g_signal_connect (flaky_item, "notify::state", G_CALLBACK (on_state), flaky_states);
  g_signal_connect (main_item, "notify::state", G_CALLBACK (on_state), good_states);

  /* The thumbnails first (they fetch the same address), then the host
   * fails Ozon's fetch once. */
  g_assert_true (oip_test_gui_wait_for (flow_loaded, child (window, OIP_TYPE_WINDOW, "push_flow")));
  dialog = open_upload ();
  g_assert_true (oip_test_gui_wait_for (flow_loaded, child (dialog, OIP_TYPE_UPLOAD_DIALOG, "review_flow")));
  oip_fake_ozon_set_pending_polls (fake (), 2);
  oip_fake_ozon_fail_image (fake (), "flaky-1", 1);
  push (dialog);
  oip_fake_ozon_set_pending_polls (fake (), 0);

  /* Partial, never the green success; each image's way there. */
  g_assert_false (oip_upload_dialog_succeeded (dialog));
  g_assert_cmpstr (oip_upload_dialog_get_status (dialog), ==, _("Some Images Failed"));
  g_assert_cmpint (oip_push_job_get_result (oip_upload_dialog_get_job (dialog))->outcome, ==, OIP_PUSH_OUTCOME_PARTIAL);
  g_assert_true (contains_in_order (flaky_states, failed_path, G_N_ELEMENTS (failed_path)));
  g_assert_true (contains_in_order (good_states, kept_path, G_N_ELEMENTS (kept_path)));
  /* Ozon's words explained on the tile, the original in its tooltip. */
  g_assert_nonnull (explained);
  g_assert_cmpstr (oip_image_tile_get_caption (window_tile_for (flaky_item)), ==, explained);
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (window_tile_for (flaky_item))),
                            "could not download the image by link"));
  g_assert_cmpstr (oip_image_tile_get_caption (window_tile_for (main_item)), ==, _("Already on Ozon"));
  {
    g_autofree char *details = oip_upload_dialog_get_detail_rows (dialog);
    g_autofree char *row = g_strdup_printf (_("Image %u: %s"), oip_image_item_get_number (flaky_item), explained);

    g_assert_nonnull (strstr (details, row));
  }
  g_assert_true (gtk_widget_get_visible (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "retry_failed_button")));
  g_assert_true (gtk_widget_get_visible (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "undo_button")));
  g_assert_false (gtk_widget_get_visible (child (dialog, OIP_TYPE_UPLOAD_DIALOG, "retry_button")));
  g_assert_true (oip_test_gui_wait_for (flow_loaded, child (dialog, OIP_TYPE_UPLOAD_DIALOG, "result_flow")));
  oip_test_gui_settle (300);
  oip_test_gui_screenshot_window_of (GTK_WIDGET (dialog), "upload-partial");
  screenshot_narrow (GTK_WIDGET (dialog), "upload-partial-narrow");
  on_ozon = oip_fake_ozon_get_product_images (fake (), TOTE);
  g_assert_cmpuint (g_strv_length ((char **) on_ozon), ==, n - 1);

  /* Retry Failed: at once, the whole list, the failed image again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "upload.retry-failed", NULL));
  g_assert_true (oip_test_gui_wait_for (on_result_page, dialog));
  g_assert_true (oip_upload_dialog_succeeded (dialog));
  g_assert_cmpint (oip_push_job_get_kind (oip_upload_dialog_get_job (dialog)), ==, OIP_PUSH_KIND_RETRY);
  sent = last_import ();
  g_assert_cmpuint (g_strv_length (sent), ==, n);
  for (guint i = 0; i + 1 < n; i++)
    {
      g_autoptr(OipImageItem) item = g_list_model_get_item (model, i);

      /* The images Ozon took go as they were. */
      g_assert_cmpstr (sent[i], ==, oip_image_item_get_url (item));
    }
  g_assert_true (g_str_has_prefix (sent[n - 1], flaky));
  g_assert_nonnull (strstr (sent[n - 1], "oipv="));
  on_ozon = oip_fake_ozon_get_product_images (fake (), TOTE);
  g_assert_cmpuint (g_strv_length ((char **) on_ozon), ==, n);
  g_assert_cmpstr (on_ozon[n - 1], ==, sent[n - 1]);
  g_assert_cmpint (oip_image_item_get_state (flaky_item), ==, OIP_IMAGE_STATE_IMPORTED);
  g_assert_cmpstr (oip_image_tile_get_caption (window_tile_for (flaky_item)), ==, _("Imported"));
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

  g_test_add_func ("/history/undo-from-toast", test_undo_from_toast);
  g_test_add_func ("/history/history-and-restore", test_history_and_restore);
  g_test_add_func ("/history/partial-then-retry-failed", test_partial_then_retry_failed);
  status = g_test_run ();

  g_strfreev (original);
  gtk_window_destroy (GTK_WINDOW (window));
  g_application_quit (G_APPLICATION (app));
  g_clear_object (&app);
  return status;
}
