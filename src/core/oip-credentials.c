/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "oip-credentials.h"
#include "oip-error.h"
#include "oip-keyring.h"

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

/**
 * oip_credentials_check_client_id:
 * @client_id: a Client-Id from the seller, a file, the environment or the
 *   keyring, surrounding spaces allowed
 *
 * Ozon's Client-Ids are numbers (digits); accepted is a token of 1 to
 * %OIP_CLIENT_ID_MAX_LENGTH ASCII letters, digits, `.`, `_` and `-`, so a
 * demo or test account can have a name, and nothing that could split an
 * HTTP header (CR, LF), a keyring label or a terminal line gets through.
 *
 * Returns: %TRUE if @client_id is acceptable; otherwise %FALSE with
 *   %OIP_ERROR_CREDENTIALS_MALFORMED
 */
gboolean
oip_credentials_check_client_id (const char  *client_id,
                                 GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (client_id ? client_id : ""));
  gsize length = strlen (trimmed);

  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (trimmed[i]) && trimmed[i] != '.' && trimmed[i] != '_' && trimmed[i] != '-')
      length = 0;
  if (length == 0 || length > OIP_CLIENT_ID_MAX_LENGTH)
    {
      g_set_error (error, OIP_ERROR, OIP_ERROR_CREDENTIALS_MALFORMED,
                   _("The Client ID must be the number from your Ozon seller account "
                     "(at most %d letters, digits, “.”, “_” or “-”, no spaces or line breaks)"),
                   OIP_CLIENT_ID_MAX_LENGTH);
      return FALSE;
    }
  return TRUE;
}

/**
 * oip_credentials_check:
 * @client_id: the Client-Id
 * @api_key: (nullable): the Api-Key, never put in the message
 *
 * Checks both before they go anywhere (the keyring, an HTTP header): the
 * Client-Id as oip_credentials_check_client_id() does; the Api-Key (a UUID
 * at Ozon) must be 1 to %OIP_API_KEY_MAX_LENGTH visible ASCII characters,
 * surrounding spaces allowed.
 *
 * Returns: %TRUE if both are acceptable; otherwise %FALSE with
 *   %OIP_ERROR_CREDENTIALS_MALFORMED
 */
gboolean
oip_credentials_check (const char  *client_id,
                       const char  *api_key,
                       GError     **error)
{
  g_autofree char *trimmed = NULL;
  gsize length;
  gboolean valid;

  if (!oip_credentials_check_client_id (client_id, error))
    return FALSE;
  if (api_key == NULL)
    return TRUE;

  trimmed = g_strstrip (g_strdup (api_key));
  length = strlen (trimmed);
  valid = length > 0 && length <= OIP_API_KEY_MAX_LENGTH;
  for (gsize i = 0; i < length && valid; i++)
    valid = trimmed[i] > 0x20 && trimmed[i] < 0x7f;
  memset (trimmed, 0, length);
  if (!valid)
    {
      g_set_error (error, OIP_ERROR, OIP_ERROR_CREDENTIALS_MALFORMED,
                   _("The API Key must be one line of at most %d letters, digits and signs, "
                     "without spaces or line breaks"),
                   OIP_API_KEY_MAX_LENGTH);
      return FALSE;
    }
  return TRUE;
}

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

/* Secrets given in the environment for one run. A child inherits the
 * environment: an auto-started dbus-daemon (D-Bus autolaunch), which
 * outlives the command, would keep the Api-Key for as long as it runs. So
 * they are read once, at start, and removed from the environment, the
 * bytes of the original overwritten so that /proc/PID/environ no longer
 * shows them either. */
static const char * const env_secret_names[] = { "OZON_API_KEY", "AWS_SECRET_ACCESS_KEY" };
static char *env_secrets[G_N_ELEMENTS (env_secret_names)];

/* Moves one variable from the environment into memory, if it is set. */
static void
take_env_secret (guint i)
{
  char *value = getenv (env_secret_names[i]);

  if (value == NULL)
    return;
  g_free (env_secrets[i]);
  env_secrets[i] = g_strdup (value);
  memset (value, 0, strlen (value));
  g_unsetenv (env_secret_names[i]);
}

/**
 * oip_env_secrets_take:
 *
 * Moves `OZON_API_KEY` and `AWS_SECRET_ACCESS_KEY` from the process
 * environment into memory. Call it first thing in main(), before anything
 * can spawn a process or start a thread; oip_env_secret() takes a variable
 * set later too. Not thread-safe, like setenv().
 */
void
oip_env_secrets_take (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (env_secret_names); i++)
    take_env_secret (i);
}

/**
 * oip_env_secret:
 * @name: `OZON_API_KEY` or `AWS_SECRET_ACCESS_KEY`
 *
 * Returns: (nullable): the secret the environment held (taken out of it
 *   now if it is still there), or %NULL
 */
const char *
oip_env_secret (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (env_secret_names); i++)
    if (g_str_equal (name, env_secret_names[i]))
      {
        take_env_secret (i);
        return env_secrets[i];
      }
  g_return_val_if_reached (NULL);
}

/**
 * oip_credentials_new_from_env:
 * @error: return location for %OIP_ERROR_CREDENTIALS_MALFORMED
 *
 * Returns: (transfer full) (nullable): credentials from `OZON_CLIENT_ID`
 *   and `OZON_API_KEY`, when both are set and not empty; %NULL without an
 *   error when they are not, with one when they cannot be used
 */
OipCredentials *
oip_credentials_new_from_env (GError **error)
{
  const char *client_id = g_getenv ("OZON_CLIENT_ID");
  const char *api_key = oip_env_secret ("OZON_API_KEY");

  if (client_id == NULL || *client_id == '\0' || api_key == NULL || *api_key == '\0')
    return NULL;
  if (!oip_credentials_check (client_id, api_key, error))
    {
      g_prefix_error (error, "%s", _("OZON_CLIENT_ID or OZON_API_KEY: "));
      return NULL;
    }
  return oip_credentials_new (client_id, api_key);
}

static void
on_lookup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GList *items = oip_keyring_search_finish (result, &error);
  SecretItem *newest = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SecretValue) value = NULL;
  const char *client_id;

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Several accounts and none chosen: the one saved last. */
  for (GList *l = items; l != NULL; l = l->next)
    if (newest == NULL || secret_item_get_modified (l->data) > secret_item_get_modified (newest))
      newest = l->data;

  if (newest == NULL)
    {
      g_task_return_new_error (task, OIP_ERROR, OIP_ERROR_CREDENTIALS_MISSING,
                               _("Ozon API credentials are not configured"));
      return;
    }

  attributes = secret_item_get_attributes (newest);
  client_id = g_hash_table_lookup (attributes, "client-id");
  value = secret_item_get_secret (newest);
  if (value == NULL || secret_value_get_text (value) == NULL)
    g_task_return_new_error (task, OIP_ERROR, OIP_ERROR_KEYRING_UNAVAILABLE,
                             _("The system keyring did not give the API Key"));
  /* Saved by an older version, or by hand: it would go in a header. */
  else if (!oip_credentials_check (client_id, secret_value_get_text (value), &error))
    {
      g_prefix_error (&error, "%s", _("The keyring holds an unusable Client ID or API Key: "));
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_pointer (task,
                           oip_credentials_new (client_id, secret_value_get_text (value)),
                           (GDestroyNotify) oip_credentials_free);

  oip_keyring_list_free (items);
}

/**
 * oip_credentials_lookup_async:
 * @client_id: (nullable): the account to look up; %NULL for the one saved
 *   last
 *
 * Looks up stored credentials, in bounded time (see oip-keyring.c). Fails
 * with %OIP_ERROR_CREDENTIALS_MISSING when none are stored,
 * %OIP_ERROR_KEYRING_LOCKED when the keyring is locked (and, on the
 * command line, is not unlocked: no prompt), and
 * %OIP_ERROR_KEYRING_UNAVAILABLE when it cannot be reached or does not
 * answer.
 */
void
oip_credentials_lookup_async (const char          *client_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_task_set_source_tag (task, oip_credentials_lookup_async);
  if (client_id != NULL && *client_id != '\0')
    g_hash_table_insert (attributes, (gpointer) "client-id", (gpointer) client_id);

  oip_keyring_search_async (&credentials_schema, attributes, TRUE, FALSE,
                            cancellable, on_lookup_done, g_steal_pointer (&task));
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
    oip_keyring_store_finish (result, &error);
  else
    oip_keyring_clear_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * oip_credentials_store_async:
 *
 * Saves (or replaces) the Api-Key of @credentials' Client-Id, after
 * checking both (oip_credentials_check()): this is the one way into the
 * keyring, for `ozon-push login` and the Preferences window alike.
 */
void
oip_credentials_store_async (const OipCredentials *credentials,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (credentials != NULL && credentials->client_id != NULL);

  g_task_set_source_tag (task, oip_credentials_store_async);
  if (!oip_credentials_check (credentials->client_id, credentials->api_key, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Translators: the keyring item's label; %s is the seller's Client-Id. */
  label = g_strdup_printf (_("Ozon API Key for Client ID %s"), credentials->client_id);
  g_hash_table_insert (attributes, (gpointer) "client-id", credentials->client_id);
  oip_keyring_store_async (&credentials_schema, attributes, label, credentials->api_key,
                           cancellable, on_store_done, g_steal_pointer (&task));
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
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_if_fail (client_id != NULL);

  g_task_set_source_tag (task, oip_credentials_remove_async);
  g_hash_table_insert (attributes, (gpointer) "client-id", (gpointer) client_id);
  oip_keyring_clear_async (&credentials_schema, attributes, cancellable, on_store_done, g_steal_pointer (&task));
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
  GList *items = oip_keyring_search_finish (result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (l->data);
      const char *client_id = g_hash_table_lookup (attributes, "client-id");

      if (client_id != NULL &&
          !g_ptr_array_find_with_equal_func (seen, client_id, g_str_equal, NULL))
        {
          g_ptr_array_add (seen, g_strdup (client_id));
          g_strv_builder_add (builder, client_id);
        }
    }
  oip_keyring_list_free (items);
  g_task_return_pointer (task, g_strv_builder_end (builder), (GDestroyNotify) g_strfreev);
}

/**
 * oip_credentials_list_async:
 *
 * Lists the Client-Ids that have a key in the keyring. No secret is read.
 * A locked keyring is %OIP_ERROR_KEYRING_LOCKED, never an empty list.
 */
void
oip_credentials_list_async (GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_task_set_source_tag (task, oip_credentials_list_async);
  oip_keyring_search_async (&credentials_schema, attributes, FALSE, TRUE,
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
