/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "oip-image-list.h"
#include "oip-push-plan.h"

static const char *
url_at (OipImageList *list,
        guint         position)
{
  g_autoptr(OipImageItem) item = g_list_model_get_item (oip_image_list_get_model (list), position);

  return oip_image_item_get_url (item);
}

static OipImageItem *
item_at (OipImageList *list,
         guint         position)
{
  g_autoptr(OipImageItem) item = g_list_model_get_item (oip_image_list_get_model (list), position);

  return item;
}

static void
count_changes (OipImageList *list,
               guint        *count)
{
  (*count)++;
}

static void
test_reset_from_product (void)
{
  const char *images[] = { "https://c.example/1.jpg", "https://c.example/2.jpg", NULL };
  g_autoptr(OipProduct) product = oip_product_new (1, "A");
  g_autoptr(OipImageList) list = oip_image_list_new ();

  oip_product_set_images (product, images);
  oip_product_set_color_image (product, "https://c.example/color.jpg");
  oip_image_list_reset (list, product);

  g_assert_cmpuint (g_list_model_get_n_items (oip_image_list_get_model (list)), ==, 3);
  g_assert_cmpuint (oip_image_list_get_n_images (list), ==, 2);
  g_assert_true (oip_image_item_get_is_main (item_at (list, 0)));
  g_assert_cmpuint (oip_image_item_get_number (item_at (list, 1)), ==, 2);
  g_assert_cmpstr (oip_image_item_get_url (oip_image_list_get_color (list)), ==, "https://c.example/color.jpg");

  oip_image_list_reset (list, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (oip_image_list_get_model (list)), ==, 0);
}

static void
test_add_text (void)
{
  g_autoptr(OipImageList) list = oip_image_list_new ();
  guint duplicates = 99;
  guint changes = 0;

  g_signal_connect (list, "changed", G_CALLBACK (count_changes), &changes);
  /* Pasted lines, a uri-list comment, a duplicate, a malformed one. */
  g_assert_cmpuint (oip_image_list_add_text (list, "https://c.example/a.jpg\r\n# comment\n"
                                                   "https://c.example/b.jpg  https://c.example/a.jpg\n"
                                                   "r2.com/c.jpg\n", &duplicates), ==, 3);
  g_assert_cmpuint (duplicates, ==, 1);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpstr (url_at (list, 2), ==, "r2.com/c.jpg");
  g_assert_true (oip_image_item_is_valid (item_at (list, 0)));
  g_assert_false (oip_image_item_is_valid (item_at (list, 2)));

  g_assert_cmpuint (oip_image_list_add_text (list, "  \n ", &duplicates), ==, 0);
  g_assert_cmpuint (changes, ==, 1);
}

static void
test_move_main_color_remove (void)
{
  g_autoptr(OipImageList) list = oip_image_list_new ();
  g_autoptr(OipPushRequest) request = NULL;

  oip_image_list_add_text (list, "https://c.example/a.jpg https://c.example/b.jpg "
                                 "https://c.example/c.jpg https://c.example/d.jpg", NULL);

  oip_image_list_move (list, 0, 2);        /* b c a d */
  g_assert_cmpstr (url_at (list, 0), ==, "https://c.example/b.jpg");
  g_assert_cmpstr (url_at (list, 2), ==, "https://c.example/a.jpg");
  g_assert_true (oip_image_item_get_is_main (item_at (list, 0)));
  g_assert_false (oip_image_item_get_is_main (item_at (list, 2)));

  oip_image_list_set_main (list, 3);       /* d b c a */
  g_assert_cmpstr (url_at (list, 0), ==, "https://c.example/d.jpg");
  g_assert_true (oip_image_item_get_is_main (item_at (list, 0)));

  oip_image_list_set_color (list, 0, TRUE);  /* d is the color image now: b is main */
  g_assert_true (oip_image_item_get_is_color (item_at (list, 0)));
  g_assert_true (oip_image_item_get_is_main (item_at (list, 1)));
  g_assert_cmpuint (oip_image_item_get_number (item_at (list, 1)), ==, 1);
  g_assert_cmpuint (oip_image_list_get_n_images (list), ==, 3);

  oip_image_list_set_color (list, 2, TRUE);  /* only one color image */
  g_assert_false (oip_image_item_get_is_color (item_at (list, 0)));
  g_assert_true (oip_image_item_get_is_color (item_at (list, 2)));

  oip_image_list_remove (list, 3);           /* d b c */
  request = oip_image_list_to_request (list, 42);
  g_assert_cmpint (request->product_id, ==, 42);
  g_assert_cmpuint (request->images->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (request->images, 0), ==, "https://c.example/d.jpg");
  g_assert_cmpstr (g_ptr_array_index (request->images, 1), ==, "https://c.example/b.jpg");
  g_assert_cmpuint (request->color_images->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (request->color_images, 0), ==, "https://c.example/c.jpg");
}

static void
test_over_limit (void)
{
  g_autoptr(OipImageList) list = oip_image_list_new ();
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < 32; i++)
    g_string_append_printf (text, "https://c.example/%u.jpg\n", i);
  oip_image_list_add_text (list, text->str, NULL);

  g_assert_false (oip_image_item_get_over_limit (item_at (list, 29)));
  g_assert_true (oip_image_item_get_over_limit (item_at (list, 30)));
  g_assert_true (oip_image_item_get_over_limit (item_at (list, 31)));

  /* A color image does not count: the 31st comes back under the limit. */
  oip_image_list_set_color (list, 0, TRUE);
  g_assert_false (oip_image_item_get_over_limit (item_at (list, 30)));
  g_assert_true (oip_image_item_get_over_limit (item_at (list, 31)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/image-list/reset-from-product", test_reset_from_product);
  g_test_add_func ("/image-list/add-text", test_add_text);
  g_test_add_func ("/image-list/move-main-color-remove", test_move_main_color_remove);
  g_test_add_func ("/image-list/over-limit", test_over_limit);

  return g_test_run ();
}
