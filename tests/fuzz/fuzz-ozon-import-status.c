/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `/v1/product/import/info`'s answer, for one product and for the first. */
#include "config.h"

#include "fuzz-ozon.h"

static void
check (JsonNode   *root,
       const char *offer_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OipImportStatus) status = oip_ozon_parse_import_status (root, offer_id, &error);

  fuzz_check_outcome (status != NULL, error);
  if (status != NULL)
    {
      g_assert (oip_import_state_to_string (status->state) != NULL);
      for (guint i = 0; i < status->errors->len; i++)
        fuzz_check_text (g_ptr_array_index (status->errors, i));
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = fuzz_parse_answer (data, size, &error);

  if (root == NULL)
    return 0;
  check (root, "ART-1001");
  check (root, NULL);
  {
    /* Every item of a bulk run's task. */
    g_autoptr(GPtrArray) statuses = oip_ozon_parse_import_statuses (root, &error);

    fuzz_check_outcome (statuses != NULL, error);
    for (guint i = 0; statuses != NULL && i < statuses->len; i++)
      {
        OipImportStatus *status = g_ptr_array_index (statuses, i);

        fuzz_check_text (status->offer_id);
        g_assert (status->product_id >= 0);
      }
  }
  return 0;
}
