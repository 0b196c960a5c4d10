/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "oip-ozon-client.h"
#include "oip-product-store.h"
#include "oip-push-plan.h"

G_BEGIN_DECLS

typedef enum
{
  OIP_PUSH_STAGE_IDLE,
  OIP_PUSH_STAGE_SENDING,
  OIP_PUSH_STAGE_IMPORTING,
  OIP_PUSH_STAGE_READING_BACK,
  OIP_PUSH_STAGE_DONE,
} OipPushStage;

/**
 * OipPushResult:
 * @product_id: the product
 * @offer_id: its offer_id, which the import used
 * @images_sent: images sent (the seed's `updated.images`)
 * @color_image_sent: whether a color image was sent
 * @import_state: how Ozon's import task ended
 * @import_errors: (element-type utf8): Ozon's messages for a failed import
 * @current_images: the product's pictures after the push, main first
 * @current_color_image: (nullable): its color image after the push
 * @image_errors: (element-type OipImageError): Ozon's per-URL errors
 * @previous_images: what the push replaced, so it can be restored
 * @notices: (element-type OipNotice): truncation and 360° notices
 */
typedef struct
{
  gint64          product_id;
  char           *offer_id;
  guint           images_sent;
  gboolean        color_image_sent;
  OipImportState  import_state;
  GPtrArray      *import_errors;
  GStrv           current_images;
  char           *current_color_image;
  GPtrArray      *image_errors;
  GStrv           previous_images;
  GPtrArray      *notices;
} OipPushResult;

void           oip_push_result_free     (OipPushResult *result);
gboolean       oip_push_result_is_success (const OipPushResult *result,
                                           GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipPushResult, oip_push_result_free)

#define OIP_TYPE_PUSH (oip_push_get_type ())
G_DECLARE_FINAL_TYPE (OipPush, oip_push, OIP, PUSH, GObject)

OipPush       *oip_push_new               (OipOzonClient        *client,
                                           OipProductStore      *store,
                                           OipPushPlan          *plan);
OipPushStage   oip_push_get_stage         (OipPush              *self);
guint          oip_push_get_polls         (OipPush              *self);
void           oip_push_set_poll_interval (OipPush              *self,
                                           guint                 milliseconds);
void           oip_push_run_async         (OipPush              *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
OipPushResult *oip_push_run_finish        (OipPush              *self,
                                           GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
