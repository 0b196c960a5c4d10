/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "oip-fake-limits.h"

/* What /v4/product/info/limit reports as the daily update quota when a
 * test set none: the real account's sample in shared/ozon-api.md §6. It is
 * not enforced then. */
#define DEFAULT_DAILY_LIMIT 5000

void
oip_fake_limits_init (OipFakeLimits *self)
{
  *self = (OipFakeLimits) { 0 };
  g_queue_init (&self->recent);
  self->minute_ms = 60 * 1000;
  self->epoch = g_get_monotonic_time ();
}

void
oip_fake_limits_clear (OipFakeLimits *self)
{
  g_queue_clear_full (&self->recent, g_free);
}

/**
 * oip_fake_limits_take_request:
 *
 * Counts one request with valid credentials against the per-second limit
 * (over the last second, whenever it started).
 *
 * Returns: %FALSE when it is over the limit (a 429), which does not count
 */
gboolean
oip_fake_limits_take_request (OipFakeLimits *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->per_second == 0)
    return TRUE;
  while (!g_queue_is_empty (&self->recent) &&
         *(gint64 *) g_queue_peek_head (&self->recent) <= now - G_USEC_PER_SEC)
    g_free (g_queue_pop_head (&self->recent));
  if (g_queue_get_length (&self->recent) >= self->per_second)
    {
      self->rate_limited++;
      return FALSE;
    }
  g_queue_push_tail (&self->recent, g_memdup2 (&now, sizeof now));
  return TRUE;
}

static void
roll_minute (OipFakeLimits *self)
{
  gint64 window = (g_get_monotonic_time () - self->epoch) / ((gint64) self->minute_ms * 1000);

  if (window != self->window)
    {
      self->window = window;
      self->minute_used = 0;
    }
}

guint
oip_fake_limits_minute_left (OipFakeLimits *self)
{
  roll_minute (self);
  return self->items_per_minute > self->minute_used ? self->items_per_minute - self->minute_used : 0;
}

/**
 * oip_fake_limits_take_items:
 * @n_items: the products of one picture import
 *
 * The daily quota first, then the minute's (a fixed window, as Ozon's
 * “Item-Retry-After: minutes until the reset” suggests). A refused import
 * takes nothing.
 */
OipFakeLimitVerdict
oip_fake_limits_take_items (OipFakeLimits *self,
                            guint          n_items)
{
  roll_minute (self);
  if (self->items_per_day > 0 && self->day_used + n_items > self->items_per_day)
    {
      self->day_limited++;
      return OIP_FAKE_LIMIT_PER_DAY;
    }
  if (self->items_per_minute > 0 && self->minute_used + n_items > self->items_per_minute)
    {
      self->item_limited++;
      return OIP_FAKE_LIMIT_PER_MINUTE;
    }
  self->minute_used += n_items;
  self->day_used += n_items;
  return OIP_FAKE_LIMIT_OK;
}

guint
oip_fake_limits_ms_to_next_minute (OipFakeLimits *self)
{
  gint64 minute_us = (gint64) self->minute_ms * 1000;
  gint64 into = (g_get_monotonic_time () - self->epoch) % minute_us;

  return (guint) ((minute_us - into + 999) / 1000);
}

/* Minutes until the day's count starts again at 03:00 Moscow time
 * (UTC+3, so midnight UTC), in real minutes. */
static guint
minutes_to_reset (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return (guint) (24 * 60 - (g_date_time_get_hour (now) * 60 + g_date_time_get_minute (now)));
}

/**
 * oip_fake_limits_retry_minutes:
 *
 * Returns: `Item-Retry-After` for a refusal: whole minutes (of this
 *   fake's length) until the limit resets, at least 1
 */
guint
oip_fake_limits_retry_minutes (OipFakeLimits       *self,
                               OipFakeLimitVerdict  verdict)
{
  if (verdict == OIP_FAKE_LIMIT_PER_DAY)
    return MAX (minutes_to_reset (), 1);
  return MAX ((oip_fake_limits_ms_to_next_minute (self) + self->minute_ms - 1) / self->minute_ms, 1);
}

guint
oip_fake_limits_daily_limit (OipFakeLimits *self)
{
  return self->items_per_day > 0 ? self->items_per_day : DEFAULT_DAILY_LIMIT;
}

/**
 * oip_fake_limits_reset_at:
 *
 * Returns: (transfer full): the next 03:00 Moscow time, RFC 3339
 */
char *
oip_fake_limits_reset_at (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) today = g_date_time_new_utc (g_date_time_get_year (now), g_date_time_get_month (now),
                                                    g_date_time_get_day_of_month (now), 0, 0, 0);
  g_autoptr(GDateTime) next = g_date_time_add_days (today, 1);

  return g_date_time_format_iso8601 (next);
}
