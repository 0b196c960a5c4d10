/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "oip-enum-types.h"
#include "oip-error.h"
#include "oip-push-job.h"
#include "oip-push-json.h"
#include "oip-test-util.h"
#include "oip-url.h"

#define PRODUCT_ID 214365879

typedef struct
{
  OipFakeOzon     *fake;
  OipOzonClient   *client;
  OipProductStore *store;
  OipContext      *context;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  OipPushSettings settings = { .timeout = 10, .max_retries = 2, .validate_urls = TRUE };

  oip_test_empty_dirs ();
  fixture->fake = oip_test_fake_new ();
  fixture->client = oip_test_client_new (fixture->fake);
  fixture->store = oip_test_store_with_product (fixture->fake, fixture->client, PRODUCT_ID);
  fixture->context = oip_context_new (NULL);
  oip_context_override_push_settings (fixture->context, &settings);
  oip_context_set_base_url (fixture->context, oip_fake_ozon_get_base_url (fixture->fake));
  oip_context_set_credentials (fixture->context, TEST_CLIENT_ID, TEST_API_KEY);
  oip_context_set_store (fixture->context, fixture->store);
  oip_context_set_poll_interval (fixture->context, 10);
  oip_context_set_retry_delay (fixture->context, 10);
  oip_context_set_keyring_allowed (fixture->context, FALSE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  oip_test_assert_finalize (fixture->context);
  oip_test_assert_finalize (fixture->store);
  oip_test_assert_finalize (fixture->client);
  oip_test_assert_finalize (fixture->fake);
}

static OipPushRequest *
new_request (Fixture    *fixture,
             const char *first,
             ...)
{
  OipPushRequest *request = oip_push_request_new ();
  va_list args;

  request->product_id = PRODUCT_ID;
  va_start (args, first);
  for (const char *name = first; name != NULL; name = va_arg (args, const char *))
    g_ptr_array_add (request->images,
                     strstr (name, "://") ? g_strdup (name) : oip_fake_ozon_image_url (fixture->fake, name));
  va_end (args);
  return request;
}

/* What a job went through, in order, as an observer sees it. */
typedef struct
{
  GArray    *stages;          /* OipPushStage */
  GPtrArray *item_states;     /* per item: GArray of OipImageState */
} Trace;

static void
on_stage (OipPushJob *job,
          GParamSpec *pspec,
          Trace      *trace)
{
  OipPushStage stage = oip_push_job_get_stage (job);

  g_array_append_val (trace->stages, stage);
}

static void
on_item_state (OipImageItem *item,
               GParamSpec   *pspec,
               GArray       *states)
{
  OipImageState state = oip_image_item_get_state (item);

  /* Only changes: several properties change together. */
  if (states->len == 0 || g_array_index (states, OipImageState, states->len - 1) != state)
    g_array_append_val (states, state);
}

static void
trace_free (Trace *trace)
{
  g_array_unref (trace->stages);
  g_ptr_array_unref (trace->item_states);
  g_free (trace);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Trace, trace_free)

static Trace *
trace_job (OipPushJob *job)
{
  Trace *trace = g_new0 (Trace, 1);
  GListModel *items = oip_push_job_get_items (job);

  trace->stages = g_array_new (FALSE, FALSE, sizeof (OipPushStage));
  trace->item_states = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_signal_connect (job, "notify::stage", G_CALLBACK (on_stage), trace);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(OipImageItem) item = g_list_model_get_item (items, i);
      GArray *states = g_array_new (FALSE, FALSE, sizeof (OipImageState));

      g_ptr_array_add (trace->item_states, states);
      g_signal_connect (item, "notify::state", G_CALLBACK (on_item_state), states);
    }
  return trace;
}

static void
assert_sequence (GArray    *array,
                 const int *expected,
                 guint      n_expected)
{
  g_autoptr(GString) got = g_string_new (NULL);

  for (guint i = 0; i < array->len; i++)
    g_string_append_printf (got, "%d ", g_array_index (array, int, i));
  if (array->len != n_expected)
    g_error ("expected %u steps, got %u: %s", n_expected, array->len, got->str);
  for (guint i = 0; i < n_expected; i++)
    if (g_array_index (array, int, i) != expected[i])
      g_error ("step %u: expected %d, got: %s", i, expected[i], got->str);
}

static gboolean
run_job (OipPushJob    *job,
         GCancellable  *cancellable,
         GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ok;

  oip_push_job_run_async (job, cancellable, oip_test_on_ready, &result);
  ok = oip_push_job_run_finish (job, oip_test_wait (&result), error);
  g_assert_cmpint (oip_push_job_get_stage (job), ==, OIP_PUSH_STAGE_DONE);
  return ok;
}

static JsonObject *
import_item (Fixture *fixture)
{
  OipFakeRequest *import = oip_fake_ozon_last_request (fixture->fake, "/v2/product/pictures/import");

  g_assert_nonnull (import);
  return json_array_get_object_element (json_object_get_array_member (json_node_get_object (import->body),
                                                                      "items"), 0);
}

static OipImageItem *
job_item (OipPushJob *job,
          guint       position)
{
  g_autoptr(OipImageItem) item = g_list_model_get_item (oip_push_job_get_items (job), position);

  return item;
}

static void
test_happy_path (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, "new-1", "new-2", NULL);
  g_autofree char *color = oip_fake_ozon_image_url (fixture->fake, "color");
  g_autoptr(OipPushJob) job = NULL;
  g_autoptr(Trace) trace = NULL;
  g_autoptr(GError) error = NULL;
  const OipPushResult *result;
  JsonObject *item;
  const int stages[] = { OIP_PUSH_STAGE_PREPARING, OIP_PUSH_STAGE_SENDING, OIP_PUSH_STAGE_IMPORTING,
                         OIP_PUSH_STAGE_READING_BACK, OIP_PUSH_STAGE_DONE };
  const int states[] = { OIP_IMAGE_STATE_QUEUED, OIP_IMAGE_STATE_SENT, OIP_IMAGE_STATE_IMPORTING,
                         OIP_IMAGE_STATE_IMPORTED };
  g_autofree char *headline = NULL;

  g_ptr_array_add (request->color_images, g_strdup (color));
  job = oip_push_job_new_for_request (fixture->context, request);
  trace = trace_job (job);
  g_assert_true (run_job (job, NULL, &error));
  g_assert_no_error (error);

  assert_sequence (trace->stages, stages, G_N_ELEMENTS (stages));
  for (guint i = 0; i < trace->item_states->len; i++)
    assert_sequence (g_ptr_array_index (trace->item_states, i), states, G_N_ELEMENTS (states));

  /* What Ozon received: offer_id from the store, the list, the color. */
  item = import_item (fixture);
  g_assert_cmpstr (json_object_get_string_member (item, "offer_id"), ==, "ART-1001");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (item, "images")), ==, 2);
  g_assert_false (json_object_has_member (item, "primary_image"));
  g_assert_cmpstr (json_object_get_string_member (item, "color_image"), ==, color);

  result = oip_push_job_get_result (job);
  g_assert_cmpint (result->outcome, ==, OIP_PUSH_OUTCOME_SUCCEEDED);
  g_assert_cmpuint (result->images_sent, ==, 2);
  g_assert_true (result->color_image_sent);
  g_assert_cmpuint (result->n_imported, ==, 3);
  g_assert_cmpuint (result->n_failed, ==, 0);
  g_assert_cmpuint (g_strv_length (result->current_images), ==, 2);
  g_assert_cmpstr (result->current_color_image, ==, color);
  g_assert_cmpuint (g_strv_length (result->previous_images), ==, 3);
  g_assert_true (g_str_has_suffix (result->previous_images[0], "/mug-front.png"));
  headline = oip_push_result_describe (result);
  g_assert_nonnull (strstr (headline, "2"));
  g_assert_null (oip_push_result_to_error (result));

  /* The store follows. */
  {
    g_autoptr(OipProduct) stored = oip_test_store_lookup (fixture->store, PRODUCT_ID, NULL);

    g_assert_cmpstr (oip_product_get_images (stored)[1], ==, g_ptr_array_index (request->images, 1));
  }
}

/* What the push replaces is what Ozon has right before it, not the copy
 * downloaded earlier. */
static void
test_previous_images_read_fresh (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, "after", NULL);
  g_autofree char *elsewhere = oip_fake_ozon_image_url (fixture->fake, "changed-on-the-portal");
  const char *changed[] = { elsewhere, NULL };
  g_autoptr(OipPushJob) job = NULL;
  GPtrArray *requests = oip_fake_ozon_get_requests (fixture->fake);
  guint first_new = requests->len;
  gint info_at = -1, import_at = -1;

  oip_fake_ozon_set_product_images (fixture->fake, PRODUCT_ID, changed);
  job = oip_push_job_new_for_request (fixture->context, request);
  g_assert_true (run_job (job, NULL, NULL));

  g_assert_cmpuint (g_strv_length (oip_push_job_get_result (job)->previous_images), ==, 1);
  g_assert_cmpstr (oip_push_job_get_result (job)->previous_images[0], ==, elsewhere);
  /* Read before the import, not after. */
  for (guint i = first_new; i < requests->len; i++)
    {
      OipFakeRequest *seen = g_ptr_array_index (requests, i);

      if (info_at < 0 && g_str_equal (seen->path, "/v3/product/info/list"))
        info_at = i;
      if (import_at < 0 && g_str_equal (seen->path, "/v2/product/pictures/import"))
        import_at = i;
    }
  g_assert_cmpint (info_at, >=, 0);
  g_assert_cmpint (info_at, <, import_at);
}

static void
test_partial (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, "fine", "missing-1", "https://cdn.host.invalid/x.jpg", NULL);
  g_autoptr(OipPushJob) job = oip_push_job_new_for_request (fixture->context, request);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) outcome = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *headline = NULL;
  const OipPushResult *result;
  JsonObject *data_object;
  JsonArray *images;

  g_assert_true (run_job (job, NULL, &error));
  result = oip_push_job_get_result (job);
  g_assert_cmpint (result->outcome, ==, OIP_PUSH_OUTCOME_PARTIAL);
  g_assert_cmpuint (result->n_imported, ==, 1);
  g_assert_cmpuint (result->n_failed, ==, 2);
  g_assert_cmpint (oip_image_item_get_state (job_item (job, 0)), ==, OIP_IMAGE_STATE_IMPORTED);
  g_assert_cmpint (oip_image_item_get_state (job_item (job, 1)), ==, OIP_IMAGE_STATE_FAILED);
  g_assert_cmpstr (oip_image_item_get_ozon_message (job_item (job, 1)), ==, "could not download the image by link");
  g_assert_nonnull (oip_image_item_get_error (job_item (job, 2)));

  /* Never the green success: “1 of 3 images imported, 2 failed”. */
  headline = oip_push_result_describe (result);
  g_assert_nonnull (strstr (headline, "1 of 3"));
  g_assert_nonnull (strstr (headline, "2 failed"));
  outcome = oip_push_result_to_error (result);
  g_assert_error (outcome, OIP_ERROR, OIP_ERROR_PARTIAL);

  /* The command line's JSON is as honest, keeping the seed's fields. */
  json = oip_push_json_job (job, NULL);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (json), "success"));
  data_object = json_object_get_object_member (json_node_get_object (json), "data");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (data_object, "updated"), "images"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (data_object, "sent"), "images"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (data_object, "failed"), ==, 2);
  images = json_object_get_array_member (data_object, "images");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (images, 1), "state"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (images, 1), "ozon_message"), ==,
                   "could not download the image by link");
}

static void
test_all_fail (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, "missing-a", "missing-b", NULL);
  g_autoptr(OipPushJob) job = oip_push_job_new_for_request (fixture->context, request);
  g_autoptr(GError) outcome = NULL;
  const OipPushResult *result;

  g_assert_true (run_job (job, NULL, NULL));
  result = oip_push_job_get_result (job);
  g_assert_cmpint (result->outcome, ==, OIP_PUSH_OUTCOME_FAILED);
  g_assert_cmpint (result->import_state, ==, OIP_IMPORT_FAILED);
  g_assert_cmpuint (result->n_failed, ==, 2);
  outcome = oip_push_result_to_error (result);
  g_assert_error (outcome, OIP_ERROR, OIP_ERROR_IMPORT_FAILED);
  g_assert_nonnull (strstr (outcome->message, "all_image_failed"));
}

static void
test_same_images_skipped (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, "mug-front", "mug-side", "mug-box", NULL);
  g_autoptr(OipPushJob) job = oip_push_job_new_for_request (fixture->context, request);
  const OipPushResult *result;
  g_autofree char *headline = NULL;

  g_assert_true (run_job (job, NULL, NULL));
  result = oip_push_job_get_result (job);
  g_assert_cmpint (result->outcome, ==, OIP_PUSH_OUTCOME_SUCCEEDED);
  g_assert_cmpuint (result->n_skipped, ==, 3);
  g_assert_cmpuint (result->n_imported, ==, 0);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (oip_image_item_get_state (job_item (job, i)), ==, OIP_IMAGE_STATE_SKIPPED);
  headline = oip_push_result_describe (result);
  g_assert_nonnull (strstr (headline, "new address"));
}

static void
test_truncation_and_360 (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, NULL, NULL);
  g_autoptr(OipPushJob) job = NULL;
  const OipPushResult *result;

  for (guint i = 0; i < 31; i++)
    g_ptr_array_add (request->images, g_strdup_printf ("https://cdn.example.net/p/%u.jpg", i));
  g_ptr_array_add (request->images360, g_strdup ("https://cdn.example.net/360/1.jpg"));
  job = oip_push_job_new_for_request (fixture->context, request);
  g_assert_true (run_job (job, NULL, NULL));

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (import_item (fixture), "images")), ==, 30);
  g_assert_false (json_object_has_member (import_item (fixture), "images360"));
  result = oip_push_job_get_result (job);
  g_assert_cmpuint (result->images_sent, ==, 30);
  g_assert_cmpuint (result->notices->len, ==, 2);
  g_assert_cmpint (oip_image_item_get_state (job_item (job, 30)), ==, OIP_IMAGE_STATE_NOT_SENT);
  g_assert_cmpint (oip_image_item_get_state (job_item (job, 29)), ==, OIP_IMAGE_STATE_IMPORTED);
}

/* The main image goes first in `images`: Ozon shows the first as main. */
static void
test_primary_image_first (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, "a", "b", "c", NULL);
  g_autoptr(OipPushJob) job = NULL;
  JsonArray *images;

  request->primary_image = g_strdup (g_ptr_array_index (request->images, 1));
  job = oip_push_job_new_for_request (fixture->context, request);
  g_assert_true (run_job (job, NULL, NULL));
  images = json_object_get_array_member (import_item (fixture), "images");
  g_assert_cmpuint (json_array_get_length (images), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (images, 0), ==, request->primary_image);
  g_assert_cmpstr (oip_push_job_get_result (job)->current_images[0], ==, request->primary_image);
}

static void
test_refusals_send_nothing (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(OipPushRequest) invalid = new_request (fixture, "ok", "ftp://bad/x.jpg", NULL);
  g_autoptr(OipPushRequest) empty = new_request (fixture, NULL, NULL);
  g_autoptr(OipPushRequest) unknown = new_request (fixture, "x", NULL);
  g_autoptr(OipPushJob) job = NULL;
  g_autoptr(GError) error = NULL;
  guint requests_before = oip_fake_ozon_get_requests (fixture->fake)->len;

  job = oip_push_job_new_for_request (fixture->context, invalid);
  g_assert_cmpuint (oip_push_job_get_plan (job)->errors->len, ==, 1);
  g_assert_false (run_job (job, NULL, &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_VALIDATION);
  g_assert_cmpint (oip_image_item_get_state (job_item (job, 1)), ==, OIP_IMAGE_STATE_FAILED);
  g_assert_cmpstr (oip_image_item_get_error (job_item (job, 1)), ==, "Invalid URL format");
  g_clear_error (&error);
  g_clear_object (&job);

  job = oip_push_job_new_for_request (fixture->context, empty);
  g_assert_false (run_job (job, NULL, &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_NO_IMAGES);
  g_clear_error (&error);
  g_clear_object (&job);

  /* Known to Ozon, never downloaded here. */
  unknown->product_id = 214365880;
  job = oip_push_job_new_for_request (fixture->context, unknown);
  g_assert_false (run_job (job, NULL, &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_PRODUCT_NOT_FOUND);
  g_assert_false (oip_push_job_get_result (job)->import_accepted);

  g_assert_cmpuint (oip_fake_ozon_get_requests (fixture->fake)->len, ==, requests_before);
}

static void
test_pending_at_deadline (Fixture       *fixture,
                          gconstpointer  data)
{
  OipPushSettings settings = { .timeout = 1, .max_retries = 0, .validate_urls = TRUE };
  g_autoptr(OipPushRequest) request = new_request (fixture, "slow-1", NULL);
  g_autoptr(OipPushJob) job = NULL;
  g_autoptr(GError) outcome = NULL;

  oip_fake_ozon_set_pending_polls (fixture->fake, 100000);
  oip_context_override_push_settings (fixture->context, &settings);
  job = oip_push_job_new_for_request (fixture->context, request);
  g_assert_true (run_job (job, NULL, NULL));
  g_assert_cmpint (oip_push_job_get_result (job)->outcome, ==, OIP_PUSH_OUTCOME_PENDING);
  outcome = oip_push_result_to_error (oip_push_job_get_result (job));
  g_assert_error (outcome, OIP_ERROR, OIP_ERROR_IMPORT_PENDING);
  /* Still importing: not claimed as failed. */
  g_assert_cmpint (oip_image_item_get_state (job_item (job, 0)), ==, OIP_IMAGE_STATE_IMPORTING);
}

/* Cancelling at each stage: nothing is sent before SENDING; from then on
 * the result says Ozon may still import. */
typedef struct
{
  OipPushStage  at;
  GCancellable *cancellable;
} CancelAt;

static void
on_stage_cancel (OipPushJob *job,
                 GParamSpec *pspec,
                 CancelAt   *cancel)
{
  if (oip_push_job_get_stage (job) == cancel->at)
    g_cancellable_cancel (cancel->cancellable);
}

static void
test_cancel_at_each_stage (Fixture       *fixture,
                           gconstpointer  data)
{
  const OipPushStage stages[] = { OIP_PUSH_STAGE_PREPARING, OIP_PUSH_STAGE_SENDING,
                                  OIP_PUSH_STAGE_IMPORTING, OIP_PUSH_STAGE_READING_BACK };

  oip_fake_ozon_set_pending_polls (fixture->fake, 3);
  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    {
      g_autoptr(OipPushRequest) request = new_request (fixture, "cancel-me", NULL);
      g_autoptr(OipPushJob) job = oip_push_job_new_for_request (fixture->context, request);
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *headline = NULL;
      CancelAt cancel = { stages[i], cancellable };
      guint imports_before = oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import");
      const OipPushResult *result;

      g_signal_connect (job, "notify::stage", G_CALLBACK (on_stage_cancel), &cancel);
      g_assert_false (run_job (job, cancellable, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      result = oip_push_job_get_result (job);
      g_assert_cmpint (result->outcome, ==, OIP_PUSH_OUTCOME_CANCELLED);
      headline = oip_push_result_describe (result);
      if (stages[i] == OIP_PUSH_STAGE_PREPARING)
        {
          g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==,
                            imports_before);
          g_assert_false (result->import_accepted);
          g_assert_cmpint (oip_image_item_get_state (job_item (job, 0)), ==, OIP_IMAGE_STATE_NOT_SENT);
        }
      if (stages[i] >= OIP_PUSH_STAGE_IMPORTING)
        {
          g_assert_true (result->import_accepted);
          g_assert_nonnull (strstr (headline, "may still"));
        }
    }
}

/* After Ozon accepted the import, a later failure still says what the
 * push replaced and that Ozon may have the new images. */
static void
test_fault_after_import_accepted (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, "later-fault", NULL);
  g_autoptr(OipPushJob) job = oip_push_job_new_for_request (fixture->context, request);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = NULL;
  const OipPushResult *result;
  JsonObject *root;

  oip_fake_ozon_inject (fixture->fake, "/v1/product/import/info", OIP_FAKE_FAULT_SERVER_ERROR, 10);
  g_assert_false (run_job (job, NULL, &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "accepted"));
  result = oip_push_job_get_result (job);
  g_assert_true (result->import_accepted);
  g_assert_cmpuint (g_strv_length (result->previous_images), ==, 3);

  json = oip_push_json_job (job, error);
  root = json_node_get_object (json);
  g_assert_false (json_object_get_boolean_member (root, "success"));
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (root, "data"), "import_accepted"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_object_get_object_member (root, "data"),
                                                                         "previous_images")), ==, 3);
}

static void
test_retried_on_server_error (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, "r-1", NULL);
  g_autoptr(OipPushJob) job = oip_push_job_new_for_request (fixture->context, request);

  oip_fake_ozon_inject (fixture->fake, "/v2/product/pictures/import", OIP_FAKE_FAULT_BAD_GATEWAY_HTML, 1);
  oip_fake_ozon_inject (fixture->fake, "/v1/product/import/info", OIP_FAKE_FAULT_SERVER_ERROR, 1);
  g_assert_true (run_job (job, NULL, NULL));
  g_assert_cmpint (oip_push_job_get_result (job)->outcome, ==, OIP_PUSH_OUTCOME_SUCCEEDED);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==, 2);
}

/* Local pictures: checked, uploaded (each item counting up), then pushed
 * under their public address; the item keeps its identity throughout. */
static void
test_local_files (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, "web-1", NULL);
  g_autofree char *front = oip_test_write_jpeg ("front.jpg", 900, 1200, 0xcc3322ff);
  g_autofree char *back = oip_test_write_jpeg ("back.jpg", 900, 1200, 0x2233ccff);
  g_autoptr(OipPushJob) job = NULL;
  g_autoptr(Trace) trace = NULL;
  OipImageItem *local;
  JsonArray *images;
  const int stages[] = { OIP_PUSH_STAGE_PREPARING, OIP_PUSH_STAGE_UPLOADING, OIP_PUSH_STAGE_SENDING,
                         OIP_PUSH_STAGE_IMPORTING, OIP_PUSH_STAGE_READING_BACK, OIP_PUSH_STAGE_DONE };
  const int states[] = { OIP_IMAGE_STATE_QUEUED, OIP_IMAGE_STATE_CHECKING, OIP_IMAGE_STATE_UPLOADING,
                         OIP_IMAGE_STATE_UPLOADED, OIP_IMAGE_STATE_SENT, OIP_IMAGE_STATE_IMPORTING,
                         OIP_IMAGE_STATE_IMPORTED };

  oip_test_use_demo_bucket (fixture->context, fixture->fake);
  g_ptr_array_insert (request->images, 0, g_strdup (front));
  g_ptr_array_add (request->color_images, g_strdup (back));
  job = oip_push_job_new_for_request (fixture->context, request);
  g_assert_cmpuint (oip_push_job_get_n_local (job), ==, 2);
  trace = trace_job (job);
  local = job_item (job, 0);
  g_assert_true (run_job (job, NULL, NULL));

  assert_sequence (trace->stages, stages, G_N_ELEMENTS (stages));
  assert_sequence (g_ptr_array_index (trace->item_states, 0), states, G_N_ELEMENTS (states));
  g_assert_true (local == job_item (job, 0));
  g_assert_cmpstr (oip_image_item_get_url (local), ==, front);
  g_assert_true (g_str_has_prefix (oip_image_item_get_sent_url (local), oip_fake_ozon_get_base_url (fixture->fake)));
  g_assert_cmpfloat (oip_image_item_get_progress (local), ==, 1.0);

  images = json_object_get_array_member (import_item (fixture), "images");
  g_assert_cmpstr (json_array_get_string_element (images, 0), ==, oip_image_item_get_sent_url (local));
  g_assert_cmpstr (json_object_get_string_member (import_item (fixture), "color_image"), ==,
                   oip_image_item_get_sent_url (job_item (job, 2)));
  g_assert_cmpint (oip_push_job_get_result (job)->outcome, ==, OIP_PUSH_OUTCOME_SUCCEEDED);
}

static void
test_local_file_not_a_picture (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, "web-1", NULL);
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "notes.jpg", NULL);
  g_autofree char *uri = NULL;
  g_autoptr(OipPushJob) job = NULL;
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  g_assert_true (g_file_set_contents (path, "this is text, not a JPEG", -1, NULL));
  uri = g_filename_to_uri (path, NULL, NULL);
  oip_test_use_demo_bucket (fixture->context, fixture->fake);
  g_ptr_array_add (request->images, g_strdup (uri));
  job = oip_push_job_new_for_request (fixture->context, request);
  g_assert_false (run_job (job, NULL, &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_IMAGE_REJECTED);
  g_assert_cmpint (oip_image_item_get_state (job_item (job, 1)), ==, OIP_IMAGE_STATE_FAILED);
  g_assert_cmpint (oip_image_item_get_state (job_item (job, 0)), ==, OIP_IMAGE_STATE_NOT_SENT);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==, 0);
}

/* Every picture that cannot be sent is said before anything is uploaded,
 * each with its own advice: a text file is told to be replaced, a picture
 * that is only too small is told to be larger, not to be converted. */
static void
test_local_problems_all_listed (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(OipPushRequest) request = new_request (fixture, NULL, NULL);
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "notes.jpg", NULL);
  g_autofree char *text = NULL;
  g_autofree char *tiny = oip_test_write_jpeg ("tiny.jpg", 60, 80, 0x112233ff);
  g_autofree char *square = oip_test_write_jpeg ("square.jpg", 1200, 1200, 0x445566ff);
  g_autoptr(OipPushJob) job = NULL;
  g_autoptr(OipPushJob) review = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean square_warned = FALSE;

  g_assert_true (g_file_set_contents (path, "this is text, not a JPEG", -1, NULL));
  text = g_filename_to_uri (path, NULL, NULL);
  oip_test_use_demo_bucket (fixture->context, fixture->fake);
  g_ptr_array_add (request->images, g_strdup (square));
  g_ptr_array_add (request->images, g_strdup (text));
  g_ptr_array_add (request->images, g_strdup (tiny));

  /* In the review: every finding, nothing sent. */
  review = oip_push_job_new_for_request (fixture->context, request);
  oip_push_job_check_local_async (review, NULL, oip_test_on_ready, &result);
  problems = oip_push_job_check_local_finish (review, oip_test_wait (&result), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    {
      OipPushProblem *problem = g_ptr_array_index (problems, i);

      if (g_str_equal (problem->code, "aspect_ratio"))
        {
          square_warned = TRUE;
          g_assert_cmpint (problem->severity, ==, OIP_IMAGE_WARNING);
          g_assert_true (problem->item == job_item (review, 0));
        }
      g_assert_nonnull (problem->hint);
    }
  g_assert_true (square_warned);

  /* Pushing: both blocking problems at once, each with its own advice. */
  job = oip_push_job_new_for_request (fixture->context, request);
  g_assert_false (run_job (job, NULL, &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_IMAGE_REJECTED);
  g_assert_nonnull (strstr (error->message, "notes.jpg"));
  g_assert_nonnull (strstr (error->message, "tiny.jpg"));
  g_assert_cmpint (oip_image_item_get_state (job_item (job, 1)), ==, OIP_IMAGE_STATE_FAILED);
  g_assert_cmpint (oip_image_item_get_state (job_item (job, 2)), ==, OIP_IMAGE_STATE_FAILED);
  g_assert_cmpstr (oip_image_item_get_hint (job_item (job, 1)), ==, oip_image_finding_hint ("not_an_image"));
  g_assert_cmpstr (oip_image_item_get_hint (job_item (job, 2)), ==, oip_image_finding_hint ("too_small"));
  g_assert_cmpstr (oip_image_item_get_hint (job_item (job, 2)), !=, oip_image_finding_hint ("not_an_image"));
  /* The good one was not uploaded either. */
  g_assert_cmpint (oip_image_item_get_state (job_item (job, 0)), ==, OIP_IMAGE_STATE_NOT_SENT);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==, 0);
}

/* The items a window shows are the items pushed: no copies. */
static void
test_items_keep_identity (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GListStore) items = g_list_store_new (OIP_TYPE_IMAGE_ITEM);
  g_autofree char *url = oip_fake_ozon_image_url (fixture->fake, "identity");
  g_autoptr(OipImageItem) item = oip_image_item_new (url);
  g_autoptr(OipPushJob) job = NULL;

  oip_image_item_set_placement (item, 1, TRUE, FALSE, FALSE);
  g_list_store_append (items, item);
  job = oip_push_job_new (fixture->context, PRODUCT_ID, G_LIST_MODEL (items));
  g_assert_true (run_job (job, NULL, NULL));
  g_assert_true (job_item (job, 0) == item);
  g_assert_cmpint (oip_image_item_get_state (item), ==, OIP_IMAGE_STATE_IMPORTED);
}

/* Restoring a list the product had before: Ozon (played pessimistically
 * by the fake) skips addresses it has seen; the job sends them again as
 * new addresses, and the product really changes. Asserted on the server. */
static void
test_restore_readdresses_skipped (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(OipPushRequest) wrong = new_request (fixture, "wrong-1", NULL);
  g_autoptr(OipPushRequest) restore = new_request (fixture, "mug-front", "mug-side", "mug-box", NULL);
  g_autoptr(OipPushRequest) plain = new_request (fixture, "mug-front", "mug-side", "mug-box", NULL);
  g_autoptr(OipPushJob) job = NULL;
  const char * const *on_fake;
  JsonArray *sent;
  guint imports;

  oip_fake_ozon_set_remember_addresses (fixture->fake, TRUE);
  job = oip_push_job_new_for_request (fixture->context, wrong);
  g_assert_true (run_job (job, NULL, NULL));
  g_clear_object (&job);

  /* Without re-addressing, the old addresses are skipped: nothing changes
   * for the better, and the result says the images were not kept. */
  job = oip_push_job_new_for_request (fixture->context, plain);
  g_assert_true (run_job (job, NULL, NULL));
  g_assert_cmpint (oip_push_job_get_result (job)->outcome, ==, OIP_PUSH_OUTCOME_FAILED);
  g_clear_object (&job);

  imports = oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import");
  job = oip_push_job_new_for_request (fixture->context, restore);
  oip_push_job_set_readdress (job, TRUE);
  g_assert_true (run_job (job, NULL, NULL));
  g_assert_cmpint (oip_push_job_get_result (job)->outcome, ==, OIP_PUSH_OUTCOME_SUCCEEDED);
  g_assert_cmpuint (oip_push_job_get_readdressed (job), ==, 3);
  g_assert_cmpuint (oip_fake_ozon_count_requests (fixture->fake, "/v2/product/pictures/import"), ==, imports + 2);

  /* The second import carried the same pictures under new addresses, in
   * order, and the product has exactly them. */
  sent = json_object_get_array_member (import_item (fixture), "images");
  on_fake = oip_fake_ozon_get_product_images (fixture->fake, PRODUCT_ID);
  g_assert_cmpuint (json_array_get_length (sent), ==, 3);
  g_assert_cmpuint (g_strv_length ((char **) on_fake), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const char *url = json_array_get_string_element (sent, i);

      g_assert_true (g_str_has_prefix (url, g_ptr_array_index (restore->images, i)));
      g_assert_nonnull (strstr (url, "?oipv="));
      g_assert_cmpstr (on_fake[i], ==, url);
      g_assert_cmpint (oip_image_item_get_state (job_item (job, i)), ==, OIP_IMAGE_STATE_IMPORTED);
    }
}

static void
test_url_version (void)
{
  const struct { const char *url; const char *expected; } cases[] = {
    { "https://cdn.example.net/a.jpg", "https://cdn.example.net/a.jpg?oipv=7" },
    { "https://cdn.example.net/a.jpg?w=800", "https://cdn.example.net/a.jpg?w=800&oipv=7" },
    { "https://cdn.example.net/a.jpg?oipv=1&w=800", "https://cdn.example.net/a.jpg?w=800&oipv=7" },
    { "https://cdn.example.net/a%20b.jpg#top", "https://cdn.example.net/a%20b.jpg?oipv=7#top" },
    { "http://127.0.0.1:8080/storage/x.png", "http://127.0.0.1:8080/storage/x.png?oipv=7" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *versioned = oip_url_with_version (cases[i].url, "7");

      g_assert_cmpstr (versioned, ==, cases[i].expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  oip_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/push-job/happy-path", test_happy_path);
  ADD ("/push-job/previous-images-read-fresh", test_previous_images_read_fresh);
  ADD ("/push-job/partial", test_partial);
  ADD ("/push-job/all-fail", test_all_fail);
  ADD ("/push-job/same-images-skipped", test_same_images_skipped);
  ADD ("/push-job/truncation-and-360", test_truncation_and_360);
  ADD ("/push-job/primary-image-first", test_primary_image_first);
  ADD ("/push-job/refusals-send-nothing", test_refusals_send_nothing);
  ADD ("/push-job/pending-at-deadline", test_pending_at_deadline);
  ADD ("/push-job/cancel-at-each-stage", test_cancel_at_each_stage);
  ADD ("/push-job/fault-after-import-accepted", test_fault_after_import_accepted);
  ADD ("/push-job/retried-on-server-error", test_retried_on_server_error);
  ADD ("/push-job/local-files", test_local_files);
  ADD ("/push-job/local-file-not-a-picture", test_local_file_not_a_picture);
  ADD ("/push-job/items-keep-identity", test_items_keep_identity);
  ADD ("/push-job/local-problems-all-listed", test_local_problems_all_listed);
  ADD ("/push-job/restore-readdresses-skipped", test_restore_readdresses_skipped);
  oip_test_add_func ("/push-job/url-version", test_url_version);

  return g_test_run ();
}
