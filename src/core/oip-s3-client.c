/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gcrypt.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "oip-error.h"
#include "oip-http.h"
#include "oip-s3-client.h"
#include "oip-sigv4.h"
#include "oip-sleep.h"
#include "oip-url.h"

/**
 * OipS3Client:
 *
 * Uploads pictures to the seller's S3-compatible storage (Cloudflare R2 or
 * any other), path-style (`ENDPOINT/BUCKET/KEY`), every request signed
 * with AWS Signature Version 4. An object is named by the SHA-256 of its
 * content: a changed picture gets a new URL (Ozon skips a URL it already
 * has), and the same picture is never uploaded twice (a HEAD comes first).
 * Server errors and network failures are retried with back-off; nothing
 * else is.
 *
 * The timeout (oip_s3_client_set_timeout(), T seconds) is a deadline for
 * each request, its retries and back-off included, not an idle limit: T,
 * plus one second for every 100 KB of an upload's body so that slow
 * uplinks still work; a retry that would not start before it is not
 * made. Redirects are
 * never followed (the signed request would go elsewhere): a 3xx is an
 * error naming where it pointed. Answers larger than 1 MB are refused.
 */
struct _OipS3Client
{
  GObject           parent_instance;

  SoupSession      *session;
  OipStorageConfig *config;
  char             *endpoint;    /* without a trailing '/' */
  char             *public_url;  /* idem */
  guint             timeout;
  guint             max_retries;
  guint             retry_delay_ms;
};

G_DEFINE_FINAL_TYPE (OipS3Client, oip_s3_client, G_TYPE_OBJECT)

/* Object names are content hashes: an object never changes, so caches may
 * keep it for good. */
#define CACHE_CONTROL "public, max-age=31536000, immutable"

/* S3's answers to HEAD, PUT and DELETE are small XML documents. */
#define MAX_ANSWER (1024 * 1024)

/* The slowest upload rate a request is given time for, in bytes/s. */
#define MIN_UPLOAD_RATE (100 * 1000)

typedef struct
{
  char              *method;
  char              *key;
  GBytes            *body;
  char              *content_type;
  char              *payload_hash;   /* NULL: computed when sent */
  guint              attempt;
  gint64             deadline;       /* of the request, retries included */
  SoupMessage       *message;        /* the attempt under way */
  guint              status;
  GBytes            *answer;
  OipS3ProgressFunc  progress;
  gpointer           progress_data;
  guint64            sent;
} Request;

static void
request_free (Request *request)
{
  g_free (request->method);
  g_free (request->key);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->content_type);
  g_free (request->payload_hash);
  g_clear_pointer (&request->answer, g_bytes_unref);
  g_clear_object (&request->message);
  g_free (request);
}

static char *
trim_slash (const char *url)
{
  char *copy = g_strdup (url);

  while (g_str_has_suffix (copy, "/"))
    copy[strlen (copy) - 1] = '\0';
  return copy;
}

/* S3's XML error: <Error><Code>…</Code><Message>…</Message></Error>,
 * read only as far as needed and cleaned for showing. */
static char *
xml_element (GBytes     *body,
             const char *name)
{
  gsize size = 0;
  const char *data = body ? g_bytes_get_data (body, &size) : NULL;
  g_autofree char *text = data ? g_strndup (data, MIN (size, 64 * 1024)) : NULL;
  g_autofree char *open = g_strdup_printf ("<%s>", name);
  g_autofree char *close = g_strdup_printf ("</%s>", name);
  const char *start = text ? strstr (text, open) : NULL;
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen (open);
  end = strstr (start, close);
  return end ? oip_http_clean_text (start, end - start, 100) : NULL;
}

static GError *
storage_error (OipS3Client *self,
               Request     *request)
{
  g_autofree char *code = xml_element (request->answer, "Code");

  if (request->status == SOUP_STATUS_FORBIDDEN || request->status == SOUP_STATUS_UNAUTHORIZED)
    return g_error_new (OIP_ERROR, OIP_ERROR_STORAGE_DENIED,
                        _("The storage refused the access key or its secret (HTTP %u %s)"),
                        request->status, code ? code : "");
  if (code != NULL && g_str_equal (code, "NoSuchBucket"))
    return g_error_new (OIP_ERROR, OIP_ERROR_STORAGE, _("The storage has no bucket “%s”"),
                        self->config->bucket);
  return g_error_new (OIP_ERROR, OIP_ERROR_STORAGE, _("The storage answered HTTP %u %s"),
                      request->status, code ? code : "");
}

/* A 3xx, never followed: the signed request and its body stay where the
 * seller configured them. */
static GError *
redirect_error (SoupMessage *message)
{
  gboolean insecure = FALSE;
  g_autofree char *target = oip_http_redirect_target (message, &insecure);

  if (insecure)
    return g_error_new (OIP_ERROR, OIP_ERROR_INSECURE_URL,
                        _("The storage sent the request on to %s, which is not https: nothing was sent there"),
                        target);
  return g_error_new (OIP_ERROR, OIP_ERROR_STORAGE,
                      _("The storage sent the request on to %s; redirects are not followed, use the address it names as the endpoint"),
                      target ? target : "?");
}

static void send_request (GTask *task);

static void
on_retry_wait (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!oip_sleep_finish (result, &error))
    {
      g_task_return_error (user_data, g_steal_pointer (&error));
      g_object_unref (user_data);
      return;
    }
  send_request (user_data);
}

static void
on_wrote_body_data (SoupMessage *message,
                    guint        chunk,
                    Request     *request)
{
  request->sent += chunk;
  if (request->progress != NULL)
    request->progress (request->sent, g_bytes_get_size (request->body), request->progress_data);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  OipS3Client *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GError *failure = NULL;
  gboolean retry = TRUE;

  g_clear_pointer (&request->answer, g_bytes_unref);
  request->answer = oip_http_send_finish (SOUP_SESSION (source), result, &error);
  request->status = request->answer ? soup_message_get_status (request->message) : 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_autofree char *timeout = oip_http_format_wait (self->timeout);

      failure = g_error_new (OIP_ERROR, OIP_ERROR_TIMEOUT, _("The storage did not answer within %s"), timeout);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
    {
      g_autofree char *limit = g_format_size (MAX_ANSWER);

      failure = g_error_new (OIP_ERROR, OIP_ERROR_STORAGE, _("The storage’s answer is larger than %s"), limit);
      retry = FALSE;
    }
  else if (request->answer == NULL)
    {
      g_autofree char *reason = oip_http_clean_text (error->message, -1, OIP_HTTP_MAX_TEXT);

      failure = g_error_new (OIP_ERROR, OIP_ERROR_NETWORK, _("Could not reach the storage: %s"),
                             reason ? reason : "");
    }
  else if (SOUP_STATUS_IS_REDIRECTION (request->status))
    {
      failure = redirect_error (request->message);
      retry = FALSE;
    }
  else if (request->status >= 500)
    failure = storage_error (self, request);

  if (failure != NULL && retry && request->attempt <= self->max_retries)
    {
      guint delay = self->retry_delay_ms << MIN (request->attempt - 1, 6u);

      delay += g_random_int_range (0, delay / 2 + 1);
      /* Only if the wait ends before the request's deadline. */
      if (g_get_monotonic_time () + (gint64) delay * 1000 < request->deadline)
        {
          g_debug ("storage %s failed (%s), retry %u", request->method, failure->message, request->attempt);
          g_error_free (failure);
          oip_sleep_async (delay, g_task_get_cancellable (task), on_retry_wait, task);
          return;
        }
    }

  if (failure != NULL)
    g_task_return_error (task, failure);
  else
    g_task_return_boolean (task, TRUE);   /* any other status: the caller decides */
  g_object_unref (task);
}

/* A request's time: the timeout, and more for a large body. */
static gint64
request_time (OipS3Client *self,
              GBytes      *body)
{
  guint64 size = body ? g_bytes_get_size (body) : 0;

  return ((gint64) self->timeout + (gint64) (size / MIN_UPLOAD_RATE)) * G_USEC_PER_SEC;
}

static void
send_request (GTask *task)
{
  OipS3Client *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *amz_date = oip_sigv4_format_date (now);
  g_autofree char *path = g_strdup_printf ("/%s/%s", self->config->bucket, request->key);
  g_autofree char *escaped = g_uri_escape_string (path, "/", FALSE);
  g_autofree char *url = g_strconcat (self->endpoint, escaped, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (request->method, url);
  g_autoptr(GPtrArray) signed_headers = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *payload_hash = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *host = NULL;
  SoupMessageHeaders *headers;
  GUri *uri;
  gsize size = 0;
  const guint8 *data = request->body ? g_bytes_get_data (request->body, &size) : (const guint8 *) "";
  OipSigV4Request sign = { request->method, path, NULL, signed_headers, NULL };

  request->attempt++;
  request->sent = 0;
  headers = soup_message_get_request_headers (message);
  uri = soup_message_get_uri (message);
  /* The Host header as libsoup sends it: the port only when not the
   * scheme's default. */
  host = g_uri_get_port (uri) > 0 &&
         g_uri_get_port (uri) != (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80)
         ? g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri))
         : g_strdup (g_uri_get_host (uri));
  payload_hash = request->payload_hash ? g_strdup (request->payload_hash) : oip_sigv4_hash_hex (data, size);

  g_ptr_array_add (signed_headers, g_strdup ("host"));
  g_ptr_array_add (signed_headers, g_strdup (host));
  g_ptr_array_add (signed_headers, g_strdup ("x-amz-content-sha256"));
  g_ptr_array_add (signed_headers, g_strdup (payload_hash));
  g_ptr_array_add (signed_headers, g_strdup ("x-amz-date"));
  g_ptr_array_add (signed_headers, g_strdup (amz_date));
  if (request->content_type != NULL)
    {
      g_ptr_array_add (signed_headers, g_strdup ("content-type"));
      g_ptr_array_add (signed_headers, g_strdup (request->content_type));
    }
  sign.payload_hash = payload_hash;
  authorization = oip_sigv4_authorization (&sign, self->config->access_key_id, self->config->secret_access_key,
                                           amz_date, self->config->region, "s3");

  soup_message_headers_replace (headers, "Host", host);
  soup_message_headers_replace (headers, "x-amz-date", amz_date);
  soup_message_headers_replace (headers, "x-amz-content-sha256", payload_hash);
  soup_message_headers_replace (headers, "Authorization", authorization);
  if (request->body != NULL)
    {
      soup_message_headers_replace (headers, "Cache-Control", CACHE_CONTROL);
      soup_message_set_request_body_from_bytes (message, request->content_type, request->body);
      g_signal_connect (message, "wrote-body-data", G_CALLBACK (on_wrote_body_data), request);
    }

  g_clear_object (&request->message);
  request->message = g_object_ref (message);
  oip_http_send_async (self->session, message,
                       request->deadline, MAX_ANSWER, g_task_get_cancellable (task), on_sent, task);
}

static void
s3_request_async (OipS3Client         *self,
                  const char          *method,
                  const char          *key,
                  GBytes              *body,
                  const char          *payload_hash,
                  const char          *content_type,
                  OipS3ProgressFunc    progress,
                  gpointer             progress_data,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Request *request = g_new0 (Request, 1);

  request->method = g_strdup (method);
  request->key = g_strdup (key);
  request->body = body ? g_bytes_ref (body) : NULL;
  request->content_type = g_strdup (content_type);
  request->payload_hash = g_strdup (payload_hash);
  request->progress = progress;
  request->progress_data = progress_data;
  request->deadline = g_get_monotonic_time () + request_time (self, body);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  send_request (task);
}

/* Returns the status, or 0 with @error set. */
static guint
s3_request_finish (GAsyncResult  *result,
                   GError       **error)
{
  Request *request = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return 0;
  return request->status;
}

/* Returns whether the store answered 2xx; otherwise sets @error, in the
 * store's own words where it gave some. */
static gboolean
s3_request_finish_ok (OipS3Client   *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  guint status = s3_request_finish (result, error);

  if (status == 0)
    return FALSE;
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_propagate_error (error, storage_error (self, g_task_get_task_data (G_TASK (result))));
      return FALSE;
    }
  return TRUE;
}

/* The version check is all the initialisation hashing needs; the rest
 * (secure memory, handlers) is left to libsecret, which does it only if
 * nobody finished it before. Done when a client is made, on the main
 * thread like libsecret's, rather than first in a worker. */
static void
hash_init (void)
{
  static gsize ready = 0;

  if (g_once_init_enter (&ready))
    {
      gcry_check_version (NULL);
      g_once_init_leave (&ready, 1);
    }
}

static void
oip_s3_client_finalize (GObject *object)
{
  OipS3Client *self = (OipS3Client *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->config, oip_storage_config_free);
  g_free (self->endpoint);
  g_free (self->public_url);

  G_OBJECT_CLASS (oip_s3_client_parent_class)->finalize (object);
}

static void
oip_s3_client_class_init (OipS3ClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oip_s3_client_finalize;
}

static void
oip_s3_client_init (OipS3Client *self)
{
  g_autofree char *user_agent = g_strdup_printf ("ozon-image-push/%s", PACKAGE_VERSION);

  hash_init ();
  self->session = soup_session_new_with_options ("user-agent", user_agent, "timeout", 30,
                                                 "max-conns-per-host", 8, NULL);
  self->timeout = 30;
  self->max_retries = 2;
  self->retry_delay_ms = 500;
}

/**
 * oip_s3_client_new:
 * @config: a complete configuration (copied)
 *
 * Returns: (transfer full) (nullable): the client, or %NULL when @config
 *   is incomplete or its endpoint is not https (nor http to this computer)
 */
OipS3Client *
oip_s3_client_new (const OipStorageConfig  *config,
                   GError                 **error)
{
  OipS3Client *self;

  if (!oip_storage_config_check (config, error))
    return NULL;

  self = g_object_new (OIP_TYPE_S3_CLIENT, NULL);
  self->config = oip_storage_config_new ();
  g_free (self->config->region);
  g_free (self->config->prefix);
  self->config->endpoint = g_strdup (config->endpoint);
  self->config->region = g_strdup (config->region && *config->region ? config->region : "auto");
  self->config->bucket = g_strdup (config->bucket);
  self->config->public_url = g_strdup (config->public_url);
  self->config->prefix = g_strdup (config->prefix ? config->prefix : "");
  self->config->access_key_id = g_strdup (config->access_key_id);
  self->config->secret_access_key = g_strdup (config->secret_access_key);
  self->endpoint = trim_slash (config->endpoint);
  self->public_url = trim_slash (config->public_url);

  {
    g_autoptr(GUri) uri = g_uri_parse (self->endpoint, G_URI_FLAGS_NONE, NULL);

    if (uri != NULL && oip_url_host_is_loopback (g_uri_get_host (uri)))
      {
        g_autoptr(GProxyResolver) direct = g_simple_proxy_resolver_new (NULL, NULL);

        soup_session_set_proxy_resolver (self->session, direct);
      }
  }
  return self;
}

void
oip_s3_client_set_max_retries (OipS3Client *self,
                               guint        max_retries)
{
  g_return_if_fail (OIP_IS_S3_CLIENT (self));
  self->max_retries = max_retries;
}

/**
 * oip_s3_client_set_timeout:
 * @seconds: the deadline of one request, its retries included (see
 *   #OipS3Client); 30 by default
 */
void
oip_s3_client_set_timeout (OipS3Client *self,
                           guint        seconds)
{
  g_return_if_fail (OIP_IS_S3_CLIENT (self));
  g_return_if_fail (seconds > 0);
  self->timeout = seconds;
  soup_session_set_timeout (self->session, seconds);
}

void
oip_s3_client_set_retry_delay (OipS3Client *self,
                               guint        milliseconds)
{
  g_return_if_fail (OIP_IS_S3_CLIENT (self));
  self->retry_delay_ms = MAX (milliseconds, 1);
}

/**
 * oip_s3_client_hash:
 * @content: a picture
 *
 * The SHA-256 that names an object and signs its upload, computed with
 * libgcrypt (which libsecret links too): it uses the CPU's SHA
 * instructions where there are some, several times faster than
 * GChecksum (5 MB: 4 ms instead of 25 ms here). Safe from any thread.
 *
 * Returns: (transfer full): the SHA-256 of @content in lower-case hex
 */
char *
oip_s3_client_hash (GBytes *content)
{
  guint8 digest[32];
  char *hex = g_malloc (2 * sizeof digest + 1);
  gsize length = 0;
  const guint8 *data;

  g_return_val_if_fail (content != NULL, NULL);

  hash_init ();
  data = g_bytes_get_data (content, &length);
  gcry_md_hash_buffer (GCRY_MD_SHA256, digest, length > 0 ? data : (const guint8 *) "", length);
  for (guint i = 0; i < sizeof digest; i++)
    {
      hex[2 * i] = "0123456789abcdef"[digest[i] >> 4];
      hex[2 * i + 1] = "0123456789abcdef"[digest[i] & 15];
    }
  hex[2 * sizeof digest] = '\0';
  return hex;
}

/**
 * oip_s3_client_key_for:
 *
 * Returns: (transfer full): the object name for @content: the prefix, its
 *   SHA-256 and @extension
 */
char *
oip_s3_client_key_for (OipS3Client *self,
                       GBytes      *content,
                       const char  *extension)
{
  g_autofree char *hash = oip_s3_client_hash (content);

  return g_strconcat (self->config->prefix, hash, extension ? extension : "", NULL);
}

/**
 * oip_s3_client_public_url:
 *
 * Returns: (transfer full): where Ozon will fetch the object from
 */
char *
oip_s3_client_public_url (OipS3Client *self,
                          const char  *key)
{
  g_autofree char *escaped = g_uri_escape_string (key, "/", FALSE);

  return g_strdup_printf ("%s/%s", self->public_url, escaped);
}

typedef struct
{
  GBytes            *content;
  char              *content_type;
  char              *key;
  char              *hash;
  OipS3ProgressFunc  progress;
  gpointer           progress_data;
  gboolean           uploaded;
} Upload;

static void
upload_free (Upload *upload)
{
  g_bytes_unref (upload->content);
  g_free (upload->content_type);
  g_free (upload->key);
  g_free (upload->hash);
  g_free (upload);
}

static void
on_put (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OipS3Client *self = OIP_S3_CLIENT (source);
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!s3_request_finish_ok (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  upload->uploaded = TRUE;
  g_task_return_pointer (task, oip_s3_client_public_url (self, upload->key), g_free);
}

static void
on_head (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OipS3Client *self = OIP_S3_CLIENT (source);
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint status = s3_request_finish (result, &error);

  if (status == 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Already there: the same content under the same name. */
  if (status == SOUP_STATUS_OK)
    {
      if (upload->progress != NULL)
        upload->progress (g_bytes_get_size (upload->content), g_bytes_get_size (upload->content), upload->progress_data);
      g_task_return_pointer (task, oip_s3_client_public_url (self, upload->key), g_free);
      return;
    }

  /* 404, or 403 from stores that hide absent keys without list rights:
   * the PUT tells which. */
  s3_request_async (self, "PUT", upload->key, upload->content, upload->hash, upload->content_type,
                    upload->progress, upload->progress_data,
                    g_task_get_cancellable (task), on_put, g_object_ref (task));
}

/**
 * oip_s3_client_upload_async:
 * @content: the picture
 * @content_sha256: (nullable): its SHA-256 in hex, when already known (it
 *   names the object and signs the upload); computed otherwise
 * @content_type: its MIME type, from its content
 * @extension: `.jpg` or `.png`
 * @progress: (nullable): called as the body is sent
 *
 * Uploads @content unless an object with its hash is already there.
 */
void
oip_s3_client_upload_async (OipS3Client         *self,
                            GBytes              *content,
                            const char          *content_sha256,
                            const char          *content_type,
                            const char          *extension,
                            OipS3ProgressFunc    progress,
                            gpointer             progress_data,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Upload *upload = g_new0 (Upload, 1);

  g_return_if_fail (OIP_IS_S3_CLIENT (self));

  g_task_set_source_tag (task, oip_s3_client_upload_async);
  upload->content = g_bytes_ref (content);
  upload->content_type = g_strdup (content_type);
  upload->hash = content_sha256 ? g_strdup (content_sha256) : oip_s3_client_hash (content);
  upload->key = g_strconcat (self->config->prefix, upload->hash, extension ? extension : "", NULL);
  upload->progress = progress;
  upload->progress_data = progress_data;
  g_task_set_task_data (task, upload, (GDestroyNotify) upload_free);

  s3_request_async (self, "HEAD", upload->key, NULL, NULL, NULL, NULL, NULL, cancellable, on_head, g_steal_pointer (&task));
}

/**
 * oip_s3_client_upload_finish:
 * @uploaded: (out) (optional): %FALSE when the object was already there
 *
 * Returns: (transfer full): the object's public URL
 */
char *
oip_s3_client_upload_finish (OipS3Client   *self,
                             GAsyncResult  *result,
                             gboolean      *uploaded,
                             GError       **error)
{
  Upload *upload;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  upload = g_task_get_task_data (G_TASK (result));
  if (uploaded != NULL)
    *uploaded = upload->uploaded;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Storage test: write a small object, read it back from the public
 * address (as Ozon would), delete it. */

typedef struct
{
  char        *key;
  GBytes      *content;
  SoupSession *reader;
  SoupMessage *message;
} Probe;

static void
probe_free (Probe *probe)
{
  g_free (probe->key);
  g_bytes_unref (probe->content);
  g_clear_object (&probe->message);
  g_clear_object (&probe->reader);
  g_free (probe);
}

static void
on_probe_deleted (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!s3_request_finish_ok (OIP_S3_CLIENT (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_probe_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OipS3Client *self = g_task_get_source_object (task);
  Probe *probe = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = oip_http_send_finish (SOUP_SESSION (source), result, &error);
  guint status = body ? soup_message_get_status (probe->message) : 0;
  g_autofree char *url = oip_s3_client_public_url (self, probe->key);
  GCancellable *cancellable;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (body == NULL || !SOUP_STATUS_IS_SUCCESSFUL (status) || !g_bytes_equal (body, probe->content))
    {
      g_autofree char *target = SOUP_STATUS_IS_REDIRECTION (status)
                                ? oip_http_redirect_target (probe->message, NULL) : NULL;

      /* Clean up all the same, then say what is wrong. */
      s3_request_async (self, "DELETE", probe->key, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
      if (SOUP_STATUS_IS_REDIRECTION (status))
        g_task_return_new_error (task, OIP_ERROR, OIP_ERROR_STORAGE,
                                 _("The test picture’s public address %s redirects to %s: Ozon needs direct links"),
                                 url, target ? target : "?");
      else
        g_task_return_new_error (task, OIP_ERROR, OIP_ERROR_STORAGE,
                                 _("The test picture was written but cannot be read at %s: is the bucket public, "
                                   "and is the public address right?"), url);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  s3_request_async (self, "DELETE", probe->key, NULL, NULL, NULL, NULL, NULL,
                    cancellable, on_probe_deleted, g_steal_pointer (&task));
}

static void
on_probe_written (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OipS3Client *self = OIP_S3_CLIENT (source);
  Probe *probe = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GCancellable *cancellable;

  if (!s3_request_finish_ok (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  url = oip_s3_client_public_url (self, probe->key);
  probe->message = soup_message_new (SOUP_METHOD_GET, url);
  probe->reader = soup_session_new ();
  soup_session_set_proxy_resolver (probe->reader, soup_session_get_proxy_resolver (self->session));
  cancellable = g_task_get_cancellable (task);
  oip_http_send_async (probe->reader, probe->message,
                       g_get_monotonic_time () + (gint64) self->timeout * G_USEC_PER_SEC, MAX_ANSWER,
                       cancellable, on_probe_read, g_steal_pointer (&task));
}

/**
 * oip_s3_client_test_async:
 *
 * What the Preferences' “Test Storage” and `ozon-push storage test` do.
 */
void
oip_s3_client_test_async (OipS3Client         *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Probe *probe = g_new0 (Probe, 1);
  g_autofree char *text = g_strdup_printf ("Ozon Image Push storage test %08x\n", g_random_int ());

  g_task_set_source_tag (task, oip_s3_client_test_async);
  probe->content = g_bytes_new (text, strlen (text));
  probe->key = g_strdup_printf ("%s.ozon-image-push-test-%08x.txt", self->config->prefix, g_random_int ());
  g_task_set_task_data (task, probe, (GDestroyNotify) probe_free);
  s3_request_async (self, "PUT", probe->key, probe->content, NULL, "text/plain", NULL, NULL,
                    cancellable, on_probe_written, g_steal_pointer (&task));
}

gboolean
oip_s3_client_test_finish (OipS3Client   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
