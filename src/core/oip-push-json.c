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

static gboolean
on_product (OipImageItem *item)
{
  OipImageState state = oip_image_item_get_state (item);

  return state == OIP_IMAGE_STATE_IMPORTED || state == OIP_IMAGE_STATE_SKIPPED;
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *member,
                     const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* Every image of the push, with where it ended: what was sent against
 * what Ozon has. */
static void
add_images (JsonBuilder *builder,
            GListModel  *items)
{
  json_builder_set_member_name (builder, "images");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(OipImageItem) item = g_list_model_get_item (items, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "source");
      json_builder_add_string_value (builder, oip_image_item_get_url (item));
      add_nullable_string (builder, "url", oip_image_item_get_sent_url (item));
      json_builder_set_member_name (builder, "main");
      json_builder_add_boolean_value (builder, oip_image_item_get_is_main (item));
      json_builder_set_member_name (builder, "color");
      json_builder_add_boolean_value (builder, oip_image_item_get_is_color (item));
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, oip_image_state_to_string (oip_image_item_get_state (item)));
      add_nullable_string (builder, "error", oip_image_item_get_error (item));
      add_nullable_string (builder, "ozon_message", oip_image_item_get_ozon_message (item));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_data (JsonBuilder *builder,
          OipPushJob  *job)
{
  const OipPushResult *result = oip_push_job_get_result (job);
  GListModel *items = oip_push_job_get_items (job);
  guint main_on_product = 0;
  gboolean color_on_product = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(OipImageItem) item = g_list_model_get_item (items, i);

      if (oip_image_item_get_is_color (item))
        color_on_product |= on_product (item);
      else
        main_on_product += on_product (item);
    }

  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "product_id");
  json_builder_add_int_value (builder, result->product_id);
  add_nullable_string (builder, "offer_id", result->offer_id);
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder, oip_push_outcome_to_string (result->outcome));

  /* The seed's counts, from what Ozon has after the push, not from what
   * was sent. */
  json_builder_set_member_name (builder, "updated");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "images");
  json_builder_add_int_value (builder, main_on_product);
  /* Ozon's API has no 360° images any more: nothing is ever sent. */
  json_builder_set_member_name (builder, "images360");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "color_image");
  json_builder_add_boolean_value (builder, color_on_product);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "sent");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "images");
  json_builder_add_int_value (builder, result->images_sent);
  json_builder_set_member_name (builder, "color_image");
  json_builder_add_boolean_value (builder, result->color_image_sent);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "imported");
  json_builder_add_int_value (builder, result->n_imported);
  json_builder_set_member_name (builder, "skipped");
  json_builder_add_int_value (builder, result->n_skipped);
  json_builder_set_member_name (builder, "failed");
  json_builder_add_int_value (builder, result->n_failed);
  json_builder_set_member_name (builder, "import_accepted");
  json_builder_add_boolean_value (builder, result->import_accepted);
  json_builder_set_member_name (builder, "import_status");
  json_builder_add_string_value (builder, oip_import_state_to_string (result->import_state));

  if (result->current_images != NULL)
    {
      json_builder_set_member_name (builder, "current_images");
      json_builder_add_value (builder, oip_json_strv_node ((const char * const *) result->current_images));
      add_nullable_string (builder, "current_color_image", result->current_color_image);
    }
  json_builder_set_member_name (builder, "image_errors");
  json_builder_add_value (builder, oip_push_json_image_errors (result->image_errors));

  if (result->previous_images != NULL)
    {
      json_builder_set_member_name (builder, "previous_images");
      json_builder_add_value (builder, oip_json_strv_node ((const char * const *) result->previous_images));
      add_nullable_string (builder, "previous_color_image", result->previous_color_image);
    }

  add_images (builder, items);
  add_notices (builder, result->notices);
  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->warnings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (result->warnings, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
add_error (JsonBuilder  *builder,
           const GError *error)
{
  int code = error->domain == OIP_ERROR ? error->code : OIP_ERROR_FAILED;

  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, oip_error_code_name (code));
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, error->message);
  json_builder_set_member_name (builder, "hint");
  json_builder_add_string_value (builder, oip_error_hint (code));
  /* What Ozon itself said, untranslated, and its status, when known. */
  if (oip_error_get_ozon_message (error) != NULL)
    {
      json_builder_set_member_name (builder, "ozon_message");
      json_builder_add_string_value (builder, oip_error_get_ozon_message (error));
    }
  if (oip_error_get_http_status (error) != 0)
    {
      json_builder_set_member_name (builder, "http_status");
      json_builder_add_int_value (builder, oip_error_get_http_status (error));
    }
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
 * oip_push_json_job:
 * @job: a push job that ran
 * @error: (nullable): how it failed, if it did
 *
 * The seed's response for a push: `{"success":true,"data":{…}}` when every
 * image sent is on the product; otherwise `{"success":false,"error":{…}}`,
 * with `data` whenever Ozon was reached (a partial push lists each image's
 * state and error; a failure after Ozon accepted the import still says
 * what the push replaced).
 *
 * Returns: (transfer full): the JSON
 */
JsonNode *
oip_push_json_job (OipPushJob   *job,
                   const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const OipPushResult *result = oip_push_job_get_result (job);
  gboolean success = error == NULL && result != NULL && result->outcome == OIP_PUSH_OUTCOME_SUCCEEDED;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "success");
  json_builder_add_boolean_value (builder, success);
  if (error != NULL)
    add_error (builder, error);
  else if (!success)
    {
      g_autoptr(GError) outcome = oip_push_result_to_error (result);

      add_error (builder, outcome);
    }
  if (result != NULL && (result->previous_images != NULL || result->import_accepted))
    add_data (builder, job);
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
 *
 * Returns: (transfer full): `{"success":false,"error":{"code","message",
 *   "hint"}}`, the error also with `ozon_message` (Ozon's own words) and
 *   `http_status` when they are known
 */
JsonNode *
oip_push_json_error (const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "success");
  json_builder_add_boolean_value (builder, FALSE);
  add_error (builder, error);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
add_time (JsonBuilder *builder,
          const char  *member,
          gint64       microseconds)
{
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *text = NULL;

  json_builder_set_member_name (builder, member);
  if (microseconds <= 0 || (when = g_date_time_new_from_unix_utc (microseconds / G_USEC_PER_SEC)) == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  text = g_date_time_format_iso8601 (when);
  json_builder_add_string_value (builder, text);
}

static void
add_image_set (JsonBuilder        *builder,
               const char         *member,
               const char * const *images,
               const char         *color)
{
  json_builder_set_member_name (builder, member);
  if (images == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "images");
  json_builder_add_value (builder, oip_json_strv_node (images));
  add_nullable_string (builder, "color_image", color);
  json_builder_end_object (builder);
}

/**
 * oip_push_json_record:
 * @record: a recorded push
 *
 * One push from the history, as `ozon-push history` prints it: when, which
 * product and account, how it ended, what the product had before and
 * after, and each image sent with its state.
 *
 * Returns: (transfer full): the JSON object
 */
JsonNode *
oip_push_json_record (const OipPushRecord *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, record->id);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, oip_push_kind_to_string (record->kind));
  if (record->source_push_id > 0)
    {
      json_builder_set_member_name (builder, "source_push_id");
      json_builder_add_int_value (builder, record->source_push_id);
    }
  if (record->bulk_run_id > 0)
    {
      json_builder_set_member_name (builder, "bulk_run_id");
      json_builder_add_int_value (builder, record->bulk_run_id);
    }
  json_builder_set_member_name (builder, "product_id");
  json_builder_add_int_value (builder, record->product_id);
  add_nullable_string (builder, "offer_id", record->offer_id);
  add_nullable_string (builder, "client_id", record->client_id);
  add_time (builder, "started_at", record->started_at);
  add_time (builder, "finished_at", record->finished_at);
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder, oip_push_outcome_to_string (record->outcome));

  json_builder_set_member_name (builder, "counts");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sent");
  json_builder_add_int_value (builder, record->images ? record->images->len : 0);
  json_builder_set_member_name (builder, "imported");
  json_builder_add_int_value (builder, oip_push_record_count_images (record, "imported"));
  json_builder_set_member_name (builder, "skipped");
  json_builder_add_int_value (builder, oip_push_record_count_images (record, "skipped"));
  json_builder_set_member_name (builder, "failed");
  json_builder_add_int_value (builder, oip_push_record_count_images (record, "failed"));
  json_builder_end_object (builder);

  {
    /* null when not known; a known empty set is an empty list. */
    const char *none[] = { NULL };
    const char * const *before = record->before_images ? (const char * const *) record->before_images : none;

    add_image_set (builder, "before", record->before_known ? before : NULL, record->before_color);
  }
  add_image_set (builder, "after", (const char * const *) record->after_images, record->after_color);

  json_builder_set_member_name (builder, "images");
  json_builder_begin_array (builder);
  for (guint i = 0; record->images != NULL && i < record->images->len; i++)
    {
      const OipPushRecordImage *image = g_ptr_array_index (record->images, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "position");
      json_builder_add_int_value (builder, image->position);
      add_nullable_string (builder, "source", image->source);
      add_nullable_string (builder, "url", image->url);
      json_builder_set_member_name (builder, "main");
      json_builder_add_boolean_value (builder, image->is_main);
      json_builder_set_member_name (builder, "color");
      json_builder_add_boolean_value (builder, image->is_color);
      add_nullable_string (builder, "state", image->state);
      add_nullable_string (builder, "error", image->error);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (record->task_id > 0)
    {
      json_builder_set_member_name (builder, "task_id");
      json_builder_add_int_value (builder, record->task_id);
    }
  json_builder_set_member_name (builder, "error");
  if (record->error_code != NULL)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, record->error_code);
      add_nullable_string (builder, "message", record->error_message);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
