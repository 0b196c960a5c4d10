/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "oip-bulk-input.h"

G_BEGIN_DECLS

/* Shared by oip-bulk-input.c, oip-bulk-csv.c and oip-bulk-folder.c. */

OipBulkInput   *oip_bulk_input_new            (void);
OipBulkEntry   *oip_bulk_entry_new            (OipProductKey  key,
                                               const char    *value,
                                               guint          line,
                                               const char    *where);
void            oip_bulk_add_problem          (GPtrArray     *problems,
                                               guint          line,
                                               const char    *where,
                                               const char    *code,
                                               const char    *format,
                                               ...) G_GNUC_PRINTF (5, 6);
char           *oip_bulk_strip                (const char    *text,
                                               gssize         length);
gboolean        oip_bulk_check_offer_id       (const char    *value,
                                               char         **reason);

G_END_DECLS
