/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the harnesses of Ozon's answers: what every result must hold. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "oip-error.h"
#include "oip-ozon-results.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* A CRITICAL or a warning from GLib or json-glib is a finding too. */
int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_log_set_fatal_mask ("Json", G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

static inline void
fuzz_check_text (const char *text)
{
  if (text != NULL)
    g_assert (g_utf8_validate (text, -1, NULL));
}

static inline void
fuzz_check_strv (const char * const *strv)
{
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    fuzz_check_text (strv[i]);
}

/* Either a result or a clean OIP_ERROR, in valid and bounded words. */
static inline void
fuzz_check_outcome (gboolean  ok,
                    GError   *error)
{
  if (ok)
    {
      g_assert (error == NULL);
      return;
    }
  g_assert (error != NULL);
  g_assert (error->domain == OIP_ERROR);
  fuzz_check_text (error->message);
  g_assert (g_utf8_strlen (error->message, -1) < 1000);
  fuzz_check_text (oip_error_get_ozon_message (error));
}

/* The answer as the client reads it: bounded JSON, an object, not an
 * error body. */
static inline JsonNode *
fuzz_parse_answer (const guint8  *data,
                   size_t         size,
                   GError       **error)
{
  JsonNode *root = oip_ozon_parse_answer ((const char *) data, size, 200, error);

  if (root == NULL)
    fuzz_check_outcome (FALSE, *error);
  return root;
}
