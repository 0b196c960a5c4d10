/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A failed answer's body (JSON of either shape, an HTML page, any text):
 * the first byte picks the HTTP status, the rest is the body. */
#include "config.h"

#include "fuzz-ozon.h"
#include "oip-ozon-messages.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const guint statuses[] = { 200, 400, 401, 403, 404, 409, 410, 429, 500, 502, 503, 504 };
  g_autoptr(GError) error = NULL;
  guint status;

  if (size == 0)
    return 0;
  status = statuses[data[0] % G_N_ELEMENTS (statuses)];
  error = oip_ozon_error_from_body (status, (const char *) data + 1, size - 1);
  fuzz_check_outcome (FALSE, error);
  g_assert (oip_error_get_http_status (error) == status);
  return 0;
}
