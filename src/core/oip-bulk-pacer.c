/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "oip-bulk-pacer.h"

void
oip_bulk_pacer_init (OipBulkPacer *self,
                     gint64        minute_us)
{
  self->per_minute = -1;
  self->minute_us = MAX (minute_us, 1);
  self->sent = g_array_new (FALSE, FALSE, sizeof (OipBulkPacerEntry));
  self->blocked_until = 0;
  self->remaining = -1;
}

void
oip_bulk_pacer_clear (OipBulkPacer *self)
{
  g_clear_pointer (&self->sent, g_array_unref);
}

static void
forget_old (OipBulkPacer *self,
            gint64        now)
{
  guint old = 0;

  while (old < self->sent->len &&
         g_array_index (self->sent, OipBulkPacerEntry, old).at + self->minute_us <= now)
    old++;
  g_array_remove_range (self->sent, 0, old);
}

/**
 * oip_bulk_pacer_next:
 * @now: monotonic µs
 * @at: (out): when the products this returns may go (@now or later)
 *
 * Returns: how many products the next import may name at @at; %G_MAXUINT
 *   when no limit is known
 */
guint
oip_bulk_pacer_next (OipBulkPacer *self,
                     gint64        now,
                     gint64       *at)
{
  guint used = 0;

  *at = MAX (now, self->blocked_until);
  forget_old (self, *at);
  if (self->per_minute < 0)
    {
      /* Unknown limit: what Ozon said is left, else try and learn. */
      return self->remaining > 0 ? (guint) MIN (self->remaining, G_MAXUINT - 1) : G_MAXUINT;
    }
  for (guint i = 0; i < self->sent->len; i++)
    used += g_array_index (self->sent, OipBulkPacerEntry, i).count;
  /* Full: wait until enough of the oldest leave the minute. */
  for (guint i = 0; used >= self->per_minute && i < self->sent->len; i++)
    {
      const OipBulkPacerEntry *entry = &g_array_index (self->sent, OipBulkPacerEntry, i);

      *at = entry->at + self->minute_us;
      used -= MIN (used, entry->count);
    }
  return (guint) MAX (self->per_minute - (gint64) used, 1);
}

/**
 * oip_bulk_pacer_record:
 * @now: when Ozon's answer accepting the import came
 * @count: the products it named
 * @remaining: its `Item-Rate-Limit-Remaining`, or -1
 */
void
oip_bulk_pacer_record (OipBulkPacer *self,
                       gint64        now,
                       guint         count,
                       gint64        remaining)
{
  OipBulkPacerEntry entry = { now, count };

  g_array_append_val (self->sent, entry);
  self->remaining = remaining;
}

/**
 * oip_bulk_pacer_block:
 * @minutes: Ozon's `Item-Retry-After`
 * @remaining: its `Item-Rate-Limit-Remaining`, or -1
 *
 * After a 429: nothing goes until the limit resets.
 */
void
oip_bulk_pacer_block (OipBulkPacer *self,
                      gint64        now,
                      gint64        minutes,
                      gint64        remaining)
{
  self->blocked_until = now + MAX (minutes, 1) * self->minute_us;
  self->remaining = remaining > 0 ? remaining : -1;
}
