/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longer than any image address in use (a presigned S3 URL with a session
 * token is about 2 KB), short enough to stay out of trouble. */
#define OIP_URL_MAX_LENGTH 4096

gboolean oip_url_has_only_url_characters (const char *url);

gboolean oip_url_is_image_url   (const char  *url);
char    *oip_url_local_file_uri    (const char  *text);
char    *oip_url_with_version      (const char  *url,
                                   const char  *version);
gboolean oip_url_is_local_file  (const char  *url);
gboolean oip_url_host_is_loopback (const char *host);
gboolean oip_url_check_api_base (const char  *url,
                                 GError     **error);

G_END_DECLS
