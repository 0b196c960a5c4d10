/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "oip-error.h"
#include "oip-http.h"
#include "oip-json.h"
#include "oip-ozon-messages.h"
#include "oip-ozon-results.h"

static const char *state_names[] = {
  [OIP_IMPORT_PENDING] = "pending",
  [OIP_IMPORT_IMPORTED] = "imported",
  [OIP_IMPORT_FAILED] = "failed",
  [OIP_IMPORT_SKIPPED] = "skipped",
};

const char *
oip_import_state_to_string (OipImportState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), NULL);
  return state_names[state];
}

/**
 * oip_import_status_new_from_json:
 * @item: an entry of `result.items`
 *
 * An unknown status reads as pending, so a new state Ozon may add makes the
 * app wait (bounded by the timeout) instead of reporting a wrong outcome.
 *
 * Returns: (transfer full): the status
 */
OipImportStatus *
oip_import_status_new_from_json (JsonObject *item)
{
  OipImportStatus *self = g_new0 (OipImportStatus, 1);
  const char *status = oip_json_object_get_string (item, "status");
  JsonArray *errors = oip_json_object_get_array (item, "errors");

  self->state = OIP_IMPORT_PENDING;
  for (guint i = 0; status != NULL && i < G_N_ELEMENTS (state_names); i++)
    if (g_ascii_strcasecmp (status, state_names[i]) == 0)
      self->state = i;

  self->offer_id = g_strdup (oip_json_object_get_string (item, "offer_id"));
  self->product_id = MAX (oip_json_object_get_id (item, "product_id"), 0);
  self->errors = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
    {
      JsonNode *node = json_array_get_element (errors, i);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *message = oip_json_object_get_string (entry, "message");
      const char *description = oip_json_object_get_string (entry, "description");
      const char *code = oip_json_object_get_string (entry, "code");

      if (description != NULL && *description != '\0')
        message = description;
      if (message == NULL || *message == '\0')
        message = code;
      if (message != NULL)
        g_ptr_array_add (self->errors, g_strdup (message));
    }

  return self;
}

void
oip_import_status_free (OipImportStatus *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->errors);
  g_free (self->offer_id);
  g_free (self);
}

OipImageError *
oip_image_error_new (const char *url,
                     const char *message)
{
  OipImageError *self = g_new0 (OipImageError, 1);

  self->url = g_strdup (url ? url : "");
  self->message = g_strdup (message ? message : "");
  return self;
}

void
oip_image_error_free (OipImageError *self)
{
  if (self == NULL)
    return;
  g_free (self->url);
  g_free (self->message);
  g_free (self);
}

/**
 * oip_pictures_new_from_json:
 * @item: an entry of `/v2/product/pictures/info`'s `items`
 *
 * `primary_photo` is often empty and every image, the main one included,
 * is then in `photo` (shared/ozon-api.md §3b), so the main image is
 * `primary_photo[0]` when present and `photo[0]` otherwise.
 *
 * Returns: (transfer full): the pictures
 */
OipPictures *
oip_pictures_new_from_json (JsonObject *item)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) primary = oip_json_object_get_strv (item, "primary_photo");
  g_auto(GStrv) photo = oip_json_object_get_strv (item, "photo");
  g_auto(GStrv) color = oip_json_object_get_strv (item, "color_photo");
  JsonArray *errors = oip_json_object_get_array (item, "errors");
  OipPictures *self = g_new0 (OipPictures, 1);

  if (primary[0] != NULL)
    g_strv_builder_add (builder, primary[0]);
  for (guint i = 0; photo[i] != NULL; i++)
    if (primary[0] == NULL || g_strcmp0 (primary[0], photo[i]) != 0)
      g_strv_builder_add (builder, photo[i]);
  self->images = g_strv_builder_end (builder);
  self->color_image = g_strdup (color[0]);
  self->product_id = MAX (oip_json_object_get_id (item, "product_id"), 0);

  self->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_image_error_free);
  for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
    {
      JsonNode *node = json_array_get_element (errors, i);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (entry != NULL)
        g_ptr_array_add (self->errors,
                         oip_image_error_new (oip_json_object_get_string (entry, "url"),
                                              oip_json_object_get_string (entry, "message")));
    }

  return self;
}

void
oip_pictures_free (OipPictures *self)
{
  if (self == NULL)
    return;
  g_strfreev (self->images);
  g_free (self->color_image);
  g_ptr_array_unref (self->errors);
  g_free (self);
}

/* Parsers of whole answers. Ozon adds and drops fields over time, so a
 * missing optional field (or a null) reads as absent; but a field that is
 * there with the wrong type means the answer is not what the app thinks
 * it is, and nothing of it is used. */

static gboolean G_GNUC_PRINTF (2, 3)
unexpected (GError    **error,
            const char *path_format,
            ...)
{
  g_autofree char *path = NULL;
  va_list args;

  va_start (args, path_format);
  path = g_strdup_vprintf (path_format, args);
  va_end (args);
  g_set_error (error, OIP_ERROR, OIP_ERROR_BAD_RESPONSE,
               _("Ozon’s answer has an unexpected value at “%s”"), path);
  return FALSE;
}

/* A member, or %NULL when it is missing or null. */
static JsonNode *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

static gboolean
is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* A count or an id that may be 0 (a SKU before the product exists). */
static gboolean
is_count (JsonNode *node)
{
  guint64 value;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node) >= 0;
  return json_node_get_value_type (node) == G_TYPE_STRING &&
         g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, G_MAXINT64, &value, NULL);
}

static gboolean
is_id (JsonNode *node)
{
  gint64 id;

  return oip_json_node_get_id (node, &id);
}

/* Picture lists: an array of strings (Ozon's schema) or a single string
 * (seen in older answers). */
static gboolean
is_strings (JsonNode *node)
{
  JsonArray *array;

  if (is_string (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_NULL (element) && !is_string (element))
        return FALSE;
    }
  return TRUE;
}

typedef gboolean (*CheckFunc) (JsonNode *node);

typedef struct
{
  const char *name;
  CheckFunc   check;
  gboolean    required;
} Field;

static gboolean
check_fields (JsonObject   *object,
              const Field  *fields,
              guint         n_fields,
              const char   *path,
              GError      **error)
{
  for (guint i = 0; i < n_fields; i++)
    {
      JsonNode *node = member (object, fields[i].name);

      if (node == NULL ? fields[i].required : !fields[i].check (node))
        return unexpected (error, "%s.%s", path, fields[i].name);
    }
  return TRUE;
}

/* @name's array in @object; %NULL with @error set when missing (if
 * @required) or not an array. */
static JsonArray *
get_array (JsonObject  *object,
           const char  *name,
           gboolean     required,
           const char  *path,
           GError     **error)
{
  JsonNode *node = member (object, name);

  if (node == NULL && !required)
    return NULL;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      unexpected (error, "%s%s%s", path, *path ? "." : "", name);
      return NULL;
    }
  return json_node_get_array (node);
}

static JsonObject *
get_object (JsonObject  *object,
            const char  *name,
            gboolean     required,
            const char  *path,
            GError     **error)
{
  JsonNode *node = member (object, name);

  if (node == NULL && !required)
    return NULL;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      unexpected (error, "%s%s%s", path, *path ? "." : "", name);
      return NULL;
    }
  return json_node_get_object (node);
}

static JsonObject *
element_object (JsonArray   *array,
                guint        index,
                const char  *path,
                GError     **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      unexpected (error, "%s[%u]", path, index);
      return NULL;
    }
  return json_node_get_object (node);
}

static JsonObject *
root_object (JsonNode  *root,
             GError   **error)
{
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_BAD_RESPONSE,
                           _("Ozon’s answer could not be read: it is not a JSON object"));
      return NULL;
    }
  return json_node_get_object (root);
}

/* `errors[]` of an import item or a picture: objects of strings (a
 * numeric `code` is let through). */
static gboolean
is_code (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) &&
         (json_node_get_value_type (node) == G_TYPE_STRING || json_node_get_value_type (node) == G_TYPE_INT64);
}

static gboolean
check_errors (JsonObject  *item,
              const char  *path,
              GError     **error)
{
  static const Field fields[] = {
    { "url", is_string, FALSE },
    { "message", is_string, FALSE },
    { "description", is_string, FALSE },
    { "code", is_code, FALSE },
  };
  g_autofree char *errors_path = g_strdup_printf ("%s.errors", path);
  JsonNode *node = member (item, "errors");
  JsonArray *errors;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return unexpected (error, "%s", errors_path);
  errors = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (errors); i++)
    {
      g_autofree char *entry_path = g_strdup_printf ("%s[%u]", errors_path, i);
      JsonObject *entry = element_object (errors, i, errors_path, error);

      if (entry == NULL || !check_fields (entry, fields, G_N_ELEMENTS (fields), entry_path, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * oip_ozon_parse_answer:
 * @data: (array length=length) (nullable): a 2xx answer's body
 * @http_status: its status, kept in an error's details
 *
 * Reads an answer with oip_json_parse() (size, depth, numbers, UTF-8)
 * and refuses one that is not an object or is an error body in a 2xx.
 *
 * Returns: (transfer full): the answer's root object node, or %NULL
 */
JsonNode *
oip_ozon_parse_answer (const char  *data,
                       gsize        length,
                       guint        http_status,
                       GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = oip_json_parse (data, length, OIP_OZON_MAX_ANSWER, &local_error);

  if (root == NULL)
    {
      g_autofree char *reason = oip_http_clean_text (local_error->message, -1, OIP_HTTP_MAX_TEXT);

      g_set_error (error, OIP_ERROR, OIP_ERROR_BAD_RESPONSE, _("Ozon’s answer could not be read: %s"),
                   reason ? reason : "");
      return NULL;
    }
  if (root_object (root, error) == NULL)
    return NULL;
  if (oip_ozon_body_is_error (json_node_get_object (root)))
    {
      g_propagate_error (error, oip_ozon_error_from_body (http_status, data, length));
      return NULL;
    }
  return g_steal_pointer (&root);
}

/**
 * oip_ozon_parse_product_info:
 * @root: `/v3/product/info/list`'s answer
 * @wanted: the identifier asked for, for the message when there is none
 *
 * Returns: (transfer full): the first product, or %NULL with
 *   %OIP_ERROR_NOT_FOUND when Ozon has none
 */
/* Entry @index of `/v3/product/info/list`'s items, checked. */
static OipProduct *
product_from_item (JsonArray  *items,
                   guint       index,
                   GError    **error)
{
  static const Field fields[] = {
    { "id", is_id, TRUE },
    { "offer_id", is_string, TRUE },
    { "sku", is_count, FALSE },
    { "name", is_string, FALSE },
    { "images", is_strings, FALSE },
    { "primary_image", is_strings, FALSE },
    { "color_image", is_strings, FALSE },
  };
  g_autofree char *path = g_strdup_printf ("items[%u]", index);
  JsonObject *item = element_object (items, index, "items", error);
  OipProduct *product;

  if (item == NULL || !check_fields (item, fields, G_N_ELEMENTS (fields), path, error))
    return NULL;
  product = oip_product_new_from_ozon_json (item);
  if (product == NULL)
    unexpected (error, "%s", path);
  return product;
}

OipProduct *
oip_ozon_parse_product_info (JsonNode    *root,
                             const char  *wanted,
                             GError     **error)
{
  JsonObject *object = root_object (root, error);
  JsonArray *items = object ? get_array (object, "items", TRUE, "", error) : NULL;

  if (items == NULL)
    return NULL;
  if (json_array_get_length (items) == 0)
    {
      g_set_error (error, OIP_ERROR, OIP_ERROR_NOT_FOUND, _("Ozon has no product “%s”"), wanted ? wanted : "");
      return NULL;
    }
  return product_from_item (items, 0, error);
}

void
oip_product_page_free (OipProductPage *page)
{
  if (page == NULL)
    return;
  g_ptr_array_unref (page->products);
  g_free (page->last_id);
  g_free (page);
}

static gint64
count_member (JsonObject *object,
              const char *name)
{
  JsonNode *node = member (object, name);
  guint64 value = 0;

  if (node == NULL)
    return -1;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, G_MAXINT64, &value, NULL);
  return (gint64) value;
}

/**
 * oip_ozon_parse_product_page:
 * @root: `/v3/product/list`'s answer
 *
 * Returns: (transfer full): the page, or %NULL with %OIP_ERROR_BAD_RESPONSE
 *   (an answer without `result` is one)
 */
OipProductPage *
oip_ozon_parse_product_page (JsonNode  *root,
                             GError   **error)
{
  static const Field page_fields[] = {
    { "last_id", is_string, FALSE },
    { "total_items", is_count, FALSE },
    { "total", is_count, FALSE },
  };
  static const Field item_fields[] = {
    { "product_id", is_id, TRUE },
    { "offer_id", is_string, TRUE },
    { "sku", is_count, FALSE },
  };
  JsonObject *object = root_object (root, error);
  JsonObject *result = object ? get_object (object, "result", TRUE, "", error) : NULL;
  JsonArray *items = result ? get_array (result, "items", TRUE, "result", error) : NULL;
  g_autoptr(OipProductPage) page = NULL;

  if (items == NULL || !check_fields (result, page_fields, G_N_ELEMENTS (page_fields), "result", error))
    return NULL;

  page = g_new0 (OipProductPage, 1);
  page->products = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autofree char *path = g_strdup_printf ("result.items[%u]", i);
      JsonObject *item = element_object (items, i, "result.items", error);
      OipProduct *product;

      if (item == NULL || !check_fields (item, item_fields, G_N_ELEMENTS (item_fields), path, error))
        return NULL;
      product = oip_product_new (oip_json_object_get_id (item, "product_id"),
                                 oip_json_object_get_string (item, "offer_id"));
      oip_product_set_sku (product, MAX (count_member (item, "sku"), 0));
      g_ptr_array_add (page->products, product);
    }

  page->last_id = g_strdup (oip_json_object_get_string (result, "last_id"));
  page->total_items = count_member (result, "total_items");
  if (page->total_items < 0)
    page->total_items = count_member (result, "total");
  return g_steal_pointer (&page);
}

/**
 * oip_ozon_parse_task_id:
 * @root: `/v2/product/pictures/import`'s answer
 *
 * Returns: the import task's id (at the top, or in `result`), or 0 with
 *   @error set
 */
gint64
oip_ozon_parse_task_id (JsonNode  *root,
                        GError   **error)
{
  JsonObject *object = root_object (root, error);
  JsonObject *result = NULL;
  JsonNode *node;
  gint64 task_id = 0;

  if (object == NULL)
    return 0;
  node = member (object, "task_id");
  if (node == NULL)
    {
      if (member (object, "result") != NULL && (result = get_object (object, "result", TRUE, "", error)) == NULL)
        return 0;
      node = member (result, "task_id");
    }
  if (node == NULL)
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_BAD_RESPONSE,
                           _("Ozon accepted the images but returned no import task"));
      return 0;
    }
  if (!oip_json_node_get_id (node, &task_id))
    {
      unexpected (error, result ? "result.task_id" : "task_id");
      return 0;
    }
  return task_id;
}

/**
 * oip_ozon_parse_import_status:
 * @root: `/v1/product/import/info`'s answer
 * @offer_id: (nullable): the item to report on; %NULL for the first
 *
 * Returns: (transfer full): the item's status, or %NULL with @error set
 */
OipImportStatus *
oip_ozon_parse_import_status (JsonNode    *root,
                              const char  *offer_id,
                              GError     **error)
{
  static const Field fields[] = {
    { "offer_id", is_string, FALSE },
    { "status", is_string, FALSE },
    { "product_id", is_count, FALSE },
  };
  JsonObject *object = root_object (root, error);
  JsonObject *result = object ? get_object (object, "result", TRUE, "", error) : NULL;
  JsonArray *items = result ? get_array (result, "items", TRUE, "result", error) : NULL;

  if (items == NULL)
    return NULL;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autofree char *path = g_strdup_printf ("result.items[%u]", i);
      JsonObject *item = element_object (items, i, "result.items", error);
      const char *item_offer;

      if (item == NULL || !check_fields (item, fields, G_N_ELEMENTS (fields), path, error))
        return NULL;
      item_offer = oip_json_object_get_string (item, "offer_id");
      if (offer_id == NULL || item_offer == NULL || g_str_equal (item_offer, offer_id))
        return check_errors (item, path, error) ? oip_import_status_new_from_json (item) : NULL;
    }

  g_set_error_literal (error, OIP_ERROR, OIP_ERROR_BAD_RESPONSE,
                       _("Ozon’s import task does not mention the product"));
  return NULL;
}

/**
 * oip_ozon_parse_pictures:
 * @root: `/v2/product/pictures/info`'s answer
 *
 * Returns: (transfer full): the first product's pictures, or %NULL with
 *   %OIP_ERROR_NOT_FOUND when there is none
 */
OipPictures *
oip_ozon_parse_pictures (JsonNode  *root,
                         GError   **error)
{
  static const Field fields[] = {
    { "product_id", is_count, FALSE },
    { "primary_photo", is_strings, FALSE },
    { "photo", is_strings, FALSE },
    { "color_photo", is_strings, FALSE },
  };
  JsonObject *object = root_object (root, error);
  JsonObject *holder = object;
  const char *path = "items";
  JsonArray *items;
  JsonObject *item;
  g_autofree char *item_path = NULL;

  if (object == NULL)
    return NULL;
  /* Today's answer has `items` at the top; older ones in `result`. */
  if (member (object, "items") == NULL && member (object, "result") != NULL)
    {
      if ((holder = get_object (object, "result", TRUE, "", error)) == NULL)
        return NULL;
      path = "result.items";
    }
  if ((items = get_array (holder, "items", TRUE, holder == object ? "" : "result", error)) == NULL)
    return NULL;
  if (json_array_get_length (items) == 0)
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_NOT_FOUND,
                           _("Ozon returned no pictures for the product"));
      return NULL;
    }
  item_path = g_strdup_printf ("%s[0]", path);
  if ((item = element_object (items, 0, path, error)) == NULL ||
      !check_fields (item, fields, G_N_ELEMENTS (fields), item_path, error) ||
      !check_errors (item, item_path, error))
    return NULL;
  return oip_pictures_new_from_json (item);
}

/**
 * oip_ozon_parse_product_list:
 * @root: `/v3/product/info/list`'s answer for many identifiers
 *
 * Every entry must be a product of the right shape, or nothing of the
 * answer is used.
 *
 * Returns: (transfer container) (element-type OipProduct): the products
 *   Ozon found (possibly none), or %NULL with @error
 */
GPtrArray *
oip_ozon_parse_product_list (JsonNode  *root,
                             GError   **error)
{
  JsonObject *object = root_object (root, error);
  JsonArray *items = object ? get_array (object, "items", TRUE, "", error) : NULL;
  g_autoptr(GPtrArray) products = NULL;

  if (items == NULL)
    return NULL;
  products = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      OipProduct *product = product_from_item (items, i, error);

      if (product == NULL)
        return NULL;
      g_ptr_array_add (products, product);
    }
  return g_steal_pointer (&products);
}

/**
 * oip_ozon_parse_import_statuses:
 * @root: `/v1/product/import/info`'s answer
 *
 * Returns: (transfer container) (element-type OipImportStatus): every
 *   item of the task, or %NULL with @error
 */
GPtrArray *
oip_ozon_parse_import_statuses (JsonNode  *root,
                                GError   **error)
{
  static const Field fields[] = {
    { "offer_id", is_string, FALSE },
    { "status", is_string, FALSE },
    { "product_id", is_count, FALSE },
  };
  JsonObject *object = root_object (root, error);
  JsonObject *result = object ? get_object (object, "result", TRUE, "", error) : NULL;
  JsonArray *items = result ? get_array (result, "items", TRUE, "result", error) : NULL;
  g_autoptr(GPtrArray) statuses = NULL;

  if (items == NULL)
    return NULL;
  statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_import_status_free);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autofree char *path = g_strdup_printf ("result.items[%u]", i);
      JsonObject *item = element_object (items, i, "result.items", error);

      if (item == NULL || !check_fields (item, fields, G_N_ELEMENTS (fields), path, error) ||
          !check_errors (item, path, error))
        return NULL;
      g_ptr_array_add (statuses, oip_import_status_new_from_json (item));
    }
  return g_steal_pointer (&statuses);
}

/**
 * oip_ozon_parse_pictures_list:
 * @root: `/v2/product/pictures/info`'s answer for many products
 *
 * Returns: (transfer container) (element-type OipPictures): one entry per
 *   product Ozon reported on (#OipPictures:product_id says which), or
 *   %NULL with @error
 */
GPtrArray *
oip_ozon_parse_pictures_list (JsonNode  *root,
                              GError   **error)
{
  static const Field fields[] = {
    { "product_id", is_id, TRUE },
    { "primary_photo", is_strings, FALSE },
    { "photo", is_strings, FALSE },
    { "color_photo", is_strings, FALSE },
  };
  JsonObject *object = root_object (root, error);
  JsonObject *holder = object;
  const char *path = "items";
  JsonArray *items;
  g_autoptr(GPtrArray) list = NULL;

  if (object == NULL)
    return NULL;
  if (member (object, "items") == NULL && member (object, "result") != NULL)
    {
      if ((holder = get_object (object, "result", TRUE, "", error)) == NULL)
        return NULL;
      path = "result.items";
    }
  if ((items = get_array (holder, "items", TRUE, holder == object ? "" : "result", error)) == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_pictures_free);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, i);
      JsonObject *item = element_object (items, i, path, error);

      if (item == NULL || !check_fields (item, fields, G_N_ELEMENTS (fields), item_path, error) ||
          !check_errors (item, item_path, error))
        return NULL;
      g_ptr_array_add (list, oip_pictures_new_from_json (item));
    }
  return g_steal_pointer (&list);
}

/* `reset_at` as Ozon writes it (RFC 3339), in unix µs; 0 if unreadable. */
static gint64
time_member (JsonObject *object,
             const char *name)
{
  const char *text = oip_json_object_get_string (object, name);
  g_autoptr(GDateTime) when = NULL;

  if (text == NULL)
    return 0;
  when = g_date_time_new_from_iso8601 (text, NULL);
  return when != NULL ? g_date_time_to_unix (when) * G_USEC_PER_SEC + g_date_time_get_microsecond (when) : 0;
}

/* A count where nothing was checked first: -1 unless it is one. */
static gint64
checked_count (JsonObject *object,
               const char *name)
{
  JsonNode *node = member (object, name);

  return node != NULL && is_count (node) ? count_member (object, name) : -1;
}

/* `operation_limits`: one object, or (as an SDK saw it) an array of them;
 * the per-minute one counts. */
static gint64
per_minute_limit (JsonObject *object)
{
  JsonNode *node = member (object, "operation_limits");
  JsonArray *array;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return checked_count (json_node_get_object (node), "limit");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return -1;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *type = oip_json_object_get_string (entry, "limit_type");

      if (entry != NULL && (type == NULL || g_ascii_strcasecmp (type, "RATE_LIMIT_PER_MINUTE") == 0))
        return checked_count (entry, "limit");
    }
  return -1;
}

/**
 * oip_ozon_parse_limits:
 * @root: `/v4/product/info/limit`'s answer
 *
 * What Ozon does not say reads as unknown (-1); a count of the wrong type
 * makes the answer unusable.
 *
 * Returns: (transfer full): the limits, or %NULL with @error
 */
OipOzonLimits *
oip_ozon_parse_limits (JsonNode  *root,
                       GError   **error)
{
  static const Field fields[] = {
    { "limit", is_count, FALSE },
    { "usage", is_count, FALSE },
    { "reset_at", is_string, FALSE },
  };
  JsonObject *object = root_object (root, error);
  JsonObject *daily;
  OipOzonLimits *limits;

  if (object == NULL)
    return NULL;
  /* Some answers wrap everything in `result`. */
  if (member (object, "daily_update") == NULL && member (object, "result") != NULL &&
      (object = get_object (object, "result", TRUE, "", error)) == NULL)
    return NULL;
  daily = get_object (object, "daily_update", FALSE, "", error);
  if ((daily == NULL && member (object, "daily_update") != NULL) ||
      (daily != NULL && !check_fields (daily, fields, G_N_ELEMENTS (fields), "daily_update", error)))
    return NULL;

  limits = g_new0 (OipOzonLimits, 1);
  limits->daily_limit = daily ? count_member (daily, "limit") : -1;
  limits->daily_usage = daily ? count_member (daily, "usage") : -1;
  limits->daily_reset_at = daily ? time_member (daily, "reset_at") : 0;
  limits->per_minute = per_minute_limit (object);
  if (limits->per_minute == 0)
    limits->per_minute = -1;   /* a limit of nothing at all is not a limit Ozon means */
  return limits;
}

/**
 * oip_ozon_limits_daily_left:
 *
 * Returns: how many product updates are left today, or -1 when unknown
 */
gint64
oip_ozon_limits_daily_left (const OipOzonLimits *limits)
{
  if (limits == NULL || limits->daily_limit < 0)
    return -1;
  return MAX (limits->daily_limit - MAX (limits->daily_usage, 0), 0);
}
