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
  g_clear_pointer (&self->sent, g_free);
  self->n_slots = rate > 0 ? MAX ((guint) rate, 1) : 0;
  self->next_slot = 0;
  if (self->n_slots > 0)
    self->sent = g_new0 (gint64, self->n_slots);
}

void
oip_rate_limiter_clear (OipRateLimiter *self)
{
  g_clear_pointer (&self->sent, g_free);
}

/**
 * oip_rate_limiter_take:
 * @now: when the request would go (monotonic µs)
 * @retry_at: (out): when to ask again, if not now
 *
 * The last word before a request goes: it goes only if fewer than @rate
 * went in the second before @now, and is then logged.
 *
 * Returns: whether it may go now
 */
gboolean
oip_rate_limiter_take (OipRateLimiter *self,
                       gint64          now,
                       gint64         *retry_at)
{
  gint64 oldest;

  if (self->n_slots == 0)
    return TRUE;
  /* The ring's next slot holds the oldest of the last @rate sends. */
  oldest = self->sent[self->next_slot];
  if (oldest != 0 && oldest > now - G_USEC_PER_SEC)
    {
      *retry_at = oldest + G_USEC_PER_SEC;
      return FALSE;
    }
  self->sent[self->next_slot] = now;
  self->next_slot = (self->next_slot + 1) % self->n_slots;
  return TRUE;
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
