/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "oip-error.h"
#include "oip-product-store.h"

/**
 * OipProductStore:
 *
 * The products the seller downloaded: what ties the seed's `product_id`
 * to Ozon's `offer_id`, and the images a push replaces. They live in the
 * `products` table of the #OipDatabase, one row each, so a command
 * touches one row instead of the whole list, and processes writing at
 * the same time do not lose each other's products.
 *
 * Within a process one product id is one #OipProduct while anybody holds
 * it: a lookup or the recent list hands out the object already shown,
 * updated from the database, so a window showing a product sees a push's
 * read-back on it.
 */
struct _OipProductStore
{
  GObject      parent_instance;

  OipDatabase *db;
  GListStore  *recent;
  guint        recent_serial;
  gboolean     recent_wanted;   /* nothing is loaded for a command that never shows it */
  GHashTable  *live;    /* product_id (gint64 *) → GWeakRef * to its OipProduct */
};

G_DEFINE_FINAL_TYPE (OipProductStore, oip_product_store, G_TYPE_OBJECT)

#define PRODUCT_COLUMNS "product_id, offer_id, sku, name, images, color_image, downloaded_at"

/* ------------------------------------------------------------------ */
/* Worker thread                                                       */

static gint64
date_time_to_usec (GDateTime *when)
{
  return g_date_time_to_unix (when) * G_USEC_PER_SEC + g_date_time_get_microsecond (when);
}

static OipProduct *
product_from_row (sqlite3_stmt *stmt)
{
  gint64 product_id = sqlite3_column_int64 (stmt, 0);
  g_autofree char *offer_id = oip_database_column_text (stmt, 1);
  g_autofree char *name = oip_database_column_text (stmt, 3);
  g_autofree char *color = oip_database_column_text (stmt, 5);
  const char *images_text = (const char *) sqlite3_column_text (stmt, 4);
  gint64 downloaded_at = sqlite3_column_int64 (stmt, 6);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) images = NULL;
  OipProduct *product;

  if (product_id <= 0 || offer_id == NULL)
    return NULL;

  product = oip_product_new (product_id, offer_id);
  oip_product_set_sku (product, MAX (sqlite3_column_int64 (stmt, 2), 0));
  oip_product_set_name (product, name);
  oip_product_set_color_image (product, color);
  if (images_text != NULL)
    images = oip_database_strv_from_json (images_text, sqlite3_column_bytes (stmt, 4), &error);
  if (error != NULL)
    g_debug ("Product %" G_GINT64_FORMAT ": unreadable image list: %s", product_id, error->message);
  oip_product_set_images (product, (const char * const *) images);
  if (downloaded_at > 0)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (downloaded_at / G_USEC_PER_SEC);

      if (when != NULL)
        {
          g_autoptr(GDateTime) exact = g_date_time_add (when, downloaded_at % G_USEC_PER_SEC);

          oip_product_set_downloaded_at (product, exact);
        }
    }
  return product;
}

typedef struct
{
  OipProductKey  key;
  char          *value;
  gint64         number;
} LookupData;

static void
lookup_data_free (LookupData *data)
{
  g_free (data->value);
  g_free (data);
}

static GError *
not_found_error (OipProductKey  key,
                 const char    *value)
{
  switch (key)
    {
    case OIP_PRODUCT_KEY_PRODUCT_ID:
      return g_error_new (OIP_ERROR, OIP_ERROR_PRODUCT_NOT_FOUND,
                          _("Product ID %s not found. Download the product information first."), value);
    case OIP_PRODUCT_KEY_SKU:
      return g_error_new (OIP_ERROR, OIP_ERROR_PRODUCT_NOT_FOUND,
                          _("No downloaded product has the SKU %s"), value);
    case OIP_PRODUCT_KEY_OFFER_ID:
    default:
      return g_error_new (OIP_ERROR, OIP_ERROR_PRODUCT_NOT_FOUND,
                          _("No downloaded product has the article %s"), value);
    }
}

static gpointer
lookup_in_db (sqlite3   *db,
              gpointer   user_data,
              GError   **error)
{
  LookupData *data = user_data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *sql;
  int rc;

  switch (data->key)
    {
    case OIP_PRODUCT_KEY_PRODUCT_ID:
      sql = "SELECT " PRODUCT_COLUMNS " FROM products WHERE product_id = ?1";
      break;
    case OIP_PRODUCT_KEY_SKU:
      sql = "SELECT " PRODUCT_COLUMNS " FROM products WHERE sku = ?1 ORDER BY used_at DESC LIMIT 1";
      break;
    case OIP_PRODUCT_KEY_OFFER_ID:
    default:
      sql = "SELECT " PRODUCT_COLUMNS " FROM products WHERE offer_id = ?1 ORDER BY used_at DESC LIMIT 1";
      break;
    }

  stmt = oip_database_prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;
  if (data->key == OIP_PRODUCT_KEY_OFFER_ID)
    oip_database_bind_text (stmt, 1, data->value);
  else
    sqlite3_bind_int64 (stmt, 1, data->number);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      OipProduct *product = product_from_row (stmt);

      if (product != NULL)
        return product;
    }
  else if (rc != SQLITE_DONE)
    {
      g_propagate_error (error, oip_database_error (db, rc));
      return NULL;
    }
  g_propagate_error (error, not_found_error (data->key, data->value));
  return NULL;
}

/* A snapshot taken on the main thread: the product may change while the
 * worker writes. */
typedef struct
{
  gint64  product_id;
  char   *offer_id;
  gint64  sku;
  char   *name;
  char   *images;
  char   *color_image;
  gint64  downloaded_at;
} PutData;

static PutData *
put_data_new (OipProduct *product)
{
  GDateTime *downloaded = oip_product_get_downloaded_at (product);
  PutData *data = g_new0 (PutData, 1);

  data->product_id = oip_product_get_product_id (product);
  data->offer_id = g_strdup (oip_product_get_offer_id (product));
  data->sku = oip_product_get_sku (product);
  data->name = g_strdup (oip_product_get_name (product));
  data->images = oip_database_strv_to_json (oip_product_get_images (product));
  data->color_image = g_strdup (oip_product_get_color_image (product));
  data->downloaded_at = downloaded != NULL ? date_time_to_usec (downloaded) : oip_database_now ();
  return data;
}

static void
put_data_free (PutData *data)
{
  g_free (data->offer_id);
  g_free (data->name);
  g_free (data->images);
  g_free (data->color_image);
  g_free (data);
}

static gboolean
write_product (sqlite3        *db,
               sqlite3_stmt   *stmt,
               const PutData  *data,
               GError        **error)
{
  int rc;

  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, data->product_id);
  oip_database_bind_text (stmt, 2, data->offer_id);
  sqlite3_bind_int64 (stmt, 3, data->sku);
  oip_database_bind_text (stmt, 4, data->name ? data->name : "");
  oip_database_bind_text (stmt, 5, data->images);
  oip_database_bind_text (stmt, 6, data->color_image);
  sqlite3_bind_int64 (stmt, 7, data->downloaded_at);
  sqlite3_bind_int64 (stmt, 8, oip_database_now ());
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      g_propagate_error (error, oip_database_error (db, rc));
      return FALSE;
    }
  return TRUE;
}

/* Every product in one transaction. */
static gpointer
put_all_in_db (sqlite3   *db,
               gpointer   user_data,
               GError   **error)
{
  GPtrArray *all = user_data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!oip_database_begin (db, error))
    return NULL;

  /* used_at is strictly the newest, even within one microsecond. */
  stmt = oip_database_prepare (db,
    "INSERT INTO products (product_id, offer_id, sku, name, images, color_image, downloaded_at, used_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, MAX (?8, (SELECT IFNULL (MAX (used_at), 0) + 1 FROM products))) "
    "ON CONFLICT (product_id) DO UPDATE SET "
    "  offer_id = excluded.offer_id, sku = excluded.sku, name = excluded.name, images = excluded.images, "
    "  color_image = excluded.color_image, downloaded_at = excluded.downloaded_at, used_at = excluded.used_at",
    error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < all->len; i++)
    if (!write_product (db, stmt, g_ptr_array_index (all, i), error))
      return NULL;
  if (!oip_database_commit (db, error))
    return NULL;
  return OIP_DATABASE_DONE;
}

static gpointer
recent_in_db (sqlite3   *db,
              gpointer   user_data,
              GError   **error)
{
  g_autoptr(GPtrArray) products = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = oip_database_prepare (db, "SELECT " PRODUCT_COLUMNS " FROM products ORDER BY used_at DESC LIMIT ?1",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, OIP_PRODUCT_STORE_RECENT_LIMIT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OipProduct *product = product_from_row (stmt);

      if (product != NULL)
        g_ptr_array_add (products, product);
    }
  if (rc != SQLITE_DONE)
    {
      g_propagate_error (error, oip_database_error (db, rc));
      return NULL;
    }
  return g_steal_pointer (&products);
}

/* ------------------------------------------------------------------ */
/* One object per product (main thread)                                */

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

static void
remember (OipProductStore *self,
          OipProduct      *product)
{
  gint64 *key = g_new (gint64, 1);
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  *key = oip_product_get_product_id (product);
  g_weak_ref_init (ref, product);
  g_hash_table_replace (self->live, key, ref);
}

static OipProduct *
get_live (OipProductStore *self,
          gint64           product_id)
{
  GWeakRef *ref = g_hash_table_lookup (self->live, &product_id);
  OipProduct *product = ref != NULL ? g_weak_ref_get (ref) : NULL;

  if (ref != NULL && product == NULL)
    g_hash_table_remove (self->live, &product_id);
  return product;
}

static gboolean
strv_equal (const char * const *a,
            const char * const *b)
{
  guint i;

  for (i = 0; a[i] != NULL && b[i] != NULL; i++)
    if (strcmp (a[i], b[i]) != 0)
      return FALSE;
  return a[i] == NULL && b[i] == NULL;
}

static void
update_product (OipProduct *live,
                OipProduct *fresh)
{
  oip_product_set_sku (live, oip_product_get_sku (fresh));
  oip_product_set_name (live, oip_product_get_name (fresh));
  if (!strv_equal (oip_product_get_images (live), oip_product_get_images (fresh)))
    oip_product_set_images (live, oip_product_get_images (fresh));
  oip_product_set_color_image (live, oip_product_get_color_image (fresh));
  oip_product_set_downloaded_at (live, oip_product_get_downloaded_at (fresh));
}

/* Returns the object already handed out for @fresh's id, updated from
 * @fresh, or @fresh itself, remembered. */
static OipProduct *
canonical (OipProductStore *self,
           OipProduct      *fresh)
{
  g_autoptr(OipProduct) live = get_live (self, oip_product_get_product_id (fresh));

  if (live != NULL && live != fresh &&
      g_strcmp0 (oip_product_get_offer_id (live), oip_product_get_offer_id (fresh)) == 0)
    {
      update_product (live, fresh);
      g_object_unref (fresh);
      return g_steal_pointer (&live);
    }
  if (live != fresh)
    remember (self, fresh);
  return fresh;
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */

static void
oip_product_store_finalize (GObject *object)
{
  OipProductStore *self = (OipProductStore *)object;

  g_clear_object (&self->db);
  g_clear_object (&self->recent);
  g_clear_pointer (&self->live, g_hash_table_unref);

  G_OBJECT_CLASS (oip_product_store_parent_class)->finalize (object);
}

static void
oip_product_store_class_init (OipProductStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oip_product_store_finalize;
}

static void
oip_product_store_init (OipProductStore *self)
{
  self->recent = g_list_store_new (OIP_TYPE_PRODUCT);
  self->live = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) weak_ref_free);
}

static void
on_database_open (OipProductStore *self)
{
  if (oip_database_is_open (self->db) && self->recent_wanted)
    oip_product_store_refresh_recent (self);
}

/**
 * oip_product_store_new:
 * @db: the database, open or being opened
 *
 * Returns: (transfer full): the store
 */
OipProductStore *
oip_product_store_new (OipDatabase *db)
{
  OipProductStore *self;

  g_return_val_if_fail (OIP_IS_DATABASE (db), NULL);

  self = g_object_new (OIP_TYPE_PRODUCT_STORE, NULL);
  self->db = g_object_ref (db);
  g_signal_connect_object (db, "notify::open", G_CALLBACK (on_database_open), self, G_CONNECT_SWAPPED);
  return self;
}

/**
 * oip_product_store_get_database:
 *
 * Returns: (transfer none): the database the store lives in
 */
OipDatabase *
oip_product_store_get_database (OipProductStore *self)
{
  g_return_val_if_fail (OIP_IS_PRODUCT_STORE (self), NULL);
  return self->db;
}

static void
on_looked_up (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OipProductStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  OipProduct *product = oip_database_run_finish (OIP_DATABASE (source), result, &error);

  if (product == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, canonical (self, product), g_object_unref);
}

/**
 * oip_product_store_lookup_async:
 * @key: which id @value is
 * @value: the offer_id, or the product_id or SKU in decimal
 *
 * Finds a downloaded product; by offer_id or SKU, the most recently used
 * one that has it.
 */
void
oip_product_store_lookup_async (OipProductStore     *self,
                                OipProductKey        key,
                                const char          *value,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LookupData *data;

  g_return_if_fail (OIP_IS_PRODUCT_STORE (self));
  g_return_if_fail (value != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_product_store_lookup_async);

  data = g_new0 (LookupData, 1);
  data->key = key;
  data->value = g_strdup (value);
  if (key != OIP_PRODUCT_KEY_OFFER_ID &&
      !g_ascii_string_to_signed (value, 10, 1, G_MAXINT64, &data->number, NULL))
    {
      g_task_return_error (task, not_found_error (key, value));
      lookup_data_free (data);
      return;
    }

  oip_database_run_full_async (self->db, lookup_in_db, data, (GDestroyNotify) lookup_data_free,
                               g_object_unref, cancellable, on_looked_up, g_steal_pointer (&task));
}

/**
 * oip_product_store_lookup_finish:
 *
 * Returns: (transfer full): the product; %NULL with
 *   %OIP_ERROR_PRODUCT_NOT_FOUND when it was never downloaded
 */
OipProduct *
oip_product_store_lookup_finish (OipProductStore  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Whoever holds a product by one of these ids sees what was stored;
 * from now on these objects are the ones handed out. */
static void
adopt (OipProductStore *self,
       OipProduct      *product)
{
  g_autoptr(OipProduct) live = get_live (self, oip_product_get_product_id (product));

  if (live != NULL && live != product)
    update_product (live, product);
  if (live != product)
    remember (self, product);
}

static void
on_put (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OipProductStore *self = g_task_get_source_object (task);
  GPtrArray *products = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (oip_database_run_finish (OIP_DATABASE (source), result, &error) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < products->len; i++)
    adopt (self, g_ptr_array_index (products, i));
  if (self->recent_wanted)
    oip_product_store_refresh_recent (self);
  g_task_return_boolean (task, TRUE);
}

/**
 * oip_product_store_put_async:
 *
 * Adds @product, or replaces the stored one with its product_id, in one
 * transaction, and makes it the most recently used. A product with no
 * download time is stamped now.
 */
void
oip_product_store_put_async (OipProductStore     *self,
                             OipProduct          *product,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  PutData *data;
  GPtrArray *all;

  g_return_if_fail (OIP_IS_PRODUCT_STORE (self));
  g_return_if_fail (OIP_IS_PRODUCT (product));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_product_store_put_async);
  g_task_set_task_data (task, g_ptr_array_new_full (1, g_object_unref), (GDestroyNotify) g_ptr_array_unref);
  g_ptr_array_add (g_task_get_task_data (task), g_object_ref (product));

  data = put_data_new (product);

  all = g_ptr_array_new_with_free_func ((GDestroyNotify) put_data_free);
  g_ptr_array_add (all, data);
  oip_database_run_async (self->db, put_all_in_db, all, (GDestroyNotify) g_ptr_array_unref,
                          cancellable, on_put, task);
}

/**
 * oip_product_store_put_many_async:
 * @products: (element-type OipProduct): products to add or replace
 *
 * As oip_product_store_put_async(), for many products in one transaction
 * (a bulk run's).
 */
void
oip_product_store_put_many_async (OipProductStore     *self,
                                  GPtrArray           *products,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  GPtrArray *all;

  g_return_if_fail (OIP_IS_PRODUCT_STORE (self));
  g_return_if_fail (products != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_product_store_put_async);
  g_task_set_task_data (task, g_ptr_array_copy (products, (GCopyFunc) g_object_ref, NULL),
                        (GDestroyNotify) g_ptr_array_unref);
  g_ptr_array_set_free_func (g_task_get_task_data (task), g_object_unref);
  all = g_ptr_array_new_with_free_func ((GDestroyNotify) put_data_free);
  for (guint i = 0; i < products->len; i++)
    g_ptr_array_add (all, put_data_new (g_ptr_array_index (products, i)));
  oip_database_run_async (self->db, put_all_in_db, all, (GDestroyNotify) g_ptr_array_unref,
                          cancellable, on_put, task);
}

gboolean
oip_product_store_put_finish (OipProductStore  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * oip_product_store_get_recent:
 *
 * The list is loaded on the first call (once the database is open); it
 * follows this process's puts, and oip_product_store_refresh_recent()
 * reloads it.
 *
 * Returns: (transfer none): a live list of the
 *   %OIP_PRODUCT_STORE_RECENT_LIMIT most recently used products, newest
 *   first
 */
GListModel *
oip_product_store_get_recent (OipProductStore *self)
{
  g_return_val_if_fail (OIP_IS_PRODUCT_STORE (self), NULL);

  if (!self->recent_wanted)
    {
      self->recent_wanted = TRUE;
      if (oip_database_is_open (self->db))
        oip_product_store_refresh_recent (self);
    }
  return G_LIST_MODEL (self->recent);
}

typedef struct
{
  GWeakRef store;
  guint    serial;
} RecentRequest;

static void
on_recent (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  RecentRequest *request = user_data;
  g_autoptr(OipProductStore) self = g_weak_ref_get (&request->store);
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(GError) error = NULL;
  guint serial = request->serial;

  g_weak_ref_clear (&request->store);
  g_free (request);

  products = oip_database_run_finish (OIP_DATABASE (source), result, &error);
  if (self == NULL || serial != self->recent_serial)
    return;   /* gone, or a newer refresh is on its way */
  if (products == NULL)
    {
      g_debug ("Recent products not loaded: %s", error->message);
      return;
    }

  for (guint i = 0; i < products->len; i++)
    products->pdata[i] = canonical (self, products->pdata[i]);
  g_list_store_splice (self->recent, 0, g_list_model_get_n_items (G_LIST_MODEL (self->recent)),
                       products->pdata, products->len);
}

/**
 * oip_product_store_refresh_recent:
 *
 * Reloads the recent list from the database, for products other
 * processes downloaded (for example when a window gains focus).
 */
void
oip_product_store_refresh_recent (OipProductStore *self)
{
  RecentRequest *request;

  g_return_if_fail (OIP_IS_PRODUCT_STORE (self));

  self->recent_wanted = TRUE;
  /* The request does not keep the store alive. */
  request = g_new0 (RecentRequest, 1);
  g_weak_ref_init (&request->store, self);
  request->serial = ++self->recent_serial;
  oip_database_run_full_async (self->db, recent_in_db, NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
                               NULL, on_recent, request);
}
