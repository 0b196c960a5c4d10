/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * OipStorageConfig:
 * @endpoint: the S3 API address (`https://ACCOUNT.r2.cloudflarestorage.com`)
 * @region: the signing region (`auto` for R2)
 * @bucket: the bucket
 * @public_url: where the bucket's objects are served publicly
 * @prefix: put before every object name, may be empty
 * @access_key_id: the access key ID
 * @secret_access_key: its secret (from the keyring or the environment)
 *
 * The seller's S3-compatible storage, where local pictures are uploaded
 * so that Ozon can fetch them.
 */
typedef struct
{
  char *endpoint;
  char *region;
  char *bucket;
  char *public_url;
  char *prefix;
  char *access_key_id;
  char *secret_access_key;
} OipStorageConfig;

OipStorageConfig *oip_storage_config_new              (void);
void              oip_storage_config_free             (OipStorageConfig    *config);
gboolean          oip_storage_config_check            (const OipStorageConfig *config,
                                                       GError             **error);
gboolean          oip_storage_config_check_keys       (const OipStorageConfig *config,
                                                       GError             **error);
void              oip_storage_config_load_async       (GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
OipStorageConfig *oip_storage_config_load_finish      (GAsyncResult        *result,
                                                       GError             **error);
gboolean          oip_storage_config_save_settings    (const OipStorageConfig *config,
                                                       GError             **error);
void              oip_storage_config_store_secret_async (const OipStorageConfig *config,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean          oip_storage_config_store_secret_finish (GAsyncResult        *result,
                                                          GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipStorageConfig, oip_storage_config_free)

G_END_DECLS
