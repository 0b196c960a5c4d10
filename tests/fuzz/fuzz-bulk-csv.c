/* SPDX-License-Identifier: GPL-3.0-or-later */
/* oip_bulk_input_parse_csv(): a seller's spreadsheet, whatever is in it. */
#include "config.h"

#include <string.h>
#include <glib.h>

#include "oip-bulk-input.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check_problems (GPtrArray *problems,
                guint      lines)
{
  for (guint i = 0; i < problems->len; i++)
    {
      OipBulkProblem *problem = g_ptr_array_index (problems, i);

      g_assert (problem->code != NULL && problem->message != NULL && problem->where != NULL);
      g_assert (g_utf8_validate (problem->message, -1, NULL));
      g_assert (g_utf8_validate (problem->where, -1, NULL));
      g_assert (problem->line <= lines);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OipBulkInput) input = NULL;
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  guint lines = 1;

  input = oip_bulk_input_parse_csv ((const char *) data, size, NULL, &error);
  if (input == NULL)
    {
      g_assert (error != NULL);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert (error == NULL);

  for (gsize i = 0; i < size; i++)
    if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n')))
      lines++;
  check_problems (input->problems, lines);

  /* What reaches the push plan: valid UTF-8, one entry per identifier, at
   * least one non-empty address each, a line inside the file. */
  for (guint i = 0; i < input->entries->len; i++)
    {
      OipBulkEntry *entry = g_ptr_array_index (input->entries, i);

      g_assert (entry->value != NULL && *entry->value != '\0');
      g_assert (g_utf8_validate (entry->value, -1, NULL));
      g_assert (g_hash_table_add (values, entry->value));
      g_assert (entry->line >= 1 && entry->line <= lines);
      g_assert (entry->images->len > 0);
      for (guint j = 0; j < entry->images->len; j++)
        {
          const char *image = g_ptr_array_index (entry->images, j);

          g_assert (*image != '\0');
          g_assert (g_utf8_validate (image, -1, NULL));
        }
      g_assert (entry->color_image == NULL || g_utf8_validate (entry->color_image, -1, NULL));
      g_assert (entry->local_bytes == 0);
      check_problems (entry->problems, lines);
    }
  return 0;
}
