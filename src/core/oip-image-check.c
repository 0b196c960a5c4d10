/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>

#include "oip-error.h"
#include "oip-image-check.h"

/* Ozon's own pixel and size limits are not published (shared/ozon-api.md
 * §7); each rule below says where its number comes from, so it can be
 * changed in one place when Ozon says more. */
static const struct
{
  /* “The format at the link is JPG or PNG” — Ozon API, pictures import. */
  gboolean jpeg_png_only;
  /* Third-party guides disagree between 5 MB and 10 MB [UNCONFIRMED]:
   * refuse above the larger, warn above the smaller. */
  gsize    max_bytes;
  gsize    warn_bytes;
  /* Too small to be a product photo; 1×1 tracking pixels and icons. */
  int      min_side;
  /* Guides say 700 to 1000 px minimum [UNCONFIRMED]: warn below the safe
   * choice of ~1000 px on the long side. */
  int      warn_long_side;
  /* Beyond any marketplace's use; decoders and Ozon's fetcher may refuse. */
  int      max_side;
  /* “A 3:4 aspect ratio is shown in full” — Ozon seller help, images. */
  double   recommended_ratio;
  double   ratio_tolerance;
} rules = {
  .jpeg_png_only = TRUE,
  .max_bytes = 10 * 1000 * 1000,
  .warn_bytes = 5 * 1000 * 1000,
  .min_side = 200,
  .warn_long_side = 1000,
  .max_side = 10000,
  .recommended_ratio = 3.0 / 4.0,
  .ratio_tolerance = 0.02,
};

/**
 * oip_image_format_sniff:
 *
 * Returns: the format by content (magic numbers), never by file name
 */
OipImageFormat
oip_image_format_sniff (const guint8 *data,
                        gsize         length)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  if (length >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return OIP_IMAGE_FORMAT_JPEG;
  if (length >= sizeof png && memcmp (data, png, sizeof png) == 0)
    return OIP_IMAGE_FORMAT_PNG;
  if (length >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return OIP_IMAGE_FORMAT_WEBP;
  if (length >= 12 && memcmp (data + 4, "ftyp", 4) == 0 &&
      (memcmp (data + 8, "heic", 4) == 0 || memcmp (data + 8, "heix", 4) == 0 ||
       memcmp (data + 8, "mif1", 4) == 0 || memcmp (data + 8, "msf1", 4) == 0))
    return OIP_IMAGE_FORMAT_HEIC;
  return OIP_IMAGE_FORMAT_UNKNOWN;
}

const char *
oip_image_format_mime_type (OipImageFormat format)
{
  switch (format)
    {
    case OIP_IMAGE_FORMAT_JPEG: return "image/jpeg";
    case OIP_IMAGE_FORMAT_PNG: return "image/png";
    case OIP_IMAGE_FORMAT_WEBP: return "image/webp";
    case OIP_IMAGE_FORMAT_HEIC: return "image/heic";
    case OIP_IMAGE_FORMAT_UNKNOWN:
    default: return "application/octet-stream";
    }
}

const char *
oip_image_format_extension (OipImageFormat format)
{
  switch (format)
    {
    case OIP_IMAGE_FORMAT_JPEG: return ".jpg";
    case OIP_IMAGE_FORMAT_PNG: return ".png";
    case OIP_IMAGE_FORMAT_WEBP: return ".webp";
    case OIP_IMAGE_FORMAT_HEIC: return ".heic";
    case OIP_IMAGE_FORMAT_UNKNOWN:
    default: return "";
    }
}

static void
add_finding (OipImageCheck    *check,
             OipImageSeverity  severity,
             const char       *code,
             char             *message)
{
  OipImageFinding *finding = g_new0 (OipImageFinding, 1);

  finding->severity = severity;
  finding->code = code;
  finding->message = message;
  g_ptr_array_add (check->findings, finding);
}

static void
finding_free (OipImageFinding *finding)
{
  g_free (finding->message);
  g_free (finding);
}

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  OipImageCheck   *check)
{
  check->width = width;
  check->height = height;
  /* Only the content's soundness matters from here: decode small. */
  gdk_pixbuf_loader_set_size (loader, MAX (1, width / 16), MAX (1, height / 16));
}

/**
 * oip_image_check_bytes:
 * @bytes: the whole file
 *
 * Checks a picture against Ozon's rules as far as they are known: format
 * by content, dimensions that can be read, a complete decode, sizes, and
 * the recommended 3:4 shape. Decoding is done at 1/16 scale, so this is
 * cheap even on large photos; call it from a worker thread all the same.
 *
 * Returns: (transfer full): the verdict
 */
OipImageCheck *
oip_image_check_bytes (GBytes *bytes)
{
  OipImageCheck *check = g_new0 (OipImageCheck, 1);
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  gboolean damaged;

  check->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) finding_free);
  check->size = length;
  check->format = oip_image_format_sniff (data, length);

  switch (check->format)
    {
    case OIP_IMAGE_FORMAT_UNKNOWN:
      add_finding (check, OIP_IMAGE_ERROR, "not_an_image",
                   g_strdup (_("This file is not a JPEG or PNG picture")));
      return check;
    case OIP_IMAGE_FORMAT_WEBP:
    case OIP_IMAGE_FORMAT_HEIC:
      add_finding (check, OIP_IMAGE_ERROR, "needs_conversion",
                   g_strdup_printf (_("This is a %s picture: Ozon takes JPEG or PNG. Convert it to JPEG first"),
                                    check->format == OIP_IMAGE_FORMAT_WEBP ? "WebP" : "HEIC"));
      return check;
    case OIP_IMAGE_FORMAT_JPEG:
    case OIP_IMAGE_FORMAT_PNG:
    default:
      break;
    }

  {
    g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_mime_type (oip_image_format_mime_type (check->format), NULL);
    gboolean written;

    g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), check);
    written = gdk_pixbuf_loader_write_bytes (loader, bytes, NULL);
    damaged = !gdk_pixbuf_loader_close (loader, NULL) || !written || gdk_pixbuf_loader_get_pixbuf (loader) == NULL;
  }

  /* libjpeg pads a cut-off JPEG with grey and calls it a success; a
   * complete one ends with the EOI marker (some cameras append a little
   * data after it, hence the search near the end). */
  if (check->format == OIP_IMAGE_FORMAT_JPEG && !damaged)
    {
      gsize from = length > 65536 ? length - 65536 : 0;

      damaged = TRUE;
      for (gsize i = length; i >= from + 2 && damaged; i--)
        damaged = !(data[i - 2] == 0xff && data[i - 1] == 0xd9);
    }

  /* Dimensions past any use say more than a decode failure would. */
  if (check->width > rules.max_side || check->height > rules.max_side)
    {
      add_finding (check, OIP_IMAGE_ERROR, "too_large",
                   g_strdup_printf (_("The picture is %d×%d pixels: larger than %d pixels on a side"),
                                    check->width, check->height, rules.max_side));
      return check;
    }
  if (damaged)
    {
      add_finding (check, OIP_IMAGE_ERROR, "damaged",
                   g_strdup (_("The picture is damaged or cut short and cannot be read")));
      return check;
    }

  if (check->width < rules.min_side || check->height < rules.min_side)
    add_finding (check, OIP_IMAGE_ERROR, "too_small",
                 g_strdup_printf (_("The picture is %d×%d pixels: too small for a product photo"),
                                  check->width, check->height));
  else if (MAX (check->width, check->height) < rules.warn_long_side)
    add_finding (check, OIP_IMAGE_WARNING, "low_resolution",
                 g_strdup_printf (_("The picture is %d×%d pixels: at least %d on the long side is safer"),
                                  check->width, check->height, rules.warn_long_side));

  if (length > rules.max_bytes)
    add_finding (check, OIP_IMAGE_ERROR, "file_too_big",
                 g_strdup_printf (_("The file is %.1f MB: keep it under %.0f MB"),
                                  length / 1e6, rules.max_bytes / 1e6));
  else if (length > rules.warn_bytes)
    add_finding (check, OIP_IMAGE_WARNING, "file_big",
                 g_strdup_printf (_("The file is %.1f MB: under %.0f MB is safer"),
                                  length / 1e6, rules.warn_bytes / 1e6));

  if (check->width > 0 && check->height > 0 &&
      ABS ((double) check->width / check->height - rules.recommended_ratio) > rules.ratio_tolerance)
    add_finding (check, OIP_IMAGE_WARNING, "aspect_ratio",
                 g_strdup (_("Ozon shows 3:4 pictures in full; this one will get margins or be cropped")));

  return check;
}

void
oip_image_check_free (OipImageCheck *check)
{
  if (check == NULL)
    return;
  g_ptr_array_unref (check->findings);
  g_free (check);
}

OipImageSeverity
oip_image_check_worst (const OipImageCheck *check)
{
  OipImageSeverity worst = OIP_IMAGE_OK;

  for (guint i = 0; i < check->findings->len; i++)
    worst = MAX (worst, ((OipImageFinding *) g_ptr_array_index (check->findings, i))->severity);
  return worst;
}

/**
 * oip_image_check_to_error:
 * @name: the file's name, for the message
 *
 * Returns: (transfer full) (nullable): %OIP_ERROR_IMAGE_REJECTED with
 *   every error found, or %NULL when nothing blocks the picture
 */
GError *
oip_image_check_to_error (const OipImageCheck *check,
                          const char          *name)
{
  g_autoptr(GString) reasons = g_string_new (NULL);

  for (guint i = 0; i < check->findings->len; i++)
    {
      OipImageFinding *finding = g_ptr_array_index (check->findings, i);

      if (finding->severity == OIP_IMAGE_ERROR)
        g_string_append_printf (reasons, "%s%s", reasons->len ? "; " : "", finding->message);
    }
  if (reasons->len == 0)
    return NULL;
  return g_error_new (OIP_ERROR, OIP_ERROR_IMAGE_REJECTED, "%s: %s", name, reasons->str);
}

/**
 * oip_image_convert_to_jpeg:
 * @bytes: a picture GdkPixbuf can read (WebP and HEIC need their loaders,
 *   webp-pixbuf-loader and heif-gdk-pixbuf)
 * @format: what oip_image_format_sniff() found: the loader is chosen by it,
 *   not by GdkPixbuf's own guess, which needs the MIME database
 *
 * Re-encodes @bytes as a JPEG of the same size, upright, transparency on
 * white. Call it from a worker thread.
 *
 * Returns: (transfer full) (nullable): the JPEG, or %NULL with
 *   %OIP_ERROR_IMAGE_REJECTED when this computer cannot read the picture
 */
GBytes *
oip_image_convert_to_jpeg (GBytes         *bytes,
                           OipImageFormat  format,
                           GError        **error)
{
  const char *mime_type = format == OIP_IMAGE_FORMAT_HEIC ? "image/heif" : oip_image_format_mime_type (format);
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_mime_type (mime_type, NULL);
  g_autoptr(GdkPixbuf) upright = NULL;
  g_autoptr(GdkPixbuf) flat = NULL;
  GdkPixbuf *pixbuf;
  gchar *buffer = NULL;
  gsize size = 0;

  if (loader == NULL)
    loader = gdk_pixbuf_loader_new ();
  if (!gdk_pixbuf_loader_write_bytes (loader, bytes, NULL) ||
      !gdk_pixbuf_loader_close (loader, NULL) ||
      (pixbuf = gdk_pixbuf_loader_get_pixbuf (loader)) == NULL)
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_IMAGE_REJECTED,
                           _("This computer cannot read this picture to convert it: convert it to JPEG first"));
      return NULL;
    }

  upright = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  if (gdk_pixbuf_get_has_alpha (upright))
    {
      int width = gdk_pixbuf_get_width (upright);
      int height = gdk_pixbuf_get_height (upright);

      flat = gdk_pixbuf_composite_color_simple (upright, width, height, GDK_INTERP_NEAREST, 255, 32,
                                                0xffffff, 0xffffff);
    }
  else
    flat = g_object_ref (upright);

  if (!gdk_pixbuf_save_to_buffer (flat, &buffer, &size, "jpeg", error, "quality", "92", NULL))
    return NULL;
  return g_bytes_new_take (buffer, size);
}
