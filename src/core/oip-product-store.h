/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "oip-database.h"
#include "oip-product.h"

G_BEGIN_DECLS

/* How many products the "Recently Downloaded" list holds. */
#define OIP_PRODUCT_STORE_RECENT_LIMIT 50

#define OIP_TYPE_PRODUCT_STORE (oip_product_store_get_type ())
G_DECLARE_FINAL_TYPE (OipProductStore, oip_product_store, OIP, PRODUCT_STORE, GObject)

OipProductStore *oip_product_store_new              (OipDatabase         *db);
OipDatabase     *oip_product_store_get_database     (OipProductStore     *self);
void             oip_product_store_lookup_async     (OipProductStore     *self,
                                                     OipProductKey        key,
                                                     const char          *value,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
OipProduct      *oip_product_store_lookup_finish    (OipProductStore     *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void             oip_product_store_put_async        (OipProductStore     *self,
                                                     OipProduct          *product,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
void             oip_product_store_put_many_async   (OipProductStore     *self,
                                                     GPtrArray           *products,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean         oip_product_store_put_finish       (OipProductStore     *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
GListModel      *oip_product_store_get_recent       (OipProductStore     *self);
void             oip_product_store_refresh_recent   (OipProductStore     *self);

G_END_DECLS
