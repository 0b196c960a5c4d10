/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The largest file read as a picture: far above Ozon's limit (10 MB is
 * refused), room for a WebP or HEIC to convert. */
#define OIP_IMAGE_MAX_FILE_SIZE (64 * 1000 * 1000)

typedef enum
{
  OIP_IMAGE_FORMAT_UNKNOWN,
  OIP_IMAGE_FORMAT_JPEG,
  OIP_IMAGE_FORMAT_PNG,
  OIP_IMAGE_FORMAT_WEBP,
  OIP_IMAGE_FORMAT_HEIC,
} OipImageFormat;

typedef enum
{
  OIP_IMAGE_OK,
  OIP_IMAGE_WARNING,
  OIP_IMAGE_ERROR,
} OipImageSeverity;

/**
 * OipImageFinding:
 * @severity: a warning the seller may override, or an error
 * @code: stable name, for JSON (`not_an_image`, `needs_conversion`, …)
 * @message: translated sentence
 */
typedef struct
{
  OipImageSeverity severity;
  const char      *code;
  char            *message;
} OipImageFinding;

/**
 * OipImageCheck:
 * @format: what the content is, whatever the file is called
 * @width: pixels, 0 when unreadable
 * @height: pixels, 0 when unreadable
 * @size: bytes
 * @findings: (element-type OipImageFinding): what is wrong or doubtful
 */
typedef struct
{
  OipImageFormat  format;
  int             width;
  int             height;
  gsize           size;
  GPtrArray      *findings;
} OipImageCheck;

OipImageFormat  oip_image_format_sniff      (const guint8  *data,
                                             gsize          length);
gboolean        oip_image_read_header       (const guint8  *data,
                                             gsize          length,
                                             OipImageFormat *format,
                                             int           *width,
                                             int           *height);
const char     *oip_image_format_mime_type  (OipImageFormat format);
const char     *oip_image_format_extension  (OipImageFormat format);
gboolean        oip_image_check_declared_size (const guint8 *data,
                                               gsize         length,
                                               GError      **error);
OipImageCheck  *oip_image_check_bytes       (GBytes        *bytes);
typedef struct _OipImageBuffers OipImageBuffers;

OipImageBuffers *oip_image_buffers_new      (guint                max_kept);
OipImageBuffers *oip_image_buffers_ref      (OipImageBuffers     *self);
void            oip_image_buffers_unref     (OipImageBuffers     *self);
GBytes         *oip_image_load              (GFile               *file,
                                             OipImageBuffers     *buffers,
                                             GCancellable        *cancellable,
                                             GError             **error);
void            oip_image_load_async        (GFile               *file,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GBytes         *oip_image_load_finish       (GAsyncResult        *result,
                                             GError             **error);
void            oip_image_check_free        (OipImageCheck *check);
OipImageSeverity oip_image_check_worst      (const OipImageCheck *check);
GError         *oip_image_check_to_error    (const OipImageCheck *check,
                                             const char          *name);
GBytes         *oip_image_convert_to_jpeg   (GBytes              *bytes,
                                             OipImageFormat       format,
                                             GError             **error);

const char     *oip_image_finding_hint      (const char          *code);
void            oip_image_check_file_async  (GFile               *file,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
OipImageCheck  *oip_image_check_file_finish (GAsyncResult        *result,
                                             GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipImageCheck, oip_image_check_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipImageBuffers, oip_image_buffers_unref)

G_END_DECLS
