/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  OIP_IMPORT_PENDING,
  OIP_IMPORT_IMPORTED,
  OIP_IMPORT_FAILED,
  OIP_IMPORT_SKIPPED,
} OipImportState;

/**
 * OipImportStatus:
 * @state: where Ozon's import task stands
 * @errors: (element-type utf8): Ozon's messages for a failed item
 *
 * One item of `/v1/product/import/info`.
 */
typedef struct
{
  OipImportState state;
  GPtrArray     *errors;
} OipImportStatus;

/**
 * OipImageError:
 * @url: the picture Ozon could not take
 * @message: Ozon's reason, as Ozon wrote it
 */
typedef struct
{
  char *url;
  char *message;
} OipImageError;

/**
 * OipPictures:
 * @images: the product's current pictures, main first
 * @color_image: (nullable): the color image
 * @errors: (element-type OipImageError): per-URL errors
 *
 * One item of `/v2/product/pictures/info`.
 */
typedef struct
{
  GStrv      images;
  char      *color_image;
  GPtrArray *errors;
} OipPictures;

OipImportStatus *oip_import_status_new_from_json (JsonObject      *item);
void             oip_import_status_free          (OipImportStatus *status);
const char      *oip_import_state_to_string      (OipImportState   state);

OipPictures     *oip_pictures_new_from_json      (JsonObject      *item);
void             oip_pictures_free               (OipPictures     *pictures);
OipImageError   *oip_image_error_new             (const char      *url,
                                                  const char      *message);
void             oip_image_error_free            (OipImageError   *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipImportStatus, oip_import_status_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipPictures, oip_pictures_free)

G_END_DECLS
