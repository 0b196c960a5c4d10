/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libsoup/soup.h>

#include "oip-error.h"
#include "oip-json.h"
#include "oip-test-util.h"

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
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  oip_test_assert_finalize (fixture->client);
  oip_test_assert_finalize (fixture->fake);
}

static void
assert_headers (OipFakeRequest *request)
{
  g_assert_nonnull (request);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->client_id, ==, TEST_CLIENT_ID);
  g_assert_cmpstr (request->api_key, ==, TEST_API_KEY);
  g_assert_cmpstr (request->content_type, ==, "application/json");
  g_assert_nonnull (request->body);
}

static OipProduct *
get_product (Fixture        *fixture,
             OipProductKey   key,
             const char     *value,
             GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  oip_ozon_client_get_product_async (fixture->client, key, value, NULL, oip_test_on_ready, &result);
  return oip_ozon_client_get_product_finish (fixture->client, oip_test_wait (&result), error);
}

static JsonNode *
call (Fixture     *fixture,
      const char  *path,
      const char  *body,
      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) node = json_from_string (body, NULL);

  oip_ozon_client_call_async (fixture->client, path, node, NULL, oip_test_on_ready, &result);
  return oip_ozon_client_call_finish (fixture->client, oip_test_wait (&result), error);
}

static void
test_get_product_by_each_key (Fixture       *fixture,
                              gconstpointer  data)
{
  static const struct { OipProductKey key; const char *value; const char *member; } cases[] = {
    { OIP_PRODUCT_KEY_OFFER_ID, "ART-1001", "offer_id" },
    { OIP_PRODUCT_KEY_PRODUCT_ID, "214365879", "product_id" },
    { OIP_PRODUCT_KEY_SKU, "1733002211", "sku" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OipProduct) product = get_product (fixture, cases[i].key, cases[i].value, &error);
      OipFakeRequest *request = oip_fake_ozon_last_request (fixture->fake, "/v3/product/info/list");
      JsonObject *body;
      JsonNode *id;
      const char * const *images;

      g_assert_no_error (error);
      g_assert_cmpint (oip_product_get_product_id (product), ==, 214365879);
      g_assert_cmpstr (oip_product_get_offer_id (product), ==, "ART-1001");
      g_assert_cmpint (oip_product_get_sku (product), ==, 1733002211);
      g_assert_cmpstr (oip_product_get_name (product), ==, "Ceramic mug 350 ml");
      images = oip_product_get_images (product);
      g_assert_cmpuint (g_strv_length ((char **) images), ==, 3);
      g_assert_true (g_str_has_suffix (images[0], "/images/mug-front.png"));

      /* One kind of id per call, sent as a string inside an array. */
      assert_headers (request);
      body = json_node_get_object (request->body);
      g_assert_cmpuint (json_object_get_size (body), ==, 1);
      id = json_array_get_element (json_object_get_array_member (body, cases[i].member), 0);
      g_assert_cmpint (json_node_get_value_type (id), ==, G_TYPE_STRING);
      g_assert_cmpstr (json_node_get_string (id), ==, cases[i].value);
    }
}

static void
test_get_product_not_found (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OipProduct) product = get_product (fixture, OIP_PRODUCT_KEY_OFFER_ID, "NOPE-1", &error);

  g_assert_null (product);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "NOPE-1"));
}

static void
test_big_ids_exact (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *images[] = { "https://cdn.example.net/a.jpg", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(OipProduct) product = NULL;

  /* 2^53 + 1 and a neighbour: both would collapse through a double. */
  oip_fake_ozon_add_product (fixture->fake, G_GINT64_CONSTANT (9007199254740993), "BIG-1",
                             G_GINT64_CONSTANT (9007199254740995), "Big", images);
  product = get_product (fixture, OIP_PRODUCT_KEY_PRODUCT_ID, "9007199254740993", &error);
  g_assert_no_error (error);
  g_assert_cmpint (oip_product_get_product_id (product), ==, G_GINT64_CONSTANT (9007199254740993));
  g_assert_cmpint (oip_product_get_sku (product), ==, G_GINT64_CONSTANT (9007199254740995));
}

static void
test_list_products_pages (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) products = NULL;
  GPtrArray *requests;
  guint first_list = 0;
  guint n_list = 0;

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *offer = g_strdup_printf ("EXTRA-%u", i);

      oip_fake_ozon_add_product (fixture->fake, 300000000 + i, offer, 0, offer, NULL);
    }

  /* 7 products at 2 a page: 4 pages, the last one short. */
  oip_ozon_client_list_products_async (fixture->client, 2, NULL, oip_test_on_ready, &result);
  products = oip_ozon_client_list_products_finish (fixture->client, oip_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (products->len, ==, 7);
  g_assert_cmpstr (oip_product_get_offer_id (g_ptr_array_index (products, 0)), ==, "ART-1001");
  g_assert_cmpstr (oip_product_get_offer_id (g_ptr_array_index (products, 6)), ==, "EXTRA-3");

  requests = oip_fake_ozon_get_requests (fixture->fake);
  for (guint i = 0; i < requests->len; i++)
    {
      OipFakeRequest *request = g_ptr_array_index (requests, i);
      JsonObject *body;

      if (!g_str_equal (request->path, "/v3/product/list"))
        continue;
      assert_headers (request);
      body = json_node_get_object (request->body);
      g_assert_cmpint (json_object_get_int_member (body, "limit"), ==, 2);
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (body, "filter"), "visibility"), ==, "ALL");
      if (n_list++ == 0)
        {
          first_list = i;
          g_assert_cmpstr (json_object_get_string_member (body, "last_id"), ==, "");
        }
      else
        g_assert_cmpstr (json_object_get_string_member (body, "last_id"), !=, "");
    }
  g_assert_cmpuint (n_list, ==, 4);
  g_assert_cmpuint (first_list, ==, 0);
}

static GPtrArray *
list_products (Fixture  *fixture,
               guint     page_size,
               GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  oip_ozon_client_list_products_async (fixture->client, page_size, NULL, oip_test_on_ready, &result);
  return oip_ozon_client_list_products_finish (fixture->client, oip_test_wait (&result), error);
}

/* No page limit: every product, in order, one call a page and not one
 * more once `total_items` are in. */
static void
test_list_products_many_pages (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *offer = g_strdup_printf ("MANY-%u", i);

      oip_fake_ozon_add_product (fixture->fake, 400000000 + i, offer, 0, offer, NULL);
    }

  /* 1003 calls: at Ozon's pace (45 a second) this alone would take 22 s;
   * the fake has no per-second limit here. */
  oip_ozon_client_set_rate_limit (fixture->client, 0);
  products = list_products (fixture, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (products->len, ==, 1003);
  g_assert_cmpstr (oip_product_get_offer_id (g_ptr_array_index (products, 1002)), ==, "MANY-999");
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v3/product/list"), ==, 1003);
}

static void
test_list_products_stops_at_total (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *offer = g_strdup_printf ("EVEN-%u", i);

      oip_fake_ozon_add_product (fixture->fake, 300000000 + i, offer, 0, offer, NULL);
    }

  /* 8 products, 2 a page: the 4th page is full and the last. */
  products = list_products (fixture, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (products->len, ==, 8);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v3/product/list"), ==, 4);
}

/* Anything but a list that ends is an error, never a shorter list. */
static void
test_list_products_bad_answers (Fixture       *fixture,
                                gconstpointer  data)
{
  static const struct { const char *body; guint times; guint calls; } cases[] = {
    /* The same cursor again and again. */
    { "{\"result\":{\"items\":[{\"product_id\":1,\"offer_id\":\"A\"}],\"last_id\":\"X\",\"total_items\":100}}",
      G_MAXUINT, 2 },
    { "{\"items\":[]}", 1, 1 },
    { "{\"result\":null}", 1, 1 },
    { "{\"result\":{\"items\":[1]}}", 1, 1 },
    { "{\"result\":{\"items\":{}}}", 1, 1 },
    { "{\"result\":{\"items\":[{\"product_id\":\"x\",\"offer_id\":\"A\"}]}}", 1, 1 },
    { "{\"result\":{\"items\":[{\"product_id\":1,\"offer_id\":\"A\"}],\"last_id\":7}}", 1, 1 },
    { "", 1, 1 },
    { "[]", 1, 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) products = NULL;
      g_autoptr(GError) error = NULL;
      guint before = oip_fake_ozon_count_requests (fixture->fake, "/v3/product/list");

      oip_fake_ozon_inject_answer (fixture->fake, "/v3/product/list", 200, NULL, cases[i].body, -1, cases[i].times);
      products = list_products (fixture, 1, &error);
      g_test_message ("%s → %s", cases[i].body, error ? error->message : "no error");
      g_assert_null (products);
      g_assert_error (error, OIP_ERROR, OIP_ERROR_BAD_RESPONSE);
      g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v3/product/list"), ==,
                        before + cases[i].calls);
      oip_fake_ozon_clear_faults (fixture->fake);
    }
}

static void
test_import_body (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) images = g_ptr_array_new ();
  OipFakeRequest *request;
  JsonObject *item;
  JsonArray *sent;
  gint64 task_id;

  g_ptr_array_add (images, (gpointer) "https://cdn.example.net/p/1001/side-v3.jpg");
  g_ptr_array_add (images, (gpointer) "https://cdn.example.net/p/1001/back-v3.jpg");
  oip_ozon_client_import_pictures_async (fixture->client, "ART-1001", images,
                                         "https://cdn.example.net/p/1001/main-v3.jpg",
                                         "https://cdn.example.net/p/1001/color.jpg",
                                         NULL, oip_test_on_ready, &result);
  task_id = oip_ozon_client_import_pictures_finish (fixture->client, oip_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (task_id, >, 0);

  request = oip_fake_ozon_last_request (fixture->fake, "/v2/product/pictures/import");
  assert_headers (request);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (request->body), "items")), ==, 1);
  item = json_array_get_object_element (json_object_get_array_member (json_node_get_object (request->body), "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (item, "offer_id"), ==, "ART-1001");
  g_assert_cmpstr (json_object_get_string_member (item, "primary_image"), ==, "https://cdn.example.net/p/1001/main-v3.jpg");
  g_assert_cmpstr (json_object_get_string_member (item, "color_image"), ==, "https://cdn.example.net/p/1001/color.jpg");
  sent = json_object_get_array_member (item, "images");
  g_assert_cmpuint (json_array_get_length (sent), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (sent, 0), ==, "https://cdn.example.net/p/1001/side-v3.jpg");
  g_assert_false (json_object_has_member (item, "images360"));
  g_assert_false (json_object_has_member (item, "product_id"));
}

static void
test_import_status_and_pictures (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) images = g_ptr_array_new ();
  g_autoptr(OipPictures) pictures = NULL;
  g_autofree char *good = oip_fake_ozon_image_url (fixture->fake, "fresh");
  OipFakeRequest *request;
  gint64 task_id;
  OipImportState states[3];

  g_ptr_array_add (images, good);
  g_ptr_array_add (images, (gpointer) "https://broken.invalid/a.jpg");
  oip_ozon_client_import_pictures_async (fixture->client, "ART-1001", images, NULL, NULL,
                                         NULL, oip_test_on_ready, &result);
  task_id = oip_ozon_client_import_pictures_finish (fixture->client, oip_test_wait (&result), &error);
  g_assert_no_error (error);

  /* Pending for two polls, then done. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(OipImportStatus) status = NULL;

      g_clear_object (&result);
      g_usleep (20000);
      oip_ozon_client_get_import_status_async (fixture->client, task_id, "ART-1001", NULL,
                                               oip_test_on_ready, &result);
      status = oip_ozon_client_get_import_status_finish (fixture->client, oip_test_wait (&result), &error);
      g_assert_no_error (error);
      states[i] = status->state;
    }
  g_assert_cmpint (states[0], ==, OIP_IMPORT_PENDING);
  g_assert_cmpint (states[1], ==, OIP_IMPORT_PENDING);
  g_assert_cmpint (states[2], ==, OIP_IMPORT_IMPORTED);

  request = oip_fake_ozon_last_request (fixture->fake, "/v1/product/import/info");
  assert_headers (request);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (request->body), "task_id"), ==, task_id);

  g_clear_object (&result);
  oip_ozon_client_get_pictures_async (fixture->client, 214365879, NULL, oip_test_on_ready, &result);
  pictures = oip_ozon_client_get_pictures_finish (fixture->client, oip_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (pictures->images), ==, 1);
  g_assert_cmpstr (pictures->images[0], ==, good);
  g_assert_cmpuint (pictures->errors->len, ==, 1);
  g_assert_cmpstr (((OipImageError *) g_ptr_array_index (pictures->errors, 0))->url, ==, "https://broken.invalid/a.jpg");

  request = oip_fake_ozon_last_request (fixture->fake, "/v2/product/pictures/info");
  assert_headers (request);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (json_node_get_object (request->body), "product_id"), 0), ==, "214365879");
}

static void
test_wrong_key (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OipOzonClient) client = oip_ozon_client_new (oip_fake_ozon_get_base_url (fixture->fake),
                                                         TEST_CLIENT_ID, "wrong-key", &error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(OipProduct) product = NULL;

  g_assert_no_error (error);
  oip_ozon_client_get_product_async (client, OIP_PRODUCT_KEY_OFFER_ID, "ART-1001", NULL, oip_test_on_ready, &result);
  product = oip_ozon_client_get_product_finish (client, oip_test_wait (&result), &error);
  g_assert_null (product);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_INVALID_API_KEY);
  /* The seller's sentence, without a raw status; Ozon's own words and the
   * status are kept beside it. The key is never part of a message. */
  g_assert_cmpstr (error->message, ==, "Ozon did not accept the Client ID or API Key");
  g_assert_cmpstr (oip_error_get_ozon_message (error), ==, "Invalid Api-Key, please check the key and try again");
  g_assert_cmpuint (oip_error_get_http_status (error), ==, 403);
  g_assert_null (strstr (error->message, "wrong-key"));
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v3/product/info/list"), ==, 1);
}

static void
test_fake_requires_headers (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GProxyResolver) direct = g_simple_proxy_resolver_new (NULL, NULL);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", direct, NULL);
  g_autofree char *url = g_strconcat (oip_fake_ozon_get_base_url (fixture->fake), "/v3/product/list", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = g_bytes_new_static ("{}", 2);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, oip_test_on_ready, &result);
  answer = soup_session_send_and_read_finish (session, oip_test_wait (&result), NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
  g_assert_nonnull (strstr (g_bytes_get_data (answer, NULL), "Client-Id and Api-Key headers are required"));
}

static void
test_missing_credentials (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OipOzonClient) client = oip_ozon_client_new (NULL, "", "key", &error);

  g_assert_null (client);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_CREDENTIALS_MISSING);
  g_clear_error (&error);
  g_assert_null (oip_ozon_client_new (NULL, "123", NULL, &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_CREDENTIALS_MISSING);
  g_clear_error (&error);
  g_assert_null (oip_ozon_client_new ("http://api-seller.ozon.ru", "123", "key", &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_INSECURE_URL);
}

typedef struct
{
  OipFakeFault fault;
  guint        times;
  guint        max_retries;
  gboolean     succeeds;
  guint        expected_attempts;
  OipError     expected_code;
  const char  *in_message;
  guint        http_status;
  const char  *ozon_message;
} FaultCase;

static const FaultCase fault_cases[] = {
  /* Retried: 429, 5xx (HTML bodies too); success once it clears. */
  { OIP_FAKE_FAULT_RATE_LIMIT, 1, 2, TRUE, 2, 0, NULL, 0, NULL },
  { OIP_FAKE_FAULT_RATE_LIMIT, 3, 2, FALSE, 3, OIP_ERROR_RATE_LIMITED, "Too many requests to Ozon in one second",
    429, "You have reached request rate limit per second" },
  { OIP_FAKE_FAULT_SERVER_ERROR, 2, 2, TRUE, 3, 0, NULL, 0, NULL },
  { OIP_FAKE_FAULT_SERVER_ERROR, 5, 2, FALSE, 3, OIP_ERROR_SERVER, "could not finish the request in time",
    500, "Internal error" },
  { OIP_FAKE_FAULT_SERVER_ERROR, 5, 0, FALSE, 1, OIP_ERROR_SERVER, "could not finish the request in time",
    500, "Internal error" },
  { OIP_FAKE_FAULT_BAD_GATEWAY_HTML, 1, 2, TRUE, 2, 0, NULL, 0, NULL },
  /* An HTML page: its title, not its markup. */
  { OIP_FAKE_FAULT_BAD_GATEWAY_HTML, 5, 1, FALSE, 2, OIP_ERROR_SERVER, "Ozon’s server had a problem: 502 Bad Gateway",
    502, "502 Bad Gateway" },
  /* Not retried. */
  { OIP_FAKE_FAULT_ITEM_LIMIT, 1, 2, FALSE, 1, OIP_ERROR_RATE_LIMITED,
    "You have reached Ozon’s limit on product changes; Ozon asks to wait 2 minutes", 429,
    "You have reached operation items limits. Retry after 120 seconds. Remaining 0 items" },
  { OIP_FAKE_FAULT_MALFORMED_JSON, 1, 2, FALSE, 1, OIP_ERROR_BAD_RESPONSE, "could not be read", 0, NULL },
  { OIP_FAKE_FAULT_GONE, 1, 2, FALSE, 1, OIP_ERROR_METHOD_GONE, "Ozon has switched this method off",
    410, "obsolete method cannot be used" },
  /* Ozon's words unknown: a summary, then them. */
  { OIP_FAKE_FAULT_ERROR_IN_200, 1, 2, FALSE, 1, OIP_ERROR_REJECTED, "Ozon rejected the request: Access denied",
    200, "Access denied" },
};

static void
test_fault (Fixture       *fixture,
            gconstpointer  data)
{
  const FaultCase *fault = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipProduct) product = NULL;

  oip_fake_ozon_set_retry_after (fixture->fake, 0);
  oip_fake_ozon_inject (fixture->fake, "/v3/product/info/list", fault->fault, fault->times);
  oip_ozon_client_set_max_retries (fixture->client, fault->max_retries);
  product = get_product (fixture, OIP_PRODUCT_KEY_OFFER_ID, "ART-1001", &error);

  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v3/product/info/list"), ==,
                    fault->expected_attempts);
  if (fault->succeeds)
    {
      g_assert_no_error (error);
      g_assert_cmpstr (oip_product_get_offer_id (product), ==, "ART-1001");
    }
  else
    {
      g_assert_null (product);
      g_assert_error (error, OIP_ERROR, (int) fault->expected_code);
      g_test_message ("message: %s", error->message);
      g_assert_nonnull (strstr (error->message, fault->in_message));
      g_assert_null (strstr (error->message, "HTTP"));
      g_assert_cmpuint (oip_error_get_http_status (error), ==, fault->http_status);
      g_assert_cmpstr (oip_error_get_ozon_message (error), ==, fault->ozon_message);
    }
}

static void
test_never_retry_4xx (Fixture       *fixture,
                      gconstpointer  data)
{
  static const struct { const char *path; const char *body; OipError code; } cases[] = {
    { "/v3/product/info/list", "{\"offer_id\":[\"A\"],\"sku\":[\"1\"]}", OIP_ERROR_REJECTED },
    { "/v9/no/such/method", "{}", OIP_ERROR_NOT_FOUND },
    { "/v1/product/pictures/import", "{\"product_id\":1}", OIP_ERROR_METHOD_GONE },
    { "/v1/product/import/info", "{\"task_id\":42}", OIP_ERROR_NOT_FOUND },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = call (fixture, cases[i].path, cases[i].body, &error);

      g_assert_null (node);
      g_assert_error (error, OIP_ERROR, (int) cases[i].code);
      g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, cases[i].path), ==, 1);
    }
}

static void
test_retry_after_honoured (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipProduct) product = NULL;
  gint64 elapsed;

  oip_fake_ozon_set_retry_after (fixture->fake, 1);
  oip_fake_ozon_inject (fixture->fake, NULL, OIP_FAKE_FAULT_RATE_LIMIT, 1);
  oip_ozon_client_get_product_async (fixture->client, OIP_PRODUCT_KEY_OFFER_ID, "ART-1001", NULL,
                                     oip_test_on_ready, &result);
  elapsed = oip_test_wait_elapsed_ms (&result);
  product = oip_ozon_client_get_product_finish (fixture->client, result, &error);

  g_assert_no_error (error);
  g_assert_nonnull (product);
  /* The back-off here is 10 ms: only Retry-After explains a 1 s wait. */
  g_assert_cmpint (elapsed, >=, 950);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v3/product/info/list"), ==, 2);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipProduct) product = NULL;
  gint64 elapsed;

  oip_fake_ozon_set_slow_delay (fixture->fake, 3000);
  oip_fake_ozon_inject (fixture->fake, NULL, OIP_FAKE_FAULT_SLOW, 2);
  oip_ozon_client_set_timeout (fixture->client, 1);
  oip_ozon_client_set_max_retries (fixture->client, 1);
  oip_ozon_client_get_product_async (fixture->client, OIP_PRODUCT_KEY_OFFER_ID, "ART-1001", NULL,
                                     oip_test_on_ready, &result);
  elapsed = oip_test_wait_elapsed_ms (&result);
  product = oip_ozon_client_get_product_finish (fixture->client, result, &error);

  g_assert_null (product);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_TIMEOUT);
  /* The timeout bounds the whole call: no time is left for a retry. */
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v3/product/info/list"), ==, 1);
  g_assert_cmpint (elapsed, >=, 950);
  g_assert_cmpint (elapsed, <, 2500);
}

/* A wait that does not fit in the time left is reported at once, with
 * what Ozon asked for, however many retries are allowed. */
static void
test_retry_after_too_long (Fixture       *fixture,
                           gconstpointer  data)
{
  static const struct { const char *header; const char *value; const char *wait; } cases[] = {
    { "Retry-After", "60", "60 seconds" },
    { "Retry-After", "70000001", "811 days" },
    { "Retry-After", "99999999999999999999999", "4294967295 days" },
    { "Item-Retry-After", "90", "90 minutes" },
    { "Item-Retry-After", "1440", "24 hours" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *headers[] = { NULL, NULL };
      g_autofree char *header = g_strdup_printf ("%s: %s", cases[i].header, cases[i].value);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(OipProduct) product = NULL;
      guint before = oip_fake_ozon_count_requests (fixture->fake, "/v3/product/info/list");
      gint64 elapsed;

      headers[0] = header;
      oip_fake_ozon_inject_answer (fixture->fake, "/v3/product/info/list", 429, headers,
                                   "{\"code\":8,\"message\":\"You have reached request rate limit per second\"}",
                                   -1, 100);
      oip_ozon_client_set_timeout (fixture->client, 3);
      oip_ozon_client_set_max_retries (fixture->client, 10);
      oip_ozon_client_get_product_async (fixture->client, OIP_PRODUCT_KEY_OFFER_ID, "ART-1001", NULL,
                                         oip_test_on_ready, &result);
      elapsed = oip_test_wait_elapsed_ms (&result);
      product = oip_ozon_client_get_product_finish (fixture->client, result, &error);

      g_test_message ("%s: %s → %s in %" G_GINT64_FORMAT " ms", cases[i].header, cases[i].value,
                      error->message, elapsed);
      g_assert_error (error, OIP_ERROR, OIP_ERROR_RATE_LIMITED);
      g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v3/product/info/list"), ==, before + 1);
      g_assert_cmpint (elapsed, <, 1000);
      g_assert_nonnull (strstr (error->message, "Ozon asks to wait"));
      g_assert_nonnull (strstr (error->message, cases[i].wait));
      g_assert_cmpuint (oip_error_get_http_status (error), ==, 429);
      g_assert_cmpstr (oip_error_get_ozon_message (error), ==, "You have reached request rate limit per second");
      oip_fake_ozon_clear_faults (fixture->fake);
    }
}

static gboolean
cancel_soon (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  /* Once while the request is under way, once during a Retry-After wait. */
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(OipProduct) product = NULL;
      gint64 elapsed;

      if (round == 0)
        {
          oip_fake_ozon_set_slow_delay (fixture->fake, 5000);
          oip_fake_ozon_inject (fixture->fake, NULL, OIP_FAKE_FAULT_SLOW, 1);
        }
      else
        {
          oip_fake_ozon_set_retry_after (fixture->fake, 5);
          oip_fake_ozon_inject (fixture->fake, NULL, OIP_FAKE_FAULT_RATE_LIMIT, 1);
        }

      g_timeout_add (300, cancel_soon, cancellable);
      oip_ozon_client_get_product_async (fixture->client, OIP_PRODUCT_KEY_OFFER_ID, "ART-1001", cancellable,
                                         oip_test_on_ready, &result);
      elapsed = oip_test_wait_elapsed_ms (&result);
      product = oip_ozon_client_get_product_finish (fixture->client, result, &error);

      g_test_message ("round %u: %" G_GINT64_FORMAT " ms, %s", round, elapsed, error ? error->message : "no error");
      g_assert_null (product);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpint (elapsed, <, 2000);
    }
}

int
main (int   argc,
      char *argv[])
{
  oip_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/client/get-product/each-key", test_get_product_by_each_key);
  ADD ("/client/get-product/not-found", test_get_product_not_found);
  ADD ("/client/get-product/int64-exact", test_big_ids_exact);
  ADD ("/client/list-products/pages", test_list_products_pages);
  ADD ("/client/list-products/many-pages", test_list_products_many_pages);
  ADD ("/client/list-products/stops-at-total", test_list_products_stops_at_total);
  ADD ("/client/list-products/bad-answers", test_list_products_bad_answers);
  ADD ("/client/import/body", test_import_body);
  ADD ("/client/import/status-and-pictures", test_import_status_and_pictures);
  ADD ("/client/auth/wrong-key", test_wrong_key);
  ADD ("/client/auth/fake-requires-headers", test_fake_requires_headers);
  g_test_add_func ("/client/auth/missing", test_missing_credentials);
  ADD ("/client/errors/4xx-not-retried", test_never_retry_4xx);
  ADD ("/client/retry/retry-after-honoured", test_retry_after_honoured);
  ADD ("/client/retry/timeout", test_timeout);
  ADD ("/client/retry/retry-after-too-long", test_retry_after_too_long);
  ADD ("/client/cancel", test_cancel);

  for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/client/fault/%u-%u-%u", fault_cases[i].fault,
                                               fault_cases[i].times, fault_cases[i].max_retries);

      g_test_add (path, Fixture, &fault_cases[i], fixture_set_up, test_fault, fixture_tear_down);
    }

  return g_test_run ();
}
