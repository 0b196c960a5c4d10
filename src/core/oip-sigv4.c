/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "oip-sigv4.h"

/* AWS Signature Version 4, as S3 and S3-compatible stores (Cloudflare R2
 * among them) check it: a canonical request, a string to sign, and an
 * HMAC-SHA256 chain over date, region and service. Built on GLib's
 * GChecksum and GHmac only; tested against AWS's published examples. */

char *
oip_sigv4_hash_hex (const guint8 *data,
                    gsize         length)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, length);
}

/* RFC 3986 unreserved characters stay, everything else is %XX; in a path,
 * '/' separates segments and stays too. */
static char *
uri_encode (const char *text,
            gboolean    keep_slash)
{
  return g_uri_escape_string (text, keep_slash ? "/" : NULL, FALSE);
}

static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  const char * const *pa = a;
  const char * const *pb = b;

  return strcmp (pa[0], pb[0]);
}

static char *
canonical_query (const char *query)
{
  g_auto(GStrv) params = NULL;
  g_autoptr(GArray) pairs = g_array_new (FALSE, TRUE, sizeof (char *) * 2);
  g_autoptr(GString) out = g_string_new (NULL);

  if (query == NULL || *query == '\0')
    return g_strdup ("");

  params = g_strsplit (query, "&", -1);
  for (guint i = 0; params[i] != NULL; i++)
    {
      char *pair[2];
      char *equals = strchr (params[i], '=');

      if (*params[i] == '\0')
        continue;
      if (equals != NULL)
        *equals = '\0';
      pair[0] = uri_encode (params[i], FALSE);
      pair[1] = uri_encode (equals ? equals + 1 : "", FALSE);
      g_array_append_vals (pairs, pair, 1);
    }
  g_array_sort (pairs, compare_pairs);

  for (guint i = 0; i < pairs->len; i++)
    {
      char **pair = &g_array_index (pairs, char *, i * 2);

      g_string_append_printf (out, "%s%s=%s", i ? "&" : "", pair[0], pair[1]);
      g_free (pair[0]);
      g_free (pair[1]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Lower-case name; value trimmed, inner runs of spaces folded to one. */
static char *
canonical_value (const char *value)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '\t')
        space = out->len > 0;
      else
        {
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * oip_sigv4_canonical_request:
 * @signed_headers: (out) (optional): the `;`-joined header names
 *
 * Returns: (transfer full): the canonical request
 */
char *
oip_sigv4_canonical_request (const OipSigV4Request  *request,
                             char                  **signed_headers)
{
  g_autoptr(GArray) headers = g_array_new (FALSE, TRUE, sizeof (char *) * 2);
  g_autoptr(GString) canonical_headers = g_string_new (NULL);
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *path = uri_encode (request->path && *request->path ? request->path : "/", TRUE);
  g_autofree char *query = canonical_query (request->query);

  g_return_val_if_fail (request->headers->len % 2 == 0, NULL);

  for (guint i = 0; i < request->headers->len; i += 2)
    {
      char *pair[2] = {
        g_ascii_strdown (g_ptr_array_index (request->headers, i), -1),
        canonical_value (g_ptr_array_index (request->headers, i + 1)),
      };

      g_array_append_vals (headers, pair, 1);
    }
  g_array_sort (headers, compare_pairs);

  for (guint i = 0; i < headers->len; i++)
    {
      char **pair = &g_array_index (headers, char *, i * 2);

      g_string_append_printf (canonical_headers, "%s:%s\n", pair[0], pair[1]);
      g_string_append_printf (names, "%s%s", i ? ";" : "", pair[0]);
      g_free (pair[0]);
      g_free (pair[1]);
    }

  if (signed_headers != NULL)
    *signed_headers = g_strdup (names->str);

  return g_strdup_printf ("%s\n%s\n%s\n%s\n%s\n%s",
                          request->method, path, query, canonical_headers->str,
                          names->str, request->payload_hash);
}

/**
 * oip_sigv4_string_to_sign:
 * @amz_date: `YYYYMMDDTHHMMSSZ`
 */
char *
oip_sigv4_string_to_sign (const char *amz_date,
                          const char *region,
                          const char *service,
                          const char *canonical_request)
{
  g_autofree char *hash = oip_sigv4_hash_hex ((const guint8 *) canonical_request, strlen (canonical_request));

  g_return_val_if_fail (strlen (amz_date) == 16, NULL);
  return g_strdup_printf ("AWS4-HMAC-SHA256\n%s\n%.8s/%s/%s/aws4_request\n%s",
                          amz_date, amz_date, region, service, hash);
}

/* One link of the signing-key chain: HMAC-SHA256 (@key, @data) into @out.
 * HMAC takes a key of any length (a long one is hashed first), so the
 * first link takes "AWS4" + the secret as it is: R2's secrets are 64
 * characters, other providers' longer still. */
static void
hmac_step (const guint8 *key,
           gsize         key_length,
           const char   *data,
           guint8        out[32])
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_length);
  gsize out_length = 32;

  g_hmac_update (hmac, (const guchar *) data, strlen (data));
  g_hmac_get_digest (hmac, out, &out_length);
  g_assert (out_length == 32);
}

/**
 * oip_sigv4_signature:
 * @secret_access_key: the secret, of any length
 *
 * Returns: (transfer full): the hex signature of @string_to_sign
 */
char *
oip_sigv4_signature (const char *secret_access_key,
                     const char *amz_date,
                     const char *region,
                     const char *service,
                     const char *string_to_sign)
{
  g_autofree char *secret = NULL;
  g_autofree char *date = NULL;
  guint8 key[32];
  g_autoptr(GHmac) hmac = NULL;
  char *signature;

  g_return_val_if_fail (secret_access_key != NULL, NULL);
  g_return_val_if_fail (amz_date != NULL && strlen (amz_date) >= 8, NULL);

  secret = g_strconcat ("AWS4", secret_access_key, NULL);
  date = g_strndup (amz_date, 8);
  hmac_step ((const guint8 *) secret, strlen (secret), date, key);
  hmac_step (key, sizeof key, region, key);
  hmac_step (key, sizeof key, service, key);
  hmac_step (key, sizeof key, "aws4_request", key);

  hmac = g_hmac_new (G_CHECKSUM_SHA256, key, sizeof key);
  g_hmac_update (hmac, (const guchar *) string_to_sign, strlen (string_to_sign));
  signature = g_strdup (g_hmac_get_string (hmac));

  memset (key, 0, sizeof key);
  memset (secret, 0, strlen (secret));
  return signature;
}

/**
 * oip_sigv4_authorization:
 *
 * Returns: (transfer full): the `Authorization` header's value
 */
char *
oip_sigv4_authorization (const OipSigV4Request *request,
                         const char            *access_key_id,
                         const char            *secret_access_key,
                         const char            *amz_date,
                         const char            *region,
                         const char            *service)
{
  g_autofree char *signed_headers = NULL;
  g_autofree char *canonical = oip_sigv4_canonical_request (request, &signed_headers);
  g_autofree char *to_sign = oip_sigv4_string_to_sign (amz_date, region, service, canonical);
  g_autofree char *signature = oip_sigv4_signature (secret_access_key, amz_date, region, service, to_sign);

  return g_strdup_printf ("AWS4-HMAC-SHA256 Credential=%s/%.8s/%s/%s/aws4_request,SignedHeaders=%s,Signature=%s",
                          access_key_id, amz_date, region, service, signed_headers, signature);
}

/**
 * oip_sigv4_format_date:
 *
 * Returns: (transfer full): @when in UTC as `YYYYMMDDTHHMMSSZ`
 */
char *
oip_sigv4_format_date (GDateTime *when)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (when);

  return g_date_time_format (utc, "%Y%m%dT%H%M%SZ");
}
