/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "oip-error.h"

/* Ozon's own words and the HTTP status travel with the error, apart from
 * its message: the message is the seller's sentence (translated), the
 * details are for a tooltip, a details row and the command line's JSON. */
typedef struct
{
  guint  http_status;
  char  *ozon_message;
} OipErrorPrivate;

static void
oip_error_private_init (OipErrorPrivate *priv)
{
  priv->http_status = 0;
  priv->ozon_message = NULL;
}

static void
oip_error_private_copy (const OipErrorPrivate *src,
                        OipErrorPrivate       *dest)
{
  dest->http_status = src->http_status;
  dest->ozon_message = g_strdup (src->ozon_message);
}

static void
oip_error_private_clear (OipErrorPrivate *priv)
{
  g_clear_pointer (&priv->ozon_message, g_free);
}

G_DEFINE_EXTENDED_ERROR (OipError, oip_error)

typedef struct
{
  OipError    code;
  const char *name;   /* stable, for JSON output and scripts; never translated */
  const char *hint;   /* what the seller can do about it (translated on use) */
} ErrorInfo;

static const ErrorInfo error_table[] = {
  { OIP_ERROR_FAILED, "failed", N_("Try again. If it keeps failing, check the details above.") },
  { OIP_ERROR_CREDENTIALS_MISSING, "credentials_missing",
    N_("Configure your Ozon Client ID and API Key in Preferences, or run “ozon-push login”.") },
  { OIP_ERROR_KEYRING_UNAVAILABLE, "keyring_unavailable",
    N_("Unlock the system keyring, or set OZON_CLIENT_ID and OZON_API_KEY for this run.") },
  { OIP_ERROR_PRODUCT_NOT_FOUND, "product_not_found",
    N_("Download the product information first.") },
  { OIP_ERROR_NO_IMAGES, "no_images", N_("Add at least one image to push.") },
  { OIP_ERROR_VALIDATION, "validation", N_("Fix the listed images and try again.") },
  { OIP_ERROR_INVALID_REQUEST, "invalid_request", N_("Check the request file against the documented format.") },
  { OIP_ERROR_INSECURE_URL, "insecure_url", N_("Use an https:// address; plain http:// is only allowed for this computer.") },
  { OIP_ERROR_INVALID_API_KEY, "invalid_api_key", N_("Check the Client ID and API Key in your Ozon seller account.") },
  { OIP_ERROR_API_KEY_DEACTIVATED, "api_key_deactivated", N_("Generate a new API Key in your Ozon seller account.") },
  { OIP_ERROR_API_KEY_ROLE, "api_key_role", N_("Give the API Key the product management role in your Ozon seller account.") },
  { OIP_ERROR_API_KEY_IP, "api_key_ip_restricted", N_("Allow this computer’s IP address for the API Key, or remove the restriction.") },
  { OIP_ERROR_ACCESS_DENIED, "access_denied", N_("Check that your Ozon seller contract is signed and the key has access.") },
  { OIP_ERROR_REJECTED, "rejected", N_("Check the product and image addresses, then try again.") },
  { OIP_ERROR_NOT_FOUND, "not_found", N_("Check that the product exists on Ozon.") },
  { OIP_ERROR_METHOD_GONE, "method_gone", N_("Ozon switched this method off. Update Ozon Image Push.") },
  { OIP_ERROR_RATE_LIMITED, "rate_limited", N_("Wait a little and try again.") },
  { OIP_ERROR_SERVER, "server_error", N_("Ozon is having trouble. Try again in a few minutes.") },
  { OIP_ERROR_TIMEOUT, "timeout", N_("Check your connection, or raise the timeout in Preferences.") },
  { OIP_ERROR_NETWORK, "network", N_("Check your internet connection and try again.") },
  { OIP_ERROR_BAD_RESPONSE, "bad_response", N_("Ozon answered with something unexpected. Try again later.") },
  { OIP_ERROR_IMPORT_FAILED, "import_failed", N_("Check that every image address is public and points to a JPEG or PNG.") },
  { OIP_ERROR_IMPORT_PENDING, "import_pending", N_("Ozon is still importing. Check the product’s status later.") },
  { OIP_ERROR_STORE_CORRUPT, "store_corrupt", N_("Move the damaged file aside; it was left untouched.") },
  { OIP_ERROR_IO, "io", N_("Check that the file exists and can be read.") },
  { OIP_ERROR_STORAGE_NOT_CONFIGURED, "storage_not_configured",
    N_("Set up your storage (endpoint, bucket, public address, access key) in Preferences, or run “ozon-push storage set”.") },
  { OIP_ERROR_STORAGE_DENIED, "storage_denied", N_("Check the storage access key ID and secret, and that the key may write to the bucket.") },
  { OIP_ERROR_STORAGE, "storage_error", N_("Check the storage endpoint and bucket, then try again.") },
  { OIP_ERROR_IMAGE_REJECTED, "image_rejected", N_("Ozon takes JPEG or PNG pictures: convert or replace the file.") },
  { OIP_ERROR_DATABASE, "database", N_("Move the database file aside, or update Ozon Image Push if a newer version wrote it.") },
  { OIP_ERROR_DATABASE_BUSY, "database_busy",
    N_("Another Ozon Image Push (a window or an ozon-push command) is busy with the database. Wait for it to finish, then try again.") },
  { OIP_ERROR_DISK_FULL, "disk_full", N_("Free some disk space, then try again.") },
  { OIP_ERROR_READ_ONLY, "read_only", N_("Check that you may write to the folder and that its disk is not read-only.") },
  { OIP_ERROR_PUSH_NOT_FOUND, "push_not_found", N_("Run “ozon-push history” to see the recorded pushes.") },
  { OIP_ERROR_PARTIAL, "partial",
    N_("Check each failed image’s reason, replace or fix it, and push again; the images Ozon took are on the product.") },
  { OIP_ERROR_KEYRING_LOCKED, "keyring_locked",
    N_("Unlock the keyring (log in to the desktop, or open Passwords and Keys), or set OZON_CLIENT_ID and OZON_API_KEY for this run.") },
  { OIP_ERROR_CREDENTIALS_MALFORMED, "credentials_malformed",
    N_("Copy the Client ID (digits) and the API Key from your Ozon seller account (Settings → API keys) again, without spaces or line breaks.") },
  { OIP_ERROR_DAILY_LIMIT, "daily_limit",
    N_("Ozon’s daily limit on product changes resets at 03:00 Moscow time: resume the run then, or send fewer products.") },
  { OIP_ERROR_BULK_RUN_NOT_FOUND, "bulk_run_not_found",
    N_("Check the run’s ID: the runs made from this computer are in the history.") },
  { OIP_ERROR_BULK_RUN_BUSY, "bulk_run_busy",
    N_("Wait for the other process to finish or stop it, then resume the run.") },
  { OIP_ERROR_BULK_RUN_OTHER_ACCOUNT, "bulk_run_other_account",
    N_("Choose that account in Preferences (or ozon-push login --client-id ID), then resume the run.") },
};

static const ErrorInfo *
lookup (int code)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_table); i++)
    if ((int) error_table[i].code == code)
      return &error_table[i];
  return &error_table[0];
}

/**
 * oip_error_code_name:
 * @code: an #OipError
 *
 * Returns: the stable, untranslated name used in JSON output
 */
const char *
oip_error_code_name (int code)
{
  return lookup (code)->name;
}

/**
 * oip_error_hint:
 * @code: an #OipError
 *
 * Returns: a translated suggestion of what to do about the error
 */
const char *
oip_error_hint (int code)
{
  return _(lookup (code)->hint);
}

gboolean
oip_error_is_auth (const GError *error)
{
  return error != NULL && error->domain == OIP_ERROR &&
         (error->code == OIP_ERROR_INVALID_API_KEY ||
          error->code == OIP_ERROR_API_KEY_DEACTIVATED ||
          error->code == OIP_ERROR_API_KEY_ROLE ||
          error->code == OIP_ERROR_API_KEY_IP ||
          error->code == OIP_ERROR_ACCESS_DENIED ||
          error->code == OIP_ERROR_CREDENTIALS_MISSING);
}

/**
 * oip_error_from_keyring:
 * @error: (transfer full): what libsecret reported
 *
 * Any keyring failure but a cancellation means the keyring is not there
 * for us; a cancellation stays one, so callers can tell it apart.
 *
 * Returns: (transfer full): %OIP_ERROR_KEYRING_UNAVAILABLE, or @error
 *   itself when it is a cancellation
 */
GError *
oip_error_from_keyring (GError *error)
{
  GError *mapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;
  mapped = g_error_new (OIP_ERROR, OIP_ERROR_KEYRING_UNAVAILABLE,
                        _("The system keyring is not available: %s"), error->message);
  g_error_free (error);
  return mapped;
}

/**
 * oip_error_set_ozon_details:
 * @error: an %OIP_ERROR error
 * @http_status: the HTTP status of Ozon's answer, or 0
 * @ozon_message: (nullable): Ozon's own message, untranslated
 *
 * Keeps what Ozon said beside the seller's sentence in @error's message.
 */
void
oip_error_set_ozon_details (GError     *error,
                            guint       http_status,
                            const char *ozon_message)
{
  OipErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == OIP_ERROR);

  priv = oip_error_get_private (error);
  priv->http_status = http_status;
  g_free (priv->ozon_message);
  priv->ozon_message = g_strdup (ozon_message);
}

/**
 * oip_error_get_ozon_message:
 *
 * Returns: (nullable): Ozon's own words for @error, untranslated, if Ozon
 *   gave any
 */
const char *
oip_error_get_ozon_message (const GError *error)
{
  if (error == NULL || error->domain != OIP_ERROR)
    return NULL;
  return oip_error_get_private (error)->ozon_message;
}

/**
 * oip_error_get_http_status:
 *
 * Returns: the HTTP status of the answer behind @error, or 0
 */
guint
oip_error_get_http_status (const GError *error)
{
  if (error == NULL || error->domain != OIP_ERROR)
    return 0;
  return oip_error_get_private (error)->http_status;
}
