/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Limits for JSON from outside (Ozon's answers, request files, stored
 * rows): json-glib's parser is recursive and its integers wrap, so every
 * untrusted document goes through oip_json_parse() first. */
#define OIP_JSON_MAX_DEPTH 64
#define OIP_JSON_MAX_SIZE  (16 * 1024 * 1024)

JsonNode   *oip_json_parse                   (const char  *data,
                                              gsize        length,
                                              gsize        max_size,
                                              GError     **error);

gboolean    oip_json_node_get_id             (JsonNode    *node,
                                              gint64      *out_id);
gint64      oip_json_object_get_id           (JsonObject  *object,
                                              const char  *member);
const char *oip_json_object_get_string       (JsonObject  *object,
                                              const char  *member);
GStrv       oip_json_object_get_strv         (JsonObject  *object,
                                              const char  *member);
JsonArray  *oip_json_object_get_array        (JsonObject  *object,
                                              const char  *member);
JsonObject *oip_json_object_get_object       (JsonObject  *object,
                                              const char  *member);
JsonNode   *oip_json_strv_node               (const char * const *strv);
JsonObject *oip_json_parser_get_object        (JsonParser  *parser);
char       *oip_json_to_string               (JsonNode    *node,
                                              gboolean     pretty);

G_END_DECLS
