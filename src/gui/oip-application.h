/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "oip-context.h"
#include "oip-fake-ozon.h"
#include "oip-ozon-client.h"
#include "oip-product-store.h"
#include "oip-storage-config.h"

G_BEGIN_DECLS

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

G_END_DECLS
