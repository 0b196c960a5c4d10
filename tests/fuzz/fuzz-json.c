/* SPDX-License-Identifier: GPL-3.0-or-later */
/* oip_json_parse(): every JSON document from outside goes through it. */
#include "config.h"

#include <glib.h>

#include "oip-json.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(JsonNode) node = oip_json_parse ((const char *) data, size, OIP_JSON_MAX_SIZE, NULL);

  if (node != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;

      /* Whatever it returns must be valid UTF-8 all the way down. */
      json_generator_set_root (generator, node);
      text = json_generator_to_data (generator, NULL);
      g_assert (g_utf8_validate (text, -1, NULL));
    }
  return 0;
}
