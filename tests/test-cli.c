/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "oip-fake-ozon.h"
#include "oip-json.h"
#include "oip-test-util.h"

/* ozon-push end to end: the real binary, run as a script would run it,
 * against the fake Ozon server in this process. */

#define PRODUCT_ID "214365879"

typedef struct
{
  OipFakeOzon *fake;
  GPtrArray   *env;     /* NAME=VALUE overrides for the next run */
} Fixture;

typedef struct
{
  int       status;
  char     *out;
  char     *err;
  JsonNode *json;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
  g_clear_pointer (&run->json, json_node_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  oip_test_empty_dirs ();
  fixture->fake = oip_test_fake_new ();
  fixture->env = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_ptr_array_unref (fixture->env);
  oip_test_assert_finalize (fixture->fake);
}

static void
set_env (Fixture    *fixture,
         const char *name,
         const char *value)
{
  g_ptr_array_add (fixture->env, g_strdup_printf ("%s=%s", name, value ? value : ""));
}

/* Runs `ozon-push ARGS…` with the fake's address and credentials (unless
 * overridden), and asserts that the Api-Key shows up in nothing it
 * prints. */
static void
run_cli (Fixture    *fixture,
         Run        *run,
         const char *stdin_text,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonParser) parser = json_parser_new ();
  va_list ap;

  va_start (ap, stdin_text);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  /* The fake's address and credentials, then this run's overrides. */
  g_ptr_array_add (env, g_strconcat ("OZON_API_URL=", oip_fake_ozon_get_base_url (fixture->fake), NULL));
  g_ptr_array_add (env, g_strdup ("OZON_CLIENT_ID=" TEST_CLIENT_ID));
  g_ptr_array_add (env, g_strdup ("OZON_API_KEY=" TEST_API_KEY));
  g_ptr_array_add (env, g_strdup ("OZON_PUSH_POLL_INTERVAL_MS=10"));
  g_ptr_array_extend_and_steal (env, g_steal_pointer (&fixture->env));
  fixture->env = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (env, NULL);

  run->status = oip_test_run_cli ((const char * const *) env->pdata, stdin_text,
                                  (const char * const *) args->pdata, &run->out, &run->err);

  if (json_parser_load_from_data (parser, run->out, -1, NULL) && json_parser_get_root (parser) != NULL)
    run->json = json_parser_steal_root (parser);
}

static JsonObject *
json_object (Run *run)
{
  g_assert_nonnull (run->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (run->json));
  return json_node_get_object (run->json);
}

static const char *
error_code (Run *run)
{
  JsonObject *root = json_object (run);

  g_assert_false (json_object_get_boolean_member (root, "success"));
  return json_object_get_string_member (json_object_get_object_member (root, "error"), "code");
}

static void
download (Fixture *fixture)
{
  g_auto(Run) run = { 0 };

  run_cli (fixture, &run, NULL, "product", "--product-id", PRODUCT_ID, NULL);
  g_assert_cmpint (run.status, ==, 0);
}

static char *
write_request (const char *json)
{
  char *path = g_build_filename (g_get_user_cache_dir (), "request.json", NULL);

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  return path;
}

static void
assert_store_has_no_key (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "ozon-image-push", "products.json", NULL);
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, TEST_API_KEY));
}

static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  static const char *cases[][5] = {
    { "bogus", NULL },
    { "push", NULL },
    { "push", "--request", "x.json", "--product-id", "1" },
    { "push", "--product-id", "abc", NULL },
    { "push", "--product-id", "1", "--timeout", "0" },
    { "product", NULL },
    { "product", "--offer-id", "A", "--sku", "1" },
    { "status", "--product-id", "-3", NULL },
    { "push", "--product-id", "1", "https://stray/arg.jpg", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };

      run_cli (fixture, &run, NULL, cases[i][0], cases[i][1], cases[i][2], cases[i][3], cases[i][4], NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.err, !=, "");
    }

  {
    g_auto(Run) none = { 0 };
    g_auto(Run) help = { 0 };
    g_auto(Run) push_help = { 0 };

    run_cli (fixture, &none, NULL, NULL);
    g_assert_cmpint (none.status, ==, 2);
    run_cli (fixture, &help, NULL, "--help", NULL);
    g_assert_cmpint (help.status, ==, 0);
    g_assert_nonnull (strstr (help.out, "OZON_API_URL"));
    g_assert_nonnull (strstr (help.out, "OZON_API_KEY"));
    run_cli (fixture, &push_help, NULL, "push", "--help", NULL);
    g_assert_cmpint (push_help.status, ==, 0);
    g_assert_nonnull (strstr (push_help.out, "--request"));
    g_assert_nonnull (strstr (push_help.out, "--no-validate-urls"));
  }
  /* Nothing reached the server. */
  g_assert_cmpuint (oip_fake_ozon_get_requests (fixture->fake)->len, ==, 0);
}

static void
test_product (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *store = g_build_filename (g_get_user_data_dir (), "ozon-image-push", "products.json", NULL);
  JsonObject *product;

  run_cli (fixture, &run, NULL, "product", "--offer-id", "ART-1001", NULL);
  g_assert_cmpint (run.status, ==, 0);
  product = json_object (&run);
  g_assert_cmpint (json_object_get_int_member (product, "product_id"), ==, 214365879);
  g_assert_cmpstr (json_object_get_string_member (product, "offer_id"), ==, "ART-1001");
  g_assert_cmpint (json_object_get_int_member (product, "sku"), ==, 1733002211);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (product, "images")), ==, 3);
  g_assert_true (g_file_test (store, G_FILE_TEST_EXISTS));
  assert_store_has_no_key ();
}

static void
test_push_request_file (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *a = oip_fake_ozon_image_url (fixture->fake, "req-a");
  g_autofree char *b = oip_fake_ozon_image_url (fixture->fake, "req-b");
  g_autofree char *color = oip_fake_ozon_image_url (fixture->fake, "req-color");
  g_autofree char *json = g_strdup_printf (
    "{\"credential\":{\"client_id\":\"%s\",\"api_key\":\"%s\"},\"product_id\":%s,"
    "\"images\":[\"%s\",\"%s\"],\"images360\":[\"https://r2.com/360_1.jpg\"],\"color_image\":\"%s\"}",
    TEST_CLIENT_ID, TEST_API_KEY, PRODUCT_ID, a, b, color);
  g_autofree char *path = write_request (json);
  g_auto(Run) run = { 0 };
  JsonObject *root;
  JsonObject *result;
  JsonObject *updated;
  JsonArray *notices;
  OipFakeRequest *import;

  download (fixture);
  /* Credentials from the file only. */
  set_env (fixture, "OZON_CLIENT_ID", NULL);
  set_env (fixture, "OZON_API_KEY", NULL);
  run_cli (fixture, &run, NULL, "push", "--request", path, NULL);
  g_assert_cmpint (run.status, ==, 0);

  root = json_object (&run);
  g_assert_true (json_object_get_boolean_member (root, "success"));
  result = json_object_get_object_member (root, "data");
  g_assert_cmpint (json_object_get_int_member (result, "product_id"), ==, 214365879);
  updated = json_object_get_object_member (result, "updated");
  g_assert_cmpint (json_object_get_int_member (updated, "images"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (updated, "images360"), ==, 0);
  g_assert_true (json_object_get_boolean_member (updated, "color_image"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "current_images")), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (result, "current_images"), 0), ==, a);
  notices = json_object_get_array_member (result, "notices");
  g_assert_cmpuint (json_array_get_length (notices), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (notices, 0), "code"), ==,
                   "images360_unsupported");
  g_assert_nonnull (strstr (run.err, "360"));

  import = oip_fake_ozon_last_request (fixture->fake, "/v2/product/pictures/import");
  g_assert_cmpstr (import->api_key, ==, TEST_API_KEY);
  g_assert_null (strstr (import->body_text, "images360"));
  assert_store_has_no_key ();
}

static void
test_push_stdin (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *a = oip_fake_ozon_image_url (fixture->fake, "stdin-a");
  g_autofree char *json = g_strdup_printf ("{\"product_id\":%s,\"images\":[\"%s\"]}", PRODUCT_ID, a);
  g_auto(Run) run = { 0 };

  download (fixture);
  run_cli (fixture, &run, json, "push", "--request", "-", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_object_get_boolean_member (json_object (&run), "success"));
  g_assert_cmpstr (oip_fake_ozon_get_product_images (fixture->fake, 214365879)[0], ==, a);
}

static void
test_push_options (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *a = oip_fake_ozon_image_url (fixture->fake, "opt-a");
  g_autofree char *b = oip_fake_ozon_image_url (fixture->fake, "opt-b");
  g_auto(Run) run = { 0 };
  OipFakeRequest *import;
  JsonObject *item;

  download (fixture);
  run_cli (fixture, &run, NULL, "push", "--product-id", PRODUCT_ID, "--image", a, "--image", b,
           "--primary-image", b, NULL);
  g_assert_cmpint (run.status, ==, 0);
  import = oip_fake_ozon_last_request (fixture->fake, "/v2/product/pictures/import");
  item = json_array_get_object_element (json_object_get_array_member (json_node_get_object (import->body), "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (item, "primary_image"), ==, b);
  g_assert_cmpstr (oip_fake_ozon_get_product_images (fixture->fake, 214365879)[0], ==, b);
}

static void
test_truncation (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GString) json = g_string_new ("{\"product_id\":" PRODUCT_ID ",\"images\":[");
  g_autofree char *path = NULL;
  g_auto(Run) run = { 0 };
  JsonObject *result;
  JsonObject *notice;
  OipFakeRequest *import;
  JsonObject *item;

  for (guint i = 0; i < 31; i++)
    g_string_append_printf (json, "%s\"https://cdn.example.net/p/%u.jpg\"", i ? "," : "", i);
  g_string_append (json, "]}");
  path = write_request (json->str);

  download (fixture);
  run_cli (fixture, &run, NULL, "push", "--request", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  result = json_object_get_object_member (json_object (&run), "data");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (result, "updated"), "images"), ==, 30);
  notice = json_array_get_object_element (json_object_get_array_member (result, "notices"), 0);
  g_assert_cmpstr (json_object_get_string_member (notice, "code"), ==, "truncated");
  g_assert_cmpint (json_object_get_int_member (notice, "dropped"), ==, 1);

  import = oip_fake_ozon_last_request (fixture->fake, "/v2/product/pictures/import");
  item = json_array_get_object_element (json_object_get_array_member (json_node_get_object (import->body), "items"), 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (item, "images")), ==, 30);
}

static void
test_validation_errors (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  JsonObject *root;
  JsonArray *errors;
  JsonObject *first;

  download (fixture);
  run_cli (fixture, &run, NULL, "push", "--product-id", PRODUCT_ID,
           "--image", "https://cdn.example.net/ok.jpg", "--image", "r2.com/img2.jpg",
           "--image", "https://cdn.example.net/ok.jpg", NULL);
  g_assert_cmpint (run.status, ==, 1);
  root = json_object (&run);
  g_assert_false (json_object_get_boolean_member (root, "success"));
  errors = json_object_get_array_member (root, "errors");
  g_assert_cmpuint (json_array_get_length (errors), ==, 2);
  first = json_array_get_object_element (errors, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "field"), ==, "images");
  g_assert_cmpint (json_object_get_int_member (first, "index"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (first, "url"), ==, "r2.com/img2.jpg");
  g_assert_cmpstr (json_object_get_string_member (first, "reason"), ==, "Invalid URL format");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (errors, 1), "reason"), ==,
                   "Duplicate URL");
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==, 0);

  /* With checks off, the malformed one goes through (the duplicate does not). */
  {
    g_auto(Run) off = { 0 };

    run_cli (fixture, &off, NULL, "push", "--product-id", PRODUCT_ID, "--no-validate-urls",
             "--image", "https://cdn.example.net/ok.jpg", "--image", "r2.com/img2.jpg", NULL);
    g_assert_cmpint (off.status, ==, 0);
  }
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(Run) no_images = { 0 };
  g_auto(Run) not_downloaded = { 0 };
  g_auto(Run) bad_json = { 0 };
  g_auto(Run) missing_file = { 0 };

  run_cli (fixture, &not_downloaded, NULL, "push", "--product-id", PRODUCT_ID,
           "--image", "https://cdn.example.net/a.jpg", NULL);
  g_assert_cmpint (not_downloaded.status, ==, 1);
  g_assert_cmpstr (error_code (&not_downloaded), ==, "product_not_found");
  g_assert_nonnull (strstr (not_downloaded.err, "ozon-push product --product-id " PRODUCT_ID));

  run_cli (fixture, &no_images, "{\"product_id\":" PRODUCT_ID ",\"images\":[]}", "push", "--request", "-", NULL);
  g_assert_cmpint (no_images.status, ==, 1);
  g_assert_cmpstr (error_code (&no_images), ==, "no_images");

  run_cli (fixture, &bad_json, "{\"product_id\":", "push", "--request", "-", NULL);
  g_assert_cmpint (bad_json.status, ==, 1);
  g_assert_cmpstr (error_code (&bad_json), ==, "invalid_request");

  run_cli (fixture, &missing_file, NULL, "push", "--request", "/nonexistent/request.json", NULL);
  g_assert_cmpint (missing_file.status, ==, 1);
  g_assert_cmpstr (error_code (&missing_file), ==, "io");

  g_assert_cmpuint (oip_fake_ozon_get_requests (fixture->fake)->len, ==, 0);
}

static void
test_credentials (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(Run) missing = { 0 };
  g_auto(Run) wrong = { 0 };
  g_auto(Run) insecure = { 0 };

  /* No request credentials, no environment, no keyring to ask. */
  set_env (fixture, "OZON_CLIENT_ID", NULL);
  set_env (fixture, "OZON_API_KEY", NULL);
  set_env (fixture, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");
  set_env (fixture, "DISPLAY", NULL);
  run_cli (fixture, &missing, NULL, "status", "--product-id", PRODUCT_ID, NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_cmpstr (error_code (&missing), ==, "credentials_missing");
  g_assert_nonnull (strstr (missing.err, "keyring"));

  set_env (fixture, "OZON_API_KEY", "not-the-key");
  run_cli (fixture, &wrong, NULL, "status", "--product-id", PRODUCT_ID, NULL);
  g_assert_cmpint (wrong.status, ==, 1);
  g_assert_cmpstr (error_code (&wrong), ==, "invalid_api_key");
  g_assert_nonnull (strstr (wrong.out, "Invalid Api-Key"));
  g_assert_null (strstr (wrong.out, "not-the-key"));
  g_assert_null (strstr (wrong.err, "not-the-key"));

  set_env (fixture, "OZON_API_URL", "http://api-seller.ozon.ru");
  run_cli (fixture, &insecure, NULL, "status", "--product-id", PRODUCT_ID, NULL);
  g_assert_cmpint (insecure.status, ==, 1);
  g_assert_cmpstr (error_code (&insecure), ==, "insecure_url");
}

typedef struct
{
  OipFakeFault  fault;
  const char   *code;
} CliFault;

static const CliFault cli_faults[] = {
  { OIP_FAKE_FAULT_RATE_LIMIT, "rate_limited" },
  { OIP_FAKE_FAULT_ITEM_LIMIT, "rate_limited" },
  { OIP_FAKE_FAULT_SERVER_ERROR, "server_error" },
  { OIP_FAKE_FAULT_BAD_GATEWAY_HTML, "server_error" },
  { OIP_FAKE_FAULT_MALFORMED_JSON, "bad_response" },
  { OIP_FAKE_FAULT_SLOW, "timeout" },
  { OIP_FAKE_FAULT_GONE, "method_gone" },
  { OIP_FAKE_FAULT_ERROR_IN_200, "rejected" },
};

static void
test_fault (Fixture       *fixture,
            gconstpointer  data)
{
  const CliFault *fault = data;
  g_autofree char *a = oip_fake_ozon_image_url (fixture->fake, "fault-a");
  g_auto(Run) run = { 0 };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *store = g_build_filename (g_get_user_data_dir (), "ozon-image-push", "products.json", NULL);

  download (fixture);
  g_assert_true (g_file_get_contents (store, &before, NULL, NULL));
  oip_fake_ozon_set_retry_after (fixture->fake, 0);
  oip_fake_ozon_set_slow_delay (fixture->fake, 2500);
  oip_fake_ozon_inject (fixture->fake, "/v2/product/pictures/import", fault->fault, 10);
  run_cli (fixture, &run, NULL, "push", "--product-id", PRODUCT_ID, "--image", a,
           "--timeout", "1", "--max-retries", "1", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (error_code (&run), ==, fault->code);
  g_assert_nonnull (json_object_get_string_member (json_object_get_object_member (json_object (&run), "error"), "hint"));
  /* A failed push leaves the stored product as it was. */
  g_assert_true (g_file_get_contents (store, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);
}

static void
test_import_failed (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *missing = oip_fake_ozon_image_url (fixture->fake, "missing-x");
  g_auto(Run) run = { 0 };
  JsonObject *root;

  download (fixture);
  run_cli (fixture, &run, NULL, "push", "--product-id", PRODUCT_ID, "--image", missing, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (error_code (&run), ==, "import_failed");
  root = json_object (&run);
  /* What Ozon said about each image is kept with the failure. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_object_get_object_member (root, "data"), "image_errors")), ==, 1);
}

static void
test_debug_log_has_no_key (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *a = oip_fake_ozon_image_url (fixture->fake, "debug-a");
  g_auto(Run) run = { 0 };

  download (fixture);
  oip_fake_ozon_inject (fixture->fake, "/v2/product/pictures/import", OIP_FAKE_FAULT_SERVER_ERROR, 1);
  set_env (fixture, "G_MESSAGES_DEBUG", "all");
  run_cli (fixture, &run, NULL, "push", "--product-id", PRODUCT_ID, "--image", a, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_object_get_boolean_member (json_object (&run), "success"));
  /* Debug output was on (the retry is logged), and run_cli found no key in it. */
  g_assert_nonnull (strstr (run.err, "retry 1 of 2"));
}

static void
test_status_and_products (Fixture       *fixture,
                          gconstpointer  data)
{
  g_auto(Run) status = { 0 };
  g_auto(Run) products = { 0 };
  JsonObject *root;

  run_cli (fixture, &status, NULL, "status", "--product-id", PRODUCT_ID, NULL);
  g_assert_cmpint (status.status, ==, 0);
  root = json_object (&status);
  g_assert_cmpint (json_object_get_int_member (root, "product_id"), ==, 214365879);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "images")), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "errors")), ==, 0);

  run_cli (fixture, &products, NULL, "products", "--page-size", "1", NULL);
  g_assert_cmpint (products.status, ==, 0);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (products.json));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (products.json)), ==, 3);
  /* Three full pages of one, then the empty page that ends the list. */
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v3/product/list"), ==, 4);
}

int
main (int   argc,
      char *argv[])
{
  oip_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/cli/usage", test_usage);
  ADD ("/cli/product", test_product);
  ADD ("/cli/push/request-file", test_push_request_file);
  ADD ("/cli/push/stdin", test_push_stdin);
  ADD ("/cli/push/options", test_push_options);
  ADD ("/cli/push/truncation", test_truncation);
  ADD ("/cli/push/validation-errors", test_validation_errors);
  ADD ("/cli/push/refusals", test_refusals);
  ADD ("/cli/push/import-failed", test_import_failed);
  ADD ("/cli/credentials", test_credentials);
  ADD ("/cli/push/debug-log-has-no-key", test_debug_log_has_no_key);
  ADD ("/cli/status-and-products", test_status_and_products);
  for (guint i = 0; i < G_N_ELEMENTS (cli_faults); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/fault/%u-%s", cli_faults[i].fault, cli_faults[i].code);

      g_test_add (path, Fixture, &cli_faults[i], fixture_set_up, test_fault, fixture_tear_down);
    }

  return g_test_run ();
}
