/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Longest text from a server (an error message, a header, a page title)
 * that is ever put in front of the seller. */
#define OIP_HTTP_MAX_TEXT 300

void      oip_http_send_async         (SoupSession          *session,
                                       SoupMessage          *message,
                                       gint64                deadline,
                                       gsize                 max_body,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
GBytes   *oip_http_send_finish        (SoupSession          *session,
                                       GAsyncResult         *result,
                                       GError              **error);

char     *oip_http_clean_text         (const char           *text,
                                       gssize                length,
                                       gsize                 max_chars);
char     *oip_http_html_title         (GBytes               *body);
char     *oip_http_redirect_target    (SoupMessage          *message,
                                       gboolean             *insecure);
gboolean  oip_http_parse_retry_after  (const char           *value,
                                       guint64               unit_seconds,
                                       guint64              *seconds);
char     *oip_http_format_wait        (guint64               seconds);

G_END_DECLS
