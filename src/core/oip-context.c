/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "oip-context.h"
#include "oip-credentials.h"
#include "oip-error.h"

/**
 * OipContext:
 *
 * Everything a push needs from around it, in one place that the
 * application owns (and the command line makes for one run): the
 * settings (timeout, retries, URL checks, the current account), the one
 * way the current account becomes an Ozon client, the one way the
 * storage settings become an S3 client, the product store and the push
 * history.
 *
 * Credentials come from the keyring (the account in `current-client-id`)
 * unless the context was given fixed ones: a request file's, the
 * environment's, or the demo's. The demo also forbids the keyring, so it
 * never reads or writes the seller's real credentials.
 */
struct _OipContext
{
  GObject           parent_instance;

  GSettings        *settings;        /* nullable: no schema installed */
  OipPushSettings   push;
  gboolean          push_overridden;
  char             *base_url;        /* NULL: Ozon's own */
  OipCredentials   *credentials;     /* fixed, or NULL: the keyring */
  OipStorageConfig *storage;         /* fixed, or NULL: settings + keyring */
  gboolean          keyring_allowed;
  OipProductStore  *store;
  OipHistory       *history;
  guint             poll_interval_ms;
  guint             retry_delay_ms;    /* 0: the client's own */
};

G_DEFINE_FINAL_TYPE (OipContext, oip_context, G_TYPE_OBJECT)

static void
load_push_settings (OipContext *self)
{
  if (self->push_overridden)
    return;

  self->push.timeout = 30;
  self->push.max_retries = 2;
  self->push.validate_urls = TRUE;
  if (self->settings == NULL)
    return;
  self->push.timeout = g_settings_get_uint (self->settings, "timeout");
  self->push.max_retries = g_settings_get_uint (self->settings, "max-retries");
  self->push.validate_urls = g_settings_get_boolean (self->settings, "validate-urls");
}

static void
on_settings_changed (GSettings  *settings,
                     const char *key,
                     OipContext *self)
{
  load_push_settings (self);
}

static void
oip_context_finalize (GObject *object)
{
  OipContext *self = (OipContext *)object;

  g_clear_object (&self->settings);
  g_free (self->base_url);
  g_clear_pointer (&self->credentials, oip_credentials_free);
  g_clear_pointer (&self->storage, oip_storage_config_free);
  g_clear_object (&self->store);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (oip_context_parent_class)->finalize (object);
}

static void
oip_context_class_init (OipContextClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oip_context_finalize;
}

static void
oip_context_init (OipContext *self)
{
  self->keyring_allowed = TRUE;
  /* Ozon suggests checking about 10 s after an import; a task often ends
   * sooner, and a quick first look costs one small request. */
  self->poll_interval_ms = 250;
}

/**
 * oip_context_new:
 * @settings: (nullable): the app's settings (oip_settings_new()); %NULL
 *   for the seed's defaults and no remembered account
 *
 * Returns: (transfer full): a context
 */
OipContext *
oip_context_new (GSettings *settings)
{
  OipContext *self = g_object_new (OIP_TYPE_CONTEXT, NULL);

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_signal_connect_object (settings, "changed", G_CALLBACK (on_settings_changed), self, 0);
    }
  load_push_settings (self);
  return self;
}

/**
 * oip_context_get_settings:
 *
 * Returns: (transfer none) (nullable): the app's settings
 */
GSettings *
oip_context_get_settings (OipContext *self)
{
  g_return_val_if_fail (OIP_IS_CONTEXT (self), NULL);
  return self->settings;
}

/**
 * oip_context_get_push_settings:
 *
 * Returns: (transfer none): timeout, retries and URL checks, as set now
 */
const OipPushSettings *
oip_context_get_push_settings (OipContext *self)
{
  g_return_val_if_fail (OIP_IS_CONTEXT (self), NULL);
  return &self->push;
}

/**
 * oip_context_override_push_settings:
 *
 * Fixes the push settings for this context, whatever the settings say:
 * the command line's `--timeout`, `--max-retries`, `--no-validate-urls`.
 */
void
oip_context_override_push_settings (OipContext            *self,
                                    const OipPushSettings *settings)
{
  g_return_if_fail (OIP_IS_CONTEXT (self));
  g_return_if_fail (settings != NULL && settings->timeout > 0);

  self->push = *settings;
  self->push_overridden = TRUE;
}

/**
 * oip_context_set_base_url:
 * @base_url: (nullable): the API's address; %NULL for Ozon's own
 */
void
oip_context_set_base_url (OipContext *self,
                          const char *base_url)
{
  g_return_if_fail (OIP_IS_CONTEXT (self));

  g_free (self->base_url);
  self->base_url = base_url != NULL && *base_url != '\0' ? g_strdup (base_url) : NULL;
}

/**
 * oip_context_set_credentials:
 * @client_id: (nullable): %NULL to go back to the keyring
 * @api_key: (nullable): kept in memory only
 *
 * Uses these credentials instead of the keyring's.
 */
void
oip_context_set_credentials (OipContext *self,
                             const char *client_id,
                             const char *api_key)
{
  g_return_if_fail (OIP_IS_CONTEXT (self));

  g_clear_pointer (&self->credentials, oip_credentials_free);
  if (client_id != NULL && api_key != NULL)
    self->credentials = oip_credentials_new (client_id, api_key);
}

/**
 * oip_context_set_storage:
 * @config: (nullable): the storage to upload to; %NULL for the saved one
 */
void
oip_context_set_storage (OipContext             *self,
                         const OipStorageConfig *config)
{
  g_return_if_fail (OIP_IS_CONTEXT (self));

  g_clear_pointer (&self->storage, oip_storage_config_free);
  if (config == NULL)
    return;
  /* Not oip_storage_config_new (): its default region and prefix would
   * leak under the copies. */
  self->storage = g_new0 (OipStorageConfig, 1);
  self->storage->endpoint = g_strdup (config->endpoint);
  self->storage->region = g_strdup (config->region);
  self->storage->bucket = g_strdup (config->bucket);
  self->storage->public_url = g_strdup (config->public_url);
  self->storage->prefix = g_strdup (config->prefix);
  self->storage->access_key_id = g_strdup (config->access_key_id);
  self->storage->secret_access_key = g_strdup (config->secret_access_key);
}

/**
 * oip_context_set_keyring_allowed:
 *
 * The demo forbids the keyring: it must never read or change the
 * seller's real credentials.
 */
void
oip_context_set_keyring_allowed (OipContext *self,
                                 gboolean    allowed)
{
  g_return_if_fail (OIP_IS_CONTEXT (self));
  self->keyring_allowed = allowed;
}

gboolean
oip_context_get_keyring_allowed (OipContext *self)
{
  g_return_val_if_fail (OIP_IS_CONTEXT (self), FALSE);
  return self->keyring_allowed;
}

/**
 * oip_context_get_store:
 *
 * Returns: (transfer none) (nullable): the downloaded products
 */
OipProductStore *
oip_context_get_store (OipContext *self)
{
  g_return_val_if_fail (OIP_IS_CONTEXT (self), NULL);
  return self->store;
}

void
oip_context_set_store (OipContext      *self,
                       OipProductStore *store)
{
  g_return_if_fail (OIP_IS_CONTEXT (self));
  g_set_object (&self->store, store);
}

/**
 * oip_context_get_history:
 *
 * Returns: (transfer none) (nullable): where pushes are recorded
 */
OipHistory *
oip_context_get_history (OipContext *self)
{
  g_return_val_if_fail (OIP_IS_CONTEXT (self), NULL);
  return self->history;
}

void
oip_context_set_history (OipContext *self,
                         OipHistory *history)
{
  g_return_if_fail (OIP_IS_CONTEXT (self));
  g_set_object (&self->history, history);
}

/**
 * oip_context_get_poll_interval:
 *
 * Returns: the first wait, in milliseconds, before asking Ozon how an
 *   import is going
 */
guint
oip_context_get_poll_interval (OipContext *self)
{
  g_return_val_if_fail (OIP_IS_CONTEXT (self), 0);
  return self->poll_interval_ms;
}

void
oip_context_set_poll_interval (OipContext *self,
                               guint       milliseconds)
{
  g_return_if_fail (OIP_IS_CONTEXT (self));
  self->poll_interval_ms = MAX (milliseconds, 1);
}

/**
 * oip_context_set_retry_delay:
 * @milliseconds: the first back-off before a retry, for the clients this
 *   context makes; 0 for theirs
 */
void
oip_context_set_retry_delay (OipContext *self,
                             guint       milliseconds)
{
  g_return_if_fail (OIP_IS_CONTEXT (self));
  self->retry_delay_ms = milliseconds;
}

/**
 * oip_context_create_client_for:
 *
 * A client for the given credentials (as Preferences tests them before
 * they are saved), with the context's address, timeout and retries.
 *
 * Returns: (transfer full) (nullable): the client
 */
OipOzonClient *
oip_context_create_client_for (OipContext  *self,
                               const char  *client_id,
                               const char  *api_key,
                               GError     **error)
{
  OipOzonClient *client;

  g_return_val_if_fail (OIP_IS_CONTEXT (self), NULL);

  client = oip_ozon_client_new (self->base_url, client_id, api_key, error);
  if (client == NULL)
    return NULL;
  oip_ozon_client_set_timeout (client, self->push.timeout);
  oip_ozon_client_set_max_retries (client, self->push.max_retries);
  if (self->retry_delay_ms > 0)
    oip_ozon_client_set_retry_delay (client, self->retry_delay_ms);
  return client;
}

static void
on_credentials (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OipContext *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(OipCredentials) credentials = oip_credentials_lookup_finish (result, &error);
  OipOzonClient *client = NULL;

  if (credentials != NULL)
    client = oip_context_create_client_for (self, credentials->client_id, credentials->api_key, &error);
  if (client == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, client, g_object_unref);
}

/**
 * oip_context_create_client_async:
 *
 * The one way the current account becomes an Ozon client: the fixed
 * credentials, else the keyring's for the account in `current-client-id`
 * (or the one saved last).
 */
void
oip_context_create_client_async (OipContext          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *current = NULL;

  g_return_if_fail (OIP_IS_CONTEXT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_context_create_client_async);

  if (self->credentials != NULL)
    {
      g_autoptr(GError) error = NULL;
      OipOzonClient *client = oip_context_create_client_for (self, self->credentials->client_id,
                                                             self->credentials->api_key, &error);

      if (client == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, client, g_object_unref);
      return;
    }

  if (!self->keyring_allowed)
    {
      g_task_return_new_error (task, OIP_ERROR, OIP_ERROR_CREDENTIALS_MISSING,
                               _("Ozon API credentials are not configured"));
      return;
    }

  if (self->settings != NULL)
    current = g_settings_get_string (self->settings, "current-client-id");
  oip_credentials_lookup_async (current, cancellable, on_credentials, g_steal_pointer (&task));
}

/**
 * oip_context_create_client_finish:
 *
 * Returns: (transfer full): the client, or %NULL with
 *   %OIP_ERROR_CREDENTIALS_MISSING, %OIP_ERROR_KEYRING_UNAVAILABLE…
 */
OipOzonClient *
oip_context_create_client_finish (OipContext    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
return_storage_client (GTask                  *task,
                       const OipStorageConfig *config)
{
  OipContext *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  OipS3Client *client = oip_s3_client_new (config, &error);

  if (client == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  oip_s3_client_set_max_retries (client, self->push.max_retries);
  if (self->retry_delay_ms > 0)
    oip_s3_client_set_retry_delay (client, self->retry_delay_ms);
  g_task_return_pointer (task, client, g_object_unref);
}

static void
on_storage_config (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipStorageConfig) config = oip_storage_config_load_finish (result, &error);

  if (config == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    return_storage_client (task, config);
}

/**
 * oip_context_create_storage_client_async:
 *
 * The one way the storage settings become an S3 client: the fixed
 * configuration, else the saved one (settings, the secret from the
 * keyring, the `AWS_*` environment variables over both).
 */
void
oip_context_create_storage_client_async (OipContext          *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OIP_IS_CONTEXT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_context_create_storage_client_async);

  if (self->storage != NULL)
    return_storage_client (task, self->storage);
  else if (!self->keyring_allowed)
    g_task_return_new_error (task, OIP_ERROR, OIP_ERROR_STORAGE_NOT_CONFIGURED,
                             _("The storage for uploaded pictures is not set up"));
  else
    oip_storage_config_load_async (cancellable, on_storage_config, g_steal_pointer (&task));
}

/**
 * oip_context_create_storage_client_finish:
 *
 * Returns: (transfer full): the client, or %NULL with
 *   %OIP_ERROR_STORAGE_NOT_CONFIGURED…
 */
OipS3Client *
oip_context_create_storage_client_finish (OipContext    *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
