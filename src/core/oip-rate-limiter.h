/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Ozon allows 50 requests a second per Client-Id across all methods
 * (shared/ozon-api.md §6); the client stays a little under it, so that a
 * burst and the network's jitter never reach it. */
#define OIP_RATE_LIMIT_DEFAULT 45.0
#define OIP_RATE_LIMIT_BURST   3

/**
 * OipRateLimiter:
 * @rate: requests a second; 0 or less for no limit
 * @burst: how many may go at once after a quiet spell (at least 1)
 * @tat: when the next request would go if they came one by one
 *   (monotonic µs)
 * @sent: when the last requests really went (a ring of @rate entries)
 *
 * A token bucket (as a “virtual scheduling” timetable) spaces requests
 * out and tells each caller its turn, in the order they asked; the log of
 * what really went makes sure that however late a busy main loop wakes
 * the callers up, no second ever sees more than @rate of them.
 */
typedef struct
{
  double  rate;
  guint   burst;
  gint64  tat;
  gint64 *sent;
  guint   n_slots;
  guint   next_slot;
} OipRateLimiter;

void    oip_rate_limiter_init    (OipRateLimiter *self,
                                  double          rate,
                                  guint           burst);
void    oip_rate_limiter_clear   (OipRateLimiter *self);
gint64  oip_rate_limiter_reserve (OipRateLimiter *self,
                                  gint64          now);
gboolean oip_rate_limiter_take   (OipRateLimiter *self,
                                  gint64          now,
                                  gint64         *retry_at);

G_END_DECLS
