/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "oip-context.h"
#include "oip-history.h"
#include "oip-image-check.h"
#include "oip-image-item.h"
#include "oip-ozon-results.h"
#include "oip-push-plan.h"

G_BEGIN_DECLS

/**
 * OipPushStage:
 * @OIP_PUSH_STAGE_IDLE: not started
 * @OIP_PUSH_STAGE_PREPARING: checking the list, the account, and reading
 *   the product's images on Ozon right before the push
 * @OIP_PUSH_STAGE_UPLOADING: local pictures going to the seller's storage
 * @OIP_PUSH_STAGE_SENDING: the import request
 * @OIP_PUSH_STAGE_IMPORTING: Ozon importing, polled
 * @OIP_PUSH_STAGE_READING_BACK: reading what the product has now
 * @OIP_PUSH_STAGE_DONE: finished, one way or another
 */
typedef enum
{
  OIP_PUSH_STAGE_IDLE,
  OIP_PUSH_STAGE_PREPARING,
  OIP_PUSH_STAGE_UPLOADING,
  OIP_PUSH_STAGE_SENDING,
  OIP_PUSH_STAGE_IMPORTING,
  OIP_PUSH_STAGE_READING_BACK,
  OIP_PUSH_STAGE_DONE,
} OipPushStage;


/**
 * OipPushResult:
 * @product_id: the product
 * @offer_id: its offer_id, which the import used
 * @outcome: how it ended
 * @import_accepted: whether Ozon accepted the import (after which the
 *   product's images may have changed, whatever failed later)
 * @images_sent: images sent
 * @color_image_sent: whether a color image was sent
 * @n_imported: images sent that the product has now (new addresses)
 * @n_skipped: images sent that the product had already (same address)
 * @n_failed: images sent that the product does not have
 * @import_state: how Ozon's import task ended
 * @import_errors: (element-type utf8): Ozon's messages for the task
 * @current_images: (nullable): the product's pictures after the push,
 *   main first; %NULL if they could not be read
 * @current_color_image: (nullable): its color image after the push
 * @image_errors: (element-type OipImageError): Ozon's per-URL errors
 * @previous_images: (nullable): the product's pictures right before the
 *   push, as Ozon had them; %NULL if the push stopped before reading them
 * @previous_color_image: (nullable): its color image then
 * @notices: (element-type OipNotice): truncation and 360° notices
 * @warnings: (element-type utf8): what else the seller should know
 *   (pictures converted, the product store not updated)
 * @history_id: the push's record in the history, 0 if none
 * @import_requested: whether the import request went out (Ozon may have
 *   it even when the push stopped before its answer)
 */
typedef struct
{
  gint64          product_id;
  char           *offer_id;
  OipPushOutcome  outcome;
  gboolean        import_accepted;
  guint           images_sent;
  gboolean        color_image_sent;
  guint           n_imported;
  guint           n_skipped;
  guint           n_failed;
  OipImportState  import_state;
  GPtrArray      *import_errors;
  GStrv           current_images;
  char           *current_color_image;
  GPtrArray      *image_errors;
  GStrv           previous_images;
  char           *previous_color_image;
  GPtrArray      *notices;
  GPtrArray      *warnings;
  gint64          history_id;
  gboolean        import_requested;
} OipPushResult;

/**
 * OipPushProblem:
 * @item: the image
 * @severity: a warning, or an error that stops the push
 * @code: stable name (`not_an_image`, `too_small`, `aspect_ratio`…)
 * @message: what is wrong, translated
 * @hint: what the seller can do about it, translated
 *
 * Something found about a picture before it is sent.
 */
typedef struct
{
  OipImageItem     *item;
  OipImageSeverity  severity;
  char             *code;
  char             *message;
  char             *hint;
} OipPushProblem;

void         oip_push_problem_free    (OipPushProblem *problem);
void         oip_push_result_free     (OipPushResult *result);
char        *oip_push_result_describe (const OipPushResult *result);
GError      *oip_push_result_to_error (const OipPushResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipPushResult, oip_push_result_free)

#define OIP_TYPE_PUSH_JOB (oip_push_job_get_type ())
G_DECLARE_FINAL_TYPE (OipPushJob, oip_push_job, OIP, PUSH_JOB, GObject)

OipPushJob          *oip_push_job_new              (OipContext          *context,
                                                    gint64               product_id,
                                                    GListModel          *items);
OipPushJob          *oip_push_job_new_for_request  (OipContext          *context,
                                                    const OipPushRequest *request);
OipPushJob          *oip_push_job_new_restore      (OipContext          *context,
                                                    const OipPushRecord *record,
                                                    OipPushKind          kind,
                                                    GError             **error);
OipPushJob          *oip_push_job_new_retry        (OipContext          *context,
                                                    const OipPushRecord *record,
                                                    GError             **error);
guint                oip_push_job_prepare_retry    (GListModel          *items);
void                 oip_push_job_set_kind         (OipPushJob          *self,
                                                    OipPushKind          kind,
                                                    gint64               source_push_id);
void                 oip_push_job_set_readdress    (OipPushJob          *self,
                                                    gboolean             readdress);
guint                oip_push_job_get_readdressed  (OipPushJob          *self);
gint64               oip_push_job_get_product_id   (OipPushJob          *self);
GListModel          *oip_push_job_get_items        (OipPushJob          *self);
void                 oip_push_job_check_local_async (OipPushJob        *self,
                                                     GCancellable      *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer           user_data);
GPtrArray           *oip_push_job_check_local_finish (OipPushJob       *self,
                                                      GAsyncResult     *result,
                                                      GError          **error);
const OipPushPlan   *oip_push_job_get_plan         (OipPushJob          *self);
OipImageItem        *oip_push_job_get_item_for_issue (OipPushJob              *self,
                                                      const OipValidationIssue *issue);
const OipPushRecord *oip_push_job_get_record       (OipPushJob          *self);
OipPushKind          oip_push_job_get_kind         (OipPushJob          *self);
gint64               oip_push_job_get_source_push_id (OipPushJob        *self);
OipPushStage         oip_push_job_get_stage        (OipPushJob          *self);
double               oip_push_job_get_fraction     (OipPushJob          *self);
guint                oip_push_job_get_polls        (OipPushJob          *self);
guint64              oip_push_job_get_bytes_total  (OipPushJob          *self);
guint64              oip_push_job_get_bytes_sent   (OipPushJob          *self);
guint                oip_push_job_get_n_local      (OipPushJob          *self);
guint                oip_push_job_get_n_uploaded   (OipPushJob          *self);
const OipPushResult *oip_push_job_get_result       (OipPushJob          *self);
void                 oip_push_job_run_async        (OipPushJob          *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean             oip_push_job_run_finish       (OipPushJob          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

G_END_DECLS
