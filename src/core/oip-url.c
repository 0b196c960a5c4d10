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

/**
 * oip_url_local_file_uri:
 * @text: what the seller typed, pasted or passed
 *
 * The one rule for “this is a file on this computer”: a path from `/`,
 * `./`, `../` or `~/`, or a `file://` URI. Anything else is taken as a
 * (maybe malformed) web address and validated as one, so a typo in a URL
 * is never mistaken for a file.
 *
 * Returns: (transfer full) (nullable): the file's absolute `file://` URI,
 *   or %NULL when @text does not name a local file
 */
char *
oip_url_local_file_uri (const char *text)
{
  g_autoptr(GFile) file = NULL;

  if (text == NULL)
    return NULL;
  if (g_str_has_prefix (text, "file://"))
    file = g_file_new_for_uri (text);
  else if (g_str_has_prefix (text, "~/"))
    file = g_file_new_build_filename (g_get_home_dir (), text + 2, NULL);
  else if (g_str_has_prefix (text, "/") || g_str_has_prefix (text, "./") || g_str_has_prefix (text, "../"))
    file = g_file_new_for_commandline_arg (text);
  else
    return NULL;
  return g_file_get_uri (file);
}

/**
 * oip_url_with_version:
 * @url: an http(s) address
 * @version: a short token of letters and digits
 *
 * The same address as a new one, for Ozon: Ozon does not fetch again an
 * address it already has, so a picture that must be fetched again gets an
 * `oipv` query parameter (replacing an earlier one). Storage and CDNs serve
 * the same object whatever the query says.
 *
 * Returns: (transfer full): the versioned address, or a copy of @url if
 *   it is not a URL
 */
char *
oip_url_with_version (const char *url,
                      const char *version)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GString) query = g_string_new (NULL);
  g_autoptr(GUri) versioned = NULL;
  const char *old = NULL;

  g_return_val_if_fail (version != NULL, NULL);
  if (uri == NULL)
    return g_strdup (url);

  old = g_uri_get_query (uri);
  if (old != NULL)
    {
      g_auto(GStrv) params = g_strsplit (old, "&", -1);

      for (guint i = 0; params[i] != NULL; i++)
        if (*params[i] != '\0' && !g_str_has_prefix (params[i], "oipv=") && !g_str_equal (params[i], "oipv"))
          g_string_append_printf (query, "%s%s", query->len ? "&" : "", params[i]);
    }
  g_string_append_printf (query, "%soipv=%s", query->len ? "&" : "", version);

  versioned = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), g_uri_get_userinfo (uri),
                           g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri),
                           query->str, g_uri_get_fragment (uri));
  return g_uri_to_string (versioned);
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
