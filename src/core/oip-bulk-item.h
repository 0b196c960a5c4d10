/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "oip-product.h"

G_BEGIN_DECLS

/**
 * OipBulkItemState:
 * @OIP_BULK_ITEM_PLANNED: found, checked, will be sent once confirmed
 * @OIP_BULK_ITEM_NOT_FOUND: Ozon has no such product
 * @OIP_BULK_ITEM_INVALID: its images cannot be sent (see the problems)
 * @OIP_BULK_ITEM_QUEUED: confirmed, waiting for its turn
 * @OIP_BULK_ITEM_UPLOADING: its local files are on their way to the storage
 * @OIP_BULK_ITEM_SENDING: in an import batch being sent
 * @OIP_BULK_ITEM_IMPORTING: Ozon accepted it and is importing
 * @OIP_BULK_ITEM_IMPORTED: every image it was sent is on it
 * @OIP_BULK_ITEM_PARTIAL: some images are on it, some failed
 * @OIP_BULK_ITEM_FAILED: the push failed (see the error)
 * @OIP_BULK_ITEM_SKIPPED: it already has exactly these images: nothing to
 *   change, nothing sent
 *
 * Where one product of a bulk run stands. Stored in the database by
 * value: append only.
 */
typedef enum
{
  OIP_BULK_ITEM_PLANNED,
  OIP_BULK_ITEM_NOT_FOUND,
  OIP_BULK_ITEM_INVALID,
  OIP_BULK_ITEM_QUEUED,
  OIP_BULK_ITEM_UPLOADING,
  OIP_BULK_ITEM_SENDING,
  OIP_BULK_ITEM_IMPORTING,
  OIP_BULK_ITEM_IMPORTED,
  OIP_BULK_ITEM_PARTIAL,
  OIP_BULK_ITEM_FAILED,
  OIP_BULK_ITEM_SKIPPED,
} OipBulkItemState;

#define OIP_BULK_ITEM_N_STATES (OIP_BULK_ITEM_SKIPPED + 1)

#define OIP_TYPE_BULK_ITEM (oip_bulk_item_get_type ())
G_DECLARE_FINAL_TYPE (OipBulkItem, oip_bulk_item, OIP, BULK_ITEM, GObject)

guint               oip_bulk_item_get_position       (OipBulkItem *self);
OipProductKey       oip_bulk_item_get_key            (OipBulkItem *self);
const char         *oip_bulk_item_get_identifier     (OipBulkItem *self);
const char         *oip_bulk_item_get_location       (OipBulkItem *self);
guint               oip_bulk_item_get_line           (OipBulkItem *self);
gint64              oip_bulk_item_get_product_id     (OipBulkItem *self);
const char         *oip_bulk_item_get_offer_id       (OipBulkItem *self);
const char         *oip_bulk_item_get_name           (OipBulkItem *self);
const char         *oip_bulk_item_get_main_image     (OipBulkItem *self);
const char * const *oip_bulk_item_get_images_before  (OipBulkItem *self);
const char         *oip_bulk_item_get_color_before   (OipBulkItem *self);
const char * const *oip_bulk_item_get_images_after   (OipBulkItem *self);
const char         *oip_bulk_item_get_color_after    (OipBulkItem *self);
const char * const *oip_bulk_item_get_images_removed (OipBulkItem *self);
guint               oip_bulk_item_get_n_before       (OipBulkItem *self);
guint               oip_bulk_item_get_n_after        (OipBulkItem *self);
guint               oip_bulk_item_get_n_removed      (OipBulkItem *self);
const char * const *oip_bulk_item_get_local_files    (OipBulkItem *self);
guint64             oip_bulk_item_get_local_bytes    (OipBulkItem *self);
const char * const *oip_bulk_item_get_problems       (OipBulkItem *self);
GListModel         *oip_bulk_item_get_images         (OipBulkItem *self);
OipBulkItemState    oip_bulk_item_get_state          (OipBulkItem *self);
gboolean            oip_bulk_item_is_finished        (OipBulkItem *self);
const char         *oip_bulk_item_get_error          (OipBulkItem *self);
const char         *oip_bulk_item_get_ozon_message   (OipBulkItem *self);
gint64              oip_bulk_item_get_history_id     (OipBulkItem *self);
guint               oip_bulk_item_get_n_sent         (OipBulkItem *self);
guint               oip_bulk_item_get_n_imported     (OipBulkItem *self);
guint               oip_bulk_item_get_n_skipped      (OipBulkItem *self);
guint               oip_bulk_item_get_n_failed       (OipBulkItem *self);
const char         *oip_bulk_item_state_to_string    (OipBulkItemState state);

G_END_DECLS
