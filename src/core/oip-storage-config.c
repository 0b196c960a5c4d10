/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "oip-credentials.h"
#include "oip-error.h"
#include "oip-keyring.h"
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
 * oip_storage_config_check_keys:
 *
 * The access key ID goes into the Authorization header, the region into
 * the signature's scope, the secret into the HMAC only. Any length is
 * signed (R2's secrets are 64 characters, other providers' longer); what
 * is refused is what would break a header or the scope: control
 * characters (a CR/LF), spaces and non-ASCII in the ID and the secret, `/`
 * and `,` in the ID, anything but letters, digits, `-` and `_` in the
 * region.
 *
 * Returns: %TRUE when the access key ID, the secret (if set) and the
 *   region can be used; %OIP_ERROR_STORAGE_NOT_CONFIGURED otherwise
 */
gboolean
oip_storage_config_check_keys (const OipStorageConfig  *self,
                               GError                 **error)
{
  const char *id = self->access_key_id ? self->access_key_id : "";
  const char *secret = self->secret_access_key ? self->secret_access_key : "";
  const char *region = self->region ? self->region : "";
  gboolean id_ok = *id != '\0';
  gboolean secret_ok = TRUE;
  gboolean region_ok = TRUE;

  for (const char *p = id; *p != '\0' && id_ok; p++)
    id_ok = *p > 0x20 && *p < 0x7f && *p != '/' && *p != ',';
  for (const char *p = secret; *p != '\0' && secret_ok; p++)
    secret_ok = *p > 0x20 && *p < 0x7f;
  for (const char *p = region; *p != '\0' && region_ok; p++)
    region_ok = g_ascii_isalnum (*p) || *p == '-' || *p == '_';

  if (!id_ok)
    g_set_error_literal (error, OIP_ERROR, OIP_ERROR_STORAGE_NOT_CONFIGURED,
                         _("The access key ID must be one word of letters, digits and signs "
                           "(no spaces, line breaks, “/” or “,”)"));
  else if (!secret_ok)
    g_set_error_literal (error, OIP_ERROR, OIP_ERROR_STORAGE_NOT_CONFIGURED,
                         _("The secret access key must be one word of letters, digits and signs "
                           "(no spaces or line breaks)"));
  else if (!region_ok)
    g_set_error_literal (error, OIP_ERROR, OIP_ERROR_STORAGE_NOT_CONFIGURED,
                         _("The region must be letters, digits and “-” only, such as “auto” or “eu-central-1”"));
  return id_ok && secret_ok && region_ok;
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

  if (!oip_storage_config_check_keys (self, error))
    return FALSE;
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
  /* The secret was taken out of the environment at start. */
  const char *value = g_str_equal (name, "AWS_SECRET_ACCESS_KEY") ? oip_env_secret (name) : g_getenv (name);

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
  GList *items = oip_keyring_search_finish (result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (items != NULL)
    {
      g_autoptr(SecretValue) value = secret_item_get_secret (items->data);

      if (value != NULL && secret_value_get_text (value) != NULL)
        config->secret_access_key = g_strdup (secret_value_get_text (value));
    }
  oip_keyring_list_free (items);
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

  {
    g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);

    g_hash_table_insert (attributes, (gpointer) "endpoint", config->endpoint);
    g_hash_table_insert (attributes, (gpointer) "access-key-id", config->access_key_id);
    oip_keyring_search_async (&storage_schema, attributes, TRUE, FALSE, cancellable, on_secret,
                              g_steal_pointer (&task));
  }
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

  if (!oip_keyring_store_finish (result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * oip_storage_config_store_secret_async:
 *
 * Saves the secret access key in the keyring, for this endpoint and
 * access key ID, after checking them (oip_storage_config_check_keys()).
 */
void
oip_storage_config_store_secret_async (const OipStorageConfig *config,
                                       GCancellable           *cancellable,
                                       GAsyncReadyCallback     callback,
                                       gpointer                user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (!empty (config->endpoint) && !empty (config->access_key_id));
  g_return_if_fail (!empty (config->secret_access_key));

  g_task_set_source_tag (task, oip_storage_config_store_secret_async);
  if (!oip_storage_config_check_keys (config, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Translators: the keyring item's label; %s is an access key ID */
  label = g_strdup_printf (_("Ozon Image Push storage secret for %s"), config->access_key_id);
  g_hash_table_insert (attributes, (gpointer) "endpoint", config->endpoint);
  g_hash_table_insert (attributes, (gpointer) "access-key-id", config->access_key_id);
  oip_keyring_store_async (&storage_schema, attributes, label, config->secret_access_key,
                           cancellable, on_secret_stored, g_steal_pointer (&task));
}

gboolean
oip_storage_config_store_secret_finish (GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
