/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The picture checks: header readers (JPEG, PNG, WebP, HEIC) and the
 * structure walks (JPEG to EOI, PNG chunks, CRCs and inflated data). */
#include "config.h"

#include <glib.h>

#include "oip-image-check.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(OipImageCheck) check = NULL;
  OipImageFormat format;
  int width, height;
  gboolean readable = oip_image_read_header (data, size, &format, &width, &height);

  g_assert (!readable || (width > 0 && height > 0));
  (void) oip_image_check_declared_size (data, size, NULL);

  /* A declared size within the limits may be inflated in full (a PNG of
   * 64 MP takes a second): the fuzzer spends its time on small ones. */
  if (readable && (gint64) width * height > 4 * 1000 * 1000)
    return 0;

  check = oip_image_check_bytes (bytes);
  g_assert (check->format == format);
  g_assert (check->size == size);
  for (guint i = 0; i < check->findings->len; i++)
    {
      const OipImageFinding *finding = g_ptr_array_index (check->findings, i);

      g_assert (finding->code != NULL && g_utf8_validate (finding->message, -1, NULL));
    }
  /* Accepted: its size was read, and is within the limits. */
  if (oip_image_check_worst (check) != OIP_IMAGE_ERROR)
    g_assert (readable && width <= 10000 && height <= 10000);
  return 0;
}
