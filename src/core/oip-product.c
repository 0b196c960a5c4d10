/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "oip-json.h"
#include "oip-product.h"

/**
 * OipProduct:
 *
 * A product as downloaded from Ozon: the ids that tie the seed's
 * `product_id` to today's `offer_id`, its name and its current images,
 * main image first.
 */
struct _OipProduct
{
  GObject    parent_instance;

  gint64     product_id;
  char      *offer_id;
  gint64     sku;
  char      *name;
  GStrv      images;
  char      *color_image;
  GDateTime *downloaded_at;
};

G_DEFINE_FINAL_TYPE (OipProduct, oip_product, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PRODUCT_ID,
  PROP_OFFER_ID,
  PROP_SKU,
  PROP_NAME,
  PROP_IMAGES,
  PROP_COLOR_IMAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* g_set_str() arrived in GLib 2.76; Debian 12 has 2.74. */
static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
oip_product_finalize (GObject *object)
{
  OipProduct *self = (OipProduct *)object;

  g_free (self->offer_id);
  g_free (self->name);
  g_strfreev (self->images);
  g_free (self->color_image);
  g_clear_pointer (&self->downloaded_at, g_date_time_unref);

  G_OBJECT_CLASS (oip_product_parent_class)->finalize (object);
}

static void
oip_product_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  OipProduct *self = OIP_PRODUCT (object);

  switch (prop_id)
    {
    case PROP_PRODUCT_ID:
      g_value_set_int64 (value, self->product_id);
      break;
    case PROP_OFFER_ID:
      g_value_set_string (value, self->offer_id);
      break;
    case PROP_SKU:
      g_value_set_int64 (value, self->sku);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_IMAGES:
      g_value_set_boxed (value, self->images);
      break;
    case PROP_COLOR_IMAGE:
      g_value_set_string (value, self->color_image);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
oip_product_class_init (OipProductClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = oip_product_finalize;
  object_class->get_property = oip_product_get_property;

  properties[PROP_PRODUCT_ID] =
    g_param_spec_int64 ("product-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OFFER_ID] =
    g_param_spec_string ("offer-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SKU] =
    g_param_spec_int64 ("sku", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IMAGES] =
    g_param_spec_boxed ("images", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLOR_IMAGE] =
    g_param_spec_string ("color-image", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
oip_product_init (OipProduct *self)
{
  self->images = g_new0 (char *, 1);
}

OipProduct *
oip_product_new (gint64      product_id,
                 const char *offer_id)
{
  OipProduct *self;

  g_return_val_if_fail (product_id > 0, NULL);
  g_return_val_if_fail (offer_id != NULL, NULL);

  self = g_object_new (OIP_TYPE_PRODUCT, NULL);
  self->product_id = product_id;
  self->offer_id = g_strdup (offer_id);
  return self;
}

/**
 * oip_product_new_from_ozon_json:
 * @item: one entry of `/v3/product/info/list`'s `items`
 *
 * `primary_image` is an array that Ozon often leaves empty, in which case
 * `images[0]` is the main image; when it is filled, it goes first.
 *
 * Returns: (transfer full) (nullable): the product, or %NULL if @item has
 *   no id or offer_id
 */
OipProduct *
oip_product_new_from_ozon_json (JsonObject *item)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) primary = oip_json_object_get_strv (item, "primary_image");
  g_auto(GStrv) images = oip_json_object_get_strv (item, "images");
  g_auto(GStrv) colors = oip_json_object_get_strv (item, "color_image");
  g_auto(GStrv) all = NULL;
  gint64 id = oip_json_object_get_id (item, "id");
  const char *offer_id = oip_json_object_get_string (item, "offer_id");
  OipProduct *self;

  if (id <= 0 || offer_id == NULL)
    return NULL;

  self = oip_product_new (id, offer_id);
  self->sku = oip_json_object_get_id (item, "sku");
  self->name = g_strdup (oip_json_object_get_string (item, "name"));

  if (primary[0] != NULL)
    g_strv_builder_add (builder, primary[0]);
  for (guint i = 0; images[i] != NULL; i++)
    if (primary[0] == NULL || g_strcmp0 (primary[0], images[i]) != 0)
      g_strv_builder_add (builder, images[i]);
  all = g_strv_builder_end (builder);

  oip_product_set_images (self, (const char * const *) all);
  oip_product_set_color_image (self, colors[0]);
  return self;
}

/**
 * oip_product_new_from_json:
 * @object: what oip_product_to_json() wrote
 *
 * Returns: (transfer full) (nullable): the product, or %NULL if it lacks ids
 */
OipProduct *
oip_product_new_from_json (JsonObject *object)
{
  g_auto(GStrv) images = oip_json_object_get_strv (object, "images");
  gint64 id = oip_json_object_get_id (object, "product_id");
  const char *offer_id = oip_json_object_get_string (object, "offer_id");
  const char *downloaded = oip_json_object_get_string (object, "downloaded_at");
  OipProduct *self;

  if (id <= 0 || offer_id == NULL)
    return NULL;

  self = oip_product_new (id, offer_id);
  self->sku = oip_json_object_get_id (object, "sku");
  self->name = g_strdup (oip_json_object_get_string (object, "name"));
  oip_product_set_images (self, (const char * const *) images);
  oip_product_set_color_image (self, oip_json_object_get_string (object, "color_image"));
  if (downloaded != NULL)
    self->downloaded_at = g_date_time_new_from_iso8601 (downloaded, NULL);
  return self;
}

/**
 * oip_product_to_json:
 *
 * Returns: (transfer full): the product as the store and the command line
 *   write it; ids as JSON integers (int64, exact)
 */
JsonNode *
oip_product_to_json (OipProduct *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (OIP_IS_PRODUCT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "product_id");
  json_builder_add_int_value (builder, self->product_id);
  json_builder_set_member_name (builder, "offer_id");
  json_builder_add_string_value (builder, self->offer_id);
  json_builder_set_member_name (builder, "sku");
  json_builder_add_int_value (builder, self->sku);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name ? self->name : "");
  json_builder_set_member_name (builder, "images");
  json_builder_add_value (builder, oip_json_strv_node ((const char * const *) self->images));
  json_builder_set_member_name (builder, "color_image");
  json_builder_add_string_value (builder, self->color_image ? self->color_image : "");
  if (self->downloaded_at != NULL)
    {
      g_autofree char *when = g_date_time_format_iso8601 (self->downloaded_at);

      json_builder_set_member_name (builder, "downloaded_at");
      json_builder_add_string_value (builder, when);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

gint64
oip_product_get_product_id (OipProduct *self)
{
  g_return_val_if_fail (OIP_IS_PRODUCT (self), 0);
  return self->product_id;
}

const char *
oip_product_get_offer_id (OipProduct *self)
{
  g_return_val_if_fail (OIP_IS_PRODUCT (self), NULL);
  return self->offer_id;
}

gint64
oip_product_get_sku (OipProduct *self)
{
  g_return_val_if_fail (OIP_IS_PRODUCT (self), 0);
  return self->sku;
}

void
oip_product_set_sku (OipProduct *self,
                     gint64      sku)
{
  g_return_if_fail (OIP_IS_PRODUCT (self));
  if (self->sku == sku)
    return;
  self->sku = sku;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SKU]);
}

const char *
oip_product_get_name (OipProduct *self)
{
  g_return_val_if_fail (OIP_IS_PRODUCT (self), NULL);
  return self->name;
}

void
oip_product_set_name (OipProduct *self,
                      const char *name)
{
  g_return_if_fail (OIP_IS_PRODUCT (self));
  if (replace_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

/**
 * oip_product_get_images:
 *
 * Returns: (transfer none): the product's current images on Ozon, main first
 */
const char * const *
oip_product_get_images (OipProduct *self)
{
  g_return_val_if_fail (OIP_IS_PRODUCT (self), NULL);
  return (const char * const *) self->images;
}

void
oip_product_set_images (OipProduct         *self,
                        const char * const *images)
{
  g_return_if_fail (OIP_IS_PRODUCT (self));

  g_strfreev (self->images);
  self->images = images ? g_strdupv ((char **) images) : g_new0 (char *, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGES]);
}

const char *
oip_product_get_color_image (OipProduct *self)
{
  g_return_val_if_fail (OIP_IS_PRODUCT (self), NULL);
  return self->color_image;
}

void
oip_product_set_color_image (OipProduct *self,
                             const char *color_image)
{
  g_return_if_fail (OIP_IS_PRODUCT (self));
  if (color_image != NULL && *color_image == '\0')
    color_image = NULL;
  if (replace_string (&self->color_image, color_image))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR_IMAGE]);
}

/**
 * oip_product_get_downloaded_at:
 *
 * Returns: (transfer none) (nullable): when the product was last downloaded
 */
GDateTime *
oip_product_get_downloaded_at (OipProduct *self)
{
  g_return_val_if_fail (OIP_IS_PRODUCT (self), NULL);
  return self->downloaded_at;
}

void
oip_product_set_downloaded_at (OipProduct *self,
                               GDateTime  *when)
{
  g_return_if_fail (OIP_IS_PRODUCT (self));
  g_clear_pointer (&self->downloaded_at, g_date_time_unref);
  if (when != NULL)
    self->downloaded_at = g_date_time_ref (when);
}
