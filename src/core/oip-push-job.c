/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "oip-enum-types.h"
#include "oip-error.h"
#include "oip-image-check.h"
#include "oip-push-job.h"
#include "oip-push-apply.h"
#include "oip-sleep.h"
#include "oip-upload-batch.h"
#include "oip-url.h"

/**
 * OipPushJob:
 *
 * One push of one product's images, the whole way, for both front ends:
 * check the list (the seed's validation), find the product's offer_id,
 * read the product's images on Ozon right before the push, upload the
 * pictures that are files on this computer to the seller's storage, start
 * the import (`/v2/product/pictures/import`), follow Ozon's import task
 * until it settles, and read the product back.
 *
 * The job does the work; windows and the command line only show it. It
 * exposes #OipPushJob:stage and #OipPushJob:fraction, and a #GListModel of
 * the #OipImageItem objects it pushes: the same objects the seller edited,
 * so each image's #OipImageItem:state (queued, checking, uploading,
 * uploaded, sent, importing, imported, skipped, failed) is seen live
 * wherever that image is shown. Nothing is matched by address.
 *
 * Counting is honest: an image counts as imported only if Ozon's read-back
 * has it; the outcome is partial whenever anything failed.
 */
struct _OipPushJob
{
  GObject          parent_instance;

  OipContext      *context;
  gint64           product_id;
  GListStore      *items;           /* OipImageItem, display order */
  OipPushRequest  *request;         /* as given, for a request's job */
  OipPushPlan     *plan;
  OipPushStage     stage;
  double           fraction;
  guint            polls;

  /* during a run */
  GTask           *task;
  OipOzonClient   *client;
  OipProduct      *product;
  OipPushResult   *result;
  OipPushRecord   *record;          /* in the history, once Ozon was read */
  GError          *end_error;       /* while the last record is written */
  OipUploadBatch  *batch;
  GPtrArray       *upload_files;    /* GFile, unique */
  GPtrArray       *upload_items;    /* GPtrArray of OipImageItem, per file */
  GPtrArray       *sent_items;      /* OipImageItem: images in order, then color */
  OipImageItem    *color_item;
  gint64           task_id;
  OipPushKind      kind;
  gint64           source_push_id;
  gboolean         readdress;       /* send again, as new addresses, what Ozon skipped */
  guint            readdressed;
  gint64           import_started;
  gint64           poll_deadline;
  guint            next_wait_ms;
  gboolean         has_uploads;
};

G_DEFINE_FINAL_TYPE (OipPushJob, oip_push_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STAGE,
  PROP_FRACTION,
  PROP_POLLS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Polling follows Ozon rather than a fixed back-off: a first look soon
 * after the import starts, then a little less often, never more than one
 * or two small requests a second (Ozon allows 50 per second). */
#define MAX_POLL_INTERVAL_MS 2000
#define POLL_GROWTH 1.5
/* How long an import typically takes, for the progress bar only. */
#define TYPICAL_IMPORT_SECONDS 8.0

static void poll_status (OipPushJob *self);
static void read_back (OipPushJob *self);

/* Progress */

static void
set_stage (OipPushJob   *self,
           OipPushStage  stage)
{
  if (self->stage == stage)
    return;
  self->stage = stage;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAGE]);
}

static void
set_fraction (OipPushJob *self,
              double      fraction)
{
  fraction = CLAMP (fraction, 0.0, 1.0);
  if (fabs (self->fraction - fraction) < 0.001)
    return;
  self->fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

/* Where each stage starts on the progress bar: uploads, when there are
 * any, take the first half. */
static double
import_base (OipPushJob *self)
{
  return self->has_uploads ? 0.65 : 0.1;
}

static void
update_import_fraction (OipPushJob *self)
{
  double elapsed = (g_get_monotonic_time () - self->import_started) / (double) G_USEC_PER_SEC;
  double base = import_base (self);

  set_fraction (self, base + (0.95 - base) * (1.0 - exp (-elapsed / TYPICAL_IMPORT_SECONDS)));
}

/* Items */

static guint
n_items (OipPushJob *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->items));
}

static OipImageItem *
item_at (OipPushJob *self,
         guint       position)
{
  g_autoptr(OipImageItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), position);

  return item;   /* the store keeps it */
}

static void
set_items_state (GPtrArray     *items,
                 OipImageState  state)
{
  for (guint i = 0; i < items->len; i++)
    oip_image_item_set_state (g_ptr_array_index (items, i), state, NULL, NULL);
}

/* The images the plan sends, in order, then the color image; those past
 * the limit are not sent and say so. */
static void
collect_sent_items (OipPushJob *self)
{
  guint number = 0;

  g_ptr_array_set_size (self->sent_items, 0);
  self->color_item = NULL;
  for (guint i = 0; i < n_items (self); i++)
    {
      OipImageItem *item = item_at (self, i);

      if (oip_image_item_get_is_color (item))
        {
          if (self->color_item == NULL)
            self->color_item = item;
          continue;
        }
      if (++number > OIP_MAX_IMAGES)
        oip_image_item_set_state (item, OIP_IMAGE_STATE_NOT_SENT,
                                  _("Not sent: only the first 30 images are sent"), NULL);
      else
        g_ptr_array_add (self->sent_items, item);
    }
  if (self->color_item != NULL)
    g_ptr_array_add (self->sent_items, self->color_item);
}

static OipPushRequest *
request_from_items (OipPushJob *self)
{
  OipPushRequest *request = oip_push_request_new ();

  request->product_id = self->product_id;
  for (guint i = 0; i < n_items (self); i++)
    {
      OipImageItem *item = item_at (self, i);

      g_ptr_array_add (oip_image_item_get_is_color (item) ? request->color_images : request->images,
                       g_strdup (oip_image_item_get_url (item)));
    }
  return request;
}

/* A request's job is planned from the request itself, so problems are
 * reported in its terms (primary_image, the index in its images). */
static void
make_plan (OipPushJob *self)
{
  g_autoptr(OipPushRequest) request = self->request ? NULL : request_from_items (self);

  g_clear_pointer (&self->plan, oip_push_plan_free);
  self->plan = oip_push_plan_new (self->request ? self->request : request,
                                  oip_context_get_push_settings (self->context)->validate_urls);
}

/* The plan's entries name a field, an index and the address as given.
 * A job made from items plans `images` in the items' order (the color
 * image apart), so the index finds the very item: for a duplicate, the
 * later copy, not the first. Otherwise (a request's job, whose main image
 * may have moved) the address does: the first for an invalid one, the
 * last for a duplicate. */
static OipImageItem *
item_for_issue (OipPushJob               *self,
                const OipValidationIssue *issue)
{
  gboolean color = g_str_equal (issue->field, "color_image");
  gboolean by_index = color || g_str_equal (issue->field, "images");
  OipImageItem *found = NULL;
  guint n = 0;

  if (!oip_issue_is_url (issue->kind) || g_str_equal (issue->field, "images360"))
    return NULL;
  for (guint i = 0; by_index && i < n_items (self); i++)
    {
      OipImageItem *item = item_at (self, i);

      if (oip_image_item_get_is_color (item) != color)
        continue;
      if (n++ == issue->index)
        {
          if (g_strcmp0 (oip_image_item_get_url (item), issue->url) == 0)
            return item;
          break;
        }
    }
  for (guint i = 0; i < n_items (self); i++)
    {
      OipImageItem *item = item_at (self, i);

      if (oip_image_item_get_is_color (item) == color &&
          g_strcmp0 (oip_image_item_get_url (item), issue->url) == 0)
        {
          found = item;
          if (issue->kind != OIP_ISSUE_DUPLICATE_URL)
            break;
        }
    }
  return found;
}

static void
result_free_strv_array (GPtrArray **array)
{
  g_clear_pointer (array, g_ptr_array_unref);
}

static OipPushResult *
result_new (OipPushJob *self)
{
  OipPushResult *result = g_new0 (OipPushResult, 1);

  result->product_id = self->product_id;
  result->outcome = OIP_PUSH_OUTCOME_RUNNING;
  result->import_state = OIP_IMPORT_PENDING;
  result->import_errors = g_ptr_array_new_with_free_func (g_free);
  result->image_errors = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_image_error_free);
  result->notices = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_notice_free);
  result->warnings = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; self->plan != NULL && i < self->plan->notices->len; i++)
    g_ptr_array_add (result->notices, oip_notice_copy (g_ptr_array_index (self->plan->notices, i)));
  return result;
}

static void
stop_run (OipPushJob *self)
{
  g_clear_object (&self->batch);
  g_clear_object (&self->client);
  g_clear_object (&self->product);
}

/* History */

static void
fill_record (OipPushJob *self,
             gboolean    final)
{
  OipPushRecord *record = self->record;
  OipPushResult *result = self->result;

  record->outcome = final ? result->outcome : OIP_PUSH_OUTCOME_RUNNING;
  record->finished_at = final ? g_get_real_time () : 0;
  record->task_id = self->task_id;
  g_clear_pointer (&record->after_images, g_strfreev);
  g_clear_pointer (&record->after_color, g_free);
  record->after_images = g_strdupv (result->current_images);
  record->after_color = g_strdup (result->current_color_image);
  g_clear_pointer (&record->sent_color, g_free);
  if (self->color_item != NULL && result->color_image_sent)
    record->sent_color = g_strdup (oip_image_item_get_sent_url (self->color_item));

  g_ptr_array_set_size (record->images, 0);
  for (guint i = 0; i < n_items (self); i++)
    {
      OipImageItem *item = item_at (self, i);
      OipPushRecordImage *image = oip_push_record_image_new (oip_image_item_get_url (item));
      const char *ozon = oip_image_item_get_ozon_message (item);

      image->position = i;
      image->url = g_strdup (oip_image_item_get_sent_url (item));
      image->is_main = oip_image_item_get_is_main (item);
      image->is_color = oip_image_item_get_is_color (item);
      image->state = g_strdup (oip_image_state_to_string (oip_image_item_get_state (item)));
      image->error = g_strdup (ozon != NULL ? ozon : oip_image_item_get_error (item));
      g_ptr_array_add (record->images, image);
    }

  g_clear_pointer (&record->error_code, g_free);
  g_clear_pointer (&record->error_message, g_free);
  if (final && self->end_error != NULL)
    {
      record->error_code = g_strdup (self->end_error->domain == OIP_ERROR
                                     ? oip_error_code_name (self->end_error->code)
                                     : g_error_matches (self->end_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                       ? "cancelled" : "failed");
      record->error_message = g_strdup (self->end_error->message);
    }
}

static void
on_record_saved (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(OipPushJob) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = oip_history_save_finish (OIP_HISTORY (source), res, &error);

  /* A history that cannot be written never stops a push; the seller is
   * told once. */
  if (id <= 0 && self->result != NULL &&
      !g_ptr_array_find_with_equal_func (self->result->warnings, error->message, g_str_equal, NULL))
    g_ptr_array_add (self->result->warnings, g_strdup (error->message));
}

static void
save_record (OipPushJob *self)
{
  OipHistory *history = oip_context_get_history (self->context);

  if (history == NULL || self->record == NULL)
    return;
  fill_record (self, FALSE);
  oip_history_save_async (history, self->record, NULL, on_record_saved, g_object_ref (self));
}

/* Ending */

static void
complete (OipPushJob *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  GError *error = g_steal_pointer (&self->end_error);

  stop_run (self);
  if (error == NULL)
    set_fraction (self, 1.0);
  set_stage (self, OIP_PUSH_STAGE_DONE);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_final_record_saved (GObject      *source,
                       GAsyncResult *res,
                       gpointer      user_data)
{
  g_autoptr(OipPushJob) self = user_data;

  on_record_saved (source, res, g_object_ref (self));
  complete (self);
}

/* Takes @error (nullable). The record says how it ended before the caller
 * hears of it, so a command that exits at once leaves it written. */
static void
end_run (OipPushJob *self,
         GError     *error)
{
  OipHistory *history = oip_context_get_history (self->context);

  self->end_error = error;
  if (history == NULL || self->record == NULL)
    {
      complete (self);
      return;
    }
  fill_record (self, TRUE);
  /* Not cancellable: a cancelled push's record must say so. */
  oip_history_save_async (history, self->record, NULL, on_final_record_saved, g_object_ref (self));
}

static void
fail (OipPushJob *self,
      GError     *error)
{
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  if (self->result == NULL)
    self->result = result_new (self);
  self->result->outcome = cancelled ? OIP_PUSH_OUTCOME_CANCELLED : OIP_PUSH_OUTCOME_FAILED;

  /* What was under way stops where it is; nothing is claimed. */
  for (guint i = 0; i < self->sent_items->len; i++)
    {
      OipImageItem *item = g_ptr_array_index (self->sent_items, i);

      switch (oip_image_item_get_state (item))
        {
        case OIP_IMAGE_STATE_QUEUED:
        case OIP_IMAGE_STATE_CHECKING:
        case OIP_IMAGE_STATE_UPLOADING:
        case OIP_IMAGE_STATE_UPLOADED:
          oip_image_item_set_state (item, OIP_IMAGE_STATE_NOT_SENT, NULL, NULL);
          break;
        default:
          break;
        }
    }

  /* Once Ozon accepted the import, the product may already have the new
   * images whatever went wrong after: say so. */
  if (self->result->import_accepted && !cancelled && error->domain == OIP_ERROR)
    g_prefix_error (&error, "%s ", _("Ozon accepted the images, then:"));

  end_run (self, error);
}

static void
finish (OipPushJob *self)
{
  end_run (self, NULL);
}

/* Reading back */

static void
apply_pictures (OipPushJob  *self,
                OipPictures *pictures,
                gboolean     settled)
{
  OipPushResult *result = self->result;
  OipApplyCounts counts;

  oip_push_apply_pictures (self->sent_items, self->color_item, pictures,
                           (const char * const *) result->previous_images, result->previous_color_image,
                           settled, &counts);
  result->n_imported = counts.n_imported;
  result->n_skipped = counts.n_skipped;
  result->n_failed = counts.n_failed;
}

static void
on_product_remembered (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(OipPushJob) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The push itself is done; a store that cannot be written (disk full)
   * only means the next push starts from Ozon's list again. The seller is
   * told. */
  if (!oip_product_store_put_finish (OIP_PRODUCT_STORE (source), result, &error) && self->result != NULL)
    g_ptr_array_add (self->result->warnings,
                     g_strdup_printf (_("The product’s new images were not remembered on this computer: %s"),
                                      error->message));
  finish (self);
}

static void
remember_product (OipPushJob *self)
{
  OipProductStore *store = oip_context_get_store (self->context);

  if (store == NULL || self->product == NULL || self->result->current_images == NULL)
    {
      finish (self);
      return;
    }
  oip_product_set_images (self->product, (const char * const *) self->result->current_images);
  oip_product_set_color_image (self->product, self->result->current_color_image);
  oip_product_store_put_async (store, self->product, NULL, on_product_remembered, g_object_ref (self));
}

/* Restoring an old list must change the product even though Ozon does
 * not fetch an address again that it has seen: once, what it skipped goes
 * again under a new address, with the whole list (the rule bulk runs
 * share, oip_push_readdress_unkept()). */
static gboolean
readdress_unkept (OipPushJob *self)
{
  guint count;

  if (!self->readdress || self->readdressed > 0)
    return FALSE;
  count = oip_push_readdress_unkept (self->sent_items);
  if (count == 0)
    return FALSE;

  self->readdressed = count;
  g_clear_pointer (&self->result->current_images, g_strfreev);
  g_clear_pointer (&self->result->current_color_image, g_free);
  g_ptr_array_set_size (self->result->image_errors, 0);
  g_ptr_array_set_size (self->result->import_errors, 0);
  self->result->import_state = OIP_IMPORT_PENDING;
  g_ptr_array_add (self->result->warnings,
                   g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "Ozon skipped %u address it had seen before; it was sent again as a new address",
                                                 "Ozon skipped %u addresses it had seen before; they were sent again as new addresses",
                                                 count),
                                    count));
  return TRUE;
}

static void send_import (OipPushJob *self);

static void
on_pictures (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(OipPushJob) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipPictures) pictures = NULL;
  OipPushResult *result = self->result;
  gboolean pending = result->import_state == OIP_IMPORT_PENDING;

  pictures = oip_ozon_client_get_pictures_finish (OIP_OZON_CLIENT (source), res, &error);
  if (pictures == NULL)
    {
      fail (self, g_steal_pointer (&error));
      return;
    }

  result->current_images = g_strdupv (pictures->images);
  result->current_color_image = g_strdup (pictures->color_image);
  for (guint i = 0; i < pictures->errors->len; i++)
    {
      const OipImageError *image_error = g_ptr_array_index (pictures->errors, i);

      g_ptr_array_add (result->image_errors, oip_image_error_new (image_error->url, image_error->message));
    }

  apply_pictures (self, pictures, !pending);
  if (!pending && readdress_unkept (self))
    {
      send_import (self);
      return;
    }
  if (pending)
    result->outcome = OIP_PUSH_OUTCOME_PENDING;
  else if (result->n_failed == 0)
    result->outcome = OIP_PUSH_OUTCOME_SUCCEEDED;
  else if (result->n_imported + result->n_skipped > 0)
    result->outcome = OIP_PUSH_OUTCOME_PARTIAL;
  else
    result->outcome = OIP_PUSH_OUTCOME_FAILED;

  remember_product (self);
}

static void
read_back (OipPushJob *self)
{
  set_stage (self, OIP_PUSH_STAGE_READING_BACK);
  set_fraction (self, 0.97);
  oip_ozon_client_get_pictures_async (self->client, self->product_id,
                                      g_task_get_cancellable (self->task), on_pictures, g_object_ref (self));
}

/* Importing */

static void
on_live_pictures (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(OipPushJob) self = user_data;
  g_autoptr(OipPictures) pictures = NULL;
  g_autoptr(GError) error = NULL;

  pictures = oip_ozon_client_get_pictures_finish (OIP_OZON_CLIENT (source), res, &error);
  if (self->task == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* A look in between is a bonus: its failure is not the push's. */
  if (pictures != NULL && self->stage == OIP_PUSH_STAGE_IMPORTING)
    apply_pictures (self, pictures, FALSE);
}

static void
on_poll_wait_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(OipPushJob) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!oip_sleep_finish (result, &error))
    fail (self, g_steal_pointer (&error));
  else
    poll_status (self);
}

static void
wait_and_poll (OipPushJob *self)
{
  oip_sleep_async (self->next_wait_ms, g_task_get_cancellable (self->task),
                   on_poll_wait_done, g_object_ref (self));
  self->next_wait_ms = MIN ((guint) (self->next_wait_ms * POLL_GROWTH), MAX_POLL_INTERVAL_MS);
}

static void
on_import_status (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(OipPushJob) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipImportStatus) status = NULL;

  status = oip_ozon_client_get_import_status_finish (OIP_OZON_CLIENT (source), res, &error);
  if (status == NULL)
    {
      fail (self, g_steal_pointer (&error));
      return;
    }

  self->polls++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLLS]);
  self->result->import_state = status->state;
  update_import_fraction (self);

  if (status->state != OIP_IMPORT_PENDING)
    {
      for (guint i = 0; i < status->errors->len; i++)
        g_ptr_array_add (self->result->import_errors, g_strdup (g_ptr_array_index (status->errors, i)));
      read_back (self);
      return;
    }

  /* Still pending when the time is up: the images were sent and Ozon will
   * get to them; say so with what the product has now. */
  if (g_get_monotonic_time () + (gint64) self->next_wait_ms * 1000 > self->poll_deadline)
    {
      read_back (self);
      return;
    }

  /* Every other look also asks for the pictures, so each image's state
   * changes as Ozon reports it, not only at the end. */
  if (self->polls % 2 == 0)
    oip_ozon_client_get_pictures_async (self->client, self->product_id, g_task_get_cancellable (self->task),
                                        on_live_pictures, g_object_ref (self));
  wait_and_poll (self);
}

static void
poll_status (OipPushJob *self)
{
  oip_ozon_client_get_import_status_async (self->client, self->task_id, self->result->offer_id,
                                           g_task_get_cancellable (self->task), on_import_status,
                                           g_object_ref (self));
}

static void
on_imported (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(OipPushJob) self = user_data;
  g_autoptr(GError) error = NULL;

  self->task_id = oip_ozon_client_import_pictures_finish (OIP_OZON_CLIENT (source), res, &error);
  if (self->task_id <= 0)
    {
      fail (self, g_steal_pointer (&error));
      return;
    }

  self->result->import_accepted = TRUE;
  set_items_state (self->sent_items, OIP_IMAGE_STATE_IMPORTING);
  save_record (self);
  set_stage (self, OIP_PUSH_STAGE_IMPORTING);
  self->import_started = g_get_monotonic_time ();
  self->next_wait_ms = oip_context_get_poll_interval (self->context);
  self->poll_deadline = self->import_started +
                        (gint64) oip_context_get_push_settings (self->context)->timeout * G_USEC_PER_SEC;
  wait_and_poll (self);
}

/* Sending */

static void
send_import (OipPushJob *self)
{
  g_autoptr(GPtrArray) images = g_ptr_array_new ();

  for (guint i = 0; i < self->sent_items->len; i++)
    {
      OipImageItem *item = g_ptr_array_index (self->sent_items, i);

      if (item != self->color_item)
        g_ptr_array_add (images, (gpointer) oip_image_item_get_sent_url (item));
    }

  self->result->images_sent = images->len;
  self->result->color_image_sent = self->color_item != NULL;
  self->result->import_requested = TRUE;
  set_stage (self, OIP_PUSH_STAGE_SENDING);
  set_fraction (self, import_base (self));
  set_items_state (self->sent_items, OIP_IMAGE_STATE_SENT);
  /* The main image is the first: no primary_image needed. */
  oip_ozon_client_import_pictures_async (self->client, self->result->offer_id, images, NULL,
                                         self->color_item ? oip_image_item_get_sent_url (self->color_item) : NULL,
                                         g_task_get_cancellable (self->task), on_imported, g_object_ref (self));
}

/* Uploading */

static void
on_file_progress (OipUploadBatch *batch,
                  guint           index,
                  guint64         sent,
                  guint64         total,
                  OipPushJob     *self)
{
  GPtrArray *items = g_ptr_array_index (self->upload_items, index);
  guint64 bytes_total = oip_upload_batch_get_bytes_total (batch);

  for (guint i = 0; i < items->len; i++)
    {
      oip_image_item_set_state (g_ptr_array_index (items, i), OIP_IMAGE_STATE_UPLOADING, NULL, NULL);
      oip_image_item_set_progress (g_ptr_array_index (items, i), total > 0 ? (double) sent / total : 0.0);
    }
  if (bytes_total > 0)
    set_fraction (self, 0.05 + 0.55 * (double) oip_upload_batch_get_bytes_sent (batch) / bytes_total);
}

static void
on_file_done (OipUploadBatch *batch,
              guint           index,
              OipPushJob     *self)
{
  GPtrArray *items = g_ptr_array_index (self->upload_items, index);
  const char *url = oip_upload_batch_get_url (batch, index);

  if (url == NULL)
    return;
  for (guint i = 0; i < items->len; i++)
    {
      oip_image_item_set_sent_url (g_ptr_array_index (items, i), url);
      oip_image_item_set_progress (g_ptr_array_index (items, i), 1.0);
      oip_image_item_set_state (g_ptr_array_index (items, i), OIP_IMAGE_STATE_UPLOADED, NULL, NULL);
    }
}

static void
on_batch_done (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(OipPushJob) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) urls = oip_upload_batch_run_finish (OIP_UPLOAD_BATCH (source), res, &error);

  for (guint i = 0; self->batch != NULL && i < oip_upload_batch_get_warnings (self->batch)->len; i++)
    g_ptr_array_add (self->result->warnings,
                     g_strdup (g_ptr_array_index (oip_upload_batch_get_warnings (self->batch), i)));

  if (urls == NULL)
    {
      int failed = self->batch ? oip_upload_batch_get_failed_index (self->batch) : -1;

      if (failed >= 0 && error != NULL)
        {
          GPtrArray *items = g_ptr_array_index (self->upload_items, failed);

          for (guint i = 0; i < items->len; i++)
            oip_image_item_set_state (g_ptr_array_index (items, i), OIP_IMAGE_STATE_FAILED, error->message, NULL);
        }
      fail (self, g_steal_pointer (&error));
      return;
    }

  g_clear_object (&self->batch);
  send_import (self);
}

static void
on_storage_client (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  g_autoptr(OipPushJob) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipS3Client) storage = oip_context_create_storage_client_finish (OIP_CONTEXT (source), res, &error);

  if (storage == NULL)
    {
      fail (self, g_steal_pointer (&error));
      return;
    }

  self->batch = oip_upload_batch_new (storage, self->upload_files, OIP_UPLOAD_BATCH_PARALLEL);
  g_signal_connect_object (self->batch, "file-progress", G_CALLBACK (on_file_progress), self, 0);
  g_signal_connect_object (self->batch, "file-done", G_CALLBACK (on_file_done), self, 0);
  oip_upload_batch_run_async (self->batch, g_task_get_cancellable (self->task), on_batch_done,
                              g_object_ref (self));
}

/* Local files, each once however many images name it. */
static void
collect_uploads (OipPushJob *self)
{
  g_ptr_array_set_size (self->upload_files, 0);
  g_ptr_array_set_size (self->upload_items, 0);
  for (guint i = 0; i < self->sent_items->len; i++)
    {
      OipImageItem *item = g_ptr_array_index (self->sent_items, i);
      g_autoptr(GFile) file = NULL;
      guint index;

      /* A retry keeps the address of a file Ozon already took. */
      if (!oip_image_item_is_local (item) || oip_image_item_get_sent_url (item) != NULL)
        continue;
      file = g_file_new_for_uri (oip_image_item_get_url (item));
      if (!g_ptr_array_find_with_equal_func (self->upload_files, file, (GEqualFunc) g_file_equal, &index))
        {
          index = self->upload_files->len;
          g_ptr_array_add (self->upload_files, g_steal_pointer (&file));
          g_ptr_array_add (self->upload_items, g_ptr_array_new ());
        }
      g_ptr_array_add (g_ptr_array_index (self->upload_items, index), item);
    }
  self->has_uploads = self->upload_files->len > 0;
}

/* Checking local files, for the review and before uploading: every
 * problem of every file, each with its own advice. */

void
oip_push_problem_free (OipPushProblem *problem)
{
  g_clear_object (&problem->item);
  g_free (problem->code);
  g_free (problem->message);
  g_free (problem->hint);
  g_free (problem);
}

typedef struct
{
  GPtrArray *items;      /* per file: GPtrArray of OipImageItem */
  GPtrArray *problems;   /* OipPushProblem */
  guint      pending;
} Checking;

static void
checking_free (Checking *checking)
{
  g_ptr_array_unref (checking->items);
  g_ptr_array_unref (checking->problems);
  g_free (checking);
}

typedef struct
{
  GTask *task;
  guint  index;
} CheckingFile;

static void
add_problem (Checking         *checking,
             GPtrArray        *items,
             OipImageSeverity  severity,
             const char       *code,
             const char       *message)
{
  for (guint i = 0; i < items->len; i++)
    {
      OipPushProblem *problem = g_new0 (OipPushProblem, 1);

      problem->item = g_object_ref (g_ptr_array_index (items, i));
      problem->severity = severity;
      problem->code = g_strdup (code);
      problem->message = g_strdup (message);
      problem->hint = g_strdup (oip_image_finding_hint (code));
      g_ptr_array_add (checking->problems, problem);
    }
}

static void
on_file_checked (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CheckingFile *file = user_data;
  g_autoptr(GTask) task = file->task;
  Checking *checking = g_task_get_task_data (task);
  GPtrArray *items = g_ptr_array_index (checking->items, file->index);
  g_autoptr(GError) error = NULL;
  g_autoptr(OipImageCheck) check = oip_image_check_file_finish (result, &error);

  g_free (file);
  if (check == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    add_problem (checking, items, OIP_IMAGE_ERROR,
                 g_error_matches (error, OIP_ERROR, OIP_ERROR_IMAGE_REJECTED) ? "file_too_big" : "unreadable",
                 error->message);
  for (guint i = 0; check != NULL && i < check->findings->len; i++)
    {
      const OipImageFinding *finding = g_ptr_array_index (check->findings, i);

      add_problem (checking, items, finding->severity, finding->code, finding->message);
    }

  if (--checking->pending > 0)
    return;
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_pointer (task, g_ptr_array_ref (checking->problems), (GDestroyNotify) g_ptr_array_unref);
}

static void
check_files_async (OipPushJob          *self,
                   GPtrArray           *files,
                   GPtrArray           *items,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Checking *checking = g_new0 (Checking, 1);

  g_task_set_source_tag (task, oip_push_job_check_local_async);
  checking->items = g_ptr_array_ref (items);
  checking->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_push_problem_free);
  checking->pending = files->len;
  g_task_set_task_data (task, checking, (GDestroyNotify) checking_free);
  if (files->len == 0)
    {
      g_task_return_pointer (task, g_ptr_array_ref (checking->problems), (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  for (guint i = 0; i < files->len; i++)
    {
      CheckingFile *file = g_new0 (CheckingFile, 1);

      file->task = i + 1 == files->len ? task : g_object_ref (task);
      file->index = i;
      oip_image_check_file_async (g_ptr_array_index (files, i), cancellable, on_file_checked, file);
    }
}

static gboolean
has_errors (GPtrArray *problems)
{
  for (guint i = 0; i < problems->len; i++)
    if (((OipPushProblem *) g_ptr_array_index (problems, i))->severity == OIP_IMAGE_ERROR)
      return TRUE;
  return FALSE;
}

static void
on_local_checked (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(OipPushJob) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_task_propagate_pointer (G_TASK (res), &error);
  g_autoptr(GString) names = g_string_new (NULL);
  guint n_failed = 0;

  if (problems == NULL)
    {
      fail (self, g_steal_pointer (&error));
      return;
    }
  if (!has_errors (problems))
    {
      oip_context_create_storage_client_async (self->context, g_task_get_cancellable (self->task),
                                               on_storage_client, g_object_ref (self));
      return;
    }

  /* Nothing is uploaded while any picture cannot be sent: each says why,
   * with its own advice. */
  for (guint i = 0; i < problems->len; i++)
    {
      OipPushProblem *problem = g_ptr_array_index (problems, i);
      g_autofree char *name = NULL;

      if (problem->severity != OIP_IMAGE_ERROR || oip_image_item_get_state (problem->item) == OIP_IMAGE_STATE_FAILED)
        continue;
      oip_image_item_set_state (problem->item, OIP_IMAGE_STATE_FAILED, problem->message, NULL);
      oip_image_item_set_hint (problem->item, problem->hint);
      name = g_path_get_basename (oip_image_item_get_url (problem->item));
      g_string_append_printf (names, "%s%s", n_failed++ ? ", " : "", name);
    }
  fail (self, g_error_new (OIP_ERROR, OIP_ERROR_IMAGE_REJECTED,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "%u picture cannot be sent: %s",
                                        "%u pictures cannot be sent: %s", n_failed),
                           n_failed, names->str));
}

static void
upload_or_send (OipPushJob *self)
{
  collect_uploads (self);
  if (!self->has_uploads)
    {
      send_import (self);
      return;
    }
  set_stage (self, OIP_PUSH_STAGE_UPLOADING);
  set_fraction (self, 0.05);
  for (guint i = 0; i < self->upload_items->len; i++)
    set_items_state (g_ptr_array_index (self->upload_items, i), OIP_IMAGE_STATE_CHECKING);
  check_files_async (self, self->upload_files, self->upload_items, g_task_get_cancellable (self->task),
                     on_local_checked, g_object_ref (self));
}

/* Preparing */

static void
on_record_begun (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(OipPushJob) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = oip_history_save_finish (OIP_HISTORY (source), res, &error);

  if (id > 0)
    self->record->id = self->result->history_id = id;
  else
    g_ptr_array_add (self->result->warnings, g_strdup (error->message));

  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (self->task), &error))
    fail (self, g_steal_pointer (&error));
  else
    upload_or_send (self);
}

/* The record exists before anything is sent: a push killed on the way
 * leaves it behind, with the images it was about to replace. */
static void
begin_record (OipPushJob *self)
{
  OipHistory *history = oip_context_get_history (self->context);
  OipPushRecord *record;

  if (history == NULL)
    {
      upload_or_send (self);
      return;
    }

  self->record = record = oip_push_record_new ();
  record->kind = self->kind;
  record->source_push_id = self->source_push_id;
  record->product_id = self->product_id;
  record->offer_id = g_strdup (self->result->offer_id);
  record->client_id = g_strdup (oip_ozon_client_get_client_id (self->client));
  record->started_at = g_get_real_time ();
  record->before_known = TRUE;
  record->before_images = g_strdupv (self->result->previous_images);
  record->before_color = g_strdup (self->result->previous_color_image);
  fill_record (self, FALSE);
  oip_history_save_async (history, record, NULL, on_record_begun, g_object_ref (self));
}

static void
on_fresh_product (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(OipPushJob) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipProduct) fresh = oip_ozon_client_get_product_finish (OIP_OZON_CLIENT (source), res, &error);

  if (fresh == NULL)
    {
      fail (self, g_steal_pointer (&error));
      return;
    }

  /* What the push replaces, as Ozon has it now — not the local copy, which
   * another computer or Ozon's portal may have made stale. */
  self->result->previous_images = g_strdupv ((char **) oip_product_get_images (fresh));
  self->result->previous_color_image = g_strdup (oip_product_get_color_image (fresh));
  g_free (self->result->offer_id);
  self->result->offer_id = g_strdup (oip_product_get_offer_id (fresh));
  begin_record (self);
}

static void
on_client (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(OipPushJob) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, self->product_id);

  self->client = oip_context_create_client_finish (OIP_CONTEXT (source), res, &error);
  if (self->client == NULL)
    {
      fail (self, g_steal_pointer (&error));
      return;
    }
  set_fraction (self, 0.02);
  oip_ozon_client_get_product_async (self->client, OIP_PRODUCT_KEY_PRODUCT_ID, id,
                                     g_task_get_cancellable (self->task), on_fresh_product,
                                     g_object_ref (self));
}

/* The seed's rule: a product must have been downloaded, which ties its
 * product_id to the offer_id the import needs. */
static void
on_stored_product (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  g_autoptr(OipPushJob) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipProduct) product = NULL;

  if (source != NULL)
    product = oip_product_store_lookup_finish (OIP_PRODUCT_STORE (source), res, &error);
  if (product == NULL)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, self->product_id);

      if (error == NULL || g_error_matches (error, OIP_ERROR, OIP_ERROR_PRODUCT_NOT_FOUND))
        {
          g_clear_error (&error);
          g_set_error (&error, OIP_ERROR, OIP_ERROR_PRODUCT_NOT_FOUND,
                       _("Product ID %s not found. Download the product information first."), id);
        }
      fail (self, g_steal_pointer (&error));
      return;
    }
  self->product = g_steal_pointer (&product);
  self->result->offer_id = g_strdup (oip_product_get_offer_id (self->product));
  oip_context_create_client_async (self->context, g_task_get_cancellable (self->task), on_client,
                                   g_object_ref (self));
}

static gboolean
check_plan (OipPushJob  *self,
            GError     **error)
{
  for (guint i = 0; i < self->plan->errors->len; i++)
    {
      const OipValidationIssue *issue = g_ptr_array_index (self->plan->errors, i);
      OipImageItem *item = item_for_issue (self, issue);

      if (item != NULL)
        oip_image_item_set_state (item, OIP_IMAGE_STATE_FAILED, _(oip_issue_reason (issue->kind)), NULL);
    }
  return oip_push_plan_check (self->plan, error);
}

/* GObject */

static void
oip_push_job_dispose (GObject *object)
{
  OipPushJob *self = (OipPushJob *)object;

  stop_run (self);
  G_OBJECT_CLASS (oip_push_job_parent_class)->dispose (object);
}

static void
oip_push_job_finalize (GObject *object)
{
  OipPushJob *self = (OipPushJob *)object;

  g_assert (self->task == NULL);
  g_clear_object (&self->context);
  g_clear_object (&self->items);
  g_clear_pointer (&self->request, oip_push_request_free);
  g_clear_pointer (&self->plan, oip_push_plan_free);
  g_clear_pointer (&self->result, oip_push_result_free);
  g_clear_pointer (&self->record, oip_push_record_free);
  g_clear_error (&self->end_error);
  g_ptr_array_unref (self->upload_files);
  g_ptr_array_unref (self->upload_items);
  g_ptr_array_unref (self->sent_items);

  G_OBJECT_CLASS (oip_push_job_parent_class)->finalize (object);
}

static void
oip_push_job_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  OipPushJob *self = OIP_PUSH_JOB (object);

  switch (prop_id)
    {
    case PROP_STAGE:
      g_value_set_enum (value, self->stage);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_POLLS:
      g_value_set_uint (value, self->polls);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
oip_push_job_class_init (OipPushJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = oip_push_job_dispose;
  object_class->finalize = oip_push_job_finalize;
  object_class->get_property = oip_push_job_get_property;

  properties[PROP_STAGE] = g_param_spec_enum ("stage", NULL, NULL, OIP_TYPE_PUSH_STAGE,
                                              OIP_PUSH_STAGE_IDLE, flags);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0, flags);
  properties[PROP_POLLS] = g_param_spec_uint ("polls", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
oip_push_job_init (OipPushJob *self)
{
  self->upload_files = g_ptr_array_new_with_free_func (g_object_unref);
  self->upload_items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  self->sent_items = g_ptr_array_new ();
}

/* Public */

static OipImageItem *
append_item (GListStore *items,
             const char *url,
             gboolean    is_color)
{
  g_autoptr(OipImageItem) item = oip_image_item_new (url);
  guint number = 0;

  if (!is_color)
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (items)); i++)
      {
        g_autoptr(OipImageItem) other = g_list_model_get_item (G_LIST_MODEL (items), i);

        number += !oip_image_item_get_is_color (other);
      }
  oip_image_item_set_placement (item, is_color ? 0 : number + 1, !is_color && number == 0, is_color,
                                !is_color && number + 1 > OIP_MAX_IMAGES);
  g_list_store_append (items, item);
  return item;
}

/**
 * oip_push_job_new_restore:
 * @record: a recorded push
 * @kind: %OIP_PUSH_KIND_UNDO (the push just made) or
 *   %OIP_PUSH_KIND_RESTORE (any recorded one)
 *
 * A job that puts back the images the product had right before @record's
 * push, as Ozon had them then, with their main and color image; images
 * Ozon skips as already seen are sent again under a new address.
 *
 * Returns: (transfer full) (nullable): the job, or %NULL when the record
 *   does not know what the product had
 */
OipPushJob *
oip_push_job_new_restore (OipContext           *context,
                          const OipPushRecord  *record,
                          OipPushKind           kind,
                          GError              **error)
{
  g_autoptr(GListStore) items = g_list_store_new (OIP_TYPE_IMAGE_ITEM);
  OipPushJob *self;

  g_return_val_if_fail (record != NULL, NULL);

  if (!record->before_known || ((record->before_images == NULL || record->before_images[0] == NULL) &&
                                record->before_color == NULL))
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, record->id);

      g_set_error (error, OIP_ERROR, OIP_ERROR_NO_IMAGES,
                   _("Push %s does not say which images the product had before it"), id);
      return NULL;
    }
  for (guint i = 0; record->before_images != NULL && record->before_images[i] != NULL; i++)
    append_item (items, record->before_images[i], FALSE);
  if (record->before_color != NULL)
    append_item (items, record->before_color, TRUE);

  self = oip_push_job_new (context, record->product_id, G_LIST_MODEL (items));
  oip_push_job_set_kind (self, kind, record->id);
  return self;
}

/**
 * oip_push_job_new_retry:
 * @record: a recorded push where some images failed
 *
 * A job for “Retry failed” from the history: the same list, the images
 * Ozon took under the addresses it took them at, the failed ones again
 * (see oip_push_job_prepare_retry()).
 *
 * Returns: (transfer full) (nullable): the job, or %NULL when nothing in
 *   @record failed
 */
OipPushJob *
oip_push_job_new_retry (OipContext           *context,
                        const OipPushRecord  *record,
                        GError              **error)
{
  g_autoptr(GListStore) items = g_list_store_new (OIP_TYPE_IMAGE_ITEM);
  g_autoptr(GEnumClass) states = g_type_class_ref (OIP_TYPE_IMAGE_STATE);
  OipPushJob *self;

  g_return_val_if_fail (record != NULL, NULL);

  for (guint i = 0; record->images != NULL && i < record->images->len; i++)
    {
      const OipPushRecordImage *image = g_ptr_array_index (record->images, i);
      GEnumValue *state = g_enum_get_value_by_nick (states, image->state ? image->state : "none");
      OipImageItem *item = append_item (items, image->source, image->is_color);

      oip_image_item_set_sent_url (item, image->url);
      oip_image_item_set_state (item, state ? (OipImageState) state->value : OIP_IMAGE_STATE_NONE,
                                image->error, NULL);
    }

  if (oip_push_job_prepare_retry (G_LIST_MODEL (items)) == 0)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, record->id);

      g_set_error (error, OIP_ERROR, OIP_ERROR_NO_IMAGES,
                   _("No image failed in push %s: there is nothing to retry"), id);
      return NULL;
    }
  self = oip_push_job_new (context, record->product_id, G_LIST_MODEL (items));
  oip_push_job_set_kind (self, OIP_PUSH_KIND_RETRY, record->id);
  return self;
}

/**
 * oip_push_job_prepare_retry:
 * @items: the #OipImageItem list of a push where some images failed
 *
 * Gets @items ready for “Retry failed”: every import sends the whole list
 * again (Ozon replaces all images), so the images Ozon took keep their
 * address and stay as they are, while each failed one goes again under a
 * new address (a web image gets a version parameter, since Ozon does not
 * fetch an address again; a local file that never reached the storage is
 * uploaded again). Run it with oip_push_job_set_kind() %OIP_PUSH_KIND_RETRY.
 *
 * Returns: how many images will be tried again
 */
guint
oip_push_job_prepare_retry (GListModel *items)
{
  g_autofree char *version = g_strdup_printf ("%" G_GINT64_MODIFIER "x", g_get_real_time () / G_USEC_PER_SEC);
  guint count = 0;

  g_return_val_if_fail (G_IS_LIST_MODEL (items), 0);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(OipImageItem) item = g_list_model_get_item (items, i);
      const char *sent = oip_image_item_get_sent_url (item);

      if (oip_image_item_get_state (item) != OIP_IMAGE_STATE_FAILED)
        continue;
      count++;
      if (sent == NULL)
        continue;   /* never reached the storage: uploaded again */
      {
        g_autofree char *url = oip_url_with_version (sent, version);

        oip_image_item_set_sent_url (item, url);
      }
    }
  return count;
}

/**
 * oip_push_job_new:
 * @context: where the account, storage, settings and store come from
 * @product_id: the product, which must have been downloaded
 * @items: the #OipImageItem list in display order, as #OipImageList keeps
 *   it (main image first, the color image marked); the job shows its
 *   progress on these very items
 *
 * The plan (what is sent, the validation problems, the notices) is made
 * at once, so a review can show it before anything runs.
 *
 * Returns: (transfer full): a job, ready to run once
 */
OipPushJob *
oip_push_job_new (OipContext *context,
                  gint64      product_id,
                  GListModel *items)
{
  OipPushJob *self;

  g_return_val_if_fail (OIP_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (items), NULL);

  self = g_object_new (OIP_TYPE_PUSH_JOB, NULL);
  self->context = g_object_ref (context);
  self->product_id = product_id;
  self->items = g_list_store_new (OIP_TYPE_IMAGE_ITEM);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(OipImageItem) item = g_list_model_get_item (items, i);

      g_list_store_append (self->items, item);
    }
  make_plan (self);
  return self;
}

/**
 * oip_push_job_new_for_request:
 * @request: the seed's push request, local files as `file://` URIs
 *
 * A job for a request (the command line's): its images become items,
 * the main image first.
 *
 * Returns: (transfer full): a job, ready to run once
 */
OipPushJob *
oip_push_job_new_for_request (OipContext           *context,
                              const OipPushRequest *request)
{
  g_autoptr(GListStore) items = g_list_store_new (OIP_TYPE_IMAGE_ITEM);
  OipPushJob *self;
  guint number = 0;

  g_return_val_if_fail (request != NULL, NULL);

  /* The main image goes first: Ozon shows the first image as the main one,
   * exactly as if it were sent as primary_image. */
  if (request->primary_image != NULL)
    {
      g_autoptr(OipImageItem) item = oip_image_item_new (request->primary_image);

      oip_image_item_set_placement (item, ++number, TRUE, FALSE, FALSE);
      g_list_store_append (items, item);
    }
  for (guint i = 0; i < request->images->len; i++)
    {
      const char *url = g_ptr_array_index (request->images, i);
      g_autoptr(OipImageItem) item = NULL;

      if (g_strcmp0 (url, request->primary_image) == 0)
        continue;
      item = oip_image_item_new (url);
      number++;
      oip_image_item_set_placement (item, number, number == 1, FALSE, number > OIP_MAX_IMAGES);
      g_list_store_append (items, item);
    }
  for (guint i = 0; i < request->color_images->len; i++)
    {
      g_autoptr(OipImageItem) item = oip_image_item_new (g_ptr_array_index (request->color_images, i));

      oip_image_item_set_placement (item, 0, FALSE, TRUE, FALSE);
      g_list_store_append (items, item);
    }

  self = oip_push_job_new (context, request->product_id, G_LIST_MODEL (items));
  self->request = oip_push_request_copy (request);
  make_plan (self);
  return self;
}

/**
 * oip_push_job_set_kind:
 * @kind: what the push is for
 * @source_push_id: for Undo, Restore and Retry: the recorded push it
 *   comes from; 0 otherwise
 *
 * Undo, Restore and Retry put back images Ozon has seen before: they are
 * re-addressed when Ozon skips them (oip_push_job_set_readdress()).
 */
void
oip_push_job_set_kind (OipPushJob  *self,
                       OipPushKind  kind,
                       gint64       source_push_id)
{
  g_return_if_fail (OIP_IS_PUSH_JOB (self));
  g_return_if_fail (self->stage == OIP_PUSH_STAGE_IDLE);
  self->kind = kind;
  self->source_push_id = source_push_id;
  self->readdress = kind != OIP_PUSH_KIND_PUSH;
}

/**
 * oip_push_job_set_readdress:
 * @readdress: whether images Ozon skips are sent again as new addresses
 *
 * For pushes that put back images the product had before (Undo, Restore,
 * Retry): Ozon does not fetch again an address it has seen, so without
 * this the product might not change.
 */
void
oip_push_job_set_readdress (OipPushJob *self,
                            gboolean    readdress)
{
  g_return_if_fail (OIP_IS_PUSH_JOB (self));
  g_return_if_fail (self->stage == OIP_PUSH_STAGE_IDLE);
  self->readdress = readdress;
}

/**
 * oip_push_job_get_readdressed:
 *
 * Returns: how many images were sent again under a new address
 */
guint
oip_push_job_get_readdressed (OipPushJob *self)
{
  g_return_val_if_fail (OIP_IS_PUSH_JOB (self), 0);
  return self->readdressed;
}

gint64
oip_push_job_get_product_id (OipPushJob *self)
{
  g_return_val_if_fail (OIP_IS_PUSH_JOB (self), 0);
  return self->product_id;
}

/**
 * oip_push_job_get_items:
 *
 * Returns: (transfer none): the #OipImageItem objects pushed, in display
 *   order
 */
GListModel *
oip_push_job_get_items (OipPushJob *self)
{
  g_return_val_if_fail (OIP_IS_PUSH_JOB (self), NULL);
  return G_LIST_MODEL (self->items);
}

/**
 * oip_push_job_check_local_async:
 *
 * Checks every picture the push would upload, as the upload will (a WebP
 * or HEIC as the JPEG it becomes), without uploading anything: for the
 * review, so a file that is not a picture, too small or the wrong shape is
 * said before anything is sent.
 */
void
oip_push_job_check_local_async (OipPushJob          *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  g_return_if_fail (OIP_IS_PUSH_JOB (self));

  for (guint i = 0; i < n_items (self); i++)
    {
      OipImageItem *item = item_at (self, i);
      g_autoptr(GFile) file = NULL;
      guint index;

      if (!oip_image_item_is_local (item) || oip_image_item_get_over_limit (item))
        continue;
      file = g_file_new_for_uri (oip_image_item_get_url (item));
      if (!g_ptr_array_find_with_equal_func (files, file, (GEqualFunc) g_file_equal, &index))
        {
          index = files->len;
          g_ptr_array_add (files, g_steal_pointer (&file));
          g_ptr_array_add (items, g_ptr_array_new_with_free_func (g_object_unref));
        }
      g_ptr_array_add (g_ptr_array_index (items, index), g_object_ref (item));
    }
  check_files_async (self, files, items, cancellable, callback, user_data);
}

/**
 * oip_push_job_check_local_finish:
 *
 * Returns: (transfer full) (element-type OipPushProblem): every finding
 *   of every local picture, errors and warnings, with their advice
 */
GPtrArray *
oip_push_job_check_local_finish (OipPushJob    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * oip_push_job_get_item_for_issue:
 * @issue: one of the plan's errors
 *
 * Returns: (transfer none) (nullable): the image the problem is about, so
 *   a front end can name it as the seller sees it (its number, the color
 *   image); %NULL for a problem that is not about one of the job's images
 *   (the product ID, a 360° image)
 */
OipImageItem *
oip_push_job_get_item_for_issue (OipPushJob               *self,
                                 const OipValidationIssue *issue)
{
  g_return_val_if_fail (OIP_IS_PUSH_JOB (self), NULL);
  g_return_val_if_fail (issue != NULL, NULL);
  return item_for_issue (self, issue);
}

/**
 * oip_push_job_get_record:
 *
 * Returns: (transfer none) (nullable): the push's record in the history,
 *   once the job has read what the product had (for Undo:
 *   oip_push_job_new_restore()); %NULL before, or without a history
 */
const OipPushRecord *
oip_push_job_get_record (OipPushJob *self)
{
  g_return_val_if_fail (OIP_IS_PUSH_JOB (self), NULL);
  return self->record;
}

/**
 * oip_push_job_get_kind:
 *
 * Returns: what the push is for (oip_push_job_set_kind())
 */
OipPushKind
oip_push_job_get_kind (OipPushJob *self)
{
  g_return_val_if_fail (OIP_IS_PUSH_JOB (self), OIP_PUSH_KIND_PUSH);
  return self->kind;
}

/**
 * oip_push_job_get_source_push_id:
 *
 * Returns: the recorded push an Undo, Restore or Retry comes from, or 0
 */
gint64
oip_push_job_get_source_push_id (OipPushJob *self)
{
  g_return_val_if_fail (OIP_IS_PUSH_JOB (self), 0);
  return self->source_push_id;
}

/**
 * oip_push_job_get_plan:
 *
 * Returns: (transfer none): what is sent, what blocks it, what changes
 */
const OipPushPlan *
oip_push_job_get_plan (OipPushJob *self)
{
  g_return_val_if_fail (OIP_IS_PUSH_JOB (self), NULL);
  return self->plan;
}

OipPushStage
oip_push_job_get_stage (OipPushJob *self)
{
  g_return_val_if_fail (OIP_IS_PUSH_JOB (self), OIP_PUSH_STAGE_IDLE);
  return self->stage;
}

/**
 * oip_push_job_get_fraction:
 *
 * Returns: how far the whole push is, 0 to 1, for a progress bar
 */
double
oip_push_job_get_fraction (OipPushJob *self)
{
  g_return_val_if_fail (OIP_IS_PUSH_JOB (self), 0.0);
  return self->fraction;
}

/**
 * oip_push_job_get_polls:
 *
 * Returns: how many times Ozon was asked about the import task
 */
guint
oip_push_job_get_polls (OipPushJob *self)
{
  g_return_val_if_fail (OIP_IS_PUSH_JOB (self), 0);
  return self->polls;
}

guint64
oip_push_job_get_bytes_total (OipPushJob *self)
{
  g_return_val_if_fail (OIP_IS_PUSH_JOB (self), 0);
  return self->batch ? oip_upload_batch_get_bytes_total (self->batch) : 0;
}

guint64
oip_push_job_get_bytes_sent (OipPushJob *self)
{
  g_return_val_if_fail (OIP_IS_PUSH_JOB (self), 0);
  return self->batch ? oip_upload_batch_get_bytes_sent (self->batch) : 0;
}

/**
 * oip_push_job_get_n_local:
 *
 * Returns: how many files from this computer the push uploads
 */
guint
oip_push_job_get_n_local (OipPushJob *self)
{
  guint count = 0;

  g_return_val_if_fail (OIP_IS_PUSH_JOB (self), 0);
  if (self->stage != OIP_PUSH_STAGE_IDLE)
    return self->upload_files->len;
  for (guint i = 0; i < n_items (self); i++)
    count += oip_image_item_is_local (item_at (self, i));
  return count;
}

/**
 * oip_push_job_get_n_uploaded:
 *
 * Returns: how many of them are in the storage now
 */
guint
oip_push_job_get_n_uploaded (OipPushJob *self)
{
  g_return_val_if_fail (OIP_IS_PUSH_JOB (self), 0);
  return self->batch ? oip_upload_batch_get_n_done (self->batch) : 0;
}

/**
 * oip_push_job_get_result:
 *
 * Returns: (transfer none) (nullable): what happened, once the job has
 *   reached Ozon — also after a failure, so the images the push replaced
 *   are known
 */
const OipPushResult *
oip_push_job_get_result (OipPushJob *self)
{
  g_return_val_if_fail (OIP_IS_PUSH_JOB (self), NULL);
  return self->result;
}

/**
 * oip_push_job_run_async:
 *
 * Runs the push. Cancelling stops the request under way; images Ozon
 * already accepted stay accepted (#OipPushResult:import_accepted).
 */
void
oip_push_job_run_async (OipPushJob          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  OipProductStore *store;

  g_return_if_fail (OIP_IS_PUSH_JOB (self));
  g_return_if_fail (self->stage == OIP_PUSH_STAGE_IDLE);
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, oip_push_job_run_async);
  set_stage (self, OIP_PUSH_STAGE_PREPARING);

  collect_sent_items (self);
  /* A local file is checked and uploaded again each time (it may have
   * changed; an unchanged one is found in the storage and not sent),
   * except by a retry, which keeps what Ozon took. */
  for (guint i = 0; self->kind != OIP_PUSH_KIND_RETRY && i < self->sent_items->len; i++)
    if (oip_image_item_is_local (g_ptr_array_index (self->sent_items, i)))
      oip_image_item_set_sent_url (g_ptr_array_index (self->sent_items, i), NULL);
  set_items_state (self->sent_items, OIP_IMAGE_STATE_QUEUED);
  self->result = result_new (self);

  if (!check_plan (self, &error))
    {
      fail (self, g_steal_pointer (&error));
      return;
    }

  store = oip_context_get_store (self->context);
  if (store == NULL)
    {
      on_stored_product (NULL, NULL, g_object_ref (self));
      return;
    }
  id = g_strdup_printf ("%" G_GINT64_FORMAT, self->product_id);
  oip_product_store_lookup_async (store, OIP_PRODUCT_KEY_PRODUCT_ID, id, cancellable,
                                  on_stored_product, g_object_ref (self));
}

/**
 * oip_push_job_run_finish:
 *
 * Returns: %TRUE once Ozon reported on the import (check the result's
 *   outcome: it may be partial or failed); %FALSE with @error when the
 *   push could not be made or stopped on the way
 */
gboolean
oip_push_job_run_finish (OipPushJob    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Results */

void
oip_push_result_free (OipPushResult *result)
{
  if (result == NULL)
    return;

  g_free (result->offer_id);
  result_free_strv_array (&result->import_errors);
  g_strfreev (result->current_images);
  g_free (result->current_color_image);
  g_clear_pointer (&result->image_errors, g_ptr_array_unref);
  g_strfreev (result->previous_images);
  g_free (result->previous_color_image);
  g_clear_pointer (&result->notices, g_ptr_array_unref);
  g_clear_pointer (&result->warnings, g_ptr_array_unref);
  g_free (result);
}

/**
 * oip_push_result_describe:
 *
 * The headline, counted from what Ozon has after the push: “Updated 29 main
 * images”, “27 of 29 images imported, 2 failed”…
 *
 * Returns: (transfer full): a translated sentence
 */
char *
oip_push_result_describe (const OipPushResult *result)
{
  guint on_product = result->n_imported + result->n_skipped;
  guint sent = result->images_sent + (result->color_image_sent ? 1 : 0);

  switch (result->outcome)
    {
    case OIP_PUSH_OUTCOME_SUCCEEDED:
      if (result->n_imported == 0)
        return g_strdup (_("Ozon already had exactly these images, so nothing changed. "
                           "To replace a picture, give it a new address."));
      else
        {
          guint main_images = result->images_sent;
          g_autofree char *images = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                  "Updated %u main image",
                                                                  "Updated %u main images",
                                                                  main_images),
                                                     main_images);

          /* Translators: the seed's “已更新 {count} 张主图” + “，1 张色彩图” */
          return result->color_image_sent ? g_strdup_printf (_("%s and 1 color image"), images)
                                          : g_steal_pointer (&images);
        }

    case OIP_PUSH_OUTCOME_PARTIAL:
      /* Translators: “27 of 29 images imported, 2 failed” */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%1$u of %2$u image imported, %3$u failed",
                                           "%1$u of %2$u images imported, %3$u failed",
                                           sent),
                              on_product, sent, result->n_failed);

    case OIP_PUSH_OUTCOME_PENDING:
      return g_strdup (_("Ozon accepted the images but has not finished importing them yet"));

    case OIP_PUSH_OUTCOME_CANCELLED:
      if (result->import_accepted)
        return g_strdup (_("Stopped. Ozon had already accepted the images and may still import them."));
      if (result->import_requested)
        return g_strdup (_("Stopped while the images were being sent. Ozon may have received them and may still import them."));
      return g_strdup (_("Stopped before anything was sent. The product on Ozon is unchanged."));

    case OIP_PUSH_OUTCOME_FAILED:
      if (result->current_images != NULL && sent > 0)
        return g_strdup (_("Ozon did not import the images"));
      return g_strdup (_("Push Failed"));

    case OIP_PUSH_OUTCOME_RUNNING:
    case OIP_PUSH_OUTCOME_INTERRUPTED:
    default:
      return g_strdup (_("The push did not finish"));
    }
}

/**
 * oip_push_result_to_error:
 *
 * Returns: (transfer full) (nullable): the error a front end reports for
 *   an outcome that is not a full success (%OIP_ERROR_PARTIAL,
 *   %OIP_ERROR_IMPORT_FAILED, %OIP_ERROR_IMPORT_PENDING), or %NULL
 */
GError *
oip_push_result_to_error (const OipPushResult *result)
{
  g_autofree char *headline = NULL;
  g_autoptr(GString) joined = NULL;

  g_return_val_if_fail (result != NULL, NULL);

  headline = oip_push_result_describe (result);
  switch (result->outcome)
    {
    case OIP_PUSH_OUTCOME_SUCCEEDED:
      return NULL;
    case OIP_PUSH_OUTCOME_PARTIAL:
      return g_error_new_literal (OIP_ERROR, OIP_ERROR_PARTIAL, headline);
    case OIP_PUSH_OUTCOME_PENDING:
      return g_error_new_literal (OIP_ERROR, OIP_ERROR_IMPORT_PENDING, headline);
    case OIP_PUSH_OUTCOME_CANCELLED:
      return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, headline);
    case OIP_PUSH_OUTCOME_FAILED:
    case OIP_PUSH_OUTCOME_RUNNING:
    case OIP_PUSH_OUTCOME_INTERRUPTED:
    default:
      joined = g_string_new (headline);
      for (guint i = 0; i < result->import_errors->len; i++)
        g_string_append_printf (joined, "%s%s", i == 0 ? ": " : "; ",
                                (const char *) g_ptr_array_index (result->import_errors, i));
      return g_error_new_literal (OIP_ERROR, OIP_ERROR_IMPORT_FAILED, joined->str);
    }
}
