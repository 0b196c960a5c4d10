/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"


#include "oip-json.h"

/* Tolerant accessors: Ozon adds and removes fields over time (see
 * shared/ozon-api.md §8), so a missing or mistyped optional member reads as
 * empty instead of failing the whole answer. */

/**
 * oip_json_node_get_id:
 * @node: a JSON number or a string of digits
 * @out_id: (out): the id
 *
 * Ozon ids are int64 and may exceed 2^53, so they are never read through a
 * double: integers come from json-glib's int64 parsing, strings from
 * g_ascii_string_to_signed().
 *
 * Returns: %TRUE if @node held a positive id
 */
gboolean
oip_json_node_get_id (JsonNode *node,
                      gint64   *out_id)
{
  gint64 value = 0;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      value = json_node_get_int (node);
      break;
    case G_TYPE_STRING:
      if (!g_ascii_string_to_signed (json_node_get_string (node), 10, 1, G_MAXINT64, &value, NULL))
        return FALSE;
      break;
    default:
      return FALSE;
    }

  if (value <= 0)
    return FALSE;
  *out_id = value;
  return TRUE;
}

gint64
oip_json_object_get_id (JsonObject *object,
                        const char *member)
{
  gint64 value = 0;

  if (object == NULL || !oip_json_node_get_id (json_object_get_member (object, member), &value))
    return 0;
  return value;
}

const char *
oip_json_object_get_string (JsonObject *object,
                            const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonArray *
oip_json_object_get_array (JsonObject *object,
                           const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

JsonObject *
oip_json_object_get_object (JsonObject *object,
                            const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/**
 * oip_json_object_get_strv:
 *
 * Returns: (transfer full): the non-empty strings of an array member, or
 *   a single string member as a one-element list; never %NULL
 */
GStrv
oip_json_object_get_strv (JsonObject *object,
                          const char *member)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array = oip_json_object_get_array (object, member);
  const char *single = oip_json_object_get_string (object, member);

  if (single != NULL && *single != '\0')
    g_strv_builder_add (builder, single);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING &&
          *json_node_get_string (item) != '\0')
        g_strv_builder_add (builder, json_node_get_string (item));
    }

  return g_strv_builder_end (builder);
}

JsonNode *
oip_json_strv_node (const char * const *strv)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);
  json_node_take_array (node, array);
  return node;
}

/**
 * oip_json_parser_get_object:
 *
 * Returns: (transfer none) (nullable): the parsed root if it is an object;
 *   %NULL for an empty document or any other type
 */
JsonObject *
oip_json_parser_get_object (JsonParser *parser)
{
  JsonNode *root = json_parser_get_root (parser);

  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
}

char *
oip_json_to_string (JsonNode *node,
                    gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}
