/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "oip-application.h"
#include "oip-image-list.h"
#include "oip-push-job.h"

G_BEGIN_DECLS

#define OIP_TYPE_UPLOAD_DIALOG (oip_upload_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OipUploadDialog, oip_upload_dialog, OIP, UPLOAD_DIALOG, GtkWidget)

OipUploadDialog *oip_upload_dialog_new        (OipApplication  *application,
                                               OipProduct      *product,
                                               OipImageList    *list);
OipUploadDialog *oip_upload_dialog_new_for_job (OipApplication *application,
                                               OipProduct      *product,
                                               OipPushJob      *job);
OipPushJob      *oip_upload_dialog_get_job    (OipUploadDialog *self);
const char      *oip_upload_dialog_get_page   (OipUploadDialog *self);
gboolean         oip_upload_dialog_is_pushing (OipUploadDialog *self);
gboolean         oip_upload_dialog_is_checking (OipUploadDialog *self);
gboolean         oip_upload_dialog_succeeded  (OipUploadDialog *self);
const char      *oip_upload_dialog_get_status (OipUploadDialog *self);
char            *oip_upload_dialog_get_review_rows (OipUploadDialog *self);
char            *oip_upload_dialog_get_detail_rows (OipUploadDialog *self);

G_END_DECLS
