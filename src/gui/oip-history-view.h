/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "oip-history.h"

G_BEGIN_DECLS

/* How many records the view reads at a time. */
#define OIP_HISTORY_VIEW_PAGE 50

#define OIP_TYPE_HISTORY_VIEW (oip_history_view_get_type ())
G_DECLARE_FINAL_TYPE (OipHistoryView, oip_history_view, OIP, HISTORY_VIEW, GtkWidget)

OipHistoryView *oip_history_view_new          (OipHistory     *history,
                                               gint64          product_id,
                                               const char     *offer_id);
gboolean        oip_history_view_is_loading   (OipHistoryView *self);
guint           oip_history_view_get_n_rows   (OipHistoryView *self);
GtkWidget      *oip_history_view_get_row      (OipHistoryView *self,
                                               guint           index);
gboolean        oip_history_view_can_show_more (OipHistoryView *self);
gint64          oip_history_view_get_product_id (OipHistoryView *self);

G_END_DECLS
