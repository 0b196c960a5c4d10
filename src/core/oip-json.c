/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>

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

static gboolean
is_hex4 (const char *p,
         gsize       left)
{
  if (left < 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    if (!g_ascii_isxdigit (p[i]))
      return FALSE;
  return TRUE;
}

static guint
hex4 (const char *p)
{
  return (g_ascii_xdigit_value (p[0]) << 12) | (g_ascii_xdigit_value (p[1]) << 8) |
         (g_ascii_xdigit_value (p[2]) << 4) | g_ascii_xdigit_value (p[3]);
}

/* One pass over the raw text, outside and inside strings, writing a clean
 * copy to @out: nesting depth, integers beyond int64 (json-glib would wrap
 * -18446744073709550615 to 1001) and raw NUL bytes are refused; escapes
 * that would cut a C string short (`\u0000`) or that are not valid JSON or
 * not valid UTF-16 (`\252`, a lone surrogate), which json-glib either
 * turns into invalid UTF-8 or refuses the whole document for, become
 * U+FFFD, so a URL with one is visibly invalid instead of silently
 * truncated, and one bad product name does not lose a whole answer. */
static gboolean
scan_json (const char  *data,
           gsize        length,
           GString     *out,
           GError     **error)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (c == '\0')
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("it contains a NUL byte"));
          return FALSE;
        }

      if (in_string)
        {
          if (c == '"')
            in_string = FALSE;
          if (c != '\\' || i + 1 >= length)
            {
              g_string_append_c (out, c);
              continue;
            }
          c = data[++i];
          if (c == 'u' && is_hex4 (data + i + 1, length - i - 1))
            {
              guint unit = hex4 (data + i + 1);

              if (unit >= 0xd800 && unit <= 0xdbff &&
                  i + 10 < length && data[i + 5] == '\\' && data[i + 6] == 'u' &&
                  is_hex4 (data + i + 7, length - i - 7) &&
                  hex4 (data + i + 7) >= 0xdc00 && hex4 (data + i + 7) <= 0xdfff)
                {
                  /* A surrogate pair: kept as it is. */
                  g_string_append_len (out, data + i - 1, 12);
                  i += 10;
                }
              else if (unit == 0 || (unit >= 0xd800 && unit <= 0xdfff))
                {
                  g_string_append (out, "\\ufffd");
                  i += 4;
                }
              else
                {
                  g_string_append_len (out, data + i - 1, 6);
                  i += 4;
                }
            }
          else if (strchr ("\"\\/bfnrt", c) != NULL)
            {
              g_string_append_c (out, '\\');
              g_string_append_c (out, c);
            }
          else
            /* Not an escape JSON has: the character stands for itself. */
            g_string_append (out, "\\ufffd");
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > OIP_JSON_MAX_DEPTH)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("it is nested more than %d levels deep"), OIP_JSON_MAX_DEPTH);
              return FALSE;
            }
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        case '-':
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
          {
            gboolean negative = c == '-';
            gsize start = negative ? i + 1 : i;
            gsize end = start;
            gsize first;
            gsize digits;

            while (end < length && g_ascii_isdigit (data[end]))
              end++;
            g_string_append_len (out, data + i, end - i);
            i = end - 1;
            /* A fraction or an exponent is a double, which does not wrap. */
            if (end < length && (data[end] == '.' || data[end] == 'e' || data[end] == 'E'))
              continue;
            for (first = start; first + 1 < end && data[first] == '0'; first++)
              ;
            digits = end - first;
            if (digits > 19 ||
                (digits == 19 && strncmp (data + first, negative ? "9223372036854775808"
                                                                 : "9223372036854775807", 19) > 0))
              {
                g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             _("the number %.*s is out of range"),
                             (int) MIN (end - (negative ? start - 1 : start), 40),
                             data + (negative ? start - 1 : start));
                return FALSE;
              }
          }
          continue;
        default:
          break;
        }
      g_string_append_c (out, c);
    }
  return TRUE;
}

/* json-glib accepts escapes that are not JSON (`\252`, lone surrogates)
 * and hands back invalid UTF-8: every string and member name is made
 * valid, so nothing downstream (labels, the database, output) sees it. */
static void
repair_strings (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING &&
          !g_utf8_validate (json_node_get_string (node), -1, NULL))
        {
          g_autofree char *valid = g_utf8_make_valid (json_node_get_string (node), -1);

          json_node_set_string (node, valid);
        }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          repair_strings (json_array_get_element (array, i));
      }
      break;

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        gboolean names_valid = TRUE;

        for (GList *l = members; l != NULL; l = l->next)
          {
            repair_strings (json_object_get_member (object, l->data));
            names_valid = names_valid && g_utf8_validate (l->data, -1, NULL);
          }

        if (!names_valid)
          {
            g_autoptr(JsonObject) repaired = json_object_new ();

            for (GList *l = members; l != NULL; l = l->next)
              {
                g_autofree char *name = g_utf8_make_valid (l->data, -1);

                json_object_set_member (repaired, name,
                                        json_node_copy (json_object_get_member (object, l->data)));
              }
            json_node_set_object (node, repaired);
          }
      }
      break;

    case JSON_NODE_NULL:
    default:
      break;
    }
}

/**
 * oip_json_parse:
 * @data: (array length=length) (nullable): the document
 * @length: its length in bytes
 * @max_size: the largest document accepted, such as %OIP_JSON_MAX_SIZE
 * @error: return location for a %G_IO_ERROR_INVALID_DATA error whose
 *   message says what is wrong, for the caller to put in its own words
 *
 * Parses JSON that came from outside: refuses empty, oversized and too
 * deeply nested documents, NUL bytes and integers beyond int64 before
 * json-glib sees them, and repairs invalid UTF-8 in what it returns.
 *
 * Returns: (transfer full): the root node (of any type), or %NULL
 */
JsonNode *
oip_json_parse (const char  *data,
                gsize        length,
                gsize        max_size,
                GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) clean = NULL;
  JsonNode *root;

  if (data == NULL || length == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("it is empty"));
      return NULL;
    }
  if (length > max_size)
    {
      g_autofree char *limit = g_format_size (max_size);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("it is larger than %s"), limit);
      return NULL;
    }

  clean = g_string_sized_new (length);
  if (!scan_json (data, length, clean, error))
    return NULL;
  /* Raw bytes that are not UTF-8: json-glib 1.10 refuses the whole
   * document for one of them, older ones pass them on. */
  if (!g_utf8_validate_len (clean->str, clean->len, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (clean->str, clean->len);

      g_string_assign (clean, valid);
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, clean->str, clean->len, &local_error))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, local_error->message);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("it is empty"));
      return NULL;
    }
  repair_strings (root);
  return root;
}
