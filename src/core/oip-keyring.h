/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

/* A healthy keyring answers in milliseconds; one that does not answer in
 * this time is not going to (a stopped daemon, a bus that never replies). */
#define OIP_KEYRING_DEFAULT_TIMEOUT  10
/* A person typing the keyring's password at the desktop's prompt. */
#define OIP_KEYRING_PROMPT_TIMEOUT   300

void      oip_keyring_set_interactive (gboolean             interactive);
gboolean  oip_keyring_get_interactive (void);
guint     oip_keyring_get_timeout     (void);

void      oip_keyring_search_async    (const SecretSchema  *schema,
                                       GHashTable          *attributes,
                                       gboolean             load_secrets,
                                       gboolean             need_all,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
GList    *oip_keyring_search_finish   (GAsyncResult        *result,
                                       GError             **error);
void      oip_keyring_list_free       (GList               *items);
void      oip_keyring_store_async     (const SecretSchema  *schema,
                                       GHashTable          *attributes,
                                       const char          *label,
                                       const char          *secret,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean  oip_keyring_store_finish    (GAsyncResult        *result,
                                       GError             **error);
void      oip_keyring_clear_async     (const SecretSchema  *schema,
                                       GHashTable          *attributes,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean  oip_keyring_clear_finish    (GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
