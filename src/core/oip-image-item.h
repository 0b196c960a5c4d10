/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * OipImageState:
 * @OIP_IMAGE_STATE_NONE: in the list, not part of a push
 * @OIP_IMAGE_STATE_QUEUED: part of a push that has not reached it yet
 * @OIP_IMAGE_STATE_CHECKING: a local file being checked against Ozon's rules
 * @OIP_IMAGE_STATE_UPLOADING: a local file on its way to the storage
 *   (#OipImageItem:progress says how far)
 * @OIP_IMAGE_STATE_UPLOADED: a local file in the storage, with its address
 * @OIP_IMAGE_STATE_SENT: sent to Ozon in the import
 * @OIP_IMAGE_STATE_IMPORTING: Ozon is importing it
 * @OIP_IMAGE_STATE_IMPORTED: on the product now
 * @OIP_IMAGE_STATE_SKIPPED: Ozon already had this address and kept it
 * @OIP_IMAGE_STATE_FAILED: not on the product: #OipImageItem:error says why
 * @OIP_IMAGE_STATE_NOT_SENT: past the limit, or the push stopped before it
 *
 * Where one image stands, from the moment it is added until Ozon reports
 * on it. Tiles and rows bind to it.
 */
typedef enum
{
  OIP_IMAGE_STATE_NONE,
  OIP_IMAGE_STATE_QUEUED,
  OIP_IMAGE_STATE_CHECKING,
  OIP_IMAGE_STATE_UPLOADING,
  OIP_IMAGE_STATE_UPLOADED,
  OIP_IMAGE_STATE_SENT,
  OIP_IMAGE_STATE_IMPORTING,
  OIP_IMAGE_STATE_IMPORTED,
  OIP_IMAGE_STATE_SKIPPED,
  OIP_IMAGE_STATE_FAILED,
  OIP_IMAGE_STATE_NOT_SENT,
} OipImageState;

#define OIP_TYPE_IMAGE_ITEM (oip_image_item_get_type ())
G_DECLARE_FINAL_TYPE (OipImageItem, oip_image_item, OIP, IMAGE_ITEM, GObject)

OipImageItem *oip_image_item_new           (const char   *url);
const char   *oip_image_item_get_url       (OipImageItem *self);
gboolean      oip_image_item_is_valid      (OipImageItem *self);
gboolean      oip_image_item_is_local      (OipImageItem *self);
gboolean      oip_image_item_get_is_main   (OipImageItem *self);
gboolean      oip_image_item_get_is_color  (OipImageItem *self);
gboolean      oip_image_item_get_over_limit (OipImageItem *self);
guint         oip_image_item_get_number    (OipImageItem *self);
OipImageState oip_image_item_get_state     (OipImageItem *self);
double        oip_image_item_get_progress  (OipImageItem *self);
const char   *oip_image_item_get_error     (OipImageItem *self);
const char   *oip_image_item_get_ozon_message (OipImageItem *self);
const char   *oip_image_item_get_sent_url  (OipImageItem *self);
const char   *oip_image_item_get_hint      (OipImageItem *self);
void          oip_image_item_set_hint      (OipImageItem *self,
                                            const char   *hint);
void          oip_image_item_set_state     (OipImageItem *self,
                                            OipImageState state,
                                            const char   *error,
                                            const char   *ozon_message);
void          oip_image_item_set_progress  (OipImageItem *self,
                                            double        progress);
void          oip_image_item_set_sent_url  (OipImageItem *self,
                                            const char   *url);
const char   *oip_image_item_get_load_error (OipImageItem *self);
void          oip_image_item_set_load_error (OipImageItem *self,
                                             const char   *load_error);
const char   *oip_image_state_to_string    (OipImageState state);
void          oip_image_item_set_placement (OipImageItem *self,
                                            guint         number,
                                            gboolean      is_main,
                                            gboolean      is_color,
                                            gboolean      over_limit);

G_END_DECLS
