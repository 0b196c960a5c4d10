/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "oip-history.h"

G_BEGIN_DECLS

/* What oip_history_record_from_row() reads, in this order. */
#define OIP_HISTORY_RECORD_COLUMNS \
  "id, kind, source_push_id, bulk_run_id, product_id, offer_id, client_id, started_at, " \
  "finished_at, outcome, before_known, before_images, before_color, after_images, after_color, " \
  "sent_color, error_code, error_message, task_id, owner_pid, owner_started, owner_boot"

#define OIP_HISTORY_IMAGE_COLUMNS "position, source, url, is_main, is_color, state, error"

OipPushRecord      *oip_history_record_from_row (sqlite3_stmt *stmt);
OipPushRecordImage *oip_history_image_from_row  (sqlite3_stmt *stmt);
gint64              oip_history_write_record    (sqlite3             *db,
                                                 const OipPushRecord *record,
                                                 GError             **error);
gboolean            oip_history_owner_alive     (gint64               pid,
                                                 gint64               started,
                                                 const char          *boot);
void                oip_history_this_process    (gint64              *pid,
                                                 gint64              *started,
                                                 const char         **boot);
GPtrArray          *oip_history_read_records    (sqlite3             *db,
                                                 const gint64        *ids,
                                                 guint                n_ids,
                                                 GError             **error);

G_END_DECLS
