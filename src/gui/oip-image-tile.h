/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "oip-image-item.h"

G_BEGIN_DECLS

typedef enum
{
  OIP_TILE_LOADING,
  OIP_TILE_LOADED,
  OIP_TILE_FAILED,
  OIP_TILE_INVALID,
} OipTileState;

#define OIP_TYPE_IMAGE_TILE (oip_image_tile_get_type ())
G_DECLARE_FINAL_TYPE (OipImageTile, oip_image_tile, OIP, IMAGE_TILE, GtkWidget)

GtkWidget    *oip_image_tile_new         (OipImageItem *item,
                                          gboolean      editable);
OipImageItem *oip_image_tile_get_item    (OipImageTile *self);
OipTileState  oip_image_tile_get_state   (OipImageTile *self);
const char   *oip_image_tile_get_caption (OipImageTile *self);
void          oip_image_tile_set_note    (OipImageTile *self,
                                          const char   *note);
GtkWidget    *oip_image_tile_new_small   (OipImageItem *item);
void          oip_image_tile_preload_async  (OipImageItem        *item,
                                             int                  scale,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean      oip_image_tile_preload_finish (GAsyncResult        *result,
                                             GError             **error);
void          oip_image_tile_set_small   (OipImageTile *self,
                                          gboolean      small);
void          oip_image_tile_set_last    (OipImageTile *self,
                                          gboolean      last);
void          oip_image_tile_popup_menu  (OipImageTile *self);
GActionGroup *oip_image_tile_get_actions (OipImageTile *self);

G_END_DECLS
