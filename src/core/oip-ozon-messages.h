/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "oip-error.h"

G_BEGIN_DECLS

/* The largest answer read from Ozon: a page of 1000 products is about
 * 200 KB. */
#define OIP_OZON_MAX_ANSWER (8 * 1024 * 1024)

gboolean    oip_ozon_message_lookup    (const char  *ozon_message,
                                        const char  *ozon_code,
                                        OipError    *code,
                                        const char **sentence);
const char *oip_ozon_message_translate (const char  *ozon_message,
                                        const char  *ozon_code);
const char *oip_ozon_summary_for_code  (OipError     code);
GError     *oip_ozon_error_new         (guint        http_status,
                                        const char  *ozon_code,
                                        const char  *ozon_message);
GError     *oip_ozon_error_from_body   (guint        http_status,
                                        const char  *data,
                                        gsize        length);
gboolean    oip_ozon_body_is_error     (JsonObject  *root);

G_END_DECLS
