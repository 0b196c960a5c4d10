/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "oip-credentials.h"
#include "oip-error.h"
#include "oip-json.h"
#include "oip-push-json.h"
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
    /* What a URL cannot hold raw: controls (a \u0000 from JSON became
     * U+FFFD), spaces, quotes, other non-ASCII (send it percent-encoded). */
    "https://cdn.example.net/a.jpg\xef\xbf\xbd.evil", "https://cdn.example.net/a.jpg\r\nX-Evil: 1",
    "https://cdn.example.net/a\tb.jpg", "https://cdn.example.net/a.jpg\x7f", "https://cdn.example.net/a b.jpg",
    "https://cdn.example.net/a.jpg ", " https://cdn.example.net/a.jpg", "https://cdn.example.net/\"a\".jpg",
    "https://cdn.example.net/<a>.jpg", "https://cdn.example.net/a\\b.jpg", "https://cdn.example.net/a{1}.jpg",
    "https://cdn.example.net/a%zz.jpg", "https://cdn.example.net/a%2.jpg", "https://cdn.example.net/a%",
    "https://cdn.example.net/фото.jpg", "https://магазин.рф/a.jpg", "https://cdn.example.net/图片.jpg",
    "https://cdn.example.net/a.jpg\xc2\xa0", "https://cdn.example.net/\xff.jpg",
  };
  g_autoptr(GString) longest = g_string_new ("https://cdn.example.net/");

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_assert_true (oip_url_is_image_url (good[i]));
      g_assert_true (oip_url_has_only_url_characters (good[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *shown = g_utf8_make_valid (bad[i], -1);

      /* Said as valid UTF-8: TAP readers refuse anything else. */
      g_test_message ("bad: %s", shown);
      g_assert_false (oip_url_is_image_url (bad[i]));
    }
  g_assert_false (oip_url_is_image_url (NULL));
  g_assert_true (oip_url_is_image_url ("https://cdn.example.net/%D1%84%D0%BE%D1%82%D0%BE.jpg"));
  g_assert_true (oip_url_is_image_url ("https://xn--80aaxitdbjk.xn--p1ai/a.jpg#x"));

  /* At most 4096 bytes. */
  while (longest->len < OIP_URL_MAX_LENGTH - 4)
    g_string_append_c (longest, 'a');
  g_string_append (longest, ".jpg");
  g_assert_true (oip_url_is_image_url (longest->str));
  g_string_insert_c (longest, 30, 'a');
  g_assert_false (oip_url_is_image_url (longest->str));
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
    "ftp://127.0.0.1", "not a url", "http://", "https://api-seller.ozon.ru\r\nX-Evil: 1",
    "https://api-seller.ozon.ru/\xef\xbf\xbd",
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

/* The notice names the images by their numbers, as the seller sees them
 * (issue 10: “extra images in “images”” spoke JSON). */
static void
test_truncation_said_by_number (void)
{
  g_autoptr(OipPushRequest) one = request_with_images (31);
  g_autoptr(OipPushRequest) five = request_with_images (35);
  g_autoptr(OipPushPlan) plan1 = oip_push_plan_new (one, TRUE);
  g_autoptr(OipPushPlan) plan5 = oip_push_plan_new (five, TRUE);
  g_autofree char *text1 = oip_notice_describe (find_notice (plan1, OIP_NOTICE_TRUNCATED, "images"));
  g_autofree char *text5 = oip_notice_describe (find_notice (plan5, OIP_NOTICE_TRUNCATED, "images"));
  g_autofree char *color = NULL;

  g_assert_cmpstr (text1, ==, "Image 31 is not sent: Ozon takes 30");
  g_assert_cmpstr (text5, ==, "Images 31 to 35 are not sent: Ozon takes 30");
  g_ptr_array_add (one->color_images, g_strdup ("https://cdn.example.net/c1.jpg"));
  g_ptr_array_add (one->color_images, g_strdup ("https://cdn.example.net/c2.jpg"));
  g_clear_pointer (&plan1, oip_push_plan_free);
  plan1 = oip_push_plan_new (one, TRUE);
  color = oip_notice_describe (find_notice (plan1, OIP_NOTICE_TRUNCATED, "color_image"));
  g_assert_cmpstr (color, ==, "1 more color image is not sent: Ozon takes one");
  g_assert_null (strstr (color, "color_image"));
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

/* A main image given after 30 images was sent as primary_image without a
 * check: Ozon received `primary_image: javascript:alert(1)`. */
static void
test_primary_image_beyond_limit (void)
{
  const char *bad[] = { "javascript:alert(1)", "https://cdn.example.net/a.jpg\r\nX: 1", "ftp://x/a.jpg" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    for (guint position = 0; position <= 40; position += 10)
      {
        g_autoptr(OipPushRequest) request = request_with_images (40);
        g_autoptr(OipPushPlan) plan = NULL;
        g_autoptr(GError) error = NULL;
        const OipValidationIssue *issue;

        /* Among the images (even past the 30th), or given on its own. */
        if (position < 40)
          {
            g_free (request->images->pdata[position + 5 < 40 ? position + 5 : 39]);
            request->images->pdata[position + 5 < 40 ? position + 5 : 39] = g_strdup (bad[i]);
          }
        request->primary_image = g_strdup (bad[i]);
        plan = oip_push_plan_new (request, TRUE);

        g_test_message ("%s at %u", bad[i], position);
        g_assert_false (oip_push_plan_check (plan, &error));
        g_assert_error (error, OIP_ERROR, OIP_ERROR_VALIDATION);
        g_assert_cmpuint (plan->errors->len, ==, 1);
        issue = g_ptr_array_index (plan->errors, 0);
        g_assert_cmpstr (issue->field, ==, "primary_image");
        g_assert_cmpstr (issue->url, ==, bad[i]);
      }

  /* Even with URL checks off, characters a URL cannot hold are refused. */
  {
    g_autoptr(OipPushRequest) request = request_with_images (35);
    g_autoptr(OipPushPlan) plan = NULL;

    request->primary_image = g_strdup ("https://cdn.example.net/a.jpg\r\nX: 1");
    plan = oip_push_plan_new (request, FALSE);
    g_assert_cmpuint (plan->errors->len, ==, 1);
  }

  /* A good main image past the 30th is moved to the front and sent,
   * instead of being cut off and sent unchecked beside the list. */
  {
    g_autoptr(OipPushRequest) request = request_with_images (40);
    g_autoptr(OipPushPlan) plan = NULL;
    const OipNotice *notice;

    request->primary_image = g_strdup ("https://cdn.example.net/p/35.jpg");
    plan = oip_push_plan_new (request, TRUE);
    g_assert_true (oip_push_plan_check (plan, NULL));
    g_assert_cmpuint (plan->images->len, ==, 30);
    g_assert_cmpstr (g_ptr_array_index (plan->images, 0), ==, "https://cdn.example.net/p/35.jpg");
    g_assert_cmpstr (g_ptr_array_index (plan->images, 1), ==, "https://cdn.example.net/p/0.jpg");
    g_assert_null (plan->primary_image);
    notice = find_notice (plan, OIP_NOTICE_TRUNCATED, "images");
    g_assert_cmpuint (notice->dropped, ==, 10);
  }
}

/* Every URL that is sent is checked, whatever list it is in. */
static void
test_every_url_checked (void)
{
  g_autoptr(OipPushRequest) request = oip_push_request_from_json (
    "{\"product_id\":1,\"images\":[\"https://cdn.example.net/a.jpg\\u0000.evil\",\"https://cdn.example.net/b.jpg\"],"
    "\"images360\":[\"https://cdn.example.net/c.jpg\\u2028\"],\"color_image\":\"https://cdn.example.net/d\\r\\n.jpg\","
    "\"primary_image\":\"https://cdn.example.net/b.jpg\"}", -1, NULL);
  g_autoptr(OipPushPlan) plan = oip_push_plan_new (request, TRUE);
  const OipValidationIssue *issue;

  g_assert_cmpuint (plan->errors->len, ==, 3);
  issue = g_ptr_array_index (plan->errors, 0);
  g_assert_cmpstr (issue->field, ==, "images");
  g_assert_cmpuint (issue->index, ==, 0);
  /* The \u0000 did not cut the URL short: it is there, as U+FFFD. */
  g_assert_cmpstr (issue->url, ==, "https://cdn.example.net/a.jpg\xef\xbf\xbd.evil");
  g_assert_cmpstr (((OipValidationIssue *) g_ptr_array_index (plan->errors, 1))->field, ==, "images360");
  g_assert_cmpstr (((OipValidationIssue *) g_ptr_array_index (plan->errors, 2))->field, ==, "color_image");
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
  g_autoptr(OipPushRequest) max = oip_push_request_from_json ("{\"product_id\":9223372036854775807}", -1, NULL);
  g_autoptr(OipPushRequest) none = oip_push_request_from_json ("{\"images\":[]}", -1, NULL);
  g_autoptr(OipPushRequest) empty_color = oip_push_request_from_json ("{\"color_image\":\"\"}", -1, NULL);

  g_assert_cmpint (big->product_id, ==, G_GINT64_CONSTANT (9007199254740993));
  g_assert_null (big->product_id_invalid);
  g_assert_cmpint (max->product_id, ==, G_MAXINT64);
  g_assert_cmpint (none->product_id, ==, 0);
  g_assert_null (none->product_id_invalid);
  g_assert_cmpuint (empty_color->color_images->len, ==, 0);
}

/* Every wrong product_id is refused in the seed's errors shape, as
 * {"field": "product_id", "value": …, "reason": "Invalid product ID"}; a
 * missing or null one as "Missing product ID". None reaches Ozon as
 * another product (json-glib wrapped -18446744073709550615 to 1001). */
static void
test_request_product_id_refused (void)
{
  static const struct { const char *json; const char *value; } invalid[] = {
    { "0", "0" }, { "-5", "-5" }, { "-1", "-1" }, { "1.5", "1.5" }, { "1001.0", "1001.0" },
    { "1e3", "1000.0" }, { "\"123\"", "\"123\"" }, { "\"9007199254740993\"", "\"9007199254740993\"" },
    { "true", "true" }, { "false", "false" }, { "[1001]", "[1001]" }, { "{\"id\":1001}", "{\"id\":1001}" },
    { "-9223372036854775808", "-9223372036854775808" },
  };
  static const char *missing[] = { "{\"images\":[\"https://cdn.example.net/a.jpg\"]}",
                                   "{\"product_id\":null,\"images\":[\"https://cdn.example.net/a.jpg\"]}" };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"product_id\":%s,\"images\":[\"https://cdn.example.net/a.jpg\"]}",
                                               invalid[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(OipPushRequest) request = oip_push_request_from_json (json, -1, &error);
      g_autoptr(OipPushPlan) plan = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;
      const OipValidationIssue *issue;

      g_test_message ("product_id: %s", invalid[i].json);
      g_assert_no_error (error);
      g_assert_cmpint (request->product_id, ==, 0);
      g_assert_nonnull (request->product_id_invalid);
      plan = oip_push_plan_new (request, TRUE);
      g_assert_cmpint (plan->product_id, ==, 0);
      g_assert_cmpuint (plan->errors->len, ==, 1);
      issue = g_ptr_array_index (plan->errors, 0);
      g_assert_cmpint (issue->kind, ==, OIP_ISSUE_INVALID_PRODUCT_ID);
      g_assert_cmpstr (issue->field, ==, "product_id");
      g_assert_false (oip_issue_is_url (issue->kind));
      g_assert_false (oip_push_plan_check (plan, NULL));

      node = oip_push_json_validation (plan);
      text = oip_json_to_string (node, FALSE);
      g_test_message ("%s", text);
      g_assert_true (g_str_has_prefix (text, "{\"success\":false,\"errors\":[{\"field\":\"product_id\",\"value\":"));
      g_assert_nonnull (strstr (text, "\"reason\":\"Invalid product ID\"}"));
      g_assert_null (strstr (text, "\"index\""));
      g_assert_cmpstr (issue->url, ==, invalid[i].value);
    }

  for (guint i = 0; i < G_N_ELEMENTS (missing); i++)
    {
      g_autoptr(OipPushRequest) request = oip_push_request_from_json (missing[i], -1, NULL);
      g_autoptr(OipPushPlan) plan = oip_push_plan_new (request, TRUE);
      g_autoptr(JsonNode) node = oip_push_json_validation (plan);
      g_autofree char *text = oip_json_to_string (node, FALSE);

      g_assert_cmpuint (plan->errors->len, ==, 1);
      g_assert_cmpint (((OipValidationIssue *) g_ptr_array_index (plan->errors, 0))->kind, ==,
                       OIP_ISSUE_MISSING_PRODUCT_ID);
      g_assert_cmpstr (text, ==, "{\"success\":false,\"errors\":[{\"field\":\"product_id\","
                                 "\"reason\":\"Missing product ID\"}],\"notices\":[]}");
    }

  /* Beyond int64 the whole document is refused: it cannot be read right. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(OipPushRequest) wrapped = oip_push_request_from_json ("{\"product_id\":-18446744073709550615}", -1, &error);

    g_assert_null (wrapped);
    g_assert_error (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST);
  }
}

/* The command line's --product-id: digits only, 1 to 2^63-1. */
static void
test_option_product_id (void)
{
  static const char *bad[] = {
    "", "abc", "0", "-5", "+5", " 5", "5 ", "1.5", "1e3", "0x10", "05", "9223372036854775808",
    "-18446744073709550615", "18446744073709551617", "１２３", "5\n",
  };
  static const char *good[] = { "1", "214365879", "9223372036854775807" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(OipPushRequest) request = oip_push_request_new ();
      g_autoptr(OipPushPlan) plan = NULL;
      gint64 id = 42;

      g_test_message ("--product-id '%s'", bad[i]);
      g_assert_false (oip_push_request_parse_id (bad[i], &id));
      g_assert_cmpint (id, ==, 42);
      oip_push_request_set_product_id (request, bad[i]);
      g_assert_cmpint (request->product_id, ==, 0);
      g_assert_nonnull (request->product_id_invalid);
      g_ptr_array_add (request->images, g_strdup ("https://cdn.example.net/a.jpg"));
      plan = oip_push_plan_new (request, TRUE);
      g_assert_cmpuint (plan->errors->len, ==, 1);
      g_assert_cmpint (((OipValidationIssue *) g_ptr_array_index (plan->errors, 0))->kind, ==,
                       OIP_ISSUE_INVALID_PRODUCT_ID);
    }
  g_assert_false (oip_push_request_parse_id (NULL, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(OipPushRequest) request = oip_push_request_new ();

      oip_push_request_set_product_id (request, good[i]);
      g_assert_null (request->product_id_invalid);
      g_assert_cmpint (request->product_id, >, 0);
    }
}

static void
test_request_json_refused (void)
{
  g_autofree char *deep = g_strnfill (100000, '[');
  g_autofree char *name = g_strnfill (OIP_PUSH_REQUEST_MAX_SIZE, 'a');
  g_autofree char *huge = g_strdup_printf ("{\"images\":[\"https://cdn.example.net/%s.jpg\"]}", name);
  const char *bad[] = {
    "", " ", "\n\n", "null", "[1,2]", "\"text\"", "42", "true",
    "{\"images\":\"https://r2.com/a.jpg\"}", "{\"images\":[1]}", "{\"images\":[null]}",
    "{\"images\":{\"0\":\"https://r2.com/a.jpg\"}}", "{\"color_image\":5}", "{\"primary_image\":5}",
    "{\"primary_image\":[\"https://r2.com/a.jpg\"]}",
    "{\"credential\":{\"client_id\":\"only-id\"}}", "{\"credential\":\"123:key\"}", "{\"images\":[\"a\"",
    "{\"product_id\":-18446744073709550615}", "{\"product_id\":99999999999999999999}", deep, huge,
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OipPushRequest) request = oip_push_request_from_json (bad[i], -1, &error);

      g_test_message ("refused: %.60s", bad[i]);
      g_assert_null (request);
      g_assert_error (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST);
    }

  /* An empty file or standard input comes as no data at all. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(OipPushRequest) request = oip_push_request_from_json (NULL, 0, &error);

    g_assert_null (request);
    g_assert_error (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST);
    g_assert_nonnull (strstr (error->message, "empty"));
  }
  /* A NUL byte inside. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(OipPushRequest) request = oip_push_request_from_json ("{\"images\":[]}\0{}", 15, &error);

    g_assert_null (request);
    g_assert_error (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST);
  }
}

/* A Client-Id or Api-Key that could split an HTTP header never gets in. */
static void
test_request_credentials_refused (void)
{
  g_autofree char *long_id = g_strnfill (OIP_CLIENT_ID_MAX_LENGTH + 1, '1');
  g_autofree char *long_key = g_strnfill (OIP_API_KEY_MAX_LENGTH + 1, 'k');
  const char *bad[] = {
    "{\"credential\":{\"client_id\":\"123\\r\\nX-Evil: 1\",\"api_key\":\"k\"}}",
    "{\"credential\":{\"client_id\":\"123\\n456\",\"api_key\":\"k\"}}",
    "{\"credential\":{\"client_id\":\"12 3\",\"api_key\":\"k\"}}",
    "{\"credential\":{\"client_id\":\"123\\u0000\",\"api_key\":\"k\"}}",
    "{\"credential\":{\"client_id\":\"\",\"api_key\":\"k\"}}",
    "{\"credential\":{\"client_id\":\"１２３\",\"api_key\":\"k\"}}",
    "{\"credential\":{\"client_id\":\"123\",\"api_key\":\"k\\r\\nX-Evil: 1\"}}",
    "{\"credential\":{\"client_id\":\"123\",\"api_key\":\"k e y\"}}",
    "{\"credential\":{\"client_id\":\"123\",\"api_key\":\"\"}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OipPushRequest) request = oip_push_request_from_json (bad[i], -1, &error);

      g_test_message ("refused: %s", bad[i]);
      g_assert_null (request);
      g_assert_error (error, OIP_ERROR, OIP_ERROR_CREDENTIALS_MALFORMED);
      g_assert_null (strstr (error->message, "X-Evil"));
    }
  g_assert_true (oip_credentials_check (" 123456 ", "0c7f7a3e-1b2c-4d5e-8f90-123456789abc\n", NULL));
  g_assert_true (oip_credentials_check ("demo", "demo-key", NULL));
  g_assert_false (oip_credentials_check (long_id, "k", NULL));
  g_assert_false (oip_credentials_check ("1", long_key, NULL));
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
  g_test_add_func ("/validation/truncation-said-by-number", test_truncation_said_by_number);
  g_test_add_func ("/validation/images360-70-71", test_images360_boundary);
  g_test_add_func ("/validation/color-image-1", test_color_image_limit);
  g_test_add_func ("/validation/invalid-urls", test_invalid_urls_reported);
  g_test_add_func ("/validation/can-be-off", test_validation_can_be_off);
  g_test_add_func ("/validation/duplicates", test_duplicates);
  g_test_add_func ("/validation/no-images", test_no_images);
  g_test_add_func ("/validation/no-product", test_no_product);
  g_test_add_func ("/validation/primary-image", test_primary_image);
  g_test_add_func ("/validation/primary-image-beyond-limit", test_primary_image_beyond_limit);
  g_test_add_func ("/validation/every-url-checked", test_every_url_checked);
  g_test_add_func ("/request/seed-json", test_request_json);
  g_test_add_func ("/request/ids", test_request_json_ids);
  g_test_add_func ("/request/refused", test_request_json_refused);
  g_test_add_func ("/request/product-id-refused", test_request_product_id_refused);
  g_test_add_func ("/request/option-product-id", test_option_product_id);
  g_test_add_func ("/request/credentials-refused", test_request_credentials_refused);
  g_test_add_func ("/errors/names", test_error_names);

  return g_test_run ();
}
