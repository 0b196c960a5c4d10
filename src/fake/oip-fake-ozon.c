/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <libsoup/soup.h>

#include "oip-fake-limits.h"
#include "oip-fake-ozon.h"

/**
 * OipFakeOzon:
 *
 * A loopback stand-in for the Ozon Seller API, for the tests and for the
 * app's `--demo`. It behaves like the real API as shared/ozon-api.md
 * describes it: it checks the Client-Id and Api-Key headers (401 when
 * missing, 403 with Ozon's message when wrong), keeps products and their
 * images, replaces a product's whole image set on import, leaves import
 * tasks pending for a few polls, fetches loopback image URLs for real and
 * marks the ones it cannot fetch as failed, pages product lists, answers
 * 410 for the switched-off v1 import, and can be told to misbehave.
 *
 * It also serves generated sample pictures under `/images/NAME.png`
 * (any NAME; one containing “missing” is a 404), and for the demo plays a
 * minimal S3 bucket (`/demo-bucket/KEY`, signatures not checked; the
 * storage tests use tests/fake-s3.js, which checks them) served publicly
 * at `/storage/KEY`, so the demo needs no network at all. Image URLs on other hosts cannot be fetched from here:
 * those ending in the reserved `.invalid` domain fail, others are taken.
 */
struct _OipFakeOzon
{
  GObject      parent_instance;

  SoupServer  *server;
  SoupSession *fetcher;
  char        *base_url;
  char        *client_id;
  char        *api_key;

  GPtrArray   *products;      /* FakeProduct */
  GHashTable  *by_offer_id;   /* offer_id → FakeProduct, the first added */
  GHashTable  *by_product_id; /* product_id in decimal → FakeProduct */
  GHashTable  *by_sku;        /* SKU in decimal → FakeProduct */
  GHashTable  *imports;       /* offer_id → how many accepted imports named it */
  GHashTable  *path_counts;   /* API path → requests received */
  gboolean     keep_requests;
  guint        storage_puts;
  OipFakeLimits limits;
  GHashTable  *tasks;         /* task id → FakeTask */
  gint64       next_task_id;
  GPtrArray   *faults;        /* FakeFault */
  GPtrArray   *requests;      /* OipFakeRequest */
  GHashTable  *image_cache;   /* name → GBytes */
  GHashTable  *bucket;        /* key → GBytes, the demo storage */
  GList       *slow_answers;  /* SlowAnswer, paused messages */
  GList       *streams;       /* Stream: drips, silences, endless bodies */

  guint        retry_after;
  guint        slow_ms;
  guint        pending_polls;
  guint        drip_ms;
  guint        all_requests;
  guint        credentialed;
  guint        import_delay_ms;
  gboolean     remember_addresses;
  GHashTable  *image_failures;  /* name → how many fetches still fail */
};

G_DEFINE_FINAL_TYPE (OipFakeOzon, oip_fake_ozon, G_TYPE_OBJECT)

#define MAX_IMPORT_IMAGES 50
#define SAMPLE_WIDTH 600
#define SAMPLE_HEIGHT 800

typedef struct
{
  gint64     product_id;
  char      *offer_id;
  gint64     sku;
  char      *name;
  GPtrArray *images;
  char      *color_image;
  GPtrArray *image_errors;   /* FakeImageError */
  GHashTable *seen;          /* every address the product ever had */
} FakeProduct;

typedef struct
{
  char *url;
  char *message;
} FakeImageError;

typedef struct
{
  char        *offer_id;
  gint64       product_id;
  GPtrArray   *images;
  char        *color_image;
  GPtrArray   *failed;        /* FakeImageError */
  GPtrArray   *errors;        /* char *, for import/info */
  const char  *status;
} FakeTaskItem;

typedef struct
{
  OipFakeOzon *fake;          /* unowned: tasks die with the fake */
  gint64       id;
  GPtrArray   *items;         /* FakeTaskItem, one per product imported */
  guint        polls_left;
  gint64       ready_at;      /* monotonic time before which it stays pending */
  guint        fetches_left;
  gboolean     polled;        /* someone follows it; else Ozon's queue settles it alone */
} FakeTask;

typedef struct
{
  char         *path;          /* NULL: any; ending in '/': a prefix */
  OipFakeFault  fault;
  guint         times;
  guint         status;        /* OIP_FAKE_FAULT_CANNED's answer */
  GStrv         headers;
  GBytes       *body;
} FakeFault;

static void
image_error_free (FakeImageError *error)
{
  g_free (error->url);
  g_free (error->message);
  g_free (error);
}

static FakeImageError *
image_error_new (const char *url,
                 const char *message)
{
  FakeImageError *error = g_new0 (FakeImageError, 1);

  error->url = g_strdup (url);
  error->message = g_strdup (message);
  return error;
}

static void
product_free (FakeProduct *product)
{
  g_free (product->offer_id);
  g_free (product->name);
  g_ptr_array_unref (product->images);
  g_free (product->color_image);
  g_ptr_array_unref (product->image_errors);
  g_hash_table_unref (product->seen);
  g_free (product);
}

static void
task_item_free (FakeTaskItem *item)
{
  g_free (item->offer_id);
  g_ptr_array_unref (item->images);
  g_free (item->color_image);
  g_ptr_array_unref (item->failed);
  g_ptr_array_unref (item->errors);
  g_free (item);
}

static void
task_free (FakeTask *task)
{
  g_ptr_array_unref (task->items);
  g_free (task);
}

static void
fault_free (FakeFault *fault)
{
  g_free (fault->path);
  g_strfreev (fault->headers);
  g_clear_pointer (&fault->body, g_bytes_unref);
  g_free (fault);
}

static void
request_free (OipFakeRequest *request)
{
  g_free (request->path);
  g_free (request->method);
  g_free (request->client_id);
  g_free (request->api_key);
  g_free (request->content_type);
  g_free (request->body_text);
  g_clear_pointer (&request->body, json_node_unref);
  g_free (request);
}

static FakeProduct *
find_product (OipFakeOzon *self,
              const char  *kind,
              const char  *value)
{
  GHashTable *index = g_str_equal (kind, "offer_id") ? self->by_offer_id
                      : g_str_equal (kind, "sku") ? self->by_sku : self->by_product_id;

  return g_hash_table_lookup (index, value);
}

static void
index_product (GHashTable *index,
               char       *key,
               FakeProduct *product)
{
  if (g_hash_table_contains (index, key))
    g_free (key);
  else
    g_hash_table_insert (index, key, product);
}

/* Responses */

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonNode          *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize length = 0;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, length);
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               int                code,
               const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "details");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  respond_json (msg, status, root);
}

static void
respond_raw (SoupServerMessage *msg,
             guint              status,
             const char        *content_type,
             const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
add_strings (JsonBuilder *builder,
             const char  *member,
             GPtrArray   *strings)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; strings != NULL && i < strings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (strings, i));
  json_builder_end_array (builder);
}

static void
add_single (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  json_builder_end_array (builder);
}

/* Sample images */

static GBytes *
render_sample (const char *name)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, SAMPLE_WIDTH, SAMPLE_HEIGHT);
  guint hash = g_str_hash (name);
  guint8 r = 60 + (hash & 0x7f), g = 60 + ((hash >> 8) & 0x7f), b = 60 + ((hash >> 16) & 0x7f);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  double cx = SAMPLE_WIDTH / 2.0, cy = SAMPLE_HEIGHT * (0.35 + ((hash >> 24) & 0x3f) / 200.0);
  double radius = SAMPLE_WIDTH * 0.28;
  gchar *buffer = NULL;
  gsize size = 0;

  /* A soft gradient with a pale disc: easy to tell apart as thumbnails. */
  for (int y = 0; y < SAMPLE_HEIGHT; y++)
    for (int x = 0; x < SAMPLE_WIDTH; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;
        double shade = 0.55 + 0.45 * (double) y / SAMPLE_HEIGHT;
        gboolean in_disc = (x - cx) * (x - cx) + (y - cy) * (y - cy) < radius * radius;

        p[0] = in_disc ? 245 : (guint8) (r * shade);
        p[1] = in_disc ? 240 : (guint8) (g * shade);
        p[2] = in_disc ? 230 : (guint8) (b * shade);
      }

  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", NULL, NULL))
    return NULL;
  return g_bytes_new_take (buffer, size);
}

static void
serve_image (OipFakeOzon       *self,
             SoupServerMessage *msg,
             const char        *path)
{
  g_autofree char *name = g_path_get_basename (path);
  GBytes *bytes;

  if (strstr (name, "missing") != NULL || !g_str_has_suffix (name, ".png"))
    {
      respond_raw (msg, SOUP_STATUS_NOT_FOUND, "text/plain", "not found");
      return;
    }
  /* A flaky image host: the first fetches fail. */
  if (GPOINTER_TO_UINT (g_hash_table_lookup (self->image_failures, name)) > 0)
    {
      guint left = GPOINTER_TO_UINT (g_hash_table_lookup (self->image_failures, name)) - 1;

      g_hash_table_insert (self->image_failures, g_strdup (name), GUINT_TO_POINTER (left));
      respond_raw (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "text/plain", "try later");
      return;
    }

  bytes = g_hash_table_lookup (self->image_cache, name);
  if (bytes == NULL)
    {
      /* No PNG encoder here (gdk-pixbuf without its loaders): a server
       * error, as a broken image host would give. */
      if ((bytes = render_sample (name)) == NULL)
        {
          respond_raw (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/plain", "cannot render");
          return;
        }
      g_hash_table_insert (self->image_cache, g_strdup (name), bytes);
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Import tasks */

static void
settle_item (OipFakeOzon  *self,
             FakeTaskItem *item)
{
  FakeProduct *product;
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);
  gboolean unchanged;

  if (item->status != NULL)
    return;

  product = find_product (self, "offer_id", item->offer_id);
  if (product == NULL)
    {
      item->status = "failed";
      g_ptr_array_add (item->errors, g_strdup ("product not found"));
      return;
    }

  for (guint i = 0; i < item->images->len; i++)
    {
      const char *url = g_ptr_array_index (item->images, i);
      gboolean failed = FALSE;

      for (guint j = 0; j < item->failed->len; j++)
        failed |= g_str_equal (((FakeImageError *) g_ptr_array_index (item->failed, j))->url, url);
      /* The pessimistic reading of “Ozon skips addresses it already has”:
       * an address the product once had is not fetched again unless the
       * product has it now. */
      if (self->remember_addresses && g_hash_table_contains (product->seen, url) &&
          !g_ptr_array_find_with_equal_func (product->images, url, g_str_equal, NULL))
        continue;
      if (!failed)
        g_ptr_array_add (kept, g_strdup (url));
    }

  unchanged = kept->len == product->images->len && item->failed->len == 0 &&
              g_strcmp0 (item->color_image, product->color_image) == 0;
  for (guint i = 0; unchanged && i < kept->len; i++)
    unchanged = g_str_equal (g_ptr_array_index (kept, i), g_ptr_array_index (product->images, i));

  if (item->images->len > 0 && kept->len == 0)
    {
      item->status = "failed";
      g_ptr_array_add (item->errors, g_strdup ("all_image_failed: could not download the photos by link"));
    }
  else
    item->status = unchanged ? "skipped" : "imported";

  /* Every import replaces the whole set, failed pictures included. */
  g_ptr_array_set_size (product->images, 0);
  g_ptr_array_extend (product->images, kept, (GCopyFunc) g_strdup, NULL);
  for (guint i = 0; i < kept->len; i++)
    g_hash_table_add (product->seen, g_strdup (g_ptr_array_index (kept, i)));
  g_free (product->color_image);
  product->color_image = g_strdup (item->color_image);
  /* Errors in the order the images were sent, whenever each fetch ended. */
  g_ptr_array_set_size (product->image_errors, 0);
  for (guint i = 0; i < item->images->len; i++)
    for (guint j = 0; j < item->failed->len; j++)
      {
        FakeImageError *failed = g_ptr_array_index (item->failed, j);

        if (g_str_equal (failed->url, g_ptr_array_index (item->images, i)))
          {
            g_ptr_array_add (product->image_errors, image_error_new (failed->url, failed->message));
            break;
          }
      }
}

static void
settle_task (FakeTask *task)
{
  for (guint i = 0; i < task->items->len; i++)
    settle_item (task->fake, g_ptr_array_index (task->items, i));
}

/* Ozon's queue works whether anyone asks or not: a task nobody follows
 * (its answer was lost) settles once its delay is over and its pictures
 * are fetched. A followed one keeps its first polls pending. */
static void
settle_unfollowed (OipFakeOzon *self)
{
  GHashTableIter iter;
  gpointer value;
  gint64 now = g_get_monotonic_time ();

  g_hash_table_iter_init (&iter, self->tasks);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      FakeTask *task = value;

      if (!task->polled && task->fetches_left == 0 && now >= task->ready_at)
        settle_task (task);
    }
}

typedef struct
{
  OipFakeOzon *fake;
  gint64       task_id;
  guint        item;
  char        *url;
} FetchData;

static void
on_image_fetched (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  FetchData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  FakeTask *task = g_hash_table_lookup (data->fake->tasks, &data->task_id);
  const char *type = msg ? soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL) : NULL;

  if (task != NULL)
    {
      FakeTaskItem *item = g_ptr_array_index (task->items, data->item);

      if (bytes == NULL || !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
        g_ptr_array_add (item->failed, image_error_new (data->url, "could not download the image by link"));
      else if (g_strcmp0 (type, "image/jpeg") != 0 && g_strcmp0 (type, "image/png") != 0)
        g_ptr_array_add (item->failed, image_error_new (data->url, "the file is not a JPG or PNG image"));
      task->fetches_left--;
    }

  g_object_unref (data->fake);
  g_free (data->url);
  g_free (data);
}

static void
fetch_image (FakeTask   *task,
             guint       index,
             const char *url)
{
  FakeTaskItem *item = g_ptr_array_index (task->items, index);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri ? g_uri_get_host (uri) : NULL;
  g_autoptr(GInetAddress) address = host ? g_inet_address_new_from_string (host) : NULL;
  g_autoptr(SoupMessage) msg = NULL;
  FetchData *data;

  if (host == NULL || g_str_has_suffix (host, ".invalid"))
    {
      g_ptr_array_add (item->failed, image_error_new (url, "could not download the image by link"));
      return;
    }

  /* Only loopback is ever contacted; elsewhere is taken on trust. */
  if (!(address != NULL && g_inet_address_get_is_loopback (address)) &&
      g_ascii_strcasecmp (host, "localhost") != 0)
    return;

  msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    {
      g_ptr_array_add (item->failed, image_error_new (url, "invalid link"));
      return;
    }

  data = g_new0 (FetchData, 1);
  data->fake = g_object_ref (task->fake);
  data->task_id = task->id;
  data->item = index;
  data->url = g_strdup (url);
  task->fetches_left++;
  soup_session_send_and_read_async (task->fake->fetcher, msg, G_PRIORITY_DEFAULT, NULL,
                                    on_image_fetched, data);
}

/* Handlers */

static gboolean
read_id_list (JsonObject *body,
              const char *member,
              GPtrArray  *out)
{
  JsonNode *node = json_object_get_member (body, member);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (node), i);

      if (!JSON_NODE_HOLDS_VALUE (item))
        return FALSE;
      if (json_node_get_value_type (item) == G_TYPE_STRING)
        g_ptr_array_add (out, g_strdup (json_node_get_string (item)));
      else
        g_ptr_array_add (out, g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (item)));
    }
  return TRUE;
}

static void
handle_info_list (OipFakeOzon       *self,
                  SoupServerMessage *msg,
                  JsonObject        *body)
{
  static const char *kinds[] = { "offer_id", "product_id", "sku" };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) values = NULL;
  const char *kind = NULL;
  guint n_kinds = 0;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (json_object_has_member (body, kinds[i]))
      {
        g_autoptr(GPtrArray) these = g_ptr_array_new_with_free_func (g_free);

        if (!read_id_list (body, kinds[i], these))
          {
            respond_error (msg, SOUP_STATUS_BAD_REQUEST, 3, "invalid identifier list");
            return;
          }
        if (these->len > 0)
          {
            n_kinds++;
            kind = kinds[i];
            g_clear_pointer (&values, g_ptr_array_unref);
            values = g_steal_pointer (&these);
          }
      }

  settle_unfollowed (self);
  if (n_kinds != 1 || values->len > 1000)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, 3,
                     "the request should contain an array of identifiers of one type");
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < values->len; i++)
    {
      FakeProduct *product = find_product (self, kind, g_ptr_array_index (values, i));

      if (product == NULL)
        continue;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, product->product_id);
      json_builder_set_member_name (builder, "offer_id");
      json_builder_add_string_value (builder, product->offer_id);
      json_builder_set_member_name (builder, "sku");
      json_builder_add_int_value (builder, product->sku);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, product->name);
      add_strings (builder, "images", product->images);
      /* As observed on the live API: the main image is images[0] and
       * primary_image is an empty array; images360 is still there, empty. */
      add_single (builder, "primary_image", NULL);
      add_single (builder, "color_image", product->color_image);
      add_single (builder, "images360", NULL);
      json_builder_set_member_name (builder, "statuses");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, "price_sent");
      json_builder_set_member_name (builder, "is_created");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "errors");
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  respond_json (msg, SOUP_STATUS_OK, root);
}

static void
handle_list (OipFakeOzon       *self,
             SoupServerMessage *msg,
             JsonObject        *body)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *last_id = json_object_get_string_member_with_default (body, "last_id", "");
  gint64 limit = json_object_get_int_member_with_default (body, "limit", 0);
  guint start = 0;
  guint end;

  if (limit < 1 || limit > 1000)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, 3, "limit must be between 1 and 1000");
      return;
    }

  /* The cursor is opaque to clients: base64 of the last product's index. */
  if (*last_id != '\0')
    {
      gsize length = 0;
      g_autofree guchar *decoded = g_base64_decode (last_id, &length);
      g_autofree char *text = g_strndup ((const char *) decoded, length);
      guint64 index = 0;

      if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &index, NULL))
        {
          respond_error (msg, SOUP_STATUS_BAD_REQUEST, 3, "invalid last_id");
          return;
        }
      start = index + 1;
    }
  end = MIN (self->products->len, start + (guint) limit);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "result");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = start; i < end; i++)
    {
      FakeProduct *product = g_ptr_array_index (self->products, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "product_id");
      json_builder_add_int_value (builder, product->product_id);
      json_builder_set_member_name (builder, "offer_id");
      json_builder_add_string_value (builder, product->offer_id);
      json_builder_set_member_name (builder, "sku");
      json_builder_add_int_value (builder, product->sku);
      json_builder_set_member_name (builder, "archived");
      json_builder_add_boolean_value (builder, FALSE);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "last_id");
  if (end > start)
    {
      g_autofree char *index = g_strdup_printf ("%u", end - 1);
      g_autofree char *cursor = g_base64_encode ((const guchar *) index, strlen (index));

      json_builder_add_string_value (builder, cursor);
    }
  else
    json_builder_add_string_value (builder, "");
  json_builder_set_member_name (builder, "total_items");
  json_builder_add_int_value (builder, self->products->len);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  respond_json (msg, SOUP_STATUS_OK, root);
}

/* One entry of an import's `items`, checked as Ozon's schema would;
 * %NULL with @message set when it is refused. */
static FakeTaskItem *
read_import_item (JsonArray  *items,
                  guint       index,
                  char      **message)
{
  JsonObject *item = JSON_NODE_HOLDS_OBJECT (json_array_get_element (items, index))
                     ? json_array_get_object_element (items, index) : NULL;
  const char *offer_id = item ? json_object_get_string_member_with_default (item, "offer_id", NULL) : NULL;
  JsonArray *images = NULL;
  const char *primary;
  FakeTaskItem *entry;

  if (offer_id == NULL || *offer_id == '\0')
    {
      *message = g_strdup_printf ("items[%u].offer_id: value is required", index);
      return NULL;
    }
  if (json_object_has_member (item, "images") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (item, "images")))
    images = json_object_get_array_member (item, "images");
  if (images != NULL && json_array_get_length (images) > MAX_IMPORT_IMAGES)
    {
      *message = g_strdup_printf ("items[%u].images: value must contain at most 50 items", index);
      return NULL;
    }
  if (json_object_has_member (item, "images360"))
    {
      *message = g_strdup_printf ("items[%u]: unknown field \"images360\"", index);
      return NULL;
    }

  entry = g_new0 (FakeTaskItem, 1);
  entry->offer_id = g_strdup (offer_id);
  entry->images = g_ptr_array_new_with_free_func (g_free);
  entry->failed = g_ptr_array_new_with_free_func ((GDestroyNotify) image_error_free);
  entry->errors = g_ptr_array_new_with_free_func (g_free);
  primary = json_object_get_string_member_with_default (item, "primary_image", NULL);
  if (primary != NULL && *primary != '\0')
    g_ptr_array_add (entry->images, g_strdup (primary));
  for (guint i = 0; images != NULL && i < json_array_get_length (images); i++)
    {
      const char *url = json_array_get_string_element (images, i);

      if (url != NULL && g_strcmp0 (url, primary) != 0)
        g_ptr_array_add (entry->images, g_strdup (url));
    }
  entry->color_image = g_strdup (json_object_get_string_member_with_default (item, "color_image", NULL));
  if (entry->color_image != NULL && *entry->color_image == '\0')
    g_clear_pointer (&entry->color_image, g_free);
  return entry;
}

/* 429 for the picture import's item limits, with Ozon's headers. */
static void
respond_item_limit (OipFakeOzon         *self,
                    SoupServerMessage   *msg,
                    OipFakeLimitVerdict  verdict)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  guint minutes = oip_fake_limits_retry_minutes (&self->limits, verdict);
  guint left = verdict == OIP_FAKE_LIMIT_PER_DAY ? 0 : oip_fake_limits_minute_left (&self->limits);
  g_autofree char *retry = g_strdup_printf ("%u", minutes);
  g_autofree char *remaining = g_strdup_printf ("%u", left);
  g_autofree char *body = NULL;

  soup_message_headers_replace (headers, "Item-Retry-After", retry);
  soup_message_headers_replace (headers, "Item-Rate-Limit-Remaining", remaining);
  /* The daily message's wording is not documented [UNCONFIRMED]; the
   * per-minute one is the documented example's. */
  if (verdict == OIP_FAKE_LIMIT_PER_DAY)
    body = g_strdup ("{\"code\":\"RESOURCE_EXHAUSTED\",\"message\":\"You have reached the daily limit of "
                     "operation items. The limit resets at 03:00 Moscow time\"}");
  else
    body = g_strdup_printf ("{\"code\":\"RESOURCE_EXHAUSTED\",\"message\":\"You have reached operation items "
                            "limits. Retry after %u seconds. Remaining %u items\"}",
                            (oip_fake_limits_ms_to_next_minute (&self->limits) + 999) / 1000, left);
  respond_raw (msg, 429, "application/json", body);
}

static void
handle_import (OipFakeOzon       *self,
               SoupServerMessage *msg,
               JsonObject        *body)
{
  JsonArray *items = json_object_has_member (body, "items") &&
                     JSON_NODE_HOLDS_ARRAY (json_object_get_member (body, "items"))
                     ? json_object_get_array_member (body, "items") : NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) task_item_free);
  OipFakeLimitVerdict verdict;
  FakeTask *task;

  if (items == NULL || json_array_get_length (items) < 1 || json_array_get_length (items) > 100)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, 3, "items: value must contain between 1 and 100 items");
      return;
    }
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autofree char *message = NULL;
      FakeTaskItem *entry = read_import_item (items, i, &message);

      if (entry == NULL)
        {
          respond_error (msg, SOUP_STATUS_BAD_REQUEST, 3, message);
          return;
        }
      g_ptr_array_add (entries, entry);
    }

  verdict = oip_fake_limits_take_items (&self->limits, entries->len);
  if (verdict != OIP_FAKE_LIMIT_OK)
    {
      respond_item_limit (self, msg, verdict);
      return;
    }
  if (self->limits.items_per_minute > 0)
    {
      g_autofree char *left = g_strdup_printf ("%u", oip_fake_limits_minute_left (&self->limits));

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Item-Rate-Limit-Remaining", left);
    }

  task = g_new0 (FakeTask, 1);
  task->fake = self;
  task->id = self->next_task_id++;
  task->items = g_steal_pointer (&entries);
  task->polls_left = self->pending_polls;
  task->ready_at = g_get_monotonic_time () + (gint64) self->import_delay_ms * 1000;
  g_hash_table_insert (self->tasks, &task->id, task);
  for (guint i = 0; i < task->items->len; i++)
    {
      FakeTaskItem *entry = g_ptr_array_index (task->items, i);
      FakeProduct *product = find_product (self, "offer_id", entry->offer_id);

      entry->product_id = product ? product->product_id : 0;
      g_hash_table_insert (self->imports, g_strdup (entry->offer_id),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->imports, entry->offer_id)) + 1));
      for (guint j = 0; product != NULL && j < entry->images->len; j++)
        fetch_image (task, i, g_ptr_array_index (entry->images, j));
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "task_id");
  json_builder_add_int_value (builder, task->id);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  respond_json (msg, SOUP_STATUS_OK, root);
}

static void
add_task_item (JsonBuilder  *builder,
               FakeTaskItem *item)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "offer_id");
  json_builder_add_string_value (builder, item->offer_id);
  json_builder_set_member_name (builder, "product_id");
  json_builder_add_int_value (builder, item->product_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, item->status ? item->status : "pending");
  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  for (guint i = 0; item->status != NULL && i < item->errors->len; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, "all_image_failed");
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, g_ptr_array_index (item->errors, i));
      json_builder_set_member_name (builder, "level");
      json_builder_add_string_value (builder, "error");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
handle_import_info (OipFakeOzon       *self,
                    SoupServerMessage *msg,
                    JsonObject        *body)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonNode *id_node = json_object_get_member (body, "task_id");
  gint64 task_id = 0;
  FakeTask *task;

  if (id_node != NULL && JSON_NODE_HOLDS_VALUE (id_node))
    {
      if (json_node_get_value_type (id_node) == G_TYPE_STRING)
        g_ascii_string_to_signed (json_node_get_string (id_node), 10, 1, G_MAXINT64, &task_id, NULL);
      else if (json_node_get_value_type (id_node) == G_TYPE_INT64)
        task_id = json_node_get_int (id_node);
    }

  task = g_hash_table_lookup (self->tasks, &task_id);
  if (task == NULL)
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, 5, "task not found");
      return;
    }

  task->polled = TRUE;
  /* The first polls always see “pending”, like Ozon's queue. */
  if (task->polls_left > 0)
    task->polls_left--;
  else if (task->fetches_left == 0 && g_get_monotonic_time () >= task->ready_at)
    settle_task (task);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "result");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < task->items->len; i++)
    add_task_item (builder, g_ptr_array_index (task->items, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, task->items->len);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  respond_json (msg, SOUP_STATUS_OK, root);
}

static void
add_limit (JsonBuilder *builder,
           const char  *name,
           guint        limit,
           guint        usage,
           const char  *reset_at)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "limit");
  json_builder_add_int_value (builder, limit);
  json_builder_set_member_name (builder, "usage");
  json_builder_add_int_value (builder, usage);
  if (reset_at != NULL)
    {
      json_builder_set_member_name (builder, "reset_at");
      json_builder_add_string_value (builder, reset_at);
    }
  json_builder_end_object (builder);
}

/* `/v4/product/info/limit`: the quotas as this fake enforces them. */
static void
handle_limits (OipFakeOzon       *self,
               SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *reset_at = oip_fake_limits_reset_at ();

  json_builder_begin_object (builder);
  add_limit (builder, "daily_create", 1500, 0, reset_at);
  add_limit (builder, "daily_update", oip_fake_limits_daily_limit (&self->limits), self->limits.day_used, reset_at);
  add_limit (builder, "total", 20000, self->products->len, NULL);
  if (self->limits.items_per_minute > 0 && !self->limits.hide_minute)
    {
      json_builder_set_member_name (builder, "operation_limits");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "limit");
      json_builder_add_int_value (builder, self->limits.items_per_minute);
      json_builder_set_member_name (builder, "limit_type");
      json_builder_add_string_value (builder, "RATE_LIMIT_PER_MINUTE");
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  respond_json (msg, SOUP_STATUS_OK, root);
}

static void
handle_pictures_info (OipFakeOzon       *self,
                      SoupServerMessage *msg,
                      JsonObject        *body)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  if (!read_id_list (body, "product_id", ids) || ids->len == 0 || ids->len > 1000)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, 3, "product_id: value must contain between 1 and 1000 items");
      return;
    }
  settle_unfollowed (self);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < ids->len; i++)
    {
      FakeProduct *product = find_product (self, "product_id", g_ptr_array_index (ids, i));

      if (product == NULL)
        continue;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "product_id");
      json_builder_add_int_value (builder, product->product_id);
      /* As captured from the live API: every image in “photo”. */
      add_single (builder, "primary_photo", NULL);
      add_strings (builder, "photo", product->images);
      add_single (builder, "color_photo", product->color_image);
      json_builder_set_member_name (builder, "errors");
      json_builder_begin_array (builder);
      for (guint j = 0; j < product->image_errors->len; j++)
        {
          FakeImageError *error = g_ptr_array_index (product->image_errors, j);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "url");
          json_builder_add_string_value (builder, error->url);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, error->message);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  respond_json (msg, SOUP_STATUS_OK, root);
}

static gboolean
apply_fault (OipFakeOzon       *self,
             SoupServerMessage *msg,
             OipFakeFault       fault)
{
  g_autofree char *seconds = g_strdup_printf ("%u", self->retry_after);

  switch (fault)
    {
    case OIP_FAKE_FAULT_RATE_LIMIT:
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", seconds);
      respond_error (msg, 429, 8, "You have reached request rate limit per second");
      return TRUE;
    case OIP_FAKE_FAULT_ITEM_LIMIT:
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Item-Retry-After", "2");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Item-Rate-Limit-Remaining", "0");
      respond_raw (msg, 429, "application/json",
                   "{\"code\":\"RESOURCE_EXHAUSTED\",\"message\":\"You have reached operation items limits. "
                   "Retry after 120 seconds. Remaining 0 items\"}");
      return TRUE;
    case OIP_FAKE_FAULT_SERVER_ERROR:
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, 13, "Internal error");
      return TRUE;
    case OIP_FAKE_FAULT_BAD_GATEWAY_HTML:
      respond_raw (msg, SOUP_STATUS_BAD_GATEWAY, "text/html",
                   "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                   "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
      return TRUE;
    case OIP_FAKE_FAULT_MALFORMED_JSON:
      respond_raw (msg, SOUP_STATUS_OK, "application/json", "{\"result\": {\"items\": [");
      return TRUE;
    case OIP_FAKE_FAULT_GONE:
      respond_error (msg, SOUP_STATUS_GONE, 5, "obsolete method cannot be used");
      return TRUE;
    case OIP_FAKE_FAULT_ERROR_IN_200:
      respond_raw (msg, SOUP_STATUS_OK, "application/json",
                   "{\"error\":{\"code\":\"ACCESS_DENIED\",\"message\":\"Access denied\",\"data\":[]}}");
      return TRUE;
    case OIP_FAKE_FAULT_SLOW:
    default:
      return FALSE;
    }
}

static void
handle_storage (OipFakeOzon       *self,
                SoupServerMessage *msg,
                const char        *key)
{
  const char *method = soup_server_message_get_method (msg);
  GBytes *object = g_hash_table_lookup (self->bucket, key);

  if (g_str_equal (method, SOUP_METHOD_PUT))
    {
      self->storage_puts++;
      SoupMessageBody *body = soup_server_message_get_request_body (msg);

      g_hash_table_insert (self->bucket, g_strdup (key), g_bytes_new (body->data, body->length));
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    }
  else if (object == NULL)
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  else if (g_str_equal (method, SOUP_METHOD_DELETE))
    {
      g_hash_table_remove (self->bucket, key);
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
  else
    {
      const guint8 *data = g_bytes_get_data (object, NULL);
      gboolean png = g_bytes_get_size (object) > 4 && data[0] == 0x89;

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_message_headers_set_content_length (soup_server_message_get_response_headers (msg), g_bytes_get_size (object));
      if (!g_str_equal (method, SOUP_METHOD_HEAD))
        soup_server_message_set_response (msg, png ? "image/png" : "image/jpeg", SOUP_MEMORY_COPY,
                                          g_bytes_get_data (object, NULL), g_bytes_get_size (object));
    }
}

static void
route (OipFakeOzon       *self,
       SoupServerMessage *msg,
       const char        *path,
       JsonObject        *body)
{
  if (g_str_equal (path, "/v3/product/info/list"))
    handle_info_list (self, msg, body);
  else if (g_str_equal (path, "/v3/product/list"))
    handle_list (self, msg, body);
  else if (g_str_equal (path, "/v2/product/pictures/import"))
    handle_import (self, msg, body);
  else if (g_str_equal (path, "/v1/product/import/info"))
    handle_import_info (self, msg, body);
  else if (g_str_equal (path, "/v2/product/pictures/info"))
    handle_pictures_info (self, msg, body);
  else if (g_str_equal (path, "/v4/product/info/limit"))
    handle_limits (self, msg);
  else if (g_str_equal (path, "/v1/product/pictures/import") ||
           g_str_equal (path, "/v1/product/pictures/info"))
    respond_error (msg, SOUP_STATUS_GONE, 5, "obsolete method cannot be used");
  else
    respond_error (msg, SOUP_STATUS_NOT_FOUND, 5, "Not Found");
}

/* Hostile answers: a canned one, or a body that never ends. */

typedef struct
{
  OipFakeOzon       *fake;    /* unowned: the fake frees what is left */
  SoupServerMessage *msg;
  OipFakeFault       kind;
  guint              timer_id;
  gulong             finished_id;
  gulong             disconnected_id;
  gulong             wrote_id;
} Stream;

static void
stream_free (Stream *stream)
{
  g_clear_handle_id (&stream->timer_id, g_source_remove);
  g_clear_signal_handler (&stream->finished_id, stream->msg);
  g_clear_signal_handler (&stream->disconnected_id, stream->msg);
  g_clear_signal_handler (&stream->wrote_id, stream->msg);
  stream->fake->streams = g_list_remove (stream->fake->streams, stream);
  g_object_unref (stream->msg);
  g_free (stream);
}

static void
on_stream_over (SoupServerMessage *msg,
                gpointer           user_data)
{
  stream_free (user_data);
}

static gboolean
on_drip (gpointer user_data)
{
  Stream *stream = user_data;

  soup_message_body_append (soup_server_message_get_response_body (stream->msg), SOUP_MEMORY_STATIC, " ", 1);
  soup_server_message_unpause (stream->msg);
  return G_SOURCE_CONTINUE;
}

static void
on_wrote_chunk (SoupServerMessage *msg,
                gpointer           user_data)
{
  static char spaces[64 * 1024];

  if (spaces[0] == '\0')
    memset (spaces, ' ', sizeof spaces);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            spaces, sizeof spaces);
}

static void
start_stream (OipFakeOzon       *self,
              SoupServerMessage *msg,
              OipFakeFault       kind)
{
  Stream *stream = g_new0 (Stream, 1);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  stream->fake = self;
  stream->msg = g_object_ref (msg);
  stream->kind = kind;
  self->streams = g_list_prepend (self->streams, stream);
  stream->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_stream_over), stream);
  stream->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (on_stream_over), stream);

  if (kind == OIP_FAKE_FAULT_SILENCE)
    {
      soup_server_message_pause (msg);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, "application/json", NULL);
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_append (body, SOUP_MEMORY_STATIC, "{\"items\":[", 10);
  if (kind == OIP_FAKE_FAULT_DRIP)
    stream->timer_id = g_timeout_add (self->drip_ms, on_drip, stream);
  else
    stream->wrote_id = g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_wrote_chunk), NULL);
}

static void
respond_canned (SoupServerMessage *msg,
                FakeFault         *fault)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *content_type = NULL;

  for (guint i = 0; fault->headers != NULL && fault->headers[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (fault->headers[i], ":", 2);

      if (pair[1] == NULL)
        continue;
      g_strstrip (pair[0]);
      g_strstrip (pair[1]);
      if (g_ascii_strcasecmp (pair[0], "Content-Type") == 0)
        {
          g_free (content_type);
          content_type = g_strdup (pair[1]);
        }
      else
        soup_message_headers_append (headers, pair[0], pair[1]);
    }

  soup_server_message_set_status (msg, fault->status, NULL);
  soup_server_message_set_response (msg, content_type ? content_type : "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (fault->body, NULL), g_bytes_get_size (fault->body));
}

/* The faults that answer before the credentials are looked at. */
static gboolean
is_raw (OipFakeFault fault)
{
  return fault >= OIP_FAKE_FAULT_CANNED && fault <= OIP_FAKE_FAULT_ENDLESS;
}

static gboolean
fault_matches (FakeFault  *fault,
               const char *path)
{
  if (fault->path == NULL)
    return TRUE;
  if (g_str_has_suffix (fault->path, "/"))
    return g_str_has_prefix (path, fault->path);
  return g_str_equal (fault->path, path);
}

/* The faults that stand in front of everything, credentials or not. */
static gboolean
apply_raw_fault (OipFakeOzon       *self,
                 SoupServerMessage *msg,
                 const char        *path)
{
  for (guint i = 0; i < self->faults->len; i++)
    {
      FakeFault *entry = g_ptr_array_index (self->faults, i);

      if (!is_raw (entry->fault) || !fault_matches (entry, path))
        continue;

      if (entry->fault == OIP_FAKE_FAULT_CANNED)
        respond_canned (msg, entry);
      else
        start_stream (self, msg, entry->fault);
      if (--entry->times == 0)
        g_ptr_array_remove_index (self->faults, i);
      return TRUE;
    }
  return FALSE;
}

typedef struct
{
  OipFakeOzon       *fake;    /* unowned: the fake frees what is left */
  SoupServerMessage *msg;
  char              *path;
  JsonNode          *body;
  guint              timeout_id;
  gulong             disconnected_id;
  gboolean           acted;   /* answered already, only held back */
} SlowAnswer;

static void
slow_answer_free (SlowAnswer *slow)
{
  g_clear_handle_id (&slow->timeout_id, g_source_remove);
  g_clear_signal_handler (&slow->disconnected_id, slow->msg);
  slow->fake->slow_answers = g_list_remove (slow->fake->slow_answers, slow);
  g_object_unref (slow->msg);
  g_free (slow->path);
  json_node_unref (slow->body);
  g_free (slow);
}

static gboolean
on_slow_timeout (gpointer user_data)
{
  SlowAnswer *slow = user_data;

  slow->timeout_id = 0;
  if (!slow->acted)
    route (slow->fake, slow->msg, slow->path, json_node_get_object (slow->body));
  soup_server_message_unpause (slow->msg);
  slow_answer_free (slow);
  return G_SOURCE_REMOVE;
}

static void
on_slow_disconnected (SoupServerMessage *msg,
                      gpointer           user_data)
{
  slow_answer_free (user_data);
}

/* Keeps @request (for tests to read), or only counts it. */
static void
log_request (OipFakeOzon    *self,
             OipFakeRequest *request)
{
  g_hash_table_insert (self->path_counts, g_strdup (request->path),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->path_counts, request->path)) + 1));
  if (self->keep_requests)
    g_ptr_array_add (self->requests, request);
  else
    request_free (request);
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  OipFakeOzon *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  const char *client_id = soup_message_headers_get_one (headers, "Client-Id");
  const char *api_key = soup_message_headers_get_one (headers, "Api-Key");
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) body = NULL;
  OipFakeRequest *request;
  gboolean method_ok;
  gboolean has_body;

  self->all_requests++;
  if (client_id != NULL || api_key != NULL || soup_message_headers_get_one (headers, "Authorization") != NULL)
    self->credentialed++;
  if (apply_raw_fault (self, msg, path))
    {
      if (g_str_has_prefix (path, "/v"))
        {
          request = g_new0 (OipFakeRequest, 1);
          request->path = g_strdup (path);
          request->method = g_strdup (soup_server_message_get_method (msg));
          request->client_id = g_strdup (client_id);
          request->api_key = g_strdup (api_key);
          request->content_type = g_strdup (content_type);
          request->body_text = g_strndup (request_body->data, request_body->length);
          log_request (self, request);
        }
      return;
    }

  if (g_str_has_prefix (path, "/images/") &&
      g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_GET))
    {
      serve_image (self, msg, path);
      return;
    }
  if (g_str_has_prefix (path, "/demo-bucket/") || g_str_has_prefix (path, "/storage/"))
    {
      /* Public reads only from /storage/. */
      if (g_str_has_prefix (path, "/storage/") &&
          !g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_GET))
        soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      else
        handle_storage (self, msg, strchr (path + 1, '/') + 1);
      return;
    }

  request = g_new0 (OipFakeRequest, 1);
  request->path = g_strdup (path);
  request->method = g_strdup (soup_server_message_get_method (msg));
  request->client_id = g_strdup (client_id);
  request->api_key = g_strdup (api_key);
  request->content_type = g_strdup (content_type);
  request->body_text = g_strndup (request_body->data, request_body->length);
  if (json_parser_load_from_data (parser, request->body_text, -1, NULL) &&
      json_parser_get_root (parser) != NULL &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    request->body = json_parser_steal_root (parser);
  method_ok = g_str_equal (request->method, SOUP_METHOD_POST);
  has_body = request->body != NULL;
  body = has_body ? json_node_ref (request->body) : NULL;
  log_request (self, request);

  if (!method_ok)
    {
      respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, 12, "method is not allowed");
      return;
    }
  if (client_id == NULL || *client_id == '\0' || api_key == NULL || *api_key == '\0')
    {
      respond_error (msg, SOUP_STATUS_UNAUTHORIZED, 16, "Client-Id and Api-Key headers are required");
      return;
    }
  if (!g_str_equal (client_id, self->client_id) || !g_str_equal (api_key, self->api_key))
    {
      respond_error (msg, SOUP_STATUS_FORBIDDEN, 7, "Invalid Api-Key, please check the key and try again");
      return;
    }
  if (!oip_fake_limits_take_request (&self->limits))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      respond_error (msg, 429, 8, "You have reached request rate limit per second");
      return;
    }
  if (g_strcmp0 (content_type, "application/json") != 0)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, 3, "Content-Type must be application/json");
      return;
    }
  if (!has_body)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, 3, "invalid JSON body");
      return;
    }

  for (guint i = 0; i < self->faults->len; i++)
    {
      FakeFault *entry = g_ptr_array_index (self->faults, i);
      OipFakeFault fault = entry->fault;

      if (is_raw (fault) || (entry->path != NULL && !g_str_equal (entry->path, path)))
        continue;

      if (--entry->times == 0)
        g_ptr_array_remove_index (self->faults, i);

      if (fault == OIP_FAKE_FAULT_SLOW || fault == OIP_FAKE_FAULT_LATE_ANSWER)
        {
          SlowAnswer *slow = g_new0 (SlowAnswer, 1);

          if (fault == OIP_FAKE_FAULT_LATE_ANSWER)
            {
              route (self, msg, path, json_node_get_object (body));
              slow->acted = TRUE;
            }

          slow->fake = self;
          self->slow_answers = g_list_prepend (self->slow_answers, slow);
          slow->msg = g_object_ref (msg);
          slow->path = g_strdup (path);
          slow->body = json_node_ref (body);
          slow->timeout_id = g_timeout_add (self->slow_ms, on_slow_timeout, slow);
          slow->disconnected_id = g_signal_connect (msg, "disconnected",
                                                    G_CALLBACK (on_slow_disconnected), slow);
          soup_server_message_pause (msg);
          return;
        }
      if (apply_fault (self, msg, fault))
        return;
      break;
    }

  route (self, msg, path, json_node_get_object (body));
}

static void
oip_fake_ozon_finalize (GObject *object)
{
  OipFakeOzon *self = (OipFakeOzon *)object;

  while (self->slow_answers != NULL)
    slow_answer_free (self->slow_answers->data);
  while (self->streams != NULL)
    stream_free (self->streams->data);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->fetcher);
  g_free (self->base_url);
  g_free (self->client_id);
  g_free (self->api_key);
  g_ptr_array_unref (self->products);
  g_hash_table_unref (self->by_offer_id);
  g_hash_table_unref (self->by_product_id);
  g_hash_table_unref (self->by_sku);
  g_hash_table_unref (self->imports);
  g_hash_table_unref (self->path_counts);
  oip_fake_limits_clear (&self->limits);
  g_hash_table_unref (self->tasks);
  g_ptr_array_unref (self->faults);
  g_ptr_array_unref (self->requests);
  g_hash_table_unref (self->image_cache);
  g_hash_table_unref (self->image_failures);
  g_hash_table_unref (self->bucket);

  G_OBJECT_CLASS (oip_fake_ozon_parent_class)->finalize (object);
}

static void
oip_fake_ozon_class_init (OipFakeOzonClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oip_fake_ozon_finalize;
}

static void
oip_fake_ozon_init (OipFakeOzon *self)
{
  self->products = g_ptr_array_new_with_free_func ((GDestroyNotify) product_free);
  self->by_offer_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->by_product_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->by_sku = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->imports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->path_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->keep_requests = TRUE;
  oip_fake_limits_init (&self->limits);
  self->tasks = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) task_free);
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  self->image_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  self->image_failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->bucket = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  self->next_task_id = 881234567;
  self->retry_after = 1;
  self->slow_ms = 3000;
  self->pending_polls = 2;
  self->drip_ms = 500;
  {
    g_autoptr(GProxyResolver) direct = g_simple_proxy_resolver_new (NULL, NULL);

    /* It only ever fetches from loopback: never through a proxy. */
    self->fetcher = soup_session_new_with_options ("timeout", 10, "proxy-resolver", direct, NULL);
  }
}

/**
 * oip_fake_ozon_new:
 * @client_id: the Client-Id it accepts
 * @api_key: the Api-Key it accepts
 *
 * Returns: (transfer full): a fake with no products; start it with
 *   oip_fake_ozon_start()
 */
OipFakeOzon *
oip_fake_ozon_new (const char *client_id,
                   const char *api_key)
{
  OipFakeOzon *self = g_object_new (OIP_TYPE_FAKE_OZON, NULL);

  self->client_id = g_strdup (client_id);
  self->api_key = g_strdup (api_key);
  return self;
}

/**
 * oip_fake_ozon_start:
 *
 * Listens on 127.0.0.1, on a port the system picks.
 */
gboolean
oip_fake_ozon_start (OipFakeOzon  *self,
                     GError      **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  GSList *uris;

  g_return_val_if_fail (OIP_IS_FAKE_OZON (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  self->server = soup_server_new ("server-header", "ozon-fake", NULL);
  soup_server_add_handler (self->server, NULL, handle_request, self, NULL);
  if (!soup_server_listen (self->server, address, 0, error))
    return FALSE;

  uris = soup_server_get_uris (self->server);
  self->base_url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  return TRUE;
}

const char *
oip_fake_ozon_get_base_url (OipFakeOzon *self)
{
  g_return_val_if_fail (OIP_IS_FAKE_OZON (self), NULL);
  return self->base_url;
}

void
oip_fake_ozon_add_product (OipFakeOzon        *self,
                           gint64              product_id,
                           const char         *offer_id,
                           gint64              sku,
                           const char         *name,
                           const char * const *images)
{
  FakeProduct *product = g_new0 (FakeProduct, 1);

  g_return_if_fail (OIP_IS_FAKE_OZON (self));

  product->product_id = product_id;
  product->offer_id = g_strdup (offer_id);
  product->sku = sku;
  product->name = g_strdup (name);
  product->images = g_ptr_array_new_with_free_func (g_free);
  product->image_errors = g_ptr_array_new_with_free_func ((GDestroyNotify) image_error_free);
  product->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; images != NULL && images[i] != NULL; i++)
    {
      g_ptr_array_add (product->images, g_strdup (images[i]));
      g_hash_table_add (product->seen, g_strdup (images[i]));
    }
  g_ptr_array_add (self->products, product);
  index_product (self->by_offer_id, g_strdup (offer_id), product);
  index_product (self->by_product_id, g_strdup_printf ("%" G_GINT64_FORMAT, product_id), product);
  index_product (self->by_sku, g_strdup_printf ("%" G_GINT64_FORMAT, sku), product);
}

/**
 * oip_fake_ozon_image_url:
 * @name: a picture name, without extension
 *
 * Returns: (transfer full): the URL of a generated sample picture
 */
char *
oip_fake_ozon_image_url (OipFakeOzon *self,
                         const char  *name)
{
  g_return_val_if_fail (self->base_url != NULL, NULL);
  return g_strdup_printf ("%s/images/%s.png", self->base_url, name);
}

/**
 * oip_fake_ozon_add_sample_products:
 *
 * The demo's catalogue; call after oip_fake_ozon_start() so the pictures
 * point at this server.
 */
void
oip_fake_ozon_add_sample_products (OipFakeOzon *self)
{
  static const struct {
    gint64 product_id;
    const char *offer_id;
    gint64 sku;
    const char *name;
    const char *images[4];
  } samples[] = {
    { 214365879, "ART-1001", 1733002211, "Ceramic mug 350 ml", { "mug-front", "mug-side", "mug-box", NULL } },
    { 214365880, "ART-1002", 1733002212, "Linen tote bag", { "tote-front", "tote-detail", NULL } },
    { 214365881, "ART-1003", 1733002213, "Oak desk lamp", { "lamp-on", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) images = NULL;

      for (guint j = 0; samples[i].images[j] != NULL; j++)
        {
          g_autofree char *url = oip_fake_ozon_image_url (self, samples[i].images[j]);

          g_strv_builder_add (builder, url);
        }
      images = g_strv_builder_end (builder);
      oip_fake_ozon_add_product (self, samples[i].product_id, samples[i].offer_id, samples[i].sku,
                                 samples[i].name, (const char * const *) images);
    }
}

/**
 * oip_fake_ozon_get_product_images:
 *
 * Returns: (transfer none) (nullable): the product's images as the fake
 *   holds them; %NULL-terminated
 */
const char * const *
oip_fake_ozon_get_product_images (OipFakeOzon *self,
                                  gint64       product_id)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, product_id);
  FakeProduct *product = find_product (self, "product_id", id);

  if (product == NULL)
    return NULL;
  /* Keep the array NULL-terminated for callers that walk it. */
  g_ptr_array_add (product->images, NULL);
  g_ptr_array_set_size (product->images, product->images->len - 1);
  return (const char * const *) product->images->pdata;
}

/**
 * oip_fake_ozon_inject:
 * @path: (nullable): the method to misbehave on; %NULL for any
 * @fault: what to do instead of answering
 * @times: for how many requests
 */
void
oip_fake_ozon_inject (OipFakeOzon  *self,
                      const char   *path,
                      OipFakeFault  fault,
                      guint         times)
{
  FakeFault *entry = g_new0 (FakeFault, 1);

  g_return_if_fail (times > 0);

  entry->path = g_strdup (path);
  entry->fault = fault;
  entry->times = times;
  g_ptr_array_add (self->faults, entry);
}

/**
 * oip_fake_ozon_inject_answer:
 * @path: (nullable): the path to answer so; %NULL for any, one ending in
 *   `/` for every path under it
 * @status: the HTTP status
 * @headers: (nullable) (array zero-terminated=1): `Name: value` lines
 *   (Content-Type among them, else application/json)
 * @body: (array length=length): the body, as is (any bytes)
 * @length: its length, or -1 if NUL-terminated
 * @times: for how many requests
 *
 * Answers exactly this, whatever was asked, before any check of the
 * credentials.
 */
void
oip_fake_ozon_inject_answer (OipFakeOzon        *self,
                             const char         *path,
                             guint               status,
                             const char * const *headers,
                             const char         *body,
                             gssize              length,
                             guint               times)
{
  FakeFault *entry = g_new0 (FakeFault, 1);

  g_return_if_fail (times > 0);

  entry->path = g_strdup (path);
  entry->fault = OIP_FAKE_FAULT_CANNED;
  entry->times = times;
  entry->status = status;
  entry->headers = g_strdupv ((char **) headers);
  entry->body = g_bytes_new (body, length < 0 ? strlen (body) : (gsize) length);
  g_ptr_array_add (self->faults, entry);
}

/**
 * oip_fake_ozon_clear_faults:
 *
 * Forgets every fault and canned answer still to come.
 */
void
oip_fake_ozon_clear_faults (OipFakeOzon *self)
{
  g_ptr_array_set_size (self->faults, 0);
}

/**
 * oip_fake_ozon_set_drip_interval:
 * @milliseconds: time between the bytes of %OIP_FAKE_FAULT_DRIP
 */
void
oip_fake_ozon_set_drip_interval (OipFakeOzon *self,
                                 guint        milliseconds)
{
  self->drip_ms = MAX (milliseconds, 1);
}

/**
 * oip_fake_ozon_count_all_requests:
 *
 * Returns: every request received on any path (images and storage too)
 */
guint
oip_fake_ozon_count_all_requests (OipFakeOzon *self)
{
  return self->all_requests;
}

/**
 * oip_fake_ozon_count_credentialed:
 *
 * Returns: the requests that carried a Client-Id, an Api-Key or an
 *   Authorization header, on any path
 */
guint
oip_fake_ozon_count_credentialed (OipFakeOzon *self)
{
  return self->credentialed;
}

void
oip_fake_ozon_set_retry_after (OipFakeOzon *self,
                               guint        seconds)
{
  self->retry_after = seconds;
}

void
oip_fake_ozon_set_slow_delay (OipFakeOzon *self,
                              guint        milliseconds)
{
  self->slow_ms = milliseconds;
}

void
oip_fake_ozon_set_pending_polls (OipFakeOzon *self,
                                 guint        polls)
{
  self->pending_polls = polls;
}

/**
 * oip_fake_ozon_get_requests:
 *
 * Returns: (transfer none) (element-type OipFakeRequest): every API
 *   request received, oldest first
 */
GPtrArray *
oip_fake_ozon_get_requests (OipFakeOzon *self)
{
  return self->requests;
}

guint
oip_fake_ozon_count_requests (OipFakeOzon *self,
                              const char  *path)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->path_counts, path));
}

/**
 * oip_fake_ozon_last_request:
 *
 * Returns: (transfer none) (nullable): the newest request to @path
 */
OipFakeRequest *
oip_fake_ozon_last_request (OipFakeOzon *self,
                            const char  *path)
{
  for (guint i = self->requests->len; i > 0; i--)
    {
      OipFakeRequest *request = g_ptr_array_index (self->requests, i - 1);

      if (g_str_equal (request->path, path))
        return request;
    }
  return NULL;
}

/**
 * oip_fake_ozon_set_product_images:
 *
 * Changes a product's images as if the seller had changed them elsewhere
 * (Ozon's portal, another computer).
 */
void
oip_fake_ozon_set_product_images (OipFakeOzon        *self,
                                  gint64              product_id,
                                  const char * const *images)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, product_id);
  FakeProduct *product;

  g_return_if_fail (OIP_IS_FAKE_OZON (self));
  product = find_product (self, "product_id", id);
  g_return_if_fail (product != NULL);
  g_ptr_array_set_size (product->images, 0);
  for (guint i = 0; images != NULL && images[i] != NULL; i++)
    {
      g_ptr_array_add (product->images, g_strdup (images[i]));
      g_hash_table_add (product->seen, g_strdup (images[i]));
    }
}

/**
 * oip_fake_ozon_set_remember_addresses:
 *
 * Plays the pessimistic reading of Ozon's “an unchanged address is not
 * fetched again”: an address a product once had is skipped on import
 * unless the product has it now.
 */
void
oip_fake_ozon_set_remember_addresses (OipFakeOzon *self,
                                      gboolean     remember)
{
  g_return_if_fail (OIP_IS_FAKE_OZON (self));
  self->remember_addresses = remember;
}

/**
 * oip_fake_ozon_set_import_delay:
 * @milliseconds: how long an import task stays pending, like Ozon's queue
 *   (on top of oip_fake_ozon_set_pending_polls())
 */
void
oip_fake_ozon_set_import_delay (OipFakeOzon *self,
                                guint        milliseconds)
{
  g_return_if_fail (OIP_IS_FAKE_OZON (self));
  self->import_delay_ms = milliseconds;
}

/**
 * oip_fake_ozon_fail_image:
 * @name: a sample picture's name, without extension
 * @times: how many of its next fetches fail (503)
 *
 * A flaky image host, for “Retry failed”.
 */
void
oip_fake_ozon_fail_image (OipFakeOzon *self,
                          const char  *name,
                          guint        times)
{
  g_return_if_fail (OIP_IS_FAKE_OZON (self));
  g_hash_table_insert (self->image_failures, g_strdup_printf ("%s.png", name), GUINT_TO_POINTER (times));
}

/**
 * oip_fake_ozon_set_limits:
 * @per_second: API requests a second the Client-Id may make (over any
 *   second); more get 429 with `Retry-After: 1`; 0 for no limit
 * @items_per_minute: products a minute that picture imports may name
 *   (Ozon's `operation_limits`); an import over it gets 429 with
 *   `Item-Retry-After` (minutes) and `Item-Rate-Limit-Remaining`; 0 for
 *   no limit
 * @items_per_day: products a day (Ozon's `daily_update`); an import over
 *   it gets 429 with Ozon's daily-limit message; 0 for no limit
 *
 * Ozon's limits, all off by default. `/v4/product/info/limit` reports
 * them. Setting them starts a new minute, and keeps the day's count.
 */
void
oip_fake_ozon_set_limits (OipFakeOzon *self,
                          guint        per_second,
                          guint        items_per_minute,
                          guint        items_per_day)
{
  g_return_if_fail (OIP_IS_FAKE_OZON (self));
  self->limits.per_second = per_second;
  self->limits.items_per_minute = items_per_minute;
  self->limits.items_per_day = items_per_day;
  self->limits.epoch = g_get_monotonic_time ();
  self->limits.window = 0;
  self->limits.minute_used = 0;
}

/**
 * oip_fake_ozon_set_minute_ms:
 * @milliseconds: how long this fake's “minute” is, for the per-minute
 *   item limit and its `Item-Retry-After`; 60000 by default
 */
void
oip_fake_ozon_set_minute_ms (OipFakeOzon *self,
                             guint        milliseconds)
{
  g_return_if_fail (OIP_IS_FAKE_OZON (self));
  g_return_if_fail (milliseconds > 0);
  self->limits.minute_ms = milliseconds;
  self->limits.epoch = g_get_monotonic_time ();
  self->limits.window = 0;
  self->limits.minute_used = 0;
}

/**
 * oip_fake_ozon_set_minute_limit_reported:
 * @reported: whether `/v4/product/info/limit` tells the per-minute limit
 *   (`operation_limits`); it is enforced either way
 */
void
oip_fake_ozon_set_minute_limit_reported (OipFakeOzon *self,
                                         gboolean     reported)
{
  g_return_if_fail (OIP_IS_FAKE_OZON (self));
  self->limits.hide_minute = !reported;
}

/**
 * oip_fake_ozon_set_daily_usage:
 * @usage: products already updated today (0: a new day)
 */
void
oip_fake_ozon_set_daily_usage (OipFakeOzon *self,
                               guint        usage)
{
  g_return_if_fail (OIP_IS_FAKE_OZON (self));
  self->limits.day_used = usage;
}

guint
oip_fake_ozon_get_daily_usage (OipFakeOzon *self)
{
  g_return_val_if_fail (OIP_IS_FAKE_OZON (self), 0);
  return self->limits.day_used;
}

/**
 * oip_fake_ozon_count_limited:
 * @limit: "second", "minute" or "day"
 *
 * Returns: how many 429s that limit gave
 */
guint
oip_fake_ozon_count_limited (OipFakeOzon *self,
                             const char  *limit)
{
  g_return_val_if_fail (OIP_IS_FAKE_OZON (self), 0);
  if (g_str_equal (limit, "second"))
    return self->limits.rate_limited;
  if (g_str_equal (limit, "minute"))
    return self->limits.item_limited;
  return self->limits.day_limited;
}

/**
 * oip_fake_ozon_count_imports:
 * @offer_id: a product
 *
 * Returns: how many accepted picture imports named the product
 */
guint
oip_fake_ozon_count_imports (OipFakeOzon *self,
                             const char  *offer_id)
{
  g_return_val_if_fail (OIP_IS_FAKE_OZON (self), 0);
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->imports, offer_id));
}

/**
 * oip_fake_ozon_count_storage_puts:
 *
 * Returns: objects written to the demo bucket
 */
guint
oip_fake_ozon_count_storage_puts (OipFakeOzon *self)
{
  g_return_val_if_fail (OIP_IS_FAKE_OZON (self), 0);
  return self->storage_puts;
}

/**
 * oip_fake_ozon_set_keep_requests:
 * @keep: whether every request is kept for oip_fake_ozon_get_requests();
 *   off, they are only counted (a benchmark's thousands of requests)
 */
void
oip_fake_ozon_set_keep_requests (OipFakeOzon *self,
                                 gboolean     keep)
{
  g_return_if_fail (OIP_IS_FAKE_OZON (self));
  self->keep_requests = keep;
}
