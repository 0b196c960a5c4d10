/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "oip-bulk-run-private.h"
#include "oip-error.h"
#include "oip-ozon-messages.h"
#include "oip-push-apply.h"
#include "oip-sleep.h"

/* Sending a bulk run, once it is confirmed and recorded:
 *
 * 1. local files are uploaded, once each (oip-bulk-upload.c);
 * 2. products an earlier part of the run sent without learning the task
 *    (the answer was lost: a kill, a time-out) are read back: those whose
 *    images changed are done; those still as before are read again until
 *    Ozon has had the time any import takes, and only then sent again;
 * 3. imports go in batches of up to 100 products, one call at a time,
 *    as Ozon's per-minute item limit allows (OipBulkPacer) and within the
 *    day's quota. When the pacer lets a batch go, its current images are
 *    read and it is recorded (“about to send”); after the call, its task.
 *    A Stop does not cut an import call short: its answer names the task
 *    the resumed run follows;
 * 4. every open task is followed (soon, then up to every 2 s) and, once
 *    it settles, its products are read back and their pushes recorded.
 *
 * Whatever stops the run (cancelled, the daily quota, Ozon unreachable),
 * the imports Ozon already accepted are followed to the end first when
 * possible, and the run's row says where it stopped. */

#define MAX_POLL_INTERVAL_MS 2000
#define POLL_GROWTH 1.5
/* Products a batch's task is followed for before its read-back decides,
 * in multiples of the request timeout: Ozon's queue can be slower for a
 * hundred products than for one. */
#define TASK_DEADLINE_TIMEOUTS 4

typedef struct
{
  gint        number;
  GPtrArray  *items;        /* OipBulkItem */
  gint64      task_id;
  guint       next_wait_ms;
  gint64      deadline;
} Batch;

typedef struct
{
  OipBulkRun    *run;            /* unowned: the run owns the engine */
  OipDatabase   *db;
  GQueue         queue;          /* OipBulkItem to send, in order (unowned) */
  GPtrArray     *open;           /* Batch: accepted by Ozon, followed */
  OipBulkPacer   pacer;
  gint           next_batch;
  gboolean       importing;      /* a batch between its preparation and its task */
  guint          busy;           /* other calls under way */
  gboolean       limits_checked; /* the quota was read again for the pause */
  GError        *stop;           /* why the run stops early */
  gboolean       waking;         /* waiting out a 429 */
  guint          held;           /* products of a batch Ozon just refused for its limits */
  OipItemLimitInfo held_info;    /* what Ozon said then */
} Engine;

static void pump (Engine *engine);
static void maybe_finish (Engine *engine);
static void poll_batch (Engine *engine, Batch *batch);

static void
batch_free (Batch *batch)
{
  g_ptr_array_unref (batch->items);
  g_free (batch);
}

void
oip_bulk_send_free (gpointer data)
{
  Engine *engine = data;

  g_queue_clear (&engine->queue);
  g_ptr_array_unref (engine->open);
  oip_bulk_pacer_clear (&engine->pacer);
  g_clear_error (&engine->stop);
  g_free (engine);
}

static GCancellable *
cancellable (Engine *engine)
{
  return g_task_get_cancellable (engine->run->task);
}

static gboolean
cancelled (Engine *engine)
{
  return g_cancellable_is_cancelled (cancellable (engine));
}

/* Takes @error. The first reason to stop is the one the seller hears. */
static void
stop (Engine *engine,
      GError *error)
{
  if (engine->stop == NULL)
    engine->stop = error;
  else
    g_error_free (error);
}

static const char *
error_code (const GError *error)
{
  if (error->domain == OIP_ERROR)
    return oip_error_code_name (error->code);
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? "cancelled" : "failed";
}

/* Ending */

static void
on_run_saved (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Engine *engine = user_data;
  OipBulkRun *run = engine->run;
  GError *saving = NULL;
  g_autoptr(GArray) ids = oip_bulk_store_save_finish (OIP_DATABASE (source), result, &saving);
  GError *error = g_steal_pointer (&engine->stop);

  /* The products' rows are written; only the run's own state is not. */
  if (ids == NULL && error == NULL)
    error = g_steal_pointer (&saving);
  g_clear_error (&saving);
  if (error == NULL && !g_queue_is_empty (&engine->queue))
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
  oip_bulk_run_set_stage (run, error == NULL ? OIP_BULK_STAGE_DONE : OIP_BULK_STAGE_PAUSED);
  g_clear_pointer (&run->engine, oip_bulk_send_free);
  oip_bulk_run_return (run, error);
}

/* Everything under way has ended: the run's row says how it stands. */
static void
maybe_finish (Engine *engine)
{
  gboolean all_done = TRUE;

  if (engine->importing || engine->busy > 0)
    return;
  if (engine->open->len > 0 && engine->stop == NULL && !cancelled (engine))
    return;
  if (!g_queue_is_empty (&engine->queue) && engine->stop == NULL && !cancelled (engine))
    return;

  if (cancelled (engine) && engine->stop == NULL)
    stop (engine, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled")));
  for (guint i = 0; i < oip_bulk_run_n_items (engine->run); i++)
    all_done &= oip_bulk_item_is_finished (oip_bulk_run_item_at (engine->run, i));
  engine->busy++;
  /* Not cancellable: a stopped run's row must say so. */
  oip_bulk_store_save_async (engine->db, engine->run->id, NULL, NULL, NULL,
                             all_done && engine->stop == NULL ? OIP_BULK_RUN_DONE : OIP_BULK_RUN_PAUSED,
                             engine->stop, NULL, on_run_saved, engine);
}

/* Checkpoints */

/* Takes @error. */
typedef void (*SavedFunc) (Engine *engine, GPtrArray *items, gpointer data, GError *error);

typedef struct
{
  Engine    *engine;
  GPtrArray *items;
  SavedFunc  then;
  gpointer   data;
} Save;

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Save *save = user_data;
  Engine *engine = save->engine;
  GError *error = NULL;
  g_autoptr(GArray) ids = oip_bulk_store_save_finish (OIP_DATABASE (source), result, &error);

  engine->busy--;
  for (guint i = 0; ids != NULL && i < ids->len && i < save->items->len; i++)
    if (g_array_index (ids, gint64, i) > 0)
      oip_bulk_item_set_history_id (g_ptr_array_index (save->items, i), g_array_index (ids, gint64, i));
  save->then (engine, save->items, save->data, error);
  g_ptr_array_unref (save->items);
  g_free (save);
}

/* Writes @items' rows, and with @records their pushes' history records,
 * in one transaction; then @then. */
static void
checkpoint (Engine    *engine,
            GPtrArray *items,
            gboolean   with_records,
            SavedFunc  then,
            gpointer   data)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_bulk_row_free);
  GPtrArray *records = with_records ? g_ptr_array_new_with_free_func ((GDestroyNotify) oip_push_record_free) : NULL;
  Save *save = g_new0 (Save, 1);

  for (guint i = 0; i < items->len; i++)
    {
      OipBulkItem *item = g_ptr_array_index (items, i);

      g_ptr_array_add (rows, oip_bulk_row_new_from_item (item));
      if (records != NULL)
        g_ptr_array_add (records, oip_bulk_item_make_record (item, engine->run));
    }
  save->engine = engine;
  save->items = g_ptr_array_ref (items);
  save->then = then;
  save->data = data;
  engine->busy++;
  /* Not cancellable: what was sent must be on record. */
  oip_bulk_store_save_async (engine->db, engine->run->id, rows, records, NULL, -1, NULL, NULL, on_saved, save);
}

/* A database that cannot be written stops the run: without its record,
 * a restart could send twice. */
static void
continue_or_stop (Engine *engine,
                  GError *error)
{
  if (error != NULL)
    stop (engine, error);
  pump (engine);
}

static void
saved_then_pump (Engine    *engine,
                 GPtrArray *items,
                 gpointer   data,
                 GError    *error)
{
  continue_or_stop (engine, error);
}

/* Each product's outcome */

static char *
join_ozon_messages (OipBulkItem *item)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new ();

  for (guint i = 0; i < item->import_errors->len; i++)
    g_ptr_array_add (messages, g_ptr_array_index (item->import_errors, i));
  for (guint i = 0; i < item->sent_items->len; i++)
    {
      const char *message = oip_image_item_get_ozon_message (g_ptr_array_index (item->sent_items, i));

      if (message != NULL && !g_ptr_array_find_with_equal_func (messages, message, g_str_equal, NULL))
        g_ptr_array_add (messages, (gpointer) message);
    }
  if (messages->len == 0)
    return NULL;
  g_ptr_array_add (messages, NULL);
  return g_strjoinv ("; ", (char **) messages->pdata);
}

static OipPushOutcome
outcome_for (OipBulkItem          *item,
             const OipApplyCounts *counts,
             gboolean              settled)
{
  if (!settled)
    return OIP_PUSH_OUTCOME_PENDING;
  if (counts->n_failed == 0)
    return OIP_PUSH_OUTCOME_SUCCEEDED;
  if (counts->n_imported + counts->n_skipped > 0)
    return OIP_PUSH_OUTCOME_PARTIAL;
  return OIP_PUSH_OUTCOME_FAILED;
}

static void
set_outcome (OipBulkItem          *item,
             OipPushOutcome        outcome,
             const OipApplyCounts *counts)
{
  guint sent = item->sent_items->len;
  g_autofree char *ozon = join_ozon_messages (item);
  g_autofree char *text = NULL;

  oip_bulk_item_set_counts (item, sent, counts->n_imported, counts->n_skipped, counts->n_failed);
  switch (outcome)
    {
    case OIP_PUSH_OUTCOME_SUCCEEDED:
      oip_bulk_item_set_state (item, OIP_BULK_ITEM_IMPORTED, NULL, NULL, NULL);
      break;
    case OIP_PUSH_OUTCOME_PARTIAL:
      /* Translators: “27 of 29 images imported, 2 failed” */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%1$u of %2$u image imported, %3$u failed",
                                           "%1$u of %2$u images imported, %3$u failed", sent),
                              counts->n_imported + counts->n_skipped, sent, counts->n_failed);
      oip_bulk_item_set_state (item, OIP_BULK_ITEM_PARTIAL, "partial", text, ozon);
      break;
    case OIP_PUSH_OUTCOME_PENDING:
      oip_bulk_item_set_state (item, OIP_BULK_ITEM_FAILED, "import_pending",
                               _("Ozon accepted the images but has not finished importing them yet"), ozon);
      break;
    default:
      oip_bulk_item_set_state (item, OIP_BULK_ITEM_FAILED, "import_failed",
                               _("Ozon did not import the images"), ozon);
      break;
    }
}

/* From what the product has now: each image's state, the product's
 * outcome. Returns the push's outcome, or %OIP_PUSH_OUTCOME_RUNNING when
 * it goes again (what Ozon skipped, under new addresses). */
static OipPushOutcome
conclude_item (Engine            *engine,
               OipBulkItem       *item,
               const OipPictures *pictures)
{
  gboolean settled = item->import_state != OIP_IMPORT_PENDING;
  OipApplyCounts counts;
  OipPushOutcome outcome;

  if (pictures == NULL)
    {
      oip_bulk_item_set_state (item, OIP_BULK_ITEM_FAILED, "not_found",
                               _("Ozon returned no pictures for the product"), NULL);
      return OIP_PUSH_OUTCOME_FAILED;
    }
  oip_push_apply_pictures (item->sent_items, item->color_item, pictures, (const char * const *) item->before,
                           item->before_color, settled, &counts);
  if (settled && engine->run->readdress && item->readdressed == 0 &&
      (item->readdressed = oip_push_readdress_unkept (item->sent_items)) > 0)
    {
      item->batch = -1;
      item->task_id = 0;
      g_ptr_array_set_size (item->import_errors, 0);
      oip_bulk_item_set_state (item, OIP_BULK_ITEM_QUEUED, NULL, NULL, NULL);
      return OIP_PUSH_OUTCOME_RUNNING;
    }
  oip_bulk_item_set_after (item, (const char * const *) pictures->images, pictures->color_image);
  outcome = outcome_for (item, &counts, settled);
  set_outcome (item, outcome, &counts);
  return outcome;
}

static GHashTable *
pictures_by_product (GPtrArray *list)
{
  GHashTable *map = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      OipPictures *pictures = g_ptr_array_index (list, i);

      g_hash_table_insert (map, &pictures->product_id, pictures);
    }
  return map;
}

static GArray *
product_ids (GPtrArray *items)
{
  GArray *ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), items->len);

  for (guint i = 0; i < items->len; i++)
    g_array_append_val (ids, ((OipBulkItem *) g_ptr_array_index (items, i))->product_id);
  return ids;
}

/* The store remembers what the products have now, as after a push. */
static void
on_remembered (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Engine *engine = user_data;
  g_autoptr(GError) error = NULL;

  engine->busy--;
  if (!oip_product_store_put_finish (OIP_PRODUCT_STORE (source), result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The products’ new images were not remembered on this computer: %s"),
                                               error->message);

      oip_bulk_run_add_warning (engine->run, text);
    }
  pump (engine);
}

static void
remember (Engine    *engine,
          GPtrArray *items)
{
  OipProductStore *store = oip_context_get_store (engine->run->context);
  g_autoptr(GPtrArray) products = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; store != NULL && i < items->len; i++)
    {
      OipBulkItem *item = g_ptr_array_index (items, i);
      OipProduct *product;

      if (item->state != OIP_BULK_ITEM_IMPORTED && item->state != OIP_BULK_ITEM_PARTIAL)
        continue;
      product = oip_product_new (item->product_id, item->offer_id);
      oip_product_set_name (product, item->name);
      oip_product_set_images (product, (const char * const *) item->after);
      oip_product_set_color_image (product, item->after_color);
      g_ptr_array_add (products, product);
    }
  if (products->len == 0)
    {
      pump (engine);
      return;
    }
  engine->busy++;
  oip_product_store_put_many_async (store, products, NULL, on_remembered, engine);
}

/* Finished products are announced once their records are written. */
static void
on_concluded (Engine    *engine,
              GPtrArray *items,
              gpointer   data,
              GError    *error)
{
  if (error != NULL)
    {
      continue_or_stop (engine, error);
      return;
    }
  for (guint i = 0; i < items->len; i++)
    if (oip_bulk_item_is_finished (g_ptr_array_index (items, i)))
      oip_bulk_run_item_finished (engine->run, g_ptr_array_index (items, i));
  remember (engine, items);
}

/* Concludes @items from @list and records them; those going again are
 * queued in front. */
static void
conclude (Engine    *engine,
          GPtrArray *items,
          GPtrArray *list)
{
  g_autoptr(GHashTable) map = pictures_by_product (list);
  g_autoptr(GPtrArray) finals = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < items->len; i++)
    {
      OipBulkItem *item = g_ptr_array_index (items, i);
      OipPushOutcome outcome = conclude_item (engine, item, g_hash_table_lookup (map, &item->product_id));

      g_ptr_array_add (outcome == OIP_PUSH_OUTCOME_RUNNING ? again : finals, g_object_ref (item));
    }
  for (guint i = again->len; i > 0; i--)
    g_queue_push_head (&engine->queue, g_ptr_array_index (again, i - 1));
  if (again->len > 0)
    checkpoint (engine, again, TRUE, saved_then_pump, NULL);
  if (finals->len > 0)
    checkpoint (engine, finals, TRUE, on_concluded, NULL);
  else
    pump (engine);
}

/* Reading back */

typedef struct
{
  Engine    *engine;
  GPtrArray *items;
  Batch     *batch;    /* nullable: closed once read back */
} ReadBack;

static void
close_batch (Engine *engine,
             Batch  *batch)
{
  if (batch != NULL)
    g_ptr_array_remove (engine->open, batch);
}

static void
on_read_back (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree ReadBack *read = user_data;
  g_autoptr(GPtrArray) items = read->items;
  Engine *engine = read->engine;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = oip_ozon_client_get_pictures_list_finish (OIP_OZON_CLIENT (source), result, &error);

  engine->busy--;
  if (list == NULL)
    {
      /* The tasks are recorded: a resumed run reads them back. */
      close_batch (engine, read->batch);
      continue_or_stop (engine, g_steal_pointer (&error));
      return;
    }
  close_batch (engine, read->batch);
  conclude (engine, items, list);
}

static void
read_back (Engine    *engine,
           GPtrArray *items,
           Batch     *batch)
{
  g_autoptr(GArray) ids = product_ids (items);
  ReadBack *read = g_new0 (ReadBack, 1);

  read->engine = engine;
  read->items = g_ptr_array_ref (items);
  read->batch = batch;
  engine->busy++;
  oip_ozon_client_get_pictures_list_async (engine->run->client, (const gint64 *) ids->data, ids->len,
                                           cancellable (engine), on_read_back, read);
}

/* Following a task */

typedef struct
{
  Engine *engine;
  Batch  *batch;
} Poll;

static gboolean
batch_settled (Batch *batch)
{
  for (guint i = 0; i < batch->items->len; i++)
    if (((OipBulkItem *) g_ptr_array_index (batch->items, i))->import_state == OIP_IMPORT_PENDING)
      return FALSE;
  return TRUE;
}

static void
apply_statuses (Batch     *batch,
                GPtrArray *statuses)
{
  for (guint i = 0; i < batch->items->len; i++)
    {
      OipBulkItem *item = g_ptr_array_index (batch->items, i);

      for (guint j = 0; j < statuses->len; j++)
        {
          OipImportStatus *status = g_ptr_array_index (statuses, j);

          if (g_strcmp0 (status->offer_id, item->offer_id) != 0 &&
              (status->product_id == 0 || status->product_id != item->product_id))
            continue;
          item->import_state = status->state;
          g_ptr_array_set_size (item->import_errors, 0);
          for (guint k = 0; k < status->errors->len; k++)
            g_ptr_array_add (item->import_errors, g_strdup (g_ptr_array_index (status->errors, k)));
          break;
        }
    }
}

static void
on_poll_wait (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree Poll *poll = user_data;
  Engine *engine = poll->engine;
  g_autoptr(GError) error = NULL;

  engine->busy--;
  if (!oip_sleep_finish (result, &error))
    {
      maybe_finish (engine);
      return;
    }
  poll_batch (engine, poll->batch);
}

static void
on_statuses (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autofree Poll *poll = user_data;
  Engine *engine = poll->engine;
  Batch *batch = poll->batch;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) statuses = oip_ozon_client_get_import_statuses_finish (OIP_OZON_CLIENT (source), result,
                                                                              &error);

  engine->busy--;
  if (statuses == NULL)
    {
      close_batch (engine, batch);
      continue_or_stop (engine, g_steal_pointer (&error));
      return;
    }
  apply_statuses (batch, statuses);
  /* Settled, or still pending when the time is up: Ozon will get to it;
   * the read-back says what the products have now. */
  if (batch_settled (batch) || g_get_monotonic_time () + (gint64) batch->next_wait_ms * 1000 > batch->deadline)
    {
      read_back (engine, batch->items, batch);
      return;
    }
  if (engine->stop != NULL && cancelled (engine))
    {
      maybe_finish (engine);
      return;
    }
  /* The same Poll goes on to the next look. */
  engine->busy++;
  oip_sleep_async (batch->next_wait_ms, cancellable (engine), on_poll_wait, g_steal_pointer (&poll));
  batch->next_wait_ms = MIN ((guint) (batch->next_wait_ms * POLL_GROWTH), MAX_POLL_INTERVAL_MS);
}

static void
poll_batch (Engine *engine,
            Batch  *batch)
{
  Poll *poll = g_new0 (Poll, 1);

  poll->engine = engine;
  poll->batch = batch;
  engine->busy++;
  oip_ozon_client_get_import_statuses_async (engine->run->client, batch->task_id, cancellable (engine),
                                             on_statuses, poll);
}

/* Follows @items' task: soon after it started, then a little less often. */
static void
follow (Engine    *engine,
        GPtrArray *items,
        gint64     task_id,
        gint       number)
{
  Batch *batch = g_new0 (Batch, 1);
  Poll *poll = g_new0 (Poll, 1);
  const OipPushSettings *settings = oip_context_get_push_settings (engine->run->context);

  batch->number = number;
  batch->items = g_ptr_array_ref (items);
  batch->task_id = task_id;
  batch->next_wait_ms = oip_context_get_poll_interval (engine->run->context);
  batch->deadline = g_get_monotonic_time () + (gint64) settings->timeout * TASK_DEADLINE_TIMEOUTS * G_USEC_PER_SEC;
  g_ptr_array_add (engine->open, batch);
  for (guint i = 0; i < items->len; i++)
    ((OipBulkItem *) g_ptr_array_index (items, i))->import_state = OIP_IMPORT_PENDING;
  poll->engine = engine;
  poll->batch = batch;
  engine->busy++;
  oip_sleep_async (batch->next_wait_ms, cancellable (engine), on_poll_wait, poll);
  batch->next_wait_ms = MIN ((guint) (batch->next_wait_ms * POLL_GROWTH), MAX_POLL_INTERVAL_MS);
}

/* Sending a batch */

typedef struct
{
  Engine    *engine;
  GPtrArray *items;
  gint       number;
  GPtrArray *ids;      /* char *: the products, for the look-up */
} Send;

static void
send_free (Send *send)
{
  g_ptr_array_unref (send->items);
  g_clear_pointer (&send->ids, g_ptr_array_unref);
  g_free (send);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Send, send_free)

/* Back to the front of the queue, in order, as if never taken: nothing
 * was sent. */
static void
requeue (Engine    *engine,
         GPtrArray *items)
{
  for (guint i = items->len; i > 0; i--)
    {
      OipBulkItem *item = g_ptr_array_index (items, i - 1);

      item->batch = -1;
      oip_bulk_item_set_state (item, OIP_BULK_ITEM_QUEUED, NULL, NULL, NULL);
      g_queue_push_head (&engine->queue, item);
    }
}

/* Followed once its task is on record: a restart finds it. */
static void
on_accepted_saved (Engine    *engine,
                   GPtrArray *items,
                   gpointer   data,
                   GError    *error)
{
  OipBulkItem *first = g_ptr_array_index (items, 0);

  engine->importing = FALSE;
  follow (engine, items, first->task_id, first->batch);
  continue_or_stop (engine, error);
}

static void
accepted (Engine           *engine,
          Send             *send,
          gint64            task_id,
          OipItemLimitInfo *info)
{
  OipBulkRun *run = engine->run;

  oip_bulk_pacer_record (&engine->pacer, g_get_monotonic_time (), send->items->len, info->remaining);
  if (run->daily_left >= 0)
    run->daily_left = MAX (run->daily_left - (gint64) send->items->len, 0);
  for (guint i = 0; i < send->items->len; i++)
    {
      OipBulkItem *item = g_ptr_array_index (send->items, i);

      item->task_id = task_id;
      for (guint j = 0; j < item->sent_items->len; j++)
        oip_image_item_set_state (g_ptr_array_index (item->sent_items, j), OIP_IMAGE_STATE_IMPORTING, NULL, NULL);
      oip_bulk_item_set_state (item, OIP_BULK_ITEM_IMPORTING, NULL, NULL, NULL);
    }
  /* The task is on record before it is followed or the next batch goes. */
  checkpoint (engine, send->items, TRUE, on_accepted_saved, NULL);
}

/* After a 429 for the item limits: if the day's quota does not explain
 * it, the minute's does, and the run waits as Ozon said. */
static void
learn_limit (Engine        *engine,
             OipOzonLimits *limits)
{
  OipItemLimitInfo *info = &engine->held_info;
  gint64 daily_left = limits ? oip_ozon_limits_daily_left (limits) : -1;

  if (daily_left >= 0 && daily_left < engine->held)
    return;   /* the day's: smaller batches, or a pause */
  if (info->remaining > 0 && info->remaining < engine->held)
    engine->pacer.remaining = info->remaining;
  else
    oip_bulk_pacer_block (&engine->pacer, g_get_monotonic_time (), info->retry_minutes, info->remaining);
}

static void
on_quota (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Engine *engine = user_data;
  g_autofree OipOzonLimits *limits = oip_ozon_client_get_limits_finish (OIP_OZON_CLIENT (source), result, NULL);

  engine->busy--;
  if (limits != NULL)
    oip_bulk_run_set_limits (engine->run, limits);
  if (engine->held > 0)
    learn_limit (engine, limits);
  engine->held = 0;
  engine->importing = FALSE;
  pump (engine);
}

/* A 429 for the item limits: the day's quota (then the run pauses), or
 * the minute's (then it waits as told). Nothing was sent. */
static void
held_back (Engine           *engine,
           Send             *send,
           OipItemLimitInfo *info)
{
  engine->held = send->items->len;
  engine->held_info = *info;
  requeue (engine, send->items);
  checkpoint (engine, send->items, TRUE, saved_then_pump, NULL);
  /* Which limit it was, Ozon's quota says. */
  engine->importing = TRUE;
  engine->busy++;
  oip_ozon_client_get_limits_async (engine->run->client, cancellable (engine), on_quota, engine);
}

/* A failure Ozon may or may not have acted on: the run stops, and a
 * resumed run reads these products back before sending them again. */
static gboolean
is_unclear (const GError *error)
{
  return g_error_matches (error, OIP_ERROR, OIP_ERROR_NETWORK) ||
         g_error_matches (error, OIP_ERROR, OIP_ERROR_TIMEOUT) ||
         g_error_matches (error, OIP_ERROR, OIP_ERROR_SERVER) ||
         g_error_matches (error, OIP_ERROR, OIP_ERROR_BAD_RESPONSE);
}

static void
on_refused_saved (Engine    *engine,
                  GPtrArray *items,
                  gpointer   data,
                  GError    *error)
{
  engine->importing = FALSE;
  on_concluded (engine, items, NULL, error);
}

static void
refused (Engine *engine,
         Send   *send,
         GError *error)
{
  const char *ozon = oip_error_get_ozon_message (error);

  for (guint i = 0; i < send->items->len; i++)
    {
      OipBulkItem *item = g_ptr_array_index (send->items, i);

      oip_bulk_item_set_counts (item, item->sent_items->len, 0, 0, item->sent_items->len);
      oip_bulk_item_set_state (item, OIP_BULK_ITEM_FAILED, error_code (error), error->message, ozon);
    }
  /* Whatever is wrong with the account or Ozon is wrong for every batch. */
  if (is_unclear (error) || oip_error_is_auth (error) || g_error_matches (error, OIP_ERROR, OIP_ERROR_METHOD_GONE) ||
      g_error_matches (error, OIP_ERROR, OIP_ERROR_RATE_LIMITED) ||
      g_error_matches (error, OIP_ERROR, OIP_ERROR_ACCESS_DENIED))
    stop (engine, g_error_copy (error));
  checkpoint (engine, send->items, TRUE, on_refused_saved, NULL);
  g_error_free (error);
}

static void
on_imported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Send) send = user_data;
  Engine *engine = send->engine;
  GError *error = NULL;
  OipItemLimitInfo info;
  gint64 task_id = oip_ozon_client_import_batch_finish (OIP_OZON_CLIENT (source), result, &info, &error);

  engine->busy--;
  if (task_id > 0)
    accepted (engine, send, task_id, &info);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Not cancelled by a Stop; recorded as being sent: a resumed run
       * reads them back first. */
      for (guint i = 0; i < send->items->len; i++)
        oip_bulk_item_set_state (g_ptr_array_index (send->items, i), OIP_BULK_ITEM_QUEUED, NULL, NULL, NULL);
      g_error_free (error);
      engine->importing = FALSE;
      maybe_finish (engine);
    }
  else if (g_error_matches (error, OIP_ERROR, OIP_ERROR_RATE_LIMITED) && info.retry_minutes >= 0)
    {
      g_error_free (error);
      held_back (engine, send, &info);
    }
  else
    refused (engine, send, error);
}

static void
send_batch (Send *send)
{
  Engine *engine = send->engine;
  g_autoptr(GPtrArray) imports = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_pictures_import_free);

  oip_bulk_run_set_waiting_until (engine->run, 0);
  for (guint i = 0; i < send->items->len; i++)
    {
      OipBulkItem *item = g_ptr_array_index (send->items, i);
      g_autofree char *color = NULL;
      g_auto(GStrv) images = oip_bulk_item_dup_sent (item, &color);

      for (guint j = 0; j < item->sent_items->len; j++)
        oip_image_item_set_state (g_ptr_array_index (item->sent_items, j), OIP_IMAGE_STATE_SENT, NULL, NULL);
      g_ptr_array_add (imports, oip_pictures_import_new (item->offer_id, (const char * const *) images, color));
    }
  engine->busy++;
  /* Not cancelled: a Stop waits for the answer (within the time-out),
   * whose task is recorded and followed when the run resumes. Cut short,
   * the import may still reach Ozon with nobody knowing its task. */
  oip_ozon_client_import_batch_async (engine->run->client, imports, NULL, on_imported, send);
}

static void
on_unsent_saved (Engine    *engine,
                 GPtrArray *items,
                 gpointer   data,
                 GError    *error)
{
  engine->importing = FALSE;
  continue_or_stop (engine, error);
}

/* “About to send batch N” is on record, with what each product has now:
 * send, unless the run stopped meanwhile (then it is on record as not
 * sent, so a resumed run need not wonder). */
static void
on_prepared (Engine    *engine,
             GPtrArray *items,
             gpointer   data,
             GError    *error)
{
  Send *send = data;

  if (error != NULL || cancelled (engine))
    {
      requeue (engine, send->items);
      if (error == NULL)
        checkpoint (engine, send->items, TRUE, on_unsent_saved, NULL);
      else
        {
          engine->importing = FALSE;
          continue_or_stop (engine, error);
        }
      send_free (send);
      return;
    }
  send_batch (send);
}

/* What the products have right before their push (the history's
 * “before”); one that is gone fails. */
static void
on_before (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Send *send = user_data;
  Engine *engine = send->engine;
  GError *error = NULL;
  g_autoptr(GPtrArray) products = oip_ozon_client_get_products_finish (OIP_OZON_CLIENT (source), result, &error);
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_object_unref);

  engine->busy--;
  if (products == NULL)
    {
      requeue (engine, send->items);
      send_free (send);
      engine->importing = FALSE;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_clear_error (&error);
      continue_or_stop (engine, error);
      return;
    }
  for (guint i = 0; i < products->len; i++)
    {
      OipProduct *product = g_ptr_array_index (products, i);
      gint64 *id = g_new (gint64, 1);

      *id = oip_product_get_product_id (product);
      g_hash_table_insert (by_id, id, product);
    }
  for (guint i = send->items->len; i > 0; i--)
    {
      OipBulkItem *item = g_ptr_array_index (send->items, i - 1);
      OipProduct *product = g_hash_table_lookup (by_id, &item->product_id);

      if (product == NULL)
        {
          g_autofree char *text = g_strdup_printf (_("Ozon has no product “%s”"), item->identifier);

          oip_bulk_item_set_state (item, OIP_BULK_ITEM_FAILED, "product_not_found", text, NULL);
          g_ptr_array_add (gone, g_ptr_array_steal_index (send->items, i - 1));
          continue;
        }
      oip_bulk_item_set_before (item, oip_product_get_images (product), oip_product_get_color_image (product));
      item->started_at = g_get_real_time ();
      item->batch = send->number;
      oip_bulk_item_set_state (item, OIP_BULK_ITEM_SENDING, NULL, NULL, NULL);
    }
  if (gone->len > 0)
    checkpoint (engine, gone, FALSE, on_concluded, NULL);
  if (send->items->len == 0)
    {
      send_free (send);
      engine->importing = FALSE;
      pump (engine);
      return;
    }
  checkpoint (engine, send->items, TRUE, on_prepared, send);
}

static void
read_before (Send *send)
{
  Engine *engine = send->engine;

  engine->busy++;
  oip_ozon_client_get_products_async (engine->run->client, OIP_PRODUCT_KEY_PRODUCT_ID, send->ids,
                                      cancellable (engine), on_before, send);
}

/* The pacer's moment: nothing of the batch is on record yet. */
static void
on_pace_wait (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Send *send = user_data;
  Engine *engine = send->engine;
  g_autoptr(GError) error = NULL;

  engine->busy--;
  oip_bulk_run_set_waiting_until (engine->run, 0);
  if (!oip_sleep_finish (result, &error))
    {
      requeue (engine, send->items);
      send_free (send);
      engine->importing = FALSE;
      maybe_finish (engine);
      return;
    }
  read_before (send);
}

/* The next batch */

static void
on_wake (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Engine *engine = user_data;

  engine->busy--;
  engine->waking = FALSE;
  oip_bulk_run_set_waiting_until (engine->run, 0);
  pump (engine);
}

/* The day's quota is used up: read it once more (a new day may have
 * begun), then pause. */
static gboolean
quota_used_up (Engine *engine)
{
  OipBulkRun *run = engine->run;
  guint left = g_queue_get_length (&engine->queue);

  if (run->daily_left != 0)
    return FALSE;
  if (!engine->limits_checked)
    {
      engine->limits_checked = TRUE;
      engine->importing = TRUE;
      engine->busy++;
      oip_ozon_client_get_limits_async (run->client, cancellable (engine), on_quota, engine);
      return TRUE;
    }
  stop (engine, g_error_new (OIP_ERROR, OIP_ERROR_DAILY_LIMIT,
                             g_dngettext (GETTEXT_PACKAGE,
                                          "Ozon’s daily limit on product changes is used up: %u product was not sent yet",
                                          "Ozon’s daily limit on product changes is used up: %u products were not sent yet",
                                          left),
                             left));
  maybe_finish (engine);
  return TRUE;
}

static void
take_batch (Engine *engine,
            guint   count,
            gint64  at)
{
  Send *send = g_new0 (Send, 1);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  send->engine = engine;
  send->items = g_ptr_array_new_with_free_func (g_object_unref);
  send->number = engine->next_batch++;
  while (send->items->len < count && !g_queue_is_empty (&engine->queue))
    {
      OipBulkItem *item = g_queue_pop_head (&engine->queue);

      g_ptr_array_add (send->items, g_object_ref (item));
      g_ptr_array_add (ids, g_strdup_printf ("%" G_GINT64_FORMAT, item->product_id));
    }
  send->ids = g_steal_pointer (&ids);
  engine->importing = TRUE;
  if (at > g_get_monotonic_time ())
    {
      oip_bulk_run_set_waiting_until (engine->run, at);
      engine->busy++;
      oip_sleep_async ((guint) ((at - g_get_monotonic_time () + 999) / 1000), cancellable (engine), on_pace_wait,
                       send);
      return;
    }
  read_before (send);
}

/* Starts the next batch if one may go: one import at a time, a few tasks
 * followed at once, as many products as the pacer and the day allow. */
static void
pump (Engine *engine)
{
  OipBulkRun *run = engine->run;
  gint64 now = g_get_monotonic_time ();
  gint64 at = now;
  guint count;

  if (engine->importing || engine->waking)
    return;
  if (engine->stop != NULL || cancelled (engine) || g_queue_is_empty (&engine->queue))
    {
      maybe_finish (engine);
      return;
    }
  if (engine->open->len >= run->max_open_tasks || quota_used_up (engine))
    return;

  count = oip_bulk_pacer_next (&engine->pacer, now, &at);
  count = MIN (count, OIP_OZON_MAX_IMPORT_ITEMS);
  if (run->daily_left > 0)
    count = (guint) MIN ((gint64) count, run->daily_left);
  /* Blocked by a 429 with nothing known about the limit: wait it out. */
  if (at > now && engine->pacer.per_minute < 0)
    {
      oip_bulk_run_set_waiting_until (run, at);
      engine->waking = TRUE;
      engine->busy++;
      oip_sleep_async ((guint) ((at - now + 999) / 1000), cancellable (engine), on_wake, engine);
      return;
    }
  take_batch (engine, count, at);
}

/* Starting */

static void
build_queue (Engine *engine)
{
  OipBulkRun *run = engine->run;
  g_autoptr(GHashTable) tasks = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                       (GDestroyNotify) g_ptr_array_unref);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < oip_bulk_run_n_items (run); i++)
    {
      OipBulkItem *item = oip_bulk_run_item_at (run, i);

      if (item->state == OIP_BULK_ITEM_QUEUED && !item->check)
        g_queue_push_tail (&engine->queue, item);
      else if (item->state == OIP_BULK_ITEM_IMPORTING && item->task_id > 0)
        {
          GPtrArray *items = g_hash_table_lookup (tasks, &item->task_id);

          if (items == NULL)
            {
              items = g_ptr_array_new_with_free_func (g_object_unref);
              g_hash_table_insert (tasks, g_memdup2 (&item->task_id, sizeof item->task_id), items);
            }
          g_ptr_array_add (items, g_object_ref (item));
        }
    }
  /* Tasks an earlier part of the run left open are followed again. */
  g_hash_table_iter_init (&iter, tasks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    follow (engine, value, *(gint64 *) key, ((OipBulkItem *) g_ptr_array_index ((GPtrArray *) value, 0))->batch);
}

/* Settling imports sent without their task on record */

typedef struct
{
  Engine    *engine;
  GPtrArray *items;     /* OipBulkItem, each with check set */
  guint      wait_ms;
} Unsettled;

static void
unsettled_free (Unsettled *unsettled)
{
  g_ptr_array_unref (unsettled->items);
  g_free (unsettled);
}

static void check_again (Engine *engine, GPtrArray *items, guint wait_ms);

/* Until when Ozon may still be importing what @item's push sent: the time
 * the engine gives any task before its read-back decides. */
static gint64
import_deadline (Engine      *engine,
                 OipBulkItem *item)
{
  const OipPushSettings *settings = oip_context_get_push_settings (engine->run->context);

  if (item->started_at <= 0)
    item->started_at = g_get_real_time ();
  return item->started_at + (gint64) settings->timeout * TASK_DEADLINE_TIMEOUTS * G_USEC_PER_SEC;
}

static gboolean
same_images (const char * const *a,
             const char         *a_color,
             const char * const *b,
             const char         *b_color)
{
  const char *none[] = { NULL };

  return g_strv_equal (a ? a : none, b ? b : none) && g_strcmp0 (a_color, b_color) == 0;
}

/* What Ozon's answer to a read-back says of products whose import may
 * have reached it: exactly this push's images, or anything but what they
 * had before, and it did (the images say how it went); still as before,
 * Ozon may not have got to it yet: they are read again (@waiting) until
 * any import would have settled, then sent again. */
static void
settle_unknown (Engine     *engine,
                GPtrArray  *items,
                GPtrArray  *list,
                GPtrArray  *finals,
                GPtrArray  *waiting,
                GPtrArray  *again)
{
  g_autoptr(GHashTable) map = pictures_by_product (list);
  gint64 now = g_get_real_time ();

  for (guint i = 0; i < items->len; i++)
    {
      OipBulkItem *item = g_ptr_array_index (items, i);
      const OipPictures *pictures = g_hash_table_lookup (map, &item->product_id);
      gboolean arrived = pictures != NULL &&
                         (oip_bulk_item_has_intended (item, pictures) ||
                          (item->before_known &&
                           !same_images ((const char * const *) item->before, item->before_color,
                                         (const char * const *) pictures->images, pictures->color_image)));

      if (arrived)
        {
          item->check = FALSE;
          item->import_state = OIP_IMPORT_IMPORTED;
          if (conclude_item (engine, item, pictures) == OIP_PUSH_OUTCOME_RUNNING)
            g_ptr_array_add (again, g_object_ref (item));
          else
            g_ptr_array_add (finals, g_object_ref (item));
        }
      else if (pictures != NULL && now < import_deadline (engine, item))
        g_ptr_array_add (waiting, g_object_ref (item));
      else
        {
          /* Provably not with Ozon (or the product is gone: its
           * look-up says so). */
          item->check = FALSE;
          item->batch = -1;
          g_ptr_array_add (again, g_object_ref (item));
        }
    }
}

static void
on_rechecked (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Unsettled *unsettled = user_data;
  Engine *engine = unsettled->engine;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = oip_ozon_client_get_pictures_list_finish (OIP_OZON_CLIENT (source), result, &error);
  g_autoptr(GPtrArray) finals = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) waiting = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func (g_object_unref);

  engine->busy--;
  if (list == NULL)
    {
      /* Left as they are on record: the next resume looks again. */
      unsettled_free (unsettled);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_clear_error (&error);
      continue_or_stop (engine, g_steal_pointer (&error));
      return;
    }
  settle_unknown (engine, unsettled->items, list, finals, waiting, again);
  if (waiting->len > 0)
    check_again (engine, waiting, MIN ((guint) (unsettled->wait_ms * POLL_GROWTH), MAX_POLL_INTERVAL_MS));
  unsettled_free (unsettled);
  for (guint i = 0; i < again->len; i++)
    {
      OipBulkItem *item = g_ptr_array_index (again, i);

      oip_bulk_item_set_state (item, OIP_BULK_ITEM_QUEUED, NULL, NULL, NULL);
      g_queue_push_tail (&engine->queue, item);
    }
  if (again->len > 0)
    checkpoint (engine, again, TRUE, saved_then_pump, NULL);
  if (finals->len > 0)
    checkpoint (engine, finals, TRUE, on_concluded, NULL);
  else
    pump (engine);
}

static void
on_recheck_wait (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Unsettled *unsettled = user_data;
  Engine *engine = unsettled->engine;
  g_autoptr(GArray) ids = NULL;

  engine->busy--;
  if (!oip_sleep_finish (result, NULL))
    {
      unsettled_free (unsettled);
      maybe_finish (engine);
      return;
    }
  ids = product_ids (unsettled->items);
  engine->busy++;
  oip_ozon_client_get_pictures_list_async (engine->run->client, (const gint64 *) ids->data, ids->len,
                                           cancellable (engine), on_rechecked, unsettled);
}

static void
check_again (Engine    *engine,
             GPtrArray *items,
             guint      wait_ms)
{
  Unsettled *unsettled = g_new0 (Unsettled, 1);

  unsettled->engine = engine;
  unsettled->items = g_ptr_array_ref (items);
  unsettled->wait_ms = wait_ms;
  engine->busy++;
  oip_sleep_async (wait_ms, cancellable (engine), on_recheck_wait, unsettled);
}

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Engine *engine = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = oip_ozon_client_get_pictures_list_finish (OIP_OZON_CLIENT (source), result, &error);
  g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) finals = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) waiting = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func (g_object_unref);
  OipBulkRun *run = engine->run;

  engine->busy--;
  if (list == NULL)
    {
      engine->importing = FALSE;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_clear_error (&error);
      continue_or_stop (engine, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < oip_bulk_run_n_items (run); i++)
    {
      OipBulkItem *item = oip_bulk_run_item_at (run, i);

      if (item->check && item->state == OIP_BULK_ITEM_QUEUED)
        g_ptr_array_add (checks, g_object_ref (item));
    }
  settle_unknown (engine, checks, list, finals, waiting, again);
  /* Those going again are queued in order with the others; those that
   * may still be on their way wait aside. */
  build_queue (engine);
  engine->importing = FALSE;
  if (waiting->len > 0)
    check_again (engine, waiting, oip_context_get_poll_interval (run->context));
  /* On record as not sent: a later resume need not wonder again. */
  if (again->len > 0)
    checkpoint (engine, again, TRUE, saved_then_pump, NULL);
  if (finals->len > 0)
    checkpoint (engine, finals, TRUE, on_concluded, NULL);
  else
    pump (engine);
}

/* Products a stopped run left mid-send are read back before anything is
 * sent again. */
static void
start_sending (Engine *engine)
{
  OipBulkRun *run = engine->run;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  oip_bulk_run_set_stage (run, OIP_BULK_STAGE_SENDING);
  for (guint i = 0; i < oip_bulk_run_n_items (run); i++)
    {
      OipBulkItem *item = oip_bulk_run_item_at (run, i);

      if (item->check && item->state == OIP_BULK_ITEM_QUEUED)
        g_array_append_val (ids, item->product_id);
    }
  if (ids->len == 0)
    {
      build_queue (engine);
      pump (engine);
      return;
    }
  engine->importing = TRUE;
  engine->busy++;
  oip_ozon_client_get_pictures_list_async (run->client, (const gint64 *) ids->data, ids->len, cancellable (engine),
                                           on_checked, engine);
}

static void
on_files_saved (Engine    *engine,
                GPtrArray *items,
                gpointer   data,
                GError    *error)
{
  if (error != NULL)
    {
      stop (engine, error);
      maybe_finish (engine);
      return;
    }
  start_sending (engine);
}

static void
on_uploaded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Engine *engine = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *files = oip_bulk_upload_finish (OIP_BULK_RUN (source), result, &error);
  g_autoptr(GPtrArray) failed = g_ptr_array_new_with_free_func (g_object_unref);
  Save *save;

  engine->busy--;
  if (files == NULL)
    {
      stop (engine, g_steal_pointer (&error));
      maybe_finish (engine);
      return;
    }
  /* Products whose files could not be sent are finished. */
  for (guint i = 0; i < oip_bulk_run_n_items (engine->run); i++)
    {
      OipBulkItem *item = oip_bulk_run_item_at (engine->run, i);

      if (item->state == OIP_BULK_ITEM_FAILED && item->batch < 0 && g_strcmp0 (item->error_code, "storage_error") == 0 &&
          item->in_run && item->history_id == 0)
        {
          g_ptr_array_add (failed, g_object_ref (item));
          oip_bulk_run_item_finished (engine->run, item);
        }
    }
  save = g_new0 (Save, 1);
  save->engine = engine;
  save->items = g_ptr_array_ref (failed);
  save->then = on_files_saved;
  engine->busy++;
  {
    GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_bulk_row_free);

    for (guint i = 0; i < failed->len; i++)
      g_ptr_array_add (rows, oip_bulk_row_new_from_item (g_ptr_array_index (failed, i)));
    oip_bulk_store_save_async (engine->db, engine->run->id, rows, NULL, files, -1, NULL, NULL, on_saved, save);
  }
}

static void
upload (Engine *engine)
{
  engine->busy++;
  oip_bulk_upload_async (engine->run, cancellable (engine), on_uploaded, engine);
}

static void
on_created (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Engine *engine = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = oip_bulk_store_create_finish (OIP_DATABASE (source), result, &error);

  engine->busy--;
  if (id <= 0)
    {
      /* Nothing was sent; without a record nothing may be. */
      OipBulkRun *run = engine->run;

      g_clear_pointer (&run->engine, oip_bulk_send_free);
      oip_bulk_run_set_stage (run, OIP_BULK_STAGE_REVIEW);
      run->confirmed = TRUE;
      oip_bulk_run_return (run, g_steal_pointer (&error));
      return;
    }
  oip_bulk_run_set_id (engine->run, id);
  upload (engine);
}

static void
on_resumed (Engine    *engine,
            GPtrArray *items,
            gpointer   data,
            GError    *error)
{
  if (error != NULL)
    {
      stop (engine, error);
      maybe_finish (engine);
      return;
    }
  upload (engine);
}

static gboolean
on_tick (gpointer user_data)
{
  oip_bulk_run_update_progress (user_data);
  return G_SOURCE_CONTINUE;
}

/**
 * oip_bulk_send_start:
 *
 * Sends the confirmed run for oip_bulk_run_send_async(); completes its
 * task.
 */
void
oip_bulk_send_start (OipBulkRun *run)
{
  Engine *engine = g_new0 (Engine, 1);
  OipHistory *history = oip_context_get_history (run->context);

  g_assert (run->client != NULL);
  engine->run = run;
  engine->open = g_ptr_array_new_with_free_func ((GDestroyNotify) batch_free);
  g_queue_init (&engine->queue);
  oip_bulk_pacer_init (&engine->pacer, (gint64) run->minute_ms * 1000);
  engine->pacer.per_minute = run->per_minute;
  run->engine = engine;
  run->send_started = g_get_monotonic_time ();
  run->done_at_start = run->n_done;
  run->tick_id = g_timeout_add_seconds (1, on_tick, run);
  oip_bulk_run_set_stage (run, OIP_BULK_STAGE_SENDING);

  if (history == NULL)
    {
      g_clear_pointer (&run->engine, oip_bulk_send_free);
      oip_bulk_run_return (run, g_error_new_literal (OIP_ERROR, OIP_ERROR_DATABASE,
                                                     _("A bulk run needs the history database, which is not open")));
      return;
    }
  engine->db = oip_history_get_database (history);
  engine->busy++;
  if (run->id == 0)
    {
      GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_bulk_row_free);

      for (guint i = 0; i < oip_bulk_run_n_items (run); i++)
        g_ptr_array_add (rows, oip_bulk_row_new_from_item (oip_bulk_run_item_at (run, i)));
      oip_bulk_store_create_async (engine->db, run, rows, NULL, on_created, engine);
    }
  else
    {
      Save *save = g_new0 (Save, 1);

      save->engine = engine;
      save->items = g_ptr_array_new ();
      save->then = on_resumed;
      oip_bulk_store_save_async (engine->db, run->id, NULL, NULL, NULL, OIP_BULK_RUN_RUNNING, NULL, NULL,
                                 on_saved, save);
    }
}
