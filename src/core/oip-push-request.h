/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A request file or standard input larger than this is refused before it
 * is parsed: 30 + 70 + 1 URLs of 4 KB each fit several times over. */
#define OIP_PUSH_REQUEST_MAX_SIZE (1024 * 1024)

/**
 * OipPushRequest:
 * @product_id: Ozon product_id, 0 when not given or not usable
 * @product_id_invalid: (nullable): when a product_id was given but is not
 *   a whole number from 1 to 2^63-1 (a string, a fraction, a negative
 *   number…), what was given, as text; the plan reports it
 * @images: (element-type utf8): image URLs in display order
 * @images360: (element-type utf8): 360° image URLs (validated, never sent)
 * @color_images: (element-type utf8): the color image; at most one is sent
 * @primary_image: (nullable): the main image, if not the first of @images
 * @client_id: (nullable): Client-Id from the request's "credential"
 * @api_key: (nullable): Api-Key from the request's "credential"
 *
 * What the seller asked for, in the shape of the seed's push request.
 */
typedef struct
{
  gint64     product_id;
  char      *product_id_invalid;
  GPtrArray *images;
  GPtrArray *images360;
  GPtrArray *color_images;
  char      *primary_image;
  char      *client_id;
  char      *api_key;
} OipPushRequest;

OipPushRequest *oip_push_request_new       (void);
void            oip_push_request_free      (OipPushRequest *request);
OipPushRequest *oip_push_request_copy      (const OipPushRequest *request);
OipPushRequest *oip_push_request_from_json (const char     *data,
                                            gssize          length,
                                            GError        **error);
void            oip_push_request_set_product_id (OipPushRequest *request,
                                                 const char     *text);
gboolean        oip_push_request_parse_id  (const char     *text,
                                            gint64         *out_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipPushRequest, oip_push_request_free)

G_END_DECLS
