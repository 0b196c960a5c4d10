/* SPDX-License-Identifier: GPL-3.0-or-later */
/* URL validation (image addresses, API and storage endpoints) and the
 * command line's --product-id and Client-ID rules, on any bytes. */
#include "config.h"

#include <string.h>
#include <glib.h>

#include "oip-credentials.h"
#include "oip-push-request.h"
#include "oip-url.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  if (oip_url_is_image_url (text))
    {
      /* Accepted: nothing a URL cannot hold raw, and short enough. */
      g_assert (oip_url_has_only_url_characters (text));
      g_assert (strlen (text) <= OIP_URL_MAX_LENGTH);
      for (const char *p = text; *p != '\0'; p++)
        g_assert (*p > 0x20 && *p < 0x7f);
    }
  if (oip_url_check_api_base (text, &error))
    g_assert (oip_url_has_only_url_characters (text));
  else
    g_assert (error != NULL);
  (void) oip_url_is_local_file (text);
  (void) oip_url_host_is_loopback (text);

  if (oip_push_request_parse_id (text, &id))
    {
      g_autofree char *again = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_assert (id > 0);
      g_assert (g_str_equal (again, text));
    }

  if (oip_credentials_check_client_id (text, NULL))
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (text));

      for (const char *p = trimmed; *p != '\0'; p++)
        g_assert (g_ascii_isalnum (*p) || *p == '.' || *p == '_' || *p == '-');
    }
  return 0;
}
