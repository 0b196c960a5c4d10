/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "oip-json.h"

static JsonNode *
parse (const char  *text,
       GError     **error)
{
  return oip_json_parse (text, strlen (text), OIP_JSON_MAX_SIZE, error);
}

static void
test_nesting (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) fine = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* 75 KB of '[' overflowed json-glib's recursive parser's stack. */
  for (guint i = 0; i < 75 * 1024; i++)
    g_string_append_c (deep, '[');
  node = parse (deep->str, &error);
  g_assert_null (node);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  /* Brackets inside strings do not count. */
  g_string_append (fine, "{\"a\": \"");
  for (guint i = 0; i < 1000; i++)
    g_string_append (fine, "[{");
  g_string_append (fine, "\", \"b\": [[[[1]]]]}");
  node = parse (fine->str, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  /* Exactly the limit is fine, one more is not. */
  g_string_truncate (fine, 0);
  for (guint i = 0; i < OIP_JSON_MAX_DEPTH; i++)
    g_string_append_c (fine, '[');
  for (guint i = 0; i < OIP_JSON_MAX_DEPTH; i++)
    g_string_append_c (fine, ']');
  g_clear_pointer (&node, json_node_unref);
  node = parse (fine->str, &error);
  g_assert_no_error (error);
  g_string_prepend_c (fine, '[');
  g_string_append_c (fine, ']');
  g_clear_pointer (&node, json_node_unref);
  node = parse (fine->str, &error);
  g_assert_null (node);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_integers (void)
{
  const char *refused[] = {
    "{\"product_id\": -18446744073709550615}",
    "{\"product_id\": 18446744073709551617}",
    "{\"product_id\": 9223372036854775808}",
    "[-9223372036854775809]",
    "[123456789012345678901234567890]",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      node = parse (refused[i], &error);
      g_assert_null (node);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_clear_error (&error);
    }

  node = parse ("{\"a\": 9223372036854775807, \"b\": -9223372036854775808, \"c\": 1e400, "
                "\"d\": \"99999999999999999999999\", \"e\": 0.5}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "a"), ==, G_MAXINT64);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "b"), ==, G_MININT64);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "d"), ==,
                   "99999999999999999999999");
}

static void
test_strings (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  const char *url;
  static const char with_nul[] = "[\"a\0b\"]";

  /* `\u0000` would cut the address short; it is kept visibly wrong. */
  node = parse ("{\"url\": \"https://cdn.example.net/a.jpg\\u0000.evil\", \"ok\": \"\\\\u0000\"}", &error);
  g_assert_no_error (error);
  object = json_node_get_object (node);
  url = json_object_get_string_member (object, "url");
  g_assert_true (g_str_has_prefix (url, "https://cdn.example.net/a.jpg"));
  g_assert_true (g_str_has_suffix (url, ".evil"));
  g_assert_cmpstr (json_object_get_string_member (object, "ok"), ==, "\\u0000");
  g_clear_pointer (&node, json_node_unref);

  /* Escapes that are not JSON or not UTF-16, which json-glib either turns
   * into invalid UTF-8 (1.6) or refuses the document for (1.10): the name
   * survives, as valid UTF-8, on every version. */
  node = parse ("{\"name\": \"Mug \\252 \\ud83dx \\ud83d\\ude00\", \"\\ud800\": \"\\udfff\"}", &error);
  g_assert_no_error (error);
  {
    g_autoptr(GList) members = NULL;

    object = json_node_get_object (node);
    members = json_object_get_members (object);
    for (GList *l = members; l != NULL; l = l->next)
      {
        JsonNode *member = json_object_get_member (object, l->data);

        g_assert_true (g_utf8_validate (l->data, -1, NULL));
        g_assert_true (g_utf8_validate (json_node_get_string (member), -1, NULL));
      }
    g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "name"), "Mug "));
    /* A real pair stays the emoji it is. */
    g_assert_nonnull (strstr (json_object_get_string_member (object, "name"), "\xf0\x9f\x98\x80"));
  }

  /* Raw invalid bytes in a string. */
  g_clear_pointer (&node, json_node_unref);
  node = parse ("[\"\xff\xfe ok\"]", &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (json_array_get_string_element (json_node_get_array (node), 0), -1, NULL));
  g_assert_true (g_str_has_suffix (json_array_get_string_element (json_node_get_array (node), 0), " ok"));

  g_clear_pointer (&node, json_node_unref);
  node = oip_json_parse (with_nul, sizeof with_nul - 1, OIP_JSON_MAX_SIZE, &error);
  g_assert_null (node);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_empty_and_size (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = oip_json_parse (NULL, 0, OIP_JSON_MAX_SIZE, &error);
  g_assert_null (node);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  node = parse ("   \n ", &error);
  g_assert_null (node);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  node = oip_json_parse ("[1, 2, 3]", 9, 8, &error);
  g_assert_null (node);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  node = parse ("{\"truncated\": [1, 2", &error);
  g_assert_null (node);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json/nesting", test_nesting);
  g_test_add_func ("/json/integers", test_integers);
  g_test_add_func ("/json/strings", test_strings);
  g_test_add_func ("/json/empty-and-size", test_empty_and_size);
  return g_test_run ();
}
