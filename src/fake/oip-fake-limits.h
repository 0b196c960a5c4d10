/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The fake's copy of Ozon's limits (shared/ozon-api.md §6): requests a
 * second per Client-Id, and the picture import's product operations a
 * minute and a day. Everything is off until a test sets it; a "minute"
 * may be made shorter so that limit tests run in seconds. */

typedef enum
{
  OIP_FAKE_LIMIT_OK,
  OIP_FAKE_LIMIT_PER_MINUTE,
  OIP_FAKE_LIMIT_PER_DAY,
} OipFakeLimitVerdict;

typedef struct
{
  guint    per_second;        /* 0: no limit */
  guint    items_per_minute;  /* 0: no limit */
  guint    items_per_day;     /* 0: no limit */
  guint    minute_ms;
  gboolean hide_minute;       /* /v4/product/info/limit does not say it */

  GQueue   recent;            /* monotonic µs of the last second's requests */
  gint64   epoch;             /* the minutes are counted from here */
  gint64   window;            /* the minute the count below is for */
  guint    minute_used;
  guint    day_used;
  guint    rate_limited;      /* 429s for requests a second */
  guint    item_limited;      /* 429s for the per-minute limit */
  guint    day_limited;       /* 429s for the daily quota */
} OipFakeLimits;

void                oip_fake_limits_init        (OipFakeLimits *self);
void                oip_fake_limits_clear       (OipFakeLimits *self);
gboolean            oip_fake_limits_take_request (OipFakeLimits *self);
OipFakeLimitVerdict oip_fake_limits_take_items  (OipFakeLimits *self,
                                                 guint          n_items);
guint               oip_fake_limits_minute_left (OipFakeLimits *self);
guint               oip_fake_limits_retry_minutes (OipFakeLimits *self,
                                                   OipFakeLimitVerdict verdict);
guint               oip_fake_limits_ms_to_next_minute (OipFakeLimits *self);
guint               oip_fake_limits_daily_limit (OipFakeLimits *self);
char               *oip_fake_limits_reset_at    (void);

G_END_DECLS
