/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "oip-rate-limiter.h"

void
oip_rate_limiter_init (OipRateLimiter *self,
                       double          rate,
                       guint           burst)
{
  self->rate = rate;
  self->burst = MAX (burst, 1);
  self->tat = 0;
}

/**
 * oip_rate_limiter_reserve:
 * @now: the monotonic time, in µs
 *
 * Books the next turn.
 *
 * Returns: when the caller may send (monotonic µs): @now, or later
 */
gint64
oip_rate_limiter_reserve (OipRateLimiter *self,
                          gint64          now)
{
  gint64 interval;
  gint64 tolerance;
  gint64 at;

  if (self->rate <= 0)
    return now;
  interval = (gint64) (G_USEC_PER_SEC / self->rate);
  tolerance = interval * (self->burst - 1);
  at = MAX (now, self->tat - tolerance);
  self->tat = MAX (self->tat, now) + interval;
  return at;
}
