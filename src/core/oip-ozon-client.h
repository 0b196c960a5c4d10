/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "oip-ozon-results.h"
#include "oip-product.h"

G_BEGIN_DECLS

#define OIP_OZON_DEFAULT_BASE_URL "https://api-seller.ozon.ru"
/* Identifiers per `/v3/product/info/list` or `/v2/product/pictures/info`
 * call, and products per `/v2/product/pictures/import` (shared/ozon-api.md
 * §2–§4). */
#define OIP_OZON_MAX_IDS 1000
#define OIP_OZON_MAX_IMPORT_ITEMS 100

/**
 * OipPicturesImport:
 * @offer_id: the product
 * @images: every image it should have, main first
 * @color_image: (nullable): its color image
 *
 * One product of a batch import.
 */
typedef struct
{
  char  *offer_id;
  GStrv  images;
  char  *color_image;
} OipPicturesImport;

/**
 * OipItemLimitInfo:
 * @remaining: `Item-Rate-Limit-Remaining`, -1 when Ozon did not send it
 * @retry_minutes: `Item-Retry-After` in minutes, -1 when not sent
 *
 * What an answer said of the picture import's item limits.
 */
typedef struct
{
  gint64 remaining;
  gint64 retry_minutes;
} OipItemLimitInfo;

OipPicturesImport *oip_pictures_import_new  (const char         *offer_id,
                                             const char * const *images,
                                             const char         *color_image);
void               oip_pictures_import_free (OipPicturesImport  *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipPicturesImport, oip_pictures_import_free)

#define OIP_TYPE_OZON_CLIENT (oip_ozon_client_get_type ())
G_DECLARE_FINAL_TYPE (OipOzonClient, oip_ozon_client, OIP, OZON_CLIENT, GObject)

OipOzonClient   *oip_ozon_client_new                    (const char           *base_url,
                                                         const char           *client_id,
                                                         const char           *api_key,
                                                         GError              **error);
guint            oip_ozon_client_get_timeout            (OipOzonClient        *self);
const char      *oip_ozon_client_get_client_id          (OipOzonClient        *self);
void             oip_ozon_client_set_timeout            (OipOzonClient        *self,
                                                         guint                 seconds);
void             oip_ozon_client_set_max_retries        (OipOzonClient        *self,
                                                         guint                 max_retries);
void             oip_ozon_client_set_retry_delay        (OipOzonClient        *self,
                                                         guint                 milliseconds);
void             oip_ozon_client_set_rate_limit         (OipOzonClient        *self,
                                                         double                requests_per_second);
double           oip_ozon_client_get_rate_limit         (OipOzonClient        *self);

void             oip_ozon_client_call_async             (OipOzonClient        *self,
                                                         const char           *path,
                                                         JsonNode             *body,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
JsonNode        *oip_ozon_client_call_finish            (OipOzonClient        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void             oip_ozon_client_check_access_async     (OipOzonClient        *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gint64           oip_ozon_client_check_access_finish    (OipOzonClient        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void             oip_ozon_client_get_product_async      (OipOzonClient        *self,
                                                         OipProductKey         key,
                                                         const char           *value,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
OipProduct      *oip_ozon_client_get_product_finish     (OipOzonClient        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void             oip_ozon_client_list_products_async    (OipOzonClient        *self,
                                                         guint                 page_size,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
GPtrArray       *oip_ozon_client_list_products_finish   (OipOzonClient        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void             oip_ozon_client_import_pictures_async  (OipOzonClient        *self,
                                                         const char           *offer_id,
                                                         GPtrArray            *images,
                                                         const char           *primary_image,
                                                         const char           *color_image,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gint64           oip_ozon_client_import_pictures_finish (OipOzonClient        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void             oip_ozon_client_get_import_status_async  (OipOzonClient      *self,
                                                           gint64              task_id,
                                                           const char         *offer_id,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
OipImportStatus *oip_ozon_client_get_import_status_finish (OipOzonClient      *self,
                                                           GAsyncResult       *result,
                                                           GError            **error);

void             oip_ozon_client_get_pictures_async     (OipOzonClient        *self,
                                                         gint64                product_id,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
OipPictures     *oip_ozon_client_get_pictures_finish    (OipOzonClient        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void             oip_ozon_client_get_products_async     (OipOzonClient        *self,
                                                         OipProductKey         key,
                                                         GPtrArray            *values,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
GPtrArray       *oip_ozon_client_get_products_finish    (OipOzonClient        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void             oip_ozon_client_import_batch_async     (OipOzonClient        *self,
                                                         GPtrArray            *items,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gint64           oip_ozon_client_import_batch_finish    (OipOzonClient        *self,
                                                         GAsyncResult         *result,
                                                         OipItemLimitInfo     *items,
                                                         GError              **error);

void             oip_ozon_client_get_import_statuses_async  (OipOzonClient    *self,
                                                             gint64            task_id,
                                                             GCancellable     *cancellable,
                                                             GAsyncReadyCallback callback,
                                                             gpointer          user_data);
GPtrArray       *oip_ozon_client_get_import_statuses_finish (OipOzonClient    *self,
                                                             GAsyncResult     *result,
                                                             GError          **error);

void             oip_ozon_client_get_pictures_list_async  (OipOzonClient      *self,
                                                           const gint64       *product_ids,
                                                           guint               n_ids,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
GPtrArray       *oip_ozon_client_get_pictures_list_finish (OipOzonClient      *self,
                                                           GAsyncResult       *result,
                                                           GError            **error);

void             oip_ozon_client_get_limits_async       (OipOzonClient        *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
OipOzonLimits   *oip_ozon_client_get_limits_finish      (OipOzonClient        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

G_END_DECLS
