/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "oip-bulk-run.h"
#include "oip-fake-ozon.h"
#include "oip-json.h"
#include "oip-push-request.h"
#include "oip-test-util.h"

/* ozon-push end to end: the real binary, run as a script would run it,
 * against the fake Ozon server in this process. */

#define PRODUCT_ID "214365879"

typedef struct
{
  OipFakeOzon *fake;
  GPtrArray   *env;     /* NAME=VALUE overrides for the next run */
  char        *stdin_path;  /* standard input of the next run, if a file */
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

static GPtrArray *
history_lines (Run *run)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_auto(GStrv) lines = g_strsplit (run->out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (*lines[i] == '\0')
        continue;
      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, NULL));
      g_ptr_array_add (records, json_parser_steal_root (parser));
    }
  return records;
}

static JsonObject *
record_at (GPtrArray *records,
           guint      i)
{
  g_assert_cmpuint (i, <, records->len);
  return json_node_get_object (g_ptr_array_index (records, i));
}

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
  g_free (fixture->stdin_path);
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
  g_ptr_array_extend_and_steal (env, g_steal_pointer (&fixture->env));
  fixture->env = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (env, NULL);

  if (fixture->stdin_path != NULL)
    run->status = oip_test_run_cli_stdin_file ((const char * const *) env->pdata, fixture->stdin_path,
                                               (const char * const *) args->pdata, &run->out, &run->err);
  else
    run->status = oip_test_run_cli ((const char * const *) env->pdata, stdin_text,
                                    (const char * const *) args->pdata, &run->out, &run->err);
  g_clear_pointer (&fixture->stdin_path, g_free);

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

static char *
database_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "ozon-image-push", "ozon-image-push.db", NULL);
}

/* Nothing secret in the database, its write-ahead log, or beside them. */
static void
assert_store_has_no_key (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "ozon-image-push", NULL);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint files = 0;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_assert_null (g_strstr_len (contents, length, TEST_API_KEY));
      files++;
    }
  g_assert_cmpuint (files, >, 0);
}

/* The stored product's images, as the next push would start from them. */
static char *
stored_images (void)
{
  g_autoptr(OipDatabase) db = oip_test_database_open (NULL);
  g_autoptr(OipProductStore) store = oip_product_store_new (db);
  g_autoptr(OipProduct) product = oip_test_store_lookup (store, 214365879, NULL);

  g_assert_nonnull (product);
  return g_strjoinv ("\n", (char **) oip_product_get_images (product));
}

static gpointer
endless_writer (gpointer data)
{
  int fd = open (data, O_WRONLY);
  char block[65536];

  memset (block, '[', sizeof block);
  g_assert_cmpint (fd, >=, 0);
  /* Until the reader gives up: then EPIPE (SIGPIPE is ignored). */
  while (write (fd, block, sizeof block) > 0)
    ;
  close (fd);
  return NULL;
}

static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  static const char *cases[][5] = {
    { "bogus", NULL },
    { "push", NULL },
    { "push", "--request", "x.json", "--product-id", "1" },
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
  g_autofree char *store = database_path ();
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
  /* The main image goes first; Ozon shows the first image as the main one. */
  g_assert_false (json_object_has_member (item, "primary_image"));
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (item, "images"), 0), ==, b);
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

  /* With checks off, the malformed one goes through (the duplicate does
   * not); Ozon cannot fetch it, and the result says so: partial, exit 1. */
  {
    g_auto(Run) off = { 0 };

    run_cli (fixture, &off, NULL, "push", "--product-id", PRODUCT_ID, "--no-validate-urls",
             "--image", "https://cdn.example.net/ok.jpg", "--image", "r2.com/img2.jpg", NULL);
    g_assert_cmpint (off.status, ==, 1);
    g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==, 1);
    g_assert_cmpstr (error_code (&off), ==, "partial");
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_object (&off), "data"),
                                                 "failed"), ==, 1);
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

  download (fixture);
  before = stored_images ();
  oip_fake_ozon_set_retry_after (fixture->fake, 0);
  oip_fake_ozon_set_slow_delay (fixture->fake, 2500);
  oip_fake_ozon_inject (fixture->fake, "/v2/product/pictures/import", fault->fault, 10);
  run_cli (fixture, &run, NULL, "push", "--product-id", PRODUCT_ID, "--image", a,
           "--timeout", "1", "--max-retries", "1", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (error_code (&run), ==, fault->code);
  g_assert_nonnull (json_object_get_string_member (json_object_get_object_member (json_object (&run), "error"), "hint"));
  /* A failed push leaves the stored product as it was. */
  after = stored_images ();
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
  /* Three full pages of one, and no empty page after: total_items says
   * the list is complete. */
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v3/product/list"), ==, 3);
}

static const char *
json_error_message (Run *run)
{
  return json_object_get_string_member (json_object_get_object_member (json_object (run), "error"), "message");
}

/* Empty, huge, deep, not an object, endless: each request is refused with
 * the seed's error JSON and exit 1, never a crash or a hang. */
static void
test_bad_requests (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *deep = g_strnfill (100000, '[');
  g_autofree char *big_name = g_strnfill (OIP_PUSH_REQUEST_MAX_SIZE, 'a');
  g_autofree char *huge = g_strdup_printf ("{\"product_id\":1,\"images\":[\"https://cdn.example.net/%s.jpg\"]}", big_name);
  const struct { const char *name; const char *content; gssize length; const char *says; } cases[] = {
    { "empty", "", 0, "empty" },
    { "blank", " \n\t\n", -1, NULL },
    { "deep", deep, -1, "nested" },
    { "huge", huge, -1, "larger than" },
    { "array", "[{\"product_id\":1}]", -1, "object" },
    { "string", "\"{}\"", -1, "object" },
    { "wrapped id", "{\"product_id\":-18446744073709550615,\"images\":[\"https://cdn.example.net/a.jpg\"]}", -1, "out of range" },
    { "NUL", "{\"images\":[]}\0", 14, "NUL" },
    { "binary", "\x89PNG\r\n\x1a\n", -1, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint from_stdin = 0; from_stdin <= 1; from_stdin++)
      {
        g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "bad-request.json", NULL);
        g_auto(Run) run = { 0 };

        g_test_message ("request: %s, %s", cases[i].name, from_stdin ? "standard input" : "file");
        g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
        g_assert_true (g_file_set_contents (path, cases[i].content, cases[i].length, NULL));
        if (from_stdin)
          fixture->stdin_path = g_strdup (path);
        run_cli (fixture, &run, NULL, "push", "--request", from_stdin ? "-" : path, NULL);
        g_assert_cmpint (run.status, ==, 1);
        g_assert_cmpstr (error_code (&run), ==, "invalid_request");
        if (cases[i].says != NULL)
          g_assert_nonnull (strstr (json_error_message (&run), cases[i].says));
      }

  /* A device that never ends, as a file and as standard input. */
  for (guint from_stdin = 0; from_stdin <= 1; from_stdin++)
    {
      g_auto(Run) run = { 0 };

      if (from_stdin)
        fixture->stdin_path = g_strdup ("/dev/zero");
      run_cli (fixture, &run, NULL, "push", "--request", from_stdin ? "-" : "/dev/zero", NULL);
      g_assert_cmpint (run.status, ==, 1);
      g_assert_cmpstr (error_code (&run), ==, "invalid_request");
      g_assert_nonnull (strstr (json_error_message (&run), "larger than"));
    }
  g_assert_cmpuint (oip_fake_ozon_get_requests (fixture->fake)->len, ==, 0);
}

/* A FIFO that never ends is cut off at the limit too. */
static void
test_endless_fifo (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *fifo = g_build_filename (g_get_user_cache_dir (), "endless.fifo", NULL);
  g_autoptr(GThread) writer = NULL;
  g_auto(Run) run = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  writer = g_thread_new ("writer", endless_writer, fifo);
  run_cli (fixture, &run, NULL, "push", "--request", fifo, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (error_code (&run), ==, "invalid_request");
  g_assert_nonnull (strstr (json_error_message (&run), "larger than"));
  g_thread_join (g_steal_pointer (&writer));
  g_unlink (fifo);
}

static void
assert_field_error (Run        *run,
                    const char *field,
                    const char *reason)
{
  JsonObject *root = json_object (run);
  JsonArray *errors;
  JsonObject *first;

  g_assert_cmpint (run->status, ==, 1);
  g_assert_false (json_object_get_boolean_member (root, "success"));
  errors = json_object_get_array_member (root, "errors");
  g_assert_nonnull (errors);
  g_assert_cmpuint (json_array_get_length (errors), >=, 1);
  first = json_array_get_object_element (errors, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "field"), ==, field);
  g_assert_cmpstr (json_object_get_string_member (first, "reason"), ==, reason);
}

/* Wrong product ids, from the command line or a file, are refused in the
 * seed's errors shape, and nothing reaches Ozon. */
static void
test_bad_product_ids (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *options[] = { "abc", "-18446744073709550615", "0", "-5", "1.5", "+1", "9223372036854775808", "" };
  const char *files[] = { "\"214365879\"", "214365879.0", "true", "null", "-214365879", "[214365879]" };

  download (fixture);
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      g_auto(Run) run = { 0 };

      run_cli (fixture, &run, NULL, "push", "--product-id", options[i], "--image", "https://cdn.example.net/a.jpg", NULL);
      assert_field_error (&run, "product_id", "Invalid product ID");
      g_assert_nonnull (strstr (run.err, "product_id"));
    }
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_auto(Run) run = { 0 };
      g_autofree char *json = g_strdup_printf ("{\"product_id\":%s,\"images\":[\"https://cdn.example.net/a.jpg\"]}", files[i]);

      run_cli (fixture, &run, json, "push", "--request", "-", NULL);
      assert_field_error (&run, "product_id", g_str_equal (files[i], "null") ? "Missing product ID" : "Invalid product ID");
    }
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==, 0);
}

/* Every URL is checked wherever it stands: a main image after 30 images,
 * a \u0000 that used to cut a URL short, a line break in a color image. */
static void
test_hidden_bad_urls (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *a = oip_fake_ozon_image_url (fixture->fake, "hidden-a");
  g_auto(Run) primary = { 0 };
  g_auto(Run) nul = { 0 };
  g_auto(Run) color = { 0 };
  g_autofree char *nul_json = g_strdup_printf ("{\"product_id\":" PRODUCT_ID ",\"images\":[\"%s\\u0000.evil\"]}", a);
  g_autoptr(GString) json = g_string_new ("{\"product_id\":" PRODUCT_ID ",\"images\":[");
  JsonObject *first;

  download (fixture);
  for (guint i = 0; i < 31; i++)
    g_string_append_printf (json, "%s\"https://cdn.example.net/p/%u.jpg\"", i ? "," : "", i);
  g_string_append (json, ",\"javascript:alert(1)\"],\"primary_image\":\"javascript:alert(1)\"}");
  run_cli (fixture, &primary, json->str, "push", "--request", "-", NULL);
  assert_field_error (&primary, "primary_image", "Invalid URL format");
  first = json_array_get_object_element (json_object_get_array_member (json_object (&primary), "errors"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "url"), ==, "javascript:alert(1)");

  run_cli (fixture, &nul, nul_json, "push", "--request", "-", NULL);
  assert_field_error (&nul, "images", "Invalid URL format");

  run_cli (fixture, &color, NULL, "push", "--product-id", PRODUCT_ID, "--image", a,
           "--color-image", "https://cdn.example.net/c.jpg\r\nX-Evil: 1", "--no-validate-urls", NULL);
  assert_field_error (&color, "color_image", "Invalid URL format");

  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==, 0);
}

/* A Client-ID or Api-Key that would split an HTTP header is refused at
 * every door, before anything is sent. */
static void
test_bad_client_ids (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *ids[] = { "123\r\nX-Evil: 1", "123 456", "123\x01", "１２３" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_auto(Run) env = { 0 };
      g_auto(Run) file = { 0 };
      g_auto(Run) login = { 0 };
      g_autofree char *escaped = g_strescape (ids[i], NULL);
      g_autofree char *json = g_strdup_printf ("{\"credential\":{\"client_id\":\"%s\",\"api_key\":\"k\"},"
                                               "\"product_id\":" PRODUCT_ID ",\"images\":[\"https://cdn.example.net/a.jpg\"]}",
                                               escaped);

      set_env (fixture, "OZON_CLIENT_ID", ids[i]);
      run_cli (fixture, &env, NULL, "status", "--product-id", PRODUCT_ID, NULL);
      g_assert_cmpint (env.status, ==, 1);
      g_assert_cmpstr (error_code (&env), ==, "credentials_malformed");

      run_cli (fixture, &file, json, "push", "--request", "-", NULL);
      g_assert_cmpint (file.status, ==, 1);
      g_assert_cmpstr (error_code (&file), ==, "credentials_malformed");

      run_cli (fixture, &login, TEST_API_KEY "\n", "login", "--client-id", ids[i], NULL);
      g_assert_cmpint (login.status, ==, 1);
      g_assert_cmpstr (error_code (&login), ==, "credentials_malformed");
    }
  {
    g_auto(Run) key = { 0 };

    set_env (fixture, "OZON_API_KEY", "k3y\r\nX-Evil: 1");
    run_cli (fixture, &key, NULL, "status", "--product-id", PRODUCT_ID, NULL);
    g_assert_cmpstr (error_code (&key), ==, "credentials_malformed");
    g_assert_null (strstr (key.out, "X-Evil"));
  }
  g_assert_cmpuint (oip_fake_ozon_get_requests (fixture->fake)->len, ==, 0);
}

/* A line on standard input (an Api-Key, a secret) is bounded too. */
static void
test_endless_stdin_line (Fixture       *fixture,
                         gconstpointer  data)
{
  g_auto(Run) login = { 0 };
  g_auto(Run) storage = { 0 };

  fixture->stdin_path = g_strdup ("/dev/zero");
  run_cli (fixture, &login, NULL, "login", "--client-id", TEST_CLIENT_ID, "--no-check", NULL);
  g_assert_cmpint (login.status, ==, 1);
  g_assert_cmpstr (error_code (&login), ==, "invalid_request");

  fixture->stdin_path = g_strdup ("/dev/zero");
  run_cli (fixture, &storage, NULL, "storage", "set", "--endpoint", "https://s3.example.net", "--bucket", "b",
           "--public-url", "https://pub.example.net", "--access-key-id", "ID", NULL);
  g_assert_cmpint (storage.status, ==, 1);
  g_assert_cmpstr (error_code (&storage), ==, "invalid_request");
}

/* Push the wrong images, find the push in the history, and get the old
 * ones back with one command; Ozon is played as one that skips addresses
 * it has seen, so the restore must really re-send them. Asserted on the
 * server side. */
static void
test_history_and_restore (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *wrong = oip_fake_ozon_image_url (fixture->fake, "wrong-picture");
  g_autoptr(GStrvBuilder) before_builder = g_strv_builder_new ();
  g_auto(GStrv) before = NULL;
  g_auto(Run) push = { 0 };
  g_auto(Run) history = { 0 };
  g_auto(Run) refused = { 0 };
  g_auto(Run) restore = { 0 };
  g_auto(Run) after = { 0 };
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) records_after = NULL;
  g_autofree char *id = NULL;
  const char * const *on_fake;
  JsonObject *record;
  JsonArray *before_images;
  guint imports;

  oip_fake_ozon_set_remember_addresses (fixture->fake, TRUE);
  on_fake = oip_fake_ozon_get_product_images (fixture->fake, 214365879);
  for (guint i = 0; on_fake[i] != NULL; i++)
    g_strv_builder_add (before_builder, on_fake[i]);
  before = g_strv_builder_end (before_builder);
  download (fixture);

  run_cli (fixture, &push, NULL, "push", "--product-id", PRODUCT_ID, "--image", wrong, NULL);
  g_assert_cmpint (push.status, ==, 0);
  g_assert_cmpstr (oip_fake_ozon_get_product_images (fixture->fake, 214365879)[0], ==, wrong);

  run_cli (fixture, &history, NULL, "history", "--product-id", PRODUCT_ID, NULL);
  g_assert_cmpint (history.status, ==, 0);
  records = history_lines (&history);
  g_assert_cmpuint (records->len, ==, 1);
  record = record_at (records, 0);
  g_assert_cmpstr (json_object_get_string_member (record, "outcome"), ==, "succeeded");
  g_assert_cmpstr (json_object_get_string_member (record, "kind"), ==, "push");
  g_assert_cmpstr (json_object_get_string_member (record, "client_id"), ==, TEST_CLIENT_ID);
  before_images = json_object_get_array_member (json_object_get_object_member (record, "before"), "images");
  g_assert_cmpuint (json_array_get_length (before_images), ==, g_strv_length (before));
  for (guint i = 0; before[i] != NULL; i++)
    g_assert_cmpstr (json_array_get_string_element (before_images, i), ==, before[i]);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (json_object_get_object_member (record, "after"), "images"), 0), ==, wrong);
  id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (record, "id"));

  /* A script must say --yes: nothing is sent without it. */
  imports = oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import");
  run_cli (fixture, &refused, NULL, "restore", "--push", id, NULL);
  g_assert_cmpint (refused.status, ==, 2);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==, imports);

  run_cli (fixture, &restore, NULL, "restore", "--push", id, "--yes", NULL);
  g_assert_cmpint (restore.status, ==, 0);
  on_fake = oip_fake_ozon_get_product_images (fixture->fake, 214365879);
  g_assert_cmpuint (g_strv_length ((char **) on_fake), ==, g_strv_length (before));
  for (guint i = 0; before[i] != NULL; i++)
    g_assert_true (g_str_has_prefix (on_fake[i], before[i]));

  /* The restore is recorded too, pointing at the push it undid. */
  run_cli (fixture, &after, NULL, "history", "--product-id", PRODUCT_ID, NULL);
  records_after = history_lines (&after);
  g_assert_cmpuint (records_after->len, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (record_at (records_after, 0), "kind"), ==, "restore");
  g_assert_cmpint (json_object_get_int_member (record_at (records_after, 0), "source_push_id"), ==,
                   json_object_get_int_member (record, "id"));
}

/* Retry failed: the image that failed goes again under a new address,
 * the one Ozon took goes again as it was. Asserted on the server side. */
static void
test_retry_failed (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *good = oip_fake_ozon_image_url (fixture->fake, "good");
  g_autofree char *flaky = oip_fake_ozon_image_url (fixture->fake, "flaky");
  g_auto(Run) push = { 0 };
  g_auto(Run) history = { 0 };
  g_auto(Run) retry = { 0 };
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *id = NULL;
  OipFakeRequest *import;
  JsonArray *sent;
  const char * const *on_fake;

  download (fixture);
  oip_fake_ozon_fail_image (fixture->fake, "flaky", 1);
  run_cli (fixture, &push, NULL, "push", "--product-id", PRODUCT_ID, "--image", good, "--image", flaky, NULL);
  g_assert_cmpint (push.status, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_object (&push), "error"), "code"), ==,
                   "partial");

  run_cli (fixture, &history, NULL, "history", "--limit", "1", NULL);
  records = history_lines (&history);
  g_assert_cmpstr (json_object_get_string_member (record_at (records, 0), "outcome"), ==, "partial");
  id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (record_at (records, 0), "id"));

  run_cli (fixture, &retry, NULL, "retry", "--push", id, NULL);
  g_assert_cmpint (retry.status, ==, 0);
  import = oip_fake_ozon_last_request (fixture->fake, "/v2/product/pictures/import");
  sent = json_object_get_array_member (json_array_get_object_element (json_object_get_array_member (json_node_get_object (import->body), "items"), 0), "images");
  g_assert_cmpuint (json_array_get_length (sent), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (sent, 0), ==, good);
  g_assert_true (g_str_has_prefix (json_array_get_string_element (sent, 1), flaky));
  g_assert_nonnull (strstr (json_array_get_string_element (sent, 1), "oipv="));
  on_fake = oip_fake_ozon_get_product_images (fixture->fake, 214365879);
  g_assert_cmpuint (g_strv_length ((char **) on_fake), ==, 2);
  g_assert_cmpstr (on_fake[0], ==, good);
}

/* kill -9 in the middle of a push: the record is there, marked
 * interrupted, with the images the push was replacing — which can be put
 * back. */
static void
test_killed_push_is_recorded (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *url = oip_fake_ozon_image_url (fixture->fake, "never-finished");
  const char *args[] = { "push", "--product-id", PRODUCT_ID, "--image", url, "--timeout", "600", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_auto(Run) history = { 0 };
  g_auto(Run) restore = { 0 };
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *id = NULL;
  g_auto(GStrv) before = g_strdupv ((char **) oip_fake_ozon_get_product_images (fixture->fake, 214365879));
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  JsonObject *record;

  download (fixture);
  oip_fake_ozon_set_pending_polls (fixture->fake, 1000000);
  process = oip_test_spawn_cli (fixture->fake, args);
  /* Killed once Ozon has the import and the command is polling. */
  while (oip_fake_ozon_count_requests (fixture->fake, "/v1/product/import/info") < 2)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  g_subprocess_send_signal (process, SIGKILL);
  g_assert_false (g_subprocess_wait (process, NULL, NULL) && g_subprocess_get_if_exited (process));

  oip_fake_ozon_set_pending_polls (fixture->fake, 0);
  run_cli (fixture, &history, NULL, "history", NULL);
  records = history_lines (&history);
  g_assert_cmpuint (records->len, ==, 1);
  record = record_at (records, 0);
  g_assert_cmpstr (json_object_get_string_member (record, "outcome"), ==, "interrupted");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_object_get_object_member (record, "before"), "images")), ==,
                    g_strv_length (before));
  g_assert_cmpint (json_object_get_int_member (record, "task_id"), >, 0);

  id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (record, "id"));
  run_cli (fixture, &restore, NULL, "restore", "--push", id, "--yes", NULL);
  g_assert_cmpint (restore.status, ==, 0);
  g_assert_cmpstr (oip_fake_ozon_get_product_images (fixture->fake, 214365879)[0], ==, before[0]);
}

/* Bulk push */

static void
add_bulk_products (Fixture *fixture,
                   guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *offer = g_strdup_printf ("BULK-%04u", i);
      g_autofree char *old = g_strdup_printf ("https://cdn.example.net/old/%u.jpg", i);
      const char *images[] = { old, NULL };

      oip_fake_ozon_add_product (fixture->fake, 600000000 + i, offer, 0, offer, images);
    }
}

static char *
write_file (const char *name,
            const char *contents)
{
  char *path = g_build_filename (g_get_user_cache_dir (), name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

/* A CSV of @n products BULK-0000…, each to get two new images. */
static char *
write_bulk_csv (guint n)
{
  g_autoptr(GString) csv = g_string_new ("offer_id,images\n");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "BULK-%04u,https://cdn.example.net/new/%u-a.jpg;https://cdn.example.net/new/%u-b.jpg\n",
                            i, i, i);
  return write_file ("bulk.csv", csv->str);
}

static JsonObject *
last_line (GPtrArray *lines)
{
  return record_at (lines, lines->len - 1);
}

/* Bad rows are reported with their line numbers and never stop the good
 * ones; the exit status says not everything succeeded. */
static void
test_bulk_csv_bad_rows (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = write_file ("rows.csv",
    "offer_id;images\n"
    "BULK-0000;https://cdn.example.net/a.jpg\n"
    ";https://cdn.example.net/no-offer.jpg\n"
    "BULK-0001;https://cdn.example.net/b.jpg https://cdn.example.net/c.jpg\n"
    "BULK-0002;\n"
    "NOT-THERE;https://cdn.example.net/d.jpg\n");
  g_auto(Run) run = { 0 };
  g_autoptr(GPtrArray) lines = NULL;
  JsonObject *summary;

  add_bulk_products (fixture, 3);
  run_cli (fixture, &run, NULL, "bulk", "--csv", path, "--yes", NULL);
  g_assert_cmpint (run.status, ==, 1);
  /* Line 3 has no offer ID, line 5 no image: left out, and said where. */
  g_assert_nonnull (strstr (run.err, "rows.csv:3"));
  g_assert_nonnull (strstr (run.err, "rows.csv:5"));
  lines = history_lines (&run);
  summary = last_line (lines);
  g_assert_cmpint (json_object_get_int_member (summary, "run_id"), >, 0);
  g_assert_cmpint (json_object_get_int_member (summary, "imported"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (summary, "not_found"), ==, 1);
  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_cmpstr (json_object_get_string_member (record_at (lines, 0), "state"), ==, "imported");
  g_assert_cmpint (json_object_get_int_member (record_at (lines, 0), "push_id"), >, 0);
  g_assert_cmpstr (oip_fake_ozon_get_product_images (fixture->fake, 600000000)[0], ==, "https://cdn.example.net/a.jpg");
  g_assert_cmpstr (oip_fake_ozon_get_product_images (fixture->fake, 600000001)[1], ==, "https://cdn.example.net/c.jpg");
}

/* A photo studio's folder of product folders: local files uploaded to
 * the storage, then pushed; a dry run before sends nothing. */
static void
test_bulk_folder (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *root = g_build_filename (g_get_user_cache_dir (), "shoot", NULL);
  g_autofree char *storage = g_strconcat (oip_fake_ozon_get_base_url (fixture->fake), "/storage", NULL);
  g_auto(Run) dry = { 0 };
  g_auto(Run) run = { 0 };
  g_autoptr(GPtrArray) lines = NULL;
  const char * const *images;

  add_bulk_products (fixture, 2);
  for (guint i = 0; i < 2; i++)
    for (guint j = 1; j <= 2; j++)
      {
        g_autofree char *dir = g_strdup_printf ("%s/BULK-%04u", root, i);
        g_autofree char *file = g_strdup_printf ("%s/%u.png", dir, j);
        g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 900, 1200);

        g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
        gdk_pixbuf_fill (pixbuf, ((guint32) (0x30 * (i * 2 + j)) << 24) | 0x608000ff);
        g_assert_true (gdk_pixbuf_save (pixbuf, file, "png", NULL, NULL));
      }

  run_cli (fixture, &dry, NULL, "bulk", "--folder", root, "--dry-run", NULL);
  g_assert_cmpint (dry.status, ==, 0);
  g_assert_nonnull (strstr (dry.err, "BULK-0001"));
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==, 0);

  set_env (fixture, "AWS_ENDPOINT_URL_S3", oip_fake_ozon_get_base_url (fixture->fake));
  set_env (fixture, "AWS_ACCESS_KEY_ID", "demo");
  set_env (fixture, "AWS_SECRET_ACCESS_KEY", "demo-storage-secret");
  set_env (fixture, "OZON_PUSH_S3_BUCKET", "demo-bucket");
  set_env (fixture, "OZON_PUSH_S3_PUBLIC_URL", storage);
  run_cli (fixture, &run, NULL, "bulk", "--folder", root, "--yes", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = history_lines (&run);
  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_cmpint (json_object_get_int_member (last_line (lines), "imported"), ==, 2);
  g_assert_cmpuint (oip_fake_ozon_count_storage_puts (fixture->fake), ==, 4);
  images = oip_fake_ozon_get_product_images (fixture->fake, 600000001);
  g_assert_cmpuint (g_strv_length ((char **) images), ==, 2);
  g_assert_true (g_str_has_prefix (images[0], storage));
}

/* In a script, nothing is sent without --yes. */
static void
test_bulk_needs_yes (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = write_bulk_csv (3);
  g_auto(Run) run = { 0 };

  add_bulk_products (fixture, 3);
  run_cli (fixture, &run, NULL, "bulk", "--csv", path, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--yes"));
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==, 0);
}

typedef struct
{
  GDataInputStream *out;
  guint             lines;
  gboolean          closed;
} Reader;

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reader *reader = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);

  if (line == NULL)
    {
      reader->closed = TRUE;
      return;
    }
  reader->lines++;
  g_data_input_stream_read_line_async (reader->out, G_PRIORITY_DEFAULT, NULL, on_line, reader);
}

static void
wait_for (gboolean (*done) (Fixture *, Reader *),
          Fixture   *fixture,
          Reader    *reader)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!done (fixture, reader))
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_assert_false (reader->closed);
    }
}

/* The first batch's products are out; the second batch waits for Ozon's
 * next minute (nothing of it on record yet). */
static gboolean
second_batch_waiting (Fixture *fixture,
                      Reader  *reader)
{
  return reader->lines >= 100;
}

/* Ozon has the import; its answer is still to come. */
static gboolean
import_taken (Fixture *fixture,
              Reader  *reader)
{
  return oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import") >= 1;
}

/* The unfinished runs, as the Bulk Push window lists them, read from the
 * CLI's database. */
static GPtrArray *
list_unfinished (void)
{
  g_autoptr(OipDatabase) db = oip_test_database_open (NULL);
  g_autoptr(OipHistory) history = oip_history_new (db);
  g_autoptr(OipContext) context = oip_context_new (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *runs;

  oip_context_set_history (context, history);
  oip_bulk_run_list_unfinished_async (context, 10, NULL, oip_test_on_ready, &result);
  runs = oip_bulk_run_list_unfinished_finish (oip_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (runs);
  oip_test_database_drain (db);
  return runs;
}

/* kill -9 of a real `ozon-push bulk` in the middle of a run, then
 * `--resume`: every product ends pushed exactly once, on the server. */
static void
test_bulk_killed_then_resumed (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *path = write_bulk_csv (250);
  const char *args[] = { "bulk", "--csv", path, "--yes", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_auto(Run) resume = { 0 };
  g_auto(Run) history = { 0 };
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) records = NULL;
  Reader reader = { 0 };
  guint sent_before = 0;

  add_bulk_products (fixture, 250);
  oip_fake_ozon_set_pending_polls (fixture->fake, 0);
  /* Ozon's real minute: the second batch would wait most of it. */
  oip_fake_ozon_set_limits (fixture->fake, 0, 100, 0);
  process = oip_test_spawn_cli (fixture->fake, args);
  reader.out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (reader.out, G_PRIORITY_DEFAULT, NULL, on_line, &reader);
  wait_for (second_batch_waiting, fixture, &reader);
  /* Time for the first batch's records to reach the disk; the run then
   * sleeps. */
  for (gint64 until = g_get_monotonic_time () + 500000; g_get_monotonic_time () < until;)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_subprocess_send_signal (process, SIGKILL);
  g_assert_false (g_subprocess_wait (process, NULL, NULL) && g_subprocess_get_if_exited (process));
  g_clear_object (&reader.out);

  for (guint i = 0; i < 250; i++)
    {
      g_autofree char *offer = g_strdup_printf ("BULK-%04u", i);

      sent_before += oip_fake_ozon_count_imports (fixture->fake, offer);
    }
  g_assert_cmpuint (sent_before, ==, 100);

  /* Listed as interrupted, with what is done and what is left. */
  {
    g_autoptr(GPtrArray) unfinished = list_unfinished ();
    OipBulkRunSummary *summary;

    g_assert_cmpuint (unfinished->len, ==, 1);
    summary = g_ptr_array_index (unfinished, 0);
    g_assert_cmpint (summary->id, ==, 1);
    g_assert_cmpint (summary->reason, ==, OIP_BULK_STOP_INTERRUPTED);
    g_assert_cmpuint (summary->n_products, ==, 250);
    g_assert_cmpuint (summary->n_left, ==, 250 - summary->n_done);
    g_assert_cmpuint (summary->n_done, <=, 100);
    g_assert_cmpstr (summary->source, ==, path);
  }

  /* The next minute, as far as the fake is concerned. */
  oip_fake_ozon_set_limits (fixture->fake, 0, 0, 0);
  run_cli (fixture, &resume, NULL, "bulk", "--resume", "1", "--yes", NULL);
  g_assert_cmpint (resume.status, ==, 0);
  lines = history_lines (&resume);
  g_assert_cmpuint (lines->len, ==, 151);
  g_assert_cmpint (json_object_get_int_member (last_line (lines), "imported"), ==, 250);
  for (guint i = 0; i < 250; i++)
    {
      g_autofree char *offer = g_strdup_printf ("BULK-%04u", i);
      g_autofree char *a = g_strdup_printf ("https://cdn.example.net/new/%u-a.jpg", i);
      const char * const *images = oip_fake_ozon_get_product_images (fixture->fake, 600000000 + i);

      g_assert_cmpuint (oip_fake_ozon_count_imports (fixture->fake, offer), ==, 1);
      g_assert_cmpuint (g_strv_length ((char **) images), ==, 2);
      g_assert_cmpstr (images[0], ==, a);
    }
  /* One record per product: the prepared batch's were carried on. */
  run_cli (fixture, &history, NULL, "history", "--limit", "0", NULL);
  records = history_lines (&history);
  g_assert_cmpuint (records->len, ==, 250);
  for (guint i = 0; i < records->len; i++)
    g_assert_cmpstr (json_object_get_string_member (record_at (records, i), "outcome"), ==, "succeeded");
  /* The run's rows name the account, never its key. */
  assert_store_has_no_key ();
  /* Finished: no longer listed. */
  {
    g_autoptr(GPtrArray) unfinished = list_unfinished ();

    g_assert_cmpuint (unfinished->len, ==, 0);
  }
}

/* kill -9 while an import is on its way: Ozon took it, the answer never
 * came, so no task is on record, and Ozon has not finished importing
 * when the run resumes. The resumed run waits for the images to arrive
 * instead of sending them again: each product imported once. */
static void
test_bulk_killed_mid_import (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *path = write_bulk_csv (30);
  const char *args[] = { "bulk", "--csv", path, "--yes", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_auto(Run) resume = { 0 };
  g_autoptr(GPtrArray) lines = NULL;
  Reader reader = { 0 };

  add_bulk_products (fixture, 30);
  oip_fake_ozon_set_pending_polls (fixture->fake, 0);
  oip_fake_ozon_set_slow_delay (fixture->fake, 20000);
  oip_fake_ozon_inject (fixture->fake, "/v2/product/pictures/import", OIP_FAKE_FAULT_LATE_ANSWER, 1);
  oip_fake_ozon_set_import_delay (fixture->fake, 3000);
  process = oip_test_spawn_cli (fixture->fake, args);
  reader.out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (reader.out, G_PRIORITY_DEFAULT, NULL, on_line, &reader);
  wait_for (import_taken, fixture, &reader);
  g_subprocess_send_signal (process, SIGKILL);
  g_assert_false (g_subprocess_wait (process, NULL, NULL) && g_subprocess_get_if_exited (process));
  g_clear_object (&reader.out);

  run_cli (fixture, &resume, NULL, "bulk", "--resume", "1", "--yes", NULL);
  g_assert_cmpint (resume.status, ==, 0);
  lines = history_lines (&resume);
  g_assert_cmpint (json_object_get_int_member (last_line (lines), "imported"), ==, 30);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==, 1);
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *offer = g_strdup_printf ("BULK-%04u", i);
      g_autofree char *a = g_strdup_printf ("https://cdn.example.net/new/%u-a.jpg", i);
      const char * const *images = oip_fake_ozon_get_product_images (fixture->fake, 600000000 + i);

      g_assert_cmpuint (oip_fake_ozon_count_imports (fixture->fake, offer), ==, 1);
      g_assert_cmpstr (images[0], ==, a);
    }
}

int
main (int   argc,
      char *argv[])
{
  oip_test_init (&argc, &argv);
  /* The endless FIFO's writer learns of the reader's exit by EPIPE. */
  signal (SIGPIPE, SIG_IGN);

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
  ADD ("/cli/push/bad-requests", test_bad_requests);
  ADD ("/cli/push/endless-fifo", test_endless_fifo);
  ADD ("/cli/push/bad-product-ids", test_bad_product_ids);
  ADD ("/cli/push/hidden-bad-urls", test_hidden_bad_urls);
  ADD ("/cli/bad-client-ids", test_bad_client_ids);
  ADD ("/cli/endless-stdin-line", test_endless_stdin_line);
  ADD ("/cli/push/import-failed", test_import_failed);
  ADD ("/cli/credentials", test_credentials);
  ADD ("/cli/push/debug-log-has-no-key", test_debug_log_has_no_key);
  ADD ("/cli/status-and-products", test_status_and_products);
  ADD ("/cli/history-and-restore", test_history_and_restore);
  ADD ("/cli/retry-failed", test_retry_failed);
  ADD ("/cli/killed-push-is-recorded", test_killed_push_is_recorded);
  ADD ("/cli/bulk/csv-bad-rows", test_bulk_csv_bad_rows);
  ADD ("/cli/bulk/folder", test_bulk_folder);
  ADD ("/cli/bulk/needs-yes", test_bulk_needs_yes);
  ADD ("/cli/bulk/killed-then-resumed", test_bulk_killed_then_resumed);
  ADD ("/cli/bulk/killed-mid-import", test_bulk_killed_mid_import);
  for (guint i = 0; i < G_N_ELEMENTS (cli_faults); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/fault/%u-%s", cli_faults[i].fault, cli_faults[i].code);

      g_test_add (path, Fixture, &cli_faults[i], fixture_set_up, test_fault, fixture_tear_down);
    }

  return g_test_run ();
}
