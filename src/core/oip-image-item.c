/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "oip-enum-types.h"
#include "oip-image-item.h"
#include "oip-url.h"

/**
 * OipImageItem:
 *
 * One image of the list a seller is about to push: its URL, whether the
 * URL can be sent at all, and where it stands in the list (its number, main
 * image, color image, beyond the limit). #OipImageList keeps the placement
 * up to date; a push job sets its #OipImageItem:state, and the address it
 * was sent under (#OipImageItem:sent-url: a local file's public address
 * once uploaded). The item keeps its identity through all of it, so views
 * bind to the properties and never look an image up by its address.
 */
struct _OipImageItem
{
  GObject   parent_instance;

  char     *url;
  gboolean  valid;
  guint     number;
  gboolean  is_main;
  gboolean  is_color;
  gboolean  over_limit;

  OipImageState state;
  double        progress;
  char         *error;
  char         *ozon_message;
  char         *hint;
  char         *sent_url;
  char         *load_error;
};

G_DEFINE_FINAL_TYPE (OipImageItem, oip_image_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URL,
  PROP_VALID,
  PROP_NUMBER,
  PROP_IS_MAIN,
  PROP_IS_COLOR,
  PROP_OVER_LIMIT,
  PROP_STATE,
  PROP_PROGRESS,
  PROP_ERROR,
  PROP_OZON_MESSAGE,
  PROP_HINT,
  PROP_SENT_URL,
  PROP_LOAD_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
oip_image_item_finalize (GObject *object)
{
  OipImageItem *self = OIP_IMAGE_ITEM (object);

  g_free (self->url);
  g_free (self->error);
  g_free (self->ozon_message);
  g_free (self->hint);
  g_free (self->sent_url);
  g_free (self->load_error);
  G_OBJECT_CLASS (oip_image_item_parent_class)->finalize (object);
}

static void
oip_image_item_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  OipImageItem *self = OIP_IMAGE_ITEM (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;
    case PROP_NUMBER:
      g_value_set_uint (value, self->number);
      break;
    case PROP_IS_MAIN:
      g_value_set_boolean (value, self->is_main);
      break;
    case PROP_IS_COLOR:
      g_value_set_boolean (value, self->is_color);
      break;
    case PROP_OVER_LIMIT:
      g_value_set_boolean (value, self->over_limit);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_OZON_MESSAGE:
      g_value_set_string (value, self->ozon_message);
      break;
    case PROP_HINT:
      g_value_set_string (value, self->hint);
      break;
    case PROP_SENT_URL:
      g_value_set_string (value, self->sent_url);
      break;
    case PROP_LOAD_ERROR:
      g_value_set_string (value, self->load_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
oip_image_item_class_init (OipImageItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = oip_image_item_finalize;
  object_class->get_property = oip_image_item_get_property;

  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, flags);
  properties[PROP_VALID] = g_param_spec_boolean ("valid", NULL, NULL, FALSE, flags);
  properties[PROP_NUMBER] = g_param_spec_uint ("number", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_IS_MAIN] = g_param_spec_boolean ("is-main", NULL, NULL, FALSE, flags);
  properties[PROP_IS_COLOR] = g_param_spec_boolean ("is-color", NULL, NULL, FALSE, flags);
  properties[PROP_OVER_LIMIT] = g_param_spec_boolean ("over-limit", NULL, NULL, FALSE, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, OIP_TYPE_IMAGE_STATE,
                                              OIP_IMAGE_STATE_NONE, flags);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0, flags);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);
  properties[PROP_OZON_MESSAGE] = g_param_spec_string ("ozon-message", NULL, NULL, NULL, flags);
  properties[PROP_HINT] = g_param_spec_string ("hint", NULL, NULL, NULL, flags);
  properties[PROP_SENT_URL] = g_param_spec_string ("sent-url", NULL, NULL, NULL, flags);
  /**
   * OipImageItem:load-error:
   *
   * Why the picture could not be loaded here for its thumbnail, if it
   * could not: Ozon fetches the same address and may fail too.
   */
  properties[PROP_LOAD_ERROR] = g_param_spec_string ("load-error", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
oip_image_item_init (OipImageItem *self)
{
}

OipImageItem *
oip_image_item_new (const char *url)
{
  OipImageItem *self;

  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (OIP_TYPE_IMAGE_ITEM, NULL);
  self->url = g_strdup (url);
  self->valid = oip_url_is_image_url (url) || oip_url_is_local_file (url);
  if (!oip_url_is_local_file (url))
    self->sent_url = g_strdup (url);
  return self;
}

const char *
oip_image_item_get_url (OipImageItem *self)
{
  g_return_val_if_fail (OIP_IS_IMAGE_ITEM (self), NULL);
  return self->url;
}

gboolean
oip_image_item_is_valid (OipImageItem *self)
{
  g_return_val_if_fail (OIP_IS_IMAGE_ITEM (self), FALSE);
  return self->valid;
}

/**
 * oip_image_item_is_local:
 *
 * Returns: whether the image is a file on this computer, to be uploaded
 */
gboolean
oip_image_item_is_local (OipImageItem *self)
{
  g_return_val_if_fail (OIP_IS_IMAGE_ITEM (self), FALSE);
  return oip_url_is_local_file (self->url);
}

gboolean
oip_image_item_get_is_main (OipImageItem *self)
{
  g_return_val_if_fail (OIP_IS_IMAGE_ITEM (self), FALSE);
  return self->is_main;
}

gboolean
oip_image_item_get_is_color (OipImageItem *self)
{
  g_return_val_if_fail (OIP_IS_IMAGE_ITEM (self), FALSE);
  return self->is_color;
}

gboolean
oip_image_item_get_over_limit (OipImageItem *self)
{
  g_return_val_if_fail (OIP_IS_IMAGE_ITEM (self), FALSE);
  return self->over_limit;
}

/**
 * oip_image_item_get_number:
 *
 * Returns: the image's place among the images sent, from 1; 0 for the
 *   color image
 */
guint
oip_image_item_get_number (OipImageItem *self)
{
  g_return_val_if_fail (OIP_IS_IMAGE_ITEM (self), 0);
  return self->number;
}

/* For #OipImageList only. */
void
oip_image_item_set_placement (OipImageItem *self,
                              guint         number,
                              gboolean      is_main,
                              gboolean      is_color,
                              gboolean      over_limit)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->number != number)
    {
      self->number = number;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NUMBER]);
    }
  if (self->is_main != is_main)
    {
      self->is_main = is_main;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_MAIN]);
    }
  if (self->is_color != is_color)
    {
      self->is_color = is_color;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_COLOR]);
    }
  if (self->over_limit != over_limit)
    {
      self->over_limit = over_limit;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OVER_LIMIT]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

OipImageState
oip_image_item_get_state (OipImageItem *self)
{
  g_return_val_if_fail (OIP_IS_IMAGE_ITEM (self), OIP_IMAGE_STATE_NONE);
  return self->state;
}

/**
 * oip_image_item_get_progress:
 *
 * Returns: how much of a local file is uploaded, 0 to 1
 */
double
oip_image_item_get_progress (OipImageItem *self)
{
  g_return_val_if_fail (OIP_IS_IMAGE_ITEM (self), 0.0);
  return self->progress;
}

/**
 * oip_image_item_get_error:
 *
 * Returns: (nullable): why the image failed, in the seller's language
 */
const char *
oip_image_item_get_error (OipImageItem *self)
{
  g_return_val_if_fail (OIP_IS_IMAGE_ITEM (self), NULL);
  return self->error;
}

/**
 * oip_image_item_get_ozon_message:
 *
 * Returns: (nullable): Ozon's own words about the image, untranslated
 */
const char *
oip_image_item_get_ozon_message (OipImageItem *self)
{
  g_return_val_if_fail (OIP_IS_IMAGE_ITEM (self), NULL);
  return self->ozon_message;
}

/**
 * oip_image_item_get_sent_url:
 *
 * Returns: (nullable): the address the image is sent to Ozon under: its
 *   URL, or a local file's public address once uploaded
 */
const char *
oip_image_item_get_sent_url (OipImageItem *self)
{
  g_return_val_if_fail (OIP_IS_IMAGE_ITEM (self), NULL);
  return self->sent_url;
}

static void
set_string (OipImageItem  *self,
            char         **field,
            const char    *value,
            guint          prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/**
 * oip_image_item_set_state:
 * @error: (nullable): why, for %OIP_IMAGE_STATE_FAILED (translated)
 * @ozon_message: (nullable): Ozon's own words, untranslated
 *
 * For push jobs.
 */
void
oip_image_item_set_state (OipImageItem  *self,
                          OipImageState  state,
                          const char    *error,
                          const char    *ozon_message)
{
  g_return_if_fail (OIP_IS_IMAGE_ITEM (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->error, error, PROP_ERROR);
  set_string (self, &self->ozon_message, ozon_message, PROP_OZON_MESSAGE);
  set_string (self, &self->hint, NULL, PROP_HINT);
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * oip_image_item_get_hint:
 *
 * Returns: (nullable): what the seller can do about the image's error
 */
const char *
oip_image_item_get_hint (OipImageItem *self)
{
  g_return_val_if_fail (OIP_IS_IMAGE_ITEM (self), NULL);
  return self->hint;
}

/**
 * oip_image_item_set_hint:
 *
 * Advice for the error just set with oip_image_item_set_state(), which
 * clears it.
 */
void
oip_image_item_set_hint (OipImageItem *self,
                         const char   *hint)
{
  g_return_if_fail (OIP_IS_IMAGE_ITEM (self));
  set_string (self, &self->hint, hint, PROP_HINT);
}

void
oip_image_item_set_progress (OipImageItem *self,
                             double        progress)
{
  g_return_if_fail (OIP_IS_IMAGE_ITEM (self));

  progress = CLAMP (progress, 0.0, 1.0);
  if (self->progress == progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

void
oip_image_item_set_sent_url (OipImageItem *self,
                             const char   *url)
{
  g_return_if_fail (OIP_IS_IMAGE_ITEM (self));
  set_string (self, &self->sent_url, url, PROP_SENT_URL);
}

/**
 * oip_image_item_get_load_error:
 *
 * Returns: (nullable): why the picture could not be loaded on this
 *   computer (its thumbnail), translated; %NULL when it loaded or was not
 *   tried
 */
const char *
oip_image_item_get_load_error (OipImageItem *self)
{
  g_return_val_if_fail (OIP_IS_IMAGE_ITEM (self), NULL);
  return self->load_error;
}

/**
 * oip_image_item_set_load_error:
 * @load_error: (nullable): the loader's error, or %NULL once it loaded
 *
 * For whatever loads the picture (a tile's thumbnail): the review warns
 * about an address that does not load here.
 */
void
oip_image_item_set_load_error (OipImageItem *self,
                               const char   *load_error)
{
  g_return_if_fail (OIP_IS_IMAGE_ITEM (self));
  set_string (self, &self->load_error, load_error, PROP_LOAD_ERROR);
}

/**
 * oip_image_state_to_string:
 *
 * Returns: the state's stable, untranslated name (“imported”, “failed”…),
 *   as the command line's JSON and the history use it
 */
const char *
oip_image_state_to_string (OipImageState state)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (OIP_TYPE_IMAGE_STATE);
  GEnumValue *value = g_enum_get_value (klass, state);

  return value != NULL ? value->value_nick : "none";
}
