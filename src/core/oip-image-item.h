/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

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
void          oip_image_item_set_placement (OipImageItem *self,
                                            guint         number,
                                            gboolean      is_main,
                                            gboolean      is_color,
                                            gboolean      over_limit);

G_END_DECLS
