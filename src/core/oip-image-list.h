/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "oip-image-item.h"
#include "oip-product.h"
#include "oip-push-request.h"

G_BEGIN_DECLS

#define OIP_TYPE_IMAGE_LIST (oip_image_list_get_type ())
G_DECLARE_FINAL_TYPE (OipImageList, oip_image_list, OIP, IMAGE_LIST, GObject)

OipImageList   *oip_image_list_new          (void);
GListModel     *oip_image_list_get_model    (OipImageList  *self);
guint           oip_image_list_get_n_images (OipImageList  *self);
OipImageItem   *oip_image_list_get_color    (OipImageList  *self);
void            oip_image_list_reset        (OipImageList  *self,
                                             OipProduct    *product);
guint           oip_image_list_add_text     (OipImageList  *self,
                                             const char    *text,
                                             guint         *n_duplicates);
void            oip_image_list_remove       (OipImageList  *self,
                                             guint          position);
void            oip_image_list_move         (OipImageList  *self,
                                             guint          from,
                                             guint          to);
void            oip_image_list_set_main     (OipImageList  *self,
                                             guint          position);
void            oip_image_list_set_color    (OipImageList  *self,
                                             guint          position,
                                             gboolean       is_color);
gboolean        oip_image_list_replace_url  (OipImageList  *self,
                                             const char    *old_url,
                                             const char    *new_url);
OipPushRequest *oip_image_list_to_request   (OipImageList  *self,
                                             gint64         product_id);

G_END_DECLS
