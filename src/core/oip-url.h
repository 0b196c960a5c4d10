/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean oip_url_is_image_url   (const char  *url);
char    *oip_url_local_file_uri    (const char  *text);
char    *oip_url_with_version      (const char  *url,
                                   const char  *version);
gboolean oip_url_is_local_file  (const char  *url);
gboolean oip_url_host_is_loopback (const char *host);
gboolean oip_url_check_api_base (const char  *url,
                                 GError     **error);

G_END_DECLS
