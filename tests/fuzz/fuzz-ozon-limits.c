/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `/v4/product/info/limit`'s answer: the quotas a bulk run paces itself by
 * (`operation_limits` as an object or an array). */
#include "config.h"

#include "fuzz-ozon.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = fuzz_parse_answer (data, size, &error);
  g_autofree OipOzonLimits *limits = NULL;

  if (root == NULL)
    return 0;
  limits = oip_ozon_parse_limits (root, &error);
  fuzz_check_outcome (limits != NULL, error);
  if (limits != NULL)
    {
      g_assert (limits->daily_limit >= -1 && limits->daily_usage >= -1);
      g_assert (limits->per_minute == -1 || limits->per_minute > 0);
      g_assert (oip_ozon_limits_daily_left (limits) >= -1);
    }
  return 0;
}
