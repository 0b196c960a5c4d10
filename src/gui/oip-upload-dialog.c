/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <glib/gi18n.h>

#include "oip-dialogs.h"
#include "oip-error.h"
#include "oip-gui-error.h"
#include "oip-image-tile.h"
#include "oip-push-job.h"
#include "oip-push-plan.h"
#include "oip-status-block.h"
#include "oip-upload-dialog.h"
#include "oip-widget-util.h"

/**
 * OipUploadDialog:
 *
 * The seed's UploadModal, and more: it shows exactly what will be sent
 * (in order, main image marked, color image shown) and warns before
 * anything is sent (images removed from Ozon, images past the limit, 360°
 * images, invalid URLs); then runs an #OipPushJob and shows it: the stage,
 * the uploads (“3 of 8 images”), Ozon's import, and a Cancel that cancels
 * the requests; then the outcome, counted from what Ozon has, until the
 * seller closes it, with Retry where a retry can help. Closing during a
 * push asks first. The dialog holds no workflow of its own.
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
  GListModel          *items;         /* the window's OipImageItem list */
  OipPushJob          *job;           /* the one under way, or the last */
  const OipPushPlan   *plan;          /* the job's */
  GCancellable        *cancellable;
  GPtrArray           *warning_rows;
  GPtrArray           *detail_rows;
  gboolean             succeeded;
  gboolean             close_when_stopped;
};

G_DEFINE_FINAL_TYPE (OipUploadDialog, oip_upload_dialog, GTK_TYPE_WIDGET)

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
fill_review (OipUploadDialog *self)
{
  g_autoptr(GPtrArray) removed = g_ptr_array_new ();
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
  /* The very images that are pushed, in order: their states show here. */
  gtk_flow_box_bind_model (self->review_flow, self->items, create_tile, NULL, NULL);

  /* Translators: counts against Ozon's limits */
  counts = g_strdup_printf (_("Main images: %u of %u · Color image: %u of %u · 360° images: %u of %u"),
                            n, OIP_MAX_IMAGES, self->plan->color_image != NULL, OIP_MAX_COLOR_IMAGES,
                            self->plan->images360->len, OIP_MAX_IMAGES360);
  gtk_label_set_text (self->counts_label, counts);

  clear_rows (self->warnings_group, self->warning_rows);
  add_row (self->warnings_group, self->warning_rows, "dialog-information-symbolic",
           _("Every push replaces all of the product’s images on Ozon"), NULL, NULL);

  if (oip_push_job_get_n_local (self->job) > 0)
    {
      guint n_local = oip_push_job_get_n_local (self->job);
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u picture from this computer is uploaded to your storage first",
                                                            "%u pictures from this computer are uploaded to your storage first",
                                                            n_local),
                                               n_local);

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

static gboolean
can_retry (int code)
{
  return code == OIP_ERROR_NETWORK || code == OIP_ERROR_TIMEOUT || code == OIP_ERROR_SERVER ||
         code == OIP_ERROR_RATE_LIMITED || code == OIP_ERROR_BAD_RESPONSE ||
         code == OIP_ERROR_IMPORT_PENDING || code == OIP_ERROR_KEYRING_UNAVAILABLE ||
         code == OIP_ERROR_KEYRING_LOCKED || code == OIP_ERROR_STORAGE || code == OIP_ERROR_PARTIAL;
}

static void
show_result (OipUploadDialog *self,
             const GError    *run_error)
{
  const OipPushResult *result = oip_push_job_get_result (self->job);
  g_autoptr(GError) outcome_error = NULL;
  g_autoptr(GListModel) items = NULL;
  g_autofree char *text = NULL;
  const GError *error = run_error;
  int code;

  if (error == NULL && result != NULL)
    error = outcome_error = oip_push_result_to_error (result);
  code = error == NULL ? 0 : error->domain == OIP_ERROR ? error->code : OIP_ERROR_FAILED;
  self->succeeded = error == NULL;
  clear_rows (self->details_group, self->detail_rows);
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_page), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_page), "warning");

  if (error == NULL)
    {
      text = oip_push_result_describe (result);
      oip_status_block_set_icon_name (self->result_page, "object-select-symbolic");
      oip_status_block_set_title (self->result_page, _("Push Succeeded!"));
      oip_status_block_set_description (self->result_page, text);
    }
  else if (code == OIP_ERROR_PARTIAL)
    {
      /* Some images made it: never the green success. */
      text = g_strdup_printf ("%s\n%s", error->message, oip_gui_error_hint (error));
      oip_status_block_set_icon_name (self->result_page, "dialog-warning-symbolic");
      oip_status_block_set_title (self->result_page, _("Some Images Failed"));
      oip_status_block_set_description (self->result_page, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->result_page), "warning");
    }
  else
    {
      text = g_strdup_printf ("%s\n%s", error->message, oip_gui_error_hint (error));
      oip_status_block_set_icon_name (self->result_page, "dialog-error-symbolic");
      oip_status_block_set_title (self->result_page, _("Push Failed"));
      oip_status_block_set_description (self->result_page, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->result_page), "error");
    }

  if (result != NULL)
    {
      GListModel *job_items = oip_push_job_get_items (self->job);

      for (guint i = 0; i < result->notices->len; i++)
        {
          g_autofree char *notice = oip_notice_describe (g_ptr_array_index (result->notices, i));

          add_row (self->details_group, self->detail_rows, "dialog-warning-symbolic", notice, NULL, "warning");
        }
      for (guint i = 0; i < result->warnings->len; i++)
        add_row (self->details_group, self->detail_rows, "dialog-information-symbolic",
                 g_ptr_array_index (result->warnings, i), NULL, NULL);
      /* Each image that did not make it, with Ozon's own words. */
      for (guint i = 0; i < g_list_model_get_n_items (job_items); i++)
        {
          g_autoptr(OipImageItem) item = g_list_model_get_item (job_items, i);

          if (oip_image_item_get_state (item) == OIP_IMAGE_STATE_FAILED)
            {
              const char *ozon = oip_image_item_get_ozon_message (item);
              g_autofree char *subtitle = ozon != NULL
                                          ? g_strdup_printf ("%s\n%s", oip_image_item_get_url (item), ozon)
                                          : g_strdup (oip_image_item_get_url (item));

              add_row (self->details_group, self->detail_rows, "image-missing-symbolic",
                       oip_image_item_get_error (item), subtitle, "error");
            }
        }
      if (result->current_images != NULL)
        items = items_for ((const char * const *) result->current_images, NULL, result->current_color_image);
    }
  else if (code == OIP_ERROR_VALIDATION)
    for (guint i = 0; i < self->plan->errors->len; i++)
      {
        OipValidationIssue *issue = g_ptr_array_index (self->plan->errors, i);
        g_autofree char *row = g_strdup_printf (_("%s[%u] — %s"), issue->field, issue->index,
                                                _(oip_issue_reason (issue->kind)));

        add_row (self->details_group, self->detail_rows, "dialog-error-symbolic", row, issue->url, "error");
      }

  gtk_widget_set_visible (GTK_WIDGET (self->details_group), self->detail_rows->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->result_images_group), items != NULL);
  if (items != NULL)
    gtk_flow_box_bind_model (self->result_flow, items, create_tile, NULL, NULL);

  show_page (self, "result", can_retry (code),
             oip_error_is_auth (error) || code == OIP_ERROR_KEYRING_UNAVAILABLE ||
             code == OIP_ERROR_KEYRING_LOCKED || code == OIP_ERROR_CREDENTIALS_MALFORMED ||
             code == OIP_ERROR_STORAGE_NOT_CONFIGURED || code == OIP_ERROR_STORAGE_DENIED);
}

static void
on_progress (OipUploadDialog *self)
{
  g_autofree char *text = NULL;
  OipPushJob *job = self->job;

  switch (oip_push_job_get_stage (job))
    {
    case OIP_PUSH_STAGE_PREPARING:
      text = g_strdup (_("Reading the product’s images on Ozon…"));
      break;
    case OIP_PUSH_STAGE_UPLOADING:
      {
        g_autofree char *sent = g_format_size (oip_push_job_get_bytes_sent (job));
        g_autofree char *total = g_format_size (oip_push_job_get_bytes_total (job));

        /* Translators: “Uploading to your storage: 3 of 8 images (1.2 MB of 9.6 MB)…” */
        text = g_strdup_printf (_("Uploading to your storage: %u of %u images (%s of %s)…"),
                                oip_push_job_get_n_uploaded (job), oip_push_job_get_n_local (job),
                                sent, total);
      }
      break;
    case OIP_PUSH_STAGE_SENDING:
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Sending %u image to Ozon…",
                                           "Sending %u images to Ozon…", self->plan->images->len),
                              self->plan->images->len);
      break;
    case OIP_PUSH_STAGE_IMPORTING:
      text = g_strdup (_("Ozon is importing the images…"));
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

  oip_push_job_run_finish (OIP_PUSH_JOB (source), result, &error);
  g_clear_object (&self->cancellable);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      const OipPushResult *push_result = oip_push_job_get_result (self->job);
      g_autofree char *text = push_result ? oip_push_result_describe (push_result) : NULL;

      if (self->close_when_stopped)
        {
          oip_dialog_force_close (GTK_WIDGET (self));
          return;
        }
      show_page (self, "review", FALSE, FALSE);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text ? text : _("Push cancelled")));
      return;
    }
  show_result (self, error);
}

/* A fresh job for every run: a retry starts from the same items. */
static void
new_job (OipUploadDialog *self)
{
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_clear_object (&self->job);
  self->job = oip_push_job_new (oip_application_get_context (self->application),
                                oip_product_get_product_id (self->product), self->items);
  self->plan = oip_push_job_get_plan (self->job);
  g_signal_connect_object (self->job, "notify::stage", G_CALLBACK (on_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job, "notify::fraction", G_CALLBACK (on_progress), self, G_CONNECT_SWAPPED);
}

static void
start_push (OipUploadDialog *self)
{
  if (oip_push_job_get_stage (self->job) != OIP_PUSH_STAGE_IDLE)
    new_job (self);
  self->cancellable = g_cancellable_new ();
  adw_status_page_set_description (self->progress_page, NULL);
  show_page (self, "progress", FALSE, FALSE);
  oip_push_job_run_async (self->job, self->cancellable, on_pushed, g_object_ref (self));
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
  g_clear_object (&self->items);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->job);
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
  self->detail_rows = g_ptr_array_new ();
}

/**
 * oip_upload_dialog_new:
 * @items: the #OipImageItem list to push, in display order; the dialog
 *   pushes these very items, so wherever they are shown their state
 *   follows the push
 *
 * Opens on the review of @items for @product, in a dialog of its own
 * (oip_dialog_get_for()), to present with oip_dialog_present().
 */
OipUploadDialog *
oip_upload_dialog_new (OipApplication *application,
                       OipProduct     *product,
                       GListModel     *items)
{
  OipUploadDialog *self = g_object_new (OIP_TYPE_UPLOAD_DIALOG, NULL);
  GtkWidget *dialog = oip_dialog_new (GTK_WIDGET (self), _("Push Images to Ozon"), 760, 720);

  self->application = g_object_ref (application);
  self->product = g_object_ref (product);
  self->items = g_object_ref (items);
  new_job (self);

  oip_dialog_set_close_func (dialog, on_close);
  fill_review (self);
  show_page (self, "review", FALSE, FALSE);
  return self;
}

/**
 * oip_upload_dialog_get_job:
 *
 * Returns: (transfer none): the push job the dialog shows
 */
OipPushJob *
oip_upload_dialog_get_job (OipUploadDialog *self)
{
  g_return_val_if_fail (OIP_IS_UPLOAD_DIALOG (self), NULL);
  return self->job;
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
