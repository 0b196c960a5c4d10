/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * OipBulkPacer:
 * @per_minute: products a minute the picture import takes (Ozon's
 *   `operation_limits`), -1 while unknown
 * @minute_us: how long a minute is (µs; shorter in tests)
 * @sent: (element-type OipBulkPacerEntry): imports accepted in the last
 *   minute
 * @blocked_until: monotonic µs before which nothing goes (after a 429)
 * @remaining: the last `Item-Rate-Limit-Remaining`, -1 when none
 *
 * Paces a bulk run's imports so that Ozon's per-minute item limit is used
 * fully but never exceeded. An import counts from when its answer came
 * back (by then Ozon has surely counted it), over a sliding minute: in any
 * minute Ozon sees at most @per_minute products, however its own minute
 * is cut.
 */
typedef struct
{
  gint64  per_minute;
  gint64  minute_us;
  GArray *sent;
  gint64  blocked_until;
  gint64  remaining;
} OipBulkPacer;

typedef struct
{
  gint64 at;
  guint  count;
} OipBulkPacerEntry;

void  oip_bulk_pacer_init      (OipBulkPacer *self,
                                gint64        minute_us);
void  oip_bulk_pacer_clear     (OipBulkPacer *self);
guint oip_bulk_pacer_next      (OipBulkPacer *self,
                                gint64        now,
                                gint64       *at);
void  oip_bulk_pacer_record    (OipBulkPacer *self,
                                gint64        now,
                                guint         count,
                                gint64        remaining);
void  oip_bulk_pacer_block     (OipBulkPacer *self,
                                gint64        now,
                                gint64        minutes,
                                gint64        remaining);

G_END_DECLS
