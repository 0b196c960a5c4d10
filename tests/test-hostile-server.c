/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <libsoup/soup.h>

#include "oip-error.h"
#include "oip-s3-client.h"
#include "oip-test-util.h"

/* Every endpoint the clients call, against a server that answers what
 * it likes: each field the parsers read with each wrong type, empty,
 * cut-off, huge, deep, broken UTF-8, HTML, NUL bytes, every redirect, every
 * error status, a drip, silence, a body without end. Each must end in a
 * clean OIP_ERROR (or a correct result) within the deadline, with no
 * CRITICAL (G_DEBUG=fatal-warnings), and never show the Api-Key. The
 * matrix is generated from the tables below. */

/* Deadlines here are short so the slow cases stay quick. */
#define SLOW_TIMEOUT 1
#define SLACK_MS 2000

typedef enum
{
  CALL_INFO,
  CALL_LIST,
  CALL_ACCESS,
  CALL_IMPORT,
  CALL_STATUS,
  CALL_PICTURES,
  N_CALLS,
} CallKind;

/* Field kinds a value may satisfy: what the parser accepts there. */
enum
{
  K_STRING = 1 << 0,  /* a string */
  K_ID = 1 << 1,      /* a positive int64, or its digits in a string */
  K_COUNT = 1 << 2,   /* 0 or more, idem */
  K_STRINGS = 1 << 3, /* an array of strings, or one string */
  K_OBJECT = 1 << 4,
  K_LIST = 1 << 5,    /* an array of objects */
  K_CODE = 1 << 6,    /* a string or an integer */
};

typedef struct
{
  const char *path;       /* dots between members and indexes */
  guint       kinds;
  gboolean    required;
} FieldSpec;

typedef struct
{
  const char *name;
  const char *path;
  const char *valid;      /* a real answer's shape (shared/ozon-api.md) */
  FieldSpec   fields[16];
} Endpoint;

static const Endpoint endpoints[N_CALLS] = {
  [CALL_INFO] = { "info", "/v3/product/info/list",
    "{\"items\":[{\"id\":214365879,\"offer_id\":\"ART-1001\",\"sku\":1733002211,\"name\":\"Mug 350 ml\","
    "\"images\":[\"https://cdn.example.net/p/1001/main-v3.jpg\",\"https://cdn.example.net/p/1001/side-v3.jpg\"],"
    "\"primary_image\":[],\"color_image\":[],\"statuses\":{\"status\":\"price_sent\",\"is_created\":true},\"errors\":[]}]}",
    { { "items", K_LIST, TRUE }, { "items.0", K_OBJECT, TRUE }, { "items.0.id", K_ID, TRUE },
      { "items.0.offer_id", K_STRING, TRUE }, { "items.0.sku", K_COUNT, FALSE }, { "items.0.name", K_STRING, FALSE },
      { "items.0.images", K_STRINGS, FALSE }, { "items.0.images.0", K_STRING, FALSE },
      { "items.0.primary_image", K_STRINGS, FALSE }, { "items.0.color_image", K_STRINGS, FALSE }, { NULL } } },
  [CALL_LIST] = { "list", "/v3/product/list",
    "{\"result\":{\"items\":[{\"product_id\":214365879,\"offer_id\":\"ART-1001\",\"sku\":1733002211,\"archived\":false,"
    "\"has_fbo_stocks\":false,\"has_fbs_stocks\":true,\"is_discounted\":false,\"quants\":[]}],"
    "\"last_id\":\"WzIxNDM2NTg3OV0=\",\"total\":1,\"total_items\":1}}",
    { { "result", K_OBJECT, TRUE }, { "result.items", K_LIST, TRUE }, { "result.items.0", K_OBJECT, TRUE },
      { "result.items.0.product_id", K_ID, TRUE }, { "result.items.0.offer_id", K_STRING, TRUE },
      { "result.items.0.sku", K_COUNT, FALSE }, { "result.last_id", K_STRING, FALSE },
      { "result.total_items", K_COUNT, FALSE }, { "result.total", K_COUNT, FALSE }, { NULL } } },
  [CALL_ACCESS] = { "access", "/v3/product/list",
    "{\"result\":{\"items\":[{\"product_id\":214365879,\"offer_id\":\"ART-1001\",\"sku\":1733002211}],"
    "\"last_id\":\"WzIxNDM2NTg3OV0=\",\"total_items\":3}}",
    { { "result", K_OBJECT, TRUE }, { "result.items", K_LIST, TRUE }, { "result.items.0", K_OBJECT, TRUE },
      { "result.items.0.product_id", K_ID, TRUE }, { "result.items.0.offer_id", K_STRING, TRUE },
      { "result.total_items", K_COUNT, FALSE }, { NULL } } },
  [CALL_IMPORT] = { "import", "/v2/product/pictures/import",
    "{\"task_id\":881234567}",
    { { "task_id", K_ID, TRUE }, { NULL } } },
  [CALL_STATUS] = { "status", "/v1/product/import/info",
    "{\"result\":{\"items\":[{\"offer_id\":\"ART-1001\",\"product_id\":214365879,\"status\":\"failed\","
    "\"errors\":[{\"code\":\"all_image_failed\",\"message\":\"could not download the image by link\","
    "\"description\":\"check the link\",\"level\":\"error\"}]}],\"total\":1}}",
    { { "result", K_OBJECT, TRUE }, { "result.items", K_LIST, TRUE }, { "result.items.0", K_OBJECT, TRUE },
      { "result.items.0.offer_id", K_STRING, FALSE }, { "result.items.0.product_id", K_COUNT, FALSE },
      { "result.items.0.status", K_STRING, FALSE }, { "result.items.0.errors", K_LIST, FALSE },
      { "result.items.0.errors.0", K_OBJECT, FALSE }, { "result.items.0.errors.0.code", K_CODE, FALSE },
      { "result.items.0.errors.0.message", K_STRING, FALSE },
      { "result.items.0.errors.0.description", K_STRING, FALSE }, { NULL } } },
  [CALL_PICTURES] = { "pictures", "/v2/product/pictures/info",
    "{\"items\":[{\"product_id\":214365879,\"primary_photo\":[],\"color_photo\":[],"
    "\"photo\":[\"https://cdn.example.net/p/1001/main-v3.jpg\"],"
    "\"errors\":[{\"url\":\"https://cdn.example.net/p/1001/back-v3.jpg\",\"message\":\"file size exceeded\"}]}]}",
    { { "items", K_LIST, TRUE }, { "items.0", K_OBJECT, TRUE }, { "items.0.product_id", K_COUNT, FALSE },
      { "items.0.primary_photo", K_STRINGS, FALSE }, { "items.0.photo", K_STRINGS, FALSE },
      { "items.0.photo.0", K_STRING, FALSE }, { "items.0.color_photo", K_STRINGS, FALSE },
      { "items.0.errors", K_LIST, FALSE }, { "items.0.errors.0", K_OBJECT, FALSE },
      { "items.0.errors.0.url", K_STRING, FALSE }, { "items.0.errors.0.message", K_STRING, FALSE }, { NULL } } },
};

/* Values put in place of each field, with the kinds each one is; `null`
 * reads as absent. */
static const struct { const char *json; guint kinds; } values[] = {
  { "null", 0 },
  { "true", 0 },
  { "0", K_COUNT | K_CODE },
  { "-1", K_CODE },
  { "1.5", 0 },
  { "9223372036854775807", K_ID | K_COUNT | K_CODE },
  { "\"\"", K_STRING | K_STRINGS | K_CODE },
  { "\"x\"", K_STRING | K_STRINGS | K_CODE },
  { "\"12\"", K_STRING | K_STRINGS | K_ID | K_COUNT | K_CODE },
  { "[]", K_STRINGS | K_LIST },
  { "{}", K_OBJECT },
  { "[1]", 0 },
  { "[{}]", K_LIST },
  { "[[[]]]", 0 },
};

typedef struct
{
  OipFakeOzon   *fake;
  OipOzonClient *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  oip_test_empty_dirs ();
  fixture->fake = oip_test_fake_new ();
  fixture->client = oip_test_client_new (fixture->fake);
  oip_ozon_client_set_max_retries (fixture->client, 1);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  oip_test_assert_finalize (fixture->client);
  oip_test_assert_finalize (fixture->fake);
}

static void
start_call (OipOzonClient       *client,
            CallKind             kind,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GPtrArray) images = g_ptr_array_new ();

  switch (kind)
    {
    case CALL_INFO:
      oip_ozon_client_get_product_async (client, OIP_PRODUCT_KEY_OFFER_ID, "ART-1001", NULL, callback, user_data);
      break;
    case CALL_LIST:
      oip_ozon_client_list_products_async (client, 1, NULL, callback, user_data);
      break;
    case CALL_ACCESS:
      oip_ozon_client_check_access_async (client, NULL, callback, user_data);
      break;
    case CALL_IMPORT:
      g_ptr_array_add (images, (gpointer) "https://cdn.example.net/p/1001/main-v4.jpg");
      oip_ozon_client_import_pictures_async (client, "ART-1001", images, NULL, NULL, NULL, callback, user_data);
      break;
    case CALL_STATUS:
      oip_ozon_client_get_import_status_async (client, 881234567, "ART-1001", NULL, callback, user_data);
      break;
    case CALL_PICTURES:
      oip_ozon_client_get_pictures_async (client, 214365879, NULL, callback, user_data);
      break;
    case N_CALLS:
    default:
      g_assert_not_reached ();
    }
}

static void
assert_text (const char *text)
{
  if (text == NULL)
    return;
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_null (strstr (text, TEST_API_KEY));
}

static void
assert_strv (const char * const *strv)
{
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    assert_text (strv[i]);
}

/* Returns whether the call succeeded; whatever it returned is checked
 * to be valid text. */
static gboolean
finish_call (OipOzonClient  *client,
             CallKind        kind,
             GAsyncResult   *result,
             GError        **error)
{
  switch (kind)
    {
    case CALL_INFO:
      {
        g_autoptr(OipProduct) product = oip_ozon_client_get_product_finish (client, result, error);

        if (product != NULL)
          {
            assert_text (oip_product_get_offer_id (product));
            assert_text (oip_product_get_name (product));
            assert_strv (oip_product_get_images (product));
          }
        return product != NULL;
      }
    case CALL_LIST:
      {
        g_autoptr(GPtrArray) products = oip_ozon_client_list_products_finish (client, result, error);

        for (guint i = 0; products != NULL && i < products->len; i++)
          assert_text (oip_product_get_offer_id (g_ptr_array_index (products, i)));
        return products != NULL;
      }
    case CALL_ACCESS:
      return oip_ozon_client_check_access_finish (client, result, error) >= 0;
    case CALL_IMPORT:
      return oip_ozon_client_import_pictures_finish (client, result, error) > 0;
    case CALL_STATUS:
      {
        g_autoptr(OipImportStatus) status = oip_ozon_client_get_import_status_finish (client, result, error);

        for (guint i = 0; status != NULL && i < status->errors->len; i++)
          assert_text (g_ptr_array_index (status->errors, i));
        return status != NULL;
      }
    case CALL_PICTURES:
      {
        g_autoptr(OipPictures) pictures = oip_ozon_client_get_pictures_finish (client, result, error);

        if (pictures != NULL)
          {
            assert_strv ((const char * const *) pictures->images);
            for (guint i = 0; i < pictures->errors->len; i++)
              {
                OipImageError *image_error = g_ptr_array_index (pictures->errors, i);

                assert_text (image_error->url);
                assert_text (image_error->message);
              }
          }
        return pictures != NULL;
      }
    case N_CALLS:
    default:
      g_assert_not_reached ();
    }
}

/* A clean error: ours, in valid and bounded words, without the key. */
static void
assert_clean_error (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == OIP_ERROR);
  assert_text (error->message);
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), <, 1000);
  assert_text (oip_error_get_ozon_message (error));
}

static gboolean
run_call (Fixture   *fixture,
          CallKind   kind,
          GError   **error,
          gint64    *elapsed_ms)
{
  g_autoptr(GAsyncResult) result = NULL;
  gint64 elapsed;
  gboolean ok;

  start_call (fixture->client, kind, oip_test_on_ready, &result);
  elapsed = oip_test_wait_elapsed_ms (&result);
  ok = finish_call (fixture->client, kind, result, error);
  if (elapsed_ms != NULL)
    *elapsed_ms = elapsed;
  return ok;
}

/* A copy of @node with the value at @segments replaced by @value. */
static JsonNode *
replaced (JsonNode  *node,
          char     **segments,
          JsonNode  *value)
{
  JsonNode *copy;

  if (segments[0] == NULL)
    return json_node_copy (value);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonObject *out = json_object_new ();
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (out, l->data,
                                g_str_equal (l->data, segments[0])
                                ? replaced (json_object_get_member (object, l->data), segments + 1, value)
                                : json_node_copy (json_object_get_member (object, l->data)));
      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (copy, out);
      return copy;
    }

  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  {
    JsonArray *array = json_node_get_array (node);
    JsonArray *out = json_array_new ();
    guint index = (guint) g_ascii_strtoull (segments[0], NULL, 10);

    for (guint i = 0; i < json_array_get_length (array); i++)
      json_array_add_element (out, i == index ? replaced (json_array_get_element (array, i), segments + 1, value)
                                              : json_node_copy (json_array_get_element (array, i)));
    copy = json_node_new (JSON_NODE_ARRAY);
    json_node_take_array (copy, out);
    return copy;
  }
}

static char *
mutate (const char *valid,
        const char *path,
        const char *value_json)
{
  g_autoptr(JsonNode) root = json_from_string (valid, NULL);
  g_autoptr(JsonNode) value = json_from_string (value_json, NULL);
  g_auto(GStrv) segments = g_strsplit (path, ".", -1);
  g_autoptr(JsonNode) out = NULL;

  g_assert_nonnull (root);
  g_assert_nonnull (value);
  out = replaced (root, segments, value);
  return json_to_string (out, FALSE);
}

/* 1. The valid answers work, so the matrix below tests the fields. */
static void
test_valid_answers (Fixture       *fixture,
                    gconstpointer  data)
{
  for (CallKind kind = 0; kind < N_CALLS; kind++)
    {
      g_autoptr(GError) error = NULL;

      oip_fake_ozon_inject_answer (fixture->fake, endpoints[kind].path, 200, NULL, endpoints[kind].valid, -1, 1);
      g_assert_true (run_call (fixture, kind, &error, NULL));
      g_assert_no_error (error);
      oip_fake_ozon_clear_faults (fixture->fake);
    }
}

/* 2. Every field the parsers read, with every value. */
static void
test_wrong_types (Fixture       *fixture,
                  gconstpointer  data)
{
  guint n_cases = 0;
  guint n_refused = 0;

  for (CallKind kind = 0; kind < N_CALLS; kind++)
    for (guint f = 0; endpoints[kind].fields[f].path != NULL; f++)
      for (guint v = 0; v < G_N_ELEMENTS (values); v++)
        {
          const FieldSpec *field = &endpoints[kind].fields[f];
          g_autofree char *body = mutate (endpoints[kind].valid, field->path, values[v].json);
          g_autoptr(GError) error = NULL;
          gboolean is_null = g_str_equal (values[v].json, "null");
          gboolean wrong = is_null ? field->required : (values[v].kinds & field->kinds) == 0;
          gboolean ok;

          oip_fake_ozon_inject_answer (fixture->fake, endpoints[kind].path, 200, NULL, body, -1, 1);
          ok = run_call (fixture, kind, &error, NULL);
          oip_fake_ozon_clear_faults (fixture->fake);
          n_cases++;

          if (wrong && ok)
            g_error ("%s %s = %s was taken", endpoints[kind].name, field->path, values[v].json);
          if (!ok)
            {
              assert_clean_error (error);
              n_refused++;
            }
          if (wrong)
            g_assert_true (g_error_matches (error, OIP_ERROR, OIP_ERROR_BAD_RESPONSE) ||
                           g_error_matches (error, OIP_ERROR, OIP_ERROR_NOT_FOUND));
        }
  g_test_message ("%u wrong-type cases, %u refused", n_cases, n_refused);
}

static char *
deep (guint levels)
{
  GString *text = g_string_new ("{\"items\":");

  for (guint i = 0; i < levels; i++)
    g_string_append_c (text, '[');
  return g_string_free (text, FALSE);
}

static char *
huge (void)
{
  GString *text = g_string_new ("{\"items\":[");

  while (text->len < 9 * 1024 * 1024)
    g_string_append (text, "\"https://cdn.example.net/p/1001/side-v3.jpg\",");
  g_string_append (text, "\"x\"]}");
  return g_string_free (text, FALSE);
}

typedef struct
{
  const char *name;
  guint       status;
  const char *headers[3];
  const char *body;        /* NULL: built by the test */
  gssize      length;
  OipError    code;        /* the error it must end in */
  gboolean    retried;     /* whether a second attempt is made */
} Canned;

#define HTML_502 "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" \
                 "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
#define UNKNOWN "{\"code\":3,\"message\":\"something Ozon says\",\"details\":[]}"

static const Canned canned[] = {
  { "empty", 200, { NULL }, "", 0, OIP_ERROR_BAD_RESPONSE, FALSE },
  { "space", 200, { NULL }, " \n", -1, OIP_ERROR_BAD_RESPONSE, FALSE },
  { "truncated", 200, { NULL }, "{\"items\":[{\"id\":214365879,\"offer_id\":\"ART-", -1, OIP_ERROR_BAD_RESPONSE, FALSE },
  { "not-object", 200, { NULL }, "[1,2,3]", -1, OIP_ERROR_BAD_RESPONSE, FALSE },
  { "string", 200, { NULL }, "\"ok\"", -1, OIP_ERROR_BAD_RESPONSE, FALSE },
  { "nul", 200, { NULL }, "{\"task_id\":1\0}", 14, OIP_ERROR_BAD_RESPONSE, FALSE },
  { "deep", 200, { NULL }, NULL, 0, OIP_ERROR_BAD_RESPONSE, FALSE },
  { "huge", 200, { NULL }, NULL, 0, OIP_ERROR_BAD_RESPONSE, FALSE },
  { "big-number", 200, { NULL }, "{\"task_id\":-18446744073709550615,\"items\":[]}", -1, OIP_ERROR_BAD_RESPONSE, FALSE },
  { "html-200", 200, { "Content-Type: text/html", NULL }, HTML_502, -1, OIP_ERROR_BAD_RESPONSE, FALSE },
  { "html-502", 502, { "Content-Type: text/html", NULL }, HTML_502, -1, OIP_ERROR_SERVER, TRUE },
  { "error-in-200", 200, { NULL }, "{\"code\":16,\"message\":\"Client-Id and Api-Key headers are required\"}", -1,
    OIP_ERROR_INVALID_API_KEY, FALSE },
  { "old-error-in-200", 200, { NULL }, "{\"error\":{\"code\":\"ACCESS_DENIED\",\"message\":\"Access denied\",\"data\":[]}}", -1,
    OIP_ERROR_REJECTED, FALSE },
  /* Invalid UTF-8 in Ozon's words (and a lone surrogate escape). */
  { "utf8-400", 400, { NULL }, "{\"code\":3,\"message\":\"bad \xff\xfe\xc0 \\ud83d text\"}", -1, OIP_ERROR_REJECTED, FALSE },
  { "utf8-plain-500", 500, { "Content-Type: text/plain", NULL }, "upstream \xff\xfe failed\n\n\x01", -1, OIP_ERROR_SERVER, TRUE },
  /* A server that repeats the key back. */
  { "echo-key", 400, { NULL }, "{\"code\":3,\"message\":\"key " TEST_API_KEY " is wrong\"}", -1, OIP_ERROR_REJECTED, FALSE },
  { "long-message", 400, { NULL }, NULL, 0, OIP_ERROR_REJECTED, FALSE },
  /* Each status, with Ozon's body and with none. */
  { "400", 400, { NULL }, UNKNOWN, -1, OIP_ERROR_REJECTED, FALSE },
  { "401", 401, { NULL }, UNKNOWN, -1, OIP_ERROR_INVALID_API_KEY, FALSE },
  { "403", 403, { NULL }, UNKNOWN, -1, OIP_ERROR_ACCESS_DENIED, FALSE },
  { "404", 404, { NULL }, UNKNOWN, -1, OIP_ERROR_NOT_FOUND, FALSE },
  { "409", 409, { NULL }, UNKNOWN, -1, OIP_ERROR_REJECTED, FALSE },
  { "410", 410, { NULL }, UNKNOWN, -1, OIP_ERROR_METHOD_GONE, FALSE },
  { "429", 429, { NULL }, UNKNOWN, -1, OIP_ERROR_RATE_LIMITED, TRUE },
  { "500", 500, { NULL }, UNKNOWN, -1, OIP_ERROR_SERVER, TRUE },
  { "502", 502, { NULL }, UNKNOWN, -1, OIP_ERROR_SERVER, TRUE },
  { "503", 503, { NULL }, UNKNOWN, -1, OIP_ERROR_SERVER, TRUE },
  { "504", 504, { NULL }, UNKNOWN, -1, OIP_ERROR_SERVER, TRUE },
  { "400-empty", 400, { NULL }, "", 0, OIP_ERROR_REJECTED, FALSE },
  { "401-empty", 401, { NULL }, "", 0, OIP_ERROR_INVALID_API_KEY, FALSE },
  { "403-empty", 403, { NULL }, "", 0, OIP_ERROR_ACCESS_DENIED, FALSE },
  { "404-empty", 404, { NULL }, "", 0, OIP_ERROR_NOT_FOUND, FALSE },
  { "409-empty", 409, { NULL }, "", 0, OIP_ERROR_REJECTED, FALSE },
  { "410-empty", 410, { NULL }, "", 0, OIP_ERROR_METHOD_GONE, FALSE },
  { "429-empty", 429, { NULL }, "", 0, OIP_ERROR_RATE_LIMITED, TRUE },
  { "500-empty", 500, { NULL }, "", 0, OIP_ERROR_SERVER, TRUE },
  { "502-empty", 502, { NULL }, "", 0, OIP_ERROR_SERVER, TRUE },
  { "503-empty", 503, { NULL }, "", 0, OIP_ERROR_SERVER, TRUE },
  { "504-empty", 504, { NULL }, "", 0, OIP_ERROR_SERVER, TRUE },
  /* Ozon's waits that do not fit in the deadline: reported at once. */
  { "retry-after-60", 429, { "Retry-After: 60", NULL }, UNKNOWN, -1, OIP_ERROR_RATE_LIMITED, FALSE },
  { "retry-after-7e7", 429, { "Retry-After: 70000001", NULL }, UNKNOWN, -1, OIP_ERROR_RATE_LIMITED, FALSE },
  { "retry-after-huge", 429, { "Retry-After: 184467440737095516150", NULL }, UNKNOWN, -1, OIP_ERROR_RATE_LIMITED, FALSE },
  { "retry-after-date", 429, { "Retry-After: Wed, 21 Oct 2099 07:28:00 GMT", NULL }, UNKNOWN, -1,
    OIP_ERROR_RATE_LIMITED, FALSE },
  { "item-retry-after", 429, { "Item-Retry-After: 1000000000", NULL },
    "{\"code\":\"RESOURCE_EXHAUSTED\",\"message\":\"You have reached operation items limits. Retry after 120 seconds. "
    "Remaining 10 items\"}", -1, OIP_ERROR_RATE_LIMITED, FALSE },
};

static void
test_canned (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *deep_body = deep (100000);
  g_autofree char *huge_body = huge ();
  g_autofree char *long_body = NULL;
  GString *long_message = g_string_new ("{\"code\":3,\"message\":\"");

  for (guint i = 0; i < 20000; i++)
    g_string_append (long_message, "очень ");
  g_string_append (long_message, "\"}");
  long_body = g_string_free (long_message, FALSE);

  for (CallKind kind = 0; kind < N_CALLS; kind++)
    for (guint i = 0; i < G_N_ELEMENTS (canned); i++)
      {
        const Canned *answer = &canned[i];
        const char *body = answer->body;
        gssize length = answer->length;
        g_autoptr(GError) error = NULL;
        guint before = oip_fake_ozon_count_requests (fixture->fake, endpoints[kind].path);
        guint attempts;
        gint64 elapsed;

        if (g_str_equal (answer->name, "deep"))
          body = deep_body, length = -1;
        else if (g_str_equal (answer->name, "huge"))
          body = huge_body, length = -1;
        else if (g_str_equal (answer->name, "long-message"))
          body = long_body, length = -1;

        oip_fake_ozon_inject_answer (fixture->fake, endpoints[kind].path, answer->status,
                                     answer->headers, body, length, G_MAXUINT);
        g_assert_false (run_call (fixture, kind, &error, &elapsed));
        oip_fake_ozon_clear_faults (fixture->fake);
        attempts = oip_fake_ozon_count_requests (fixture->fake, endpoints[kind].path) - before;

        g_test_message ("%s %s: %s (%u attempts, %" G_GINT64_FORMAT " ms)", endpoints[kind].name, answer->name,
                        error->message, attempts, elapsed);
        assert_clean_error (error);
        g_assert_cmpint (error->code, ==, answer->code);
        g_assert_cmpuint (attempts, ==, answer->retried ? 2 : 1);
        /* The seller's sentence never carries a raw status. */
        g_assert_null (strstr (error->message, "HTTP"));
        if (answer->status != 200)
          g_assert_cmpuint (oip_error_get_http_status (error), ==, answer->status);
        if (g_str_has_prefix (answer->name, "retry-after") || g_str_equal (answer->name, "item-retry-after"))
          {
            g_assert_nonnull (strstr (error->message, "Ozon asks to wait"));
            g_assert_cmpint (elapsed, <, 1000);
          }
        if (g_str_equal (answer->name, "html-502"))
          g_assert_cmpstr (oip_error_get_ozon_message (error), ==, "502 Bad Gateway");
        if (g_str_equal (answer->name, "400"))
          g_assert_cmpstr (error->message, ==, "Ozon rejected the request: something Ozon says");
        if (g_str_equal (answer->name, "long-message"))
          g_assert_true (g_str_has_suffix (error->message, "…"));
      }
}

/* 3. Redirects: never followed, nothing sent to the target, each named. */
static void
test_redirects (Fixture       *fixture,
                gconstpointer  data)
{
  static const guint statuses[] = { 301, 302, 303, 307, 308 };
  g_autoptr(OipFakeOzon) elsewhere = oip_test_fake_new ();

  for (CallKind kind = 0; kind < N_CALLS; kind++)
    for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
      for (guint target = 0; target < 3; target++)
        {
          g_autofree char *location = NULL;
          g_autofree char *header = NULL;
          const char *headers[] = { NULL, NULL };
          g_autoptr(GError) error = NULL;

          if (target == 0)
            location = g_strconcat (oip_fake_ozon_get_base_url (elsewhere), endpoints[kind].path, NULL);
          else if (target == 1)
            location = g_strdup ("http://api-seller.example.com/v3/product/info/list?token=1");
          else
            location = g_strdup ("https://collector.example.com/steal");
          header = g_strconcat ("Location: ", location, NULL);
          headers[0] = header;

          oip_fake_ozon_inject_answer (fixture->fake, endpoints[kind].path, statuses[i], headers, "", 0, G_MAXUINT);
          g_assert_false (run_call (fixture, kind, &error, NULL));
          oip_fake_ozon_clear_faults (fixture->fake);

          g_test_message ("%s %u → %s: %s", endpoints[kind].name, statuses[i], location, error->message);
          assert_clean_error (error);
          g_assert_cmpint (error->code, ==, target == 1 ? OIP_ERROR_INSECURE_URL : OIP_ERROR_BAD_RESPONSE);
          g_assert_cmpuint (oip_error_get_http_status (error), ==, statuses[i]);
          /* It says where, without the query. */
          g_assert_nonnull (strstr (error->message, target == 0 ? oip_fake_ozon_get_base_url (elsewhere)
                                                    : target == 1 ? "http://api-seller.example.com/v3"
                                                    : "https://collector.example.com/steal"));
          g_assert_null (strstr (error->message, "token"));
        }

  /* The other server saw nothing at all, credentials least of all. */
  g_assert_cmpuint (oip_fake_ozon_count_all_requests (elsewhere), ==, 0);
  g_assert_cmpuint (oip_fake_ozon_count_credentialed (elsewhere), ==, 0);
  oip_test_assert_finalize (g_steal_pointer (&elsewhere));
}

/* 4. Slow servers: a drip (a byte every 100 ms, so never idle), silence,
 * a body without end. All at once, each with its own fake. */
typedef struct
{
  CallKind       kind;
  OipFakeFault   fault;
  OipFakeOzon   *fake;
  OipOzonClient *client;
  gint64         start;
  gint64         elapsed_ms;
  GError        *error;
  gboolean       ok;
  gboolean       done;
} SlowCase;

static void
on_slow_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SlowCase *slow = user_data;

  slow->elapsed_ms = (g_get_monotonic_time () - slow->start) / 1000;
  slow->ok = finish_call (slow->client, slow->kind, result, &slow->error);
  slow->done = TRUE;
}

static void
test_slow (void)
{
  static const OipFakeFault faults[] = { OIP_FAKE_FAULT_DRIP, OIP_FAKE_FAULT_SILENCE, OIP_FAKE_FAULT_ENDLESS };
  SlowCase cases[N_CALLS * G_N_ELEMENTS (faults)];
  guint n = 0;

  for (CallKind kind = 0; kind < N_CALLS; kind++)
    for (guint f = 0; f < G_N_ELEMENTS (faults); f++)
      {
        SlowCase *slow = &cases[n++];

        memset (slow, 0, sizeof *slow);
        slow->kind = kind;
        slow->fault = faults[f];
        slow->fake = oip_test_fake_new ();
        slow->client = oip_test_client_new (slow->fake);
        oip_ozon_client_set_timeout (slow->client, SLOW_TIMEOUT);
        oip_ozon_client_set_max_retries (slow->client, 10);
        oip_fake_ozon_set_drip_interval (slow->fake, 100);
        oip_fake_ozon_inject (slow->fake, NULL, faults[f], G_MAXUINT);
        slow->start = g_get_monotonic_time ();
        start_call (slow->client, kind, on_slow_done, slow);
      }

  for (guint i = 0; i < n; i++)
    oip_test_wait_until (&cases[i].done);

  for (guint i = 0; i < n; i++)
    {
      SlowCase *slow = &cases[i];

      g_test_message ("%s fault %u: %s in %" G_GINT64_FORMAT " ms", endpoints[slow->kind].name, slow->fault,
                      slow->error ? slow->error->message : "success", slow->elapsed_ms);
      g_assert_false (slow->ok);
      assert_clean_error (slow->error);
      /* The timeout bounds the whole call, retries included. */
      g_assert_cmpint (slow->elapsed_ms, <, SLOW_TIMEOUT * 1000 + SLACK_MS);
      if (slow->fault == OIP_FAKE_FAULT_ENDLESS)
        g_assert_true (g_error_matches (slow->error, OIP_ERROR, OIP_ERROR_BAD_RESPONSE) ||
                       g_error_matches (slow->error, OIP_ERROR, OIP_ERROR_TIMEOUT));
      else
        {
          g_assert_error (slow->error, OIP_ERROR, OIP_ERROR_TIMEOUT);
          g_assert_cmpint (slow->elapsed_ms, >=, SLOW_TIMEOUT * 1000 - 100);
        }
      g_clear_error (&slow->error);
      oip_test_assert_finalize (slow->client);
      oip_test_assert_finalize (slow->fake);
    }
}

/* 5. The storage (S3) client against the same kinds of answers, on the
 * fake's demo bucket: uploads (HEAD, then PUT) and the storage test (PUT,
 * public GET, DELETE). */

/* AWS-shaped: the signer of this branch is not the one under test here. */
#define S3_SECRET "hostile/Secret+0123456789abcdefghijklmnop"

static OipS3Client *
s3_client_for (OipFakeOzon *fake,
               guint        timeout)
{
  g_autoptr(OipStorageConfig) config = oip_storage_config_new ();
  g_autoptr(GError) error = NULL;
  OipS3Client *client;

  config->endpoint = g_strdup (oip_fake_ozon_get_base_url (fake));
  config->bucket = g_strdup ("demo-bucket");
  config->public_url = g_strconcat (oip_fake_ozon_get_base_url (fake), "/storage", NULL);
  config->access_key_id = g_strdup ("0123456789abcdef0123456789abcdef");
  config->secret_access_key = g_strdup (S3_SECRET);
  client = oip_s3_client_new (config, &error);
  g_assert_no_error (error);
  oip_s3_client_set_retry_delay (client, 10);
  oip_s3_client_set_max_retries (client, 1);
  oip_s3_client_set_timeout (client, timeout);
  return client;
}

static gboolean
s3_run (OipS3Client  *client,
        gboolean      probe,
        GError      **error,
        gint64       *elapsed_ms)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("\xff\xd8\xff\xe0 not really a picture", 25);
  g_autofree char *url = NULL;
  gint64 elapsed;

  if (probe)
    oip_s3_client_test_async (client, NULL, oip_test_on_ready, &result);
  else
    oip_s3_client_upload_async (client, content, NULL, "image/jpeg", ".jpg", NULL, NULL, NULL,
                                oip_test_on_ready, &result);
  elapsed = oip_test_wait_elapsed_ms (&result);
  if (elapsed_ms != NULL)
    *elapsed_ms = elapsed;
  if (probe)
    return oip_s3_client_test_finish (client, result, error);
  url = oip_s3_client_upload_finish (client, result, NULL, error);
  return url != NULL;
}

static void
assert_clean_storage_error (const GError *error)
{
  assert_clean_error (error);
  g_assert_null (strstr (error->message, S3_SECRET));
}

static void
test_s3_canned (void)
{
  static const struct { guint status; const char *headers[2]; const char *body; } answers[] = {
    { 400, { "Content-Type: application/xml", NULL }, "<Error><Code>\xff\xfe" "Bad\x01" "Request</Code></Error>" },
    { 401, { NULL }, "" },
    { 403, { "Content-Type: application/xml", NULL }, "<Error><Code>SignatureDoesNotMatch</Code></Error>" },
    { 404, { NULL }, "" },
    { 409, { NULL }, "<Error><Code>" },
    { 410, { NULL }, "" },
    { 429, { "Retry-After: 100000", NULL }, "" },
    { 500, { "Content-Type: text/html", NULL }, HTML_502 },
    { 502, { NULL }, "" },
    { 503, { NULL }, "<Error><Code>SlowDown</Code></Error>" },
    { 504, { NULL }, "" },
  };
  g_autoptr(OipFakeOzon) fake = oip_test_fake_new ();
  g_autoptr(OipS3Client) client = s3_client_for (fake, 5);
  GString *long_code = g_string_new ("<Error><Code>");
  g_autofree char *long_body = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append (long_code, "Ошибка");
  g_string_append (long_code, "</Code></Error>");
  long_body = g_string_free (long_code, FALSE);

  for (guint probe = 0; probe < 2; probe++)
    {
      for (guint i = 0; i <= G_N_ELEMENTS (answers); i++)
        {
          g_autoptr(GError) error = NULL;
          gboolean last = i == G_N_ELEMENTS (answers);

          if (last)
            oip_fake_ozon_inject_answer (fake, "/demo-bucket/", 400, NULL, long_body, -1, G_MAXUINT);
          else
            oip_fake_ozon_inject_answer (fake, "/demo-bucket/", answers[i].status, answers[i].headers,
                                         answers[i].body, -1, G_MAXUINT);
          g_assert_false (s3_run (client, probe, &error, NULL));
          oip_fake_ozon_clear_faults (fake);
          g_test_message ("storage %s %u: %s", probe ? "test" : "upload", last ? 400 : answers[i].status,
                          error->message);
          assert_clean_storage_error (error);
          g_assert_true (error->code == OIP_ERROR_STORAGE || error->code == OIP_ERROR_STORAGE_DENIED);
        }
    }

  /* A huge answer is cut off. */
  {
    g_autofree char *body = huge ();
    g_autoptr(GError) error = NULL;

    oip_fake_ozon_inject_answer (fake, "/demo-bucket/", 500, NULL, body, -1, G_MAXUINT);
    g_assert_false (s3_run (client, FALSE, &error, NULL));
    oip_fake_ozon_clear_faults (fake);
    assert_clean_storage_error (error);
  }
}

static void
test_s3_redirects (void)
{
  static const guint statuses[] = { 301, 302, 303, 307, 308 };
  g_autoptr(OipFakeOzon) fake = oip_test_fake_new ();
  g_autoptr(OipFakeOzon) elsewhere = oip_test_fake_new ();
  g_autoptr(OipS3Client) client = s3_client_for (fake, 5);

  for (guint probe = 0; probe < 2; probe++)
    for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
      for (guint target = 0; target < 2; target++)
        {
          g_autofree char *location = target == 0
                                      ? g_strconcat (oip_fake_ozon_get_base_url (elsewhere), "/demo-bucket/x.jpg", NULL)
                                      : g_strdup ("http://storage.example.com/demo-bucket/x.jpg");
          g_autofree char *header = g_strconcat ("Location: ", location, NULL);
          const char *headers[] = { header, NULL };
          g_autoptr(GError) error = NULL;

          oip_fake_ozon_inject_answer (fake, "/demo-bucket/", statuses[i], headers, "", 0, G_MAXUINT);
          g_assert_false (s3_run (client, probe, &error, NULL));
          oip_fake_ozon_clear_faults (fake);
          g_test_message ("storage %u → %s: %s", statuses[i], location, error->message);
          assert_clean_storage_error (error);
          g_assert_cmpint (error->code, ==, target == 0 ? OIP_ERROR_STORAGE : OIP_ERROR_INSECURE_URL);
          g_assert_nonnull (strstr (error->message, target == 0 ? oip_fake_ozon_get_base_url (elsewhere)
                                                                : "http://storage.example.com"));
        }

  /* The public address of the storage test redirects: Ozon needs direct
   * links; that request carries no credentials, but is not followed
   * either. */
  {
    g_autofree char *location = g_strconcat (oip_fake_ozon_get_base_url (elsewhere), "/storage/x.txt", NULL);
    g_autofree char *header = g_strconcat ("Location: ", location, NULL);
    const char *headers[] = { header, NULL };
    g_autoptr(GError) error = NULL;

    oip_fake_ozon_inject_answer (fake, "/storage/", 302, headers, "", 0, G_MAXUINT);
    g_assert_false (s3_run (client, TRUE, &error, NULL));
    oip_fake_ozon_clear_faults (fake);
    assert_clean_storage_error (error);
    g_assert_nonnull (strstr (error->message, "direct links"));
  }

  g_assert_cmpuint (oip_fake_ozon_count_all_requests (elsewhere), ==, 0);
  g_assert_cmpuint (oip_fake_ozon_count_credentialed (elsewhere), ==, 0);
}

static void
test_s3_slow (void)
{
  static const OipFakeFault faults[] = { OIP_FAKE_FAULT_DRIP, OIP_FAKE_FAULT_SILENCE, OIP_FAKE_FAULT_ENDLESS };

  for (guint probe = 0; probe < 2; probe++)
    for (guint f = 0; f < G_N_ELEMENTS (faults); f++)
      {
        g_autoptr(OipFakeOzon) fake = oip_test_fake_new ();
        g_autoptr(OipS3Client) client = s3_client_for (fake, SLOW_TIMEOUT);
        g_autoptr(GError) error = NULL;
        gint64 elapsed;

        oip_fake_ozon_set_drip_interval (fake, 100);
        /* A HEAD has no body to drip: it says the object is absent, so
         * the PUT is the one that meets the fault. */
        if (!probe)
          oip_fake_ozon_inject_answer (fake, "/demo-bucket/", 404, NULL, "", 0, 1);
        oip_fake_ozon_inject (fake, "/demo-bucket/", faults[f], G_MAXUINT);
        g_assert_false (s3_run (client, probe, &error, &elapsed));
        g_test_message ("storage fault %u: %s in %" G_GINT64_FORMAT " ms", faults[f], error->message, elapsed);
        assert_clean_storage_error (error);
        g_assert_cmpint (elapsed, <, SLOW_TIMEOUT * 1000 + SLACK_MS);
        if (faults[f] != OIP_FAKE_FAULT_ENDLESS)
          g_assert_error (error, OIP_ERROR, OIP_ERROR_TIMEOUT);
      }
}

/* 6. The command line: the same deadlines, the same words, and Ozon's
 * own message and status in the error JSON. */

static GBytes *
make_jpeg (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 300, 400);
  gchar *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x336699ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", NULL, NULL));
  return g_bytes_new_take (buffer, size);
}

static JsonObject *
error_of (const char *out)
{
  g_autoptr(JsonNode) root = json_from_string (out, NULL);

  g_assert_nonnull (root);
  return json_object_ref (json_object_get_object_member (json_node_get_object (root), "error"));
}

static void
test_cli_storage_silent (void)
{
  g_autoptr(OipFakeOzon) fake = oip_test_fake_new ();
  g_autoptr(GBytes) jpeg = make_jpeg ();
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "silent.jpg", NULL);
  g_autofree char *endpoint = g_strconcat ("AWS_ENDPOINT_URL_S3=", oip_fake_ozon_get_base_url (fake), NULL);
  g_autofree char *public_url = g_strconcat ("OZON_PUSH_S3_PUBLIC_URL=", oip_fake_ozon_get_base_url (fake), "/storage", NULL);
  const char *env[] = { endpoint, public_url, "AWS_ACCESS_KEY_ID=0123456789abcdef0123456789abcdef",
                        "AWS_SECRET_ACCESS_KEY=" S3_SECRET, "OZON_PUSH_S3_BUCKET=demo-bucket", NULL };
  const char *args[] = { "upload", "--timeout", "3", path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) error = NULL;
  gint64 start;
  gint64 elapsed;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg), NULL));
  oip_fake_ozon_inject (fake, "/demo-bucket/", OIP_FAKE_FAULT_SILENCE, G_MAXUINT);

  start = g_get_monotonic_time ();
  g_assert_cmpint (oip_test_run_cli (env, NULL, args, &out, &err), ==, 1);
  elapsed = (g_get_monotonic_time () - start) / 1000;
  g_test_message ("silent storage, --timeout 3: %" G_GINT64_FORMAT " ms", elapsed);
  error = error_of (out);
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "timeout");
  g_assert_cmpint (elapsed, >=, 2900);
  g_assert_cmpint (elapsed, <, 3000 + SLACK_MS);
  g_assert_null (strstr (out, S3_SECRET));
  g_assert_null (strstr (err, S3_SECRET));
}

static void
test_cli_ozon (void)
{
  g_autoptr(OipFakeOzon) fake = oip_test_fake_new ();
  g_autofree char *url = g_strconcat ("OZON_API_URL=", oip_fake_ozon_get_base_url (fake), NULL);
  const char *env[] = { url, "OZON_CLIENT_ID=" TEST_CLIENT_ID, "OZON_API_KEY=" TEST_API_KEY, NULL };
  const char *headers[] = { "Retry-After: 60", NULL };

  /* Retry-After: 60 with ten retries allowed: reported at once. */
  {
    const char *args[] = { "product", "--product-id", "214365879", "--timeout", "3", "--max-retries", "10", NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(JsonObject) error = NULL;
    gint64 start = g_get_monotonic_time ();

    oip_fake_ozon_inject_answer (fake, "/v3/product/info/list", 429, headers,
                                 "{\"code\":8,\"message\":\"You have reached request rate limit per second\"}", -1,
                                 G_MAXUINT);
    g_assert_cmpint (oip_test_run_cli (env, NULL, args, &out, &err), ==, 1);
    g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 3000);
    error = error_of (out);
    g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "rate_limited");
    g_assert_cmpstr (json_object_get_string_member (error, "message"), ==,
                     "Too many requests to Ozon in one second; Ozon asks to wait 60 seconds");
    g_assert_cmpstr (json_object_get_string_member (error, "ozon_message"), ==,
                     "You have reached request rate limit per second");
    g_assert_cmpint (json_object_get_int_member (error, "http_status"), ==, 429);
    g_assert_cmpuint (oip_fake_ozon_count_requests (fake, "/v3/product/info/list"), ==, 1);
    oip_fake_ozon_clear_faults (fake);
  }

  /* A drip with --timeout 2: over in about 2 s, not when the server stops. */
  {
    const char *args[] = { "product", "--product-id", "214365879", "--timeout", "2", "--max-retries", "10", NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(JsonObject) error = NULL;
    gint64 start = g_get_monotonic_time ();
    gint64 elapsed;

    oip_fake_ozon_set_drip_interval (fake, 200);
    oip_fake_ozon_inject (fake, NULL, OIP_FAKE_FAULT_DRIP, G_MAXUINT);
    g_assert_cmpint (oip_test_run_cli (env, NULL, args, &out, &err), ==, 1);
    elapsed = (g_get_monotonic_time () - start) / 1000;
    g_test_message ("drip, --timeout 2: %" G_GINT64_FORMAT " ms", elapsed);
    error = error_of (out);
    g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "timeout");
    g_assert_cmpint (elapsed, <, 2000 + SLACK_MS);
    g_assert_false (json_object_has_member (error, "http_status"));
    oip_fake_ozon_clear_faults (fake);
  }

  /* A product list without `result` is an error, not an empty list. */
  {
    const char *args[] = { "products", NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(JsonObject) error = NULL;

    oip_fake_ozon_inject_answer (fake, "/v3/product/list", 200, NULL, "{\"items\":[]}", -1, 1);
    g_assert_cmpint (oip_test_run_cli (env, NULL, args, &out, &err), ==, 1);
    error = error_of (out);
    g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "bad_response");
  }

  /* A known Ozon message, in Russian: the seller's sentence, translated,
   * Ozon's own words beside it. */
  {
    g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));
    /* LANGUAGE is enough with C.UTF-8 on Debian 12; newer glibc wants a
     * real Russian locale when there is one. */
    gboolean have_ru = setlocale (LC_ALL, "ru_RU.UTF-8") != NULL;
    const char *ru_env[] = { url, "OZON_CLIENT_ID=" TEST_CLIENT_ID, "OZON_API_KEY=wrong-key", "LANGUAGE=ru",
                             have_ru ? "LANG=ru_RU.UTF-8" : NULL, NULL };
    const char *args[] = { "product", "--product-id", "214365879", NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(JsonObject) error = NULL;

    setlocale (LC_ALL, saved);
    g_assert_cmpint (oip_test_run_cli (ru_env, NULL, args, &out, &err), ==, 1);
    error = error_of (out);
    g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "invalid_api_key");
    g_assert_cmpstr (json_object_get_string_member (error, "message"), ==, "Ozon не принял Client ID или API-ключ");
    g_assert_cmpstr (json_object_get_string_member (error, "ozon_message"), ==,
                     "Invalid Api-Key, please check the key and try again");
    g_assert_cmpint (json_object_get_int_member (error, "http_status"), ==, 403);
    g_assert_null (strstr (out, "wrong-key"));
  }
}

int
main (int   argc,
      char *argv[])
{
  oip_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/hostile/ozon/valid-answers", test_valid_answers);
  ADD ("/hostile/ozon/wrong-types", test_wrong_types);
  ADD ("/hostile/ozon/canned", test_canned);
  ADD ("/hostile/ozon/redirects", test_redirects);
  oip_test_add_func ("/hostile/ozon/slow", test_slow);
  oip_test_add_func ("/hostile/s3/canned", test_s3_canned);
  oip_test_add_func ("/hostile/s3/redirects", test_s3_redirects);
  oip_test_add_func ("/hostile/s3/slow", test_s3_slow);
  oip_test_add_func ("/hostile/cli/storage-silent", test_cli_storage_silent);
  oip_test_add_func ("/hostile/cli/ozon", test_cli_ozon);

  return g_test_run ();
}
