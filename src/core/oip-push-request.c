/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

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

void
oip_push_request_free (OipPushRequest *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->images);
  g_ptr_array_unref (self->images360);
  g_ptr_array_unref (self->color_images);
  g_free (self->primary_image);
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
 * oip_push_request_from_json:
 * @data: the seed's request JSON
 * @length: length of @data, or -1 if nul-terminated
 * @error: return location for an %OIP_ERROR_INVALID_REQUEST error
 *
 * Parses `{"credential":{…}, "product_id":…, "images":[…], "images360":[…],
 * "color_image":…}`. Only the shape is checked here; the URLs and limits are
 * the push plan's business, so that every problem is reported at once.
 *
 * Returns: (transfer full): the request, or %NULL
 */
OipPushRequest *
oip_push_request_from_json (const char  *data,
                            gssize       length,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(OipPushRequest) self = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonNode *node;

  g_return_val_if_fail (data != NULL, NULL);

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                   _("The request is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  root = oip_json_parser_get_object (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                           _("The request must be a JSON object"));
      return NULL;
    }

  self = oip_push_request_new ();

  node = json_object_get_member (root, "product_id");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node) &&
      !oip_json_node_get_id (node, &self->product_id))
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                           _("“product_id” must be a positive whole number"));
      return NULL;
    }

  node = json_object_get_member (root, "credential");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *credential = json_node_get_object (node);

      self->client_id = g_strdup (oip_json_object_get_string (credential, "client_id"));
      self->api_key = g_strdup (oip_json_object_get_string (credential, "api_key"));
      /* Partial credentials would silently mix with the keyring's. */
      if ((self->client_id == NULL) != (self->api_key == NULL))
        {
          g_set_error_literal (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                               _("“credential” needs both “client_id” and “api_key”"));
          return NULL;
        }
    }

  node = json_object_get_member (root, "primary_image");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING &&
      *json_node_get_string (node) != '\0')
    self->primary_image = g_strdup (json_node_get_string (node));

  if (!read_url_list (root, "images", FALSE, self->images, error) ||
      !read_url_list (root, "images360", FALSE, self->images360, error) ||
      !read_url_list (root, "color_image", TRUE, self->color_images, error))
    return NULL;

  return g_steal_pointer (&self);
}
