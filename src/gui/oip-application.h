/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "oip-context.h"
#include "oip-credentials.h"
#include "oip-draft.h"
#include "oip-fake-ozon.h"
#include "oip-ozon-client.h"
#include "oip-product-store.h"
#include "oip-storage-config.h"

G_BEGIN_DECLS

/* What the demo's built-in server accepts (`--demo`). */
#define OIP_DEMO_CLIENT_ID "demo"
#define OIP_DEMO_API_KEY "demo-key"

#define OIP_TYPE_APPLICATION (oip_application_get_type ())
G_DECLARE_FINAL_TYPE (OipApplication, oip_application, OIP, APPLICATION, AdwApplication)

OipApplication  *oip_application_new           (void);
gboolean         oip_application_is_demo       (OipApplication *self);
void             oip_application_set_demo      (OipApplication *self);
OipFakeOzon     *oip_application_get_demo_server (OipApplication *self);
OipStorageConfig *oip_application_get_demo_storage (OipApplication *self);
OipDatabase     *oip_application_get_database  (OipApplication *self);
OipProductStore *oip_application_get_store     (OipApplication *self);
OipContext      *oip_application_get_context   (OipApplication *self);
OipOzonClient   *oip_application_create_client (OipApplication *self,
                                                const char     *client_id,
                                                const char     *api_key,
                                                GError        **error);
OipDraftStore   *oip_application_get_drafts    (OipApplication *self);

void              oip_application_lookup_credentials_async  (OipApplication         *self,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
OipCredentials   *oip_application_lookup_credentials_finish (OipApplication         *self,
                                                             GAsyncResult           *result,
                                                             GError                **error);
void              oip_application_store_credentials_async   (OipApplication         *self,
                                                             const OipCredentials   *credentials,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
gboolean          oip_application_store_credentials_finish  (OipApplication         *self,
                                                             GAsyncResult           *result,
                                                             GError                **error);
void              oip_application_remove_credentials_async  (OipApplication         *self,
                                                             const char             *client_id,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
gboolean          oip_application_remove_credentials_finish (OipApplication         *self,
                                                             GAsyncResult           *result,
                                                             GError                **error);
void              oip_application_load_storage_async        (OipApplication         *self,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
OipStorageConfig *oip_application_load_storage_finish       (OipApplication         *self,
                                                             GAsyncResult           *result,
                                                             GError                **error);
void              oip_application_save_storage_async        (OipApplication         *self,
                                                             const OipStorageConfig *config,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
gboolean          oip_application_save_storage_finish       (OipApplication         *self,
                                                             GAsyncResult           *result,
                                                             GError                **error);

G_END_DECLS
