/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * OipSigV4Request:
 * @method: GET, PUT, HEAD…
 * @path: the object path, not yet escaped (`/bucket/key`)
 * @query: (nullable): the query parameters as `name=value` pairs joined
 *   by `&`, not yet escaped
 * @headers: (element-type utf8): name, value, name, value…: every header
 *   to sign (the host among them)
 * @payload_hash: hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`
 *
 * What AWS Signature Version 4 signs of a request.
 */
typedef struct
{
  const char *method;
  const char *path;
  const char *query;
  GPtrArray  *headers;
  const char *payload_hash;
} OipSigV4Request;

char *oip_sigv4_hash_hex            (const guint8          *data,
                                     gsize                  length);
char *oip_sigv4_canonical_request   (const OipSigV4Request *request,
                                     char                 **signed_headers);
char *oip_sigv4_string_to_sign      (const char            *amz_date,
                                     const char            *region,
                                     const char            *service,
                                     const char            *canonical_request);
char *oip_sigv4_signature           (const char            *secret_access_key,
                                     const char            *amz_date,
                                     const char            *region,
                                     const char            *service,
                                     const char            *string_to_sign);
char *oip_sigv4_authorization       (const OipSigV4Request *request,
                                     const char            *access_key_id,
                                     const char            *secret_access_key,
                                     const char            *amz_date,
                                     const char            *region,
                                     const char            *service);
char *oip_sigv4_format_date         (GDateTime             *when);

G_END_DECLS
