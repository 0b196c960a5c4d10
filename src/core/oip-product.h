/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * OipProductKey:
 *
 * Which of a product's ids a lookup goes by.
 */
typedef enum
{
  OIP_PRODUCT_KEY_OFFER_ID,
  OIP_PRODUCT_KEY_PRODUCT_ID,
  OIP_PRODUCT_KEY_SKU,
} OipProductKey;

#define OIP_TYPE_PRODUCT (oip_product_get_type ())
G_DECLARE_FINAL_TYPE (OipProduct, oip_product, OIP, PRODUCT, GObject)

OipProduct         *oip_product_new                (gint64              product_id,
                                                    const char         *offer_id);
OipProduct         *oip_product_new_from_ozon_json (JsonObject         *item);
OipProduct         *oip_product_new_from_json      (JsonObject         *object);
JsonNode           *oip_product_to_json            (OipProduct         *self);

gint64              oip_product_get_product_id     (OipProduct         *self);
const char         *oip_product_get_offer_id       (OipProduct         *self);
gint64              oip_product_get_sku            (OipProduct         *self);
void                oip_product_set_sku            (OipProduct         *self,
                                                    gint64              sku);
const char         *oip_product_get_name           (OipProduct         *self);
void                oip_product_set_name           (OipProduct         *self,
                                                    const char         *name);
const char * const *oip_product_get_images         (OipProduct         *self);
void                oip_product_set_images         (OipProduct         *self,
                                                    const char * const *images);
const char         *oip_product_get_color_image    (OipProduct         *self);
void                oip_product_set_color_image    (OipProduct         *self,
                                                    const char         *color_image);
GDateTime          *oip_product_get_downloaded_at  (OipProduct         *self);
void                oip_product_set_downloaded_at  (OipProduct         *self,
                                                    GDateTime          *when);

G_END_DECLS
