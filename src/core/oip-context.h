/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "oip-history.h"
#include "oip-ozon-client.h"
#include "oip-product-store.h"
#include "oip-s3-client.h"
#include "oip-settings.h"
#include "oip-storage-config.h"

G_BEGIN_DECLS

#define OIP_TYPE_CONTEXT (oip_context_get_type ())
G_DECLARE_FINAL_TYPE (OipContext, oip_context, OIP, CONTEXT, GObject)

OipContext            *oip_context_new                        (GSettings              *settings);
GSettings             *oip_context_get_settings               (OipContext             *self);
const OipPushSettings *oip_context_get_push_settings          (OipContext             *self);
void                   oip_context_override_push_settings     (OipContext             *self,
                                                               const OipPushSettings  *settings);
void                   oip_context_set_base_url               (OipContext             *self,
                                                               const char             *base_url);
void                   oip_context_set_credentials            (OipContext             *self,
                                                               const char             *client_id,
                                                               const char             *api_key);
void                   oip_context_set_storage                (OipContext             *self,
                                                               const OipStorageConfig *config);
void                   oip_context_set_keyring_allowed        (OipContext             *self,
                                                               gboolean                allowed);
gboolean               oip_context_get_keyring_allowed        (OipContext             *self);
OipProductStore       *oip_context_get_store                  (OipContext             *self);
void                   oip_context_set_store                  (OipContext             *self,
                                                               OipProductStore        *store);
OipHistory            *oip_context_get_history                (OipContext             *self);
void                   oip_context_set_history                (OipContext             *self,
                                                               OipHistory             *history);
guint                  oip_context_get_poll_interval          (OipContext             *self);
void                   oip_context_set_poll_interval          (OipContext             *self,
                                                               guint                   milliseconds);
void                   oip_context_set_retry_delay            (OipContext             *self,
                                                               guint                   milliseconds);

OipOzonClient         *oip_context_create_client_for          (OipContext             *self,
                                                               const char             *client_id,
                                                               const char             *api_key,
                                                               GError                **error);
void                   oip_context_create_client_async        (OipContext             *self,
                                                               GCancellable           *cancellable,
                                                               GAsyncReadyCallback     callback,
                                                               gpointer                user_data);
OipOzonClient         *oip_context_create_client_finish       (OipContext             *self,
                                                               GAsyncResult           *result,
                                                               GError                **error);
void                   oip_context_create_storage_client_async  (OipContext           *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
OipS3Client           *oip_context_create_storage_client_finish (OipContext           *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

G_END_DECLS
