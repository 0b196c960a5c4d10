/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OIP_ERROR (oip_error_quark ())

/**
 * OipError:
 *
 * Every failure of the core library maps to one of these codes, so the GUI
 * and the command line choose their message, hint and exit code from the
 * code, never by parsing text.
 */
typedef enum
{
  OIP_ERROR_FAILED,
  OIP_ERROR_CREDENTIALS_MISSING,
  OIP_ERROR_KEYRING_UNAVAILABLE,
  OIP_ERROR_PRODUCT_NOT_FOUND,
  OIP_ERROR_NO_IMAGES,
  OIP_ERROR_VALIDATION,
  OIP_ERROR_INVALID_REQUEST,
  OIP_ERROR_INSECURE_URL,
  OIP_ERROR_INVALID_API_KEY,
  OIP_ERROR_API_KEY_DEACTIVATED,
  OIP_ERROR_API_KEY_ROLE,
  OIP_ERROR_API_KEY_IP,
  OIP_ERROR_ACCESS_DENIED,
  OIP_ERROR_REJECTED,
  OIP_ERROR_NOT_FOUND,
  OIP_ERROR_METHOD_GONE,
  OIP_ERROR_RATE_LIMITED,
  OIP_ERROR_SERVER,
  OIP_ERROR_TIMEOUT,
  OIP_ERROR_NETWORK,
  OIP_ERROR_BAD_RESPONSE,
  OIP_ERROR_IMPORT_FAILED,
  OIP_ERROR_IMPORT_PENDING,
  OIP_ERROR_STORE_CORRUPT,
  OIP_ERROR_IO,
  OIP_ERROR_STORAGE_NOT_CONFIGURED,
  OIP_ERROR_STORAGE_DENIED,
  OIP_ERROR_STORAGE,
  OIP_ERROR_IMAGE_REJECTED,
  OIP_ERROR_DATABASE,
  OIP_ERROR_DATABASE_BUSY,
  OIP_ERROR_DISK_FULL,
  OIP_ERROR_READ_ONLY,
  OIP_ERROR_PUSH_NOT_FOUND,
  OIP_ERROR_PARTIAL,
  OIP_ERROR_KEYRING_LOCKED,
  OIP_ERROR_CREDENTIALS_MALFORMED,
  OIP_ERROR_DAILY_LIMIT,
  OIP_ERROR_BULK_RUN_NOT_FOUND,
  OIP_ERROR_BULK_RUN_BUSY,
  OIP_ERROR_BULK_RUN_OTHER_ACCOUNT,
} OipError;

GQuark       oip_error_quark        (void);
const char  *oip_error_code_name    (int           code);
const char  *oip_error_hint         (int           code);
gboolean     oip_error_is_auth      (const GError *error);
GError      *oip_error_from_keyring (GError       *error);
void         oip_error_set_ozon_details (GError     *error,
                                         guint       http_status,
                                         const char *ozon_message);
const char  *oip_error_get_ozon_message (const GError *error);
guint        oip_error_get_http_status  (const GError *error);

G_END_DECLS
