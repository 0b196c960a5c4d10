/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

/* Ozon's Client-Ids are digits and its Api-Keys UUIDs (36 characters). */
#define OIP_CLIENT_ID_MAX_LENGTH 64
#define OIP_API_KEY_MAX_LENGTH   256

/**
 * OipCredentials:
 * @client_id: the seller's Client-Id (not secret)
 * @api_key: the Api-Key (secret: kept in the keyring or in memory only)
 */
typedef struct
{
  char *client_id;
  char *api_key;
} OipCredentials;

gboolean            oip_credentials_check_client_id (const char          *client_id,
                                                    GError             **error);
gboolean            oip_credentials_check          (const char           *client_id,
                                                    const char           *api_key,
                                                    GError              **error);
OipCredentials     *oip_credentials_new            (const char           *client_id,
                                                    const char           *api_key);
void                oip_credentials_free           (OipCredentials       *credentials);
OipCredentials     *oip_credentials_new_from_env   (GError              **error);
void                oip_env_secrets_take           (void);
const char         *oip_env_secret                 (const char           *name);

void                oip_credentials_lookup_async   (const char           *client_id,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
OipCredentials     *oip_credentials_lookup_finish  (GAsyncResult         *result,
                                                    GError              **error);
void                oip_credentials_store_async    (const OipCredentials *credentials,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean            oip_credentials_store_finish   (GAsyncResult         *result,
                                                    GError              **error);
void                oip_credentials_remove_async   (const char           *client_id,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean            oip_credentials_remove_finish  (GAsyncResult         *result,
                                                    GError              **error);

void                oip_credentials_list_async     (GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
GStrv               oip_credentials_list_finish    (GAsyncResult         *result,
                                                    GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipCredentials, oip_credentials_free)

G_END_DECLS
