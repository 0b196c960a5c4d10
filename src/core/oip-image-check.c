/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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
  /* Likewise [UNCONFIRMED]: a 64 MP photo is past any listing's need, and
   * a declared size is all a decompression bomb needs to say. */
  gint64   max_pixels;
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
  .max_pixels = 64 * 1000 * 1000,
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

/* Readers of what a file declares and of its structure, without
 * decoding a pixel: a decoder allocates what the header declares before it
 * finds out whether the data is there (a 3.5 MB PNG declaring 30000×40000
 * cost 35 s and 3.5 GB), so the declared size is checked first, and JPEG
 * and PNG files are then checked by their structure to the end (markers,
 * segment lengths and tables for JPEG; chunk CRCs and the whole zlib stream
 * for PNG), which is what a full decode would refuse, at a fraction of its
 * cost. Every read is bounds-checked against @length. */

static guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

static guint
be16 (const guint8 *p)
{
  return (guint) p[0] << 8 | p[1];
}

static guint
le16 (const guint8 *p)
{
  return (guint) p[1] << 8 | p[0];
}

static guint32
le24 (const guint8 *p)
{
  return (guint32) p[2] << 16 | (guint32) p[1] << 8 | p[0];
}

/* JPEG: from SOI through the frame header (@full FALSE), or through every
 * segment and entropy-coded scan to EOI (@full TRUE). Only what libjpeg
 * decodes for GdkPixbuf and browsers is accepted: baseline, extended and
 * progressive Huffman frames of 8-bit samples. */
static gboolean
jpeg_walk (const guint8 *data,
           gsize         length,
           gboolean      full,
           int          *width,
           int          *height)
{
  gsize pos = 2;
  gboolean have_frame = FALSE;
  gboolean have_scan = FALSE;
  guint8 quant_needed = 0;   /* bit per table id the frame uses */
  guint8 quant_defined = 0;
  guint8 components[4];
  guint n_components = 0;

  if (length < 4 || data[0] != 0xff || data[1] != 0xd8)
    return FALSE;

  for (;;)
    {
      guint marker;
      gsize segment;

      /* A marker: 0xFF, maybe fill bytes, then its code. */
      if (pos >= length || data[pos] != 0xff)
        return FALSE;
      while (pos < length && data[pos] == 0xff)
        pos++;
      if (pos >= length)
        return FALSE;
      marker = data[pos++];

      if (marker == 0xd9)                       /* EOI */
        return have_scan;
      if (marker == 0xd8 || marker == 0x00)     /* a second SOI, a stuffed byte */
        return FALSE;
      if ((marker >= 0xd0 && marker <= 0xd7) || marker == 0x01)
        continue;                               /* standalone */

      if (pos + 2 > length || be16 (data + pos) < 2 || pos + be16 (data + pos) > length)
        return FALSE;
      segment = be16 (data + pos);

      if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
        {
          /* A frame header: one, of a kind the decoders take. */
          if (have_frame || (marker != 0xc0 && marker != 0xc1 && marker != 0xc2) || segment < 8)
            return FALSE;
          n_components = data[pos + 7];
          if (data[pos + 2] != 8 || n_components < 1 || n_components > 4 || segment != 8 + 3 * n_components)
            return FALSE;
          *height = be16 (data + pos + 3);
          *width = be16 (data + pos + 5);
          if (*width == 0 || *height == 0)      /* a height from DNL: not supported */
            return FALSE;
          for (guint i = 0; i < n_components; i++)
            {
              const guint8 *c = data + pos + 8 + 3 * i;

              if (c[1] >> 4 < 1 || c[1] >> 4 > 4 || (c[1] & 15) < 1 || (c[1] & 15) > 4 || c[2] > 3)
                return FALSE;
              components[i] = c[0];
              quant_needed |= 1 << c[2];
            }
          have_frame = TRUE;
          if (!full)
            return TRUE;
        }
      else if (marker == 0xdb)                  /* DQT */
        {
          gsize at = pos + 2;

          while (at < pos + segment)
            {
              gsize size = 1 + ((data[at] >> 4) ? 128 : 64);

              if ((data[at] >> 4) > 1 || (data[at] & 15) > 3 || at + size > pos + segment)
                return FALSE;
              quant_defined |= 1 << (data[at] & 15);
              at += size;
            }
        }
      else if (marker == 0xc4)                  /* DHT */
        {
          gsize at = pos + 2;

          while (at < pos + segment)
            {
              guint count = 0;

              if (at + 17 > pos + segment || (data[at] >> 4) > 1 || (data[at] & 15) > 3)
                return FALSE;
              for (guint i = 1; i <= 16; i++)
                count += data[at + i];
              if (count > 256 || at + 17 + count > pos + segment)
                return FALSE;
              at += 17 + count;
            }
        }
      else if (marker == 0xda)                  /* SOS, then its entropy-coded data */
        {
          guint n = segment >= 3 ? data[pos + 2] : 0;

          if (!have_frame || (quant_needed & ~quant_defined) != 0 ||
              n < 1 || n > n_components || segment != 6 + 2 * n)
            return FALSE;
          for (guint i = 0; i < n; i++)
            if (memchr (components, data[pos + 3 + 2 * i], n_components) == NULL)
              return FALSE;
          have_scan = TRUE;

          pos += segment;
          for (;;)
            {
              const guint8 *ff = memchr (data + pos, 0xff, length - pos);

              if (ff == NULL || (gsize) (ff - data) + 1 >= length)
                return FALSE;                   /* cut short */
              pos = ff - data;
              if (data[pos + 1] == 0x00 || (data[pos + 1] >= 0xd0 && data[pos + 1] <= 0xd7))
                pos += 2;                       /* stuffed byte, restart marker */
              else if (data[pos + 1] == 0xff)
                pos += 1;                       /* fill */
              else
                break;                          /* the next marker */
            }
          continue;
        }
      /* APPn, COM, DRI and the rest: skipped by their length. */
      pos += segment;
    }
}

/* CRC-32 (ISO 3309, as PNG uses it), without a zlib dependency. */
static guint32
png_crc (const guint8 *data,
         gsize         length)
{
  static guint32 table[256];
  static gsize ready = 0;
  guint32 crc = 0xffffffff;

  if (g_once_init_enter (&ready))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
          table[n] = c;
        }
      g_once_init_leave (&ready, 1);
    }
  for (gsize i = 0; i < length; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffff;
}

typedef struct
{
  guint64 rows;
  guint64 row_bytes;   /* with the filter byte */
} PngPass;

/* What the image data must inflate to, pass by pass (Adam7 has seven). */
static guint
png_passes (guint32  width,
            guint32  height,
            guint    bits_per_pixel,
            gboolean interlaced,
            PngPass  passes[7])
{
  static const guint adam7[7][4] = {
    { 0, 0, 8, 8 }, { 4, 0, 8, 8 }, { 0, 4, 4, 8 }, { 2, 0, 4, 4 },
    { 0, 2, 2, 4 }, { 1, 0, 2, 2 }, { 0, 1, 1, 2 },
  };
  guint n = 0;

  for (guint i = 0; i < (interlaced ? 7 : 1); i++)
    {
      guint64 x0 = interlaced ? adam7[i][0] : 0, y0 = interlaced ? adam7[i][1] : 0;
      guint64 dx = interlaced ? adam7[i][2] : 1, dy = interlaced ? adam7[i][3] : 1;
      guint64 w = width > x0 ? (width - x0 + dx - 1) / dx : 0;
      guint64 h = height > y0 ? (height - y0 + dy - 1) / dy : 0;

      if (w == 0 || h == 0)
        continue;
      passes[n].rows = h;
      passes[n].row_bytes = 1 + (w * bits_per_pixel + 7) / 8;
      n++;
    }
  return n;
}

/* The image data of a PNG, inflated chunk by chunk into a small buffer:
 * its size and each row's filter byte are checked, nothing is kept. */
typedef struct
{
  GConverter *inflater;
  PngPass     passes[7];
  guint       n_passes;
  guint64     expected;
  guint64     produced;
  guint       pass;
  guint64     row;
  guint64     in_row;     /* position inside the current row */
  gboolean    finished;
} PngData;

static gboolean
png_rows (PngData      *z,
          const guint8 *out,
          gsize         written)
{
  if (z->produced + written > z->expected)
    return FALSE;                               /* more data than declared */
  z->produced += written;

  for (gsize i = 0; i < written; )
    {
      guint64 step;

      if (z->in_row == 0 && out[i] > 4)
        return FALSE;                           /* no such filter */
      step = MIN ((guint64) (written - i), z->passes[z->pass].row_bytes - z->in_row);
      i += step;
      z->in_row += step;
      if (z->in_row == z->passes[z->pass].row_bytes)
        {
          z->in_row = 0;
          if (++z->row == z->passes[z->pass].rows)
            {
              z->row = 0;
              z->pass++;
            }
        }
    }
  return TRUE;
}

static gboolean
png_inflate (PngData      *z,
             const guint8 *in,
             gsize         length,
             gboolean      at_end)
{
  guint8 out[65536];

  /* Data after the end of the stream: libpng only warns. */
  if (z->finished)
    return TRUE;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gsize read = 0, written = 0;
      GConverterResult result;

      result = g_converter_convert (z->inflater, in, length, out, sizeof out,
                                    at_end ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                    &read, &written, &error);
      if (result == G_CONVERTER_ERROR)
        return !at_end && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
      in += read;
      length -= read;
      if (!png_rows (z, out, written))
        return FALSE;
      if (result == G_CONVERTER_FINISHED)
        {
          z->finished = TRUE;
          return TRUE;
        }
      if (length == 0 && written < sizeof out && !at_end)
        return TRUE;                            /* wants the next chunk */
      if (read == 0 && written == 0)
        return FALSE;
    }
}

/* PNG: the signature and IHDR (@full FALSE), or every chunk to IEND with
 * the CRC of each critical one, PLTE where needed, and the image data
 * inflated to exactly the size IHDR declares with a valid filter byte on
 * every row (@full TRUE): what libpng would refuse. */
static gboolean
png_walk (const guint8 *data,
          gsize         length,
          gboolean      full,
          int          *width,
          int          *height)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const struct { guint8 type; guint8 depths; guint channels; } kinds[] = {
    /* depths: bit n set when 2^n bits per sample is allowed */
    { 0, 0x1f, 1 }, { 2, 0x18, 3 }, { 3, 0x0f, 1 }, { 4, 0x18, 2 }, { 6, 0x18, 4 },
  };
  g_autoptr(GConverter) inflater = NULL;
  PngData z = { 0 };
  guint bits_per_pixel = 0;
  guint8 color_type, depth;
  gboolean have_palette = FALSE;
  gboolean in_idat = FALSE;
  gboolean idat_done = FALSE;
  gsize pos;

  if (length < 8 + 25 || memcmp (data, signature, 8) != 0 ||
      be32 (data + 8) != 13 || memcmp (data + 12, "IHDR", 4) != 0)
    return FALSE;

  *width = be32 (data + 16) > G_MAXINT ? 0 : (int) be32 (data + 16);
  *height = be32 (data + 20) > G_MAXINT ? 0 : (int) be32 (data + 20);
  depth = data[24];
  color_type = data[25];
  if (*width == 0 || *height == 0 || data[26] != 0 || data[27] != 0 || data[28] > 1)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].type == color_type && depth != 0 && (depth & (depth - 1)) == 0 && depth <= 16 &&
        (kinds[i].depths & depth) != 0)
      bits_per_pixel = kinds[i].channels * depth;
  if (bits_per_pixel == 0)
    return FALSE;
  if (!full)
    return TRUE;

  z.n_passes = png_passes (*width, *height, bits_per_pixel, data[28] == 1, z.passes);
  for (guint i = 0; i < z.n_passes; i++)
    z.expected += z.passes[i].rows * z.passes[i].row_bytes;
  inflater = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB));
  z.inflater = inflater;

  for (pos = 8; ; )
    {
      guint32 size;
      const guint8 *type;

      if (pos + 12 > length || (size = be32 (data + pos)) > G_MAXINT32 || size > length - pos - 12)
        return FALSE;
      type = data + pos + 4;
      for (guint i = 0; i < 4; i++)
        if (!g_ascii_isalpha (type[i]))
          return FALSE;
      /* Critical chunks (upper-case first letter) must be intact. */
      if (g_ascii_isupper (type[0]) && png_crc (type, 4 + size) != be32 (data + pos + 8 + size))
        return FALSE;

      if (memcmp (type, "IDAT", 4) == 0)
        {
          if (idat_done || (color_type == 3 && !have_palette))
            return FALSE;                       /* IDAT chunks come together, after PLTE */
          in_idat = TRUE;
          if (!png_inflate (&z, data + pos + 8, size, FALSE))
            return FALSE;
        }
      else
        {
          idat_done = in_idat;
          if (memcmp (type, "IEND", 4) == 0)
            break;
          if (memcmp (type, "PLTE", 4) == 0)
            have_palette = size > 0 && size % 3 == 0 && size <= 768;
          else if (pos != 8 && g_ascii_isupper (type[0]))
            return FALSE;                       /* a second IHDR, an unknown critical chunk */
        }
      pos += 12 + size;
    }

  return in_idat && png_inflate (&z, NULL, 0, TRUE) && z.finished && z.produced == z.expected;
}

/* WebP: the canvas size of a lossy (VP8), lossless (VP8L) or extended
 * (VP8X) file. */
static gboolean
webp_header (const guint8 *data,
             gsize         length,
             int          *width,
             int          *height)
{
  const guint8 *chunk = data + 12;

  if (length < 30)
    return FALSE;
  if (memcmp (chunk, "VP8 ", 4) == 0 && chunk[11] == 0x9d && chunk[12] == 0x01 && chunk[13] == 0x2a)
    {
      *width = le16 (chunk + 14) & 0x3fff;
      *height = le16 (chunk + 16) & 0x3fff;
    }
  else if (memcmp (chunk, "VP8L", 4) == 0 && chunk[8] == 0x2f)
    {
      guint32 bits = (guint32) chunk[9] | (guint32) chunk[10] << 8 | (guint32) chunk[11] << 16 |
                     (guint32) chunk[12] << 24;

      *width = (bits & 0x3fff) + 1;
      *height = ((bits >> 14) & 0x3fff) + 1;
    }
  else if (memcmp (chunk, "VP8X", 4) == 0)
    {
      *width = le24 (chunk + 12) + 1;
      *height = le24 (chunk + 15) + 1;
    }
  else
    return FALSE;
  return *width > 0 && *height > 0;
}

/* HEIF boxes: size, type, body; a size of 1 means a 64-bit size follows,
 * 0 means to the end. */
static gboolean
heif_box (const guint8  *data,
          gsize          length,
          gsize          pos,
          const guint8 **type,
          gsize         *body,
          gsize         *end)
{
  guint64 size;
  gsize header = 8;

  if (pos + 8 > length)
    return FALSE;
  size = be32 (data + pos);
  *type = data + pos + 4;
  if (size == 1)
    {
      if (pos + 16 > length)
        return FALSE;
      size = (guint64) be32 (data + pos + 8) << 32 | be32 (data + pos + 12);
      header = 16;
    }
  else if (size == 0)
    size = length - pos;
  if (size < header || size > length - pos)
    return FALSE;
  *body = pos + header;
  *end = pos + size;
  return TRUE;
}

/* HEIC: the largest image spatial extent (`ispe`) in meta/iprp/ipco: a
 * grid's full size is there, not only its tiles'. */
static gboolean
heic_header (const guint8 *data,
             gsize         length,
             int          *width,
             int          *height)
{
  static const char *path[] = { "meta", "iprp", "ipco" };
  gsize from = 0;
  gsize to = length;
  guint64 best = 0;

  for (guint depth = 0; depth < G_N_ELEMENTS (path); depth++)
    {
      gsize pos = from;
      gboolean found = FALSE;

      for (guint boxes = 0; pos < to && boxes < 4096 && !found; boxes++)
        {
          const guint8 *type;
          gsize body, end;

          if (!heif_box (data, to, pos, &type, &body, &end))
            return FALSE;
          if (memcmp (type, path[depth], 4) == 0)
            {
              /* meta is a full box: version and flags first. */
              from = depth == 0 ? body + 4 : body;
              to = end;
              found = TRUE;
            }
          pos = end;
        }
      if (!found || from > to)
        return FALSE;
    }

  for (gsize pos = from, boxes = 0; pos < to && boxes < 4096; boxes++)
    {
      const guint8 *type;
      gsize body, end;

      if (!heif_box (data, to, pos, &type, &body, &end))
        return FALSE;
      if (memcmp (type, "ispe", 4) == 0 && end - body >= 12)
        {
          guint32 w = be32 (data + body + 4);
          guint32 h = be32 (data + body + 8);

          if ((guint64) w * h >= best && w <= G_MAXINT && h <= G_MAXINT)
            {
              best = (guint64) w * h;
              *width = w;
              *height = h;
            }
        }
      pos = end;
    }
  return best > 0;
}

/**
 * oip_image_read_header:
 * @data: (array length=length): the file, or at least its beginning
 * @format: (out) (optional): the format by content
 * @width: (out): the width the file declares
 * @height: (out): the height it declares
 *
 * Reads what a picture declares, without decoding it, so that a size
 * past any use is refused before a decoder allocates it: JPEG (the frame
 * header), PNG (IHDR), WebP (VP8, VP8L, VP8X) and HEIC (ispe).
 *
 * Returns: %TRUE when the format is known and its size could be read
 */
gboolean
oip_image_read_header (const guint8   *data,
                       gsize           length,
                       OipImageFormat *format,
                       int            *width,
                       int            *height)
{
  OipImageFormat found = oip_image_format_sniff (data, length);
  gboolean read = FALSE;

  *width = *height = 0;
  if (format != NULL)
    *format = found;
  switch (found)
    {
    case OIP_IMAGE_FORMAT_JPEG:
      read = jpeg_walk (data, length, FALSE, width, height);
      break;
    case OIP_IMAGE_FORMAT_PNG:
      read = png_walk (data, length, FALSE, width, height);
      break;
    case OIP_IMAGE_FORMAT_WEBP:
      read = webp_header (data, length, width, height);
      break;
    case OIP_IMAGE_FORMAT_HEIC:
      read = heic_header (data, length, width, height);
      break;
    case OIP_IMAGE_FORMAT_UNKNOWN:
    default:
      break;
    }
  if (!read)
    *width = *height = 0;
  return read;
}

/* Whether a declared size is past the limits: refused before any decode. */
static char *
too_large (int width,
           int height)
{
  if (width > rules.max_side || height > rules.max_side)
    return g_strdup_printf (_("The picture is %d×%d pixels: larger than %d pixels on a side"),
                            width, height, rules.max_side);
  if ((gint64) width * height > rules.max_pixels)
    return g_strdup_printf (_("The picture is %d×%d pixels: more than %d megapixels"),
                            width, height, (int) (rules.max_pixels / 1000000));
  return NULL;
}

/**
 * oip_image_check_declared_size:
 * @data: (array length=length): a picture about to be decoded
 * @error: return location for %OIP_ERROR_IMAGE_REJECTED
 *
 * For any code about to hand a picture to a decoder (thumbnails): refuses
 * a JPEG, PNG, WebP or HEIC whose declared size is past the limits, before
 * the decoder allocates it. Formats it cannot read are left to the decoder.
 *
 * Returns: %FALSE when the picture declares too large a size
 */
gboolean
oip_image_check_declared_size (const guint8  *data,
                               gsize          length,
                               GError       **error)
{
  g_autofree char *oversize = NULL;
  int width, height;

  if (!oip_image_read_header (data, length, NULL, &width, &height))
    return TRUE;
  if ((oversize = too_large (width, height)) == NULL)
    return TRUE;
  g_set_error_literal (error, OIP_ERROR, OIP_ERROR_IMAGE_REJECTED, oversize);
  return FALSE;
}

/**
 * oip_image_check_bytes:
 * @bytes: the whole file
 *
 * Checks a picture against Ozon's rules as far as they are known: format
 * by content, the size it declares (refused past the limits before
 * anything else is read), a structure that is whole to its end, sizes,
 * and the recommended 3:4 shape. Nothing is decoded: the cost is one pass
 * over the file (for a PNG, inflating its data into a small buffer), and
 * memory beyond the file stays small whatever the file declares. Call it
 * from a worker thread all the same.
 *
 * Returns: (transfer full): the verdict
 */
OipImageCheck *
oip_image_check_bytes (GBytes *bytes)
{
  OipImageCheck *check = g_new0 (OipImageCheck, 1);
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  gboolean readable;
  gboolean damaged;
  char *oversize;

  check->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) finding_free);
  check->size = length;
  readable = oip_image_read_header (data, length, &check->format, &check->width, &check->height);

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
      /* Converting decodes it: a size past the limits is said now. */
      if (readable && (oversize = too_large (check->width, check->height)) != NULL)
        add_finding (check, OIP_IMAGE_ERROR, "too_large", oversize);
      return check;
    case OIP_IMAGE_FORMAT_JPEG:
    case OIP_IMAGE_FORMAT_PNG:
    default:
      break;
    }

  /* Dimensions past any use say more than a damaged file would, and are
   * known without reading further. */
  if (readable && (oversize = too_large (check->width, check->height)) != NULL)
    {
      add_finding (check, OIP_IMAGE_ERROR, "too_large", oversize);
      return check;
    }

  /* Whole to the end: libjpeg pads a cut-off JPEG with grey and calls it
   * a success, so the structure is walked to its EOI marker (data after it,
   * which some cameras append, is allowed); a PNG's chunks and data are
   * checked to IEND. */
  damaged = !readable ||
            (check->format == OIP_IMAGE_FORMAT_JPEG && !jpeg_walk (data, length, TRUE, &check->width, &check->height)) ||
            (check->format == OIP_IMAGE_FORMAT_PNG && !png_walk (data, length, TRUE, &check->width, &check->height));
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

/* A regular file is read into one buffer of its size, in one read; what
 * has no size (a device, a FIFO) in growing steps up to the bound. */
#define LOAD_FIRST_CHUNK (256 * 1024)

/* Kept buffers are made of whole huge pages (2 MiB on x86-64), so that
 * one fits the next picture and costs the kernel a few page faults
 * instead of hundreds; one grown past what a photo needs is not kept. */
#define BUFFER_STEP (2 * 1024 * 1024)
#define BUFFER_KEPT_MAX (16 * 1024 * 1024)

/**
 * OipImageBuffers:
 *
 * Memory for pictures being read, kept for the next ones. A fresh 5 MB
 * buffer of 4 KiB pages costs the kernel some 1 200 page faults (15 µs
 * each on a virtual machine here: 18 ms a picture, more than reading and
 * hashing it); in huge pages, 3; reused, none. At most @max_kept buffers
 * wait unused; those that come back beyond it are freed. Thread-safe.
 */
struct _OipImageBuffers
{
  gatomicrefcount  ref;
  GMutex           lock;
  GPtrArray       *kept;       /* Buffer *, unused */
  guint            max_kept;
};

typedef struct
{
  OipImageBuffers *owner;      /* a reference while in use, or NULL */
  guint8          *data;
  gsize            capacity;
} Buffer;

/* Aligned on a huge page and marked for them, where the system has them
 * (on "madvise", the default of most distributions). */
static guint8 *
buffer_alloc (gsize size)
{
#ifdef MADV_HUGEPAGE
  void *data = NULL;

  if (posix_memalign (&data, BUFFER_STEP, size) == 0)
    {
      madvise (data, size, MADV_HUGEPAGE);
      return data;
    }
#endif
  return g_malloc (size);
}

static void
buffer_free (Buffer *buffer)
{
  g_free (buffer->data);
  g_free (buffer);
}

/**
 * oip_image_buffers_new:
 * @max_kept: how many unused buffers are kept at most
 */
OipImageBuffers *
oip_image_buffers_new (guint max_kept)
{
  OipImageBuffers *self = g_new0 (OipImageBuffers, 1);

  g_atomic_ref_count_init (&self->ref);
  g_mutex_init (&self->lock);
  self->kept = g_ptr_array_new_with_free_func ((GDestroyNotify) buffer_free);
  self->max_kept = max_kept;
  return self;
}

OipImageBuffers *
oip_image_buffers_ref (OipImageBuffers *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref);
  return self;
}

void
oip_image_buffers_unref (OipImageBuffers *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref))
    return;
  g_ptr_array_unref (self->kept);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/* The smallest kept buffer of at least @size bytes, else a new one. */
static Buffer *
buffer_take (OipImageBuffers *buffers,
             gsize            size)
{
  Buffer *buffer = NULL;

  if (buffers != NULL)
    {
      guint best = G_MAXUINT;

      g_mutex_lock (&buffers->lock);
      for (guint i = 0; i < buffers->kept->len; i++)
        {
          Buffer *candidate = g_ptr_array_index (buffers->kept, i);

          if (candidate->capacity >= size &&
              (best == G_MAXUINT || candidate->capacity < ((Buffer *) g_ptr_array_index (buffers->kept, best))->capacity))
            best = i;
        }
      if (best != G_MAXUINT)
        buffer = g_ptr_array_steal_index_fast (buffers->kept, best);
      g_mutex_unlock (&buffers->lock);
      if (buffer != NULL)
        {
          buffer->owner = oip_image_buffers_ref (buffers);
          return buffer;
        }
      size = (size + BUFFER_STEP - 1) / BUFFER_STEP * BUFFER_STEP;
    }

  buffer = g_new0 (Buffer, 1);
  buffer->owner = buffers ? oip_image_buffers_ref (buffers) : NULL;
  buffer->data = buffers ? buffer_alloc (size) : g_malloc (size);
  buffer->capacity = size;
  return buffer;
}

/* Back to its owner while it keeps fewer than it may; freed otherwise.
 * A kept buffer holds no reference: the owner frees it when it goes. */
static void
buffer_release (Buffer *buffer)
{
  OipImageBuffers *owner = g_steal_pointer (&buffer->owner);

  if (owner != NULL)
    {
      g_mutex_lock (&owner->lock);
      if (owner->kept->len < owner->max_kept && buffer->capacity <= BUFFER_KEPT_MAX)
        g_ptr_array_add (owner->kept, g_steal_pointer (&buffer));
      g_mutex_unlock (&owner->lock);
      oip_image_buffers_unref (owner);
    }
  if (buffer != NULL)
    buffer_free (buffer);
}

static GError *
too_big_error (void)
{
  g_autofree char *limit = g_format_size (OIP_IMAGE_MAX_FILE_SIZE);

  return g_error_new (OIP_ERROR, OIP_ERROR_IMAGE_REJECTED,
                      _("The file is larger than %s: it is not a product photo"), limit);
}

/**
 * oip_image_load:
 * @file: a picture on this computer
 * @buffers: (nullable): where its memory comes from and goes back to
 * @cancellable: (nullable): checked between reads
 *
 * Reads @file in the calling thread, which it blocks: call it from a
 * worker. Never more than %OIP_IMAGE_MAX_FILE_SIZE + 1 bytes are read: a
 * device (`/dev/zero`), a FIFO or a huge file is refused instead of
 * filling memory. A regular file takes one buffer of its size and one
 * read (one more to see its end), no copies.
 *
 * Returns: (transfer full): the file's content, or %NULL with the read
 *   error or %OIP_ERROR_IMAGE_REJECTED when it is too large
 */
GBytes *
oip_image_load (GFile            *file,
                OipImageBuffers  *buffers,
                GCancellable     *cancellable,
                GError          **error)
{
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GFileInfo) info = NULL;
  Buffer *buffer;
  gsize wanted = LOAD_FIRST_CHUNK;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  input = g_file_read (file, cancellable, error);
  if (input == NULL)
    return NULL;

  /* The size of the file open now, not of the one named before. One byte
   * more than that: the read that fills it would mean the file grew. */
  info = g_file_input_stream_query_info (input, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                         cancellable, NULL);
  if (info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR)
    {
      goffset size = g_file_info_get_size (info);

      if (size > OIP_IMAGE_MAX_FILE_SIZE)
        {
          g_propagate_error (error, too_big_error ());
          return NULL;
        }
      wanted = (gsize) MAX (size, 0) + 1;
    }
  buffer = buffer_take (buffers, wanted);

  for (;;)
    {
      gssize n;

      if (length == buffer->capacity)
        {
          if (buffer->capacity > OIP_IMAGE_MAX_FILE_SIZE)
            {
              buffer_release (buffer);
              g_propagate_error (error, too_big_error ());
              return NULL;
            }
          buffer->capacity = MIN (buffer->capacity * 2, (gsize) OIP_IMAGE_MAX_FILE_SIZE + 1);
          buffer->data = g_realloc (buffer->data, buffer->capacity);
        }
      n = g_input_stream_read (G_INPUT_STREAM (input), buffer->data + length, buffer->capacity - length,
                               cancellable, error);
      if (n < 0)
        {
          buffer_release (buffer);
          return NULL;
        }
      if (n == 0)
        break;
      length += n;
    }
  if (length > OIP_IMAGE_MAX_FILE_SIZE)
    {
      buffer_release (buffer);
      g_propagate_error (error, too_big_error ());
      return NULL;
    }
  return g_bytes_new_with_free_func (buffer->data, length, (GDestroyNotify) buffer_release, buffer);
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  GBytes *content = oip_image_load (task_data, NULL, cancellable, &error);

  if (content == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, content, (GDestroyNotify) g_bytes_unref);
}

/**
 * oip_image_load_async:
 * @file: a picture on this computer
 *
 * oip_image_load() in a worker thread.
 */
void
oip_image_load_async (GFile               *file,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, oip_image_load_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_in_thread);
}

/**
 * oip_image_load_finish:
 *
 * Returns: (transfer full): the file's content, or %NULL with the read
 *   error or %OIP_ERROR_IMAGE_REJECTED when it is too large
 */
GBytes *
oip_image_load_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
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
 * white, after checking the size the file declares (a decoder allocates
 * it before reading a pixel). Call it from a worker thread.
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
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GdkPixbuf) upright = NULL;
  g_autoptr(GdkPixbuf) flat = NULL;
  g_autofree char *oversize = NULL;
  GdkPixbuf *pixbuf;
  gchar *buffer = NULL;
  gsize size = 0;
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  int width, height;

  /* Decoding allocates what the file declares: look before. */
  if (!oip_image_read_header (data, length, NULL, &width, &height))
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_IMAGE_REJECTED,
                           _("The picture is damaged or cut short and cannot be read"));
      return NULL;
    }
  if ((oversize = too_large (width, height)) != NULL)
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_IMAGE_REJECTED, oversize);
      return NULL;
    }

  loader = gdk_pixbuf_loader_new_with_mime_type (mime_type, NULL);
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
      flat = gdk_pixbuf_composite_color_simple (upright, gdk_pixbuf_get_width (upright),
                                                gdk_pixbuf_get_height (upright), GDK_INTERP_NEAREST, 255, 32,
                                                0xffffff, 0xffffff);
    }
  else
    flat = g_object_ref (upright);

  if (!gdk_pixbuf_save_to_buffer (flat, &buffer, &size, "jpeg", error, "quality", "92", NULL))
    return NULL;
  return g_bytes_new_take (buffer, size);
}

/**
 * oip_image_finding_hint:
 * @code: an #OipImageFinding's code
 *
 * Returns: what the seller can do about that finding, translated; each
 *   kind of problem gets its own advice (a picture that is only too small
 *   is not told to convert its format)
 */
const char *
oip_image_finding_hint (const char *code)
{
  static const struct { const char *code; const char *hint; } hints[] = {
    { "not_an_image", N_("Ozon takes JPEG or PNG pictures: replace the file with one.") },
    { "needs_conversion", N_("Convert the picture to JPEG (or PNG) and add it again.") },
    { "too_large", N_("Scale the picture down: at most 10 000 pixels a side and 64 megapixels.") },
    { "damaged", N_("The file is damaged or cut short: export or copy the picture again.") },
    { "too_small", N_("Use a larger picture: at least 200 pixels a side, about 1000 on the long side.") },
    { "low_resolution", N_("A picture of 1000 pixels or more on the long side looks sharp on Ozon.") },
    { "file_too_big", N_("Save the picture with more compression or fewer pixels: at most 10 MB.") },
    { "file_big", N_("Pictures under 5 MB load faster for buyers.") },
    { "aspect_ratio", N_("Crop the picture to 3:4 (for example 900×1200) to have it shown in full.") },
    { "converted", N_("Nothing to do: the converted JPEG is what is uploaded.") },
  };

  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (hints); i++)
    if (g_str_equal (hints[i].code, code))
      return _(hints[i].hint);
  return _("Check the picture and add it again.");
}

static void
check_file_in_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GBytes *content = task_data;
  OipImageCheck *check = oip_image_check_bytes (content);

  /* WebP and HEIC are converted before upload where this computer can
   * read them: check what will be sent, and say it is converted. */
  if (check->format == OIP_IMAGE_FORMAT_WEBP || check->format == OIP_IMAGE_FORMAT_HEIC)
    {
      const char *from = check->format == OIP_IMAGE_FORMAT_WEBP ? "WebP" : "HEIC";
      g_autoptr(GBytes) jpeg = oip_image_convert_to_jpeg (content, check->format, NULL);

      if (jpeg != NULL)
        {
          oip_image_check_free (check);
          check = oip_image_check_bytes (jpeg);
          add_finding (check, OIP_IMAGE_WARNING, "converted",
                       g_strdup_printf (_("This %s picture is converted to JPEG before it is uploaded"), from));
        }
    }
  g_task_return_pointer (task, check, (GDestroyNotify) oip_image_check_free);
}

static void
on_file_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GBytes *content = oip_image_load_finish (result, &error);

  if (content == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, content, (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, check_file_in_thread);
}

/**
 * oip_image_check_file_async:
 * @file: a picture on this computer
 *
 * Reads @file (bounded, see oip_image_load_async()) and checks it in a
 * worker thread as an upload would: a WebP or HEIC that can be converted
 * is checked as the JPEG it becomes.
 */
void
oip_image_check_file_async (GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, oip_image_check_file_async);
  oip_image_load_async (file, cancellable, on_file_loaded, task);
}

/**
 * oip_image_check_file_finish:
 *
 * Returns: (transfer full): the check, or %NULL when the file could not
 *   be read
 */
OipImageCheck *
oip_image_check_file_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
