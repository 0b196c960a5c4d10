/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `/v3/product/info/list`'s answer, as oip_ozon_client_get_product_async() reads it. */
#include "config.h"

#include "fuzz-ozon.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = fuzz_parse_answer (data, size, &error);
  g_autoptr(OipProduct) product = NULL;

  if (root == NULL)
    return 0;
  product = oip_ozon_parse_product_info (root, "ART-1001", &error);
  fuzz_check_outcome (product != NULL, error);
  if (product != NULL)
    {
      g_assert (oip_product_get_product_id (product) > 0);
      fuzz_check_text (oip_product_get_offer_id (product));
      fuzz_check_text (oip_product_get_name (product));
      fuzz_check_text (oip_product_get_color_image (product));
      fuzz_check_strv (oip_product_get_images (product));
    }
  {
    /* Many products at once (a bulk run's lookup). */
    g_autoptr(GError) list_error = NULL;
    g_autoptr(GPtrArray) products = oip_ozon_parse_product_list (root, &list_error);

    fuzz_check_outcome (products != NULL, list_error);
    for (guint i = 0; products != NULL && i < products->len; i++)
      {
        g_assert (oip_product_get_product_id (g_ptr_array_index (products, i)) > 0);
        fuzz_check_strv (oip_product_get_images (g_ptr_array_index (products, i)));
      }
  }
  return 0;
}
