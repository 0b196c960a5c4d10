/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "oip-http.h"
#include "oip-url.h"

/* What the Ozon and storage clients share about talking to a server that
 * may be hostile: one request with a deadline for all of it (connecting,
 * sending, waiting, reading), a body read up to a limit, no redirects,
 * and text from the server made fit to show. */

#define READ_CHUNK (64 * 1024)

typedef struct
{
  SoupMessage  *message;
  GCancellable *inner;        /* cancelled by the deadline or the caller */
  GSource      *outer;        /* fires when the caller cancels */
  GSource      *deadline;
  gboolean      timed_out;
  gsize         max_body;
  GByteArray   *buffer;
  GInputStream *stream;
} Send;

/* Once the outcome is known: no timer or handler may touch it later. */
static void
send_stop (Send *send)
{
  if (send->deadline != NULL)
    {
      g_source_destroy (send->deadline);
      g_clear_pointer (&send->deadline, g_source_unref);
    }
  /* Sources, not cancellable handlers: destroying one is safe even from
   * inside a cancellation. */
  if (send->outer != NULL)
    {
      g_source_destroy (send->outer);
      g_clear_pointer (&send->outer, g_source_unref);
    }
}

static void
send_free (Send *send)
{
  send_stop (send);
  g_clear_object (&send->inner);
  /* Dropping an unfinished response stream only marks its connection as
   * not reusable; libsoup does not read the rest of the body. */
  g_clear_object (&send->stream);
  g_clear_object (&send->message);
  g_clear_pointer (&send->buffer, g_byte_array_unref);
  g_free (send);
}

static gboolean
on_outer_cancelled (GCancellable *cancellable,
                    gpointer      user_data)
{
  Send *send = user_data;

  g_cancellable_cancel (send->inner);
  return G_SOURCE_REMOVE;
}

static gboolean
on_deadline (gpointer user_data)
{
  GTask *task = user_data;
  Send *send = g_task_get_task_data (task);

  send->timed_out = TRUE;
  g_cancellable_cancel (send->inner);
  return G_SOURCE_REMOVE;
}

/* Takes @error. */
static void
send_fail (GTask  *task,
           GError *error)
{
  Send *send = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && send->timed_out &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_error_free (error);
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("The server did not answer in time"));
    }
  send_stop (send);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void read_more (GTask *task);

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Send *send = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  if (chunk == NULL)
    {
      send_fail (task, g_steal_pointer (&error));
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      /* The whole body: the connection may serve the next request. */
      g_input_stream_close (send->stream, NULL, NULL);
      send_stop (send);
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&send->buffer)),
                             (GDestroyNotify) g_bytes_unref);
      g_object_unref (task);
      return;
    }

  g_byte_array_append (send->buffer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  if (send->buffer->len > send->max_body)
    {
      g_autofree char *limit = g_format_size (send->max_body);

      send_fail (task, g_error_new (G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                                    _("The answer is larger than %s"), limit));
      return;
    }
  read_more (task);
}

static void
read_more (GTask *task)
{
  Send *send = g_task_get_task_data (task);
  /* One byte more than allowed is enough to know it is too much. */
  gsize wanted = MIN (READ_CHUNK, send->max_body + 1 - send->buffer->len);

  g_input_stream_read_bytes_async (send->stream, wanted, G_PRIORITY_DEFAULT, send->inner, on_read, task);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Send *send = g_task_get_task_data (task);
  GError *error = NULL;

  send->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (send->stream == NULL)
    {
      send_fail (task, error);
      return;
    }
  read_more (task);
}

/**
 * oip_http_send_async:
 * @message: the request; it is never redirected
 * @deadline: when the whole exchange must be over, in g_get_monotonic_time()
 *   microseconds
 * @max_body: the largest answer body accepted
 * @cancellable: (nullable): the caller's
 *
 * Sends @message and reads its whole answer, bounded in time and size:
 * a server that drips, stalls, or sends without end is cut off at
 * @deadline or at @max_body bytes, whichever comes first. Redirects are
 * not followed (credentials must never go to another address): the 3xx
 * answer is returned like any other, see oip_http_redirect_target().
 */
void
oip_http_send_async (SoupSession         *session,
                     SoupMessage         *message,
                     gint64               deadline,
                     gsize                max_body,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task = g_task_new (session, cancellable, callback, user_data);
  Send *send = g_new0 (Send, 1);
  gint64 remaining_ms = MAX (deadline - g_get_monotonic_time (), 0) / 1000;

  g_task_set_source_tag (task, oip_http_send_async);
  g_task_set_task_data (task, send, (GDestroyNotify) send_free);

  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  send->message = g_object_ref (message);
  send->max_body = max_body;
  send->buffer = g_byte_array_new ();
  send->inner = g_cancellable_new ();
  if (cancellable != NULL)
    {
      send->outer = g_cancellable_source_new (cancellable);
      g_source_set_callback (send->outer, G_SOURCE_FUNC (on_outer_cancelled), send, NULL);
      g_source_attach (send->outer, g_main_context_get_thread_default ());
    }

  send->deadline = g_timeout_source_new ((guint) MIN (remaining_ms, G_MAXUINT));
  g_source_set_callback (send->deadline, on_deadline, task, NULL);
  g_source_attach (send->deadline, g_main_context_get_thread_default ());

  soup_session_send_async (session, message, G_PRIORITY_DEFAULT, send->inner, on_sent, task);
}

/**
 * oip_http_send_finish:
 *
 * Returns: (transfer full): the answer's body (maybe empty) whatever its
 *   status, or %NULL with %G_IO_ERROR_TIMED_OUT past the deadline,
 *   %G_IO_ERROR_MESSAGE_TOO_LARGE past the size limit,
 *   %G_IO_ERROR_CANCELLED, or the network's error
 */
GBytes *
oip_http_send_finish (SoupSession   *session,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, session), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oip_http_send_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * oip_http_clean_text:
 * @text: (array length=length): text from a server, in any encoding
 * @length: its length, or -1 if NUL-terminated
 * @max_chars: the most characters kept; longer text ends in “…”
 *
 * Makes text from outside fit to show: valid UTF-8, control characters
 * and runs of white space turned into one space, trimmed, bounded.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL if nothing is left
 */
char *
oip_http_clean_text (const char *text,
                     gssize      length,
                     gsize       max_chars)
{
  g_autofree char *valid = NULL;
  GString *clean;
  gboolean space = FALSE;
  gsize chars = 0;

  if (text == NULL)
    return NULL;
  if (length < 0)
    length = strlen (text);
  /* No need to look far beyond what will be kept. */
  length = MIN ((gsize) length, max_chars * 8 + 64);
  valid = g_utf8_make_valid (text, length);

  clean = g_string_new (NULL);
  for (const char *p = valid; *p != '\0' && chars <= max_chars; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c) || c == 0xFFFD ||
          g_unichar_type (c) == G_UNICODE_FORMAT)
        {
          space = clean->len > 0;
          continue;
        }
      if (space)
        {
          g_string_append_c (clean, ' ');
          chars++;
          space = FALSE;
        }
      g_string_append_unichar (clean, c);
      chars++;
    }

  if (chars > max_chars)
    {
      const char *cut = g_utf8_offset_to_pointer (clean->str, max_chars > 0 ? max_chars - 1 : 0);

      g_string_truncate (clean, cut - clean->str);
      g_string_append (clean, "…");
    }
  if (clean->len == 0)
    {
      g_string_free (clean, TRUE);
      return NULL;
    }
  return g_string_free (clean, FALSE);
}

/**
 * oip_http_html_title:
 *
 * Returns: (transfer full) (nullable): the cleaned `<title>` of an HTML
 *   page, such as a proxy's “502 Bad Gateway”
 */
char *
oip_http_html_title (GBytes *body)
{
  gsize size = 0;
  const char *data = body ? g_bytes_get_data (body, &size) : NULL;
  g_autofree char *head = NULL;
  g_autofree char *lower = NULL;
  const char *start;
  const char *end;

  if (data == NULL || size == 0)
    return NULL;
  head = g_strndup (data, MIN (size, 64 * 1024));
  lower = g_ascii_strdown (head, -1);
  start = strstr (lower, "<title>");
  if (start == NULL)
    return NULL;
  start += strlen ("<title>");
  end = strstr (start, "</title>");
  if (end == NULL)
    return NULL;
  return oip_http_clean_text (head + (start - lower), end - start, OIP_HTTP_MAX_TEXT);
}

/**
 * oip_http_redirect_target:
 * @message: an answered message
 * @insecure: (out) (optional): whether the target is plain `http://` to
 *   another computer (or another scheme still)
 *
 * Returns: (transfer full) (nullable): where a 3xx answer pointed, without
 *   its query, cleaned for showing; %NULL when it named no place
 */
char *
oip_http_redirect_target (SoupMessage *message,
                          gboolean    *insecure)
{
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                        "Location");
  g_autofree char *clean = oip_http_clean_text (location, -1, 2048);
  g_autoptr(GUri) target = NULL;
  g_autofree char *shown = NULL;
  const char *scheme;

  if (insecure != NULL)
    *insecure = FALSE;
  if (clean == NULL)
    return NULL;

  target = g_uri_parse_relative (soup_message_get_uri (message), clean, G_URI_FLAGS_NONE, NULL);
  if (target == NULL)
    return oip_http_clean_text (clean, -1, OIP_HTTP_MAX_TEXT);

  scheme = g_uri_get_scheme (target);
  if (insecure != NULL)
    *insecure = g_ascii_strcasecmp (scheme, "https") != 0 &&
                !(g_ascii_strcasecmp (scheme, "http") == 0 && oip_url_host_is_loopback (g_uri_get_host (target)));

  shown = g_uri_join (G_URI_FLAGS_NONE, scheme, NULL, g_uri_get_host (target), g_uri_get_port (target),
                      g_uri_get_path (target), NULL, NULL);
  return oip_http_clean_text (shown, -1, OIP_HTTP_MAX_TEXT);
}

/**
 * oip_http_parse_retry_after:
 * @value: (nullable): a `Retry-After`-like header's value
 * @unit_seconds: seconds per unit of a number (1 for `Retry-After`, 60
 *   for Ozon's `Item-Retry-After` in minutes)
 * @seconds: (out): the wait asked for; numbers too large saturate
 *
 * Reads a whole number of units, of any size, or (for seconds) an HTTP
 * date.
 *
 * Returns: whether @value asked for a wait
 */
gboolean
oip_http_parse_retry_after (const char *value,
                            guint64     unit_seconds,
                            guint64    *seconds)
{
  g_autofree char *text = g_strstrip (g_strdup (value ? value : ""));
  guint64 number = 0;
  const char *p;

  if (*text == '\0')
    return FALSE;

  for (p = text; g_ascii_isdigit (*p); p++)
    number = number > (G_MAXUINT64 - 9) / 10 ? G_MAXUINT64 : number * 10 + (guint64) (*p - '0');

  if (*p == '\0')
    {
      *seconds = unit_seconds > 0 && number > G_MAXUINT64 / unit_seconds ? G_MAXUINT64 : number * unit_seconds;
      return TRUE;
    }

  if (unit_seconds == 1)
    {
      g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (text);
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      if (when != NULL)
        {
          GTimeSpan span = g_date_time_difference (when, now);

          *seconds = span > 0 ? (guint64) ((span + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC) : 0;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * oip_http_format_wait:
 *
 * Returns: (transfer full): @seconds in words, rounded up to the unit
 *   that reads best: “45 seconds”, “2 minutes”, “3 hours”, “12 days”
 */
char *
oip_http_format_wait (guint64 seconds)
{
  guint64 n;

  if (seconds < 120)
    {
      n = seconds;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds", (gulong) n), (guint) n);
    }
  if (seconds < 2 * 3600)
    {
      n = (seconds + 59) / 60;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes", (gulong) n), (guint) n);
    }
  if (seconds < 2 * 86400)
    {
      n = (seconds + 3599) / 3600;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours", (gulong) n), (guint) n);
    }
  n = MIN (seconds / 86400 + (seconds % 86400 != 0), (guint64) G_MAXUINT);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day", "%u days", (gulong) n), (guint) n);
}
