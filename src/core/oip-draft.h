/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "oip-product.h"

G_BEGIN_DECLS

/**
 * OipDraft:
 * @product: the product as it was on Ozon when the edits began
 * @urls: the images to push, in the seller's order, the color image
 *   among them
 * @color_url: (nullable): which of @urls is the color image
 * @saved_at: (nullable): when it was written
 *
 * A seller's unpushed edits of one product's images.
 */
typedef struct
{
  OipProduct *product;
  GPtrArray  *urls;
  char       *color_url;
  GDateTime  *saved_at;
} OipDraft;

OipDraft *oip_draft_new    (OipProduct     *product);
OipDraft *oip_draft_copy   (const OipDraft *draft);
void      oip_draft_free   (OipDraft       *draft);
char     *oip_draft_to_json (const OipDraft *draft);
OipDraft *oip_draft_new_from_json (const char *data,
                                   gsize       length,
                                   GError    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipDraft, oip_draft_free)

#define OIP_TYPE_DRAFT_STORE (oip_draft_store_get_type ())
G_DECLARE_FINAL_TYPE (OipDraftStore, oip_draft_store, OIP, DRAFT_STORE, GObject)

OipDraftStore *oip_draft_store_new              (GFile          *dir);
GFile         *oip_draft_store_get_file         (OipDraftStore  *self,
                                                 gint64          product_id);
void           oip_draft_store_set_delay        (OipDraftStore  *self,
                                                 guint           milliseconds);
void           oip_draft_store_save             (OipDraftStore  *self,
                                                 const OipDraft *draft);
void           oip_draft_store_discard          (OipDraftStore  *self,
                                                 gint64          product_id);
void           oip_draft_store_load_async       (OipDraftStore  *self,
                                                 gint64          product_id,
                                                 GCancellable   *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
OipDraft      *oip_draft_store_load_finish      (OipDraftStore  *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);
void           oip_draft_store_load_latest_async  (OipDraftStore  *self,
                                                   GCancellable   *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer        user_data);
OipDraft      *oip_draft_store_load_latest_finish (OipDraftStore  *self,
                                                   GAsyncResult   *result,
                                                   GError        **error);
void           oip_draft_store_flush_async      (OipDraftStore  *self,
                                                 GCancellable   *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
gboolean       oip_draft_store_flush_finish     (OipDraftStore  *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);
gboolean       oip_draft_store_is_idle          (OipDraftStore  *self);

G_END_DECLS
