/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "oip-error.h"
#include "oip-settings.h"
#include "oip-storage-config.h"
#include "oip-url.h"

/* The storage secret, like the Api-Key, lives in the keyring only: one
 * item per endpoint and access key ID. */
static const SecretSchema storage_schema = {
  "io.github.ozonpush.OzonImagePush.Storage",
  SECRET_SCHEMA_NONE,
  {
    { "endpoint", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "access-key-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

OipStorageConfig *
oip_storage_config_new (void)
{
  OipStorageConfig *self = g_new0 (OipStorageConfig, 1);

  self->region = g_strdup ("auto");
  self->prefix = g_strdup ("");
  return self;
}

void
oip_storage_config_free (OipStorageConfig *self)
{
  if (self == NULL)
    return;
  g_free (self->endpoint);
  g_free (self->region);
  g_free (self->bucket);
  g_free (self->public_url);
  g_free (self->prefix);
  g_free (self->access_key_id);
  if (self->secret_access_key != NULL)
    memset (self->secret_access_key, 0, strlen (self->secret_access_key));
  g_free (self->secret_access_key);
  g_free (self);
}

static gboolean
empty (const char *value)
{
  return value == NULL || *value == '\0';
}

/**
 * oip_storage_config_check:
 *
 * Returns: %TRUE when every field is there and the endpoint may carry
 *   credentials (https, or http to this computer)
 */
gboolean
oip_storage_config_check (const OipStorageConfig  *self,
                          GError                 **error)
{
  g_autoptr(GString) missing = g_string_new (NULL);
  const struct { const char *value; const char *name; } fields[] = {
    /* Translators: names of the storage settings, listed when missing */
    { self->endpoint, N_("endpoint") },
    { self->bucket, N_("bucket") },
    { self->public_url, N_("public address") },
    { self->access_key_id, N_("access key ID") },
    { self->secret_access_key, N_("secret access key") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (empty (fields[i].value))
      g_string_append_printf (missing, "%s%s", missing->len ? ", " : "", _(fields[i].name));
  if (missing->len > 0)
    {
      g_set_error (error, OIP_ERROR, OIP_ERROR_STORAGE_NOT_CONFIGURED,
                   _("The storage for uploaded pictures is not set up (missing: %s)"), missing->str);
      return FALSE;
    }

  if (!oip_url_check_api_base (self->endpoint, error))
    return FALSE;
  if (!oip_url_is_image_url (self->public_url))
    {
      g_set_error (error, OIP_ERROR, OIP_ERROR_STORAGE_NOT_CONFIGURED,
                   _("“%s” is not a web address Ozon can fetch pictures from"), self->public_url);
      return FALSE;
    }
  return TRUE;
}

static void
take_env (char       **field,
          const char  *name)
{
  const char *value = g_getenv (name);

  if (!empty (value))
    {
      g_free (*field);
      *field = g_strdup (value);
    }
}

/* Task data: owns the configuration until it is handed over. */
typedef struct
{
  OipStorageConfig *config;
} Loading;

static void
loading_free (Loading *loading)
{
  g_clear_pointer (&loading->config, oip_storage_config_free);
  g_free (loading);
}

static void
return_config (GTask *task)
{
  Loading *loading = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!oip_storage_config_check (loading->config, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&loading->config), (GDestroyNotify) oip_storage_config_free);
}

static void
on_secret (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OipStorageConfig *config = ((Loading *) g_task_get_task_data (task))->config;
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, oip_error_from_keyring (g_steal_pointer (&error)));
      return;
    }
  config->secret_access_key = g_strdup (secret);
  secret_password_free (secret);
  return_config (task);
}

/**
 * oip_storage_config_load_async:
 *
 * Reads the storage settings (GSettings), the secret (keyring), and the
 * environment's overrides for scripts: `AWS_ENDPOINT_URL_S3` (or
 * `AWS_ENDPOINT_URL`), `AWS_REGION`, `AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY`, `OZON_PUSH_S3_BUCKET`, `OZON_PUSH_S3_PUBLIC_URL`
 * and `OZON_PUSH_S3_PREFIX`.
 */
void
oip_storage_config_load_async (GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GSettings) settings = oip_settings_new ();
  Loading *loading = g_new0 (Loading, 1);
  OipStorageConfig *config;

  g_task_set_source_tag (task, oip_storage_config_load_async);
  loading->config = config = oip_storage_config_new ();
  g_task_set_task_data (task, loading, (GDestroyNotify) loading_free);

  if (settings != NULL)
    {
      g_clear_pointer (&config->region, g_free);
      g_clear_pointer (&config->prefix, g_free);
      config->endpoint = g_settings_get_string (settings, "storage-endpoint");
      config->region = g_settings_get_string (settings, "storage-region");
      config->bucket = g_settings_get_string (settings, "storage-bucket");
      config->public_url = g_settings_get_string (settings, "storage-public-url");
      config->prefix = g_settings_get_string (settings, "storage-prefix");
      config->access_key_id = g_settings_get_string (settings, "storage-access-key-id");
    }

  take_env (&config->endpoint, "AWS_ENDPOINT_URL");
  take_env (&config->endpoint, "AWS_ENDPOINT_URL_S3");
  take_env (&config->region, "AWS_REGION");
  take_env (&config->access_key_id, "AWS_ACCESS_KEY_ID");
  take_env (&config->secret_access_key, "AWS_SECRET_ACCESS_KEY");
  take_env (&config->bucket, "OZON_PUSH_S3_BUCKET");
  take_env (&config->public_url, "OZON_PUSH_S3_PUBLIC_URL");
  take_env (&config->prefix, "OZON_PUSH_S3_PREFIX");
  if (empty (config->region))
    {
      g_free (config->region);
      config->region = g_strdup ("auto");
    }

  if (!empty (config->secret_access_key) || empty (config->endpoint) || empty (config->access_key_id))
    {
      return_config (task);
      return;
    }

  secret_password_lookup (&storage_schema, cancellable, on_secret, g_steal_pointer (&task),
                          "endpoint", config->endpoint,
                          "access-key-id", config->access_key_id,
                          NULL);
}

/**
 * oip_storage_config_load_finish:
 *
 * Returns: (transfer full): a complete, checked configuration, or %NULL
 *   with %OIP_ERROR_STORAGE_NOT_CONFIGURED saying what is missing
 */
OipStorageConfig *
oip_storage_config_load_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * oip_storage_config_save_settings:
 *
 * Writes everything but the secret to GSettings.
 */
gboolean
oip_storage_config_save_settings (const OipStorageConfig  *config,
                                  GError                 **error)
{
  g_autoptr(GSettings) settings = oip_settings_new ();

  if (settings == NULL)
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_IO, _("The settings schema is not installed"));
      return FALSE;
    }
  g_settings_delay (settings);
  g_settings_set_string (settings, "storage-endpoint", config->endpoint ? config->endpoint : "");
  g_settings_set_string (settings, "storage-region", config->region ? config->region : "auto");
  g_settings_set_string (settings, "storage-bucket", config->bucket ? config->bucket : "");
  g_settings_set_string (settings, "storage-public-url", config->public_url ? config->public_url : "");
  g_settings_set_string (settings, "storage-prefix", config->prefix ? config->prefix : "");
  g_settings_set_string (settings, "storage-access-key-id", config->access_key_id ? config->access_key_id : "");
  g_settings_apply (settings);
  return TRUE;
}

static void
on_secret_stored (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_task_return_error (task, oip_error_from_keyring (g_steal_pointer (&error)));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * oip_storage_config_store_secret_async:
 *
 * Saves the secret access key in the keyring, for this endpoint and
 * access key ID.
 */
void
oip_storage_config_store_secret_async (const OipStorageConfig *config,
                                       GCancellable           *cancellable,
                                       GAsyncReadyCallback     callback,
                                       gpointer                user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *label = NULL;

  g_return_if_fail (!empty (config->endpoint) && !empty (config->access_key_id));
  g_return_if_fail (!empty (config->secret_access_key));

  g_task_set_source_tag (task, oip_storage_config_store_secret_async);
  /* Translators: the keyring item's label; %s is an access key ID */
  label = g_strdup_printf (_("Ozon Image Push storage secret for %s"), config->access_key_id);
  secret_password_store (&storage_schema, SECRET_COLLECTION_DEFAULT, label, config->secret_access_key,
                         cancellable, on_secret_stored, g_steal_pointer (&task),
                         "endpoint", config->endpoint,
                         "access-key-id", config->access_key_id,
                         NULL);
}

gboolean
oip_storage_config_store_secret_finish (GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
