/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "oip-error.h"
#include "oip-push.h"
#include "oip-test-util.h"

#define PRODUCT_ID 214365879

typedef struct
{
  OipFakeOzon     *fake;
  OipOzonClient   *client;
  OipProductStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  oip_test_empty_dirs ();
  fixture->fake = oip_test_fake_new ();
  fixture->client = oip_test_client_new (fixture->fake);
  fixture->store = oip_test_store_with_product (fixture->fake, fixture->client, PRODUCT_ID);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  oip_test_assert_finalize (fixture->store);
  oip_test_assert_finalize (fixture->client);
  oip_test_assert_finalize (fixture->fake);
}

static OipPushRequest *
new_request (Fixture    *fixture,
             const char *first,
             ...)
{
  OipPushRequest *request = oip_push_request_new ();
  va_list args;

  request->product_id = PRODUCT_ID;
  va_start (args, first);
  for (const char *name = first; name != NULL; name = va_arg (args, const char *))
    g_ptr_array_add (request->images,
                     strstr (name, "://") ? g_strdup (name) : oip_fake_ozon_image_url (fixture->fake, name));
  va_end (args);
  return request;
}

static OipPushResult *
run_push (Fixture         *fixture,
          OipPushRequest  *request,
          GCancellable    *cancellable,
          guint           *polls,
          GError         **error)
{
  g_autoptr(OipPush) push = oip_push_new (fixture->client, fixture->store, oip_push_plan_new (request, TRUE));
  g_autoptr(GAsyncResult) result = NULL;
  OipPushResult *push_result;

  oip_push_set_poll_interval (push, 10);
  oip_push_run_async (push, cancellable, oip_test_on_ready, &result);
  push_result = oip_push_run_finish (push, oip_test_wait (&result), error);
  g_assert_cmpint (oip_push_get_stage (push), ==, OIP_PUSH_STAGE_DONE);
  if (polls != NULL)
    *polls = oip_push_get_polls (push);
  return push_result;
}

static void
test_happy_path (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, "new-1", "new-2", NULL);
  g_autoptr(OipPushResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *color = oip_fake_ozon_image_url (fixture->fake, "color");
  OipFakeRequest *import;
  JsonObject *item;
  const char * const *on_fake;
  guint polls = 0;

  g_ptr_array_add (request->color_images, g_strdup (color));
  result = run_push (fixture, request, NULL, &polls, &error);
  g_assert_no_error (error);
  g_assert_true (oip_push_result_is_success (result, &error));
  g_assert_no_error (error);

  /* What Ozon received: offer_id from the store, the list, the color. */
  import = oip_fake_ozon_last_request (fixture->fake, "/v2/product/pictures/import");
  item = json_array_get_object_element (json_object_get_array_member (json_node_get_object (import->body), "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (item, "offer_id"), ==, "ART-1001");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (item, "images")), ==, 2);
  g_assert_false (json_object_has_member (item, "primary_image"));
  g_assert_cmpstr (json_object_get_string_member (item, "color_image"), ==, color);

  /* Pending for two polls, done at the third. */
  g_assert_cmpuint (polls, ==, 3);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v1/product/import/info"), ==, 3);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/info"), ==, 1);

  g_assert_cmpint (result->product_id, ==, PRODUCT_ID);
  g_assert_cmpuint (result->images_sent, ==, 2);
  g_assert_true (result->color_image_sent);
  g_assert_cmpint (result->import_state, ==, OIP_IMPORT_IMPORTED);
  g_assert_cmpuint (g_strv_length (result->current_images), ==, 2);
  g_assert_cmpstr (result->current_images[0], ==, g_ptr_array_index (request->images, 0));
  g_assert_cmpstr (result->current_color_image, ==, color);
  g_assert_cmpuint (result->image_errors->len, ==, 0);
  /* What it replaced, to restore it. */
  g_assert_cmpuint (g_strv_length (result->previous_images), ==, 3);
  g_assert_true (g_str_has_suffix (result->previous_images[0], "/mug-front.png"));

  on_fake = oip_fake_ozon_get_product_images (fixture->fake, PRODUCT_ID);
  g_assert_cmpuint (g_strv_length ((char **) on_fake), ==, 2);
  /* The store follows. */
  g_assert_cmpstr (oip_product_get_images (oip_product_store_lookup (fixture->store, PRODUCT_ID))[1], ==,
                   g_ptr_array_index (request->images, 1));
}

static void
test_store_written (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, "saved-1", NULL);
  g_autoptr(OipPushResult) result = run_push (fixture, request, NULL, NULL, NULL);
  g_autoptr(OipProductStore) reloaded = oip_product_store_new (NULL);
  g_autoptr(GAsyncResult) async = NULL;
  OipProduct *product;

  g_assert_nonnull (result);
  oip_product_store_load_async (reloaded, NULL, oip_test_on_ready, &async);
  g_assert_true (oip_product_store_load_finish (reloaded, oip_test_wait (&async), NULL));
  product = oip_product_store_lookup (reloaded, PRODUCT_ID);
  g_assert_nonnull (product);
  g_assert_cmpuint (g_strv_length ((char **) oip_product_get_images (product)), ==, 1);
  g_assert_true (g_str_has_suffix (oip_product_get_images (product)[0], "/saved-1.png"));
}

static void
test_primary_image (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, "a", "b", "c", NULL);
  g_autoptr(OipPushResult) result = NULL;
  OipFakeRequest *import;
  JsonObject *item;
  JsonArray *images;

  request->primary_image = g_strdup (g_ptr_array_index (request->images, 1));
  result = run_push (fixture, request, NULL, NULL, NULL);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->images_sent, ==, 3);

  /* The chosen main image goes alone in primary_image. */
  import = oip_fake_ozon_last_request (fixture->fake, "/v2/product/pictures/import");
  item = json_array_get_object_element (json_object_get_array_member (json_node_get_object (import->body), "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (item, "primary_image"), ==, request->primary_image);
  images = json_object_get_array_member (item, "images");
  g_assert_cmpuint (json_array_get_length (images), ==, 2);
  g_assert_true (g_str_has_suffix (json_array_get_string_element (images, 0), "/a.png"));
  g_assert_true (g_str_has_suffix (json_array_get_string_element (images, 1), "/c.png"));
  /* And comes back first. */
  g_assert_cmpstr (result->current_images[0], ==, request->primary_image);
}

static void
test_images360_and_truncation (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, NULL, NULL);
  g_autoptr(OipPushResult) result = NULL;
  OipFakeRequest *import;
  JsonObject *item;

  for (guint i = 0; i < 31; i++)
    g_ptr_array_add (request->images, g_strdup_printf ("https://cdn.example.net/p/%u.jpg", i));
  g_ptr_array_add (request->images360, g_strdup ("https://cdn.example.net/360/1.jpg"));
  result = run_push (fixture, request, NULL, NULL, NULL);
  g_assert_nonnull (result);

  import = oip_fake_ozon_last_request (fixture->fake, "/v2/product/pictures/import");
  item = json_array_get_object_element (json_object_get_array_member (json_node_get_object (import->body), "items"), 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (item, "images")), ==, 30);
  g_assert_false (json_object_has_member (item, "images360"));
  g_assert_cmpuint (result->images_sent, ==, 30);
  g_assert_cmpuint (result->notices->len, ==, 2);
  g_assert_cmpint (((OipNotice *) g_ptr_array_index (result->notices, 0))->kind, ==, OIP_NOTICE_TRUNCATED);
  g_assert_cmpint (((OipNotice *) g_ptr_array_index (result->notices, 1))->kind, ==, OIP_NOTICE_IMAGES360_UNSUPPORTED);
}

static void
test_some_images_fail (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, "fine", "missing-1", "https://cdn.host.invalid/x.jpg", NULL);
  g_autoptr(OipPushResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = run_push (fixture, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (oip_push_result_is_success (result, NULL));
  g_assert_cmpuint (g_strv_length (result->current_images), ==, 1);
  g_assert_cmpuint (result->image_errors->len, ==, 2);
  g_assert_true (g_str_has_suffix (((OipImageError *) g_ptr_array_index (result->image_errors, 0))->url, "/missing-1.png"));
  g_assert_cmpstr (((OipImageError *) g_ptr_array_index (result->image_errors, 1))->url, ==, "https://cdn.host.invalid/x.jpg");
}

static void
test_all_images_fail (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, "missing-a", "missing-b", NULL);
  g_autoptr(OipPushResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = run_push (fixture, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->import_state, ==, OIP_IMPORT_FAILED);
  g_assert_false (oip_push_result_is_success (result, &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_IMPORT_FAILED);
  g_assert_nonnull (strstr (error->message, "all_image_failed"));
  g_assert_cmpuint (result->image_errors->len, ==, 2);
}

static void
test_same_images_skipped (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, "mug-front", "mug-side", "mug-box", NULL);
  g_autoptr(OipPushResult) result = run_push (fixture, request, NULL, NULL, NULL);

  g_assert_nonnull (result);
  g_assert_cmpint (result->import_state, ==, OIP_IMPORT_SKIPPED);
  g_assert_true (oip_push_result_is_success (result, NULL));
}

static void
test_product_not_downloaded (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, "x", NULL);
  g_autoptr(OipPushResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint requests_before = oip_fake_ozon_get_requests (fixture->fake)->len;

  /* Known to Ozon, but never downloaded here. */
  request->product_id = 214365880;
  result = run_push (fixture, request, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_PRODUCT_NOT_FOUND);
  g_assert_cmpuint (oip_fake_ozon_get_requests (fixture->fake)->len, ==, requests_before);
}

static void
test_invalid_plan_sends_nothing (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, "ok", "ftp://bad/x.jpg", NULL);
  g_autoptr(OipPushRequest) empty = new_request (fixture, NULL, NULL);
  g_autoptr(OipPushResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint requests_before = oip_fake_ozon_get_requests (fixture->fake)->len;

  result = run_push (fixture, request, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_VALIDATION);
  g_clear_error (&error);
  result = run_push (fixture, empty, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_NO_IMAGES);
  g_assert_cmpuint (oip_fake_ozon_get_requests (fixture->fake)->len, ==, requests_before);
  /* The stored product is untouched. */
  g_assert_cmpuint (g_strv_length ((char **) oip_product_get_images (oip_product_store_lookup (fixture->store, PRODUCT_ID))), ==, 3);
}

static void
test_still_pending_at_timeout (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, "slow-1", NULL);
  g_autoptr(OipPushResult) result = NULL;
  g_autoptr(GError) error = NULL;

  oip_fake_ozon_set_pending_polls (fixture->fake, 100000);
  oip_ozon_client_set_timeout (fixture->client, 1);
  result = run_push (fixture, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->import_state, ==, OIP_IMPORT_PENDING);
  g_assert_false (oip_push_result_is_success (result, &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_IMPORT_PENDING);
  /* What is on Ozon right now was still read back. */
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/info"), ==, 1);
}

static void
on_stage (OipPush    *push,
          GParamSpec *pspec,
          gpointer    cancellable)
{
  if (oip_push_get_stage (push) == OIP_PUSH_STAGE_IMPORTING)
    g_cancellable_cancel (cancellable);
}

static void
test_cancel_while_importing (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, "c-1", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(OipPush) push = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipPushResult) push_result = NULL;

  oip_fake_ozon_set_pending_polls (fixture->fake, 100000);
  push = oip_push_new (fixture->client, fixture->store, oip_push_plan_new (request, TRUE));
  oip_push_set_poll_interval (push, 5000);
  g_signal_connect (push, "notify::stage", G_CALLBACK (on_stage), cancellable);
  oip_push_run_async (push, cancellable, oip_test_on_ready, &result);
  g_assert_cmpint (oip_test_wait_elapsed_ms (&result), <, 2000);
  push_result = oip_push_run_finish (push, result, &error);
  g_assert_null (push_result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v1/product/import/info"), ==, 0);
}

static void
test_import_retried_on_server_error (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, "r-1", NULL);
  g_autoptr(OipPushResult) result = NULL;

  oip_fake_ozon_inject (fixture->fake, "/v2/product/pictures/import", OIP_FAKE_FAULT_BAD_GATEWAY_HTML, 1);
  oip_fake_ozon_inject (fixture->fake, "/v1/product/import/info", OIP_FAKE_FAULT_SERVER_ERROR, 1);
  result = run_push (fixture, request, NULL, NULL, NULL);
  g_assert_nonnull (result);
  g_assert_true (oip_push_result_is_success (result, NULL));
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  oip_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/push/happy-path", test_happy_path);
  ADD ("/push/store-written", test_store_written);
  ADD ("/push/primary-image", test_primary_image);
  ADD ("/push/images360-and-truncation", test_images360_and_truncation);
  ADD ("/push/some-images-fail", test_some_images_fail);
  ADD ("/push/all-images-fail", test_all_images_fail);
  ADD ("/push/same-images-skipped", test_same_images_skipped);
  ADD ("/push/product-not-downloaded", test_product_not_downloaded);
  ADD ("/push/invalid-plan-sends-nothing", test_invalid_plan_sends_nothing);
  ADD ("/push/still-pending-at-timeout", test_still_pending_at_timeout);
  ADD ("/push/cancel-while-importing", test_cancel_while_importing);
  ADD ("/push/retried-on-server-error", test_import_retried_on_server_error);

  return g_test_run ();
}
