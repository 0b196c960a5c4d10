/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "oip-credentials.h"
#include "oip-error.h"
#include "oip-json.h"
#include "oip-push-request.h"

OipPushRequest *
oip_push_request_new (void)
{
  OipPushRequest *self = g_new0 (OipPushRequest, 1);

  self->images = g_ptr_array_new_with_free_func (g_free);
  self->images360 = g_ptr_array_new_with_free_func (g_free);
  self->color_images = g_ptr_array_new_with_free_func (g_free);
  return self;
}

static GPtrArray *
copy_strings (GPtrArray *strings)
{
  return g_ptr_array_copy (strings, (GCopyFunc) g_strdup, NULL);
}

/**
 * oip_push_request_copy:
 *
 * Returns: (transfer full): a copy of @self without its credentials
 */
OipPushRequest *
oip_push_request_copy (const OipPushRequest *self)
{
  OipPushRequest *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (OipPushRequest, 1);
  copy->product_id = self->product_id;
  copy->product_id_invalid = g_strdup (self->product_id_invalid);
  copy->images = copy_strings (self->images);
  g_ptr_array_set_free_func (copy->images, g_free);
  copy->images360 = copy_strings (self->images360);
  g_ptr_array_set_free_func (copy->images360, g_free);
  copy->color_images = copy_strings (self->color_images);
  g_ptr_array_set_free_func (copy->color_images, g_free);
  copy->primary_image = g_strdup (self->primary_image);
  return copy;
}

void
oip_push_request_free (OipPushRequest *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->images);
  g_ptr_array_unref (self->images360);
  g_ptr_array_unref (self->color_images);
  g_free (self->primary_image);
  g_free (self->product_id_invalid);
  g_free (self->client_id);
  g_clear_pointer (&self->api_key, g_free);
  g_free (self);
}

static gboolean
read_url_list (JsonObject  *object,
               const char  *member,
               gboolean     allow_single,
               GPtrArray   *out,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (allow_single && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    {
      /* An empty color_image means “none”, as Ozon's own examples send it. */
      if (*json_node_get_string (node) != '\0')
        g_ptr_array_add (out, g_strdup (json_node_get_string (node)));
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                   _("“%s” must be a list of image addresses"), member);
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (node), i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        {
          g_set_error (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                       _("Entry %u of “%s” is not a text address"), i, member);
          return FALSE;
        }
      g_ptr_array_add (out, g_strdup (json_node_get_string (item)));
    }

  return TRUE;
}

/**
 * oip_push_request_parse_id:
 * @text: a product_id as typed: digits only
 * @out_id: (out): the id
 *
 * Strict: a whole number from 1 to 2^63-1 written with digits only; no
 * sign, no spaces, no leading zero, no fraction, nothing after it.
 *
 * Returns: %TRUE if @text is such a number
 */
gboolean
oip_push_request_parse_id (const char *text,
                           gint64     *out_id)
{
  guint64 value = 0;

  if (text == NULL || *text < '1' || *text > '9')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *out_id = (gint64) value;
  return TRUE;
}

/* What was given, for the seller to recognise; long values are cut. */
static char *
shown_value (const char *text)
{
  if (g_utf8_strlen (text, -1) <= 64)
    return g_strdup (text);
  return g_strdup_printf ("%.*s…", (int) (g_utf8_offset_to_pointer (text, 64) - text), text);
}

/**
 * oip_push_request_set_product_id:
 * @text: a product_id from the command line
 *
 * Sets @request's product_id, or records @text as invalid for the plan to
 * report in the seed's `errors` shape.
 */
void
oip_push_request_set_product_id (OipPushRequest *self,
                                 const char     *text)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->product_id_invalid, g_free);
  self->product_id = 0;
  if (!oip_push_request_parse_id (text, &self->product_id))
    {
      g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);

      self->product_id = 0;
      self->product_id_invalid = shown_value (valid);
    }
}

/* product_id must be a JSON integer from 1 to 2^63-1: not a string of
 * digits, a fraction, a boolean or a negative number (json-glib would have
 * wrapped -18446744073709550615 to 1001; oip_json_parse() refuses such a
 * number before, and this refuses every other wrong value). */
static void
read_product_id (OipPushRequest *self,
                 JsonNode       *node)
{
  g_autofree char *text = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64 &&
      json_node_get_int (node) > 0)
    {
      self->product_id = json_node_get_int (node);
      return;
    }

  text = oip_json_to_string (node, FALSE);
  self->product_id_invalid = shown_value (text);
}

/**
 * oip_push_request_from_json:
 * @data: (nullable): the seed's request JSON, from a file or standard input
 * @length: length of @data, or -1 if nul-terminated
 * @error: return location for an %OIP_ERROR_INVALID_REQUEST or
 *   %OIP_ERROR_CREDENTIALS_MALFORMED error
 *
 * Parses `{"credential":{…}, "product_id":…, "images":[…], "images360":[…],
 * "color_image":…}` with oip_json_parse(): empty, larger than
 * %OIP_PUSH_REQUEST_MAX_SIZE, deeper than %OIP_JSON_MAX_DEPTH, not an
 * object, or holding numbers beyond int64 or NUL bytes, it is refused.
 * Only the shape is checked here; the product_id's value, the URLs and the
 * limits are the push plan's business, so that every problem is reported
 * at once.
 *
 * Returns: (transfer full): the request, or %NULL
 */
OipPushRequest *
oip_push_request_from_json (const char  *data,
                            gssize       length,
                            GError     **error)
{
  g_autoptr(OipPushRequest) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root_node = NULL;
  JsonObject *root;
  JsonNode *node;

  if (data == NULL)
    length = 0;
  else if (length < 0)
    length = strlen (data);

  root_node = oip_json_parse (data, length, OIP_PUSH_REQUEST_MAX_SIZE, &local_error);
  if (root_node == NULL)
    {
      /* Translators: %s says what is wrong, such as “it is empty” */
      g_set_error (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                   _("The request cannot be read: %s"), local_error->message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                           _("The request must be a JSON object"));
      return NULL;
    }
  root = json_node_get_object (root_node);

  self = oip_push_request_new ();
  read_product_id (self, json_object_get_member (root, "product_id"));

  node = json_object_get_member (root, "credential");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonObject *credential = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (credential == NULL)
        {
          g_set_error_literal (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                               _("“credential” must be an object with “client_id” and “api_key”"));
          return NULL;
        }
      /* Kept as they are used: surrounding spaces and line breaks gone. */
      self->client_id = g_strdup (oip_json_object_get_string (credential, "client_id"));
      self->api_key = g_strdup (oip_json_object_get_string (credential, "api_key"));
      if (self->client_id != NULL)
        g_strstrip (self->client_id);
      if (self->api_key != NULL)
        g_strstrip (self->api_key);
      /* Partial credentials would silently mix with the keyring's. */
      if ((self->client_id == NULL) != (self->api_key == NULL))
        {
          g_set_error_literal (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                               _("“credential” needs both “client_id” and “api_key”"));
          return NULL;
        }
      /* A line break in either would split the HTTP headers they go in. */
      if (self->client_id != NULL && !oip_credentials_check (self->client_id, self->api_key, error))
        return NULL;
    }

  node = json_object_get_member (root, "primary_image");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_set_error_literal (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                               _("“primary_image” must be an image address"));
          return NULL;
        }
      if (*json_node_get_string (node) != '\0')
        self->primary_image = g_strdup (json_node_get_string (node));
    }

  if (!read_url_list (root, "images", FALSE, self->images, error) ||
      !read_url_list (root, "images360", FALSE, self->images360, error) ||
      !read_url_list (root, "color_image", TRUE, self->color_images, error))
    return NULL;

  return g_steal_pointer (&self);
}
