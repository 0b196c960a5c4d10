/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "oip-credentials.h"
#include "oip-error.h"
#include "oip-http.h"
#include "oip-json.h"
#include "oip-ozon-client.h"
#include "oip-ozon-messages.h"
#include "oip-rate-limiter.h"
#include "oip-sleep.h"
#include "oip-url.h"

/**
 * OipOzonClient:
 *
 * The Ozon Seller API over one #SoupSession: every method is a JSON POST
 * with the Client-Id and Api-Key headers. Failures become #OipError codes
 * in the seller's words, with Ozon's own message and the HTTP status kept
 * as the error's details (oip_error_get_ozon_message()); 429, 5xx and
 * network failures are retried with back-off (honouring Retry-After),
 * nothing else is.
 *
 * The timeout (oip_ozon_client_set_timeout(), T seconds) is a deadline for
 * each call, not an idle limit: everything one call does (connecting,
 * sending, waiting for and reading the whole answer, every retry and
 * every wait between them) ends within T, however slowly the server
 * drips or however long its body. Retries happen only while time is
 * left: a back-off that would end past the deadline is not slept, the
 * last failure is reported at once, and a `Retry-After` (seconds or an
 * HTTP date) or `Item-Retry-After` (minutes) that does not fit in the
 * time left is reported at once as %OIP_ERROR_RATE_LIMITED with the wait
 * Ozon asked for in the message. An answer larger than
 * %OIP_OZON_MAX_ANSWER is refused as it arrives.
 *
 * Redirects are never followed: the Ozon API does not redirect, so a 3xx
 * is reported as %OIP_ERROR_BAD_RESPONSE naming where it pointed (or
 * %OIP_ERROR_INSECURE_URL when it pointed to plain `http://`), and the
 * credentials go nowhere but the configured address.
 *
 * Every attempt waits for its turn on the client's rate limiter
 * (oip_ozon_client_set_rate_limit()), so that however many calls run at
 * once, the Client-Id stays under Ozon's requests per second.
 *
 * The Api-Key is kept in memory only and is never part of a message,
 * a log line or a property; a server that echoes it back has it blanked.
 */
struct _OipOzonClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  char        *client_id;
  char        *api_key;
  guint        timeout;
  guint        max_retries;
  guint        retry_delay_ms;
  OipRateLimiter limiter;
};

G_DEFINE_FINAL_TYPE (OipOzonClient, oip_ozon_client, G_TYPE_OBJECT)

/* Not in libsoup 3.2's SoupStatus. */
#define STATUS_TOO_MANY_REQUESTS 429

typedef struct
{
  char     *path;
  GBytes   *body;
  guint     attempt;
  gint64    deadline;            /* for the whole call, monotonic µs */
  gboolean  caller_paces_items;  /* an item limit's 429 is the caller's to wait out */
  gboolean  send_once;           /* Ozon may have acted on a failed attempt: no retry */
  OipItemLimitInfo items;        /* from the last answer's headers */
} CallData;

static void send_attempt (GTask *task);

static void
call_data_free (CallData *data)
{
  g_free (data->path);
  g_bytes_unref (data->body);
  g_free (data);
}

static const char *
find_bytes (const char *haystack,
            gsize       size,
            const char *needle,
            gsize       needle_length)
{
  for (gsize i = 0; needle_length > 0 && i + needle_length <= size; i++)
    if (haystack[i] == needle[0] && memcmp (haystack + i, needle, needle_length) == 0)
      return haystack + i;
  return NULL;
}

/* A server that repeats the Api-Key back must not put it in a message. */
static GBytes *
redact_key (OipOzonClient *self,
            GBytes        *body)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  gsize key_length = strlen (self->api_key);
  char *copy;

  if (find_bytes (data, size, self->api_key, key_length) == NULL)
    return g_bytes_ref (body);

  copy = g_memdup2 (data, size);
  for (char *hit = (char *) find_bytes (copy, size, self->api_key, key_length); hit != NULL;
       hit = (char *) find_bytes (hit, size - (hit - copy), self->api_key, key_length))
    memset (hit, '*', key_length);
  return g_bytes_new_take (copy, size);
}

static GError *
error_from_response (OipOzonClient *self,
                     guint          status,
                     GBytes        *body)
{
  g_autoptr(GBytes) redacted = redact_key (self, body);
  gsize size = 0;
  const char *data = g_bytes_get_data (redacted, &size);

  return oip_ozon_error_from_body (status, data, size);
}

/* Takes @error; adds the wait Ozon asked for to its message. */
static GError *
with_wait (GError  *error,
           guint64  seconds)
{
  g_autofree char *wait = oip_http_format_wait (seconds);
  GError *longer = g_error_new (error->domain, error->code, _("%s; Ozon asks to wait %s"), error->message, wait);

  oip_error_set_ozon_details (longer, oip_error_get_http_status (error), oip_error_get_ozon_message (error));
  g_error_free (error);
  return longer;
}

static void
return_error (GTask  *task,
              GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
on_retry_wait_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  if (!oip_sleep_finish (result, &error))
    return_error (task, g_steal_pointer (&error));
  else
    send_attempt (task);
}

static guint
backoff_ms (GTask *task)
{
  OipOzonClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  guint base = self->retry_delay_ms << MIN (data->attempt - 1, 6u);

  return base + g_random_int_range (0, base / 2 + 1);
}

/* Takes ownership of @error. @wait_ms of 0 means “back off exponentially”.
 * A retry is made only if attempts are left and its wait ends before the
 * call's deadline; otherwise @error is the answer, at once. */
static void
retry_or_fail (GTask  *task,
               GError *error,
               guint   wait_ms)
{
  OipOzonClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);

  if (wait_ms == 0 && data->send_once)
    {
      /* A 5xx or a lost answer may come after Ozon acted: only the
       * caller can tell whether to send again. */
      return_error (task, error);
      return;
    }

  if (wait_ms == 0)
    wait_ms = backoff_ms (task);

  if (data->attempt > self->max_retries ||
      g_get_monotonic_time () + (gint64) wait_ms * 1000 >= data->deadline)
    {
      return_error (task, error);
      return;
    }

  g_debug ("%s failed (%s), retry %u of %u in %u ms",
           data->path, error->message, data->attempt, self->max_retries, wait_ms);
  g_error_free (error);
  oip_sleep_async (wait_ms, g_task_get_cancellable (task), on_retry_wait_done, task);
}

/* 429: Ozon's wait, in `Retry-After` (seconds or a date) or, for the
 * operation quotas, `Item-Retry-After` (minutes). */
static void
rate_limited (GTask       *task,
              SoupMessage *message,
              GBytes      *body)
{
  OipOzonClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  GError *error = error_from_response (self, STATUS_TOO_MANY_REQUESTS, body);
  guint64 item_wait = 0;
  guint64 wait = 0;
  gboolean has_item_wait = oip_http_parse_retry_after (soup_message_headers_get_one (headers, "Item-Retry-After"),
                                                       60, &item_wait);
  gboolean has_wait = oip_http_parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"), 1, &wait);
  gint64 remaining_ms = (data->deadline - g_get_monotonic_time ()) / 1000;

  /* Whatever this is, it is a rate limit. */
  error->code = OIP_ERROR_RATE_LIMITED;
  if (!has_item_wait && !has_wait)
    {
      /* Refused, so nothing was done: safe to send again, even an import. */
      retry_or_fail (task, error, backoff_ms (task));
      return;
    }

  /* A bulk run waits out the item limits itself, pausing its imports. */
  if (has_item_wait && data->caller_paces_items)
    {
      return_error (task, with_wait (error, item_wait));
      return;
    }

  wait = MAX (wait, item_wait);
  if (wait == 0)
    {
      /* “Retry-After: 0”: again at once. */
      retry_or_fail (task, error, 1);
      return;
    }
  error = with_wait (error, wait);
  /* Past the call's deadline: say so now, never sleep through it. */
  if (remaining_ms <= 0 || wait > (guint64) remaining_ms / 1000 || wait * 1000 >= (guint64) remaining_ms)
    {
      return_error (task, error);
      return;
    }
  retry_or_fail (task, error, MAX ((guint) wait * 1000, 1));
}

/* `Item-Rate-Limit-Remaining` and `Item-Retry-After` (minutes), on any
 * answer that has them. */
static void
read_item_limits (CallData           *data,
                  SoupMessageHeaders *headers)
{
  g_autofree char *remaining = g_strdup (soup_message_headers_get_one (headers, "Item-Rate-Limit-Remaining"));
  guint64 minutes = 0;
  guint64 count = 0;

  data->items.remaining = -1;
  data->items.retry_minutes = -1;
  if (remaining != NULL &&
      g_ascii_string_to_unsigned (g_strstrip (remaining), 10, 0, G_MAXINT64, &count, NULL))
    data->items.remaining = (gint64) count;
  if (oip_http_parse_retry_after (soup_message_headers_get_one (headers, "Item-Retry-After"), 1, &minutes))
    data->items.retry_minutes = (gint64) MIN (minutes, (guint64) G_MAXINT64);
}

static void
on_response (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  OipOzonClient *self = g_task_get_source_object (task);
  g_autoptr(SoupMessage) message = g_object_steal_data (G_OBJECT (task), "oip-message");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  GError *failure = NULL;
  JsonNode *root;
  guint status;

  body = oip_http_send_finish (SOUP_SESSION (source), result, &error);

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return_error (task, g_steal_pointer (&error));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        {
          g_autofree char *timeout = oip_http_format_wait (self->timeout);

          retry_or_fail (task, g_error_new (OIP_ERROR, OIP_ERROR_TIMEOUT, _("Ozon did not answer within %s"), timeout),
                         0);
        }
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
        {
          g_autofree char *limit = g_format_size (OIP_OZON_MAX_ANSWER);

          return_error (task, g_error_new (OIP_ERROR, OIP_ERROR_BAD_RESPONSE,
                                           _("Ozon’s answer is larger than %s"), limit));
        }
      else
        {
          g_autofree char *reason = oip_http_clean_text (error->message, -1, OIP_HTTP_MAX_TEXT);

          retry_or_fail (task, g_error_new (OIP_ERROR, OIP_ERROR_NETWORK, _("Could not reach Ozon: %s"),
                                            reason ? reason : ""),
                         0);
        }
      return;
    }

  status = soup_message_get_status (message);
  read_item_limits (g_task_get_task_data (task), soup_message_get_response_headers (message));

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      gboolean insecure = FALSE;
      g_autofree char *target = oip_http_redirect_target (message, &insecure);

      if (insecure)
        failure = g_error_new (OIP_ERROR, OIP_ERROR_INSECURE_URL,
                               _("Ozon’s address sent the request on to %s, which is not https: nothing was sent there"),
                               target);
      else if (target != NULL)
        failure = g_error_new (OIP_ERROR, OIP_ERROR_BAD_RESPONSE,
                               _("Ozon’s address sent the request on to %s; the Ozon API does not do that, so it was not followed"),
                               target);
      else
        failure = g_error_new_literal (OIP_ERROR, OIP_ERROR_BAD_RESPONSE,
                                       _("Ozon’s address sent the request elsewhere; the Ozon API does not do that, so it was not followed"));
      oip_error_set_ozon_details (failure, status, NULL);
      return_error (task, failure);
      return;
    }

  if (status == STATUS_TOO_MANY_REQUESTS)
    rate_limited (task, message, body);
  else if (status >= 500)
    retry_or_fail (task, error_from_response (self, status, body), 0);
  else if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    return_error (task, error_from_response (self, status, body));
  else
    {
      g_autoptr(GBytes) redacted = redact_key (self, body);
      gsize size = 0;
      const char *data = g_bytes_get_data (redacted, &size);

      root = oip_ozon_parse_answer (data, size, status, &failure);
      if (root == NULL)
        return_error (task, failure);
      else
        {
          g_task_return_pointer (task, root, (GDestroyNotify) json_node_unref);
          g_object_unref (task);
        }
    }
}

static void
send_now (GTask *task)
{
  OipOzonClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  g_autofree char *url = g_strconcat (self->base_url, data->path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_POST, url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);

  soup_message_headers_replace (headers, "Client-Id", self->client_id);
  soup_message_headers_replace (headers, "Api-Key", self->api_key);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_set_request_body_from_bytes (message, "application/json", data->body);

  g_object_set_data_full (G_OBJECT (task), "oip-message", g_object_ref (message), g_object_unref);
  oip_http_send_async (self->session, message, data->deadline, OIP_OZON_MAX_ANSWER,
                       g_task_get_cancellable (task), on_response, task);
}

static void send_when_allowed (GTask *task);

static void
on_turn (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  if (!oip_sleep_finish (result, &error))
    return_error (task, g_steal_pointer (&error));
  else
    send_when_allowed (task);
}

static void
wait_turn (GTask  *task,
           gint64  until,
           gint64  now)
{
  oip_sleep_async ((guint) ((until - now + 999) / 1000), g_task_get_cancellable (task), on_turn, task);
}

/* However late the main loop woke this request, it goes only if the
 * last second's requests leave room. */
static void
send_when_allowed (GTask *task)
{
  OipOzonClient *self = g_task_get_source_object (task);
  gint64 now = g_get_monotonic_time ();
  gint64 retry_at = now;

  if (oip_rate_limiter_take (&self->limiter, now, &retry_at))
    send_now (task);
  else
    wait_turn (task, retry_at, now);
}

/* Every attempt, retries too, waits for its turn on the rate limiter. */
static void
send_attempt (GTask *task)
{
  OipOzonClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  gint64 now = g_get_monotonic_time ();
  gint64 at = oip_rate_limiter_reserve (&self->limiter, now);

  data->attempt++;
  if (at <= now)
    send_when_allowed (task);
  else
    wait_turn (task, at, now);
}

static void
oip_ozon_client_finalize (GObject *object)
{
  OipOzonClient *self = (OipOzonClient *)object;

  g_clear_object (&self->session);
  oip_rate_limiter_clear (&self->limiter);
  g_free (self->base_url);
  g_free (self->client_id);
  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_free (self->api_key);

  G_OBJECT_CLASS (oip_ozon_client_parent_class)->finalize (object);
}

static void
oip_ozon_client_class_init (OipOzonClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oip_ozon_client_finalize;
}

static void
oip_ozon_client_init (OipOzonClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("ozon-image-push/%s", PACKAGE_VERSION);

  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", 30,
                                                 NULL);
  self->timeout = 30;
  self->max_retries = 2;
  self->retry_delay_ms = 1000;
  oip_rate_limiter_init (&self->limiter, OIP_RATE_LIMIT_DEFAULT, OIP_RATE_LIMIT_BURST);
}

/**
 * oip_ozon_client_new:
 * @base_url: (nullable): the API's address; %NULL for Ozon's own
 * @client_id: the seller's Client-Id
 * @api_key: the seller's Api-Key
 * @error: return location for %OIP_ERROR_INSECURE_URL or
 *   %OIP_ERROR_CREDENTIALS_MISSING
 *
 * Returns: (transfer full) (nullable): a client
 */
OipOzonClient *
oip_ozon_client_new (const char  *base_url,
                     const char  *client_id,
                     const char  *api_key,
                     GError     **error)
{
  OipOzonClient *self;

  if (base_url == NULL)
    base_url = OIP_OZON_DEFAULT_BASE_URL;

  if (client_id == NULL || *client_id == '\0' || api_key == NULL || *api_key == '\0')
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_CREDENTIALS_MISSING,
                           _("Ozon API credentials are not configured"));
      return NULL;
    }

  /* They go in the Client-Id and Api-Key headers: no line breaks. */
  if (!oip_credentials_check (client_id, api_key, error))
    return NULL;

  if (!oip_url_check_api_base (base_url, error))
    return NULL;

  self = g_object_new (OIP_TYPE_OZON_CLIENT, NULL);
  self->base_url = g_strdup (base_url);
  /* Paths start with '/', so a trailing one would double it. */
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  /* This computer is never reached through a proxy. */
  {
    g_autoptr(GUri) uri = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL);

    if (oip_url_host_is_loopback (g_uri_get_host (uri)))
      {
        g_autoptr(GProxyResolver) direct = g_simple_proxy_resolver_new (NULL, NULL);

        soup_session_set_proxy_resolver (self->session, direct);
      }
  }
  self->client_id = g_strstrip (g_strdup (client_id));
  self->api_key = g_strstrip (g_strdup (api_key));
  return self;
}

/**
 * oip_ozon_client_get_client_id:
 *
 * Returns: the account's Client-Id (not secret; the history records it)
 */
const char *
oip_ozon_client_get_client_id (OipOzonClient *self)
{
  g_return_val_if_fail (OIP_IS_OZON_CLIENT (self), NULL);
  return self->client_id;
}

guint
oip_ozon_client_get_timeout (OipOzonClient *self)
{
  g_return_val_if_fail (OIP_IS_OZON_CLIENT (self), 0);
  return self->timeout;
}

/**
 * oip_ozon_client_set_timeout:
 * @seconds: the deadline of each call, its retries and waits included
 *   (the seed's `ozon_push_timeout`, 30 by default); see #OipOzonClient
 */
void
oip_ozon_client_set_timeout (OipOzonClient *self,
                             guint          seconds)
{
  g_return_if_fail (OIP_IS_OZON_CLIENT (self));
  g_return_if_fail (seconds > 0);
  self->timeout = seconds;
  /* The deadline is what bounds a request; this only ends a silent
   * connection sooner when it is shorter. */
  soup_session_set_timeout (self->session, seconds);
}

/**
 * oip_ozon_client_set_max_retries:
 * @max_retries: retries after the first attempt (the seed's
 *   `ozon_push_max_retries`, 2 by default)
 */
void
oip_ozon_client_set_max_retries (OipOzonClient *self,
                                 guint          max_retries)
{
  g_return_if_fail (OIP_IS_OZON_CLIENT (self));
  self->max_retries = max_retries;
}

/**
 * oip_ozon_client_set_retry_delay:
 * @milliseconds: the first back-off delay; it doubles with each retry and
 *   gets up to half again as jitter
 */
void
oip_ozon_client_set_retry_delay (OipOzonClient *self,
                                 guint          milliseconds)
{
  g_return_if_fail (OIP_IS_OZON_CLIENT (self));
  self->retry_delay_ms = MAX (milliseconds, 1);
}

/**
 * oip_ozon_client_set_rate_limit:
 * @requests_per_second: the most this client sends a second, over all its
 *   calls; 0 for no limit (tests against a fake only)
 *
 * By default %OIP_RATE_LIMIT_DEFAULT, a little under Ozon's 50 a second
 * per Client-Id.
 */
void
oip_ozon_client_set_rate_limit (OipOzonClient *self,
                                double         requests_per_second)
{
  g_return_if_fail (OIP_IS_OZON_CLIENT (self));
  g_return_if_fail (requests_per_second >= 0);
  oip_rate_limiter_init (&self->limiter, requests_per_second,
                         requests_per_second >= 10 * OIP_RATE_LIMIT_BURST ? OIP_RATE_LIMIT_BURST : 1);
}

double
oip_ozon_client_get_rate_limit (OipOzonClient *self)
{
  g_return_val_if_fail (OIP_IS_OZON_CLIENT (self), 0);
  return self->limiter.rate;
}

/**
 * oip_ozon_client_call_async:
 * @path: the method's path, such as `/v3/product/info/list`
 * @body: the JSON body
 *
 * POSTs @body to @path, retrying where that is safe, within the
 * deadlines described at #OipOzonClient.
 */
static void
start_call (OipOzonClient       *self,
            const char          *path,
            JsonNode            *body,
            gboolean             bulk_import,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task;
  CallData *data;
  char *text;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_ozon_client_call_async);

  text = oip_json_to_string (body, FALSE);
  data = g_new0 (CallData, 1);
  data->path = g_strdup (path);
  data->body = g_bytes_new_take (text, strlen (text));
  data->deadline = g_get_monotonic_time () + (gint64) self->timeout * G_USEC_PER_SEC;
  data->items.remaining = data->items.retry_minutes = -1;
  data->caller_paces_items = bulk_import;
  data->send_once = bulk_import;
  g_task_set_task_data (task, data, (GDestroyNotify) call_data_free);

  send_attempt (task);
}

void
oip_ozon_client_call_async (OipOzonClient       *self,
                            const char          *path,
                            JsonNode            *body,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (OIP_IS_OZON_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (body != NULL);

  start_call (self, path, body, FALSE, cancellable, callback, user_data);
}

/**
 * oip_ozon_client_call_finish:
 *
 * Returns: (transfer full): the answer's JSON object, or %NULL
 */
JsonNode *
oip_ozon_client_call_finish (OipOzonClient  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The typed methods below share one shape: build a body, call, parse. */

typedef gpointer (*ParseFunc) (GTask *task, JsonNode *root, GError **error);

static void
on_typed_call_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  ParseFunc parse = g_object_get_data (G_OBJECT (task), "oip-parse");
  GDestroyNotify destroy = g_object_get_data (G_OBJECT (task), "oip-destroy");
  gpointer value;

  root = oip_ozon_client_call_finish (OIP_OZON_CLIENT (source), result, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  value = parse (task, root, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, value, destroy);
}

static void
typed_call (OipOzonClient       *self,
            gpointer             source_tag,
            const char          *path,
            JsonBuilder         *body,
            ParseFunc            parse,
            GDestroyNotify       destroy,
            char                *task_data,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonNode) root = json_builder_get_root (body);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, task_data, g_free);
  g_object_set_data (G_OBJECT (task), "oip-parse", parse);
  g_object_set_data (G_OBJECT (task), "oip-destroy", destroy);
  oip_ozon_client_call_async (self, path, root, cancellable, on_typed_call_done,
                              g_steal_pointer (&task));
}

static gpointer
typed_finish (OipOzonClient  *self,
              GAsyncResult   *result,
              gpointer        source_tag,
              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* `/v3/product/list`: every product not archived, a page at a time. */
static JsonBuilder *
product_list_body (const char *last_id,
                   guint       limit)
{
  JsonBuilder *body = json_builder_new ();

  json_builder_begin_object (body);
  json_builder_set_member_name (body, "filter");
  json_builder_begin_object (body);
  json_builder_set_member_name (body, "visibility");
  json_builder_add_string_value (body, "ALL");
  json_builder_end_object (body);
  json_builder_set_member_name (body, "last_id");
  json_builder_add_string_value (body, last_id);
  json_builder_set_member_name (body, "limit");
  json_builder_add_int_value (body, limit);
  json_builder_end_object (body);
  return body;
}

static gpointer
parse_total (GTask     *task,
             JsonNode  *root,
             GError   **error)
{
  g_autoptr(OipProductPage) page = oip_ozon_parse_product_page (root, error);
  gint64 total;

  if (page == NULL)
    return NULL;
  total = page->total_items >= 0 ? page->total_items : page->products->len;
  return g_memdup2 (&total, sizeof total);
}

/**
 * oip_ozon_client_check_access_async:
 *
 * Tests the credentials with the cheapest call that needs the same role
 * as pushing: one product from `/v3/product/list`.
 */
void
oip_ozon_client_check_access_async (OipOzonClient       *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonBuilder) body = product_list_body ("", 1);

  g_return_if_fail (OIP_IS_OZON_CLIENT (self));

  typed_call (self, oip_ozon_client_check_access_async, "/v3/product/list", body,
              parse_total, g_free, NULL, cancellable, callback, user_data);
}

/**
 * oip_ozon_client_check_access_finish:
 *
 * Returns: how many products the account has, or -1 with @error set
 */
gint64
oip_ozon_client_check_access_finish (OipOzonClient  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_autofree gint64 *total = typed_finish (self, result, oip_ozon_client_check_access_async, error);

  return total ? *total : -1;
}

static gpointer
parse_product (GTask     *task,
               JsonNode  *root,
               GError   **error)
{
  return oip_ozon_parse_product_info (root, g_task_get_task_data (task), error);
}

/**
 * oip_ozon_client_get_product_async:
 * @key: which identifier @value is
 * @value: an offer_id, or a product_id or SKU in decimal
 *
 * Downloads one product with `/v3/product/info/list`. Ids travel as strings,
 * as the schema types them, so int64 never passes through a double.
 */
void
oip_ozon_client_get_product_async (OipOzonClient       *self,
                                   OipProductKey        key,
                                   const char          *value,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  static const char *members[] = { "offer_id", "product_id", "sku" };
  g_autoptr(JsonBuilder) body = json_builder_new ();

  g_return_if_fail (OIP_IS_OZON_CLIENT (self));
  g_return_if_fail (key < G_N_ELEMENTS (members));
  g_return_if_fail (value != NULL);

  json_builder_begin_object (body);
  json_builder_set_member_name (body, members[key]);
  json_builder_begin_array (body);
  json_builder_add_string_value (body, value);
  json_builder_end_array (body);
  json_builder_end_object (body);

  typed_call (self, oip_ozon_client_get_product_async, "/v3/product/info/list", body,
              parse_product, g_object_unref, g_strdup (value), cancellable, callback, user_data);
}

/**
 * oip_ozon_client_get_product_finish:
 *
 * Returns: (transfer full): the product, or %NULL with %OIP_ERROR_NOT_FOUND
 *   when Ozon does not know it
 */
OipProduct *
oip_ozon_client_get_product_finish (OipOzonClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return typed_finish (self, result, oip_ozon_client_get_product_async, error);
}

typedef struct
{
  GPtrArray  *products;
  guint       page_size;
  guint       pages;
  GHashTable *cursors;   /* every last_id seen */
} ListData;

/* Far beyond any real catalogue (a billion products at 1000 a page): only
 * a server that never ends its list gets here. */
#define MAX_LIST_PAGES 1000000

static void
list_data_free (ListData *data)
{
  g_ptr_array_unref (data->products);
  g_hash_table_unref (data->cursors);
  g_free (data);
}

static void request_list_page (GTask *task, const char *last_id);

static void
on_list_page (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(OipProductPage) page = NULL;
  g_autoptr(GError) error = NULL;
  guint n_items;

  root = oip_ozon_client_call_finish (OIP_OZON_CLIENT (source), result, &error);
  if (root == NULL || (page = oip_ozon_parse_product_page (root, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  n_items = page->products->len;
  g_ptr_array_extend_and_steal (data->products, g_steal_pointer (&page->products));
  page->products = g_ptr_array_new ();
  data->pages++;

  /* The list ends when Ozon says so: an empty page, no cursor, or, when
   * it gives `total_items`, as soon as that many are in (no extra empty
   * call). Without a total, a short page ends it too (shared/ozon-api.md
   * §5). */
  if (n_items == 0 || page->last_id == NULL || *page->last_id == '\0' ||
      (page->total_items >= 0 && data->products->len >= (guint64) page->total_items) ||
      (page->total_items < 0 && n_items < data->page_size))
    {
      g_task_return_pointer (task, g_ptr_array_ref (data->products),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  /* A cursor seen before would list the same pages again, for ever. */
  if (g_hash_table_contains (data->cursors, page->last_id) || data->pages >= MAX_LIST_PAGES)
    {
      g_task_return_new_error (task, OIP_ERROR, OIP_ERROR_BAD_RESPONSE,
                               _("Ozon’s product list does not end: page %u leads back to one already read"),
                               data->pages + 1);
      return;
    }
  g_hash_table_add (data->cursors, g_strdup (page->last_id));

  request_list_page (g_steal_pointer (&task), page->last_id);
}

static void
request_list_page (GTask      *task,
                   const char *last_id)
{
  ListData *data = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) body = product_list_body (last_id, data->page_size);
  g_autoptr(JsonNode) root = NULL;

  root = json_builder_get_root (body);

  oip_ozon_client_call_async (g_task_get_source_object (task), "/v3/product/list", root,
                              g_task_get_cancellable (task), on_list_page, task);
}

/**
 * oip_ozon_client_list_products_async:
 * @page_size: products per page, 1 to 1000
 *
 * Lists every product (not archived) with `/v3/product/list`, following
 * `last_id` from page to page until Ozon says the list is over. An
 * answer without `result`, of the wrong shape, or a cursor that comes back
 * is %OIP_ERROR_BAD_RESPONSE, never a shorter list. Each page is one call
 * (with its own deadline, see #OipOzonClient).
 */
void
oip_ozon_client_list_products_async (OipOzonClient       *self,
                                     guint                page_size,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;
  ListData *data;

  g_return_if_fail (OIP_IS_OZON_CLIENT (self));
  g_return_if_fail (page_size >= 1 && page_size <= 1000);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_ozon_client_list_products_async);
  data = g_new0 (ListData, 1);
  data->products = g_ptr_array_new_with_free_func (g_object_unref);
  data->page_size = page_size;
  data->cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);
  request_list_page (task, "");
}

/**
 * oip_ozon_client_list_products_finish:
 *
 * Returns: (transfer full) (element-type OipProduct): products with ids
 *   and SKU only
 */
GPtrArray *
oip_ozon_client_list_products_finish (OipOzonClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return typed_finish (self, result, oip_ozon_client_list_products_async, error);
}

static gpointer
parse_task_id (GTask     *task,
               JsonNode  *root,
               GError   **error)
{
  gint64 task_id = oip_ozon_parse_task_id (root, error);

  return task_id > 0 ? g_memdup2 (&task_id, sizeof task_id) : NULL;
}

/**
 * oip_ozon_client_import_pictures_async:
 * @offer_id: the product's offer_id
 * @images: (element-type utf8): every image the product should have
 * @primary_image: (nullable): the main image, when not @images[0]
 * @color_image: (nullable): the color image
 *
 * `/v2/product/pictures/import`. It replaces all of the product's images
 * and only starts an import task: see oip_ozon_client_get_import_status_async().
 */
void
oip_ozon_client_import_pictures_async (OipOzonClient       *self,
                                       const char          *offer_id,
                                       GPtrArray           *images,
                                       const char          *primary_image,
                                       const char          *color_image,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(JsonBuilder) body = json_builder_new ();

  g_return_if_fail (OIP_IS_OZON_CLIENT (self));
  g_return_if_fail (offer_id != NULL);
  g_return_if_fail (images != NULL);

  json_builder_begin_object (body);
  json_builder_set_member_name (body, "items");
  json_builder_begin_array (body);
  json_builder_begin_object (body);
  json_builder_set_member_name (body, "offer_id");
  json_builder_add_string_value (body, offer_id);
  json_builder_set_member_name (body, "images");
  json_builder_begin_array (body);
  for (guint i = 0; i < images->len; i++)
    json_builder_add_string_value (body, g_ptr_array_index (images, i));
  json_builder_end_array (body);
  if (primary_image != NULL)
    {
      json_builder_set_member_name (body, "primary_image");
      json_builder_add_string_value (body, primary_image);
    }
  json_builder_set_member_name (body, "color_image");
  json_builder_add_string_value (body, color_image ? color_image : "");
  json_builder_end_object (body);
  json_builder_end_array (body);
  json_builder_end_object (body);

  typed_call (self, oip_ozon_client_import_pictures_async, "/v2/product/pictures/import", body,
              parse_task_id, g_free, NULL, cancellable, callback, user_data);
}

/**
 * oip_ozon_client_import_pictures_finish:
 *
 * Returns: the import task's id, or 0 with @error set
 */
gint64
oip_ozon_client_import_pictures_finish (OipOzonClient  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  g_autofree gint64 *task_id = typed_finish (self, result, oip_ozon_client_import_pictures_async, error);

  return task_id ? *task_id : 0;
}

static gpointer
parse_import_status (GTask     *task,
                     JsonNode  *root,
                     GError   **error)
{
  return oip_ozon_parse_import_status (root, g_task_get_task_data (task), error);
}

/**
 * oip_ozon_client_get_import_status_async:
 * @task_id: from oip_ozon_client_import_pictures_finish()
 * @offer_id: (nullable): the item to report on
 *
 * `/v1/product/import/info`: whether Ozon has finished the import.
 */
void
oip_ozon_client_get_import_status_async (OipOzonClient       *self,
                                         gint64               task_id,
                                         const char          *offer_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(JsonBuilder) body = json_builder_new ();

  g_return_if_fail (OIP_IS_OZON_CLIENT (self));
  g_return_if_fail (task_id > 0);

  json_builder_begin_object (body);
  json_builder_set_member_name (body, "task_id");
  json_builder_add_int_value (body, task_id);
  json_builder_end_object (body);

  typed_call (self, oip_ozon_client_get_import_status_async, "/v1/product/import/info", body,
              parse_import_status, (GDestroyNotify) oip_import_status_free, g_strdup (offer_id),
              cancellable, callback, user_data);
}

/**
 * oip_ozon_client_get_import_status_finish:
 *
 * Returns: (transfer full): the item's status
 */
OipImportStatus *
oip_ozon_client_get_import_status_finish (OipOzonClient  *self,
                                          GAsyncResult   *result,
                                          GError        **error)
{
  return typed_finish (self, result, oip_ozon_client_get_import_status_async, error);
}

static gpointer
parse_pictures (GTask     *task,
                JsonNode  *root,
                GError   **error)
{
  return oip_ozon_parse_pictures (root, error);
}

/**
 * oip_ozon_client_get_pictures_async:
 *
 * `/v2/product/pictures/info`: the product's pictures now, with Ozon's
 * per-URL errors.
 */
void
oip_ozon_client_get_pictures_async (OipOzonClient       *self,
                                    gint64               product_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonBuilder) body = json_builder_new ();
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, product_id);

  g_return_if_fail (OIP_IS_OZON_CLIENT (self));
  g_return_if_fail (product_id > 0);

  json_builder_begin_object (body);
  json_builder_set_member_name (body, "product_id");
  json_builder_begin_array (body);
  json_builder_add_string_value (body, id);
  json_builder_end_array (body);
  json_builder_end_object (body);

  typed_call (self, oip_ozon_client_get_pictures_async, "/v2/product/pictures/info", body,
              parse_pictures, (GDestroyNotify) oip_pictures_free, NULL, cancellable, callback, user_data);
}

/**
 * oip_ozon_client_get_pictures_finish:
 *
 * Returns: (transfer full): the pictures
 */
OipPictures *
oip_ozon_client_get_pictures_finish (OipOzonClient  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  return typed_finish (self, result, oip_ozon_client_get_pictures_async, error);
}

/* Calls for many products at once (a bulk run's). */

/**
 * oip_pictures_import_new:
 * @offer_id: the product's offer_id
 * @images: (array zero-terminated=1): every image the product should have,
 *   main first
 * @color_image: (nullable): the color image
 *
 * One item of a batch import.
 */
OipPicturesImport *
oip_pictures_import_new (const char         *offer_id,
                         const char * const *images,
                         const char         *color_image)
{
  OipPicturesImport *item = g_new0 (OipPicturesImport, 1);

  item->offer_id = g_strdup (offer_id);
  item->images = g_strdupv ((char **) images);
  if (item->images == NULL)
    item->images = g_new0 (char *, 1);
  item->color_image = g_strdup (color_image);
  return item;
}

void
oip_pictures_import_free (OipPicturesImport *item)
{
  if (item == NULL)
    return;
  g_free (item->offer_id);
  g_strfreev (item->images);
  g_free (item->color_image);
  g_free (item);
}

static const char *key_members[] = { "offer_id", "product_id", "sku" };

typedef struct
{
  OipProductKey  key;
  GPtrArray     *values;     /* char *, all of them */
  guint          next;       /* the first not asked yet */
  GPtrArray     *found;      /* OipProduct */
} LookupData;

static void
lookup_data_free (LookupData *data)
{
  g_ptr_array_unref (data->values);
  g_ptr_array_unref (data->found);
  g_free (data);
}

static void lookup_next_page (GTask *task);

static void
on_lookup_page (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(GError) error = NULL;

  root = oip_ozon_client_call_finish (OIP_OZON_CLIENT (source), result, &error);
  if (root == NULL || (products = oip_ozon_parse_product_list (root, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_ptr_array_extend_and_steal (data->found, g_steal_pointer (&products));
  if (data->next >= data->values->len)
    g_task_return_pointer (task, g_ptr_array_ref (data->found), (GDestroyNotify) g_ptr_array_unref);
  else
    lookup_next_page (g_steal_pointer (&task));
}

static void
lookup_next_page (GTask *task)
{
  LookupData *data = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) body = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint end = MIN (data->next + OIP_OZON_MAX_IDS, data->values->len);

  json_builder_begin_object (body);
  json_builder_set_member_name (body, key_members[data->key]);
  json_builder_begin_array (body);
  for (; data->next < end; data->next++)
    json_builder_add_string_value (body, g_ptr_array_index (data->values, data->next));
  json_builder_end_array (body);
  json_builder_end_object (body);
  root = json_builder_get_root (body);
  oip_ozon_client_call_async (g_task_get_source_object (task), "/v3/product/info/list", root,
                              g_task_get_cancellable (task), on_lookup_page, task);
}

/**
 * oip_ozon_client_get_products_async:
 * @key: which identifier @values are: one kind per call, as Ozon asks
 * @values: (element-type utf8): offer_ids, or product_ids or SKUs in
 *   decimal; any number
 *
 * `/v3/product/info/list` for many products, %OIP_OZON_MAX_IDS
 * identifiers a call, one call after another.
 */
void
oip_ozon_client_get_products_async (OipOzonClient       *self,
                                    OipProductKey        key,
                                    GPtrArray           *values,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;
  LookupData *data;

  g_return_if_fail (OIP_IS_OZON_CLIENT (self));
  g_return_if_fail (key < G_N_ELEMENTS (key_members));
  g_return_if_fail (values != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_ozon_client_get_products_async);
  data = g_new0 (LookupData, 1);
  data->key = key;
  data->values = g_ptr_array_copy (values, (GCopyFunc) g_strdup, NULL);
  g_ptr_array_set_free_func (data->values, g_free);
  data->found = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, data, (GDestroyNotify) lookup_data_free);
  if (values->len == 0)
    {
      g_task_return_pointer (task, g_ptr_array_ref (data->found), (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  lookup_next_page (task);
}

/**
 * oip_ozon_client_get_products_finish:
 *
 * Returns: (transfer container) (element-type OipProduct): the products
 *   Ozon has, in no set order; those it does not know are simply absent
 */
GPtrArray *
oip_ozon_client_get_products_finish (OipOzonClient  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  return typed_finish (self, result, oip_ozon_client_get_products_async, error);
}

static void
on_batch_imported (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CallData *call = g_task_get_task_data (G_TASK (result));
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  gint64 task_id;

  /* What Ozon said of its item limits, whatever the outcome. */
  g_object_set_data_full (G_OBJECT (task), "oip-items", g_memdup2 (&call->items, sizeof call->items), g_free);
  root = oip_ozon_client_call_finish (OIP_OZON_CLIENT (source), result, &error);
  if (root == NULL || (task_id = oip_ozon_parse_task_id (root, &error)) <= 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_memdup2 (&task_id, sizeof task_id), g_free);
}

/**
 * oip_ozon_client_import_batch_async:
 * @items: (element-type OipPicturesImport): 1 to %OIP_OZON_MAX_IMPORT_ITEMS
 *   products, each with every image it should have
 *
 * One `/v2/product/pictures/import` for many products: one task for all.
 * Unlike a single import, a 5xx or a lost answer is not sent again (Ozon
 * may have acted on it) and a 429 for the item limits comes back at once
 * with Ozon's wait (oip_ozon_client_import_batch_finish()), so the caller
 * paces its imports; a 429 for requests a second is still waited out.
 */
void
oip_ozon_client_import_batch_async (OipOzonClient       *self,
                                    GPtrArray           *items,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonBuilder) body = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  GTask *task;

  g_return_if_fail (OIP_IS_OZON_CLIENT (self));
  g_return_if_fail (items != NULL && items->len >= 1 && items->len <= OIP_OZON_MAX_IMPORT_ITEMS);

  json_builder_begin_object (body);
  json_builder_set_member_name (body, "items");
  json_builder_begin_array (body);
  for (guint i = 0; i < items->len; i++)
    {
      const OipPicturesImport *item = g_ptr_array_index (items, i);

      json_builder_begin_object (body);
      json_builder_set_member_name (body, "offer_id");
      json_builder_add_string_value (body, item->offer_id);
      json_builder_set_member_name (body, "images");
      json_builder_begin_array (body);
      for (guint j = 0; item->images[j] != NULL; j++)
        json_builder_add_string_value (body, item->images[j]);
      json_builder_end_array (body);
      json_builder_set_member_name (body, "color_image");
      json_builder_add_string_value (body, item->color_image ? item->color_image : "");
      json_builder_end_object (body);
    }
  json_builder_end_array (body);
  json_builder_end_object (body);
  root = json_builder_get_root (body);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_ozon_client_import_batch_async);
  start_call (self, "/v2/product/pictures/import", root, TRUE, cancellable, on_batch_imported, task);
}

/**
 * oip_ozon_client_import_batch_finish:
 * @items: (out caller-allocates) (optional): Ozon's item-limit headers of
 *   the answer, also when it failed (a 429 for the item limits:
 *   %OIP_ERROR_RATE_LIMITED with `retry_minutes` set)
 *
 * Returns: the import task's id, or 0 with @error set
 */
gint64
oip_ozon_client_import_batch_finish (OipOzonClient     *self,
                                     GAsyncResult      *result,
                                     OipItemLimitInfo  *items,
                                     GError           **error)
{
  g_autofree gint64 *task_id = NULL;
  OipItemLimitInfo *info;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oip_ozon_client_import_batch_async, 0);

  info = g_object_get_data (G_OBJECT (result), "oip-items");
  if (items != NULL)
    {
      items->remaining = info ? info->remaining : -1;
      items->retry_minutes = info ? info->retry_minutes : -1;
    }
  task_id = g_task_propagate_pointer (G_TASK (result), error);
  return task_id ? *task_id : 0;
}

static gpointer
parse_import_statuses (GTask     *task,
                       JsonNode  *root,
                       GError   **error)
{
  return oip_ozon_parse_import_statuses (root, error);
}

/**
 * oip_ozon_client_get_import_statuses_async:
 * @task_id: a batch import's task
 *
 * `/v1/product/import/info`: every item of the task.
 */
void
oip_ozon_client_get_import_statuses_async (OipOzonClient       *self,
                                           gint64               task_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(JsonBuilder) body = json_builder_new ();

  g_return_if_fail (OIP_IS_OZON_CLIENT (self));
  g_return_if_fail (task_id > 0);

  json_builder_begin_object (body);
  json_builder_set_member_name (body, "task_id");
  json_builder_add_int_value (body, task_id);
  json_builder_end_object (body);
  typed_call (self, oip_ozon_client_get_import_statuses_async, "/v1/product/import/info", body,
              parse_import_statuses, (GDestroyNotify) g_ptr_array_unref, NULL, cancellable, callback, user_data);
}

/**
 * oip_ozon_client_get_import_statuses_finish:
 *
 * Returns: (transfer container) (element-type OipImportStatus): each
 *   item's status, with its offer_id and product_id
 */
GPtrArray *
oip_ozon_client_get_import_statuses_finish (OipOzonClient  *self,
                                            GAsyncResult   *result,
                                            GError        **error)
{
  return typed_finish (self, result, oip_ozon_client_get_import_statuses_async, error);
}

typedef struct
{
  GArray    *ids;      /* gint64 */
  guint      next;
  GPtrArray *found;    /* OipPictures */
} PicturesData;

static void
pictures_data_free (PicturesData *data)
{
  g_array_unref (data->ids);
  g_ptr_array_unref (data->found);
  g_free (data);
}

static void pictures_next_page (GTask *task);

static void
on_pictures_page (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PicturesData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  root = oip_ozon_client_call_finish (OIP_OZON_CLIENT (source), result, &error);
  if (root == NULL || (list = oip_ozon_parse_pictures_list (root, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_ptr_array_extend_and_steal (data->found, g_steal_pointer (&list));
  if (data->next >= data->ids->len)
    g_task_return_pointer (task, g_ptr_array_ref (data->found), (GDestroyNotify) g_ptr_array_unref);
  else
    pictures_next_page (g_steal_pointer (&task));
}

static void
pictures_next_page (GTask *task)
{
  PicturesData *data = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) body = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint end = MIN (data->next + OIP_OZON_MAX_IDS, data->ids->len);

  json_builder_begin_object (body);
  json_builder_set_member_name (body, "product_id");
  json_builder_begin_array (body);
  for (; data->next < end; data->next++)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, g_array_index (data->ids, gint64, data->next));

      json_builder_add_string_value (body, id);
    }
  json_builder_end_array (body);
  json_builder_end_object (body);
  root = json_builder_get_root (body);
  oip_ozon_client_call_async (g_task_get_source_object (task), "/v2/product/pictures/info", root,
                              g_task_get_cancellable (task), on_pictures_page, task);
}

/**
 * oip_ozon_client_get_pictures_list_async:
 * @product_ids: (array length=n_ids): the products, at least one
 *
 * `/v2/product/pictures/info` for many products, %OIP_OZON_MAX_IDS a call.
 */
void
oip_ozon_client_get_pictures_list_async (OipOzonClient       *self,
                                         const gint64        *product_ids,
                                         guint                n_ids,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;
  PicturesData *data;

  g_return_if_fail (OIP_IS_OZON_CLIENT (self));
  g_return_if_fail (product_ids != NULL && n_ids > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_ozon_client_get_pictures_list_async);
  data = g_new0 (PicturesData, 1);
  data->ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_ids);
  g_array_append_vals (data->ids, product_ids, n_ids);
  data->found = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_pictures_free);
  g_task_set_task_data (task, data, (GDestroyNotify) pictures_data_free);
  pictures_next_page (task);
}

/**
 * oip_ozon_client_get_pictures_list_finish:
 *
 * Returns: (transfer container) (element-type OipPictures): one entry per
 *   product Ozon reported on
 */
GPtrArray *
oip_ozon_client_get_pictures_list_finish (OipOzonClient  *self,
                                          GAsyncResult   *result,
                                          GError        **error)
{
  return typed_finish (self, result, oip_ozon_client_get_pictures_list_async, error);
}

static gpointer
parse_limits (GTask     *task,
              JsonNode  *root,
              GError   **error)
{
  return oip_ozon_parse_limits (root, error);
}

/**
 * oip_ozon_client_get_limits_async:
 *
 * `/v4/product/info/limit` (empty body): the account's daily product
 * update quota and the per-minute limit of picture imports.
 */
void
oip_ozon_client_get_limits_async (OipOzonClient       *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(JsonBuilder) body = json_builder_new ();

  g_return_if_fail (OIP_IS_OZON_CLIENT (self));

  json_builder_begin_object (body);
  json_builder_end_object (body);
  typed_call (self, oip_ozon_client_get_limits_async, "/v4/product/info/limit", body,
              parse_limits, g_free, NULL, cancellable, callback, user_data);
}

/**
 * oip_ozon_client_get_limits_finish:
 *
 * Returns: (transfer full): the limits; what Ozon did not say is -1
 */
OipOzonLimits *
oip_ozon_client_get_limits_finish (OipOzonClient  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  return typed_finish (self, result, oip_ozon_client_get_limits_async, error);
}
