/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "oip-s3-client.h"

G_BEGIN_DECLS

/* Files sent at once by the app and the command line: enough to hide a
 * remote store's round trips, few enough to keep memory small (each
 * holds its file). */
#define OIP_UPLOAD_BATCH_PARALLEL 4

#define OIP_TYPE_UPLOAD_BATCH (oip_upload_batch_get_type ())
G_DECLARE_FINAL_TYPE (OipUploadBatch, oip_upload_batch, OIP, UPLOAD_BATCH, GObject)

OipUploadBatch *oip_upload_batch_new            (OipS3Client    *client,
                                                 GPtrArray      *files,
                                                 guint           max_parallel);
guint           oip_upload_batch_get_n_files    (OipUploadBatch *self);
guint           oip_upload_batch_get_n_done     (OipUploadBatch *self);
guint           oip_upload_batch_get_n_uploaded (OipUploadBatch *self);
guint64         oip_upload_batch_get_bytes_sent (OipUploadBatch *self);
guint64         oip_upload_batch_get_bytes_total (OipUploadBatch *self);
GPtrArray      *oip_upload_batch_get_warnings   (OipUploadBatch *self);
const char     *oip_upload_batch_get_url        (OipUploadBatch *self,
                                                 guint           index);
int             oip_upload_batch_get_failed_index (OipUploadBatch *self);
void            oip_upload_batch_run_async      (OipUploadBatch *self,
                                                 GCancellable   *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
GStrv           oip_upload_batch_run_finish     (OipUploadBatch *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);

G_END_DECLS
