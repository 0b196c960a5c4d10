/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "oip-error.h"
#include "oip-push.h"
#include "oip-sleep.h"
#include "oip-url.h"

/**
 * OipPush:
 *
 * One push of a product's images, the seed's push endpoint on today's API:
 * check the plan, find the product's offer_id in the store, start the
 * import (`/v2/product/pictures/import`), poll the task until it leaves
 * `pending` (backing off, bounded by the client's timeout), read the
 * pictures back (`/v2/product/pictures/info`) and record them in the store.
 *
 * #OipPush:stage says where it is, for progress displays.
 */
struct _OipPush
{
  GObject          parent_instance;

  OipOzonClient   *client;
  OipProductStore *store;
  OipPushPlan     *plan;
  OipProduct      *product;
  OipPushStage     stage;
  guint            polls;
  guint            poll_interval_ms;

  /* during a run */
  OipPushResult   *result;
  gint64           task_id;
  gint64           poll_deadline;
  guint            next_wait_ms;
};

G_DEFINE_FINAL_TYPE (OipPush, oip_push, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STAGE,
  PROP_POLLS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define MAX_POLL_INTERVAL_MS 8000

static void poll_status (GTask *task);

static void
set_stage (OipPush      *self,
           OipPushStage  stage)
{
  if (self->stage == stage)
    return;
  self->stage = stage;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAGE]);
}

static void
fail (GTask  *task,
      GError *error)
{
  OipPush *self = g_task_get_source_object (task);

  g_clear_pointer (&self->result, oip_push_result_free);
  set_stage (self, OIP_PUSH_STAGE_DONE);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
finish (GTask *task)
{
  OipPush *self = g_task_get_source_object (task);

  set_stage (self, OIP_PUSH_STAGE_DONE);
  g_task_return_pointer (task, g_steal_pointer (&self->result),
                         (GDestroyNotify) oip_push_result_free);
  g_object_unref (task);
}

static void
on_store_saved (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The push itself succeeded; a store that cannot be written (damaged,
   * disk full) only means the next push starts from Ozon's list again. */
  if (!oip_product_store_put_finish (OIP_PRODUCT_STORE (source), result, &error))
    g_debug ("Product store not updated: %s", error->message);
  finish (user_data);
}

static void
on_pictures (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  OipPush *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(OipPictures) pictures = NULL;

  pictures = oip_ozon_client_get_pictures_finish (OIP_OZON_CLIENT (source), result, &error);
  if (pictures == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }

  self->result->current_images = g_strdupv (pictures->images);
  self->result->current_color_image = g_strdup (pictures->color_image);
  g_ptr_array_extend_and_steal (self->result->image_errors, g_steal_pointer (&pictures->errors));
  pictures->errors = g_ptr_array_new ();

  /* The product as the store hands it out: a window showing it follows. */
  oip_product_set_images (self->product, (const char * const *) self->result->current_images);
  oip_product_set_color_image (self->product, self->result->current_color_image);
  oip_product_store_put_async (self->store, self->product, NULL, on_store_saved, task);
}

static void
read_back (GTask *task)
{
  OipPush *self = g_task_get_source_object (task);

  set_stage (self, OIP_PUSH_STAGE_READING_BACK);
  oip_ozon_client_get_pictures_async (self->client, self->plan->product_id,
                                      g_task_get_cancellable (task), on_pictures, task);
}

static void
on_poll_wait_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!oip_sleep_finish (result, &error))
    fail (user_data, g_steal_pointer (&error));
  else
    poll_status (user_data);
}

static void
on_import_status (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  OipPush *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(OipImportStatus) status = NULL;

  status = oip_ozon_client_get_import_status_finish (OIP_OZON_CLIENT (source), result, &error);
  if (status == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }

  self->polls++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLLS]);
  self->result->import_state = status->state;

  if (status->state != OIP_IMPORT_PENDING)
    {
      g_ptr_array_extend_and_steal (self->result->import_errors, g_steal_pointer (&status->errors));
      status->errors = g_ptr_array_new ();
      read_back (task);
      return;
    }

  /* Still pending when the time is up: the images were sent and Ozon will
   * get to them; say so with what is on the product now. */
  if (g_get_monotonic_time () + (gint64) self->next_wait_ms * 1000 > self->poll_deadline)
    {
      read_back (task);
      return;
    }

  oip_sleep_async (self->next_wait_ms, g_task_get_cancellable (task), on_poll_wait_done, task);
  self->next_wait_ms = MIN (self->next_wait_ms * 2, MAX_POLL_INTERVAL_MS);
}

static void
poll_status (GTask *task)
{
  OipPush *self = g_task_get_source_object (task);

  oip_ozon_client_get_import_status_async (self->client, self->task_id, self->result->offer_id,
                                           g_task_get_cancellable (task), on_import_status, task);
}

static void
on_imported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  OipPush *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  self->task_id = oip_ozon_client_import_pictures_finish (OIP_OZON_CLIENT (source), result, &error);
  if (self->task_id <= 0)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }

  set_stage (self, OIP_PUSH_STAGE_IMPORTING);
  self->next_wait_ms = self->poll_interval_ms;
  self->poll_deadline = g_get_monotonic_time () +
                        (gint64) oip_ozon_client_get_timeout (self->client) * G_USEC_PER_SEC;
  oip_sleep_async (self->next_wait_ms, g_task_get_cancellable (task), on_poll_wait_done, task);
  self->next_wait_ms = MIN (self->next_wait_ms * 2, MAX_POLL_INTERVAL_MS);
}

static void
oip_push_finalize (GObject *object)
{
  OipPush *self = (OipPush *)object;

  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_object (&self->product);
  g_clear_pointer (&self->plan, oip_push_plan_free);
  g_clear_pointer (&self->result, oip_push_result_free);

  G_OBJECT_CLASS (oip_push_parent_class)->finalize (object);
}

static void
oip_push_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  OipPush *self = OIP_PUSH (object);

  switch (prop_id)
    {
    case PROP_STAGE:
      g_value_set_int (value, self->stage);
      break;
    case PROP_POLLS:
      g_value_set_uint (value, self->polls);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
oip_push_class_init (OipPushClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = oip_push_finalize;
  object_class->get_property = oip_push_get_property;

  properties[PROP_STAGE] =
    g_param_spec_int ("stage", NULL, NULL, OIP_PUSH_STAGE_IDLE, OIP_PUSH_STAGE_DONE,
                      OIP_PUSH_STAGE_IDLE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POLLS] =
    g_param_spec_uint ("polls", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
oip_push_init (OipPush *self)
{
  /* Ozon suggests checking about 10 s after an import; start sooner and
   * back off, so a fast import is seen fast. */
  self->poll_interval_ms = 1000;
}

/**
 * oip_push_new:
 * @client: the Ozon client to push with
 * @store: the product store
 * @plan: (transfer full): what to send, from oip_push_plan_new()
 *
 * Returns: (transfer full): a push, ready to run once
 */
OipPush *
oip_push_new (OipOzonClient   *client,
              OipProductStore *store,
              OipPushPlan     *plan)
{
  OipPush *self;

  g_return_val_if_fail (OIP_IS_OZON_CLIENT (client), NULL);
  g_return_val_if_fail (OIP_IS_PRODUCT_STORE (store), NULL);
  g_return_val_if_fail (plan != NULL, NULL);

  self = g_object_new (OIP_TYPE_PUSH, NULL);
  self->client = g_object_ref (client);
  self->store = g_object_ref (store);
  self->plan = plan;
  return self;
}

OipPushStage
oip_push_get_stage (OipPush *self)
{
  g_return_val_if_fail (OIP_IS_PUSH (self), OIP_PUSH_STAGE_IDLE);
  return self->stage;
}

guint
oip_push_get_polls (OipPush *self)
{
  g_return_val_if_fail (OIP_IS_PUSH (self), 0);
  return self->polls;
}

void
oip_push_set_poll_interval (OipPush *self,
                            guint    milliseconds)
{
  g_return_if_fail (OIP_IS_PUSH (self));
  self->poll_interval_ms = MAX (milliseconds, 1);
}

static OipNotice *
notice_copy (const OipNotice *notice)
{
  OipNotice *copy = g_memdup2 (notice, sizeof *notice);

  copy->field = g_strdup (notice->field);
  return copy;
}

static void
notice_free (OipNotice *notice)
{
  g_free (notice->field);
  g_free (notice);
}

static void
on_product_found (GObject      *source,
                  GAsyncResult *async_result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  OipPush *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;
  OipPushResult *result;

  self->product = oip_product_store_lookup_finish (OIP_PRODUCT_STORE (source), async_result, &error);
  if (self->product == NULL)
    {
      fail (task, error);
      return;
    }

  self->result = result = g_new0 (OipPushResult, 1);
  result->product_id = self->plan->product_id;
  result->offer_id = g_strdup (oip_product_get_offer_id (self->product));
  result->images_sent = self->plan->images->len;
  result->color_image_sent = self->plan->color_image != NULL;
  result->import_state = OIP_IMPORT_PENDING;
  result->import_errors = g_ptr_array_new_with_free_func (g_free);
  result->image_errors = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_image_error_free);
  result->previous_images = g_strdupv ((char **) oip_product_get_images (self->product));
  result->notices = g_ptr_array_copy (self->plan->notices, (GCopyFunc) notice_copy, NULL);
  g_ptr_array_set_free_func (result->notices, (GDestroyNotify) notice_free);

  set_stage (self, OIP_PUSH_STAGE_SENDING);

  /* Ozon takes the main image either as images[0] or as primary_image; when
   * the seller picked one that is not first, it goes in primary_image and
   * leaves the list, so Ozon does not count it twice. */
  if (self->plan->primary_image != NULL)
    {
      g_autoptr(GPtrArray) others = g_ptr_array_new ();

      for (guint i = 0; i < self->plan->images->len; i++)
        if (g_strcmp0 (g_ptr_array_index (self->plan->images, i), self->plan->primary_image) != 0)
          g_ptr_array_add (others, g_ptr_array_index (self->plan->images, i));
      oip_ozon_client_import_pictures_async (self->client, result->offer_id, others,
                                             self->plan->primary_image, self->plan->color_image,
                                             cancellable, on_imported, task);
    }
  else
    oip_ozon_client_import_pictures_async (self->client, result->offer_id, self->plan->images,
                                           NULL, self->plan->color_image,
                                           cancellable, on_imported, task);
}

/**
 * oip_push_run_async:
 *
 * Runs the push. Cancelling stops the HTTP request under way; images Ozon
 * already accepted stay accepted.
 */
void
oip_push_run_async (OipPush             *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task;
  GError *error = NULL;
  g_autofree char *id = NULL;

  g_return_if_fail (OIP_IS_PUSH (self));
  g_return_if_fail (self->stage == OIP_PUSH_STAGE_IDLE);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_push_run_async);

  if (!oip_push_plan_check (self->plan, &error))
    {
      fail (task, error);
      return;
    }

  for (guint i = 0; i < self->plan->images->len; i++)
    if (oip_url_is_local_file (g_ptr_array_index (self->plan->images, i)))
      {
        fail (task, g_error_new (OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                                 _("“%s” is a file on this computer: upload it to your storage first"),
                                 (const char *) g_ptr_array_index (self->plan->images, i)));
        return;
      }

  id = g_strdup_printf ("%" G_GINT64_FORMAT, self->plan->product_id);
  oip_product_store_lookup_async (self->store, OIP_PRODUCT_KEY_PRODUCT_ID, id, cancellable,
                                  on_product_found, task);
}

/**
 * oip_push_run_finish:
 *
 * Returns: (transfer full): the result once Ozon was reached — check it
 *   with oip_push_result_is_success() — or %NULL with @error when the
 *   push could not be made
 */
OipPushResult *
oip_push_run_finish (OipPush       *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
oip_push_result_free (OipPushResult *result)
{
  if (result == NULL)
    return;

  g_free (result->offer_id);
  g_clear_pointer (&result->import_errors, g_ptr_array_unref);
  g_strfreev (result->current_images);
  g_free (result->current_color_image);
  g_clear_pointer (&result->image_errors, g_ptr_array_unref);
  g_strfreev (result->previous_images);
  g_clear_pointer (&result->notices, g_ptr_array_unref);
  g_free (result);
}

/**
 * oip_push_result_is_success:
 * @error: return location for %OIP_ERROR_IMPORT_FAILED or
 *   %OIP_ERROR_IMPORT_PENDING
 *
 * Returns: %TRUE if Ozon imported the images (or had them already)
 */
gboolean
oip_push_result_is_success (const OipPushResult  *result,
                            GError              **error)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  switch (result->import_state)
    {
    case OIP_IMPORT_IMPORTED:
    case OIP_IMPORT_SKIPPED:
      return TRUE;
    case OIP_IMPORT_PENDING:
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_IMPORT_PENDING,
                           _("Ozon accepted the images but has not finished importing them yet"));
      return FALSE;
    case OIP_IMPORT_FAILED:
    default:
      for (guint i = 0; i < result->import_errors->len; i++)
        g_string_append_printf (joined, "%s%s", i > 0 ? "; " : "",
                                (const char *) g_ptr_array_index (result->import_errors, i));
      if (joined->len > 0)
        g_set_error (error, OIP_ERROR, OIP_ERROR_IMPORT_FAILED,
                     _("Ozon could not import the images: %s"), joined->str);
      else
        g_set_error_literal (error, OIP_ERROR, OIP_ERROR_IMPORT_FAILED,
                             _("Ozon could not import the images"));
      return FALSE;
    }
}
