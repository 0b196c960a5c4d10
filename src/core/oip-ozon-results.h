/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "oip-product.h"

G_BEGIN_DECLS

typedef enum
{
  OIP_IMPORT_PENDING,
  OIP_IMPORT_IMPORTED,
  OIP_IMPORT_FAILED,
  OIP_IMPORT_SKIPPED,
} OipImportState;

/**
 * OipImportStatus:
 * @state: where Ozon's import task stands
 * @errors: (element-type utf8): Ozon's messages for a failed item
 * @offer_id: (nullable): the item's offer_id, as Ozon gave it
 * @product_id: the item's product_id, 0 when Ozon did not give it
 *
 * One item of `/v1/product/import/info`.
 */
typedef struct
{
  OipImportState state;
  GPtrArray     *errors;
  char          *offer_id;
  gint64         product_id;
} OipImportStatus;

/**
 * OipImageError:
 * @url: the picture Ozon could not take
 * @message: Ozon's reason, as Ozon wrote it
 */
typedef struct
{
  char *url;
  char *message;
} OipImageError;

/**
 * OipPictures:
 * @images: the product's current pictures, main first
 * @color_image: (nullable): the color image
 * @errors: (element-type OipImageError): per-URL errors
 * @product_id: the product, 0 when Ozon did not say
 *
 * One item of `/v2/product/pictures/info`.
 */
typedef struct
{
  GStrv      images;
  char      *color_image;
  GPtrArray *errors;
  gint64     product_id;
} OipPictures;

/**
 * OipProductPage:
 * @products: (element-type OipProduct): the page's products (ids, offer_id
 *   and SKU only)
 * @last_id: (nullable): the cursor for the next page
 * @total_items: how many products the list has in all, or -1 when Ozon
 *   did not say
 *
 * One page of `/v3/product/list`.
 */
typedef struct
{
  GPtrArray *products;
  char      *last_id;
  gint64     total_items;
} OipProductPage;

/**
 * OipOzonLimits:
 * @daily_limit: product updates allowed a day (`daily_update.limit`), -1
 *   when Ozon did not say
 * @daily_usage: how many were used today, -1 when not said
 * @daily_reset_at: when the day's count starts again, unix µs; 0 when not
 *   said
 * @per_minute: product operations allowed a minute for picture imports
 *   (`operation_limits`), -1 when not said
 *
 * `/v4/product/info/limit`.
 */
typedef struct
{
  gint64 daily_limit;
  gint64 daily_usage;
  gint64 daily_reset_at;
  gint64 per_minute;
} OipOzonLimits;

/* Ozon's answers, parsed without any network: bytes or a JSON node in, a
 * result or an %OIP_ERROR out (%OIP_ERROR_BAD_RESPONSE for anything of the
 * wrong shape). The client and the fuzz harnesses call these. */
JsonNode        *oip_ozon_parse_answer           (const char      *data,
                                                  gsize            length,
                                                  guint            http_status,
                                                  GError         **error);
OipProduct      *oip_ozon_parse_product_info     (JsonNode        *root,
                                                  const char      *wanted,
                                                  GError         **error);
OipProductPage  *oip_ozon_parse_product_page     (JsonNode        *root,
                                                  GError         **error);
gint64           oip_ozon_parse_task_id          (JsonNode        *root,
                                                  GError         **error);
OipImportStatus *oip_ozon_parse_import_status    (JsonNode        *root,
                                                  const char      *offer_id,
                                                  GError         **error);
OipPictures     *oip_ozon_parse_pictures         (JsonNode        *root,
                                                  GError         **error);
GPtrArray       *oip_ozon_parse_product_list     (JsonNode        *root,
                                                  GError         **error);
GPtrArray       *oip_ozon_parse_import_statuses  (JsonNode        *root,
                                                  GError         **error);
GPtrArray       *oip_ozon_parse_pictures_list    (JsonNode        *root,
                                                  GError         **error);
OipOzonLimits   *oip_ozon_parse_limits           (JsonNode        *root,
                                                  GError         **error);
gint64           oip_ozon_limits_daily_left      (const OipOzonLimits *limits);
void             oip_product_page_free           (OipProductPage  *page);

OipImportStatus *oip_import_status_new_from_json (JsonObject      *item);
void             oip_import_status_free          (OipImportStatus *status);
const char      *oip_import_state_to_string      (OipImportState   state);

OipPictures     *oip_pictures_new_from_json      (JsonObject      *item);
void             oip_pictures_free               (OipPictures     *pictures);
OipImageError   *oip_image_error_new             (const char      *url,
                                                  const char      *message);
void             oip_image_error_free            (OipImageError   *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipImportStatus, oip_import_status_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipPictures, oip_pictures_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipProductPage, oip_product_page_free)

G_END_DECLS
