/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "oip-error.h"
#include "oip-json.h"
#include "oip-product-store.h"

/**
 * OipProductStore:
 *
 * The products the seller downloaded, most recent first: what ties the
 * seed's `product_id` to Ozon's `offer_id`, and the images a push
 * replaces. It lives in one JSON file under the user data dir, written
 * atomically (temporary file and rename, in a worker thread). A file that
 * cannot be read is reported and never overwritten, so a seller's list is
 * not silently wiped.
 */
struct _OipProductStore
{
  GObject     parent_instance;

  GFile      *file;
  GListStore *products;
  gboolean    corrupt;

  GMutex      write_lock;
  guint64     save_serial;
  guint64     written_serial;
};

G_DEFINE_FINAL_TYPE (OipProductStore, oip_product_store, G_TYPE_OBJECT)

#define STORE_VERSION 1

typedef struct
{
  char    *path;
  char    *contents;
  guint64  serial;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_free (data->path);
  g_free (data->contents);
  g_free (data);
}

static GError *
corrupt_error (OipProductStore *self,
               const char      *reason)
{
  g_autofree char *path = g_file_get_path (self->file);

  return g_error_new (OIP_ERROR, OIP_ERROR_STORE_CORRUPT,
                      _("The list of downloaded products in %s is damaged (%s); it was left as it is"),
                      path, reason);
}

static void
oip_product_store_finalize (GObject *object)
{
  OipProductStore *self = (OipProductStore *)object;

  g_clear_object (&self->file);
  g_clear_object (&self->products);
  g_mutex_clear (&self->write_lock);

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
  self->products = g_list_store_new (OIP_TYPE_PRODUCT);
  g_mutex_init (&self->write_lock);
}

/**
 * oip_product_store_new:
 * @file: (nullable): where the store lives; %NULL for
 *   `$XDG_DATA_HOME/ozon-image-push/products.json`
 *
 * Returns: (transfer full): an empty store; load it with
 *   oip_product_store_load_async()
 */
OipProductStore *
oip_product_store_new (GFile *file)
{
  OipProductStore *self = g_object_new (OIP_TYPE_PRODUCT_STORE, NULL);

  if (file != NULL)
    self->file = g_object_ref (file);
  else
    self->file = g_file_new_build_filename (g_get_user_data_dir (), "ozon-image-push",
                                            "products.json", NULL);
  return self;
}

GFile *
oip_product_store_get_file (OipProductStore *self)
{
  g_return_val_if_fail (OIP_IS_PRODUCT_STORE (self), NULL);
  return self->file;
}

/**
 * oip_product_store_get_products:
 *
 * Returns: (transfer none): the products, most recently used first
 */
GListModel *
oip_product_store_get_products (OipProductStore *self)
{
  g_return_val_if_fail (OIP_IS_PRODUCT_STORE (self), NULL);
  return G_LIST_MODEL (self->products);
}

static gboolean
find_position (OipProductStore *self,
               gint64           product_id,
               guint           *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->products));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OipProduct) product = g_list_model_get_item (G_LIST_MODEL (self->products), i);

      if (oip_product_get_product_id (product) == product_id)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * oip_product_store_lookup:
 *
 * Returns: (transfer none) (nullable): the downloaded product
 */
OipProduct *
oip_product_store_lookup (OipProductStore *self,
                          gint64           product_id)
{
  guint position;
  g_autoptr(OipProduct) product = NULL;

  g_return_val_if_fail (OIP_IS_PRODUCT_STORE (self), NULL);

  if (!find_position (self, product_id, &position))
    return NULL;
  product = g_list_model_get_item (G_LIST_MODEL (self->products), position);
  return product; /* the list store keeps it alive */
}

/**
 * oip_product_store_put:
 *
 * Adds @product, or replaces the one with its product_id, at the front.
 * Nothing is written until oip_product_store_save_async().
 */
void
oip_product_store_put (OipProductStore *self,
                       OipProduct      *product)
{
  g_autoptr(OipProduct) keep = NULL;
  guint position;

  g_return_if_fail (OIP_IS_PRODUCT_STORE (self));
  g_return_if_fail (OIP_IS_PRODUCT (product));

  /* @product may be the stored one: removing it must not finalize it. */
  keep = g_object_ref (product);
  if (find_position (self, oip_product_get_product_id (product), &position))
    g_list_store_remove (self->products, position);
  g_list_store_insert (self->products, 0, product);
}

static gboolean
parse_contents (OipProductStore  *self,
                const char       *contents,
                gsize             length,
                GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) products = g_ptr_array_new_with_free_func (g_object_unref);
  JsonObject *root;
  JsonArray *items;

  if (!json_parser_load_from_data (parser, contents, length, &local_error))
    {
      g_propagate_error (error, corrupt_error (self, local_error->message));
      return FALSE;
    }
  root = oip_json_parser_get_object (parser);
  if (root == NULL || (items = oip_json_object_get_array (root, "products")) == NULL)
    {
      g_propagate_error (error, corrupt_error (self, _("no product list")));
      return FALSE;
    }

  if (json_object_get_int_member_with_default (root, "version", 0) > STORE_VERSION)
    {
      g_propagate_error (error, corrupt_error (self, _("written by a newer version")));
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *object = json_array_get_object_element (items, i);
      OipProduct *product = object ? oip_product_new_from_json (object) : NULL;

      if (product == NULL)
        {
          g_autofree char *reason = g_strdup_printf (_("entry %u has no product ID"), i + 1);

          g_propagate_error (error, corrupt_error (self, reason));
          return FALSE;
        }
      g_ptr_array_add (products, product);
    }

  g_list_store_splice (self->products, 0, g_list_model_get_n_items (G_LIST_MODEL (self->products)),
                       products->pdata, products->len);
  return TRUE;
}

static void
on_load_contents (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OipProductStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_task_return_boolean (task, TRUE);   /* nothing downloaded yet */
      else
        g_task_return_new_error (task, OIP_ERROR, OIP_ERROR_IO,
                                 _("Could not read the list of downloaded products: %s"),
                                 error->message);
      return;
    }

  self->corrupt = !parse_contents (self, contents, length, &error);
  if (self->corrupt)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
oip_product_store_load_async (OipProductStore     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OIP_IS_PRODUCT_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_product_store_load_async);
  g_file_load_contents_async (self->file, cancellable, on_load_contents, task);
}

/**
 * oip_product_store_load_finish:
 *
 * Returns: %TRUE if the store was read (a missing file is an empty store);
 *   %FALSE with %OIP_ERROR_STORE_CORRUPT if it could not be parsed, after
 *   which saving is refused
 */
gboolean
oip_product_store_load_finish (OipProductStore  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static char *
serialize (OipProductStore *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->products));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, STORE_VERSION);
  json_builder_set_member_name (builder, "products");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OipProduct) product = g_list_model_get_item (G_LIST_MODEL (self->products), i);

      json_builder_add_value (builder, oip_product_to_json (product));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return oip_json_to_string (root, TRUE);
}

static void
save_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  OipProductStore *self = source_object;
  SaveData *data = task_data;
  g_autofree char *dir = g_path_get_dirname (data->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->write_lock);

  /* Saves run in the shared pool in any order; an older snapshot must not
   * overwrite a newer one. */
  if (data->serial <= self->written_serial)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (data->path, data->contents, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_task_return_new_error (task, OIP_ERROR, OIP_ERROR_IO,
                               _("Could not save the list of downloaded products: %s"),
                               error ? error->message : g_strerror (errno));
      return;
    }

  self->written_serial = data->serial;
  g_task_return_boolean (task, TRUE);
}

/**
 * oip_product_store_save_async:
 *
 * Writes the store atomically: a crash mid-write leaves the previous file.
 */
void
oip_product_store_save_async (OipProductStore     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveData *data;

  g_return_if_fail (OIP_IS_PRODUCT_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_product_store_save_async);

  if (self->corrupt)
    {
      g_task_return_error (task, corrupt_error (self, _("not overwritten")));
      return;
    }

  data = g_new0 (SaveData, 1);
  data->path = g_file_get_path (self->file);
  data->contents = serialize (self);
  data->serial = ++self->save_serial;
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_in_thread);
}

gboolean
oip_product_store_save_finish (OipProductStore  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
