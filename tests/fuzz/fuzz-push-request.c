/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The push request (a file or standard input, the seed's JSON) and the
 * plan made from it: whatever comes in, what would be sent is checked. */
#include "config.h"

#include <glib.h>

#include "oip-credentials.h"
#include "oip-json.h"
#include "oip-push-json.h"
#include "oip-push-plan.h"
#include "oip-push-request.h"
#include "oip-url.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check_plan (const OipPushRequest *request,
            gboolean              validate_urls)
{
  g_autoptr(OipPushPlan) plan = oip_push_plan_new (request, validate_urls);
  g_autoptr(JsonNode) node = oip_push_json_validation (plan);
  g_autofree char *text = oip_json_to_string (node, FALSE);
  gboolean sendable = oip_push_plan_check (plan, NULL);

  g_assert (g_utf8_validate (text, -1, NULL));
  g_assert (plan->images->len <= OIP_MAX_IMAGES);
  g_assert (plan->images360->len <= OIP_MAX_IMAGES360);
  if (!sendable)
    return;

  /* What would go to Ozon: a real product and URLs that pass the checks. */
  g_assert (plan->product_id > 0 && request->product_id_invalid == NULL);
  for (guint i = 0; i < plan->images->len; i++)
    {
      const char *url = g_ptr_array_index (plan->images, i);

      g_assert (oip_url_is_local_file (url) || oip_url_has_only_url_characters (url));
      g_assert (!validate_urls || oip_url_is_local_file (url) || oip_url_is_image_url (url));
    }
  if (plan->primary_image != NULL)
    g_assert (g_ptr_array_find_with_equal_func (plan->images, plan->primary_image, g_str_equal, NULL));
  if (plan->color_image != NULL)
    g_assert (oip_url_is_local_file (plan->color_image) || oip_url_has_only_url_characters (plan->color_image));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(OipPushRequest) request = oip_push_request_from_json ((const char *) data, size, NULL);

  if (request == NULL)
    return 0;

  /* Credentials that came through are fit for an HTTP header. */
  if (request->client_id != NULL)
    {
      g_assert (oip_credentials_check (request->client_id, request->api_key, NULL));
      for (const char *p = request->client_id; *p != '\0'; p++)
        g_assert (*p != '\r' && *p != '\n');
    }
  check_plan (request, TRUE);
  check_plan (request, FALSE);
  return 0;
}
