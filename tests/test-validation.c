/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "oip-error.h"
#include "oip-push-plan.h"
#include "oip-push-request.h"
#include "oip-url.h"

static OipPushRequest *
request_with_images (guint n_images)
{
  OipPushRequest *request = oip_push_request_new ();

  request->product_id = 214365879;
  for (guint i = 0; i < n_images; i++)
    g_ptr_array_add (request->images, g_strdup_printf ("https://cdn.example.net/p/%u.jpg", i));
  return request;
}

static const OipNotice *
find_notice (OipPushPlan   *plan,
             OipNoticeKind  kind,
             const char    *field)
{
  for (guint i = 0; i < plan->notices->len; i++)
    {
      const OipNotice *notice = g_ptr_array_index (plan->notices, i);

      if (notice->kind == kind && g_str_equal (notice->field, field))
        return notice;
    }
  return NULL;
}

static void
test_url_format (void)
{
  const char *good[] = {
    "https://cdn.example.net/p/1001/main-v3.jpg",
    "http://cdn.example.net/a.png",
    "HTTPS://CDN.EXAMPLE.NET/A.JPG",
    "https://pub-abc.r2.dev/p/1.jpg?v=2",
    "https://[2001:db8::1]/a.jpg",
  };
  const char *bad[] = {
    "", "cdn.example.net/a.jpg", "/p/a.jpg", "ftp://cdn.example.net/a.jpg",
    "file:///home/seller/a.jpg", "https://", "https:///a.jpg", "javascript:alert(1)",
    "https://user:pass@cdn.example.net/a.jpg", "https://exa mple.net/a.jpg", "GREEN",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (oip_url_is_image_url (good[i]));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("bad: %s", bad[i]);
      g_assert_false (oip_url_is_image_url (bad[i]));
    }
  g_assert_false (oip_url_is_image_url (NULL));
}

static void
test_api_base (void)
{
  const char *allowed[] = {
    "https://api-seller.ozon.ru", "http://127.0.0.1:8080", "http://localhost:1/",
    "http://[::1]:9000", "http://127.9.9.9",
  };
  const char *refused[] = {
    "http://api-seller.ozon.ru", "http://192.168.1.10:8080", "http://10.0.0.1",
    "ftp://127.0.0.1", "not a url", "http://",
  };

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (oip_url_check_api_base (allowed[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("refused: %s", refused[i]);
      g_assert_false (oip_url_check_api_base (refused[i], &error));
      g_assert_error (error, OIP_ERROR, OIP_ERROR_INSECURE_URL);
    }
}

static void
test_valid_plan (void)
{
  g_autoptr(OipPushRequest) request = request_with_images (3);
  g_autoptr(OipPushPlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (request->color_images, g_strdup ("https://cdn.example.net/color.jpg"));
  plan = oip_push_plan_new (request, TRUE);

  g_assert_true (oip_push_plan_check (plan, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (plan->images->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (plan->images, 0), ==, "https://cdn.example.net/p/0.jpg");
  g_assert_cmpstr (plan->color_image, ==, "https://cdn.example.net/color.jpg");
  g_assert_null (plan->primary_image);
  g_assert_cmpuint (plan->errors->len, ==, 0);
  g_assert_cmpuint (plan->notices->len, ==, 0);
}

static void
test_images_boundary (void)
{
  g_autoptr(OipPushRequest) at_limit = request_with_images (30);
  g_autoptr(OipPushRequest) over_limit = request_with_images (31);
  g_autoptr(OipPushPlan) plan30 = oip_push_plan_new (at_limit, TRUE);
  g_autoptr(OipPushPlan) plan31 = oip_push_plan_new (over_limit, TRUE);
  const OipNotice *notice;

  g_assert_cmpuint (plan30->images->len, ==, 30);
  g_assert_null (find_notice (plan30, OIP_NOTICE_TRUNCATED, "images"));

  g_assert_cmpuint (plan31->images->len, ==, 30);
  g_assert_cmpstr (g_ptr_array_index (plan31->images, 29), ==, "https://cdn.example.net/p/29.jpg");
  notice = find_notice (plan31, OIP_NOTICE_TRUNCATED, "images");
  g_assert_nonnull (notice);
  g_assert_cmpuint (notice->kept, ==, 30);
  g_assert_cmpuint (notice->dropped, ==, 1);
  g_assert_true (oip_push_plan_check (plan31, NULL));
}

static void
test_images360_boundary (void)
{
  for (guint n = 69; n <= 71; n++)
    {
      g_autoptr(OipPushRequest) request = request_with_images (1);
      g_autoptr(OipPushPlan) plan = NULL;
      const OipNotice *truncated;
      const OipNotice *unsupported;

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (request->images360, g_strdup_printf ("https://cdn.example.net/360/%u.jpg", i));
      plan = oip_push_plan_new (request, TRUE);

      g_assert_cmpuint (plan->images360->len, ==, MIN (n, 70));
      truncated = find_notice (plan, OIP_NOTICE_TRUNCATED, "images360");
      if (n <= 70)
        g_assert_null (truncated);
      else
        {
          g_assert_nonnull (truncated);
          g_assert_cmpuint (truncated->dropped, ==, n - 70);
        }
      /* Never dropped silently: Ozon has no 360° field any more. */
      unsupported = find_notice (plan, OIP_NOTICE_IMAGES360_UNSUPPORTED, "images360");
      g_assert_nonnull (unsupported);
      g_assert_cmpuint (unsupported->dropped, ==, MIN (n, 70));
      g_assert_true (oip_push_plan_check (plan, NULL));
    }
}

static void
test_color_image_limit (void)
{
  g_autoptr(OipPushRequest) request = request_with_images (1);
  g_autoptr(OipPushPlan) plan = NULL;
  const OipNotice *notice;

  g_ptr_array_add (request->color_images, g_strdup ("https://cdn.example.net/c1.jpg"));
  g_ptr_array_add (request->color_images, g_strdup ("https://cdn.example.net/c2.jpg"));
  plan = oip_push_plan_new (request, TRUE);

  g_assert_cmpstr (plan->color_image, ==, "https://cdn.example.net/c1.jpg");
  notice = find_notice (plan, OIP_NOTICE_TRUNCATED, "color_image");
  g_assert_nonnull (notice);
  g_assert_cmpuint (notice->kept, ==, 1);
  g_assert_cmpuint (notice->dropped, ==, 1);
}

static void
test_invalid_urls_reported (void)
{
  g_autoptr(OipPushRequest) request = request_with_images (3);
  g_autoptr(OipPushPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  const OipValidationIssue *issue;

  g_free (request->images->pdata[2]);
  request->images->pdata[2] = g_strdup ("r2.com/img3.jpg");
  g_ptr_array_add (request->images360, g_strdup ("ftp://x/360.jpg"));
  g_ptr_array_add (request->color_images, g_strdup ("GREEN"));
  plan = oip_push_plan_new (request, TRUE);

  g_assert_cmpuint (plan->errors->len, ==, 3);
  issue = g_ptr_array_index (plan->errors, 0);
  g_assert_cmpstr (issue->field, ==, "images");
  g_assert_cmpuint (issue->index, ==, 2);
  g_assert_cmpstr (issue->url, ==, "r2.com/img3.jpg");
  g_assert_cmpstr (oip_issue_reason (issue->kind), ==, "Invalid URL format");
  issue = g_ptr_array_index (plan->errors, 1);
  g_assert_cmpstr (issue->field, ==, "images360");
  g_assert_cmpuint (issue->index, ==, 0);
  issue = g_ptr_array_index (plan->errors, 2);
  g_assert_cmpstr (issue->field, ==, "color_image");
  g_assert_cmpstr (issue->url, ==, "GREEN");

  g_assert_false (oip_push_plan_check (plan, &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_VALIDATION);
}

static void
test_validation_can_be_off (void)
{
  g_autoptr(OipPushRequest) request = request_with_images (1);
  g_autoptr(OipPushPlan) plan = NULL;

  g_ptr_array_add (request->images, g_strdup ("not-a-url"));
  plan = oip_push_plan_new (request, FALSE);
  g_assert_cmpuint (plan->errors->len, ==, 0);
  g_assert_true (oip_push_plan_check (plan, NULL));
}

static void
test_duplicates (void)
{
  g_autoptr(OipPushRequest) request = request_with_images (2);
  g_autoptr(OipPushPlan) plan = NULL;
  const OipValidationIssue *issue;

  g_ptr_array_add (request->images, g_strdup ("https://cdn.example.net/p/0.jpg"));
  plan = oip_push_plan_new (request, FALSE);

  /* Duplicates are refused even with URL checks off. */
  g_assert_cmpuint (plan->errors->len, ==, 1);
  issue = g_ptr_array_index (plan->errors, 0);
  g_assert_cmpint (issue->kind, ==, OIP_ISSUE_DUPLICATE_URL);
  g_assert_cmpuint (issue->index, ==, 2);
  g_assert_cmpstr (oip_issue_reason (issue->kind), ==, "Duplicate URL");
}

static void
test_no_images (void)
{
  g_autoptr(OipPushRequest) request = request_with_images (0);
  g_autoptr(OipPushPlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  /* A color image alone would erase every other picture: refused. */
  g_ptr_array_add (request->color_images, g_strdup ("https://cdn.example.net/c.jpg"));
  plan = oip_push_plan_new (request, TRUE);
  g_assert_false (oip_push_plan_check (plan, &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_NO_IMAGES);
}

static void
test_no_product (void)
{
  g_autoptr(OipPushRequest) request = request_with_images (1);
  g_autoptr(OipPushPlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  request->product_id = 0;
  plan = oip_push_plan_new (request, TRUE);
  g_assert_false (oip_push_plan_check (plan, &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_PRODUCT_NOT_FOUND);
}

static void
test_primary_image (void)
{
  g_autoptr(OipPushRequest) in_list = request_with_images (3);
  g_autoptr(OipPushRequest) first = request_with_images (3);
  g_autoptr(OipPushRequest) outside = request_with_images (30);
  g_autoptr(OipPushPlan) plan_in = NULL;
  g_autoptr(OipPushPlan) plan_first = NULL;
  g_autoptr(OipPushPlan) plan_out = NULL;

  in_list->primary_image = g_strdup ("https://cdn.example.net/p/2.jpg");
  plan_in = oip_push_plan_new (in_list, TRUE);
  g_assert_cmpstr (plan_in->primary_image, ==, "https://cdn.example.net/p/2.jpg");
  g_assert_cmpuint (plan_in->images->len, ==, 3);

  /* The first image already is the main one: nothing to say. */
  first->primary_image = g_strdup ("https://cdn.example.net/p/0.jpg");
  plan_first = oip_push_plan_new (first, TRUE);
  g_assert_null (plan_first->primary_image);

  /* A main image from outside the list joins it and counts to 30. */
  outside->primary_image = g_strdup ("https://cdn.example.net/main.jpg");
  plan_out = oip_push_plan_new (outside, TRUE);
  g_assert_cmpuint (plan_out->images->len, ==, 30);
  g_assert_cmpstr (g_ptr_array_index (plan_out->images, 0), ==, "https://cdn.example.net/main.jpg");
  g_assert_null (plan_out->primary_image);
  g_assert_nonnull (find_notice (plan_out, OIP_NOTICE_TRUNCATED, "images"));
}

static void
test_request_json (void)
{
  const char *json =
    "{\"credential\":{\"client_id\":\"your-client-id\",\"api_key\":\"your-api-key\"},"
    "\"product_id\":123456,"
    "\"images\":[\"https://r2.com/img1.jpg\",\"https://r2.com/img2.jpg\"],"
    "\"images360\":[\"https://r2.com/360_1.jpg\"],"
    "\"color_image\":\"https://r2.com/color.jpg\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(OipPushRequest) request = oip_push_request_from_json (json, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpint (request->product_id, ==, 123456);
  g_assert_cmpuint (request->images->len, ==, 2);
  g_assert_cmpuint (request->images360->len, ==, 1);
  g_assert_cmpuint (request->color_images->len, ==, 1);
  g_assert_cmpstr (request->client_id, ==, "your-client-id");
  g_assert_cmpstr (request->api_key, ==, "your-api-key");
}

static void
test_request_json_ids (void)
{
  /* 2^53 + 1 cannot survive a double. */
  g_autoptr(OipPushRequest) big = oip_push_request_from_json ("{\"product_id\":9007199254740993}", -1, NULL);
  g_autoptr(OipPushRequest) text = oip_push_request_from_json ("{\"product_id\":\"9007199254740993\"}", -1, NULL);
  g_autoptr(OipPushRequest) none = oip_push_request_from_json ("{\"images\":[]}", -1, NULL);
  g_autoptr(OipPushRequest) empty_color = oip_push_request_from_json ("{\"color_image\":\"\"}", -1, NULL);

  g_assert_cmpint (big->product_id, ==, G_GINT64_CONSTANT (9007199254740993));
  g_assert_cmpint (text->product_id, ==, G_GINT64_CONSTANT (9007199254740993));
  g_assert_cmpint (none->product_id, ==, 0);
  g_assert_cmpuint (empty_color->color_images->len, ==, 0);
}

static void
test_request_json_refused (void)
{
  const char *bad[] = {
    "", "[1,2]", "{\"images\":\"https://r2.com/a.jpg\"}", "{\"images\":[1]}",
    "{\"product_id\":-5}", "{\"product_id\":1.5}", "{\"product_id\":\"12abc\"}",
    "{\"credential\":{\"client_id\":\"only-id\"}}", "{\"images\":[\"a\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OipPushRequest) request = oip_push_request_from_json (bad[i], -1, &error);

      g_test_message ("refused: %s", bad[i]);
      g_assert_null (request);
      g_assert_error (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST);
    }
}

static void
test_error_names (void)
{
  g_assert_cmpstr (oip_error_code_name (OIP_ERROR_CREDENTIALS_MISSING), ==, "credentials_missing");
  g_assert_cmpstr (oip_error_code_name (OIP_ERROR_RATE_LIMITED), ==, "rate_limited");
  g_assert_cmpstr (oip_error_code_name (OIP_ERROR_IO), ==, "io");
  g_assert_cmpstr (oip_error_code_name (9999), ==, "failed");
  for (int code = OIP_ERROR_FAILED; code <= OIP_ERROR_IO; code++)
    {
      g_assert_nonnull (oip_error_hint (code));
      g_assert_cmpstr (oip_error_hint (code), !=, "");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validation/url-format", test_url_format);
  g_test_add_func ("/validation/api-base", test_api_base);
  g_test_add_func ("/validation/valid-plan", test_valid_plan);
  g_test_add_func ("/validation/images-30-31", test_images_boundary);
  g_test_add_func ("/validation/images360-70-71", test_images360_boundary);
  g_test_add_func ("/validation/color-image-1", test_color_image_limit);
  g_test_add_func ("/validation/invalid-urls", test_invalid_urls_reported);
  g_test_add_func ("/validation/can-be-off", test_validation_can_be_off);
  g_test_add_func ("/validation/duplicates", test_duplicates);
  g_test_add_func ("/validation/no-images", test_no_images);
  g_test_add_func ("/validation/no-product", test_no_product);
  g_test_add_func ("/validation/primary-image", test_primary_image);
  g_test_add_func ("/request/seed-json", test_request_json);
  g_test_add_func ("/request/ids", test_request_json_ids);
  g_test_add_func ("/request/refused", test_request_json_refused);
  g_test_add_func ("/errors/names", test_error_names);

  return g_test_run ();
}
