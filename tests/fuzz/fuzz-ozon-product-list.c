/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A page of `/v3/product/list`, as oip_ozon_client_list_products_async() reads it. */
#include "config.h"

#include "fuzz-ozon.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = fuzz_parse_answer (data, size, &error);
  g_autoptr(OipProductPage) page = NULL;

  if (root == NULL)
    return 0;
  page = oip_ozon_parse_product_page (root, &error);
  fuzz_check_outcome (page != NULL, error);
  if (page != NULL)
    {
      fuzz_check_text (page->last_id);
      g_assert (page->total_items >= -1);
      for (guint i = 0; i < page->products->len; i++)
        {
          OipProduct *product = g_ptr_array_index (page->products, i);

          g_assert (oip_product_get_product_id (product) > 0);
          g_assert (oip_product_get_sku (product) >= 0);
          fuzz_check_text (oip_product_get_offer_id (product));
        }
    }
  return 0;
}
