/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <glib/gi18n-lib.h>

#include "oip-credentials.h"
#include "oip-error.h"

/* Ozon Api-Keys live in the default keyring collection, one item per
 * Client-Id, so several seller accounts can be kept side by side. */
static const SecretSchema credentials_schema = {
  "io.github.ozonpush.OzonImagePush.Credentials",
  SECRET_SCHEMA_NONE,
  {
    { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

OipCredentials *
oip_credentials_new (const char *client_id,
                     const char *api_key)
{
  OipCredentials *self;

  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (api_key != NULL, NULL);

  self = g_new0 (OipCredentials, 1);
  self->client_id = g_strstrip (g_strdup (client_id));
  self->api_key = g_strstrip (g_strdup (api_key));
  return self;
}

void
oip_credentials_free (OipCredentials *self)
{
  if (self == NULL)
    return;

  g_free (self->client_id);
  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_free (self->api_key);
  g_free (self);
}

/**
 * oip_credentials_new_from_env:
 *
 * Returns: (transfer full) (nullable): credentials from `OZON_CLIENT_ID`
 *   and `OZON_API_KEY`, when both are set and not empty
 */
OipCredentials *
oip_credentials_new_from_env (void)
{
  const char *client_id = g_getenv ("OZON_CLIENT_ID");
  const char *api_key = g_getenv ("OZON_API_KEY");

  if (client_id == NULL || *client_id == '\0' || api_key == NULL || *api_key == '\0')
    return NULL;
  return oip_credentials_new (client_id, api_key);
}

static void
on_secret_retrieved (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretValue) value = NULL;
  const char *client_id = g_task_get_task_data (task);

  value = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (source), result, &error);
  if (error != NULL)
    g_task_return_error (task, oip_error_from_keyring (g_steal_pointer (&error)));
  else if (value == NULL || client_id == NULL)
    g_task_return_new_error (task, OIP_ERROR, OIP_ERROR_KEYRING_UNAVAILABLE,
                             _("The keyring is locked"));
  else
    g_task_return_pointer (task,
                           oip_credentials_new (client_id, secret_value_get_text (value)),
                           (GDestroyNotify) oip_credentials_free);
}

static void
on_search_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GList *items = secret_password_search_finish (result, &error);
  SecretRetrievable *newest = NULL;

  if (error != NULL)
    {
      g_task_return_error (task, oip_error_from_keyring (g_steal_pointer (&error)));
      return;
    }

  /* Several accounts and none chosen: the one saved last. */
  for (GList *l = items; l != NULL; l = l->next)
    if (newest == NULL ||
        secret_retrievable_get_modified (l->data) > secret_retrievable_get_modified (newest))
      newest = l->data;

  if (newest == NULL)
    g_task_return_new_error (task, OIP_ERROR, OIP_ERROR_CREDENTIALS_MISSING,
                             _("Ozon API credentials are not configured"));
  else
    {
      GHashTable *attributes = secret_retrievable_get_attributes (newest);
      GCancellable *cancellable = g_task_get_cancellable (task);

      g_task_set_task_data (task, g_strdup (g_hash_table_lookup (attributes, "client-id")), g_free);
      g_hash_table_unref (attributes);
      secret_retrievable_retrieve_secret (newest, cancellable, on_secret_retrieved, g_steal_pointer (&task));
    }

  g_list_free_full (items, g_object_unref);
}

/**
 * oip_credentials_lookup_async:
 * @client_id: (nullable): the account to look up; %NULL for the one saved
 *   last
 *
 * Looks up stored credentials. Fails with %OIP_ERROR_CREDENTIALS_MISSING
 * when none are stored and %OIP_ERROR_KEYRING_UNAVAILABLE when the keyring
 * cannot be reached or stays locked.
 */
void
oip_credentials_lookup_async (const char          *client_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  /* libsecret keeps a reference to the table, not a copy: own the values. */
  g_autoptr(GHashTable) attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_task_set_source_tag (task, oip_credentials_lookup_async);
  if (client_id != NULL && *client_id != '\0')
    g_hash_table_insert (attributes, (gpointer) "client-id", g_strdup (client_id));

  secret_password_searchv (&credentials_schema, attributes,
                           SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                           cancellable, on_search_done, g_steal_pointer (&task));
}

/**
 * oip_credentials_lookup_finish:
 *
 * Returns: (transfer full): the credentials, or %NULL
 */
OipCredentials *
oip_credentials_lookup_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_store_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (g_task_get_source_tag (task) == oip_credentials_store_async)
    secret_password_store_finish (result, &error);
  else
    secret_password_clear_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, oip_error_from_keyring (g_steal_pointer (&error)));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * oip_credentials_store_async:
 *
 * Saves (or replaces) the Api-Key of @credentials' Client-Id.
 */
void
oip_credentials_store_async (const OipCredentials *credentials,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *label = NULL;

  g_return_if_fail (credentials != NULL && credentials->client_id != NULL);

  g_task_set_source_tag (task, oip_credentials_store_async);
  /* Translators: the keyring item's label; %s is the seller's Client-Id. */
  label = g_strdup_printf (_("Ozon API Key for Client ID %s"), credentials->client_id);
  secret_password_store (&credentials_schema, SECRET_COLLECTION_DEFAULT, label,
                         credentials->api_key, cancellable, on_store_done, g_steal_pointer (&task),
                         "client-id", credentials->client_id,
                         NULL);
}

gboolean
oip_credentials_store_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
oip_credentials_remove_async (const char          *client_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (client_id != NULL);

  g_task_set_source_tag (task, oip_credentials_remove_async);
  secret_password_clear (&credentials_schema, cancellable, on_store_done, g_steal_pointer (&task),
                         "client-id", client_id,
                         NULL);
}

gboolean
oip_credentials_remove_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_list_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  GList *items = secret_password_search_finish (result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, oip_error_from_keyring (g_steal_pointer (&error)));
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      const char *client_id = g_hash_table_lookup (attributes, "client-id");

      if (client_id != NULL &&
          !g_ptr_array_find_with_equal_func (seen, client_id, g_str_equal, NULL))
        {
          g_ptr_array_add (seen, g_strdup (client_id));
          g_strv_builder_add (builder, client_id);
        }
    }
  g_list_free_full (items, g_object_unref);
  g_task_return_pointer (task, g_strv_builder_end (builder), (GDestroyNotify) g_strfreev);
}

/**
 * oip_credentials_list_async:
 *
 * Lists the Client-Ids that have a key in the keyring. No secret is read.
 */
void
oip_credentials_list_async (GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_task_set_source_tag (task, oip_credentials_list_async);
  secret_password_searchv (&credentials_schema, attributes, SECRET_SEARCH_ALL,
                           cancellable, on_list_done, g_steal_pointer (&task));
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/**
 * oip_credentials_list_finish:
 *
 * Returns: (transfer full): the stored Client-Ids, sorted; empty when none
 */
GStrv
oip_credentials_list_finish (GAsyncResult  *result,
                             GError       **error)
{
  GStrv ids;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  ids = g_task_propagate_pointer (G_TASK (result), error);
  if (ids != NULL)
    qsort (ids, g_strv_length (ids), sizeof (char *), compare_strings);
  return ids;
}
