/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "oip-error.h"
#include "oip-image-check.h"

/* Real pictures made here, and the broken ones sellers really have. */

static GBytes *
make_picture (int         width,
              int         height,
              const char *type,
              gboolean    noise)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  gchar *buffer = NULL;
  gsize size = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;
        guint32 r = noise ? g_random_int () : (guint32) (x ^ y);

        p[0] = r & 255;
        p[1] = (r >> 8) & 255;
        p[2] = (r >> 16) & 255;
      }
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, NULL, NULL));
  return g_bytes_new_take (buffer, size);
}

static gboolean
has (OipImageCheck *check,
     const char    *code)
{
  for (guint i = 0; i < check->findings->len; i++)
    if (g_str_equal (((OipImageFinding *) g_ptr_array_index (check->findings, i))->code, code))
      return TRUE;
  return FALSE;
}

static void
test_good_jpeg_and_png (void)
{
  g_autoptr(GBytes) jpeg = make_picture (900, 1200, "jpeg", FALSE);
  g_autoptr(GBytes) png = make_picture (1200, 1600, "png", FALSE);
  g_autoptr(OipImageCheck) jpeg_check = oip_image_check_bytes (jpeg);
  g_autoptr(OipImageCheck) png_check = oip_image_check_bytes (png);

  g_assert_cmpint (jpeg_check->format, ==, OIP_IMAGE_FORMAT_JPEG);
  g_assert_cmpint (jpeg_check->width, ==, 900);
  g_assert_cmpint (jpeg_check->height, ==, 1200);
  /* 900 on the long side... no: 1200 is the long side, above 1000. */
  g_assert_cmpint (oip_image_check_worst (jpeg_check), ==, OIP_IMAGE_OK);
  g_assert_null (oip_image_check_to_error (jpeg_check, "a.jpg"));

  g_assert_cmpint (png_check->format, ==, OIP_IMAGE_FORMAT_PNG);
  g_assert_cmpint (png_check->width, ==, 1200);
  g_assert_cmpint (oip_image_check_worst (png_check), ==, OIP_IMAGE_OK);
  g_assert_cmpstr (oip_image_format_mime_type (png_check->format), ==, "image/png");
}

static void
test_warnings (void)
{
  g_autoptr(GBytes) square = make_picture (800, 800, "jpeg", FALSE);
  g_autoptr(OipImageCheck) check = oip_image_check_bytes (square);

  /* Usable, but the seller should know. */
  g_assert_cmpint (oip_image_check_worst (check), ==, OIP_IMAGE_WARNING);
  g_assert_true (has (check, "aspect_ratio"));
  g_assert_true (has (check, "low_resolution"));
  g_assert_null (oip_image_check_to_error (check, "square.jpg"));
}

static void
test_webp_and_heic (void)
{
  static const guint8 webp[] = "RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00";
  static const guint8 heic[] = "\x00\x00\x00\x18" "ftypheic\x00\x00\x00\x00mif1heic";
  g_autoptr(GBytes) webp_bytes = g_bytes_new_static (webp, sizeof webp - 1);
  g_autoptr(GBytes) heic_bytes = g_bytes_new_static (heic, sizeof heic - 1);
  g_autoptr(OipImageCheck) webp_check = oip_image_check_bytes (webp_bytes);
  g_autoptr(OipImageCheck) heic_check = oip_image_check_bytes (heic_bytes);
  g_autoptr(GError) error = oip_image_check_to_error (webp_check, "photo.jpg");

  g_assert_cmpint (webp_check->format, ==, OIP_IMAGE_FORMAT_WEBP);
  g_assert_true (has (webp_check, "needs_conversion"));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_IMAGE_REJECTED);
  g_assert_nonnull (strstr (error->message, "WebP"));
  g_assert_cmpint (heic_check->format, ==, OIP_IMAGE_FORMAT_HEIC);
  g_assert_true (has (heic_check, "needs_conversion"));
}

static void
test_webp_converted (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 900, 1200);
  g_autoptr(GBytes) webp = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(OipImageCheck) before = NULL;
  g_autoptr(OipImageCheck) after = NULL;
  g_autoptr(GError) error = NULL;
  gchar *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x20a040c0);
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "webp", NULL, NULL))
    {
      /* CI installs webp-pixbuf-loader; elsewhere it may be missing. */
      g_assert_null (g_getenv ("OZON_PUSH_REQUIRE_S3_FAKE"));
      g_test_skip ("no WebP support in GdkPixbuf here");
      return;
    }
  webp = g_bytes_new_take (buffer, size);
  before = oip_image_check_bytes (webp);
  g_assert_cmpint (before->format, ==, OIP_IMAGE_FORMAT_WEBP);
  g_assert_true (has (before, "needs_conversion"));

  jpeg = oip_image_convert_to_jpeg (webp, before->format, &error);
  g_assert_no_error (error);
  after = oip_image_check_bytes (jpeg);
  g_assert_cmpint (after->format, ==, OIP_IMAGE_FORMAT_JPEG);
  g_assert_cmpint (after->width, ==, 900);
  g_assert_cmpint (after->height, ==, 1200);
  g_assert_cmpint (oip_image_check_worst (after), ==, OIP_IMAGE_OK);
}

static void
test_truncated_jpeg (void)
{
  g_autoptr(GBytes) jpeg = make_picture (900, 1200, "jpeg", TRUE);
  g_autoptr(GBytes) half = g_bytes_new_from_bytes (jpeg, 0, g_bytes_get_size (jpeg) / 2);
  g_autoptr(OipImageCheck) check = oip_image_check_bytes (half);

  g_assert_cmpint (check->format, ==, OIP_IMAGE_FORMAT_JPEG);
  g_assert_true (has (check, "damaged"));
  g_assert_cmpint (oip_image_check_worst (check), ==, OIP_IMAGE_ERROR);
}

static void
test_text_named_jpg (void)
{
  g_autoptr(GBytes) text = g_bytes_new_static ("<html>404 Not Found</html>\n", 28);
  g_autoptr(OipImageCheck) check = oip_image_check_bytes (text);
  g_autoptr(GError) error = oip_image_check_to_error (check, "main.jpg");

  g_assert_cmpint (check->format, ==, OIP_IMAGE_FORMAT_UNKNOWN);
  g_assert_true (has (check, "not_an_image"));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_IMAGE_REJECTED);
  g_assert_true (g_str_has_prefix (error->message, "main.jpg: "));
}

static void
test_tiny_and_huge (void)
{
  g_autoptr(GBytes) pixel = make_picture (1, 1, "png", FALSE);
  g_autoptr(GBytes) strip = make_picture (12000, 90, "jpeg", FALSE);
  g_autoptr(GBytes) noisy = make_picture (2000, 2000, "png", TRUE);
  g_autoptr(OipImageCheck) pixel_check = oip_image_check_bytes (pixel);
  g_autoptr(OipImageCheck) strip_check = oip_image_check_bytes (strip);
  g_autoptr(OipImageCheck) noisy_check = oip_image_check_bytes (noisy);

  g_assert_true (has (pixel_check, "too_small"));
  g_assert_cmpint (oip_image_check_worst (pixel_check), ==, OIP_IMAGE_ERROR);
  g_assert_cmpint (strip_check->width, ==, 12000);
  g_assert_true (has (strip_check, "too_large"));
  /* 2000×2000 of noise does not compress: a 12 MB file. */
  g_assert_cmpuint (noisy_check->size, >, 10 * 1000 * 1000);
  g_assert_true (has (noisy_check, "file_too_big"));
}

/* --- Crafted files: bombs and broken structures --- */

static guint32
crc32_of (const guint8 *data,
          gsize         length,
          guint32       crc)
{
  crc = ~crc;
  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
    }
  return ~crc;
}

static void
put_be32 (GByteArray *out,
          guint32     value)
{
  guint8 bytes[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (out, bytes, 4);
}

static void
png_chunk (GByteArray   *out,
           const char   *type,
           const guint8 *data,
           gsize         length)
{
  guint32 crc = crc32_of ((const guint8 *) type, 4, 0);

  crc = crc32_of (data, length, crc);
  put_be32 (out, length);
  g_byte_array_append (out, (const guint8 *) type, 4);
  g_byte_array_append (out, data, length);
  put_be32 (out, crc);
}

static GByteArray *
png_start (guint32 width,
           guint32 height,
           guint8  depth,
           guint8  color_type,
           guint8  interlace)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  GByteArray *out = g_byte_array_new ();
  guint8 ihdr[13] = { width >> 24, width >> 16, width >> 8, width, height >> 24, height >> 16, height >> 8, height,
                      depth, color_type, 0, 0, interlace };

  g_byte_array_append (out, signature, sizeof signature);
  png_chunk (out, "IHDR", ihdr, sizeof ihdr);
  return out;
}

/* A zlib stream of @n zero bytes, written by hand: one dynamic Huffman
 * block whose codes are a literal 0, <length 258, distance 1> and the
 * end, so each 258 bytes cost 2 bits (what zlib -9 reaches on zeros). */
typedef struct
{
  GByteArray *out;
  guint       acc;
  guint       count;
} Bits;

static void
bits_put (Bits   *bits,
          guint32 value,
          guint   n)
{
  for (guint i = 0; i < n; i++)
    {
      bits->acc |= ((value >> i) & 1) << bits->count;
      if (++bits->count == 8)
        {
          guint8 byte = bits->acc;

          g_byte_array_append (bits->out, &byte, 1);
          bits->acc = bits->count = 0;
        }
    }
}

static void
bits_code (Bits   *bits,
           guint32 code,
           guint   n)
{
  for (guint i = n; i > 0; i--)
    bits_put (bits, (code >> (i - 1)) & 1, 1);
}

static GByteArray *
zlib_zeros (guint64 n)
{
  static const guint8 header[] = { 0x78, 0x01 };
  static const guint order[] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1 };
  Bits bits = { g_byte_array_new (), 0, 0 };
  guint64 runs = (n - 1) / 258;
  guint64 rest = (n - 1) % 258;
  guint32 adler = (guint32) (n % 65521) << 16 | 1;

  g_byte_array_append (bits.out, header, 2);
  bits_put (&bits, 1, 1);                       /* final block */
  bits_put (&bits, 2, 2);                       /* dynamic Huffman */
  bits_put (&bits, 29, 5);                      /* 286 literal/length codes */
  bits_put (&bits, 0, 5);                       /* 1 distance code */
  bits_put (&bits, 14, 4);                      /* 18 code length codes */
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    bits_put (&bits, order[i] == 18 ? 1 : order[i] == 1 || order[i] == 2 ? 2 : 0, 3);
  /* Code lengths: 0 → 2, 1..255 → 0, 256 → 2, 257..284 → 0, 285 → 1;
   * distance 0 → 1. Codes: 18 = 0, 1 = 10, 2 = 11. */
  bits_code (&bits, 3, 2);
  bits_code (&bits, 0, 1); bits_put (&bits, 138 - 11, 7);
  bits_code (&bits, 0, 1); bits_put (&bits, 117 - 11, 7);
  bits_code (&bits, 3, 2);
  bits_code (&bits, 0, 1); bits_put (&bits, 28 - 11, 7);
  bits_code (&bits, 2, 2);
  bits_code (&bits, 2, 2);
  /* Data: literal 0 = 10, <258, 1> = 0 0, end = 11. */
  bits_code (&bits, 2, 2);
  for (guint64 i = 0; i < runs; i++)
    bits_put (&bits, 0, 2);
  for (guint64 i = 0; i < rest; i++)
    bits_code (&bits, 2, 2);
  bits_code (&bits, 3, 2);
  if (bits.count > 0)
    bits_put (&bits, 0, 8 - bits.count);
  put_be32 (bits.out, adler);
  return bits.out;
}

/* A whole, valid PNG of zeros declaring @width × @height RGB. */
static GBytes *
png_bomb (guint32 width,
          guint32 height)
{
  GByteArray *png = png_start (width, height, 8, 2, 0);
  g_autoptr(GByteArray) idat = zlib_zeros ((guint64) height * (1 + 3 * (guint64) width));

  png_chunk (png, "IDAT", idat->data, idat->len);
  png_chunk (png, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (png);
}

static void
on_ready (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static glong
peak_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

/* The bomb of the report: a 3.5 MB PNG declaring 30000×40000 took 35 s
 * and 3.5 GB; refused by its header now, before a byte is decoded. */
static void
test_decompression_bomb (void)
{
  g_autoptr(GBytes) bomb = png_bomb (30000, 40000);
  g_autoptr(GBytes) many_pixels = png_bomb (9000, 9000);
  g_autoptr(OipImageCheck) check = NULL;
  g_autoptr(OipImageCheck) pixels_check = NULL;
  glong rss_before = peak_rss_kb ();
  gint64 start = g_get_monotonic_time ();
  double seconds;

  check = oip_image_check_bytes (bomb);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("%.1f MB declaring 30000×40000: %.4f s, peak RSS +%ld kB",
                  g_bytes_get_size (bomb) / 1e6, seconds, peak_rss_kb () - rss_before);
  g_assert_cmpuint (g_bytes_get_size (bomb), >, 3000000);
  g_assert_cmpuint (g_bytes_get_size (bomb), <, 4000000);
  g_assert_cmpint (check->width, ==, 30000);
  g_assert_cmpint (check->height, ==, 40000);
  g_assert_true (has (check, "too_large"));
  g_assert_cmpfloat (seconds, <, 0.5);
  g_assert_cmpint (peak_rss_kb () - rss_before, <, 64 * 1024);

  /* For any other decoder (thumbnails), the same refusal up front. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) photo = make_picture (900, 1200, "jpeg", FALSE);

    g_assert_false (oip_image_check_declared_size (g_bytes_get_data (bomb, NULL), g_bytes_get_size (bomb), &error));
    g_assert_error (error, OIP_ERROR, OIP_ERROR_IMAGE_REJECTED);
    g_assert_true (oip_image_check_declared_size (g_bytes_get_data (photo, NULL), g_bytes_get_size (photo), NULL));
    g_assert_true (oip_image_check_declared_size ((const guint8 *) "GIF89a", 6, NULL));
  }

  /* Within 10000 on each side, but 81 megapixels. */
  pixels_check = oip_image_check_bytes (many_pixels);
  g_assert_true (has (pixels_check, "too_large"));
  g_assert_nonnull (strstr (((OipImageFinding *) g_ptr_array_index (pixels_check->findings, 0))->message, "megapixels"));
  g_assert_cmpint (peak_rss_kb () - rss_before, <, 64 * 1024);
}

/* WebP and HEIC are decoded to be converted: their declared size is
 * checked first, in the check and in the conversion itself. */
static void
test_conversion_bombs (void)
{
  /* VP8X canvas 16384×16384, the most WebP can say. */
  static const guint8 webp[] = "RIFF\x1a\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00\xff\x3f\x00\xff\x3f\x00";
  /* ftyp, then meta (full box) / iprp / ipco / ispe 20000×20000. */
  static const guint8 heic[] =
    "\x00\x00\x00\x18" "ftypheic\x00\x00\x00\x00mif1heic"
    "\x00\x00\x00\x30" "meta\x00\x00\x00\x00"
    "\x00\x00\x00\x24" "iprp"
    "\x00\x00\x00\x1c" "ipco"
    "\x00\x00\x00\x14" "ispe\x00\x00\x00\x00\x00\x00\x4e\x20\x00\x00\x4e\x20";
  g_autoptr(GBytes) webp_bytes = g_bytes_new_static (webp, sizeof webp - 1);
  g_autoptr(GBytes) heic_bytes = g_bytes_new_static (heic, sizeof heic - 1);
  g_autoptr(OipImageCheck) webp_check = oip_image_check_bytes (webp_bytes);
  g_autoptr(OipImageCheck) heic_check = oip_image_check_bytes (heic_bytes);
  g_autoptr(GError) webp_error = NULL;
  g_autoptr(GError) heic_error = NULL;
  g_autoptr(GBytes) webp_jpeg = NULL;
  g_autoptr(GBytes) heic_jpeg = NULL;

  g_assert_cmpint (webp_check->width, ==, 16384);
  g_assert_cmpint (webp_check->height, ==, 16384);
  g_assert_true (has (webp_check, "too_large"));
  g_assert_cmpint (heic_check->width, ==, 20000);
  g_assert_true (has (heic_check, "too_large"));

  webp_jpeg = oip_image_convert_to_jpeg (webp_bytes, OIP_IMAGE_FORMAT_WEBP, &webp_error);
  g_assert_null (webp_jpeg);
  g_assert_error (webp_error, OIP_ERROR, OIP_ERROR_IMAGE_REJECTED);
  g_assert_nonnull (strstr (webp_error->message, "16384"));
  heic_jpeg = oip_image_convert_to_jpeg (heic_bytes, OIP_IMAGE_FORMAT_HEIC, &heic_error);
  g_assert_null (heic_jpeg);
  g_assert_error (heic_error, OIP_ERROR, OIP_ERROR_IMAGE_REJECTED);
}

static GBytes *
png_with_rows (guint32       width,
               guint32       height,
               guint8        filter,
               const char   *extra_chunk,
               gboolean      with_end)
{
  GByteArray *png = png_start (width, height, 8, 0, 0);
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  g_autoptr(GConverter) deflater = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 6));
  g_autofree guint8 *out = g_malloc (1024 * 1024);
  gsize read = 0, written = 0;

  for (guint32 y = 0; y < height; y++)
    {
      g_byte_array_append (raw, &filter, 1);
      for (guint32 x = 0; x < width; x++)
        {
          guint8 v = (x * 7 + y * 3) & 255;

          g_byte_array_append (raw, &v, 1);
        }
    }
  g_assert_cmpint (g_converter_convert (deflater, raw->data, raw->len, out, 1024 * 1024,
                                        G_CONVERTER_INPUT_AT_END, &read, &written, NULL), ==, G_CONVERTER_FINISHED);
  if (extra_chunk != NULL)
    png_chunk (png, extra_chunk, (const guint8 *) "x", 1);
  png_chunk (png, "IDAT", out, written);
  if (with_end)
    png_chunk (png, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (png);
}

static void
assert_damaged (GBytes     *bytes,
                const char *what)
{
  g_autoptr(OipImageCheck) check = oip_image_check_bytes (bytes);

  g_test_message ("%s", what);
  g_assert_true (has (check, "damaged"));
  g_assert_cmpint (oip_image_check_worst (check), ==, OIP_IMAGE_ERROR);
}

static GBytes *
patched (GBytes *bytes,
         gsize   at,
         guint8  value)
{
  guint8 *copy = g_memdup2 (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  copy[at] = value;
  return g_bytes_new_take (copy, g_bytes_get_size (bytes));
}

/* Without decoding, the broken files a decoder refused are still refused;
 * good ones (progressive, interlaced, with a trailer) still pass. */
static void
test_broken_structures (void)
{
  g_autoptr(GBytes) jpeg = make_picture (900, 1200, "jpeg", TRUE);
  g_autoptr(GBytes) png = make_picture (900, 1200, "png", TRUE);
  g_autoptr(GBytes) good_png = png_with_rows (900, 1200, 0, NULL, TRUE);
  g_autoptr(GBytes) bad_filter = png_with_rows (900, 1200, 5, NULL, TRUE);
  g_autoptr(GBytes) no_end = png_with_rows (900, 1200, 0, NULL, FALSE);
  g_autoptr(GBytes) unknown_critical = png_with_rows (900, 1200, 0, "ZZZZ", TRUE);
  g_autoptr(GBytes) ancillary = png_with_rows (900, 1200, 0, "zzZz", TRUE);
  g_autoptr(OipImageCheck) good_check = oip_image_check_bytes (good_png);
  g_autoptr(OipImageCheck) ancillary_check = oip_image_check_bytes (ancillary);
  const guint8 *j = g_bytes_get_data (jpeg, NULL);
  gsize jlen = g_bytes_get_size (jpeg);
  gsize sof = 2;

  g_assert_false (has (good_check, "damaged"));
  g_assert_false (has (ancillary_check, "damaged"));
  assert_damaged (bad_filter, "PNG row filter 5");
  assert_damaged (no_end, "PNG without IEND");
  assert_damaged (unknown_critical, "PNG with an unknown critical chunk");

  /* Cut anywhere, a JPEG or a PNG is refused. */
  for (guint tenth = 1; tenth < 10; tenth++)
    {
      g_autoptr(GBytes) cut_jpeg = g_bytes_new_from_bytes (jpeg, 0, jlen * tenth / 10);
      g_autoptr(GBytes) cut_png = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) * tenth / 10);

      assert_damaged (cut_jpeg, "JPEG cut short");
      assert_damaged (cut_png, "PNG cut short");
    }
  {
    g_autoptr(GBytes) no_eoi = g_bytes_new_from_bytes (jpeg, 0, jlen - 2);
    g_autoptr(GBytes) flipped = patched (png, g_bytes_get_size (png) / 2, ((const guint8 *) g_bytes_get_data (png, NULL))[g_bytes_get_size (png) / 2] ^ 0x55);

    assert_damaged (no_eoi, "JPEG without EOI");
    assert_damaged (flipped, "PNG with a flipped byte (CRC)");
  }

  /* Damaged segments of a JPEG. */
  while (sof + 4 < jlen && !(j[sof] == 0xff && j[sof + 1] == 0xc0))
    sof += 2 + (j[sof + 2] << 8 | j[sof + 3]);
  g_assert_cmpuint (sof + 4, <, jlen);
  {
    g_autoptr(GBytes) zero_height = patched (jpeg, sof + 5, 0);
    g_autoptr(GBytes) zero_height2 = patched (zero_height, sof + 6, 0);
    g_autoptr(GBytes) twelve_bit = patched (jpeg, sof + 4, 12);
    g_autoptr(GBytes) bad_length = patched (jpeg, sof + 3, 0xff);
    g_autoptr(GBytes) lossless = patched (jpeg, sof + 1, 0xc3);
    g_autoptr(GBytes) no_marker = patched (jpeg, sof, 0x00);
    g_autoptr(GBytes) second_soi = patched (patched (jpeg, sof + 1, 0xd8), sof, 0xff);

    assert_damaged (zero_height2, "JPEG of height 0");
    assert_damaged (twelve_bit, "12-bit JPEG");
    assert_damaged (bad_length, "JPEG segment length past the end");
    assert_damaged (lossless, "lossless JPEG");
    assert_damaged (no_marker, "JPEG with a segment that is not a marker");
    assert_damaged (second_soi, "JPEG with a second SOI");
  }

  /* What cameras add after EOI is fine. */
  {
    g_autoptr(GByteArray) trailer = g_byte_array_new ();
    g_autoptr(GBytes) with_trailer = NULL;
    g_autoptr(OipImageCheck) check = NULL;

    g_byte_array_append (trailer, j, jlen);
    g_byte_array_append (trailer, (const guint8 *) "SEFT trailer data\0\0\0", 20);
    with_trailer = g_byte_array_free_to_bytes (g_steal_pointer (&trailer));
    check = oip_image_check_bytes (with_trailer);
    g_assert_false (has (check, "damaged"));
  }
}

/* Progressive JPEG, restart markers, interlaced PNG, 16-bit and palette
 * PNG: what real tools write, accepted without a decoder. ImageMagick
 * writes them all in one run (it is slow to start). */
static void
test_real_variants (void)
{
  g_autofree char *convert = g_find_program_in_path ("convert");
  g_autofree char *dir = g_dir_make_tmp ("oip-variants-XXXXXX", NULL);
  g_autofree char *source = g_build_filename (dir, "source.png", NULL);
  g_autoptr(GBytes) picture = make_picture (300, 400, "png", FALSE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  const char *variants[][3] = {
    { "progressive.jpg", "-interlace", "Plane" },
    { "restart.jpg", "-define", "jpeg:restart-interval=2" },
    { "interlaced.png", "-interlace", "PNG" },
    { "deep.png", "-depth", "16" },
    { "palette.png", "-colors", "16" },
    { "gray.jpg", "-colorspace", "Gray" },
  };
  int status = -1;

  if (convert == NULL)
    {
      g_assert_null (g_getenv ("OZON_PUSH_REQUIRE_S3_FAKE"));
      g_test_skip ("ImageMagick is not installed");
      return;
    }
  g_assert_true (g_file_set_contents (source, g_bytes_get_data (picture, NULL), g_bytes_get_size (picture), NULL));
  g_ptr_array_add (argv, g_strdup (convert));
  g_ptr_array_add (argv, g_strdup (source));
  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_ptr_array_add (argv, g_strdup ("("));
      g_ptr_array_add (argv, g_strdup ("+clone"));
      g_ptr_array_add (argv, g_strdup (variants[i][1]));
      g_ptr_array_add (argv, g_strdup (variants[i][2]));
      g_ptr_array_add (argv, g_strdup ("-write"));
      g_ptr_array_add (argv, g_build_filename (dir, variants[i][0], NULL));
      g_ptr_array_add (argv, g_strdup ("+delete"));
      g_ptr_array_add (argv, g_strdup (")"));
    }
  g_ptr_array_add (argv, g_strdup ("null:"));
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, 0, NULL, NULL, NULL, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autofree char *target = g_build_filename (dir, variants[i][0], NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(OipImageCheck) check = NULL;

      g_assert_true (g_file_get_contents (target, &contents, &length, NULL));
      bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
      check = oip_image_check_bytes (bytes);
      g_test_message ("%s: %d×%d", variants[i][0], check->width, check->height);
      g_assert_cmpint (check->width, ==, 300);
      g_assert_cmpint (check->height, ==, 400);
      g_assert_false (has (check, "damaged"));
      g_assert_cmpint (oip_image_check_worst (check), ==, OIP_IMAGE_WARNING);   /* low resolution only */
      g_unlink (target);
    }
  g_unlink (source);
  g_rmdir (dir);
}

static GBytes *
load (const char  *path,
      GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  GMainContext *context = g_main_context_default ();

  oip_image_load_async (file, NULL, on_ready, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  return oip_image_load_finish (result, error);
}

/* A picture file is read with a bound: /dev/zero named as a photo is
 * refused at 64 MB instead of filling memory. */
static void
test_bounded_load (void)
{
  g_autoptr(GBytes) photo = make_picture (300, 400, "jpeg", FALSE);
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "oip-load-test.jpg", NULL);
  g_autoptr(GBytes) loaded = NULL;
  g_autoptr(GBytes) endless = NULL;
  g_autoptr(GError) error = NULL;
  glong rss_before = peak_rss_kb ();

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (photo, NULL), g_bytes_get_size (photo), NULL));
  loaded = load (path, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (loaded, photo));
  g_unlink (path);

  endless = load ("/dev/zero", &error);
  g_assert_null (endless);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_IMAGE_REJECTED);
  g_assert_cmpint (peak_rss_kb () - rss_before, <, 200 * 1024);
}

/* Bytes this process has read through read(2) and the like. */
static guint64
bytes_read (void)
{
  g_autofree char *io = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/io", &io, NULL, NULL));
  line = strstr (io, "rchar: ");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("rchar: "), NULL, 10);
}

/* A regular file larger than any picture is refused by its size, unread
 * (it was read to 64 MB first); one of any size up to the bound comes
 * back whole, from one buffer. */
static void
test_load_by_size (void)
{
  g_autofree char *dir = g_dir_make_tmp ("oip-load-XXXXXX", NULL);
  g_autofree char *huge = g_build_filename (dir, "huge.jpg", NULL);
  const gsize sizes[] = { 0, 1, 8191, 256 * 1024, 256 * 1024 + 1, 5 * 1000 * 1000 + 7 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) refused = NULL;
  guint64 before;
  int fd;

  /* Sparse: 100 MB on no disk at all. */
  fd = g_open (huge, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 100 * 1000 * 1000), ==, 0);
  g_close (fd, NULL);

  before = bytes_read ();
  refused = load (huge, &error);
  g_assert_null (refused);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_IMAGE_REJECTED);
  g_assert_cmpuint (bytes_read () - before, <, 64 * 1024);
  g_clear_error (&error);
  g_unlink (huge);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *path = g_build_filename (dir, "sized.jpg", NULL);
      g_autofree guint8 *data = g_malloc (MAX (sizes[i], 1));
      g_autoptr(GFile) sized = g_file_new_for_path (path);
      g_autoptr(GBytes) loaded = NULL;
      g_autoptr(GBytes) expected = NULL;

      for (gsize j = 0; j < sizes[i]; j++)
        data[j] = (guint8) (j * 131 + i);
      expected = g_bytes_new (data, sizes[i]);
      g_assert_true (g_file_set_contents (path, (const char *) data, sizes[i], NULL));
      loaded = oip_image_load (sized, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (loaded, expected));
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Buffers come back to their pool and serve the next file (no fresh
 * memory to fault in); one that fits is taken, one kept at most, and a
 * picture outlives the pool it came from. */
static void
test_load_buffers_reused (void)
{
  g_autofree char *dir = g_dir_make_tmp ("oip-load-XXXXXX", NULL);
  g_autofree char *big_path = g_build_filename (dir, "big.jpg", NULL);
  g_autofree char *small_path = g_build_filename (dir, "small.jpg", NULL);
  g_autoptr(GBytes) photo = make_picture (1200, 1600, "jpeg", TRUE);
  g_autoptr(GBytes) small = make_picture (300, 400, "jpeg", FALSE);
  g_autoptr(GFile) big_file = g_file_new_for_path (big_path);
  g_autoptr(GFile) small_file = g_file_new_for_path (small_path);
  OipImageBuffers *buffers = oip_image_buffers_new (1);
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(GBytes) third = NULL;
  g_autoptr(GError) error = NULL;
  const void *memory;

  g_assert_true (g_file_set_contents (big_path, g_bytes_get_data (photo, NULL), g_bytes_get_size (photo), NULL));
  g_assert_true (g_file_set_contents (small_path, g_bytes_get_data (small, NULL), g_bytes_get_size (small), NULL));

  first = oip_image_load (big_file, buffers, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (first, photo));
  memory = g_bytes_get_data (first, NULL);
  g_clear_pointer (&first, g_bytes_unref);

  /* The smaller file goes into the same memory. */
  second = oip_image_load (small_file, buffers, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (second, small));
  g_assert_true (g_bytes_get_data (second, NULL) == memory);

  /* In use: the next one gets other memory. */
  third = oip_image_load (big_file, buffers, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (third, photo));
  g_assert_true (g_bytes_get_data (third, NULL) != memory);

  /* The pool goes first; its pictures stay whole. */
  oip_image_buffers_unref (buffers);
  g_assert_true (g_bytes_equal (second, small));
  g_assert_true (g_bytes_equal (third, photo));

  g_unlink (big_path);
  g_unlink (small_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/image-check/good-jpeg-and-png", test_good_jpeg_and_png);
  g_test_add_func ("/image-check/warnings", test_warnings);
  g_test_add_func ("/image-check/webp-and-heic", test_webp_and_heic);
  g_test_add_func ("/image-check/webp-converted", test_webp_converted);
  g_test_add_func ("/image-check/truncated-jpeg", test_truncated_jpeg);
  g_test_add_func ("/image-check/text-named-jpg", test_text_named_jpg);
  g_test_add_func ("/image-check/tiny-and-huge", test_tiny_and_huge);
  g_test_add_func ("/image-check/decompression-bomb", test_decompression_bomb);
  g_test_add_func ("/image-check/conversion-bombs", test_conversion_bombs);
  g_test_add_func ("/image-check/broken-structures", test_broken_structures);
  g_test_add_func ("/image-check/real-variants", test_real_variants);
  g_test_add_func ("/image-check/bounded-load", test_bounded_load);
  g_test_add_func ("/image-check/load-by-size", test_load_by_size);
  g_test_add_func ("/image-check/load-buffers-reused", test_load_buffers_reused);

  return g_test_run ();
}
