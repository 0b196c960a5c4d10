/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "oip-application.h"
#include "oip-history-view.h"
#include "oip-image-list.h"
#include "oip-product.h"
#include "oip-upload-dialog.h"

G_BEGIN_DECLS

#define OIP_TYPE_WINDOW (oip_window_get_type ())
G_DECLARE_FINAL_TYPE (OipWindow, oip_window, OIP, WINDOW, AdwApplicationWindow)

OipWindow  *oip_window_new          (OipApplication *application);
void        oip_window_show_product (OipWindow      *self,
                                     OipProduct     *product);
OipProduct *oip_window_get_product  (OipWindow      *self);
void        oip_window_show_error   (OipWindow      *self,
                                     const GError   *error);
gboolean    oip_window_is_banner_shown (OipWindow   *self);
OipImageList *oip_window_get_images  (OipWindow      *self);
OipUploadDialog *oip_window_get_upload_dialog (OipWindow *self);
OipHistoryView *oip_window_get_history_view (OipWindow *self);
gboolean    oip_window_has_unpushed_changes (OipWindow *self);
AdwToast   *oip_window_get_toast    (OipWindow      *self);

G_END_DECLS
