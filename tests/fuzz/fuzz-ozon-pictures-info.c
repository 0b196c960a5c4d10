/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `/v2/product/pictures/info`'s answer: a product's pictures now, and
 * every product's (a bulk run's read-back). */
#include "config.h"

#include "fuzz-ozon.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = fuzz_parse_answer (data, size, &error);
  g_autoptr(OipPictures) pictures = NULL;

  if (root == NULL)
    return 0;
  pictures = oip_ozon_parse_pictures (root, &error);
  fuzz_check_outcome (pictures != NULL, error);
  if (pictures != NULL)
    {
      fuzz_check_strv ((const char * const *) pictures->images);
      fuzz_check_text (pictures->color_image);
      for (guint i = 0; i < pictures->errors->len; i++)
        {
          OipImageError *image_error = g_ptr_array_index (pictures->errors, i);

          fuzz_check_text (image_error->url);
          fuzz_check_text (image_error->message);
        }
    }
  {
    g_autoptr(GError) list_error = NULL;
    g_autoptr(GPtrArray) list = oip_ozon_parse_pictures_list (root, &list_error);

    fuzz_check_outcome (list != NULL, list_error);
    for (guint i = 0; list != NULL && i < list->len; i++)
      {
        OipPictures *each = g_ptr_array_index (list, i);

        g_assert (each->product_id > 0);
        fuzz_check_strv ((const char * const *) each->images);
      }
  }
  return 0;
}
