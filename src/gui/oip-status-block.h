/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define OIP_TYPE_STATUS_BLOCK (oip_status_block_get_type ())
G_DECLARE_FINAL_TYPE (OipStatusBlock, oip_status_block, OIP, STATUS_BLOCK, GtkWidget)

GtkWidget  *oip_status_block_new             (void);
void        oip_status_block_set_icon_name   (OipStatusBlock *self,
                                              const char     *icon_name);
const char *oip_status_block_get_icon_name   (OipStatusBlock *self);
void        oip_status_block_set_title       (OipStatusBlock *self,
                                              const char     *title);
const char *oip_status_block_get_title       (OipStatusBlock *self);
void        oip_status_block_set_description (OipStatusBlock *self,
                                              const char     *description);
const char *oip_status_block_get_description (OipStatusBlock *self);

G_END_DECLS
