/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "oip-bulk-input.h"
#include "oip-bulk-item.h"
#include "oip-context.h"
#include "oip-history.h"
#include "oip-push-job.h"

G_BEGIN_DECLS

/**
 * OipBulkStage:
 * @OIP_BULK_STAGE_IDLE: made, not planned yet
 * @OIP_BULK_STAGE_PLANNING: looking the products up, checking the images
 * @OIP_BULK_STAGE_REVIEW: planned: the review is ready, nothing was sent
 * @OIP_BULK_STAGE_UPLOADING: local files going to the seller's storage
 * @OIP_BULK_STAGE_SENDING: imports going to Ozon, Ozon importing
 * @OIP_BULK_STAGE_PAUSED: stopped before the end (cancelled, or Ozon's
 *   daily limit): oip_bulk_run_load_async() goes on from here
 * @OIP_BULK_STAGE_DONE: every product has its outcome
 */
typedef enum
{
  OIP_BULK_STAGE_IDLE,
  OIP_BULK_STAGE_PLANNING,
  OIP_BULK_STAGE_REVIEW,
  OIP_BULK_STAGE_UPLOADING,
  OIP_BULK_STAGE_SENDING,
  OIP_BULK_STAGE_PAUSED,
  OIP_BULK_STAGE_DONE,
} OipBulkStage;

/**
 * OipBulkStopReason:
 * @OIP_BULK_STOP_UNKNOWN: nothing was recorded about it
 * @OIP_BULK_STOP_STOPPED: the seller stopped it (or closed its window)
 * @OIP_BULK_STOP_INTERRUPTED: its process ended in the middle (killed,
 *   crashed, the computer turned off)
 * @OIP_BULK_STOP_DAILY_LIMIT: Ozon's daily limit was reached
 * @OIP_BULK_STOP_FAILED: an error stopped it (see the message)
 *
 * Why an unfinished run stopped.
 */
typedef enum
{
  OIP_BULK_STOP_UNKNOWN,
  OIP_BULK_STOP_STOPPED,
  OIP_BULK_STOP_INTERRUPTED,
  OIP_BULK_STOP_DAILY_LIMIT,
  OIP_BULK_STOP_FAILED,
} OipBulkStopReason;

/**
 * OipBulkRunSummary:
 * @id: the run's ID, for oip_bulk_run_load_async()
 * @kind: a push, or the undo of a run
 * @source_run_id: an undo: the run it undoes
 * @source: (nullable): the CSV or folder, as given
 * @created_at: when it was started (unix µs, UTC)
 * @n_products: its products (those Ozon has not found or that cannot be
 *   sent included)
 * @n_done: products pushed (imported, partly, failed or with nothing to
 *   change)
 * @n_left: products still to be sent or followed
 * @reason: why it stopped
 * @error_message: (nullable): the error that stopped it, as recorded
 *
 * An unfinished run, as oip_bulk_run_list_unfinished_async() lists it.
 */
typedef struct
{
  gint64             id;
  OipPushKind        kind;
  gint64             source_run_id;
  char              *source;
  gint64             created_at;
  guint              n_products;
  guint              n_done;
  guint              n_left;
  OipBulkStopReason  reason;
  char              *error_message;
} OipBulkRunSummary;

void           oip_bulk_run_summary_free        (OipBulkRunSummary   *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipBulkRunSummary, oip_bulk_run_summary_free)

#define OIP_TYPE_BULK_RUN (oip_bulk_run_get_type ())
G_DECLARE_FINAL_TYPE (OipBulkRun, oip_bulk_run, OIP, BULK_RUN, GObject)

OipBulkRun    *oip_bulk_run_new                 (OipContext          *context,
                                                 const OipBulkInput  *input,
                                                 const char          *source);
void           oip_bulk_run_load_async          (OipContext          *context,
                                                 gint64               run_id,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
OipBulkRun    *oip_bulk_run_load_finish         (GAsyncResult        *result,
                                                 GError             **error);
void           oip_bulk_run_list_unfinished_async  (OipContext          *context,
                                                    guint                max,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GPtrArray     *oip_bulk_run_list_unfinished_finish (GAsyncResult        *result,
                                                    GError             **error);
void           oip_bulk_run_new_undo_async      (OipContext          *context,
                                                 gint64               run_id,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
OipBulkRun    *oip_bulk_run_new_undo_finish     (GAsyncResult        *result,
                                                 GError             **error);

void           oip_bulk_run_plan_async          (OipBulkRun          *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean       oip_bulk_run_plan_finish         (OipBulkRun          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
gboolean       oip_bulk_run_confirm             (OipBulkRun          *self,
                                                 GError             **error);
void           oip_bulk_run_send_async          (OipBulkRun          *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean       oip_bulk_run_send_finish         (OipBulkRun          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void           oip_bulk_run_create_undo_job_async  (OipBulkRun          *self,
                                                    OipBulkItem         *item,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
OipPushJob    *oip_bulk_run_create_undo_job_finish (OipBulkRun          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

gint64         oip_bulk_run_get_id              (OipBulkRun          *self);
OipPushKind    oip_bulk_run_get_kind            (OipBulkRun          *self);
gint64         oip_bulk_run_get_source_run_id   (OipBulkRun          *self);
const char    *oip_bulk_run_get_source          (OipBulkRun          *self);
GListModel    *oip_bulk_run_get_items           (OipBulkRun          *self);
GPtrArray     *oip_bulk_run_get_input_problems  (OipBulkRun          *self);
OipBulkStage   oip_bulk_run_get_stage           (OipBulkRun          *self);
guint          oip_bulk_run_get_count           (OipBulkRun          *self,
                                                 OipBulkItemState     state);
guint          oip_bulk_run_get_n_to_send       (OipBulkRun          *self);
guint          oip_bulk_run_get_n_left          (OipBulkRun          *self);
guint          oip_bulk_run_get_n_done          (OipBulkRun          *self);
guint          oip_bulk_run_get_n_images        (OipBulkRun          *self);
guint          oip_bulk_run_get_n_local_files   (OipBulkRun          *self);
guint64        oip_bulk_run_get_local_bytes     (OipBulkRun          *self);
guint          oip_bulk_run_get_n_uploaded      (OipBulkRun          *self);
gint64         oip_bulk_run_get_daily_left      (OipBulkRun          *self);
gint64         oip_bulk_run_get_daily_limit     (OipBulkRun          *self);
gint64         oip_bulk_run_get_per_minute      (OipBulkRun          *self);
double         oip_bulk_run_get_fraction        (OipBulkRun          *self);
double         oip_bulk_run_get_seconds_left    (OipBulkRun          *self);
double         oip_bulk_run_get_rate            (OipBulkRun          *self);
gint64         oip_bulk_run_get_waiting_until   (OipBulkRun          *self);
double         oip_bulk_run_get_elapsed         (OipBulkRun          *self);
GPtrArray     *oip_bulk_run_get_warnings        (OipBulkRun          *self);
void           oip_bulk_run_set_minute_ms       (OipBulkRun          *self,
                                                 guint                milliseconds);
void           oip_bulk_run_set_max_open_tasks  (OipBulkRun          *self,
                                                 guint                tasks);

G_END_DECLS
