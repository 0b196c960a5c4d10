/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "oip-credentials.h"
#include "oip-error.h"
#include "oip-json.h"
#include "oip-ozon-client.h"
#include "oip-sleep.h"
#include "oip-url.h"

/**
 * OipOzonClient:
 *
 * The Ozon Seller API over one #SoupSession: every method is a JSON POST
 * with the Client-Id and Api-Key headers. Failures become #OipError codes
 * with Ozon's own message kept; 429, 5xx and network failures are retried
 * with back-off (honouring Retry-After), nothing else is.
 *
 * The Api-Key is kept in memory only and is never part of a message,
 * a log line or a property.
 */
struct _OipOzonClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  char        *client_id;
  char        *api_key;
  guint        max_retries;
  guint        retry_delay_ms;
};

G_DEFINE_FINAL_TYPE (OipOzonClient, oip_ozon_client, G_TYPE_OBJECT)

/* Longest Retry-After the client waits for by itself; beyond it the seller
 * is better told when to come back than left looking at a spinner. */
#define MAX_RETRY_AFTER_SECONDS 60
#define MAX_LIST_PAGES 1000

/* Not in libsoup 3.2's SoupStatus. */
#define STATUS_TOO_MANY_REQUESTS 429

typedef struct
{
  char   *path;
  GBytes *body;
  guint   attempt;
} CallData;

static void send_attempt (GTask *task);

static void
call_data_free (CallData *data)
{
  g_free (data->path);
  g_bytes_unref (data->body);
  g_free (data);
}

/* Ozon's error bodies come as {code, message}, with code an int or a string,
 * as the older {error: {code, message}}, or as an HTML page from a proxy. */
static char *
ozon_message_from_body (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonObject *inner;
  const char *message;
  gsize size = 0;
  const char *data = body ? g_bytes_get_data (body, &size) : NULL;

  if (data == NULL || size == 0 ||
      !json_parser_load_from_data (parser, data, size, NULL) ||
      (root = oip_json_parser_get_object (parser)) == NULL)
    return NULL;

  inner = oip_json_object_get_object (root, "error");
  message = oip_json_object_get_string (inner ? inner : root, "message");
  return message != NULL && *message != '\0' ? g_strdup (message) : NULL;
}

static OipError
code_for_message (const char *message,
                  OipError    fallback)
{
  static const struct { const char *needle; OipError code; } known[] = {
    { "invalid api-key", OIP_ERROR_INVALID_API_KEY },
    { "client-id and api-key headers are required", OIP_ERROR_INVALID_API_KEY },
    { "deactivated", OIP_ERROR_API_KEY_DEACTIVATED },
    { "missing a required role", OIP_ERROR_API_KEY_ROLE },
    { "restricted to specific ip", OIP_ERROR_API_KEY_IP },
    { "obsolete method", OIP_ERROR_METHOD_GONE },
    { "circle is open", OIP_ERROR_SERVER },
  };
  g_autofree char *lower = NULL;

  if (message == NULL)
    return fallback;

  lower = g_utf8_strdown (message, -1);
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (strstr (lower, known[i].needle) != NULL)
      return known[i].code;
  return fallback;
}

static OipError
code_for_status (guint status)
{
  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return OIP_ERROR_INVALID_API_KEY;
    case SOUP_STATUS_FORBIDDEN:
      return OIP_ERROR_ACCESS_DENIED;
    case SOUP_STATUS_NOT_FOUND:
      return OIP_ERROR_NOT_FOUND;
    case SOUP_STATUS_GONE:
      return OIP_ERROR_METHOD_GONE;
    case STATUS_TOO_MANY_REQUESTS:
      return OIP_ERROR_RATE_LIMITED;
    default:
      return status >= 500 ? OIP_ERROR_SERVER : OIP_ERROR_REJECTED;
    }
}

static const char *
summary_for_code (OipError code)
{
  switch ((int) code)
    {
    case OIP_ERROR_INVALID_API_KEY:
      return _("Ozon did not accept the Client ID or API Key");
    case OIP_ERROR_API_KEY_DEACTIVATED:
      return _("The API Key is deactivated");
    case OIP_ERROR_API_KEY_ROLE:
      return _("The API Key does not have the role this action needs");
    case OIP_ERROR_API_KEY_IP:
      return _("The API Key is restricted to other IP addresses");
    case OIP_ERROR_ACCESS_DENIED:
      return _("Ozon denied access");
    case OIP_ERROR_NOT_FOUND:
      return _("Ozon could not find what was asked for");
    case OIP_ERROR_METHOD_GONE:
      return _("Ozon has switched this method off");
    case OIP_ERROR_RATE_LIMITED:
      return _("Too many requests to Ozon");
    case OIP_ERROR_SERVER:
      return _("Ozon’s server had a problem");
    default:
      return _("Ozon rejected the request");
    }
}

static GError *
error_from_response (guint   status,
                     GBytes *body)
{
  g_autofree char *ozon_message = ozon_message_from_body (body);
  OipError code = code_for_message (ozon_message, code_for_status (status));

  if (ozon_message != NULL)
    return g_error_new (OIP_ERROR, code, "%s (HTTP %u): %s",
                        summary_for_code (code), status, ozon_message);
  return g_error_new (OIP_ERROR, code, "%s (HTTP %u)", summary_for_code (code), status);
}

static guint
header_seconds (SoupMessageHeaders *headers,
                const char         *name,
                guint               multiplier)
{
  g_autofree char *value = g_strdup (soup_message_headers_get_one (headers, name));
  guint64 number = 0;

  if (value == NULL ||
      !g_ascii_string_to_unsigned (g_strstrip (value), 10, 0, G_MAXUINT / 60, &number, NULL))
    return 0;
  return (guint) number * multiplier;
}

static void
retry_or_fail (GTask  *task,
               GError *error,
               guint   wait_ms);

static void
on_retry_wait_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!oip_sleep_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    send_attempt (g_steal_pointer (&task));
}

/* Takes ownership of @error. @wait_ms of 0 means “back off exponentially”. */
static void
retry_or_fail (GTask  *task,
               GError *error,
               guint   wait_ms)
{
  OipOzonClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);

  if (data->attempt > self->max_retries)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (wait_ms == 0)
    {
      guint base = self->retry_delay_ms << MIN (data->attempt - 1, 6u);

      wait_ms = base + g_random_int_range (0, base / 2 + 1);
    }

  g_debug ("%s failed (%s), retry %u of %u in %u ms",
           data->path, error->message, data->attempt, self->max_retries, wait_ms);
  g_error_free (error);
  oip_sleep_async (wait_ms, g_task_get_cancellable (task), on_retry_wait_done, task);
}

static void
on_response (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  CallData *data = g_task_get_task_data (task);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
        }
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        retry_or_fail (task,
                       g_error_new (OIP_ERROR, OIP_ERROR_TIMEOUT,
                                    _("Ozon did not answer within %u seconds"),
                                    oip_ozon_client_get_timeout (g_task_get_source_object (task))),
                       0);
      else
        retry_or_fail (task,
                       g_error_new (OIP_ERROR, OIP_ERROR_NETWORK,
                                    _("Could not reach Ozon: %s"), error->message),
                       0);
      return;
    }

  status = soup_message_get_status (message);

  if (status == STATUS_TOO_MANY_REQUESTS)
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (message);
      guint item_wait = header_seconds (headers, "Item-Retry-After", 60);
      guint wait = header_seconds (headers, "Retry-After", 1);
      GError *rate_error = error_from_response (status, body);

      /* Item-Retry-After is Ozon's per-minute/per-day operation quota:
       * minutes or hours away, so it is reported, not waited for. */
      if (item_wait > 0 || wait > MAX_RETRY_AFTER_SECONDS)
        {
          guint seconds = MAX (item_wait, wait);

          g_prefix_error (&rate_error,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "Try again in %u minute. ",
                                       "Try again in %u minutes. ",
                                       (seconds + 59) / 60),
                          (seconds + 59) / 60);
          g_task_return_error (task, rate_error);
          g_object_unref (task);
          return;
        }

      retry_or_fail (task, rate_error, wait * 1000);
      return;
    }

  if (status >= 500)
    {
      retry_or_fail (task, error_from_response (status, body), 0);
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task, error_from_response (status, body));
      g_object_unref (task);
      return;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL) ||
      oip_json_parser_get_object (parser) == NULL)
    {
      g_task_return_new_error (task, OIP_ERROR, OIP_ERROR_BAD_RESPONSE,
                               _("Ozon’s answer to %s could not be read (HTTP %u, not JSON)"),
                               data->path, status);
      g_object_unref (task);
      return;
    }

  /* A 200 that carries an error body is still an error: the web version
   * reported a bad key as success because it only looked for “error”. */
  {
    JsonObject *root = oip_json_parser_get_object (parser);
    JsonNode *code = json_object_get_member (root, "code");
    gboolean has_error_code =
      code != NULL && JSON_NODE_HOLDS_VALUE (code) &&
      (json_node_get_value_type (code) == G_TYPE_STRING ||
       json_node_get_int (code) != 0);

    if (json_object_has_member (root, "error") ||
        (has_error_code && json_object_has_member (root, "message")))
      {
        g_task_return_error (task, error_from_response (status, body));
        g_object_unref (task);
        return;
      }
  }

  g_task_return_pointer (task, json_parser_steal_root (parser), (GDestroyNotify) json_node_unref);
  g_object_unref (task);
}

static void
send_attempt (GTask *task)
{
  OipOzonClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  g_autofree char *url = g_strconcat (self->base_url, data->path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_POST, url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);

  data->attempt++;
  soup_message_headers_replace (headers, "Client-Id", self->client_id);
  soup_message_headers_replace (headers, "Api-Key", self->api_key);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_set_request_body_from_bytes (message, "application/json", data->body);

  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_response, task);
}

static void
oip_ozon_client_finalize (GObject *object)
{
  OipOzonClient *self = (OipOzonClient *)object;

  g_clear_object (&self->session);
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
  self->max_retries = 2;
  self->retry_delay_ms = 1000;
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

guint
oip_ozon_client_get_timeout (OipOzonClient *self)
{
  g_return_val_if_fail (OIP_IS_OZON_CLIENT (self), 0);
  return soup_session_get_timeout (self->session);
}

/**
 * oip_ozon_client_set_timeout:
 * @seconds: how long one request may wait for Ozon (the seed's
 *   `ozon_push_timeout`, 30 by default)
 */
void
oip_ozon_client_set_timeout (OipOzonClient *self,
                             guint          seconds)
{
  g_return_if_fail (OIP_IS_OZON_CLIENT (self));
  g_return_if_fail (seconds > 0);
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
 * oip_ozon_client_call_async:
 * @path: the method's path, such as `/v3/product/info/list`
 * @body: the JSON body
 *
 * POSTs @body to @path, retrying where that is safe.
 */
void
oip_ozon_client_call_async (OipOzonClient       *self,
                            const char          *path,
                            JsonNode            *body,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  CallData *data;
  char *text;

  g_return_if_fail (OIP_IS_OZON_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (body != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_ozon_client_call_async);

  text = oip_json_to_string (body, FALSE);
  data = g_new0 (CallData, 1);
  data->path = g_strdup (path);
  data->body = g_bytes_new_take (text, strlen (text));
  g_task_set_task_data (task, data, (GDestroyNotify) call_data_free);

  send_attempt (task);
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

typedef gpointer (*ParseFunc) (GTask *task, JsonObject *root, GError **error);

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

  value = parse (task, json_node_get_object (root), &error);
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

static JsonObject *
first_item (JsonObject *root,
            const char *container)
{
  JsonObject *holder = container ? oip_json_object_get_object (root, container) : root;
  JsonArray *items = oip_json_object_get_array (holder, "items");

  if (items == NULL || json_array_get_length (items) == 0)
    return NULL;
  return json_array_get_object_element (items, 0);
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
parse_total (GTask       *task,
             JsonObject  *root,
             GError     **error)
{
  JsonObject *page = oip_json_object_get_object (root, "result");
  gint64 total;

  if (page == NULL)
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_BAD_RESPONSE,
                           _("Ozon’s answer could not be read"));
      return NULL;
    }
  total = json_object_get_int_member_with_default (page, "total_items",
                                                   json_object_get_int_member_with_default (page, "total", 0));
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
parse_product (GTask       *task,
               JsonObject  *root,
               GError     **error)
{
  JsonObject *item = first_item (root, NULL);
  OipProduct *product = item ? oip_product_new_from_ozon_json (item) : NULL;

  if (product == NULL)
    g_set_error (error, OIP_ERROR, OIP_ERROR_NOT_FOUND,
                 _("Ozon has no product “%s”"), (const char *) g_task_get_task_data (task));
  return product;
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
  GPtrArray *products;
  guint      page_size;
  guint      pages;
} ListData;

static void
list_data_free (ListData *data)
{
  g_ptr_array_unref (data->products);
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
  g_autoptr(GError) error = NULL;
  JsonObject *page;
  JsonArray *items;
  const char *last_id;
  guint n_items;

  root = oip_ozon_client_call_finish (OIP_OZON_CLIENT (source), result, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  page = oip_json_object_get_object (json_node_get_object (root), "result");
  items = oip_json_object_get_array (page, "items");
  n_items = items ? json_array_get_length (items) : 0;
  for (guint i = 0; i < n_items; i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      gint64 id = oip_json_object_get_id (item, "product_id");
      const char *offer_id = oip_json_object_get_string (item, "offer_id");

      if (id > 0 && offer_id != NULL)
        {
          OipProduct *product = oip_product_new (id, offer_id);

          oip_product_set_sku (product, oip_json_object_get_id (item, "sku"));
          g_ptr_array_add (data->products, product);
        }
    }

  /* Ozon does not document the end of the list; an empty or short page, or
   * no cursor, ends it (shared/ozon-api.md §5). */
  last_id = oip_json_object_get_string (page, "last_id");
  if (n_items < data->page_size || last_id == NULL || *last_id == '\0' ||
      ++data->pages >= MAX_LIST_PAGES)
    {
      g_task_return_pointer (task, g_ptr_array_ref (data->products),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  request_list_page (g_steal_pointer (&task), last_id);
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
 * `last_id` from page to page.
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
parse_task_id (GTask       *task,
               JsonObject  *root,
               GError     **error)
{
  gint64 task_id = oip_json_object_get_id (root, "task_id");

  if (task_id <= 0)
    task_id = oip_json_object_get_id (oip_json_object_get_object (root, "result"), "task_id");
  if (task_id <= 0)
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_BAD_RESPONSE,
                           _("Ozon accepted the images but returned no import task"));
      return NULL;
    }
  return g_memdup2 (&task_id, sizeof task_id);
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
parse_import_status (GTask       *task,
                     JsonObject  *root,
                     GError     **error)
{
  const char *offer_id = g_task_get_task_data (task);
  JsonArray *items = oip_json_object_get_array (oip_json_object_get_object (root, "result"), "items");

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *item_offer = oip_json_object_get_string (item, "offer_id");

      if (item != NULL && (offer_id == NULL || item_offer == NULL || g_str_equal (item_offer, offer_id)))
        return oip_import_status_new_from_json (item);
    }

  g_set_error_literal (error, OIP_ERROR, OIP_ERROR_BAD_RESPONSE,
                       _("Ozon’s import task does not mention the product"));
  return NULL;
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
parse_pictures (GTask       *task,
                JsonObject  *root,
                GError     **error)
{
  JsonObject *item = first_item (root, NULL);

  if (item == NULL)
    item = first_item (root, "result");
  if (item == NULL)
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_NOT_FOUND,
                           _("Ozon returned no pictures for the product"));
      return NULL;
    }
  return oip_pictures_new_from_json (item);
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
