/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

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
