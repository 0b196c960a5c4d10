/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "oip-application.h"
#include "oip-bulk-run.h"

G_BEGIN_DECLS

#define OIP_TYPE_BULK_WINDOW (oip_bulk_window_get_type ())
G_DECLARE_FINAL_TYPE (OipBulkWindow, oip_bulk_window, OIP, BULK_WINDOW, AdwApplicationWindow)

OipBulkWindow *oip_bulk_window_new           (OipApplication      *application);
void           oip_bulk_window_open          (OipBulkWindow       *self,
                                              GFile               *file);
OipBulkRun    *oip_bulk_window_get_run       (OipBulkWindow       *self);
GListModel    *oip_bulk_window_get_shown     (OipBulkWindow       *self);
const char    *oip_bulk_window_get_page      (OipBulkWindow       *self);
gboolean       oip_bulk_window_is_busy       (OipBulkWindow       *self);
gboolean       oip_bulk_window_is_listing    (OipBulkWindow       *self);
char          *oip_bulk_window_make_report   (OipBulkWindow       *self);
void           oip_bulk_window_export_async  (OipBulkWindow       *self,
                                              GFile               *file,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean       oip_bulk_window_export_finish (OipBulkWindow       *self,
                                              GAsyncResult        *result,
                                              GError             **error);
const char    *oip_bulk_item_state_label     (OipBulkItemState     state);

G_END_DECLS
