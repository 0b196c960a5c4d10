/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "oip-error.h"
#include "oip-json.h"
#include "oip-push-json.h"

/* The seed's response contract (shared/seed): keys and codes are stable
 * English for scripts; “message” texts are for people and translated. */

static void
add_notices (JsonBuilder     *builder,
             const GPtrArray *notices)
{
  json_builder_set_member_name (builder, "notices");
  json_builder_begin_array (builder);
  for (guint i = 0; i < notices->len; i++)
    {
      const OipNotice *notice = g_ptr_array_index (notices, i);
      g_autofree char *message = oip_notice_describe (notice);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, oip_notice_code (notice->kind));
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, notice->field);
      json_builder_set_member_name (builder, "kept");
      json_builder_add_int_value (builder, notice->kept);
      json_builder_set_member_name (builder, "dropped");
      json_builder_add_int_value (builder, notice->dropped);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_data (JsonBuilder         *builder,
          const OipPushResult *result)
{
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "product_id");
  json_builder_add_int_value (builder, result->product_id);
  json_builder_set_member_name (builder, "offer_id");
  json_builder_add_string_value (builder, result->offer_id);

  json_builder_set_member_name (builder, "updated");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "images");
  json_builder_add_int_value (builder, result->images_sent);
  /* Ozon's API has no 360° images any more: nothing is ever sent. */
  json_builder_set_member_name (builder, "images360");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "color_image");
  json_builder_add_boolean_value (builder, result->color_image_sent);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "import_status");
  json_builder_add_string_value (builder, oip_import_state_to_string (result->import_state));

  json_builder_set_member_name (builder, "current_images");
  json_builder_add_value (builder, oip_json_strv_node ((const char * const *) result->current_images));
  json_builder_set_member_name (builder, "current_color_image");
  if (result->current_color_image != NULL)
    json_builder_add_string_value (builder, result->current_color_image);
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "image_errors");
  json_builder_add_value (builder, oip_push_json_image_errors (result->image_errors));

  json_builder_set_member_name (builder, "previous_images");
  json_builder_add_value (builder, oip_json_strv_node ((const char * const *) result->previous_images));

  add_notices (builder, result->notices);
  json_builder_end_object (builder);
}

/**
 * oip_push_json_image_errors:
 * @errors: (element-type OipImageError): Ozon's per-picture errors
 *
 * Returns: (transfer full): `[{"url", "message"}, …]`
 */
JsonNode *
oip_push_json_image_errors (const GPtrArray *errors)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < errors->len; i++)
    {
      const OipImageError *image_error = g_ptr_array_index (errors, i);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "url", image_error->url);
      json_object_set_string_member (object, "message", image_error->message);
      json_array_add_object_element (array, object);
    }
  json_node_take_array (node, array);
  return node;
}

/**
 * oip_push_json_success:
 *
 * Returns: (transfer full): `{"success":true,"data":{…}}`
 */
JsonNode *
oip_push_json_success (const OipPushResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "success");
  json_builder_add_boolean_value (builder, TRUE);
  add_data (builder, result);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * oip_push_json_validation:
 *
 * Returns: (transfer full): `{"success":false,"errors":[{field, index,
 *   url, reason}]}`, the seed's validation failure; a field that is not a
 *   URL (product_id) has `{field, value, reason}`, `value` only when one
 *   was given
 */
JsonNode *
oip_push_json_validation (const OipPushPlan *plan)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "success");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  for (guint i = 0; i < plan->errors->len; i++)
    {
      const OipValidationIssue *issue = g_ptr_array_index (plan->errors, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, issue->field);
      if (oip_issue_is_url (issue->kind))
        {
          json_builder_set_member_name (builder, "index");
          json_builder_add_int_value (builder, issue->index);
          json_builder_set_member_name (builder, "url");
          json_builder_add_string_value (builder, issue->url);
        }
      else if (issue->url != NULL && *issue->url != '\0')
        {
          /* A field that is not a URL: what was given, as text. */
          json_builder_set_member_name (builder, "value");
          json_builder_add_string_value (builder, issue->url);
        }
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, oip_issue_reason (issue->kind));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  add_notices (builder, plan->notices);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * oip_push_json_error:
 * @result: (nullable): what is known when Ozon was reached
 *
 * Returns: (transfer full): `{"success":false,"error":{"code","message",
 *   "hint"}}`, with `data` when @result is given
 */
JsonNode *
oip_push_json_error (const GError        *error,
                     const OipPushResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  int code = error->domain == OIP_ERROR ? error->code : OIP_ERROR_FAILED;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "success");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, oip_error_code_name (code));
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, error->message);
  json_builder_set_member_name (builder, "hint");
  json_builder_add_string_value (builder, oip_error_hint (code));
  json_builder_end_object (builder);
  if (result != NULL)
    add_data (builder, result);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
