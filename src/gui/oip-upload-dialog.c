/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <glib/gi18n.h>

#include "oip-credentials.h"
#include "oip-dialogs.h"
#include "oip-error.h"
#include "oip-gui-error.h"
#include "oip-image-tile.h"
#include "oip-push.h"
#include "oip-push-plan.h"
#include "oip-s3-client.h"
#include "oip-settings.h"
#include "oip-status-block.h"
#include "oip-upload-batch.h"
#include "oip-upload-dialog.h"
#include "oip-url.h"
#include "oip-widget-util.h"

/**
 * OipUploadDialog:
 *
 * The seed's UploadModal, and more: it shows exactly what will be sent
 * (in order, main image marked, color image shown) and warns before
 * anything is sent (images removed from Ozon, images past the limit, 360°
 * images, invalid URLs by field, index and reason); then uploads the
 * pictures that are files on this computer to the seller's storage and
 * pushes, with a staged progress and a Cancel that cancels the requests
 * (“3 of 8 images”); then shows the
 * outcome until the seller closes it, with Retry where a retry can help.
 * Closing during a push asks first.
 *
 * It is the content of a dialog (see oip-dialogs.h): attached to the main
 * window where libadwaita has AdwDialog, a window of its own before.
 */
struct _OipUploadDialog
{
  GtkWidget            parent_instance;

  AdwToastOverlay     *toast_overlay;
  GtkStack            *stack;
  AdwActionRow        *product_row;
  AdwPreferencesGroup *review_group;
  GtkFlowBox          *review_flow;
  GtkLabel            *counts_label;
  AdwPreferencesGroup *warnings_group;
  AdwStatusPage       *progress_page;
  GtkSpinner          *progress_spinner;
  OipStatusBlock      *result_page;
  AdwPreferencesGroup *details_group;
  AdwPreferencesGroup *result_images_group;
  GtkFlowBox          *result_flow;
  GtkWidget           *cancel_button;
  GtkWidget           *preferences_button;
  GtkWidget           *retry_button;
  GtkWidget           *close_button;
  GtkWidget           *confirm_button;

  OipApplication      *application;
  OipProduct          *product;
  OipPushRequest      *request;
  OipPushPlan         *plan;
  gboolean             validate_urls;
  GCancellable        *cancellable;
  OipPush             *push;
  OipUploadBatch      *batch;
  GPtrArray           *local_files;   /* file:// URIs, in order */
  GPtrArray           *warning_rows;
  GPtrArray           *detail_rows;
  gboolean             succeeded;
  gboolean             close_when_stopped;
};

G_DEFINE_FINAL_TYPE (OipUploadDialog, oip_upload_dialog, GTK_TYPE_WIDGET)

enum {
  FILES_UPLOADED,
  FILE_PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define MAX_PARALLEL_UPLOADS 4

static void start_push (OipUploadDialog *self);

static void
show_page (OipUploadDialog *self,
           const char      *page,
           gboolean         retry,
           gboolean         preferences)
{
  gboolean review = g_str_equal (page, "review");
  gboolean progress = g_str_equal (page, "progress");
  gboolean result = g_str_equal (page, "result");

  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_spinner_set_spinning (self->progress_spinner, progress);
  gtk_widget_set_visible (self->cancel_button, review || progress);
  gtk_widget_set_visible (self->confirm_button, review);
  gtk_widget_set_visible (self->close_button, result);
  gtk_widget_set_visible (self->retry_button, result && retry);
  gtk_widget_set_visible (self->preferences_button, result && preferences);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "upload.confirm",
                                 review && oip_push_plan_check (self->plan, NULL));
}

static void
add_row (AdwPreferencesGroup *group,
         GPtrArray           *rows,
         const char          *icon,
         const char          *title,
         const char          *subtitle,
         const char          *css_class)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  if (icon != NULL)
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon));
  if (css_class != NULL)
    gtk_widget_add_css_class (row, css_class);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static GtkWidget *
create_tile (gpointer item,
             gpointer user_data)
{
  return oip_image_tile_new (item, FALSE);
}

static GListModel *
items_for (const char * const *images,
           const char         *primary,
           const char         *color)
{
  GListStore *store = g_list_store_new (OIP_TYPE_IMAGE_ITEM);
  guint number = 0;

  /* Shown in the order Ozon will have them: the main image first. */
  if (primary != NULL)
    {
      g_autoptr(OipImageItem) item = oip_image_item_new (primary);

      oip_image_item_set_placement (item, ++number, TRUE, FALSE, FALSE);
      g_list_store_append (store, item);
    }
  for (guint i = 0; images != NULL && images[i] != NULL; i++)
    {
      g_autoptr(OipImageItem) item = NULL;

      if (g_strcmp0 (images[i], primary) == 0)
        continue;
      item = oip_image_item_new (images[i]);
      number++;
      oip_image_item_set_placement (item, number, number == 1, FALSE, FALSE);
      g_list_store_append (store, item);
    }
  if (color != NULL)
    {
      g_autoptr(OipImageItem) item = oip_image_item_new (color);

      oip_image_item_set_placement (item, 0, FALSE, TRUE, FALSE);
      g_list_store_append (store, item);
    }
  return G_LIST_MODEL (store);
}

static void
collect_local_files (OipUploadDialog *self)
{
  GPtrArray *lists[] = { self->request->images, self->request->color_images };

  g_ptr_array_set_size (self->local_files, 0);
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        const char *url = g_ptr_array_index (lists[l], i);

        if (oip_url_is_local_file (url) &&
            !g_ptr_array_find_with_equal_func (self->local_files, url, g_str_equal, NULL))
          g_ptr_array_add (self->local_files, g_strdup (url));
      }
}

static void
fill_review (OipUploadDialog *self)
{
  g_autoptr(GPtrArray) removed = g_ptr_array_new ();
  g_autoptr(GListModel) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *sku = NULL;
  g_autofree char *product_id = g_strdup_printf ("%" G_GINT64_FORMAT, oip_product_get_product_id (self->product));
  const char * const *current = oip_product_get_images (self->product);
  const char *name = oip_product_get_name (self->product);
  guint n = self->plan->images->len;

  sku = oip_product_get_sku (self->product) > 0
        ? g_strdup_printf ("%" G_GINT64_FORMAT, oip_product_get_sku (self->product))
        : g_strdup (_("Not set"));
  /* Translators: the product's ids under its name; the seed's
   * “SKU: {value} / Product ID: {value}” */
  subtitle = g_strdup_printf (_("Offer ID: %s · SKU: %s · Product ID: %s"),
                              oip_product_get_offer_id (self->product), sku, product_id);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->product_row),
                                 name && *name ? name : oip_product_get_offer_id (self->product));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->product_row), FALSE);
  adw_action_row_set_subtitle (self->product_row, subtitle);

  /* Translators: the seed's “待推送图片 ({count} 张)” */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Images to Push (%u)", "Images to Push (%u)", n), n);
  adw_preferences_group_set_title (self->review_group, title);
  g_ptr_array_add (self->plan->images, NULL);
  items = items_for ((const char * const *) self->plan->images->pdata, self->plan->primary_image, self->plan->color_image);
  g_ptr_array_set_size (self->plan->images, n);
  gtk_flow_box_bind_model (self->review_flow, items, create_tile, NULL, NULL);

  /* Translators: counts against Ozon's limits */
  counts = g_strdup_printf (_("Main images: %u of %u · Color image: %u of %u · 360° images: %u of %u"),
                            n, OIP_MAX_IMAGES, self->plan->color_image != NULL, OIP_MAX_COLOR_IMAGES,
                            self->plan->images360->len, OIP_MAX_IMAGES360);
  gtk_label_set_text (self->counts_label, counts);

  clear_rows (self->warnings_group, self->warning_rows);
  add_row (self->warnings_group, self->warning_rows, "dialog-information-symbolic",
           _("Every push replaces all of the product’s images on Ozon"), NULL, NULL);

  collect_local_files (self);
  if (self->local_files->len > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u picture from this computer is uploaded to your storage first",
                                                            "%u pictures from this computer are uploaded to your storage first",
                                                            self->local_files->len),
                                               self->local_files->len);

      add_row (self->warnings_group, self->warning_rows, "folder-pictures-symbolic", text, NULL, NULL);
    }

  for (guint i = 0; current[i] != NULL; i++)
    if (!g_ptr_array_find_with_equal_func (self->plan->images, current[i], g_str_equal, NULL))
      g_ptr_array_add (removed, (gpointer) current[i]);
  if (removed->len > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u image now on Ozon will be removed",
                                                            "%u images now on Ozon will be removed",
                                                            removed->len),
                                               removed->len);
      g_autofree char *list = NULL;

      g_ptr_array_add (removed, NULL);
      list = g_strjoinv ("\n", (char **) removed->pdata);
      add_row (self->warnings_group, self->warning_rows, "user-trash-symbolic", text, list, "warning");
    }

  for (guint i = 0; i < self->plan->notices->len; i++)
    {
      g_autofree char *text = oip_notice_describe (g_ptr_array_index (self->plan->notices, i));

      add_row (self->warnings_group, self->warning_rows, "dialog-warning-symbolic", text, NULL, "warning");
    }

  for (guint i = 0; i < self->plan->errors->len; i++)
    {
      OipValidationIssue *issue = g_ptr_array_index (self->plan->errors, i);
      /* Translators: field[index] — reason, the seed's validation error */
      g_autofree char *text = g_strdup_printf (_("%s[%u] — %s"), issue->field, issue->index,
                                               _(oip_issue_reason (issue->kind)));

      add_row (self->warnings_group, self->warning_rows, "dialog-error-symbolic", text, issue->url, "error");
    }

  if (!oip_push_plan_check (self->plan, &error))
    add_row (self->warnings_group, self->warning_rows, "dialog-error-symbolic", error->message,
             oip_error_hint (error->code), "error");
}

static void
show_result (OipUploadDialog     *self,
             const OipPushResult *result,
             const GError        *error)
{
  g_autoptr(GListModel) items = NULL;
  int code = error == NULL ? 0 : error->domain == OIP_ERROR ? error->code : OIP_ERROR_FAILED;
  gboolean retry = code == OIP_ERROR_NETWORK || code == OIP_ERROR_TIMEOUT || code == OIP_ERROR_SERVER ||
                   code == OIP_ERROR_RATE_LIMITED || code == OIP_ERROR_BAD_RESPONSE ||
                   code == OIP_ERROR_IMPORT_PENDING || code == OIP_ERROR_KEYRING_UNAVAILABLE;

  self->succeeded = error == NULL;
  clear_rows (self->details_group, self->detail_rows);

  if (error == NULL)
    {
      g_autofree char *images = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "Updated %u main image",
                                                              "Updated %u main images",
                                                              result->images_sent),
                                                 result->images_sent);
      g_autofree char *text = result->color_image_sent
                              /* Translators: the seed's “已更新 {count} 张主图” + “，1 张色彩图” */
                              ? g_strdup_printf (_("%s and 1 color image"), images)
                              : g_strdup (images);

      /* Ozon does not fetch a URL it already has (shared/ozon-api.md §8). */
      if (result->import_state == OIP_IMPORT_SKIPPED)
        {
          g_free (text);
          text = g_strdup (_("Ozon already had exactly these images, so nothing changed. To replace a picture, give it a new address."));
        }

      oip_status_block_set_icon_name (self->result_page, "emblem-ok-symbolic");
      oip_status_block_set_title (self->result_page, _("Push Succeeded!"));
      oip_status_block_set_description (self->result_page, text);
      gtk_widget_remove_css_class (GTK_WIDGET (self->result_page), "error");
    }
  else
    {
      g_autofree char *text = g_strdup_printf ("%s\n%s", error->message, oip_gui_error_hint (error));

      oip_status_block_set_icon_name (self->result_page, "dialog-error-symbolic");
      oip_status_block_set_title (self->result_page, _("Push Failed"));
      oip_status_block_set_description (self->result_page, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->result_page), "error");
    }

  if (result != NULL)
    {
      for (guint i = 0; i < result->notices->len; i++)
        {
          g_autofree char *text = oip_notice_describe (g_ptr_array_index (result->notices, i));

          add_row (self->details_group, self->detail_rows, "dialog-warning-symbolic", text, NULL, "warning");
        }
      for (guint i = 0; i < result->image_errors->len; i++)
        {
          OipImageError *image_error = g_ptr_array_index (result->image_errors, i);

          add_row (self->details_group, self->detail_rows, "image-missing-symbolic",
                   image_error->message, image_error->url, "error");
        }
      items = items_for ((const char * const *) result->current_images, NULL, result->current_color_image);
    }
  else if (code == OIP_ERROR_VALIDATION)
    for (guint i = 0; i < self->plan->errors->len; i++)
      {
        OipValidationIssue *issue = g_ptr_array_index (self->plan->errors, i);
        g_autofree char *text = g_strdup_printf (_("%s[%u] — %s"), issue->field, issue->index,
                                                 _(oip_issue_reason (issue->kind)));

        add_row (self->details_group, self->detail_rows, "dialog-error-symbolic", text, issue->url, "error");
      }

  gtk_widget_set_visible (GTK_WIDGET (self->details_group), self->detail_rows->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->result_images_group), items != NULL);
  if (items != NULL)
    gtk_flow_box_bind_model (self->result_flow, items, create_tile, NULL, NULL);

  show_page (self, "result", retry || code == OIP_ERROR_STORAGE,
             oip_error_is_auth (error) || code == OIP_ERROR_KEYRING_UNAVAILABLE ||
             code == OIP_ERROR_STORAGE_NOT_CONFIGURED || code == OIP_ERROR_STORAGE_DENIED);
}

static void
on_stage (OipUploadDialog *self)
{
  g_autofree char *text = NULL;

  switch (oip_push_get_stage (self->push))
    {
    case OIP_PUSH_STAGE_SENDING:
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Sending %u image to Ozon…",
                                           "Sending %u images to Ozon…", self->plan->images->len),
                              self->plan->images->len);
      break;
    case OIP_PUSH_STAGE_IMPORTING:
      /* Translators: %u counts how many times Ozon was asked so far */
      text = g_strdup_printf (_("Ozon is importing the images (check %u)…"), oip_push_get_polls (self->push) + 1);
      break;
    case OIP_PUSH_STAGE_READING_BACK:
      text = g_strdup (_("Reading back the product’s images…"));
      break;
    case OIP_PUSH_STAGE_IDLE:
    case OIP_PUSH_STAGE_DONE:
    default:
      return;
    }
  adw_status_page_set_description (self->progress_page, text);
}

static void
on_pushed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OipUploadDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipPushResult) push_result = oip_push_run_finish (OIP_PUSH (source), result, &error);

  g_clear_object (&self->push);
  g_clear_object (&self->cancellable);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (self->close_when_stopped)
        {
          oip_dialog_force_close (GTK_WIDGET (self));
          return;
        }
      show_page (self, "review", FALSE, FALSE);
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Push cancelled. Images Ozon had already received may still be imported.")));
      return;
    }

  if (push_result != NULL)
    oip_push_result_is_success (push_result, &error);
  show_result (self, push_result, error);
}

static void
run_push (OipUploadDialog *self,
          OipOzonClient   *client)
{
  const char *interval = g_getenv ("OZON_PUSH_POLL_INTERVAL_MS");

  self->push = oip_push_new (client, oip_application_get_store (self->application),
                             oip_push_plan_new (self->request, self->validate_urls));
  if (interval != NULL)
    oip_push_set_poll_interval (self->push, atoi (interval));
  g_signal_connect_object (self->push, "notify::stage", G_CALLBACK (on_stage), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->push, "notify::polls", G_CALLBACK (on_stage), self, G_CONNECT_SWAPPED);
  oip_push_run_async (self->push, self->cancellable, on_pushed, g_object_ref (self));
}

static void
on_credentials (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(OipUploadDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipCredentials) credentials = oip_credentials_lookup_finish (result, &error);
  g_autoptr(OipOzonClient) client = NULL;

  if (credentials != NULL)
    client = oip_application_create_client (self->application, credentials->client_id,
                                            credentials->api_key, &error);
  if (client == NULL)
    {
      g_clear_object (&self->cancellable);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_page (self, "review", FALSE, FALSE);
      else
        show_result (self, NULL, error);
      return;
    }
  run_push (self, client);
}

static void push_to_ozon (OipUploadDialog *self);

static void
replace_urls (GPtrArray  *list,
              GHashTable *urls)
{
  for (guint i = 0; i < list->len; i++)
    {
      const char *url = g_hash_table_lookup (urls, g_ptr_array_index (list, i));

      if (url != NULL)
        {
          g_free (list->pdata[i]);
          list->pdata[i] = g_strdup (url);
        }
    }
}

static void
on_file_progress (OipUploadBatch  *batch,
                  guint            index,
                  guint64          sent,
                  guint64          total,
                  OipUploadDialog *self)
{
  g_signal_emit (self, signals[FILE_PROGRESS], 0, g_ptr_array_index (self->local_files, index),
                 total > 0 ? (double) sent / total : 0.0);
}

static void
on_batch_progress (OipUploadDialog *self)
{
  g_autofree char *sent = g_format_size (oip_upload_batch_get_bytes_sent (self->batch));
  g_autofree char *total = g_format_size (oip_upload_batch_get_bytes_total (self->batch));
  g_autofree char *text = NULL;

  /* Translators: “Uploading to your storage: 3 of 8 images (1.2 MB of 9.6 MB)…” */
  text = g_strdup_printf (_("Uploading to your storage: %u of %u images (%s of %s)…"),
                          oip_upload_batch_get_n_done (self->batch), oip_upload_batch_get_n_files (self->batch),
                          sent, total);
  adw_status_page_set_description (self->progress_page, text);
}

static void
on_batch_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(OipUploadDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) urls = oip_upload_batch_run_finish (OIP_UPLOAD_BATCH (source), result, &error);
  g_autoptr(GHashTable) map = NULL;

  g_clear_object (&self->batch);
  if (urls == NULL)
    {
      g_clear_object (&self->cancellable);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          if (self->close_when_stopped)
            oip_dialog_force_close (GTK_WIDGET (self));
          else
            show_page (self, "review", FALSE, FALSE);
        }
      else
        show_result (self, NULL, error);
      return;
    }

  map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; urls[i] != NULL; i++)
    g_hash_table_insert (map, g_strdup (g_ptr_array_index (self->local_files, i)), g_strdup (urls[i]));
  replace_urls (self->request->images, map);
  replace_urls (self->request->color_images, map);
  if (self->request->primary_image != NULL && g_hash_table_contains (map, self->request->primary_image))
    {
      char *url = g_strdup (g_hash_table_lookup (map, self->request->primary_image));

      g_free (self->request->primary_image);
      self->request->primary_image = url;
    }
  g_ptr_array_set_size (self->local_files, 0);
  g_signal_emit (self, signals[FILES_UPLOADED], 0, map);

  push_to_ozon (self);
}

static void
on_storage (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OipUploadDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipStorageConfig) config = result ? oip_storage_config_load_finish (result, &error)
                                              : oip_application_get_demo_storage (self->application);
  g_autoptr(OipS3Client) client = config ? oip_s3_client_new (config, &error) : NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  OipPushSettings settings;

  if (client == NULL)
    {
      g_clear_object (&self->cancellable);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_page (self, "review", FALSE, FALSE);
      else
        show_result (self, NULL, error);
      return;
    }

  oip_push_settings_load (&settings);
  oip_s3_client_set_max_retries (client, settings.max_retries);
  for (guint i = 0; i < self->local_files->len; i++)
    g_ptr_array_add (files, g_file_new_for_uri (g_ptr_array_index (self->local_files, i)));
  self->batch = oip_upload_batch_new (client, files, MAX_PARALLEL_UPLOADS);
  g_signal_connect_object (self->batch, "file-progress", G_CALLBACK (on_batch_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->batch, "file-progress", G_CALLBACK (on_file_progress), self, 0);
  g_signal_connect_object (self->batch, "file-done", G_CALLBACK (on_batch_progress), self, G_CONNECT_SWAPPED);
  on_batch_progress (self);
  oip_upload_batch_run_async (self->batch, self->cancellable, on_batch_done, g_object_ref (self));
}

static void
start_push (OipUploadDialog *self)
{
  self->cancellable = g_cancellable_new ();
  adw_status_page_set_description (self->progress_page, NULL);
  show_page (self, "progress", FALSE, FALSE);

  /* Stage one: local pictures to the seller's storage. */
  collect_local_files (self);
  if (self->local_files->len > 0)
    {
      /* The demo uploads to its built-in server instead. */
      if (oip_application_is_demo (self->application))
        on_storage (NULL, NULL, g_object_ref (self));
      else
        oip_storage_config_load_async (self->cancellable, on_storage, g_object_ref (self));
      return;
    }
  push_to_ozon (self);
}

/* Stage two: the push itself. */
static void
push_to_ozon (OipUploadDialog *self)
{
  g_autoptr(GSettings) settings = oip_settings_new ();
  g_autofree char *current = settings ? g_settings_get_string (settings, "current-client-id") : NULL;

  if (oip_application_is_demo (self->application))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OipOzonClient) client = oip_application_create_client (self->application, NULL, NULL, &error);

      g_assert (client != NULL);
      run_push (self, client);
      return;
    }
  oip_credentials_lookup_async (current, self->cancellable, on_credentials, g_object_ref (self));
}

static void
confirm_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  start_push (OIP_UPLOAD_DIALOG (widget));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  start_push (OIP_UPLOAD_DIALOG (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OipUploadDialog *self = OIP_UPLOAD_DIALOG (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  else
    oip_dialog_close (GTK_WIDGET (self));
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  oip_dialog_close (widget);
}

static void
on_stop_answer (GtkWidget       *alert,
                const char      *response,
                OipUploadDialog *self)
{
  if (g_str_equal (response, "stop") && self->cancellable != NULL)
    {
      self->close_when_stopped = TRUE;
      g_cancellable_cancel (self->cancellable);
    }
}

static gboolean
on_close (GtkWidget *content)
{
  OipUploadDialog *self = OIP_UPLOAD_DIALOG (content);
  GtkWidget *ask;

  if (self->cancellable == NULL)
    return TRUE;

  /* Never lose a push silently: ask first. */
  ask = oip_alert_new (_("Stop Pushing?"),
                       _("Ozon may already have received the images. "
                         "If you stop now, you will not see how the import ends."));
  oip_alert_add_response (ask, "keep", _("_Keep Pushing"), ADW_RESPONSE_DEFAULT);
  oip_alert_add_response (ask, "stop", _("_Stop"), ADW_RESPONSE_DESTRUCTIVE);
  oip_alert_set_default_response (ask, "keep");
  oip_alert_set_close_response (ask, "keep");
  oip_alert_present (ask, GTK_WIDGET (self), (OipAlertFunc) on_stop_answer, self);
  return FALSE;
}

static void
oip_upload_dialog_dispose (GObject *object)
{
  OipUploadDialog *self = (OipUploadDialog *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OIP_TYPE_UPLOAD_DIALOG);

  G_OBJECT_CLASS (oip_upload_dialog_parent_class)->dispose (object);
}

static void
oip_upload_dialog_finalize (GObject *object)
{
  OipUploadDialog *self = (OipUploadDialog *)object;

  g_clear_object (&self->application);
  g_clear_object (&self->product);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->push);
  g_clear_object (&self->batch);
  g_ptr_array_unref (self->local_files);
  g_clear_pointer (&self->request, oip_push_request_free);
  g_clear_pointer (&self->plan, oip_push_plan_free);
  g_ptr_array_unref (self->warning_rows);
  g_ptr_array_unref (self->detail_rows);

  G_OBJECT_CLASS (oip_upload_dialog_parent_class)->finalize (object);
}

static void
oip_upload_dialog_class_init (OipUploadDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = oip_upload_dialog_dispose;
  object_class->finalize = oip_upload_dialog_finalize;

  /**
   * OipUploadDialog::files-uploaded:
   * @urls: (element-type utf8 utf8): each local file's `file://` URI and
   *   the public URL it now has
   */
  signals[FILES_UPLOADED] = g_signal_new ("files-uploaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_HASH_TABLE);
  /**
   * OipUploadDialog::file-progress:
   * @uri: a local file's `file://` URI
   * @fraction: how much of it is uploaded, 0 to 1
   */
  signals[FILE_PROGRESS] = g_signal_new ("file-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_DOUBLE);

  g_type_ensure (OIP_TYPE_STATUS_BLOCK);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ozonpush/OzonImagePush/oip-upload-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, product_row);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, review_group);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, review_flow);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, counts_label);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, warnings_group);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, progress_page);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, progress_spinner);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, result_page);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, details_group);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, result_images_group);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, result_flow);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, preferences_button);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, retry_button);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, OipUploadDialog, confirm_button);

  gtk_widget_class_install_action (widget_class, "upload.confirm", NULL, confirm_action);
  gtk_widget_class_install_action (widget_class, "upload.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "upload.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "upload.close", NULL, close_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
oip_upload_dialog_init (OipUploadDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  oip_widget_prepare_buttons (GTK_WIDGET (self));
  self->warning_rows = g_ptr_array_new ();
  self->local_files = g_ptr_array_new_with_free_func (g_free);
  self->detail_rows = g_ptr_array_new ();
}

/**
 * oip_upload_dialog_new:
 * @request: (transfer full): what the seller asked to push
 *
 * Opens on the review of @request for @product, in a dialog of its own
 * (oip_dialog_get_for()), to present with oip_dialog_present().
 */
OipUploadDialog *
oip_upload_dialog_new (OipApplication *application,
                       OipProduct     *product,
                       OipPushRequest *request)
{
  OipUploadDialog *self = g_object_new (OIP_TYPE_UPLOAD_DIALOG, NULL);
  GtkWidget *dialog = oip_dialog_new (GTK_WIDGET (self), _("Push Images to Ozon"), 760, 720);
  OipPushSettings settings;

  oip_push_settings_load (&settings);
  self->application = g_object_ref (application);
  self->product = g_object_ref (product);
  self->request = request;
  self->validate_urls = settings.validate_urls;
  self->plan = oip_push_plan_new (request, settings.validate_urls);

  oip_dialog_set_close_func (dialog, on_close);
  fill_review (self);
  show_page (self, "review", FALSE, FALSE);
  return self;
}

/**
 * oip_upload_dialog_get_page:
 *
 * Returns: "review", "progress" or "result"
 */
const char *
oip_upload_dialog_get_page (OipUploadDialog *self)
{
  g_return_val_if_fail (OIP_IS_UPLOAD_DIALOG (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
oip_upload_dialog_is_pushing (OipUploadDialog *self)
{
  g_return_val_if_fail (OIP_IS_UPLOAD_DIALOG (self), FALSE);
  return self->cancellable != NULL;
}

gboolean
oip_upload_dialog_succeeded (OipUploadDialog *self)
{
  g_return_val_if_fail (OIP_IS_UPLOAD_DIALOG (self), FALSE);
  return self->succeeded;
}

/**
 * oip_upload_dialog_get_status:
 *
 * Returns: the progress text while pushing, the outcome's title after
 */
const char *
oip_upload_dialog_get_status (OipUploadDialog *self)
{
  g_return_val_if_fail (OIP_IS_UPLOAD_DIALOG (self), NULL);
  if (g_str_equal (oip_upload_dialog_get_page (self), "result"))
    return oip_status_block_get_title (self->result_page);
  return adw_status_page_get_description (self->progress_page);
}
