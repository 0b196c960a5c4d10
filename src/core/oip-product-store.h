/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "oip-product.h"

G_BEGIN_DECLS

#define OIP_TYPE_PRODUCT_STORE (oip_product_store_get_type ())
G_DECLARE_FINAL_TYPE (OipProductStore, oip_product_store, OIP, PRODUCT_STORE, GObject)

OipProductStore *oip_product_store_new              (GFile               *file);
GFile           *oip_product_store_get_file         (OipProductStore     *self);
GListModel      *oip_product_store_get_products     (OipProductStore     *self);
OipProduct      *oip_product_store_lookup           (OipProductStore     *self,
                                                     gint64               product_id);
void             oip_product_store_put              (OipProductStore     *self,
                                                     OipProduct          *product);
void             oip_product_store_load_async       (OipProductStore     *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean         oip_product_store_load_finish      (OipProductStore     *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void             oip_product_store_save_async       (OipProductStore     *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean         oip_product_store_save_finish      (OipProductStore     *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
