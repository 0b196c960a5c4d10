/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "oip-history.h"

G_BEGIN_DECLS

#define OIP_TYPE_HISTORY_ROW (oip_history_row_get_type ())
G_DECLARE_FINAL_TYPE (OipHistoryRow, oip_history_row, OIP, HISTORY_ROW, GtkListBoxRow)

GtkWidget           *oip_history_row_new         (const OipPushRecord *record,
                                                  gboolean             show_product);
const OipPushRecord *oip_history_row_get_record  (OipHistoryRow       *self);
gboolean             oip_history_row_can_restore (OipHistoryRow       *self);
const char          *oip_history_row_get_title   (OipHistoryRow       *self);

G_END_DECLS
