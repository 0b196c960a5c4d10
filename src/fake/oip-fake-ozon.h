/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * OipFakeFault:
 * @OIP_FAKE_FAULT_RATE_LIMIT: 429 with `Retry-After` in seconds
 * @OIP_FAKE_FAULT_ITEM_LIMIT: 429 with `Item-Retry-After` in minutes
 * @OIP_FAKE_FAULT_SERVER_ERROR: 500 with Ozon's error body
 * @OIP_FAKE_FAULT_BAD_GATEWAY_HTML: 502 with nginx's HTML page
 * @OIP_FAKE_FAULT_MALFORMED_JSON: 200 with a cut-off JSON body
 * @OIP_FAKE_FAULT_SLOW: the normal answer, after the slow delay
 * @OIP_FAKE_FAULT_GONE: 410 “obsolete method cannot be used”
 * @OIP_FAKE_FAULT_ERROR_IN_200: 200 carrying the old `{"error":{…}}` body
 * @OIP_FAKE_FAULT_CANNED: the answer given to oip_fake_ozon_inject_answer()
 * @OIP_FAKE_FAULT_DRIP: 200 with a chunked body that never ends, one byte
 *   at each drip interval
 * @OIP_FAKE_FAULT_SILENCE: no answer at all, ever
 * @OIP_FAKE_FAULT_ENDLESS: 200 with a chunked body that never ends, sent
 *   as fast as it is read
 * @OIP_FAKE_FAULT_LATE_ANSWER: acted on at once, answered after the slow
 *   delay; a client that hangs up first never hears it (an import Ozon
 *   took whose answer was lost)
 *
 * @OIP_FAKE_FAULT_CANNED to @OIP_FAKE_FAULT_ENDLESS apply to any path (the
 * storage's too) and come before the credentials are checked, as a proxy
 * or a broken server in front of Ozon would answer.
 */
typedef enum
{
  OIP_FAKE_FAULT_RATE_LIMIT,
  OIP_FAKE_FAULT_ITEM_LIMIT,
  OIP_FAKE_FAULT_SERVER_ERROR,
  OIP_FAKE_FAULT_BAD_GATEWAY_HTML,
  OIP_FAKE_FAULT_MALFORMED_JSON,
  OIP_FAKE_FAULT_SLOW,
  OIP_FAKE_FAULT_GONE,
  OIP_FAKE_FAULT_ERROR_IN_200,
  OIP_FAKE_FAULT_CANNED,
  OIP_FAKE_FAULT_DRIP,
  OIP_FAKE_FAULT_SILENCE,
  OIP_FAKE_FAULT_ENDLESS,
  OIP_FAKE_FAULT_LATE_ANSWER,
} OipFakeFault;

/**
 * OipFakeRequest:
 *
 * One request as the fake received it, for tests to assert on.
 */
typedef struct
{
  char     *path;
  char     *method;
  char     *client_id;
  char     *api_key;
  char     *content_type;
  char     *body_text;
  JsonNode *body;
} OipFakeRequest;

#define OIP_TYPE_FAKE_OZON (oip_fake_ozon_get_type ())
G_DECLARE_FINAL_TYPE (OipFakeOzon, oip_fake_ozon, OIP, FAKE_OZON, GObject)

OipFakeOzon        *oip_fake_ozon_new                (const char          *client_id,
                                                      const char          *api_key);
gboolean            oip_fake_ozon_start              (OipFakeOzon         *self,
                                                      GError             **error);
const char         *oip_fake_ozon_get_base_url       (OipFakeOzon         *self);
void                oip_fake_ozon_add_product        (OipFakeOzon         *self,
                                                      gint64               product_id,
                                                      const char          *offer_id,
                                                      gint64               sku,
                                                      const char          *name,
                                                      const char * const  *images);
void                oip_fake_ozon_add_sample_products (OipFakeOzon        *self);
char               *oip_fake_ozon_image_url          (OipFakeOzon         *self,
                                                      const char          *name);
const char * const *oip_fake_ozon_get_product_images (OipFakeOzon         *self,
                                                      gint64               product_id);
void                oip_fake_ozon_set_product_images (OipFakeOzon         *self,
                                                      gint64               product_id,
                                                      const char * const  *images);
void                oip_fake_ozon_inject             (OipFakeOzon         *self,
                                                      const char          *path,
                                                      OipFakeFault         fault,
                                                      guint                times);
void                oip_fake_ozon_inject_answer      (OipFakeOzon         *self,
                                                      const char          *path,
                                                      guint                status,
                                                      const char * const  *headers,
                                                      const char          *body,
                                                      gssize               length,
                                                      guint                times);
void                oip_fake_ozon_clear_faults       (OipFakeOzon         *self);
void                oip_fake_ozon_set_drip_interval  (OipFakeOzon         *self,
                                                      guint                milliseconds);
guint               oip_fake_ozon_count_all_requests (OipFakeOzon         *self);
guint               oip_fake_ozon_count_credentialed (OipFakeOzon         *self);
void                oip_fake_ozon_set_retry_after    (OipFakeOzon         *self,
                                                      guint                seconds);
void                oip_fake_ozon_set_slow_delay     (OipFakeOzon         *self,
                                                      guint                milliseconds);
void                oip_fake_ozon_set_pending_polls  (OipFakeOzon         *self,
                                                      guint                polls);
void                oip_fake_ozon_set_import_delay   (OipFakeOzon         *self,
                                                      guint                milliseconds);
void                oip_fake_ozon_fail_image         (OipFakeOzon         *self,
                                                      const char          *name,
                                                      guint                times);
void                oip_fake_ozon_set_remember_addresses (OipFakeOzon     *self,
                                                      gboolean             remember);
GPtrArray          *oip_fake_ozon_get_requests       (OipFakeOzon         *self);
guint               oip_fake_ozon_count_requests     (OipFakeOzon         *self,
                                                      const char          *path);
OipFakeRequest     *oip_fake_ozon_last_request       (OipFakeOzon         *self,
                                                      const char          *path);

void                oip_fake_ozon_set_limits         (OipFakeOzon         *self,
                                                      guint                per_second,
                                                      guint                items_per_minute,
                                                      guint                items_per_day);
void                oip_fake_ozon_set_minute_ms      (OipFakeOzon         *self,
                                                      guint                milliseconds);
void                oip_fake_ozon_set_minute_limit_reported (OipFakeOzon  *self,
                                                      gboolean             reported);
void                oip_fake_ozon_set_daily_usage    (OipFakeOzon         *self,
                                                      guint                usage);
guint               oip_fake_ozon_get_daily_usage    (OipFakeOzon         *self);
guint               oip_fake_ozon_count_limited      (OipFakeOzon         *self,
                                                      const char          *limit);
guint               oip_fake_ozon_count_imports      (OipFakeOzon         *self,
                                                      const char          *offer_id);
guint               oip_fake_ozon_count_storage_puts (OipFakeOzon         *self);
void                oip_fake_ozon_set_keep_requests  (OipFakeOzon         *self,
                                                      gboolean             keep);

G_END_DECLS
