/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "oip-error.h"
#include "oip-url.h"

/**
 * oip_url_has_only_url_characters:
 * @url: a string from the user
 *
 * Whether @url holds only what a URL may hold raw (RFC 3986): printable
 * ASCII without spaces, quotes, `<>{}|\\^` or backquotes, and `%` only as
 * the start of a `%XX` escape. Control characters (CR/LF split headers and
 * logs), U+FFFD (where oip_json_parse() put a `\u0000` or a broken byte)
 * and every other non-ASCII character are refused: an address with
 * Cyrillic or Chinese letters must be sent percent-encoded, as a browser's
 * address bar copies it, and a host in punycode (`xn--…`). At most
 * %OIP_URL_MAX_LENGTH bytes.
 */
gboolean
oip_url_has_only_url_characters (const char *url)
{
  gsize length = 0;

  if (url == NULL || *url == '\0')
    return FALSE;

  for (const guchar *p = (const guchar *) url; *p != '\0'; p++, length++)
    {
      if (length >= OIP_URL_MAX_LENGTH)
        return FALSE;
      if (*p <= 0x20 || *p >= 0x7f || strchr ("\"<>{}|\\^`", *p) != NULL)
        return FALSE;
      if (*p == '%' && !(g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2])))
        return FALSE;
    }
  return TRUE;
}

/**
 * oip_url_is_image_url:
 * @url: a string from the user
 *
 * Whether @url is an absolute http or https URL with a host and no user
 * name, written only with characters a URL can hold
 * (oip_url_has_only_url_characters()): the only kind Ozon can fetch an
 * image from.
 */
gboolean
oip_url_is_image_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (!oip_url_has_only_url_characters (url))
    return FALSE;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  return (g_ascii_strcasecmp (scheme, "https") == 0 ||
          g_ascii_strcasecmp (scheme, "http") == 0) &&
         host != NULL && *host != '\0' &&
         g_uri_get_userinfo (uri) == NULL;
}

/**
 * oip_url_is_local_file:
 *
 * Whether @url is a `file://` URI: a picture on this computer, to be
 * uploaded to the seller's storage before Ozon can have it.
 */
gboolean
oip_url_is_local_file (const char *url)
{
  return url != NULL && g_str_has_prefix (url, "file:///");
}

gboolean
oip_url_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * oip_url_check_api_base:
 * @url: a base URL for an API (Ozon's or an S3 endpoint)
 * @error: return location for an %OIP_ERROR_INSECURE_URL error
 *
 * Plain http would send the API key in clear text, so it is allowed only
 * when the host is this computer (the fake servers of the demo and tests).
 */
gboolean
oip_url_check_api_base (const char  *url,
                        GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (oip_url_has_only_url_characters (url))
    uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, OIP_ERROR, OIP_ERROR_INSECURE_URL,
                   _("“%s” is not a valid server address"), url);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") == 0 &&
      oip_url_host_is_loopback (g_uri_get_host (uri)))
    return TRUE;

  g_set_error (error, OIP_ERROR, OIP_ERROR_INSECURE_URL,
               _("Refusing to send credentials to “%s”: only https:// is allowed, "
                 "or http:// to this computer"), url);
  return FALSE;
}
