/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "oip-storage-config.h"

G_BEGIN_DECLS

/**
 * OipS3ProgressFunc:
 * @sent: bytes of the body sent so far
 * @total: bytes of the body
 */
typedef void (*OipS3ProgressFunc) (guint64  sent,
                                   guint64  total,
                                   gpointer user_data);

#define OIP_TYPE_S3_CLIENT (oip_s3_client_get_type ())
G_DECLARE_FINAL_TYPE (OipS3Client, oip_s3_client, OIP, S3_CLIENT, GObject)

OipS3Client *oip_s3_client_new             (const OipStorageConfig *config,
                                            GError                **error);
void         oip_s3_client_set_max_retries (OipS3Client            *self,
                                            guint                   max_retries);
void         oip_s3_client_set_timeout     (OipS3Client            *self,
                                            guint                   seconds);
void         oip_s3_client_set_retry_delay (OipS3Client            *self,
                                            guint                   milliseconds);
char        *oip_s3_client_hash            (GBytes                 *content);
char        *oip_s3_client_key_for         (OipS3Client            *self,
                                            GBytes                 *content,
                                            const char             *extension);
char        *oip_s3_client_public_url      (OipS3Client            *self,
                                            const char             *key);
void         oip_s3_client_upload_async    (OipS3Client            *self,
                                            GBytes                 *content,
                                            const char             *content_sha256,
                                            const char             *content_type,
                                            const char             *extension,
                                            OipS3ProgressFunc       progress,
                                            gpointer                progress_data,
                                            GCancellable           *cancellable,
                                            GAsyncReadyCallback     callback,
                                            gpointer                user_data);
char        *oip_s3_client_upload_finish   (OipS3Client            *self,
                                            GAsyncResult           *result,
                                            gboolean               *uploaded,
                                            GError                **error);
void         oip_s3_client_test_async      (OipS3Client            *self,
                                            GCancellable           *cancellable,
                                            GAsyncReadyCallback     callback,
                                            gpointer                user_data);
gboolean     oip_s3_client_test_finish     (OipS3Client            *self,
                                            GAsyncResult           *result,
                                            GError                **error);

G_END_DECLS
