/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `/v2/product/pictures/import`'s answer: the import task's id. */
#include "config.h"

#include "fuzz-ozon.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = fuzz_parse_answer (data, size, &error);
  gint64 task_id;

  if (root == NULL)
    return 0;
  task_id = oip_ozon_parse_task_id (root, &error);
  fuzz_check_outcome (task_id > 0, error);
  return 0;
}
